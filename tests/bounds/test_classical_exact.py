"""Exact N-bin classical value: brute force, kernel twins, known values, bad input."""

import itertools
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bounds._classical_kernels import chain_leaves, chain_leaves_numpy
from bounds.classical_exact import build_chain, exact_classical
from bounds.errors import BoundsParameterError
from games import discretise, linear_boundary_game, paper_game
from proofs.exact import cell_enclosure


def brute_force(M: np.ndarray) -> float:
    """Independent enumeration: for every h, A's best response gives sum_i |(M h)_i|."""
    n = M.shape[0]
    H = np.array(list(itertools.product([1.0, -1.0], repeat=n))).T  # (n, 2^n)
    return 0.5 + 0.5 * float(np.abs(M @ H).sum(axis=0).max())


@pytest.mark.parametrize(
    "game, n",
    [
        (paper_game(0.33), 7),  # the paper's C, odd N
        (paper_game(0.33), 10),  # even N
        (paper_game(0.05), 9),  # steep boundary: long rows of crossed cells
        (paper_game(0.9), 8),  # trivial regime (constant strategies optimal)
        (linear_boundary_game(), 9),  # boundary through lattice corners
        (linear_boundary_game(0.6), 8),  # linear boundary with full split rows
    ],
)
def test_exact_matches_brute_force(game, n):
    r = exact_classical(game, n)
    assert r.lower_estimate == pytest.approx(brute_force(discretise(game, n).matrix), abs=1e-12)
    # the claimed upper bound sits above the strategy's value by rounding only
    assert 0 <= float(r.upper_win) - r.lower_estimate < 1e-12


@given(C=st.floats(0.03, 0.97), n=st.integers(1, 8))
def test_exact_matches_brute_force_property(C, n):
    game = paper_game(round(C, 4))
    assert exact_classical(game, n).lower_estimate == pytest.approx(brute_force(discretise(game, n).matrix), abs=1e-12)


def test_linear_game_even_n_is_three_quarters():
    # Aharon et al.: classical value 3/4, attained on any even grid by the half-split strategy
    assert exact_classical(linear_boundary_game(), 16).lower_estimate == pytest.approx(0.75, abs=1e-14)


def test_strategy_reaches_value_and_is_mutual_best_response():
    game = paper_game(0.33)
    r = exact_classical(game, 48)
    M = discretise(game, 48).matrix
    g, h = r.strategy.g.astype(float), r.strategy.h.astype(float)
    assert 0.5 + 0.5 * g @ M @ h == pytest.approx(r.lower_estimate, abs=1e-14)
    assert np.abs(M @ h).sum() == pytest.approx(g @ M @ h, abs=1e-14)
    assert np.abs(M.T @ g).sum() == pytest.approx(g @ M @ h, abs=1e-14)


def test_numba_kernel_matches_numpy_twin():
    for desc, n in [({"type": "hyperbolic", "C": "33/100"}, 24), ({"type": "hyperbolic", "C": "1/20"}, 13), ({"type": "linear", "s": "1"}, 10)]:
        e = cell_enclosure(desc, n)
        ch = build_chain(e.kind, e.lo, e.hi)
        Ks = np.arange(-n, n + 1)
        a = chain_leaves(ch.step, ch.cols, ch.pos, ch.neg, n, Ks, ch.unit, ch.extra)
        b = chain_leaves_numpy(ch.step, ch.cols, ch.pos, ch.neg, n, Ks, ch.unit, ch.extra)
        assert np.array_equal(a, b)


def test_sign_flip_symmetry_of_leaves():
    # (g, h) -> (-g, -h) maps K to -K without changing the objective
    e = cell_enclosure({"type": "hyperbolic", "C": "33/100"}, 12)
    ch = build_chain(e.kind, e.lo, e.hi)
    Ks = np.arange(0, 13, 2)
    a = chain_leaves(ch.step, ch.cols, ch.pos, ch.neg, 12, Ks, ch.unit, ch.extra)
    b = chain_leaves(ch.step, ch.cols, ch.pos, ch.neg, 12, -Ks, ch.unit, ch.extra)
    assert np.array_equal(a, b)


def test_certificate_fields_are_exact():
    r = exact_classical(paper_game(0.33), 8)
    c = r.certificates["upper"]
    assert c["game"] == {"type": "hyperbolic", "C": "33/100"}
    assert Fraction(c["bound"]) == r.upper_win
    assert sorted(x["K"] for x in c["leaves"]) == [0, 2, 4, 6, 8]


@pytest.mark.parametrize("n", [0, -3])
def test_bad_n(n):
    with pytest.raises(BoundsParameterError, match="`N`"):
        exact_classical(paper_game(0.33), n)


def test_non_monotone_classification_rejected():
    kind = np.array([[1, 0], [-1, 1]], dtype=np.int8)  # row 1 is split then bunch
    with pytest.raises(BoundsParameterError, match="row 1"):
        build_chain(kind, np.zeros((2, 2)), np.zeros((2, 2)))


def test_unsupported_game_rejected():
    from scipy import stats

    from games import sum_threshold_game

    with pytest.raises(ValueError, match="hyperbolic"):
        exact_classical(sum_threshold_game(stats.uniform(), 1.0), 4)


@pytest.mark.slow
def test_exact_large_n_runs():
    r = exact_classical(paper_game(0.33), 512)
    assert 0.7616 < r.lower_estimate <= float(r.upper_win) < 0.7617
