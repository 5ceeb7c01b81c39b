"""Tests of bounds.system_proxy: the exact lower hull, the converged C_t search, and the route's sanity.

The hull is checked against a brute force over single points and pairs (exact
rationals); the converged search against a dense uniform scan over ``C_t``
whose points are evaluated by closed-form exponential moments written here
(not the module's quadrature), mixed by a brute force over all pairs.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

from bounds.errors import BoundsParameterError
from bounds.system import solve_class
from bounds.system_point import operating_point
from bounds.system_proxy import _classical_game, _quantum_game, hull_minimum, lower_hull, proxy_route

# --------------------------------------------------------------------------- hull against brute force


def _brute_min(points: list[tuple[float, float]], lim: float) -> Fraction | None:
    """Smallest y over single points and two-point mixtures with x <= lim (exact)."""
    q = [(Fraction(x), Fraction(y)) for x, y in points]
    L = Fraction(lim)
    best = min((y for x, y in q if x <= L), default=None)
    for x1, y1 in q:
        for x2, y2 in q:
            if x1 < L < x2:
                t = (L - x1) / (x2 - x1)
                v = (1 - t) * y1 + t * y2
                best = v if best is None or v < best else best
    return best


def _random_points(rng: np.random.Generator) -> list[tuple[float, float]]:
    n = int(rng.integers(1, 16))
    if rng.random() < 0.3:  # small integers: ties in x, collinear triples, duplicates
        return [(float(rng.integers(0, 6)), float(rng.integers(0, 6))) for _ in range(n)]
    return [(float(x), float(y)) for x, y in rng.random((n, 2))]


def test_hull_minimum_matches_pair_brute_force() -> None:
    rng = np.random.default_rng(20261202)
    for _ in range(200):
        pts = _random_points(rng)
        xs = sorted({x for x, _ in pts})
        # limits between, at and beyond the points' x (ties at a vertex, no feasible point, every point feasible)
        lims = [float(rng.uniform(-0.5, 6.5)), float(rng.uniform(-0.5, 6.5)), *(float(x) for x in rng.choice(xs, min(3, len(xs)))), xs[0] - 1.0, xs[-1] + 1.0]
        for lim in lims:
            got = hull_minimum(pts, lim)
            want = _brute_min(pts, lim)
            if want is None:
                assert got is None
                continue
            assert got is not None
            # components: weights sum to 1, the mixture meets the limit and has the reported value
            assert math.isclose(sum(w for w, _ in got.components), 1.0, rel_tol=0, abs_tol=1e-15)
            wx = sum(w * pts[i][0] for w, i in got.components)
            wy = sum(w * pts[i][1] for w, i in got.components)
            assert wx <= lim + 1e-12 and math.isclose(wy, got.p_split, rel_tol=1e-12, abs_tol=1e-12)
            # the value is the exact brute-force minimum, rounded once to a float
            assert got.p_split == float(want)


def test_lower_hull_is_convex_and_below_every_point() -> None:
    rng = np.random.default_rng(7)
    for _ in range(300):
        pts = _random_points(rng)
        h = lower_hull(pts)
        q = [(Fraction(x), Fraction(y)) for x, y in pts]
        assert all(q[i][0] < q[j][0] for i, j in zip(h, h[1:]))
        assert q[h[0]][0] == min(x for x, _ in q) and q[h[-1]][0] == max(x for x, _ in q)
        for i, j, k in zip(h, h[1:], h[2:]):  # strictly convex turns
            assert (q[j][0] - q[i][0]) * (q[k][1] - q[i][1]) - (q[j][1] - q[i][1]) * (q[k][0] - q[i][0]) > 0
        for x, y in q:  # every point on or above the hull
            for i, j in zip(h, h[1:]):
                if q[i][0] <= x <= q[j][0]:
                    t = (x - q[i][0]) / (q[j][0] - q[i][0])
                    assert y >= (1 - t) * q[i][1] + t * q[j][1]


# --------------------------------------------------------------------------- the search against a dense scan


def _exp_moments(u0: np.ndarray, u1: np.ndarray) -> np.ndarray:
    """``(P, E[X; .])`` of Exp(1) on ``a = F(x)`` in ``[u0, u1]``: ``x = -ln(1 - a)``, closed forms."""
    s0, s1 = 1.0 - u0, 1.0 - u1  # survival at the ends
    x0 = -np.log(s0)
    x1 = np.where(s1 > 0, -np.log(np.where(s1 > 0, s1, 1.0)), 0.0)
    return np.stack([s0 - s1, (x0 + 1.0) * s0 - np.where(s1 > 0, (x1 + 1.0) * s1, 0.0)], axis=1)


def _system_point(pt, U: np.ndarray, V: np.ndarray) -> tuple[float, float]:  # noqa: ANN001
    """``(W_q, p_split)`` from router moments ``U, V`` (rows: ``E[o]``, ``E[o X]``), bunch iff outputs agree.

    ``beta = (1 + o_A o_B) / 2``, bunch cost ``c(x, y) = kappa x y + (x + y) / 4`` (mean ``E[c] = W_bunch - W_split``),
    independent inputs: ``E[o_A o_B f(X) g(Y)] = E[o_A f(X)] . E[o_B g(Y)]``.
    """
    kappa = pt.lam / (2.0 * (1.0 - pt.rho))
    e00, e11, e10, e01 = U[0] @ V[0], U[1] @ V[1], U[1] @ V[0], U[0] @ V[1]
    corr_cost = kappa * e11 + (e10 + e01) / 4.0
    return pt.W_split + (pt.W_bunch - pt.W_split + corr_cost) / 2.0, (1.0 - e00) / 2.0


def _dense_quantum(pt, n: int, Cs: np.ndarray) -> list[tuple[float, float]]:  # noqa: ANN001
    edges = np.arange(n + 1) / n
    m = _exp_moments(edges[:-1], edges[1:])
    out = [(pt.W_bunch, 0.0), (pt.W_split, 1.0)]  # C_t = 0 and 1
    for C in Cs:
        u, v, _ = _quantum_game(float(C), n)
        out.append(_system_point(pt, m.T @ u, m.T @ v))
    return out


def _dense_classical(pt, bins: int, Cs: np.ndarray) -> list[tuple[float, float]]:  # noqa: ANN001
    def mom(sw: list[float], start: int) -> np.ndarray:
        e = np.array([0.0, *sw, 1.0])
        s = start * (-1.0) ** np.arange(e.size - 1)
        return (s[:, None] * _exp_moments(e[:-1], e[1:])).sum(axis=0)[:, None]

    out = [(pt.W_bunch, 0.0), (pt.W_split, 1.0)]
    for C in Cs:
        g = _classical_game(float(C), bins)
        out.append(_system_point(pt, mom(g["a_switches"], g["a_start"]), mom(g["b_switches"], g["b_start"])))
    return out


def _brute_values(points: list[tuple[float, float]], lim: float) -> tuple[float, float]:
    """Pure (best single point) and mixed (best pair, vectorised brute force) minimum ``p`` at ``W <= lim``."""
    P = np.array(points)
    w, p = P[:, 0], P[:, 1]
    pure = float(p[w <= lim].min())
    lo, hi = np.where(w <= lim)[0], np.where(w > lim)[0]
    t = (lim - w[lo][:, None]) / (w[hi][None, :] - w[lo][:, None])
    mixed = min(pure, float(((1 - t) * p[lo][:, None] + t * p[hi][None, :]).min())) if hi.size else pure
    return pure, mixed


# Tolerance of the dense scan: its grid step h = 1/2000 in C_t misses a feasibility edge or a jump of the game optimum
# by at most h; with |dp/dC_t| <= 3 the scan's values lie at most 3h = 1.5e-3 above the converged ones (observed:
# 3.9e-4 pure, 4.6e-7 mixed for the quantum class; 3.8e-4 and 7.8e-5 classical).  The scan may also hit a point the
# search skipped: allow 2e-6 below (the search's stated convergence tolerance).
DENSE_STEP = 1 / 2000
DENSE_TOL = 3 * DENSE_STEP


def test_quantum_search_matches_dense_scan() -> None:
    pt = operating_point(0.6, 1.875)
    n = 8
    r = proxy_route(pt, grid=16, quantum_bins=n, models=("quantum",))
    pure, mixed = _brute_values(_dense_quantum(pt, n, np.arange(1, 2000) * DENSE_STEP), pt.W_limit)
    q = r.quantum
    assert q.W_q <= pt.W_limit and q.W_q_mixed is not None and q.W_q_mixed <= pt.W_limit * (1 + 1e-15)
    assert -2e-6 <= pure - q.p_split <= DENSE_TOL
    assert q.p_split_mixed is not None and -2e-6 <= mixed - q.p_split_mixed <= DENSE_TOL
    # here the shared coin helps; the class not searched reports always split
    assert q.p_split_mixed < q.p_split
    assert r.evaluations["classical"] == 0 and r.classical.p_split == 1.0


@pytest.mark.slow
def test_classical_search_matches_dense_scan() -> None:
    # the classical game optimum jumps (near C_t = 0.33): the search must locate the jump as well as a dense scan
    pt = operating_point(0.3, 0.642857)
    bins = 8
    r = proxy_route(pt, grid=16, classical_bins=bins, models=("classical",))
    pure, mixed = _brute_values(_dense_classical(pt, bins, np.arange(1, 2000) * DENSE_STEP), pt.W_limit)
    c = r.classical
    assert -2e-6 <= pure - c.p_split <= DENSE_TOL
    assert c.p_split_mixed is not None and -2e-6 <= mixed - c.p_split_mixed <= DENSE_TOL


# --------------------------------------------------------------------------- the route


def test_proxy_is_feasible_and_no_better_than_exact() -> None:
    pt = operating_point(0.6, 1.65)
    r = proxy_route(pt, grid=8, quantum_bins=8, classical_bins=8)
    for choice, model in ((r.classical, "classical"), (r.quantum, "quantum")):
        assert choice.W_q <= pt.W_limit
        exact = solve_class(pt, model).p_split
        # the exact route optimises over every strategy of the class: the proxy's choice is one of them
        assert choice.p_split >= exact - 1e-9
        # mixing two evaluated strategies can only help, and is still a strategy of the class
        assert choice.p_split_mixed is not None and exact - 1e-9 <= choice.p_split_mixed <= choice.p_split
        assert math.isclose(sum(w for w, *_ in choice.mixture), 1.0, abs_tol=1e-15)
        assert sum(w * p for w, _, p, _ in choice.mixture) == pytest.approx(choice.p_split_mixed, abs=1e-12)
        assert sum(w * wq for w, _, _, wq in choice.mixture) <= pt.W_limit + 1e-12


def test_proxy_always_bunch() -> None:
    r = proxy_route(operating_point(0.6, 3.0), grid=3)
    assert r.classical.p_split == 0.0 and r.quantum.p_split == 0.0
    assert r.classical.p_split_mixed == 0.0 and r.quantum.p_split_mixed == 0.0


@pytest.mark.parametrize(("kw", "msg"), [({"grid": 1}, "grid"), ({"delta": 0.0}, "delta"), ({"tol_C": 0.5}, "tol_C"), ({"quantum_bins": 1}, "quantum_bins"), ({"models": "quantum"}, "models")])
def test_proxy_bad_settings(kw: dict, msg: str) -> None:
    with pytest.raises(BoundsParameterError, match=msg):
        proxy_route(operating_point(0.6, 1.65), **kw)


def test_proxy_at_the_always_split_wait() -> None:
    # W_limit at the always-split waiting time (and rounding below it): only always split meets it
    base = operating_point(0.6, 2.0)
    for wl in (base.W_split, base.W_split * (1 - 4e-16)):
        r = proxy_route(operating_point(0.6, wl), grid=4)
        for c in (r.classical, r.quantum):
            assert c.p_split == 1.0 and c.p_split_mixed == 1.0 and c.W_q == base.W_split
