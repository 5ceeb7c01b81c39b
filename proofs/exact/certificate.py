"""The certificate format (schema 2): reading hostile files safely, the common header, the file name.

Every certificate is one JSON object with these common fields:

``schema``
    the format version, :data:`SCHEMA_VERSION`; any other value is refused.
``kind``
    which checker verifies it (``"tsirelson-dual"``, ``"classical-dp"``, ...).
``game``
    the exact game, ``{"type": "hyperbolic", "C": "33/100"}``
    (:func:`proofs.exact.games.exact_game`).
``N``
    the target: a positive integer for the N-bin game, ``null`` for the
    continuum game (the only way a certificate says "continuum").
``side``, ``bound``
    ``"lower"`` or ``"upper"``, and the claimed bound on the winning
    probability as an exact rational.
``bins``
    (kinds whose data lives on a grid) the number of bins of that grid.

Rationals are JSON integers or ``"p/q"`` strings (or plain decimals), read
by :func:`proofs.exact.rational.parse_fraction` in every checker: at most
:data:`proofs.exact.rational.MAX_DIGITS` digits in numerator and denominator,
no exponent notation (``"1e999999999"`` is refused, not expanded); everything
else is kind-specific.

Size limits (each refused with an error naming the field, the limit and the
value, before the work they would cost): ``bins`` at most 2048
(:data:`proofs.exact.cells.MAX_N`; ``classical-dp`` 400 and ``classical-bnb``
1024, whose programmes cost about ``bins^3.5`` and ``N^3``), ``a_switches`` /
``b_switches`` at most 64 each, the ``breaks`` of a classical
``system-dual`` at most 2048 (producers write about 400), the
``components`` of a ``system-strategy`` at most 8, the vectors ``u`` and
``v`` of a ``quantum-vectors`` at most ``2^18`` entries (N x dimension)
each; a law game's ``t`` lies in ``(0, 10^6]`` and the law parameters in
the ranges of :func:`proofs.exact.laws.exact_law`.  Checks of certificates
within these limits take seconds, at most about a minute on a loaded
two-core machine (``classical-bnb`` at N = 1024).

:func:`read_certificate` reads a file defensively: regular
files only (a FIFO or ``/dev/zero`` is refused before it is opened), at most
:data:`MAX_BYTES` bytes, nesting at most :data:`MAX_DEPTH`, no ``NaN`` or
``Infinity`` in any spelling, integers of at most
:data:`proofs.exact.rational.MAX_DIGITS` digits.

>>> cert = new_certificate("classical-strategy", {"type": "linear", "s": "1"}, 2, "lower", Fraction(3, 4), bins=2)
>>> certificate_filename(cert)
'classical-strategy_linear-s1_1_N2_d3f6a00511c4.json'
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from fractions import Fraction
from pathlib import Path
from typing import Any

from proofs.exact.errors import CertificateFormatError
from proofs.exact.games import GameType, exact_game
from proofs.exact.rational import MAX_DIGITS, fraction_str, parse_fraction

__all__ = [
    "MAX_BYTES",
    "MAX_DEPTH",
    "SCHEMA_VERSION",
    "CertificateHeader",
    "certificate_filename",
    "certificate_header",
    "check_kind",
    "field_int",
    "field_list",
    "new_certificate",
    "parse_certificate",
    "read_certificate",
]

#: the certificate format this version of qcoord writes and reads
SCHEMA_VERSION = 2
#: largest certificate file read (bytes); checked with stat and by a bounded read
MAX_BYTES = 64 * 2**20
#: deepest JSON nesting accepted (certificates need 4)
MAX_DEPTH = 16


def _no_constant(name: str) -> Any:
    raise CertificateFormatError(f"JSON constant {name} is not allowed in a certificate")


def _int(s: str) -> int:
    if len(s.lstrip("-")) > MAX_DIGITS:
        raise CertificateFormatError(f"JSON integer with more than {MAX_DIGITS} digits")
    return int(s)


def _float(s: str) -> float:
    if len(s) > 2 * MAX_DIGITS:
        raise CertificateFormatError(f"JSON number longer than {2 * MAX_DIGITS} characters")
    x = float(s)
    if x in (float("inf"), float("-inf")):
        raise CertificateFormatError(f"JSON number {s[:40]} overflows to infinity")
    return x


def _depth_ok(obj: Any) -> bool:
    # only containers go on the stack (json.loads makes exactly dict and list ones): a list of scalars costs one pass
    stack = [(obj, 1)]
    while stack:
        o, d = stack.pop()
        if d > MAX_DEPTH:
            return False
        if type(o) is dict or type(o) is list:
            if o and d >= MAX_DEPTH:  # its entries, containers or not, sit at depth d + 1
                return False
            stack.extend([(v, d + 1) for v in (o.values() if type(o) is dict else o) if type(v) is dict or type(v) is list])
    return True


class _DuplicateKey(ValueError):
    """A key given twice in one JSON object (the plain parser would keep the last silently)."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    d = dict(pairs)
    if len(d) != len(pairs):
        seen: set[str] = set()
        raise _DuplicateKey(next(k for k, _ in pairs if k in seen or seen.add(k)))  # type: ignore[func-returns-value]
    return d


def parse_certificate(text: str | bytes, source: str = "<in-memory>", *, schema: bool = True) -> dict[str, Any]:
    """Parse certificate JSON text with the limits of the module docstring.

    ``schema=False`` skips the ``schema`` check (for other qcoord JSON files read
    with the same limits, such as a report's claims.json).

    >>> parse_certificate('{"schema": 2, "kind": "x", "v": NaN}')
    Traceback (most recent call last):
    ...
    proofs.exact.errors.CertificateFormatError: JSON constant NaN is not allowed in a certificate
    >>> parse_certificate('{"schema": 2, "side": "upper", "side": "lower"}')
    Traceback (most recent call last):
    ...
    proofs.exact.errors.CertificateFormatError: certificate <in-memory> gives the key 'side' twice in one object
    """
    if len(text) > MAX_BYTES:
        raise CertificateFormatError(f"certificate {source} is larger than {MAX_BYTES} bytes")
    try:
        data = json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_no_constant, object_pairs_hook=_unique_keys)
    except CertificateFormatError:
        raise
    except _DuplicateKey as exc:  # a reader and the checker could take different values: refuse
        raise CertificateFormatError(f"certificate {source} gives the key {str(exc)[:40]!r} twice in one object") from exc
    except RecursionError as exc:
        raise CertificateFormatError(f"certificate {source} is nested too deeply") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CertificateFormatError(f"certificate {source} is not valid JSON: {exc}") from exc
    except ValueError as exc:  # int() digit limits of the interpreter
        raise CertificateFormatError(f"certificate {source}: {exc}") from exc
    if not _depth_ok(data):
        raise CertificateFormatError(f"certificate {source} is nested deeper than {MAX_DEPTH} levels")
    if not isinstance(data, dict):
        raise CertificateFormatError(f"certificate {source} must be a JSON object")
    if schema:
        check_schema(data)
    return data


def check_schema(cert: dict[str, Any]) -> None:
    """Refuse any certificate whose ``schema`` is not :data:`SCHEMA_VERSION`."""
    v = cert.get("schema")
    if v is None:
        raise CertificateFormatError(f"certificate has no 'schema' field (an old format?); this qcoord reads schema {SCHEMA_VERSION}")
    if isinstance(v, bool) or v != SCHEMA_VERSION:
        raise CertificateFormatError(f"unknown certificate schema {str(v)[:20]!r}; this qcoord reads schema {SCHEMA_VERSION}")


def read_certificate(path: str | Path, *, schema: bool = True) -> dict[str, Any]:
    """Read and parse a certificate file; raise :class:`CertificateFormatError` if unreadable.

    ``schema=False``: see :func:`parse_certificate`.

    Only regular files are opened (non-blocking, so a file swapped for a FIFO
    after the check cannot hang the read), and at most :data:`MAX_BYTES` + 1
    bytes are read.

    >>> read_certificate("/dev/zero")
    Traceback (most recent call last):
    ...
    proofs.exact.errors.CertificateFormatError: certificate '/dev/zero' is not a regular file
    """
    p = str(path)
    try:
        st = os.stat(p)
    except OSError as exc:
        raise CertificateFormatError(f"cannot read certificate {p!r}: {exc.strerror or exc}") from exc
    if not stat.S_ISREG(st.st_mode):
        raise CertificateFormatError(f"certificate {p!r} is not a regular file")
    if st.st_size > MAX_BYTES:
        raise CertificateFormatError(f"certificate {p!r} has {st.st_size} bytes; the limit is {MAX_BYTES}")
    try:
        fd = os.open(p, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise CertificateFormatError(f"certificate {p!r} is not a regular file")
            chunks, size = [], 0
            while size <= MAX_BYTES:
                b = os.read(fd, min(1 << 20, MAX_BYTES + 1 - size))
                if not b:
                    break
                chunks.append(b)
                size += len(b)
        finally:
            os.close(fd)
    except OSError as exc:
        raise CertificateFormatError(f"cannot read certificate {p!r}: {exc.strerror or exc}") from exc
    if size > MAX_BYTES:
        raise CertificateFormatError(f"certificate {p!r} is larger than {MAX_BYTES} bytes")
    return parse_certificate(b"".join(chunks), repr(p), schema=schema)


class CertificateHeader:
    """The parsed common fields of a certificate: exact game, target ``n`` (None = continuum), side, claimed bound."""

    __slots__ = ("bound", "game", "kind", "n", "side")

    def __init__(self, kind: str, game: GameType, n: int | None, side: str, bound: Fraction) -> None:
        self.kind, self.game, self.n, self.side, self.bound = kind, game, n, side, bound


def _target_n(v: Any) -> int | None:
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int) or v < 1:
        raise CertificateFormatError(f"certificate field 'N' must be a positive integer or null (continuum); got {str(v)[:40]}")
    return v


def check_kind(cert: Any, kind: str) -> None:
    """Require a JSON object of the current schema whose ``kind`` is ``kind``."""
    if not isinstance(cert, dict):
        raise CertificateFormatError("a certificate must be a JSON object")
    check_schema(cert)
    if cert.get("kind") != kind:
        raise CertificateFormatError(f"certificate kind must be {kind!r}; got {str(cert.get('kind'))[:40]!r}")


def certificate_header(cert: dict[str, Any], kind: str, side: str) -> CertificateHeader:
    """Validate the common fields for a certificate of ``kind`` proving a ``side`` bound."""
    check_kind(cert, kind)
    if "game" not in cert:
        raise CertificateFormatError("certificate has no 'game' field")
    game = exact_game(cert["game"])
    if "N" not in cert:
        raise CertificateFormatError("certificate has no 'N' field (a positive integer, or null for the continuum)")
    n = _target_n(cert["N"])
    if cert.get("side") != side:
        raise CertificateFormatError(f"a {kind!r} certificate proves a {side} bound; field 'side' is {str(cert.get('side'))[:20]!r}")
    bound = parse_fraction(cert.get("bound"), "bound")
    return CertificateHeader(kind, game, n, side, bound)


def field_int(cert: dict[str, Any], key: str, low: int, high: int) -> int:
    """Integer field ``key`` in ``[low, high]``, or :class:`CertificateFormatError` naming it."""
    v = cert.get(key)
    if isinstance(v, bool) or not isinstance(v, int) or not low <= v <= high:
        raise CertificateFormatError(f"certificate field {key!r} must be an integer in [{low}, {high}]; got {str(v)[:40]}")
    return v


def field_list(cert: dict[str, Any], key: str, length: int | None = None, *, max_length: int | None = None) -> list[Any]:
    """List field ``key`` of exactly ``length`` (or at most ``max_length``) entries; checked before any entry is read."""
    v = cert.get(key)
    if not isinstance(v, list):
        raise CertificateFormatError(f"certificate field {key!r} must be a list; got {type(v).__name__}")
    if length is not None and len(v) != length:
        raise CertificateFormatError(f"certificate field {key!r} must have {length} entries; got {len(v)}")
    if max_length is not None and len(v) > max_length:
        raise CertificateFormatError(f"certificate field {key!r} may have at most {max_length} entries; got {len(v)}")
    return v


def new_certificate(kind: str, game: Any, n: int | None, side: str, bound: Fraction, **data: Any) -> dict[str, Any]:
    """A schema-2 certificate dict with the common fields first (``bound`` as ``"p/q"``)."""
    if side not in ("lower", "upper"):
        raise CertificateFormatError(f"`side` must be 'lower' or 'upper'; got {side!r}")
    return {
        "schema": SCHEMA_VERSION,
        "kind": kind,
        "game": exact_game(game).describe(),
        "N": _target_n(n),
        "side": side,
        "bound": fraction_str(bound),
        **data,
    }


def certificate_filename(cert: dict[str, Any]) -> str:
    """The one file-name pattern: ``<kind>_<game type>-<parameters>_<N{n}|continuum>_<sha256 prefix>.json``.

    The hash covers the whole content, so distinct certificates never share a name.
    """
    game = cert.get("game", {})
    params = "-".join(f"{k}{str(v).replace('/', '_')}" for k, v in game.items() if k != "type")[:48]
    target = "continuum" if cert.get("N") is None else f"N{cert['N']}"
    digest = hashlib.sha256(json.dumps(cert, sort_keys=True).encode()).hexdigest()[:12]
    return f"{cert.get('kind')}_{game.get('type')}-{params}_{target}_{digest}.json"
