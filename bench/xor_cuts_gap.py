"""Measurement: how far triangle cuts close the root gap of the classical XOR value (the case for a cut-based branch and bound).

Run:  python bench/xor_cuts_gap.py [--sizes 32] [--rounds 4] [--per-round 400] [--tree]

For the random game of :func:`bench.xor.random_game` (seed ``1000 + n``) the
classical value is ``max z^T Q z`` over ``z = (a, b)`` in ``{+-1}^(2n)`` with
``Q = [[0, N/2], [N^T/2, 0]]``.  Its SDP relaxation (``X >= 0``, ``diag X =
1``: the root bound of ``bounds.xor_bnb``) is solved by SCS through cvxpy,
then ``--rounds`` times the ``--per-round`` most violated triangle
inequalities ``s1 X_ij + s2 X_ik + s3 X_jk >= -1`` (``s1 s2 s3 = 1``, valid
for every ``z z^T``) are added and the SDP solved again.  Printed: each
round's bound and its gap over the best strategy a local search finds (the
gap is an estimate: SCS floats, and the local search's value need not be the
optimum).  Nothing here is certified; the certified version of such bounds
(``D - Q - sum_t mu_t T_t >= 0``, ``mu >= 0``, by a verified Cholesky: lemma
X6) is :mod:`bounds.xor_cuts`.

``--tree`` measures what the root gap does not show: the number of nodes of
the branch and bound of :mod:`bounds.xor_bnb` (same branching order, same
incumbent: its optimum, depth first, ``--enum-limit`` free rows enumerated)
when every node is bounded by the SDP with triangle cuts of its residual
matrix ``[c; N_R]`` (up to ``--rounds`` separation rounds, stopping as soon as
the bound is below the incumbent + 1 - 10^-3) against the plain SDP's nodes
of :func:`bounds.xor_bnb.solve_classical_bnb` (``node_bound="diagonal"``).
SCS floats, so the counts are estimates of what a certified cut bound would
give; the row ends with the nodes of the certified cut bound
(``node_bound="cuts"``, :mod:`bounds.xor_cuts`, same enumeration limit).
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.xor import random_game  # noqa: E402
from bounds._cut_kernels import PATTERNS  # noqa: E402  (the four sign patterns with s1 s2 s3 = +1)
from bounds.xor_cuts import residual_q  # noqa: E402


def _cut_sdp(mp: np.ndarray):
    """The SDP relaxation of ``max a^T mp b`` (a PSD matrix with unit diagonal) and its triangle index triples."""
    import cvxpy as cp

    q = residual_q(mp.astype(np.float64))
    size = q.shape[0]
    x = cp.Variable((size, size), PSD=True)
    return x, [cp.diag(x) == 1], cp.Maximize(cp.sum(cp.multiply(q, x))), np.array(list(itertools.combinations(range(size), 3)))


def _add_cuts(x, cons: list, trip: np.ndarray, per_round: int, tol: float) -> int:
    """Append up to ``per_round`` most violated triangle inequalities (violation beyond ``tol``); return how many."""
    i, j, k = trip.T
    xv = np.asarray(x.value)
    slack = np.stack([s[0] * xv[i, j] + s[1] * xv[i, k] + s[2] * xv[j, k] + 1.0 for s in PATTERNS.tolist()])
    added = 0
    for f in np.argsort(slack, axis=None)[:per_round]:
        pi, ti = divmod(int(f), slack.shape[1])
        if slack[pi, ti] > -tol:
            break
        s, (p0, p1, p2) = PATTERNS[pi].tolist(), trip[ti]
        cons.append(s[0] * x[p0, p1] + s[1] * x[p0, p2] + s[2] * x[p1, p2] >= -1)
        added += 1
    return added


def gap_row(n: int, rounds: int, per_round: int) -> None:
    import cvxpy as cp

    g = random_game(n, seed=1000 + n)
    mi, _den = g.base().integer_matrix()
    _lo, a, _b = g.base().classical_local_search(seed=0, time_limit=5.0)
    best = int(np.abs(np.array(a, dtype=np.int64) @ mi).sum())
    x, cons, obj, trip = _cut_sdp(mi)
    for rd in range(rounds + 1):
        t = time.process_time()
        prob = cp.Problem(obj, cons)
        prob.solve(solver=cp.SCS, eps=1e-6, max_iters=20000)
        print(f"{n:4d} round {rd}: bound {prob.value:.2f}, gap {prob.value / best - 1:.4f} over {best}, cuts {len(cons) - 1}, {time.process_time() - t:.1f} CPU s", flush=True)
        if rd == rounds:
            break
        _add_cuts(x, cons, trip, per_round, 1e-4)


def cut_bound(mp: np.ndarray, target: int, rounds: int, per_round: int) -> float:
    """SCS estimate of the SDP-with-triangle-cuts bound on ``max a^T mp b`` (stops once below ``target + 1 - 10^-3``)."""
    import cvxpy as cp

    x, cons, obj, trip = _cut_sdp(mp)
    val = np.inf
    for rd in range(rounds + 1):
        prob = cp.Problem(obj, cons)
        prob.solve(solver=cp.SCS, eps=1e-5, max_iters=5000)
        val = min(val, float(prob.value))
        if val < target + 1 - 1e-3 or rd == rounds:
            break
        if not _add_cuts(x, cons, trip, per_round, 1e-3):
            break
    return val


def tree_row(n: int, rounds: int, per_round: int, enum_limit: int) -> None:
    from bounds.xor_bnb import solve_classical_bnb

    g = random_game(n, seed=1000 + n)
    plain = solve_classical_bnb(g, enum_limit=enum_limit, workers=1, node_bound="diagonal")
    certified = solve_classical_bnb(g, enum_limit=enum_limit, workers=1, node_bound="cuts")
    mi, _den = g.base().integer_matrix()
    if plain.transposed:
        mi = np.ascontiguousarray(mi.T)
    mo = mi[plain.order]
    rows = mo.shape[0]
    best = plain.value
    stack = [(mo[0].copy(), 1)]
    nodes = 0
    t = time.process_time()
    while stack:
        c, d = stack.pop()
        nodes += 1
        if rows - d <= enum_limit:
            continue
        mp = np.vstack([c[None, :], mo[d:]]).astype(np.float64)
        if d > 1 and cut_bound(mp, best, rounds, per_round) < best + 1 - 1e-3:
            continue
        stack.extend((c + s * mo[d], d + 1) for s in (-1, 1))
    print(f"{n:4d} nodes: plain SDP {plain.nodes}, SDP + triangle cuts {nodes} (up to {rounds} rounds of {per_round}; {time.process_time() - t:.1f} CPU s,"
          f" load {os.getloadavg()[0]:.2f}); the certified cut bound of bounds.xor_cuts (at most 4 n' cuts a node): {certified.nodes}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="32")
    ap.add_argument("--rounds", type=int, default=4)
    ap.add_argument("--per-round", type=int, default=400)
    ap.add_argument("--tree", action="store_true", help="count the nodes of the branch and bound with the cut bound (module docstring)")
    ap.add_argument("--enum-limit", type=int, default=8, help="with --tree: free rows at which a node is enumerated")
    a = ap.parse_args()
    print(f"load average {os.getloadavg()}, cpus {os.cpu_count()}")
    for n in [int(t) for t in a.sizes.split(",") if t]:
        if a.tree:
            tree_row(n, a.rounds, a.per_round, a.enum_limit)
        else:
            gap_row(n, a.rounds, a.per_round)


if __name__ == "__main__":
    main()
