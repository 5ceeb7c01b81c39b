"""Plots of the system problem: the ``p_split`` vs ``W_q`` frontier of the three classes, and ``R_k`` vs ``W_limit``.

>>> import tempfile, os
>>> from bounds.system_point import operating_point
>>> p = plot_frontier(operating_point(0.6, 1.65), os.path.join(tempfile.mkdtemp(), "f.png"), points=3)
>>> p.name
'f.png'
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bounds.system import solve_class
from bounds.system_point import OperatingPoint, operating_point
from games.figures import pyplot, save_figure

__all__ = ["advantage_map", "frontier", "plot_frontier", "plot_map"]


def frontier(pt: OperatingPoint, points: int = 10) -> dict[str, list[float]]:
    """``p_split`` of each class at ``points`` limits between the always-split and always-bunch waits."""
    w = list(pt.W_split + (pt.W_bunch - pt.W_split) * np.linspace(0.04, 0.96, points))
    out: dict[str, list[float]] = {"W_limit": w}
    for m in ("ideal", "classical", "quantum"):
        out[m] = [solve_class(operating_point(pt.lam, wl, law=pt.law), m).p_split for wl in w]
    return out


def plot_frontier(pt: OperatingPoint, path: str | Path, *, points: int = 10, ks: Sequence[float] = (2, 3, 5)) -> Path:
    """Two panels: ``p_split`` against ``W_q`` (ideal / quantum / classical) and ``R_k`` against ``W_limit``."""
    f = frontier(pt, points)
    plt = pyplot()
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    for m, style in (("ideal", "k-"), ("quantum", "b-o"), ("classical", "r-s")):
        ax.plot(f["W_limit"], f[m], style, ms=3, label=m)
    ax.axvline(pt.W_limit, color="gray", ls=":", label=f"W_limit = {pt.W_limit:g}")
    ax.set_xlabel("W_q (waiting-time limit)")
    ax.set_ylabel("smallest p_split")
    ax.set_title(f"rho = {pt.rho:g}: frontier of the three classes")
    ax.legend()
    pc, pq = np.array(f["classical"]), np.array(f["quantum"])
    for k in ks:
        ax2.plot(f["W_limit"], ((1 + pc) / (1 + pq)) ** (k - 1), "-o", ms=3, label=f"k = {k:g}")
    ax2.set_xlabel("W_limit")
    ax2.set_ylabel("R_k = ((1 + p_c)/(1 + p_q))^(k - 1)")
    ax2.set_title("throughput gain of entangled routers")
    ax2.legend()
    fig.tight_layout()
    return save_figure(fig, path)


def advantage_map(rhos: Sequence[float] = (0.2, 0.35, 0.5, 0.65, 0.8), fractions: Sequence[float] = (0.05, 0.15, 0.3, 0.5, 0.7),
                  *, mu: float = 1.0) -> list[dict[str, float]]:
    """``p_c``, ``p_q``, ``p_ideal`` and ``(1 + p_c)/(1 + p_q)`` over ``(rho, W_limit)`` (estimates).

    ``W_limit = W_split + s (W_bunch - W_split)`` for each fraction ``s``: the
    limit measured as the share of the always-bunch excess wait allowed.
    """
    rows = []
    for r in rhos:
        base = operating_point(r * mu, 1e9, mu=mu)
        for s in fractions:
            wl = base.W_split + s * (base.W_bunch - base.W_split)
            pt = operating_point(r * mu, wl, mu=mu)
            p = {m: solve_class(pt, m).p_split for m in ("ideal", "classical", "quantum")}
            rows.append({"rho": r, "fraction": s, "W_limit": wl, "p_ideal": p["ideal"], "p_c": p["classical"], "p_q": p["quantum"],
                         "ratio": (1 + p["classical"]) / (1 + p["quantum"])})
    return rows


def plot_map(rows: list[dict[str, float]], path: str | Path, *, k: float = 3) -> Path:
    """Heat map of ``R_k`` over ``(rho, share of the always-bunch excess wait allowed)``."""
    rhos = sorted({r["rho"] for r in rows})
    fr = sorted({r["fraction"] for r in rows})
    z = np.full((len(fr), len(rhos)), np.nan)
    for r in rows:
        z[fr.index(r["fraction"]), rhos.index(r["rho"])] = r["ratio"] ** (k - 1)
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6, 4.5))
    im = ax.imshow(z, origin="lower", aspect="auto", cmap="viridis")
    ax.set_xticks(range(len(rhos)), [f"{v:g}" for v in rhos])
    ax.set_yticks(range(len(fr)), [f"{v:g}" for v in fr])
    ax.set_xlabel("rho")
    ax.set_ylabel("(W_limit - W_split) / (W_bunch - W_split)")
    for i in range(len(fr)):
        for j in range(len(rhos)):
            ax.text(j, i, f"{z[i, j]:.3f}", ha="center", va="center", color="w", fontsize=8)
    fig.colorbar(im, label=f"R_{k:g}")
    ax.set_title(f"entanglement's throughput gain R_{k:g} (exact route)")
    fig.tight_layout()
    return save_figure(fig, path)
