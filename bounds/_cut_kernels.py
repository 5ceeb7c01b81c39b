"""Numba kernels of the triangle-cut node bound (:mod:`bounds.xor_cuts`), each with a plain-numpy twin.

:func:`mix` is the mixing method (Wang, Chang & Kolter 2017) on a general
symmetric matrix ``M`` with zero diagonal: it ascends
``<M, V V^T> = sum_ij M_ij <v_i, v_j>`` over unit rows ``v_i`` by
Gauss-Seidel steps ``v_i <- (M V)_i / ||(M V)_i||`` (each an exact
maximisation over ``v_i``, so the objective never decreases).
:func:`cut_matrix` adds ``sum_t mu_t T_t`` to a matrix, :func:`cut_values`
evaluates ``s1 X_ij + s2 X_ik + s3 X_jk`` at ``X = V V^T`` for a list of
triangles, and :func:`separate` finds the most violated triangle
inequalities of ``X`` over all triples.  The twins ``*_numpy`` do the same
arithmetic (tests check they agree).
"""

from __future__ import annotations

import itertools

import numpy as np
from numba import njit
from numpy.typing import NDArray

__all__ = ["PATTERNS", "cut_matrix", "cut_values", "cut_values_numpy", "mix", "mix_numpy", "separate", "separate_numpy"]

#: the four sign patterns ``(s1, s2, s3)`` with ``s1 s2 s3 = +1`` of a triangle ``i < j < k`` (pairs ``ij``, ``ik``, ``jk``)
PATTERNS = np.array([[1, 1, 1], [1, -1, -1], [-1, 1, -1], [-1, -1, 1]], dtype=np.int64)


@njit(cache=True, nogil=True)
def mix(m: np.ndarray, v: np.ndarray, sweeps: int, tol: float):  # noqa: ANN202
    """Gauss-Seidel mixing sweeps on ``m`` (symmetric, zero diagonal) from the unit rows ``v`` (copied); returns ``(v, value, sweeps done)``.

    Stops after ``sweeps`` sweeps or when one sweep raises the value by at
    most ``tol * |value|``.  A row whose ``(M V)_i`` is zero keeps its vector.
    """
    v = v.copy()
    n, k = v.shape
    mv = m @ v
    val = 0.0
    for i in range(n):
        for t in range(k):
            val += v[i, t] * mv[i, t]
    g = np.empty(k)
    done = 0
    for _s in range(sweeps):
        done += 1
        gain = 0.0
        for i in range(n):
            for t in range(k):
                g[t] = 0.0
            for j in range(n):
                w = m[i, j]
                if w != 0.0:
                    for t in range(k):
                        g[t] += w * v[j, t]
            nrm = 0.0
            dot = 0.0
            for t in range(k):
                nrm += g[t] * g[t]
                dot += g[t] * v[i, t]
            if nrm > 0.0:
                nrm = np.sqrt(nrm)
                gain += 2.0 * (nrm - dot)  # value change of replacing v_i (M has a zero diagonal)
                for t in range(k):
                    v[i, t] = g[t] / nrm
        val += gain
        if gain <= tol * abs(val):
            break
    return v, val, done


def mix_numpy(m: NDArray[np.float64], v: NDArray[np.float64], sweeps: int, tol: float) -> tuple[NDArray[np.float64], float, int]:
    """Plain-numpy twin of :func:`mix`.

    >>> m = np.array([[0.0, 1.0], [1.0, 0.0]])
    >>> v, val, _ = mix_numpy(m, np.array([[1.0, 0.0], [0.0, 1.0]]), 10, 0.0)
    >>> round(val, 12)      # v_0 = v_1: <M, V V^T> = 2
    2.0
    """
    v = v.copy()
    val = float(np.einsum("ik,ik->", v, m @ v))
    done = 0
    for _s in range(sweeps):
        done += 1
        gain = 0.0
        for i in range(v.shape[0]):
            g = m[i] @ v
            nrm = float(np.sqrt(g @ g))
            if nrm > 0.0:
                gain += 2.0 * (nrm - float(g @ v[i]))
                v[i] = g / nrm
        val += gain
        if gain <= tol * abs(val):
            break
    return v, val, done


@njit(cache=True, nogil=True)
def cut_matrix(base: np.ndarray, idx: np.ndarray, sg: np.ndarray, mu: np.ndarray) -> np.ndarray:
    """``base + sum_t mu_t T_t`` (a new array; ``T_t`` has ``s/2`` at the triangle's pairs, both orders)."""
    m = base.copy()
    for t in range(idx.shape[0]):
        w = 0.5 * mu[t]
        if w == 0.0:
            continue
        i, j, k = idx[t, 0], idx[t, 1], idx[t, 2]
        m[i, j] += w * sg[t, 0]
        m[j, i] += w * sg[t, 0]
        m[i, k] += w * sg[t, 1]
        m[k, i] += w * sg[t, 1]
        m[j, k] += w * sg[t, 2]
        m[k, j] += w * sg[t, 2]
    return m


@njit(cache=True, nogil=True)
def cut_values(v: np.ndarray, idx: np.ndarray, sg: np.ndarray) -> np.ndarray:
    """``s1 <v_i, v_j> + s2 <v_i, v_k> + s3 <v_j, v_k>`` for each triangle (``>= -1`` at every ``z z^T``)."""
    out = np.empty(idx.shape[0])
    kk = v.shape[1]
    for t in range(idx.shape[0]):
        i, j, k = idx[t, 0], idx[t, 1], idx[t, 2]
        a = 0.0
        b = 0.0
        c = 0.0
        for r in range(kk):
            a += v[i, r] * v[j, r]
            b += v[i, r] * v[k, r]
            c += v[j, r] * v[k, r]
        out[t] = sg[t, 0] * a + sg[t, 1] * b + sg[t, 2] * c
    return out


def cut_values_numpy(v: NDArray[np.float64], idx: NDArray[np.int64], sg: NDArray[np.int64]) -> NDArray[np.float64]:
    """Plain-numpy twin of :func:`cut_values`.

    >>> v = np.array([[1.0, 0.0], [-1.0, 0.0], [0.0, 1.0]])
    >>> cut_values_numpy(v, np.array([[0, 1, 2]]), np.array([[1, 1, 1]]))
    array([-1.])
    """
    i, j, k = idx.T
    return sg[:, 0] * np.einsum("tr,tr->t", v[i], v[j]) + sg[:, 1] * np.einsum("tr,tr->t", v[i], v[k]) + sg[:, 2] * np.einsum("tr,tr->t", v[j], v[k])


@njit(cache=True, nogil=True)
def separate(x: np.ndarray, limit: int, tol: float):  # noqa: ANN202
    """The (at most) ``limit`` most violated triangle inequalities of the symmetric ``x``: ``(idx, sg, values)``, most violated first.

    For each triple ``i < j < k`` only its most violated pattern counts, and
    only if its value is below ``-1 - tol``.
    """
    n = x.shape[0]
    cap = 4 * limit + 64
    bi = np.empty((cap, 3), dtype=np.int64)
    bp = np.empty(cap, dtype=np.int64)
    bv = np.empty(cap)
    cnt = 0
    thr = -1.0 - tol
    for i in range(n):
        for j in range(i + 1, n):
            a = x[i, j]
            for k in range(j + 1, n):
                b = x[i, k]
                c = x[j, k]
                best = a + b + c
                p = 0
                w = a - b - c
                if w < best:
                    best, p = w, 1
                w = -a + b - c
                if w < best:
                    best, p = w, 2
                w = -a - b + c
                if w < best:
                    best, p = w, 3
                if best < thr:
                    if cnt == cap:  # keep the `limit` most violated, raise the threshold to the last kept
                        o = np.argsort(bv[:cnt])[:limit]
                        bi[:limit] = bi[o].copy()
                        bp[:limit] = bp[o].copy()
                        bv[:limit] = bv[o].copy()
                        cnt = limit
                        thr = bv[limit - 1]
                        if not best < thr:
                            continue
                    bi[cnt, 0], bi[cnt, 1], bi[cnt, 2] = i, j, k
                    bp[cnt] = p
                    bv[cnt] = best
                    cnt += 1
    o = np.argsort(bv[:cnt])[:limit]
    sg = np.empty((o.shape[0], 3), dtype=np.int64)
    for t in range(o.shape[0]):
        sg[t] = PATTERNS[bp[o[t]]]  # a global array: a constant of the compiled kernel
    return bi[o].copy(), sg, bv[o].copy()


def separate_numpy(x: NDArray[np.float64], limit: int, tol: float) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
    """Plain-numpy twin of :func:`separate` (ties may be ordered differently).

    >>> x = np.array([[1.0, -1.0, -1.0], [-1.0, 1.0, -1.0], [-1.0, -1.0, 1.0]])   # three mutually opposite vectors
    >>> separate_numpy(x, 4, 0.0)
    (array([[0, 1, 2]]), array([[1, 1, 1]]), array([-3.]))
    """
    n = x.shape[0]
    trip = np.array(list(itertools.combinations(range(n), 3)), dtype=np.int64).reshape(-1, 3)
    i, j, k = trip.T
    vals = PATTERNS[:, 0][None, :] * x[i, j][:, None] + PATTERNS[:, 1][None, :] * x[i, k][:, None] + PATTERNS[:, 2][None, :] * x[j, k][:, None]
    p = np.argmin(vals, axis=1)
    best = vals[np.arange(len(trip)), p]
    keep = np.nonzero(best < -1.0 - tol)[0]
    o = keep[np.argsort(best[keep], kind="stable")][:limit]
    return trip[o], PATTERNS[p[o]], best[o]
