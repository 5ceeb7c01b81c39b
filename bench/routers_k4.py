"""Four routers on N bins: certified classical bracket (four-body term, lemma M2 (iv)) beside the NPA 1+ab entangled lower bound.

For ``K = 4`` the Lagrangian has the four-body term ``E[o1 o2 o3 o4]`` (lemma R2).
For each limit ``W_l`` and ``N`` the script

* enumerates every deterministic bin-constant profile (:func:`bounds.routers.classical_bins`:
  ``2^N`` sign patterns per router, party-symmetric) and the best shared-coin mixture of two at
  ``W_q = W_l`` (a float *estimate* of the classical N-bin optimum) and its multiplier ``nu*``
  (the slope between the two mixed profiles);
* certifies the classical lower bound on ``p_split`` on the bins: ``routers-dual``
  with the inner ``multiparty-classical-threshold`` (four-body term included) at ``nu*``;
* certifies the classical upper bound: the two profiles as a ``routers-strategy``
  mixture (bin-constant signs; a continuum strategy);
* certifies the entangled lower bound on the bins: ``routers-dual`` with the inner
  ``npa-multiparty-dual`` (level ``--level``, default 1+ab), maximised over ``nu`` by a golden-section
  search plus ``nu*`` itself (each ``nu`` gives a valid bound; the maximum sits at the kink ``nu*`` when the relaxation is tight);
* with ``--seesaw RESTARTS``, the general real 4-qubit see-saw of :mod:`bounds.multiparty_seesaw` at ``nu*``,
  mixed with the classical bin profiles and certified as a ``routers-strategy`` on the bins (the library
  version: :func:`proofs.certify.routers.routers_bins_result`);
* with ``--ghz``, searches GHZ-4 strategies (local qubit observables per bin, see-saw
  of :mod:`bounds.multiparty_quantum`) on the Lagrangian at several ``nu`` and certifies
  the best mixture (with the classical profiles) as a ``routers-strategy`` upper bound.

    python bench/routers_k4.py [--rho 0.6] [--W-limit 3.5] [--N 2 4] [--level 1+ab+abc] [--ghz]
"""

from __future__ import annotations

import argparse
import itertools
import math
import time
from typing import Any

import numpy as np


def golden_max(f: Any, lo: float, hi: float, evals: int) -> tuple[float, float]:
    """``(argmax, max)`` of a unimodal ``f`` on ``[lo, hi]`` with ``evals`` evaluations (golden section)."""
    g = (math.sqrt(5) - 1) / 2
    a, b = lo, hi
    c, d = b - g * (b - a), a + g * (b - a)
    fc, fd = f(c), f(d)
    best = max((fc, c), (fd, d))
    for _ in range(max(evals - 2, 0)):
        if fc >= fd:
            b, d, fd = d, c, fc
            c = b - g * (b - a)
            fc = f(c)
            best = max(best, (fc, c))
        else:
            a, c, fc = c, d, fd
            d = a + g * (b - a)
            fd = f(d)
            best = max(best, (fd, d))
    return best[1], best[0]


def main() -> None:
    from bounds.routers import classical_bins
    from games.routers import RouterModel
    from proofs.certify.routers import ResourceStrategy, _best_mixture, _certify_upper, _classical_dual, _entangled_dual, _exact_game, _quantum_candidates

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rho", type=float, default=0.6)
    ap.add_argument("--W-limit", type=float, nargs="+", default=[3.5])
    ap.add_argument("--N", type=int, nargs="+", default=[2])
    ap.add_argument("--evals", type=int, default=10, help="golden-section evaluations of the NPA bound over nu")
    ap.add_argument("--level", default="1+ab", choices=("1+ab", "1+ab+abc", "1+ab+abc+abcd"),
                    help="NPA level of the entangled bound (1+ab+abc closes the N = 2 gap; side 369 at N = 4 is slow)")
    ap.add_argument("--seesaw", type=int, default=0, metavar="RESTARTS",
                    help="see-saw over general real 4-qubit states (RESTARTS starts) at nu*; certify the best mixture as routers-strategy")
    ap.add_argument("--ghz", action="store_true", help="search GHZ-4 strategies and certify the best mixture")
    a = ap.parse_args()
    m = RouterModel.at_load(4, a.rho)
    for W in a.W_limit:
        game = _exact_game(m, W)
        for N in a.N:
            t = time.perf_counter()
            cb = classical_bins(m, W, N)
            est, nu = cb.p_split, cb.nu
            cl_lo = float(_classical_dual(m, game, nu, N, None)["N"][0].value)
            cands = [ResourceStrategy("bins", same, wq, {"signs": [list(v) for v in signs]}) for _, same, wq, signs in cb.components]
            cl_up = float(_certify_upper(game, "classical", _best_mixture(cands, W), N, None, None)[0].value)
            print(f"W_l = {W:g}, N = {N}: classical on the bins {est:.10f} (estimate, nu* = {nu:.6f}); certified "
                  f"{cl_lo:.10f} <= p_split_classical(N bins) ; explicit bin strategy p_split <= {cl_up:.10f} ({time.perf_counter() - t:.1f} s)")
            t = time.perf_counter()
            seen: dict[float, float] = {}

            def ent(v: float, game: dict[str, str] = game, N: int = N, seen: dict[float, float] = seen) -> float:
                out, _ = _entangled_dual(m, game, v, N, None, level=a.level)
                seen[v] = float(out["N"][0].value)
                return seen[v]

            at_star = ent(nu)  # the maximum sits at the kink nu* when the relaxation is tight
            nu_e, val = golden_max(ent, 0.5 * nu, 1.5 * nu, a.evals)
            if at_star >= val:
                nu_e, val = nu, at_star
            print(f"  entangled (NPA {a.level}, certified on the bins): p_split >= {val:.10f} at nu = {nu_e:.6f} "
                  f"({len(seen)} nu, {time.perf_counter() - t:.1f} s); classical - entangled = {cl_lo - val:.6f}")
            if a.seesaw:
                from bounds.multiparty_seesaw import general_seesaw
                from games.routers import lagrangian_game

                t = time.process_time()
                lg = lagrangian_game(m, W, nu, N)
                gv = general_seesaw(lg, restarts=a.seesaw).value
                cv = max(lg.deterministic_value([list(r) for r in np.array(b).reshape(m.K, N)])
                         for b in itertools.product((1, -1), repeat=m.K * N))
                gm = _best_mixture(cands + _quantum_candidates(m, W, [nu], N, "general", 0, restarts=a.seesaw), W)
                g_est = 1 - sum(w * c.same for w, c in gm)
                g_up = float(_certify_upper(game, "quantum", gm, N, None, None, on_bins=True)[0].value)
                print(f"  general 4-qubit see-saw at nu*: Lagrangian {gv:.10f} vs classical {cv:.10f} (excess {gv - cv:+.3e}); best mixture "
                      f"p_split {g_est:.10f} (estimate), certified <= {g_up:.10f} on the bins [{', '.join(f'{w:.3f} {c.label}' for w, c in gm)}] "
                      f"({time.process_time() - t:.1f} s CPU); certified entangled advantage on the bins: "
                      f"{'yes, ' + format(cl_lo - g_up, '.3e') if g_up < cl_lo else 'no'}")
            if a.ghz:
                t = time.perf_counter()
                qc = _quantum_candidates(m, W, [nu * f for f in (0.6, 0.8, 1.0, 1.25, 1.6)], N, "ghz", 0)
                gm = _best_mixture(cands + qc, W)
                q_est = 1 - sum(w * c.same for w, c in gm)
                q_up = float(_certify_upper(game, "quantum", gm, N, "ghz", None)[0].value)
                print(f"  GHZ-4 see-saw: best mixture p_split {q_est:.10f} (estimate), certified <= {q_up:.10f} "
                      f"[{', '.join(f'{w:.3f} {c.label}' for w, c in gm)}] ({time.perf_counter() - t:.1f} s); "
                      f"certified advantage on the bins: {'yes' if q_up < cl_lo else 'no'}")


if __name__ == "__main__":
    main()
