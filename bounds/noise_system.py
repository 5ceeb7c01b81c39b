"""Noisy and scarce entanglement at the system level: ``p_split`` and ``R_k`` as functions of ``(v, f)``.

The system problem (:mod:`bounds.system`): minimise ``p_split`` subject to
``W_q <= W_limit``; by Lagrange duality ``p_bunch* = min over nu >= 0 of
nu B + V(nu)`` with ``V(nu) = E[k]/2 + G(nu)/2`` and ``G`` the bias of the
weighted XOR game with kernel ``1 - nu c``.

Routers with Werner pairs of visibility ``v`` can play any classical strategy
(fixed outputs) and the noiseless planar strategies scaled by ``v``, and
shared-coin mixtures of them, so their dual function is at least
``V_W(nu) = max(V_c(nu), V_q^v(nu))`` with ``G_q^v = v G_q`` (the maximiser
does not depend on ``v``).  Hybrids (fixed outputs on some inputs) are not
searched here; at the game level they never beat the better pure strategy
(:func:`bounds.noise.werner_search`).  With a finite supply, a fraction ``f``
of the pairs finds a Werner pair ready, the routers know which case they are
in, and one multiplier prices the common constraint:
``D(nu) = nu B + f V_W(nu) + (1 - f) V_c(nu)``.

Everything is computed on one grid of multipliers (``nus``), once per
operating point: ``G_c`` and ``G_q`` with their maximisers' ``(E[beta], E[beta c])``.
For each ``(v, f)`` the dual bound ``min_grid D`` (an upper estimate of
``p_bunch``) and the best shared-coin mixture of two grid maximisers that
meets ``W_limit`` (an attained strategy: a lower estimate of ``p_bunch``)
bracket the optimum over this class; the gap shrinks with the grid.  These
are estimates; the one certified statement is lemma W3 (cited): for
``v <= v_L`` Werner routers are classical, ``p(v) = p_c`` and ``R_k = 1``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bounds.errors import BoundsParameterError
from bounds.noise import visibility_iv

__all__ = [
    "Attained",
    "NoisySystem",
    "SupplyPoint",
    "noisy_system",
    "plot_supply",
    "ratio",
    "supply_strategy_certificate",
    "werner_system_dual_certificate",
]


def ratio(p_c: float, p: float, k: float) -> float:
    """``R_k = ((1 + p_c)/(1 + p))^(k - 1)`` (Eq. 8).

    >>> ratio(0.5, 0.5, 3)
    1.0
    """
    return ((1.0 + p_c) / (1.0 + p)) ** (k - 1.0)


@dataclass(frozen=True)
class SupplyPoint:
    """Estimates at one ``(v, f)``: the optimum over the class lies between ``p_split_dual`` and ``p_split``.

    Attributes
    ----------
    v, f
        Visibility and the fraction of pairs with a Werner pair ready.
    p_split
        Splitting probability of an attained strategy (a shared-coin mixture of
        grid maximisers meeting ``W_limit``): an upper estimate of the optimum.
    p_split_dual
        ``1 - min_grid D``: a lower estimate of the optimum over this class.
    R_k
        ``((1 + p_c)/(1 + p_split))^(k - 1)`` with the classical ``p_c`` of the same grid.
    quantum_share
        Weight of Werner-measured (scaled planar) strategies among the entangled pairs in the attained mixture.
    """

    v: float
    f: float
    p_split: float
    p_split_dual: float
    R_k: float
    quantum_share: float

    def to_dict(self) -> dict[str, Any]:
        return {"v": self.v, "F": (1 + 3 * self.v) / 4, "f": self.f, "p_split": self.p_split, "p_split_dual": self.p_split_dual,
                "R_k": self.R_k, "quantum_share": self.quantum_share}


@dataclass(frozen=True, eq=False)
class Attained:
    """The attained strategy at one ``(v, f)``: what entangled and what other pairs play, and its values.

    ``entangled`` and ``fallback`` are :class:`bounds.system_routers.MixedStrategy`
    (shared-coin mixtures of router pairs; a quantum pair carries the
    visibility ``v``); ``p_split`` and ``waiting_time`` are computed from the
    pairs' exact moments.
    """

    v: float
    f: float
    entangled: Any
    fallback: Any
    p_split: float
    waiting_time: float


@dataclass(frozen=True, eq=False)
class NoisySystem:
    """Dual data of one operating point on a grid of multipliers (see :func:`noisy_system`)."""

    point: Any
    k: float
    nus: NDArray[np.float64]
    g_c: NDArray[np.float64]
    g_q: NDArray[np.float64]
    pc_bunch: NDArray[np.float64]
    pc_cost: NDArray[np.float64]
    q_e: NDArray[np.float64] = field(repr=False)  # rows (e00, rest/kappa, 0) of the noiseless quantum maximiser
    pairs: tuple = field(default=(), repr=False)  # per nu: (classical RouterPair, noiseless quantum RouterPair)

    @property
    def budget(self) -> float:
        return float(self.point.budget)

    def _quantum(self, v: float) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        # correlations scale by v: E[beta] = 1/2 + v e00/2, E[beta c] = E[c]/2 + v (kappa e11 + (e10 + e01)/4)/2
        pt = self.point
        pb = 0.5 + v * self.q_e[0] / 2.0
        cost = pt.mean_cost / 2.0 + v * (pt.kappa * self.q_e[1] + self.q_e[2] / 4.0) / 2.0
        return pb, cost

    def _tables(self, v: float, f: float) -> tuple:
        pt = self.point
        ek = 1.0 - self.nus * pt.mean_cost
        vq = (ek + v * self.g_q) / 2.0
        vc = (ek + self.g_c) / 2.0
        qb, qc = self._quantum(v)
        use_q = vq > vc
        dual = self.nus * self.budget + f * np.maximum(vq, vc) + (1 - f) * vc
        pb = f * np.where(use_q, qb, self.pc_bunch) + (1 - f) * self.pc_bunch
        cost = f * np.where(use_q, qc, self.pc_cost) + (1 - f) * self.pc_cost
        # index 0 is "always bunch" (the nu = 0 maximiser), then the grid
        return dual, np.concatenate([[pt.mean_cost], cost]), np.concatenate([[1.0], pb]), np.concatenate([[False], use_q])

    def solve(self, v: float, f: float = 1.0) -> SupplyPoint:
        """Estimates of the smallest ``p_split`` of Werner routers (visibility ``v``, supply ``f``).

        The classical class is ``v = 0`` (or ``f = 0``).
        """
        v = visibility_iv(v)
        f = visibility_iv(f, "f")
        dual, cost, pb, use_q = self._tables(v, f)
        best_pb, (i, j, w) = _best_mix(cost, pb, self.budget, self.point.W_limit)
        share = (1 - w) * float(use_q[i]) + w * float(use_q[j])
        p_dual = 1.0 - float(min(np.min(dual), 1.0))
        p = 1.0 - best_pb
        return SupplyPoint(v, f, p, p_dual, ratio(self.classical_p_split(), p, self.k), share)

    def attained(self, v: float, f: float = 1.0) -> Attained:
        """The strategy behind :meth:`solve`'s ``p_split``, as router pairs (for the simulator)."""
        from bounds.system_routers import ALWAYS_BUNCH, MixedStrategy, RouterPair

        v = visibility_iv(v)
        f = visibility_iv(f, "f")
        if not self.pairs:
            raise BoundsParameterError("this NoisySystem was built without strategies")
        _, cost, pb, use_q = self._tables(v, f)
        _, (i, j, w) = _best_mix(cost, pb, self.budget, self.point.W_limit)

        def ent(idx: int):  # noqa: ANN202
            if idx == 0:
                return ALWAYS_BUNCH
            c, q = self.pairs[idx - 1]
            return RouterPair(q.a, q.b, visibility=v) if use_q[idx] else c

        def fall(idx: int):  # noqa: ANN202
            return ALWAYS_BUNCH if idx == 0 else self.pairs[idx - 1][0]

        comps_e = tuple((wt, ent(k)) for wt, k in ((1 - w, i), (w, j)) if wt > 0)
        comps_f = tuple((wt, fall(k)) for wt, k in ((1 - w, i), (w, j)) if wt > 0)
        ent_s, fall_s = MixedStrategy(comps_e), MixedStrategy(comps_f)
        pb_e, c_e = ent_s.bunch_and_cost(self.point)
        pb_f, c_f = fall_s.bunch_and_cost(self.point)
        p = 1.0 - (f * pb_e + (1 - f) * pb_f)
        wq = self.point.W_split + f * c_e + (1 - f) * c_f
        return Attained(v, f, ent_s, fall_s, p, wq)

    def classical_p_split(self) -> float:
        """Attained classical ``p_split`` on the same grid (the reference ``p_c`` of ``R_k``)."""
        return _classical_cache(self)

    def threshold(self, target: float, *, f: float = 1.0, tol: float = 1e-5) -> float | None:
        """Smallest ``v`` with ``R_k(v, f) >= target`` (bisection; ``R_k`` is non-decreasing in ``v``), or ``None``."""
        if self.solve(1.0, f).R_k < target:
            return None
        lo, hi = 0.0, 1.0
        while hi - lo > tol:
            mid = (lo + hi) / 2
            if self.solve(mid, f).R_k >= target:
                hi = mid
            else:
                lo = mid
        return hi

    def grid(self, vs: Any, fs: Any) -> NDArray[np.float64]:
        """``R_k`` on the ``(f, v)`` grid: rows ``f``, columns ``v``."""
        return np.array([[self.solve(v, f).R_k for v in vs] for f in fs])


def _best_mix(cost: NDArray[np.float64], pb: NDArray[np.float64], B: float, W_limit: float) -> tuple[float, tuple[int, int, float]]:
    """Largest ``E[beta]`` of a coin mix ``(1 - w) s_i + w s_j`` with ``E[beta c] <= B``; returns it and ``(i, j, w)``."""
    feas = cost <= B
    if not np.any(feas):
        raise BoundsParameterError(f"no grid strategy meets W_limit = {W_limit}; extend the multiplier grid")
    i_best = int(np.argmax(np.where(feas, pb, -np.inf)))
    best, arg = float(pb[i_best]), (i_best, i_best, 0.0)
    if np.any(~feas):
        fi, ii = np.nonzero(feas)[0], np.nonzero(~feas)[0]
        c1, p1 = cost[fi][:, None], pb[fi][:, None]
        c2, p2 = cost[ii][None, :], pb[ii][None, :]
        w = (B - c1) / (c2 - c1)
        mix = (1 - w) * p1 + w * p2
        a, b = np.unravel_index(int(np.argmax(mix)), mix.shape)
        if mix[a, b] > best:
            best, arg = float(mix[a, b]), (int(fi[a]), int(ii[b]), float(w[a, b]))
    return best, arg


def _classical_cache(sys: NoisySystem) -> float:
    pc = sys.__dict__.get("_pc_value")
    if pc is None:
        pt = sys.point
        if pt.mean_cost <= sys.budget:
            pc = 0.0
        else:
            best, _ = _best_mix(np.concatenate([[pt.mean_cost], sys.pc_cost]), np.concatenate([[1.0], sys.pc_bunch]), sys.budget, pt.W_limit)
            pc = 1.0 - best
        object.__setattr__(sys, "_pc_value", pc)
    return float(pc)


def noisy_system(lam: float, W_limit: float, *, mu: float = 1.0, k: float = 3.0, nus: NDArray[np.float64] | None = None) -> NoisySystem:
    """Tabulate the classical and noiseless-quantum dual functions of one operating point.

    Without ``nus``: 81 multipliers from 0.01 to 100, refined by 321 more
    around the minimisers of the classical and noiseless quantum duals.

    >>> s = noisy_system(0.6, 1.65, nus=np.geomspace(0.05, 50, 60))
    >>> s.solve(0.0).R_k, s.solve(1.0, 0.0).R_k      # no entanglement / no supply: no gain
    (1.0, 1.0)
    >>> s.solve(1.0).R_k > 1.0
    True
    """
    from bounds.system_point import operating_point

    if isinstance(k, bool) or not (isinstance(k, (int, float)) and math.isfinite(k) and k >= 0):
        raise BoundsParameterError(f"`k` must be a finite number >= 0; got {k!r}")
    pt = operating_point(lam, W_limit, mu=mu)
    tab: list[Any]
    if nus is None:
        coarse = _tabulate(pt, np.geomspace(1e-2, 1e2, 81))
        ek = 1.0 - coarse[0] * pt.mean_cost
        nu_c = coarse[0][int(np.argmin(coarse[0] * pt.budget + (ek + coarse[1]) / 2))]
        nu_q = coarse[0][int(np.argmin(coarse[0] * pt.budget + (ek + coarse[4]) / 2))]
        fine = _tabulate(pt, np.geomspace(min(nu_c, nu_q) / 3, max(nu_c, nu_q) * 3, 321))
        order = np.argsort(np.concatenate([coarse[0], fine[0]]))
        tab = [np.concatenate([a, b])[order] for a, b in zip(coarse[:-1], fine[:-1])]
        tab.append([(coarse[-1] + fine[-1])[i] for i in order])
    else:
        grid = np.asarray(nus, dtype=float)
        if grid.ndim != 1 or grid.size < 2 or not np.all(np.isfinite(grid)) or np.any(grid <= 0):
            raise BoundsParameterError("`nus` must be a 1-D grid of at least two positive multipliers")
        tab = _tabulate(pt, grid)
    grid, g_c, pc_b, pc_c, g_q, e00, rest, pairs = tab
    # the quantum maximiser at visibility v: E[beta] = 1/2 + v e00/2, E[beta c] = E[c]/2 + v rest/2 (rest = kappa e11 + (e10 + e01)/4)
    q_rows = np.vstack([e00, rest / pt.kappa, np.zeros(grid.size)])
    return NoisySystem(pt, float(k), grid, g_c, g_q, pc_b, pc_c, q_rows, tuple(pairs))


def _tabulate(pt: Any, grid: NDArray[np.float64]) -> list[Any]:
    """``(nu, G_c, E[beta]_c, E[beta c]_c, G_q, e00_q, rest_q, pairs)`` on ``grid`` (noiseless quantum maximiser).

    Seven float arrays, then the list of ``(classical, quantum)`` maximising pairs.
    """
    from bounds.system_duals import dual_classical, dual_quantum

    rows = []
    warm = None
    for nu in grid:
        dc = dual_classical(pt, float(nu))
        try:
            dq = dual_quantum(pt, float(nu), start=warm)
        except (ArithmeticError, ValueError):  # a degenerate warm start: start afresh
            dq = dual_quantum(pt, float(nu))
        warm = dq.strategy.b.moments(pt.law) if dq.strategy is not None else None
        rows.append((float(nu), dc.bias, dc.p_bunch, dc.cost, dq.bias, 2 * dq.p_bunch - 1, 2 * dq.cost - pt.mean_cost, (dc.strategy, dq.strategy)))
    cols = list(zip(*rows))
    return [np.array(col) for col in cols[:-1]] + [list(cols[-1])]


def plot_supply(sys: NoisySystem, path: Any, *, vs: Any = None, fs: Any = None, v_local: float | None = None) -> Any:
    """``R_k`` over the ``(v, f)`` plane with the contours ``R_k = 1.01`` and the edge of ``R_k = 1``; write ``path`` (PNG).

    ``v_local`` (the cited local-model visibility) is drawn as a line: left of
    it ``R_k = 1`` is a theorem, not an estimate.
    """
    from games.figures import pyplot, save_figure

    plt = pyplot()
    vs = np.linspace(0.85, 1.0, 61) if vs is None else np.asarray(vs, float)
    fs = np.linspace(0.0, 1.0, 41) if fs is None else np.asarray(fs, float)
    R = sys.grid(vs, fs)
    fig, ax = plt.subplots(figsize=(7, 4.8))
    mesh = ax.pcolormesh(vs, fs, R, shading="auto", cmap="viridis")
    fig.colorbar(mesh, ax=ax, label=f"R_{sys.k:g} = ((1 + p_c)/(1 + p(v, f)))^(k-1)")
    levels = [lv for lv in (1.0 + 1e-9, 1.01) if R.min() < lv < R.max()]
    if levels:
        cs = ax.contour(vs, fs, R, levels=levels, colors=["w", "orange"][: len(levels)], linewidths=1.2)
        ax.clabel(cs, fmt={lv: ("R = 1 (edge)" if lv < 1.001 else "R = 1.01") for lv in levels}, fontsize=7)
    if v_local is not None and vs.min() <= v_local <= vs.max():
        ax.axvline(v_local, color="r", ls="--", lw=1, label=f"v_L = {v_local:.4f}: R = 1 to its left (cited lemma W3)")
        ax.legend(fontsize=7, loc="lower left")
    pt = sys.point
    ax.set_xlabel("visibility v of the Werner pairs (fidelity F = (1 + 3v)/4)")
    ax.set_ylabel("share f of pairs that find a Werner pair ready")
    ax.set_title(f"R_{sys.k:g} over (v, f): rho = {pt.rho:g}, W_limit = {pt.W_limit:g} (estimates)")
    fig.tight_layout()
    return save_figure(fig, path)


def supply_strategy_certificate(sys: NoisySystem, v: float, f: float = 1.0, *, split_weight: float = 1e-10) -> dict[str, Any]:
    """``"system-strategy"`` certificate of the attained strategy at ``(v, f)`` (model quantum at visibility ``v``; classical if it uses no entanglement).

    The supply share is one more shared coin, so entangled and classical
    components form one mixture (weights ``f w`` and ``(1 - f) w``), given to
    :func:`bounds.system_certificates.strategy_certificate` as a solution.
    """
    from bounds.system import ClassSolution
    from bounds.system_certificates import strategy_certificate
    from bounds.system_routers import MixedStrategy

    at = sys.attained(v, f)
    comps = [(f * w, p) for w, p in at.entangled.components] + [((1 - f) * w, p) for w, p in at.fallback.components]
    comps = [(w, p) for w, p in comps if w > 0]
    model = "classical" if all(p.model == "classical" for _, p in comps) else "quantum"
    sol = ClassSolution(model, at.p_split, at.p_split, 0.0, MixedStrategy(tuple(comps)), at.waiting_time, 0)
    cert = strategy_certificate(sys.point, sol)
    cert["werner"] = {"v": str(Fraction(v).limit_denominator(10**12)), "f": str(Fraction(f).limit_denominator(10**6))}
    return cert


def werner_system_dual_certificate(sys: NoisySystem, v: float, f: float = 1.0, *, mode: str = "local-model", nu: float | None = None) -> dict[str, Any]:
    """``"werner-system-dual"`` certificate: a lower bound on ``p_split`` at ``(v, f)`` (lemma W4).

    ``nu`` defaults to the grid multiplier minimising the combined bound
    ``(1 - f a) D_c + f a D_q`` (``a`` from the lemma of ``mode``).
    """
    from bounds.system_certificates import dual_certificate
    from proofs.exact import SCHEMA_VERSION, fraction_str

    vf, ff = Fraction(visibility_iv(v)).limit_denominator(10**12), Fraction(visibility_iv(f, "f")).limit_denominator(10**6)
    if mode not in ("elementary", "local-model"):
        raise BoundsParameterError(f"`mode` must be 'elementary' or 'local-model'; got {mode!r}")
    vl = Fraction(6874, 10000)  # lemma W3's v_L; the checker uses its own constant
    a = vf if mode == "elementary" else max(Fraction(0), (vf - vl) / (1 - vl))
    pt = sys.point
    if nu is None:
        ek = 1.0 - sys.nus * pt.mean_cost
        d_c = sys.nus * sys.budget + (ek + sys.g_c) / 2
        d_q = sys.nus * sys.budget + (ek + sys.g_q) / 2
        w = float(ff * a)
        nu = float(sys.nus[int(np.argmin((1 - w) * d_c + w * d_q))])
    cl = dual_certificate(pt, "classical", nu)
    qu = dual_certificate(pt, "quantum", nu)
    lower = (1 - ff * a) * Fraction(cl["bound"]) + ff * a * Fraction(qu["bound"])
    bound = Fraction(math.floor(float(lower) * 10**13 - 1), 10**13)
    return {"schema": SCHEMA_VERSION, "kind": "werner-system-dual", "game": cl["game"], "N": None, "side": "lower", "bound": fraction_str(bound),
            "v": fraction_str(vf), "f": fraction_str(ff), "mode": mode, "classical": cl, "quantum": qu}
