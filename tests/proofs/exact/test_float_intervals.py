"""Tests of the outward-rounded float vectors: every enclosure against exact rational arithmetic."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from proofs.exact.float_intervals import IVec, conv_nonneg, conv_signed, dn, gamma, up


def _exact_conv(x: np.ndarray, y: np.ndarray) -> list[Fraction]:
    out = [Fraction(0)] * (x.size + y.size - 1)
    for i, a in enumerate(x):
        fa = Fraction(float(a))
        for j, b in enumerate(y):
            out[i + j] += fa * Fraction(float(b))
    return out


def _inside(iv: IVec, exact: list[Fraction]) -> bool:
    return all(Fraction(float(lo)) <= e <= Fraction(float(hi)) for lo, hi, e in zip(iv.lo, iv.hi, exact))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_conv_nonneg_encloses_the_exact_convolution(seed: int) -> None:
    # rounding to nearest errs both ways: without the gamma factor of up() / dn() some entry leaves the enclosure
    rng = np.random.default_rng(seed)
    x, y = rng.random(60) * 10.0 ** rng.integers(-3, 1, 60), rng.random(50)
    c = conv_nonneg(IVec.point(x), IVec.point(y))
    assert _inside(c, _exact_conv(x, y))


def test_up_and_dn_move_a_sum_outward() -> None:
    rng = np.random.default_rng(5)
    x = rng.random(1000)
    s = float(np.sum(x))
    exact = sum(Fraction(float(v)) for v in x)
    assert Fraction(float(dn(s, x.size))) <= exact <= Fraction(float(up(s, x.size)))
    assert gamma(10) > 10 * 2.0**-53


@pytest.mark.parametrize("seed", [0, 1])
def test_sum_and_difference_round_outward(seed: int) -> None:
    rng = np.random.default_rng(seed)
    x, y = rng.random(200), rng.random(200) * 1e-3
    s, d = IVec.point(x) + IVec.point(y), IVec.point(x) - IVec.point(y)
    assert _inside(s, [Fraction(float(a)) + Fraction(float(b)) for a, b in zip(x, y)])
    assert _inside(d, [Fraction(float(a)) - Fraction(float(b)) for a, b in zip(x, y)])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_conv_signed_encloses_the_exact_convolution(seed: int) -> None:
    # point vectors (zero radius): only the gamma term of the midpoint's rounding keeps the enclosure
    rng = np.random.default_rng(seed)
    x, y = rng.standard_normal(40), rng.standard_normal(30)
    c = conv_signed(IVec.point(x), IVec.point(y))
    assert _inside(c, _exact_conv(x, y))


def test_conv_signed_covers_every_vector_inside_the_inputs() -> None:
    rng = np.random.default_rng(3)
    lo_x, lo_y = rng.standard_normal(20), rng.standard_normal(20)
    X, Y = IVec(lo_x, lo_x + rng.random(20) * 0.1), IVec(lo_y, lo_y + rng.random(20) * 0.1)
    c = conv_signed(X, Y)
    for _ in range(5):
        x = X.lo + rng.random(20) * (X.hi - X.lo)
        y = Y.lo + rng.random(20) * (Y.hi - Y.lo)
        assert _inside(c, _exact_conv(x, y))
    for corner in ((X.lo, Y.hi), (X.hi, Y.lo), (X.hi, Y.hi)):
        assert _inside(c, _exact_conv(*corner))


def test_interval_products_and_totals() -> None:
    x = np.array([0.1, -0.3, 0.7])
    v = IVec.point(x).mul(np.array([3.0, -1.0, 0.1]))
    exact = [Fraction(0.1) * 3, Fraction(-0.3) * -1, Fraction(0.7) * Fraction(0.1)]
    assert _inside(v, exact)
    lo, hi = v.total()
    assert Fraction(lo) <= sum(exact) <= Fraction(hi)
    w = IVec.point(x).imul(-0.5, 0.25)
    assert all(lo <= -0.5 * a <= hi and lo <= 0.25 * a <= hi for lo, hi, a in zip(w.lo, w.hi, x))
