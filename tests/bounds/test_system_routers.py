"""Tests of bounds.system_routers: router moments, pair correlations and costs against closed forms, analytic.rules and sampling."""

from __future__ import annotations

import math

import numpy as np
import pytest

from analytic.laws.service import ServiceLaw
from analytic.rules import BinnedRule
from analytic.waiting import waiting_time
from bounds.errors import BoundsTypeError
from bounds.system_point import operating_point
from bounds.system_routers import PlanarRouter, RouterPair, ThresholdRouter

PT = operating_point(0.6, 1.65)
EXP = ServiceLaw.exponential(1.0)


def test_planar_router_with_parallel_vectors() -> None:
    # p0 = -2 p1: u(x) = sign(x - 2) (3, 4)/5 exactly; turn width 0 (was a ZeroDivisionError)
    r = PlanarRouter((-6.0, -8.0), (3.0, 4.0))
    assert r.turn() == (2.0, 0.0)
    e = np.array([0.6, 0.8])
    expected = np.array([(2 * math.exp(-2.0) - 1) * e, (2 * 3.0 * math.exp(-2.0) - 1) * e])  # E[u], E[X u] for Exp(1)
    np.testing.assert_allclose(r.moments(EXP), expected, rtol=0, atol=1e-12)
    # the same direction on both sides of a centre outside the support: a constant router
    np.testing.assert_allclose(PlanarRouter((6.0, 8.0), (3.0, 4.0)).moments(EXP), np.array([e, e]), rtol=0, atol=1e-12)


def test_pair_moments_match_binned_rule() -> None:
    # a threshold pair's (E[beta], E[beta c]) agrees with analytic.rules.BinnedRule on a grid aligned with its thresholds
    pair = RouterPair(ThresholdRouter(float(EXP.ppf(0.25)), -1), ThresholdRouter(float(EXP.ppf(0.5)), 1))
    g = np.where(np.arange(4) >= 1, -1.0, 1.0)
    h = np.where(np.arange(4) >= 2, 1.0, -1.0)
    rule = BinnedRule.from_signs(g, h)
    pb, cost = pair.bunch_and_cost(PT)
    assert pb == pytest.approx(rule.moments(EXP).p_bunch, abs=1e-12)
    assert PT.W_split + cost == pytest.approx(waiting_time(rule, EXP, 0.6), abs=1e-10)


def test_planar_pair_correlation_moments() -> None:
    pair = RouterPair(PlanarRouter((1.0, 0.2), (-0.5, 0.3)), PlanarRouter((0.3, -1.0), (0.4, 0.4)))
    rng = np.random.default_rng(1)
    x = EXP.ppf(rng.random(400_000))
    y = EXP.ppf(rng.random(400_000))
    e = pair.correlation(x, y)
    pb, cost = pair.bunch_and_cost(PT)
    beta = (1 + e) / 2
    c = PT.kappa * x * y + (x + y) / 4
    assert pb == pytest.approx(beta.mean(), abs=4e-3)
    assert cost == pytest.approx((beta * c).mean(), abs=2e-2)


def test_mixed_pair_correlation_is_refused() -> None:
    # a threshold router has no measurement direction: a mixed pair has no defined correlation
    x = np.array([0.5, 1.5])
    for pair in (RouterPair(ThresholdRouter(1.0), PlanarRouter((1.0, 0.0), (0.0, 1.0))), RouterPair(PlanarRouter((1.0, 0.0), (0.0, 1.0)), ThresholdRouter(1.0))):
        with pytest.raises(BoundsTypeError, match="two ThresholdRouters or two PlanarRouters"):
            pair.correlation(x, x)
