"""Work delivered to one server per slot in timeslotted routing (lemmas T1, T2, T3 of ``proofs/lemmas_system.md``).

Each router holds, at a slot's end, ``N ~ Poisson(lam tau)`` customers of
total work ``W``.  On a lattice of step ``h = tau / m`` the works are rounded
*up* (``X+ = h ceil(X / h)``); the routers decide on ``W+ = sum X+`` and the
true batch work lies in ``[W+ - N h, W+]``.  :class:`BatchLattice` holds the
joint law of ``(N, W+ / h)``.

A slot rule is a correlation ``E(w_A, w_B) = E[o_A o_B]`` between the two
routers' outputs, given as

* :class:`RankRule`: ``E = sum_c u_c(w_A) v_c(w_B)`` on the lattice
  (classical thresholds: one component; planar quantum routers: two), mixed
  by a shared coin with weights;
* :class:`SumThresholdRule`: the ideal (communicating) rule
  ``bunch iff W_A+ + W_B+ <= t``.

:func:`server_work` returns the law of server 1's slot work on the lattice,
once with ``W+`` (an upper variable ``S+``) and once with ``W+ - N h`` (a
lower variable ``S-``), the within-batch waiting term ``Z`` as an interval,
and the coordination statistics.  Floats throughout: these feed the
bracket of :mod:`bounds.slot_queue`, not a certificate.

>>> from analytic.laws.service import ServiceLaw
>>> law = ServiceLaw.exponential(1.0)
>>> A = batch_lattice(law, 0.5, 1.0, 8)
>>> w = server_work(A, A, RankRule.constant(1.0))      # always bunch
>>> bool(abs(w.s_up.sum() - 1.0) < 1e-12), abs(w.p_split) < 1e-12
(True, True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray
from scipy import signal, stats

from analytic.laws.service import ServiceLaw
from bounds.errors import BoundsParameterError, BoundsTypeError, check_int, check_real

__all__ = ["BatchLattice", "RankRule", "ServerWork", "SumThresholdRule", "batch_lattice", "rule_correlation", "server_work"]

#: mass of N and X left out of the lattice (reported, T4 (e))
TAIL = 1e-15


@dataclass(frozen=True)
class BatchLattice:
    """Joint law of ``(N, W+ / h)`` of one router's batch in one slot (``N >= 1`` rows).

    ``P[n - 1, k] = P(N = n, W+ = k h)``; ``p_empty = P(N = 0)``;
    ``truncated_mass`` is the probability left out (``N`` or ``X`` beyond the lattice).
    """

    lam: float
    tau: float
    m: int
    law: ServiceLaw
    P: NDArray[np.float64] = field(repr=False)
    p_empty: float
    truncated_mass: float

    @property
    def h(self) -> float:
        return self.tau / self.m

    @property
    def size(self) -> int:
        return int(self.P.shape[1])

    def padded(self, size: int) -> NDArray[np.float64]:
        """``P`` with columns padded with zeros to ``size``."""
        return np.pad(self.P, ((0, 0), (0, size - self.size)))

    def conditional_cdf(self) -> NDArray[np.float64]:
        """``P(W+ <= k h | N >= 1)`` for every lattice index ``k`` (the input transform ``g`` of planar rules)."""
        a = self.P.sum(axis=0)
        return np.cumsum(a) / a.sum()


def batch_lattice(law: ServiceLaw, lam: float, tau: float, m: int, *, max_cells: int = 400_000) -> BatchLattice:
    """The batch law of a router with Poisson rate ``lam``, slot ``tau``, lattice ``h = tau / m``.

    >>> from analytic.laws.service import ServiceLaw
    >>> b = batch_lattice(ServiceLaw.exponential(1.0), 1.0, 0.5, 4)
    >>> round(b.p_empty, 12) == round(math.exp(-0.5), 12)
    True
    """
    if not isinstance(law, ServiceLaw):
        raise BoundsTypeError(f"`law` must be an analytic.ServiceLaw; got {type(law).__name__}")
    lam = check_real("lam", lam, low=0.0, low_open=True)
    tau = check_real("tau", tau, low=0.0, low_open=True)
    m = check_int("m", m, low=1)
    h = tau / m
    mean_n = lam * tau
    n_max = max(1, int(stats.poisson.isf(TAIL, mean_n)) + 1)
    x_hi = float(law.isf(TAIL))
    J = math.ceil(x_hi / h)
    # work lattice: W+ beyond mean + many standard deviations carries negligible mass
    sd = math.sqrt(mean_n * law.second_moment)
    K = math.ceil((mean_n * law.mean + 14.0 * sd + x_hi) / h) + 1
    if K > max_cells or J > max_cells:
        raise BoundsParameterError(f"the lattice needs {max(K, J)} cells (> `max_cells` = {max_cells}); increase `tau / m` or `max_cells`")
    edges = np.arange(J + 1) * h
    cdf = np.asarray(law.cdf(edges), dtype=float)
    x = np.zeros(J + 1)
    x[1:] = np.diff(cdf)  # X+ = j h with mass F(jh) - F((j - 1)h)
    x = np.clip(x, 0.0, None)
    lost_x = max(0.0, 1.0 - float(x.sum()))
    pn = stats.poisson.pmf(np.arange(n_max + 1), mean_n)
    P = np.zeros((n_max, K + 1))
    cur = np.zeros(K + 1)
    cur[0] = 1.0
    lost_w = 0.0
    for n in range(1, n_max + 1):
        full = signal.fftconvolve(cur, x)
        full = np.clip(full, 0.0, None)
        lost_w += pn[n] * float(full[K + 1:].sum())
        cur = full[: K + 1]
        P[n - 1] = pn[n] * cur
    truncated = float(stats.poisson.sf(n_max, mean_n)) + lost_w + mean_n * lost_x
    return BatchLattice(lam, tau, m, law, P, float(pn[0]), truncated)


@dataclass(frozen=True)
class RankRule:
    """``E(w_A, w_B) = sum_c u_c(w_A) v_c(w_B)`` on the lattice, mixed over ``parts = ((weight, U, V), ...)``.

    ``U`` and ``V`` are ``(c, size)`` arrays over the lattice index of ``W+``
    (for A and B); each part must satisfy ``|sum_c u_c v_c| <= 1``.
    """

    parts: tuple[tuple[float, NDArray[np.float64], NDArray[np.float64]], ...]
    name: str = "rank"

    @staticmethod
    def constant(e: float, name: str = "constant") -> RankRule:
        """``E = e`` everywhere (``1``: always bunch, ``-1``: always split, otherwise a shared-coin mixture)."""
        e = check_real("e", e, low=-1.0, high=1.0)
        return RankRule(((1.0, np.array([[e]]), np.array([[1.0]])),), name)

    def mixed(self, other: RankRule, w: float) -> RankRule:
        """Shared coin: ``self`` w.p. ``1 - w``, ``other`` w.p. ``w``."""
        w = check_real("w", w, low=0.0, high=1.0)
        parts = tuple((a * (1 - w), U, V) for a, U, V in self.parts) + tuple((a * w, U, V) for a, U, V in other.parts)
        return RankRule(parts, f"{self.name}+{other.name}")


@dataclass(frozen=True)
class SumThresholdRule:
    """The ideal rule: bunch iff ``W_A+ + W_B+ <= t`` (``t`` in units of the work, not cells)."""

    t: float
    name: str = "sum-threshold"


@dataclass(frozen=True)
class ServerWork:
    """Law of server 1's slot work (lattice pmfs over ``k h``) and the slot statistics.

    ``s_up`` is the law of ``S+`` (works ``W+``), ``s_dn`` of ``S-`` (works
    ``W+ - N h``), so ``S- <= S <= S+`` pathwise.  ``z_lo, z_hi`` bracket the
    expected within-batch wait per slot of server 1 (lemma T3); ``mean_customers``
    is ``E[n_1] = (lam_A + lam_B) tau / 2``; ``p_coord`` = P(both routers hold
    customers); ``p_split`` = P(split | both hold customers); ``q`` = P(S > 0).
    """

    tau: float
    m: int
    s_up: NDArray[np.float64] = field(repr=False)
    s_dn: NDArray[np.float64] = field(repr=False)
    z_lo: float
    z_hi: float
    mean_customers: float
    rho: float
    p_coord: float
    p_split: float
    q: float
    truncated_mass: float

    @property
    def h(self) -> float:
        return self.tau / self.m


def _shift_rows(P: NDArray[np.float64], f: NDArray[np.float64] | None) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """``(sum_n P[n, k] f[k], sum_n P[n, k + n] f[k + n])``: the weighted law of ``W+`` and of ``W+ - N h`` (index)."""
    Pf = P if f is None else P * f[None, :]
    up = Pf.sum(axis=0)
    dn = np.zeros_like(up)
    for i in range(P.shape[0]):
        n = i + 1
        dn[: up.size - n] += Pf[i, n:]
    return up, dn


def _w_interval(P: NDArray[np.float64], f: NDArray[np.float64], h: float) -> tuple[float, float]:
    """Bracket of ``E[W f(W+); N >= 1]`` with ``W`` in ``[W+ - N h, W+]``."""
    k = np.arange(P.shape[1], dtype=float)
    n = np.arange(1, P.shape[0] + 1, dtype=float)[:, None]
    wu = k[None, :] * h * f[None, :]
    wd = np.clip(k[None, :] - n, 0.0, None) * h * f[None, :]
    return float((P * np.minimum(wu, wd)).sum()), float((P * np.maximum(wu, wd)).sum())


def _nf(P: NDArray[np.float64], f: NDArray[np.float64]) -> float:
    """``E[N f(W+); N >= 1]``."""
    n = np.arange(1, P.shape[0] + 1, dtype=float)[:, None]
    return float((P * n * f[None, :]).sum())


def _imul(iv: tuple[float, float], c: float) -> tuple[float, float]:
    return (c * iv[0], c * iv[1]) if c >= 0 else (c * iv[1], c * iv[0])


def _conv(a: NDArray[np.float64], b: NDArray[np.float64]) -> NDArray[np.float64]:
    return signal.fftconvolve(a, b)


def server_work(A: BatchLattice, B: BatchLattice, rule: RankRule | SumThresholdRule) -> ServerWork:
    """Law of server 1's work per slot for routers with batches ``A``, ``B`` under ``rule`` (lemma T2).

    >>> from analytic.laws.service import ServiceLaw
    >>> A = batch_lattice(ServiceLaw.exponential(1.0), 0.6, 1.0, 8)
    >>> w = server_work(A, A, RankRule.constant(-1.0))   # always split: E[S] = rho tau
    >>> round(float(np.arange(w.s_up.size) @ w.s_up) * w.h, 3) >= 0.6
    True
    """
    if not (isinstance(A, BatchLattice) and isinstance(B, BatchLattice)):
        raise BoundsTypeError("`A` and `B` must be BatchLattice (bounds.slot_work.batch_lattice)")
    if abs(A.tau - B.tau) > 1e-15 * A.tau or A.m != B.m:
        raise BoundsParameterError(f"`A` and `B` must share tau and m; got tau {A.tau!r}, {B.tau!r} and m {A.m}, {B.m}")
    if not isinstance(rule, (RankRule, SumThresholdRule)):
        raise BoundsTypeError(f"`rule` must be a RankRule or SumThresholdRule; got {type(rule).__name__}")
    size = max(A.size, B.size)
    PA, PB = A.padded(size), B.padded(size)
    h = A.h
    pA, pB = A.p_empty, B.p_empty
    aU, aD = _shift_rows(PA, None)
    bU, bD = _shift_rows(PB, None)
    ma, mb = float(aU.sum()), float(bU.sum())
    L = 2 * size - 1
    out = {}
    for tag, a, b in (("up", aU, bU), ("dn", aD, bD)):
        s = np.zeros(L)
        s[0] += pA * pB + pB * ma / 2 + pA * mb / 2
        s[:size] += pB * a / 2 + pA * b / 2
        out[tag] = s
    ones = np.ones(size)
    # within-batch term, lemma T3: Z = E[(N_A - 1)W_A + (N_B - 1)W_B + beta (N_B W_A + N_A W_B)] / 4 (per server per slot)
    na = np.arange(0, PA.shape[0], dtype=float)[:, None]  # N - 1
    nb = np.arange(0, PB.shape[0], dtype=float)[:, None]
    zA = _w_interval(PA * na, ones, h)
    zB = _w_interval(PB * nb, ones, h)
    EWa, EWb = _w_interval(PA, ones, h), _w_interval(PB, ones, h)
    ENa, ENb = _nf(PA, ones), _nf(PB, ones)
    cross_lo = cross_hi = 0.0
    # beta = (1 + E)/2: the "1" part of the cross term
    for iv in (_imul(EWa, ENb / 2), _imul(EWb, ENa / 2)):
        cross_lo += iv[0]
        cross_hi += iv[1]
    split_mass = 0.0  # P(both non-empty and split)
    if isinstance(rule, RankRule):
        for w, U, V in rule.parts:
            U = np.asarray(U, dtype=float)
            V = np.asarray(V, dtype=float)
            if U.shape[1] == 1:
                U = np.repeat(U, size, axis=1)
            if V.shape[1] == 1:
                V = np.repeat(V, size, axis=1)
            if U.shape != V.shape or U.shape[1] < size:
                raise BoundsParameterError(f"rule components must be (c, >= {size}) arrays of equal shape; got {U.shape} and {V.shape}")
            U, V = U[:, :size], V[:, :size]
            for tag, a, b, P_a, P_b in (("up", aU, bU, PA, PB), ("dn", aD, bD, PA, PB)):
                s = out[tag]
                ua = [_shift_rows(P_a, U[c])[0 if tag == "up" else 1] for c in range(U.shape[0])]
                vb = [_shift_rows(P_b, V[c])[0 if tag == "up" else 1] for c in range(V.shape[0])]
                Uc = [float(aU @ U[c]) for c in range(U.shape[0])]  # <a, u_c> (same mass up or down)
                Vc = [float(bU @ V[c]) for c in range(V.shape[0])]
                cor = sum(x * y for x, y in zip(Uc, Vc))
                s[0] += w * (ma * mb + cor) / 4
                s[:size] += w * (a * mb - sum(ua[c] * Vc[c] for c in range(len(ua)))) / 4
                s[:size] += w * (b * ma - sum(vb[c] * Uc[c] for c in range(len(vb)))) / 4
                conv = _conv(a, b)
                for c in range(len(ua)):
                    conv = conv + _conv(ua[c], vb[c])
                s[: conv.size] += w * conv / 4
                if tag == "up":
                    split_mass += w * (ma * mb - cor) / 2
            for c in range(U.shape[0]):
                Vn, Un = _nf(PB, V[c]), _nf(PA, U[c])
                for iv in (_imul(_w_interval(PA, U[c], h), w * Vn / 2), _imul(_w_interval(PB, V[c], h), w * Un / 2)):
                    cross_lo += iv[0]
                    cross_hi += iv[1]
    else:
        T = math.floor(check_real("t", rule.t, low=0.0) / h + 1e-9)
        # 2-D joint law over (N, index): combined batch, then mask W_A+ + W_B+ <= T
        for tag in ("up", "dn"):
            s = out[tag]
            a = aU if tag == "up" else aD
            b = bU if tag == "up" else bD
            # bunched: (1 + E)/2 = 1{i + j <= T}; server 1 receives the sum w.p. 1/2 and nothing w.p. 1/2
            joint = signal.fftconvolve(PA, PB)  # rows: N_A + N_B - 2, columns: i + j (up indices)
            joint = np.clip(joint, 0.0, None)
            kk = np.arange(joint.shape[1])
            bun = np.where(kk[None, :] <= T, joint, 0.0)
            bmass = float(bun.sum())
            if tag == "up":
                s[: bun.shape[1]] += bun.sum(axis=0) / 2
            else:
                for r in range(bun.shape[0]):
                    n = r + 2
                    s[: bun.shape[1] - n] += bun[r, n:] / 2
            s[0] += bmass / 2
            # split: each batch alone w.p. 1/2; A's batch at index i is split iff W_B+ > T - i
            cb = np.concatenate([[0.0], np.cumsum(bU)])  # cb[j] = P(W_B+ < j, N_B >= 1) (index)
            ca = np.concatenate([[0.0], np.cumsum(aU)])
            i = np.arange(size)
            thr = np.clip(T - i + 1, 0, size)
            pb_gt = mb - cb[thr]  # P(W_B+ > T - i)
            pa_gt = ma - ca[thr]
            wa = PA * pb_gt[None, :]
            wb = PB * pa_gt[None, :]
            wa_up, wa_dn = _shift_rows(wa, None)
            wb_up, wb_dn = _shift_rows(wb, None)
            s[:size] += ((wa_up + wb_up) if tag == "up" else (wa_dn + wb_dn)) / 2
            if tag == "up":
                split_mass = float(wa.sum())
        # cross term: E[1{bunch} (N_B W_A + N_A W_B)] / 2 replaces the rank form; recompute from scratch
        cross_lo = cross_hi = 0.0
        cb = np.concatenate([[0.0], np.cumsum(_shift_rows(PB * np.arange(1, PB.shape[0] + 1)[:, None], None)[0])])
        ca = np.concatenate([[0.0], np.cumsum(_shift_rows(PA * np.arange(1, PA.shape[0] + 1)[:, None], None)[0])])
        i = np.arange(size)
        thr = np.clip(T - i + 1, 0, size)
        nb_le = cb[thr]  # E[N_B; W_B+ <= T - i]
        na_le = ca[thr]
        for P_, f in ((PA, nb_le), (PB, na_le)):
            lo, hi = _w_interval(P_, f, h)
            cross_lo += lo
            cross_hi += hi
    z_lo = (zA[0] + zB[0] + cross_lo) / 4
    z_hi = (zA[1] + zB[1] + cross_hi) / 4
    s_up = np.clip(out["up"], 0.0, None)
    s_dn = np.clip(out["dn"], 0.0, None)
    p_coord = ma * mb
    mean_c = (A.lam + B.lam) * A.tau / 2
    rho = mean_c * A.law.mean / A.tau
    return ServerWork(A.tau, A.m, _trim(s_up), _trim(s_dn), z_lo, z_hi, mean_c, rho, p_coord,
                      split_mass / p_coord if p_coord > 0 else 0.0, 1.0 - float(s_up[0]), A.truncated_mass + B.truncated_mass)


def _trim(s: NDArray[np.float64]) -> NDArray[np.float64]:
    nz = np.nonzero(s > 1e-300)[0]
    return s[: (int(nz[-1]) + 1 if nz.size else 1)].copy()


def _rank_correlation(rule: RankRule, ka: NDArray[np.int64], kb: NDArray[np.int64]) -> NDArray[np.float64]:
    out = np.zeros(np.shape(ka))
    for w, U, V in rule.parts:
        U, V = np.asarray(U, dtype=float), np.asarray(V, dtype=float)
        ia = np.minimum(ka, U.shape[1] - 1)
        ib = np.minimum(kb, V.shape[1] - 1)
        out += w * np.einsum("ci,ci->i", U[:, ia], V[:, ib])
    return np.clip(out, -1.0, 1.0)


def rule_correlation(rule: RankRule | SumThresholdRule, ka: NDArray[np.int64], kb: NDArray[np.int64], h: float) -> NDArray[np.float64]:
    """``E[o_A o_B]`` of ``rule`` for lattice indices ``ka``, ``kb`` of ``W+`` (for the simulator).

    >>> rule_correlation(SumThresholdRule(1.0), np.array([1, 5]), np.array([1, 5]), 0.25)
    array([ 1., -1.])
    """
    ka, kb = np.asarray(ka, dtype=np.int64), np.asarray(kb, dtype=np.int64)
    if isinstance(rule, SumThresholdRule):
        T = math.floor(rule.t / h + 1e-9)
        return np.where(ka + kb <= T, 1.0, -1.0)
    if isinstance(rule, RankRule):
        return _rank_correlation(rule, ka, kb)
    raise BoundsTypeError(f"`rule` must be a RankRule or SumThresholdRule; got {type(rule).__name__}")
