"""Certified-bound machinery: solvers that produce candidate certificates.

Solvers here return :class:`games.Estimate` values and certificate candidates;
only :mod:`proofs` checkers turn a certificate into a :class:`proofs.Bound`.
"""

from bounds.errors import BoundsParameterError, SolverError
from games.estimate import Estimate

__all__ = ["BoundsParameterError", "Estimate", "SolverError"]
