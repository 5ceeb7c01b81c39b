"""Benchmark: the exact classical value of random ``n x n`` XOR games by branch and bound (``xor-classical-bnb``).

Run:  python bench/xor_bnb.py [--sizes 24,32,40] [--time-limit 600] [--workers 2] [--node-bound auto,diagonal] [--probe DIVES]

Games: :func:`bench.xor.random_game` with seed ``1000 + n`` (the classical
table of ``bench/xor.py`` uses the same games).  Columns: the root's dual
bound over the value minus one ("root gap", a float estimate), nodes visited
and nodes with a dual, the search's CPU seconds and wall seconds, the
checker's CPU seconds on the certificate written to disk and read back, and
the certificate's size; then the leaves by form (enumerated, diagonal
dual, triangle-cut dual), the nodes that ran the cut bound and its steps,
the wall seconds of the three phases (solve,
build and write the certificate, read and check it) and the load average
before and after.  Search and check run with one BLAS thread per process.  A
search that hits ``--time-limit`` prints the fraction of the strategy space
its closed leaves cover, the largest bound of an open subtree (``open <=``,
an estimate: a parent's float dual) and the time the closed fraction
extrapolates to (``time / fraction``, an estimate, not a measurement).
CPU times are of the process and its worker processes (all threads); wall
times depend on the load, which is printed.
``--node-bound`` lists the node bounds to run each size with
(:func:`bounds.xor_bnb.solve_classical_bnb`'s ``node_bound``: ``auto``,
``diagonal``, ``cuts``), one row each.
``--probe`` replaces the search by Knuth's random-dive estimate of its tree
size (:func:`probe`, with the diagonal dual as the node bound), for sizes
the search does not finish.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.xor import random_game  # noqa: E402


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the search's worker processes)."""
    import resource

    return sum(resource.getrusage(w).ru_utime + resource.getrusage(w).ru_stime for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))


def row(n: int, time_limit: float, seed_offset: int, enum_limit: int, workers: int, node_bound: str = "auto") -> None:
    from bounds.tsirelson import blas_threads
    from bounds.xor_bnb import solve_classical_bnb, xor_bnb_certificate
    from proofs.checkers.registry import check_certificate

    g = random_game(n, seed=seed_offset + n)
    load_start = os.getloadavg()[0]
    c0 = _cpu()
    r = solve_classical_bnb(g, time_limit=time_limit, enum_limit=enum_limit, workers=workers, node_bound=node_bound)
    cpu = _cpu() - c0
    gap = r.root_bound / r.value - 1.0
    head = f"{n:4d} {node_bound:>8} {gap:8.4f} {r.nodes:10d} {r.sdp_nodes:10d} {cpu:9.1f} {r.seconds:9.1f}"
    cuts = f"cut bound at {r.stats['cut_nodes']} nodes ({r.stats['cut_steps']} steps)"
    if not r.complete:
        frac = r.stats.get("closed_fraction", float("nan"))
        ob = r.stats.get("open_bound", float("nan"))
        proved = f"frontier not bounded ({r.stats['frontier']})"
        if r.upper is not None:  # the closed leaves and the open nodes' bounds, checked
            with blas_threads():
                b = check_certificate(xor_bnb_certificate(g, r), "bench")
            w = (b.value - Fraction(1, 2)) * 2 * g.integer_form[1]
            proved = f"certified w <= {float(w):.1f} (w / best - 1 = {float(w) / r.value - 1:.4f}; frontier {len(r.frontier)} nodes, {r.stats['frontier_seconds']:.1f} s)"
        print(f"{head} {'-':>8} {'-':>9}  incomplete: closed {frac:.3e} of the space, best {r.value}, open <= {ob:.1f}"
              f" (w / best - 1 = {ob / r.value - 1:.4f}, estimate), {proved}, extrapolated {cpu / frac if frac > 0 else float('inf'):.3g} CPU s (estimate);"
              f" {cuts}; load {load_start:.2f} -> {os.getloadavg()[0]:.2f}", flush=True)
        return
    w0 = time.perf_counter()
    cert = xor_bnb_certificate(g, r)
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "c.json"
        p.write_text(json.dumps(cert))
        write_wall = time.perf_counter() - w0
        size = p.stat().st_size
        c1 = time.process_time()
        w1 = time.perf_counter()
        with blas_threads():  # one BLAS thread, as in the search (multi-threaded OpenBLAS is slower on these small matrices)
            check_certificate(json.loads(p.read_text()), str(p))
        chk = time.process_time() - c1
        chk_wall = time.perf_counter() - w1
    print(f"{head} {chk:8.1f} {size / 1e6:8.2f}M  value {r.value}, leaves {len(r.leaves)} ({r.stats['enum_leaves']} enumerated, {r.stats['dual_leaves']} dual, {r.stats['cut_leaves']} cuts); {cuts};"
          f" wall: solve {r.seconds:.1f} s + write {write_wall:.1f} s, check (read + verify) {chk_wall:.1f} s; load {load_start:.2f} -> {os.getloadavg()[0]:.2f}",
          flush=True)


def probe(n: int, dives: int, seed_offset: int, enum_limit: int, time_limit: float) -> None:
    """Knuth's estimate of the search tree's size from random dives (an estimate, not a measurement).

    The search's own node bounds (:func:`bounds.xor_bnb._node_dual`, same
    warm starts) against the best strategy a local search finds in
    ``time_limit / 10`` seconds: a dive starts at the root and, at every
    node the bound cannot prune (and with more than ``enum_limit`` free
    rows), goes to a random child.  With ``k`` branchings above it a node
    stands for ``2^k`` nodes of its level, so ``sum_levels 2^k`` is an
    unbiased estimate of the node count (Knuth 1975); its mean over the
    dives and the standard error are printed, with the CPU per node of the
    dives (early-stopping nodes make these cheaper than the search's average).
    """
    import math

    import numpy as np

    from bounds.xor_bnb import _node_dual

    g = random_game(n, seed=seed_offset + n)
    mi, _den = g.base().integer_matrix()
    if mi.shape[0] > mi.shape[1]:
        mi = np.ascontiguousarray(mi.T)
    rows, cols = mi.shape
    order = [int(i) for i in np.argsort(-np.abs(mi).sum(axis=1), kind="stable")]
    mo = mi[order]
    mf = mo.astype(np.float64)
    rng = np.random.default_rng(seed_offset)
    c0 = time.process_time()
    _lo, a_l, _b = g.base().classical_local_search(seed=0, time_limit=time_limit / 10)
    best = int(np.abs(np.array(a_l, dtype=np.int64) @ mi).sum())
    k = 8
    v0 = rng.standard_normal((cols, k))
    v0 /= np.linalg.norm(v0, axis=1)[:, None]
    u0 = np.zeros((rows, k))
    u0[:, 0] = 1.0
    _b0, _d0, ur, vr, root = _node_dual(mf, u0, v0, 400, best, prune=False)
    totals = []
    sdp = 1
    c1 = time.process_time()
    for _ in range(dives):
        c, u, v, d, weight, total = mo[0].copy(), ur, vr, 1, 1, 1.0
        while True:
            # the node (prefix of length d) is open: branch on row d, follow a random child
            if d >= rows:
                break
            s = 1 if rng.random() < 0.5 else -1
            weight *= 2
            total += weight
            cu = u[0] + s * u[1]
            nrm = float(np.linalg.norm(cu))
            u = np.vstack([(cu / nrm if nrm > 1e-12 else u[0])[None, :], u[2:]])
            c = c + s * mo[d]
            d += 1
            if rows - d <= enum_limit:
                break
            bound, dual, u, v, _est = _node_dual(np.vstack([c[None, :].astype(np.float64), mf[d:]]), u, v, 400, best)
            sdp += 1
            if dual is not None and 0 <= bound <= best:
                break
        totals.append(total)
    per = (time.process_time() - c1) / sdp
    mean = float(np.mean(totals))
    err = float(np.std(totals) / math.sqrt(len(totals)))
    print(f"{n:4d} root gap {root / best - 1:.4f} (against the local search's {best}); {dives} dives: estimated nodes {mean:.3g} +- {err:.2g} (std error),"
          f" {per * 1e3:.2f} ms CPU per dive node (probe took {time.process_time() - c0:.1f} s)", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="24,32,40")
    ap.add_argument("--time-limit", type=float, default=600.0)
    ap.add_argument("--seed-offset", type=int, default=1000)
    ap.add_argument("--enum-limit", type=int, default=12)
    ap.add_argument("--workers", type=int, default=2, help="processes of the search (bounds.xor_bnb.solve_classical_bnb's workers)")
    ap.add_argument("--node-bound", default="auto", help="comma-separated node bounds (auto, diagonal, cuts), one row each")
    ap.add_argument("--probe", type=int, default=0, help="instead of searching, estimate the tree size from this many random dives")
    a = ap.parse_args()
    print(f"load average {os.getloadavg()}, cpus {os.cpu_count()}")
    if a.probe:
        for n in [int(t) for t in a.sizes.split(",") if t]:
            probe(n, a.probe, a.seed_offset, a.enum_limit, a.time_limit)
        return
    print(f"{'n':>4} {'bound':>8} {'root gap':>8} {'nodes':>10} {'sdp nodes':>10} {'cpu s':>9} {'wall s':>9} {'check s':>8} {'size':>9}")
    for n in [int(t) for t in a.sizes.split(",") if t]:
        for nb in [t for t in a.node_bound.split(",") if t]:
            row(n, a.time_limit, a.seed_offset, a.enum_limit, a.workers, nb)


if __name__ == "__main__":
    main()
