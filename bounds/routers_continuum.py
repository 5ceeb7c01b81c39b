"""K routers on the continuum: the rank-2 moment relaxation of the entangled class (lemma R7) and its dual certificate.

The pair kernel of the Lagrangian (lemma R3) is rank 2 in ``(1, x)``, so any
continuum strategy (shared state, contractions ``O_i(x)``) enters only through
``O_i^0 = E[O_i(X)]`` and ``O_i^1 = E[X O_i(X)]``, which satisfy
``||alpha O_i^0 + beta O_i^1|| <= h(alpha, beta) = E|alpha + beta X|`` for every
direction.  The relaxation (:mod:`proofs.exact.contraction_moments`): a
level-``1+ab`` moment matrix on ``{1, O_i^a, O_i^a O_j^b}`` and, per router and
direction, a localizing matrix of ``H^2 - (alpha O_i^0 + beta O_i^1)^2`` on
``{1, O_j^b}``.  We solve its *dual* with the multiplier ``nu`` free:

    minimise  C(nu) + s_1   over nu >= 0, Z >= 0, Y_{i,d} >= 0
    with      c_w(nu) + s_w = 0 for every moment w != 1,

round ``nu``, ``Z`` and ``Y`` to rationals, repair the moment sums exactly,
shift diagonals until the matrices are PSD, and write a
``"routers-continuum-dual"`` certificate.  ``1 - C(nu) - s_1 - residual`` is a
lower bound on ``p_split`` of every entangled continuum strategy that meets
``W_limit`` -- once :mod:`proofs.checkers.routers_continuum` verifies it.  The
float here is an *estimate*.

>>> r = continuum_relaxation(2, 0.6, 1.65, directions=8)
>>> r.K, r.size, r.local_size, r.n_directions
(2, 9, 3, 8)
>>> 0.0 < r.lower_estimate < r.solver_estimate + 1e-6 < 1.0
True
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bounds.errors import BoundsParameterError, SolverError
from bounds.result import SolverResult, SolveStatus
from proofs.exact.contraction_moments import (
    LEVELS,
    ContractionStructure,
    Direction,
    Weight,
    contraction_structure,
    dual_sums,
    objective_weights,
    proven_value,
    support_ball,
    weight_ball,
)
from proofs.exact.psd import exact_psd
from proofs.exact.rational import exact_parameter, fraction_str
from proofs.exact.routers_game import RoutersPoint, read_point, upper_rational

__all__ = ["KIND", "ContinuumRelaxation", "continuum_relaxation", "default_directions", "default_weights", "routers_game"]

KIND = "routers-continuum-dual"
SOLVERS = ("clarabel", "scs")
#: dual matrices are integers over ``2^EXPONENT``
EXPONENT = 52
#: claims are rounded down to multiples of ``2^-40``
_ROUND = 2**40


@dataclass(frozen=True, eq=False)
class ContinuumRelaxation(SolverResult):
    """The relaxation's dual at one operating point: estimates and the candidate certificate.

    Attributes
    ----------
    lower_estimate
        The ``p_split`` lower bound the certificate claims (float of the exact
        claim): a *candidate* until :mod:`proofs.checkers.routers_continuum` verifies it.
    solver_estimate
        ``1 - (C(nu) + s_1)`` of the solver's duals before rounding.
    nu
        The multiplier (exact rational of the certificate).
    K, size, local_size, n_directions, n_weights
        Routers, side of the moment matrix, side of a localizing matrix, directions, weights.
    residual
        The residual term of lemma R7 after rounding and repair.
    solver
        Solver name, status and iterations.
    certificate
        The ``"routers-continuum-dual"`` certificate (a JSON-ready dict).
    """

    lower_estimate: float
    solver_estimate: float
    nu: Fraction
    K: int
    size: int
    local_size: int
    n_directions: int
    n_weights: int
    residual: float
    solver: str
    certificate: dict[str, Any]


def routers_game(K: int, lam: float | Fraction, W_limit: float | Fraction, *, mu: float | Fraction = 1, law: str = "exponential") -> dict[str, str]:
    """The certificate's game object (exact rationals of the given numbers).

    >>> routers_game(3, 0.4, 2.5)
    {'type': 'routers', 'K': '3', 'law': 'exponential', 'lam': '2/5', 'mu': '1/1', 'W_limit': '5/2'}
    """
    if law not in ("exponential", "uniform"):
        raise BoundsParameterError(f"`law` must be 'exponential' or 'uniform'; got {law!r}")
    out = {"type": "routers", "K": str(K), "law": law, "lam": fraction_str(exact_parameter(lam, "lam"))}
    if law == "exponential":
        out["mu"] = fraction_str(exact_parameter(mu, "mu"))
    out["W_limit"] = fraction_str(exact_parameter(W_limit, "W_limit"))
    return out


def _quantile(pt: RoutersPoint, u: float) -> float:
    if pt.law == "uniform":
        return 2.0 * u
    return -math.log1p(-u) * float(pt.m1)


def _h_float(pt: RoutersPoint, alpha: float, beta: float) -> float:
    if beta == 0:
        return abs(alpha)
    x0 = -alpha / beta
    if pt.law == "uniform":
        return abs(alpha + beta) if not 0 < x0 < 2 else abs(beta) * (x0 * x0 + (2 - x0) ** 2) / 4
    m = float(pt.m1)
    return abs(alpha + beta * m) if x0 <= 0 else abs(beta) * (x0 - m + 2 * m * math.exp(-x0 / m))


def default_directions(pt: RoutersPoint, count: int) -> list[Direction]:
    """``count`` directions with exact ``H`` just above ``h`` (arb): ``(1, 0)``, ``(0, 1)``, threshold directions, a few same-sign ones.

    A threshold direction ``(-x0, 1)`` (normalised) is the support direction of
    the threshold strategy at ``x0``; ``x0`` runs over quantiles of the law.

    >>> ds = default_directions(read_point(routers_game(3, 0.4, 2.5)), 6)
    >>> [(str(d.alpha), str(d.beta)) for d in ds[:2]], len(ds)
    ([('1', '0'), ('0', '1')], 6)
    """
    if isinstance(count, bool) or not isinstance(count, int) or count < 2:
        raise BoundsParameterError(f"`count` (directions) must be an integer >= 2; got {count!r}")
    raw: list[tuple[float, float]] = [(1.0, 0.0), (0.0, 1.0)]
    same = max(0, (count - 2) // 8)
    thr = count - 2 - same
    for k in range(1, thr + 1):
        x0 = _quantile(pt, k / (thr + 1))
        raw.append((-x0 / max(1.0, x0), 1.0 / max(1.0, x0)))
    for k in range(1, same + 1):
        t = math.tan(math.pi / 2 * k / (same + 1))
        raw.append((1.0 / max(1.0, t), t / max(1.0, t)))
    from proofs.exact.laws import working_precision

    out = []
    with working_precision(128):
        for a, b in raw:
            alpha = Fraction(a).limit_denominator(2**30)
            beta = Fraction(b).limit_denominator(2**30)
            up = upper_rational(support_ball(pt.law, pt.mu, alpha, beta))
            H = Fraction(math.ceil(up * 2**48 * (1 + Fraction(1, 2**40))), 2**48)  # a hair above the enclosure
            out.append(Direction(alpha, beta, H))
    return out


def _omega_shapes(pt: RoutersPoint, count: int) -> list[Any]:
    """Weight shapes ``1/sqrt((x - x0)^2 + r^2)`` (x0 at quantiles, a few r) and ``1/sqrt(1 + r x^2)``: the optimal weights of rotating strategies."""
    shapes: list[Any] = []
    flat = [0.3, 1.0, 3.0]
    for r in flat[: min(count, 3)]:
        shapes.append(lambda x, r=r: 1.0 / np.sqrt(1.0 + r * x * x))
    rest = count - len(shapes)
    radii = (0.1, 0.4, 1.5)
    nq = math.ceil(rest / len(radii)) if rest > 0 else 0
    for k in range(1, nq + 1):
        x0 = _quantile(pt, k / (nq + 1))
        for r in radii:
            if len(shapes) < count:
                shapes.append(lambda x, x0=x0, r=r * float(pt.m1): 1.0 / np.sqrt((x - x0) ** 2 + r * r))
    return shapes


def default_weights(pt: RoutersPoint, count: int, bins: int = 64) -> list[Weight]:
    """``count`` weights ``omega`` on ``bins`` equiprobable bins with exact ``R`` just above ``E[1/omega] E[omega (1, X)^T (1, X)]`` (arb).

    >>> ws = default_weights(read_point(routers_game(3, 0.4, 2.5)), 2, bins=8)
    >>> len(ws), len(ws[0].omega), all(w.R[0] >= 1 for w in ws)     # Cauchy-Schwarz: E[1/omega] E[omega] >= 1
    (2, 8, True)
    """
    if isinstance(count, bool) or not isinstance(count, int) or count < 0:
        raise BoundsParameterError(f"`count` (weights) must be an integer >= 0; got {count!r}")
    if count == 0:
        return []

    first = pt.bin_means(bins)
    mids = np.array([float(e.mid()) * bins for e in first])
    out = []
    for f in _omega_shapes(pt, count):
        vals = f(mids)
        out.append(_weight_from_values(pt, first, vals / vals.max()))
    return out


# --------------------------------------------------------------------------- the SDP
def _index(cs: ContractionStructure) -> tuple[dict[Any, int], Any, tuple[list[dict[Any, Any]], list[dict[Any, Any]]]]:
    """Moment ids; the moment-matrix map (ids x n^2) and, per router, the localizing maps (ids x m^2) per coefficient kind."""
    import scipy.sparse as sp

    moments = cs.moments()
    ids = {w: k for k, w in enumerate(moments)}
    n, m, nm = cs.size, cs.local_size, len(moments)
    rows = [ids[cs.entry(a, b)] for a in range(n) for b in range(n)]
    mz = sp.csr_matrix((np.ones(n * n), (rows, np.arange(n * n))), shape=(nm, n * n))
    loc = []
    for i in range(cs.K):
        parts: dict[Any, Any] = {}
        base_rows: list[int] = []
        st_rows: dict[tuple[int, int], list[int]] = {st: [] for st in ((0, 0), (0, 1), (1, 0), (1, 1))}
        for a in range(m):
            for b in range(m):
                k0, ks = cs.local_words(i, a, b)
                base_rows.append(ids[k0])
                for st2, k in ks.items():
                    st_rows[st2].append(ids[k])
        parts["H2"] = sp.csr_matrix((np.ones(m * m), (base_rows, np.arange(m * m))), shape=(nm, m * m))
        for st2, r in st_rows.items():
            parts[st2] = sp.csr_matrix((np.ones(m * m), (r, np.arange(m * m))), shape=(nm, m * m))
        loc.append(parts)
    wmaps = []
    nw = cs.weighted_size
    for i in range(cs.K):
        rows_by: dict[Any, list[tuple[int, int]]] = {}
        for a in range(nw):
            for b in range(nw):
                tag, st, k = cs.weighted_words(i, min(a, b), max(a, b))
                rows_by.setdefault(st if st is not None else tag, []).append((ids[k], a * nw + b))
        wmaps.append({t: sp.csr_matrix((np.ones(len(rc)), ([r for r, _ in rc], [c for _, c in rc])), shape=(nm, nw * nw)) for t, rc in rows_by.items()})
    return ids, mz, (loc, wmaps)


def _solve(cs: ContractionStructure, pt: RoutersPoint, dirs: list[Direction], wts: list[Weight], nu_fixed: Fraction | None, solver: str,
           eps: float) -> tuple[float, NDArray[np.float64], list[list[NDArray[np.float64]]], list[list[NDArray[np.float64]]], float, str]:
    import cvxpy as cp

    ids, mz, (loc, wmaps) = _index(cs)
    nm = len(ids)
    ident = ids[cs.identity]
    K = cs.K
    # c_w(nu) = c0 + nu c1; C(nu) = C0 + nu C1 (the exact forms, read as floats)
    zero, one = Fraction(0), Fraction(1)
    A0, A1 = pt.pair_matrix(zero), pt.pair_matrix(one)
    w0 = objective_weights(K, A0, pt.half)
    w1 = objective_weights(K, (A1[0] - A0[0], A1[1], A1[2]), Fraction(0))
    c0, c1 = np.zeros(nm), np.zeros(nm)
    for w, v in w0.items():
        c0[ids[w]] += float(v)
    for w, v in w1.items():
        c1[ids[w]] += float(v)
    C0, C1 = float(pt.constant(zero)), float(pt.constant(one) - pt.constant(zero))
    n, m = cs.size, cs.local_size
    Z = cp.Variable((n, n), PSD=True)
    nu = cp.Variable(nonneg=True) if nu_fixed is None else cp.Constant(float(nu_fixed))
    s = mz @ cp.vec(Z, order="C")
    Ys: list[list[Any]] = []
    for d in dirs:
        g = (float(d.alpha), float(d.beta))
        h2 = float(d.H) ** 2
        row = []
        for i in range(K):
            Y = cp.Variable((m, m), PSD=True)
            parts = loc[i]
            mat = h2 * parts["H2"]
            for st in ((0, 0), (0, 1), (1, 0), (1, 1)):
                mat = mat - g[st[0]] * g[st[1]] * parts[st]
            s = s + mat @ cp.vec(Y, order="C")
            row.append(Y)
        Ys.append(row)
    nw = cs.weighted_size
    Vs: list[list[Any]] = []
    for wt in wts:
        R = {(0, 0): float(wt.R[0]), (0, 1): float(wt.R[1]), (1, 0): float(wt.R[1]), (1, 1): float(wt.R[2])}
        row = []
        for i in range(K):
            V = cp.Variable((nw, nw), PSD=True)
            mat = wmaps[i]["l"] + wmaps[i]["1"]
            for st, coef in R.items():
                if st in wmaps[i]:  # (1, 0) blocks are stored under (0, 1) (symmetric R)
                    mat = mat + coef * wmaps[i][st]
            s = s + mat @ cp.vec(V, order="C")
            row.append(V)
        Vs.append(row)
    sel = np.flatnonzero(np.arange(nm) != ident)
    cons = [c0[sel] + nu * c1[sel] + s[sel] == 0]
    prob = cp.Problem(cp.Minimize(C0 + nu * C1 + s[ident]), cons)
    opts: dict[str, Any] = {"eps_abs": eps, "eps_rel": eps, "max_iters": 200000} if solver == "scs" else {}
    try:
        prob.solve(solver=cp.SCS if solver == "scs" else cp.CLARABEL, **opts)
    except cp.error.SolverError as exc:
        raise SolverError(f"cvxpy/{solver} failed on the routers continuum relaxation: {exc}") from exc
    if prob.status not in (cp.OPTIMAL, cp.OPTIMAL_INACCURATE) or Z.value is None:
        raise SolverError(f"cvxpy/{solver} returned status {prob.status!r} on the routers continuum relaxation (need 'optimal')")
    nu_v = float(nu.value) if nu_fixed is None else float(nu_fixed)  # type: ignore[arg-type]
    zf = np.asarray(Z.value, dtype=np.float64)
    yf = [[np.asarray(Y.value, dtype=np.float64) for Y in row] for row in Ys]
    vf = [[np.asarray(V.value, dtype=np.float64) for V in row] for row in Vs]
    iters = int(prob.solver_stats.num_iters or 0)
    y = np.zeros(nm)
    y[ident] = 1.0
    y[sel] = np.asarray(cons[0].dual_value, dtype=np.float64).ravel()
    if y[ids[cs.entry(1, 1)]] < 0:  # the sign convention of the equality multipliers: y(O_0^0 O_0^0) >= 0
        y[sel] = -y[sel]
    _LAST_MOMENTS.clear()
    _LAST_MOMENTS.update({w: float(y[k]) for w, k in ids.items()})
    return (float(prob.value), (zf + zf.T) / 2, [[(y + y.T) / 2 for y in row] for row in yf], [[(v + v.T) / 2 for v in row] for row in vf], nu_v,
            f"cvxpy/{solver} {prob.status} after {iters} iterations")


#: the primal moments of the last solve (read by the cutting-plane refinement only)
_LAST_MOMENTS: dict[Any, float] = {}


def _nodes(pt: RoutersPoint, n: int = 60) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Quadrature nodes and weights of the service law (Gauss-Laguerre, or Gauss-Legendre on [0, 2])."""
    if pt.law == "uniform":
        x, w = np.polynomial.legendre.leggauss(n)
        return x + 1.0, w / 2.0
    x, w = np.polynomial.laguerre.laggauss(n)
    return x * float(pt.m1), w


def _violated_weights(cs: ContractionStructure, pt: RoutersPoint, moments: dict[Any, float], bins: int, tol: float = 1e-6) -> list[Weight]:
    """Per router, the weight of the most violated Cauchy-Schwarz constraint at the primal moments (a heuristic: the checker trusts none of it).

    Minimise ``E||L (p + X q)||`` over ``l . (p, q) = 1`` (``Gamma_V = L^T L``); a value below 1 is a violated
    constraint of lemma R7 (c) and ``omega(x) = 1/||L (p + x q)||`` the weight that cuts it off.
    """
    import cvxpy as cp

    from proofs.exact.contraction_moments import canonical

    xs, ws = _nodes(pt)
    first = pt.bin_means(bins)
    mids = np.array([float(e.mid()) * bins for e in first])
    out = []
    V = cs.level1
    nv = len(V)
    for i in range(cs.K):
        G = np.array([[moments.get(canonical(tuple(a + b for a, b in zip(u, v))), 0.0) for v in V] for u in V])
        ell = []
        for s_ in (0, 1):
            for u in V:
                w = list(u)
                w[i] = w[i] + str(s_)
                ell.append(moments.get(canonical(tuple(w)), 0.0))
        lam, vec = np.linalg.eigh((G + G.T) / 2)
        L = (vec * np.sqrt(np.clip(lam, 0.0, None))).T
        p, q = cp.Variable(nv), cp.Variable(nv)
        cost = sum(float(wk) * cp.norm(L @ (p + float(xk) * q)) for xk, wk in zip(xs, ws))
        prob = cp.Problem(cp.Minimize(cost), [np.array(ell) @ cp.hstack([p, q]) == 1])
        try:
            prob.solve(solver=cp.CLARABEL)
        except cp.error.SolverError:
            continue
        if prob.status != cp.OPTIMAL or prob.value is None or prob.value > 1 - tol:
            continue
        pv, qv = np.asarray(p.value), np.asarray(q.value)
        norms = np.array([np.linalg.norm(L @ (pv + m * qv)) for m in mids])
        vals = 1.0 / np.maximum(norms, 1e-6 * norms.max())
        out.append(_weight_from_values(pt, first, vals / vals.max()))
    return out


def _weight_from_values(pt: RoutersPoint, first: list[Any], vals: NDArray[np.float64]) -> Weight:
    from proofs.exact.laws import working_precision

    with working_precision(128):
        omega = tuple(max(Fraction(float(v)).limit_denominator(2**24), Fraction(1, 2**24)) for v in vals)
        ups = [upper_rational(b) for b in weight_ball(pt.law, pt.mu, first, omega)]
        eta = Fraction(1, 2**40) * max(abs(u) for u in ups)
        R = tuple(Fraction(math.ceil(u * 2**60), 2**60) for u in ups)
        return Weight(omega, (R[0] + eta, R[1], R[2] + eta))


def _ints(a: NDArray[np.float64], e: int) -> NDArray[np.int64]:
    k = np.rint(np.ldexp(a, e)).astype(np.int64)
    return np.triu(k) + np.triu(k, 1).T


def _upper(k: NDArray[np.int64]) -> list[int]:
    return [int(v) for v in k[np.triu_indices(k.shape[0])]]


def _shift_pd(k: NDArray[np.int64], e: int, floor: float) -> NDArray[np.int64]:
    """Add to the diagonal until the float minimum eigenvalue exceeds ``floor`` (relative to the scale)."""
    f = np.ldexp(k.astype(np.float64), -e)
    lam = float(np.linalg.eigvalsh(f)[0])
    scale = max(1.0, float(np.abs(np.diag(f)).max()))
    need = floor * scale - lam
    if need <= 0:
        return k
    out = k.copy()
    out[np.diag_indices(k.shape[0])] += math.ceil(need * 2.0**e)
    return out


def _certificate(cs: ContractionStructure, pt: RoutersPoint, game: dict[str, str], dirs: list[Direction], wts: list[Weight], nu: Fraction,
                 zf: NDArray[np.float64], yf: list[list[NDArray[np.float64]]], vf: list[list[NDArray[np.float64]]]) -> tuple[dict[str, Any], Fraction, Fraction]:
    e = EXPONENT
    weights = objective_weights(cs.K, pt.pair_matrix(nu), pt.half)
    for floor in (1e-13, 1e-11, 1e-9, 1e-7):
        ys = [[_shift_pd(_ints(y, e), e, floor) for y in row] for row in yf]
        vs = [[_shift_pd(_ints(v, e), e, floor) for v in row] for row in vf]
        z = _ints(zf, e)
        ylists = [[_upper(y) for y in row] for row in ys]
        vlists = [[_upper(v) for v in row] for row in vs]
        # exact repair: each off-diagonal moment of Z absorbs its residual on its first entry
        sums = dual_sums(cs, _upper(z), ylists, dirs, e, vlists, wts)
        seen: set[Any] = set()
        for a in range(cs.size):
            for b in range(a + 1, cs.size):
                w = cs.entry(a, b)
                if w in seen or w == cs.identity:
                    continue
                seen.add(w)
                r = weights.get(w, Fraction(0)) + sums.get(w, Fraction(0))
                step = round(r * 2**e / 2)
                z[a, b] -= step
                z[b, a] -= step
        z = _shift_pd(z, e, floor)
        if not exact_psd([[Fraction(int(v)) for v in row] for row in z.tolist()]).ok:
            continue
        if not all(exact_psd(y.tolist()).ok for row in ys + vs for y in row):
            continue
        zl = _upper(z)
        sums = dual_sums(cs, zl, ylists, dirs, e, vlists, wts)
        G, residual = proven_value(cs, weights, sums, pt.m1)
        proven = 1 - pt.constant(nu) - G
        claim = Fraction(math.floor(proven * _ROUND), _ROUND)
        cert = {"schema": 2, "kind": KIND, "game": game, "N": None, "side": "lower", "bound": fraction_str(claim), "model": "quantum",
                "level": cs.level, "nu": fraction_str(nu), "dual_exponent": e,
                "directions": [{"alpha": fraction_str(d.alpha), "beta": fraction_str(d.beta), "H": fraction_str(d.H)} for d in dirs],
                "dual": zl, "localizing": ylists,
                "weights": [{"omega": [fraction_str(w) for w in wt.omega], "R": [fraction_str(r) for r in wt.R]} for wt in wts],
                "weighted_duals": vlists}
        return cert, claim, residual
    raise SolverError("could not make the rounded duals of the routers continuum relaxation verifiably PSD")


def continuum_relaxation(K: int, lam: float | Fraction, W_limit: float | Fraction, *, mu: float | Fraction = 1, law: str = "exponential",
                         directions: int | list[Direction] = 64, weights: int | list[Weight] = 8, weight_bins: int = 64,
                         refine: int = 0, nu: float | Fraction | None = None, solver: str = "clarabel", eps: float = 1e-9,
                         level: str = "1+ab") -> ContinuumRelaxation:
    """Solve the dual of the rank-2 relaxation (lemma R7) and return the estimate and a candidate certificate.

    Parameters
    ----------
    K, lam, W_limit, mu, law
        The operating point (``K`` in 2..4 routers, K-tuple rate ``lam``).
    directions
        Number of directions (see :func:`default_directions`) or an explicit list.
    weights, weight_bins
        Number of weighted Cauchy-Schwarz constraints per router (see
        :func:`default_weights`, weights on ``weight_bins`` bins) or an explicit list.
    refine
        Cutting-plane rounds: after each solve, add per router the weight of the
        most violated Cauchy-Schwarz constraint at the primal moments, and re-solve.
    nu
        Fix the multiplier; ``None`` optimises it inside the SDP.
    solver
        ``"clarabel"`` or ``"scs"``; ``eps`` the SCS tolerance.
    level
        ``"1+ab"`` (lemma R7) or ``"1+ab+even"`` (lemma R9: the weighted
        Cauchy-Schwarz matrices gain a right block of pair elements; tighter,
        and the gap to classical at K = 3 roughly halves).
    """
    t0 = time.perf_counter()
    if solver not in SOLVERS:
        raise BoundsParameterError(f"`solver` must be one of {SOLVERS}; got {solver!r}")
    if isinstance(K, bool) or K not in (2, 3, 4):
        raise BoundsParameterError(f"`K` must be 2, 3 or 4; got {K!r}")
    game = routers_game(K, lam, W_limit, mu=mu, law=law)
    pt = read_point(game)
    dirs = default_directions(pt, directions) if isinstance(directions, int) else list(directions)
    if not dirs:
        raise BoundsParameterError("`directions` must not be empty")
    nu_fixed = None if nu is None else exact_parameter(nu, "nu")
    if nu_fixed is not None and nu_fixed < 0:
        raise BoundsParameterError(f"`nu` must be >= 0; got {nu}")
    if isinstance(refine, bool) or not isinstance(refine, int) or refine < 0:
        raise BoundsParameterError(f"`refine` must be an integer >= 0; got {refine!r}")
    wts = default_weights(pt, weights, weight_bins) if isinstance(weights, int) else list(weights)
    if level not in LEVELS:
        raise BoundsParameterError(f"`level` must be one of {LEVELS}; got {str(level)[:20]!r}")
    cs = contraction_structure(K, level)
    value, zf, yf, vf, nu_v, info = _solve(cs, pt, dirs, wts, nu_fixed, solver, eps)
    for _ in range(refine):
        extra = _violated_weights(cs, pt, dict(_LAST_MOMENTS), weight_bins)
        if not extra:
            break
        wts = wts + extra
        value, zf, yf, vf, nu_v, info = _solve(cs, pt, dirs, wts, nu_fixed, solver, eps)
    nu_q = nu_fixed if nu_fixed is not None else Fraction(max(nu_v, 0.0)).limit_denominator(2**30)
    cert, claim, residual = _certificate(cs, pt, game, dirs, wts, nu_q, zf, yf, vf)
    return ContinuumRelaxation(
        status=SolveStatus.OPTIMAL, seconds=time.perf_counter() - t0, lower_estimate=float(claim), solver_estimate=1.0 - value, nu=nu_q, K=K,
        size=cs.size, local_size=cs.local_size, n_directions=len(dirs), n_weights=len(wts), residual=float(residual), solver=info, certificate=cert,
    )
