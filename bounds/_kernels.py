"""Numba kernels of the first-order Tsirelson solver, each with a plain-numpy twin.

:func:`alternate` runs block-coordinate ascent (the mixing method of Wang,
Chang & Kolter 2017 specialised to a bipartite objective) on
``max sum_ij M_ij <u_i, v_j>`` over unit rows of ``U`` and ``V``: given ``V``
the best ``U`` is ``u_i = (M V)_i / ||(M V)_i||`` and vice versa, so each
half-step is an exact block maximisation and the objective never decreases.
The numpy twin :func:`alternate_numpy` does the same arithmetic (tests check
they agree).  The kernels are serial and release the GIL (``nogil=True``), so
a second Python thread (:mod:`proofs.certify.quantum` builds the cell
enclosure beside the solve) runs while they do.
"""

from __future__ import annotations

import numpy as np
from numba import njit
from numpy.typing import NDArray

__all__ = ["alternate", "alternate_numpy", "normalise_rows", "row_norm_sum"]


@njit(cache=True, nogil=True)
def normalise_rows(a: np.ndarray, old: np.ndarray) -> np.ndarray:
    """Rows of ``a`` scaled to unit norm; a zero row keeps the old unit vector."""
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


@njit(cache=True, nogil=True)
def row_norm_sum(a: np.ndarray) -> float:
    """``sum_i ||a_i||`` over the rows of ``a``."""
    n, k = a.shape
    tot = 0.0
    for i in range(n):
        s = 0.0
        for t in range(k):
            s += a[i, t] * a[i, t]
        tot += np.sqrt(s)
    return tot


@njit(cache=True, nogil=True)
def alternate(m: np.ndarray, mt: np.ndarray, u: np.ndarray, v: np.ndarray, max_iter: int, tol: float, min_iter: int):  # noqa: ANN202
    """Alternating exact block maximisation; returns ``(u, v, value, iterations)``.

    ``mt`` must be ``m.T`` as a C-contiguous array.  Stops when the objective
    gain of one sweep is at most ``tol * value`` (after ``min_iter`` sweeps).
    """
    prev = -np.inf
    val = 0.0
    it = 0
    for it in range(1, max_iter + 1):
        a = m @ v
        u = normalise_rows(a, u)
        b = mt @ u
        val = row_norm_sum(b)
        v = normalise_rows(b, v)
        if it >= min_iter and val - prev <= tol * abs(val):
            break
        prev = val
    return u, v, val, it


def alternate_numpy(
    m: NDArray[np.float64], mt: NDArray[np.float64], u: NDArray[np.float64], v: NDArray[np.float64], max_iter: int, tol: float, min_iter: int
) -> tuple[NDArray[np.float64], NDArray[np.float64], float, int]:
    """Plain-numpy twin of :func:`alternate`.

    >>> m = np.array([[1.0, 1.0], [1.0, -1.0]])
    >>> v0 = np.array([[1.0, 0.0], [0.0, 1.0]])
    >>> u, v, val, it = alternate_numpy(m, m.T.copy(), v0.copy(), v0, 200, 1e-15, 3)
    >>> round(val, 9)   # CHSH: 2 sqrt 2
    2.828427125
    """

    def normalise(a: NDArray[np.float64], old: NDArray[np.float64]) -> NDArray[np.float64]:
        nrm = np.sqrt(np.sum(a * a, axis=1))
        out = old.copy()
        ok = nrm > 0
        out[ok] = a[ok] / nrm[ok, None]
        return out

    prev = -np.inf
    val = 0.0
    it = 0
    for it in range(1, max_iter + 1):
        u = normalise(m @ v, u)
        b = mt @ u
        val = float(np.sum(np.sqrt(np.sum(b * b, axis=1))))
        v = normalise(b, v)
        if it >= min_iter and val - prev <= tol * abs(val):
            break
        prev = val
    return u, v, val, it
