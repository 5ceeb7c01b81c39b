"""Differential fuzz of ``qcoord check``'s certified records of a certificate's *part* (report folder, lemma T5 (c)).

A report folder holds the genuine ``slot-queue-bracket`` certificate of a
random constant slot rule with its ``E[T_B]`` claims (:func:`tests.fuzz.kinds.fuzz_slot_queue_bracket`)
and claims.json records of the part ``"throughput"``.  The truth bracket of
``E[T_B]`` comes from the independent oracle (:func:`tests.fuzz.oracles.slotted_tb_constant`),
never from a checker.  A record beyond the truth by a random ``eps`` (a lower
bound above its upper end, an upper bound below its lower end) must make its
claim inconsistent, both when it only rewrites the record and when the
certificate's claim is forged to match (the certificate is then invalid);
the producer's own records must be consistent and inside the truth.
"""

from __future__ import annotations

import copy
import json
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from proofs.checkers.report_folder import check_folder, safe_float
from tests.fuzz.kinds import Skip, fuzz_slot_queue_bracket
from tests.fuzz.oracles import OracleError
from tests.fuzz.runner import case_seed


def _case(space: str, i: int):  # noqa: ANN202
    for j in range(i, i + 10):
        try:
            return fuzz_slot_queue_bracket(np.random.default_rng(case_seed(0, "report-part", space, j)), space)
        except (Skip, OracleError):
            continue
    pytest.fail(f"no case for {space} in 10 attempts")


def _record(cert_rel: str, bound, side: str, exact: Fraction | None = None) -> dict:  # noqa: ANN001
    q = bound.value if exact is None else exact
    return {"value": safe_float(q, side), "kind": "certified", "side": side, "exact": f"{q.numerator}/{q.denominator}",
            "certificate": cert_rel, "target": bound.target.to_json(), "part": "throughput"}


@pytest.mark.parametrize("space", ["exponential", "hyperexponential"])
def test_part_records_beyond_the_truth_are_refused(tmp_path: Path, space: str) -> None:
    from proofs.checkers.registry import check_certificate

    case = _case(space, 0)
    genuine = next(c for c in case.checks if c.label == "genuine E[T_B] lower")
    lo_true, hi_true = genuine.truth
    rng = np.random.default_rng(case_seed(1, "report-part", space, 0))
    rel, forged_rel = "certificates/slot.json", "certificates/forged.json"
    (tmp_path / "certificates").mkdir()
    (tmp_path / rel).write_text(json.dumps(genuine.cert))
    tb = check_certificate(tmp_path / rel, rel).details["throughput"]
    # the producer's records: consistent, and inside the oracle's truth
    claims = [{"id": "genuine", "status": "answered", "result": {"target": "E[T_B]", "lower": _record(rel, tb["lower"], "lower"),
                                                                 "upper": _record(rel, tb["upper"], "upper")}}]
    assert float(tb["lower"].value) <= hi_true and float(tb["upper"].value) >= lo_true
    forged_ids = []
    for n in range(3):
        eps = float(10 ** rng.uniform(-4, -1))
        for side, claim in (("lower", hi_true + eps), ("upper", lo_true - eps)):
            q = Fraction(claim)
            cid = f"record {side} {n} eps {eps:.3g}"
            claims.append({"id": cid, "status": "answered", "result": {"target": "E[T_B]", side: _record(rel, tb[side], side, q)}})
            forged_ids.append(cid)
    # the certificate's E[T_B] claim forged to the truth + eps, and a record stating it
    eps = float(10 ** rng.uniform(-4, -1))
    forged = copy.deepcopy(genuine.cert)
    q = Fraction(hi_true + eps)
    forged["throughput"]["lower"] = f"{q.numerator}/{q.denominator}"
    (tmp_path / forged_rel).write_text(json.dumps(forged))
    claims.append({"id": "forged certificate", "status": "answered",
                   "result": {"target": "E[T_B]", "lower": _record(forged_rel, tb["lower"], "lower", q)}})
    forged_ids.append("forged certificate")
    (tmp_path / "claims.json").write_text(json.dumps({"version": 2, "claims": claims}))
    r = check_folder(tmp_path)
    verdicts = {c.id: c for c in r.claims}
    assert verdicts["genuine"].consistent and verdicts["genuine"].certified_numbers == 2, verdicts["genuine"].problems
    assert all(not verdicts[cid].consistent for cid in forged_ids), [cid for cid in forged_ids if verdicts[cid].consistent]
    assert {v.path: v.status for v in r.certificates} == {rel: "valid", forged_rel: "invalid"}
    assert r.exit_code == 1
