"""``check_folder`` / ``qcoord check DIR``: exit codes, tampering, solver-free operation."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from proofs.cli import main
from proofs.report_check import check_folder

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def report(small_report, tmp_path):
    """A private copy of the small report to tamper with."""
    dest = tmp_path / "r"
    shutil.copytree(small_report.folder, dest)
    return dest


def _claims(root):
    return json.loads((root / "claims.json").read_text())


def _write_claims(root, data):
    (root / "claims.json").write_text(json.dumps(data))


def _cert(root, claim, kind):
    return next(p for p in sorted((root / "certificates" / claim).glob("*.json")) if json.loads(p.read_text())["kind"] == kind)


def test_valid_report_exit_0_with_summary(report, capsys):
    assert main(["check", str(report)]) == 0
    out = capsys.readouterr().out.strip()
    n = len(list((report / "certificates").rglob("*.json")))
    assert out == f"{n} certificates valid, 3 claims consistent"


def test_claims_json_as_file_checks_its_folder(report, capsys):
    assert main(["check", str(report / "claims.json")]) == 0
    assert "claims consistent" in capsys.readouterr().out


def test_tampered_dp_certificate_exit_1_names_file(report, capsys):
    # claim a stronger upper bound than the DP proves: 3/4 is below the classical value 0.7616...
    p = _cert(report, "deterministic", "classical-dp")
    c = json.loads(p.read_text())
    c["bound"] = "3/4"
    p.write_text(json.dumps(c))
    assert main(["check", str(report)]) == 1
    err = capsys.readouterr().err
    assert f"INVALID: certificates/deterministic/{p.name}" in err


def test_tampered_quantum_strategy_exit_1_names_file(report, capsys):
    p = _cert(report, "q-gt-c", "quantum-vectors")
    c = json.loads(p.read_text())
    c["u"][0] = ["-" + x if not x.startswith("-") else x[1:] for x in c["u"][0]]  # flip one measurement
    p.write_text(json.dumps(c))
    assert main(["check", str(report)]) == 1
    assert f"certificates/q-gt-c/{p.name}" in capsys.readouterr().err


def test_weaker_but_valid_certificate_breaks_claim_consistency(report, capsys):
    # a DP value raised above what the claim states still proves an upper bound, but not the claim's number
    p = _cert(report, "deterministic", "classical-dp")
    c = json.loads(p.read_text())
    c["bound"] = "4/5"
    p.write_text(json.dumps(c))
    res = check_folder(report)
    assert res.exit_code == 1
    assert any(v.path.endswith(p.name) and v.status == "valid" for v in res.certificates)
    assert any("deterministic" in line and p.name in line and "proves 4/5" in line for line in res.failures())


@pytest.mark.parametrize(
    "edit",
    [
        lambda r: r.__setitem__("upper", r["upper"] - 1e-6),
        lambda r: r.__setitem__("lower", r["lower"] + 1e-9),
        lambda r: r.__setitem__("lower_exact", "3/4"),
        lambda r: r["certified"]["upper"].__setitem__("N", 1000),
        lambda r: r["certified"]["upper"].__setitem__("model", "quantum"),
        lambda r: r["certified"]["lower"].__setitem__("game", {"kind": "hyperbolic", "C": "1/2"}),
        lambda r: r["certified"].__setitem__("lower", dict(r["certified"]["upper"])),
    ],
    ids=["upper-float", "lower-float", "lower-exact", "N", "model", "game", "swapped-certificate"],
)
def test_tampered_claims_json_exit_1_names_file(report, capsys, edit):
    data = _claims(report)
    edit(next(c for c in data["claims"] if c["id"] == "deterministic")["result"])
    _write_claims(report, data)
    assert main(["check", str(report)]) == 1
    err = capsys.readouterr().err
    assert "INCONSISTENT: claims.json: claim 'deterministic'" in err


@pytest.mark.parametrize("path", ["/etc/passwd", "../outside.json", "certificates/deterministic/missing.json"])
def test_paths_must_stay_inside_and_exist(report, path):
    data = _claims(report)
    det = next(c for c in data["claims"] if c["id"] == "deterministic")
    det["result"]["certified"]["upper"]["certificate"] = path
    _write_claims(report, data)
    res = check_folder(report)
    assert res.exit_code == 1 and any(path in line for line in res.failures())


def test_unreadable_exit_2(report, tmp_path, capsys):
    assert main(["check", str(tmp_path / "nowhere")]) == 2
    bad = tmp_path / "bad"
    shutil.copytree(report, bad)
    (bad / "claims.json").write_text("{truncated")
    assert main(["check", str(bad)]) == 2
    p = _cert(report, "q-gt-c", "tsirelson-dual")
    p.write_text("not json at all")
    assert main(["check", str(report)]) == 1  # the claim citing it is inconsistent
    assert f"unreadable: certificates/q-gt-c/{p.name}" in capsys.readouterr().err
    only = tmp_path / "only"
    only.mkdir()
    shutil.copyfile(p, only / p.name)
    assert main(["check", str(only)]) == 2  # nothing invalid, something unreadable


def test_folder_of_plain_certificates(small_report, tmp_path, capsys):
    d = tmp_path / "certs"
    shutil.copytree(small_report.folder / "certificates", d)
    assert main(["check", str(d), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["exit_code"] == 0 and out["claims"] == [] and out["certificates"]


_BLOCK = """
import sys
class _Block:
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('cvxpy', 'scs', 'clarabel', 'numba', 'bounds', 'games'):
            raise ImportError('solver import blocked: ' + name)
sys.meta_path.insert(0, _Block())
"""


def _run_blocked(code: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-c", _BLOCK + code], check=False, capture_output=True, text=True, env=env, cwd=str(REPO), timeout=600)


@pytest.mark.parametrize("name", ["cvxpy", "scs", "clarabel", "numba", "bounds", "games"])
def test_blocker_blocks(name):
    r = _run_blocked(f"import {name}")
    assert r.returncode != 0 and "solver import blocked" in r.stderr


def test_folder_check_code_imports_no_solver():
    r = _run_blocked("import proofs.report_check, proofs.commands.check, proofs.cli; print('ok')")
    assert r.returncode == 0 and r.stdout.strip() == "ok", r.stderr


def test_check_report_without_any_solver(small_report):
    r = _run_blocked(f"from proofs.cli import main; sys.exit(main(['check', {str(small_report.folder)!r}]))")
    assert r.returncode == 0, r.stderr[-2000:]
    assert "claims consistent" in r.stdout


def test_special_files_in_a_report_are_reported_not_read(report, capsys):
    fifo = report / "certificates" / "deterministic" / "pipe.json"
    os.mkfifo(fifo)  # reading it would block forever
    assert main(["check", str(report)]) == 2
    assert "unreadable: certificates/deterministic/pipe.json" in capsys.readouterr().err
