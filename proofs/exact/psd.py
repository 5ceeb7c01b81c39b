"""Rigorous positive-semidefiniteness tests: exact rational LDL^T and verified Cholesky.

Two tests, both used by :mod:`proofs.checkers.quantum` and neither trusting a
solver:

:func:`exact_psd`
    Exact symmetric elimination (LDL^T without pivoting) in rational
    arithmetic.  It decides ``A >= 0`` exactly for a matrix of
    :class:`fractions.Fraction` (or of floats, each read as the exact
    rational it stores).  Cost grows like ``n^3`` big-rational operations,
    so it is meant for ``n`` up to about 64.

:func:`verified_psd`
    A floating-point Cholesky factorisation with an a-priori diagonal shift
    that absorbs every rounding error (Theorem V below).  If it returns
    ``ok = True`` the matrix is positive definite *as a matrix of exact
    rationals* (every float is read exactly).  Cost: one LAPACK Cholesky.

Theorem V (verified Cholesky; after Demmel 1989, Higham 2002 Thm 10.3,
Rump 2006 "Verification of positive definiteness", BIT 46:433-452)
    Let ``u = 2^-53`` and ``gamma_k = k u / (1 - k u)``.  Let
    ``A`` be a symmetric ``n x n`` matrix of floats with non-negative
    diagonal, ``c > 0`` a real, and ``At`` the float matrix equal to ``A``
    off the diagonal with ``At_ii <= a_ii - c`` (diagonal rounded down).  If
    floating-point Cholesky of ``At`` (any summation order, blocked or not,
    with or without FMA, divisions possibly done as multiplications by a
    rounded reciprocal) runs to completion with a finite factor ``R`` of
    positive diagonal, then ``R^T R = At + E`` with
    ``|E| <= gamma_{n+2} |R^T| |R| + U`` where ``U`` collects gradual
    underflow, ``|U_ij| <= (n + 2)(1 + max_k r_kk) 2^-1074``.  The diagonal
    gives ``||r_i||^2 <= at_ii / (1 - gamma_{n+2})`` (plus underflow), so by
    Cauchy-Schwarz ``|E_ij| <= alpha sqrt(at_ii at_jj) + U_ij`` with
    ``alpha = gamma_{n+2} / (1 - gamma_{n+2})`` and ``||E||_2 <= alpha
    tr(At) + n max|U_ij|``.  Since ``R^T R >= 0``,
    ``lambda_min(At) >= -||E||_2``, and ``A >= At + c I`` gives
    ``lambda_min(A) >= c - alpha tr(At) - n max|U_ij|``.  We choose
    ``c = 2 alpha tr(A) + n (n + 2)(2 + max a_ii) 2^-1070`` (rounded up, in
    exact rational arithmetic), which makes the right-hand side positive:
    ``A`` is positive definite.

The constants are deliberately larger than Rump's (``n + 2`` instead of
``n + 1`` for reciprocal-multiplication divisions, a factor 2 on ``alpha``
and a generous underflow term); they cost about ``4 n^2 u`` of relative
slack, far below the margins our certificates carry.

What Theorem V assumes of the linear-algebra library (LAPACK ``dpotrf``
behind :func:`numpy.linalg.cholesky` and the BLAS it calls): IEEE-754 binary64
arithmetic with round-to-nearest (the default rounding mode, never changed by
qcoord); no extended-precision intermediates (x87 80-bit registers would
change ``u``; every supported platform uses SSE2/AVX or NEON); conventional
``O(n^3)`` products and sums (each entry of ``R^T R`` an inner product of
at most ``n`` terms, in any order, with or without FMA) -- no Strassen-like
fast multiplication, whose error bound is normwise and larger.  A BLAS
breaking these assumptions could make ``ok = True`` unsound; the tests
cross-check :func:`verified_psd` against the exact :func:`exact_psd`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from proofs.exact.errors import QcoordParameterError as ProofsParameterError
from proofs.exact.rational import float_up

__all__ = [
    "UNIT_ROUNDOFF",
    "PsdCheck",
    "SchurEnclosure",
    "dual_matrix",
    "exact_float_sum",
    "exact_psd",
    "gamma",
    "rump_shift",
    "schur_enclosure",
    "verified_psd",
    "verified_schur_psd",
]

#: unit roundoff of IEEE-754 double precision (round to nearest)
UNIT_ROUNDOFF = Fraction(1, 2**53)
_U = UNIT_ROUNDOFF
#: arrays shorter than this are summed float by float (``as_integer_ratio``): less fixed cost than the vectorised split
_SMALL_SUM = 64


@lru_cache(maxsize=256)
def gamma(k: int) -> Fraction:
    """Higham's ``gamma_k = k u / (1 - k u)`` with ``u = 2^-53``, exactly.

    >>> gamma(1) == Fraction(1, 2**53 - 1)
    True
    """
    if not 0 <= k * _U < 1:
        raise ProofsParameterError(f"gamma_k needs 0 <= k u < 1; got k = {k}")
    return k * _U / (1 - k * _U)


@lru_cache(maxsize=256)
def _alpha(k: int) -> Fraction:
    """``gamma_k / (1 - gamma_k)``, the factor of Theorem V."""
    g = gamma(k)
    return g / (1 - g)


def exact_float_sum(a: Any) -> Fraction:
    """The exact sum of an array of finite floats, as a :class:`Fraction` (vectorised integer arithmetic).

    Each float is split as ``m 2^e`` with an integer ``|m| < 2^53``; the
    mantissas are cut into 26-bit halves and summed per exponent in int64
    (at most ``2^35`` terms: no overflow), and the few per-exponent sums are
    combined in Python integers.  Fewer than ``_SMALL_SUM`` floats are summed
    one by one as integer ratios ``p / 2^e`` over the largest denominator
    (the same exact value, less fixed cost).

    >>> exact_float_sum([0.1, 0.2]) == Fraction(0.1) + Fraction(0.2)
    True
    >>> exact_float_sum([1e300, -1e300, 5e-324]) == Fraction(1, 2**1074)
    True
    """
    v = np.asarray(a, dtype=np.float64).ravel()
    if v.size == 0:
        return Fraction(0)
    if not np.all(np.isfinite(v)):
        raise ProofsParameterError("exact_float_sum needs finite floats")
    if v.size < _SMALL_SUM:
        pairs = [t.as_integer_ratio() for t in v.tolist()]
        den = max(q for _, q in pairs)  # powers of two: each divides the largest
        return Fraction(sum(p * (den // q) for p, q in pairs), den)
    assert v.size < 2**35  # 26-bit halves: every int64 partial sum stays below 2^62
    frac, exp = np.frexp(v)
    mant = np.ldexp(frac, 53).astype(np.int64)  # exact: |mant| < 2^53, v = mant 2^(exp - 53)
    exp = exp.astype(np.int64) - 53
    hi = mant >> 26  # floor division: mant = hi 2^26 + lo with 0 <= lo < 2^26, |hi| <= 2^27
    lo = mant - (hi << 26)
    order = np.argsort(exp, kind="stable")
    e_sorted = exp[order]
    starts = np.flatnonzero(np.concatenate([[True], e_sorted[1:] != e_sorted[:-1]]))
    shi = np.add.reduceat(hi[order], starts)
    slo = np.add.reduceat(lo[order], starts)
    e0 = int(e_sorted[0])
    total = 0
    for e, h, low in zip(e_sorted[starts].tolist(), shi.tolist(), slo.tolist()):
        total += ((h << 26) + low) << (e - e0)
    return Fraction(total) * Fraction(2) ** e0


@dataclass(frozen=True)
class PsdCheck:
    """Outcome of a PSD test.

    Attributes
    ----------
    ok
        ``True`` if the matrix was proved positive semidefinite.
    method
        ``"exact-ldl"`` or ``"verified-cholesky"``.
    shift
        The diagonal shift ``c`` of Theorem V (0 for the exact test).
    reason
        Why the test failed (empty when ``ok``).
    """

    ok: bool
    method: str
    shift: float = 0.0
    reason: str = ""


def _square(name: str, a: Any) -> int:
    shape = np.shape(a)
    if len(shape) != 2 or shape[0] != shape[1] or shape[0] == 0:
        raise ProofsParameterError(f"`{name}` must be a non-empty square matrix; got shape {shape}")
    return int(shape[0])


def exact_psd(a: Any) -> PsdCheck:
    """Decide ``A >= 0`` exactly by rational LDL^T elimination.

    Entries may be :class:`Fraction`, ints or floats (read exactly).  The
    matrix must be symmetric (checked exactly).  Without pivoting the
    elimination is exact for PSD testing: a PSD matrix with ``a_kk = 0``
    has a zero row ``k``; otherwise the Schur complement
    ``A' = A_22 - a a^T / a_kk`` is PSD iff ``A`` is.

    >>> exact_psd([[2, 1], [1, 2]]).ok
    True
    >>> exact_psd([[1, 2], [2, 1]]).ok
    False
    >>> exact_psd([[0, 0], [0, 1]]).ok
    True
    """
    n = _square("A", a)
    rows = [[Fraction(v) for v in np.asarray(a, dtype=object)[i]] for i in range(n)]
    for i in range(n):
        for j in range(i):
            if rows[i][j] != rows[j][i]:
                return PsdCheck(False, "exact-ldl", 0.0, f"not symmetric at ({i}, {j})")
    work = rows
    for k in range(n):
        d = work[k][k]
        if d < 0:
            return PsdCheck(False, "exact-ldl", 0.0, f"pivot {k} is negative ({float(d):.3e})")
        if d == 0:
            if any(work[k][j] != 0 for j in range(k + 1, n)):
                return PsdCheck(False, "exact-ldl", 0.0, f"pivot {k} is zero but its row is not")
            continue
        col = work[k]
        for i in range(k + 1, n):
            f = col[i] / d
            if f == 0:
                continue
            wi = work[i]
            for j in range(k + 1, i + 1):
                wi[j] -= f * col[j]
            for j in range(k + 1, i + 1):  # keep the lower triangle in sync with the upper
                work[j][i] = wi[j]
    return PsdCheck(True, "exact-ldl")


def rump_shift(a: NDArray[np.float64]) -> float:
    """The diagonal shift ``c`` of Theorem V for the float matrix ``a`` (rounded up).

    >>> 0 < rump_shift(np.eye(3)) < 1e-14
    True
    """
    n = _square("A", a)
    d = np.diag(a)
    if np.any(d < 0) or not np.all(np.isfinite(d)):
        raise ProofsParameterError("`A` must have a finite non-negative diagonal")
    alpha = _alpha(n + 2)
    trace = exact_float_sum(d)
    under = n * (n + 2) * (2 + Fraction(float(d.max()))) / Fraction(2) ** 1070
    return float_up(2 * alpha * trace + under)


def dual_matrix(m: NDArray[np.float64], x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.float64]:
    """``Z = [[diag(x), -M/2], [-M^T/2, diag(y)]]`` in floats (``M/2`` is exact in binary unless subnormal).

    >>> dual_matrix(np.array([[2.0]]), np.array([1.0]), np.array([1.0])).tolist()
    [[1.0, -1.0], [-1.0, 1.0]]
    """
    m = np.asarray(m, dtype=np.float64)
    n, k = m.shape
    z = np.zeros((n + k, n + k))
    z[:n, n:] = -0.5 * m
    z[n:, :n] = -0.5 * m.T
    z[np.arange(n), np.arange(n)] = x
    z[n + np.arange(k), n + np.arange(k)] = y
    return z


def _shifted_cholesky(at: NDArray[np.float64], c: float, method: str) -> PsdCheck:
    """Theorem V's test on ``at`` (overwritten): diagonal ``fl(a_ii - c)`` rounded down, then Cholesky."""
    n = at.shape[0]
    if math.isinf(c) or math.isnan(c):
        return PsdCheck(False, method, c, "shift overflowed")
    idx = np.arange(n)
    # round the shifted diagonal down so that At_ii <= a_ii - c exactly
    at[idx, idx] = np.nextafter(at[idx, idx] - c, -np.inf)
    try:
        r = np.linalg.cholesky(at)
    except np.linalg.LinAlgError:
        return PsdCheck(False, method, c, f"Cholesky of A - {c:.3e} I broke down")
    rd = np.diagonal(r)
    # a non-finite entry makes the float sum of R non-finite (one pass, no boolean n x n array)
    if not (np.all(np.isfinite(rd)) and np.all(rd > 0) and math.isfinite(float(np.sum(r)))):
        return PsdCheck(False, method, c, "Cholesky factor is not finite with a positive diagonal")
    return PsdCheck(True, method, c)


def verified_psd(a: NDArray[np.float64]) -> PsdCheck:
    """Prove ``A`` positive definite with a shifted floating-point Cholesky (Theorem V).

    ``A`` is a symmetric float matrix, each entry read as the exact rational
    it stores.  ``ok = True`` is a proof; ``ok = False`` means only that the
    test could not prove it (the matrix may be PSD with too small a margin).

    >>> verified_psd(np.array([[2.0, 1.0], [1.0, 2.0]])).ok
    True
    >>> verified_psd(np.array([[1.0, 1.0], [1.0, 1.0]])).ok   # singular: no margin
    False
    """
    _square("A", a)
    a = np.asarray(a, dtype=np.float64)
    if not np.all(np.isfinite(a)):
        return PsdCheck(False, "verified-cholesky", 0.0, "matrix has non-finite entries")
    if not np.array_equal(a, a.T):
        return PsdCheck(False, "verified-cholesky", 0.0, "matrix is not exactly symmetric")
    if np.any(np.diag(a) < 0):
        return PsdCheck(False, "verified-cholesky", 0.0, "negative diagonal entry")
    c = rump_shift(a)
    return _shifted_cholesky(a.copy(), c, "verified-cholesky")


@dataclass(frozen=True, eq=False)
class SchurEnclosure:
    """A float matrix ``A`` and a bound ``err`` with ``||S - A||_F <= err`` for the exact Schur complement ``S`` (Lemma Q5).

    ``S = diag(y) - B_P^T diag(x_P)^-1 B_P`` with ``P = {i : x_i > 0}``;
    ``A`` is exactly symmetric with a non-negative diagonal unless ``reason``
    says why no enclosure was formed (then ``a`` is ``None``).
    """

    a: NDArray[np.float64] | None
    err: Fraction
    reason: str = ""


#: x entries must lie in [2^-1000, 2^1000] so that 1/x and sqrt(1/x) are normal floats
_X_RANGE = (2.0**-1000, 2.0**1000)


def schur_enclosure(b: NDArray[np.float64], x: NDArray[np.float64], y: NDArray[np.float64]) -> SchurEnclosure:
    """Floating-point Schur complement of ``Z = [[diag(x), B], [B^T, diag(y)]]`` with a rigorous error bound (Lemma Q5).

    Computes ``w = fl(1/x)``, ``s = fl(sqrt(w))``, ``F = fl(diag(s) B)``,
    ``G = fl(F^T F)`` (lower triangle, mirrored) and ``A = -G`` with diagonal
    ``fl(y_j - G_jj)``; ``err = gamma_{n+5} (tr G + k U) / (1 - gamma_{n+5})
    + k U + 2 u tr A`` with ``U = n (max|F| + 1) 2^-1072`` bounds
    ``||S - A||_F``, hence ``||S - A||_2`` (see ``proofs/lemmas_quantum.md``).
    Rows with ``x_i = 0`` and ``B_i = 0`` drop out (a zero row and column of ``Z``).

    >>> e = schur_enclosure(np.array([[0.5]]), np.array([1.0]), np.array([1.0]))
    >>> e.a.tolist(), 0 < e.err < 1e-15
    ([[0.75]], True)
    """
    b = np.asarray(b, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if b.ndim != 2 or x.shape != (b.shape[0],) or y.shape != (b.shape[1],) or b.size == 0:
        raise ProofsParameterError(f"`B` must be an n x k matrix with `x` of length n and `y` of length k; got {b.shape}, {x.shape}, {y.shape}")
    zero = Fraction(0)
    if not (np.all(np.isfinite(b)) and np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        return SchurEnclosure(None, zero, "non-finite entries")
    if np.any(x < 0) or np.any(y < 0):
        return SchurEnclosure(None, zero, "negative diagonal entry")
    keep = x > 0
    if not np.all(keep) and np.any(~keep & np.any(b != 0, axis=1)):
        return SchurEnclosure(None, zero, "x_i = 0 with a non-zero row of B: Z is not PSD")
    k = b.shape[1]
    if not np.any(keep):
        return SchurEnclosure(np.diag(y), zero)  # Z = diag(0, y): S = diag(y) exactly
    xk = x[keep]
    if xk.min() < _X_RANGE[0] or xk.max() > _X_RANGE[1]:
        return SchurEnclosure(None, zero, "x outside [2^-1000, 2^1000]")
    n = xk.size
    s = np.sqrt(1.0 / xk)
    f = (b if n == b.shape[0] else b[keep]) * s[:, None]
    g = f.T @ f  # conventional inner products of length n (syrk or gemm)
    if not (np.all(np.isfinite(f)) and np.all(np.isfinite(g))):
        return SchurEnclosure(None, zero, "overflow while forming the Schur complement")
    if not np.array_equal(g, g.T):
        g = np.tril(g)
        g += np.tril(g, -1).T
    idx = np.arange(k)
    gd = g[idx, idx].copy()
    d = y - gd
    if np.any(d < 0):
        return SchurEnclosure(None, zero, "the Schur complement has a negative diagonal entry")
    np.negative(g, out=g)
    g[idx, idx] = d
    gam = gamma(n + 5)
    under = n * (Fraction(float(np.abs(f).max())) + 1) / Fraction(2) ** 1072
    err = gam * (exact_float_sum(gd) + k * under) / (1 - gam) + k * under + 2 * _U * exact_float_sum(d)
    return SchurEnclosure(g, err)


def verified_schur_psd(b: NDArray[np.float64], x: NDArray[np.float64], y: NDArray[np.float64]) -> PsdCheck:
    """Prove ``Z = [[diag(x), B], [B^T, diag(y)]] >= 0`` with one k x k verified Cholesky (Lemma Q5).

    ``Z >= 0`` follows from ``x >= 0`` (rows with ``x_i = 0`` must vanish in
    ``B``) and the exact Schur complement ``S`` positive definite, which
    Theorem V proves from the float enclosure ``A`` of
    :func:`schur_enclosure` with the shift ``rump_shift(A) + err``.  Cost:
    one ``n x k x n`` product and one ``k x k`` Cholesky, instead of a
    ``(n + k)`` Cholesky.  With every ``x_i = 0`` (and so ``B = 0``) ``Z =
    diag(0, y)`` with ``y >= 0`` is PSD outright.

    >>> verified_schur_psd(np.array([[-0.5]]), np.array([0.5]), np.array([0.6])).ok   # [[.5, -.5], [-.5, .6]]
    True
    >>> verified_schur_psd(np.array([[-0.5]]), np.array([0.5]), np.array([0.5])).ok   # singular: no margin
    False
    """
    enc = schur_enclosure(b, x, y)
    if enc.a is None:
        return PsdCheck(False, "verified-schur", 0.0, enc.reason)
    if not np.any(np.asarray(x) > 0):
        return PsdCheck(True, "verified-schur", 0.0)  # Z = diag(0, y), y >= 0 checked by the enclosure
    shift = float_up(Fraction(rump_shift(enc.a)) + enc.err)
    return _shifted_cholesky(enc.a, shift, "verified-schur")
