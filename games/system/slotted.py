"""Simulation of the two-stream system: timeslotted routing and route-on-arrival (lemmas T1-T6 of ``proofs/lemmas_system.md``).

Router A receives a Poisson stream of rate ``lam_a``, router B one of rate
``lam_b``; service times are i.i.d. from ``law``.  Modes:

* ``"slotted"``: customers wait at their router until the end of their slot
  (length ``tau``); at the epoch each router sends its whole batch to one
  server.  In a slot where both routers hold customers the pair bunches with
  probability ``(1 + E)/2``, ``E = policy(k_A, k_B)`` the routers' correlation
  on the lattice indices ``k = sum ceil(X / h)``, ``h = tau / m`` (the
  quantity the routers decide on); the bunched server, and a lone batch's
  server, is a fair coin.
* ``"arrival"``: no slotting; each customer goes to a server at its arrival:
  a fair coin (``window=None``) or, with ``window = theta``, the server named
  by a coin shared by both routers for the window ``[j theta, (j+1) theta)``
  ("window bunching", lemma T6 (c)).

Each server is FIFO by arrival time (equivalently by epoch, then arrival).
The customers (arrival times, service times) come from ``seed`` and the
routing randomness from a separate stream, so runs with one ``seed`` and
different policies use common random numbers.  Estimates (never bounds) with
batch-means Student-t intervals (``level``, default 99 %).

>>> import numpy as np
>>> from analytic.laws.service import ServiceLaw
>>> r = simulate_slotted(lambda ka, kb: np.ones(ka.shape), 0.5, 0.5, ServiceLaw.exponential(1.0), tau=1.0, n_slots=20000, seed=1)
>>> r.p_split
0.0
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numba import njit
from numpy.typing import NDArray
from scipy import stats

from analytic.laws.service import ServiceLaw
from games.errors import GameParameterError, GameTypeError, check_int, check_real
from games.system.batch_means import idle_throughput, ratio_ci

__all__ = ["SlottedResult", "serve_fifo", "simulate_slotted"]


@njit(cache=True)
def serve_fifo(entry, arrival, x, idle_len, idle_end):  # noqa: ANN001, ANN201
    """One FIFO server: customers (sorted by arrival) enter at ``entry``; return (waits, number of idle periods).

    An idle period runs from the moment the server empties to the next entry.
    """
    n = entry.shape[0]
    waits = np.empty(n)
    free = 0.0
    k = 0
    for i in range(n):
        e = entry[i]
        if e > free:
            idle_len[k] = e - free
            idle_end[k] = e
            k += 1
            free = e
        waits[i] = free - arrival[i]
        free += x[i]
    return waits, k


@dataclass(frozen=True, eq=False)
class SlottedResult:
    """Simulated estimates with confidence intervals (not bounds)."""

    mode: str
    tau: float
    window: float | None
    lam_a: float
    lam_b: float
    seed: int
    level: float
    wq: float
    wq_ci: tuple[float, float]
    p_split: float
    p_coord: float
    horizon: float
    n_customers: int
    idle_lengths: NDArray[np.float64] = field(repr=False)
    _idle_batch: NDArray[np.int64] = field(repr=False)
    _batch_wait: NDArray[np.float64] = field(repr=False)
    _batch_count: NDArray[np.float64] = field(repr=False)
    _batch_time: NDArray[np.float64] = field(repr=False)

    def throughput(self, k: float) -> tuple[float, tuple[float, float]]:
        """``E[T_B]`` per server for ``T(t) = t^k`` and its CI."""
        return idle_throughput(k, self.idle_lengths, self._idle_batch, self._batch_time, self.level)

    def wq_difference(self, other: SlottedResult) -> tuple[float, tuple[float, float]]:
        """``W_q(self) - W_q(other)`` with a paired batch-means CI (same seed and horizon: common random numbers)."""
        if (self.seed, self.lam_a, self.lam_b, self._batch_time.size) != (other.seed, other.lam_a, other.lam_b, other._batch_time.size):
            raise GameParameterError("`other` must be a run with the same seed, rates and batching")
        d = self._batch_wait / self._batch_count - other._batch_wait / other._batch_count
        nb = d.size
        q = float(stats.t.ppf(0.5 + self.level / 2.0, nb - 1))
        se = float(d.std(ddof=1)) / math.sqrt(nb)
        m = float(d.mean())
        return m, (m - q * se, m + q * se)

    def to_dict(self, k: float | None = None) -> dict[str, Any]:
        out: dict[str, Any] = {"mode": self.mode, "tau": self.tau, "window": self.window, "lam_a": self.lam_a, "lam_b": self.lam_b,
                               "seed": self.seed, "level": self.level, "Wq": self.wq, "Wq_ci": list(self.wq_ci), "p_split": self.p_split,
                               "p_coord": self.p_coord, "horizon": self.horizon, "n_customers": self.n_customers}
        if k is not None:
            tb, ci = self.throughput(k)
            out.update({"k": k, "TB": tb, "TB_ci": list(ci)})
        return out


def simulate_slotted(
    policy: Callable[[NDArray[np.int64], NDArray[np.int64]], NDArray[np.float64]] | None,
    lam_a: float,
    lam_b: float,
    law: ServiceLaw,
    *,
    tau: float = 1.0,
    m: int = 16,
    mode: str = "slotted",
    window: float | None = None,
    window_bunch: float = 1.0,
    n_slots: int = 200_000,
    seed: int = 0,
    n_batches: int = 30,
    warmup: float = 0.02,
    level: float = 0.99,
) -> SlottedResult:
    """Simulate ``n_slots`` slots of length ``tau`` (the horizon also for ``mode="arrival"``).

    With ``window = theta`` (route-on-arrival), a window is bunched with
    probability ``window_bunch`` (a shared coin per window): all its customers
    go to the window's server; otherwise each customer takes a fair coin.

    ``policy(k_A, k_B)`` returns the routers' correlation ``E`` in ``[-1, 1]``
    for the slots where both hold customers (lattice indices of ``W+``, step
    ``tau / m``); ``None`` for route-on-arrival.
    """
    if not isinstance(law, ServiceLaw):
        raise GameTypeError(f"`law` must be an analytic.ServiceLaw; got {type(law).__name__}")
    lam_a = check_real("lam_a", lam_a, low=0, low_open=True)
    lam_b = check_real("lam_b", lam_b, low=0, low_open=True)
    tau = check_real("tau", tau, low=0, low_open=True)
    m = check_int("m", m, low=1)
    n_slots = check_int("n_slots", n_slots, low=1000)
    seed = check_int("seed", seed, low=0)
    nb = check_int("n_batches", n_batches, low=2)
    check_real("warmup", warmup, low=0, high=0.5)
    check_real("level", level, low=0, high=1, low_open=True, high_open=True)
    if mode not in ("slotted", "arrival"):
        raise GameParameterError(f"`mode` must be 'slotted' or 'arrival'; got {mode!r}")
    if mode == "slotted" and policy is None:
        raise GameParameterError("`policy` is required for mode 'slotted'")
    if window is not None:
        window = check_real("window", window, low=0, low_open=True)
    window_bunch = check_real("window_bunch", window_bunch, low=0, high=1)
    rho = (lam_a + lam_b) * law.mean / 2
    if not rho < 1:
        raise GameParameterError(f"`rho` = (lam_a + lam_b) E[X] / 2 must be < 1; got {rho:g}")
    horizon = n_slots * tau
    rng = np.random.default_rng(seed)
    ss = np.random.SeedSequence(seed).spawn(2)[1]
    rr = np.random.default_rng(ss)  # routing randomness: a separate stream
    t_all, x_all, who = [], [], []
    for r_i, lam in enumerate((lam_a, lam_b)):
        n = int(rng.poisson(lam * horizon))
        t = np.sort(rng.random(n) * horizon)
        x = np.asarray(law.ppf(rng.random(n)), dtype=float)
        t_all.append(t)
        x_all.append(x)
        who.append(np.full(n, r_i, dtype=np.int8))
    t = np.concatenate(t_all)
    x = np.concatenate(x_all)
    router = np.concatenate(who)
    order = np.argsort(t, kind="stable")
    t, x, router = t[order], x[order], router[order]
    slot = np.minimum((t // tau).astype(np.int64), n_slots - 1)
    p_split = p_coord = math.nan
    if mode == "slotted":
        h = tau / m
        kc = np.ceil(x / h).astype(np.int64)
        kA = np.bincount(slot[router == 0], weights=kc[router == 0], minlength=n_slots).astype(np.int64)
        kB = np.bincount(slot[router == 1], weights=kc[router == 1], minlength=n_slots).astype(np.int64)
        nA = np.bincount(slot[router == 0], minlength=n_slots)
        nB = np.bincount(slot[router == 1], minlength=n_slots)
        both = (nA > 0) & (nB > 0)
        E = np.zeros(n_slots)
        if both.any():
            E[both] = np.clip(np.asarray(policy(kA[both], kB[both]), dtype=float), -1.0, 1.0)  # type: ignore[misc]
        u = rr.random((n_slots, 2))
        bunch = u[:, 0] < (1.0 + E) / 2.0
        srvA = (u[:, 1] < 0.5).astype(np.int8)  # the shared fair coin
        srvB = np.where(bunch, srvA, 1 - srvA).astype(np.int8)
        p_coord = float(both.mean())
        p_split = float((~bunch[both]).mean()) if both.any() else 0.0
        server = np.where(router == 0, srvA[slot], srvB[slot])
        entry = (slot + 1) * tau
    else:
        if window is None:
            server = (rr.random(t.size) < 0.5).astype(np.int8)
        else:
            nw = math.ceil(horizon / window) + 1
            wu = rr.random((nw, 2))
            own = (rr.random(t.size) < 0.5).astype(np.int8)
            wi = (t // window).astype(np.int64)
            coin = (wu[:, 1] < 0.5).astype(np.int8)
            server = np.where(wu[wi, 0] < window_bunch, coin[wi], own).astype(np.int8)
        entry = t.copy()
    waits = np.empty(t.size)
    il_all, ie_all = [], []
    for s in (0, 1):
        sel = np.nonzero(server == s)[0]
        il = np.empty(sel.size + 1)
        ie = np.empty(sel.size + 1)
        w, k = serve_fifo(entry[sel], t[sel], x[sel], il, ie)
        waits[sel] = w
        il_all.append(il[:k])
        ie_all.append(ie[:k])
    il = np.concatenate(il_all)
    ie = np.concatenate(ie_all)
    t0 = warmup * horizon
    edges = t0 + (horizon - t0) * np.arange(nb + 1) / nb
    cb = np.searchsorted(edges, t, side="right") - 1
    keep = (cb >= 0) & (cb < nb)
    bw = np.bincount(cb[keep], weights=waits[keep], minlength=nb).astype(float)
    bc = np.bincount(cb[keep], minlength=nb).astype(float)
    ib = np.searchsorted(edges, ie, side="right") - 1
    ik = (ib >= 0) & (ib < nb)
    wq, wlo, whi = ratio_ci(bw, bc, level)
    return SlottedResult(mode, tau, window, lam_a, lam_b, seed, level, wq, (wlo, whi), p_split, p_coord, horizon - t0, int(keep.sum()),
                         il[ik], ib[ik], bw, bc, np.diff(edges))
