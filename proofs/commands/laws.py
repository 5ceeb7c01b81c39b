"""``qcoord laws``: does the quantum advantage persist for other service-time laws? (game level)

For each law of the catalogue (or each ``--law NAME[:PARAM]``), all with mean
1: the coefficient of variation, the threshold ``t*`` that minimises the
classical value (search on the exact ``--search-n``-bin optimum), certified
N-bin and continuum brackets of the classical and quantum values at ``t*``
and the certified gap ``quantum lower - classical upper``; ``--grid`` adds
the same at other thresholds.  Every bracket is checked by a proofs/ checker.

JSON (``--json``)::

    {"verdict": {"status", "summary"}, "N", "search_N",
     "rows": [{"law", "cv", "t_star", "t_star_search", "at_t_star": {"classical", "quantum", "gap",
               "classical_continuum", "quantum_continuum", "continuum_gap", "certificates", ...},
               "grid": [...]}],
     "system_level": "..."}
"""

from __future__ import annotations

import argparse

# The system level is slow (a Lagrangian solve per law and W_l), so it runs only on request.
SYSTEM_LEVEL = "system level not requested"


def add_parser(sub: argparse._SubParsersAction) -> None:
    from proofs.commands.options import cert_dir_option, integer, json_option, n_option, plot_option, real

    p = sub.add_parser(
        "laws",
        parents=[n_option(128, "bins per input of the certified N-bin game"), cert_dir_option(), json_option(),
                 plot_option("plot the certified gap against the coefficient of variation (and against P(bunch) with a grid)")],
        help="certified quantum advantage of the routing game for other service-time laws",
    )
    p.add_argument("--law", action="append", default=None, metavar="NAME[:PARAM]",
                   help="a catalogue law (repeatable): exponential, gamma:K, hyperexponential:CV, lognormal:SIGMA, "
                        "weibull:K, lomax:ALPHA, uniform (default: the whole catalogue)")
    p.add_argument("--search-N", dest="search_n", type=integer("--search-N", 2, 256), default=32,
                   help="bins of the game whose exact classical value the t* search minimises (default 32)")
    p.add_argument("--grid", type=real("--grid", 0, 100, low_open=True), nargs="*", default=(), metavar="T",
                   help="extra thresholds t to certify (at --grid-N bins)")
    p.add_argument("--grid-p", dest="grid_p", type=real("--grid-p", 0, 1, low_open=True, high_open=True), nargs="*", default=(),
                   metavar="P", help="extra bunch probabilities P(X1 + X2 <= t) in (0, 1), each certified at its threshold")
    p.add_argument("--grid-N", dest="grid_n", type=integer("--grid-N", 2, 1024), default=64, help="bins at the grid thresholds (default 64)")
    p.add_argument("--workers", type=integer("--workers", 1, 64), default=2, help="parallel processes, one law each (default 2)")
    p.add_argument("--system", action="store_true",
                   help="add the system level (p_ideal, p_c, p_q, R_2, R_3, R_5 at rho = --rho, W_l between the always-split and "
                        "always-bunch waiting times); slow (about a minute per law and W_l); infinite-variance laws are refused")
    p.add_argument("--rho", type=real("--rho", 0, 1, low_open=True, high_open=True), default=0.6, help="load of the system level (default 0.6)")
    p.add_argument("--W-fraction", dest="W_fraction", type=real("--W-fraction", 0, 1, low_open=True, high_open=True), nargs="+",
                   default=[0.5], help="W_l = W_split + f (W_bunch - W_split) for each f given (default 0.5)")
    p.set_defaults(run=run)


def _iv(args: argparse.Namespace) -> list | None:
    from analytic.laws import parse_law
    from proofs.errors import ProofsParameterError

    if args.system and args.law:
        for s in args.law:  # refuse infinite variance before any work
            parse_law(s).require_finite_variance()
    if not 2 <= args.N <= 1024:
        raise ProofsParameterError(f"`--N` must be an integer in [2, 1024] for the laws table; got {args.N}")
    return [parse_law(s) for s in args.law] if args.law else None


def _one_system(job: tuple) -> object:
    from proofs.law_system import law_system

    law, rho, f, cert_dir = job
    return law_system(law, rho=rho, W_fraction=f, cert_dir=cert_dir)


def _system(rows: list, args: argparse.Namespace) -> list:
    from concurrent.futures import ProcessPoolExecutor

    from analytic.laws import parse_law

    jobs = [(r.law, args.rho, f, args.cert_dir) for r in rows if parse_law(r.law).finite_variance for f in args.W_fraction]
    if args.workers == 1 or len(jobs) == 1:
        return [_one_system(j) for j in jobs]
    with ProcessPoolExecutor(max_workers=min(args.workers, len(jobs))) as ex:
        return list(ex.map(_one_system, jobs))


def run(args: argparse.Namespace) -> int:
    from proofs.commands.options import print_json
    from proofs.law_table import law_table, law_table_verdict, plot_law_table

    specs = _iv(args)
    rows = law_table(specs, n=args.N, search_n=args.search_n, grid=args.grid, grid_p=args.grid_p, grid_n=args.grid_n, workers=args.workers, directory=args.cert_dir)
    status, summary = law_table_verdict(rows)
    system = _system(rows, args) if args.system else []
    if args.plot:
        plot_law_table(rows, args.plot)
    if args.json:
        print_json({"verdict": {"status": status, "summary": summary}, "N": args.N, "search_N": args.search_n,
                          "rows": [r.to_dict() for r in rows],
                    "system": [s.to_dict() for s in system] if args.system else SYSTEM_LEVEL})
        return 0
    n = args.N
    print(f"Routing game X1 + X2 <= t per service law (mean 1) at the classical-minimising t*; certified, N = {n} and continuum")
    head = f"{'law':20s} {'CV':>6s} {'t*':>6s} {'P(bunch)':>8s} {'classical N (bracket)':>25s} {'quantum N (bracket)':>25s} {'gap N':>8s} {'classical cont <=':>17s} {'quantum cont >=':>15s} {'gap cont':>8s}"
    print(head)
    print("-" * len(head))
    for r in rows:
        a = r.at_min
        cl, q = a.classical, a.quantum
        print(f"{r.law:20s} {r.cv:6.3f} {float(a.t):6.3f} {sum(a.p_bunch) / 2:8.4f} [{float(cl.lower.value):.9f}, {float(cl.upper.value):.9f}] "
              f"[{float(q.lower.value):.9f}, {float(q.upper.value):.9f}] {float(a.gap):8.5f} {float(a.classical_continuum.upper.value):17.6f} "
              f"{float(a.quantum_continuum.lower.value):15.6f} {float(a.continuum_gap):8.5f}")
        for g in r.grid:
            print(f"{'  t = ' + format(float(g.t), 'g'):20s} {'':6s} {'':6s} {sum(g.p_bunch) / 2:8.4f} [{float(g.classical.lower.value):.9f}, {float(g.classical.upper.value):.9f}] "
                  f"[{float(g.quantum.lower.value):.9f}, {float(g.quantum.upper.value):.9f}] {float(g.gap):8.5f} "
                  f"{float(g.classical_continuum.upper.value):17.6f} {float(g.quantum_continuum.lower.value):15.6f} {float(g.continuum_gap):8.5f}")
    print(f"verdict (Sec. 5 conjecture, game level): {status}: {summary}")
    if not args.system:
        print(f"p_c, p_q, R_3: {SYSTEM_LEVEL} (use --system)")
    else:
        print(f"\nSystem level at rho = {args.rho}: minimum p_split at W_q <= W_l (exact continuum route; certified brackets for the exponential law only)")
        print(f"{'law':20s} {'f':>5s} {'W_l':>8s} {'p_ideal':>9s} {'p_c':>9s} {'p_q':>9s} {'R_2':>7s} {'R_3':>7s} {'R_5':>7s}  certified")
        for s in system:
            c = "; ".join(f"{m} [{a:.6f}, {b:.6f}]" for m, (a, b) in s.certified.items()) or "estimates"
            print(f"{s.law:20s} {s.W_fraction:5.2f} {s.W_limit:8.4f} {s.p_split['ideal']:9.5f} {s.p_split['classical']:9.5f} "
                  f"{s.p_split['quantum']:9.5f} {s.R_k[2]:7.4f} {s.R_k[3]:7.4f} {s.R_k[5]:7.4f}  {c}")
    if args.plot:
        print(f"figure: {args.plot}")
    return 0
