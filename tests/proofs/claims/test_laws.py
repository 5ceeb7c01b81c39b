"""The other-laws claim (Sec. 5 conjecture): status decided by certified gaps."""

import pytest

from proofs.claims.claim import run_claim
from proofs.claims.registry import CLAIMS


@pytest.mark.slow
def test_other_laws_claim_quick(tmp_path):
    claim = next(c for c in CLAIMS if c.id == "other-laws")
    res, _ = run_claim(claim, quick=True, cert_dir=tmp_path)
    assert res.status == "proved", res.evidence
    rows = res.data["rows"]
    assert len(rows) == 13
    assert all(r["at_t_star"]["continuum_gap"] > 0 for r in rows)
