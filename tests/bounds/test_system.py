"""Tests of bounds.system: the minimisation over nu -- the ideal class against analytic.optimal, strong duality, mixtures, other laws, bad input."""

from __future__ import annotations

import pytest
from scipy import optimize, stats

from analytic.laws.catalogue import LAW_CATALOGUE, parse_law
from analytic.laws.service import ServiceLaw
from analytic.optimal import optimal_fixed_p_rule
from analytic.waiting import waiting_time
from bounds.system import solve_class, solve_mixture
from bounds.system_point import SystemParameterError, operating_point

PT = operating_point(0.6, 1.65)
EXP = ServiceLaw.exponential(1.0)
FINITE = [s for s in LAW_CATALOGUE if s.finite_variance and s.name != "exponential"]


def test_ideal_matches_analytic_optimal_rule() -> None:
    # independent route: the W_q-optimal rule at fixed p (analytic.optimal), root-found on W_q = W_l
    s = solve_class(PT, "ideal")
    p = optimize.brentq(lambda p: waiting_time(optimal_fixed_p_rule(0.6, EXP, p), EXP, 0.6) - 1.65, 0.01, 0.99, xtol=1e-12)
    assert s.p_split == pytest.approx(p, abs=1e-8)
    assert s.waiting_time == pytest.approx(1.65, abs=1e-9)


def test_quantum_beats_classical_and_ideal_beats_both() -> None:
    c, q, i = (solve_class(PT, m) for m in ("classical", "quantum", "ideal"))
    assert i.p_split < q.p_split < c.p_split
    for s in (c, q):
        assert s.waiting_time == pytest.approx(1.65, abs=1e-9)
        assert abs(s.p_split - s.p_split_dual) < 1e-8  # strong duality: strategy value = dual value


def test_always_bunch_region_and_mixture() -> None:
    pt = operating_point(0.6, 3.0)
    for m in ("ideal", "classical", "quantum"):
        assert solve_class(pt, m).p_split == 0.0
    p_half, p_dual = solve_mixture(PT, 0.5)
    assert abs(p_half - p_dual) < 1e-7
    c, q = solve_class(PT, "classical").p_split, solve_class(PT, "quantum").p_split
    assert q < p_half < c
    assert solve_mixture(PT, 0.0)[0] == pytest.approx(c, abs=1e-8)
    assert solve_mixture(PT, 1.0)[0] == pytest.approx(q, abs=1e-8)


def test_visibility_hook() -> None:
    q1 = solve_class(PT, "quantum").p_split
    qv = solve_class(PT, "quantum", visibility=0.9).p_split
    assert qv > q1


def test_general_law_runs() -> None:
    gam = ServiceLaw(dist=stats.gamma(2.0, scale=0.5))
    pt = operating_point(0.6, 1.2, law=gam)
    c, q = solve_class(pt, "classical"), solve_class(pt, "quantum")
    assert q.p_split < c.p_split
    assert c.waiting_time == pytest.approx(1.2, abs=1e-7)


def test_bad_model_and_quantum_fraction() -> None:
    with pytest.raises(SystemParameterError, match="model"):
        solve_class(PT, "telepathic")
    with pytest.raises(SystemParameterError, match="quantum_fraction"):
        solve_mixture(PT, 2.0)


def _p_cq(law, W_fraction=0.5):
    pt0 = operating_point(0.6, 1e12, law=law)
    pt = operating_point(0.6, pt0.W_split + W_fraction * (pt0.W_bunch - pt0.W_split), law=law)
    return solve_class(pt, "classical").p_split, solve_class(pt, "quantum").p_split


def test_p_c_p_q_match_the_quadrature_path_gamma2() -> None:
    spec = parse_law("gamma:2")
    new, old = _p_cq(ServiceLaw.named(spec)), _p_cq(ServiceLaw(dist=spec.frozen()))
    assert new == pytest.approx(old, abs=1e-8)


@pytest.mark.slow
@pytest.mark.parametrize("spec", FINITE, ids=lambda s: s.label)
def test_p_c_p_q_match_the_quadrature_path(spec) -> None:
    # the scipy-only law (no catalogue name) runs the old quadrature path throughout
    for f in (0.5, 0.25):
        new, old = _p_cq(ServiceLaw.named(spec), f), _p_cq(ServiceLaw(dist=spec.frozen()), f)
        assert new == pytest.approx(old, abs=1e-8)


def test_a_quantum_bisection_that_met_a_worse_branch_searches_again() -> None:
    """Uniform law, lam 0.3, W_limit 0.9134, quantum: the maximiser's warm-started search fell onto a worse branch at nu = 0.875
    and the bisection ended there (primal 0.07332, certified dual 0.07265).  Searched again from the better branch, the
    primal meets the certified dual (its lower bound, proved by the system-dual checker) within 1e-7."""
    from fractions import Fraction

    from bounds.system_certificates import dual_certificate
    from proofs.checkers.registry import check_certificate

    pt = operating_point(0.3, float(Fraction(864199, 946171)), law=ServiceLaw.named(parse_law("uniform")))
    sol = solve_class(pt, "quantum")
    proven = float(check_certificate(dual_certificate(pt, "quantum", sol.nu), "test").value)
    assert proven <= sol.p_split < proven + 1e-7
    assert abs(sol.waiting_time - pt.W_limit) < 1e-9


def test_a_quantum_bisection_does_not_stay_on_always_bunch() -> None:
    """Uniform law, lam 0.36, W_limit 508394/455725 (near always bunch), quantum: each evaluation started from the last
    maximiser; once that was always bunch (a fixed point of the ascent) the midpoints all looked over budget and nu_lo
    drifted from 0.747 to 0.7494.  The returned dual estimate (0.030485) lay above the primal (0.030053) and the
    primal 5e-5 above the certified optimum.  Started from both ends' maximisers, the primal meets the certified dual
    (the system-dual checker's lower bound) within 1e-7, and the dual estimate does not exceed it."""
    from fractions import Fraction

    from bounds.system_certificates import dual_certificate
    from proofs.checkers.registry import check_certificate

    pt = operating_point(0.36, float(Fraction(508394, 455725)), law=ServiceLaw.named(parse_law("uniform")))
    sol = solve_class(pt, "quantum")
    proven = float(check_certificate(dual_certificate(pt, "quantum", sol.nu), "test").value)
    assert proven <= sol.p_split < proven + 1e-7
    assert sol.p_split_dual <= sol.p_split + 1e-12
    assert abs(sol.waiting_time - pt.W_limit) < 1e-9


@pytest.mark.parametrize("call", ["class", "mixture"])
def test_a_dual_estimate_above_the_primal_is_raised(monkeypatch, call) -> None:
    # weak duality: 1 - D(nu) <= p_split*  <= the attained p_split; above it, an inner maximisation missed a strategy
    import bounds.system as system
    from bounds.errors import SolverError

    real = system._minimise

    def broken(*args, **kwargs):  # the dual estimate 1e-6 above the primal (as if V(nu) were under-maximised)
        nu, p_bunch, _dual, mix, n_eval, pair = real(*args, **kwargs)
        return nu, p_bunch, p_bunch - 1e-6, mix, n_eval, pair

    monkeypatch.setattr(system, "_minimise", broken)
    with pytest.raises(SolverError, match=r"dual estimate of p_split .* above the attained p_split"):
        solve_class(PT, "quantum") if call == "class" else solve_mixture(PT, 0.5)


@pytest.mark.parametrize("v", [0.9, 0.6])
def test_below_visibility_one_the_dual_estimate_is_a_probability_below_the_primal(v) -> None:
    """lam 37/50, mu 13/10, W_limit 925235/845696 (near always split): below visibility 1 the planar pairs reach neither
    always split nor always bunch, V(nu) went negative, and at v = 0.6 the bisection ran to nu = 2^40 and returned a dual
    estimate of p_split of 1.1e11; at v = 0.9 the primal was 0.8078 (always split and always bunch are in the class: the
    routers may ignore their pair; now 0.7931).  Independent check: a Werner pair's correlation v <u, v> is a mixture of the
    noiseless pair's and of independent fair coins, so no strategy of the class beats the noiseless quantum optimum,
    bounded below by the system-dual checker."""
    from fractions import Fraction

    from bounds.system_certificates import dual_certificate
    from proofs.checkers.registry import check_certificate

    pt = operating_point(0.74, float(Fraction(925235, 845696)), law=ServiceLaw.exponential(1.3))
    s = solve_class(pt, "quantum", visibility=v)
    assert 0.0 <= s.p_split_dual <= s.p_split + 1e-12 and s.p_split <= 1.0
    assert s.p_split - s.p_split_dual < 1e-8  # strong duality over the class
    assert abs(s.waiting_time - pt.W_limit) < 1e-9
    q1 = solve_class(pt, "quantum")
    assert s.p_split >= float(check_certificate(dual_certificate(pt, "quantum", q1.nu), "test").value)


def test_a_classical_maximiser_behind_a_plateau_of_constant_routers_is_refined() -> None:
    """Hyperexponential law (p 2), lam 13/100, W_limit 503099/831525, classical: a threshold at 0 or past the tail is a
    constant router, one value on many grid points; those points filled the four peaks refined and an interior peak
    (thresholds near 1.727, worth 6e-6 more in V) was missed at nu 2.7275: the dual estimate of p_split lay 4.8e-6 above
    the primal.  Now the primal meets the system-dual checker's certified lower bound within 1e-7."""
    from fractions import Fraction

    from bounds.system_certificates import dual_certificate
    from proofs.checkers.registry import check_certificate

    pt = operating_point(0.13, float(Fraction(503099, 831525)), law=ServiceLaw.named(parse_law("hyperexponential:2")))
    sol = solve_class(pt, "classical")
    proven = float(check_certificate(dual_certificate(pt, "classical", sol.nu), "test").value)
    assert proven <= sol.p_split < proven + 1e-7
    assert sol.p_split_dual <= sol.p_split + 1e-12
