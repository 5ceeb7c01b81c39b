"""``qcoord queue``: formula vs simulation of W_q and E[T_B] for three routing rules.

For the sum-threshold rule, the optimal fixed-p rule (Theorem 4.1 analysis)
and random routing, all at the same ``p_split``, print the formula values
(:mod:`analytic`) and the simulated estimates with 99 % confidence intervals
(:mod:`games.system`).  Exponential service, ``T(t) = t^k``.

JSON (``--json``)::

    {"lam", "mu", "rho", "p_split", "k", "order", "pairs", "seed",
     "rules": {"sum_threshold": {"Wq_formula", "Wq_sim", "Wq_ci", "TB_formula", "TB_sim", "TB_ci",
                                 "p_split_sim", "p_split_ci", "rule"},
               "optimal_fixed_p": {...}, "random": {...}}}
"""

from __future__ import annotations

import argparse
import json
import math

from analytic.errors import AnalyticParameterError


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("queue", help="W_q and E[T_B]: formulas vs simulation of the two-server system")
    p.add_argument("--lam", type=float, required=True, help="pair arrival rate lambda > 0")
    p.add_argument("--mu", type=float, default=1.0, help="exponential service rate mu > 0 (default 1)")
    p.add_argument("--p-split", type=float, required=True, dest="p_split", help="split probability in [0, 1]")
    p.add_argument("--k", type=float, default=2.0, help="baseline output T(t) = t^k, k >= 0 (default 2)")
    p.add_argument("--pairs", type=int, default=1_000_000, help="simulated pair arrivals (default 10^6)")
    p.add_argument("--seed", type=int, default=0, help="simulation seed (default 0)")
    p.add_argument("--order", choices=("random", "shorter_first", "longer_first"), default="random",
                   help="service order inside a bunched pair (default random)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(run=run)


def _iv(args: argparse.Namespace) -> None:
    for name in ("lam", "mu"):
        v = getattr(args, name)
        if not (math.isfinite(v) and v > 0):
            raise AnalyticParameterError(f"`--{name}` must be a positive finite rate; got {v}")
    if not args.lam / args.mu < 1:
        raise AnalyticParameterError(f"`rho` = lam/mu must lie in [0, 1); got {args.lam / args.mu:g}")
    if not 0.0 <= args.p_split <= 1.0:
        raise AnalyticParameterError(f"`--p-split` must lie in [0, 1]; got {args.p_split}")
    if not (math.isfinite(args.k) and args.k >= 0):
        raise AnalyticParameterError(f"`--k` must be a finite number >= 0; got {args.k}")
    if args.pairs < 1000:
        raise AnalyticParameterError(f"`--pairs` must be an integer >= 1000; got {args.pairs}")
    if args.seed < 0:
        raise AnalyticParameterError(f"`--seed` must be >= 0; got {args.seed}")


def run(args: argparse.Namespace) -> int:
    from analytic.laws import ServiceLaw
    from analytic.optimal import optimal_fixed_p_rule, threshold_for_p_split
    from analytic.rules import RandomRule, SumThresholdRule
    from analytic.throughput import throughput_monomial
    from analytic.waiting import waiting_time
    from games.system import IdealRouting, RandomRouting, simulate

    _iv(args)
    law = ServiceLaw.exponential(args.mu)
    p = args.p_split
    t = threshold_for_p_split(law, p)
    routings = {
        "sum_threshold": IdealRouting(SumThresholdRule(t)) if math.isfinite(t) else RandomRouting(0.0),
        "optimal_fixed_p": IdealRouting(optimal_fixed_p_rule(args.lam, law, p, args.order)),
        "random": RandomRouting(p),
    }
    rules = {}
    for name, routing in routings.items():
        rule = routing.rule()
        sim = simulate(routing, lam=args.lam, mu=args.mu, n_pairs=args.pairs, seed=args.seed, order=args.order)
        tb, tb_ci = sim.throughput(args.k)
        rules[name] = {
            "Wq_formula": waiting_time(rule, law, args.lam, args.order), "Wq_sim": sim.wq, "Wq_ci": list(sim.wq_ci),
            "TB_formula": throughput_monomial(args.lam, law.mean, rule.moments(law).p_split, args.k), "TB_sim": tb, "TB_ci": list(tb_ci),
            "p_split_sim": sim.p_split, "p_split_ci": list(sim.p_split_ci),
            "rule": rule.describe() if not isinstance(rule, RandomRule) or name == "random" else {"rule": "always_bunch"},
        }
    out = {"lam": args.lam, "mu": args.mu, "rho": args.lam / args.mu, "p_split": p, "k": args.k, "order": args.order,
           "pairs": args.pairs, "seed": args.seed, "level": 0.99, "rules": rules}
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    from proofs.report import table

    print(f"two-server system: lambda = {args.lam:g}, mu = {args.mu:g}, rho = {out['rho']:g}, p_split = {p:g}, "
          f"T(t) = t^{args.k:g}, order = {args.order}, {args.pairs} pairs, seed {args.seed} (99% CIs)")
    rows = [[n, f"{r['Wq_formula']:.5f}", f"{r['Wq_sim']:.5f} [{r['Wq_ci'][0]:.5f}, {r['Wq_ci'][1]:.5f}]",
             f"{r['TB_formula']:.5f}", f"{r['TB_sim']:.5f} [{r['TB_ci'][0]:.5f}, {r['TB_ci'][1]:.5f}]", f"{r['p_split_sim']:.4f}"]
            for n, r in rules.items()]
    print(table(["rule", "W_q formula", "W_q simulated", "E[T_B] formula", "E[T_B] simulated", "p_split sim"], rows))
    return 0
