import json

from proofs.claims.registry import CLAIMS
from proofs.cli.main import main


def test_verify_json_lists_every_claim(tmp_path, capsys):
    out = tmp_path / "rep"
    code = main(["verify", "--json", "--no-figures", "--out", str(out), "--only", "p-bunch", "eq3-4"])
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    ids = [c["id"] for c in data["claims"]]
    assert ids == [c.id for c in CLAIMS if c.id in ("p-bunch", "eq3-4")]
    assert all(c["status"] != "error" for c in data["claims"])
    assert code == 0
    assert captured.err == ""  # quiet in --json mode
    # claims.json holds the same claims as --json
    doc = json.loads((out / "claims.json").read_text())
    assert doc["claims"] == data["claims"] and doc["run"] == data["run"] and doc["version"] == data["report_version"]
    assert (out / "records" / "eq3-4.json").is_file() and (out / "report.md").is_file()


def test_verify_table_and_overwrite_policy(tmp_path, capsys):
    out = tmp_path / "rep"
    assert main(["verify", "--quiet", "--no-figures", "--out", str(out), "--only", "condition"]) == 0
    text = capsys.readouterr().out
    row = next(line for line in text.splitlines() if line.startswith("condition "))
    assert row.split()[1] == "proved" and "dE[T_B]/dp" in row  # one line per claim: id, status, paper, headline, seconds
    assert "Summary: 1 proved." in text and "qcoord check" in text and "[PROVED]" not in text and "evidence:" not in text
    # an earlier report is replaced ...
    assert main(["verify", "--quiet", "--no-figures", "--out", str(out), "--only", "eq8"]) == 0
    assert [c["id"] for c in json.loads((out / "claims.json").read_text())["claims"]] == ["eq8"]
    # ... any other non-empty folder is refused before any work, with exit 2 and a clear line
    other = tmp_path / "mine"
    other.mkdir()
    (other / "data.csv").write_text("1,2")
    capsys.readouterr()
    assert main(["verify", "--quiet", "--out", str(other), "--only", "eq8"]) == 2
    err = capsys.readouterr().err
    assert "not empty" in err and "qcoord report" in err
    assert sorted(p.name for p in other.iterdir()) == ["data.csv"]


def test_verify_cert_dir_gets_copies(tmp_path, capsys):
    out, extra = tmp_path / "rep", tmp_path / "certs"
    assert main(["verify", "--quiet", "--no-figures", "--out", str(out), "--cert-dir", str(extra), "--only", "deterministic"]) == 0
    mine = sorted(p.relative_to(out / "certificates").as_posix() for p in (out / "certificates").rglob("*.json"))
    assert mine and sorted(p.relative_to(extra).as_posix() for p in extra.rglob("*.json")) == mine


def test_verify_rejects_unknown_claim(capsys):
    assert main(["verify", "--only", "nope"]) == 2
    assert "`--only`" in capsys.readouterr().err


def test_claims_have_unique_ids_and_resolvable_checks():
    ids = [c.id for c in CLAIMS]
    assert len(ids) == len(set(ids))
    for c in CLAIMS:
        if c.check is not None:
            assert callable(c.checker())


def test_verify_verbose_adds_the_prose(tmp_path, capsys):
    out = tmp_path / "rep"
    assert main(["verify", "--quiet", "--verbose", "--no-figures", "--out", str(out), "--only", "condition"]) == 0
    text = capsys.readouterr().out
    assert text.index("condition ") < text.index("[PROVED] condition") and "evidence:" in text


def test_verify_never_deletes_a_user_file(tmp_path, capsys):
    """A file the user put into an earlier report's folders survives: verify refuses (exit 2) and removes nothing."""
    out = tmp_path / "rep"
    assert main(["verify", "--quiet", "--no-figures", "--out", str(out), "--only", "eq8"]) == 0
    before = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    mine = out / "figures" / "my-plot.png"
    mine.write_bytes(b"not qcoord's")
    capsys.readouterr()
    assert main(["verify", "--quiet", "--no-figures", "--out", str(out), "--only", "condition"]) == 2
    err = capsys.readouterr().err
    assert "figures/my-plot.png" in err and len(err.strip().splitlines()) == 1
    assert mine.read_bytes() == b"not qcoord's"
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == sorted([*before, "figures/my-plot.png"])
    # a file beside the report's entries is never looked at, and the report is replaced around it
    mine.rename(out / "my-plot.png")
    assert main(["verify", "--quiet", "--no-figures", "--out", str(out), "--only", "condition"]) == 0
    assert (out / "my-plot.png").read_bytes() == b"not qcoord's"
    assert [c["id"] for c in json.loads((out / "claims.json").read_text())["claims"]] == ["condition"]
    assert not list((out / "certificates").rglob("*eq8*")) and not (out / "records" / "eq8.json").exists()


def test_verify_refuses_a_report_without_a_manifest(tmp_path, capsys):
    out = tmp_path / "rep"
    assert main(["verify", "--quiet", "--no-figures", "--out", str(out), "--only", "eq8"]) == 0
    run = json.loads((out / "run.json").read_text())
    assert "run.json" in run["files"] and "claims.json" in run["files"]
    del run["files"]
    (out / "run.json").write_text(json.dumps(run))
    capsys.readouterr()
    assert main(["verify", "--quiet", "--no-figures", "--out", str(out), "--only", "condition"]) == 2
    assert "manifest" in capsys.readouterr().err
    assert (out / "claims.json").is_file()


def test_verify_passes_where_jobs_run_to_the_checks_that_run_batches(tmp_path, capsys, monkeypatch):
    import proofs.claims.registry as registry
    from proofs.claims.claim import Claim, ClaimResult

    seen = {}

    def batch(*, quick, cert_dir, workers=2, dask=None):
        seen.update(workers=workers, dask=dask)
        return ClaimResult("proved", "ok", "spy")

    monkeypatch.setattr(registry, "CLAIMS", (Claim("spy", "-", "-", "-", batch),))  # verify reads it when it runs
    assert main(["verify", "--quiet", "--no-figures", "--out", str(tmp_path / "a"), "--only", "spy"]) == 0
    assert seen == {"workers": 2, "dask": None}  # not given: the check's own default
    assert main(["verify", "--quiet", "--no-figures", "--out", str(tmp_path / "b"), "--only", "spy", "--workers", "3"]) == 0
    assert seen == {"workers": 3, "dask": None}
    capsys.readouterr()


def test_verify_unreachable_scheduler_is_one_line_before_any_claim(tmp_path, capsys, monkeypatch):
    import pytest

    pytest.importorskip("distributed")
    monkeypatch.setenv("QCOORD_DASK_TIMEOUT", "1")
    code = main(["verify", "--no-figures", "--out", str(tmp_path / "rep"), "--only", "p-bunch", "--dask", "tcp://127.0.0.1:1"])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "cannot reach the Dask scheduler" in err, err
    assert not (tmp_path / "rep").exists()
