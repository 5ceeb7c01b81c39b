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
