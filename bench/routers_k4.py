"""Four routers on N bins: certified classical bracket (four-body term, lemma M2 (iv)) beside the NPA 1+ab entangled lower bound.

For ``K = 4`` the Lagrangian has the four-body term ``E[o1 o2 o3 o4]`` (lemma R2).
For each limit ``W_l`` and ``N`` the script

* enumerates every deterministic bin-constant profile (``2^N`` sign patterns per
  router, party-symmetric) and the best shared-coin mixture of two at ``W_q = W_l``
  (a float *estimate* of the classical N-bin optimum) and its multiplier ``nu*``
  (the slope between the two mixed profiles);
* certifies the classical lower bound on ``p_split`` on the bins: ``routers-dual``
  with the inner ``multiparty-classical-threshold`` (four-body term included) at ``nu*``;
* certifies the classical upper bound: the two profiles as a ``routers-strategy``
  mixture (bin-constant signs; a continuum strategy);
* certifies the entangled lower bound on the bins: ``routers-dual`` with the inner
  ``npa-multiparty-dual`` (level ``--level``, default 1+ab), maximised over ``nu`` by a golden-section
  search plus ``nu*`` itself (each ``nu`` gives a valid bound; the maximum sits at the kink ``nu*`` when the relaxation is tight);
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


def classical_bins(model: Any, W: float, N: int) -> tuple[float, float, list[tuple[float, Any]]]:
    """Smallest ``p_split`` at ``W_q <= W`` over shared-coin mixtures of deterministic bin-constant profiles (estimate).

    Returns ``(p_split, nu*, [(weight, (same, wq, signs))...])``.
    """
    _, e = model.bin_moments(N)
    sigs = list(itertools.product((1, -1), repeat=N))
    mom = [(float(np.mean(s)), float(np.dot(s, e))) for s in sigs]
    pts = []
    for prof in itertools.combinations_with_replacement(range(len(sigs)), model.K):   # the model is party-symmetric
        same, wq = model.moment_values(np.array([mom[i] for i in prof]))
        pts.append((wq, same, [list(sigs[i]) for i in prof]))
    ok = [p for p in pts if p[0] <= W]
    bad = [p for p in pts if p[0] > W]
    top = max(ok, key=lambda p: p[1])
    best, nu, mix = 1 - top[1], 0.0, [(1.0, top)]
    for a, b in itertools.product(ok, bad):
        t = (b[0] - W) / (b[0] - a[0])
        v = 1 - (t * a[1] + (1 - t) * b[1])
        if v < best:
            best, nu, mix = v, (b[1] - a[1]) / (b[0] - a[0]), [(t, a), (1 - t, b)]
    return best, nu, mix


def general_seesaw(game: Any, restarts: int, rounds: int = 80, seed: int = 0) -> tuple[float, Any, list[list[Any]]]:
    """See-saw over a general real 4-qubit state (a qubit per router) and real qubit observables per bin (estimate).

    Alternates the state (top eigenvector of the Bell operator) and each observable (sign of its partial
    gradient, which is linear in the observable).  Returns ``(value, psi, observables)`` of the best restart.
    """
    K, N = game.K, game.N
    D = 2**K

    def op(i: int, A: Any) -> Any:
        out = np.array([[1.0]])
        for j in range(K):
            out = np.kron(out, A if j == i else np.eye(2))
        return out

    def bell(obs: list[list[Any]]) -> Any:
        B = float(game.constant) * np.eye(D)
        for S, Wt in game.terms.items():
            for x in itertools.product(range(N), repeat=len(S)):
                P = np.eye(D)
                for i, xi in zip(S, x):
                    P = P @ op(i, obs[i][xi])
                B = B + float(Wt[x]) * P
        return (B + B.T) / 2

    rng = np.random.default_rng(seed)
    best: tuple[float, Any, list[list[Any]]] = (-math.inf, None, [])
    for _ in range(restarts):
        obs = []
        for _i in range(K):
            row = []
            for _x in range(N):
                w, v = np.linalg.eigh((lambda h: h + h.T)(rng.normal(size=(2, 2))))
                row.append(v @ np.diag(np.sign(w)) @ v.T)
            obs.append(row)
        val = -math.inf
        for _r in range(rounds):
            w, v = np.linalg.eigh(bell(obs))
            psi, new = v[:, -1], float(w[-1])
            rho = np.outer(psi, psi)
            for i in range(K):
                for xi in range(N):
                    saved, grad = obs[i][xi], np.zeros((2, 2))
                    obs[i][xi] = np.zeros((2, 2))
                    v0 = float(np.trace(rho @ bell(obs)))
                    for a, b in itertools.product(range(2), repeat=2):
                        E = np.zeros((2, 2))
                        E[a, b] = 1.0
                        obs[i][xi] = E
                        grad[b, a] = float(np.trace(rho @ bell(obs))) - v0
                    obs[i][xi] = saved
                    ww, vv = np.linalg.eigh((grad + grad.T) / 2)
                    obs[i][xi] = vv @ np.diag(np.where(ww >= 0, 1.0, -1.0)) @ vv.T
            if new - val < 1e-12:
                break
            val = new
        if val > best[0]:
            best = (val, psi, [list(r) for r in obs])
    return best


def general_strategy(model: Any, psi: Any, obs: list[list[Any]], N: int) -> Any:
    """The see-saw's strategy as an exact ``routers-strategy`` component (rational state and observables) with its float values."""
    from fractions import Fraction

    from bounds.multiparty_quantum import _float_matrix, exact_observable
    from proofs.certify.routers import ResourceStrategy, _values_games
    from proofs.exact.rational import fraction_str

    q = [Fraction(round(float(v) * 10**6), 10**6) for v in psi]
    nrm = sum(v * v for v in q)
    rho = [[a * b / nrm for b in q] for a in q]
    obs_exact = [[exact_observable(o.astype(np.complex128)) for o in row] for row in obs]
    rho_f = np.array([[float(v) for v in r] for r in rho])
    obs_f = [[np.real(_float_matrix(o)) for o in row] for row in obs_exact]
    same_g, cost_g = _values_games(model, N)

    def value(g: Any) -> float:
        tot = float(g.constant)
        for S, Wt in g.terms.items():
            for x in itertools.product(range(N), repeat=len(S)):
                P = np.eye(2**model.K)
                for i, xi in zip(S, x):
                    mats = [obs_f[i][xi] if j == i else np.eye(2) for j in range(model.K)]
                    M = mats[0]
                    for mm in mats[1:]:
                        M = np.kron(M, mm)
                    P = P @ M
                tot += float(Wt[x]) * float(np.trace(rho_f @ P))
        return tot

    comp = {"quantum": {"subsystems": [2] * model.K, "owners": list(range(model.K)),
                        "factors": [{"subsystems": list(range(model.K)), "rho": [[fraction_str(v) for v in r] for r in rho]}],
                        "observables": obs_exact}}
    return ResourceStrategy("general 4-qubit state", value(same_g), value(cost_g), comp)


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
            est, nu, mix = classical_bins(m, W, N)
            cl_lo = float(_classical_dual(m, game, nu, N, None)["N"][0].value)
            cands = [ResourceStrategy("bins", same, wq, {"signs": signs}) for _, (wq, same, signs) in mix]
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
                from games.routers import lagrangian_game

                t = time.process_time()
                lg = lagrangian_game(m, W, nu, N)
                gv, psi, gobs = general_seesaw(lg, a.seesaw)
                cv = max(lg.deterministic_value([list(r) for r in np.array(b).reshape(m.K, N)])
                         for b in itertools.product((1, -1), repeat=m.K * N))
                gs = general_strategy(m, psi, gobs, N)
                gm = _best_mixture(cands + [gs], W)
                g_est = 1 - sum(w * c.same for w, c in gm)
                g_up = float(_certify_upper(game, "quantum", gm, N, None, None)[0].value)
                print(f"  general 4-qubit see-saw at nu*: Lagrangian {gv:.10f} vs classical {cv:.10f} (excess {gv - cv:+.3e}); best mixture "
                      f"p_split {g_est:.10f} (estimate), certified <= {g_up:.10f} [{', '.join(f'{w:.3f} {c.label}' for w, c in gm)}] "
                      f"({time.process_time() - t:.0f} s CPU); certified entangled advantage on the bins: "
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
