"""One CLI vocabulary: every command that has a shared option spells, checks and explains it the same way.

Commands are discovered from :data:`proofs.cli.main.COMMANDS` and their ``--help``
text, so a new command is held to the same rules as soon as it is registered.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from proofs.cli.main import COMMANDS, main
from proofs.cli.options import BINS_MAX, N_MAX, SEED_MAX

#: option -> (a bad value, the start of the shared message)
SHARED = {
    "--N": ("abc", f"`--N` must be an integer in [1, {N_MAX}]; got 'abc'"),
    "--seed": ("abc", f"`--seed` must be an integer in [0, {SEED_MAX}]; got 'abc'"),
    "--bins": ("abc", f"`--bins` must be an integer in [2, {BINS_MAX}]; got 'abc'"),
    "--plot": ("figure.txt", "`--plot` must name a file ending in .png, .pdf or .svg"),
}
#: spellings that one shared option replaced
RETIRED = ("--quantum-n", "--anatomy-plot", "--out-dir", "--directory", "--n ")


def _help(capsys: pytest.CaptureFixture, cmd: str) -> str:
    assert main([cmd, "--help"]) == 0
    return capsys.readouterr().out


def _options(text: str) -> set[str]:
    return set(re.findall(r"(?<![\w-])(--[A-Za-z][\w-]*)", text))


@pytest.mark.parametrize("cmd", COMMANDS)
def test_shared_options_share_their_checks(capsys: pytest.CaptureFixture, tmp_path: Path, cmd: str) -> None:
    opts = _options(_help(capsys, cmd))
    for opt, (bad, message) in SHARED.items():
        if opt in opts:
            assert main([cmd, f"{opt}={bad}"]) == 2
            err = capsys.readouterr().err
            assert message in err and err.count("\n") == 1, (cmd, opt, err)
    if "--cert-dir" in opts:
        f = tmp_path / "file"
        f.write_text("x")
        assert main([cmd, f"--cert-dir={f}"]) == 2
        assert "`--cert-dir` must be a directory" in capsys.readouterr().err
    if "--json" in opts:  # a flag, never a value
        assert main([cmd, "--json=yes"]) == 2
        capsys.readouterr()


@pytest.mark.parametrize("cmd", COMMANDS)
def test_no_retired_spellings(capsys: pytest.CaptureFixture, cmd: str) -> None:
    text = _help(capsys, cmd)
    assert not [r for r in RETIRED if r in text], text
