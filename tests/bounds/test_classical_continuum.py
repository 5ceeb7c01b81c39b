"""Continuum classical bracket: reduction, known values, widths, bad input."""

from fractions import Fraction

import numpy as np
import pytest

from bounds.classical_continuum import _value, continuum_classical, reduced_game
from bounds.classical_exact import exact_classical
from bounds.errors import BoundsParameterError
from games import ThresholdStrategy, linear_boundary_game, paper_game


@pytest.mark.parametrize(
    "game, b_sw, b_start",
    [
        (paper_game(0.33), [0.62], 1),  # one switch, inside [0, 1 - C]
        (paper_game(0.33), [0.2, 0.5, 0.8], -1),  # switches on both sides of 1 - C
        (paper_game(0.05), [0.9], 1),  # steep weight near x = 1 - C
        (linear_boundary_game(), [0.5], 1),  # Aharon et al.'s optimum
    ],
)
def test_reduction_matches_exact_strategy_value(game, b_sw, b_start):
    """The 1-D functional J(H) equals the best-response value computed from cell areas."""
    red = reduced_game(game)
    corr = _value(red, np.array(b_sw), b_start)
    # independent: A's best response on a fine grid, evaluated with closed-form areas
    from games import discretise

    n = 2000
    d = discretise(game, n)
    x = d.midpoints
    h = b_start * (-1.0) ** np.searchsorted(np.array(b_sw), x)
    g = np.where(d.matrix @ h >= 0, 1.0, -1.0)
    fine = float(g @ d.matrix @ h)
    assert corr == pytest.approx(fine, abs=5e-4)  # g restricted to the grid loses O(1/n)
    assert corr >= fine - 1e-12  # the continuum best response is at least as good


def test_linear_game_bracket_contains_three_quarters():
    r = continuum_classical(linear_boundary_game(), bins=60)
    assert r.lower_estimate <= 0.75 + 1e-12 and 0.75 <= r.upper_estimate
    assert r.upper_estimate - 0.75 < 1e-3


def test_paper_game_width_target():
    r = continuum_classical(paper_game(0.33), bins=100)
    assert r.upper_estimate - r.lower_estimate < 1e-3


def test_continuum_upper_bounds_n_bin_exact():
    """Every N-bin strategy is a continuum strategy: exact N-bin values stay below the continuum upper bound."""
    up = continuum_classical(paper_game(0.33), bins=80).upper_estimate
    for n in (16, 64, 100):
        assert exact_classical(paper_game(0.33), n).lower_estimate <= up


def test_lower_strategy_is_exact_threshold_strategy():
    r = continuum_classical(paper_game(0.4), bins=50)
    s = ThresholdStrategy(r.a_switches, r.b_switches, r.certificates["lower"]["a_start"], r.certificates["lower"]["b_start"])
    assert s.win_probability(paper_game(0.4)) == pytest.approx(r.lower_estimate, abs=1e-12)


def test_reduced_game_constants():
    red = reduced_game(paper_game(0.25))
    assert (red.X, red.T, red.Z) == (Fraction(3, 4), Fraction(1, 4), Fraction(1, 4))
    W, W1, wm = red.moments(10)
    # int_0^X C/(1-x)^2 dx = 1 - C: the a-measure of {phi(a) > 0}
    assert W.sum() == pytest.approx(0.75, abs=1e-14)
    assert np.all(W1 <= wm * (0.075**2) / 2 + 1e-16)


def test_bad_input():
    with pytest.raises(BoundsParameterError, match="`s`"):
        continuum_classical(linear_boundary_game(1.5), bins=10)
    with pytest.raises(BoundsParameterError, match="`bins`"):
        continuum_classical(paper_game(0.33), bins=1)
