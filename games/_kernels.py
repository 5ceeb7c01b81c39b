"""Numba kernels for the classical searches, each with a plain-numpy twin.

The twins run the same algorithm on the same random inputs and must return
identical results; tests check this on small instances.
"""

from __future__ import annotations

import math

import numba
import numpy as np
from numpy.typing import NDArray

__all__ = ["anneal_kernel", "anneal_twin"]


@numba.njit(cache=True)
def anneal_kernel(
    S: NDArray[np.float64],
    g: NDArray[np.float64],
    h: NDArray[np.float64],
    temps: NDArray[np.float64],
    sites: NDArray[np.int64],
    u: NDArray[np.float64],
) -> float:
    """Single-flip Metropolis annealing of ``g^T S h`` over ``g, h`` in {+1, -1}^N.

    ``sites[k]`` in ``[0, 2N)`` picks the spin proposed at step ``k``
    (``< N``: ``g``, else ``h``); ``u[k]`` is its acceptance uniform;
    ``temps[k // (2N)]`` the temperature of the sweep.  ``g`` and ``h`` are
    updated in place; returns the final objective ``g^T S h``.
    """
    n = g.size
    r = S @ h  # r = S h
    c = S.T @ g  # c = S^T g
    per_sweep = 2 * n
    for k in range(sites.size):
        T = temps[k // per_sweep]
        s = sites[k]
        if s < n:
            delta = -2.0 * g[s] * r[s]
            if delta >= 0.0 or u[k] < math.exp(delta / T):
                g[s] = -g[s]
                two = 2.0 * g[s]
                for j in range(n):
                    c[j] += two * S[s, j]
        else:
            j = s - n
            delta = -2.0 * h[j] * c[j]
            if delta >= 0.0 or u[k] < math.exp(delta / T):
                h[j] = -h[j]
                two = 2.0 * h[j]
                for i in range(n):
                    r[i] += two * S[i, j]
    return float(g @ (S @ h))


def anneal_twin(
    S: NDArray[np.float64],
    g: NDArray[np.float64],
    h: NDArray[np.float64],
    temps: NDArray[np.float64],
    sites: NDArray[np.int64],
    u: NDArray[np.float64],
) -> float:
    """Plain-numpy twin of :func:`anneal_kernel` (same inputs, same result)."""
    n = g.size
    r = S @ h
    c = S.T @ g
    per_sweep = 2 * n
    for k in range(sites.size):
        T = temps[k // per_sweep]
        s = int(sites[k])
        if s < n:
            delta = -2.0 * g[s] * r[s]
            if delta >= 0.0 or u[k] < math.exp(delta / T):
                g[s] = -g[s]
                c += 2.0 * g[s] * S[s, :]
        else:
            j = s - n
            delta = -2.0 * h[j] * c[j]
            if delta >= 0.0 or u[k] < math.exp(delta / T):
                h[j] = -h[j]
                r += 2.0 * h[j] * S[:, j]
    return float(g @ (S @ h))
