"""games.routers: the N-bin Lagrangian game against the model's own formulas, exact weights, the ideal class."""

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest

from analytic.laws.service import ServiceLaw
from analytic.waiting import waiting_time
from games.errors import GameParameterError
from games.routers import RouterModel, even_terms, ideal_game_value, lagrangian_game, rational_weights, threshold_moments

EXP = ServiceLaw.exponential(1.0)


def _signs_correlators(K, signs):
    out = {}
    for r in range(2, K + 1):
        for S in itertools.combinations(range(K), r):
            C = np.ones((len(signs[0]),) * r)
            for ax, i in enumerate(S):
                shape = [1] * r
                shape[ax] = -1
                C = C * np.asarray(signs[i], float).reshape(shape)
            out[S] = C
    return out


@pytest.mark.parametrize("K", [2, 3, 4])
def test_game_value_is_lagrangian(K):
    # value(game) == P(same) + nu (W_l - W_q), each side computed independently, for random deterministic strategies
    m = RouterModel.at_load(K, 0.6)
    N, nu, Wl = 5, 0.7, m.W_independent
    g = lagrangian_game(m, Wl, nu, N)
    rng = np.random.default_rng(4)
    for _ in range(5):
        signs = [rng.choice([1, -1], N) for _ in range(K)]
        C = _signs_correlators(K, signs)
        direct = m.same_server_probability(C, N) + nu * (Wl - m.waiting_time(C, N))
        assert g.deterministic_value(signs) == pytest.approx(direct, abs=1e-12)


def test_k2_matches_two_router_formula():
    # K = 2 bins: W_q of a bin-threshold strategy against analytic.waiting (per-pair beta)
    m = RouterModel(2, 0.6, EXP)
    N = 8
    s = np.array([1] * 3 + [-1] * 5)
    C = _signs_correlators(2, [s, s])
    p, e = m.bin_moments(N)
    beta = (1 + C[(0, 1)]) / 2
    from analytic.rules import RuleMoments

    e_x1x2 = float(np.sum(beta * np.outer(e, e)))
    e_sum = float(np.sum(beta * (np.outer(e, p) + np.outer(p, e))))
    rm = RuleMoments(1 - float(np.sum(beta * np.outer(p, p))), e_x1x2, e_sum, 0.0)
    assert m.waiting_time(C, N) == pytest.approx(waiting_time(rm, EXP, 0.6), abs=1e-12)


def test_threshold_moments_match_bins():
    # a threshold at a bin edge: moments from the closed form == sums of bin moments
    m = RouterModel(3, 0.4, EXP)
    p, e = m.bin_moments(10)
    U = threshold_moments(EXP, 0.3, -1)
    assert U[0] == pytest.approx(-(p[:3].sum() - p[3:].sum()))
    assert U[1] == pytest.approx(-(e[:3].sum() - e[3:].sum()), abs=1e-12)
    for name in ("uniform", "gamma:3"):
        law = ServiceLaw.named(name)
        Ul = threshold_moments(law, 0.4)
        x = np.linspace(0, 1, 200001)[1:-1]
        xs = np.asarray(law.ppf(x))
        assert Ul[1] == pytest.approx(float(np.mean(np.where(x <= 0.4, xs, -xs))), abs=2e-3)


def test_uniform_exact_weights():
    m = RouterModel(3, 0.4, ServiceLaw.named("uniform"))
    g = lagrangian_game(m, 2.5, 0.5, 4)
    assert g.exact_terms is not None and g.exact_constant is not None
    s = [np.array([1, 1, -1, -1]), np.array([1, -1, 1, -1]), np.array([-1, -1, 1, 1])]
    assert float(g.exact_deterministic_value(s)) == pytest.approx(g.deterministic_value(s), abs=1e-12)


def test_exponential_rational_weights_enclose():
    m = RouterModel(3, 0.4, EXP)
    rw = rational_weights(m, 2.5, 0.5, 6)
    g = lagrangian_game(m, 2.5, 0.5, 6)
    assert 0 < rw.error < Fraction(1, 10**30)
    flat = np.array([float(f) for f in rw.terms[(0, 1)]])
    assert np.max(np.abs(flat - g.terms[(0, 1)].ravel())) < 1e-15
    assert float(rw.constant) == pytest.approx(g.constant, abs=1e-14)


def test_ideal_value_bins():
    # ideal >= any deterministic local strategy; at huge W_limit (nu = 0) value 1; brute force on tiny N
    m = RouterModel.at_load(3, 0.6)
    g = lagrangian_game(m, 3.0, 0.8, 3)
    v, pat = ideal_game_value(g)
    best_local = max(g.deterministic_value([np.array(a), np.array(b), np.array(c)])
                     for a in itertools.product((1, -1), repeat=3) for b in itertools.product((1, -1), repeat=3) for c in itertools.product((1, -1), repeat=3))
    assert v >= best_local - 1e-12
    # brute force: joint weight of each tuple, max over patterns
    brute = g.constant
    for x in itertools.product(range(3), repeat=3):
        brute += max(sum(g.terms[S][x[S[0]], x[S[1]]] / 3 * o[S[0]] * o[S[1]] for S in g.terms) for o in itertools.product((1, -1), repeat=3))
    assert v == pytest.approx(brute, abs=1e-12)
    assert pat.shape == (3, 3, 3, 3)


def test_four_body_term_and_errors():
    m = RouterModel.at_load(4, 0.6)
    g = lagrangian_game(m, 3.0, 0.2, 3)
    assert g.order == 4 and (0, 1, 2, 3) in g.terms and len(even_terms(4)) == 7
    assert math.isclose(float(g.terms[(0, 1, 2, 3)].sum()), 1 / 8)
    with pytest.raises(GameParameterError, match="`K`"):
        RouterModel(5, 0.1, EXP)
    with pytest.raises(GameParameterError, match="`rho`"):
        RouterModel(3, 0.7, EXP)
    with pytest.raises(GameParameterError, match="`nu`"):
        lagrangian_game(m, 3.0, -1.0, 3)
