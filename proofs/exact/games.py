"""The exact game description: one ``exact_game``, one JSON shape, one registry of game types.

A certificate names its game as a flat JSON object with a ``type`` and exact
parameters, for example ``{"type": "hyperbolic", "C": "33/100"}`` (the
paper's game, bunch iff ``(1 - a)(1 - b) >= C``) or
``{"type": "linear", "s": "1"}`` (bunch iff ``a + b <= s``).  Checkers read
it with :func:`exact_game` and rebuild everything from the parsed object,
never from free-text fields.

Game types are classes registered in :data:`GAME_TYPES`.  A type provides

``from_params(params)`` (classmethod)
    build from the certificate's parameters (strict: exact rationals only,
    ranges checked; raise :class:`GameDescriptionError`);
``from_describe(boundary)`` (classmethod)
    build from a solver-side ``XorGame.describe()["boundary"]`` dict, whose
    numbers may be floats (the default reads each float as its shortest
    decimal, :func:`proofs.exact.rational.exact_parameter`);
``params()``
    the exact parameters as ``"p/q"`` strings (the inverse of ``from_params``);
``classify(n)``
    the exact classification of the ``n x n`` cells: an int8 array ``kind``
    (+1 fully bunch, -1 fully split, 0 crossed) and, for each crossed cell,
    ``(q, c, r)`` with cell value ``M = q + c ln r`` (``c = 0``: rational);
    the arithmetic must not overflow (Python ints, or a proved bound);
``bunch_area(a0, a1, b0, b1)``
    the exact bunch area of a rectangle as ``(q, c, r)`` meaning ``q + c ln r``.

A type that lives in its own module is listed in :data:`_PLUGIN_MODULES`
(type name -> module) and imported on first use; the module registers its
class with :func:`register_game_type`.

>>> g = exact_game({"type": "hyperbolic", "C": "33/100"})
>>> g.describe(), g.label()
({'type': 'hyperbolic', 'C': '33/100'}, 'hyperbolic C=33/100')
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from proofs.exact.errors import CertificateFormatError, QcoordParameterError
from proofs.exact.rational import exact_parameter, fraction_str, parse_fraction

__all__ = [
    "COUNT_TEXT",
    "GAME_TYPES",
    "GameDescriptionError",
    "GameType",
    "Hyperbolic",
    "Linear",
    "check_params",
    "crossed_from_thresholds",
    "exact_game",
    "register_game_type",
]

Crossed = dict[tuple[int, int], tuple[Fraction, Fraction, Fraction]]

#: a side or count in a game header: ASCII digits, no sign, no leading zero ("²" and "٢" pass str.isdigit but are no such text)
COUNT_TEXT = re.compile(r"[1-9][0-9]{0,4}")


class GameDescriptionError(CertificateFormatError, QcoordParameterError):
    """A game description is malformed or a parameter is out of range (names the field, range and value)."""


#: game type name -> class
GAME_TYPES: dict[str, type[GameType]] = {}

#: game types defined in their own module, imported on first use
_PLUGIN_MODULES: dict[str, str] = {
    "sum-threshold": "proofs.exact.sum_threshold",
    "correlator": "proofs.exact.correlator_game",
    "xor-matrix": "proofs.exact.xor_matrix",
}


def register_game_type(cls: type[GameType]) -> type[GameType]:
    """Class decorator: make ``cls`` the game type named ``cls.name``."""
    GAME_TYPES[cls.name] = cls
    return cls


class GameType:
    """Base of the exact game types (see the module docstring for the protocol)."""

    name: ClassVar[str] = ""

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> GameType:
        raise NotImplementedError

    @classmethod
    def from_describe(cls, boundary: Mapping[str, Any]) -> GameType:
        exact = {k: (v if isinstance(v, str) else fraction_str(exact_parameter(v, k))) for k, v in boundary.items() if k != "kind"}
        return cls.from_params(exact)

    def params(self) -> dict[str, str]:
        raise NotImplementedError

    def classify(self, n: int) -> tuple[NDArray[np.int8], Crossed]:
        raise NotImplementedError

    def bunch_area(self, a0: Fraction, a1: Fraction, b0: Fraction, b1: Fraction) -> tuple[Fraction, Fraction, Fraction]:
        raise NotImplementedError

    def describe(self) -> dict[str, str]:
        """The certificate's JSON form ``{"type": ..., <exact parameters>}``."""
        return {"type": self.name, **self.params()}

    def label(self) -> str:
        return " ".join([self.name, *(f"{k}={v}" for k, v in self.params().items())])


def check_params(params: Any, allowed: set[str], type_name: str) -> Mapping[str, Any]:
    """``params`` if it is a JSON object whose keys are all in ``allowed``; else :class:`GameDescriptionError`.

    >>> check_params({"C": "1/3"}, {"C"}, "hyperbolic")
    {'C': '1/3'}
    """
    if not isinstance(params, Mapping):
        raise GameDescriptionError(f"game parameters must be a JSON object; got {type(params).__name__}")
    extra = sorted(set(params) - allowed)
    if extra:
        raise GameDescriptionError(f"game type {type_name!r} has no parameter(s) {extra[:5]}")
    return params


def _param(params: Mapping[str, Any], key: str, low: Fraction, high: Fraction, type_name: str, *, high_open: bool = True) -> Fraction:
    if not isinstance(params, Mapping):
        raise GameDescriptionError(f"game parameters must be a JSON object; got {type(params).__name__}")
    if key not in params:
        raise GameDescriptionError(f"game type {type_name!r} needs the parameter {key!r}")
    check_params(params, {key}, type_name)
    try:
        v = parse_fraction(params[key], key)
    except CertificateFormatError as exc:
        raise GameDescriptionError(str(exc)) from exc
    if not (low < v and (v < high if high_open else v <= high)):
        raise GameDescriptionError(f"`{key}` must lie in ({low}, {high}{')' if high_open else ']'}; got {v}")
    return v


def crossed_from_thresholds(n: int, bunch_end: list[int], split_start: list[int]) -> NDArray[np.int8]:
    """The ``kind`` matrix of a boundary given, per row ``i``, the last fully bunch column and the first fully split one.

    Row thresholds are Python ints; they are clipped to ``[-1, n]`` before the
    conversion to int64, so no comparison can overflow.

    >>> crossed_from_thresholds(3, [1, 0, -1], [2, 2, 1]).tolist()
    [[1, 1, -1], [1, 0, -1], [0, -1, -1]]
    """
    be, s2 = _row_ranges(n, bunch_end, split_start)
    j = np.arange(n, dtype=np.int64)[None, :]
    # +1 on j <= be, -1 on j >= s2 = max(ss, be + 1): the two masks never overlap
    kind = (j <= be[:, None]).view(np.int8)
    kind -= (j >= s2[:, None]).view(np.int8)
    return kind


def _row_ranges(n: int, bunch_end: list[int], split_start: list[int]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Per row, the last fully bunch column ``be`` and the first fully split column ``s2 > be``, clipped to ``[-1, n]``.

    The crossed cells of row ``i`` are the columns ``be_i < j < s2_i``.

    >>> [a.tolist() for a in _row_ranges(3, [1, 0, -1], [2, 2, 1])]
    [[1, 0, -1], [2, 2, 1]]
    """
    be = np.array([min(max(int(t), -1), n) for t in bunch_end], dtype=np.int64)
    ss = np.array([min(max(int(t), -1), n) for t in split_start], dtype=np.int64)
    return be, np.maximum(ss, be + 1)


def _ceil_div(a: int, b: int) -> int:
    return -((-a) // b)


def _hyperbolic_cell(i: int, s: int, n: int, p: int, q: int) -> tuple[int, int, tuple[int, int] | None]:
    """Cell ``(i, n - s)`` of the hyperbolic game with ``C = p/q``: ``M = m / mden + 2 C ln(r)`` in Python ints.

    The rational arithmetic of :meth:`Hyperbolic.bunch_area` (cell
    ``[i/n, (i+1)/n] x [1 - s/n, 1 - (s-1)/n]``) on unreduced numerator /
    denominator pairs, so no gcd is taken per operation; ``r`` is ``None``
    when the boundary's cut points coincide (``c = 0``).  Python integers:
    no overflow.

    >>> m, d, r = _hyperbolic_cell(0, 2, 2, 1, 2)   # C = 1/2, N = 2, cell (0, 0): M = 3/4 + ln(1/2)
    >>> Fraction(m, d), Fraction(*r)
    (Fraction(3, 4), Fraction(1, 2))
    """
    # alpha(y) = 1 - C / (1 - y): at b0 (1 - b0 = s/n) and b1 (1 - b1 = (s-1)/n; alpha = -1 when b1 = 1)
    nh, dh = q * s - p * n, q * s
    nl, dl = (q * (s - 1) - p * n, q * (s - 1)) if s > 1 else (-1, 1)
    # clamp both to [a0, a1] = [i/n, (i+1)/n] (denominators are positive)
    if nl * n < i * dl:
        nl, dl = i, n
    elif nl * n > (i + 1) * dl:
        nl, dl = i + 1, n
    if nh * n < i * dh:
        nh, dh = i, n
    elif nh * n > (i + 1) * dh:
        nh, dh = i + 1, n
    # area = (1/n)(x_lo - a0) + (s/n)(x_hi - x_lo); M = 2 area - 1/n^2, over the denominator n^2 dl dh
    m = 2 * ((nl * n - i * dl) * dh + s * n * (nh * dl - nl * dh)) - dl * dh
    mden = n * n * dl * dh
    if nh * dl == nl * dh:
        return m, mden, None
    return m, mden, ((dh - nh) * dl, dh * (dl - nl))  # r = (1 - x_hi) / (1 - x_lo)


@register_game_type
@dataclass(frozen=True)
class Hyperbolic(GameType):
    """The paper's game: bunch iff ``(1 - a)(1 - b) >= C``, ``C`` in (0, 1).

    >>> Hyperbolic(Fraction(1, 2)).classify(2)[0].tolist()
    [[0, -1], [-1, -1]]
    """

    C: Fraction
    name: ClassVar[str] = "hyperbolic"

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Hyperbolic:
        return cls(_param(params, "C", Fraction(0), Fraction(1), cls.name))

    def params(self) -> dict[str, str]:
        return {"C": fraction_str(self.C)}

    def classify(self, n: int) -> tuple[NDArray[np.int8], Crossed]:
        # With C = p/q and cell edges k/N, in Python ints (no overflow for any C or N):
        # full bunch iff (N-i-1)(N-j-1) q >= p N^2, full split iff (N-i)(N-j) q <= p N^2.
        N, C = n, self.C
        p, q = C.numerator, C.denominator
        rhs = p * N * N
        bunch_end = [N - 1 - _ceil_div(rhs, (N - i - 1) * q) if i < N - 1 else -1 for i in range(N)]
        split_start = [N - rhs // ((N - i) * q) for i in range(N)]
        kind = crossed_from_thresholds(N, bunch_end, split_start)
        be, s2 = _row_ranges(N, bunch_end, split_start)
        crossed: Crossed = {}
        c2 = 2 * C
        zero, one = Fraction(0), Fraction(1)
        for i, j in ((i, j) for i, (b, e) in enumerate(zip(be.tolist(), s2.tolist())) for j in range(b + 1, min(e, N))):
            m, mden, r = _hyperbolic_cell(i, N - j, N, p, q)
            # M = 2 * area - 1/N^2 (the same value as from bunch_area, in one normalisation per number)
            crossed[(i, j)] = (Fraction(m, mden), zero, one) if r is None else (Fraction(m, mden), c2, Fraction(*r))
        return kind, crossed

        return kind, crossed

    def bunch_area(self, a0: Fraction, a1: Fraction, b0: Fraction, b1: Fraction) -> tuple[Fraction, Fraction, Fraction]:
        """Exact bunch area of ``[a0, a1] x [b0, b1]`` as ``(q, c, r)``, area ``= q + c ln r``.

        >>> q, c, r = Hyperbolic(Fraction(1, 2)).bunch_area(Fraction(0), Fraction(1), Fraction(0), Fraction(1))
        >>> round(float(q) + float(c) * __import__("math").log(r), 12)   # (1 - C) + C ln C
        0.15342640972
        """
        C = self.C

        def alpha(y: Fraction) -> Fraction:  # sup {a : phi(a) >= y}, phi(a) = 1 - C/(1 - a)
            return 1 - C / (1 - y) if y < 1 else Fraction(-1)

        x_lo = min(max(alpha(b1), a0), a1)
        x_hi = min(max(alpha(b0), a0), a1)
        # area = (b1 - b0)(x_lo - a0) + int_{x_lo}^{x_hi} (phi - b0) da, with int phi = x + C ln(1 - x)
        q = (b1 - b0) * (x_lo - a0) + (1 - b0) * (x_hi - x_lo)
        if x_hi == x_lo:
            return q, Fraction(0), Fraction(1)
        return q, C, (1 - x_hi) / (1 - x_lo)


@register_game_type
@dataclass(frozen=True)
class Linear(GameType):
    """The linear-boundary game: bunch iff ``a + b <= s``, ``s`` in (0, 2).

    >>> Linear(Fraction(1)).classify(2)[0].tolist()
    [[1, 0], [0, -1]]
    """

    s: Fraction
    name: ClassVar[str] = "linear"

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> Linear:
        return cls(_param(params, "s", Fraction(0), Fraction(2), cls.name))

    def params(self) -> dict[str, str]:
        return {"s": fraction_str(self.s)}

    def classify(self, n: int) -> tuple[NDArray[np.int8], Crossed]:
        # s = p/q: full bunch iff (i+1+j+1) q <= p N, full split iff (i+j) q >= p N (Python ints)
        N = n
        p, q = self.s.numerator, self.s.denominator
        fl = (p * N) // q
        ce = _ceil_div(p * N, q)
        kind = crossed_from_thresholds(N, [fl - i - 2 for i in range(N)], [ce - i for i in range(N)])
        crossed: Crossed = {}
        for i, j in zip(*np.nonzero(kind == 0)):
            i, j = int(i), int(j)
            area, _, _ = self.bunch_area(Fraction(i, N), Fraction(i + 1, N), Fraction(j, N), Fraction(j + 1, N))
            crossed[(i, j)] = (2 * area - Fraction(1, N * N), Fraction(0), Fraction(1))
        return kind, crossed

    def bunch_area(self, a0: Fraction, a1: Fraction, b0: Fraction, b1: Fraction) -> tuple[Fraction, Fraction, Fraction]:
        """Exact (rational) bunch area of ``[a0, a1] x [b0, b1]``.

        >>> Linear(Fraction(1)).bunch_area(Fraction(0), Fraction(1), Fraction(0), Fraction(1))
        (Fraction(1, 2), Fraction(0, 1), Fraction(1, 1))
        """
        s = self.s
        pts = sorted({a0, a1, min(max(s - b1, a0), a1), min(max(s - b0, a0), a1)})
        f = lambda a: min(max(s - a, b0), b1) - b0  # noqa: E731 - linear on each piece
        return sum(((y - x) * (f(x) + f(y)) / 2 for x, y in zip(pts, pts[1:])), Fraction(0)), Fraction(0), Fraction(1)


def _game_class(name: Any) -> type[GameType]:
    if not isinstance(name, str):
        raise GameDescriptionError(f"game field 'type' must be a string; got {str(name)[:40]}")
    if name not in GAME_TYPES and name in _PLUGIN_MODULES:
        try:
            importlib.import_module(_PLUGIN_MODULES[name])
        except ImportError as exc:
            raise GameDescriptionError(f"game type {name!r} has no exact description here ({exc}); available: {sorted(GAME_TYPES)}") from exc
    if name not in GAME_TYPES:
        raise GameDescriptionError(f"unknown game type {name[:40]!r}; known types: {sorted(set(GAME_TYPES) | set(_PLUGIN_MODULES))}")
    return GAME_TYPES[name]


def exact_game(game: Any) -> GameType:
    """The exact description of a game.

    Accepts a :class:`GameType`, a certificate's game object
    ``{"type": ..., <exact parameters>}`` (strict: no floats), or any object
    with a ``describe()`` method returning ``{"boundary": {"kind": ...}}``
    (a ``games.XorGame``; its float parameters are read as their shortest
    decimals).

    >>> exact_game({"type": "linear", "s": "1"})
    Linear(s=Fraction(1, 1))
    >>> exact_game({"type": "hyperbolic", "C": "2"})
    Traceback (most recent call last):
    ...
    proofs.exact.games.GameDescriptionError: `C` must lie in (0, 1); got 2
    """
    if isinstance(game, GameType):
        return game
    if isinstance(game, Mapping):
        if "type" not in game:
            raise GameDescriptionError("game description must be a JSON object with a 'type' field, e.g. {\"type\": \"hyperbolic\", \"C\": \"33/100\"}")
        cls = _game_class(game["type"])
        return cls.from_params({k: v for k, v in game.items() if k != "type"})
    describe = getattr(game, "describe", None)
    if callable(describe):
        bd = describe().get("boundary")
        if not isinstance(bd, Mapping):
            raise GameDescriptionError(f"game {type(game).__name__} has no closed-form boundary description")
        return _game_class(bd.get("kind")).from_describe(bd)
    raise GameDescriptionError(f"`game` must be a game object or an exact game description; got {type(game).__name__}")
