"""Exact test of a cut-strengthened diagonal dual of a folded XOR leaf (lemma X6 of ``proofs/lemmas_classical.md``).

A leaf of the ``xor-classical-bnb`` certificate has a folded integer matrix
``K'`` (``m'`` rows, ``cols`` columns, ``|K'_xy| < 2^53``); with ``n' = m' +
cols`` nodes (rows first, then columns) and ``z = (a', b)`` in ``{+-1}^n'``,
``a'^T K' b = z^T Q z`` with ``Q = [[0, K'/2], [K'^T/2, 0]]``.  A *cut* is a
row ``(i, j, k, s1, s2, s3, q)`` of integers with ``0 <= i < j < k < n'``,
signs ``s in {+1, -1}`` with ``s1 s2 s3 = +1`` and a multiplier
``0 <= q < 2^53``; it stands for the triangle inequality
``s1 z_i z_j + s2 z_i z_k + s3 z_j z_k >= -1`` with weight ``mu = q / 2^e``.

Given integers ``k`` (the diagonal ``d = k / 2^e``) and the exponent
``0 <= e <= 1000``, :func:`cut_dual_matrix` builds the exact integer matrix

    ``G = 2^(e+1) A = diag(2 k) - 2^e [[0, K'], [K'^T, 0]] - sum_t q_t S_t``

(``S_t`` has ``s1, s2, s3`` at the triangle's three off-diagonal pairs, both
orders), and :func:`cut_leaf_check` proves ``G`` positive definite with
:func:`proofs.exact.psd.verified_psd` (Theorem V) after refusing any entry of
magnitude ``>= 2^53`` (so the float copy is exact).  Then lemma X6 gives
``a'^T K' b <= floor((sum k + sum q) / 2^e)`` for every sign vector: the value
:func:`cut_leaf_value` returns.

No overflow: every off-diagonal entry is ``-2^e K'_xy`` (or 0) plus some of
the terms ``-+q_t``, so every partial sum of the construction has magnitude at
most ``B = 2^e max|K'| + sum_t q_t`` (computed in Python integers); the
matrix is built in int64 when ``B < 2^62`` and in Python integers (numpy
object arrays, exact) otherwise.  The diagonal ``2 k`` is below ``2^54``.

The solver (:mod:`bounds`) may call these functions to test a leaf before
writing it, so the checker never refuses a leaf its solver wrote.  Imports
only numpy and :mod:`proofs.exact`.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from proofs.exact.errors import QcoordParameterError as ProofsParameterError
from proofs.exact.psd import PsdCheck, verified_psd

__all__ = [
    "CUT_COLUMNS",
    "INT64_SAFE",
    "MAX_CUT_EXPONENT",
    "MAX_EXACT",
    "CutLeafCheck",
    "cut_dual_matrix",
    "cut_leaf_bound",
    "cut_leaf_check",
    "cut_leaf_value",
    "read_cuts",
]

#: the seven integers of one cut: ``i, j, k, s1, s2, s3, q``
CUT_COLUMNS = 7
#: entries of ``2^(e+1) A`` (and the integers ``k``, ``q``) must be below this in magnitude: exact floats
MAX_EXACT = 2**53
#: the exponent ``e`` lies in ``[0, MAX_CUT_EXPONENT]``
MAX_CUT_EXPONENT = 1000
#: the construction runs in int64 when its a-priori bound ``2^e max|K'| + sum q`` is below this
INT64_SAFE = 2**62


def _show(v: Any) -> str:
    return repr(v)[:40]


def _check_cut_array(c: NDArray[np.int64], n: int) -> None:
    """Vectorised range checks of an int64 ``(cuts, 7)`` array (raises on the first bad row)."""
    i, j, k = c[:, 0], c[:, 1], c[:, 2]
    s = c[:, 3:6]
    q = c[:, 6]
    tests = (
        (~((i >= 0) & (i < j) & (j < k) & (k < n)), f"node indices 0 <= i < j < k < {n}", c[:, :3]),
        (~np.all((s == 1) | (s == -1), axis=1), "signs s1, s2, s3 each +1 or -1", s),
        (s[:, 0] * s[:, 1] * s[:, 2] != 1, "signs with product s1 s2 s3 = +1", s),
        (~((q >= 0) & (q < MAX_EXACT)), "a multiplier 0 <= q < 2^53", q),
    )
    for bad, want, vals in tests:
        if np.any(bad):
            r = int(np.flatnonzero(bad)[0])
            raise ProofsParameterError(f"cuts[{r}] must have {want}; got {_show(vals[r].tolist())}")


def read_cuts(raw: Any, n: int) -> NDArray[np.int64]:
    """Validate a list of cuts ``[i, j, k, s1, s2, s3, q]`` on ``n`` nodes and return them as an int64 ``(cuts, 7)`` array.

    Every entry must be a Python ``int`` (not a bool or float), ``0 <= i < j < k < n``,
    ``s in {+1, -1}`` with ``s1 s2 s3 = +1`` and ``0 <= q < 2^53``; a bad cut raises
    :class:`~proofs.exact.errors.QcoordParameterError` naming it, the rule and the value.
    An int64 array of shape ``(cuts, 7)`` is checked the same way (vectorised).

    >>> read_cuts([[0, 1, 2, 1, -1, -1, 5]], 4).tolist()
    [[0, 1, 2, 1, -1, -1, 5]]
    >>> read_cuts([[0, 1, 2, 1, 1, -1, 5]], 4)
    Traceback (most recent call last):
    ...
    proofs.exact.errors.QcoordParameterError: cuts[0] must have signs with product s1 s2 s3 = +1; got [1, 1, -1]
    """
    if isinstance(raw, np.ndarray):
        if raw.dtype != np.int64 or raw.ndim != 2 or raw.shape[1] != CUT_COLUMNS:
            raise ProofsParameterError(f"`cuts` must be an int64 array of shape (cuts, 7); got {raw.dtype} of shape {raw.shape}")
        c = raw
    else:
        if not isinstance(raw, (list, tuple)):
            raise ProofsParameterError(f"`cuts` must be a list of [i, j, k, s1, s2, s3, q]; got {_show(raw)}")
        shaped = all(isinstance(row, (list, tuple)) and len(row) == CUT_COLUMNS for row in raw)
        if not shaped or not set(map(type, itertools.chain.from_iterable(raw))) <= {int}:  # type() in C: no bool, no float
            r = next(r for r, row in enumerate(raw)
                     if not isinstance(row, (list, tuple)) or len(row) != CUT_COLUMNS or not all(type(t) is int for t in row))
            raise ProofsParameterError(f"cuts[{r}] must be a list of 7 integers [i, j, k, s1, s2, s3, q]; got {_show(raw[r])}")
        try:
            c = np.array(raw, dtype=np.int64).reshape(len(raw), CUT_COLUMNS)  # exact, or OverflowError
        except OverflowError:
            r = next(r for r, row in enumerate(raw) if not all(-(2**63) <= t < 2**63 for t in row))
            raise ProofsParameterError(f"cuts[{r}] must have a multiplier 0 <= q < 2^53 and indices below n; got {_show(raw[r])}") from None
    _check_cut_array(c, n)
    return c


def _kp_array(kp: Any) -> NDArray[np.int64]:
    a = np.asarray(kp)
    if a.ndim != 2 or a.size == 0 or not np.issubdtype(a.dtype, np.integer):
        raise ProofsParameterError(f"`kp` must be a non-empty 2-d integer matrix; got {a.dtype} of shape {a.shape}")
    a = a.astype(np.int64)
    if np.any(np.abs(a) >= MAX_EXACT):
        raise ProofsParameterError("`kp` entries must be below 2^53 in magnitude")
    return a


def _k_list(k_diag: Sequence[int] | NDArray[np.integer], n: int) -> list[int]:
    ks = k_diag.tolist() if isinstance(k_diag, np.ndarray) else list(k_diag)
    if len(ks) != n or not all(type(t) is int and abs(t) < MAX_EXACT for t in ks):
        raise ProofsParameterError(f"`k_diag` must be {n} integers of magnitude below 2^53; got {_show(ks)}")
    return ks


def _exponent(e: Any) -> int:
    if type(e) is not int or not 0 <= e <= MAX_CUT_EXPONENT:
        raise ProofsParameterError(f"the exponent `e` must be an integer in [0, {MAX_CUT_EXPONENT}]; got {_show(e)}")
    return e


def cut_dual_matrix(kp: Any, k_diag: Sequence[int] | NDArray[np.integer], cuts: Any, e: int) -> NDArray[Any]:
    """The exact integer matrix ``G = 2^(e+1) A = diag(2 k) - 2^e [[0, K'], [K'^T, 0]] - sum_t q_t S_t`` (lemma X6).

    ``kp`` is the folded leaf matrix ``K'`` (integers below ``2^53``), ``k_diag``
    the ``n' = rows + cols`` diagonal numerators, ``cuts`` as for
    :func:`read_cuts`, ``e`` the exponent.  The result is an int64 array when
    the a-priori bound ``2^e max|K'| + sum q`` on every partial sum is below
    ``2^62`` (then nothing can overflow), else an object array of Python
    integers (exact, slower).  Entries are *not* checked against ``2^53`` here
    (:func:`cut_leaf_check` does that).

    >>> kp = np.array([[3, 3], [3, -3]])            # 3 x CHSH, nodes a0, a1, b0, b1
    >>> cuts = [[0, 1, 2, 1, -1, -1, 48], [0, 1, 3, -1, -1, 1, 48]]
    >>> cut_dual_matrix(kp, [1, 1, 1, 1], cuts, 4).tolist()   # the two triangles cancel Q exactly
    [[2, 0, 0, 0], [0, 2, 0, 0], [0, 0, 2, 0], [0, 0, 0, 2]]
    >>> cut_dual_matrix(kp, [1, 1, 1, 1], [], 70).dtype      # 2^70 x 3 does not fit int64: Python integers
    dtype('O')
    """
    k = _kp_array(kp)
    n = k.shape[0] + k.shape[1]
    return _build(k, _k_list(k_diag, n), read_cuts(cuts, n), _exponent(e))


def _build(k: NDArray[np.int64], ks: list[int], c: NDArray[np.int64], e: int) -> NDArray[Any]:
    """:func:`cut_dual_matrix` on validated input."""
    mr, cols = k.shape
    n = mr + cols
    kmax = int(np.abs(k).max())
    qs = c[:, 6].tolist()
    bound = (kmax << e) + sum(qs)  # Python integers: exact
    fast = bound < INT64_SAFE
    dtype: Any = np.int64 if fast else object
    g = np.zeros((n, n), dtype=dtype)
    if kmax:
        scale = -(1 << e)  # |scale| * kmax <= bound: below 2^62 on the int64 path
        blk = k * np.int64(scale) if fast else k.astype(object) * scale
        g[:mr, mr:] = blk
        g[mr:, :mr] = blk.T
    if c.shape[0]:
        q = c[:, 6] if fast else np.array(qs, dtype=object)
        s = c[:, 3:6] if fast else c[:, 3:6].astype(object)
        v = -q[:, None] * s  # -q s1, -q s2, -q s3: each |.| < 2^53
        i, j, kk = c[:, 0], c[:, 1], c[:, 2]
        rows = np.concatenate([i, j, i, kk, j, kk])
        colx = np.concatenate([j, i, kk, i, kk, j])
        vals = np.concatenate([v[:, 0], v[:, 0], v[:, 1], v[:, 1], v[:, 2], v[:, 2]])
        np.add.at(g, (rows, colx), vals)  # every partial sum of an entry is at most `bound` in magnitude
    idx = np.arange(n)
    g[idx, idx] = np.array([2 * t for t in ks], dtype=dtype)  # |2 k| < 2^54; no cut touches the diagonal (i < j < k)
    return g


def cut_leaf_value(k_diag: Sequence[int] | NDArray[np.integer], q: Sequence[int] | NDArray[np.integer], e: int) -> int:
    """``floor((sum k + sum q) / 2^e)``, exactly: the integer bound of a cut leaf (lemma X6).

    >>> cut_leaf_value([1, 1, 1, 1], [48, 48], 4), cut_leaf_value([-5], [], 1)   # 100/16, -5/2
    (6, -3)
    """
    tk = k_diag.tolist() if isinstance(k_diag, np.ndarray) else list(k_diag)
    tq = q.tolist() if isinstance(q, np.ndarray) else list(q)
    return (sum(tk) + sum(tq)) >> _exponent(e)  # an arithmetic shift of a Python integer is the floor


@dataclass(frozen=True)
class CutLeafCheck:
    """Outcome of :func:`cut_leaf_check`.

    Attributes
    ----------
    ok
        ``True`` if ``2^(e+1) A`` was proved positive definite (lemma X6 applies).
    bound
        ``floor((sum k + sum q) / 2^e)`` when ``ok``, else ``None``: an upper bound on ``a'^T K' b``.
    reason
        Why the test failed (empty when ``ok``).
    psd
        The verified Cholesky's outcome (``None`` when refused before it ran).
    """

    ok: bool
    bound: int | None
    reason: str = ""
    psd: PsdCheck | None = None


def cut_leaf_check(kp: Any, k_diag: Sequence[int] | NDArray[np.integer], cuts: Any, e: int) -> CutLeafCheck:
    """Prove ``A = D - Q - sum_t mu_t T_t`` positive definite exactly and return the leaf bound (lemma X6).

    Builds ``G = 2^(e+1) A`` with :func:`cut_dual_matrix`, refuses it when an
    entry has magnitude ``>= 2^53`` (not an exact float), and runs
    :func:`proofs.exact.psd.verified_psd` on the exact float copy.  Malformed
    input raises :class:`~proofs.exact.errors.QcoordParameterError`; a matrix
    not proved positive definite gives ``ok = False`` with the reason.

    >>> kp = np.array([[3, 3], [3, -3]])
    >>> cuts = [[0, 1, 2, 1, -1, -1, 48], [0, 1, 3, -1, -1, 1, 48]]
    >>> cut_leaf_check(kp, [1, 1, 1, 1], cuts, 4).bound      # floor(100 / 16): w <= 6 (the diagonal dual alone: 8)
    6
    >>> cut_leaf_check(kp, [1, 1, 1, 1], cuts[:1], 4).ok      # one triangle is not enough
    False
    """
    k = _kp_array(kp)
    n = k.shape[0] + k.shape[1]
    ks = _k_list(k_diag, n)
    c = read_cuts(cuts, n)
    g = _build(k, ks, c, _exponent(e))
    amax = int(np.abs(g).max())
    if amax >= MAX_EXACT:
        return CutLeafCheck(False, None, f"an entry of 2^(e+1) A has magnitude >= 2^{amax.bit_length() - 1} >= 2^53 (not an exact float)")
    res = verified_psd(g.astype(np.float64))  # exact: every entry below 2^53
    if not res.ok:
        return CutLeafCheck(False, None, f"2^(e+1) A is not proved positive definite ({res.reason})", res)
    return CutLeafCheck(True, cut_leaf_value(ks, c[:, 6], e), "", res)


def cut_leaf_bound(kp: Any, k_diag: Sequence[int] | NDArray[np.integer], cuts: Any, e: int) -> int | None:
    """The integer bound ``floor((sum k + sum q) / 2^e)`` of a cut leaf if :func:`cut_leaf_check` proves it, else ``None``.

    >>> kp = np.array([[3, 3], [3, -3]])
    >>> cut_leaf_bound(kp, [1, 1, 1, 1], [[0, 1, 2, 1, -1, -1, 48], [0, 1, 3, -1, -1, 1, 48]], 4)
    6
    >>> cut_leaf_bound(kp, [1, 1, 1, 1], [], 4) is None
    True
    """
    return cut_leaf_check(kp, k_diag, cuts, e).bound
