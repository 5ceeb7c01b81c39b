"""Tests of bounds.system_duals: the rank-2 reduction lemmas (S2-S4) against N-bin brute force and the Tsirelson SDP, weak duality, bad input."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from analytic.laws.service import ServiceLaw
from bounds.system import solve_class
from bounds.system_duals import dual_classical, dual_ideal, dual_quantum
from bounds.system_point import OperatingPoint, SystemParameterError, operating_point
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


def test_dual_values_are_upper_bounds_on_strategies() -> None:
    # weak duality at several nu: nu B + V(nu) >= p_bunch of the class's own optimum; classes are nested
    opt = {m: 1 - solve_class(PT, m).p_split for m in ("classical", "quantum", "ideal")}
    for nu in (0.5, 1.0, 1.5, 2.5):
        ds = {"classical": dual_classical(PT, nu), "quantum": dual_quantum(PT, nu), "ideal": dual_ideal(PT, nu)}
        for m, d in ds.items():
            assert d.dual_bound(PT) >= opt[m] - 1e-10
        assert ds["classical"].value <= ds["quantum"].value + 1e-12 <= ds["ideal"].value + 1e-9


def test_bad_nu_and_visibility() -> None:
    with pytest.raises(SystemParameterError, match="visibility"):
        dual_quantum(PT, 1.0, visibility=1.5)
    with pytest.raises(SystemParameterError, match="`nu`"):
        dual_classical(PT, -1.0)


def test_classical_search_on_a_law_without_closed_forms_finds_the_closed_form_maximum() -> None:
    """A law given only as a scipy distribution ranks its grid by rough (quadrature-node) values; the rough peak of the
    hyperexponential law (p 2) sat a grid step off the true one and the refinement's bracket missed it (bias short by
    6.5e-7 at nu 0.62925; p_split 1.6e-8 above the closed-form path's).  Independent route: the catalogue law's closed
    forms, and a dense scan of thresholds."""
    from analytic.laws.catalogue import parse_law
    from bounds.system_duals import _classical_value

    spec = parse_law("hyperexponential:2")
    closed, scipy_only = ServiceLaw.named(spec), ServiceLaw(dist=spec.frozen())
    biases = []
    for law in (closed, scipy_only):
        pt0 = operating_point(0.6, 1e12, law=law)
        pt = operating_point(0.6, pt0.W_split + 0.5 * (pt0.W_bunch - pt0.W_split), law=law)
        biases.append(dual_classical(pt, 0.62925).bias)
    ts = np.linspace(3.6, 3.8, 2001)
    pt0 = operating_point(0.6, 1e12, law=closed)
    pt = operating_point(0.6, pt0.W_split + 0.5 * (pt0.W_bunch - pt0.W_split), law=closed)
    scan = float(_classical_value(pt, pt.matrix(0.62925), ts).max())
    assert biases[1] == pytest.approx(biases[0], abs=1e-10)
    assert biases[1] >= scan - 1e-10
