"""Benchmark: ``qcoord atlas`` throughput on three executors of the job layer, side by side.

Run:  PYTHONPATH=. python bench/atlas.py [--rho 0.3,0.6,0.8] [--W-fraction 0.15,0.3] [--law exponential] [--v 1]
                                         [--skip-inline] [--skip-pool] [--skip-dask]

The same grid of certified points (:func:`proofs.certify.atlas.run_atlas`,
each point a fresh output folder, so nothing is resumed) runs

1. on one worker: this process (:class:`proofs.certify.jobs.InlineExecutor`);
2. on a local pool of 2 spawned processes (``--workers 2``);
3. on a local Dask cluster of 2 worker processes, one thread each
   (``distributed.LocalCluster``), reached by its address (``--dask``);

each first computing two warm-up points (workers start, import qcoord,
compile its numba kernels: the start-up a user pays once per run), then the
timed grid on the warm workers.  Prints both times and the steady-state
points per second; the table of each run is compared with the first (they
must be identical).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path


def _floats(s: str) -> list[float]:
    return [float(x) for x in s.split(",") if x.strip()]


def _timed(grid: dict, out: Path, ex) -> tuple[float, int, str]:
    from proofs.certify.atlas import run_atlas

    t = time.perf_counter()
    res = run_atlas(grid, out, progress=False, plot=False, executor=ex)
    return time.perf_counter() - t, res.computed, (out / "atlas.csv").read_text()


def _bench(label: str, grid: dict, warm: dict, out: Path, make) -> tuple[str, float, float, int, str]:
    """Cold: a fresh executor (workers start, import, compile) and a warm-up grid; then the timed grid on the warm workers."""
    t = time.perf_counter()
    with make() as ex:
        _, nwarm, _ = _timed(warm, out / "warm", ex)
        cold = time.perf_counter() - t
        dt, computed, table = _timed(grid, out / "timed", ex)
    print(f"{label}: start-up and {nwarm} warm-up points {cold:.1f} s; {computed} points {dt:.1f} s")
    return label, cold, dt, computed, table


def main() -> None:
    from contextlib import contextmanager

    from proofs.certify.jobs import open_executor

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
    warm = {"rho": [0.5], "W_fraction": [0.4, 0.6], "law": ["exponential"], "v": [1.0], "k": [3]}  # one point per worker
    n = len(args.rho) * len(args.W_fraction) * len(args.law) * len(args.v)
    print(f"grid: {n} points (rho {args.rho}, W_fraction {args.W_fraction}, law {args.law}, v {args.v}); {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f}")
    tmp = Path(tempfile.mkdtemp(prefix="qcoord-bench-atlas-"))

    @contextmanager
    def dask_cluster():
        from distributed import LocalCluster

        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster, \
                open_executor(dask=cluster.scheduler_address) as ex:
            yield ex

    runs = []
    if not args.skip_inline:
        runs.append(("1 worker (this process)", lambda: open_executor(1)))
    if not args.skip_pool:
        runs.append(("2 local processes", lambda: open_executor(2)))
    if not args.skip_dask:
        runs.append(("Dask LocalCluster, 2 workers", dask_cluster))
    results = [_bench(label, grid, warm, tmp / str(i), make) for i, (label, make) in enumerate(runs)]
    print(f"\n{'executor':30s} {'start-up + warm-up s':>20s} {'points':>6s} {'wall s':>7s} {'points/s':>9s} {'same table':>10s}")
    for label, cold, dt, computed, table in results:
        same = "yes" if table == results[0][4] else "NO"
        print(f"{label:30s} {cold:20.1f} {computed:6d} {dt:7.1f} {computed / dt:9.3f} {same:>10s}")


if __name__ == "__main__":
    main()
