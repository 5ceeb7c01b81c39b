"""Claim check for the conjecture (Sec. 3 and 5) that timeslotting routing decisions preserves the quantum advantage."""

from __future__ import annotations

import math
from pathlib import Path

from proofs.claims.claim import ClaimResult, Finding, Status

__all__ = ["H_CERT", "check_timeslotting"]

#: lattice step of certified feasibility (W_q bracket about 2 h above the true value: 1/128 certifies rho = 0.6 at 1.1 W_0, tau = 0.25)
H_CERT = 1.0 / 128


def _tb_interval(p) -> tuple[float, float]:  # noqa: ANN001
    """``E[T_B]`` of a policy as an interval: its lattice bracket, its simulated CI, or the closed form (both ends)."""
    if p.tb_bracket is not None:
        return p.tb_bracket
    if p.tb_ci is not None:
        return p.tb_ci
    return p.tb, p.tb


def _cf_interval(cf) -> tuple[float, float]:  # noqa: ANN001
    """``E[T_B]`` of a certified-feasible rule: the checked interval of its certificate (lemma T5 (c)), else the float bracket."""
    return cf.tb_certified if cf.tb_certified is not None else _tb_interval(cf.policy)


def _ratio_interval(q, best, q_iv: tuple[float, float] | None = None) -> tuple[float, float]:  # noqa: ANN001
    q_lo, q_hi = q_iv if q_iv is not None else _tb_interval(q)
    b_lo, b_hi = _tb_interval(best)
    if math.isinf(b_lo):
        return 0.0, 0.0
    return q_lo / b_hi, q_hi / b_lo


def _certified_feasibility(pt, cmp, best, h_cert: float, classes: tuple[str, ...], cert_dir: Path, findings: list, feas: list[str], *,  # noqa: ANN001
                           steps: int) -> list[dict]:
    """Per slot length: the certified-feasible rule of each class (or the certified infeasibility of every slot rule) as findings."""
    from proofs.certify.slots import certify_comparison

    rows = []
    for cs in certify_comparison(cmp, h=h_cert, classes=classes, steps=steps, cert_dir=cert_dir):
        t = cs.tau
        at = f"rho = {pt.rho:g}, W_l = {pt.W_limit:.4g}, tau = {t:g}, lattice h = {h_cert:g}"
        row = cs.to_dict()
        rows.append(row)
        if cs.infeasible is not None:
            inf = cs.infeasible
            findings.append(Finding.certified_by(inf.lower, target=f"W_q of always split (least W_q of every slot rule, lemma T7 (b)), {at}"))
            feas.append(f"rho {pt.rho:g}, tau {t:g}: " + (f"no slot rule meets W_l (certified W_q >= {float(inf.lower):.4f})" if inf.infeasible
                                                          else f"undecided (always split W_q >= {float(inf.lower):.4f} only)"))
            continue
        parts = []
        for m, cf in cs.classes.items():
            e = cmp.slotted[t][m]
            row["classes"][m]["estimate_optimal"] = {"family": e.family, "throughput": e.tb, "W_q": [e.wq_lo, e.wq_hi]}
            if not cf.certified:
                parts.append(f"{m} not certified ({cf.note})")
                continue
            findings.append(Finding.certified_by(upper=cf.upper, target=f"W_q of the certified-feasible slotted {m} rule ({cf.policy.family}), {at}",
                                                 estimate=cf.policy.wq_est))
            row["classes"][m]["throughput_bracket"] = list(_tb_interval(cf.policy))
            lo, hi = _cf_interval(cf)
            if cf.tb_certified is not None:  # checked by the same certificate (lemma T5 (c))
                row["classes"][m]["throughput_certified"] = [lo, hi]
                # the interval is checked as the optional `throughput` claim of the W_q certificate; claims.json binds a certified
                # record to a certificate's primary bound (W_q) only, so it is recorded here as numbers, not as a certified record
                what = (f"E[T_B] of the certified-feasible slotted {m} rule ({cf.policy.family}), {at} (interval checked by "
                        "the W_q <= W_l certificate's throughput claim, lemma T5 (c))")
            else:
                what = f"E[T_B] of the certified-feasible slotted {m} rule, {at} (estimate, lattice bracket)"
            findings.append(Finding(what, estimate=cf.policy.tb, lower=lo, upper=hi))
            findings.append(Finding(f"price of certification: E[T_B] estimate-optimal - certified-feasible, slotted {m}, {at}",
                                    estimate=e.tb - cf.policy.tb))
            parts.append(f"{m} {cf.policy.tb:.4f} in [{lo:.4f}, {hi:.4f}] (estimate-optimal {e.tb:.4f})")
        q, c = cs.classes.get("quantum"), cs.classes.get("classical")
        if q is not None and q.certified:
            r_lo, r_hi = _ratio_interval(q.policy, best, _cf_interval(q))
            findings.append(Finding(f"E[T_B] certified-feasible slotted quantum / best classical ({best.family}), {at}"
                                    + (" (certified E[T_B] over the classical value)" if q.tb_certified is not None else ""),
                                    estimate=q.policy.tb / best.tb, lower=r_lo, upper=r_hi, unit="ratio"))
            row["ratio_to_best_classical"] = [r_lo, r_hi]
            verdict = "loses to the best classical" if r_hi < 1 else "beats the best classical" if r_lo > 1 else "undecided against the best classical"
            if c is not None and c.certified:
                (ql, qh), (cl, ch) = _cf_interval(q), _cf_interval(c)
                verdict += ("; beats classical slotted" if ql > ch else "; ties or loses to classical slotted" if qh <= cl
                            else "; undecided against classical slotted (E[T_B] brackets overlap)")
            row["verdict"] = verdict
            parts.append(verdict)
        feas.append(f"rho {pt.rho:g}, tau {t:g}: " + ", ".join(parts))
    return rows


def check_timeslotting(*, quick: bool, cert_dir: Path) -> ClaimResult:
    """Two independent Poisson streams, slotted decisions (lemmas T1-T8): slotted quantum vs the best classical policy.

    At the paper's operating point (rho = 0.6, W_l = 1.1 x the route-on-arrival
    wait, ``T = t^2``; with ``quick=False`` also rho = 0.3 and 0.8) and slot
    lengths tau, :func:`bounds.slots.compare_slots` finds the best rule of each
    class and the best classical policy, which may route on arrival (fair coins;
    shared-coin windows).  Status ``partly`` when entangled slotted routers beat
    classical *slotted* routers somewhere but never the best classical policy;
    ``proved`` if they beat the best classical policy somewhere; ``refuted`` if
    they beat neither anywhere.  ``W_q`` of every feasible slotted rule is
    certified (``slot-queue-bracket`` certificates in ``cert_dir``, lemma T4
    (e'); findings "W_q of the slotted ... rule"), so whether the rule meets
    ``W_l`` is proved where the certified upper end is below it.  Since the
    estimate-optimal rule sits at ``W_l``, certified feasibility searches its
    family again on the lattice :data:`H_CERT` against a checked certificate
    ``W_q <= W_l`` (lemma T4 (f); findings "certified-feasible", with the
    price of certification in ``E[T_B]``), and where no rule meets ``W_l`` by
    estimate, always split's checked lower bound above ``W_l`` proves that no
    slot rule does (lemma T7 (b)).  ``E[T_B]`` of a certified-feasible rule
    is certified by the same certificate (an interval, lemma T5 (c)); of the
    other slotted rules it comes with the lattice bracket of lemma T5 (b)
    (floats), so each ratio is reported as an interval; the window policies
    stay estimates, so the status is unchanged by the certificates (never
    ``proved``).
    """
    from analytic.laws.service import ServiceLaw
    from bounds.slots import compare_slots, route_on_arrival_limit, slot_point
    from proofs.certify.slots import certify_policy

    rhos = (0.6,) if quick else (0.3, 0.6, 0.8)
    taus = (0.25, 0.5) if quick else (0.25, 0.5, 1.0, 2.0)
    h = 0.1 if quick else 0.05
    thetas = (4.0, 16.0) if quick else (2.0, 4.0, 8.0, 16.0)
    # certified feasibility (lemma T4 (e')): the estimate-optimal rule's family searched again on a finer lattice against the
    # certified upper end of W_q; the ideal class (outside the verdict) only in the full run
    h_cert = H_CERT
    cert_classes = ("classical", "quantum") if quick else ("ideal", "classical", "quantum")
    law = ServiceLaw.exponential(1.0)
    rows, findings = [], []
    ratios: list[float] = []
    unbounded: list[float] = []  # rho where the window family's E[T_B] is unbounded (lemma T8, 2 rho < 1)
    beats_slotted = beats_best = False
    n_cert = n_meets = 0
    feas: list[str] = []  # one line per point and slot length: the certified verdicts
    for rho in rhos:
        W0 = rho / (1 - rho)
        pt = slot_point(rho, 1.1 * W0, law=law, k=2.0, h=h)
        cmp = compare_slots(pt, taus, steps=6 if quick else 8, thetas=thetas)
        row = cmp.to_dict()
        best = cmp.best_classical
        # lemma T8: shared-coin windows as theta -> inf (closed form); the supremum of the window family, never attained
        lim = route_on_arrival_limit(pt)
        if lim.feasible and math.isinf(lim.tb):
            unbounded.append(rho)
        elif lim.feasible:
            findings.append(Finding(f"E[T_B] of shared-coin windows on arrival as theta -> inf (lemma T8, closed form), rho = {rho:g}, "
                                    f"W_l = {pt.W_limit:.4g}, T = t^2", estimate=lim.tb))
        if lim.feasible and lim.tb > best.tb:
            best = lim
        for t in taus:
            for m, pol in cmp.slotted[t].items():
                if not pol.feasible or pol.rule is None:
                    continue
                cw = certify_policy(pt, t, pol.rule, "quantum" if pol.model == "quantum" else m, cert_dir)
                n_cert += 1
                n_meets += float(cw.upper) <= pt.W_limit
                findings.append(Finding.certified_by(cw.lower, cw.upper, target=f"W_q of the slotted {m} rule ({pol.family}), rho = {rho:g}, "
                                                     f"W_l = {pt.W_limit:.4g}, tau = {t:g}", estimate=pol.wq_est))
        for t in taus:
            q, c = cmp.slotted[t]["quantum"], cmp.slotted[t]["classical"]
            if not q.feasible:
                continue
            at = f"rho = {rho:g}, W_l = {pt.W_limit:.4g}, tau = {t:g}, T = t^2"
            ratio = q.tb / best.tb
            ratios.append(ratio)
            r_lo, r_hi = _ratio_interval(q, best)
            findings.append(Finding(f"E[T_B] slotted quantum / best classical ({best.family}), {at}", estimate=ratio, lower=r_lo, upper=r_hi,
                                    unit="ratio"))
            if c.feasible and q.tb > c.tb * (1 + 1e-3):
                beats_slotted = True
            if q.tb > best.tb * (1 + 1e-3):
                beats_best = True
        cert_rows = _certified_feasibility(pt, cmp, best, h_cert, cert_classes, cert_dir, findings, feas, steps=6)
        row["certified_feasibility"] = cert_rows
        rows.append(row)
        if cmp.pair_ratio is not None:
            findings.append(Finding(f"R_2 of the simultaneous-pair system at rho = {rho:g}, W_l = {pt.W_limit:.4g}", estimate=cmp.pair_ratio,
                                    unit="ratio"))
    # estimates only (no certificate): an advantage over the best classical policy is "reproduced", not "proved"
    status: Status = "reproduced" if beats_best else "partly" if beats_slotted else "refuted"
    top = max((r for r in ratios if not math.isnan(r)), default=math.nan)
    ours = (f"slotted entangled routers reach at most {top:.4f} of the best classical E[T_B] (estimates); "
            + ("they beat classical slotted routers, but classical shared-coin windows on arrival beat them"
               if status == "partly" else "they beat the best classical policy" if status == "reproduced" else "no advantage found"))
    evidence = ("Model of lemmas T1-T8 (proofs/lemmas_system.md): independent Poisson streams, one decision per router and slot on the "
                "batch's total work, one entangled pair per slot. Families per class in bounds.slots (ideal sum threshold; classical "
                "one-sided thresholds and shared coins; quantum linear-angle planar rules and the simultaneous-pair quantum optimum). "
                "W_q of every slotted rule in the lattice bracket of lemma T4 (feasibility by its midpoint); W_q of every feasible "
                f"slotted rule certified ({n_cert} slot-queue-bracket pairs at the search lattice, lemma T4 (e')), {n_meets} of them "
                "certified to meet W_l (the bracket is O(h) wide and the estimate-optimal rule sits at W_l). Certified feasibility "
                f"(lemma T4 (f), T7 (b)): per slot length the estimate-optimal rule's family searched again on the lattice h = {H_CERT:g} "
                "against the certified upper end of W_q (a checked upper certificate <= W_l), or, where no rule meets W_l by "
                "estimate, a checked lower bound on W_q of always split (the least W_q of all slot rules, lemma T7 (b)): "
                + "; ".join(feas) + ". E[T_B]: of each certified-feasible rule a checked interval from the same certificate (lemma T5 (c): "
                "E[G(V + S)]/tau on the chains' outward-rounded enclosures, O(h) wide), of the other slotted rules renewal-reward "
                "estimates with the float bracket of lemma T5 (b), so each ratio is an "
                "interval (against the T8 limit, a closed form, or the windows' simulated CI); route-on-arrival windows simulated (games.system.slotted, common random numbers) "
                "and their theta -> inf limit in closed form (lemma T8: a supremum of the window family, approached as the windows "
                "lengthen" + (f"; unbounded at rho = {', '.join(f'{r:g}' for r in unbounded)} since 2 rho < 1" if unbounded else "") + "). "
                "Windows share one coin across many customers; with T = t^k, k > 1, that alone rewards long correlated bunching. "
                "Restricted families: not an optimality bound for any class.")
    return ClaimResult(status, ours, evidence, {"points": rows}, headline=f"slotted entangled routers reach at most {top:.3f} of the best classical E[T_B] (route-on-arrival windows included; estimates, exponential, rho in {rhos})", findings=tuple(findings),
                       assumptions=("two independent Poisson streams of equal rate", "batch routing with one decision per router and slot",
                                    "exponential service", "T(t) = t^2"))
