"""Tests of the ``qcoord game`` quantum extension (JSON keys, certificates, shared --continuum flag)."""

from __future__ import annotations

import argparse
import json

import pytest

from proofs.check import check_certificate
from proofs.cli import main
from proofs.commands import game_quantum_bounds


def test_json_keys(tmp_path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("QCOORD_CERT_DIR", str(tmp_path))
    assert main(["game", "--C", "0.33", "--N", "24", "--json", "--continuum"]) == 0
    out = json.loads(capsys.readouterr().out)
    q = out["quantum"]
    assert "ansatz_linear" in q and "ansatz_quadratic" in q  # the existing ansatz keys are kept
    assert q["lower"] <= q["upper"] and q["rank"] == 2
    assert check_certificate(q["certificate"]).side == "upper"
    cq = out["continuum"]["quantum"]
    assert cq["lower"] == q["lower"] and cq["upper"] >= q["upper"]
    # the certified optimum is above the ansatz estimates (they are strategies of the same game)
    assert q["upper"] >= q["ansatz_linear"]["value"]


def test_text_output(tmp_path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("QCOORD_CERT_DIR", str(tmp_path))
    assert main(["game", "--game", "linear", "--N", "8", "--anatomy-plot", str(tmp_path / "a.png")]) == 0
    text = capsys.readouterr().out
    assert "quantum value, N = 8" in text and "Gram rank 2" in text
    assert (tmp_path / "a.png").exists()


def test_continuum_flag_added_once() -> None:
    # a parser that already has --continuum (from the classical extension) is left alone
    p = argparse.ArgumentParser()
    p.add_argument("--continuum", action="store_true")
    game_quantum_bounds.add_arguments(p)
    assert sum(a.dest == "continuum" for a in p._actions) == 1
    p2 = argparse.ArgumentParser()
    game_quantum_bounds.add_arguments(p2)
    assert p2.parse_args(["--continuum"]).continuum is True
