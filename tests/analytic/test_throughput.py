"""E[T_B], its monotonicity condition, the monomial case and R_k (Eq. 8)."""

import math

import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st
from scipy import integrate

from analytic.errors import AnalyticParameterError
from analytic.symbols import k, lam, lam_eff, p_c, p_q, p_split, rho
from analytic.throughput import (
    derive_condition,
    derive_lambda_eff,
    derive_monomial,
    derive_ratio,
    derive_superlinear,
    derive_throughput,
    lambda_eff,
    throughput_monomial,
)


@pytest.mark.parametrize(
    "fn", [derive_lambda_eff, derive_throughput, derive_condition, derive_superlinear, derive_monomial, derive_ratio]
)
def test_derivation_checks_pass(fn):
    # internal symbolic and numerical checks of each derivation pass
    d = fn()
    assert d.passed, [c for c in d.checks if not c.passed]


@pytest.mark.parametrize("kk", [0.0, 0.5, 1.0, 2.0, 3.7])
def test_monomial_against_quadrature(kk):
    # (1 - rho) lambda_eff E[L^k] by numerical integration, L ~ Exp(lambda_eff)
    lam, mean, p = 0.7, 1.0, 0.35
    le = lam * (1 + p) / 2
    el, _ = integrate.quad(lambda s: s**kk * le * math.exp(-le * s), 0, math.inf)
    assert throughput_monomial(lam, mean, p, kk) == pytest.approx((1 - lam * mean) * le * el, rel=1e-9)


def test_symbolic_monomial_matches_numeric_function():
    expr = derive_monomial().expr.subs({lam_eff: sp.Rational(3, 10), rho: sp.Rational(1, 2), k: 3})
    assert float(expr) == pytest.approx(throughput_monomial(0.5, 1.0, 0.2, 3))  # lambda_eff = 0.5*1.2/2


def test_condition_matches_monomial_sign():
    # condition (superlinear gap) < 0 exactly when the monomial E[T_B] decreases in p_split
    for kk, decreasing in [(0.5, False), (2.0, True), (3.0, True)]:
        d = throughput_monomial(0.5, 1.0, 0.3, kk) - throughput_monomial(0.5, 1.0, 0.31, kk)
        assert (d > 0) == decreasing
    assert throughput_monomial(0.5, 1.0, 0.1, 1) == pytest.approx(throughput_monomial(0.5, 1.0, 0.9, 1))


@given(st.floats(0.0, 1.0), st.floats(0.0, 1.0), st.floats(0.0, 6.0))
def test_eq8_is_ratio_of_throughputs(pq, pc, kk):
    # R_k from the symbolic derivation equals the ratio of two evaluations of E[T_B]
    r = derive_ratio_expr()(pc, pq, kk)
    assert r == pytest.approx(throughput_monomial(0.4, 1.5, pq, kk) / throughput_monomial(0.4, 1.5, pc, kk), rel=1e-9)


_RATIO = None


def derive_ratio_expr():
    global _RATIO
    if _RATIO is None:
        _RATIO = sp.lambdify((p_c, p_q, k), derive_ratio().expr)
    return _RATIO


def test_lambda_eff_symbolic_and_numeric_agree():
    assert float(derive_lambda_eff().expr.subs({lam: 0.6, p_split: 0.25})) == pytest.approx(lambda_eff(0.6, 0.25))


@pytest.mark.parametrize(
    "args, msg",
    [((0.6, 1.0, 1.5, 2), "`p_split` must lie in"), ((-1.0, 1.0, 0.5, 2), "`lam` must be"), ((0.6, 1.0, 0.5, -1), "`k` must be"),
     ((2.0, 1.0, 0.5, 2), "`rho`"), ((0.5, 0.0, 0.5, 2), "`mean_service`")],
)
def test_bad_input(args, msg):
    with pytest.raises(AnalyticParameterError, match=msg):
        throughput_monomial(*args)
