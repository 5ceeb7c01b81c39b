"""``qcoord routers``: K routers, two servers -- the smallest ``p_split`` per class at ``W_q <= W_limit``, certified where possible.

Tuples of ``--K`` customers at rate ``--lam`` (default: ``rho = K lam E[X]/2 =
0.6`` per server), exponential service of rate ``--mu`` (or ``--law
uniform``), ``T(t) = t^k``.  Output per class: ideal (estimate), classical
(certified bracket: ``routers-strategy`` above, ``routers-dual`` below on
``N`` bins and on the continuum), entangled routers with any state
(``routers-dual`` below from an NPA dual, ``--npa-level`` 1+ab by default, and the
continuum relaxation of lemma R7 unless ``--no-continuum``), each quantum resource (``--resource``:
GHZ, triangle of Bell pairs, pair+classical, ``general``: a real K-qubit state, a qubit per router,
found by see-saw with the observables; certified upper bound by an explicit strategy), ``R_k`` and the share of the classical-to-ideal gap each
closes, and the same estimates for ``K = 2`` at the same ``rho``.
``--simulate PAIRS`` simulates the strategies with common random numbers
(:mod:`games.system.tuples`).

JSON (``--json``, schema ``proofs/cli/schemas/routers.json``): ``point``,
``k``, ``classes.{name: {p_split_estimate, p_split_upper, p_split_lower_N,
p_split_lower_continuum, R_k, gap_closed, strategy}}`` (class ``entangled``:
any shared state, lower bounds from the NPA dual at ``point.npa_level``, ``K <= 4``),
``k2``, ``answer`` (with ``classical_minus_entangled_lower_N``: the
classical minus the entangled certified lower bound on ``N`` bins),
``simulation``, ``notes``, ``certificates``.
"""

from __future__ import annotations

import argparse
import sys

from proofs.cli.options import (
    LAM_DEFAULT,
    RATE_MAX,
    RATE_MIN,
    W_LIMIT_DEFAULT,
    W_LIMIT_MAX,
    cert_dir_option,
    integer,
    json_option,
    k_option,
    mu_option,
    plot_option,
    print_json,
    quiet_option,
    real,
    seed_option,
)

#: simulated tuples: at least 1000, at most 10^7 (about 10 s per 10^6 tuples and class)
TUPLES_MIN, TUPLES_MAX = 1000, 10**7
RESOURCE_CHOICES = ("ghz", "triangle", "pair+classical", "general")
NPA_LEVEL_CHOICES = ("1+ab", "1+ab+abc", "1+ab+abc+abcd")


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("routers", parents=[mu_option(), k_option(), seed_option(), json_option(), quiet_option(), cert_dir_option(),
                                           plot_option("write p_split vs W_limit for K = 2 and K (estimates)")],
                       help="K routers and two servers: certified p_split of classical and entangled routers at a waiting-time limit")
    p.add_argument("--K", type=integer("--K", 2, 4), default=2, help="routers per tuple, an integer in [2, 4] (default 2: the paper's pairs; try --K 3 --lam 0.4 --W-limit 2.5)")
    p.add_argument("--lam", type=real("--lam", RATE_MIN, RATE_MAX), default=LAM_DEFAULT,
                   help=f"arrival rate of K-tuples (pairs for K = 2) in [{RATE_MIN:g}, {RATE_MAX:g}], with rho = K lam E[X]/2 per server < 1 "
                        f"(default {LAM_DEFAULT:g}; rho = 0.6 per server needs lam = 1.2/K for mu = 1)")
    p.add_argument("--W-limit", type=real("--W-limit", 0.0, W_LIMIT_MAX), default=W_LIMIT_DEFAULT, dest="W_limit",
                   help=f"waiting-time limit W_l in [0, {W_LIMIT_MAX:g}], at least the classical routers' smallest W_q (default {W_LIMIT_DEFAULT:g})")
    p.add_argument("--law", choices=("exponential", "uniform"), default="exponential", help="service law (uniform: on [0, 2]; default exponential)")
    p.add_argument("--resource", choices=RESOURCE_CHOICES, action="append", default=None,
                   help="quantum resource to search (repeatable; default all four; triangle needs K = 3; general: a real K-qubit "
                        "state, a qubit per router, optimised with the observables by see-saw)")
    p.add_argument("--router-bins", dest="N", type=integer("--router-bins", 2, 64), default=8,
                   help="bins per router of the N-bin Lagrangian games (certified duals, quantum strategies), an integer in [2, 64] (default 8)")
    p.add_argument("--no-continuum", dest="continuum", action="store_false",
                   help="skip the continuum relaxation of the entangled class (lemma R7, 10-60 s); the continuum bound is then the bins' lifted one")
    p.add_argument("--npa-level", choices=NPA_LEVEL_CHOICES, default="1+ab",
                   help="NPA level of the entangled N-bin dual (default 1+ab; 1+ab+abc is tighter for K >= 3 but far larger: use few bins)")
    p.add_argument("--simulate", type=integer("--simulate", TUPLES_MIN, TUPLES_MAX), default=None, metavar="TUPLES",
                   help=f"also simulate every class's strategy with TUPLES tuples in [{TUPLES_MIN}, {TUPLES_MAX:,}] (common random numbers)")
    p.set_defaults(run=run)


def _fail(msg: str) -> int:
    print(f"qcoord routers: error: {msg}", file=sys.stderr)
    return 2


def _ratio(pc: float | None, po: float | None, k: float) -> float | None:
    return None if pc is None or po is None else ((1 + pc) / (1 + po)) ** (k - 1)


def _gap(pc: float | None, po: float | None, pi: float | None) -> float | None:
    if pc is None or po is None or pi is None or pc - pi <= 1e-12:
        return None
    return (pc - po) / (pc - pi)


def routers_json(res, k: float, k2: dict, sim: dict | None, plot: str | None) -> dict:  # noqa: ANN001
    """The ``--json`` object of ``qcoord routers`` (schema ``routers.json``)."""
    from proofs.cli.output import finish

    pi, pc = res.estimates["ideal"], res.estimates["classical"]
    classes = {}
    for name, est in res.estimates.items():
        b = res.bounds.get(name, {})
        up = float(b["upper"]) if "upper" in b else None
        classes[name] = {
            "p_split_estimate": est, "kind": "estimate" if name == "ideal" else "certified",
            "p_split_upper": up,
            "p_split_lower_N": float(b["lower_N"]) if "lower_N" in b else None,
            "p_split_lower_continuum": float(b["lower_continuum"]) if "lower_continuum" in b else None,
            "R_k": _ratio(pc, est, k), "gap_closed": None if name in ("ideal", "classical") else _gap(pc, est, pi),
            "strategy": res.strategies.get(name),
        }
    best_q = min((v for r, v in res.estimates.items() if r not in ("ideal", "classical") and v is not None), default=None)
    ent, cla = res.bounds.get("entangled", {}), res.bounds.get("classical", {})
    gap_n = float(cla["lower_N"]) - float(ent["lower_N"]) if "lower_N" in ent and "lower_N" in cla else None
    answer = {"entanglement_helps_estimate": None if best_q is None else bool(best_q < pc - 1e-9),
              "best_quantum_minus_classical": None if best_q is None else best_q - pc,
              "classical_minus_entangled_lower_N": gap_n}
    body: dict = {"point": {"K": res.K, "lam": res.lam, "rho": res.rho, "W_limit": res.W_limit, "law": res.law, "N": res.N, "nu": res.nu,
                            "npa_level": res.npa_level, "continuum_relaxation": res.continuum_relaxation},
                  "k": k, "classes": classes, "k2": k2, "answer": answer, "notes": res.notes}
    if sim is not None:
        body["simulation"] = sim
    if plot is not None:
        body["plot"] = plot
    body["seconds"] = res.seconds
    return finish("routers", body, res.certificates, walk=False)


def _k2(rho: float, W_limit: float, law) -> dict:  # noqa: ANN001
    from bounds.routers import classical_min_wait, classical_solution, ideal_solution
    from games.routers import RouterModel

    m = RouterModel.at_load(2, rho, law)
    if W_limit > m.W_bunch:
        return {"rho": rho, "ideal": 0.0, "classical": 0.0, "kind": "estimate"}
    if W_limit < classical_min_wait(m):
        return {"rho": rho, "ideal": None, "classical": None, "kind": "estimate"}
    return {"rho": rho, "ideal": ideal_solution(m, W_limit).p_split, "classical": classical_solution(m, W_limit).p_split, "kind": "estimate"}


def _simulate(res, tuples: int, seed: int, k: float) -> dict:  # noqa: ANN001
    from analytic.laws.service import ServiceLaw
    from games.system.tuples import MixtureTupleRouting, ThresholdTupleRouting, simulate_tuples
    from proofs.certify.routers import mixture_routing

    law = ServiceLaw.exponential(1.0 / (2 * res.rho / (res.K * res.lam))) if res.law == "exponential" else ServiceLaw.named("uniform")
    classes: dict[str, dict] = {}
    out = {"tuples": tuples, "seed": seed, "level": 0.99, "common_random_numbers": True, "classes": classes}
    for name, mix in res.mixtures.items():
        ws = [w for w, _ in mix]
        routing: ThresholdTupleRouting | MixtureTupleRouting
        if all(m.routing is not None and hasattr(m.routing, "u") for _, m in mix):
            routing = ThresholdTupleRouting(tuple(m.routing.u[0] for _, m in mix), tuple(m.routing.orient[0] for _, m in mix), tuple(ws))
        elif all(m.routing is not None for _, m in mix):
            # quantum components (bin-constant observables on N bins): outputs drawn by the Born rule per tuple of bins
            routing = mixture_routing([(w, m.routing) for w, m in mix], res.N)
        else:
            classes[name] = {"simulated": False, "reason": "a component without a playable routing"}
            continue
        s = simulate_tuples(routing, res.lam, law=law, n_tuples=tuples, seed=seed)
        tb, tci = s.throughput(k)
        classes[name] = {"simulated": True, "W_q": s.wq, "W_q_ci": list(s.wq_ci), "p_split": s.p_split, "p_split_ci": list(s.p_split_ci),
                                "throughput": tb, "throughput_ci": list(tci), "p_split_computed": res.estimates[name]}
    return out


def run(args: argparse.Namespace) -> int:
    from analytic.laws.service import ServiceLaw
    from proofs.cli.progress import for_command
    from proofs.exact.errors import QcoordError

    law = ServiceLaw.exponential(args.mu) if args.law == "exponential" else ServiceLaw.named("uniform")
    lam = args.lam
    rho = args.K * lam * law.mean / 2
    if not rho < 1:
        return _fail(f"--lam: rho = K lam E[X]/2 must be < 1; got {rho:g} (K = {args.K}, lam = {lam:g})")
    if args.resource and "triangle" in args.resource and args.K != 3:
        return _fail(f"--resource triangle needs --K 3; got --K {args.K}")
    from bounds.routers import classical_min_wait
    from games.routers import RouterModel

    model = RouterModel(args.K, lam, law)
    wmin = classical_min_wait(model)
    if args.W_limit < wmin * (1 + 1e-6):
        return _fail(f"--W-limit must be at least the classical routers' smallest W_q {wmin:.6g} (K = {args.K}, rho = {rho:g}); got {args.W_limit:g}")
    from proofs.certify.routers import RELAXATION, RESOURCES, routers_result

    prog = for_command(args, "routers")
    try:
        res = routers_result(args.K, lam, min(args.W_limit, model.W_bunch), mu=args.mu, law=args.law, N=args.N,
                             resources=tuple(args.resource or RESOURCES), cert_dir=args.cert_dir, seed=args.seed, on_progress=prog,
                             relaxation=RELAXATION if args.continuum else None, npa_level=args.npa_level)
    except QcoordError as exc:
        return _fail(str(exc))
    k2 = _k2(rho, args.W_limit, law)
    sim = _simulate(res, args.simulate, args.seed, args.k) if args.simulate else None
    plot = None
    if args.plot:
        from proofs.report.routers_figure import plot_routers

        plot = str(plot_routers(args.plot, rho=rho, law=law))
    out = routers_json(res, args.k, k2, sim, plot)
    if args.json:
        print_json(out)
        return 0
    from proofs.report.folder import table

    print(f"{res.K} routers, two servers: lam = {res.lam:g}, rho = {res.rho:g} per server, W_limit = {res.W_limit:g}, {res.law} service, "
          f"N = {res.N} bins, nu = {res.nu:.6g}, T(t) = t^{args.k:g}")
    rows = []
    for name, c in out["classes"].items():
        def f(v: float | None) -> str:
            return "-" if v is None else f"{v:.8f}"
        rows.append([name, f(c["p_split_estimate"]), f(c["p_split_lower_continuum"]), f(c["p_split_lower_N"]), f(c["p_split_upper"]),
                     "-" if c["R_k"] is None else f"{c['R_k']:.6f}", "-" if c["gap_closed"] is None else f"{100 * c['gap_closed']:.2f} %"])
    print(table(["class", "p_split (estimate)", "certified >= (continuum)", f"certified >= (N = {res.N} bins)", "certified <= (continuum)", "R_k",
                 "gap closed"], rows))
    print(f"K = 2 at rho = {rho:g}, same W_limit (estimates): ideal {k2['ideal']}, classical {k2['classical']}")
    a = out["answer"]
    if a["entanglement_helps_estimate"] is not None:
        print("entanglement helps (estimate): " + ("yes" if a["entanglement_helps_estimate"] else "no")
              + f" (best resource minus classical: {a['best_quantum_minus_classical']:+.3e})")
    if a["classical_minus_entangled_lower_N"] is not None:
        c_ent, c_cl = out["classes"]["entangled"], out["classes"]["classical"]
        print(f"certified on N = {res.N} bins: entangled routers (any state, NPA level {res.npa_level}) p_split >= {c_ent['p_split_lower_N']:.10f}, "
              f"classical >= {c_cl['p_split_lower_N']:.10f} (difference {a['classical_minus_entangled_lower_N']:.2e}); "
              f"continuum (lemmas R5, R7): entangled >= {c_ent['p_split_lower_continuum']:.6f}, classical <= {c_cl['p_split_upper']:.10f}")
    for n in res.notes:
        print("note:", n)
    if sim:
        print(f"simulation ({sim['tuples']} tuples, seed {sim['seed']}, common random numbers, 99 % CIs):")
        for name, c in sim["classes"].items():
            if c["simulated"]:
                print(f"  {name}: W_q {c['W_q']:.4f} [{c['W_q_ci'][0]:.4f}, {c['W_q_ci'][1]:.4f}], p_split {c['p_split']:.4f} "
                      f"[{c['p_split_ci'][0]:.4f}, {c['p_split_ci'][1]:.4f}] (computed {c['p_split_computed']:.4f}), E[T_B] {c['throughput']:.4f}")
            else:
                print(f"  {name}: not simulated ({c['reason']})")
    if plot:
        print("plot:", plot)
    if res.certificates:
        print("certificates:", *res.certificates)
    return 0
