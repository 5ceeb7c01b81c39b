"""The paper's system problem, solved: the smallest ``p_split`` that meets ``W_q <= W_limit``.

For three classes of routers -- **ideal** (both service times seen),
**classical** (local, shared randomness) and **quantum** (shared entanglement,
local measurements) -- minimise ``p_split`` subject to ``W_q <= W_limit``.
``W_q = W_0 + E[beta c]`` is affine in the bunch probability (random order
inside a bunched pair, :mod:`analytic.waiting`), so by Lagrange duality
(:func:`analytic.system.derive_system_kernel`)

``p_bunch* = min over nu >= 0 of  nu (W_limit - W_0) + V(nu)``,
``V(nu) = E[k]/2 + G(nu)/2``,  ``k = [1, x] M(nu) [1, y]^T``,

with ``G(nu)`` the bias of the XOR game with kernel ``k`` over the class.
Because ``k`` has rank 2 (``proofs/lemmas_system.md``):

* classical: best responses are single thresholds in ``x``, so
  ``G_c(nu) = max over t of h(M b(t))`` -- a one-dimensional search, with
  ``h(w) = E|w0 + w1 X|`` and ``b(t) = (E[B], E[B Y])`` of ``B = sgn(Y - t)``;
* quantum: best responses are qubit XY-plane measurements at the angle of
  ``p0 + x p1`` (turning monotonically with ``x``), found by alternating best
  responses with 2-vectors ``p0, p1`` as the only parameters;
* ideal: ``V(nu) = E[(1 - nu c)^+]``, the cost-threshold rule of
  :mod:`analytic.optimal`.

The dual function ``D(nu) = nu B + V(nu)`` is convex; its minimiser is found
by bisection on the envelope slope ``B - E[beta* c]``, and the attaining
strategy is the mixture (shared coin) of the two maximisers bracketing
``nu*`` that meets ``W_limit`` with equality.  Everything returned here is an
*estimate*; :mod:`bounds.system_certificates` turns the solution into
certificates that :mod:`proofs.checkers.system_dual` and :mod:`proofs.checkers.system_strategy` verify.

Law-generic: every function takes the point's :class:`analytic.ServiceLaw`
(exponential by default; any law with ``E[X^2] < inf``).  The exponential and
the catalogue laws (:meth:`analytic.ServiceLaw.named`) have closed-form tails
and quantiles (fast); a law given only as a scipy distribution uses quadrature.

Hooks for other models
----------------------
* ``visibility`` (quantum): the routers' correlation is ``v <u(x), v(y)>`` --
  a Werner state of visibility ``v`` measured in the XY plane.  ``G`` scales
  by ``v``.  Any other correlation map ``E -> v E`` is the same call.
* :func:`solve_mixture`: a fraction ``f`` of the pairs quantum, the rest
  classical, the routers know which: ``min over nu of nu B + f V_q(nu) +
  (1 - f) V_c(nu)``.

>>> pt = operating_point(0.6, 1.65)
>>> round(pt.W_split, 12), round(pt.W_bunch, 12)
(1.5, 2.75)
>>> c = solve_class(pt, "classical"); q = solve_class(pt, "quantum")
>>> q.p_split < c.p_split
True
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from analytic.laws import ServiceLaw
from bounds.errors import BoundsParameterError, BoundsTypeError, SolverError

__all__ = [
    "ClassSolution",
    "DualValue",
    "MixedStrategy",
    "OperatingPoint",
    "PlanarRouter",
    "RouterPair",
    "SystemInfeasibleError",
    "SystemParameterError",
    "ThresholdRouter",
    "dual_classical",
    "dual_ideal",
    "dual_quantum",
    "ideal_solution",
    "operating_point",
    "solve_class",
    "solve_mixture",
]

MODELS = ("ideal", "classical", "quantum")
_GL_X, _GL_W = np.polynomial.legendre.leggauss(16)


class SystemParameterError(BoundsParameterError):
    """An operating-point parameter is out of range."""


class SystemInfeasibleError(SystemParameterError):
    """``W_limit`` is below the always-split waiting time: no routing meets it."""


def _real(name: str, v: Any, *, low: float | None = None, low_open: bool = False) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)):
        raise BoundsTypeError(f"`{name}` must be a real number; got {v!r}")
    v = float(v)
    if not math.isfinite(v):
        raise SystemParameterError(f"`{name}` must be finite; got {v!r}")
    if low is not None and (v < low or (low_open and v == low)):
        raise SystemParameterError(f"`{name}` must be {'>' if low_open else '>='} {low:g}; got {v!r}")
    return v


@dataclass(frozen=True)
class OperatingPoint:
    """Pair rate ``lam``, service law and waiting-time limit; the constants of the problem.

    Create with :func:`operating_point` (validates).  ``W_split`` is the
    always-split waiting time ``W_0``, ``W_bunch`` the always-bunch one,
    ``budget = W_limit - W_0`` and ``mean_cost = E[c] = W_bunch - W_0``.
    """

    lam: float
    W_limit: float
    law: ServiceLaw

    @property
    def rho(self) -> float:
        return self.lam * self.law.mean

    @property
    def kappa(self) -> float:
        return self.lam / (2.0 * (1.0 - self.rho))

    @property
    def W_split(self) -> float:
        return self.lam * self.law.second_moment / (2.0 * (1.0 - self.rho))

    @property
    def mean_cost(self) -> float:
        return self.kappa * self.law.mean**2 + self.law.mean / 2.0

    @property
    def W_bunch(self) -> float:
        return self.W_split + self.mean_cost

    @property
    def budget(self) -> float:
        return self.W_limit - self.W_split

    def matrix(self, nu: float) -> NDArray[np.float64]:
        """``M(nu) = [[1, -nu/4], [-nu/4, -nu kappa]]``.

        >>> operating_point(0.5, 1.5).matrix(2.0).tolist()   # kappa = 0.5 / (2 * 0.5)
        [[1.0, -0.5], [-0.5, -1.0]]
        """
        return np.array([[1.0, -nu / 4.0], [-nu / 4.0, -nu * self.kappa]])

    def mean_kernel(self, nu: float) -> float:
        """``E[k] = 1 - nu E[c]``."""
        return 1.0 - nu * self.mean_cost

    def describe(self) -> dict[str, Any]:
        return {"lam": self.lam, **self.law.describe(), "rho": self.rho, "W_limit": self.W_limit,
                "W_split": self.W_split, "W_bunch": self.W_bunch, "order": "random"}


def operating_point(lam: float, W_limit: float, *, mu: float | None = None, law: ServiceLaw | None = None) -> OperatingPoint:
    """Validated :class:`OperatingPoint` (exponential law of rate ``mu = 1`` unless ``law`` is given).

    Raises :class:`SystemInfeasibleError` when ``W_limit`` is below the
    always-split waiting time (no class of routers can meet it).

    >>> operating_point(0.6, 1.2)
    Traceback (most recent call last):
    ...
    bounds.system.SystemInfeasibleError: `W_limit` = 1.2 is below the always-split waiting time W_0 = 1.5 (rho = 0.6): infeasible for every class of routers
    >>> operating_point(1.0, 2.0)
    Traceback (most recent call last):
    ...
    bounds.system.SystemParameterError: `rho` = lam * E[X] must be < 1 for a stable system; got rho = 1
    """
    lam = _real("lam", lam, low=0.0, low_open=True)
    W_limit = _real("W_limit", W_limit, low=0.0)
    if law is None:
        law = ServiceLaw.exponential(_real("mu", 1.0 if mu is None else mu, low=0.0, low_open=True))
    elif mu is not None:
        raise SystemParameterError(f"give either `mu` or `law`, not both; got mu = {mu!r}")
    if not isinstance(law, ServiceLaw):
        raise SystemParameterError(f"`law` must be an analytic.ServiceLaw; got {type(law).__name__}")
    if not math.isfinite(law.second_moment):
        raise SystemParameterError("the service law must have a finite second moment")
    rho = lam * law.mean
    if not rho < 1:
        raise SystemParameterError(f"`rho` = lam * E[X] must be < 1 for a stable system; got rho = {rho:g}")
    pt = OperatingPoint(lam, W_limit, law)
    if W_limit < pt.W_split * (1 - 1e-15):
        raise SystemInfeasibleError(
            f"`W_limit` = {W_limit:g} is below the always-split waiting time W_0 = {pt.W_split:.12g} (rho = {rho:g}): infeasible for every class of routers"
        )
    return pt


# --------------------------------------------------------------------------- quadrature

_BASE_CACHE: dict[Any, tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]] = {}


def _panels(law: ServiceLaw, e: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    if law.has_closed_forms and not law.is_exponential:
        # closed-form quantiles, and conditional-mean nodes on the end panels (exact mean of a heavy tail)
        x, _s, w = law.panel_rule(e)
        return x, w
    lo, hi = e[:-1], e[1:]
    a = (((lo + hi)[:, None] + (hi - lo)[:, None] * _GL_X[None, :]) / 2).ravel()
    # the survival probability 1 - a, computed from the panel's upper end to keep its relative accuracy in the tail
    s = ((1.0 - hi)[:, None] + (hi - lo)[:, None] * (1.0 - _GL_X[None, :]) / 2).ravel()
    w = ((hi - lo)[:, None] * _GL_W[None, :] / 2).ravel()
    tail = s < 0.5
    x = np.empty_like(a)
    with np.errstate(divide="ignore"):
        x[~tail] = np.asarray(law.ppf(a[~tail]), dtype=float)
        x[tail] = -np.log(s[tail]) / law.mu if law.is_exponential else np.asarray(law.isf(s[tail]), dtype=float)
    return x, w


def _law_key(law: ServiceLaw) -> Any:
    # a catalogue law by its name; another scipy law by the object itself (hashed by identity), which the
    # cache then keeps alive -- an id() key could be reused by a later law once the first is freed
    if law.is_exponential:
        return ("exp", law.mu)
    return ("spec", law.spec.label) if law.spec is not None else ("dist", law.dist)


def _nodes(law: ServiceLaw, centre: float | None = None, width: float | None = None) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Composite 16-point Gauss-Legendre nodes ``x`` and weights for ``E[g(X)]``.

    Panels in ``a = F(x)``: uniform on ``[0, 1/2]``, geometric towards 1 (the
    tail), and geometric around ``F(centre)`` on the scale ``width`` (a sharp
    turn of a planar measurement) when the turn is sharper than the base panels.
    A zero ``width`` is the degenerate turn of a router whose ``p0`` and ``p1``
    are parallel: its direction is constant on each side of ``centre`` and flips
    there, so ``F(centre)`` becomes a panel edge (the rule then integrates each
    side of the jump as smooth) and no finer panels are needed.
    """
    key = _law_key(law)
    if key not in _BASE_CACHE:
        e = np.unique(np.concatenate([[0.0], 0.5 ** np.arange(4, 50, 1.0), np.linspace(0.0, 0.5, 9), 1.0 - 0.5 ** np.arange(1, 52, 0.5)]))
        if law.has_closed_forms and not law.is_exponential:
            e = np.union1d(e, law.panel_edges())  # refined at a knee of the quantile function
        x, w = _panels(law, e)
        _BASE_CACHE[key] = (e, x, w)
    e, x, w = _BASE_CACHE[key]
    if centre is None or width is None or not (centre > 0) or not (width < 0.05 * (law.mean + centre)):
        return x, w
    # add panels refined geometrically towards the turn, up to the scale R of the law; a zero
    # width (a jump at the centre) needs the edge at the centre only. log2(R) - log2(width)
    # stays finite for a subnormal width (R / width would overflow); offsets below the
    # resolution of the centre collapse onto it and are removed with the duplicates.
    R = 0.5 * (law.mean + centre)
    offs = np.ldexp(width, np.arange(-4, 1 + max(0, int(math.log2(R) - math.log2(width))))) if width > 0 else np.zeros(0)
    pts = np.concatenate([centre - offs[centre - offs > 0], [centre], centre + offs])
    e_new = np.unique(np.clip(np.concatenate([e, np.asarray(law.cdf(pts), dtype=float)]), 0.0, 1.0))
    e_new = e_new[np.concatenate([[True], np.diff(e_new) > 1e-16])]
    return _panels(law, e_new)


# --------------------------------------------------------------------------- routers

def _surv_and_tail_mean(law: ServiceLaw, t: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """``P(X > t)`` and ``E[X; X > t]`` (vectorised; ``t = inf`` allowed)."""
    t = np.asarray(t, dtype=float)
    m = law.mu
    if m is not None:  # exponential
        with np.errstate(invalid="ignore", over="ignore"):
            s = np.exp(-m * t)
            tm = np.where(np.isinf(t), 0.0, (t + 1.0 / m) * s)
        return s, tm
    return _general_tail(law, t)


def _general_tail(law: ServiceLaw, t: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """``P(X > t)``, ``E[X; X > t]`` for a non-exponential law: closed forms for a catalogue law
    (:meth:`analytic.ServiceLaw.tail_moments`), else quadrature (:func:`_quadrature_tail`)."""
    if law.has_closed_forms:
        s, tm, _ = law.tail_moments(np.asarray(t, dtype=float))
        return np.asarray(s, dtype=float), np.asarray(tm, dtype=float)
    return _quadrature_tail(law, t)


def _quadrature_tail(law: ServiceLaw, t: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """``P(X > t)``, ``E[X; X > t]`` for a scipy law: whole quadrature panels above ``F(t)`` plus
    a 16-point Gauss-Legendre rule on the partial panel (vectorised, ~1e-13)."""
    _nodes(law)
    e, x, w = _BASE_CACHE[_law_key(law)]
    panel = (x * w).reshape(-1, _GL_X.size).sum(axis=1)
    above = np.concatenate([np.cumsum(panel[::-1])[::-1], [0.0]])  # E[X; F(X) >= e_k]
    tf = np.ravel(t)
    sf = np.asarray(law.dist.sf(tf), dtype=float)
    a = np.clip(1.0 - sf, 0.0, 1.0)
    k = np.clip(np.searchsorted(e, a, side="right") - 1, 0, e.size - 2)
    hi = e[k + 1]
    nodes = ((a + hi)[:, None] + (hi - a)[:, None] * _GL_X[None, :]) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        xs = np.asarray(law.ppf(nodes), dtype=float)
        part = np.where(hi > a, (hi - a) / 2 * (np.where(np.isfinite(xs), xs, 0.0) @ _GL_W), 0.0)
    tm = np.where(np.isinf(tf), 0.0, part + above[k + 1])
    return sf.reshape(np.shape(t)), tm.reshape(np.shape(t))


def _support(law: ServiceLaw, w0: NDArray[np.float64], w1: NDArray[np.float64]) -> NDArray[np.float64]:
    """``h(w) = E|w0 + w1 X|`` (vectorised)."""
    w0, w1 = np.broadcast_arrays(np.asarray(w0, float), np.asarray(w1, float))
    m1 = law.mean
    out = np.abs(w0 + w1 * m1)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(w1 != 0, -w0 / w1, -1.0)
    pos = r > 0
    if np.any(pos):
        rp = r[pos]
        if law.mu is not None:  # exponential
            e_abs = rp - m1 + 2.0 * np.exp(-law.mu * rp) * m1
        else:
            sf, tm = _general_tail(law, rp)
            # E|X - r| = E[X] - r + 2 (r F(r) - E[X; X < r]),  E[X; X < r] = E[X] - E[X; X > r]
            e_abs = m1 - rp + 2.0 * (rp * (1.0 - sf) - (m1 - tm))
        out[pos] = np.abs(w1[pos]) * e_abs
    return out


@dataclass(frozen=True)
class ThresholdRouter:
    """Classical router: output ``sign * sgn(x - t)`` (``t = 0``: constant ``sign``; ``t = inf``: ``-sign``)."""

    t: float
    sign: int = 1

    def output(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.where(np.asarray(x) > self.t, self.sign, -self.sign).astype(float)

    def moments(self, law: ServiceLaw) -> NDArray[np.float64]:
        """``(E[A], E[A X])`` as a ``(2, 1)`` array."""
        s, tm = _surv_and_tail_mean(law, np.array(self.t))
        return self.sign * np.array([[2.0 * float(s) - 1.0], [2.0 * float(tm) - law.mean]])

    def u(self, law: ServiceLaw) -> float:
        """The threshold as an input ``u = F(t)``."""
        return 1.0 if math.isinf(self.t) else float(law.cdf(self.t))

    def describe(self) -> dict[str, Any]:
        return {"router": "threshold", "t": self.t if math.isfinite(self.t) else "inf", "sign": self.sign}


@dataclass(frozen=True)
class PlanarRouter:
    """Quantum router: measure the direction of ``p0 + x p1`` in a plane (a qubit, XY measurement).

    ``vector(x)`` is the unit vector; on the singlet ``|psi^->`` router A
    measures at angle ``theta(x) = atan2(vector)`` and router B at
    ``theta(y) + pi``, giving ``E[o_A o_B] = <u(x), v(y)>``.
    """

    p0: tuple[float, float]
    p1: tuple[float, float]

    def __post_init__(self) -> None:
        object.__setattr__(self, "p0", tuple(float(v) for v in self.p0))
        object.__setattr__(self, "p1", tuple(float(v) for v in self.p1))

    def vector(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        x = np.asarray(x, dtype=float).reshape(-1)
        v0 = self.p0[0] + x * self.p1[0]
        v1 = self.p0[1] + x * self.p1[1]
        n = np.hypot(v0, v1)
        n = np.where(n > 0, n, 1.0)
        return np.stack([v0 / n, v1 / n], axis=1)

    def angle(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        v = self.vector(x)
        return np.arctan2(v[:, 1], v[:, 0])

    def turn(self) -> tuple[float | None, float | None]:
        """``(x*, width)``: where the direction turns fastest and on what scale."""
        p0, p1 = np.asarray(self.p0), np.asarray(self.p1)
        a2 = float(p1 @ p1)
        if a2 == 0:
            return None, None
        cross = abs(float(p0[0] * p1[1] - p0[1] * p1[0]))
        return -float(p0 @ p1) / a2, cross / a2

    def moments(self, law: ServiceLaw) -> NDArray[np.float64]:
        """``(E[u(X)], E[X u(X)])`` as a ``(2, 2)`` array (rows)."""
        c, w = self.turn()
        x, wt = _nodes(law, c, w)
        u = self.vector(x)
        return np.array([wt @ u, wt @ (x[:, None] * u)])

    def describe(self) -> dict[str, Any]:
        return {"router": "planar", "p0": list(self.p0), "p1": list(self.p1)}


@dataclass(frozen=True)
class RouterPair:
    """Routers A and B of one class; ``visibility`` scales a quantum pair's correlation."""

    a: ThresholdRouter | PlanarRouter
    b: ThresholdRouter | PlanarRouter
    visibility: float = 1.0

    @property
    def model(self) -> str:
        return "classical" if isinstance(self.a, ThresholdRouter) else "quantum"

    def correlation(self, x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.float64]:
        """``E[o_A o_B | x, y]`` elementwise."""
        a, b = self.a, self.b
        if isinstance(a, ThresholdRouter) and isinstance(b, ThresholdRouter):
            return a.output(x) * b.output(y)
        if isinstance(a, PlanarRouter) and isinstance(b, PlanarRouter):
            return self.visibility * np.sum(a.vector(x) * b.vector(y), axis=1)
        raise BoundsTypeError(f"a RouterPair's correlation needs two ThresholdRouters or two PlanarRouters; got {type(a).__name__} and {type(b).__name__}")

    def bunch_and_cost(self, pt: OperatingPoint) -> tuple[float, float]:
        """``(E[beta], E[beta c])`` (estimates)."""
        U, V = self.a.moments(pt.law), self.b.moments(pt.law)
        return _bunch_cost(pt, U, V, self.visibility)

    def describe(self) -> dict[str, Any]:
        d: dict[str, Any] = {"model": self.model, "a": self.a.describe(), "b": self.b.describe()}
        if self.model == "quantum":
            d["visibility"] = self.visibility
        return d


def _bunch_cost(pt: OperatingPoint, U: NDArray[np.float64], V: NDArray[np.float64], vis: float = 1.0) -> tuple[float, float]:
    e00, e11 = vis * float(U[0] @ V[0]), vis * float(U[1] @ V[1])
    e10, e01 = vis * float(U[1] @ V[0]), vis * float(U[0] @ V[1])
    return 0.5 + e00 / 2.0, pt.mean_cost / 2.0 + (pt.kappa * e11 + (e10 + e01) / 4.0) / 2.0


@dataclass(frozen=True)
class MixedStrategy:
    """A shared-coin mixture of router pairs: ``components = ((weight, RouterPair), ...)``."""

    components: tuple[tuple[float, RouterPair], ...]

    def bunch_and_cost(self, pt: OperatingPoint) -> tuple[float, float]:
        pb = cost = 0.0
        for w, pair in self.components:
            b, c = pair.bunch_and_cost(pt)
            pb += w * b
            cost += w * c
        return pb, cost

    def p_split(self, pt: OperatingPoint) -> float:
        return 1.0 - self.bunch_and_cost(pt)[0]

    def waiting_time(self, pt: OperatingPoint) -> float:
        return pt.W_split + self.bunch_and_cost(pt)[1]

    def describe(self) -> dict[str, Any]:
        return {"components": [{"weight": w, **p.describe()} for w, p in self.components]}


ALWAYS_BUNCH = RouterPair(ThresholdRouter(0.0, 1), ThresholdRouter(0.0, 1))
ALWAYS_SPLIT = RouterPair(ThresholdRouter(0.0, 1), ThresholdRouter(0.0, -1))


# --------------------------------------------------------------------------- dual functions

@dataclass(frozen=True)
class DualValue:
    """``V(nu)`` of one class (estimate) with the maximiser's ``E[beta]`` and ``E[beta c]``."""

    model: str
    nu: float
    value: float
    bias: float
    p_bunch: float
    cost: float
    strategy: RouterPair | None

    def dual_bound(self, pt: OperatingPoint) -> float:
        """``nu B + V(nu)``: an upper bound on ``p_bunch`` (estimate until certified)."""
        return self.nu * pt.budget + self.value


def dual_ideal(pt: OperatingPoint, nu: float) -> DualValue:
    """``V_ideal(nu) = E[(1 - nu c)^+]``: bunch iff ``c <= 1/nu`` (the cost-threshold rule)."""
    from analytic.rules import CostThresholdRule

    nu = _real("nu", nu, low=0.0)
    if nu == 0:
        return DualValue("ideal", 0.0, 1.0, 1.0, 1.0, pt.mean_cost, None)
    m = CostThresholdRule(pt.kappa, 0.25, 0.25, 1.0 / nu).moments(pt.law)
    cost = pt.kappa * m.e_x1x2 + m.e_sum / 4.0
    val = m.p_bunch - nu * cost
    return DualValue("ideal", nu, val, 2 * val - pt.mean_kernel(nu), m.p_bunch, cost, None)


def _threshold_grid(law: ServiceLaw) -> NDArray[np.float64]:
    u = np.concatenate([np.linspace(0.0, 1.0, 401 if law.is_exponential else 201), 1.0 - 0.5 ** np.arange(9, 50)])
    u = np.unique(u)
    with np.errstate(divide="ignore"):
        t = np.asarray(law.ppf(u), dtype=float)
    t[-1] = math.inf
    if not law.is_exponential:
        # also geometric in t: a law with a knee in its quantile (hyperexponential) leaves wide gaps in t between u points
        t = np.unique(np.concatenate([t, law.mean * 2.0 ** np.arange(-20.0, 12.0, 0.125)]))
    return t


def _classical_value(pt: OperatingPoint, Mn: NDArray[np.float64], t: NDArray[np.float64], rough: bool = False) -> NDArray[np.float64]:
    """``h(M b(t))``; ``rough`` (non-exponential laws only) uses the quadrature nodes -- for the grid search."""
    law = pt.law
    if rough and not law.is_exponential:
        x, wt = _nodes(law)
        order = np.argsort(x)
        xs, ws = x[order], wt[order]
        tail_p = np.concatenate([np.cumsum((ws)[::-1])[::-1], [0.0]])
        tail_m = np.concatenate([np.cumsum((ws * xs)[::-1])[::-1], [0.0]])
        idx = np.searchsorted(xs, t, side="right")
        b = np.array([2 * tail_p[idx] - 1, 2 * tail_m[idx] - law.mean])
        w = Mn @ b
        return np.abs(w[0][:, None] + w[1][:, None] * xs[None, :]) @ ws
    s, tm = _surv_and_tail_mean(law, t)
    b = np.array([2 * s - 1, 2 * tm - law.mean])
    w = Mn @ b
    return _support(law, w[0], w[1])


def _best_response_threshold(pt: OperatingPoint, w: NDArray[np.float64]) -> ThresholdRouter:
    """The threshold router maximising ``E[A (w0 + w1 X)]``."""
    w0, w1 = float(w[0]), float(w[1])
    if w1 == 0 or -w0 / w1 <= 0:
        return ThresholdRouter(0.0, 1 if (w0 + w1 * pt.law.mean) >= 0 else -1)
    return ThresholdRouter(-w0 / w1, 1 if w1 > 0 else -1)


def dual_classical(pt: OperatingPoint, nu: float) -> DualValue:
    """``V_classical(nu)`` (estimate) and a maximising threshold pair (lemma S3).

    >>> d = dual_classical(operating_point(0.6, 1.65), 2.0)
    >>> round(d.bias, 6), d.strategy.model
    (1.626764, 'classical')
    """
    from scipy import optimize

    nu = _real("nu", nu, low=0.0)
    Mn = pt.matrix(nu)
    t = _threshold_grid(pt.law)
    vals = _classical_value(pt, Mn, t, rough=not pt.law.is_exponential and not pt.law.has_closed_forms)
    i = int(np.argmax(vals))
    best_t, best = float(t[i]), float(_classical_value(pt, Mn, t[i:i + 1])[0])
    # refine every grid local maximum within reach of the best (the maximiser can jump between them)
    peaks = [j for j in range(t.size) if vals[j] >= vals[max(j - 1, 0)] and vals[j] >= vals[min(j + 1, t.size - 1)]]
    peaks = sorted(peaks, key=lambda j: -vals[j])[:4]
    for j in peaks:
        lo, hi = t[max(j - 1, 0)], t[min(j + 1, t.size - 1)]
        if not (math.isfinite(hi) and hi > lo):
            continue
        r = optimize.minimize_scalar(lambda s: -float(_classical_value(pt, Mn, np.array([s]))[0]), bounds=(lo, hi), method="bounded",
                                     options={"xatol": 1e-14 * max(1.0, hi)})
        if -r.fun > best:
            best_t, best = float(r.x), float(-r.fun)
    b_router = ThresholdRouter(best_t, 1)
    a_router = _best_response_threshold(pt, Mn @ b_router.moments(pt.law)[:, 0])
    pair = RouterPair(a_router, b_router)
    pb, cost = pair.bunch_and_cost(pt)
    return DualValue("classical", nu, (pt.mean_kernel(nu) + best) / 2.0, best, pb, cost, pair)


def _planar_from(P: NDArray[np.float64]) -> PlanarRouter:
    return PlanarRouter(tuple(P[0]), tuple(P[1]))


def _ascent(pt: OperatingPoint, Mn: NDArray[np.float64], V: NDArray[np.float64], iters: int, tol: float) -> tuple[float, NDArray[np.float64], NDArray[np.float64]]:
    """Alternating best responses from B's moments ``V``; returns ``(bias, U, V)``."""
    val_old = -math.inf
    U = V
    for _ in range(iters):
        U = _planar_from(Mn @ V).moments(pt.law)
        V = _planar_from(Mn.T @ U).moments(pt.law)
        val = float(np.sum(Mn * (U @ V.T)))
        if abs(val - val_old) <= tol * max(1.0, abs(val)):
            break
        val_old = val
    return val, U, V


def dual_quantum(pt: OperatingPoint, nu: float, *, visibility: float = 1.0, start: NDArray[np.float64] | None = None,
                 iters: int = 400, tol: float = 1e-15) -> DualValue:
    """``V_quantum(nu)`` (estimate) and a maximising planar pair (lemma S4), by alternating best responses.

    ``start`` is B's moment matrix ``(E[v], E[Y v])`` to start from (a warm
    start along a path in ``nu``); without it the classical maximiser (tilted
    out of its line) and a fixed generic start are tried, and the better
    local optimum is kept.

    >>> d = dual_quantum(operating_point(0.6, 1.65), 2.0)
    >>> d.bias > dual_classical(operating_point(0.6, 1.65), 2.0).bias
    True
    """
    nu = _real("nu", nu, low=0.0)
    vis = _real("visibility", visibility, low=0.0)
    if vis > 1:
        raise SystemParameterError(f"`visibility` must lie in [0, 1]; got {vis!r}")
    Mn = pt.matrix(nu)
    starts = []
    if start is not None:
        starts.append(np.asarray(start, dtype=float))
    else:
        cl = dual_classical(pt, nu).strategy
        if cl is None:
            raise SolverError(f"the classical dual at nu = {nu!r} returned no maximising pair to start the quantum ascent from")
        b = cl.b.moments(pt.law)[:, 0]
        starts.append(np.array([[b[0], 0.3], [b[1], -0.3 * pt.law.mean]]))
        starts.append(np.array([[0.6, 0.8], [0.5 * pt.law.mean, -0.9 * pt.law.mean]]))
    best = None
    for V0 in starts:
        val, U, V = _ascent(pt, Mn, V0, iters, tol)
        if best is None or val > best[0]:
            best = (val, U, V)
    val, U, V = best  # type: ignore[misc]
    pair = RouterPair(_planar_from(Mn @ V), _planar_from(Mn.T @ U), vis)
    U2, V2 = pair.a.moments(pt.law), pair.b.moments(pt.law)
    bias = float(np.sum(Mn * (U2 @ V2.T)))
    pb, cost = _bunch_cost(pt, U2, V2, vis)
    return DualValue("quantum", nu, (pt.mean_kernel(nu) + vis * bias) / 2.0, vis * bias, pb, cost, pair)


# --------------------------------------------------------------------------- minimisation over nu

@dataclass(frozen=True)
class ClassSolution:
    """The smallest ``p_split`` of one class at one operating point (estimates).

    ``p_split`` is the attaining strategy's value (``strategy`` meets
    ``W_limit``); ``p_split_dual`` is ``1 - min_nu D(nu)`` evaluated at
    ``nu`` (a lower estimate; equal up to the bisection tolerance).
    """

    model: str
    p_split: float
    p_split_dual: float
    nu: float
    strategy: MixedStrategy
    waiting_time: float
    evaluations: int
    duals: tuple[DualValue, ...] = field(default=(), repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {"model": self.model, "p_split": self.p_split, "p_split_dual": self.p_split_dual, "nu": self.nu,
                "W_q": self.waiting_time, "evaluations": self.evaluations, "strategy": self.strategy.describe()}


def _dual_fn(model: str, visibility: float):  # noqa: ANN202
    if model == "ideal":
        return lambda pt, nu, start=None: dual_ideal(pt, nu)
    if model == "classical":
        return lambda pt, nu, start=None: dual_classical(pt, nu)
    if model == "quantum":
        return lambda pt, nu, start=None: dual_quantum(pt, nu, visibility=visibility, start=start)
    raise SystemParameterError(f"`model` must be one of {MODELS}; got {model!r}")


def _combined(pt: OperatingPoint, parts: Sequence[tuple[float, str]], nu: float, warm: dict, visibility: float) -> tuple[float, float, float, list[DualValue]]:
    """``(sum_i w_i V_i(nu), sum_i w_i p_bunch_i, sum_i w_i cost_i, duals)`` at one ``nu``."""
    duals = []
    for _, model in parts:
        d = _dual_fn(model, visibility)(pt, nu, warm.get(model))
        if model == "quantum" and d.strategy is not None:
            warm[model] = d.strategy.b.moments(pt.law)
        duals.append(d)
    val = sum(w * d.value for (w, _), d in zip(parts, duals))
    pb = sum(w * d.p_bunch for (w, _), d in zip(parts, duals))
    cost = sum(w * d.cost for (w, _), d in zip(parts, duals))
    return val, pb, cost, duals


#: a maximiser whose E[beta c] is below this share of E[c] is at the rounding floor of the float moments
_COST_FLOOR = 1e-12
#: ``W_limit - W_split`` below this share of ``W_split`` is zero up to the rounding of the two floats
_AT_SPLIT = 1e-13
#: largest multiplier tried before falling back to a mixture with always split
_NU_MAX = 1e12


def _split_mixture(pt: OperatingPoint, parts: Sequence[tuple[float, str]], B: float, nu: float, lo: tuple, n_eval: int):  # noqa: ANN202
    """The ``_minimise`` answer from the maximisers ``lo`` at ``nu`` (cost above ``B``) mixed with always split."""
    w = min(1.0, max(0.0, B / lo[2])) if lo[2] > 0 else 0.0
    split = [DualValue(model, nu, 0.0, nu * pt.mean_cost - 1.0, 0.0, 0.0, ALWAYS_SPLIT) for _, model in parts]
    return nu, w * lo[1], nu * B + lo[0], [(w, lo[3]), (1.0 - w, split)], n_eval, (lo[3], None)


def _minimise(pt: OperatingPoint, parts: Sequence[tuple[float, str]], visibility: float, tol: float):  # noqa: ANN202
    B = pt.budget
    # W_limit is the always-split wait up to rounding: then only always split meets it (every bunch costs c > 0)
    at_split = B <= _AT_SPLIT * pt.W_split
    if at_split:
        B = 0.0
    warm: dict = {}
    if B >= pt.mean_cost:
        return 0.0, 1.0, 1.0, [(1.0, None)], 0, []
    nu_lo, nu_hi = 0.0, 1.0
    n_eval = 0
    lo: tuple[float, float, float, list[DualValue] | None] = (1.0, 1.0, pt.mean_cost, None)  # (V, p_bunch, cost, duals) at nu = 0: always bunch
    while True:
        v, pb, cost, duals = _combined(pt, parts, nu_hi, warm, visibility)
        n_eval += 1
        if cost <= B and not at_split:
            hi = (v, pb, cost, duals)
            break
        stalled = cost <= _COST_FLOOR * pt.mean_cost and (at_split or cost > 0.5 * lo[2])
        nu_lo, lo = nu_hi, (v, pb, cost, duals)
        if stalled or nu_hi >= _NU_MAX:
            # B is zero up to rounding (W_limit at the always-split wait): the maximisers' cost has reached the
            # rounding floor of its quadrature and no longer falls.  Mix the last maximiser with always split
            # (cost exactly 0), which meets W_limit whenever B >= 0; D(nu_lo) stays the dual estimate.
            return _split_mixture(pt, parts, B, nu_lo, lo, n_eval)
        nu_hi *= 2.0
    while nu_hi - nu_lo > tol * max(1.0, nu_hi):
        mid = 0.5 * (nu_lo + nu_hi)
        v, pb, cost, duals = _combined(pt, parts, mid, warm, visibility)
        n_eval += 1
        if cost <= B:
            nu_hi, hi = mid, (v, pb, cost, duals)
        else:
            nu_lo, lo = mid, (v, pb, cost, duals)
    # shared coin between the two maximisers so that E[beta c] = B
    c_lo, c_hi = lo[2], hi[2]
    w = 0.0 if c_lo <= c_hi else min(1.0, max(0.0, (B - c_hi) / (c_lo - c_hi)))
    p_bunch = w * lo[1] + (1.0 - w) * hi[1]
    dual = min(nu_hi * B + hi[0], nu_lo * B + lo[0] if lo[3] is not None else math.inf)
    return nu_hi, p_bunch, dual, [(w, lo[3]), (1.0 - w, hi[3])], n_eval, (lo[3], hi[3])


def solve_class(pt: OperatingPoint, model: str, *, visibility: float = 1.0, tol: float = 1e-11) -> ClassSolution:
    """Minimise ``p_split`` subject to ``W_q <= W_limit`` over one class (``"ideal"``, ``"classical"``, ``"quantum"``).

    >>> s = solve_class(operating_point(0.6, 1.65), "ideal")
    >>> round(s.p_split, 6) < round(solve_class(operating_point(0.6, 1.65), "classical").p_split, 6)
    True
    """
    if not isinstance(pt, OperatingPoint):
        raise SystemParameterError(f"`pt` must be an OperatingPoint (see operating_point); got {type(pt).__name__}")
    if model not in MODELS:
        raise SystemParameterError(f"`model` must be one of {MODELS}; got {model!r}")
    if model == "ideal":
        return ideal_solution(pt)
    nu, _p_bunch, dual, mix, n_eval, pair = _minimise(pt, [(1.0, model)], visibility, tol)
    comps = []
    for w, duals in mix:
        if w <= 0:
            continue
        strat = ALWAYS_BUNCH if duals is None else duals[0].strategy
        comps.append((w, strat))
    strategy = MixedStrategy(tuple(comps))
    pb, cost = strategy.bunch_and_cost(pt)
    duals_out = tuple(d for ds in pair if ds is not None for d in ds) if pair else ()
    return ClassSolution(model, 1.0 - pb, 1.0 - dual, nu, strategy, pt.W_split + cost, n_eval, duals_out)


def ideal_solution(pt: OperatingPoint) -> ClassSolution:
    """The ideal (communicating) rule: bunch iff ``c(X1, X2) <= tau`` with ``E[beta c] = W_limit - W_0``.

    >>> s = ideal_solution(operating_point(0.6, 1.65))
    >>> abs(s.waiting_time - 1.65) < 1e-9
    True
    """
    from scipy import optimize

    from analytic.rules import CostThresholdRule

    B = pt.budget
    if B >= pt.mean_cost:
        return ClassSolution("ideal", 0.0, 0.0, 0.0, MixedStrategy(((1.0, ALWAYS_BUNCH),)), pt.W_bunch, 0)

    def cost(tau: float) -> float:
        m = CostThresholdRule(pt.kappa, 0.25, 0.25, tau).moments(pt.law)
        return pt.kappa * m.e_x1x2 + m.e_sum / 4.0 - B

    if B <= 0:
        tau = 0.0
    else:
        hi = pt.law.mean
        while cost(hi) < 0:
            hi *= 2.0
        tau = float(optimize.brentq(cost, 0.0, hi, xtol=1e-15, rtol=1e-14))
    rule = CostThresholdRule(pt.kappa, 0.25, 0.25, tau)
    m = rule.moments(pt.law)
    wq = pt.W_split + pt.kappa * m.e_x1x2 + m.e_sum / 4.0
    sol = ClassSolution("ideal", m.p_split, m.p_split, 1.0 / tau if tau > 0 else math.inf, MixedStrategy(()), wq, 0)
    object.__setattr__(sol, "rule", rule)
    return sol


def solve_mixture(pt: OperatingPoint, quantum_fraction: float, *, visibility: float = 1.0, tol: float = 1e-10) -> tuple[float, float]:
    """Finite entanglement supply: a fraction ``f`` of the pairs has an entangled pair, the rest is classical.

    The routers know which case they are in; one ``W_limit`` constraint binds
    the average: ``p_bunch* = min over nu of nu B + f V_q(nu) + (1 - f) V_c(nu)``.
    Returns ``(p_split, p_split_dual)`` (estimates: strategy value, dual value).

    >>> pt = operating_point(0.6, 1.65)
    >>> p_half, _ = solve_mixture(pt, 0.5)
    >>> solve_class(pt, "quantum").p_split < p_half < solve_class(pt, "classical").p_split
    True
    """
    f = _real("quantum_fraction", quantum_fraction, low=0.0)
    if f > 1:
        raise SystemParameterError(f"`quantum_fraction` must lie in [0, 1]; got {f!r}")
    parts = [(f, "quantum"), (1.0 - f, "classical")]
    _, p_bunch, dual, _, _, _ = _minimise(pt, parts, visibility, tol)
    return 1.0 - p_bunch, 1.0 - dual
