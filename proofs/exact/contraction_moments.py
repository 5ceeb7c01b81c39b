"""The rank-2 moment relaxation of K routers on the continuum (lemma R7): words, localizing entries, exact dual sums.

Router ``i`` holds two Hermitian operators ``O_i^0 = E[O_i(X)]`` and
``O_i^1 = E[X O_i(X)]`` (``O_i(x)`` a contraction; routers' operators commute).
A *word* is a tuple of ``K`` per-router letter strings (letters ``0`` and ``1``,
at most two per router here) and a *moment* ``y_w = Re <w>``; since ``Re <w> =
Re <w^dagger>`` and the adjoint reverses every router's string at once, the key
of a moment is the smaller of the word and its reverse (:func:`canonical`).

Moment matrix (level ``"1+ab"``): elements ``1``, ``O_i^a`` and ``O_i^a O_j^b``
(``i < j``); entry ``(u, v)`` is ``y`` of the word ``u^dagger v`` (each router
occurs at most once in ``u``, so its string is ``u_p + v_p``).  Side ``1 + 2K +
4 C(K, 2)``: 9, 19, 33 for ``K = 2, 3, 4``.

Localizing matrix of router ``i`` and direction ``(alpha, beta)`` with a number
``H >= E|alpha + beta X|``: indexed by ``1`` and ``O_j^b`` (``j != i``), entry
``(u, v) = H^2 y(u v) - sum_{a, c} g_a g_c y(u O_i^a O_i^c v)``, ``g = (alpha, beta)``.

Weighted Cauchy-Schwarz matrix of router ``i`` and a weight ``omega > 0`` (piecewise
constant on ``N`` equiprobable bins of ``F(x)``) with a rational ``2 x 2`` matrix
``R >= E[1/omega] E[omega (1, X)^T (1, X)]``: indexed by ``(s, k)`` (``s`` in
``{0, 1}``, ``w_k`` the level-1 elements ``1, O_j^b``) and a right block of words
``l_m``; block entries ``R_st y(w_k w_l)``, cross entries ``y(w_k O_i^s l_m)``,
right block ``y(l_m^dagger l_n)`` (lemma R7 (c)).  Level ``"1+ab"``: the right block is
``{1}`` alone (last column ``y(w_k O_i^s)``, corner ``1``); level ``"1+ab+even"``
(lemma R9): ``{1}``, every pair element ``O_j^a O_k^b`` (``j < k``) and every
square ``O_j^a O_j^b`` (all routers ``j``, including ``i``),
so the Cauchy-Schwarz step ``<N psi, O(x) L psi> <= ||N psi|| ||L psi||`` runs
with an operator ``L`` of even degree (the flip symmetry makes odd-degree
cross moments vanish, so only even ``L`` adds anything).

Dual sums: for symmetric matrices ``Z`` (moment) and ``Y_{i,d}`` (localizing),
``sum Z . Gamma + sum Y . L = sum_w y_w s_w`` with exact rational ``s_w``
(:func:`dual_sums`); lemma R7 turns ``s`` into a bound (:func:`proven_value`).
Every number here is an exact :class:`~fractions.Fraction` or integer; the
support function is enclosed in arb (:func:`support_ball`).

>>> cs = contraction_structure(3)
>>> cs.size, cs.local_size, len(cs.moments())
(19, 5, 138)
>>> wide = contraction_structure(3, "1+ab+even")
>>> wide.weighted_size, len(wide.moments())
(39, 258)
>>> cs.entry(cs.element_index({0: 1}), cs.element_index({0: 0, 1: 1}))    # O_0^1 (O_0^0 O_1^1): router 0 says 10, router 1 says 1
('01', '1', '')
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from proofs.exact.errors import QcoordParameterError

__all__ = ["KS", "LEVELS", "ContractionStructure", "Direction", "Weight", "canonical", "contraction_structure", "dual_sums", "moment_bound", "objective_weights",
           "proven_value", "support_ball", "weight_ball"]

#: router counts of the relaxation
KS = (2, 3, 4)
#: relaxation levels: the right block of the weighted Cauchy-Schwarz matrices is ``{1}`` or ``{1} + pair elements``
LEVELS = ("1+ab", "1+ab+even")

Word = tuple[str, ...]


def canonical(w: Word) -> Word:
    """The key of ``Re <w>``: the smaller of ``w`` and its adjoint (every router's string reversed).

    >>> canonical(("10", "1", ""))
    ('01', '1', '')
    """
    r = tuple(p[::-1] for p in w)
    return min(w, r)


@dataclass(frozen=True)
class Weight:
    """A weight ``omega`` (positive rationals on ``N`` equiprobable bins) and a claimed ``R >= E[1/omega] E[omega (1, X)^T (1, X)]``."""

    omega: tuple[Fraction, ...]
    R: tuple[Fraction, Fraction, Fraction]


@dataclass(frozen=True)
class Direction:
    """A direction ``(alpha, beta)`` and a claimed ``H >= h(alpha, beta) = E|alpha + beta X|`` (exact rationals)."""

    alpha: Fraction
    beta: Fraction
    H: Fraction


@dataclass(frozen=True, eq=False)
class ContractionStructure:
    """The elements of the moment matrix, the localizing index sets, and the word of every entry.

    Attributes
    ----------
    K
        Routers.
    elements
        Moment-matrix elements, each a tuple of ``K`` strings of length <= 1.
    locals_
        Per router ``i``: the localizing elements (``1`` and ``O_j^b``, ``j != i``).
    right
        The right block of every weighted Cauchy-Schwarz matrix (``(1,)`` at level
        ``"1+ab"``; ``1``, the pair elements and the squares ``O_j^a O_j^b`` at ``"1+ab+even"``).
    level
        The level's name (one of :data:`LEVELS`).
    """

    K: int
    elements: tuple[Word, ...]
    locals_: tuple[tuple[Word, ...], ...]
    right: tuple[Word, ...] = ()
    level: str = "1+ab"

    @property
    def level1(self) -> tuple[Word, ...]:
        """The elements ``1`` and ``O_j^b`` (index set of the weighted Cauchy-Schwarz matrices)."""
        return self.elements[: 1 + 2 * self.K]

    @property
    def weighted_size(self) -> int:
        """Side of a weighted Cauchy-Schwarz matrix: ``2 (1 + 2K) + len(right)``."""
        return 2 * len(self.level1) + len(self.right)

    def weighted_words(self, i: int, a: int, b: int) -> tuple[str, tuple[int, int] | None, Word]:
        """Entry ``(a, b)`` (``a <= b``) of router ``i``'s weighted matrix: ``("R", (s, t), key)``, ``("l", None, key)`` or ``("1", None, key)``.

        ``"R"``: ``R_st y(w_k w_l)``; ``"l"``: ``y(w_k O_i^s l_m)``; ``"1"``: ``y(l_m l_n)`` (coefficient 1).
        """
        n1 = len(self.level1)
        last = 2 * n1
        if a >= last:
            u, v = self.right[a - last], self.right[b - last]
            return "1", None, canonical(tuple(x[::-1] + y for x, y in zip(u, v)))
        if b >= last:
            s, k = divmod(a, n1)
            u, v = self.level1[k], self.right[b - last]
            w = [x + y for x, y in zip(u, v)]
            w[i] = u[i] + str(s) + v[i]
            return "l", None, canonical(tuple(w))
        (s, k), (t, m) = divmod(a, n1), divmod(b, n1)
        u, v = self.level1[k], self.level1[m]
        return "R", (s, t), canonical(tuple(x + y for x, y in zip(u, v)))

    @property
    def size(self) -> int:
        return len(self.elements)

    @property
    def local_size(self) -> int:
        return len(self.locals_[0])

    def element_index(self, word: Mapping[int, int]) -> int:
        """Index of ``prod_{p in word} O_p^{word[p]}`` (``{}`` is the identity)."""
        w = tuple(str(word[p]) if p in word else "" for p in range(self.K))
        try:
            return self.elements.index(w)
        except ValueError:
            raise QcoordParameterError(f"no element {dict(word)} in the K = {self.K} moment matrix") from None

    def entry(self, a: int, b: int) -> Word:
        """The moment key of moment-matrix entry ``(a, b)``."""
        u, v = self.elements[a], self.elements[b]
        return canonical(tuple(x + y for x, y in zip(u, v)))

    def local_words(self, i: int, a: int, b: int) -> tuple[Word, dict[tuple[int, int], Word]]:
        """Keys of localizing entry ``(a, b)`` of router ``i``: the ``H^2`` word ``u v`` and ``u O_i^s O_i^t v`` for each ``(s, t)``."""
        u, v = self.locals_[i][a], self.locals_[i][b]
        base = tuple(x + y for x, y in zip(u, v))
        out = {}
        for s, t in itertools.product((0, 1), repeat=2):
            w = list(base)
            w[i] = f"{s}{t}"
            out[(s, t)] = canonical(tuple(w))
        return canonical(base), out

    def moments(self) -> list[Word]:
        """Every moment key of the moment matrix and the localizing matrices, sorted (the identity first)."""
        keys = {self.entry(a, b) for a in range(self.size) for b in range(self.size)}
        for i in range(self.K):
            n = self.local_size
            for a in range(n):
                for b in range(n):
                    k0, ks = self.local_words(i, a, b)
                    keys.add(k0)
                    keys.update(ks.values())
            n = self.weighted_size
            keys.update(self.weighted_words(i, a, b)[2] for a in range(n) for b in range(a, n))
        return sorted(keys)

    @property
    def identity(self) -> Word:
        return ("",) * self.K


def contraction_structure(K: int, level: str = "1+ab") -> ContractionStructure:
    """The structure of ``level`` (``"1+ab"`` or ``"1+ab+even"``) for ``K`` routers.

    >>> contraction_structure(5)
    Traceback (most recent call last):
    ...
    proofs.exact.errors.QcoordParameterError: `K` must be one of (2, 3, 4); got 5
    >>> contraction_structure(3, "2")
    Traceback (most recent call last):
    ...
    proofs.exact.errors.QcoordParameterError: `level` must be one of ('1+ab', '1+ab+even'); got '2'
    """
    if isinstance(K, bool) or K not in KS:
        raise QcoordParameterError(f"`K` must be one of {KS}; got {K!r}")
    if level not in LEVELS:
        raise QcoordParameterError(f"`level` must be one of {LEVELS}; got {str(level)[:20]!r}")
    empty = ("",) * K

    def word(d: Mapping[int, int]) -> Word:
        return tuple(str(d[p]) if p in d else "" for p in range(K))

    def word2(j: int, letters: str) -> Word:
        return tuple(letters if p == j else "" for p in range(K))

    elems = [empty] + [word({i: a}) for i in range(K) for a in (0, 1)]
    elems += [word({i: a, j: b}) for i, j in itertools.combinations(range(K), 2) for a in (0, 1) for b in (0, 1)]
    locs = tuple(tuple([empty] + [word({j: b}) for j in range(K) if j != i for b in (0, 1)]) for i in range(K))
    squares = [word2(j, a + b) for j in range(K) for a in "01" for b in "01"]
    right = (empty,) if level == "1+ab" else (empty,) + tuple(e for e in elems if sum(map(len, e)) == 2) + tuple(squares)
    return ContractionStructure(K, tuple(elems), locs, right, level)


def objective_weights(K: int, A: tuple[Fraction, Fraction, Fraction], four: Fraction) -> dict[Word, Fraction]:
    """Weights of the correlator part of R3: ``A_ab`` on ``y(O_i^a O_j^b)`` for every pair, ``four`` on ``y(O_1^0 ... O_4^0)`` (K = 4).

    >>> w = objective_weights(2, (Fraction(1, 2), Fraction(-1, 8), Fraction(-1, 4)), Fraction(0))
    >>> w[("0", "1")], w[("1", "1")]
    (Fraction(-1, 8), Fraction(-1, 4))
    """
    a00, a01, a11 = A
    mat = {(0, 0): a00, (0, 1): a01, (1, 0): a01, (1, 1): a11}
    out: dict[Word, Fraction] = {}
    for i, j in itertools.combinations(range(K), 2):
        for (a, b), v in mat.items():
            w = [""] * K
            w[i], w[j] = str(a), str(b)
            key = canonical(tuple(w))
            out[key] = out.get(key, Fraction(0)) + v
    if K == 4 and four:
        out[("0",) * 4] = out.get(("0",) * 4, Fraction(0)) + four
    return out


def moment_bound(w: Word, m1: Fraction) -> Fraction:
    """``|Re <w>| <= m1^(number of letters 1)``: ``||O^0|| <= 1`` and ``||O^1|| <= E|X| = m1`` (X >= 0).

    >>> moment_bound(("01", "1", ""), Fraction(3, 2))
    Fraction(9, 4)
    """
    return m1 ** sum(p.count("1") for p in w)


def _sym_sums(n: int, flat: Sequence[int], key: Any) -> dict[Any, int]:
    """Sums of a symmetric integer matrix given by its upper triangle (row-major) over the entries with each key."""
    out: dict[Any, int] = {}
    t = 0
    for a in range(n):
        for b in range(a, n):
            v = flat[t]
            t += 1
            if v:
                k = key(a, b)
                out[k] = out.get(k, 0) + (v if a == b else 2 * v)
    return out


def dual_sums(cs: ContractionStructure, Z: Sequence[int], Y: Sequence[Sequence[Sequence[int]]], directions: Sequence[Direction],
              exponent: int, V: Sequence[Sequence[Sequence[int]]] = (), weights: Sequence[Weight] = ()) -> dict[Word, Fraction]:
    """``s_w`` with ``sum Z . Gamma + sum_{d, i} Y[d][i] . L_{i,d} = sum_w s_w y_w`` (exact; matrices are integers over ``2^exponent``).

    ``Z`` is the moment dual's upper triangle, ``Y[d][i]`` the localizing dual of
    direction ``d`` and router ``i``, ``V[c][i]`` the dual of weight ``c``'s
    Cauchy-Schwarz matrix of router ``i`` (upper triangles).

    >>> cs = contraction_structure(2)
    >>> n = cs.size; Z = [0] * (n * (n + 1) // 2); Z[0] = 4           # Z = 4/4 e_0 e_0^T: s = y(1)
    >>> dual_sums(cs, Z, [], [], 2)
    {('', ''): Fraction(1, 1)}
    """
    scale = Fraction(1, 2**exponent)
    total: dict[Word, Fraction] = {}
    for k, v in _sym_sums(cs.size, Z, cs.entry).items():
        total[k] = total.get(k, Fraction(0)) + v * scale
    n = cs.local_size
    for d, per_router in zip(directions, Y):
        g = (d.alpha, d.beta)
        h2 = d.H * d.H
        for i, flat in enumerate(per_router):
            for (a, b), v in _sym_sums(n, flat, lambda a, b: (a, b)).items():
                k0, ks = cs.local_words(i, a, b)
                q = v * scale
                total[k0] = total.get(k0, Fraction(0)) + h2 * q
                for (s, t), k in ks.items():
                    total[k] = total.get(k, Fraction(0)) - g[s] * g[t] * q
    nw = cs.weighted_size
    for wt, per_router in zip(weights, V):
        r00, r01, r11 = wt.R
        R = {(0, 0): r00, (0, 1): r01, (1, 0): r01, (1, 1): r11}
        for i, flat in enumerate(per_router):
            for (a, b), v in _sym_sums(nw, flat, lambda a, b: (a, b)).items():
                _tag, st, k = cs.weighted_words(i, a, b)
                q = v * scale * (R[st] if st is not None else 1)
                total[k] = total.get(k, Fraction(0)) + q
    return {k: v for k, v in total.items() if v}


def proven_value(cs: ContractionStructure, weights: Mapping[Word, Fraction], sums: Mapping[Word, Fraction], m1: Fraction) -> tuple[Fraction, Fraction]:
    """``(s_1 + residual, residual)``, ``residual = sum_{w != 1} |c_w + s_w| m1^(#1 letters)`` (lemma R7).

    For every strategy (true moments ``y``, ``y_1 = 1``) with PSD duals, the
    correlator part is ``sum c_w y_w <= sum c_w y_w + sum s_w y_w = s_1 +
    sum_{w != 1} (c_w + s_w) y_w <= s_1 + residual``.

    >>> cs = contraction_structure(2)
    >>> proven_value(cs, {("0", "0"): Fraction(1)}, {("", ""): Fraction(2), ("0", "0"): Fraction(-1)}, Fraction(1))
    (Fraction(2, 1), Fraction(0, 1))
    """
    ident = cs.identity
    residual = Fraction(0)
    for k in set(weights) | set(sums):
        if k == ident:
            continue
        r = weights.get(k, Fraction(0)) + sums.get(k, Fraction(0))
        if r:
            residual += abs(r) * moment_bound(k, m1)
    return weights.get(ident, Fraction(0)) + sums.get(ident, Fraction(0)) + residual, residual


def support_ball(law: str, mu: Fraction | None, alpha: Fraction, beta: Fraction) -> Any:
    """An arb ball containing ``h(alpha, beta) = E|alpha + beta X|`` (exponential of rate ``mu``, or uniform on ``[0, 2]``: exact).

    With ``x0 = -alpha/beta``: ``h = |alpha + beta m1|`` when ``x0 <= 0`` (no sign change);
    exponential, ``x0 > 0``: ``|beta| (x0 - 1/mu + 2 e^(-mu x0)/mu)`` (``E[(X - x0)^+] = e^(-mu x0)/mu``);
    uniform, ``0 < x0 < 2``: ``|beta| (x0^2 + (2 - x0)^2)/4``.

    >>> from proofs.exact.laws import working_precision
    >>> with working_precision(128):
    ...     b = support_ball("exponential", Fraction(1), Fraction(-1), Fraction(1))    # E|X - 1| = 2/e
    >>> abs(float(b.mid()) - 0.7357588823428847) < 1e-15
    True
    >>> support_ball("uniform", None, Fraction(-1), Fraction(1))                       # E|X - 1| on U[0, 2]
    0.500000000000000
    """
    from flint import arb

    from proofs.exact.rational import arb_fraction

    if beta == 0:
        return arb_fraction(abs(alpha))
    x0 = -alpha / beta
    if law == "uniform":
        if x0 <= 0 or x0 >= 2:
            return arb_fraction(abs(alpha + beta))
        return arb_fraction(abs(beta) * (x0 * x0 + (2 - x0) ** 2) / 4)
    if mu is None or mu <= 0:
        raise QcoordParameterError(f"the exponential law needs a rate mu > 0; got {mu!r}")
    if x0 <= 0:
        return arb_fraction(abs(alpha + beta / mu))
    m = arb_fraction(1 / mu)
    return arb_fraction(abs(beta)) * (arb_fraction(x0) - m + 2 * m * (-arb_fraction(mu * x0)).exp()) + arb(0)


def _second_moment_tail(law: str, mu: Fraction | None, a: Fraction) -> Any:
    """``E[X^2; F(X) >= a]`` (arb)."""
    from flint import arb

    from proofs.exact.rational import arb_fraction

    if a >= 1:
        return arb(0)
    if law == "uniform":  # X = 2A: E[4 A^2; A >= a] = 4 (1 - a^3)/3
        return arb_fraction(4 * (1 - a**3) / 3)
    assert mu is not None
    m = arb_fraction(1 / mu)
    one = arb_fraction(1 - a)
    s = -one.log() * m
    return one * (s * s + 2 * s * m + 2 * m * m)


def weight_ball(law: str, mu: Fraction | None, first: Sequence[Any], omega: Sequence[Fraction]) -> tuple[Any, Any, Any]:
    """Arb balls of ``E[1/omega] E[omega (1, X)^T (1, X)]`` as ``(r00, r01, r11)``; ``first[k] = E[X; bin k]`` (balls), ``omega`` > 0 on ``N`` bins.

    >>> from flint import arb
    >>> from proofs.exact.laws import working_precision
    >>> with working_precision(128):
    ...     r = weight_ball("uniform", None, [arb(1)], [Fraction(2)])   # omega constant: (1, E X, E X^2) = (1, 1, 4/3)
    >>> [round(float(x.mid()), 12) for x in r]
    [1.0, 1.0, 1.333333333333]
    """
    from flint import arb

    from proofs.exact.rational import arb_fraction

    N = len(omega)
    if N == 0 or len(first) != N or any(w <= 0 for w in omega):
        raise QcoordParameterError(f"`omega` must list N >= 1 positive rationals, one per bin of `first` ({len(first)}); got {N}")
    tails = [_second_moment_tail(law, mu, Fraction(k, N)) for k in range(N + 1)]
    inv = arb_fraction(sum((1 / w for w in omega), Fraction(0)) / N)
    e0 = arb_fraction(sum(omega, Fraction(0)) / N)
    e1 = sum((arb_fraction(w) * first[k] for k, w in enumerate(omega)), arb(0))
    e2 = sum((arb_fraction(w) * (tails[k] - tails[k + 1]) for k, w in enumerate(omega)), arb(0))
    return inv * e0, inv * e1, inv * e2
