"""Tests of analytic.laws.service.ServiceLaw: exponential closed forms against the generic scipy/quadrature path, E[min], quantile rules, bad input."""

import math

import numpy as np
import pytest
from scipy import integrate, stats

from analytic.errors import AnalyticParameterError
from analytic.laws.catalogue import LAW_CATALOGUE, parse_law
from analytic.laws.service import ServiceLaw

CLOSED = [s for s in LAW_CATALOGUE if s.name != "exponential"] + [parse_law("lomax:3/2"), parse_law("gamma:64"), parse_law("weibull:1/10")]


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


def _mean_min_closed(spec):
    """``E[min(X1, X2)] = int_0^inf P(X > x)^2 dx`` in closed form where the law has one."""
    from analytic.hyperexponential import phase_weights

    p = float(spec.param) if spec.param is not None else None
    if spec.label == "gamma:2":  # P(X > x) = (1 + 2x) e^{-2x}
        return 5 / 8
    if spec.name == "hyperexponential":
        p1, p2, r1, r2 = phase_weights(p)
        return sum(a * b / (ra + rb) for a, ra in ((p1, r1), (p2, r2)) for b, rb in ((p1, r1), (p2, r2)))
    if spec.name == "weibull":  # the min of two is Weibull with scale lam 2^(-1/k)
        return 2 ** (-1 / p)
    if spec.name == "lomax":
        return (p - 1) / (2 * p - 1)
    if spec.name == "uniform":
        return 2 / 3
    return None


@pytest.mark.parametrize("spec", CLOSED, ids=lambda s: s.label)
def test_mean_min_and_diagonal_min(spec):
    law = ServiceLaw.named(spec)
    want = _mean_min_closed(spec)
    if want is None:  # independent: quadrature of the squared scipy survival function
        d = spec.frozen()
        want = integrate.quad(lambda x: d.sf(x) ** 2, 0, np.inf, limit=500, epsabs=0, epsrel=1e-13)[0]
    assert law.mean_min() == pytest.approx(want, rel=1e-12)
    # a cell [lo, hi]: E[min; both in the cell] = lo P^2 + int_lo^hi (P(X > s) - P(X > hi))^2 ds
    d = spec.frozen()
    for lo, hi in ((0.0, 0.4), (0.4, 1.3), (1.3, math.inf)):
        p = d.cdf(hi) - d.cdf(lo)
        tail = 0.0 if math.isinf(hi) else float(d.sf(hi))
        top = min(hi, float(d.support()[1]))
        ref = lo * p * p + integrate.quad(lambda s, tail=tail: (d.sf(s) - tail) ** 2, lo, top, limit=500, epsabs=0, epsrel=1e-13)[0]
        assert law.diagonal_min(lo, hi) == pytest.approx(ref, rel=1e-10)


@pytest.mark.parametrize("spec", CLOSED, ids=lambda s: s.label)
def test_quantile_rule_integrates_partial_moments(spec):
    law = ServiceLaw.named(spec)
    for lo, hi in ((0.0, math.inf), (0.0, 0.7), (0.7, 3.0), (3.0, math.inf)):
        x, s, w = law.quantile_rule(lo, hi)
        p, m = law.interval_moments(lo, hi)
        assert w.sum() == pytest.approx(float(p), rel=1e-13)
        assert w @ x == pytest.approx(float(m), rel=1e-12)
        assert np.all(np.diff(x) >= 0) and s == pytest.approx(law.sf(x), rel=1e-9, abs=1e-15)
    assert law.quantile_rule(1.0, 1.0)[0].size == 0


def test_exponential_vectorised_forms_match_the_scalar_ones():
    e = ServiceLaw.exponential(1.7)
    lo, hi = np.array([0.0, 0.2, 1.0]), np.array([0.3, 1.7, math.inf])
    p, m = e.interval_moments(lo, hi)
    assert p.tolist() == pytest.approx([e.prob(a, b) for a, b in zip(lo, hi)], rel=1e-15)
    assert m.tolist() == pytest.approx([e.partial_mean(a, b) for a, b in zip(lo, hi)], rel=1e-15)
    _s, _m1, m2 = e.tail_moments([0.0, 0.5, math.inf])
    assert m2.tolist() == pytest.approx([2 / 1.7**2, (0.25 + 1 / 1.7 + 2 / 1.7**2) * math.exp(-0.85), 0.0], rel=1e-14)
    assert float(e.sf(0.5)) == pytest.approx(math.exp(-0.85)) and float(e.isf(math.exp(-0.85))) == pytest.approx(0.5)


def test_generic_scipy_laws_keep_the_quadrature_path():
    from scipy import stats

    g = ServiceLaw(dist=stats.gamma(4.0, scale=0.25))
    n = ServiceLaw.named("gamma:4")
    assert not g.has_closed_forms and n.has_closed_forms
    assert g.partial_mean(0.3, 1.2) == pytest.approx(n.partial_mean(0.3, 1.2), rel=1e-10)
    assert g.tail_moments([0.5])[2][0] == pytest.approx(float(n.tail_moments(0.5)[2]), rel=1e-10)
