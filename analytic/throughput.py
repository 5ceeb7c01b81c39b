"""Baseline throughput E[T_B] (renewal-reward), its monotonicity condition, the
monomial case and the ratio R_k (paper Sec. 4, 4.1, 4.6, Eq. 8).

Model (paper Sec. 3): pairs arrive as a Poisson stream of rate ``lambda``;
each pair is split (one customer per server) or bunched (both customers to one
server).  Assumptions used below, and where they hold:

* **A1 routing ignores queue state** -- the decision for a pair depends only on
  its service times and on fresh per-pair randomness (shared bit, entangled
  pair), so each server receives a Poisson stream of *batches*; true for every
  rule in :mod:`games.system`.
* **A2 symmetric server choice** -- a bunched pair goes to either server with
  probability 1/2 and, in a split, each customer's server is a fair coin
  independent of the service times (the shared bit / the singlet's uniform
  marginal does this); then both servers see the same batch rate
  ``lambda_eff = lambda (1 + p_split)/2`` and utilisation ``rho = lambda E[X]``.
* **A3 stability** ``rho < 1``; the baseline task runs exactly when a server
  has no customer (queue and service empty); preemption is instantaneous.

Then the idle periods of a server are i.i.d. ``Exp(lambda_eff)`` (the gap from
the moment it empties to its next batch, memoryless), a fraction ``1 - rho``
of time is idle and, by renewal-reward,
``E[T_B] = (1 - rho) lambda_eff E[T(L)]``.

>>> round(throughput_monomial(0.6, 1.0, 0.5, 2), 10)   # (1 - 0.6) * 2 / 0.45
1.7777777778
"""

from __future__ import annotations

import math

import numpy as np
import sympy as sp
from scipy import integrate

from analytic import symbols as sym
from analytic.derivation import Check, Derivation, is_zero
from analytic.errors import AnalyticParameterError

__all__ = [
    "derive_condition",
    "derive_lambda_eff",
    "derive_monomial",
    "derive_ratio",
    "derive_superlinear",
    "derive_throughput",
    "lambda_eff",
    "throughput_monomial",
]

ASSUMPTIONS = (
    "A1: routing of a pair depends only on its own (X1, X2) and fresh per-pair randomness, never on queue state",
    "A2: a bunched pair goes to either server w.p. 1/2 and in a split each customer's server is a fair coin independent of (X1, X2) (symmetric loads)",
    "A3: rho = lambda E[X] < 1; the baseline task runs exactly when a server's queue and service are empty; preemption is instantaneous",
    "Poisson pair arrivals of rate lambda; i.i.d. service times; FIFO queues (order within a pair irrelevant here)",
)

T = sp.Function("T")


def _exp_mean(expr: sp.Expr, rate: sp.Expr = sym.nu) -> sp.Expr:
    """``E[expr(L)]`` for ``L ~ Exp(rate)`` as an unevaluated integral."""
    return sp.Integral(expr * rate * sp.exp(-rate * sym.l), (sym.l, 0, sp.oo))


def derive_lambda_eff() -> Derivation:
    """``lambda_eff = lambda (1 + p_split)/2`` and ``rho = lambda E[X]`` for any rule.

    Per pair, server 1 receives a batch if the pair is split (w.p. p_split)
    or bunched onto it (w.p. (1 - p_split)/2).  Its expected work given
    ``(x1, x2)`` and bunch probability ``beta`` is ``(x1 + x2)/2`` whatever
    ``beta`` is, so the utilisation does not depend on the rule.

    >>> derive_lambda_eff().expr
    lambda*(p_split + 1)/2
    """
    rate = sp.factor(sym.lam * (sym.p_split * 1 + (1 - sym.p_split) * sp.Rational(1, 2)))
    work = sp.simplify(sym.beta / 2 * (sym.x1 + sym.x2) + (1 - sym.beta) / 2 * sym.x1 + (1 - sym.beta) / 2 * sym.x2)
    checks = (
        Check("paper-form", is_zero(rate - sym.lam * (1 + sym.p_split) / 2), f"lambda (p + (1 - p)/2) = {rate}"),
        Check("work-independent-of-rule", sp.diff(work, sym.beta) == 0, f"E[work to server 1 | x1, x2] = {work}, free of beta"),
    )
    return Derivation(
        "lambda-eff",
        "Each server receives batches at rate lambda_eff = lambda (1 + p_split)/2; its utilisation is rho = lambda E[X] for every routing rule",
        ASSUMPTIONS,
        rate,
        checks,
        extra=(("expected_work_per_pair", work),),
    )


def derive_throughput() -> Derivation:
    """Renewal-reward: ``E[T_B] = (1 - rho) lambda_eff E[T(L)]``, ``L ~ Exp(lambda_eff)``.

    Idle periods occur at rate (idle fraction)/(mean idle length)
    ``= (1 - rho) / E[L]``, each earning ``T(L)``.

    >>> derive_throughput().passed
    True
    """
    mean_l = sp.integrate(sym.l * sym.nu * sp.exp(-sym.nu * sym.l), (sym.l, 0, sp.oo))
    rate_of_idle = (1 - sym.rho) / mean_l
    tb = rate_of_idle * _exp_mean(T(sym.l))
    tb_eff = tb.subs(sym.nu, derive_lambda_eff().expr)
    count = sp.simplify(rate_of_idle * _exp_mean(sp.Integer(1)).doit())
    linear = sp.simplify(rate_of_idle * _exp_mean(sym.l).doit())
    checks = (
        Check("mean-idle", is_zero(mean_l - 1 / sym.nu), f"E[L] = {mean_l}"),
        Check("T=1: busy-cycle rate", is_zero(count - (1 - sym.rho) * sym.nu), f"T = 1 gives {count} = P0 * batch rate (M^X/G/1 busy cycles per unit time)"),
        Check("T=t: idle fraction", is_zero(linear - (1 - sym.rho)), f"T(t) = t gives {linear} = 1 - rho, the idle fraction"),
    )
    return Derivation(
        "tb-formula",
        "E[T_B] = (1 - rho) lambda_eff E[T(L)] with L ~ Exp(lambda_eff), lambda_eff = lambda (1 + p_split)/2 (per server, long run)",
        ASSUMPTIONS + ("E[T(L)] finite",),
        tb_eff,
        checks,
        extra=(("in_terms_of_nu", tb),),
    )


def derive_condition() -> Derivation:
    """``dE[T_B]/dp_split < 0  <=>  2 E[T(L)] < E[L T(L)] / E[L]``.

    With ``g(nu) = nu E_nu[T(L)] = nu^2 int T(l) e^{-nu l} dl`` the Leibniz
    rule gives ``g'(nu) = 2 E[T(L)] - E[L T(L)]/E[L]`` and
    ``dE[T_B]/dp = (1 - rho)(lambda/2) g'(lambda_eff)``.  Strict decrease on
    a range of ``p_split`` follows when the condition holds for every
    ``lambda_eff`` of that range (a single value is not enough).

    >>> derive_condition().passed
    True
    """
    g_integrand = sym.nu**2 * T(sym.l) * sp.exp(-sym.nu * sym.l)
    dg_integrand = sp.diff(g_integrand, sym.nu)
    e_t = T(sym.l) * sym.nu * sp.exp(-sym.nu * sym.l)
    e_lt = sym.l * T(sym.l) * sym.nu * sp.exp(-sym.nu * sym.l)
    cond_integrand = 2 * e_t - e_lt / (1 / sym.nu)
    dtb_dp = sp.diff((1 - sym.rho) * sym.lam_eff, sym.lam_eff) * sp.diff(sym.lam * (1 + sym.p_split) / 2, sym.p_split)
    # numerical check with a non-monomial T
    tf = lambda s: s**2 + np.sin(s)  # noqa: E731
    nv = 0.8
    gnum = lambda v: v * integrate.quad(lambda s: tf(s) * v * np.exp(-v * s), 0, np.inf)[0]  # noqa: E731
    h = 1e-4
    fd = (gnum(nv + h) - gnum(nv - h)) / (2 * h)
    et = integrate.quad(lambda s: tf(s) * nv * np.exp(-nv * s), 0, np.inf)[0]
    elt = integrate.quad(lambda s: s * tf(s) * nv * np.exp(-nv * s), 0, np.inf)[0]
    cond_num = 2 * et - elt * nv
    expr = sp.StrictLessThan(2 * sp.Integral(e_t, (sym.l, 0, sp.oo)), sp.Integral(e_lt, (sym.l, 0, sp.oo)) * sym.nu)
    checks = (
        Check("leibniz", is_zero(dg_integrand - cond_integrand), "d/dnu [nu^2 T(l) e^{-nu l}] == 2 T nu e^{-nu l} - l T nu e^{-nu l} / E[L] pointwise"),
        Check("chain-rule", is_zero(dtb_dp - sym.lam / 2 * (1 - sym.rho)), f"d(lambda_eff)/dp * (1 - rho) = {sp.simplify(dtb_dp)} > 0, so the sign of dE[T_B]/dp is the sign of g'"),
        Check("numeric", abs(fd - cond_num) < 1e-5, f"T = l^2 + sin l, nu = 0.8: finite difference g' = {fd:.8f}, 2E[T] - E[LT]/E[L] = {cond_num:.8f}"),
    )
    return Derivation(
        "condition",
        "E[T_B] is strictly decreasing in p_split where g'(lambda_eff) = 2E[T(L)] - E[L T(L)]/E[L] < 0, L ~ Exp(lambda_eff); the paper's condition at every lambda_eff of the range",
        ASSUMPTIONS + ("T measurable with int (1 + l)|T(l)| e^{-nu l} dl < inf near nu (differentiation under the integral)",),
        expr,
        checks,
        extra=(("g_prime_integrand", sp.simplify(dg_integrand)), ("dTB_dp", (1 - sym.rho) * sym.lam / 2 * sp.Symbol("g'(lambda_eff)"))),
    )


def derive_superlinear() -> Derivation:
    """``T(t) = K t^c`` satisfies the condition iff ``c > 1``.

    ``2E[T(L)] - E[L T(L)]/E[L] = K Gamma(c + 1)(1 - c)/nu^c``.  More
    generally the condition holds at every ``nu`` whenever ``T(t)/t`` is
    strictly increasing (write ``g(nu) = E[U T(U/nu)/(U/nu)]``, ``U ~ Exp(1)``);
    growth that is only *eventually* super-linear is not enough (see the
    ``counterexample`` check).

    >>> derive_superlinear().expr
    -K*(c - 1)*gamma(c + 1)/nu**c
    """
    K = sp.Symbol("K", positive=True)
    c = sp.Symbol("c", positive=True)
    et = sp.integrate(K * sym.l**c * sym.nu * sp.exp(-sym.nu * sym.l), (sym.l, 0, sp.oo), conds="none")
    elt = sp.integrate(K * sym.l ** (c + 1) * sym.nu * sp.exp(-sym.nu * sym.l), (sym.l, 0, sp.oo), conds="none")
    gap = sp.simplify(sp.gammasimp(2 * et - elt * sym.nu))
    gap = sp.factor(sp.gammasimp(gap))
    # counterexample: T(t) = sqrt(t) + 0.1 t^2 (eventually super-linear) fails at nu = 1
    ce = 2 * (math.gamma(1.5) + 0.1 * 2) - (math.gamma(2.5) + 0.1 * 6)
    sign_ok = sp.ask(sp.Q.negative(gap), sp.Q.positive(K) & sp.Q.positive(sym.nu) & sp.Q.positive(c - 1)) is True
    checks = (
        Check("gap", is_zero(gap - K * sp.gamma(c + 1) * (1 - c) / sym.nu**c), f"2E[T] - E[LT]/E[L] = {gap}"),
        Check("negative-iff-c>1", bool(sign_ok) and is_zero(gap.subs(c, 1)), "negative for c > 1, zero at c = 1, positive for c < 1"),
        Check("counterexample", ce > 0, f"T(t) = sqrt(t) + 0.1 t^2 grows super-linearly yet at nu = 1: 2E[T] - E[LT]/E[L] = {ce:.4f} > 0 (condition fails)"),
    )
    return Derivation(
        "superlinear",
        "T(t) = K t^c (K > 0) satisfies 2E[T(L)] < E[L T(L)]/E[L] for every nu iff c > 1; sufficient in general: T(t)/t strictly increasing",
        ("L ~ Exp(nu), nu > 0", "K > 0, c > 0"),
        gap,
        checks,
    )


def derive_monomial() -> Derivation:
    """``T(t) = t^k``: ``E[T_B] = (1 - rho) Gamma(k + 1) / lambda_eff^(k - 1)``.

    ``Gamma(k + 1) = k!`` for integer ``k``; decreasing in ``p_split`` iff
    ``k > 1``, constant for ``k = 1``.

    >>> derive_monomial().expr
    -lambda_eff**(1 - k)*(rho - 1)*gamma(k + 1)
    """
    et = sp.integrate(sym.l**sym.k * sym.nu * sp.exp(-sym.nu * sym.l), (sym.l, 0, sp.oo), conds="none")
    tb = sp.simplify((1 - sym.rho) * sym.nu * et).subs(sym.nu, sym.lam_eff)
    tb = sp.powsimp(sp.simplify(tb), force=True)
    target = (1 - sym.rho) * sp.gamma(sym.k + 1) / sym.lam_eff ** (sym.k - 1)
    tb_p = target.subs(sym.lam_eff, sym.lam * (1 + sym.p_split) / 2)
    deriv = sp.simplify(sp.diff(tb_p, sym.p_split))
    ratio = sp.simplify(deriv / ((1 - sym.rho) * sp.gamma(sym.k + 1) * (1 - sym.k) * sym.lam / 2 * (sym.lam * (1 + sym.p_split) / 2) ** (-sym.k)))
    checks = (
        Check("closed-form", is_zero(tb - target), f"(1 - rho) nu E[L^k] = {tb}"),
        Check("factorial", all(sp.gamma(n + 1) == sp.factorial(n) for n in range(6)), "Gamma(k + 1) = k! for k = 0..5"),
        Check("derivative-sign", is_zero(ratio - 1), "dE[T_B]/dp = -(k - 1)(1 - rho) Gamma(k + 1) (lambda/2) lambda_eff^(-k): < 0 iff k > 1, = 0 iff k = 1"),
        Check("k=1-constant", sp.simplify(tb_p.subs(sym.k, 1)) == 1 - sym.rho, "k = 1: E[T_B] = 1 - rho, independent of p_split"),
    )
    return Derivation(
        "monomial",
        "For T(t) = t^k: E[T_B] = (1 - rho) k!/lambda_eff^(k - 1) (Gamma(k + 1) for real k >= 0); strictly decreasing in p_split iff k > 1",
        ASSUMPTIONS + ("T(t) = t^k, k >= 0",),
        tb,
        checks,
        extra=(("in_p_split", tb_p), ("d_dp", deriv)),
    )


def derive_ratio() -> Derivation:
    """Eq. 8: ``R_k = E[T_B](p_q) / E[T_B](p_c) = ((1 + p_c)/(1 + p_q))^(k - 1)``.

    Requires the same ``lambda``, service law (hence ``rho``) and ``T`` for
    both strategies, and A1-A2 for each of them.

    >>> derive_ratio().passed
    True
    """
    tb = derive_monomial().extra[0][1]
    ratio = sp.powsimp(sp.simplify(tb.subs(sym.p_split, sym.p_q) / tb.subs(sym.p_split, sym.p_c)), force=True)
    ratio = sp.powsimp(sp.expand_power_base(ratio, force=True), force=True)  # lambda cancels
    paper = ((1 + sym.p_c) / (1 + sym.p_q)) ** (sym.k - 1)
    vals = {sym.p_c: sp.Rational(7, 10), sym.p_q: sp.Rational(3, 5), sym.k: 3, sym.lam: sp.Rational(1, 2), sym.rho: sp.Rational(1, 2)}
    checks = (
        Check("equals-eq8", is_zero(sp.expand_power_base(ratio, force=True) - sp.expand_power_base(paper, force=True)), f"ratio = {ratio}"),
        Check("exact-point", sp.nsimplify(ratio.subs(vals)) == sp.Rational(17, 16) ** 2, "p_c = 0.7, p_q = 0.6, k = 3: R = (1.7/1.6)^2 exactly"),
    )
    return Derivation(
        "eq8",
        "R_k = E[T_B]_quantum / E[T_B]_classical = ((1 + p_c)/(1 + p_q))^(k - 1) for T(t) = t^k",
        ASSUMPTIONS + ("T(t) = t^k", "same lambda, service law and rho for both strategies"),
        ratio,
        checks,
        extra=(("paper_eq8", paper),),
    )


def lambda_eff(lam: float, p_split: float) -> float:
    """Per-server batch rate ``lambda (1 + p_split)/2`` (formula value).

    >>> round(lambda_eff(0.6, 0.5), 12)
    0.45
    """
    _check_lam_p(lam, p_split)
    return lam * (1.0 + p_split) / 2.0


def throughput_monomial(lam: float, mean_service: float, p_split: float, k: float) -> float:
    """Formula value of ``E[T_B] = (1 - rho) Gamma(k + 1)/lambda_eff^(k - 1)``, ``T(t) = t^k``.

    ``rho = lam * mean_service`` must be < 1.  This is the closed form under
    assumptions A1-A3, an exact model value, not a bound.

    >>> throughput_monomial(0.6, 1.0, 0.2, 1)
    0.4
    >>> throughput_monomial(1.2, 1.0, 0.2, 1)
    Traceback (most recent call last):
    ...
    analytic.errors.AnalyticParameterError: `rho` = lam * E[X] must lie in [0, 1); got 1.2
    """
    _check_lam_p(lam, p_split)
    if not (isinstance(mean_service, (int, float)) and math.isfinite(mean_service) and mean_service > 0):
        raise AnalyticParameterError(f"`mean_service` must be a positive finite number; got {mean_service!r}")
    if not (isinstance(k, (int, float)) and math.isfinite(k) and k >= 0):
        raise AnalyticParameterError(f"`k` must be a finite number >= 0; got {k!r}")
    r = lam * mean_service
    if not r < 1:
        raise AnalyticParameterError(f"`rho` = lam * E[X] must lie in [0, 1); got {r:g}")
    le = lam * (1.0 + p_split) / 2.0
    return float((1.0 - r) * math.gamma(k + 1.0) / le ** (k - 1.0))


def _check_lam_p(lam: float, p: float) -> None:
    if isinstance(lam, bool) or not isinstance(lam, (int, float, np.floating)) or not math.isfinite(lam) or lam <= 0:
        raise AnalyticParameterError(f"`lam` must be a positive finite rate; got {lam!r}")
    if isinstance(p, bool) or not isinstance(p, (int, float, np.floating)) or not (0.0 <= p <= 1.0):
        raise AnalyticParameterError(f"`p_split` must lie in [0, 1]; got {p!r}")
