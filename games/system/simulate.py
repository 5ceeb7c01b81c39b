"""Discrete-event simulation of the paper's two-server system.

Pairs arrive as a Poisson stream of rate ``lam``; customer ``i`` of a pair
has service time ``X_i = F^{-1}(U_i)`` with ``U_1, U_2`` i.i.d. uniform (the
game inputs ``a = U_1``, ``b = U_2``).  A :mod:`routing <games.system.routing>`
turns ``(a, b, X1, X2)`` and fresh per-pair randomness into the router outputs;
two FIFO servers serve the customers (Lindley recursion, numba); the
baseline task runs whenever a server has no customer, and each idle period
``L`` earns ``T(L)``.

Estimates (never bounds) come with batch-means confidence intervals: the
pairs after ``warmup`` are cut into ``n_batches`` consecutive batches and
ratio estimators (total wait / customers, total ``T(L)`` / (2 x time)) get a
Student-t interval with the delta-method variance.

>>> from games.system import RandomRouting, simulate
>>> res = simulate(RandomRouting(1.0), lam=0.5, mu=1.0, n_pairs=20000, seed=1)
>>> res.p_split, res.n_pairs
(1.0, 20000)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from analytic.laws.service import ServiceLaw
from analytic.waiting import ORDERS
from games.errors import GameParameterError, GameTypeError, check_int, check_real
from games.progress import progress
from games.system._kernels import empty_outputs, queue_kernel, queue_twin
from games.system.batch_means import BatchPlan, batching, idle_throughput, ratio_ci, service_law

__all__ = ["SimulationResult", "simulate", "simulate_inputs"]

CHUNK = 1 << 18


@dataclass(frozen=True, eq=False)
class SimulationResult:
    """Simulated estimates (with ``level`` confidence intervals) and provenance.

    ``idle_lengths`` / ``idle_server`` hold every completed idle period after
    the warm-up (both servers).  Use :meth:`throughput` for ``E[T_B]`` with any
    output function ``T``.
    """

    n_pairs: int
    warmup: int
    seed: int
    lam: float
    law: dict
    rho: float
    routing: dict
    order: str
    level: float
    n_batches: int
    wq: float
    wq_ci: tuple[float, float]
    p_split: float
    p_split_ci: tuple[float, float]
    horizon: float
    idle_lengths: NDArray[np.float64] = field(repr=False)
    idle_server: NDArray[np.int8] = field(repr=False)
    _idle_batch: NDArray[np.int64] = field(repr=False)
    _batch_time: NDArray[np.float64] = field(repr=False)
    _batch_wait: NDArray[np.float64] = field(repr=False)
    _batch_pairs: NDArray[np.float64] = field(repr=False)

    def wq_difference(self, other: SimulationResult) -> tuple[float, tuple[float, float]]:
        """``W_q(self) - W_q(other)`` with a paired batch-means CI.

        Meaningful for two runs with the same ``seed``, ``lam``, law, order,
        ``n_pairs`` and batching (common random numbers: identical pairs,
        only the routing differs), which makes the difference far more
        precise than either estimate.
        """
        same = (self.seed, self.lam, self.law, self.order, self.n_pairs, self.warmup, self.n_batches)
        if same != (other.seed, other.lam, other.law, other.order, other.n_pairs, other.warmup, other.n_batches):
            raise GameParameterError("`other` must be a run with the same seed, lam, law, order, n_pairs, warmup and n_batches")
        d = self._batch_wait - other._batch_wait
        r, lo, hi = ratio_ci(d, 2.0 * self._batch_pairs, self.level)
        return r, (lo, hi)

    def throughput(self, T: Callable[[NDArray[np.float64]], NDArray[np.float64]] | float) -> tuple[float, tuple[float, float]]:
        """``E[T_B]`` per server and its CI; ``T`` is a vectorised function or a degree ``k`` (``T = t^k``).

        >>> from games.system import RandomRouting, simulate
        >>> r = simulate(RandomRouting(0.5), lam=0.5, mu=1.0, n_pairs=20000, seed=2)
        >>> v, (lo, hi) = r.throughput(1)       # T(t) = t: the idle fraction 1 - rho
        >>> lo < v < hi
        True
        """
        return idle_throughput(T, self.idle_lengths, self._idle_batch, self._batch_time, self.level)

    def to_dict(self, k: float | None = None) -> dict[str, Any]:
        out = {
            "n_pairs": self.n_pairs, "warmup": self.warmup, "seed": self.seed, "lam": self.lam, "law": self.law,
            "rho": self.rho, "routing": self.routing, "order": self.order, "level": self.level, "n_batches": self.n_batches,
            "Wq": self.wq, "Wq_ci": list(self.wq_ci), "p_split": self.p_split, "p_split_ci": list(self.p_split_ci),
            "horizon": self.horizon, "n_idle_periods": int(self.idle_lengths.size),
        }
        if k is not None:
            tb, ci = self.throughput(k)
            out.update({"k": k, "TB": tb, "TB_ci": list(ci)})
        return out


def _iv(lam: float, law: ServiceLaw, n_pairs: int, order: str, n_batches: int, warmup: int | None, level: float) -> tuple[float, int, int]:
    lam = check_real("lam", lam, low=0, low_open=True)
    rho = lam * law.mean
    if not rho < 1:
        raise GameParameterError(f"`rho` = lam * E[X] must lie in [0, 1) for a stable system; got {rho:g}")
    n = check_int("n_pairs", n_pairs, low=1000)
    if order not in ORDERS:
        raise GameParameterError(f"`order` must be one of {ORDERS}; got {order!r}")
    _nb, w = batching(n, n_batches, warmup, level, "pairs")
    return lam, n, w


def simulate_inputs(routing, lam: float, law: ServiceLaw, n: int, rng: np.random.Generator, order: str = "random") -> dict[str, NDArray]:  # noqa: ANN001
    """Draw one block of ``n`` pairs and route it (exposed for tests and benches).

    Returns arrays ``inter`` (inter-arrival gaps), ``x1``, ``x2``, ``srv_a``,
    ``srv_b`` (0 or 1), ``a_first`` (which customer of a bunched pair is served first).
    """
    inter = rng.standard_exponential(n) / lam
    a = rng.random(n)
    b = rng.random(n)
    u = rng.random((n, 3))
    x1 = law.ppf(a)
    x2 = law.ppf(b)
    oa, ob = routing.route(a, b, x1, x2, u[:, :2])
    if order == "random":
        a_first = u[:, 2] < 0.5
    elif order == "shorter_first":
        a_first = x1 <= x2
    else:
        a_first = x1 > x2
    return {"inter": inter, "x1": x1, "x2": x2, "srv_a": (oa < 0).astype(np.int8), "srv_b": (ob < 0).astype(np.int8), "a_first": a_first}


def simulate(
    routing,  # noqa: ANN001
    lam: float,
    mu: float | None = None,
    *,
    law: ServiceLaw | None = None,
    n_pairs: int = 1_000_000,
    seed: int = 0,
    order: str = "random",
    n_batches: int = 30,
    warmup: int | None = None,
    level: float = 0.99,
    kernel: str = "numba",
) -> SimulationResult:
    """Simulate ``n_pairs`` pair arrivals and estimate ``W_q``, ``p_split`` and the idle periods.

    Parameters
    ----------
    routing : a routing from :mod:`games.system.routing`
    lam : pair arrival rate.
    mu, law : exponential rate, or an :class:`analytic.ServiceLaw` (exactly one).
    n_pairs, seed : number of pairs and the seed of ``numpy.random.default_rng``.
    order : order inside a bunched pair, ``"random"``, ``"shorter_first"`` or ``"longer_first"``.
    n_batches, level : batch-means confidence intervals (default 30 batches, 99 %).
    warmup : pairs discarded at the start (default ``n_pairs // 100``).
    kernel : ``"numba"`` or ``"python"`` (the plain twin; slow, for checks).

    Returns
    -------
    SimulationResult
        Estimates with confidence intervals; not bounds.
    """
    law = service_law(mu, law)
    if not hasattr(routing, "route"):
        raise GameTypeError(f"`routing` must be a games.system routing; got {type(routing).__name__}")
    if kernel not in ("numba", "python"):
        raise GameParameterError(f"`kernel` must be 'numba' or 'python'; got {kernel!r}")
    lam, n, w = _iv(lam, law, n_pairs, order, n_batches, warmup, level)
    seed = check_int("seed", seed, low=0)
    run = queue_kernel if kernel == "numba" else queue_twin
    rng = np.random.default_rng(seed)
    free = np.zeros(2)
    t0 = 0.0
    waits = np.empty(n)
    arr_all = np.empty(n)
    split = np.empty(n, dtype=bool)
    idle_l, idle_s, idle_p = [], [], []
    chunks = range(0, n, CHUNK)
    # runs longer than a few seconds show progress
    starts: Iterable[int] = progress(chunks, total=len(chunks), label="simulate") if n > 20 * CHUNK else chunks
    for start in starts:
        m = min(CHUNK, n - start)
        blk = simulate_inputs(routing, lam, law, m, rng, order)
        arrivals = t0 + np.cumsum(blk["inter"])
        t0 = float(arrivals[-1])
        wout, il, isv, ip = empty_outputs(m)
        k = run(arrivals, blk["x1"], blk["x2"], blk["srv_a"], blk["srv_b"], blk["a_first"], free, start, wout, il, isv, ip)
        waits[start:start + m] = wout
        arr_all[start:start + m] = arrivals
        split[start:start + m] = blk["srv_a"] != blk["srv_b"]
        idle_l.append(il[:k].copy())
        idle_s.append(isv[:k].copy())
        idle_p.append(ip[:k].copy())
    il = np.concatenate(idle_l)
    isv = np.concatenate(idle_s)
    ip = np.concatenate(idle_p)
    # batches of pairs after warm-up
    plan = BatchPlan.make(n, w, n_batches, arr_all)
    keep = ip >= w
    il, isv, ib = il[keep], isv[keep], plan.batch_of(ip[keep])
    batch_time, pairs_in = plan.time, plan.count
    wsum = plan.per_batch(waits)
    wq, wlo, whi = ratio_ci(wsum, 2.0 * pairs_in, level)
    ps, plo, phi = ratio_ci(plan.per_batch(split), pairs_in, level)
    return SimulationResult(
        n_pairs=n, warmup=w, seed=seed, lam=lam, law=law.describe(), rho=lam * law.mean, routing=routing.describe(), order=order,
        level=level, n_batches=n_batches, wq=wq, wq_ci=(wlo, whi), p_split=ps, p_split_ci=(plo, phi), horizon=float(batch_time.sum()),
        idle_lengths=il, idle_server=isv, _idle_batch=ib, _batch_time=batch_time, _batch_wait=wsum, _batch_pairs=pairs_in,
    )
