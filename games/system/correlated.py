"""Routing with continuum strategies: threshold routers with a shared flip bit, and Born-rule sampling
of planar (qubit XY-plane) measurements on a singlet -- plus a three-class run with common random numbers.

A :class:`MixedRouting` plays a shared-coin mixture of router pairs
(:class:`bounds.system_routers.MixedStrategy`).  Per pair it uses the simulator's two
fresh uniforms ``u0, u1``: ``u1`` picks the mixture component and is then
rescaled to a fresh uniform (``(u1 - c_lo)/(c_hi - c_lo)``, independent of the
choice); ``u0`` is the shared flip bit (classical: ``o_A = s A(x)``,
``o_B = s B(y)``) or router A's uniform outcome (quantum: on the singlet A's
outcome is a fair coin and ``P(o_B = o_A) = (1 + E)/2``,
``E = visibility * <u(x), v(y)>``).  Either way ``o_A`` is a fair coin
independent of the service times: the symmetric loads of assumption A2.

>>> import numpy as np
>>> from bounds.system_routers import ALWAYS_SPLIT, MixedStrategy
>>> r = MixedRouting(MixedStrategy(((1.0, ALWAYS_SPLIT),)))
>>> oa, ob = r.route(None, None, np.array([0.5, 2.0]), np.array([1.0, 0.1]), np.array([[0.2, 0.7], [0.9, 0.1]]))
>>> (oa * ob).tolist()
[-1, -1]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from games.errors import GameTypeError
from games.progress import OnProgress, report

__all__ = ["MixedRouting", "simulate_classes"]


@dataclass(frozen=True, eq=False)
class MixedRouting:
    """A shared-coin mixture of threshold or planar router pairs (see the module docstring)."""

    strategy: Any  # bounds.system_routers.MixedStrategy (duck-typed: games does not import bounds)

    def __post_init__(self) -> None:
        comps = getattr(self.strategy, "components", None)
        if not comps:
            raise GameTypeError("`strategy` must be a bounds.system_routers.MixedStrategy with at least one component")

    def route(self, a: Any, b: Any, x1: NDArray[np.float64], x2: NDArray[np.float64], u: NDArray[np.float64]) -> tuple[NDArray[np.int8], NDArray[np.int8]]:
        x1 = np.asarray(x1, dtype=float)
        x2 = np.asarray(x2, dtype=float)
        n = x1.size
        coin = np.where(u[:, 0] < 0.5, 1, -1).astype(np.int8)
        oa = np.empty(n, dtype=np.int8)
        ob = np.empty(n, dtype=np.int8)
        weights = np.array([w for w, _ in self.strategy.components], dtype=float)
        cum = np.concatenate([[0.0], np.cumsum(weights) / weights.sum()])
        cum[-1] = 1.0
        for k, (_, pair) in enumerate(self.strategy.components):
            sel = (u[:, 1] >= cum[k]) & (u[:, 1] < cum[k + 1]) if k < len(weights) - 1 else u[:, 1] >= cum[k]
            if not sel.any():
                continue
            fresh = (u[sel, 1] - cum[k]) / max(cum[k + 1] - cum[k], 1e-300)
            if pair.model == "classical":
                oa[sel] = (coin[sel] * pair.a.output(x1[sel])).astype(np.int8)
                ob[sel] = (coin[sel] * pair.b.output(x2[sel])).astype(np.int8)
            else:
                corr = pair.correlation(x1[sel], x2[sel])
                oa[sel] = coin[sel]
                ob[sel] = np.where(fresh < (1.0 + corr) / 2.0, coin[sel], -coin[sel]).astype(np.int8)
        return oa, ob

    def describe(self) -> dict[str, Any]:
        return {"routing": "mixed", **self.strategy.describe()}


def simulate_classes(pt: Any, exact: Any, T: Any, n_pairs: int, seed: int = 0, level: float = 0.99,
                     on_progress: OnProgress | None = None) -> dict[str, Any]:
    """Simulate the ideal, classical and quantum solutions of ``exact`` (a route result) with common random numbers.

    Every class sees the same arrivals and service times (same ``seed``);
    only the routing differs.  Returns, per class, the simulated ``W_q``,
    ``p_split`` and ``E[T_B]`` with ``level`` confidence intervals beside the
    computed values, and the measured throughput ratio quantum/classical with
    a conservative interval (ratio of the interval ends).
    ``on_progress(done, total, class)`` (:data:`games.progress.OnProgress`),
    if given, hears of each class's simulation as it starts and of the end.
    """
    from bounds.system import solve_class
    from games.system import IdealRouting, RandomRouting, simulate

    sols = {m: solve_class(pt, m) for m in ("ideal", "classical", "quantum")}
    routings: dict[str, IdealRouting | RandomRouting | MixedRouting] = {}
    rule = getattr(sols["ideal"], "rule", None)
    routings["ideal"] = IdealRouting(rule) if rule is not None else RandomRouting(0.0)
    for m in ("classical", "quantum"):
        routings[m] = MixedRouting(sols[m].strategy)
    out: dict[str, Any] = {"pairs": n_pairs, "seed": seed, "level": level, "common_random_numbers": True, "classes": {}}
    tb_sim = {}
    for i, (m, r) in enumerate(routings.items()):
        report(on_progress, i, len(routings), f"simulating the {m} class")
        res = simulate(r, pt.lam, law=pt.law, n_pairs=n_pairs, seed=seed, level=level)
        tb, tb_ci = res.throughput(T)
        tb_sim[m] = (tb, tb_ci)
        out["classes"][m] = {
            "W_q": res.wq, "W_q_ci": list(res.wq_ci), "W_q_computed": sols[m].waiting_time,
            "W_q_ok": bool(res.wq_ci[0] <= pt.W_limit or res.wq <= pt.W_limit),
            "p_split": res.p_split, "p_split_ci": list(res.p_split_ci), "p_split_computed": exact.p_split[m],
            "p_split_in_ci": bool(res.p_split_ci[0] <= exact.p_split[m] <= res.p_split_ci[1]),
            "throughput": tb, "throughput_ci": list(tb_ci), "throughput_computed": exact.throughput[m],
            "throughput_in_ci": bool(tb_ci[0] <= exact.throughput[m] <= tb_ci[1]),
        }
    (q, (qlo, qhi)), (c, (clo, chi)) = tb_sim["quantum"], tb_sim["classical"]
    out["throughput_ratio"] = q / c
    out["throughput_ratio_interval"] = [qlo / chi, qhi / clo]
    out["throughput_ratio_computed"] = exact.throughput_ratio
    out["ratio_consistent"] = bool(qlo / chi <= exact.throughput_ratio <= qhi / clo)
    report(on_progress, len(routings), len(routings), "done")
    return out
