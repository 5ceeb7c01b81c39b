"""Exact classical value of the N-bin game, ``max_{g,h in {+-1}^N} g^T M h``, with a certificate.

Method (branch and bound over the end value, exact leaves)
----------------------------------------------------------
For a monotone boundary the cells cut by the boundary form a *chain* (see
:mod:`bounds._classical_kernels`).  Writing ``P(j) = h_0 + ... + h_{j-1}`` and
``K = P(N)``, row ``i`` contributes ``g_i [2 P(lo_i) - K + (P(hi_i) - P(lo_i))] / N^2``
plus its crossed cells, so once ``K`` is fixed the whole objective is a sum of
terms that each involve one chain cell and the running prefix sum: a dynamic
programme over the chain with ``O(N)`` states per cell is exact for that
``K``.  We branch on ``K`` (the leaves of the tree); the global sign flip
``(g, h) -> (-g, -h)`` leaves the objective unchanged and maps ``K -> -K``, so
only ``K >= 0`` is needed.  Every leaf is solved exactly (its bound is the
DP optimum, in integer units with crossed cells rounded up), the incumbent is
the best leaf's maximiser, recovered by backtracking, and a certificate lists
all leaves.  Best response is built in (the DP chooses ``g_i`` row by row),
and the monotone boundary is what makes the chain exist.

Why not LP/SDP bounds: the natural SDP relaxation of ``max g^T M h`` is the
quantum (Tsirelson) value, about 0.81 here against a classical value near
0.76, so an SDP-bounded tree would need to fix most of the ``2N`` signs before
pruning; the chain programme closes each branch exactly in ``O(N^2)`` time,
i.e. ``O(N^3)`` overall.

The result is a candidate; only :mod:`proofs.checkers.classical` turns its
certificate into a :class:`proofs.Bound`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bounds._classical_kernels import chain_leaves, chain_path_numpy
from bounds.classical_certificates import bnb_certificate, strategy_certificate
from bounds.errors import BoundsParameterError, BoundsTypeError, SolverError, check_int
from bounds.result import SolverResult, SolveStatus
from games.spec import XorGame
from games.strategies import StepStrategy
from proofs.exact import cell_enclosure, exact_game

__all__ = ["Chain", "ExactClassical", "build_chain", "exact_classical"]


@dataclass(frozen=True, eq=False)
class Chain:
    """The chain of crossed cells of an N-bin game, with integer cell values.

    ``unit = 2^scale_bits`` is one full cell (``1/N^2``); ``pos[t]``/``neg[t]``
    bound ``N^2 2^S M_ij`` / ``-N^2 2^S M_ij`` from above; ``extra`` counts rows
    without crossed cells (each adds ``|K|`` full units).
    """

    n: int
    rows: NDArray[np.int64]
    cols: NDArray[np.int64]
    step: NDArray[np.int8]
    pos: NDArray[np.int64]
    neg: NDArray[np.int64]
    extra: int
    extra_rows: tuple[tuple[int, int], ...]
    scale_bits: int

    @property
    def unit(self) -> int:
        return 1 << self.scale_bits


def scale_bits_for(n: int) -> int:
    """Fixed-point precision keeping every DP value far below ``2^62``.

    >>> scale_bits_for(64)
    46
    """
    return 61 - (4 * n * n + 4 * n).bit_length()


def build_chain(kind: NDArray[np.int8], lo: NDArray[np.float64], hi: NDArray[np.float64]) -> Chain:
    """Chain of crossed cells from an exact cell classification and enclosure ``lo <= M <= hi``.

    Raises :class:`BoundsParameterError` when the classification is not that of
    a monotone boundary.

    >>> e = cell_enclosure({"type": "linear", "s": "1"}, 3)
    >>> ch = build_chain(e.kind, e.lo, e.hi)
    >>> ch.cols.tolist(), ch.step.tolist()
    ([2, 1, 0], [0, 3, 3])
    """
    kind = np.asarray(kind)
    n = kind.shape[0]
    S = scale_bits_for(n)
    scale = n * n * (1 << S)
    rows, cols, step, pos, neg, extra_rows = [], [], [], [], [], []
    prev_row: int | None = None
    prev_col = -1  # read only once prev_row is set
    for i in range(n):
        r = kind[i]
        lo_i = int(np.argmax(r != 1)) if np.any(r != 1) else n
        hi_i = lo_i + int(np.argmax(r[lo_i:] != 0)) if np.any(r[lo_i:] != 0) else n
        if not (np.all(r[:lo_i] == 1) and np.all(r[lo_i:hi_i] == 0) and np.all(r[hi_i:] == -1)):
            raise BoundsParameterError(f"row {i} of the cell classification is not bunch | crossed | split; the boundary must be monotone")
        if lo_i == hi_i:
            if lo_i not in (0, n):
                raise BoundsParameterError(f"row {i} has no crossed cell but lies inside the boundary's range; unsupported boundary")
            extra_rows.append((i, 1 if lo_i == n else -1))
            continue
        for j in range(hi_i - 1, lo_i - 1, -1):
            if prev_row is None:
                t = 0
            elif prev_row == i:
                t = 1
            elif prev_row == i - 1 and j == prev_col:
                t = 2
            elif prev_row == i - 1 and j == prev_col - 1:
                t = 3
            else:
                raise BoundsParameterError(f"crossed cells ({prev_row}, {prev_col}) -> ({i}, {j}) do not form a chain; unsupported boundary")
            rows.append(i)
            cols.append(j)
            step.append(t)
            pos.append(_ceil(Fraction(float(hi[i, j])) * scale))
            neg.append(_ceil(-Fraction(float(lo[i, j])) * scale))
            prev_row, prev_col = i, j
    if not rows:
        raise BoundsParameterError("the game has no crossed cell; its value is trivial")
    return Chain(n, np.array(rows, np.int64), np.array(cols, np.int64), np.array(step, np.int8), np.array(pos, np.int64), np.array(neg, np.int64), len(extra_rows), tuple(extra_rows), S)


def _ceil(x: Fraction) -> int:
    return -((-x.numerator) // x.denominator)


@dataclass(frozen=True, eq=False)
class ExactClassical(SolverResult):
    """Candidate exact N-bin classical value (not a bound until checked).

    Besides the fields below it has the :class:`bounds.result.SolverResult`
    provenance (``status`` is always ``exact``).

    Attributes
    ----------
    lower_estimate
        Winning probability of the recovered optimal strategy (float).
    upper_units
        The largest leaf bound, in units of ``1 / (N^2 2^scale_bits)`` of correlation.
    strategy
        A maximising :class:`games.StepStrategy`.
    certificates
        ``{"upper": classical-bnb dict, "lower": classical-strategy dict}``.
    """

    game: dict[str, Any]
    n: int
    lower_estimate: float
    upper_units: int
    scale_bits: int
    best_K: int
    strategy: StepStrategy
    certificates: dict[str, dict[str, Any]] = field(repr=False)

    @property
    def upper_win(self) -> Fraction:
        """``1/2 + 1/2 * upper_units / (N^2 2^S)`` (the claimed upper bound)."""
        return Fraction(1, 2) + Fraction(self.upper_units, 2 * self.n * self.n * (1 << self.scale_bits))

    @property
    def upper_estimate(self) -> float:
        """:attr:`upper_win` as a float (an estimate until the checker verified the certificate)."""
        return float(self.upper_win)


def exact_classical(game: Any, n: int) -> ExactClassical:
    """Exact classical value of the N-bin game by branch and bound over ``K`` with exact DP leaves.

    Parameters
    ----------
    game
        A :class:`games.XorGame` with a hyperbolic or linear boundary.
    n
        Number of bins per input.

    Examples
    --------
    >>> from games import linear_boundary_game, paper_game
    >>> r = exact_classical(linear_boundary_game(), 8)
    >>> round(r.lower_estimate, 12), r.certificates["upper"]["kind"]
    (0.75, 'classical-bnb')
    >>> exact_classical(paper_game(0.33), 0)
    Traceback (most recent call last):
    ...
    bounds.errors.BoundsParameterError: `N` must be an integer in [1, 2048]; got 0
    """
    from proofs.exact.cells import MAX_N

    if not isinstance(game, XorGame):
        raise BoundsTypeError(f"`game` must be a games.XorGame; got {type(game).__name__}")
    n = check_int("N", n, low=1, high=MAX_N)
    desc = exact_game(game).describe()
    start = time.perf_counter()
    enc = cell_enclosure(desc, n)
    ch = build_chain(enc.kind, enc.lo, enc.hi)
    Ks = np.arange(n % 2, n + 1, 2, dtype=np.int64)
    leaves = chain_leaves(ch.step, ch.cols, ch.pos, ch.neg, n, Ks, ch.unit, ch.extra)
    if np.any(leaves <= -(1 << 61)):
        raise SolverError(f"chain programme found an infeasible leaf (values {leaves.min()}); chain of N = {n} is inconsistent")
    kbest = int(Ks[int(np.argmax(leaves))])
    val, g_ch, h_ch, p_ch = chain_path_numpy(ch.step, ch.cols, ch.pos, ch.neg, n, kbest, ch.unit, ch.extra)
    if val != int(leaves.max()):
        raise SolverError(f"numba leaf value {int(leaves.max())} and numpy backtracking value {val} disagree at K = {kbest}")
    g, h = _strategy(ch, g_ch, h_ch, p_ch, kbest)
    strat = StepStrategy(g, h)
    mid = (enc.lo + enc.hi) / 2
    est = float(0.5 + 0.5 * g.astype(float) @ mid @ h.astype(float))
    upper = Fraction(1, 2) + Fraction(int(leaves.max()), 2 * n * n * ch.unit)
    if est < float(upper) - 1e-9:
        raise SolverError(f"recovered strategy has value {est} but the DP optimum is {float(upper)}; backtracking failed")
    secs = time.perf_counter() - start
    ucert = bnb_certificate(desc, n, upper, ch.scale_bits, list(zip(Ks.tolist(), leaves.tolist())), incumbent={"K": kbest, "g": g.tolist(), "h": h.tolist()})
    lcert = strategy_certificate(desc, g.tolist(), h.tolist())
    return ExactClassical(
        desc, n, est, int(leaves.max()), ch.scale_bits, kbest, strat, {"upper": ucert, "lower": lcert},
        status=SolveStatus.EXACT, message=f"branch and bound over {Ks.size} values of K, N = {n}", seconds=secs, parameters={"N": n},
    )


def _strategy(ch: Chain, g_ch, h_ch, p_ch, K: int) -> tuple[NDArray[np.int8], NDArray[np.int8]]:  # noqa: ANN001
    """Full ``g, h`` from the chain's choices; free columns only matter through their sums."""
    n = ch.n
    g = np.ones(n, dtype=np.int8)
    h = np.zeros(n, dtype=np.int8)
    for r, c, gv, hv in zip(ch.rows, ch.cols, g_ch, h_ch):
        g[r] = gv
        h[c] = hv
    j0, jl = int(ch.cols[0]), int(ch.cols[-1])
    # columns < jl sum to P(jl); columns > j0 sum to K - P(j0) - h_j0
    _fill(h, 0, jl, int(p_ch[-1]))
    _fill(h, j0 + 1, n, K - int(p_ch[0]) - int(h_ch[0]))
    for r, sgn in ch.extra_rows:  # full bunch rows add g K, full split rows -g K
        g[r] = 1 if sgn * K >= 0 else -1
    return g, h


def _fill(h: NDArray[np.int8], a: int, b: int, total: int) -> None:
    m = b - a
    if m == 0:
        return
    plus = (m + total) // 2
    if (m + total) % 2 or not 0 <= plus <= m:
        raise SolverError(f"columns [{a}, {b}) cannot sum to {total}")
    h[a : a + plus] = 1
    h[a + plus : b] = -1
