"""Three routers: our certified NPA bound (symmetry-reduced and full) against ncpol2sdpa and a plain cvxpy moment matrix.

The game is the party-symmetric stand-in of the shared notes (exponential
service, N equiprobable bins, pair weight ``(1 - nu (kappa m m' + (m + m')/4)) / N^2``,
constant 1/4).  For each N the script runs

* ``sym``: :func:`bounds.npa_multiparty.npa_multiparty` with the ``S_3 x Z_2``
  reduction (:mod:`bounds.npa_symmetry`: moment orbits, isotypic blocks, SCS called
  directly), the full-size dual rounded and checked by the exact checker
  (:mod:`proofs.checkers.multiparty`): the certified upper bound and its time
  (reduce + solve, certificate, check apart);
* ``full``: the same certificate from the unreduced dual (cvxpy, SCS, side ``1 + 3N + 3N^2``), up to ``--max-full`` bins;
* ``plain``: the primal moment matrix built word by word in cvxpy (no
  symmetry, :func:`tests.fuzz.oracles.npa_primal_value`, Clarabel): an estimate;
* ``ncpol2sdpa``: the same relaxation from ncpol2sdpa's symbolic set-up
  (level 1 plus the AB products as extra monomials), solved through cvxpy/SCS: an estimate;

and prints wall times, the ratios to ``sym`` and the gaps between the bounds.  The
plain and ncpol2sdpa runs are skipped above ``--max-plain`` bins (their set-up
or solve takes too long there).

    python bench/routers.py [--N 4 8 12 16] [--level 1+ab] [--nu 0.5] [--max-full 8] [--max-plain 4]
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
        for idx in np.ndindex(*W.shape):
            if W[idx]:
                term: Any = 1
                for p, xi in zip(S, idx):
                    term = term * ops[p][xi]
                obj = obj + float(W[idx]) * term
    extra = []
    if level == "1+ab":
        extra = [ops[p][x] * ops[q][y] for p in range(K) for q in range(p + 1, K) for x in range(N) for y in range(N)]
    sdp = nc.SdpRelaxation([o for row in ops for o in row], verbose=0)
    sdp.get_relaxation(1, objective=-obj, substitutions=subs, extramonomials=extra)
    sdp.solve(solver="cvxpy", solverparameters={"solver": "SCS"})
    return float(game.constant) - float(sdp.primal)


def _ours(game: CorrelatorGame, level: str, symmetric: bool) -> tuple[Any, float, dict[str, float]]:
    """Certified bound of our dual (reduced or full) and the wall time of its parts."""
    t0 = time.perf_counter()
    r = npa_multiparty(game, level=level, symmetric=symmetric)
    t1 = time.perf_counter()
    b = check_npa_multiparty_dual(r.certificate, f"bench N={game.N}")
    t2 = time.perf_counter()
    assert b.value == Fraction(r.certificate["bound"])
    return r, float(b.value), {"solve+cert": t1 - t0, "check": t2 - t1, "total": t2 - t0}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--N", type=int, nargs="+", default=[4, 8])
    ap.add_argument("--level", choices=("1", "1+ab"), default="1+ab")
    ap.add_argument("--nu", type=float, default=0.5)
    ap.add_argument("--max-full", type=int, default=8)
    ap.add_argument("--max-plain", type=int, default=4)
    args = ap.parse_args()
    from tests.fuzz.oracles import npa_primal_value

    nan = float("nan")
    print(f"{'N':>3} {'side':>5} {'blocks':>24} {'sym (certified)':>16} {'t_sym':>7} {'full (certified)':>16} {'t_full':>7} "
          f"{'plain':>13} {'t_plain':>7} {'ncpol2sdpa':>13} {'t_ncpol':>7} {'sym-full':>9} {'sym-plain':>9} {'sym-ncpol':>9}")
    for n in args.N:
        game = standin(n, args.nu)
        r, sym, ts = _ours(game, args.level, True)
        full = plain = ncp = t_full = t_plain = t_ncp = nan
        if n <= args.max_full:
            _, full, tf = _ours(game, args.level, False)
            t_full = tf["total"]
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
        print(f"{n:>3} {r.size:>5} {r.blocks!s:>24} {sym:>16.12f} {ts['total']:>7.1f} {full:>16.12f} {t_full:>7.1f} "
              f"{plain:>13.10f} {t_plain:>7.1f} {ncp:>13.10f} {t_ncp:>7.1f} {sym - full:>9.1e} {sym - plain:>9.1e} {sym - ncp:>9.1e}")
        print(f"    sym: {r.message}; solve + certificate {ts['solve+cert']:.1f} s, exact check {ts['check']:.1f} s; "
              f"solver estimate {r.solver_estimate:.12f}, diagonal shift {r.shift:.1e}")
        ratios = [f"{name} / sym = {t / ts['total']:.2f}" for name, t in (("full", t_full), ("plain", t_plain), ("ncpol2sdpa", t_ncp))
                  if t == t]
        if ratios:
            print("    time ratios: " + ", ".join(ratios))


if __name__ == "__main__":
    main()
