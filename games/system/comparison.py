"""Formula against simulation for the three routing rules at one split probability.

At a common ``p_split`` the sum-threshold rule (``X1 + X2 <= t`` bunches), the
``W_q``-optimal fixed-p rule (:func:`analytic.optimal.optimal_fixed_p_rule`)
and random routing are simulated (:func:`games.system.simulate`) and compared
with the closed forms of :mod:`analytic` (``W_q`` and ``E[T_B]`` for
``T(t) = t^k``).  Exponential service.

>>> rows = compare_rules(0.3, 1.0, 0.5, 2.0, n_pairs=20000, seed=1)
>>> sorted(rows), rows["random"].rule["rule"]
(['optimal_fixed_p', 'random', 'sum_threshold'], 'random')
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from analytic.laws.service import ServiceLaw
from games.progress import OnProgress, report
from games.system.routing import IdealRouting, RandomRouting, Routing
from games.system.simulate import simulate

__all__ = ["RuleComparison", "compare_rules", "fixed_p_routings"]


def fixed_p_routings(law: ServiceLaw, lam: float, p_split: float, order: str = "random") -> dict[str, Routing]:
    """The sum-threshold, optimal fixed-p and random routings that all split with probability ``p_split``.

    For ``p_split = 0`` the sum threshold is ``t = inf`` (always bunch), realised as random routing with ``p = 0``.

    >>> r = fixed_p_routings(ServiceLaw.exponential(1.0), 0.5, 0.0)
    >>> r["sum_threshold"].describe()["routing"]
    'random'
    """
    from analytic.optimal import optimal_fixed_p_rule, threshold_for_p_split
    from analytic.rules import SumThresholdRule

    t = threshold_for_p_split(law, p_split)
    return {
        "sum_threshold": IdealRouting(SumThresholdRule(t)) if math.isfinite(t) else RandomRouting(0.0),
        "optimal_fixed_p": IdealRouting(optimal_fixed_p_rule(lam, law, p_split, order)),
        "random": RandomRouting(p_split),
    }


@dataclass(frozen=True)
class RuleComparison:
    """Formula values and simulated estimates (with confidence intervals) of one routing rule."""

    rule: dict[str, Any]
    wq_formula: float
    wq_sim: float
    wq_ci: tuple[float, float]
    tb_formula: float
    tb_sim: float
    tb_ci: tuple[float, float]
    p_split_sim: float
    p_split_ci: tuple[float, float]

    def to_dict(self) -> dict[str, Any]:
        """JSON keys of ``qcoord queue``."""
        return {
            "Wq_formula": self.wq_formula, "Wq_sim": self.wq_sim, "Wq_ci": list(self.wq_ci),
            "TB_formula": self.tb_formula, "TB_sim": self.tb_sim, "TB_ci": list(self.tb_ci),
            "p_split_sim": self.p_split_sim, "p_split_ci": list(self.p_split_ci), "rule": self.rule,
        }


def compare_rules(
    lam: float, mu: float, p_split: float, k: float, *, n_pairs: int = 1_000_000, seed: int = 0, order: str = "random",
    on_progress: OnProgress | None = None,
) -> dict[str, RuleComparison]:
    """Simulate each of :func:`fixed_p_routings` and set it beside its formula values.

    Every rule is simulated with the same ``seed`` (common random numbers).
    ``on_progress(done, total, rule)`` (:data:`games.progress.OnProgress`), if
    given, hears of each rule's simulation as it starts and of the end.
    """
    from analytic.rules import RandomRule
    from analytic.throughput import throughput_monomial
    from analytic.waiting import waiting_time

    law = ServiceLaw.exponential(mu)
    out = {}
    routings = fixed_p_routings(law, lam, p_split, order)
    for i, (name, routing) in enumerate(routings.items()):
        report(on_progress, i, len(routings), name)
        rule = routing.rule()
        sim = simulate(routing, lam=lam, mu=mu, n_pairs=n_pairs, seed=seed, order=order)
        tb, tb_ci = sim.throughput(k)
        # the p = 0 sum threshold is random routing with p = 0: describe it as what it is
        desc = {"rule": "always_bunch"} if isinstance(rule, RandomRule) and name != "random" else rule.describe()
        out[name] = RuleComparison(
            desc, waiting_time(rule, law, lam, order), sim.wq, sim.wq_ci,
            throughput_monomial(lam, law.mean, rule.moments(law).p_split, k), tb, tb_ci,
            sim.p_split, sim.p_split_ci,
        )
    report(on_progress, len(routings), len(routings), "done")
    return out
