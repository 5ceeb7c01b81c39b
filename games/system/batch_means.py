"""Batch-means confidence intervals shared by the system simulators (pairs and K-tuples).

The arrivals after ``warmup`` are cut into ``n_batches`` consecutive batches
(the last takes the remainder); a ratio estimator ``sum y / sum d`` of
per-batch totals gets a Student-t interval with the delta-method variance.
Estimates only, never bounds.

>>> plan = BatchPlan.make(10, 2, 2, np.arange(1.0, 11.0))
>>> plan.edges.tolist(), plan.time.tolist(), plan.per_batch(np.ones(10)).tolist()
([2, 6, 10], [4.0, 4.0], [4.0, 4.0])
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from analytic.laws.service import ServiceLaw
from games.errors import GameParameterError, GameTypeError, check_int, check_real

__all__ = ["BatchPlan", "batching", "idle_throughput", "ratio_ci", "service_law"]


def ratio_ci(y: NDArray[np.float64], d: NDArray[np.float64], level: float) -> tuple[float, float, float]:
    """Ratio estimator ``sum y / sum d`` with a batch-means delta-method t interval: ``(ratio, low, high)``.

    >>> r, lo, hi = ratio_ci(np.array([2.0, 4.0, 6.0]), np.array([1.0, 2.0, 3.0]), 0.99)
    >>> r, lo, hi
    (2.0, 2.0, 2.0)
    """
    nb = y.size
    r = float(y.sum() / d.sum())
    resid = y - r * d
    se = math.sqrt(float(resid @ resid) / (nb * (nb - 1))) / float(d.mean())
    q = float(stats.t.ppf(0.5 + level / 2.0, nb - 1))
    return r, r - q * se, r + q * se


def service_law(mu: float | None, law: ServiceLaw | None) -> ServiceLaw:
    """The service law from an exponential rate ``mu`` or an :class:`analytic.ServiceLaw` ``law`` (exactly one).

    >>> service_law(2.0, None).mean
    0.5
    """
    if law is None:
        if mu is None:
            raise GameParameterError("give the exponential rate `mu` or a `law`")
        law = ServiceLaw.exponential(check_real("mu", mu, low=0, low_open=True))
    elif mu is not None:
        raise GameParameterError(f"give either `mu` or `law`, not both; got mu={mu!r}")
    if not isinstance(law, ServiceLaw):
        raise GameTypeError(f"`law` must be an analytic.ServiceLaw; got {type(law).__name__}")
    return law


def batching(n: int, n_batches: int, warmup: int | None, level: float, units: str) -> tuple[int, int]:
    """Check the batching of ``n`` arrivals (``units`` names them in messages); return ``(n_batches, warmup)``.

    ``warmup`` defaults to ``n // 100``; every batch needs at least one arrival.

    >>> batching(1000, 30, None, 0.99, "pairs")
    (30, 10)
    """
    nb = check_int("n_batches", n_batches, low=2)
    w = n // 100 if warmup is None else check_int("warmup", warmup, low=0, high=n - 1)
    if (n - w) // nb < 1:
        raise GameParameterError(f"`n_batches` = {nb} is too many for {n - w} {units} after warm-up")
    check_real("level", level, low=0, high=1, low_open=True, high_open=True)
    return nb, w


@dataclass(frozen=True, eq=False)
class BatchPlan:
    """The batches of arrivals ``warmup .. n - 1``: index ``edges`` (``n_batches + 1``), each batch's time span and arrivals.

    Attributes
    ----------
    warmup
        Arrivals discarded at the start.
    edges
        Arrival indices where the batches start (and ``n`` at the end).
    time
        Each batch's duration (from the previous batch's last arrival, or from
        the last warm-up arrival, or from 0).
    count
        Arrivals per batch, as floats.
    """

    warmup: int
    edges: NDArray[np.int64]
    time: NDArray[np.float64]
    count: NDArray[np.float64]

    @classmethod
    def make(cls, n: int, warmup: int, n_batches: int, arrivals: NDArray[np.float64]) -> BatchPlan:
        """Batches of ``(n - warmup) // n_batches`` arrivals (the last takes the rest); ``arrivals`` are the ``n`` arrival times."""
        per = (n - warmup) // n_batches
        edges = warmup + per * np.arange(n_batches + 1)
        edges[-1] = n
        t_start = arrivals[warmup - 1] if warmup > 0 else 0.0
        time = np.diff(np.concatenate([[t_start], arrivals[edges[1:] - 1]]))
        return cls(warmup, edges, time, np.diff(edges).astype(float))

    def batch_of(self, index: NDArray[np.int64]) -> NDArray[np.int64]:
        """The batch of each arrival index (``-1`` for warm-up arrivals)."""
        return np.searchsorted(self.edges, index, side="right") - 1

    def per_batch(self, v: NDArray[Any]) -> NDArray[np.float64]:
        """Per-batch totals of a per-arrival array ``v`` (warm-up dropped)."""
        return np.add.reduceat(v[self.warmup:].astype(float), self.edges[:-1] - self.warmup)


def idle_throughput(
    T: Callable[[NDArray[np.float64]], NDArray[np.float64]] | float, idle_lengths: NDArray[np.float64], idle_batch: NDArray[np.int64],
    batch_time: NDArray[np.float64], level: float,
) -> tuple[float, tuple[float, float]]:
    """``E[T_B]`` per server (two servers) and its CI: ``T`` a vectorised function or a degree ``k`` (``T = t^k``).

    >>> idle_throughput(1, np.array([1.0, 1.0, 2.0, 2.0]), np.array([0, 0, 1, 1]), np.array([1.0, 2.0]), 0.99)
    (1.0, (1.0, 1.0))
    """
    if callable(T):
        vals = np.asarray(T(idle_lengths), dtype=float)
    else:
        vals = idle_lengths ** check_real("k", T, low=0)
    if vals.shape != idle_lengths.shape or not np.all(np.isfinite(vals)):
        raise GameParameterError("`T` must map the idle-period array to finite values of the same shape")
    y = np.bincount(idle_batch, weights=vals, minlength=batch_time.size).astype(np.float64)
    r, lo, hi = ratio_ci(y, 2.0 * batch_time, level)
    return r, (lo, hi)
