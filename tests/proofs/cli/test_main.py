"""proofs.cli.main: which exceptions become one line and exit 2, and which stay bugs."""

from __future__ import annotations

import pytest

import proofs.cli.queue as queue_command
from proofs.cli.main import main
from proofs.exact.errors import CertificateFormatError, ProofsParameterError

ARGV = ["queue", "--lam", "0.5", "--p-split", "0.5"]


def _raising(exc: BaseException):  # noqa: ANN202
    def run(args: object) -> int:
        raise exc

    return run


@pytest.mark.parametrize(
    "exc, needle",
    [
        (ProofsParameterError("`--x` must lie in [0, 1]; got 2"), "`--x` must lie"),
        (CertificateFormatError("cannot read certificate 'a.json'"), "a.json"),
        (PermissionError(13, "Permission denied", "/some/where/file.json"), "/some/where/file.json"),
    ],
)
def test_qcoord_parameter_and_io_errors_are_one_line(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture, exc: Exception, needle: str) -> None:
    monkeypatch.setattr(queue_command, "run", _raising(exc))
    assert main(ARGV) == 2
    err = capsys.readouterr().err
    assert err.startswith("qcoord queue: error: ") and needle in err and err.count("\n") == 1


@pytest.mark.parametrize("exc", [ValueError("a bug"), TypeError("a bug"), KeyError("a bug")])
def test_other_exceptions_are_bugs_and_propagate(monkeypatch: pytest.MonkeyPatch, exc: Exception) -> None:
    monkeypatch.setattr(queue_command, "run", _raising(exc))
    with pytest.raises(type(exc)):
        main(ARGV)


def test_no_command_prints_help(capsys: pytest.CaptureFixture) -> None:
    assert main([]) == 2
    assert "COMMAND" in capsys.readouterr().out


def test_a_closed_pipe_ends_quietly(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    monkeypatch.setattr(queue_command, "run", _raising(BrokenPipeError(32, "Broken pipe")))
    assert main(ARGV) == 141
    assert capsys.readouterr().err == ""


def test_a_reader_that_went_away_gets_no_error_line_in_a_real_process() -> None:
    import os
    import subprocess
    import sys

    read, write = os.pipe()
    os.close(read)  # the reader is gone before the first byte: every write fails with EPIPE
    try:
        done = subprocess.run([sys.executable, "-m", "proofs.cli.main", *ARGV, "--json"], stdout=write, stderr=subprocess.PIPE,
                              text=True, timeout=120, check=False)
    finally:
        os.close(write)
    assert (done.returncode, done.stderr) == (141, "")
