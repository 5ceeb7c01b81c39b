"""Benchmark: how fast a certified quantum XOR value can be in Python, against ours and toqito's uncertified one, in one run.

Run:  python bench/xor_floor.py [--sizes 4,8,16] [--paper 8,16] [--repeats 30] [--block 100] [--warmup 5] [--clock cpu]

Issue 19 asks for our certified quantum bracket at least 100x faster than
toqito's ``XORGame(prob, pred).quantum_value()`` at every size toqito finishes.
From 16 inputs it is; at 4 and 8 random inputs and on the paper's game at 8
bins it stays near 70-95x.  This script estimates the *floor* of a certified
bracket under the project's trust rules (checkers in Python, numpy and
python-flint only; no compiled checker code): :func:`floor_bracket` does the
same work as :func:`proofs.certify.xor.certify_quantum` on a fresh game
(exact integer form, the validation a :class:`proofs.exact.xor_matrix.BiasMatrix`
makes, the nearest floats, the solve kernel's call, lemma X1's scaled Schur
test by the checker's own function, the SHA-256 that names the game, lemma
X2's exact value of the vector strategy; not the two bounds, which only a
checker issues) in one function, without the layers (no validated objects, no per-call argument
checks, no fall-backs: a game it cannot take raises :class:`Unsupported`).
It is **not** a checker and nothing in qcoord calls it: it asserts that its
values and target equal ours exactly, and times both beside toqito (one child process,
one BLAS thread, its runs interleaved with blocks of ours and of the floor, as
``bench/xor.py`` does).  Columns: toqito's median, ours and the floor (medians)
with toqito's time over each, and the time that 100x needs.

Measured (2026-12-03, 2-core AMD EPYC, idle; six runs of ``--sizes 4,8 --paper 8``, CPU clock, the machine's speed
changing between them): toqito / floor 95-135x at random 4 x 4, 90-115x at random 8 x 8, 70-124x on the paper's
game at 8 bins; toqito / ours 70-106x, 72-95x and 54-97x in the same runs.  Within a run ours and the floor keep
their ratio (the floor takes 0.72-0.82 of our time); toqito's median moved between runs by up to 55 % (4 x 4:
8.8-13.6 ms) and ours by up to 50 % (the machine's speed).  So with every layer removed a certified bracket in
Python is at about 100x at these sizes, and whether a row passes depends on the run.
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import sys
from fractions import Fraction
from pathlib import Path
from typing import Any

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.xor import CLOCKS, paper_game_matrix, random_game, run_peer
from bounds import _xor_kernels
from bounds.xor import GAP, OMEGA, REDUCE, _start_cached
from proofs.checkers.bound import Target
from proofs.checkers.xor import (
    _LEAN_LOOPS,
    _NORM2,
    _float_half_sum,
    _lean_schur_loops,
    _lean_schur_numpy,
    _python_total,
    _squared_norms,
    scaled_down,
)
from proofs.exact.xor_matrix import DYADIC_SCALE, PYTHON_PRODUCTS, XorMatrix, integer_digest, integer_form, nearest_floats


class Unsupported(ValueError):
    """A game outside the floor's one path (the real checkers have fall-backs for it)."""


def floor_bracket(bias: tuple[tuple[Fraction, ...], ...]) -> tuple[Fraction, Fraction, Target]:
    """``(lower, upper, target)``: the values the checkers prove for the game with bias matrix ``bias`` (Fractions) and the
    target they name, every step in one function (module docstring).  Plain values: only a proofs/ checker issues a
    :class:`proofs.checkers.bound.Bound`, so the floor leaves out the two bounds and their bracket (a few us)."""
    rows, cols = len(bias), len(bias[0])
    ints, den = integer_form(bias)  # the project's exact integer form and nearest floats (plain functions, no objects)
    flat = list(itertools.chain.from_iterable(ints))
    absolute = list(map(abs, flat))  # BiasMatrix's checks (the entries are ints: they come from Fractions)
    top = max(absolute)
    if math.gcd(den, *flat) != 1 or sum(absolute) > den:
        raise Unsupported("not a game in lowest terms")
    if not (den < 2**52 or (den & (den - 1) == 0 and den.bit_length() <= 1001 and top < 2**53)):
        raise Unsupported("lemma X1b needs L < 2^52 or L = 2^k with every |N| < 2^53")
    m = nearest_floats(ints, den, max_abs=top, radii=False, flat=flat)[0]  # the solver's input
    n = rows + cols  # the solve: the kernel call bounds.xor.solve_quantum makes for these sizes
    kmax = max(2, min(n, math.isqrt(2 * n) + 2))
    k = min(kmax, 8)
    u0, v0 = _start_cached(rows, cols, k, 0)
    u, v, x, y, _r, _val, _dsum, _shift, _top, done = _xor_kernels.solve_goal(m, u0, v0, 20000, 1e-16, GAP, 2.0**-50, OMEGA, k >= kmax, -1.0,
                                                                             1e-7, REDUCE)
    if not done:
        raise Unsupported("the first ascent did not end the solve")
    xl, yl = x.tolist(), y.tolist()  # lemma X1: the dual weights, their exact half sum, lemma X1b's scaled test
    if not sum(map(abs, xl)) + sum(map(abs, yl)) < 2.0**1000:
        raise Unsupported("weights out of range")
    proven = _float_half_sum(xl + yl)
    loops = rows * cols * cols <= _LEAN_LOOPS
    if den < 2**52:
        xs, ys = scaled_down(xl, 2.0 * den), scaled_down(yl, 2.0 * den)
        res = _lean_schur_loops(ints, xs, ys, "scaled-schur") if loops else _lean_schur_numpy(np.array(flat, dtype=np.float64).reshape(rows, cols).T,
                                                                                              float(top), xs, ys, "scaled-schur")
    else:
        b = m * 0.5
        res = _lean_schur_loops(b.tolist(), xl, yl, "scaled-schur") if loops else _lean_schur_numpy(b.T, math.ldexp(float(top), -den.bit_length()),
                                                                                                   xl, yl, "scaled-schur")
    if res is None or not res.ok:
        raise Unsupported("lemma X1b's test did not pass")
    target = Target(XorMatrix(rows, cols, integer_digest(ints, den)).describe(), rows, "quantum")
    d = u.shape[1]  # lemma X2: the vectors on the dyadic grid, their norms and the strategy's exact value
    if rows * cols * d > PYTHON_PRODUCTS:
        raise Unsupported("lemma X2 beyond Python integers")
    w = [int(t * DYADIC_SCALE) for t in [*u.ravel().tolist(), *v.ravel().tolist()]]
    if max(_squared_norms(w, d)) > _NORM2:
        raise Unsupported("a vector of norm above 1")
    s = den * _NORM2
    value = Fraction(s + _python_total(ints, w, rows * d, d), 2 * s)
    return value, proven, target


def row(label: str, g: Any, repeats: int, block: int, warmup: int, clock: str, timeout: float) -> None:
    from games.xor import XorMatrixGame
    from proofs.certify.xor import certify_quantum

    now = CLOCKS[clock]
    ours_b = certify_quantum(XorMatrixGame(g.bias), None, {})[0]
    try:
        floor_b = floor_bracket(g.bias)
    except Unsupported as exc:
        print(f"{label:>12}  floor skipped: {exc}")
        return
    if (floor_b[0], floor_b[1], floor_b[2].to_json()) != (ours_b.lower.value, ours_b.upper.value, ours_b.upper.target.to_json()):
        raise SystemExit(f"{label}: the floor's values differ from ours: {floor_b} against {ours_b}")
    ours: list[float] = []
    floor: list[float] = []

    def one_block() -> None:
        for _ in range(block):
            fresh = XorMatrixGame(g.bias)
            t0 = now()
            certify_quantum(fresh, None, {})
            t1 = now()
            floor_bracket(g.bias)
            t2 = now()
            ours.append(t1 - t0)
            floor.append(t2 - t1)

    for _ in range(warmup):
        one_block()
    ours.clear()
    floor.clear()
    got = run_peer("toqito-quantum", g.matrix, timeout, repeats, clock, warmup, between=one_block)
    if got is None:
        print(f"{label:>12}  toqito timed out")
        return
    tq = got[1]
    o, f = float(np.median(ours)), float(np.median(floor))
    print(f"{label:>12} {tq * 1e3:10.2f} {o * 1e6:9.1f} {tq / o:7.1f} {f * 1e6:9.1f} {tq / f:7.1f} {tq / 100 * 1e6:9.1f}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="4,8,16", help="random n x n games (bench/xor.py's, seed n)")
    ap.add_argument("--paper", default="8,16", help="the paper's game (C = 0.33) at N bins")
    ap.add_argument("--repeats", type=int, default=30, help="toqito's timed runs per row")
    ap.add_argument("--block", type=int, default=100, help="runs of ours and of the floor after each of toqito's")
    ap.add_argument("--warmup", type=int, default=5, help="untimed runs (blocks for ours and the floor) first")
    ap.add_argument("--clock", choices=sorted(CLOCKS), default="cpu")
    ap.add_argument("--timeout", type=float, default=300.0)
    a = ap.parse_args()
    for flag, k in (("--repeats", a.repeats), ("--block", a.block)):
        if k < 1:
            ap.error(f"{flag} must be a positive integer; got {k}")
    ints = lambda s: [int(t) for t in s.split(",") if t]  # noqa: E731
    print(f"load average {os.getloadavg()}; {a.clock} clock; medians")
    print(f"{'game':>12} {'toqito ms':>10} {'ours us':>9} {'ratio':>7} {'floor us':>9} {'ratio':>7} {'100x us':>9}")
    for n in ints(a.sizes):
        row(f"random {n}", random_game(n, seed=n), a.repeats, a.block, a.warmup, a.clock, a.timeout)
    for n in ints(a.paper):
        row(f"paper {n}", paper_game_matrix(n), a.repeats, a.block, a.warmup, a.clock, a.timeout)


if __name__ == "__main__":
    main()
