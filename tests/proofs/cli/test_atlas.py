"""``qcoord atlas``: bad grids refused before any work, grid files, JSON quiet, a killed run resumed."""

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from proofs.cli.main import main

ROOT = Path(__file__).resolve().parents[3]
#: a grid whose one point fails at once (f = 0.005 is in (0, 1) but below the resolvable 0.01): the run records it
FAILING = ["--rho", "0.6", "--W-fraction", "0.005", "--k", "3"]


def _run(capsys, argv):
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.mark.parametrize("argv, needle", [
    (["--rho", ""], "`--rho` is empty"),
    (["--W-fraction", ""], "`--W-fraction` is empty"),
    (["--law", ""], "`--law` is empty"),
    (["--rho", "1"], "`--rho` must lie in [0.01, 0.999]"),
    (["--rho", "0.5,1.2"], "`--rho`"),
    (["--rho", "nan"], "`--rho`"),
    (["--W-fraction", "0"], "`--W-fraction` must lie in (0, 1)"),
    (["--W-fraction", "0.2,1"], "`--W-fraction`"),
    (["--W-fraction", "1.5"], "`--W-fraction`"),
    (["--law", "exponential,nosuch"], "`--law`"),
    (["--law", "lomax:2"], "infinite variance"),
    (["--v", "1.5"], "`--v`"),
    (["--v", "0.9", "--law", "gamma:2"], "exponential law only"),
    (["--k", "0.5"], "`--k`"),
    (["--k", "50.000001"], "`--k`"),  # the shared range of --k, [1, 50]
    (["--workers", "0"], "`--workers`"),
    (["--dask", "tcp://127.0.0.1:1"], "cannot reach the Dask scheduler"),
])
def test_bad_grids_end_in_one_line_before_any_work(capsys, tmp_path, monkeypatch, argv, needle):
    monkeypatch.setenv("QCOORD_DASK_TIMEOUT", "1")
    out = tmp_path / "atlas"
    code, stdout, err = _run(capsys, ["atlas", *argv, "--out", str(out)])
    assert code == 2 and stdout == ""
    assert err.count("\n") == 1 and "Traceback" not in err and needle in err, err
    assert not out.exists()


@pytest.mark.parametrize("name, text, needle", [
    ("g.toml", "rho = [0.6\n", "not valid TOML"),
    ("g.json", "{\"rho\": [0.6]", "not valid JSON"),
    ("g.json", "[0.6]", "table of axes"),
    ("g.toml", "rho = [0.6]\nmu = [1]\n", "unknown grid axis 'mu'"),
    ("g.toml", "rho = []\n", "`rho (in "),
    ("g.yaml", "rho: [0.6]\n", ".toml or .json"),
])
def test_bad_grid_files(capsys, tmp_path, name, text, needle):
    path = tmp_path / name
    path.write_text(text)
    code, _, err = _run(capsys, ["atlas", "--grid", str(path), "--out", str(tmp_path / "atlas")])
    assert code == 2 and err.count("\n") == 1 and needle in err, err
    assert not (tmp_path / "atlas").exists()


def test_grid_file_with_command_line_override_and_quiet_json(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("QCOORD_PROGRESS", "1")  # the bar would show; --json silences it
    grid = tmp_path / "grid.toml"
    grid.write_text('rho = [0.6, 0.3]\nW_fraction = 0.005\nlaw = ["exponential"]\nv = [1.0]\nk = [2, 3]\n')
    code, out, err = _run(capsys, ["atlas", "--grid", str(grid), "--rho", "0.6", "--out", str(tmp_path / "a"), "--no-plot", "--json"])
    assert code == 0 and err == ""
    data = json.loads(out)
    assert data["grid"]["rho"] == [0.6] and data["grid"]["k"] == [2.0, 3.0]
    assert (data["points"], data["rows"], data["computed"], data["failed"]) == (1, 2, 1, 1)
    assert data["status"] == {"failed": 1} and "at least 0.01" in data["failures"][0]["reason"]
    with open(data["csv"]) as fh:
        assert [r["status"] for r in csv.DictReader(fh)] == ["failed", "failed"]


def test_text_output_and_progress(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("QCOORD_PROGRESS", "1")
    code, out, err = _run(capsys, ["atlas", *FAILING, "--out", str(tmp_path / "a"), "--no-plot"])
    assert code == 0
    assert "1 computed, 0 already done, 1 failed" in out and "failed: rho = 0.6, f = 0.005" in out
    assert "1/1 done, 1 failed" in err and "left" in err


def _cli(out, *extra):
    return [sys.executable, "-m", "proofs.cli", "atlas", "--rho", "0.3", "--W-fraction", "0.2,0.3,0.4", "--k", "3", "--out", str(out), "--no-plot",
            "--json", *extra]


@pytest.mark.slow
def test_a_killed_run_resumes_without_recomputing(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = tmp_path / "killed"
    proc = subprocess.Popen(_cli(out), cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    points = out / "points"
    deadline = time.monotonic() + 300
    while not (points.is_dir() and any(p.suffix == ".json" for p in points.iterdir())):
        assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    done = {p.name: (p.stat().st_mtime_ns, p.read_text()) for p in points.iterdir() if p.suffix == ".json"}
    assert 1 <= len(done) < 3
    assert not (out / "atlas.csv").exists()
    resumed = subprocess.run(_cli(out), cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    summary = json.loads(resumed.stdout)
    assert summary["skipped"] == len(done) and summary["computed"] == 3 - len(done) and summary["failed"] == 0
    for name, (stamp, text) in done.items():  # the points done before the kill were not computed again
        assert (points / name).stat().st_mtime_ns == stamp and (points / name).read_text() == text
    whole = tmp_path / "whole"
    full = subprocess.run(_cli(whole), cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert full.returncode == 0, full.stderr
    assert (out / "atlas.csv").read_text() == (whole / "atlas.csv").read_text()
    assert sorted(os.listdir(out / "certificates")) == sorted(os.listdir(whole / "certificates"))
