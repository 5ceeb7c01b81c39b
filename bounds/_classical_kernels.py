"""Numba kernel of the exact N-bin classical value, with a plain-numpy twin.

The objective ``g^T M h`` of an N-bin game with a monotone (non-increasing)
boundary is evaluated along the *chain* of crossed cells: ordered by row
ascending and, within a row, column descending, consecutive crossed cells move
by at most one row and one column.  Row ``i`` contributes

    g_i * [P(lo_i) - (K - P(hi_i))] / N^2 + sum over its crossed cells of M_ij g_i h_j,

where ``P(j) = h_0 + ... + h_{j-1}``, ``K = P(N)``, and columns ``< lo_i`` /
``>= hi_i`` are the row's full bunch / full split cells.  For a fixed end value
``K`` a dynamic programme over the chain with state ``(P(current column),
g_current, h_current)`` is exact, with ``O(N)`` states per chain cell.

All arithmetic is in ``int64`` *units*: a full cell is ``unit = 2^S`` and a
crossed cell contributes ``pos[t]`` when ``g h = +1`` and ``neg[t]`` when
``g h = -1`` (both rounded up by the caller), so the result is an exact integer
and an upper bound on ``N^2 2^S max g^T M h`` for every ``M`` the rounding
covers.

Chain step types: 0 first cell, 1 same row and next column (``j - 1``), 2 new
row and same column, 3 new row and next column.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange
from numpy.typing import NDArray

__all__ = ["NEG", "chain_leaves", "chain_leaves_numpy", "chain_path_numpy"]

#: "minus infinity" of the integer programme (far from int64 overflow)
NEG = -(1 << 62)
_HALF = NEG // 2


@njit(cache=True)
def _leaf(step, col, pos, neg, n, K, unit, extra):  # noqa: ANN001, ANN202
    S = 2 * n + 1
    V = np.full((S, 2, 2), NEG, dtype=np.int64)
    j0 = col[0]
    rest = n - 1 - j0
    for p in range(S):
        P = p - n
        if abs(P) > j0 or ((P + j0) & 1) != 0:
            continue
        for hi in range(2):
            h = 1 - 2 * hi
            R = K - P - h
            if abs(R) > rest or ((R + rest) & 1) != 0:
                continue
            for gi in range(2):
                g = 1 - 2 * gi
                c = pos[0] if g * h > 0 else neg[0]
                V[p, gi, hi] = g * (P + h - K) * unit + c
    Z = np.empty((S, 2), dtype=np.int64)
    for t in range(1, step.size):
        W = np.full((S, 2, 2), NEG, dtype=np.int64)
        typ = step[t]
        if typ == 1:
            for p2 in range(S):
                for h2i in range(2):
                    h2 = 1 - 2 * h2i
                    p = p2 + h2
                    if p < 0 or p >= S:
                        continue
                    for gi in range(2):
                        g = 1 - 2 * gi
                        best = max(V[p, gi, 0], V[p, gi, 1])
                        if best <= _HALF:
                            continue
                        W[p2, gi, h2i] = best + (pos[t] if g * h2 > 0 else neg[t])
        else:
            for p in range(S):
                P = p - n
                for hi in range(2):
                    a = V[p, 0, hi]
                    b = V[p, 1, hi]
                    a = a + P * unit if a > _HALF else NEG
                    b = b - P * unit if b > _HALF else NEG
                    Z[p, hi] = max(a, b)
            for p2 in range(S):
                P2 = p2 - n
                for h2i in range(2):
                    h2 = 1 - 2 * h2i
                    if typ == 2:
                        best = Z[p2, h2i]
                    else:
                        p = p2 + h2
                        if p < 0 or p >= S:
                            continue
                        best = max(Z[p, 0], Z[p, 1])
                    if best <= _HALF:
                        continue
                    for g2i in range(2):
                        g2 = 1 - 2 * g2i
                        c = pos[t] if g2 * h2 > 0 else neg[t]
                        W[p2, g2i, h2i] = best + g2 * (P2 + h2 - K) * unit + c
        V = W
    jl = col[step.size - 1]
    best = NEG
    for p in range(S):
        P = p - n
        if abs(P) > jl or ((P + jl) & 1) != 0:
            continue
        for gi in range(2):
            g = 1 - 2 * gi
            for hi in range(2):
                if V[p, gi, hi] > _HALF:
                    best = max(best, V[p, gi, hi] + g * P * unit)
    return best + extra * abs(K) * unit


@njit(cache=True, parallel=True)
def chain_leaves(step, col, pos, neg, n, Ks, unit, extra):  # noqa: ANN001, ANN202
    """Exact DP value (int64 units) of the chain programme for each end value in ``Ks``.

    >>> import numpy as np
    >>> # N = 2 linear game: chain (0, 1), (1, 0); crossed cells are 0
    >>> st = np.array([0, 3], np.int8); co = np.array([1, 0]); z = np.zeros(2, np.int64)
    >>> chain_leaves(st, co, z, z, 2, np.array([0, 2]), 1, 0).tolist()   # h = (1, -1) and h = (1, 1) both reach 1/2 = 2 units of 1/N^2
    [2, 2]
    """
    out = np.empty(Ks.size, dtype=np.int64)
    for k in prange(Ks.size):
        out[k] = _leaf(step, col, pos, neg, n, Ks[k], unit, extra)
    return out


# ---------------------------------------------------------------- numpy twin
def _cell(pos: int, neg: int) -> NDArray[np.int64]:
    # cell[g_idx, h_idx]: +1 -> index 0, -1 -> index 1
    return np.array([[pos, neg], [neg, pos]], dtype=np.int64)


def _clean(a: NDArray[np.int64]) -> NDArray[np.int64]:
    a[a <= _HALF] = NEG
    return a


def _steps_numpy(step, col, pos, neg, n, Ks, unit):  # noqa: ANN001, ANN202
    """Yield the DP arrays ``V[k, p, g, h]`` after each chain cell (all ``K`` at once)."""
    S = 2 * n + 1
    K = np.asarray(Ks, dtype=np.int64)[:, None]
    P = np.arange(S, dtype=np.int64) - n
    sg = np.array([1, -1], dtype=np.int64)
    j0 = int(col[0])
    rest = n - 1 - j0
    V = np.full((K.shape[0], S, 2, 2), NEG, dtype=np.int64)
    okP = (np.abs(P) <= j0) & ((P + j0) % 2 == 0)
    for hi in range(2):
        h = sg[hi]
        R = K - P[None, :] - h
        ok = okP[None, :] & (np.abs(R) <= rest) & ((R + rest) % 2 == 0)
        for gi in range(2):
            g = sg[gi]
            val = g * (P[None, :] + h - K) * unit + _cell(pos[0], neg[0])[gi, hi]
            V[:, :, gi, hi] = np.where(ok, val, NEG)
    yield V
    for t in range(1, len(step)):
        cell = _cell(pos[t], neg[t])
        W = np.full_like(V, NEG)
        if step[t] == 1:
            best = V.max(axis=3)  # over the previous h: (k, p, g)
            # h2 = +1: p = p2 + 1; h2 = -1: p = p2 - 1
            W[:, :-1, :, 0] = np.where(best[:, 1:] > _HALF, best[:, 1:] + cell[:, 0][None, None, :], NEG)
            W[:, 1:, :, 1] = np.where(best[:, :-1] > _HALF, best[:, :-1] + cell[:, 1][None, None, :], NEG)
        else:
            closed = np.where(V > _HALF, V + (sg[None, None, :, None] * P[None, :, None, None]) * unit, NEG)
            Z = closed.max(axis=2)  # (k, p, h)
            for h2i in range(2):
                h2 = sg[h2i]
                if step[t] == 2:
                    best = Z[:, :, h2i]
                else:
                    Y = Z.max(axis=2)
                    best = np.full_like(Y, NEG)
                    if h2 == 1:
                        best[:, :-1] = Y[:, 1:]
                    else:
                        best[:, 1:] = Y[:, :-1]
                for g2i in range(2):
                    g2 = sg[g2i]
                    val = best + g2 * (P[None, :] + h2 - K) * unit + cell[g2i, h2i]
                    W[:, :, g2i, h2i] = np.where(best > _HALF, val, NEG)
        V = _clean(W)
        yield V


def _finish_numpy(V, col, n, Ks, unit, extra):  # noqa: ANN001, ANN202
    S = 2 * n + 1
    P = np.arange(S, dtype=np.int64) - n
    jl = int(col[-1])
    okP = (np.abs(P) <= jl) & ((P + jl) % 2 == 0)
    sg = np.array([1, -1], dtype=np.int64)
    closed = np.where((V > _HALF) & okP[None, :, None, None], V + (sg[None, None, :, None] * P[None, :, None, None]) * unit, NEG)
    return closed, closed.reshape(closed.shape[0], -1).max(axis=1) + extra * np.abs(np.asarray(Ks, dtype=np.int64)) * unit


def chain_leaves_numpy(step, col, pos, neg, n, Ks, unit, extra) -> NDArray[np.int64]:  # noqa: ANN001
    """Numpy twin of :func:`chain_leaves` (vectorised over ``K``; same integers).

    >>> import numpy as np
    >>> st = np.array([0, 3], np.int8); co = np.array([1, 0]); z = np.zeros(2, np.int64)
    >>> chain_leaves_numpy(st, co, z, z, 2, np.array([0, 2]), 1, 0).tolist()   # h = (1, -1) and h = (1, 1) both reach 1/2 = 2 units of 1/N^2
    [2, 2]
    """
    V = None
    for V in _steps_numpy(step, col, pos, neg, n, Ks, unit):  # noqa: B007 - only the last layer is kept
        pass
    return _finish_numpy(V, col, n, Ks, unit, extra)[1]


def chain_path_numpy(step, col, pos, neg, n, K, unit, extra):  # noqa: ANN001, ANN202
    """Optimal value for one end value ``K`` and a maximising path on the chain.

    Returns ``(value_units, g_chain, h_chain, p_chain)``: the signs chosen at each
    chain cell (``g`` of the cell's row, ``h`` of its column) and the prefix sum
    ``P(column)``.  Only int8 argmax codes are stored per cell (``O(N^2)`` bytes).
    """
    S = 2 * n + 1
    sg = np.array([1, -1], dtype=np.int64)
    P = np.arange(S, dtype=np.int64) - n
    gen = _steps_numpy_codes(step, col, pos, neg, n, K, unit)
    codes = []
    V = None
    for V, code in gen:  # noqa: B007 - V: the last layer is used after the loop
        codes.append(code)
    jl = int(col[-1])
    okP = (np.abs(P) <= jl) & ((P + jl) % 2 == 0)
    closed = np.where((V > _HALF) & okP[:, None, None], V + (sg[None, :, None] * P[:, None, None]) * unit, NEG)
    p, gi, hi = np.unravel_index(int(np.argmax(closed)), closed.shape)
    val = int(closed[p, gi, hi]) + extra * abs(int(K)) * unit
    L = len(step)
    g_ch = np.zeros(L, dtype=np.int8)
    h_ch = np.zeros(L, dtype=np.int8)
    p_ch = np.zeros(L, dtype=np.int64)
    for t in range(L - 1, -1, -1):
        g_ch[t], h_ch[t], p_ch[t] = sg[gi], sg[hi], p - n
        if t == 0:
            break
        c = codes[t]
        if step[t] == 1:  # previous: same g, prefix p + h, previous h from the code
            p, hi = p + sg[hi], int(c[p, gi, hi])
        elif step[t] == 2:  # previous: same p and h, previous g from the code
            gi = int(c[p, gi, hi])
        else:  # previous prefix p + h; code = 2 * g_prev + h_prev
            p, code = p + sg[hi], int(c[p, gi, hi])
            gi, hi = code // 2, code % 2
    return val, g_ch, h_ch, p_ch


def _steps_numpy_codes(step, col, pos, neg, n, K, unit):  # noqa: ANN001, ANN202
    """Single-K DP yielding ``(V[p, g, h], code[p, g, h])`` per chain cell (code: argmax predecessor)."""
    S = 2 * n + 1
    P = np.arange(S, dtype=np.int64) - n
    sg = np.array([1, -1], dtype=np.int64)
    V0 = next(_steps_numpy(step[:1], col, pos, neg, n, [K], unit))[0]
    yield V0, None
    V = V0
    for t in range(1, len(step)):
        cell = _cell(pos[t], neg[t])
        W = np.full_like(V, NEG)
        code = np.zeros(V.shape, dtype=np.int8)
        if step[t] == 1:
            am = np.argmax(V, axis=2)  # previous h per (p, g)
            best = np.take_along_axis(V, am[:, :, None], axis=2)[:, :, 0]
            W[:-1, :, 0] = np.where(best[1:] > _HALF, best[1:] + cell[:, 0][None, :], NEG)
            W[1:, :, 1] = np.where(best[:-1] > _HALF, best[:-1] + cell[:, 1][None, :], NEG)
            code[:-1, :, 0] = am[1:]
            code[1:, :, 1] = am[:-1]
        else:
            closed = np.where(V > _HALF, V + (sg[None, :, None] * P[:, None, None]) * unit, NEG)  # (p, g, h)
            for h2i in range(2):
                h2 = sg[h2i]
                if step[t] == 2:
                    gbest = np.argmax(closed[:, :, h2i], axis=1)
                    best = closed[np.arange(S), gbest, h2i]
                    cd = gbest
                else:
                    flat = closed.reshape(S, 4)
                    am = np.argmax(flat, axis=1)
                    Y = flat[np.arange(S), am]
                    best = np.full(S, NEG, dtype=np.int64)
                    cd = np.zeros(S, dtype=np.int64)
                    if h2 == 1:
                        best[:-1], cd[:-1] = Y[1:], am[1:]
                    else:
                        best[1:], cd[1:] = Y[:-1], am[:-1]
                for g2i in range(2):
                    g2 = sg[g2i]
                    val = best + g2 * (P + h2 - K) * unit + cell[g2i, h2i]
                    W[:, g2i, h2i] = np.where(best > _HALF, val, NEG)
                    code[:, g2i, h2i] = cd
        V = _clean(W)
        yield V, code
