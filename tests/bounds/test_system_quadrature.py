"""Tests of bounds.system_quadrature: nodes, tail moments and h(w) against closed forms and scipy quadrature."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, stats

from analytic.laws.catalogue import LAW_CATALOGUE
from analytic.laws.service import ServiceLaw
from bounds.system_quadrature import _general_tail, _law_key, _quadrature_tail, quadrature_nodes, support_function, survival_and_tail_mean

EXP = ServiceLaw.exponential(1.0)
FINITE = [s for s in LAW_CATALOGUE if s.finite_variance and s.name != "exponential"]


def test_quadrature_moments_closed_form() -> None:
    for centre, width in ((None, None), (1.5, 1e-6), (0.3, 1e-3)):
        x, w = quadrature_nodes(EXP, centre, width)
        assert w.sum() == pytest.approx(1.0, abs=1e-13)
        assert w @ x == pytest.approx(1.0, abs=1e-12)
        assert w @ x**2 == pytest.approx(2.0, abs=1e-11)
    gam = ServiceLaw(dist=stats.gamma(2.0, scale=0.5))  # E[X] = 1, E[X^2] = 1.5
    x, w = quadrature_nodes(gam)
    assert w @ x == pytest.approx(1.0, abs=1e-11)
    assert w @ x**2 == pytest.approx(1.5, abs=1e-10)


@pytest.mark.parametrize("law", [EXP, ServiceLaw(dist=stats.gamma(2.0, scale=0.5))], ids=["exp", "gamma2"])
@pytest.mark.parametrize("centre", [0.05, 2.0, 10.891043205766879])
def test_nodes_zero_width_turn_is_a_jump(law: ServiceLaw, centre: float) -> None:
    # width 0 (p0 parallel to p1): the integrand jumps at the centre; the rule must integrate
    # sign(x - c) and x sign(x - c) like smooth functions on each side (closed forms below)
    x, w = quadrature_nodes(law, centre, 0.0)
    sgn = np.sign(x - centre)
    below, mean_below = law.prob(0.0, centre), law.partial_mean(0.0, centre)
    assert w @ sgn == pytest.approx(1.0 - 2.0 * below, abs=1e-12)
    assert w @ (x * sgn) == pytest.approx(law.mean - 2.0 * mean_below, abs=1e-11)


def test_nodes_subnormal_width() -> None:
    # R / width overflows for a subnormal width; the refinement stops at the resolution of the centre
    for width in (5e-324, 1e-310, 1e-300):
        x, w = quadrature_nodes(EXP, 1.0, width)
        assert w.sum() == pytest.approx(1.0, abs=1e-13)
        assert w @ np.sign(x - 1.0) == pytest.approx(2 * math.exp(-1.0) - 1, abs=1e-12)


def test_support_function_against_quadrature() -> None:
    # quadrature with a panel break at the kink r = -w0/w1 is exact to rounding
    for w0, w1 in ((1.0, -0.7), (-0.3, 0.4), (0.5, 0.5), (2.0, 0.0), (-1.0, -2.0)):
        r = -w0 / w1 if w1 else -1.0
        x, w = quadrature_nodes(EXP, r if r > 0 else None, 1e-3 * abs(r))
        assert float(support_function(EXP, np.array([w0]), np.array([w1]))[0]) == pytest.approx(w @ np.abs(w0 + w1 * x), abs=1e-11)
    gam = ServiceLaw(dist=stats.gamma(2.0, scale=0.5))
    xg, wg = quadrature_nodes(gam, 1.0 / 1.3, 1e-4)
    assert float(support_function(gam, np.array([1.0]), np.array([-1.3]))[0]) == pytest.approx(wg @ np.abs(1.0 - 1.3 * xg), abs=1e-10)


@pytest.mark.parametrize("spec", FINITE, ids=lambda s: s.label)
def test_closed_form_tails_match_the_quadrature_tails(spec) -> None:
    named, generic = ServiceLaw.named(spec), ServiceLaw(dist=spec.frozen())
    t = np.array([0.0, 0.1, 0.7, 1.0, 2.2, 5.0, math.inf])
    s1, m1 = _general_tail(named, t)
    s0, m0 = _quadrature_tail(generic, t)
    assert s1 == pytest.approx(s0, rel=1e-12, abs=1e-300)
    assert m1 == pytest.approx(m0, rel=1e-9, abs=1e-13)  # the quadrature side truncates the tail at F = 1 - 2^-51
    x, w = quadrature_nodes(named)  # nodes integrate 1 and x exactly up to rounding (conditional-mean end nodes)
    assert w.sum() == pytest.approx(1.0, rel=1e-14) and w @ x == pytest.approx(1.0, rel=1e-13)


def test_node_cache_is_keyed_by_the_law_not_by_id() -> None:
    # an id() key could be reused by a later law once the first is freed; the key now holds the law itself
    g = ServiceLaw(dist=stats.gamma(2.0, scale=0.5))
    assert _law_key(g)[1] is g.dist
    assert _law_key(ServiceLaw.named("gamma:2")) == ("spec", "gamma:2")


@pytest.mark.parametrize("label", [s.label for s in LAW_CATALOGUE])
def test_closed_form_tails_match_quadrature(label: str) -> None:
    # P(X > t) and E[X; X > t] in closed form against scipy quadrature of the scipy law's density
    law = ServiceLaw.named(label)
    d = law.dist if law.dist is not None else stats.expon()
    t = np.array([0.0, 0.05, 0.7, 1.9, 6.0])
    sf, tm = survival_and_tail_mean(law, t)
    end = 2.0 if label == "uniform" else np.inf  # quad needs the support's end (a jump of the density)
    for k, tk in enumerate(t):
        want_sf = integrate.quad(d.pdf, tk, end, epsabs=1e-14, limit=200)[0] if tk < end else 0.0
        want_tm = integrate.quad(lambda x: x * d.pdf(x), tk, end, epsabs=1e-14, limit=200)[0] if tk < end else 0.0
        assert sf[k] == pytest.approx(want_sf, abs=1e-10) and tm[k] == pytest.approx(want_tm, abs=1e-9)
    assert np.all(np.asarray(survival_and_tail_mean(law, np.array([np.inf]))) == 0)


@pytest.mark.parametrize("label", ["gamma:4", "lognormal:1.5", "weibull:0.5", "lomax:3", "uniform", "hyperexponential:4"])
def test_support_function_matches_quadrature(label: str) -> None:
    law = ServiceLaw.named(label)
    for w0, w1 in ((1.0, -1.3), (-0.4, 0.2), (0.5, 0.5)):
        r = -w0 / w1
        pts = [r] if r > 0 else None
        end = 2.0 if label == "uniform" else 60.0
        want = integrate.quad(lambda x, w0=w0, w1=w1: abs(w0 + w1 * x) * law.dist.pdf(x), 0, end, points=pts, limit=400, epsabs=1e-13)[0]
        if label != "uniform":
            want += integrate.quad(lambda x, w0=w0, w1=w1: abs(w0 + w1 * x) * law.dist.pdf(x), end, np.inf, limit=400)[0]
        assert float(support_function(law, np.array([w0]), np.array([w1]))[0]) == pytest.approx(want, abs=1e-9)
