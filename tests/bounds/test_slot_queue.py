"""Tests of the slotted-queue bracket against independent oracles (closed forms, Kingman, Monte Carlo)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from analytic.laws.service import ServiceLaw
from bounds.errors import BoundsParameterError
from bounds.slot_queue import kingman_theta, lindley_bracket, slot_throughput, slot_waiting_time
from bounds.slot_work import RankRule, batch_lattice, server_work


def _mc_lindley(s: np.ndarray, m: int, n: int, seed: int) -> tuple[float, float]:
    """Plain Monte Carlo of the lattice Lindley chain: mean of V and a batch-means standard error."""
    rng = np.random.default_rng(seed)
    draws = rng.choice(s.size, size=n, p=s)
    v = 0
    out = np.empty(n)
    for i in range(n):
        out[i] = v
        v = max(v + int(draws[i]) - m, 0)
    keep = out[n // 10:]
    b = keep[: (keep.size // 50) * 50].reshape(50, -1).mean(axis=1)
    return float(keep.mean()), float(b.std(ddof=1) / math.sqrt(50))


def test_dd1_no_wait():
    s = np.zeros(7)
    s[6] = 1.0   # work 6h every epoch, tau = 7h: never waits
    b = lindley_bracket(s, s, 7)
    assert b.ev_lo == 0.0 and b.ev_hi < 1e-9


def test_dd1_periodic_batches_closed_form():
    # work 3 cells w.p. 1/2 else 0, tau = 2 cells: walk steps -2, +1 with probability 1/2 each
    s = np.array([0.5, 0.0, 0.0, 0.5])
    m = 2
    # stationary law of the lattice chain by an eigenvector on a truncated state space (a different method);
    # for this walk the ladder analysis gives E[V] = golden ratio (1 + sqrt 5)/2
    N = 120
    P = np.zeros((N, N))
    for v in range(N):
        for k, p in enumerate(s):
            P[v, min(max(v + k - m, 0), N - 1)] += p
    w, vec = np.linalg.eig(P.T)
    pi = np.real(vec[:, np.argmin(abs(w - 1))])
    pi /= pi.sum()
    exact = float(np.arange(N) @ pi)
    b = lindley_bracket(s, s, m, tol=1e-10)
    assert b.ev_lo <= exact + 1e-9 and exact <= b.ev_hi + 1e-9
    assert b.ev_hi - b.ev_lo < 1e-6
    assert abs(exact - (1 + math.sqrt(5)) / 2) < 1e-9


def test_bracket_matches_monte_carlo_and_kingman():
    rng = np.random.default_rng(3)
    s = rng.random(12) ** 3
    s /= s.sum()
    m = int(np.ceil(np.arange(12) @ s * 1.25))
    b = lindley_bracket(s, s, m, tol=1e-10)
    mc, se = _mc_lindley(s, m, 400_000, 1)
    assert b.ev_lo - 4 * se <= mc <= b.ev_hi + 4 * se
    mean = float(np.arange(12) @ s)
    var = float(np.arange(12) ** 2 @ s) - mean**2
    assert b.ev_lo <= var / (2 * (m - mean)) + 1e-12   # Kingman's bound on the stationary mean


def test_small_lattices_stay_valid():
    """However small the lattice (``tail``), the bounds hold: here E[V] = 4 exactly (steps -2 w.p. 0.6, +2 w.p. 0.4)."""
    s = np.array([0.6, 0.0, 0.0, 0.0, 0.4])
    exact = lindley_bracket(s, s, 2, tol=1e-12)
    assert abs(exact.ev_lo - 4.0) < 1e-8 and abs(exact.ev_hi - 4.0) < 1e-8
    for tail in (1e-1, 1e-2, 1e-3):
        b = lindley_bracket(s, s, 2, tail=tail, tol=1e-12)
        assert b.ev_lo <= 4.0 <= b.ev_hi
        assert b.tail_mass > 0


def test_kingman_theta_root():
    s = np.array([0.5, 0.2, 0.0, 0.3])
    th = kingman_theta(s, 2)
    phi = float(s @ np.exp(th * (np.arange(4) - 2)))
    assert phi <= 1.0 + 1e-12 and float(s @ np.exp(th * 1.001 * (np.arange(4) - 2))) > 1.0


def test_unstable_refused():
    with pytest.raises(BoundsParameterError, match="unstable"):
        lindley_bracket(np.array([0.0, 0.0, 1.0]), np.array([0.0, 0.0, 1.0]), 2)
    with pytest.raises(BoundsParameterError, match="sum to 1"):
        lindley_bracket(np.array([0.5, 0.1]), np.array([0.5, 0.5]), 2)


def _pair_limit(law: ServiceLaw, lam: float, b: float, tau: float, m: int) -> tuple[float, float, float]:
    """Slotted queue fed by the paper's pair stream: one pair per non-empty slot (prob lam tau, tau small)."""
    A = batch_lattice(law, 1.0, tau, m)  # only its X+ lattice is used
    h = A.h
    x = A.P[0] / A.P[0].sum()  # law of X+ (N = 1 row)
    dn = np.zeros_like(x)
    dn[:-1] = x[1:]  # X- = X+ - h
    out = []
    for xx in (dn, x):
        two = np.convolve(xx, xx)
        s = np.zeros(two.size)
        p = lam * tau
        s[: xx.size] += p * (1 - b) * xx          # split: one customer
        s += p * b / 2 * two                      # bunched onto server 1
        s[0] += 1 - p + p * b / 2                 # nothing
        out.append(s)
    qb = lindley_bracket(out[0], out[1], m, h=h, tol=1e-9)
    within = b * law.mean / 2
    return tau / 2 + qb.ev_lo + within, tau / 2 + qb.ev_hi + within, h


@pytest.mark.parametrize("b", [0.0, 0.6])
def test_paired_arrivals_recover_the_paper(b):
    """Lemma T6 (a): the slot queue with the pair stream tends to the M^X/G/1 formula of analytic.waiting."""
    from analytic.rules import RandomRule
    from analytic.waiting import waiting_time

    law = ServiceLaw.exponential(1.0)
    lam = 0.5
    exact = waiting_time(RandomRule(1 - b), law, lam)
    lo, hi, _h = _pair_limit(law, lam, b, 0.05, 1)
    # the slot model differs from the Poisson pair stream by O(tau) (one pair per slot, thinning); the bracket by O(h)
    assert lo - 0.02 <= exact <= hi + 0.02
    assert hi - lo < 0.15


def test_route_on_arrival_limit_independent_streams():
    """Lemma T6 (b): independent streams, tau -> 0: W_q -> M/M/1 rho/(1 - rho) (plus tau/2), E[T_B] -> (1 - rho) 2/lam for k = 2."""
    law = ServiceLaw.exponential(1.0)
    lam, tau = 0.5, 0.05
    A = batch_lattice(law, lam, tau, 2)
    for e in (-1.0, 1.0):   # the rule is irrelevant in the limit
        w = server_work(A, A, RankRule.constant(e))
        sw = slot_waiting_time(w)
        assert sw.wq_lo - 0.05 <= lam / (1 - lam) + tau / 2 <= sw.wq_hi + 0.05
        tb = slot_throughput(w, sw, 2)
        assert abs(tb[0] - (1 - lam) * 2 / lam) < 0.05


def test_bracket_shrinks_with_the_lattice():
    law = ServiceLaw.exponential(1.0)
    A8 = batch_lattice(law, 0.6, 1.0, 8)
    A32 = batch_lattice(law, 0.6, 1.0, 32)
    r = RankRule.constant(0.0)
    w8 = slot_waiting_time(server_work(A8, A8, r))
    w32 = slot_waiting_time(server_work(A32, A32, r))
    assert w32.wq_hi - w32.wq_lo < 0.5 * (w8.wq_hi - w8.wq_lo)
    assert w8.wq_lo <= w32.wq_hi and w32.wq_lo <= w8.wq_hi
