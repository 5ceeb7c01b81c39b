"""Benchmark: the exact classical value of random ``n x n`` XOR games by branch and bound (``xor-classical-bnb``).

Run:  python bench/xor_bnb.py [--sizes 24,32,40] [--time-limit 600] [--seed-offset 1000]

Games: :func:`bench.xor.random_game` with seed ``1000 + n`` (the classical
table of ``bench/xor.py`` uses the same games).  Columns: the root's dual
bound over the value minus one ("root gap", a float estimate), nodes visited
and nodes with a dual, the search's CPU seconds, the checker's CPU seconds on
the certificate written to disk and read back, and the certificate's size.  A
search that hits ``--time-limit`` prints the fraction of the strategy space
its closed leaves cover, the largest bound of an open subtree (``open <=``,
an estimate: a parent's float dual) and the time the closed fraction
extrapolates to (``time / fraction``, an estimate, not a measurement).
CPU times are process times (all threads); the load average is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.xor import random_game  # noqa: E402


def row(n: int, time_limit: float, seed_offset: int, enum_limit: int) -> None:
    from bounds.xor_bnb import solve_classical_bnb, xor_bnb_certificate
    from proofs.checkers.registry import check_certificate

    g = random_game(n, seed=seed_offset + n)
    c0 = time.process_time()
    r = solve_classical_bnb(g, time_limit=time_limit, enum_limit=enum_limit)
    cpu = time.process_time() - c0
    gap = r.root_bound / r.value - 1.0
    head = f"{n:4d} {gap:8.4f} {r.nodes:10d} {r.sdp_nodes:10d} {cpu:9.1f} {r.seconds:9.1f}"
    if not r.complete:
        frac = r.stats.get("closed_fraction", float("nan"))
        ob = r.stats.get("open_bound", float("nan"))
        print(f"{head} {'-':>8} {'-':>9}  incomplete: closed {frac:.3e} of the space, best {r.value}, open <= {ob:.1f}"
              f" (gap {ob / r.value - 1:.4f}), extrapolated {cpu / frac if frac > 0 else float('inf'):.3g} CPU s (estimate)", flush=True)
        return
    cert = xor_bnb_certificate(g, r)
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "c.json"
        p.write_text(json.dumps(cert))
        size = p.stat().st_size
        c1 = time.process_time()
        check_certificate(json.loads(p.read_text()), str(p))
        chk = time.process_time() - c1
    print(f"{head} {chk:8.1f} {size / 1e6:8.2f}M  value {r.value}, leaves {len(r.leaves)} ({r.stats.get('dual_leaves')} dual)", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="24,32,40")
    ap.add_argument("--time-limit", type=float, default=600.0)
    ap.add_argument("--seed-offset", type=int, default=1000)
    ap.add_argument("--enum-limit", type=int, default=12)
    a = ap.parse_args()
    print(f"load average {os.getloadavg()}, cpus {os.cpu_count()}")
    print(f"{'n':>4} {'root gap':>8} {'nodes':>10} {'sdp nodes':>10} {'cpu s':>9} {'wall s':>9} {'check s':>8} {'size':>9}")
    for n in [int(t) for t in a.sizes.split(",") if t]:
        row(n, a.time_limit, a.seed_offset, a.enum_limit)


if __name__ == "__main__":
    main()
