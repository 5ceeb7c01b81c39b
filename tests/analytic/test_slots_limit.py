"""Long-window limit of shared-coin windows (lemma T8): closed forms against Pollaczek-Khinchine, series and the simulator."""

from __future__ import annotations

import math

import pytest

from analytic.errors import AnalyticParameterError
from analytic.laws.service import ServiceLaw
from analytic.slots_limit import geometric_moment, mg1_idle_throughput, mg1_wait, window_limit, window_limit_at
from analytic.throughput import throughput_monomial
from games.system.slotted import simulate_slotted

EXP = ServiceLaw.exponential(1.0)


def test_mg1_closed_forms_against_the_pair_system():
    """Fair coins = the paper's always-split system: analytic.throughput with p_split = 1, and M/M/1's rho/(1 - rho)."""
    for lam in (0.3, 0.6):
        assert math.isclose(mg1_idle_throughput(lam, EXP, 3.0), throughput_monomial(lam, 1.0, 1.0, 3.0), rel_tol=1e-12)
        assert math.isclose(mg1_wait(lam, EXP), lam / (1 - lam), rel_tol=1e-12)
    assert mg1_wait(0.6, EXP) < mg1_wait(0.6, ServiceLaw.named("hyperexponential:2"))


def test_geometric_moment_against_closed_forms():
    for p in (0.0, 0.1, 0.5):
        assert math.isclose(geometric_moment(p, 1.0), 1 / (1 - p), rel_tol=1e-12)
        assert math.isclose(geometric_moment(p, 2.0), (1 + p) / (1 - p) ** 2, rel_tol=1e-12)
        assert math.isclose(geometric_moment(p, 3.0), (1 + 4 * p + p * p) / (1 - p) ** 3, rel_tol=1e-12)


def test_k1_throughput_is_the_idle_fraction():
    """For T(t) = t every policy's E[T_B] is the idle fraction 1 - rho: base + slope must add up to it."""
    lim = window_limit_at(0.3, EXP, 0.7, k=1.0)
    assert lim.power == 0
    assert math.isclose(lim.tb, 0.7, rel_tol=1e-12)


def test_mixture_at_zero_fraction_is_the_fair_coin():
    lim = window_limit_at(0.3, EXP, 0.0, k=2.0)
    assert lim.slope == 0 and math.isclose(lim.tb, mg1_idle_throughput(0.3, EXP, 2.0), rel_tol=1e-12)
    assert math.isclose(lim.wq, mg1_wait(0.3, EXP), rel_tol=1e-12)


def test_best_limit_meets_the_waiting_limit_exactly():
    W0 = mg1_wait(0.3, EXP)
    lim = window_limit(0.3, EXP, 1.1 * W0)
    assert lim.regime == "mixture" and lim.feasible and math.isclose(lim.wq, 1.1 * W0, rel_tol=1e-12)
    assert math.isinf(lim.tb)
    W0 = mg1_wait(0.8, EXP)
    lim = window_limit(0.8, EXP, 1.5 * W0)
    assert lim.regime == "fluid" and math.isclose(lim.wq, 1.5 * W0, rel_tol=1e-12)
    # k = 2: TB0 + 2 (1 - rho)(W_l - W0)/(2 rho - 1), computed here from the lemma's formula
    assert math.isclose(lim.tb, 2 * 0.2 / 0.8 + 2 * 0.2 * 0.5 * W0 / 0.6, rel_tol=1e-12)
    assert window_limit(0.8, EXP, 1.5 * W0, k=3.0).tb == math.inf
    assert math.isclose(window_limit(0.8, EXP, 1.5 * W0, k=1.5).tb, mg1_idle_throughput(0.8, EXP, 1.5), rel_tol=1e-12)
    assert not window_limit(0.8, EXP, 0.9 * W0).feasible


@pytest.mark.slow
def test_fluid_limit_against_simulation():
    """rho = 0.6, c = 1.2 (W_l = 1.1 W0): at theta = 64 the simulated E[T_B] is near TB0 + c/2 and W_q above its limit
    by less than at theta = 16 (the excess shrinks with theta)."""
    lim = window_limit(0.6, EXP, 1.1 * mg1_wait(0.6, EXP))
    res = {}
    for th in (16.0, 64.0):
        r = simulate_slotted(None, 0.6, 0.6, EXP, tau=th, mode="arrival", window=th, window_bunch=lim.bunched_fraction(th),
                             n_slots=int(2e5 * (th / 16) ** 2 / th), seed=0)
        res[th] = r
    tb, _ = res[64.0].throughput(2.0)
    assert abs(tb - lim.tb) < 0.05 * lim.tb
    assert lim.wq < res[64.0].wq < res[16.0].wq
    assert res[64.0].wq - lim.wq < 0.1 * lim.wq


def test_mixture_slope_against_simulation():
    """rho = 0.3, always bunch (f = 1): W_q near M/M/1 at load 0.6, and E[T_B] grows by slope 3/2 per unit of theta."""
    lim = window_limit_at(0.3, EXP, 1.0)
    tb = {}
    for th in (32.0, 64.0):
        r = simulate_slotted(None, 0.3, 0.3, EXP, tau=th, mode="arrival", window=th, window_bunch=1.0, n_slots=int(4e5 / th), seed=1)
        tb[th] = r.throughput(2.0)[0]
        assert abs(r.wq - lim.wq) < 0.1 * lim.wq
    slope = (tb[64.0] - tb[32.0]) / 32.0
    assert abs(slope - lim.slope) < 0.15 * lim.slope


def test_bad_input():
    with pytest.raises(AnalyticParameterError, match="critical"):
        window_limit(0.5, EXP, 2.0)
    with pytest.raises(AnalyticParameterError, match="rho"):
        window_limit(1.2, EXP, 2.0)
    with pytest.raises(AnalyticParameterError, match="`f`"):
        window_limit_at(0.3, EXP, 1.5)
    with pytest.raises(AnalyticParameterError, match="W_limit"):
        window_limit(0.3, EXP, -1.0)
    with pytest.raises(AnalyticParameterError, match="law"):
        window_limit(0.3, "exp", 1.0)  # type: ignore[arg-type]
