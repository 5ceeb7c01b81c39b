"""Independent oracles for the forgery fuzzer: true values computed without the checkers' code paths.

Nothing here imports :mod:`proofs` or :mod:`bounds`.  Every number comes from
scipy (adaptive quadrature, distributions built here from their textbook
formulas), numpy (brute-force enumeration) or cvxpy (Tsirelson's SDP with a
bracket made rigorous up to floating-point rounding by an eigenvalue shift).

Game instances are exact descriptions ``{"type": "hyperbolic", "C": "p/q"}``,
``{"type": "linear", "s": "p/q"}`` or ``{"type": "sum-threshold", "law":
NAME, ["param": "p/q",] "t": "p/q"}``.  In CDF coordinates ``a, b`` (uniform
on ``[0, 1]``) the bunch region is ``b <= phi(a)``.

Error budgets (absolute, on a winning probability): a rectangle's bunch
area is computed to about ``1e-14``; :data:`CELL_ERROR` is the budget used
per cell, so a value summed over ``N^2`` cells is known to ``N^2 *
CELL_ERROR``.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import integrate, optimize, special, stats

#: error budget of one rectangle's bunch area (quadrature in double precision)
CELL_ERROR = 1e-13

_QUAD = {"epsabs": 1e-15, "epsrel": 1e-13, "limit": 400}


class OracleError(ArithmeticError):
    """The oracle cannot vouch for its own accuracy on this instance (the case is skipped, never guessed)."""


#: largest quadrature error estimate (absolute, per integral) the oracle accepts
QUAD_TOLERANCE = 1e-11


def _quad(f: Callable[[float], float], a: float, b: float, points: Sequence[float] = ()) -> float:
    """Adaptive quadrature split at ``points``; raise :class:`OracleError` when the error estimate exceeds :data:`QUAD_TOLERANCE`."""
    if not b > a:
        return 0.0
    pts = sorted(p for p in set(points) if a < p < b)
    edges = [a, *pts, b]
    tot = err = 0.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", integrate.IntegrationWarning)
        for lo, hi in zip(edges, edges[1:]):
            val, e = integrate.quad(f, lo, hi, **_QUAD)
            tot += val
            err += e
    if not err <= QUAD_TOLERANCE:
        raise OracleError(f"quadrature error estimate {err:.3g} on [{a}, {b}]")
    return tot


# --------------------------------------------------------------------------- service laws (mean 1 unless exponential)
class Hyperexp:
    """Two-phase hyperexponential of mean 1 and coefficient of variation ``cv`` (balanced means)."""

    def __init__(self, cv: float) -> None:
        c2 = cv * cv
        w = math.sqrt((c2 - 1) / (c2 + 1))
        self.p = ((1 + w) / 2, (1 - w) / 2)
        self.r = (2 * self.p[0], 2 * self.p[1])

    def pdf(self, x: float) -> float:
        return 0.0 if x < 0 else sum(p * r * math.exp(-r * x) for p, r in zip(self.p, self.r))

    def sf(self, x: float) -> float:
        return 1.0 if x <= 0 else sum(p * math.exp(-r * x) for p, r in zip(self.p, self.r))

    def cdf(self, x: float) -> float:
        return 1.0 - self.sf(x) if x > 0 else 0.0

    def ppf(self, u: float) -> float:
        if u <= 0:
            return 0.0
        if u >= 1:
            return math.inf
        hi = 1.0
        while self.cdf(hi) < u:
            hi *= 2
        return optimize.brentq(lambda x: self.cdf(x) - u, 0.0, hi, xtol=1e-300, rtol=1e-15, maxiter=500)

    def moment(self, k: int) -> float:
        return sum(p * math.factorial(k) / r**k for p, r in zip(self.p, self.r))


@dataclass(frozen=True)
class Law:
    """A service law: ``name``, parameter (or None), rate ``mu`` (exponential only; the others have mean 1)."""

    name: str
    param: Fraction | None = None
    mu: Fraction | None = None

    @property
    def dist(self) -> Any:
        return _dist(self.name, None if self.param is None else float(self.param), None if self.mu is None else float(self.mu))

    @property
    def support_end(self) -> float:
        return 2.0 if self.name == "uniform" else math.inf

    def cdf(self, x: float) -> float:
        return 0.0 if x <= 0 else 1.0 - self.sf(x)

    def sf(self, x: float) -> float:
        return 1.0 if x <= 0 else _sf(self.name, self._p, self._mu, x)

    def pdf(self, x: float) -> float:
        return 0.0 if x <= 0 or x > self.support_end else _pdf(self.name, self._p, self._mu, x)

    @property
    def _p(self) -> float:
        return 0.0 if self.param is None else float(self.param)

    @property
    def _mu(self) -> float:
        return 1.0 if self.mu is None else float(self.mu)

    def ppf(self, u: float) -> float:
        return float(self.dist.ppf(u))

    @property
    def m1(self) -> float:
        return float(self.dist.moment(1))

    @property
    def m2(self) -> float:
        return float(self.dist.moment(2))

    def expect(self, g: Callable[[float], float], points: Sequence[float] = ()) -> float:
        """``E[g(X)]`` by adaptive quadrature, split at ``points`` and at the law's quartiles."""
        end = self.support_end
        extra = _quantiles(self)
        pts = [p for p in (*points, *extra) if 0 < p < end and math.isfinite(p)]
        return _quad(lambda x: g(x) * self.pdf(x), 0.0, end, pts)

    def game_params(self) -> dict[str, str]:
        out = {"law": self.name}
        if self.param is not None:
            out["param"] = f"{self.param.numerator}/{self.param.denominator}"
        return out


@lru_cache(maxsize=64)
def _quantiles(law: Law) -> list[float]:
    return [law.ppf(q) for q in (0.01, 0.25, 0.5, 0.75, 0.99)]


def _pdf(name: str, p: float, mu: float, x: float) -> float:
    """Density at ``x > 0`` from the textbook formula (scalar, fast)."""
    if name == "exponential":
        return mu * math.exp(-mu * x)
    if name == "uniform":
        return 0.5
    if name == "gamma":
        return math.exp(p * math.log(p) + (p - 1) * math.log(x) - p * x - math.lgamma(p))
    if name == "hyperexponential":
        return _hyper(p).pdf(x)
    if name == "lognormal":
        z = (math.log(x) + p * p / 2) / p
        return math.exp(-z * z / 2) / (x * p * math.sqrt(2 * math.pi))
    if name == "weibull":
        lam = 1.0 / math.gamma(1.0 + 1.0 / p)
        y = x / lam
        return p / lam * y ** (p - 1) * math.exp(-(y**p))
    if name == "lomax":
        s = p - 1.0
        return p / s * (1 + x / s) ** (-(p + 1))
    raise ValueError(name)


def _sf(name: str, p: float, mu: float, x: float) -> float:
    """Survival function at ``x > 0`` (scalar, fast)."""
    if name == "exponential":
        return math.exp(-mu * x)
    if name == "uniform":
        return max(0.0, 1.0 - x / 2)
    if name == "gamma":
        return float(special.gammaincc(p, p * x))
    if name == "hyperexponential":
        return _hyper(p).sf(x)
    if name == "lognormal":
        return 0.5 * math.erfc((math.log(x) + p * p / 2) / (p * math.sqrt(2)))
    if name == "weibull":
        lam = 1.0 / math.gamma(1.0 + 1.0 / p)
        return math.exp(-((x / lam) ** p))
    if name == "lomax":
        return (1 + x / (p - 1.0)) ** (-p)
    raise ValueError(name)


@lru_cache(maxsize=16)
def _hyper(cv: float) -> Hyperexp:
    return Hyperexp(cv)


@lru_cache(maxsize=64)
def _dist(name: str, p: float | None, mu: float | None) -> Any:
    if name == "exponential":
        return stats.expon(scale=1.0 / (mu if mu is not None else 1.0))
    if name == "uniform":
        return stats.uniform(0.0, 2.0)
    assert p is not None
    if name == "gamma":
        return stats.gamma(p, scale=1.0 / p)
    if name == "hyperexponential":
        return _HyperexpDist(p)
    if name == "lognormal":
        return stats.lognorm(p, scale=math.exp(-p * p / 2.0))
    if name == "weibull":
        return stats.weibull_min(p, scale=1.0 / special.gamma(1.0 + 1.0 / p))
    if name == "lomax":
        return stats.lomax(p, scale=p - 1.0)
    raise ValueError(f"unknown law {name!r}")


class _HyperexpDist(Hyperexp):
    def moment(self, k: int) -> float:  # the scipy name
        return super().moment(k)


# --------------------------------------------------------------------------- games in CDF coordinates
@dataclass(frozen=True)
class Game:
    """An exact game description and its bunch rule."""

    desc: tuple[tuple[str, str], ...]

    @staticmethod
    def of(desc: dict[str, str]) -> Game:
        return Game(tuple(sorted(desc.items())))

    @property
    def d(self) -> dict[str, str]:
        return dict(self.desc)

    @property
    def type(self) -> str:
        return self.d["type"]

    @property
    def law(self) -> Law:
        d = self.d
        return Law(d["law"], Fraction(d["param"]) if "param" in d else None)

    def bunch_area(self, a0: float, a1: float, b0: float, b1: float) -> float:
        """Probability that ``(a, b)`` lies in ``[a0, a1] x [b0, b1]`` and the rule bunches."""
        d = self.d
        if self.type == "hyperbolic":
            C = float(Fraction(d["C"]))
            phi = lambda a: 1.0 - C / (1.0 - a) if a < 1 else -math.inf  # noqa: E731
            return _area_cdf(phi, a0, a1, b0, b1)
        if self.type == "linear":
            s = float(Fraction(d["s"]))
            return _area_cdf(lambda a: s - a, a0, a1, b0, b1)
        return _area_sum_threshold(self, a0, a1, b0, b1)


def _area_cdf(phi: Callable[[float], float], a0: float, a1: float, b0: float, b1: float) -> float:
    """``int_{a0}^{a1} clip(phi(a) - b0, 0, b1 - b0) da`` for a decreasing ``phi``."""

    def cross(level: float) -> float:  # sup {a in [a0, a1] : phi(a) >= level}
        if phi(a0) < level:
            return a0
        if phi(a1) >= level:
            return a1
        return optimize.brentq(lambda a: phi(a) - level, a0, a1, xtol=1e-17, rtol=1e-15, maxiter=500)

    c1, c0 = cross(b1), cross(b0)
    full = (b1 - b0) * (c1 - a0)
    part = _quad(lambda a: min(max(phi(a) - b0, 0.0), b1 - b0), c1, c0)
    return full + part


def _area_sum_threshold(game: Game, a0: float, a1: float, b0: float, b1: float) -> float:
    """Bunch probability of the rectangle for ``X1 + X2 <= t``, integrated in service-time coordinates."""
    law = game.law
    t = float(Fraction(game.d["t"]))
    x0, x1 = law.ppf(a0) if a0 > 0 else 0.0, law.ppf(a1) if a1 < 1 else law.support_end
    y0 = law.ppf(b0) if b0 > 0 else 0.0
    y1 = law.ppf(b1) if b1 < 1 else law.support_end
    # in [x0, x1]: the column [y0, y1] is fully bunch for x <= t - y1, crossed up to t - y0
    lo = min(max(t - y1, x0), x1)
    hi = min(max(t - y0, x0), x1)
    full = (b1 - b0) * (law.cdf(lo) - a0) if lo > x0 else 0.0
    part = _quad(lambda x: (min(law.cdf(t - x), b1) - b0) * law.pdf(x), lo, hi)
    return full + part


@lru_cache(maxsize=256)
def _cells(game: Game, n: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    area = np.empty((n, n))
    for i in range(n):
        for j in range(n):
            area[i, j] = game.bunch_area(i / n, (i + 1) / n, j / n, (j + 1) / n)
    return 2 * area - 1.0 / (n * n), area


def cell_matrix(desc: dict[str, str], n: int) -> NDArray[np.float64]:
    """``M_ij = int_cell (bunch ? 1 : -1)`` (error at most :data:`CELL_ERROR` per cell)."""
    return _cells(Game.of(desc), n)[0].copy()


def crossed_mask(desc: dict[str, str], n: int, tol: float = 1e-12) -> NDArray[np.bool_]:
    """Cells the boundary crosses (bunch area strictly between 0 and the cell's area)."""
    area = _cells(Game.of(desc), n)[1]
    return (area > tol) & (area < 1.0 / (n * n) - tol)


def rectangle_value(desc: dict[str, str], a: tuple[float, float], b: tuple[float, float]) -> float:
    """``int over the rectangle of (bunch ? 1 : -1)``."""
    area = Game.of(desc).bunch_area(a[0], a[1], b[0], b[1])
    return 2 * area - (a[1] - a[0]) * (b[1] - b[0])


# --------------------------------------------------------------------------- classical values
def step_value(m: NDArray[np.float64], g: Sequence[int], h: Sequence[int]) -> float:
    """Winning probability ``1/2 + 1/2 g^T M h`` of a step strategy."""
    return 0.5 + 0.5 * float(np.asarray(g, float) @ m @ np.asarray(h, float))


def classical_optimum(m: NDArray[np.float64]) -> tuple[float, list[int], list[int]]:
    """Exact N-bin classical value by enumerating every ``g`` (``h`` is then the best response)."""
    n = m.shape[0]
    best, arg = -math.inf, None
    for g in itertools.product((1, -1), repeat=n):
        if g[0] != 1:  # (g, h) -> (-g, -h)
            continue
        col = np.asarray(g, float) @ m
        v = float(np.abs(col).sum())
        if v > best:
            best, arg = v, (list(g), [1 if c >= 0 else -1 for c in col])
    assert arg is not None
    return 0.5 + 0.5 * best, arg[0], arg[1]


def threshold_value(desc: dict[str, str], a_sw: Sequence[Fraction], a_start: int, b_sw: Sequence[Fraction], b_start: int) -> float:
    """Continuum value of step strategies switching sign at the given points (start sign at 0)."""

    def pieces(sw: Sequence[Fraction], start: int) -> list[tuple[float, float, int]]:
        edges = [0.0, *(float(x) for x in sw), 1.0]
        out, s = [], start
        for lo, hi in zip(edges, edges[1:]):
            if hi > lo:
                out.append((lo, hi, s))
            s = -s
        return out

    tot = 0.0
    for a0, a1, sa in pieces(a_sw, a_start):
        for b0, b1, sb in pieces(b_sw, b_start):
            tot += sa * sb * rectangle_value(desc, (a0, a1), (b0, b1))
    return 0.5 + 0.5 * tot


# --------------------------------------------------------------------------- quantum values
def quantum_bracket(m: NDArray[np.float64]) -> tuple[float, float]:
    """``(lower, upper)`` on the N-bin quantum value of cell matrix ``m``.

    Tsirelson's SDP ``max <W, X>``, ``diag X = 1``, ``X >= 0`` with ``W = [[0,
    M/2], [M^T/2, 0]]``, solved by cvxpy (Clarabel).  Lower: the Gram vectors
    of the solution normalised to unit length and evaluated in floating point.
    Upper: the solver's dual ``d`` shifted by ``-lambda_min(diag d - W)``, so
    ``diag d - W >= 0`` up to the eigenvalue solver's rounding (a further
    ``1e-12`` covers it); weak duality gives ``<W, X> <= sum d``.
    """
    import cvxpy as cp

    n = m.shape[0]
    W = np.zeros((2 * n, 2 * n))
    W[:n, n:] = m / 2
    W[n:, :n] = m.T / 2
    X = cp.Variable((2 * n, 2 * n), PSD=True)
    con = cp.diag(X) == 1
    prob = cp.Problem(cp.Maximize(cp.trace(W @ X)), [con])
    prob.solve(solver=cp.CLARABEL, tol_gap_abs=1e-12, tol_gap_rel=1e-12, tol_feas=1e-12)
    Xv = np.asarray(X.value)
    w, V = np.linalg.eigh((Xv + Xv.T) / 2)
    vec = V * np.sqrt(np.clip(w, 0, None))
    vec /= np.linalg.norm(vec, axis=1)[:, None]
    u, v = vec[:n], vec[n:]
    for _ in range(300):  # alternating best responses polish the primal vectors
        u = m @ v
        u /= np.maximum(np.linalg.norm(u, axis=1), 1e-300)[:, None]
        v = m.T @ u
        v /= np.maximum(np.linalg.norm(v, axis=1), 1e-300)[:, None]
    lower = max(0.5 + 0.5 * float(np.sum(m * (vec[:n] @ vec[n:].T))), 0.5 + 0.5 * float(np.sum(m * (u @ v.T))))
    ups = []
    for sign in (1.0, -1.0):
        d = sign * np.asarray(con.dual_value, dtype=float)
        shift = -float(np.linalg.eigvalsh(np.diag(d) - W)[0])
        ups.append(float(np.sum(d)) + 2 * n * (max(shift, 0.0) + 1e-12))
    upper = 0.5 + 0.5 * min(ups)
    return lower, upper


def continuum_quantum_bracket(desc: dict[str, str], grids: Sequence[int]) -> tuple[float, float]:
    """``(lower, upper)`` on the *continuum* quantum value, by two routes independent of lemma Q6.

    Lower: the largest N-bin lower end of :func:`quantum_bracket` over
    ``grids`` (a bin-constant strategy is a continuum strategy).  Upper: the
    crossed-cell relaxation on the finest grid, ``upper_N + sum over crossed
    cells of (1 - rho^2) / (2 N^2)`` (the cell's rule replaced by its mean
    costs at most ``integral |r - rho|``), with the cell error budget added.
    """
    lows, up = [], 1.0
    for n in sorted(set(grids)):
        m = cell_matrix(desc, n)
        lo, hi = quantum_bracket(m)
        lows.append(lo - n * n * CELL_ERROR)
        cr = crossed_mask(desc, n)
        rho = m[cr] * n * n
        up = min(up, hi + n * n * CELL_ERROR + float(np.sum(1.0 - rho**2)) / (2 * n * n) + 1e-12)
    return max(lows), up


def vectors_value(m: NDArray[np.float64], u: NDArray[np.float64], v: NDArray[np.float64]) -> float:
    """``1/2 + 1/2 sum M_ij <u_i, v_j>`` (floating point; vectors as given)."""
    return 0.5 + 0.5 * float(np.sum(m * (u @ v.T)))


def werner_value(m: NDArray[np.float64], sa: NDArray[np.float64], ra: NDArray[np.float64], sb: NDArray[np.float64], rb: NDArray[np.float64], v: float) -> float:
    """Werner value of observables ``s I + r.sigma`` with singlet-sign correlator ``s s' - v r.r'``."""
    e = np.outer(sa, sb) - v * (ra @ rb.T)
    return 0.5 + 0.5 * float(np.sum(m * e))


# --------------------------------------------------------------------------- system level
@dataclass(frozen=True)
class System:
    """Operating point: pair rate ``lam``, service law, waiting-time limit (random order in a bunched pair)."""

    lam: float
    law: Law
    W_limit: float

    @property
    def rho(self) -> float:
        return self.lam * self.law.m1

    @property
    def kappa(self) -> float:
        return self.lam / (2 * (1 - self.rho))

    @property
    def W0(self) -> float:
        """Always-split waiting time (Pollaczek-Khinchine)."""
        return self.lam * self.law.m2 / (2 * (1 - self.rho))

    @property
    def mean_cost(self) -> float:
        return self.kappa * self.law.m1**2 + self.law.m1 / 2


def threshold_moments(law: Law, u: float, sign: int) -> tuple[float, float]:
    """``(E[A], E[A X])`` of ``A = sign * sgn(X - t)``, ``t = F^{-1}(u)``."""
    if u <= 0:
        return float(sign), sign * law.m1
    if u >= 1:
        return -float(sign), -sign * law.m1
    t = law.ppf(u)
    tail = law.expect(lambda x: x if x > t else 0.0, [t])
    return sign * (1 - 2 * u), sign * (2 * tail - law.m1)


def planar_moments(law: Law, p0: Sequence[float], p1: Sequence[float]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """``E[u(X)]``, ``E[X u(X)]`` of the unit vector ``u(x) = (p0 + x p1)/|p0 + x p1|``."""
    p0a, p1a = np.asarray(p0, float), np.asarray(p1, float)
    a2 = float(p1a @ p1a)
    xs = -float(p0a @ p1a) / a2
    width = abs(p0a[0] * p1a[1] - p0a[1] * p1a[0]) / a2
    pts = [xs + k * width for k in (-64, -16, -4, -1, 0, 1, 4, 16, 64)]
    out0, out1 = np.empty(2), np.empty(2)

    def comp(c: int, j: int) -> Callable[[float], float]:
        return lambda x: x**j * (p0a[c] + x * p1a[c]) / math.hypot(p0a[0] + x * p1a[0], p0a[1] + x * p1a[1])

    for c in range(2):
        out0[c] = law.expect(comp(c, 0), pts)
        out1[c] = law.expect(comp(c, 1), pts)
    return out0, out1


def pair_bunch_cost(sys: System, a: dict[str, Any], b: dict[str, Any], vis: float) -> tuple[float, float]:
    """``(P(bunch), E[beta c])`` of one router pair; ``c = kappa X1 X2 + (X1 + X2)/4`` (``W_q = W_0 + E[beta c]``)."""

    def mom(r: dict[str, Any]) -> tuple[Any, Any, bool]:
        if "u" in r:
            e0, e1 = threshold_moments(sys.law, float(Fraction(r["u"])), int(r["sign"]))
            return e0, e1, True
        U0, U1 = planar_moments(sys.law, [float(Fraction(x)) for x in r["p0"]], [float(Fraction(x)) for x in r["p1"]])
        return U0, U1, False

    A0, A1, ca = mom(a)
    B0, B1, cb = mom(b)
    if ca and cb:
        e00, e11, e10, e01 = A0 * B0, A1 * B1, A1 * B0, A0 * B1
    else:
        if ca or cb:
            raise ValueError("mixed threshold / planar pairs are not generated")
        e00, e11, e10, e01 = (vis * float(P @ Q) for P, Q in ((A0, B0), (A1, B1), (A1, B0), (A0, B1)))
    bunch = (1 + e00) / 2
    cost = (sys.mean_cost + sys.kappa * e11 + (e10 + e01) / 4) / 2
    return bunch, cost


def mixture_split_and_wait(sys: System, components: Sequence[dict[str, Any]], vis: float) -> tuple[float, float]:
    """``(p_split, W_q)`` of a mixture of router pairs (weights as exact rationals)."""
    bunch = cost = 0.0
    for comp in components:
        w = float(Fraction(comp["weight"]))
        if w == 0:
            continue
        b, c = pair_bunch_cost(sys, comp["a"], comp["b"], vis)
        bunch += w * b
        cost += w * c
    return 1 - bunch, sys.W0 + cost


def feasible_split_upper(sys: System, components: Sequence[dict[str, Any]], vis: float) -> float:
    """An upper bound on the optimal ``p_split``: the mixture, diluted with always-split until it meets ``W_limit``.

    Always split has ``W_q = W_0``; mixing weight ``w`` on the strategy gives
    ``W_q = W_0 + w cost`` and ``p_split = 1 - w P(bunch)``.
    """
    p, wq = mixture_split_and_wait(sys, components, vis)
    cost = wq - sys.W0
    budget = sys.W_limit - sys.W0
    w = 1.0 if cost <= budget else max(0.0, budget / cost)
    return 1 - w * (1 - p)


# --------------------------------------------------------------------------- finite XOR games (any shape)
def xor_classical_value(m: NDArray[np.float64]) -> float:
    """Classical value ``1/2 + 1/2 max_{a, b} a^T M b`` of a rectangular bias matrix, by plain enumeration of Alice's signs."""
    best = -math.inf
    for a in itertools.product((1.0, -1.0), repeat=m.shape[0]):
        best = max(best, float(np.abs(np.asarray(a) @ m).sum()))
    return 0.5 + 0.5 * best


def xor_quantum_bracket(m: NDArray[np.float64]) -> tuple[float, float]:
    """``(lower, upper)`` on the quantum value of a rectangular bias matrix (zero-padded to a square for :func:`quantum_bracket`)."""
    k = max(m.shape)
    sq = np.zeros((k, k))
    sq[: m.shape[0], : m.shape[1]] = m
    if k <= 12:
        return quantum_bracket(sq)
    return xor_quantum_lower(m), 1.0


def xor_quantum_lower(m: NDArray[np.float64], restarts: int = 6, seed: int = 12345) -> float:
    """A lower bound on the quantum value: unit vectors of dimension ``rows + cols`` from random starts, improved by
    alternating exact best responses (``u_x = (M V)_x / |(M V)_x|``), evaluated in floating point (cvxpy is slow here)."""
    rng = np.random.default_rng(seed)
    best = -math.inf
    d = sum(m.shape)
    for _ in range(restarts):
        v = rng.standard_normal((m.shape[1], d))
        v /= np.linalg.norm(v, axis=1)[:, None]
        for _ in range(2000):
            u = m @ v
            u /= np.maximum(np.linalg.norm(u, axis=1), 1e-300)[:, None]
            v = m.T @ u
            v /= np.maximum(np.linalg.norm(v, axis=1), 1e-300)[:, None]
        best = max(best, 0.5 + 0.5 * float(np.sum(m * (u @ v.T))))
    return best


# --------------------------------------------------------------------------- K-party correlator games
def correlator_terms(cert: dict[str, Any]) -> tuple[dict[tuple[int, ...], NDArray[np.float64]], float, int, int]:
    """Float weights, constant, K and N of a ``multiparty-*`` certificate (read from its fields, no checker code)."""
    K, N = int(cert["game"]["K"]), int(cert["game"]["N"])
    den = cert["denominator"]
    W = {tuple(t["players"]): np.array(t["weights"], dtype=float).reshape((N,) * len(t["players"])) / den for t in cert["terms"]}
    return W, cert["constant"] / den, K, N


def correlator_classical_value(W: dict[tuple[int, ...], NDArray[np.float64]], const: float, K: int, N: int) -> float:
    """Classical value by plain enumeration of every deterministic strategy of every player (small K N only)."""
    best = -math.inf
    for bits in itertools.product((1.0, -1.0), repeat=K * N):
        s = np.array(bits).reshape(K, N)
        v = const
        for S, w in W.items():
            t = w
            for i in reversed(S):
                t = t @ s[i]
            v += float(t)
        best = max(best, v)
    return best


def correlator_strategy_value(cert: dict[str, Any]) -> float:
    """Value of a ``multiparty-quantum-strategy`` certificate with one full numpy density matrix (qubit-by-qubit Kronecker products)."""
    def f(t: Any) -> complex:
        return complex(float(Fraction(t[0])), float(Fraction(t[1]))) if isinstance(t, list) else complex(float(Fraction(t)))

    W, const, K, N = correlator_terms(cert)
    dims, owners = cert["subsystems"], cert["owners"]
    n = len(dims)
    rho, order = np.ones((1, 1), complex), []
    for fac in cert["factors"]:
        rho = np.kron(rho, np.array([[f(t) for t in row] for row in fac["rho"]]))
        order += fac["subsystems"]
    porder = sorted(range(n), key=lambda s: (owners[s], s))  # players' subsystems in turn
    T = rho.reshape([dims[s] for s in order] * 2)
    perm = [order.index(s) for s in porder]
    T = np.transpose(T, perm + [n + k for k in perm]).reshape(int(np.prod(dims)), -1)
    obs = [[np.array([[f(t) for t in row] for row in m]) for m in cert["observables"][i]] for i in range(K)]
    total = const
    for S, w in W.items():
        for x in itertools.product(range(N), repeat=len(S)):
            if w[x] == 0:
                continue
            op = np.eye(1)
            for i in range(K):
                op = np.kron(op, obs[i][x[S.index(i)]] if i in S else np.eye(obs[i][0].shape[0]))
            total += w[x] * float(np.real(np.trace(T @ op)))
    return total
# --------------------------------------------------------------------------- K-party correlator games (NPA levels 1, 1+ab, 1+ab+abc, ...)
def _npa_words(K: int, N: int, level: str) -> list[tuple[tuple[int, int], ...]]:
    """Monomials as tuples of (player, input), players increasing: 1, the letters and products of up to ``depth`` players.

    ``depth`` is 1 for level ``"1"``, 2 for ``"1+ab"``, 3 for ``"1+ab+abc"``, 4 for ``"1+ab+abc+abcd"``.
    """
    depth = {"1": 1, "1+ab": 2, "1+ab+abc": 3, "1+ab+abc+abcd": 4}[level]
    words: list[tuple[tuple[int, int], ...]] = [()]
    for d in range(1, min(depth, K) + 1):
        for S in itertools.combinations(range(K), d):
            words += [tuple(zip(S, x)) for x in itertools.product(range(N), repeat=d)]
    return words


def _npa_moment(u: tuple[tuple[int, int], ...], v: tuple[tuple[int, int], ...]) -> tuple[tuple[int, ...], ...]:
    """The moment of ``u^dagger v``: per player the letters of ``u`` then ``v``, equal neighbours cancelled, up to reversal."""
    per: dict[int, list[int]] = {}
    for p, x in u:
        per.setdefault(p, []).append(x)
    for p, x in v:
        w = per.setdefault(p, [])
        if w and w[-1] == x:
            w.pop()
        else:
            w.append(x)
    word = tuple(tuple([p, *per[p]]) for p in sorted(per) if per[p])
    rev = tuple(tuple([t[0], *reversed(t[1:])]) for t in word)
    return min(word, rev)


def npa_primal_value(K: int, N: int, terms: dict[tuple[int, ...], NDArray[np.float64]], constant: float, level: str) -> float:
    """The NPA value of a correlator game from the primal moment matrix (plain cvxpy, Clarabel), built word by word.

    Independent of :mod:`proofs.exact.npa_moments` and :mod:`bounds.npa_multiparty`: monomials are
    tuples, moments are reduced by list operations, and the primal (not the dual) is solved.
    Accurate to the interior-point tolerance (about 1e-8); callers add a margin.
    """
    import cvxpy as cp

    words = _npa_words(K, N, level)
    n = len(words)
    ids: dict[Any, int] = {}
    lab = np.zeros((n, n), dtype=np.int64)
    for a, u in enumerate(words):
        for b, v in enumerate(words):
            lab[a, b] = ids.setdefault(_npa_moment(u, v), len(ids))
    g = cp.Variable((n, n), symmetric=True)
    cons = [g >> 0]
    first: dict[int, tuple[int, int]] = {}
    for a in range(n):
        for b in range(a, n):
            m = int(lab[a, b])
            if m == int(lab[0, 0]):
                cons.append(g[a, b] == 1)
            elif m in first:
                cons.append(g[a, b] == g[first[m]])
            else:
                first[m] = (a, b)
    obj = constant
    for S, W in terms.items():
        for x in itertools.product(range(N), repeat=len(S)):
            if W[x] == 0:
                continue
            word = tuple(zip(S, x))
            m: int | None = ids.get(_npa_moment((), word)) if len(S) <= level.count("+") + 1 else None
            if m is None or m not in first:
                # a term of three or four players: <(A B) (C D)> with the first two letters on the left
                m = ids.get(_npa_moment(word[:2], word[2:]))
            if m is None or m not in first:
                raise OracleError(f"term {S} is not a moment of level {level}")
            obj = obj + float(W[x]) * g[first[m]]
    prob = cp.Problem(cp.Maximize(obj), cons)
    prob.solve(solver=cp.CLARABEL)
    if prob.status != cp.OPTIMAL:
        raise OracleError(f"NPA primal: solver status {prob.status}")
    return float(prob.value)



def _slot_cdf(law: tuple[str, float], x: NDArray[np.float64]) -> NDArray[np.float64]:
    """CDF of the service law: ``("exponential", mu)`` or ``("hyperexponential", cv)`` (mean 1, balanced means)."""
    name, v = law
    if name == "exponential":
        return -np.expm1(-v * x)
    p1 = (1 + math.sqrt((v * v - 1) / (v * v + 1))) / 2
    return 1 - p1 * np.exp(-2 * p1 * x) - (1 - p1) * np.exp(-2 * (1 - p1) * x)


def _compound_poisson(rate: float, f: NDArray[np.float64], size: int) -> NDArray[np.float64]:
    """Panjer recursion: the pmf of a Poisson(``rate``) sum of i.i.d. lattice variables with pmf ``f`` (``f[0]`` allowed)."""
    g = np.zeros(size)
    g[0] = math.exp(-rate * (1 - f[0]))
    jf = np.arange(f.size) * f
    c = 1 / (1 - 0 * f[0])
    for k in range(1, size):
        j = np.arange(1, min(k, f.size - 1) + 1)
        g[k] = c * rate / k * float(jf[j] @ g[k - j])
    return g


def _slot_chains(lam_a: float, lam_b: float, law: tuple[str, float], tau: float, p_bunch: float, cell: float,
                 tol: float) -> list[tuple[NDArray[np.float64], list[NDArray[np.float64]], list[float]]]:
    """Per lattice side (``S-``, then ``S+``): the slot-work pmf, the two Lindley chains' final pmfs (from 0, from high), their means."""
    m = round(tau / cell)
    if abs(m * cell - tau) > 1e-9 * tau:
        raise OracleError(f"tau = {tau} must be a multiple of the oracle cell {cell}")
    if law[0] == "exponential":
        rmin = law[1]
    else:
        rmin = 1 - math.sqrt((law[1] ** 2 - 1) / (law[1] ** 2 + 1))  # 2 (1 - p1)
    J = int(40 / rmin / cell)  # P(X > J cell) = O(e^{-40})
    edges = np.arange(J + 1) * cell
    F = _slot_cdf(law, edges)
    up = np.zeros(J + 1)
    up[1:] = np.diff(F)  # X+ = j cell
    dn = np.append(up[1:], 0.0)  # X- = X+ - cell
    mean_x = 1 / law[1] if law[0] == "exponential" else 1.0
    res = []
    for f in (dn, up):
        size = 2 * J + int(8 * (lam_a + lam_b) * tau * mean_x / cell)
        wa = _compound_poisson(lam_a * tau, f, size)
        wb = _compound_poisson(lam_b * tau, f, size)
        wab = _compound_poisson((lam_a + lam_b) * tau, f, size)
        s = p_bunch / 2 * wab + (1 - p_bunch) / 2 * (wa + wb)
        s[0] += p_bunch / 2
        s = s / s.sum()
        nz = np.nonzero(s > 1e-300)[0]
        s = s[: nz[-1] + 1]
        kk = np.arange(s.size) - m

        def phi(th: float, s: NDArray[np.float64] = s, kk: NDArray[np.float64] = kk) -> float:
            v = np.log(s[s > 0]) + th * kk[s > 0]
            return float(v.max() + np.log(np.exp(v - v.max()).sum()))

        th = optimize.brentq(phi, 1e-12, 50.0 / m) if phi(50.0 / m) > 0 else 50.0 / m
        K = int(45 / th) + 2 * m
        size = s.size
        nfft = 1 << math.ceil(math.log2(K + size + 1))
        Fs = np.fft.rfft(s, nfft)
        k = np.arange(K + 1)
        means, pmfs = [], []
        for start in (0, int(12 / th)):
            v = np.zeros(K + 1)
            v[start] = 1.0
            prev = -1.0
            for it in range(200_000):
                c = np.clip(np.fft.irfft(np.fft.rfft(v, nfft) * Fs, nfft)[: K + 1 + size], 0.0, None)
                v = np.zeros(K + 1)
                v[0] = c[: m + 1].sum()
                v[1:] = c[m + 1: m + 1 + K]
                v[K] += c[m + 1 + K:].sum()
                if it % 50 == 0:
                    ev = float(k @ v) * cell
                    if abs(ev - prev) < tol * 1e-2:
                        break
                    prev = ev
            means.append(float(k @ v) * cell)
            pmfs.append(v)
        if abs(means[0] - means[1]) > tol:
            raise OracleError(f"the Lindley chains from 0 and from high did not meet: {means}")
        res.append((s, pmfs, means))
    return res


def slotted_wq_constant(lam_a: float, lam_b: float, law: tuple[str, float], tau: float, p_bunch: float, *, cell: float = 0.01,
                        tol: float = 1e-9) -> tuple[float, float]:
    """A bracket of ``W_q`` of the slotted system (lemmas T1-T3) for a constant rule bunching w.p. ``p_bunch``.

    Independent of the project's code paths: server 1's slot work is
    ``W_A + W_B`` w.p. ``p/2``, ``W_A`` or ``W_B`` w.p. ``(1 - p)/2`` each, nothing
    w.p. ``p/2`` (the rule ignores the works).  Each work is rounded to the
    lattice of step ``cell`` per customer (down and up: ``S- <= S <= S+``);
    the compound-Poisson laws come from Panjer's recursion, the Lindley chain
    of ``S-`` runs from 0 and the one of ``S+`` from a high start until the
    two starts of each agree to ``tol`` (FFT).  The within-batch term is the
    closed form ``Z = tau^2 E[X] (lam_a^2 + lam_b^2 + 2 p lam_a lam_b) / 4``.
    The bracket is ``[tau/2 + E[V-] + Z/E[n_1], tau/2 + E[V+] + Z/E[n_1]]``
    widened by ``tol``: exact up to the lattice, floats and the stopping rule.
    """
    res = [0.5 * (means[0] + means[1]) for _, _, means in _slot_chains(lam_a, lam_b, law, tau, p_bunch, cell, tol)]
    mean_x = 1 / law[1] if law[0] == "exponential" else 1.0
    z = tau * tau * mean_x * (lam_a**2 + lam_b**2 + 2 * p_bunch * lam_a * lam_b) / 4
    w = tau / 2 + z / ((lam_a + lam_b) * tau / 2)
    return w + res[0] - tol, w + res[1] + tol


def slotted_tb_constant(lam_a: float, lam_b: float, law: tuple[str, float], tau: float, p_bunch: float, k: float, *, cell: float = 0.01,
                        tol: float = 1e-9) -> tuple[float, float]:
    """A bracket of ``E[T_B]`` (``T(t) = t^k``) of the slotted constant rule, from the chains of :func:`slotted_wq_constant`.

    ``E[T_B] = E[G(V + S)] / tau`` (lemma T5 (b)) with ``G(y) = sum_j q (1 - q)^j
    [T(tau (j + 1) - y) - T(tau j)]`` summed directly (not the checker's
    polynomial form) and ``q = P(S > 0)`` in closed form: server 1 receives
    nothing w.p. ``p/2 + p/2 e^{-(lam_a + lam_b) tau} + (1 - p)/2 (e^{-lam_a tau}
    + e^{-lam_b tau})``.  ``G`` is non-increasing, so ``V- + S-`` (from 0)
    gives the upper end and ``V+ + S+`` (from high) the lower end.
    """
    m = round(tau / cell)
    p0 = p_bunch / 2 * (1 + math.exp(-(lam_a + lam_b) * tau)) + (1 - p_bunch) / 2 * (math.exp(-lam_a * tau) + math.exp(-lam_b * tau))
    q = 1 - p0
    j = np.arange(int(60 / q) + 1, dtype=float)
    pj = q * (1 - q) ** j
    y = np.arange(m) * cell
    G = ((tau * (j[None, :] + 1) - y[:, None]) ** k - (tau * j[None, :]) ** k) @ pj
    out = []
    for (s, pmfs, _), v in zip(_slot_chains(lam_a, lam_b, law, tau, p_bunch, cell, tol), (0, 1)):
        pv = pmfs[v][:m]
        conv = np.convolve(pv, s[:m])[:m]
        out.append(float(conv @ G) / tau)
    return out[1] - tol, out[0] + tol


# --------------------------------------------------------------------------- K routers, ideal class
def routers_ideal_values(K: int, lam: float, mu: float, tau: float) -> tuple[float, float]:
    """``(P(Delta <= tau), E[Delta; Delta <= tau])`` for ``K = 2, 3`` ideal routers, exponential law (scipy; independent of the checker).

    In the sorted service times themselves (not Renyi spacings): ``y1 <= ... <= yK``
    has density ``K! mu^K exp(-mu sum y)``.  ``Delta`` (every pair's cost minus the
    cheapest split: ``0`` for ``K = 2``, the smallest pair cost for ``K = 3``, taken
    numerically as a minimum) is linear and increasing in the largest ``yK``; its
    root ``Delta = tau`` is solved from two evaluations, the ``yK`` integral is
    ``quad``, the remaining one (``K = 2``) or two (``K = 3``) integrals are
    ``quad`` / ``dblquad`` at tolerance 1e-11.
    """
    from scipy import integrate

    rho = K * lam / (2 * mu)
    kap = lam / (2 * (1 - rho))

    def c(x: float, y: float) -> float:
        return kap * x * y + (x + y) / (2 * K)

    def delta(ys: tuple[float, ...], y: float) -> float:
        allc = [c(ys[i], ys[j]) for i in range(len(ys)) for j in range(i + 1, len(ys))] + [c(v, y) for v in ys]
        return sum(allc) - (min(allc) if K == 3 else 0.0)

    def last(ys: tuple[float, ...], which: int) -> float:
        """``E[1{Delta <= tau}]`` (``which = 0``) or ``E[Delta; Delta <= tau]`` over ``yK >= y_{K-1}`` with density ``mu e^{-mu (yK - y_{K-1})}``."""
        lo = ys[-1]
        d0, d1 = delta(ys, lo), delta(ys, lo + 1)
        if d0 > tau:
            return 0.0
        top = lo + (tau - d0) / (d1 - d0)
        if which == 0:
            return 1 - math.exp(-mu * (top - lo))
        return integrate.quad(lambda y: delta(ys, y) * mu * math.exp(-mu * (y - lo)), lo, top, epsabs=1e-14, epsrel=1e-13)[0]

    if K == 2:
        return tuple(integrate.quad(lambda y1, w=w: 2 * mu * math.exp(-2 * mu * y1) * last((y1,), w), 0, 60 / mu, epsabs=1e-13, epsrel=1e-12,  # type: ignore[return-value]
                                    limit=200)[0] for w in (0, 1))
    if K != 3:
        raise OracleError(f"routers_ideal_values: K must be 2 or 3; got {K}")
    # sorted (y1, y2) with y3 >= y2: 6 mu^3 e^{-mu(y1 + y2 + y3)} = 6 mu^2 e^{-mu(y1 + 2 y2)} * mu e^{-mu(y3 - y2)};
    # the (y1, y2) region where some y3 qualifies, {Delta at y3 = y2 <= tau}, has its edges solved by brentq (a smooth integrand inside)
    from scipy.optimize import brentq

    def edge(y1: float) -> float:
        f = lambda y2: delta((y1, y2), y2) - tau  # noqa: E731
        hi = y1 + 1.0
        while f(hi) < 0:
            hi = y1 + 2 * (hi - y1)
        return float(brentq(f, y1, hi, xtol=1e-15, rtol=1e-15))

    y1max = float(brentq(lambda y: delta((y, y), y) - tau, 0.0, 100 * (1 + tau), xtol=1e-15, rtol=1e-15))
    return tuple(integrate.dblquad(lambda y2, y1, w=w: 6 * mu * mu * math.exp(-mu * (y1 + 2 * y2)) * last((y1, y2), w), 0, y1max,  # type: ignore[return-value]
                                   lambda y1: y1, edge, epsabs=1e-12, epsrel=1e-12)[0] for w in (0, 1))
