"""``qcoord slots``: timeslotted routing of two independent Poisson streams, and whether entanglement still helps.

Each router receives its own Poisson stream, router A of rate ``--lam`` and
router B of rate ``--lam-b`` (default: equal to ``--lam``); decisions are
taken at the end of slots of length ``--tau`` (several values), one entangled
pair (or shared bit) per slot, each router routing its slot's batch with one
decision (lemmas T1-T6 of ``proofs/lemmas_system.md``).  For the ideal,
classical and quantum classes it finds the rule of largest ``E[T_B]``
(``T(t) = t^k``) meeting ``W_q <= --W-limit`` (slot delay included) within
the families of :mod:`bounds.slots`, and compares with the best classical
policy, which may route on arrival (fair coins, or shared-coin time windows).
``W_q`` of the slotted rules comes with the lattice bracket of lemma T4;
``E[T_B]`` and the window policies are estimates.  ``--simulate SLOTS``
re-simulates every chosen slotted rule (:mod:`games.system.slotted`, 99 % CIs).
``window_limit`` is the theta -> inf limit of shared-coin windows on
arrival (lemma T8, closed form, :func:`analytic.slots_limit.window_limit`):
a supremum of that classical family, not attained at finite theta.  When it
is infinite (``2 rho < 1`` and ``k > 1``, or ``2 rho > 1`` and ``k > 2``)
``throughput`` is null, ``unbounded`` true and ``reason`` says why; at
``rho = 1/2`` (critical bunched windows) the limit is not defined
(``regime`` "critical", ``param`` null).  ``--cert-dir DIR`` writes ``slot-queue-bracket`` certificates (lemma T4 (e'),
:mod:`proofs.certify.slots`) of ``W_q`` of every chosen slotted rule
(exponential and hyperexponential laws) and reports the checked bounds
under ``certified``; ``qcoord check DIR`` re-verifies them.

JSON (``--json``, schema ``proofs/cli/schemas/slots.json``)::

    {"schema", "schema_version", "point", "k", "taus", "slotted": {tau: {class: policy}}, "arrival": [policy],
     "best_classical": policy, "slotted_quantum_over_best_classical": {tau: x}, "R_k": {tau: x}, "best_tau": {class: tau},
     "R_k_simultaneous_pairs", "window_limit": {"regime", "param_name", "param", "W_q", "throughput", "unbounded", "reason",
     "feasible", "slotted_quantum_over_limit": {tau: x}}, "simulation"?, "certified"?: {tau: {class: {"lower", "upper", "certificates"} | {"note"}}},
     "certified_feasibility"?: [{"tau", "classes": {class: {"certified", "family", "W_q_upper", "throughput", ...}}, "infeasible", "note"}],
     "plot"?, "certificates": [...]}
"""

from __future__ import annotations

import argparse
import math

from proofs.cli.options import (
    RATE_MAX,
    RATE_MIN,
    cert_dir_option,
    integer,
    json_option,
    k_option,
    lam_option,
    law_option,
    mu_option,
    plot_option,
    print_json,
    quiet_option,
    real,
    real_list,
    seed_option,
    w_limit_option,
)

#: simulated slots per slot length and class (measured: 3 * 10^5 slots take about 0.3 s)
SLOTS_MIN, SLOTS_MAX = 1000, 10**7
#: slot lengths accepted
TAU_MIN, TAU_MAX = 0.01, 50.0


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("slots", parents=[lam_option(), mu_option(), w_limit_option(), k_option(), law_option("service-time law (the first is used)"),
                                         seed_option(), json_option(), quiet_option(), plot_option("write E[T_B] and the ratio against tau"),
                                         cert_dir_option()],
                       help="timeslotted routing of two independent streams: ideal, classical and entangled routers vs route-on-arrival")
    p.add_argument("--lam-b", type=real("--lam-b", RATE_MIN, RATE_MAX), default=None, metavar="LAM_B",
                   help=f"arrival rate of router B's stream in [{RATE_MIN:g}, {RATE_MAX:g}] (default: --lam, equal streams); "
                        "rho = (lam + lam_b) E[X] / 2 per server")
    p.add_argument("--tau", type=real_list("--tau", TAU_MIN, TAU_MAX), default=[0.25, 0.5, 1.0, 2.0],
                   help=f"slot lengths, comma-separated, each in [{TAU_MIN:g}, {TAU_MAX:g}] (default 0.25,0.5,1,2)")
    p.add_argument("--simulate", type=integer("--simulate", SLOTS_MIN, SLOTS_MAX), default=None, metavar="SLOTS",
                   help=f"also simulate every chosen slotted rule with SLOTS slots, SLOTS in [{SLOTS_MIN}, {SLOTS_MAX:,}]")
    p.add_argument("--h", type=real("--h", 0.005, 0.5), default=0.05,
                   help="lattice step of the work (the bracket of W_q is O(h) wide), in [0.005, 0.5] (default 0.05)")
    p.add_argument("--certify-h", type=real("--certify-h", 0.005, 0.5), default=None, metavar="H",
                   help="certified feasibility on the lattice H in [0.005, 0.5] (e.g. 0.0078125; about a minute per class and slot length "
                        "at rho = 0.6): the estimate-optimal family searched again against a checked W_q <= W_limit certificate, or always "
                        "split's checked lower bound where no rule meets the limit (certificates in --cert-dir if given)")
    p.set_defaults(run=run)


def _point(args: argparse.Namespace):  # noqa: ANN202
    from analytic.laws.service import ServiceLaw
    from bounds.slots import slot_point
    from proofs.exact.errors import ProofsParameterError

    if not args.W_limit > 0:
        raise ProofsParameterError(f"`--W-limit` must be > 0 for timeslotted routing; got {args.W_limit!r}")
    law = ServiceLaw.named(args.law[0]) if args.law else ServiceLaw.exponential(args.mu)
    lam_b = args.lam if args.lam_b is None else args.lam_b
    rho = (args.lam + lam_b) / 2 * law.mean
    if not rho < 1:
        raise ProofsParameterError(f"`rho` = (lam + lam_b) E[X] / 2 must be < 1 for a stable system; got {rho:g} (--lam {args.lam:g}, "
                                   f"--lam-b {lam_b:g}, E[X] = {law.mean:g})")
    return slot_point(args.lam, args.W_limit, lam_b=lam_b, law=law, k=args.k, h=args.h)


def run(args: argparse.Namespace) -> int:
    from bounds.slots import compare_slots
    from proofs.cli.progress import for_command

    pt = _point(args)
    taus = tuple(args.tau)
    prog = for_command(args, "slots")
    if prog:
        prog(0, 1, "solving the classes at every tau")
    cmp = compare_slots(pt, taus, seed=args.seed, thetas=(2.0, 4.0, 8.0, 16.0))
    if prog:
        prog(1, 1)
    body = cmp.to_dict()
    body = {"point": body.pop("point"), "k": pt.k, **body}
    body["window_limit"] = _window_limit(cmp)
    if args.simulate is not None:
        body["simulation"] = _simulate(cmp, pt, args.simulate, args.seed)
    if args.cert_dir is not None:
        body["certified"] = _certify(cmp, pt, args.cert_dir, prog)
    if args.certify_h is not None:
        from proofs.certify.slots import certify_comparison

        if prog:
            prog(0, 1, f"certified feasibility on the lattice h = {args.certify_h:g}")
        body["certified_feasibility"] = [cs.to_dict() for cs in certify_comparison(cmp, h=args.certify_h, cert_dir=args.cert_dir)]
        if prog:
            prog(1, 1)
    if args.plot:
        from bounds.slots import plot_slots

        body["plot"] = plot_slots(cmp, args.plot)
    if args.json:
        from proofs.cli.output import finish

        print_json(finish("slots", body))
        return 0
    _print(cmp, body)
    return 0


def _window_limit(cmp) -> dict:  # noqa: ANN001
    """The theta -> inf limit of shared-coin windows (lemma T8) as JSON: an unbounded limit is ``throughput`` null, ``unbounded`` true."""
    from analytic.slots_limit import window_limit

    pt = cmp.point
    if pt.rho == 0.5:
        return {"regime": "critical", "param_name": None, "param": None, "W_q": None, "throughput": None, "unbounded": False,
                "reason": "rho = 1/2: a bunched window is a critical queue; the long-window limit is not defined (lemma T8 (c))",
                "feasible": None, "slotted_quantum_over_limit": {str(t): None for t in cmp.taus}}
    lim = window_limit(pt.lam_s, pt.law, pt.W_limit, k=pt.k)
    tb = lim.tb
    unbounded = math.isinf(tb)
    if unbounded and lim.regime == "mixture":
        reason = (f"2 rho = {2 * pt.rho:g} < 1 and k = {pt.k:g} > 1: E[T_B] grows like theta^(k-1) at the bunched fraction "
                  f"f = {lim.param:.6g} > 0 that meets W_limit (lemma T8 (a))")
    elif unbounded:
        reason = f"2 rho = {2 * pt.rho:g} > 1 and k = {pt.k:g} > 2: E[T_B] grows like theta^(k-2) at c = theta f = {lim.param:.6g} (lemma T8 (b))"
    else:
        reason = "finite limit (lemma T8), approached from below as the windows lengthen, not attained"
    ratio: dict[str, float | None] = {}
    for t in cmp.taus:
        q = cmp.slotted[t]["quantum"]
        ratio[str(t)] = None if not (q.feasible and lim.feasible) else (0.0 if unbounded else q.tb / tb)
    return {"regime": lim.regime, "param_name": lim.param_name, "param": lim.param, "W_q": lim.wq, "throughput": None if unbounded else tb,
            "unbounded": unbounded, "reason": reason, "feasible": lim.feasible, "slotted_quantum_over_limit": ratio}


def _simulate(cmp, pt, slots: int, seed: int) -> dict:  # noqa: ANN001
    from bounds.slot_work import rule_correlation
    from games.system.slotted import simulate_slotted

    out: dict = {"slots": slots, "seed": seed, "level": 0.99, "common_random_numbers": True, "rows": []}
    for t in cmp.taus:
        for m, pol in cmp.slotted[t].items():
            if pol.rule is None:
                continue
            h = t / pt.m(t)

            def corr(ka, kb, rule=pol.rule, h=h):  # noqa: ANN001, ANN202
                return rule_correlation(rule, ka, kb, h)

            r = simulate_slotted(corr, pt.lam_a, pt.lam_b, pt.law, tau=t, m=pt.m(t), n_slots=slots, seed=seed)
            tb, ci = r.throughput(pt.k)
            out["rows"].append({"tau": t, "class": m, "W_q": {"simulated": r.wq, "ci": list(r.wq_ci), "bracket": [pol.wq_lo, pol.wq_hi]},
                                "throughput": {"simulated": tb, "ci": list(ci), "computed": pol.tb},
                                "consistent": bool(r.wq_ci[0] <= pol.wq_hi and pol.wq_lo <= r.wq_ci[1] and ci[0] <= pol.tb <= ci[1])})
    return out


def _certify(cmp, pt, cert_dir: str, prog) -> dict:  # noqa: ANN001
    """Checked ``W_q`` bounds of every chosen slotted rule, or the reason there is none."""
    from proofs.certify.slots import certify_policy
    from proofs.exact.errors import QcoordError

    jobs = [(t, m, pol) for t in cmp.taus for m, pol in cmp.slotted[t].items() if pol.rule is not None]
    out: dict = {}
    for i, (t, m, pol) in enumerate(jobs):
        if prog:
            prog(i, len(jobs), f"certifying W_q: tau = {t:g}, {m}")
        model = "quantum" if pol.model == "quantum" else m
        try:
            out.setdefault(str(t), {})[m] = certify_policy(pt, t, pol.rule, model, cert_dir).to_dict()
        except QcoordError as exc:
            out.setdefault(str(t), {})[m] = {"note": f"not certified: {exc}"}
    if prog:
        prog(len(jobs), len(jobs))
    return out


def _print(cmp, body: dict) -> None:  # noqa: ANN001
    from proofs.report.folder import table

    pt = cmp.point
    print(f"timeslotted routing: lam_A = {pt.lam_a:g}, lam_B = {pt.lam_b:g}, rho = {pt.rho:g}, W_limit = {pt.W_limit:g} "
          f"(route-on-arrival fair coins wait {pt.W_arrival:.4g}), T(t) = t^{pt.k:g}, lattice h = {pt.h:g}")
    rows = []
    for t in cmp.taus:
        for m, p in cmp.slotted[t].items():
            rows.append([f"{t:g}", m, p.family, f"[{p.wq_lo:.4f}, {p.wq_hi:.4f}]", "yes" if p.feasible else "no", f"{p.tb:.5f}",
                         f"{p.p_split:.3f}", f"{p.p_coord:.3f}"])
    print(table(["tau", "class", "family", "W_q bracket", "meets W_l", "E[T_B] est.", "p_split (coord.)", "P(coord.)"], rows))
    for p in cmp.arrival:
        print(f"route on arrival, {p.family}: E[T_B] = {p.tb:.5f}, W_q {p.criterion} [{p.wq_lo:.4f}, {p.wq_hi:.4f}] {p.params}"
              f"{'' if p.feasible else ' (misses W_l)'}")
    b = cmp.best_classical
    print(f"best classical: {b.family} {b.params} E[T_B] = {b.tb:.5f}")
    for t in cmp.taus:
        r = cmp.ratio[t]
        print(f"tau = {t:g}: slotted quantum / best classical = {'-' if math.isnan(r) else f'{r:.4f}'}"
              f"  ->  R_k(tau) = {'-' if math.isnan(r) else f'{max(1.0, r):.4f}'}")
    wl = body["window_limit"]
    if wl["param"] is None:
        print(f"shared-coin windows, theta -> inf: {wl['reason']}")
    else:
        tbw = "unbounded" if wl["unbounded"] else f"{wl['throughput']:.5f}"
        print(f"shared-coin windows, theta -> inf (lemma T8, {wl['regime']}, {wl['param_name']} = {wl['param']:.4g}): E[T_B] -> {tbw}, "
              f"W_q -> {wl['W_q']:.4f}{'' if wl['feasible'] else ' (misses W_l)'}; {wl['reason']}")
    pr = cmp.pair_ratio
    print(f"best tau per class: {body['best_tau']}; simultaneous-pair R_k at this point = {'-' if pr is None else f'{pr:.4f}'}")
    sim = body.get("simulation")
    if sim:
        ok = all(r["consistent"] for r in sim["rows"])
        print(f"simulation ({sim['slots']} slots per rule, 99 % CIs): {'every' if ok else 'NOT every'} rule consistent with the bracket and E[T_B]")
    for t, row in body.get("certified", {}).items():
        for m, c in row.items():
            what = c["note"] if "note" in c else f"W_q in [{c['lower']:.6f}, {c['upper']:.6f}] (certified, {len(c['certificates'])} certificates)"
            print(f"tau = {t}, {m}: {what}")
    for row in body.get("certified_feasibility", []):
        if row["infeasible"] is not None:
            inf = row["infeasible"]
            verdict = "no slot rule meets W_limit" if inf["no_slot_rule_meets_W_limit"] else "undecided"
            print(f"tau = {row['tau']:g}: always split W_q >= {inf['W_q_lower_always_split']:.6f} (certified): {verdict} (lemma T7 (b))")
        for m, c in row["classes"].items():
            if c["certified"]:
                print(f"tau = {row['tau']:g}, {m}: certified feasible at h = {c['h']:g} ({c['family']}): W_q <= {c['W_q_upper']:g} "
                      f"(enclosure {c['W_q_enclosure_upper']:.6f}), E[T_B] estimate {c['throughput']:.5f}"
                      + (f", certified in [{c['throughput_certified'][0]:.5f}, {c['throughput_certified'][1]:.5f}]"
                         if c.get("throughput_certified") else ""))
            else:
                print(f"tau = {row['tau']:g}, {m}: not certified ({c['note']})")
    if "plot" in body:
        print(f"plot: {body['plot']}")
