"""``check_folder`` / ``qcoord check DIR``: exit codes, tampering, solver-free operation."""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
import signal
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from proofs.checkers.report_folder import check_folder
from proofs.cli.main import main

REPO = Path(__file__).resolve().parents[3]


_VERIFIED: dict = {}


@pytest.fixture
def memo_checks(monkeypatch):
    """Verify each certificate content once per session (keyed by its path in the folder and its bytes).

    The copies these tests tamper with share their certificates; a tampered certificate has other bytes and is checked anew.
    """
    from proofs.checkers import report_folder as report_check

    real = report_check.check_certificate

    def check(path, source=None):
        if not Path(path).is_file() or Path(path).is_symlink():  # never read a special file here: the checker refuses it
            return real(path, source)
        key = (source, hashlib.sha256(Path(path).read_bytes()).hexdigest())
        if key not in _VERIFIED:
            try:
                _VERIFIED[key] = real(path, source)
            except Exception as exc:  # noqa: BLE001 - replayed below
                _VERIFIED[key] = exc
        got = _VERIFIED[key]
        if isinstance(got, Exception):
            raise got
        return got

    monkeypatch.setattr(report_check, "check_certificate", check)


@pytest.fixture
def report(small_report, tmp_path, memo_checks):
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


def _claim(data, cid):
    return next(c for c in data["claims"] if c["id"] == cid)


def _finding(entry, text):
    """The finding of ``entry`` whose target contains ``text``."""
    return next(f for f in [entry["result"], *entry["further_results"]] if text in f["target"])


def _bound_of(root, rel):
    """The exact bound a certificate file claims (read directly, not through the checker)."""
    return Fraction(json.loads((root / rel).read_text())["bound"])


def test_valid_report_exit_0_with_summary(report, capsys):
    assert main(["check", str(report)]) == 0
    out = capsys.readouterr().out.strip()
    n = len(list((report / "certificates").rglob("*.json")))
    # deterministic: a certified bracket (2); q-gt-c: quantum lower, classical upper, the derived gap (3)
    # every certificate here bounds a game's winning probability, and the summary says so
    assert out == f"{n} certificates valid [{n} on winning probability], 3 claims consistent (5 numbers bound to certificates, 0 estimates)"


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


def test_numbers_are_labelled_records(small_report):
    data = _claims(small_report.folder)
    assert data["version"] == 2
    det = _claim(data, "deterministic")["result"]
    for side in ("lower", "upper"):
        rec = det[side]
        assert rec["kind"] == "certified" and rec["side"] == side and rec["target"]["model"] == "classical"
        exact = _bound_of(small_report.folder, rec["certificate"])
        assert Fraction(rec["exact"]) == exact
        # rounded the safe way, and tightly
        assert (Fraction(rec["value"]) <= exact) if side == "lower" else (Fraction(rec["value"]) >= exact)
        assert abs(Fraction(rec["value"]) - exact) < Fraction(1, 2**50)
    q = _claim(data, "q-gt-c")
    gap = _finding(q, "minus")["lower"]
    assert gap["kind"] == "derived" and gap["formula"] == "gap" and set(gap["inputs"]) == {"quantum", "classical"}
    true_gap = _bound_of(small_report.folder, gap["inputs"]["quantum"]) - _bound_of(small_report.folder, gap["inputs"]["classical"])
    assert Fraction(gap["value"]) <= true_gap < Fraction(gap["value"]) + Fraction(1, 2**50)
    assert 0.06 < gap["value"] < 0.07  # the certified gap at C = 0.33 is 0.065
    (d,) = q["decisions"]
    assert d["holds"] is True and {d["larger"], d["smaller"]} == set(gap["inputs"].values())


def _det(side, key, value):
    def edit(data):
        _claim(data, "deterministic")["result"][side][key] = value
    return edit


def _det_fn(fn):
    def edit(data):
        fn(_claim(data, "deterministic")["result"])
    return edit


@pytest.mark.parametrize(
    "edit",
    [
        _det_fn(lambda r: r["upper"].__setitem__("value", r["upper"]["value"] - 1e-6)),
        _det_fn(lambda r: r["lower"].__setitem__("value", r["lower"]["value"] + 1e-9)),
        _det_fn(lambda r: r["lower"].__setitem__("value", r["lower"]["value"] - 1e-9)),  # weaker is a tampered number too
        _det("lower", "exact", "3/4"),
        _det_fn(lambda r: r["upper"]["target"].__setitem__("N", 1000)),
        _det_fn(lambda r: r["upper"]["target"].__setitem__("model", "quantum")),
        _det_fn(lambda r: r["lower"]["target"].__setitem__("game", {"type": "hyperbolic", "C": "1/2"})),
        _det_fn(lambda r: r.__setitem__("lower", {**r["upper"], "side": "lower"})),
        _det_fn(lambda r: r.__setitem__("lower", r["upper"])),
        _det("lower", "kind", "derived"),
        _det("lower", "kind", "proved"),
        _det("lower", "side", "upper"),
        _det_fn(lambda r: r.__setitem__("lower", r["lower"]["value"])),  # a bare number in format 2
        lambda d: _finding(_claim(d, "q-gt-c"), "minus")["lower"].__setitem__("value", 0.5),  # the audit's "certified gap >= 0.5"
        lambda d: _finding(_claim(d, "q-gt-c"), "minus")["lower"].__setitem__("formula", "R_k"),
        lambda d: _finding(_claim(d, "q-gt-c"), "minus")["lower"]["inputs"].__setitem__("quantum", _claim(d, "deterministic")["result"]["lower"]["certificate"]),
        lambda d: _finding(_claim(d, "q-gt-c"), "minus")["lower"].__setitem__("side", "upper"),
        lambda d: _claim(d, "q-gt-c").__setitem__("status", "refuted"),
        lambda d: _claim(d, "q-gt-c").__setitem__("decisions", []),
        lambda d: _claim(d, "q-gt-c")["decisions"][0].__setitem__("holds", False),
        lambda d: _claim(d, "q-gt-c")["decisions"][0].__setitem__("holds", None),
        lambda d: _claim(d, "q-gt-c").__setitem__("status", "proven"),
    ],
    ids=["upper-stronger", "lower-stronger", "lower-weaker", "lower-exact", "N", "model", "game", "swapped-certificate", "swapped-record",
         "kind-derived", "kind-unknown", "side", "bare-number", "gap-0.5", "gap-formula", "gap-input", "gap-side", "status-refuted",
         "decision-removed", "decision-fails", "decision-undecided", "status-unknown"],
)
def test_tampered_claims_json_exit_1_names_claim(report, capsys, edit):
    data = _claims(report)
    edit(data)
    _write_claims(report, data)
    assert main(["check", str(report)]) == 1
    err = capsys.readouterr().err
    assert "INCONSISTENT: claims.json: claim '" in err and "Traceback" not in err


def test_gap_of_half_is_named_as_stronger_than_proved(report):
    data = _claims(report)
    _finding(_claim(data, "q-gt-c"), "minus")["lower"]["value"] = 0.5
    _write_claims(report, data)
    (line,) = check_folder(report).failures()
    assert "claim 'q-gt-c'" in line and "states 0.5, stronger than what its certificates prove (0.0649" in line


def test_contradicting_certificates_exit_1(report, monkeypatch):
    """Two valid certificates on one target with lower > upper (a checker's false accept) fail the folder."""
    from proofs.checkers import report_folder as report_check
    from proofs.checkers.bound import _issue

    lower = _cert(report, "deterministic", "classical-threshold")
    real = report_check.check_certificate

    def forged(path, source=None):
        b = real(path, source)
        if Path(path).name == lower.name:  # the checker "accepts" a lower bound of 0.9 on the classical value
            return _issue("lower", Fraction(9, 10), b.target, b.certificate, b.checker)
        return b

    monkeypatch.setattr(report_check, "check_certificate", forged)
    res = check_folder(report)
    assert res.exit_code == 1
    (line,) = [x for x in res.failures() if x.startswith("CONTRADICTION")]
    assert lower.name in line and ">= 0.9 but" in line and "classical-dp" in line
    assert "contradictions" in res.summary()


def test_records_name_their_quantity_and_it_is_checked(report, capsys):
    """A certified record carries its target's quantity; a wrong one is refused; a record written before
    targets named their quantity (game, N, model only) is still accepted."""
    data = _claims(report)
    rec = _claim(data, "deterministic")["result"]["lower"]
    assert rec["target"]["quantity"] == "winning probability"
    rec["target"]["quantity"] = "p_split"
    _write_claims(report, data)
    assert main(["check", str(report)]) == 1
    assert "states target" in capsys.readouterr().err
    for e in data["claims"]:
        for f in [e["result"], *e["further_results"]] if e["result"] else []:
            for side in ("lower", "upper"):
                if isinstance(f.get(side), dict) and f[side].get("kind") == "certified":
                    f[side]["target"].pop("quantity")
    _write_claims(report, data)
    assert main(["check", str(report)]) == 0


def test_old_format_report_still_passes_and_is_checked(report, capsys):
    """A claims.json of format 1 (floats beside `certified` entries) is checked as before, and says so."""
    data = _claims(report)
    data["version"] = 1
    for e in data["claims"]:
        e.pop("decisions", None)
        for f in [e["result"], *e["further_results"]] if e["result"] else []:
            cert = {}
            for side in ("estimate", "lower", "upper"):
                rec = f.pop(side, None)
                if rec is None:
                    continue
                if rec["kind"] == "certified":
                    f[side] = float(Fraction(rec["exact"]))
                    f[f"{side}_exact"] = rec["exact"]
                    cert[side] = {"exact": rec["exact"], "certificate": rec["certificate"], **{k: rec["target"][k] for k in ("game", "N", "model")}}
                else:
                    f[side] = rec["value"]
            if cert:
                f["certified"] = cert
    _write_claims(report, data)
    assert main(["check", str(report)]) == 0
    assert "format version 1" in capsys.readouterr().out
    _claim(data, "deterministic")["result"]["upper"] -= 1e-6
    _write_claims(report, data)
    assert main(["check", str(report)]) == 1


def test_vacuous_reports_exit_2(report, tmp_path, capsys):
    data = _claims(report)
    data["claims"] = []
    _write_claims(report, data)
    assert main(["check", str(report)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == ["qcoord check: unreadable: claims.json lists no claims: nothing to check"]
    bare = tmp_path / "bare"
    bare.mkdir()
    shutil.copyfile(report / "claims.json", bare / "claims.json")
    data["claims"] = [{"id": "x", "status": "proved"}]
    _write_claims(bare, data)
    assert main(["check", str(bare)]) == 2
    assert "the report holds no certificates" in capsys.readouterr().err


# ----------------------------------------------------------------------------- the system and noise claims


@pytest.fixture
def sysreport(system_report, tmp_path, memo_checks):
    dest = tmp_path / "s"
    shutil.copytree(system_report.folder, dest)
    return dest


def test_system_report_checks_and_r3_is_exact(sysreport):
    res = check_folder(sysreport)
    assert res.exit_code == 0, res.failures()
    eq7 = _claim(_claims(sysreport), "eq7")
    r3 = _finding(eq7, "R_3 = ")["lower"]
    assert r3["kind"] == "derived" and r3["params"] == {"k": 3}
    c = _bound_of(sysreport, r3["inputs"]["classical"])
    q = _bound_of(sysreport, r3["inputs"]["quantum"])
    exact = ((1 + c) / (1 + q)) ** 2
    assert Fraction(r3["value"]) <= exact < Fraction(r3["value"]) + Fraction(1, 2**50)
    assert 1.05 < r3["value"] < 1.06  # the audit's true value 1.0535


def test_noise_thresholds_are_derived(sysreport):
    res = _claim(_claims(sysreport), "resources")
    th = _finding(res, "visibility threshold v*")
    assert th["lower"]["formula"] == "local-model-visibility" and th["lower"]["value"] <= 0.6874
    up = th["upper"]
    w = json.loads((sysreport / up["inputs"]["werner"]).read_text())
    assert Fraction(up["value"]) >= Fraction(w["v"]) and Fraction(w["bound"]) > _bound_of(sysreport, up["inputs"]["classical"])


def _sys_edit(cid, text, side, key, value):
    def edit(data):
        _finding(_claim(data, cid), text)[side][key] = value
    return edit


@pytest.mark.parametrize(
    "edit",
    [
        _sys_edit("eq7", "R_3 = ", "lower", "value", 1.5),  # the audit's "R_3 >= 1.5"
        _sys_edit("eq7", "R_3 = ", "lower", "params", {"k": 5}),
        _sys_edit("eq7", "R_2 = ", "upper", "value", 1.0),
        _sys_edit("resources", "visibility threshold v*", "lower", "value", 0.5),  # the audit's "threshold in [0.5, 0.6]"
        _sys_edit("resources", "visibility threshold v*", "upper", "value", 0.6),
        _sys_edit("resources", "fidelity threshold", "upper", "value", 0.8),
        _sys_edit("resources", "projectively", "lower", "value", 0.8),
        lambda d: _claim(d, "eq7").__setitem__("status", "refuted"),  # the audit's "refuted: p_q > p_c"
        lambda d: (_claim(d, "eq7").__setitem__("status", "refuted"), _claim(d, "eq7")["decisions"][0].__setitem__("holds", False)),
        lambda d: (_claim(d, "eq7").__setitem__("status", "refuted"), _claim(d, "eq7").__setitem__("decisions", [])),
        lambda d: _claim(d, "eq7")["decisions"][0].update(larger=_claim(d, "eq7")["decisions"][0]["smaller"],
                                                          smaller=_claim(d, "eq7")["decisions"][0]["larger"]),
    ],
    ids=["R3-1.5", "R3-k", "R2-upper", "v-lower-0.5", "v-upper-0.6", "F-upper", "projective", "status-refuted", "refuted-and-holds-false",
         "refuted-no-decision", "decision-swapped"],
)
def test_tampered_system_numbers_fail(sysreport, capsys, edit):
    data = _claims(sysreport)
    edit(data)
    _write_claims(sysreport, data)
    assert main(["check", str(sysreport)]) == 1
    err = capsys.readouterr().err
    assert "INCONSISTENT: claims.json: claim '" in err and "Traceback" not in err


@pytest.mark.parametrize("path", ["/etc/passwd", "../outside.json", "certificates/deterministic/missing.json"])
def test_paths_must_stay_inside_and_exist(report, path):
    data = _claims(report)
    det = next(c for c in data["claims"] if c["id"] == "deterministic")
    det["result"]["upper"]["certificate"] = path
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
    assert main(["check", str(d)]) == 0
    n = len(list(d.rglob("*.json")))
    assert capsys.readouterr().out.strip() == f"{n} certificates valid [{n} on winning probability], no claims.json (not a report)"


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
    r = _run_blocked("import proofs.checkers.report_folder, proofs.cli.check, proofs.cli.main; print('ok')")
    assert r.returncode == 0 and r.stdout.strip() == "ok", r.stderr


def test_check_report_without_any_solver(small_report):
    r = _run_blocked(f"from proofs.cli.main import main; sys.exit(main(['check', {str(small_report.folder)!r}]))")
    assert r.returncode == 0, r.stderr[-2000:]
    assert "claims consistent" in r.stdout


def test_special_files_in_a_report_are_reported_not_read(report, capsys):
    fifo = report / "certificates" / "deterministic" / "pipe.json"
    os.mkfifo(fifo)  # reading it would block forever
    assert main(["check", str(report)]) == 2
    assert "unreadable: certificates/deterministic/pipe.json" in capsys.readouterr().err


# ----------------------------------------------------------------------------- hostile claims.json


class _Hang(Exception):
    pass


def _run_check(folder: Path, capsys) -> tuple[int, str]:
    """``qcoord check`` under a 60 s alarm, so that a hang fails the test instead of stalling the suite; (exit code, stderr)."""
    def alarm(signum, frame):
        raise _Hang(f"qcoord check {folder} ran past 60 s")

    old = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(60)
    try:
        code = main(["check", str(folder)])
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    return code, capsys.readouterr().err


def _det_claim(data):
    return _claim(data, "deterministic")


def _hostile_edits():
    def on_det(fn):
        def edit(data):
            fn(_det_claim(data))
        return edit

    deep = {"claims": []}
    o = deep["claims"]
    for _ in range(40):
        o.append([])
        o = o[0]
    return {
        "deep-nesting-40": ("json", deep, 2),
        "deep-nesting-100000": ("text", '{"claims": ' + "[" * 100000 + "]" * 100000 + "}", 2),
        "top-level-list": ("json", [1, 2], 2),
        "claims-not-list": ("json", {"claims": {"a": 1}}, 2),
        "claims-string": ("json", {"claims": "x"}, 2),
        "empty-file": ("text", "", 2),
        "huge-integer": ("text", '{"claims": [' + "9" * 5000 + "]}", 2),
        "float-1e999999999": ("text", '{"claims": [{"id": "x", "result": {"lower": 1e999999999}}]}', 2),
        "nan": ("text", '{"claims": [NaN]}', 2),
        "entry-not-object": ("edit", lambda d: d["claims"].append("text"), 1),
        "certified-is-list": ("edit", on_det(lambda e: e["result"].__setitem__("certified", [1, 2])), 1),
        "certified-is-string": ("edit", on_det(lambda e: e["result"].__setitem__("lower", "0.76")), 1),
        "record-exact-1e999999999": ("edit", on_det(lambda e: e["result"]["lower"].__setitem__("exact", "1e999999999")), 1),
        "record-exact-long": ("edit", on_det(lambda e: e["result"]["lower"].__setitem__("exact", "1" * 100000 + "/3")), 1),
        "record-value-string": ("edit", on_det(lambda e: e["result"]["lower"].__setitem__("value", "1e999999999")), 1),
        "record-value-bool": ("edit", on_det(lambda e: e["result"]["lower"].__setitem__("value", True)), 1),
        "record-target-list": ("edit", on_det(lambda e: e["result"]["lower"].__setitem__("target", [1])), 1),
        "record-certificate-int": ("edit", on_det(lambda e: e["result"]["lower"].__setitem__("certificate", 7)), 1),
        "record-certificate-nul": ("edit", on_det(lambda e: e["result"]["lower"].__setitem__("certificate", "a\x00b.json")), 1),
        "record-certificate-dir": ("edit", on_det(lambda e: e["result"]["lower"].__setitem__("certificate", "certificates")), 1),
        "result-is-list": ("edit", on_det(lambda e: e.__setitem__("result", [1, 2])), 1),
        "further-results-string": ("edit", on_det(lambda e: e.__setitem__("further_results", "abc")), 1),
        "further-results-ints": ("edit", on_det(lambda e: e.__setitem__("further_results", [1, None, "x"])), 1),
        "evidence-string": ("edit", on_det(lambda e: e.__setitem__("evidence", "abc")), 1),
        "evidence-ints": ("edit", on_det(lambda e: e.__setitem__("evidence", [1, [2]])), 1),
        "evidence-path-int": ("edit", on_det(lambda e: e.__setitem__("evidence", [{"kind": "record", "path": 5}])), 1),
        "evidence-path-nul": ("edit", on_det(lambda e: e.__setitem__("evidence", [{"kind": "record", "path": "a\x00b"}])), 1),
        "evidence-path-long": ("edit", on_det(lambda e: e.__setitem__("evidence", [{"kind": "record", "path": "a/" * 3000}])), 1),
        "figures-string": ("edit", lambda d: d.__setitem__("figures", "abc"), 1),
        "figures-ints": ("edit", lambda d: d.__setitem__("figures", [1, {"name": [1], "certificates": "x"}]), 1),
        "figures-cite-int": ("edit", lambda d: d.__setitem__("figures", [{"name": "f", "certificates": [1, None]}]), 1),
        "decisions-string": ("edit", lambda d: _claim(d, "q-gt-c").__setitem__("decisions", "x"), 1),
        "decisions-ints": ("edit", lambda d: _claim(d, "q-gt-c").__setitem__("decisions", [1, {"holds": 3}]), 1),
        "derived-inputs-list": ("edit", lambda d: _finding(_claim(d, "q-gt-c"), "minus")["lower"].__setitem__("inputs", [1]), 1),
        "derived-inputs-many": ("edit", lambda d: _finding(_claim(d, "q-gt-c"), "minus")["lower"]["inputs"].__setitem__("quantum", ["x.json"] * 20000), 1),
        "derived-inputs-total": ("edit", lambda d: _claim(d, "q-gt-c")["further_results"].extend(
            {"target": f"t{i}", "lower": {"value": 0.1, "kind": "derived", "side": "lower", "formula": "argmin-over-C",
                                          "inputs": {"points": ["certificates/none.json"] * 9000}}} for i in range(12)), 1),
        "derived-params-k-huge": ("edit", lambda d: _finding(_claim(d, "q-gt-c"), "minus")["lower"].update(formula="R_k", params={"k": 10**300}), 1),
        "status-list": ("edit", on_det(lambda e: e.__setitem__("status", ["proved"])), 1),
        "id-dict": ("edit", on_det(lambda e: e.__setitem__("id", {"a": 1})), 1),
    }


_HOSTILE = _hostile_edits()


@pytest.mark.parametrize("case", sorted(_HOSTILE))
def test_hostile_claims_json_clear_verdict(report, case, capsys):
    how, what, code = _HOSTILE[case]
    path = report / "claims.json"
    if how == "text":
        path.write_text(what)
    elif how == "json":
        path.write_text(json.dumps(what))
    else:
        data = _claims(report)
        what(data)
        path.write_text(json.dumps(data))
    got, err = _run_check(report, capsys)
    assert got == code, (got, err[-1500:])
    assert "Traceback" not in err and err.strip(), err[-1500:]


@pytest.mark.parametrize("special", ["fifo", "dev-zero", "dev-zero-as-file"])
def test_claims_json_special_files_exit_2(report, special, capsys):
    path = report / "claims.json"
    path.unlink()
    if special == "fifo":
        os.mkfifo(path)  # reading it would block forever
        target = report
    else:
        path.symlink_to("/dev/zero")  # reading it would never end
        target = path if special == "dev-zero-as-file" else report
    got, err = _run_check(target, capsys)
    assert got == 2 and "Traceback" not in err, err[-1500:]
    assert "not a regular file" in err or "not a certificate" in err or "unreadable" in err


# ----------------------------------------------------------------------------- the formulas, on bounds built by hand


def _b(side, value, game, model, n=None):
    from proofs.checkers.bound import Target, _issue

    return _issue(side, Fraction(value), Target(game, n, model), f"{model}-{side}.json", "test")


_G = {"type": "hyperbolic", "C": "33/100"}
_S = {"type": "system", "lam": "4/5", "quantity": "p_split"}


@pytest.mark.parametrize("x", [Fraction(1, 3), Fraction(2, 3), Fraction(-7, 10), Fraction(10**20 + 1, 3)])
def test_safe_float_rounds_outward_by_at_most_one_ulp(x):
    import math

    from proofs.checkers.report_folder import safe_float

    lo, up = safe_float(x, "lower"), safe_float(x, "upper")
    assert Fraction(lo) <= x <= Fraction(up) and lo != up and math.nextafter(lo, math.inf) == up
    assert safe_float(Fraction(1, 4), "lower") == safe_float(Fraction(1, 4), "upper") == 0.25


def test_safe_float_beyond_the_float_range():
    from proofs.checkers.report_folder import DeriveError, safe_float

    big = Fraction(10) ** 400
    assert safe_float(big, "lower") == 1.7976931348623157e308  # a valid lower bound on 10^400
    with pytest.raises(DeriveError, match="no float upper bound"):
        safe_float(big, "upper")


def test_gap_and_r_k_in_exact_arithmetic():
    from proofs.checkers.report_folder import derive

    q_lo, c_up = _b("lower", "4/5", _G, "quantum"), _b("upper", "3/4", _G, "classical")
    assert derive("gap", "lower", {"quantum": q_lo, "classical": c_up}) == Fraction(1, 20)
    c_lo, q_up = _b("lower", "1/3", _S, "classical"), _b("upper", "1/4", _S, "quantum")
    # ((1 + 1/3)/(1 + 1/4))^2 = (16/15)^2
    assert derive("R_k", "lower", {"classical": c_lo, "quantum": q_up}, {"k": 3}) == Fraction(256, 225)
    assert derive("R_k", "lower", {"classical": c_lo, "quantum": q_up}, {"k": 1}) == 1


@pytest.mark.parametrize(
    ("formula", "side", "inputs", "params", "match"),
    [
        ("gap", "lower", lambda: {"quantum": _b("upper", "4/5", _G, "quantum"), "classical": _b("upper", "3/4", _G, "classical")}, {}, "must be a lower bound"),
        ("gap", "lower", lambda: {"quantum": _b("lower", "4/5", _G, "classical"), "classical": _b("upper", "3/4", _G, "classical")}, {}, "quantum value"),
        ("gap", "lower", lambda: {"quantum": _b("lower", "4/5", _G, "quantum"), "classical": _b("upper", "3/4", {**_G, "C": "1/2"}, "classical")}, {}, "different games"),
        ("gap", "lower", lambda: {"quantum": _b("lower", "4/5", _G, "quantum", 8), "classical": _b("upper", "3/4", _G, "classical")}, {}, "different games"),
        ("gap", "value", lambda: {}, {}, "'lower' or 'upper'"),
        ("R_k", "lower", lambda: {"classical": _b("lower", "1/3", _S, "classical"), "quantum": _b("upper", "1/4", _S, "quantum")}, {"k": 65}, "integer in"),
        ("R_k", "lower", lambda: {"classical": _b("lower", "1/3", _S, "classical"), "quantum": _b("upper", "1/4", _S, "quantum")}, {"k": True}, "integer in"),
        ("R_k", "lower", lambda: {"classical": _b("lower", "1/3", _G, "classical"), "quantum": _b("upper", "1/4", _G, "quantum")}, {"k": 3}, "p_split"),
        ("R_k", "lower", lambda: {"classical": _b("upper", "1/3", _S, "classical"), "quantum": _b("upper", "1/4", _S, "quantum")}, {"k": 3}, "must be a lower bound"),
        ("werner-threshold", "upper", lambda: {"werner": _b("lower", "3/4", {**_G, "state": {"kind": "werner", "v": "4/5"}}, "quantum"),
                                               "classical": _b("upper", "3/4", _G, "classical")}, {}, "does not exceed"),
        ("werner-threshold", "upper", lambda: {"werner": _b("lower", "4/5", _G, "quantum"), "classical": _b("upper", "3/4", _G, "classical")}, {}, "Werner pairs"),
        ("werner-threshold", "lower", lambda: {}, {}, "upper bound"),
        ("local-model-visibility", "lower", lambda: {"x": _b("upper", "3/4", _G, "classical")}, {}, "no inputs"),
        ("projective-visibility", "lower", lambda: {"classical": _b("lower", "3/4", _G, "classical"), "quantum": _b("upper", "1/2", _G, "quantum")}, {}, "above 1/2"),
        ("no-such-formula", "lower", lambda: {}, {}, "unknown formula"),
    ],
)
def test_formulas_refuse_inputs_that_do_not_fit(formula, side, inputs, params, match):
    from proofs.checkers.report_folder import DeriveError, derive

    with pytest.raises(DeriveError, match=match):
        derive(formula, side, inputs(), params)


def test_werner_threshold_and_fidelity():
    from proofs.checkers.noise import LOCAL_VISIBILITY
    from proofs.checkers.report_folder import derive

    ins = {"werner": _b("lower", "7617/10000", {**_G, "state": {"kind": "werner", "v": "799/1000"}}, "quantum"),
           "classical": _b("upper", "7616/10000", _G, "classical")}
    assert derive("werner-threshold", "upper", ins) == Fraction(799, 1000)
    assert derive("werner-threshold", "upper", ins, {"as": "fidelity"}) == (1 + 3 * Fraction(799, 1000)) / 4
    assert derive("local-model-visibility", "lower", {}) == LOCAL_VISIBILITY == Fraction(6874, 10000)


def _point(side, c, value):
    return _b(side, value, {"type": "hyperbolic", "C": c}, "classical")


def test_branch_and_bound_over_c_against_a_float_recomputation():
    import math

    from proofs.checkers.report_folder import derive

    # lower bounds at C = 1/10 ... 9/10, a valley around 1/2 steeper near the ends (slopes below the lemma's |ln C|); one upper bound at 1/2
    cs = [Fraction(k, 10) for k in range(1, 10)]
    lows = {c: Fraction(3, 4) + 2 * (c - Fraction(1, 2)) ** 2 for c in cs}
    points = [_point("lower", f"{c.numerator}/{c.denominator}", v) for c, v in lows.items()] + [_point("upper", "1/2", "3/4")]
    params = {"C_min": "1/10", "C_max": "9/10"}

    def cell(a, b):  # the lemma in floats: max over the cell of the two cones from its ends, minimised
        L, h, A, B = abs(math.log(a)), b - a, float(lows[a]), float(lows[b])
        return max((A + B - L * float(h)) / 2, A - L * float(h), B - L * float(h))

    lbs = {(a, b): cell(a, b) for a, b in zip(cs, cs[1:])}
    alive = [k for k, v in lbs.items() if v <= 0.75]
    assert derive("argmin-over-C", "lower", {"points": points}, params) == min(a for a, _ in alive)
    assert derive("argmin-over-C", "upper", {"points": points}, params) == max(b for _, b in alive)
    assert float(derive("min-over-C", "lower", {"points": points}, params)) == pytest.approx(min(lbs.values()), abs=1e-12)
    assert derive("min-over-C", "upper", {"points": points}, params) == Fraction(3, 4)
    assert derive("min-over-C", "lower", {"points": points}, params) <= Fraction(3, 4)
    assert 0 < len(alive) < len(lbs)  # the test discards some cells and keeps others
    # lower bounds that the lemma shows inconsistent with the upper bound (a slope of 1 > |ln 0.4|) are refused
    steep = [_point("lower", f"{c.numerator}/{c.denominator}", Fraction(3, 4) + abs(c - Fraction(1, 2))) for c in cs]
    with pytest.raises(ValueError, match="contradict"):
        derive("argmin-over-C", "lower", {"points": [*steep, _point("upper", "1/2", "3/4")]}, params)


@pytest.mark.parametrize(
    ("points", "params", "match"),
    [
        (lambda: [_point("lower", "1/10", "3/4"), _point("upper", "1/2", "3/4")], {"C_min": "1/10", "C_max": "9/10"}, "do not reach both ends"),
        (lambda: [_point("lower", "1/10", "3/4"), _point("lower", "9/10", "3/4")], {"C_min": "1/10", "C_max": "9/10"}, "no upper bound"),
        (lambda: [_point("lower", "1/20", "3/4")], {"C_min": "1/10", "C_max": "9/10"}, "outside"),
        (lambda: [_b("lower", "3/4", _G, "quantum")], {"C_min": "1/10", "C_max": "9/10"}, "classical value"),
        (lambda: [_point("lower", "1/10", "3/4")], {"C_min": "1e999999999", "C_max": "9/10"}, "C_min"),
        (lambda: [_point("lower", "1/10", "3/4")], {"C_min": "9/10", "C_max": "1/10"}, "C_min < C_max"),
        (lambda: [], {"C_min": "1/10", "C_max": "9/10"}, "non-empty"),
    ],
)
def test_branch_and_bound_refuses_incomplete_inputs(points, params, match):
    from proofs.checkers.report_folder import DeriveError, derive

    with pytest.raises(DeriveError, match=match):
        derive("argmin-over-C", "lower", {"points": points()}, params)


def test_bound_beyond_the_float_range_is_reported_not_raised(small_report, tmp_path, capsys):
    """A valid certificate may claim a lower bound of -10^399 (true, and useless): the folder check prints it (rounded, labelled trivial), no traceback."""
    src = _cert(small_report.folder, "deterministic", "classical-threshold")
    c = json.loads(src.read_text())
    c["bound"] = "-" + "9" * 399
    d = tmp_path / "huge"
    d.mkdir()
    (d / "low.json").write_text(json.dumps(c))
    res = check_folder(d)
    assert res.exit_code == 0, res.failures()
    assert "-1e+399" in res.certificates[0].message and "TRIVIAL" in res.certificates[0].message
    assert main(["check", str(d)]) == 0 and "1 certificates valid" in capsys.readouterr().out


# ---------------------------------------------------------------- system visibility threshold (lemma W5)
def _werner(side, value, v, supply="1/1"):
    return _b(side, value, {**_S, "state": {"kind": "werner", "v": v}, "supply": supply}, "quantum")


def test_system_visibility_threshold_both_ends():
    """R_3 = ((1 + p_c)/(1 + p_W))^2 computed by hand: below the goal at the lower end, at or above it at the upper end."""
    from proofs.checkers.report_folder import derive

    params = {"k": 3, "goal": "101/100"}
    # lower end: p_c <= 0.66, p_W(0.9) >= 0.655 -> R_3 <= (1.66/1.655)^2 = 1.00605 < 1.01
    assert derive("system-visibility-threshold", "lower", {"werner": _werner("lower", "655/1000", "9/10"), "classical": _b("upper", "66/100", _S, "classical")}, params) == Fraction(9, 10)
    # upper end: p_c >= 0.66, p_W(0.97) <= 0.64 -> R_3 >= (1.66/1.64)^2 = 1.02454 >= 1.01
    assert derive("system-visibility-threshold", "upper", {"werner": _werner("upper", "64/100", "97/100"), "classical": _b("lower", "66/100", _S, "classical")}, params) == Fraction(97, 100)


@pytest.mark.parametrize(
    ("side", "werner", "classical", "match"),
    [
        ("lower", lambda: _werner("lower", "64/100", "9/10"), lambda: _b("upper", "66/100", _S, "classical"), "reaches"),  # R_3 upper 1.0245 >= goal
        ("upper", lambda: _werner("upper", "655/1000", "97/100"), lambda: _b("lower", "66/100", _S, "classical"), "stays below"),
        ("upper", lambda: _werner("upper", "64/100", "97/100", supply="1/2"), lambda: _b("lower", "66/100", _S, "classical"), "every pair"),
        ("upper", lambda: _werner("upper", "64/100", "97/100"), lambda: _b("lower", "66/100", {**_S, "lam": "3/5"}, "classical"), "different systems"),
        ("upper", lambda: _b("upper", "64/100", _S, "quantum"), lambda: _b("lower", "66/100", _S, "classical"), "Werner"),
        ("upper", lambda: _werner("lower", "64/100", "97/100"), lambda: _b("lower", "66/100", _S, "classical"), "upper bound"),
    ],
)
def test_system_visibility_threshold_refuses(side, werner, classical, match):
    from proofs.checkers.report_folder import DeriveError, derive

    with pytest.raises(DeriveError, match=match):
        derive("system-visibility-threshold", side, {"werner": werner(), "classical": classical()}, {"k": 3, "goal": "101/100"})


def test_r_k_accepts_werner_routers_of_the_same_system():
    from proofs.checkers.report_folder import derive

    r = derive("R_k", "lower", {"classical": _b("lower", "66/100", _S, "classical"), "quantum": _werner("upper", "64/100", "1/1")}, {"k": 3})
    assert r == (Fraction(166, 164)) ** 2


# ----------------------------------------------------------------------------- records of a certificate's part (E[T_B] of a slot rule)
def _part_report(root: Path, *, throughput: bool = True) -> tuple[dict, dict]:
    """A report with one slot-queue-bracket certificate (W_q upper, E[T_B] claims if ``throughput``) and one claim citing it.

    Returns ``(claims.json data, checked bound)``; the finding's records are written by the producer (``Finding.certified_by``).
    """
    from proofs.checkers.registry import check_certificate
    from proofs.checkers.slot_queue import enclose_wq, read_params
    from proofs.claims.claim import Finding
    from proofs.exact.rational import fraction_str
    from tests.proofs.checkers.test_slot_queue import _cert, _coin, _tb_cert

    cert = _tb_cert(0.5) if throughput else _cert(rule=_coin(0.5))
    if throughput:  # claim the enclosure's own E[T_B] ends, as the producer does
        enc = enclose_wq(read_params(cert), ("upper", "lower"))
        cert["throughput"].update(lower=fraction_str(enc.tb_lo), upper=fraction_str(enc.tb_hi))
    rel = "certificates/timeslotting/slot.json"
    (root / rel).parent.mkdir(parents=True)
    (root / rel).write_text(json.dumps(cert))
    b = check_certificate(root / rel, rel)
    tb = b.details["throughput"]
    finding = (Finding.certified_by(tb["lower"], tb["upper"], part="throughput", target="E[T_B] of the coin rule") if throughput
               else Finding.certified_by(upper=b, target="W_q of the coin rule"))
    data = {"version": 2, "claims": [{"id": "timeslotting", "status": "answered", "result": finding.to_dict(), "further_results": []}]}
    _write_claims(root, data)
    return data, b


def _problems(root: Path) -> list[str]:
    r = check_folder(root)
    return [p for c in r.claims for p in c.problems]


def test_a_record_of_a_certificate_part_is_checked_against_that_part(tmp_path):
    data, b = _part_report(tmp_path)
    rec = data["claims"][0]["result"]
    tb = b.details["throughput"]
    assert rec["lower"]["part"] == rec["upper"]["part"] == "throughput"
    assert rec["lower"]["exact"] == f"{tb['lower'].value.numerator}/{tb['lower'].value.denominator}"
    assert rec["lower"]["target"]["quantity"] == "E[T_B]" and rec["upper"]["value"] >= float(tb["upper"].value)
    r = check_folder(tmp_path)
    assert r.exit_code == 0, r.failures()
    assert r.claims[0].certified_numbers == 2


@pytest.mark.parametrize("side", ["lower", "upper"])
@pytest.mark.parametrize("how", ["outward", "inward"])
def test_a_moved_part_record_is_refused(tmp_path, side, how):
    data, _ = _part_report(tmp_path)
    rec = data["claims"][0]["result"][side]
    weaker = -math.inf if side == "lower" else math.inf
    rec["value"] = math.nextafter(rec["value"], weaker if how == "outward" else -weaker)
    _write_claims(tmp_path, data)
    probs = _problems(tmp_path)
    assert len(probs) == 1 and ("weaker than" if how == "outward" else "stronger than") in probs[0], probs


@pytest.mark.parametrize("side", ["lower", "upper"])
def test_a_part_record_stating_another_exact_value_is_refused(tmp_path, side):
    data, _ = _part_report(tmp_path)
    rec = data["claims"][0]["result"][side]
    q = Fraction(rec["exact"]) + (Fraction(1, 10**6) if side == "lower" else -Fraction(1, 10**6))  # a stronger claim
    rec["exact"] = f"{q.numerator}/{q.denominator}"
    _write_claims(tmp_path, data)
    assert any("states exact" in p for p in _problems(tmp_path))


@pytest.mark.parametrize("part", ["enclosure", "Throughput", "bogus", None, 3, ["throughput"]])
def test_an_unknown_part_is_refused(tmp_path, part):
    data, _ = _part_report(tmp_path)
    data["claims"][0]["result"]["lower"]["part"] = part
    _write_claims(tmp_path, data)
    probs = _problems(tmp_path)
    assert len(probs) == 1 and "unknown part" in probs[0], probs


def test_the_primary_bound_stated_as_a_part_and_a_part_stated_as_primary_are_refused(tmp_path):
    data, b = _part_report(tmp_path)
    res = data["claims"][0]["result"]
    # the W_q upper bound's own record, labelled as the throughput part: compared with E[T_B] <= ..., it fails
    wq = {"value": float(b.value), "kind": "certified", "side": "upper", "exact": f"{b.value.numerator}/{b.value.denominator}",
          "certificate": res["upper"]["certificate"], "target": b.target.to_json(), "part": "throughput"}
    assert b.value != b.details["throughput"]["upper"].value
    res["upper"] = wq
    # the E[T_B] lower record without its part: compared with the certificate's primary bound (an upper bound on W_q), it fails
    del res["lower"]["part"]
    _write_claims(tmp_path, data)
    probs = _problems(tmp_path)
    assert any("upper bound of" in p and "states exact" in p for p in probs), probs
    assert any("lower bound of" in p and "proves a upper bound, not a lower bound" in p for p in probs), probs


def test_a_part_record_on_a_certificate_without_that_part_is_refused(tmp_path):
    data, _ = _part_report(tmp_path, throughput=False)
    rec = data["claims"][0]["result"]["upper"]
    assert "part" not in rec and check_folder(tmp_path).exit_code == 0
    rec["part"] = "throughput"
    _write_claims(tmp_path, data)
    probs = _problems(tmp_path)
    assert len(probs) == 1 and "proves no upper bound of part 'throughput'" in probs[0], probs


def test_the_producer_refuses_an_unknown_part():
    from proofs.checkers.registry import check_certificate
    from proofs.claims.claim import Finding
    from proofs.exact.errors import ProofsParameterError
    from tests.proofs.checkers.test_slot_queue import _tb_cert

    b = check_certificate(_tb_cert(0.5, lower="0", upper=None))
    with pytest.raises(ProofsParameterError, match="part"):
        Finding.certified_by(b.details["throughput"]["lower"], part="E[T_B]")
