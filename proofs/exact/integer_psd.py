"""Exact PSD test of an integer matrix by fraction-free (Bareiss) elimination, vectorised over Python integers.

Lemma B (fraction-free symmetric elimination).  Let ``A`` be a symmetric
integer matrix and ``p > 0`` an integer.  Eliminate the first index with
pivot ``d = a_00``:

* ``d < 0``: ``A`` is not PSD (a negative diagonal entry).
* ``d = 0``: ``A`` is PSD iff row 0 vanishes and ``A[1:, 1:]`` is PSD.
* ``d > 0``: ``A`` is PSD iff the Schur complement ``S = A_22 - a a^T / d`` is
  PSD, iff ``A' = (d A_22 - a a^T) / p = (d / p) S`` is PSD (a positive
  multiple).  The step is taken only when every entry of ``d A_22 - a a^T``
  is divisible by ``p`` (checked, so ``A'`` is an integer matrix *exactly*
  equal to ``(d / p) S``); then ``p`` becomes ``d``.

By Sylvester's determinant identity the division is always exact when ``p``
is the previous positive pivot (Bareiss 1968): the entries of ``A'`` are
minors of the original matrix, so they grow linearly in bit length instead
of exponentially as in naive integer elimination.  A failed divisibility
check (impossible by the identity) would return ``ok = False``: a refusal,
never a false acceptance.  The soundness argument uses only the three bullet
points above and the checked divisibility.

This decides ``A >= 0`` exactly, like :func:`proofs.exact.psd.exact_psd`,
but with one numpy object-array update per pivot instead of a Python loop
over :class:`fractions.Fraction` entries (about 20x faster on 16 x 16 dual
matrices of XOR games).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from fractions import Fraction

import numpy as np

from proofs.exact.errors import QcoordParameterError as ProofsParameterError
from proofs.exact.psd import PsdCheck

__all__ = ["integer_psd", "rational_psd"]


def integer_psd(a: Sequence[Sequence[int]]) -> PsdCheck:
    """Decide ``A >= 0`` exactly for a symmetric matrix of Python integers (Lemma B).

    >>> integer_psd([[2, 1], [1, 2]]).ok, integer_psd([[1, 2], [2, 1]]).ok, integer_psd([[0, 0], [0, 1]]).ok
    (True, False, True)
    >>> integer_psd([[0, 1], [1, 5]]).reason
    'pivot 0 is zero but its row is not'
    """
    n = len(a)
    if n == 0 or any(len(row) != n for row in a):
        raise ProofsParameterError(f"`A` must be a non-empty square matrix; got {n} rows")
    if not all(type(t) is int for row in a for t in row):
        raise ProofsParameterError("`A` must hold Python integers")
    w = np.empty((n, n), dtype=object)
    for i, row in enumerate(a):
        w[i, :] = row
    if not bool(np.all(w == w.T)):
        return PsdCheck(False, "exact-bareiss", 0.0, "not symmetric")
    p = 1
    k = 0
    while w.shape[0]:
        d = w[0, 0]
        if d < 0:
            return PsdCheck(False, "exact-bareiss", 0.0, f"pivot {k} is negative")
        if d == 0:
            if any(t != 0 for t in w[0, 1:]):
                return PsdCheck(False, "exact-bareiss", 0.0, f"pivot {k} is zero but its row is not")
        else:
            col = w[1:, 0]
            nxt = d * w[1:, 1:] - np.outer(col, col)
            if p != 1:
                q = nxt // p
                if not bool(np.all(q * p == nxt)):
                    return PsdCheck(False, "exact-bareiss", 0.0, f"inexact division at pivot {k}")
                nxt = q
            w = nxt
            p = d
            k += 1
            continue
        w = w[1:, 1:]
        k += 1
    return PsdCheck(True, "exact-bareiss")


def rational_psd(a: Sequence[Sequence[Fraction | int]]) -> PsdCheck:
    """:func:`integer_psd` of ``D A`` with ``D > 0`` the least common denominator of the entries (same PSD-ness).

    >>> rational_psd([[Fraction(1, 2), Fraction(-1, 3)], [Fraction(-1, 3), Fraction(1, 4)]]).ok   # det = 1/8 - 1/9 > 0
    True
    """
    fr = [[Fraction(t) for t in row] for row in a]
    den = math.lcm(*(t.denominator for row in fr for t in row))
    return integer_psd([[t.numerator * (den // t.denominator) for t in row] for row in fr])
