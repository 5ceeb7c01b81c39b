import itertools

import numpy as np
import pytest

from games import GameParameterError, GameTypeError, StepStrategy, discretise, linear_boundary_game, paper_game
from games.classical_search import anneal, best_response, classical_estimate, polish


def _brute_force(M):
    # independent exact optimum: enumerate h, best-respond with g = sign(M h)
    n = M.shape[0]
    best = -np.inf
    for h in itertools.product([-1.0, 1.0], repeat=n):
        best = max(best, np.abs(M @ np.array(h)).sum())
    return 0.5 + 0.5 * best


@pytest.mark.parametrize("game, n", [(paper_game(0.33), 8), (paper_game(0.1), 10), (linear_boundary_game(), 9)])
def test_searches_find_brute_force_optimum(game, n):
    d = discretise(game, n)
    opt = _brute_force(d.matrix)
    assert anneal(d, sweeps=100, restarts=8, seed=1).value == pytest.approx(opt, abs=1e-12)
    assert best_response(d, starts=32, seed=1).value == pytest.approx(opt, abs=1e-12)


def test_linear_game_classical_value_three_quarters_at_n400():
    # known classical value of Aharon et al.'s game: 3/4 (N even: attained exactly)
    est = classical_estimate(discretise(linear_boundary_game(), 400), seed=0, sweeps=100, restarts=1, starts=16)
    assert est.value == pytest.approx(0.75, abs=1e-3)


def test_estimate_strategy_reproduces_value():
    d = discretise(paper_game(0.33), 60)
    est = anneal(d, sweeps=60, restarts=1, seed=4)
    assert isinstance(est.strategy, StepStrategy)
    assert est.strategy.win_probability(d) == est.value
    assert est.seed == 4 and est.parameters["sweeps"] == 60


def test_anneal_is_reproducible_from_seed():
    d = discretise(paper_game(0.33), 40)
    a = anneal(d, sweeps=30, restarts=1, seed=9)
    b = anneal(d, sweeps=30, restarts=1, seed=9)
    assert np.array_equal(a.strategy.g, b.strategy.g) and a.value == b.value


def test_polish_never_decreases_objective():
    d = discretise(paper_game(0.4), 30)
    rng = np.random.default_rng(0)
    for _ in range(10):
        g, h = rng.choice([-1.0, 1.0], 30), rng.choice([-1.0, 1.0], 30)
        g2, h2 = polish(d, g, h)
        assert g2 @ d.matrix @ h2 >= g @ d.matrix @ h - 1e-15


@pytest.mark.parametrize(
    "kwargs, match",
    [({"sweeps": 0}, "`sweeps`"), ({"restarts": 0}, "`restarts`"), ({"t_start": -1.0}, "`t_start`"), ({"t_end": 5.0}, "`t_end`")],
)
def test_anneal_bad_input(kwargs, match):
    with pytest.raises(GameParameterError, match=match):
        anneal(discretise(paper_game(0.3), 4), **kwargs)


def test_searches_reject_non_discretisation():
    with pytest.raises(GameTypeError, match="`disc`"):
        anneal(paper_game(0.3))
    with pytest.raises(GameTypeError, match="`disc`"):
        best_response(paper_game(0.3))
