"""The progress bar: done, failed, and the time left from the points computed in this run only."""

import pytest

from games import progress as prog
from games.progress import ProgressBar


def test_time_left_ignores_points_done_by_an_earlier_run(monkeypatch):
    clock = iter([100.0, 110.0, 110.0])  # start, then the line's reading of the clock (update + line)
    monkeypatch.setattr(prog.time, "perf_counter", lambda: next(clock))
    bar = ProgressBar(10, label="x", skipped=4, enabled=False)
    bar.update(ok=True)  # one point computed in 10 s; 5 left -> 50 s
    assert bar.line().endswith("5/10 done, 0 failed, 0:00:10 elapsed, 0:00:50 left")


def test_nothing_computed_yet_has_no_estimate():
    bar = ProgressBar(3, skipped=1, enabled=False)
    assert "1/3 done" in bar.line() and "--:--:-- left" in bar.line()


@pytest.mark.parametrize("enabled, shown", [(True, True), (False, False)])
def test_written_to_stderr_only_when_enabled(capsys, enabled, shown):
    bar = ProgressBar(2, label="atlas", enabled=enabled)
    bar.update(ok=False)
    bar.update(ok=True)
    bar.close()
    err = capsys.readouterr().err
    assert ("2/2 done, 1 failed" in err) is shown and (err.endswith("\n") if shown else err == "")


def test_library_lines_count_time_left_and_end(monkeypatch, capsys):
    monkeypatch.setenv("QCOORD_PROGRESS", "1")
    clock = iter([0.0, 10.0, 20.0, 30.0])  # start, then after each of 3 items: 10 s each
    monkeypatch.setattr(prog.time, "perf_counter", lambda: next(clock))
    assert list(prog.progress(range(3), label="demo")) == [0, 1, 2]
    err = capsys.readouterr().err
    assert "demo  1/3" in err and "~20 s left" in err  # 10 s per item, 2 items left
    assert "demo  3/3" in err and err.endswith("\n")


def test_library_lines_off(monkeypatch, capsys):
    monkeypatch.setenv("QCOORD_PROGRESS", "0")
    assert list(prog.progress(range(3), label="demo")) == [0, 1, 2]
    assert capsys.readouterr().err == ""


def test_report_calls_only_a_given_callback():
    seen = []
    prog.report(None, 1, 2, "x")  # no callback: nothing happens
    prog.report(lambda *a: seen.append(a), 1, 2, "x")
    assert seen == [(1, 2, "x")]


def test_format_seconds():
    assert [prog.format_seconds(s) for s in (0, 59.4, 60, 3599, 3600, 3725)] == ["0 s", "59 s", "1 min 00 s", "59 min 59 s", "1 h 00 min",
                                                                                  "1 h 02 min"]


def test_library_lines_off_while_a_command_shows_its_own(monkeypatch, capsys):
    monkeypatch.setenv("QCOORD_PROGRESS", "1")
    with prog.library_lines_off():
        assert list(prog.progress(range(2), label="inner")) == [0, 1]
        assert not ProgressBar(1).on
    assert capsys.readouterr().err == ""
    with prog.library_lines_off(False):  # off only if asked
        list(prog.progress(range(2), label="inner"))
    assert "inner  2/2" in capsys.readouterr().err
