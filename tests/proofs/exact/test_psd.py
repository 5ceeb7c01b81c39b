"""Tests of proofs.exact.psd: exact LDL^T and verified Cholesky (Theorem V)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from proofs.exact.errors import QcoordParameterError as ProofsParameterError
from proofs.exact.psd import exact_psd, rump_shift, verified_psd


@pytest.mark.parametrize(
    "matrix, expected",
    [
        ([[2, 1], [1, 2]], True),  # positive definite
        ([[1, 1], [1, 1]], True),  # singular PSD (exact test accepts semidefinite)
        ([[1, 2], [2, 1]], False),  # indefinite
        ([[0, 1], [1, 0]], False),  # zero pivot with non-zero row
        ([[0, 0], [0, 0]], True),  # zero matrix
        ([[Fraction(1, 3), Fraction(1, 3)], [Fraction(1, 3), Fraction(1, 3) - Fraction(1, 10**30)]], False),  # tiny negative eigenvalue
    ],
)
def test_exact_known_cases(matrix: list, expected: bool) -> None:
    assert exact_psd(matrix).ok is expected


def test_exact_rejects_asymmetric() -> None:
    assert not exact_psd([[1, 0], [1e-300, 1]]).ok


def test_verified_known_cases() -> None:
    # PD passes; singular (no margin) and indefinite fail
    assert verified_psd(np.array([[2.0, 1.0], [1.0, 2.0]])).ok
    assert not verified_psd(np.array([[1.0, 1.0], [1.0, 1.0]])).ok
    assert not verified_psd(np.array([[1.0, 2.0], [2.0, 1.0]])).ok
    assert not verified_psd(np.array([[1.0, 0.0], [1e-300, 1.0]])).ok  # not symmetric
    assert not verified_psd(np.array([[np.inf]])).ok


def _spectral(seed: int, n: int, lam_min: float) -> np.ndarray:
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    lam = np.concatenate([[lam_min], rng.uniform(0.5, 2.0, n - 1)])
    a = (q * lam) @ q.T
    return (a + a.T) / 2


@given(st.integers(0, 10_000), st.integers(2, 30))
def test_verified_accepts_well_conditioned(seed: int, n: int) -> None:
    # property: lambda_min = 1e-3 is far above the shift, so the test must succeed
    assert verified_psd(_spectral(seed, n, 1e-3)).ok


@given(st.integers(0, 10_000), st.integers(2, 30))
def test_verified_never_accepts_indefinite(seed: int, n: int) -> None:
    # property: a clearly negative eigenvalue is never "proved" PSD, and the exact test agrees
    a = _spectral(seed, n, -1e-6)
    assert not verified_psd(a).ok
    if n <= 8:
        assert not exact_psd(a).ok


@given(st.integers(0, 10_000), st.integers(2, 8))
def test_exact_and_verified_agree_on_margin(seed: int, n: int) -> None:
    # where the verified test proves PD, the exact test agrees
    a = _spectral(seed, n, 1e-2)
    assert verified_psd(a).ok and exact_psd(a).ok


def test_shift_is_tiny_and_grows_with_trace() -> None:
    c1 = rump_shift(np.eye(10))
    c2 = rump_shift(2 * np.eye(10))
    assert 0 < c1 < c2 < 1e-13


def test_bad_input() -> None:
    with pytest.raises(ProofsParameterError, match="square"):
        verified_psd(np.ones((2, 3)))
    with pytest.raises(ProofsParameterError, match="square"):
        exact_psd([[1, 2, 3]])
    with pytest.raises(ProofsParameterError, match="diagonal"):
        rump_shift(-np.eye(2))


@pytest.mark.parametrize("n", [20])
def test_verified_cholesky_agrees_with_exact_ldl_on_dual_matrices(n: int) -> None:
    # cross-check of Theorem V (and of the BLAS it runs on) against exact rational elimination, 2N x 2N
    from bounds.tsirelson import tsirelson
    from games import discretise, paper_game
    from proofs.exact.psd import dual_matrix

    d = discretise(paper_game(0.33), n)
    r = tsirelson(d)
    z = dual_matrix(d.matrix, r.x, r.y)
    assert verified_psd(z).ok and exact_psd(z).ok
    for cut in (1e-6, 1e-12):  # a dual shifted below feasibility is refused by both
        zc = dual_matrix(d.matrix, r.x - cut, r.y - cut)
        assert not exact_psd(zc).ok and not verified_psd(zc).ok


def test_verified_implies_exact_on_near_singular_matrices() -> None:
    rng = np.random.default_rng(11)
    for _ in range(3):
        b = rng.standard_normal((30, 29))
        base = b @ b.T  # singular in exact arithmetic up to the rounding of the product
        for delta in (1e-8, 1e-12, 0.0):
            a = base + delta * np.eye(30)
            a = np.triu(a) + np.triu(a, 1).T  # exactly symmetric
            if verified_psd(a).ok:
                assert exact_psd(a).ok
