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


def test_a_unicode_digit_in_a_game_header_is_one_line_not_a_traceback(tmp_path, capsys) -> None:  # noqa: ANN001
    import json as _json

    from proofs.cli.main import main as _main

    g = tmp_path / "g.json"
    g.write_text(_json.dumps({"bias": [["1/4", "1/4"], ["1/4", "-1/4"]]}))
    assert _main(["xor", str(g), "--cert-dir", str(tmp_path / "c")]) == 0
    capsys.readouterr()
    for f in sorted((tmp_path / "c").iterdir()):
        c = _json.loads(f.read_text())
        c["game"]["rows"] = "\u00b2"
        f.write_text(_json.dumps(c))
    assert _main(["check", str(tmp_path / "c")]) != 0
    out = capsys.readouterr()
    assert "Traceback" not in out.err + out.out and "positive integer" in out.err + out.out
