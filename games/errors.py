"""Exceptions raised by :mod:`games`.

Every error names the offending parameter, the expected range and the value
received, e.g. ``"`C` must lie in (0, 1); got 1.5"``.
"""

from __future__ import annotations

import math
import sys
from numbers import Real

from proofs.exact.errors import QcoordParameterError, QcoordTypeError, SolverError

__all__ = [
    "AnsatzError",
    "GameParameterError",
    "GameTypeError",
    "SearchError",
    "StrategyError",
    "check_bool",
    "check_choice",
    "check_directory",
    "check_int",
    "check_memory",
    "check_real",
    "check_seed",
    "check_type",
    "show",
]

#: the largest seed accepted (the command line's ``--seed`` range too)
SEED_MAX = 2**32 - 1


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
        raise type_error(f"`{name}` must be a real number; got {show(value)} of type {type(value).__name__}")
    x = float(value)
    lo_b = "(" if low_open else "["
    hi_b = ")" if high_open else "]"
    rng = f"{lo_b}{_fmt(low)}, {_fmt(high)}{hi_b}"
    if not math.isfinite(x):
        raise error(f"`{name}` must be a finite number in {rng}; got {value!r}")
    if x != 0 and abs(x) < sys.float_info.min:
        raise error(f"`{name}` must lie in {rng} and be 0 or a normal double (magnitude >= {sys.float_info.min:.17g}); got {value!r}")
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
        rng = f">= {low}" if high is None else f"in [{low}, {high}]"
        raise type_error(f"`{name}` must be an integer {rng}; got {show(value)} of type {type(value).__name__}")
    v = int(value)
    if v < low or (high is not None and v > high):
        rng = f">= {low}" if high is None else f"in [{low}, {high}]"
        raise error(f"`{name}` must be an integer {rng}; got {v}")
    return v


def show(value: object, limit: int = 60) -> str:
    """``repr(value)`` cut to ``limit`` characters, for error messages.

    >>> show("x" * 100)[:5], len(show("x" * 100))
    ("'xxxx", 63)
    """
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "..."


def check_type(
    name: str, value: object, types: type | tuple[type, ...], what: str, *, type_error: type[QcoordTypeError] = GameTypeError
) -> None:
    """Raise ``type_error`` naming ``name``, ``what`` it must be and the value given unless ``value`` is one of ``types``.

    >>> check_type("disc", "x", int, "a games.Discretisation")
    Traceback (most recent call last):
    ...
    games.errors.GameTypeError: `disc` must be a games.Discretisation; got 'x' of type str
    """
    if not isinstance(value, types):
        raise type_error(f"`{name}` must be {what}; got {show(value)} of type {type(value).__name__}")


def check_bool(name: str, value: object, *, type_error: type[QcoordTypeError] = GameTypeError) -> bool:
    """``value`` if it is a bool (numpy's too), else ``type_error``.

    >>> check_bool("continuum", "yes")
    Traceback (most recent call last):
    ...
    games.errors.GameTypeError: `continuum` must be True or False; got 'yes' of type str
    """
    import numpy as np

    if not isinstance(value, (bool, np.bool_)):
        raise type_error(f"`{name}` must be True or False; got {show(value)} of type {type(value).__name__}")
    return bool(value)


def check_choice(
    name: str, value: object, choices: tuple[str, ...], *, error: type[QcoordParameterError] = GameParameterError,
    type_error: type[QcoordTypeError] = GameTypeError,
) -> str:
    """``value`` if it is one of the strings ``choices``.

    >>> check_choice("route", "fast", ("exact", "proxy"))
    Traceback (most recent call last):
    ...
    games.errors.GameParameterError: `route` must be one of 'exact', 'proxy'; got 'fast'
    """
    if not isinstance(value, str):
        raise type_error(f"`{name}` must be one of {', '.join(map(repr, choices))}; got {show(value)} of type {type(value).__name__}")
    if value not in choices:
        raise error(f"`{name}` must be one of {', '.join(map(repr, choices))}; got {show(value)}")
    return value


def check_seed(
    name: str, value: object, *, error: type[QcoordParameterError] = GameParameterError, type_error: type[QcoordTypeError] = GameTypeError
) -> int:
    """A random seed: an integer in ``[0, 2^32 - 1]`` (not a bool, not a float).

    >>> check_seed("seed", -1)
    Traceback (most recent call last):
    ...
    games.errors.GameParameterError: `seed` must be an integer in [0, 4294967295]; got -1
    """
    return check_int(name, value, low=0, high=SEED_MAX, error=error, type_error=type_error)


def available_memory() -> int:
    """Bytes of memory available to a new allocation (``MemAvailable`` on Linux, else physical memory)."""
    import os

    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return int(os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    except (ValueError, OSError, AttributeError):
        return 2**63


def check_memory(
    name: str, value: int, needed: float, *, largest: int | None = None, available: int | None = None,
    error: type[QcoordParameterError] = GameParameterError,
) -> None:
    """Refuse ``value`` of ``name`` when its ``needed`` bytes exceed the memory available (before allocating anything).

    ``largest`` is the largest value that would fit, stated in the message as the range.

    >>> check_memory("N", 10**6, 8e12, largest=20000, available=2**32)
    Traceback (most recent call last):
    ...
    games.errors.GameParameterError: `N` must be at most 20000 on this machine (about 7451 GiB needed, 4 GiB available); got 1000000
    """
    avail = available_memory() if available is None else available
    if needed > avail:
        rng = f"at most {largest} on this machine" if largest is not None else "smaller on this machine"
        raise error(f"`{name}` must be {rng} (about {needed / 2**30:.0f} GiB needed, {avail / 2**30:.0f} GiB available); got {value}")


def check_cells(name: str, n: int, bytes_per_cell: float, *, error: type[QcoordParameterError] = GameParameterError) -> None:
    """:func:`check_memory` for an ``n x n`` table of ``bytes_per_cell`` bytes per cell."""
    import math

    avail = available_memory()
    check_memory(name, n, bytes_per_cell * float(n) ** 2, largest=math.isqrt(int(avail // bytes_per_cell)), available=avail, error=error)


def check_directory(
    name: str, value: object, *, error: type[QcoordParameterError] = GameParameterError, type_error: type[QcoordTypeError] = GameTypeError
) -> None:
    """Refuse a folder that cannot hold new files: not a path, an existing non-folder, or under a non-folder or a read-only folder.

    ``None`` passes (the default folder).  Nothing is created.

    >>> import tempfile, os
    >>> f = tempfile.mkstemp()[1]
    >>> check_directory("cert_dir", os.path.join(f, "sub"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    games.errors.GameParameterError: `cert_dir` must be a folder that exists or can be created; got '...' (... is a file, not a folder)
    """
    import os
    from pathlib import Path

    if value is None:
        return
    if not isinstance(value, (str, os.PathLike)) or isinstance(value, bytes):
        raise type_error(f"`{name}` must be a folder path (str or os.PathLike) or None; got {show(value)} of type {type(value).__name__}")
    path = Path(value)
    if str(value) == "" or "\0" in str(value):
        raise error(f"`{name}` must be a folder path; got {show(value)}")
    probe = path.absolute()
    while not os.path.lexists(probe) and probe != probe.parent:
        probe = probe.parent
    why = None
    if not probe.is_dir():
        why = f"{probe} is a file, not a folder" if os.path.lexists(probe) else f"{probe} cannot be resolved"
    elif not os.access(probe, os.W_OK | os.X_OK):
        why = f"{probe} is not writable"
    if why:
        raise error(f"`{name}` must be a folder that exists or can be created; got {show(str(value))} ({why})")


def _fmt(x: float) -> str:
    if x == math.inf:
        return "inf"
    if x == -math.inf:
        return "-inf"
    return f"{x:g}"
