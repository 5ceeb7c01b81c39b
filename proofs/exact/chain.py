"""The chain programme of the N-bin classical value, in plain numpy integers (no JIT, no solver).

For a game whose bunch region has a non-increasing boundary, the objective
``g^T M h`` of step strategies is evaluated along the *chain* of crossed
cells (rows ascending, columns descending within a row; consecutive crossed
cells move by at most one row and one column).  Row ``i`` contributes

    g_i [P(lo_i) - (K - P(hi_i))] / N^2 + sum over its crossed cells of M_ij g_i h_j,

with ``P(j) = h_0 + ... + h_{j-1}`` and ``K = P(N)``.  For a fixed end value
``K`` a dynamic programme over the chain with state ``(P, g, h)`` is exact.

Arithmetic is in int64 *units* ``2^-S / N^2``: a full cell is ``unit = 2^S``,
a crossed cell contributes ``pos[t]`` (``g h = +1``) or ``neg[t]``
(``g h = -1``), both integers rounded up by the caller.  Overflow is excluded
by a bound proved here and asserted before the programme runs: every partial
value of a real path is at most ``(n^2 + 6n + 1) unit <= (4 n^2 + 4 n) unit``
in absolute value (``n`` rows of at most ``n`` full cells, ``2n`` crossed
cells of at most ``2 unit``, one open row of at most ``(2n + 1) unit``), so
:func:`chain_scale_bits_ok` (``(4 n^2 + 4 n) 2^S < 2^61``) keeps valid values
in ``(-2^61, 2^61)``; infeasible states are reset to ``NEG = -2^62`` after
every step, so they stay below ``-2^61`` and no sum leaves int64.

All ``K`` are handled at once (numpy over ``K`` and ``P``); only the ``P``
reachable at the current column (``|P| <= j``) are updated.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from proofs.exact.errors import CertificateError, QcoordParameterError

__all__ = ["NEG", "chain_leaf_bounds", "chain_scale_bits_ok"]

#: "minus infinity" of the integer programme
NEG = -(1 << 62)
_HALF = NEG // 2


def chain_scale_bits_ok(n: int, S: int) -> bool:
    """Whether ``(4 n^2 + 4 n) 2^S < 2^61`` (the no-overflow condition above).

    >>> chain_scale_bits_ok(64, 46), chain_scale_bits_ok(64, 47)
    (True, False)
    """
    return S >= 0 and (4 * n * n + 4 * n) << S < 1 << 61


def chain_leaf_bounds(step: list[int], col: list[int], pos: list[int], neg: list[int], n: int, Ks: list[int], S: int, extra: int) -> NDArray[np.int64]:
    """Upper bounds (units) of ``N^2 2^S g^T M h`` over strategies with ``sum h = K``, for each ``K`` in ``Ks``.

    ``step[t]`` is the chain step type (0 first cell, 1 same row and column
    ``j - 1``, 2 new row and same column, 3 new row and column ``j - 1``),
    ``col[t]`` its column; ``extra`` counts rows without crossed cells.

    >>> chain_leaf_bounds([0, 3], [1, 0], [0, 0], [0, 0], 2, [0, 2], 0, 0).tolist()
    [2, 2]
    """
    if not chain_scale_bits_ok(n, S):
        raise QcoordParameterError(f"scale bits S = {S} overflow the chain programme at N = {n}")
    unit = 1 << S
    if any(abs(int(v)) > 2 * unit for v in (*pos, *neg)):
        raise CertificateError("a crossed cell exceeds two full cells in units; the enclosure is not that of a game")
    T = len(step)
    if T == 0 or len(col) != T or len(pos) != T or len(neg) != T:
        raise QcoordParameterError("chain arrays must be non-empty and of equal length")
    Ks = [int(k) for k in Ks]
    best = np.concatenate([_block(step, col, pos, neg, n, Ks[a : a + _BLOCK], unit) for a in range(0, len(Ks), _BLOCK)])
    if np.any(best <= _HALF):
        raise CertificateError("the chain programme has an infeasible leaf; the classification is not that of a monotone boundary")
    K = np.asarray(Ks, dtype=np.int64)
    return best + extra * np.abs(K) * unit


#: leaves per numpy block (keeps the working arrays small enough for the cache)
_BLOCK = 16


def _block(step: list[int], col: list[int], pos: list[int], neg: list[int], n: int, Ks: list[int], unit: int) -> NDArray[np.int64]:
    Sz = 2 * n + 1
    T = len(step)
    K = np.asarray(Ks, dtype=np.int64)[:, None]
    P = np.arange(Sz, dtype=np.int64)[None, :] - n
    Pu = P * unit
    # row-start term g (P + h - K) unit for h = +1 / -1 (constant over the chain)
    row_term = {1: (P + 1 - K) * unit, -1: (P - 1 - K) * unit}

    def cell(t: int, g: int, h: int) -> int:
        return int(pos[t]) if g * h > 0 else int(neg[t])

    j0 = int(col[0])
    rest = n - 1 - j0
    okP = (np.abs(P) <= j0) & ((P + j0) % 2 == 0)
    V: dict[tuple[int, int], NDArray[np.int64]] = {}
    for h in (1, -1):
        R = K - P - h
        ok = okP & (np.abs(R) <= rest) & ((R + rest) % 2 == 0)
        for g in (1, -1):
            V[(g, h)] = np.where(ok, g * row_term[h] + cell(0, g, h), NEG)
    W = {k: np.full_like(v, NEG) for k, v in V.items()}
    kmin, kmax = min(Ks), max(Ks)
    # reachable states at column j: |P| <= j and |K - P| <= n - j (the columns right of j carry K - P)
    win_v = (0, Sz)  # where V may hold values other than NEG
    win_w = (0, 0)
    for t in range(1, T):
        typ, j = int(step[t]), int(col[t])
        lo = n + max(-j, kmin - (n - j))
        hi = n + min(j, kmax + (n - j)) + 1
        if typ == 1:
            for g in (1, -1):
                best = np.maximum(V[(g, 1)][:, lo - 1 : hi + 1], V[(g, -1)][:, lo - 1 : hi + 1])
                for h in (1, -1):  # P(j) = P(j + 1) - h_j: previous index p + h
                    np.add(best[:, 1 + h : best.shape[1] - 1 + h], cell(t, g, h), out=W[(g, h)][:, lo:hi])
        elif typ in (2, 3):
            # close the previous row (+ g' P(lo) unit), then open the new one
            a, b = (lo, hi) if typ == 2 else (lo - 1, hi + 1)
            Z = {h: np.maximum(V[(1, h)][:, a:b] + Pu[:, a:b], V[(-1, h)][:, a:b] - Pu[:, a:b]) for h in (1, -1)}
            if typ == 2:
                src = Z
            else:
                Y = np.maximum(Z[1], Z[-1])
                src = {h: Y[:, 1 + h : Y.shape[1] - 1 + h] for h in (1, -1)}
            for h in (1, -1):
                for g in (1, -1):
                    out = W[(g, h)][:, lo:hi]
                    if g == 1:
                        np.add(src[h], row_term[h][:, lo:hi], out=out)
                    else:
                        np.subtract(src[h], row_term[h][:, lo:hi], out=out)
                    out += cell(t, g, h)
        else:
            raise QcoordParameterError(f"chain step {t} has type {typ}; expected 1, 2 or 3")
        a, b = win_w
        for k in W:
            w = W[k]
            if a < lo:  # stale entries of the reused buffer outside the new window
                w[:, a : min(b, lo)] = NEG
            if hi < b:
                w[:, max(a, hi) : b] = NEG
            seg = w[:, lo:hi]
            seg[seg <= _HALF] = NEG
        V, W = W, V
        win_v, win_w = (lo, hi), win_v
    jl = int(col[-1])
    okP = (np.abs(P) <= jl) & ((P + jl) % 2 == 0)
    best = np.full(K.shape[0], NEG, dtype=np.int64)
    for (g, _h), v in V.items():
        closed = np.where(okP & (v > _HALF), v + g * Pu, NEG)
        best = np.maximum(best, closed.max(axis=1))
    return best
