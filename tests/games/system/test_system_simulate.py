"""Simulated W_q, E[T_B], p_split and idle-period law against the independently derived formulas.

Every comparison uses 10^6 pairs, a fixed seed and a 99 % batch-means
confidence interval (30 batches, Student t).  There are 15 runs x 3 interval
checks (+ 15 KS tests at 1 %), so about 0.45 + 0.15 misses would be expected by
chance if the seeds were redrawn; with the fixed seeds below every check
passes.
"""

import math

import numpy as np
import pytest
from scipy import stats

from analytic.laws.service import ServiceLaw
from analytic.optimal import optimal_fixed_p_rule, threshold_for_p_split
from analytic.rules import SumThresholdRule
from analytic.throughput import throughput_monomial
from analytic.waiting import waiting_time
from games import AngleStrategy, StepStrategy
from games.errors import GameParameterError
from games.system import AngleRouting, IdealRouting, RandomRouting, StepRouting, simulate

EXP1 = ServiceLaw.exponential(1.0)
PAIRS = 1_000_000
POINTS = [(0.3, 0.7), (0.6, 0.5), (0.8, 0.3)]  # (rho, p_split) with mu = 1, so lam = rho
RHOS = [0.3, 0.6, 0.8]


def _step():
    # an asymmetric step strategy (g != h, so beta(x1, x2) != beta(x2, x1)) with three switch points
    n = 16
    mid = (np.arange(n) + 0.5) / n
    return StepStrategy(np.where(mid < 0.45, 1, -1), np.where((mid < 0.3) | (mid > 0.85), 1, -1))


def _angles():
    # the paper's linear relative-angle ansatz (d0, d1, d2) = (3.709, -2.760, -2.759) on 32 bins
    n = 32
    mid = (np.arange(n) + 0.5) / n
    return AngleStrategy(3.709 - 2.760 * mid, 2.759 * mid)


def _routing(kind, rho, p):
    if kind == "sum_threshold":
        return IdealRouting(SumThresholdRule(threshold_for_p_split(EXP1, p)))
    if kind == "optimal_fixed_p":
        return IdealRouting(optimal_fixed_p_rule(rho, EXP1, p))
    if kind == "random":
        return RandomRouting(p)
    if kind == "classical_step":
        return StepRouting(_step())
    return AngleRouting(_angles())


CASES = [(kind, rho, p) for kind in ("sum_threshold", "optimal_fixed_p", "random") for rho, p in POINTS]
CASES += [(kind, rho, None) for kind in ("classical_step", "quantum_angles") for rho in RHOS]
_CACHE: dict = {}


def _run(kind, rho, p):
    key = (kind, rho, p)
    if key not in _CACHE:
        routing = _routing(kind, rho, p)
        seed = 1000 + CASES.index(key)  # from the case, so any order or subset of tests sees the same runs
        sim = simulate(routing, lam=rho, mu=1.0, n_pairs=PAIRS, seed=seed)
        _CACHE[key] = (routing, sim)
    return _CACHE[key]


def _inside(value, ci):
    return ci[0] <= value <= ci[1]


@pytest.mark.parametrize("kind, rho, p", CASES)
def test_wq_matches_formula(kind, rho, p):
    routing, sim = _run(kind, rho, p)
    formula = waiting_time(routing.rule(), EXP1, rho)
    assert _inside(formula, sim.wq_ci), (formula, sim.wq, sim.wq_ci)


@pytest.mark.parametrize("kind, rho, p", CASES)
def test_p_split_matches_rule(kind, rho, p):
    routing, sim = _run(kind, rho, p)
    exact = routing.rule().moments(EXP1).p_split
    assert _inside(exact, sim.p_split_ci), (exact, sim.p_split_ci)


@pytest.mark.parametrize("kind, rho, p", CASES)
def test_throughput_matches_formula(kind, rho, p):
    # E[T_B] for T(t) = t^2: (1 - rho) 2 / lambda_eff
    routing, sim = _run(kind, rho, p)
    formula = throughput_monomial(rho, 1.0, routing.rule().moments(EXP1).p_split, 2)
    tb, ci = sim.throughput(2)
    assert _inside(formula, ci), (formula, tb, ci)


@pytest.mark.parametrize("kind, rho, p", CASES)
def test_idle_periods_are_exponential(kind, rho, p):
    # KS test of server 1's idle periods (i.i.d. by memorylessness) against Exp(lambda_eff) at level 1 %
    routing, sim = _run(kind, rho, p)
    le = rho * (1 + routing.rule().moments(EXP1).p_split) / 2
    sample = sim.idle_lengths[sim.idle_server == 0]
    assert sample.size > 50_000
    assert stats.kstest(sample, stats.expon(scale=1 / le).cdf).pvalue > 0.01


def test_idle_law_test_has_power():
    # the same KS test rejects the paper's law at the wrong rate (lambda instead of lambda_eff)
    _routing, sim = _run("random", 0.6, 0.5)
    sample = sim.idle_lengths[sim.idle_server == 0]
    assert stats.kstest(sample, stats.expon(scale=1 / 0.6).cdf).pvalue < 1e-6


@pytest.mark.parametrize("order", ["shorter_first", "longer_first"])
def test_order_inside_pair(order):
    # sum threshold at (rho, p) = (0.6, 0.5) with a non-random order inside bunched pairs
    t = threshold_for_p_split(EXP1, 0.5)
    sim = simulate(IdealRouting(SumThresholdRule(t)), lam=0.6, mu=1.0, n_pairs=PAIRS, seed=77, order=order)
    assert _inside(waiting_time(SumThresholdRule(t), EXP1, 0.6, order), sim.wq_ci)


def test_general_law_gamma():
    # Gamma(2, 1/2) service (mean 1): the general-law formula, sum threshold with p_split = 0.5
    law = ServiceLaw(dist=stats.gamma(2.0, scale=0.5))
    t = threshold_for_p_split(law, 0.5)
    sim = simulate(IdealRouting(SumThresholdRule(t)), lam=0.6, law=law, n_pairs=PAIRS, seed=91)
    assert _inside(waiting_time(SumThresholdRule(t), law, 0.6), sim.wq_ci)
    assert _inside(throughput_monomial(0.6, 1.0, 0.5, 3), sim.throughput(3)[1])


@pytest.mark.parametrize("rho, p, order", [(0.3, 0.5, "shorter_first"), (0.6, 0.3, "random")])
def test_theorem_4_1_counterexample_by_simulation(rho, p, order):
    # common random numbers: same pairs, two routings; the sum threshold waits longer than the optimal rule
    t = threshold_for_p_split(EXP1, p)
    opt = optimal_fixed_p_rule(rho, EXP1, p, order)
    a = simulate(IdealRouting(SumThresholdRule(t)), lam=rho, mu=1.0, n_pairs=PAIRS, seed=5, order=order)
    b = simulate(IdealRouting(opt), lam=rho, mu=1.0, n_pairs=PAIRS, seed=5, order=order)
    _diff, ci = a.wq_difference(b)
    formula = waiting_time(SumThresholdRule(t), EXP1, rho, order) - waiting_time(opt, EXP1, rho, order)
    assert ci[0] > 0
    assert _inside(formula, ci)


def test_python_kernel_equals_numba():
    r = RandomRouting(0.4)
    a = simulate(r, lam=0.5, mu=1.0, n_pairs=3000, seed=3, kernel="numba")
    b = simulate(r, lam=0.5, mu=1.0, n_pairs=3000, seed=3, kernel="python")
    assert a.wq == pytest.approx(b.wq, rel=1e-12)
    assert np.allclose(a.idle_lengths, b.idle_lengths)


def test_result_dict_and_seed_recorded():
    d = simulate(RandomRouting(0.4), lam=0.5, mu=1.0, n_pairs=5000, seed=9).to_dict(k=2)
    assert d["seed"] == 9 and d["level"] == 0.99 and len(d["TB_ci"]) == 2 and math.isfinite(d["Wq"])


@pytest.mark.parametrize(
    "kw, msg",
    [({"lam": 1.0, "mu": 1.0}, "`rho`"), ({"lam": 0.5, "mu": 1.0, "order": "lifo"}, "`order`"),
     ({"lam": 0.5, "mu": 1.0, "n_pairs": 10}, "`n_pairs`"), ({"lam": 0.5}, "`mu`"),
     ({"lam": 0.5, "mu": 1.0, "law": EXP1}, "either"), ({"lam": -0.5, "mu": 1.0}, "`lam`")],
)
def test_bad_input(kw, msg):
    with pytest.raises(GameParameterError, match=msg):
        simulate(RandomRouting(0.5), **kw)
