"""Dispatch a certificate (a file or a dict) to the checker for its ``kind``.

A certificate is a JSON object in the one format of
:mod:`proofs.exact.certificate` (``schema``, ``kind``, ``game``, ``N``,
``side``, ``bound``, then kind-specific data).  Each kind has one checker
function ``check(cert: dict, source: str) -> Bound`` (registered in
:data:`CHECKERS`) that re-derives everything it needs from the exact core
:mod:`proofs.exact` -- never from a solver -- and raises
:class:`proofs.CertificateError` when an inequality fails.

Files are read defensively (:func:`proofs.exact.certificate.read_certificate`):
size, nesting, digits and file type are checked before anything is allocated.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from proofs.checkers import (
    classical,
    classical_relaxed,
    multiparty,
    multiparty_classical,
    multiparty_quantum,
    noise,
    quantum,
    quantum_continuum,
    routers_continuum,
    routers_ideal,
    routers_system,
    slot_queue,
    system_dual,
    system_strategy,
    xor,
    xor_bnb,
    xor_rounded,
)
from proofs.checkers.bound import Bound
from proofs.exact.certificate import check_schema, read_certificate
from proofs.exact.errors import CertificateError, CertificateFormatError, QcoordParameterError, QcoordTypeError

__all__ = ["CHECKERS", "check_certificate", "load_certificate"]

#: certificate kind -> its checker ``(cert, source) -> Bound``
CHECKERS: dict[str, Callable[[dict[str, Any], str], Bound]] = {
    "tsirelson-dual": quantum.check_tsirelson_dual,
    "tsirelson-dual-relaxed": quantum.check_tsirelson_dual_relaxed,
    "tsirelson-dual-continuum": quantum_continuum.check_tsirelson_dual_continuum,
    "quantum-vectors": quantum.check_quantum_vectors,
    "classical-strategy": classical.check_strategy,
    "classical-threshold": classical.check_threshold,
    "classical-bnb": classical.check_bnb,
    "classical-dp": classical.check_dp,
    "classical-bnb-relaxed": classical_relaxed.check_bnb_relaxed,
    "system-dual": system_dual.check_system_dual,
    "system-strategy": system_strategy.check_system_strategy,
    "werner-strategy": noise.check_werner_strategy,
    "werner-mixture": noise.check_werner_mixture,
    "werner-system-dual": noise.check_werner_system_dual,
    "xor-quantum-dual": xor.check_xor_quantum_dual,
    "xor-quantum-vectors": xor.check_xor_quantum_vectors,
    "xor-classical": xor.check_xor_classical,
    "multiparty-classical-strategy": multiparty_classical.check_multiparty_classical_strategy,
    "multiparty-classical-threshold": multiparty_classical.check_multiparty_classical_threshold,
    "multiparty-quantum-strategy": multiparty_quantum.check_multiparty_quantum_strategy,
    "npa-multiparty-dual": multiparty.check_npa_multiparty_dual,
    "routers-dual": routers_system.check_routers_dual,
    "routers-strategy": routers_system.check_routers_strategy,
    "xor-classical-bnb": xor_bnb.check_xor_classical_bnb,
    "xor-classical-rounded": xor_rounded.check_xor_classical_rounded,
    "routers-continuum-dual": routers_continuum.check_routers_continuum_dual,
    "slot-queue-bracket": slot_queue.check_slot_queue_bracket,
    "routers-ideal": routers_ideal.check_routers_ideal,
}


def load_certificate(path: str | Path) -> dict[str, Any]:
    """Read a certificate file; raise :class:`CertificateFormatError` (naming ``path``) if unreadable, oversized or of another schema."""
    if not isinstance(path, (str, os.PathLike)) or isinstance(path, bytes):
        raise QcoordTypeError(f"`path` must be a certificate file path (str or os.PathLike); got {repr(path)[:60]} of type {type(path).__name__}")
    try:
        return read_certificate(path)
    except CertificateFormatError as exc:
        raise CertificateFormatError(f"`path`: {exc}") from None


def check_certificate(cert: dict[str, Any] | str | Path, source: str | None = None) -> Bound:
    """Verify a certificate (a dict or a file path) and return the :class:`Bound` it proves.

    Raises
    ------
    CertificateFormatError
        Unreadable, malformed, over a size limit, unknown schema or kind, a
        game parameter out of range.
    CertificateError
        A well-formed certificate that does not prove what it claims.

    Numbers are read through :func:`proofs.exact.rational.parse_fraction`
    (digit limits before any arithmetic); sizes (bins, break points,
    components, switch points, vector entries) are capped per kind
    (:mod:`proofs.exact.certificate`), so no certificate keeps a checker
    busy for more than about a minute.
    """
    if not isinstance(cert, (dict, str, os.PathLike)) or isinstance(cert, bytes):
        raise QcoordTypeError(f"`cert` must be a certificate dict or a file path (str or os.PathLike); got {repr(cert)[:60]} of type "
                              f"{type(cert).__name__}")
    if source is not None and not isinstance(source, str):
        raise QcoordTypeError(f"`source` must be a str naming the certificate or None; got {repr(source)[:60]} of type {type(source).__name__}")
    if not isinstance(cert, dict):
        source = source or str(cert)
        try:
            cert = read_certificate(cert)
        except CertificateFormatError as exc:
            raise CertificateFormatError(f"`cert`: {exc}") from None
    check_schema(cert)
    kind = cert.get("kind")
    if not isinstance(kind, str) or kind not in CHECKERS:
        raise CertificateFormatError(f"unknown certificate kind {str(kind)[:40]!r}; known kinds: {sorted(CHECKERS)}")
    checker = CHECKERS[kind]
    try:
        return checker(cert, source or "<in-memory>")
    except (CertificateError, CertificateFormatError):
        raise
    except QcoordParameterError as exc:  # a field out of range that a core primitive refused
        raise CertificateFormatError(str(exc)) from exc
    except RecursionError as exc:
        raise CertificateFormatError("certificate is nested too deeply") from exc
    except (OverflowError, ZeroDivisionError) as exc:
        # a last line of defence: the number fields are parsed with digit limits, but a legal rational far
        # beyond the float range (10^399) can still reach a float conversion in a checker; refuse, never trace back
        raise CertificateFormatError(f"a number in the {kind!r} certificate is out of the range its checker handles ({type(exc).__name__}: {exc})") from exc
