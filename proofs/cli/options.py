"""Options shared by the ``qcoord`` commands: argparse parents, checked argument types, JSON output.

One option has one spelling, one meaning and one validation in every command.
Build a command's parser from the parents::

    p = sub.add_parser("game", parents=[n_option(), seed_option(), json_option()], help=...)

Every argument type here rejects bad values *while parsing* (NaN, infinities,
out-of-range numbers, non-numbers, unwritable paths), so a bad command line
ends with one line on stderr and exit status 2 before any work starts.

Parents (each call returns a fresh ``ArgumentParser(add_help=False)``):

=========================  ============  ===========================================
parent                     option        value
=========================  ============  ===========================================
``n_option(help)``         ``--N``       bins per input, integer in ``[N_MIN, N_MAX]`` (default 128)
``seed_option()``          ``--seed``    integer in ``[0, 2**32 - 1]`` (default 0)
``bins_option(default)``   ``--bins``    continuum-programme bins, ``[2, BINS_MAX]``
``cert_dir_option()``      ``--cert-dir``  writable (or creatable) directory
``json_option()``          ``--json``    print one JSON object (:func:`print_json`)
``plot_option(help)``      ``--plot``    ``.png``/``.pdf``/``.svg`` file in a writable place
=========================  ============  ===========================================

Types for other options: :func:`real`, :func:`real_list` and :func:`integer`
(bounded parsing: at most :data:`NUMBER_CHARS` characters, decimal only,
finite, normal floats, ranges), :func:`writable_dir`, :func:`plot_path`.
:func:`require_n_memory`, :func:`require_bins_memory`,
:func:`require_pairs_memory` and :func:`require_memory` refuse work that would
not fit in the available memory.  The ranges shared by several commands live
here, each with its reason: the game's ``C`` (:data:`C_MIN`, :data:`C_MAX`)
and size (:data:`N_MIN`, :data:`N_MAX`, :data:`N_DEFAULT`), rates, the load :data:`RHO_MAX`, the degree
``k`` of ``T(t) = t^k`` (:data:`K_MIN`, :data:`K_MAX`) and the waiting-time
limit (:func:`require_system_point`, :func:`require_finite_throughput`).

>>> import argparse
>>> p = argparse.ArgumentParser(parents=[n_option(), json_option()])
>>> p.parse_args(["--N", "12"]).N, p.parse_args([]).N, p.parse_args([]).json
(12, 128, False)
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
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from proofs.exact.errors import ProofsParameterError

__all__ = [
    "BINS_MAX",
    "BYTES_PER_BIN_PAIR",
    "BYTES_PER_CELL",
    "BYTES_PER_PAIR",
    "C_MAX",
    "C_MIN",
    "K_DEFAULT",
    "K_MAX",
    "K_MIN",
    "LAM_DEFAULT",
    "MU_DEFAULT",
    "MU_MAX",
    "MU_MIN",
    "NUMBER_CHARS",
    "N_DEFAULT",
    "N_MAX",
    "N_MIN",
    "PLOT_SUFFIXES",
    "RATE_MAX",
    "RATE_MIN",
    "RHO_MAX",
    "SEED_MAX",
    "W_BUDGET_MIN",
    "W_FRACTION_MIN",
    "W_LIMIT_DEFAULT",
    "W_LIMIT_MAX",
    "SystemPoint",
    "available_memory",
    "bins_option",
    "cert_dir_option",
    "integer",
    "json_option",
    "k_option",
    "lam_option",
    "law_name",
    "law_option",
    "mu_option",
    "n_option",
    "parse_real",
    "plot_option",
    "plot_path",
    "print_json",
    "real",
    "real_list",
    "require_bins_memory",
    "require_finite_throughput",
    "require_memory",
    "require_n_memory",
    "require_pairs_memory",
    "require_system_point",
    "seed_option",
    "system_options",
    "w_limit_option",
    "writable_dir",
]

#: ``--N``, the bins per input of the N-bin game, has one range and one default in every command that takes it
#: (``game``, ``sweep``, ``noise``, ``laws``).  At least 2: the law game's certificates need two bins, and one bin
#: is no game.  At most 1024: the slowest command there, ``qcoord noise``, takes 6 minutes, and the searches grow
#: faster than N^2 (measured on a shared 2-core machine at N = 1024: ``noise`` 369 s, ``laws`` 44 s per law,
#: ``game`` 26 s, ``sweep`` 8 s per grid point; peak memory 0.4 GB); the memory check (:func:`require_n_memory`)
#: still refuses any N the machine cannot hold.  The default 128 lets every command finish within about a minute
#: (``game`` 4 s, ``laws`` 4 s per law, ``noise`` 30 s, ``sweep`` 78 s of which the continuum minimiser takes most);
#: give ``--N`` for finer brackets (``qcoord game --N 1000`` for the paper's comparison).
N_MIN, N_MAX, N_DEFAULT = 2, 1024, 128
#: largest ``--bins`` of the continuum classical programme (its own limit)
BINS_MAX = 20_000
SEED_MAX = 2**32 - 1
PLOT_SUFFIXES = (".png", ".pdf", ".svg")


def _fmt(x: float) -> str:
    return "inf" if x == math.inf else "-inf" if x == -math.inf else f"{x:.12g}"


#: longest number accepted on the command line (a double needs at most 24 characters: sign, 17 digits, point, exponent)
NUMBER_CHARS = 40
#: the spelling of a real: decimal digits, an optional point, an optional exponent of at most 4 digits
_REAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,4})?")


def _range(low: float, high: float, low_open: bool, high_open: bool) -> str:
    return f"{'(' if low_open or low == -math.inf else '['}{_fmt(low)}, {_fmt(high)}{')' if high_open or high == math.inf else ']'}"


def parse_real(text: str, name: str, low: float = -math.inf, high: float = math.inf, *, low_open: bool = False, high_open: bool = False) -> float:
    """A finite, normal float in the interval, read by a bounded parser; the message names ``name``, the range and the value.

    Only decimal spellings of at most :data:`NUMBER_CHARS` characters (exponent of at most 4 digits) are read, so
    no text makes the parser slow; ``nan``, ``inf``, hexadecimal and underscores are refused, and so are subnormal
    numbers (``0 < |x| < 2.2e-308``: a user never means them and they overflow ``1/x``) and literals that underflow
    to 0.  ``-0`` is read as 0.

    >>> parse_real("1e-320", "--C", 0, 1)
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: `--C` must be a number in [0, 1] of magnitude 0 or at least 2.2e-308 (a normal float); got '1e-320'
    """
    rng = _range(low, high, low_open, high_open)
    t = text.strip()
    if len(t) > NUMBER_CHARS or _REAL.fullmatch(t) is None:
        shown = text if len(text) <= NUMBER_CHARS else text[:NUMBER_CHARS] + "..."
        if t.lower().lstrip("+-") in ("nan", "inf", "infinity"):
            raise argparse.ArgumentTypeError(f"`{name}` must be a finite number in {rng}; got {shown!r}")
        raise argparse.ArgumentTypeError(f"`{name}` must be a number in {rng} (decimal, at most {NUMBER_CHARS} characters); got {shown!r}")
    x = float(t)
    if not math.isfinite(x):
        raise argparse.ArgumentTypeError(f"`{name}` must be a finite number in {rng}; got {text!r}")
    mantissa = t.lower().partition("e")[0]
    if (x != 0 and abs(x) < sys.float_info.min) or (x == 0 and mantissa.strip("+-.0") != ""):
        raise argparse.ArgumentTypeError(f"`{name}` must be a number in {rng} of magnitude 0 or at least 2.2e-308 (a normal float); got {text!r}")
    x = x + 0.0  # -0 -> 0
    if x < low or x > high or (low_open and x == low) or (high_open and x == high):
        raise argparse.ArgumentTypeError(f"`{name}` must lie in {rng}; got {text!r}")
    return x


def real(
    name: str, low: float = -math.inf, high: float = math.inf, *, low_open: bool = False, high_open: bool = False
) -> Callable[[str], float]:
    """Argument type: :func:`parse_real` on the interval.

    >>> real("--lam", 0, low_open=True)("0.5")
    0.5
    >>> real("--lam", 0, low_open=True)("0")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: `--lam` must lie in (0, inf); got '0'
    """

    def parse(text: str) -> float:
        return parse_real(text, name, low, high, low_open=low_open, high_open=high_open)

    parse.__name__ = name
    return parse


def real_list(
    name: str, low: float, high: float, *, low_open: bool = False, high_open: bool = False, max_items: int = 1000
) -> Callable[[str], list[float]]:
    """Argument type: comma-separated reals, each as :func:`real`, at least one and at most ``max_items``.

    >>> real_list("--v", 0, 1)("0, 0.5,1")
    [0.0, 0.5, 1.0]
    >>> real_list("--v", 0, 1)("0.5,nan")
    Traceback (most recent call last):
    ...
    argparse.ArgumentTypeError: every `--v` must be a finite number in [0, 1]; got 'nan'
    """

    def parse(text: str) -> list[float]:
        items = text.split(",")
        if len(items) > max_items:
            raise argparse.ArgumentTypeError(f"`{name}` takes at most {max_items} comma-separated values; got {len(items)}")
        out = []
        for item in items:
            try:
                out.append(parse_real(item, name, low, high, low_open=low_open, high_open=high_open))
            except argparse.ArgumentTypeError as exc:
                raise argparse.ArgumentTypeError(f"every {exc}") from None
        return out

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
        t = text.strip()
        shown = text if len(text) <= NUMBER_CHARS else text[:NUMBER_CHARS] + "..."
        if len(t) > NUMBER_CHARS or re.fullmatch(r"[+-]?[0-9]+", t) is None:
            raise argparse.ArgumentTypeError(f"`{name}` must be an integer in [{low}, {high}]; got {shown!r}")
        v = int(t, 10)
        if not low <= v <= high:
            raise argparse.ArgumentTypeError(f"`{name}` must be an integer in [{low}, {high}]; got {shown!r}")
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
            raise argparse.ArgumentTypeError(f"`{name}` must be a directory; {text!r} exists and is not one")
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


def n_option(help: str = "bins per input of the N-bin game") -> argparse.ArgumentParser:
    """``--N``: bins per input, an integer in ``[N_MIN, N_MAX]`` (default :data:`N_DEFAULT`), the same in every command.

    Only the help text differs between commands; the range and the default are defined once, here.
    """
    if not isinstance(help, str):
        raise TypeError(f"n_option takes the help text only (one default {N_DEFAULT} and one range [{N_MIN}, {N_MAX}] for "
                        f"every command); got {help!r}")
    p = _parent()
    p.add_argument("--N", type=integer("--N", N_MIN, N_MAX), default=N_DEFAULT,
                   help=f"{help}, an integer in [{N_MIN}, {N_MAX}] within the memory available (default {N_DEFAULT})")
    return p


def seed_option() -> argparse.ArgumentParser:
    """``--seed``: seed of every random search or simulation, integer in ``[0, 2**32 - 1]``."""
    p = _parent()
    p.add_argument("--seed", type=integer("--seed", 0, SEED_MAX), default=0, help=f"seed of every random search or simulation, an integer in [0, {SEED_MAX}] (default 0)")
    return p


def bins_option(default: int = 200) -> argparse.ArgumentParser:
    """``--bins``: bins of the continuum classical programme, integer in ``[2, BINS_MAX]``."""
    p = _parent()
    p.add_argument(
        "--bins", type=integer("--bins", 2, BINS_MAX), default=default,
        help=f"bins of the continuum classical programme, an integer in [2, {BINS_MAX}] within the memory available (default {default})",
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


def quiet_option() -> argparse.ArgumentParser:
    """``--quiet``: no progress lines on stderr (``--json`` implies it)."""
    p = _parent()
    p.add_argument("--quiet", action="store_true", help="no progress lines on stderr (--json implies it)")
    return p


def plot_option(help: str = "write a plot to PATH") -> argparse.ArgumentParser:
    """``--plot PATH``: a ``.png``/``.pdf``/``.svg`` file in a writable folder."""
    p = _parent()
    p.add_argument("--plot", type=plot_path("--plot"), default=None, metavar="PATH", help=f"{help} (.png, .pdf or .svg)")
    return p


def _finite(obj: Any) -> Any:
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_finite(v) for v in obj]
    return obj


def print_json(obj: Any) -> None:
    """The one JSON style of every command: indented by 2, keys in insertion order, a final newline.

    JSON has no infinities or NaN: a non-finite float (e.g. the ideal class's multiplier ``nu = inf`` when
    ``W_limit`` is the always-split wait) is written as ``null``.

    >>> print_json({"nu": float("inf"), "p": [1.0, float("nan")]})
    {
      "nu": null,
      "p": [
        1.0,
        null
      ]
    }
    """
    json.dump(_finite(obj), sys.stdout, indent=2, allow_nan=False)
    sys.stdout.write("\n")


def available_memory() -> int:
    """Bytes of memory available to a new allocation (:func:`games.errors.available_memory`; imported here on
    use, so that ``qcoord check`` never imports :mod:`games`)."""
    from games.errors import available_memory as memory

    return memory()


#: peak bytes per cell of the N x N game in ``qcoord game`` (measured: N = 2000 peaks at 1.1 GB, about
#: 28 float64 copies of the cell matrix across search, Tsirelson solver, enclosure and checkers)
BYTES_PER_CELL = 256
#: peak bytes per simulated pair of the two-server simulators (measured: 1.6e7 pairs add 1.2 GB in ``qcoord system``
#: and 1.6 GB in ``qcoord queue``)
BYTES_PER_PAIR = 120
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
    proofs.exact.errors.ProofsParameterError: `--N` = 30000 would need about 200 GiB of memory; 16 GiB are available
    """
    avail = available_memory() if available is None else available
    if needed > avail:
        raise ProofsParameterError(f"`{option}` = {value} would need about {_bytes(needed)} of memory; {_bytes(avail)} are available")


def _bytes(n: float) -> str:
    """``n`` bytes in GiB (or MiB below 1 GiB, so that a small machine's message never reads "0 GiB").

    >>> _bytes(200 * 2**30), _bytes(3.2 * 2**20)
    ('200 GiB', '3 MiB')
    """
    return f"{n / 2**30:.0f} GiB" if n >= 2**30 else f"{n / 2**20:.0f} MiB"


#: the threshold constant C = exp(-mu t) of the paper's game in ``qcoord game``, ``noise`` and ``sweep``: near 0 or 1
#: one bunch/split region shrinks to a sliver of the square, the continuum programmes slow down without end and
#: 1/C, 1/(1 - C) overflow; [0.01, 0.99] spans t = -ln C from 0.01 to 4.6 mean service times
C_MIN, C_MAX = 0.01, 0.99

# --------------------------------------------------------------------------- the system level (qcoord system, noise, laws, queue)

#: pair and service rates: outside this range the simulator's draws and time sums overflow or underflow
RATE_MIN, RATE_MAX = 1e-6, 1e6
#: service rate of the certified system level (``qcoord system``, ``qcoord noise``): the producers' margins are
#: absolute, so the time scale matters (measured at rho = 0.5: certified for mu in [0.01, 100], a quantum
#: certificate fails at mu = 0.001 and at mu = 2000); rates of the simulator alone span RATE_MIN..RATE_MAX
MU_MIN, MU_MAX = 0.01, 100.0
#: largest load rho = lam/mu of the system level: beyond it the waiting times grow like 1/(1 - rho) and the
#: certificate producers were not validated (up to 0.99999 certifies at the exponential law; 0.999 leaves room)
RHO_MAX = 0.999
#: T(t) = t^k: R_k = ((1 + p_c)/(1 + p_q))^(k - 1) answers the paper's question only for k >= 1 (Eq. 8: minimising
#: p_split maximises E[T_B] iff k >= 1; for k < 1 less splitting lowers the throughput); 50 keeps Gamma(k + 1) finite
K_MIN, K_MAX = 1.0, 50.0
#: a waiting-time limit strictly between the always-split wait W_0 and W_0 + W_FRACTION_MIN (W_bunch - W_0) is
#: refused: there the optimal routers almost never bunch and the certificates cannot resolve the budget (W_l = W_0
#: exactly is accepted: p_split = 1 for every class)
W_FRACTION_MIN = 0.01
#: and so is a budget W_l - W_0 below this share of W_0 (a law of large variance: W_0 is large, W_bunch - W_0 is not);
#: the strategy certificates' exact W_q check fails below about 1e-5 (measured: exponential at rho = 0.6 and
#: lognormal:3 at rho = 0.999 fail at 1e-6 and certify at 1e-5)
W_BUDGET_MIN = 1e-4
#: a relative distance of W_limit from W_0 below this is W_limit = W_0 up to the rounding of the two floats
W_AT_SPLIT = 1e-13


#: the defaults of the system-level options, the same in every command that has them (the README's operating point)
LAM_DEFAULT, MU_DEFAULT, W_LIMIT_DEFAULT, K_DEFAULT = 0.6, 1.0, 1.65, 2.0
#: largest waiting-time limit parsed (any finite W_l above W_bunch means "always bunch is allowed")
W_LIMIT_MAX = 1e300


def lam_option() -> argparse.ArgumentParser:
    """``--lam``: pair arrival rate in ``[RATE_MIN, RATE_MAX]`` (default :data:`LAM_DEFAULT`); the load ``lam/mu`` is checked after parsing."""
    p = _parent()
    p.add_argument("--lam", type=real("--lam", RATE_MIN, RATE_MAX), default=LAM_DEFAULT,
                   help=f"pair arrival rate lambda in [{RATE_MIN:g}, {RATE_MAX:g}], with rho = lam/mu <= {RHO_MAX:g} (default {LAM_DEFAULT:g})")
    return p


def mu_option() -> argparse.ArgumentParser:
    """``--mu``: exponential service rate in ``[MU_MIN, MU_MAX]`` (default 1)."""
    p = _parent()
    p.add_argument("--mu", type=real("--mu", MU_MIN, MU_MAX), default=MU_DEFAULT,
                   help=f"exponential service rate mu in [{MU_MIN:g}, {MU_MAX:g}] (the range the certificates were validated on; default {MU_DEFAULT:g})")
    return p


def w_limit_option() -> argparse.ArgumentParser:
    """``--W-limit``: waiting-time limit, a number in ``[0, W_LIMIT_MAX]``; the operating point refines it (:func:`require_system_point`)."""
    p = _parent()
    p.add_argument("--W-limit", type=real("--W-limit", 0.0, W_LIMIT_MAX), default=W_LIMIT_DEFAULT, dest="W_limit",
                   help=f"waiting-time limit W_l in [0, {W_LIMIT_MAX:g}]; at the operating point: the always-split wait W_0 exactly (then p_split = 1) "
                        f"or at least W_0 + {W_FRACTION_MIN:g} (W_bunch - W_0) (closer to W_0 the certificates cannot resolve it; default {W_LIMIT_DEFAULT:g})")
    return p


def k_option() -> argparse.ArgumentParser:
    """``--k``: the degree of ``T(t) = t^k``, in ``[K_MIN, K_MAX]`` (default :data:`K_DEFAULT`)."""
    p = _parent()
    p.add_argument("--k", type=real("--k", K_MIN, K_MAX), default=K_DEFAULT,
                   help=f"baseline output T(t) = t^k, k in [{K_MIN:g}, {K_MAX:g}] (R_k of Eq. 8 needs k >= 1; default {K_DEFAULT:g})")
    return p


def system_options() -> list[argparse.ArgumentParser]:
    """The four options of a system-level operating point: ``--lam``, ``--mu``, ``--W-limit``, ``--k``."""
    return [lam_option(), mu_option(), w_limit_option(), k_option()]


def law_name(text: str) -> str:
    """Argument type of ``--law``: a catalogue law with its parameter in range (bounded parsing, :func:`analytic.laws.catalogue.parse_law`)."""
    from analytic.errors import AnalyticParameterError
    from analytic.laws.catalogue import parse_law

    try:
        parse_law(text)
    except AnalyticParameterError as exc:
        raise argparse.ArgumentTypeError(f"`--law`: {exc}") from None
    return text


def law_option(help: str = "service-time laws") -> argparse.ArgumentParser:
    """``--law NAME[:PARAM] ...``: one or more catalogue laws after one flag; repeating the flag adds more."""
    p = _parent()
    p.add_argument("--law", action="extend", nargs="+", type=law_name, default=None, metavar="NAME[:PARAM]",
                   help=f"{help}: one or more after one flag (the flag may also be repeated): exponential, gamma:K (K an integer in [1, 64]), "
                        "hyperexponential:CV (CV in [1.01, 100]), lognormal:SIGMA (SIGMA in [0.1, 3]), weibull:K (K in [0.1, 20]), "
                        "lomax:ALPHA (ALPHA in [1.01, 100]), uniform (default: the whole catalogue)")
    return p


@dataclass(frozen=True)
class SystemPoint:
    """The constants of a system-level operating point that the checks need (see :class:`bounds.system_point.OperatingPoint`)."""

    lam: float
    rho: float
    W_split: float
    mean_cost: float

    @property
    def W_bunch(self) -> float:
        return self.W_split + self.mean_cost


def require_system_point(lam: float, mu: float | None, W_limit: float | None = None, *, law: Any = None, fractions: Any = (),
                         lam_option: str = "--lam", W_option: str = "--W-limit") -> SystemPoint:
    """Refuse a system-level operating point that no command can solve and certify; return its constants.

    ``rho = lam E[X]`` must be at most :data:`RHO_MAX`; ``W_limit`` (if given) at least the always-split waiting
    time ``W_0`` and either ``W_0`` itself or at least ``W_0 + W_FRACTION_MIN (W_bunch - W_0)`` and
    ``W_0 (1 + W_BUDGET_MIN)``.  ``fractions`` are shares ``f`` of ``W_l = W_0 + f (W_bunch - W_0)``, checked
    the same way (``qcoord laws --W-fraction``).  ``law`` is an :class:`analytic.ServiceLaw` (else exponential
    of rate ``mu``).  The constants are those of :class:`bounds.system_point.OperatingPoint` (Pollaczek-Khinchine:
    ``W_0 = lam E[X^2]/(2 (1 - rho))``, ``W_bunch - W_0 = kappa E[X]^2 + E[X]/2``, ``kappa = lam/(2 (1 - rho))``),
    computed here from the law's first two moments so that no solver module is imported to refuse a command line.

    >>> round(require_system_point(0.6, 1.0, 1.5).W_split, 12)
    1.5
    >>> require_system_point(0.6, 1.0, 1.501)
    Traceback (most recent call last):
    ...
    proofs.exact.errors.ProofsParameterError: `--W-limit` = 1.501 lies just above the always-split wait W_0 = 1.5: give W_0 exactly (p_split = 1) or at least 1.5125 (W_0 + 0.01 (W_bunch - W_0), W_bunch = 2.75, and W_0 (1 + 0.0001)); closer to W_0 the certificates cannot resolve the budget
    """
    m1, m2 = (1.0 / mu, 2.0 / mu**2) if law is None else (float(law.mean), float(law.second_moment))  # type: ignore[operator]
    rho = lam * m1
    # lam and mu as the decimals typed (their shortest reprs), exactly: 99.9/100 is 0.999, not 0.9990000000000001
    too_high = rho > RHO_MAX if law is not None or mu is None else Fraction(repr(float(lam))) / Fraction(repr(float(mu))) > Fraction(repr(RHO_MAX))
    if too_high:
        rates = f"{lam_option} {lam:g}" + (f", --mu {mu:g}" if law is None else f", E[X] = {m1:g}")
        raise ProofsParameterError(f"`rho` = {'lam/mu' if law is None else 'lam E[X]'} must be at most {RHO_MAX:g} (a stable system "
                                   f"the certificates resolve); got {rho:.12g} ({rates})")
    if not math.isfinite(m2):
        raise ProofsParameterError("the service law must have a finite second moment (else W_q is infinite)")
    kappa = lam / (2.0 * (1.0 - rho))
    pt = SystemPoint(lam, rho, kappa * m2, kappa * m1 * m1 + m1 / 2.0)
    below = W_limit is not None and W_limit < pt.W_split * (1 - 1e-15)
    if W_limit is not None and law is None and mu is not None:
        # the certificates read lam, mu and W_limit as the decimals typed (their shortest reprs): compare exactly
        lq, mq = Fraction(repr(float(lam))), Fraction(repr(float(mu)))
        below = Fraction(repr(float(W_limit))) < lq / (mq * (mq - lq))
    if below:
        raise ProofsParameterError(f"`{W_option}` = {W_limit:g} is below the always-split waiting time W_0 = {pt.W_split:.12g} "
                                   f"(rho = {rho:g}): infeasible for every class of routers")
    lo = max(pt.W_split + W_FRACTION_MIN * pt.mean_cost, pt.W_split * (1.0 + W_BUDGET_MIN))
    if W_limit is not None and abs(W_limit - pt.W_split) > W_AT_SPLIT * pt.W_split and W_limit < lo:
        raise ProofsParameterError(
            f"`{W_option}` = {W_limit:.12g} lies just above the always-split wait W_0 = {pt.W_split:.12g}: give W_0 exactly "
            f"(p_split = 1) or at least {lo:.12g} (W_0 + {W_FRACTION_MIN:g} (W_bunch - W_0), W_bunch = {pt.W_bunch:.12g}, and "
            f"W_0 (1 + {W_BUDGET_MIN:g})); closer to W_0 the certificates cannot resolve the budget")
    f_min = max(W_FRACTION_MIN, W_BUDGET_MIN * pt.W_split / pt.mean_cost)
    bad = [f for f in fractions if f < f_min]
    if bad:
        what = f"law `{law.spec.label}`" if getattr(law, "spec", None) is not None else "this law"
        if f_min > 1:
            raise ProofsParameterError(
                f"the system level of {what} at rho = {rho:g} is out of reach: W_bunch - W_0 = {pt.mean_cost:.6g} is less than "
                f"{W_BUDGET_MIN:g} W_0 = {W_BUDGET_MIN * pt.W_split:.6g}, so no W_l between them is resolved by the certificates; "
                "use --no-system or a smaller rho")
        raise ProofsParameterError(
            f"`--W-fraction` must be at least {f_min:.6g} for {what} at rho = {rho:g} (W_l - W_0 at least {W_FRACTION_MIN:g} "
            f"(W_bunch - W_0) and {W_BUDGET_MIN:g} W_0, W_0 = {pt.W_split:.6g}, W_bunch = {pt.W_bunch:.6g}; closer to W_0 the "
            f"certificates cannot resolve the budget); got {bad[0]:g}")
    return pt


def require_finite_throughput(lam: float, mu: float, k: float, *, k_option: str = "--k") -> None:
    """Refuse ``T(t) = t^k`` whose ``E[T_B] = (1 - rho) Gamma(k + 1)/lambda_eff^(k - 1)`` leaves the float range.

    ``lambda_eff`` lies in ``[lam/2, lam]`` (``p_split`` in [0, 1]).

    >>> require_finite_throughput(1e-6, 1.0, 50)
    Traceback (most recent call last):
    ...
    proofs.exact.errors.ProofsParameterError: `--k` = 50 with lam = 1e-06: E[T_B] = (1 - rho) Gamma(k + 1)/lambda_eff^(k - 1) reaches 10^(373), beyond the float range; use a smaller k or a larger lam
    """
    rho = lam / mu
    logs = [math.log10(1.0 - rho) + math.lgamma(k + 1.0) / math.log(10) - (k - 1.0) * math.log10(le) for le in (lam / 2.0, lam)]
    worst = max(logs, key=abs)
    if max(abs(v) for v in logs) > 300:
        raise ProofsParameterError(f"`{k_option}` = {k:g} with lam = {lam:g}: E[T_B] = (1 - rho) Gamma(k + 1)/lambda_eff^(k - 1) reaches "
                                   f"10^({worst:.0f}), beyond the float range; use a smaller k or a larger lam")
