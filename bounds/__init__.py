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
from bounds.system import (
    ClassSolution,
    DualValue,
    MixedStrategy,
    OperatingPoint,
    PlanarRouter,
    RouterPair,
    SystemInfeasibleError,
    SystemParameterError,
    ThresholdRouter,
    dual_classical,
    dual_ideal,
    dual_quantum,
    ideal_solution,
    operating_point,
    solve_class,
    solve_mixture,
)

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
