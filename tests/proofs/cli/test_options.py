"""One CLI vocabulary: every command that has a shared option spells, checks and explains it the same way.

Commands are discovered from :data:`proofs.cli.main.COMMANDS` and their ``--help``
text, so a new command is held to the same rules as soon as it is registered.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from proofs.cli.main import COMMANDS, main
from proofs.cli.options import BINS_MAX, N_DEFAULT, N_MAX, N_MIN, SEED_MAX

#: option -> (a bad value, the start of the shared message)
SHARED = {
    "--N": ("abc", "`--N` must be an integer in ["),
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


# ---------------------------------------------------------------------------- parity: one default, the stated range is the accepted one

#: the options defined once in proofs.cli.options; each must have one default in every command
PARITY = ("--N", "--seed", "--bins", "--cert-dir", "--json", "--plot", "--k", "--lam", "--mu", "--W-limit", "--law")
#: options whose help states a numeric range "in [low, high]"
RANGED = ("--N", "--seed", "--bins", "--k", "--lam", "--mu", "--W-limit")
#: what a command needs besides the option under test to parse
REQUIRED = {"queue": ["--p-split", "0.5"], "check": ["x"], "xor": ["game.json"], "routers": []}


def _subparsers() -> dict:
    from proofs.cli.main import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.choices and isinstance(a.choices, dict))
    return dict(sub.choices)


def _action(sub, option: str):  # noqa: ANN001, ANN202
    return next((a for a in sub._actions if option in a.option_strings), None)


#: commands whose options of these names are grid axes (comma-separated lists), checked with the grid
#: before any work (tests/proofs/cli/test_atlas.py), not single values
AXES = frozenset({"atlas"})
#: commands whose ``--law`` differs on purpose: ``routers`` takes one law of the two with exact N-bin weights
#: (exponential, uniform), not a list of catalogue laws
OWN_LAW = frozenset({"routers"})


def test_shared_options_have_one_default_everywhere() -> None:
    subs = {c: s for c, s in _subparsers().items() if c not in AXES}
    for option in PARITY:
        if option == "--law":
            subs = {c: s for c, s in subs.items() if c not in OWN_LAW}
        defaults = {cmd: _action(sub, option).default for cmd, sub in subs.items() if _action(sub, option) is not None}
        assert len(set(map(repr, defaults.values()))) <= 1, (option, defaults)
    assert {c for c, s in subs.items() if _action(s, "--cert-dir")} >= {"noise", "system", "game", "sweep", "laws", "verify"}
    assert _action(subs["laws"], "--seed") is not None
    assert _action(subs["noise"], "--k").default == _action(subs["system"], "--k").default == 2.0


#: the commands that play the N-bin game
N_COMMANDS = {"game", "sweep", "noise", "laws"}


def test_n_has_one_default_and_one_range_in_every_command(capsys: pytest.CaptureFixture) -> None:
    """``--N``: the default and the range of proofs.cli.options, stated the same in every --help, accepted as stated."""
    subs = _subparsers()
    having = {c for c, s in subs.items() if _action(s, "--N") is not None}
    assert having >= N_COMMANDS, having
    stated = set()
    for cmd in sorted(having):
        action = _action(subs[cmd], "--N")
        assert action.default == N_DEFAULT, (cmd, action.default)
        m = re.search(r"in \[([0-9]+), ([0-9]+)\].*\(default ([0-9]+)\)", " ".join((action.help or "").split()))
        assert m, (cmd, action.help)
        stated.add(tuple(int(x) for x in m.groups()))
        for good in (N_MIN, N_DEFAULT, N_MAX):
            assert subs[cmd].parse_args([*REQUIRED.get(cmd, []), f"--N={good}"]).N == good
        for bad in (N_MIN - 1, N_MAX + 1):
            assert main([cmd, *REQUIRED.get(cmd, []), f"--N={bad}"]) == 2
            err = capsys.readouterr().err
            assert f"`--N` must be an integer in [{N_MIN}, {N_MAX}]; got '{bad}'" in err and err.count("\n") == 1, err
    assert stated == {(N_MIN, N_MAX, N_DEFAULT)}, stated


@pytest.mark.parametrize("cmd", sorted(N_COMMANDS))
def test_n_beyond_the_memory_is_refused_in_one_line(capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch, cmd: str) -> None:
    """On a machine that cannot hold the N x N game, every command refuses --N before any work: one line, exit 2."""
    import proofs.cli.options as options

    monkeypatch.setattr(options, "available_memory", lambda: 2**20)  # 1 MiB: N = 128 needs 4 MiB
    args = ["--law", "exponential", "--no-system"] if cmd == "laws" else ["--bins", "2"]
    assert main([cmd, *args, f"--N={N_DEFAULT}", "--json"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"`--N` = {N_DEFAULT} would need about" in err and "of memory" in err, err


def _outside(text: str, low: bool) -> str:
    x = float(text)
    if re.fullmatch(r"[0-9]+", text):
        return str(int(text) - 1 if low else int(text) + 1)
    step = max(abs(x), 1e-300) * 1e-9 if x != 0 else 1e-9
    return repr(x - step if low else x + step)


CASES = [(cmd, opt) for cmd in COMMANDS if cmd not in AXES for opt in RANGED]


@pytest.mark.parametrize("cmd, option", CASES, ids=[f"{c} {o}" for c, o in CASES])
def test_range_in_help_is_the_range_accepted(capsys: pytest.CaptureFixture, cmd: str, option: str) -> None:
    """Parse "in [low, high]" from the option's help: both ends parse, one step outside each end exits 2 with one line."""
    sub = _subparsers()[cmd]
    action = _action(sub, option)
    if action is None:
        pytest.skip(f"qcoord {cmd} has no {option}")
    m = re.search(r"in \[([-+0-9.e]+), ([-+0-9.e]+)\]", action.help or "")
    assert m, (cmd, option, action.help)
    lo, hi = m.groups()
    for value in (lo, hi):
        ns = sub.parse_args([*REQUIRED.get(cmd, []), f"{option}={value}"])
        assert float(getattr(ns, action.dest)) == float(value)
    for value in (_outside(lo, True), _outside(hi, False)):
        assert main([cmd, *REQUIRED.get(cmd, []), f"{option}={value}"]) == 2, (cmd, option, value)
        err = capsys.readouterr().err
        stated = re.search(r"\[([-+0-9.e]+), ([-+0-9.e]+)\]", err)
        assert err.count("\n") == 1 and f"`{option}`" in err and stated, err
        assert (float(stated.group(1)), float(stated.group(2))) == (float(lo), float(hi)), err


def test_law_takes_several_laws_after_one_flag_and_repeated_flags() -> None:
    sub = _subparsers()["laws"]
    assert sub.parse_args(["--law", "exponential", "gamma:2", "--law", "uniform"]).law == ["exponential", "gamma:2", "uniform"]
    assert sub.parse_args(["--law", "exponential"]).law == ["exponential"]
    assert sub.parse_args([]).law is None
