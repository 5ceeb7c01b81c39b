"""``qcoord slots``: the table, the JSON body and the refusals."""

from __future__ import annotations

import json

import pytest

from proofs.cli.main import main


@pytest.mark.slow
def test_slots_text_and_json(capsys: pytest.CaptureFixture) -> None:
    argv = ["slots", "--lam", "0.5", "--W-limit", "1.5", "--tau", "1", "--h", "0.25"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "best classical" in out and "R_k(tau)" in out
    assert main([*argv, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["schema"] == "qcoord/slots"
    best = doc["best_classical"]["throughput"]
    fair = next(p for p in doc["arrival"] if p["family"] == "arrival fair coin")["throughput"]
    assert best >= fair   # route-on-arrival fair coins are a candidate
    for cls in ("ideal", "classical", "quantum"):
        pol = doc["slotted"]["1.0"][cls]
        assert pol["W_q"]["lower"] <= pol["W_q"]["upper"]
        if pol["feasible"]:
            assert 0.5 * (pol["W_q"]["lower"] + pol["W_q"]["upper"]) <= 1.5


def test_slots_refuses_unstable(capsys: pytest.CaptureFixture) -> None:
    assert main(["slots", "--lam", "1.0", "--W-limit", "2"]) == 2
    assert "`rho`" in capsys.readouterr().err


@pytest.mark.parametrize("lam, W_limit", [(0.3, 0.6), (0.6, 1.65)])
def test_slots_json_reports_the_long_window_limit(capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch, lam: float, W_limit: float) -> None:
    """Lemma T8 in the JSON: unbounded at 2 rho < 1 (null + unbounded + reason), the fluid closed form at 2 rho > 1."""
    import bounds.slots

    real = bounds.slots.compare_slots
    monkeypatch.setattr(bounds.slots, "compare_slots", lambda pt, taus, **kw: real(pt, taus, **{**kw, "windows": False}))
    assert main(["slots", "--lam", str(lam), "--W-limit", str(W_limit), "--tau", "1", "--h", "0.25", "--json"]) == 0
    wl = json.loads(capsys.readouterr().out)["window_limit"]
    W0 = lam / (1 - lam)  # M/M/1 at rate lam, mu = 1 (Pollaczek-Khinchine)
    if lam < 0.5:
        assert wl["regime"] == "mixture" and wl["unbounded"] is True and wl["throughput"] is None and "2 rho" in wl["reason"]
        # f* = (W_l - W_0) / (W_b - W_0), W_b the M/M/1 wait at rate 2 lam
        assert wl["param"] == pytest.approx((W_limit - W0) / (2 * lam / (1 - 2 * lam) - W0), rel=1e-12)
        assert all(v in (0.0, None) for v in wl["slotted_quantum_over_limit"].values())
    else:
        tb0 = (1 - lam) * 2 / lam  # fair coins: (1 - rho) Gamma(3) / lam
        assert wl["regime"] == "fluid" and wl["unbounded"] is False
        assert wl["throughput"] == pytest.approx(tb0 + 2 * (1 - lam) * (W_limit - W0) / (2 * lam - 1), rel=1e-12)
        assert wl["W_q"] == pytest.approx(W_limit, rel=1e-12)


@pytest.mark.slow
def test_slots_certify_h_reports_certified_feasibility(capsys: pytest.CaptureFixture, tmp_path) -> None:
    """``--certify-h``: a checked W_q <= W_l certificate per feasible class, or always split's checked lower bound (tau = 2)."""
    from proofs.checkers.registry import check_certificate

    argv = ["slots", "--lam", "0.5", "--W-limit", "1.45", "--tau", "0.5,2", "--h", "0.125", "--certify-h", "0.0625", "--cert-dir",
            str(tmp_path), "--json"]
    assert main(argv) == 0
    doc = json.loads(capsys.readouterr().out)
    import jsonschema

    from proofs.cli.schema import load_schema

    jsonschema.Draft202012Validator(load_schema("slots")).validate(doc)
    rows = {r["tau"]: r for r in doc["certified_feasibility"]}
    assert rows[2.0]["infeasible"]["no_slot_rule_meets_W_limit"] and rows[2.0]["infeasible"]["W_q_lower_always_split"] > 1.45
    certified = [c for c in rows[0.5]["classes"].values() if c["certified"]]
    assert certified and all(c["W_q_upper"] == 1.45 and c["W_q_enclosure_upper"] <= 1.45 for c in certified)
    for c in certified:  # the files alone prove W_q <= 29/20
        assert float(check_certificate(c["certificate"])) == 1.45 and c["certificate"] in doc["certificates"]


def test_slots_unequal_streams_reach_the_point(capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:
    """``--lam-b``: router B's own rate; the load and the fair-coin wait depend on the mean rate (each server sees a Poisson
    stream of rate (lam_a + lam_b)/2 under fair coins: M/M/1), and so does the long-window limit of lemma T8."""
    import bounds.slots

    real = bounds.slots.compare_slots
    monkeypatch.setattr(bounds.slots, "compare_slots", lambda pt, taus, **kw: real(pt, taus, **{**kw, "windows": False}))
    assert main(["slots", "--lam", "0.5", "--lam-b", "0.7", "--W-limit", "1.65", "--tau", "1", "--h", "0.25", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    lam = (0.5 + 0.7) / 2
    assert out["point"]["lam_a"] == 0.5 and out["point"]["lam_b"] == 0.7
    assert out["point"]["rho"] == pytest.approx(lam, rel=1e-12)
    assert out["point"]["W_arrival"] == pytest.approx(lam / (1 - lam), rel=1e-12)
    tb0 = (1 - lam) * 2 / lam  # fair coins: (1 - rho) Gamma(3) / lam, as in the equal-rate test above
    assert out["window_limit"]["throughput"] == pytest.approx(tb0 + 2 * (1 - lam) * (1.65 - lam / (1 - lam)) / (2 * lam - 1), rel=1e-12)
