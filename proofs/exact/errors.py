"""The one error hierarchy of qcoord.

Every package's errors derive from :class:`QcoordError`: parameter errors are
also :class:`ValueError`, type errors also :class:`TypeError`, solver failures
also :class:`RuntimeError`, so callers can catch either the qcoord class or the
builtin one.

>>> issubclass(QcoordParameterError, ValueError) and issubclass(QcoordParameterError, QcoordError)
True
"""

from __future__ import annotations

__all__ = [
    "CertificateError",
    "CertificateFormatError",
    "ProofsParameterError",
    "QcoordError",
    "QcoordParameterError",
    "QcoordTypeError",
    "SolverError",
]


class QcoordError(Exception):
    """Base of every error qcoord raises on purpose."""


class QcoordParameterError(QcoordError, ValueError):
    """A parameter is outside its allowed range (the message names it, the range and the value)."""


class QcoordTypeError(QcoordError, TypeError):
    """A parameter has the wrong type."""


class SolverError(QcoordError, RuntimeError):
    """A numerical solver failed or reported an inaccurate status (named in the message)."""


class CertificateError(QcoordError, ValueError):
    """A certificate failed verification (the message says which inequality failed)."""


class CertificateFormatError(QcoordError, ValueError):
    """A certificate file cannot be read, is malformed, or exceeds a stated size limit."""


class ProofsParameterError(QcoordParameterError):
    """A parameter given to a checker, a claim or the CLI is out of range."""
