"""games.system.comparison: three routings at one split probability, formulas beside simulation."""

from __future__ import annotations

import math

import pytest

from analytic.laws.service import ServiceLaw
from analytic.optimal import threshold_for_p_split
from analytic.rules import SumThresholdRule
from games.system.comparison import compare_rules, fixed_p_routings

EXP1 = ServiceLaw.exponential(1.0)


@pytest.mark.parametrize("p", [0.0, 0.3, 0.7, 1.0])
def test_every_routing_splits_with_the_requested_probability(p: float) -> None:
    # exact moments of each rule (closed forms in analytic), independent of the simulator
    for name, routing in fixed_p_routings(EXP1, 0.5, p).items():
        assert routing.rule().moments(EXP1).p_split == pytest.approx(p, abs=1e-9), name


def test_sum_threshold_is_x1_plus_x2_at_most_t() -> None:
    # P(X1 + X2 > t) = (1 + t) e^-t for two Exp(1) service times (Erlang-2 tail)
    r = fixed_p_routings(EXP1, 0.5, 0.4)["sum_threshold"]
    t = threshold_for_p_split(EXP1, 0.4)
    assert (1 + t) * math.exp(-t) == pytest.approx(0.4, abs=1e-12)
    rule = r.rule()
    assert isinstance(rule, SumThresholdRule) and rule.t == pytest.approx(t)


def test_formulas_inside_the_simulated_intervals() -> None:
    rows = compare_rules(0.6, 1.0, 0.5, 2.0, n_pairs=300_000, seed=11)
    for name, r in rows.items():
        assert r.wq_ci[0] <= r.wq_formula <= r.wq_ci[1], name
        assert r.p_split_ci[0] <= 0.5 <= r.p_split_ci[1], name
    # the W_q-optimal fixed-p rule never waits longer than the sum threshold at the same p_split (formula)
    assert rows["optimal_fixed_p"].wq_formula <= rows["sum_threshold"].wq_formula
