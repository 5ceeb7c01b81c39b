"""The slotted server queue (D^X/G/1): Lindley on a lattice with a two-sided bracket (lemmas T3-T5).

A server receives work ``S_n`` at epochs spaced ``tau`` apart; its workload
just before epoch ``n`` follows ``V_{n+1} = max(V_n + S_n - tau, 0)``.  Given a
lower lattice variable ``S-`` and an upper one ``S+`` (``S- <= S <= S+``
pathwise, ``tau = m h``), :func:`lindley_bracket` returns ``EV_lo <= E[V] <= EV_hi``:

* lower: the ``S-`` chain from ``V = 0``, capped at ``K h`` (lemma T4 (b));
* upper: the ``S+`` chain from the Kingman-dominating law
  ``P(D > x) = min(1, e^{-theta x})`` with ``E[e^{theta (S+ - tau)}] <= 1``,
  mass leaving ``[0, K h]`` kept in a tail that never returns, plus the
  Kingman tail integral (lemma T4 (c)).

Every iterate gives valid bounds; iteration stops when both means have
settled (``tol``) or after ``max_iter`` steps.  :func:`slot_waiting_time`
adds the slot delay ``tau/2`` and the within-batch term (lemma T3);
:func:`slot_throughput` is the renewal-reward *estimate* of ``E[T_B]`` for
``T(t) = t^k`` (lemma T5).  Floating point throughout (lemma T4 (e)): the
bracket is the method's error, not an outward-rounded enclosure.

>>> import numpy as np
>>> s = np.zeros(5); s[4] = 1.0                     # deterministic work 4h every epoch, tau = 5h: D/D/1
>>> b = lindley_bracket(s, s, 5)
>>> b.ev_lo, round(b.ev_hi, 9)
(0.0, 0.0)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from bounds.errors import BoundsParameterError, SolverError, check_int, check_real
from bounds.slot_work import ServerWork

__all__ = ["QueueBracket", "SlotWait", "kingman_theta", "lindley_bracket", "slot_throughput", "slot_waiting_time"]


@dataclass(frozen=True)
class QueueBracket:
    """``ev_lo <= E[V] <= ev_hi`` in lattice units times ``h`` (``h = 1`` unless given); stationary pmfs (estimates)."""

    ev_lo: float
    ev_hi: float
    iterations: int
    theta: float
    tail_mass: float
    cells: int
    pmf_lo: NDArray[np.float64] = field(repr=False)
    pmf_hi: NDArray[np.float64] = field(repr=False)


def _check_pmf(name: str, s: NDArray[np.float64]) -> NDArray[np.float64]:
    s = np.asarray(s, dtype=float)
    if s.ndim != 1 or s.size == 0 or not np.all(np.isfinite(s)) or np.any(s < 0):
        raise BoundsParameterError(f"`{name}` must be a non-empty 1-D array of non-negative masses; got shape {s.shape}")
    tot = float(s.sum())
    if abs(tot - 1.0) > 1e-9:
        raise BoundsParameterError(f"`{name}` must sum to 1 (a lattice law); got {tot!r}")
    return s


def kingman_theta(s: NDArray[np.float64], m: int) -> float:
    """Largest ``theta`` (bisection, rounded down) with ``E[e^{theta (S - m)}] <= 1`` for the lattice law ``s`` (units of ``h``).

    >>> th = kingman_theta(np.array([0.5, 0.0, 0.5]), 2)     # steps -2, 0 w.p. 1/2: theta = +inf? no: S - m in {-2, 0}
    >>> th
    inf
    >>> kingman_theta(np.array([0.0, 0.0, 1.0]), 2)
    Traceback (most recent call last):
    ...
    bounds.errors.BoundsParameterError: the queue is unstable: E[S] = 2 >= tau = 2 (lattice units); need E[S] < tau
    """
    k = np.arange(s.size, dtype=float)
    es = float(k @ s)
    if not es < m:
        raise BoundsParameterError(f"the queue is unstable: E[S] = {es:g} >= tau = {m} (lattice units); need E[S] < tau")
    nz = s > 0
    kk, ls = k[nz] - m, np.log(s[nz])

    def logphi(th: float) -> float:
        v = ls + th * kk
        mx = float(v.max())
        return mx + math.log(float(np.exp(v - mx).sum()))

    if kk.max() <= 0:  # S <= tau always: V = 0
        return math.inf
    lo, hi = 0.0, 1.0
    while logphi(hi) <= 0:
        lo, hi = hi, 2 * hi
        if hi > 1e12:
            return lo
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if logphi(mid) <= 0:
            lo = mid
        else:
            hi = mid
        if hi - lo <= 1e-13 * hi:
            break
    return lo


def lindley_bracket(s_dn: NDArray[np.float64], s_up: NDArray[np.float64], m: int, *, h: float = 1.0, tol: float = 1e-6,
                    max_iter: int = 200_000, tail: float = 1e-14, max_cells: int = 2_000_000, check_every: int = 25) -> QueueBracket:
    """Bracket ``E[V]`` of the stationary Lindley chain for a work law between ``s_dn`` and ``s_up`` (lemma T4).

    ``s_dn``, ``s_up``: lattice pmfs (index ``k`` = work ``k h``), ``m`` = ``tau / h``.

    >>> s = np.array([0.7, 0.0, 0.0, 0.0, 0.3])       # batch of 4h w.p. 0.3, tau = 2h
    >>> b = lindley_bracket(s, s, 2)
    >>> b.ev_lo <= b.ev_hi < b.ev_lo + 1e-5
    True
    """
    m = check_int("m", m, low=1)
    s_dn, s_up = _check_pmf("s_dn", s_dn), _check_pmf("s_up", s_up)
    h = check_real("h", h, low=0.0, low_open=True)
    check_real("tol", tol, low=0.0, low_open=True)
    theta = kingman_theta(s_up, m)
    if math.isinf(theta):
        z = np.zeros(1)
        z[0] = 1.0
        return QueueBracket(0.0, 0.0, 0, theta, 0.0, 1, z, z)
    K = math.ceil(-math.log(tail) / theta) + 2
    if K > max_cells:
        raise BoundsParameterError(f"the workload lattice needs {K} cells (> `max_cells` = {max_cells}); the queue is too close to critical for "
                                   f"this lattice (theta = {theta:.3g} per cell)")
    L = max(s_up.size, s_dn.size)
    nfft = 1 << math.ceil(math.log2(K + 1 + L))
    F_up = np.fft.rfft(s_up, nfft)
    F_dn = np.fft.rfft(s_dn, nfft)
    kk = np.arange(K + 1, dtype=float)
    # upper start: D rounded up to the lattice, P(D > x) = min(1, e^{-theta x})
    surv = np.exp(-theta * kk)
    hi = np.zeros(K + 1)
    hi[1:] = surv[:-1] - surv[1:]
    r = float(surv[-1])
    lo = np.zeros(K + 1)
    lo[0] = 1.0

    def step(v: NDArray[np.float64], F: NDArray[np.complex128]) -> tuple[NDArray[np.float64], float]:
        c = np.fft.irfft(np.fft.rfft(v, nfft) * F, nfft)[: K + 1 + L]
        c = np.clip(c, 0.0, None)
        new = np.zeros(K + 1)
        new[0] = c[: m + 1].sum()
        seg = c[m + 1: m + 1 + K]
        new[1: 1 + seg.size] = seg
        over = float(c[m + 1 + K:].sum())
        # renormalise the lattice part against FFT round-off so that total mass is conserved
        return new, over

    def upper_mean(v: NDArray[np.float64], rr: float) -> float:
        x_star = max(K, -math.log(rr) / theta if rr > 0 else math.inf)
        tail_int = 0.0 if rr <= 0 else rr * (x_star - K) + math.exp(-theta * x_star) / theta
        return float(kk @ v) + rr * K + tail_int

    ev_lo_prev, ev_hi_prev = -1.0, math.inf
    ev_lo, ev_hi = 0.0, upper_mean(hi, r)
    it = 0
    while it < max_iter:
        lo, over = step(lo, F_dn)
        lo[K] += over
        hi, over = step(hi, F_up)
        r += over
        it += 1
        if it % check_every == 0:
            ev_lo = max(ev_lo, float(kk @ lo))
            ev_hi = min(ev_hi, upper_mean(hi, r))
            if ev_lo - ev_lo_prev <= tol * max(1.0, ev_lo) and ev_hi_prev - ev_hi <= tol * max(1.0, ev_hi):
                break
            ev_lo_prev, ev_hi_prev = ev_lo, ev_hi
    else:
        raise SolverError(f"the Lindley iteration did not settle in `max_iter` = {max_iter} steps (bracket [{ev_lo * h:.6g}, {ev_hi * h:.6g}])")
    ev_lo = max(ev_lo, float(kk @ lo))
    ev_hi = min(ev_hi, upper_mean(hi, r))
    return QueueBracket(ev_lo * h, ev_hi * h, it, theta / h, r, K + 1, lo, hi)


@dataclass(frozen=True)
class SlotWait:
    """``W_q`` bracket of a slotted server (lemma T3): ``tau/2 + E[V] + Z / E[n_1]``."""

    wq_lo: float
    wq_hi: float
    ev_lo: float
    ev_hi: float
    within_lo: float
    within_hi: float
    queue: QueueBracket = field(repr=False)

    @property
    def estimate(self) -> float:
        """Midpoint of the bracket (an estimate)."""
        return 0.5 * (self.wq_lo + self.wq_hi)


def slot_waiting_time(work: ServerWork, *, tol: float = 1e-6) -> SlotWait:
    """The ``W_q`` bracket for one server's slot work law (lemma T3 and T4).

    >>> from analytic.laws.service import ServiceLaw
    >>> from bounds.slot_work import RankRule, batch_lattice, server_work
    >>> A = batch_lattice(ServiceLaw.exponential(1.0), 0.5, 1.0, 8)
    >>> w = slot_waiting_time(server_work(A, A, RankRule.constant(-1.0)))
    >>> w.wq_lo <= w.wq_hi and w.wq_lo > 0.5      # at least the slot delay tau / 2
    True
    """
    if not isinstance(work, ServerWork):
        raise BoundsParameterError(f"`work` must be a bounds.slot_work.ServerWork; got {type(work).__name__}")
    qb = lindley_bracket(work.s_dn / work.s_dn.sum(), work.s_up / work.s_up.sum(), work.m, h=work.h, tol=tol)
    en = work.mean_customers
    wl, wh = work.z_lo / en, work.z_hi / en
    return SlotWait(work.tau / 2 + qb.ev_lo + wl, work.tau / 2 + qb.ev_hi + wh, qb.ev_lo, qb.ev_hi, wl, wh, qb)


def slot_throughput(work: ServerWork, wait: SlotWait, k: float) -> tuple[float, float]:
    """``E[T_B]`` *estimates* for ``T(t) = t^k`` from the two stationary pmfs (lemma T5): ``(from S-, from S+)``.

    ``E[T_B] = (1 - rho) E[T(L)] / E[L]``, ``L = R + tau K``, ``R = tau - (V + S)``
    on ``0 < V + S < tau``, ``K ~ Geometric(q)``.
    """
    k = check_real("k", k, low=0.0)
    q = work.q
    if not 0 < q <= 1:
        raise BoundsParameterError(f"the server never receives work (q = {q!r})")
    m, h, tau = work.m, work.h, work.tau
    jmax = math.ceil(40.0 / q) + 1
    j = np.arange(jmax, dtype=float)
    pj = q * (1.0 - q) ** j
    res = []
    for v, s in ((wait.queue.pmf_lo, work.s_dn), (wait.queue.pmf_hi, work.s_up)):
        y = np.convolve(v[: m + 1], s[: m + 1])[: m + 1]  # law of V + S on [0, m] (indices above m cannot start an idle period)
        w = y[1: m + 1]
        if w.sum() <= 0:
            res.append(math.nan)
            continue
        R = (m - np.arange(1, m + 1)) * h
        Lmat = R[:, None] + tau * j[None, :]
        num = float(w @ ((Lmat**k) @ pj))
        den = float(w @ (Lmat @ pj))
        res.append((1.0 - work.rho) * num / den if den > 0 else math.nan)
    return res[0], res[1]
