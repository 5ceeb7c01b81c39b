"""Tests of the ideal-class estimates and certificate producer (:mod:`bounds.routers_ideal`)."""

from __future__ import annotations

import pytest

from bounds.errors import BoundsParameterError, BoundsTypeError
from bounds.routers import ideal_solution
from bounds.routers_ideal import ideal_certificates, ideal_estimate, ideal_split_cost
from games.routers import RouterModel
from tests.fuzz.oracles import routers_ideal_values


@pytest.mark.parametrize(("K", "W"), [(2, 1.8), (2, 2.4), (3, 2.5), (3, 3.0)])
def test_estimate_agrees_with_the_tensor_quadrature(K: int, W: float) -> None:
    # bounds.routers.ideal_solution sorts a Gauss-Legendre tensor grid (a different method); it is accurate to ~1e-4
    m = RouterModel.at_load(K, 0.6)
    e = ideal_estimate(m, W)
    assert e.W_q == pytest.approx(W, abs=1e-9)
    assert e.p_split == pytest.approx(ideal_solution(m, W).p_split, abs=2e-4)


def test_threshold_meets_the_limit_by_the_sorted_value_quadrature() -> None:
    m = RouterModel.at_load(3, 0.6)
    e = ideal_estimate(m, 2.7)
    P, D = routers_ideal_values(3, m.lam, 1.0, e.tau)
    assert m.W_split + ideal_split_cost(m) + D == pytest.approx(2.7, abs=1e-8)
    assert 1 - P == pytest.approx(e.p_split, abs=1e-8)


def test_certificates_carry_exact_parameters_and_the_rule_tau_below_the_dual_tau() -> None:
    from fractions import Fraction

    c = ideal_certificates(RouterModel.at_load(2, 0.6), 2.0)
    assert c["upper"]["game"] == c["lower"]["game"] == {"type": "routers", "K": "2", "law": "exponential", "lam": "3/5", "mu": "1/1", "W_limit": "2/1"}
    assert Fraction(c["upper"]["tau"]) < Fraction(c["lower"]["tau"])
    assert Fraction(c["lower"]["bound"]) < Fraction(c["upper"]["bound"])


def test_bad_input_names_the_parameter() -> None:
    from analytic.laws.service import ServiceLaw

    with pytest.raises(BoundsTypeError, match="`model`"):
        ideal_estimate("K3", 2.0)  # type: ignore[arg-type]
    with pytest.raises(BoundsParameterError, match="K in"):
        ideal_estimate(RouterModel.at_load(4, 0.6), 4.0)
    with pytest.raises(BoundsParameterError, match="exponential"):
        ideal_estimate(RouterModel.at_load(3, 0.6, ServiceLaw.named("uniform")), 2.5)
    with pytest.raises(BoundsParameterError, match="W_min"):
        ideal_estimate(RouterModel.at_load(3, 0.6), 1.5)
    with pytest.raises(BoundsParameterError, match="W_bunch"):
        ideal_estimate(RouterModel.at_load(2, 0.6), 3.0)
