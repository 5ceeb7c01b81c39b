"""Tests of the ``qcoord game`` quantum extension (JSON keys, certificates, the angle plot)."""

from __future__ import annotations

import json

import pytest

from proofs.checkers.registry import check_certificate
from proofs.cli.main import main


def test_json_keys(tmp_path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("QCOORD_CERT_DIR", str(tmp_path))
    assert main(["game", "--C", "0.33", "--N", "24", "--json", "--continuum"]) == 0
    out = json.loads(capsys.readouterr().out)
    q = out["quantum"]
    assert "ansatz_linear" in out["estimates"] and "ansatz_quadratic" in out["estimates"]
    assert q["lower"] <= q["upper"] and q["rank"] == 2
    assert check_certificate(q["certificate"]["upper"]).side == "upper"
    cq = out["continuum"]["quantum"]
    assert cq["lower"] == q["lower"] and cq["upper"] >= q["upper"]
    q6 = out["continuum"]["quantum_second_order"]  # lemma Q6 from the same solve: same lower bound, a tighter upper one
    assert q6["lower"] == cq["lower"] and q["upper"] < q6["upper"] < cq["upper"] and q6["N"] == 24
    assert check_certificate(q6["certificate"]["upper"]).target.n is None and q6["certificate"]["upper"] in out["certificates"]
    # the certified optimum is above the ansatz estimates (they are strategies of the same game)
    assert q["upper"] >= out["estimates"]["ansatz_linear"]["value"]


def test_text_output(tmp_path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("QCOORD_CERT_DIR", str(tmp_path))
    assert main(["game", "--game", "linear", "--N", "8", "--plot", str(tmp_path / "a.png")]) == 0
    text = capsys.readouterr().out
    assert "quantum value, N = 8" in text and "Gram rank 2" in text
    assert (tmp_path / "a.png").exists() and f"angle plot {tmp_path / 'a.png'}" in text


def test_text_output_continuum_lemma_q6(tmp_path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("QCOORD_CERT_DIR", str(tmp_path))
    assert main(["game", "--game", "linear", "--N", "12", "--continuum"]) == 0
    text = capsys.readouterr().out
    assert "certified (crossed-cell relaxation)" in text and "certified (second-order dual, lemma Q6)" in text
    assert main(["game", "--game", "linear", "--N", "2", "--continuum", "--json"]) == 0  # too coarse: reported as null, no failure
    assert json.loads(capsys.readouterr().out)["continuum"]["quantum_second_order"] is None
