"""Classical (shared randomness) values of K-party correlator games: threshold search, exhaustive and best-response search.

Shared randomness is a mixture of deterministic strategies and the value is
linear in the mixture, so the classical value is the maximum over
deterministic sign vectors ``s_i(x) = +-1``.  Three routes, each returning an
*estimate* and candidate certificates (``proofs.checkers.multiparty_classical``
verifies them):

* :func:`threshold_search` for a game in the factored form of lemma M2
  (:class:`FactoredPairwise`: terms of one or two players,
  ``W_ij[x, y] = p(x) p(y) phi(x)^T A_ij phi(y)``, ``phi(x) = (1, m(x))``,
  ``p >= 0``, ``m`` strictly increasing, and constant-weight terms of three or
  more players ``W_S[x] = a_S prod p(x_i)``): every best response is a threshold,
  so the maximum over threshold tuples (each player a threshold ``t`` in
  ``0..N`` and an orientation) is the classical value; the search enumerates
  all but the last player's thresholds with 2-D prefix sums in floats, the
  last player answering with its best threshold.
  :func:`threshold_certificates` writes the exact lower (strategy) and upper
  (threshold enumeration) certificates.
* :func:`exhaustive_search` for any game with ``2^(N (K - 1))`` small: every
  sign vector of all players but the last, the last best-responding.
* :func:`best_response_search` otherwise: alternating exact best responses
  from random starts (a local optimum: an estimate and a lower-bound strategy
  only).

>>> fg = stand_in(4, 0.5)
>>> r = threshold_search(fg)
>>> r.method, len(r.thresholds)
('threshold', 3)
>>> bool(abs(r.value - exhaustive_search(fg.game()).value) < 1e-12)
True
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bounds.errors import BoundsParameterError, SolverError
from games.multiparty import CorrelatorGame
from proofs.exact.certificate import new_certificate
from proofs.exact.correlator_game import IntegerWeights, describe, integer_weights, weights_fields
from proofs.exact.rational import fraction_str

__all__ = [
    "ClassicalSearch",
    "FactoredPairwise",
    "best_response_search",
    "classical_search",
    "exact_description",
    "exhaustive_search",
    "factored_form",
    "stand_in",
    "strategy_certificate",
    "threshold_certificates",
    "threshold_search",
    "threshold_signs",
]

#: most sign vectors ``2^(N (K - 1))`` of an exhaustive search
EXHAUSTIVE_LIMIT = 2**20


@dataclass(frozen=True)
class ClassicalSearch:
    """A classical search's result: an *estimate* of the value and the deterministic strategy attaining it.

    ``signs[i][x]`` is player ``i``'s answer; ``thresholds`` the ``(t_i, sigma_i)``
    of a threshold search (else empty); ``method`` is ``"threshold"``,
    ``"exhaustive"`` or ``"best-response"`` (only the first two are the
    classical value; the last is a local optimum).
    """

    value: float
    signs: tuple[tuple[int, ...], ...]
    method: str
    thresholds: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class FactoredPairwise:
    """A K-party game in the factored form of lemma M2, exact.

    ``W_ij[x, y] = p(x) p(y) phi(x)^T kernels[(i, j)] phi(y)``,
    ``W_i[x] = p(x) kernels[(i,)]^T phi(x)`` with ``phi(x) = (1, m(x))``, and
    ``W_S[x] = kernels[S] prod_{i in S} p(x_i)`` for ``|S| >= 3`` (a constant weight:
    the four-router four-body term); ``kernels`` maps a term to a 2 x 2 (pair),
    length-2 (single) tuple of Fractions or one Fraction (three or more players).
    """

    K: int
    p: tuple[Fraction, ...]
    m: tuple[Fraction, ...]
    kernels: dict[tuple[int, ...], Any]
    constant: Fraction = Fraction(0)
    quantity: str = "value"

    def __post_init__(self) -> None:
        if len(self.p) != len(self.m) or not self.p:
            raise BoundsParameterError(f"`p` and `m` must have the same positive length; got {len(self.p)} and {len(self.m)}")
        if any(q < 0 for q in self.p):
            raise BoundsParameterError("`p` must be non-negative (lemma M2)")
        if any(b <= a for a, b in zip(self.m, self.m[1:])):
            raise BoundsParameterError("`m` must be strictly increasing (lemma M2)")
        for S in self.kernels:
            if not 1 <= len(S) <= self.K or list(S) != sorted(set(S)) or S[0] < 0 or S[-1] >= self.K:
                raise BoundsParameterError(f"kernel terms must be increasing players in [0, {self.K - 1}]; got {S}")

    @property
    def N(self) -> int:
        return len(self.p)

    def exact_terms(self) -> dict[tuple[int, ...], list[Fraction]]:
        """The exact weights of every term, flat in C order."""
        out: dict[tuple[int, ...], list[Fraction]] = {}
        for S, k in sorted(self.kernels.items()):
            if len(S) == 1:
                out[S] = [self.p[x] * (Fraction(k[0]) + Fraction(k[1]) * self.m[x]) for x in range(self.N)]
            elif len(S) > 2:
                out[S] = [Fraction(k) * math.prod(self.p[i] for i in x) for x in itertools.product(range(self.N), repeat=len(S))]
            else:
                out[S] = [self.p[x] * self.p[y] * (Fraction(k[0][0]) + Fraction(k[0][1]) * self.m[y] + Fraction(k[1][0]) * self.m[x]
                                                  + Fraction(k[1][1]) * self.m[x] * self.m[y])
                          for x in range(self.N) for y in range(self.N)]
        return out

    def game(self) -> CorrelatorGame:
        """The :class:`CorrelatorGame` with exact weights."""
        ex = self.exact_terms()
        terms = {S: np.array([float(q) for q in flat]).reshape((self.N,) * len(S)) for S, flat in ex.items()}
        return CorrelatorGame(self.K, self.N, terms, constant=float(self.constant), quantity=self.quantity,
                              exact_terms={S: tuple(v) for S, v in ex.items()}, exact_constant=self.constant)

    def kernel_fields(self) -> dict[str, Any]:
        """The certificate fields ``probabilities``, ``features``, ``kernels`` of lemma M2."""
        def q(v: Any) -> str:
            return fraction_str(Fraction(v))
        def mat(S: tuple[int, ...], k: Any) -> Any:
            if len(S) > 2:
                return q(k)
            return [q(k[0]), q(k[1])] if len(S) == 1 else [[q(k[0][0]), q(k[0][1])], [q(k[1][0]), q(k[1][1])]]

        kern = [{"players": list(S), "matrix": mat(S, k)} for S, k in sorted(self.kernels.items())]
        return {"probabilities": [q(v) for v in self.p], "features": [q(v) for v in self.m], "kernels": kern}


def stand_in(N: int, nu: float | Fraction, *, K: int = 3, kappa: Fraction = Fraction(3, 2), digits: int = 6) -> FactoredPairwise:
    """The stand-in router game: exponential service (mean 1), ``N`` equiprobable quantile bins, bin means ``m(x)``,

    ``W(x, y) = (1/N^2) (1 - nu (kappa m(x) m(y) + (m(x) + m(y))/4))`` on every pair of ``K`` routers
    (``kappa = lambda / (2 (1 - rho)) = 3/2`` at ``lambda = 1.2``, ``rho = 0.6``); ``m(x)`` rounded to ``digits`` decimals.

    >>> fg = stand_in(2, Fraction(1, 2))
    >>> [float(v) for v in fg.m], fg.kernels[(0, 1)][1][1]
    ([0.306853, 1.693147], Fraction(-3, 4))
    """
    if not isinstance(N, int) or not 1 <= N <= 4096:
        raise BoundsParameterError(f"`N` must be an integer in [1, 4096]; got {N!r}")
    nu_q = Fraction(nu).limit_denominator(10**9) if isinstance(nu, float) else Fraction(nu)
    if nu_q < 0:
        raise BoundsParameterError(f"`nu` must be non-negative; got {nu!r}")
    edges = [-math.log1p(-k / N) for k in range(N)] + [math.inf]

    def part(a: float) -> float:  # integral of x e^-x over [a, inf)
        return 0.0 if a == math.inf else (a + 1) * math.exp(-a)

    means = [N * (part(edges[k]) - part(edges[k + 1])) for k in range(N)]
    m = tuple(Fraction(round(v * 10**digits), 10**digits) for v in means)
    a = ((Fraction(1), -nu_q / 4), (-nu_q / 4, -nu_q * kappa))
    kernels: dict[tuple[int, ...], Any] = {S: a for S in itertools.combinations(range(K), 2)}
    return FactoredPairwise(K, tuple(Fraction(1, N) for _ in range(N)), m, kernels, Fraction(0), "stand-in Lagrangian")


def factored_form(game: CorrelatorGame, p: Any, m: Any) -> FactoredPairwise:
    """Recover the kernels of lemma M2 from a game's exact weights, given ``p`` and ``m`` (exact), and check them exactly.

    Raises :class:`BoundsParameterError` if the game has no exact weights or
    weights not of the factored form (terms of three or more players: constant
    weight ``a_S prod p(x_i)``).
    """
    if game.exact_terms is None or game.exact_constant is None:
        raise BoundsParameterError("`game` has no exact weights (`exact_terms`, `exact_constant`); the factored form is checked exactly")
    pq = tuple(Fraction(v) for v in p)
    mq = tuple(Fraction(v) for v in m)
    N = game.N
    if len(pq) != N or len(mq) != N:
        raise BoundsParameterError(f"`p` and `m` must have N = {N} entries; got {len(pq)} and {len(mq)}")
    kernels: dict[tuple[int, ...], Any] = {}
    lo, hi = 0, N - 1
    for S, flat in game.exact_terms.items():
        if len(S) > 2:
            # constant weight a_S prod p(x_i): read a_S at the first bin with p > 0 (the exact check below confirms it)
            k0 = next((k for k in range(N) if pq[k]), None)
            if k0 is None:
                raise BoundsParameterError("`p` must have a positive entry to recover a constant weight")
            kernels[S] = flat[sum(k0 * N**j for j in range(len(S)))] / pq[k0] ** len(S)
            continue
        if len(S) == 1:
            if N == 1:
                kernels[S] = (flat[0] / pq[0] if pq[0] else Fraction(0), Fraction(0))
                continue
            # solve b0 + b1 m = W / p at the two ends
            v0 = flat[lo] / pq[lo] if pq[lo] else Fraction(0)
            v1 = flat[hi] / pq[hi] if pq[hi] else Fraction(0)
            b1 = (v1 - v0) / (mq[hi] - mq[lo])
            kernels[S] = (v0 - b1 * mq[lo], b1)
            continue
        if N == 1:
            kernels[S] = ((flat[0] / (pq[0] ** 2) if pq[0] else Fraction(0), Fraction(0)), (Fraction(0), Fraction(0)))
            continue
        if not (pq[lo] and pq[hi]):
            raise BoundsParameterError("the first and last bins need p > 0 to recover a kernel")

        def g(x: int, y: int, flat: Any = flat) -> Fraction:
            return flat[x * N + y] / (pq[x] * pq[y])

        dm = mq[hi] - mq[lo]
        a11 = (g(hi, hi) - g(hi, lo) - g(lo, hi) + g(lo, lo)) / (dm * dm)
        a01 = (g(lo, hi) - g(lo, lo)) / dm - a11 * mq[lo]
        a10 = (g(hi, lo) - g(lo, lo)) / dm - a11 * mq[lo]
        a00 = g(lo, lo) - a01 * mq[lo] - a10 * mq[lo] - a11 * mq[lo] ** 2
        kernels[S] = ((a00, a01), (a10, a11))
    fg = FactoredPairwise(game.K, pq, mq, kernels, game.exact_constant, game.quantity)
    if fg.exact_terms() != {S: list(v) for S, v in game.exact_terms.items()}:
        raise BoundsParameterError("the game's weights are not of the factored form p(x) p(y) phi(x)^T A phi(y) with these p and m")
    return fg


# --------------------------------------------------------------------------- float searches
def _value(game: CorrelatorGame, signs: list[NDArray[np.float64]]) -> float:
    total = game.constant
    for S, W in game.terms.items():
        C = W
        for i in reversed(S):
            C = C @ signs[i]
        total += float(C)
    return total


def _field(game: CorrelatorGame, signs: list[NDArray[np.float64]], i: int) -> NDArray[np.float64]:
    """``g_i(x)``: the value is ``const_i + sum_x s_i(x) g_i(x)`` for fixed other players."""
    g = np.zeros(game.N)
    for S, W in game.terms.items():
        if i not in S:
            continue
        pos = S.index(i)
        C = np.moveaxis(W, pos, 0)
        others = [j for j in S if j != i]
        for j in reversed(others):
            C = C @ signs[j]
        g += C
    return g


def threshold_signs(N: int, t: int, sigma: int) -> tuple[int, ...]:
    """``sigma`` below the threshold ``t``, ``-sigma`` from it on.

    >>> threshold_signs(4, 1, -1)
    (-1, 1, 1, 1)
    """
    return tuple(sigma if x < t else -sigma for x in range(N))


def threshold_search(fg: FactoredPairwise) -> ClassicalSearch:
    """The maximum over threshold tuples in floats (lemma M2: the classical value), an *estimate*."""
    game = fg.game()
    N, K = fg.N, fg.K
    pairs: dict[tuple[int, int], NDArray[np.float64]] = {}
    singles: dict[int, NDArray[np.float64]] = {}
    pre_p = np.concatenate([[0.0], np.cumsum([float(v) for v in fg.p])])
    e = 2 * pre_p - pre_p[-1]   # e(t) = sum_x p(x) u_t(x)
    many = {S: float(k) for S, k in fg.kernels.items() if len(S) > 2}
    for S, W in game.terms.items():
        if len(S) > 2:
            continue
        if len(S) == 1:
            pre = np.concatenate([[0.0], np.cumsum(W)])
            singles[S[0]] = 2 * pre - pre[-1]
        else:
            P = np.zeros((N + 1, N + 1))
            P[1:, 1:] = np.cumsum(np.cumsum(W, axis=0), axis=1)
            pairs[(S[0], S[1])] = 4 * P - 2 * P[:, [N]] - 2 * P[[N], :] + P[N, N]
    last = K - 1
    choices = [(t, s) for t in range(N + 1) for s in (1, -1)]
    best, arg = -math.inf, None
    b_last = singles.get(last, np.zeros(N + 1))
    if K == 3 and not singles and not many:
        # vectorised over (t0, s0, t1, s1): field on player 2 is s0 B02[t0] + s1 B12[t1]
        B01, B02, B12 = (pairs.get(k, np.zeros((N + 1, N + 1))) for k in ((0, 1), (0, 2), (1, 2)))
        sg = np.array([1.0, -1.0])
        f = sg[:, None, None, None, None] * B02[None, :, None, None, :] + sg[None, None, :, None, None] * B12[None, None, None, :, :]
        # axes (s0, t0, s1, t1, r)
        base = sg[:, None, None, None] * sg[None, None, :, None] * B01[None, :, None, :]
        tot = base[..., None] + np.abs(f)
        idx = np.unravel_index(int(np.argmax(tot)), tot.shape)
        s0, t0, s1, t1, r = (int(v) for v in idx)
        best = float(tot[idx])
        arg = [(t0, int(sg[s0])), (t1, int(sg[s1])), (r, 1 if f[idx] >= 0 else -1)]
    else:
        for combo in itertools.product(choices, repeat=last):
            base = float(fg.constant)
            f = b_last.copy()
            for i, (ti, si) in enumerate(combo):
                base += si * singles[i][ti] if i in singles else 0.0
                for j in range(i + 1, last):
                    if (i, j) in pairs:
                        base += si * combo[j][1] * pairs[(i, j)][ti, combo[j][0]]
                if (i, last) in pairs:
                    f = f + si * pairs[(i, last)][ti]
            for S, a_S in many.items():   # a_S prod_{i in S} sigma_i e(t_i) (lemma M2 (iv))
                coef = a_S * math.prod(combo[i][1] * e[combo[i][0]] for i in S if i != last)
                if last in S:
                    f = f + coef * e
                else:
                    base += coef
            r = int(np.argmax(np.abs(f)))
            val = base + abs(float(f[r]))
            if val > best:
                best, arg = val, [*combo, (r, 1 if f[r] >= 0 else -1)]
    assert arg is not None
    value = best + (float(fg.constant) if K == 3 and not singles and not many else 0.0)  # the generic loop has the constant in `base`
    signs = tuple(threshold_signs(N, t, s) for t, s in arg)
    return ClassicalSearch(value, signs, "threshold", tuple(arg))


def exhaustive_search(game: CorrelatorGame) -> ClassicalSearch:
    """Every sign vector of players ``0 .. K-2`` (player 0's first sign fixed when every term is even), the last best-responding."""
    N, K = game.N, game.K
    n_free = N * (K - 1)
    if 2**n_free > EXHAUSTIVE_LIMIT:
        raise BoundsParameterError(f"an exhaustive search needs 2^(N (K - 1)) <= {EXHAUSTIVE_LIMIT}; got N = {N}, K = {K}")
    best, arg = -math.inf, None
    last = K - 1
    for bits in itertools.product((1.0, -1.0), repeat=n_free):
        signs = [np.array(bits[i * N:(i + 1) * N]) for i in range(last)] + [np.ones(N)]
        g = _field(game, signs, last)
        signs[last] = np.where(g >= 0, 1.0, -1.0)
        v = _value(game, signs)
        if v > best:
            best, arg = v, signs
    assert arg is not None
    return ClassicalSearch(best, tuple(tuple(int(s) for s in a) for a in arg), "exhaustive")


def best_response_search(game: CorrelatorGame, *, restarts: int = 20, seed: int = 0, max_rounds: int = 200) -> ClassicalSearch:
    """Alternating exact best responses from random sign vectors: a local optimum (an *estimate*, and a strategy)."""
    rng = np.random.default_rng(seed)
    best, arg = -math.inf, None
    for _ in range(restarts):
        signs = [rng.choice([1.0, -1.0], game.N) for _ in range(game.K)]
        for _ in range(max_rounds):
            changed = False
            for i in range(game.K):
                new = np.where(_field(game, signs, i) >= 0, 1.0, -1.0)
                if not np.array_equal(new, signs[i]):
                    old_v = _value(game, signs)
                    trial = [*signs[:i], new, *signs[i + 1:]]
                    if _value(game, trial) > old_v + 1e-15:
                        signs, changed = trial, True
            if not changed:
                break
        v = _value(game, signs)
        if v > best:
            best, arg = v, signs
    if arg is None:
        raise SolverError("the best-response search found no strategy")
    return ClassicalSearch(best, tuple(tuple(int(s) for s in a) for a in arg), "best-response")


def classical_search(game: CorrelatorGame | FactoredPairwise, *, seed: int = 0) -> ClassicalSearch:
    """The classical value's best available route: thresholds (factored form), exhaustive (tiny), else best responses."""
    if isinstance(game, FactoredPairwise):
        return threshold_search(game)
    if 2 ** (game.N * (game.K - 1)) <= EXHAUSTIVE_LIMIT:
        return exhaustive_search(game)
    return best_response_search(game, seed=seed)


# --------------------------------------------------------------------------- certificates
_BAD = re.compile(r"[^ -.0-\[\]-~]")


def exact_description(game: CorrelatorGame) -> tuple[dict[str, str], IntegerWeights]:
    """The header's game description and the exact weights of a game with exact weights (the quantity made certificate-safe)."""
    if game.exact_terms is None or game.exact_constant is None:
        raise BoundsParameterError("`game` has no exact weights (`exact_terms`, `exact_constant`); certificates need them")
    w = integer_weights(game.exact_constant, game.exact_terms)
    q = _BAD.sub("_", game.quantity)[:80] or "value"
    return describe(w, game.K, game.N, q), w


def strategy_certificate(game: CorrelatorGame, signs: Any, bound: Fraction | None = None) -> dict[str, Any]:
    """A ``multiparty-classical-strategy`` certificate of deterministic signs (claim: their exact value unless ``bound``)."""
    desc, w = exact_description(game)
    s = [[int(v) for v in row] for row in signs]
    value = game.exact_deterministic_value([np.array(r) for r in s])
    return new_certificate("multiparty-classical-strategy", desc, game.N, "lower", value if bound is None else bound,
                           **weights_fields(w), signs=s)


def threshold_certificates(fg: FactoredPairwise, search: ClassicalSearch | None = None) -> dict[str, dict[str, Any]]:
    """``{"lower": strategy certificate, "upper": threshold certificate}`` at the exact value of the best threshold tuple found.

    The claim is the exact value of the tuple the float search found; the
    checker enumerates every tuple exactly, so a float near-tie resolved the
    wrong way makes it refuse the upper certificate (never accept a false one).
    """
    game = fg.game()
    r = search or threshold_search(fg)
    value = game.exact_deterministic_value([np.array(s) for s in r.signs])
    desc, w = exact_description(game)
    lower = new_certificate("multiparty-classical-strategy", desc, fg.N, "lower", value, **weights_fields(w), signs=[list(s) for s in r.signs])
    upper = new_certificate("multiparty-classical-threshold", desc, fg.N, "upper", value, **weights_fields(w), **fg.kernel_fields())
    return {"lower": lower, "upper": upper}
