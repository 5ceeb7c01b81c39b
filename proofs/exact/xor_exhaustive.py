"""The exact classical value of an XOR game whose integer bias matrix has entries of any size (lemma X4b).

The exhaustive search of lemma X4 runs in int64, so it needs ``sum |N| < 2^62``
for the integer matrix ``N = L M``.  Games given as floats (toqito's usual
input: ``prob / prob.sum()``) have common denominators ``L`` of ``10^17`` to
``10^20`` and more.  Lemma X4b (``proofs/lemmas_classical.md``) keeps the search
in int64 and stays exact: with ``s >= 0`` and ``N' = floor(N / 2^s)``
(so ``N = 2^s N' + R``, ``0 <= R < 2^s`` entrywise), every sign vector ``a`` has

    |T(a) - 2^s T'(a)| <= sum |R| < 2^s E,   E = k n,

for ``T(a) = sum_j |(a^T N)_j|`` and ``T'`` likewise of ``N'``.  Let ``T'max``
be the largest ``T'``, reached at ``a*``.  A sign vector with
``T'(a) < T'max - 2E`` has ``T(a) < 2^s (T'max - E) < T(a*)``, so the largest
``T`` lies among the *near ties* ``T'(a) >= T'max - 2E``; they are evaluated
exactly with Python integers.  ``s`` is the least shift with
``sum |N| / 2^s <= 2^60`` (then ``sum |N'| < 2^60 + k n < 2^62``: no overflow).
Rows and columns of zeros are dropped first (they add nothing to any ``T``
and would only multiply the ties).

>>> v, a = exhaustive_any_size([[3 * 2**80 + 1, 2**80], [2**80, -3 * 2**80]])
>>> v == 6 * 2**80 + 1, a
(True, [1, 1])
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from proofs.exact.errors import CertificateError

__all__ = ["MAX_NEAR_TIES", "SHIFT_BITS", "all_signs", "classical_exhaustive", "exhaustive_any_size", "near_ties"]

#: most near ties evaluated exactly; more end in :class:`proofs.exact.errors.CertificateError`
MAX_NEAR_TIES = 2**14
#: most products of Python integers in the exact recheck (about half a minute); fewer ties are taken on wide matrices
EXACT_WORK = 2**26
#: ``sum |N'|`` after the shift is at most ``2^SHIFT_BITS + k n``
SHIFT_BITS = 60
_BLOCK = 2**16


def all_signs(k: int) -> NDArray[np.int64]:
    """All ``2^k`` sign vectors of length ``k`` (row ``i`` has ``-1`` where bit ``j`` of ``i`` is set)."""
    if k == 0:
        return np.ones((1, 0), dtype=np.int64)
    bits = (np.arange(2**k, dtype=np.int64)[:, None] >> np.arange(k, dtype=np.int64)) & 1
    return 1 - 2 * bits


def _halves(mi: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.int64], NDArray[np.int64], int]:
    """``(g1, g2, s1, s2, step)``: the sign vectors of the two halves of rows ``1..k-1``, their sums (row 0 counted once,
    in ``s1``, with ``a_0 = +1``) and the block of ``s1`` rows taken at a time."""
    k = mi.shape[0]
    h1 = (k - 1) // 2
    g1, g2 = all_signs(h1), all_signs(k - 1 - h1)
    s1 = g1 @ mi[1:1 + h1] + mi[0]
    s2 = g2 @ mi[1 + h1:]
    return g1, g2, s1, s2, max(1, _BLOCK // s2.shape[0])


def _largest(s1: NDArray[np.int64], s2: NDArray[np.int64], step: int) -> int:
    best = 0
    for i0 in range(0, s1.shape[0], step):
        best = max(best, int(np.abs(s1[i0:i0 + step, None, :] + s2[None, :, :]).sum(axis=2).max()))
    return best


def classical_exhaustive(mi: NDArray[np.int64]) -> int:
    """``max over a in {+-1}^k, b in {+-1}^n of a^T M b = max_a sum_j |(a^T M)_j|`` for an integer ``k x n`` matrix (lemma X4).

    The caller guarantees ``sum |M| < 2^62``: every partial column sum and
    every row of absolute sums is then below ``2^62`` (no int64 overflow).
    ``a_0 = +1`` by the symmetry ``a -> -a``; the other rows are split in two
    halves enumerated once each (meet in the middle).

    >>> classical_exhaustive(np.array([[1, 1], [1, -1]], dtype=np.int64))
    2
    """
    return _largest(*_halves(mi)[2:])


def near_ties(n64: NDArray[np.int64], slack: int, *, first: bool = False, limit: int = MAX_NEAR_TIES) -> tuple[int, list[list[int]]]:
    """``(T'max, [a, ...])``: the largest ``sum_j |(a^T N')_j|`` over ``a`` with ``a_0 = +1``, and every ``a`` within ``slack`` of it
    (``first``: only the first ``a`` that reaches the maximum).

    ``n64`` is a ``k x n`` int64 matrix with ``sum |N'| < 2^62`` (no partial sum overflows); meet in the middle over
    the two halves of rows ``1..k-1``, in two passes (the maximum, then the near ties).

    >>> near_ties(np.array([[1, 1], [1, -1]], dtype=np.int64), 0)
    (2, [[1, 1], [1, -1]])
    """
    g1, g2, s1, s2, step = _halves(n64)
    best = _largest(s1, s2, step)
    ties: list[list[int]] = []
    for i0 in range(0, s1.shape[0], step):
        vals = np.abs(s1[i0:i0 + step, None, :] + s2[None, :, :]).sum(axis=2)
        for i, j in zip(*np.nonzero(vals >= best - slack)):
            if first and ties:
                return best, ties
            if len(ties) >= limit:
                raise CertificateError(f"more than {limit} sign vectors lie within {slack} of the rounded maximum; "
                                       "the exact recheck of lemma X4b would take too long for this game")
            ties.append([1, *g1[i0 + i].tolist(), *g2[j].tolist()])
    return best, ties


def exhaustive_any_size(ints: list[list[int]], *, shift: int = 0) -> tuple[int, list[int]]:
    """``(max_a T(a), a)``: the exact maximum of ``T(a) = sum_j |(a^T N)_j|`` over ``a`` in ``{+-1}^k``, for Python integers of any size.

    ``ints`` is the ``k x n`` matrix ``N`` (``k`` rows enumerated: the caller keeps ``k`` small).  The strategy returned
    has ``a`` on the rows; the best response is ``b_j = sign((a^T N)_j)``.  Lemma X4b (module docstring).
    ``shift``: round at least this many bits off (the lemma holds for every ``s``; tests use it on small matrices).

    >>> exhaustive_any_size([[1, 1], [1, -1]])
    (2, [1, 1])
    """
    k = len(ints)
    rows = [i for i in range(k) if any(ints[i])]
    cols = [j for j in range(len(ints[0])) if any(ints[i][j] for i in rows)]
    if not rows:
        return 0, [1] * k
    n = [[ints[i][j] for j in cols] for i in rows]
    total = sum(abs(v) for row in n for v in row)
    shift = max(shift, total.bit_length() - SHIFT_BITS, 0)
    n64 = np.array([[v >> shift for v in row] for row in n], dtype=np.int64)  # floor(N / 2^s), |entries| <= 2^60 + 1
    slack = 2 * len(rows) * len(cols) if shift else 0  # 2E; no rounding (s = 0): T' = T exactly
    limit = max(1, min(MAX_NEAR_TIES, EXACT_WORK // (len(rows) * len(cols))))  # each tie costs k n products of big integers
    _, ties = near_ties(n64, slack, first=not shift, limit=limit)
    best, arg = -1, ties[0]
    for a in ties:
        t = sum(abs(sum(ai * row[j] for ai, row in zip(a, n))) for j in range(len(cols)))
        if t > best:
            best, arg = t, a
    out = [1] * k
    for i, ai in zip(rows, arg):
        out[i] = ai
    return best, out
