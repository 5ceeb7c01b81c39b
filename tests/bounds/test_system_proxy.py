"""Tests of bounds.system_proxy: the paper's route meets the limit and never beats the exact route."""

from __future__ import annotations

from bounds.system import operating_point, solve_class
from bounds.system_proxy import proxy_route


def test_proxy_is_feasible_and_no_better_than_exact() -> None:
    pt = operating_point(0.6, 1.65)
    r = proxy_route(pt, grid=7, refine=3, quantum_bins=16, classical_bins=30)
    for choice, model in ((r.classical, "classical"), (r.quantum, "quantum")):
        assert choice.W_q <= pt.W_limit + 1e-12
        # the exact route optimises over every strategy of the class: the proxy's choice is one of them
        assert choice.p_split >= solve_class(pt, model).p_split - 1e-9
        # mixing two evaluated strategies can only help, and is still a strategy of the class
        assert solve_class(pt, model).p_split - 1e-9 <= choice.p_split_mixed <= choice.p_split + 1e-12


def test_proxy_always_bunch() -> None:
    r = proxy_route(operating_point(0.6, 3.0), grid=3)
    assert r.classical.p_split == 0.0 and r.quantum.p_split == 0.0
