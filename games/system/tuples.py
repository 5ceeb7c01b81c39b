"""Discrete-event simulation of K routers and two servers: customers arrive in K-tuples.

K-tuples arrive as a Poisson stream of rate ``lam``; customer ``i`` of a tuple
has service time ``X_i = F^{-1}(A_i)`` with ``A_i`` i.i.d. uniform (router
``i``'s input).  A tuple routing (below) maps the inputs and fresh per-tuple
randomness to outputs ``o_i = +-1``; a fresh fair bit ``g`` (the global flip
of :mod:`analytic.routers`) sends customer ``i`` to server 1 iff
``g o_i = +1``.  Two FIFO servers serve the batches (Lindley recursion, numba);
inside a batch the order is a uniformly random permutation.  The baseline task
runs whenever a server has no customer; each idle period ``L`` earns ``T(L)``.

Common random numbers: arrivals, service times, the in-batch order and the
flip come from their own streams of ``seed`` (:class:`numpy.random.SeedSequence`
children), the routing's randomness from another, so two routings simulated
with one seed see the same tuples.

Estimates (never bounds) with batch-means confidence intervals, as
:mod:`games.system.simulate`.

>>> res = simulate_tuples(IndependentTupleRouting(3), lam=0.4, mu=1.0, n_tuples=20000, seed=1)
>>> res.K, res.n_tuples, 0.6 < res.p_split < 0.9
(3, 20000, True)
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numba import njit
from numpy.typing import NDArray

from analytic.laws.service import ServiceLaw
from games.errors import GameParameterError, GameTypeError, check_int, check_real
from games.system._kernels import empty_outputs, record_idle
from games.system.batch_means import BatchPlan, batching, idle_throughput, ratio_ci, service_law

__all__ = ["BinTableTupleRouting", "IndependentTupleRouting", "MixtureTupleRouting", "ThresholdTupleRouting", "TupleSimulation", "routing_moments", "simulate_tuples", "tuple_queue_kernel", "tuple_queue_twin"]

CHUNK = 1 << 17


# ---------------------------------------------------------------------------- routings
@dataclass(frozen=True)
class IndependentTupleRouting:
    """Every router flips its own coin: ``o_i = +1`` with probability ``p_plus``, ignoring service times.

    >>> IndependentTupleRouting(3).route(np.zeros((2, 3)), np.zeros((2, 3)), np.full((2, 4), 0.2)).tolist()
    [[1, 1, 1], [1, 1, 1]]
    """

    K: int
    p_plus: float = 0.5

    def __post_init__(self) -> None:
        check_int("K", self.K, low=2, high=8)
        check_real("p_plus", self.p_plus, low=0, high=1)

    @property
    def n_uniforms(self) -> int:
        return self.K

    def route(self, a: NDArray[np.float64], x: NDArray[np.float64], r: NDArray[np.float64]) -> NDArray[np.int8]:
        return np.where(r[:, : self.K] < self.p_plus, 1, -1).astype(np.int8)

    def describe(self) -> dict[str, Any]:
        return {"kind": "independent", "K": self.K, "p_plus": self.p_plus}


@dataclass(frozen=True)
class ThresholdTupleRouting:
    """A shared-coin mixture of threshold profiles: component ``c`` w.p. ``weights[c]``.

    In component ``c`` router ``i`` outputs ``orient[c][i]`` if its input
    ``A_i = F(X_i) <= u[c][i]`` and ``-orient[c][i]`` otherwise (``u = 0``: the
    constant ``-orient``; ``u = 1``: the constant ``orient``).

    >>> r = ThresholdTupleRouting(((0.5, 0.5, 0.5),), ((1, 1, -1),))
    >>> r.route(np.array([[0.2, 0.7, 0.2]]), np.zeros((1, 3)), np.zeros((1, 1))).tolist()
    [[1, -1, -1]]
    """

    u: tuple[tuple[float, ...], ...]
    orient: tuple[tuple[int, ...], ...]
    weights: tuple[float, ...] = (1.0,)

    def __post_init__(self) -> None:
        u = np.asarray(self.u, dtype=float)
        o = np.asarray(self.orient)
        w = np.asarray(self.weights, dtype=float)
        if u.ndim != 2 or u.shape != o.shape or w.shape != (u.shape[0],) or not 2 <= u.shape[1] <= 8:
            raise GameParameterError(f"`u` and `orient` must be (components, K) arrays and `weights` one per component; got shapes {u.shape}, {o.shape}, {w.shape}")
        if np.any((u < 0) | (u > 1)) or not np.all(np.isin(o, (1, -1))):
            raise GameParameterError("`u` must lie in [0, 1] and `orient` in {+1, -1}")
        if np.any(w < 0) or not math.isclose(float(w.sum()), 1.0, rel_tol=1e-12):
            raise GameParameterError(f"`weights` must be non-negative and sum to 1; got {self.weights}")

    @property
    def K(self) -> int:
        return len(self.u[0])

    @property
    def n_uniforms(self) -> int:
        return 1

    def route(self, a: NDArray[np.float64], x: NDArray[np.float64], r: NDArray[np.float64]) -> NDArray[np.int8]:
        u = np.asarray(self.u, dtype=float)
        o = np.asarray(self.orient, dtype=np.int8)
        comp = np.searchsorted(np.cumsum(self.weights)[:-1], r[:, 0], side="right")
        below = a <= u[comp]
        return np.where(below, o[comp], -o[comp]).astype(np.int8)

    def describe(self) -> dict[str, Any]:
        return {"kind": "threshold-mixture", "K": self.K, "u": [list(v) for v in self.u], "orient": [list(v) for v in self.orient],
                "weights": list(self.weights)}


@dataclass(frozen=True, eq=False)
class BinTableTupleRouting:
    """Outputs drawn from a joint output law per tuple of equiprobable input bins (bin-constant quantum measurements).

    ``table[sum_i x_i N^(K-1-i), p]`` is ``P(pattern p | bins x)``, router
    ``i``'s bin ``x_i = floor(N A_i)``, bit ``K-1-i`` of ``p`` set when
    ``o_i = -1`` (``bounds.multiparty_quantum.outcome_table`` computes it from a
    state and observables by the Born rule).

    >>> r = BinTableTupleRouting(1, np.array([[0.0, 0.0, 0.0, 1.0]]))   # always (-1, -1)
    >>> r.route(np.array([[0.3, 0.8]]), np.zeros((1, 2)), np.array([[0.5]])).tolist()
    [[-1, -1]]
    """

    N: int
    table: NDArray[np.float64]

    def __post_init__(self) -> None:
        check_int("N", self.N, low=1, high=4096)
        t = np.asarray(self.table, dtype=float)
        K = round(math.log2(t.shape[1])) if t.ndim == 2 and t.shape[1] > 0 else 0
        if t.ndim != 2 or not 2 <= K <= 8 or t.shape != (self.N**K, 2**K):
            raise GameParameterError(f"`table` must be an (N^K, 2^K) array with 2 <= K <= 8 and N = {self.N}; got shape {t.shape}")
        if not np.all(np.isfinite(t)) or np.any(t < 0) or not np.allclose(t.sum(axis=1), 1.0, rtol=0, atol=1e-9):
            raise GameParameterError("`table` rows must be probability vectors (finite, non-negative, summing to 1)")
        object.__setattr__(self, "table", t)

    @property
    def K(self) -> int:
        return round(math.log2(self.table.shape[1]))

    @property
    def n_uniforms(self) -> int:
        return 1

    def route(self, a: NDArray[np.float64], x: NDArray[np.float64], r: NDArray[np.float64]) -> NDArray[np.int8]:
        K, N = self.K, self.N
        bins = np.minimum((np.asarray(a) * N).astype(np.int64), N - 1)
        row = bins @ (N ** np.arange(K - 1, -1, -1))
        cdf = np.cumsum(self.table, axis=1)[row]
        pat = np.minimum((r[:, :1] >= cdf).sum(axis=1), 2**K - 1)
        bits = (pat[:, None] >> np.arange(K - 1, -1, -1)) & 1
        return (1 - 2 * bits).astype(np.int8)

    def describe(self) -> dict[str, Any]:
        return {"kind": "bin-table", "K": self.K, "N": self.N}


@dataclass(frozen=True, eq=False)
class MixtureTupleRouting:
    """A shared-coin mixture of tuple routings: routing ``c`` with probability ``weights[c]`` for each tuple.

    >>> both = MixtureTupleRouting((IndependentTupleRouting(2, 1.0), IndependentTupleRouting(2, 0.0)), (0.5, 0.5))
    >>> both.route(np.zeros((2, 2)), np.zeros((2, 2)), np.array([[0.2, 0.5, 0.5], [0.7, 0.5, 0.5]])).tolist()
    [[1, 1], [-1, -1]]
    """

    components: tuple[Any, ...]
    weights: tuple[float, ...]

    def __post_init__(self) -> None:
        w = np.asarray(self.weights, dtype=float)
        if not self.components or w.shape != (len(self.components),) or np.any(w < 0) or not math.isclose(float(w.sum()), 1.0, rel_tol=1e-9):
            raise GameParameterError(f"`weights` must be non-negative, one per component, and sum to 1; got {self.weights}")
        if len({int(c.K) for c in self.components}) != 1:
            raise GameParameterError("every component must route the same number K of routers")

    @property
    def K(self) -> int:
        return int(self.components[0].K)

    @property
    def n_uniforms(self) -> int:
        return 1 + max(int(c.n_uniforms) for c in self.components)

    def route(self, a: NDArray[np.float64], x: NDArray[np.float64], r: NDArray[np.float64]) -> NDArray[np.int8]:
        comp = np.searchsorted(np.cumsum(self.weights)[:-1], r[:, 0], side="right")
        out = np.empty((a.shape[0], self.K), dtype=np.int8)
        for c, routing in enumerate(self.components):
            m = comp == c
            if m.any():
                out[m] = routing.route(a[m], x[m], r[m, 1 : 1 + routing.n_uniforms])
        return out

    def describe(self) -> dict[str, Any]:
        return {"kind": "mixture", "K": self.K, "weights": list(self.weights), "components": [c.describe() for c in self.components]}


# ---------------------------------------------------------------------------- queue kernel
@njit(cache=True, nogil=True)
def tuple_queue_kernel(arrivals, x, srv, order, free, offset, wait_out, idle_len, idle_srv, idle_tuple):  # noqa: ANN001, ANN201
    """One block of tuples; update ``free`` in place; return the number of idle periods.

    ``order[t]`` is a permutation of the tuple's customers (service order inside
    each batch); ``wait_out[t]`` receives the summed wait of the tuple's customers.
    """
    n_idle = 0
    K = x.shape[1]
    for t in range(arrivals.shape[0]):
        tau = arrivals[t]
        total = 0.0
        for s in range(2):
            f = free[s]
            cum = 0.0
            started = False
            for k in range(K):
                i = order[t, k]
                if srv[t, i] != s:
                    continue
                if not started:
                    started = True
                    if f < tau:
                        n_idle = record_idle(idle_len, idle_srv, idle_tuple, n_idle, tau - f, s, offset + t)
                        f = tau
                total += f - tau + cum
                cum += x[t, i]
            if started:
                free[s] = f + cum
        wait_out[t] = total
    return n_idle


def tuple_queue_twin(arrivals, x, srv, order, free, offset, wait_out, idle_len, idle_srv, idle_tuple):  # noqa: ANN001, ANN201
    """Plain-Python twin of :func:`tuple_queue_kernel`, written customer by customer in service order."""
    n_idle = 0
    for t in range(len(arrivals)):
        tau = float(arrivals[t])
        total = 0.0
        seen = [False, False]
        for i in (int(v) for v in order[t]):
            s = int(srv[t, i])
            if not seen[s] and free[s] < tau:
                idle_len[n_idle], idle_srv[n_idle], idle_tuple[n_idle] = tau - free[s], s, offset + t
                n_idle += 1
            seen[s] = True
            start = max(float(free[s]), tau)
            total += start - tau
            free[s] = start + float(x[t, i])
        wait_out[t] = total
    return n_idle


# ---------------------------------------------------------------------------- result
@dataclass(frozen=True, eq=False)
class TupleSimulation:
    """Simulated estimates (``level`` confidence intervals) of a tuple routing; not bounds."""

    K: int
    n_tuples: int
    warmup: int
    seed: int
    lam: float
    law: dict
    rho: float
    routing: dict
    level: float
    n_batches: int
    wq: float
    wq_ci: tuple[float, float]
    p_split: float
    p_split_ci: tuple[float, float]
    pair_same: dict[tuple[int, int], tuple[float, tuple[float, float]]]
    horizon: float
    idle_lengths: NDArray[np.float64] = field(repr=False)
    _idle_batch: NDArray[np.int64] = field(repr=False)
    _batch_time: NDArray[np.float64] = field(repr=False)
    _batch_wait: NDArray[np.float64] = field(repr=False)
    _batch_tuples: NDArray[np.float64] = field(repr=False)
    _batch_busy: NDArray[np.float64] = field(repr=False)

    def throughput(self, T: Callable[[NDArray[np.float64]], NDArray[np.float64]] | float) -> tuple[float, tuple[float, float]]:
        """``E[T_B]`` per server and its CI; ``T`` a vectorised function or a degree ``k`` (``T = t^k``)."""
        return idle_throughput(T, self.idle_lengths, self._idle_batch, self._batch_time, self.level)

    def batch_rate(self) -> tuple[float, tuple[float, float]]:
        """Non-empty batches per unit time per server (``lambda_eff``) and its CI."""
        r, lo, hi = ratio_ci(self._batch_busy, 2.0 * self._batch_time, self.level)
        return r, (lo, hi)

    def to_dict(self, k: float | None = None) -> dict[str, Any]:
        out = {"K": self.K, "n_tuples": self.n_tuples, "warmup": self.warmup, "seed": self.seed, "lam": self.lam, "law": self.law,
               "rho": self.rho, "routing": self.routing, "level": self.level, "n_batches": self.n_batches, "Wq": self.wq,
               "Wq_ci": list(self.wq_ci), "p_split": self.p_split, "p_split_ci": list(self.p_split_ci),
               "pair_same": {f"{i},{j}": {"value": v, "ci": list(ci)} for (i, j), (v, ci) in self.pair_same.items()}}
        if k is not None:
            tb, ci = self.throughput(k)
            out.update({"k": k, "TB": tb, "TB_ci": list(ci)})
        return out


def simulate_tuples(
    routing,  # noqa: ANN001
    lam: float,
    mu: float | None = None,
    *,
    law: ServiceLaw | None = None,
    n_tuples: int = 1_000_000,
    seed: int = 0,
    n_batches: int = 30,
    warmup: int | None = None,
    level: float = 0.99,
    kernel: str = "numba",
) -> TupleSimulation:
    """Simulate ``n_tuples`` K-tuple arrivals; estimate ``W_q``, ``p_split``, pair same-server rates, idle periods.

    ``rho = K lam E[X]/2`` per server must be < 1.  ``kernel = "python"`` runs
    the plain twin (slow; for checks).
    """
    law = service_law(mu, law)
    if not (hasattr(routing, "route") and hasattr(routing, "K")):
        raise GameTypeError(f"`routing` must be a tuple routing (games.system.tuples); got {type(routing).__name__}")
    if kernel not in ("numba", "python"):
        raise GameParameterError(f"`kernel` must be 'numba' or 'python'; got {kernel!r}")
    K = int(routing.K)
    lam = check_real("lam", lam, low=0, low_open=True)
    rho = K * lam * law.mean / 2.0
    if not rho < 1:
        raise GameParameterError(f"`rho` = K lam E[X]/2 must lie in [0, 1) for a stable system; got {rho:g}")
    n = check_int("n_tuples", n_tuples, low=1000)
    nb, w = batching(n, n_batches, warmup, level, "tuples")
    seed = check_int("seed", seed, low=0)
    s_arr, s_srv, s_ord, s_rt = (np.random.default_rng(c) for c in np.random.SeedSequence(seed).spawn(4))
    run = tuple_queue_kernel if kernel == "numba" else tuple_queue_twin
    free = np.zeros(2)
    t0 = 0.0
    waits = np.empty(n)
    arr_all = np.empty(n)
    split = np.empty(n, dtype=bool)
    busy = np.empty(n)
    pairs = [(i, j) for i in range(K) for j in range(i + 1, K)]
    same = np.empty((n, len(pairs)), dtype=bool)
    idle_l, idle_t = [], []
    for start in range(0, n, CHUNK):
        m = min(CHUNK, n - start)
        arrivals = t0 + np.cumsum(s_arr.standard_exponential(m) / lam)
        t0 = float(arrivals[-1])
        a = s_srv.random((m, K))
        x = np.asarray(law.ppf(a), dtype=float)
        order = np.argsort(s_ord.random((m, K)), axis=1).astype(np.int64)
        g = np.where(s_ord.random(m) < 0.5, 1, -1).astype(np.int8)
        o = np.asarray(routing.route(a, x, s_rt.random((m, routing.n_uniforms))), dtype=np.int8)
        if o.shape != (m, K) or not np.all(np.abs(o) == 1):
            raise GameParameterError(f"the routing must return a ({m}, {K}) array of +-1")
        srv = np.where(g[:, None] * o > 0, 0, 1).astype(np.int8)
        wout, il, isv, it = empty_outputs(m)
        k = run(arrivals, x, srv, order, free, start, wout, il, isv, it)
        waits[start:start + m] = wout
        arr_all[start:start + m] = arrivals
        on1 = srv.sum(axis=1)
        split[start:start + m] = (on1 > 0) & (on1 < K)
        busy[start:start + m] = 1.0 + split[start:start + m]   # non-empty batches this tuple creates (1 or 2)
        for c, (i, j) in enumerate(pairs):
            same[start:start + m, c] = srv[:, i] == srv[:, j]
        idle_l.append(il[:k].copy())
        idle_t.append(it[:k].copy())
    il = np.concatenate(idle_l)
    ip = np.concatenate(idle_t)
    plan = BatchPlan.make(n, w, nb, arr_all)
    keep = ip >= w
    il, ib = il[keep], plan.batch_of(ip[keep])
    batch_time, tuples_in, per_batch = plan.time, plan.count, plan.per_batch
    wsum = per_batch(waits)
    wq, wlo, whi = ratio_ci(wsum, K * tuples_in, level)
    ps, plo, phi = ratio_ci(per_batch(split), tuples_in, level)
    pair_same = {}
    for c, pr in enumerate(pairs):
        v, lo, hi = ratio_ci(per_batch(same[:, c]), tuples_in, level)
        pair_same[pr] = (v, (lo, hi))
    return TupleSimulation(
        K=K, n_tuples=n, warmup=w, seed=seed, lam=lam, law=law.describe(), rho=rho, routing=routing.describe(), level=level, n_batches=nb,
        wq=wq, wq_ci=(wlo, whi), p_split=ps, p_split_ci=(plo, phi), pair_same=pair_same, horizon=float(batch_time.sum()),
        idle_lengths=il, _idle_batch=ib, _batch_time=batch_time, _batch_wait=wsum, _batch_tuples=tuples_in, _batch_busy=per_batch(busy),
    )


def routing_moments(routing: ThresholdTupleRouting, law: ServiceLaw) -> list[tuple[float, NDArray[np.float64]]]:
    """``(weight, U)`` per component of a threshold mixture: ``U[i] = (E[o_i], E[X o_i])`` (for the formulas)."""
    from games.routers import threshold_moments

    return [(float(wt), threshold_moments(law, np.asarray(u), np.asarray(o))) for wt, u, o in zip(routing.weights, routing.u, routing.orient)]

