"""Exact values of explicit classical strategies (arb enclosures of ``rational + sum c ln r``).

Both a lower-bound certificate's writer and its checker evaluate a strategy
with these functions; the checker never reads the writer's number, it only
compares the claimed bound with its own evaluation.

>>> from proofs.exact.games import Linear
>>> win = step_strategy_win(Linear(Fraction(1)), [1, 1], [1, -1])
>>> win_lower(win) <= Fraction(3, 4) <= win_upper(win)
True
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

import numpy as np

from proofs.exact.cells import cell_enclosure
from proofs.exact.errors import CertificateError
from proofs.exact.games import GameType, exact_game
from proofs.exact.rational import arb_fraction, float_down, float_up

__all__ = ["arb_sum", "step_strategy_win", "threshold_strategy_win", "win_lower", "win_upper"]


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


def step_strategy_win(game: Any, g: Sequence[int], h: Sequence[int]) -> Any:
    """Arb ball of ``sum_ij M_ij g_i h_j`` (the correlation) of an N-bin step strategy.

    The winning probability is ``1/2 + corr/2``; full cells count exactly,
    crossed cells as ``q + c ln r``.
    """
    gg = np.asarray(g, dtype=np.int64)
    hh = np.asarray(h, dtype=np.int64)
    n = gg.size
    enc = cell_enclosure(exact_game(game), n)
    sgn = gg[:, None] * hh[None, :]
    full = enc.kind != 0
    rational = Fraction(int(np.sum(sgn[full].astype(np.int64) * enc.kind[full])), n * n)  # |sum| <= n^2: no overflow
    logs: list[tuple[Fraction, Fraction | None]] = []  # (c, r): c ln r, or r None for a half-width c of an enclosed cell
    for (i, j), (q, c, r) in enc.crossed_exact.items():
        s = int(sgn[i, j])
        rational += s * q
        logs.append((s * c, r))
    for i, j in zip(*np.nonzero(enc.kind == 0)):  # crossed cells without a closed form: their outward enclosure
        if (int(i), int(j)) not in enc.crossed_exact:
            lo, hi = Fraction(float(enc.lo[i, j])), Fraction(float(enc.hi[i, j]))
            rational += (lo + hi) / 2 * int(sgn[i, j])
            logs.append(((hi - lo) / 2, None))
    return _with_radius(arb_sum(rational, [(c, r) for c, r in logs if r is not None]), sum((c for c, r in logs if r is None), Fraction(0)))


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
