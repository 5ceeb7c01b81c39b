"""Checkers for the quantum certificate kinds (see ``proofs/lemmas_quantum.md``).

``"tsirelson-dual"`` (:func:`check_tsirelson_dual`)
    Upper bound on the N-bin quantum value.  Lemma Q1 (weak duality) and
    lemma Q2 (enclosure margin): with ``lo <= M <= hi`` rebuilt from the
    exact game (:func:`proofs.exact.cells.cell_enclosure`), midpoint ``Mc``
    and radius ``r``, it suffices that
    ``Z' = [[diag(x'), -Mc/2], [-Mc^T/2, diag(y')]]`` is PSD where
    ``x'_i <= x_i - 1/2 sum_j r_ij`` and ``y'_j <= y_j - 1/2 sum_i r_ij``.
    PSD is proved exactly (rational LDL^T) for ``N <= EXACT_LIMIT`` and
    above through the Schur complement of ``diag(x')`` (lemma Q5: one N x N
    verified Cholesky, Theorem V, :mod:`proofs.exact.psd`; lemma Q5b forms
    that complement in ``O(N^2)`` from the step structure of the cell matrix,
    :mod:`proofs.exact.schur_steps`).
``"tsirelson-dual-relaxed"`` (:func:`check_tsirelson_dual_relaxed`)
    Upper bound on the continuum quantum value (lemma Q3, crossed cells).
``"quantum-vectors"`` (:func:`check_quantum_vectors`)
    Lower bound: the value of an explicit strategy, enclosed with rigorous
    floating-point error bounds (lemma Q4).

No solver output is trusted: each checker recomputes every number it uses,
and imports only :mod:`proofs.exact`, numpy and python-flint.
"""

from __future__ import annotations

import re
import weakref
from fractions import Fraction
from functools import lru_cache
from itertools import chain, repeat
from threading import Lock
from typing import Any

import numpy as np
from numpy.typing import NDArray

from proofs.checkers.bound import Bound, Target, _issue
from proofs.exact.cells import MAX_N, CellEnclosure, cell_enclosure
from proofs.exact.certificate import certificate_header, field_int, field_list
from proofs.exact.errors import CertificateError, CertificateFormatError
from proofs.exact.psd import dual_matrix, exact_float_sum, exact_psd, gamma
from proofs.exact.rational import float_down, float_up, parse_fraction, show_rational
from proofs.exact.schur_steps import StepPrep, step_prepare, step_schur_psd

__all__ = [
    "EXACT_LIMIT",
    "MAX_VECTOR_ENTRIES",
    "check_norms",
    "check_quantum_vectors",
    "check_tsirelson_dual",
    "check_tsirelson_dual_relaxed",
    "dual_margins",
    "half_and_steps",
    "negated_half",
    "norm_threshold",
    "reduced_weights",
    "relaxation_slack",
]

#: largest N whose dual matrix (2N x 2N) is tested exactly in rational arithmetic
EXACT_LIMIT = 32
#: most entries N x d of each vector list of a ``quantum-vectors`` certificate: every entry is parsed and
#: squared exactly (about 50 us each; N = 512, d = 1024 took 50 s). The producer writes d <= sqrt(4N) + 1
#: (92 at N = 2048: 188,416 entries) or d <= 2N for small N
MAX_VECTOR_ENTRIES = 2**18


#: an entry a float writes exactly: ``p/q`` with ``|p| < 2^53`` and ``q`` a power of two up to ``2^1022``
#: (then ``p/q >= 2^-1022`` is a normal float, and Python's correctly rounded int / int division is exact)
_DYADIC = re.compile(r"([+-]?)([0-9]{1,16})/([0-9]{1,308})")


def _vector(cert: dict[str, Any], key: str, n: int) -> NDArray[np.float64]:
    """A list of ``n`` rationals, each rounded *down* to a float."""
    raw = field_list(cert, key, n)
    fast = _dyadic_entries(raw)  # exact floats p/2^k with |p| <= 2^k, vectorised (NaN where not taken)
    out = np.empty(n) if fast is None else fast
    for i in range(n) if fast is None else np.flatnonzero(np.isnan(fast)).tolist():
        t = raw[i]
        m = _DYADIC.fullmatch(t) if isinstance(t, str) else None
        if m is not None:
            p, q = int(m[2]), int(m[3])
            if p < 2**53 and 0 < q <= 2**1022 and q & (q - 1) == 0:  # an exact float, its own rounding down
                out[i] = -(p / q) if m[1] == "-" else p / q
                continue
        f = parse_fraction(t, f"{key}[{i}]")
        if abs(f) >= 2**1000:
            raise CertificateFormatError(f"entries of {key!r} must be rationals of magnitude below 2^1000")
        v = float(f)
        out[i] = v if Fraction(v) <= f else float_down(f)
    return out


@lru_cache(maxsize=512)
def _sum_factor(m: int) -> float:
    """A float ``>= 1 / (1 - gamma_m)``: a float sum of ``m`` non-negative floats times it bounds the exact sum from above."""
    return float_up(1 / (1 - gamma(m)))


def _half_sum_up(a: NDArray[np.float64], axis: int) -> NDArray[np.float64]:
    """Float upper bounds on ``1/2`` the sums of non-negative floats along ``axis``: ``fl(sum) / (1 - gamma) / 2``, rounded up."""
    k = _sum_factor(a.shape[axis])  # >= 1/(1 - gamma_m); fl(sum) >= (1 - gamma_m) sum
    s = np.sum(a, axis=axis)
    return np.nextafter(np.nextafter(s * k, np.inf) * 0.5, np.inf)


def dual_margins(r: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Float upper bounds of ``1/2 sum_j r_ij`` (rows) and ``1/2 sum_i r_ij`` (columns), lemma Q2.

    >>> row, col = dual_margins(np.array([[1.0, 2.0**-53]]))   # fl(1 + 2^-53) = 1, yet the bound covers it
    >>> Fraction(float(row[0])) >= (1 + Fraction(1, 2**53)) / 2, bool(col[1] >= 2.0**-54)
    (True, True)
    """
    return _half_sum_up(r, 1), _half_sum_up(r, 0)


def reduced_weights(x: NDArray[np.float64], y: NDArray[np.float64], r: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Floats ``x' <= x - 1/2 (row sums of r)`` and ``y' <= y - 1/2 (column sums of r)`` of lemma Q2 (vectorised).

    Each difference is rounded to nearest and stepped down one ulp, so the
    inequalities hold exactly.

    >>> xp, yp = reduced_weights(np.array([1.0]), np.array([1.0]), np.array([[3 * 2.0**-53]]))
    >>> Fraction(float(xp[0])) <= 1 - Fraction(3, 2**54)
    True
    """
    row, col = dual_margins(r)
    return np.nextafter(x - row, -np.inf), np.nextafter(y - col, -np.inf)


def negated_half(mc: NDArray[np.float64]) -> NDArray[np.float64]:
    """``-Mc/2``, or :class:`CertificateError` if some half is not exact (a subnormal cell value).

    Halving is exact unless the half is subnormal: only the entries whose
    half is below ``2^-1022`` are tested (exactly, by doubling back).  Row
    blocks that stay in cache: one read of ``Mc``, one write.

    >>> negated_half(np.array([[0.5, -1.0]])).tolist()
    [[-0.25, 0.5]]
    >>> negated_half(np.array([[5e-324]]))
    Traceback (most recent call last):
    ...
    proofs.exact.errors.CertificateError: M/2 is not exact in floating point (subnormal cell values); cannot verify
    """
    half = np.empty_like(mc)
    step = max(8, (1 << 15) // max(mc.shape[1], 1))
    for i0 in range(0, mc.shape[0], step):
        src = mc[i0:i0 + step]
        h = np.multiply(src, -0.5, out=half[i0:i0 + step])
        tiny = np.abs(h) < 2.0**-1022
        if np.any(tiny) and not np.array_equal(h[tiny] * -2.0, src[tiny]):
            raise CertificateError("M/2 is not exact in floating point (subnormal cell values); cannot verify")
    return half


#: the last read-only ``Mc`` (a weak reference), its ``-Mc/2`` and :func:`proofs.exact.schur_steps.step_prepare` of that
_HALF: list[tuple[Any, NDArray[np.float64], StepPrep]] = []
_HALF_LOCK = Lock()


def half_and_steps(mc: NDArray[np.float64]) -> tuple[NDArray[np.float64], StepPrep]:
    """``negated_half(mc)`` and its step preparation; remembered for the last read-only ``mc`` (the enclosure's).

    The cell enclosure (:func:`proofs.exact.cells.cell_enclosure`) is memoised
    with read-only arrays; its ``Mc`` is the same object for every dual checked
    against one game and ``N``, so ``-Mc/2`` and its step structure (no ``x``,
    ``y`` in them) are formed once, not per certificate -- the same trust as the
    enclosure memo itself (a read-only array that owns its data is not
    written).  Any other ``mc`` is never remembered.

    >>> mc = np.full((40, 40), 0.02); mc[:, 20:] = -0.02; mc.setflags(write=False)
    >>> half, prep = half_and_steps(mc)
    >>> float(half[0, 0]), prep.structure.beta, half_and_steps(mc)[0] is half
    (-0.01, 0.01, True)
    """
    fixed = not mc.flags.writeable and mc.flags.owndata  # no writeable base behind it either
    if fixed:
        with _HALF_LOCK:
            if _HALF and _HALF[0][0]() is mc:
                return _HALF[0][1], _HALF[0][2]
    half = negated_half(mc)
    prep = step_prepare(half)
    if fixed:
        with _HALF_LOCK:
            _HALF[:] = [(weakref.ref(mc), half, prep)]
    return half, prep


def _dual_psd(mc: NDArray[np.float64], r: NDArray[np.float64], x: NDArray[np.float64], y: NDArray[np.float64]) -> str:
    """Prove ``Z(M) >= 0`` for every ``M`` in ``Mc +- r``; return the method name or raise.

    ``N <= EXACT_LIMIT``: exact LDL^T of the 2N x 2N matrix ``Z'``; above,
    the Schur complement of ``diag(x')`` in ``Z'`` by one N x N verified
    Cholesky: formed in ``O(N^2)`` from the step structure of the cell
    matrix (lemma Q5b, :func:`proofs.exact.schur_steps.step_schur_psd`), or
    by the ``N^3`` product of lemma Q5 when ``Mc`` has no such structure.
    """
    n = mc.shape[0]
    xp, yp = reduced_weights(x, y, r)
    if n <= EXACT_LIMIT:
        negated_half(mc)  # M/2 exact (else it raises)
        res = exact_psd(dual_matrix(mc, xp, yp))
    else:
        half, prep = half_and_steps(mc)
        res = step_schur_psd(half, xp, yp, prep)
    if not res.ok:
        raise CertificateError(f"dual matrix Z is not proved positive semidefinite ({res.method}: {res.reason})")
    return res.method


def _q5(method: str) -> str:
    return {"verified-schur": ", Q5", "verified-schur-steps": ", Q5b"}.get(method, "")


def _dual_common(cert: dict[str, Any], kind: str) -> tuple[Any, int, CellEnclosure, NDArray[np.float64], NDArray[np.float64], Fraction]:
    hd = certificate_header(cert, kind, "upper")
    n = field_int(cert, "bins", 1, MAX_N)
    x = _vector(cert, "x", n)
    y = _vector(cert, "y", n)
    enc = cell_enclosure(hd.game, n)
    dual = exact_float_sum(x) + exact_float_sum(y)
    return hd, n, enc, x, y, dual


def check_tsirelson_dual(cert: dict[str, Any], source: str) -> Bound:
    """Verify a ``"tsirelson-dual"`` certificate: N-bin quantum value ``<= bound``.

    >>> from proofs.exact.certificate import new_certificate
    >>> c = new_certificate("tsirelson-dual", {"type": "linear", "s": "1"}, 1, "upper", Fraction(1), bins=1, x=["1/4"], y=["1/4"])
    >>> check_tsirelson_dual(c, "demo").value   # N = 1: M = 1/2, value 3/4 <= 1/2 + (1/4 + 1/4)/2
    Fraction(1, 1)
    """
    hd, n, enc, x, y, dual = _dual_common(cert, "tsirelson-dual")
    if hd.n != n:
        raise CertificateFormatError(f"a 'tsirelson-dual' certificate bounds the N-bin game with N = 'bins' = {n}; got N = {hd.n}")
    mc, r = enc.mid_radius()
    method = _dual_psd(mc, r, x, y)
    proven = Fraction(1, 2) + dual / 2
    if hd.bound < proven:
        raise CertificateError(f"claimed upper bound {show_rational(hd.bound)} is below what the dual proves ({show_rational(proven)})")
    return _issue(
        "upper", hd.bound, Target(hd.game.describe(), n, "quantum"), source,
        f"proofs.checkers.quantum:check_tsirelson_dual (lemmas Q1-Q2{_q5(method)}, {method})", proven=proven, psd_method=method,
    )


def relaxation_slack(enc: CellEnclosure, relaxation: str) -> Fraction:
    """Exact upper bound on the crossed-cell slack of lemma Q3 (bias units).

    ``"zero"``: ``K / N^2`` for ``K`` crossed cells.  ``"mean"``:
    ``sum over crossed cells of (1 - N^4 M_ij^2) / N^2``, with ``M_ij^2``
    bounded below over the enclosure.

    >>> enc = cell_enclosure({"type": "linear", "s": "1"}, 2)
    >>> relaxation_slack(enc, "zero"), relaxation_slack(enc, "mean")
    (Fraction(1, 2), Fraction(1, 2))
    """
    n = enc.n
    cells = list(zip(*np.nonzero(enc.kind == 0)))
    if relaxation == "zero":
        return Fraction(len(cells), n * n)
    if relaxation != "mean":
        raise CertificateFormatError(f"field 'relaxation' must be 'mean' or 'zero'; got {str(relaxation)[:20]!r}")
    tot = Fraction(0)
    n2 = n * n
    for i, j in cells:
        lo, hi = Fraction(float(enc.lo[i, j])), Fraction(float(enc.hi[i, j]))
        m2 = Fraction(0) if lo <= 0 <= hi else min(lo * lo, hi * hi)
        tot += (1 - n2 * n2 * m2) / n2
    return tot


def check_tsirelson_dual_relaxed(cert: dict[str, Any], source: str) -> Bound:
    """Verify a ``"tsirelson-dual-relaxed"`` certificate: *continuum* quantum value ``<= bound`` (lemma Q3).

    >>> from proofs.exact.certificate import new_certificate
    >>> cert = new_certificate("tsirelson-dual-relaxed", {"type": "linear", "s": "1"}, None, "upper", Fraction(4001, 4000),
    ...                        bins=2, x=["1001/8000"] * 2, y=["1001/8000"] * 2, relaxation="zero")
    >>> b = check_tsirelson_dual_relaxed(cert, "demo")   # two crossed cells of area 1/4: slack 1/2
    >>> b.side, b.value, b.target.n, b.details["slack"]
    ('upper', Fraction(4001, 4000), None, Fraction(1, 2))
    """
    hd, _n, enc, x, y, dual = _dual_common(cert, "tsirelson-dual-relaxed")
    if hd.n is not None:
        raise CertificateFormatError(f"a 'tsirelson-dual-relaxed' certificate bounds the continuum game: 'N' must be null; got {hd.n}")
    relaxation = cert.get("relaxation")
    if not isinstance(relaxation, str):
        raise CertificateFormatError(f"field 'relaxation' must be 'mean' or 'zero'; got {str(relaxation)[:20]!r}")
    slack = relaxation_slack(enc, relaxation)
    mc, r = enc.mid_radius()
    if relaxation == "zero":
        crossed = enc.kind == 0
        mc = np.where(crossed, 0.0, mc)
        r = np.where(crossed, 0.0, r)
    method = _dual_psd(mc, r, x, y)
    proven = Fraction(1, 2) + (dual + slack) / 2
    if hd.bound < proven:
        raise CertificateError(f"claimed upper bound {show_rational(hd.bound)} is below what the relaxed dual proves ({show_rational(proven)})")
    return _issue(
        "upper", hd.bound, Target(hd.game.describe(), None, "quantum"), source,
        f"proofs.checkers.quantum:check_tsirelson_dual_relaxed (lemmas Q1-Q3{_q5(method)}, {relaxation}, {method})",
        proven=proven, slack=slack, psd_method=method,
    )


def _entry(t: Any, key: str, i: int, k: int) -> float:
    """The float nearest to entry ``key[i][k]`` (a rational of absolute value at most 1)."""
    m = _DYADIC.fullmatch(t) if isinstance(t, str) else None
    if m is not None:
        p, q = int(m[2]), int(m[3])
        # p/q = p 2^-e with p < 2^53 and e <= 1022: a normal float, which the division returns exactly
        if p <= q and p < 2**53 and 0 < q <= 2**1022 and q & (q - 1) == 0:
            return -(p / q) if m[1] == "-" else p / q
    f = parse_fraction(t, key)
    if abs(f) > 1:
        raise CertificateError(f"entry {key}[{i}][{k}] exceeds 1 in absolute value: the vector has norm greater than 1")
    return float(f)


#: a comma-joined run of entries ``p/q`` with ``|p|`` of at most 16 digits (the form the producer writes)
_DYADIC_RUN = re.compile(r"[+-]?[0-9]{1,16}/[0-9]{1,308}(?:,[+-]?[0-9]{1,16}/[0-9]{1,308})*")
#: the decimal spelling of ``2^k`` -> ``k`` for ``0 <= k <= 1022`` (built on first use)
_POW2: dict[str, int] = {}


def _dyadic_entries(flat: list[Any]) -> NDArray[np.float64] | None:
    """The entries ``p/2^k`` (``|p| < 2^53``, ``|p| <= 2^k``, ``k <= 1022``) as exact floats, vectorised; NaN elsewhere.

    ``None`` when the list is not all strings of the form ``[+-]digits/digits``
    (the caller then reads every entry with :func:`_entry`).  A numerator of
    at most 16 digits is read as a float; it is exact when below ``2^53``
    (rounding is monotone, so a float below ``2^53`` comes from an integer below it);
    the denominator must spell a power of two exactly (a table of the 1023
    spellings), and ``p 2^-k`` is then a normal float or zero, formed exactly by ``ldexp``.

    >>> _dyadic_entries(["3/4", "-1/1", "5/3", "1/2"]).tolist()
    [0.75, -1.0, nan, 0.5]
    >>> _dyadic_entries(["1/2", 0.5]) is None
    True
    """
    if set(map(type, flat)) != {str}:  # exactly str, every one (C-level loop)
        return None
    joined = ",".join(flat)
    if _DYADIC_RUN.fullmatch(joined) is None:
        return None
    parts = joined.replace("/", ",").split(",")
    if len(parts) != 2 * len(flat):  # an entry with a comma of its own
        return None
    if not _POW2:
        _POW2.update((str(1 << k), k) for k in range(1023))
    p = np.array(parts[0::2], dtype=np.float64)
    k = np.fromiter(map(_POW2.get, parts[1::2], repeat(-1)), dtype=np.int64, count=len(flat))
    ok = (k >= 0) & (np.abs(p) < 2.0**53) & (np.abs(p) <= np.ldexp(1.0, np.maximum(k, 0)))
    return np.where(ok, np.ldexp(p, -np.maximum(k, 0)), np.nan)


def _matrix(cert: dict[str, Any], key: str, n: int) -> NDArray[np.float64]:
    raw = field_list(cert, key, n)
    if not all(isinstance(row, list) for row in raw):
        raise CertificateFormatError(f"certificate field {key!r} must be a list of N = {n} vectors")
    d = len(raw[0]) if raw else 0
    if d == 0 or d > 2 * n or any(len(row) != d for row in raw):
        raise CertificateFormatError(f"rows of {key!r} must be of equal length between 1 and 2N = {2 * n}")
    if n * d > MAX_VECTOR_ENTRIES:
        raise CertificateFormatError(f"certificate field {key!r} may have at most {MAX_VECTOR_ENTRIES} entries (N x dimension); got {n} x {d} = {n * d}")
    flat = list(chain.from_iterable(raw))
    out = _dyadic_entries(flat)
    if out is None:
        out = np.full(n * d, np.nan)
    for idx in np.flatnonzero(np.isnan(out)).tolist():  # everything the vectorised reading did not take
        out[idx] = _entry(flat[idx], key, idx // d, idx % d)
    return out.reshape(n, d)


def norm_threshold(d: int) -> float:
    """A float ``thr <= 1 - gamma_d - d 2^-1075``: ``fl(sum of d squares) <= thr`` proves the exact sum ``<= 1`` (lemma Q4).

    >>> 1 - 1e-15 < norm_threshold(3) < 1
    True
    """
    return float_down(1 - gamma(d) - d * Fraction(1, 2**1075))


def check_norms(w: NDArray[np.float64], name: str) -> None:
    """Prove ``|w_i|^2 <= 1`` exactly for every row of ``w``, or raise :class:`CertificateError` (lemma Q4).

    A row passes at once when its floating-point sum of squares is at most
    :func:`norm_threshold`; the few others (norms within about ``d u`` of 1)
    are summed exactly in rationals.

    >>> check_norms(np.array([[0.5, 0.5], [1.0, 0.0]]), "u")   # the second row goes to the exact sum: exactly 1
    >>> check_norms(np.array([[0.6, 0.8]]), "v")   # the floats 0.6, 0.8: fl(sum of squares) = 1, exact sum > 1
    Traceback (most recent call last):
    ...
    proofs.exact.errors.CertificateError: vector v[0] has norm greater than 1
    """
    s = np.einsum("ij,ij->i", w, w)  # d products and d - 1 sums per row, in any order
    for i in np.flatnonzero(~(s <= norm_threshold(w.shape[1]))).tolist():
        if sum((Fraction(float(t)) ** 2 for t in w[i]), Fraction(0)) > 1:
            raise CertificateError(f"vector {name}[{i}] has norm greater than 1")


def check_quantum_vectors(cert: dict[str, Any], source: str) -> Bound:
    """Verify a ``"quantum-vectors"`` certificate: the strategy's value is ``>= bound`` (lemma Q4).

    The vectors (each entry rounded to the nearest float; the floats are the
    strategy) must have Euclidean norm at most 1 in exact arithmetic; such
    vectors are realisable correlators.  The value
    ``1/2 + 1/2 sum M_ij <u_i, v_j>`` is enclosed with ``M`` from
    :func:`proofs.exact.cells.cell_enclosure` and a-priori bounds on every
    floating-point error (``fl(Mc V)`` and the two sums after it: ``gamma_{2N+2d+1}``).
    ``N`` null claims the bound for the continuum game (bin-constant lifting).

    >>> from proofs.exact.certificate import new_certificate
    >>> cert = new_certificate("quantum-vectors", {"type": "linear", "s": "1"}, 2, "lower", Fraction(749, 1000), bins=2,
    ...                        u=[["1", "0"], ["0", "1"]], v=[["1", "0"], ["0", "-1"]])
    >>> b = check_quantum_vectors(cert, "demo")
    >>> b.side, float(b.value), round(float(b.details["proven"]), 12)
    ('lower', 0.749, 0.75)
    """
    hd = certificate_header(cert, "quantum-vectors", "lower")
    n = field_int(cert, "bins", 1, MAX_N)
    if hd.n not in (n, None):
        raise CertificateFormatError(f"'N' must equal 'bins' = {n} (the N-bin game) or be null (the continuum); got {hd.n}")
    u = _matrix(cert, "u", n)
    v = _matrix(cert, "v", n)
    if u.shape[1] != v.shape[1]:
        raise CertificateFormatError(f"'u' and 'v' must have the same dimension; got {u.shape[1]} and {v.shape[1]}")
    d = u.shape[1]
    check_norms(u, "u")
    check_norms(v, "v")
    enc = cell_enclosure(hd.game, n)
    mc, r = enc.mid_radius()
    # t = fl(sum_i fl(sum_k u_ik fl(Mc V)_ik)): every term Mc_ij v_jk u_ik passes at most 2N + d - 1 roundings
    # and sum |Mc_ij v_jk u_ik| <= sum |Mc_ij| |u_i| |v_j| <= S (norms <= 1): |t - sum Mc <u_i, v_j>| <= gamma_{2N+d} S
    t = float(np.sum(np.einsum("ik,ik->i", u, mc @ v)))
    n2 = n * n
    s_abs = n2 * Fraction(float(max(mc.max(), -mc.min())))  # >= sum |Mc|
    r_sum = exact_float_sum(np.sum(r, axis=1)) / (1 - gamma(n))  # >= sum r (|<u_i, v_j>| <= 1)
    # gradual underflow adds at most 2^-1075 per product (N^2 d in Mc V, N d more), doubled through the sums
    under = (n2 + n) * d / Fraction(2) ** 1070
    err = gamma(2 * n + 2 * d + 1) * s_abs + r_sum + under
    proven = Fraction(1, 2) + (Fraction(t) - err) / 2
    if hd.bound > proven:
        raise CertificateError(f"claimed lower bound {show_rational(hd.bound)} exceeds the strategy's enclosed value ({show_rational(proven)})")
    return _issue(
        "lower", hd.bound, Target(hd.game.describe(), hd.n, "quantum"), source,
        "proofs.checkers.quantum:check_quantum_vectors (lemma Q4" + (", bin-constant lifting" if hd.n is None else "") + ")",
        proven=proven, error_bound=err,
    )
