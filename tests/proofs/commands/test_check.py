from proofs.cli import main


def test_check_unreadable_file_exits_2(tmp_path, capsys):
    assert main(["check", str(tmp_path / "missing.json")]) == 2
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert main(["check", str(bad)]) == 2
    unknown = tmp_path / "unknown.json"
    unknown.write_text('{"schema": 2, "kind": "no-such-kind"}')
    assert main(["check", str(unknown)]) == 2
    assert "unknown certificate kind" in capsys.readouterr().err
