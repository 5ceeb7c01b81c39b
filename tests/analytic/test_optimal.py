"""Theorem 4.1: the W_q-optimal rule at fixed p_split, and the sum threshold's excess."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytic.errors import AnalyticParameterError
from analytic.laws.service import ServiceLaw
from analytic.optimal import (
    derive_optimal_rule,
    optimal_fixed_p_rule,
    qos_comparison,
    threshold_excess,
    threshold_for_p_split,
)
from analytic.rules import BinnedRule, CostThresholdRule, SumThresholdRule
from analytic.waiting import waiting_time
from games import paper_game

EXP1 = ServiceLaw.exponential(1.0)


def test_derivation_checks_pass():
    d = derive_optimal_rule()
    assert d.passed, [c for c in d.checks if not c.passed]


@pytest.mark.parametrize("p", [0.1, 0.5, 0.9])
def test_threshold_for_p_split_matches_game(p):
    # paper_game(C = e^{-t}).bunch_probability() = 1 - p_split (games' own exact area)
    t = threshold_for_p_split(EXP1, p)
    assert 1 - paper_game(math.exp(-t)).bunch_probability() == pytest.approx(p, abs=1e-12)


@pytest.mark.parametrize("order", ["random", "shorter_first", "longer_first"])
def test_optimal_rule_hits_p_split_and_beats_sum_threshold(order):
    p, lam = 0.4, 0.6
    opt = optimal_fixed_p_rule(lam, EXP1, p, order)
    assert opt.moments(EXP1).p_split == pytest.approx(p, abs=1e-9)
    t = threshold_for_p_split(EXP1, p)
    assert waiting_time(opt, EXP1, lam, order) < waiting_time(SumThresholdRule(t), EXP1, lam, order)


@settings(max_examples=15)
@given(st.floats(0.0, 5.0), st.floats(0.0, 1.0), st.sampled_from(["random", "shorter_first"]))
def test_no_other_cost_rule_beats_optimum(kappa2, wmix, order):
    # any other cost-threshold rule tuned to the same p_split waits at least as long (bathtub optimality)
    lam, p = 0.5, 0.35
    opt = optimal_fixed_p_rule(lam, EXP1, p, order)
    w_opt = waiting_time(opt, EXP1, lam, order)
    from scipy import optimize

    def rule(tau):
        return CostThresholdRule(kappa2, 0.1 + wmix, 1.1 - wmix, tau)

    tau = optimize.brentq(lambda tt: rule(tt).moments(EXP1).p_split - p, 1e-9, 200.0, xtol=1e-13)
    assert waiting_time(rule(tau), EXP1, lam, order) >= w_opt - 1e-9


def test_optimum_beats_binned_rules_with_same_p_split():
    # a binned rule (e.g. a classical step strategy) with p_split = 1/2 waits longer than the optimum at 1/2
    r = BinnedRule.from_signs([1, -1], [1, -1])
    p = r.moments(EXP1).p_split
    opt = optimal_fixed_p_rule(0.6, EXP1, p)
    assert waiting_time(r, EXP1, 0.6) > waiting_time(opt, EXP1, 0.6)


def test_light_traffic_limit_random_order():
    # relative excess -> 0 as rho -> 0 (kappa -> 0) for random order, roughly linearly in rho
    ex = [threshold_excess(r, 0.3).relative_excess for r in (0.2, 0.05, 0.0125)]
    assert ex[0] > ex[1] > ex[2] > 0
    assert ex[2] < 0.1 * ex[0]


def test_shorter_first_excess_does_not_vanish():
    # with shorter-first service the sum threshold stays suboptimal even in light traffic
    assert threshold_excess(0.01, 0.5, "shorter_first").relative_excess > 0.1


def test_qos_comparison_lower_p_split_and_higher_throughput():
    d = qos_comparison(0.8, 0.4, 3)
    assert d["p_split_optimal"] < 0.4
    assert d["throughput_ratio"] == pytest.approx(((1.4) / (1 + d["p_split_optimal"])) ** 2)
    w = waiting_time(optimal_fixed_p_rule(0.8, EXP1, d["p_split_optimal"]), EXP1, 0.8)
    assert w == pytest.approx(d["W_l"], rel=1e-8)


@pytest.mark.parametrize("call", [lambda: optimal_fixed_p_rule(0.5, EXP1, 1.5), lambda: optimal_fixed_p_rule(1.0, EXP1, 0.5),
                                  lambda: threshold_for_p_split(EXP1, -0.1), lambda: optimal_fixed_p_rule(0.5, EXP1, 0.5, "lifo")])
def test_bad_input(call):
    with pytest.raises(AnalyticParameterError):
        call()


def test_edge_p_split_values():
    assert math.isinf(threshold_for_p_split(EXP1, 0.0))
    assert optimal_fixed_p_rule(0.5, EXP1, 0.0).moments(EXP1).p_bunch == 1.0
    assert optimal_fixed_p_rule(0.5, EXP1, 1.0).moments(EXP1).p_bunch == 0.0
    assert np.isfinite(threshold_excess(0.5, 0.999).excess)
