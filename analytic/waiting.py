"""Mean waiting time ``W_q`` for any routing rule ``beta(X1, X2)``.

Each server is an M^X/G/1 FIFO queue fed by the pair stream (assumptions A1,
A2 of :mod:`analytic.throughput`, ``rho = lambda E[X] < 1``).  Per pair,
server 1 receives the work ``S``:

* ``X1 + X2`` with probability ``beta/2`` (pair bunched onto server 1),
* ``X1`` or ``X2`` with probability ``(1 - beta)/2`` each (split),
* nothing otherwise.

By PASTA and Pollaczek-Khinchine, an arriving pair finds mean workload
``E[V] = lambda E[S^2] / (2 (1 - rho))`` at the server it is sent to (routing
ignores the workload, so it is the time-average ``E[V]``).  The second
customer of a bunched pair also waits for the first.  Per customer

``W_q = lambda (E[X^2] + E[beta X1 X2]) / (2 (1 - rho)) + E[beta * first] / 2``

where ``first`` is the service time of the customer served first in a bunched
pair: ``(X1 + X2)/2`` on average for random order, ``min`` for
shorter-first, ``max`` for longer-first.

>>> from analytic.laws.service import ServiceLaw
>>> from analytic.rules import RandomRule
>>> round(waiting_time(RandomRule(1.0), ServiceLaw.exponential(1.0), 0.6), 12)   # M/M/1: rho/(mu(1-rho))
1.5
"""

from __future__ import annotations

import math

import sympy as sp

from analytic import symbols as sym
from analytic.derivation import Check, Derivation, is_zero
from analytic.errors import AnalyticParameterError
from analytic.laws.service import ServiceLaw
from analytic.rules import RuleMoments

__all__ = ["ORDERS", "derive_waiting_time", "first_served_mean", "waiting_time"]

#: order of service inside a bunched pair
ORDERS = ("random", "shorter_first", "longer_first")

B12 = sp.Symbol(r"\mathbb{E}[\beta X_1 X_2]", real=True)  #: E[beta X1 X2]
BFIRST = sp.Symbol(r"\mathbb{E}[\beta\,\mathrm{first}]", real=True)  #: E[beta * first]

ASSUMPTIONS = (
    "A1: routing depends only on the pair's (X1, X2) and fresh per-pair randomness, not on queue state",
    "A2: bunched pairs go to a fair-coin server; in a split each customer's server is a fair coin independent of (X1, X2)",
    "A3: rho = lambda E[X] < 1, E[X^2] < inf; FIFO between pairs; the order inside a bunched pair is a parameter",
    "Poisson pair arrivals of rate lambda, i.i.d. service times with a general law; W_q is the per-customer mean wait before service",
)


def _batch_moments() -> tuple[sp.Expr, sp.Expr]:
    """``E[S | x1, x2, beta]`` and ``E[S^2 | x1, x2, beta]`` for server 1."""
    outcomes = ((sym.beta / 2, sym.x1 + sym.x2), ((1 - sym.beta) / 2, sym.x1), ((1 - sym.beta) / 2, sym.x2), (sp.Rational(0), sp.Integer(0)))
    es = sp.expand(sum(pr * s for pr, s in outcomes))
    es2 = sp.expand(sum(pr * s**2 for pr, s in outcomes))
    return es, es2


def _expect(poly: sp.Expr) -> sp.Expr:
    """Expectation over ``(X1, X2)`` by linearity, monomial by monomial."""
    table = {(2, 0, 0): sym.m2, (0, 2, 0): sym.m2, (1, 0, 0): sym.m1, (0, 1, 0): sym.m1, (1, 1, 1): B12}
    out = sp.Integer(0)
    for monom, coeff in sp.Poly(poly, sym.x1, sym.x2, sym.beta).terms():
        if monom not in table:
            raise RuntimeError(f"unexpected monomial {monom} in {poly}")  # pragma: no cover
        out += coeff * table[monom]
    return out


def derive_waiting_time() -> Derivation:
    """Derive ``W_q`` for a general rule, and check its reductions.

    Checks: ``beta = 0`` gives Pollaczek-Khinchine M/G/1 and, for exponential
    service, M/M/1 ``rho/(mu (1 - rho))``; a constant ``beta`` gives the
    textbook M^X/G/1 formula with the batch-size law of the routing.

    >>> d = derive_waiting_time()
    >>> d.passed
    True
    """
    es, es2 = _batch_moments()
    e_s = _expect(es)
    e_s2 = _expect(es2)
    wq = sym.lam * e_s2 / (2 * (1 - sym.rho)) + BFIRST / 2
    rho_def = sp.simplify(sym.lam * e_s)
    # reductions
    mg1 = sym.lam * sym.m2 / (2 * (1 - sym.lam * sym.m1))
    split_only = wq.subs({B12: 0, BFIRST: 0, sym.rho: sym.lam * sym.m1})
    mm1 = sp.simplify(split_only.subs({sym.m1: 1 / sym.mu, sym.m2: 2 / sym.mu**2}))
    bconst = 1 - sym.p_split  # routing ignores service times: beta = 1 - p_split
    wq_const = wq.subs({B12: bconst * sym.m1**2, BFIRST: bconst * sym.m1, sym.rho: sym.lam * sym.m1})  # random order: E[beta first] = b E[X]
    # textbook M^X/G/1 (random order in batch): batches at rate lam_b, size B, W_q =
    #   lam_b (E[B] E[X^2] + E[B(B-1)] E[X]^2) / (2 (1 - rho)) + E[B(B-1)] E[X] / (2 E[B])
    lam_b = sym.lam * (sym.p_split + (1 - sym.p_split) / 2)
    pb2 = ((1 - sym.p_split) / 2) / (sym.p_split + (1 - sym.p_split) / 2)
    eb = 1 + pb2
    ebb1 = 2 * pb2
    mxg1 = lam_b * (eb * sym.m2 + ebb1 * sym.m1**2) / (2 * (1 - sym.lam * sym.m1)) + ebb1 * sym.m1 / (2 * eb)
    checks = (
        Check("utilisation", is_zero(rho_def - sym.lam * sym.m1), f"rho = lambda E[S] = {rho_def} for every beta"),
        Check("E[S^2]", is_zero(es2 - ((sym.x1**2 + sym.x2**2) / 2 + sym.beta * sym.x1 * sym.x2)), f"E[S^2 | x, beta] = {sp.factor_terms(es2)}"),
        Check("always-split=M/G/1", is_zero(split_only - mg1), "beta = 0: W_q = lambda E[X^2] / (2 (1 - rho)) (Pollaczek-Khinchine)"),
        Check("always-split=M/M/1", is_zero(mm1 - (sym.lam / sym.mu) / (sym.mu * (1 - sym.lam / sym.mu))), f"exponential: {mm1} = rho / (mu (1 - rho))"),
        Check("constant-beta=M^X/G/1", is_zero(wq_const - mxg1), "beta = 1 - p_split constant: equals the M^X/G/1 batch formula with P(B = 2) = (1 - p)/(1 + p)"),
    )
    c = sp.diff(sym.lam * es2 / (2 * (1 - sym.rho)), sym.beta)
    return Derivation(
        "wq-general",
        "W_q = lambda (E[X^2] + E[beta X1 X2]) / (2 (1 - rho)) + E[beta * first] / 2 for any rule beta(X1, X2); first = (X1+X2)/2 (random order), min (shorter first), max (longer first)",
        ASSUMPTIONS,
        wq,
        checks,
        extra=(("E_S_given_x", es), ("E_S2_given_x", es2), ("queue_cost_per_unit_beta", c), ("mxg1_reference", mxg1)),
    )


def first_served_mean(m: RuleMoments, order: str) -> float:
    """``E[beta * first]`` for the given order inside a bunched pair.

    >>> first_served_mean(RuleMoments(1.0, 1.0, 2.0, 0.5), "shorter_first")
    0.5
    """
    if order == "random":
        return m.e_sum / 2.0
    if order == "shorter_first":
        return m.e_min
    if order == "longer_first":
        return m.e_sum - m.e_min
    raise AnalyticParameterError(f"`order` must be one of {ORDERS}; got {order!r}")


def waiting_time(rule, law: ServiceLaw, lam: float, order: str = "random") -> float:  # noqa: ANN001
    """Formula value of ``W_q`` (per customer) for ``rule`` under ``law`` at pair rate ``lam``.

    ``rule`` is any object with ``.moments(law)`` (see :mod:`analytic.rules`)
    or a :class:`RuleMoments`.  This is the exact model value under A1-A3,
    not a bound.

    >>> from analytic.rules import RandomRule
    >>> waiting_time(RandomRule(0.5), ServiceLaw.exponential(1.0), 1.0)
    Traceback (most recent call last):
    ...
    analytic.errors.AnalyticParameterError: `rho` = lam * E[X] must lie in [0, 1); got 1
    """
    if not isinstance(law, ServiceLaw):
        raise AnalyticParameterError(f"`law` must be an analytic.ServiceLaw; got {type(law).__name__}")
    if isinstance(lam, bool) or not isinstance(lam, (int, float)) or not math.isfinite(lam) or lam <= 0:
        raise AnalyticParameterError(f"`lam` must be a positive finite rate; got {lam!r}")
    r = lam * law.mean
    if not r < 1:
        raise AnalyticParameterError(f"`rho` = lam * E[X] must lie in [0, 1); got {r:g}")
    if not isinstance(rule, RuleMoments) and not callable(getattr(rule, "moments", None)):
        from proofs.exact.errors import QcoordTypeError

        raise QcoordTypeError(f"`rule` must be an analytic rule (with .moments(law)) or a RuleMoments; got {type(rule).__name__}")
    if order not in ORDERS:
        raise AnalyticParameterError(f"`order` must be one of {ORDERS}; got {order!r}")
    m = rule if isinstance(rule, RuleMoments) else rule.moments(law)
    return lam * (law.second_moment + m.e_x1x2) / (2.0 * (1.0 - r)) + first_served_mean(m, order) / 2.0
