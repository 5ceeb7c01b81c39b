"""One error hierarchy: every package's errors derive from proofs.exact.errors; bounds raises its own."""

from __future__ import annotations

import pytest

import analytic.errors
import bounds.errors
import games.errors
import proofs.exact.errors
from bounds.classical_exact import exact_classical
from games import linear_boundary_game
from proofs.exact.errors import QcoordError, QcoordParameterError, QcoordTypeError, SolverError


@pytest.mark.parametrize(
    "cls, base, builtin",
    [
        (games.errors.GameParameterError, QcoordParameterError, ValueError),
        (games.errors.GameTypeError, QcoordTypeError, TypeError),
        (games.errors.StrategyError, QcoordParameterError, ValueError),
        (games.errors.AnsatzError, QcoordParameterError, ValueError),
        (games.errors.SearchError, SolverError, RuntimeError),
        (bounds.errors.BoundsParameterError, QcoordParameterError, ValueError),
        (bounds.errors.BoundsTypeError, QcoordTypeError, TypeError),
        (analytic.errors.AnalyticParameterError, QcoordParameterError, ValueError),
        (proofs.exact.errors.ProofsParameterError, QcoordParameterError, ValueError),
    ],
)
def test_package_errors_derive_from_the_one_hierarchy(cls: type, base: type, builtin: type) -> None:
    assert issubclass(cls, base) and issubclass(cls, QcoordError) and issubclass(cls, builtin)


def test_bounds_solver_error_is_the_hierarchy_class() -> None:
    assert bounds.errors.SolverError is SolverError


@pytest.mark.parametrize("value, error", [(0, bounds.errors.BoundsParameterError), ("8", bounds.errors.BoundsTypeError)])
def test_bounds_raises_its_own_errors(value: object, error: type) -> None:
    with pytest.raises(error, match="`N`") as info:
        exact_classical(linear_boundary_game(), value)  # type: ignore[arg-type]
    assert not isinstance(info.value, (games.errors.GameParameterError, games.errors.GameTypeError))
