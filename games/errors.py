"""Exceptions raised by :mod:`games`.

Every error names the offending parameter, the expected range and the value
received, e.g. ``"`C` must lie in (0, 1); got 1.5"``.
"""

from __future__ import annotations

import math
from numbers import Real

from proofs.exact.errors import QcoordParameterError, QcoordTypeError, SolverError

__all__ = [
    "AnsatzError",
    "GameParameterError",
    "GameTypeError",
    "SearchError",
    "StrategyError",
    "check_int",
    "check_real",
]


class GameParameterError(QcoordParameterError):
    """A game, law or discretisation parameter is outside its allowed range."""


class GameTypeError(QcoordTypeError):
    """A parameter has the wrong type (for example a string where a number is expected)."""


class StrategyError(QcoordParameterError):
    """A strategy is malformed or does not fit the discretisation it is evaluated on."""


class AnsatzError(QcoordParameterError):
    """An angle ansatz cannot be realised by local measurements."""


class SearchError(SolverError):
    """A heuristic search failed (for example the optimiser reported failure)."""


def check_real(
    name: str,
    value: object,
    *,
    low: float = -math.inf,
    high: float = math.inf,
    low_open: bool = False,
    high_open: bool = False,
    error: type[QcoordParameterError] = GameParameterError,
    type_error: type[QcoordTypeError] = GameTypeError,
) -> float:
    """Validate a real scalar and return it as ``float``.

    Rejects non-numbers (``type_error``, default :class:`GameTypeError`), NaN,
    infinities and values outside the interval (``error``, default
    :class:`GameParameterError`); other packages pass their own classes.

    >>> check_real("C", 0.5, low=0, high=1, low_open=True, high_open=True)
    0.5
    >>> check_real("C", 1.5, low=0, high=1, low_open=True, high_open=True)
    Traceback (most recent call last):
    ...
    games.errors.GameParameterError: `C` must lie in (0, 1); got 1.5
    """
    if isinstance(value, bool) or not isinstance(value, Real):
        raise type_error(f"`{name}` must be a real number; got {value!r} of type {type(value).__name__}")
    x = float(value)
    lo_b = "(" if low_open else "["
    hi_b = ")" if high_open else "]"
    rng = f"{lo_b}{_fmt(low)}, {_fmt(high)}{hi_b}"
    if not math.isfinite(x):
        raise error(f"`{name}` must be a finite number in {rng}; got {value!r}")
    if x < low or x > high or (low_open and x == low) or (high_open and x == high):
        raise error(f"`{name}` must lie in {rng}; got {value!r}")
    return x


def check_int(
    name: str,
    value: object,
    *,
    low: int,
    high: int | None = None,
    error: type[QcoordParameterError] = GameParameterError,
    type_error: type[QcoordTypeError] = GameTypeError,
) -> int:
    """Validate an integer parameter and return it.

    >>> check_int("N", 10, low=1)
    10
    >>> check_int("N", 0, low=1)
    Traceback (most recent call last):
    ...
    games.errors.GameParameterError: `N` must be an integer >= 1; got 0
    """
    import numpy as np

    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise type_error(f"`{name}` must be an integer; got {value!r} of type {type(value).__name__}")
    v = int(value)
    if v < low or (high is not None and v > high):
        rng = f">= {low}" if high is None else f"in [{low}, {high}]"
        raise error(f"`{name}` must be an integer {rng}; got {v}")
    return v


def _fmt(x: float) -> str:
    if x == math.inf:
        return "inf"
    if x == -math.inf:
        return "-inf"
    return f"{x:g}"
