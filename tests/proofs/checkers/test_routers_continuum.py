"""Checker of ``routers-continuum-dual`` (lemma R7): acceptance, every margin, and the classical oracle."""

from __future__ import annotations

import copy
from fractions import Fraction
from typing import Any

import pytest

from proofs.checkers.routers_continuum import check_routers_continuum_dual
from proofs.exact.errors import CertificateError, CertificateFormatError
from proofs.exact.rational import fraction_str, parse_fraction


@pytest.fixture(scope="module")
def cert() -> dict[str, Any]:
    from bounds.routers_continuum import continuum_relaxation

    return continuum_relaxation(2, 0.6, 1.65, directions=6, weights=3, weight_bins=16).certificate


def _claim(c: dict[str, Any], bound: Fraction) -> dict[str, Any]:
    out = copy.deepcopy(c)
    out["bound"] = fraction_str(bound)
    return out


def test_valid_certificate_is_accepted_and_below_the_classical_strategy(cert: dict[str, Any]) -> None:
    from proofs.checkers.routers_system import check_routers_strategy

    b = check_routers_continuum_dual(cert, "t")
    assert b.side == "lower" and b.target.n is None and b.target.player_model == "quantum"
    # oracle: a classical threshold profile (lemma R6, independent formulas) meets W_limit; no valid lower bound exceeds it
    game = cert["game"]
    strat = {"schema": 2, "kind": "routers-strategy", "game": game, "N": None, "side": "upper", "bound": "1", "model": "classical",
             "components": [{"weight": "1", "thresholds": {"u": ["1", "3/10"], "orient": [1, 1]}}]}  # p_split 0.7
    up = check_routers_strategy(strat, "t")
    assert float(b) <= float(up.details["proven"])
    assert 0.55 < float(b) < 0.64  # K = 2 at the paper's point: the certified quantum p_split is 0.63508


def test_claim_above_the_proven_value_is_rejected(cert: dict[str, Any]) -> None:
    proven = check_routers_continuum_dual(cert, "t").details["proven"]
    check_routers_continuum_dual(_claim(cert, proven), "t")
    with pytest.raises(CertificateError, match="exceeds what the dual proves"):
        check_routers_continuum_dual(_claim(cert, proven + Fraction(1, 10**9)), "t")


def test_H_below_the_support_function_is_rejected(cert: dict[str, Any]) -> None:
    c = copy.deepcopy(cert)
    d = c["directions"][2]  # a threshold direction (alpha < 0 < beta): h = |beta| (x0 - 1 + 2 e^(-x0))
    a, b = parse_fraction(d["alpha"]), parse_fraction(d["beta"])
    assert a < 0 < b
    import math

    x0 = float(-a / b)
    h = float(b) * (x0 - 1 + 2 * math.exp(-x0))
    d["H"] = fraction_str(Fraction(h - 1e-9))
    with pytest.raises(CertificateError, match="is not proved >= h"):
        check_routers_continuum_dual(c, "t")
    # a hair above the true h is accepted as far as H goes (the claim check then decides)
    d["H"] = fraction_str(Fraction(h + 1e-12))
    with pytest.raises(CertificateError, match=r"exceeds what the dual proves|not positive semidefinite"):
        check_routers_continuum_dual(_claim(c, Fraction(1)), "t")


def test_R_below_the_weight_moments_is_rejected(cert: dict[str, Any]) -> None:
    for idx, delta in ((0, Fraction(-1, 10**6)), (2, Fraction(-1, 10**6))):
        c = copy.deepcopy(cert)
        R = c["weights"][0]["R"]
        R[idx] = fraction_str(parse_fraction(R[idx]) + delta)
        with pytest.raises(CertificateError, match="R is not proved"):
            check_routers_continuum_dual(c, "t")


def test_weight_moments_are_the_true_partial_moments() -> None:
    """E[1/omega] E[omega v v^T] for a two-piece omega on Exp(1), against closed forms of the partial moments."""
    import math

    from proofs.exact.contraction_moments import weight_ball
    from proofs.exact.laws import working_precision
    from proofs.exact.routers_game import RoutersPoint

    pt = RoutersPoint(2, Fraction(3, 5), "exponential", Fraction(1), Fraction(2))
    with working_precision(128):
        r = weight_ball("exponential", Fraction(1), pt.bin_means(2), (Fraction(1), Fraction(3)))
    s = math.log(2)  # median
    lo1, lo2 = 1 - (s + 1) / 2, 2 - (s * s + 2 * s + 2) / 2  # E[X; X < s], E[X^2; X < s]
    inv = (1 + 1 / 3) / 2
    want = (inv * (1 + 3) / 2, inv * (lo1 + 3 * (1 - lo1)), inv * (lo2 + 3 * (2 - lo2)))
    for got, w in zip(r, want):
        assert abs(float(got.mid()) - w) < 1e-12


def test_non_psd_duals_are_rejected(cert: dict[str, Any]) -> None:
    low = Fraction(-(10**40))
    c = _claim(cert, low)
    c["dual"][1] = 2**100  # entry (0, 1) of Z far off: Z is not PSD
    with pytest.raises(CertificateError, match="moment dual Z is not positive semidefinite"):
        check_routers_continuum_dual(c, "t")
    c = _claim(cert, low)
    c["localizing"][0][0][1] = 2**100
    with pytest.raises(CertificateError, match="localizing dual of direction 0, router 0"):
        check_routers_continuum_dual(c, "t")
    c = _claim(cert, low)
    c["weighted_duals"][0][1][1] = 2**100
    with pytest.raises(CertificateError, match="weighted dual 0, router 1"):
        check_routers_continuum_dual(c, "t")


def test_residual_is_charged(cert: dict[str, Any]) -> None:
    """Moving an off-diagonal entry of Z changes only a non-identity sum: the claim must pay its residual."""
    b = check_routers_continuum_dual(cert, "t")
    c = copy.deepcopy(cert)
    c["dual"][1] += 2**44  # entry (1, O_0^0): residual grows by 2 * 2^44 / 2^52 = 2^-7
    with pytest.raises(CertificateError, match="exceeds what the dual proves"):
        check_routers_continuum_dual(_claim(c, b.value), "t")


def test_constant_C_nu_is_charged(cert: dict[str, Any]) -> None:
    from proofs.exact.routers_game import read_point

    b = check_routers_continuum_dual(cert, "t")
    G = b.details["correlator_bound"]
    C = read_point(cert["game"]).constant(b.details["nu"])
    assert b.details["proven"] == 1 - C - G and C != 0
    mid = (b.details["proven"] + 1 - G) / 2  # halfway to the value without C(nu)
    if C > 0:
        with pytest.raises(CertificateError, match="exceeds"):
            check_routers_continuum_dual(_claim(cert, mid), "t")
    else:
        check_routers_continuum_dual(_claim(cert, mid), "t")


@pytest.mark.parametrize(("field", "value", "match"), [
    ("side", "upper", "lower bound"),
    ("model", "classical", "'model' must be 'quantum'"),
    ("N", 8, "'N' must be null"),
    ("level", "1", "'level' must be one of"),
    ("nu", "-1", "'nu' must be >= 0"),
    ("dual", [1, 2], "upper triangle"),
    ("directions", [], "'directions' must list"),
    ("weights", [{"omega": ["0"], "R": ["1", "0", "1"]}], "every 'omega' must be > 0"),
    ("weighted_duals", [], "'weighted_duals' must list"),
    ("localizing", [], "'localizing' must list"),
])
def test_bad_fields_are_named(cert: dict[str, Any], field: str, value: Any, match: str) -> None:
    c = copy.deepcopy(cert)
    c[field] = value
    with pytest.raises((CertificateFormatError, CertificateError), match=match):
        check_routers_continuum_dual(c, "t")


def test_even_level_certificate_is_checked_against_its_own_structure() -> None:
    """Level 1+ab+even (lemma R9): accepted, a claim above the proven value rejected, and the same duals read at level 1+ab
    (a smaller weighted matrix) refused: the checker rebuilds the right block from the level, never from the producer."""
    from bounds.routers_continuum import continuum_relaxation

    c = continuum_relaxation(2, 0.6, 1.65, directions=4, weights=1, weight_bins=8, level="1+ab+even").certificate
    b = check_routers_continuum_dual(c, "t")
    assert b.side == "lower" and b.value <= Fraction(6350783318, 10**10)   # below the certified K = 2 quantum p_split
    with pytest.raises(CertificateError, match="exceeds what the dual proves"):
        check_routers_continuum_dual(_claim(c, b.details["proven"] + Fraction(1, 10**9)), "t")
    low = copy.deepcopy(c)
    low["level"] = "1+ab"
    with pytest.raises(CertificateFormatError, match="weighted_duals"):
        check_routers_continuum_dual(low, "t")
