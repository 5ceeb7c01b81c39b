"""Exact N-bin discretisation of a continuous XOR game.

The continuous inputs are cut into ``N`` equal bins; a strategy constant on
each bin is a strategy of the continuous game, and its winning probability is
``1/2 + 1/2 * sum_ij M[i, j] c[i, j]`` with correlators ``c`` and the exact
cell integrals ``M[i, j] = integral over cell (i, j) of the +/-1 rule``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from numpy.typing import ArrayLike, NDArray

from games.errors import GameParameterError, GameTypeError, check_cells, check_int, show
from games.spec import HyperbolicBoundary, LinearBoundary, XorGame

__all__ = ["Discretisation", "discretise"]


@dataclass(frozen=True, eq=False)
class Discretisation:
    """The N-bin version of ``game``.

    Attributes
    ----------
    game
        The continuous game.
    n
        Number of bins per input.
    matrix
        ``M[i, j]``: the integral of the rule over cell ``(i, j)``, so
        ``|M[i, j]| <= 1/N^2`` and ``M.sum() = 2 P(bunch) - 1``.  Read-only.
    crossed
        Mask of the cells whose interior the boundary crosses.

    Examples
    --------
    >>> from games.catalogue import paper_game
    >>> d = discretise(paper_game(0.33), 8)
    >>> d.matrix.shape, int(d.crossed.sum())
    ((8, 8), 11)
    >>> bool(np.isclose(d.matrix.sum(), 2 * d.game.bunch_probability() - 1))
    True
    """

    game: XorGame
    n: int
    matrix: NDArray[np.float64]
    crossed: NDArray[np.bool_]

    def __post_init__(self) -> None:
        if not isinstance(self.game, XorGame):
            raise GameTypeError(f"`game` must be a games.XorGame; got {type(self.game).__name__}")
        check_int("N", self.n, low=1)
        for name in ("matrix", "crossed"):
            arr = getattr(self, name)
            if not isinstance(arr, np.ndarray) or arr.shape != (self.n, self.n):
                raise GameParameterError(
                    f"`{name}` must be an array of shape ({self.n}, {self.n}); got {getattr(arr, 'shape', type(arr).__name__)}"
                )
        if not np.all(np.isfinite(self.matrix)):
            raise GameParameterError("`matrix` must be finite; got NaN or infinite entries")

    @property
    def edges(self) -> NDArray[np.float64]:
        """Bin edges ``0, 1/N, ..., 1``."""
        return np.linspace(0.0, 1.0, self.n + 1)

    @property
    def midpoints(self) -> NDArray[np.float64]:
        """Bin midpoints ``(i + 1/2) / N``."""
        return (np.arange(self.n) + 0.5) / self.n

    @cached_property
    def matrix_hash(self) -> str:
        """SHA-256 of ``M`` as little-endian float64 bytes (certificates cite it)."""
        return hashlib.sha256(np.ascontiguousarray(self.matrix, dtype="<f8").data).hexdigest()  # the buffer itself: no copy

    def bin_of(self, x: ArrayLike) -> NDArray[np.intp]:
        """Index of the bin holding each input value (``x = 1`` goes to the last bin).

        >>> from games.catalogue import paper_game
        >>> discretise(paper_game(0.5), 4).bin_of([0.0, 0.3, 1.0]).tolist()
        [0, 1, 3]
        """
        x = np.asarray(x, dtype=float)
        return np.clip(np.floor(x * self.n).astype(np.intp), 0, self.n - 1)

    def describe(self) -> dict[str, object]:
        return {"game": self.game.describe(), "N": self.n, "matrix_sha256": self.matrix_hash}

    def label(self, model: str) -> str:
        """Human-readable target, e.g. ``"paper (hyperbolic C=0.33), N=1000, classical"``."""
        bd = self.game.describe()["boundary"]
        params = ", ".join(f"{k}={v}" for k, v in bd.items() if k != "kind")
        return f"{self.game.name} ({bd['kind']} {params}), N={self.n}, {model}"


#: peak bytes per cell of :func:`discretise` (the cell matrix, the crossed mask and the bunch-area temporaries)
BYTES_PER_CELL = 64


def discretise(game: XorGame, n: int) -> Discretisation:
    """Build the exact N-bin discretisation of ``game``.

    ``M[i, j] = 2 * area_bunch(i, j) - 1/N^2`` with the bunch area from
    :meth:`games.spec.XorGame.bunch_area` (closed form, no sampling).

    >>> from games.catalogue import linear_boundary_game
    >>> discretise(linear_boundary_game(), 2).matrix.tolist()
    [[0.25, 0.0], [0.0, -0.25]]
    >>> discretise(linear_boundary_game(), 0)
    Traceback (most recent call last):
    ...
    games.errors.GameParameterError: `N` must be an integer >= 1; got 0
    """
    if not isinstance(game, XorGame):
        raise GameTypeError(f"`game` must be a games.XorGame; got {show(game)} of type {type(game).__name__}")
    n = check_int("N", n, low=1)
    check_cells("N", n, BYTES_PER_CELL)  # before any allocation
    e = np.linspace(0.0, 1.0, n + 1)
    m = _grid_area(game, e)
    m *= 2.0  # M = 2 area - 1/N^2, in place (the same two roundings)
    m -= 1.0 / n**2
    m.setflags(write=False)
    crossed = game.crossed(e, e)
    crossed.setflags(write=False)
    return Discretisation(game=game, n=n, matrix=m, crossed=crossed)


#: rows of cells per block of :func:`_grid_area`
_ROWS = 128

#: boundaries whose ``alpha`` and ``primitive`` are elementwise numpy expressions (a value depends only on its argument)
_ELEMENTWISE = (HyperbolicBoundary, LinearBoundary)


def _grid_area(game: XorGame, e: NDArray[np.float64]) -> NDArray[np.float64]:
    """``game.bunch_area(e, e)``, with the antiderivative evaluated only where it is not already known.

    :meth:`games.spec.XorGame.bunch_area` evaluates ``primitive(cut)`` on all
    ``N (N + 1)`` clipped cut points, but a cut clipped to a bin edge ``e_i``
    has the value ``primitive(e_i)`` already computed for the edges; only
    the ``O(N)`` interior cuts (the cells the boundary crosses) need new
    logarithms.  Same formula, same operations per entry; for boundaries
    whose ``primitive`` is not elementwise (quadrature) the method is called as is.

    >>> from games.catalogue import paper_game
    >>> g, e = paper_game(0.33), np.linspace(0.0, 1.0, 65)
    >>> bool(np.allclose(_grid_area(g, e), g.bunch_area(e, e), rtol=0, atol=1e-18))
    True
    """
    bd = game.boundary
    if type(bd) not in _ELEMENTWISE:
        return game.bunch_area(e, e)
    al = bd.alpha(e)
    prim_a = bd.primitive(e)
    de = np.diff(e)
    n = e.size - 1
    area = np.empty((n, n))
    # rows are independent: blocks of rows keep the temporaries small (and reused), one N x N array in all
    for r0 in range(0, n, _ROWS):
        r1 = min(r0 + _ROWS, n)
        lo = e[r0:r1, None]
        hi = e[r0 + 1:r1 + 1, None]
        cut = np.clip(al[None, :], lo, hi)
        at_lo = cut == lo
        prim_cut = np.where(at_lo, prim_a[r0:r1, None], prim_a[r0 + 1:r1 + 1, None])
        inner = ~at_lo
        inner &= cut != hi
        prim_cut[inner] = bd.primitive(cut[inner])
        # A = e (cut - lo) + (prim(hi) - prim_cut), in place
        cut -= lo
        cut *= e[None, :]
        np.subtract(prim_a[r0 + 1:r1 + 1, None], prim_cut, out=prim_cut)
        cut += prim_cut
        blk = area[r0:r1]
        np.subtract(cut[:, 1:], cut[:, :-1], out=blk)
        # rounding can push an empty or full cell a few ulps outside [0, cell area]
        np.clip(blk, 0.0, np.multiply.outer(de[r0:r1], de), out=blk)
    return area
