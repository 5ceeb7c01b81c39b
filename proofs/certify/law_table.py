"""The game-level table over the law catalogue: does the quantum advantage persist for other service laws?

For each law (:data:`analytic.laws.catalogue.LAW_CATALOGUE`, all mean 1) a row holds
the classical-minimising threshold ``t*`` (the analogue of the paper's
``C_t``, found by :func:`proofs.certify.law_brackets.classical_minimising_threshold`),
the certified N-bin and continuum brackets at ``t*``
(:func:`proofs.certify.law_brackets.certify_law`) and, optionally, the same across
a grid of thresholds.  :func:`law_table_verdict` turns the rows into the
verdict of the paper's conjecture (Sec. 5): proved where the certified gap
is positive, refuted by a law whose certified quantum upper bound does not
exceed its classical lower bound.  :func:`plot_law_table` draws the
certified gap against the coefficient of variation.

The system-level columns (``p_c``, ``p_q``, ``R_3``) are not part of this
module; laws with infinite variance are refused there (``W_q = inf``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from proofs.certify.law_brackets import LawBrackets, ThresholdSearch, certify_law, classical_minimising_threshold, threshold_for_bunch_probability
from proofs.exact.errors import ProofsParameterError

__all__ = ["LawTableRow", "law_table", "law_table_verdict", "plot_law_table"]

@dataclass(frozen=True, eq=False)
class LawTableRow:
    """One law: the threshold search (an estimate), the certified brackets at ``t*`` and across a grid."""

    law: str
    cv: float
    search: ThresholdSearch
    at_min: LawBrackets
    grid: tuple[LawBrackets, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        return {
            "law": self.law,
            "cv": self.cv if math.isfinite(self.cv) else None,  # JSON has no infinity (infinite-variance laws)
            "t_star": float(self.search.t),
            "t_star_search": {"N": self.search.n, "value_estimate": self.search.value_estimate, "evaluations": self.search.evaluations},
            "at_t_star": self.at_min.to_dict(),
            "grid": [g.to_dict() for g in self.grid],
        }


def _row(args: tuple[Any, int, int, tuple[float, ...], tuple[float, ...], int, str, int]) -> tuple[LawTableRow, dict[str, str]]:
    """One law's row and ``{file name: text}`` of every certificate it wrote (the driver stores them in its folder)."""
    from proofs.certify.jobs import read_certificates

    spec, n, search_n, grid, grid_p, grid_n, directory, seed = args
    s = classical_minimising_threshold(spec, n=search_n)
    at = certify_law(spec, s.t, n, directory=directory, seed=seed)
    ts = sorted(set(grid) | {threshold_for_bunch_probability(spec, p) for p in grid_p})
    g = tuple(certify_law(spec, t, grid_n, directory=directory, seed=seed) for t in ts)
    texts = read_certificates([p for b in (at, *g) for p in b.paths.values()])
    return LawTableRow(spec.label, spec.cv, s, at, g), texts


def law_table(
    laws: Iterable[Any] | None = None,
    *,
    n: int = 128,
    search_n: int = 32,
    grid: Sequence[float] = (),
    grid_p: Sequence[float] = (),
    grid_n: int = 64,
    workers: int = 1,
    directory: str | Path | None = None,
    dask: str | None = None,
    seed: int = 0,
    executor: Executor | None = None,
    on_progress: Callable[[int, int, str], None] | None = None,
) -> list[LawTableRow]:
    """Certified game-level rows for ``laws`` (default: the whole catalogue).

    ``grid`` lists extra thresholds ``t``; ``grid_p`` extra bunch
    probabilities ``P(X1 + X2 <= t)``, each turned into its threshold; both
    are certified at ``grid_n`` bins; ``seed`` seeds the quantum solver of every bracket.  ``workers > 1`` computes
    laws in parallel processes, ``dask`` (a scheduler address) on a Dask cluster, or on ``executor`` if given
    (:mod:`proofs.certify.jobs`; each row is solved and checked inside one worker, and its certificates are stored
    in ``directory`` by this process).  ``on_progress(done, total, law)`` (for example
    :class:`proofs.cli.progress.Progress`) is called before the first law and as each one finishes.

    >>> import tempfile
    >>> rows = law_table(["uniform"], n=8, search_n=8, directory=tempfile.mkdtemp())
    >>> rows[0].law, rows[0].at_min.gap > 0
    ('uniform', True)
    """
    from analytic.laws.catalogue import LAW_CATALOGUE, LawSpec, parse_law

    specs = list(LAW_CATALOGUE) if laws is None else [parse_law(x) if isinstance(x, str) else x for x in laws]
    if not specs or not all(isinstance(s, LawSpec) for s in specs):
        raise ProofsParameterError("`laws` must be a non-empty list of catalogue names or LawSpec objects")
    for name, v, lo in (("n", n, 2), ("search_n", search_n, 2), ("grid_n", grid_n, 2), ("workers", workers, 1)):
        if isinstance(v, bool) or not isinstance(v, int) or v < lo:
            raise ProofsParameterError(f"`{name}` must be an integer >= {lo}; got {v!r}")
    grid = tuple(float(t) for t in grid)
    if any(not t > 0 for t in grid):
        raise ProofsParameterError(f"every grid threshold must be positive; got {grid}")
    grid_p = tuple(float(p) for p in grid_p)
    if any(not 0 < p < 1 for p in grid_p):
        raise ProofsParameterError(f"every grid bunch probability must lie in (0, 1); got {grid_p}")
    from bounds.certificates import default_certificate_dir
    from proofs.certify.jobs import map_jobs, store_certificates

    folder = str(Path(directory) if directory is not None else default_certificate_dir())
    jobs = [(s, n, search_n, grid, grid_p, grid_n, folder, seed) for s in specs]
    rows = []
    for row, texts in map_jobs(_row, jobs, workers, dask=dask, label="laws", executor=executor, on_progress=on_progress,
                                 names=[s.label for s in specs]):
        store_certificates(texts, folder)  # a job on another machine wrote its files there: they land here too
        rows.append(row)
    return rows


def law_table_verdict(rows: Sequence[LawTableRow]) -> tuple[str, str]:
    """``(status, summary)`` of the conjecture from certified numbers only.

    ``"proved"`` if every law's certified continuum gap (quantum lower minus
    classical upper) is positive; ``"refuted"`` if some law's certified
    continuum quantum upper bound is at most its classical lower bound (no
    advantage); else ``"partly"``.
    """
    if not rows:
        raise ProofsParameterError("`rows` must not be empty")
    none = [r.law for r in rows if r.at_min.quantum_continuum.upper.value <= r.at_min.classical_continuum.lower.value]
    pos = [r.law for r in rows if r.at_min.continuum_gap > 0]
    gaps = sorted((float(r.at_min.continuum_gap), r.law) for r in rows)
    if none:
        return "refuted", f"no quantum advantage for {', '.join(none)}"
    if len(pos) == len(rows):
        return "proved", f"certified continuum gap > 0 for all {len(rows)} laws (smallest {gaps[0][0]:.4f} for {gaps[0][1]}, largest {gaps[-1][0]:.4f} for {gaps[-1][1]})"
    undecided = [r.law for r in rows if r.law not in pos]
    return "partly", f"certified gap > 0 for {len(pos)} of {len(rows)} laws; undecided: {', '.join(undecided)}"


def plot_law_table(rows: Sequence[LawTableRow], path: str | Path, *, system: Sequence[Any] = ()) -> Path:
    """Certified gap (N-bin and continuum) and the values at ``t*`` against the coefficient of variation.

    ``system`` (:class:`proofs.certify.law_system.LawSystemRow` objects) adds a panel
    of ``R_3`` against the coefficient of variation: the estimate and the
    certified lower bound for each waiting-time limit.

    >>> import tempfile, os
    >>> d = tempfile.mkdtemp()
    >>> rows = law_table(["uniform", "exponential"], n=8, search_n=8, directory=d)
    >>> plot_law_table(rows, os.path.join(d, "laws.png")).name
    'laws.png'
    """
    from games.figures import pyplot, save_figure

    if not rows:
        raise ProofsParameterError("`rows` must contain at least one law")
    rows = [r for r in rows if math.isfinite(r.cv)]  # an infinite CV has no place on the axis
    if not rows:
        raise ProofsParameterError("`rows` must contain at least one law with a finite coefficient of variation to plot")
    plt = pyplot()
    has_grid = any(r.grid for r in rows)
    system = list(system)
    ratios = [3, 2] + ([3] if system else []) + ([3] if has_grid else [])
    fig, axs = plt.subplots(len(ratios), 1, figsize=(7.5, 3.5 * len(ratios) * 0.9 + 0.6), gridspec_kw={"height_ratios": ratios})
    ax, ax2 = axs[0], axs[1]
    ax.sharex(ax2)
    ax_sys = axs[2] if system else None
    ax3 = axs[-1] if has_grid else None
    cv = [r.cv for r in rows]
    ax.plot(cv, [float(r.at_min.gap) for r in rows], "C0o", label=f"certified gap, N = {rows[0].at_min.n} bins")
    ax.plot(cv, [float(r.at_min.continuum_gap) for r in rows], "C3s", mfc="none", label="certified gap, continuum")
    for r in rows:
        ax.annotate(r.law, (r.cv, float(r.at_min.gap)), fontsize=7, xytext=(4, 3), textcoords="offset points")
    ax.axhline(0.0, color="k", lw=0.5)
    ax.set_ylabel("quantum lower - classical upper")
    ax.set_title("Quantum advantage at the classical-minimising t*, per service law (mean 1)", fontsize=11)
    ax.legend(fontsize=8)
    ax2.plot(cv, [float(r.at_min.classical.upper.value) for r in rows], "C3.", label="classical (certified, N-bin)")
    ax2.plot(cv, [float(r.at_min.quantum.lower.value) for r in rows], "C0.", label="quantum (certified lower, N-bin)")
    ax2.set_xscale("log")
    ax2.set_xlabel("coefficient of variation of the service time")
    ax2.set_ylabel("winning probability")
    ax2.legend(fontsize=8)
    if ax_sys is not None:
        ax_sys.sharex(ax2)
        for j, f in enumerate(sorted({s.W_fraction for s in system}, reverse=True)):
            srows = sorted((s for s in system if s.W_fraction == f), key=lambda s: s.cv)
            ax_sys.plot([s.cv for s in srows], [s.R_k[3] for s in srows], "o", color=f"C{j}", ms=5, label=f"R_3 (estimate), W_l at f = {f:g}")
            cert = [(s.cv, s.R_k_lower[3]) for s in srows if 3 in s.R_k_lower]
            if cert:
                ax_sys.plot([c for c, _ in cert], [v for _, v in cert], "_", color="k", ms=12, mew=1.5,
                            label="certified lower bound" if j == 0 else None)
            if j == 0:
                for s in srows:
                    ax_sys.annotate(s.law, (s.cv, s.R_k[3]), fontsize=7, xytext=(4, 3), textcoords="offset points")
        ax_sys.axhline(1.0, color="k", lw=0.5)
        ax_sys.set_xscale("log")
        ax_sys.set_xlabel("coefficient of variation of the service time")
        ax_sys.set_ylabel("R_3 = ((1 + p_c)/(1 + p_q))^2")
        rho = system[0].rho
        ax_sys.set_title(f"System level: throughput ratio at rho = {rho:g}, W_l = W_split + f (W_bunch - W_split)", fontsize=10)
        ax_sys.legend(fontsize=8)
    if ax3 is not None:
        cmap = plt.get_cmap("tab20")
        for k, r in enumerate(rows):
            pts = sorted((sum(g.p_bunch) / 2, float(g.gap)) for g in r.grid)
            ax3.plot([p for p, _ in pts], [max(v, 0.0) for _, v in pts], ".-", color=cmap(k % 20), lw=1, ms=4, label=r.law)
            ax3.plot([sum(r.at_min.p_bunch) / 2], [float(r.at_min.gap)], "*", color=cmap(k % 20), ms=7)
        ax3.set_xlabel("bunch probability P(X1 + X2 <= t)")
        ax3.set_ylabel("certified N-bin gap (clipped at 0)")
        gn = next(r.grid[0].n for r in rows if r.grid)
        ax3.set_title(f"Across thresholds (lines: N = {gn}; stars: t*, N = {rows[0].at_min.n}): where the advantage lives", fontsize=10)
        ax3.legend(fontsize=6, ncol=3)
    ticks = [t for t in (0.125, 0.25, 0.5, 1, 2, 4, 8, 16) if min(cv) / 1.5 <= t <= max(cv) * 1.5]
    for a in (ax, ax2) + ((ax_sys,) if ax_sys is not None else ()):
        a.set_xticks(ticks, [f"{t:g}" for t in ticks])
        a.minorticks_off()
    fig.tight_layout()
    return save_figure(fig, path)
