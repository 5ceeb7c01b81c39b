"""Margins of :mod:`proofs.checkers.system_strategy`: forged certificates the checker must refuse."""

from __future__ import annotations

import copy
from fractions import Fraction

import pytest

from bounds.system import operating_point, solve_class
from bounds.system_certificates import strategy_certificate
from proofs.checkers.registry import check_certificate
from proofs.exact.errors import CertificateError


@pytest.mark.parametrize("visibility", ["99/100", "0"])
def test_strategy_visibility_scales_the_planar_correlations(visibility: str) -> None:
    # the planar pairs of a tight quantum strategy (bracket width < 1e-8) measured on pairs of visibility v < 1 correlate v times as
    # much (the Werner correlator); the same mixture then misses its claim or the limit: the checker must use v, not 1
    pt = operating_point(0.6, 1.65)
    cert = strategy_certificate(pt, solve_class(pt, "quantum"))
    assert any("p0" in c["a"] for c in cert["components"])  # it has a planar (entangled) pair
    ok = check_certificate(cert)
    assert ok.target.player_model == "quantum"
    forged = copy.deepcopy(cert)
    forged["visibility"] = visibility
    with pytest.raises(CertificateError, match="W_limit|below the strategy"):
        check_certificate(forged)
    assert Fraction(visibility) < 1
