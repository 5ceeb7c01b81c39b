"""Exact cell classification and outward-rounded cell values of sum-threshold games.

The sum-threshold game of a service law ``F`` with threshold ``t`` bunches
iff ``X1 + X2 <= t``; in CDF coordinates ``a = F(X1)``, ``b = F(X2)`` the
inputs are uniform.  Its N-bin cell ``(i, j)`` is ``[a_i, a_{i+1}] x [b_j,
b_{j+1}]`` with ``a_i = b_i = i/N``; in service-time coordinates it is
``[x_i, x_{i+1}] x [x_j, x_{j+1}]`` with quantiles ``x_k = F^{-1}(k/N)``.

Classification (proved, never guessed)
    full bunch iff ``x_{i+1} + x_{j+1} <= t``, full split iff
    ``x_i + x_j >= t``.  The quantiles are arb enclosures
    (:mod:`proofs.exact.laws`); a cell whose test the enclosures cannot decide
    is kept as *crossed* (``kind == 0``), which is always sound because the
    crossed-cell formula below is exact for every cell.

Crossed cells
    with ``x_lo = clamp(t - x_{j+1}, x_i, x_{i+1})`` and
    ``x_hi = clamp(t - x_j, x_i, x_{i+1})`` the bunch probability of the cell is

        ``(b_{j+1} - b_j) (F(x_lo) - a_i) + integral_{x_lo}^{x_hi} (F(t - x) - b_j) f(x) dx``

    (left of ``x_lo`` the cell's column is fully bunch; on ``[x_lo, x_hi]``
    the boundary crosses it).  The integral is enclosed by arb's rigorous
    integration (:meth:`flint.acb.integral`, Petras' algorithm with error
    bounds) between dyadic points near ``x_lo``, ``x_hi``; the two end slivers
    add at most ``2 |F(p) - F(x)|`` each.  Where the integrand is not analytic
    (a density singular at 0, a CDF singular at 0 reached as ``t - x -> 0``),
    the interval is cut geometrically towards both ends and the pieces arb
    cannot certify take the monotone bound
    ``[dF (F(t - s') - b_j), dF (F(t - s) - b_j)]`` (``F(t - x)`` decreases).

The cell value is ``M = 2 * bunch - 1/N^2``, returned as floats ``lo <= M <=
hi`` rounded outward.  This module imports only the standard library, numpy
and python-flint.

>>> cells = sum_threshold_cells({"kind": "sum-threshold", "law": "uniform", "t": "1"}, 2)
>>> cells.kind.tolist()   # t = 1 on (0, 2): the boundary is the anti-diagonal a + b = 1/2
[[0, -1], [-1, -1]]
>>> bool(cells.lo[0, 0] <= 2 * (1 / 8) - 1 / 4 <= cells.hi[0, 0])   # bunch area 1/8 of the 1/4 cell
True
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any, ClassVar

import numpy as np
from numpy.typing import NDArray

from proofs.exact.errors import CertificateFormatError, QcoordParameterError
from proofs.exact.games import GameDescriptionError, GameType, check_params, register_game_type
from proofs.exact.laws import ExactLaw, exact_law, working_precision
from proofs.exact.rational import arb_fraction, parse_fraction, show_rational

__all__ = ["MAX_T", "SumThreshold", "SumThresholdCells", "exact_sum_threshold", "sum_threshold_cells"]

#: largest threshold ``t`` read (every law has mean 1, so beyond a few units the game is all bunch;
#: the limit keeps every quantile sum and rounding in the float range)
MAX_T = 10**6

#: geometric refinement levels towards each end when arb's integration cannot certify a crossed cell
GEOMETRIC_LEVELS = 48


@dataclass(frozen=True, eq=False)
class SumThresholdCells:
    """Rigorous enclosure ``lo <= M <= hi`` of a sum-threshold game's N-bin cell matrix.

    ``kind[i, j]`` is +1 (proved full bunch), -1 (proved full split) or 0
    (crossed, or undecided by the enclosures); ``balls[(i, j)]`` is the arb
    enclosure of ``M[i, j]`` for every ``kind == 0`` cell.
    """

    n: int
    lo: NDArray[np.float64]
    hi: NDArray[np.float64]
    kind: NDArray[np.int8]
    balls: dict[tuple[int, int], Any]

    @property
    def width(self) -> float:
        return float(np.max(self.hi - self.lo))


@register_game_type
@dataclass(frozen=True)
class SumThreshold(GameType):
    """The game type ``{"type": "sum-threshold", "law": NAME, "param": "p/q", "t": "p/q"}`` (a catalogue law).

    It has no closed-form cell values: :meth:`classify` returns the proved
    classification with no exact triples, and :meth:`crossed_balls` the arb
    enclosures of the crossed cells (read by :func:`proofs.exact.cells.cell_enclosure`).

    >>> g = SumThreshold.from_params({"law": "gamma", "param": "2", "t": "3/2"})
    >>> g.describe(), g.classify(2)[0].tolist()
    ({'type': 'sum-threshold', 'law': 'gamma', 'param': '2', 't': '3/2'}, [[0, 0], [0, -1]])
    """

    law: str
    param: Fraction | None
    t: Fraction
    name: ClassVar[str] = "sum-threshold"

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> SumThreshold:
        check_params(params, {"law", "param", "t"}, cls.name)
        try:
            law, t = exact_sum_threshold({"kind": "sum-threshold", **params})
        except (CertificateFormatError, QcoordParameterError) as exc:
            raise GameDescriptionError(str(exc)) from exc
        return cls(law.name, law.param, t)

    @classmethod
    def from_describe(cls, boundary: Mapping[str, Any]) -> SumThreshold:
        keys = set(boundary) - {"kind"}
        if not (isinstance(boundary.get("law"), str) and keys <= {"law", "param", "t"} and all(isinstance(boundary[k], str) for k in keys)):
            raise GameDescriptionError(
                "a sum-threshold game has an exact description only for a catalogue law (games.laws.law_game); "
                f"this one ({str(boundary.get('law'))[:30]}) has none; closed-form game types: hyperbolic (exponential law), linear"
            )
        return cls.from_params({k: boundary[k] for k in keys})

    def params(self) -> dict[str, str]:
        out = {"law": self.law}
        if self.param is not None:
            out["param"] = _frac(self.param)
        out["t"] = _frac(self.t)
        return out

    def _cells(self, n: int) -> SumThresholdCells:
        return sum_threshold_cells({"kind": "sum-threshold", **self.params()}, n)

    def classify(self, n: int) -> tuple[NDArray[np.int8], dict]:
        return np.array(self._cells(n).kind), {}

    def crossed_balls(self, n: int) -> dict[tuple[int, int], Any]:
        """Arb enclosure of ``M[i, j]`` for every crossed (or undecided) cell."""
        return self._cells(n).balls

    def bunch_area(self, a0: Fraction, a1: Fraction, b0: Fraction, b1: Fraction) -> tuple[Fraction, Fraction, Fraction]:
        raise GameDescriptionError("the sum-threshold game of a general law has no closed-form rectangle areas; use its N-bin cells")


def _frac(x: Fraction) -> str:
    return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"


def exact_sum_threshold(desc: dict[str, Any]) -> tuple[ExactLaw, Fraction]:
    """Validate a ``{"kind": "sum-threshold", "law", "param", "t"}`` description.

    >>> law, t = exact_sum_threshold({"kind": "sum-threshold", "law": "gamma", "param": "2", "t": "3/2"})
    >>> law.name, t
    ('gamma', Fraction(3, 2))
    """
    bd = desc.get("boundary", desc) if isinstance(desc, dict) else None
    if isinstance(bd, dict) and bd.get("type") == "sum-threshold":
        bd = {**{k: v for k, v in bd.items() if k != "type"}, "kind": "sum-threshold"}
    if not isinstance(bd, dict) or bd.get("kind") != "sum-threshold":
        raise CertificateFormatError(f"expected a 'sum-threshold' game description; got {desc!r}")
    extra = sorted(set(bd) - {"kind", "law", "param", "t"})
    if extra:
        raise CertificateFormatError(f"a sum-threshold game has no field(s) {extra[:5]}")
    law = exact_law({k: bd[k] for k in ("law", "param") if k in bd})
    t = parse_fraction(bd.get("t"), "t")  # digit limits before any arithmetic ("1e999999999" is refused, not expanded)
    if not 0 < t <= MAX_T:
        raise QcoordParameterError(f"`t` must lie in (0, {MAX_T}] (the laws have mean 1); got {show_rational(t)}")
    return law, t


def sum_threshold_cells(desc: dict[str, Any], n: int) -> SumThresholdCells:
    """Classify and enclose every cell of the N-bin sum-threshold game ``desc``.

    ``desc`` is ``{"kind": "sum-threshold", "law": NAME, "param": "p/q", "t": "p/q"}``
    (or a game description holding it under ``"boundary"``).  Results are
    cached per ``(desc, n)``: checkers of one game share one enclosure.

    >>> c = sum_threshold_cells({"kind": "sum-threshold", "law": "exponential", "t": "1"}, 4)
    >>> c.kind.tolist()
    [[1, 1, 0, -1], [1, 0, 0, -1], [0, 0, -1, -1], [-1, -1, -1, -1]]
    >>> sum_threshold_cells({"kind": "sum-threshold", "law": "exponential", "t": "1"}, 0)
    Traceback (most recent call last):
    ...
    proofs.exact.errors.QcoordParameterError: `N` must be a positive integer; got 0
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise QcoordParameterError(f"`N` must be a positive integer; got {n!r}")
    law, t = exact_sum_threshold(desc)
    key = json.dumps({"law": law.name, "param": str(law.param), "t": str(t)}, sort_keys=True)
    return _cells(key, n)


@lru_cache(maxsize=16)
def _cells(key: str, n: int) -> SumThresholdCells:
    spec = json.loads(key)
    law = exact_law({"law": spec["law"], **({"param": spec["param"]} if spec["param"] != "None" else {})})
    t = Fraction(spec["t"])
    qs, qlo, qhi = _quantiles(spec["law"], spec["param"], n)
    with working_precision():
        T = arb_fraction(t)
        t_lo, t_hi = _down(T), _up(T)
        with np.errstate(invalid="ignore"):
            top = np.nextafter(qhi[1:, None] + qhi[None, 1:], np.inf)  # >= x_{i+1} + x_{j+1}
            bot = np.nextafter(qlo[:-1, None] + qlo[None, :-1], -np.inf)  # <= x_i + x_j
        kind = np.zeros((n, n), dtype=np.int8)
        kind[top <= t_lo] = 1
        kind[bot >= t_hi] = -1
        crossed_sure = (np.nextafter(qhi[:-1, None] + qhi[None, :-1], np.inf) < t_lo) & (
            np.nextafter(qlo[1:, None] + qlo[None, 1:], -np.inf) > t_hi
        )
        # undecided by floats: decide with the balls (exact for dyadic quantiles such as the uniform law's)
        for i, j in zip(*np.nonzero((kind == 0) & ~crossed_sure)):
            i, j = int(i), int(j)
            if _finite(qs[i + 1]) and _finite(qs[j + 1]) and qs[i + 1] + qs[j + 1] <= T:
                kind[i, j] = 1
            elif qs[i] + qs[j] >= T:
                kind[i, j] = -1
        full = Fraction(1, n * n)
        lo = np.where(kind == 1, _fdown(full), _fdown(-full)).astype(float)
        hi = np.where(kind == 1, _fup(full), _fup(-full)).astype(float)
        balls: dict[tuple[int, int], Any] = {}
        for i, j in zip(*np.nonzero(kind == 0)):
            i, j = int(i), int(j)
            m = _crossed_value(law, T, qs, i, j, n)
            balls[(i, j)] = m
            lo[i, j] = max(_down(m), -float(full))
            hi[i, j] = min(_up(m), float(full))
    for a in (lo, hi, kind):
        a.setflags(write=False)
    return SumThresholdCells(n, lo, hi, kind, balls)


@lru_cache(maxsize=64)
def _quantiles(name: str, param: str, n: int) -> tuple[list, NDArray[np.float64], NDArray[np.float64]]:
    """Quantile balls ``F^{-1}(k/N)`` and float bounds (independent of ``t``, so shared across thresholds)."""
    law = exact_law({"law": name, **({"param": param} if param != "None" else {})})
    with working_precision():
        qs = [law.ppf(Fraction(k, n)) for k in range(n + 1)]
        qlo = np.array([_down(b) for b in qs])
        qhi = np.array([_up(b) for b in qs])
    if not _finite(qs[n]):  # F^{-1}(1) = +inf for an unbounded support
        qlo[n] = qhi[n] = math.inf
    for a in (qlo, qhi):
        a.setflags(write=False)
    return qs, qlo, qhi


def _crossed_value(law: ExactLaw, T: Any, qs: list, i: int, j: int, n: int) -> Any:
    """Arb enclosure of ``M[i, j] = 2 P(cell and bunch) - 1/N^2`` (see the module docstring)."""
    from flint import arb

    a0, a1 = arb_fraction(Fraction(i, n)), arb_fraction(Fraction(i + 1, n))
    b0, b1 = arb_fraction(Fraction(j, n)), arb_fraction(Fraction(j + 1, n))
    f_lo = _clamp(law.cdf(T - qs[j + 1]) if _finite(qs[j + 1]) else arb(0), a0, a1)
    f_hi = _clamp(law.cdf(T - qs[j]), a0, a1)
    x_lo = _clamp(T - qs[j + 1], qs[i], qs[i + 1]) if _finite(qs[j + 1]) else qs[i]
    x_hi = _clamp(T - qs[j], qs[i], qs[i + 1]) if _finite(qs[i + 1]) else _bmax(T - qs[j], qs[i])
    p_lo, p_hi = _mid(x_lo), _mid(x_hi)
    if p_hi < p_lo:
        p_hi = p_lo
    # end slivers: |integral over [x, p] of (F(t - x) - b0) f| <= |F(p) - F(x)| * max|F(t - x) - b0| <= 2 |F(p) - F(x)|
    err = 2 * (_absup(law.cdf(arb(p_lo)) - f_lo) + _absup(law.cdf(arb(p_hi)) - f_hi))
    integral = _integral(law, T, b0, p_lo, p_hi) if p_hi > p_lo else arb(0)
    area = (b1 - b0) * (f_lo - a0) + integral + arb(0, err)
    return 2 * area - 1 / arb_fraction(Fraction(n * n))


def _integral(law: ExactLaw, T: Any, b0: Any, p_lo: float, p_hi: float) -> Any:
    """Enclosure of ``integral_{p_lo}^{p_hi} (F(t - x) - b0) f(x) dx`` (exact dyadic end points)."""
    from flint import acb, arb

    g = law.integrand(acb(T), acb(b0))
    tol = arb(2) ** -75
    val = _try_integral(g, p_lo, p_hi, tol, 3000) if p_lo > 0 else None
    if val is not None:
        return val
    # A density or CDF singular at an end (x = 0, or t - x = 0): cut geometrically towards both ends, so
    # every piece keeps its distance to the singularity, except an end sliver thin enough that the
    # monotone bound encloses it to 1e-19 (its width is at most its probability mass).
    def mono(s: float, s2: float) -> Any:  # F(t - x) decreases on [s, s2]
        dF = law.cdf(arb(s2)) - law.cdf(arb(s))
        return (dF * (law.cdf(T - arb(s2)) - b0)).union(dF * (law.cdf(T - arb(s)) - b0))

    h = (p_hi - p_lo) / 2
    total = arb(0)
    for side in (1, -1):
        end = p_lo if side == 1 else p_hi
        prev = p_lo + h
        for k in range(1, GEOMETRIC_LEVELS + 1):
            cut = end + side * h * 2.0**-k
            sliver = mono(min(end, cut), max(end, cut))
            if sliver.rad() < 1e-19 or k == GEOMETRIC_LEVELS:
                total += sliver
                lo_, hi_ = min(cut, prev), max(cut, prev)
                total += _piece(g, lo_, hi_, tol, mono)
                break
            lo_, hi_ = min(cut, prev), max(cut, prev)
            total += _piece(g, lo_, hi_, tol, mono)
            prev = cut
    return total


def _piece(g: Any, s: float, s2: float, tol: Any, mono: Any) -> Any:
    val = _try_integral(g, s, s2, tol, 1000) if s > 0 else None
    return mono(s, s2) if val is None else val


def _try_integral(g: Any, s: float, s2: float, tol: Any, limit: int) -> Any:
    from flint import acb

    if not s2 > s:
        return acb(0).real
    try:
        r = acb.integral(g, acb(s), acb(s2), abs_tol=tol, eval_limit=limit, depth_limit=60)
    except (ValueError, ZeroDivisionError, ArithmeticError):
        return None
    re = r.real
    if not re.is_finite() or re.rad() > 1e-18:
        return None
    return re + r.imag.rad() * 0  # the imaginary part is 0 for a real integrand on a real path


# ------------------------------------------------------------------ ball helpers
def _finite(b: Any) -> bool:
    return bool(b.is_finite())


def _clamp(x: Any, lo: Any, hi: Any) -> Any:
    """Enclosure of ``min(max(x, lo), hi)`` (monotone in each argument)."""
    return _bmin(_bmax(x, lo), hi)


def _bmax(a: Any, b: Any) -> Any:
    from flint import arb

    lo = a.lower() if a.lower() >= b.lower() else b.lower()
    hi = a.upper() if a.upper() >= b.upper() else b.upper()
    return arb(lo).union(arb(hi))


def _bmin(a: Any, b: Any) -> Any:
    from flint import arb

    lo = a.lower() if a.lower() <= b.lower() else b.lower()
    hi = a.upper() if a.upper() <= b.upper() else b.upper()
    return arb(lo).union(arb(hi))


def _exact(point: Any) -> Fraction | float:
    """An exact arb point (``lower()``/``upper()``) as a Fraction; infinities as floats."""
    if not point.is_finite():
        return math.inf if point > 0 else -math.inf
    man, exp = point.man_exp()
    man, exp = int(man), int(exp)
    return Fraction(man * 2**exp) if exp >= 0 else Fraction(man, 2**-exp)


def _down(b: Any) -> float:
    """A float ``<=`` every point of the ball."""
    return _fdown(_exact(b.lower()))


def _up(b: Any) -> float:
    """A float ``>=`` every point of the ball."""
    return _fup(_exact(b.upper()))


def _fdown(x: Fraction | float) -> float:
    if isinstance(x, float):
        return x
    f = float(x)
    return f if Fraction(f) <= x else math.nextafter(f, -math.inf)


def _fup(x: Fraction | float) -> float:
    if isinstance(x, float):
        return x
    f = float(x)
    return f if Fraction(f) >= x else math.nextafter(f, math.inf)


def _mid(b: Any) -> float:
    return float(b.mid())


def _absup(b: Any) -> float:
    lo, hi = _exact(b.lower()), _exact(b.upper())
    lo_abs = -lo if lo < 0 else lo
    hi_abs = -hi if hi < 0 else hi
    return _fup(lo_abs if lo_abs >= hi_abs else hi_abs)
