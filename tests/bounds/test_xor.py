"""Tests of bounds.xor: rectangular Tsirelson solves and the certificate writers."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from bounds.xor import VECTOR_BITS, dyadic_value, solve_quantum, xor_vectors_certificate
from games.xor import XorMatrixGame


def test_rectangular_solve_drops_the_padding() -> None:
    # a 1 x 3 game: Alice has one input, so the quantum value is the classical value 1 (bias sum |M| = 1)
    g = XorMatrixGame.from_bias([["1/2", "-1/4", "1/4"]])
    s = solve_quantum(g)
    assert s.u.shape[0] == 1 and s.v.shape[0] == 3 and s.x.shape == (1,) and s.y.shape == (3,)
    assert abs(s.lower_estimate - 1) < 1e-12 and s.upper_estimate >= 1 - 1e-15


def test_chsh_vectors_are_projected_to_a_plane() -> None:
    s = solve_quantum(XorMatrixGame.from_bias([["1/4", "1/4"], ["1/4", "-1/4"]]))
    assert s.rank == 2 and s.u.shape[1] == 2
    assert abs(s.lower_estimate - math.cos(math.pi / 8) ** 2) < 1e-12


def test_written_vectors_have_norm_at_most_one_and_the_claimed_value() -> None:
    rng = np.random.default_rng(2)
    g = XorMatrixGame.from_bias([["1/12"] * 4, ["-1/12"] * 4, ["1/12", "-1/12", "1/12", "-1/12"]])
    u = rng.standard_normal((3, 5))
    v = rng.standard_normal((4, 5))
    u /= np.linalg.norm(u, axis=1)[:, None]
    v /= np.linalg.norm(v, axis=1)[:, None]
    c = xor_vectors_certificate(g, u, v)
    den = 2**VECTOR_BITS
    for row in c["u"] + c["v"]:
        ks = [int(t.split("/")[0]) for t in row]
        assert all(t.endswith(f"/{den}") for t in row) and sum(k * k for k in ks) <= den * den
    value = Fraction(c["bound"])
    assert value == dyadic_value(g, c["u"], c["v"])
    float_value = 0.5 + 0.5 * float(np.sum(g.matrix * (u @ v.T)))
    assert abs(float(value) - float_value) < 1e-10


def test_two_by_two_closed_form_matches_an_independent_solver() -> None:
    from bounds.tsirelson import tsirelson

    rng = np.random.default_rng(8)
    for t in range(12):
        w = rng.integers(1, 10, (2, 2)) * rng.choice([1, -1], (2, 2))
        g = XorMatrixGame.from_bias([[Fraction(int(a), int(np.abs(w).sum())) for a in row] for row in w])
        s = solve_quantum(g)
        ref = tsirelson(g.float_matrix, method="clarabel" if t < 3 else "fast")  # interior point for a few, the ascent for the rest
        assert abs(s.lower_estimate - ref.lower_estimate) < 1e-7 if t < 3 else abs(s.lower_estimate - ref.lower_estimate) < 1e-12
        assert s.lower_estimate <= s.upper_estimate < s.lower_estimate + 1e-12
        classical = float(g.classical_exhaustive()[0])  # rank 1 exactly when a deterministic strategy is optimal
        assert (s.rank == 1) == (ref.lower_estimate < classical + 1e-9)
    chsh = solve_quantum(XorMatrixGame.from_bias([["1/4", "-1/4"], ["1/4", "1/4"]]))  # a rotated CHSH: c* = 0
    assert abs(chsh.lower_estimate - math.cos(math.pi / 8) ** 2) < 1e-15 and chsh.rank == 2


def test_small_games_stop_at_the_gap() -> None:
    # the ascent of small games stops once the dual shift costs at most `gap`: the estimates stay that close
    rng = np.random.default_rng(9)
    for n in (3, 4, 5, 6, 8, 10):
        w = rng.integers(1, 10, (n, n)) * rng.choice([1, -1], (n, n))
        g = XorMatrixGame.from_bias([[Fraction(int(a), int(np.abs(w).sum())) for a in row] for row in w])
        for gap in (1e-6, 2e-10):
            s = solve_quantum(g, gap=gap)
            assert 0 <= s.upper_estimate - s.lower_estimate <= gap


def test_vector_ints_truncate_the_shrunk_entries() -> None:
    # the integer part of fl(fl(t (1 - 2^-40)) 2^60), checked with Fractions entry by entry, as tuples of Python ints (at most
    # TUPLE_ENTRIES entries) or an int64 array (from float64 arrays, lists, big-endian floats alike), every norm at most 1 exactly
    from bounds.xor import TUPLE_ENTRIES, vector_ints

    rng = np.random.default_rng(11)
    for shape in ((2, 1), (4, 4), (5, 4), (16, 3), (33, 7)):
        w = rng.standard_normal(shape)
        w /= np.linalg.norm(w, axis=1)[:, None]
        ks = vector_ints(w)
        assert vector_ints(w.tolist()) == ks if w.size <= TUPLE_ENTRIES else np.array_equal(vector_ints(w.astype(">f8")), ks)
        if w.size <= TUPLE_ENTRIES:  # tuples of Python ints
            assert type(ks) is tuple and all(type(row) is tuple and len(row) == shape[1] and {*map(type, row)} == {int} for row in ks)
        else:
            assert isinstance(ks, np.ndarray) and ks.dtype == np.int64 and ks.shape == shape
            ks = ks.tolist()
        den = 2**VECTOR_BITS
        for row, krow in zip(w.tolist(), ks):
            assert sum(k * k for k in krow) <= den * den
            for t, k in zip(row, krow):
                q = Fraction(t * (1.0 - 2.0**-40) * 2.0**VECTOR_BITS)
                assert k == math.trunc(q) and abs(Fraction(k, den) - Fraction(t)) < Fraction(1, 2**38)


def test_abs_max_is_the_largest_nearest_float() -> None:
    from bounds.xor import _abs_max

    for bias in ([["1/3", "-2/3"]], [["-1/7", "1/7"], ["2/7", "-3/7"]], [["1/2", "-1/4"], ["-1/8", "1/8"]]):
        g = XorMatrixGame.from_bias(bias)
        assert _abs_max(g) == float(np.abs(g.float_matrix).max())


def test_relaxed_ascent_ends_with_a_plain_sweep_and_a_small_gap() -> None:
    # above GOAL_LIMIT the ascent over-relaxes after PLAIN_SWEEPS; its last sweep is plain, so y_j = 1/2 |(M^T U)_j| exactly
    from bounds import _xor_kernels
    from bounds.xor import PLAIN_SWEEPS, _ascend_relaxed, _start

    rng = np.random.default_rng(3)
    for n in (16, 24):
        m = rng.integers(1, 10, (n, n)) * rng.choice([1, -1], (n, n)) / 1.0
        m /= np.abs(m).sum()
        u0, v0 = _start(n, n, 8, 0)
        u, v, x, y = _ascend_relaxed(_xor_kernels, m, np.ascontiguousarray(m.T), u0, v0, 20000, 1e-16)
        assert np.allclose(y, 0.5 * np.linalg.norm(m.T @ u, axis=1), rtol=1e-12, atol=0)
        assert np.allclose(np.linalg.norm(v, axis=1), 1.0) and np.allclose(np.linalg.norm(u, axis=1), 1.0)
        value, dual = float(np.sum(m * (u @ v.T))), float(x.sum() + y.sum())
        assert 0 <= dual - value < 1e-6
        # the same game to the same precision without over-relaxation: the value agrees
        u2, v2, _, _, it = _xor_kernels.ascend(m, np.ascontiguousarray(m.T), *_start(n, n, 8, 0), 20000, 1e-16)
        assert it > PLAIN_SWEEPS and abs(float(np.sum(m * (u2 @ v2.T))) - value) < 1e-8


def test_questions_never_asked_do_not_raise_the_rank() -> None:
    # CHSH padded with a zero row and three zero columns: its optimum is a qubit strategy (rank 2); the solver's free
    # vectors on the unasked questions gave rank 4 and no qubit angles (audit against toqito); the value is unchanged
    w = [["1/4", "1/4", "0", "0", "0"], ["1/4", "-1/4", "0", "0", "0"], ["0"] * 5]
    s = solve_quantum(XorMatrixGame.from_bias(w))
    assert s.rank == 2 and abs(s.lower_estimate - math.cos(math.pi / 8) ** 2) < 1e-12
    assert np.allclose(np.linalg.norm(s.u, axis=1), 1) and np.allclose(np.linalg.norm(s.v, axis=1), 1)
    rng = np.random.default_rng(3)
    for r, c, zr, zc in ((2, 7, 0, 3), (4, 3, 1, 0), (5, 6, 2, 2)):
        p = rng.random((r, c))
        p[r - zr:, :] = 0
        p[:, c - zc:] = 0
        s = solve_quantum(XorMatrixGame.from_toqito(p / p.sum(), rng.integers(0, 2, (r, c))))
        assert s.rank <= min(r - zr, c - zc)
    z = solve_quantum(XorMatrixGame.from_bias([["0", "0"], ["0", "0"]]))  # nothing asked: one vector for all
    assert z.rank == 1 and abs(z.lower_estimate - 0.5) < 1e-15
