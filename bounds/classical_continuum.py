"""Certified bracket of the *continuum* classical value by a one-dimensional dynamic programme.

Reduction
---------
For a monotone boundary ``b <= phi(a)`` and any ``h``, player A's best response
is ``g(a) = sign(2 H(phi(a)) - K)`` with ``H(x) = integral_0^x h``, ``K = H(1)``,
so the classical correlation value is the supremum of

    J(H) = integral_0^X w(x) |2 H(x) - K| dx + Z |K|,

over 1-Lipschitz paths ``H`` with ``H(0) = 0``, where ``x = phi(a)``,
``X = phi(0)``, ``w = |d alpha / dx|`` (``alpha = phi^-1``), ``Z`` is the measure
of ``{a : phi(a) = 0}`` and ``K = H(X) + tau`` with ``|tau| <= 1 - X`` (the
integral of ``h`` beyond ``X``).  For the paper's game (``s = -ln(1 - a)``) this is
the hint's control problem: ``X = 1 - C``, ``w = C / (1 - x)^2``, ``Z = 1 - X = C``.

Upper bound (lemma "orthant convexity")
---------------------------------------
Cut ``[0, X]`` into ``n`` bins of width ``D``; let ``hb_k`` be the average of
``h`` on bin ``k`` and ``Hb`` the piecewise-linear path through ``H(x_k)``.
On bin ``k``, ``H - Hb`` vanishes at the bin ends and has slope in
``[-1 - hb_k, 1 - hb_k]``, so on each interval where it keeps a sign it lies
under a triangle of area ``(length^2)(1 - hb_k^2)/4``; hence
``integral_bin |H - Hb| <= D^2 (1 - hb_k^2)/4 <= D^2 (1 - |hb_k|)/2`` and

    J(H) <= Psi(hb, tau) = integral w |2 Hb - K| + Z |K| + sum_k wmax_k D^2 (1 - |hb_k|).

``Psi`` is convex on each orthant of ``(hb, tau)`` (the penalty is linear
there), hence its maximum over the box is attained at a vertex: ``hb_k in
{-1, 0, 1}`` and ``tau = +-(1 - X)``.  The sign flip ``h -> -h`` lets us fix
``tau = +(1 - X)``.  So the maximum over lattice paths ``y_k = m_k D`` with steps
``-1, 0, +1`` of the bin rewards (exact moments of ``w`` when ``2 Hb - K``
keeps its sign on the bin, ``wmax * integral |f|`` otherwise) bounds the
continuum value.  We branch on the end point ``m_n = j`` (which fixes ``K``) and
solve each leaf by dynamic programming; the certificate lists the leaves.

Lower bound
-----------
The DP's best path (zero steps replaced by a ``+1, -1`` zigzag) with A's exact
best response, written as a threshold strategy with rational switch points and
evaluated exactly by :func:`proofs.checkers.classical.check_threshold`.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bounds.classical_certificates import dp_certificate, threshold_certificate
from bounds.errors import BoundsParameterError, check_int
from bounds.result import SolverResult, SolveStatus
from proofs.exact import Hyperbolic, Linear, exact_game

__all__ = ["ContinuumClassical", "continuum_classical", "reduced_game"]

SCALE_BITS = 50  # leaf bounds are stored in units of 2^-50 of correlation


@dataclass(frozen=True)
class ReducedGame:
    """Exact data of the 1-D reduction: ``X``, tail ``T = 1 - X``, ``Z`` and the weight ``w``."""

    kind: str
    param: Fraction
    X: Fraction
    T: Fraction
    Z: Fraction

    def alpha(self, x: Fraction) -> Fraction:
        """``a`` with ``phi(a) = x`` for ``x`` in ``[0, X]``."""
        return 1 - self.param / (1 - x) if self.kind == "hyperbolic" else self.param - x

    def w(self, x: Fraction) -> Fraction:
        return self.param / (1 - x) ** 2 if self.kind == "hyperbolic" else Fraction(1)

    def moments(self, n: int) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
        """Float ``W_k = int w``, ``W1_k = int (x - x_k) w`` and ``wmax_k`` on the n bins."""
        e = np.array([float(self.X * k / n) for k in range(n + 1)])
        if self.kind == "linear":
            d = float(self.X / n)
            return np.full(n, d), np.full(n, d * d / 2), np.ones(n)
        C = float(self.param)
        prim0 = C / (1 - e)
        W = np.diff(prim0)
        prim1 = C * (1 / (1 - e) + np.log1p(-e))
        W1 = np.diff(prim1) - e[:-1] * W
        return W, W1, C / (1 - e[1:]) ** 2


def reduced_game(game: Any) -> ReducedGame:
    """The 1-D reduction of a hyperbolic or linear (``s <= 1``) game.

    >>> from games import paper_game
    >>> r = reduced_game(paper_game(0.33))
    >>> r.X, r.T, r.Z
    (Fraction(67, 100), Fraction(33, 100), Fraction(33, 100))
    """
    desc = exact_game(game)
    if isinstance(desc, Hyperbolic):
        C = desc.C
        return ReducedGame("hyperbolic", C, 1 - C, C, C)
    if not isinstance(desc, Linear):
        raise BoundsParameterError(f"the continuum programme supports the hyperbolic and linear games; got {desc.name!r}")
    s = desc.s
    if s > 1:
        raise BoundsParameterError(f"the continuum programme supports linear boundaries with `s` in (0, 1]; got {s}")
    return ReducedGame("linear", s, s, 1 - s, 1 - s)


def rewards(red: ReducedGame, n: int) -> NDArray[np.float64]:
    """Float bin rewards ``R[k, q + 3n, d + 1]`` for ``f0 = q D - tau`` (``tau = T``), step ``d``."""
    W, W1, wm = red.moments(n)
    D = float(red.X / n)
    tau = float(red.T)
    q = np.arange(-3 * n, 3 * n + 1)
    # exact sign of f0 = q D - tau = (q X - n T) / n
    sgn0 = _exact_signs(red, n, q)
    f0 = q * D - tau
    R = np.empty((n, q.size, 3))
    R[:, :, 1] = np.abs(f0)[None, :] * W[:, None] + wm[:, None] * D * D
    for d in (-1, 1):
        sgn1 = _exact_signs(red, n, q + 2 * d)
        f1 = f0 + 2 * d * D
        same = (sgn0 * sgn1) >= 0
        mom = np.abs(f0[None, :] * W[:, None] + 2 * d * W1[:, None])
        tri = wm[:, None] * (f0**2 + f1**2)[None, :] / 4
        R[:, :, d + 1] = np.where(same[None, :], mom, tri)
    return R


def _exact_signs(red: ReducedGame, n: int, q: NDArray[np.int64]) -> NDArray[np.int64]:
    X, T = red.X, red.T
    num = q.astype(object) * (X.numerator * T.denominator) - n * T.numerator * X.denominator
    return np.sign(num.astype(float)).astype(np.int64)


def _dp(R: NDArray[np.float64], n: int, js: NDArray[np.int64], keep: bool = False):  # noqa: ANN202
    """Forward DP over lattice paths for end points ``js``; ``V[j, m]``, ``m in [-n, n]``."""
    M = 2 * n + 1
    V = np.full((js.size, M), -np.inf)
    V[:, n] = 0.0
    m = np.arange(M) - n
    choice: list[NDArray[np.int8]] = []
    from games.progress import progress

    for k in progress(range(n), label=f"classical DP ({js.size} leaves)") if js.size * n * n > 5e7 else range(n):
        best = np.full_like(V, -np.inf)
        arg = np.zeros(V.shape, dtype=np.int8)
        for d in (-1, 0, 1):
            src = np.full_like(V, -np.inf)
            if d == 1:
                src[:, 1:] = V[:, :-1]
            elif d == -1:
                src[:, :-1] = V[:, 1:]
            else:
                src = V
            qi = 2 * (m[None, :] - d) - js[:, None] + 3 * n
            qi = np.clip(qi, 0, 6 * n)
            cand = src + R[k, qi, d + 1]
            better = cand > best
            best = np.where(better, cand, best)
            arg = np.where(better, d, arg).astype(np.int8)
        V = best
        if keep:  # O(N^2) int8 codes, only when the path is wanted
            choice.append(arg)
    return V, choice


@dataclass(frozen=True, eq=False)
class ContinuumClassical(SolverResult):
    """Candidate certified bracket of the continuum classical value (checked in :mod:`proofs`).

    ``upper_estimate`` and ``lower_estimate`` are the solver's floats (winning
    probabilities); only the checked certificates are bounds
    (:func:`proofs.certify.classical.classical_bracket`).  The
    :class:`bounds.result.SolverResult` provenance has ``status`` ``exact``
    (a finished dynamic programme).
    """

    game: dict[str, Any]
    bins: int
    upper_estimate: float
    lower_estimate: float
    K: float
    a_switches: tuple[float, ...]
    b_switches: tuple[float, ...]
    certificates: dict[str, dict[str, Any]] = field(repr=False)


#: smallest C of the paper's game the programme takes: its rewards grow like 1/C; below about 1e-14 they do not
#: fit the checker's integer programme, below about 1e-17 the float programme overflows
CONTINUUM_C_MIN = 1e-12


def continuum_classical(game: Any, bins: int = 200) -> ContinuumClassical:
    """Upper-bound certificate (DP over ``bins`` bins) and a lower-bound strategy for the continuum.

    Examples
    --------
    >>> from games import linear_boundary_game
    >>> r = continuum_classical(linear_boundary_game(), bins=20)
    >>> r.lower_estimate <= 0.75 <= r.upper_estimate, r.upper_estimate - r.lower_estimate < 1e-2
    (True, True)
    """
    bins = check_int("bins", bins, low=2, high=20000)
    C = getattr(getattr(game, "boundary", None), "C", None)
    if isinstance(C, float) and C < CONTINUUM_C_MIN:
        raise BoundsParameterError(f"`C` of the game must be at least {CONTINUUM_C_MIN:g} for the continuum classical programme "
                                   f"(its rewards grow like 1/C); got {C!r}")
    red = reduced_game(game)
    start = time.perf_counter()
    n = bins
    R = rewards(red, n)
    js = np.arange(-n, n + 1) if red.T > 0 else np.arange(0, n + 1)
    V, _ = _dp(R, n, js)
    D = red.X / n
    Ks = [j * D + red.T for j in js.tolist()]
    leaf = V[np.arange(js.size), js + n] + np.array([float(red.Z * abs(K)) for K in Ks])
    jb = int(js[int(np.argmax(leaf))])
    upper_corr = float(leaf.max())
    # fewer scale bits when rewards are large (small C): the checker's integer programme must stay below 2^62
    S = min(SCALE_BITS, 60 - math.ceil(math.log2(2.0 * (n + 1) * max(float(R.max()), 1e-300))))
    if S < 20:
        raise BoundsParameterError(f"the continuum programme's rewards are too large for an integer certificate at bins = {n} (largest {float(R.max()):.3g})")
    # margin for the checker's outward rounding: 1e-12, scaled up with the rewards when S had to shrink
    # (and a relative 1e-6 when rewards are that large: the floats then lose digits the checker does not)
    rel = 1e-6 if S < SCALE_BITS else 0.0
    units = [math.ceil((v + 1e-12 * 2.0 ** (SCALE_BITS - S) + rel * abs(v)) * 2.0**S) for v in leaf]
    a_sw, b_sw, a0, Kb, b0 = _strategy(red, R, n, jb)
    lcert = threshold_certificate(game, a_sw, b_sw, a0, b0)
    from games.strategies import ThresholdStrategy

    lower = ThresholdStrategy(tuple(float(x) for x in a_sw), tuple(float(x) for x in b_sw), a0, b0).win_probability(game) if hasattr(game, "rule") else float("nan")
    value = Fraction(1, 2) + Fraction(max(units), 2 ** (S + 1))
    ucert = dp_certificate(game, n, red.T, value, S, list(zip(js.tolist(), units)))
    return ContinuumClassical(
        exact_game(game).describe(), n, 0.5 + 0.5 * upper_corr, lower, float(Kb), tuple(float(x) for x in a_sw), tuple(float(x) for x in b_sw),
        {"upper": ucert, "lower": lcert},
        status=SolveStatus.EXACT, message=f"1-D dynamic programme over {n} bins, {js.size} end points", seconds=time.perf_counter() - start,
        parameters={"bins": n},
    )


def _strategy(red: ReducedGame, R: NDArray[np.float64], n: int, j: int):  # noqa: ANN202
    """Threshold strategy from the best path ending at ``j``, polished (rational switch points)."""
    _, choice = _dp(R, n, np.array([j]), keep=True)
    m = j
    steps = []
    for k in range(n - 1, -1, -1):
        d = int(choice[k][0, m + n])
        steps.append(d)
        m -= d
    steps.reverse()
    D = red.X / n
    K = j * D + red.T
    # h on [0, 1] as (start, end, sign) pieces; zero steps zigzag away from K/2
    pieces: list[tuple[Fraction, Fraction, int]] = []
    y = Fraction(0)
    for k, d in enumerate(steps):
        x0, x1 = k * D, (k + 1) * D
        if d != 0:
            pieces.append((x0, x1, d))
        else:
            first = 1 if 2 * y - K >= 0 else -1
            pieces += [(x0, x0 + D / 2, first), (x0 + D / 2, x1, -first)]
        y += d * D
    if red.T > 0:
        pieces.append((red.X, Fraction(1), 1))
    b_sw, b_start = _switches(pieces)
    # zero steps leave zigzag pairs of switches one bin apart; also try without each pair
    cands = [b_sw] + [b_sw[:i] + b_sw[i + 2 :] for i in range(len(b_sw) - 1) if b_sw[i + 1] - b_sw[i] <= D]
    best = None
    for cand in cands:
        sw, st = _switches(_pieces(_polish(red, cand, b_start), b_start)) if cand else ([], b_start)
        v = _value(red, np.array([float(x) for x in sw]), st)
        if best is None or v > best[0] + 1e-15:
            best = (v, sw, st)
    assert best is not None  # cands holds at least b_sw
    _, b_sw, b_start = best
    return (*_threshold(red, b_sw, b_start), b_start)


def _pieces(b_sw: list[Fraction], b_start: int) -> list[tuple[Fraction, Fraction, int]]:
    e = [Fraction(0), *b_sw, Fraction(1)]
    return [(e[k], e[k + 1], b_start * (-1) ** k) for k in range(len(e) - 1) if e[k + 1] > e[k]]


def _path(red: ReducedGame, b_sw: list, b_start: int):  # noqa: ANN202
    """Breakpoints ``xs`` of ``H`` on ``[0, X]``, values ``Hs`` and ``K = H(1)`` (exact if given Fractions)."""
    xs, Hs = [0 * red.X], [0 * red.X]
    K = 0 * red.X
    for x0, x1, s in _pieces(b_sw, b_start) if isinstance(b_sw[0] if b_sw else Fraction(0), Fraction) else _fpieces(b_sw, b_start):
        K += s * (x1 - x0)
        if x0 < red.X:
            top = min(x1, red.X)
            xs.append(top)
            Hs.append(Hs[-1] + s * (top - x0))
    return xs, Hs, K


def _fpieces(b_sw, b_start):  # noqa: ANN001, ANN202
    e = [0.0, *b_sw, 1.0]
    return [(e[k], e[k + 1], b_start * (-1) ** k) for k in range(len(e) - 1) if e[k + 1] > e[k]]


def _threshold(red: ReducedGame, b_sw: list[Fraction], b_start: int):  # noqa: ANN202
    """A's exact best response to the step strategy ``h``: rational switch points, start sign, ``K``."""
    xs, Hs, K = _path(red, b_sw, b_start)
    F = [2 * h_ - K for h_ in Hs]
    xpieces: list[tuple[Fraction, Fraction, int]] = []
    for (x0, f0), (x1, f1) in zip(zip(xs, F), zip(xs[1:], F[1:])):
        if f0 * f1 < 0:
            r = x0 + f0 * (x1 - x0) / (f0 - f1)
            xpieces += [(x0, r, 1 if f0 > 0 else -1), (r, x1, 1 if f1 > 0 else -1)]
        elif x1 > x0:
            xpieces.append((x0, x1, 1 if f0 + f1 > 0 else -1))
    # a = alpha(x) reverses the order; a beyond alpha(0) has phi = 0, sign(-K)
    apieces = [(red.alpha(x1), red.alpha(x0), s) for x0, x1, s in reversed(xpieces)]
    if red.Z > 0:
        apieces.append((red.alpha(Fraction(0)), Fraction(1), -1 if K > 0 else 1))
    a_sw, a_start = _switches(apieces)
    return a_sw, b_sw, a_start, K


def _value(red: ReducedGame, b_sw: NDArray[np.float64], b_start: int) -> float:
    """Float correlation of ``h`` (switches ``b_sw``) against its best response."""
    xs, Hs, K = _path(red, sorted(float(x) for x in np.clip(b_sw, 0.0, 1.0)), b_start)
    C = float(red.param)
    tot = float(red.Z) * abs(K)
    for x0, x1, h0, h1 in zip(xs, xs[1:], Hs, Hs[1:]):
        if x1 <= x0:
            continue
        f0, f1 = 2 * h0 - K, 2 * h1 - K
        cuts = [(x0, f0), (x1, f1)]
        if f0 * f1 < 0:
            r = x0 + f0 * (x1 - x0) / (f0 - f1)
            cuts = [(x0, f0), (r, 0.0), (x1, f1)]
        for (u0, g0), (u1, g1) in zip(cuts, cuts[1:]):
            beta = (g1 - g0) / (u1 - u0)
            al = g0 - beta * u0
            if red.kind == "linear":
                val = al * (u1 - u0) + beta * (u1 * u1 - u0 * u0) / 2
            else:
                P = lambda x: al * C / (1 - x) + beta * C * (1 / (1 - x) + math.log1p(-x))  # noqa: E731, B023 - used in this iteration only
                val = P(u1) - P(u0)
            tot += abs(val)
    return tot


def _polish(red: ReducedGame, b_sw: list[Fraction], b_start: int) -> list[Fraction]:
    """Move ``h``'s switch points continuously (Nelder-Mead); keep the result only if it is better."""
    if not b_sw:
        return b_sw
    from scipy.optimize import minimize

    x0 = np.array([float(x) for x in b_sw])
    base = _value(red, x0, b_start)
    res = minimize(lambda x: -_value(red, x, b_start), x0, method="Nelder-Mead", options={"xatol": 1e-12, "fatol": 1e-15, "maxiter": 4000})
    if -res.fun <= base:
        return b_sw
    new = sorted(Fraction(float(x)).limit_denominator(10**12) for x in np.clip(res.x, 0.0, 1.0))
    return new


def _switches(pieces: list[tuple[Fraction, Fraction, int]]) -> tuple[list[Fraction], int]:
    pieces = [p for p in pieces if p[1] > p[0]]  # empty pieces carry no sign
    sw = [p1[0] for p0, p1 in zip(pieces, pieces[1:]) if p0[2] != p1[2]]
    return sw, pieces[0][2]
