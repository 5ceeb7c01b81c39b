"""Exceptions raised by :mod:`bounds`."""

from __future__ import annotations

__all__ = ["BoundsParameterError", "SolverError"]


class BoundsParameterError(ValueError):
    """A solver or relaxation parameter is out of range."""


class SolverError(RuntimeError):
    """A numerical solver failed or returned an inaccurate status (named in the message)."""
