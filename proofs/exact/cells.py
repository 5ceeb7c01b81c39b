"""Rigorous enclosure of a game's N-bin cell matrix.

A checker never trusts the matrix a solver used.  It rebuilds
``M[i, j] = integral over cell (i, j) of the +/-1 rule`` from the exact game
(:func:`proofs.exact.games.exact_game`):

* each cell is classified exactly by the game type (Python integers: no
  overflow for any rational parameter or N);
* a fully bunch / split cell has ``M = +1/N^2`` / ``-1/N^2`` exactly;
* a crossed cell has ``M = q + c ln r`` with rationals ``q, c, r``, enclosed
  with an arb ball (python-flint) and rounded outward to floats.

The result is a pair of float arrays ``lo <= M <= hi`` plus the exact parts.

>>> enc = cell_enclosure({"type": "linear", "s": "1"}, 2)
>>> enc.kind.tolist(), bool(enc.lo[0, 0] <= 0.25 <= enc.hi[0, 0])
([[1, 0], [0, -1]], True)
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property
from threading import Lock
from typing import Any

import numpy as np
from numpy.typing import NDArray

from proofs.exact.errors import QcoordParameterError
from proofs.exact.games import GameType, exact_game
from proofs.exact.rational import arb_fraction, float_down, float_up

__all__ = ["MAX_N", "CellEnclosure", "cell_enclosure"]

#: largest N whose cell matrix a checker rebuilds (the quantum checker then holds
#: a few N x N and one 2N x 2N float matrices: about 0.5 GB at N = 2048)
MAX_N = 2048


@dataclass(frozen=True, eq=False)
class CellEnclosure:
    """Rigorous enclosure ``lo <= M <= hi`` of a game's N-bin cell matrix.

    ``kind[i, j]`` is +1 (cell fully in the bunch region), -1 (fully split) or
    0 (crossed by the boundary); ``crossed_exact`` maps each crossed cell to
    ``(q, c, r)`` with ``M = q + c ln r`` (``c = 0`` for rational cells).
    """

    n: int
    lo: NDArray[np.float64]
    hi: NDArray[np.float64]
    kind: NDArray[np.int8]
    crossed_exact: dict[tuple[int, int], tuple[Fraction, Fraction, Fraction]]
    game: GameType

    @property
    def width(self) -> float:
        """Largest ``hi - lo`` over the cells."""
        return float(np.max(self.hi - self.lo))

    def mid_radius(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Float midpoint ``Mc`` and radius ``r`` with ``|M - Mc| <= r`` for every ``M`` in the enclosure.

        Computed once per enclosure (read-only arrays, shared by every caller).

        >>> mc, r = cell_enclosure({"type": "hyperbolic", "C": "1/3"}, 3).mid_radius()
        >>> bool(np.all(r > 0) and np.all(r < 1e-15))
        True
        """
        return self._mid_radius

    @cached_property
    def _mid_radius(self) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        mc, r = _mid_rad(self.lo, self.hi)  # cell_enclosure fills this in itself, from the few distinct pairs
        mc.setflags(write=False)
        r.setflags(write=False)
        return mc, r


def _mid_rad(lo: NDArray[np.float64], hi: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Elementwise midpoint and covering radius of ``[lo, hi]``."""
    mc = (lo + hi) / 2.0
    # the float differences are rounded; one step up makes the radius cover them
    return mc, np.nextafter(np.maximum(hi - mc, mc - lo), np.inf)


def check_n(n: Any, name: str = "N", limit: int = MAX_N) -> int:
    """``n`` as an int in ``[1, limit]`` or a :class:`QcoordParameterError` naming it."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= int(n) <= limit:
        raise QcoordParameterError(f"`{name}` must be an integer in [1, {limit}]; got {n!r}")
    return int(n)


#: enclosures already built in this process, keyed by (exact game, N): the arrays are read-only, so a checker
#: that asks again gets the very enclosure this function computed (a certify run builds it once, not three times)
_CACHE: OrderedDict[tuple[GameType, int], CellEnclosure] = OrderedDict()
_CACHE_SIZE = 4
_CACHE_LOCK = Lock()


def cell_enclosure(game: Any, n: int) -> CellEnclosure:
    """Rebuild the cell matrix of a game with rigorous enclosures.

    ``game`` is anything :func:`proofs.exact.games.exact_game` accepts.  The
    result is memoised per ``(exact game, N)`` (the last few; its arrays are
    read-only), so repeated calls in one process cost nothing.

    >>> enc = cell_enclosure({"type": "hyperbolic", "C": "1/2"}, 2)
    >>> enc.kind.tolist(), sorted(enc.crossed_exact)
    ([[0, -1], [-1, -1]], [(0, 0)])
    """
    n = check_n(n)
    g = exact_game(game)
    try:
        key: tuple[GameType, int] | None = (g, n)
        hash(key)
    except TypeError:  # a game type that is not hashable is rebuilt every time
        key = None
    if key is not None:
        with _CACHE_LOCK:
            hit = _CACHE.get(key)
            if hit is not None:
                _CACHE.move_to_end(key)
                return hit
    enc = _build(g, n)
    if key is not None:
        with _CACHE_LOCK:
            _CACHE[key] = enc
            while len(_CACHE) > _CACHE_SIZE:
                _CACHE.popitem(last=False)
    return enc


def _build(g: GameType, n: int) -> CellEnclosure:
    kind, crossed = g.classify(n)
    full = Fraction(1, n * n)
    # full cells exactly; a crossed cell starts from the trivial enclosure |M| <= 1/N^2 until its closed form or ball narrows it
    pairs = {1: (float_down(full), float_up(full)), -1: (float_down(-full), float_up(-full))}
    # the midpoint and radius of the full cells: the elementwise formula on the two pairs, spread by kind
    mids = {k: _mid_rad(np.array([p[0]]), np.array([p[1]])) for k, p in pairs.items()}
    # one table lookup per array, indexed by kind + 1 (split, crossed, bunch): a crossed cell starts at
    # [split lo, bunch hi] and gets its own midpoint and radius below
    at = kind + np.int8(1)
    lo = np.take(np.array([pairs[-1][0], pairs[-1][0], pairs[1][0]]), at)
    hi = np.take(np.array([pairs[-1][1], pairs[1][1], pairs[1][1]]), at)
    mc = np.take(np.array([mids[-1][0][0], mids[-1][0][0], mids[1][0][0]]), at)
    rad = np.take(np.array([mids[-1][1][0], mids[-1][1][0], mids[1][1][0]]), at)
    del at
    if crossed:
        from flint import ctx

        old = ctx.prec
        ctx.prec = 128
        balls: dict[Fraction, Any] = {}  # the few distinct c as arb balls (one c for all log cells of a hyperbolic game)
        try:
            for (i, j), (q, c, r) in crossed.items():
                if c == 0:
                    lo[i, j], hi[i, j] = float_down(q), float_up(q)
                    continue
                cb = balls.get(c)
                if cb is None:
                    cb = balls[c] = arb_fraction(c)
                val = arb_fraction(q) + cb * arb_fraction(r).log()
                lo[i, j] = float_down(val.lower())
                hi[i, j] = float_up(val.upper())
        finally:
            ctx.prec = old
    cell_balls = getattr(g, "crossed_balls", None)
    changed = list(crossed)
    if cell_balls is not None:  # a game type without closed-form cells (a general service law) encloses them in arb
        for (i, j), b in cell_balls(n).items():
            lo[i, j], hi[i, j] = float_down(b.lower()), float_up(b.upper())
            changed.append((i, j))
    ci, cj = np.nonzero(kind == 0)
    if changed:
        ii, jj = np.array(changed, dtype=np.intp).T
        ci, cj = np.concatenate([ci, ii]), np.concatenate([cj, jj])
    mc[ci, cj], rad[ci, cj] = _mid_rad(lo[ci, cj], hi[ci, cj])
    for a in (lo, hi, kind, mc, rad):
        a.setflags(write=False)
    enc = CellEnclosure(n, lo, hi, kind, crossed, g)
    enc.__dict__["_mid_radius"] = (mc, rad)  # the cached property, filled in (the same values as computing it)
    return enc
