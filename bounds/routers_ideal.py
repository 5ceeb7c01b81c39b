"""The ideal class of K routers (``K = 2, 3``, exponential law): the threshold ``tau`` and the certificates to check.

Ideal routers see every service time of a tuple (lemma R4): all customers on
one server iff ``Delta(x) <= tau``, the cheapest split otherwise.  With
Renyi's representation of exponential order statistics the last spacing
integrates in closed form (lemma R8), so ``P(Delta <= tau)`` and
``E[Delta; Delta <= tau]`` are one (``K = 2``) or two (``K = 3``) nested
integrals; here they are computed in floating point (scipy ``quad``) to find
the ``tau`` that meets ``W_limit`` -- an **estimate** that only chooses what to
certify.  :func:`ideal_certificates` writes the two ``routers-ideal``
certificates (the rule at a ``tau`` just below, the dual at ``tau``) with
claims set a relative ``margin`` inside the estimate; the checker
:mod:`proofs.checkers.routers_ideal` encloses everything itself.

>>> from games.routers import RouterModel
>>> e = ideal_estimate(RouterModel.at_load(2, 0.6), 2.0)
>>> round(e.p_split, 6), e.kind
(0.2161, 'estimate')
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from bounds.errors import BoundsParameterError, BoundsTypeError, check_real
from games.routers import RouterModel

__all__ = ["IdealEstimate", "ideal_certificates", "ideal_estimate", "ideal_integrals_float", "ideal_split_cost"]


@dataclass(frozen=True)
class IdealEstimate:
    """Float estimate of the ideal optimum: threshold ``tau``, ``p_split`` and ``W_q`` of the rule (``kind = "estimate"``)."""

    K: int
    W_limit: float
    tau: float
    p_split: float
    W_q: float
    W_min: float
    kind: str = "estimate"


def _require(model: Any) -> RouterModel:
    if not isinstance(model, RouterModel):
        raise BoundsTypeError(f"`model` must be a games.routers.RouterModel; got {type(model).__name__}")
    if model.K not in (2, 3) or not model.law.is_exponential:
        raise BoundsParameterError(f"the certified ideal class needs K in (2, 3) and the exponential law; got K = {model.K}, law {model.law}")
    return model


def ideal_split_cost(model: RouterModel) -> float:
    """``E[s]``: mean cost of the cheapest split (``0`` for K = 2; ``7 kappa/(18 mu^2) + 7/(36 mu)`` for K = 3)."""
    model = _require(model)
    mu = 1.0 / model.law.mean
    return 0.0 if model.K == 2 else 7 * model.kappa / (18 * mu * mu) + 7 / (36 * mu)


def _root(A2: float, A1: float, rhs: float) -> float:
    return 2 * rhs / (A1 + math.sqrt(A1 * A1 + 4 * A2 * rhs)) if rhs > 0 else 0.0


def ideal_integrals_float(model: RouterModel, tau: float) -> tuple[float, float]:
    """``(P(Delta <= tau), E[Delta; Delta <= tau])`` by nested scipy quadrature (estimate)."""
    from scipy import integrate

    model = _require(model)
    mu, kap, K = 1.0 / model.law.mean, model.kappa, model.K

    def pieces(al: float, be: float) -> tuple[float, float]:
        z = (tau - al) / be
        e = math.exp(-mu * z)
        return 1 - e, al * (1 - e) + be * (1 / mu - (z + 1 / mu) * e)

    if K == 2:
        astar = _root(kap / 4, 0.25, tau)

        def f2(a: float, which: int) -> float:
            x1 = a / 2
            return mu * math.exp(-mu * a) * pieces(kap * x1 * x1 + x1 / 2, kap * x1 + 0.25)[which]
        return tuple(integrate.quad(f2, 0, astar, args=(w,), epsabs=1e-14, epsrel=1e-12, limit=200)[0] for w in (0, 1))
    astar = _root(2 * kap / 9, 2 / 9, tau)

    def f3(a: float, which: int) -> float:
        bstar = _root(kap / 4, kap * a / 2 + 0.25, tau - (2 * kap * a * a / 9 + 2 * a / 9))

        def g(b: float) -> float:
            x1 = a / 3
            x2 = x1 + b / 2
            return mu * math.exp(-mu * b) * pieces(kap * x2 * (x1 + x2) + (x1 + 3 * x2) / 6, kap * (x1 + x2) + 1 / 3)[which]
        return mu * math.exp(-mu * a) * integrate.quad(g, 0, bstar, epsabs=1e-14, epsrel=1e-12, limit=200)[0]
    return tuple(integrate.quad(f3, 0, astar, args=(w,), epsabs=1e-13, epsrel=1e-11, limit=200)[0] for w in (0, 1))


def ideal_estimate(model: RouterModel, W_limit: float) -> IdealEstimate:
    """The ideal optimum at ``W_q <= W_limit``: the ``tau`` with ``W_min + E[Delta; Delta <= tau] = W_limit`` (estimate)."""
    from scipy.optimize import brentq

    model = _require(model)
    W_limit = check_real("W_limit", W_limit, low=0)
    wmin = model.W_split + ideal_split_cost(model)
    if W_limit <= wmin:
        raise BoundsParameterError(f"`W_limit` = {W_limit:g} must exceed the smallest waiting time W_min = {wmin:.10g} of any routing (K = {model.K})")
    budget = W_limit - wmin
    if wmin + ideal_integrals_float(model, 1e3)[1] <= W_limit:
        raise BoundsParameterError(f"`W_limit` = {W_limit:g} is at least W_bunch = {model.W_bunch:.10g}: every tuple on one server, p_split = 0")
    hi = 1.0
    while ideal_integrals_float(model, hi)[1] < budget:
        hi *= 2
    tau = brentq(lambda t: ideal_integrals_float(model, t)[1] - budget, 0.0, hi, xtol=1e-13, rtol=1e-13)
    p, c = ideal_integrals_float(model, tau)
    return IdealEstimate(model.K, W_limit, tau, 1 - p, wmin + c, wmin)


def _frac(x: float, den: int = 10**9) -> Fraction:
    return Fraction(x).limit_denominator(den)


def ideal_certificates(model: RouterModel, W_limit: Fraction | float, *, margin: float = 1e-8) -> dict[str, dict[str, Any]]:
    """``{"upper": rule certificate, "lower": dual certificate}`` of kind ``routers-ideal`` (to be checked; lemma R8).

    The rule uses ``tau (1 - margin)`` (so its ``W_q`` stays below the limit),
    the dual ``tau``; claims are the estimates moved by ``margin`` outward.
    ``W_limit`` and the model's ``lam``, ``mu`` are written as exact rationals.
    """
    from proofs.exact.rational import exact_parameter

    model = _require(model)
    wl = exact_parameter(W_limit if isinstance(W_limit, Fraction) else check_real("W_limit", W_limit, low=0), "W_limit")
    est = ideal_estimate(model, float(wl))
    game = {"type": "routers", "K": str(model.K), "law": "exponential", "lam": _s(exact_parameter(model.lam, "lam")),
            "mu": _s(exact_parameter(1.0 / model.law.mean, "mu")), "W_limit": _s(wl)}
    t_rule = _frac(est.tau * (1 - margin))
    t_dual = _frac(est.tau)
    p_rule = 1 - ideal_integrals_float(model, float(t_rule))[0]
    p_lo = est.p_split
    base = {"schema": 2, "kind": "routers-ideal", "game": game, "N": None, "model": "ideal"}
    return {"upper": {**base, "side": "upper", "bound": _s(_frac(p_rule + margin, 10**12)), "tau": _s(t_rule)},
            "lower": {**base, "side": "lower", "bound": _s(_frac(max(p_lo - margin, 0.0), 10**12)), "tau": _s(t_dual)}}


def _s(q: Fraction) -> str:
    return f"{q.numerator}/{q.denominator}"
