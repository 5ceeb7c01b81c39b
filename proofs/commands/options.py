"""Options shared by the ``qcoord`` commands: argparse parents, checked argument types, JSON output.

One option has one spelling, one meaning and one validation in every command.
Build a command's parser from the parents::

    p = sub.add_parser("game", parents=[n_option(1000), seed_option(), json_option()], help=...)

Every argument type here rejects bad values *while parsing* (NaN, infinities,
out-of-range numbers, non-numbers, unwritable paths), so a bad command line
ends with one line on stderr and exit status 2 before any work starts.

Parents (each call returns a fresh ``ArgumentParser(add_help=False)``):

=========================  ============  ===========================================
parent                     option        value
=========================  ============  ===========================================
``n_option(default)``      ``--N``       bins per input, integer in ``[1, N_MAX]``
``seed_option()``          ``--seed``    integer in ``[0, 2**32 - 1]`` (default 0)
``bins_option(default)``   ``--bins``    continuum-programme bins, ``[2, BINS_MAX]``
``cert_dir_option()``      ``--cert-dir``  writable (or creatable) directory
``json_option()``          ``--json``    print one JSON object (:func:`print_json`)
``plot_option(help)``      ``--plot``    ``.png``/``.pdf``/``.svg`` file in a writable place
=========================  ============  ===========================================

Types for other options: :func:`real` and :func:`integer` (ranges, finite),
:func:`writable_dir`, :func:`plot_path`.  :func:`require_n_memory`,
:func:`require_bins_memory`, :func:`require_pairs_memory` and
:func:`require_memory` refuse work that would not fit in the available memory.

>>> import argparse
>>> p = argparse.ArgumentParser(parents=[n_option(10), json_option()])
>>> p.parse_args(["--N", "12"]).N, p.parse_args([]).json
(12, False)
>>> real("--C", 0, 1, low_open=True, high_open=True)("nan")
Traceback (most recent call last):
...
argparse.ArgumentTypeError: `--C` must be a finite number in (0, 1); got 'nan'
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from proofs.errors import ProofsParameterError

__all__ = [
    "BINS_MAX",
    "BYTES_PER_BIN_PAIR",
    "BYTES_PER_CELL",
    "BYTES_PER_PAIR",
    "N_MAX",
    "PLOT_SUFFIXES",
    "SEED_MAX",
    "available_memory",
    "bins_option",
    "cert_dir_option",
    "integer",
    "json_option",
    "n_option",
    "plot_option",
    "plot_path",
    "print_json",
    "real",
    "require_bins_memory",
    "require_memory",
    "require_n_memory",
    "require_pairs_memory",
    "seed_option",
    "writable_dir",
]

#: largest ``--N`` any command accepts (commands refuse smaller N by memory, see :func:`require_memory`)
N_MAX = 1_000_000
#: largest ``--bins`` of the continuum classical programme (its own limit)
BINS_MAX = 20_000
SEED_MAX = 2**32 - 1
PLOT_SUFFIXES = (".png", ".pdf", ".svg")


def _fmt(x: float) -> str:
    return "inf" if x == math.inf else "-inf" if x == -math.inf else f"{x:.12g}"


def real(
    name: str, low: float = -math.inf, high: float = math.inf, *, low_open: bool = False, high_open: bool = False
) -> Callable[[str], float]:
    """Argument type: a finite real in the interval; the message names ``name``, the range and the value.

    >>> real("--lam", 0, low_open=True)("0.5")
    0.5
    >>> real("--lam", 0, low_open=True)("0")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: `--lam` must lie in (0, inf); got '0'
    """
    rng = f"{'(' if low_open or low == -math.inf else '['}{_fmt(low)}, {_fmt(high)}{')' if high_open or high == math.inf else ']'}"

    def parse(text: str) -> float:
        try:
            x = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"`{name}` must be a number in {rng}; got {text!r}") from None
        if not math.isfinite(x):
            raise argparse.ArgumentTypeError(f"`{name}` must be a finite number in {rng}; got {text!r}")
        if x < low or x > high or (low_open and x == low) or (high_open and x == high):
            raise argparse.ArgumentTypeError(f"`{name}` must lie in {rng}; got {text!r}")
        return x

    parse.__name__ = name
    return parse


def integer(name: str, low: int, high: int) -> Callable[[str], int]:
    """Argument type: an integer in ``[low, high]`` (decimal digits only; ``1e3`` and ``2.5`` are refused).

    >>> integer("--N", 1, 100)("20")
    20
    >>> integer("--N", 1, 100)("1e9")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: `--N` must be an integer in [1, 100]; got '1e9'
    """

    def parse(text: str) -> int:
        try:
            v = int(text.strip().replace("_", ""), 10)
        except ValueError:
            raise argparse.ArgumentTypeError(f"`{name}` must be an integer in [{low}, {high}]; got {text!r}") from None
        if not low <= v <= high:
            raise argparse.ArgumentTypeError(f"`{name}` must be an integer in [{low}, {high}]; got {text!r}")
        return v

    parse.__name__ = name
    return parse


def _nearest_existing(p: Path) -> Path:
    for q in (p, *p.parents):
        if q.exists():
            return q
    return Path(".")


def _writable(name: str, p: Path) -> None:
    base = _nearest_existing(p)
    if not base.is_dir():
        raise argparse.ArgumentTypeError(f"`{name}` needs a directory; {str(base)!r} exists and is not one (got {str(p)!r})")
    if not os.access(base, os.W_OK | os.X_OK):
        raise argparse.ArgumentTypeError(f"`{name}`: directory {str(base)!r} is not writable (got {str(p)!r})")


def writable_dir(name: str = "--cert-dir") -> Callable[[str], str]:
    """Argument type: a directory that exists and is writable, or can be created.

    >>> import tempfile, os
    >>> d = tempfile.mkdtemp()
    >>> writable_dir()(os.path.join(d, "new")) == os.path.join(d, "new")
    True
    """

    def parse(text: str) -> str:
        if not text:
            raise argparse.ArgumentTypeError(f"`{name}` must be a directory path; got ''")
        p = Path(text)
        if p.exists() and not p.is_dir():
            raise argparse.ArgumentTypeError(f"`{name}` must be a directory; {text!r} is a file")
        _writable(name, p)
        return text

    parse.__name__ = name
    return parse


def plot_path(name: str = "--plot") -> Callable[[str], str]:
    """Argument type: a file path ending in ``.png``, ``.pdf`` or ``.svg`` whose folder is writable.

    >>> plot_path()("figure")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: `--plot` must name a file ending in .png, .pdf or .svg; got 'figure'
    """

    def parse(text: str) -> str:
        p = Path(text)
        if p.suffix.lower() not in PLOT_SUFFIXES:
            raise argparse.ArgumentTypeError(f"`{name}` must name a file ending in .png, .pdf or .svg; got {text!r}")
        if p.is_dir():
            raise argparse.ArgumentTypeError(f"`{name}` must name a file; {text!r} is a directory")
        if p.exists() and not os.access(p, os.W_OK):
            raise argparse.ArgumentTypeError(f"`{name}`: file {text!r} is not writable")
        _writable(name, p.parent)
        return text

    parse.__name__ = name
    return parse


def _parent() -> argparse.ArgumentParser:
    return argparse.ArgumentParser(add_help=False)


def n_option(default: int, help: str = "bins per input of the N-bin game") -> argparse.ArgumentParser:
    """``--N``: bins per input, integer in ``[1, N_MAX]``."""
    p = _parent()
    p.add_argument("--N", type=integer("--N", 1, N_MAX), default=default, help=f"{help} (default {default})")
    return p


def seed_option() -> argparse.ArgumentParser:
    """``--seed``: seed of every random search or simulation, integer in ``[0, 2**32 - 1]``."""
    p = _parent()
    p.add_argument("--seed", type=integer("--seed", 0, SEED_MAX), default=0, help="seed of every random search or simulation (default 0)")
    return p


def bins_option(default: int = 200) -> argparse.ArgumentParser:
    """``--bins``: bins of the continuum classical programme, integer in ``[2, BINS_MAX]``."""
    p = _parent()
    p.add_argument(
        "--bins", type=integer("--bins", 2, BINS_MAX), default=default,
        help=f"bins of the continuum classical programme (default {default})",
    )
    return p


def cert_dir_option() -> argparse.ArgumentParser:
    """``--cert-dir``: directory for certificate files (created if missing)."""
    p = _parent()
    p.add_argument(
        "--cert-dir", dest="cert_dir", type=writable_dir("--cert-dir"), default=None, metavar="DIR",
        help="directory for certificate files (default $QCOORD_CERT_DIR or <tmp>/qcoord-certificates)",
    )
    return p


def json_option() -> argparse.ArgumentParser:
    """``--json``: print one JSON object on stdout instead of the table."""
    p = _parent()
    p.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    return p


def plot_option(help: str = "write a plot to PATH") -> argparse.ArgumentParser:
    """``--plot PATH``: a ``.png``/``.pdf``/``.svg`` file in a writable folder."""
    p = _parent()
    p.add_argument("--plot", type=plot_path("--plot"), default=None, metavar="PATH", help=f"{help} (.png, .pdf or .svg)")
    return p


def print_json(obj: Any) -> None:
    """The one JSON style of every command: indented by 2, keys in insertion order, a final newline."""
    json.dump(obj, sys.stdout, indent=2, allow_nan=False)
    sys.stdout.write("\n")


def available_memory() -> int:
    """Bytes of memory available to a new allocation (``MemAvailable`` on Linux, else physical memory)."""
    try:
        with open("/proc/meminfo") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    try:
        return int(os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE"))
    except (ValueError, OSError, AttributeError):
        return 2**63


#: peak bytes per cell of the N x N game in ``qcoord game`` (measured: N = 2000 peaks at 1.1 GB, about
#: 28 float64 copies of the cell matrix across search, Tsirelson solver, enclosure and checkers)
BYTES_PER_CELL = 256
#: peak bytes per simulated pair of the two-server simulator (measured: 4e6 pairs add 0.3 GB)
BYTES_PER_PAIR = 100
#: peak bytes per (bin, bin) pair of the continuum classical programme (measured: 1000 bins add 0.3 GB;
#: its reward table alone holds 18 floats per pair)
BYTES_PER_BIN_PAIR = 320


def require_n_memory(option: str, n: int) -> None:
    """Refuse an N-bin game whose N x N matrices would not fit (:data:`BYTES_PER_CELL` per cell)."""
    require_memory(option, n, BYTES_PER_CELL * n * n)


def require_bins_memory(option: str, bins: int) -> None:
    """Refuse a continuum classical programme whose tables would not fit (:data:`BYTES_PER_BIN_PAIR` per bin pair)."""
    require_memory(option, bins, BYTES_PER_BIN_PAIR * bins * bins)


def require_pairs_memory(option: str, pairs: int) -> None:
    """Refuse a simulation whose per-pair arrays would not fit (:data:`BYTES_PER_PAIR` per pair)."""
    require_memory(option, pairs, BYTES_PER_PAIR * pairs)


def require_memory(option: str, value: object, needed: int, *, available: int | None = None) -> None:
    """Raise :class:`ProofsParameterError` when ``needed`` bytes exceed the memory available.

    >>> require_memory("--N", 30000, 200 * 2**30, available=16 * 2**30)
    Traceback (most recent call last):
    ...
    proofs.errors.ProofsParameterError: `--N` = 30000 would need about 200 GiB of memory; 16 GiB are available
    """
    avail = available_memory() if available is None else available
    if needed > avail:
        raise ProofsParameterError(f"`{option}` = {value} would need about {needed / 2**30:.0f} GiB of memory; {avail / 2**30:.0f} GiB are available")
