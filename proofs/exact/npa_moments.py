"""The moment structure of the NPA relaxations of a K-party game with +-1 observables, and exact grouped sums.

Each player ``i`` measures a +-1 observable ``A^i_x`` on input ``x`` (a binary
measurement, dilated to a projective one: ``(A^i_x)^2 = 1``); observables of
different players commute.  The moment matrix of level ``"1"`` is indexed by
``{1} u {A^i_x}`` (side ``1 + K N``); level ``"1+ab"`` adds the products
``A^i_x A^j_y`` of two players ``i < j`` (side ``1 + K N + C(K, 2) N^2``);
levels ``"1+ab+abc"`` and ``"1+ab+abc+abcd"`` add the products of one letter from
each of three (resp. up to four) distinct players (the "local level 1": with
``K`` players the full one has side ``(1 + N)^K``).
Entry ``(a, b)`` is the real part of ``<O_a^dagger O_b>``.  Since each player
occurs at most once in ``O_a`` and in ``O_b``, the product reduces, player by
player, to the identity, one letter ``A_x`` or two letters ``A_x A_y``
(``x != y``), coded

``0``: identity, ``1 + x``: one letter, ``1 + N + x N + y``: two letters,

and a *moment* is the tuple of the K codes up to the adjoint (which reverses
every two-letter word; the real parts of ``<w>`` and ``<w^dagger>`` agree).
The identity moment sits exactly on the diagonal (``O^dagger O = 1``).
:func:`moment_ids` computes, with integer numpy arithmetic only, the moment of
every entry; the key of a moment packs its codes in base ``C = 1 + N + N^2``
(player 0 least significant), which must stay below ``2^62``.

:func:`grouped_sums` adds integers per moment exactly (26-bit halves in
int64, combined in Python integers), the operation the NPA dual checker
needs.

>>> ms = moment_structure(2, 2, "1")
>>> ms.size, ms.n_moments        # 1, A0, A1, B0, B1: 4 marginals, 2 + 4 correlators and the identity
(5, 11)
>>> ms.term_key((0, 1), (1, 0)) == ms.key_of(ms.element_index({0: 1}), ms.element_index({1: 0}))
True
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

from proofs.exact.correlator_game import ExactCorrelator
from proofs.exact.errors import CertificateFormatError, QcoordParameterError

__all__ = ["LEVELS", "MAX_SIDE", "LevelTooLowError", "MomentStructure", "grouped_sums", "moment_structure", "proven_value", "weights_by_key"]

#: the NPA levels built here
LEVELS = ("1", "1+ab", "1+ab+abc", "1+ab+abc+abcd")
#: largest side of a moment matrix (a dense n x n dual: 1601 for K = 4, N = 16 at level 1+ab)
MAX_SIDE = 2048


class LevelTooLowError(CertificateFormatError, QcoordParameterError):
    """A game term is not a moment of the NPA level (a three-body term at level 1, a four-body term for K = 3)."""


@dataclass(frozen=True, eq=False)
class MomentStructure:
    """The elements of the moment matrix and the moment of every entry.

    Attributes
    ----------
    K, N, level
        Players, inputs per player, ``"1"`` or ``"1+ab"``.
    letters
        ``(size, K)`` int64: the input player ``p`` measures in element ``e``, ``-1`` if none.
    keys
        ``(size, size)`` int64: the canonical key of the moment of each entry (0 = identity).
    """

    K: int
    N: int
    level: str
    letters: NDArray[np.int64]
    keys: NDArray[np.int64]

    @property
    def size(self) -> int:
        return int(self.letters.shape[0])

    @property
    def n_moments(self) -> int:
        """Number of distinct moments, the identity included."""
        return int(np.unique(self.keys).size)

    @property
    def base(self) -> int:
        return 1 + self.N + self.N * self.N

    def element_index(self, word: Mapping[int, int]) -> int:
        """Index of the element ``prod_{p in word} A^p_{word[p]}`` (``{}`` is the identity)."""
        row = np.full(self.K, -1, dtype=np.int64)
        for p, x in word.items():
            row[p] = x
        hit = np.flatnonzero(np.all(self.letters == row, axis=1))
        if hit.size != 1:
            raise QcoordParameterError(f"no element {dict(word)} at level {self.level}")
        return int(hit[0])

    def key_of(self, a: int, b: int) -> int:
        return int(self.keys[a, b])

    def term_key(self, players: Sequence[int], inputs: Sequence[int]) -> int:
        """The key of the correlator ``<prod_{i in players} A^i_{inputs[k]}>`` (one letter per player)."""
        key = 0
        for p, x in zip(players, inputs):
            key += (1 + int(x)) * self.base ** int(p)
        return key

    def term_keys(self, players: Sequence[int]) -> NDArray[np.int64]:
        """Keys of every input tuple of a term, flat in C order (the order of the weights)."""
        keys = np.zeros((self.N,) * len(players), dtype=np.int64)
        for axis, p in enumerate(players):
            shape = [1] * len(players)
            shape[axis] = self.N
            keys = keys + ((1 + np.arange(self.N, dtype=np.int64)) * self.base ** int(p)).reshape(shape)
        return keys.ravel()


def _depth(level: str) -> int:
    """Most players with a letter in one element: 1 for ``"1"``, 2 for ``"1+ab"``, ..."""
    return level.count("+") + 1


def _side(K: int, N: int, level: str) -> int:
    return sum(math.comb(K, d) * N**d for d in range(min(_depth(level), K) + 1))


def _elements(K: int, N: int, level: str) -> NDArray[np.int64]:
    rows = [np.full(K, -1, dtype=np.int64)]
    for d in range(1, min(_depth(level), K) + 1):
        for players in itertools.combinations(range(K), d):
            for inputs in itertools.product(range(N), repeat=d):
                r = np.full(K, -1, dtype=np.int64)
                r[list(players)] = inputs
                rows.append(r)
    return np.array(rows, dtype=np.int64)


def moment_structure(K: int, N: int, level: str) -> MomentStructure:
    """Build the elements and the moment key of every entry (integer numpy arithmetic; see the module docstring).

    >>> ms = moment_structure(3, 2, "1+ab")
    >>> ms.size, bool((np.diag(ms.keys) == 0).all()), bool((ms.keys == ms.keys.T).all())
    (19, True, True)
    """
    if isinstance(K, bool) or not isinstance(K, int) or not 2 <= K <= 8:
        raise QcoordParameterError(f"`K` must be an integer in [2, 8]; got {K!r}")
    if isinstance(N, bool) or not isinstance(N, int) or N < 1:
        raise QcoordParameterError(f"`N` must be a positive integer; got {N!r}")
    if level not in LEVELS:
        raise QcoordParameterError(f"`level` must be one of {LEVELS}; got {level!r}")
    size = _side(K, N, level)
    if size > MAX_SIDE:
        raise QcoordParameterError(f"the level-{level} moment matrix of K = {K}, N = {N} has side {size}; at most {MAX_SIDE}")
    base = 1 + N + N * N
    if base**K >= 2**62:
        raise QcoordParameterError(f"moment keys need (1 + N + N^2)^K < 2^62; got K = {K}, N = {N}")
    letters = _elements(K, N, level)
    keys = np.zeros((size, size), dtype=np.int64)
    adj = np.zeros((size, size), dtype=np.int64)
    for p in range(K):
        la = letters[:, p][:, None]
        lb = letters[:, p][None, :]
        one = np.where(la < 0, 1 + lb, 1 + la)  # exactly one letter (or none: both -1 gives 0)
        code = np.where((la < 0) | (lb < 0), np.where((la < 0) & (lb < 0), 0, one), 0)
        two = (la >= 0) & (lb >= 0) & (la != lb)
        code = np.where(two, 1 + N + la * N + lb, code)
        code_adj = np.where(two, 1 + N + lb * N + la, code)
        keys += code * base**p
        adj += code_adj * base**p
    np.minimum(keys, adj, out=keys)
    return MomentStructure(K, N, level, letters, keys)


def grouped_sums(ids: NDArray[np.int64], values: NDArray[np.int64]) -> dict[int, int]:
    """Exact sums of int64 ``values`` (``|v| < 2^53``) grouped by ``ids``, as Python integers.

    Each value is split as ``hi 2^26 + lo`` (``0 <= lo < 2^26``, ``|hi| <= 2^27``);
    the halves are summed per group in int64 (at most ``2^30`` values: no
    overflow) and combined in Python integers.

    >>> grouped_sums(np.array([3, 1, 3]), np.array([2**52, 5, 2**52]))
    {1: 5, 3: 9007199254740992}
    """
    ids = np.asarray(ids, dtype=np.int64).ravel()
    v = np.asarray(values, dtype=np.int64).ravel()
    if ids.shape != v.shape:
        raise QcoordParameterError("`ids` and `values` must have the same size")
    if v.size == 0:
        return {}
    if v.size >= 2**30 or int(np.abs(v).max()) >= 2**53:
        raise QcoordParameterError("grouped_sums needs fewer than 2^30 values of magnitude below 2^53")
    order = np.argsort(ids, kind="stable")
    s = ids[order]
    starts = np.flatnonzero(np.concatenate([[True], s[1:] != s[:-1]]))
    hi = v[order] >> 26
    lo = v[order] - (hi << 26)
    shi = np.add.reduceat(hi, starts)
    slo = np.add.reduceat(lo, starts)
    return {int(k): (int(h) << 26) + int(low) for k, h, low in zip(s[starts].tolist(), shi.tolist(), slo.tolist())}


def weights_by_key(ms: MomentStructure, game: ExactCorrelator) -> dict[int, int]:
    """Moment key -> integer weight numerator (over ``game.denominator``); every term must be a moment of the level."""
    present = np.unique(ms.keys)
    out: dict[int, int] = {}
    for S, w in game.terms.items():
        keys = ms.term_keys(S)
        if not np.all(np.isin(keys, present)):
            raise LevelTooLowError(f"the {len(S)}-body term {list(S)} is not a moment of NPA level {ms.level} (use a higher level)")
        for k, v in zip(keys.tolist(), w):
            if v:
                out[k] = out.get(k, 0) + v  # distinct input tuples have distinct keys; the sum is defensive
    return out


def proven_value(ms: MomentStructure, game: ExactCorrelator, z: np.ndarray, e: int) -> tuple[Fraction, Fraction]:
    """``(constant + tr Z + residual, residual)`` of lemma N1 in exact rationals, for ``Z = z / 2^e`` (int64 ``z``, symmetric).

    >>> ms = moment_structure(2, 1, "1")               # elements 1, A, B; CHSH-like single cell W = 1/2
    >>> g = ExactCorrelator(2, 1, 2, 1, {(0, 1): [1]}, "win")
    >>> z = np.array([[0, 0, 0], [0, 1, -1], [0, -1, 1]]) # Z = [[0,0,0],[0,1/4,-1/4],[0,-1/4,1/4]] with e = 2
    >>> proven_value(ms, g, z, 2)
    (Fraction(1, 1), Fraction(0, 1))
    """
    den = game.denominator
    sums = grouped_sums(ms.keys, z)
    trace = sums.pop(0, 0)  # the identity moment: exactly the diagonal
    weights = weights_by_key(ms, game)
    unweighted = sum(abs(s) for k, s in sums.items() if k not in weights)
    weighted = sum(abs(sums.get(k, 0) * den + w * 2**e) for k, w in weights.items())
    residual = Fraction(unweighted * den + weighted, den * 2**e)
    return Fraction(game.constant, den) + Fraction(trace, 2**e) + residual, residual
