"""The npa-multiparty-dual checker (lemma N1): genuine duals accepted, every margin needed, forgeries rejected.

The certificates here are built by hand from closed forms (CHSH's optimal dual), not by the solver.
"""

from __future__ import annotations

import copy
from fractions import Fraction
from typing import Any

import pytest

from proofs.checkers.multiparty import KIND, check_npa_multiparty_dual
from proofs.checkers.registry import check_certificate
from proofs.exact.certificate import new_certificate
from proofs.exact.correlator_game import CorrelatorDescription
from proofs.exact.errors import CertificateError, CertificateFormatError


def _cert(terms: dict[tuple[int, ...], list[Fraction]], const: Fraction, dual_upper: list[int], e: int, bound: Fraction, *,
          K: int = 2, N: int = 1, level: str = "1") -> dict[str, Any]:
    from proofs.exact.correlator_game import integer_form

    den, c, ints = integer_form(terms, const)
    desc = CorrelatorDescription.from_integers(K, N, den, c, ints, "value")
    return new_certificate(KIND, desc.describe(), N, "upper", bound, level=level, denominator=den, constant=c,
                           terms=[{"players": list(S), "weights": w} for S, w in sorted(ints.items())], dual_exponent=e, dual=dual_upper)


def _single() -> dict[str, Any]:
    """K = 2, N = 1, value 1/2 + 1/2 <A B>; Z = [[0, 0, 0], [0, 1/4, -1/4], [0, -1/4, 1/4]] proves 1 (tight)."""
    return _cert({(0, 1): [Fraction(1, 2)]}, Fraction(1, 2), [0, 0, 0, 1, -1, 1], 2, Fraction(1))


def test_genuine_single_cell_is_tight() -> None:
    b = check_certificate(_single())
    assert b.value == 1 and b.side == "upper" and b.details["residual"] == 0
    assert b.target.value_range == (Fraction(0), Fraction(1)) and b.trivial  # 1 is the end of the value range


def test_claim_below_the_proven_value_is_rejected() -> None:
    c = _single()
    c["bound"] = "999999/1000000"
    with pytest.raises(CertificateError, match="below what the dual proves"):
        check_npa_multiparty_dual(c, "forged")


def test_unbalanced_dual_pays_the_residual() -> None:
    """Z = 0 (PSD) ignores the moment constraint: only the residual |s_m + c_m| = 1/2 keeps the bound true (>= 1)."""
    c = _cert({(0, 1): [Fraction(1, 2)]}, Fraction(1, 2), [0, 0, 0, 0, 0, 0], 2, Fraction(1, 2))
    with pytest.raises(CertificateError, match="below what the dual proves"):
        check_npa_multiparty_dual(c, "forged")
    c["bound"] = "1/1"
    assert check_npa_multiparty_dual(c, "ok").details["residual"] == Fraction(1, 2)


def test_unweighted_moments_pay_the_residual() -> None:
    """A dual entry on a moment the game does not weigh (the marginal <A>) with no partner: its sum counts."""
    # Z = [[1/4, -1/4, 0], [-1/4, 1/4, -1/4], [0, -1/4, 1/4]]: PSD? eigenvalues 1/4 (1 - sqrt 2) < 0, so use a PSD variant:
    # Z = [[1/2, -1/4, 0], [-1/4, 1/2, -1/4], [0, -1/4, 1/4]] (diagonally dominant); s_<A> = -1/2, s_<AB> = -1/2 (balanced)
    c = _cert({(0, 1): [Fraction(1, 2)]}, Fraction(1, 2), [2, -1, 0, 2, -1, 1], 2, Fraction(7, 4))
    with pytest.raises(CertificateError, match="below what the dual proves"):
        check_npa_multiparty_dual(c, "forged")  # 1/2 + tr Z = 7/4 without the unweighted residual 1/2
    c["bound"] = "9/4"
    assert check_npa_multiparty_dual(c, "ok").details["residual"] == Fraction(1, 2)


def test_non_psd_dual_is_rejected_exact_and_verified() -> None:
    c = _cert({(0, 1): [Fraction(1, 2)]}, Fraction(1, 2), [0, 0, 0, 1, -1, 0], 2, Fraction(1))
    with pytest.raises(CertificateError, match="positive semidefinite"):
        check_npa_multiparty_dual(c, "forged")  # the proven value 3/4 is below the true value 1: PSD must fail
    # the verified-Cholesky route (side > 24): K = 2, N = 12 at level 1 (side 25), a block of CHSH-like weight on cell (0, 0)
    n, N = 25, 12
    terms = {(0, 1): [Fraction(1, 2) if i == 0 else Fraction(0) for i in range(N * N)]}
    z = [[0] * n for _ in range(n)]
    a, b = 1, 1 + N  # A_0 and B_0
    z[a][a] = z[b][b] = 1
    z[a][b] = z[b][a] = -1
    good = _cert(terms, Fraction(1, 2), [z[i][j] for i in range(n) for j in range(i, n)], 2, Fraction(1), N=N)
    with pytest.raises(CertificateError, match="positive semidefinite"):
        check_npa_multiparty_dual(good, "singular")  # exactly PSD but singular: the verified test needs a margin
    for i in range(n):
        z[i][i] = 1
    z[a][a] = z[b][b] = 2  # Z = I/4 with 1/4 [[2, -1], [-1, 2]] on (A_0, B_0): positive definite, tr Z = 27/4
    ok = _cert(terms, Fraction(1, 2), [z[i][j] for i in range(n) for j in range(i, n)], 2, Fraction(29, 4), N=N)
    assert check_npa_multiparty_dual(ok, "ok").details["psd_method"] == "verified-cholesky"
    z[a][b] = z[b][a] = -3
    z[a][a] = z[b][b] = 2
    z[0][a] = z[a][0] = 1  # unweighted marginal, sums to 1/2: residual
    bad = _cert(terms, Fraction(1, 2), [z[i][j] for i in range(n) for j in range(i, n)], 2, Fraction(10), N=N)
    with pytest.raises(CertificateError, match="positive semidefinite"):
        check_npa_multiparty_dual(bad, "not psd")  # [[2, -3], [-3, 2]] / 4 is indefinite


def test_format_errors() -> None:
    c = _single()
    big = copy.deepcopy(c)
    big["dual"][3] = 2**53
    with pytest.raises(CertificateFormatError, match="2\\^53"):
        check_npa_multiparty_dual(big, "big")
    lvl = copy.deepcopy(c)
    lvl["level"] = "2"
    with pytest.raises(CertificateFormatError, match="level"):
        check_npa_multiparty_dual(lvl, "lvl")
    tam = copy.deepcopy(c)
    tam["terms"][0]["weights"] = [3]
    with pytest.raises(CertificateError, match="sha256"):
        check_npa_multiparty_dual(tam, "tampered")
    three = _cert({(0, 1, 2): [Fraction(1, 2)]}, Fraction(0), [0] * 10, 0, Fraction(1), K=3)
    with pytest.raises(CertificateFormatError, match="not a moment of NPA level 1"):
        check_npa_multiparty_dual(three, "three-body")
    short = copy.deepcopy(c)
    short["dual"] = short["dual"][:-1]
    with pytest.raises(CertificateFormatError, match="'dual'"):
        check_npa_multiparty_dual(short, "short")
