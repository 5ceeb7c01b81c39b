"""Continuum classical bounds by crossed-cell relaxation (lemma C3) and lifted step strategies."""

from fractions import Fraction

import pytest

from bounds.classical_exact import exact_classical
from games import linear_boundary_game, paper_game
from proofs.checkers.registry import check_certificate
from proofs.exact.errors import CertificateError, CertificateFormatError


def _relaxed(game, n):
    sol = exact_classical(game, n)
    up = {**sol.certificates["upper"], "kind": "classical-bnb-relaxed", "N": None, "bound": "1"}
    b = check_certificate(up)
    return sol, up, b


def test_relaxed_upper_bounds_the_known_continuum_value():
    # the linear game's continuum classical value is 3/4 (Aharon et al.); the paper game's is 0.76164... (README)
    _, _, b = _relaxed(linear_boundary_game(), 32)
    assert b.target.n is None and b.details["proven"] >= Fraction(3, 4)
    _, _, b2 = _relaxed(paper_game(0.33), 64)
    assert float(b2.details["proven"]) >= 0.7616464


def test_slack_is_needed():
    # without the slack the N-bin optimum would be claimed as a continuum upper bound; for the paper game the
    # N = 16 optimum lies below the continuum value 0.76164..., so the slack term is what makes the bound true
    sol, up, b = _relaxed(paper_game(0.33), 16)
    assert float(sol.upper_win) < 0.7616464 <= float(b.details["proven"])
    claim = {**up, "bound": f"{sol.upper_win.numerator}/{sol.upper_win.denominator}"}
    with pytest.raises(CertificateError, match="below what the relaxation proves"):
        check_certificate(claim)


def test_n_bin_target_is_refused():
    # the relaxed kind bounds the continuum only; an N-bin target is a format error
    sol = exact_classical(linear_boundary_game(), 4)
    with pytest.raises(CertificateFormatError):
        check_certificate({**sol.certificates["upper"], "kind": "classical-bnb-relaxed", "bound": "1"})
    with pytest.raises(CertificateFormatError):
        check_certificate({**sol.certificates["upper"], "kind": "classical-bnb-relaxed", "N": None, "bins": "x", "bound": "1"})
