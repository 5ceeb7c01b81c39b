"""Tests of games.system.batch_means against independent computations (scipy's t interval, hand-made batches)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from games.errors import GameParameterError, GameTypeError
from games.system.batch_means import BatchPlan, batching, idle_throughput, ratio_ci, service_law


def test_ratio_ci_with_equal_denominators_is_the_t_interval_of_the_batch_ratios() -> None:
    # d constant: the delta-method interval reduces to the plain t interval of y / d
    rng = np.random.default_rng(0)
    y = rng.standard_normal(12) + 3.0
    d = np.full(12, 2.0)
    r, lo, hi = ratio_ci(y, d, 0.95)
    ref = stats.t.interval(0.95, 11, loc=np.mean(y / d), scale=stats.sem(y / d))
    assert r == pytest.approx(np.mean(y / d), rel=1e-14)
    assert (lo, hi) == pytest.approx(ref, rel=1e-12)


def test_batch_plan_by_hand() -> None:
    arrivals = np.array([0.5, 1.0, 2.0, 4.0, 7.0, 11.0, 16.0])
    plan = BatchPlan.make(7, 1, 2, arrivals)  # warm-up 1, batches of 3 arrivals: [1, 4) and [4, 7)
    assert plan.edges.tolist() == [1, 4, 7]
    assert plan.time.tolist() == [4.0 - 0.5, 16.0 - 4.0]
    assert plan.count.tolist() == [3.0, 3.0]
    assert plan.batch_of(np.arange(7)).tolist() == [-1, 0, 0, 0, 1, 1, 1]
    assert plan.per_batch(np.arange(7)).tolist() == [1 + 2 + 3, 4 + 5 + 6]


def test_idle_throughput_degree_and_function_agree() -> None:
    lengths = np.array([1.0, 2.0, 3.0, 4.0])
    batch = np.array([0, 0, 1, 1])
    time = np.array([5.0, 10.0])
    by_degree = idle_throughput(2, lengths, batch, time, 0.9)
    by_function = idle_throughput(lambda t: t * t, lengths, batch, time, 0.9)
    assert by_degree == by_function
    assert by_degree[0] == pytest.approx((1 + 4 + 9 + 16) / (2 * 15.0))
    with pytest.raises(GameParameterError, match="`T`"):
        idle_throughput(lambda t: t[:1], lengths, batch, time, 0.9)


def test_bad_input_names_the_parameter() -> None:
    with pytest.raises(GameParameterError, match="`n_batches` = 30 is too many for 20 tuples"):
        batching(1000, 30, 980, 0.99, "tuples")
    with pytest.raises(GameParameterError, match="level"):
        batching(1000, 30, None, 1.0, "pairs")
    with pytest.raises(GameParameterError, match="not both"):
        service_law(1.0, service_law(1.0, None))
    with pytest.raises(GameParameterError, match="`mu`"):
        service_law(None, None)
    with pytest.raises(GameTypeError, match="ServiceLaw"):
        service_law(None, "exponential")  # type: ignore[arg-type]
