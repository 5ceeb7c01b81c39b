"""Exact products of integer matrices in int64 limbs, without overflow (a proven, run-time-checked bound).

Lemma L (limb products).  Let ``A`` (``n x k``) and ``B`` (``k x d``) be
integer matrices with ``|A_ij| < 2^a`` and ``|B_ij| < 2^b`` and let ``s >= 1``
with ``2 s + bitlen(k) <= 62``.  Write each entry by sign and magnitude in
base ``2^s``: ``A = sum_t 2^(s t) A_t`` with ``|A_t| < 2^s`` (``t < ceil(a / s)``),
likewise ``B``.  Every product ``A_t B_u`` is an integer matrix whose
entries are sums of ``k`` terms of magnitude below ``2^(2 s)``; every
partial sum is below ``k 2^(2 s) < 2^(2 s + bitlen(k)) <= 2^62 < 2^63``, so
int64 arithmetic computes it exactly in any order.  Then
``A B = sum_{t, u} 2^(s (t + u)) A_t B_u``, combined in Python integers.

The bounds ``a``, ``b`` are measured on the data (``bit_length`` of the
largest magnitude) before any limb is formed, and the inputs must already
fit in int64 (magnitudes below ``2^62``): nothing is assumed about the caller.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from proofs.exact.errors import QcoordParameterError as ProofsParameterError

__all__ = ["INPUT_BITS", "exact_matmul", "strategy_sum"]

#: entries of the factors must have magnitude below ``2^INPUT_BITS``
INPUT_BITS = 62


def _limbs(a: NDArray[np.int64], s: int, count: int) -> list[NDArray[np.int64]]:
    sign = np.sign(a)
    mag = np.abs(a)
    mask = (1 << s) - 1
    return [sign * ((mag >> (s * t)) & mask) for t in range(count)]


def _bits(a: NDArray[np.int64]) -> int:
    return int(np.abs(a).max()).bit_length() if a.size else 0


def exact_matmul(a: NDArray[np.int64], b: NDArray[np.int64]) -> NDArray[np.object_]:
    """``A B`` exactly, as a numpy array of Python integers (Lemma L).

    ``a`` and ``b`` are int64 arrays with entries of magnitude below ``2^62``.

    >>> a = np.array([[2**61 - 1, -(2**60)], [3, 4]], dtype=np.int64)
    >>> b = np.array([[2**61 - 5], [-(2**59) + 7]], dtype=np.int64)
    >>> exact_matmul(a, b).tolist() == (np.array(a.tolist(), dtype=object) @ np.array(b.tolist(), dtype=object)).tolist()
    True
    """
    if a.dtype != np.int64 or b.dtype != np.int64 or a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[0]:
        raise ProofsParameterError(f"`a` and `b` must be int64 matrices with matching inner dimension; got {a.dtype} {a.shape} and {b.dtype} {b.shape}")
    k = a.shape[1]
    s = (62 - k.bit_length()) // 2
    if s < 1:
        raise ProofsParameterError(f"inner dimension {k} too large for int64 limbs")
    ba, bb = _bits(a), _bits(b)
    if ba > INPUT_BITS or bb > INPUT_BITS:
        raise ProofsParameterError(f"entries must have magnitude below 2^{INPUT_BITS}; got {max(ba, bb)} bits")
    la, lb = max(1, -(-ba // s)), max(1, -(-bb // s))
    al, bl = _limbs(a, s, la), _limbs(b, s, lb)
    out = np.zeros((a.shape[0], b.shape[1]), dtype=object)
    for t in range(la):
        for u in range(lb):
            p = (al[t] @ bl[u]).astype(object)
            out += p * (1 << (s * (t + u))) if t + u else p
    return out


def strategy_sum(ints: list[list[int]], u: list[list[int]], v: list[list[int]]) -> int:
    """``sum_xy N_xy <u_x, v_y>`` exactly for integer ``N``, ``u``, ``v``.

    With ``|N| < 2^62`` and ``|u|, |v| <= 2^60`` it is ``sum_x <u_x, (N V)_x>``
    with ``N V`` formed in int64 limbs (lemma L);
    otherwise in Python integers (numpy object arrays).

    >>> strategy_sum([[1, -1]], [[3]], [[2], [5]])
    -9
    """
    lim = 2**62
    small = all(abs(t) < lim for row in ints for t in row) and all(abs(t) < lim for w in (u, v) for row in w for t in row)
    if small:
        nv = exact_matmul(np.array(ints, dtype=np.int64), np.array(v, dtype=np.int64))
    else:
        nv = np.array(ints, dtype=object).dot(np.array(v, dtype=object))
    return int((np.array(u, dtype=object) * nv).sum())
