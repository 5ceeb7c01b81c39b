"""Checker of ``classical-dp`` certificates: an upper bound on the continuum classical value.

The certificate is the leaf list of a branch over the lattice end point ``j``
of the one-dimensional programme of :mod:`bounds.classical_continuum`.  This
checker rebuilds every bin reward from the exact game (rationals; the one
logarithm per bin in python-flint ``arb``), rounds it *up* to an integer
number of ``2^-S`` units and re-solves every leaf by an integer max-plus
recursion (exact).  It never reads the solver's rewards or tables.

Rounding: rewards are evaluated in IEEE-754 double precision from enclosed
constants; each evaluation carries an explicit bound on its rounding error
(``u = 2^-53`` per operation, standard model), added before rounding up.
Everything after that is integer arithmetic.

Lemmas (see the module docstring of :mod:`bounds.classical_continuum`):
best response reduces the value to the path functional ``J``; ``Psi``
bounds ``J`` through bin averages; orthant convexity puts the maximum of
``Psi`` at ``hb in {-1, 0, 1}^n``, ``tau = +-(1 - X)``; the sign flip fixes
``tau = +(1 - X)``.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np

from proofs.arithmetic import float_down, float_up, parse_fraction
from proofs.bound import Bound, Target, _issue
from proofs.errors import CertificateError, CertificateFormatError

__all__ = ["check_dp"]

_U = 2.0**-53
_NEG = -(1 << 62)


def _encl(x: Fraction) -> tuple[float, float]:
    """(mid, radius) with ``|x - mid| <= radius``."""
    m = float(x)
    return m, max(abs(float_up(x) - m), abs(m - float_down(x)))


def _constants(kind: str, p: Fraction, n: int):  # noqa: ANN202
    """Per-bin enclosures of D*W_k, T*W_k, 2*W1_k (mid, rad arrays) and upper wmax_k D^2, wmax_k."""
    from flint import arb, ctx

    if kind == "hyperbolic":
        C = p
        X, T = 1 - C, C
    else:
        X, T = p, 1 - p
    D = X / n
    out = {k: (np.empty(n), np.empty(n)) for k in ("a", "b", "c")}
    e_up = np.empty(n)
    wm_up = np.empty(n)
    old = ctx.prec
    ctx.prec = 128
    try:
        for k in range(n):
            x0, x1 = k * D, (k + 1) * D
            if kind == "hyperbolic":
                W = C / (1 - x1) - C / (1 - x0)
                wm = C / (1 - x1) ** 2
                # W1 = int (x - x0) w = C[1/(1-x) + ln(1-x)] from x0 to x1, minus x0 W
                rat = W - x0 * W
                r = (1 - x1) / (1 - x0)
                ball = arb(rat.numerator) / arb(rat.denominator) + arb(C.numerator) / arb(C.denominator) * (arb(r.numerator) / arb(r.denominator)).log()
                lo, hi = float_down(float_down(ball.lower())), float_up(float_up(ball.upper()))
                c_mid = float(2 * (lo + hi) / 2) if math.isfinite(lo) else math.nan
                c_rad = 2 * max(hi - (lo + hi) / 2, (lo + hi) / 2 - lo) * (1 + 4 * _U) + 4 * _U * abs(c_mid)
                out["c"][0][k], out["c"][1][k] = c_mid, c_rad
            else:
                W = D
                wm = Fraction(1)
                out["c"][0][k], out["c"][1][k] = _encl(D * D)  # 2 * D^2 / 2
            out["a"][0][k], out["a"][1][k] = _encl(D * W)
            out["b"][0][k], out["b"][1][k] = _encl(T * W)
            e_up[k] = float_up(wm * D * D)
            wm_up[k] = float_up(wm)
    finally:
        ctx.prec = old
    return X, T, D, out, e_up, wm_up


def _units(kind: str, p: Fraction, n: int, S: int) -> tuple[np.ndarray, Fraction, Fraction, Fraction]:
    """Integer upper bounds ``U[k, q + 3n, d + 1]`` of the bin rewards, in units ``2^-S``."""
    X, T, D, cst, e_up, wm_up = _constants(kind, p, n)
    q = np.arange(-3 * n, 3 * n + 1, dtype=np.int64)
    qf = q.astype(float)
    # exact signs of f = q D - T  <=>  sign(q X - n T)
    num = q.astype(object) * (X.numerator * T.denominator) - n * T.numerator * X.denominator
    sgn = np.sign(num.astype(float)).astype(np.int64)
    am, ar = (v[:, None] for v in cst["a"])
    bm, br = (v[:, None] for v in cst["b"])
    cm, cr = (v[:, None] for v in cst["c"])
    Dm, Dr = _encl(D)
    Tm, Tr = _encl(T)
    fm = qf * Dm - Tm
    f_up = np.abs(fm) + (np.abs(qf) * Dr + Tr + 3 * _U * (np.abs(qf) * Dm + Tm)) * (1 + 8 * _U)
    scale = 2.0**S
    U = np.empty((n, q.size, 3), dtype=np.int64)
    t0 = qf[None, :] * am - bm
    e0 = np.abs(qf)[None, :] * ar + br + 4 * _U * (np.abs(qf)[None, :] * np.abs(am) + np.abs(bm))
    r0 = (np.abs(t0) + e0 * (1 + 8 * _U) + e_up[:, None]) * (1 + 4 * _U)
    U[:, :, 1] = np.ceil(r0 * scale).astype(np.int64)
    for d in (-1, 1):
        sh = np.clip(np.arange(q.size) + 2 * d, 0, q.size - 1)
        same = (sgn * sgn[sh]) >= 0
        t = t0 + d * cm
        e = e0 + cr + 4 * _U * (np.abs(t0) + np.abs(cm))
        mom = (np.abs(t) + e * (1 + 8 * _U)) * (1 + 4 * _U)
        tri = wm_up[:, None] * ((f_up**2 + f_up[sh] ** 2) / 4)[None, :] * (1 + 8 * _U)
        U[:, :, d + 1] = np.ceil(np.where(same[None, :], mom, tri) * scale).astype(np.int64)
    if not np.all(np.isfinite(r0)):
        raise CertificateError("a bin reward is not finite")
    return U, X, T, D


def _leaves(U: np.ndarray, n: int, js: np.ndarray) -> np.ndarray:
    M = 2 * n + 1
    m = np.arange(M) - n
    V = np.full((js.size, M), _NEG, dtype=np.int64)
    V[:, n] = 0
    for k in range(n):
        best = np.full_like(V, _NEG)
        for d in (-1, 0, 1):
            src = np.full_like(V, _NEG)
            if d == 1:
                src[:, 1:] = V[:, :-1]
            elif d == -1:
                src[:, :-1] = V[:, 1:]
            else:
                src = V
            qi = np.clip(2 * (m[None, :] - d) - js[:, None] + 3 * n, 0, 6 * n)
            cand = np.where(src > _NEG // 2, src + U[k, qi, d + 1], _NEG)
            best = np.maximum(best, cand)
        V = best
    return V[np.arange(js.size), js + n]


def check_dp(cert: dict[str, Any], source: str) -> Bound:
    """Upper bound on the continuum classical value from a ``classical-dp`` certificate."""
    game = cert.get("game")
    if not isinstance(game, dict):
        raise CertificateFormatError("certificate needs a 'game' object")
    bd = game.get("boundary", game)
    kind = bd.get("kind")
    if kind == "hyperbolic":
        p = parse_fraction(bd.get("C"), "C")
        if not 0 < p < 1:
            raise CertificateFormatError(f"`C` must lie in (0, 1); got {p}")
    elif kind == "linear":
        p = parse_fraction(bd.get("s", 1), "s")
        if not 0 < p <= 1:
            raise CertificateFormatError(f"`s` must lie in (0, 1] for the continuum programme; got {p}")
    else:
        raise CertificateFormatError(f"game kind must be 'hyperbolic' or 'linear'; got {kind!r}")
    n = cert.get("bins")
    S = cert.get("scale_bits")
    if isinstance(n, bool) or not isinstance(n, int) or not 2 <= n <= 20000:
        raise CertificateFormatError(f"'bins' must be an integer in [2, 20000]; got {n!r}")
    if isinstance(S, bool) or not isinstance(S, int) or not 20 <= S <= 52:
        raise CertificateFormatError(f"'scale_bits' must be an integer in [20, 52]; got {S!r}")
    value = parse_fraction(cert.get("value"), "value")
    leaves = cert.get("leaves")
    if not isinstance(leaves, list) or not all(isinstance(x, dict) and isinstance(x.get("j"), int) and isinstance(x.get("bound_units"), int) for x in leaves):
        raise CertificateFormatError("'leaves' must be a list of {'j': int, 'bound_units': int}")
    U, _X, T, D = _units(kind, p, n, S)
    if parse_fraction(cert.get("tau"), "tau") != T:
        raise CertificateError(f"'tau' must be the tail mass 1 - X = {T}; got {cert.get('tau')!r}")
    need = list(range(-n, n + 1)) if T > 0 else list(range(0, n + 1))
    claimed = {x["j"]: x["bound_units"] for x in leaves}
    if len(claimed) != len(leaves) or set(claimed) != set(need):
        raise CertificateError(f"leaves must cover j = {need[0]}, ..., {n} exactly once; missing {sorted(set(need) - set(claimed))[:5]}")
    js = np.array(need, dtype=np.int64)
    Z = T  # measure of {a : phi(a) = 0} equals the tail mass for both families
    got = _leaves(U, n, js)
    for j, u in zip(js, got):
        K = int(j) * D + T
        tail = Z * abs(K) * 2**S
        tot = int(u) + -((-tail.numerator) // tail.denominator)
        if tot > claimed[int(j)]:
            raise CertificateError(f"leaf j = {int(j)}: recomputed bound {tot} exceeds the claimed {claimed[int(j)]} units")
    implied = Fraction(1, 2) + Fraction(max(claimed.values()), 2 ** (S + 1))
    if value < implied:
        raise CertificateError(f"claimed value {float(value)!r} is below the largest leaf bound {float(implied)!r}")
    restrict = cert.get("restrict_to_N")
    if restrict is not None and (isinstance(restrict, bool) or not isinstance(restrict, int) or restrict < 1):
        raise CertificateFormatError(f"'restrict_to_N' must be a positive integer; got {restrict!r}")
    name = "check_classical_dp.check_dp (1-D reduction, orthant convexity, integer DP per leaf j)"
    if restrict is not None:
        name += f"; lifted to N = {restrict}: N-bin strategies are continuum strategies"
    return _issue("upper", value, Target(game, restrict, "classical"), source, name, leaves=len(leaves), bins=n)
