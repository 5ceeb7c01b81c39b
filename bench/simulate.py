"""Benchmark: numba two-server simulator vs a plain-Python event loop (one core).

Prints pair arrivals per second for

* ``simulate`` end to end (random numbers, routing, numba Lindley kernel, batch means),
* the numba kernel alone,
* the plain-Python event-driven simulator (the tests' oracle ``tests/games/system/eventloop.py``, heapq + deques),
* the plain-Python Lindley twin,

and the ratios.  Run: ``python bench/simulate.py [--pairs 5000000] [--peer-pairs 200000]``.
The target is >= 2 million pairs/second end to end.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("NUMBA_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the peer event loop lives in the tests

import numpy as np  # noqa: E402

from analytic.laws.service import ServiceLaw  # noqa: E402
from analytic.optimal import threshold_for_p_split  # noqa: E402
from analytic.rules import SumThresholdRule  # noqa: E402
from games import AngleStrategy  # noqa: E402
from games.system import AngleRouting, IdealRouting, simulate, simulate_inputs  # noqa: E402
from games.system._kernels import empty_outputs, queue_kernel, queue_twin  # noqa: E402
from tests.games.system.eventloop import event_loop  # noqa: E402


def _best(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=5_000_000)
    ap.add_argument("--peer-pairs", type=int, default=200_000)
    args = ap.parse_args()
    law = ServiceLaw.exponential(1.0)
    lam = 0.6
    routings = {
        "sum_threshold": IdealRouting(SumThresholdRule(threshold_for_p_split(law, 0.5))),
        "quantum_angles(N=32)": AngleRouting(AngleStrategy(3.709 - 2.760 * (np.arange(32) + 0.5) / 32, 2.759 * (np.arange(32) + 0.5) / 32)),
    }
    simulate(routings["sum_threshold"], lam=lam, mu=1.0, n_pairs=10_000, seed=0)  # compile / load the numba cache
    print(f"one core, lambda = {lam}, mu = 1, exponential service")
    for name, r in routings.items():
        t = _best(lambda r=r: simulate(r, lam=lam, mu=1.0, n_pairs=args.pairs, seed=1), repeat=2)
        print(f"simulate end-to-end [{name}]: {args.pairs} pairs in {t:.3f} s = {args.pairs / t / 1e6:.2f} M pairs/s")
    blk = simulate_inputs(routings["sum_threshold"], lam, law, args.pairs, np.random.default_rng(0))
    arr = np.cumsum(blk["inter"])

    def kern(n: int, fn=queue_kernel) -> None:  # noqa: ANN001
        fn(arr[:n], blk["x1"][:n], blk["x2"][:n], blk["srv_a"][:n], blk["srv_b"][:n], blk["a_first"][:n], np.zeros(2), 0, *empty_outputs(n))

    tk = _best(lambda: kern(args.pairs))
    m = args.peer_pairs
    te = _best(lambda: event_loop(arr[:m], blk["x1"][:m], blk["x2"][:m], blk["srv_a"][:m], blk["srv_b"][:m], blk["a_first"][:m]), repeat=1)
    tt = _best(lambda: kern(m, queue_twin), repeat=1)
    rk, re_, rt = args.pairs / tk, m / te, m / tt
    print(f"numba Lindley kernel alone: {rk / 1e6:.2f} M pairs/s")
    print(f"plain-Python event loop (heapq): {re_ / 1e6:.3f} M pairs/s ({m} pairs)")
    print(f"plain-Python Lindley twin: {rt / 1e6:.3f} M pairs/s ({m} pairs)")
    t_e2e = _best(lambda: simulate(routings["sum_threshold"], lam=lam, mu=1.0, n_pairs=args.pairs, seed=1), repeat=1)
    print(f"ratio simulate end-to-end / event loop: {args.pairs / t_e2e / re_:.1f}x")
    print(f"ratio numba kernel / event loop: {rk / re_:.1f}x;  numba kernel / Python twin: {rk / rt:.1f}x")


if __name__ == "__main__":
    main()
