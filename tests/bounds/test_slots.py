"""The slotted policy problem: families, feasibility, route-on-arrival closed forms and the comparison."""

from __future__ import annotations

import math

import pytest

from analytic.laws.service import ServiceLaw
from analytic.throughput import throughput_monomial
from bounds.errors import BoundsParameterError, BoundsTypeError
from bounds.slot_work import RankRule
from bounds.slots import compare_slots, evaluate_rule, route_on_arrival_fair, slot_point, solve_slotted


def test_fair_coin_matches_the_pair_system_always_split():
    """Route-on-arrival with fair coins = the paper's always-split system (analytic.throughput, p_split = 1)."""
    pt = slot_point(0.6, 2.0, k=3.0)
    p = route_on_arrival_fair(pt)
    assert math.isclose(p.tb, throughput_monomial(0.6, 1.0, 1.0, 3.0), rel_tol=1e-12)
    assert math.isclose(p.wq_lo, 0.6 / 0.4, rel_tol=1e-12)


@pytest.mark.parametrize("model", ["ideal", "classical", "quantum"])
def test_solution_meets_the_limit_and_beats_always_split(model):
    pt = slot_point(0.6, 2.4, h=0.125)
    sol = solve_slotted(pt, 1.0, model, steps=5, gammas=(0.8,), pair_slack=(1.3,))
    assert sol.feasible and sol.wq_est <= pt.W_limit
    split = evaluate_rule(pt, 1.0, RankRule.constant(-1.0))
    assert sol.tb >= split.tb


def test_upper_criterion_is_more_conservative():
    pt = slot_point(0.6, 2.4, h=0.125)
    est = solve_slotted(pt, 1.0, "classical", steps=6)
    up = solve_slotted(pt, 1.0, "classical", steps=6, criterion="upper")
    assert up.wq_hi <= pt.W_limit
    assert up.tb <= est.tb + 1e-12


def test_infeasible_slot_reported():
    pt = slot_point(0.6, 1.6, h=0.125)   # the slot delay alone (tau / 2 = 1) breaks the limit with the queue
    sol = solve_slotted(pt, 2.0, "ideal", steps=3)
    assert not sol.feasible


def test_compare_includes_route_on_arrival():
    pt = slot_point(0.5, 1.5, h=0.125)
    cmp = compare_slots(pt, (1.0,), steps=4, windows=False, pair=False)
    assert cmp.best_classical.tb >= route_on_arrival_fair(pt).tb
    d = cmp.to_dict()
    assert set(d["best_tau"]) == {"ideal", "classical", "quantum"}


def test_bad_input():
    with pytest.raises(BoundsParameterError, match="rho"):
        slot_point(1.0, 2.0, lam_b=1.5)
    with pytest.raises(BoundsParameterError, match="model"):
        solve_slotted(slot_point(0.5, 2.0), 1.0, "magic")
    with pytest.raises(BoundsTypeError, match="SlotPoint"):
        evaluate_rule("pt", 1.0, RankRule.constant(1.0))  # type: ignore[arg-type]
    with pytest.raises(BoundsParameterError, match="taus"):
        compare_slots(slot_point(0.5, 2.0), ())
    with pytest.raises(BoundsParameterError, match=r"law|mu"):
        slot_point(0.5, 2.0, mu=1.0, law=ServiceLaw.exponential(1.0))


def test_constant_ends_of_every_family_are_the_constant_rules():
    """The shared evaluations of the family ends (always split / always bunch) equal a direct evaluation of each end's rule
    (up to float rounding and the Lindley iteration's stopping point)."""
    from bounds.slots import _BUNCH_AT_HI, _family, _search

    pt = slot_point(0.6, 2.4, h=0.125)
    for model, shape in (("classical", "coin"), ("classical", "one-sided"), ("quantum", 0.8), ("quantum", ("pair", 1.8))):
        make, lo, hi, name, _ = _family(pt, 1.0, model, shape)
        direct = evaluate_rule(pt, 1.0, make(lo))
        split = evaluate_rule(pt, 1.0, RankRule.constant(-1.0))
        assert math.isclose(direct.wq_hi, split.wq_hi, rel_tol=1e-6) and math.isclose(direct.tb, split.tb, rel_tol=1e-6), name
        if name in _BUNCH_AT_HI:
            d_hi = evaluate_rule(pt, 1.0, make(hi))
            bunch = evaluate_rule(pt, 1.0, RankRule.constant(1.0))
            assert math.isclose(d_hi.wq_hi, bunch.wq_hi, rel_tol=1e-6) and math.isclose(d_hi.tb, bunch.tb, rel_tol=1e-6), name
    # the quantum class reuses the classical family searches (one search per family)
    a = _search(pt, 1.0, "classical", "coin", "estimate", 3)
    b = _search(pt, 1.0, "quantum", "coin", "estimate", 3)
    assert a is b


def test_limit_policy_in_the_comparison():
    from bounds.slots import route_on_arrival_limit

    pt = slot_point(0.3, 0.5, h=0.125)          # 2 rho < 1: the long-window limit is unbounded for k = 2
    lim = route_on_arrival_limit(pt)
    assert math.isinf(lim.tb) and lim.feasible
    cmp = compare_slots(pt, (0.5,), steps=2, windows=False, pair=False, limit=True)
    assert cmp.best_classical.family == "arrival windows, theta -> inf"
    assert all(r == 0.0 or math.isnan(r) for r in cmp.ratio.values())
    pt = slot_point(0.6, 1.65)                  # fluid: TB0 + 2 (1 - rho)(W_l - W0)/(2 rho - 1) = 4/3 + 0.6
    assert math.isclose(route_on_arrival_limit(pt).tb, 4 / 3 + 0.6, rel_tol=1e-9)


def test_windows_per_theta_and_simulation_rows():
    from bounds.slots import route_on_arrival_windows, simulate_choices

    pt = slot_point(0.6, 1.65, h=0.125)
    per = route_on_arrival_windows(pt, (4.0, 16.0), horizon=2e4, steps=3, each=True)
    assert isinstance(per, tuple) and len(per) == 2
    for p in per:
        assert p.feasible and 0 < p.params["bunched_fraction"] < 1 and p.tb_ci[0] <= p.tb <= p.tb_ci[1]
    cmp = compare_slots(slot_point(0.6, 2.4, h=0.125), (1.0,), steps=2, windows=False, pair=False)
    rows = simulate_choices(cmp, 20000, seed=2)
    assert len(rows) == 3 and all(r["W_q_ci"][0] < r["W_q_sim"] < r["W_q_ci"][1] for r in rows)


@pytest.mark.parametrize("e", [-1.0, 0.0, 1.0])
def test_throughput_bracket_holds_the_idle_fraction_at_k1_and_shrinks_with_h(e):
    """``T(t) = t``: ``E[T_B]`` is the idle fraction ``1 - rho`` for every rule (closed form); the bracket is O(h) wide."""
    widths = []
    for h in (0.1, 0.05, 0.025):
        p = evaluate_rule(slot_point(0.6, 30.0, k=1.0, h=h), 0.5, RankRule.constant(e))
        lo, hi = p.tb_bracket
        assert lo <= 0.4 <= hi
        widths.append(hi - lo)
    assert widths[2] < 0.6 * widths[1] < 0.36 * widths[0]


def test_throughput_bracket_meets_the_simulation_at_k2():
    """``T(t) = t^2``, a shared-coin rule at tau = 1: the bracket meets the simulated 99 % CI (independent event loop)."""
    from bounds.slot_work import rule_correlation
    from games.system.slotted import simulate_slotted

    pt = slot_point(0.6, 30.0, k=2.0, h=0.05)
    rule = RankRule.constant(0.2)
    p = evaluate_rule(pt, 1.0, rule)
    lo, hi = p.tb_bracket
    assert lo <= p.tb <= hi and hi - lo < 0.15
    r = simulate_slotted(lambda ka, kb: rule_correlation(rule, ka, kb, 0.05), 0.6, 0.6, pt.law, tau=1.0, m=20, n_slots=200_000, seed=3)
    _, ci = r.throughput(2.0)
    assert ci[0] <= hi and lo <= ci[1]


def test_throughput_bracket_refuses_k0_and_keeps_the_fair_coin_closed_form():
    pt = slot_point(0.6, 30.0, k=0.0, h=0.1)
    assert evaluate_rule(pt, 0.5, RankRule.constant(-1.0)).tb_bracket is None
    fair = route_on_arrival_fair(slot_point(0.6, 2.0))
    assert fair.tb_bracket == (fair.tb, fair.tb)
