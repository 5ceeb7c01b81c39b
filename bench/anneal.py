"""Time to the classical estimate at N = 1000: numba annealer vs its plain-numpy twin.

Both run the same schedule on the same random inputs (so they must end in the
same strategy); the script prints both times and the ratio.

    python bench/anneal.py [--N 1000] [--sweeps 400] [--seed 0]
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from games import discretise, paper_game
from games._kernels import anneal_kernel, anneal_twin


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--N", type=int, default=1000)
    ap.add_argument("--C", type=float, default=0.33)
    ap.add_argument("--sweeps", type=int, default=400)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()

    n = args.N
    disc = discretise(paper_game(args.C), n)
    S = np.ascontiguousarray(disc.matrix * n * n)
    temps = 2.0 * (0.005 / 2.0) ** (np.arange(args.sweeps) / max(args.sweeps - 1, 1))
    rng = np.random.default_rng(args.seed)
    g0, h0 = rng.choice([-1.0, 1.0], n), rng.choice([-1.0, 1.0], n)
    sites = rng.integers(0, 2 * n, args.sweeps * 2 * n)
    u = rng.random(args.sweeps * 2 * n)

    # compile once on a tiny instance so the timing below is the run itself
    t = time.perf_counter()
    anneal_kernel(S[:4, :4].copy(), g0[:4].copy(), h0[:4].copy(), temps[:1], sites[:8] % 8, u[:8])
    compile_s = time.perf_counter() - t

    g1, h1 = g0.copy(), h0.copy()
    t = time.perf_counter()
    v1 = anneal_kernel(S, g1, h1, temps, sites, u)
    t_numba = time.perf_counter() - t

    g2, h2 = g0.copy(), h0.copy()
    t = time.perf_counter()
    v2 = anneal_twin(S, g2, h2, temps, sites, u)
    t_numpy = time.perf_counter() - t

    same = np.array_equal(g1, g2) and np.array_equal(h1, h2)
    print(f"annealing, paper game C = {args.C}, N = {n}, {args.sweeps} sweeps = {sites.size:,} proposals, seed {args.seed}")
    print(f"{'implementation':<24}{'seconds':>10}{'win prob':>12}")
    print(f"{'qcoord (numba)':<24}{t_numba:>10.3f}{0.5 + 0.5 * v1 / n**2:>12.6f}   (+{compile_s:.2f} s first compile)")
    print(f"{'plain numpy twin':<24}{t_numpy:>10.3f}{0.5 + 0.5 * v2 / n**2:>12.6f}")
    print(f"ratio numpy / numba: {t_numpy / t_numba:.1f}x   identical strategies: {same}")


if __name__ == "__main__":
    main()
