"""Claim checks built on certified classical brackets ("deterministic", "ct-min", "q-gt-c").

Every number reported here comes from a certificate that a :mod:`proofs`
checker verified (see :mod:`proofs.certify.classical`); the paper's values are
quoted for comparison only.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

from proofs.claims.claim import ClaimResult, Decision, Derived, Evidence, Finding
from proofs.claims.paper import C_T as PAPER_CT  # the paper's stated values, for comparison only
from proofs.claims.paper import CLASSICAL as PAPER_EQ5
from proofs.claims.paper import LINEAR as PAPER_EQ6

__all__ = ["check_ct_min", "check_deterministic", "check_q_gt_c"]


def check_deterministic(*, quick: bool, cert_dir: Path) -> ClaimResult:
    """Deterministic strategies attain the classical value: certified at C = 0.33 in the continuum.

    The continuum upper bound (:mod:`bounds.classical_continuum`) is proved for
    every ``h`` with values in ``[-1, 1]`` (B's local randomness; A's best
    response is deterministic) and, by linearity of the winning probability in
    the distribution of shared randomness, for every classical strategy.  A
    deterministic threshold strategy reaches it up to the bracket width.
    """
    from games import paper_game
    from proofs.certify.classical import certify_classical

    res = certify_classical(paper_game(0.33), continuum=True, bins=120 if quick else 300, cert_dir=cert_dir)
    lo, up = float(res.bracket.lower.value), float(res.bracket.upper.value)
    return ClaimResult(
        "proved",
        f"at C = 0.33 the best deterministic (threshold) strategy reaches {lo:.10f}; no classical strategy, randomised or not, exceeds {up:.10f}",
        "standard: the winning probability is linear in the distribution of shared randomness and in each player's local "
        "output probabilities, so a maximum is attained by deterministic strategies; certified here: the continuum upper bound "
        f"covers all strategies with outputs in [-1, 1] (check_classical_dp) and a deterministic strategy is within {up - lo:.1e} of it "
        f"(check_classical.check_threshold); certificates {res.paths['upper']}, {res.paths['lower']}",
        {"lower": lo, "upper": up, "certificates": res.paths},
        headline=f"a threshold strategy reaches {lo:.7f}; no classical strategy exceeds {up:.7f} (certified)",
        findings=(Finding.certified_by(res.bracket.lower, res.bracket.upper, target="classical value, continuum game, C = 0.33", unit="probability"),),
        evidence_items=(
            Evidence("certificate", "a deterministic threshold strategy and its exact value (lower bound)", res.paths["lower"]),
            Evidence("certificate", "continuum DP over all strategies with outputs in [-1, 1] (upper bound)", res.paths["upper"]),
        ),
        assumptions=("shared randomness is a probability distribution over deterministic strategies (linearity of P_win)",),
    )


def check_ct_min(*, quick: bool, cert_dir: Path, workers: int = 1, dask: str | None = None) -> ClaimResult:
    """Locate ``argmin_C`` of the continuum classical value by certified branch and bound over C.

    ``workers`` and ``dask``: where the branch and bound's brackets run (:mod:`proofs.certify.jobs`).
    """
    from proofs.certify.classical import classical_minimiser

    r = classical_minimiser(0.05, 0.95, tol=1e-3 if quick else 1e-4, grid=19, bins=60 if quick else 120, cert_dir=cert_dir,
                            workers=workers, dask=dask)
    points, span = _minimiser_points(0.05, 0.95, cert_dir)
    a, b = r["interval"]
    cross, v_cross = _family_crossing()
    lo, up = r["value"]["lower"], r["value"]["upper"]
    agrees = 0.325 <= a and b <= 0.335  # the paper states C_t ~ 0.33 (two decimals)
    return ClaimResult(
        "proved" if agrees else "differs",
        f"argmin over C in [0.05, 0.95] lies in [{a:.5f}, {b:.5f}]; min_C classical value in [{lo:.8f}, {up:.8f}] (paper: C_t ~ {PAPER_CT}, {PAPER_EQ5})",
        f"branch and bound over C with {r['evaluations']} checked continuum brackets ({r['bins']} bins each) and the Lipschitz lemma "
        "|V(C) - V(C')| <= |P_bunch(C) - P_bunch(C')| (dP_bunch/dC = ln C); cells whose certified lower bound exceeds the best "
        f"certified upper bound are discarded down to length {r['tol']:g}. The value has a kink there: below it the best strategies found (within the certified width of optimal) "
        "switch once each (g and h), above it one player's output is constant. Independent cross-check (floats, scipy): the "
        "best symmetric one-switch strategy (both players switch at the same s) and the one-player strategy (A constant, B "
        f"switches at b = 1 - 2C) have equal values at C = {cross:.7f} (value {v_cross:.8f})",
        {**r, "family_crossing": {"C": cross, "value": v_cross}},
        headline=f"argmin_C in [{a:.5f}, {b:.5f}] (certified branch and bound in C)",
        findings=(
            Finding.derived_by("argmin over C in [0.05, 0.95] of the continuum classical value", lower=Derived("argmin-over-C", points, span),
                               upper=Derived("argmin-over-C", points, span), unit="C"),
            Finding.derived_by("min over C in [0.05, 0.95] of the continuum classical value", lower=Derived("min-over-C", points, span),
                               upper=Derived("min-over-C", points, span), unit="probability"),
            Finding("C where the two one-switch strategy families tie (scipy, float)", estimate=float(cross), unit="C"),
        ),
        evidence_items=(
            Evidence("certificate", f"{r['evaluations']} continuum brackets (threshold strategy + DP certificates, {r['bins']} bins) at the branch-and-bound points: see certificates/ct-min/"),
            Evidence("computation", "Lipschitz lemma |V(C) - V(C')| <= |P_bunch(C) - P_bunch(C')| applied to the checked endpoint bounds in floats with a 1e-12 margin"),
        ),
        assumptions=("the interval is derived from certified endpoint brackets through the Lipschitz lemma, in floats with a 1e-12 margin",),
    )


def _minimiser_points(c_min: float, c_max: float, cert_dir: Path) -> tuple[dict[str, list], dict[str, str]]:
    """The checked bounds of the branch and bound over C (the certificates it wrote to ``cert_dir``), as inputs of the derived numbers."""
    from proofs.checkers.registry import check_certificate
    from proofs.exact import exact_parameter

    lo, hi = exact_parameter(c_min), exact_parameter(c_max)
    points = []
    for path in sorted(Path(cert_dir).glob("classical-*_hyperbolic-*_continuum_*.json")):
        b = check_certificate(path)
        if b.target.player_model == "classical" and b.target.n is None and lo <= Fraction(b.target.game["C"]) <= hi:
            points.append(b)
    return {"points": points}, {"C_min": f"{lo.numerator}/{lo.denominator}", "C_max": f"{hi.numerator}/{hi.denominator}"}


def _family_crossing() -> tuple[float, float]:
    """C where the two one-switch strategy families have equal value (float estimate, not a bound)."""
    from scipy.optimize import brentq, minimize_scalar

    from games import ThresholdStrategy, paper_game

    def sym(C: float) -> float:
        g = paper_game(C)
        res = minimize_scalar(lambda s: -ThresholdStrategy((s,), (s,), 1, 1).win_probability(g), bounds=(0.3, 0.99), method="bounded", options={"xatol": 1e-12})
        return -float(res.fun)

    def one(C: float) -> float:
        b = 1 - 2 * C
        return ThresholdStrategy((), (b,), 1, 1).win_probability(paper_game(C))

    c = brentq(lambda C: sym(C) - one(C), 0.3, 0.36, xtol=1e-12)
    return float(c), sym(c)


def check_q_gt_c(*, quick: bool, cert_dir: Path) -> ClaimResult:
    """Certified quantum lower bound minus certified classical upper bound at C = 0.33."""
    from games import paper_game
    from proofs.certify.classical import certify_classical

    cl = certify_classical(paper_game(0.33), continuum=True, bins=120 if quick else 300, cert_dir=cert_dir)
    c_up = float(cl.bracket.upper.value)
    try:
        from proofs.certify.quantum import quantum_bracket
    except ImportError as exc:
        return ClaimResult(
            "not yet checked",
            f"classical value at C = 0.33 <= {c_up:.10f} (certified); no certified quantum lower bound available",
            f"proofs.certify.quantum is missing ({exc}); the classical side is certified by {cl.paths['upper']}",
            {"classical_upper": c_up},
        )
    qb = quantum_bracket(paper_game(0.33), 16 if quick else 64, continuum=True, cert_dir=cert_dir)
    q_lo = float(qb.lower.value)
    gap = q_lo - c_up
    return ClaimResult(
        "proved" if gap > 0 else "not yet checked",
        f"quantum >= {q_lo:.8f} > classical <= {c_up:.8f}: certified gap >= {gap:.6f} (paper: {PAPER_EQ6} > {PAPER_EQ5})"
        if gap > 0
        else f"certified quantum lower bound {q_lo:.8f} does not exceed the classical upper bound {c_up:.8f}",
        "quantum lower bound: explicit quantum strategy checked by the quantum checker (it is a lower bound on the continuum "
        "quantum value because N-bin strategies are continuum strategies); classical upper bound: continuum DP certificate "
        f"{cl.paths['upper']}; quantum certificate {qb.lower.certificate}",
        {"classical_upper": c_up, "quantum_lower": q_lo, "gap_lower": gap},
        headline=f"certified gap >= {gap:.4f} at C = 0.33" if gap > 0 else "no certified gap",
        findings=(
            Finding.certified_by(lower=qb.lower, target="quantum value, continuum game, C = 0.33", unit="probability"),
            Finding.certified_by(upper=cl.bracket.upper, target="classical value, continuum game, C = 0.33", unit="probability"),
            Finding.derived_by("quantum minus classical value, continuum game, C = 0.33",
                               lower=Derived("gap", {"quantum": qb.lower, "classical": cl.bracket.upper}), unit="probability"),
        ),
        decisions=(Decision.of("quantum value > classical value, continuum game, C = 0.33", qb, cl.bracket),),
        evidence_items=(
            Evidence("certificate", "explicit quantum strategy (bin-constant vectors) read as a continuum strategy (lower bound)", qb.lower.certificate),
            Evidence("certificate", "continuum DP over all classical strategies (upper bound)", cl.paths["upper"]),
        ),
    )
