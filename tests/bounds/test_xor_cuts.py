"""Tests of the triangle-cut node bound: kernels against their numpy twins, the children's cut mapping, proved duals against brute force."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest

from bounds._cut_kernels import cut_matrix, cut_values, cut_values_numpy, mix, mix_numpy, separate, separate_numpy
from bounds.xor_cuts import CutParams, CutState, certify_cuts, cut_bound, fold_state, residual_q
from proofs.exact.psd import exact_psd


def _unit(rng: np.random.Generator, n: int, k: int) -> np.ndarray:
    v = rng.standard_normal((n, k))
    return v / np.linalg.norm(v, axis=1)[:, None]


def _sym(rng: np.random.Generator, n: int) -> np.ndarray:
    m = rng.standard_normal((n, n))
    m = m + m.T
    np.fill_diagonal(m, 0.0)
    return m


def _brute(kp: np.ndarray) -> int:
    """``max_{a, b} a^T K' b`` over all sign vectors (plain enumeration, independent of the bound)."""
    signs = np.array(list(itertools.product((1, -1), repeat=kp.shape[0])), dtype=np.int64)
    return int(np.abs(signs @ kp).sum(axis=1).max())


def _empty(v: np.ndarray) -> CutState:
    return CutState(v, np.zeros((0, 3), dtype=np.int64), np.zeros((0, 3), dtype=np.int64), np.zeros(0))


def test_mix_agrees_with_its_numpy_twin_and_never_decreases() -> None:
    rng = np.random.default_rng(1)
    m, v0 = _sym(rng, 9), _unit(rng, 9, 4)
    v1, val1, it1 = mix(m, v0, 25, 0.0)
    v2, val2, it2 = mix_numpy(m, v0, 25, 0.0)
    assert it1 == it2 == 25
    np.testing.assert_allclose(v1, v2, atol=1e-10)
    assert val1 == pytest.approx(val2, rel=1e-12)
    assert val1 == pytest.approx(float(np.einsum("ik,ik->", v1, m @ v1)), rel=1e-10)  # the tracked value is <M, V V^T>
    assert val1 >= float(np.einsum("ik,ik->", v0, m @ v0))
    assert np.allclose(np.linalg.norm(v1, axis=1), 1.0)


def test_cut_values_and_matrix_agree_with_the_definition() -> None:
    rng = np.random.default_rng(2)
    v = _unit(rng, 7, 3)
    idx = np.array([[0, 1, 2], [1, 4, 6], [0, 3, 5]], dtype=np.int64)
    sg = np.array([[1, 1, 1], [-1, 1, -1], [1, -1, -1]], dtype=np.int64)
    x = v @ v.T
    want = [s[0] * x[i, j] + s[1] * x[i, k] + s[2] * x[j, k] for (i, j, k), s in zip(idx, sg)]
    np.testing.assert_allclose(cut_values(v, idx, sg), want, atol=1e-12)
    np.testing.assert_allclose(cut_values_numpy(v, idx, sg), want, atol=1e-12)
    mu = np.array([0.5, 2.0, 0.0])
    m = cut_matrix(np.zeros((7, 7)), idx, sg, mu)
    assert float(np.einsum("ij,ij->", m, x)) == pytest.approx(float(np.dot(mu, want)))  # <sum mu T, X> = sum mu (s . X)


def test_separation_finds_the_most_violated_triangles_as_its_twin() -> None:
    rng = np.random.default_rng(3)
    v = _unit(rng, 12, 2)  # low rank: many violated triangles
    x = v @ v.T
    i1, s1, b1 = separate(x, 10, 1e-3)
    i2, s2, b2 = separate_numpy(x, 10, 1e-3)
    assert len(b1) == 10
    np.testing.assert_allclose(b1, b2, atol=1e-12)
    assert {(*t, *p) for t, p in zip(i1.tolist(), s1.tolist())} == {(*t, *p) for t, p in zip(i2.tolist(), s2.tolist())}
    for (i, j, k), s, b in zip(i1, s1, b1):  # the reported value is the triangle's, and it is violated
        assert s[0] * s[1] * s[2] == 1 and i < j < k
        assert s[0] * x[i, j] + s[1] * x[i, k] + s[2] * x[j, k] == pytest.approx(b) and b < -1.0
    # a small cap with many violated triangles: the cap's compaction keeps the most violated
    _i3, _s3, b3 = separate(x, 3, 1e-3)
    np.testing.assert_allclose(b3, b2[:3], atol=1e-12)


@pytest.mark.parametrize("s", [1, -1])
def test_folded_cuts_are_the_parents_triangles_on_the_childs_sign_vectors(s: int) -> None:
    """Every kept triangle takes at each child vector z' the value the parent's takes at z = (z'_0, s z'_0, z'_1, ...)."""
    n = 6
    idx = np.array(list(itertools.combinations(range(n), 3)), dtype=np.int64)
    pats = np.array([[1, 1, 1], [1, -1, -1], [-1, 1, -1], [-1, -1, 1]], dtype=np.int64)
    idx = np.repeat(idx, 4, axis=0)
    sg = np.tile(pats, (len(idx) // 4, 1))
    mu = np.arange(1.0, len(idx) + 1.0)
    rng = np.random.default_rng(4)
    parent = CutState(_unit(rng, n, 3), idx, sg, mu)
    child = fold_state(parent, s)
    keep = ~(np.any(idx == 0, axis=1) & np.any(idx == 1, axis=1))
    assert len(child.mu) == int(keep.sum()) and np.array_equal(child.mu, mu[keep])  # multipliers follow their triangles
    for zc in itertools.product((1, -1), repeat=n - 1):
        z = np.array([zc[0], s * zc[0], *zc[1:]])
        zp = np.array(zc)
        parent_vals = [a[0] * z[i] * z[j] + a[1] * z[i] * z[k] + a[2] * z[j] * z[k] for (i, j, k), a in zip(idx[keep], sg[keep])]
        child_vals = [a[0] * zp[i] * zp[j] + a[1] * zp[i] * zp[k] + a[2] * zp[j] * zp[k] for (i, j, k), a in zip(child.idx, child.sg)]
        assert parent_vals == child_vals
    assert np.all(child.idx[:, 0] < child.idx[:, 1]) and np.all(child.idx[:, 1] < child.idx[:, 2]) and child.idx.max() < n - 1
    assert np.all(np.prod(child.sg, axis=1) == 1)
    assert np.allclose(np.linalg.norm(child.v, axis=1), 1.0) and child.v.shape == (n - 1, 3)


def _exact_dual_ok(kp: np.ndarray, kd: tuple[int, ...], cuts: tuple[tuple[int, ...], ...], e: int) -> bool:
    """``A = diag(k / 2^e) - Q - sum (q / 2^e) T`` PSD by exact rational elimination (independent of the verified Cholesky)."""
    n = kp.shape[0] + kp.shape[1]
    r = kp.shape[0]
    a = [[Fraction(0)] * n for _ in range(n)]
    for i in range(r):
        for j in range(kp.shape[1]):
            a[i][r + j] = a[r + j][i] = Fraction(-int(kp[i, j]), 2)
    for i, j, k, s1, s2, s3, q in cuts:
        for (x, y), sgn in (((i, j), s1), ((i, k), s2), ((j, k), s3)):
            a[x][y] -= Fraction(sgn * q, 2 ** (e + 1))
            a[y][x] -= Fraction(sgn * q, 2 ** (e + 1))
    for i in range(n):
        a[i][i] = Fraction(kd[i], 2**e)
    return exact_psd(a).ok


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_proved_cut_dual_is_psd_exactly_and_bounds_the_brute_force_value(seed: int) -> None:
    rng = np.random.default_rng(seed)
    kp = rng.integers(-5, 6, (5, 5)).astype(np.int64)
    w = _brute(kp)
    dual, _st, _est, _steps = cut_bound(kp, _empty(_unit(rng, 10, 4)), w)
    assert dual is not None and dual.bound == w  # the cut bound is tight on these small residuals
    assert _exact_dual_ok(kp, dual.kd, dual.cuts, dual.exponent)
    assert Fraction(sum(dual.kd) + sum(c[6] for c in dual.cuts), 2**dual.exponent) >= w


def test_the_cuts_prune_where_the_plain_sdp_cannot() -> None:
    kp = np.array([[1, 1, 1], [1, -1, 1], [1, 1, -1]], dtype=np.int64)  # w = 5
    rng = np.random.default_rng(5)
    v = _unit(rng, 6, 4)
    q = residual_q(kp.astype(np.float64))
    v, val, _ = mix(q, v, 2000, 1e-15)
    assert val > 5.1  # the plain SDP value: no diagonal dual proves w <= 5
    none, _ = certify_cuts(kp, q, np.zeros((0, 3), dtype=np.int64), np.zeros((0, 3), dtype=np.int64), np.zeros(0), v, 5)
    assert none is None
    dual, _st, _est, _steps = cut_bound(kp, _empty(v), 5)
    assert dual is not None and dual.bound == 5 and dual.cuts


def test_no_dual_is_returned_below_the_true_value() -> None:
    kp = np.array([[3, -1, 2], [1, 2, -2], [-1, 1, 1]], dtype=np.int64)
    w = _brute(kp)
    rng = np.random.default_rng(6)
    dual, _st, _est, steps = cut_bound(kp, _empty(_unit(rng, 6, 4)), w - 1, CutParams(max_iter=60))
    assert dual is None and 1 <= steps <= 60  # a smaller claim cannot be proved
