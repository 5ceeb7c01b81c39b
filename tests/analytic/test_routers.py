"""analytic.routers: the K-router derivations pass their checks, and the formulas agree with brute force."""

import itertools

import pytest
import sympy as sp

from analytic import symbols as sym
from analytic.errors import AnalyticParameterError
from analytic.routers import correlator_terms, derive_router_kernel, derive_router_waiting, pair_cost, same_server_probability


@pytest.mark.slow
@pytest.mark.parametrize("K", [2, 3, 4])
def test_derivations_pass(K):
    assert derive_router_waiting(K).passed
    assert derive_router_kernel(K).passed


@pytest.mark.slow
def test_correlators_named():
    assert correlator_terms(3) == {"p_same": [(0, 1), (0, 2), (1, 2)], "W_q": [(0, 1), (0, 2), (1, 2)]}
    t4 = correlator_terms(4)
    assert (0, 1, 2, 3) in t4["p_same"] and all(len(S) == 2 for S in t4["W_q"])
    assert not any(len(S) % 2 for S in t4["p_same"])


@pytest.mark.parametrize("K", [3, 4])
def test_same_server_brute_force(K):
    # deterministic sign patterns: P(all on one server) is 1 or 0 whatever the flip
    expr = same_server_probability(K)
    for o in itertools.product((1, -1), repeat=K):
        sub = {s: sp.Integer(1) for s in expr.free_symbols}
        for s in expr.free_symbols:
            idx = [int(t) - 1 for t in str(s)[len(r"\mathbb{E}["):-1].replace("o_", "").split()]
            val = 1
            for i in idx:
                val *= o[i]
            sub[s] = sp.Integer(val)
        assert expr.subs(sub) == (1 if len(set(o)) == 1 else 0)


def test_all_on_one_server_is_textbook_batch_queue():
    # K = 3, every tuple on one server: batches of 3 at rate lam/2 per server (independent M^X/G/1 arithmetic)
    d = derive_router_waiting(3)
    corr = {s: (sym.m1**2 if "X_1 X" in str(s) or "X_2 X" in str(s) else sym.m1 if "X_" in str(s) else 1) for s in d.expr.free_symbols if "mathbb" in str(s)}
    lam, m1, m2 = sp.Rational(2, 5), 1, 2
    wq = d.expr.subs(corr).subs({sym.lam: lam, sym.m1: m1, sym.m2: m2, sym.rho: sp.Rational(3, 5)})
    es2 = 3 * m2 + 6 * m1**2
    textbook = (lam / 2) * es2 / (2 * (1 - sp.Rational(3, 5))) + 1 * m1   # workload + (K - 1)/2 predecessors
    assert sp.simplify(wq - textbook) == 0


def test_pair_cost_and_errors():
    assert sp.simplify(pair_cost(3) - (sym.kappa * sym.x1 * sym.x2 + (sym.x1 + sym.x2) / 6)) == 0
    with pytest.raises(AnalyticParameterError, match="`K`"):
        derive_router_waiting(5)
