"""Crossed-cell relaxation: solver side of the continuum quantum upper bound (lemma Q3).

A bin-constant strategy is a strategy of the continuous game, so the N-bin
optimum is a continuum *lower* bound.  For an *upper* bound, let ``u(a)``,
``v(b)`` be any quantum strategy (Tsirelson vectors) and ``ubar_i``,
``vbar_j`` their bin averages (norm ``<= 1``).  On a cell where the rule is
constant the bias integral is ``M_ij <ubar_i, vbar_j>`` exactly; on a
crossed cell it differs from ``rho N^-2 <ubar_i, vbar_j>`` by at most
``integral |r - rho|``.  Two choices of ``rho`` give the two relaxations:

``"mean"``
    ``rho = N^2 M_ij`` (the cell's mean rule): the relaxed matrix *is* ``M``,
    so the N-bin dual certificate is reused, and the slack is
    ``sum over crossed cells of (1 - rho^2)/N^2``.
``"zero"``
    ``rho = 0``: crossed cells are removed from ``M`` (their contribution is
    at most their area, ``1/N^2``), a separate SDP is solved.

Continuum value ``<= 1/2 + 1/2 (sum x + sum y + slack)``.  The statement and
proof are in ``proofs/lemmas_quantum.md``; the checker
(:func:`proofs.checkers.quantum.check_tsirelson_dual_relaxed`) recomputes the
slack from the exact crossed-cell classification.  Everything here is an
estimate.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bounds.errors import BoundsParameterError, BoundsTypeError
from bounds.result import SolverResult
from bounds.tsirelson import TsirelsonResult, tsirelson
from games.discretise import Discretisation
from games.errors import check_choice, check_seed

__all__ = ["ContinuumRelaxation", "continuum_relaxation", "relaxed_matrix", "slack_estimate"]

RELAXATIONS = ("mean", "zero")


def _iv(disc: Discretisation, relaxation: str, crossed: ArrayLike | None) -> NDArray[np.bool_]:
    if not isinstance(disc, Discretisation):
        raise BoundsParameterError(f"`disc` must be a games.Discretisation; got {type(disc).__name__}")
    if relaxation not in RELAXATIONS:
        raise BoundsParameterError(f"`relaxation` must be one of {RELAXATIONS}; got {relaxation!r}")
    mask = np.asarray(disc.crossed if crossed is None else crossed, dtype=bool)
    if mask.shape != disc.matrix.shape:
        raise BoundsParameterError(f"`crossed` must have shape {disc.matrix.shape}; got {mask.shape}")
    return mask


def relaxed_matrix(disc: Discretisation, relaxation: str = "mean", crossed: ArrayLike | None = None) -> NDArray[np.float64]:
    """The matrix whose Tsirelson dual the relaxation certifies (``M``, or ``M`` with crossed cells zeroed).

    ``crossed`` overrides the float mask ``disc.crossed`` (pass the exact
    classification ``proofs.exact.cell_enclosure(...).kind == 0``).

    >>> from games import discretise, linear_boundary_game
    >>> relaxed_matrix(discretise(linear_boundary_game(), 2), "zero").tolist()
    [[0.25, 0.0], [0.0, -0.25]]
    """
    mask = _iv(disc, relaxation, crossed)
    m = np.array(disc.matrix, dtype=float)
    return m if relaxation == "mean" else np.where(mask, 0.0, m)


def slack_estimate(disc: Discretisation, relaxation: str = "mean", crossed: ArrayLike | None = None) -> float:
    """Floating-point value of the relaxation slack (bias units); the checker recomputes it exactly.

    >>> from games import discretise, linear_boundary_game
    >>> slack_estimate(discretise(linear_boundary_game(), 2), "zero")
    0.5
    """
    mask = _iv(disc, relaxation, crossed)
    n2 = disc.n**2
    if relaxation == "zero":
        return float(mask.sum()) / n2
    rho = disc.matrix[mask] * n2
    return float(np.sum(1.0 - rho**2)) / n2


@dataclass(frozen=True, eq=False)
class ContinuumRelaxation(SolverResult):
    """Dual weights for the relaxed problem and the resulting upper-bound estimate.

    ``upper_estimate = 1/2 + 1/2 (result.dual_value + slack)``; a lower-bound
    estimate is ``result.lower_estimate`` only for ``"mean"`` (same matrix).
    The :class:`bounds.result.SolverResult` provenance is that of the
    Tsirelson solve behind it (its ``seconds`` include a reused solve).
    """

    relaxation: str
    result: TsirelsonResult
    slack: float

    @property
    def upper_estimate(self) -> float:
        """Win probability the relaxed dual claims (an estimate until checked)."""
        return 0.5 + 0.5 * (self.result.dual_value + self.slack)


def continuum_relaxation(
    disc: Discretisation,
    relaxation: str = "mean",
    *,
    crossed: ArrayLike | None = None,
    result: TsirelsonResult | None = None,
    method: str = "fast",
    seed: int = 0,
) -> ContinuumRelaxation:
    """Solve (or reuse, for ``"mean"``) the Tsirelson dual for the relaxed continuum bound.

    >>> from games import discretise, linear_boundary_game
    >>> r = continuum_relaxation(discretise(linear_boundary_game(), 16))
    >>> r.upper_estimate > 0.5 + 1 / np.pi
    True
    """
    mask = _iv(disc, relaxation, crossed)
    if result is not None and not isinstance(result, TsirelsonResult):
        raise BoundsTypeError(f"`result` must be a bounds.TsirelsonResult or None; got {type(result).__name__}")
    check_choice("method", method, ("fast", "scs", "clarabel"), error=BoundsParameterError, type_error=BoundsTypeError)
    check_seed("seed", seed, error=BoundsParameterError, type_error=BoundsTypeError)
    if relaxation == "mean":
        res = result if result is not None else tsirelson(disc, method=method, seed=seed)
    else:
        res = tsirelson(relaxed_matrix(disc, "zero", mask), method=method, seed=seed)
    return ContinuumRelaxation(
        relaxation, res, slack_estimate(disc, relaxation, mask),
        status=res.status, message=f"{relaxation} relaxation; {res.message}", seconds=res.seconds,
        parameters={**res.parameters, "relaxation": relaxation},
    )
