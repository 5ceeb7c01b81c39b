"""Tests of ``qcoord noise``."""

from __future__ import annotations

import json

import pytest

from proofs.cli.main import main
from proofs.cli.noise import parse_visibilities

SMALL = ["noise", "--N", "16", "--bins", "20", "--v", "0,0.9,1", "--resolution", "100", "--skip-system"]


def test_json_output(capsys, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("QCOORD_CERT_DIR", str(tmp_path))
    plot = tmp_path / "n.png"
    assert main(SMALL + ["--json", "--plot", str(plot)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert set(out) >= {"C", "N", "continuum", "threshold", "rows", "certificates", "system"}
    assert [r["v"] for r in out["rows"]] == [0.0, 0.9, 1.0]
    assert out["threshold"]["v"]["lower"] <= out["threshold"]["v"]["upper"]
    assert plot.exists() and plot.stat().st_size > 0


def test_table_output_with_sweep(capsys, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setenv("QCOORD_CERT_DIR", str(tmp_path))
    assert main(SMALL + ["--sweep", "0.7"]) == 0
    text = capsys.readouterr().out
    assert "threshold v*" in text and "F*" in text
    assert "threshold across C" in text and "none" in text  # no advantage at C = 0.7


@pytest.mark.parametrize("argv", [["--v", "1.5"], ["--v", "nan"], ["--v", "0.5,-1"], ["--v", "abc"], ["--C", "1.2"], ["--N", "0"], ["--sweep", "0.3,1"], ["--f", "0.5,nan"], ["--W-limit", "-1"], ["--k", "nan"]])
def test_bad_input_exits_2_with_one_line(capsys, argv) -> None:  # noqa: ANN001
    assert main(["noise"] + argv) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("qcoord noise: error:") and "\n" not in err


def test_system_section(capsys, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    pytest.importorskip("bounds.system")
    monkeypatch.setenv("QCOORD_CERT_DIR", str(tmp_path))
    plot = tmp_path / "supply.png"
    argv = [a for a in SMALL if a != "--skip-system"] + ["--json", "--f", "0,1", "--supply-plot", str(plot)]
    assert main(argv) == 0
    s = json.loads(capsys.readouterr().out)["system"]
    assert s["status"] == "estimates"
    by = {(r["v"], r["f"]): r["R_k"][0]["estimate"] for r in s["supply"]}
    assert by[(0.0, 1.0)] == 1.0 and by[(1.0, 0.0)] == 1.0 and by[(1.0, 1.0)] > 1.0  # no pairs or no entanglement: no gain
    assert s["thresholds"]["R_k=1"]["v"] < s["thresholds"]["R_k=1.01"]["v"] < 1
    assert plot.exists()


def test_parse_visibilities() -> None:
    assert parse_visibilities("1") == [1.0]
