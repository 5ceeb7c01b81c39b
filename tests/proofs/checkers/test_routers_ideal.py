"""Tests of the ``routers-ideal`` checker (lemma R8) against sympy and an independent scipy quadrature."""

from __future__ import annotations

import functools
from fractions import Fraction

import pytest
import sympy as sp

from proofs.checkers.registry import check_certificate
from proofs.checkers.routers_ideal import check_routers_ideal, ideal_integrals, split_cost
from proofs.exact.errors import CertificateError, CertificateFormatError
from proofs.exact.routers_game import read_point
from tests.fuzz.oracles import routers_ideal_values

K3 = {"type": "routers", "K": "3", "law": "exponential", "lam": "2/5", "mu": "1", "W_limit": "3"}
K2 = {"type": "routers", "K": "2", "law": "exponential", "lam": "3/5", "mu": "1", "W_limit": "2"}


def _cert(game: dict, side: str, tau: str, bound: str) -> dict:
    return {"schema": 2, "kind": "routers-ideal", "game": dict(game), "N": None, "model": "ideal", "side": side, "bound": bound, "tau": tau}


def _oracle(game: dict, tau: Fraction) -> tuple[float, float, float, float]:
    """``(P, D, W_min, W0)`` with ``P``, ``D`` from the independent quadrature and ``W_min`` from sympy."""
    pt = read_point(game)
    P, D = routers_ideal_values(pt.K, float(pt.lam), float(pt.mu), float(tau))
    return P, D, float(pt.W0) + _sympy_split_cost(pt.K, pt.lam, pt.mu), float(pt.W0)


@functools.lru_cache(maxsize=8)
def _sympy_split_cost(K: int, lam: Fraction, mu: Fraction) -> float:
    """``E[min over pairs of c_K]`` by symbolic integration over the sorted tuple (the smallest pair is the two smallest)."""
    if K == 2:
        return 0.0
    x1, x2, x3 = sp.symbols("x1 x2 x3", positive=True)
    m = sp.Rational(mu.numerator, mu.denominator)
    lam_s = sp.Rational(lam.numerator, lam.denominator)
    rho = K * lam_s / (2 * m)
    kap = lam_s / (2 * (1 - rho))
    dens = 6 * m**3 * sp.exp(-m * (x1 + x2 + x3))
    s = kap * x1 * x2 + (x1 + x2) / (2 * K)
    i3 = sp.integrate(dens * s, (x3, x2, sp.oo), conds="none")
    i2 = sp.integrate(sp.expand(i3), (x2, x1, sp.oo), conds="none")
    return float(sp.integrate(sp.expand(i2), (x1, 0, sp.oo), conds="none"))


def test_renyi_representation_and_split_cost_by_sympy() -> None:
    # lemma R8(b): Delta = alpha + beta * (last spacing), the quadratics of a* and b*, and E[s] in closed form
    a, b, c, kap, mu = sp.symbols("a b c kappa mu", positive=True)
    cK = lambda x, y, K: kap * x * y + (x + y) / (2 * K)  # noqa: E731
    x1, x2 = a / 3, a / 3 + b / 2
    x3 = x2 + c
    delta = cK(x1, x3, 3) + cK(x2, x3, 3)
    alpha = kap * b**2 / 4 + (kap * a / 2 + sp.Rational(1, 4)) * b + 2 * kap * a**2 / 9 + 2 * a / 9
    beta = kap * (x1 + x2) + sp.Rational(1, 3)
    assert sp.expand(delta - alpha - beta * c) == 0
    y1 = a / 2
    assert sp.expand(cK(y1, y1 + b, 2) - (kap * a**2 / 4 + a / 4) - (kap * a / 2 + sp.Rational(1, 4)) * b) == 0
    # E[s] for K = 3 by Renyi: x1 x2 = a^2/9 + a b/6
    Es = kap * (2 / (9 * mu**2) + 1 / (6 * mu**2)) + (1 / (3 * mu) + 5 / (6 * mu)) / 6
    assert sp.simplify(Es - (7 * kap / (18 * mu**2) + sp.Rational(7, 36) / mu)) == 0
    pt = read_point(K3)
    assert float(split_cost(pt)) == pytest.approx(_sympy_split_cost(3, pt.lam, pt.mu), rel=1e-14)


@pytest.mark.parametrize(("game", "tau"), [(K2, Fraction(17, 10)), (K2, Fraction(1, 3)), (K3, Fraction(3, 2)), (K3, Fraction(5)),
                                           ({**K3, "lam": "1/5", "mu": "2"}, Fraction(1, 2))])
def test_enclosures_match_an_independent_quadrature(game: dict, tau: Fraction) -> None:
    r = ideal_integrals(read_point(game), tau)
    P, D, _, _ = _oracle(game, tau)
    assert float(r.prob.rad()) < 1e-10 and float(r.cost.rad()) < 1e-10
    assert abs(float(r.prob.mid()) - P) < 1e-9 and abs(float(r.cost.mid()) - D) < 1e-9


@pytest.mark.parametrize("nan_part", ["real", "imag"])
def test_a_non_finite_part_of_the_one_quadrature_is_refused(nan_part: str) -> None:
    # one quadrature encloses E[P] + i E[Delta; Delta <= tau]: either part non-finite means it did not converge
    from flint import acb, arb

    from proofs.checkers.routers_ideal import _split_parts

    nan = arb("nan")
    with pytest.raises(CertificateError, match="did not converge"):
        _split_parts(acb(nan, arb(1)) if nan_part == "real" else acb(arb(1), nan))
    ok = _split_parts(acb(arb(1) / 2, arb(1) / 4))
    assert float(ok.prob.mid()) == 0.5 and float(ok.cost.mid()) == 0.25


@pytest.mark.parametrize("game", [K2, K3])
def test_rule_must_meet_W_limit(game: dict) -> None:
    tau = Fraction(3, 2)
    P, D, wmin, _ = _oracle(game, tau)
    wq = wmin + D
    ok = {**game, "W_limit": str(Fraction(wq + 1e-8).limit_denominator(10**12))}
    b = check_routers_ideal(_cert(ok, "upper", "3/2", "1"), "t")
    assert abs(float(b.details["proven"]) - (1 - P)) < 1e-9 and b.target.player_model == "ideal"
    tight = {**game, "W_limit": str(Fraction(wq - 1e-8).limit_denominator(10**12))}
    with pytest.raises(CertificateError, match="not proved to meet W_limit"):
        check_routers_ideal(_cert(tight, "upper", "3/2", "1"), "t")


def test_rule_claim_below_the_enclosure_is_rejected() -> None:
    P, _, _, _ = _oracle(K3, Fraction(3, 2))
    check_routers_ideal(_cert(K3, "upper", "3/2", str(Fraction(1 - P + 1e-9).limit_denominator(10**12))), "t")
    with pytest.raises(CertificateError, match="below the rule's enclosed"):
        check_routers_ideal(_cert(K3, "upper", "3/2", str(Fraction(1 - P - 1e-9).limit_denominator(10**12))), "t")


@pytest.mark.parametrize(("game", "tau"), [(K2, Fraction(17, 10)), (K3, Fraction(33, 10))])
def test_dual_pays_the_slack_and_the_split_cost(game: dict, tau: Fraction) -> None:
    P, D, wmin, _ = _oracle(game, tau)
    nu = 1 / float(tau)
    value = 1 - nu * (float(Fraction(game["W_limit"])) - wmin) - nu * (float(tau) * P - D)
    assert 0 < value < 1
    b = check_routers_ideal(_cert(game, "lower", str(tau), str(Fraction(value - 1e-9).limit_denominator(10**12))), "t")
    assert abs(float(b.details["proven"]) - value) < 1e-9
    with pytest.raises(CertificateError, match="exceeds what the dual proves"):
        check_routers_ideal(_cert(game, "lower", str(tau), str(Fraction(value + 1e-9).limit_denominator(10**12))), "t")


def test_bracket_at_three_routers_is_tight_and_registered() -> None:
    # the rule at tau and the dual at the same tau coincide where the rule meets W_limit with equality (lemma R8a)
    from bounds.routers_ideal import ideal_certificates
    from games.routers import RouterModel

    certs = ideal_certificates(RouterModel.at_load(3, 0.6), Fraction(3))
    lo, up = check_certificate(certs["lower"], "t"), check_certificate(certs["upper"], "t")
    assert 0.17 < float(lo.value) <= float(up.value) < float(lo.value) + 1e-7
    assert lo.side == "lower" and up.side == "upper" and lo.target.n is None


@pytest.mark.parametrize(("change", "match"), [
    ({"game": {**K3, "K": "4"}}, "K in"),
    ({"game": {**K3, "law": "uniform", "mu": None}}, "exponential law"),
    ({"tau": "0"}, "'tau' must be > 0"),
    ({"side": "both"}, "'side'"),
    ({"model": "classical"}, "'model' must be 'ideal'"),
    ({"N": 4}, "'N' must be null"),
])
def test_bad_certificates_are_refused_with_the_field_named(change: dict, match: str) -> None:
    cert = {**_cert(K3, "upper", "3/2", "1"), **change}
    if cert["game"].get("mu", "x") is None:
        cert["game"] = {k: v for k, v in cert["game"].items() if k != "mu"}
    with pytest.raises(CertificateFormatError, match=match):
        check_routers_ideal(cert, "t")
