"""Exceptions raised by :mod:`bounds` (derived from the one hierarchy in :mod:`proofs.exact.errors`).

:class:`SolverError` is the hierarchy's own class, re-exported so ``except
bounds.errors.SolverError`` and ``except proofs.exact.errors.SolverError`` are
the same.

>>> check_int("bins", 1, low=2)
Traceback (most recent call last):
...
bounds.errors.BoundsParameterError: `bins` must be an integer >= 2; got 1
"""

from __future__ import annotations

import math

from games.errors import check_int as _check_int
from games.errors import check_real as _check_real
from proofs.exact.errors import QcoordParameterError, QcoordTypeError, SolverError

__all__ = ["BoundsParameterError", "BoundsTypeError", "SolverError", "check_int", "check_real"]


class BoundsParameterError(QcoordParameterError):
    """A solver or relaxation parameter is out of range."""


class BoundsTypeError(QcoordTypeError):
    """A solver input has the wrong type (for example a string where a game is expected)."""


def check_int(name: str, value: object, *, low: int, high: int | None = None) -> int:
    """:func:`games.errors.check_int` raising :class:`BoundsParameterError` / :class:`BoundsTypeError`."""
    return _check_int(name, value, low=low, high=high, error=BoundsParameterError, type_error=BoundsTypeError)


def check_real(
    name: str, value: object, *, low: float = -math.inf, high: float = math.inf, low_open: bool = False, high_open: bool = False
) -> float:
    """:func:`games.errors.check_real` raising :class:`BoundsParameterError` / :class:`BoundsTypeError`."""
    return _check_real(
        name, value, low=low, high=high, low_open=low_open, high_open=high_open, error=BoundsParameterError, type_error=BoundsTypeError
    )
