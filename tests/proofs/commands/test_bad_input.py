"""Every option of every command against NaN, +-inf, 0, negative, huge and non-numeric values.

A bad value must end in exit status 2 with one line on stderr naming the
option, *before* any heavy work starts; a good value must reach the work.  The
heavy entry point of each command is replaced by a sentinel that raises
:class:`HeavyWork`, so "reached the work" is observable and no test solves
anything.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from proofs.cli import main

STANDARD = ("nan", "inf", "-inf", "0", "-1", "1e300", "10000000000000", "abc")


class HeavyWork(Exception):
    """Raised by the sentinel that replaces a command's heavy work."""


def _sentinel(*args: object, **kwargs: object) -> None:
    raise HeavyWork


@pytest.fixture(autouse=True)
def no_heavy_work(monkeypatch: pytest.MonkeyPatch) -> None:
    import games
    import games.system.comparison
    import proofs.commands.sweep
    import proofs.commands.verify
    import proofs.law_table
    import proofs.noise_bracket
    import proofs.system_result

    monkeypatch.setattr(games, "discretise", _sentinel)  # qcoord game
    monkeypatch.setattr(proofs.commands.sweep, "sweep_points", _sentinel)  # qcoord sweep
    monkeypatch.setattr(games.system.comparison, "compare_rules", _sentinel)  # qcoord queue
    monkeypatch.setattr(proofs.commands.verify, "run_claim", _sentinel)  # qcoord verify
    monkeypatch.setattr(proofs.system_result, "system_result", _sentinel)  # qcoord system
    monkeypatch.setattr(proofs.law_table, "law_table", _sentinel)  # qcoord laws
    monkeypatch.setattr(proofs.noise_bracket, "certify_noise", _sentinel)  # qcoord noise


# command -> (arguments that make the rest of the command line valid, {option: values accepted from STANDARD})
BASE = {
    "game": ["--N", "10"],
    "sweep": ["--steps", "2"],
    "queue": ["--lam", "0.5", "--p-split", "0.5"],
    "system": ["--lam", "0.5", "--W-limit", "2"],
    "laws": ["--law", "exponential"],
    "noise": ["--skip-system"],
}
NUMERIC = {
    "game": {"--C": (), "--N": (), "--seed": ("0",), "--bins": (), "--exact-max-n": ("0",)},
    "sweep": {"--C-min": (), "--C-max": (), "--steps": (), "--tol": (), "--N": (), "--seed": ("0",), "--bins": ()},
    "queue": {"--lam": (), "--mu": (), "--p-split": ("0",), "--k": ("0",), "--pairs": (), "--seed": ("0",)},
    "system": {"--lam": (), "--mu": (), "--W-limit": ("1e300", "10000000000000"), "--k": ("0",), "--simulate": (), "--seed": ("0",)},
    "laws": {"--N": (), "--search-N": (), "--grid": (), "--grid-p": (), "--grid-N": (), "--workers": (), "--rho": (), "--W-fraction": ()},
    "noise": {"--C": (), "--v": ("0",), "--resolution": (), "--lam": (), "--mu": (), "--W-limit": (), "--k": ("0",), "--f": ("0",), "--N": (), "--bins": (), "--seed": ("0",), "--sweep": ()},
}
CHOICES = {"game": ("--game", "--quantum-method"), "sweep": ("--quantum",), "queue": ("--order",), "system": ("--route",)}


def _argv(cmd: str, option: str, value: str) -> list[str]:
    base = list(BASE[cmd])
    if option in base:  # replace the base value of this option
        i = base.index(option)
        del base[i : i + 2]
    return [cmd, *base, f"{option}={value}"]


def _rejected(capsys: pytest.CaptureFixture, argv: list[str], needle: str) -> None:
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 2, (argv, out, err)
    assert out == "" and err.count("\n") == 1 and "Traceback" not in err, err
    assert needle in err, (needle, err)


def _accepted(argv: list[str]) -> None:
    with pytest.raises(HeavyWork):
        main(argv)


NUMERIC_CASES = [(cmd, opt, v, v in ok) for cmd, opts in NUMERIC.items() for opt, ok in opts.items() for v in STANDARD]


@pytest.mark.parametrize("cmd, option, value, ok", NUMERIC_CASES, ids=[f"{c} {o}={v}" for c, o, v, _ in NUMERIC_CASES])
def test_numeric_option(capsys: pytest.CaptureFixture, cmd: str, option: str, value: str, ok: bool) -> None:
    argv = _argv(cmd, option, value)
    if ok:
        _accepted(argv)
    else:
        _rejected(capsys, argv, f"`{option}`")


@pytest.mark.parametrize("cmd, option", [(c, o) for c, opts in CHOICES.items() for o in opts])
@pytest.mark.parametrize("value", ["abc", "nan", "0", ""])
def test_choice_option(capsys: pytest.CaptureFixture, cmd: str, option: str, value: str) -> None:
    _rejected(capsys, _argv(cmd, option, value), option)


def _bad_paths(tmp_path: Path) -> dict[str, str]:
    f = tmp_path / "file.txt"
    f.write_text("x")
    (tmp_path / "adir.png").mkdir()
    return {
        "a file": str(f),
        "under a file": str(f / "sub"),
        "empty": "",
    }


@pytest.mark.parametrize("cmd", ["game", "sweep"])
@pytest.mark.parametrize("case", ["a file", "under a file", "empty"])
def test_cert_dir_unwritable(capsys: pytest.CaptureFixture, tmp_path: Path, cmd: str, case: str) -> None:
    _rejected(capsys, _argv(cmd, "--cert-dir", _bad_paths(tmp_path)[case]), "`--cert-dir`")


@pytest.mark.parametrize("cmd", ["game", "sweep"])
def test_cert_dir_new_folder_accepted(tmp_path: Path, cmd: str) -> None:
    _accepted(_argv(cmd, "--cert-dir", str(tmp_path / "new" / "certs")))


@pytest.mark.parametrize("cmd", ["game", "sweep"])
@pytest.mark.parametrize("name", ["adir.png", "figure", "figure.txt", "file.txt/sub.png", "nan", ""])
def test_plot_path_bad(capsys: pytest.CaptureFixture, tmp_path: Path, cmd: str, name: str) -> None:
    _bad_paths(tmp_path)
    _rejected(capsys, _argv(cmd, "--plot", str(tmp_path / name) if name else ""), "`--plot`")


@pytest.mark.parametrize(
    "argv, needle",
    [
        (["game", "--game", "linear", "--C", "0.5", "--N", "10"], "`--C`"),  # C of the linear game would be ignored
        (["game", "--N", "30000"], "`--N`"),  # memory: refused, naming what it would need
        (["game", "--C", "1e-300", "--N", "10"], "`--C`"),
        (["sweep", "--C-min", "0.6", "--C-max", "0.5"], "`--C-min`"),
        (["sweep", "--N", "1000000"], "`--N`"),
        (["sweep", "--bins", "20000"], "`--bins`"),  # memory: the continuum programme's tables
        (["game", "--N", "10", "--bins", "20000"], "`--bins`"),
        (["queue", "--lam", "1.0", "--p-split", "0.5"], "`rho`"),
        (["queue", "--lam", "0.5", "--mu", "1e300", "--p-split", "0.5"], "`--mu`"),
        (["queue", "--lam", "0.5", "--p-split", "0.5", "--pairs", "1000000000000"], "`--pairs`"),
        (["queue", "--lam", "0.5", "--p-split", "0.5", "--k", "171"], "`--k`"),
        (["verify", "--only", "no-such-claim"], "no-such-claim"),
        (["system", "--lam", "0.5", "--W-limit", "0.5"], "always-split"),  # below the always-split wait: infeasible for every class
        (["system", "--lam", "1", "--W-limit", "2"], "`rho`"),
        (["laws", "--law", "no-such-law"], "no-such-law"),
    ],
)
def test_cross_option_and_resource_checks(capsys: pytest.CaptureFixture, argv: list[str], needle: str) -> None:
    _rejected(capsys, argv, needle)


def test_memory_message_names_the_need(capsys: pytest.CaptureFixture) -> None:
    assert main(["game", "--N", "30000"]) == 2
    err = capsys.readouterr().err
    assert "GiB of memory" in err and "30000" in err


def test_valid_command_lines_reach_the_work(tmp_path: Path) -> None:
    _accepted(["game", "--N", "10", "--C", "0.5", "--plot", str(tmp_path / "a.png"), "--cert-dir", str(tmp_path)])
    _accepted(["game", "--game", "linear", "--N", "10", "--continuum", "--json"])
    _accepted(["sweep", "--steps", "2", "--quantum", "off", "--plot", str(tmp_path / "s.svg")])
    _accepted(["queue", "--lam", "0.5", "--p-split", "0", "--order", "longer_first", "--json"])


@pytest.mark.parametrize("case", ["missing", "directory", "not json"])
def test_check_unreadable_file(capsys: pytest.CaptureFixture, tmp_path: Path, case: str) -> None:
    path = {"missing": tmp_path / "none.json", "directory": tmp_path, "not json": tmp_path / "x.json"}[case]
    if case == "not json":
        path.write_text("{not json")
    code = main(["check", str(path)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err and str(path) in err
