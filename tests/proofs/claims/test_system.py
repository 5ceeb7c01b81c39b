"""Tests of proofs.claims.system: the two claims run and their statuses follow the certified brackets."""

from __future__ import annotations

from proofs.claims.registry import CLAIMS
from proofs.claims.system import check_eq7, check_split_ordering


def test_claims_registered() -> None:
    ids = {c.id: c.check for c in CLAIMS}
    assert ids["split-ordering"] is check_split_ordering
    assert ids["eq7"] is check_eq7


def test_eq7_status_from_certificates(tmp_path) -> None:
    r = check_eq7(quick=True, cert_dir=tmp_path)
    assert r.status == "proved"
    rk = r.data["R_k_lower"]
    assert 1 < rk[2] < rk[3] < rk[5]
    ex = r.data["exact"]["certified"]
    assert ex["quantum_p_split_upper"] < ex["classical_p_split_lower"]
