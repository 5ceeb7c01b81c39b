"""The figure of the K-router answer: smallest ``p_split`` against ``W_limit`` for K = 2 and K = 3, and ``R_k``.

Left panel, per K (dashed K = 2, solid K = 3), at one per-server load:

* **ideal** (routers that see every service time): the certified bracket of
  :func:`proofs.certify.routers_ideal.ideal_bracket` (kind ``routers-ideal``,
  lemma R8; bracket width below 1e-6, drawn as one line with markers);
* **classical**: the estimate of :func:`bounds.routers.classical_solution`
  (line, labelled estimate) and, at ``cert_points`` limits, the certified
  continuum upper bound (``routers-strategy``, triangles);
* **entangled** (any state): at the same limits the certified continuum lower
  bound (``routers-dual`` with an NPA inner certificate and the R5 lifting;
  crosses).  The ideal lower bound is also a lower bound for entangled routers
  (an ideal router can simulate any shared state).

Right panel: ``R_3 = ((1 + p_c)/(1 + p_ideal))^2``, the baseline-throughput
ratio at ``k = 3`` of ideal over classical routers for K = 2 and K = 3 (an
estimate: ``p_c`` is the classical estimate).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["plot_routers", "routers_curves"]

#: tuple rate per unit of per-server load (exponential law, mu = 1): rho = K lam / 2
_BINS = 4


def routers_curves(*, rho: float = 0.6, points: int = 5, cert_points: int = 0, cert_dir: str | Path | None = None,
                   law: Any = None) -> dict[int, dict[str, Any]]:
    """Per K: ``W`` grid, ideal ``(lower, upper)``, classical estimates, and certified classical/entangled points.

    The ideal bracket is certified for the exponential law of rate 1 (``law``
    ``None``); for another law it is the quadrature estimate of
    :func:`bounds.routers.ideal_solution` (``ideal_certified`` False) and no
    certified points are drawn.
    """
    from bounds.routers import classical_min_wait, classical_solution, ideal_solution
    from games.routers import RouterModel
    from proofs.certify.routers import routers_result
    from proofs.certify.routers_ideal import ideal_bracket

    out: dict[int, dict[str, Any]] = {}
    certified = law is None or (law.is_exponential and abs(law.mu - 1.0) < 1e-15)
    for K in (2, 3):
        m = RouterModel.at_load(K, rho, law)
        m = RouterModel(K, round(m.lam, 12), m.law)     # rho = 0.6: lam = 3/5 and 2/5 exactly, not the float 2 * 0.6 / 3
        lo = classical_min_wait(m)
        ws = [float(w) for w in np.round(np.linspace(lo + 0.06 * (m.W_bunch - lo), m.W_bunch - 0.1 * (m.W_bunch - lo), points), 4)]
        sub = None if cert_dir is None else Path(cert_dir) / f"K{K}"
        if certified:
            ideal = [ideal_bracket(K, m.lam, w, cert_dir=sub) for w in ws]
            lo_i, up_i = [float(b.lower.value) for b in ideal], [float(b.upper.value) for b in ideal]
        else:
            lo_i = up_i = [ideal_solution(m, w).p_split for w in ws]
        row: dict[str, Any] = {"W": ws, "ideal_lower": lo_i, "ideal_upper": up_i, "ideal_certified": certified,
                               "classical_estimate": [classical_solution(m, w).p_split for w in ws], "certified": []}
        for w in ws[1:-1][:cert_points] if cert_points and certified else []:
            r = routers_result(K, m.lam, w, N=_BINS, resources=(), cert_dir=sub)
            row["certified"].append({"W": w, "classical_upper": float(r.bounds["classical"]["upper"].value),
                                     "entangled_lower": float(r.bounds["entangled"]["lower_continuum"].value)})
        out[K] = row
    return out


def plot_routers(path: str | Path, *, rho: float = 0.6, points: int = 5, cert_points: int = 0, cert_dir: str | Path | None = None,
                 law: Any = None) -> Path:
    """Write the figure to ``path`` (png, pdf or svg) and return the path; certificates go to ``cert_dir`` (if given)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    curves = routers_curves(rho=rho, points=points, cert_points=cert_points, cert_dir=cert_dir, law=law)
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(11.0, 4.2))
    for K, style in ((2, "--"), (3, "-")):
        c = curves[K]
        how = "certified bracket, width < 1e-6" if c["ideal_certified"] else "estimate"
        ax.plot(c["W"], c["ideal_upper"], style, color="tab:green", marker="o", ms=4, label=f"K = {K} ideal ({how})")
        ax.plot(c["W"], c["classical_estimate"], style, color="tab:blue", label=f"K = {K} classical (estimate)")
        if c["certified"]:
            ax.plot([p["W"] for p in c["certified"]], [p["classical_upper"] for p in c["certified"]], "^", color="tab:blue",
                    label=f"K = {K} classical <= (certified, continuum)")
            ax.plot([p["W"] for p in c["certified"]], [p["entangled_lower"] for p in c["certified"]], "x", color="tab:red",
                    label=f"K = {K} entangled >= (certified, continuum, N = {_BINS} + lifting)")
        r3 = [((1 + pc) / (1 + pi)) ** 2 for pc, pi in zip(c["classical_estimate"], c["ideal_upper"])]
        ax2.plot(c["W"], r3, style, color="k", label=f"K = {K}: R_3 ideal / classical (estimate)")
    ax.set_xlabel("W_limit")
    ax.set_ylabel("smallest p_split")
    ax.set_title(f"K routers, two servers, rho = {rho:g} per server" + (" (exponential, mu = 1)" if law is None else ""))
    ax.legend(fontsize=7)
    ax2.set_xlabel("W_limit")
    ax2.set_ylabel("R_3 = ((1 + p_c)/(1 + p_ideal))^2")
    ax2.set_title("baseline-throughput ratio, k = 3")
    ax2.legend(fontsize=8)
    p = Path(path)
    fig.savefig(p, dpi=110, bbox_inches="tight")
    plt.close(fig)
    return p
