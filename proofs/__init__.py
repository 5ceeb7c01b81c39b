"""Claims, certificate checkers, the ``qcoord`` CLI and its report.

Only checkers in this package create :class:`Bound` objects.  The public names
are loaded lazily, so that importing the checker core (:mod:`proofs.exact`)
does not import the solvers in :mod:`bounds`.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS: dict[str, str] = {
    "Bound": "proofs.checkers.bound",
    "Bracket": "proofs.checkers.bound",
    "CLAIMS": "proofs.claims.registry",
    "CertificateError": "proofs.exact.errors",
    "CertificateFormatError": "proofs.exact.errors",
    "Claim": "proofs.claims.claim",
    "ClaimResult": "proofs.claims.claim",
    "ProofsParameterError": "proofs.exact.errors",
    "QcoordError": "proofs.exact.errors",
    "QcoordParameterError": "proofs.exact.errors",
    "QcoordTypeError": "proofs.exact.errors",
    "SolverError": "proofs.exact.errors",
    "Target": "proofs.checkers.bound",
    "check_certificate": "proofs.checkers.registry",
    "classical_bracket": "proofs.certify.classical",
    "load_certificate": "proofs.checkers.registry",
    "quantum_bracket": "proofs.certify.quantum",
    "run_claim": "proofs.claims.claim",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(importlib.import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'proofs' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
