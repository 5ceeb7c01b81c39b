"""Lipschitz-in-C cell bounds: exact, and never above the lemma's float formula."""

from __future__ import annotations

import math
from fractions import Fraction

import mpmath
import pytest

from proofs.exact import QcoordParameterError
from proofs.exact.lipschitz import cell_lower_bound, log_abs_upper


@pytest.mark.parametrize("k", range(1, 60))
def test_log_abs_upper_encloses_the_log(k: int) -> None:
    mpmath.mp.dps = 50
    c = Fraction(k, 61)
    up = log_abs_upper(c)
    true = -mpmath.log(mpmath.mpf(c.numerator) / c.denominator)
    assert mpmath.mpf(up.numerator) / up.denominator >= true
    assert up - Fraction(float(true)) < Fraction(1, 10**14)


def test_cell_lower_bound_matches_the_lemma() -> None:
    c0, c1, A, B = Fraction(1, 3), Fraction(2, 5), Fraction(76, 100), Fraction(77, 100)
    L, h = math.log(3), 1 / 15
    ref = max((0.76 + 0.77 - L * h) / 2, 0.76 - L * h, 0.77 - L * h)
    got = cell_lower_bound(c0, c1, A, B)
    assert got <= Fraction(ref) and float(got) == pytest.approx(ref, abs=1e-14)
    # equal ends: the bound dips by L h / 2 in the middle of the cell
    assert cell_lower_bound(c0, c1, A, A) < A - Fraction(L * h / 2) + Fraction(1, 10**15)


def test_bad_cells() -> None:
    with pytest.raises(QcoordParameterError):
        cell_lower_bound(Fraction(1, 2), Fraction(1, 3), Fraction(0), Fraction(0))
    with pytest.raises(QcoordParameterError):
        log_abs_upper(Fraction(1))
