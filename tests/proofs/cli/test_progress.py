"""proofs.cli.progress and the progress of the long commands: on a terminal (a fake one here) counts and time left on stderr; with ``--json``
stdout is pure JSON and stderr holds no progress line; with ``--quiet`` or off a terminal nothing."""

from __future__ import annotations

import io
import json
import os
import re
import sys

import pytest

from games.progress import progress
from proofs.cli.main import main
from proofs.cli.progress import Progress, for_command, format_seconds, silenced, terminal_progress

#: a progress line: "label: k/total ... elapsed ..."
LINE = re.compile(r"(\w[\w :]*): (\d+)/(\d+)\b.*?elapsed")


class _TTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def _run(monkeypatch: pytest.MonkeyPatch, argv: list[str], *, tty: bool = True) -> tuple[int, str, str]:
    import proofs.cli.progress as cli_progress

    monkeypatch.delenv("QCOORD_PROGRESS", raising=False)
    monkeypatch.setattr(cli_progress, "INTERVAL", 0.0)  # every line written: the middle ones (with the time left) too
    out, err = io.StringIO(), (_TTY() if tty else io.StringIO())
    monkeypatch.setattr(sys, "stdout", out)
    monkeypatch.setattr(sys, "stderr", err)
    code = main(argv)
    return code, out.getvalue(), err.getvalue()


def _counts(err: str, label: str) -> list[tuple[int, int]]:
    return [(int(m.group(2)), int(m.group(3))) for m in LINE.finditer(err) if m.group(1).strip() == label]


def _sweep(tmp_path) -> list[str]:  # noqa: ANN001
    return ["sweep", "--C-min", "0.6", "--C-max", "0.7", "--steps", "3", "--bins", "20", "--quantum", "off", "--cert-dir", str(tmp_path)]


def test_sweep_progress_on_a_terminal(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # noqa: ANN001
    code, out, err = _run(monkeypatch, _sweep(tmp_path))
    assert code == 0 and "minimiser" in out
    counts = _counts(err, "sweep")
    assert counts == [(0, 3), (1, 3), (2, 3), (3, 3)]  # one line per finished grid point
    assert re.search(r"sweep: 1/3 \(C = 0\.6\)\s+elapsed \d+ s, ~\d+ s left", err)
    assert err.rstrip().endswith("done")


def test_sweep_quiet_is_silent(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # noqa: ANN001
    code, out, err = _run(monkeypatch, _sweep(tmp_path) + ["--quiet"])
    assert code == 0 and "minimiser" in out and err == ""


def test_sweep_json_is_pure_and_silent(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # noqa: ANN001
    code, out, err = _run(monkeypatch, _sweep(tmp_path) + ["--json"])
    assert code == 0
    json.loads(out)  # nothing but the JSON document on stdout
    assert err == ""


def test_sweep_not_a_terminal_is_silent(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # noqa: ANN001
    code, _, err = _run(monkeypatch, _sweep(tmp_path), tty=False)
    assert code == 0 and err == ""


def test_check_dir_progress(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # noqa: ANN001
    certs = tmp_path / "certs"
    assert _run(monkeypatch, _sweep(certs) + ["--json"])[0] == 0
    n = len(list(certs.rglob("*.json")))
    assert n >= 6
    code, out, err = _run(monkeypatch, ["check", str(certs)])
    assert code == 0 and "certificates valid" in out
    counts = _counts(err, "checking")
    assert counts[0] == (0, n) and counts[-1] == (n, n) and err.endswith("\n")
    assert len(counts) == n + 1 and "left" in err
    # --json, --quiet, or not a terminal: no progress at all (the check's own lines go to stderr only on failure)
    for argv, tty in ((["check", str(certs), "--json"], True), (["check", str(certs), "--quiet"], True), (["check", str(certs)], False)):
        code, out, err = _run(monkeypatch, argv, tty=tty)
        assert code == 0 and err == ""
        if "--json" in argv:
            json.loads(out)


@pytest.mark.slow
def test_laws_progress_and_json(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # noqa: ANN001
    argv = ["laws", "--law", "uniform", "--law", "exponential", "--N", "8", "--search-N", "8", "--no-system", "--workers", "1",
            "--cert-dir", str(tmp_path)]
    code, out, err = _run(monkeypatch, argv)
    assert code == 0 and "uniform" in out
    counts = _counts(err, "laws: game level")
    assert counts[0] == (0, 2) and counts[-1] == (2, 2)
    assert re.search(r"1/2 \(uniform\)\s+elapsed \d+ s, ~\d+ s left", err)
    code, out, err = _run(monkeypatch, argv + ["--json"])
    assert code == 0 and json.loads(out)["rows"] and err == ""
    code, out, err = _run(monkeypatch, argv + ["--quiet"])
    assert code == 0 and "uniform" in out and err == ""


def test_noise_progress_and_json(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # noqa: ANN001
    argv = ["noise", "--N", "16", "--bins", "20", "--resolution", "100", "--v", "0,1", "--skip-system", "--sweep", "0.33,0.7"]
    code, out, err = _run(monkeypatch, argv)
    assert code == 0 and "threshold v*" in out
    assert _counts(err, "noise: game")[-1] == (5, 5)  # classical, quantum, 2 visibilities, threshold
    assert _counts(err, "noise: sweep over C")[-1] == (2, 2)
    assert re.search(r"noise: game: 1/5 \(quantum bracket\)\s+elapsed \d+ s, ~\d+ s left", err)
    code, out, err = _run(monkeypatch, argv + ["--json"])
    assert code == 0 and "threshold" in json.loads(out) and err == ""
    code, out, err = _run(monkeypatch, argv + ["--quiet"])
    assert code == 0 and "threshold v*" in out and err == ""
    code, out, err = _run(monkeypatch, argv, tty=False)
    assert code == 0 and "threshold v*" in out and err == ""


def test_xor_progress_json_and_quiet(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # noqa: ANN001
    game = tmp_path / "chsh.json"
    game.write_text(json.dumps({"prob": [["1/4", "1/4"], ["1/4", "1/4"]], "pred": [[0, 0], [0, 1]]}))
    argv = ["xor", str(game), "--cert-dir", str(tmp_path / "c")]
    code, out, err = _run(monkeypatch, argv)
    assert code == 0 and "classical value 3/4" in out
    assert _counts(err, "xor") == [(0, 3), (1, 3), (3, 3)] and err.rstrip().endswith("done")
    for extra, tty in ((["--json"], True), (["--quiet"], True), ([], False)):
        code, out, err = _run(monkeypatch, argv + extra, tty=tty)
        assert code == 0 and err == ""
        if extra == ["--json"]:
            assert json.loads(out)["classical"]["lower"] == 0.75


@pytest.mark.parametrize(("argv", "label", "marker"), [
    (["queue", "--p-split", "0.3", "--pairs", "2000"], "queue: simulating", "rule"),
    (["system", "--simulate", "2000"], "system", "two-server system"),
])
def test_simulating_commands_show_a_line_per_class_and_stay_quiet_with_json_or_quiet(
        monkeypatch: pytest.MonkeyPatch, tmp_path, argv: list[str], label: str, marker: str) -> None:  # noqa: ANN001
    argv = argv + (["--cert-dir", str(tmp_path)] if argv[0] == "system" else [])
    code, out, err = _run(monkeypatch, argv)
    assert code == 0 and marker in out
    assert _counts(err, label) == [(0, 3), (1, 3), (2, 3), (3, 3)] and err.rstrip().endswith("done")
    for extra, tty in ((["--json"], True), (["--quiet"], True), ([], False)):
        code, out, err = _run(monkeypatch, argv + extra, tty=tty)
        assert code == 0 and err == ""
        if extra == ["--json"]:
            assert json.loads(out)["schema"] == "qcoord/" + argv[0]


@pytest.mark.parametrize("argv", [["game", "--N", "16", "--bins", "20"], ["slots", "--tau", "0.5", "--h", "0.2"]])
def test_quiet_silences_the_commands_with_library_progress_lines(monkeypatch: pytest.MonkeyPatch, tmp_path, argv: list[str]) -> None:  # noqa: ANN001
    argv = argv + ["--cert-dir", str(tmp_path)]
    code, out, err = _run(monkeypatch, argv)
    assert code == 0 and out and re.search(r"\d+/\d+", err)  # on a terminal: progress lines (k/total)
    code, out, err = _run(monkeypatch, argv + ["--quiet"])
    assert code == 0 and out and err == ""


def test_system_without_a_simulation_shows_no_line(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # noqa: ANN001
    code, out, err = _run(monkeypatch, ["system", "--cert-dir", str(tmp_path)])
    assert code == 0 and "two-server system" in out and err == ""


def test_law_system_table_reports_each_point(tmp_path) -> None:  # noqa: ANN001
    from proofs.certify.law_system import law_system_table

    seen: list[tuple[int, int, str]] = []
    rows = law_system_table(["exponential"], fractions=(0.5,), workers=1, cert_dir=tmp_path, on_progress=lambda *a: seen.append(a))
    assert len(rows) == 1
    assert seen == [(0, 1, ""), (1, 1, "exponential f=0.5")]


def _clock(times: list[float]):  # noqa: ANN202
    it = iter(times)
    return lambda: next(it)


def test_counts_and_time_left() -> None:
    buf = io.StringIO()
    # 4 items, 10 s each: after 1 of 4, 30 s left; after 3, 10 s left
    p = Progress("laws", stream=buf, interval=0.0, clock=_clock([0.0, 0.0, 10.0, 20.0, 30.0, 40.0]))
    p(0, 4, "a")
    p(1, 4, "a")
    p(2, 4, "b")
    p(3, 4, "c")
    p(4, 4, "d")
    lines = buf.getvalue().split("\r")[1:]
    assert lines[0].startswith("laws: 0/4 (a)")
    assert "1/4" in lines[1] and "~30 s left" in lines[1]
    assert "3/4" in lines[3] and "~10 s left" in lines[3]
    assert lines[4].rstrip().endswith("elapsed 40 s, done") and buf.getvalue().endswith("\n")


def test_rate_limited_but_first_and_last_always_shown() -> None:
    buf = io.StringIO()
    p = Progress("x", stream=buf, interval=100.0, clock=_clock([0.0, 0.0, 1.0, 2.0, 3.0]))
    p(0, 3)
    p(1, 3)  # within the interval: not shown
    p(2, 3)  # not shown
    p(3, 3)
    text = buf.getvalue()
    assert "0/3" in text and "3/3" in text and "1/3" not in text and "2/3" not in text


def test_finish_closes_an_open_line() -> None:
    buf = io.StringIO()
    p = Progress("checking", stream=buf, interval=0.0, clock=_clock([0.0, 0.0, 1.0, 2.0]))
    p(0, 2)
    p(1, 2)
    p.finish()
    assert "2/2" in buf.getvalue() and buf.getvalue().endswith("\n")


def test_new_phase_restarts_the_clock() -> None:
    buf = io.StringIO()
    p = Progress("x", stream=buf, interval=0.0, clock=_clock([0.0, 0.0, 100.0, 100.0, 101.0]))
    p(0, 1)
    p(1, 1)
    p(0, 5)  # a new total: a new phase
    p(1, 5)
    last = buf.getvalue().split("\r")[-1]
    assert "1/5" in last and "elapsed 1 s" in last and "~4 s left" in last


def test_a_phase_starting_part_way_counts_its_own_items() -> None:
    buf = io.StringIO()
    # a new total at done = 2 of 4 (a command's steps after another phase): no time left until an item of this phase finishes,
    # then the rate of this phase's items (10 s for 1 item: ~10 s for the last one), not 10 s / 3 items
    p = Progress("x", stream=buf, interval=0.0, clock=_clock([0.0, 0.0, 50.0, 50.0, 60.0]))
    p(0, 100)
    p(50, 100)
    p(2, 4)
    p(3, 4)
    lines = buf.getvalue().split("\r")[1:]
    assert "2/4" in lines[2] and "left" not in lines[2]
    assert "3/4" in lines[3] and "elapsed 10 s, ~10 s left" in lines[3]


def test_terminal_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("QCOORD_PROGRESS", raising=False)
    monkeypatch.setattr(sys, "stderr", io.StringIO())  # not a terminal
    assert terminal_progress("laws") is None
    monkeypatch.setattr(sys, "stderr", _TTY())
    assert isinstance(terminal_progress("laws"), Progress)
    assert terminal_progress("laws", quiet=True) is None
    monkeypatch.setenv("QCOORD_PROGRESS", "0")
    assert terminal_progress("laws") is None


def test_for_command_is_quiet_with_json_or_quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    import argparse

    monkeypatch.delenv("QCOORD_PROGRESS", raising=False)
    monkeypatch.setattr(sys, "stderr", _TTY())
    assert for_command(argparse.Namespace(json=False), "x") is not None
    assert for_command(argparse.Namespace(json=True), "x") is None
    assert for_command(argparse.Namespace(json=False, quiet=True), "x") is None


def test_format_seconds() -> None:
    assert [format_seconds(s) for s in (0, 59.4, 60, 3599, 3600)] == ["0 s", "59 s", "1 min 00 s", "59 min 59 s", "1 h 00 min"]


def test_silenced_turns_library_lines_off_and_restores(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QCOORD_PROGRESS", "1")
    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    with silenced(True):
        assert list(progress(range(3), label="demo")) == [0, 1, 2]
    assert err.getvalue() == ""
    assert os.environ["QCOORD_PROGRESS"] == "1"
    list(progress(range(3), label="demo"))
    assert "demo  3/3" in err.getvalue()




def test_verify_progress_only_on_a_terminal_without_json_or_quiet(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:  # noqa: ANN001
    argv = ["verify", "--only", "condition", "--no-figures", "--workers", "1"]
    code, out, err = _run(monkeypatch, argv + ["--out", str(tmp_path / "a")])
    assert code in (0, 1) and "condition" in out
    assert re.search(r"\[1/1\] condition \.\.\. \d+\.\d s \(elapsed \d+ s\)", err)
    for extra, tty in ((["--json"], True), (["--quiet"], True), ([], False)):
        code, out, err = _run(monkeypatch, argv + ["--out", str(tmp_path / f"b{len(extra)}{tty}")] + extra, tty=tty)
        assert code in (0, 1) and err == ""
        if extra == ["--json"]:
            json.loads(out)
