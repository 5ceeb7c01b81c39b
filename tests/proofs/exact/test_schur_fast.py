"""Tests of proofs.exact.schur_fast: the same decision and the same Theorem V shift as proofs.exact.psd.verified_schur_psd."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from proofs.exact.psd import exact_float_sum, verified_schur_psd
from proofs.exact.schur_fast import float_sum, schur_psd


@pytest.mark.parametrize("seed", range(6))
def test_same_decision_and_shift(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, k = int(rng.integers(1, 12)), int(rng.integers(1, 12))
    b = rng.standard_normal((n, k)) / (n * k)
    s = np.linalg.svd(b, compute_uv=False)
    # x = y = t s_max: S = t s I - B^T B / (t s) >= (t - 1/t) s I, PSD iff t >= 1 (up to the other singular values)
    t = 1.2 if seed % 2 == 0 else 0.9
    x = np.full(n, t * s[0]) * rng.uniform(0.999, 1.001, n)
    y = np.full(k, t * s[0]) * rng.uniform(0.999, 1.001, k)
    if seed % 3 == 0:
        x[0] = 0.0
        b[0, :] = 0.0
    ours, ref = schur_psd(b, x, y), verified_schur_psd(b, x, y)
    assert (ours.ok, ours.shift) == (ref.ok, ref.shift)
    if t > 1:
        assert ours.ok and ours.shift > 0


def test_rounding_cannot_prove_a_matrix_that_is_not_psd() -> None:
    # 1 x 1 blocks with y just below b^2 / x (exactly): S < 0, though the float Schur complement may come out >= 0
    rng = np.random.default_rng(11)
    for _ in range(300):
        b, x = float(rng.uniform(0.1, 1.0)), float(rng.uniform(0.1, 1.0))
        exact = Fraction(b) ** 2 / Fraction(x)
        y = float(exact)
        while Fraction(y) >= exact:
            y = float(np.nextafter(y, -np.inf))
        assert not schur_psd(np.array([[b]]), np.array([x]), np.array([y])).ok


def test_margin_decides() -> None:
    b = np.array([[-0.5]])
    assert schur_psd(b, np.array([0.5]), np.array([0.5 + 1e-12])).ok
    assert not schur_psd(b, np.array([0.5]), np.array([0.5])).ok  # singular: no room for the rounding bound
    assert not schur_psd(b, np.array([-0.5]), np.array([1.0])).ok
    assert not schur_psd(np.array([[1.0]]), np.array([0.0]), np.array([1.0])).ok  # x = 0 with a non-zero row


def test_float_sum_is_exact() -> None:
    a = np.array([1e300, 1.0, -1e300, 2.0**-1074, 0.1])
    assert float_sum(a) == exact_float_sum(a) == Fraction(1) + Fraction(2.0**-1074) + Fraction(0.1)
