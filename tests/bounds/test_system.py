"""Tests of bounds.system: closed forms, the rank-2 reduction lemma, N-bin agreement, duality, bad input."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy import optimize, stats

from analytic.laws import ServiceLaw
from analytic.optimal import optimal_fixed_p_rule
from analytic.rules import BinnedRule
from analytic.waiting import waiting_time
from bounds.errors import BoundsTypeError
from bounds.system import (
    OperatingPoint,
    PlanarRouter,
    RouterPair,
    SystemInfeasibleError,
    SystemParameterError,
    ThresholdRouter,
    _nodes,
    _support,
    dual_classical,
    dual_ideal,
    dual_quantum,
    operating_point,
    solve_class,
    solve_mixture,
)
from bounds.tsirelson import tsirelson

PT = operating_point(0.6, 1.65)
EXP = ServiceLaw.exponential(1.0)


def _bin_moments(law: ServiceLaw, n: int) -> np.ndarray:
    """``(P(bin i), E[X; bin i])`` of the equal-probability bins of ``a = F(X)`` (closed forms)."""
    with np.errstate(divide="ignore"):
        e = np.asarray(law.ppf(np.arange(n + 1) / n), dtype=float)
    e[-1] = math.inf
    return np.array([[law.prob(e[i], e[i + 1]), law.partial_mean(e[i], e[i + 1])] for i in range(n)])


def _kernel_matrix(pt: OperatingPoint, nu: float, n: int) -> np.ndarray:
    """N-bin cell matrix of the kernel ``k`` -- exact, because ``k`` is bilinear in ``(1, x)``."""
    phi = _bin_moments(pt.law, n)
    return phi @ pt.matrix(nu) @ phi.T


def test_quadrature_moments_closed_form() -> None:
    for centre, width in ((None, None), (1.5, 1e-6), (0.3, 1e-3)):
        x, w = _nodes(EXP, centre, width)
        assert w.sum() == pytest.approx(1.0, abs=1e-13)
        assert w @ x == pytest.approx(1.0, abs=1e-12)
        assert w @ x**2 == pytest.approx(2.0, abs=1e-11)
    gam = ServiceLaw(dist=stats.gamma(2.0, scale=0.5))  # E[X] = 1, E[X^2] = 1.5
    x, w = _nodes(gam)
    assert w @ x == pytest.approx(1.0, abs=1e-11)
    assert w @ x**2 == pytest.approx(1.5, abs=1e-10)


@pytest.mark.parametrize("law", [EXP, ServiceLaw(dist=stats.gamma(2.0, scale=0.5))], ids=["exp", "gamma2"])
@pytest.mark.parametrize("centre", [0.05, 2.0, 10.891043205766879])
def test_nodes_zero_width_turn_is_a_jump(law: ServiceLaw, centre: float) -> None:
    # width 0 (p0 parallel to p1): the integrand jumps at the centre; the rule must integrate
    # sign(x - c) and x sign(x - c) like smooth functions on each side (closed forms below)
    x, w = _nodes(law, centre, 0.0)
    sgn = np.sign(x - centre)
    below, mean_below = law.prob(0.0, centre), law.partial_mean(0.0, centre)
    assert w @ sgn == pytest.approx(1.0 - 2.0 * below, abs=1e-12)
    assert w @ (x * sgn) == pytest.approx(law.mean - 2.0 * mean_below, abs=1e-11)


def test_planar_router_with_parallel_vectors() -> None:
    # p0 = -2 p1: u(x) = sign(x - 2) (3, 4)/5 exactly; turn width 0 (was a ZeroDivisionError)
    r = PlanarRouter((-6.0, -8.0), (3.0, 4.0))
    assert r.turn() == (2.0, 0.0)
    e = np.array([0.6, 0.8])
    expected = np.array([(2 * math.exp(-2.0) - 1) * e, (2 * 3.0 * math.exp(-2.0) - 1) * e])  # E[u], E[X u] for Exp(1)
    np.testing.assert_allclose(r.moments(EXP), expected, rtol=0, atol=1e-12)
    # the same direction on both sides of a centre outside the support: a constant router
    np.testing.assert_allclose(PlanarRouter((6.0, 8.0), (3.0, 4.0)).moments(EXP), np.array([e, e]), rtol=0, atol=1e-12)


def test_nodes_subnormal_width() -> None:
    # R / width overflows for a subnormal width; the refinement stops at the resolution of the centre
    for width in (5e-324, 1e-310, 1e-300):
        x, w = _nodes(EXP, 1.0, width)
        assert w.sum() == pytest.approx(1.0, abs=1e-13)
        assert w @ np.sign(x - 1.0) == pytest.approx(2 * math.exp(-1.0) - 1, abs=1e-12)


def test_support_function_against_quadrature() -> None:
    # quadrature with a panel break at the kink r = -w0/w1 is exact to rounding
    for w0, w1 in ((1.0, -0.7), (-0.3, 0.4), (0.5, 0.5), (2.0, 0.0), (-1.0, -2.0)):
        r = -w0 / w1 if w1 else -1.0
        x, w = _nodes(EXP, r if r > 0 else None, 1e-3 * abs(r))
        assert float(_support(EXP, np.array([w0]), np.array([w1]))[0]) == pytest.approx(w @ np.abs(w0 + w1 * x), abs=1e-11)
    gam = ServiceLaw(dist=stats.gamma(2.0, scale=0.5))
    xg, wg = _nodes(gam, 1.0 / 1.3, 1e-4)
    assert float(_support(gam, np.array([1.0]), np.array([-1.3]))[0]) == pytest.approx(wg @ np.abs(1.0 - 1.3 * xg), abs=1e-10)


def test_operating_point_constants() -> None:
    # W_0 = M/M/1 wait rho/(mu (1 - rho)); W_bunch from analytic.waiting with beta = 1
    from analytic.rules import RandomRule

    assert PT.W_split == pytest.approx(waiting_time(RandomRule(1.0), EXP, 0.6), abs=1e-12)
    assert PT.W_bunch == pytest.approx(waiting_time(RandomRule(0.0), EXP, 0.6), abs=1e-12)


def test_ideal_matches_analytic_optimal_rule() -> None:
    # independent route: the W_q-optimal rule at fixed p (analytic.optimal), root-found on W_q = W_l
    s = solve_class(PT, "ideal")
    p = optimize.brentq(lambda p: waiting_time(optimal_fixed_p_rule(0.6, EXP, p), EXP, 0.6) - 1.65, 0.01, 0.99, xtol=1e-12)
    assert s.p_split == pytest.approx(p, abs=1e-8)
    assert s.waiting_time == pytest.approx(1.65, abs=1e-9)


@pytest.mark.parametrize("nu", [0.7, 1.5, 3.0])
def test_classical_best_response_is_a_threshold(nu: float) -> None:
    # lemma S2: against any B (random sign vector), A's best response changes sign at most once in x
    rng = np.random.default_rng(int(nu * 10))
    K = _kernel_matrix(PT, nu, 40)
    for _ in range(20):
        h = rng.choice([-1.0, 1.0], size=40)
        g = np.sign(K @ h)
        assert np.count_nonzero(np.diff(g[g != 0])) <= 1


@pytest.mark.parametrize("nu", [0.7, 1.5, 3.0])
def test_classical_value_threshold_search_vs_brute_force(nu: float) -> None:
    # N = 12 bins: max over all 2^12 sign vectors h of sum_i |(K h)_i| equals the best threshold vector,
    # and the continuum value is at least the N-bin value (N-bin strategies are continuum strategies)
    n = 12
    K = _kernel_matrix(PT, nu, n)
    best = max(np.abs(K @ np.array(h)).sum() for h in itertools.product([-1.0, 1.0], repeat=n))
    thr = max(np.abs(K @ np.where(np.arange(n) >= j, 1.0, -1.0)).sum() for j in range(n + 1))
    assert thr == pytest.approx(best, abs=1e-13)
    G = dual_classical(PT, nu).bias
    assert G >= best - 1e-12
    K200 = _kernel_matrix(PT, nu, 400)
    thr200 = max(np.abs(K200 @ np.where(np.arange(400) >= j, 1.0, -1.0)).sum() for j in range(401))
    assert G - thr200 < 5e-3 and G >= thr200 - 1e-12


@pytest.mark.parametrize("nu", [0.7, 1.5])
def test_quantum_value_vs_nbin_sdp_and_planarity(nu: float) -> None:
    # lemma S4: the N-bin Tsirelson SDP optimum lives in a plane, its angle turns monotonically,
    # and its value approaches the continuum planar optimum from below
    n = 64
    K = _kernel_matrix(PT, nu, n)
    r = tsirelson(K, tol=1e-15)
    G = dual_quantum(PT, nu).bias
    assert r.lower_estimate * 2 - 1 <= G + 1e-9
    assert G - (2 * r.upper_estimate - 1) < 2e-3
    assert r.rank(1e-4) <= 2
    u = r.strategy.u
    basis = np.linalg.svd(np.vstack([u, r.strategy.v]))[2][:2]
    ang = np.unwrap(np.arctan2(u @ basis[1], u @ basis[0]))
    d = np.diff(ang)
    assert np.all(d >= -1e-6) or np.all(d <= 1e-6)


def test_quantum_beats_classical_and_ideal_beats_both() -> None:
    c, q, i = (solve_class(PT, m) for m in ("classical", "quantum", "ideal"))
    assert i.p_split < q.p_split < c.p_split
    for s in (c, q):
        assert s.waiting_time == pytest.approx(1.65, abs=1e-9)
        assert abs(s.p_split - s.p_split_dual) < 1e-8  # strong duality: strategy value = dual value


def test_dual_values_are_upper_bounds_on_strategies() -> None:
    # weak duality at several nu: nu B + V(nu) >= p_bunch of the class's own optimum; classes are nested
    opt = {m: 1 - solve_class(PT, m).p_split for m in ("classical", "quantum", "ideal")}
    for nu in (0.5, 1.0, 1.5, 2.5):
        ds = {"classical": dual_classical(PT, nu), "quantum": dual_quantum(PT, nu), "ideal": dual_ideal(PT, nu)}
        for m, d in ds.items():
            assert d.dual_bound(PT) >= opt[m] - 1e-10
        assert ds["classical"].value <= ds["quantum"].value + 1e-12 <= ds["ideal"].value + 1e-9


def test_pair_moments_match_binned_rule() -> None:
    # a threshold pair's (E[beta], E[beta c]) agrees with analytic.rules.BinnedRule on a grid aligned with its thresholds
    pair = RouterPair(ThresholdRouter(float(EXP.ppf(0.25)), -1), ThresholdRouter(float(EXP.ppf(0.5)), 1))
    g = np.where(np.arange(4) >= 1, -1.0, 1.0)
    h = np.where(np.arange(4) >= 2, 1.0, -1.0)
    rule = BinnedRule.from_signs(g, h)
    pb, cost = pair.bunch_and_cost(PT)
    assert pb == pytest.approx(rule.moments(EXP).p_bunch, abs=1e-12)
    assert PT.W_split + cost == pytest.approx(waiting_time(rule, EXP, 0.6), abs=1e-10)


def test_planar_pair_correlation_moments() -> None:
    pair = RouterPair(PlanarRouter((1.0, 0.2), (-0.5, 0.3)), PlanarRouter((0.3, -1.0), (0.4, 0.4)))
    rng = np.random.default_rng(1)
    x = EXP.ppf(rng.random(400_000))
    y = EXP.ppf(rng.random(400_000))
    e = pair.correlation(x, y)
    pb, cost = pair.bunch_and_cost(PT)
    beta = (1 + e) / 2
    c = PT.kappa * x * y + (x + y) / 4
    assert pb == pytest.approx(beta.mean(), abs=4e-3)
    assert cost == pytest.approx((beta * c).mean(), abs=2e-2)


def test_mixed_pair_correlation_is_refused() -> None:
    # a threshold router has no measurement direction: a mixed pair has no defined correlation
    x = np.array([0.5, 1.5])
    for pair in (RouterPair(ThresholdRouter(1.0), PlanarRouter((1.0, 0.0), (0.0, 1.0))), RouterPair(PlanarRouter((1.0, 0.0), (0.0, 1.0)), ThresholdRouter(1.0))):
        with pytest.raises(BoundsTypeError, match="two ThresholdRouters or two PlanarRouters"):
            pair.correlation(x, x)


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


@pytest.mark.parametrize(
    ("kwargs", "exc", "msg"),
    [
        ({"lam": 1.0, "W_limit": 2.0}, SystemParameterError, "rho"),
        ({"lam": 0.6, "W_limit": 1.2}, SystemInfeasibleError, "always-split waiting time W_0 = 1.5"),
        ({"lam": float("nan"), "W_limit": 2.0}, SystemParameterError, "lam"),
        ({"lam": -0.1, "W_limit": 2.0}, SystemParameterError, "lam"),
        ({"lam": 0.5, "W_limit": float("inf")}, SystemParameterError, "W_limit"),
        ({"lam": 0.5, "W_limit": -1.0}, SystemParameterError, "W_limit"),
        ({"lam": 0.5, "W_limit": 2.0, "mu": 0.0}, SystemParameterError, "mu"),
        ({"lam": "0.5", "W_limit": 2.0}, BoundsTypeError, "lam"),
    ],
)
def test_bad_input(kwargs: dict, exc: type, msg: str) -> None:
    with pytest.raises(exc, match=msg):
        operating_point(**kwargs)
    assert issubclass(exc, (ValueError, TypeError))


def test_bad_model_and_visibility() -> None:
    with pytest.raises(SystemParameterError, match="model"):
        solve_class(PT, "telepathic")
    with pytest.raises(SystemParameterError, match="visibility"):
        dual_quantum(PT, 1.0, visibility=1.5)
    with pytest.raises(SystemParameterError, match="quantum_fraction"):
        solve_mixture(PT, 2.0)


# ---------------------------------------------------------------- catalogue laws: closed forms vs the scipy quadrature path
from analytic.laws import LAW_CATALOGUE, parse_law  # noqa: E402
from bounds.system import _general_tail, _law_key, _quadrature_tail  # noqa: E402

FINITE = [s for s in LAW_CATALOGUE if s.finite_variance and s.name != "exponential"]


@pytest.mark.parametrize("spec", FINITE, ids=lambda s: s.label)
def test_closed_form_tails_match_the_quadrature_tails(spec) -> None:
    named, generic = ServiceLaw.named(spec), ServiceLaw(dist=spec.frozen())
    t = np.array([0.0, 0.1, 0.7, 1.0, 2.2, 5.0, math.inf])
    s1, m1 = _general_tail(named, t)
    s0, m0 = _quadrature_tail(generic, t)
    assert s1 == pytest.approx(s0, rel=1e-12, abs=1e-300)
    assert m1 == pytest.approx(m0, rel=1e-9, abs=1e-13)  # the quadrature side truncates the tail at F = 1 - 2^-51
    x, w = _nodes(named)  # nodes integrate 1 and x exactly up to rounding (conditional-mean end nodes)
    assert w.sum() == pytest.approx(1.0, rel=1e-14) and w @ x == pytest.approx(1.0, rel=1e-13)


def test_node_cache_is_keyed_by_the_law_not_by_id() -> None:
    # an id() key could be reused by a later law once the first is freed; the key now holds the law itself
    g = ServiceLaw(dist=stats.gamma(2.0, scale=0.5))
    assert _law_key(g)[1] is g.dist
    assert _law_key(ServiceLaw.named("gamma:2")) == ("spec", "gamma:2")


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
