"""Benchmark: ``qcoord atlas`` throughput on three executors of the job layer, side by side.

Run:  PYTHONPATH=. python bench/atlas.py [--rho 0.3,0.6,0.8] [--W-fraction 0.15,0.3] [--law exponential] [--v 1]
                                         [--skip-inline] [--skip-pool] [--skip-dask]

The same grid of certified points (:func:`proofs.certify.atlas.run_atlas`,
each point a fresh output folder, so nothing is resumed) runs

1. on one worker: this process (:class:`proofs.certify.jobs.InlineExecutor`);
2. on a local pool of 2 spawned processes (``--workers 2``);
3. on a local Dask cluster of 2 worker processes, one thread each
   (``distributed.LocalCluster``), reached by its address (``--dask``);

and prints wall time and points per second for each.  Wall time includes
every start-up cost a user pays (worker processes importing qcoord and
compiling its numba kernels); the one-worker run is timed after a warm-up
point in this process, so its rate is the steady state.  The table of each
run is compared with the first (they must be identical).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path


def _floats(s: str) -> list[float]:
    return [float(x) for x in s.split(",") if x.strip()]


def _run(label: str, grid: dict, out: Path, **kw) -> tuple[str, float, int, str]:
    from proofs.certify.atlas import run_atlas

    t = time.perf_counter()
    res = run_atlas(grid, out, progress=False, plot=False, **kw)
    dt = time.perf_counter() - t
    return label, dt, res.computed, (out / "atlas.csv").read_text()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--rho", type=_floats, default=[0.3, 0.6, 0.8])
    p.add_argument("--W-fraction", dest="W_fraction", type=_floats, default=[0.15, 0.3])
    p.add_argument("--law", type=lambda s: s.split(","), default=["exponential"])
    p.add_argument("--v", type=_floats, default=[1.0])
    p.add_argument("--skip-inline", action="store_true")
    p.add_argument("--skip-pool", action="store_true")
    p.add_argument("--skip-dask", action="store_true")
    args = p.parse_args()
    grid = {"rho": args.rho, "W_fraction": args.W_fraction, "law": args.law, "v": args.v, "k": [3]}
    n = len(args.rho) * len(args.W_fraction) * len(args.law) * len(args.v)
    print(f"grid: {n} points (rho {args.rho}, W_fraction {args.W_fraction}, law {args.law}, v {args.v}); {os.cpu_count()} cores")
    tmp = Path(tempfile.mkdtemp(prefix="qcoord-bench-atlas-"))
    results = []
    if not args.skip_inline:
        from proofs.certify.atlas import run_atlas

        t = time.perf_counter()
        run_atlas({**grid, "rho": [0.5], "W_fraction": [0.4]}, tmp / "warm", progress=False, plot=False)  # imports and numba kernels
        print(f"warm-up point in this process: {time.perf_counter() - t:.1f} s")
        results.append(_run("1 worker (this process)", grid, tmp / "inline", workers=1))
    if not args.skip_pool:
        results.append(_run("2 local processes", grid, tmp / "pool", workers=2))
    if not args.skip_dask:
        from distributed import LocalCluster

        t = time.perf_counter()
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
            start = time.perf_counter() - t
            label, dt, computed, table = _run("Dask LocalCluster, 2 workers", grid, tmp / "dask", dask=cluster.scheduler_address)
            results.append((label, dt, computed, table))
        print(f"Dask cluster start-up (not counted): {start:.1f} s")
    print(f"\n{'executor':32s} {'points':>6s} {'wall s':>8s} {'points/s':>9s} {'same table':>10s}")
    for label, dt, computed, table in results:
        same = "yes" if table == results[0][3] else "NO"
        print(f"{label:32s} {computed:6d} {dt:8.1f} {computed / dt:9.3f} {same:>10s}")


if __name__ == "__main__":
    main()
