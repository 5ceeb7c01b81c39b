"""Numba Lindley kernel == plain-Python twin == independent event-driven simulator."""

import numpy as np
import pytest

from analytic.laws.service import ServiceLaw
from analytic.rules import SumThresholdRule
from games import AngleStrategy, StepStrategy
from games.system import AngleRouting, IdealRouting, RandomRouting, StepRouting, simulate_inputs
from games.system._kernels import empty_outputs, queue_kernel, queue_twin
from tests.games.system.eventloop import event_loop

ROUTINGS = [
    RandomRouting(0.3),
    IdealRouting(SumThresholdRule(1.2)),
    StepRouting(StepStrategy([1, 1, -1, -1], [1, -1, -1, 1])),
    AngleRouting(AngleStrategy([0.0, 1.0, 2.0], [2.5, 1.5, 0.1])),
]


def _run(fn, blk, arrivals, free0=(0.0, 0.0), offset=0):
    free = np.array(free0, dtype=float)
    out = empty_outputs(arrivals.size)
    k = fn(arrivals, blk["x1"], blk["x2"], blk["srv_a"], blk["srv_b"], blk["a_first"], free, offset, *out)
    return out[0], out[1][:k], out[2][:k], out[3][:k], free


@pytest.mark.parametrize("routing", ROUTINGS)
@pytest.mark.parametrize("order", ["random", "shorter_first", "longer_first"])
def test_kernel_twin_and_event_loop_agree(routing, order):
    # same inputs, three implementations: identical waits and idle periods
    rng = np.random.default_rng(42)
    blk = simulate_inputs(routing, 0.8, ServiceLaw.exponential(1.0), 3000, rng, order)
    arrivals = np.cumsum(blk["inter"])
    wk, lk, sk, pk, fk = _run(queue_kernel, blk, arrivals)
    wt, lt, st, pt, ft = _run(queue_twin, blk, arrivals)
    we, le, se, pe = event_loop(arrivals, blk["x1"], blk["x2"], blk["srv_a"], blk["srv_b"], blk["a_first"])
    np.testing.assert_allclose(wk, wt, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(wk, we, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(lk, lt, rtol=1e-12, atol=1e-12)
    assert np.array_equal(sk, st) and np.array_equal(pk, pt)
    # the event loop lists idle periods in the same order per pair
    np.testing.assert_allclose(lk, le, rtol=1e-9, atol=1e-9)
    assert np.array_equal(sk, se) and np.array_equal(pk, pe)
    np.testing.assert_allclose(fk, ft, rtol=1e-12, atol=1e-12)  # free times: floats of two implementations, like the waits


def test_chunked_run_equals_single_run():
    # state carried in `free` and the global pair offset make chunking invisible
    rng = np.random.default_rng(1)
    routing = RandomRouting(0.5)
    blk = simulate_inputs(routing, 0.7, ServiceLaw.exponential(1.0), 2000, rng)
    arrivals = np.cumsum(blk["inter"])
    whole = _run(queue_kernel, blk, arrivals)
    first = {k: v[:700] for k, v in blk.items()}
    second = {k: v[700:] for k, v in blk.items()}
    a = _run(queue_kernel, first, arrivals[:700])
    b = _run(queue_kernel, second, arrivals[700:], free0=a[4], offset=700)
    np.testing.assert_array_equal(np.concatenate([a[0], b[0]]), whole[0])
    np.testing.assert_array_equal(np.concatenate([a[3], b[3]]), whole[3])


def test_hand_example():
    # pair 0 at t=1 bunched on server 0 (A first, x=2, 3); pair 1 at t=2 split (A->0, B->1)
    arrivals = np.array([1.0, 2.0])
    x1, x2 = np.array([2.0, 1.0]), np.array([3.0, 4.0])
    sa, sb = np.array([0, 0], np.int8), np.array([0, 1], np.int8)
    af = np.array([True, True])
    free = np.zeros(2)
    w, il, isv, ip = empty_outputs(2)
    k = queue_kernel(arrivals, x1, x2, sa, sb, af, free, 0, w, il, isv, ip)
    # pair 0: waits 0 and 2; pair 1: A waits until 6 (4), B starts at once on idle server 1
    assert w.tolist() == [2.0, 4.0]
    assert k == 2 and il[:k].tolist() == [1.0, 2.0] and isv[:k].tolist() == [0, 1]
    assert free.tolist() == [7.0, 6.0]
