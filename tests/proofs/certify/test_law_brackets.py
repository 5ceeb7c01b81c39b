"""Certified brackets of catalogue laws' games against independent N-bin computations."""

import itertools
import math

import numpy as np
import pytest
from scipy import integrate, stats

from bounds.classical_exact import exact_classical
from games import linear_boundary_game
from proofs.certify.law_brackets import certify_law, classical_minimising_threshold
from proofs.certify.quantum import certify_quantum


def test_uniform_law_matches_the_linear_game(tmp_path):
    # uniform on (0, 2) with t = 2 is the linear game a + b <= 1: same N-bin values by the closed-form route
    r = certify_law("uniform", 2, 16, directory=tmp_path)
    lin_c = exact_classical(linear_boundary_game(), 16)
    lin_q = certify_quantum(linear_boundary_game(), 16, cert_dir=tmp_path)
    assert r.classical.lower.value <= lin_c.upper_win and lin_c.lower_estimate <= float(r.classical.upper.value) + 1e-12
    assert float(r.quantum.lower.value) <= float(lin_q.bracket.upper.value)
    assert float(lin_q.bracket.lower.value) <= float(r.quantum.upper.value)
    assert r.gap > 0 and r.continuum_gap > 0


def _brute_classical(law, t, n):
    # independent N-bin value: cells by scipy dblquad in service-time coordinates, then every g with best h
    q = law.ppf(np.arange(n + 1) / n)
    M = np.empty((n, n))
    for i, j in itertools.product(range(n), range(n)):
        x0, x1, y0, y1 = q[i], q[i + 1], q[j], q[j + 1]
        lo = max(x0, 0.0)
        hi = min(x1, t - y0)
        area = 0.0
        if hi > lo:
            area = integrate.quad(lambda x, y0, y1, j: (law.cdf(min(max(t - x, y0), y1)) - j / n) * law.pdf(x), lo, hi, args=(y0, y1, j), epsabs=1e-14, limit=200)[0]
        M[i, j] = 2 * area - 1 / n**2
    best = -1.0
    for g in itertools.product((1, -1), repeat=n):
        best = max(best, np.abs(np.array(g) @ M).sum())
    return 0.5 + 0.5 * best


def test_gamma_game_value_against_brute_force(tmp_path):
    # gamma:2 (Erlang, rate 2) at t = 1.5, N = 8: certified bracket must contain the brute-force optimum
    r = certify_law("gamma:2", 1.5, 8, directory=tmp_path)
    v = _brute_classical(stats.gamma(2, scale=0.5), 1.5, 8)
    assert float(r.classical.lower.value) - 1e-9 <= v <= float(r.classical.upper.value) + 1e-9
    assert float(r.classical.width) < 1e-12
    assert r.quantum.lower.value > r.classical.upper.value  # the advantage is already certified at N = 8


def test_continuum_brackets_nest_the_n_bin_ones(tmp_path):
    r = certify_law("lognormal:1", 1, 32, directory=tmp_path)
    assert r.classical_continuum.lower.value <= r.classical.upper.value <= r.classical_continuum.upper.value
    assert r.quantum_continuum.lower.value <= r.quantum.upper.value <= r.quantum_continuum.upper.value
    assert r.continuum_gap <= r.gap
    d = r.to_dict()
    assert d["law"] == "lognormal:1" and d["t_exact"] == "1/1" and d["cv"] == pytest.approx(math.sqrt(math.e - 1))


def test_minimising_threshold_of_the_exponential_law_is_the_papers():
    # the paper's C_t = 0.33 means t = -ln 0.33 = 1.109 for mean 1
    s = classical_minimising_threshold("exponential", n=32, tol=2e-3)
    assert abs(float(s.t) - (-math.log(0.33))) < 0.02


@pytest.mark.parametrize("law, t, n", [("cauchy", 1, 8), ("uniform", -1, 8), ("uniform", 1, 1), ("uniform", True, 8)])
def test_bad_input(law, t, n, tmp_path):
    with pytest.raises(ValueError):
        certify_law(law, t, n, directory=tmp_path)


def test_infinite_variance_law_is_fine_at_the_game_level(tmp_path):
    # lomax:2 has E[X^2] = inf: the system level refuses it (W_q = inf), the game is still defined and certified
    from analytic.laws.catalogue import parse_law

    r = certify_law("lomax:2", 1, 16, directory=tmp_path)
    assert math.isinf(r.cv) and r.gap > 0
    with pytest.raises(ValueError, match="infinite variance"):
        parse_law("lomax:2").require_finite_variance()
