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
from collections.abc import Iterator
from fractions import Fraction
from typing import Any

import numpy as np

from proofs.checkers.bound import Bound, Target, _issue
from proofs.exact.certificate import certificate_header, field_int, field_list
from proofs.exact.errors import CertificateError, CertificateFormatError
from proofs.exact.games import Hyperbolic, Linear
from proofs.exact.rational import arb_fraction, float_down, float_up, parse_fraction, show_rational

__all__ = ["MAX_BINS", "check_dp", "reward_units"]

#: most bins of a ``classical-dp`` certificate: checking costs about bins^3.5 (200: ~3 s, 300: ~12 s,
#: 500: ~60 s, 2000: over 5 minutes on a loaded 2-core machine); producers write 120-300
MAX_BINS = 400

_U = 2.0**-53
_NEG = -(1 << 62)
#: every integer of the programme stays below this (int64 holds 2^63 - 1)
_UNIT_LIMIT = 1 << 62


def _encl(x: Fraction) -> tuple[float, float]:
    """(mid, radius) with ``|x - mid| <= radius``."""
    m = float(x)
    return m, max(abs(float_up(x) - m), abs(m - float_down(x)))


def _constants(kind: str, p: Fraction, n: int):  # noqa: ANN202
    """Per-bin enclosures of D*W_k, T*W_k, 2*W1_k (mid, rad arrays) and upper wmax_k D^2, wmax_k."""
    from flint import ctx

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
                ball = arb_fraction(rat) + arb_fraction(C) * arb_fraction(r).log()
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


def reward_units(kind: str, p: Fraction, n: int, S: int) -> Iterator[np.ndarray]:
    """Yield, bin by bin, integer upper bounds ``U[q + 3n, d + 1]`` of the rewards in units ``2^-S``.

    Every float is checked finite and below :data:`_UNIT_LIMIT` / ``n`` units
    *before* the conversion to int64, so a sum of ``n`` rewards cannot overflow.
    """
    X, T, D, cst, e_up, wm_up = _constants(kind, p, n)
    q = np.arange(-3 * n, 3 * n + 1, dtype=np.int64)
    qf = q.astype(float)
    # exact signs of f = q D - T  <=>  sign(q X - n T), in Python ints
    a_, b_ = X.numerator * T.denominator, n * T.numerator * X.denominator
    sgn = np.array([(v > 0) - (v < 0) for v in (int(k) * a_ - b_ for k in q.tolist())], dtype=np.int64)
    Dm, Dr = _encl(D)
    Tm, Tr = _encl(T)
    fm = qf * Dm - Tm
    f_up = np.abs(fm) + (np.abs(qf) * Dr + Tr + 3 * _U * (np.abs(qf) * Dm + Tm)) * (1 + 8 * _U)
    scale = 2.0**S
    limit = float(_UNIT_LIMIT // (n + 1))
    sh = {d: np.clip(np.arange(q.size) + 2 * d, 0, q.size - 1) for d in (-1, 1)}
    for k in range(n):
        am, ar = cst["a"][0][k], cst["a"][1][k]
        bm, br = cst["b"][0][k], cst["b"][1][k]
        cm, cr = cst["c"][0][k], cst["c"][1][k]
        U = np.empty((q.size, 3))
        t0 = qf * am - bm
        e0 = np.abs(qf) * ar + br + 4 * _U * (np.abs(qf) * abs(am) + abs(bm))
        U[:, 1] = (np.abs(t0) + e0 * (1 + 8 * _U) + e_up[k]) * (1 + 4 * _U)
        for d in (-1, 1):
            same = (sgn * sgn[sh[d]]) >= 0
            t = t0 + d * cm
            e = e0 + cr + 4 * _U * (np.abs(t0) + abs(cm))
            mom = (np.abs(t) + e * (1 + 8 * _U)) * (1 + 4 * _U)
            tri = wm_up[k] * ((f_up**2 + f_up[sh[d]] ** 2) / 4) * (1 + 8 * _U)
            U[:, d + 1] = np.where(same, mom, tri)
        U *= scale  # exact: a power of two (no overflow below 2^971)
        if not np.all(np.isfinite(U)) or float(U.max()) >= limit:
            raise CertificateError(
                f"bin {k}: a reward needs more than 2^62 / (bins + 1) units at scale_bits = {S}; "
                "the integer programme would overflow (use fewer scale bits)"
            )
        yield np.ceil(U).astype(np.int64)


def _leaves(units: Iterator[np.ndarray], n: int, js: np.ndarray) -> np.ndarray:
    M = 2 * n + 1
    m = np.arange(M) - n
    V = np.full((js.size, M), _NEG, dtype=np.int64)
    V[:, n] = 0
    for Uk in units:
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
            cand = np.where(src > _NEG // 2, src + Uk[qi, d + 1], _NEG)
            np.maximum(best, cand, out=best)
        V = best
    return V[np.arange(js.size), js + n]


def check_dp(cert: dict[str, Any], source: str) -> Bound:
    """Upper bound on the continuum classical value from a ``classical-dp`` certificate.

    ``N`` null bounds the continuum game; an integer ``N`` bounds the N-bin
    game too (every N-bin strategy is a continuum strategy).
    """
    hd = certificate_header(cert, "classical-dp", "upper")
    game = hd.game
    if isinstance(game, Hyperbolic):
        kind, p = "hyperbolic", game.C
    elif isinstance(game, Linear):
        kind, p = "linear", game.s
        if p > 1:
            raise CertificateFormatError(f"`s` must lie in (0, 1] for the continuum programme; got {p}")
    else:
        raise CertificateFormatError(f"'classical-dp' certificates support the hyperbolic and linear games; got {game.name!r}")
    n = field_int(cert, "bins", 2, MAX_BINS)
    S = field_int(cert, "scale_bits", 20, 52)
    X, T = (1 - p, p) if kind == "hyperbolic" else (p, 1 - p)
    if parse_fraction(cert.get("tau"), "tau") != T:
        raise CertificateError(f"'tau' must be the tail mass 1 - X = {T}; got {str(cert.get('tau'))[:40]!r}")
    need = list(range(-n, n + 1)) if T > 0 else list(range(0, n + 1))
    leaves = field_list(cert, "leaves", max_length=len(need))  # length bounded before anything is read
    if not all(isinstance(x, dict) and type(x.get("j")) is int and type(x.get("bound_units")) is int for x in leaves):
        raise CertificateFormatError("'leaves' must be a list of {'j': int, 'bound_units': int}")
    claimed = {x["j"]: x["bound_units"] for x in leaves}
    if len(leaves) != len(need) or set(claimed) != set(need):
        raise CertificateError(f"leaves must cover j = {need[0]}, ..., {n} exactly once; missing {sorted(set(need) - set(claimed))[:5]}")
    js = np.array(need, dtype=np.int64)
    D = X / n
    Z = T  # measure of {a : phi(a) = 0} equals the tail mass for both families
    got = _leaves(reward_units(kind, p, n, S), n, js)
    for j, u in zip(need, got.tolist()):
        tail = Z * abs(j * D + T) * 2**S  # K = j D + T; exact, rounded up below
        tot = u + -((-tail.numerator) // tail.denominator)
        if tot > claimed[j]:
            raise CertificateError(f"leaf j = {j}: recomputed bound {tot} exceeds the claimed {claimed[j]} units")
    implied = Fraction(1, 2) + Fraction(max(claimed.values()), 2 ** (S + 1))
    if hd.bound < implied:
        raise CertificateError(f"claimed bound {show_rational(hd.bound, 17)} is below the largest leaf bound {show_rational(implied, 17)}")
    name = "check_classical_dp.check_dp (1-D reduction, orthant convexity, integer DP per leaf j)"
    if hd.n is not None:
        name += f"; lifted to N = {hd.n}: N-bin strategies are continuum strategies"
    return _issue("upper", hd.bound, Target(game.describe(), hd.n, "classical"), source, name, proven=implied, leaves=len(leaves), bins=n)
