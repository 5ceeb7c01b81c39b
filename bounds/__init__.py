"""Certified-bound machinery: solvers that produce candidate certificates.

Solvers here return :class:`games.Estimate` values and certificate candidates;
only :mod:`proofs` checkers turn a certificate into a :class:`proofs.Bound`.
"""

from bounds.anatomy import Anatomy, anatomy
from bounds.classical_continuum import ContinuumClassical, continuum_classical
from bounds.classical_exact import ExactClassical, exact_classical
from bounds.continuum import ContinuumRelaxation, continuum_relaxation
from bounds.errors import BoundsParameterError, BoundsTypeError, SolverError
from bounds.result import SolverResult, SolveStatus
from bounds.npa import NpaResult, npa
from bounds.tsirelson import TsirelsonResult, tsirelson
from games.estimate import Estimate

__all__ = [
    "Anatomy",
    "BoundsParameterError",
    "BoundsTypeError",
    "ContinuumClassical",
    "ContinuumRelaxation",
    "Estimate",
    "ExactClassical",
    "NpaResult",
    "SolveStatus",
    "SolverError",
    "SolverResult",
    "TsirelsonResult",
    "anatomy",
    "continuum_classical",
    "continuum_relaxation",
    "exact_classical",
    "npa",
    "tsirelson",
]
