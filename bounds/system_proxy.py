"""The paper's route: design the routers with the sum-threshold game, then meet ``W_limit`` by tuning ``C_t``.

For each threshold ``C_t`` of the paper's game (bunch iff
``(1 - a)(1 - b) >= C_t``) take the game-optimal strategies qcoord computes --
classical: the continuum DP's threshold strategy
(:func:`bounds.continuum_classical`); quantum: the N-bin Tsirelson optimum
(:func:`bounds.tsirelson`) -- and evaluate their exact ``(p_split, W_q)`` for
the real system (moments per input bin, :mod:`bounds.system`).  Among the
``C_t`` whose strategy meets ``W_limit``, keep the smallest ``p_split``
(grid, then bisection at the feasibility edge).  The game-optimal strategy
can jump as ``C_t`` moves, so ``p_split_mixed`` also reports the best
shared-coin mixture of two evaluated strategies (or with always-split) that
meets ``W_limit`` -- a fairer version of the same route.  The difference to the exact
route is the price of designing routers with the paper's game.

>>> from bounds.system import operating_point
>>> r = proxy_route(operating_point(0.6, 1.65), grid=5, refine=2, quantum_bins=16, classical_bins=30)
>>> r.classical.W_q <= 1.65 + 1e-12 and r.quantum.W_q <= 1.65 + 1e-12
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bounds.system import OperatingPoint, _bunch_cost

__all__ = ["ProxyChoice", "ProxyRoute", "proxy_route"]


@dataclass(frozen=True)
class ProxyChoice:
    """The best ``C_t`` of one class, its strategy's ``p_split`` and ``W_q``."""

    model: str
    C: float | None
    p_split: float
    W_q: float
    strategy: dict[str, Any]
    p_split_mixed: float | None = None

    def describe(self) -> dict[str, Any]:
        return {"C_t": self.C, "p_split": self.p_split, "W_q": self.W_q, "p_split_mixed": self.p_split_mixed, **self.strategy}


@dataclass(frozen=True)
class ProxyRoute:
    classical: ProxyChoice
    quantum: ProxyChoice
    evaluations: int
    curve: tuple[tuple[float, float, float, float, float], ...]  #: (C, p_c, W_c, p_q, W_q) per evaluated C


def _interval_moments(pt: OperatingPoint, edges_u: NDArray[np.float64]) -> NDArray[np.float64]:
    """``(P(bin), E[X; bin])`` for bins ``[u_k, u_{k+1}]`` of ``a = F(x)`` (rows)."""
    with np.errstate(divide="ignore"):
        x = np.asarray(pt.law.ppf(edges_u), dtype=float)
    x[edges_u >= 1] = math.inf
    return np.array([[pt.law.prob(x[i], x[i + 1]), pt.law.partial_mean(x[i], x[i + 1])] for i in range(edges_u.size - 1)])


def _step_moments(pt: OperatingPoint, switches: list[float], start: int) -> NDArray[np.float64]:
    edges = np.array([0.0, *switches, 1.0])
    signs = start * (-1.0) ** np.arange(edges.size - 1)
    m = _interval_moments(pt, edges)
    return (signs[:, None] * m).sum(axis=0)[:, None]


def _classical_at(pt: OperatingPoint, C: float, bins: int) -> tuple[float, float, dict[str, Any]]:
    from bounds.classical_continuum import continuum_classical
    from games import paper_game

    r = continuum_classical(paper_game(C), bins=bins)
    c = r.certificates["lower"]
    a_sw = [float(Fraction(s)) for s in c["a_switches"]]
    b_sw = [float(Fraction(s)) for s in c["b_switches"]]
    U = _step_moments(pt, a_sw, int(c["a_start"]))
    V = _step_moments(pt, b_sw, int(c["b_start"]))
    pb, cost = _bunch_cost(pt, U, V)
    return 1.0 - pb, pt.W_split + cost, {"a_switches": a_sw, "b_switches": b_sw, "a_start": int(c["a_start"]), "b_start": int(c["b_start"])}


def _quantum_at(pt: OperatingPoint, C: float, n: int) -> tuple[float, float, dict[str, Any]]:
    from bounds.tsirelson import tsirelson
    from games import discretise, paper_game

    r = tsirelson(discretise(paper_game(C), n))
    m = _interval_moments(pt, np.arange(n + 1) / n)
    U = m.T @ r.strategy.u
    V = m.T @ r.strategy.v
    pb, cost = _bunch_cost(pt, U, V)
    return 1.0 - pb, pt.W_split + cost, {"N": n, "game_value": r.lower_estimate}


def _mixed(points: list[tuple[float, float]], w_limit: float) -> float:
    """Smallest ``p_split`` at ``W_q <= w_limit`` over shared-coin mixtures of two evaluated strategies.

    >>> _mixed([(1.0, 1.0), (3.0, 0.0), (2.5, 0.9)], 2.0)
    0.5
    """
    best = min((p for w, p in points if w <= w_limit), default=1.0)
    for w1, p1 in points:
        for w2, p2 in points:
            if w1 < w_limit < w2:
                t = (w_limit - w1) / (w2 - w1)
                best = min(best, (1 - t) * p1 + t * p2)
    return best


def proxy_route(pt: OperatingPoint, *, grid: int = 9, refine: int = 6, classical_bins: int = 60, quantum_bins: int = 32) -> ProxyRoute:
    """Best ``C_t`` per class (see the module docstring); ``C_t`` searched on ``grid`` points of ``(0, 1)`` then bisected."""
    B = pt.budget
    cache: dict[float, tuple] = {}

    def ev(C: float) -> tuple:
        if C not in cache:
            cache[C] = (_classical_at(pt, C, classical_bins), _quantum_at(pt, C, quantum_bins))
        return cache[C]

    if B >= pt.mean_cost:
        z = ProxyChoice("classical", None, 0.0, pt.W_bunch, {"strategy": "always_bunch"})
        return ProxyRoute(z, ProxyChoice("quantum", None, 0.0, pt.W_bunch, {"strategy": "always_bunch"}), 0, ())
    Cs = list(np.linspace(0.02, 0.98, grid))
    for C in Cs:
        ev(float(C))
    best = {}
    for idx, model in ((0, "classical"), (1, "quantum")):
        feas = [C for C in sorted(cache) if cache[C][idx][1] <= pt.W_limit]
        if not feas:
            best[model] = ProxyChoice(model, None, 1.0, pt.W_split, {"strategy": "always_split"})
            continue
        C_best = min(feas, key=lambda C: cache[C][idx][0])
        # bisect towards the infeasible neighbour: W_q grows as C_t falls (more bunching)
        lower = [C for C in sorted(cache) if C < C_best]
        if lower:
            lo, hi = lower[-1], C_best
            for _ in range(refine):
                mid = 0.5 * (lo + hi)
                if ev(mid)[idx][1] <= pt.W_limit:
                    hi = mid
                else:
                    lo = mid
            feas = [C for C in sorted(cache) if cache[C][idx][1] <= pt.W_limit]
            C_best = min(feas, key=lambda C: cache[C][idx][0])
        p, w, info = cache[C_best][idx]
        pts = [(v[idx][1], v[idx][0]) for v in cache.values()] + [(pt.W_split, 1.0)]
        best[model] = ProxyChoice(model, C_best, p, w, info, _mixed(pts, pt.W_limit))
    curve = tuple((C, v[0][0], v[0][1], v[1][0], v[1][1]) for C, v in sorted(cache.items()))
    return ProxyRoute(best["classical"], best["quantum"], len(cache), curve)
