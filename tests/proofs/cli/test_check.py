from proofs.cli.main import main


def test_check_unreadable_file_exits_2(tmp_path, capsys):
    assert main(["check", str(tmp_path / "missing.json")]) == 2
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert main(["check", str(bad)]) == 2
    unknown = tmp_path / "unknown.json"
    unknown.write_text('{"schema": 2, "kind": "no-such-kind"}')
    assert main(["check", str(unknown)]) == 2
    assert "unknown certificate kind" in capsys.readouterr().err


def test_check_single_certificate_still_works(small_report, capsys):
    import json

    p = next((small_report.folder / "certificates" / "deterministic").glob("*.json"))
    assert main(["check", str(p), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["kind"] == "bound"
