"""Numba kernel of the direct Tsirelson solve of a small rectangular XOR game (one call, no numpy dispatch per step).

:func:`direct` runs the block-coordinate ascent of :func:`bounds._kernels.alternate` (its row kernels)
on ``M`` (``rows x cols``), forms the complementary-slackness multipliers
``x_i = 1/2 <u_i, (M V)_i>``, ``y_j = 1/2 <v_j, (M^T U)_j>`` and the smallest
eigenvalue of the dual matrix ``[[diag x, -M/2], [-M^T/2, diag y]]``.  Its
numpy twin :func:`direct_numpy` does the same arithmetic (tests check they agree).

:func:`ascend` is :func:`direct` without the eigenvalue (the ascent and the
multipliers only), and :func:`psd_shift` finds a uniform shift ``s`` of
``x`` and ``y`` that makes the dual positive definite in floats by a
loop Cholesky of the Schur complement ``diag(y + s) - 1/4 M^T diag(x + s)^-1 M``
(``s = 0`` first, then doubling from ``base``): no LAPACK call, so no BLAS
thread start-up (a multi-threaded ``eigvalsh`` of a 64 x 64 dual cost
milliseconds of CPU on a shared two-core machine against tens of microseconds here).

:func:`ascend_to_goal` (the small and mid-sized games' ascent) sweeps in place
on the transposed vectors (:func:`_sweeps_t`), finds the shift after each
chunk of sweeps by a galloping Cholesky ladder (:func:`_ladder`) and drops
the dimensions the vectors no longer use (:func:`_span_t`: pivoted Cholesky
of the ``k x k`` Gram matrix); :func:`project` uses the same span.
Estimates only: :mod:`proofs.checkers.xor` verifies what is written.
"""

from __future__ import annotations

import numpy as np
from numba import njit
from numpy.typing import NDArray

from bounds._kernels import alternate_numpy, normalise_rows, row_norm_sum
from proofs.exact.psd import dual_matrix

__all__ = ["ascend", "ascend_to_goal", "direct", "direct_numpy", "dual_shift", "project", "psd_shift", "schur_cholesky"]


#: most products ``rows cols k`` per half-sweep for which :func:`ascend` sweeps by loops in place instead of calling BLAS
#: (random 8 x 8 at rank 7: about 0.75x the time of the BLAS sweeps; at 16 x 16 x 8 BLAS is faster)
LOOP_PRODUCTS = 512


@njit(cache=True)
def _relax_row(u: np.ndarray, i: int, a: np.ndarray, w: float, omega: float) -> None:
    """Row ``i`` of ``u`` set to the unit vector ``a_i w`` (``w = 1 / ||a_i||``: the block maximiser), or with ``omega != 1`` to
    ``u_i + omega (a_i w - u_i)`` renormalised (over-relaxation; the maximiser itself if that vector vanishes)."""
    k = u.shape[1]
    if omega != 1.0:
        n2 = 0.0
        for t in range(k):
            z = u[i, t] + omega * (a[i, t] * w - u[i, t])
            n2 += z * z
        if n2 > 0.0:
            c = 1.0 / np.sqrt(n2)
            for t in range(k):
                u[i, t] = (u[i, t] + omega * (a[i, t] * w - u[i, t])) * c
            return
    for t in range(k):
        u[i, t] = a[i, t] * w


@njit(cache=True)
def _sweep_half(m: np.ndarray, v: np.ndarray, a: np.ndarray, u: np.ndarray, omega: float) -> float:
    """``a = m v`` and each nonzero row of ``a`` normalised into ``u`` (a zero row keeps ``u``'s; ``omega``: :func:`_relax_row`), in
    place; returns ``sum_i ||a_i||``."""
    rows, cols = m.shape
    k = v.shape[1]
    tot = 0.0
    for i in range(rows):
        s = 0.0
        for t in range(k):
            acc = 0.0
            for j in range(cols):
                acc += m[i, j] * v[j, t]
            a[i, t] = acc
            s += acc * acc
        if s > 0.0:
            r = np.sqrt(s)
            tot += r
            _relax_row(u, i, a, 1.0 / r, omega)
    return tot


@njit(cache=True)
def _relaxed_rows(a: np.ndarray, old: np.ndarray, omega: float) -> np.ndarray:
    """:func:`bounds._kernels.normalise_rows` of ``a`` (``omega = 1``), or each nonzero row over-relaxed from ``old`` (:func:`_relax_row`)."""
    if omega == 1.0:
        return normalise_rows(a, old)
    out = old.copy()
    for i in range(a.shape[0]):
        s = 0.0
        for t in range(a.shape[1]):
            s += a[i, t] * a[i, t]
        if s > 0.0:
            _relax_row(out, i, a, 1.0 / np.sqrt(s), omega)
    return out


@njit(cache=True)
def ascend(m: np.ndarray, mt: np.ndarray, u: np.ndarray, v: np.ndarray, max_iter: int, tol: float, omega: float = 1.0):  # noqa: ANN202
    """Ascent then the multipliers; returns ``(u, v, x, y, iterations)``.

    ``omega != 1`` over-relaxes every sweep but the last (:func:`_relax_row`), which stays the exact block maximisation the
    multipliers ``x_i = 1/2 <u_i, (M V)_i>``, ``y_j = 1/2 |(M^T U)_j|`` assume.
    """
    prev = -np.inf
    it = 0
    u = np.ascontiguousarray(u)
    v = np.ascontiguousarray(v)
    a = m @ v
    b = mt @ u
    if m.shape[0] * m.shape[1] * u.shape[1] <= LOOP_PRODUCTS:  # in place, by loops: no BLAS call or allocation per sweep
        u = u.copy()
        v = v.copy()
        for it in range(1, max_iter + 1):
            w = omega if it < max_iter else 1.0
            _sweep_half(m, v, a, u, w)
            val = _sweep_half(mt, u, b, v, w)
            if it >= 5 and val - prev <= tol * abs(val):
                break
            prev = val
    else:
        for it in range(1, max_iter + 1):
            w = omega if it < max_iter else 1.0
            a = m @ v  # BLAS dgemm: single-threaded at these sizes, 2-4x faster than loops from 16 x 16 x 8 up
            u = _relaxed_rows(a, u, w)
            b = mt @ u
            val = row_norm_sum(b)
            v = _relaxed_rows(b, v, w)
            if it >= 5 and val - prev <= tol * abs(val):
                break
            prev = val
    a = m @ v
    rows, cols = m.shape
    x = np.empty(rows)
    y = np.empty(cols)
    for i in range(rows):
        s = 0.0
        for t in range(u.shape[1]):
            s += u[i, t] * a[i, t]
        x[i] = 0.5 * s
    for j in range(cols):
        s = 0.0
        for t in range(v.shape[1]):
            s += v[j, t] * b[j, t]
        y[j] = 0.5 * s
    return u, v, x, y, it


@njit(cache=True)
def direct(m: np.ndarray, mt: np.ndarray, u: np.ndarray, v: np.ndarray, max_iter: int, tol: float):  # noqa: ANN202
    """Ascent then multipliers and ``lambda_min`` of the dual; returns ``(u, v, x, y, lam, iterations)``."""
    u, v, x, y, it = ascend(m, mt, u, v, max_iter, tol)
    rows, cols = m.shape
    n = rows + cols
    z = np.zeros((n, n))
    for i in range(rows):
        z[i, i] = x[i]
        for j in range(cols):
            z[i, rows + j] = -0.5 * m[i, j]
            z[rows + j, i] = -0.5 * m[i, j]
    for j in range(cols):
        z[rows + j, rows + j] = y[j]
    lam = np.linalg.eigvalsh(z)[0]
    return u, v, x, y, lam, it


#: sweeps in the first chunk of :func:`ascend_to_goal`
FIRST_CHUNK = 10


#: LLVM may reassociate the sums of the sweeps' dot products (vectorised loops; estimates only: the checkers decide)
_FAST = {"reassoc", "contract", "nsz", "arcp"}


@njit(cache=True, fastmath=_FAST)
def _half_t(m: np.ndarray, vt: np.ndarray, at: np.ndarray, ut: np.ndarray, w: np.ndarray, n2: np.ndarray, omega: float) -> None:
    """:func:`_sweep_half` on transposed vectors (``ut``: ``k x rows``, ``vt``: ``k x cols``, so each product is a contiguous
    dot product): ``at = (m V)^T`` (``k x rows``) and each nonzero row of ``m V`` normalised into column ``i`` of ``ut``
    (over-relaxed by ``omega``: :func:`_relax_row`); the norms in separate loops over the rows (``w``, ``n2``: scratch of length
    ``rows``), whose square roots do not wait for each other."""
    rows, cols = m.shape
    k = vt.shape[0]
    for i in range(rows):
        s = 0.0
        for t in range(k):
            acc = 0.0
            for j in range(cols):
                acc += m[i, j] * vt[t, j]
            at[t, i] = acc
            s += acc * acc
        w[i] = s
    for i in range(rows):
        w[i] = 1.0 / np.sqrt(w[i]) if w[i] > 0.0 else 0.0  # 0: a zero row keeps its vector
    if omega != 1.0:
        for i in range(rows):
            n2[i] = 0.0
        for t in range(k):
            for i in range(rows):
                z = ut[t, i] + omega * (at[t, i] * w[i] - ut[t, i])
                at[t, i] = z
                n2[i] += z * z
        for i in range(rows):
            if w[i] > 0.0:
                if n2[i] > 0.0:
                    w[i] = 1.0 / np.sqrt(n2[i])
                else:  # the relaxed vector vanished: the maximiser itself
                    nrm = 0.0
                    for t in range(k):
                        acc = 0.0
                        for j in range(cols):
                            acc += m[i, j] * vt[t, j]
                        at[t, i] = acc
                        nrm += acc * acc
                    w[i] = 1.0 / np.sqrt(nrm)
    for t in range(k):
        for i in range(rows):
            if w[i] > 0.0:
                ut[t, i] = at[t, i] * w[i]


@njit(cache=True, fastmath=_FAST)
def _multipliers_t(m: np.ndarray, ut: np.ndarray, vt: np.ndarray, b: np.ndarray):  # noqa: ANN202
    """``x_i = 1/2 <u_i, (M V)_i>`` and ``y_j = 1/2 <v_j, b_j>`` (``b^T = M^T U`` of the last, plain half-sweep: ``y_j = |b_j| / 2``)."""
    rows, cols = m.shape
    k = ut.shape[0]
    x = np.empty(rows)
    y = np.empty(cols)
    for i in range(rows):
        s = 0.0
        for t in range(k):
            acc = 0.0
            for j in range(cols):
                acc += m[i, j] * vt[t, j]
            s += ut[t, i] * acc
        x[i] = 0.5 * s
    for j in range(cols):
        s = 0.0
        for t in range(k):
            s += vt[t, j] * b[t, j]
        y[j] = 0.5 * s
    return x, y


@njit(cache=True)
def _sweeps_t(m: np.ndarray, mt: np.ndarray, ut: np.ndarray, vt: np.ndarray, a: np.ndarray, b: np.ndarray, sweeps: int, omega: float) -> None:
    """``sweeps`` sweeps of the ascent in place (transposed vectors, :func:`_half_t`; ``a``, ``b``: ``k x rows``, ``k x cols``
    scratch), over-relaxed by ``omega`` but the last."""
    rows, cols = m.shape
    wr = np.empty(rows)
    nr = np.empty(rows)
    wc = np.empty(cols)
    nc = np.empty(cols)
    for it in range(1, sweeps + 1):
        w = omega if it < sweeps else 1.0
        _half_t(m, vt, a, ut, wr, nr, w)
        _half_t(mt, ut, b, vt, wc, nc, w)


@njit(cache=True)
def _transposed(w: np.ndarray) -> np.ndarray:
    """A C-contiguous copy of ``w.T`` (the input may be read-only)."""
    n, k = w.shape
    out = np.empty((k, n))
    for i in range(n):
        for t in range(k):
            out[t, i] = w[i, t]
    return out


@njit(cache=True, fastmath=_FAST)
def _span_t(ut: np.ndarray, vt: np.ndarray, tol: float):  # noqa: ANN202
    """``(r, q)``: the numerical rank ``r`` of the vectors ``[U; V]`` (rows; given transposed, ``k x rows`` and ``k x cols``) and a
    ``k x r`` orthonormal basis ``q`` of their span.

    Cholesky with diagonal pivoting of the ``k x k`` Gram matrix ``G = W^T W``
    (Gram-Schmidt with column pivoting on ``W``, in loops: no LAPACK call)
    stops when the largest remaining pivot is at most ``tol^2`` times the
    first (the singular values above ``tol`` times the largest, up to the
    pivoting's rank revelation); the factor's ``r`` columns span the range of
    ``G`` (the rows' span) and are orthonormalised by Gram-Schmidt, twice.
    """
    k = ut.shape[0]
    g = np.empty((k, k))
    for s in range(k):
        for t in range(s + 1):
            acc = 0.0
            for i in range(ut.shape[1]):
                acc += ut[s, i] * ut[t, i]
            for j in range(vt.shape[1]):
                acc += vt[s, j] * vt[t, j]
            g[s, t] = acc
            g[t, s] = acc
    d = np.empty(k)
    for t in range(k):
        d[t] = g[t, t]
    used = np.zeros(k, dtype=np.bool_)
    lf = np.zeros((k, k))  # column c: the factor's column of pivot c, rows in the original order
    first = 0.0
    r = 0
    for c in range(k):
        p = -1
        best = -1.0
        for t in range(k):
            if not used[t] and d[t] > best:
                best = d[t]
                p = t
        if c == 0:
            first = best
        if not best > tol * tol * first or not best > 0.0:
            break
        used[p] = True
        piv = np.sqrt(best)
        for t in range(k):
            if used[t] and t != p:
                continue
            acc = g[t, p]
            for e in range(c):
                acc -= lf[t, e] * lf[p, e]
            lf[t, c] = acc / piv
        for t in range(k):
            if not used[t]:
                d[t] -= lf[t, c] * lf[t, c]
        r += 1
    r = max(1, r)
    q = np.zeros((k, r))
    for c in range(r):
        for t in range(k):
            q[t, c] = lf[t, c]
        if first <= 0.0:
            q[c, c] = 1.0
        for _ in range(2):  # Gram-Schmidt twice: orthonormal to rounding
            for e in range(c):
                dot = 0.0
                for t in range(k):
                    dot += q[t, e] * q[t, c]
                for t in range(k):
                    q[t, c] -= dot * q[t, e]
            nrm = 0.0
            for t in range(k):
                nrm += q[t, c] * q[t, c]
            nrm = 1.0 / np.sqrt(nrm)
            for t in range(k):
                q[t, c] *= nrm
    return r, q


@njit(cache=True, fastmath=_FAST)
def _rotate_t(wt: np.ndarray, q: np.ndarray, r: int) -> np.ndarray:
    """The vectors (columns of ``wt``, ``k x n``) in the basis of the first ``r`` columns of ``q``, each renormalised (``r x n``)."""
    k, n = wt.shape
    out = np.empty((r, n))
    for i in range(n):
        s = 0.0
        for t in range(r):
            acc = 0.0
            for p in range(k):
                acc += q[p, t] * wt[p, i]
            out[t, i] = acc
            s += acc * acc
        s = 1.0 / max(np.sqrt(s), 1e-300)
        for t in range(r):
            out[t, i] *= s
    return out


@njit(cache=True)
def _reduced(ut: np.ndarray, vt: np.ndarray, a: np.ndarray, b: np.ndarray, tol: float):  # noqa: ANN202
    """``(ut, vt, a, b)`` rotated onto the vectors' numerical span (:func:`_span_t` at ``tol``) with new buffers when that drops
    dimensions, else the inputs."""
    r, q = _span_t(ut, vt, tol)
    if r >= ut.shape[0]:
        return ut, vt, a, b
    return _rotate_t(ut, q, r), _rotate_t(vt, q, r), np.empty((r, a.shape[1])), np.empty((r, b.shape[1]))


@njit(cache=True, fastmath=_FAST)
def _value_t(m: np.ndarray, ut: np.ndarray, vt: np.ndarray) -> float:
    """``sum_ij M_ij <u_i, v_j>`` of transposed vectors."""
    rows, cols = m.shape
    k = ut.shape[0]
    tot = 0.0
    for i in range(rows):
        for j in range(cols):
            d = 0.0
            for t in range(k):
                d += ut[t, i] * vt[t, j]
            tot += m[i, j] * d
    return tot


@njit(cache=True)
def _project_t(m: np.ndarray, ut: np.ndarray, vt: np.ndarray, tol: float):  # noqa: ANN202
    """:func:`project` of transposed vectors; returns ``(pu, pv, r, value)`` with ``pu``, ``pv`` in rows (``rows x r``, ``cols x r``)."""
    r, q = _span_t(ut, vt, tol)
    pu = _rotate_t(ut, q, r)
    pv = _rotate_t(vt, q, r)
    full = _value_t(m, ut, vt)
    proj = _value_t(m, pu, pv)
    if proj >= full - 1e-12:
        return pu.T.copy(), pv.T.copy(), r, proj
    return ut.T.copy(), vt.T.copy(), ut.shape[0], full


@njit(cache=True)
def schur_cholesky(m: np.ndarray, x: np.ndarray, y: np.ndarray, s: float) -> bool:
    """Whether float Cholesky (loops) of ``diag(y + s) - 1/4 M^T diag(x + s)^-1 M`` succeeds (all ``x + s > 0`` needed)."""
    rows, cols = m.shape
    a = np.zeros((cols, cols))  # the lower triangle of the Schur complement
    for i in range(rows):
        xi = x[i] + s
        if not xi > 0.0:
            return False
        w = 0.25 / xi
        for j in range(cols):
            c = w * m[i, j]
            if c != 0.0:
                for t in range(j + 1):
                    a[j, t] -= c * m[i, t]
    for j in range(cols):
        a[j, j] += y[j] + s
    for j in range(cols):
        d = a[j, j]
        for t in range(j):
            d -= a[j, t] * a[j, t]
        if not d > 0.0:
            return False
        r = np.sqrt(d)
        a[j, j] = r
        for i in range(j + 1, cols):
            e = a[i, j]
            for t in range(j):
                e -= a[i, t] * a[j, t]
            a[i, j] = e / r
    return True


@njit(cache=True)
def psd_shift(m: np.ndarray, x: np.ndarray, y: np.ndarray, base: float, tries: int) -> float:
    """The first of ``0, base, 2 base, 4 base, ...`` (``tries`` values) for which :func:`schur_cholesky` succeeds; ``-1`` if none."""
    s = 0.0
    for _ in range(tries):
        if schur_cholesky(m, x, y, s):
            return s
        s = base if s == 0.0 else 2.0 * s
    return -1.0


@njit(cache=True)
def _trace_top(x: np.ndarray, y: np.ndarray):  # noqa: ANN202
    """``(sum |x| + sum |y|, max |x|, |y|)``: the dual's trace and its largest weight."""
    tr = 0.0
    top = 0.0
    for t in x:
        tr += abs(t)
        top = max(top, abs(t))
    for t in y:
        tr += abs(t)
        top = max(top, abs(t))
    return tr, top


@njit(cache=True)
def dual_shift(m: np.ndarray, x: np.ndarray, y: np.ndarray, rel: float, tries: int):  # noqa: ANN202
    """``(shift, tr, top)``: :func:`psd_shift` with ``base = rel max(tr, 1)``, ``tr = sum |x| + sum |y|``, ``top = max |x|, |y|``."""
    tr, top = _trace_top(x, y)
    return psd_shift(m, x, y, rel * max(tr, 1.0), tries), tr, top


@njit(cache=True)
def _ladder(m: np.ndarray, x: np.ndarray, y: np.ndarray, s0: float, base: float) -> float:
    """0 if :func:`schur_cholesky` succeeds there, else the first of ``s0, 2 s0, 4 s0, ...`` (64 values) for which it does, or if
    ``s0`` does, the last of ``s0, s0 / 2, ...`` (not below ``base``) that does; ``-1`` if none.

    Found by galloping from ``s0`` (exponents 1, 3, 7, ... away) and bisection between the last failure and the first success:
    about ``2 log2(t)`` Cholesky tests instead of ``t`` (the same value as a linear scan when passing is monotone in the shift,
    as it is for a PSD-able matrix; an estimate).
    """
    tmin = 0  # the lowest exponent allowed: s0 2^tmin >= base
    s = s0
    while s * 0.5 >= base and tmin > -1100:
        s *= 0.5
        tmin -= 1
    step = 1
    if schur_cholesky(m, x, y, s0):
        hi = 0
        lo = 0
        while True:
            if hi == tmin:  # (0 passes only if every shift above it does)
                return 0.0 if schur_cholesky(m, x, y, 0.0) else s0 * 2.0**hi
            t = max(hi - step, tmin)
            if schur_cholesky(m, x, y, s0 * 2.0**t):
                hi = t
                step *= 2
            else:
                lo = t
                break
    else:
        lo = 0
        hi = 0
        while True:
            if lo == 63:
                return -1.0
            t = min(lo + step, 63)
            if schur_cholesky(m, x, y, s0 * 2.0**t):
                hi = t
                break
            lo = t
            step *= 2
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if schur_cholesky(m, x, y, s0 * 2.0**mid):
            hi = mid
        else:
            lo = mid
    return s0 * 2.0**hi


@njit(cache=True)
def ascend_to_goal(m: np.ndarray, mt: np.ndarray, u: np.ndarray, v: np.ndarray, max_iter: int, tol: float, goal: float, rel: float,  # noqa: ANN202
                   omega: float = 1.0, reduce: float = 0.0):
    """The ascent's sweeps in chunks, each followed by the dual shift, until ``(rows + cols) shift <= goal``, a stall or ``max_iter``.

    The sweeps are those of :func:`ascend` (exact block maximisations, or
    over-relaxed by ``omega``), done in place on the transposed vectors
    (:func:`_sweeps_t`: contiguous dot products, no BLAS call or allocation
    per sweep).  The shift after a chunk comes from :func:`_ladder` (``base =
    rel max(tr, 1)``, ``tr = sum |x| + sum |y|``) started just below the
    target ``goal / (rows + cols)`` after a chunk predicted to reach it and
    after the first chunk if it passes there (else from ``2^30 base``, where
    the slowly converging games' first shifts are), else a quarter below the
    shift predicted from the previous two chunks (the shift decays
    geometrically in the sweeps) or below the previous shift; the next chunk is the number of sweeps that prediction needs to reach the
    goal, plus 15 % (at least 5; 10 and then half the sweeps so far while
    there is no decay to extrapolate).  The value is not a stopping rule here
    (``tol`` is unused: the value is flat where the vectors still move); the
    ascent also stops when the shift decays by less than half per 100 sweeps
    (a saddle point: the caller adds dimensions) or after ``max_iter``
    sweeps.  ``omega != 1`` over-relaxes the sweeps after the first chunk
    (the last sweep of each chunk plain) until a chunk fails that decay test,
    then the sweeps are plain.  ``reduce > 0``: after each chunk that does not
    end the ascent, the vectors are rotated onto their numerical span
    (singular values above ``reduce`` times the largest, :func:`_span_t`) when
    that drops dimensions (fewer products per sweep; the next chunk is not
    tested for a stall; the first chunk is reduced after a third of its sweeps: the paper's
    games are at rank 2 by then).  Returns ``(u, v, x, y, shift, top, sweeps)``
    (``shift = -1`` if no shift up to ``2^63 s0`` passed; ``top = max |x|, |y|``;
    ``u``, ``v`` new arrays, with fewer columns if reduced).
    """
    rows, cols = m.shape
    target = goal / (rows + cols)
    ut = _transposed(u)
    vt = _transposed(v)
    a = np.empty((ut.shape[0], rows))
    b = np.empty((ut.shape[0], cols))
    total = 0
    prev = -1.0
    prev_total = 0
    chunk = FIRST_CHUNK
    guess = 0.0
    rotated = False
    while True:
        if total + chunk > max_iter:
            chunk = max(1, max_iter - total)
        # no stop by value (it is flat where the vectors still move); over-relaxed by omega after the first chunk (the games that
        # need no more than it keep plain sweeps), the last sweep of each chunk plain
        if total == 0 and reduce > 0.0 and chunk > 2:  # the first chunk: a third of its sweeps, then the unused dimensions dropped
            _sweeps_t(m, mt, ut, vt, a, b, chunk // 3, 1.0)
            ut, vt, a, b = _reduced(ut, vt, a, b, reduce)
            _sweeps_t(m, mt, ut, vt, a, b, chunk - chunk // 3, 1.0)
        else:
            _sweeps_t(m, mt, ut, vt, a, b, chunk, omega if total else 1.0)
        it = chunk
        total += it
        x, y = _multipliers_t(m, ut, vt, b)
        tr, top = _trace_top(x, y)
        base = rel * max(tr, 1.0)
        st = max(base, 0.99 * target)  # (just below the target: (rows + cols) st <= goal in floats too)
        if total == it:  # the first chunk: from the target if it passes there (done), else from 2^30 base (the slow games' range)
            shift = _ladder(m, x, y, st if schur_cholesky(m, x, y, st) else max(base * 2.0**30, 2.0 * st), base)
        elif 0.0 < guess <= target:  # a chunk predicted to reach the goal: from the target
            shift = _ladder(m, x, y, st, base)
        else:
            shift = _ladder(m, x, y, max(base, 0.25 * guess) if guess > 0.0 else max(base, 0.25 * prev), base)
        stalled = shift < 0.0 or (prev > 0.0 and not rotated and shift > prev * 2.0 ** (-it / 100.0))  # less than one halving per 100 sweeps
        rotated = False
        if stalled and omega != 1.0 and shift >= 0.0:  # over-relaxed sweeps can oscillate near the optimum: plain sweeps from here
            omega = 1.0
            stalled = False
        if (0.0 <= shift <= target) or stalled or total >= max_iter:
            return ut.T.copy(), vt.T.copy(), x, y, shift, top, total
        guess = 0.0
        if 0.0 < shift < prev and total > prev_total:
            rate = np.log(shift / prev) / (total - prev_total)  # log decay per sweep (< 0)
            need = np.log(target / shift) / rate
            chunk = int(min(max(1.15 * need + 1.0, 5.0), 4.0 * max(total, 10)))
            guess = shift * np.exp(rate * chunk)
        else:
            chunk = max(10, total // 2)
        prev = shift
        prev_total = total
        if reduce > 0.0 and ut.shape[0] > 1:
            k = ut.shape[0]
            ut, vt, a, b = _reduced(ut, vt, a, b, reduce)
            rotated = ut.shape[0] < k  # the rotation moves the vectors: no stall test across it


@njit(cache=True)
def project(m: np.ndarray, u: np.ndarray, v: np.ndarray, tol: float):  # noqa: ANN202
    """The vectors in the basis of their numerical span (singular values above ``tol`` times the largest), renormalised.

    The span comes from the eigenvalues of the ``k x k`` Gram matrix (cyclic
    Jacobi in loops, :func:`_span_t`: no LAPACK call).  Returns ``(pu, pv, r,
    value)``, or the inputs with ``r`` their dimension when the projection
    would lose more than ``1e-12`` of ``sum M <u, v>`` (``value`` is the sum
    of the returned vectors).
    """
    return _project_t(m, _transposed(u), _transposed(v), tol)


def direct_numpy(
    m: NDArray[np.float64], mt: NDArray[np.float64], u: NDArray[np.float64], v: NDArray[np.float64], max_iter: int, tol: float
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], float, int]:
    """:func:`direct` in plain numpy (the reference the tests compare with): :func:`bounds._kernels.alternate_numpy`, multipliers, ``lambda_min``."""
    u, v, _val, it = alternate_numpy(m, mt, u, v, max_iter, tol, 5)
    b = mt @ u
    x = 0.5 * np.sum(u * (m @ v), axis=1)
    y = 0.5 * np.sum(v * b, axis=1)
    return u, v, x, y, float(np.linalg.eigvalsh(dual_matrix(m, x, y))[0]), it


@njit(cache=True)
def ulp_part_of(m: np.ndarray) -> float:
    """``4 max(rows, cols) ulp(max |M|)``, the margin's part for the enclosure of ``M`` (``m``: the nearest floats, whose largest
    magnitude is the nearest float of ``max |M|``: rounding is monotone)."""
    rows, cols = m.shape
    top = 0.0
    for i in range(rows):
        for j in range(cols):
            top = max(top, abs(m[i, j]))
    return 4.0 * max(rows, cols) * np.spacing(top)


@njit(cache=True)
def margin(rows: int, cols: int, tr: float, ulp_part: float) -> float:
    """The diagonal margin ``8 g (tr + 1) + ulp_part + 1e-300`` with ``g = (rows + cols + 5) 2^-53`` of :func:`bounds.xor.dual_margin`.

    ``tr = sum |x| + sum |y|``; ``ulp_part = 4 max(rows, cols) ulp(max |M|)``.
    """
    g = (rows + cols + 5) * 2.0**-53
    return 8.0 * g * (tr + 1.0) + ulp_part + 1e-300


@njit(cache=True)
def _finish(m: np.ndarray, u: np.ndarray, v: np.ndarray, x: np.ndarray, y: np.ndarray, shift: float, top: float, goal: float,  # noqa: ANN202
            last_rank: bool, ulp_part: float, rank_tol: float):
    """The end of :func:`solve_goal` and :func:`solve_ladder` after their ascent (see :func:`solve_goal`)."""
    rows, cols = m.shape
    if not (shift >= 0.0 and (shift <= 2e-9 * max(top, 1e-300) or shift * (rows + cols) <= goal or last_rank)):
        return u, v, x, y, 0, 0.0, 0.0, shift, top, False
    if ulp_part < 0.0:
        ulp_part = ulp_part_of(m)
    xs = x + shift
    ys = y + shift
    tr = 0.0
    for t in xs:
        tr += abs(t)
    tr2 = 0.0
    for t in ys:
        tr2 += abs(t)
    delta = margin(rows, cols, tr + tr2, ulp_part)
    sx = 0.0
    for i in range(rows):
        xs[i] = xs[i] + delta
        sx += xs[i]
    sy = 0.0
    for j in range(cols):
        ys[j] = ys[j] + delta
        sy += ys[j]
    pu, pv, r, val = project(m, u, v, rank_tol)
    return pu, pv, xs, ys, r, val, sx + sy, shift, top, True


@njit(cache=True)
def solve_goal(m: np.ndarray, u0: np.ndarray, v0: np.ndarray, max_iter: int, tol: float, goal: float, rel: float, omega: float,  # noqa: ANN202
               last_rank: bool, ulp_part: float, rank_tol: float, reduce: float = 0.0):
    """:func:`ascend_to_goal` from ``(u0, v0)`` (``reduce``: its rank reduction), then (when it ends the ascent) the shifted and margined dual and :func:`project`, in one call.

    The small games' whole solve of :func:`bounds.xor.solve_quantum` without
    the Python steps between the kernels.  The ascent ends when the shift ``s``
    is non-negative and ``s <= 2e-9 max(top, 1e-300)``, ``(rows + cols) s <=
    goal`` or ``last_rank`` (no more dimensions to add); then ``x + s + delta``,
    ``y + s + delta`` with ``delta = 8 g (tr + 1) + ulp_part + 1e-300`` (``g =
    (rows + cols + 5) 2^-53``, ``tr = sum |x + s| + sum |y + s|``: the margin of
    :func:`bounds.xor.dual_margin`, summed in the same order), and the
    projected vectors (``ulp_part < 0``: :func:`ulp_part_of` ``m``).  Returns ``(u, v, x, y, rank, value, dual_sum, shift,
    top, done)``; ``done = False`` leaves the rest to the caller (``x``, ``y``
    then unshifted, ``rank``, ``value``, ``dual_sum`` zero; ``u``, ``v`` may
    have fewer columns than ``u0``, and then ``last_rank`` does not end the ascent).
    """
    mt = np.ascontiguousarray(m.T)
    u, v, x, y, shift, top, _ = ascend_to_goal(m, mt, u0, v0, max_iter, tol, goal, rel, omega, reduce)
    return _finish(m, u, v, x, y, shift, top, goal, last_rank and u.shape[1] == u0.shape[1], ulp_part, rank_tol)


@njit(cache=True)
def solve_ladder(m: np.ndarray, u0: np.ndarray, v0: np.ndarray, max_iter: int, tol: float, plain: int, omega: float, goal: float,  # noqa: ANN202
                 rel: float, tries: int, last_rank: bool, ulp_part: float, rank_tol: float):
    """:func:`solve_goal` for the mid-sized games: :func:`bounds.xor._ascend_relaxed`'s sweeps (``plain`` plain ones, then, if they
    did not converge, sweeps over-relaxed by ``omega`` and one plain sweep) and :func:`dual_shift` instead of :func:`ascend_to_goal`."""
    mt = np.ascontiguousarray(m.T)
    u, v, x, y, it = ascend(m, mt, u0.copy(), v0.copy(), min(max_iter, plain), tol, 1.0)
    if not (it < plain or it >= max_iter):
        u, v, x, y, it2 = ascend(m, mt, u, v, max_iter - it, tol, omega)
        if it + it2 < max_iter:
            u, v, x, y, _ = ascend(m, mt, u, v, 1, tol, 1.0)
    shift, _, top = dual_shift(m, x, y, rel, tries)
    return _finish(m, u, v, x, y, shift, top, goal, last_rank, ulp_part, rank_tol)


@njit(cache=True)
def _schur_ok_2x2(m: np.ndarray, x0: float, x1: float, y0: float, y1: float, s: float) -> bool:
    """Whether the float Cholesky of ``diag(y + s) - 1/4 M^T diag(x + s)^-1 M`` (``2 x 2``) succeeds."""
    if not (x0 + s > 0.0 and x1 + s > 0.0):
        return False
    r0 = np.sqrt(x0 + s)
    r1 = np.sqrt(x1 + s)
    f00, f01, f10, f11 = m[0, 0] * 0.5 / r0, m[0, 1] * 0.5 / r0, m[1, 0] * 0.5 / r1, m[1, 1] * 0.5 / r1
    s00 = y0 + s - (f00 * f00 + f10 * f10)
    s01 = -(f00 * f01 + f10 * f11)
    s11 = y1 + s - (f01 * f01 + f11 * f11)
    return s00 > 0.0 and s11 - s01 * s01 / s00 > 0.0


@njit(cache=True)
def two_by_two(m: np.ndarray, ulp_part: float):  # noqa: ANN202
    """Tsirelson's SDP of a ``2 x 2`` game in closed form: ``(u, v, x, y, rank, value, dual_sum)``.

    With ``u_0 = e_1``, ``u_1 = (c, sqrt(1 - c^2))`` and Bob's best responses
    ``v_y`` the normalised ``M_0y u_0 + M_1y u_1``, the value is
    ``W(c) = sum_y sqrt(A_y + B_y c)`` (``A_y = M_0y^2 + M_1y^2``,
    ``B_y = 2 M_0y M_1y``), concave in ``c``; its maximum on ``[-1, 1]`` is at
    ``c = +-1`` (rank 1, a classical strategy) or where ``W'(c) = 0``:
    ``c* = (B_1^2 A_0 - B_0^2 A_1) / (B_0 B_1 (B_0 - B_1))`` when ``B_0 B_1 < 0``.
    The multipliers ``x_i = 1/2 <u_i, (M V)_i>``, ``y_j = 1/2 |(M^T U)_j|`` are
    shifted by the first of ``0, 2^-50 tr, 2^-49 tr, ...`` for which the float
    Cholesky of the ``2 x 2`` Schur complement succeeds (an estimate; the checker
    proves PSD), then by the margin ``8 g (tr' + 1) + ulp_part + 1e-300`` of
    :func:`bounds.xor.dual_margin` (``g = 9 * 2^-53``, ``tr'`` the shifted trace; ``ulp_part < 0``: :func:`ulp_part_of` ``m``).
    ``value = sum M <u, v>``, ``dual_sum = sum x + sum y``.
    """
    m00, m01, m10, m11 = m[0, 0], m[0, 1], m[1, 0], m[1, 1]
    a0, a1 = m00 * m00 + m10 * m10, m01 * m01 + m11 * m11
    b0, b1 = 2.0 * m00 * m10, 2.0 * m01 * m11
    wp = np.sqrt(max(0.0, a0 + b0)) + np.sqrt(max(0.0, a1 + b1))
    wm = np.sqrt(max(0.0, a0 - b0)) + np.sqrt(max(0.0, a1 - b1))
    c, best = (1.0, wp) if wp >= wm else (-1.0, wm)
    if b0 * b1 < 0.0:
        cs = (b1 * b1 * a0 - b0 * b0 * a1) / (b0 * b1 * (b0 - b1))
        if -1.0 < cs < 1.0 and np.sqrt(max(0.0, a0 + b0 * cs)) + np.sqrt(max(0.0, a1 + b1 * cs)) > best:
            c = cs
    if c == 1.0 or c == -1.0:  # rank 1: u = (1, c), v_j = sign(M_0j + c M_1j)
        u = np.empty((2, 1))
        v = np.empty((2, 1))
        u[0, 0], u[1, 0] = 1.0, c
        v[0, 0] = 1.0 if m00 + c * m10 >= 0.0 else -1.0
        v[1, 0] = 1.0 if m01 + c * m11 >= 0.0 else -1.0
        mv0, mv1 = m00 * v[0, 0] + m01 * v[1, 0], m10 * v[0, 0] + m11 * v[1, 0]
        x0, x1 = 0.5 * mv0, 0.5 * c * mv1
        y0, y1 = 0.5 * abs(m00 + c * m10), 0.5 * abs(m01 + c * m11)
    else:
        sn = np.sqrt(1.0 - c * c)
        u = np.empty((2, 2))
        v = np.empty((2, 2))
        u[0, 0], u[0, 1], u[1, 0], u[1, 1] = 1.0, 0.0, c, sn
        yy = np.empty(2)
        for j in range(2):  # (M^T U)_j = M_0j u_0 + M_1j u_1
            p, q = m[0, j], m[1, j]
            z0, z1 = p + q * c, q * sn
            nz = np.sqrt(z0 * z0 + z1 * z1)
            if nz > 0.0:
                v[j, 0], v[j, 1] = z0 / nz, z1 / nz
            else:
                v[j, 0], v[j, 1] = 1.0, 0.0
            yy[j] = 0.5 * (v[j, 0] * z0 + v[j, 1] * z1)
        y0, y1 = yy[0], yy[1]
        v00, v01, v10, v11 = v[0, 0], v[0, 1], v[1, 0], v[1, 1]
        x0 = 0.5 * (m00 * v00 + m01 * v10)
        x1 = 0.5 * (c * (m10 * v00 + m11 * v10) + sn * (m10 * v01 + m11 * v11))
    tr = abs(x0) + abs(x1) + abs(y0) + abs(y1)
    s, base = 0.0, 2.0**-50 * max(tr, 1.0)
    for _ in range(64):
        if _schur_ok_2x2(m, x0, x1, y0, y1, s):
            break
        s = base if s == 0.0 else 2.0 * s
    x0, x1, y0, y1 = x0 + s, x1 + s, y0 + s, y1 + s
    delta = margin(2, 2, abs(x0) + abs(x1) + abs(y0) + abs(y1), ulp_part if ulp_part >= 0.0 else ulp_part_of(m))
    x = np.array([x0 + delta, x1 + delta])
    y = np.array([y0 + delta, y1 + delta])
    r = u.shape[1]
    val = 0.0
    for i in range(2):
        for j in range(2):
            d = 0.0
            for t in range(r):
                d += u[i, t] * v[j, t]
            val += m[i, j] * d
    return u, v, x, y, r, val, x[0] + x[1] + y[0] + y[1]
