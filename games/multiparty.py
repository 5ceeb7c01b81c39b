"""K-party correlator games: binary outputs, independent inputs on N bins, terms of any order.

Player ``i`` (``0 <= i < K``) receives an input ``x_i`` in ``range(N)`` and
answers ``o_i = +-1``.  The game's value for a strategy is

``value = constant + sum_S sum_{x_S} W_S[x_S] E[prod_{i in S} o_i(x_i)]``

over the *terms* ``S``, sorted tuples of distinct players (``(0, 1)`` a
two-body term, ``(0, 1, 2)`` a three-body term, ``(2,)`` a one-body term), each
weight array ``W_S`` of shape ``(N,) * len(S)`` with the input probabilities
already multiplied in (as a two-player XOR game's bias matrix
``M[x, y] = p(x) p(y) w(x, y)``).  The quantity this value measures is named
by ``quantity`` (for example ``"P(all on one server) - nu * cost"``).

With ``K = 2`` and the single term ``(0, 1)``, ``W`` is an XOR game's bias
matrix and ``constant = 1/2`` with ``W = M / 2`` gives its winning
probability.  With ``K = 3`` and the three pair terms equal to one matrix,
the game is party-symmetric (:attr:`CorrelatorGame.symmetric`).

Exact weights: ``exact_terms`` holds the same arrays as tuples of
:class:`fractions.Fraction` (nested lists flattened in C order) when the game
was built from rationals; float code reads ``terms``, exact checkers read
``exact_terms``.

>>> import numpy as np
>>> g = CorrelatorGame.pairwise(3, np.array([[1.0, -1.0], [-1.0, 1.0]]) / 4)
>>> g.K, g.N, sorted(g.terms)
(3, 2, [(0, 1), (0, 2), (1, 2)])
>>> g.deterministic_value([np.array([1, -1])] * 3)
3.0
>>> g.symmetric
True
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from games.errors import GameParameterError, GameTypeError

__all__ = ["CorrelatorGame"]

#: most players a correlator game may have
MAX_PLAYERS = 8
#: most input bins per player
MAX_BINS = 4096


def _term_key(S: Any, K: int) -> tuple[int, ...]:
    try:
        key = tuple(int(i) for i in S)
    except (TypeError, ValueError) as exc:
        raise GameTypeError(f"a term must be a tuple of player indices in [0, {K - 1}]; got {S!r}") from exc
    if not key or list(key) != sorted(set(key)) or key[0] < 0 or key[-1] >= K:
        raise GameParameterError(f"a term must be a non-empty increasing tuple of distinct players in [0, {K - 1}]; got {S!r}")
    return key


@dataclass(frozen=True)
class CorrelatorGame:
    """A K-party game whose value is linear in the players' output correlators.

    Parameters
    ----------
    K : int
        Number of players, ``2 <= K <= 8``.
    N : int
        Input bins per player, ``1 <= N <= 4096``.
    terms : mapping from tuple of players to ndarray
        ``W_S`` of shape ``(N,) * len(S)``, finite floats (probabilities multiplied in).
    constant : float
        The value's constant part.
    quantity : str
        What the value measures (printed beside every bound on it).
    exact_terms : mapping or None
        The same weights as flat tuples of Fractions (C order), or None.
    exact_constant : Fraction or None
        The constant as a Fraction, or None.
    """

    K: int
    N: int
    terms: Mapping[tuple[int, ...], NDArray[np.float64]]
    constant: float = 0.0
    quantity: str = "value"
    exact_terms: Mapping[tuple[int, ...], tuple[Fraction, ...]] | None = field(default=None, compare=False)
    exact_constant: Fraction | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if isinstance(self.K, bool) or not isinstance(self.K, int | np.integer) or not 2 <= int(self.K) <= MAX_PLAYERS:
            raise GameParameterError(f"`K` must be an integer in [2, {MAX_PLAYERS}]; got {self.K!r}")
        if isinstance(self.N, bool) or not isinstance(self.N, int | np.integer) or not 1 <= int(self.N) <= MAX_BINS:
            raise GameParameterError(f"`N` must be an integer in [1, {MAX_BINS}]; got {self.N!r}")
        if not isinstance(self.terms, Mapping) or not self.terms:
            raise GameTypeError(f"`terms` must be a non-empty mapping from player tuples to weight arrays; got {type(self.terms).__name__}")
        clean: dict[tuple[int, ...], NDArray[np.float64]] = {}
        for S, W in self.terms.items():
            key = _term_key(S, int(self.K))
            if key in clean:
                raise GameParameterError(f"term {key} appears twice in `terms`")
            arr = np.array(W, dtype=np.float64)
            if arr.shape != (int(self.N),) * len(key):
                raise GameParameterError(f"weights of term {key} must have shape {(int(self.N),) * len(key)}; got {arr.shape}")
            if not np.all(np.isfinite(arr)):
                raise GameParameterError(f"weights of term {key} must be finite; got a NaN or infinite entry")
            arr.setflags(write=False)
            clean[key] = arr
        if not np.isfinite(float(self.constant)):
            raise GameParameterError(f"`constant` must be finite; got {self.constant!r}")
        if self.exact_terms is not None:
            if set(self.exact_terms) != set(clean):
                raise GameParameterError("`exact_terms` must have the same terms as `terms`")
            for key, flat in self.exact_terms.items():
                if len(flat) != clean[key].size or not all(isinstance(f, Fraction) for f in flat):
                    raise GameTypeError(f"`exact_terms[{key}]` must be {clean[key].size} Fractions in C order")
        object.__setattr__(self, "K", int(self.K))
        object.__setattr__(self, "N", int(self.N))
        object.__setattr__(self, "terms", dict(sorted(clean.items())))
        object.__setattr__(self, "constant", float(self.constant))

    @classmethod
    def pairwise(cls, K: int, W: Any, *, constant: float = 0.0, quantity: str = "value") -> CorrelatorGame:
        """The party-symmetric game with the same two-body weights ``W`` on every pair ``i < j``.

        ``W`` must be symmetric (``W[x, y] == W[y, x]``) so that the game does not depend on
        which player of a pair is called first.
        """
        arr = np.asarray(W, dtype=np.float64)
        if arr.ndim != 2 or arr.shape[0] != arr.shape[1]:
            raise GameParameterError(f"`W` must be a square matrix; got shape {arr.shape}")
        if not np.array_equal(arr, arr.T):
            raise GameParameterError("`W` must be symmetric for a party-symmetric pairwise game")
        if isinstance(K, bool) or not isinstance(K, int | np.integer) or not 2 <= int(K) <= MAX_PLAYERS:
            raise GameParameterError(f"`K` must be an integer in [2, {MAX_PLAYERS}]; got {K!r}")
        terms: dict[tuple[int, ...], NDArray[np.float64]] = {pair: arr for pair in itertools.combinations(range(int(K)), 2)}
        return cls(int(K), arr.shape[0], terms, constant=constant, quantity=quantity)

    @property
    def order(self) -> int:
        """The largest number of players in one term."""
        return max(len(S) for S in self.terms)

    @property
    def symmetric(self) -> bool:
        """True iff every term is invariant under every permutation of the players."""
        by_size: dict[int, list[tuple[int, ...]]] = {}
        for S in self.terms:
            by_size.setdefault(len(S), []).append(S)
        for size, keys in by_size.items():
            if len(keys) != len(list(itertools.combinations(range(self.K), size))):
                return False
            first = self.terms[keys[0]]
            for S in keys:
                W = self.terms[S]
                if not np.array_equal(W, first):
                    return False
                if any(not np.array_equal(W, np.transpose(W, p)) for p in itertools.permutations(range(size))):
                    return False
        return True

    def correlator_value(self, correlators: Mapping[tuple[int, ...], Any]) -> float:
        """The value for given correlators ``E[prod_{i in S} o_i(x_i)]``, one array per term (float)."""
        total = self.constant
        for S, W in self.terms.items():
            if S not in correlators:
                raise GameParameterError(f"`correlators` lacks term {S}")
            C = np.asarray(correlators[S], dtype=np.float64)
            if C.shape != W.shape:
                raise GameParameterError(f"correlators of term {S} must have shape {W.shape}; got {C.shape}")
            total += float(np.sum(W * C))
        return total

    def deterministic_value(self, signs: Sequence[Any]) -> float:
        """The value of a deterministic strategy: ``signs[i][x]`` in ``{+1, -1}`` is player ``i``'s answer to ``x``."""
        if len(signs) != self.K:
            raise GameParameterError(f"`signs` must hold one array per player ({self.K}); got {len(signs)}")
        s = [np.asarray(v) for v in signs]
        for i, v in enumerate(s):
            if v.shape != (self.N,) or not np.all(np.abs(v) == 1):
                raise GameParameterError(f"`signs[{i}]` must be {self.N} entries in {{+1, -1}}; got shape {v.shape}")
        correlators = {}
        for S in self.terms:
            C = np.ones((self.N,) * len(S))
            for axis, i in enumerate(S):
                shape = [1] * len(S)
                shape[axis] = self.N
                C = C * s[i].astype(np.float64).reshape(shape)
            correlators[S] = C
        return self.correlator_value(correlators)

    def exact_deterministic_value(self, signs: Sequence[Any]) -> Fraction:
        """:meth:`deterministic_value` in exact rationals (needs ``exact_terms`` and ``exact_constant``)."""
        if self.exact_terms is None or self.exact_constant is None:
            raise GameParameterError("this game has no exact weights (`exact_terms`, `exact_constant`)")
        self.deterministic_value(signs)  # validates the signs
        s = [[int(v) for v in np.asarray(sig)] for sig in signs]
        total = Fraction(self.exact_constant)
        for S, flat in self.exact_terms.items():
            for idx, x in enumerate(itertools.product(range(self.N), repeat=len(S))):
                sign = 1
                for i, xi in zip(S, x):
                    sign *= s[i][xi]
                total += flat[idx] if sign > 0 else -flat[idx]
        return total
