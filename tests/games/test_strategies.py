import itertools

import numpy as np
import pytest

from games import (
    AngleStrategy,
    GameTypeError,
    StepStrategy,
    StrategyError,
    ThresholdStrategy,
    VectorStrategy,
    discretise,
    linear_boundary_game,
    paper_game,
)


def _mc_value(game, fa, fb, n=400_000, seed=3):
    # independent Monte Carlo estimate of a classical strategy's winning probability
    rng = np.random.default_rng(seed)
    a, b = rng.random(n), rng.random(n)
    return float(np.mean(fa(a) * fb(b) == game.rule(a, b)))


def test_step_strategy_value_matches_monte_carlo():
    game = paper_game(0.33)
    d = discretise(game, 20)
    rng = np.random.default_rng(0)
    g, h = rng.choice([-1, 1], 20), rng.choice([-1, 1], 20)
    s = StepStrategy(g, h)
    mc = _mc_value(game, lambda a: g[d.bin_of(a)], lambda b: h[d.bin_of(b)])
    assert s.win_probability(d) == pytest.approx(mc, abs=4e-3)


def test_threshold_strategy_equals_step_strategy_on_bin_edges():
    d = discretise(paper_game(0.33), 50)
    g = np.where(np.arange(50) < 17, 1, -1)
    h = np.where((np.arange(50) < 31) & (np.arange(50) >= 5), -1, 1)
    step = StepStrategy(g, h)
    thr = step.to_threshold()
    assert thr.a_switches == pytest.approx((17 / 50,)) and thr.b_switches == pytest.approx((5 / 50, 31 / 50))
    assert thr.win_probability(d.game) == pytest.approx(step.win_probability(d), abs=1e-13)


def test_threshold_strategy_linear_game_known_value():
    # A: +1 iff a < 1/2, B: always +1 wins with probability 3/4 (Aharon et al.)
    assert ThresholdStrategy([0.5], []).win_probability(linear_boundary_game()) == pytest.approx(0.75, abs=1e-15)


def test_threshold_strategy_matches_monte_carlo_off_grid():
    game = paper_game(0.2)
    s = ThresholdStrategy([0.3141], [0.2718, 0.7], a_start=-1, b_start=1)
    fa = lambda a: np.where(a < 0.3141, -1, 1)  # noqa: E731
    fb = lambda b: np.where((b >= 0.2718) & (b < 0.7), -1, 1)  # noqa: E731
    assert s.win_probability(game) == pytest.approx(_mc_value(game, fa, fb), abs=4e-3)


def test_angle_strategy_brute_force_n2():
    # correlator -cos(ta - tb) summed against M by hand
    d = discretise(linear_boundary_game(), 2)
    ta, tb = np.array([0.3, 1.2]), np.array([-0.5, 2.0])
    M = d.matrix
    expected = 0.5 + 0.5 * sum(M[i, j] * -np.cos(ta[i] - tb[j]) for i, j in itertools.product(range(2), range(2)))
    assert AngleStrategy(ta, tb).win_probability(d) == pytest.approx(expected, abs=1e-15)


def test_angle_strategy_vectors_agree():
    d = discretise(paper_game(0.33), 10)
    rng = np.random.default_rng(2)
    s = AngleStrategy(rng.uniform(0, 6, 10), rng.uniform(0, 6, 10))
    assert s.to_vectors().win_probability(d) == pytest.approx(s.win_probability(d), abs=1e-14)


def test_angle_strategy_with_equal_angles_anticorrelates():
    # on |psi^-> equal measurement angles give opposite outcomes: always split
    d = discretise(paper_game(0.33), 10)
    s = AngleStrategy(np.zeros(10), np.zeros(10))
    assert s.win_probability(d) == pytest.approx(1 - d.game.bunch_probability(), abs=1e-12)


def test_classical_step_is_a_vector_strategy():
    d = discretise(paper_game(0.5), 12)
    rng = np.random.default_rng(5)
    g, h = rng.choice([-1, 1], 12), rng.choice([-1, 1], 12)
    vs = VectorStrategy(g[:, None].astype(float), h[:, None].astype(float))
    assert vs.win_probability(d) == pytest.approx(StepStrategy(g, h).win_probability(d), abs=1e-15)


@pytest.mark.parametrize(
    "make, match",
    [
        (lambda: StepStrategy([1, 0, -1], [1, 1, 1]), "only \\+1 and -1"),
        (lambda: StepStrategy([], [1]), "non-empty"),
        (lambda: ThresholdStrategy([0.5, 0.2], []), "non-decreasing"),
        (lambda: ThresholdStrategy([1.5], []), "non-decreasing points in \\[0, 1\\]"),
        (lambda: ThresholdStrategy([0.5], [], a_start=0), "`a_start`"),
        (lambda: AngleStrategy([np.nan], [0.0]), "`theta_a`"),
        (lambda: VectorStrategy([[1.0, 1.0]], [[1.0, 0.0]]), "unit vectors"),
        (lambda: VectorStrategy([[1.0, 0.0]], [[1.0, 0.0, 0.0]]), "same dimension"),
    ],
)
def test_bad_strategies_rejected(make, match):
    with pytest.raises(StrategyError, match=match):
        make()


def test_size_mismatch_and_wrong_type_rejected():
    d = discretise(paper_game(0.3), 4)
    with pytest.raises(StrategyError, match="N = 4"):
        StepStrategy([1, 1], [1, 1]).win_probability(d)
    with pytest.raises(GameTypeError, match="`disc`"):
        StepStrategy([1, 1], [1, 1]).win_probability(paper_game(0.3))
    with pytest.raises(GameTypeError, match="`game`"):
        ThresholdStrategy([], []).win_probability(d)
