import math

import pytest
from scipy import stats

from games import GameParameterError, GameTypeError, linear_boundary_game, paper_game, sum_threshold_game


def test_paper_game_from_mu_t_is_eq3():
    # C = exp(-mu t) (Eq. 3)
    assert paper_game(mu=1.5, t=0.7).boundary.C == pytest.approx(math.exp(-1.05), rel=1e-15)


def test_paper_game_from_C():
    assert paper_game(0.33).boundary.C == 0.33


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"C": 0.0}, "`C`"),
        ({"C": 1.0}, "`C`"),
        ({"C": float("nan")}, "`C`"),
        ({"mu": 0.0, "t": 1.0}, "`mu`"),
        ({"mu": -1.0, "t": 1.0}, "`mu`"),
        ({"mu": 1.0, "t": 0.0}, "`t`"),
        ({"mu": 1.0, "t": float("inf")}, "`t`"),
        ({"mu": 1.0}, "both `mu` and `t`"),
        ({"C": 0.3, "mu": 1.0, "t": 1.0}, "not both"),
        ({"mu": 1e-300, "t": 1e-300}, "mu \\* t"),
    ],
)
def test_paper_game_rejects_bad_input(kwargs, name):
    with pytest.raises(GameParameterError, match=name):
        paper_game(**kwargs)


def test_paper_game_rejects_string():
    with pytest.raises(GameTypeError):
        paper_game("0.3")


def test_sum_threshold_exponential_reduces_to_paper_game():
    g = sum_threshold_game(stats.expon(scale=2.0), 1.0)
    assert g.name == "paper" and g.boundary.C == pytest.approx(math.exp(-0.5))


def test_sum_threshold_other_law_matches_monte_carlo():
    # gamma(2) service times: P(X1 + X2 <= t) = P(Gamma(4) <= t)
    law = stats.gamma(2.0)
    g = sum_threshold_game(law, 3.0)
    assert g.bunch_probability() == pytest.approx(stats.gamma(4.0).cdf(3.0), abs=1e-9)


def test_linear_game_rejects_bad_s():
    with pytest.raises(GameParameterError, match="`s`"):
        linear_boundary_game(2.5)
