"""Progress on stderr for long work (no extra dependency).

* :func:`progress` wraps an iterable inside the library (annealing restarts,
  simulation chunks); it prints ``label  k/total  elapsed, ~T left`` only when
  stderr is a terminal or ``QCOORD_PROGRESS=1`` is set, and never when
  ``QCOORD_PROGRESS=0`` (the command line sets that for ``--json`` and
  ``--quiet``; a job of :mod:`proofs.certify.jobs` runs with it set, so
  workers print nothing themselves).
* The long certify functions (:func:`proofs.certify.law_table.law_table`,
  :func:`proofs.certify.noise.certify_noise`, ...) take a callback
  ``on_progress(done, total, what)`` as an argument (:data:`OnProgress`) and
  call it through :func:`report`; the command line passes its terminal printer
  (:class:`proofs.cli.progress.Progress`) or ``None``.
* :class:`ProgressBar`: the bar of ``qcoord atlas``.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

__all__ = ["OnProgress", "ProgressBar", "format_seconds", "library_lines_off", "progress", "report"]

T = TypeVar("T")

#: the callback the long certify functions accept: ``on_progress(done, total, what)``
OnProgress = Callable[[int, int, str], None]


#: set by :func:`library_lines_off`: a command's own progress line is showing
_OFF = False


@contextlib.contextmanager
def library_lines_off(on: bool = True) -> Iterator[None]:
    """Within the block (if ``on``), this process prints no library progress lines: a command shows its own.

    >>> with library_lines_off():
    ...     _enabled()
    False
    """
    global _OFF
    old = _OFF
    _OFF = _OFF or on
    try:
        yield
    finally:
        _OFF = old


def _enabled() -> bool:
    if _OFF:
        return False
    flag = os.environ.get("QCOORD_PROGRESS")
    if flag is not None:
        return flag not in ("", "0", "false", "no")
    return sys.stderr.isatty()


def format_seconds(s: float) -> str:
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


def report(on_progress: OnProgress | None, done: int, total: int, what: str = "") -> None:
    """Call ``on_progress(done, total, what)`` if a callback was given (the certify functions' one-liner).

    >>> seen = []
    >>> report(lambda *a: seen.append(a), 1, 3, "uniform"); report(None, 2, 3)
    >>> seen
    [(1, 3, 'uniform')]
    """
    if on_progress is not None:
        on_progress(done, total, what)


def progress(items: Iterable[T], *, total: int | None = None, label: str = "") -> Iterator[T]:
    """Yield from ``items`` while printing ``label  k/total  elapsed`` to stderr.

    >>> list(progress(range(3), label="demo"))
    [0, 1, 2]
    """
    if total is None and hasattr(items, "__len__"):
        total = len(items)  # type: ignore[arg-type]
    on = _enabled()
    start = time.perf_counter()
    last = 0.0
    k = 0
    for k, item in enumerate(items, start=1):
        yield item
        now = time.perf_counter()
        if on and (now - last > 0.5 or k == total):
            last = now
            tot = f"/{total}" if total else ""
            left = f", ~{format_seconds((now - start) / k * (total - k))} left" if total and k < total else ""
            sys.stderr.write(f"\r{label}  {k}{tot}  {now - start:6.1f}s{left}   ")
            sys.stderr.flush()
    if on and k:
        sys.stderr.write("\n")
        sys.stderr.flush()


def _clock(seconds: float) -> str:
    s = round(seconds)
    return f"{s // 3600:d}:{s // 60 % 60:02d}:{s % 60:02d}"


class ProgressBar:
    """A bar of ``total`` points on stderr: done, failed and the time left (a terminal or ``QCOORD_PROGRESS=1`` only).

    ``skipped`` points (already done by an earlier run) count as done but not
    towards the speed that estimates the time left.  ``enabled=False``
    silences it (JSON output).

    >>> bar = ProgressBar(3, label="demo", enabled=False)
    >>> bar.update(ok=True); bar.update(ok=False); bar.done, bar.failed, bar.line()[:27]
    (2, 1, 'demo [#############       ]')
    """

    WIDTH = 20

    def __init__(self, total: int, *, label: str = "", skipped: int = 0, enabled: bool | None = None) -> None:
        self.total = total
        self.label = label
        self.skipped = skipped
        self.done = skipped
        self.failed = 0
        self.on = _enabled() if enabled is None else enabled
        self.start = time.perf_counter()
        self._last = 0.0
        self._shown = False

    def line(self) -> str:
        frac = self.done / self.total if self.total else 1.0
        fill = round(self.WIDTH * frac)
        computed = self.done - self.skipped
        elapsed = time.perf_counter() - self.start
        left = "--:--:--" if computed == 0 else _clock(elapsed / computed * (self.total - self.done))
        return (f"{self.label} [{'#' * fill}{' ' * (self.WIDTH - fill)}] {self.done}/{self.total} done, {self.failed} failed, "
                f"{_clock(elapsed)} elapsed, {left} left")

    def update(self, *, ok: bool = True) -> None:
        """One more point finished (``ok=False``: it failed)."""
        self.done += 1
        self.failed += 0 if ok else 1
        now = time.perf_counter()
        if self.on and (now - self._last > 0.5 or self.done == self.total):
            self._last = now
            self._shown = True
            sys.stderr.write("\r" + self.line())
            sys.stderr.flush()

    def close(self) -> None:
        if self.on and self._shown:
            sys.stderr.write("\n")
            sys.stderr.flush()
