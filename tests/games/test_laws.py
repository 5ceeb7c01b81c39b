"""law_game: the sum-threshold game of a catalogue law with an exact description."""

from fractions import Fraction

import numpy as np
import pytest
from scipy import stats

from games import discretise
from games.catalogue import sum_threshold_game
from games.errors import GameParameterError, GameTypeError
from games.laws import law_game


def test_description_is_exact():
    g = law_game("weibull:0.5", 0.33)
    assert g.describe()["boundary"] == {"kind": "sum-threshold", "law": "weibull", "param": "1/2", "t": "33/100"}
    assert law_game("uniform", Fraction(3, 2)).boundary.t == 1.5


def test_same_game_as_the_generic_sum_threshold_game():
    # law_game only adds the exact description; its float matrix is the generic one of the same scipy law
    a = discretise(law_game("gamma:2", 1.5), 8).matrix
    b = discretise(sum_threshold_game(stats.gamma(2, scale=0.5), 1.5), 8).matrix
    assert np.allclose(a, b, atol=1e-13)


@pytest.mark.parametrize("law, t, err", [("uniform", 0, GameParameterError), ("uniform", "x", GameParameterError), (3, 1.0, GameTypeError)])
def test_bad_input(law, t, err):
    with pytest.raises(err):
        law_game(law, t)
