"""NPA hierarchy (levels 1 and 1+AB) for two-party games with binary outputs.

A game is a weight tensor ``W[a, b, x, y]`` (outputs ``a, b`` in ``{0, 1}``,
inputs ``x < nA``, ``y < nB``): the winning probability of a behaviour
``p(ab|xy)`` is ``sum W[a, b, x, y] p(ab|xy)`` (``W`` already includes the
input distribution).  Marginals are part of the relaxation: the moment
matrix is indexed by ``1``, the outcome-0 projectors ``E_x`` (Alice),
``F_y`` (Bob) and, at level 1+AB, the products ``E_x F_y``; entries are
moments ``<O_i^dagger O_j>`` identified by projector rules (``E E = E``,
``[E, F] = 0``) and the adjoint (real relaxation), and
``p(00|xy) = <E_x F_y>``, ``p(01|xy) = <E_x> - <E_x F_y>``, etc.

The set-up is vectorised: one symmetric cvxpy variable, one block of
equality constraints tying entries with the same moment together (built with
numpy index arithmetic, no symbolic algebra), so it scales past the sizes
where ncpol2sdpa's symbolic set-up stops.  The optimum is an *estimate* of an
upper bound on the quantum value (a solver float, no certificate); for XOR
games level 1 equals Tsirelson's SDP (:mod:`bounds.tsirelson`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bounds.errors import BoundsParameterError, BoundsTypeError, SolverError, check_real
from bounds.result import SolverResult, SolveStatus
from games.errors import show

__all__ = ["NpaResult", "npa", "xor_weights"]

LEVELS = ("1", "1+ab")
#: largest side of the moment matrix (1 + nA + nB, plus nA nB at level "1+ab"): the SDP has side^2 variables
MOMENT_SIDE_MAX = 1024


@dataclass(frozen=True)
class NpaResult(SolverResult):
    """Optimum of an NPA relaxation (an estimate of an upper bound on the quantum value).

    Attributes
    ----------
    upper_estimate
        Solver optimum of the relaxed winning probability: an upper bound on
        the quantum value only up to solver accuracy (no certificate; use the
        Tsirelson certificates for XOR games).
    level
        ``"1"`` or ``"1+ab"``.
    size
        Side of the moment matrix.
    n_moments
        Number of distinct moments (free variables + 1).
    solver
        ``"scs"`` or ``"clarabel"``.

    Besides these it has the :class:`bounds.result.SolverResult` provenance
    (``status`` is always ``optimal``: any other solver status raises).
    """

    upper_estimate: float
    level: str
    size: int
    n_moments: int
    solver: str


def xor_weights(m: ArrayLike, pi: ArrayLike | None = None) -> NDArray[np.float64]:
    """Weights ``W[a, b, i, j]`` of an XOR game with cell matrix ``M`` (win = 1/2 + 1/2 sum M c).

    ``pi[i, j]`` is the probability of the input pair (default uniform,
    ``1/(nA nB)``, as for a discretised game) and ``M = P(bunch) - P(split)``
    per pair, so equal outputs win with weight ``(pi + M)/2`` and different
    outputs with ``(pi - M)/2``.

    >>> xor_weights([[0.25, 0.25], [0.25, -0.25]])[:, :, 1, 1].tolist()
    [[0.0, 0.25], [0.25, 0.0]]
    """
    m = np.asarray(m, dtype=float)
    if m.ndim != 2 or m.size == 0:
        raise BoundsParameterError(f"`m` must be a non-empty 2-D cell matrix; got shape {m.shape}")
    p = np.full(m.shape, 1.0 / m.size) if pi is None else np.asarray(pi, dtype=float)
    if p.shape != m.shape or np.any(np.abs(m) > p * (1 + 1e-9)):
        raise BoundsParameterError("`pi` must have the shape of `m` and satisfy |M| <= pi entrywise")
    w = np.zeros((2, 2) + m.shape)
    w[0, 0] = w[1, 1] = (p + m) / 2
    w[0, 1] = w[1, 0] = (p - m) / 2
    return w


def _reduce(word: tuple[int, ...]) -> tuple[int, ...]:
    out: list[int] = []
    for t in word:
        if not out or out[-1] != t:
            out.append(t)
    return tuple(out)


def _moment_keys(na: int, nb: int, level: str) -> tuple[list[tuple], NDArray[np.int64]]:
    """Operators of the level and, for each matrix entry, the index of its moment."""
    ops: list[tuple[tuple[int, ...], tuple[int, ...]]] = [((), ())]
    ops += [((x,), ()) for x in range(na)]
    ops += [((), (y,)) for y in range(nb)]
    if level == "1+ab":
        ops += [((x,), (y,)) for x in range(na) for y in range(nb)]
    m = len(ops)
    index: dict[tuple, int] = {}
    keys = np.empty((m, m), dtype=np.int64)
    for i, (ai, bi) in enumerate(ops):
        ra, rb = ai[::-1], bi[::-1]
        for j in range(i, m):
            aj, bj = ops[j]
            w = (_reduce(ra + aj), _reduce(rb + bj))
            w = min(w, (w[0][::-1], w[1][::-1]))
            k = index.setdefault(w, len(index))
            keys[i, j] = keys[j, i] = k
    return list(index), keys


def npa(weights: ArrayLike, level: str = "1", *, solver: str = "scs", eps: float = 1e-8) -> NpaResult:
    """Solve the NPA relaxation of a binary-output game at ``level``.

    Parameters
    ----------
    weights
        ``W[a, b, x, y]``, shape ``(2, 2, nA, nB)``.
    level
        ``"1"`` or ``"1+ab"``.
    solver
        ``"scs"`` or ``"clarabel"``.

    Examples
    --------
    CHSH: the quantum value ``cos^2(pi/8) = 0.853553...``.

    >>> r = npa(xor_weights(np.array([[1, 1], [1, -1]]) / 4), "1", solver="clarabel")
    >>> round(r.upper_estimate, 6)
    0.853553
    >>> npa(np.zeros((2, 2, 1, 1)), "2")
    Traceback (most recent call last):
    ...
    bounds.errors.BoundsParameterError: `level` must be one of ('1', '1+ab'); got '2'
    """
    import cvxpy as cp

    if isinstance(weights, (str, bytes)) or not isinstance(weights, (np.ndarray, list, tuple)):
        raise BoundsTypeError(f"`weights` must be a real array of shape (2, 2, nA, nB); got {show(weights)} of type {type(weights).__name__}")
    try:
        w = np.asarray(weights, dtype=float)
    except (TypeError, ValueError):
        raise BoundsTypeError(f"`weights` must be a real array of shape (2, 2, nA, nB); got {show(weights)}") from None
    if w.ndim != 4 or w.shape[:2] != (2, 2) or w.shape[2] == 0 or w.shape[3] == 0:
        raise BoundsParameterError(f"`weights` must have shape (2, 2, nA, nB); got {w.shape}")
    na, nb = w.shape[2], w.shape[3]
    side = 1 + na + nb + (na * nb if level == "1+ab" else 0)
    if side > MOMENT_SIDE_MAX:
        raise BoundsParameterError(f"`weights` of shape {w.shape} at level {level!r} needs a moment matrix of side {side}; "
                                   f"the side must be in [1, {MOMENT_SIDE_MAX}] (fewer inputs or level '1')")
    if not np.all(np.isfinite(w)):
        raise BoundsParameterError("`weights` must be finite; got nan or inf")
    if level not in LEVELS:
        raise BoundsParameterError(f"`level` must be one of {LEVELS}; got {level!r}")
    if solver not in ("scs", "clarabel"):
        raise BoundsParameterError(f"`solver` must be 'scs' or 'clarabel'; got {solver!r}")
    check_real("eps", eps, low=0.0, high=1e-2, low_open=True)
    start = time.perf_counter()
    na, nb = w.shape[2], w.shape[3]
    words, keys = _moment_keys(na, nb, level)
    m = keys.shape[0]
    # one representative (upper-triangle) entry per moment; tie every other upper entry to it
    iu, ju = np.triu_indices(m)
    flat = iu * m + ju
    k = keys[iu, ju]
    order = np.argsort(k, kind="stable")
    first = np.full(len(words), -1, dtype=np.int64)
    first[k[order[::-1]]] = flat[order[::-1]]
    rep = first[k]
    tie = flat != rep
    scale = float(np.abs(w).max()) or 1.0
    g = cp.Variable((m, m), symmetric=True)
    vec = cp.reshape(g, (m * m,), order="C")
    cons = [g >> 0, g[0, 0] == 1]
    if np.any(tie):
        cons.append(vec[flat[tie]] == vec[rep[tie]])
    ea = 1 + np.arange(na)
    fb = 1 + na + np.arange(nb)
    pa = g[0, 1 : 1 + na]
    pb = g[0, 1 + na : 1 + na + nb]
    p00 = g[1 : 1 + na, 1 + na : 1 + na + nb]
    del ea, fb
    ws = w / scale
    coef = ws[0, 0] - ws[0, 1] - ws[1, 0] + ws[1, 1]
    obj = (
        cp.sum(cp.multiply(coef, p00))
        + pa @ (ws[0, 1] - ws[1, 1]).sum(axis=1)
        + pb @ (ws[1, 0] - ws[1, 1]).sum(axis=0)
        + float(ws[1, 1].sum())
    )
    prob = cp.Problem(cp.Maximize(obj), cons)
    try:
        if solver == "scs":
            prob.solve(solver=cp.SCS, eps=eps, max_iters=200000)
        else:
            prob.solve(solver=cp.CLARABEL)
    except cp.error.SolverError as exc:
        raise SolverError(f"NPA level {level} with {solver} failed: {exc}") from exc
    if prob.status != cp.OPTIMAL:
        raise SolverError(f"NPA level {level} with {solver} returned status {prob.status!r} (need 'optimal')")
    return NpaResult(
        float(prob.value) * scale, level, m, len(words), solver,
        status=SolveStatus.OPTIMAL, message=f"NPA level {level}, moment matrix {m} x {m}, {solver} optimal",
        seconds=time.perf_counter() - start, parameters={"level": level, "solver": solver, "eps": eps},
    )
