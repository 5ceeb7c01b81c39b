"""Finite two-player XOR games: toqito's interface, exact rationals, rectangular, repetitions.

A game is given in toqito's convention -- ``prob[x, y]`` the probability of
the question pair, ``pred[x, y]`` in ``{0, 1}``, the players win iff
``a XOR b == pred[x, y]`` -- or by its bias (correlation) matrix
``M[x, y] = prob[x, y] (-1)^pred[x, y]`` (``sum |M| = 1``; ``sum |M| < 1`` is a
game with a random predicate on some questions, such as the paper's
discretised games).  With answers
``A_x = (-1)^a``, ``B_y = (-1)^b`` the winning probability is
``1/2 + 1/2 sum_xy M_xy A_x B_y`` (see :mod:`proofs.exact.xor_matrix`).

Numbers are read exactly: ints, :class:`fractions.Fraction` and ``"p/q"``
strings as they are; a float as the simplest rational (denominator at most
``10^6``) that rounds to it, else its shortest decimal (``0.1`` is ``1/10``,
``1/6`` computed in floats is ``1/6``).  Exact probabilities must sum to 1
exactly (a bias matrix: at most 1); float inputs within ``1e-9`` of 1 are
renormalised exactly (recorded in ``normalised``).

Repetition.  ``reps`` has toqito's meaning (:class:`toqito.nonlocal_games.xor_game.XORGame`):
the ``reps``-fold *parallel repetition* in which the players must win every
copy.  That game is a nonlocal game with ``2^reps`` answers per player, not
an XOR game; its quantum value is ``w_q(G)^reps`` (Cleve, Slofstra, Unger,
Upadhyay, "Perfect parallel repetition theorem for quantum XOR proof
systems", CCC 2007, quant-ph/0608146), which is what toqito returns, and its
classical value is computed here by exhaustive enumeration
(:meth:`XorMatrixGame.repeated_classical_value`, small games only; CHSH with
two repetitions: 10/16).  The XOR of the answers of ``n`` copies, an XOR game
with bias matrix ``M^{(x) n}`` (Kronecker power), is :meth:`XorMatrixGame.xor_power`.

>>> chsh = XorMatrixGame.from_toqito([[0.25, 0.25], [0.25, 0.25]], [[0, 0], [0, 1]])
>>> chsh.bias[1][1], chsh.classical_exhaustive()[0]
(Fraction(-1, 4), Fraction(3, 4))
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from games.errors import GameParameterError
from proofs.exact.errors import CertificateError
from proofs.exact.once import once
from proofs.exact.xor_exhaustive import SHIFT_BITS, exhaustive_any_size
from proofs.exact.xor_matrix import MAX_DENOMINATOR, MAX_ENTRIES, MAX_SIDE, BiasMatrix, XorMatrix, integer_form

__all__ = ["EXHAUSTIVE_LIMIT", "XorMatrixGame", "exact_number", "exhaustive_value", "signs_value"]

#: most inputs on the smaller side for :meth:`XorMatrixGame.classical_exhaustive` (2^(k-1) sign vectors)
EXHAUSTIVE_LIMIT = 30
#: most deterministic strategies enumerated for the classical value of a repeated game
REPEATED_LIMIT = 2**20
#: most decimal digits of a game's common denominator (the certificates' exact values need up to ~70 more)
MAX_DENOMINATOR_DIGITS = 300


def exact_number(x: Any, name: str) -> tuple[Fraction, bool]:
    """``(value, was_float)``: a number read exactly (module docstring).

    >>> exact_number(1 / 6, "p"), exact_number("1/4", "p"), exact_number(0.1, "p")
    ((Fraction(1, 6), True), (Fraction(1, 4), False), (Fraction(1, 10), True))
    """
    if isinstance(x, (bool, np.bool_)):
        raise GameParameterError(f"`{name}` must be a number; got {x!r}")
    if isinstance(x, (int, np.integer)):
        return Fraction(int(x)), False
    if isinstance(x, Fraction):
        return x, False
    if isinstance(x, str):
        from proofs.exact.errors import CertificateFormatError
        from proofs.exact.rational import parse_fraction

        try:
            return parse_fraction(x.strip(), name), False
        except CertificateFormatError as exc:
            raise GameParameterError(str(exc)) from exc
    if isinstance(x, (float, np.floating)):
        f = float(x)
        if not math.isfinite(f):
            raise GameParameterError(f"`{name}` must be finite; got {f!r}")
        q = Fraction(f).limit_denominator(10**6)
        if float(q) != f:
            q = Fraction(repr(f))
        return q, True
    raise GameParameterError(f"`{name}` must be a number or a \"p/q\" string; got {type(x).__name__}")


def _matrix(raw: Any, name: str) -> list[list[Any]]:
    if isinstance(raw, np.ndarray):
        if raw.ndim != 2:
            raise GameParameterError(f"`{name}` must be a 2-D matrix; got shape {raw.shape}")
        raw = raw.tolist()
    if not isinstance(raw, (list, tuple)) or not raw or not all(isinstance(r, (list, tuple, np.ndarray)) for r in raw):
        raise GameParameterError(f"`{name}` must be a non-empty 2-D matrix (a list of rows)")
    rows = [list(r) for r in raw]
    cols = len(rows[0])
    if cols == 0 or any(len(r) != cols for r in rows):
        raise GameParameterError(f"`{name}` must be a non-empty 2-D matrix with rows of equal length")
    if len(rows) > MAX_SIDE or cols > MAX_SIDE or len(rows) * cols > MAX_ENTRIES:
        raise GameParameterError(f"`{name}` may have at most {MAX_SIDE} rows and columns and {MAX_ENTRIES} entries; got {len(rows)} x {cols}")
    return rows


def _denominator_fits(m: list[list[Fraction]], name: str) -> list[list[Fraction]]:
    lcd = math.lcm(*(q.denominator for row in m for q in row))
    if lcd >= 10**MAX_DENOMINATOR_DIGITS:
        raise GameParameterError(
            f"`{name}`: the entries' common denominator has {len(str(lcd))} digits; at most {MAX_DENOMINATOR_DIGITS} "
            "(certificates hold integers of at most 400 digits, and the exact values need room beyond the denominator)")
    return m


def _normalise(m: list[list[Fraction]], floats: bool, name: str) -> tuple[list[list[Fraction]], bool]:
    total = sum((abs(q) for row in m for q in row), Fraction(0))
    if total == 1 or (name == "bias" and total < 1 and not (floats and 1 - total <= Fraction(1, 10**9))):
        return _denominator_fits(m, name), False
    if floats and total > 0 and abs(total - 1) <= Fraction(1, 10**9):
        return _denominator_fits([[q / total for q in row] for row in m], name), True
    what = "the probabilities must sum to 1" if name == "prob" else "the absolute values of the bias matrix must sum to at most 1"
    raise GameParameterError(f"`{name}`: {what}; they sum to {float(total):.17g}")


def _check_reps(reps: Any) -> int:
    if isinstance(reps, bool) or not isinstance(reps, (int, np.integer)) or not 1 <= reps <= 16:
        raise GameParameterError(f"`reps` must be an integer in [1, 16]; got {reps!r}")
    return int(reps)


def signs_value(m: NDArray[np.int64], a: NDArray[np.int64], b: NDArray[np.int64]) -> int:
    """``a^T M b`` in Python integers (exact for any integer matrix)."""
    return sum(int(ai) * sum(int(mij) * int(bj) for mij, bj in zip(row, b)) for ai, row in zip(a, m))


def _all_signs(k: int) -> NDArray[np.int64]:
    """All ``2^k`` vectors of ``+-1`` (rows), as int64."""
    if k == 0:
        return np.ones((1, 0), dtype=np.int64)
    bits = (np.arange(2**k, dtype=np.int64)[:, None] >> np.arange(k, dtype=np.int64)) & 1
    return 1 - 2 * bits


def exhaustive_value(mi: NDArray[np.int64]) -> tuple[int, NDArray[np.int64], NDArray[np.int64]]:
    """``max_{a, b} a^T M b`` for an integer matrix with ``sum |M| < 2^62`` (exhaustive over the rows' signs).

    Meet in the middle: the rows (``a_0 = +1`` by the symmetry ``(a, b) -> (-a, -b)``)
    are split in two halves whose partial column sums are enumerated once;
    every partial sum is bounded by ``sum |M|``, so int64 never overflows.
    Returns ``(value, a, b)`` with ``b`` Bob's best response.

    >>> exhaustive_value(np.array([[1, 1], [1, -1]]))[0]
    2
    """
    k = mi.shape[0]
    h1 = (k - 1) // 2
    s1 = _all_signs(h1) @ mi[1:1 + h1] + mi[0]
    s2 = _all_signs(k - 1 - h1) @ mi[1 + h1:]
    best, arg = -1, (0, 0)
    step = max(1, 2**16 // max(1, s2.shape[0]))
    for i0 in range(0, s1.shape[0], step):
        blk = np.abs(s1[i0:i0 + step, None, :] + s2[None, :, :]).sum(axis=2)
        j = int(np.argmax(blk))
        v = int(blk.flat[j])
        if v > best:
            best, arg = v, (i0 + j // s2.shape[0], j % s2.shape[0])
    a = np.concatenate([[1], _all_signs(h1)[arg[0]], _all_signs(k - 1 - h1)[arg[1]]]).astype(np.int64)
    col = a @ mi
    b = np.where(col >= 0, 1, -1).astype(np.int64)
    return best, a, b


@dataclass(frozen=True, eq=False)
class XorMatrixGame:
    """A finite XOR game with an exact rational bias matrix.

    Attributes
    ----------
    bias
        ``M[x][y] = prob[x][y] (-1)^pred[x][y]`` as :class:`Fraction`, ``sum |M| = 1``.
    reps
        toqito's ``reps``: the number of parallel copies that must all be won.
    normalised
        Whether float input was renormalised to sum to 1 exactly.
    """

    bias: tuple[tuple[Fraction, ...], ...]
    reps: int = 1
    normalised: bool = False

    def __post_init__(self) -> None:
        _check_reps(self.reps)
        if self.reps > 1 and sum((abs(q) for row in self.bias for q in row), Fraction(0)) != 1:
            raise GameParameterError(
                f"`reps` = {self.reps} needs a game whose probabilities sum to 1 (sum |M| = 1); this bias matrix has sum |M| < 1, so "
                "some questions have a random predicate: its win-every-copy repetition is not toqito's game and not covered by the "
                "repetition theorem (use reps = 1, or xor_power for the XOR of the copies)")

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_toqito(cls, prob: Any, pred: Any, reps: int = 1) -> XorMatrixGame:
        """From toqito's ``prob_mat`` and ``pred_mat`` (same shape; ``pred`` in {0, 1})."""
        p = _matrix(prob, "prob")
        f = _matrix(pred, "pred")
        if (len(p), len(p[0])) != (len(f), len(f[0])):
            raise GameParameterError(f"`prob` and `pred` must have the same shape; got {len(p)} x {len(p[0])} and {len(f)} x {len(f[0])}")
        floats = False
        m: list[list[Fraction]] = []
        for i, (prow, frow) in enumerate(zip(p, f)):
            out = []
            for j, (pv, fv) in enumerate(zip(prow, frow)):
                q, fl = exact_number(pv, f"prob[{i}, {j}]")
                floats |= fl
                if q < 0:
                    raise GameParameterError(f"`prob[{i}, {j}]` must be a probability (>= 0); got {float(q):.6g}")
                bit, _ = exact_number(int(fv) if isinstance(fv, (bool, np.bool_)) else fv, f"pred[{i}, {j}]")  # toqito takes bool pred too
                if bit not in (0, 1):
                    raise GameParameterError(f"`pred[{i}, {j}]` must be 0 or 1; got {float(bit):.6g}")
                out.append(-q if bit == 1 else q)
            m.append(out)
        m, norm = _normalise(m, floats, "prob")
        return cls(tuple(tuple(r) for r in m), _check_reps(reps), norm)

    @classmethod
    def from_bias(cls, bias: Any, reps: int = 1) -> XorMatrixGame:
        """From the bias (correlation) matrix ``M`` with ``sum |M| = 1``."""
        rows = _matrix(bias, "bias")
        floats = False
        m = []
        for i, row in enumerate(rows):
            out = []
            for j, v in enumerate(row):
                q, fl = exact_number(v, f"bias[{i}, {j}]")
                floats |= fl
                out.append(q)
            m.append(out)
        m, norm = _normalise(m, floats, "bias")
        return cls(tuple(tuple(r) for r in m), _check_reps(reps), norm)

    @classmethod
    def from_toqito_game(cls, game: Any) -> XorMatrixGame:
        """From a ``toqito.nonlocal_games.xor_game.XORGame`` (its ``prob_mat``, ``pred_mat`` and ``reps``)."""
        for attr in ("prob_mat", "pred_mat", "reps"):
            if not hasattr(game, attr):
                raise GameParameterError(f"`game` must be a toqito XORGame (with prob_mat, pred_mat, reps); it has no {attr!r}")
        return cls.from_toqito(np.asarray(game.prob_mat), np.asarray(game.pred_mat), int(game.reps))

    # ------------------------------------------------------------------ views
    @property
    def rows(self) -> int:
        return len(self.bias)

    @property
    def cols(self) -> int:
        return len(self.bias[0])

    @property
    def matrix(self) -> NDArray[np.float64]:
        """The bias matrix in floats (nearest; a fresh copy of :attr:`float_matrix`)."""
        return self.float_matrix.copy()

    @once
    def float_matrix(self) -> NDArray[np.float64]:
        """The bias matrix in floats (each entry the nearest float), computed once; read-only.

        The nearest floats of :attr:`checked_bias`
        (:attr:`proofs.exact.xor_matrix.BiasMatrix.nearest`: correctly rounded
        quotients ``N / L``, as ``float(Fraction)`` is; the enclosure radii are
        made only if a checker needs them).

        >>> bool(XorMatrixGame.from_bias([["1/3", "-1/3"], ["1/6", "1/6"]]).float_matrix[0, 0] == 1 / 3)
        True
        """
        return self.checked_bias.nearest

    @property
    def prob(self) -> list[list[Fraction]]:
        return [[abs(q) for q in row] for row in self.bias]

    @property
    def pred(self) -> NDArray[np.int64]:
        return np.array([[1 if q < 0 else 0 for q in row] for row in self.bias], dtype=np.int64)

    @once
    def integer_form(self) -> tuple[list[list[int]], int]:
        """``(L M, L)`` in lowest terms, Python integers (:func:`proofs.exact.xor_matrix.integer_form`)."""
        return integer_form(self.bias)

    @once
    def checked_bias(self) -> BiasMatrix:
        """The integer form as the validated :class:`proofs.exact.xor_matrix.BiasMatrix` the checkers take (made once)."""
        ints, den = self.integer_form
        return BiasMatrix(tuple(map(tuple, ints)), den)

    def exact(self) -> XorMatrix:
        """The exact description certificates name (:class:`proofs.exact.xor_matrix.XorMatrix`; its SHA-256 computed once)."""
        return self.checked_bias.game

    def base(self) -> XorMatrixGame:
        """The single-copy game (``reps = 1``)."""
        return XorMatrixGame(self.bias, 1, self.normalised)

    def integer_matrix(self) -> tuple[NDArray[np.int64], int]:
        """``(L M, L)`` with ``L`` the least common denominator; raises if ``L >= 2^62`` (int64 routines)."""
        ints, lcd = self.integer_form
        if lcd >= MAX_DENOMINATOR:
            raise GameParameterError(f"the entries' common denominator {lcd:.3e} is too large for the exact integer search (limit 2^62)")
        return np.array(ints, dtype=np.int64), lcd

    def strategy_value(self, a: Sequence[int], b: Sequence[int]) -> Fraction:
        """Exact winning probability of the deterministic strategy ``A_x = a[x]``, ``B_y = b[y]`` (each +-1)."""
        if len(a) != self.rows or len(b) != self.cols or any(s not in (1, -1) for s in (*a, *b)):
            raise GameParameterError(f"`a` and `b` must be +-1 vectors of lengths {self.rows} and {self.cols}")
        tot = sum((q * ai * bj for ai, row in zip(a, self.bias) for q, bj in zip(row, b)), Fraction(0))
        return Fraction(1, 2) + tot / 2

    def xor_power(self, n: int) -> XorMatrixGame:
        """The XOR repetition: ``n`` copies played at once, won iff the XOR of all answers is the XOR of all predicates.

        Its bias matrix is the Kronecker power ``M^{(x) n}`` (inputs are tuples, in lexicographic order).

        >>> chsh = XorMatrixGame.from_bias([["1/4", "1/4"], ["1/4", "-1/4"]])
        >>> chsh.xor_power(2).rows, chsh.xor_power(2).bias[3][3]
        (4, Fraction(1, 16))
        """
        if isinstance(n, bool) or not isinstance(n, int) or n < 1:
            raise GameParameterError(f"`n` must be a positive integer; got {n!r}")
        if n > 64:  # before the count, which is itself costly for huge n
            raise GameParameterError(f"the XOR power's exponent `n` must be at most 64; got {n}")
        if (self.rows**n) * (self.cols**n) > MAX_ENTRIES:
            raise GameParameterError(f"the XOR power has {self.rows**n} x {self.cols**n} entries; at most {MAX_ENTRIES}")
        out = []
        for xs in itertools.product(range(self.rows), repeat=n):
            row = []
            for ys in itertools.product(range(self.cols), repeat=n):
                v = Fraction(1)
                for x, y in zip(xs, ys):
                    v *= self.bias[x][y]
                row.append(v)
            out.append(row)
        return XorMatrixGame(tuple(tuple(r) for r in out), 1, self.normalised)

    # ------------------------------------------------------------------ classical values
    def classical_exhaustive(self) -> tuple[Fraction, list[int], list[int]]:
        """Exact classical value (single copy) and an optimal deterministic strategy, by exhaustive search.

        Enumerates ``2^(k-1)`` sign vectors of the smaller side ``k``
        (at most :data:`EXHAUSTIVE_LIMIT`), the other side best-responding.
        """
        t = self.rows > self.cols
        k = min(self.rows, self.cols)
        if k > EXHAUSTIVE_LIMIT:
            raise GameParameterError(f"exhaustive classical search needs min(rows, cols) <= {EXHAUSTIVE_LIMIT}; got {k}")
        ints, lcd = self.integer_form
        if lcd >= MAX_DENOMINATOR:  # beyond int64 (float input, say): rounded search, near ties rechecked exactly (lemma X4b)
            rows = [list(r) for r in zip(*ints)] if t else [list(r) for r in ints]
            try:
                best, a_list = exhaustive_any_size(rows)
            except CertificateError as exc:
                raise GameParameterError(str(exc)) from exc
            cols = [sum(ai * row[j] for ai, row in zip(a_list, rows)) for j in range(len(rows[0]))]
            a, b = a_list, [1 if c >= 0 else -1 for c in cols]
        else:
            mi = np.array(ints, dtype=np.int64)
            best, a64, b64 = exhaustive_value(mi.T.copy() if t else mi)
            a, b = [int(s) for s in a64], [int(s) for s in b64]
        if t:
            a, b = b, a
        return Fraction(1, 2) + Fraction(best, 2 * lcd), a, b

    def classical_local_search(
        self, *, seed: int = 0, time_limit: float = 1.0, starts: NDArray[np.float64] | None = None, max_restarts: int = 10**6
    ) -> tuple[Fraction, list[int], list[int]]:
        """A good deterministic strategy: alternating best responses plus single flips from many starts.

        ``starts`` (optional) are rows of vectors for Alice and Bob stacked
        (e.g. Tsirelson vectors) rounded by random hyperplanes; the others are
        random signs.  Returns the exact value of the best strategy found (a
        lower bound on the classical value) and the strategy.
        """
        m = self.matrix
        ints, _lcd = self.integer_form
        shift = max(0, sum(abs(v) for row in ints for v in row).bit_length() - SHIFT_BITS)  # L >= 2^62: search on N / 2^s rounded, value exact
        mi = np.array([[v >> shift for v in row] for row in ints], dtype=np.int64)  # every |entry| <= sum |N| / 2^s + 1 < 2^61
        rng = np.random.default_rng(seed)
        deadline = time.perf_counter() + time_limit
        best, arg = -1, (np.ones(self.rows, dtype=np.int64), np.ones(self.cols, dtype=np.int64))
        r = 0
        while r < max_restarts and (r < 4 or time.perf_counter() < deadline):
            if starts is not None and r % 2 == 0:
                g = rng.standard_normal(starts.shape[1])
                a = np.where(starts[: self.rows] @ g >= 0, 1, -1).astype(np.int64)
            else:
                a = rng.choice(np.array([1, -1], dtype=np.int64), self.rows)
            a, b = _polish(m, mi, a)
            v = int(a @ mi @ b)
            if v > best:
                best, arg = v, (a, b)
            r += 1
        a_best, b_best = [int(s) for s in arg[0]], [int(s) for s in arg[1]]
        return self.strategy_value(a_best, b_best), a_best, b_best

    def repeated_classical_value(self, limit: int = REPEATED_LIMIT) -> tuple[Fraction, dict[str, Any]]:
        """Exact classical value of toqito's ``reps``-fold parallel repetition (all copies must be won).

        Exhaustive over the deterministic strategies of the player with
        fewer of them, ``(2^reps)^(inputs^reps)`` (at most ``limit``), the
        other player best-responding per question tuple; exact integer
        arithmetic.  Returns the value and the optimal strategy
        (``{"player": ..., "answers": [...]}``, answers as bit masks over the
        copies, questions in lexicographic order).

        >>> chsh = XorMatrixGame.from_bias([["1/4", "1/4"], ["1/4", "-1/4"]], reps=2)
        >>> chsh.repeated_classical_value()[0]
        Fraction(5, 8)
        """
        n = self.reps
        mi, lcd = self.integer_matrix()
        mi_t = mi
        player = "alice"
        if self.cols**n < self.rows**n:
            mi_t, player = mi.T.copy(), "bob"
        k, c = mi_t.shape
        qa, qb = k**n, c**n
        if n * qa > limit.bit_length():  # (2^n)^qa strategies: compare exponents first, the count itself can be astronomically large
            raise GameParameterError(
                f"the classical value of {n} repetitions needs 2^{n * qa} deterministic strategies (limit {limit}); "
                "toqito's reps is the win-every-copy game, which is not an XOR game: try fewer repetitions or xor_power"
            )
        n_strat = (2**n) ** qa
        if n_strat > limit:
            raise GameParameterError(
                f"the classical value of {n} repetitions needs {n_strat} deterministic strategies (limit {limit}); "
                "toqito's reps is the win-every-copy game, which is not an XOR game: try fewer repetitions or xor_power"
            )
        xs = list(itertools.product(range(k), repeat=n))
        ys = list(itertools.product(range(c), repeat=n))
        # probability (integer, scale lcd^n) and predicate mask of each question tuple
        p = np.zeros((qa, qb), dtype=object)
        f = np.zeros((qa, qb), dtype=np.int64)
        for i, x in enumerate(xs):
            for j, y in enumerate(ys):
                wt, mask = 1, 0
                for t, (xx, yy) in enumerate(zip(x, y)):
                    e = int(mi_t[xx, yy])
                    wt *= abs(e)
                    mask |= (1 if e < 0 else 0) << t
                p[i, j], f[i, j] = wt, mask
        scale = lcd**n
        if scale >= 2**62:
            raise GameParameterError("the repeated game's common denominator is too large for the exact enumeration")
        p = p.astype(np.int64)
        strat = (np.arange(n_strat, dtype=np.int64)[:, None] // (2**n) ** np.arange(qa, dtype=np.int64)) % (2**n)
        total = np.zeros(n_strat, dtype=np.int64)
        for j in range(qb):
            w = np.zeros((n_strat, 2**n), dtype=np.int64)
            for i in range(qa):
                if p[i, j]:
                    np.add.at(w, (np.arange(n_strat), strat[:, i] ^ f[i, j]), p[i, j])
            total += w.max(axis=1)
        s = int(np.argmax(total))
        return Fraction(int(total[s]), scale), {"player": player, "answers": [int(v) for v in strat[s]]}


def _polish(m: NDArray[np.float64], mi: NDArray[np.int64], a: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Alternating best responses, then single flips of Alice's signs while they help (exact integer gains)."""
    for _ in range(100):
        col = a @ mi
        b = np.where(col >= 0, 1, -1).astype(np.int64)
        row = mi @ b
        a2 = np.where(row >= 0, 1, -1).astype(np.int64)
        if np.array_equal(a2, a):
            break
        a = a2
    improved = True
    while improved:
        improved = False
        col = a @ mi
        base = int(np.abs(col).sum())
        # gain of flipping a_i: sum_j |col_j - 2 a_i M_ij| - |col_j|
        gains = np.abs(col[None, :] - 2 * a[:, None] * mi).sum(axis=1) - base
        i = int(np.argmax(gains))
        if gains[i] > 0:
            a = a.copy()
            a[i] = -a[i]
            improved = True
    col = a @ mi
    return a, np.where(col >= 0, 1, -1).astype(np.int64)
