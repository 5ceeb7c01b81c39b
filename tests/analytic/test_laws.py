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
