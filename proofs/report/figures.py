"""The figures of the report folder (PNG, matplotlib Agg).

:data:`FIGURES` lists them; each entry holds a function
``fn(path: Path, *, quick: bool, cert_dir: Path) -> str`` that writes one PNG
and returns its caption.  Certificates a figure relies on are written to its
``cert_dir``, which :func:`draw` sets to ``certificates/figures/<name>/`` of
the report, so the plotted certified numbers can be re-checked with
``qcoord check``.  Append a line to :data:`FIGURES` to add a figure.
This module imports nothing of :mod:`proofs.report.folder` (the folder
imports it).

Figures explain; the numbers they show are in claims.json and the
certificates, and every plotted bound is labelled certified or estimate.
"""

from __future__ import annotations

import inspect
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["FIGURES", "Figure", "angles", "bunch_region", "c_sweep", "draw", "frontier", "routers", "waiting_time"]

#: the paper's threshold point (Sec. 4.3); quoted, and used as the C at which the game is drawn
C_PAPER = 0.33


@dataclass(frozen=True)
class Figure:
    """One report figure: its file name (without ``.png``) and the function that draws it.

    ``function(path, *, quick, cert_dir)`` writes the PNG to ``path`` and its
    certificates to ``cert_dir``, and returns the caption.
    """

    name: str
    function: Callable[..., str]
    #: seeds the figure's searches and simulations use (recorded in run.json)
    seeds: tuple[int, ...] = ()


def draw(fig: Figure, root: Path, *, quick: bool, records: Any = None, workers: int | None = None, dask: str | None = None) -> dict[str, Any]:
    """Draw ``fig`` into ``root/figures/<name>.png``; return its entry for claims.json.

    ``workers`` and ``dask`` (where its batches run, :mod:`proofs.certify.jobs`) go to a figure
    whose function takes them, when given.

    Its certificates go to ``root/certificates/figures/<name>/`` (the figure's
    ``cert_dir``).  A figure that fails is reported (``"error"``), not hidden,
    and not fatal to the report.
    """
    root = Path(root)
    path = root / "figures" / f"{fig.name}.png"
    cdir = root / "certificates" / "figures" / fig.name
    start = time.perf_counter()
    entry: dict[str, Any] = {"name": fig.name, "seeds": list(fig.seeds)}
    try:
        cdir.mkdir(parents=True, exist_ok=True)
        params = inspect.signature(fig.function).parameters
        where = {k: v for k, v in (("workers", workers), ("dask", dask)) if v is not None and k in params}
        caption = fig.function(path, quick=quick, cert_dir=cdir, **where)
        entry.update({"path": path.relative_to(root).as_posix(), "caption": str(caption)})
    except Exception as exc:  # noqa: BLE001 - reported in the report and by the exit status
        entry["error"] = traceback.format_exception_only(type(exc), exc)[-1].strip()
    if cdir.is_dir():
        entry["certificates"] = sorted(p.relative_to(root).as_posix() for p in cdir.rglob("*.json"))
    entry["seconds"] = round(time.perf_counter() - start, 3)
    return entry


def _rule_sign(C: float, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """+1 where the paper's game wants the players to bunch ((1-a)(1-b) >= C), -1 elsewhere."""
    return np.where((1 - a[:, None]) * (1 - b[None, :]) >= C, 1.0, -1.0)


def _boundary(ax: Any, C: float) -> None:
    a = np.linspace(0, 1 - C, 400)
    ax.plot(a, 1 - C / (1 - a), "k-", lw=1.5, label="(1-a)(1-b) = C")


def _threshold_output(cert: dict[str, Any], which: str, x: np.ndarray) -> np.ndarray:
    switches = np.array([float(Fraction(s)) for s in cert[f"{which}_switches"]])
    flips = (x[:, None] >= switches[None, :]).sum(axis=1) if switches.size else np.zeros(x.size, dtype=int)
    return cert[f"{which}_start"] * (-1.0) ** flips


def bunch_region(path: Path, *, quick: bool, cert_dir: Path) -> str:
    """The game's bunch region at C = 0.33 with the optimal classical and quantum strategies on it."""
    import json

    from games import paper_game
    from games.figures import pyplot, save_figure
    from proofs.certify.classical import certify_classical
    from proofs.certify.quantum import certify_quantum

    game = paper_game(C_PAPER)
    cl = certify_classical(game, continuum=True, bins=120 if quick else 300, cert_dir=cert_dir)
    strat = json.loads(Path(cl.paths["lower"]).read_text())
    n = 100 if quick else 400
    qu = certify_quantum(game, n, cert_dir=cert_dir)
    u, v = np.asarray(qu.result.strategy.u), np.asarray(qu.result.strategy.v)
    x = (np.arange(600) + 0.5) / 600
    r = _rule_sign(C_PAPER, x, x)
    gh = _threshold_output(strat, "a", x)[:, None] * _threshold_output(strat, "b", x)[None, :]
    mid = (np.arange(n) + 0.5) / n
    corr = (u @ v.T) * _rule_sign(C_PAPER, mid, mid)

    plt = pyplot()
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.8))
    ax1.pcolormesh(x, x, (gh * r).T, cmap="RdBu", vmin=-1.6, vmax=1.6, shading="auto")
    for s in strat["a_switches"]:
        ax1.axvline(float(Fraction(s)), color="C2", ls="--", lw=1)
    for s in strat["b_switches"]:
        ax1.axhline(float(Fraction(s)), color="C4", ls=":", lw=1)
    _boundary(ax1, C_PAPER)
    ax1.set_title(f"classical optimum: threshold strategy, value >= {float(cl.bracket.lower.value):.6f}\n(blue: wins, red: loses; certified <= {float(cl.bracket.upper.value):.6f})", fontsize=9)
    im = ax2.pcolormesh(mid, mid, corr.T, cmap="RdBu", vmin=-1, vmax=1, shading="auto")
    _boundary(ax2, C_PAPER)
    fig.colorbar(im, ax=ax2, label="expected score: correlator x rule sign")
    ax2.set_title(f"quantum optimum (N = {n}): value in [{float(qu.bracket.lower.value):.6f}, {float(qu.bracket.upper.value):.6f}]\n(certified; blue: wins more often)", fontsize=9)
    for ax in (ax1, ax2):
        ax.set_xlabel("a = F(X1)")
        ax.set_ylabel("b = F(X2)")
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        ax.legend(fontsize=7, loc="upper right")
    fig.tight_layout()
    save_figure(fig, path)
    return (
        f"The paper's game at C = {C_PAPER}: the players should bunch (both output the same) below the curve (1-a)(1-b) = C. "
        f"Left: the certified optimal classical strategy (threshold switches dashed/dotted) wins in blue and loses in red. "
        f"Right: the optimal quantum strategy (N = {n} bins) wins with probability 1/2 + score/2 per input pair: "
        "it trades certain losses near the boundary for partial wins everywhere."
    )


def angles(path: Path, *, quick: bool, cert_dir: Path) -> str:
    """The optimal measurement angles against the paper's linear ansatz (Eq. 6)."""
    from bounds.anatomy import anatomy, plot_anatomy
    from games import discretise, paper_game
    from games.quantum_search import LINEAR, optimise_angles
    from proofs.certify.quantum import certify_quantum
    from proofs.claims.paper import LINEAR_PARAMS

    n = 200 if quick else 1000
    game = paper_game(C_PAPER)
    res = certify_quantum(game, n, cert_dir=cert_dir)
    anat = anatomy(res.result.strategy)
    lin = optimise_angles(discretise(game, n), LINEAR, starts=4, seed=0, continuum=False)
    p0, p1, p2 = (float(t) for t in lin.parameters["params"])
    if p1 > 0:  # the value depends on cos(Delta) only: show the sign of d in the paper's gauge (d1 < 0)
        p0, p1, p2 = -p0, -p1, -p2
    s0, s1, s2 = LINEAR_PARAMS
    plot_anatomy(anat, path, ansatz={"paper's Eq. 6 (stated)": (s0, s1, s2), "linear ansatz, our optimum": (p0, p1, p2)},
                 title=f"optimal angles, N = {n} (value certified in [{float(res.bracket.lower.value):.6f}, {float(res.bracket.upper.value):.6f}])")
    return (
        f"Measurement angles of the certified optimal quantum strategy (N = {n}, Gram rank {anat.rank}) beside the paper's linear "
        f"ansatz theta_A = d0 + d1 a, theta_B = -d2 b (the paper's stated d and our optimum of that family, value {lin.value:.6f}); "
        "right: the relative angle of the optimum. The optimum's angles are flat above 1 - C, which no linear ansatz can follow."
    )


def c_sweep(path: Path, *, quick: bool, cert_dir: Path, workers: int = 1, dask: str | None = None) -> str:
    """Certified classical bracket and quantum bracket of the continuum game across C (one job per C: ``workers``, ``dask``)."""
    from games.figures import pyplot, save_figure
    from proofs.certify.sweep import certify_points
    from proofs.claims.paper import C_T, CLASSICAL, LINEAR

    grid = (0.05, 0.2, 0.45, 0.6, 0.75, 0.9) if quick else tuple(np.linspace(0.05, 0.95, 10))
    Cs = np.unique(np.round(np.array(grid + (C_PAPER,)), 4))
    bins, n = (60, 24) if quick else (150, 64)
    rows = []
    for p in certify_points([float(C) for C in Cs], bins=bins, quantum_n=n, cert_dir=cert_dir, workers=workers, dask=dask):
        cl, qb = p.classical.bracket, p.quantum
        assert qb is not None  # quantum_n given: every point has its continuum quantum bracket
        rows.append((p.C, float(cl.lower.value), float(cl.upper.value), float(qb.lower.value), float(qb.upper.value)))
    C, cl_lo, cl_up, q_lo, q_up = (np.array(t) for t in zip(*rows))
    plt = pyplot()
    fig, (ax, axg) = plt.subplots(2, 1, figsize=(7, 7), sharex=True, gridspec_kw={"height_ratios": [3, 1.4]})
    ax.fill_between(C, cl_lo, cl_up, color="C0", alpha=0.35, label=f"classical, continuum: certified bracket ({bins}-bin DP)")
    ax.plot(C, cl_lo, "C0.-", lw=1)
    ax.fill_between(C, q_lo, q_up, color="C3", alpha=0.35, label=f"quantum, continuum: certified bracket (N = {n} relaxation)")
    ax.plot(C, q_lo, "C3.-", lw=1)
    ax.plot([C_T], [CLASSICAL], "kx", ms=9, label=f"paper: classical {CLASSICAL} at C_t ~ {C_T} (stated)")
    ax.plot([C_T], [LINEAR], "k+", ms=10, label=f"paper: linear ansatz {LINEAR} (stated)")
    ax.set_ylabel("winning probability")
    ax.set_title("Certified classical and quantum values of the paper's game across C")
    ax.legend(fontsize=7)
    axg.plot(C, q_lo - cl_up, "C2.-")
    axg.axhline(0, color="k", lw=0.5)
    axg.set_ylabel("certified gap\n(q lower - c upper)")
    axg.set_xlabel("C = exp(-mu t)")
    fig.tight_layout()
    save_figure(fig, path)
    k = int(np.argmin(cl_up))
    return (
        f"Certified brackets of the continuum classical value (blue) and quantum value (red) at {len(C)} values of C, with the paper's "
        f"stated numbers; lower panel: the certified quantum advantage, positive at every C shown (smallest {float(np.min(q_lo - cl_up)):.4f}). "
        f"On this grid the classical value is smallest at C = {C[k]:.2f}. Certificates: certificates/figures/c-sweep/."
    )


def waiting_time(path: Path, *, quick: bool, cert_dir: Path) -> str:
    """W_q from the formula against the simulator across the load, for three routing rules."""
    from analytic.laws.service import ServiceLaw
    from analytic.optimal import optimal_fixed_p_rule, threshold_for_p_split
    from analytic.rules import SumThresholdRule
    from analytic.waiting import waiting_time as wq_formula
    from games.figures import pyplot, save_figure
    from games.system import IdealRouting, RandomRouting, simulate

    law = ServiceLaw.exponential(1.0)
    p = 0.5
    rhos = (0.2, 0.4, 0.6, 0.8) if quick else (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
    pairs = 200_000 if quick else 1_000_000
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(7, 4.8))
    fine = np.linspace(0.05, 0.95, 60)
    outside = 0
    for i, name in enumerate(("sum threshold", "optimal fixed-p", "random")):
        def routing(rho: float, name: str = name) -> Any:
            if name == "sum threshold":
                return IdealRouting(SumThresholdRule(threshold_for_p_split(law, p)))
            if name == "optimal fixed-p":
                return IdealRouting(optimal_fixed_p_rule(rho, law, p))
            return RandomRouting(p)

        ax.plot(fine, [wq_formula(routing(float(r)).rule(), law, float(r)) for r in fine], f"C{i}-", lw=1, label=f"{name}: formula")
        sims = [simulate(routing(r), lam=r, mu=1.0, n_pairs=pairs, seed=2024 + j) for j, r in enumerate(rhos)]
        mid = np.array([s.wq for s in sims])
        lo = mid - np.array([s.wq_ci[0] for s in sims])
        hi = np.array([s.wq_ci[1] for s in sims]) - mid
        ax.errorbar(rhos, mid, yerr=[lo, hi], fmt=f"C{i}o", ms=4, capsize=3, label=f"{name}: simulated, 99% CI")
        outside += sum(not (s.wq_ci[0] <= wq_formula(routing(r).rule(), law, r) <= s.wq_ci[1]) for s, r in zip(sims, rhos))
    ax.set_yscale("log")
    ax.set_xlabel("load rho = lambda / mu  (mu = 1, exponential service)")
    ax.set_ylabel("mean waiting time W_q")
    ax.set_title(f"W_q: formula vs simulation (p_split = {p}, {pairs:,} pairs per point)")
    ax.legend(fontsize=7)
    fig.tight_layout()
    save_figure(fig, path)
    return (
        f"Mean waiting time W_q of three routing rules at p_split = {p}: the closed form (lines) against the two-server simulator "
        f"({pairs:,} pairs per point, seeds 2024 + i, 99% batch-means CIs). {len(rhos) * 3 - outside} of {len(rhos) * 3} formula values "
        "lie inside their simulated interval."
    )


def frontier(path: Path, *, quick: bool, cert_dir: Path) -> str:
    """The system level (Sec. 4.5): smallest ``p_split`` of ideal, entangled and classical routers against ``W_q``, and ``R_k``."""
    from bounds.system_plots import plot_frontier
    from bounds.system_point import operating_point

    lam, W_limit = 0.6, 1.65
    points = 6 if quick else 12
    plot_frontier(operating_point(lam, W_limit, mu=1.0), path, points=points)
    return (
        f"Smallest splitting probability meeting W_q <= W_l for ideal (communicating), entangled and classical routers "
        f"(exact route, solver estimates on {points} waiting-time limits; lambda = {lam}, mu = 1), and the throughput ratio "
        f"R_k = ((1 + p_c)/(1 + p_q))^(k - 1) for k = 2, 3, 5. The certified brackets at W_l = 4.75, rho = 0.8 are in the "
        "split-ordering and eq7 claims."
    )


def routers(path: Path, *, quick: bool, cert_dir: Path) -> str:
    """K = 2 and K = 3 routers (issue: more than two nodes): ``p_split`` of ideal, classical and entangled routers against ``W_l``, and ``R_3``."""
    from proofs.report.routers_figure import plot_routers

    points, cert_points = (3, 0) if quick else (6, 2)
    plot_routers(path, rho=0.6, points=points, cert_points=cert_points, cert_dir=cert_dir)
    return (
        f"K routers at rho = 0.6 per server (exponential, mu = 1), K = 2 dashed, K = 3 solid: the ideal class as a certified bracket "
        f"(routers-ideal, lemma R8) at {points} limits, the classical estimate"
        + (f", and at {cert_points} limits per K the certified continuum classical upper bound and entangled lower bound "
           "(N = 4 bins plus the R5 lifting; the ideal lower bound also bounds entangled routers)" if cert_points else "")
        + ". Right: R_3 = ((1 + p_c)/(1 + p_ideal))^2 (estimate: p_c is the classical estimate)."
    )


#: every figure of the report, in report order (append new ones)
FIGURES: tuple[Figure, ...] = (
    Figure("bunch-region", bunch_region, (0,)),
    Figure("angles", angles, (0,)),
    Figure("c-sweep", c_sweep, (0,)),
    Figure("waiting-time", waiting_time, tuple(range(2024, 2033))),
    Figure("frontier", frontier),
    Figure("routers", routers),
)
