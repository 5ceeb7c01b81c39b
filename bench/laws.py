"""Benchmark: the certified game-level table over the service-law catalogue.

Run:  PYTHONPATH=. python bench/laws.py [--n 128] [--search-n 32] [--grid-p 0.05,0.1,...] [--grid-n 64] [--workers 2]
                                        [--cells-n 128] [--plot FILE] [--skip-cells] [--skip-table]
                                        [--system] [--peer] [--cli]

1. Cell matrices, ours vs the peer: the checker's outward-rounded arb
   enclosure (:mod:`proofs.exact.sum_threshold`) against the generic float
   discretisation by adaptive quadrature (``games.discretise`` of
   ``games.catalogue.sum_threshold_game``, scipy ``quad``): time, ratio, and
   the largest difference of the float matrix from the certified enclosure.
2. The full table (``qcoord laws``): the classical-minimising t* search, the
   certified N-bin and continuum brackets at t* and at the thresholds of the
   grid of bunch probabilities,
   every law on ``--workers`` processes; wall time (the target is 5 minutes
   on 2 cores) and the rows.
3. ``--system``: the system level per law (:func:`proofs.certify.law_system.law_system`,
   rho = 0.6, ``W_l`` at fractions 0.5 and 0.25): time per call with the
   closed forms (ours).  With ``--peer`` the same solve on the scipy-only law
   (``ServiceLaw(dist=spec.frozen())``, no catalogue name), which runs the
   quadrature path (scipy pdf, nested adaptive ``quad``, quadrature tails):
   time, ratio and the largest difference of ``p_ideal``, ``p_c``, ``p_q``
   (the check that the fast path agrees, ~1e-8 or better).  Each law runs in a
   fresh process so one law's caches cannot serve another.
4. ``--cli``: ``qcoord laws --system --W-fraction 0.5 0.25 --workers W``
   (default catalogue, game and system level) end to end in a subprocess: wall time
   against the 5-minute budget.
"""

from __future__ import annotations

import argparse
import time

import numpy as np


def _floats(s: str) -> list[float]:
    return [float(x) for x in s.split(",") if x.strip()]


def cells(n: int) -> None:
    from analytic.laws.catalogue import LAW_CATALOGUE
    from games import discretise
    from games.catalogue import sum_threshold_game
    from games.laws import law_game
    from proofs.exact.sum_threshold import sum_threshold_cells

    print(f"1. cell matrix of the N = {n} game at t = 1: arb enclosure (ours) vs scipy quad discretisation (peer)")
    print(f"{'law':20s} {'ours s':>8s} {'peer s':>8s} {'peer/ours':>9s} {'max width':>10s} {'peer outside by':>15s}")
    for spec in LAW_CATALOGUE:
        desc = law_game(spec, 1).describe()["boundary"]
        t0 = time.perf_counter()
        c = sum_threshold_cells(desc, n)
        ours = time.perf_counter() - t0
        t0 = time.perf_counter()
        m = discretise(sum_threshold_game(spec.frozen(), 1.0), n).matrix
        peer = time.perf_counter() - t0
        out = float(np.max(np.maximum(c.lo - m, m - c.hi)))
        print(f"{spec.label:20s} {ours:8.2f} {peer:8.2f} {peer / ours:9.1f} {c.width:10.1e} {max(out, 0.0):15.1e}")


def table(args: argparse.Namespace) -> None:
    from proofs.certify.law_table import law_table, law_table_verdict, plot_law_table

    grid = _floats(args.grid)
    grid_p = _floats(args.grid_p)
    print(f"\n2. full table: N = {args.n}, t* search at N = {args.search_n}, grid t {grid} and P(bunch) {grid_p} at N = {args.grid_n}, {args.workers} workers")
    t0 = time.perf_counter()
    rows = law_table(None, n=args.n, search_n=args.search_n, grid=grid, grid_p=grid_p, grid_n=args.grid_n, workers=args.workers)
    wall = time.perf_counter() - t0
    print(f"{'law':20s} {'CV':>6s} {'t*':>6s} {'classical N <=':>14s} {'quantum N >=':>13s} {'gap N':>8s} {'gap cont':>8s}  P(bunch):gap (N = {args.grid_n}, clipped at 0)")
    for r in rows:
        a = r.at_min
        gg = " ".join(f"{sum(g.p_bunch) / 2:.2f}:{max(float(g.gap), 0.0):.4f}" for g in r.grid)
        print(f"{r.law:20s} {r.cv:6.3f} {float(a.t):6.3f} {float(a.classical.upper.value):14.9f} {float(a.quantum.lower.value):13.9f} "
              f"{float(a.gap):8.5f} {float(a.continuum_gap):8.5f}  {gg}")
    print(f"verdict: {law_table_verdict(rows)}")
    print(f"wall time {wall:.1f} s for {len(rows)} laws (target: 300 s on 2 cores); {wall / 300:.2f} of the budget")
    if args.plot:
        print(f"figure: {plot_law_table(rows, args.plot)}")


_ONE = """
import json, sys, time
from analytic.laws.catalogue import parse_law
from analytic.laws.service import ServiceLaw
from bounds.system import solve_class
from bounds.system_point import operating_point
spec, f, peer = parse_law(sys.argv[1]), float(sys.argv[2]), sys.argv[3] == "peer"
law = ServiceLaw(dist=spec.frozen()) if peer else ServiceLaw.named(spec)
t0 = time.perf_counter()
# law_system's exact route without certificates: the three solves
probe = operating_point(0.6, 1e12, law=law)
pt = operating_point(0.6, probe.W_split + f * (probe.W_bunch - probe.W_split), law=law)
p = {m: solve_class(pt, m).p_split for m in ("ideal", "classical", "quantum")}
out = {"t": time.perf_counter() - t0, **p}
if not peer:  # the whole law_system call (solves, certificates written and checked)
    from proofs.certify.law_system import law_system
    t0 = time.perf_counter()
    law_system(spec, W_fraction=f)
    out["t_row"] = time.perf_counter() - t0
print(json.dumps(out))
"""


def _one(label: str, f: float, peer: bool) -> dict:
    import json
    import os
    import subprocess
    import sys

    out = subprocess.run([sys.executable, "-c", _ONE, label, str(f), "peer" if peer else "ours"], capture_output=True, text=True,
                         check=True, env={**os.environ, "PYTHONWARNINGS": "ignore"})
    return json.loads(out.stdout.strip().splitlines()[-1])


def system(args: argparse.Namespace) -> None:
    from analytic.laws.catalogue import LAW_CATALOGUE

    print("\n3. system level per law (rho = 0.6): the three solves with closed forms (ours)" + (" vs the scipy quadrature path (peer)" if args.peer else "")
          + "; 'row s' is the whole law_system call (solves, certificates written and checked)")
    print(f"{'law':20s} {'W frac':>6s} {'row s':>6s} {'ours s':>7s}" + (f" {'peer s':>8s} {'peer/ours':>9s} {'max |dp|':>9s}" if args.peer else "")
          + f" {'p_ideal':>10s} {'p_c':>10s} {'p_q':>10s}")
    tot_ours = tot_peer = tot_row = 0.0
    worst = 0.0
    for spec in LAW_CATALOGUE:
        if not spec.finite_variance:
            continue
        for f in (0.5, 0.25):
            o = _one(spec.label, f, False)
            tot_ours += o["t"]
            tot_row += o["t_row"]
            line = f"{spec.label:20s} {f:6.2f} {o['t_row']:6.2f} {o['t']:7.2f}"
            if args.peer:
                pr = _one(spec.label, f, True)
                tot_peer += pr["t"]
                d = max(abs(o[m] - pr[m]) for m in ("ideal", "classical", "quantum"))
                worst = max(worst, d)
                line += f" {pr['t']:8.1f} {pr['t'] / o['t']:9.1f} {d:9.1e}"
            print(line + f" {o['ideal']:10.7f} {o['classical']:10.7f} {o['quantum']:10.7f}", flush=True)
    print(f"total: law_system rows {tot_row:.1f} s; solves ours {tot_ours:.1f} s" + (f", peer {tot_peer:.1f} s, ratio {tot_peer / tot_ours:.1f}; largest |dp| {worst:.1e}" if args.peer else ""))


def cli(args: argparse.Namespace) -> None:
    import subprocess
    import sys

    cmd = [sys.executable, "-m", "proofs.cli.main", "laws", "--system", "--W-fraction", "0.5", "0.25", "--workers", str(args.workers)]
    print(f"\n4. {' '.join(cmd[1:])}")
    t0 = time.perf_counter()
    out = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    print(out.stdout[-4000:])
    if out.returncode:
        print(out.stderr[-2000:])
    print(f"wall time {wall:.1f} s (exit {out.returncode}; target: 300 s on 2 cores); {wall / 300:.2f} of the budget")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=128)
    p.add_argument("--search-n", dest="search_n", type=int, default=32)
    p.add_argument("--grid", default="")
    p.add_argument("--grid-p", dest="grid_p", default="0.05,0.1,0.2,0.3,0.4,0.5,0.6,0.8,0.9")
    p.add_argument("--grid-n", dest="grid_n", type=int, default=64)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--cells-n", dest="cells_n", type=int, default=128)
    p.add_argument("--skip-cells", action="store_true")
    p.add_argument("--plot", default=None)
    p.add_argument("--skip-table", action="store_true")
    p.add_argument("--system", action="store_true", help="time law_system per law")
    p.add_argument("--peer", action="store_true", help="with --system: also the scipy quadrature path (slow: tens of minutes)")
    p.add_argument("--cli", action="store_true", help="time qcoord laws --system end to end")
    args = p.parse_args()
    if not args.skip_cells:
        cells(args.cells_n)
    if not args.skip_table:
        table(args)
    if args.system:
        system(args)
    if args.cli:
        cli(args)


if __name__ == "__main__":
    main()
