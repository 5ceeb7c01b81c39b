"""Exceptions raised by :mod:`proofs` (derived from the one hierarchy in :mod:`proofs.exact.errors`)."""

from __future__ import annotations

from proofs.exact.errors import CertificateError, CertificateFormatError, QcoordParameterError

__all__ = ["CertificateError", "CertificateFormatError", "ProofsParameterError"]


class ProofsParameterError(QcoordParameterError):
    """A parameter given to a checker or to the CLI is out of range."""
