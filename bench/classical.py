"""Benchmark: exact classical values, toqito's enumeration vs qcoord's branch and bound.

Run:  python bench/classical.py [--toqito-n 8,12,16,18] [--ours-n 64,128,256,1000] [--bins 50,100,200,400]

1. The paper's game (C = 0.33) on N bins as a toqito ``XORGame`` (question
   probabilities ``|M_ij| / sum|M|``, predicate ``M_ij < 0``), so toqito's value
   ``v`` relates to ours by ``max g^T M h = sum|M| (2 v - 1)``.  toqito enumerates
   ``2^N`` strategies; we solve exactly by branch and bound over ``K`` with chain-DP
   leaves.  The two values must agree to rounding; times and ratios are printed.
2. Ours alone at larger N: solve time, independent certificate-check time.
3. The certified continuum bracket at C = 0.33: width and time per number of bins.
"""

from __future__ import annotations

import argparse
import time

import numpy as np


def _ints(s: str) -> list[int]:
    return [int(x) for x in s.split(",") if x.strip()]


def toqito_value(M: np.ndarray) -> tuple[float, float]:
    from toqito.nonlocal_games.xor_game import XORGame

    tot = float(np.abs(M).sum())
    prob = np.abs(M) / tot
    pred = (M < 0).astype(int)
    t = time.perf_counter()
    v = XORGame(prob, pred).classical_value()
    return tot * (2 * v - 1), time.perf_counter() - t


def _solve_and_check(solver, game, size):  # noqa: ANN001, ANN202
    """Run ``solver(game, size)``, check both certificates; return (lower, upper, solve s, check s)."""
    from proofs.checkers.registry import check_certificate

    t = time.perf_counter()
    r = solver(game, size)
    solve = time.perf_counter() - t
    t = time.perf_counter()
    lo = check_certificate(r.certificates["lower"])
    up = check_certificate(r.certificates["upper"])
    return lo, up, solve, time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--C", type=float, default=0.33)
    ap.add_argument("--toqito-n", default="8,12,16,18")
    ap.add_argument("--ours-n", default="64,128,256,512,1000")
    ap.add_argument("--bins", default="50,100,200,400")
    args = ap.parse_args()

    from bounds.classical_continuum import continuum_classical
    from bounds.classical_exact import exact_classical
    from games import discretise, paper_game
    from proofs.checkers.registry import check_certificate

    game = paper_game(args.C)
    exact_classical(game, 4)  # compile the numba kernels outside the timings
    check_certificate(exact_classical(game, 4).certificates["upper"])

    print(f"1. exact N-bin classical value, paper game C = {args.C}: toqito enumeration vs qcoord branch and bound")
    print(f"{'N':>5} {'toqito value':>16} {'qcoord value':>16} {'|diff|':>9} {'toqito s':>10} {'qcoord s':>10} {'ratio':>9}")
    for n in _ints(args.toqito_n):
        M = discretise(game, n).matrix
        tq, tq_s = toqito_value(M)
        t = time.perf_counter()
        r = exact_classical(game, n)
        ours_s = time.perf_counter() - t
        ours = 2 * r.lower_estimate - 1
        diff = abs(tq - ours)
        flag = "" if diff < 1e-12 else "   <-- DISAGREE"
        print(f"{n:5d} {0.5 + tq / 2:16.12f} {r.lower_estimate:16.12f} {diff:9.1e} {tq_s:10.4f} {ours_s:10.4f} {tq_s / ours_s:9.1f}x{flag}")

    print("\n2. qcoord alone (solve = branch and bound; check = independent integer DP of proofs.checkers.classical)")
    print(f"{'N':>5} {'certified lower':>18} {'certified upper':>18} {'width':>9} {'solve s':>9} {'check s':>9}")
    for n in _ints(args.ours_n):
        lo, up, solve, chk = _solve_and_check(exact_classical, game, n)
        print(f"{n:5d} {float(lo.value):18.14f} {float(up.value):18.14f} {float(up.value - lo.value):9.1e} {solve:9.2f} {chk:9.2f}")

    print(f"\n3. certified continuum bracket at C = {args.C} (paper's stated value, Eq. 5: 0.7616)")
    print(f"{'bins':>5} {'certified lower':>16} {'certified upper':>16} {'width':>9} {'solve s':>9} {'check s':>9}")
    for b in _ints(args.bins):
        lo, up, solve, chk = _solve_and_check(continuum_classical, game, b)
        print(f"{b:5d} {float(lo.value):16.12f} {float(up.value):16.12f} {float(up.value - lo.value):9.1e} {solve:9.2f} {chk:9.2f}")


if __name__ == "__main__":
    main()
