"""Tests of games.xor: exact reading, validation, repetitions, exact classical search against plain enumeration."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest

from games.errors import GameParameterError
from games.xor import XorMatrixGame, exact_number


def _brute(m: list[list[Fraction]]) -> Fraction:
    best = None
    for a in itertools.product((1, -1), repeat=len(m)):
        for b in itertools.product((1, -1), repeat=len(m[0])):
            v = sum(q * x * y for x, row in zip(a, m) for q, y in zip(row, b))
            best = v if best is None or v > best else best
    return Fraction(1, 2) + best / 2


def test_numbers_are_read_exactly() -> None:
    assert exact_number(1 / 3, "p") == (Fraction(1, 3), True)
    assert exact_number(0.1, "p") == (Fraction(1, 10), True)
    assert exact_number("2/7", "p") == (Fraction(2, 7), False)
    assert exact_number(np.float64(0.25), "p") == (Fraction(1, 4), True)
    x = 0.123456789012345678  # no small denominator: its shortest decimal
    assert exact_number(x, "p")[0] == Fraction(repr(x))


def test_toqito_convention_and_bias_agree() -> None:
    g = XorMatrixGame.from_toqito([["1/6", "1/3"], ["1/4", "1/4"]], [[1, 0], [0, 1]])
    h = XorMatrixGame.from_bias([["-1/6", "1/3"], ["1/4", "-1/4"]])
    assert g.bias == h.bias and g.exact() == h.exact()
    assert g.prob[0][0] == Fraction(1, 6) and g.pred.tolist() == [[1, 0], [0, 1]]


def test_float_thirds_are_recovered_without_renormalising() -> None:
    g = XorMatrixGame.from_toqito(np.full((2, 3), 1 / 6), np.zeros((2, 3), dtype=int))
    assert not g.normalised and g.bias[0][0] == Fraction(1, 6)
    # floats that miss 1 by 1e-12 are renormalised exactly
    p = np.array([[0.5, 0.5 - 1e-12]])
    g2 = XorMatrixGame.from_toqito(p, [[0, 1]])
    assert g2.normalised and sum(abs(q) for q in g2.bias[0]) == 1


@pytest.mark.parametrize(("prob", "pred", "match"), [
    ([[0.5, 0.6]], [[0, 0]], "sum to 1"),
    ([["1/2", "1/4"]], [[0, 0]], "sum to 1"),  # exact input is never renormalised
    ([[-0.5, 1.5]], [[0, 0]], ">= 0"),
    ([[0.5, 0.5]], [[0, 2]], "0 or 1"),
    ([[0.5, 0.5]], [[0, 0.5]], "0 or 1"),
    ([[0.5, 0.5]], [[0], [1]], "same shape"),
    ([[float("nan"), 0.5]], [[0, 1]], "finite"),
    ([[0.5, True]], [[0, 0]], "number"),  # a bool is no probability (a bool predicate is toqito's 0/1: below)
    ([[0.5, "x"]], [[0, 1]], "p/q"),
    ([], [], "non-empty"),
    ([[0.5], [0.25, 0.25]], [[0], [0, 0]], "equal length"),
])
def test_bad_games_name_the_parameter(prob, pred, match) -> None:  # noqa: ANN001
    with pytest.raises(GameParameterError, match=match):
        XorMatrixGame.from_toqito(prob, pred)


def test_bias_sums() -> None:
    assert XorMatrixGame.from_bias([["1/4", "-1/4"]]).bias == ((Fraction(1, 4), Fraction(-1, 4)),)  # sum 1/2: a random predicate
    with pytest.raises(GameParameterError, match="at most 1"):
        XorMatrixGame.from_bias([["3/4", "-1/2"]])
    with pytest.raises(GameParameterError, match="reps"):
        XorMatrixGame.from_bias([["1"]], reps=0)


def test_exhaustive_search_matches_plain_enumeration_on_rectangular_games() -> None:
    rng = np.random.default_rng(11)
    for _ in range(25):
        r, c = int(rng.integers(1, 7)), int(rng.integers(1, 7))
        ints = rng.integers(-7, 8, (r, c))
        ints[0, 0] = ints[0, 0] or 1
        tot = int(np.abs(ints).sum()) * 3
        m = [[Fraction(int(v), tot) for v in row] for row in ints]
        g = XorMatrixGame(tuple(tuple(row) for row in m))
        val, a, b = g.classical_exhaustive()
        assert val == _brute(m) == g.strategy_value(a, b)
        lv, la, lb = g.classical_local_search(time_limit=0.01)
        assert lv <= val and lv == g.strategy_value(la, lb)


def test_xor_power_is_the_kronecker_power() -> None:
    g = XorMatrixGame.from_bias([["1/4", "1/4", "0"], ["1/4", "-1/8", "-1/8"]])
    p = g.xor_power(2)
    m = np.array([[float(q) for q in row] for row in g.bias])
    assert np.allclose(p.matrix, np.kron(m, m), atol=0, rtol=1e-15)


def test_repeated_classical_value_of_odd_cycle_three_times_two() -> None:
    # win both copies of the 3-cycle game: value at least 1 - ... and never above (classical single value)^1
    prob = [["1/6", "1/6", "0"], ["0", "1/6", "1/6"], ["1/6", "0", "1/6"]]
    pred = [[0, 1, 0], [0, 0, 1], [1, 0, 0]]
    g = XorMatrixGame.from_toqito(prob, pred, reps=2)
    v, _strat = g.repeated_classical_value()
    single = g.base().classical_exhaustive()[0]
    assert single == Fraction(5, 6)
    assert single**2 <= v <= single  # playing the copies independently is a strategy; winning both is harder than one
    with pytest.raises(GameParameterError, match="deterministic strategies"):
        XorMatrixGame.from_toqito(prob, pred, reps=3).repeated_classical_value()


def test_toqito_adapter() -> None:
    xg = pytest.importorskip("toqito.nonlocal_games.xor_game")
    t = xg.XORGame(np.array([[0.25, 0.25], [0.25, 0.25]]), np.array([[0, 0], [0, 1]]), reps=2)
    g = XorMatrixGame.from_toqito_game(t)
    assert g.reps == 2 and g.bias[1][1] == Fraction(-1, 4)
    with pytest.raises(GameParameterError, match="toqito XORGame"):
        XorMatrixGame.from_toqito_game(object())


@pytest.mark.parametrize("rows, reps", [(2, 8), (2, 16), (4, 4), (8, 16)])
def test_repetitions_beyond_the_enumeration_end_in_a_game_error_not_overflow(rows: int, reps: int) -> None:
    # (2^reps)^(rows^reps) strategies: the error must come from comparing exponents, before the count is formed
    g = XorMatrixGame.from_bias([[Fraction(1, rows * rows)] * rows for _ in range(rows)], reps=reps)
    with pytest.raises(GameParameterError, match=rf"needs 2\^{reps * rows**reps} deterministic strategies"):
        g.repeated_classical_value()


def test_repetitions_need_a_game_whose_probabilities_sum_to_one() -> None:
    # sum |M| = 1/2: half the questions have a random predicate; playing the best single-copy strategy in both copies
    # already wins 0.625^2 = 0.390625, so an enumeration that counts those questions as lost (5/32) would be wrong
    half = [["1/8", "1/8"], ["1/8", "-1/8"]]
    assert XorMatrixGame.from_bias(half).classical_exhaustive()[0] == Fraction(5, 8)
    with pytest.raises(GameParameterError, match=r"reps.*sum \|M\| = 1"):
        XorMatrixGame.from_bias(half, reps=2)
    assert XorMatrixGame.from_bias([["1/4", "1/4"], ["1/4", "-1/4"]], reps=2).repeated_classical_value()[0] == Fraction(5, 8)


def test_boolean_predicates_are_toqitos_zero_and_one() -> None:
    g = XorMatrixGame.from_toqito(np.full((2, 2), 0.25), np.array([[False, False], [False, True]]))
    assert g.bias == XorMatrixGame.from_toqito(np.full((2, 2), 0.25), [[0, 0], [0, 1]]).bias
    with pytest.raises(GameParameterError, match=r"prob\[0, 0\]"):
        XorMatrixGame.from_toqito([[True, False], [False, False]], [[0, 0], [0, 1]])


def test_xor_power_refuses_huge_exponents_at_once() -> None:
    with pytest.raises(GameParameterError, match="XOR power"):
        XorMatrixGame.from_bias([["1/2", "1/2"]]).xor_power(10**6)
    with pytest.raises(GameParameterError, match="XOR power"):
        XorMatrixGame.from_bias([["1/2", "1/2"]]).xor_power(40)


def test_float_games_beyond_int64_have_exact_classical_values() -> None:
    # toqito's usual input (prob / prob.sum() in floats): common denominators of 10^19 and more, beyond the int64 search;
    # the audit's example game failed here before lemma X4b
    p = [[0.2155419510967969, 0.0004184678540380553], [0.29047845574637, 0.493561125302795]]
    g = XorMatrixGame.from_toqito(p, [[0, 0], [1, 0]])
    assert g.integer_form[1] >= 2**62
    v, a, b = g.classical_exhaustive()
    assert v == _brute([list(r) for r in g.bias]) == g.strategy_value(a, b)
    rng = np.random.default_rng(4)
    for r, c in ((3, 5), (6, 2), (5, 5)):
        prob = rng.random((r, c)) * 10.0 ** rng.uniform(-4, 0, (r, c))
        g = XorMatrixGame.from_toqito(prob / prob.sum(), rng.integers(0, 2, (r, c)))
        v, a, b = g.classical_exhaustive()
        assert v == _brute([list(row) for row in g.bias]) == g.strategy_value(a, b)
        lv, la, lb = g.classical_local_search(time_limit=0.05)
        assert lv == g.strategy_value(la, lb) <= v  # a heuristic's strategy, valued exactly


def test_common_denominators_beyond_300_digits_are_refused_when_read() -> None:
    ok = XorMatrixGame.from_bias([["1/4", f"1/{10**298}"], ["1/4", "-1/4"]])  # L = 4 10^298: 299 digits
    assert len(str(ok.integer_form[1])) == 299
    with pytest.raises(GameParameterError, match="301 digits; at most 300"):
        XorMatrixGame.from_bias([["1/4", f"1/{10**300}"], ["1/4", "-1/4"]])
    with pytest.raises(GameParameterError, match="common denominator"):  # pairwise coprime denominators: the lcm counts
        XorMatrixGame.from_bias([[f"1/{p**110}" for p in (7, 11, 13)]])
