"""Anatomy of the optimal quantum strategy: Gram rank, angle functions, comparison with the paper's ansatz.

The optimal Tsirelson vectors ``u_i, v_j`` (rows of a
:class:`games.VectorStrategy`) determine the strategy up to a global
orthogonal transformation.  Their Gram matrix's rank ``r`` gives a local
dimension that attains the value, ``2^floor(r/2)``: Tsirelson's construction
needs ``r`` anticommuting observables, and ``k`` qubits carry ``2k + 1`` of
them (rank 2 or 3: one qubit; rank 2 is measured in one plane of the Bloch
sphere, as the paper assumes).  For rank 2 the vectors are angles: in the paper's convention
(``|psi^->``, correlator ``-cos(theta_A - theta_B)``) ``u_i = (cos, sin)(theta_A)``
and ``v_j = -(cos, sin)(theta_B)``; we fix the gauge (global rotation and
reflection) so that ``theta_B`` starts at 0 at ``b = 0`` and ``theta_A``
decreases, as the paper's fit ``theta_A = d0 + d1 a``, ``theta_B = -d2 b``
does (``d1, d2 < 0``).  Everything here describes an estimate; certified
values come from :mod:`proofs.certify.quantum`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

from bounds.errors import BoundsParameterError, check_real
from games.strategies import VectorStrategy

__all__ = ["Anatomy", "anatomy", "plot_anatomy"]


@dataclass(frozen=True, eq=False)
class Anatomy:
    """Structure of a quantum strategy.

    Attributes
    ----------
    rank
        Numerical rank of the Gram matrix of ``(u; v)`` (singular values above ``tol`` times the largest).
    singular_values
        All singular values of the stacked vectors (descending).
    local_dimension
        ``2^floor(rank/2)``, the dimension of Tsirelson's construction: one
        qubit for rank 2 and 3, two qubits for rank 4 and 5.
    theta_a, theta_b
        Per-bin angles in the paper's convention (projection onto the top
        two principal directions; exact when ``rank == 2``).
    planar_residual
        Largest norm of a vector's component outside that plane (0 for rank 2).
    midpoints
        Bin midpoints.
    """

    rank: int
    singular_values: NDArray[np.float64]
    local_dimension: int
    theta_a: NDArray[np.float64]
    theta_b: NDArray[np.float64]
    planar_residual: float
    midpoints: NDArray[np.float64]

    def linear_fit(self) -> tuple[float, float, float]:
        """Least-squares ``(d0, d1, d2)`` of ``theta_A - theta_B = d0 + d1 a + d2 b`` (the paper's ansatz form)."""
        m = self.midpoints
        ca = np.polyfit(m, self.theta_a, 1)
        cb = np.polyfit(m, self.theta_b, 1)
        return float(ca[1] - cb[1]), float(ca[0]), float(-cb[0])


def anatomy(strategy: VectorStrategy, *, tol: float = 1e-6) -> Anatomy:
    """Rank, angles and planarity of a vector strategy.

    >>> th = np.linspace(0, 1, 5)
    >>> s = VectorStrategy(np.c_[np.cos(th), np.sin(th)], -np.c_[np.cos(-th), np.sin(-th)])
    >>> a = anatomy(s)
    >>> a.rank, a.local_dimension, a.planar_residual < 1e-12
    (2, 2, True)
    >>> bool(np.allclose(-np.cos(a.theta_a[:, None] - a.theta_b[None, :]), s.correlators()))
    True
    """
    if not isinstance(strategy, VectorStrategy):
        raise BoundsParameterError(f"`strategy` must be a games.VectorStrategy; got {type(strategy).__name__}")
    check_real("tol", tol, low=0.0, high=1.0, low_open=True, high_open=True)
    u, v = strategy.u, strategy.v
    n = u.shape[0]
    stack = np.vstack([u, v])
    _, s, vt = np.linalg.svd(stack, full_matrices=False)
    rank = int(np.sum(s > tol * s[0]))
    basis = vt[:2].T if vt.shape[0] >= 2 else np.c_[vt[0], np.zeros_like(vt[0])]
    pu, pv = u @ basis, -(v @ basis)
    resid = float(max(np.linalg.norm(u - pu @ basis.T, axis=1).max(), np.linalg.norm(v + pv @ basis.T, axis=1).max()))
    ta = np.unwrap(np.arctan2(pu[:, 1], pu[:, 0]))
    tb = np.unwrap(np.arctan2(pv[:, 1], pv[:, 0]))
    # gauge: reflect so that theta_A decreases overall, then rotate so theta_B starts at 0
    if ta[-1] > ta[0]:
        ta, tb = -ta, -tb
    shift = tb[0]
    ta, tb = ta - shift, tb - shift
    # put theta_A(0) - theta_B(0) in [0, 2 pi)
    k = np.floor((ta[0] - tb[0]) / (2 * np.pi))
    ta = ta - 2 * np.pi * k
    mid = (np.arange(n) + 0.5) / n
    return Anatomy(rank, s, 2 ** (rank // 2), ta, tb, resid, mid)


def plot_anatomy(
    anat: Anatomy,
    path: str | Path,
    *,
    ansatz: dict[str, tuple[float, float, float]] | None = None,
    title: str = "",
) -> Path:
    """Plot the optimal angle functions beside linear-ansatz angle functions and save to ``path``.

    ``ansatz`` maps a label to ``(d0, d1, d2)`` of ``theta_A = d0 + d1 a``,
    ``theta_B = -d2 b`` (e.g. the paper's stated values and our fit).
    """
    from games.figures import pyplot, save_figure

    plt = pyplot()

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    x = anat.midpoints
    ax1.plot(x, anat.theta_a, "C0-", lw=2, label="theta_A(a), optimum")
    ax1.plot(x, anat.theta_b, "C1-", lw=2, label="theta_B(b), optimum")
    styles = iter(["--", ":", "-."])
    for name, (d0, d1, d2) in (ansatz or {}).items():
        ls = next(styles, "--")
        ax1.plot(x, d0 + d1 * x, "C0" + ls, lw=1, label=f"theta_A, {name}")
        ax1.plot(x, -d2 * x, "C1" + ls, lw=1, label=f"theta_B, {name}")
    ax1.set_xlabel("input a or b  (= F(X))")
    ax1.set_ylabel("measurement angle (rad)")
    ax1.legend(fontsize=7)
    ax1.set_title(title or f"optimal angles (Gram rank {anat.rank})")
    aa, bb = np.meshgrid(x, x, indexing="ij")
    delta = anat.theta_a[:, None] - anat.theta_b[None, :]
    im = ax2.pcolormesh(aa, bb, np.mod(delta, 2 * np.pi), shading="auto", cmap="twilight")
    fig.colorbar(im, ax=ax2, label="Delta = theta_A - theta_B (mod 2 pi)")
    ax2.set_xlabel("a")
    ax2.set_ylabel("b")
    ax2.set_title("relative angle of the optimum")
    fig.tight_layout()
    return save_figure(fig, path)
