"""Checkers for the quantum certificate kinds (see ``proofs/lemmas_quantum.md``).

``"tsirelson-dual"`` (:func:`check_tsirelson_dual`)
    Upper bound on the N-bin quantum value.  Lemma Q1 (weak duality) and
    lemma Q2 (enclosure margin): with ``lo <= M <= hi`` rebuilt from the
    exact game description (:func:`proofs.arithmetic.cell_enclosure`),
    midpoint ``Mc`` and radius ``r``, it suffices that
    ``Z' = [[diag(x'), -Mc/2], [-Mc^T/2, diag(y')]]`` is PSD where
    ``x'_i <= x_i - 1/2 sum_j r_ij`` and ``y'_j <= y_j - 1/2 sum_i r_ij``.
    PSD is proved exactly (rational LDL^T) for ``N <= 32`` and by Theorem V
    (verified Cholesky, :mod:`proofs.psd`) above.
``"tsirelson-dual-relaxed"`` (:func:`check_tsirelson_dual_relaxed`)
    Upper bound on the continuum quantum value (lemma Q3, crossed cells).
``"quantum-vectors"`` (:func:`check_quantum_vectors`)
    Lower bound: the value of an explicit strategy, enclosed with rigorous
    floating-point error bounds (lemma Q4).

No solver output is trusted: each checker recomputes every number it uses.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from proofs.arithmetic import CellEnclosure, cell_enclosure, float_down, parse_fraction
from proofs.bound import Bound, Target, _issue
from proofs.errors import CertificateError, CertificateFormatError
from proofs.psd import exact_psd, verified_psd

__all__ = [
    "EXACT_LIMIT",
    "check_quantum_vectors",
    "check_tsirelson_dual",
    "check_tsirelson_dual_relaxed",
    "relaxation_slack",
]

#: largest N whose dual matrix (2N x 2N) is tested exactly in rational arithmetic
EXACT_LIMIT = 32
_U = Fraction(1, 2**53)


def _gamma(k: int) -> Fraction:
    return k * _U / (1 - k * _U)


def _header(cert: dict[str, Any], kind: str) -> tuple[dict[str, Any], int]:
    if cert.get("kind") != kind:
        raise CertificateFormatError(f"certificate kind must be {kind!r}; got {cert.get('kind')!r}")
    game = cert.get("game")
    n = cert.get("N")
    if not isinstance(game, dict) or not isinstance(game.get("boundary", game), dict):
        raise CertificateFormatError("certificate field 'game' must be an exact game description (a JSON object)")
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise CertificateFormatError(f"certificate field 'N' must be a positive integer; got {n!r}")
    return game, n


def _vector(cert: dict[str, Any], key: str, n: int) -> tuple[NDArray[np.float64], list[Fraction]]:
    """Read a list of ``n`` rationals; return floats rounded *down* and the exact rationals."""
    raw = cert.get(key)
    if not isinstance(raw, list) or len(raw) != n:
        raise CertificateFormatError(f"certificate field {key!r} must be a list of N = {n} rationals")
    exact = [parse_fraction(t, f"{key}[{i}]") for i, t in enumerate(raw)]
    out = np.empty(n)
    for i, f in enumerate(exact):
        t = float(f)
        out[i] = t if Fraction(t) <= f else float_down(f)
    return out, exact


def _mid_radius(enc: CellEnclosure) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Float midpoint ``Mc`` and a float radius ``r`` with ``|M - Mc| <= r`` for every M in the enclosure."""
    mc = (enc.lo + enc.hi) / 2.0
    r = np.nextafter(np.maximum(enc.hi - mc, mc - enc.lo), np.inf)
    return mc, r


def _sum_up(a: NDArray[np.float64], axis: int) -> list[Fraction]:
    """Upper bounds on the sums of non-negative floats along ``axis`` (floating sum / (1 - gamma))."""
    k = a.shape[axis]
    g = _gamma(k)
    return [Fraction(float(s)) / (1 - g) for s in np.sum(a, axis=axis)]


def _dual_psd(mc: NDArray[np.float64], r: NDArray[np.float64], x: NDArray[np.float64], y: NDArray[np.float64]) -> str:
    """Prove ``Z(M) >= 0`` for every ``M`` in ``Mc +- r``; return the method name or raise."""
    from bounds.tsirelson import dual_matrix

    n = mc.shape[0]
    row = _sum_up(r, 1)
    col = _sum_up(r, 0)
    xp = np.array([float_down(Fraction(float(x[i])) - row[i] / 2) for i in range(n)])
    yp = np.array([float_down(Fraction(float(y[j])) - col[j] / 2) for j in range(n)])
    half = -0.5 * mc
    if not np.array_equal(half * -2.0, mc):
        raise CertificateError("M/2 is not exact in floating point (subnormal cell values); cannot verify")
    z = dual_matrix(mc, xp, yp)
    if n <= EXACT_LIMIT:
        res = exact_psd(z)
    else:
        res = verified_psd(z)
    if not res.ok:
        raise CertificateError(f"dual matrix Z is not proved positive semidefinite ({res.method}: {res.reason})")
    return res.method


def _dual_common(cert: dict[str, Any], kind: str) -> tuple[dict[str, Any], int, CellEnclosure, NDArray[np.float64], NDArray[np.float64], Fraction]:
    game, n = _header(cert, kind)
    x, _ = _vector(cert, "x", n)
    y, _ = _vector(cert, "y", n)
    enc = cell_enclosure(game, n)
    dual = sum((Fraction(float(t)) for t in x), Fraction(0)) + sum((Fraction(float(t)) for t in y), Fraction(0))
    claimed_dual = parse_fraction(cert.get("dual_value"), "dual_value")
    if claimed_dual < dual:
        raise CertificateError(f"field 'dual_value' ({float(claimed_dual):.12g}) is below sum(x) + sum(y) = {float(dual):.12g}")
    return game, n, enc, x, y, dual


def check_tsirelson_dual(cert: dict[str, Any], source: str) -> Bound:
    """Verify a ``"tsirelson-dual"`` certificate: N-bin quantum value ``<= upper``.

    >>> from proofs.errors import CertificateFormatError
    >>> try:
    ...     check_tsirelson_dual({"kind": "tsirelson-dual", "game": {}, "N": 0}, "x")
    ... except CertificateFormatError as e:
    ...     print(e)
    certificate field 'N' must be a positive integer; got 0
    """
    game, n, enc, x, y, dual = _dual_common(cert, "tsirelson-dual")
    mc, r = _mid_radius(enc)
    method = _dual_psd(mc, r, x, y)
    proven = Fraction(1, 2) + dual / 2
    claimed = parse_fraction(cert.get("upper"), "upper")
    if claimed < proven:
        raise CertificateError(f"claimed upper bound {float(claimed):.12g} is below what the dual proves ({float(proven):.12g})")
    return _issue(
        "upper", claimed, Target(game, n, "quantum"), source,
        f"proofs.check_quantum:check_tsirelson_dual (lemmas Q1-Q2, {method})", proven=proven, psd_method=method,
    )


def relaxation_slack(enc: CellEnclosure, relaxation: str | None) -> Fraction:
    """Exact upper bound on the crossed-cell slack of lemma Q3 (bias units).

    ``"zero"``: ``K / N^2`` for ``K`` crossed cells.  ``"mean"``:
    ``sum over crossed cells of (1 - N^4 M_ij^2) / N^2``, with ``M_ij^2``
    bounded below over the enclosure.

    >>> enc = cell_enclosure({"kind": "linear", "s": "1"}, 2)
    >>> relaxation_slack(enc, "zero"), relaxation_slack(enc, "mean")
    (Fraction(1, 2), Fraction(1, 2))
    """
    n = enc.n
    cells = list(zip(*np.nonzero(enc.kind == 0)))
    if relaxation == "zero":
        return Fraction(len(cells), n * n)
    if relaxation != "mean":
        raise CertificateFormatError(f"field 'relaxation' must be 'mean' or 'zero'; got {relaxation!r}")
    tot = Fraction(0)
    n2 = n * n
    for i, j in cells:
        lo, hi = Fraction(float(enc.lo[i, j])), Fraction(float(enc.hi[i, j]))
        m2 = Fraction(0) if lo <= 0 <= hi else min(lo * lo, hi * hi)
        tot += (1 - n2 * n2 * m2) / n2
    return tot


def check_tsirelson_dual_relaxed(cert: dict[str, Any], source: str) -> Bound:
    """Verify a ``"tsirelson-dual-relaxed"`` certificate: *continuum* quantum value ``<= upper`` (lemma Q3).

    >>> from fractions import Fraction
    >>> cert = {"kind": "tsirelson-dual-relaxed", "game": {"kind": "linear", "s": "1"}, "N": 2,
    ...         "x": ["1001/8000"] * 2, "y": ["1001/8000"] * 2, "dual_value": "1001/2000",
    ...         "relaxation": "zero", "upper": "4001/4000"}
    >>> b = check_tsirelson_dual_relaxed(cert, "demo")   # two crossed cells of area 1/4: slack 1/2
    >>> b.side, b.value, b.target.n, b.details["slack"]
    ('upper', Fraction(4001, 4000), None, Fraction(1, 2))
    """
    game, _n, enc, x, y, dual = _dual_common(cert, "tsirelson-dual-relaxed")
    relaxation = cert.get("relaxation")
    mc, r = _mid_radius(enc)
    if relaxation == "zero":
        crossed = enc.kind == 0
        mc = np.where(crossed, 0.0, mc)
        r = np.where(crossed, 0.0, r)
    slack = relaxation_slack(enc, relaxation)
    method = _dual_psd(mc, r, x, y)
    proven = Fraction(1, 2) + (dual + slack) / 2
    claimed = parse_fraction(cert.get("upper"), "upper")
    if claimed < proven:
        raise CertificateError(f"claimed upper bound {float(claimed):.12g} is below what the relaxed dual proves ({float(proven):.12g})")
    return _issue(
        "upper", claimed, Target(game, None, "quantum"), source,
        f"proofs.check_quantum:check_tsirelson_dual_relaxed (lemmas Q1-Q3, {relaxation}, {method})",
        proven=proven, slack=slack, psd_method=method,
    )


def _matrix(cert: dict[str, Any], key: str, n: int) -> NDArray[np.float64]:
    raw = cert.get(key)
    if not isinstance(raw, list) or len(raw) != n or not all(isinstance(row, list) for row in raw):
        raise CertificateFormatError(f"certificate field {key!r} must be a list of N = {n} vectors")
    d = len(raw[0]) if raw else 0
    if d == 0 or any(len(row) != d for row in raw):
        raise CertificateFormatError(f"rows of {key!r} must be non-empty and of equal length")
    return np.array([[float(parse_fraction(t, key)) for t in row] for row in raw])


def check_quantum_vectors(cert: dict[str, Any], source: str) -> Bound:
    """Verify a ``"quantum-vectors"`` certificate: the strategy's value is ``>= lower`` (lemma Q4).

    The vectors (floats, each read exactly) must have Euclidean norm at most
    1 in exact arithmetic; such vectors are realisable correlators.  The
    value ``1/2 + 1/2 sum M_ij <u_i, v_j>`` is enclosed with ``M`` from
    :func:`proofs.arithmetic.cell_enclosure` and a-priori bounds on every
    floating-point error (dot products ``gamma_d``, summation ``gamma_{2N+1}``).

    >>> cert = {"kind": "quantum-vectors", "game": {"kind": "linear", "s": "1"}, "N": 2,
    ...         "u": [["1", "0"], ["0", "1"]], "v": [["1", "0"], ["0", "-1"]], "lower": "749/1000"}
    >>> b = check_quantum_vectors(cert, "demo")
    >>> b.side, float(b.value), round(float(b.details["proven"]), 12)
    ('lower', 0.749, 0.75)
    """
    game, n = _header(cert, "quantum-vectors")
    u = _matrix(cert, "u", n)
    v = _matrix(cert, "v", n)
    if u.shape[1] != v.shape[1]:
        raise CertificateFormatError(f"'u' and 'v' must have the same dimension; got {u.shape[1]} and {v.shape[1]}")
    d = u.shape[1]
    for name, w in (("u", u), ("v", v)):
        for i, row in enumerate(w):
            if sum((Fraction(float(t)) ** 2 for t in row), Fraction(0)) > 1:
                raise CertificateError(f"vector {name}[{i}] has norm greater than 1")
    enc = cell_enclosure(game, n)
    mc, r = _mid_radius(enc)
    g = u @ v.T  # |g - <u_i, v_j>| <= gamma_d (norms <= 1)
    t = float(np.sum(np.sum(mc * g, axis=1)))
    n2 = n * n
    s_abs = n2 * Fraction(float(np.abs(mc).max()))  # >= sum |Mc|
    r_sum = sum(_sum_up(r, 1), Fraction(0))  # >= sum r
    gd = _gamma(d)
    # gradual underflow adds at most 2^-1074 per product: d per entry of g, one per product Mc * g
    under = (s_abs * d + n2) / Fraction(2) ** 1070
    err = _gamma(2 * n + 1) * (1 + gd) * s_abs + gd * s_abs + r_sum + under
    proven = Fraction(1, 2) + (Fraction(t) - err) / 2
    claimed = parse_fraction(cert.get("lower"), "lower")
    if claimed > proven:
        raise CertificateError(f"claimed lower bound {float(claimed):.12g} exceeds the strategy's enclosed value ({float(proven):.12g})")
    continuum = cert.get("continuum", False)
    if not isinstance(continuum, bool):
        raise CertificateFormatError(f"field 'continuum' must be true or false; got {continuum!r}")
    return _issue(
        "lower", claimed, Target(game, None if continuum else n, "quantum"), source,
        "proofs.check_quantum:check_quantum_vectors (lemma Q4" + (", bin-constant lifting" if continuum else "") + ")",
        proven=proven, error_bound=err,
    )
