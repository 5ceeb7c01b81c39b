"""Four routers on N bins: the certified entangled lower bound (NPA 1+ab with the four-body term) beside the classical optimum.

For ``K = 4`` the Lagrangian has the four-body term ``E[o1 o2 o3 o4]`` (lemma R2).
For each ``N`` and multiplier ``nu`` the script builds the entangled ``routers-dual``
(inner ``npa-multiparty-dual`` at level 1+ab, checked) and prints its N-bin and
continuum lower bounds on ``p_split`` with the time.  Beside it, the classical
optimum over strategies constant on the bins by enumerating every deterministic
profile (``2^N`` sign patterns per router) and mixing two of them by a shared
coin: a float **estimate** (the threshold checker of lemma M2 has no four-body
term, so this side is not certified here).

    python bench/routers_k4.py [--rho 0.6] [--W-limit 3.5] [--N 2 4] [--nu 0.3 0.36 0.4]
"""

from __future__ import annotations

import argparse
import itertools
import time

import numpy as np


def classical_bins(model, W: float, N: int) -> float:  # noqa: ANN001
    """Smallest ``p_split`` at ``W_q <= W`` over shared-coin mixtures of deterministic bin-constant profiles (estimate)."""
    _, e = model.bin_moments(N)
    sigs = list(itertools.product((1, -1), repeat=N))
    mom = [(float(np.mean(s)), float(np.dot(s, e))) for s in sigs]
    pts = []
    for prof in itertools.combinations_with_replacement(range(len(sigs)), model.K):   # the model is party-symmetric
        ps, wq = model.moment_values(np.array([mom[i] for i in prof]))
        pts.append((wq, 1 - ps))
    arr = np.array(pts)
    ok, bad = arr[arr[:, 0] <= W], arr[arr[:, 0] > W]
    best = float(ok[:, 1].min())
    for (a1, b1), (a2, b2) in itertools.product(ok, bad):
        best = min(best, b1 + (W - a1) / (a2 - a1) * (b2 - b1))
    return best


def main() -> None:
    from games.routers import RouterModel
    from proofs.certify.routers import _entangled_dual, _exact_game

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rho", type=float, default=0.6)
    ap.add_argument("--W-limit", type=float, default=3.5)
    ap.add_argument("--N", type=int, nargs="+", default=[2])
    ap.add_argument("--nu", type=float, nargs="+", default=[0.3, 0.36, 0.4])
    a = ap.parse_args()
    m = RouterModel.at_load(4, a.rho)
    game = _exact_game(m, a.W_limit)
    for N in a.N:
        t = time.perf_counter()
        c = classical_bins(m, a.W_limit, N)
        print(f"N = {N}: classical bin-constant optimum {c:.10f} (estimate, enumeration, {time.perf_counter() - t:.1f} s)")
        for nu in a.nu:
            t = time.perf_counter()
            out, _ = _entangled_dual(m, game, nu, N, None)
            print(f"  nu = {nu:g}: entangled p_split >= {float(out['N'][0].value):.10f} on the bins, >= {float(out['continuum'][0].value):.6f} "
                  f"on the continuum (certified, NPA 1+ab, {time.perf_counter() - t:.1f} s)")


if __name__ == "__main__":
    main()
