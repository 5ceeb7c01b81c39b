"""Tests of Born-rule sampling from Werner pairs and of the finite-supply routing in the simulator."""

from __future__ import annotations

import math

import numpy as np
import pytest

from analytic.laws.service import ServiceLaw
from analytic.noise import werner_correlator
from analytic.waiting import waiting_time
from bounds.noise import scaled_optimum
from bounds.tsirelson import tsirelson
from games import StepStrategy, discretise, paper_game
from games.classical_search import best_response
from games.errors import GameParameterError
from games.system import StepRouting, simulate
from games.system.werner import SupplyRouting, WernerRouting, born_table

EXP1 = ServiceLaw.exponential(1.0)


def _random_strategy(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    t = rng.uniform(0, 1, n)
    s = rng.uniform(-1, 1, n) * (1 - t)
    r = rng.normal(size=(n, 3))
    return s, r / np.linalg.norm(r, axis=1)[:, None] * t[:, None]


def test_born_table_matches_the_closed_form() -> None:
    # independent route: P = (1 + o_A s_a + o_B s_b + o_A o_B E)/4 with E from analytic.noise
    rng = np.random.default_rng(3)
    sa, ra = _random_strategy(rng, 5)
    sb, rb = _random_strategy(rng, 5)
    for v in (0.0, 0.4, 1.0):
        t = born_table(v, sa, ra, sb, rb)
        e = werner_correlator(v, sa, ra, sb, rb)
        for k, oa in enumerate((1, -1)):
            for j, ob in enumerate((1, -1)):
                assert np.allclose(t[:, :, k, j], (1 + oa * sa[:, None] + ob * sb[None, :] + oa * ob * e) / 4, atol=1e-13)


def test_sampled_outcomes_follow_the_born_rule() -> None:
    rng = np.random.default_rng(4)
    sa, ra = _random_strategy(rng, 2)
    sb, rb = _random_strategy(rng, 2)
    routing = WernerRouting(sa, ra, sb, rb, v=0.7)
    m = 200_000
    a, b = np.full(m, 0.75), np.full(m, 0.25)  # bins (1, 0)
    oa, ob = routing.route(a, b, a, b, rng.random((m, 2)))
    beta = routing.bunch_probability()[1, 0]
    freq = float(np.mean(oa * ob == 1))
    assert abs(freq - beta) < 5 * math.sqrt(beta * (1 - beta) / m)
    assert abs(float(np.mean(oa == 1)) - 0.5) < 5 * math.sqrt(0.25 / m)  # the shared flip makes each output a fair coin


def test_bad_input_is_one_clear_error() -> None:
    z = np.zeros(1)
    with pytest.raises(GameParameterError, match="`v`"):
        WernerRouting(z, [[0, 0, 1]], z, [[0, 0, 1]], v=1.5)
    with pytest.raises(GameParameterError, match="`v`"):
        WernerRouting(z, [[0, 0, 1]], z, [[0, 0, 1]], v=math.nan)
    with pytest.raises(GameParameterError, match=r"\|s\| \+ \|r\|"):
        WernerRouting(np.ones(1), [[0, 0, 1]], z, [[0, 0, 1]], v=0.5)
    w = WernerRouting(z, [[0, 0, 1]], z, [[0, 0, 1]], v=0.5)
    with pytest.raises(GameParameterError, match="`f`"):
        SupplyRouting(w, w, -0.1)
    with pytest.raises(GameParameterError, match="`f`"):
        SupplyRouting(w, w, math.nan)


@pytest.fixture(scope="module")
def operating_point() -> dict:
    game = paper_game(0.33)
    d = discretise(game, 24)
    res = tsirelson(d)
    st = scaled_optimum(res.strategy.u, res.strategy.v)
    cl = best_response(d, seed=0).strategy
    v, f, lam = 0.9, 0.6, 0.6
    routing = SupplyRouting(WernerRouting.from_strategy(st, v), StepRouting(StepStrategy(cl.g, cl.h)), f)
    sim = simulate(routing, lam=lam, mu=1.0, n_pairs=1_000_000, seed=11)
    return {"routing": routing, "sim": sim, "lam": lam, "st": st, "cl": cl, "v": v, "f": f, "disc": d}


def test_simulated_p_split_and_wq_match_the_computed_values(operating_point: dict) -> None:
    r, sim = operating_point["routing"], operating_point["sim"]
    rule = r.rule()
    p_split = 1 - rule.moments(EXP1).p_bunch
    wq = waiting_time(rule, EXP1, operating_point["lam"])
    assert sim.p_split_ci[0] <= p_split <= sim.p_split_ci[1]
    assert sim.wq_ci[0] <= wq <= sim.wq_ci[1]


def test_supply_mixes_the_correlators(operating_point: dict) -> None:
    # beta = f beta_W + (1 - f) beta_C, with beta_W = (1 + E_W)/2 from the closed form
    st, cl, v, f = operating_point["st"], operating_point["cl"], operating_point["v"], operating_point["f"]
    e_w = werner_correlator(v, st.s_a, st.r_a, st.s_b, st.r_b)
    e_c = np.outer(cl.g, cl.h)
    assert np.allclose(operating_point["routing"].rule().beta, f * (1 + e_w) / 2 + (1 - f) * (1 + e_c) / 2, atol=1e-12)


def test_system_level_strategy_simulated_at_one_v_f_point() -> None:
    # the attained strategy of the system route at (v, f) = (0.98, 0.7): simulated p_split and W_q within 99 % CIs
    pytest.importorskip("bounds.system")
    correlated = pytest.importorskip("games.system.correlated")
    from bounds.noise_system import noisy_system

    sysd = noisy_system(0.6, 1.65, k=3)
    at = sysd.attained(0.98, 0.7)
    routing = SupplyRouting(correlated.MixedRouting(at.entangled), correlated.MixedRouting(at.fallback), 0.7)
    sim = simulate(routing, lam=0.6, mu=1.0, n_pairs=1_000_000, seed=21)
    assert sim.p_split_ci[0] <= at.p_split <= sim.p_split_ci[1]
    assert sim.wq_ci[0] <= at.waiting_time <= sim.wq_ci[1]
