"""K routers: the smallest ``p_split`` that meets ``W_q <= W_limit``, for the ideal and the classical class (estimates).

The model is :mod:`analytic.routers` / :class:`games.routers.RouterModel`:
``p_split = 1 - P(all on one server)``,
``W_q = W_0 + sum_{i<j} E[(1 + o_i o_j)/2 c_K(X_i, X_j)]``.

* **ideal** (routers that see every service time): for each tuple ``x`` the
  cheapest split costs ``s(x) = min over splits of the same-server pairs' cost``
  and putting everyone on one server costs ``Delta(x) = sum_{i<j} c_K - s(x)``
  more, for one unit of ``P(all on one server)``.  The optimum is a bathtub:
  all on one server iff ``Delta(x) <= tau``, the cheapest split otherwise, with
  the largest ``tau`` that meets ``W_limit``.  ``W_min = W_0 + E[s]`` is the
  smallest wait any routing reaches.  Expectations by a tensor Gauss-Legendre
  rule in ``a = F(x)``.
* **classical** (local routers with shared randomness): by weak duality
  ``P(all on one server) <= nu (W_limit - W_0) + G(nu)``, ``G(nu) = max over
  deterministic routers of P(same) - nu (W_q - W_0)``; every best response to
  the rank-2 pair kernel is a threshold (or a constant), so ``G`` is a maximum
  over threshold profiles, searched on a grid and refined by exact best
  responses.  The minimising ``nu`` and the shared-coin mixture of the two
  bracketing profiles that meets ``W_limit`` with equality give the estimate.

Every number here is an **estimate** (a float from a search or a quadrature,
labelled as such), not a bound; certified versions come from checkers.

>>> from games.routers import RouterModel
>>> m = RouterModel.at_load(3, 0.6)
>>> i = ideal_solution(m, 3.0)
>>> 0.15 < i.p_split < 0.2, i.kind, ideal_solution(m, m.W_bunch).p_split
(True, 'estimate', 0.0)
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

from analytic.laws.service import ServiceLaw
from bounds.errors import BoundsParameterError, BoundsTypeError, check_int, check_real
from games.routers import RouterModel, even_terms, threshold_moments

__all__ = ["BinsSolution", "RouterSolution", "classical_bins", "classical_min_wait", "classical_solution", "ideal_min_wait", "ideal_solution", "ratio_R", "scan"]


@dataclass(frozen=True)
class RouterSolution:
    """An estimate of the smallest ``p_split`` meeting ``W_limit`` for one class, with its strategy.

    ``components``: for the classical class, ``(weight, u, orient)`` threshold
    profiles mixed by a shared coin (router ``i`` outputs ``orient[i]`` iff
    ``F(X_i) <= u[i]``); for the ideal class, ``(1, (tau,), ())`` (all on one
    server iff ``Delta(x) <= tau``).  ``kind`` is always ``"estimate"``.
    """

    cls: str
    K: int
    W_limit: float
    p_split: float
    W_q: float
    nu: float
    components: tuple[tuple[float, tuple[float, ...], tuple[int, ...]], ...]
    model: dict = field(default_factory=dict)
    kind: str = "estimate"

    def to_dict(self) -> dict[str, Any]:
        return {"class": self.cls, "K": self.K, "W_limit": self.W_limit, "p_split": self.p_split, "W_q": self.W_q, "nu": self.nu,
                "components": [{"weight": w, "u": list(u), "orient": list(o)} for w, u, o in self.components], "model": self.model,
                "kind": self.kind}


def _require_model(model: Any) -> RouterModel:
    if not isinstance(model, RouterModel):
        raise BoundsTypeError(f"`model` must be a games.routers.RouterModel (RouterModel.at_load(K, rho)); got {type(model).__name__}")
    return model


# ------------------------------------------------------------------------------------------ ideal
def _nodes(law: ServiceLaw, K: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Gauss-Legendre nodes ``x`` and weights in ``a = F(x)``: uniform panels, then geometric towards 1."""
    n_uni, n_geo, pts = (8, 20, 4) if K <= 3 else (5, 10, 3)
    edges = np.unique(np.concatenate([np.linspace(0.0, 0.5, n_uni + 1), 1.0 - 0.5 ** np.arange(1, n_geo + 1), [1.0]]))
    gx, gw = np.polynomial.legendre.leggauss(pts)
    lo, hi = edges[:-1], edges[1:]
    a = (((lo + hi)[:, None] + (hi - lo)[:, None] * gx[None, :]) / 2).ravel()
    w = ((hi - lo)[:, None] * gw[None, :] / 2).ravel()
    x = -np.log1p(-a) / law.mu if law.is_exponential else np.asarray(law.ppf(a), dtype=float)
    return x, w


def _ideal_costs(model: RouterModel) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Per quadrature tuple: weight, cheapest split cost ``s``, and ``Delta = all-together cost - s``."""
    K = model.K
    x, w = _nodes(model.law, K)
    grids = np.meshgrid(*([x] * K), indexing="ij", sparse=True)
    wt = np.ones((1,) * K)
    for i in range(K):
        wt = wt * w.reshape([-1 if j == i else 1 for j in range(K)])
    c = {(i, j): model.kappa * grids[i] * grids[j] + (grids[i] + grids[j]) / (2.0 * K) for i, j in itertools.combinations(range(K), 2)}
    total = sum(c.values())
    split = None
    for o in itertools.product((1, -1), repeat=K - 1):
        signs = (1, *o)
        if all(s == 1 for s in signs):
            continue
        cost = sum((v for (i, j), v in c.items() if signs[i] == signs[j]), np.zeros((1,) * K))
        split = cost if split is None else np.minimum(split, cost)
    assert split is not None
    split = np.broadcast_to(split, (len(x),) * K).ravel()
    return np.broadcast_to(wt, (len(x),) * K).ravel(), split, np.broadcast_to(total, (len(x),) * K).ravel() - split


def ideal_min_wait(model: RouterModel) -> float:
    """``W_min = W_0 + E[cheapest split cost]``: the smallest ``W_q`` of any routing (estimate).

    >>> from games.routers import RouterModel
    >>> round(ideal_min_wait(RouterModel.at_load(2, 0.6)), 9)     # two routers: always split, W_0
    1.5
    """
    model = _require_model(model)
    w, s, _ = _ideal_costs(model)
    return model.W_split + float(w @ s)


def ideal_solution(model: RouterModel, W_limit: float) -> RouterSolution:
    """The ideal class: all on one server iff ``Delta(x) <= tau``, the largest ``tau`` meeting ``W_limit`` (estimate)."""
    model = _require_model(model)
    W_limit = check_real("W_limit", W_limit, low=0)
    w, s, d = _ideal_costs(model)
    base = model.W_split + float(w @ s)
    if W_limit < base * (1 - 1e-12):
        raise BoundsParameterError(f"`W_limit` = {W_limit:g} is below the smallest waiting time W_min = {base:.10g} of any routing (K = {model.K}, rho = {model.rho:g})")
    idx = np.argsort(d, kind="stable")
    cw = np.cumsum(w[idx])
    cc = np.cumsum(w[idx] * d[idx])
    budget = W_limit - base
    k = int(np.searchsorted(cc, budget, side="right"))
    if k >= idx.size:
        p_same, wq, tau = float(cw[-1]), base + float(cc[-1]), math.inf
        nu = 0.0
    else:
        # take the tuples before k fully and a fraction of tuple k (the tie at tau is randomised)
        prev_w, prev_c = (float(cw[k - 1]), float(cc[k - 1])) if k > 0 else (0.0, 0.0)
        dk, wk = float(d[idx[k]]), float(w[idx[k]])
        frac = (budget - prev_c) / (wk * dk) if dk > 0 else 1.0
        p_same, wq, tau = prev_w + frac * wk, W_limit, dk
        nu = 1.0 / dk if dk > 0 else math.inf
    p_same = min(p_same, 1.0)
    return RouterSolution("ideal", model.K, W_limit, 1.0 - p_same, wq, nu, ((1.0, (tau,), ()),), model.describe())


# ------------------------------------------------------------------------------------------ classical
def _same_and_wait(model: RouterModel, U: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """``(P(same), W_q - W_0)`` for moment arrays ``U[..., i, :]`` (vectorised over leading axes)."""
    K = model.K
    ps = np.full(U.shape[:-2], 2.0 ** (1 - K))
    for S in even_terms(K):
        ps = ps + 2.0 ** (1 - K) * np.prod(U[..., list(S), 0], axis=-1)
    wq = np.zeros(U.shape[:-2])
    for i, j in itertools.combinations(range(K), 2):
        wq = wq + (model.mean_cost + model.kappa * U[..., i, 1] * U[..., j, 1] + (U[..., i, 1] * U[..., j, 0] + U[..., i, 0] * U[..., j, 1]) / (2.0 * K)) / 2.0
    return ps, wq


def _objective_one(model: RouterModel, U: NDArray[np.float64], a: float, b: float) -> float:
    """``a P(same) - b (W_q - W_0)`` of one profile ``U`` (``K x 2``) in Python floats: :func:`_same_and_wait`'s operations in its
    order (the ascent's many small calls; numpy on a ``K x 2`` array costs a millisecond a call)."""
    K = model.K
    x = U.tolist()
    c = 2.0 ** (1 - K)
    ps = c
    for S in even_terms(K):
        prod = x[S[0]][0]
        for j in S[1:]:
            prod = prod * x[j][0]
        ps = ps + c * prod
    wq = 0.0
    mean_cost, kappa = float(model.mean_cost), float(model.kappa)
    for i, j in itertools.combinations(range(K), 2):
        wq = wq + (mean_cost + kappa * x[i][1] * x[j][1] + (x[i][1] * x[j][0] + x[i][0] * x[j][1]) / (2.0 * K)) / 2.0
    return a * ps - b * wq


def _gradient(model: RouterModel, U: NDArray[np.float64], i: int, a: float, b: float) -> NDArray[np.float64]:
    K = model.K
    g = np.zeros(2)
    others = [j for j in range(K) if j != i]
    for S in even_terms(K):
        if i in S:
            g[0] += a * 2.0 ** (1 - K) * float(np.prod(U[[j for j in S if j != i], 0]))
    for j in others:
        g[1] -= b * (model.kappa * U[j, 1] + U[j, 0] / (2.0 * K)) / 2.0
        g[0] -= b * U[j, 1] / (4.0 * K)
    return g


def _best_response(model: RouterModel, g: NDArray[np.float64]) -> tuple[float, int]:
    """Threshold ``(u, orient)`` maximising ``g0 E[o] + g1 E[X o]``: ``o = sgn(g0 + g1 x)``."""
    g0, g1 = float(g[0]), float(g[1])
    if g1 == 0.0:
        return (1.0, 1) if g0 >= 0 else (0.0, 1)
    t = -g0 / g1
    u = float(model.law.cdf(t)) if t > 0 else 0.0
    return (u, 1) if g1 < 0 else (u, -1)


#: :func:`_grid_terms`' result: ``(u, idx, [(signs, P(same), W_q - W_0) per orientation pattern])``
_GridTerms = tuple[NDArray[np.float64], NDArray[np.intp], list[tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]]]


def _grid_terms(model: RouterModel, grid: int | None = None) -> _GridTerms:
    """The threshold grid of :func:`_maximise`: ``(u, idx, [(signs, P(same), W_q - W_0) per orientation pattern])``.

    ``P(same)`` and ``W_q`` over the grid do not depend on the multiplier, so a
    search over multipliers computes them once and takes ``a * P(same) - b * W_q``
    of these arrays at each.
    """
    K = model.K
    G = grid if grid is not None else {2: 201, 3: 41, 4: 17}[K]
    u = np.linspace(0.0, 1.0, G)
    Ug = threshold_moments(model.law, u)                      # (G, 2), orient +1
    idx = np.stack(np.meshgrid(*([np.arange(G)] * K), indexing="ij"), axis=-1).reshape(-1, K)
    terms = []
    for signs in itertools.product((1, -1), repeat=K - 1):
        s = np.array((1, *signs), dtype=float)
        ps, wq = _same_and_wait(model, Ug[idx] * s[None, :, None])
        terms.append((s, ps, wq))
    return u, idx, terms


def _maximise(model: RouterModel, a: float, b: float, grid: int | None = None, terms: _GridTerms | None = None,
              ) -> tuple[float, NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Best threshold profile for ``a P(same) - b (W_q - W_0)``: grid, then best-response ascent from the best few.

    ``terms``: :func:`_grid_terms` of ``model`` and ``grid``, computed once by a caller that maximises at many multipliers.
    """
    K = model.K
    u, idx, pattern = terms if terms is not None else _grid_terms(model, grid)
    best: list[tuple[float, NDArray[np.float64], NDArray[np.float64]]] = []
    for s, ps, wq in pattern:
        val = a * ps - b * wq
        top = np.argsort(val)[-3:]
        for t in top:
            best.append((float(val[t]), u[idx[t]].astype(float), s.copy()))
    best.sort(key=lambda r: -r[0])
    out: tuple[float, NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]] | None = None
    for _v, uu, ss in best[:4]:
        uu, ss = uu.copy(), ss.copy()
        U = threshold_moments(model.law, uu, ss)
        cur = _objective_one(model, U, a, b)
        for _ in range(200):
            improved = False
            for i in range(K):
                ui, si = _best_response(model, _gradient(model, U, i, a, b))
                Ui = threshold_moments(model.law, np.array([ui]), np.array([si]))[0]
                trial = U.copy()
                trial[i] = Ui
                tv = _objective_one(model, trial, a, b)
                if tv > cur + 1e-15:
                    cur, U, uu[i], ss[i], improved = tv, trial, ui, si, True
            if not improved:
                break
        if out is None or cur > out[0]:
            out = (cur, uu, ss, U)
    assert out is not None
    return out


def classical_min_wait(model: RouterModel) -> float:
    """The smallest ``W_q`` of local routers (threshold search; estimate).

    >>> from games.routers import RouterModel
    >>> round(classical_min_wait(RouterModel.at_load(2, 0.6)), 9)     # two routers split always
    1.5
    """
    model = _require_model(model)
    return _min_wait(model)


def _min_wait(model: RouterModel, terms: _GridTerms | None = None) -> float:
    """:func:`classical_min_wait` on a validated model (``terms``: :func:`_grid_terms`, if the caller has them)."""
    val, _u, _s, _U = _maximise(model, 0.0, 1.0, terms=terms)
    return model.W_split - val


def _profile(model: RouterModel, nu: float, terms: _GridTerms | None = None) -> tuple[float, float, float, tuple[float, ...], tuple[int, ...]]:
    """``(G(nu), P(same), W_q, u, orient)`` of the best threshold profile at multiplier ``nu`` (``terms``: :func:`_grid_terms`)."""
    val, u, s, U = _maximise(model, 1.0, nu, terms=terms)
    ps, wq = model.moment_values(U)
    return val, ps, wq, tuple(float(v) for v in u), tuple(int(v) for v in s)


def classical_solution(model: RouterModel, W_limit: float, *, iterations: int = 40) -> RouterSolution:
    """Classical routers (shared randomness): minimise ``nu (W_limit - W_0) + G(nu)``, mix the bracketing profiles (estimate)."""
    model = _require_model(model)
    W_limit = check_real("W_limit", W_limit, low=0)
    terms = _grid_terms(model)                                # the grid's P(same) and W_q, once for every multiplier
    at0 = _profile(model, 0.0, terms)
    if at0[2] <= W_limit:
        return RouterSolution("classical", model.K, W_limit, 1.0 - at0[1], at0[2], 0.0, ((1.0, at0[3], at0[4]),), model.describe())
    wmin = _min_wait(model, terms)
    if W_limit < wmin * (1 - 1e-9):
        raise BoundsParameterError(f"`W_limit` = {W_limit:g} is below the smallest classical waiting time {wmin:.10g} (K = {model.K}, rho = {model.rho:g})")
    lo, hi = 0.0, 1.0
    left = at0
    right = _profile(model, hi, terms)
    while right[2] > W_limit and hi < 1e8:
        lo, left = hi, right
        hi *= 4.0
        right = _profile(model, hi, terms)
    for _ in range(iterations):
        mid = math.sqrt(lo * hi) if lo > 0 else hi / 2
        pm = _profile(model, mid, terms)
        if pm[2] > W_limit:
            lo, left = mid, pm
        else:
            hi, right = mid, pm
    if right[2] > W_limit:
        raise BoundsParameterError(f"no classical threshold profile meets `W_limit` = {W_limit:g}")
    # mixture theta * left + (1 - theta) * right with W_q = W_limit
    theta = (W_limit - right[2]) / (left[2] - right[2]) if left[2] > right[2] else 0.0
    theta = min(max(theta, 0.0), 1.0)
    p_same = theta * left[1] + (1 - theta) * right[1]
    wq = theta * left[2] + (1 - theta) * right[2]
    comps = tuple((w, c[3], c[4]) for w, c in ((theta, left), (1 - theta, right)) if w > 0)
    return RouterSolution("classical", model.K, W_limit, 1.0 - p_same, wq, math.sqrt(lo * hi) if lo > 0 else hi, comps, model.describe())


#: most party-symmetric deterministic bin profiles :func:`classical_bins` enumerates
MAX_BIN_PROFILES = 5000


@dataclass(frozen=True)
class BinsSolution:
    """The classical routers' smallest ``p_split`` on ``N`` equiprobable bins per router (an *estimate*).

    ``components``: ``(weight, P(all on one server), W_q, signs)`` of the (one or
    two) deterministic bin-constant profiles mixed by a shared coin, ``signs[i][x]``
    router ``i``'s output on bin ``x``; ``nu`` is the slope ``-dP/dW_q`` between the
    two mixed profiles (the Lagrange multiplier of the hull's edge; 0 for one profile).
    """

    K: int
    N: int
    W_limit: float
    p_split: float
    nu: float
    components: tuple[tuple[float, float, float, tuple[tuple[int, ...], ...]], ...]
    kind: str = "estimate"


def classical_bins(model: RouterModel, W_limit: float, N: int) -> BinsSolution:
    """Smallest ``p_split`` at ``W_q <= W_limit`` over shared-coin mixtures of deterministic bin-constant profiles (estimate).

    Enumerates every profile of ``2^N`` sign patterns per router up to the routers'
    permutations (the model is party-symmetric), then the best single profile that
    meets ``W_limit`` and the best mixture of one below and one above it (the lower
    convex hull of the ``(W_q, p_split)`` points).  At most ``MAX_BIN_PROFILES`` profiles.

    >>> m = RouterModel.at_load(4, 0.6)
    >>> s = classical_bins(m, 4.5, 2)
    >>> round(s.p_split, 8), len(s.components), s.kind
    (0.25731453, 2, 'estimate')
    """
    model = _require_model(model)
    W_limit = check_real("W_limit", W_limit, low=0)
    N = check_int("N", N, low=1, high=16)
    K = model.K
    count = math.comb(2**N + K - 1, K)
    if count > MAX_BIN_PROFILES:
        raise BoundsParameterError(f"`N` = {N} gives {count} bin profiles for K = {K} routers (at most {MAX_BIN_PROFILES}); use fewer bins")
    _, e = model.bin_moments(N)
    sigs = list(itertools.product((1, -1), repeat=N))
    mom = [(float(np.mean(s)), float(np.dot(s, e))) for s in sigs]
    profs = list(itertools.combinations_with_replacement(range(len(sigs)), K))
    vals = np.array([model.moment_values(np.array([mom[i] for i in prof])) for prof in profs])
    same, wq = vals[:, 0], vals[:, 1]
    ok = np.flatnonzero(wq <= W_limit)
    if ok.size == 0:
        raise BoundsParameterError(f"`W_limit` must be at least the smallest W_q of bin profiles on {N} bins, {float(wq.min()):.6g}; got {W_limit:g}")
    bad = np.flatnonzero(wq > W_limit)
    top = int(ok[np.argmax(same[ok])])
    best, nu = 1.0 - float(same[top]), 0.0
    comps: list[tuple[float, int]] = [(1.0, top)]
    if bad.size:
        wa, wb = wq[ok][:, None], wq[bad][None, :]
        t = (wb - W_limit) / (wb - wa)
        v = 1.0 - (t * same[ok][:, None] + (1.0 - t) * same[bad][None, :])
        ia, ib = np.unravel_index(int(np.argmin(v)), v.shape)
        if float(v[ia, ib]) < best:
            a, b = int(ok[ia]), int(bad[ib])
            best, nu = float(v[ia, ib]), float((same[b] - same[a]) / (wq[b] - wq[a]))
            comps = [(float(t[ia, ib]), a), (1.0 - float(t[ia, ib]), b)]
    out = tuple((w, float(same[k]), float(wq[k]), tuple(sigs[i] for i in profs[k])) for w, k in comps)
    return BinsSolution(K, N, W_limit, best, nu, out)


def ratio_R(p_classical: float, p_other: float, k: float) -> float:
    """``R_k = ((1 + p_classical)/(1 + p_other))^(k - 1)``: the baseline-throughput ratio of :mod:`analytic.routers` (any K).

    >>> ratio_R(0.7, 0.6, 3)
    1.12890625
    """
    p_c = check_real("p_classical", p_classical, low=0, high=1)
    p_o = check_real("p_other", p_other, low=0, high=1)
    k = check_real("k", k, low=0)
    return ((1.0 + p_c) / (1.0 + p_o)) ** (k - 1.0)


def scan(K: int, W_limits: Sequence[float], *, rho: float = 0.6, law: ServiceLaw | None = None, ks: Sequence[float] = (2, 3)) -> list[dict[str, Any]]:
    """Ideal and classical estimates at each ``W_limit`` (rows; infeasible classes are ``None``)."""
    model = RouterModel.at_load(K, rho, law)
    rows = []
    wmin_c = classical_min_wait(model)
    for wl in W_limits:
        row: dict[str, Any] = {"K": K, "rho": model.rho, "lam": model.lam, "W_limit": float(wl), "kind": "estimate"}
        ideal = ideal_solution(model, wl)
        row["ideal"] = ideal.p_split
        cl = classical_solution(model, wl) if wl >= wmin_c * (1 - 1e-9) else None
        row["classical"] = None if cl is None else cl.p_split
        row["classical_strategy"] = None if cl is None else cl.to_dict()["components"]
        if cl is not None:
            for k in ks:
                row[f"R_{k:g}"] = ratio_R(cl.p_split, ideal.p_split, k)
        rows.append(row)
    return rows
