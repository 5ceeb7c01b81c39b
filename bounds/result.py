"""The one base of every solver result in :mod:`bounds`.

A solver result carries *estimates*, never bounds: only a :mod:`proofs`
checker turns the certificate a solver wrote into a :class:`proofs.Bound`.
Every result shares the provenance fields of :class:`SolverResult` and follows
one naming rule for its numbers:

* ``lower_estimate``: winning probability of a strategy the solver found
  (a lower-bound *candidate*);
* ``upper_estimate``: winning probability the solver's dual or relaxation
  claims (an upper-bound *candidate*);
* other floats name what they measure (``primal_value`` is a bias, ``slack``
  a margin), never a bare ``value`` or ``estimate``.

A solve that fails or is inaccurate raises :class:`bounds.errors.SolverError`
(as cvxpy does); a result always has a :class:`SolveStatus` that says how the
solver stopped.

>>> r = SolverResult(status=SolveStatus.OPTIMAL, message="demo", seconds=0.0, parameters={"eps": 1e-8})
>>> r.status, r.parameters["eps"], r.to_dict()["status"]
(<SolveStatus.OPTIMAL: 'optimal'>, 1e-08, 'optimal')
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

__all__ = ["SolveStatus", "SolverResult"]


class SolveStatus(enum.StrEnum):
    """How a solver stopped (a failed or inaccurate solve raises instead)."""

    #: an interior-point / conic solver reported an optimal solution
    OPTIMAL = "optimal"
    #: an iterative method met its tolerance in its final round
    CONVERGED = "converged"
    #: an iterative method used its whole iteration budget; the certificate
    #: it wrote is still feasible (a checker decides), only the gap may be larger
    ITERATION_LIMIT = "iteration_limit"
    #: a combinatorial algorithm finished (dynamic programme, branch and bound)
    EXACT = "exact"


@dataclass(frozen=True, kw_only=True)
class SolverResult:
    """Provenance shared by every solver result.

    Attributes
    ----------
    status
        How the solver stopped (:class:`SolveStatus`).
    message
        One human-readable line: solver, size, what the status means here.
    seconds
        Wall-clock time of the solve.
    parameters
        Read-only mapping of the solver parameters that reproduce the result.
    """

    status: SolveStatus
    message: str = ""
    seconds: float = 0.0
    parameters: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", SolveStatus(self.status))
        object.__setattr__(self, "parameters", MappingProxyType(dict(self.parameters)))

    def __getstate__(self) -> dict[str, Any]:
        """Pickle state: the fields, ``parameters`` as a plain dict (a mapping proxy does not pickle).

        A result pickles, so a job of a process pool or a Dask cluster can return it.
        """
        return {**self.__dict__, "parameters": dict(self.parameters)}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        object.__setattr__(self, "parameters", MappingProxyType(dict(state["parameters"])))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready provenance (subclasses add their estimates)."""
        return {"status": str(self.status), "message": self.message, "seconds": self.seconds, "parameters": dict(self.parameters)}
