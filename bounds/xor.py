"""Tsirelson's SDP for a finite (rectangular) XOR game and the writers of the ``xor-*`` certificates.

The quantum value of an XOR game with bias matrix ``M`` (``rows x cols``) is
``1/2 + 1/2 max sum_xy M_xy <u_x, v_y>`` over unit vectors (Tsirelson).  A
rectangular game is solved by :func:`bounds.tsirelson.tsirelson` on ``M``
padded with zero rows or columns to a square; the padded inputs are dropped
afterwards (a principal submatrix of a PSD dual matrix is PSD, and the
dropped weights only lower the dual value).  The vectors are then projected
on their numerical span (rank ``r``): ``r <= 3`` is a qubit strategy.

Everything here is an estimate until :mod:`proofs.checkers.xor` verifies
the certificate.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bounds.errors import BoundsParameterError
from bounds.tsirelson import tsirelson
from games.xor import XorMatrixGame
from proofs.exact.certificate import new_certificate
from proofs.exact.psd import dual_matrix
from proofs.exact.xor_matrix import DYADIC_SCALE, VECTOR_BITS, strategy_total

__all__ = [
    "DIRECT_LIMIT",
    "GAP",
    "VECTOR_BITS",
    "XorQuantumSolve",
    "dual_margin",
    "solve_quantum",
    "vector_ints",
    "xor_classical_certificate",
    "xor_dual_certificate",
    "xor_vectors_certificate",
]



@dataclass(frozen=True, eq=False)
class XorQuantumSolve:
    """Tsirelson solution of a finite XOR game (estimates).

    Attributes
    ----------
    u, v
        Unit vectors of Alice (``rows x r``) and Bob (``cols x r``), projected on their span.
    x, y
        Dual weights; ``[[diag x, -M/2], [-M^T/2, diag y]]`` was proved PSD in floats by the solver.
    lower_estimate, upper_estimate
        ``1/2 + 1/2 sum M <u, v>`` and ``1/2 + 1/2 (sum x + sum y)``.
    rank
        Numerical rank of the Gram matrix (the vectors' dimension ``r``).
    seconds
        Wall time.
    """

    u: NDArray[np.float64]
    v: NDArray[np.float64]
    x: NDArray[np.float64]
    y: NDArray[np.float64]
    lower_estimate: float
    upper_estimate: float
    rank: int
    seconds: float


def _project(u: NDArray[np.float64], v: NDArray[np.float64], m: NDArray[np.float64], tol: float) -> tuple[NDArray[np.float64], NDArray[np.float64], int]:
    """The vectors in the basis of their numerical span, renormalised; keeps the projection only if it loses < 1e-12."""
    w = np.vstack([u, v])
    _, s, vt = np.linalg.svd(w, full_matrices=False)
    r = max(1, int(np.sum(s > tol * s[0])))
    p = w @ vt[:r].T
    p /= np.maximum(np.linalg.norm(p, axis=1), 1e-300)[:, None]
    pu, pv = p[: u.shape[0]], p[u.shape[0]:]
    full = float(np.sum(m * (u @ v.T)))
    proj = float(np.sum(m * (pu @ pv.T)))
    if proj >= full - 1e-12:
        return pu, pv, r
    return u, v, u.shape[1]


#: largest ``rows + cols`` solved by the direct ascent here (dense eigenvalue check of the dual); larger games use
#: :func:`bounds.tsirelson.tsirelson`
DIRECT_LIMIT = 1024


#: default ``gap`` of :func:`solve_quantum`: the ascent stops once the uniform dual shift adds at most ``GAP / 2`` to the bracket width
GAP = 2e-10


#: largest ``rows cols^2`` whose ascent stops at the ``gap`` goal (:func:`bounds._xor_kernels.ascend_to_goal`: a galloping Cholesky
#: ladder after every chunk of sweeps, whose tests cost ``rows cols^2 / 2`` each; larger ones run to ``tol`` and find the shift once).
#: Solve kernel times (best of 3 x 5 on a shared machine, us, goal against ladder): random 16 x 16 ~120 against ~200, 20 x 20 395 against
#: 1216, 24 x 24 256 against 609, 32 x 32 430 against 583, 36 x 36 (seeds 1-3) 392-508 against 689-1612, 40 x 40 500-1028 against
#: 757-2157 (+ the rest of the ascent: the ladder's first ascent did not end these), 48 x 48 1055-2678 against 2180-7373, paper
#: N = 32 99 against 107, N = 48 180 against 232; at 64 x 64 the ladder wins (random 2.8 ms against 1.9 ms, paper 516 against 383)
GOAL_LIMIT = 48 * 48 * 48


#: over-relaxation of the ascent's sweeps after the first chunk, up to ``rows cols^2 = GOAL_LIMIT``
#: (:func:`bounds._xor_kernels.ascend_to_goal`): the dual shift of the slowly converging random games decays 2-5x faster in the
#: sweeps (random 8 x 8, seed 8: 250 -> 75 sweeps to the gap); the ones done within the first chunk stay plain.  With the rank
#: reduction (:data:`REDUCE`), 1.6 beat 1.7 on 35 of 53 random games of sides 4-24 (kernel times, median of 15: random 4 x 4 23 -> 19 us,
#: 8 x 8 45 -> 39; 16 x 16 96 -> 101); 1.5 and 1.8 needed more sweeps overall
OMEGA = 1.6


#: the small games' ascent (:func:`bounds._xor_kernels.solve_goal`) drops the dimensions whose singular values fall below
#: ``REDUCE`` times the largest after a chunk of sweeps (fewer products per sweep; random 8 x 8, seed 1: rank 7 -> 2 after the first
#: chunk); a stall after that goes on in :func:`_ascent`, which adds dimensions again
REDUCE = 1e-2


#: largest ``rows + cols`` whose dual shift is found by the Cholesky ladder of :func:`bounds._xor_kernels.dual_shift`
LADDER_LIMIT = 256


def _ascent(m: NDArray[np.float64], seed: int, tol: float, max_iter: int, goal: float,
            first: tuple[Any, ...] | None = None) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Block-coordinate ascent (:func:`bounds._kernels.alternate`) on the rectangular ``m``, rank grown while the dual is far from PSD.

    Returns ``(u, v, x, y)`` with ``x``, ``y`` the complementary-slackness
    multipliers shifted by a uniform ``s`` that makes the dual's Schur
    complement pass a float Cholesky (no LAPACK call), an estimate of
    ``-lambda_min``; up to ``rows cols^2 = GOAL_LIMIT`` the ascent stops once
    ``(rows + cols) s <= goal`` (:func:`bounds._xor_kernels.ascend_to_goal`).
    The certificate writer adds the checker's rounding margin.  ``first``:
    ``(u, v, x, y, shift, top)`` of a first :func:`bounds._xor_kernels.ascend_to_goal`
    from the start (:func:`bounds._xor_kernels.solve_goal` did it), to go on from.
    """
    _xor_kernels = _kernels()
    rows, cols = m.shape
    n = rows + cols
    kmax = max(2, min(n, math.isqrt(2 * n) + 2))
    k = min(kmax, 8)
    u, v = _start(rows, cols, k, seed)
    rng = None
    mc = np.ascontiguousarray(m)
    mt = np.ascontiguousarray(m.T)
    while True:
        if first is not None:
            u, v, x, y, shift, top = first
            first = None
            k = u.shape[1]  # (the fused solve may have dropped dimensions)
        elif rows * cols * cols <= GOAL_LIMIT:  # checks after every chunk are cheap here
            u, v, x, y, shift, top, _ = _xor_kernels.ascend_to_goal(mc, mt, u, v, max_iter, tol, goal, 2.0**-50, OMEGA)
        elif n <= LADDER_LIMIT:
            u, v, x, y = _ascend_relaxed(_xor_kernels, mc, mt, u, v, max_iter, tol)
            shift, _, top = _xor_kernels.dual_shift(mc, x, y, 2.0**-50, 64)
        else:  # each rung costs rows cols^2: the dense eigenvalue (one LAPACK call) is cheaper here
            u, v, x, y = _ascend_relaxed(_xor_kernels, mc, mt, u, v, max_iter, tol)
            shift, top = -1.0, max(float(np.abs(x).max(initial=0.0)), float(np.abs(y).max(initial=0.0)))
        if shift < 0:  # (or no shift up to 2^13 tr passed: not met in practice)
            shift = 1.05 * max(0.0, -float(np.linalg.eigvalsh(dual_matrix(m, x, y))[0]))
        if shift <= 2e-9 * max(top, 1e-300) or shift * n <= goal or k >= kmax:  # the ladder overshoots -lambda_min by up to 2x
            break
        k2 = min(2 * k, kmax)  # a saddle point or a slow run: add dimensions
        rng = rng or np.random.default_rng(seed + 1)
        pad = 1e-3 * rng.standard_normal((rows + cols, k2 - k))
        u = np.hstack([u, pad[:rows]])
        v = np.hstack([v, pad[rows:]])
        u /= np.linalg.norm(u, axis=1)[:, None]
        v /= np.linalg.norm(v, axis=1)[:, None]
        k = k2
    return u, v, x + shift, y + shift


#: plain sweeps before :func:`_ascend_relaxed` over-relaxes (the games that converge within them, such as the paper's, stay plain)
PLAIN_SWEEPS = 15
#: over-relaxation of the sweeps after the first :data:`PLAIN_SWEEPS` above ``rows cols^2 = GOAL_LIMIT`` (solve times, best of 3 x 200,
#: certified widths similar or smaller: random 12 x 12 112 -> 102 us, 16 x 16 190 -> 179, 24 x 24 267 -> 242, 32 x 32 651 -> 548,
#: 64 x 64 9.2 -> 7.9 ms, 128 x 128 54 -> 40 ms; the paper's games converge in the plain sweeps; 1.5 was faster on some and slower
#: on others through the rank growth of :func:`_ascent`)
OMEGA_LARGE = 1.3


def _ascend_relaxed(kernels: Any, mc: NDArray[np.float64], mt: NDArray[np.float64], u: NDArray[np.float64], v: NDArray[np.float64],
                    max_iter: int, tol: float) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """:func:`bounds._xor_kernels.ascend` to ``tol``: :data:`PLAIN_SWEEPS` plain sweeps, then (if they did not converge) sweeps
    over-relaxed by :data:`OMEGA_LARGE`, then one plain sweep (the multipliers are those of an exact block maximisation)."""
    u, v, x, y, it = kernels.ascend(mc, mt, u, v, min(max_iter, PLAIN_SWEEPS), tol)
    if it < PLAIN_SWEEPS or it >= max_iter:
        return u, v, x, y
    u, v, x, y, it2 = kernels.ascend(mc, mt, u, v, max_iter - it, tol, OMEGA_LARGE)
    if it + it2 < max_iter:
        u, v, x, y, _ = kernels.ascend(mc, mt, u, v, 1, tol)
    return u, v, x, y


@lru_cache(maxsize=64)
def _start_cached(rows: int, cols: int, k: int, seed: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    rng = np.random.default_rng(seed)
    v = rng.standard_normal((cols, k))
    v /= np.linalg.norm(v, axis=1)[:, None]
    u = np.zeros((rows, k))
    u[:, 0] = 1.0
    u.flags.writeable = False
    v.flags.writeable = False
    return u, v


def _start(rows: int, cols: int, k: int, seed: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The ascent's start (Bob's rows random unit vectors of the seed, Alice's ``e_1``), cached per shape and seed; copies."""
    u, v = _start_cached(rows, cols, k, seed)
    return u.copy(), v.copy()


def solve_quantum(game: XorMatrixGame, *, seed: int = 0, rank_tol: float = 1e-7, tol: float = 1e-16, max_iter: int = 20000,
                  gap: float = GAP) -> XorQuantumSolve:
    """Tsirelson's SDP of ``game`` (:func:`_solve_quantum`), with the vectors of questions that are never asked made equal.

    A row or column of zeros in ``M`` (a question of probability 0) leaves its
    vector free, and the solver's arbitrary choice there would raise the
    strategy's rank (so hide a qubit strategy): those vectors are set to the
    vector of the first asked question of the same player and the strategy is
    projected on its span again (the value is unchanged: they meet only zeros).

    >>> g = XorMatrixGame.from_bias([["1/4", "1/4", "0", "0"], ["1/4", "-1/4", "0", "0"], ["0", "0", "0", "0"]])
    >>> solve_quantum(g).rank
    2
    """
    sol = _solve_quantum(game, seed, rank_tol, tol, max_iter, gap)
    if all(map(all, game.integer_form[0])):  # no zero entry (the common case): one cheap test on the cached exact form
        return sol
    m = game.float_matrix
    asked_r, asked_c = m.any(axis=1), m.any(axis=0)
    if asked_r.all() and asked_c.all():
        return sol
    u, v = sol.u.copy(), sol.v.copy()
    for w, asked in ((u, asked_r), (v, asked_c)):
        if asked.any():
            w[~asked] = w[int(np.argmax(asked))]
        else:  # the all-zero game: every vector the same unit vector
            w[:] = 0.0
            w[:, 0] = 1.0
    u, v, r = _project(u, v, m, rank_tol)
    return XorQuantumSolve(u, v, sol.x, sol.y, sol.lower_estimate, sol.upper_estimate, r, sol.seconds)


def _solve_quantum(game: XorMatrixGame, seed: int, rank_tol: float, tol: float, max_iter: int, gap: float) -> XorQuantumSolve:
    """Tsirelson's SDP of ``game`` (single copy): block-coordinate ascent on ``M`` itself (rectangular), dual from the multipliers.

    Up to ``rows + cols = DIRECT_LIMIT`` the ascent runs directly on the
    rectangular matrix and the dual is made PSD by the uniform shift of
    :func:`bounds._xor_kernels.psd_shift` (a loop Cholesky of its Schur
    complement: no padding, no LAPACK eigensolver, no verified-Cholesky
    rounds), the vectors projected on their span in numba
    (:func:`bounds._xor_kernels.project`); the dual weights include
    :func:`dual_margin`, which the checker's verified route normally needs
    (:func:`proofs.certify.xor.certify_quantum` enlarges it if not); larger
    games use :func:`bounds.tsirelson.tsirelson` on ``M`` padded to a square.
    ``tol`` is the ascent's relative gain per sweep at which it stops; up to
    ``rows cols^2 = GOAL_LIMIT`` it also stops once the dual shift ``s``
    costs at most ``gap`` (``(rows + cols) s <= gap``, twice the shift's
    share of the bracket width: :func:`bounds._xor_kernels.ascend_to_goal`).
    Up to ``rows + cols = LADDER_LIMIT`` the first ascent, the shift, the
    margin and the projection are one numba call
    (:func:`bounds._xor_kernels.solve_goal`, :func:`bounds._xor_kernels.solve_ladder`;
    ``2 x 2`` games: the closed form :func:`bounds._xor_kernels.two_by_two`);
    :func:`_ascent` goes on from there when that ascent does not end the solve.

    >>> chsh = XorMatrixGame.from_bias([["1/4", "1/4"], ["1/4", "-1/4"]])
    >>> s = solve_quantum(chsh)
    >>> round(s.lower_estimate, 9), round(s.upper_estimate, 9), s.rank
    (0.853553391, 0.853553391, 2)
    """
    start = time.perf_counter()
    m = game.float_matrix
    rows, cols = m.shape
    # the kernels compute the margin's ulp part 4 max(rows, cols) ulp(max |M|) themselves (ulp_part = -1): max |m| is _abs_max(game)
    if rows == cols == 2:  # closed form (bounds._xor_kernels.two_by_two), the margin of dual_margin included
        u2, v2, x2, y2, r2, val, dsum = _kernels().two_by_two(m, -1.0)
        return XorQuantumSolve(u2, v2, x2, y2, 0.5 + 0.5 * val, 0.5 + 0.5 * dsum, r2, time.perf_counter() - start)
    if rows + cols <= DIRECT_LIMIT:
        _xor_kernels = _kernels()
        first = None
        n = rows + cols
        if n <= LADDER_LIMIT:  # the whole solve in one kernel call when the first ascent ends it
            kmax = max(2, min(n, math.isqrt(2 * n) + 2))
            k = min(kmax, 8)
            u0, v0 = _start_cached(rows, cols, k, seed)
            ulp_part = -1.0
            if rows * cols * cols <= GOAL_LIMIT:
                out = _xor_kernels.solve_goal(m, u0, v0, max_iter, tol, gap, 2.0**-50, OMEGA, k >= kmax, ulp_part, rank_tol, REDUCE)
            else:
                out = _xor_kernels.solve_ladder(m, u0, v0, max_iter, tol, PLAIN_SWEEPS, OMEGA_LARGE, gap, 2.0**-50, 64, k >= kmax, ulp_part,
                                                rank_tol)
            u, v, x, y, r, val, dsum, shift, top, done = out
            if done:
                return XorQuantumSolve(u, v, x, y, 0.5 + 0.5 * val, 0.5 + 0.5 * dsum, r, time.perf_counter() - start)
            first = (u, v, x, y, shift, top)
        u, v, x, y = _ascent(m, seed, tol, max_iter, gap, first)
        xl, yl = x.tolist(), y.tolist()  # Python floats: less fixed cost than numpy reductions of short vectors
        delta = _margin(rows, cols, sum(map(abs, xl)) + sum(map(abs, yl)), _abs_max(game))  # dual_margin: the checker's rounding
        xl, yl = [t + delta for t in xl], [t + delta for t in yl]
        u, v, r, val = _xor_kernels.project(m, u, v, rank_tol)
        return XorQuantumSolve(u, v, np.array(xl), np.array(yl), 0.5 + 0.5 * val, 0.5 + 0.5 * (sum(xl) + sum(yl)), r, time.perf_counter() - start)
    else:
        n = max(rows, cols)
        sq = np.zeros((n, n))
        sq[:rows, :cols] = m
        res = tsirelson(sq, seed=seed)
        u, v = res.strategy.u[:rows], res.strategy.v[:cols]
        x, y = res.x[:rows], res.y[:cols]
    u, v, r = _project(u, v, m, rank_tol)
    lower = 0.5 + 0.5 * float(np.sum(m * (u @ v.T)))
    upper = 0.5 + 0.5 * float(np.sum(x) + np.sum(y))
    return XorQuantumSolve(u, v, x, y, lower, upper, r, time.perf_counter() - start)


_KERNELS: Any = None


def _kernels() -> Any:
    """:mod:`bounds._xor_kernels`, imported on first use (numba) and kept (no import statement per solve)."""
    global _KERNELS
    if _KERNELS is None:
        from bounds import _xor_kernels

        _KERNELS = _xor_kernels
    return _KERNELS


def dual_margin(game: XorMatrixGame, x: NDArray[np.float64], y: NDArray[np.float64]) -> float:
    """A diagonal shift covering the checker's rounding: Theorem V's ``2 alpha tr`` of :mod:`proofs.exact.psd` and the enclosure of ``M``."""
    return _margin(game.rows, game.cols, float(np.abs(x).sum() + np.abs(y).sum()), _abs_max(game))


def _margin(rows: int, cols: int, tr: float, abs_max: float) -> float:
    """:func:`dual_margin` from the trace ``sum |x| + sum |y|`` and ``max |M|`` (:func:`bounds._xor_kernels.margin`, which the one-call solves use)."""
    return float(_kernels().margin(rows, cols, tr, 4.0 * max(rows, cols) * math.ulp(abs_max)))


def _abs_max(game: XorMatrixGame) -> float:
    """``max |M|`` in floats, the largest magnitude of the nearest floats: ``fl(max |N| / L)`` (rounding is monotone)."""
    bm = game.checked_bias
    return bm.max_abs / bm.den


def _bias_fields(game: XorMatrixGame) -> dict[str, Any]:
    ints, den = game.integer_form
    return {"denominator": den, "bias": ints}


def xor_dual_certificate(game: XorMatrixGame, x: NDArray[np.float64], y: NDArray[np.float64], model: str = "quantum",
                         bound: Fraction | None = None) -> dict[str, Any]:
    """An ``xor-quantum-dual`` certificate: the dual weights ``x``, ``y`` prove ``value <= 1/2 + (sum x + sum y)/2``.

    ``model = "classical"`` claims the same number for the classical value
    (a deterministic strategy is a vector strategy in dimension 1).
    """
    if model not in ("quantum", "classical"):
        raise BoundsParameterError(f"`model` must be 'quantum' or 'classical'; got {model!r}")
    xs = [float(t).as_integer_ratio() for t in x]  # exact; denominators are powers of two
    ys = [float(t).as_integer_ratio() for t in y]
    den = max(q for _, q in xs + ys)
    proven = Fraction(1, 2) + Fraction(sum(p * (den // q) for p, q in xs + ys), 2 * den)
    return new_certificate(
        "xor-quantum-dual", game.exact(), game.rows, "upper", proven if bound is None else bound,
        model=model, **_bias_fields(game), x=[f"{p}/{q}" for p, q in xs], y=[f"{p}/{q}" for p, q in ys],
    )



def _dyadic_ints(w: NDArray[np.float64]) -> NDArray[np.int64] | tuple[tuple[int, ...], ...]:
    """Rows as the integers ``k`` of ``k / 2^VECTOR_BITS``, truncated towards zero after a relative shrink of ``2^-40`` (norms
    stay <= 1; ``|k| < 2^60``): ``fl(t c)``, ``c = (1 - 2^-40) 2^60``, truncated (Python's ``int``, numpy's cast to int64);
    a tuple of tuples of Python ints for at most :data:`TUPLE_ENTRIES` entries, else an int64 array."""
    if w.size <= TUPLE_ENTRIES:  # the same float operations in Python: less fixed cost than numpy calls
        c = DYADIC_SCALE
        return tuple([tuple([int(t * c) for t in row]) for row in w.tolist()])
    return (w * DYADIC_SCALE).astype(np.int64)


#: most entries that :func:`vector_ints` returns as a tuple of tuples of Python ints (the checker reads them as they are);
#: larger vectors come as an int64 array (medians of 300 fresh vector_ints + checks after a fresh solve, us, with 8 / 16 / 0:
#: random 2 x 2 22.4 / 22.3 / 29.7, 4 x 4 36.5 / 36.6 / 42.1, 8 x 8 52.5 / 56.2 / 53.3, paper N = 8 52.8 / 56.6 / 53.7)
TUPLE_ENTRIES = 8


def vector_ints(w: NDArray[np.float64]) -> NDArray[np.int64] | tuple[tuple[int, ...], ...]:
    """The unit vectors ``w`` (rows) on the checker's dyadic grid: the integers ``k`` of entries ``k / 2^VECTOR_BITS`` (norms stay <= 1).

    The entries of an ``xor-quantum-vectors`` certificate in the form
    :func:`proofs.checkers.xor.check_xor_vectors_ints` reads fastest: a tuple of ``rows`` tuples of ``d`` Python ints (at most
    :data:`TUPLE_ENTRIES` entries; read as they are) or an int64 array ``rows x d`` (read once into one copy).

    >>> int(vector_ints(np.array([[1.0, 0.0]]))[0][0]) == 2**60 - 2**20
    True
    """
    return _dyadic_ints(w if type(w) is np.ndarray and w.dtype is _FLOAT64 else np.asarray(w, dtype=np.float64))


_FLOAT64 = np.dtype(np.float64)


def _dyadic_strings(ks: NDArray[np.int64] | tuple[tuple[int, ...], ...]) -> list[list[str]]:
    suffix = f"/{2**VECTOR_BITS}"
    return [[f"{k}{suffix}" for k in row] for row in (ks.tolist() if isinstance(ks, np.ndarray) else ks)]


def dyadic_value(game: XorMatrixGame, u: list[list[str]], v: list[list[str]]) -> Fraction:
    """The exact winning probability of the written vectors (for the producer's claim)."""
    ui = [[int(t.split("/")[0]) for t in row] for row in u]
    vi = [[int(t.split("/")[0]) for t in row] for row in v]
    return _dyadic_value(game, ui, vi)


def _dyadic_value(game: XorMatrixGame, ui: Any, vi: Any) -> Fraction:
    ints, den = game.integer_form
    return Fraction(1, 2) + Fraction(strategy_total(ints, ui, vi), 2 * den * 4**VECTOR_BITS)


def xor_vectors_certificate(game: XorMatrixGame, u: NDArray[np.float64], v: NDArray[np.float64], bound: Fraction | None = None) -> dict[str, Any]:
    """An ``xor-quantum-vectors`` certificate: the strategy's exact value (or ``bound``) as a lower bound."""
    ui, vi = _dyadic_ints(np.asarray(u, dtype=np.float64)), _dyadic_ints(np.asarray(v, dtype=np.float64))
    value = _dyadic_value(game, ui, vi) if bound is None else bound
    return new_certificate("xor-quantum-vectors", game.exact(), game.rows, "lower", value, **_bias_fields(game),
                           u=_dyadic_strings(ui), v=_dyadic_strings(vi))


def xor_classical_certificate(game: XorMatrixGame, side: str, value: Fraction, a: list[int] | None = None, b: list[int] | None = None) -> dict[str, Any]:
    """An ``xor-classical`` certificate: ``side = "lower"`` with the strategy ``a``, ``b``; ``"upper"`` by exhaustive search."""
    if side == "lower":
        if a is None or b is None:
            raise BoundsParameterError("a lower xor-classical certificate needs the strategy `a`, `b`")
        return new_certificate("xor-classical", game.exact(), game.rows, "lower", value, **_bias_fields(game), a=list(a), b=list(b))
    if side != "upper":
        raise BoundsParameterError(f"`side` must be 'lower' or 'upper'; got {side!r}")
    return new_certificate("xor-classical", game.exact(), game.rows, "upper", value, **_bias_fields(game), search="exhaustive")
