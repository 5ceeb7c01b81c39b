"""Claims, certificate checkers, the ``qcoord`` CLI and its report.

Only checkers in this package create :class:`Bound` objects.  The public names
are loaded lazily, so that importing the checker core (:mod:`proofs.exact`)
does not import the solvers in :mod:`bounds`.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS: dict[str, str] = {
    "Bound": "proofs.bound",
    "Bracket": "proofs.bound",
    "CLAIMS": "proofs.claims",
    "CertificateError": "proofs.errors",
    "CertificateFormatError": "proofs.errors",
    "Claim": "proofs.claims",
    "ClaimResult": "proofs.claims",
    "ProofsParameterError": "proofs.errors",
    "QcoordError": "proofs.exact.errors",
    "QcoordParameterError": "proofs.exact.errors",
    "QcoordTypeError": "proofs.exact.errors",
    "SolverError": "proofs.exact.errors",
    "Target": "proofs.bound",
    "check_certificate": "proofs.check",
    "classical_bracket": "proofs.classical_bracket",
    "load_certificate": "proofs.check",
    "quantum_bracket": "proofs.quantum_bracket",
    "run_claim": "proofs.claims",
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
