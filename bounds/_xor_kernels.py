"""Numba kernel of the direct Tsirelson solve of a small rectangular XOR game (one call, no numpy dispatch per step).

:func:`direct` runs the block-coordinate ascent of :func:`bounds._kernels.alternate`
on ``M`` (``rows x cols``), forms the complementary-slackness multipliers
``x_i = 1/2 <u_i, (M V)_i>``, ``y_j = 1/2 <v_j, (M^T U)_j>`` and the smallest
eigenvalue of the dual matrix ``[[diag x, -M/2], [-M^T/2, diag y]]``.  Its
numpy twin :func:`direct_numpy` does the same arithmetic (tests check they agree).
Estimates only: :mod:`proofs.checkers.xor` verifies what is written.
"""

from __future__ import annotations

import numpy as np
from numba import njit
from numpy.typing import NDArray

__all__ = ["direct", "direct_numpy"]


@njit(cache=True)
def _unit_rows(a: np.ndarray, old: np.ndarray) -> np.ndarray:
    out = np.empty_like(a)
    n, k = a.shape
    for i in range(n):
        s = 0.0
        for t in range(k):
            s += a[i, t] * a[i, t]
        if s > 0.0:
            r = 1.0 / np.sqrt(s)
            for t in range(k):
                out[i, t] = a[i, t] * r
        else:
            for t in range(k):
                out[i, t] = old[i, t]
    return out


@njit(cache=True)
def _mul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a @ b`` by loops (no BLAS call: small operands, no thread start-up)."""
    n, k = a.shape
    d = b.shape[1]
    out = np.zeros((n, d))
    for i in range(n):
        for t in range(k):
            ait = a[i, t]
            if ait != 0.0:
                for j in range(d):
                    out[i, j] += ait * b[t, j]
    return out


@njit(cache=True)
def direct(m: np.ndarray, mt: np.ndarray, u: np.ndarray, v: np.ndarray, max_iter: int, tol: float):  # noqa: ANN202
    """Ascent then multipliers and ``lambda_min`` of the dual; returns ``(u, v, x, y, lam, iterations)``."""
    prev = -np.inf
    it = 0
    a = _mul(m, v)
    b = _mul(mt, u)
    for it in range(1, max_iter + 1):
        a = _mul(m, v)
        u = _unit_rows(a, u)
        b = _mul(mt, u)
        val = 0.0
        for j in range(b.shape[0]):
            s = 0.0
            for t in range(b.shape[1]):
                s += b[j, t] * b[j, t]
            val += np.sqrt(s)
        v = _unit_rows(b, v)
        if it >= 5 and val - prev <= tol * abs(val):
            break
        prev = val
    a = _mul(m, v)
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


def direct_numpy(
    m: NDArray[np.float64], mt: NDArray[np.float64], u: NDArray[np.float64], v: NDArray[np.float64], max_iter: int, tol: float
) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], float, int]:
    """:func:`direct` in plain numpy (the reference the tests compare with)."""
    def unit(a: NDArray[np.float64], old: NDArray[np.float64]) -> NDArray[np.float64]:
        nrm = np.linalg.norm(a, axis=1)
        out = old.copy()
        ok = nrm > 0
        out[ok] = a[ok] / nrm[ok, None]
        return out

    prev = -np.inf
    it = 0
    b = mt @ u
    for it in range(1, max_iter + 1):
        u = unit(m @ v, u)
        b = mt @ u
        val = float(np.linalg.norm(b, axis=1).sum())
        v = unit(b, v)
        if it >= 5 and val - prev <= tol * abs(val):
            break
        prev = val
    x = 0.5 * np.sum(u * (m @ v), axis=1)
    y = 0.5 * np.sum(v * b, axis=1)
    rows, cols = m.shape
    z = np.zeros((rows + cols, rows + cols))
    z[:rows, rows:] = -0.5 * m
    z[rows:, :rows] = -0.5 * m.T
    z[np.arange(rows), np.arange(rows)] = x
    z[rows + np.arange(cols), rows + np.arange(cols)] = y
    return u, v, x, y, float(np.linalg.eigvalsh(z)[0]), it
