"""Tests of bounds._xor_kernels: the numba kernel against its numpy twin, and the dual it returns."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from bounds import _xor_kernels


def test_numba_matches_numpy_twin() -> None:
    rng = np.random.default_rng(2)
    m = rng.standard_normal((5, 7))
    m /= np.abs(m).sum()
    v = rng.standard_normal((7, 4))
    v /= np.linalg.norm(v, axis=1)[:, None]
    u = np.zeros((5, 4))
    u[:, 0] = 1.0
    # 20 sweeps (before the ascent reaches its optimal face, along which rounding lets the vectors drift: the products'
    # summation orders differ, BLAS in the kernel); the iteration counts agree exactly
    a = _xor_kernels.direct(m, np.ascontiguousarray(m.T), u, v, 20, 0.0)
    b = _xor_kernels.direct_numpy(m, np.ascontiguousarray(m.T), u, v, 20, 0.0)
    for p, q in zip(a[:4], b[:4]):
        assert np.allclose(p, q, rtol=0, atol=1e-12)
    assert abs(a[4] - b[4]) < 1e-12 and a[5] == b[5]


def test_psd_shift_makes_the_dual_psd_and_is_zero_when_it_already_is() -> None:
    # CHSH: x = y = sqrt(2)/8 is the exact dual optimum (Z singular); the shift must make lambda_min(Z + s I) >= 0
    m = np.array([[1.0, 1.0], [1.0, -1.0]]) / 4
    x = np.full(2, 2**0.5 / 8)
    s = _xor_kernels.psd_shift(m, x, x.copy(), 1e-15, 64)
    assert s >= 0
    lam = np.linalg.eigvalsh(np.block([[np.diag(x + s), -m / 2], [-m.T / 2, np.diag(x + s)]]))[0]
    assert lam >= -1e-15
    assert _xor_kernels.psd_shift(m, x + 0.1, x + 0.1, 1e-15, 64) == 0.0
    # a dual far from PSD needs a shift of about -lambda_min (within the ladder's factor 2)
    lam0 = np.linalg.eigvalsh(np.block([[np.diag(x - 0.01), -m / 2], [-m.T / 2, np.diag(x - 0.01)]]))[0]
    s = _xor_kernels.psd_shift(m, x - 0.01, x - 0.01, 1e-15, 64)
    assert -lam0 - 1e-12 <= s <= -2.1 * lam0


def test_chsh_multipliers_and_dual() -> None:
    # CHSH: the multipliers sum to sqrt(2)/2 and the dual matrix is PSD up to rounding (lambda_min ~ 0)
    m = np.array([[1.0, 1.0], [1.0, -1.0]]) / 4
    rng = np.random.default_rng(0)
    v = rng.standard_normal((2, 3))
    v /= np.linalg.norm(v, axis=1)[:, None]
    _u, v, x, y, lam, _ = _xor_kernels.direct(m, np.ascontiguousarray(m.T), np.eye(2, 3), v, 10000, 1e-16)
    assert abs(x.sum() + y.sum() - 2**0.5 / 2) < 1e-12
    assert abs(lam) < 1e-10


def test_blas_sweeps_match_numpy_twin_above_the_loop_limit() -> None:
    # 9 x 16 at dimension 4 has 576 > LOOP_PRODUCTS products per half-sweep: the BLAS branch of ascend (the test above: the loops)
    rng = np.random.default_rng(3)
    m = rng.standard_normal((9, 16))
    m /= np.abs(m).sum()
    v = rng.standard_normal((16, 4))
    v /= np.linalg.norm(v, axis=1)[:, None]
    u = np.zeros((9, 4))
    u[:, 0] = 1.0
    assert 9 * 16 * 4 > _xor_kernels.LOOP_PRODUCTS >= 5 * 7 * 4
    a = _xor_kernels.direct(m, np.ascontiguousarray(m.T), u, v, 20, 0.0)
    b = _xor_kernels.direct_numpy(m, np.ascontiguousarray(m.T), u, v, 20, 0.0)
    for p, q in zip(a[:4], b[:4]):
        assert np.allclose(p, q, rtol=0, atol=1e-12)
    assert a[5] == b[5]


def test_ladder_finds_the_first_passing_doubling_as_a_linear_scan_does() -> None:
    # duals far from PSD by various amounts: the galloping search returns the first s0 2^t (t = 0..63) whose Cholesky passes
    m = np.array([[1.0, 1.0, 0.5], [1.0, -1.0, 0.25]]) / 4.75
    x0 = np.full(2, 0.2)
    y0 = np.full(3, 0.1)
    s0 = 2.0**-50
    for drop in (0.0, 1e-14, 1e-9, 1e-5, 0.01, 0.2):
        x, y = x0 - drop, y0 - drop
        ok = [_xor_kernels.schur_cholesky(m, x, y, s0 * 2.0**t) for t in range(64)]
        want = 0.0 if _xor_kernels.schur_cholesky(m, x, y, 0.0) else s0 * 2.0 ** ok.index(True)
        assert _xor_kernels._ladder(m, x, y, s0, s0) == want  # base = s0: no halving below s0
    # nothing passes: -1
    assert _xor_kernels._ladder(m, np.full(2, -1.0), np.full(3, -1.0), 2.0**-1074, 2.0**-1074) == -1.0
    # from a start that passes, galloping down: the last passing halving s0 2^-t not below base (a linear scan), or 0 if 0 passes
    from proofs.exact.psd import dual_matrix

    need = -np.linalg.eigvalsh(dual_matrix(m, x0, y0))[0]  # the uniform shift making the dual singular
    s0, base = 2.0**-10, 2.0**-60
    for excess in (0.01, 1e-5, 1e-9, 1e-14, -1e-9, -1e-5):
        x, y = x0 + need + excess, y0 + need + excess
        assert _xor_kernels.schur_cholesky(m, x, y, s0)
        ok = [_xor_kernels.schur_cholesky(m, x, y, s0 * 2.0**-t) for t in range(51)]
        last = s0 * 2.0 ** -(ok.index(False) - 1) if False in ok else base
        want = 0.0 if all(ok) and _xor_kernels.schur_cholesky(m, x, y, 0.0) else last
        assert _xor_kernels._ladder(m, x, y, s0, base) == want


def _relaxed_numpy(m: np.ndarray, u: np.ndarray, v: np.ndarray, sweeps: int, omega: float) -> tuple[np.ndarray, np.ndarray]:
    """The over-relaxed sweeps in plain numpy (the last one plain): ``u_i <- normalise(u_i + omega (a_i / |a_i| - u_i))``."""
    def step(a: np.ndarray, old: np.ndarray, w: float) -> np.ndarray:
        t = a / np.linalg.norm(a, axis=1)[:, None]
        z = old + w * (t - old)
        return z / np.linalg.norm(z, axis=1)[:, None]

    for it in range(1, sweeps + 1):
        w = omega if it < sweeps else 1.0
        u = step(m @ v, u, w)
        v = step(m.T @ u, v, w)
    return u, v


def test_over_relaxed_sweeps_match_numpy_and_end_with_a_plain_sweep() -> None:
    # both branches of ascend (loops: 5 x 7 x 4, BLAS: 9 x 16 x 4) against the numpy twin above, 15 sweeps at omega = 1.7; the
    # last sweep is the exact block maximisation, so y_j = 1/2 |(M^T U)_j| (complementary slackness)
    rng = np.random.default_rng(4)
    for rows, cols in ((5, 7), (9, 16)):
        m = rng.standard_normal((rows, cols))
        m /= np.abs(m).sum()
        v = rng.standard_normal((cols, 4))
        v /= np.linalg.norm(v, axis=1)[:, None]
        u = np.zeros((rows, 4))
        u[:, 0] = 1.0
        pu, pv, _x, y, it = _xor_kernels.ascend(m, np.ascontiguousarray(m.T), u, v, 15, -1.0, 1.7)
        qu, qv = _relaxed_numpy(m, u, v, 15, 1.7)
        assert it == 15 and np.allclose(pu, qu, rtol=0, atol=1e-12) and np.allclose(pv, qv, rtol=0, atol=1e-12)
        assert np.allclose(y, 0.5 * np.linalg.norm(m.T @ pu, axis=1), rtol=1e-14, atol=0)


def test_over_relaxed_ascent_reaches_the_gap_and_the_interior_point_value() -> None:
    # random games of the bench's kind, among them three that plain sweeps left short of the gap (width 5e-4, 8e-9 and 3e-8 with
    # the ascent's former stopping rule); the value agrees with an interior-point solve of Tsirelson's SDP (clarabel)
    from fractions import Fraction

    from bounds.tsirelson import tsirelson
    from bounds.xor import GAP, solve_quantum
    from games.xor import XorMatrixGame

    for n, seed in ((4, 5010), (5, 5008), (6, 5005), (8, 8), (10, 10)):
        rng = np.random.default_rng(seed)
        w = rng.integers(1, 10, (n, n))
        sign = rng.choice([1, -1], (n, n))
        tot = int(w.sum())
        g = XorMatrixGame(tuple(tuple(Fraction(int(a * s), tot) for a, s in zip(wr, sr)) for wr, sr in zip(w, sign)))
        s = solve_quantum(g)
        assert 0 <= s.upper_estimate - s.lower_estimate <= GAP
        ref = tsirelson(g.float_matrix, method="clarabel")
        assert abs(s.lower_estimate - ref.lower_estimate) < 1e-7


def _bench_game(n: int, seed: int):  # noqa: ANN202
    from fractions import Fraction

    from games.xor import XorMatrixGame

    rng = np.random.default_rng(seed)
    w = rng.integers(1, 10, (n, n))
    sign = rng.choice([1, -1], (n, n))
    tot = int(w.sum())
    return XorMatrixGame(tuple(tuple(Fraction(int(a * s), tot) for a, s in zip(wr, sr)) for wr, sr in zip(w, sign)))


def _assert_solve_ends_with(s: Any, g: Any, u: np.ndarray, v: np.ndarray, x: np.ndarray, y: np.ndarray) -> None:
    """``s`` (a fused solve) is the shifted dual ``x``, ``y`` plus :func:`bounds.xor.dual_margin` and the projection of ``u``, ``v``."""
    from bounds.xor import dual_margin

    m = g.float_matrix
    delta = dual_margin(g, x, y)
    pu, pv, r, val = _xor_kernels.project(m, u, v, 1e-7)
    assert s.rank == r
    np.testing.assert_allclose(s.x, x + delta, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(s.y, y + delta, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(s.u @ s.v.T, pu @ pv.T, rtol=0, atol=1e-12)
    # the two paths are compiled separately (the host's vector width decides the order of their sums), so each estimate is
    # compared with the fused solve's own duals (summation rounding only) and with the one-by-one path within the tolerances
    # above: 1/2 (rtol sum |x + delta| + n atol) per side for the upper estimate, 1/2 sum |M| atol for the lower one
    eps = np.finfo(float).eps
    own = 0.5 + 0.5 * (math.fsum(s.x) + math.fsum(s.y))
    assert abs(s.upper_estimate - own) <= (len(s.x) + len(s.y) + 4) * eps
    sides = float(np.abs(x + delta).sum() + np.abs(y + delta).sum())
    assert abs(s.upper_estimate - (0.5 + 0.5 * (np.sum(x + delta) + np.sum(y + delta)))) <= 0.5 * (1e-13 * sides
                                                                                                   + 1e-15 * (len(x) + len(y))) + 1e-14
    assert abs(s.lower_estimate - (0.5 + 0.5 * val)) <= 0.5 * float(np.abs(m).sum()) * 1e-12 + 1e-14


def test_fused_small_solve_matches_the_kernels_called_one_by_one() -> None:
    # solve_goal (one call) against ascend_to_goal (with its rank reduction), the uniform shift, dual_margin and project called
    # separately in Python
    from bounds.xor import GAP, OMEGA, REDUCE, _start, solve_quantum

    for n, seed in ((3, 1), (4, 4), (5, 5008), (6, 2), (8, 8), (10, 10)):
        g = _bench_game(n, seed)
        m = g.float_matrix
        s = solve_quantum(g)
        u, v = _start(n, n, min(max(2, min(2 * n, int(np.sqrt(4 * n)) + 2)), 8), 0)
        u, v, x, y, shift, _top, _ = _xor_kernels.ascend_to_goal(m, np.ascontiguousarray(m.T), u, v, 20000, 1e-16, GAP, 2.0**-50, OMEGA,
                                                                  REDUCE)
        assert shift >= 0.0
        _assert_solve_ends_with(s, g, u, v, x + shift, y + shift)


def test_fused_solve_hands_an_unfinished_ascent_back_to_the_caller() -> None:
    # goal -1: the kernel stops after the first ascent (done False, x and y unshifted) unless the shift is negligible or no
    # dimension is left to add; _ascent goes on from that state to a PSD dual (an upper estimate at least the full solve's value)
    from fractions import Fraction

    from bounds.xor import GAP, REDUCE, _ascent, _start_cached, solve_quantum
    from games.xor import XorMatrixGame
    from proofs.exact.psd import dual_matrix

    rng = np.random.default_rng(7)
    w = rng.integers(1, 10, (1, 30)) * rng.choice([1, -1], (1, 30))
    skinny = XorMatrixGame((tuple(Fraction(int(t), int(np.abs(w).sum())) for t in w[0]),))  # 1 x 30: rank 1, done at once
    cases = ((_bench_game(4, 5010), 6, True, 0.0), (_bench_game(6, 5005), 6, True, 0.0), (skinny, 8, False, 0.0),
             (_bench_game(6, 5005), 6, True, REDUCE), (_bench_game(8, 3), 7, True, REDUCE))  # (reduced: dimensions dropped)
    for g, k, last, reduce in cases:
        m = g.float_matrix
        u0, v0 = _start_cached(g.rows, g.cols, k, 0)
        u, v, x, y, r, val, dsum, shift, top, done = _xor_kernels.solve_goal(m, u0, v0, 20, 1e-16, -1.0, 2.0**-50, 1.0, False, 0.0, 1e-7,
                                                                             reduce)
        assert done or (u.shape[1] <= k and (reduce or u.shape[1] == k))
        assert done == (shift <= 2e-9 * top) and (done or (r == 0 and val == 0.0 and dsum == 0.0))
        assert not u0.flags.writeable and np.all(np.isfinite(u))  # the cached start is not written to
        if not done:
            u, v, x2, y2 = _ascent(m, 0, 1e-16, 20000, GAP, (u, v, x, y, shift, top))
            assert np.linalg.eigvalsh(dual_matrix(m, x2, y2))[0] >= -1e-12
            assert 0.5 + 0.5 * (np.sum(x2) + np.sum(y2)) >= solve_quantum(g).lower_estimate - 1e-12
            if not last:  # more dimensions and sweeps: the full solve's value
                assert abs(0.5 + 0.5 * (np.sum(x2) + np.sum(y2)) - solve_quantum(g).upper_estimate) < 1e-8


def test_two_by_two_closed_form_is_tsirelsons_value_with_a_psd_dual() -> None:
    # CHSH in closed form (c* = 0, value sqrt(2)/2 of sum M <u, v>); random 2 x 2 games against an interior-point solve (clarabel);
    # the dual is PSD and includes the margin; rank 1 where the classical value is the quantum one
    from fractions import Fraction

    from bounds.tsirelson import tsirelson
    from games.xor import XorMatrixGame
    from proofs.exact.psd import dual_matrix

    u, v, x, y, r, val, dsum = _xor_kernels.two_by_two(np.array([[0.25, 0.25], [0.25, -0.25]]), 0.0)
    assert r == 2 and abs(u[1, 0]) < 1e-12 and abs(val - 2**0.5 / 2) < 1e-12 and 0 < dsum - 2**-0.5 < 1e-9
    rng = np.random.default_rng(11)
    ranks = set()
    for t in range(40):
        w = rng.integers(-9, 10, (2, 2))
        if t % 5 == 0:
            w[1, 1] = 0
        g = XorMatrixGame(tuple(tuple(Fraction(int(a), int(np.abs(w).sum())) for a in row) for row in w))
        m = g.float_matrix
        u, v, x, y, r, val, dsum = _xor_kernels.two_by_two(m, 0.0)
        ranks.add(r)
        np.testing.assert_allclose(np.linalg.norm(u, axis=1), 1.0, atol=1e-15)
        np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-15)
        # two 4-term sums of products of 2-term dots, each within 8 eps sum |M| of the exact value
        assert abs(val - float(np.sum(m * (u @ v.T)))) <= 16 * np.finfo(float).eps * float(np.abs(m).sum()) and dsum == x[0] + x[1] + y[0] + y[1]
        assert np.linalg.eigvalsh(dual_matrix(m, x, y))[0] > 0.0
        ref = tsirelson(m, method="clarabel").lower_estimate
        assert abs((0.5 + 0.5 * val) - ref) < 1e-7 and 0 <= dsum - val < 1e-9
    assert ranks == {1, 2}


def test_fused_mid_sized_solve_matches_the_kernels_called_one_by_one() -> None:
    # solve_ladder (one call) against _ascend_relaxed, dual_shift, the shift, dual_margin and project called separately in Python
    from bounds.xor import _ascend_relaxed, _start, solve_quantum

    for n, seed in ((49, 1), (50, 12)):  # above GOAL_LIMIT
        g = _bench_game(n, seed)
        m = g.float_matrix
        s = solve_quantum(g)
        u, v = _start(n, n, 8, 0)
        u, v, x, y = _ascend_relaxed(_xor_kernels, m, np.ascontiguousarray(m.T), u, v, 20000, 1e-16)
        shift, _, top = _xor_kernels.dual_shift(m, x, y, 2.0**-50, 64)
        assert 0.0 <= shift <= 2e-9 * top or shift * 2 * n <= 2e-10 or 8 >= min(2 * n, int(np.sqrt(4 * n)) + 2)  # one ascent ends it
        _assert_solve_ends_with(s, g, u, v, x + shift, y + shift)


def test_ulp_part_is_the_margins_part_from_the_exact_maximum() -> None:
    # 4 max(rows, cols) ulp(max |M|) from the nearest floats equals the one from the exact max |N| / L (bounds.xor._abs_max)
    import math
    from fractions import Fraction

    from bounds.xor import _abs_max
    from games.xor import XorMatrixGame

    rng = np.random.default_rng(12)
    for rows, cols in ((1, 1), (2, 2), (3, 7), (9, 4), (16, 16)):
        w = rng.integers(-9, 10, (rows, cols))
        w[0, 0] = 7
        g = XorMatrixGame(tuple(tuple(Fraction(int(a), 3 * int(np.abs(w).sum())) for a in row) for row in w))
        assert _xor_kernels.ulp_part_of(g.float_matrix) == 4.0 * max(rows, cols) * math.ulp(_abs_max(g))
    assert _xor_kernels.ulp_part_of(np.zeros((2, 3))) == 12.0 * 2.0**-1074


def test_span_is_the_svd_rank_and_span() -> None:
    # the pivoted Cholesky of the Gram matrix: the rank of the singular values above tol (well separated here) and an orthonormal
    # basis whose projection keeps every vector (to the noise level)
    rng = np.random.default_rng(13)
    for k, r, noise in ((2, 2, 0.0), (5, 2, 1e-12), (7, 3, 1e-10), (8, 4, 0.0), (8, 8, 0.0), (6, 1, 1e-13)):
        w = rng.standard_normal((20, r)) @ rng.standard_normal((r, k)) + noise * rng.standard_normal((20, k))
        w /= np.linalg.norm(w, axis=1)[:, None]
        got, q = _xor_kernels._span_t(np.ascontiguousarray(w[:9].T), np.ascontiguousarray(w[9:].T), 1e-7)
        sv = np.linalg.svd(w, compute_uv=False)
        assert got == r == int(np.sum(sv > 1e-7 * sv[0]))
        np.testing.assert_allclose(q.T @ q, np.eye(r), atol=1e-14)
        assert np.abs(w - w @ q @ q.T).max() < 1e-9 + 100 * noise


def test_transposed_sweeps_match_the_row_sweeps() -> None:
    # _sweeps_t (in place on transposed vectors, norms in separate loops) against ascend's row sweeps (plain and over-relaxed, the
    # last sweep plain), and the multipliers
    rng = np.random.default_rng(14)
    for rows, cols, k in ((3, 5, 2), (8, 8, 7), (9, 16, 4)):
        m = rng.standard_normal((rows, cols))
        m /= np.abs(m).sum()
        mt = np.ascontiguousarray(m.T)
        v = rng.standard_normal((cols, k))
        v /= np.linalg.norm(v, axis=1)[:, None]
        u = np.zeros((rows, k))
        u[:, 0] = 1.0
        for omega in (1.0, 1.7):
            pu, pv, x, y, _ = _xor_kernels.ascend(m, mt, u, v, 12, -1.0, omega)
            ut, vt = _xor_kernels._transposed(u), _xor_kernels._transposed(v)
            a, b = np.empty((k, rows)), np.empty((k, cols))
            _xor_kernels._sweeps_t(m, mt, ut, vt, a, b, 12, omega)
            np.testing.assert_allclose(ut.T, pu, rtol=0, atol=1e-12)
            np.testing.assert_allclose(vt.T, pv, rtol=0, atol=1e-12)
            x2, y2 = _xor_kernels._multipliers_t(m, ut, vt, b)
            # x_i = 1/2 |(M V)_i| moves by at most 1/2 (row sum of |M| <= 1) times the vectors' 1e-12
            np.testing.assert_allclose(x2, x, rtol=0, atol=1e-12)
            np.testing.assert_allclose(y2, y, rtol=0, atol=1e-12)
