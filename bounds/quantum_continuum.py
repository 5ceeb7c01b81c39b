"""Continuum quantum upper bound, second order in the cell size: the producer of ``"tsirelson-dual-continuum"``.

The N-bin Tsirelson dual ``x, y``, read as bin densities, is scaled by
``1 + tau`` to become a dual of the continuous game (lemma Q6 in
``proofs/lemmas_quantum.md``).  The remainder of the rule on the crossed
cells has zero mean on each cell, so it couples the bin-constant functions
only to their orthogonal complement, and the price is
``tau ~ ||W||^2 / 4`` with ``W_ij = sqrt(q_ij / (N x_i y_j))`` on the
crossed cells and ``q_ij = (1 - rho_ij^2) / N^3``: about ``1.7 / N^2`` on the
paper's game, against ``~1 / N`` for the crossed-cell relaxation (lemma Q3).

This module writes the candidate certificate: the dual weights (with the
outward margin of lemma Q2, as :func:`bounds.certificates.dual_certificate`),
a Collatz-Wielandt vector ``v`` (the top right singular vector of ``W``, per
connected block, by Lanczos), and ``tau`` a little above what the checker
will require.  Everything here is an estimate: only
:func:`proofs.checkers.quantum_continuum.check_tsirelson_dual_continuum`
turns the certificate into a bound.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bounds.certificates import dual_certificate
from bounds.errors import BoundsParameterError, SolverError
from bounds.result import SolverResult
from bounds.tsirelson import TsirelsonResult, tsirelson
from games.discretise import Discretisation
from proofs.exact import cell_enclosure, fraction_str, new_certificate
from proofs.exact.cells import CellEnclosure
from proofs.exact.psd import exact_float_sum

__all__ = ["ContinuumDual", "collatz_vector", "continuum_dual", "remainder_matrix"]

#: relative margin on ``tau`` over the float estimate of the checker's requirement
TAU_MARGIN = 1e-6
#: floors (times the mean weight) tried for the dual weights when some are smaller
FLOORS = (0.03, 0.1, 0.3)


def remainder_matrix(enc: CellEnclosure, x: NDArray[np.float64], y: NDArray[np.float64]) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
    """``W`` of lemma Q6 in coordinate form ``(rows, cols, values)`` (floats, estimates of the checker's).

    >>> enc = cell_enclosure({"type": "linear", "s": "1"}, 2)
    >>> [round(t, 12) for t in remainder_matrix(enc, np.full(2, 0.25), np.full(2, 0.25))[2].tolist()]   # 1 (+ the rounding cover)
    [1.0, 1.0]
    """
    n = enc.n
    rows, cols = (a.astype(np.int64) for a in np.nonzero(enc.kind == 0))
    # the checker's variance bound (proofs.checkers.quantum_continuum.crossed_variances): rho at the enclosure's end nearest 0,
    # not at its midpoint (on cells with |rho| ~ 1, e.g. games of value ~1, 1 - rho^2 is all in the enclosure's width)
    lo, hi = enc.lo[rows, cols].astype(np.float64), enc.hi[rows, cols].astype(np.float64)
    m = np.where((lo <= 0) & (hi >= 0), 0.0, np.minimum(np.abs(lo), np.abs(hi)))
    rho = m * float(n * n)
    # + 8 ulp(1): the float 1 - rho^2 is within ~4 ulp(1) of the checker's exact 1 - N^4 m^2, which on cells with |rho| ~ 1
    # is itself that small (gamma:16 at t = 0.354, N = 15: omega ~ 3e-13, and the float value fell short of it)
    q = (np.maximum(1.0 - rho**2, 0.0) + 8 * 2.0**-52) / float(n) ** 3
    return rows, cols, np.sqrt(q / (n * x[rows] * y[cols]))


def collatz_vector(rows: NDArray[np.int64], cols: NDArray[np.int64], vals: NDArray[np.float64], n: int) -> NDArray[np.float64]:
    """A positive vector ``v`` (length ``n``) making ``max_j (W^T W v)_j / v_j`` close to ``||W||^2``.

    With ``B = W^T W`` and ``s`` a little above its top eigenvalue (Lanczos),
    ``v = (s I - B)^-1 1 = sum_k B^k 1 / s^(k+1)`` is positive (``v >= 1/s``)
    and ``B v = s v - 1``, so every Collatz-Wielandt ratio is ``s - 1/v_j < s``.
    (The Perron vector itself decays exponentially away from the boundary's
    worst spot: its float entries are noise there and its ratios useless.)

    >>> v = collatz_vector(np.array([0, 0]), np.array([0, 1]), np.array([1.0, 1.0]), 3)
    >>> bool(np.all(v > 0)), round(_collatz(np.array([0, 0]), np.array([0, 1]), np.array([1.0, 1.0]), v, 3), 6)
    (True, 2.0)
    """
    from scipy.sparse import coo_matrix, identity
    from scipy.sparse.linalg import eigsh, spsolve

    if vals.size == 0:
        return np.ones(n)
    w = coo_matrix((vals, (rows, cols)), shape=(n, n)).tocsr()
    b = (w.T @ w).tocsc()
    if n <= 64:
        top = float(np.linalg.eigvalsh(b.toarray())[-1])
    else:
        top = float(eigsh(b, k=1, which="LA", tol=1e-12, return_eigenvectors=False)[0])
    s = top * (1 + 1e-8)
    for _ in range(40):
        v = np.asarray(spsolve((s * identity(n, format="csc") - b).tocsc(), np.ones(n)), dtype=float)
        if np.all(np.isfinite(v)) and np.all(v > 0):
            return v
        s *= 1 + 1e-6
    raise SolverError("no positive Collatz-Wielandt vector found for the crossed-cell remainder")


def _collatz(rows: NDArray[np.int64], cols: NDArray[np.int64], vals: NDArray[np.float64], v: NDArray[np.float64], n: int) -> float:
    wv = np.bincount(rows, weights=vals * v[cols], minlength=n)
    wtwv = np.bincount(cols, weights=vals * wv[rows], minlength=n)
    used = np.unique(cols)
    return float(np.max(wtwv[used] / v[used]))


def _scaled(enc: CellEnclosure, x: NDArray[np.float64], y: NDArray[np.float64], n: int) -> tuple[float, NDArray[np.float64], NDArray[np.float64], NDArray[np.float64], float, float, float]:
    """``(bound estimate, x, y, v, omega, eps, tau)`` of lemma Q6 for the weights ``x, y``; SolverError if tau > 1."""
    rows, cols, vals = remainder_matrix(enc, x, y)
    v = collatz_vector(rows, cols, vals, n)
    omega = _collatz(rows, cols, vals, v, n) if vals.size else 0.0
    eps = _schur(enc, x, y) if vals.size else 0.0
    d = 1.0 - eps / 2
    tau = (-d + np.sqrt(d * d + omega)) / 2  # the least tau with 4 tau (1 + tau - eps/2) >= omega
    tau = max(tau * (1 + TAU_MARGIN), -d * (1 + TAU_MARGIN), 0.0) + 1e-300
    if not tau <= 1:
        raise SolverError(f"lemma Q6 needs tau <= 1; got tau = {tau:.3g} at N = {n} (omega = {omega:.3g}, eps = {eps:.3g}: use more bins)")
    return 0.5 + (1 + tau) * float(np.sum(x) + np.sum(y)) / 2, x, y, v, omega, eps, tau


def _schur(enc: CellEnclosure, x: NDArray[np.float64], y: NDArray[np.float64]) -> float:
    rows, cols = np.nonzero(enc.kind == 0)
    t = (1.0 / x[rows] + 1.0 / y[cols]) / float(enc.n) ** 2
    r = np.bincount(rows, weights=t, minlength=enc.n).max()
    c = np.bincount(cols, weights=t, minlength=enc.n).max()
    return float((r + c) / 2)


@dataclass(frozen=True, eq=False)
class ContinuumDual(SolverResult):
    """The scaled N-bin dual for the continuous game and its candidate certificate.

    Attributes
    ----------
    result
        The N-bin Tsirelson solve behind it.
    omega, eps, tau
        Float estimates of lemma Q6's ``||W||^2`` bound, ``||T_E||`` bound and
        the scaling ``tau`` written into the certificate.
    certificate
        The ``"tsirelson-dual-continuum"`` candidate (checked only by
        :mod:`proofs.checkers.quantum_continuum`).
    """

    result: TsirelsonResult
    omega: float
    eps: float
    tau: float
    certificate: dict[str, Any]

    @property
    def upper_estimate(self) -> float:
        """The bound the certificate claims (an estimate until checked)."""
        return float(Fraction(self.certificate["bound"]))


def continuum_dual(
    disc: Discretisation,
    *,
    result: TsirelsonResult | None = None,
    enclosure: CellEnclosure | None = None,
    method: str = "fast",
    seed: int = 0,
    solver: dict[str, Any] | None = None,
) -> ContinuumDual:
    """Solve (or reuse) the N-bin Tsirelson dual and write the lemma Q6 certificate for the continuous game.

    >>> from games import discretise, linear_boundary_game
    >>> r = continuum_dual(discretise(linear_boundary_game(), 64))
    >>> r.certificate["kind"], r.certificate["N"], 0.5 + 1 / np.pi < r.upper_estimate < 0.5 + 1 / np.pi + 1e-3
    ('tsirelson-dual-continuum', None, True)
    """
    if not isinstance(disc, Discretisation):
        raise BoundsParameterError(f"`disc` must be a games.Discretisation; got {type(disc).__name__}")
    t0 = time.perf_counter()
    res = result if result is not None else tsirelson(disc, method=method, seed=seed)
    if res.n != disc.n:
        raise BoundsParameterError(f"`result` must be the Tsirelson solve of this N = {disc.n} discretisation; got N = {res.n}")
    enc = enclosure if enclosure is not None else cell_enclosure(disc.game, disc.n)
    base = dual_certificate(disc, res.x, res.y, primal_value=res.primal_value, solver=solver, enclosure=enc)
    x = np.array([float(Fraction(t)) for t in base["x"]])  # exact: the writer's numbers are floats
    y = np.array([float(Fraction(t)) for t in base["y"]])
    n = disc.n
    best = None
    # raising small weights keeps Z >= 0 (a larger diagonal) and shrinks omega and eps (their 1/x, 1/y): try a few floors
    mean = float(np.mean(np.concatenate([x, y])))
    floors = [0.0] + [c * mean for c in FLOORS if c * mean > min(float(x.min()), float(y.min()))]
    for fl in floors:
        xf, yf = np.maximum(x, fl), np.maximum(y, fl)
        if not (np.all(xf > 0) and np.all(yf > 0)):  # lemma Q6 needs positive densities
            continue
        try:
            cand = _scaled(enc, xf, yf, n)
        except SolverError:
            continue
        if best is None or cand[0] < best[0]:
            best = cand
    if best is None:
        raise SolverError(f"lemma Q6 gives nothing at N = {n}: tau > 1 for every weight floor tried (use more bins)")
    _, x, y, v, omega, eps, tau = best
    tau_q = Fraction(tau)
    dual = exact_float_sum(x) + exact_float_sum(y)
    bound = Fraction(1, 2) + (1 + tau_q) * dual / 2
    cert = new_certificate(
        "tsirelson-dual-continuum", disc.game, None, "upper", bound,
        bins=n, x=[fraction_str(t) for t in x.tolist()], y=[fraction_str(t) for t in y.tolist()], v=[fraction_str(t) for t in v.tolist()],
        tau=fraction_str(tau_q),
        matrix_sha256=disc.matrix_hash, primal_value=float(res.primal_value), solver=solver or {},
    )
    return ContinuumDual(
        res, omega, eps, tau, cert,
        status=res.status, message=f"lemma Q6 scaling of the N = {n} Tsirelson dual; tau = {tau:.3g}; {res.message}",
        seconds=res.seconds + (time.perf_counter() - t0), parameters={**res.parameters, "continuum": "Q6"},
    )
