"""Test of the claim check ``resources`` (Sec. 5)."""

from __future__ import annotations

from proofs.checkers.registry import check_certificate
from proofs.claims.noise import check_resources


def test_resources_claim_is_partly_true_with_a_certified_threshold(tmp_path) -> None:
    r = check_resources(quick=True, cert_dir=tmp_path)
    assert r.status == "partly"
    lo, hi = r.data["v_threshold"]
    assert 0.68 <= lo <= hi <= 0.81  # cited local model below, certified strategy above
    assert r.data["value_at_v_upper"] > r.data["classical_upper"]
    assert check_certificate(r.data["certificates"]["advantage"]).side == "lower"
