"""Tests of bounds._xor_kernels: the numba kernel against its numpy twin, and the dual it returns."""

from __future__ import annotations

import numpy as np

from bounds import _xor_kernels


def test_numba_matches_numpy_twin() -> None:
    rng = np.random.default_rng(2)
    m = rng.standard_normal((5, 7))
    m /= np.abs(m).sum()
    v = rng.standard_normal((7, 4))
    v /= np.linalg.norm(v, axis=1)[:, None]
    u = np.zeros((5, 4))
    u[:, 0] = 1.0
    a = _xor_kernels.direct(m, np.ascontiguousarray(m.T), u, v, 50, 0.0)
    b = _xor_kernels.direct_numpy(m, np.ascontiguousarray(m.T), u, v, 50, 0.0)
    for p, q in zip(a[:4], b[:4]):
        assert np.allclose(p, q, atol=1e-12)
    assert abs(a[4] - b[4]) < 1e-12 and a[5] == b[5]


def test_chsh_multipliers_and_dual() -> None:
    # CHSH: the multipliers sum to sqrt(2)/2 and the dual matrix is PSD up to rounding (lambda_min ~ 0)
    m = np.array([[1.0, 1.0], [1.0, -1.0]]) / 4
    rng = np.random.default_rng(0)
    v = rng.standard_normal((2, 3))
    v /= np.linalg.norm(v, axis=1)[:, None]
    _u, v, x, y, lam, _ = _xor_kernels.direct(m, np.ascontiguousarray(m.T), np.eye(2, 3), v, 10000, 1e-16)
    assert abs(x.sum() + y.sum() - 2**0.5 / 2) < 1e-12
    assert abs(lam) < 1e-10
