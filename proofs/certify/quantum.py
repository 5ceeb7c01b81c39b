"""Certified brackets of quantum values: solve, write certificates, check them, return a :class:`Bracket`.

* N-bin game: lower bound = the solver's strategy (``"quantum-vectors"``
  certificate), upper bound = the Tsirelson dual (``"tsirelson-dual"``).
  The solver's dual candidates are written and checked as they come (the
  checker's proof of ``Z >= 0`` is the solver's feasibility test, so PSD is
  proved once, not by the solver and again by the checker).
* Continuum game (``continuum=True``): lower bound = the same bin-constant
  strategy read as a continuum strategy (lemma Q4), upper bound = the dual
  through the crossed-cell relaxation (``"tsirelson-dual-relaxed"``, lemma
  Q3).

Every number returned has passed a :mod:`proofs.checkers.quantum` checker; the
solver's floats are not used.  :func:`quantum_sweep` repeats this over a
grid of ``C`` and :func:`plot_quantum_sweep` draws it.
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bounds.certificates import default_certificate_dir, save_certificate
from proofs.checkers.bound import Bound, Bracket, Target
from proofs.checkers.registry import check_certificate
from proofs.exact import cell_enclosure, certificate_filename, exact_game
from proofs.exact.errors import CertificateError, ProofsParameterError, QcoordError, QcoordTypeError

__all__ = ["QuantumCertification", "QuantumSweepRow", "certify_quantum", "plot_quantum_sweep", "quantum_bracket", "quantum_sweep"]


@dataclass(frozen=True, eq=False)
class QuantumCertification:
    """Checked brackets with the solver output they came from.

    Attributes
    ----------
    bracket
        Certified bracket of the N-bin quantum value.
    continuum
        Certified bracket of the continuum quantum value, or ``None``.
    result
        The :class:`bounds.tsirelson.TsirelsonResult` (strategy, dual weights).
    rank
        Numerical rank of the optimal Gram matrix (local dimension
        ``2^floor(rank/2)`` suffices; rank 2 = one qubit, measurements in one plane).
    paths
        Certificate files: ``"lower"``, ``"upper"`` and, for the continuum,
        ``"continuum_lower"``, ``"continuum_upper"``.
    seconds
        Wall-clock seconds per stage (CPU seconds when the environment sets
        ``QCOORD_STAGE_CLOCK=cpu``: of the process in the sequential pipeline,
        of the stage's thread in the concurrent one): ``"discretise"``, ``"solve"``
        (the solver alone), ``"enclosure"``, ``"upper: write"``, ``"upper: check"``
        (the checker decides the solver's dual, so these run inside the solve;
        summed over the candidates it tried), ``"lower: write"``,
        ``"lower: check"``, then the continuum stages.  With two pipeline threads
        (:func:`bounds.tsirelson.pipeline_threads`) the enclosure and the lower
        stages run on the worker, overlapping the others (their sum then exceeds
        the total), and ``"enclosure: wait"`` is the time the solve waited for it.
    """

    bracket: Bracket
    continuum: Bracket | None
    result: Any
    rank: int
    paths: dict[str, str]
    seconds: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "lower": float(self.bracket.lower.value),
            "upper": float(self.bracket.upper.value),
            "width": float(self.bracket.width),
            "rank": self.rank,
            "certificate": self.paths["upper"],
            "certificates": list(self.paths.values()),
            "method": self.result.method,
        }


def _checked(cert: dict[str, Any], directory: Path, target: Target, seconds: dict[str, float] | None = None, stage: str = "") -> tuple[str, Bound]:
    """Write ``cert``, check the file, and make sure it proves ``target``; the writer's margins must suffice."""
    clock = time.process_time if os.environ.get("QCOORD_STAGE_CLOCK") == "cpu" else time.perf_counter
    t0 = clock()
    path = save_certificate(cert, directory)
    t1 = clock()
    try:
        bound = check_certificate(path)
    except CertificateError as exc:
        raise CertificateError(f"the {cert['kind']} certificate written for {target.label()} did not pass its checker ({path}): {exc}") from exc
    if seconds is not None:
        seconds[f"{stage}: write"] = seconds.get(f"{stage}: write", 0.0) + t1 - t0
        seconds[f"{stage}: check"] = clock() - t1
    if bound.target != target:
        raise CertificateError(f"certificate {path} proves {bound.target.label()}, not the requested {target.label()}")
    return path, bound


@dataclass(frozen=True, eq=False)
class _Lower:
    """A speculative lower side: the candidate, the shift its dual was tested with, and the job writing and checking it."""

    cand: Any
    shift: float
    future: Future[Any]


def _timed(clock: Any, fn: Any, *args: Any) -> tuple[Any, float]:
    t = clock()
    out = fn(*args)
    return out, clock() - t


def _enclosure_ready(exact: Any, n: int) -> Any:
    """The cell enclosure, with the dual checker's ``x, y``-free work on it done (:func:`proofs.checkers.quantum.half_and_steps`)."""
    from proofs.checkers.quantum import EXACT_LIMIT, half_and_steps

    enc = cell_enclosure(exact, n)
    if n > EXACT_LIMIT:
        half_and_steps(enc.mid_radius()[0])
    return enc


def _same(a: Any, b: Any) -> bool:
    """Two strategies with bitwise-equal vectors."""
    return all(x.shape == y.shape and x.tobytes() == y.tobytes() for x, y in ((a.u, b.u), (a.v, b.v)))


def _lower_side(
    disc: Any, strat: Any, solver: dict[str, Any], directory: Path, target: Target, clock: Any, written: list[str] | None,
    cert: dict[str, Any] | None = None, seconds: float = 0.0,
) -> tuple[str, Bound, dict[str, float]]:
    """Write the ``quantum-vectors`` certificate of ``strat``, check the file; return its path, bound and stage times.

    ``written`` (if given) gets the path as soon as the file exists.  ``cert``:
    that certificate if the caller built it already (in ``seconds``).
    """
    from bounds.certificates import vectors_certificate

    st: dict[str, float] = {}
    t = clock()
    if cert is None:
        cert = vectors_certificate(disc, strat.u, strat.v, solver=solver)
    st["lower: write"] = clock() - t + seconds
    if written is not None:
        written.append(str(directory / certificate_filename(cert)))
    path, bound = _checked(cert, directory, target, st, "lower")
    return path, bound, st


def certify_quantum(
    game: Any,
    n: int,
    *,
    continuum: bool = False,
    cert_dir: str | Path | None = None,
    method: str = "fast",
    seed: int = 0,
    relaxation: str = "mean",
) -> QuantumCertification:
    """Solve Tsirelson's SDP for ``game`` with ``n`` bins, write and check the certificates.

    Runs on one worker thread besides the caller's when
    :func:`bounds.tsirelson.pipeline_threads` allows it (README, "Speed and
    threads"; ``QCOORD_PIPELINE_THREADS=1`` forces one thread); the
    certificates and bounds are the same either way, and the worker has ended
    when this returns.

    >>> from games import linear_boundary_game
    >>> import tempfile
    >>> res = certify_quantum(linear_boundary_game(), 8, continuum=True, cert_dir=tempfile.mkdtemp())
    >>> res.bracket.lower.value <= res.bracket.upper.value, res.rank
    (True, 2)
    >>> float(res.continuum.lower.value) <= 0.5 + 1 / 3.141592653589793 <= float(res.continuum.upper.value)
    True
    """
    from bounds.tsirelson import METHODS, blas_threads, pipeline_threads
    from proofs.certify import args as a

    a.check_game("game", game)
    n = a.check_int("n", n, low=1)
    a.check_cells("n", n)
    continuum = a.check_bool("continuum", continuum)
    a.check_directory("cert_dir", cert_dir)
    a.check_choice("method", method, tuple(METHODS))
    seed = a.check_seed("seed", seed)
    a.check_choice("relaxation", relaxation, ("mean", "zero"))
    directory = Path(cert_dir) if cert_dir is not None else default_certificate_dir()
    workers = pipeline_threads(n)  # before blas_threads lowers BLAS: a caller's limit of one thread means one core
    with blas_threads():  # thread policy: README, "Speed and threads"
        if workers < 2:
            return _certify(game, n, continuum, directory, method, seed, relaxation, None)
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="qcoord-certify")
        try:
            return _certify(game, n, continuum, directory, method, seed, relaxation, pool)
        finally:
            pool.shutdown(wait=True, cancel_futures=True)  # no thread outlives the call


def _stage_clock(concurrent: bool) -> Any:
    """Wall clock, or with ``QCOORD_STAGE_CLOCK=cpu`` the CPU time of the process (sequential) or of the calling thread (concurrent)."""
    if os.environ.get("QCOORD_STAGE_CLOCK") != "cpu":
        return time.perf_counter
    return time.thread_time if concurrent else time.process_time


def _certify(
    game: Any, n: int, continuum: bool, directory: Path, method: str, seed: int, relaxation: str, pool: ThreadPoolExecutor | None,
) -> QuantumCertification:
    """The pipeline; with a ``pool`` (one worker) the enclosure and the lower side run beside the solve and the upper check.

    Concurrent and sequential runs write the same certificates (bitwise) and
    return the same bounds: the worker does the same calls on the same
    arrays, only earlier.  The enclosure is built while the main thread
    discretises and solves; the lower certificate of each strategy whose dual
    goes to the checker is written and checked while the main thread writes
    and checks that dual (a speculation: it is kept only if that strategy is
    the solver's final one, and its file deleted otherwise).
    """
    from bounds.certificates import dual_certificate, vectors_certificate
    from bounds.continuum import continuum_relaxation
    from bounds.errors import SolverError
    from bounds.tsirelson import Candidate, tsirelson
    from games.discretise import discretise
    from games.strategies import VectorStrategy
    from proofs.checkers.quantum import relaxation_slack

    sec: dict[str, float] = {}
    clock = _stage_clock(pool is not None)
    t = clock()
    exact = exact_game(game).describe()
    enc_job = None if pool is None else pool.submit(_timed, clock, _enclosure_ready, exact, n)
    disc = discretise(game, n)
    sec["discretise"], t = clock() - t, clock()
    target = Target(exact, n, "quantum")
    paths: dict[str, str] = {}
    # the last dual the checker accepted: path, bound, shift, and the speculative lower side of its strategy
    upper: list[tuple[str, Bound, float, _Lower | None]] = []
    rejected: list[str] = []
    inner: dict[str, float] = {}
    latest: list[Candidate] = []  # the strategy whose dual the solver tests next
    spec: list[_Lower] = []  # every speculative lower side started
    written: list[str] = []  # every lower certificate file a speculation wrote
    prepared: list[Future[Any]] = []  # the lower certificate of the latest candidate, being written on the worker

    def lower_prep(cand: Candidate) -> tuple[VectorStrategy, dict[str, Any]]:
        """The strategy of ``cand`` as tsirelson returns it and its lower certificate, ``"solver"`` left to fill in (no shift yet)."""
        strat = VectorStrategy(cand.u, cand.v)  # what tsirelson returns for these vectors
        return strat, vectors_certificate(disc, strat.u, strat.v)

    def lower_of(cand: Candidate, prep: Future[Any], shift: float) -> tuple[str, Bound, dict[str, float], VectorStrategy]:
        """The lower side of ``cand`` as the sequential path would do it if the solver stopped at ``cand`` with ``shift``."""
        (strat, cert), seconds = prep.result()  # done: the one worker ran it before this job
        solver = {"method": method, "seed": seed, "iterations": cand.iterations, "shift": shift, "status": cand.status}
        cert = {**cert, "solver": solver}  # the sequential writer's dict: same keys in the same order
        path, bound, st = _lower_side(disc, strat, solver, directory, target, clock, written, cert, seconds)
        return path, bound, st, strat

    def latest_is(cand: Candidate) -> None:
        """Remember the candidate; start its lower certificate on the worker (the solver's next steps are mostly BLAS, without the GIL)."""
        latest[:] = [cand]
        if pool is not None:
            prepared[:] = [pool.submit(_timed, clock, lower_prep, cand)]

    def psd_test(x: Any, y: Any, shift: float) -> bool:
        """The checker decides the solver's dual: write the certificate, check the file; keep it if it passes.

        One proof of ``Z >= 0`` per candidate instead of the solver's own test
        followed by the checker's.  A rejected candidate's file is deleted (the
        solver raises the shift and tries again), as is an accepted one that a
        later candidate replaces.
        """
        t0 = clock()
        # built once per (game, N) and memoised: the writers and both checkers share it
        enc = cell_enclosure(exact, n) if enc_job is None else enc_job.result()[0]
        t1 = clock()
        key = "enclosure" if enc_job is None else "enclosure: wait"
        inner[key] = inner.get(key, 0.0) + t1 - t0
        primal = float(math.fsum(x) + math.fsum(y)) - 2 * n * shift  # the multipliers' sum: the strategy's value (informational)
        cert = dual_certificate(disc, x, y, primal_value=primal, solver={"method": method, "seed": seed, "shift": shift}, enclosure=enc)
        inner["upper: write"] = inner.get("upper: write", 0.0) + clock() - t1
        job = None
        if pool is not None and latest and prepared:  # started here, the lower check overlaps the upper check's Cholesky
            job = _Lower(latest[0], shift, pool.submit(lower_of, latest[0], prepared[0], shift))
            spec.append(job)
        old = upper[0][0] if upper else None
        try:
            path, bound = _checked(cert, directory, target, inner, "upper")
        except CertificateError as exc:
            inner["upper: check"] = inner.get("upper: check", 0.0) + clock() - t1
            (directory / certificate_filename(cert)).unlink(missing_ok=True)
            rejected.append(str(exc))
            return False
        if old is not None and old != path:
            Path(old).unlink(missing_ok=True)
        upper[:] = [(path, bound, shift, job)]
        return True

    try:
        t = clock()
        try:
            res = tsirelson(disc, method=method, seed=seed, psd_test=psd_test, on_candidate=latest_is)
        except SolverError as exc:
            why = f"; the checker's last verdict: {rejected[-1]}" if rejected else ""
            raise SolverError(f"{exc}{why}") from exc
        sec["solve"] = clock() - t - sum(inner.values())
        if enc_job is not None:
            sec["enclosure"] = enc_job.result()[1]
        sec.update(inner)
        if not upper or upper[0][2] != res.shift:
            raise CertificateError(f"the solver returned a dual for {target.label()} that is not the one its checker accepted")
        solver = {"method": method, "seed": seed, "iterations": res.iterations, "shift": res.shift, "status": res.status}
        # the writers put outward margins on every claim, so each certificate passes the first time (or this raises)
        job = upper[0][3]
        lower_done = None
        if job is not None and (job.cand.iterations, job.cand.status, job.shift) == (res.iterations, res.status, res.shift):
            path, bound, st, strat = job.future.result()  # the final strategy's: its failure is the sequential path's failure
            if _same(strat, res.strategy):
                lower_done = path, bound, st
        if lower_done is None:
            lower_done = _lower_side(disc, res.strategy, solver, directory, target, clock, None)
        paths["lower"], lower, st = lower_done
        sec.update(st)
    finally:
        for other in spec:  # wait for every speculation; delete the files of those not kept
            other.future.exception()
        for p in written:
            if p != paths.get("lower"):
                Path(p).unlink(missing_ok=True)
    paths["upper"], upper_bound, _, _ = upper[0]
    enc = cell_enclosure(exact, n)
    bracket = Bracket(lower, upper_bound)
    cont = None
    if continuum:
        ctarget = Target(exact, None, "quantum")
        t = clock()
        rel_sol = continuum_relaxation(disc, relaxation, crossed=enc.kind == 0, result=res, method=method, seed=seed)
        cx, cy = (res.x, res.y) if relaxation == "mean" else (rel_sol.result.x, rel_sol.result.y)
        slack = relaxation_slack(enc, relaxation)
        rel = dual_certificate(disc, cx, cy, continuum=True, relaxation=relaxation, slack=slack, solver=solver, enclosure=enc)
        sec["continuum upper: write"] = clock() - t
        paths["continuum_upper"], cup = _checked(rel, directory, ctarget, sec, "continuum upper")
        t = clock()
        cvec = vectors_certificate(disc, res.strategy.u, res.strategy.v, continuum=True, solver=solver)
        sec["continuum lower: write"] = clock() - t
        paths["continuum_lower"], clo = _checked(cvec, directory, ctarget, sec, "continuum lower")
        cont = Bracket(clo, cup)
    return QuantumCertification(bracket, cont, res, res.rank(), paths, sec)


def quantum_bracket(game: Any, n: int, *, continuum: bool = False, cert_dir: str | Path | None = None) -> Bracket:
    """Certified bracket of the quantum value: the N-bin game, or with ``continuum=True`` the continuum game.

    >>> import math, tempfile
    >>> from games import linear_boundary_game
    >>> b = quantum_bracket(linear_boundary_game(), 64, continuum=True, cert_dir=tempfile.mkdtemp())
    >>> float(b.lower.value) <= 0.5 + 1 / math.pi <= float(b.upper.value)   # known value (Aharon et al.)
    True
    """
    res = certify_quantum(game, n, continuum=continuum, cert_dir=cert_dir)
    if res.continuum is not None:
        assert res.continuum is not None  # certify_quantum(continuum=True) always checks it
        return res.continuum
    return res.bracket


@dataclass(frozen=True, eq=False)
class QuantumSweepRow:
    """One ``C`` of :func:`quantum_sweep`: N-bin bracket, continuum bracket (or None) and rank."""

    C: float
    bracket: Bracket
    continuum: Bracket | None
    rank: int
    paths: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"C": self.C, "lower": float(self.bracket.lower.value), "upper": float(self.bracket.upper.value), "rank": self.rank, "certificates": list(self.paths.values())}
        if self.continuum is not None:
            out["continuum"] = {"lower": float(self.continuum.lower.value), "upper": float(self.continuum.upper.value)}
        return out


#: most values of ``C`` in one :func:`quantum_sweep`
SWEEP_MAX = 10_000


def quantum_sweep(
    C_values: Iterable[float],
    n: int,
    *,
    continuum: bool = True,
    cert_dir: str | Path | None = None,
    method: str = "fast",
    seed: int = 0,
) -> list[QuantumSweepRow]:
    """Certified quantum brackets of the paper's game for each ``C`` in ``C_values``.

    >>> import tempfile
    >>> rows = quantum_sweep([0.3, 0.6], 8, cert_dir=tempfile.mkdtemp())
    >>> [r.C for r in rows], all(r.continuum.lower.value <= r.continuum.upper.value for r in rows)
    ([0.3, 0.6], True)
    """
    from bounds.tsirelson import METHODS
    from games import paper_game
    from games.progress import progress
    from proofs.certify import args as a

    if isinstance(C_values, (str, bytes)) or not hasattr(C_values, "__iter__"):
        raise QcoordTypeError(f"`C_values` must be an iterable of numbers in (0, 1); got {C_values!r} of type {type(C_values).__name__}")
    Cs = []
    for c in C_values:
        try:
            Cs.append(a.check_real("C_values", c, low=0.0, high=1.0, low_open=True, high_open=True))
        except QcoordError as exc:
            raise type(exc)(f"every `C` of {exc}") from None
        if len(Cs) > SWEEP_MAX:
            raise ProofsParameterError(f"`C_values` must hold at most {SWEEP_MAX} values (each is a certified bracket); got more")
    n = a.check_int("n", n, low=1)
    a.check_cells("n", n)
    a.check_bool("continuum", continuum)
    a.check_directory("cert_dir", cert_dir)
    a.check_choice("method", method, tuple(METHODS))
    a.check_seed("seed", seed)
    rows = []
    for c in progress(Cs, label="quantum sweep"):
        res = certify_quantum(paper_game(c), n, continuum=continuum, cert_dir=cert_dir, method=method, seed=seed)
        rows.append(QuantumSweepRow(c, res.bracket, res.continuum, res.rank, res.paths))
    return rows


def plot_quantum_sweep(rows: list[QuantumSweepRow], path: str | Path, *, classical: Mapping[float, float] | None = None, paper: Mapping[str, float] | None = None) -> Path:
    """Plot certified quantum brackets against ``C`` (and a classical curve if given); write ``path``.

    ``classical`` maps ``C`` to a classical value (e.g. the certified lower
    bound from :mod:`proofs.certify.classical`); the lower panel then shows
    ``quantum lower - classical``.

    >>> import tempfile, os
    >>> d = tempfile.mkdtemp()
    >>> rows = quantum_sweep([0.3, 0.5], 6, continuum=False, cert_dir=d)
    >>> plot_quantum_sweep(rows, os.path.join(d, "s.png")).name
    's.png'
    """
    from games.figures import pyplot, save_figure

    plt = pyplot()

    if not rows:
        raise ProofsParameterError("`rows` must contain at least one sweep row")
    has_cl = bool(classical)
    nrow = 3 if has_cl else 2
    fig, axes = plt.subplots(nrow, 1, figsize=(7, 8 if has_cl else 6), sharex=True, gridspec_kw={"height_ratios": [3] + [1.3] * (nrow - 1)})
    ax, axw = axes[0], axes[-1]
    C = [r.C for r in rows]
    ax.plot(C, [float(r.bracket.lower.value) for r in rows], "C0.-", label=f"quantum, N = {rows[0].bracket.lower.target.n} (certified; lower = upper to 1e-9)")
    if all(r.continuum is not None for r in rows):
        lo = [float(r.continuum.lower.value) for r in rows if r.continuum is not None]
        hi = [float(r.continuum.upper.value) for r in rows if r.continuum is not None]
        ax.fill_between(C, lo, hi, color="C0", alpha=0.25, label="quantum, continuum: certified bracket")
    if classical:
        cc = sorted(classical)
        ax.plot(cc, [classical[c] for c in cc], "C3.-", label="classical (as given)")
        common = [r for r in rows if r.C in classical]
        axes[1].plot([r.C for r in common], [float(r.bracket.lower.value) - classical[r.C] for r in common], "C2.-")
        axes[1].axhline(0.0, color="k", lw=0.5)
        axes[1].set_ylabel("quantum lower\n- classical")
    for name, val in (paper or {}).items():
        ax.plot([0.33], [val], "k+", ms=9)
        ax.annotate(f"paper: {name} {val} (stated)", (0.33, val), fontsize=7, xytext=(4, -10), textcoords="offset points")
    ax.set_ylabel("winning probability")
    ax.legend(fontsize=8)
    ax.set_title("Certified quantum value of the routing game across C")
    axw.semilogy(C, [max(float(r.bracket.width), 1e-16) for r in rows], "C1.-", label="N-bin bracket width")
    if all(r.continuum is not None for r in rows):
        axw.semilogy(C, [float(r.continuum.width) for r in rows if r.continuum is not None], "C4.-", label="continuum bracket width")
    axw.set_xlabel("C = exp(-mu t)")
    axw.legend(fontsize=8)
    fig.tight_layout()
    return save_figure(fig, path)
