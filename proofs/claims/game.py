"""Claim checks for the game itself and the paper's search results (Eq. 5, Eq. 6, Sec. 4.4).

These reproduce the paper's *estimates* with our own searches; the certified
brackets come from the bound checkers (see :mod:`proofs.checkers.registry`).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from proofs.claims.claim import ClaimResult, Evidence, Finding, Status
from proofs.claims.paper import CLASSICAL as PAPER_EQ5  # the paper's stated values, for comparison only
from proofs.claims.paper import DIGITS as PAPER_DIGITS
from proofs.claims.paper import LINEAR as PAPER_EQ6
from proofs.claims.paper import LINEAR_PARAMS as PAPER_EQ6_D
from proofs.claims.paper import QUADRATIC as PAPER_QUAD

__all__ = ["check_eq5", "check_eq6", "check_linear_game", "check_p_bunch", "check_quadratic"]


def check_p_bunch(*, quick: bool, cert_dir: Path) -> ClaimResult:
    """Derive P(bunch) = (1 - C) + C ln C with sympy and compare with the exact discretisation."""
    import sympy as sp

    from games import discretise, paper_game

    a, _b, C = sp.symbols("a b C", positive=True)
    # bunch iff b <= 1 - C/(1 - a), which needs a <= 1 - C
    inner = 1 - C / (1 - a)
    p = sp.simplify(sp.integrate(inner, (a, 0, 1 - C)))
    closed = (1 - C) + C * sp.log(C)
    ok_sym = sp.simplify(p - closed) == 0
    worst = 0.0
    for c in (0.05, 0.33, 0.9):
        m = discretise(paper_game(c), 200).matrix
        worst = max(worst, abs(float(m.sum()) - (2 * float(closed.subs(C, c)) - 1)))
    status: Status = "proved" if ok_sym and worst < 1e-12 else "differs"
    return ClaimResult(
        status,
        f"P(bunch) = {sp.sstr(p)} = (1 - C) + C ln C; at C = 0.33: {float(closed.subs(C, 0.33)):.10f}",
        f"sympy integral of 1 - C/(1-a) over [0, 1-C] simplifies to the closed form (exact); sum of the exact "
        f"N = 200 cell matrix equals 2 P(bunch) - 1 to {worst:.1e} at C in (0.05, 0.33, 0.9)",
        headline="P(bunch) = (1 - C) + C ln C (derived)",
        findings=(Finding("P(bunch) at C = 0.33, closed form", estimate=float(closed.subs(C, 0.33)), unit="probability"),),
        evidence_items=(
            Evidence("computation", "sympy integral of 1 - C/(1-a) over a in [0, 1-C] equals (1 - C) + C ln C exactly"),
            Evidence("computation", f"the exact N = 200 cell matrix sums to 2 P(bunch) - 1 within {worst:.1e} at C = 0.05, 0.33, 0.9"),
        ),
        assumptions=("X1, X2 i.i.d. with a continuous CDF F (a = F(X1), b = F(X2) uniform)",),
    )


def check_linear_game(*, quick: bool, cert_dir: Path) -> ClaimResult:
    """Our searches on Aharon et al.'s game against its known values 3/4 and 1/2 + 1/pi."""
    from games import discretise, linear_boundary_game
    from games.classical_search import classical_estimate
    from games.quantum_search import LINEAR, optimise_angles

    d = discretise(linear_boundary_game(), 400)
    cl = classical_estimate(d, seed=0)
    q = optimise_angles(d, LINEAR, seed=0)
    qc = q.parameters["continuum_value"]
    target_q = 0.5 + 1 / np.pi
    ok = abs(cl.value - 0.75) < 1e-3 and abs(q.value - target_q) < 1e-3
    return ClaimResult(
        "reproduced" if ok else "differs",
        f"classical estimate {cl.value:.6f} (N = 400); linear angle ansatz {q.value:.6f} at N = 400, "
        f"{qc:.10f} as a smooth strategy (1/2 + 1/pi = {target_q:.10f})",
        "independent searches reproduce the known closed forms (Aharon et al.; Tsirelson); estimates, not bounds",
        headline=f"classical {cl.value:.4f}, linear ansatz {qc:.6f} (known: 3/4, 1/2 + 1/pi)",
        findings=(
            Finding("classical value, linear-boundary game, N = 400 (search)", estimate=float(cl.value), unit="probability"),
            Finding("quantum value of the linear angle ansatz, linear-boundary game, continuum", estimate=float(qc), unit="probability"),
        ),
        evidence_items=(
            Evidence("computation", "annealing and best-response search on the N = 400 linear-boundary game", seed=0),
            Evidence("computation", "L-BFGS-B over the linear angle ansatz, evaluated as a smooth strategy", seed=0),
        ),
    )


def check_eq5(*, quick: bool, cert_dir: Path) -> ClaimResult:
    """Reproduce the annealing estimate 0.7616 at C = 0.33, N = 1000, and compare with certified brackets.

    Our searches give the estimate; the certified continuum bracket (and, with
    ``quick=False``, the exact N = 1000 value) decides whether the paper's
    four decimals are right.
    """
    from games import discretise, paper_game
    from games.classical_search import anneal, best_response
    from proofs.certify.classical import classical_bracket

    game = paper_game(0.33)
    d = discretise(game, 1000)
    sa = anneal(d, seed=0, restarts=2 if quick else 8)
    br = best_response(d, seed=0, starts=64 if quick else 512)
    best = max(sa.value, br.value)
    strat = (sa if sa.value >= br.value else br).strategy
    sw_g = int(np.count_nonzero(np.diff(strat.g)))
    sw_h = int(np.count_nonzero(np.diff(strat.h)))
    cont = classical_bracket(game, continuum=True, bins=200 if quick else 400, cert_dir=cert_dir)
    lo, up = float(cont.lower.value), float(cont.upper.value)
    brackets = [f"continuum [{lo:.10f}, {up:.10f}]"]
    rounds = [round(lo, 4), round(up, 4)]
    if not quick:
        nb = classical_bracket(game, 1000, cert_dir=cert_dir)
        brackets.append(f"N = 1000 [{float(nb.lower.value):.12f}, {float(nb.upper.value):.12f}]")
        rounds += [round(float(nb.lower.value), 4), round(float(nb.upper.value), 4)]
    certified_ok = all(abs(r - PAPER_EQ5) <= PAPER_DIGITS / 2 for r in rounds)
    search_ok = abs(round(best, 4) - PAPER_EQ5) <= PAPER_DIGITS / 2
    status: Status = "proved" if certified_ok and search_ok else "differs"
    return ClaimResult(
        status,
        f"certified classical value {'; '.join(brackets)}; our annealing {sa.value:.6f}, best response {br.value:.6f} "
        f"(N = 1000; best strategy has {sw_g} + {sw_h} switches)",
        (
            f"the certified bracket rounds to the paper's {PAPER_EQ5} at both ends, so Eq. 5 is right to its four decimals "
            "(and the paper's annealer reached the optimum to that precision)"
            if status == "proved"
            else f"the certified bracket or our search does not round to the paper's {PAPER_EQ5}"
        )
        + f"; certificates: {cont.lower.certificate}, {cont.upper.certificate}",
        {"anneal": sa.value, "best_response": br.value, "continuum": [lo, up]},
        headline=f"continuum value in [{lo:.7f}, {up:.7f}] (certified)" + (f"; N = 1000 in [{float(nb.lower.value):.10f}, {float(nb.upper.value):.10f}]" if not quick else ""),
        findings=(
            Finding.certified_by(cont.lower, cont.upper, target="classical value, continuum game, C = 0.33", unit="probability"),
            *((Finding.certified_by(nb.lower, nb.upper, target="classical value, N = 1000 game, C = 0.33", unit="probability"),) if not quick else ()),
            Finding("classical value, N = 1000, our annealing / best response (search)", estimate=float(best), unit="probability"),
        ),
        evidence_items=(
            Evidence("certificate", "continuum lower bound: a threshold strategy with rational switch points", cont.lower.certificate),
            Evidence("certificate", "continuum upper bound: the 1-D dynamic programme over all strategies", cont.upper.certificate),
            *((Evidence("certificate", "exact N = 1000 lower bound (optimal step strategy)", nb.lower.certificate),
               Evidence("certificate", "exact N = 1000 upper bound (branch and bound over K)", nb.upper.certificate)) if not quick else ()),
            Evidence("computation", f"simulated annealing ({2 if quick else 8} restarts) and best response ({64 if quick else 512} starts), N = 1000", seed=0),
        ),
        assumptions=("exponential service times (any continuous law gives the same game in a = F(X1), b = F(X2))",),
    )


def _paper_gauge(d: list[float]) -> list[float]:
    """``d`` in the paper's gauge: the value depends on Delta only through cos(Delta), so ``d`` and ``-d`` are
    the same strategy; pick the sign with ``d1 < 0`` as the paper reports it.

    >>> _paper_gauge([-3.7, 2.76, 2.76])
    [3.7, -2.76, -2.76]
    """
    return [-x for x in d] if d[1] > 0 else list(d)


def _angle_gap(x: float, y: float) -> float:
    """Distance of two angle offsets modulo 2 pi (``d0`` and ``d0 + 2 pi`` are the same strategy)."""
    return abs((x - y + np.pi) % (2 * np.pi) - np.pi)


def check_eq6(*, quick: bool, cert_dir: Path) -> ClaimResult:
    """Reproduce the linear-ansatz value 0.8140 and its coefficients."""
    from games import discretise, paper_game
    from games.quantum_search import LINEAR, continuum_value, optimise_angles

    d = discretise(paper_game(0.33), 1000)
    est = optimise_angles(d, LINEAR, seed=0, starts=4 if quick else 12)
    dd = _paper_gauge(est.parameters["params"])
    at_paper = continuum_value(d.game, LINEAR, PAPER_EQ6_D)
    gaps = [_angle_gap(dd[0], PAPER_EQ6_D[0])] + [abs(x - y) for x, y in zip(dd[1:], PAPER_EQ6_D[1:])]
    ok = abs(round(est.value, 4) - PAPER_EQ6) <= PAPER_DIGITS and max(gaps) < 5e-3
    return ClaimResult(
        "reproduced" if ok else "differs",
        f"{est.value:.6f} (N = 1000 bins), {est.parameters['continuum_value']:.6f} as a smooth strategy, "
        f"d = ({dd[0]:.4f}, {dd[1]:.4f}, {dd[2]:.4f}); the paper's rounded d gives {at_paper:.6f}",
        "L-BFGS-B over the linear ansatz from seeded starts (4 quick, 12 full); the optimum is symmetric (d1 = d2) as the game is",
        {"value": est.value, "params": dd, "gauge": "d and -d (and d0 + 2 pi) are the same strategy; shown with d1 < 0 as in the paper"},
        headline=f"{est.value:.6f}, d = ({dd[0]:.4f}, {dd[1]:.4f}, {dd[2]:.4f})",
        findings=(
            Finding("P_win of the best linear angle ansatz, N = 1000, C = 0.33 (search)", estimate=float(est.value), unit="probability"),
            Finding("P_win at the paper's rounded d, continuum, C = 0.33", estimate=float(at_paper), unit="probability"),
        ),
        evidence_items=(Evidence("computation", "L-BFGS-B over Delta = d0 + d1 a + d2 b from 4 (quick) or 12 (full) seeded starts (an estimate: a strategy's value, not the optimum)", seed=0),),
    )


def check_quadratic(*, quick: bool, cert_dir: Path) -> ClaimResult:
    """Optimise the quadratic ansatz (separate a^2 and b^2 terms) and compare with 0.8147."""
    from games import discretise, paper_game
    from games.quantum_search import QUADRATIC, optimise_angles

    d = discretise(paper_game(0.33), 1000)
    est = optimise_angles(d, QUADRATIC, seed=0, starts=4 if quick else 12)
    diff = est.value - PAPER_QUAD
    status: Status = "reproduced" if abs(round(est.value, 4) - PAPER_QUAD) <= PAPER_DIGITS else "differs"
    return ClaimResult(
        status,
        f"{est.value:.6f} (N = 1000), {est.parameters['continuum_value']:.6f} smooth; "
        f"d = ({', '.join(f'{x:.3f}' for x in est.parameters['params'])}); {diff:+.4f} vs the paper",
        (
            "the quadratic ansatz Delta = d0 + d1 a + d2 b + d3 a^2 + d4 b^2 reaches more than the paper reports, so the "
            f"paper's {PAPER_QUAD} was not the optimum of this family (its exact quadratic form is not stated)"
            if diff > PAPER_DIGITS / 2
            else f"L-BFGS-B from seeded starts over Delta = d0 + d1 a + d2 b + d3 a^2 + d4 b^2; {diff:+.4f} against the paper's {PAPER_QUAD}"
        ),
        {"value": est.value, "params": est.parameters["params"]},
        headline=f"{est.value:.6f} ({diff:+.4f} vs the paper)",
        findings=(Finding("P_win of the best quadratic angle ansatz, N = 1000, C = 0.33 (search)", estimate=float(est.value), unit="probability"),),
        evidence_items=(Evidence("computation", "L-BFGS-B over Delta = d0 + d1 a + d2 b + d3 a^2 + d4 b^2 from seeded starts", seed=0),),
        assumptions=("the paper does not state its quadratic form; we take separate a^2 and b^2 terms",),
    )
