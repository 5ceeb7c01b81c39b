"""Verified PSD of a Tsirelson dual whose off-diagonal block is a step matrix plus a few exceptions (Lemma Q5b).

A cell matrix ``M`` of a game with a monotone boundary is, row by row, a
step function: ``+1/N^2`` on the full bunch cells, then the crossed cells,
then ``-1/N^2`` on the full split cells.  So ``B = -Mc/2`` is
``beta Sigma + Delta`` with ``Sigma_ij = a_i`` for ``j < t_i`` and ``-a_i``
for ``j >= t_i`` (``a_i = +-1``) and ``Delta = B - beta Sigma`` non-zero only
on a sparse set ``Omega`` (the crossed cells).  The Schur complement of
``diag(x)`` in ``Z = [[diag(x), B], [B^T, diag(y)]]`` needs
``K = B^T diag(1/x) B``, and

    Sigma^T W Sigma (j, k) = T - 2 |F(j) - F(k)|,   F(s) = sum of w_i over t_i <= s,  T = sum w_i,

because ``Sigma_ij Sigma_ik = -1`` exactly when ``min(j, k) < t_i <= max(j, k)``.
The prefix sums ``F`` are formed exactly (Python integers) and rounded once,
the ``Delta`` terms cost ``O(|Omega| N)``: the Schur complement costs
``O(N^2)`` instead of the ``N^3`` product, and what remains is one ``N x N``
Cholesky (Theorem V).  The error bound (``proofs/lemmas_quantum.md``, Lemma
Q5b) has the shape of Lemma Q5's with ``gamma_{3m+20}`` (``m`` = most
exceptions in one column) in place of ``gamma_{n+5}``.  A matrix without
this structure goes to :func:`proofs.exact.psd.verified_schur_psd`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from itertools import accumulate

import numpy as np
from numpy.typing import NDArray

from proofs.exact.psd import (
    UNIT_ROUNDOFF,
    PsdCheck,
    SchurEnclosure,
    _shifted_cholesky,
    exact_float_sum,
    gamma,
    rump_shift,
    verified_schur_psd,
)
from proofs.exact.rational import float_up

__all__ = ["StepPrep", "StepStructure", "step_prepare", "step_schur_enclosure", "step_schur_psd", "step_structure"]

_U = UNIT_ROUNDOFF
#: beta, every x_i and every non-zero |B_ij| lie in [2^-250, 2^250]: then no product of the algorithm
#: underflows or overflows (Lemma Q5b); anything else goes to Lemma Q5, which carries an underflow term
_RANGE = (2.0**-250, 2.0**250)


@dataclass(frozen=True, eq=False)
class StepStructure:
    """``B = beta Sigma + Delta`` with step rows ``Sigma`` and ``Delta`` supported on ``Omega``.

    Attributes
    ----------
    beta
        The step height (a positive float).
    a, t
        Row ``i`` of ``Sigma`` is ``a_i`` on columns ``j < t_i`` and ``-a_i`` from ``t_i`` on.
    rows, cols
        The entries ``Omega`` where ``B != beta Sigma`` (row-major order).
    m
        Most entries of ``Omega`` in one column.
    """

    beta: float
    a: NDArray[np.int64]
    t: NDArray[np.int64]
    rows: NDArray[np.intp]
    cols: NDArray[np.intp]
    m: int


def step_structure(b: NDArray[np.float64], max_exceptions: int | None = None) -> StepStructure | None:
    """Find ``beta``, the steps and the exceptions of ``B``; ``None`` if there are more than ``max_exceptions``.

    Any choice is correct (``Omega`` is defined as the entries that differ);
    a good one keeps ``Omega`` small. Default limit: ``min(8 (n + k), n k / 2)`` entries.

    >>> s = step_structure(np.array([[1.0, 1.0, -1.0], [1.0, 0.5, -1.0], [-1.0, -1.0, -1.0]]))
    >>> s.beta, s.a.tolist(), s.t.tolist(), list(zip(s.rows.tolist(), s.cols.tolist()))
    (1.0, [1, 1, -1], [2, 2, 3], [(1, 1)])
    """
    n, k = b.shape
    limit = min(8 * (n + k), n * k // 2) if max_exceptions is None else max_exceptions
    border = np.abs(np.concatenate([b[:, 0], b[:, -1], b[0], b[-1]]))
    border = border[border > 0]
    if border.size == 0:
        return None
    vals, counts = np.unique(border, return_counts=True)
    beta = float(vals[np.argmax(counts)])
    if not _RANGE[0] <= beta <= _RANGE[1]:
        return None
    first, last = b[:, 0], b[:, -1]
    a = np.where(first > 0, 1, np.where(first < 0, -1, np.where(last > 0, -1, 1))).astype(np.int64)
    t = np.empty(n, dtype=np.int64)
    col = np.arange(k)
    af = a.astype(np.float64)
    found_r: list[NDArray[np.intp]] = []
    found_c: list[NDArray[np.intp]] = []
    total = 0
    step = _block_rows(k)
    for i0 in range(0, n, step):  # blocks of rows that stay in cache: one read of B in all
        i1 = min(i0 + step, n)
        c = b[i0:i1] * af[i0:i1, None]  # rows times a_i (exact): +beta left of the step, -beta from it on
        pos = c > 0
        tb = np.add.reduce(pos, axis=1, dtype=np.int64)  # t_i: the positives of B_i (a_i = 1) or its negatives (a_i = -1)
        t[i0:i1] = tb
        # B_ij != beta Sigma_ij: |c| != beta, or c = +-beta with the sign of the other side of the step
        bad = np.abs(c) != beta
        bad |= pos != (col[None, :] < tb[:, None])
        idx = np.flatnonzero(bad)
        if idx.size:
            total += idx.size
            if total > limit:
                return None
            found_r.append(idx // k + i0)
            found_c.append(idx % k)
    rows = np.concatenate(found_r) if found_r else np.zeros(0, dtype=np.intp)
    cols = np.concatenate(found_c) if found_c else np.zeros(0, dtype=np.intp)
    m = int(np.bincount(cols, minlength=1).max()) if cols.size else 0
    return StepStructure(beta, a, t, rows, cols, m)


#: entries of a block of rows processed in cache (256 KB of floats: half a core's L2 cache on the machines we use)
_BLOCK_ENTRIES = 1 << 15
#: side of the square blocks of :func:`_fold`
_FOLD_BLOCK = 128


def _block_rows(k: int) -> int:
    """Rows of a ``k``-column block of about ``_BLOCK_ENTRIES`` entries (at least one row)."""
    return max(1, _BLOCK_ENTRIES // max(k, 1))


def _scaled_float(v: int, e0: int) -> float:
    """``v 2^e0`` correctly rounded (Python's int / int true division rounds correctly)."""
    return v / (1 << -e0) if e0 < 0 else float(v << e0)


def _fold(g: NDArray[np.float64], f_hat: NDArray[np.float64], t_hat: float, beta2: float, add_y: bool) -> None:
    """``g <- -fl(X + fl(g + g^T))`` in place (``-X`` when not ``add_y``), block pair by block pair (in cache).

    ``X_jl = fl(beta2 fl(t_hat - 2 fl(|Fh(j) - Fh(l)|)))`` is exactly symmetric
    (``fl(a - b) = -fl(b - a)``), so each pair of blocks gets one rounded sum
    and the transpose of the result.
    """
    k = g.shape[0]
    block = _FOLD_BLOCK
    for i0 in range(0, k, block):
        i1 = min(i0 + block, k)
        for j0 in range(i0, k, block):
            j1 = min(j0 + block, k)
            xb = np.subtract.outer(f_hat[i0:i1], f_hat[j0:j1])
            np.abs(xb, out=xb)
            xb *= -2.0
            xb += t_hat
            xb *= beta2  # X on the block
            if add_y:
                xb += g[i0:i1, j0:j1] + g[j0:j1, i0:i1].T  # fl(X + fl(beta Y + beta Y^T))
            np.negative(xb, out=xb)
            g[i0:i1, j0:j1] = xb
            g[j0:j1, i0:i1] = xb.T


def step_schur_enclosure(b: NDArray[np.float64], x: NDArray[np.float64], y: NDArray[np.float64], st: StepStructure) -> SchurEnclosure:
    """The float Schur complement ``A`` of ``diag(x)`` in ``Z`` and ``err >= ||S - A||_2`` (Lemma Q5b).

    ``beta``, ``x`` and the non-zero ``|B_ij|`` must lie in ``[2^-250, 2^250]`` and ``y`` be finite and
    non-negative (:func:`step_schur_psd` checks).

    >>> b = np.array([[-0.5, 0.5], [0.5, 0.5]])
    >>> e = step_schur_enclosure(b, np.array([1.0, 1.0]), np.array([1.0, 1.0]), step_structure(b))
    >>> (e.a + 0.0).tolist(), 0 < e.err < 1e-14     # S = I - B^T B = [[0.5, 0], [0, 0.5]]
    ([[0.5, 0.0], [0.0, 0.5]], True)
    """
    n, k = b.shape
    zero = Fraction(0)
    beta, a, t, rows, cols, m = st.beta, st.a, st.t, st.rows, st.cols, st.m
    w = 1.0 / x  # normal floats: |w - 1/x| <= u/x
    # exact prefix sums of w bucketed by step position: w_i = mant_i 2^(ex_i), Python integers (no overflow)
    frac, ex = np.frexp(w)
    mant = np.ldexp(frac, 53).astype(np.int64)
    ex = ex.astype(np.int64) - 53
    e0 = int(ex.min())
    bucket = [0] * (k + 1)
    for mi, si, ti in zip(mant.tolist(), (ex - e0).tolist(), t.tolist()):
        bucket[ti] += mi << si
    f_int = list(accumulate(bucket))
    t_exact = Fraction(f_int[-1]) * Fraction(2) ** e0  # T = sum w_i
    f_hat = np.array([_scaled_float(v, e0) for v in f_int[:k]])
    t_hat = _scaled_float(f_int[-1], e0)
    beta2 = beta * beta
    # G = fl(fl(X + Y2) + Zp) (lemma Q5b (b)), stored negated (negation is exact) so that A needs no further pass
    g = np.empty((k, k))
    if rows.size:
        sig = np.where(cols < t[rows], a[rows], -a[rows])
        dhat = b[rows, cols] - beta * sig  # fl(Delta) on Omega
        v = w[rows] * dhat  # fl(w_i Delta_ij)
        coef = v * a[rows]  # v a_i (exact: a_i = +-1)
        # fl(beta Y), Y = (Delta^T W Sigma) with row j = sum over i in Omega^j of v a_i (1 - 2 [col >= t_i]):
        # a difference array per row j, summed along the row.  Stored transposed (g = fl(beta Y)^T: the
        # fold below adds g and g^T, the same two numbers either way).  The difference array is non-zero
        # only on the cells (t_i, j) of Omega: each running sum is constant between them (adding 0 is
        # exact), so a block of rows starts as the last row of the block before, and each cell's sum
        # (its terms added in the order of Omega) is added to its column from its row to the block's end
        r0 = np.zeros(k)
        np.add.at(r0, cols, coef)
        ts = t[rows]
        live = ts < k  # a step at t_i = k lies beyond the last column
        ckey, cinv = np.unique(ts[live] * k + cols[live], return_inverse=True)  # cells, by row t then column j
        cval = np.zeros(ckey.size)
        np.add.at(cval, cinv.ravel(), coef[live])
        ct, cj = ckey // k, ckey % k
        step = _block_rows(k)
        bounds = np.searchsorted(ct, np.arange(0, k + step, step))
        carry = np.zeros(k)
        for q, c0 in enumerate(range(0, k, step)):
            c1 = min(c0 + step, k)
            cum = g[c0:c1]
            cum[:] = carry
            for tc, jc, vc in zip(ct[bounds[q]:bounds[q + 1]].tolist(), cj[bounds[q]:bounds[q + 1]].tolist(), cval[bounds[q]:bounds[q + 1]].tolist()):
                col = cum[tc - c0:, jc]
                col += vc  # fl(running sum + cell): every later row of the block holds the same running sum
            carry = cum[-1].copy()
            cum *= -2.0
            cum += r0[None, :]
            cum *= beta  # fl(beta Y)^T
    _fold(g, f_hat, t_hat, beta2, bool(rows.size))  # g <- -fl(X + fl(beta Y + beta Y^T)), exactly symmetric
    trl_extra = zero
    if rows.size:
        # Delta^T W Delta: pairs of exceptions in one row, summed per (j, l) with j >= l, added to both triangles
        cnt = np.bincount(rows, minlength=n)
        start = np.concatenate([[0], np.cumsum(cnt)[:-1]])
        per = cnt[rows]
        p_idx = np.repeat(np.arange(rows.size), per)
        q_idx = start[rows[p_idx]] + (np.arange(p_idx.size) - np.repeat(np.cumsum(per) - per, per))
        jj, ll = cols[p_idx], cols[q_idx]
        keep = jj >= ll
        jj, ll = jj[keep], ll[keep]
        pv = v[p_idx[keep]] * dhat[q_idx[keep]]
        key = jj * k + ll
        uk, inv = np.unique(key, return_inverse=True)
        zsum = np.zeros(uk.size)
        np.add.at(zsum, inv.ravel(), pv)
        zj, zl = uk // k, uk % k
        gv = -g[zj, zl] + zsum  # fl(G_jl + Zp_jl), G_jl = -g_jl exactly
        g[zj, zl] = -gv
        g[zl, zj] = -gv
        # tr Lambda beyond k beta^2 T: sum over Omega of w (2 beta |Delta| + Delta^2); fl(Delta) and the
        # 4 roundings of each term are covered by (1 + u)^2 / (1 - u)^4 <= 1 + gamma_6
        tau = w[rows] * (2.0 * beta * np.abs(dhat) + dhat * dhat)
        trl_extra = exact_float_sum(tau) * (1 + gamma(6))
    if not math.isfinite(float(np.sum(g))):  # an inf or NaN entry makes the sum non-finite
        return SchurEnclosure(None, zero, "overflow while forming the Schur complement")
    idx = np.arange(k)
    d = y + g[idx, idx]  # fl(y_j - G_jj)
    if np.any(d < 0):
        return SchurEnclosure(None, zero, "the Schur complement has a negative diagonal entry")
    g[idx, idx] = d
    tr_lambda = k * Fraction(beta) ** 2 * t_exact + trl_extra
    err = gamma(3 * m + 21) * tr_lambda + 2 * _U * exact_float_sum(d)
    return SchurEnclosure(g, err)


@dataclass(frozen=True, eq=False)
class StepPrep:
    """What :func:`step_schur_psd` learns from ``B`` alone (no ``x``, ``y``): reusable for every dual tested against one ``B``.

    Attributes
    ----------
    finite
        Every entry of ``B`` is finite.
    structure
        The step structure of ``B`` (:func:`step_structure`), or ``None`` when
        there is none, ``B`` is not finite, or an exception lies outside ``[2^-250, 2^250]``.
    """

    finite: bool
    structure: StepStructure | None


def step_prepare(b: NDArray[np.float64]) -> StepPrep:
    """The ``x, y``-free part of :func:`step_schur_psd` on ``B``: finiteness and the step structure.

    >>> b = np.full((4, 4), -0.25); b[:, 2:] = 0.25
    >>> p = step_prepare(b)
    >>> p.finite, p.structure.beta, p.structure.t.tolist()
    (True, 0.25, [2, 2, 2, 2])
    >>> step_prepare(np.array([[np.inf]])).finite
    False
    """
    b = np.asarray(b, dtype=np.float64)
    # an inf or NaN entry makes the float sum non-finite (one pass over B, no boolean N x N array)
    if b.ndim != 2 or b.size == 0 or not math.isfinite(float(np.sum(b))):
        return StepPrep(False, None)
    st = step_structure(b)
    if st is not None:
        off = np.abs(b[st.rows, st.cols])
        if np.any((off != 0) & ((off < _RANGE[0]) | (off > _RANGE[1]))):
            st = None
    return StepPrep(True, st)


def step_schur_psd(b: NDArray[np.float64], x: NDArray[np.float64], y: NDArray[np.float64], prep: StepPrep | None = None) -> PsdCheck:
    """Prove ``Z = [[diag(x), B], [B^T, diag(y)]] >= 0`` at the cost of one ``k x k`` Cholesky (Lemma Q5b).

    ``B`` with step rows and few exceptions (:func:`step_structure`) gets
    the ``O(nk)`` Schur complement of :func:`step_schur_enclosure`; anything
    else (no structure, a zero or out-of-range ``x_i``) goes to
    :func:`proofs.exact.psd.verified_schur_psd` (Lemma Q5), whose verdict and
    reasons it returns.  ``prep`` is :func:`step_prepare` of this very ``B``
    if the caller has it (a caller testing many duals against one ``B``).

    >>> b = np.full((40, 40), -0.01); b[:, 20:] = 0.01
    >>> step_schur_psd(b, np.full(40, 0.41), np.full(40, 0.41)).method   # ||B||_2 = 0.4 < 0.41
    'verified-schur-steps'
    >>> step_schur_psd(b, np.full(40, 0.4), np.full(40, 0.4)).ok        # singular: no margin
    False
    """
    b = np.asarray(b, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if b.ndim != 2 or x.shape != (b.shape[0],) or y.shape != (b.shape[1],) or b.size == 0:
        return verified_schur_psd(b, x, y)  # raises the one parameter error
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))) or np.any(y < 0):
        return verified_schur_psd(b, x, y)
    if x.min() < _RANGE[0] or x.max() > _RANGE[1]:
        return verified_schur_psd(b, x, y)
    prep = step_prepare(b) if prep is None else prep
    st = prep.structure
    if not prep.finite or st is None:
        return verified_schur_psd(b, x, y)
    enc = step_schur_enclosure(b, x, y, st)
    if enc.a is None:
        return PsdCheck(False, "verified-schur-steps", 0.0, enc.reason)
    shift = float_up(Fraction(rump_shift(enc.a)) + enc.err)
    return _shifted_cholesky(enc.a, shift, "verified-schur-steps")
