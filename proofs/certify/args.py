"""Argument checks of the certify functions: the validators of :mod:`games.errors` raising
:class:`~proofs.exact.errors.ProofsParameterError` / :class:`~proofs.exact.errors.QcoordTypeError`.

Every public function of :mod:`proofs.certify` checks all its arguments with these before any work,
so a bad call fails at once with one message naming the parameter, its range and the value given.

>>> check_seed("seed", 1.5)
Traceback (most recent call last):
...
proofs.exact.errors.QcoordTypeError: `seed` must be an integer in [0, 4294967295]; got 1.5 of type float
"""

from __future__ import annotations

import math
from typing import Any

from games import errors as _e
from proofs.exact.errors import ProofsParameterError, QcoordTypeError

__all__ = ["BYTES_PER_CELL", "check_bool", "check_cells", "check_choice", "check_directory", "check_game", "check_int", "check_real",
           "check_seed", "check_type"]

#: peak bytes per cell of an N-bin certification (measured for ``qcoord game``: N = 2000 peaks at 1.1 GB, about
#: 28 float64 copies of the cell matrix across search, Tsirelson solver, enclosure and checkers)
BYTES_PER_CELL = 256
_KW: dict[str, Any] = {"error": ProofsParameterError, "type_error": QcoordTypeError}


def check_int(name: str, value: object, *, low: int, high: int | None = None) -> int:
    return _e.check_int(name, value, low=low, high=high, **_KW)


def check_real(name: str, value: object, *, low: float = -math.inf, high: float = math.inf, low_open: bool = False,
               high_open: bool = False) -> float:
    return _e.check_real(name, value, low=low, high=high, low_open=low_open, high_open=high_open, **_KW)


def check_seed(name: str, value: object) -> int:
    return _e.check_seed(name, value, **_KW)


def check_bool(name: str, value: object) -> bool:
    return _e.check_bool(name, value, type_error=QcoordTypeError)


def check_choice(name: str, value: object, choices: tuple[str, ...]) -> str:
    return _e.check_choice(name, value, choices, **_KW)


def check_directory(name: str, value: object) -> None:
    _e.check_directory(name, value, **_KW)


def check_type(name: str, value: object, types: type | tuple[type, ...], what: str) -> None:
    _e.check_type(name, value, types, what, type_error=QcoordTypeError)


def check_cells(name: str, n: int, bytes_per_cell: float = BYTES_PER_CELL) -> None:
    _e.check_cells(name, n, bytes_per_cell, error=ProofsParameterError)


def check_game(name: str, game: object) -> None:
    """``game`` must be a :class:`games.XorGame`."""
    from games.spec import XorGame

    check_type(name, game, XorGame, "a games.XorGame (games.paper_game(C), ...)")
