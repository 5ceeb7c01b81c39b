"""The report folder: structure, relative paths, overwrite policy, figures."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from proofs.checkers.report_folder import check_folder
from proofs.claims.claim import ClaimResult, Evidence, Finding
from proofs.claims.registry import CLAIMS
from proofs.report.folder import (
    LIBRARIES,
    ReportFolderError,
    claim_entry,
    is_report,
    prepare_folder,
    write_report,
)


def _all_strings(o):
    if isinstance(o, str):
        yield o
    elif isinstance(o, dict):
        for v in o.values():
            yield from _all_strings(v)
    elif isinstance(o, list):
        for v in o:
            yield from _all_strings(v)


def test_folder_layout_and_run_info(small_report):
    root = small_report.folder
    for name in ("report.md", "claims.json", "run.json", "certificates", "records", "figures"):
        assert (root / name).exists(), name
    run = json.loads((root / "run.json").read_text())
    assert run["format"] == "qcoord-report" and run["mode"] == "quick"
    assert set(run["libraries"]) == set(LIBRARIES) and run["cpu_count"] >= 1
    assert set(run["claim_seconds"]) == {"eq3-4", "deterministic", "q-gt-c"}
    data = json.loads((root / "claims.json").read_text())
    files = run.pop("files")  # the manifest lives in run.json only
    assert data["run"] == run
    on_disk = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    assert files == on_disk  # every file the run wrote, and nothing else
    assert [c["id"] for c in data["claims"]] == ["eq3-4", "deterministic", "q-gt-c"]


def test_claims_json_schema(small_report):
    data = json.loads((small_report.folder / "claims.json").read_text())
    for c in data["claims"]:
        assert {"id", "where", "statement", "status", "paper", "result", "evidence", "assumptions", "seconds"} <= set(c)
        assert set(c["paper"]) == {"value", "text"}
        for item in c["evidence"]:
            assert item["kind"] in ("certificate", "record", "simulation", "figure", "computation") and item["summary"]
    assert data["version"] == 2
    det = next(c for c in data["claims"] if c["id"] == "deterministic")
    r = det["result"]
    # numbers are labelled records: a JSON number beside its exact p/q string, rounded the safe way
    from fractions import Fraction

    lo, up = r["lower"], r["upper"]
    assert lo["kind"] == up["kind"] == "certified" and isinstance(lo["value"], float) and isinstance(up["value"], float)
    assert Fraction(lo["value"]) <= Fraction(lo["exact"]) and Fraction(up["value"]) >= Fraction(up["exact"])
    assert lo["value"] < up["value"] < lo["value"] + 1e-4
    assert up["target"]["model"] == "classical" and up["target"]["N"] is None
    assert set(r) <= {"target", "unit", "lower", "upper", "estimate"}
    eq34 = next(c for c in data["claims"] if c["id"] == "eq3-4")
    assert eq34["evidence"][0]["kind"] == "record"
    assert (small_report.folder / eq34["evidence"][0]["path"]).is_file()


def test_nothing_points_outside_the_folder(small_report):
    root = small_report.folder
    for name in ("claims.json", "report.md"):
        text = (root / name).read_text()
        assert str(root) not in text and "/tmp" not in text, name
    data = json.loads((root / "claims.json").read_text())
    for s in _all_strings(data["claims"]):
        if s.endswith(".json") and " " not in s:
            assert not os.path.isabs(s) and ".." not in s and (root / s).is_file(), s


def test_every_certificate_is_cited_by_its_claim(small_report):
    data = json.loads((small_report.folder / "claims.json").read_text())
    cited = {i["path"] for c in data["claims"] for i in c["evidence"] if i["kind"] == "certificate"}
    on_disk = {p.relative_to(small_report.folder).as_posix() for p in (small_report.folder / "certificates").rglob("*.json")}
    assert on_disk and on_disk == cited


def test_report_md_has_table_and_a_paragraph_per_claim(small_report):
    md = (small_report.folder / "report.md").read_text()
    assert "| id | paper's statement | paper | qcoord | status |" in md
    for cid in ("eq3-4", "deterministic", "q-gt-c"):
        assert f"| {cid} |" in md and f"### {cid} " in md


def test_overwrite_refused_for_foreign_folder(tmp_path):
    (tmp_path / "thesis.tex").write_text("precious")
    with pytest.raises(ReportFolderError, match="not empty"):
        prepare_folder(tmp_path)
    assert (tmp_path / "thesis.tex").read_text() == "precious"
    f = tmp_path / "file"
    f.write_text("x")
    with pytest.raises(ReportFolderError, match="is a file"):
        prepare_folder(f)


def test_earlier_report_is_replaced_but_foreign_files_kept(tmp_path):
    out = prepare_folder(tmp_path / "r")
    (out / "run.json").write_text(json.dumps({"format": "qcoord-report", "files": ["certificates/old/stale.json", "run.json"]}))
    stale = out / "certificates" / "old" / "stale.json"
    stale.parent.mkdir(parents=True)
    stale.write_text("{}")
    (out / "notes.txt").write_text("mine")
    assert is_report(out)
    prepare_folder(out)
    assert not stale.exists() and not (out / "run.json").exists()
    assert (out / "notes.txt").read_text() == "mine"
    # a file in the report's own folders that the manifest does not list: refused, nothing removed
    (out / "run.json").write_text(json.dumps({"format": "qcoord-report", "files": ["run.json"]}))
    (out / "figures" / "mine.png").write_text("mine")
    with pytest.raises(ReportFolderError, match=r"mine\.png"):
        prepare_folder(out)
    assert (out / "figures" / "mine.png").read_text() == "mine" and (out / "run.json").exists()


def test_each_claim_gets_its_own_cert_dir_and_the_environment_is_untouched(tmp_path, monkeypatch):
    from proofs.claims.claim import Claim, run_claim

    monkeypatch.setenv("QCOORD_CERT_DIR", str(tmp_path / "decoy"))
    before = dict(os.environ)
    seen = {}

    def spy(*, quick, cert_dir):
        seen[cert_dir.name] = (cert_dir, os.environ.get("QCOORD_CERT_DIR"))
        (cert_dir / "note.json").write_text("{}")
        return ClaimResult("proved", "ok", "spy")

    claims = [Claim("spy-a", "-", "-", "-", spy), Claim("spy-b", "-", "-", "-", spy)]
    rep = write_report(tmp_path / "r", claims, figures=False, runner=run_claim)
    root = rep.folder.resolve()
    assert seen == {c.id: (root / "certificates" / c.id, str(tmp_path / "decoy")) for c in claims}
    assert dict(os.environ) == before and not (tmp_path / "decoy").exists()
    # what the check wrote into its directory is listed as its evidence
    assert [e["evidence"][0]["path"] for e in rep.claims_json()["claims"]] == ["certificates/spy-a/note.json", "certificates/spy-b/note.json"]


def test_prose_only_claim_degrades_gracefully(tmp_path):
    """A claim that returns only prose (and writes its certificate elsewhere) still gets a self-contained entry."""
    root = prepare_folder(tmp_path / "r")
    outside = tmp_path / "elsewhere" / "cert.json"
    outside.parent.mkdir()
    outside.write_text('{"kind": "demo"}')
    res = ClaimResult("proved", f"value 0.5; certificate {outside}", f"see {outside}, and proofs/records/eq8.json.")
    e = claim_entry(CLAIMS[0], res, 1.0, root)
    assert e["result"] is None and e["headline"] == "value 0.5"
    copied = "certificates/eq3-4/cert.json"
    assert copied in e["ours"] and copied in e["evidence_text"] and "records/eq8.json" in e["evidence_text"]
    assert (root / copied).read_text() == '{"kind": "demo"}' and (root / "records" / "eq8.json").is_file()
    assert str(tmp_path) not in json.dumps(e)


def test_structured_claim_entry(tmp_path):
    root = prepare_folder(tmp_path / "r")
    res = ClaimResult(
        "reproduced", "prose", "prose", headline="short",
        findings=(Finding("x", estimate=0.25, unit="probability"), Finding("y", lower=0.1, upper=0.2)),
        evidence_items=(Evidence("simulation", "10 pairs", seed=3),),
        assumptions=("a1",),
    )
    e = claim_entry(CLAIMS[0], res, 2.0, root)
    assert e["headline"] == "short"
    assert e["result"] == {"target": "x", "estimate": {"value": 0.25, "kind": "estimate"}, "unit": "probability"}
    assert e["further_results"] == [{"target": "y", "lower": {"value": 0.1, "kind": "estimate"}, "upper": {"value": 0.2, "kind": "estimate"}}]
    assert e["decisions"] == []
    assert e["evidence"] == [{"kind": "simulation", "summary": "10 pairs", "seed": 3}] and e["assumptions"] == ["a1"]


def test_evidence_kind_is_validated():
    with pytest.raises(ValueError, match="`kind`"):
        Evidence("rumour", "x")


def test_certified_finding_needs_checked_bounds():
    with pytest.raises(ValueError, match="at least one Bound"):
        Finding.certified_by(target="t")
    with pytest.raises(ValueError, match="checked lower Bound"):
        Finding.certified_by(lower=0.5)
    with pytest.raises(ValueError, match="needs `lower` or `upper`"):
        Finding.derived_by("t")


def test_copied_report_still_checks(small_report, tmp_path):
    dest = tmp_path / "moved" / "copy"
    shutil.copytree(small_report.folder, dest)
    res = check_folder(dest)
    assert res.exit_code == 0, res.failures()


def test_figures_are_drawn_and_their_certificates_check(figures_report):
    root = figures_report.folder
    names = [f["name"] for f in figures_report.figures]
    assert names == ["bunch-region", "angles", "c-sweep", "waiting-time", "frontier", "routers"]
    md = (root / "report.md").read_text()
    for f in figures_report.figures:
        assert "error" not in f, f
        png = root / f["path"]
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
        assert f"![{f['name']}]({f['path']})" in md and f["caption"]
    assert any(f.get("certificates") for f in figures_report.figures)
    res = check_folder(root)
    assert res.exit_code == 0, res.failures()


def test_failing_figure_is_reported_not_hidden(tmp_path, monkeypatch):
    from proofs.report import figures as report_figures

    def broken(path, *, quick, cert_dir):
        raise RuntimeError("no data for this figure")

    monkeypatch.setattr(report_figures, "FIGURES", (report_figures.Figure("broken", broken),))
    rep = write_report(tmp_path / "r", [c for c in CLAIMS if c.id == "condition"], figures=True)
    (fig,) = rep.figures
    assert "no data for this figure" in fig["error"] and "path" not in fig
    assert "not drawn" in (rep.folder / "report.md").read_text()


def test_progress_lines_name_claim_and_time():
    import io

    from proofs.report.folder import progress_printer

    buf = io.StringIO()
    show = progress_printer(buf)
    show(1, 2, "eq5", None)
    show(1, 2, "eq5", 2.5)
    line = buf.getvalue()
    assert line.startswith("[1/2] eq5 ...") and "2.5 s" in line and "elapsed" in line


def test_progress_lines_state_the_time_left(monkeypatch):
    import io

    from proofs.report import folder

    clock = iter([0.0, 30.0, 60.0])  # start; 1 of 4 claims done at 30 s; 4 of 4 at 60 s
    monkeypatch.setattr(folder.time, "perf_counter", lambda: next(clock))
    buf = io.StringIO()
    show = folder.progress_printer(buf)
    show(1, 4, "eq5", 30.0)
    assert "elapsed 30 s, ~1 min 30 s left" in buf.getvalue()  # 30 s per claim, 3 claims left
    show(4, 4, "last", 1.0)
    assert buf.getvalue().splitlines()[-1].endswith("(elapsed 1 min 00 s)")  # none left: no estimate


def test_run_json_records_seeds(small_report, figures_report):
    run = json.loads((small_report.folder / "run.json").read_text())
    assert run["seeds"] == {}  # these three claims use no seeded search or simulation ...
    run = json.loads((figures_report.folder / "run.json").read_text())
    assert run["seeds"]["figure waiting-time"][0] == 2024  # ... the figures do


def test_non_finite_numbers_become_null(tmp_path):
    import numpy as np

    root = prepare_folder(tmp_path / "r")
    res = ClaimResult("partly", "x", "y", {"a": float("nan"), "b": np.float64("inf"), "c": np.arange(2), "d": 1.5})
    e = claim_entry(CLAIMS[0], res, 0.0, root)
    assert e["data"] == {"a": None, "b": None, "c": [0, 1], "d": 1.5}
    json.dumps(e, allow_nan=False)
