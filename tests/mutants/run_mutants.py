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

_SYS = "tests/proofs/checkers/test_system.py::"
#: the margin tests of the system checker (node ids: the whole file solves the system first, a minute more per mutant)
SYSTEM_MARGINS = tuple(_SYS + t for t in (  # cheap ones first: with -x the first failure ends the run
    "test_sag_is_tight_for_the_uniform_law",
    "test_strategy_enclosures_round_outward",
    "test_strategy_feasibility_uses_the_far_end_of_w0",
    "test_dual_uses_the_budget_upper_end_for_an_irrational_m2",
    "test_classical_bias_rounds_up_on_the_uniform_law",
    "test_quantum_bias_rounds_up_on_the_uniform_law",
    "test_a_wider_b1_enclosure_never_lowers_the_bias_bound",
    "test_psd_test_counts_the_radii_of_the_moment_enclosures",
    "test_psd_test_needs_the_trace_when_both_eigenvalues_exceed_4",
    "test_sag_uses_the_density_minimum_over_the_whole_piece",
    "test_left_end_is_the_whole_ball_zero_to_eps",
    "test_tail_bound_counts_a_negative_turning_point",
    "test_quadrature_end_bounds_are_needed_margins",
    "test_sag_is_a_needed_margin",
    "test_box_fallback_is_a_needed_margin",
    "test_m2_outward_rounding_is_a_needed_margin",
))
NOISE = ("tests/proofs/checkers/test_noise.py",)
LAWS = ("tests/proofs/exact/test_laws.py", "tests/proofs/exact/test_sum_threshold.py")
LAW_GAMES = ("tests/proofs/exact/test_sum_threshold.py", "tests/proofs/exact/test_cells.py")
VALUES = ("tests/proofs/exact/test_values.py", *NOISE)
XOR = "tests/proofs/checkers/test_xor.py::"


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
        "err = gamma(2 * n + 1) * (1 + gd) * s_abs + gd * s_abs + r_sum + under", "err = r_sum",
        "quantum-vectors: the whole floating-point error term (lemma Q4)",
    ),
    Mutant(
        "vectors-radius", "proofs/checkers/quantum.py",
        "err = gamma(2 * n + 1) * (1 + gd) * s_abs + gd * s_abs + r_sum + under",
        "err = gamma(2 * n + 1) * (1 + gd) * s_abs + gd * s_abs + under",
        "quantum-vectors: the enclosure radius of M",
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
        "margin-sum-rounding", "proofs/checkers/quantum.py",
        "return np.nextafter(np.nextafter(s * k, np.inf) * 0.5, np.inf)", "return s * 0.5",
        "lemma Q2 margins: rounding the float row/column sums up",
    ),
    Mutant(
        "margin-round-down", "proofs/checkers/quantum.py",
        "return np.nextafter(x - row, -np.inf), np.nextafter(y - col, -np.inf)", "return x - row, y - col",
        "lemma Q2 margins: rounding x - row, y - col down",
    ),
    Mutant(
        "cells-outward", "proofs/exact/cells.py",
        "hi[i, j] = float_up(val.upper())", "hi[i, j] = float(val.mid())",
        "cell enclosure: outward rounding of crossed cells",
    ),
    Mutant(
        "mid-radius-ulp", "proofs/exact/cells.py",
        "r = np.nextafter(np.maximum(self.hi - mc, mc - self.lo), np.inf)", "r = np.maximum(self.hi - mc, mc - self.lo)",
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
    # ---- proofs/checkers/system.py (lemmas S1-S5)
    Mutant(
        "sys-sag", "proofs/checkers/system.py",
        "return (uhi - ulo) ** 2 / (4 * f_lo)", "return Fraction(0)",
        "system-dual classical: the sag (u1 - u0)^2/(4 f_lo) (S3)", SYSTEM_MARGINS,
    ),
    Mutant(
        "sys-sag-constant", "proofs/checkers/system.py",
        "return (uhi - ulo) ** 2 / (4 * f_lo)", "return (uhi - ulo) ** 2 / (8 * f_lo)",
        "system-dual classical: the constant 4 of the sag (chord error K D^2/8)", SYSTEM_MARGINS,
    ),
    Mutant(
        "sys-sag-hull", "proofs/checkers/system.py",
        "f_lo = s.service.pdf_lower(tlo.union(thi))", "f_lo = s.service.pdf_lower(tlo)",
        "system-dual classical: f_lo over the whole piece, not at its left end", SYSTEM_MARGINS,
    ),
    Mutant(
        "sys-pdf-lower", "proofs/checkers/system.py",
        "lo = _exact(f.lower()) / self.scale", "lo = _exact(f.mid()) / self.scale",
        "system-dual classical: f_lo the lower end of f's enclosure", SYSTEM_MARGINS,
    ),
    Mutant(
        "sys-box", "proofs/checkers/system.py",
        "verts = tuple((b0, b1) for b0 in (1 - 2 * uhi, 1 - 2 * ulo) for b1 in (ends[k + 1][0], ends[k][1]))",
        "verts = ((1 - 2 * ulo, ends[k][1]), (1 - 2 * uhi, ends[k + 1][0]))",
        "system-dual classical: the bounding box where f has no lower bound", SYSTEM_MARGINS,
    ),
    Mutant(
        "sys-b1-ends", "proofs/checkers/system.py",
        "ends = [(_down(b), _up(b)) for b in b1s]", "ends = [(_exact(b.mid()), _exact(b.mid())) for b in b1s]",
        "system-dual classical: the outer ends of b1's enclosure", SYSTEM_MARGINS,
    ),
    Mutant(
        "sys-bias-up", "proofs/checkers/system.py",
        "val = _up(_support(s, m00 * b0 + m01 * b1, m10 * b0 + m11 * b1))",
        "val = _down(_support(s, m00 * b0 + m01 * b1, m10 * b0 + m11 * b1))",
        "system-dual classical: vertex values h(M b) rounded up", SYSTEM_MARGINS,
    ),
    Mutant(
        "sys-psd-check", "proofs/checkers/system.py",
        "if not (tr <= 8 and 16 - 4 * tr + det >= 0):", "if False:",
        "system-dual quantum: the test lambda_max(A M B M^T) <= 4 (S4)", (_SYS + "test_quantum_dual_psd_condition_matters",),
    ),
    Mutant(
        "sys-psd-trace", "proofs/checkers/system.py",
        "if not (tr <= 8 and 16 - 4 * tr + det >= 0):", "if not (16 - 4 * tr + det >= 0):",
        "system-dual quantum: tr <= 8 (both eigenvalues, not only their product)", SYSTEM_MARGINS,
    ),
    Mutant(
        "sys-gershgorin", "proofs/checkers/system.py",
        "g = max(rads[0] + rads[1], rads[1] + rads[2])", "g = 0",
        "system-dual quantum: the Gershgorin shift by the moments' radii", SYSTEM_MARGINS,
    ),
    Mutant(
        "sys-quantum-bias-up", "proofs/checkers/system.py",
        "return _up(Ja) + _up(Jb), tr", "return _down(Ja) + _down(Jb), tr",
        "system-dual quantum: E[alpha] + E[beta] rounded up", SYSTEM_MARGINS,
    ),
    Mutant(
        "sys-left-ball", "proofs/checkers/system.py",
        "ball = arb(_arb(eps / 2), _arb(eps / 2))", "ball = _arb(eps)",
        "quadrature: g on the whole ball [0, eps], not at eps", SYSTEM_MARGINS,
    ),
    Mutant(
        "sys-left-head", "proofs/checkers/system.py",
        "return eps, [qb.sqrt() * Fe, Fe / qb.sqrt(), ball * Fe / qb.sqrt(), ball * ball * Fe / qb.sqrt()]",
        "return eps, [0 * Fe] * 4",
        "quadrature: the integrals over [0, eps] (lognormal, Weibull)", SYSTEM_MARGINS,
    ),
    Mutant(
        "sys-tail", "proofs/checkers/system.py",
        "out.append(val + arb(tail_up / 2, tail_up / 2))", "out.append(val)",
        "quadrature: the tail ball [0, bound] beyond L", SYSTEM_MARGINS,
    ),
    Mutant(
        "sys-tail-xstar", "proofs/checkers/system.py",
        "tails = [sA2 * t1 + (sA2 * abs(X) + sD) * t0,", "tails = [sA2 * t1,",
        "quadrature tail: (sqrt(a2)|x*| + sqrt(delta)) P(X > L)", SYSTEM_MARGINS,
    ),
    Mutant(
        "sys-tail-moment", "proofs/checkers/system.py",
        "svc.tail(2, La) * r]", "t1 * r]",
        "quadrature tail: E[X^2; X > L] for the j = 2 integral", SYSTEM_MARGINS,
    ),
    Mutant(
        "sys-m2-interval", "proofs/checkers/system.py",
        "return _down(m2), _up(m2)", "return _exact(m2.mid()), _exact(m2.mid())",
        "irrational E[X^2]: the interval of the ball's ends", SYSTEM_MARGINS,
    ),
    Mutant(
        "sys-dual-budget-end", "proofs/checkers/system.py",
        "p_bunch_up = nu * s.budget_range[1]", "p_bunch_up = nu * s.budget_range[0]",
        "system-dual: the budget's upper end (irrational m2)", SYSTEM_MARGINS,
    ),
    Mutant(
        "sys-strategy-budget-end", "proofs/checkers/system.py",
        "if cost_up > s.budget_range[0]:", "if cost_up > s.budget_range[1]:",
        "system-strategy: the budget's lower end (irrational m2)", SYSTEM_MARGINS,
    ),
    Mutant(
        "sys-cost-up", "proofs/checkers/system.py",
        "cost_up = _up(cost)", "cost_up = _down(cost)",
        "system-strategy: E[beta c] rounded up", SYSTEM_MARGINS,
    ),
    Mutant(
        "sys-bunch-down", "proofs/checkers/system.py",
        "bunch_lo = _down(bunch)", "bunch_lo = _up(bunch)",
        "system-strategy: E[beta] rounded down", SYSTEM_MARGINS,
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
    # the finite XOR-game checkers (proofs/checkers/xor.py, lemmas X1-X4)
    Mutant(
        "xor-dual-radius", "proofs/checkers/xor.py",
        "xp, yp = reduced_weights(xf, yf, r)", "xp, yp = xf, yf",
        "xor-quantum-dual: the enclosure margin of lemma Q2 on the Schur route",
        (XOR + "test_dual_schur_route_reduces_the_weights_by_the_enclosure_radius",),
    ),
    Mutant(
        "xor-dual-claim", "proofs/checkers/xor.py",
        "    if hd.bound < proven:\n        raise CertificateError(f\"claimed upper bound {show_rational(hd.bound)} is below what the dual proves",
        "    if hd.bound < proven - 1:\n        raise CertificateError(f\"claimed upper bound {show_rational(hd.bound)} is below what the dual proves",
        "xor-quantum-dual: the comparison of the claim with 1/2 + (sum x + sum y)/2",
        (XOR + "test_dual_claim_below_proven_value_rejected",),
    ),
    Mutant(
        "xor-vectors-norm", "proofs/checkers/xor.py",
        "if sum(k * k for k in ints) > den * den:", "if sum(k * k for k in ints) > 4 * den * den:",
        "xor-quantum-vectors: the exact norm test |u| <= 1",
        (XOR + "test_vectors_longer_than_one_are_refused",),
    ),
    Mutant(
        "xor-classical-overflow", "proofs/checkers/xor.py",
        "    if den >= MAX_DENOMINATOR:\n", "    if False:\n",
        "xor-classical: the 2^62 bound on the common denominator that keeps the int64 search exact",
        (XOR + "test_classical_overflow_guard_refuses_huge_denominators",),
    ),
    Mutant(
        "xor-classical-symmetry", "proofs/checkers/xor.py",
        "s1 = _all_signs(h1) @ mi[1:1 + h1] + mi[0]", "s1 = _all_signs(h1) @ mi[1:1 + h1]",
        "xor-classical: the first row fixed to +1 (the symmetry a -> -a) must still be counted",
        (XOR + "test_classical_exhaustive_matches_enumeration_of_both_players",),
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
