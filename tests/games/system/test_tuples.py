"""games.system.tuples: the K-tuple simulator against the formulas of games.routers / analytic (99 % CIs)."""

import numpy as np
import pytest

from analytic.laws.service import ServiceLaw
from analytic.rules import RandomRule
from analytic.throughput import throughput_monomial
from analytic.waiting import waiting_time
from games.routers import RouterModel
from games.system.tuples import (
    IndependentTupleRouting,
    ThresholdTupleRouting,
    routing_moments,
    simulate_tuples,
    tuple_queue_kernel,
    tuple_queue_twin,
)

EXP = ServiceLaw.exponential(1.0)


def _inside(v, ci):
    return ci[0] <= v <= ci[1]


def _formulas(m, routing):
    ps = wq = 0.0
    comps = [(1.0, np.zeros((m.K, 2)))] if isinstance(routing, IndependentTupleRouting) else routing_moments(routing, m.law)
    for w, U in comps:
        p, q = m.moment_values(U)
        ps, wq = ps + w * p, wq + w * q
    return 1 - ps, wq


def test_kernel_equals_twin():
    rng = np.random.default_rng(0)
    n, K = 400, 3
    arr = np.cumsum(rng.exponential(1 / 0.4, n))
    x = rng.exponential(1.0, (n, K))
    srv = rng.integers(0, 2, (n, K)).astype(np.int8)
    order = np.argsort(rng.random((n, K)), axis=1).astype(np.int64)
    outs = []
    for run in (tuple_queue_kernel, tuple_queue_twin):
        free = np.zeros(2)
        w, il, isv, it = np.empty(n), np.empty(2 * n), np.empty(2 * n, dtype=np.int8), np.empty(2 * n, dtype=np.int64)
        k = run(arr, x, srv, order, free, 0, w, il, isv, it)
        key = np.lexsort((il[:k], it[:k]))   # the idle periods of one tuple may be listed in either server order
        outs.append((w.copy(), il[:k][key], it[:k][key], free.copy()))
    for a, b in zip(*outs):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("routing", [IndependentTupleRouting(3), ThresholdTupleRouting(((0.6, 0.6, 0.6), (0.3, 0.8, 1.0)), ((1, 1, 1), (1, -1, 1)), (0.7, 0.3))],
                         ids=["independent", "threshold-mixture"])
def test_k3_matches_formulas(routing):
    m = RouterModel.at_load(3, 0.6)
    res = simulate_tuples(routing, lam=m.lam, mu=1.0, n_tuples=300_000, seed=11)
    p_split, wq = _formulas(m, routing)
    assert _inside(wq, res.wq_ci)
    assert _inside(p_split, res.p_split_ci)
    _tb, ci = res.throughput(2)
    assert _inside((1 - m.rho) * 2 / (m.lam * (1 + p_split) / 2), ci)   # (1 - rho) Gamma(3) / lambda_eff
    _rate, rci = res.batch_rate()
    assert _inside(m.lam * (1 + p_split) / 2, rci)


def test_independent_pair_rates():
    m = RouterModel.at_load(3, 0.6)
    res = simulate_tuples(IndependentTupleRouting(3), lam=m.lam, mu=1.0, n_tuples=100_000, seed=5)
    for _v, ci in res.pair_same.values():
        assert _inside(0.5, ci)


def test_k2_matches_two_router_formulas():
    # two routers, independent fair coins: the existing analytic.waiting / throughput closed forms
    res = simulate_tuples(IndependentTupleRouting(2), lam=0.6, mu=1.0, n_tuples=300_000, seed=2)
    assert _inside(waiting_time(RandomRule(0.5), EXP, 0.6), res.wq_ci)
    assert _inside(0.5, res.p_split_ci)
    assert _inside(throughput_monomial(0.6, 1.0, 0.5, 3), res.throughput(3)[1])


def test_common_random_numbers_and_errors():
    a = simulate_tuples(IndependentTupleRouting(3), lam=0.4, mu=1.0, n_tuples=5000, seed=3)
    b = simulate_tuples(ThresholdTupleRouting(((1.0, 1.0, 1.0),), ((1, 1, 1),)), lam=0.4, mu=1.0, n_tuples=5000, seed=3)
    assert a.horizon == b.horizon and b.p_split == 0.0
    from games.errors import GameParameterError

    with pytest.raises(GameParameterError, match="`rho`"):
        simulate_tuples(IndependentTupleRouting(3), lam=0.7, mu=1.0, n_tuples=5000)
    with pytest.raises(GameParameterError, match="`weights`"):
        ThresholdTupleRouting(((0.5, 0.5),), ((1, 1),), (0.5,))


def test_bin_table_routing_draws_the_table_per_bin_tuple() -> None:
    """Frequencies of the drawn patterns per bin tuple match the table (binomial 5-sigma), bins floor(N a)."""
    from games.system.tuples import BinTableTupleRouting

    rng = np.random.default_rng(3)
    table = rng.dirichlet(np.ones(4), size=4)  # K = 2, N = 2
    r = BinTableTupleRouting(2, table)
    n = 200000
    a = rng.random((n, 2))
    o = r.route(a, np.zeros((n, 2)), rng.random((n, 1)))
    row = np.minimum((a * 2).astype(int), 1) @ np.array([2, 1])
    pat = ((1 - o[:, 0]) // 2) * 2 + (1 - o[:, 1]) // 2
    for k in range(4):
        m = row == k
        freq = np.bincount(pat[m], minlength=4) / m.sum()
        assert np.all(np.abs(freq - table[k]) <= 5 * np.sqrt(table[k] * (1 - table[k]) / m.sum()) + 1e-12)


def test_mixture_routing_picks_components_by_weight() -> None:
    from games.system.tuples import IndependentTupleRouting, MixtureTupleRouting

    mix = MixtureTupleRouting((IndependentTupleRouting(3, 1.0), IndependentTupleRouting(3, 0.0)), (0.25, 0.75))
    rng = np.random.default_rng(0)
    o = mix.route(np.zeros((100000, 3)), np.zeros((100000, 3)), rng.random((100000, mix.n_uniforms)))
    assert mix.n_uniforms == 4 and set(np.unique(o.sum(axis=1))) == {3, -3}
    assert abs(float(np.mean(o[:, 0] == 1)) - 0.25) < 0.01


@pytest.mark.parametrize(("kwargs", "name"), [
    ({"N": 3, "table": np.full((4, 4), 0.25)}, "table"),
    ({"N": 2, "table": np.full((4, 4), 0.3)}, "table"),
    ({"N": 0, "table": np.full((1, 4), 0.25)}, "N"),
])
def test_bin_table_routing_rejects_bad_input(kwargs: dict, name: str) -> None:
    from games.errors import GameParameterError
    from games.system.tuples import BinTableTupleRouting

    BinTableTupleRouting(2, np.full((4, 4), 0.25))  # a valid table is accepted
    with pytest.raises(GameParameterError, match=name):
        BinTableTupleRouting(**kwargs)
