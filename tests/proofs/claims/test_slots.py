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


@pytest.mark.slow
def test_timeslotting_claim_certifies_the_feasible_slotted_rules(tmp_path):
    from proofs.checkers.registry import check_certificate

    claim = next(c for c in CLAIMS if c.id == "timeslotting")
    res, _ = run_claim(claim, quick=True, cert_dir=tmp_path)
    wq = [f for f in res.findings if f.target.startswith("W_q of the slotted")]
    assert wq and all(f.lower is not None and f.upper is not None and f.lower <= f.upper for f in wq)
    files = sorted(tmp_path.glob("slot-queue-bracket*.json"))
    assert len(files) == 2 * len(wq)
    assert all(check_certificate(p).target.quantity == "W_q" for p in files)
