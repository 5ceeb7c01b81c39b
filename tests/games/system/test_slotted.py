"""The two-stream simulator against closed forms and against the slot-queue bracket of bounds.slot_queue."""

from __future__ import annotations

import numpy as np
import pytest

from analytic.laws.service import ServiceLaw
from bounds.slot_queue import slot_throughput, slot_waiting_time
from bounds.slot_work import RankRule, SumThresholdRule, batch_lattice, rule_correlation, server_work
from games.errors import GameParameterError
from games.system.slotted import serve_fifo, simulate_slotted

EXP = ServiceLaw.exponential(1.0)


def test_serve_fifo_by_hand():
    entry = np.array([0.0, 1.0, 1.0, 5.0])
    arrival = np.array([0.0, 0.5, 0.9, 5.0])
    x = np.array([2.0, 1.0, 1.0, 1.0])
    il, ie = np.empty(5), np.empty(5)
    w, k = serve_fifo(entry, arrival, x, il, ie)
    # customer 0 starts at 0, ends 2; customer 1 starts 2 (waits 1.5), ends 3; customer 2 starts 3 (waits 2.1), ends 4;
    # idle 4 -> 5; customer 3 starts 5
    assert np.allclose(w, [0.0, 1.5, 2.1, 0.0])
    assert k == 1 and np.allclose(il[:1], [1.0])


def test_route_on_arrival_is_mm1():
    """Fair coins: each server is M/M/1 with rate lam: W_q = rho/(1 - rho), E[T_B] = (1 - rho) 2 / lam for T = t^2."""
    lam = 0.5
    r = simulate_slotted(None, lam, lam, EXP, tau=1.0, mode="arrival", n_slots=200_000, seed=2)
    lo, hi = r.wq_ci
    assert lo <= lam / (1 - lam) <= hi
    _tb, (tlo, thi) = r.throughput(2)
    assert tlo <= (1 - lam) * 2 / lam <= thi


@pytest.mark.parametrize("name", ["split", "one-sided", "planar", "sum"])
def test_slotted_matches_the_bracket(name):
    """W_q in the 99 % CI overlaps the rigorous bracket; E[T_B] estimates agree within the CI; p_split exactly."""
    lam, tau, m = 0.6, 1.0, 32
    A = batch_lattice(EXP, lam, tau, m)
    g = A.conditional_cdf()
    size = A.size
    rules = {
        "split": RankRule.constant(-1.0),
        "one-sided": RankRule(((1.0, np.where(np.arange(size) * A.h <= 1.5, 1.0, -1.0)[None, :], np.ones((1, size))),)),
        "planar": RankRule(((1.0, np.stack([np.cos(0.3 + 2 * g), -np.sin(0.3 + 2 * g)]), np.stack([np.cos(2 * g), np.sin(2 * g)])),)),
        "sum": SumThresholdRule(2.0),
    }
    rule = rules[name]
    w = server_work(A, A, rule)
    sw = slot_waiting_time(w)
    tb = slot_throughput(w, sw, 2)
    r = simulate_slotted(lambda ka, kb: rule_correlation(rule, ka, kb, A.h), lam, lam, EXP, tau=tau, m=m, n_slots=300_000, seed=7)
    lo, hi = r.wq_ci
    assert lo <= sw.wq_hi and sw.wq_lo <= hi
    _v, (tlo, thi) = r.throughput(2)
    assert tlo <= 0.5 * (tb[0] + tb[1]) <= thi
    assert abs(r.p_split - w.p_split) < 0.01


def test_common_random_numbers():
    a = simulate_slotted(lambda ka, kb: np.ones(ka.shape), 0.6, 0.6, EXP, tau=1.0, n_slots=50_000, seed=3)
    b = simulate_slotted(lambda ka, kb: -np.ones(ka.shape), 0.6, 0.6, EXP, tau=1.0, n_slots=50_000, seed=3)
    _d, (lo, hi) = a.wq_difference(b)
    assert lo > 0   # bunching waits longer, resolved with common random numbers
    assert hi - lo < (a.wq_ci[1] - a.wq_ci[0])
    assert a.n_customers == b.n_customers


def test_bad_input():
    with pytest.raises(GameParameterError, match="mode"):
        simulate_slotted(None, 0.5, 0.5, EXP, mode="batch")
    with pytest.raises(GameParameterError, match="rho"):
        simulate_slotted(None, 1.5, 0.6, EXP, mode="arrival")
    with pytest.raises(GameParameterError, match="policy"):
        simulate_slotted(None, 0.5, 0.5, EXP, mode="slotted")
