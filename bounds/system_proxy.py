"""The paper's route: design the routers with the sum-threshold game, then meet ``W_limit`` by tuning ``C_t``.

For each threshold ``C_t`` of the paper's game (bunch iff
``(1 - a)(1 - b) >= C_t``) take the game-optimal strategies qcoord computes --
classical: the continuum DP's threshold strategy
(:func:`bounds.continuum_classical`); quantum: the N-bin Tsirelson optimum
(:func:`bounds.tsirelson`) -- and evaluate their exact ``(W_q, p_split)`` for
the real system (moments per input bin, :mod:`bounds.system`).  ``C_t = 0``
and ``C_t = 1`` are the end points: every pair bunches (always bunch wins the
game with probability 1), respectively the bunch region has measure zero
(always split wins with probability 1).

Two values per class, both **estimates** (solver floats over the searched
strategies, not certified bounds):

* **pure** -- the paper's recipe taken literally: one ``C_t`` per class, the
  smallest ``p_split`` over single game-optimal strategies meeting
  ``W_q <= W_limit``;
* **mixed** -- a shared coin picks one of two game-optimal strategies (two
  ``C_t``): the smallest ``p_split`` at ``W_q <= W_limit`` over the convex
  hull of the evaluated ``(W_q, p_split)`` points, computed exactly (in
  rationals) from their lower convex hull, :func:`lower_hull`.

The search over ``C_t`` (:func:`scan`) converges in four steps: a uniform
grid; bisection of every interval whose two ``(W_q, p_split)`` points differ
by more than ``delta`` (so the jumps of the game optimum -- e.g. the classical
one near ``C_t = 0.330``, between two strategies of almost equal winning
probability and very different system cost -- are located to ``tol_C``);
bisection of every interval where ``W_q - W_limit`` changes sign (the pure
value's feasibility edges) to ``tol_C``; and bisection next to the hull
vertices that carry the mixed value until it moves by less than ``1e-10``.
The difference to the exact route is the price of designing routers with the
paper's game.

>>> from bounds.system_point import operating_point
>>> r = proxy_route(operating_point(0.6, 1.65), grid=8, tol_C=2**-12, quantum_bins=8, classical_bins=8)
>>> r.classical.W_q <= 1.65 and r.quantum.W_q <= 1.65
True
>>> r.classical.p_split_mixed <= r.classical.p_split and r.quantum.p_split_mixed <= r.quantum.p_split
True
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bounds.errors import BoundsParameterError, SolverError, check_int
from bounds.system_point import OperatingPoint
from bounds.system_routers import bunch_and_cost

__all__ = ["HullMix", "ProxyChoice", "ProxyPoint", "ProxyRoute", "hull_minimum", "lower_hull", "proxy_route", "scan"]

MODELS = ("classical", "quantum")


@dataclass(frozen=True)
class ProxyPoint:
    """The game-optimal strategy of one class at threshold ``C``, evaluated on the system (estimates)."""

    C: float
    p_split: float
    W_q: float
    strategy: dict[str, Any]


@dataclass(frozen=True)
class HullMix:
    """A shared-coin mixture ``((weight, index), ...)`` of one or two points and its ``(W_q, p_split)``."""

    p_split: float
    W_q: float
    components: tuple[tuple[float, int], ...]


@dataclass(frozen=True)
class ProxyChoice:
    """One class on the proxy route: pure value (best single ``C_t``) and mixed value (shared coin over two ``C_t``).

    ``mixture`` lists ``(weight, C_t, p_split, W_q)`` of the mixed value's components; ``curve`` all evaluated points.
    Every number is an estimate (solver floats), not a certified bound.
    """

    model: str
    C: float | None
    p_split: float
    W_q: float
    strategy: dict[str, Any]
    p_split_mixed: float | None = None
    W_q_mixed: float | None = None
    mixture: tuple[tuple[float, float, float, float], ...] = ()
    curve: tuple[ProxyPoint, ...] = ()

    def describe(self) -> dict[str, Any]:
        return {"C_t": self.C, "p_split": self.p_split, "W_q": self.W_q, "p_split_mixed": self.p_split_mixed, "W_q_mixed": self.W_q_mixed,
                "mixture": [{"weight": w, "C_t": c, "p_split": p, "W_q": wq} for w, c, p, wq in self.mixture], **self.strategy}


@dataclass(frozen=True)
class ProxyRoute:
    """Both classes; ``evaluations`` counts the ``C_t`` evaluated per class (game solves, cached across calls)."""

    classical: ProxyChoice
    quantum: ProxyChoice
    evaluations: dict[str, int]
    settings: dict[str, Any]


# --------------------------------------------------------------------------- lower convex hull (exact)

def _cross(o: tuple[Fraction, Fraction], a: tuple[Fraction, Fraction], b: tuple[Fraction, Fraction]) -> Fraction:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def lower_hull(points: Sequence[tuple[float, float]]) -> list[int]:
    """Indices of the lower convex hull's vertices of ``(x, y)`` points, by increasing ``x`` (exact rationals).

    Andrew's monotone chain on the exact values of the floats; collinear
    points and, for equal ``x``, all but the lowest are dropped.

    >>> lower_hull([(0.0, 1.0), (1.0, 0.0), (2.0, 1.0), (1.0, 2.0), (0.5, 0.5)])
    [0, 1, 2]
    """
    q = [(Fraction(x), Fraction(y)) for x, y in points]
    order = sorted(range(len(q)), key=lambda i: q[i])
    hull: list[int] = []
    for i in order:
        if hull and q[hull[-1]][0] == q[i][0]:
            continue  # same x, higher y (sorted): not on the lower hull
        while len(hull) >= 2 and _cross(q[hull[-2]], q[hull[-1]], q[i]) <= 0:
            hull.pop()
        hull.append(i)
    return hull


def hull_minimum(points: Sequence[tuple[float, float]], x_limit: float) -> HullMix | None:
    """Smallest ``y`` over the convex hull of ``(x, y)`` points subject to ``x <= x_limit`` (``None`` if no point has ``x <= x_limit``).

    The minimum of a linear function over a polygon cut by a half-plane lies
    at a vertex of the lower hull left of the cut or where a hull edge crosses
    ``x = x_limit``, so it mixes at most two points.  Computed in exact
    rationals; the returned floats round the exact value.

    >>> m = hull_minimum([(1.0, 1.0), (3.0, 0.0), (2.5, 0.9)], 2.0)
    >>> m.p_split, m.components
    (0.5, ((0.5, 0), (0.5, 1)))
    """
    lim = Fraction(x_limit)
    q = [(Fraction(x), Fraction(y)) for x, y in points]
    h = lower_hull(points)
    best: tuple[Fraction, Fraction, tuple[tuple[Fraction, int], ...]] | None = None
    for i in h:
        if q[i][0] <= lim and (best is None or q[i][1] < best[0]):
            best = (q[i][1], q[i][0], ((Fraction(1), i),))
    for i, j in zip(h, h[1:]):
        if q[i][0] < lim < q[j][0]:
            t = (lim - q[i][0]) / (q[j][0] - q[i][0])
            y = (1 - t) * q[i][1] + t * q[j][1]
            if best is None or y < best[0]:
                best = (y, lim, ((1 - t, i), (t, j)))
    if best is None:
        return None
    return HullMix(float(best[0]), float(best[1]), tuple((float(w), i) for w, i in best[2]))


# --------------------------------------------------------------------------- game-optimal strategies per C_t

def _interval_moments(pt: OperatingPoint, edges_u: NDArray[np.float64]) -> NDArray[np.float64]:
    """``(P(bin), E[X; bin])`` for bins ``[u_k, u_{k+1}]`` of ``a = F(x)`` (rows)."""
    with np.errstate(divide="ignore"):
        x = np.asarray(pt.law.ppf(edges_u), dtype=float)
    x[edges_u >= 1] = math.inf
    return np.array([[pt.law.prob(x[i], x[i + 1]), pt.law.partial_mean(x[i], x[i + 1])] for i in range(edges_u.size - 1)])


def _step_moments(pt: OperatingPoint, switches: Sequence[float], start: int) -> NDArray[np.float64]:
    edges = np.array([0.0, *switches, 1.0])
    signs = start * (-1.0) ** np.arange(edges.size - 1)
    m = _interval_moments(pt, edges)
    return (signs[:, None] * m).sum(axis=0)[:, None]


@lru_cache(maxsize=4096)
def _classical_game(C: float, bins: int) -> dict[str, Any]:
    """The continuum DP's game-optimal threshold strategy at ``C`` (cached: it does not depend on the operating point)."""
    from bounds.classical_continuum import continuum_classical
    from games import paper_game

    r = continuum_classical(paper_game(C), bins=bins)
    c = r.certificates["lower"]
    return {"a_switches": [float(Fraction(s)) for s in c["a_switches"]], "b_switches": [float(Fraction(s)) for s in c["b_switches"]],
            "a_start": int(c["a_start"]), "b_start": int(c["b_start"]), "game_value": float(r.lower_estimate)}


@lru_cache(maxsize=4096)
def _quantum_game(C: float, n: int) -> tuple[NDArray[np.float64], NDArray[np.float64], float]:
    """The N-bin Tsirelson optimum at ``C``: unit vectors per input bin of both routers and the game value (cached)."""
    from bounds.tsirelson import tsirelson
    from games import discretise, paper_game

    r = tsirelson(discretise(paper_game(C), n))
    return np.array(r.strategy.u, dtype=float), np.array(r.strategy.v, dtype=float), float(r.lower_estimate)


def _end_point(pt: OperatingPoint, C: float) -> ProxyPoint:
    if C <= 0:
        return ProxyPoint(0.0, 0.0, pt.W_bunch, {"strategy": "always_bunch"})
    return ProxyPoint(1.0, 1.0, pt.W_split, {"strategy": "always_split"})


def _classical_at(pt: OperatingPoint, C: float, bins: int) -> ProxyPoint:
    if C <= 0 or C >= 1:
        return _end_point(pt, C)
    g = _classical_game(C, bins)
    U = _step_moments(pt, g["a_switches"], g["a_start"])
    V = _step_moments(pt, g["b_switches"], g["b_start"])
    pb, cost = bunch_and_cost(pt, U, V)
    return ProxyPoint(C, 1.0 - pb, pt.W_split + cost, dict(g))


def _quantum_at(pt: OperatingPoint, C: float, n: int, moments: NDArray[np.float64]) -> ProxyPoint:
    if C <= 0 or C >= 1:
        return _end_point(pt, C)
    u, v, value = _quantum_game(C, n)
    pb, cost = bunch_and_cost(pt, moments.T @ u, moments.T @ v)
    return ProxyPoint(C, 1.0 - pb, pt.W_split + cost, {"N": n, "game_value": value})


# --------------------------------------------------------------------------- the C_t search

def _values(pts: dict[float, ProxyPoint], w_limit: float) -> tuple[ProxyPoint, HullMix, list[ProxyPoint]]:
    order = [pts[c] for c in sorted(pts)]
    pure = min((p for p in order if p.W_q <= w_limit), key=lambda p: (p.p_split, p.C))
    mix = hull_minimum([(p.W_q, p.p_split) for p in order], w_limit)
    assert mix is not None  # C_t = 1 (always split) meets every feasible limit
    return pure, mix, order


def scan(pt: OperatingPoint, evaluate: Callable[[float], ProxyPoint], *, grid: int = 32, delta: float = 0.02,
         tol_C: float = 2.0**-22, tol_mixed: float = 1e-10, max_evaluations: int = 2000) -> tuple[ProxyPoint, HullMix, list[ProxyPoint]]:
    """Converged pure and mixed proxy values of one class (see the module docstring).

    Parameters
    ----------
    evaluate : ``C -> ProxyPoint`` (the class's game-optimal strategy at ``C``, evaluated on the system).
    grid : the first pass evaluates ``C = k / grid``, ``k = 0..grid``.
    delta : bisect an interval while its two points differ by more than ``delta`` in
        ``max(|dW| / (W_bunch - W_split), |dp|)`` and it is wider than ``tol_C``.
    tol_C : the smallest interval bisected (locates jumps and feasibility edges).
    tol_mixed : stop refining next to the mixed value's hull vertices once a round moves it by less.

    Returns
    -------
    (pure point, mixed hull minimum with indices into the returned curve, curve sorted by ``C``).
    """
    w_limit = pt.W_limit
    scale = pt.W_bunch - pt.W_split
    pts: dict[float, ProxyPoint] = {}

    def ev(C: float) -> None:
        if C not in pts:
            if len(pts) >= max_evaluations:
                raise SolverError(f"the C_t search needs more than `max_evaluations` = {max_evaluations} evaluations")
            pts[C] = evaluate(C)

    def dist(a: ProxyPoint, b: ProxyPoint) -> float:
        return max(abs(a.W_q - b.W_q) / scale, abs(a.p_split - b.p_split))

    for k in range(grid + 1):
        ev(k / grid)
    # 1. resolve the curve and locate its jumps
    stack = list(zip(sorted(pts), sorted(pts)[1:]))
    while stack:
        a, b = stack.pop()
        if b - a > tol_C and dist(pts[a], pts[b]) > delta:
            m = 0.5 * (a + b)
            ev(m)
            stack += [(a, m), (m, b)]
    # 2. feasibility edges (W_q - W_limit changes sign)
    stack = [(a, b) for a, b in zip(sorted(pts), sorted(pts)[1:]) if (pts[a].W_q <= w_limit) != (pts[b].W_q <= w_limit)]
    while stack:
        a, b = stack.pop()
        if b - a > tol_C:
            m = 0.5 * (a + b)
            ev(m)
            stack.append((a, m) if (pts[a].W_q <= w_limit) != (pts[m].W_q <= w_limit) else (m, b))
    # 3. next to the hull vertices carrying the mixed value (and the pure minimiser)
    pure, mix, order = _values(pts, w_limit)
    while True:
        Cs = sorted(pts)
        active = {order[i].C for _, i in mix.components} | {pure.C}
        new = []
        for C in active:
            k = Cs.index(C)
            for lo, hi in ((k - 1, k), (k, k + 1)):
                if 0 <= lo and hi < len(Cs) and Cs[hi] - Cs[lo] > tol_C:
                    new.append(0.5 * (Cs[lo] + Cs[hi]))
        if not new:
            break
        for C in new:
            ev(C)
        old = mix.p_split
        pure, mix, order = _values(pts, w_limit)
        if old - mix.p_split < tol_mixed:
            break
    return pure, mix, order


def proxy_route(pt: OperatingPoint, *, grid: int = 32, delta: float = 0.02, tol_C: float = 2.0**-22,
                classical_bins: int = 60, quantum_bins: int = 32, models: Sequence[str] = MODELS) -> ProxyRoute:
    """Pure and mixed proxy values of both classes (estimates; see the module docstring and :func:`scan`).

    ``models`` limits the search to some classes (the others report always split, with no curve).
    """
    grid = check_int("grid", grid, low=2, high=4096)
    classical_bins = check_int("classical_bins", classical_bins, low=2, high=2000)
    quantum_bins = check_int("quantum_bins", quantum_bins, low=2, high=512)
    if isinstance(delta, bool) or not (isinstance(delta, (int, float)) and 0 < delta <= 1):
        raise BoundsParameterError(f"`delta` must be a number in (0, 1]; got {delta!r}")
    if isinstance(tol_C, bool) or not (isinstance(tol_C, (int, float)) and 0 < tol_C <= 0.5 / grid):
        raise BoundsParameterError(f"`tol_C` must be a number in (0, 0.5 / grid]; got {tol_C!r}")
    if isinstance(models, str) or not set(models) <= set(MODELS):
        raise BoundsParameterError(f"`models` must be a subset of {MODELS}; got {models!r}")
    settings = {"grid": grid, "delta": delta, "tol_C": tol_C, "classical_bins": classical_bins, "quantum_bins": quantum_bins}
    if pt.budget >= pt.mean_cost:
        out = {m: ProxyChoice(m, 0.0, 0.0, pt.W_bunch, {"strategy": "always_bunch"}, 0.0, pt.W_bunch, ((1.0, 0.0, 0.0, pt.W_bunch),))
               for m in MODELS}
        return ProxyRoute(out["classical"], out["quantum"], {m: 0 for m in MODELS}, settings)
    if pt.budget <= 0:  # W_limit at (or within rounding below) the always-split wait: only always split meets it
        out = {m: ProxyChoice(m, 1.0, 1.0, pt.W_split, {"strategy": "always_split"}, 1.0, pt.W_split, ((1.0, 1.0, 1.0, pt.W_split),))
               for m in MODELS}
        return ProxyRoute(out["classical"], out["quantum"], {m: 0 for m in MODELS}, settings)
    qm = _interval_moments(pt, np.arange(quantum_bins + 1) / quantum_bins)
    evaluators: dict[str, Callable[[float], ProxyPoint]] = {
        "classical": lambda C: _classical_at(pt, C, classical_bins),
        "quantum": lambda C: _quantum_at(pt, C, quantum_bins, qm),
    }
    out = {m: ProxyChoice(m, 1.0, 1.0, pt.W_split, {"strategy": "always_split"}, 1.0, pt.W_split, ((1.0, 1.0, 1.0, pt.W_split),))
           for m in MODELS}
    counts = {m: 0 for m in MODELS}
    for m in models:
        pure, mix, curve = scan(pt, evaluators[m], grid=grid, delta=delta, tol_C=tol_C)
        comps = tuple((w, curve[i].C, curve[i].p_split, curve[i].W_q) for w, i in mix.components)
        out[m] = ProxyChoice(m, pure.C, pure.p_split, pure.W_q, pure.strategy, mix.p_split, mix.W_q, comps, tuple(curve))
        counts[m] = len(curve)
    return ProxyRoute(out["classical"], out["quantum"], counts, settings)
