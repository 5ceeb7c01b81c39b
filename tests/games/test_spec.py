import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import integrate, stats

from games import GameParameterError, GameTypeError, HyperbolicBoundary, LinearBoundary, SumThresholdBoundary, XorGame


def _area_by_quadrature(game, a0, a1, b0, b1):
    # independent route: integrate the clipped boundary height with adaptive quadrature
    f = lambda a: min(max(float(game.boundary.phi(np.array(a))), b0), b1) - b0  # noqa: E731
    pts = [p for p in (float(game.boundary.alpha(np.array(b1))), float(game.boundary.alpha(np.array(b0)))) if a0 < p < a1]
    v, _ = integrate.quad(f, a0, a1, points=pts or None, epsabs=1e-14, epsrel=1e-13, limit=200)
    return v


@pytest.mark.parametrize("C", [0.05, 0.33, 0.5, 0.9])
def test_hyperbolic_rule_matches_paper_eq4(C):
    # rule is +1 exactly when (1-a)(1-b) >= C (Eq. 4)
    rng = np.random.default_rng(1)
    a, b = rng.random(5000), rng.random(5000)
    expected = np.where((1 - a) * (1 - b) >= C, 1, -1)
    assert np.array_equal(XorGame(HyperbolicBoundary(C)).rule(a, b), expected)


@pytest.mark.parametrize("C", [0.05, 0.33, 0.9])
def test_bunch_probability_closed_form(C):
    # P(bunch) = (1 - C) + C ln C (derived independently by integration)
    assert XorGame(HyperbolicBoundary(C)).bunch_probability() == pytest.approx((1 - C) + C * math.log(C), abs=1e-15)


@given(
    C=st.floats(0.02, 0.98),
    a=st.lists(st.floats(0, 1), min_size=2, max_size=2),
    b=st.lists(st.floats(0, 1), min_size=2, max_size=2),
)
def test_bunch_area_matches_quadrature(C, a, b):
    # the closed-form cell area equals adaptive quadrature of the boundary height
    a0, a1 = sorted(a)
    b0, b1 = sorted(b)
    g = XorGame(HyperbolicBoundary(C))
    got = float(g.bunch_area([a0, a1], [b0, b1])[0, 0])
    assert got == pytest.approx(_area_by_quadrature(g, a0, a1, b0, b1), abs=1e-12)
    assert -1e-18 <= got <= (a1 - a0) * (b1 - b0) + 1e-18


def test_linear_boundary_areas_are_triangles():
    # a + b <= 1 over the unit square is half; the lower-left quarter is fully inside
    g = XorGame(LinearBoundary())
    A = g.bunch_area([0, 0.5, 1], [0, 0.5, 1])
    assert A.tolist() == [[0.25, 0.125], [0.125, 0.0]]


def test_sum_threshold_uniform_law_against_closed_form():
    # U1 + U2 <= t for uniforms: P = t^2/2 for t <= 1
    g = XorGame(SumThresholdBoundary(stats.uniform(), 0.8))
    assert g.bunch_probability() == pytest.approx(0.32, abs=1e-10)


@pytest.mark.parametrize("bad", [0.0, 1.0, -0.1, 1.5, float("nan"), float("inf")])
def test_hyperbolic_rejects_bad_C(bad):
    with pytest.raises(GameParameterError, match="`C`"):
        HyperbolicBoundary(bad)


def test_hyperbolic_rejects_non_number():
    with pytest.raises(GameTypeError, match="`C` must be a real number"):
        HyperbolicBoundary("0.3")


def test_xorgame_rejects_non_boundary():
    with pytest.raises(GameTypeError, match="`boundary`"):
        XorGame(0.3)


def test_sum_threshold_rejects_bad_law_and_t():
    with pytest.raises(GameTypeError, match="`law`"):
        SumThresholdBoundary(object(), 1.0)
    with pytest.raises(GameParameterError, match="`t`"):
        SumThresholdBoundary(stats.expon(), -1.0)
    with pytest.raises(GameParameterError, match="no mass below 0"):
        SumThresholdBoundary(stats.norm(), 1.0)


def test_bunch_area_rejects_bad_edges():
    g = XorGame(LinearBoundary())
    with pytest.raises(GameParameterError, match="`a_edges`"):
        g.bunch_area([0.5, 0.2], [0, 1])
    with pytest.raises(GameParameterError, match="`b_edges`"):
        g.bunch_area([0, 1], [0.0])
