"""Checker of the ``xor-classical-bnb`` certificate kind: the classical value of a finite XOR game from branch-and-bound leaves (lemmas X5, X6).

The game is the exact bias matrix ``M = N / L`` of the certificate (fields
``bias`` and ``denominator``, :func:`proofs.exact.xor_matrix.read_bias`).
Let ``K`` be ``N`` (field ``transposed`` false) or ``N^T`` (true), with
``m`` rows; the classical value is ``1/2 + w / (2 L)`` with
``w = max_{a, b} a^T K b``.  Field ``order`` is a permutation of the ``m``
rows; field ``leaves`` a list of sign prefixes over that order (strings of
``+`` and ``-``, each starting with ``+``) which must form a complete
prefix-free code: no prefix extends another (checked on the sorted list)
and ``sum 2^(m - |p|) = 2^(m - 1)`` exactly.  For a leaf ``p`` of length
``d``, ``c = sum_i p_i K_(order i)`` and ``K' = [c; K_(order d..m-1)]``;
every strategy ``a`` with ``a_(order i) = p_i`` for ``i < d`` has
``a^T K b = a'^T K' b`` with ``a' = (1, a_(order d), ...)``, so:

* ``"enumerate": true`` (at most :data:`ENUM_LIMIT` free rows): the checker
  computes ``w_p = max_{a'_0 = 1} a'^T K' b`` itself by exhaustive search
  (:func:`proofs.exact.xor_exhaustive.classical_exhaustive`, exact int64);
* ``"x"``, ``"y"``, ``"exponent"``: integers ``kx``, ``ky`` and ``e`` give
  the weights ``kx / 2^e``, ``ky / 2^e``; the checker proves
  ``[[diag x, -K'/2], [-K'^T/2, diag y]]`` PSD (lemma Q5's verified Schur
  test, :func:`proofs.exact.psd.verified_schur_psd`, every float exact) and
  takes ``w_p = floor(sum(kx + ky) / 2^e)`` (``a'^T K' b <= sum x + sum y``
  for all signs, lemma X1 for the classical model, and ``a^T K b`` is an integer);
* ``"exponent"``, ``"d"``, ``"cuts"`` (lemma X6): integers ``k`` (the diagonal
  ``d = k / 2^e`` over the ``n' = m - |p| + 1 + cols`` nodes, folded row first,
  then the free rows, then the columns) and triangle cuts
  ``[i, j, k, s1, s2, s3, q]`` (``mu = q / 2^e``, at most
  :data:`MAX_CUTS_PER_LEAF` ``* n'`` of them); the checker builds the exact
  integer matrix ``2^(e+1) (D - Q - sum mu T)`` and proves it positive definite
  (:func:`proofs.exact.xor_cuts.cut_leaf_check`, one verified ``n' x n'``
  Cholesky) and takes ``w_p = floor((sum k + sum q) / 2^e)``.

A leaf carries the keys of exactly one form (``enumerate``; ``x``/``y``;
``d``/``cuts``), else it is refused.

The certificate proves ``value <= 1/2 + max_p w_p / (2 L)`` (the strategies
with the first branched sign ``-1`` are the negatives of covered ones, with
the same value).  Integer arithmetic throughout: ``L < 2^53`` (so every
``|K'_xy| <= L`` is an exact float and no int64 sum overflows).

Imports only :mod:`proofs.exact`, numpy and the sibling checker helpers.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np

from proofs.checkers.bound import Bound, Target, _issue
from proofs.checkers.xor import classical_exhaustive
from proofs.exact.certificate import certificate_header, field_list
from proofs.exact.errors import CertificateError, CertificateFormatError
from proofs.exact.psd import verified_schur_psd
from proofs.exact.rational import show_rational
from proofs.exact.xor_cuts import MAX_CUT_EXPONENT, cut_leaf_check, read_cuts
from proofs.exact.xor_matrix import XorMatrix, read_bias

__all__ = [
    "ENUM_LIMIT",
    "MAX_CUTS_PER_LEAF",
    "MAX_CUT_WORK",
    "MAX_DENOMINATOR",
    "MAX_DUAL_WORK",
    "MAX_ENUM_WORK",
    "MAX_LEAVES",
    "check_xor_classical_bnb",
    "leaf_bound",
]

#: most free rows of an enumerated leaf (``2^ENUM_LIMIT`` sign vectors)
ENUM_LIMIT = 22
#: most ``sum over enumerated leaves of 2^free * cols`` (the checker's exhaustive work)
MAX_ENUM_WORK = 2**34
#: most leaves
MAX_LEAVES = 2**21
#: most ``leaves * (rows + 1) * cols`` (the checker's work on the dual leaves, a Schur complement each)
MAX_DUAL_WORK = 2**34
#: the common denominator must be below this (entries of ``K'`` are exact floats; int64 sums cannot overflow)
MAX_DENOMINATOR = 2**53
#: a cut leaf of ``n'`` nodes carries at most ``MAX_CUTS_PER_LEAF * n'`` cuts (lemma X6)
MAX_CUTS_PER_LEAF = 4
#: most ``sum over cut leaves of n'^3`` (the checker's work on the cut leaves, an ``n' x n'`` Cholesky each)
MAX_CUT_WORK = 2**40
#: dual entries are integers below this in absolute value (exact floats)
_MAX_K = 2**53
#: the keys that mark each leaf form (a leaf must carry the keys of exactly one)
_FORMS = {"enumerate": ("enumerate",), "dual": ("x", "y"), "cuts": ("d", "cuts")}


def _bool(cert: dict[str, Any], key: str) -> bool:
    v = cert.get(key)
    if not isinstance(v, bool):
        raise CertificateFormatError(f"certificate field {key!r} must be true or false; got {str(v)[:20]!r}")
    return v


def _ints(raw: Any, key: str, n: int, i: int) -> list[int]:
    if not isinstance(raw, list) or len(raw) != n:
        raise CertificateFormatError(f"field {key!r} of leaf {i} must be a list of {n} integers; got {str(raw)[:40]!r}")
    bad = [t for t in raw if not (type(t) is int and abs(t) < _MAX_K)]
    if bad:
        raise CertificateFormatError(f"entries of field {key!r} of leaf {i} must be integers of magnitude below 2^53; got {str(bad[0])[:40]!r}")
    return raw


def _form(leaf: dict[str, Any], i: int) -> str:
    """The leaf's form: ``"enumerate"``, ``"dual"`` or ``"cuts"`` (a leaf carrying keys of two forms is refused)."""
    forms = [f for f, keys in _FORMS.items() if any(k in leaf for k in keys)]
    if len(forms) > 1:
        raise CertificateFormatError(f"leaf {i} mixes the leaf forms {forms}: give 'enumerate', or 'x'/'y'/'exponent', or 'd'/'cuts'/'exponent'")
    if forms == ["enumerate"] and leaf["enumerate"] is not True:
        raise CertificateFormatError(f"field 'enumerate' of leaf {i} must be true; got {str(leaf['enumerate'])[:20]!r}")
    return forms[0] if forms else "dual"


def _cut_leaf(leaf: dict[str, Any], i: int, kp: np.ndarray) -> int:
    """Lemma X6: the integer bound of cut leaf ``i`` on its folded matrix ``kp`` (format and PSD test)."""
    n = kp.shape[0] + kp.shape[1]
    e = leaf.get("exponent")
    if type(e) is not int or not 0 <= e <= MAX_CUT_EXPONENT:
        raise CertificateFormatError(f"field 'exponent' of cut leaf {i} must be an integer in [0, {MAX_CUT_EXPONENT}]; got {str(e)[:20]!r}")
    kd = _ints(leaf.get("d"), "d", n, i)
    raw = leaf.get("cuts")
    if not isinstance(raw, list):
        raise CertificateFormatError(f"field 'cuts' of leaf {i} must be a list of [i, j, k, s1, s2, s3, q]; got {str(raw)[:40]!r}")
    if len(raw) > MAX_CUTS_PER_LEAF * n:
        raise CertificateFormatError(f"field 'cuts' of leaf {i} may hold at most {MAX_CUTS_PER_LEAF} x {n} = {MAX_CUTS_PER_LEAF * n} cuts; got {len(raw)}")
    try:
        cuts = read_cuts(raw, n)
    except ValueError as exc:
        raise CertificateFormatError(f"field 'cuts' of leaf {i}: {exc}") from None
    res = cut_leaf_check(kp, kd, cuts, e)
    if not res.ok or res.bound is None:
        raise CertificateError(f"cut leaf {i}: {res.reason}")
    return res.bound


def _cover(prefixes: list[str], m: int) -> None:
    """The prefixes (each starting with ``+``) form a complete prefix-free code over ``{+, -}^(m - 1)`` (lemma X5 (a))."""
    srt = sorted(prefixes)
    for p, q in zip(srt, srt[1:]):
        if q.startswith(p):
            raise CertificateError(f"leaf prefixes are not disjoint: {p[:40]!r} is a prefix of {q[:40]!r}")
    total = sum(1 << (m - len(p)) for p in prefixes)
    if total != 1 << (m - 1):
        raise CertificateError(f"leaf prefixes do not cover every strategy exactly once (Kraft sum {Fraction(total, 1 << (m - 1))} != 1)")


def leaf_bound(kx: list[int], ky: list[int], e: int) -> int:
    """``floor((sum kx + sum ky) / 2^e)``: the largest integer the dual weights allow (exact).

    >>> leaf_bound([3], [4], 1), leaf_bound([-3], [0], 1), leaf_bound([1], [1], -2)
    (3, -2, 8)
    """
    tot = sum(kx) + sum(ky)
    return tot >> e if e >= 0 else tot << -e


def check_xor_classical_bnb(cert: dict[str, Any], source: str) -> Bound:
    """Verify an ``"xor-classical-bnb"`` certificate: classical value ``<= bound`` (lemmas X5, X6).

    >>> from proofs.exact.certificate import new_certificate
    >>> m = [[Fraction(1, 4), Fraction(1, 4)], [Fraction(1, 4), Fraction(-1, 4)]]   # CHSH: w = 2
    >>> g, bias = XorMatrix.from_matrix(m), [[1, 1], [1, -1]]
    >>> leaves = [{"prefix": "++", "x": [5], "y": [5, 1], "exponent": 2},       # K' = [[2, 0]]: x = 5/4, y = (5/4, 1/4), floor(11/4) = 2
    ...           {"prefix": "+-", "enumerate": True}]
    >>> c = new_certificate("xor-classical-bnb", g, 2, "upper", Fraction(3, 4), denominator=4, bias=bias,
    ...                     transposed=False, order=[0, 1], leaves=leaves)
    >>> check_xor_classical_bnb(c, "demo").details["proven"]
    Fraction(3, 4)
    >>> cuts = [[0, 1, 2, 1, -1, -1, 16], [0, 1, 3, -1, -1, 1, 16]]   # two triangles (mu = 1) cancel Q; d = 1/16 each
    >>> c["leaves"] = [{"prefix": "+", "exponent": 4, "d": [1, 1, 1, 1], "cuts": cuts}]   # floor(36/16) = 2
    >>> check_xor_classical_bnb(c, "demo").details["proven"]
    Fraction(3, 4)
    """
    hd = certificate_header(cert, "xor-classical-bnb", "upper")
    game = hd.game
    ints, den = read_bias(cert, game)
    assert isinstance(game, XorMatrix)
    if hd.n != game.rows:
        raise CertificateFormatError(f"an 'xor-classical-bnb' certificate has N = rows = {game.rows}; got N = {hd.n}")
    if den >= MAX_DENOMINATOR:
        raise CertificateFormatError(f"the common denominator of 'bias' must be below 2^53 for the branch-and-bound check; got {show_rational(den, 4)}")
    k = np.array(ints, dtype=np.int64)  # |N_xy| <= L < 2^53
    if _bool(cert, "transposed"):
        k = np.ascontiguousarray(k.T)
    m, cols = k.shape
    order = field_list(cert, "order", m)
    if sorted(t if type(t) is int else -1 for t in order) != list(range(m)):
        raise CertificateFormatError(f"certificate field 'order' must be a permutation of 0..{m - 1}")
    ko = k[order]
    raw = field_list(cert, "leaves", max_length=MAX_LEAVES)
    if not raw:
        raise CertificateFormatError("certificate field 'leaves' must not be empty")
    if len(raw) * (m + 1) * cols > MAX_DUAL_WORK:
        raise CertificateFormatError(f"an 'xor-classical-bnb' certificate has at most {MAX_DUAL_WORK} = leaves x (rows + 1) x cols; got {len(raw) * (m + 1) * cols}")
    prefixes = []
    for i, leaf in enumerate(raw):
        p = leaf.get("prefix") if isinstance(leaf, dict) else None
        if not isinstance(p, str) or not 1 <= len(p) <= m or p[0] != "+" or p.strip("+-"):
            raise CertificateFormatError(f"leaf {i} needs a 'prefix' of 1 to {m} signs '+'/'-' starting with '+'; got {str(p)[:40]!r}")
        prefixes.append(p)
    _cover(prefixes, m)
    work = 0
    cut_work = 0
    best = None
    methods = {"enumerate": 0, "dual": 0, "cuts": 0}
    for i, (leaf, p) in enumerate(zip(raw, prefixes)):
        d = len(p)
        signs = np.array([1 if s == "+" else -1 for s in p], dtype=np.int64)
        c = signs @ ko[:d]  # |c_j| <= sum_x |K_xj| <= L < 2^53
        kp = np.vstack([c[None, :], ko[d:]])  # the leaf's folded matrix K' (lemma X5 (b)): every entry below 2^53
        form = _form(leaf, i)
        if form == "cuts":
            cut_work += (m - d + 1 + cols) ** 3
            if cut_work > MAX_CUT_WORK:
                raise CertificateFormatError(f"the cut leaves need more than MAX_CUT_WORK = {MAX_CUT_WORK} operations (sum of n'^3 over cut leaves)")
            w = _cut_leaf(leaf, i, kp)
            methods["cuts"] += 1
        elif form == "enumerate":
            if m - d > ENUM_LIMIT:
                raise CertificateFormatError(f"enumerated leaf {i} has {m - d} free rows; at most {ENUM_LIMIT}")
            work += (1 << (m - d)) * cols
            if work > MAX_ENUM_WORK:
                raise CertificateFormatError(f"the enumerated leaves need more than {MAX_ENUM_WORK} operations")
            w = classical_exhaustive(kp)
            methods["enumerate"] += 1
        else:
            kx = _ints(leaf.get("x"), "x", m - d + 1, i)
            ky = _ints(leaf.get("y"), "y", cols, i)
            e = leaf.get("exponent")
            if type(e) is not int or not -60 <= e <= 1000:
                raise CertificateFormatError(f"field 'exponent' of leaf {i} must be an integer in [-60, 1000]; got {str(e)[:20]!r}")
            scale = math.ldexp(1.0, -e)
            xf = np.array(kx, dtype=np.float64) * scale  # exact: |k| < 2^53 and a power-of-two scaling in the normal range
            yf = np.array(ky, dtype=np.float64) * scale
            res = verified_schur_psd(-0.5 * kp.astype(np.float64), xf, yf)  # exact floats: entries below 2^53
            if not res.ok:
                raise CertificateError(f"leaf {i} ({p[:40]}): dual matrix is not proved positive semidefinite ({res.reason})")
            w = leaf_bound(kx, ky, e)
            methods["dual"] += 1
        best = w if best is None else max(best, w)
    assert best is not None
    proven = Fraction(1, 2) + Fraction(best, 2 * den)
    if hd.bound < proven:
        raise CertificateError(f"claimed upper bound {show_rational(hd.bound)} is below what the leaves prove ({show_rational(proven)})")
    return _issue(
        "upper", hd.bound, Target(game.describe(), game.rows, "classical"), source,
        "proofs.checkers.xor_bnb:check_xor_classical_bnb (lemma X5, X6, X1, Q5, branch and bound)",
        proven=proven, leaves=len(raw), enumerated=methods["enumerate"], duals=methods["dual"], cut_leaves=methods["cuts"],
    )
