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
