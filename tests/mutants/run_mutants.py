"""Mutation check of the checkers' margins: delete each margin or error term, run the tests, name the killer.

Usage (from the repository root)::

    python tests/mutants/run_mutants.py            # every mutant
    python tests/mutants/run_mutants.py dp-ceil    # selected mutants by name
    python tests/mutants/run_mutants.py --no-baseline sys-sag   # skip the unmutated run

Each mutant replaces one exact snippet of a checker (the snippet must occur
exactly once, so a stale mutant fails loudly instead of passing silently),
in a temporary copy of the source tree.  The checker tests then run with
``-x -n 0`` (in order, no workers: each mutant names its test files or
node ids, cheap tests first, so the run stays short); the first failing
test is the mutant's killer.  Only a test failure
counts as a kill (a collection or usage error does not), and first the
selected tests run once on the unmutated tree.  The script prints
"K of M mutants killed" and exits 1 if a mutant survives.  It is not collected as a test (no ``test_`` prefix,
work only under ``__main__``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[2]

TESTS = (
    "tests/proofs/checkers/test_margins.py",
    "tests/proofs/exact",
    "tests/proofs/checkers/test_quantum.py",
    "tests/proofs/checkers/test_classical.py",
    "tests/proofs/checkers/test_forgery.py",
)

#: the system modules' unit tests (seconds, no solve)
SYSTEM_UNITS = (
    "tests/proofs/checkers/test_system_law.py",
    "tests/proofs/checkers/test_system_quadrature.py",
)
#: the margin tests of the system checkers (node ids: test_system.py solves the system first, a minute more per mutant)
SYSTEM_MARGINS = SYSTEM_UNITS + (  # cheap ones first: with -x the first failure ends the run
    "tests/proofs/checkers/test_system_dual.py::test_sag_is_tight_for_the_uniform_law",
    "tests/proofs/checkers/test_system_strategy.py::test_strategy_enclosures_round_outward",
    "tests/proofs/checkers/test_system_strategy.py::test_strategy_feasibility_uses_the_far_end_of_w0",
    "tests/proofs/checkers/test_system_dual.py::test_dual_uses_the_budget_upper_end_for_an_irrational_m2",
    "tests/proofs/checkers/test_system_dual.py::test_classical_bias_rounds_up_on_the_uniform_law",
    "tests/proofs/checkers/test_system_dual.py::test_quantum_bias_rounds_up_on_the_uniform_law",
    "tests/proofs/checkers/test_system_dual.py::test_a_wider_b1_enclosure_never_lowers_the_bias_bound",
    "tests/proofs/checkers/test_system_dual.py::test_psd_test_counts_the_radii_of_the_moment_enclosures",
    "tests/proofs/checkers/test_system_dual.py::test_psd_test_counts_the_radii_of_the_beta_moments",
    "tests/proofs/checkers/test_system_dual.py::test_psd_test_needs_the_trace_when_both_eigenvalues_exceed_4",
    "tests/proofs/checkers/test_system_dual.py::test_sag_uses_the_density_minimum_over_the_whole_piece",
    "tests/proofs/checkers/test_system_quadrature.py::test_left_end_is_the_whole_ball_zero_to_eps",
    "tests/proofs/checkers/test_system_quadrature.py::test_tail_bound_counts_a_negative_turning_point",
    "tests/proofs/checkers/test_system_quadrature.py::test_quadrature_end_bounds_are_needed_margins",
    "tests/proofs/checkers/test_system_dual.py::test_sag_is_a_needed_margin",
    "tests/proofs/checkers/test_system_dual.py::test_box_fallback_is_a_needed_margin",
    "tests/proofs/checkers/test_system.py::test_m2_outward_rounding_is_a_needed_margin",
)
NOISE = ("tests/proofs/checkers/test_noise.py",)
LAW_GAME_ULPS = ("tests/proofs/exact/test_sum_threshold_margins.py",)
LAWS = ("tests/proofs/exact/test_laws.py", "tests/proofs/exact/test_sum_threshold.py")
LAW_GAMES = ("tests/proofs/exact/test_sum_threshold.py", "tests/proofs/exact/test_cells.py")
VALUES = ("tests/proofs/exact/test_values.py", *NOISE)
Q6_FILE = "proofs/checkers/quantum_continuum.py"
Q6 = "tests/proofs/checkers/test_quantum_continuum.py::"
STEPS = ("tests/proofs/exact/test_schur_steps.py",)
XOR = "tests/proofs/checkers/test_xor.py::"
XBNB = "tests/proofs/checkers/test_xor_bnb.py::"
XCUT = "tests/proofs/exact/test_xor_cuts.py::"
XCUT_FILE = "proofs/exact/xor_cuts.py"
MP = "tests/proofs/checkers/test_multiparty_classical.py::"
MPQ = "tests/proofs/checkers/test_multiparty_quantum.py::"
FI = "tests/proofs/exact/test_float_intervals.py::"
SQ = "tests/proofs/checkers/test_slot_queue.py::"
RF = "tests/proofs/checkers/test_report_folder.py::"
NPA_MP = "tests/proofs/checkers/test_multiparty.py::"


class Mutant(NamedTuple):
    """Replace the snippet ``old`` (it must occur exactly once in ``file``) by ``new``; ``tests`` then run with ``-x``."""

    name: str
    file: str
    old: str
    new: str
    what: str  #: what the mutant deletes
    tests: tuple[str, ...] = TESTS


MUTANTS: list[Mutant] = [
    Mutant(
        "vectors-rounding", "proofs/checkers/quantum.py",
        "err = gamma(2 * n + 2 * d + 1) * s_abs + r_sum + under", "err = r_sum",
        "quantum-vectors: the whole floating-point error term (lemma Q4)",
    ),
    Mutant(
        "vectors-radius", "proofs/checkers/quantum.py",
        "err = gamma(2 * n + 2 * d + 1) * s_abs + r_sum + under",
        "err = gamma(2 * n + 2 * d + 1) * s_abs + under",
        "quantum-vectors: the enclosure radius of M",
    ),
    Mutant(
        "vectors-sum-depth", "proofs/checkers/quantum.py",
        "err = gamma(2 * n + 2 * d + 1) * s_abs + r_sum + under", "err = gamma(2 * n + 1) * s_abs + r_sum + under",
        "quantum-vectors: the d roundings of fl(Mc V) and fl(sum_k u_ik P_ik) in the evaluation depth (lemma Q4)",
        ("tests/proofs/checkers/test_margins.py::test_vectors_claim_just_above_the_enclosed_value_is_rejected",),
    ),
    Mutant(
        "dual-radius", "proofs/checkers/quantum.py",
        "row, col = dual_margins(r)", "row, col = dual_margins(0 * r)",
        "tsirelson-dual: the enclosure margin of lemma Q2",
    ),
    Mutant(
        "theorem-v-shift", "proofs/exact/psd.py",
        "    c = rump_shift(a)\n", "    c = 0.0\n",
        "verified Cholesky: the diagonal shift of Theorem V",
    ),
    Mutant(
        "theorem-v-round-down", "proofs/exact/psd.py",
        "at[idx, idx] = np.nextafter(at[idx, idx] - c, -np.inf)", "at[idx, idx] = at[idx, idx] - c",
        "verified Cholesky: the shifted diagonal rounded down (At_ii <= a_ii - c, Theorem V)",
        ("tests/proofs/exact/test_psd.py::test_shifted_diagonal_is_rounded_down_below_a_minus_c",),
    ),
    Mutant(
        "schur-error", "proofs/exact/psd.py",
        "err = gam * (exact_float_sum(gd) + k * under) / (1 - gam) + k * under + 2 * _U * exact_float_sum(d)",
        "err = k * under + 2 * _U * exact_float_sum(d)",
        "lemma Q5: the rounding error gamma tr(K) of the Schur product",
    ),
    Mutant(
        "schur-diag-rounding", "proofs/exact/psd.py",
        "err = gam * (exact_float_sum(gd) + k * under) / (1 - gam) + k * under + 2 * _U * exact_float_sum(d)",
        "err = gam * (exact_float_sum(gd) + k * under) / (1 - gam) + k * under",
        "lemma Q5: the rounding of the Schur diagonal y - G_jj",
    ),
    Mutant(
        "schur-underflow", "proofs/exact/psd.py",
        "under = n * (Fraction(float(np.abs(f).max())) + 1) / Fraction(2) ** 1072", "under = Fraction(0)",
        "lemma Q5: the gradual-underflow term of the Schur product",
    ),
    Mutant(
        "schur-theorem-v-shift", "proofs/exact/psd.py",
        "shift = float_up(Fraction(rump_shift(enc.a)) + enc.err)", "shift = float_up(enc.err)",
        "lemma Q5: Theorem V's shift for the Schur enclosure",
    ),
    Mutant(
        "steps-error", "proofs/exact/schur_steps.py",
        "err = gamma(3 * m + 21) * tr_lambda + 2 * _U * exact_float_sum(d)", "err = 2 * _U * exact_float_sum(d)",
        "lemma Q5b: the rounding error gamma_{3m+21} tr(Lambda) of the step Schur complement", STEPS,
    ),
    Mutant(
        "steps-omega-trace", "proofs/exact/schur_steps.py",
        "trl_extra = exact_float_sum(tau) * (1 + gamma(6))", "trl_extra = zero",
        "lemma Q5b: the exceptions' part of tr(Lambda)", STEPS,
    ),
    Mutant(
        "steps-diag-rounding", "proofs/exact/schur_steps.py",
        "err = gamma(3 * m + 21) * tr_lambda + 2 * _U * exact_float_sum(d)", "err = gamma(3 * m + 21) * tr_lambda",
        "lemma Q5b: the rounding of the Schur diagonal y - G_jj", STEPS,
    ),
    Mutant(
        "steps-theorem-v-shift", "proofs/exact/schur_steps.py",
        "shift = float_up(Fraction(rump_shift(enc.a)) + enc.err)", "shift = float_up(enc.err)",
        "lemma Q5b: Theorem V's shift for the step Schur enclosure", STEPS,
    ),
    Mutant(
        "vectors-norm-margin", "proofs/checkers/quantum.py",
        "return float_down(1 - gamma(d) - d * Fraction(1, 2**1075))", "return 1.0",
        "quantum-vectors: the margin of the float norm filter (lemma Q4 addendum)",
        ("tests/proofs/checkers/test_quantum.py::test_norm_filter_needs_its_margin",),
    ),
    Mutant(
        "margin-sum-rounding", "proofs/checkers/quantum.py",
        "return np.nextafter(np.nextafter(s * k, np.inf) * 0.5, np.inf)", "return s * 0.5",
        "lemma Q2 margins (shared by tsirelson-dual, its continuum kind and xor-quantum-dual): rounding the float row/column sums up",
        ("tests/proofs/checkers/test_quantum.py::test_reduced_weights_cover_the_margin_exactly",),
    ),
    Mutant(
        "margin-round-down", "proofs/checkers/quantum.py",
        "return np.nextafter(x - row, -np.inf), np.nextafter(y - col, -np.inf)", "return x - row, y - col",
        "lemma Q2 margins (shared by tsirelson-dual, its continuum kind and xor-quantum-dual): rounding x - row, y - col down",
        ("tests/proofs/checkers/test_quantum.py::test_reduced_weights_cover_the_margin_exactly",),
    ),
    Mutant(
        "cells-outward", "proofs/exact/cells.py",
        "(float_down(val.lower()), float_up(val.upper()))", "(float_down(val.lower()), float(val.mid()))",
        "cell enclosure: outward rounding of crossed cells",
    ),
    Mutant(
        "mid-radius-ulp", "proofs/exact/cells.py",
        "return mc, np.nextafter(np.maximum(hi - mc, mc - lo), np.inf)", "return mc, np.maximum(hi - mc, mc - lo)",
        "cell enclosure: the ulp that covers the rounding of the radius",
    ),
    Mutant(
        "strategy-round-down", "proofs/exact/values.py",
        "return Fraction(float_down(float_down(corr.lower()) / 2 + 0.5))", "return Fraction(float(corr.mid()) / 2 + 0.5)",
        "strategy values: rounding the enclosed value down",
    ),
    Mutant(
        "bnb-ceil", "proofs/checkers/classical.py",
        "pos.append(-((-up.numerator) // up.denominator))", "pos.append(up.numerator // up.denominator)",
        "classical-bnb: crossed cells rounded up to units (g h = +1)",
    ),
    Mutant(
        "bnb-ceil-neg", "proofs/checkers/classical.py",
        "neg.append(-((-dn.numerator) // dn.denominator))", "neg.append(dn.numerator // dn.denominator)",
        "classical-bnb: crossed cells rounded up to units (g h = -1)",
    ),
    Mutant(
        "dp-ceil", "proofs/checkers/classical_dp.py",
        "yield np.ceil(U).astype(np.int64)", "yield np.floor(U).astype(np.int64)",
        "classical-dp: rewards rounded up to units",
    ),
    Mutant(
        "dp-bin-term", "proofs/checkers/classical_dp.py",
        "e_up[k] = float_up(wm * D * D)", "e_up[k] = 0.0",
        "classical-dp: the within-bin term w_max D^2 of the Psi bound",
    ),
    Mutant(
        "dp-tail", "proofs/checkers/classical_dp.py",
        "tot = u + -((-tail.numerator) // tail.denominator)", "tot = u",
        "classical-dp: the tail term Z |K|",
    ),
    Mutant(
        "dp-float-error", "proofs/checkers/classical_dp.py",
        "U[:, 1] = (np.abs(t0) + e0 * (1 + 8 * _U) + e_up[k]) * (1 + 4 * _U)", "U[:, 1] = np.abs(t0) + e_up[k]",
        "classical-dp: floating-point error terms of the d = 0 rewards",
    ),
    Mutant(
        "dp-moment-error", "proofs/checkers/classical_dp.py",
        "mom = (np.abs(t) + e * (1 + 8 * _U)) * (1 + 4 * _U)", "mom = np.abs(t)",
        "classical-dp: floating-point error terms of the d = +-1 rewards",
    ),
    Mutant(
        "lipschitz-L", "proofs/exact/lipschitz.py",
        "    L = log_abs_upper(c0)\n", "    L = Fraction(0)\n",
        "Lipschitz cell bound: the constant |ln c0|",
    ),
    Mutant(
        "lipschitz-round-up", "proofs/exact/lipschitz.py",
        "return Fraction(float_up(float_up(ball.upper())))", "return Fraction(float(ball.mid()))",
        "Lipschitz cell bound: rounding |ln c0| up",
    ),
    # ---- proofs/checkers/system_law.py, system_quadrature.py, system_dual.py, system_strategy.py (lemmas S1-S5)
    Mutant(
        "sys-sag", "proofs/checkers/system_dual.py",
        "return (uhi - ulo) ** 2 / (4 * f_lo)", "return Fraction(0)",
        "system-dual classical: the sag (u1 - u0)^2/(4 f_lo) (S3)", SYSTEM_MARGINS,
    ),
    Mutant(
        "sys-sag-constant", "proofs/checkers/system_dual.py",
        "return (uhi - ulo) ** 2 / (4 * f_lo)", "return (uhi - ulo) ** 2 / (8 * f_lo)",
        "system-dual classical: the constant 4 of the sag (chord error K D^2/8)", SYSTEM_MARGINS,
    ),
    Mutant(
        "sys-sag-hull", "proofs/checkers/system_dual.py",
        "f_lo = s.service.pdf_lower(tlo.union(thi))", "f_lo = s.service.pdf_lower(tlo)",
        "system-dual classical: f_lo over the whole piece, not at its left end", SYSTEM_MARGINS,
    ),
    Mutant(
        "sys-pdf-lower", "proofs/checkers/system_law.py",
        "lo = exact_point(f.lower()) / self.scale", "lo = exact_point(f.mid()) / self.scale",
        "system-dual classical: f_lo the lower end of f's enclosure", SYSTEM_MARGINS,
    ),
    Mutant(
        "sys-box", "proofs/checkers/system_dual.py",
        "verts = tuple((b0, b1) for b0 in (1 - 2 * uhi, 1 - 2 * ulo) for b1 in (ends[k + 1][0], ends[k][1]))",
        "verts = ((1 - 2 * ulo, ends[k][1]), (1 - 2 * uhi, ends[k + 1][0]))",
        "system-dual classical: the bounding box where f has no lower bound", SYSTEM_MARGINS,
    ),
    Mutant(
        "sys-b1-ends", "proofs/checkers/system_dual.py",
        "ends = [(rational_down(b), rational_up(b)) for b in b1s]", "ends = [(exact_point(b.mid()), exact_point(b.mid())) for b in b1s]",
        "system-dual classical: the outer ends of b1's enclosure", SYSTEM_MARGINS,
    ),
    Mutant(
        "sys-bias-up", "proofs/checkers/system_dual.py",
        "val = rational_up(abs_moment(s, m00 * b0 + m01 * b1, m10 * b0 + m11 * b1))",
        "val = rational_down(abs_moment(s, m00 * b0 + m01 * b1, m10 * b0 + m11 * b1))",
        "system-dual classical: vertex values h(M b) rounded up", SYSTEM_MARGINS,
    ),
    Mutant(
        "sys-psd-check", "proofs/checkers/system_dual.py",
        "if not (tr <= 8 and 16 - 4 * tr + det >= 0):", "if False:",
        "system-dual quantum: the test lambda_max(A M B M^T) <= 4 (S4)", ("tests/proofs/checkers/test_system.py::test_quantum_dual_psd_condition_matters",),
    ),
    Mutant(
        "sys-psd-trace", "proofs/checkers/system_dual.py",
        "if not (tr <= 8 and 16 - 4 * tr + det >= 0):", "if not (16 - 4 * tr + det >= 0):",
        "system-dual quantum: tr <= 8 (both eigenvalues, not only their product)", SYSTEM_MARGINS,
    ),
    Mutant(
        "sys-gershgorin", "proofs/checkers/system_dual.py",
        "g = max(rads[0] + rads[1], rads[1] + rads[2])", "g = 0",
        "system-dual quantum: the Gershgorin shift by the moments' radii", SYSTEM_MARGINS,
    ),
    Mutant(
        "sys-quantum-bias-up", "proofs/checkers/system_dual.py",
        "return rational_up(Ja) + rational_up(Jb), tr", "return rational_down(Ja) + rational_down(Jb), tr",
        "system-dual quantum: E[alpha] + E[beta] rounded up", SYSTEM_MARGINS,
    ),
    Mutant(
        "sys-left-ball", "proofs/checkers/system_quadrature.py",
        "ball = arb(arb_fraction(eps / 2), arb_fraction(eps / 2))", "ball = arb_fraction(eps)",
        "quadrature: g on the whole ball [0, eps], not at eps", SYSTEM_MARGINS,
    ),
    Mutant(
        "sys-left-head", "proofs/checkers/system_quadrature.py",
        "return eps, [qb.sqrt() * Fe, Fe / qb.sqrt(), ball * Fe / qb.sqrt(), ball * ball * Fe / qb.sqrt()]",
        "return eps, [0 * Fe] * 4",
        "quadrature: the integrals over [0, eps] (lognormal, Weibull)", SYSTEM_MARGINS,
    ),
    Mutant(
        "sys-tail", "proofs/checkers/system_quadrature.py",
        "out.append(val + arb(tail_up / 2, tail_up / 2))", "out.append(val)",
        "quadrature: the tail ball [0, bound] beyond L", SYSTEM_MARGINS,
    ),
    Mutant(
        "sys-tail-xstar", "proofs/checkers/system_quadrature.py",
        "tails = [sA2 * t1 + (sA2 * abs(X) + sD) * t0,", "tails = [sA2 * t1,",
        "quadrature tail: (sqrt(a2)|x*| + sqrt(delta)) P(X > L)", SYSTEM_MARGINS,
    ),
    Mutant(
        "sys-tail-moment", "proofs/checkers/system_quadrature.py",
        "svc.tail(2, La) * r]", "t1 * r]",
        "quadrature tail: E[X^2; X > L] for the j = 2 integral", SYSTEM_MARGINS,
    ),
    Mutant(
        "sys-m2-interval", "proofs/checkers/system_law.py",
        "return rational_down(m2), rational_up(m2)", "return exact_point(m2.mid()), exact_point(m2.mid())",
        "irrational E[X^2]: the interval of the ball's ends", SYSTEM_MARGINS,
    ),
    Mutant(
        "sys-dual-budget-end", "proofs/checkers/system_dual.py",
        "p_bunch_up = nu * s.budget_range[1]", "p_bunch_up = nu * s.budget_range[0]",
        "system-dual: the budget's upper end (irrational m2)", SYSTEM_MARGINS,
    ),
    Mutant(
        "sys-strategy-budget-end", "proofs/checkers/system_strategy.py",
        "if cost_up > s.budget_range[0]:", "if cost_up > s.budget_range[1]:",
        "system-strategy: the budget's lower end (irrational m2)", SYSTEM_MARGINS,
    ),
    Mutant(
        "sys-cost-up", "proofs/checkers/system_strategy.py",
        "cost_up = rational_up(cost)", "cost_up = rational_down(cost)",
        "system-strategy: E[beta c] rounded up", SYSTEM_MARGINS,
    ),
    Mutant(
        "sys-bunch-down", "proofs/checkers/system_strategy.py",
        "bunch_lo = rational_down(bunch)", "bunch_lo = rational_up(bunch)",
        "system-strategy: E[beta] rounded down", SYSTEM_MARGINS,
    ),
    Mutant(
        "sys-dual-claim", "proofs/checkers/system_dual.py",
        "    if claimed > proven:\n", "    if False:\n",
        "system-dual: the claim against the proven bound", ("tests/proofs/checkers/test_system.py::test_tampered_dual_rejected",),
    ),
    Mutant(
        "sys-psd-beta-radii", "proofs/checkers/system_dual.py",
        "Bu = psd_upper(B0, B1, B2)", "Bu = psd_upper(B0.mid(), B1.mid(), B2.mid())",
        "system-dual quantum: the Gershgorin shift of B (beta's moment radii)", ("tests/proofs/checkers/test_system_dual.py::test_psd_test_counts_the_radii_of_the_beta_moments",),
    ),
    Mutant(
        "sys-strategy-claim", "proofs/checkers/system_strategy.py",
        "    if claimed < proven:\n", "    if False:\n",
        "system-strategy: the claim against the enclosed p_split", ("tests/proofs/checkers/test_system.py::test_tampered_strategy_rejected",),
    ),
    Mutant(
        "sys-strategy-weights", "proofs/checkers/system_strategy.py",
        "if any(w < 0 for w in weights) or sum(weights) != 1:", "if any(w < 0 for w in weights):",
        "system-strategy: the weights sum to 1 exactly", ("tests/proofs/checkers/test_system.py::test_tampered_strategy_rejected",),
    ),
    Mutant(
        "sys-werner-share", "proofs/checkers/system_strategy.py",
        "if werner is not None and entangled > werner[1]:", "if False:",
        "system-strategy (W4): planar weight at most the Werner share f", ("tests/proofs/checkers/test_system.py::test_werner_supply_strategy_forgeries",),
    ),
    Mutant(
        "sys-strategy-visibility", "proofs/checkers/system_strategy.py",
        "e00, e11, e10, e01 = (arb_fraction(vis) * dot(P, Q)", "e00, e11, e10, e01 = (dot(P, Q)",
        "system-strategy: planar correlations times the visibility v",
        ("tests/proofs/checkers/test_system_strategy.py::test_strategy_visibility_scales_the_planar_correlations",),
    ),
    Mutant(
        "sys-tail-turn", "proofs/checkers/system_quadrature.py",
        "r = 1 / (sA2 * (La - X))", "r = 1 / (sA2 * La)",
        "quadrature tail: 1/sqrt q <= 1/(sqrt(a2) (L - x*)), not 1/(sqrt(a2) L)",
        ("tests/proofs/checkers/test_system_quadrature.py::test_right_end_tail_bounds_hold_against_quadrature",),
    ),
    Mutant(
        "sys-tail-delta", "proofs/checkers/system_quadrature.py",
        "tails = [sA2 * t1 + (sA2 * abs(X) + sD) * t0,", "tails = [sA2 * t1 + sA2 * abs(X) * t0,",
        "quadrature tail: sqrt(delta) P(X > L) in the tail of E[sqrt q]",
        ("tests/proofs/checkers/test_system_quadrature.py::test_right_end_tail_bounds_hold_against_quadrature",),
    ),
    Mutant(
        "sys-pdf-positive", "proofs/checkers/system_law.py",
        "return lo if lo > 0 else None", "return lo if lo != 0 else None",
        "system-dual classical: f_lo > 0 (a negative lower end is no bound)",
        ("tests/proofs/checkers/test_system_law.py::test_pdf_lower_is_positive_or_none",),
    ),
    Mutant(
        "sys-nu-nonnegative", "proofs/checkers/system_dual.py",
        "    if nu < 0:\n", "    if False:\n",
        "system-dual: nu >= 0 (weak duality, lemma S1)", ("tests/proofs/checkers/test_system.py::test_malformed",),
    ),
    Mutant(
        "sys-noiseless", "proofs/checkers/system_dual.py",
        "    if v != 1:\n", "    if False:\n",
        "system-dual: the noiseless class only (visibility 1)", ("tests/proofs/checkers/test_system.py::test_visibility_below_one_is_refused_exponential",),
    ),
    Mutant(
        "sys-werner-visibility", "proofs/checkers/system_strategy.py",
        "    if vis != v:\n", "    if False:\n",
        "system-strategy (W4): planar pairs measured at the Werner visibility", ("tests/proofs/checkers/test_system.py::test_werner_supply_strategy_forgeries",),
    ),
    Mutant(
        "sys-rho", "proofs/checkers/system_law.py",
        "    if rho >= 1:\n", "    if False:\n",
        "system: rho < 1 (a stable queue, kappa > 0)", ("tests/proofs/checkers/test_system_law.py::test_system_data_refuses_an_unstable_or_infinite_queue",),
    ),
    Mutant(
        "sys-finite-variance", "proofs/checkers/system_law.py",
        "    if not law.finite_variance:\n", "    if False:\n",
        "system: E[X^2] < inf (W_0 finite)", ("tests/proofs/checkers/test_system_law.py::test_system_data_refuses_an_unstable_or_infinite_queue",),
    ),
    # ---- proofs/checkers/noise.py (lemmas W1-W4)
    Mutant(
        "noise-local-visibility", "proofs/checkers/noise.py",
        "LOCAL_VISIBILITY = Fraction(6874, 10000)", "LOCAL_VISIBILITY = Fraction(7, 10)",
        "werner: v_L below the cited 1/K_G(3) >= 1/1.4546 (W3)", NOISE,
    ),
    Mutant(
        "noise-local-interp", "proofs/checkers/noise.py",
        "pc + (v - vl) / (1 - vl) * (pq - pc)", "pc + (v - vl) * (pq - pc)",
        "werner-mixture local-model: the weight (v - v_L)/(1 - v_L)", NOISE,
    ),
    Mutant(
        "noise-elementary", "proofs/checkers/noise.py",
        "proven = (1 - v) * pc + v * pq", "proven = pc",
        "werner-mixture elementary: the quantum part v P_q (W2)", NOISE,
    ),
    Mutant(
        "noise-weight-local", "proofs/checkers/noise.py",
        "return max(Fraction(0), (v - LOCAL_VISIBILITY) / (1 - LOCAL_VISIBILITY))", "return max(Fraction(0), v - LOCAL_VISIBILITY)",
        "werner-system-dual: the W3 weight (v - v_L)/(1 - v_L)", NOISE,
    ),
    Mutant(
        "noise-supply-share", "proofs/checkers/noise.py",
        "proven = (1 - f * a) * lc + f * a * lq", "proven = (1 - a) * lc + a * lq",
        "werner-system-dual: the supply share f (W4)", NOISE,
    ),
    Mutant(
        "noise-same-nu", "proofs/checkers/noise.py",
        "if nu_c != nu_q:", "if False:",
        "werner-system-dual: one multiplier nu for both duals (W4)", NOISE,
    ),
    Mutant(
        "noise-system-claim", "proofs/checkers/noise.py",
        "    if claimed > proven:\n", "    if False:\n",
        "werner-system-dual: the claim against the proven split", NOISE,
    ),
    Mutant(
        "noise-strategy-lower", "proofs/checkers/noise.py",
        "proven = Fraction(1, 2) + corr.lower() / 2", "proven = Fraction(1, 2) + corr.rational / 2",
        "werner-strategy: the lower end of the cell sum (logs, radius)", NOISE,
    ),
    Mutant(
        "noise-strategy-visibility", "proofs/checkers/noise.py",
        "terms = [(dd, sa, sb)] + [(-v * dd,", "terms = [(dd, sa, sb)] + [(-dd,",
        "werner-strategy: the Werner correlator's factor v on <r, r'> (W1)", NOISE,
    ),
    Mutant(
        "noise-strategy-claim", "proofs/checkers/noise.py",
        "    if hd.bound > proven:\n", "    if False:\n",
        "werner-strategy: the claim against the exact value", NOISE,
    ),
    Mutant(
        "noise-measurement", "proofs/checkers/noise.py",
        "if room < 0 or sum(x * x for x in r[i]) > room * room:", "if sum(x * x for x in r[i]) > d * d:",
        "werner-strategy: |s| + |r| <= 1 (a +-1 measurement), not |r| <= 1", NOISE,
    ),
    Mutant(
        "noise-mixture-claim", "proofs/checkers/noise.py",
        "    if hd.bound < proven:\n", "    if False:\n",
        "werner-mixture: the claim against the proven mixture", NOISE,
    ),
    Mutant(
        "noise-mixture-model", "proofs/checkers/noise.py",
        'if b.side != "upper" or b.target.player_model != model:', 'if b.side != "upper":',
        "werner-mixture: each embedded bound is of its own class", NOISE,
    ),
    Mutant(
        "noise-mixture-game", "proofs/checkers/noise.py",
        "        if b.target.game != game:\n", "        if False:\n",
        "werner-mixture: embedded bounds on the same game", NOISE,
    ),
    Mutant(
        "noise-mixture-n", "proofs/checkers/noise.py",
        "        if b.target.n != hd.n:\n", "        if False:\n",
        "werner-mixture: embedded bounds on the same N",
        ("tests/proofs/checkers/test_noise.py::test_mixture_embedded_bounds_must_be_on_the_target_n",),
    ),
    Mutant(
        "noise-system-same-system", "proofs/checkers/noise.py",
        '        if sub.get("game") != game:\n', "        if False:\n",
        "werner-system-dual: embedded duals on the same system",
        ("tests/proofs/checkers/test_noise.py::test_werner_system_dual_embedded_duals_must_be_on_its_system",),
    ),
    # ---- proofs/exact/laws.py
    Mutant(
        "laws-precision", "proofs/exact/laws.py",
        "PREC = 128", "PREC = 53",
        "law enclosures: the 128-bit working precision", LAWS,
    ),
    Mutant(
        "laws-moment-hull", "proofs/exact/laws.py",
        "return _hull(self._tail_formula(j, lo, c), v_hi)", "return v_hi",
        "partial moments over a ball: the hull of both ends", LAWS,
    ),
    Mutant(
        "laws-moment-ends", "proofs/exact/laws.py",
        "lo, hi = L.lower(), L.upper()", "lo, hi = L.mid(), L.mid()",
        "partial moments over a ball: the ball's outer ends", LAWS,
    ),
    Mutant(
        "laws-quantile-proof", "proofs/exact/laws.py",
        "if (lo == 0.0 or f_lo < U) and f_hi > U:", "if True:",
        "quantile bracket: F(x_lo) < u < F(x_hi) proved by the CDF", LAWS,
    ),
    Mutant(
        "laws-quantile-bracket", "proofs/exact/laws.py",
        "return _hull(arb(lo), arb(hi))", "return arb(x)",
        "quantile bracket: the ball [x_lo, x_hi], not the Newton float", LAWS,
    ),
    Mutant(
        "laws-cdf-hull", "proofs/exact/laws.py",
        "return _hull(f_lo, f_hi)", "return f_hi",
        "CDF over a ball straddling a support end: the hull", LAWS,
    ),
    # ---- proofs/exact/sum_threshold.py
    Mutant(
        "st-outward-lo", "proofs/exact/sum_threshold.py",
        "lo[i, j] = max(_down(m), -float(full))", "lo[i, j] = float(m.mid())",
        "law game cells: crossed cells rounded down", LAW_GAMES,
    ),
    Mutant(
        "st-outward-hi", "proofs/exact/sum_threshold.py",
        "hi[i, j] = min(_up(m), float(full))", "hi[i, j] = float(m.mid())",
        "law game cells: crossed cells rounded up", LAW_GAMES,
    ),
    Mutant(
        "st-full-lo", "proofs/exact/sum_threshold.py",
        "lo = np.where(kind == 1, _fdown(full), _fdown(-full)).astype(float)",
        "lo = np.where(kind == 1, float(full), float(-full)).astype(float)",
        "law game cells: full cells +-1/N^2 rounded down", LAW_GAMES,
    ),
    Mutant(
        "st-full-hi", "proofs/exact/sum_threshold.py",
        "hi = np.where(kind == 1, _fup(full), _fup(-full)).astype(float)",
        "hi = np.where(kind == 1, float(full), float(-full)).astype(float)",
        "law game cells: full cells +-1/N^2 rounded up", LAW_GAMES,
    ),
    Mutant(
        "st-slivers", "proofs/exact/sum_threshold.py",
        "err = 2 * (_absup(law.cdf(arb(p_lo)) - f_lo) + _absup(law.cdf(arb(p_hi)) - f_hi))", "err = 0.0",
        "law game cells: the end slivers between x_lo and its float", LAW_GAMES,
    ),
    Mutant(
        "st-monotone", "proofs/exact/sum_threshold.py",
        "return (dF * (law.cdf(T - arb(s2)) - b0)).union(dF * (law.cdf(T - arb(s)) - b0))",
        "return dF * (law.cdf(T - arb(s2)) - b0)",
        "law game cells: both ends of the monotone bound (singular ends)", LAW_GAMES,
    ),
    Mutant(
        "st-classify-full", "proofs/exact/sum_threshold.py",
        "top = np.nextafter(qhi[1:, None] + qhi[None, 1:], np.inf)", "top = qhi[1:, None] + qhi[None, 1:]",
        "law game cells: x_(i+1) + x_(j+1) rounded up before a full label", LAW_GAME_ULPS,
    ),
    Mutant(
        "st-classify-outside", "proofs/exact/sum_threshold.py",
        "bot = np.nextafter(qlo[:-1, None] + qlo[None, :-1], -np.inf)", "bot = qlo[:-1, None] + qlo[None, :-1]",
        "law game cells: x_i + x_j rounded down before an outside label", LAW_GAME_ULPS,
    ),
    Mutant(
        "st-fdown", "proofs/exact/sum_threshold.py",
        "    return f if Fraction(f) <= x else math.nextafter(f, -math.inf)", "    return f",
        "law game cells: rationals rounded down to floats, not to nearest", LAW_GAMES,
    ),
    Mutant(
        "st-fup", "proofs/exact/sum_threshold.py",
        "    return f if Fraction(f) >= x else math.nextafter(f, math.inf)", "    return f",
        "law game cells: rationals rounded up to floats, not to nearest", LAW_GAMES,
    ),
    Mutant(
        "st-absup", "proofs/exact/sum_threshold.py",
        "return _fup(lo_abs if lo_abs >= hi_abs else hi_abs)", "return _fup(hi_abs)",
        "law game cells: |ball| bounded by the larger end (end slivers)",
        ("tests/proofs/exact/test_sum_threshold_margins.py::test_absolute_value_bound_covers_both_ends",),
    ),
    # ---- proofs/exact/values.py
    Mutant(
        "values-radius", "proofs/exact/values.py",
        "radius += abs(e) * (hi - lo) / 2", "radius += 0",
        "cell_sum: the half-width of enclosed boundary cells", VALUES,
    ),
    Mutant(
        "values-radius-abs", "proofs/exact/values.py",
        "radius += abs(e) * (hi - lo) / 2", "radius += e * (hi - lo) / 2",
        "cell_sum: |E_ij| in the radius", VALUES,
    ),
    Mutant(
        "values-lower", "proofs/exact/values.py",
        "return self.rational - self.radius", "return self.rational",
        "cell_sum: the radius in the lower end", VALUES,
    ),
    # ---- proofs/checkers/quantum_continuum.py (lemma Q6; each names the test that must kill it)
    Mutant(
        "q6-margin-radius", Q6_FILE, "xp, yp = reduced_weights(x, y, r)", "xp, yp = reduced_weights(x, y, 0 * r)",
        "tsirelson-dual-continuum: the enclosure margin of lemma Q2", (Q6 + "test_dual_tight_at_the_midpoint_is_refused",),
    ),
    Mutant(
        "q6-psd", Q6_FILE, "method = _dual_psd(enc, x, y)", 'method = "none"',
        "lemma Q6: the N-bin dual must be PSD (||T0|| <= 2)", (Q6 + "test_dual_that_is_not_psd_is_refused",),
    ),
    Mutant(
        "q6-variance-zero", Q6_FILE,
        "m2 = Fraction(0) if lo <= 0 <= hi else min(lo * lo, hi * hi)", "m2 = min(lo * lo, hi * hi)",
        "lemma Q6: rho^2 >= 0 only when the enclosure of M contains 0", (Q6 + "test_variance_bound_uses_the_least_square_over_the_enclosure",),
    ),
    Mutant(
        "q6-variance-least", Q6_FILE,
        "m2 = Fraction(0) if lo <= 0 <= hi else min(lo * lo, hi * hi)", "m2 = Fraction(0) if lo <= 0 <= hi else max(lo * lo, hi * hi)",
        "lemma Q6: the least M^2 over the enclosure", (Q6 + "test_variance_bound_uses_the_least_square_over_the_enclosure",),
    ),
    Mutant(
        "q6-bhatia-davis", Q6_FILE,
        "out[(int(i), int(j))] = max(1 - n4 * m2, Fraction(0)) * n3", "out[(int(i), int(j))] = max(1 - n4 * m2, Fraction(0)) * n3 / 4",
        "lemma Q6: the Bhatia-Davis variance bound (1 - rho^2) / N^3", (Q6 + "test_omega_and_eps_bound_the_fine_grid_operators",),
    ),
    Mutant(
        "q6-sqrt-up", Q6_FILE,
        "    while Fraction(s) ** 2 < w:  # a correctly rounded square root may lie one ulp below\n        s = math.nextafter(s, math.inf)\n", "",
        "lemma Q6: W rounded up (exact square check)", (Q6 + "test_sqrt_up_covers_a_square_root_that_rounds_down",),
    ),
    Mutant(
        "q6-omega", Q6_FILE, "omega = collatz_bound(rows, cols, vals, v) if keys else Fraction(0)", "omega = Fraction(0)",
        "lemma Q6: the cross-term bound omega >= ||W||^2", (Q6 + "test_claim_without_tau_is_refused",),
    ),
    Mutant(
        "q6-eps", Q6_FILE,
        "return (max(row.values(), default=Fraction(0)) + max(col.values(), default=Fraction(0))) / 2", "return Fraction(0)",
        "lemma Q6: the Schur bound eps >= ||E||", (Q6 + "test_tau_must_pay_for_eps",),
    ),
    Mutant(
        "q6-tau-eps-term", Q6_FILE,
        "4 * tau * (1 + tau - self.eps / 2) >= self.omega", "4 * tau * (1 + tau) >= self.omega",
        "lemma Q6: the eps term of the tau condition", (Q6 + "test_tau_must_pay_for_eps",),
    ),
    Mutant(
        "q6-tau-diagonal", Q6_FILE,
        "tau >= 0 and 1 + tau - self.eps / 2 >= 0 and ", "tau >= 0 and ",
        "lemma Q6: the diagonal condition 1 + tau >= eps/2", (Q6 + "test_tau_condition_needs_the_diagonal",),
    ),
    Mutant(
        "q6-scaling", Q6_FILE,
        "proven = Fraction(1, 2) + (1 + tau) * dual / 2", "proven = Fraction(1, 2) + dual / 2",
        "lemma Q6: the factor 1 + tau on the dual value", (Q6 + "test_claim_below_the_proof_is_refused",),
    ),
    # the finite XOR-game checkers (proofs/checkers/xor.py, lemmas X1-X4)
    Mutant(
        "xor-x7-distance", "proofs/checkers/xor_rounded.py",
        "proven = nested.value + Fraction(gap, 2 * den * den2)", "proven = nested.value",
        "xor-classical-rounded (lemma X7): the distance sum |M - M'| / 2 added to the nested bound",
        ("tests/proofs/checkers/test_xor_rounded.py::test_the_distance_is_needed",),
    ),
    Mutant(
        "xor-x7-half", "proofs/checkers/xor_rounded.py",
        "proven = nested.value + Fraction(gap, 2 * den * den2)", "proven = nested.value + Fraction(gap, 8 * den * den2)",
        "xor-classical-rounded (lemma X7): a quarter of the distance",
        ("tests/proofs/checkers/test_xor_rounded.py::test_the_distance_is_needed",),
    ),
    Mutant(
        "xor-x4b-slack", "proofs/exact/xor_exhaustive.py",
        "slack = 2 * len(rows) * len(cols) if shift else 0", "slack = 0",
        "xor-classical (lemma X4b): the slack 2E of the near ties kept after rounding N to 2^-s",
        ("tests/proofs/exact/test_xor_exhaustive.py::test_the_near_tie_slack_is_needed",),
    ),
    Mutant(
        "xor-x4b-half-slack", "proofs/exact/xor_exhaustive.py",
        "slack = 2 * len(rows) * len(cols) if shift else 0", "slack = len(rows) * len(cols) // 4 if shift else 0",
        "xor-classical (lemma X4b): a quarter of E instead of 2E",
        ("tests/proofs/exact/test_xor_exhaustive.py::test_the_near_tie_slack_is_needed",),
    ),
    Mutant(
        "xor-dual-radius", "proofs/checkers/xor.py",
        "xp, yp = (xf, yf) if exact else reduced_weights(xf, yf, r)", "xp, yp = (xf, yf)",
        "xor-quantum-dual: the enclosure margin of lemma Q2 on the Schur route",
        (XOR + "test_dual_schur_route_reduces_the_weights_by_the_enclosure_radius",),
    ),
    Mutant(
        "xor-dual-claim", "proofs/checkers/xor.py",
        "    elif bound < proven:\n        raise CertificateError(f\"claimed upper bound {show_rational(bound)} is below what the dual proves",
        "    elif bound < proven - 1:\n        raise CertificateError(f\"claimed upper bound {show_rational(bound)} is below what the dual proves",
        "xor-quantum-dual: the comparison of the claim with 1/2 + (sum x + sum y)/2",
        (XOR + "test_dual_claim_below_proven_value_rejected",),
    ),
    Mutant(
        "xor-vectors-claim", "proofs/checkers/xor.py",
        "    elif bound > proven:\n        raise CertificateError(f\"claimed lower bound {show_rational(bound)} exceeds",
        "    elif bound > proven + 1:\n        raise CertificateError(f\"claimed lower bound {show_rational(bound)} exceeds",
        "xor-quantum-vectors: the comparison of the claim with the strategy's exact value",
        (XOR + "test_vectors_forged_claim_rejected",),
    ),
    Mutant(
        "xor-small-radius", "proofs/checkers/xor.py",
        "xs, ys = lowered(xs, prep.row), lowered(ys, prep.col)", "xs, ys = xs, ys",
        "xor-quantum-dual: the enclosure margin of lemma Q2 on the Python-float route of small games",
        (XOR + "test_small_route_reduces_the_weights_by_the_enclosure_radius",),
    ),
    Mutant(
        "xor-small-half-up", "proofs/checkers/xor.py",
        "math.nextafter(0.5 * math.fsum(row), up)", "0.5 * math.fsum(row)",
        "lemma Q2 in Python floats: the step up covering fsum's rounding (and a subnormal half)",
        (XOR + "test_small_route_margins_bound_the_exact_sums",),
    ),
    Mutant(
        "xor-small-lowered", "proofs/checkers/xor.py",
        "return [math.nextafter(a - m, down) for a, m in zip(x, margin)]", "return [a - m for a, m in zip(x, margin)]",
        "lemma Q2 in Python floats: x - margin rounded down",
        (XOR + "test_small_route_margins_bound_the_exact_sums",),
    ),
    Mutant(
        "xor-scaled-down", "proofs/checkers/xor.py",
        "return [math.nextafter(s * t, down) for t in x]", "return [s * t for t in x]",
        "lemma X1b in Python floats: 2 L x rounded down (the rounded product can exceed it)",
        (XOR + "test_scaled_route_tests_minus_n_and_weights_at_most_2l_x",),
    ),
    Mutant(
        "xor-scaled-range", "proofs/checkers/xor.py",
        "        if den < _SCALED_DEN:\n", "        if den < 2**62:\n",
        "lemma X1b with s = 2 L only for L < 2^52, where 2 L and N are exact floats",
        (XOR + "test_scaled_route_only_below_two_to_the_52",),
    ),
    Mutant(
        "xor-scaled-unit", "proofs/checkers/xor.py",
        "    xs, ys = (xl, yl) if s == 1.0 else", "    xs, ys = (xl, yl) if s >= 1.0 else",
        "lemma X1b: only s = 1 leaves the weights unscaled (s = 2 L scales and rounds them down)",
        (XOR + "test_scaled_route_tests_minus_n_and_weights_at_most_2l_x",),
    ),
    Mutant(
        "xor-dyadic-power-of-two", "proofs/checkers/xor.py",
        "        elif den & (den - 1) == 0 and den.bit_length()", "        elif den.bit_length()",
        "lemma X1b with s = 1: M / 2 is read from the nearest floats only when L = 2^k (else they are rounded)",
        (XOR + "test_dyadic_route_only_for_float_entries_and_a_power_of_two",),
    ),
    Mutant(
        "xor-dyadic-entries", "proofs/checkers/xor.py",
        "den.bit_length() <= _DYADIC_BITS and bm.max_abs < _DYADIC_ENTRY:", "den.bit_length() <= _DYADIC_BITS:",
        "lemma X1b with s = 1: every |N_xy| < 2^53, so that N 2^-k is a float (its nearest float is itself)",
        (XOR + "test_dyadic_route_only_for_float_entries_and_a_power_of_two",),
    ),
    Mutant(
        "xor-dyadic-exponent", "proofs/checkers/xor.py",
        "den.bit_length() <= _DYADIC_BITS and bm.max_abs", "den.bit_length() <= 1100 and bm.max_abs",
        "lemma X1b with s = 1: L <= 2^1000, so that N 2^-(k+1) is neither subnormal nor zero",
        (XOR + "test_dyadic_route_only_for_float_entries_and_a_power_of_two",),
    ),
    Mutant(
        "xor-dyadic-half", "proofs/checkers/xor.py",
        "            b = bm.nearest * 0.5", "            b = bm.nearest * 1.0",
        "lemma X1b with s = 1: the off-diagonal block is M / 2, not M",
        (XOR + "test_dyadic_route_tests_half_m_and_weights_at_most_x",),
    ),
    Mutant(
        "xor-dyadic-max", "proofs/checkers/xor.py",
        "math.ldexp(float(bm.max_abs), -den.bit_length())", "math.ldexp(float(bm.max_abs), -den.bit_length() - 8)",
        "lemma X1b with s = 1: max |B| = max |N| 2^-(k+1) bounds |F| in lemma X1a's numpy form",
        (XOR + "test_dyadic_route_tests_half_m_and_weights_at_most_x",),
    ),
    Mutant(
        "xor-lean-nan", "proofs/checkers/xor.py",
        "    if not (np.isfinite(x).all() and np.isfinite(y).all()):", "    if False:",
        "lemma X1a's ranges: finite weights (a NaN after the first one passes Python's min and max)",
        (XOR + "test_lean_schur_refuses_out_of_range_input",),
    ),
    Mutant(
        "xor-lean-breakdown-numpy", "proofs/checkers/xor.py",
        "    if not (min(r.diagonal().tolist()) > 0.0 and math.isfinite(r.sum())):", "    if False:",
        "lemma X1a's numpy form: a Cholesky breakdown (cholesky_lower's NaN factor) is no proof",
        (XOR + "test_every_lean_form_refuses_a_cholesky_breakdown",),
    ),
    Mutant(
        "xor-lean-f-range-numpy", "proofs/checkers/xor.py",
        "    if not bmax * max(sc) <= _LEAN_BIG:\n", "    if False:\n",
        "lemma X1a's range |F| <= 2^40 in the numpy form (bounded by fl(max|B| max s))",
        (XOR + "test_every_lean_form_refuses_a_large_f",),
    ),
    Mutant(
        "xor-lean-f-range-gram", "proofs/checkers/xor.py",
        "        if not np.abs(fa).max() <= _LEAN_BIG:", "        if False:",
        "lemma X1a's range |F| <= 2^40 in the loops with F and G from numpy",
        (XOR + "test_every_lean_form_refuses_a_large_f",),
    ),
    Mutant(
        "xor-lean-f-range-loops", "proofs/checkers/xor.py",
        "        if not max(map(abs, itertools.chain.from_iterable(f))) <= _LEAN_BIG:", "        if False:",
        "lemma X1a's range |F| <= 2^40 in the plain loops",
        (XOR + "test_every_lean_form_refuses_a_large_f",),
    ),
    Mutant(
        "xor-dual-float-sum", "proofs/checkers/xor.py",
        "    while rest != 0.0:\n        p, q = rest.as_integer_ratio()", "    while False:\n        p, q = rest.as_integer_ratio()",
        "xor-quantum-dual in memory: the exact sum of the float weights keeps every split float (not fsum's rounded sum alone)",
        (XOR + "test_float_half_sum_is_exact",),
    ),
    Mutant(
        "xor-dual-float-sum-scale", "proofs/checkers/xor.py",
        "            num, den = num * (q // den) + p, q", "            num, den = num + p * (den // q), den",
        "xor-quantum-dual in memory: a split float of finer denominator rescales the sum so far",
        (XOR + "test_float_half_sum_is_exact",),
    ),
    Mutant(
        "xor-enclosure-exact", "proofs/exact/xor_matrix.py",
        "    exact = small and pow2\n", "    exact = pow2\n",
        "lemma X1's enclosure: r = 0 only when every N_xy / 2^k is a float (|N| < 2^53)",
        (XOR + "test_nearest_floats_both_routes_enclose_the_matrix",),
    ),
    Mutant(
        "xor-nearest-flat-scale", "proofs/exact/xor_matrix.py",
        "            scale = 2.0 ** (1 - den.bit_length())", "            scale = 2.0 ** (2 - den.bit_length())",
        "lemma X1's enclosure, flat route: N / 2^k is N times the float 2^-k",
        (XOR + "test_nearest_floats_both_routes_enclose_the_matrix",),
    ),
    Mutant(
        "xor-trace-budget", "proofs/exact/xor_matrix.py",
        "        smax = (62 - p_bits - r) // 2", "        smax = (66 - p_bits - r) // 2",
        "lemma X2's limb trace: digits small enough that no int64 partial sum overflows (bitlen(P) + r + 2 s <= 62)",
        ("tests/proofs/exact/test_xor_matrix.py::test_limb_trace_partial_sums_reach_their_bound_without_overflow",),
    ),
    Mutant(
        "xor-trace-digits", "proofs/exact/xor_matrix.py",
        "            lv = -(-w_bits // smax)", "            lv = max(1, -(-w_bits // smax) - 1)",
        "lemma X2's limb trace: enough vector digits (l s >= 60) for the top digit to lie in [-2^s, 2^s]",
        ("tests/proofs/exact/test_xor_matrix.py::test_limb_trace_partial_sums_reach_their_bound_without_overflow",),
    ),
    Mutant(
        "xor-trace-entry-bits", "proofs/checkers/xor.py",
        "tot = stacked_total(bm.ints, w, rows, n64, bm.max_abs, VECTOR_BITS)", "tot = stacked_total(bm.ints, w, rows, n64, bm.max_abs, 30)",
        "lemma X2's limb trace in the checker: the vectors' entries reach 2^60 (the norm test's bound), not fewer bits",
        (XOR + "test_in_memory_vectors_in_every_form_give_the_exact_value",),
    ),
    Mutant(
        "xor-vectors-filter", "proofs/checkers/xor.py",
        "NORM_FILTER = 2.0**120 - 2.0**80", "NORM_FILTER = 2.0**120",
        "lemma X2's float norm filter: the margin 2^80 covering the d + 2 roundings of the float sum of squares",
        (XOR + "test_vectors_norm_filter_proves_only_norms_at_most_one",),
    ),
    Mutant(
        "xor-vectors-filter-fallback", "proofs/checkers/xor.py",
        '        d = w.shape[1]\n        _norms_at_most_one("u", w[:rows].ravel().tolist(), d)\n', '        d = w.shape[1]\n',
        "lemma X2's float norm filter: when it cannot prove the norms, the exact test decides (u)",
        (XOR + "test_vectors_norm_filter_proves_only_norms_at_most_one",),
    ),
    Mutant(
        "xor-vectors-floats-fallback", "proofs/checkers/xor.py",
        '    if not filtered:  # the exact test decides\n        _norms_at_most_one("u", w[:rows].ravel().tolist(), d)\n',
        "    if not filtered:  # the exact test decides\n",
        "lemma X2 on float vectors: when the filter cannot prove the norms of fl(t c), the exact test decides (u)",
        (XOR + "test_float_vectors_beyond_the_unit_ball_or_not_finite_are_refused",),
    ),
    Mutant(
        "xor-vectors-norm-exact", "proofs/checkers/xor.py",
        "    if max(norms) > _NORM2:  # (an entry", "    if max(norms) > 2 * _NORM2:  # (an entry",
        "xor-quantum-vectors: the exact norm test |u| <= 1 behind the float filter",
        (XOR + "test_vectors_norm_filter_proves_only_norms_at_most_one",),
    ),
    Mutant(
        "xor-int64-range", "proofs/exact/xor_matrix.py",
        '        if self.__dict__["_max_abs"] >= 2**62:', '        if self.__dict__["_max_abs"] >= 2**63:',
        "lemma L's input range for the cached int64 N of xor-quantum-vectors: every |N_xy| < 2^62",
        (XOR + "test_bias_matrix_int64_only_below_two_to_the_62",),
    ),
    Mutant(
        "xor-max-abs", "proofs/exact/xor_matrix.py",
        '        self.__dict__["_max_abs"] = max(absolute)', '        self.__dict__["_max_abs"] = max(flat)',
        "lemma X1's enclosure and lemma L's range read the largest |N_xy| the validation found",
        (XOR + "test_bias_matrix_enclosure_uses_its_own_maximum_and_int64",),
    ),
    Mutant(
        "xor-vectors-norm-coordinates", "proofs/checkers/xor.py",
        "    for t in range(1, d):  # coordinate t", "    for t in range(1, d - 1):  # coordinate t",
        "xor-quantum-vectors: the exact norm sums every coordinate",
        (XOR + "test_vectors_norms_read_every_coordinate_and_name_the_vector",),
    ),
    Mutant(
        "xor-vectors-norm", "proofs/checkers/xor.py",
        "if max(_squared_norms(flat, d)) > _NORM2:", "if max(_squared_norms(flat, d)) > 4 * _NORM2:",
        "xor-quantum-vectors: the exact norm test |u| <= 1",
        (XOR + "test_vectors_longer_than_one_are_refused",),
    ),
    Mutant(
        "xor-lean-rump", "proofs/checkers/xor.py",
        "return (c1 * trace_a + c2 * trace_g + 2.0**-1000) * (1.0 + 2.0**-30)", "return (c2 * trace_g + 2.0**-1000) * (1.0 + 2.0**-30)",
        "lemma X1a: Theorem V's Cholesky shift 2 alpha tr A (and 2u tr A) in the lean Schur test",
        (XOR + "test_lean_shift_covers_the_exact_shift_of_lemma_q5",),
    ),
    Mutant(
        "xor-lean-err", "proofs/checkers/xor.py",
        "return (c1 * trace_a + c2 * trace_g + 2.0**-1000) * (1.0 + 2.0**-30)", "return (c1 * trace_a + 2.0**-1000) * (1.0 + 2.0**-30)",
        "lemma X1a: lemma Q5's Schur enclosure error gamma tr G / (1 - gamma) in the lean Schur test",
        (XOR + "test_lean_shift_covers_the_exact_shift_of_lemma_q5",),
    ),
    Mutant(
        "xor-lean-underflow", "proofs/checkers/xor.py",
        "return (c1 * trace_a + c2 * trace_g + 2.0**-1000) * (1.0 + 2.0**-30)", "return (c1 * trace_a + c2 * trace_g) * (1.0 + 2.0**-30)",
        "lemma X1a: the 2^-1000 covering the underflow terms of Q5 and Theorem V",
        (XOR + "test_lean_shift_covers_the_exact_shift_of_lemma_q5",),
    ),
    Mutant(
        "xor-lean-rounding", "proofs/checkers/xor.py",
        "return (c1 * trace_a + c2 * trace_g + 2.0**-1000) * (1.0 + 2.0**-30)", "return c1 * trace_a + c2 * trace_g + 2.0**-1000",
        "lemma X1a: the factor 1 + 2^-30 covering the float traces and products",
        (XOR + "test_lean_shift_covers_the_exact_shift_of_lemma_q5",),
    ),
    Mutant(
        "xor-classical-overflow", "proofs/checkers/xor.py",
        "    if den >= MAX_DENOMINATOR:  # lemma X4b", "    if False:  # lemma X4b",
        "xor-classical: the 2^62 bound on the common denominator that keeps the int64 search exact (beyond it: lemma X4b)",
        (XOR + "test_classical_exhaustive_beyond_int64_is_exact_by_lemma_x4b",),
    ),
    Mutant(
        "xor-classical-symmetry", "proofs/exact/xor_exhaustive.py",
        "s1 = g1 @ mi[1:1 + h1] + mi[0]", "s1 = g1 @ mi[1:1 + h1]",
        "xor-classical: the first row fixed to +1 (the symmetry a -> -a) must still be counted",
        (XOR + "test_classical_exhaustive_matches_enumeration_of_both_players",),
    ),
    # the branch-and-bound checker of finite XOR games (proofs/checkers/xor_bnb.py, lemma X5)
    Mutant(
        "xor-bnb-claim", "proofs/checkers/xor_bnb.py",
        "    if hd.bound < proven:\n", "    if hd.bound < proven - Fraction(1, 2 * den):\n",
        "xor-classical-bnb: the comparison of the claim with 1/2 + max_p w_p / (2 L)",
        (XBNB + "test_claim_below_the_proven_value_is_rejected",),
    ),
    Mutant(
        "xor-bnb-floor", "proofs/checkers/xor_bnb.py",
        "    return tot >> e if e >= 0 else tot << -e\n", "    return (tot >> e) - 1 if e >= 0 else tot << -e\n",
        "xor-classical-bnb: the leaf bound is floor(sum x + sum y), not one less",
        (XBNB + "test_dual_leaf_bound_is_the_floor_of_the_dual_sum",),
    ),
    Mutant(
        "xor-bnb-kraft", "proofs/checkers/xor_bnb.py",
        "    if total != 1 << (m - 1):\n", "    if total > 1 << (m - 1):\n",
        "xor-classical-bnb: the leaves must cover every strategy (Kraft sum exactly 1, lemma X5 (a))",
        (XBNB + "test_missing_leaf_is_rejected",),
    ),
    Mutant(
        "xor-bnb-disjoint", "proofs/checkers/xor_bnb.py",
        "        if q.startswith(p):\n", "        if False:\n",
        "xor-classical-bnb: the prefix-free test (a sum-one overlap could hide an uncovered strategy)",
        (XBNB + "test_overlapping_leaves_are_rejected_even_when_the_kraft_sum_is_one",),
    ),
    Mutant(
        "xor-bnb-first-sign", "proofs/checkers/xor_bnb.py",
        'or p[0] != "+" or', "or",
        "xor-classical-bnb: every prefix starts with + (the symmetry covers only the negated half)",
        (XBNB + "test_negated_half_does_not_count_as_the_missing_one",),
    ),
    Mutant(
        "xor-bnb-folded-row", "proofs/checkers/xor_bnb.py",
        "w = classical_exhaustive(kp)", "w = classical_exhaustive(ko[d:]) if d < m else 0",
        "xor-classical-bnb: the enumerated leaf includes the folded row c of its fixed signs",
        (XBNB + "test_enumerated_leaf_includes_the_folded_row",),
    ),
    Mutant(
        "xor-bnb-psd", "proofs/checkers/xor_bnb.py",
        "            if not res.ok:\n", "            if False:\n",
        "xor-classical-bnb: the dual matrix of a pruned leaf must be proved PSD (lemma Q5)",
        (XBNB + "test_forged_dual_weights_are_not_psd", XBNB + "test_dual_needs_a_margin_for_the_singular_optimum"),
    ),
    Mutant(
        "xor-bnb-denominator", "proofs/checkers/xor_bnb.py",
        "    if den >= MAX_DENOMINATOR:\n", "    if False:\n",
        "xor-classical-bnb: L < 2^53 keeps every entry of K' an exact float",
        (XBNB + "test_denominator_guard_keeps_entries_exact_floats",),
    ),
    # the cut leaves of xor-classical-bnb (proofs/exact/xor_cuts.py and proofs/checkers/xor_bnb.py, lemma X6)
    Mutant(
        "xor-cuts-sign-product", XCUT_FILE,
        "(s[:, 0] * s[:, 1] * s[:, 2] != 1,", "(s[:, 0] * 0 != 0,",
        "xor-classical-bnb cuts: s1 s2 s3 = +1 (with product -1 the triangle inequality is false)",
        (XCUT + "test_bad_cuts_are_refused", XBNB + "test_malformed_cut_leaves_are_refused"),
    ),
    Mutant(
        "xor-cuts-mu-nonnegative", XCUT_FILE,
        "(~((q >= 0) & (q < MAX_EXACT)),", "(~(q < MAX_EXACT),",
        "xor-classical-bnb cuts: mu = q / 2^e >= 0 (a negative multiplier reverses the inequality)",
        (XCUT + "test_bad_cuts_are_refused", XBNB + "test_malformed_cut_leaves_are_refused"),
    ),
    Mutant(
        "xor-cuts-q-limit", XCUT_FILE,
        "(~((q >= 0) & (q < MAX_EXACT)),", "(~(q >= 0),",
        "xor-classical-bnb cuts: q < 2^53",
        (XCUT + "test_bad_cuts_are_refused", XBNB + "test_malformed_cut_leaves_are_refused"),
    ),
    Mutant(
        "xor-cuts-distinct", XCUT_FILE,
        "(~((i >= 0) & (i < j) & (j < k) & (k < n)),", "(~((i >= 0) & (i <= j) & (j <= k) & (k < n)),",
        "xor-classical-bnb cuts: i < j < k (three distinct nodes, none on the diagonal)",
        (XCUT + "test_bad_cuts_are_refused", XBNB + "test_malformed_cut_leaves_are_refused"),
    ),
    Mutant(
        "xor-cuts-index-range", XCUT_FILE,
        "(~((i >= 0) & (i < j) & (j < k) & (k < n)),", "(~((i < j) & (j < k)),",
        "xor-classical-bnb cuts: 0 <= i and k < n' (numpy would wrap a negative index)",
        (XCUT + "test_bad_cuts_are_refused", XBNB + "test_malformed_cut_leaves_are_refused"),
    ),
    Mutant(
        "xor-cuts-exponent", XCUT_FILE,
        "    if type(e) is not int or not 0 <= e <= MAX_CUT_EXPONENT:\n        raise ProofsParameterError",
        "    if type(e) is not int:\n        raise ProofsParameterError",
        "xor_cuts: the exponent lies in [0, 1000] (the floor is a right shift by e)",
        (XCUT + "test_bad_arrays_and_parameters_are_refused",),
    ),
    Mutant(
        "xor-cuts-exact-floats", XCUT_FILE,
        "    if amax >= MAX_EXACT:\n", "    if False:\n",
        "xor-classical-bnb cuts: entries of 2^(e+1) A >= 2^53 refused (the float copy must be exact)",
        (XCUT + "test_entries_of_2_to_the_53_are_refused", XBNB + "test_cut_leaf_entries_of_2_to_the_53_are_refused"),
    ),
    Mutant(
        "xor-cuts-exact-floats-edge", XCUT_FILE,
        "    if amax >= MAX_EXACT:\n", "    if amax > MAX_EXACT:\n",
        "xor-classical-bnb cuts: an entry of exactly 2^53 is refused too",
        (XCUT + "test_entries_of_2_to_the_53_are_refused",),
    ),
    Mutant(
        "xor-cuts-overflow-guard", XCUT_FILE,
        "    fast = bound < INT64_SAFE\n", "    fast = True\n",
        "xor-classical-bnb cuts: int64 only under the a-priori bound 2^e max|K'| + sum q < 2^62 (else Python integers)",
        (XCUT + "test_overflow_guard_switches_to_python_integers", XBNB + "test_cut_leaf_overflow_guard"),
    ),
    Mutant(
        "xor-cuts-diag-half", XCUT_FILE,
        "np.array([2 * t for t in ks], dtype=dtype)", "np.array([t for t in ks], dtype=dtype)",
        "xor-classical-bnb cuts: the diagonal of 2^(e+1) A is 2 k (not k)",
        (XCUT + "test_matrix_equals_the_fraction_construction", XBNB + "test_cut_leaf_needs_its_diagonal"),
    ),
    Mutant(
        "xor-cuts-diag-double", XCUT_FILE,
        "np.array([2 * t for t in ks], dtype=dtype)", "np.array([4 * t for t in ks], dtype=dtype)",
        "xor-classical-bnb cuts: the diagonal of 2^(e+1) A is 2 k (not 4 k: a D half as large would pass)",
        (XBNB + "test_cut_leaf_needs_its_diagonal",),
    ),
    Mutant(
        "xor-cuts-leaf-scale", XCUT_FILE,
        "        scale = -(1 << e)", "        scale = -(1 << max(e - 1, 0))",
        "xor-classical-bnb cuts: the leaf block of 2^(e+1) A is 2^e K' (2^(e+1) Q)",
        (XBNB + "test_cut_leaf_needs_its_multipliers",),
    ),
    Mutant(
        "xor-cuts-cut-double", XCUT_FILE,
        "        v = -q[:, None] * s", "        v = -2 * q[:, None] * s",
        "xor-classical-bnb cuts: a cut enters 2^(e+1) A as q S_t (2^(e+1) mu T_t), not 2 q S_t",
        (XBNB + "test_cut_leaf_needs_its_multipliers",),
    ),
    Mutant(
        "xor-cuts-cut-half", XCUT_FILE,
        "        v = -q[:, None] * s", "        v = -(q[:, None] // 2) * s",
        "xor-classical-bnb cuts: a cut enters 2^(e+1) A as q S_t, not q S_t / 2 (the bound counts all of q)",
        (XBNB + "test_cut_leaf_needs_its_multipliers",),
    ),
    Mutant(
        "xor-cuts-floor", XCUT_FILE,
        "    return (sum(tk) + sum(tq)) >> _exponent(e)", "    return ((sum(tk) + sum(tq)) >> _exponent(e)) - 1",
        "xor-classical-bnb cuts: the leaf bound is floor((sum k + sum q) / 2^e), not one less",
        (XCUT + "test_leaf_value_is_the_floor", XBNB + "test_cut_leaf_bound_is_the_floor_of_d_plus_q"),
    ),
    Mutant(
        "xor-cuts-sum-q", XCUT_FILE,
        "    return (sum(tk) + sum(tq)) >> _exponent(e)", "    return sum(tk) >> _exponent(e)",
        "xor-classical-bnb cuts: the leaf bound counts sum mu (each triangle term is >= -1)",
        (XBNB + "test_cut_leaf_bound_is_the_floor_of_d_plus_q",),
    ),
    Mutant(
        "xor-cuts-psd", XCUT_FILE,
        "    if not res.ok:\n        return CutLeafCheck(False", "    if False:\n        return CutLeafCheck(False",
        "xor-classical-bnb cuts: 2^(e+1) A must be proved positive definite (lemma X6)",
        (XBNB + "test_cut_leaf_needs_its_diagonal", XBNB + "test_cut_leaf_needs_its_multipliers"),
    ),
    Mutant(
        "xor-cuts-folded-row", "proofs/checkers/xor_bnb.py",
        "w = _cut_leaf(leaf, i, kp)", "w = _cut_leaf(leaf, i, ko[d - 1:])",
        "xor-classical-bnb cuts: node 0 of a cut leaf is the folded row c of its fixed signs",
        (XBNB + "test_cut_leaves_mix_with_other_leaf_forms_and_honour_order_and_transpose",),
    ),
    Mutant(
        "xor-cuts-mixed-forms", "proofs/checkers/xor_bnb.py",
        "    if len(forms) > 1:\n", "    if False:\n",
        "xor-classical-bnb: a leaf carrying the keys of two forms is refused",
        (XBNB + "test_malformed_cut_leaves_are_refused",),
    ),
    Mutant(
        "xor-cuts-count", "proofs/checkers/xor_bnb.py",
        "    if len(raw) > MAX_CUTS_PER_LEAF * n:\n", "    if False:\n",
        "xor-classical-bnb cuts: at most MAX_CUTS_PER_LEAF x n' cuts per leaf",
        (XBNB + "test_malformed_cut_leaves_are_refused", XBNB + "test_cut_work_limits"),
    ),
    Mutant(
        "xor-cuts-work", "proofs/checkers/xor_bnb.py",
        "            if cut_work > MAX_CUT_WORK:\n", "            if False:\n",
        "xor-classical-bnb cuts: the work budget sum n'^3 <= MAX_CUT_WORK",
        (XBNB + "test_cut_work_limits",),
    ),    # the NPA dual checker of K-party correlator games (proofs/checkers/multiparty.py, proofs/exact/npa_moments.py, lemma N1)
    Mutant(
        "npa-mp-claim", "proofs/checkers/multiparty.py",
        "    if hd.bound < proven:\n", "    if hd.bound < proven - 1:\n",
        "npa-multiparty-dual: the comparison of the claim with constant + tr Z + residual",
        (NPA_MP + "test_claim_below_the_proven_value_is_rejected",),
    ),
    Mutant(
        "npa-mp-weighted-residual", "proofs/exact/npa_moments.py",
        "residual = Fraction(unweighted * den + weighted, den * 2**e)", "residual = Fraction(unweighted * den, den * 2**e)",
        "lemma N1: the residual |s_m + c_m| of the moments the game weighs",
        (NPA_MP + "test_unbalanced_dual_pays_the_residual",),
    ),
    Mutant(
        "npa-mp-unweighted-residual", "proofs/exact/npa_moments.py",
        "residual = Fraction(unweighted * den + weighted, den * 2**e)", "residual = Fraction(weighted, den * 2**e)",
        "lemma N1: the residual |s_m| of the moments the game does not weigh",
        (NPA_MP + "test_unweighted_moments_pay_the_residual",),
    ),
    Mutant(
        "npa-mp-psd", "proofs/checkers/multiparty.py",
        "    if not res.ok:\n        raise CertificateError(f\"dual matrix Z", "    if False:\n        raise CertificateError(f\"dual matrix Z",
        "lemma N1: the PSD test of Z (exact LDL^T or verified Cholesky)",
        (NPA_MP + "test_non_psd_dual_is_rejected_exact_and_verified",),
    ),
    Mutant(
        "npa-mp-exact-floats", "proofs/checkers/multiparty.py",
        "not -(2**DUAL_BITS) < t < 2**DUAL_BITS", "not -(2**62) < t < 2**62",
        "npa-multiparty-dual: dual integers below 2^53, so that k / 2^E is a float exactly on the verified route",
        (NPA_MP + "test_format_errors",),
    ),
    Mutant(
        "xor-bareiss-zero-pivot", "proofs/exact/integer_psd.py",
        "            if any(t != 0 for t in w[0, 1:]):", "            if False:",
        "lemma B: a zero pivot needs a zero row",
        ("tests/proofs/exact/test_integer_psd.py",),
    ),
    Mutant(
        "xor-schur-fast-err", "proofs/exact/psd.py",
        "shift = float_up(Fraction(rump_shift(enc.a)) + enc.err)", "shift = float_up(Fraction(rump_shift(enc.a)))",
        "lemma Q5 (the XOR dual's Schur test): the Schur enclosure error on top of Theorem V's shift",
        ("tests/proofs/exact/test_psd.py",),
    ),
    Mutant(
        "xor-schur-fast-rump", "proofs/exact/psd.py",
        "shift = float_up(Fraction(rump_shift(enc.a)) + enc.err)", "shift = float_up(enc.err)",
        "Theorem V (the XOR dual's Schur test): the Cholesky rounding shift",
        ("tests/proofs/exact/test_psd.py",),
    ),
    Mutant(
        "xor-limb-bound", "proofs/exact/limb_matmul.py",
        "    s = (62 - k.bit_length()) // 2", "    s = (66 - k.bit_length()) // 2",
        "lemma L: limbs small enough that no int64 partial sum overflows",
        ("tests/proofs/exact/test_limb_matmul.py",),
    ),
    Mutant(
        "routers-lift", "proofs/checkers/routers_system.py",
        "    proven = 1 - lagr - lift\n", "    proven = 1 - lagr\n",
        "routers-dual: the continuum lifting term of lemma R5",
        ("tests/proofs/checkers/test_routers_system.py::test_continuum_claim_pays_the_lifting_term",),
    ),
    Mutant(
        "routers-weight-error", "proofs/checkers/routers_system.py",
        "    lagr = ib.value + eps\n", "    lagr = ib.value\n",
        "routers-dual: the distance of the inner weights to the true (arb) Lagrangian weights (lemma R5a)",
        ("tests/proofs/checkers/test_routers_system.py::test_weight_error_is_charged",),
    ),
    Mutant(
        "routers-feasible", "proofs/checkers/routers_system.py",
        "    if wq_up > point.W_limit:\n", "    if wq_up > 2 * point.W_limit:\n",
        "routers-strategy: W_q proved <= W_limit (lemma R6)",
        ("tests/proofs/checkers/test_routers_system.py::test_all_on_one_server_costs_W_bunch_and_never_splits",),
    ),
    Mutant(
        "routers-bins-target", "proofs/checkers/routers_system.py",
        ' or any("thresholds" in c for c in comps):\n', ":\n",
        "routers-strategy: the N-bin target needs every component constant on the bins (lemma R6)",
        ("tests/proofs/checkers/test_routers_system.py::test_bin_constant_strategy_may_target_the_n_bin_optimum",),
    ),
    Mutant(
        "rc-support-H", "proofs/checkers/routers_continuum.py",
        "            if H < h_up:\n", "            if False:\n",
        "routers-continuum-dual: H proved >= h(alpha, beta) = E|alpha + beta X| (lemma R7 b)",
        ("tests/proofs/checkers/test_routers_continuum.py::test_H_below_the_support_function_is_rejected",),
    ),
    Mutant(
        "rc-support-formula", "proofs/exact/contraction_moments.py",
        "(arb_fraction(x0) - m + 2 * m * (-arb_fraction(mu * x0)).exp())", "(arb_fraction(x0) - m + m * (-arb_fraction(mu * x0)).exp())",
        "routers-continuum-dual: the exponential support function E|X - x0| = x0 - 1/mu + 2 e^(-mu x0)/mu (lemma R7 b)",
        ("tests/proofs/exact/test_contraction_moments.py::test_support_function_matches_quadrature",),
    ),
    Mutant(
        "rc-weight-R", "proofs/checkers/routers_continuum.py",
        "            ok = all(lower_rational(x) >= 0 for x in (d00, d11, det))\n", "            ok = True\n",
        "routers-continuum-dual: R proved >= E[1/omega] E[omega v v^T] (lemma R7 c)",
        ("tests/proofs/checkers/test_routers_continuum.py::test_R_below_the_weight_moments_is_rejected",),
    ),
    Mutant(
        "rc-weight-moments", "proofs/exact/contraction_moments.py",
        "    e2 = sum((arb_fraction(w) * (tails[k] - tails[k + 1]) for", "    e2 = sum((arb_fraction(w) * (tails[k] - tails[k]) for",
        "routers-continuum-dual: the bin second moments E[X^2; bin] of the weight enclosure (lemma R7 c)",
        ("tests/proofs/checkers/test_routers_continuum.py::test_weight_moments_are_the_true_partial_moments",),
    ),
    Mutant(
        "rc-even-cross-word", "proofs/exact/contraction_moments.py",
        "            w[i] = u[i] + str(s) + v[i]\n", "            w[i] = v[i] + str(s) + u[i]\n",
        "routers-continuum-dual level 1+ab+even: the cross word w_k^dagger O_i^s l_m of the weighted matrix (lemma R9)",
        ("tests/proofs/exact/test_contraction_moments.py::test_dual_sums_match_matrices_built_from_operators",),
    ),
    Mutant(
        "rc-even-right-word", "proofs/exact/contraction_moments.py",
        "            return \"1\", None, canonical(tuple(x[::-1] + y for x, y in zip(u, v)))\n",
        "            return \"1\", None, canonical(tuple(y + x for x, y in zip(u, v)))\n",
        "routers-continuum-dual level 1+ab+even: the right block y(l_m^dagger l_n) of the weighted matrix (lemma R9)",
        ("tests/proofs/exact/test_contraction_moments.py::test_dual_sums_match_matrices_built_from_operators",),
    ),
    Mutant(
        "rc-claim", "proofs/checkers/routers_continuum.py",
        "    if claimed > proven:\n", "    if claimed > proven + 1:\n",
        "routers-continuum-dual: the comparison of the claim with what the dual proves (lemma R7)",
        ("tests/proofs/checkers/test_routers_continuum.py::test_claim_above_the_proven_value_is_rejected",),
    ),
    Mutant(
        "rc-constant", "proofs/checkers/routers_continuum.py",
        "    proven = 1 - point.constant(nu) - G\n", "    proven = 1 - G\n",
        "routers-continuum-dual: the constant C(nu) of the Lagrangian (lemma R3)",
        ("tests/proofs/checkers/test_routers_continuum.py::test_constant_C_nu_is_charged", "tests/proofs/checkers/test_routers_continuum.py::test_valid_certificate_is_accepted_and_below_the_classical_strategy"),
    ),
    Mutant(
        "rc-residual", "proofs/exact/contraction_moments.py",
        "            residual += abs(r) * moment_bound(k, m1)\n", "            residual += 0 * abs(r)\n",
        "routers-continuum-dual: the residual of the moment sums, charged with the letter bounds (lemma R7)",
        ("tests/proofs/checkers/test_routers_continuum.py::test_residual_is_charged",),
    ),
    Mutant(
        "rc-letter-bound", "proofs/exact/contraction_moments.py",
        "    return m1 ** sum(p.count(\"1\") for p in w)\n", "    return Fraction(1)\n",
        "routers-continuum-dual: |y_w| <= m1^(#letters 1): ||O^1|| <= E|X| (lemma R7)",
        ("tests/proofs/exact/test_contraction_moments.py::test_moment_bound_and_proven_value_residual",),
    ),
    Mutant(
        "rc-psd-moment", "proofs/checkers/routers_continuum.py",
        "    res = exact_psd(_square(Z, n))\n    if not res.ok:\n", "    res = exact_psd(_square(Z, n))\n    if False:\n",
        "routers-continuum-dual: the moment dual Z is PSD (exact LDL)",
        ("tests/proofs/checkers/test_routers_continuum.py::test_non_psd_duals_are_rejected",),
    ),
    Mutant(
        "rc-psd-localizing", "proofs/checkers/routers_continuum.py",
        "            res = exact_psd(_square(flat, m))\n            if not res.ok:\n", "            res = exact_psd(_square(flat, m))\n            if False:\n",
        "routers-continuum-dual: every localizing dual is PSD (exact LDL)",
        ("tests/proofs/checkers/test_routers_continuum.py::test_non_psd_duals_are_rejected",),
    ),
    Mutant(
        "rc-psd-weighted", "proofs/checkers/routers_continuum.py",
        "            res = exact_psd(_square(flat, nw))\n            if not res.ok:\n", "            res = exact_psd(_square(flat, nw))\n            if False:\n",
        "routers-continuum-dual: every weighted Cauchy-Schwarz dual is PSD (exact LDL)",
        ("tests/proofs/checkers/test_routers_continuum.py::test_non_psd_duals_are_rejected",),
    ),
    Mutant(
        "routers-ideal-feasible", "proofs/checkers/routers_ideal.py",
        "            if wq_up > point.W_limit:\n", "            if False:\n",
        "routers-ideal (rule): W_q proved <= W_limit (lemma R8a)",
        ("tests/proofs/checkers/test_routers_ideal.py::test_rule_must_meet_W_limit",),
    ),
    Mutant(
        "routers-ideal-split-cost", "proofs/checkers/routers_ideal.py",
        "    base = point.W0 + es ", "    base = point.W0 ",
        "routers-ideal: the cheapest split's mean cost E[s] in W_min (lemma R8b)",
        ("tests/proofs/checkers/test_routers_ideal.py::test_rule_must_meet_W_limit",),
    ),
    Mutant(
        "routers-ideal-slack", "proofs/checkers/routers_ideal.py",
        "            proven = 1 - nu * (point.W_limit - base) - nu * slack\n", "            proven = 1 - nu * (point.W_limit - base)\n",
        "routers-ideal (dual): the term nu E[(tau - Delta)^+] of weak duality (lemma R8a)",
        ("tests/proofs/checkers/test_routers_ideal.py::test_dual_pays_the_slack_and_the_split_cost",),
    ),
    Mutant(
        "routers-ideal-claim", "proofs/checkers/routers_ideal.py",
        "            if claimed < proven:\n", "            if claimed < proven - 1:\n",
        "routers-ideal (rule): the comparison of the claim with 1 - P(Delta <= tau) (lemma R8)",
        ("tests/proofs/checkers/test_routers_ideal.py::test_rule_claim_below_the_enclosure_is_rejected",),
    ),
    Mutant(
        "routers-ideal-cost", "proofs/checkers/routers_ideal.py",
        "            return P + I * (alpha * P + beta * (inv_mu - (z + inv_mu) * e))\n", "            return P + I * (alpha * P)\n",
        "routers-ideal: the closed last integral E[Delta; Delta <= tau | rest] = alpha P + beta M (lemma R8c)",
        ("tests/proofs/checkers/test_routers_ideal.py::test_enclosures_match_an_independent_quadrature",),
    ),
    Mutant(
        "routers-ideal-finite", "proofs/checkers/routers_ideal.py",
        "    if not (v.real.is_finite() and v.imag.is_finite()):\n", "    if not v.real.is_finite():\n",
        "routers-ideal: both parts of the one quadrature E[P] + i E[Delta; Delta <= tau] converged (lemma R8c)",
        ("tests/proofs/checkers/test_routers_ideal.py::test_a_non_finite_part_of_the_one_quadrature_is_refused",),
    ),
    Mutant(
        "mp-strategy-claim", "proofs/checkers/multiparty_classical.py",
        "    if hd.bound > proven:\n        raise CertificateError(f\"claimed lower bound {show_rational(hd.bound)} exceeds the strategy's exact value",
        "    if hd.bound > proven + 1:\n        raise CertificateError(f\"claimed lower bound {show_rational(hd.bound)} exceeds the strategy's exact value",
        "multiparty-classical-strategy: the comparison of the claim with the signs' exact value (lemma M1)",
        (MP + "test_strategy_lower_bound_is_the_exact_value",),
    ),
    Mutant(
        "mp-threshold-claim", "proofs/checkers/multiparty_classical.py",
        "    if hd.bound < proven:\n", "    if hd.bound < proven - 1:\n",
        "multiparty-classical-threshold: the comparison of the claim with the maximum over threshold tuples (lemma M2)",
        (MP + "test_threshold_rejects_a_claim_below_the_maximum",),
    ),
    Mutant(
        "mp-threshold-p", "proofs/checkers/multiparty_classical.py",
        "    if any(q < 0 for q in p):\n", "    if False:\n",
        "multiparty-classical-threshold: p >= 0, which makes every best response a threshold (lemma M2)",
        (MP + "test_threshold_refuses_negative_probabilities",),
    ),
    Mutant(
        "mp-threshold-m", "proofs/checkers/multiparty_classical.py",
        "    if any(b <= a for a, b in zip(m, m[1:])):\n", "    if False:\n",
        "multiparty-classical-threshold: m strictly increasing (lemma M2)",
        (MP + "test_threshold_refuses_non_increasing_features_and_wrong_factors",),
    ),
    Mutant(
        "mp-threshold-factor", "proofs/checkers/multiparty_classical.py",
        "                    if Fraction(flat[x * N + y], w.den) != p[x] * p[y] * (left[0] + left[1] * m[y]):",
        "                    if False:",
        "multiparty-classical-threshold: the exact identity W = p p phi^T A phi (lemma M2)",
        (MP + "test_threshold_refuses_non_increasing_features_and_wrong_factors",),
    ),
    Mutant(
        "mp-threshold-orientation", "proofs/checkers/multiparty_classical.py",
        "        absf = [abs(v) for v in f.tolist()]", "        absf = [v for v in f.tolist()]",
        "multiparty-classical-threshold: both orientations of the last player's threshold",
        (MP + "test_threshold_with_one_body_terms_equals_brute_force",),
    ),
    Mutant(
        "mp-threshold-many-factor", "proofs/checkers/multiparty_classical.py",
        "                if v * scale != target * math.prod(q[k] for k in cell):", "                if False:",
        "multiparty-classical-threshold: the exact identity W_S = a_S prod p of a term of three or more players (lemma M2 (iv))",
        (MP + "test_threshold_refuses_a_many_body_term_of_non_constant_weight",),
    ),
    Mutant(
        "mp-threshold-many-value", "proofs/checkers/multiparty_classical.py",
        "        for S, (n_S, d_S) in frac.items():", "        for S, (n_S, d_S) in list(frac.items())[:0]:",
        "multiparty-classical-threshold: the value L a_S prod sigma e(t) of a constant-weight term at a threshold tuple (lemma M2 (iv))",
        (MP + "test_the_four_body_term_changes_the_value",),
    ),
    Mutant(
        "mp-quantum-claim", "proofs/checkers/multiparty_quantum.py",
        "    if hd.bound > proven:\n", "    if hd.bound > proven + 1:\n",
        "multiparty-quantum-strategy: the comparison of the claim with the strategy's exact value (lemma M3)",
        (MPQ + "test_quantum_refuses_a_claim_above_the_value",),
    ),
    Mutant(
        "mp-quantum-involution", "proofs/checkers/multiparty_quantum.py",
        "            if not _is_involution(o):\n", "            if False:\n",
        "multiparty-quantum-strategy: O^2 = I (eigenvalues +-1)",
        (MPQ + "test_quantum_refuses_non_involutions_non_hermitian_and_non_states",),
    ),
    Mutant(
        "mp-quantum-psd", "proofs/checkers/multiparty_quantum.py",
        "        if not res.ok:\n", "        if False:\n",
        "multiparty-quantum-strategy: the state factor is PSD (exact LDL^T)",
        (MPQ + "test_quantum_refuses_non_involutions_non_hermitian_and_non_states",),
    ),
    Mutant(
        "mp-quantum-trace", "proofs/checkers/multiparty_quantum.py",
        "        if sum(rho[0].diagonal(), Fraction(0)) != 1:\n", "        if False:\n",
        "multiparty-quantum-strategy: the state factor has trace 1",
        (MPQ + "test_quantum_refuses_non_involutions_non_hermitian_and_non_states",),
    ),
    Mutant(
        "mp-quantum-hermitian", "proofs/checkers/multiparty_quantum.py",
        "    return bool(np.all(re == re.T) and np.all(im == -im.T))", "    return True",
        "multiparty-quantum-strategy: states and observables are Hermitian",
        (MPQ + "test_quantum_refuses_non_involutions_non_hermitian_and_non_states",),
    ),
    # slot-queue-bracket (lemma T4 (e')): float error terms and the truncations
    Mutant(
        "fi-up-gamma", "proofs/exact/float_intervals.py",
        "    f = 1.0 + 2.0 * gamma(n + 3)\n", "    f = 1.0\n",
        "float intervals: the gamma_n factor of a rounded-up non-negative sum",
        (FI + "test_conv_nonneg_encloses_the_exact_convolution",),
    ),
    Mutant(
        "fi-dn-gamma", "proofs/exact/float_intervals.py",
        "    f = 1.0 - 2.0 * gamma(n + 3)\n", "    f = 1.0\n",
        "float intervals: the gamma_n factor of a rounded-down non-negative sum",
        (FI + "test_conv_nonneg_encloses_the_exact_convolution",),
    ),
    Mutant(
        "fi-add-ulp", "proofs/exact/float_intervals.py",
        "        return IVec(_nd(a.lo + b.lo), _nu(a.hi + b.hi))", "        return IVec(a.lo + b.lo, a.hi + b.hi)",
        "float intervals: one ulp outward after an addition",
        (FI + "test_sum_and_difference_round_outward",),
    ),
    Mutant(
        "fi-signed-gamma", "proofs/exact/float_intervals.py",
        "    rad = _nu(_nu(_nu(e1 * gamma(n + 1)) + ", "    rad = _nu(_nu(0.0 * e1 + ",
        "float intervals: the rounding error of the midpoint convolution",
        (FI + "test_conv_signed_encloses_the_exact_convolution",),
    ),
    Mutant(
        "slot-kingman-tail", "proofs/checkers/slot_queue.py",
        "    return tot + trunc\n", "    return tot\n",
        "slot-queue-bracket: the truncated work's share of the Kingman condition",
        (SQ + "test_kingman_counts_the_truncated_tail",),
    ),
    Mutant(
        "slot-escape", "proofs/checkers/slot_queue.py",
        " + math.nextafter(sum_up(v) * escape, math.inf), math.inf)", ", math.inf)",
        "slot-queue-bracket: truncated work escapes to the tail of the upper chain",
        (SQ + "test_truncated_work_escapes_upwards",),
    ),
    Mutant(
        "slot-tail-integral", "proofs/checkers/slot_queue.py",
        "            ev_hi_b = arb(mean_cells) * h + ra * Kh + tail_int\n", "            ev_hi_b = arb(mean_cells) * h + ra * Kh\n",
        "slot-queue-bracket: the Kingman tail integral beyond the workload lattice",
        (SQ + "test_workload_tail_integral_is_charged",),
    ),
    Mutant(
        "slot-z-tails", "proofs/checkers/slot_queue.py",
        "            iv = [(ia, nu * A.tail_w), (ian, nu * A.tail_n), (ib, nv * B.tail_w), (ibn, nv * B.tail_n)]",
        "            iv = [(ia, 0.0), (ian, 0.0), (ib, 0.0), (ibn, 0.0)]",
        "slot-queue-bracket: truncated batches in the within-batch term",
        (SQ + "test_within_batch_term_counts_truncated_counts",),
    ),
    Mutant(
        "slot-z-wdown", "proofs/checkers/slot_queue.py",
        "            wlo = np.nextafter(np.maximum(k - n, 0.0) * h, -np.inf).clip(0.0)\n",
        "            wlo = np.nextafter(k * h, -np.inf).clip(0.0)\n",
        "slot-queue-bracket: W >= W+ - N h in the within-batch term",
        (SQ + "test_within_batch_lower_end_uses_the_works_rounded_down",),
    ),
    Mutant(
        "slot-claim-upper", "proofs/checkers/slot_queue.py",
        "    if side == \"upper\" and claim < enc.wq_hi:", "    if side == \"upper\" and claim < enc.wq_hi - 1:",
        "slot-queue-bracket: the comparison of an upper claim with the enclosure",
        (SQ + "test_upper_claim_just_below_the_enclosure_is_rejected",),
    ),
    Mutant(
        "slot-theta-rate", "proofs/checkers/slot_queue.py",
        "        if not theta < law.rmin:", "        if False:",
        "slot-queue-bracket: theta below the smallest service rate",
        (SQ + "test_theta_at_or_above_the_service_rate_is_refused",),
    ),
    Mutant(
        "slot-rule-norm", "proofs/checkers/slot_queue.py",
        "                if sum(Fraction(x) ** 2 for x in col) > 1:", "                if False:",
        "slot-queue-bracket: rule vectors of norm <= 1 (|E| <= 1)",
        (SQ + "test_rule_vectors_of_norm_above_one_are_refused",),
    ),
    Mutant(
        "slot-tb-slack", "proofs/checkers/slot_queue.py",
        "        e = math.nextafter(_dot(qv, g, \"dn\") - math.nextafter(slack * float(np.max(g)), math.inf), -math.inf)\n",
        "        e = _dot(qv, g, \"dn\")\n",
        "slot-queue-bracket E[T_B]: the excess of the upper chain's pmf over the exact one (lower end)",
        (SQ + "test_throughput_lower_end_subtracts_the_excess_of_the_upper_pmf",),
    ),
    Mutant(
        "slot-tb-miss-v", "proofs/checkers/slot_queue.py",
        " + math.nextafter(miss_v * float(np.max(g)), math.inf), math.inf)\n", ", math.inf)\n",
        "slot-queue-bracket E[T_B]: the lower chain's missing mass placed where g is largest (upper end)",
        (SQ + "test_throughput_upper_end_places_missing_masses_at_zero",),
    ),
    Mutant(
        "slot-tb-miss-s", "proofs/checkers/slot_queue.py",
        " + np.nextafter(miss_s * G_hi, np.inf), np.inf)\n", ", np.inf)\n",
        "slot-queue-bracket E[T_B]: the missing mass of S- placed at 0 (upper end)",
        (SQ + "test_throughput_upper_end_places_missing_masses_at_zero",),
    ),
    Mutant(
        "slot-tb-q-trunc", "proofs/checkers/slot_queue.py",
        "    p0_hi = math.nextafter(float(s_up.hi[0]) + trunc, math.inf)\n", "    p0_hi = float(s_up.hi[0])\n",
        "slot-queue-bracket E[T_B]: truncated batches may leave the server empty (q's lower end)",
        (SQ + "test_throughput_q_counts_the_truncated_mass",),
    ),
    Mutant(
        "slot-tb-claim-lower", "proofs/checkers/slot_queue.py",
        "            if lo > enc.tb_lo:", "            if lo > enc.tb_lo + Fraction(1, 10**6):",
        "slot-queue-bracket E[T_B]: the comparison of a lower claim with the enclosure",
        (SQ + "test_throughput_claims_are_checked_and_bounds_issued",),
    ),
    Mutant(
        "slot-tb-idle-atom", "bounds/slots.py",
        "    G = ((tau * (j[None, :] + 1) - y[:, None]) ** k - (tau * j[None, :]) ** k) @ pj\n",
        "    G = ((tau * (j[None, :] + 1) - y[:, None]) ** k) @ pj\n",
        "E[T_B] bracket: T(tau K) subtracted, so that G is non-increasing with no jump (no idle period when V + S = 0)",
        ("tests/bounds/test_slots.py::test_throughput_bracket_holds_the_idle_fraction_at_k1_and_shrinks_with_h",),
    ),
    Mutant(
        "report-part-bound", "proofs/checkers/report_folder.py",
        "        b = sub.get(side) if isinstance(sub, dict) else None\n", "        b = b if isinstance(sub, dict) else None\n",
        "qcoord check: a record of a certificate's part is compared with that part's bound, not the primary bound",
        (RF + "test_the_primary_bound_stated_as_a_part_and_a_part_stated_as_primary_are_refused",),
    ),
    Mutant(
        "report-part-known", "proofs/checkers/report_folder.py",
        "        if not isinstance(part, str) or part not in PARTS:\n", "        if not isinstance(part, str):\n",
        "qcoord check: a record naming a part must name a known one (PARTS)",
        (RF + "test_an_unknown_part_is_refused",),
    ),
]


# entries written as plain 5-tuples (name, file, old, new, what) run the default TESTS
MUTANTS = [m if isinstance(m, Mutant) else Mutant(*m) for m in MUTANTS]


def _copy_tree(dst: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".git", ".hypothesis", ".pytest_cache", "*.png")
    for name in ("proofs", "bounds", "games", "analytic", "tests"):
        shutil.copytree(ROOT / name, dst / name, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", dst / "pyproject.toml")


def _pytest(work: Path, env: dict[str, str], tests: tuple[str, ...] | list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-x", "-q", "-n", "0", "-p", "no:randomly", "-p", "no:cacheprovider", *tests],
        cwd=work, env=env, capture_output=True, text=True, timeout=1800,
    )


def run(names: list[str], baseline: bool = True) -> int:
    """Run the chosen mutants (all if ``names`` is empty); 0 if every one is killed, 1 otherwise, 2 on bad input."""
    unknown = sorted(set(names) - {m.name for m in MUTANTS})
    if unknown:
        print(f"unknown mutant(s) {unknown}; known: {', '.join(m.name for m in MUTANTS)}", file=sys.stderr)
        return 2
    chosen = [m for m in MUTANTS if not names or m.name in names]
    survived = 0
    with tempfile.TemporaryDirectory(prefix="qcoord-mutants-") as tmp:
        work = Path(tmp)
        _copy_tree(work)
        env = {**os.environ, "PYTHONPATH": str(work), "PYTHONDONTWRITEBYTECODE": "1"}
        if baseline:
            # a kill means something only if the same tests pass on the unmutated tree
            tests = list(dict.fromkeys(t for m in chosen for t in m.tests))
            start = time.perf_counter()
            res = _pytest(work, env, tests)
            if res.returncode != 0:
                print(f"baseline: the selected tests fail without any mutant (pytest exit {res.returncode}):\n{res.stdout[-3000:]}")
                return 1
            print(f"baseline: the selected tests pass unmutated ({time.perf_counter() - start:.0f} s)")
        print(f"{'mutant':24s} {'deleted':66s} result")
        for name, rel, old, new, what, tests in chosen:
            path = work / rel
            original = path.read_text()
            if original.count(old) != 1:
                print(f"{name:24s} {what:66s} STALE: snippet found {original.count(old)} times in {rel}")
                survived += 1
                continue
            path.write_text(original.replace(old, new))
            start = time.perf_counter()
            try:
                res = _pytest(work, env, tests)
            finally:
                path.write_text(original)
            secs = time.perf_counter() - start
            failed = re.findall(r"^FAILED (\S+)", res.stdout, flags=re.M)
            if res.returncode != 0 and failed:
                print(f"{name:24s} {what:66s} killed by {failed[0]} ({secs:.0f} s)", flush=True)
            elif res.returncode == 0:
                survived += 1
                print(f"{name:24s} {what:66s} SURVIVED ({secs:.0f} s)", flush=True)
            else:  # a collection or usage error kills nothing: count it as a survivor and show why
                survived += 1
                print(f"{name:24s} {what:66s} ERROR: pytest exit {res.returncode} ({secs:.0f} s)\n{res.stdout[-1500:]}", flush=True)
    print(f"\n{len(chosen) - survived} of {len(chosen)} mutants killed")
    return 1 if survived else 0


if __name__ == "__main__":
    args = sys.argv[1:]
    sys.exit(run([a for a in args if a != "--no-baseline"], baseline="--no-baseline" not in args))
