"""Dispatch a certificate file to the checker for its ``kind``.

A certificate is a JSON object with at least ``"kind"``, ``"game"`` (an exact
game description) and ``"N"``.  :data:`CHECKERS` maps each kind to a
``"module:function"`` checker (for example
``proofs.check_quantum:check_tsirelson_dual``) called as
``checker(cert: dict, source: str) -> Bound``; it re-derives everything it
needs (never trusting the solver) and raises :class:`proofs.CertificateError`
when an inequality fails.
"""

from __future__ import annotations

import importlib
import json
from pathlib import Path
from typing import Any

from proofs.bound import Bound
from proofs.errors import CertificateFormatError

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
CHECKERS["werner-strategy"] = "proofs.check_noise:check_werner_strategy"
CHECKERS["werner-mixture"] = "proofs.check_noise:check_werner_mixture"
CHECKERS["werner-system-dual"] = "proofs.check_noise:check_werner_system_dual"


def load_certificate(path: str | Path) -> dict[str, Any]:
    """Read a certificate file; raise :class:`CertificateFormatError` if unreadable."""
    p = Path(path)
    try:
        data = json.loads(p.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CertificateFormatError(f"cannot read certificate {str(p)!r}: {exc}") from exc
    if not isinstance(data, dict) or "kind" not in data:
        raise CertificateFormatError(f"certificate {str(p)!r} must be a JSON object with a 'kind' field")
    return data


def check_certificate(cert: dict[str, Any] | str | Path, source: str | None = None) -> Bound:
    """Verify a certificate (a dict or a file path) and return the :class:`Bound` it proves.

    Raises
    ------
    CertificateFormatError
        Unknown kind or malformed file.
    CertificateError
        The certificate does not prove what it claims.
    """
    if not isinstance(cert, dict):
        source = source or str(cert)
        cert = load_certificate(cert)
    kind = cert.get("kind")
    if kind not in CHECKERS:
        raise CertificateFormatError(f"unknown certificate kind {kind!r}; known kinds: {sorted(CHECKERS)}")
    mod, func = CHECKERS[kind].split(":")
    return getattr(importlib.import_module(mod), func)(cert, source or "<in-memory>")
