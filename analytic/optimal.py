"""Theorem 4.1 examined: the ``W_q``-minimising rule at a fixed ``p_split``.

From :func:`analytic.waiting.derive_waiting_time`, ``W_q`` is *affine* in the
rule: ``W_q = W_0 + E[beta(X1, X2) c(X1, X2)]`` with the per-pair cost

``c(x1, x2) = kappa x1 x2 + first(x1, x2) / 2``,  ``kappa = lambda / (2 (1 - rho))``.

Minimising ``E[beta c]`` subject to ``E[beta] = 1 - p_split`` and
``0 <= beta <= 1`` is a bathtub problem: the optimum bunches exactly the pairs
with the smallest cost, ``beta* = 1{c(X1, X2) <= tau}``.  The paper's sum
threshold ``X1 + X2 <= t`` is of this form only if ``c`` is a function of
``x1 + x2``, i.e. only when ``kappa = 0`` (``lambda -> 0``) *and* the order
inside a bunched pair is random.  Since ``E[T_B]`` depends on the rule only
through ``p_split`` (for a fixed ``T``, ``rho``), the rule that maximises
``E[T_B]`` subject to ``W_q <= W_l`` is this cost-threshold rule, not the sum
threshold.

>>> from analytic.laws.service import ServiceLaw
>>> r = optimal_fixed_p_rule(0.6, ServiceLaw.exponential(1.0), 0.5)
>>> round(r.moments(ServiceLaw.exponential(1.0)).p_split, 9)
0.5
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np
import sympy as sp
from scipy import optimize, special

from analytic import symbols as sym
from analytic.derivation import Check, Derivation, is_zero
from analytic.errors import AnalyticParameterError
from analytic.laws.service import ServiceLaw
from analytic.rules import CostThresholdRule, SumThresholdRule
from analytic.waiting import ORDERS, derive_waiting_time, waiting_time
from proofs.exact.errors import QcoordTypeError

__all__ = [
    "ExcessPoint",
    "derive_optimal_rule",
    "excess_grid",
    "optimal_fixed_p_rule",
    "order_weights",
    "qos_comparison",
    "threshold_excess",
    "threshold_for_p_split",
]


def order_weights(order: str) -> tuple[float, float]:
    """``(w_min, w_max)`` with ``first/2 = w_min min + w_max max`` on average.

    >>> order_weights("random")
    (0.25, 0.25)
    """
    table = {"random": (0.25, 0.25), "shorter_first": (0.5, 0.0), "longer_first": (0.0, 0.5)}
    if order not in table:
        raise AnalyticParameterError(f"`order` must be one of {ORDERS}; got {order!r}")
    return table[order]


def derive_optimal_rule() -> Derivation:
    """Symbolic part of Theorem 4.1: the cost ``c`` and when its level sets are sums.

    >>> derive_optimal_rule().expr
    kappa*x_1*x_2 + x_1/4 + x_2/4
    """
    wq = derive_waiting_time()
    per_beta = dict(wq.extra)["queue_cost_per_unit_beta"]  # lambda x1 x2 / (2 (1 - rho))
    first_random = (sym.x1 + sym.x2) / 2
    c = sp.expand(sp.cancel(per_beta.subs(sym.lam, 2 * sym.kappa * (1 - sym.rho))) + first_random / 2)
    asym = sp.factor(sp.diff(c, sym.x1) - sp.diff(c, sym.x2))
    c_short = sp.expand(sp.cancel(per_beta.subs(sym.lam, 2 * sym.kappa * (1 - sym.rho)))) + sp.Min(sym.x1, sym.x2) / 2
    checks = (
        Check("cost", is_zero(c - (sym.kappa * sym.x1 * sym.x2 + (sym.x1 + sym.x2) / 4)), f"c = d W_q-integrand / d beta = {c}"),
        Check("level-sets", is_zero(asym - sym.kappa * (sym.x2 - sym.x1)), f"dc/dx1 - dc/dx2 = {asym}: level sets are lines x1 + x2 = const iff kappa = 0 (lambda = 0)"),
        Check("kappa0-is-sum", is_zero(c.subs(sym.kappa, 0) - (sym.x1 + sym.x2) / 4), "lambda -> 0, random order: c = (x1 + x2)/4, the sum threshold is optimal"),
        Check("shorter-first-never", c_short.subs(sym.kappa, 0) != (sym.x1 + sym.x2) / 4, "shorter-first order: c -> min(x1, x2)/2 as lambda -> 0, never a function of the sum"),
    )
    return Derivation(
        "thm4.1",
        "At fixed p_split, W_q is minimised by bunching iff kappa X1 X2 + first(X1, X2)/2 <= tau (kappa = lambda/(2(1 - rho))), not by X1 + X2 <= t; the sum threshold is optimal only as lambda -> 0 with random order",
        wq.assumptions + ("E[T_B] depends on the rule only through p_split (A1-A2), so the QoS-constrained optimum is the W_q-optimal rule at the smallest feasible p_split",),
        c,
        checks,
        extra=(("cost_shorter_first", c_short), ("asymmetry", asym)),
        numbers={
            "note": "mu = 1 (exponential), lambda = rho; relative_excess = W_q(sum threshold)/W_q(optimum) - 1 at equal p_split",
            "random": [e.to_dict() for e in excess_grid(order="random")],
            "shorter_first": [e.to_dict() for e in excess_grid(order="shorter_first")],
            "qos_T=t^2": [qos_comparison(r, 0.5, 2) for r in (0.3, 0.6, 0.9)],
        },
    )


def _check_law(law: object) -> ServiceLaw:
    if not isinstance(law, ServiceLaw):
        text = repr(law) if len(repr(law)) <= 60 else repr(law)[:60] + "..."
        raise QcoordTypeError(f"`law` must be an analytic.ServiceLaw (e.g. ServiceLaw.named('exponential')); got {text} of type {type(law).__name__}")
    return law


def _check_rho(rho: object) -> float:
    if isinstance(rho, bool) or not isinstance(rho, (int, float, np.floating)):
        raise QcoordTypeError(f"`rho` must be a real number in (0, 1); got {rho!r} of type {type(rho).__name__}")
    if not (0.0 < rho < 1.0):
        raise AnalyticParameterError(f"`rho` must lie in (0, 1) (a stable queue); got {rho!r}")
    return float(rho)


#: most points :func:`excess_grid` evaluates per axis (each is two root finds)
GRID_MAX = 10_000


def _check_axis(name: str, values: object) -> list[float]:
    if isinstance(values, (str, bytes)) or not hasattr(values, "__len__") or not hasattr(values, "__iter__"):
        raise QcoordTypeError(f"`{name}` must be a sequence of real numbers; got {values!r} of type {type(values).__name__}")
    if len(values) > GRID_MAX:
        raise AnalyticParameterError(f"`{name}` must hold at most {GRID_MAX} values; got {len(values)}")
    return list(values)


def _check_p(p: float) -> float:
    if isinstance(p, bool) or not isinstance(p, (int, float, np.floating)) or not (0.0 <= p <= 1.0):
        raise AnalyticParameterError(f"`p_split` must lie in [0, 1]; got {p!r}")
    return float(p)


def threshold_for_p_split(law: ServiceLaw, p_split: float) -> float:
    """The ``t`` with ``P(X1 + X2 > t) = p_split`` (``inf`` for ``p_split = 0``).

    Exponential law: ``(1 + mu t) e^{-mu t} = p``, i.e.
    ``t = -(1 + W_{-1}(-p/e))/mu`` (Lambert W).

    >>> round(threshold_for_p_split(ServiceLaw.exponential(1.0), 2 / math.e), 12)
    1.0
    """
    _check_law(law)
    p = _check_p(p_split)
    if p == 0.0:
        return math.inf
    if p == 1.0:
        return 0.0
    if law.is_exponential:
        return float(-(1.0 + special.lambertw(-p / math.e, -1).real) / law.mu)
    f = lambda tt: 1.0 - SumThresholdRule(tt).moments(law).p_bunch - p  # noqa: E731
    hi = law.mean
    while f(hi) > 0:
        hi *= 2.0
    return float(optimize.brentq(f, 0.0, hi, xtol=1e-13))


def optimal_fixed_p_rule(lam: float, law: ServiceLaw, p_split: float, order: str = "random") -> CostThresholdRule:
    """The rule minimising ``W_q`` among all rules with this ``p_split`` (bathtub optimum).

    >>> r = optimal_fixed_p_rule(0.3, ServiceLaw.exponential(1.0), 0.4, "shorter_first")
    >>> (round(r.kappa, 12), r.w_min, r.w_max)
    (0.214285714286, 0.5, 0.0)
    """
    _check_law(law)
    p = _check_p(p_split)
    if isinstance(lam, bool) or not isinstance(lam, (int, float, np.floating)):
        raise QcoordTypeError(f"`lam` must be a positive real number; got {lam!r} of type {type(lam).__name__}")
    r = lam * law.mean
    if not (isinstance(lam, (int, float)) and lam > 0 and r < 1):
        raise AnalyticParameterError(f"`lam` must be > 0 with rho = lam * E[X] in [0, 1); got lam = {lam!r}, rho = {r:g}")
    kap = lam / (2.0 * (1.0 - r))
    wmin, wmax = order_weights(order)
    if p == 0.0:
        return CostThresholdRule(kap, wmin, wmax, math.inf)
    target = 1.0 - p
    f = lambda tau: CostThresholdRule(kap, wmin, wmax, tau).moments(law).p_bunch - target  # noqa: E731
    if p == 1.0:
        return CostThresholdRule(kap, wmin, wmax, 0.0)
    hi = law.mean
    while f(hi) < 0:
        hi *= 2.0
    tau = optimize.brentq(f, 0.0, hi, xtol=1e-14, rtol=1e-13)
    return CostThresholdRule(kap, wmin, wmax, float(tau))


@dataclass(frozen=True)
class ExcessPoint:
    """Waiting time of the sum threshold vs the optimal rule at one ``(rho, p_split)``."""

    rho: float
    p_split: float
    order: str
    wq_sum_threshold: float
    wq_optimal: float
    excess: float
    relative_excess: float
    t: float
    tau: float

    def to_dict(self) -> dict:
        return asdict(self)


def threshold_excess(rho: float, p_split: float, order: str = "random", law: ServiceLaw | None = None) -> ExcessPoint:
    """``W_q`` excess of the sum threshold over the optimum at equal ``p_split``.

    ``lambda = rho / E[X]``; default law exponential with ``mu = 1``.

    >>> e = threshold_excess(0.6, 0.5)
    >>> e.excess > 0
    True
    """
    law = ServiceLaw.exponential(1.0) if law is None else _check_law(law)
    rho = _check_rho(rho)
    _check_p(p_split)
    order_weights(order)
    lam = rho / law.mean
    tt = threshold_for_p_split(law, p_split)
    opt = optimal_fixed_p_rule(lam, law, p_split, order)
    w_sum = waiting_time(SumThresholdRule(tt) if math.isfinite(tt) else _always(law), law, lam, order)
    w_opt = waiting_time(opt, law, lam, order)
    return ExcessPoint(rho, p_split, order, w_sum, w_opt, w_sum - w_opt, (w_sum - w_opt) / w_opt, tt, opt.tau)


def _always(law: ServiceLaw):  # noqa: ANN202
    from analytic.rules import RandomRule

    return RandomRule(0.0)


def excess_grid(rhos=(0.1, 0.3, 0.5, 0.7, 0.9), p_splits=(0.1, 0.3, 0.5, 0.7, 0.9), order: str = "random") -> list[ExcessPoint]:  # noqa: ANN001
    """:func:`threshold_excess` on a grid (exponential law, ``mu = 1``)."""
    rs, ps = _check_axis("rhos", rhos), _check_axis("p_splits", p_splits)
    for r in rs:
        _check_rho_in("rhos", r)
    for p in ps:
        try:
            _check_p(p)
        except AnalyticParameterError:
            raise AnalyticParameterError(f"every `p_splits` must lie in [0, 1]; got {p!r}") from None
    order_weights(order)
    return [threshold_excess(r, p, order) for r in rs for p in ps]


def _check_rho_in(name: str, rho: object) -> None:
    try:
        _check_rho(rho)
    except (AnalyticParameterError, QcoordTypeError):
        raise AnalyticParameterError(f"every `{name}` must be a load in (0, 1); got {rho!r}") from None


def qos_comparison(rho: float, p_split: float, k: float, order: str = "random") -> dict:
    """The paper's objective: at ``W_l = W_q(sum threshold at p_split)``, how low can the
    optimal rule push ``p_split``, and what does that gain in ``E[T_B]`` for ``T = t^k``?

    >>> d = qos_comparison(0.6, 0.5, 2)
    >>> d["p_split_optimal"] < 0.5 and d["throughput_ratio"] > 1
    True
    """
    rho = _check_rho(rho)
    p_split = _check_p(p_split)
    if isinstance(k, bool) or not isinstance(k, (int, float, np.floating)):
        raise QcoordTypeError(f"`k` must be a real number in [0, 50]; got {k!r} of type {type(k).__name__}")
    if not (math.isfinite(k) and 0.0 <= k <= 50.0):
        raise AnalyticParameterError(f"`k` must be a finite number in [0, 50] (T(t) = t^k; Gamma(k + 1) stays finite); got {k!r}")
    order_weights(order)
    law = ServiceLaw.exponential(1.0)
    lam = rho / law.mean
    w_l = threshold_excess(rho, p_split, order).wq_sum_threshold
    g = lambda p: waiting_time(optimal_fixed_p_rule(lam, law, p, order), law, lam, order) - w_l  # noqa: E731
    lo = 0.0
    if g(lo) <= 0:
        p_opt = 0.0
    else:
        p_opt = float(optimize.brentq(g, lo, p_split, xtol=1e-10))
    ratio = ((1 + p_split) / (1 + p_opt)) ** (k - 1)
    return {"rho": rho, "k": k, "order": order, "W_l": w_l, "p_split_sum_threshold": p_split, "p_split_optimal": p_opt, "throughput_ratio": ratio}
