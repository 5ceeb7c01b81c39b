"""Exact values of explicit strategies (arb enclosures of ``rational + sum c ln r``).

Both a lower-bound certificate's writer and its checker evaluate a strategy
with these functions; the checker never reads the writer's number, it only
compares the claimed bound with its own evaluation.  Every N-bin evaluation
(classical step strategies, Werner strategies in :mod:`proofs.checkers.noise`)
goes through :func:`cell_sum`, the one place that visits every cell: full
cells exactly, closed-form crossed cells as ``q + c ln r``, and crossed
cells without a closed form (a general law's boundary) through their
outward enclosure.

>>> from proofs.exact.games import Linear
>>> win = step_strategy_win(Linear(Fraction(1)), [1, 1], [1, -1])
>>> win_lower(win) <= Fraction(3, 4) <= win_upper(win)
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from proofs.exact.cells import cell_enclosure
from proofs.exact.errors import CertificateError
from proofs.exact.games import GameType, exact_game
from proofs.exact.rational import arb_fraction, float_down, float_up

__all__ = ["CellSum", "arb_sum", "cell_sum", "step_strategy_win", "threshold_strategy_win", "win_lower", "win_upper"]


def arb_sum(rational: Fraction, logs: Sequence[tuple[Fraction, Fraction]]) -> Any:
    """``rational + sum c ln r`` as an arb ball (128-bit working precision).

    >>> arb_sum(Fraction(1), [(Fraction(1), Fraction(1))]).contains(1)
    True
    """
    from flint import arb, ctx

    old = ctx.prec
    ctx.prec = 128
    try:
        tot = arb_fraction(rational)
        for c, r in logs:
            if c != 0:
                if r <= 0:
                    raise CertificateError(f"log argument {r} is not positive")
                tot += arb_fraction(c) * arb_fraction(r).log()
        return tot + arb(0)
    finally:
        ctx.prec = old


def win_lower(corr: Any) -> Fraction:
    """A rational ``<=`` the winning probability ``1/2 + corr/2`` for every ``corr`` in the ball."""
    return Fraction(float_down(float_down(corr.lower()) / 2 + 0.5))


def win_upper(corr: Any) -> Fraction:
    """A rational ``>=`` the winning probability ``1/2 + corr/2`` for every ``corr`` in the ball."""
    return Fraction(float_up(float_up(corr.upper()) / 2 + 0.5))


@dataclass(frozen=True)
class CellSum:
    """``sum_ij M_ij E_ij`` over an N-bin cell matrix, as ``rational + sum c ln r`` within ``+- radius``.

    Every part is exact: ``rational`` and ``radius`` are Fractions, ``logs``
    the pairs ``(c, r)`` of the closed-form crossed cells.  ``radius`` is the
    half-width of the outward enclosures of the crossed cells that have no
    closed form (a sum-threshold game of a general law).
    """

    rational: Fraction
    logs: tuple[tuple[Fraction, Fraction], ...]
    radius: Fraction
    enclosed_cells: int

    def ball(self) -> Any:
        """An arb ball containing the sum."""
        return _with_radius(arb_sum(self.rational, self.logs), self.radius)

    def lower(self) -> Fraction:
        """A rational ``<=`` the sum (exact when no logarithm enters)."""
        if not self.logs:
            return self.rational - self.radius
        return self.rational + Fraction(float_down(arb_sum(Fraction(0), self.logs).lower())) - self.radius


def _int_vector(x: Sequence[int], name: str) -> list[int]:
    out = []
    for k, v in enumerate(x):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
            raise CertificateError(f"{name}[{k}] must be an integer; got {v!r}")
        out.append(int(v))
    return out


def _kind_bilinear(kind: NDArray[np.int8], x: list[int], y: list[int]) -> int:
    """``sum_ij kind_ij x_i y_j`` exactly: ``kind @ y`` in int64 when ``N max|y| < 2^62``, else in Python integers."""
    n = len(y)
    big = max((abs(v) for v in y), default=0)
    if n * big < 2**62:
        ky = (kind.astype(np.int64) @ np.asarray(y, dtype=np.int64)).tolist()
    else:
        ky = (kind.astype(object) @ np.asarray(y, dtype=object)).tolist()
    return sum(int(a) * int(b) for a, b in zip(x, ky))


def cell_sum(game: Any, n: int, terms: Sequence[tuple[Fraction, Sequence[int], Sequence[int]]]) -> CellSum:
    """``sum_ij M_ij E_ij`` with ``E = sum_k w_k x_k y_k^T`` over the N-bin cells of ``game``: the one evaluation path.

    Every cell counts: a fully bunch / split cell (``kind = +-1``) exactly as
    ``+-E_ij/N^2``, a crossed cell with a closed form as ``E_ij (q + c ln r)``,
    and every other crossed cell (kind 0: a general law's boundary cell, or a
    cell the classification could not decide) through its outward enclosure
    ``lo <= M_ij <= hi``, i.e. ``E_ij (lo + hi)/2 +- |E_ij| (hi - lo)/2``.
    ``terms`` are ``(w_k, x_k, y_k)`` with a rational weight and integer
    vectors of length ``N``; integer sums run in int64 only where they cannot
    overflow.

    >>> from proofs.exact.games import Linear
    >>> s = cell_sum(Linear(Fraction(1)), 2, [(Fraction(1), [1, 1], [1, 1])])   # the constant +1 strategy: 2 P(bunch) - 1
    >>> s.rational, s.radius
    (Fraction(0, 1), Fraction(0, 1))
    """
    enc = cell_enclosure(exact_game(game), n)
    if enc.n != n:
        raise CertificateError(f"cell matrix has N = {enc.n}, expected {n}")
    vecs = []
    for k, (w, x, y) in enumerate(terms):
        xs, ys = _int_vector(x, f"x_{k}"), _int_vector(y, f"y_{k}")
        if len(xs) != n or len(ys) != n:
            raise CertificateError(f"term {k}: vectors must have N = {n} entries; got {len(xs)} and {len(ys)}")
        vecs.append((Fraction(w), xs, ys))
    kind = enc.kind
    full = sum((w * _kind_bilinear(kind, xs, ys) for w, xs, ys in vecs), Fraction(0))  # kind is 0 on crossed cells
    rational = full / (n * n)
    radius = Fraction(0)
    logs: list[tuple[Fraction, Fraction]] = []
    enclosed = 0
    for i, j in zip(*np.nonzero(kind == 0)):
        i, j = int(i), int(j)
        e = sum((w * xs[i] * ys[j] for w, xs, ys in vecs), Fraction(0))
        exact = enc.crossed_exact.get((i, j))
        if exact is not None:
            q, c, r = exact
            if e != 0:
                rational += e * q
                if c != 0:
                    logs.append((e * c, r))
            continue
        enclosed += 1
        lo, hi = Fraction(float(enc.lo[i, j])), Fraction(float(enc.hi[i, j]))
        if not lo <= hi:
            raise CertificateError(f"cell ({i}, {j}) has an empty enclosure [{float(lo)}, {float(hi)}]")
        rational += e * (lo + hi) / 2
        radius += abs(e) * (hi - lo) / 2
    return CellSum(rational, tuple(logs), radius, enclosed)


def step_strategy_win(game: Any, g: Sequence[int], h: Sequence[int]) -> Any:
    """Arb ball of ``sum_ij M_ij g_i h_j`` (the correlation) of an N-bin step strategy.

    The winning probability is ``1/2 + corr/2``; evaluated by :func:`cell_sum`.
    """
    return cell_sum(game, len(g), [(Fraction(1), g, h)]).ball()


def _with_radius(ball: Any, rad: Fraction) -> Any:
    """``ball`` widened by ``+- rad`` (an exact rational, rounded up)."""
    from flint import arb

    return ball if rad == 0 else ball + arb(0, float_up(rad))


def threshold_strategy_win(game: Any, a_switches: Sequence[Fraction], a_start: int, b_switches: Sequence[Fraction], b_start: int) -> Any:
    """Arb ball of the correlation of a continuum step strategy with rational switch points.

    Player A plays ``a_start`` on ``[0, a_1)``, then alternates at each switch point.
    """
    gt: GameType = exact_game(game)
    pieces = []
    for sw, st in ((a_switches, a_start), (b_switches, b_start)):
        edges = [Fraction(0), *sw, Fraction(1)]
        pieces.append([(edges[k], edges[k + 1], st * (-1) ** k) for k in range(len(edges) - 1) if edges[k + 1] > edges[k]])
    rational = Fraction(0)
    logs = []
    for a0, a1, sa in pieces[0]:
        for b0, b1, sb in pieces[1]:
            q, c, r = gt.bunch_area(a0, a1, b0, b1)
            s = sa * sb
            # integral of the rule = 2 * bunch area - rectangle area
            rational += s * (2 * q - (a1 - a0) * (b1 - b0))
            logs.append((2 * s * c, r))
    return arb_sum(rational, logs)
