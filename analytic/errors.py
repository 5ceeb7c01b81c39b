"""Exceptions raised by :mod:`analytic`."""

from __future__ import annotations

__all__ = ["AnalyticParameterError"]


class AnalyticParameterError(ValueError):
    """A model parameter (rate, load, degree, probability) is out of range."""
