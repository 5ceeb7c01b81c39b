"""``qcoord laws``: does the quantum advantage persist for other service-time laws? (game and system level)

For each law of the catalogue (or each ``--law NAME[:PARAM]``), all with mean
1: the coefficient of variation, the threshold ``t*`` that minimises the
classical value (search on the exact ``--search-n``-bin optimum), certified
N-bin and continuum brackets of the classical and quantum values at ``t*``
and the certified gap ``quantum lower - classical upper``; ``--grid`` adds
the same at other thresholds.  Then the system level (unless
``--no-system``; laws with infinite variance have none): at load ``--rho``
and each ``W_l = W_split + f (W_bunch - W_split)``, the smallest ``p_split``
of ideal, classical and quantum routers, certified brackets of ``p_c`` and
``p_q``, ``R_k`` for k = 2, 3, 5 and the certified lower bound on ``R_k``.
Every bracket is checked by a proofs/ checker.

JSON (``--json``, schema ``proofs/cli/schemas/laws.json``; brackets and ``R_k`` of :mod:`proofs.cli.output`)::

    {"schema", "schema_version", "verdict": {"status", "summary"}, "N", "search_N", "seed",
     "rows": [{"law", "cv", "t_star", "t_star_search", "at_t_star": GAME, "grid": [GAME, ...]}],
     "system": [{"law", "cv", "rho", "W_limit", "W_fraction", "p_split": {"ideal", "classical", "quantum"},
                 "p_split_certified": {"classical": BRACKET, "quantum": BRACKET} | null, "p_split_gap_lower", "R_k", "note"}],
     "system_verdict": {"status", "summary"}, "plot", "certificates": [PATH, ...]}

    GAME = {"t", "t_exact", "N", "p_bunch", "classical": BRACKET, "quantum": BRACKET, "gap_lower",
            "continuum": {"classical": BRACKET, "quantum": BRACKET, "gap_lower"}}

``system`` is empty and ``system_verdict.status`` is ``"not requested"`` with ``--no-system``.
"""

from __future__ import annotations

import argparse

#: what the JSON says when --no-system is given
SYSTEM_LEVEL = "system level not requested"
#: extra thresholds t (in mean service times) and bunch probabilities of --grid and --grid-p, and how many of each
GRID_T = (0.05, 20.0)
GRID_P = (0.01, 0.99)
GRID_MAX = 20
#: load of the system level
RHO_MIN = 0.01
#: W_l = W_split + f (W_bunch - W_split): f in [W_FRACTION_MIN, W_FRACTION_MAX], at most GRID_MAX of them (measured at
#: rho = 0.999: every catalogue law certifies at f = 0.01 and 0.95; at f = 0.99 the quantum certificate of
#: lognormal:1.5 fails, its optimal routers being nearly parallel as p_split -> 0)
W_FRACTION_MAX = 0.95


def add_parser(sub: argparse._SubParsersAction) -> None:
    from proofs.cli.jobs import dask_option
    from proofs.cli.options import (
        RHO_MAX,
        W_FRACTION_MIN,
        cert_dir_option,
        integer,
        json_option,
        law_option,
        n_option,
        plot_option,
        quiet_option,
        real,
        seed_option,
    )

    p = sub.add_parser(
        "laws",
        parents=[n_option("bins per input of the certified N-bin game"), law_option(f"the laws to tabulate, at most {GRID_MAX}"),
                 seed_option(), cert_dir_option(), json_option(), quiet_option(), dask_option(),
                 plot_option("plot the certified gap against the coefficient of variation (and against P(bunch) with a grid)")],
        help="certified quantum advantage of the routing game for other service-time laws",
    )
    p.add_argument("--search-N", dest="search_n", type=integer("--search-N", 2, 256), default=32,
                   help="bins of the game whose exact classical value the t* search minimises (default 32)")
    p.add_argument("--grid", type=real("--grid", *GRID_T), nargs="*", default=(), metavar="T",
                   help=f"extra thresholds t in [{GRID_T[0]:g}, {GRID_T[1]:g}] to certify (at --grid-N bins; at most {GRID_MAX})")
    p.add_argument("--grid-p", dest="grid_p", type=real("--grid-p", *GRID_P), nargs="*", default=(), metavar="P",
                   help=f"extra bunch probabilities P(X1 + X2 <= t) in [{GRID_P[0]:g}, {GRID_P[1]:g}], each certified at its threshold "
                        f"(at most {GRID_MAX})")
    p.add_argument("--grid-N", dest="grid_n", type=integer("--grid-N", 2, 1024), default=64, help="bins at the grid thresholds (default 64)")
    p.add_argument("--workers", type=integer("--workers", 1, 64), default=2, help="parallel processes, one law each (default 2)")
    p.add_argument("--system", action=argparse.BooleanOptionalAction, default=None,
                   help="the system level (p_ideal, p_c, p_q, R_2, R_3, R_5 at rho = --rho, W_l between the always-split and "
                        "always-bunch waiting times, certified brackets of p_c and p_q); on by default for the laws with finite "
                        "variance; --system refuses an infinite-variance --law, --no-system skips it")
    p.add_argument("--rho", type=real("--rho", RHO_MIN, RHO_MAX), default=0.6,
                   help=f"load of the system level, in [{RHO_MIN:g}, {RHO_MAX:g}] (default 0.6)")
    p.add_argument("--W-fraction", dest="W_fraction", type=real("--W-fraction", W_FRACTION_MIN, W_FRACTION_MAX), nargs="+",
                   default=[0.5, 0.25], help=f"W_l = W_split + f (W_bunch - W_split) for each f given, f in [{W_FRACTION_MIN:g}, "
                                             f"{W_FRACTION_MAX:g}] (at most {GRID_MAX}; default 0.5 0.25)")
    p.set_defaults(run=run)


def _iv(args: argparse.Namespace) -> list | None:
    from analytic.laws.catalogue import parse_law
    from proofs.cli.options import require_n_memory
    from proofs.exact.errors import ProofsParameterError

    require_n_memory("--N", args.N)
    for name, values in (("--grid", args.grid), ("--grid-p", args.grid_p), ("--W-fraction", args.W_fraction), ("--law", args.law or ())):
        if len(values) > GRID_MAX:
            raise ProofsParameterError(f"`{name}` takes at most {GRID_MAX} values (each is a certified computation); got {len(values)}")

    if args.system is True and args.law:
        for s in args.law:  # an explicit --system: refuse infinite variance before any work
            parse_law(s).require_finite_variance()
    specs = [parse_law(s) for s in args.law] if args.law else None
    if args.system is not False:  # the system level's points, before the game level's work
        from analytic.laws.catalogue import LAW_CATALOGUE
        from analytic.laws.service import ServiceLaw
        from proofs.cli.options import require_system_point

        for spec in specs or LAW_CATALOGUE:
            if spec.finite_variance:
                require_system_point(args.rho, None, law=ServiceLaw.named(spec.label), fractions=args.W_fraction, lam_option="--rho")
    return specs


def _system(rows: list, args: argparse.Namespace) -> list:
    from analytic.laws.catalogue import parse_law
    from proofs.certify.law_system import law_system_table

    specs = [parse_law(r.law) for r in rows]
    from proofs.cli.progress import for_command

    return law_system_table([sp for sp in specs if sp.finite_variance], rho=args.rho, fractions=args.W_fraction, on_progress=for_command(args, "laws: system level"),
                            workers=args.workers, cert_dir=args.cert_dir, dask=args.dask)


def _print_system(system: list, args: argparse.Namespace) -> None:
    print(f"\nSystem level at rho = {args.rho} (mu = 1): minimum p_split at W_q <= W_l, W_l = W_split + f (W_bunch - W_split); "
          "exact continuum route; brackets certified (checked system certificates)")
    head = (f"{'law':20s} {'f':>5s} {'W_l':>7s} {'p_ideal':>8s} {'p_c':>9s} {'p_c certified':>23s} {'p_q':>9s} {'p_q certified':>23s} "
            f"{'R_2':>7s} {'R_3':>7s} {'R_5':>7s} {'R_3 >=':>7s}")
    print(head)
    print("-" * len(head))
    def br(s: object, m: str) -> str:
        b = s.certified.get(m)  # type: ignore[attr-defined]
        return f"[{b[0]:.8f}, {b[1]:.8f}]" if b else "(estimate only)"

    from proofs.cli.output import trivial_note

    for s in system:

        r3 = f"{s.R_k_lower[3]:7.4f}" if 3 in s.R_k_lower else f"{'--':>7s}"
        print(f"{s.law:20s} {s.W_fraction:5.2f} {s.W_limit:7.4f} {s.p_split['ideal']:8.5f} {s.p_split['classical']:9.6f} {br(s, 'classical'):>23s} "
              f"{s.p_split['quantum']:9.6f} {br(s, 'quantum'):>23s} {s.R_k[2]:7.4f} {s.R_k[3]:7.4f} {s.R_k[5]:7.4f} {r3}")
        if s.note:
            print(f"{'':20s} note: {s.note}")
        for m, b in (_system_row_json(s)["p_split_certified"] or {}).items():
            if trivial_note(b):
                print(f"{'':20s} {m} p_split bracket{trivial_note(b)}")
    from proofs.certify.law_system import system_verdict

    status, summary = system_verdict(system)
    print(f"verdict (system level): {status}: {summary}")


def _print_summary(rows: list, system: list, f: float) -> None:
    by_law = {s.law: s for s in system if s.W_fraction == f}
    print(f"\nSummary per law (game at t*, continuum, certified; system at f = {f:g}: estimates, R_3 >= certified)")
    head = f"{'law':20s} {'CV':>6s} {'t*':>6s} {'classical <=':>12s} {'quantum >=':>11s} {'gap >=':>8s} {'p_c':>9s} {'p_q':>9s} {'R_3':>7s} {'R_3 >=':>7s}"
    print(head)
    print("-" * len(head))
    for r in rows:
        a = r.at_min
        s = by_law.get(r.law)
        sys_cols = (f"{s.p_split['classical']:9.6f} {s.p_split['quantum']:9.6f} {s.R_k[3]:7.4f} "
                    + (f"{s.R_k_lower[3]:7.4f}" if 3 in s.R_k_lower else f"{'--':>7s}")) if s else f"{'(W_q infinite: no system level)':>35s}"
        print(f"{r.law:20s} {r.cv:6.3f} {float(a.t):6.3f} {float(a.classical_continuum.upper.value):12.6f} "
              f"{float(a.quantum_continuum.lower.value):11.6f} {float(a.continuum_gap):8.5f} {sys_cols}")


def _game_json(a) -> dict:  # noqa: ANN001
    from proofs.cli.output import bracket

    return {"t": float(a.t), "t_exact": f"{a.t.numerator}/{a.t.denominator}", "N": a.n, "p_bunch": list(a.p_bunch),
            "classical": bracket(a.classical), "quantum": bracket(a.quantum), "gap_lower": float(a.gap),
            "continuum": {"classical": bracket(a.classical_continuum), "quantum": bracket(a.quantum_continuum), "gap_lower": float(a.continuum_gap)}}


def _system_row_json(s) -> dict:  # noqa: ANN001
    from proofs.cli.output import bracket_of_values

    cert = None
    if s.certified:
        cert = {m: bracket_of_values(lo, up, {"lower": s.certificates[f"{m}_lower"], "upper": s.certificates[f"{m}_upper"]}, "p_split")
                for m, (lo, up) in s.certified.items()}
    return {"law": s.law, "cv": s.cv, "rho": s.rho, "W_limit": s.W_limit, "W_fraction": s.W_fraction, "p_split": dict(s.p_split),
            "p_split_certified": cert, "p_split_gap_lower": s.gap_lower,
            "R_k": [{"k": float(k), "estimate": v, "lower": s.R_k_lower.get(k)} for k, v in s.R_k.items()], "note": s.note}


def laws_json(rows: list, system: list, args: argparse.Namespace, verdict: tuple[str, str]) -> dict:
    """The ``--json`` object of ``qcoord laws`` (schema ``laws.json``)."""
    from proofs.certify.law_system import system_verdict
    from proofs.cli.output import finish

    if args.system is False:
        sv = {"status": "not requested", "summary": SYSTEM_LEVEL}
    elif system:
        sv = dict(zip(("status", "summary"), system_verdict(system)))
    else:
        sv = {"status": "none", "summary": "no law here has finite variance (W_q is infinite), so there is no system level"}
    body = {"verdict": dict(zip(("status", "summary"), verdict)), "N": args.N, "search_N": args.search_n, "seed": args.seed,
            "rows": [{"law": r.law, "cv": r.cv, "t_star": float(r.search.t),
                      "t_star_search": {"N": r.search.n, "value_estimate": r.search.value_estimate, "evaluations": r.search.evaluations},
                      "at_t_star": _game_json(r.at_min), "grid": [_game_json(g) for g in r.grid]} for r in rows],
            "system": [_system_row_json(s) for s in system], "system_verdict": sv}
    if args.plot:
        body["plot"] = str(args.plot)
    return finish("laws", body)


def run(args: argparse.Namespace) -> int:
    from proofs.certify.law_table import law_table, law_table_verdict, plot_law_table
    from proofs.cli.options import print_json
    from proofs.cli.progress import for_command

    specs = _iv(args)
    rows = law_table(specs, n=args.N, search_n=args.search_n, grid=args.grid, grid_p=args.grid_p, grid_n=args.grid_n, workers=args.workers, directory=args.cert_dir, dask=args.dask, seed=args.seed,
                     on_progress=for_command(args, "laws: game level"))
    status, summary = law_table_verdict(rows)
    system = _system(rows, args) if args.system is not False else []
    if args.plot:
        plot_law_table(rows, args.plot, system=system)
    if args.json:
        print_json(laws_json(rows, system, args, (status, summary)))
        return 0
    n = args.N
    print(f"Routing game X1 + X2 <= t per service law (mean 1) at the classical-minimising t*; certified, N = {n} and continuum")
    head = f"{'law':20s} {'CV':>6s} {'t*':>6s} {'P(bunch)':>8s} {'classical N (bracket)':>25s} {'quantum N (bracket)':>25s} {'gap N':>8s} {'classical cont <=':>17s} {'quantum cont >=':>15s} {'gap cont':>8s}"
    print(head)
    print("-" * len(head))
    from proofs.cli.output import bracket, trivial_note

    def vacuous(g) -> None:  # noqa: ANN001
        for what, b in (("classical N", g.classical), ("quantum N", g.quantum), ("classical continuum", g.classical_continuum),
                        ("quantum continuum", g.quantum_continuum)):
            note = trivial_note(bracket(b))
            if note:
                print(f"{'':20s} {what} bracket{note}")

    for r in rows:
        a = r.at_min
        cl, q = a.classical, a.quantum
        print(f"{r.law:20s} {r.cv:6.3f} {float(a.t):6.3f} {sum(a.p_bunch) / 2:8.4f} [{float(cl.lower.value):.9f}, {float(cl.upper.value):.9f}] "
              f"[{float(q.lower.value):.9f}, {float(q.upper.value):.9f}] {float(a.gap):8.5f} {float(a.classical_continuum.upper.value):17.6f} "
              f"{float(a.quantum_continuum.lower.value):15.6f} {float(a.continuum_gap):8.5f}")
        vacuous(a)
        for g in r.grid:
            print(f"{'  t = ' + format(float(g.t), 'g'):20s} {'':6s} {'':6s} {sum(g.p_bunch) / 2:8.4f} [{float(g.classical.lower.value):.9f}, {float(g.classical.upper.value):.9f}] "
                  f"[{float(g.quantum.lower.value):.9f}, {float(g.quantum.upper.value):.9f}] {float(g.gap):8.5f} "
                  f"{float(g.classical_continuum.upper.value):17.6f} {float(g.quantum_continuum.lower.value):15.6f} {float(g.continuum_gap):8.5f}")
            vacuous(g)
    print(f"verdict (Sec. 5 conjecture, game level): {status}: {summary}")
    if args.system is False:
        print(f"p_c, p_q, R_3: {SYSTEM_LEVEL} (--no-system given)")
    elif system:
        _print_system(system, args)
        _print_summary(rows, system, args.W_fraction[0])
    else:
        print("p_c, p_q, R_3: no law here has finite variance (W_q is infinite), so there is no system level")
    if args.plot:
        print(f"figure: {args.plot}")
    return 0
