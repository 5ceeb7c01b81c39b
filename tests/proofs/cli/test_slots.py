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
