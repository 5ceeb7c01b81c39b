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


class CellEnclosure:
    """Rigorous enclosure ``lo <= M <= hi`` of a game's N-bin cell matrix (immutable).

    ``kind[i, j]`` is +1 (cell fully in the bunch region), -1 (fully split) or
    0 (crossed by the boundary); ``crossed_exact`` maps each crossed cell to
    ``(q, c, r)`` with ``M = q + c ln r`` (``c = 0`` for rational cells).

    Built by :func:`cell_enclosure`, ``lo`` and ``hi`` are formed on first use
    from ``kind`` and the few crossed cells (the quantum checkers read only
    :meth:`mid_radius`, which that function fills in directly: two N x N
    arrays instead of four); built from given arrays, it keeps them.

    >>> enc = CellEnclosure(1, np.array([[0.0]]), np.array([[0.5]]), np.zeros((1, 1), dtype=np.int8), {}, cell_enclosure({"type": "linear", "s": "1"}, 1).game)
    >>> enc.width, [float(a[0, 0]) for a in enc.mid_radius()]
    (0.5, [0.25, 0.25000000000000006])
    """

    n: int
    kind: NDArray[np.int8]
    crossed_exact: dict[tuple[int, int], tuple[Fraction, Fraction, Fraction]]
    game: GameType

    def __init__(
        self,
        n: int,
        lo: NDArray[np.float64] | None,
        hi: NDArray[np.float64] | None,
        kind: NDArray[np.int8],
        crossed_exact: dict[tuple[int, int], tuple[Fraction, Fraction, Fraction]],
        game: GameType,
        *,
        _spec: _Sparse | None = None,
        _mid: tuple[NDArray[np.float64], NDArray[np.float64]] | None = None,
    ) -> None:
        if (lo is None or hi is None) and _spec is None:
            raise QcoordParameterError("`lo` and `hi` must be arrays (only cell_enclosure builds them on demand)")
        d = self.__dict__
        d.update(n=n, kind=kind, crossed_exact=crossed_exact, game=game, _spec=_spec)
        if lo is not None and hi is not None:
            d.update(lo=lo, hi=hi)
        if _mid is not None:
            d["_mid_radius"] = _mid

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"CellEnclosure is immutable; cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"CellEnclosure is immutable; cannot delete {name!r}")

    def __repr__(self) -> str:
        return f"CellEnclosure(n={self.n}, game={self.game!r}, crossed={len(self.crossed_exact)})"

    @cached_property
    def lo(self) -> NDArray[np.float64]:
        """Lower float bounds of the cells (read-only)."""
        return self._bound(0)

    @cached_property
    def hi(self) -> NDArray[np.float64]:
        """Upper float bounds of the cells (read-only)."""
        return self._bound(1)

    def _bound(self, side: int) -> NDArray[np.float64]:
        spec = self.__dict__["_spec"]
        assert spec is not None  # an enclosure made from arrays has them in its __dict__ already
        out = np.where(self.kind > 0, spec.bunch[side], spec.split[side])
        out[spec.rows, spec.cols] = spec.lo if side == 0 else spec.hi
        out.setflags(write=False)
        return out

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


@dataclass(frozen=True, eq=False)
class _Sparse:
    """What :func:`cell_enclosure` keeps to form ``lo`` and ``hi`` on demand.

    ``bunch`` / ``split``: the ``(lo, hi)`` floats of a full cell; ``rows, cols, lo, hi``:
    every crossed (or separately enclosed) cell with its bounds.
    """

    bunch: tuple[float, float]
    split: tuple[float, float]
    rows: NDArray[np.intp]
    cols: NDArray[np.intp]
    lo: NDArray[np.float64]
    hi: NDArray[np.float64]


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
#: held while :func:`_build` runs at its own flint precision (``flint.ctx`` is shared by all threads)
_PREC_LOCK = Lock()


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
    special: dict[tuple[int, int], tuple[float, float]] = {}
    # the crossed cells: the keys of ``crossed`` when they are all of them (one count, no N x N index search)
    n_crossed = int(np.count_nonzero(kind == 0))
    keys = list(crossed)
    if n_crossed != len(keys) or (keys and not np.all(kind[tuple(np.array(keys, dtype=np.intp).T)] == 0)):
        keys = list(zip(*(a.tolist() for a in np.nonzero(kind == 0))))
    trivial = (pairs[-1][0], pairs[1][1])
    special = dict.fromkeys(keys, trivial)
    if crossed:
        from flint import ctx

        _PREC_LOCK.acquire()  # flint's precision is one setting for the process: two threads building at once must not interleave
        old = ctx.prec
        ctx.prec = 128
        balls: dict[Fraction, Any] = {}  # the few distinct c as arb balls (one c for all log cells of a hyperbolic game)
        try:
            for (i, j), (q, c, r) in crossed.items():
                if c == 0:
                    special[(i, j)] = (float_down(q), float_up(q))
                    continue
                cb = balls.get(c)
                if cb is None:
                    cb = balls[c] = arb_fraction(c)
                val = arb_fraction(q) + cb * arb_fraction(r).log()
                special[(i, j)] = (float_down(val.lower()), float_up(val.upper()))
        finally:
            ctx.prec = old
            _PREC_LOCK.release()
    cell_balls = getattr(g, "crossed_balls", None)
    if cell_balls is not None:  # a game type without closed-form cells (a general service law) encloses them in arb
        for (i, j), b in cell_balls(n).items():
            special[(int(i), int(j))] = (float_down(b.lower()), float_up(b.upper()))
    idx = np.array(list(special), dtype=np.intp).reshape(-1, 2)
    rows, cols = idx[:, 0].copy(), idx[:, 1].copy()
    bounds = np.array(list(special.values()), dtype=np.float64).reshape(-1, 2)
    slo, shi = bounds[:, 0].copy(), bounds[:, 1].copy()
    # the midpoint and radius of the full cells: the elementwise formula on the two pairs, spread by kind
    (mb,), (rb,) = _mid_rad(np.array([pairs[1][0]]), np.array([pairs[1][1]]))
    (ms,), (rs,) = _mid_rad(np.array([pairs[-1][0]]), np.array([pairs[-1][1]]))
    if ms == -mb and rs == rb:  # symmetric rounding (always, in IEEE arithmetic): one pass each
        mc = np.multiply(kind, mb, dtype=np.float64)
        rad = np.full(kind.shape, rb)
    else:
        mc = np.where(kind > 0, mb, ms)
        rad = np.where(kind > 0, rb, rs)
    mc[rows, cols], rad[rows, cols] = _mid_rad(slo, shi)
    for a in (kind, mc, rad):
        a.setflags(write=False)
    spec = _Sparse(pairs[1], pairs[-1], rows, cols, slo, shi)
    return CellEnclosure(n, None, None, kind, crossed, g, _spec=spec, _mid=(mc, rad))
