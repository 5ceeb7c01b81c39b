"""Arb enclosures of the catalogue laws against mpmath at 50 digits (an independent implementation)."""

from fractions import Fraction

import mpmath as mp
import pytest
from flint import arb

from proofs.exact.errors import CertificateFormatError, QcoordError, QcoordParameterError
from proofs.exact.laws import exact_law, working_precision


@pytest.fixture(autouse=True)
def _fifty_digits():
    """The mpmath references of this module at 50 digits, whatever ran before (tests/conftest.py restores the precision after)."""
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


# ---------------------------------------------------------------- partial moments

def _mp_pdf(name, p, x):
    """Densities written from the textbook definitions (not from the arb closed forms)."""
    if name == "exponential":
        return mp.exp(-x)
    if name == "gamma":
        return p**p * x ** (p - 1) * mp.exp(-p * x) / mp.gamma(p)
    if name == "hyperexponential":
        w = mp.sqrt((p * p - 1) / (p * p + 1))
        p1 = (1 + w) / 2
        return p1 * 2 * p1 * mp.exp(-2 * p1 * x) + (1 - p1) * 2 * (1 - p1) * mp.exp(-2 * (1 - p1) * x)
    if name == "lognormal":
        return mp.npdf(mp.log(x), -p * p / 2, p) / x
    if name == "weibull":
        lam = mp.gamma(1 + 1 / p)  # 1 / scale
        return p * lam * (lam * x) ** (p - 1) * mp.exp(-((lam * x) ** p))
    if name == "lomax":
        return p / (p - 1) * (1 + x / (p - 1)) ** (-p - 1)
    return mp.mpf(1) / 2 if x < 2 else mp.mpf(0)


def _mp_tail(name, p, j, L):
    """``E[X^j; X > L]`` by tanh-sinh quadrature of the density (independent of the closed forms)."""
    f = lambda x: x**j * _mp_pdf(name, p, x)  # noqa: E731
    if name == "uniform":
        return mp.quad(f, [L, 2]) if L < 2 else mp.mpf(0)
    # geometric break points: the Weibull(1/2) density is singular at 0, the Lomax tail is heavy
    pts = [L] + [v for v in (mp.mpf(10) ** -20, mp.mpf(10) ** -16, mp.mpf(10) ** -12, mp.mpf(10) ** -8, mp.mpf(10) ** -4, 1, 4, 16, 64, 256, 1024, 4096) if v > L] + [mp.inf]
    return mp.quad(f, pts)


_QUAD_REL = mp.mpf(10) ** -24


def _close(ball, want, rel=_QUAD_REL):
    """The ball contains ``want`` up to the quadrature's own error ``rel`` (far below any certificate margin)."""
    mid, rad = mp.mpf(ball.mid().str(60, radius=False)), mp.mpf(ball.rad().str(10, radius=False))
    return abs(mid - want) <= rad + rel * max(1, abs(want))


CATALOGUE_13 = [
    ("exponential", None), ("gamma", 2), ("gamma", 4), ("gamma", 16), ("hyperexponential", 2), ("hyperexponential", 4),
    ("lognormal", Fraction(1, 2)), ("lognormal", 1), ("lognormal", Fraction(3, 2)), ("weibull", Fraction(1, 2)), ("weibull", 2),
    ("lomax", 3), ("uniform", None),
]


def _pm(p):
    return None if p is None else mp.mpf(Fraction(p).numerator) / Fraction(p).denominator


@pytest.mark.parametrize("name, p", CATALOGUE_13)
@pytest.mark.parametrize("L", ["0", "0.3", "9"])
def test_partial_moments_contain_mpmath_quadrature(name, p, L):
    mp.mp.dps = 34
    law = _law(name, p)
    with working_precision(200):
        Lb = arb(Fraction(L).numerator) / Fraction(L).denominator
    for j in (0, 1, 2):
        ball = law.partial_moment(j, Lb)
        want = _mp_tail(name, _pm(p), j, mp.mpf(Fraction(L).numerator) / Fraction(L).denominator)
        assert _close(ball, want), (j, ball, want)
        assert float(ball.rad()) < 1e-25 * max(1.0, float(want))
    mp.mp.dps = 50


@pytest.mark.parametrize("name, p", CATALOGUE_13)
def test_moments_closed_forms(name, p):
    # E[X^0] = 1 and E[X] = 1 (every law has mean 1); E[X^2] = 1 + CV^2 with the catalogue's textbook CVs
    law = _law(name, p)
    pm = _pm(p)
    m2 = {"exponential": lambda: 2, "gamma": lambda: 1 + 1 / pm, "hyperexponential": lambda: 1 + pm**2, "uniform": lambda: mp.mpf(4) / 3,
          "lognormal": lambda: mp.exp(pm**2), "lomax": lambda: 2 * (pm - 1) / (pm - 2),
          "weibull": lambda: mp.gamma(1 + 2 / pm) / mp.gamma(1 + 1 / pm) ** 2}[name]()
    assert _close(law.moment(0), mp.mpf(1), 0) and _close(law.moment(1), mp.mpf(1), 0) and _close(law.moment(2), m2, 0)


def test_partial_moment_over_a_ball_is_the_hull_of_its_ends():
    law = _law("lognormal", 1)
    ball = law.partial_moment(1, arb("1.5 +/- 0.5"))
    assert ball.contains(law.partial_moment(1, arb(1))) and ball.contains(law.partial_moment(1, arb(2)))
    assert float(ball.rad()) < 0.6 * float((law.partial_moment(1, arb(1)) - law.partial_moment(1, arb(2))).mid())


@pytest.mark.parametrize("j, L", [(3, "1"), (1, "-1"), (0, "inf")])
def test_partial_moment_bad_input(j, L):
    with pytest.raises(QcoordParameterError):
        _law("gamma", 2).partial_moment(j, arb(L))


def test_infinite_variance_second_moment_refused():
    law = _law("lomax", 2)
    assert not law.finite_variance and _law("lomax", 3).finite_variance
    with pytest.raises(QcoordParameterError, match="infinite variance"):
        law.moment(2)
    assert _contains(law.moment(1), mp.mpf(1))


@pytest.mark.parametrize("desc, match", [
    ({"law": "gamma", "param": "1e999999999"}, "`param`"),  # refused by the bounded parser, never expanded
    ({"law": "lognormal", "param": "1e-999999999"}, "`param`"),
    ({"law": "hyperexponential", "param": "101"}, r"\(1, 100\]"),
    ({"law": "lomax", "param": str(10**399)}, r"\(1, 100\]"),
])
def test_law_parameters_parsed_with_limits(desc, match):
    with pytest.raises(QcoordError, match=match):
        exact_law(desc)
