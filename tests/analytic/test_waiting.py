"""W_q for general rules: reductions to known queues, moments against independent integrals."""

import math

import numpy as np
import pytest
from scipy import special, stats

from analytic.errors import AnalyticParameterError
from analytic.laws.service import ServiceLaw
from analytic.rules import BinnedRule, CostThresholdRule, RandomRule, RuleMoments, SumThresholdRule
from analytic.waiting import derive_waiting_time, waiting_time

EXP1 = ServiceLaw.exponential(1.0)


def test_derivation_checks_pass():
    d = derive_waiting_time()
    assert d.passed, [c for c in d.checks if not c.passed]


@pytest.mark.parametrize("lam, mu", [(0.3, 1.0), (0.9, 2.0), (1.5, 2.0)])
def test_always_split_is_mm1(lam, mu):
    # M/M/1: W_q = rho / (mu (1 - rho))
    r = lam / mu
    assert waiting_time(RandomRule(1.0), ServiceLaw.exponential(mu), lam) == pytest.approx(r / (mu * (1 - r)), rel=1e-12)


def test_always_split_is_pk_for_gamma_law():
    # Pollaczek-Khinchine with scipy's moments of Gamma(3, 0.2)
    law = ServiceLaw(dist=stats.gamma(3.0, scale=0.2))
    lam = 1.2
    m1, m2 = stats.gamma(3.0, scale=0.2).mean(), stats.gamma(3.0, scale=0.2).moment(2)
    assert waiting_time(RandomRule(1.0), law, lam) == pytest.approx(lam * m2 / (2 * (1 - lam * m1)), rel=1e-10)


@pytest.mark.parametrize("p", [0.0, 0.3, 0.8])
def test_random_routing_is_batch_queue(p):
    # M^X/G/1 (batch Poisson, random order in batch), batch law from the routing, computed by hand here:
    # batches at rate lam (1+p)/2; B = 2 w.p. (1-p)/(1+p); W = lam_b(E[B]E[X^2] + E[B(B-1)]E[X]^2)/(2(1-rho)) + E[B(B-1)]E[X]/(2E[B])
    lam, mu = 0.7, 1.3
    m1, m2 = 1 / mu, 2 / mu**2
    lam_b = lam * (1 + p) / 2
    q2 = (1 - p) / (1 + p)
    eb, ebb = 1 + q2, 2 * q2
    ref = lam_b * (eb * m2 + ebb * m1**2) / (2 * (1 - lam * m1)) + ebb * m1 / (2 * eb)
    assert waiting_time(RandomRule(p), ServiceLaw.exponential(mu), lam) == pytest.approx(ref, rel=1e-12)


def test_sum_threshold_moments_closed_form():
    # exponential(1): given S = X1 + X2 = s, X1 ~ U(0, s): E[X1X2 | s] = s^2/6, E[min | s] = s/4
    # so E[1{S<=t} X1 X2] = gamma_lower(4, t)/6 etc. (Gamma(2) density s e^{-s})
    t = 1.7
    m = SumThresholdRule(t).moments(EXP1)
    g = lambda n: special.gammainc(n, t) * special.gamma(n)  # noqa: E731
    assert m.p_bunch == pytest.approx(g(2), rel=1e-10)
    assert m.e_x1x2 == pytest.approx(g(4) / 6, rel=1e-10)
    assert m.e_sum == pytest.approx(g(3), rel=1e-10)
    assert m.e_min == pytest.approx(g(3) / 4, rel=1e-10)


@pytest.mark.parametrize("order_w", [(0.25, 0.25), (0.5, 0.0), (0.0, 0.5)])
def test_cost_rule_moments_against_sampling(order_w):
    # Monte-Carlo integration (1e6 samples, 5 standard errors): independent of the region integrals
    r = CostThresholdRule(kappa=0.8, w_min=order_w[0], w_max=order_w[1], tau=0.6)
    dist = stats.gamma(2.0, scale=0.5)
    m = r.moments(ServiceLaw(dist=dist))
    x = dist.rvs(size=(1_000_000, 2), random_state=np.random.default_rng(5))
    bw = r.bunch(x[:, 0], x[:, 1]).astype(float)
    for est, samples in [(m.p_bunch, bw), (m.e_x1x2, bw * x[:, 0] * x[:, 1]), (m.e_sum, bw * x.sum(1)), (m.e_min, bw * x.min(1))]:
        assert abs(est - samples.mean()) < 5 * samples.std() / math.sqrt(samples.size)


@pytest.mark.parametrize("law", [EXP1, ServiceLaw(dist=stats.lognorm(0.5, scale=0.8))])
def test_binned_rule_moments_against_sampling(law):
    # Monte-Carlo integration of beta(a, b) * f(X1, X2) with 4e5 samples; 5 standard errors
    rng = np.random.default_rng(11)
    n = 7
    beta = rng.random((n, n))
    rule = BinnedRule(beta)
    m = rule.moments(law)
    u = rng.random((400_000, 2))
    x = law.ppf(u)
    bw = beta[np.minimum((u[:, 0] * n).astype(int), n - 1), np.minimum((u[:, 1] * n).astype(int), n - 1)]
    for est, samples in [(m.p_bunch, bw), (m.e_x1x2, bw * x[:, 0] * x[:, 1]), (m.e_sum, bw * x.sum(1)), (m.e_min, bw * x.min(1))]:
        assert abs(est - samples.mean()) < 5 * samples.std() / math.sqrt(samples.size)


def test_binned_from_signs_and_angles():
    r = BinnedRule.from_signs([1, -1], [1, 1])
    assert r.beta.tolist() == [[1.0, 1.0], [0.0, 0.0]]
    q = BinnedRule.from_angles([0.0], [math.pi])
    assert q.beta[0, 0] == pytest.approx(1.0)  # correlator -cos(pi) = +1: always bunch


def test_order_shorter_first_never_worse():
    for rule in (SumThresholdRule(2.0), RandomRule(0.4), BinnedRule.from_signs([1, 1, -1], [1, -1, -1])):
        w = {o: waiting_time(rule, EXP1, 0.5, o) for o in ("shorter_first", "random", "longer_first")}
        assert w["shorter_first"] <= w["random"] <= w["longer_first"]


def test_symbolic_formula_matches_numeric_function():
    d = derive_waiting_time()
    syms = {s.name: s for s in d.expr.free_symbols}
    m = SumThresholdRule(1.2).moments(EXP1)
    val = d.expr.subs({syms["lambda"]: 0.6, syms["rho"]: 0.6, syms["m_2"]: 2, syms[r"\mathbb{E}[\beta X_1 X_2]"]: m.e_x1x2,
                       syms[r"\mathbb{E}[\beta\,\mathrm{first}]"]: m.e_sum / 2})
    assert float(val) == pytest.approx(waiting_time(m, EXP1, 0.6))


@pytest.mark.parametrize(
    "call, msg",
    [(lambda: waiting_time(RandomRule(0.5), EXP1, 1.0), "`rho`"), (lambda: waiting_time(RandomRule(0.5), EXP1, -0.1), "`lam`"),
     (lambda: waiting_time(RandomRule(0.5), EXP1, 0.5, "lifo"), "`order`"), (lambda: RandomRule(1.2), "`p_split`"),
     (lambda: BinnedRule(np.full((2, 2), 1.5)), "`beta`"), (lambda: ServiceLaw.exponential(0.0), "`mu`"),
     (lambda: waiting_time(RandomRule(0.5), "exp", 0.5), "`law`")],
)
def test_bad_input(call, msg):
    with pytest.raises(AnalyticParameterError, match=msg):
        call()


def test_rule_moments_p_split():
    assert RuleMoments(0.25, 0, 0, 0).p_split == 0.75
