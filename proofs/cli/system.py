"""``qcoord system``: the smallest ``p_split`` of ideal, classical and entangled routers at ``W_q <= W_limit``.

Exponential service of rate ``--mu``, pair rate ``--lam``, ``T(t) = t^k``.
The exact route gives certified brackets of ``p_c`` and ``p_q`` (certificates
written under ``--cert-dir`` and verified by :mod:`proofs.checkers.system_dual` and
:mod:`proofs.checkers.system_strategy`); the
proxy route designs the routers with the paper's game and reports pure and
shared-coin (mixed) estimates and their loss.

JSON (``--json``, schema ``proofs/cli/schemas/system.json``; the shared
pieces are those of :mod:`proofs.cli.output`): ``point``, ``k``,
``routes.exact.{p_split, throughput, W_q, nu, p_split_dual_estimate, R_k,
throughput_ratio, gap_closed, p_split_certified.{classical, quantum}
(brackets), quantum_beats_classical_certified, strategies, note}``, the same
under ``routes.proxy`` (estimates only: ``p_split`` etc. are the pure
values, one ``C_t`` per class, with ``C_t`` and ``loss_vs_exact``;
``mixed.{p_split, W_q, throughput, R_k, throughput_ratio, gap_closed,
mixture, loss_vs_exact}`` the shared-coin values; ``evaluations``,
``search``), ``simulation.{W_q, p_split, throughput}`` (per class, each
``{"simulated", "ci", "computed"}``) with ``--simulate``, ``certificates``.
"""

from __future__ import annotations

import argparse

from proofs.cli.options import (
    BYTES_PER_PAIR,
    cert_dir_option,
    integer,
    json_option,
    plot_option,
    print_json,
    quiet_option,
    require_finite_throughput,
    require_pairs_memory,
    require_system_point,
    seed_option,
    system_options,
)

#: simulated pairs: at least 1000, at most PAIRS_MAX (measured: 10^6 pairs take 5-9 s on a shared 2-core machine,
#: so 5 * 10^7 pairs take some 5-8 minutes), and within the memory available (:func:`require_pairs_memory`)
PAIRS_MIN, PAIRS_MAX = 1000, 5 * 10**7


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("system", parents=[*system_options(), seed_option(), json_option(), quiet_option(), cert_dir_option(), plot_option("write the p_split vs W_q frontier and R_k vs W_limit")],
                       help="p_split and baseline throughput of ideal, classical and entangled routers at a waiting-time limit")
    p.add_argument("--route", choices=("exact", "proxy", "both"), default="exact", help="exact (continuum, certified), proxy (paper's game) or both")
    p.add_argument("--simulate", type=integer("--simulate", PAIRS_MIN, PAIRS_MAX), default=None, metavar="PAIRS",
                   help=f"also simulate the three classes with PAIRS pairs (common random numbers), PAIRS in [{PAIRS_MIN}, {PAIRS_MAX:,}] "
                        f"(5-9 s per 10^6 pairs) and within the memory available ({BYTES_PER_PAIR} bytes per pair)")
    p.set_defaults(run=run)


def _iv(args: argparse.Namespace) -> None:
    require_system_point(args.lam, args.mu, args.W_limit)
    require_finite_throughput(args.lam, args.mu, args.k)
    if args.simulate is not None:
        require_pairs_memory("--simulate", args.simulate)


def _print_proxy(r: dict, table) -> None:  # noqa: ANN001
    """The proxy route: pure (one C_t per class) and mixed (shared coin over two C_t) values side by side."""
    mx = r["mixed"]

    def mixture(m: str) -> str:
        return " + ".join(f"{c['weight']:.3f} x C_t {c['C_t']:.6f}" for c in mx["mixture"][m])

    rows = [["ideal", f"{r['p_split']['ideal']:.10f}", "-", "-", "-"]]
    rows += [[m, f"{r['p_split'][m]:.10f}", f"{r['C_t'][m]:.6f}" if r["C_t"][m] is not None else "-", f"{mx['p_split'][m]:.10f}", mixture(m)]
             for m in ("classical", "quantum")]
    print("\nroute proxy (the paper's game designs the routers, C_t tuned to meet W_limit; estimates, not certified bounds):")
    print(table(["class", "p_split pure", "C_t", "p_split mixed", "shared-coin mixture"], rows))
    for label, d in (("pure (one C_t per class)", r), ("mixed (shared coin over two C_t)", mx)):
        rk = f"{d['R_k']:.6f}" if d["R_k"] is not None else "-"
        gap = f"{100 * d['gap_closed']:.1f} %" if d["gap_closed"] is not None else "-"
        pc, pq = d["p_split"]["classical"], d["p_split"]["quantum"]
        win = "entangled routers split less" if pq < pc else "classical routers split less" if pc < pq else "both split equally"
        line = f"{label}: R_k = {rk}; {win}; entanglement closes {gap} of the classical-to-ideal gap"
        if "loss_vs_exact" in d:
            line += f"; loss vs exact: classical {d['loss_vs_exact']['classical']:+.2e}, quantum {d['loss_vs_exact']['quantum']:+.2e}"
        print(line)


def _route_json(r, k: float) -> dict:  # noqa: ANN001
    """One route of :class:`proofs.certify.system.RouteResult` in the shared vocabulary."""
    from proofs.cli.output import bracket, r_k

    extra = dict(r.extra)
    d: dict = {"p_split": r.p_split, "throughput": r.throughput, "W_q": extra.pop("W_q", {}),
               "R_k": r_k(k, r.R_k, extra.pop("R_k_lower", None)), "throughput_ratio": r.throughput_ratio, "gap_closed": r.gap_closed}
    if r.brackets:
        d["p_split_certified"] = {m: bracket(b) for m, b in r.brackets.items()}
    if "estimate" in extra:
        extra["note"] = extra.pop("estimate")
    extra.pop("p_split_mixed", None)  # the same numbers as mixed.p_split
    if "mixed" in extra:
        mx = dict(extra.pop("mixed"))
        mx["R_k"] = r_k(k, mx.pop("R_k"), None)
        d["mixed"] = mx
    d.update(extra)
    d["strategies"] = r.strategies
    return d


def _simulation_json(s: dict) -> dict:
    from proofs.cli.output import measured

    cl = s["classes"]
    return {"pairs": s["pairs"], "seed": s["seed"], "level": s["level"], "common_random_numbers": s["common_random_numbers"],
            "W_q": {m: measured(c["W_q"], c["W_q_ci"], computed=c["W_q_computed"]) for m, c in cl.items()},
            "p_split": {m: measured(c["p_split"], c["p_split_ci"], computed=c["p_split_computed"]) for m, c in cl.items()},
            "throughput": {m: measured(c["throughput"], c["throughput_ci"], computed=c["throughput_computed"]) for m, c in cl.items()},
            "consistent": {m: {"W_q": c["W_q_ok"], "p_split": c["p_split_in_ci"], "throughput": c["throughput_in_ci"]} for m, c in cl.items()}
            | {"throughput_ratio": s["ratio_consistent"]},
            "throughput_ratio": measured(s["throughput_ratio"], s["throughput_ratio_interval"], computed=s["throughput_ratio_computed"])}


def system_json(res, k: float, plot: str | None = None) -> dict:  # noqa: ANN001
    """The ``--json`` object of ``qcoord system`` (schema ``system.json``)."""
    from proofs.cli.output import finish

    routes = {name: _route_json(r, k) for name, r in (("exact", res.exact), ("proxy", res.proxy)) if r is not None}
    body: dict = {"point": dict(res.point), "k": k, "routes": routes}
    if res.simulation is not None:
        body["simulation"] = _simulation_json(res.simulation)
    if plot is not None:
        body["plot"] = plot
    body["seconds"] = res.seconds
    return finish("system", body)


def run(args: argparse.Namespace) -> int:
    from proofs.certify.system import system_result

    _iv(args)
    from games.progress import library_lines_off
    from proofs.cli.progress import for_command

    show = for_command(args, "system") if args.simulate is not None else None  # the simulation's classes, on a terminal
    with library_lines_off(show is not None):
        res = system_result(args.lam, args.W_limit, args.k, mu=args.mu, route=args.route, cert_dir=args.cert_dir,
                            simulate_pairs=args.simulate, seed=args.seed, on_progress=show)
    out = res.to_dict()
    if args.plot:
        from bounds.system_plots import plot_frontier
        from bounds.system_point import operating_point

        out["plot"] = str(plot_frontier(operating_point(args.lam, args.W_limit, mu=args.mu), args.plot))
    if args.json:
        print_json(system_json(res, args.k, out.get("plot")))
        return 0
    from proofs.cli.output import bracket, trivial_note
    from proofs.report.folder import table

    pt = res.point
    print(f"two-server system: lambda = {pt['lam']:g}, mu = {pt['mu']:g}, rho = {pt['rho']:g}, W_limit = {pt['W_limit']:g} "
          f"(always split {pt['W_split']:.6g}, always bunch {pt['W_bunch']:.6g}), T(t) = t^{args.k:g}")
    for name, r in out["routes"].items():
        if name == "proxy":
            _print_proxy(r, table)
            continue
        rows = [[m, f"{r['p_split'][m]:.10f}", f"{r['throughput'][m]:.6g}"] for m in ("ideal", "classical", "quantum")]
        cert = r.get("certified")
        if cert:
            brackets = res.exact.brackets if name == "exact" and res.exact is not None else {}
            for row, m in zip(rows[1:], ("classical", "quantum")):
                note = trivial_note(bracket(brackets[m])) if m in brackets else ""
                row.append(f"[{cert[f'{m}_p_split_lower']:.10f}, {cert[f'{m}_p_split_upper']:.10f}]{note}")
            rows[0].append("(formula)")
        print(f"\nroute {name}:")
        print(table(["class", "p_split", "E[T_B]"] + (["certified p_split bracket"] if cert else []), rows))
        gap = f"{100 * r['gap_closed']:.1f} %" if r["gap_closed"] is not None else "-"
        rk = f"{r['R_k']:.6f}" if r["R_k"] is not None else "-"
        line = f"R_k = {rk}; entanglement closes {gap} of the classical-to-ideal gap"
        if cert and cert.get("R_k_lower") is not None:
            line += f"; certified R_k >= {cert['R_k_lower']:.6f}"
        print(line)
        if cert:
            print("certificates:", cert["classical_p_split_lower_certificate"], cert["quantum_p_split_upper_certificate"])
    if res.simulation:
        s = res.simulation
        print(f"\nsimulation ({s['pairs']} pairs, seed {s['seed']}, common random numbers, {100 * s['level']:.0f} % CIs):")
        rows = [[m, f"{c['W_q']:.4f} [{c['W_q_ci'][0]:.4f}, {c['W_q_ci'][1]:.4f}]", f"{c['p_split']:.4f} [{c['p_split_ci'][0]:.4f}, {c['p_split_ci'][1]:.4f}]",
                 f"{c['throughput']:.4f} [{c['throughput_ci'][0]:.4f}, {c['throughput_ci'][1]:.4f}]"] for m, c in s["classes"].items()]
        print(table(["class", "W_q", "p_split", "E[T_B]"], rows))
        print(f"throughput ratio quantum/classical {s['throughput_ratio']:.4f} in [{s['throughput_ratio_interval'][0]:.4f}, {s['throughput_ratio_interval'][1]:.4f}] "
              f"(computed {s['throughput_ratio_computed']:.4f})")
    if args.plot:
        print(f"frontier plot: {out['plot']}")
    return 0
