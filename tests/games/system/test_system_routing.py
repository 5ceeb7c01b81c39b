"""Routings: outputs have the law the formulas assume (fair server coin, Born rule, flip bit)."""

import numpy as np
import pytest

from analytic.laws.service import ServiceLaw
from analytic.rules import BinnedRule, CostThresholdRule, SumThresholdRule
from games import AngleStrategy, StepStrategy
from games.errors import GameParameterError, GameTypeError
from games.system import AngleRouting, IdealRouting, RandomRouting, StepRouting, simulate_inputs

N = 200_000


def _draw(routing, n=N, seed=0):
    rng = np.random.default_rng(seed)
    a, b = rng.random(n), rng.random(n)
    law = ServiceLaw.exponential(1.0)
    x1, x2 = law.ppf(a), law.ppf(b)
    oa, ob = routing.route(a, b, x1, x2, rng.random((n, 2)))
    return a, b, x1, x2, oa, ob


def test_angle_routing_born_rule_per_cell():
    # empirical P(o_A = o_B) in each cell vs (1 - cos(theta_a - theta_b))/2, 5 standard errors
    s = AngleStrategy([0.0, 2.0], [1.0, 2.5])
    a, b, _, _, oa, ob = _draw(AngleRouting(s))
    beta = BinnedRule.from_angles(s.theta_a, s.theta_b).beta
    for i in range(2):
        for j in range(2):
            m = ((a * 2).astype(int) == i) & ((b * 2).astype(int) == j)
            f = np.mean(oa[m] == ob[m])
            assert abs(f - beta[i, j]) < 5 * np.sqrt(beta[i, j] * (1 - beta[i, j]) / m.sum())


@pytest.mark.parametrize("routing", [AngleRouting(AngleStrategy([0.0, 2.0], [1.0, 2.5])), StepRouting(StepStrategy([1, -1], [-1, -1])),
                                     IdealRouting(SumThresholdRule(1.0)), RandomRouting(0.3)])
def test_server_coin_fair_and_independent_of_decision(routing):
    # o_A is +1 half the time, both among bunched and among split pairs (symmetric loads, assumption A2)
    _, _, _, _, oa, ob = _draw(routing)
    for mask in (oa * ob == 1, oa * ob == -1):
        if mask.sum() > 1000:
            assert abs(np.mean(oa[mask] == 1) - 0.5) < 5 * 0.5 / np.sqrt(mask.sum())


def test_step_routing_product_is_deterministic():
    g, h = np.array([1, -1, 1]), np.array([-1, -1, 1])
    a, b, _, _, oa, ob = _draw(StepRouting(StepStrategy(g, h)), n=5000)
    i, j = np.minimum((a * 3).astype(int), 2), np.minimum((b * 3).astype(int), 2)
    assert np.array_equal(oa * ob, g[i] * h[j])


def test_ideal_routing_follows_rule():
    r = CostThresholdRule(1.0, 0.25, 0.25, 0.8)
    _, _, x1, x2, oa, ob = _draw(IdealRouting(r), n=5000)
    assert np.array_equal(oa * ob == 1, r.bunch(x1, x2))


def test_simulate_inputs_orders():
    blk = simulate_inputs(RandomRouting(0.0), 0.5, ServiceLaw.exponential(1.0), 1000, np.random.default_rng(0), "shorter_first")
    assert np.array_equal(blk["a_first"], blk["x1"] <= blk["x2"])


@pytest.mark.parametrize("call, exc", [(lambda: RandomRouting(1.5), GameParameterError), (lambda: StepRouting([1, -1]), GameTypeError),
                                       (lambda: AngleRouting("x"), GameTypeError), (lambda: IdealRouting(0.5), GameTypeError)])
def test_bad_input(call, exc):
    with pytest.raises(exc):
        call()
