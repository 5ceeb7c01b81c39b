"""Checkers for classical-value certificates (kinds written by :mod:`bounds.classical_certificates`).

Each checker rebuilds what it needs from the exact game description and
never trusts the solver's numbers:

``classical-strategy`` (lower bound, N-bin target)
    ``g^T M h`` with ``M`` rebuilt by :func:`proofs.arithmetic.cell_enclosure`:
    full cells exactly, crossed cells as ``q + c ln r`` summed in arb.
``classical-threshold`` (lower bound, continuum target)
    the exact value of a continuum step strategy with rational switch points:
    bunch areas of rectangles as ``rational + C ln(rational)`` summed in arb.
``classical-bnb`` (upper bound, N-bin target)
    every leaf ``K`` of the branch-and-bound tree is re-solved by an
    independent integer dynamic programme over the chain of crossed cells
    (crossed cells rounded up to ``2^-S`` of a cell); the leaves must cover all
    ``K >= 0`` of the right parity (``K < 0`` by the sign-flip symmetry) and each
    recomputed leaf must not exceed its claimed bound.
``classical-dp`` (upper bound, continuum target; see :mod:`proofs.check_classical_dp`)

Lemmas used are named in the returned bound's ``checker`` string.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
from numba import njit, prange

from proofs.arithmetic import cell_enclosure, float_down, parse_fraction
from proofs.bound import Bound, Target, _issue
from proofs.errors import CertificateError, CertificateFormatError

__all__ = ["arb_sum", "check_bnb", "check_dp", "check_strategy", "check_threshold", "rect_bunch_area"]

_NEG = -(1 << 62)


# ------------------------------------------------------------------ helpers
def _game(cert: dict[str, Any]) -> dict[str, Any]:
    g = cert.get("game")
    if not isinstance(g, dict):
        raise CertificateFormatError("certificate needs a 'game' object with the exact boundary")
    bd = g.get("boundary", g)
    if bd.get("kind") not in ("hyperbolic", "linear", "sum-threshold"):
        raise CertificateFormatError(f"game kind must be 'hyperbolic', 'linear' or 'sum-threshold'; got {bd.get('kind')!r}")
    return g


def _n(cert: dict[str, Any]) -> int:
    n = cert.get("N")
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise CertificateFormatError(f"'N' must be a positive integer; got {n!r}")
    return n


def _signs(cert: dict[str, Any], name: str, n: int) -> np.ndarray:
    v = cert.get(name)
    if not isinstance(v, list) or len(v) != n or any(x not in (1, -1) or isinstance(x, bool) for x in v):
        raise CertificateFormatError(f"'{name}' must be a list of {n} entries +1/-1")
    return np.array(v, dtype=np.int64)


def _arb(q: Fraction):  # noqa: ANN202
    from flint import arb

    return arb(q.numerator) / arb(q.denominator)


def arb_sum(rational: Fraction, logs: list[tuple[Fraction, Fraction]]):  # noqa: ANN201
    """``rational + sum c ln r`` as an arb ball (128-bit working precision).

    >>> x = arb_sum(Fraction(1), [(Fraction(1), Fraction(1))])
    >>> x.contains(1)
    True
    """
    from flint import arb, ctx

    old = ctx.prec
    ctx.prec = 128
    try:
        tot = _arb(rational)
        for c, r in logs:
            if c != 0:
                if r <= 0:
                    raise CertificateError(f"log argument {r} is not positive")
                tot += _arb(c) * _arb(r).log()
        return tot + arb(0)
    finally:
        ctx.prec = old


def _win_lower(corr) -> Fraction:  # noqa: ANN001
    return Fraction(float_down(float_down(corr.lower()) / 2 + 0.5))


def rect_bunch_area(game: dict[str, Any], a0: Fraction, a1: Fraction, b0: Fraction, b1: Fraction) -> tuple[Fraction, Fraction, Fraction]:
    """Exact bunch area of ``[a0, a1] x [b0, b1]`` as ``(q, c, r)`` meaning ``q + c ln r``.

    >>> rect_bunch_area({"kind": "linear", "s": "1"}, Fraction(0), Fraction(1), Fraction(0), Fraction(1))
    (Fraction(1, 2), Fraction(0, 1), Fraction(1, 1))
    >>> q, c, r = rect_bunch_area({"kind": "hyperbolic", "C": "1/2"}, Fraction(0), Fraction(1), Fraction(0), Fraction(1))
    >>> round(float(q) + float(c) * __import__("math").log(r), 12)   # (1 - C) + C ln C
    0.15342640972
    """
    bd = game.get("boundary", game)
    if bd["kind"] == "hyperbolic":
        C = parse_fraction(bd["C"], "C")

        def alpha(y: Fraction) -> Fraction:  # sup {a : phi(a) >= y}
            return 1 - C / (1 - y) if y < 1 else Fraction(-1)

        x_lo = min(max(alpha(b1), a0), a1)
        x_hi = min(max(alpha(b0), a0), a1)
        # area = (b1 - b0)(x_lo - a0) + int_{x_lo}^{x_hi} (phi - b0), int phi = x + C ln(1 - x)
        q = (b1 - b0) * (x_lo - a0) + (1 - b0) * (x_hi - x_lo)
        if x_hi == x_lo:
            return q, Fraction(0), Fraction(1)
        return q, C, (1 - x_hi) / (1 - x_lo)
    s = parse_fraction(bd.get("s", 1), "s")
    pts = sorted({a0, a1, min(max(s - b1, a0), a1), min(max(s - b0, a0), a1)})
    f = lambda a: min(max(s - a, b0), b1) - b0  # noqa: E731 - linear on each piece
    return sum(((y - x) * (f(x) + f(y)) / 2 for x, y in zip(pts, pts[1:])), Fraction(0)), Fraction(0), Fraction(1)


# ------------------------------------------------------------ lower bounds
def check_strategy(cert: dict[str, Any], source: str) -> Bound:
    """Lower bound: the exact N-bin value of the step strategy ``(g, h)``."""
    game = _game(cert)
    n = _n(cert)
    g = _signs(cert, "g", n)
    h = _signs(cert, "h", n)
    enc = cell_enclosure(game, n)
    sgn = g[:, None] * h[None, :]
    full = enc.kind != 0
    rational = Fraction(int(np.sum(sgn[full] * enc.kind[full])), n * n)
    logs = []
    for (i, j), (q, c, r) in enc.crossed_exact.items():
        s = int(sgn[i, j])
        rational += s * q
        logs.append((s * c, r))
    for i, j in zip(*np.nonzero(enc.kind == 0)):  # crossed cells without a closed form: their lower enclosure
        if (int(i), int(j)) not in enc.crossed_exact:
            s = int(sgn[i, j])
            rational += Fraction(float(enc.lo[i, j])) if s > 0 else -Fraction(float(enc.hi[i, j]))
    corr = arb_sum(rational, logs)
    return _issue("lower", _win_lower(corr), Target(game, n, "classical"), source, "check_classical.check_strategy (exact value of a step strategy)")


def check_threshold(cert: dict[str, Any], source: str) -> Bound:
    """Lower bound on the continuum value: exact value of a strategy with rational switch points."""
    game = _game(cert)
    pieces = []
    for side in ("a", "b"):
        sw = cert.get(f"{side}_switches")
        st = cert.get(f"{side}_start")
        if not isinstance(sw, list) or st not in (1, -1):
            raise CertificateFormatError(f"'{side}_switches' must be a list and '{side}_start' +1 or -1")
        pts = [parse_fraction(x, f"{side}_switches") for x in sw]
        if any(not 0 <= x <= 1 for x in pts) or pts != sorted(pts):
            raise CertificateFormatError(f"'{side}_switches' must be non-decreasing rationals in [0, 1]")
        edges = [Fraction(0), *pts, Fraction(1)]
        pieces.append([(edges[k], edges[k + 1], st * (-1) ** k) for k in range(len(edges) - 1) if edges[k + 1] > edges[k]])
    rational = Fraction(0)
    logs = []
    for a0, a1, sa in pieces[0]:
        for b0, b1, sb in pieces[1]:
            q, c, r = rect_bunch_area(game, a0, a1, b0, b1)
            s = sa * sb
            # integral of the rule = 2 * bunch area - rectangle area
            rational += s * (2 * q - (a1 - a0) * (b1 - b0))
            logs.append((2 * s * c, r))
    corr = arb_sum(rational, logs)
    return _issue("lower", _win_lower(corr), Target(game, None, "classical"), source, "check_classical.check_threshold (exact value of a continuum step strategy)")


# ------------------------------------------------------------ upper bound (N-bin)
def _chain(kind: np.ndarray, lo: np.ndarray, hi: np.ndarray, S: int) -> tuple[list[tuple[int, int, int, int, int]], list[int]]:
    """Crossed cells in chain order as (row, col, type, pos, neg); rows without crossed cells."""
    n = kind.shape[0]
    scale = n * n * (1 << S)
    cells: list[tuple[int, int, int, int, int]] = []
    plain: list[int] = []
    for i in range(n):
        cr = np.nonzero(kind[i] == 0)[0]
        bunch = np.nonzero(kind[i] == 1)[0]
        lo_i = int(bunch.max()) + 1 if bunch.size else 0
        if cr.size == 0:
            if not (lo_i == n or lo_i == 0) or (lo_i == n and np.any(kind[i] != 1)) or (lo_i == 0 and np.any(kind[i] != -1)):
                raise CertificateError(f"row {i} is neither crossed nor uniform; the boundary is not monotone")
            plain.append(i)
            continue
        if not (cr[0] == lo_i and cr[-1] == lo_i + cr.size - 1 and np.all(kind[i, cr[-1] + 1 :] == -1) and np.all(kind[i, :lo_i] == 1)):
            raise CertificateError(f"row {i} is not bunch | crossed | split; the boundary is not monotone")
        for j in cr[::-1]:
            j = int(j)
            if not cells:
                typ = 0
            else:
                pi, pj = cells[-1][0], cells[-1][1]
                typ = {(0, -1): 1, (1, 0): 2, (1, -1): 3}.get((i - pi, j - pj), -1)
                if typ < 0:
                    raise CertificateError(f"crossed cells ({pi}, {pj}) and ({i}, {j}) are not adjacent along the boundary")
            up = Fraction(float(hi[i, j])) * scale
            dn = -Fraction(float(lo[i, j])) * scale
            cells.append((i, j, typ, -((-up.numerator) // up.denominator), -((-dn.numerator) // dn.denominator)))
    if plain and cells and not all(r < cells[0][0] or r > cells[-1][0] for r in plain):
        raise CertificateError("a uniform row lies between crossed rows")
    return cells, plain


def _leaf_bounds(cells: list, n_plain: int, n: int, Ks: np.ndarray, unit: int) -> np.ndarray:
    """Integer DP over the chain for every ``K``; state (P, g, h) with P = prefix sum of h."""
    arr = np.array([c[2:] for c in cells], dtype=np.int64)  # (type, pos, neg)
    return _leaf_bounds_kernel(arr, int(cells[0][1]), int(cells[-1][1]), n, Ks.astype(np.int64), unit, n_plain)


@njit(cache=True, parallel=True)
def _leaf_bounds_kernel(arr, j0, jl, n, Ks, unit, n_plain):  # noqa: ANN001, ANN202
    S = 2 * n + 1
    out = np.empty(Ks.size, dtype=np.int64)
    half = _NEG // 2
    for kk in prange(Ks.size):
        K = Ks[kk]
        V = np.full(4 * S, _NEG, dtype=np.int64)  # index ((p * 2) + g) * 2 + h
        for p in range(S):
            P = p - n
            if abs(P) > j0 or (P + j0) % 2 != 0:
                continue
            for h in (1, -1):
                R = K - P - h
                if abs(R) > n - 1 - j0 or (R + n - 1 - j0) % 2 != 0:
                    continue
                for g in (1, -1):
                    cv = arr[0, 1] if g * h > 0 else arr[0, 2]
                    V[(p * 2 + (1 - g) // 2) * 2 + (1 - h) // 2] = g * (P + h - K) * unit + cv
        for t in range(1, arr.shape[0]):
            typ, pos, neg = arr[t, 0], arr[t, 1], arr[t, 2]
            W = np.full(4 * S, _NEG, dtype=np.int64)
            for p in range(S):
                P = p - n
                for h in (1, -1):
                    hi = (1 - h) // 2
                    if typ == 1:
                        q = p + h  # previous prefix index, any previous h, same g
                        if q < 0 or q >= S:
                            continue
                        for g in (1, -1):
                            gi = (1 - g) // 2
                            b = max(V[(q * 2 + gi) * 2], V[(q * 2 + gi) * 2 + 1])
                            if b > half:
                                W[(p * 2 + gi) * 2 + hi] = b + (pos if g * h > 0 else neg)
                        continue
                    q = p if typ == 2 else p + h
                    if q < 0 or q >= S:
                        continue
                    Q = q - n
                    b = _NEG
                    for gp in (1, -1):
                        for hp in (1, -1):
                            if typ == 2 and hp != h:
                                continue
                            v = V[(q * 2 + (1 - gp) // 2) * 2 + (1 - hp) // 2]
                            if v > half:
                                b = max(b, v + gp * Q * unit)
                    if b <= half:
                        continue
                    for g in (1, -1):
                        W[(p * 2 + (1 - g) // 2) * 2 + hi] = b + g * (P + h - K) * unit + (pos if g * h > 0 else neg)
            V = W
        best = _NEG
        for p in range(S):
            P = p - n
            if abs(P) > jl or (P + jl) % 2 != 0:
                continue
            for g in (1, -1):
                for h in (1, -1):
                    v = V[(p * 2 + (1 - g) // 2) * 2 + (1 - h) // 2]
                    if v > half:
                        best = max(best, v + g * P * unit)
        out[kk] = best + n_plain * abs(K) * unit
    return out


def check_bnb(cert: dict[str, Any], source: str) -> Bound:
    """Upper bound on the N-bin classical value from a branch-and-bound tree over ``K``.

    Lemma: for fixed ``K = sum h`` the chain programme is exact (every term
    of ``g^T M h`` is a function of one chain cell's signs and the running prefix
    sum); rounding crossed cells up makes each leaf an upper bound; the sign
    flip ``(g, h) -> (-g, -h)`` covers ``K < 0``.
    """
    game = _game(cert)
    n = _n(cert)
    S = cert.get("scale_bits")
    if isinstance(S, bool) or not isinstance(S, int) or not 0 <= S <= 61 - (4 * n * n + 4 * n).bit_length():
        raise CertificateFormatError(f"'scale_bits' must be an integer in [0, {61 - (4 * n * n + 4 * n).bit_length()}]; got {S!r}")
    value = parse_fraction(cert.get("value"), "value")
    leaves = cert.get("leaves")
    if not isinstance(leaves, list) or not all(isinstance(x, dict) and isinstance(x.get("K"), int) and isinstance(x.get("bound_units"), int) for x in leaves):
        raise CertificateFormatError("'leaves' must be a list of {'K': int, 'bound_units': int}")
    claimed = {x["K"]: x["bound_units"] for x in leaves}
    need = set(range(n % 2, n + 1, 2))
    if len(claimed) != len(leaves) or set(claimed) != need:
        missing = sorted(need - set(claimed))[:5]
        raise CertificateError(f"leaves must cover K = {n % 2}, {n % 2 + 2}, ..., {n} exactly once; missing {missing}, extra {sorted(set(claimed) - need)[:5]}")
    enc = cell_enclosure(game, n)
    cells, plain = _chain(enc.kind, enc.lo, enc.hi, S)
    unit = 1 << S
    Ks = np.array(sorted(need), dtype=np.int64)
    got = _leaf_bounds(cells, len(plain), n, Ks, unit)
    for k, u in zip(Ks, got):
        if int(u) > claimed[int(k)]:
            raise CertificateError(f"leaf K = {int(k)}: recomputed bound {int(u)} exceeds the claimed {claimed[int(k)]} units")
    top = max(claimed.values())
    implied = Fraction(1, 2) + Fraction(top, 2 * n * n * unit)
    if value < implied:
        raise CertificateError(f"claimed value {float(value)!r} is below the largest leaf bound {float(implied)!r}")
    return _issue("upper", value, Target(game, n, "classical"), source, "check_classical.check_bnb (exact chain DP per leaf K; sign-flip symmetry)", leaves=len(leaves))


def check_dp(cert: dict[str, Any], source: str) -> Bound:
    """Upper bound on the continuum value (``classical-dp``); see :mod:`proofs.check_classical_dp`."""
    from proofs.check_classical_dp import check_dp as _check

    return _check(cert, source)
