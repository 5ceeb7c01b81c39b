import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from games import GameParameterError, GameTypeError, discretise, linear_boundary_game, paper_game


@given(C=st.floats(0.01, 0.99), n=st.integers(1, 60))
def test_matrix_sum_is_2p_bunch_minus_1(C, n):
    # sum(M) = 2 P(bunch) - 1 with P(bunch) = (1 - C) + C ln C (closed form)
    d = discretise(paper_game(C), n)
    assert d.matrix.sum() == pytest.approx(2 * ((1 - C) + C * math.log(C)) - 1, abs=1e-12)


def test_entries_are_bounded_by_cell_area_and_signed_off_the_boundary():
    d = discretise(paper_game(0.33), 50)
    M = d.matrix
    cell = 1 / 50**2
    assert np.all(np.abs(M) <= cell * (1 + 1e-12))
    off = ~d.crossed
    assert np.allclose(np.abs(M[off]), cell, rtol=1e-9)


def test_crossed_mask_against_exact_corner_test():
    # a cell is crossed iff its lower-left corner is strictly inside and its upper-right corner strictly
    # outside the bunch region, decided in exact rationals (C = 33/100; N = 40 puts corners exactly on it)
    from fractions import Fraction

    n, C = 40, Fraction(33, 100)
    d = discretise(paper_game(0.33), n)
    exact = np.array(
        [[(1 - Fraction(i, n)) * (1 - Fraction(j, n)) > C and (1 - Fraction(i + 1, n)) * (1 - Fraction(j + 1, n)) < C
          for j in range(n)] for i in range(n)]
    )
    assert np.array_equal(d.crossed, exact)


def test_symmetric_game_gives_symmetric_matrix():
    d = discretise(paper_game(0.4), 30)
    assert np.allclose(d.matrix, d.matrix.T, atol=1e-17)


def test_matrix_is_read_only_and_hash_stable():
    d = discretise(linear_boundary_game(), 8)
    with pytest.raises(ValueError):
        d.matrix[0, 0] = 1.0
    assert d.matrix_hash == discretise(linear_boundary_game(), 8).matrix_hash


def test_linear_game_small_matrix_exact():
    # N = 2: quarter cells: full bunch, two half cells (0), full split
    assert discretise(linear_boundary_game(), 2).matrix.tolist() == [[0.25, 0.0], [0.0, -0.25]]


@pytest.mark.parametrize("n", [0, -3])
def test_rejects_bad_n(n):
    with pytest.raises(GameParameterError, match="`N`"):
        discretise(paper_game(0.3), n)


def test_rejects_non_integer_n_and_bad_game():
    with pytest.raises(GameTypeError, match="`N`"):
        discretise(paper_game(0.3), 2.5)
    with pytest.raises(GameTypeError, match="`game`"):
        discretise("paper", 10)


def test_bin_of_maps_back_to_the_continuum():
    d = discretise(paper_game(0.3), 10)
    assert d.bin_of([0.0, 0.05, 0.1, 0.99, 1.0]).tolist() == [0, 0, 1, 9, 9]


def test_other_service_law_discretises_exactly():
    # Gamma(2) service times: sum(M) = 2 P(X1 + X2 <= t) - 1 with X1 + X2 ~ Gamma(4)
    from scipy import stats

    from games import sum_threshold_game

    d = discretise(sum_threshold_game(stats.gamma(2.0), 3.0), 30)
    assert d.matrix.sum() == pytest.approx(2 * stats.gamma(4.0).cdf(3.0) - 1, abs=1e-9)


def test_discretisation_constructor_validates():
    from games import Discretisation

    g = paper_game(0.3)
    with pytest.raises(GameParameterError, match="`matrix`"):
        Discretisation(g, 3, np.zeros((2, 2)), np.zeros((3, 3), bool))
    with pytest.raises(GameParameterError, match="finite"):
        Discretisation(g, 1, np.array([[np.nan]]), np.zeros((1, 1), bool))
    with pytest.raises(GameTypeError, match="`game`"):
        Discretisation(None, 1, np.zeros((1, 1)), np.zeros((1, 1), bool))


@pytest.mark.parametrize("game", [paper_game(0.33), paper_game(0.97), linear_boundary_game(), linear_boundary_game(0.4)])
@pytest.mark.parametrize("n", [1, 2, 7, 64, 301])
def test_fast_grid_area_matches_full_grid_evaluation(game, n):
    # the antiderivative at interior cuts only vs XorGame.bunch_area on the whole grid (a different code path)
    # and vs the exact cell areas of proofs.exact (independent closed form, rationals)
    from proofs.exact.cells import cell_enclosure

    e = np.linspace(0.0, 1.0, n + 1)
    d = discretise(game, n)
    assert np.allclose(d.matrix, 2.0 * game.bunch_area(e, e) - 1.0 / n**2, rtol=0, atol=1e-17 / n)
    enc = cell_enclosure(game, n)
    assert np.all(d.matrix >= enc.lo - 1e-15) and np.all(d.matrix <= enc.hi + 1e-15)  # float rounding of the areas
