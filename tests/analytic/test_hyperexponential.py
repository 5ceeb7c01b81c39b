"""The hyperexponential rv_continuous against closed forms and sampling."""

import math

import numpy as np
import pytest

from analytic.hyperexponential import hyperexponential, phase_weights


@pytest.mark.parametrize("cv", [1.5, 2.0, 4.0])
def test_moments_closed_form(cv):
    # mean 1 and coefficient of variation cv by construction (balanced means)
    d = hyperexponential(cv)
    assert d.mean() == pytest.approx(1.0, rel=1e-12)
    assert d.std() == pytest.approx(cv, rel=1e-12)
    p1, p2, r1, r2 = phase_weights(cv)
    assert p1 / r1 == pytest.approx(p2 / r2)  # balanced means
    assert d.moment(3) == pytest.approx(6 * (p1 / r1**3 + p2 / r2**3), rel=1e-12)


@pytest.mark.parametrize("cv", [2.0, 4.0])
def test_cdf_ppf_and_moments_against_sampling(cv):
    # sampling the two phases directly (independent of the class) must match cdf and the first two moments
    rng = np.random.default_rng(7)
    p1, _p2, r1, r2 = phase_weights(cv)
    n = 400_000
    phase = rng.random(n) < p1
    x = np.where(phase, rng.exponential(1 / r1, n), rng.exponential(1 / r2, n))
    d = hyperexponential(cv)
    for q in (0.1, 0.5, 0.9, 0.99):
        emp = np.quantile(x, q)
        assert d.cdf(emp) == pytest.approx(q, abs=4e-3)
    assert x.mean() == pytest.approx(1.0, abs=0.02 * cv)
    assert x.std() == pytest.approx(cv, rel=0.05)


def test_ppf_inverts_cdf_deep_tail():
    d = hyperexponential(4.0)
    u = np.array([1e-12, 1e-6, 0.3, 0.999999, 1 - 1e-12])
    assert np.allclose(d.cdf(d.ppf(u)), u, rtol=1e-12, atol=1e-15)
    assert d.ppf(0.0) == 0.0 and math.isinf(d.ppf(1.0))


def test_bad_shape_gives_nan():
    # scipy's convention: a shape outside its range (cv <= 1) gives nan
    assert math.isnan(hyperexponential(1.0).mean())
