"""Certified sweep of the paper's game across ``C``: classical brackets, their minimiser, the quantum gap.

For each ``C`` of an evenly spaced grid: the certified continuum classical
bracket (:func:`proofs.certify.classical.certify_classical`), the switch
structure of its lower-bound (threshold) strategy, and, when a quantum bin
count is given, the certified continuum quantum bracket
(:func:`proofs.certify.quantum.certify_quantum`) and the certified lower bound
``quantum.lower - classical.upper`` on the quantum-classical gap.  From the
grid: the grid minimiser of the classical upper bound with every grid point
the brackets cannot exclude, lower bounds of the value on each grid cell by
the Lipschitz lemma (:func:`proofs.exact.lipschitz.cell_lower_bound`), and,
for more than one point, the certified branch and bound over ``C``
(:func:`proofs.certify.classical.classical_minimiser`).

:func:`certify_sweep` returns a :class:`CertifiedSweep`; ``qcoord sweep``
prints and plots it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from proofs.certify.classical import CertifiedClassical
from proofs.checkers.bound import Bracket
from proofs.exact.errors import ProofsParameterError

__all__ = ["CertifiedSweep", "GapPeak", "GridMinimiser", "SweepPoint", "certify_sweep", "sweep_grid"]


@dataclass(frozen=True, eq=False)
class SweepPoint:
    """One ``C`` of the sweep.

    Attributes
    ----------
    C
        The grid point (the game with ``C`` = this float).
    classical
        The checked continuum classical bracket and the solution it came from.
    quantum
        The checked continuum quantum bracket, or ``None`` (no quantum bracket asked for).
    quantum_paths
        Its two certificate files (continuum lower, continuum upper); empty without a quantum bracket.
    """

    C: float
    classical: CertifiedClassical
    quantum: Bracket | None = None
    quantum_paths: tuple[str, ...] = ()

    @property
    def classical_lower(self) -> float:
        """The certified classical lower bound, rounded to the nearest float."""
        return float(self.classical.bracket.lower.value)

    @property
    def classical_upper(self) -> float:
        """The certified classical upper bound, rounded to the nearest float."""
        return float(self.classical.bracket.upper.value)

    @property
    def gap_lower(self) -> float | None:
        """``quantum.lower - classical.upper`` in floats (``None`` without a quantum bracket)."""
        if self.quantum is None:
            return None
        return float(self.quantum.lower.value) - self.classical_upper

    def structure(self) -> dict[str, Any]:
        """The switch points of the lower-bound strategy (``a_switches`` of A, ``b_switches`` of B), their counts and ``K``."""
        sol = self.classical.solution
        return {
            "a_switches": list(sol.a_switches),
            "b_switches": list(sol.b_switches),
            "n_switches_g": len(sol.a_switches),
            "n_switches_h": len(sol.b_switches),
            "K": sol.K,
        }

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"C": self.C, "classical": self.classical.to_dict(), "structure": self.structure()}
        if self.quantum is not None:
            ql, qu = float(self.quantum.lower.value), float(self.quantum.upper.value)
            out["quantum"] = {"lower": ql, "upper": qu, "certificates": list(self.quantum_paths)}
            out["gap_lower"] = self.gap_lower
        return out


@dataclass(frozen=True)
class GridMinimiser:
    """The grid point with the smallest certified classical upper bound, and what the brackets leave open.

    Attributes
    ----------
    C, lower, upper
        That grid point and its certified classical bracket (floats, nearest).
    unresolved_grid_points
        Grid points whose certified lower bound is at most ``upper``: each may still be the minimiser.
    min_value_lower, min_value_upper
        Bracket of ``min_C V(C)`` over the grid's interval: the smallest Lipschitz cell lower bound (or
        grid lower bound), and ``upper``.
    minimiser_cells
        Grid cells ``(c0, c1)`` whose Lipschitz lower bound is at most ``upper``.
    """

    C: float
    lower: float
    upper: float
    unresolved_grid_points: tuple[float, ...]
    min_value_lower: float
    min_value_upper: float
    minimiser_cells: tuple[tuple[float, float], ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "C": self.C, "lower": self.lower, "upper": self.upper, "unresolved_grid_points": list(self.unresolved_grid_points),
            "min_value_over_interval": {"lower": self.min_value_lower, "upper": self.min_value_upper},
            "minimiser_cells": list(self.minimiser_cells),
        }


@dataclass(frozen=True)
class GapPeak:
    """The grid point with the largest certified gap lower bound, and the grid points where that bound is positive."""

    C: float
    gap_lower: float
    positive_at: tuple[float, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"C": self.C, "gap_lower": self.gap_lower, "positive_at": list(self.positive_at)}


@dataclass(frozen=True, eq=False)
class CertifiedSweep:
    """What :func:`certify_sweep` found.

    ``certified_minimiser`` is the dict of :func:`proofs.certify.classical.classical_minimiser`
    (``None`` for a one-point grid); ``gap_peak`` is ``None`` without quantum brackets.
    """

    points: tuple[SweepPoint, ...]
    minimiser: GridMinimiser
    gap_peak: GapPeak | None
    certified_minimiser: dict[str, Any] | None
    bins: int
    quantum_n: int | None
    seed: int

    def rows(self) -> list[dict[str, Any]]:
        """One JSON-ready dict per grid point."""
        return [p.to_dict() for p in self.points]

    def summary(self) -> dict[str, Any]:
        """``minimiser``, then ``gap_peak`` and ``certified_minimiser`` where there are any."""
        out: dict[str, Any] = {"minimiser": self.minimiser.to_dict()}
        if self.gap_peak is not None:
            out["gap_peak"] = self.gap_peak.to_dict()
        if self.certified_minimiser is not None:
            out["certified_minimiser"] = self.certified_minimiser
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"rows": self.rows(), **self.summary(), "N": self.quantum_n, "bins": self.bins, "seed": self.seed}


def sweep_grid(C_min: float, C_max: float, steps: int) -> list[float]:
    """The ``steps`` evenly spaced grid points from ``C_min`` to ``C_max``, each rounded to 10 decimals.

    >>> sweep_grid(0.25, 0.45, 5)
    [0.25, 0.3, 0.35, 0.4, 0.45]
    """
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 1:
        raise ProofsParameterError(f"`steps` must be a positive integer; got {steps!r}")
    if not (0 < C_min <= C_max < 1):
        raise ProofsParameterError(f"need 0 < `C_min` <= `C_max` < 1; got C_min = {C_min}, C_max = {C_max}")
    return [round(float(c), 10) for c in np.linspace(C_min, C_max, steps)]


@dataclass(frozen=True)
class _PointJob:
    """One grid point of a sweep, a job of :mod:`proofs.certify.jobs` (picklable)."""

    C: float
    bins: int
    cert_dir: str
    quantum_n: int | None
    seed: int


def _point(job: _PointJob) -> tuple[SweepPoint, dict[str, str]]:
    """The certified point and ``{file name: text}`` of every certificate it wrote (the driver stores them).

    The certificates are written to ``job.cert_dir`` on the machine that runs
    the job (the same folder as the driver's on a local pool, or on a shared
    file system); the driver writes the returned texts there too, so every
    certificate lands in the driver's folder whichever executor ran the job.
    """
    from games import paper_game
    from proofs.certify.classical import certify_classical
    from proofs.certify.jobs import read_certificates
    from proofs.certify.quantum import certify_quantum

    game = paper_game(job.C)
    res = certify_classical(game, continuum=True, bins=job.bins, cert_dir=job.cert_dir, seed=job.seed)
    written = list(res.paths.values())
    if job.quantum_n is None:
        return SweepPoint(job.C, res), read_certificates(written)
    qres = certify_quantum(game, job.quantum_n, continuum=True, cert_dir=job.cert_dir, seed=job.seed)
    assert qres.continuum is not None  # continuum=True always returns the continuum bracket
    written += list(qres.paths.values())
    point = SweepPoint(job.C, res, qres.continuum, (qres.paths["continuum_lower"], qres.paths["continuum_upper"]))
    return point, read_certificates(written)


def _grid_minimiser(points: tuple[SweepPoint, ...]) -> GridMinimiser:
    """Grid minimiser of the certified classical upper bound and the Lipschitz cell bounds between grid points."""
    from proofs.exact import exact_parameter, float_down
    from proofs.exact.lipschitz import cell_lower_bound

    up = np.array([p.classical_upper for p in points])
    lo = np.array([p.classical_lower for p in points])
    C = np.array([p.C for p in points])
    k = int(np.argmin(up))
    # grid points whose value may still be the smallest: lower bound <= min upper bound
    cand = tuple(points[i].C for i in range(len(points)) if lo[i] <= up[k])
    # Lipschitz lemma (proofs.exact.lipschitz): exact cell bounds from the certified lower bounds;
    # the floats are rounded to nearest, so each is stepped down one ulp first
    cells = []
    for i in range(len(points) - 1):
        A, B = (Fraction(float_down(float(v))) for v in (lo[i], lo[i + 1]))
        v = cell_lower_bound(exact_parameter(float(C[i])), exact_parameter(float(C[i + 1])), A, B)
        cells.append((float(C[i]), float(C[i + 1]), float_down(v)))
    global_lo = min([c[2] for c in cells] + [float(lo.min())])
    where = tuple((a, b) for a, b, v in cells if v <= up[k])
    return GridMinimiser(points[k].C, float(lo[k]), float(up[k]), cand, global_lo, float(up[k]), where)


def _gap_peak(points: tuple[SweepPoint, ...]) -> GapPeak | None:
    gaps = [(p.gap_lower, p.C) for p in points if p.gap_lower is not None]
    if not gaps:
        return None
    g, c = max(gaps)
    return GapPeak(c, g, tuple(c_ for g_, c_ in gaps if g_ > 0))


def certify_points(
    Cs: Sequence[float],
    *,
    bins: int = 200,
    quantum_n: int | None = None,
    cert_dir: str | Path | None = None,
    seed: int = 0,
    workers: int = 1,
    dask: str | None = None,
    executor: Executor | None = None,
    on_progress: Callable[[int, int, str], None] | None = None,
) -> tuple[SweepPoint, ...]:
    """The certified points of the paper's game at each ``C`` of ``Cs``, in order: one job each.

    Each point is the continuum classical bracket (``bins``-bin DP) and, with ``quantum_n``, the
    continuum quantum bracket; the jobs run on ``executor`` if given, else on
    :func:`proofs.certify.jobs.open_executor` ``(workers, dask)``, and every certificate lands in
    ``cert_dir`` whichever executor ran it.  ``on_progress(done, total, point)`` is called before the
    first point and as each one finishes (else the library's own progress lines, if switched on).

    >>> import tempfile
    >>> [p.C for p in certify_points([0.3, 0.6], bins=20, cert_dir=tempfile.mkdtemp())]
    [0.3, 0.6]
    """
    from bounds.certificates import default_certificate_dir
    from games.progress import progress
    from proofs.certify.jobs import iter_jobs, open_executor, store_certificates

    if executor is None:
        with open_executor(workers if len(Cs) > 1 else 1, dask) as ex:
            return certify_points(Cs, bins=bins, quantum_n=quantum_n, cert_dir=cert_dir, seed=seed, executor=ex, on_progress=on_progress)
    directory = str(Path(cert_dir) if cert_dir is not None else default_certificate_dir())
    jobs = [_PointJob(float(C), bins, directory, quantum_n, seed) for C in Cs]
    found: dict[int, SweepPoint] = {}
    finished = iter_jobs(_point, jobs, executor, on_progress=on_progress, names=[f"C = {C:g}" for C in Cs])
    for i, fut in finished if on_progress is not None else progress(finished, total=len(jobs), label="sweep"):
        point, texts = fut.result()
        store_certificates(texts, directory)
        found[i] = point
    return tuple(found[i] for i in range(len(jobs)))


def certify_sweep(
    C_min: float,
    C_max: float,
    steps: int,
    *,
    bins: int = 200,
    quantum_n: int | None = None,
    tol: float = 1e-4,
    cert_dir: str | Path | None = None,
    seed: int = 0,
    workers: int = 1,
    dask: str | None = None,
    executor: Executor | None = None,
    on_progress: Callable[[int, int, str], None] | None = None,
) -> CertifiedSweep:
    """Certified classical (and, with ``quantum_n``, quantum) brackets on ``steps`` grid points from ``C_min`` to ``C_max``.

    Parameters
    ----------
    C_min, C_max, steps
        The grid (:func:`sweep_grid`).
    bins
        Bins of each continuum classical DP (and of the branch and bound over ``C``).
    quantum_n
        Bins per input of each quantum bracket; ``None``: no quantum brackets.
    tol
        Length of the certified interval holding the minimiser (branch and bound over ``C``, run when
        the grid has more than one point).
    cert_dir
        Where every certificate goes (default :func:`bounds.certificates.default_certificate_dir`).
    seed
        Seed of the searches.
    workers, dask, executor
        Where the jobs run (:mod:`proofs.certify.jobs`): each grid point (its classical and quantum
        brackets) is one job, and each round of the branch and bound over ``C`` is a batch of jobs, on
        ``executor`` if given, else on :func:`proofs.certify.jobs.open_executor` ``(workers, dask)``.
        The result is the same, point for point, whichever executor ran them.
    on_progress
        ``on_progress(done, total, point)`` is called before the first grid point and as each one finishes
        (for example :class:`proofs.cli.progress.Progress`); without it, a progress line on a terminal.

    >>> import tempfile
    >>> s = certify_sweep(0.3, 0.4, 2, bins=30, tol=0.05, cert_dir=tempfile.mkdtemp())
    >>> [p.C for p in s.points], s.gap_peak is None, s.minimiser.lower <= s.minimiser.upper
    ([0.3, 0.4], True, True)
    """
    from bounds.certificates import default_certificate_dir
    from proofs.certify.classical import classical_minimiser
    from proofs.certify.jobs import open_executor

    Cs = sweep_grid(C_min, C_max, steps)
    if executor is None:
        with open_executor(workers if len(Cs) > 1 else 1, dask) as ex:
            return certify_sweep(C_min, C_max, steps, bins=bins, quantum_n=quantum_n, tol=tol, cert_dir=cert_dir, seed=seed, executor=ex,
                                 on_progress=on_progress)
    directory = str(Path(cert_dir) if cert_dir is not None else default_certificate_dir())
    points = certify_points(Cs, bins=bins, quantum_n=quantum_n, cert_dir=directory, seed=seed, executor=executor, on_progress=on_progress)
    minimiser = _grid_minimiser(points)
    certified = None
    if len(Cs) > 1:
        certified = classical_minimiser(C_min, C_max, tol=tol, grid=steps, bins=bins, cert_dir=directory, executor=executor)
    return CertifiedSweep(points, minimiser, _gap_peak(points), certified, bins, quantum_n, seed)
