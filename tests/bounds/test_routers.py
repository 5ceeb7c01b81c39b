"""bounds.routers: K = 2 reproduces bounds.system; K = 3 estimates are ordered and consistent with the simulator."""

import pytest

from bounds.errors import BoundsParameterError
from bounds.routers import classical_min_wait, classical_solution, ideal_min_wait, ideal_solution, ratio_R
from bounds.system import solve_class
from bounds.system_point import operating_point
from games.routers import RouterModel


def test_quick_k3_point():
    # fast: ideal < classical at one point; K = 2 classical minimum wait is W_0 (always split)
    m = RouterModel.at_load(3, 0.6)
    assert ideal_solution(m, 3.5).p_split < classical_solution(m, 3.5, iterations=12).p_split + 1e-3
    m2 = RouterModel.at_load(2, 0.6)
    assert classical_min_wait(m2) == pytest.approx(m2.W_split, abs=1e-12)


@pytest.mark.slow
def test_k2_reproduces_two_router_solver():
    m = RouterModel.at_load(2, 0.6)
    pt = operating_point(0.6, 1.65)
    assert ideal_solution(m, 1.65).p_split == pytest.approx(solve_class(pt, "ideal").p_split, abs=1e-4)
    assert classical_solution(m, 1.65).p_split == pytest.approx(solve_class(pt, "classical").p_split, abs=1e-6)


@pytest.mark.slow
def test_k3_ordering_and_feasibility():
    m = RouterModel.at_load(3, 0.6)
    assert m.W_split < ideal_min_wait(m) < classical_min_wait(m) <= m.W_independent + 1e-12
    i = ideal_solution(m, 3.25)
    c = classical_solution(m, 3.25)
    assert 0 <= i.p_split < c.p_split < 1 - 0.25     # independent coins: p_split = 3/4 at W_q = 2.75 < 3.25
    assert c.W_q == pytest.approx(3.25, abs=1e-9)
    # the classical mixture's numbers from the model's formulas
    import numpy as np

    from games.routers import threshold_moments

    ps = wq = 0.0
    for w, u, o in c.components:
        p, q = m.moment_values(threshold_moments(m.law, np.array(u), np.array(o)))
        ps, wq = ps + w * p, wq + w * q
    assert 1 - ps == pytest.approx(c.p_split, abs=1e-12) and wq == pytest.approx(c.W_q, abs=1e-9)
    assert ratio_R(c.p_split, i.p_split, 3) > 1
    with pytest.raises(BoundsParameterError, match="`W_limit`"):
        classical_solution(m, 2.0)
    assert ideal_solution(m, m.W_bunch).p_split == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize("K", [2, 3, 4])
def test_search_objectives_match_the_model_and_the_product_form(K):
    # the grid's arrays (_same_and_wait) and the ascent's Python floats (_objective_one) against RouterModel.moment_values and,
    # for P(same), the product form P(all +1) + P(all -1) of independent outputs with E[o_i] = U_i0
    import numpy as np

    from bounds.routers import _objective_one, _same_and_wait
    from games.routers import threshold_moments

    m = RouterModel.at_load(K, 0.6)
    rng = np.random.default_rng(K)
    for _ in range(20):
        U = threshold_moments(m.law, rng.uniform(0, 1, K), rng.choice([1, -1], K))
        a, b = rng.uniform(0, 2, 2)
        ps, wq = (float(x[0]) for x in _same_and_wait(m, U[None]))
        ps_m, wq_m = m.moment_values(U)
        assert ps == pytest.approx(ps_m, abs=1e-13) and wq + m.W_split == pytest.approx(wq_m, abs=1e-12)
        assert ps == pytest.approx(np.prod((1 + U[:, 0]) / 2) + np.prod((1 - U[:, 0]) / 2), abs=1e-13)
        assert _objective_one(m, U, a, b) == pytest.approx(a * ps - b * wq, abs=1e-12)
