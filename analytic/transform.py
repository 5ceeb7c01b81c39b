"""Eq. 3-4: the probability-integral transform of the routing rule, and P(bunch).

* :func:`derive_cdf_transform` -- for exponential service times,
  ``X1 + X2 <= t  <=>  (1 - a)(1 - b) >= C`` with ``a = F(X1)``,
  ``b = F(X2)``, ``C = exp(-mu t)`` (the paper's Eq. 3-4).
* :func:`derive_general_boundary` -- for any continuous, strictly increasing
  service CDF ``F``, the bunch region in input space is
  ``F^{-1}(a) + F^{-1}(b) <= t``, i.e. ``b <= F(t - F^{-1}(a))``.
* :func:`derive_bunch_probability` -- ``P(bunch) = (1 - C) + C ln C`` and
  ``p_split = C - C ln C`` for the threshold rule.

>>> d = derive_bunch_probability()
>>> d.passed, d.expr
(True, C*log(C) - C + 1)
"""

from __future__ import annotations

import numpy as np
import sympy as sp
from scipy import integrate, stats

from analytic.derivation import Check, Derivation, is_zero
from analytic.symbols import C, a, b, mu, t, x, x1, x2

__all__ = ["derive_bunch_probability", "derive_cdf_transform", "derive_general_boundary", "exponential_cdf"]

ASSUMPTIONS_EXP = (
    "X1, X2 i.i.d. exponential with rate mu > 0, F(x) = 1 - exp(-mu x)",
    "a = F(X1), b = F(X2) (probability-integral transform), so a, b ~ U(0, 1) independent",
    "threshold t > 0, hence C = exp(-mu t) in (0, 1)",
)


def exponential_cdf() -> sp.Expr:
    """``F(x) = 1 - exp(-mu x)``.

    >>> exponential_cdf()
    1 - exp(-mu*x)
    """
    return 1 - sp.exp(-mu * x)


def _inverse_cdf() -> sp.Expr:
    sols = sp.solve(sp.Eq(a, exponential_cdf()), x)
    if len(sols) != 1:  # pragma: no cover - sympy regression guard
        raise RuntimeError(f"expected one inverse of F, sympy gave {sols}")
    return sols[0]


def derive_cdf_transform() -> Derivation:
    """Derive Eq. 3-4: the bunch rule ``X1 + X2 <= t`` in input space.

    The inverse CDF is solved for, substituted into the sum, and the
    monotone map ``s -> exp(-mu s)`` (strictly decreasing, so the inequality
    flips) turns the sum rule into the product rule.

    Returns
    -------
    Derivation
        ``expr`` is the relation ``(1 - a)(1 - b) >= exp(-mu t)``; extras hold
        the inverse transform and ``C``.

    >>> derive_cdf_transform().expr
    (a - 1)*(b - 1) >= exp(-mu*t)
    """
    inv = _inverse_cdf()  # -log(1 - a)/mu
    s_ab = inv + inv.subs(a, b)  # X1 + X2 in input space
    mapped = sp.simplify(sp.expand_log(sp.exp(-mu * s_ab), force=True))
    product = sp.factor(mapped)
    s = sp.Symbol("s", positive=True)
    slope = sp.diff(sp.exp(-mu * s), s)
    rel = sp.GreaterThan(product, sp.exp(-mu * t))
    rng = np.random.default_rng(20240603)
    xs = rng.exponential(1.0, size=(2000, 2))
    tt = 1.3
    lhs = xs.sum(axis=1) <= tt
    av, bv = 1 - np.exp(-xs[:, 0]), 1 - np.exp(-xs[:, 1])
    rhs = (1 - av) * (1 - bv) >= np.exp(-tt)
    checks = (
        Check("inverse", is_zero(exponential_cdf().subs(x, inv) - a), f"F(F^-1(a)) = a with F^-1(a) = {inv}"),
        Check("sum-to-product", is_zero(mapped - (1 - a) * (1 - b)), f"exp(-mu (F^-1(a) + F^-1(b))) = {product}"),
        Check("monotone", bool(sp.ask(sp.Q.negative(slope), sp.Q.positive(mu) & sp.Q.positive(s))), f"d/ds exp(-mu s) = {slope} < 0, so <= flips to >="),
        Check("numeric", bool(np.array_equal(lhs, rhs)), "2000 exponential pairs (mu = 1, t = 1.3): both rules give identical decisions"),
    )
    return Derivation(
        "eq3-4",
        "X1 + X2 <= t  <=>  (1 - a)(1 - b) >= C with a = F(X1), b = F(X2), C = exp(-mu t)",
        ASSUMPTIONS_EXP,
        rel,
        checks,
        extra=(("inverse_transform", sp.Eq(x, inv)), ("C", sp.Eq(C, sp.exp(-mu * t)))),
    )


def derive_general_boundary() -> Derivation:
    """Sum-threshold rule for a general continuous law, in input space.

    With ``X_i = F^{-1}(U_i)``, bunching iff ``F^{-1}(a) + F^{-1}(b) <= t``;
    for ``a <= F(t)`` this is ``b <= F(t - F^{-1}(a))`` (``F`` increasing).

    >>> derive_general_boundary().passed
    True
    """
    F = sp.Function("F")
    Finv = sp.Function("F^{-1}")
    boundary = F(t - Finv(a))
    exp_boundary = sp.simplify(exponential_cdf().subs(x, t - _inverse_cdf()))
    rng = np.random.default_rng(7)
    law = stats.gamma(2.0, scale=0.5)
    uv = rng.random((2000, 2))
    tt = 1.1
    by_sum = law.ppf(uv[:, 0]) + law.ppf(uv[:, 1]) <= tt
    ok_a = uv[:, 0] <= law.cdf(tt)
    by_boundary = ok_a & (uv[:, 1] <= law.cdf(np.where(ok_a, tt - law.ppf(uv[:, 0]), 0.0)))
    checks = (
        Check("exponential-case", is_zero(exp_boundary - (1 - sp.exp(-mu * t) / (1 - a))), f"F(t - F^-1(a)) = {exp_boundary} = 1 - C/(1 - a)"),
        Check("numeric-gamma", bool(np.array_equal(by_sum, by_boundary)), "2000 Gamma(2, 1/2) pairs, t = 1.1: sum rule == boundary rule"),
    )
    return Derivation(
        "boundary-general",
        "For a continuous strictly increasing service CDF F the bunch region is F^{-1}(a) + F^{-1}(b) <= t, i.e. b <= F(t - F^{-1}(a)) for a <= F(t)",
        ("X1, X2 i.i.d. with continuous, strictly increasing CDF F on [0, inf)", "a = F(X1), b = F(X2)", "threshold t > 0"),
        sp.LessThan(b, boundary),
        checks,
        extra=(("sum_rule", sp.LessThan(Finv(a) + Finv(b), t)), ("exponential_boundary", exp_boundary)),
    )


def derive_bunch_probability() -> Derivation:
    """``P(bunch) = (1 - C) + C ln C`` for the threshold rule, and ``p_split``.

    Derived by integrating the bunch region ``b <= 1 - C/(1 - a)`` over
    ``a in [0, 1 - C]``; checked against the x-space integral
    ``P(X1 + X2 <= t)`` and against 2-D numerical quadrature.

    >>> d = derive_bunch_probability()
    >>> sp.simplify(d.extra[0][1])
    C*(1 - log(C))
    """
    cc = sp.Symbol("C", positive=True)
    inner = sp.integrate(1, (b, 0, 1 - cc / (1 - a)))
    pb = sp.simplify(sp.integrate(inner, (a, 0, 1 - cc)))
    pb = sp.expand(pb).subs(cc, C)
    # independent route: x-space integral of the joint exponential density
    px = sp.integrate(sp.integrate(mu**2 * sp.exp(-mu * (x1 + x2)), (x2, 0, t - x1)), (x1, 0, t))
    px_c = sp.simplify(px.subs(t, -sp.log(C) / mu))
    cval = 0.33
    num, _ = integrate.dblquad(lambda bb, aa: 1.0, 0, 1 - cval, 0, lambda aa: 1 - cval / (1 - aa))
    checks = (
        Check("x-space", is_zero(px_c - pb), f"P(X1 + X2 <= t) = {sp.simplify(px)}, with t = -ln(C)/mu gives {px_c}"),
        Check("quadrature", abs(float(pb.subs(C, cval)) - num) < 1e-10, f"C = 0.33: formula {float(pb.subs(C, cval)):.12f}, dblquad {num:.12f}"),
    )
    return Derivation(
        "p-bunch",
        "P(bunch) of the threshold rule = (1 - C) + C ln C; p_split = C - C ln C",
        ASSUMPTIONS_EXP,
        pb,
        checks,
        extra=(("p_split", sp.expand(1 - pb)),),
    )
