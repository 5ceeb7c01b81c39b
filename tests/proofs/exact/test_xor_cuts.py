"""Tests of proofs.exact.xor_cuts (lemma X6): the exact integer matrix against a Fraction construction, the PD test against
exact elimination, the 2^53 refusal, the overflow guard, the floor and the validation of cuts."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest

from proofs.exact.errors import QcoordParameterError
from proofs.exact.integer_psd import integer_psd
from proofs.exact.xor_cuts import (
    INT64_SAFE,
    MAX_EXACT,
    cut_dual_matrix,
    cut_leaf_bound,
    cut_leaf_check,
    cut_leaf_value,
    read_cuts,
)


def _naive(kp: list[list[int]], ks: list[int], cuts: list[list[int]], e: int) -> list[list[int]]:
    """``2^(e+1) (D - Q - sum mu T)`` entry by entry in Fractions, straight from the spec (independent of the module)."""
    mr, cols = len(kp), len(kp[0])
    n = mr + cols
    a = [[Fraction(0)] * n for _ in range(n)]
    for x in range(n):
        a[x][x] = Fraction(ks[x], 2**e)
    for x in range(mr):
        for y in range(cols):
            a[x][mr + y] -= Fraction(kp[x][y], 2)
            a[mr + y][x] -= Fraction(kp[x][y], 2)
    for i, j, k, s1, s2, s3, q in cuts:
        mu = Fraction(q, 2**e)
        for (u, v), s in (((i, j), s1), ((i, k), s2), ((j, k), s3)):
            a[u][v] -= mu * Fraction(s, 2)
            a[v][u] -= mu * Fraction(s, 2)
    out = [[t * 2 ** (e + 1) for t in row] for row in a]
    assert all(t.denominator == 1 for row in out for t in row)
    return [[int(t) for t in row] for row in out]


def _random_cuts(rng: np.random.Generator, n: int, count: int, qmax: int) -> list[list[int]]:
    out = []
    for _ in range(count):
        i, j, k = sorted(int(t) for t in rng.choice(n, 3, replace=False))
        s1, s2 = (int(t) for t in rng.choice([1, -1], 2))
        out.append([i, j, k, s1, s2, s1 * s2, int(rng.integers(0, qmax))])
    return out


def _instance(rng: np.random.Generator) -> tuple[list[list[int]], list[int], list[list[int]], int]:
    mr, cols = int(rng.integers(1, 4)), int(rng.integers(2, 4))
    n = mr + cols
    e = int(rng.integers(0, 8))
    kp = rng.integers(-9, 10, (mr, cols)).tolist()
    cuts = _random_cuts(rng, n, int(rng.integers(0, 2 * n)), 5 * 2**e) if n >= 3 else []
    ks = rng.integers(0, 40 * 2**e, n).tolist()
    return kp, ks, cuts, e


# ---------------------------------------------------------------- the matrix
def test_matrix_equals_the_fraction_construction() -> None:
    rng = np.random.default_rng(1)
    for _ in range(60):
        kp, ks, cuts, e = _instance(rng)
        g = cut_dual_matrix(np.array(kp), ks, cuts, e)
        assert g.dtype == np.int64
        assert g.tolist() == _naive(kp, ks, cuts, e)


def test_duplicate_triangles_add_their_multipliers() -> None:
    kp = [[1, 2], [3, -1]]
    one = cut_dual_matrix(np.array(kp), [9] * 4, [[0, 1, 3, -1, 1, -1, 10]], 2)
    two = cut_dual_matrix(np.array(kp), [9] * 4, [[0, 1, 3, -1, 1, -1, 4], [0, 1, 3, -1, 1, -1, 6]], 2)
    assert one.tolist() == two.tolist() == _naive(kp, [9] * 4, [[0, 1, 3, -1, 1, -1, 10]], 2)


def test_overflow_guard_switches_to_python_integers() -> None:
    # 2^62 x 4 = 2^64 wraps to 0 in int64; the a-priori bound 2^e max|K'| + sum q must send this to exact Python integers
    kp = [[4, -4], [4, 4]]
    for e, cuts in ((62, []), (61, [[0, 1, 2, 1, 1, 1, 2**52]] * 3), (200, [[1, 2, 3, -1, 1, -1, 7]])):
        g = cut_dual_matrix(np.array(kp), [1, 2, 3, 4], cuts, e)
        assert g.dtype == object
        assert g.tolist() == _naive(kp, [1, 2, 3, 4], cuts, e)
        assert not cut_leaf_check(np.array(kp), [1, 2, 3, 4], cuts, e).ok
    # the cut multipliers alone: 9 x 2^52 + ... crosses 2^62 only through their sum
    cuts = [[0, 1, 2, 1, 1, 1, 2**52 - 1]] * 1100
    g = cut_dual_matrix(np.zeros((2, 2), dtype=np.int64), [0, 0, 0, 0], cuts, 0)
    assert g.dtype == object and g[0, 1] == -1100 * (2**52 - 1)
    # just below the bound: int64, and still exact
    e = 60
    g = cut_dual_matrix(np.array([[3]]), [0, 0], [], e)
    assert 3 * 2**e < INT64_SAFE and g.dtype == np.int64 and g.tolist() == _naive([[3]], [0, 0], [], e)


def test_zero_leaf_matrix_with_a_huge_exponent() -> None:
    g = cut_dual_matrix(np.zeros((1, 2), dtype=np.int64), [1, 1, 1], [[0, 1, 2, 1, 1, 1, 0]], 1000)
    assert g.dtype == np.int64 and g.tolist() == [[2, 0, 0], [0, 2, 0], [0, 0, 2]]


# ---------------------------------------------------------------- the PD test and the bound
def test_proved_pd_agrees_with_exact_elimination() -> None:
    # soundness: every matrix proved PD is PSD by exact Bareiss elimination; and clear PD cases are proved
    rng = np.random.default_rng(2)
    proved = refused = 0
    for _ in range(80):
        kp, ks, cuts, e = _instance(rng)
        res = cut_leaf_check(np.array(kp), ks, cuts, e)
        exact = integer_psd(_naive(kp, ks, cuts, e))
        if res.ok:
            proved += 1
            assert exact.ok
            assert res.bound == math.floor(Fraction(sum(ks) + sum(c[6] for c in cuts), 2**e))
        else:
            refused += 1
            assert res.bound is None
    assert proved > 10 and refused > 10


def test_bound_holds_for_every_sign_vector() -> None:
    # lemma X6 itself: whenever the check passes, a'^T K' b <= bound for every z in {+-1}^n' (brute force)
    rng = np.random.default_rng(3)
    seen = 0
    for _ in range(60):
        kp, ks, cuts, e = _instance(rng)
        w = cut_leaf_bound(np.array(kp), ks, cuts, e)
        if w is None:
            continue
        seen += 1
        k = np.array(kp)
        best = max(int(np.array(a) @ k @ np.array(b)) for a in itertools.product((1, -1), repeat=k.shape[0])
                   for b in itertools.product((1, -1), repeat=k.shape[1]))
        assert best <= w
    assert seen > 10


def test_triangle_cuts_beat_the_diagonal_on_chsh() -> None:
    kp = np.array([[3, 3], [3, -3]])  # 3 x CHSH: w = 6; any diagonal dual has sum >= 6 sqrt 2 > 8
    cuts = [[0, 1, 2, 1, -1, -1, 48], [0, 1, 3, -1, -1, 1, 48]]  # a0 b0 + a1 b0 - a0 a1 <= 1 and a0 b1 - a1 b1 + a0 a1 <= 1, mu = 3
    assert cut_leaf_bound(kp, [1, 1, 1, 1], cuts, 4) == 6
    assert cut_leaf_bound(kp, [0, 0, 0, 0], cuts, 4) is None  # A = 0 exactly: PSD but not provably PD (no margin)


def test_entries_of_2_to_the_53_are_refused() -> None:
    kp = np.zeros((1, 1), dtype=np.int64)
    ok = cut_leaf_check(kp, [2**52 - 1, 2**52 - 1], [], 0)  # diagonal 2^53 - 2 (the verified Cholesky's shift is about 8 here)
    assert ok.ok and ok.bound == 2**53 - 2
    bad = cut_leaf_check(kp, [2**52, 2**52 - 1], [], 0)  # diagonal 2 k = 2^53: an exact float, but at the limit: refused
    assert not bad.ok and "2^53" in bad.reason and bad.psd is None
    # an off-diagonal entry 2^53 + 1 would round to 2^53 as a float: refused before any float is formed
    bad = cut_leaf_check(np.array([[1]]), [2**52 - 1, 2**52 - 1], [], 53)
    assert not bad.ok and "2^53" in bad.reason


def test_leaf_value_is_the_floor() -> None:
    assert cut_leaf_value([1, 1, 1, 1], [48, 48], 4) == 6  # 100 / 16
    assert cut_leaf_value([16], [0], 4) == 1  # exactly 1
    assert cut_leaf_value([15], [], 4) == 0
    assert cut_leaf_value([-1], [], 4) == -1  # floor, not truncation
    assert cut_leaf_value(np.array([3]), np.array([5]), 0) == 8


# ---------------------------------------------------------------- validation
@pytest.mark.parametrize(("cut", "match"), [
    ([0, 1, 2, 1, 1, -1, 1], "product"), ([0, 1, 2, -1, -1, -1, 1], "product"), ([0, 1, 2, 2, 1, 2, 1], r"\+1 or -1"),
    ([0, 1, 4, 1, 1, 1, 1], "0 <= i < j < k < 4"), ([1, 0, 2, 1, 1, 1, 1], "i < j < k"), ([0, 1, 1, 1, 1, 1, 1], "i < j < k"),
    ([-1, 1, 2, 1, 1, 1, 1], "i < j < k"), ([0, 1, 2, 1, 1, 1, -1], "0 <= q"), ([0, 1, 2, 1, 1, 1, 2**53], "q < 2\\^53"),
    ([0, 1, 2, 1, 1, 1, 2**70], "q < 2\\^53"), ([0, 2**64, 2, 1, 1, 1, 1], "indices below"), ([0, 1, 2, 1, 1, 1, 1.0], "7 integers"), ([0, 1, 2, 1, 1, True, 1], "7 integers"), ([0, 1, 2, 1, 1, 1], "7 integers"),
])
def test_bad_cuts_are_refused(cut: list, match: str) -> None:
    with pytest.raises(QcoordParameterError, match=match):
        read_cuts([cut], 4)
    with pytest.raises(QcoordParameterError, match=match):
        cut_leaf_check(np.array([[1, 1], [1, 1]]), [9, 9, 9, 9], [[0, 1, 2, 1, 1, 1, 0], cut], 0)


def test_bad_arrays_and_parameters_are_refused() -> None:
    good = [[0, 1, 2, 1, 1, 1, 3]]
    arr = np.array(good, dtype=np.int64)
    assert read_cuts(arr, 3).tolist() == good
    with pytest.raises(QcoordParameterError, match="product"):
        read_cuts(np.array([[0, 1, 2, 1, 1, -1, 3]], dtype=np.int64), 3)
    with pytest.raises(QcoordParameterError, match="int64 array"):
        read_cuts(arr.astype(np.float64), 3)
    with pytest.raises(QcoordParameterError, match="list"):
        read_cuts("cuts", 3)
    kp = np.array([[1, 1]])
    with pytest.raises(QcoordParameterError, match="exponent"):
        cut_dual_matrix(kp, [1, 1, 1], good, -1)
    with pytest.raises(QcoordParameterError, match="exponent"):
        cut_dual_matrix(kp, [1, 1, 1], good, 1001)
    with pytest.raises(QcoordParameterError, match="k_diag"):
        cut_dual_matrix(kp, [1, 1], good, 0)
    with pytest.raises(QcoordParameterError, match="k_diag"):
        cut_dual_matrix(kp, [1, 1, MAX_EXACT], good, 0)
    with pytest.raises(QcoordParameterError, match="kp"):
        cut_dual_matrix(np.array([[1.5, 1]]), [1, 1, 1], good, 0)
    with pytest.raises(QcoordParameterError, match="kp"):
        cut_dual_matrix(np.array([[MAX_EXACT, 1]]), [1, 1, 1], good, 0)
