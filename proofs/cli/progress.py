"""The terminal progress of the long commands (``laws``, ``noise``, ``sweep``, ``check DIR``, ``verify``).

:class:`Progress` is the callback ``on_progress(done, total, what)`` that a
command passes, as an argument, into a long certify function (or into
:func:`proofs.checkers.report_folder.check_folder`); it prints
``label: k/total (what)  elapsed 12 s, ~30 s left`` on one stderr line.
:func:`for_command` returns one only when stderr is a terminal and the
command has neither ``--json`` nor ``--quiet`` (``QCOORD_PROGRESS=1`` forces
it on, ``=0`` off), else ``None``: no output at all.  ``verify`` prints one
line per claim (:func:`proofs.report.folder.progress_printer`) when
:func:`terminal_progress` says a terminal is there; ``atlas`` has its own bar
(:class:`games.progress.ProgressBar`).  :func:`silenced` turns
the library's own progress lines (:func:`games.progress.progress`) off for a
``--json`` or ``--quiet`` command.

Standard library only: ``qcoord check`` runs with the solver packages
(``games``, ``bounds``) unavailable.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any, TextIO

__all__ = ["Progress", "for_command", "format_seconds", "silenced", "terminal_progress"]

ENV = "QCOORD_PROGRESS"
#: seconds between two rewrites of a progress line (the first and the last line of a phase are always written)
INTERVAL = 0.5


def _enabled() -> bool:
    flag = os.environ.get(ENV)
    if flag is not None:
        return flag not in ("", "0", "false", "no")
    return sys.stderr.isatty()


def format_seconds(s: float) -> str:  # twin of games.progress.format_seconds: this module imports no games (qcoord check)
    """``"42 s"``, ``"3 min 05 s"`` or ``"1 h 02 min"``.

    >>> format_seconds(4.2), format_seconds(185), format_seconds(3725)
    ('4 s', '3 min 05 s', '1 h 02 min')
    """
    s = max(0, round(s))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60:02d} s"
    return f"{s // 3600} h {(s % 3600) // 60:02d} min"


class Progress:
    """A progress callback printing ``label: k/total (what)  elapsed 12 s, ~30 s left`` on one terminal line.

    Call it with ``(done, total, what)``: ``done`` items of ``total`` are
    finished, ``what`` names the item (optional).  The time left is the
    elapsed time per finished item times the items left (shown once an item
    has finished).  A call with ``done == 0`` or a new ``total`` starts a new
    phase (its own clock; a phase that starts at ``done > 0`` counts its items
    from there); ``done == total`` ends the line.  Lines are
    rewritten at most every ``interval`` seconds, except the first and the
    last of a phase (``interval``: default :data:`INTERVAL`).

    >>> import io
    >>> buf = io.StringIO()
    >>> p = Progress("laws", stream=buf, clock=iter([0.0, 0.0, 10.0, 20.0]).__next__)
    >>> p(0, 2, "exponential"); p(1, 2, "exponential"); p(2, 2, "uniform")
    >>> for line in buf.getvalue().split("\\r")[1:]:
    ...     print(line.rstrip())
    laws: 0/2 (exponential)  elapsed 0 s
    laws: 1/2 (exponential)  elapsed 10 s, ~10 s left
    laws: 2/2 (uniform)  elapsed 20 s, done
    """

    def __init__(self, label: str, *, stream: TextIO | None = None, interval: float | None = None,
                 clock: Callable[[], float] = time.perf_counter) -> None:
        self.label = label
        self.stream = stream
        self.interval = INTERVAL if interval is None else interval
        self.clock = clock
        self.start = clock()
        self.total: int | None = None
        self.first = 0  # done at the phase's start: the rate is measured from there
        self.last = -float("inf")
        self.width = 0
        self.open = False

    def __call__(self, done: int, total: int, what: str = "") -> None:
        now = self.clock()
        if done <= 0 or total != self.total:
            self.start, self.total, self.first, self.last = now, total, max(done, 0), -float("inf")
        if 0 < done < total and now - self.last < self.interval:
            return
        self.last = now
        elapsed = now - self.start
        tail = f"  elapsed {format_seconds(elapsed)}"
        if done >= total:
            tail += ", done"
        elif done > self.first:
            tail += f", ~{format_seconds(elapsed / (done - self.first) * (total - done))} left"
        name = f" ({what[-50:]})" if what else ""
        line = f"{self.label}: {done}/{total}{name}{tail}"
        stream = self.stream or sys.stderr
        stream.write("\r" + line.ljust(self.width))
        self.width = len(line)
        self.open = True
        if done >= total:
            stream.write("\n")
            self.width = 0
            self.open = False
        stream.flush()

    def finish(self) -> None:
        """End an open line with ``done`` (the last call said fewer than ``total`` done)."""
        if self.open and self.total is not None:
            self.last = -float("inf")
            self(self.total, self.total)


def terminal_progress(label: str, *, quiet: bool = False, stream: TextIO | None = None) -> Progress | None:
    """A :class:`Progress` for a command, or ``None`` if ``quiet`` or stderr is not a terminal.

    ``QCOORD_PROGRESS=1`` forces it on (for a log file), ``QCOORD_PROGRESS=0``
    off; ``quiet`` (``--json`` or ``--quiet``) always wins.

    >>> terminal_progress("laws", quiet=True) is None
    True
    """
    if quiet or not _enabled():
        return None
    return Progress(label, stream=stream)


def for_command(args: Any, label: str) -> Progress | None:
    """:func:`terminal_progress` for parsed CLI arguments: quiet with ``--json`` or ``--quiet``."""
    return terminal_progress(label, quiet=bool(getattr(args, "json", False) or getattr(args, "quiet", False)))


@contextlib.contextmanager
def silenced(on: bool = True) -> Iterator[None]:
    """Within the block, the library's own :func:`progress` lines are off (``QCOORD_PROGRESS=0``) if ``on``."""
    if not on:
        yield
        return
    old = os.environ.get(ENV)
    os.environ[ENV] = "0"
    try:
        yield
    finally:
        if old is None:
            os.environ.pop(ENV, None)
        else:
            os.environ[ENV] = old


