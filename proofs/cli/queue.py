"""``qcoord queue``: formula vs simulation of W_q and E[T_B] for three routing rules.

For the sum-threshold rule, the optimal fixed-p rule (Theorem 4.1 analysis)
and random routing, all at the same ``p_split``, print the formula values
(:mod:`analytic`) and the simulated estimates with 99 % confidence intervals
(:mod:`games.system`), as :func:`games.system.comparison.compare_rules`
computes them.  Exponential service, ``T(t) = t^k``.

JSON (``--json``, schema ``proofs/cli/schemas/queue.json``; ``measured`` of :mod:`proofs.cli.output`)::

    {"schema", "schema_version", "point": {"lam", "mu", "rho"}, "p_split", "k", "order", "pairs", "seed", "level",
     "rules": {"sum_threshold": {"W_q": {"formula", "simulated", "ci"}, "throughput": {"formula", "simulated", "ci"},
                                 "p_split": {"formula", "simulated", "ci"}, "rule"},
               "optimal_fixed_p": {...}, "random": {...}},
     "certificates": []}
"""

from __future__ import annotations

import argparse

from proofs.cli.options import (
    BYTES_PER_PAIR,
    integer,
    json_option,
    k_option,
    lam_option,
    mu_option,
    print_json,
    quiet_option,
    real,
    require_finite_throughput,
    require_pairs_memory,
    seed_option,
)

#: simulated pairs (measured: 1.6e7 pairs take about 100 s on a shared 2-core machine, so 5 * 10^7 take some 5 minutes)
PAIRS_MIN, PAIRS_MAX = 1000, 5 * 10**7


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("queue", parents=[lam_option(), mu_option(), k_option(), seed_option(), json_option(), quiet_option()],
                       help="W_q and E[T_B]: formulas vs simulation of the two-server system")
    p.add_argument("--p-split", type=real("--p-split", 0, 1), required=True, dest="p_split", help="split probability in [0, 1]")
    p.add_argument("--pairs", type=integer("--pairs", PAIRS_MIN, PAIRS_MAX), default=1_000_000,
                   help=f"simulated pair arrivals in [{PAIRS_MIN}, {PAIRS_MAX:,}] (about 6 s per 10^6 pairs), within the memory "
                        f"available ({BYTES_PER_PAIR} bytes per pair) (default 10^6)")
    p.add_argument("--order", choices=("random", "shorter_first", "longer_first"), default="random",
                   help="service order inside a bunched pair (default random)")
    p.set_defaults(run=run)


def _iv(args: argparse.Namespace) -> None:
    from proofs.exact.errors import ProofsParameterError

    rho = args.lam / args.mu
    if not rho < 1:
        raise ProofsParameterError(f"`rho` = lam/mu must lie in [0, 1); got {rho:g} (--lam {args.lam:g}, --mu {args.mu:g})")
    require_finite_throughput(args.lam, args.mu, args.k)
    require_pairs_memory("--pairs", args.pairs)


def run(args: argparse.Namespace) -> int:
    from games.progress import library_lines_off
    from games.system.comparison import compare_rules
    from proofs.cli.progress import for_command

    _iv(args)
    rho = args.lam / args.mu
    show = for_command(args, "queue: simulating")  # on a terminal without --json or --quiet: one line, a rule at a time
    with library_lines_off(show is not None):
        rows = compare_rules(args.lam, args.mu, args.p_split, args.k, n_pairs=args.pairs, seed=args.seed, order=args.order, on_progress=show)
    rules = {name: r.to_dict() for name, r in rows.items()}
    p = args.p_split
    if args.json:
        from proofs.cli.output import finish, measured

        print_json(finish("queue", {
            "point": {"lam": args.lam, "mu": args.mu, "rho": rho}, "p_split": p, "k": args.k, "order": args.order,
            "pairs": args.pairs, "seed": args.seed, "level": 0.99,
            "rules": {n: {"W_q": measured(r["Wq_sim"], r["Wq_ci"], formula=r["Wq_formula"]),
                          "throughput": measured(r["TB_sim"], r["TB_ci"], formula=r["TB_formula"]),
                          "p_split": measured(r["p_split_sim"], r["p_split_ci"], formula=p), "rule": r["rule"]} for n, r in rules.items()},
        }))
        return 0
    from proofs.report.folder import table

    print(f"two-server system: lambda = {args.lam:g}, mu = {args.mu:g}, rho = {rho:g}, p_split = {p:g}, "
          f"T(t) = t^{args.k:g}, order = {args.order}, {args.pairs} pairs, seed {args.seed} (99% CIs)")
    table_rows = [[n, f"{r['Wq_formula']:.5f}", f"{r['Wq_sim']:.5f} [{r['Wq_ci'][0]:.5f}, {r['Wq_ci'][1]:.5f}]",
                   f"{r['TB_formula']:.5f}", f"{r['TB_sim']:.5f} [{r['TB_ci'][0]:.5f}, {r['TB_ci'][1]:.5f}]", f"{r['p_split_sim']:.4f}"]
                  for n, r in rules.items()]
    print(table(["rule", "W_q formula", "W_q simulated", "E[T_B] formula", "E[T_B] simulated", "p_split sim"], table_rows))
    return 0
