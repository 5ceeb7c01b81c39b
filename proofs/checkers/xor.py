"""Checkers of the finite XOR-game certificate kinds (lemmas X1-X4 in ``proofs/lemmas_quantum.md`` and ``proofs/lemmas_classical.md``).

The game is the exact bias matrix ``M = N / L`` carried in the certificate (fields
``bias`` and ``denominator``, :func:`proofs.exact.xor_matrix.read_bias`: its SHA-256 must match
the header's ``{"type": "xor-matrix", ...}`` and ``sum |M| <= 1``); the
winning probability of correlators ``c_xy`` is ``1/2 + 1/2 sum M_xy c_xy``.

``"xor-quantum-dual"`` (:func:`check_xor_quantum_dual`, lemma X1)
    Upper bound ``1/2 + (sum x + sum y)/2`` on the quantum value (field
    ``model = "quantum"``) or on the classical value (``"classical"``: a
    deterministic strategy is a vector strategy of dimension 1) when
    ``Z = [[diag x, -M/2], [-M^T/2, diag y]]`` is PSD.  PSD is proved first
    by the enclosure margin of lemma Q2 (``M`` within ``Mc +- r``, ``Mc`` the
    nearest floats) and one verified Cholesky of the Schur complement (lemma Q5,
    :func:`proofs.exact.psd.verified_schur_psd`, first in its lean form of
    lemma X1a below); before that, when ``L < 2^52`` or ``L = 2^k <= 2^1000``
    with every ``|N| < 2^53``, lemma X1b's scaled test (no enclosure needed);
    when none of these can prove it and
    ``rows + cols <= EXACT_PSD_LIMIT``, it is decided exactly (fraction-free
    integer elimination, lemma B of :mod:`proofs.exact.integer_psd`).
Lemma X1a (the lean Schur test, :func:`lean_schur_psd`)
    Lemma Q5 and Theorem V of :mod:`proofs.exact.psd` (``G`` read through its
    lower triangle, as :func:`numpy.linalg.cholesky` reads it) need the shift
    ``c = rump_shift(A) + err`` (both rounded up) with, for ``A`` of side ``k``
    and ``n`` rows of ``x``, ``c >= (2 alpha_{k+2} + 2u) tr A + gamma_{n+5} /
    (1 - gamma_{n+5}) tr G + T``, where the underflow terms
    ``T = k (k + 2)(2 + max a_ii) 2^-1070 + 2 k n (max|F| + 1) 2^-1072`` are
    below ``2^-1005`` when ``n, k <= 2^11`` and ``max|F|, max a_ii <= 2^40``.
    With ``c1, c2`` the coefficients rounded up to floats, ``tA``, ``tG`` float
    sums of the non-negative diagonals (within ``gamma_k <= 2^-41`` relative),
    the float ``p = fl(fl(c1 tA) + fl(c2 tG))`` is at least
    ``P (1 - 2^-39) - 2^-1074`` (``P`` the exact ``c1 trA + c2 trG``; products
    that underflow lose at most ``2^-1075`` each), and
    ``fl(fl(p + 2^-1000) (1 + 2^-30))`` is at least
    ``(P (1 - 2^-39) + 2^-1001)(1 + 2^-31) >= P + 2^-1001 >= P + T``: a valid
    shift.  Everything else (``F = fl(diag(fl(sqrt(fl(1/x)))) B)``,
    ``G = fl(F^T F)`` mirrored, ``A``, the diagonal ``fl(a_ii - c)`` stepped
    down one ulp, the Cholesky test) is lemma Q5's and Theorem V's computation.
Lemma X1b (the scaled test, :func:`scaled_schur_psd`)
    For a float ``s > 0`` and a float matrix ``B = s M / 2`` exactly, ``x'_i
    = down(fl(s x_i)) <= s x_i`` (``down`` one step towards ``-inf``), so
    ``Z' = [[diag x', -B], [-B^T, diag y']] = s Z - diag(s x - x', s y - y')``
    with a non-negative diagonal: ``Z' >= 0`` implies ``Z >= 0``.  Two cases:
    ``L < 2^52`` (``s = 2 L``, ``B = N``: both exact floats) and ``L = 2^k``,
    ``k <= 1000``, every ``|N| < 2^53`` (``s = 1``, ``B = M / 2``: ``M`` is a
    float matrix, so its nearest floats are ``M``; the paper's games).  Lemma
    X1a's lean test runs on ``Z'`` (with ``B`` for ``-B``: it reads ``B`` only
    through ``F^T F`` and ``|F|``); if it cannot prove it, the route above runs.
``"xor-quantum-vectors"`` (:func:`check_xor_quantum_vectors`, lemma X2)
    Lower bound on the quantum value: vectors with dyadic entries
    ``k / 2^60`` and Euclidean norm at most 1 (proved exactly: in integers, or by lemma X2's float
    filter, whose failure falls back to integers), whose value is computed exactly in integers (Python
    integers, or int64 limbs of the three factors: lemma X2, or lemma L of :mod:`proofs.exact.limb_matmul`).
``"xor-classical"`` (:func:`check_xor_classical`, lemmas X3-X4)
    ``side = "lower"``: the exact value of a deterministic strategy
    ``a``, ``b`` (entries +-1).  ``side = "upper"``: the checker itself
    computes the classical value by exhaustive search over the ``2^(k-1)``
    sign vectors of the smaller side ``k <= EXHAUSTIVE_LIMIT``, the other
    side best-responding, in exact int64 arithmetic (common denominator
    below ``2^62``, so no partial sum overflows).

Imports only :mod:`proofs.exact`, numpy and the sibling checker helpers.
"""

from __future__ import annotations

import itertools
import math
import operator
import re
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any

import numpy as np
from numpy.typing import NDArray

from proofs.checkers.bound import Bound, Target, _issue
from proofs.checkers.quantum import reduced_weights
from proofs.exact.certificate import certificate_header, field_list
from proofs.exact.errors import CertificateError, CertificateFormatError
from proofs.exact.integer_psd import integer_psd
from proofs.exact.psd import UNIT_ROUNDOFF, PsdCheck, gamma, verified_schur_psd
from proofs.exact.rational import MAX_DIGITS, float_down, float_up, parse_fraction, show_rational
from proofs.exact.xor_exhaustive import classical_exhaustive, exhaustive_any_size
from proofs.exact.xor_matrix import (
    DYADIC_SCALE,
    MAX_DENOMINATOR,
    PYTHON_PRODUCTS,
    VECTOR_BITS,
    BiasMatrix,
    XorMatrix,
    nearest_floats,
    read_bias_matrix,
    stacked_total,
    strategy_total,
)

__all__ = [
    "DYADIC_SCALE",
    "EXACT_PSD_LIMIT",
    "EXHAUSTIVE_LIMIT",
    "MAX_PRODUCTS",
    "NORM_FILTER",
    "VECTOR_BITS",
    "check_xor_classical",
    "check_xor_dual_arrays",
    "check_xor_quantum_dual",
    "check_xor_quantum_vectors",
    "check_xor_vectors_floats",
    "check_xor_vectors_ints",
    "classical_exhaustive",
    "dual_bound",
    "enclosure",
    "half_sums_up",
    "lean_schur_psd",
    "lean_shift",
    "lowered",
    "scaled_down",
    "scaled_schur_psd",
    "vectors_bound",
]

#: largest ``rows + cols`` whose dual matrix is tested exactly in rational arithmetic (the entries' denominators
#: grow during the elimination: 32 x 32 random games took seconds, so larger ones take the verified route)
EXACT_PSD_LIMIT = 24
#: largest smaller side of an exhaustive classical search (2^23 sign vectors: seconds)
EXHAUSTIVE_LIMIT = 24
#: most products ``rows * cols * dimension`` of an ``xor-quantum-vectors`` certificate (exact integer Gram matrix)
MAX_PRODUCTS = 2**22


def _game(cert: dict[str, Any], kind: str, side: str) -> tuple[Any, XorMatrix, BiasMatrix]:
    """Header, game and the exact matrix ``M = N / L`` (:func:`proofs.exact.xor_matrix.read_bias_matrix`)."""
    hd = certificate_header(cert, kind, side)
    game = hd.game
    bm = read_bias_matrix(cert, game)
    assert isinstance(game, XorMatrix)
    if hd.n != game.rows:
        raise CertificateFormatError(f"an {kind!r} certificate has N = rows = {game.rows}; got N = {hd.n}")
    return hd, game, bm


def _target(game: XorMatrix, model: str) -> Target:
    return Target(game.describe(), game.rows, model)  # type: ignore[arg-type]


def _bm_target(bm: BiasMatrix, model: str) -> Target:
    """:func:`_target` of the matrix's game, made once per model (kept in the immutable matrix object)."""
    key = "_checker_target_" + model
    got = bm.__dict__.get(key)
    if got is None:
        got = bm.__dict__[key] = _target(bm.game, model)
    return got


_RATIO = re.compile(rf"[+-]?[0-9]{{1,{MAX_DIGITS}}}/[0-9]{{1,{MAX_DIGITS}}}")


def _weights(cert: dict[str, Any], key: str, n: int) -> list[tuple[int, int]]:
    """The entries of field ``key`` as exact pairs ``(p, q)``, ``q >= 1`` (value ``p / q``, not necessarily in lowest terms), below ``2^1000``."""
    out = []
    for i, t in enumerate(field_list(cert, key, n)):
        pq = _ratio_pair(t, f"{key}[{i}]")
        if abs(pq[0]) >= pq[1] << 1000:
            raise CertificateFormatError(f"entries of {key!r} must be rationals of magnitude below 2^1000")
        out.append(pq)
    return out


def _ratio_pair(t: Any, name: str) -> tuple[int, int]:
    """A rational as ``(p, q)``, ``q >= 1``: :func:`proofs.exact.rational.parse_fraction` with a fast path for ``"p/q"`` strings
    (the same accepted set and value; no gcd taken)."""
    if type(t) is str and _RATIO.fullmatch(t) is not None:
        num, _, den = t.partition("/")
        q = int(den)
        if q != 0:
            return int(num), q
    f = parse_fraction(t, name)
    return f.numerator, f.denominator


def _half_sum(pairs: list[tuple[int, int]]) -> Fraction:
    """``1/2 + 1/2 sum p/q`` exactly, over the least common denominator (one :class:`Fraction` at the end)."""
    if not pairs:
        return Fraction(1, 2)
    ps, qs = zip(*pairs)
    den = math.lcm(*qs)
    return Fraction(den + sum(map(operator.mul, ps, map(operator.floordiv, itertools.repeat(den), qs))), 2 * den)


def _floats_down(pairs: list[tuple[int, int]]) -> NDArray[np.float64]:
    """Floats ``<= p / q``: exactly ``p / q`` when ``q`` is a power of two below ``2^1000`` and ``|p| < 2^53`` (then the quotient is a
    float and IEEE division returns it), else :func:`proofs.exact.rational.float_down` of the rational."""
    out = []
    for p, q in pairs:
        if q & (q - 1) == 0 and q.bit_length() <= 1000 and -(2**53) < p < 2**53:
            out.append(p / q)
        else:
            out.append(float_down(Fraction(p, q)))
    return np.array(out, dtype=np.float64)


def enclosure(ints: list[list[int]], den: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """``(Mc, r)``: the nearest floats of ``M = N / L`` and float radii with ``|M - Mc| <= r`` exactly (lemma Q2's enclosure,
    :func:`proofs.exact.xor_matrix.nearest_floats`).

    >>> mc, r = enclosure([[1], [-2]], 3)
    >>> Fraction(float(r[0, 0])) >= abs(Fraction(1, 3) - Fraction(float(mc[0, 0]))), bool(enclosure([[1]], 4)[1][0, 0] == 0)
    (True, True)
    """
    mc, r, _ = nearest_floats(ints, den)
    return mc, r


#: sides up to which the lean Schur test runs (lemma X1a's underflow budget)
_LEAN_SIDE = 2048
#: the lean test needs ``x`` in ``[2^-900, 2^900]`` and ``|F|``, the Schur diagonal at most ``2^40``
_LEAN_X = (2.0**-900, 2.0**900)
_LEAN_BIG = 2.0**40


@lru_cache(maxsize=512)
def _lean_coefficients(n: int, k: int) -> tuple[float, float]:
    """Floats ``c1 >= 2 alpha_{k+2} + 2u`` and ``c2 >= gamma_{n+5} / (1 - gamma_{n+5})`` (lemma X1a), rounded up from exact rationals."""
    ga = gamma(k + 2)
    gb = gamma(n + 5)
    return float_up(2 * ga / (1 - ga) + 2 * UNIT_ROUNDOFF), float_up(gb / (1 - gb))


def lean_shift(n: int, k: int, trace_a: float, trace_g: float) -> float:
    """Lemma X1a's shift: a float ``>= (2 alpha_{k+2} + 2u) tr A + gamma_{n+5} / (1 - gamma_{n+5}) tr G + 2^-1001``.

    ``trace_a``, ``trace_g`` are float sums of the non-negative diagonals
    (``k <= 2048`` terms: within ``gamma_k <= 2^-41`` of the exact traces).

    >>> from proofs.exact.psd import rump_shift
    >>> a = np.array([[0.75]])
    >>> Fraction(lean_shift(1, 1, 0.75, 0.25)) >= Fraction(rump_shift(a)) + gamma(6) / (1 - gamma(6)) * Fraction(1, 4) + 2 * UNIT_ROUNDOFF * Fraction(3, 4)
    True
    """
    c1, c2 = _lean_coefficients(n, k)
    return (c1 * trace_a + c2 * trace_g + 2.0**-1000) * (1.0 + 2.0**-30)


def lean_schur_psd(b: NDArray[np.float64], x: NDArray[np.float64], y: NDArray[np.float64]) -> PsdCheck | None:
    """Lemma X1a: lemma Q5's Schur enclosure and Theorem V's Cholesky (:mod:`proofs.exact.psd`) with the shift bounded in floats.

    Proves ``Z = [[diag x, B], [B^T, diag y]] >= 0`` (``ok = True``), fails
    (``ok = False``: the shifted Cholesky broke down) or returns ``None`` when
    the input is outside the lemma's ranges (``x`` outside ``[2^-900, 2^900]``,
    a side above 2048, ``|F|`` or the Schur diagonal above ``2^40``, a negative
    Schur diagonal, non-finite entries); the caller then runs
    :func:`proofs.exact.psd.verified_schur_psd`.  The same floating-point
    steps as :func:`proofs.exact.psd.schur_enclosure`; only the shift
    ``rump_shift(A) + err`` is replaced by the float upper bound
    :func:`lean_shift` (no rational arithmetic).

    >>> lean_schur_psd(np.array([[-0.5]]), np.array([0.5]), np.array([0.6])).ok   # [[.5, -.5], [-.5, .6]]
    True
    >>> lean_schur_psd(np.array([[-1.0]]), np.array([1.0]), np.array([1.0])).ok   # [[1, -1], [-1, 1]] is singular: no margin
    False
    >>> lean_schur_psd(np.array([[-1.0]]), np.array([1.0]), np.array([1.0 - 2.0**-53])) is None   # a negative Schur diagonal
    True
    """
    n, k = b.shape
    if n > _LEAN_SIDE or k > _LEAN_SIDE or x.shape != (n,) or y.shape != (k,):
        return None
    if not (np.isfinite(x).all() and np.isfinite(y).all()):  # (Python's min and max of a list can pass over a NaN)
        return None
    if n * k * k <= _LEAN_LOOPS:
        return _lean_schur_loops(b.tolist(), x.tolist(), y.tolist())
    return _lean_schur_numpy(b.T, float(np.abs(b).max()), x.tolist(), y.tolist())  # (a NaN in b makes the maximum NaN)


def _lean_schur_numpy(bt: NDArray[np.float64], bmax: float, x: list[float], y: list[float], method: str = "verified-schur") -> PsdCheck | None:
    """:func:`lean_schur_psd`'s numpy form on ``B^T`` (any layout), ``bmax >= max |B|`` (or NaN) and the weights as lists.

    ``s = fl(sqrt(fl(1/x)))`` in Python floats (the same correctly rounded
    operations as numpy's); ``|F| <= 2^40`` is ensured by ``fl(bmax max s) <=
    2^40`` (rounding is monotone: every ``|fl(B_ij s_i)| <= fl(bmax max s)``; a
    non-finite or NaN ``B`` fails it); ``F^T = fl(B^T diag s)`` and
    ``G = fl(F^T F)`` (one product: lemma Q5 bounds its rounding in any
    order); its diagonal, ``d = fl(y - G_jj)``, the traces (``math.fsum``:
    correctly rounded, within ``gamma_k`` of the exact ones) and the shifted
    diagonal ``fl(d_j - c)`` stepped down one ulp in Python floats; then
    ``-G`` with that diagonal goes to one numpy Cholesky (lower triangle read).
    """
    k, n = bt.shape
    if not (min(x) >= _LEAN_X[0] and max(x) <= _LEAN_X[1]):  # NaN fails every comparison
        return None
    sqrt = math.sqrt
    sc = [sqrt(1.0 / t) for t in x]
    if not bmax * max(sc) <= _LEAN_BIG:
        return None
    ft = bt * np.array(sc)
    g = ft @ ft.T  # only its lower triangle is read: A is that triangle mirrored (numpy's cholesky reads the lower triangle)
    gd = g.diagonal().tolist()
    d = [yj - gj for yj, gj in zip(y, gd)]
    if not (min(d) >= 0.0 and max(d) <= _LEAN_BIG):  # also refuses a non-finite y
        return None
    c = lean_shift(n, k, math.fsum(d), math.fsum(gd))
    down = -math.inf
    np.negative(g, out=g)
    g.flat[::k + 1] = [math.nextafter(dj - c, down) for dj in d]  # At_jj <= a_jj - c exactly
    r = cholesky_lower(g)
    if not (min(r.diagonal().tolist()) > 0.0 and math.isfinite(r.sum())):  # a non-finite entry makes the sum non-finite (NaN: a breakdown)
        return PsdCheck(False, method, c, f"Cholesky of A - {c:.3e} I broke down, or its factor is not finite with a positive diagonal")
    return PsdCheck(True, method, c)


try:  # the gufunc behind numpy.linalg.cholesky (numpy >= 2: numpy.linalg._umath_linalg), called without the wrapper's checks
    from numpy.linalg import _umath_linalg

    _CHOLESKY_LO: Any = _umath_linalg.cholesky_lo
except (ImportError, AttributeError):  # pragma: no cover - another numpy layout: numpy.linalg.cholesky itself
    _CHOLESKY_LO = None


def cholesky_lower(a: NDArray[np.float64]) -> NDArray[np.float64]:
    """The lower Cholesky factor of a square float64 array (its lower triangle read): the LAPACK factorisation of
    :func:`numpy.linalg.cholesky`, by the same gufunc without the wrapper (about 3 us less a call); a breakdown gives a matrix of
    NaN (the gufunc fills it; the fallback through :func:`numpy.linalg.cholesky` too), which every caller refuses.

    >>> cholesky_lower(np.array([[4.0, 0.0], [2.0, 5.0]])).tolist()
    [[2.0, 0.0], [1.0, 2.0]]
    >>> bool(np.isnan(cholesky_lower(np.array([[1.0, 0.0], [2.0, 1.0]]))).all())   # [[1, 2], [2, 1]] is indefinite
    True
    """
    if _CHOLESKY_LO is None:  # another numpy layout (the tests take this route too)
        try:
            return np.asarray(np.linalg.cholesky(a), dtype=np.float64)
        except np.linalg.LinAlgError:
            return np.full(a.shape, np.nan)
    with np.errstate(invalid="ignore", over="ignore", divide="ignore", under="ignore"):
        r: NDArray[np.float64] = _CHOLESKY_LO(a, signature="d->d")
    return r


#: largest ``rows * cols^2`` for which :func:`lean_schur_psd` runs in Python floats (fewer numpy calls: less fixed cost; medians
#: of 800 fresh checks of random n x n games (``check_xor_dual_arrays``, each after a solve): n = 4 67 us in loops against 101 in
#: numpy, n = 6 107 against 124, n = 8 about equal (paper's N = 8: 124 against 118), n = 10 126 against 113, n = 12 143 against 115)
_LEAN_LOOPS = 400
#: smallest ``rows * cols^2`` for which :func:`_lean_schur_loops` forms ``F`` and ``G = F^T F`` in numpy instead of loops
_GRAM_NUMPY = 128


def _lean_schur_loops(b: Any, x: list[float], y: list[float], method: str = "verified-schur") -> PsdCheck | None:
    """:func:`lean_schur_psd` in Python floats: the same IEEE operations (one rounding each, no fused multiply-add), explicit loops.

    ``F`` (the same correctly rounded products) and ``G`` (one product, as in
    the numpy form) are numpy arrays from ``rows cols^2 = _GRAM_NUMPY`` up, else
    ``F`` is a list and every entry of ``G`` is accumulated from ``0.0`` over the rows in order;
    ``B`` may hold Python ints below ``2^53`` (each converted exactly before its product);
    the Cholesky factor is formed row by row (``l_ji = (a_ji - sum_{t<i}
    l_jt l_it) / l_ii``, then ``l_jj = sqrt(a_jj - sum_{t<j} l_jt^2)``, each
    sum subtracted term by term in ``t`` order): the same operations on the
    same operands as the column-by-column order, so the same factor and verdict.
    """
    n, k = len(b), len(b[0])
    if not (min(x) >= _LEAN_X[0] and max(x) <= _LEAN_X[1]):  # NaN fails every comparison
        return None
    sqrt = math.sqrt
    if n * k * k >= _GRAM_NUMPY:  # F and G = F^T F in numpy (as the numpy form: lemma Q5 bounds the product's rounding in any order)
        fa = np.array(b, dtype=np.float64) * np.array([sqrt(1.0 / xi) for xi in x])[:, None]
        if not np.abs(fa).max() <= _LEAN_BIG:  # also refuses an infinite or NaN entry
            return None
        g = (fa.T @ fa).tolist()  # only the lower triangle is read
    else:
        f = [[bij * si for bij in row] for row, si in zip(b, [sqrt(1.0 / xi) for xi in x])]
        if not max(map(abs, itertools.chain.from_iterable(f))) <= _LEAN_BIG:  # also refuses an infinite entry
            return None
        cols = list(zip(*f))
        g = []  # the lower triangle of F^T F
        for j in range(k):
            cj = cols[j]
            gj = []
            for t in range(j + 1):
                acc = 0.0
                for p, q in zip(cj, cols[t]):
                    acc = acc + p * q
                gj.append(acc)
            g.append(gj)
    gd = [g[j][j] for j in range(k)]
    d = [yj - gj for yj, gj in zip(y, gd)]
    if not (min(d) >= 0.0 and max(d) <= _LEAN_BIG):  # also refuses a non-finite y
        return None
    c = lean_shift(n, k, math.fsum(d), math.fsum(gd))  # correctly rounded traces (within gamma_k of the exact ones)
    down = -math.inf
    isfinite = math.isfinite
    rows: list[list[float]] = []  # the rows of the Cholesky factor of A - c I (A = -G off the diagonal)
    for gj, dj in zip(g, d):
        lj: list[float] = []
        for i, li in enumerate(rows):
            e = -gj[i]
            for p, q in zip(lj, li):  # t < i (lj holds l_j0 .. l_j,i-1)
                e = e - p * q
            e = e / li[i]
            if not isfinite(e):
                return PsdCheck(False, method, c, "Cholesky factor is not finite with a positive diagonal")
            lj.append(e)
        s = math.nextafter(dj - c, down)  # At_jj <= a_jj - c exactly
        for e in lj:
            s = s - e * e
        if not 0.0 < s < math.inf:
            return PsdCheck(False, method, c, f"Cholesky of A - {c:.3e} I broke down")
        lj.append(sqrt(s))
        rows.append(lj)
    return PsdCheck(True, method, c)


#: lemma X1b applies when ``L < 2^52``: then ``2 L`` and every ``|N_xy| <= sum |N| <= L`` are floats exactly
_SCALED_DEN = 2**52
#: and when ``L = 2^k``, ``k <= 1000``, and every ``|N_xy| < 2^53``: then ``M / 2 = N 2^-(k+1)`` is a float matrix exactly
_DYADIC_BITS = 1001
_DYADIC_ENTRY = 2**53


def scaled_down(x: list[float], s: float) -> list[float]:
    """Floats at most ``s x_i`` exactly (each product rounded to nearest, then stepped down one ulp; lemma X1b).

    >>> t = 0.1; scaled_down([t], 6.0)[0] < 6 * t == 0.6000000000000001   # fl(6 x) rounds above the exact 6 x
    True
    """
    down = -math.inf
    return [math.nextafter(s * t, down) for t in x]


def _scaled(bm: BiasMatrix, array: bool) -> tuple[Any, float, float] | None:
    """Lemma X1b's ``(B, s, max |B|)``: ``B = s N / (2 L)`` exactly in floats (up to sign), ``s`` a float; ``None`` when neither
    case applies.

    ``L < 2^52``: ``s = 2 L`` and ``B = N`` (the Python ints themselves for the loops: each is a float exactly, and Python
    converts it exactly before every product; a float array for numpy).  ``L = 2^k``, ``k <= 1000``, every ``|N_xy| < 2^53``:
    ``s = 1`` and ``B = M / 2 = N 2^-(k+1)``, every non-zero entry a float of magnitude at least ``2^-1001``: formed as half the
    matrix's nearest floats (:attr:`proofs.exact.xor_matrix.BiasMatrix.nearest`, correctly rounded, hence ``M`` itself; the
    solver has usually made them already), each halving exact (a normal float); ``max |B| = max |N| 2^-(k+1)`` exactly.
    Made once per matrix (kept in the immutable matrix object).
    """
    key = "_checker_scaled_array" if array else "_checker_scaled"
    got: Any = bm.__dict__.get(key)  # (False: neither case applies)
    if got is None:
        den = bm.den
        if den < _SCALED_DEN:
            n64 = bm.int64 if array else None  # (every |N_xy| <= L < 2^62: not None)
            got = (bm.ints if n64 is None else n64.astype(np.float64), float(2 * den), float(bm.max_abs))
        elif den & (den - 1) == 0 and den.bit_length() <= _DYADIC_BITS and bm.max_abs < _DYADIC_ENTRY:
            b = bm.nearest * 0.5  # M is a float matrix, so its nearest floats are M itself; halving a normal float >= 2^-1000 is exact
            got = (b if array else b.tolist(), 1.0, math.ldexp(float(bm.max_abs), -den.bit_length()))
        else:
            got = False
        bm.__dict__[key] = got
    return got or None


def scaled_schur_psd(bm: BiasMatrix, xf: NDArray[np.float64], yf: NDArray[np.float64]) -> PsdCheck | None:
    """Lemma X1b: lemma X1a's lean Schur test on ``[[diag x', B], [B^T, diag y']]``, ``x' <= s x``, ``y' <= s y`` exactly.

    ``B = s N / (2 L)`` is a float matrix exactly (:func:`_scaled`: ``s = 2 L``,
    ``B = N`` when ``L < 2^52``; ``s = 1``, ``B = M / 2`` when ``L = 2^k`` and
    every ``|N| < 2^53``), so that matrix is ``s Z`` (with ``-B``, which the
    lean test cannot tell from ``B``) minus a non-negative diagonal, and its
    being PSD proves ``Z >= 0``: no enclosure of ``M``, no margins of lemma
    Q2.  ``None`` when neither case applies or lemma X1a's ranges are not
    met (the caller then runs lemma Q2's route).

    >>> bm = BiasMatrix(((1, 1), (1, -1)), 4)   # CHSH: x = y = sqrt(2)/8 (+ margin) proves 1/2 + sqrt(2)/4
    >>> scaled_schur_psd(bm, np.full(2, 0.17678), np.full(2, 0.17678)).ok
    True
    >>> scaled_schur_psd(bm, np.full(2, 0.17677), np.full(2, 0.17677)) is None   # below: a negative Schur diagonal (out of range)
    True
    """
    return _scaled_test(bm, xf.tolist(), yf.tolist())


def _scaled_test(bm: BiasMatrix, xl: list[float], yl: list[float]) -> PsdCheck | None:
    """:func:`scaled_schur_psd` on the weights as lists of floats."""
    loops = bm.rows * bm.cols * bm.cols <= _LEAN_LOOPS
    sc = _scaled(bm, not loops)
    if sc is None:
        return None
    b, s, bmax = sc
    xs, ys = (xl, yl) if s == 1.0 else (scaled_down(xl, s), scaled_down(yl, s))  # (1 x is x exactly: nothing to round)
    return _lean_schur_loops(b, xs, ys, "scaled-schur") if loops else _lean_schur_numpy(b.T, bmax, xs, ys, "scaled-schur")


def _verified(bm: BiasMatrix, xl: list[float], yl: list[float], xf: NDArray[np.float64], yf: NDArray[np.float64]) -> PsdCheck:
    """Lemma X1b's scaled test, else lemma Q2's enclosure of ``M``, then lemma X1a's lean Schur test, else lemma Q5's
    (:func:`proofs.exact.psd.verified_schur_psd`).

    ``xf``, ``yf`` are floats at most the exact weights (``xl``, ``yl``: the same as lists).  When the enclosure
    is exact (``r = 0``) lemma Q2 lowers nothing.  Small games
    (``rows cols^2 <= _LEAN_LOOPS``) run in Python floats: lemma Q2's margins
    (:func:`half_sums_up`, once per matrix) are subtracted by :func:`lowered`
    (the Python twins of :func:`proofs.checkers.quantum.reduced_weights`)
    and the lean test runs on lists (:func:`_lean_schur_loops`).
    """
    res = _scaled_test(bm, xl, yl)
    if res is not None and res.ok:
        return res
    prep = _prepared(bm)
    if prep.half is None:
        return PsdCheck(False, "verified-schur", 0.0, "M/2 is not exact in floating point (subnormal entries)")
    if prep.half_list is not None:
        xs, ys = xl, yl
        if prep.row is not None and prep.col is not None:
            xs, ys = lowered(xs, prep.row), lowered(ys, prep.col)  # lemma Q2: x' <= x - 1/2 (row sums of r)
        res = _lean_schur_loops(prep.half_list, xs, ys)
        if res is None or not res.ok:
            res = verified_schur_psd(prep.half, np.array(xs, dtype=np.float64), np.array(ys, dtype=np.float64))
        return res
    _mc, r, exact = bm.enclosure
    xp, yp = (xf, yf) if exact else reduced_weights(xf, yf, r)
    res = lean_schur_psd(prep.half, xp, yp)
    if res is None or not res.ok:
        res = verified_schur_psd(prep.half, xp, yp)
    return res


@dataclass(frozen=True)
class _Prepared:
    """What the verified route derives from a matrix alone, once: ``-Mc/2`` (``None`` if not exact) and, for small games,
    its rows and lemma Q2's margins as Python floats (``row``, ``col`` ``None`` when the enclosure is exact)."""

    half: NDArray[np.float64] | None
    half_list: list[list[float]] | None
    row: list[float] | None
    col: list[float] | None


def half_sums_up(rows: list[list[float]]) -> list[float]:
    """Floats at least ``1/2 sum_j r_j`` of each row of non-negative floats (lemma Q2's margins in Python floats).

    ``h = up(fl(fsum(row) / 2))``, ``up`` one step towards ``+inf``.
    ``math.fsum`` is correctly rounded: ``fsum >= S - ulp(S)/2`` (rounding
    to nearest never crosses the power of two below ``S``), so in the normal
    range the exact half ``fsum / 2 >= S/2 - ulp(S/2)/2`` and the step up
    adds ``ulp(S/2)``.  If the half is subnormal, every term is below
    ``2^-1021``, a multiple of ``2^-1074``: the sum is exact and halving
    loses at most ``2^-1075``, less than the step.

    >>> half_sums_up([[1.0, 2.0**-53]])[0] > 0.5, half_sums_up([[5e-324]])[0] >= 5e-324 / 2
    (True, True)
    """
    up = math.inf
    return [math.nextafter(0.5 * math.fsum(row), up) for row in rows]


def lowered(x: list[float], margin: list[float]) -> list[float]:
    """Floats at most ``x_i - margin_i`` (each difference rounded to nearest, then stepped down one ulp).

    >>> lowered([1.0], [2.0**-54])[0] < 1.0   # 1 - 2^-54 is a tie that rounds up to 1
    True
    """
    down = -math.inf
    return [math.nextafter(a - m, down) for a, m in zip(x, margin)]


def _prepared(bm: BiasMatrix) -> _Prepared:
    """:class:`_Prepared` of ``bm``, made once (kept in the matrix object, which is immutable)."""
    got = bm.__dict__.get("_checker_prepared")
    if got is None:
        mc, r, exact = bm.enclosure
        if bm.rows * bm.cols * bm.cols <= _LEAN_LOOPS:  # Python floats: less fixed cost than numpy calls
            mcl = mc.tolist()
            half_list = [[-0.5 * t for t in row] for row in mcl]
            ok = [[-2.0 * h for h in hr] for hr in half_list] == mcl
            row = col = None
            if ok and not exact:
                rl = r.tolist()
                row, col = half_sums_up(rl), half_sums_up([list(c) for c in zip(*rl)])
            got = _Prepared(np.array(half_list) if ok else None, half_list if ok else None, row, col)
        else:
            half = -0.5 * mc
            got = _Prepared(half if np.array_equal(half * -2.0, mc) else None, None, None, None)
        bm.__dict__["_checker_prepared"] = got
    return got


def _exact(bm: BiasMatrix, x: list[tuple[int, int]], y: list[tuple[int, int]]) -> PsdCheck:
    """``D Z`` with ``D`` the least common denominator: an integer matrix, PSD iff ``Z`` is (lemma B)."""
    ints, den = bm.ints, bm.den
    rows, cols = len(ints), len(ints[0])
    xq = [Fraction(p, q) for p, q in x]
    yq = [Fraction(p, q) for p, q in y]
    d = math.lcm(2 * den, *(t.denominator for t in xq), *(t.denominator for t in yq))
    f = d // (2 * den)
    z = [[0] * (rows + cols) for _ in range(rows + cols)]
    for i in range(rows):
        z[i][i] = xq[i].numerator * (d // xq[i].denominator)
        for j in range(cols):
            z[i][rows + j] = z[rows + j][i] = -ints[i][j] * f
    for j in range(cols):
        z[rows + j][rows + j] = yq[j].numerator * (d // yq[j].denominator)
    return integer_psd(z)


def _psd(bm: BiasMatrix, pairs: Callable[[], tuple[list[tuple[int, int]], list[tuple[int, int]]]], xl: list[float], yl: list[float],
         xf: NDArray[np.float64], yf: NDArray[np.float64]) -> str:
    """The verified route first (cheap; needs a margin); if it cannot prove PSD and ``rows + cols <= EXACT_PSD_LIMIT``, the exact route
    decides (on the exact weights ``pairs()``)."""
    res = _verified(bm, xl, yl, xf, yf)
    if not res.ok and bm.rows + bm.cols <= EXACT_PSD_LIMIT:
        res = _exact(bm, *pairs())
    if not res.ok:
        raise CertificateError(f"dual matrix Z is not proved positive semidefinite ({res.method}: {res.reason})")
    return res.method


#: the lemmas behind each PSD method of :func:`_psd` (lemma B for the exact route)
_LEMMAS = {"verified-schur": ", Q2, Q5", "scaled-schur": ", X1b, Q5"}


def dual_bound(bm: BiasMatrix, x: list[tuple[int, int]], y: list[tuple[int, int]], xf: NDArray[np.float64], yf: NDArray[np.float64],
               bound: Fraction | None, model: str, source: str) -> Bound:
    """Lemma X1's check, shared by :func:`check_xor_quantum_dual` (a certificate dict) and :func:`check_xor_dual_arrays` (arrays in memory).

    ``x``, ``y``: the exact weights as pairs ``(p, q)``; ``xf``, ``yf``:
    floats at most them (the verified route's input).  ``bound``: the claim,
    or ``None`` for the proven value itself.
    """
    return _dual(bm, _half_sum(x + y), lambda: (x, y), xf.tolist(), yf.tolist(), xf, yf, bound, model, source)


def _dual(bm: BiasMatrix, proven: Fraction, pairs: Callable[[], tuple[list[tuple[int, int]], list[tuple[int, int]]]], xl: list[float],
          yl: list[float], xf: NDArray[np.float64], yf: NDArray[np.float64], bound: Fraction | None, model: str, source: str) -> Bound:
    """:func:`dual_bound` given the proven value ``1/2 + (sum x + sum y)/2`` and the exact weights as a function (the exact route's input)."""
    if bound is None:
        bound = proven
    elif bound < proven:
        raise CertificateError(f"claimed upper bound {show_rational(bound)} is below what the dual proves ({show_rational(proven)})")
    method = _psd(bm, pairs, xl, yl, xf, yf)
    return _issue(
        "upper", bound, _bm_target(bm, model), source,
        f"proofs.checkers.xor:check_xor_quantum_dual (lemma X1{_LEMMAS.get(method, ', B')}, {method})",
        proven=proven, psd_method=method,
    )


def check_xor_quantum_dual(cert: dict[str, Any], source: str) -> Bound:
    """Verify an ``"xor-quantum-dual"`` certificate: value ``<= bound`` (lemma X1).

    >>> from proofs.exact.certificate import new_certificate
    >>> m = [[Fraction(1, 4), Fraction(1, 4)], [Fraction(1, 4), Fraction(-1, 4)]]   # CHSH
    >>> g = XorMatrix.from_matrix(m)
    >>> c = new_certificate("xor-quantum-dual", g, 2, "upper", Fraction(9, 10), model="quantum",
    ...                     denominator=4, bias=[[1, 1], [1, -1]], x=["1/5"] * 2, y=["1/5"] * 2)
    >>> check_xor_quantum_dual(c, "demo").details["proven"]   # 1/2 + 4/5 / 2; M/2 has singular values sqrt(2)/8 < 1/5: Z is PSD
    Fraction(9, 10)
    """
    hd, game, bm = _game(cert, "xor-quantum-dual", "upper")
    model = _model(cert.get("model"))
    x = _weights(cert, "x", game.rows)
    y = _weights(cert, "y", game.cols)
    return dual_bound(bm, x, y, _floats_down(x), _floats_down(y), hd.bound, model, source)


def _model(model: Any) -> str:
    if model not in ("quantum", "classical"):
        raise CertificateFormatError(f"field 'model' must be 'quantum' or 'classical'; got {str(model)[:20]!r}")
    return str(model)


def _float_list(w: Any, key: str, n: int) -> list[float]:
    """A float array of ``n`` weights (magnitudes summing to below ``2^1000``) as a list of floats."""
    if not isinstance(w, np.ndarray) or w.dtype != np.float64 or w.shape != (n,):
        raise CertificateFormatError(f"{key!r} must be a float64 array of shape ({n},); got {type(w).__name__} {getattr(w, 'shape', '')}")
    ws: list[float] = w.tolist()
    if not sum(map(abs, ws)) < 2.0**1000:  # a float sum of non-negative terms is at least each term; NaN fails it too
        raise CertificateFormatError(f"entries of {key!r} must be finite floats whose magnitudes sum to below 2^1000")
    return ws


def _float_half_sum(ws: list[float]) -> Fraction:
    """``1/2 + 1/2 sum ws`` exactly for finite floats whose magnitudes sum to below ``2^1000``.

    The sum is split into floats ``s_1, s_2, ...``: ``s_i`` is
    :func:`math.fsum` (correctly rounded) of the exact ``sum ws - s_1 - ...
    - s_(i-1)``, until that rounds to 0; the exact sum of floats is a
    multiple of ``2^-1074``, so it is then 0 exactly (a non-zero multiple
    rounds to a non-zero float) and ``sum ws = s_1 + s_2 + ...`` (usually
    two terms).  Each ``s_i`` is ``p / 2^e`` (:meth:`float.as_integer_ratio`),
    added over the larger power of two; one :class:`Fraction` at the end.

    >>> _float_half_sum([0.1, 0.2, 2.0**-80]) == Fraction(1, 2) + (Fraction(0.1) + Fraction(0.2) + Fraction(2.0**-80)) / 2
    True
    """
    fsum = math.fsum
    rest = fsum(ws)
    if rest == 0.0:
        return Fraction(1, 2)
    num, den = rest.as_integer_ratio()  # den = 2^e: the sum so far is num / den
    neg = ws + [-rest]
    rest = fsum(neg)
    while rest != 0.0:
        p, q = rest.as_integer_ratio()
        if q > den:
            num, den = num * (q // den) + p, q
        else:
            num += p * (den // q)
        neg.append(-rest)
        rest = fsum(neg)
    return Fraction(den + num, 2 * den)


def check_xor_dual_arrays(bm: BiasMatrix, x: NDArray[np.float64], y: NDArray[np.float64], *, model: str = "quantum",
                          bound: Fraction | None = None, source: str = "<in-memory>") -> Bound:
    """Lemma X1 on dual weights given as float arrays (each float an exact rational): the in-memory form of an ``xor-quantum-dual`` certificate.

    The same check as :func:`check_xor_quantum_dual` (:func:`dual_bound`)
    without writing and parsing the certificate's text; ``bm`` is already
    validated (:class:`proofs.exact.xor_matrix.BiasMatrix`).  ``bound=None``
    issues the bound at the proven value (:func:`_float_half_sum`: exact).

    >>> bm = BiasMatrix(((1, 1), (1, -1)), 4)   # CHSH
    >>> check_xor_dual_arrays(bm, np.array([0.2, 0.2]), np.array([0.2, 0.2])).value == Fraction(1, 2) + 2 * Fraction(0.2)
    True
    """
    if not isinstance(bm, BiasMatrix):
        raise CertificateFormatError(f"`bm` must be a proofs.exact.xor_matrix.BiasMatrix; got {type(bm).__name__}")
    xl = _float_list(x, "x", bm.rows)
    yl = _float_list(y, "y", bm.cols)
    model = _model(model)
    proven = _float_half_sum(xl + yl)

    def pairs() -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        return list(map(float.as_integer_ratio, xl)), list(map(float.as_integer_ratio, yl))

    return _dual(bm, proven, pairs, xl, yl, x, y, bound, model, source)


_DYADIC_DEN = str(2**VECTOR_BITS)
_SMALL_INT = re.compile(r"[+-]?[0-9]{1,19}")


def _dyadic_entry(t: Any, key: str, i: int) -> int:
    """``k`` of an entry ``k / 2^VECTOR_BITS`` (fast path for ``"k/2^60"`` strings, else the exact parser), ``|k| <= 2^VECTOR_BITS``."""
    den = 2**VECTOR_BITS
    if type(t) is str:
        num, _, d = t.partition("/")
        if d == _DYADIC_DEN and _SMALL_INT.fullmatch(num) is not None:
            k = int(num)
            if abs(k) <= den:
                return k
    f = parse_fraction(t, f"{key}[{i}]")
    k2 = f * den
    if k2.denominator != 1 or abs(k2.numerator) > den:
        raise CertificateFormatError(f"entries of {key!r} must be k/2^{VECTOR_BITS} with |k| <= 2^{VECTOR_BITS}; got {str(t)[:40]}")
    return k2.numerator


_DYADIC_SUFFIX = "/" + _DYADIC_DEN
_DYADIC_FIELD = re.compile(rf"(?:[+-]?[0-9]{{1,19}}{_DYADIC_SUFFIX},)*[+-]?[0-9]{{1,19}}{_DYADIC_SUFFIX}")
_STR_TYPE = frozenset({str})


def _dyadic_fast(raw: list[list[Any]]) -> list[list[int]] | None:
    """The integers ``k`` of a whole field whose every entry is a string ``"k/2^60"``, ``k`` of at most 19 digits, ``|k| <= 2^60``; else ``None``.

    One pattern match over the comma-joined entries (exactly one comma between
    entries, so no entry holds a comma) stands for :func:`_dyadic_entry`'s
    fast path on each entry; the numerators are then read by one split.
    """
    flat = [t for row in raw for t in row]
    if not flat or not {*map(type, flat)} <= _STR_TYPE:
        return None
    joined = ",".join(flat)
    if joined.count(",") != len(flat) - 1 or _DYADIC_FIELD.fullmatch(joined) is None:
        return None
    ks = list(map(int, joined.replace(_DYADIC_SUFFIX, "").split(",")))
    if max(map(abs, ks)) > 2**VECTOR_BITS:
        return None
    d = len(raw[0])
    return [ks[i:i + d] for i in range(0, len(ks), d)]


def _dyadic_rows(cert: dict[str, Any], key: str, n: int) -> list[list[int]]:
    raw = field_list(cert, key, n)
    if not all(isinstance(row, list) for row in raw):
        raise CertificateFormatError(f"certificate field {key!r} must be a list of {n} vectors")
    d = len(raw[0])
    if any(len(row) != d for row in raw):
        raise CertificateFormatError(f"rows of {key!r} must have equal length")
    rows = _dyadic_fast(raw)
    if rows is None:
        rows = [[_dyadic_entry(t, key, i) for t in row] for i, row in enumerate(raw)]
    return rows


def _dimension(key: str, d: int, rows: int, cols: int) -> None:
    if not 1 <= d <= rows + cols:
        raise CertificateFormatError(f"vectors of {key!r} must have dimension between 1 and rows + cols = {rows + cols}")
    if rows * cols * d > MAX_PRODUCTS:
        raise CertificateFormatError(f"an xor-quantum-vectors certificate has at most {MAX_PRODUCTS} products rows x cols x dimension; got {rows * cols * d}")


def _dimensions(du: int, dv: int, rows: int, cols: int) -> None:
    """The dimensions ``du`` of ``u`` and ``dv`` of ``v``: each as :func:`_dimension` asks, and equal."""
    _dimension("u", du, rows, cols)
    _dimension("v", dv, rows, cols)
    if du != dv:
        raise CertificateFormatError(f"'u' and 'v' must have the same dimension; got {du} and {dv}")


def _squared_norms(flat: list[int], d: int) -> list[int]:
    """``sum_t k_t^2`` of each vector of a row-major list of vectors of dimension ``d``, exactly (Python integers).

    >>> _squared_norms([1, 2, 3, -4, 0, 5], 2), _squared_norms([3, 4], 1)
    ([5, 25, 25], [9, 16])
    """
    sq = list(map(operator.mul, flat, flat))
    if d == 1:
        return sq
    out = sq[0::d]
    for t in range(1, d):  # coordinate t of every vector in one C-level pass
        out = list(map(operator.add, out, sq[t::d]))
    return out


def _norms_at_most_one(key: str, flat: list[int], d: int) -> None:
    """Lemma X2's exact norm test (Python integers): every ``|k| <= 2^60`` and every ``sum_t k_t^2 <= 2^120``, else the error
    names it (``flat``: the vectors of ``key`` row-major, each of dimension ``d``)."""
    norms = _squared_norms(flat, d)
    if max(norms) > _NORM2:  # (an entry |k| > 2^60 makes its norm exceed 1: named as such first)
        if max(map(abs, flat)) > 2**VECTOR_BITS:
            raise CertificateFormatError(f"entries of {key!r} must be k/2^{VECTOR_BITS} with |k| <= 2^{VECTOR_BITS}")
        i = next(i for i, t in enumerate(norms) if t > _NORM2)
        raise CertificateError(f"vector {key}[{i}] has norm greater than 1")


_NORM2 = 4**VECTOR_BITS
#: lemma X2's float norm filter: a float sum of squares at most this (``2^120 - 2^80``, a float) proves ``sum_t k_t^2 <= 2^120``
NORM_FILTER = 2.0**120 - 2.0**80


def _int64_stack(u: Any, v: Any) -> NDArray[np.int64]:
    """``U`` stacked on ``V`` as one new int64 array: arrays are read once (the result is a copy); rows of Python ints are first
    checked to lie in ``[-2^60, 2^60]``."""
    if type(u) is np.ndarray:
        return np.concatenate((u, v))
    for key, rows_ in (("u", u), ("v", v)):
        if max(map(abs, itertools.chain.from_iterable(rows_))) > 2**VECTOR_BITS:
            raise CertificateFormatError(f"entries of {key!r} must be k/2^{VECTOR_BITS} with |k| <= 2^{VECTOR_BITS}")
    return np.array([*u, *v], dtype=np.int64)


def _filtered_norms(w: NDArray[np.int64], rows: int) -> None:
    """Every norm of the stacked vectors ``w`` at most 1 (lemma X2): the float filter, else the exact test (which names the vector)."""
    sq = np.multiply(w, w, dtype=np.float64)  # fl(fl(k)^2)
    if not sq.sum(axis=1).max() <= NORM_FILTER:  # the filter cannot prove it: the exact test decides
        d = w.shape[1]
        _norms_at_most_one("u", w[:rows].ravel().tolist(), d)
        _norms_at_most_one("v", w[rows:].ravel().tolist(), d)


def _python_total(ints: tuple[tuple[int, ...], ...], flat: list[int], n: int, d: int) -> int:
    """``sum_xy N_xy <u_x, v_y>`` in Python integers; ``flat`` holds ``u`` (its first ``n = rows d`` entries) then ``v``, row-major."""
    if d == 1:
        vc = flat[n:]
        return sum(map(operator.mul, flat[:n], [sum(map(operator.mul, row, vc)) for row in ints]))
    tot = 0
    for t in range(d):  # coordinate t: sum_x u_xt (N v_t)_x
        vc = flat[n + t::d]
        tot += sum(map(operator.mul, flat[t:n:d], [sum(map(operator.mul, row, vc)) for row in ints]))
    return tot


def vectors_bound(bm: BiasMatrix, u: Any, v: Any, bound: Fraction | None, source: str) -> Bound:
    """Lemma X2's check, shared by :func:`check_xor_quantum_vectors` (a certificate dict) and :func:`check_xor_vectors_ints` (in memory).

    ``u`` (``rows x d``), ``v`` (``cols x d``): rows of Python ints ``k`` that no one else changes (the checker's own lists, or
    tuples), or int64 arrays (read once; entries ``k / 2^60``).  Checks the dimensions, ``|k| <= 2^60``, the norms (exactly, or by
    lemma X2's float filter) and computes the strategy's exact value; ``bound=None`` issues the bound at that value.
    """
    rows, cols = bm.rows, bm.cols
    arrays = type(u) is np.ndarray
    du, dv = (u.shape[1], v.shape[1]) if arrays else (len(u[0]), len(v[0]))
    _dimensions(du, dv, rows, cols)
    w = _int64_stack(u, v) if arrays else None  # (arrays: the checker's own copy, read once)
    if rows * cols * du <= PYTHON_PRODUCTS:  # Python integers throughout
        flat = w.ravel().tolist() if w is not None else [*itertools.chain.from_iterable(u), *itertools.chain.from_iterable(v)]
        return _small_bound(bm, flat, du, bound, source)
    if w is None:
        w = _int64_stack(u, v)
    _filtered_norms(w, rows)  # every |k| <= 2^60 now (a norm at most 1)
    return _large_bound(bm, w, bound, source)


def _large_bound(bm: BiasMatrix, w: NDArray[np.int64], bound: Fraction | None, source: str) -> Bound:
    """Lemma X2's value for stacked vectors ``w`` (int64, every norm already proved at most 1): the limb trace, or lemma L, or
    Python integers when ``|N|`` is beyond int64."""
    rows = bm.rows
    n64 = bm.int64
    if n64 is None:  # |N| beyond int64: Python integers
        tot = strategy_total(bm.ints, w[:rows].tolist(), w[rows:].tolist())
    else:
        tot = stacked_total(bm.ints, w, rows, n64, bm.max_abs, VECTOR_BITS)
    return _lower_bound(bm, tot, bound, source)


def _small_bound(bm: BiasMatrix, flat: list[int], d: int, bound: Fraction | None, source: str) -> Bound:
    """Lemma X2 in Python integers: ``flat`` holds ``u`` then ``v`` row-major (dimension ``d``, checked; Python ints)."""
    n = bm.rows * d
    if max(_squared_norms(flat, d)) > _NORM2:  # (u's vectors, then v's) the exact test names the vector
        _norms_at_most_one("u", flat[:n], d)
        _norms_at_most_one("v", flat[n:], d)
    return _lower_bound(bm, _python_total(bm.ints, flat, n, d), bound, source)


def _lower_bound(bm: BiasMatrix, tot: int, bound: Fraction | None, source: str) -> Bound:
    """The bound of lemma X2 from the exact ``T = sum_xy N_xy <u_x, v_y>``: value ``1/2 + T / (2 L 4^60)``."""
    scale = bm.den * _NORM2
    proven = Fraction(scale + tot, 2 * scale)  # 1/2 + tot / (2 L 4^60), one normalisation
    if bound is None:
        bound = proven
    elif bound > proven:
        raise CertificateError(f"claimed lower bound {show_rational(bound)} exceeds the strategy's exact value ({show_rational(proven)})")
    return _issue("lower", bound, _bm_target(bm, "quantum"), source, "proofs.checkers.xor:check_xor_quantum_vectors (lemma X2, exact)", proven=proven)


def check_xor_quantum_vectors(cert: dict[str, Any], source: str) -> Bound:
    """Verify an ``"xor-quantum-vectors"`` certificate: the strategy's exact value is ``>= bound`` (lemma X2).

    >>> from proofs.exact.certificate import new_certificate
    >>> m = [[Fraction(1, 2), Fraction(-1, 2)]]
    >>> one = str(2**60) + "/" + str(2**60)
    >>> c = new_certificate("xor-quantum-vectors", XorMatrix.from_matrix(m), 1, "lower", Fraction(1), denominator=2, bias=[[1, -1]],
    ...                     u=[[one]], v=[[one], ["-" + one]])
    >>> check_xor_quantum_vectors(c, "demo").value
    Fraction(1, 1)
    """
    hd, game, bm = _game(cert, "xor-quantum-vectors", "lower")
    for key, n in (("u", game.rows), ("v", game.cols)):
        raw = field_list(cert, key, n)
        _dimension(key, len(raw[0]) if raw and isinstance(raw[0], list) else 0, game.rows, game.cols)
    return vectors_bound(bm, _dyadic_rows(cert, "u", game.rows), _dyadic_rows(cert, "v", game.cols), hd.bound, source)


def _int_rows(w: Any, key: str, n: int) -> Any:
    """``n`` vectors as the checker reads them: an int64 array ``n x d`` (as it is: :func:`vectors_bound` reads it once into its
    own copy), a tuple of ``n`` tuples of ``d`` ints (immutable: as it is) or a list of ``n`` lists of ``d`` ints (each row
    copied); ``d >= 1``."""
    if isinstance(w, np.ndarray):
        if type(w) is not np.ndarray or w.dtype != np.int64 or w.ndim != 2 or w.shape[0] != n or w.shape[1] < 1:
            raise CertificateFormatError(f"{key!r} must be an int64 array of shape ({n}, d), d >= 1; got {w.dtype} {w.shape}")
        return w
    rows: tuple[Any, ...] | list[list[Any]]
    if type(w) is tuple and len(w) == n and {*map(type, w)} <= _TUPLE_TYPE and w[0]:
        rows = w  # tuples of ints cannot change
    elif isinstance(w, list) and len(w) == n and {*map(type, w)} <= _LIST_TYPE and w[0]:
        rows = list(map(list.copy, w))  # checked and used as copies: later changes to the caller's lists do not matter
    else:
        raise CertificateFormatError(f"{key!r} must be a list (or tuple) of {n} non-empty lists (tuples) of ints")
    d = len(rows[0])
    if {*map(len, rows)} != {d} or not {*map(type, itertools.chain.from_iterable(rows))} <= _INT_TYPE:
        raise CertificateFormatError(f"{key!r} must be a list of {n} lists of {d} ints")
    return rows


_INT_TYPE = frozenset({int})
_LIST_TYPE = frozenset({list})
_TUPLE_TYPE = frozenset({tuple})


#: the forms of vectors :func:`check_xor_vectors_ints` reads (integers ``k`` of entries ``k / 2^60``)
VectorInts = list[list[int]] | tuple[tuple[int, ...], ...] | NDArray[np.int64]


def check_xor_vectors_ints(bm: BiasMatrix, u: VectorInts, v: VectorInts, *, bound: Fraction | None = None,
                           source: str = "<in-memory>") -> Bound:
    """Lemma X2 on vectors given as integers ``k`` (entries ``k / 2^60``): the in-memory form of an ``xor-quantum-vectors`` certificate.

    ``u`` (``rows x d``) and ``v`` (``cols x d``): lists of lists of Python ints (copied), tuples of tuples of Python ints or
    int64 arrays (read once into the checker's own copy), as :func:`bounds.xor.vector_ints` makes them.
    The same check as :func:`check_xor_quantum_vectors` (:func:`vectors_bound`); ``bm`` is already validated.

    >>> k = 2**59
    >>> check_xor_vectors_ints(BiasMatrix(((1, -1),), 2), [[2 * k]], [[k], [-k]]).value
    Fraction(3, 4)
    >>> check_xor_vectors_ints(BiasMatrix(((1, -1),), 2), np.array([[2 * k]]), np.array([[k], [-k]])).value
    Fraction(3, 4)
    """
    if not isinstance(bm, BiasMatrix):
        raise CertificateFormatError(f"`bm` must be a proofs.exact.xor_matrix.BiasMatrix; got {type(bm).__name__}")
    if type(u) is tuple and type(v) is tuple and len(u) == bm.rows and len(v) == bm.cols and {*map(type, u), *map(type, v)} <= _TUPLE_TYPE:
        d = len(u[0])  # tuples (immutable: no copy), validated together; anything else takes the route below, which names the fault
        if 1 <= d <= bm.rows + bm.cols and {*map(len, u), *map(len, v)} == {d} and bm.rows * bm.cols * d <= PYTHON_PRODUCTS:
            flat = [*itertools.chain.from_iterable(u), *itertools.chain.from_iterable(v)]
            if {*map(type, flat)} <= _INT_TYPE:
                return _small_bound(bm, flat, d, bound, source)
    ur, vr = _int_rows(u, "u", bm.rows), _int_rows(v, "v", bm.cols)
    if (type(ur) is np.ndarray) != (type(vr) is np.ndarray):  # one form for both
        ur, vr = (ur.tolist() if type(ur) is np.ndarray else ur), (vr.tolist() if type(vr) is np.ndarray else vr)
    return vectors_bound(bm, ur, vr, bound, source)


def check_xor_vectors_floats(bm: BiasMatrix, u: NDArray[np.float64], v: NDArray[np.float64], *, bound: Fraction | None = None,
                             source: str = "<in-memory>") -> Bound:
    """Lemma X2 on float vectors put on the dyadic grid by the checker itself: the in-memory form of the ``xor-quantum-vectors``
    certificate that :func:`bounds.xor.xor_vectors_certificate` would write for ``u``, ``v``.

    ``u`` (``rows x d``), ``v`` (``cols x d``): float64 arrays (read once).  The checker forms ``k = trunc(fl(t c))``,
    ``c = DYADIC_SCALE = (1 - 2^-40) 2^60`` (the integers of :func:`bounds.xor.vector_ints`: unit vectors keep norms at most
    ``1 - 2^-40``) and checks them as :func:`check_xor_vectors_ints` does.  Soundness does not depend on this rounding: any
    integers ``k`` whose norms are proved at most ``2^60`` define a strategy, and its exact value is the bound.  Fewer steps than
    ``check_xor_vectors_ints(bm, vector_ints(u), vector_ints(v))``: the integers are made once, in the checker's own array.

    >>> bm = BiasMatrix(((1, 1), (1, -1)), 4)   # CHSH, u = e1, e2 and v = (e1 +- e2) / sqrt 2: just below cos^2(pi/8)
    >>> s = 2**-0.5
    >>> 0.8535533 < float(check_xor_vectors_floats(bm, np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([[s, s], [s, -s]])).value) < 0.85355339060
    True
    """
    if not isinstance(bm, BiasMatrix):
        raise CertificateFormatError(f"`bm` must be a proofs.exact.xor_matrix.BiasMatrix; got {type(bm).__name__}")
    rows, cols = bm.rows, bm.cols
    for key, arr, n in (("u", u, rows), ("v", v, cols)):
        if type(arr) is not np.ndarray or arr.dtype != np.float64 or arr.ndim != 2 or arr.shape[0] != n or arr.shape[1] < 1:
            raise CertificateFormatError(f"{key!r} must be a float64 array of shape ({n}, d), d >= 1; got {type(arr).__name__} "
                                         f"{getattr(arr, 'dtype', '')} {getattr(arr, 'shape', '')}")
    d = u.shape[1]
    _dimensions(d, v.shape[1], rows, cols)
    c = DYADIC_SCALE
    if rows * cols * d <= PYTHON_PRODUCTS:  # Python floats and integers (int() refuses NaN and infinities)
        try:
            flat = [int(t * c) for t in [*u.ravel().tolist(), *v.ravel().tolist()]]
        except (ValueError, OverflowError):
            raise CertificateFormatError("entries of 'u' and 'v' must be finite floats") from None
        return _small_bound(bm, flat, d, bound, source)
    wf = np.concatenate((u, v)) * c  # fl(t c), read once
    filtered = np.multiply(wf, wf).sum(axis=1).max() <= NORM_FILTER  # lemma X2's filter on f = fl(t c), |k| <= |f|; NaN fails it
    if not filtered:
        if not np.isfinite(wf).all():
            raise CertificateFormatError("entries of 'u' and 'v' must be finite floats")
        if not np.abs(wf).max() < 2.0**62:
            raise CertificateFormatError(f"entries of 'u' and 'v' must have magnitude at most 1 (k/2^{VECTOR_BITS}, |k| <= 2^{VECTOR_BITS})")
    w: NDArray[np.int64] = wf.astype(np.int64)  # every |fl(t c)| < 2^62 now: the cast truncates towards zero, exactly
    if not filtered:  # the exact test decides
        _norms_at_most_one("u", w[:rows].ravel().tolist(), d)
        _norms_at_most_one("v", w[rows:].ravel().tolist(), d)
    return _large_bound(bm, w, bound, source)


def _signs(cert: dict[str, Any], key: str, n: int) -> list[int]:
    raw = field_list(cert, key, n)
    if not all(isinstance(s, int) and not isinstance(s, bool) and s in (1, -1) for s in raw):
        raise CertificateFormatError(f"certificate field {key!r} must be a list of {n} entries +1 or -1")
    return list(raw)


def check_xor_classical(cert: dict[str, Any], source: str) -> Bound:
    """Verify an ``"xor-classical"`` certificate: a strategy's exact value (lower) or the exhaustive maximum (upper).

    >>> from proofs.exact.certificate import new_certificate
    >>> m = [[Fraction(1, 4), Fraction(1, 4)], [Fraction(1, 4), Fraction(-1, 4)]]
    >>> g, bias = XorMatrix.from_matrix(m), [[1, 1], [1, -1]]
    >>> check_xor_classical(new_certificate("xor-classical", g, 2, "upper", Fraction(3, 4), denominator=4, bias=bias, search="exhaustive"), "demo").value
    Fraction(3, 4)
    >>> check_xor_classical(new_certificate("xor-classical", g, 2, "lower", Fraction(3, 4), denominator=4, bias=bias, a=[1, 1], b=[1, 1]), "demo").side
    'lower'
    """
    side = cert.get("side") if isinstance(cert, dict) else None
    if side not in ("lower", "upper"):
        raise CertificateFormatError(f"field 'side' of an 'xor-classical' certificate must be 'lower' or 'upper'; got {str(side)[:20]!r}")
    hd, game, bm = _game(cert, "xor-classical", side)
    ints, den = bm.ints, bm.den
    if side == "lower":
        a = _signs(cert, "a", game.rows)
        b = _signs(cert, "b", game.cols)
        tot = sum(ai * sum(t if bj > 0 else -t for t, bj in zip(row, b)) for ai, row in zip(a, ints))
        proven = Fraction(1, 2) + Fraction(tot, 2 * den)
        if hd.bound > proven:
            raise CertificateError(f"claimed lower bound {show_rational(hd.bound)} exceeds the strategy's exact value ({show_rational(proven)})")
        return _issue("lower", hd.bound, _target(game, "classical"), source, "proofs.checkers.xor:check_xor_classical (lemma X3, strategy)", proven=proven)
    if cert.get("search") != "exhaustive":
        raise CertificateFormatError(f"an upper 'xor-classical' certificate needs field 'search' = 'exhaustive'; got {str(cert.get('search'))[:20]!r}")
    k = min(game.rows, game.cols)
    if k > EXHAUSTIVE_LIMIT:
        raise CertificateFormatError(f"an exhaustive 'xor-classical' certificate needs min(rows, cols) <= {EXHAUSTIVE_LIMIT}; got {k}")
    if den >= MAX_DENOMINATOR:  # lemma X4b: the search in int64 on N rounded to 2^-s, the near ties rechecked exactly
        rows = [list(r) for r in zip(*ints)] if game.rows > game.cols else [list(r) for r in ints]
        proven = Fraction(1, 2) + Fraction(exhaustive_any_size(rows)[0], 2 * den)
        how = "lemma X4b, rounded exhaustive search with the near ties rechecked exactly"
    else:
        mi = np.array(ints, dtype=np.int64)  # |N_xy| <= sum |N| <= L < 2^62
        if game.rows > game.cols:
            mi = np.ascontiguousarray(mi.T)
        proven = Fraction(1, 2) + Fraction(classical_exhaustive(mi), 2 * den)
        how = "lemma X4, exhaustive search"
    if hd.bound < proven:
        raise CertificateError(f"claimed upper bound {show_rational(hd.bound)} is below the classical value ({show_rational(proven)}) found by exhaustive search")
    return _issue("upper", hd.bound, _target(game, "classical"), source, f"proofs.checkers.xor:check_xor_classical ({how})", proven=proven)
