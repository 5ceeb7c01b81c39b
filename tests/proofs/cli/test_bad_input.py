"""Hostile command lines: every numeric option of every command, and every invocation an audit found harmful.

A bad value, or a request that would not fit in memory or time, must end in
exit status 2 with exactly one line on stderr naming the option, no traceback,
*before* any heavy work starts, and within a few seconds.  A good value must
reach the work.  The heavy entry point of each command is replaced by a
sentinel that raises :class:`HeavyWork`, so "reached the work" is observable
and no test here solves anything; each call of :func:`proofs.cli.main.main` runs
in-process under a wall-clock guard (:func:`_guard`).
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from proofs.cli.main import COMMANDS, main

#: seconds a refused command line may take (parsing, imports, cheap checks; never the work)
LIMIT = 20.0

#: hostile values tried on every numeric option (value -> test id)
HOSTILE = {
    "-1": "negative",
    "0": "zero",
    "-0": "minus-zero",
    "nan": "nan",
    "inf": "inf",
    "-inf": "-inf",
    "1e-320": "subnormal",
    "1e999999999": "huge-exponent",
    "10000000000000": "huge-integer",
    "1" + "0" * 5000: "5000-digit-integer",
    "abc": "non-number",
    "0x10": "hex",
    "1_000": "underscore",
    "": "empty",
}


class HeavyWork(Exception):
    """Raised by the sentinel that replaces a command's heavy work."""


class TooSlow(Exception):
    """Raised by :func:`_guard` when a command line runs past :data:`LIMIT` seconds."""


@contextmanager
def _guard(seconds: float = LIMIT) -> Iterator[None]:
    """Interrupt the block after ``seconds`` of wall-clock time (SIGALRM; the tests run on Linux)."""

    def fire(signum: int, frame: object) -> None:
        raise TooSlow(f"still running after {seconds} s")

    old = signal.signal(signal.SIGALRM, fire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _sentinel(*args: object, **kwargs: object) -> None:
    raise HeavyWork


@pytest.fixture(autouse=True)
def no_heavy_work(monkeypatch: pytest.MonkeyPatch) -> None:
    import bounds.slots
    import games
    import games.system.comparison
    import proofs.certify.atlas
    import proofs.certify.law_table
    import proofs.certify.noise
    import proofs.certify.sweep
    import proofs.certify.system
    import proofs.certify.xor
    import proofs.claims.claim

    monkeypatch.setattr(games, "discretise", _sentinel)  # qcoord game
    monkeypatch.setattr(proofs.certify.sweep, "certify_sweep", _sentinel)  # qcoord sweep
    monkeypatch.setattr(games.system.comparison, "compare_rules", _sentinel)  # qcoord queue
    monkeypatch.setattr(proofs.claims.claim, "run_claim", _sentinel)  # qcoord verify (imported when it runs)
    monkeypatch.setattr(proofs.certify.system, "system_result", _sentinel)  # qcoord system
    monkeypatch.setattr(proofs.certify.law_table, "law_table", _sentinel)  # qcoord laws
    monkeypatch.setattr(proofs.certify.noise, "certify_noise", _sentinel)  # qcoord noise
    monkeypatch.setattr(proofs.certify.atlas, "run_atlas", _sentinel)  # qcoord atlas
    monkeypatch.setattr(proofs.certify.xor, "certify_xor", _sentinel)  # qcoord xor (its own bad input: tests/proofs/cli/test_xor.py)
    monkeypatch.setattr(bounds.slots, "compare_slots", _sentinel)  # qcoord slots


# command -> arguments that make the rest of the command line valid
BASE = {
    "game": ["--N", "10"],
    "sweep": ["--steps", "2"],
    "queue": ["--lam", "0.5", "--p-split", "0.5"],
    "system": ["--lam", "0.5", "--W-limit", "2"],
    "laws": ["--law", "exponential"],
    "noise": ["--skip-system"],
    "verify": ["--only", "eq3-4"],
    "check": [],
    "atlas": ["--rho", "0.5"],
    "xor": [],
    "routers": ["--K", "3"],
    "slots": ["--lam", "0.5", "--W-limit", "2"],
}
# command -> {numeric option: the hostile values it accepts (they must reach the work)}
NUMERIC: dict[str, dict[str, tuple[str, ...]]] = {
    "game": {"--C": (), "--N": (), "--seed": ("0", "-0"), "--bins": (), "--exact-max-n": ("0", "-0")},
    "sweep": {"--C-min": (), "--C-max": (), "--steps": (), "--tol": (), "--N": (), "--seed": ("0", "-0"), "--bins": ()},
    "queue": {"--lam": (), "--mu": (), "--p-split": ("0", "-0"), "--k": (), "--pairs": (), "--seed": ("0", "-0")},  # --k: the shared range [1, 50]
    "system": {"--lam": (), "--mu": (), "--W-limit": ("10000000000000",), "--k": (), "--simulate": (), "--seed": ("0", "-0")},
    "laws": {"--N": (), "--search-N": (), "--grid": (), "--grid-p": (), "--grid-N": (), "--workers": (), "--rho": (), "--W-fraction": ()},
    "noise": {"--C": (), "--v": ("0", "-0"), "--resolution": (), "--lam": (), "--mu": (), "--W-limit": ("10000000000000",), "--k": (), "--f": ("0", "-0"),
              "--N": (), "--bins": (), "--seed": ("0", "-0"), "--sweep": ()},
    "atlas": {"--rho": (), "--W-fraction": (), "--v": ("0", "-0"), "--k": (), "--workers": ()},
    "slots": {"--lam": (), "--lam-b": (), "--mu": (), "--W-limit": ("10000000000000",), "--k": (), "--simulate": (), "--seed": ("0", "-0"), "--h": (),
              "--certify-h": ()},
}
# options whose hostile value is checked without --skip-system (the system level's own options)
NOISE_SYSTEM = ("--lam", "--mu", "--W-limit", "--k", "--f")
CHOICES = {"game": ("--game", "--quantum-method"), "sweep": ("--quantum",), "queue": ("--order",), "system": ("--route",)}


def _argv(cmd: str, option: str, value: str) -> list[str]:
    base = list(BASE[cmd])
    if cmd == "noise" and option in NOISE_SYSTEM:
        base.remove("--skip-system")
    if option in base:  # replace the base value of this option
        i = base.index(option)
        del base[i : i + 2]
    return [cmd, *base, f"{option}={value}"]


def _rejected(capsys: pytest.CaptureFixture, argv: list[str], needle: str) -> str:
    with _guard():
        code = main(argv)
    out, err = capsys.readouterr()
    assert code == 2, (argv, out, err)
    assert out == "" and err.count("\n") == 1 and err.endswith("\n") and "Traceback" not in err, err
    assert needle in err, (needle, err)
    return err


def _accepted(argv: list[str]) -> None:
    with _guard(), pytest.raises(HeavyWork):
        main(argv)


NUMERIC_CASES = [(cmd, opt, v, v in ok) for cmd, opts in NUMERIC.items() for opt, ok in opts.items() for v in HOSTILE]


@pytest.mark.parametrize("cmd, option, value, ok", NUMERIC_CASES, ids=[f"{c} {o} {HOSTILE[v]}" for c, o, v, _ in NUMERIC_CASES])
def test_numeric_option(capsys: pytest.CaptureFixture, cmd: str, option: str, value: str, ok: bool) -> None:
    argv = _argv(cmd, option, value)
    if ok:
        _accepted(argv)
    else:
        _rejected(capsys, argv, f"`{option}`")


def test_every_command_is_covered() -> None:
    assert set(COMMANDS) == set(BASE)


@pytest.mark.parametrize("cmd, option", [(c, o) for c, opts in CHOICES.items() for o in opts])
@pytest.mark.parametrize("value", ["abc", "nan", "0", ""])
def test_choice_option(capsys: pytest.CaptureFixture, cmd: str, option: str, value: str) -> None:
    _rejected(capsys, _argv(cmd, option, value), option)


# The invocations of the audit (and more found by trying as a new user would): each refused before any work.
# (argv, text the one line must contain)
AUDIT = [
    # qcoord system: rho the certificates resolve, T(t) = t^k with k >= 1, W_l not just above W_0, sizes
    (["system", "--lam", "0.999999", "--mu", "1", "--W-limit", "1e6"], "`rho`"),
    # qcoord routers: a stable load, a reachable W_limit, the triangle only for three routers, sizes
    (["routers", "--K", "3", "--lam", "0.7"], "--lam"),
    (["routers", "--K", "3", "--W-limit", "1.6"], "--W-limit"),
    (["routers", "--K", "4", "--lam", "0.3", "--resource", "triangle"], "--resource"),
    (["routers", "--K", "5"], "--K"),
    (["routers", "--router-bins", "65"], "--router-bins"),
    (["routers", "--npa-level", "2"], "--npa-level"),
    (["system", "--lam", "0.9995", "--W-limit", "3000"], "`rho`"),
    (["system", "--lam", "1", "--W-limit", "2"], "`rho`"),
    (["system", "--lam", "2", "--mu", "1", "--W-limit", "2"], "`rho`"),
    (["system", "--lam", "0.5", "--W-limit", "2", "--k", "0"], "`--k`"),
    (["system", "--lam", "0.5", "--W-limit", "2", "--k", "-0"], "`--k`"),
    (["system", "--lam", "0.5", "--W-limit", "2", "--k", "0.5"], "`--k`"),
    (["system", "--lam", "0.5", "--W-limit", "2", "--k", "1e-320"], "`--k`"),
    (["system", "--lam", "0.5", "--W-limit", "2", "--k", "51"], "`--k`"),
    (["system", "--lam", "1e-6", "--W-limit", "1", "--k", "50"], "`--k`"),  # E[T_B] beyond the float range
    (["system", "--lam", "0.5", "--W-limit", "0.5"], "always-split"),  # below W_0: infeasible for every class
    (["system", "--lam", "0.6", "--W-limit", "1.5001"], "always-split"),  # just above W_0: unresolvable
    (["system", "--lam", "0.5", "--W-limit", "2", "--simulate", "150000000"], "`--simulate`"),
    (["system", "--lam", "0.5", "--W-limit", "1e400"], "`--W-limit`"),
    (["system", "--lam", "1000", "--mu", "2000", "--W-limit", "0.0008"], "`--mu`"),  # a certificate failed at this time scale
    (["system", "--lam", "0.0005", "--mu", "0.001", "--W-limit", "800"], "`--mu`"),
    # qcoord slots
    (["slots", "--lam", "1.0", "--W-limit", "2"], "`rho`"),
    (["slots", "--lam", "0.5", "--lam-b", "1.6", "--W-limit", "2"], "`rho`"),
    (["slots", "--lam", "0.5", "--W-limit", "2", "--tau", "0"], "`--tau`"),
    (["slots", "--lam", "0.5", "--W-limit", "2", "--tau", "1,nan"], "`--tau`"),
    (["slots", "--lam", "0.5", "--W-limit", "0"], "`--W-limit`"),
    (["slots", "--lam", "0.5", "--W-limit", "2", "--law", "hyperexponential:2", "--law", "cauchy"], "`--law`"),
    # qcoord queue
    (["queue", "--lam", "0.5", "--p-split", "0.5", "--pairs", "150000000"], "`--pairs`"),
    (["queue", "--lam", "0.5", "--p-split", "0.5", "--pairs", "1000000000000"], "`--pairs`"),
    (["queue", "--lam", "1.0", "--p-split", "0.5"], "`rho`"),
    (["queue", "--lam", "0.5", "--mu", "1e300", "--p-split", "0.5"], "`--mu`"),
    (["queue", "--lam", "0.5", "--p-split", "0.5", "--k", "171"], "`--k`"),
    (["queue", "--lam", "1e-6", "--p-split", "0.5", "--k", "50"], "`--k`"),
    # qcoord laws: law parameters (bounded parsing, a range per law), grids, the system level's rho and W fraction
    (["laws", "--rho", "0.9999999999"], "`--rho`"),
    (["laws", "--law", "exponential", "--W-fraction", "0.9999999999"], "`--W-fraction`"),
    (["laws", "--law", "exponential", "--W-fraction", "0.001"], "`--W-fraction`"),
    (["laws", "--law", "exponential", "--W-fraction", "0.99"], "`--W-fraction`"),
    (["laws", "--law", "weibull:0.1"], "out of reach"),  # W_bunch - W_0 < 1e-4 W_0: no W_l the certificates resolve
    (["laws", "--law", "lognormal:3", "--rho", "0.999", "--W-fraction", "0.01"], "`--W-fraction`"),
    (["laws", "--law", "exponential", "--grid-p", "1e-320"], "`--grid-p`"),
    (["laws", "--law", "exponential", "--grid-p", "0.999999"], "`--grid-p`"),
    (["laws", "--law", "exponential", "--grid", "1e-300"], "`--grid`"),
    (["laws", "--law", "exponential", "--grid", *["1"] * 21], "`--grid`"),
    (["laws", "--law", "gamma:1e999999999"], "gamma"),
    (["laws", "--law", "gamma:" + "9" * 5000], "gamma"),
    (["laws", "--law", "lognormal:1e-320"], "lognormal"),
    (["laws", "--law", "lognormal:0"], "lognormal"),
    (["laws", "--law", "weibull:21"], "weibull"),
    (["laws", "--law", "weibull:0.05"], "weibull"),
    (["laws", "--law", "gamma:2.5"], "gamma"),
    (["laws", "--law", "lomax:1"], "lomax"),
    (["laws", "--law", "lomax:1.001"], "lomax"),
    (["laws", "--law", "hyperexponential:1"], "hyperexponential"),
    (["laws", "--law", "hyperexponential:nan"], "hyperexponential"),
    (["laws", "--law", "uniform:2"], "uniform"),
    (["laws", "--law", "no-such-law"], "no-such-law"),
    (["laws", "--law", "lomax:2", "--system"], "infinite variance"),
    (["laws", "--N", "2000"], "`--N`"),
    (["laws", "--N", "1025"], "`--N`"),
    # qcoord noise: C, sizes (memory and time), the system level checked before the game level's work
    (["noise", "--C", "1e-320"], "`--C`"),
    (["noise", "--C", "0.9999999999999999"], "`--C`"),
    (["noise", "--C", "1e-9"], "`--C`"),
    (["noise", "--N", "100000"], "`--N`"),
    (["noise", "--N", "1025"], "`--N`"),
    (["noise", "--N", "1"], "`--N`"),
    (["noise", "--mu", "1000", "--lam", "600"], "`--mu`"),
    (["noise", "--bins", "20000"], "`--bins`"),
    (["noise", "--lam", "1"], "`rho`"),
    (["noise", "--lam", "0.6", "--W-limit", "1"], "always-split"),
    (["noise", "--k", "0.5"], "`--k`"),
    (["noise", "--v", "0.5,nan"], "`--v`"),
    (["noise", "--v", "0.5,,1"], "`--v`"),
    (["noise", "--f", "2"], "`--f`"),
    (["noise", "--sweep", "0.33,1e-320"], "`--sweep`"),
    (["noise", "--sweep", ",".join(["0.3"] * 101)], "`--sweep`"),
    # qcoord game and sweep: C and N within the time budget
    (["game", "--C", "1e-9"], "`--C`"),
    (["game", "--C", "1e-300", "--N", "10"], "`--C`"),
    (["game", "--N", "8000"], "`--N`"),
    (["game", "--N", "1025"], "`--N`"),
    (["game", "--N", "1"], "`--N`"),
    (["game", "--N", "30000"], "`--N`"),
    (["game", "--game", "linear", "--C", "0.5", "--N", "10"], "`--C`"),  # C of the linear game would be ignored
    (["game", "--N", "10", "--bins", "20000"], "`--bins`"),  # memory: the continuum programme's tables
    (["sweep", "--C-min", "0.6", "--C-max", "0.5"], "`--C-min`"),
    (["sweep", "--C-min", "1e-9"], "`--C-min`"),
    (["sweep", "--N", "1000000"], "`--N`"),
    (["sweep", "--bins", "20000"], "`--bins`"),
    (["sweep", "--steps", "101"], "`--steps`"),
    # qcoord verify
    (["verify", "--only", "no-such-claim"], "no-such-claim"),
]


@pytest.mark.parametrize("argv, needle", AUDIT, ids=[" ".join(a)[:80] for a, _ in AUDIT])
def test_audit_invocation_refused(capsys: pytest.CaptureFixture, argv: list[str], needle: str) -> None:
    _rejected(capsys, argv, needle)


@pytest.mark.parametrize(
    "argv",
    [
        ["laws", "--law", "weibull:20"],  # was a ZeroDivisionError in the solver's quadrature nodes
        ["laws", "--law", "lognormal:0.1", "--law", "lomax:1.01", "--law", "hyperexponential:1.01", "--rho", "0.999", "--W-fraction", "0.01", "0.95"],
        ["laws", "--law", "gamma:64", "--grid", "0.05", "20", "--grid-p", "0.01", "0.99", "--rho", "0.01"],
        ["laws", "--law", "erlang:2", "--law", "pareto2:3/2", "--no-system"],
        ["system", "--lam", "0.6", "--W-limit", "1.5", "--k", "3"],  # W_l = W_0 exactly: p_split = 1
        ["system", "--lam", "0.8", "--W-limit", "4.0"],
        ["system", "--lam", "0.999", "--W-limit", "1e300", "--k", "1"],
        ["system", "--lam", "0.5", "--W-limit", "2", "--simulate", "1000"],
        ["system", "--lam", "99.9", "--mu", "100", "--W-limit", "12", "--k", "50"],
        ["system", "--lam", "1e-6", "--mu", "0.01", "--W-limit", "50"],
        ["noise", "--N", "1024", "--mu", "0.01", "--lam", "0.005", "--W-limit", "200"],
        ["noise", "--C", "0.01", "--lam", "0.6", "--W-limit", "1.5", "--k", "1", "--sweep", "0.01,0.99"],
        ["game", "--C", "0.99", "--N", "1024"],
        ["laws", "--N", "1024", "--law", "exponential", "--no-system"],
        ["sweep", "--N", "2", "--steps", "1"],
        ["sweep", "--C-min", "0.01", "--C-max", "0.99", "--steps", "2"],
        ["queue", "--lam", "0.5", "--p-split", "1", "--k", "1", "--pairs", "50000000"],
    ],
    ids=lambda a: " ".join(a)[:80],
)
def test_edge_values_reach_the_work(argv: list[str]) -> None:
    _accepted(argv)


def test_memory_message_names_the_need(capsys: pytest.CaptureFixture) -> None:
    from proofs.cli.options import require_memory

    with pytest.raises(Exception, match=r"`--N` = 30000 would need about 200 GiB of memory; 16 GiB are available"):
        require_memory("--N", 30000, 200 * 2**30, available=16 * 2**30)


def test_valid_command_lines_reach_the_work(tmp_path: Path) -> None:
    _accepted(["game", "--N", "10", "--C", "0.5", "--plot", str(tmp_path / "a.png"), "--cert-dir", str(tmp_path)])
    _accepted(["game", "--game", "linear", "--N", "10", "--continuum", "--json"])
    _accepted(["sweep", "--steps", "2", "--quantum", "off", "--plot", str(tmp_path / "s.svg")])
    _accepted(["queue", "--lam", "0.5", "--p-split", "0", "--order", "longer_first", "--json"])


def _bad_paths(tmp_path: Path) -> dict[str, str]:
    f = tmp_path / "file.txt"
    f.write_text("x")
    (tmp_path / "adir.png").mkdir()
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    return {"a file": str(f), "under a file": str(f / "sub"), "empty": "", "a fifo": str(fifo), "under a fifo": str(fifo / "sub")}


@pytest.mark.parametrize("cmd", ["game", "sweep", "system", "laws"])
@pytest.mark.parametrize("case", ["a file", "under a file", "empty", "a fifo", "under a fifo"])
def test_cert_dir_unwritable(capsys: pytest.CaptureFixture, tmp_path: Path, cmd: str, case: str) -> None:
    _rejected(capsys, _argv(cmd, "--cert-dir", _bad_paths(tmp_path)[case]), "`--cert-dir`")


@pytest.mark.parametrize("case", ["a file", "under a file", "empty", "a fifo", "under a fifo"])
def test_verify_out_not_a_directory(capsys: pytest.CaptureFixture, tmp_path: Path, case: str) -> None:
    _rejected(capsys, ["verify", "--out", _bad_paths(tmp_path)[case]], "`--out`")


@pytest.mark.parametrize("kind", ["fifo", "device link", "directory", "huge"])
def test_verify_out_with_a_hostile_run_json(capsys: pytest.CaptureFixture, tmp_path: Path, kind: str) -> None:
    """An --out folder whose run.json would block, or exhaust memory, when read to recognise an earlier report."""
    out = tmp_path / "report"
    out.mkdir()
    run_json = out / "run.json"
    if kind == "fifo":
        os.mkfifo(run_json)
    elif kind == "device link":
        run_json.symlink_to("/dev/zero")
    elif kind == "directory":
        run_json.mkdir()
    else:
        with open(run_json, "wb") as fh:
            fh.truncate(2 << 20)  # sparse: 2 MiB of zeros
    _rejected(capsys, ["verify", "--out", str(out), "--only", "eq3-4"], "run.json")


@pytest.mark.parametrize("cmd", ["game", "sweep"])
def test_cert_dir_new_folder_accepted(tmp_path: Path, cmd: str) -> None:
    _accepted(_argv(cmd, "--cert-dir", str(tmp_path / "new" / "certs")))


@pytest.mark.parametrize("cmd", ["game", "sweep", "system", "noise", "laws"])
@pytest.mark.parametrize("name", ["adir.png", "figure", "figure.txt", "file.txt/sub.png", "fifo/sub.png", "nan", ""])
def test_plot_path_bad(capsys: pytest.CaptureFixture, tmp_path: Path, cmd: str, name: str) -> None:
    _bad_paths(tmp_path)
    _rejected(capsys, _argv(cmd, "--plot", str(tmp_path / name) if name else ""), "`--plot`")


@pytest.mark.parametrize("case", ["missing", "directory", "not json"])
def test_check_unreadable_file(capsys: pytest.CaptureFixture, tmp_path: Path, case: str) -> None:
    path = {"missing": tmp_path / "none.json", "directory": tmp_path, "not json": tmp_path / "x.json"}[case]
    if case == "not json":
        path.write_text("{not json")
    with _guard():
        code = main(["check", str(path)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err and str(path) in err
