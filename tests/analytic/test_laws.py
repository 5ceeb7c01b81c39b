"""ServiceLaw: exponential closed forms against the generic scipy/quadrature path."""

import math

import pytest
from scipy import stats

from analytic.errors import AnalyticParameterError
from analytic.laws import ServiceLaw


@pytest.mark.parametrize("lo, hi", [(0.0, 0.3), (0.2, 1.7), (1.0, math.inf)])
def test_exponential_partials_match_quadrature(lo, hi):
    e, g = ServiceLaw.exponential(1.7), ServiceLaw(dist=stats.expon(scale=1 / 1.7))
    assert e.prob(lo, hi) == pytest.approx(g.prob(lo, hi), rel=1e-10)
    assert e.partial_mean(lo, hi) == pytest.approx(g.partial_mean(lo, hi), rel=1e-9)
    assert e.diagonal_min(lo, hi) == pytest.approx(g.diagonal_min(lo, hi), rel=1e-8)


def test_moments_and_min():
    e = ServiceLaw.exponential(2.0)
    assert (e.mean, e.second_moment, e.mean_min()) == (0.5, 0.5, 0.25)
    g = ServiceLaw(dist=stats.expon(scale=0.5))
    assert g.mean_min() == pytest.approx(0.25)


@pytest.mark.parametrize("kw", [{}, {"mu": 1.0, "dist": stats.expon()}, {"mu": -1.0}, {"dist": "expon"}, {"dist": stats.norm()}])
def test_bad_input(kw):
    with pytest.raises(AnalyticParameterError):
        ServiceLaw(**kw)


# ---------------------------------------------------------------- the law catalogue
from fractions import Fraction  # noqa: E402

from analytic.laws import LAW_CATALOGUE, LawSpec, parse_law  # noqa: E402


@pytest.mark.parametrize("spec", LAW_CATALOGUE, ids=lambda s: s.label)
def test_catalogue_laws_have_mean_one_and_their_cv(spec):
    # the closed-form CV must match scipy's moments of the frozen law (independent code path)
    d = spec.frozen()
    assert d.mean() == pytest.approx(1.0, rel=1e-9)
    assert spec.cv == pytest.approx(float(d.std()), rel=1e-7)
    law = ServiceLaw.named(spec)
    assert law.mean == pytest.approx(1.0, rel=1e-9) and law.cv == spec.cv


@pytest.mark.parametrize("text, name, param", [("erlang:4", "gamma", 4), ("H2:2", "hyperexponential", 2), ("weibull:0.5", "weibull", Fraction(1, 2)), ("pareto2:3", "lomax", 3), ("exp", "exponential", None)])
def test_parse_aliases(text, name, param):
    s = parse_law(text)
    assert (s.name, s.param) == (name, param)


def test_infinite_variance_is_rejected_for_the_system_level():
    s = parse_law("lomax:2")
    assert not s.finite_variance and math.isinf(s.cv)
    with pytest.raises(AnalyticParameterError, match="infinite variance"):
        s.require_finite_variance()
    parse_law("lomax:3").require_finite_variance()  # finite: no error


@pytest.mark.parametrize("text", ["cauchy", "gamma", "gamma:2.5", "gamma:0", "hyperexponential:1", "lognormal:-1", "weibull:abc", "lomax:1", "uniform:3"])
def test_bad_law_names_and_parameters(text):
    with pytest.raises(AnalyticParameterError):
        parse_law(text)


def test_spec_describe_is_exact():
    assert parse_law("lognormal:1.5").describe() == {"law": "lognormal", "param": "3/2"}
    assert LawSpec("uniform").label == "uniform"
