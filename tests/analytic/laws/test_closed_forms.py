"""Tests of analytic.laws.closed_forms (through ServiceLaw.named): partial moments, quantiles, densities against scipy quadrature and sampling."""

import math

import numpy as np
import pytest
from scipy import integrate

from analytic.laws.catalogue import LAW_CATALOGUE, parse_law
from analytic.laws.closed_forms import closed_forms
from analytic.laws.service import ServiceLaw

CLOSED = [s for s in LAW_CATALOGUE if s.name != "exponential"] + [parse_law("lomax:3/2"), parse_law("gamma:64"), parse_law("weibull:1/10")]


def test_every_catalogue_law_but_the_exponential_has_closed_forms():
    assert closed_forms(parse_law("exponential")) is None
    for spec in CLOSED:
        f = closed_forms(spec)
        assert f is not None and f.m[0] == pytest.approx(1.0, rel=1e-14) and f.m[1] == pytest.approx(1.0, rel=1e-12)


def _quad_moment(d, n, lo, hi):
    # independent: adaptive quadrature of x^n times scipy's own density, split at the median for accuracy
    top = min(hi, float(d.support()[1]))
    if top <= lo:
        return 0.0
    med = float(d.median())
    pieces = [(lo, min(med, top)), (max(med, lo), top)] if lo < med < top else [(lo, top)]
    return sum(integrate.quad(lambda x: x**n * d.pdf(x), a, b, limit=500, epsabs=0, epsrel=1e-13)[0] for a, b in pieces if b > a)


@pytest.mark.parametrize("spec", CLOSED, ids=lambda s: s.label)
def test_tail_moments_match_quadrature_of_the_scipy_density(spec):
    law, d = ServiceLaw.named(spec), spec.frozen()
    assert law.has_closed_forms
    ts = np.array([0.0, 0.05, 0.5, 1.0, 2.5, 6.0])
    s, m1, m2 = law.tail_moments(ts)
    for i, t in enumerate(ts):
        assert s[i] == pytest.approx(float(d.sf(t)), rel=1e-12, abs=1e-300)
        assert m1[i] == pytest.approx(_quad_moment(d, 1, t, math.inf), rel=1e-10, abs=1e-300)
        if spec.finite_variance and spec.label != "weibull:0.1":  # quad cannot resolve that law's x^2 tail
            assert m2[i] == pytest.approx(_quad_moment(d, 2, t, math.inf), rel=1e-10, abs=1e-300)
    if not spec.finite_variance:
        assert np.all(np.isinf(m2))
    # t = inf and t < 0 are the two ends
    s, m1, m2 = law.tail_moments([-1.0, math.inf])
    assert s.tolist()[1] == 0.0 and m1.tolist()[1] == 0.0 and s[0] == 1.0
    assert m1[0] == pytest.approx(1.0, rel=1e-14) and (m2[0] == pytest.approx(law.second_moment, rel=1e-13) or not spec.finite_variance)
    assert law.second_moment == pytest.approx(1.0 + spec.cv**2, rel=1e-13) or not spec.finite_variance


@pytest.mark.parametrize("spec", CLOSED, ids=lambda s: s.label)
def test_interval_moments_match_quadrature(spec):
    law, d = ServiceLaw.named(spec), spec.frozen()
    lo = np.array([0.0, 0.0, 0.1, 0.9, 1.5, 4.0, 0.3, 2.0])
    hi = np.array([0.01, 0.6, 0.2, 1.1, 8.0, math.inf, math.inf, 1.0])  # the last one is empty
    p, m = law.interval_moments(lo, hi)
    for i in range(lo.size):
        assert p[i] == pytest.approx(_quad_moment(d, 0, lo[i], hi[i]), rel=1e-10, abs=1e-15)
        assert m[i] == pytest.approx(_quad_moment(d, 1, lo[i], hi[i]), rel=1e-10, abs=1e-15)
        # the scalar methods evaluate the same closed form on 0-d arrays; numpy may run exp/log/power
        # through other SIMD kernels (AVX-512, AVX2, baseline) for a 0-d array than for this 8-element
        # one, and those kernels agree to a few ulp, not bitwise: 1e-13 relative is ~500 ulp, still far
        # inside the 1e-10 agreement with quadrature above
        assert law.prob(lo[i], hi[i]) == pytest.approx(p[i], rel=1e-13, abs=1e-300)
        assert law.partial_mean(lo[i], hi[i]) == pytest.approx(m[i], rel=1e-13, abs=1e-300)
    assert p[-1] == 0.0 and m[-1] == 0.0


@pytest.mark.parametrize("spec", CLOSED, ids=lambda s: s.label)
def test_quantiles_density_and_cdf_match_scipy(spec):
    law, d = ServiceLaw.named(spec), spec.frozen()
    u = np.array([1e-3, 0.05, 0.3, 0.5, 0.7, 0.95, 0.999])
    # the hyperexponential frozen law is ours too (Newton on the survival function); the rest are scipy's own
    assert law.ppf(u) == pytest.approx(d.ppf(u), rel=1e-12)
    x = np.array([1e-3, 0.2, 0.7, 1.0, 1.9, 3.0])
    assert law.pdf(x) == pytest.approx(d.pdf(x), rel=1e-12)
    assert law.cdf(x) == pytest.approx(d.cdf(x), rel=1e-13)
    assert law.sf(x) == pytest.approx(d.sf(x), rel=1e-12, abs=1e-300)
    # inverse functions to full relative accuracy at both ends
    uu = np.array([1e-14, 1e-8, 1e-3, 0.25, 0.5, 0.75])
    assert law.cdf(law.ppf(uu)) == pytest.approx(uu, rel=1e-12)
    if spec.name != "uniform":  # x = 2 - 2s cannot carry s to relative accuracy
        ss = np.array([1e-15, 1e-9, 1e-3, 0.3, 0.5, 0.8])
        assert law.sf(law.isf(ss)) == pytest.approx(ss, rel=1e-12)
    assert float(law.ppf(0.0)) == 0.0 and float(law.isf(1.0)) == pytest.approx(0.0, abs=1e-15)


@pytest.mark.parametrize("spec", [s for s in LAW_CATALOGUE if s.name != "exponential"], ids=lambda s: s.label)
def test_tail_moments_against_sampling(spec):
    # Monte Carlo from scipy's sampler (fixed seed): P(X > t) and E[X; X > t] within 5 standard errors
    law = ServiceLaw.named(spec)
    x = spec.frozen().rvs(size=200_000, random_state=np.random.default_rng(11))
    for t in (0.5, 1.5):
        s, m1, _ = law.tail_moments(t)
        ind = x > t
        assert abs(ind.mean() - float(s)) < 5 * ind.std() / math.sqrt(x.size)
        assert abs((x * ind).mean() - float(m1)) < 5 * (x * ind).std() / math.sqrt(x.size)
