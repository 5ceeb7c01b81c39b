"""Classical searches of K-party correlator games against brute force over every deterministic strategy."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest

from bounds.errors import BoundsParameterError
from bounds.multiparty_classical import (
    FactoredPairwise,
    best_response_search,
    exhaustive_search,
    factored_form,
    stand_in,
    threshold_search,
)
from games.multiparty import CorrelatorGame


def brute(g: CorrelatorGame) -> float:
    return max(g.deterministic_value(list(np.array(bits).reshape(g.K, g.N))) for bits in itertools.product((1, -1), repeat=g.K * g.N))


@pytest.mark.parametrize("N", [1, 2, 3, 4])
@pytest.mark.parametrize("nu", [Fraction(1, 10), Fraction(1, 2), Fraction(1), Fraction(2)])
def test_threshold_search_is_the_classical_value_k3(N: int, nu: Fraction) -> None:
    fg = stand_in(N, nu)
    g = fg.game()
    r = threshold_search(fg)
    assert r.value == pytest.approx(brute(g), abs=1e-12)
    assert g.deterministic_value([np.array(s) for s in r.signs]) == pytest.approx(r.value, abs=1e-12)


def test_threshold_search_with_one_body_terms_and_k2_k4() -> None:
    from bounds.multiparty_classical import FactoredPairwise

    rng = np.random.default_rng(2)
    for K in (2, 4):
        for _ in range(3):
            q = lambda: Fraction(int(rng.integers(-9, 10)), 7)  # noqa: E731
            kern = {S: ((q(), q()), (q(), q())) for S in itertools.combinations(range(K), 2)}
            kern[(1,)] = (q(), q())
            fg = FactoredPairwise(K, (Fraction(1, 3), Fraction(1, 2), Fraction(1, 6)), (Fraction(-1), Fraction(0), Fraction(2)), kern)
            assert threshold_search(fg).value == pytest.approx(brute(fg.game()), abs=1e-12)


def test_general_game_exhaustive_and_best_response() -> None:
    rng = np.random.default_rng(0)
    W = {S: rng.standard_normal((2,) * len(S)) for S in [(0, 1), (0, 2), (1, 2), (0, 1, 2)]}
    g = CorrelatorGame(3, 2, W)
    v = brute(g)
    assert exhaustive_search(g).value == pytest.approx(v, abs=1e-12)
    br = best_response_search(g, restarts=10)
    assert br.value <= v + 1e-12 and br.method == "best-response"


def test_factored_form_round_trip_and_refusal() -> None:
    fg = stand_in(5, Fraction(3, 4))
    g = fg.game()
    back = factored_form(g, fg.p, fg.m)
    assert back.exact_terms() == fg.exact_terms()
    with pytest.raises(BoundsParameterError, match="factored form"):
        factored_form(g, fg.p, [v * v for v in fg.m])


def _with_many_body(K: int, rng: np.random.Generator) -> FactoredPairwise:

    def q() -> Fraction:
        return Fraction(int(rng.integers(-9, 10)), 7)

    kern: dict = {S: ((q(), q()), (q(), q())) for S in itertools.combinations(range(K), 2)}
    kern[tuple(range(K))] = Fraction(int(rng.integers(-30, 31)), 4)   # a constant weight large enough to move the optimum
    if K == 4:
        kern[(0, 2, 3)] = q()
    return FactoredPairwise(K, (Fraction(1, 3), Fraction(1, 2), Fraction(1, 6)), (Fraction(-1), Fraction(0), Fraction(2)), kern)


@pytest.mark.parametrize("K", [3, 4])
def test_threshold_search_with_constant_weight_many_body_terms(K: int) -> None:
    rng = np.random.default_rng(5 + K)
    for _ in range(3):
        fg = _with_many_body(K, rng)
        g = fg.game()
        r = threshold_search(fg)
        assert r.value == pytest.approx(brute(g), abs=1e-12)
        assert g.deterministic_value([np.array(s) for s in r.signs]) == pytest.approx(r.value, abs=1e-12)
        assert factored_form(g, fg.p, fg.m).exact_terms() == fg.exact_terms()


def test_factored_form_refuses_a_many_body_term_of_non_constant_weight() -> None:
    fg = _with_many_body(3, np.random.default_rng(0))
    g = fg.game()
    ex = dict(g.exact_terms or {})
    flat = list(ex[(0, 1, 2)])
    flat[5] += Fraction(1, 9)
    ex[(0, 1, 2)] = tuple(flat)
    bad = CorrelatorGame(3, 3, {S: np.array([float(v) for v in w]).reshape((3,) * len(S)) for S, w in ex.items()},
                         exact_terms=ex, exact_constant=Fraction(0))
    with pytest.raises(BoundsParameterError, match="factored form"):
        factored_form(bad, fg.p, fg.m)
