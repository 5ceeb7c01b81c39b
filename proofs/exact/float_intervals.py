"""Outward-rounded interval vectors in double precision: sums, products and convolutions with proven error terms.

An :class:`IVec` holds numpy arrays ``lo <= hi`` that enclose a vector of
real numbers entrywise.  Every operation returns an enclosure of the exact
result (lemma T4 (e') of ``proofs/lemmas_system.md``):

* a single IEEE operation (``+``, ``-``, ``*``) is exactly rounded, so the
  rounded result moved one ulp outward (``nextafter``) encloses the exact one;
* a sum of ``n`` non-negative terms (a convolution entry of non-negative
  vectors, an array sum) computed in any order satisfies
  ``|fl(s) - s| <= gamma_n s`` with ``gamma_n = n u / (1 - n u)``,
  ``u = 2^-53`` (Higham, Accuracy and Stability, eq. 3.4; products add one
  rounding, hence ``gamma_{n+1}``), plus at most ``n 2^-1074`` per entry of
  absolute error in the subnormal range; :func:`up` and :func:`dn` apply
  ``1 +- 2 gamma_{n+3}`` (covering the rounding of the scaling itself) and
  ``n 2^-1070``;
* a signed convolution is computed in midpoint-radius form:
  ``|conv(x, y) - fl(conv(m1, m2))| <= gamma conv(|m1|, |m2|) + conv(r1, |m2| + r2) + conv(|m1|, r2)``.

Only numpy and the standard library are used.

>>> a = IVec.point(np.array([0.5, 0.25]))
>>> c = conv_nonneg(a, a)
>>> bool(np.all(c.lo <= np.array([0.25, 0.25, 0.0625])) and np.all(np.array([0.25, 0.25, 0.0625]) <= c.hi))
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = ["IVec", "U", "conv_nonneg", "conv_signed", "dn", "gamma", "sum_dn", "sum_up", "up"]

#: unit roundoff of IEEE double (round to nearest)
U = 2.0**-53
#: absolute error per operation in the subnormal range, with room
_TINY = 2.0**-1070


def gamma(n: int) -> float:
    """``gamma_n = n u / (1 - n u)`` rounded up (``n u < 1/2`` required).

    >>> gamma(1) > 2.0**-53
    True
    """
    if n * U >= 0.5:
        raise ValueError(f"`n` must satisfy n u < 1/2 for the error bound; got n = {n}")
    g = n * U / (1 - n * U)
    return math.nextafter(math.nextafter(g, math.inf), math.inf)


def up(x: NDArray[np.float64] | float, n: int) -> NDArray[np.float64]:
    """An upper bound on the exact value of non-negative sums of ``n`` products computed in floats as ``x``."""
    f = 1.0 + 2.0 * gamma(n + 3)
    return np.asarray(x, dtype=float) * f + n * _TINY


def dn(x: NDArray[np.float64] | float, n: int) -> NDArray[np.float64]:
    """A lower bound (clipped at 0) on the exact value of non-negative sums of ``n`` products computed in floats as ``x``."""
    f = 1.0 - 2.0 * gamma(n + 3)
    return np.maximum(np.asarray(x, dtype=float) * f - n * _TINY, 0.0)


def sum_up(x: NDArray[np.float64]) -> float:
    """Upper bound on ``sum(x)`` for ``x >= 0``."""
    return float(up(float(np.sum(x)), max(1, x.size)))


def sum_dn(x: NDArray[np.float64]) -> float:
    """Lower bound on ``sum(x)`` for ``x >= 0``."""
    return float(dn(float(np.sum(x)), max(1, x.size)))


def _nd(x: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.nextafter(x, -np.inf)


def _nu(x: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.nextafter(x, np.inf)


@dataclass(frozen=True)
class IVec:
    """Entrywise enclosure ``lo <= x <= hi`` of a real vector."""

    lo: NDArray[np.float64]
    hi: NDArray[np.float64]

    @staticmethod
    def point(x: NDArray[np.float64]) -> IVec:
        """The exact vector ``x`` (its floats are the numbers)."""
        x = np.asarray(x, dtype=float)
        return IVec(x.copy(), x.copy())

    @staticmethod
    def zeros(n: int) -> IVec:
        return IVec(np.zeros(n), np.zeros(n))

    @property
    def size(self) -> int:
        return int(self.lo.size)

    def pad(self, n: int) -> IVec:
        """Zero-padded (or cut) to length ``n``; cutting is only used where the cut entries are not needed."""
        if n >= self.size:
            return IVec(np.pad(self.lo, (0, n - self.size)), np.pad(self.hi, (0, n - self.size)))
        return IVec(self.lo[:n].copy(), self.hi[:n].copy())

    def __add__(self, other: IVec) -> IVec:
        n = max(self.size, other.size)
        a, b = self.pad(n), other.pad(n)
        return IVec(_nd(a.lo + b.lo), _nu(a.hi + b.hi))

    def __sub__(self, other: IVec) -> IVec:
        n = max(self.size, other.size)
        a, b = self.pad(n), other.pad(n)
        return IVec(_nd(a.lo - b.hi), _nu(a.hi - b.lo))

    def mul(self, c: NDArray[np.float64] | float) -> IVec:
        """Entrywise product with exact floats ``c`` (a scalar or a vector of this length)."""
        c = np.asarray(c, dtype=float)
        p, q = self.lo * c, self.hi * c
        return IVec(_nd(np.minimum(p, q)), _nu(np.maximum(p, q)))

    def imul(self, lo: float, hi: float) -> IVec:
        """Product with the interval scalar ``[lo, hi]``."""
        ps = [self.lo * lo, self.lo * hi, self.hi * lo, self.hi * hi]
        return IVec(_nd(np.minimum.reduce(ps)), _nu(np.maximum.reduce(ps)))

    def total(self) -> tuple[float, float]:
        """Enclosure of the sum of the entries (signed)."""
        pos_lo, neg_lo = np.maximum(self.lo, 0.0), np.maximum(-self.lo, 0.0)
        pos_hi, neg_hi = np.maximum(self.hi, 0.0), np.maximum(-self.hi, 0.0)
        lo = sum_dn(pos_lo) - sum_up(neg_lo)
        hi = sum_up(pos_hi) - sum_dn(neg_hi)
        return math.nextafter(lo, -math.inf), math.nextafter(hi, math.inf)

    def nonneg(self) -> IVec:
        """Intersected with ``[0, inf)`` (for vectors known to be non-negative)."""
        return IVec(np.maximum(self.lo, 0.0), np.maximum(self.hi, 0.0))


def conv_nonneg(x: IVec, y: IVec) -> IVec:
    """Enclosure of the convolution of two non-negative vectors (their ``lo`` must be ``>= 0``)."""
    if np.any(x.lo < 0) or np.any(y.lo < 0):
        raise ValueError("conv_nonneg needs non-negative enclosures")
    n = min(x.size, y.size) + 1
    return IVec(dn(np.convolve(x.lo, y.lo), n), up(np.convolve(x.hi, y.hi), n))


def conv_signed(x: IVec, y: IVec) -> IVec:
    """Enclosure of the convolution of two signed vectors (midpoint-radius form)."""
    n = min(x.size, y.size) + 1
    m1 = 0.5 * x.lo + 0.5 * x.hi
    m2 = 0.5 * y.lo + 0.5 * y.hi
    r1 = _nu(np.maximum(x.hi - m1, m1 - x.lo))
    r2 = _nu(np.maximum(y.hi - m2, m2 - y.lo))
    a1, a2 = np.abs(m1), np.abs(m2)
    mid = np.convolve(m1, m2)
    e1 = up(np.convolve(a1, a2), n)
    rad = _nu(_nu(_nu(e1 * gamma(n + 1)) + up(np.convolve(r1, _nu(a2 + r2)), n)) + up(np.convolve(a1, r2), n))
    return IVec(_nd(mid - rad), _nu(mid + rad))
