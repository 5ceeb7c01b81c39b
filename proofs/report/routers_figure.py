"""The figure of the K-router answer: smallest ``p_split`` against ``W_limit`` for K = 2 and K = 3 (estimates).

Ideal and classical curves of :mod:`bounds.routers` at one per-server load;
the quantum resources coincide with the classical curve at every point tried
(``qcoord routers``), which the caption says.  Every plotted number is an
estimate; the certified brackets are in ``qcoord routers`` and the claim
``more-nodes``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["plot_routers"]


def plot_routers(path: str | Path, *, rho: float = 0.6, law: Any = None, points: int = 9) -> Path:
    """Write the figure to ``path`` (png, pdf or svg) and return the path."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from bounds.routers import classical_min_wait, classical_solution, ideal_solution
    from games.routers import RouterModel

    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    for K, style in ((2, "--"), (3, "-")):
        m = RouterModel.at_load(K, rho, law)
        lo = classical_min_wait(m)
        ws = np.linspace(lo * 1.0001, m.W_bunch * 0.999, points)
        ax.plot(ws, [ideal_solution(m, w).p_split for w in ws], style, color="tab:green", label=f"K = {K} ideal (estimate)")
        ax.plot(ws, [classical_solution(m, w).p_split for w in ws], style, color="tab:blue", label=f"K = {K} classical = GHZ (estimate)")
    ax.set_xlabel("W_limit")
    ax.set_ylabel("smallest p_split")
    ax.set_title(f"K routers, two servers, rho = {rho:g} per server")
    ax.legend(fontsize=8)
    p = Path(path)
    fig.savefig(p, dpi=110, bbox_inches="tight")
    plt.close(fig)
    return p
