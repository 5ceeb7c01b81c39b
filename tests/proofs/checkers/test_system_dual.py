"""Tests of :mod:`proofs.checkers.system_dual`: each margin of lemmas S3 and S4 against an independent computation."""

from __future__ import annotations

from fractions import Fraction

import mpmath as mp
import numpy as np
import pytest
from scipy import integrate

import proofs.checkers.system_dual as sd
from analytic.laws.service import ServiceLaw
from bounds.system_point import operating_point
from proofs.checkers.registry import check_certificate
from proofs.checkers.system_law import PREC, system_data
from proofs.checkers.system_quadrature import quadratic_moments
from proofs.exact.errors import CertificateError
from proofs.exact.laws import working_precision


def _curve_by_quadrature(label: str, nu: float, u: float, pt) -> float:  # noqa: ANN001
    """``h(M b(u))`` by scipy quadrature of the scipy law (independent of the closed forms)."""
    d = ServiceLaw.named(label).dist
    t = float(d.ppf(u))
    tail_mean = integrate.quad(lambda x: x * d.pdf(x), t, np.inf, epsabs=1e-14, epsrel=1e-13, limit=200)[0]
    b = np.array([1 - 2 * u, 2 * tail_mean - 1])
    w0, w1 = pt.matrix(nu) @ b
    r = -w0 / w1
    pts = [r] if r > 0 else None
    return sum(integrate.quad(lambda x: abs(w0 + w1 * x) * d.pdf(x), a, c, points=pts if a == 0 else None, epsabs=1e-14, epsrel=1e-13, limit=200)[0]
               for a, c in ((0, 2 * max(r, 1)), (2 * max(r, 1), np.inf)))


def _without_sag_where_positive(monkeypatch) -> None:  # noqa: ANN001
    orig = sd._piece_sag
    monkeypatch.setattr(sd, "_piece_sag", lambda *a: None if orig(*a) is None else Fraction(0))


def _without_box(monkeypatch) -> None:  # noqa: ANN001
    orig = sd._piece_sag
    monkeypatch.setattr(sd, "_piece_sag", lambda *a: Fraction(0) if orig(*a) is None else orig(*a))


def test_sag_is_a_needed_margin(monkeypatch) -> None:  # noqa: ANN001
    # gamma:4, nu = 1: h(M b(u)) peaks inside the piece [3/20, 1/5] (at u ~ 0.173); its chord ends lie below the peak
    from bounds.system_certificates import system_description

    pt = operating_point(0.6, 1.5625, law=ServiceLaw.named("gamma:4"))
    s = system_data(system_description(pt))
    br = sorted({Fraction(k, 128) for k in range(129) if not Fraction(3, 20) < Fraction(k, 128) < Fraction(1, 5)}
                | {Fraction(3, 20), Fraction(1, 5), Fraction(1, 4096)} | {1 - Fraction(1, 2**k) for k in range(8, 40)})
    peak = _curve_by_quadrature("gamma:4", 1.0, 0.173, pt)
    assert float(sd._classical_bias_upper(s, Fraction(1), br)[0]) >= peak
    _without_sag_where_positive(monkeypatch)
    assert float(sd._classical_bias_upper(s, Fraction(1), br)[0]) < peak - 1e-7  # an unsound bias bound


def test_box_fallback_is_a_needed_margin(monkeypatch) -> None:  # noqa: ANN001
    # gamma:4 (f(0) = 0, so [0, u1] has no density lower bound), nu = 3/2: the peak (u ~ 0.0605) lies in the box piece [0, 1/8]
    from bounds.system_certificates import system_description

    pt = operating_point(0.6, 1.5625, law=ServiceLaw.named("gamma:4"))
    s = system_data(system_description(pt))
    br = sorted({Fraction(0)} | {Fraction(1, 8) + Fraction(7, 8) * Fraction(k, 512) for k in range(513)} | {1 - Fraction(1, 2**k) for k in range(10, 40)})
    peak = _curve_by_quadrature("gamma:4", 1.5, 0.0605, pt)
    bound, _, boxes = sd._classical_bias_upper(s, Fraction(3, 2), br)
    assert boxes == 2 and float(bound) >= peak
    _without_box(monkeypatch)
    assert float(sd._classical_bias_upper(s, Fraction(3, 2), br)[0]) < peak - 1e-3


def _mp_b1_exponential(u):  # noqa: ANN001, ANN202
    """``b1(u) = 2 E[X; X > F^{-1}(u)] - 1`` of the unit exponential law, by mpmath quadrature of the density."""
    t = -mp.log(1 - u)
    return 2 * mp.quad(lambda x: x * mp.exp(-x), [t, t + 10, mp.inf]) - 1


def _mp_b1_exponential_closed(u):  # noqa: ANN001, ANN202
    """The same in closed form: ``E[X; X > t] = (t + 1) e^{-t}`` with ``e^{-t} = 1 - u``, so ``b1(u) = 2 (1 - u)(1 - ln(1 - u)) - 1``."""
    return 2 * (1 - u) * (1 - mp.log(1 - u)) - 1


def test_sag_is_tight_for_the_uniform_law() -> None:
    # uniform law on (0, 2): b1(u) = 2 int_u^1 2v dv - 1 = 1 - 2u^2, |b1''| = 4 = 2/f with f = 1/2 constant, so the chord error on
    # [u0, u1] is exactly (u1 - u0)^2 / 2 (at the midpoint): the lemma's sag (u1 - u0)^2 / (4 f_lo) equals it, any smaller one misses
    s = system_data({"type": "system", "law": "uniform", "lam": "1/2", "W_limit": "2"})
    b1 = lambda u: 1 - 2 * u * u  # noqa: E731

    with working_precision(PREC):
        for u0, u1 in ((Fraction(0), Fraction(1, 2)), (Fraction(1, 3), Fraction(3, 4)), (Fraction(1, 10), Fraction(1, 5))):
            mid = (u0 + u1) / 2
            gap = b1(mid) - (b1(u0) + b1(u1)) / 2  # the curve above its chord at the midpoint (exact)
            assert gap == (u1 - u0) ** 2 / 2
            sag = sd._piece_sag(s, u0, u1, s.service.ppf(u0), s.service.ppf(u1))
            assert sag is not None and sag >= gap


def test_sag_uses_the_density_minimum_over_the_whole_piece() -> None:
    # exponential law on the wide piece [1/2, 99/100]: f = e^{-x} falls from 1/2 to 1/100 along it; the chord error (mpmath, 0.3186)
    # exceeds what f at the piece's left end (sag 0.120) or the middle of f's enclosure (~0.235) would allow
    s = system_data({"type": "system", "law": "exponential", "lam": "3/5", "mu": "1", "W_limit": "2"})
    u0, u1 = Fraction(1, 2), Fraction(99, 100)
    mp.mp.dps = 30
    m0, m1 = mp.mpf(u0.numerator) / u0.denominator, mp.mpf(u1.numerator) / u1.denominator
    for u in (m0, (m0 + m1) / 2, m1):   # the closed form against the quadrature of the density, at the ends and the middle
        assert abs(_mp_b1_exponential_closed(u) - _mp_b1_exponential(u)) < mp.mpf(10) ** -25
    c0, c1 = _mp_b1_exponential_closed(m0), _mp_b1_exponential_closed(m1)
    gap = max(_mp_b1_exponential_closed(u) - (c0 + (c1 - c0) * (u - m0) / (m1 - m0)) for u in mp.linspace(m0, m1, 400))
    mp.mp.dps = 15
    assert gap > mp.mpf("0.3")

    with working_precision(PREC):
        sag = sd._piece_sag(s, u0, u1, s.service.ppf(u0), s.service.ppf(u1))
        # the density's lower bound is a lower bound on the whole ball (here its minimum 1/100 at the right end)
        f_lo = s.service.pdf_lower(s.service.ppf(u0).union(s.service.ppf(u1)))
    assert sag is not None and mp.mpf(sag.numerator) / sag.denominator >= gap
    assert f_lo is not None and 0 < f_lo <= Fraction(1, 100)


def _lognormal_system(w_limit: Fraction) -> dict:
    return {"type": "system", "law": "lognormal", "param": "1/1", "lam": "1/2", "W_limit": f"{w_limit.numerator}/{w_limit.denominator}"}


def test_dual_uses_the_budget_upper_end_for_an_irrational_m2() -> None:
    # lognormal 1 at lam = 1/2: W_0 = e/2 (irrational). The dual's p_split bound must not exceed
    # 1 - nu (W_limit - e/2) - (E[k] + G)/2 with e at 50 digits (mpmath), whatever end of the m2 interval the checker reads
    mp.mp.dps = 50
    nu = Fraction(1)
    cert = {"schema": 2, "kind": "system-dual", "game": _lognormal_system(Fraction(8, 5)), "N": None, "side": "lower", "model": "classical",
            "nu": "1", "bound": "-1000", "breaks": ["0", "1/4", "1/2", "3/4", "1"]}
    b = check_certificate(cert)
    s = system_data(cert["game"])
    rhs = 1 - mp.mpf(1) * (mp.mpf(8) / 5 - mp.e / 2) - (mp.mpf(s.mean_kernel(nu).numerator) / s.mean_kernel(nu).denominator
                                                       + mp.mpf(b.details["bias_upper"].numerator) / b.details["bias_upper"].denominator) / 2
    proven = b.details["proven"]
    assert mp.mpf(proven.numerator) / proven.denominator <= rhs
    assert rhs - mp.mpf(proven.numerator) / proven.denominator < mp.mpf(10) ** -25  # and only the interval's width below it
    mp.mp.dps = 15


def _mp_uniform_h(w0: Fraction, w1: Fraction) -> Fraction:
    """``E|w0 + w1 X|`` for X uniform on (0, 2), exactly: (1/2) int_0^2 |w0 + w1 x| dx."""
    F = lambda x: w0 * x + w1 * x * x / 2  # noqa: E731  antiderivative of w0 + w1 x
    if w1 != 0 and 0 < -w0 / w1 < 2:
        r = -w0 / w1
        return (abs(F(r) - F(Fraction(0))) + abs(F(Fraction(2)) - F(r))) / 2
    return abs(F(Fraction(2)) - F(Fraction(0))) / 2


def test_classical_bias_rounds_up_on_the_uniform_law() -> None:
    # one piece [0, 1]: the bounding box of b = (b0, b1) is [-1, 1] x [-1, 1] (m1 = 1), so the bias bound is the largest
    # E|w0 + w1 X| over the four corners, w = M(nu) b: an exact rational for the uniform law; the checker's bound must not be below it
    s = system_data({"type": "system", "law": "uniform", "lam": "1/2", "W_limit": "2"})
    nu = Fraction(1, 3)
    (m00, m01), (m10, m11) = s.matrix(nu)
    exact = max(_mp_uniform_h(m00 * b0 + m01 * b1, m10 * b0 + m11 * b1) for b0 in (-1, 1) for b1 in (-1, 1))
    bound, _, boxes = sd._classical_bias_upper(s, nu, [Fraction(0), Fraction(1)])
    assert boxes == 1 and exact <= bound < exact + Fraction(1, 10**25)


def test_quantum_bias_rounds_up_on_the_uniform_law() -> None:
    # large dual functions (A, B small: the PSD condition holds with room); the bias bound E[alpha] + E[beta] must not be below the
    # 40-digit value of (1/2) int_0^2 sqrt(q) dx for each quadratic
    s = system_data({"type": "system", "law": "uniform", "lam": "1/2", "W_limit": "2"})
    qa, qb = (Fraction(9), Fraction(1, 3), Fraction(100)), (Fraction(4), Fraction(5, 7), Fraction(81))
    mp.mp.dps = 40
    want = sum(mp.quad(lambda x, q=q: mp.sqrt(mp.mpf(q[0].numerator) / q[0].denominator * (x - mp.mpf(q[1].numerator) / q[1].denominator) ** 2
                                                  + mp.mpf(q[2].numerator) / q[2].denominator), [0, 2]) / 2 for q in (qa, qb))
    bias, _ = sd._quantum_bias_upper(s, Fraction(1), qa, qb)
    assert mp.mpf(bias.numerator) / bias.denominator >= want
    assert mp.mpf(bias.numerator) / bias.denominator - want < mp.mpf(10) ** -13  # (the upper ends are read at 53 bits)
    mp.mp.dps = 15


@pytest.mark.parametrize("shift", [-1, 1])
def test_a_wider_b1_enclosure_never_lowers_the_bias_bound(monkeypatch, shift: int) -> None:  # noqa: ANN001
    # b1's enclosure widened on one side by 1/100 (still containing b1): the trapezoids and boxes built from its outer ends
    # contain the old ones, so the bound (a convex function's largest vertex value) cannot drop; a bound read from the
    # ball's middle would move with the shift, down on one of the two sides
    from flint import arb

    s = system_data({"type": "system", "law": "exponential", "lam": "3/5", "mu": "1", "W_limit": "2"})
    breaks = [Fraction(k, 8) for k in range(8)] + [Fraction(1)]
    base = sd._classical_bias_upper(s, Fraction(1), breaks)[0]
    orig = sd.b1_enclosure
    monkeypatch.setattr(sd, "b1_enclosure", lambda *a: orig(*a) + shift * arb("0.005 +/- 0.005"))
    wide = sd._classical_bias_upper(s, Fraction(1), breaks)[0]
    assert wide >= base


def _uniform_quantum_dual() -> tuple:
    """A quantum dual on the uniform law (lam 1/2, W_limit 2, nu = 1) and the eigenvalues of A M B M^T at the moments' midpoints."""
    s = system_data({"type": "system", "law": "uniform", "lam": "1/2", "W_limit": "2"})
    nu = Fraction(1)
    qa, qb = (Fraction(9), Fraction(1, 3), Fraction(100)), (Fraction(4), Fraction(5, 7), Fraction(81))

    def gram(q: tuple) -> np.ndarray:
        _, i0, i1, i2 = (float(x.mid()) for x in quadratic_moments(s.service, *q))
        return np.array([[i0, i1], [i1, i2]])

    M = np.array([[float(x) for x in row] for row in s.matrix(nu)])
    return s, nu, qa, qb, sorted(np.linalg.eigvals(gram(qa) @ M @ gram(qb) @ M.T).real)


def test_psd_test_counts_the_radii_of_the_moment_enclosures(monkeypatch) -> None:  # noqa: ANN001
    # alpha scaled so that lambda_max(A M B M^T) = 4 / (1 + 10^-6) at the moments' midpoints: proved <= 4 with the real (tiny)
    # radii; with every moment's enclosure widened to a relative radius 10^-4 it is no longer proved (Gershgorin shift of A, B)
    from flint import arb

    s, nu, qa, qb, lams = _uniform_quantum_dual()
    lam0 = lams[-1]
    sc = Fraction(lam0 / 4 * (1 + 1e-6)).limit_denominator(10**12)  # alpha -> sc alpha: A -> A / sc
    qa2 = (qa[0] * sc * sc, qa[1], qa[2] * sc * sc)
    sd._quantum_bias_upper(s, nu, qa2, qb)  # proved
    orig = sd.quadratic_moments
    monkeypatch.setattr(sd, "quadratic_moments", lambda *a: tuple(x + arb(0, 1e-4 * abs(float(x.mid()))) for x in orig(*a)))
    with pytest.raises(CertificateError, match="lambda_max"):
        sd._quantum_bias_upper(s, nu, qa2, qb)


def test_psd_test_counts_the_radii_of_the_beta_moments(monkeypatch) -> None:  # noqa: ANN001
    # as above, with only beta's moment enclosures widened: B's Gershgorin shift alone must make the test fail
    from flint import arb

    s, nu, qa, qb, lams = _uniform_quantum_dual()
    sc = Fraction(lams[-1] / 4 * (1 + 1e-6)).limit_denominator(10**12)
    qa2 = (qa[0] * sc * sc, qa[1], qa[2] * sc * sc)
    sd._quantum_bias_upper(s, nu, qa2, qb)  # proved
    orig = sd.quadratic_moments

    def widened(law, *q):  # noqa: ANN001, ANN202
        out = orig(law, *q)
        return out if q != qb else tuple(x + arb(0, 1e-4 * abs(float(x.mid()))) for x in out)

    monkeypatch.setattr(sd, "quadratic_moments", widened)
    with pytest.raises(CertificateError, match="lambda_max"):
        sd._quantum_bias_upper(s, nu, qa2, qb)


def test_psd_test_needs_the_trace_when_both_eigenvalues_exceed_4() -> None:
    # alpha scaled so far down that both eigenvalues of A M B M^T exceed 4: (4 - l1)(4 - l2) = 16 - 4 tr + det is then
    # positive, and only tr <= 8 rejects the certificate
    s, nu, qa, qb, lams = _uniform_quantum_dual()
    assert lams[0] > 0
    sc = Fraction(lams[0] / 8).limit_denominator(10**12)  # both eigenvalues become >= 8
    qa2 = (qa[0] * sc * sc, qa[1], qa[2] * sc * sc)
    with pytest.raises(CertificateError, match="lambda_max"):
        sd._quantum_bias_upper(s, nu, qa2, qb)

