"""Exceptions raised by :mod:`analytic` (derived from the one hierarchy in :mod:`proofs.exact.errors`)."""

from __future__ import annotations

from proofs.exact.errors import QcoordParameterError

__all__ = ["AnalyticParameterError"]


class AnalyticParameterError(QcoordParameterError):
    """A model parameter (rate, load, degree, probability) is out of range."""
