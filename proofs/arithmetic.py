"""Exact and outward-rounded arithmetic for rebuilding a game's cell matrix.

A checker never trusts the matrix a solver used.  It rebuilds
``M[i, j] = integral over cell (i, j) of the +/-1 rule`` from the game's
description, with the game parameters read as exact rationals:

* each cell is classified *exactly* (fully bunch, fully split, or crossed by
  the boundary) in rational arithmetic;
* a fully bunch / split cell has ``M = +1/N^2`` / ``-1/N^2`` exactly;
* a crossed cell of the paper's game has area ``rational + C * ln(rational)``,
  enclosed with an arb ball (python-flint) and rounded outward to floats; the
  linear game's cells are rational.

The result is a pair of float arrays ``lo <= M <= hi`` (rigorous), plus the
exact rational parts for checks that want them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from proofs.errors import CertificateFormatError, ProofsParameterError

__all__ = [
    "CellEnclosure",
    "cell_enclosure",
    "check_classifiable",
    "exact_parameter",
    "float_down",
    "float_up",
    "parse_fraction",
]


def parse_fraction(x: Any, name: str = "value") -> Fraction:
    """Read ``"p/q"`` strings, ints or Fractions as an exact rational.

    Floats are refused: a certificate stores numbers exactly.

    >>> parse_fraction("33/100")
    Fraction(33, 100)
    >>> parse_fraction(0.5)
    Traceback (most recent call last):
    ...
    proofs.exact.errors.CertificateFormatError: `value` must be an exact rational ("p/q" string or integer); got 0.5
    """
    if isinstance(x, bool):
        raise CertificateFormatError(f"`{name}` must be an exact rational; got {x!r}")
    if isinstance(x, (int, Fraction)):
        return Fraction(x)
    if isinstance(x, str):
        try:
            return Fraction(x)
        except (ValueError, ZeroDivisionError) as exc:
            raise CertificateFormatError(f"`{name}` must be a rational \"p/q\"; got {x!r}") from exc
    raise CertificateFormatError(f"`{name}` must be an exact rational (\"p/q\" string or integer); got {x!r}")


def exact_parameter(x: float) -> Fraction:
    """The rational a certificate uses for a user-given float: its shortest decimal.

    ``0.33`` means ``33/100``, not the binary double nearest to it.

    >>> exact_parameter(0.33)
    Fraction(33, 100)
    """
    if not math.isfinite(x):
        raise ProofsParameterError(f"parameter must be finite; got {x!r}")
    return Fraction(repr(float(x)))


def float_down(x: Fraction | Any) -> float:
    """A float ``<= x`` (for rationals: correctly rounded then stepped down one ulp)."""
    return math.nextafter(float(x), -math.inf)


def float_up(x: Fraction | Any) -> float:
    """A float ``>= x``."""
    return math.nextafter(float(x), math.inf)


@dataclass(frozen=True, eq=False)
class CellEnclosure:
    """Rigorous enclosure ``lo <= M <= hi`` of a game's N-bin cell matrix.

    ``kind[i, j]`` is +1 (cell fully in the bunch region), -1 (fully split) or
    0 (crossed by the boundary); ``crossed_exact`` maps each crossed cell to
    ``(rational part q, log coefficient c, log argument r)`` with
    ``M = q + c ln r`` (``c = 0`` for rational cells).
    """

    n: int
    lo: NDArray[np.float64]
    hi: NDArray[np.float64]
    kind: NDArray[np.int8]
    crossed_exact: dict[tuple[int, int], tuple[Fraction, Fraction, Fraction]]

    @property
    def width(self) -> float:
        return float(np.max(self.hi - self.lo))


def cell_enclosure(game: dict[str, Any], n: int) -> CellEnclosure:
    """Rebuild the cell matrix of a described game with rigorous enclosures.

    ``game`` is ``XorGame.describe()`` output (or its ``"boundary"`` entry) with
    exact parameters, e.g. ``{"kind": "hyperbolic", "C": "33/100"}`` or
    ``{"kind": "linear", "s": "1"}``.

    >>> enc = cell_enclosure({"kind": "linear", "s": "1"}, 2)
    >>> enc.kind.tolist()
    [[1, 0], [0, -1]]
    >>> bool(enc.lo[0, 0] <= 0.25 <= enc.hi[0, 0])
    True
    """
    bd = game.get("boundary", game)
    kind = bd.get("kind")
    if not isinstance(n, int) or n < 1:
        raise ProofsParameterError(f"`N` must be a positive integer; got {n!r}")
    if kind == "hyperbolic":
        C = parse_fraction(bd["C"], "C")
        if not 0 < C < 1:
            raise ProofsParameterError(f"`C` must lie in (0, 1); got {C}")
        return _hyperbolic(C, n)
    if kind == "linear":
        s = parse_fraction(bd.get("s", 1), "s")
        if not 0 < s < 2:
            raise ProofsParameterError(f"`s` must lie in (0, 2); got {s}")
        return _linear(s, n)
    raise CertificateFormatError(f"game boundary kind must be 'hyperbolic' or 'linear'; got {kind!r}")


def _finish(n: int, kind: NDArray[np.int8], crossed: dict) -> CellEnclosure:
    full = Fraction(1, n * n)
    lo = np.where(kind == 1, float_down(full), float_down(-full)).astype(float)
    hi = np.where(kind == 1, float_up(full), float_up(-full)).astype(float)
    for (i, j), (q, c, r) in crossed.items():
        if c == 0:
            lo[i, j], hi[i, j] = float_down(q), float_up(q)
            continue
        val = _arb_q(q) + _arb_q(c) * _arb_q(r).log()
        lo[i, j] = float_down(val.lower())
        hi[i, j] = float_up(val.upper())
    return CellEnclosure(n, lo, hi, kind, crossed)


def check_classifiable(game: dict[str, Any], n: int) -> None:
    """Raise :class:`ProofsParameterError` unless :func:`cell_enclosure` can classify ``game``'s N-bin cells.

    Cheap (no enclosure is built), so commands call it before long work.

    >>> check_classifiable({"kind": "hyperbolic", "C": "33/100"}, 1000)
    >>> check_classifiable({"kind": "hyperbolic", "C": "617283945617/5000000000000"}, 1000)
    Traceback (most recent call last):
    ...
    proofs.errors.ProofsParameterError: C = 617283945617/5000000000000 with N = 1000 overflows exact int64 classification; use a simpler rational C
    """
    bd = game.get("boundary", game)
    if bd.get("kind") == "hyperbolic":
        _require_int64_classification(parse_fraction(bd["C"], "C"), n)


def _require_int64_classification(C: Fraction, n: int) -> None:
    # the hyperbolic classification compares (N-i)(N-j) q with p N^2 in int64
    if C.denominator * n * n >= 2**62:
        raise ProofsParameterError(f"C = {C} with N = {n} overflows exact int64 classification; use a simpler rational C")


def _arb_q(q: Fraction):  # noqa: ANN202
    from flint import arb

    return arb(q.numerator) / arb(q.denominator)


def _hyperbolic(C: Fraction, n: int) -> CellEnclosure:
    # bunch iff (1 - a)(1 - b) >= C; phi(a) = 1 - C/(1 - a); alpha(y) = 1 - C/(1 - y).
    # With C = p/q and edges k/N the classification is an integer comparison:
    # full bunch iff (N-i-1)(N-j-1) q >= p N^2; full split iff (N-i)(N-j) q <= p N^2.
    N = n
    p, q = C.numerator, C.denominator
    _require_int64_classification(C, N)
    ii = np.arange(N, dtype=np.int64)
    top_right = (N - ii[:, None] - 1) * (N - ii[None, :] - 1) * q
    bottom_left = (N - ii[:, None]) * (N - ii[None, :]) * q
    rhs = p * N * N
    kind = np.zeros((N, N), dtype=np.int8)
    kind[top_right >= rhs] = 1
    kind[bottom_left <= rhs] = -1
    crossed: dict[tuple[int, int], tuple[Fraction, Fraction, Fraction]] = {}
    for i, j in zip(*np.nonzero(kind == 0)):
        i, j = int(i), int(j)
        a0, a1 = Fraction(i, N), Fraction(i + 1, N)
        b0, b1 = Fraction(j, N), Fraction(j + 1, N)
        al1 = 1 - C / (1 - b1) if b1 < 1 else Fraction(-1)
        al0 = 1 - C / (1 - b0)
        x_lo = min(max(al1, a0), a1)
        x_hi = min(max(al0, a0), a1)
        # area = (b1 - b0)(x_lo - a0) + int_{x_lo}^{x_hi} (phi - b0) da, with int phi = x + C ln(1 - x)
        rational = (b1 - b0) * (x_lo - a0) + (1 - b0) * (x_hi - x_lo)
        # M = 2 * area - 1/N^2 = 2 * rational - 1/N^2 + 2C ln((1 - x_hi) / (1 - x_lo))
        crossed[(i, j)] = (2 * rational - Fraction(1, N * N), 2 * C, (1 - x_hi) / (1 - x_lo))
    return _finish(n, kind, crossed)


def _linear(s: Fraction, n: int) -> CellEnclosure:
    # bunch iff a + b <= s; with s = p/q: full bunch iff (i+1+j+1) q <= p N, full split iff (i+j) q >= p N
    N = n
    p, q = s.numerator, s.denominator
    ii = np.arange(N, dtype=np.int64)
    tot = ii[:, None] + ii[None, :]
    kind = np.zeros((N, N), dtype=np.int8)
    kind[(tot + 2) * q <= p * N] = 1
    kind[tot * q >= p * N] = -1
    crossed: dict[tuple[int, int], tuple[Fraction, Fraction, Fraction]] = {}
    for i, j in zip(*np.nonzero(kind == 0)):
        i, j = int(i), int(j)
        area = _linear_area(s, Fraction(i, N), Fraction(i + 1, N), Fraction(j, N), Fraction(j + 1, N))
        crossed[(i, j)] = (2 * area - Fraction(1, N * N), Fraction(0), Fraction(1))
    return _finish(n, kind, crossed)


def _linear_area(s: Fraction, a0: Fraction, a1: Fraction, b0: Fraction, b1: Fraction) -> Fraction:
    # area of {a + b <= s} in the rectangle: integrate min(max(s - a, b0), b1) - b0 over a, piecewise linear
    pts = sorted({a0, a1, min(max(s - b1, a0), a1), min(max(s - b0, a0), a1)})
    total = Fraction(0)
    for x, y in zip(pts, pts[1:]):
        f = lambda a: min(max(s - a, b0), b1) - b0  # noqa: E731
        total += (y - x) * (f(x) + f(y)) / 2  # the integrand is linear on each piece
    return total
