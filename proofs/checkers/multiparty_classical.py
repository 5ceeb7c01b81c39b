"""Checkers of the classical K-party correlator-game kinds (lemmas M1-M2 in ``proofs/lemmas_classical.md``).

The game is a ``correlator`` game whose exact weights travel in the certificate
(:func:`proofs.exact.correlator_game.read_weighted_certificate`): value
``constant + sum_S sum_x W_S[x] E[prod_{i in S} o_i(x_i)]``, everything over one
common denominator ``L`` as Python integers (no overflow is possible).

``"multiparty-classical-strategy"`` (:func:`check_multiparty_classical_strategy`, lemma M1)
    Lower bound on the classical value: the exact value of explicit
    deterministic signs ``signs[i][x]`` in ``{+1, -1}``.
``"multiparty-classical-threshold"`` (:func:`check_multiparty_classical_threshold`, lemma M2)
    Upper bound on the N-bin classical (shared randomness) value of a game
    in the factored form
    ``W_ij[x, y] = p(x) p(y) phi(x)^T A_ij phi(y)``, ``W_i[x] = p(x) b_i^T phi(x)``
    with ``phi(x) = (1, m(x))``, ``p >= 0`` and ``m`` strictly increasing, plus
    constant-weight terms of three or more players ``W_S[x] = a_S prod_{i in S} p(x_i)``
    (the four-router four-body term; fields ``probabilities``, ``features``,
    ``kernels``; checked exactly against the weights).  Every best response is then a threshold, so the
    classical value is the maximum over threshold tuples, which the checker
    enumerates itself in exact integers (2-D prefix sums) and compares with
    the claim.

Imports only :mod:`proofs.exact`, numpy and the sibling :mod:`proofs.checkers.bound`.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction
from typing import Any

import numpy as np

from proofs.checkers.bound import Bound, Target, _issue
from proofs.exact.certificate import field_list
from proofs.exact.correlator_game import CorrelatorDescription, IntegerWeights, read_weighted_certificate
from proofs.exact.errors import CertificateError, CertificateFormatError
from proofs.exact.rational import parse_fraction, show_rational

__all__ = [
    "MAX_COMBINATIONS",
    "MAX_FACTORED_BINS",
    "check_multiparty_classical_strategy",
    "check_multiparty_classical_threshold",
    "exact_signs_value",
    "threshold_maximum",
]

#: most threshold choices ``(2 (N + 1))^(K - 1)`` of all players but the last that the checker enumerates
MAX_COMBINATIONS = 2**18
#: most bins of a factored game (its ``N^2`` exact identity checks per pair)
MAX_FACTORED_BINS = 512


def _target(game: CorrelatorDescription) -> Target:
    return Target(game.describe(), game.N, "classical")


def _read_signs(cert: dict[str, Any], K: int, N: int) -> list[list[int]]:
    raw = field_list(cert, "signs", K)
    out = []
    for i, row in enumerate(raw):
        if not isinstance(row, list) or len(row) != N or not all(type(s) is int and s in (1, -1) for s in row):
            raise CertificateFormatError(f"signs[{i}] must be a list of N = {N} entries +1 or -1")
        out.append(row)
    return out


def exact_signs_value(w: IntegerWeights, N: int, signs: list[list[int]]) -> int:
    """``L * value`` of deterministic signs, in Python integers (lemma M1).

    >>> from proofs.exact.correlator_game import integer_weights
    >>> w = integer_weights(Fraction(1, 2), {(0, 1): [Fraction(1, 4), Fraction(1, 4), Fraction(1, 4), Fraction(-1, 4)]})
    >>> exact_signs_value(w, 2, [[1, 1], [1, 1]]), w.den   # CHSH: 1/2 + 1/4 (1 + 1 + 1 - 1) = 1
    (4, 4)
    """
    total = w.constant
    for S, flat in w.terms.items():
        prod = np.ones((1,) * 0, dtype=np.int64)
        for i in S:
            prod = np.multiply.outer(prod, np.array(signs[i], dtype=np.int64))  # entries +-1: no overflow
        sgn = prod.reshape(-1)
        total += sum(v if s > 0 else -v for v, s in zip(flat, sgn.tolist()) if v)
    return total


def check_multiparty_classical_strategy(cert: dict[str, Any], source: str) -> Bound:
    """Verify a ``"multiparty-classical-strategy"`` certificate: the exact value of deterministic signs is ``>= bound`` (lemma M1).

    >>> from proofs.exact.certificate import new_certificate
    >>> from proofs.exact.correlator_game import describe, integer_weights, weights_fields
    >>> w = integer_weights(Fraction(0), {(0, 1): [Fraction(1, 2)], (0, 2): [Fraction(1, 2)], (1, 2): [Fraction(1, 2)]})
    >>> c = new_certificate("multiparty-classical-strategy", describe(w, 3, 1, "value"), 1, "lower", Fraction(-1, 2),
    ...                     **weights_fields(w), signs=[[1], [1], [-1]])
    >>> check_multiparty_classical_strategy(c, "demo").details["proven"]
    Fraction(-1, 2)
    """
    hd, game, w = read_weighted_certificate(cert, "multiparty-classical-strategy", "lower")
    signs = _read_signs(cert, game.K, game.N)
    proven = Fraction(exact_signs_value(w, game.N, signs), w.den)
    if hd.bound > proven:
        raise CertificateError(f"claimed lower bound {show_rational(hd.bound)} exceeds the strategy's exact value ({show_rational(proven)})")
    return _issue("lower", hd.bound, _target(game), source, "proofs.checkers.multiparty_classical:check_multiparty_classical_strategy (lemma M1, exact)",
                  proven=proven)


def _rationals(cert: dict[str, Any], key: str, n: int) -> list[Fraction]:
    return [parse_fraction(t, f"{key}[{i}]") for i, t in enumerate(field_list(cert, key, n))]


def _factored(cert: dict[str, Any], game: CorrelatorDescription, w: IntegerWeights) -> tuple[list[Fraction], dict[tuple[int, ...], Fraction]]:
    """Check the factored form of lemma M2 exactly; return ``p`` and the constant weights ``a_S`` of the terms of three or more players.

    Raises :class:`CertificateError` where the form fails.
    """
    N = game.N
    p = _rationals(cert, "probabilities", N)
    m = _rationals(cert, "features", N)
    if any(q < 0 for q in p):
        raise CertificateError("field 'probabilities' must be non-negative (lemma M2 reads the sign of a best response from phi(x) alone)")
    if any(b <= a for a, b in zip(m, m[1:])):
        raise CertificateError("field 'features' must be strictly increasing in the bin (lemma M2: a sign change of alpha + beta m(x) is a threshold)")
    raw = field_list(cert, "kernels", len(w.terms))
    many: dict[tuple[int, ...], Fraction] = {}
    for i, (S, kern) in enumerate(zip(sorted(w.terms), raw)):
        if not isinstance(kern, dict) or set(kern) != {"players", "matrix"} or kern["players"] != list(S):
            raise CertificateFormatError(f"kernels[{i}] must be an object {{'players': {list(S)}, 'matrix': ...}} (one per term, in the terms' order)")
        flat = w.terms[S]
        if len(S) == 1:
            b = _rationals(kern, "matrix", 2)
            for x in range(N):
                if Fraction(flat[x], w.den) != p[x] * (b[0] + b[1] * m[x]):
                    raise CertificateError(f"the weight of term {S} at x = {x} is not p(x) b^T phi(x) (lemma M2's factored form)")
        elif len(S) == 2:
            rows = field_list(kern, "matrix", 2)
            if not all(isinstance(r, list) and len(r) == 2 for r in rows):
                raise CertificateFormatError(f"kernels[{i}]['matrix'] of a pair term must be a 2 x 2 list of rationals")
            a = [[parse_fraction(t, f"kernels[{i}]['matrix']") for t in r] for r in rows]
            for x in range(N):
                left = (a[0][0] + a[1][0] * m[x], a[0][1] + a[1][1] * m[x])  # phi(x)^T A
                for y in range(N):
                    if Fraction(flat[x * N + y], w.den) != p[x] * p[y] * (left[0] + left[1] * m[y]):
                        raise CertificateError(f"the weight of term {S} at (x, y) = ({x}, {y}) is not p(x) p(y) phi(x)^T A phi(y) (lemma M2's factored form)")
        else:
            if isinstance(kern["matrix"], (list, dict)):
                raise CertificateFormatError(f"kernels[{i}]['matrix'] of a term of {len(S)} players must be one rational (a constant weight a_S)")
            a_S = parse_fraction(kern["matrix"], f"kernels[{i}]['matrix']")
            D, q = _common(p)
            scale, target = D ** len(S) * a_S.denominator, w.den * a_S.numerator   # W_S[x] = a_S prod p  <=>  v D^|S| den(a) = L num(a) prod q
            for cell, v in zip(itertools.product(range(N), repeat=len(S)), flat):
                if v * scale != target * math.prod(q[k] for k in cell):
                    raise CertificateError(f"the weight of term {S} at x = {cell} is not a_S prod p(x_i) (lemma M2's constant-weight form)")
            many[S] = a_S
    return p, many


def _common(p: list[Fraction]) -> tuple[int, list[int]]:
    """``(D, q)`` with ``p = q / D`` and integer ``q`` (``D`` the lcm of the denominators)."""
    D = math.lcm(*(v.denominator for v in p))
    return D, [int(v * D) for v in p]


def _prefix_tables(w: IntegerWeights, N: int) -> tuple[dict[tuple[int, int], list[list[int]]], dict[int, list[int]]]:
    """``B_ij[t][r] = sum_{x,y} W_ij[x, y] u_t(x) u_r(y)`` and ``b_i[t] = sum_x W_i[x] u_t(x)`` (times ``L``), ``u_t = +1 below t, -1 from t``.

    With the prefix sums ``P(t, r) = sum_{x<t, y<r} W[x, y]``:
    ``B(t, r) = 4 P(t, r) - 2 P(t, N) - 2 P(N, r) + P(N, N)`` and ``b(t) = 2 P(t) - P(N)``.
    """
    pairs: dict[tuple[int, int], list[list[int]]] = {}
    singles: dict[int, list[int]] = {}
    for S, flat in w.terms.items():
        if len(S) > 2:
            continue
        if len(S) == 1:
            pre = [0] * (N + 1)
            for x in range(N):
                pre[x + 1] = pre[x] + flat[x]
            singles[S[0]] = [2 * pre[t] - pre[N] for t in range(N + 1)]
            continue
        P = [[0] * (N + 1) for _ in range(N + 1)]
        for x in range(N):
            row, prev, acc = P[x + 1], P[x], 0
            for y in range(N):
                acc += flat[x * N + y]
                row[y + 1] = prev[y + 1] + acc
        tot = P[N][N]
        pairs[(S[0], S[1])] = [[4 * P[t][r] - 2 * P[t][N] - 2 * P[N][r] + tot for r in range(N + 1)] for t in range(N + 1)]
    return pairs, singles


def threshold_maximum(w: IntegerWeights, K: int, N: int, many: dict[tuple[int, ...], Fraction] | None = None,
                      p: list[Fraction] | None = None) -> tuple[int, list[tuple[int, int]]]:
    """``L *`` the maximum over threshold tuples and a maximiser ``[(t_i, sigma_i)]`` (lemma M2), exact Python integers.

    Player ``i`` answers ``sigma_i`` below its threshold ``t_i`` (in ``0..N``) and
    ``-sigma_i`` from it on.  Every choice of all players but the last is
    enumerated; the last player's best threshold and orientation come from
    ``max_r |f(r)|`` of its field ``f``.  A term of three or more players with
    constant weight ``W_S[x] = a_S prod p(x_i)`` (``many[S] = a_S``, lemma M2 (iv))
    is worth ``L a_S prod_{i in S} sigma_i e(t_i)`` at a threshold tuple, with
    ``e(t) = sum_x p(x) u_t(x) = 2 P(t) - P(N)`` (prefix sums of ``p``).

    >>> from proofs.exact.correlator_game import integer_weights
    >>> w = integer_weights(Fraction(0), {(0, 1): [Fraction(1), Fraction(-1), Fraction(-1), Fraction(1)]})
    >>> threshold_maximum(w, 2, 2)
    (4, [(1, 1), (1, 1)])
    >>> # four players, one four-body term of constant weight -1/16 on two equiprobable bins: -prod(e) is at most 1
    >>> w4 = integer_weights(Fraction(0), {(0, 1, 2, 3): [Fraction(-1, 16)] * 16})
    >>> threshold_maximum(w4, 4, 2, {(0, 1, 2, 3): Fraction(-1)}, [Fraction(1, 2)] * 2)[0], w4.den
    (16, 16)
    """
    pairs, singles = _prefix_tables(w, N)
    last = K - 1
    zero = [0] * (N + 1)
    # columns of the last player's field, as object arrays of Python ints
    col = {i: np.array(pairs[(i, last)], dtype=object) if (i, last) in pairs else None for i in range(last)}
    b_last = np.array(singles.get(last, zero), dtype=object)
    # many-body terms: L a_S prod(sigma e(t)) = n_S prod(sigma ebar(t)) / d_S with e = ebar / D, ebar integers
    many = many or {}
    ebar: list[int] = []
    frac: dict[tuple[int, ...], tuple[int, int]] = {}
    if many:
        if p is None:
            raise CertificateFormatError("terms of three or more players need the probabilities p")
        D, q = _common(p)
        pre = [0] + list(itertools.accumulate(q))
        ebar = [2 * pre[t] - pre[N] for t in range(N + 1)]
        for S, a_S in many.items():
            r_S = Fraction(w.den) * a_S / Fraction(D) ** len(S)
            frac[S] = (r_S.numerator, r_S.denominator)

    def exact_div(num: int, den: int) -> int:
        quo, rem = divmod(num, den)
        if rem:  # cannot happen once the constant-weight form is checked: the value is a signed sum of the integer weights
            raise CertificateError("a many-body term's value at a threshold tuple is not an integer multiple of 1/L")
        return quo

    choices = [(t, s) for t in range(N + 1) for s in (1, -1)]
    best: int | None = None
    arg: list[tuple[int, int]] = []
    for combo in itertools.product(choices, repeat=last):
        base = w.constant
        for i in range(last):
            ti, si = combo[i]
            if i in singles:
                base += si * singles[i][ti]
            for j in range(i + 1, last):
                if (i, j) in pairs:
                    base += si * combo[j][1] * pairs[(i, j)][ti][combo[j][0]]
        f = b_last.copy()
        for i in range(last):
            c = col[i]
            if c is not None:
                f = f + combo[i][1] * c[combo[i][0]]
        for S, (n_S, d_S) in frac.items():
            coef = n_S
            for i in S:
                if i != last:
                    coef *= combo[i][1] * ebar[combo[i][0]]
            if last in S:
                f = f + np.array([exact_div(coef * ebar[r], d_S) for r in range(N + 1)], dtype=object)
            else:
                base += exact_div(coef, d_S)
        absf = [abs(v) for v in f.tolist()]
        r = max(range(N + 1), key=absf.__getitem__)
        val = base + absf[r]
        if best is None or val > best:
            best = val
            arg = [*combo, (r, 1 if f[r] >= 0 else -1)]
    assert best is not None
    return best, arg


def check_multiparty_classical_threshold(cert: dict[str, Any], source: str) -> Bound:
    """Verify a ``"multiparty-classical-threshold"`` certificate: the N-bin classical value is ``<= bound`` (lemma M2).

    >>> from proofs.exact.certificate import new_certificate
    >>> from proofs.exact.correlator_game import describe, integer_weights, weights_fields
    >>> w = integer_weights(Fraction(0), {(0, 1): [Fraction(1, 4), Fraction(1, 4), Fraction(1, 4), Fraction(1, 4)]})
    >>> c = new_certificate("multiparty-classical-threshold", describe(w, 2, 2, "value"), 2, "upper", Fraction(1),
    ...                     **weights_fields(w), probabilities=["1/2", "1/2"], features=[0, 1],
    ...                     kernels=[{"players": [0, 1], "matrix": [[1, 0], [0, 0]]}])
    >>> check_multiparty_classical_threshold(c, "demo").details["proven"]
    Fraction(1, 1)
    """
    hd, game, w = read_weighted_certificate(cert, "multiparty-classical-threshold", "upper")
    K, N = game.K, game.N
    if N > MAX_FACTORED_BINS:
        raise CertificateFormatError(f"a 'multiparty-classical-threshold' certificate has N <= {MAX_FACTORED_BINS}; got {N}")
    if (2 * (N + 1)) ** (K - 1) > MAX_COMBINATIONS:
        raise CertificateFormatError(f"a 'multiparty-classical-threshold' certificate enumerates (2 (N + 1))^(K - 1) <= {MAX_COMBINATIONS} "
                                     f"threshold choices; got K = {K}, N = {N}")
    p, many = _factored(cert, game, w)
    num, arg = threshold_maximum(w, K, N, many, p)
    proven = Fraction(num, w.den)
    if hd.bound < proven:
        raise CertificateError(f"claimed upper bound {show_rational(hd.bound)} is below the classical value ({show_rational(proven)}) "
                               f"attained by the thresholds {arg}")
    return _issue("upper", hd.bound, _target(game), source,
                  "proofs.checkers.multiparty_classical:check_multiparty_classical_threshold (lemma M2, exact threshold enumeration)",
                  proven=proven, thresholds=arg)
