"""Three routers: our certified NPA bound against ncpol2sdpa and a plain cvxpy moment matrix, on one game.

The game is the party-symmetric stand-in of the shared notes (exponential
service, N equiprobable bins, pair weight ``(1 - nu (kappa m m' + (m + m')/4)) / N^2``,
constant 1/4).  For each N the script runs

* ``ours``: :func:`bounds.npa_multiparty.npa_multiparty` (dual SDP, S_3 block
  reduction) and the exact checker (:mod:`proofs.checkers.multiparty`): the
  certified upper bound and its time (solve + round + check);
* ``plain``: the primal moment matrix built word by word in cvxpy (no
  symmetry, :func:`tests.fuzz.oracles.npa_primal_value`): an estimate;
* ``ncpol2sdpa``: the same relaxation from ncpol2sdpa's symbolic set-up
  (level 1 plus the AB products as extra monomials), solved through cvxpy/SCS: an estimate;

and prints wall times, our CPU time (solve and check apart), the ratios to ours and the gaps between the bounds.  The
plain and ncpol2sdpa runs are skipped above ``--max-plain`` bins (their set-up
or solve takes too long there).

    python bench/routers.py [--N 4 8 16] [--level 1+ab] [--nu 0.5] [--max-plain 8]
"""

from __future__ import annotations

import argparse
import time
from fractions import Fraction
from typing import Any

import numpy as np

from bounds.npa_multiparty import npa_multiparty
from games.multiparty import CorrelatorGame
from proofs.checkers.multiparty import check_npa_multiparty_dual


def standin(n: int, nu: float, lam: float = 1.2, rho: float = 0.6) -> CorrelatorGame:
    u = (np.arange(n) + 0.5) / n
    m = -np.log1p(-u)
    kappa = lam / (2 * (1 - rho))
    w = (1 - nu * (kappa * np.outer(m, m) + (m[:, None] + m[None, :]) / 4)) / n**2
    return CorrelatorGame.pairwise(3, w, constant=0.25, quantity="P(all on one server) - nu cost")


def ncpol(game: CorrelatorGame, level: str) -> float:
    """The relaxation through ncpol2sdpa: +-1 observables, commuting parties, AB products as extra monomials."""
    import ncpol2sdpa as nc

    K, N = game.K, game.N
    ops = [nc.generate_operators(f"A{p}_", N, hermitian=True) for p in range(K)]
    subs: dict[Any, Any] = {}
    for p in range(K):
        for x in range(N):
            subs[ops[p][x] ** 2] = 1
    for p in range(K):
        for q in range(p + 1, K):
            for x in range(N):
                for y in range(N):
                    subs[ops[q][y] * ops[p][x]] = ops[p][x] * ops[q][y]
    obj: Any = 0
    for S, W in game.terms.items():
        for x in np.ndindex(*W.shape):
            if W[x]:
                term: Any = 1
                for p, xi in zip(S, x):
                    term = term * ops[p][xi]
                obj = obj + float(W[x]) * term
    extra = []
    if level == "1+ab":
        extra = [ops[p][x] * ops[q][y] for p in range(K) for q in range(p + 1, K) for x in range(N) for y in range(N)]
    sdp = nc.SdpRelaxation([o for row in ops for o in row], verbose=0)
    sdp.get_relaxation(1, objective=-obj, substitutions=subs, extramonomials=extra)
    sdp.solve(solver="cvxpy", solverparameters={"solver": "SCS"})
    return float(game.constant) - float(sdp.primal)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--N", type=int, nargs="+", default=[4, 8])
    ap.add_argument("--level", choices=("1", "1+ab"), default="1+ab")
    ap.add_argument("--nu", type=float, default=0.5)
    ap.add_argument("--max-plain", type=int, default=4)
    args = ap.parse_args()
    from tests.fuzz.oracles import npa_primal_value

    print(f"{'N':>3} {'side':>5} {'blocks':>14} {'ours (certified)':>18} {'t_ours':>8} {'plain':>14} {'t_plain':>8} "
          f"{'ncpol2sdpa':>14} {'t_ncpol':>8} {'ours-plain':>11} {'ours-ncpol':>11}")
    for n in args.N:
        game = standin(n, args.nu)
        t, c0 = time.perf_counter(), time.process_time()
        r = npa_multiparty(game, level=args.level)
        c1 = time.process_time()
        b = check_npa_multiparty_dual(r.certificate, f"bench N={n}")
        t_ours, cpu_ours, cpu_check = time.perf_counter() - t, time.process_time() - c0, time.process_time() - c1
        ours = float(b.value)
        assert b.value == Fraction(r.certificate["bound"])
        plain = ncp = float("nan")
        t_plain = t_ncp = float("nan")
        if n <= args.max_plain:
            t = time.perf_counter()
            plain = npa_primal_value(3, n, {S: np.asarray(W) for S, W in game.terms.items()}, game.constant, args.level)
            t_plain = time.perf_counter() - t
            t = time.perf_counter()
            try:
                ncp = ncpol(game, args.level)
            except Exception as exc:  # noqa: BLE001 - report, do not hide, a failure of the third-party tool
                print(f"  ncpol2sdpa failed at N = {n}: {exc}")
            t_ncp = time.perf_counter() - t
        print(f"{n:>3} {r.size:>5} {r.blocks!s:>14} {ours:>18.12f} {t_ours:>8.1f} {plain:>14.10f} {t_plain:>8.1f} "
              f"{ncp:>14.10f} {t_ncp:>8.1f} {ours - plain:>11.2e} {ours - ncp:>11.2e}")
        print(f"    ours: {cpu_ours:.1f} s CPU (solve + round {cpu_ours - cpu_check:.1f}, exact check {cpu_check:.1f}); wall {t_ours:.1f} s")
        if n <= args.max_plain:
            print(f"    time ratios: plain / ours = {t_plain / t_ours:.2f}, ncpol2sdpa / ours = {t_ncp / t_ours:.2f}")


if __name__ == "__main__":
    main()
