import itertools
from fractions import Fraction

import numpy as np
import pytest

from games.errors import GameParameterError, GameTypeError
from games.multiparty import CorrelatorGame


def test_two_party_chsh_is_an_xor_game():
    # CHSH: M = [[1, 1], [1, -1]] / 4, value 1/2 + <M, C>/2; classical optimum 3/4 by enumeration
    M = np.array([[1, 1], [1, -1]]) / 4
    g = CorrelatorGame(2, 2, {(0, 1): M / 2}, constant=0.5, quantity="winning probability")
    best = max(g.deterministic_value([np.array(a), np.array(b)]) for a in itertools.product([1, -1], repeat=2) for b in itertools.product([1, -1], repeat=2))
    assert best == pytest.approx(0.75)


def test_exact_value_matches_float_and_three_body_term():
    rng = np.random.default_rng(0)
    W3 = rng.integers(-5, 6, size=(2, 2, 2))
    W2 = rng.integers(-5, 6, size=(2, 2))
    exact = {(0, 1, 2): tuple(Fraction(int(v), 7) for v in W3.ravel()), (0, 2): tuple(Fraction(int(v), 7) for v in W2.ravel())}
    g = CorrelatorGame(3, 2, {(0, 1, 2): W3 / 7, (0, 2): W2 / 7}, constant=1.0, exact_terms=exact, exact_constant=Fraction(1))
    for signs in itertools.product(itertools.product([1, -1], repeat=2), repeat=3):
        s = [np.array(v) for v in signs]
        # independent oracle: direct sum over inputs
        direct = 1 + sum(W3[x] * s[0][x[0]] * s[1][x[1]] * s[2][x[2]] for x in itertools.product(range(2), repeat=3)) / 7
        direct += sum(W2[x] * s[0][x[0]] * s[2][x[1]] for x in itertools.product(range(2), repeat=2)) / 7
        assert g.exact_deterministic_value(s) == Fraction(round(direct * 7), 7)
        assert g.deterministic_value(s) == pytest.approx(float(direct))
    assert g.order == 3 and not g.symmetric


@pytest.mark.parametrize(
    ("kwargs", "err"),
    [
        ({"K": 1, "N": 2, "terms": {(0,): np.zeros(2)}}, GameParameterError),
        ({"K": 3, "N": 2, "terms": {(0, 3): np.zeros((2, 2))}}, GameParameterError),
        ({"K": 3, "N": 2, "terms": {(1, 0): np.zeros((2, 2))}}, GameParameterError),
        ({"K": 3, "N": 2, "terms": {(0, 1): np.zeros((2, 3))}}, GameParameterError),
        ({"K": 3, "N": 2, "terms": {(0, 1): np.array([[np.nan, 0], [0, 0]])}}, GameParameterError),
        ({"K": 3, "N": 2, "terms": {}}, GameTypeError),
        ({"K": 3, "N": 2, "terms": {"ab": np.zeros((2, 2))}}, GameTypeError),
    ],
)
def test_bad_games_are_refused(kwargs, err):
    with pytest.raises(err):
        CorrelatorGame(**kwargs)


def test_pairwise_needs_symmetric_weights():
    with pytest.raises(GameParameterError, match="symmetric"):
        CorrelatorGame.pairwise(3, np.array([[0.0, 1.0], [0.0, 0.0]]))
