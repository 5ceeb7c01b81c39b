"""Certified-bound machinery: solvers that produce candidate certificates.

Solvers here return results derived from :class:`SolverResult` (estimates named
``lower_estimate`` / ``upper_estimate``, a :class:`SolveStatus`, message, seconds,
parameters) together with certificate candidates; a failed or inaccurate solve
raises :class:`SolverError`.  Only :mod:`proofs` checkers turn a certificate
into a :class:`proofs.Bound`.
"""

from bounds.anatomy import Anatomy, anatomy
from bounds.classical_continuum import ContinuumClassical, continuum_classical
from bounds.classical_exact import ExactClassical, exact_classical
from bounds.continuum import ContinuumRelaxation, continuum_relaxation
from bounds.errors import BoundsParameterError, BoundsTypeError, SolverError
from bounds.npa import NpaResult, npa
from bounds.result import SolverResult, SolveStatus
from bounds.system import ClassSolution, ideal_solution, solve_class, solve_mixture
from bounds.system_duals import DualValue, dual_classical, dual_ideal, dual_quantum
from bounds.system_point import OperatingPoint, SystemInfeasibleError, SystemParameterError, operating_point
from bounds.system_routers import MixedStrategy, PlanarRouter, RouterPair, ThresholdRouter
from bounds.tsirelson import TsirelsonResult, tsirelson
from games.estimate import Estimate

__all__ = [
    "Anatomy",
    "BoundsParameterError",
    "BoundsTypeError",
    "ClassSolution",
    "ContinuumClassical",
    "ContinuumRelaxation",
    "DualValue",
    "Estimate",
    "ExactClassical",
    "MixedStrategy",
    "NpaResult",
    "OperatingPoint",
    "PlanarRouter",
    "RouterPair",
    "SolveStatus",
    "SolverError",
    "SolverResult",
    "SystemInfeasibleError",
    "SystemParameterError",
    "ThresholdRouter",
    "TsirelsonResult",
    "anatomy",
    "continuum_classical",
    "continuum_relaxation",
    "dual_classical",
    "dual_ideal",
    "dual_quantum",
    "exact_classical",
    "ideal_solution",
    "npa",
    "operating_point",
    "solve_class",
    "solve_mixture",
    "tsirelson",
]
