"""Margins of :mod:`proofs.checkers.system_quadrature` against independent 40-digit quadrature (mpmath)."""

from __future__ import annotations

from fractions import Fraction

import mpmath as mp
import pytest

from proofs.checkers import system_quadrature as sq
from proofs.checkers.system_law import PREC, Service
from proofs.exact.laws import exact_law, working_precision
from proofs.exact.rational import arb_fraction


def _mp_tail(j: int, L: Fraction, a2: Fraction, xs: Fraction, de: Fraction):  # noqa: ANN202
    """``int_L^inf g(x) e^{-x} dx`` with ``g = sqrt q`` (``j = -1``) or ``x^j / sqrt q``, ``q = a2 (x - x*)^2 + delta``."""
    A2, X, D = (mp.mpf(v.numerator) / v.denominator for v in (a2, xs, de))
    q = lambda x: A2 * (x - X) ** 2 + D  # noqa: E731
    g = (lambda x: mp.sqrt(q(x))) if j < 0 else (lambda x: x**j / mp.sqrt(q(x)))
    start = mp.mpf(L.numerator) / L.denominator
    return mp.quad(lambda x: g(x) * mp.exp(-x), [start, start + 10, start + 100, mp.inf])


@pytest.mark.parametrize("xstar", [Fraction(10), Fraction(0), Fraction(-10)], ids=["turn-right-of-0", "turn-at-0", "turn-left-of-0"])
def test_right_end_tail_bounds_hold_against_quadrature(xstar: Fraction) -> None:
    # beyond L the four integrals are bounded by sqrt(a2) E[X; X > L] + (sqrt(a2)|x*| + sqrt(delta)) P(X > L) and E[X^j; X > L] / (sqrt(a2) (L - x*));
    # each term of the bound is needed: x* > 0 needs the L - x* (not L), x* = 0 the sqrt(delta), x* < 0 the |x*| P(X > L)
    mp.mp.dps = 40
    try:
        svc = Service(exact_law({"law": "exponential"}))
        a2, de = Fraction(1), Fraction(1)
        with working_precision(PREC):
            L, tails = sq._right_end(svc, a2, xstar, arb_fraction(a2), arb_fraction(xstar), arb_fraction(de))
        assert L >= 90  # e^{-L} below the negligible level: the first L is taken
        for j, bound in zip((-1, 0, 1, 2), tails):
            true = _mp_tail(j, L, a2, xstar, de)
            assert mp.mpf(bound.upper().str(45, radius=False)) >= true, (j, bound, true)
            assert mp.mpf(bound.upper().str(45, radius=False)) <= 2 * true  # and not vacuous
    finally:
        mp.mp.dps = 15
