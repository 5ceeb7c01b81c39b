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
    :func:`proofs.exact.psd.verified_schur_psd`); when that cannot prove it and
    ``rows + cols <= EXACT_PSD_LIMIT``, it is decided exactly (fraction-free
    integer elimination, lemma B of :mod:`proofs.exact.integer_psd`).
``"xor-quantum-vectors"`` (:func:`check_xor_quantum_vectors`, lemma X2)
    Lower bound on the quantum value: vectors with dyadic entries
    ``k / 2^60`` and Euclidean norm at most 1 (checked exactly), whose value
    is computed exactly in integers (int64 limbs, lemma L of :mod:`proofs.exact.limb_matmul`).
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

import math
import re
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from proofs.checkers.bound import Bound, Target, _issue
from proofs.checkers.quantum import reduced_weights
from proofs.exact.certificate import certificate_header, field_list
from proofs.exact.errors import CertificateError, CertificateFormatError
from proofs.exact.integer_psd import integer_psd
from proofs.exact.limb_matmul import strategy_sum
from proofs.exact.psd import PsdCheck, verified_schur_psd
from proofs.exact.rational import MAX_DIGITS, float_down, parse_fraction, show_rational
from proofs.exact.xor_matrix import MAX_DENOMINATOR, XorMatrix, read_bias

__all__ = [
    "EXACT_PSD_LIMIT",
    "EXHAUSTIVE_LIMIT",
    "MAX_PRODUCTS",
    "VECTOR_BITS",
    "check_xor_classical",
    "check_xor_quantum_dual",
    "check_xor_quantum_vectors",
    "classical_exhaustive",
    "enclosure",
]

#: largest ``rows + cols`` whose dual matrix is tested exactly in rational arithmetic (the entries' denominators
#: grow during the elimination: 32 x 32 random games took seconds, so larger ones take the verified route)
EXACT_PSD_LIMIT = 24
#: largest smaller side of an exhaustive classical search (2^23 sign vectors: seconds)
EXHAUSTIVE_LIMIT = 24
#: most products ``rows * cols * dimension`` of an ``xor-quantum-vectors`` certificate (exact integer Gram matrix)
MAX_PRODUCTS = 2**22
#: vector entries are ``k / 2^VECTOR_BITS`` with ``|k| <= 2^VECTOR_BITS``
VECTOR_BITS = 60


def _game(cert: dict[str, Any], kind: str, side: str) -> tuple[Any, XorMatrix, list[list[int]], int]:
    """Header, game and the exact matrix ``M = N / L`` as ``(N, L)`` (:func:`proofs.exact.xor_matrix.read_bias`)."""
    hd = certificate_header(cert, kind, side)
    game = hd.game
    ints, den = read_bias(cert, game)
    assert isinstance(game, XorMatrix)
    if hd.n != game.rows:
        raise CertificateFormatError(f"an {kind!r} certificate has N = rows = {game.rows}; got N = {hd.n}")
    return hd, game, ints, den


def _target(game: XorMatrix, model: str) -> Target:
    return Target(game.describe(), game.rows, model)  # type: ignore[arg-type]


_RATIO = re.compile(rf"[+-]?[0-9]{{1,{MAX_DIGITS}}}/[0-9]{{1,{MAX_DIGITS}}}")


def _ratio(t: Any, name: str) -> Fraction:
    """:func:`proofs.exact.rational.parse_fraction`, with a fast path for ``"p/q"`` strings (the same accepted set and value)."""
    if type(t) is str and _RATIO.fullmatch(t) is not None:
        num, _, den = t.partition("/")
        q = int(den)
        if q != 0:
            return Fraction(int(num), q)
    return parse_fraction(t, name)


def _weights(cert: dict[str, Any], key: str, n: int) -> list[Fraction]:
    out = []
    for i, t in enumerate(field_list(cert, key, n)):
        f = _ratio(t, f"{key}[{i}]")
        if abs(f) >= 2**1000:
            raise CertificateFormatError(f"entries of {key!r} must be rationals of magnitude below 2^1000")
        out.append(f)
    return out


def enclosure(ints: list[list[int]], den: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """``(Mc, r)``: the nearest floats of ``M = N / L`` and float radii with ``|M - Mc| <= r`` exactly (lemma Q2's enclosure).

    ``Mc_xy`` is the correctly rounded quotient ``N_xy / L`` (IEEE division of
    two exact floats when both are below ``2^53``, else CPython's integer true
    division, also correctly rounded for integers of any size); so
    ``|M - Mc| <= ulp/2 <= spacing(|Mc|)`` (the spacing above ``|Mc|`` is at
    least the ulp on either side; in the subnormal range it is ``2^-1074``).
    ``r = spacing(|Mc|)``, and 0 when ``L`` is a power of two below ``2^1023``
    and every ``|N| < 2^53`` (then every quotient is a float exactly).

    >>> mc, r = enclosure([[1], [-2]], 3)
    >>> Fraction(float(r[0, 0])) >= abs(Fraction(1, 3) - Fraction(float(mc[0, 0]))), bool(enclosure([[1]], 4)[1][0, 0] == 0)
    (True, True)
    """
    big = den >= 2**53 or any(abs(t) >= 2**53 for row in ints for t in row)
    if big:
        mc = np.array([[t / den for t in row] for row in ints], dtype=np.float64)
    else:
        mc = np.array(ints, dtype=np.float64) / float(den)
    if not np.all(np.isfinite(mc)):
        raise CertificateFormatError("entries of 'bias' must lie in the float range")
    exact = not big and den & (den - 1) == 0 and den < 2**1023
    r = np.zeros_like(mc) if exact else np.spacing(np.abs(mc))
    return mc, r


def _verified(ints: list[list[int]], den: int, x: list[Fraction], y: list[Fraction]) -> PsdCheck:
    """Lemma Q2's enclosure of ``M`` and lemma Q5's verified Schur test (:func:`proofs.exact.psd.verified_schur_psd`)."""
    mc, r = enclosure(ints, den)
    half = -0.5 * mc
    if not np.array_equal(half * -2.0, mc):
        return PsdCheck(False, "verified-schur", 0.0, "M/2 is not exact in floating point (subnormal entries)")
    xf = np.array([float_down(t) for t in x])
    yf = np.array([float_down(t) for t in y])
    xp, yp = reduced_weights(xf, yf, r)
    return verified_schur_psd(half, xp, yp)


def _exact(ints: list[list[int]], den: int, x: list[Fraction], y: list[Fraction]) -> PsdCheck:
    """``D Z`` with ``D`` the least common denominator: an integer matrix, PSD iff ``Z`` is (lemma B)."""
    rows, cols = len(ints), len(ints[0])
    d = math.lcm(2 * den, *(t.denominator for t in x), *(t.denominator for t in y))
    f = d // (2 * den)
    z = [[0] * (rows + cols) for _ in range(rows + cols)]
    for i in range(rows):
        z[i][i] = x[i].numerator * (d // x[i].denominator)
        for j in range(cols):
            z[i][rows + j] = z[rows + j][i] = -ints[i][j] * f
    for j in range(cols):
        z[rows + j][rows + j] = y[j].numerator * (d // y[j].denominator)
    return integer_psd(z)


def _psd(ints: list[list[int]], den: int, x: list[Fraction], y: list[Fraction]) -> str:
    """The verified route first (cheap; needs a margin); if it cannot prove PSD and ``rows + cols <= EXACT_PSD_LIMIT``, the exact route decides."""
    rows, cols = len(ints), len(ints[0])
    res = _verified(ints, den, x, y)
    if not res.ok and rows + cols <= EXACT_PSD_LIMIT:
        res = _exact(ints, den, x, y)
    if not res.ok:
        raise CertificateError(f"dual matrix Z is not proved positive semidefinite ({res.method}: {res.reason})")
    return res.method


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
    hd, game, ints, den = _game(cert, "xor-quantum-dual", "upper")
    model = cert.get("model")
    if model not in ("quantum", "classical"):
        raise CertificateFormatError(f"field 'model' must be 'quantum' or 'classical'; got {str(model)[:20]!r}")
    x = _weights(cert, "x", game.rows)
    y = _weights(cert, "y", game.cols)
    proven = Fraction(1, 2) + (sum(x, Fraction(0)) + sum(y, Fraction(0))) / 2
    if hd.bound < proven:
        raise CertificateError(f"claimed upper bound {show_rational(hd.bound)} is below what the dual proves ({show_rational(proven)})")
    method = _psd(ints, den, x, y)
    return _issue(
        "upper", hd.bound, _target(game, model), source,
        f"proofs.checkers.xor:check_xor_quantum_dual (lemma X1{', Q2, Q5' if method == 'verified-schur' else ', B'}, {method})",
        proven=proven, psd_method=method,
    )


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


def _dyadic_rows(cert: dict[str, Any], key: str, n: int) -> list[list[int]]:
    raw = field_list(cert, key, n)
    if not all(isinstance(row, list) for row in raw):
        raise CertificateFormatError(f"certificate field {key!r} must be a list of {n} vectors")
    d = len(raw[0])
    out = []
    den = 2**VECTOR_BITS
    for i, row in enumerate(raw):
        if len(row) != d:
            raise CertificateFormatError(f"rows of {key!r} must have equal length")
        ints = [_dyadic_entry(t, key, i) for t in row]
        if sum(k * k for k in ints) > den * den:
            raise CertificateError(f"vector {key}[{i}] has norm greater than 1")
        out.append(ints)
    return out


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
    hd, game, ints, den = _game(cert, "xor-quantum-vectors", "lower")
    for key, n in (("u", game.rows), ("v", game.cols)):
        raw = field_list(cert, key, n)
        d = len(raw[0]) if raw and isinstance(raw[0], list) else 0
        if not 1 <= d <= game.rows + game.cols:
            raise CertificateFormatError(f"vectors of {key!r} must have dimension between 1 and rows + cols = {game.rows + game.cols}")
        if game.rows * game.cols * d > MAX_PRODUCTS:
            raise CertificateFormatError(f"an xor-quantum-vectors certificate has at most {MAX_PRODUCTS} products rows x cols x dimension; got {game.rows * game.cols * d}")
    u = _dyadic_rows(cert, "u", game.rows)
    v = _dyadic_rows(cert, "v", game.cols)
    if len(u[0]) != len(v[0]):
        raise CertificateFormatError(f"'u' and 'v' must have the same dimension; got {len(u[0])} and {len(v[0])}")
    tot = strategy_sum(ints, u, v)
    proven = Fraction(1, 2) + Fraction(tot, 2 * den * 4**VECTOR_BITS)
    if hd.bound > proven:
        raise CertificateError(f"claimed lower bound {show_rational(hd.bound)} exceeds the strategy's exact value ({show_rational(proven)})")
    return _issue("lower", hd.bound, _target(game, "quantum"), source, "proofs.checkers.xor:check_xor_quantum_vectors (lemma X2, exact)", proven=proven)


def _signs(cert: dict[str, Any], key: str, n: int) -> list[int]:
    raw = field_list(cert, key, n)
    if not all(isinstance(s, int) and not isinstance(s, bool) and s in (1, -1) for s in raw):
        raise CertificateFormatError(f"certificate field {key!r} must be a list of {n} entries +1 or -1")
    return list(raw)


def _all_signs(k: int) -> NDArray[np.int64]:
    if k == 0:
        return np.ones((1, 0), dtype=np.int64)
    bits = (np.arange(2**k, dtype=np.int64)[:, None] >> np.arange(k, dtype=np.int64)) & 1
    return 1 - 2 * bits


def classical_exhaustive(mi: NDArray[np.int64]) -> int:
    """``max over a in {+-1}^k, b in {+-1}^n of a^T M b = max_a sum_j |(a^T M)_j|`` for an integer ``k x n`` matrix.

    The caller guarantees ``sum |M| < 2^62``: every partial column sum and
    every row of absolute sums is then below ``2^62`` (no int64 overflow).
    ``a_0 = +1`` by the symmetry ``a -> -a``; the other rows are split in two
    halves enumerated once each (meet in the middle).

    >>> classical_exhaustive(np.array([[1, 1], [1, -1]], dtype=np.int64))
    2
    """
    k = mi.shape[0]
    h1 = (k - 1) // 2
    s1 = _all_signs(h1) @ mi[1:1 + h1] + mi[0]
    s2 = _all_signs(k - 1 - h1) @ mi[1 + h1:]
    best = 0
    step = max(1, 2**16 // s2.shape[0])
    for i0 in range(0, s1.shape[0], step):
        best = max(best, int(np.abs(s1[i0:i0 + step, None, :] + s2[None, :, :]).sum(axis=2).max()))
    return best


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
    hd, game, ints, den = _game(cert, "xor-classical", side)
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
    if den >= MAX_DENOMINATOR:
        raise CertificateFormatError(f"the common denominator of 'bias' must be below 2^62 for the exact search; got {show_rational(den, 4)}")
    mi = np.array(ints, dtype=np.int64)  # |N_xy| <= sum |N| <= L < 2^62
    if game.rows > game.cols:
        mi = np.ascontiguousarray(mi.T)
    proven = Fraction(1, 2) + Fraction(classical_exhaustive(mi), 2 * den)
    if hd.bound < proven:
        raise CertificateError(f"claimed upper bound {show_rational(hd.bound)} is below the classical value ({show_rational(proven)}) found by exhaustive search")
    return _issue("upper", hd.bound, _target(game, "classical"), source, "proofs.checkers.xor:check_xor_classical (lemma X4, exhaustive search)", proven=proven)
