"""Checker of ``"tsirelson-dual-continuum"``: the continuum quantum value, second order in the cell size (lemma Q6).

The N-bin Tsirelson dual ``x, y`` read as bin densities ``x(a) = N x_i`` on
bin ``i`` (``y`` likewise) is a dual of the *continuum* game once it is
scaled by ``1 + tau``, where ``tau`` pays for the part of the rule that the
bin averages miss.  That part lives on the crossed cells and has zero mean
on each of them, so it couples the bin-constant functions only to their
orthogonal complement, where the bin-average operator vanishes; the price
``tau`` is therefore *quadratic* in its norm (``tau ~ ||W||^2 / 4``, about
``1.7 / N^2`` on the paper's game), not linear like the crossed-cell
relaxation of lemma Q3.  Statement and proof: ``proofs/lemmas_quantum.md``,
lemma Q6.

Certificate fields (besides the schema-2 header with ``N`` null and side
``"upper"``): ``bins`` (the grid), ``x``, ``y`` (the dual weights, rationals,
read rounded down), ``v`` (a positive vector for the Collatz-Wielandt bound,
read rounded down), ``tau`` (a rational in ``[0, 1]``).  The checker

1. proves ``Z(x, y; M) >= 0`` for the exact cell matrix ``M`` (lemmas Q1, Q2,
   Q5: the enclosure margin and a verified PSD test, as for ``"tsirelson-dual"``);
2. bounds the crossed-cell variances ``q_ij >= (1 - rho_ij^2) / N^3``
   (Bhatia-Davis; ``rho_ij^2`` bounded below over the enclosure of ``M``);
3. bounds ``omega >= ||W||_2^2`` with ``W_ij = sqrt(q_ij / (N x_i y_j))`` on the
   crossed cells, by the Collatz-Wielandt inequality for the non-negative
   matrix ``W^T W`` and the certificate's positive vector ``v`` (exact
   rational arithmetic on floats ``>= W_ij``);
4. bounds ``eps >= ||T_E||`` by the Schur test:
   ``eps = (R + C) / 2`` with ``R = max_i sum_j (1/x_i + 1/y_j) / N^2`` over the crossed cells of
   row ``i`` (``C`` the same over columns);
5. requires ``tau >= 0``, ``1 + tau >= eps/2`` and ``4 tau (1 + tau - eps/2) >= omega``, and proves
   continuum value ``<= 1/2 + (1 + tau)(sum x + sum y) / 2``.

Everything is exact rational arithmetic on floats or outward-rounded floats;
integers are Python integers (no overflow).  Imports: :mod:`proofs.exact`,
numpy and :mod:`proofs.checkers.bound` only.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from proofs.checkers.bound import Bound, Target, _issue
from proofs.checkers.quantum import reduced_weights
from proofs.exact.cells import MAX_N, CellEnclosure, cell_enclosure
from proofs.exact.certificate import certificate_header, field_int, field_list
from proofs.exact.errors import CertificateError, CertificateFormatError
from proofs.exact.psd import dual_matrix, exact_float_sum, exact_psd, verified_schur_psd
from proofs.exact.rational import float_down, float_up, parse_fraction, show_rational, to_float

__all__ = [
    "EXACT_LIMIT",
    "ContinuumTerms",
    "check_tsirelson_dual_continuum",
    "collatz_bound",
    "continuum_terms",
    "crossed_variances",
    "schur_remainder",
    "sqrt_up",
]

#: largest N whose dual matrix (2N x 2N) is tested exactly in rational arithmetic (above: lemma Q5)
EXACT_LIMIT = 32


def _vector(cert: dict[str, Any], key: str, n: int) -> NDArray[np.float64]:
    """A list of ``n`` positive rationals, each rounded *down* to a float (the checked dual uses these floats)."""
    raw = field_list(cert, key, n)
    out = np.empty(n)
    for i, t in enumerate(raw):
        f = parse_fraction(t, f"{key}[{i}]")
        if not 0 < f < 2**1000:
            raise CertificateFormatError(f"entries of {key!r} must be positive rationals below 2^1000; got {key}[{i}] = {show_rational(f)}")
        out[i] = to_float(f, -1)  # exact when f is a float (as the producer writes)
        if out[i] < 2.0**-1000:
            raise CertificateFormatError(f"entries of {key!r} must be at least 2^-1000; got {key}[{i}] = {show_rational(f)}")
    return out


def _dual_psd(enc: CellEnclosure, x: NDArray[np.float64], y: NDArray[np.float64]) -> str:
    """Prove ``Z(x, y; M) >= 0`` for every ``M`` of the enclosure (lemmas Q1, Q2, Q5); return the method or raise."""
    mc, r = enc.mid_radius()
    xp, yp = reduced_weights(x, y, r)
    half = -0.5 * mc
    if not np.array_equal(half * -2.0, mc):
        raise CertificateError("M/2 is not exact in floating point (subnormal cell values); cannot verify")
    res = exact_psd(dual_matrix(mc, xp, yp)) if enc.n <= EXACT_LIMIT else verified_schur_psd(half, xp, yp)
    if not res.ok:
        raise CertificateError(f"dual matrix Z is not proved positive semidefinite ({res.method}: {res.reason})")
    return res.method


def crossed_variances(enc: CellEnclosure) -> dict[tuple[int, int], Fraction]:
    """Exact upper bounds ``q_ij >= (1 - rho_ij^2) / N^3`` on the crossed cells (``rho = N^2 M``, lemma Q6).

    ``q_ij`` bounds ``integral over bin j of phi_ij(b)^2 db`` with
    ``phi_ij(b) = integral over bin i of (r(a, b) - rho_ij) da`` (Bhatia-Davis:
    ``phi`` has mean 0 and values in ``[-(1 + rho)/N, (1 - rho)/N]``), and the
    same for the column functions ``psi_ij``.

    >>> q = crossed_variances(cell_enclosure({"type": "linear", "s": "1"}, 2))
    >>> sorted(q.items())   # rho = 0 on both crossed cells
    [((0, 1), Fraction(1, 8)), ((1, 0), Fraction(1, 8))]
    """
    n = enc.n
    n3, n4 = Fraction(1, n**3), n**4
    out = {}
    for i, j in zip(*np.nonzero(enc.kind == 0)):
        lo, hi = Fraction(float(enc.lo[i, j])), Fraction(float(enc.hi[i, j]))
        m2 = Fraction(0) if lo <= 0 <= hi else min(lo * lo, hi * hi)
        out[(int(i), int(j))] = max(1 - n4 * m2, Fraction(0)) * n3
    return out


def sqrt_up(w: Fraction) -> float:
    """A float ``s >= 0`` with ``s^2 >= w`` exactly (for ``0 <= w < 2^1000``).

    >>> s = sqrt_up(Fraction(2)); Fraction(s) ** 2 >= 2
    True
    """
    s = math.sqrt(to_float(w, 1))
    while Fraction(s) ** 2 < w:  # a correctly rounded square root may lie one ulp below
        s = math.nextafter(s, math.inf)
    return s


def collatz_bound(rows: NDArray[np.int64], cols: NDArray[np.int64], vals: NDArray[np.float64], v: NDArray[np.float64]) -> Fraction:
    """Exact ``max_j (W^T W v)_j / v_j`` over the columns of ``W`` (sparse, non-negative floats ``vals``); ``>= ||W||_2^2``.

    Collatz-Wielandt: for a non-negative matrix ``B`` and ``v > 0``,
    ``rho(B) <= max_j (B v)_j / v_j`` (``diag(v)^-1 B diag(v)`` has these row
    sums).  ``v`` is indexed by column; entries of columns of ``W`` that are
    all zero play no part.  Exact rational arithmetic on the floats.

    >>> collatz_bound(np.array([0, 1]), np.array([0, 1]), np.array([0.5, 2.0]), np.array([1.0, 1.0]))
    Fraction(4, 1)
    """
    if np.any(vals < 0) or np.any(v <= 0) or not np.all(np.isfinite(v)):
        raise CertificateError("the Collatz-Wielandt bound needs a non-negative matrix and a positive vector")
    fv = {int(j): Fraction(float(v[j])) for j in set(cols.tolist())}
    wv: dict[int, Fraction] = {}
    fw = [Fraction(float(t)) for t in vals.tolist()]
    for i, j, w in zip(rows.tolist(), cols.tolist(), fw):
        wv[i] = wv.get(i, Fraction(0)) + w * fv[j]
    wtwv: dict[int, Fraction] = {}
    for i, j, w in zip(rows.tolist(), cols.tolist(), fw):
        wtwv[j] = wtwv.get(j, Fraction(0)) + w * wv[i]
    return max((wtwv[j] / fv[j] for j in wtwv), default=Fraction(0))


def schur_remainder(enc: CellEnclosure, x: NDArray[np.float64], y: NDArray[np.float64]) -> Fraction:
    """Exact ``eps = (R + C) / 2 >= ||T_E||`` (Schur test; lemma Q6).

    ``R = max_i sum over the crossed cells (i, j) of (1/x_i + 1/y_j) / N^2``,
    ``C`` the same maximum over columns: ``|kappa| <= 2 / (N sqrt(x_i y_j))``
    on a crossed cell, and ``2 / sqrt(x y) <= 1/x + 1/y``.

    >>> enc = cell_enclosure({"type": "linear", "s": "1"}, 2)
    >>> schur_remainder(enc, np.array([0.25, 0.25]), np.array([0.25, 0.25]))   # one crossed cell per row: 8/4
    Fraction(2, 1)
    """
    n2 = Fraction(1, enc.n**2)
    inv_x = [1 / Fraction(float(t)) for t in x.tolist()]
    inv_y = [1 / Fraction(float(t)) for t in y.tolist()]
    row: dict[int, Fraction] = {}
    col: dict[int, Fraction] = {}
    for i, j in zip(*np.nonzero(enc.kind == 0)):
        i, j = int(i), int(j)
        t = (inv_x[i] + inv_y[j]) * n2
        row[i] = row.get(i, Fraction(0)) + t
        col[j] = col.get(j, Fraction(0)) + t
    return (max(row.values(), default=Fraction(0)) + max(col.values(), default=Fraction(0))) / 2


class ContinuumTerms:
    """The error terms of lemma Q6 for one dual: ``omega >= ||W||^2``, ``eps >= ||T_E||`` (exact rationals)."""

    __slots__ = ("eps", "omega")

    def __init__(self, omega: Fraction, eps: Fraction) -> None:
        self.omega = omega
        self.eps = eps

    def tau_ok(self, tau: Fraction) -> bool:
        """``tau >= 0``, ``1 + tau >= eps/2`` and ``4 tau (1 + tau - eps/2) >= omega`` (lemma Q6's condition)."""
        return tau >= 0 and 1 + tau - self.eps / 2 >= 0 and 4 * tau * (1 + tau - self.eps / 2) >= self.omega

    def least_tau(self) -> Fraction:
        """A rational ``tau`` passing :meth:`tau_ok`, within a relative ``2^-40`` of the least one.

        >>> round(float(ContinuumTerms(Fraction(3), Fraction(2)).least_tau()), 9)   # eps = 2: 4 tau^2 = 3
        0.866025404
        """
        d = 1 - self.eps / 2
        t = Fraction(float_up((-float_down(d) + math.sqrt(float_up(d * d + self.omega))) / 2)) * (1 + Fraction(1, 2**40))
        t = max(t, Fraction(0), -d)
        while not self.tau_ok(t):  # rounding: step up
            t = t * (1 + Fraction(1, 2**40)) + Fraction(1, 2**1000)
        return t


def continuum_terms(enc: CellEnclosure, x: NDArray[np.float64], y: NDArray[np.float64], v: NDArray[np.float64]) -> ContinuumTerms:
    """``omega`` and ``eps`` of lemma Q6 for the dual ``x, y`` (positive floats) on the grid of ``enc``.

    ``v`` is the positive Collatz-Wielandt vector (indexed by column; any
    positive vector gives a valid ``omega``, the top right singular vector
    of ``W`` the least).

    >>> enc = cell_enclosure({"type": "linear", "s": "1"}, 2)
    >>> t = continuum_terms(enc, np.array([0.25, 0.25]), np.array([0.25, 0.25]), np.ones(2))
    >>> t.omega, t.eps   # W = [[0, 1], [1, 0]] (q = 1/8, N x y = 1/8)
    (Fraction(1, 1), Fraction(2, 1))
    """
    n = enc.n
    if any(a.shape != (n,) or not (np.all(a > 0) and np.all(np.isfinite(a))) for a in (x, y, v)):
        raise CertificateError(f"lemma Q6 needs positive finite vectors x, y, v of length N = {n}")
    q = crossed_variances(enc)
    keys = sorted(q)
    rows = np.array([k[0] for k in keys], dtype=np.int64)
    cols = np.array([k[1] for k in keys], dtype=np.int64)
    fx = [Fraction(float(t)) for t in x.tolist()]
    fy = [Fraction(float(t)) for t in y.tolist()]
    vals = np.array([sqrt_up(q[(i, j)] / (n * fx[i] * fy[j])) for i, j in keys], dtype=float)
    omega = collatz_bound(rows, cols, vals, v) if keys else Fraction(0)
    return ContinuumTerms(omega, schur_remainder(enc, x, y))


def check_tsirelson_dual_continuum(cert: dict[str, Any], source: str) -> Bound:
    """Verify a ``"tsirelson-dual-continuum"`` certificate: *continuum* quantum value ``<= bound`` (lemma Q6).

    >>> from proofs.exact.certificate import new_certificate
    >>> c = new_certificate("tsirelson-dual-continuum", {"type": "linear", "s": "1"}, None, "upper", Fraction(5, 4),
    ...                     bins=2, x=["1/4"] * 2, y=["1/4"] * 2, v=["1"] * 2, tau="1/2")
    >>> b = check_tsirelson_dual_continuum(c, "demo")   # omega = 1, eps = 2: 4 tau (1 + tau - eps/2) = 1
    >>> b.value, b.details["omega"], b.details["eps"]
    (Fraction(5, 4), Fraction(1, 1), Fraction(2, 1))
    >>> check_tsirelson_dual_continuum(dict(c, tau="49/100"), "demo")
    Traceback (most recent call last):
    ...
    proofs.exact.errors.CertificateError: lemma Q6 needs 1 + tau >= eps/2 and 4 tau (1 + tau - eps/2) >= omega; got tau = 0.49, omega = 1, eps = 2
    """
    hd = certificate_header(cert, "tsirelson-dual-continuum", "upper")
    if hd.n is not None:
        raise CertificateFormatError(f"a 'tsirelson-dual-continuum' certificate bounds the continuum game: 'N' must be null; got {hd.n}")
    n = field_int(cert, "bins", 1, MAX_N)
    x = _vector(cert, "x", n)
    y = _vector(cert, "y", n)
    v = _vector(cert, "v", n)
    if "tau" not in cert:
        raise CertificateFormatError("a 'tsirelson-dual-continuum' certificate needs the field 'tau' (a rational >= 0)")
    tau = parse_fraction(cert["tau"], "tau")
    if not 0 <= tau <= 1:
        raise CertificateFormatError(f"field 'tau' must be a rational in [0, 1]; got {show_rational(tau)}")
    enc = cell_enclosure(hd.game, n)
    method = _dual_psd(enc, x, y)
    terms = continuum_terms(enc, x, y, v)
    if not terms.tau_ok(tau):
        raise CertificateError(
            "lemma Q6 needs 1 + tau >= eps/2 and 4 tau (1 + tau - eps/2) >= omega; "
            f"got tau = {show_rational(tau)}, omega = {show_rational(terms.omega)}, eps = {show_rational(terms.eps)}"
        )
    dual = exact_float_sum(x) + exact_float_sum(y)
    proven = Fraction(1, 2) + (1 + tau) * dual / 2
    if hd.bound < proven:
        raise CertificateError(f"claimed upper bound {show_rational(hd.bound)} is below what the continuum dual proves ({show_rational(proven)})")
    return _issue(
        "upper", hd.bound, Target(hd.game.describe(), None, "quantum"), source,
        f"proofs.checkers.quantum_continuum:check_tsirelson_dual_continuum (lemmas Q1, Q2, Q6{', Q5' if method == 'verified-schur' else ''}, {method})",
        proven=proven, tau=tau, omega=terms.omega, eps=terms.eps, dual=dual, psd_method=method,
    )
