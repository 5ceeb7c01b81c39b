"""K routers, two servers: the model's constants, the N-bin Lagrangian game, the ideal class, strategy values.

The model is derived in :mod:`analytic.routers` (records ``routers-wq-k3``,
``routers-kernel-k3``, ...): K-tuples at rate ``lam``, ``rho = K lam E[X]/2``
per server, ``p_split = 1 - P(all on one server)``,

``P(all on one server) = 2^(1-K) sum_{|S| even} E[o_S]``,
``W_q = W_0 + sum_{i<j} E[(1 + o_i o_j)/2 c_K(X_i, X_j)]``,
``c_K(x, y) = kappa x y + (x + y)/(2K)``, ``kappa = lam/(2(1 - rho))``,
``W_0 = K lam E[X^2]/(4(1 - rho))``.

:func:`lagrangian_game` builds ``P(all on one server) + nu (W_l - W_q)`` on
``N`` equiprobable bins of ``a = F(x)`` per router (the bins of
:mod:`bounds.system_proxy`) as a :class:`games.multiparty.CorrelatorGame`: the
value of every strategy constant on bins is exact (the pair weights are the
cell integrals of the kernel ``2^(1-K) - nu c_K/2``).  Exact weights: the
uniform law's bin means are rational, so its game carries ``exact_terms``;
the exponential law's bin means contain logarithms, so
:func:`rational_weights` gives dyadic weights with a rigorous (arb) bound on
the total error.

>>> m = RouterModel.at_load(3, 0.6)
>>> round(m.lam, 12), round(m.W_split, 12), round(m.W_bunch, 12)
(0.4, 1.5, 4.0)
>>> g = lagrangian_game(m, 2.5, 0.5, 4)
>>> g.K, g.N, g.symmetric, g.order
(3, 4, True, 2)
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from analytic.laws.service import ServiceLaw
from games.errors import GameParameterError, GameTypeError, check_int, check_real
from games.multiparty import CorrelatorGame

__all__ = [
    "RationalWeights",
    "RouterModel",
    "even_terms",
    "ideal_game_value",
    "lagrangian_game",
    "rational_weights",
    "threshold_moments",
]

#: router counts the model is built for
KS = (2, 3, 4)
#: most bin tuples (N^K) the ideal-class enumeration handles
MAX_CELLS = 1 << 24


def even_terms(K: int) -> list[tuple[int, ...]]:
    """The sign monomials of ``P(all on one server)``: every even subset of ``size >= 2``.

    >>> even_terms(3)
    [(0, 1), (0, 2), (1, 2)]
    """
    return [S for r in range(2, K + 1, 2) for S in itertools.combinations(range(K), r)]


def _law_kind(law: ServiceLaw) -> str:
    if law.is_exponential:
        return "exponential"
    if law.spec is not None and law.spec.name == "uniform":
        return "uniform"
    return "other"


@dataclass(frozen=True)
class RouterModel:
    """``K`` routers, tuple rate ``lam``, service law ``law`` (validated: ``rho < 1``).

    ``W_split`` is ``W_0`` (the part of ``W_q`` every rule pays), ``W_bunch``
    the wait when every tuple goes to one server, ``mean_cost`` ``E[c_K]``.
    """

    K: int
    lam: float
    law: ServiceLaw

    def __post_init__(self) -> None:
        if isinstance(self.K, bool) or not isinstance(self.K, int) or self.K not in KS:
            raise GameParameterError(f"`K` must be one of {KS}; got {self.K!r}")
        check_real("lam", self.lam, low=0, low_open=True)
        if not isinstance(self.law, ServiceLaw):
            raise GameTypeError(f"`law` must be an analytic.ServiceLaw; got {type(self.law).__name__}")
        if not math.isfinite(self.law.second_moment):
            raise GameParameterError("the service law must have a finite second moment")
        if not self.rho < 1:
            raise GameParameterError(f"`rho` = K lam E[X]/2 must be < 1 for a stable system; got rho = {self.rho:g}")

    @classmethod
    def at_load(cls, K: int, rho: float, law: ServiceLaw | None = None) -> RouterModel:
        """The model whose per-server load is ``rho``: ``lam = 2 rho/(K E[X])`` (exponential rate 1 by default)."""
        law = ServiceLaw.exponential(1.0) if law is None else law
        rho = check_real("rho", rho, low=0, high=1, low_open=True, high_open=True)
        if not isinstance(law, ServiceLaw):
            raise GameTypeError(f"`law` must be an analytic.ServiceLaw; got {type(law).__name__}")
        if isinstance(K, bool) or not isinstance(K, int) or K not in KS:
            raise GameParameterError(f"`K` must be one of {KS}; got {K!r}")
        return cls(K, 2.0 * rho / (K * law.mean), law)

    @property
    def rho(self) -> float:
        return self.K * self.lam * self.law.mean / 2.0

    @property
    def kappa(self) -> float:
        return self.lam / (2.0 * (1.0 - self.rho))

    @property
    def W_split(self) -> float:
        return self.K * self.lam * self.law.second_moment / (4.0 * (1.0 - self.rho))

    @property
    def mean_cost(self) -> float:
        return self.kappa * self.law.mean**2 + self.law.mean / self.K

    @property
    def W_bunch(self) -> float:
        return self.W_split + math.comb(self.K, 2) * self.mean_cost

    @property
    def W_independent(self) -> float:
        """``W_q`` of independent fair coins (every pair correlation 0)."""
        return self.W_split + math.comb(self.K, 2) * self.mean_cost / 2.0

    def pair_matrix(self, nu: float) -> NDArray[np.float64]:
        """``A(nu)``: the pair kernel ``2^(1-K) - nu c_K(x, y)/2 = [1, x] A [1, y]^T``.

        >>> RouterModel(2, 0.5, ServiceLaw.exponential(1.0)).pair_matrix(2.0).tolist()   # M(nu)/2 of two routers
        [[0.5, -0.25], [-0.25, -0.5]]
        """
        nu = check_real("nu", nu, low=0)
        return np.array([[2.0 ** (1 - self.K), -nu / (4.0 * self.K)], [-nu / (4.0 * self.K), -nu * self.kappa / 2.0]])

    def bin_moments(self, N: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """``(P(bin), E[X; bin])`` of ``N`` equiprobable bins of ``a = F(x)``.

        >>> p, e = RouterModel(3, 0.4, ServiceLaw.exponential(1.0)).bin_moments(2)
        >>> p.tolist(), [round(float(v), 12) for v in e]     # E[X; X < ln 2] = (1 - ln 2)/2
        ([0.5, 0.5], [0.15342640972, 0.84657359028])
        """
        N = check_int("N", N, low=1, high=4096)
        u = np.arange(N + 1) / N
        if self.law.is_exponential:
            with np.errstate(divide="ignore", invalid="ignore"):
                G = np.where(u < 1, ((1 - u) * np.log1p(-np.minimum(u, 1 - 1e-300)) + u), 1.0) / self.law.mu
            return np.full(N, 1.0 / N), np.diff(G)
        with np.errstate(divide="ignore"):
            x = np.asarray(self.law.ppf(u), dtype=float)
        x[-1] = math.inf
        return np.full(N, 1.0 / N), np.array([self.law.partial_mean(x[i], x[i + 1]) for i in range(N)])

    def bin_cost(self, N: int) -> NDArray[np.float64]:
        """``E[c_K(X, Y); X in bin x, Y in bin y]`` (independent inputs)."""
        p, e = self.bin_moments(N)
        return self.kappa * np.outer(e, e) + (np.outer(e, p) + np.outer(p, e)) / (2.0 * self.K)

    # ---------------------------------------------------------------- strategy values (bins)
    def _bin_correlators(self, correlators: Mapping[tuple[int, ...], Any], N: int, terms: Sequence[tuple[int, ...]]) -> dict[tuple[int, ...], NDArray[np.float64]]:
        out = {}
        for S in terms:
            if S not in correlators:
                raise GameParameterError(f"`correlators` lacks term {S}")
            C = np.asarray(correlators[S], dtype=float)
            if C.shape != (N,) * len(S) or not np.all(np.abs(C) <= 1 + 1e-12):
                raise GameParameterError(f"correlators of term {S} must have shape {(N,) * len(S)} and entries in [-1, 1]; got shape {C.shape}")
            out[S] = C
        return out

    def same_server_probability(self, correlators: Mapping[tuple[int, ...], Any], N: int) -> float:
        """``P(all on one server)`` of a strategy given by its bin correlators ``E[o_S | x_S]`` (every even term).

        >>> m = RouterModel(3, 0.4, ServiceLaw.exponential(1.0))
        >>> m.same_server_probability({S: np.zeros((2, 2)) for S in even_terms(3)}, 2)   # independent coins
        0.25
        """
        N = check_int("N", N, low=1, high=4096)
        C = self._bin_correlators(correlators, N, even_terms(self.K))
        return 2.0 ** (1 - self.K) * (1.0 + sum(float(c.sum()) / N ** len(S) for S, c in C.items()))

    def split_probability(self, correlators: Mapping[tuple[int, ...], Any], N: int) -> float:
        """``p_split = 1 - P(all on one server)``."""
        return 1.0 - self.same_server_probability(correlators, N)

    def waiting_time(self, correlators: Mapping[tuple[int, ...], Any], N: int) -> float:
        """``W_q`` per customer of a strategy given by its pair bin correlators ``E[o_i o_j | x_i, x_j]``.

        >>> m = RouterModel(3, 0.4, ServiceLaw.exponential(1.0))
        >>> round(m.waiting_time({S: np.zeros((4, 4)) for S in [(0, 1), (0, 2), (1, 2)]}, 4) - m.W_independent, 12)
        0.0
        """
        N = check_int("N", N, low=1, high=4096)
        C = self._bin_correlators(correlators, N, list(itertools.combinations(range(self.K), 2)))
        cost = self.bin_cost(N)
        return self.W_split + sum(float(np.sum(cost * (1.0 + c) / 2.0)) for c in C.values())

    # ---------------------------------------------------------------- product strategies (moment vectors)
    def moment_values(self, U: Any) -> tuple[float, float]:
        """``(P(all on one server), W_q)`` of deterministic local routers with moment vectors ``U[i] = (E[o_i], E[X o_i])``.

        Independent inputs make every correlator a product:
        ``E[o_i o_j c_K] = kappa U_i1 U_j1 + (U_i1 U_j0 + U_i0 U_j1)/(2K)``.

        >>> m = RouterModel(3, 0.4, ServiceLaw.exponential(1.0))
        >>> ps, wq = m.moment_values([[1.0, 1.0]] * 3)      # every router always +1: all on one server
        >>> ps, round(wq - m.W_bunch, 12)
        (1.0, 0.0)
        """
        U = np.asarray(U, dtype=float)
        if U.shape != (self.K, 2):
            raise GameParameterError(f"`U` must have shape ({self.K}, 2) (E[o], E[X o] per router); got {U.shape}")
        ps = 2.0 ** (1 - self.K) * (1.0 + sum(float(np.prod(U[list(S), 0])) for S in even_terms(self.K)))
        wq = self.W_split
        for i, j in itertools.combinations(range(self.K), 2):
            wq += (self.mean_cost + self.kappa * U[i, 1] * U[j, 1] + (U[i, 1] * U[j, 0] + U[i, 0] * U[j, 1]) / (2.0 * self.K)) / 2.0
        return float(ps), float(wq)

    def describe(self) -> dict[str, Any]:
        return {"K": self.K, "lam": self.lam, **self.law.describe(), "rho": self.rho, "W_split": self.W_split,
                "W_bunch": self.W_bunch, "order": "random"}


def threshold_moments(law: ServiceLaw, u: Any, orient: Any = 1) -> NDArray[np.float64]:
    """``(E[o], E[X o])`` of the threshold router ``o = orient`` if ``F(X) <= u`` else ``-orient`` (vectorised).

    >>> threshold_moments(ServiceLaw.exponential(1.0), [0.0, 1.0]).tolist()   # always -1, always +1
    [[-1.0, -1.0], [1.0, 1.0]]
    """
    u = np.clip(np.asarray(u, dtype=float), 0.0, 1.0)
    s = np.broadcast_to(np.asarray(orient, dtype=float), u.shape)
    m1 = law.mean
    if law.is_exponential:
        with np.errstate(divide="ignore", invalid="ignore"):
            tail = np.where(u < 1, (1 - u) * (1.0 - np.log1p(-np.minimum(u, 1.0))), 0.0) / law.mu   # E[X; F(X) > u]
    else:
        with np.errstate(divide="ignore"):
            t = np.asarray(law.ppf(u), dtype=float)
        t = np.where(u >= 1, np.inf, np.where(u <= 0, 0.0, t))
        if law.has_closed_forms:
            tail = np.where(np.isinf(t), 0.0, np.asarray(law.tail_moments(np.where(np.isinf(t), 0.0, t))[1], dtype=float))
        else:
            tail = np.array([law.partial_mean(float(tt), math.inf) if np.isfinite(tt) else 0.0 for tt in np.ravel(t)]).reshape(t.shape)
    return np.stack([s * (2 * u - 1), s * (m1 - 2 * tail)], axis=-1)


# ---------------------------------------------------------------------- the N-bin Lagrangian game
def _game_parts(model: RouterModel, W_limit: float, nu: float) -> tuple[float, float]:
    W_limit = check_real("W_limit", W_limit, low=0)
    nu = check_real("nu", nu, low=0)
    return W_limit, nu


def lagrangian_game(model: RouterModel, W_limit: float, nu: float, N: int) -> CorrelatorGame:
    """``P(all on one server) + nu (W_limit - W_q)`` on ``N`` bins per router, a K-party correlator game.

    Terms: every pair with ``W[x, y] = E[(2^(1-K) - nu c_K(X, Y)/2); bins]``;
    for ``K = 4`` the four-body term with constant weight ``P(bins)/8``.
    Constant: ``nu (W_limit - W_0) + 2^(1-K) - (nu/2) C(K, 2) E[c_K]``.  The
    uniform law's game carries exact weights when ``lam``, ``W_limit`` and ``nu``
    are given (their float values are read as exact binary rationals).

    >>> m = RouterModel(2, 0.6, ServiceLaw.exponential(1.0))
    >>> g = lagrangian_game(m, 1.65, 0.4, 3)
    >>> round(g.deterministic_value([np.array([1, 1, 1])] * 2), 12)    # always bunch: 1 + nu (W_l - W_bunch)
    0.56
    """
    if not isinstance(model, RouterModel):
        raise GameTypeError(f"`model` must be a games.routers.RouterModel; got {type(model).__name__}")
    W_limit, nu = _game_parts(model, W_limit, nu)
    N = check_int("N", N, low=1, high=4096)
    K = model.K
    if N ** max(len(S) for S in even_terms(K)) > MAX_CELLS:
        raise GameParameterError(f"`N` = {N} gives more than {MAX_CELLS} weights for the {K}-body term; use N <= {int(MAX_CELLS ** (1 / K))}")
    p, _e = model.bin_moments(N)
    pair = 2.0 ** (1 - K) * np.outer(p, p) - nu * model.bin_cost(N) / 2.0
    pair = (pair + pair.T) / 2.0
    terms: dict[tuple[int, ...], NDArray[np.float64]] = {S: pair for S in itertools.combinations(range(K), 2)}
    for S in even_terms(K):
        if len(S) >= 4:
            terms[S] = np.full((N,) * len(S), 2.0 ** (1 - K) / N ** len(S))
    constant = nu * (W_limit - model.W_split) + 2.0 ** (1 - K) - nu / 2.0 * math.comb(K, 2) * model.mean_cost
    quantity = f"P(all on one server) + nu (W_limit - W_q), K = {K}, nu = {nu:g}, W_limit = {W_limit:g}"
    exact_terms = exact_constant = None
    if _law_kind(model.law) == "uniform":
        rw = rational_weights(model, W_limit, nu, N)
        exact_terms, exact_constant = rw.terms, rw.constant
    return CorrelatorGame(K, N, terms, constant=constant, quantity=quantity, exact_terms=exact_terms, exact_constant=exact_constant)


@dataclass(frozen=True)
class RationalWeights:
    """Rational weights of :func:`lagrangian_game` and a bound on their distance to the true ones.

    For every strategy (correlators in ``[-1, 1]``) the game value computed from
    ``terms`` and ``constant`` differs from the true value by at most ``error``
    (``0`` when the weights are exact: the uniform law).  ``terms`` are flat
    tuples in C order, as :attr:`CorrelatorGame.exact_terms`.
    """

    terms: Mapping[tuple[int, ...], tuple[Fraction, ...]]
    constant: Fraction
    error: Fraction


def _exact_moments(model: RouterModel) -> tuple[Fraction, Fraction]:
    kind = _law_kind(model.law)
    if kind == "exponential":
        mu = Fraction(float(model.law.mu or 1.0))
        return 1 / mu, 2 / mu**2
    if kind == "uniform":
        return Fraction(1), Fraction(4, 3)
    raise GameParameterError(f"exact weights need the exponential or the uniform law; got {model.law.describe()}")


def rational_weights(model: RouterModel, W_limit: float, nu: float, N: int, *, prec: int = 160) -> RationalWeights:
    """Rational weights of the N-bin Lagrangian game (exponential: arb enclosures; uniform: exact).

    ``lam``, ``W_limit``, ``nu`` and the exponential rate are read as exact
    binary rationals.  Exponential: the bin means ``(G(u_{k+1}) - G(u_k))``,
    ``G(a) = ((1 - a) ln(1 - a) + a)/mu``, are enclosed in arb balls; each weight
    is the midpoint of its ball and ``error`` sums the radii over every term.

    >>> from analytic.laws.service import ServiceLaw
    >>> m = RouterModel(3, 0.4, ServiceLaw.named("uniform"))
    >>> rw = rational_weights(m, 2.5, 0.5, 2)
    >>> rw.error, len(rw.terms[(0, 1)])
    (Fraction(0, 1), 4)
    """
    W_limit, nu = _game_parts(model, W_limit, nu)
    N = check_int("N", N, low=1, high=4096)
    K = model.K
    m1, m2 = _exact_moments(model)
    lam, Wl, nuq = Fraction(model.lam), Fraction(W_limit), Fraction(nu)
    rho = K * lam * m1 / 2
    kappa = lam / (2 * (1 - rho))
    W0 = K * lam * m2 / (4 * (1 - rho))
    mean_cost = kappa * m1**2 + m1 / K
    half = Fraction(1, 2 ** (K - 1))
    constant = nuq * (Wl - W0) + half - nuq / 2 * math.comb(K, 2) * mean_cost
    p = Fraction(1, N)
    error = Fraction(0)
    if _law_kind(model.law) == "uniform":
        e = [Fraction(2 * k + 1, N * N) for k in range(N)]
        flat = tuple(half * p * p - nuq / 2 * (kappa * e[x] * e[y] + (e[x] + e[y]) * p / (2 * K)) for x in range(N) for y in range(N))
    else:
        import flint

        old = flint.ctx.prec
        flint.ctx.prec = prec
        try:
            mu_q = Fraction(float(model.law.mu or 1.0))
            mu = flint.arb(mu_q.numerator) / mu_q.denominator

            def G(k: int) -> Any:
                if k == N:
                    return 1 / mu
                a = flint.arb(k) / N
                return ((1 - a) * (1 - a).log() + a) / mu if k > 0 else flint.arb(0)

            g = [G(k) for k in range(N + 1)]
            e_arb = [g[k + 1] - g[k] for k in range(N)]
            kap = flint.arb(kappa.numerator) / kappa.denominator
            nu_a = flint.arb(nuq.numerator) / nuq.denominator
            half_a, p_a = flint.arb(half.numerator) / half.denominator, flint.arb(1) / N
            vals = []
            for x in range(N):
                for y in range(N):
                    w = half_a * p_a * p_a - nu_a / 2 * (kap * e_arb[x] * e_arb[y] + (e_arb[x] + e_arb[y]) * p_a / (2 * K))
                    vals.append(_mid_fraction(w))
                    error += _rad_fraction(w)
            flat = tuple(vals)
            error *= math.comb(K, 2)
        finally:
            flint.ctx.prec = old
    terms: dict[tuple[int, ...], tuple[Fraction, ...]] = {S: flat for S in itertools.combinations(range(K), 2)}
    for S in even_terms(K):
        if len(S) >= 4:
            terms[S] = (half * p ** len(S),) * N ** len(S)
    return RationalWeights(terms, constant, error)


def _mid_fraction(x: Any) -> Fraction:
    m, e = x.mid().man_exp()
    return Fraction(int(m)) * (Fraction(2) ** int(e))


def _rad_fraction(x: Any) -> Fraction:
    m, e = x.rad().man_exp()
    return Fraction(int(m)) * (Fraction(2) ** int(e))


# ---------------------------------------------------------------------- the ideal class on bins
def ideal_game_value(game: CorrelatorGame, probabilities: Any = None) -> tuple[float, NDArray[np.int8]]:
    """The ideal class's value (players that see every input): the pointwise optimum over sign patterns.

    ``probabilities`` are the input-bin probabilities of every player (default
    equiprobable): a term's weight ``W_S`` carries only its own players'
    probabilities, so the joint weight of an input tuple is ``W_S[x_S]`` times
    the other players'.  Returns the value and the optimal sign pattern per
    input tuple (shape ``(N,) * K + (K,)``).

    >>> m = RouterModel(3, 0.4, ServiceLaw.exponential(1.0))
    >>> v, pat = ideal_game_value(lagrangian_game(m, 4.0, 0.0, 2))     # nu = 0: everyone on one server
    >>> round(v, 12), int(np.abs(pat.sum(axis=-1)).min())
    (1.0, 3)
    """
    if not isinstance(game, CorrelatorGame):
        raise GameTypeError(f"`game` must be a games.CorrelatorGame; got {type(game).__name__}")
    K, N = game.K, game.N
    if N**K > MAX_CELLS:
        raise GameParameterError(f"the ideal class enumerates N^K = {N**K} input tuples; at most {MAX_CELLS}")
    q = np.full(N, 1.0 / N) if probabilities is None else np.asarray(probabilities, dtype=float)
    if q.shape != (N,) or np.any(q < 0) or not math.isclose(float(q.sum()), 1.0, rel_tol=1e-12):
        raise GameParameterError(f"`probabilities` must be {N} non-negative numbers summing to 1")
    joint = []
    for S, W in game.terms.items():
        arr = np.asarray(W).reshape([N if i in S else 1 for i in range(K)])
        for i in range(K):
            if i not in S:
                arr = arr * q.reshape([N if j == i else 1 for j in range(K)])
        joint.append((S, np.broadcast_to(arr, (N,) * K)))
    patterns = np.array(list(itertools.product((1, -1), repeat=K)), dtype=np.int8)
    best = np.full((N,) * K, -np.inf)
    arg = np.zeros((N,) * K, dtype=np.int64)
    for idx, o in enumerate(patterns):
        v = sum(float(np.prod(o[list(S)])) * arr for S, arr in joint)
        better = v > best
        best = np.where(better, v, best)
        arg = np.where(better, idx, arg)
    return game.constant + float(best.sum()), patterns[arg]
