"""bounds.system at a waiting-time limit equal to the always-split wait: feasible only by always splitting.

``W_limit = W_0`` is the smallest feasible limit; every bunched pair adds a
positive cost, so the only feasible strategy is always split and every class
has ``p_split = 1``.  The solver used to search the multiplier up to 1e12 and
raise :class:`SolverError` there (the maximisers' float cost stalls at ~1e-14,
never below a budget that is 0 up to rounding).  ``W_0`` comes here from the
Pollaczek-Khinchine formula of the M/M/1 queue each server sees when every pair
splits (arrival rate ``lam``, service rate ``mu``): ``W_0 = lam/(mu (mu - lam))``.
"""

from __future__ import annotations

import pytest

from bounds.system import solve_class
from bounds.system_point import operating_point


def _w0(lam: float, mu: float) -> float:
    return lam / (mu * (mu - lam))


@pytest.mark.parametrize("lam, mu", [(0.6, 1.0), (0.8, 1.0), (0.3, 2.0)])
@pytest.mark.parametrize("model", ["ideal", "classical", "quantum"])
def test_limit_at_the_always_split_wait(lam: float, mu: float, model: str) -> None:
    W = _w0(lam, mu)  # 1.5 and 4.0 (its float W_0 differs by one ulp from the OperatingPoint's) and 0.0857...
    pt = operating_point(lam, W, mu=mu)
    assert abs(pt.W_split - W) <= 1e-14 * W  # the solver's W_0 is the P-K value
    sol = solve_class(pt, model)
    assert 1 - 1e-9 <= sol.p_split <= 1.0
    assert sol.waiting_time <= W * (1 + 1e-13)  # the attaining strategy meets the limit (up to the floats' rounding)


@pytest.mark.parametrize("model", ["classical", "quantum"])
def test_limit_just_above_the_always_split_wait(model: str) -> None:
    """A budget of 1e-9 W_0: the strategy still meets W_l and p_split is 1 - O(budget), below 1."""
    W = _w0(0.6, 1.0) * (1 + 1e-9)
    pt = operating_point(0.6, W)
    sol = solve_class(pt, model)
    assert 1 - 1e-6 < sol.p_split < 1.0
    assert sol.waiting_time <= W * (1 + 1e-13)
