"""The timeslotting claim (Sec. 3 and 5 conjecture): decided by slotted quantum vs the best classical policy (estimates)."""

import pytest

from proofs.claims.claim import run_claim
from proofs.claims.registry import CLAIMS


@pytest.mark.slow
def test_timeslotting_claim_quick(tmp_path):
    claim = next(c for c in CLAIMS if c.id == "timeslotting")
    res, _ = run_claim(claim, quick=True, cert_dir=tmp_path)
    assert res.status in ("partly", "refuted", "reproduced"), res.evidence
    pt = res.data["points"][0]
    # route-on-arrival fair coins are always among the classical candidates: the best classical policy is at least as good
    fair = next(p for p in pt["arrival"] if p["family"] == "arrival fair coin")
    assert pt["best_classical"]["throughput"] >= fair["throughput"]
    ratios = [f for f in res.findings if "slotted quantum" in f.target]
    assert ratios and all(f.estimate is not None for f in ratios)
