"""Rigorous enclosures of the quadratic moments ``E[sqrt q]`` and ``E[X^j / sqrt q]`` of a service law.

``q(x) = a2 (x - x*)^2 + delta`` is the quadratic of a quantum dual function
(lemma S4) or of a planar measurement (lemma S5).  The integral over the
bulk is python-flint's rigorous quadrature ``acb.integral``; the pieces it
cannot reach are bounded explicitly: the ball ``g([0, eps]) F(eps)`` on
``[0, eps]`` where the density is not analytic at 0 (:func:`_left_end`), and
the tail beyond ``L`` from the law's partial moments ``E[X^j; X > L]``
(:func:`_right_end`).  Used by :mod:`proofs.checkers.system_dual` and
:mod:`proofs.checkers.system_strategy`.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from proofs.checkers.system_law import PREC, Service
from proofs.exact.errors import CertificateError
from proofs.exact.laws import ExactLaw, exact_law, working_precision
from proofs.exact.rational import arb_fraction

__all__ = ["quadratic_moments"]

#: the [0, eps] ball and the tail beyond L are each made smaller than this (relative to the law's scale)
_NEGLIGIBLE = Fraction(1, 2**90)


def _as_service(law: Any) -> Service:
    if isinstance(law, Service):
        return law
    if isinstance(law, ExactLaw):
        if law.name == "exponential":
            return Service(law, Fraction(1))
        return Service(law)
    if isinstance(law, (int, Fraction)) and not isinstance(law, bool) and law > 0:  # an exponential rate mu
        return Service(exact_law({"law": "exponential"}), 1 / Fraction(law))
    raise CertificateError(f"`law` must be an exponential rate mu > 0, an ExactLaw or a Service; got {law!r}")


def _right_end(svc: Service, a2: Fraction, xstar: Fraction, A2: Any, X: Any, D: Any) -> tuple[Fraction, list[Any]]:
    """``(L, tails)``: the support's end (no tail), or ``L`` with upper bounds on the four integrals over ``[L, inf)``.

    For ``x >= L > x*``: ``sqrt q <= sqrt(a2) x + sqrt(a2)|x*| + sqrt(delta)`` and
    ``1/sqrt q <= 1/(sqrt(a2) (L - x*))``, so the tails are at most
    ``sqrt(a2) E[X; X > L] + (sqrt(a2)|x*| + sqrt(delta)) P(X > L)`` and
    ``E[X^j; X > L] / (sqrt(a2) (L - x*))``.  ``L`` doubles until every bound
    is negligible (or ``L > 2^64``; the bound is used as it stands).
    """
    from flint import arb

    sc = svc.scale
    end = svc.support_end
    if end is not None:
        return end, [arb(0)] * 4
    sA2, sD = A2.sqrt(), D.sqrt()
    L = max(90 * sc, xstar + 1 + 10 * sc)
    while True:
        La = arb_fraction(L)
        t0, t1 = svc.tail(0, La), svc.tail(1, La)
        r = 1 / (sA2 * (La - X))
        tails = [sA2 * t1 + (sA2 * abs(X) + sD) * t0, t0 * r, t1 * r, svc.tail(2, La) * r]
        if all(t.upper() < arb_fraction(_NEGLIGIBLE * max(Fraction(1), a2 * sc * sc)) for t in tails) or L > 2**64 * sc:
            return L, tails
        L *= 2


def _left_end(svc: Service, A2: Any, X: Any, D: Any) -> tuple[Fraction, list[Any]]:
    """``(lo, head)``: ``lo = 0`` (density analytic at 0), or ``eps`` with the four integrals over ``[0, eps]`` enclosed.

    On ``[0, eps]`` each integral is ``int g dF`` with ``g`` the integrand's
    factor beside the density, so it lies in ``g([0, eps]) F(eps)`` (``g``
    evaluated on the ball ``[0, eps]``); ``eps`` shrinks until ``F(eps)`` is
    negligible.
    """
    from flint import arb

    if svc.law.analytic_at_zero:
        return Fraction(0), [arb(0)] * 4
    sc = svc.scale
    eps = sc / 16
    while not svc.cdf(arb_fraction(eps)).upper() < arb_fraction(_NEGLIGIBLE) and eps > sc / 2**400:
        eps /= 16
    ball = arb(arb_fraction(eps / 2), arb_fraction(eps / 2))  # [0, eps]
    qb = A2 * (ball - X) ** 2 + D
    Fe = svc.cdf(arb_fraction(eps))
    return eps, [qb.sqrt() * Fe, Fe / qb.sqrt(), ball * Fe / qb.sqrt(), ball * ball * Fe / qb.sqrt()]


def quadratic_moments(law: Any, a2: Fraction, xstar: Fraction, delta: Fraction) -> tuple[Any, Any, Any, Any]:
    """Enclosures of ``E[sqrt q]`` and ``E[X^j / sqrt q]`` (``j = 0, 1, 2``).

    ``law`` is an exponential rate ``mu`` (a Fraction), an
    :class:`~proofs.exact.laws.ExactLaw` or a :class:`Service`;
    ``q(x) = a2 (x - x*)^2 + delta`` with ``a2 > 0``, ``delta > 0`` (exact
    rationals).  The integral over ``[lo, L]`` is ``acb.integral`` on panels
    that shrink geometrically towards ``x*`` (the branch points of ``sqrt q``
    sit at ``x* +- i sqrt(delta/a2)``) and grow geometrically towards ``L``
    (heavy tails).  ``lo = 0`` when the density is analytic at 0; otherwise
    (lognormal, Weibull: ``log x`` in the density) ``lo = eps`` with
    ``F(eps)`` negligible, geometric panels towards ``eps``, and ``[0, eps]``
    enclosed by the ball ``g([0, eps]) F(eps)`` (``g`` the integrand's factor
    beside the density).  The tail ``[L, inf)`` is bounded with the partial
    moments: ``sqrt q <= sqrt(a2) (x + |x*|) + sqrt(delta)`` and, for
    ``x >= L > x*``, ``1/sqrt q <= 1/(sqrt(a2) (L - x*))``.  A bounded
    support (uniform) is integrated up to its end.

    >>> J, I0, I1, I2 = quadratic_moments(Fraction(1), Fraction(1), Fraction(0), Fraction(1, 10**30))
    >>> abs(float(J.mid()) - 1.0) < 1e-12      # sqrt q = x: E[X] = 1
    True
    """
    from flint import acb, arb

    if not (a2 > 0 and delta > 0):
        raise CertificateError(f"quadratic must have a2 > 0 and delta > 0; got a2 = {a2}, delta = {delta}")
    svc = _as_service(law)
    sc = svc.scale
    with working_precision(PREC):
        A2, X, D = arb_fraction(a2), arb_fraction(xstar), arb_fraction(delta)
        L, tails = _right_end(svc, a2, xstar, A2, X, D)
        lo, head = _left_end(svc, A2, X, D)
        # ---- panels
        width = delta / a2  # (half-width of the turn)^2
        d = Fraction(1)
        while d * d > width and d > Fraction(1, 2**200):
            d /= 2
        pts = {lo, L}
        if lo < xstar < L:
            pts.add(xstar)
        off = d
        while off < L:
            for pt in (xstar - off, xstar + off):
                if lo < pt < L:
                    pts.add(pt)
            off *= 2
        if lo > 0:
            g = lo * 4
            while g < min(pts - {lo}):
                pts.add(g)
                g *= 4
        g = 16 * sc
        while g < L:  # geometric panels out to L (heavy tails)
            pts.add(g)
            g *= 2
        pts_sorted = sorted(pts)
        dens = svc.density()

        def integrand(j: int):  # noqa: ANN202
            def f(z, analytic):  # noqa: ANN001, ANN202
                w = z - X
                q = A2 * w * w + D
                e = dens(z, analytic)
                if j < 0:
                    return q.sqrt(analytic=analytic) * e
                return q.rsqrt(analytic=analytic) * e * (z**j if j else 1)

            return f

        out = []
        for idx, j in enumerate((-1, 0, 1, 2)):
            tot = acb(0)
            f = integrand(j)
            for a, b in zip(pts_sorted, pts_sorted[1:]):
                tot += acb.integral(f, arb_fraction(a), arb_fraction(b))
            val = tot.real + head[idx]
            if not val.is_finite():
                raise CertificateError("rigorous quadrature did not converge (turn too sharp for the working precision)")
            tail_up = tails[idx].upper()
            out.append(val + arb(tail_up / 2, tail_up / 2))
        return tuple(out)

