"""Claim checks for the paper's formulas (Sec. 4, 4.1, 4.2, 4.6): derivations and simulation.

Each check re-runs the sympy derivation of :mod:`analytic` (whose record is
stored in ``proofs/records/<id>.json``) and, where the claim is about the
queueing system, compares with the simulator of :mod:`games.system` at fixed
seeds.  Statuses follow :data:`proofs.claims.claim.Status`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from analytic.derivation import Derivation
from proofs.claims.claim import ClaimResult, Evidence, Finding

__all__ = [
    "check_condition",
    "check_eq3_4",
    "check_eq8",
    "check_monomial",
    "check_superlinear",
    "check_tb_formula",
    "check_thm4_1",
]

PAIRS = 1_000_000


def _failed(d: Derivation) -> str:
    return "; ".join(f"{c.name}: {c.detail}" for c in d.checks if not c.passed)


def _derived(d: Derivation, ours: str, extra: str = "", data: dict | None = None) -> ClaimResult:
    if not d.passed:
        return ClaimResult("differs", ours, f"derivation check failed: {_failed(d)}", data or {})
    checks = ", ".join(c.name for c in d.checks)
    ev = f"sympy derivation (record proofs/records/{d.id}.json; checks passed: {checks}). Assumptions: {'; '.join(d.assumptions)}."
    item = Evidence("record", f"sympy derivation re-run now; checks passed: {checks}", f"proofs/records/{d.id}.json")
    return ClaimResult("proved", ours, ev + (" " + extra if extra else ""), data or {}, headline=ours if len(ours) <= 110 else "",
                       evidence_items=(item,), assumptions=tuple(d.assumptions))


def check_eq3_4(*, quick: bool, cert_dir: Path) -> ClaimResult:
    """Eq. 3-4: the sum rule is the product rule in input space."""
    from analytic.transform import derive_cdf_transform, derive_general_boundary

    d = derive_cdf_transform()
    g = derive_general_boundary()
    extra = f"General law: {g.statement} ({'checks passed' if g.passed else 'CHECK FAILED'})."
    return _derived(d, "X1 + X2 <= t <=> (1-a)(1-b) >= exp(-mu t), derived", extra)


def _agreement(quick: bool) -> tuple[list[dict], bool]:
    """Simulated vs formula W_q and E[T_B] (k = 2) for three rules at (rho, p) = (0.6, 0.5)."""
    from analytic.laws.service import ServiceLaw
    from analytic.optimal import optimal_fixed_p_rule, threshold_for_p_split
    from analytic.rules import SumThresholdRule
    from analytic.throughput import throughput_monomial
    from analytic.waiting import waiting_time
    from games.system import IdealRouting, RandomRouting, simulate

    law = ServiceLaw.exponential(1.0)
    points = [(0.6, 0.5)] if quick else [(0.3, 0.7), (0.6, 0.5), (0.8, 0.3)]
    rows, ok = [], True
    for rho, p in points:
        for name, routing in (
            ("sum_threshold", IdealRouting(SumThresholdRule(threshold_for_p_split(law, p)))),
            ("optimal_fixed_p", IdealRouting(optimal_fixed_p_rule(rho, law, p))),
            ("random", RandomRouting(p)),
        ):
            sim = simulate(routing, lam=rho, mu=1.0, n_pairs=PAIRS, seed=2024)
            tb, ci = sim.throughput(2)
            f_tb = throughput_monomial(rho, 1.0, p, 2)
            f_wq = waiting_time(routing.rule(), law, rho)
            hit = ci[0] <= f_tb <= ci[1] and sim.wq_ci[0] <= f_wq <= sim.wq_ci[1]
            ok &= hit
            rows.append({"rho": rho, "p_split": p, "rule": name, "TB_formula": f_tb, "TB_sim": tb, "TB_ci": list(ci),
                         "Wq_formula": f_wq, "Wq_sim": sim.wq, "Wq_ci": list(sim.wq_ci), "inside_99ci": hit})
    return rows, ok


def check_tb_formula(*, quick: bool, cert_dir: Path) -> ClaimResult:
    """E[T_B] = (1 - rho) lambda_eff E[T(L)]: renewal-reward derivation + simulation."""
    from analytic.throughput import derive_throughput

    d = derive_throughput()
    rows, ok = _agreement(quick)
    sim_txt = "; ".join(f"{r['rule']} rho={r['rho']} p={r['p_split']}: E[T_B] (T=t^2) formula {r['TB_formula']:.4f}, "
                        f"simulated {r['TB_sim']:.4f} [{r['TB_ci'][0]:.4f}, {r['TB_ci'][1]:.4f}]" for r in rows)
    res = _derived(d, "formula derived; holds under A1-A3 (routing blind to queue state, fair server coin, rho < 1)",
                   f"Simulation, 10^6 pairs, seed 2024, 99% batch-means CIs: {sim_txt}.", {"simulation": rows})
    from dataclasses import replace

    findings = tuple(
        Finding(f"E[T_B] with T(t) = t^2, {r['rule']}, rho = {r['rho']}, p_split = {r['p_split']}: simulated mean and 99% CI",
                estimate=r["TB_sim"], lower=r["TB_ci"][0], upper=r["TB_ci"][1])
        for r in rows
    )
    sims = tuple(Evidence("simulation", f"{r['rule']} at rho = {r['rho']}, p_split = {r['p_split']}: formula {r['TB_formula']:.4f} "
                          f"{'inside' if r['inside_99ci'] else 'OUTSIDE'} the simulated 99% CI", seed=2024) for r in rows)
    res = replace(res, findings=findings, evidence_items=res.evidence_items + sims,
                  headline=f"derived; the simulator agrees at {sum(r['inside_99ci'] for r in rows)} of {len(rows)} points (99% CIs)")
    if res.status == "proved" and not ok:
        return replace(res, status="differs", evidence=res.evidence + " A simulated value fell outside its 99% CI.")
    return res


def check_condition(*, quick: bool, cert_dir: Path) -> ClaimResult:
    """dE[T_B]/dp_split has the sign of 2E[T(L)] - E[L T(L)]/E[L]."""
    from analytic.throughput import derive_condition

    return _derived(derive_condition(), "dE[T_B]/dp = (1 - rho)(lambda/2)(2E[T(L)] - E[L T(L)]/E[L]), L ~ Exp(lambda_eff)",
                    "The equivalence is pointwise in lambda_eff: strict decrease over a range of p_split needs the condition at every "
                    "lambda_eff = lambda(1 + p)/2 of that range, which the paper leaves implicit.")


def check_superlinear(*, quick: bool, cert_dir: Path) -> ClaimResult:
    """T(t) = K t^c satisfies the condition iff c > 1."""
    from analytic.throughput import derive_superlinear

    d = derive_superlinear()
    ce = next(c.detail for c in d.checks if c.name == "counterexample")
    return _derived(d, "2E[T] - E[LT]/E[L] = K Gamma(c+1)(1 - c)/nu^c < 0 iff c > 1",
                    f"In general the condition holds when T(t)/t is strictly increasing; asymptotic super-linear growth is not enough: {ce}.")


def check_monomial(*, quick: bool, cert_dir: Path) -> ClaimResult:
    """E[T_B] = (1 - rho) k!/lambda_eff^(k - 1), decreasing iff k > 1."""
    from analytic.throughput import derive_monomial

    return _derived(derive_monomial(), "(1 - rho) Gamma(k+1) / lambda_eff^(k-1); dE/dp < 0 iff k > 1, constant at k = 1")


def check_eq8(*, quick: bool, cert_dir: Path) -> ClaimResult:
    """R_k = ((1 + p_c)/(1 + p_q))^(k - 1)."""
    from analytic.throughput import derive_ratio

    return _derived(derive_ratio(), "R_k = ((1 + p_c)/(1 + p_q))^(k-1), derived from the monomial E[T_B]",
                    "Requires the same lambda, service law and rho for both strategies.")


def check_thm4_1(*, quick: bool, cert_dir: Path) -> ClaimResult:
    """Theorem 4.1: is the sum threshold the W_q-optimal rule at fixed p_split?"""
    from analytic.laws.service import ServiceLaw
    from analytic.optimal import (
        derive_optimal_rule,
        excess_grid,
        optimal_fixed_p_rule,
        qos_comparison,
        threshold_for_p_split,
    )
    from analytic.rules import SumThresholdRule
    from analytic.waiting import waiting_time
    from games.system import IdealRouting, simulate

    d = derive_optimal_rule()
    if not d.passed:
        return ClaimResult("error", "-", f"derivation check failed: {_failed(d)}")
    grid_r = (0.3, 0.6, 0.9) if quick else (0.1, 0.3, 0.5, 0.7, 0.9)
    grid_p = (0.1, 0.5, 0.9) if quick else (0.1, 0.3, 0.5, 0.7, 0.9)
    rnd = excess_grid(grid_r, grid_p, "random")
    sf = excess_grid(grid_r, grid_p, "shorter_first")
    worst_r = max(rnd, key=lambda e: e.relative_excess)
    worst_s = max(sf, key=lambda e: e.relative_excess)
    qos = [qos_comparison(r, 0.5, 2) for r in (0.3, 0.6, 0.9)]
    # simulation with common random numbers: the W_q gap is real
    law = ServiceLaw.exponential(1.0)
    rho, p = 0.6, 0.3
    a = simulate(IdealRouting(SumThresholdRule(threshold_for_p_split(law, p))), lam=rho, mu=1.0, n_pairs=PAIRS, seed=5)
    b = simulate(IdealRouting(optimal_fixed_p_rule(rho, law, p)), lam=rho, mu=1.0, n_pairs=PAIRS, seed=5)
    diff, ci = a.wq_difference(b)
    f_gap = waiting_time(SumThresholdRule(threshold_for_p_split(law, p)), law, rho) - waiting_time(optimal_fixed_p_rule(rho, law, p), law, rho)
    grid_txt = "; ".join(f"rho={e.rho} p={e.p_split}: +{100 * e.relative_excess:.2f}%" for e in rnd)
    qos_txt = "; ".join(f"rho={q['rho']}: p_split {q['p_split_sum_threshold']} -> {q['p_split_optimal']:.4f}, E[T_B] x{q['throughput_ratio']:.4f}" for q in qos)
    ev = (
        "W_q is affine in the rule beta: W_q = W_0 + E[beta c], c = kappa X1 X2 + first/2, kappa = lambda/(2(1 - rho)) "
        "(record proofs/records/thm4.1.json, wq-general.json). At fixed p_split the optimum is the bathtub rule c <= tau, "
        "whose level sets are lines x1 + x2 = const only when kappa = 0, i.e. lambda -> 0, and only with random order in a bunched pair. "
        f"Excess W_q of the sum threshold over the optimum (mu = 1, random order): {grid_txt}; worst {100 * worst_r.relative_excess:.2f}% "
        f"at rho={worst_r.rho}, p={worst_r.p_split}. With shorter-first order the worst excess is {100 * worst_s.relative_excess:.2f}% "
        f"(rho={worst_s.rho}, p={worst_s.p_split}) and does not vanish as rho -> 0. In the paper's objective (W_l = W_q of the sum threshold "
        f"at p = 0.5, T = t^2): {qos_txt}. Simulation (10^6 pairs, seed 5, common random numbers, rho=0.6, p=0.3): "
        f"W_q(sum) - W_q(opt) = {diff:.4f}, 99% CI [{ci[0]:.4f}, {ci[1]:.4f}] (formula {f_gap:.4f})."
    )
    data = {"random": [e.to_dict() for e in rnd], "shorter_first": [e.to_dict() for e in sf], "qos": qos,
            "simulated_gap": {"rho": rho, "p_split": p, "diff": diff, "ci": list(ci), "formula": f_gap}}
    ours = (f"false as written: the optimal rule bunches iff kappa X1 X2 + (X1 + X2)/4 <= tau; the sum threshold loses up to "
            f"{100 * worst_r.relative_excess:.1f}% in W_q (random order), {100 * worst_s.relative_excess:.1f}% (shorter-first); exact only as rho -> 0")
    # refuted needs both routes: the formula's excess is material and the simulation's CI excludes 0
    formula_says = worst_r.relative_excess > 1e-4 or worst_s.relative_excess > 1e-4
    simulation_says = ci[0] > 0
    extra: dict[str, Any] = {
        "headline": f"sum threshold loses up to {100 * worst_r.relative_excess:.1f}% of W_q to the optimal rule",
        "findings": (
            Finding(f"largest relative W_q excess of the sum threshold over the optimal fixed-p rule (random order, formula, grid {len(rnd)} points)",
                    estimate=float(worst_r.relative_excess), unit="fraction of W_q"),
            Finding(f"largest relative W_q excess, shorter-first order (formula, grid {len(sf)} points)", estimate=float(worst_s.relative_excess), unit="fraction of W_q"),
            Finding(f"W_q(sum threshold) - W_q(optimal) at rho = {rho}, p_split = {p}: simulated 99% CI", estimate=float(diff), lower=float(ci[0]), upper=float(ci[1])),
        ),
        "evidence_items": (
            Evidence("record", "W_q is affine in the routing rule; the optimum is a bathtub rule (sympy)", f"proofs/records/{d.id}.json"),
            Evidence("record", "W_q of a general routing rule (sympy)", "proofs/records/wq-general.json"),
            Evidence("simulation", f"10^6 pairs, common random numbers, rho = {rho}, p_split = {p}: W_q gap {diff:.4f}, 99% CI [{ci[0]:.4f}, {ci[1]:.4f}]", seed=5),
        ),
        "assumptions": ("Poisson pair arrivals, i.i.d. exponential service, routing blind to the queue state, fixed p_split",),
    }
    if formula_says and simulation_says:
        return ClaimResult("refuted", ours, ev, data, **extra)
    if formula_says or simulation_says:
        return ClaimResult("partly", ours, ev + " The formula and the simulation disagree on whether the gap is real.", data, **extra)
    return ClaimResult("proved", "the sum threshold matched the optimum on this grid", ev, data, **extra)
