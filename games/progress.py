"""A minimal progress indicator written to stderr (no extra dependency).

It prints only when stderr is a terminal or ``QCOORD_PROGRESS=1`` is set, so
tests and JSON output stay clean.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

__all__ = ["progress"]

T = TypeVar("T")


def _enabled() -> bool:
    flag = os.environ.get("QCOORD_PROGRESS")
    if flag is not None:
        return flag not in ("", "0", "false", "no")
    return sys.stderr.isatty()


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
            sys.stderr.write(f"\r{label}  {k}{tot}  {now - start:6.1f}s")
            sys.stderr.flush()
    if on and k:
        sys.stderr.write("\n")
        sys.stderr.flush()
