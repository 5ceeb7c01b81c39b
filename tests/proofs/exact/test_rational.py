"""Tests of proofs.exact.rational: the bounded parser and the never-raising float conversions."""

from __future__ import annotations

import math
import random
from fractions import Fraction

import pytest

from proofs.exact.errors import CertificateFormatError
from proofs.exact.rational import arb_fraction, parse_fraction, show_rational, to_float


@pytest.mark.parametrize("text", ["1e999999999", "1E5", "-1e-999999999", "0x10", "1_000", "inf", "nan", " 1", "1/0", "9" * 401, "1/" + "9" * 401])
def test_parser_refuses_before_arithmetic(text: str) -> None:
    with pytest.raises(CertificateFormatError, match="`x`"):
        parse_fraction(text, "x")


def test_parser_reads_the_limits_exactly() -> None:
    assert parse_fraction("9" * 400) == 10**400 - 1
    assert parse_fraction("-3/" + "1" + "0" * 399) == Fraction(-3, 10**399)


def test_to_float_rounds_outward_and_never_raises() -> None:
    rng = random.Random(5)
    for _ in range(200):
        x = Fraction(rng.randint(-(10**30), 10**30), rng.randint(1, 10**30))
        lo, hi = to_float(x, -1), to_float(x, 1)
        assert Fraction(lo) <= x <= Fraction(hi) and math.nextafter(lo, math.inf) >= hi
        assert to_float(x) == float(x)
    assert (to_float(-(10**400)), to_float(-(10**400), 1), to_float(10**400, -1)) == (-math.inf, -1.7976931348623157e308, 1.7976931348623157e308)
    assert to_float(Fraction(1, 10**400), -1) == 0.0 and to_float(Fraction(1, 10**400), 1) == 5e-324


@pytest.mark.parametrize("x, digits, want", [
    (Fraction(2, 3), 12, "0.666666666667"),
    (10**400, 12, "1e+400"),
    (-(10**399) * 7, 3, "-7e+399"),
    (Fraction(2, 3) * 10**350, 5, "6.6667e+349"),
    (Fraction(-1, 3 * 10**350), 4, "-3.333e-351"),
    (Fraction(99999, 10**500), 3, "1e-495"),  # rounds up into the next decade
    (0, 12, "0"),
])
def test_show_rational(x: Fraction, digits: int, want: str) -> None:
    assert show_rational(x, digits) == want


def _exact(end: object) -> Fraction:
    man, exp = end.man_exp()  # type: ignore[attr-defined]
    return Fraction(int(man)) * Fraction(2) ** int(exp)


@pytest.mark.parametrize("prec", [10, 53, 128])
def test_arb_fraction_encloses_the_rational_exactly(prec: int) -> None:
    # the ball's ends, read as exact rationals, bracket q; a dyadic q that fits the precision is exact
    from flint import arb, ctx

    rng = random.Random(prec)
    old = ctx.prec
    ctx.prec = prec
    try:
        for _ in range(200):
            q = Fraction(rng.randint(-(10**40), 10**40), rng.randint(1, 10**40))
            ball = arb_fraction(q)
            lo, hi = _exact(ball.lower()), _exact(ball.upper())
            assert lo <= q <= hi
            assert hi - lo <= abs(q) * Fraction(2) ** (4 - prec) + Fraction(2) ** -1000
        exact = arb_fraction(Fraction(-3, 8))
        assert exact.rad() == 0 and exact == arb(-3) / 8
    finally:
        ctx.prec = old
