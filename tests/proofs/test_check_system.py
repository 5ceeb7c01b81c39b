"""Tests of proofs.check_system: the certificates verify, tampered ones are rejected, margins matter."""

from __future__ import annotations

import copy
from fractions import Fraction

import pytest

from bounds.system import operating_point, solve_class
from bounds.system_certificates import dual_certificate, strategy_certificate
from proofs.check import check_certificate
from proofs.check_system import quadratic_moments, system_data
from proofs.errors import CertificateError, CertificateFormatError

PT = operating_point(0.6, 1.65)


@pytest.fixture(scope="module")
def sols() -> dict:
    return {m: solve_class(PT, m) for m in ("classical", "quantum")}


@pytest.fixture(scope="module")
def certs(sols: dict) -> dict:
    out = {}
    for m, s in sols.items():
        out[(m, "dual")] = dual_certificate(PT, m, s.nu)
        out[(m, "strategy")] = strategy_certificate(PT, s)
    return out


def test_quadratic_moments_closed_forms() -> None:
    # q = (x - 0)^2 + tiny: E[sqrt q] ~ E[X] = 1; q = 1 (a2 tiny): E[1/sqrt q] ~ 1
    J, I0, I1, I2 = quadratic_moments(Fraction(1), Fraction(1), Fraction(0), Fraction(1, 10**40))
    assert abs(float(J.mid()) - 1.0) < 1e-15
    J, I0, I1, I2 = quadratic_moments(Fraction(2), Fraction(1, 10**30), Fraction(0), Fraction(1))
    assert abs(float(I0.mid()) - 1.0) < 1e-12 and abs(float(I1.mid()) - 0.5) < 1e-12 and abs(float(I2.mid()) - 0.5) < 1e-12
    # a sharp turn still encloses: E[1/sqrt((x - 1)^2 + d^2)] finite and the ball narrow
    J, I0, I1, I2 = quadratic_moments(Fraction(1), Fraction(1), Fraction(1), Fraction(1, 10**12))
    assert I0.rad() < 1e-15 and float(I0.mid()) > 5


@pytest.mark.parametrize("model", ["classical", "quantum"])
def test_certificates_bracket_the_estimate(model: str, sols: dict, certs: dict) -> None:
    lo = check_certificate(certs[(model, "dual")])
    up = check_certificate(certs[(model, "strategy")])
    assert lo.side == "lower" and up.side == "upper"
    assert float(lo.value) <= sols[model].p_split <= float(up.value)
    assert float(up.value - lo.value) < 1e-8
    assert lo.target == up.target and lo.target.player_model == model


def test_quantum_beats_classical_is_certified(certs: dict) -> None:
    assert check_certificate(certs[("quantum", "strategy")]).value < check_certificate(certs[("classical", "dual")]).value


@pytest.mark.parametrize("model", ["classical", "quantum"])
def test_tampered_dual_rejected(model: str, certs: dict) -> None:
    c = copy.deepcopy(certs[(model, "dual")])
    c["bound"] = str(Fraction(c["bound"]) + Fraction(1, 10**6))
    with pytest.raises(CertificateError, match="exceeds"):
        check_certificate(c)
    # a looser limit allows a smaller p_split: the same nu and bias prove less than claimed
    c2 = copy.deepcopy(certs[(model, "dual")])
    c2["game"]["W_limit"] = "7/4"
    with pytest.raises(CertificateError):
        check_certificate(c2)


def test_classical_partition_must_cover(certs: dict) -> None:
    c = copy.deepcopy(certs[("classical", "dual")])
    c["breaks"] = c["breaks"][:-1]
    with pytest.raises(CertificateError, match="0 to 1"):
        check_certificate(c)
    # a coarse partition proves too little: the sagitta/corner term is a real margin
    c = copy.deepcopy(certs[("classical", "dual")])
    c["breaks"] = ["0", "1/4", "1/2", "3/4", "1"]
    with pytest.raises(CertificateError):
        check_certificate(c)


def test_quantum_dual_psd_condition_matters(certs: dict) -> None:
    # shrinking alpha makes A = E[phi phi^T / alpha] larger: lambda_max(A M B M^T) > 4 must be caught
    c = copy.deepcopy(certs[("quantum", "dual")])
    for key in ("a2", "delta"):
        c["alpha"][key] = str(Fraction(c["alpha"][key]) * Fraction(9, 10))
    with pytest.raises(CertificateError, match="lambda_max"):
        check_certificate(c)


@pytest.mark.parametrize("model", ["classical", "quantum"])
def test_tampered_strategy_rejected(model: str, certs: dict) -> None:
    c = copy.deepcopy(certs[(model, "strategy")])
    c["bound"] = str(Fraction(c["bound"]) - Fraction(1, 10**6))
    with pytest.raises(CertificateError, match="below"):
        check_certificate(c)
    c = copy.deepcopy(certs[(model, "strategy")])
    c["game"]["W_limit"] = "329/200"  # 1.645: the same strategy no longer meets the limit
    with pytest.raises(CertificateError, match="W_limit"):
        check_certificate(c)
    c = copy.deepcopy(certs[(model, "strategy")])
    c["components"][0]["weight"] = "1/2"
    with pytest.raises(CertificateError, match="sum to 1"):
        check_certificate(c)


def test_always_split_weight_is_a_needed_margin(sols: dict) -> None:
    # without the always-split sliver the mixture sits on the limit and exact feasibility is not proved
    c = strategy_certificate(PT, sols["classical"], split_weight=0.0)
    c["components"] = c["components"][:-1]
    c["components"][-1]["weight"] = str(1 - sum(Fraction(x["weight"]) for x in c["components"][:-1]))
    comps = c["components"]
    # shift weight towards the component that violates the limit by 1e-9
    comps[0]["weight"] = str(Fraction(comps[0]["weight"]) + Fraction(1, 10**9))
    comps[-1]["weight"] = str(Fraction(comps[-1]["weight"]) - Fraction(1, 10**9))
    with pytest.raises(CertificateError, match="W_limit"):
        check_certificate(c)


@pytest.mark.parametrize(
    ("patch", "exc"),
    [
        ({"model": "both"}, CertificateFormatError),
        ({"game": {"type": "system", "law": "gamma", "lam": "1/2", "mu": "1", "W_limit": "2"}}, CertificateFormatError),
        ({"game": {"type": "system", "law": "exponential", "lam": "1", "mu": "1", "W_limit": "2"}}, CertificateFormatError),
        ({"game": {"type": "hyperbolic", "C": "1/3"}}, CertificateFormatError),
        ({"schema": 1}, CertificateFormatError),
        ({"side": "upper"}, CertificateFormatError),
        ({"N": 4}, CertificateFormatError),
        ({"nu": "-1"}, CertificateFormatError),
        ({"nu": 0.5}, CertificateFormatError),
    ],
)
def test_malformed(patch: dict, exc: type, certs: dict) -> None:
    c = copy.deepcopy(certs[("classical", "dual")])
    c.update(patch)
    with pytest.raises(exc):
        check_certificate(c)


@pytest.mark.parametrize("p0", [None, "1/2", 3])
def test_planar_router_needs_lists(p0: object, certs: dict) -> None:
    c = copy.deepcopy(certs[("quantum", "strategy")])
    planar = next(comp for comp in c["components"] if "p0" in comp["a"])
    planar["a"]["p0"] = p0
    with pytest.raises(CertificateFormatError, match="lists of two rationals"):
        check_certificate(c)


def test_certificates_need_the_exponential_law(sols: dict) -> None:
    from scipy import stats

    from analytic.laws import ServiceLaw
    from bounds.system import SystemParameterError

    pt = operating_point(0.6, 1.2, law=ServiceLaw(dist=stats.gamma(2.0, scale=0.5)))
    with pytest.raises(SystemParameterError, match="exponential law"):
        dual_certificate(pt, "classical", 1.5)
    with pytest.raises(SystemParameterError, match="exponential law"):
        strategy_certificate(pt, sols["classical"])


def test_system_data_exact() -> None:
    s = system_data({"type": "system", "law": "exponential", "lam": "1/2", "mu": "2", "W_limit": "1"})
    assert s.rho == Fraction(1, 4) and s.W0 == Fraction(1, 2) * Fraction(1, 2) / (2 * Fraction(3, 4))
