"""Checker of the ideal class of K routers (kind ``"routers-ideal"``, lemma R8): a certified bracket on ``p_ideal``.

Ideal routers see the whole tuple ``x`` (lemma R4): the optimum at ``W_q <=
W_limit`` puts every customer on one server iff ``Delta(x) <= tau`` and takes
the cheapest split otherwise.  For the exponential law of rate ``mu`` and
``K = 2, 3`` the order statistics have Renyi's representation (``a, b, c``
i.i.d. ``Exp(mu)``): ``K = 2``: ``x(1) = a/2``, ``x(2) = x(1) + b``;
``K = 3``: ``x(1) = a/3``, ``x(2) = x(1) + b/2``, ``x(3) = x(2) + c``.  Then
``Delta = alpha + beta z`` with ``z`` the last spacing (``b``, resp. ``c``)
and ``alpha``, ``beta >= 1/K`` polynomials in the others, so the last
integral is closed: with ``z* = (tau - alpha)/beta``,

``P(Delta <= tau) = E[P]``, ``P = 1 - exp(-mu z*)``;
``E[Delta; Delta <= tau] = E[alpha P + beta M]``, ``M = 1/mu - (z* + 1/mu) exp(-mu z*)``,

the outer expectations over ``{alpha <= tau}`` (``a <= a*``, and for
``K = 3`` ``b <= b*(a)``, roots of quadratics with positive coefficients).
After ``a = a* s``, ``b = b*(a) t`` the integrands are analytic on
``[0, 1]``; they are integrated by python-flint's rigorous ``acb.integral``
(nested for ``K = 3``; the square root carries the analytic flag, every
other operation is meromorphic, and the inner integral of a parameter ball
encloses the integral for every parameter in it).  Both expectations come
from one quadrature: the integrand is ``f_P + i f_M`` with ``f_P``, ``f_M``
the two (holomorphic) integrands, real on ``[0, 1]``, so the integral over
``[0, 1]`` is ``E[P] + i E[alpha P + beta M]`` and its enclosure's real and
imaginary parts enclose the two (at ``K = 3`` the inner integral is
``I_P(a) + i I_M(a)``, holomorphic in ``a``, and the outer integrand its
multiple by the real-on-[0, 1] factor ``a* mu exp(-mu a) b*(a)``).  The cheapest split costs
``E[s] = 0`` (``K = 2``) and ``E[c(x(1), x(2))] = 7 kappa/(18 mu^2) + 7/(36 mu)``
(``K = 3``), exact rationals.

Certificate: ``{"kind": "routers-ideal", "game": <routers game>, "N": null,
"model": "ideal", "side": "upper" | "lower", "bound", "tau": "p/q"}``.

* ``side = "upper"``: the rule ``Delta <= tau`` is an ideal routing; the
  checker proves ``W_q = W_0 + E[s] + E[Delta; Delta <= tau] <= W_limit``
  (upper end) and ``p_split <= 1 - P(Delta <= tau)`` (lower end of ``P``).
* ``side = "lower"``: weak duality with ``nu = 1/tau`` (pointwise
  maximisation is exact for the ideal class): every ideal routing with
  ``W_q <= W_limit`` has
  ``p_split >= 1 - nu (W_limit - W_0 - E[s]) - nu E[(tau - Delta)^+]``,
  ``E[(tau - Delta)^+] = tau E[P] - E[alpha P + beta M]`` (upper end).

No solver output is trusted; the certificate carries only ``tau``.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from proofs.checkers.bound import Bound, Target, _issue
from proofs.exact.certificate import check_kind
from proofs.exact.errors import CertificateError, CertificateFormatError
from proofs.exact.laws import working_precision
from proofs.exact.rational import arb_fraction, parse_fraction
from proofs.exact.routers_game import RoutersPoint, lower_rational, read_point, upper_rational

__all__ = ["IDEAL_KS", "IdealIntegrals", "check_routers_ideal", "ideal_integrals", "split_cost"]

#: router counts with a certified ideal class
IDEAL_KS = (2, 3)
#: arb precision (bits) of the quadrature
_PREC = 96
#: most evaluations of one inner integral (a wide parameter ball stops early with a wide, still valid, enclosure)
_INNER_EVALS = 2000


class IdealIntegrals:
    """Enclosures (arb balls) of ``E[P] = P(Delta <= tau)`` and ``E[alpha P + beta M] = E[Delta; Delta <= tau]``."""

    def __init__(self, prob: Any, cost: Any) -> None:
        self.prob = prob
        self.cost = cost


def split_cost(point: RoutersPoint) -> Fraction:
    """``E[s]``: the mean cost of the cheapest split (``0`` for ``K = 2``; the pair of the two smallest for ``K = 3``).

    >>> pt = read_point({"type": "routers", "K": "3", "law": "exponential", "lam": "2/5", "mu": "1", "W_limit": "5/2"})
    >>> split_cost(pt)                 # 7 (1/2)/18 + 7/36
    Fraction(7, 18)
    """
    if point.K == 2:
        return Fraction(0)
    assert point.mu is not None
    return 7 * point.kappa / (18 * point.mu**2) + Fraction(7, 36) / point.mu


def _quadratic_root(A2: Any, A1: Any, rhs: Any, analytic: bool | None = None) -> Any:
    """The non-negative root of ``A2 y^2 + A1 y = rhs`` (``A1 > 0``), ``2 rhs/(A1 + sqrt(A1^2 + 4 A2 rhs))``.

    ``analytic`` (complex balls inside an integrand): the square root returns a
    non-finite ball where its argument may touch the branch cut.
    """
    d = A1 * A1 + 4 * A2 * rhs
    return 2 * rhs / (A1 + (d.sqrt() if analytic is None else d.sqrt(analytic=analytic)))


def ideal_integrals(point: RoutersPoint, tau: Fraction) -> IdealIntegrals:
    """Enclose ``P(Delta <= tau)`` and ``E[Delta; Delta <= tau]`` for ``K = 2, 3``, exponential law (lemma R8).

    >>> pt = read_point({"type": "routers", "K": "2", "law": "exponential", "lam": "3/5", "mu": "1", "W_limit": "2"})
    >>> r = ideal_integrals(pt, Fraction(1))
    >>> 0.5 < float(r.prob.mid()) < 0.8, r.prob.rad() < 1e-9
    (True, True)
    """
    from flint import acb, arb

    if point.K not in IDEAL_KS or point.law != "exponential" or point.mu is None:
        raise CertificateFormatError(f"a routers-ideal certificate needs K in {IDEAL_KS} and the exponential law; got K = {point.K}, law {point.law!r}")
    if tau <= 0:
        raise CertificateFormatError(f"field 'tau' must be > 0; got {tau}")
    K = point.K
    with working_precision(_PREC):
        mu, kap, T = arb_fraction(point.mu), arb_fraction(point.kappa), arb_fraction(tau)
        inv_mu, invK = 1 / mu, arb(1) / K
        I = acb(0, 1)  # noqa: E741

        def pieces(alpha: Any, beta: Any) -> Any:
            # P + i (alpha P + beta M): the two integrands of one quadrature (see the module's docstring)
            z = (T - alpha) / beta
            e = (-mu * z).exp()
            P = 1 - e
            return P + I * (alpha * P + beta * (inv_mu - (z + inv_mu) * e))

        if K == 2:
            # x1 = a/2, x2 = x1 + b: Delta = kappa x1 x2 + (x1 + x2)/4 = alpha(a) + beta(a) b
            astar = _quadratic_root(kap / 4, arb(1) / 4, T)

            def f(s: Any, analytic: bool) -> Any:
                a = astar * s
                x1 = a / 2
                return astar * mu * (-mu * a).exp() * pieces(kap * x1 * x1 + x1 / 2, kap * x1 + invK / 2)
        else:
            # x1 = a/3, x2 = x1 + b/2, x3 = x2 + c: Delta = c(x1, x3) + c(x2, x3) = alpha(a, b) + beta(a, b) c
            astar = _quadratic_root(2 * kap / 9, arb(2) / 9, T)

            def f(s: Any, analytic: bool) -> Any:
                a = astar * s
                # alpha(a, b) = kappa b^2/4 + (kappa a/2 + 1/4) b + 2 kappa a^2/9 + 2a/9
                bstar = _quadratic_root(kap / 4, kap * a / 2 + arb(1) / 4, T - (2 * kap * a * a / 9 + 2 * a / 9), analytic)
                if not bstar.is_finite():
                    return bstar

                def g(t: Any, _analytic: bool) -> Any:
                    b = bstar * t
                    x1 = a / 3
                    x2 = x1 + b / 2
                    return mu * (-mu * b).exp() * pieces(kap * x2 * (x1 + x2) + (x1 + 3 * x2) * invK / 2, kap * (x1 + x2) + invK)

                inner = acb.integral(g, 0, 1, abs_tol=arb(2) ** -44, eval_limit=_INNER_EVALS)
                return astar * mu * (-mu * a).exp() * bstar * inner

        return _split_parts(acb.integral(f, 0, 1, abs_tol=arb(2) ** -40))


def _split_parts(v: Any) -> IdealIntegrals:
    """The enclosures of ``E[P]`` (real part of ``v``) and ``E[alpha P + beta M]`` (imaginary part); both must be finite.

    >>> from flint import acb, arb
    >>> _split_parts(acb(arb(1) / 2, arb(1) / 4)).cost
    0.250000000000000
    """
    if not (v.real.is_finite() and v.imag.is_finite()):
        raise CertificateError("the ideal-class quadrature did not converge (non-finite enclosure)")
    return IdealIntegrals(v.real, v.imag)


def _target(point: RoutersPoint) -> Target:
    return Target({**point.describe(), "quantity": "p_split"}, None, "ideal")


def check_routers_ideal(cert: dict[str, Any], source: str) -> Bound:
    """Verify a ``"routers-ideal"`` certificate (lemma R8): ``p_ideal <= bound`` (rule) or ``>= bound`` (dual).

    >>> game = {"type": "routers", "K": "2", "law": "exponential", "lam": "3/5", "mu": "1", "W_limit": "2"}
    >>> cert = {"schema": 2, "kind": "routers-ideal", "game": game, "N": None, "model": "ideal", "side": "upper", "bound": "1", "tau": "17/10"}
    >>> up = check_routers_ideal(cert, "demo")
    >>> lo = check_routers_ideal({**cert, "side": "lower", "bound": "0"}, "demo")
    >>> 0 < float(lo.details["proven"]) < float(up.details["proven"]) < 1
    True
    """
    check_kind(cert, "routers-ideal")
    side = cert.get("side")
    if side not in ("upper", "lower"):
        raise CertificateFormatError(f"field 'side' of a routers-ideal certificate must be 'upper' (rule) or 'lower' (dual); got {str(side)[:20]!r}")
    if cert.get("model") != "ideal":
        raise CertificateFormatError(f"field 'model' must be 'ideal'; got {str(cert.get('model'))[:30]!r}")
    if cert.get("N", "missing") is not None:
        raise CertificateFormatError("a routers-ideal certificate bounds the continuum optimum: field 'N' must be null")
    point = read_point(cert.get("game"))
    claimed = parse_fraction(cert.get("bound"), "bound")
    tau = parse_fraction(cert.get("tau"), "tau")
    integrals = ideal_integrals(point, tau)
    es = split_cost(point)
    base = point.W0 + es                                    # W_min: the cheapest split for every tuple
    with working_precision(_PREC):
        if side == "upper":
            wq_up = base + upper_rational(integrals.cost)
            if wq_up > point.W_limit:
                raise CertificateError(f"the rule Delta <= tau = {tau} is not proved to meet W_limit: W_q <= {float(wq_up):.12g}, limit {float(point.W_limit):.12g}")
            proven = 1 - lower_rational(integrals.prob)
            if claimed < proven:
                raise CertificateError(f"claimed p_split upper bound {float(claimed):.12g} is below the rule's enclosed p_split ({float(proven):.12g})")
            details: dict[str, Any] = {"wq_upper": wq_up}
        else:
            nu = 1 / tau
            slack = upper_rational(arb_fraction(tau) * integrals.prob - integrals.cost)   # E[(tau - Delta)^+]
            proven = 1 - nu * (point.W_limit - base) - nu * slack
            if claimed > proven:
                raise CertificateError(f"claimed p_split lower bound {float(claimed):.12g} exceeds what the dual proves ({float(proven):.12g}; nu = 1/tau = {float(nu):.6g})")
            details = {"nu": nu, "slack_upper": slack}
    return _issue(side, claimed, _target(point), source, "proofs.checkers.routers_ideal:check_routers_ideal (lemmas R4, R8)",
                  proven=proven, tau=tau, split_cost=es, W_min=base, **details)
