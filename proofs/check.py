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

import importlib
from pathlib import Path
from typing import Any

from proofs.bound import Bound
from proofs.exact.certificate import check_schema, read_certificate
from proofs.exact.errors import CertificateError, CertificateFormatError, QcoordParameterError

__all__ = ["CHECKERS", "check_certificate", "load_certificate"]

#: certificate kind -> "module:function" of its checker
CHECKERS: dict[str, str] = {}
CHECKERS["tsirelson-dual"] = "proofs.check_quantum:check_tsirelson_dual"
CHECKERS["tsirelson-dual-relaxed"] = "proofs.check_quantum:check_tsirelson_dual_relaxed"
CHECKERS["quantum-vectors"] = "proofs.check_quantum:check_quantum_vectors"
CHECKERS["classical-strategy"] = "proofs.check_classical:check_strategy"
CHECKERS["classical-threshold"] = "proofs.check_classical:check_threshold"
CHECKERS["classical-bnb"] = "proofs.check_classical:check_bnb"
CHECKERS["classical-dp"] = "proofs.check_classical:check_dp"
CHECKERS["system-dual"] = "proofs.check_system:check_system_dual"
CHECKERS["system-strategy"] = "proofs.check_system:check_system_strategy"
CHECKERS["werner-strategy"] = "proofs.check_noise:check_werner_strategy"
CHECKERS["werner-mixture"] = "proofs.check_noise:check_werner_mixture"
CHECKERS["werner-system-dual"] = "proofs.check_noise:check_werner_system_dual"
CHECKERS["classical-bnb-relaxed"] = "proofs.check_classical_relaxed:check_bnb_relaxed"


def load_certificate(path: str | Path) -> dict[str, Any]:
    """Read a certificate file; raise :class:`CertificateFormatError` if unreadable, oversized or of another schema."""
    return read_certificate(path)


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
    if not isinstance(cert, dict):
        source = source or str(cert)
        cert = load_certificate(cert)
    check_schema(cert)
    kind = cert.get("kind")
    if not isinstance(kind, str) or kind not in CHECKERS:
        raise CertificateFormatError(f"unknown certificate kind {str(kind)[:40]!r}; known kinds: {sorted(CHECKERS)}")
    mod, func = CHECKERS[kind].split(":")
    checker = getattr(importlib.import_module(mod), func)
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
