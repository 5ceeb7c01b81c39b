import json

import pytest

from proofs.cli.main import main


def _run(capsys, argv):
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_game_json_has_required_keys(capsys):
    code, out, _ = _run(capsys, ["game", "--C", "0.33", "--N", "120", "--json"])
    assert code == 0
    data = json.loads(out)
    assert data["C"] == 0.33 and data["N"] == 120
    for key in ("value", "method"):
        assert key in data["estimates"]["classical"]
    assert len(data["estimates"]["ansatz_linear"]["params"]) == 3
    assert len(data["estimates"]["ansatz_quadratic"]["params"]) == 5
    vals = [data["estimates"]["classical"]["value"], data["estimates"]["ansatz_linear"]["value"], data["estimates"]["ansatz_quadratic"]["value"]]
    assert all(0 <= v <= 1 for v in vals)
    assert vals[0] < vals[1] <= vals[2] + 1e-12


def test_game_table_says_estimate(capsys):
    code, out, _ = _run(capsys, ["game", "--C", "0.5", "--N", "40"])
    assert code == 0 and "estimate" in out


@pytest.mark.parametrize("argv, msg", [(["--C", "1.5"], "`--C`"), (["--C", "nan"], "`--C`"), (["--N", "0"], "`--N`"), (["--C", "0"], "`--C`")])
def test_game_bad_input_is_one_line(capsys, argv, msg):
    code, out, err = _run(capsys, ["game", *argv, "--N", "10"] if "--N" not in argv else ["game", *argv])
    assert code == 2 and out == ""
    assert msg in err and "Traceback" not in err and err.count("\n") == 1


def test_game_cli_subprocess_exit_code():
    # through the installed console script: non-zero exit, one line, no traceback
    import subprocess
    import sys

    r = subprocess.run([sys.executable, "-m", "proofs.cli.main", "game", "--C", "1.5"], capture_output=True, text=True)
    assert r.returncode == 2 and "Traceback" not in r.stderr and r.stderr.strip().count("\n") == 0
