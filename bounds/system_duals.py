"""The dual functions ``V(nu)`` of the system problem, one per class of routers (estimates).

``V(nu) = E[k]/2 + G(nu)/2`` with ``k = [1, x] M(nu) [1, y]^T`` and ``G(nu)``
the bias of the XOR game with kernel ``k`` over the class:

* :func:`dual_ideal`: ``V(nu) = E[(1 - nu c)^+]``, the cost-threshold rule;
* :func:`dual_classical`: ``G_c(nu) = max over t of h(M b(t))`` (lemma S3), a
  one-dimensional search over threshold routers;
* :func:`dual_quantum`: alternating best responses over planar measurements
  (lemma S4); ``visibility`` scales the correlation (a Werner state).

Each returns a :class:`DualValue` with the maximiser's ``E[beta]`` and
``E[beta c]``; :mod:`bounds.system` minimises ``nu B + V(nu)`` over ``nu``.

>>> from bounds.system_point import operating_point
>>> d = dual_classical(operating_point(0.6, 1.65), 2.0)
>>> round(d.bias, 6), d.strategy.model
(1.626764, 'classical')
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from analytic.laws.service import ServiceLaw
from bounds.errors import BoundsTypeError, SolverError, check_int, check_real
from bounds.system_point import OperatingPoint, SystemParameterError, real_parameter, require_point
from bounds.system_quadrature import quadrature_nodes, support_function, survival_and_tail_mean
from bounds.system_routers import PlanarRouter, RouterPair, ThresholdRouter, bunch_and_cost
from games.errors import show

__all__ = ["DualValue", "dual_classical", "dual_ideal", "dual_quantum", "grid_peaks"]


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

    require_point(pt)
    nu = real_parameter("nu", nu, low=0.0)
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
        x, wt = quadrature_nodes(law)
        order = np.argsort(x)
        xs, ws = x[order], wt[order]
        tail_p = np.concatenate([np.cumsum((ws)[::-1])[::-1], [0.0]])
        tail_m = np.concatenate([np.cumsum((ws * xs)[::-1])[::-1], [0.0]])
        idx = np.searchsorted(xs, t, side="right")
        b = np.array([2 * tail_p[idx] - 1, 2 * tail_m[idx] - law.mean])
        w = Mn @ b
        return np.abs(w[0][:, None] + w[1][:, None] * xs[None, :]) @ ws
    s, tm = survival_and_tail_mean(law, t)
    b = np.array([2 * s - 1, 2 * tm - law.mean])
    w = Mn @ b
    return support_function(law, w[0], w[1])


def grid_peaks(vals: NDArray[np.float64], count: int) -> list[int]:
    """Indices of the ``count`` highest local maxima of ``vals``, a run of equal values counted once (at its left end).

    A constant router (a threshold at 0 or past the law's tail) gives one value
    on many grid points; counted each, that plateau filled every slot and an
    interior peak worth more once refined was never refined (hyperexponential
    law, lam 0.13, nu 2.7275: V missed by 6e-6).

    >>> grid_peaks(np.array([3.0, 1.0, 2.0, 1.0, 3.0, 3.0, 3.0]), 2)
    [0, 4]
    >>> grid_peaks(np.array([3.0, 1.0, 2.0, 1.0, 3.0, 3.0, 3.0]), 3)
    [0, 4, 2]
    """
    n = vals.size
    peaks = [j for j in range(n) if (j == 0 or vals[j] > vals[j - 1]) and vals[j] >= vals[min(j + 1, n - 1)]]
    return sorted(peaks, key=lambda j: -vals[j])[:count]


def _climb(pt: OperatingPoint, Mn: NDArray[np.float64], t: NDArray[np.float64], j: int) -> int:
    """From grid index ``j``, step to the better neighbour (exact values) until neither is better."""
    def value(k: int) -> float:
        return float(_classical_value(pt, Mn, t[k:k + 1])[0]) if math.isfinite(t[k]) else -math.inf

    cur = value(j)
    while True:
        step = max(((value(k), k) for k in (j - 1, j + 1) if 0 <= k < t.size), default=(-math.inf, j))
        if step[0] <= cur:
            return j
        cur, j = step


def _best_response_threshold(pt: OperatingPoint, w: NDArray[np.float64]) -> ThresholdRouter:
    """The threshold router maximising ``E[A (w0 + w1 X)]``."""
    w0, w1 = float(w[0]), float(w[1])
    if w1 == 0 or -w0 / w1 <= 0:
        return ThresholdRouter(0.0, 1 if (w0 + w1 * pt.law.mean) >= 0 else -1)
    return ThresholdRouter(-w0 / w1, 1 if w1 > 0 else -1)


def dual_classical(pt: OperatingPoint, nu: float) -> DualValue:
    """``V_classical(nu)`` (estimate) and a maximising threshold pair (lemma S3).

    >>> from bounds.system_point import operating_point
    >>> d = dual_classical(operating_point(0.6, 1.65), 2.0)
    >>> round(d.bias, 6), d.strategy.model
    (1.626764, 'classical')
    """
    from scipy import optimize

    require_point(pt)
    nu = real_parameter("nu", nu, low=0.0)
    Mn = pt.matrix(nu)
    t = _threshold_grid(pt.law)
    rough = not pt.law.is_exponential and not pt.law.has_closed_forms
    vals = _classical_value(pt, Mn, t, rough=rough)
    i = int(np.argmax(vals))
    best_t, best = float(t[i]), float(_classical_value(pt, Mn, t[i:i + 1])[0])
    # refine every grid local maximum within reach of the best (the maximiser can jump between them)
    for j in grid_peaks(vals, 4):
        if rough:
            # a peak of the rough values may sit a grid step or more off the true one: climb the exact grid values first
            # (hyperexponential law without closed forms: the bracket around the rough peak missed the maximiser, V short by 8e-9)
            j = _climb(pt, Mn, t, j)
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

    >>> from bounds.system_point import operating_point
    >>> d = dual_quantum(operating_point(0.6, 1.65), 2.0)
    >>> d.bias > dual_classical(operating_point(0.6, 1.65), 2.0).bias
    True
    """
    require_point(pt)
    nu = real_parameter("nu", nu, low=0.0)
    vis = real_parameter("visibility", visibility, low=0.0)
    if vis > 1:
        raise SystemParameterError(f"`visibility` must lie in [0, 1]; got {vis!r}")
    iters = check_int("iters", iters, low=1, high=10**6)
    tol = check_real("tol", tol, low=0.0, high=1e-3)
    if start is not None:
        try:
            start = np.asarray(start, dtype=float)
        except (TypeError, ValueError):
            raise BoundsTypeError(f"`start` must be a 2 x 2 real matrix (E[v], E[Y v]) or None; got {show(start)}") from None
        if start.shape != (2, 2) or not np.isfinite(start).all():
            raise SystemParameterError(f"`start` must be a finite 2 x 2 matrix (E[v], E[Y v]) or None; got {show(start.tolist())}")
    Mn = pt.matrix(nu)
    starts = []
    if start is not None:
        starts.append(start)
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
    pb, cost = bunch_and_cost(pt, U2, V2, vis)
    return DualValue("quantum", nu, (pt.mean_kernel(nu) + vis * bias) / 2.0, vis * bias, pb, cost, pair)
