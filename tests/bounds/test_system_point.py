"""Tests of bounds.system_point: the operating point's constants (against analytic.waiting) and the parameter checks."""

from __future__ import annotations

import pytest

from analytic.laws.service import ServiceLaw
from analytic.waiting import waiting_time
from bounds.errors import BoundsTypeError
from bounds.system_point import SystemInfeasibleError, SystemParameterError, operating_point, real_parameter

PT = operating_point(0.6, 1.65)
EXP = ServiceLaw.exponential(1.0)


def test_operating_point_constants() -> None:
    # W_0 = M/M/1 wait rho/(mu (1 - rho)); W_bunch from analytic.waiting with beta = 1
    from analytic.rules import RandomRule

    assert PT.W_split == pytest.approx(waiting_time(RandomRule(1.0), EXP, 0.6), abs=1e-12)
    assert PT.W_bunch == pytest.approx(waiting_time(RandomRule(0.0), EXP, 0.6), abs=1e-12)


@pytest.mark.parametrize(
    ("kwargs", "exc", "msg"),
    [
        ({"lam": 1.0, "W_limit": 2.0}, SystemParameterError, "rho"),
        ({"lam": 0.6, "W_limit": 1.2}, SystemInfeasibleError, "always-split waiting time W_0 = 1.5"),
        ({"lam": float("nan"), "W_limit": 2.0}, SystemParameterError, "lam"),
        ({"lam": -0.1, "W_limit": 2.0}, SystemParameterError, "lam"),
        ({"lam": 0.5, "W_limit": float("inf")}, SystemParameterError, "W_limit"),
        ({"lam": 0.5, "W_limit": -1.0}, SystemParameterError, "W_limit"),
        ({"lam": 0.5, "W_limit": 2.0, "mu": 0.0}, SystemParameterError, "mu"),
        ({"lam": "0.5", "W_limit": 2.0}, BoundsTypeError, "lam"),
    ],
)
def test_bad_input(kwargs: dict, exc: type, msg: str) -> None:
    with pytest.raises(exc, match=msg):
        operating_point(**kwargs)
    assert issubclass(exc, (ValueError, TypeError))


@pytest.mark.parametrize(("value", "kwargs", "exc"), [
    (True, {}, BoundsTypeError), ("1", {}, BoundsTypeError), (float("nan"), {}, SystemParameterError),
    (-1.0, {"low": 0.0}, SystemParameterError), (0.0, {"low": 0.0, "low_open": True}, SystemParameterError),
])
def test_real_parameter_refuses_with_the_name(value: object, kwargs: dict, exc: type) -> None:
    with pytest.raises(exc, match="`nu`"):
        real_parameter("nu", value, **kwargs)
    assert real_parameter("nu", 0.0, low=0.0) == 0.0
