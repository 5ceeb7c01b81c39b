"""Exceptions raised by :mod:`proofs`."""

from __future__ import annotations

__all__ = ["CertificateError", "CertificateFormatError", "ProofsParameterError"]


class ProofsParameterError(ValueError):
    """A parameter given to a checker or to the CLI is out of range."""


class CertificateError(ValueError):
    """A certificate failed verification (the message says which inequality failed)."""


class CertificateFormatError(ValueError):
    """A certificate file cannot be read or lacks required fields."""
