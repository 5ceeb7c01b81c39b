"""Tsirelson's SDP for an N-bin XOR game: primal vectors and a dual certificate candidate.

For an XOR game with cell matrix ``M`` (win probability
``1/2 + 1/2 sum_ij M_ij c_ij``) Tsirelson's theorem says the quantum value
is ``1/2 + 1/2 W`` with

    W = max sum_ij M_ij <u_i, v_j>   over unit vectors u_i, v_j.

Dual certificate (our normalisation)
    If ``x, y`` are reals with ``Z = [[diag(x), -M/2], [-M^T/2, diag(y)]]``
    positive semidefinite, then for any unit (or shorter) vectors, with ``G``
    the Gram matrix of ``(u_1..u_N, v_1..v_N)``,
    ``0 <= <Z, G> = sum x_i |u_i|^2 + sum y_j |v_j|^2 - sum M_ij <u_i, v_j>``,
    so ``W <= sum x + sum y``
    and the win probability is at most ``1/2 + 1/2 (sum x + sum y)``.  At
    the optimum the complementary-slackness multipliers are
    ``x_i = 1/2 sum_j M_ij <u_i, v_j>`` and ``y_j = 1/2 sum_i M_ij <u_i, v_j>``,
    which sum to ``W`` exactly; we add the smallest uniform shift ``delta``
    that makes ``Z`` verifiably PSD (:func:`proofs.exact.psd.verified_schur_psd`), so
    ``dual_value - primal_value = 2 N delta`` up to rounding for the fast
    solver (the identity the tests check).

Two solvers share this interface: ``method="fast"`` (block-coordinate ascent,
:mod:`bounds._kernels`, reaches N = 2000 in seconds) and ``method="scs"`` /
``"clarabel"`` (a cvxpy formulation; status other than optimal raises
:class:`bounds.SolverError`).  Everything returned here is an *estimate*:
only :mod:`proofs.checkers.quantum` turns it into a bound.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bounds.errors import BoundsParameterError, BoundsTypeError, SolverError, check_int, check_real
from bounds.result import SolverResult, SolveStatus
from games.discretise import Discretisation
from games.errors import SEED_MAX, check_cells, show
from games.estimate import Estimate
from games.strategies import VectorStrategy
from proofs.exact.psd import dual_matrix, gamma

__all__ = ["PIPELINE_MIN_N", "Candidate", "TsirelsonResult", "blas_threads", "dual_matrix", "pipeline_threads", "step_snap", "tsirelson"]

METHODS = ("fast", "scs", "clarabel")

#: ``psd_test(x, y, shift)``: true when ``Z(x, y)`` is proved PSD; ``shift`` is the uniform shift in ``x, y`` (see :func:`tsirelson`)
PsdTest = Callable[[NDArray[np.float64], NDArray[np.float64], float], bool]


def _thread_limit() -> int | None:
    raw = os.environ.get("QCOORD_BLAS_THREADS", "1").strip().lower()
    if raw in ("", "auto"):
        return None
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        raise BoundsParameterError(f"QCOORD_BLAS_THREADS must be a positive integer or 'auto'; got {raw!r}")
    return int(raw)


@contextmanager
def blas_threads(limit: int | str | None = "env") -> Iterator[None]:
    """Run the block with at most ``limit`` BLAS threads (threadpoolctl); ``None`` keeps the library's own choice.

    The default reads ``QCOORD_BLAS_THREADS`` (unset: 1; ``auto``: the
    library's choice).  One thread is the policy of the quantum pipeline:
    its factorisations (N x N Cholesky, the Schur product) and the many
    small matrix products of the solver never ran faster with more threads
    on the machines we measured, and multi-threaded OpenBLAS was up to 10x
    slower on small and mid-sized matrices (thread start-up and spinning
    against the other process' threads).  The numba kernels are serial
    (no ``parallel=True``), so numba's thread count plays no part; they
    release the GIL, which lets :func:`proofs.certify.quantum.certify_quantum`
    run its second Python thread (:func:`pipeline_threads`) beside them.

    >>> import numpy as np
    >>> with blas_threads(1):
    ...     float(np.linalg.cholesky(np.eye(2))[0, 0])
    1.0
    """
    n = _thread_limit() if limit == "env" else limit
    if n is None:
        yield
        return
    if isinstance(n, str) or not isinstance(n, int) or n < 1:
        raise BoundsParameterError(f"`limit` must be a positive integer, None or 'env'; got {limit!r}")
    with _controller().limit(limits=n, user_api="blas"):
        yield


#: smallest N at which the certified quantum pipeline uses its second thread by default (:func:`pipeline_threads`)
PIPELINE_MIN_N = 1000


def pipeline_threads(n: int | None = None) -> int:
    """Python threads the certified quantum pipeline may use (1 or 2): ``QCOORD_PIPELINE_THREADS``, else chosen.

    ``QCOORD_PIPELINE_THREADS=1`` forces the sequential pipeline, ``2`` the
    concurrent one; unset (or ``auto``) gives 2 when ``n`` (the bins, if
    given) is at least :data:`PIPELINE_MIN_N`, the process may run on at least
    two cores *and* the BLAS libraries are currently allowed at least two
    threads, else 1.  So a caller inside ``threadpoolctl.threadpool_limits(1)``
    (or with ``OPENBLAS_NUM_THREADS=1`` / ``OMP_NUM_THREADS=1``) gets the
    sequential pipeline: one core, as asked.  Below :data:`PIPELINE_MIN_N`
    the worker costs more (thread start, GIL hand-offs) than the little work it
    overlaps.  Call it *before* entering :func:`blas_threads` (which lowers
    BLAS to its own policy).

    >>> from threadpoolctl import threadpool_limits
    >>> with threadpool_limits(limits=1, user_api="blas"):
    ...     pipeline_threads(2000)
    1
    >>> pipeline_threads(64)
    1
    """
    raw = os.environ.get("QCOORD_PIPELINE_THREADS", "auto").strip().lower()
    if raw in ("1", "2"):
        return int(raw)
    if raw not in ("", "auto"):
        raise BoundsParameterError(f"QCOORD_PIPELINE_THREADS must be 1, 2 or 'auto'; got {raw!r}")
    if n is not None and n < PIPELINE_MIN_N:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    if cores < 2:
        return 1
    blas = [int(d["num_threads"]) for d in _controller().select(user_api="blas").info()]
    return 2 if not blas or min(blas) >= 2 else 1


_CONTROLLER: list[Any] = []  # [ThreadpoolController, number of modules loaded when it was made]


def _controller() -> Any:
    """A threadpoolctl controller, rebuilt only when a module was imported since (a new library may have loaded).

    Building one scans every loaded shared library (milliseconds); the quantum
    pipeline enters :func:`blas_threads` twice per certified bracket.
    """
    import sys

    from threadpoolctl import ThreadpoolController  # type: ignore[import-untyped]

    if not _CONTROLLER or _CONTROLLER[1] != len(sys.modules):
        _CONTROLLER[:] = [ThreadpoolController(), len(sys.modules)]
    return _CONTROLLER[0]


@dataclass(frozen=True, eq=False)
class TsirelsonResult(SolverResult):
    """Solution of Tsirelson's SDP: a strategy (primal) and a dual candidate.

    Besides the fields below it has the :class:`bounds.result.SolverResult`
    provenance (``status``, ``message``, ``seconds``, ``parameters``).

    Attributes
    ----------
    n
        Number of bins.
    method
        ``"fast"``, ``"scs"`` or ``"clarabel"``.
    strategy
        Unit vectors per bin (:class:`games.VectorStrategy`); its value is a
        lower-bound *candidate*.
    x, y
        Dual weights; ``Z(x, y)`` was proved PSD in floating point by the
        solver, or by the caller's ``psd_test`` (a checker re-proves it from scratch).
    primal_value
        ``sum_ij M_ij <u_i, v_j>`` of ``strategy`` (the bias, not the win
        probability), floating point.
    dual_value
        ``sum(x) + sum(y)`` (floating point).
    shift
        Uniform diagonal shift added to the solver's multipliers.
    iterations
        Sweeps (fast solver) or interior-point iterations (cvxpy) in total.
    """

    n: int
    method: str
    strategy: VectorStrategy
    x: NDArray[np.float64]
    y: NDArray[np.float64]
    primal_value: float
    dual_value: float
    shift: float
    iterations: int

    @property
    def gap(self) -> float:
        """``dual_value - primal_value`` (bias units; halve it for win probability)."""
        return self.dual_value - self.primal_value

    @property
    def lower_estimate(self) -> float:
        """Win probability of the strategy, ``1/2 + primal_value/2`` (estimate)."""
        return 0.5 + 0.5 * self.primal_value

    @property
    def upper_estimate(self) -> float:
        """``1/2 + dual_value/2`` (estimate until a checker verifies the certificate)."""
        return 0.5 + 0.5 * self.dual_value

    def rank(self, tol: float = 1e-6) -> int:
        """Numerical rank of the Gram matrix of ``(u; v)`` (singular values > ``tol * max``)."""
        s = np.linalg.svd(np.vstack([self.strategy.u, self.strategy.v]), compute_uv=False)
        return int(np.sum(s > tol * s[0]))

    def as_estimate(self, target: str = "") -> Estimate:
        """The strategy's value as an :class:`games.Estimate`."""
        return Estimate(
            min(1.0, self.lower_estimate), f"tsirelson-{self.method}", target or f"N={self.n}, quantum",
            {**self.parameters, "upper_estimate": self.upper_estimate, "iterations": self.iterations},
            seed=self.parameters.get("seed"), strategy=self.strategy,
        )


@dataclass(frozen=True, eq=False)
class Candidate:
    """A strategy whose multipliers the solver is about to test as a dual (see ``on_candidate`` of :func:`tsirelson`).

    If that dual is accepted and the solver stops there, the result has
    ``strategy == VectorStrategy(u, v)`` (bitwise) and these ``iterations`` and
    ``status``.  The arrays are the solver's own: read them, do not write.

    Attributes
    ----------
    u, v
        The solver's vectors (unit rows, not yet a :class:`games.VectorStrategy`).
    iterations
        Sweeps so far (the result's ``iterations`` if this is the last candidate).
    status
        The status the result would have.
    """

    u: NDArray[np.float64]
    v: NDArray[np.float64]
    iterations: int
    status: SolveStatus


#: ``on_candidate(candidate)``: told of each strategy before its dual is tested (see :func:`tsirelson`)
CandidateHook = Callable[[Candidate], None]


#: peak bytes per cell of the N x N matrix across the solver (several float64 copies: matrix, Gram factors, gradients)
BYTES_PER_CELL = 128


def _iv(obj: Any, method: str, rank: int | None, tol: float, max_iter: int) -> NDArray[np.float64]:
    if isinstance(obj, Discretisation):
        m = np.asarray(obj.matrix, dtype=np.float64)  # read-only and never written: no copy
    else:
        if not isinstance(obj, (np.ndarray, list, tuple)):
            raise BoundsTypeError(f"`disc` must be a games.Discretisation or a square matrix; got {show(obj)} of type {type(obj).__name__}")
        try:
            m = np.asarray(obj, dtype=np.float64)
        except (TypeError, ValueError):
            raise BoundsTypeError(f"`disc` must be a games.Discretisation or a square matrix of reals; got {show(obj)}") from None
    if m.ndim != 2 or m.shape[0] != m.shape[1] or m.shape[0] == 0:
        raise BoundsParameterError(f"`disc` must be a games.Discretisation or a non-empty square matrix; got shape {m.shape}")
    check_cells("disc", m.shape[0], BYTES_PER_CELL, error=BoundsParameterError)  # before any N x N work (a view costs nothing yet)
    if not math.isfinite(float(np.sum(m))) and not np.all(np.isfinite(m)):  # the sum first: one pass, no boolean N x N array
        raise BoundsParameterError("`disc` matrix must be finite")
    if method not in METHODS:
        raise BoundsParameterError(f"`method` must be one of {METHODS}; got {method!r}")
    if rank is not None:
        check_int("rank", rank, low=1)
    check_real("tol", tol, low=0, high=1e-3, high_open=True)
    check_int("max_iter", max_iter, low=1)
    return m


def tsirelson(
    disc: Discretisation | NDArray[np.float64],
    *,
    method: str = "fast",
    rank: int | None = None,
    tol: float = 1e-15,
    max_iter: int = 20000,
    seed: int = 0,
    use_numba: bool = True,
    psd_test: PsdTest | None = None,
    on_candidate: CandidateHook | None = None,
) -> TsirelsonResult:
    """Solve Tsirelson's SDP and return primal vectors and a dual certificate candidate.

    Parameters
    ----------
    disc
        A :class:`games.Discretisation` or a square cell matrix ``M``.
    method
        ``"fast"`` (block-coordinate ascent), ``"scs"`` or ``"clarabel"`` (cvxpy).
    rank
        Vector dimension of the fast solver (default 8, doubled while the
        dual certificate needs a large shift, up to ``sqrt(4 N) + 1``).
    tol
        Relative objective gain at which the fast solver stops.
    seed
        Seed of the random start (fast solver).
    psd_test
        ``psd_test(x, y, shift)`` is true when the dual weights ``x, y`` (the
        multipliers plus the uniform ``shift``) are proved feasible
        (``Z(x, y) >= 0``); it then replaces this module's own
        floating-point test in :func:`feasible_dual` (a caller whose checker
        proves the certificate anyway lets that one proof decide, instead of
        proving PSD twice).  Default: the verified Schur test of :func:`feasible_dual`.
    on_candidate
        Called with a :class:`Candidate` (the strategy, the sweeps so far and
        the status the result would have) before the dual weights of that
        strategy go to the PSD test: a caller may start work that needs the
        final strategy (the lower-bound certificate) while the test runs, and
        keep it if the result's strategy turns out to be that one.

    Examples
    --------
    CHSH (``M = 1/4 [[1, 1], [1, -1]]``): quantum value ``cos^2(pi/8)``.

    >>> r = tsirelson(np.array([[1.0, 1.0], [1.0, -1.0]]) / 4)
    >>> round(r.lower_estimate, 9), round(r.upper_estimate, 9)
    (0.853553391, 0.853553391)
    >>> tsirelson(np.eye(2), method="sdpa")
    Traceback (most recent call last):
    ...
    bounds.errors.BoundsParameterError: `method` must be one of ('fast', 'scs', 'clarabel'); got 'sdpa'
    """
    m = _iv(disc, method, rank, tol, max_iter)
    seed = check_int("seed", seed, low=0, high=SEED_MAX)
    if not isinstance(use_numba, (bool, np.bool_)):
        raise BoundsTypeError(f"`use_numba` must be True or False; got {show(use_numba)}")
    if psd_test is not None and not callable(psd_test):
        raise BoundsTypeError(f"`psd_test` must be None or a callable (x, y, shift) -> bool; got {show(psd_test)}")
    if on_candidate is not None and not callable(on_candidate):
        raise BoundsTypeError(f"`on_candidate` must be None or a callable (Candidate) -> None; got {show(on_candidate)}")
    start = time.perf_counter()
    n = m.shape[0]
    with blas_threads():
        sol = _fast(m, rank, tol, max_iter, seed, use_numba, psd_test, on_candidate) if method == "fast" else _cvx(m, method)
        if sol.shift is None and on_candidate is not None:
            on_candidate(Candidate(sol.u, sol.v, sol.iterations, sol.status))
        x, y, shift = (sol.x, sol.y, sol.shift) if sol.shift is not None else feasible_dual(m, sol.x, sol.y, psd_test=psd_test)
    strat = VectorStrategy(sol.u, sol.v)
    primal = float(np.sum(np.einsum("ik,ik->i", strat.u, m @ strat.v)))  # sum_ij M_ij <u_i, v_j> without an N x N product
    return TsirelsonResult(
        n=n, method=method, strategy=strat, x=x, y=y, primal_value=primal,
        dual_value=float(math.fsum(x) + math.fsum(y)), shift=shift, iterations=sol.iterations,
        status=sol.status, message=f"{method}, N = {n}, rank {sol.rank}: {sol.message}",
        seconds=time.perf_counter() - start,
        parameters={"rank": sol.rank, "tol": tol, "max_iter": max_iter, "seed": seed, "use_numba": use_numba},
    )


@dataclass(frozen=True, eq=False)
class _Solve:
    """What one solver back end returns (``shift`` is None until :func:`feasible_dual` ran)."""

    u: NDArray[np.float64]
    v: NDArray[np.float64]
    x: NDArray[np.float64]
    y: NDArray[np.float64]
    shift: float | None
    iterations: int
    status: SolveStatus
    message: str
    rank: int


def multipliers(m: NDArray[np.float64], u: NDArray[np.float64], v: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Complementary-slackness multipliers ``x_i = 1/2 <u_i, (M V)_i>``, ``y_j = 1/2 <v_j, (M^T U)_j>``.

    They sum to the primal value ``sum_ij M_ij <u_i, v_j>``:

    >>> m = np.array([[1.0, 2.0], [0.0, -1.0]])
    >>> u = np.eye(2); v = np.array([[1.0, 0.0], [0.0, -1.0]])
    >>> x, y = multipliers(m, u, v)
    >>> float(x.sum() + y.sum()), float(np.sum(m * (u @ v.T)))
    (2.0, 2.0)
    """
    return 0.5 * np.sum(u * (m @ v), axis=1), 0.5 * np.sum(v * (m.T @ u), axis=1)


def _status(it: int, max_iter: int) -> SolveStatus:
    """The status of a solve whose final ascent ran ``it`` sweeps: it met its tolerance, or used its budget."""
    return SolveStatus.CONVERGED if it < max_iter else SolveStatus.ITERATION_LIMIT


def _fast(
    m: NDArray[np.float64], rank: int | None, tol: float, max_iter: int, seed: int, use_numba: bool, psd_test: PsdTest | None,
    on_candidate: CandidateHook | None = None,
) -> _Solve:
    from bounds import _kernels

    n = m.shape[0]
    kmax = max(2, min(n, math.isqrt(4 * n) + 1))
    k = min(rank or 8, n) if rank is None else rank
    rng = np.random.default_rng(seed)
    v = rng.standard_normal((n, k))
    v /= np.linalg.norm(v, axis=1)[:, None]
    u = np.zeros_like(v)
    u[:, 0] = 1.0
    mt = np.ascontiguousarray(m.T)
    mc = np.ascontiguousarray(m)
    run = _kernels.alternate if use_numba else _kernels.alternate_numpy
    mabs = _max_abs(m)  # read once: every shift floor below needs it
    total = 0
    while True:
        u, v, _, it = run(mc, mt, u, v, max_iter, tol, 5)
        total += it
        if on_candidate is not None:
            on_candidate(Candidate(u, v, total, _status(it, max_iter)))
        x, y = multipliers(m, u, v)
        scale = max(float(np.abs(x).max()), 1e-300)
        try:
            x, y, shift = feasible_dual(m, x, y, psd_test=psd_test, max_abs=mabs)
        except SolverError:
            shift = math.inf
        # a large shift means a saddle point or an unconverged run: add dimensions
        ok = shift <= 1e-9 * scale or shift <= 16 * _shift_floor(m, x, y, mabs)
        if k >= kmax or (math.isfinite(shift) and (rank is not None or ok)):
            break
        k2 = min(2 * k, kmax)
        pad = 1e-3 * rng.standard_normal((n, k2 - k))
        u = np.hstack([u, pad])
        v = np.hstack([v, pad[::-1]])
        u /= np.linalg.norm(u, axis=1)[:, None]
        v /= np.linalg.norm(v, axis=1)[:, None]
        k = k2
    if not math.isfinite(shift):
        raise SolverError(f"fast solver: no PSD dual certificate found at rank {k} after {total} sweeps")
    # the status describes the whole solve: the final ascent met its tolerance, or used its budget
    if _status(it, max_iter) is SolveStatus.CONVERGED:
        status, msg = SolveStatus.CONVERGED, f"converged after {total} sweeps, dual shift {shift:.2e}"
    else:
        status, msg = SolveStatus.ITERATION_LIMIT, f"stopped at max_iter = {max_iter} sweeps (total {total}); dual made feasible with shift {shift:.2e}"
    return _Solve(u, v, x, y, shift, total, status, msg, k)


def _lambda_min(m: NDArray[np.float64], x: NDArray[np.float64], y: NDArray[np.float64]) -> float:
    """Estimate of the smallest eigenvalue of ``Z(x, y)`` for small ``N``; ``nan`` when too large to afford."""
    if m.shape[0] <= 400:
        return float(np.linalg.eigvalsh(dual_matrix(m, x, y))[0])
    return math.nan


def _max_abs(m: NDArray[np.float64]) -> float:
    """``max |M_ij|`` (1 for an empty matrix)."""
    return max(float(m.max()), -float(m.min())) if m.size else 1.0


def _shift_floor(m: NDArray[np.float64], x: NDArray[np.float64], y: NDArray[np.float64], max_abs: float | None = None) -> float:
    """Smallest shift worth trying: twice Theorem V's ``c`` plus room for the checker's enclosure of ``M``.

    ``max_abs``: :func:`_max_abs` of ``m`` if the caller has it (else it is read from ``m``).
    """
    n = m.shape[0]
    absd = float(np.abs(np.concatenate([x, y])).max())
    # Theorem V's gamma_{n+2} for the 2N x 2N matrix (proofs.exact.psd); 2g/(1-2g) bounds its 2 alpha.
    # The N x N Schur test (lemma Q5) needs less, so the same floor keeps the certified numbers unchanged.
    g = float(gamma(2 * n + 2))
    c = 2 * g / (1 - 2 * g) * (float(np.sum(np.abs(x))) + float(np.sum(np.abs(y))) + 2 * n * absd)
    # a few ulps per entry of M, summed along a row
    ulp = 8.0 * n * float(np.spacing(_max_abs(m) if max_abs is None else max_abs))
    return 2.0 * c + ulp


def step_snap(b: NDArray[np.float64], rel: float = 2.0**-30) -> tuple[NDArray[np.float64], float]:
    """``b`` with every entry within ``rel`` (relative) of the step height ``+-beta`` set to it, and ``eps >= ||b - snapped||_2``.

    The solver's float cell matrix carries a few ulps of rounding per full
    cell; snapped, its full cells share one value and the Schur complement
    of the dual costs ``O(N^2)`` (:func:`proofs.exact.schur_steps.step_schur_psd`);
    ``Z(M) >= Z(snapped) - eps I`` covers the difference.

    >>> s, eps = step_snap(np.array([[0.25, -0.25 * (1 + 2.0**-50)], [0.25, 0.1]]))
    >>> s.tolist(), 0 < eps < 1e-15
    ([[0.25, -0.25], [0.25, 0.1]], True)
    """
    border = np.abs(np.concatenate([b[:, 0], b[:, -1], b[0], b[-1]]))
    border = border[border > 0]
    if border.size == 0:
        return b, 0.0
    vals, counts = np.unique(border, return_counts=True)
    beta = float(vals[np.argmax(counts)])
    snapped = np.copysign(beta, b)
    diff = b - snapped  # exact where the entries are close (Sterbenz); elsewhere reset to 0 below
    far = np.abs(diff) > rel * beta
    np.copyto(snapped, b, where=far)
    diff[far] = 0.0
    flat = diff.ravel()
    ss = float(np.dot(flat, flat))
    if ss == 0.0 and not np.any(flat):
        return snapped, 0.0  # nothing moved
    return snapped, math.sqrt(ss) * (1.0 + 1e-9) + 1e-300  # a Frobenius bound with room for rounding


def feasible_dual(
    m: NDArray[np.float64], x: NDArray[np.float64], y: NDArray[np.float64], max_tries: int = 12, *, psd_test: PsdTest | None = None,
    max_abs: float | None = None,
) -> tuple[NDArray[np.float64], NDArray[np.float64], float]:
    """Add the smallest uniform shift that lets :func:`proofs.exact.schur_steps.step_schur_psd` (or ``psd_test``) prove ``Z`` PSD.

    Each try costs one N x N verified Cholesky of the Schur complement,
    formed in ``O(N^2)`` from the step structure of the (snapped,
    :func:`step_snap`) cell matrix (lemma Q5b; lemma Q5's ``N^3`` product
    when there is no such structure), not a 2N x 2N factorisation.  Returns ``(x + delta, y + delta, delta)``;
    raises :class:`SolverError` if no shift works after ``max_tries``
    quadruplings.  ``psd_test(x + delta, y + delta, delta)``, when given, decides
    each try instead (see :func:`tsirelson`).  ``max_abs`` is ``max |M_ij|`` if the caller has it.

    >>> x, y, d = feasible_dual(np.array([[1.0]]), np.array([0.5]), np.array([0.5]))
    >>> 0 < d < 1e-12
    True
    >>> feasible_dual(np.array([[1.0]]), np.array([0.5]), np.array([0.5]), psd_test=lambda x, y, d: d > 1e-13)[2] > 1e-13
    True
    """
    from proofs.exact.schur_steps import step_schur_psd

    lam = _lambda_min(m, x, y)
    delta = (max(0.0, -lam) * 1.05 if math.isfinite(lam) else 0.0) + _shift_floor(m, x, y, max_abs)
    delta = max(delta, 1e-300)  # stay clear of Theorem V's underflow term
    if not math.isfinite(lam):
        lam = 0.0
    half, eps = step_snap(-0.5 * m) if psd_test is None else (m, 0.0)
    for _ in range(max_tries):
        xd, yd = x + delta, y + delta
        if psd_test is not None:
            if psd_test(xd, yd, float(delta)):
                return xd, yd, float(delta)
            delta *= 4.0
            continue
        # Z(M) >= Z(snapped M) with the diagonal lowered by eps >= ||M/2 - snapped||_2
        xs, ys = (xd, yd) if eps == 0.0 else (np.nextafter(xd - eps, -np.inf), np.nextafter(yd - eps, -np.inf))
        if step_schur_psd(half, xs, ys).ok:
            return xd, yd, float(delta)
        delta *= 4.0
    raise SolverError(f"could not make the dual certificate PSD (last shift {delta:.3e}, lambda_min estimate {lam:.3e})")


def _cvx(m: NDArray[np.float64], method: str) -> _Solve:
    import cvxpy as cp

    n = m.shape[0]
    ms = m * n  # entries of order 1/N: rescale for the solver's tolerances
    g = cp.Variable((2 * n, 2 * n), PSD=True)
    cons = [cp.diag(g) == 1]
    prob = cp.Problem(cp.Maximize(cp.sum(cp.multiply(ms, g[:n, n:]))), cons)
    solver = cp.SCS if method == "scs" else cp.CLARABEL
    opts = {"eps": 1e-9, "max_iters": 200000} if method == "scs" else {}
    try:
        prob.solve(solver=solver, **opts)
    except cp.error.SolverError as exc:
        raise SolverError(f"cvxpy/{method} failed: {exc}") from exc
    if prob.status != cp.OPTIMAL:
        raise SolverError(f"cvxpy/{method} returned status {prob.status!r} (need 'optimal')")
    lam = np.asarray(cons[0].dual_value, dtype=float).ravel()
    if lam.sum() < 0:
        lam = -lam
    x, y = lam[:n] / n, lam[n:] / n
    gv = np.asarray(g.value, dtype=float)
    w, q = np.linalg.eigh((gv + gv.T) / 2)
    keep = w > 1e-9 * w.max()
    vec = q[:, keep] * np.sqrt(w[keep])
    vec /= np.linalg.norm(vec, axis=1)[:, None]
    # the objective is sum M_ij <u_i, v_j> with (u; v) the rows of the Gram factor
    iters = int(prob.solver_stats.num_iters or 0)
    return _Solve(vec[:n], vec[n:], x, y, None, iters, SolveStatus.OPTIMAL, f"cvxpy/{method} optimal after {iters} iterations", vec.shape[1])
