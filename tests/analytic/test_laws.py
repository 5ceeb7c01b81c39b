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


# ---------------------------------------------------------------- closed forms of the catalogue laws
import numpy as np  # noqa: E402
from scipy import integrate  # noqa: E402

CLOSED = [s for s in LAW_CATALOGUE if s.name != "exponential"] + [parse_law("lomax:3/2"), parse_law("gamma:64"), parse_law("weibull:1/10")]


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
