"""Arb enclosures of the catalogue laws against mpmath at 50 digits (an independent implementation)."""

from fractions import Fraction

import mpmath as mp
import pytest
from flint import arb

from proofs.exact.errors import CertificateFormatError, QcoordParameterError
from proofs.exact.laws import exact_law, working_precision

mp.mp.dps = 50


def _mp_cdf(name, p, x):
    x = mp.mpf(x)
    if name == "exponential":
        return 1 - mp.exp(-x)
    if name == "gamma":
        return mp.gammainc(p, 0, p * x, regularized=True)
    if name == "hyperexponential":
        w = mp.sqrt((p * p - 1) / (p * p + 1))
        p1 = (1 + w) / 2
        return 1 - p1 * mp.exp(-2 * p1 * x) - (1 - p1) * mp.exp(-2 * (1 - p1) * x)
    if name == "lognormal":
        return mp.ncdf((mp.log(x) + p * p / 2) / p)
    if name == "weibull":
        return 1 - mp.exp(-((x * mp.gamma(1 + 1 / p)) ** p))
    if name == "lomax":
        return 1 - (1 + x / (p - 1)) ** (-p)
    return x / 2


LAWS = [
    ("exponential", None), ("gamma", 2), ("gamma", 16), ("hyperexponential", 4), ("lognormal", Fraction(1, 2)),
    ("lognormal", Fraction(3, 2)), ("weibull", Fraction(1, 2)), ("weibull", 2), ("lomax", 3), ("uniform", None),
]


def _law(name, p):
    return exact_law({"law": name, **({} if p is None else {"param": str(p)})})


def _contains(ball, value):
    lo, hi = ball.lower(), ball.upper()
    # compare as exact rationals via mpmath at 50 digits: the ball's end points are dyadic
    return mp.mpf(lo.str(60, radius=False)) <= value <= mp.mpf(hi.str(60, radius=False)) or (ball.rad() == 0 and abs(mp.mpf(ball.mid().str(60, radius=False)) - value) < mp.mpf(10) ** -45)


@pytest.mark.parametrize("name, p", LAWS)
@pytest.mark.parametrize("x", ["0.01", "0.3", "1", "1.7", "4.5"])
def test_cdf_enclosure_contains_mpmath(name, p, x):
    # each enclosure must contain the 50-digit value and be narrow (a loose ball would pass trivially)
    law = _law(name, p)
    pm = None if p is None else mp.mpf(p.numerator if isinstance(p, Fraction) else p) / (p.denominator if isinstance(p, Fraction) else 1)
    with working_precision(200):
        xb = arb(x)  # the decimal read at 200 bits, so the input's own radius stays negligible
    ball = law.cdf(xb)
    want = _mp_cdf(name, pm, mp.mpf(x)) if not (name == "uniform" and float(x) >= 2) else mp.mpf(1)
    assert _contains(ball, want)
    assert float(ball.rad()) < 1e-25


@pytest.mark.parametrize("name, p", LAWS)
@pytest.mark.parametrize("u", [Fraction(1, 1000), Fraction(1, 7), Fraction(1, 2), Fraction(63, 64), Fraction(999, 1000)])
def test_ppf_enclosure_contains_mpmath(name, p, u):
    law = _law(name, p)
    pm = None if p is None else mp.mpf(Fraction(p).numerator) / Fraction(p).denominator
    ball = law.ppf(u)
    guess = mp.mpf(float(ball.mid()))
    root = mp.findroot(lambda x: _mp_cdf(name, pm, x) - mp.mpf(u.numerator) / u.denominator, guess)
    assert _contains(ball, root)
    assert float(ball.rad()) < 1e-12 * max(1.0, float(root))


def test_ppf_ends():
    law = _law("gamma", 2)
    assert law.ppf(Fraction(0)) == 0
    assert not law.ppf(Fraction(1)).is_finite()
    assert _law("uniform", None).ppf(Fraction(1)) == 2


@pytest.mark.parametrize("x", ["-1", "0"])
def test_cdf_below_support_is_zero(x):
    assert exact_law({"law": "lognormal", "param": "1"}).cdf(arb(x)) == 0


def test_cdf_ball_straddling_zero_is_a_hull():
    # a ball [-0.1, 0.1] has F in [0, F(0.1)]: the hull must contain both ends
    ball = exact_law({"law": "exponential"}).cdf(arb(0, 0.1))
    assert ball.contains(0) and ball.contains(arb(1) - (-arb(0.1)).exp())


@pytest.mark.parametrize(
    "desc, err",
    [
        ({"law": "cauchy"}, QcoordParameterError),  # unknown law
        ({"law": "gamma", "param": "5/2"}, QcoordParameterError),  # Erlang needs an integer shape
        ({"law": "hyperexponential", "param": "1"}, QcoordParameterError),  # cv must exceed 1
        ({"law": "lomax", "param": "1"}, QcoordParameterError),  # infinite mean
        ({"law": "uniform", "param": "2"}, QcoordParameterError),  # takes no parameter
        ({"law": "weibull"}, QcoordParameterError),  # missing parameter
        ({"law": "weibull", "param": 0.5}, CertificateFormatError),  # floats are not exact
        ("gamma", CertificateFormatError),  # not a JSON object
    ],
)
def test_bad_input(desc, err):
    with pytest.raises(err):
        exact_law(desc)
