"""Claim checks for the formulas: statuses and the evidence they carry."""

import pytest

from proofs.claims import analytic as ca
from proofs.claims.registry import CLAIMS


@pytest.mark.parametrize("fn", [ca.check_eq3_4, ca.check_condition, ca.check_superlinear, ca.check_monomial, ca.check_eq8])
def test_derivation_claims_proved(fn, tmp_path):
    res = fn(quick=True, cert_dir=tmp_path)
    assert res.status == "proved"
    assert "proofs/records/" in res.evidence


def test_tb_formula_with_simulation(tmp_path):
    res = ca.check_tb_formula(quick=True, cert_dir=tmp_path)
    assert res.status == "proved"
    rows = res.data["simulation"]
    assert len(rows) == 3 and all(r["inside_99ci"] for r in rows)


def test_thm4_1_refuted_with_numbers(tmp_path):
    res = ca.check_thm4_1(quick=True, cert_dir=tmp_path)
    assert res.status == "refuted"
    # every grid point: sum threshold waits at least as long as the optimum, strictly for p < 0.9
    for e in res.data["random"] + res.data["shorter_first"]:
        assert e["wq_sum_threshold"] >= e["wq_optimal"] - 1e-12
    assert max(e["relative_excess"] for e in res.data["random"]) > 0.01
    gap = res.data["simulated_gap"]
    assert gap["ci"][0] > 0 and gap["ci"][0] <= gap["formula"] <= gap["ci"][1]
    assert all(q["p_split_optimal"] < q["p_split_sum_threshold"] for q in res.data["qos"])


def test_claims_wired():
    wired = {c.id: c.check for c in CLAIMS if c.check is not None and c.check.__module__ == ca.__name__}
    assert set(wired) == {"eq3-4", "thm4.1", "tb-formula", "condition", "superlinear", "monomial", "eq8"}
    assert all(callable(fn) for fn in wired.values())


@pytest.mark.slow
def test_full_checks(tmp_path):
    # full grids: 5 x 5 (rho, p_split) excess table and 3 simulation points x 3 rules
    assert ca.check_thm4_1(quick=False, cert_dir=tmp_path).status == "refuted"
    res = ca.check_tb_formula(quick=False, cert_dir=tmp_path)
    assert res.status == "proved" and len(res.data["simulation"]) == 9
