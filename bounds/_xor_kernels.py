"""Numba kernel of the direct Tsirelson solve of a small rectangular XOR game (one call, no numpy dispatch per step).

:func:`direct` runs the block-coordinate ascent of :func:`bounds._kernels.alternate` (its row kernels)
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

from bounds._kernels import alternate_numpy, normalise_rows, row_norm_sum
from proofs.exact.psd import dual_matrix

__all__ = ["direct", "direct_numpy"]


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
        u = normalise_rows(a, u)
        b = _mul(mt, u)
        val = row_norm_sum(b)
        v = normalise_rows(b, v)
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
    """:func:`direct` in plain numpy (the reference the tests compare with): :func:`bounds._kernels.alternate_numpy`, multipliers, ``lambda_min``."""
    u, v, _val, it = alternate_numpy(m, mt, u, v, max_iter, tol, 5)
    b = mt @ u
    x = 0.5 * np.sum(u * (m @ v), axis=1)
    y = 0.5 * np.sum(v * b, axis=1)
    return u, v, x, y, float(np.linalg.eigvalsh(dual_matrix(m, x, y))[0]), it
