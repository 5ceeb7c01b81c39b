"""Tests of the slot-queue-bracket producer: files written, re-verified, and the checked bracket around an independent oracle."""

from __future__ import annotations

from fractions import Fraction

import pytest

from bounds.slot_work import RankRule, SumThresholdRule
from bounds.slots import slot_point
from proofs.certify.slots import certify_policy, slot_certificate
from proofs.checkers.registry import check_certificate
from proofs.exact.errors import CertificateError, ProofsParameterError
from tests.fuzz.oracles import slotted_wq_constant


def test_certify_policy_writes_checked_lower_and_upper_certificates(tmp_path) -> None:
    pt = slot_point(0.5, 3.0, h=0.125)
    cw = certify_policy(pt, 0.5, RankRule.constant(0.0), "classical", tmp_path)
    assert len(cw.paths) == 2 and all(p.endswith(".json") for p in cw.paths)
    lo, hi = slotted_wq_constant(0.5, 0.5, ("exponential", 1.0), 0.5, 0.5, cell=0.05)
    assert float(cw.lower) <= 0.5 * (lo + hi) <= float(cw.upper)
    for path in cw.paths:  # re-verified from the files alone
        b = check_certificate(path)
        assert b.target.quantity == "W_q" and b.target.game["lam_a"] == "1/2"


def test_the_claim_is_the_checkers_enclosure_rounded_outward() -> None:
    pt = slot_point(0.5, 3.0, h=0.125)
    c = slot_certificate(pt, 0.5, RankRule.constant(1.0), "classical", "upper")
    check_certificate(c)
    tighter = dict(c, bound=str(Fraction(c["bound"]) * Fraction(999_999, 1_000_000)))
    with pytest.raises(CertificateError):
        check_certificate(tighter)


def test_ideal_rule_and_unsupported_law() -> None:
    from analytic.laws.service import ServiceLaw

    pt = slot_point(0.5, 3.0, h=0.125)
    cw = certify_policy(pt, 0.5, SumThresholdRule(1.0), "ideal")
    assert float(cw.lower) < float(cw.upper)
    pt_u = slot_point(0.5, 3.0, law=ServiceLaw.named("uniform"), h=0.125)
    with pytest.raises(ProofsParameterError, match="exponential or hyperexponential"):
        slot_certificate(pt_u, 0.5, RankRule.constant(0.0), "classical", "upper")
