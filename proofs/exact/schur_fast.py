"""Lemma Q5's verified Schur-complement PSD test with integer-exact float sums (low fixed overhead for small matrices).

:func:`schur_psd` is :func:`proofs.exact.psd.verified_schur_psd` -- the same
floating-point operations, the same error bound ``err`` and the same
Theorem V shift, to the bit -- but every exact sum of floats is formed in
Python integers (each float is ``p / 2^e``; the sum is ``sum p 2^(E - e) / 2^E``)
instead of :class:`fractions.Fraction` additions, and the constants
``gamma_k`` are cached.  The mathematics (Theorem V and Lemma Q5 in
:mod:`proofs.exact.psd` and ``proofs/lemmas_quantum.md``) is unchanged; the
tests check that both functions return the same decision and the same shift.
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache

import numpy as np
from numpy.typing import NDArray

from proofs.exact.psd import UNIT_ROUNDOFF, PsdCheck, gamma
from proofs.exact.rational import float_up

__all__ = ["float_sum", "schur_psd"]

_X_RANGE = (2.0**-1000, 2.0**1000)


def float_sum(a: NDArray[np.float64]) -> Fraction:
    """The exact sum of finite floats, as a Fraction (integer arithmetic).

    >>> float_sum(np.array([0.1, 0.2, -0.3])) == Fraction(0.1) + Fraction(0.2) - Fraction(0.3)
    True
    """
    pairs = [t.as_integer_ratio() for t in np.asarray(a, dtype=np.float64).ravel().tolist()]
    if not pairs:
        return Fraction(0)
    den = max(q for _, q in pairs)  # powers of two: each divides the largest
    return Fraction(sum(p * (den // q) for p, q in pairs), den)


@lru_cache(maxsize=256)
def _alpha(k: int) -> Fraction:
    g = gamma(k)
    return g / (1 - g)


def _shifted_cholesky(at: NDArray[np.float64], c: float) -> PsdCheck:
    """Theorem V's test on ``at`` (overwritten): diagonal ``fl(a_ii - c)`` rounded down, then Cholesky."""
    n = at.shape[0]
    if not np.isfinite(c):
        return PsdCheck(False, "verified-schur", c, "shift overflowed")
    idx = np.arange(n)
    at[idx, idx] = np.nextafter(at[idx, idx] - c, -np.inf)
    try:
        r = np.linalg.cholesky(at)
    except np.linalg.LinAlgError:
        return PsdCheck(False, "verified-schur", c, f"Cholesky of A - {c:.3e} I broke down")
    rd = np.diagonal(r)
    if not (np.all(np.isfinite(r)) and np.all(rd > 0)):
        return PsdCheck(False, "verified-schur", c, "Cholesky factor is not finite with a positive diagonal")
    return PsdCheck(True, "verified-schur", c)


def schur_psd(b: NDArray[np.float64], x: NDArray[np.float64], y: NDArray[np.float64]) -> PsdCheck:
    """Prove ``Z = [[diag(x), B], [B^T, diag(y)]] >= 0`` (Lemma Q5, as :func:`proofs.exact.psd.verified_schur_psd`).

    >>> schur_psd(np.array([[-0.5]]), np.array([0.5]), np.array([0.6])).ok, schur_psd(np.array([[-0.5]]), np.array([0.5]), np.array([0.5])).ok
    (True, False)
    """
    b = np.asarray(b, dtype=np.float64)
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if b.ndim != 2 or x.shape != (b.shape[0],) or y.shape != (b.shape[1],) or b.size == 0:
        return PsdCheck(False, "verified-schur", 0.0, "shapes of B, x, y do not match")
    if not (np.all(np.isfinite(b)) and np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        return PsdCheck(False, "verified-schur", 0.0, "non-finite entries")
    if np.any(x < 0) or np.any(y < 0):
        return PsdCheck(False, "verified-schur", 0.0, "negative diagonal entry")
    keep = x > 0
    k = b.shape[1]
    if not np.all(keep):
        if np.any(~keep & np.any(b != 0, axis=1)):
            return PsdCheck(False, "verified-schur", 0.0, "x_i = 0 with a non-zero row of B: Z is not PSD")
        if not np.any(keep):
            return PsdCheck(True, "verified-schur", 0.0)  # Z = diag(0, y) with y >= 0
        b = b[keep]
    xk = x[keep]
    if xk.min() < _X_RANGE[0] or xk.max() > _X_RANGE[1]:
        return PsdCheck(False, "verified-schur", 0.0, "x outside [2^-1000, 2^1000]")
    n = xk.size
    s = np.sqrt(1.0 / xk)
    f = b * s[:, None]
    g = f.T @ f
    if not (np.all(np.isfinite(f)) and np.all(np.isfinite(g))):
        return PsdCheck(False, "verified-schur", 0.0, "overflow while forming the Schur complement")
    if not np.array_equal(g, g.T):
        g = np.tril(g)
        g += np.tril(g, -1).T
    idx = np.arange(k)
    gd = g[idx, idx].copy()
    d = y - gd
    if np.any(d < 0):
        return PsdCheck(False, "verified-schur", 0.0, "the Schur complement has a negative diagonal entry")
    np.negative(g, out=g)
    g[idx, idx] = d
    # lemma Q5's err, then Theorem V's shift for the k x k matrix, exactly as proofs.exact.psd computes them
    gam = gamma(n + 5)
    under = n * (Fraction(float(np.abs(f).max())) + 1) / Fraction(2) ** 1072
    sd = float_sum(d)
    err = gam * (float_sum(gd) + k * under) / (1 - gam) + k * under + 2 * UNIT_ROUNDOFF * sd
    rump = float_up(2 * _alpha(k + 2) * sd + k * (k + 2) * (2 + Fraction(float(d.max()))) / Fraction(2) ** 1070)
    shift = float_up(Fraction(rump) + err)
    return _shifted_cholesky(g, shift)
