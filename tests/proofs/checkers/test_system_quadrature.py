"""Tests of :mod:`proofs.checkers.system_quadrature`: closed forms, and every end bound against independent mpmath quadrature."""

from __future__ import annotations

from fractions import Fraction

import mpmath as mp
import pytest

from proofs.checkers import system_quadrature as sq
from proofs.checkers.system_law import PREC, Service
from proofs.checkers.system_quadrature import quadratic_moments
from proofs.exact.laws import exact_law, working_precision
from proofs.exact.rational import arb_fraction


def test_quadratic_moments_closed_forms() -> None:
    # q = (x - 0)^2 + tiny: E[sqrt q] ~ E[X] = 1; q = 1 (a2 tiny): E[1/sqrt q] ~ 1
    J, I0, I1, I2 = quadratic_moments(Fraction(1), Fraction(1), Fraction(0), Fraction(1, 10**40))
    assert abs(float(J.mid()) - 1.0) < 1e-15
    J, I0, I1, I2 = quadratic_moments(Fraction(2), Fraction(1, 10**30), Fraction(0), Fraction(1))
    assert abs(float(I0.mid()) - 1.0) < 1e-12 and abs(float(I1.mid()) - 0.5) < 1e-12 and abs(float(I2.mid()) - 0.5) < 1e-12
    # a sharp turn still encloses: E[1/sqrt((x - 1)^2 + d^2)] finite and the ball narrow
    J, I0, I1, I2 = quadratic_moments(Fraction(1), Fraction(1), Fraction(1), Fraction(1, 10**12))
    assert I0.rad() < 1e-15 and float(I0.mid()) > 5


def _mp_quadratic_moment(name: str, p: Fraction, j: int, a2: Fraction, xs: Fraction, de: Fraction):  # noqa: ANN202
    """``E[sqrt q]`` (``j = -1``) or ``E[X^j / sqrt q]`` by mpmath quadrature of the textbook density."""
    from tests.proofs.exact.test_laws import _mp_pdf

    pm = mp.mpf(p.numerator) / p.denominator
    q = lambda x: mp.mpf(a2.numerator) / a2.denominator * (x - mp.mpf(xs.numerator) / xs.denominator) ** 2 + mp.mpf(de.numerator) / de.denominator  # noqa: E731
    g = (lambda x: mp.sqrt(q(x))) if j < 0 else (lambda x: x**j / mp.sqrt(q(x)))
    pts = [0, mp.mpf(10) ** -30, mp.mpf(10) ** -20, mp.mpf(10) ** -12, mp.mpf(10) ** -6, 1, 4, 16, 64, 256, 4096, 2**20, mp.inf]
    return mp.quad(lambda x: g(x) * _mp_pdf(name, pm, x), pts)


def _contains_mp(ball, value) -> bool:  # noqa: ANN001
    lo, hi = mp.mpf(ball.lower().str(40, radius=False)), mp.mpf(ball.upper().str(40, radius=False))
    return lo - mp.mpf(10) ** -15 <= value <= hi + mp.mpf(10) ** -15


@pytest.mark.parametrize(("law", "end"), [(("weibull", Fraction(1, 2)), "_left_end"), (("lomax", Fraction(3)), "_right_end")])
def test_quadrature_end_bounds_are_needed_margins(monkeypatch, law: tuple, end: str) -> None:  # noqa: ANN001
    # with a coarse cut-off (F(eps), tail <= 2^-20) the [0, eps] ball (Weibull 1/2: density ~ x^{-1/2} at 0) and the tail
    # bound (Lomax 3: E[X^2; X > L] ~ 1/L) carry mass ~1e-6: with them the enclosure holds, without them it misses
    mp.mp.dps = 20
    name, p = law
    elaw = exact_law({"law": name, "param": f"{p.numerator}/{p.denominator}"})
    a2, xs, de = Fraction(1), Fraction(3, 2), Fraction(1, 100)
    want = [_mp_quadratic_moment(name, p, j, a2, xs, de) for j in (-1, 0, 1, 2)]
    assert all(_contains_mp(b, w) for b, w in zip(quadratic_moments(elaw, a2, xs, de), want))  # the normal cut-off
    monkeypatch.setattr(sq, "_NEGLIGIBLE", Fraction(1, 2**20))
    got = quadratic_moments(elaw, a2, xs, de)
    assert all(_contains_mp(b, w) for b, w in zip(got, want))
    orig = getattr(sq, end)
    monkeypatch.setattr(sq, end, lambda *a: (orig(*a)[0], [0 * x for x in orig(*a)[1]]))
    got = quadratic_moments(elaw, a2, xs, de)
    assert not all(_contains_mp(b, w) for b, w in zip(got, want))


def _mp_quadratic_moment_general(name: str, p: Fraction, j: int, a2: Fraction, xs: Fraction, de: Fraction):  # noqa: ANN202
    """Like ``_mp_quadratic_moment`` with break points at ``x*`` and around it (any sign of ``x*``)."""
    from tests.proofs.exact.test_laws import _mp_pdf

    pm = mp.mpf(p.numerator) / p.denominator
    xm = mp.mpf(xs.numerator) / xs.denominator
    q = lambda x: mp.mpf(a2.numerator) / a2.denominator * (x - xm) ** 2 + mp.mpf(de.numerator) / de.denominator  # noqa: E731
    g = (lambda x: mp.sqrt(q(x))) if j < 0 else (lambda x: x**j / mp.sqrt(q(x)))
    pts = sorted({mp.mpf(0), mp.mpf(10) ** -12, mp.mpf(10) ** -6, mp.mpf(1), mp.mpf(4), mp.mpf(16), mp.mpf(64), mp.mpf(256), mp.mpf(4096), mp.mpf(2**20)}
                 | ({xm, xm - 1, xm + 1} if xm > 1 else set()))
    return mp.quad(lambda x: g(x) * _mp_pdf(name, pm, x), [*pts, mp.inf])


def test_left_end_is_the_whole_ball_zero_to_eps(monkeypatch) -> None:  # noqa: ANN001
    # a very coarse cut-off (F(eps) <= 1/4) puts real mass on [0, eps] (Weibull 1/2: eps = 1/256, F(eps) ~ 0.085): the integrand
    # factor g varies over [0, eps] (x / sqrt q from 0 to eps / sqrt q(eps)), so only g on the whole ball [0, eps] encloses the head
    mp.mp.dps = 20
    p = Fraction(1, 2)
    elaw = exact_law({"law": "weibull", "param": "1/2"})
    a2, xs, de = Fraction(1), Fraction(3, 2), Fraction(1, 100)
    want = [_mp_quadratic_moment_general("weibull", p, j, a2, xs, de) for j in (-1, 0, 1, 2)]
    monkeypatch.setattr(sq, "_NEGLIGIBLE", Fraction(1, 4))
    got = quadratic_moments(elaw, a2, xs, de)
    mp.mp.dps = 15
    assert all(_contains_mp(b, w) for b, w in zip(got, want))
    assert float(got[2].rad()) < 0.1  # the enclosure still says something


def test_tail_bound_counts_a_negative_turning_point(monkeypatch) -> None:  # noqa: ANN001
    # Lomax 3 with x* = -20: beyond L, sqrt q ~ x + 20, so the tail of E[sqrt q] is E[X; X > L] + 20 P(X > L); with the cut-off
    # at 2^-20 the term 20 P(X > L) (~1e-9) is far above the enclosure's other errors and must be in the tail bound
    mp.mp.dps = 20
    p = Fraction(3)
    elaw = exact_law({"law": "lomax", "param": "3"})
    a2, xs, de = Fraction(1), Fraction(-20), Fraction(1, 100)
    want = _mp_quadratic_moment_general("lomax", p, -1, a2, xs, de)
    monkeypatch.setattr(sq, "_NEGLIGIBLE", Fraction(1, 2**20))
    got = quadratic_moments(elaw, a2, xs, de)[0]
    mp.mp.dps = 15
    assert _contains_mp(got, want)

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
