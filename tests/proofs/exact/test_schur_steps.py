"""Lemma Q5b: the Schur complement of a step matrix plus exceptions, checked against exact rationals."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proofs.exact.errors import QcoordParameterError
from proofs.exact.psd import dual_matrix, exact_psd, rump_shift
from proofs.exact.schur_steps import step_prepare, step_schur_enclosure, step_schur_psd, step_structure


def _exact_schur(b: np.ndarray, x: np.ndarray, y: np.ndarray) -> list[list[Fraction]]:
    """``diag(y) - B^T diag(x)^-1 B`` in exact rationals (the independent oracle)."""
    n, k = b.shape
    bq = [[Fraction(float(b[i, j])) for j in range(k)] for i in range(n)]
    xq = [Fraction(float(t)) for t in x]
    s = [[-sum((bq[i][j] * bq[i][m] / xq[i] for i in range(n)), Fraction(0)) for m in range(k)] for j in range(k)]
    for j in range(k):
        s[j][j] += Fraction(float(y[j]))
    return s


def _enclosure_holds(b: np.ndarray, x: np.ndarray, y: np.ndarray) -> bool:
    st_ = step_structure(b, max_exceptions=b.size)
    assert st_ is not None
    enc = step_schur_enclosure(b, x, y, st_)
    assert enc.a is not None, enc.reason
    s = _exact_schur(b, x, y)
    k = b.shape[1]
    fro2 = sum(((s[j][m] - Fraction(float(enc.a[j, m]))) ** 2 for j in range(k) for m in range(k)), Fraction(0))
    return bool(np.array_equal(enc.a, enc.a.T)) and fro2 <= enc.err**2


def _step_matrix(rng: np.random.Generator, n: int, k: int, beta: float, exceptions: int) -> np.ndarray:
    a = rng.choice([-1.0, 1.0], n)
    t = rng.integers(0, k + 1, n)
    b = np.where(np.arange(k)[None, :] < t[:, None], a[:, None], -a[:, None]) * beta
    for _ in range(exceptions):
        b[rng.integers(n), rng.integers(k)] = beta * rng.uniform(-1.0, 1.0)
    return b


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 9), st.integers(1, 9), st.sampled_from([0.25, 1 / 3, 1e-7, 3e5]), st.integers(0, 6))
def test_enclosure_bounds_the_exact_error(seed: int, n: int, k: int, beta: float, exceptions: int) -> None:
    # property: ||S_exact - A||_F <= err for step matrices with exceptions, S_exact in exact rationals
    rng = np.random.default_rng(seed)
    b = _step_matrix(rng, n, k, beta, exceptions)
    x = rng.uniform(0.1, 3.0, n) * beta * k
    y = np.sum(b * b / x[:, None], axis=0) * rng.uniform(1.0, 3.0, k)
    assert _enclosure_holds(b, x, y)


def test_enclosure_covers_diagonal_rounding() -> None:
    # y - G_jj = 1 - 2^-60 is not a float: fl() loses 2^-60, far more than gamma tr(Lambda) ~ 2^-48 * 2^-60
    assert _enclosure_holds(np.array([[2.0**-30]]), np.array([1.0]), np.array([1.0]))


def test_structure_of_the_paper_game_cell_matrix() -> None:
    # the exceptions of -Mc/2 are the crossed cells of the exact classification (an independent count)
    from proofs.exact.cells import cell_enclosure

    enc = cell_enclosure({"type": "hyperbolic", "C": "33/100"}, 200)
    mc, _ = enc.mid_radius()
    s = step_structure(-0.5 * mc)
    assert s is not None
    assert s.rows.size <= int(np.count_nonzero(enc.kind == 0))
    assert np.all(enc.kind[s.rows, s.cols] == 0)
    assert s.beta == pytest.approx(0.5 / 200**2, rel=1e-15) and s.m <= 8


def _traps(rng: np.random.Generator, shape: tuple[int, int], tries: int) -> int:
    """Duals whose float Schur complement has a positive last diagonal entry but whose exact one is negative.

    ``B = [[beta]]`` (no exceptions) or ``[[beta, L]]`` (one exception ``L``, with a tiny ``beta`` so that
    the coupling is negligible); ``y_last`` is one or two ulps above the float ``G_last`` formed as the
    lemma describes, and below the exact ``K_last``. Only the error term refuses them.
    """
    found = 0
    for _ in range(tries):
        x = float(rng.uniform(0.5, 2.0))
        w = 1.0 / x
        if shape == (1, 1):
            beta = float(rng.uniform(0.5, 1.0))
            b = np.array([[beta]])
            g = (beta * beta) * w
            y0: list[float] = []
            exact = Fraction(beta) ** 2 / Fraction(x)
        else:
            beta, big = 2.0**-240, float(rng.uniform(0.5, 1.0))
            b = np.array([[beta, big]])
            dh = big - beta
            v = w * dh
            g = ((beta * beta) * w + ((beta * v) + (beta * v))) + v * dh
            y0 = [2.0**-60]  # above Theorem V's shift (~8 u y_last), yet the coupling beta^2 w^2 / y0 stays negligible
            exact = Fraction(big) ** 2 / Fraction(x)
        for y in (np.nextafter(g, np.inf), np.nextafter(np.nextafter(g, np.inf), np.inf)):
            if Fraction(float(y)) < exact:
                found += 1
                yy = np.array([*y0, y])
                assert not exact_psd(dual_matrix(-2.0 * b, np.array([x]), yy)).ok
                assert not step_schur_psd(b, np.array([x]), yy).ok
    return found


def test_refuses_float_positive_exact_negative_without_exceptions() -> None:
    # 1 x 1: only gamma_{3m+21} tr(Lambda) (here k beta^2 T) refuses them
    assert _traps(np.random.default_rng(3), (1, 1), 400) > 10


def test_refuses_float_positive_exact_negative_with_an_exception() -> None:
    # 1 x 2 with one exception carrying almost all of tr(Lambda): only its part of tr(Lambda) refuses them
    assert _traps(np.random.default_rng(4), (1, 2), 2000) > 10


def test_shift_includes_theorem_v_and_error() -> None:
    rng = np.random.default_rng(8)
    b = _step_matrix(rng, 6, 5, 0.5, 3)
    x = rng.uniform(0.5, 1.0, 6)
    y = np.sum(b * b / x[:, None], axis=0) * 3.0
    s = step_structure(b)
    assert s is not None
    enc = step_schur_enclosure(b, x, y, s)
    res = step_schur_psd(b, x, y)
    assert res.ok and res.method == "verified-schur-steps" and enc.a is not None
    assert Fraction(res.shift) >= Fraction(rump_shift(enc.a)) + enc.err


@pytest.mark.parametrize("eta", [-1e-6, -1e-12, -1e-15, 0.0, 1e-15, 1e-12, 1e-9, 1e-6])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_verdict_never_contradicts_exact_ldl(seed: int, eta: float) -> None:
    # near the PSD boundary: "PSD" only when exact rational LDL^T of the 2N x 2N dual agrees
    rng = np.random.default_rng(seed)
    n = 7
    b = _step_matrix(rng, n, n, 0.5 / n**2, 4)
    x = rng.uniform(0.5, 1.5, n) / n
    t = float(np.linalg.eigvalsh(b.T @ (b / x[:, None]))[-1])
    y = np.full(n, t * (1 + eta))
    ok = step_schur_psd(b, x, y).ok
    exact = exact_psd(dual_matrix(-2.0 * b, x, y)).ok
    if ok:
        assert exact
    if eta >= 1e-9:
        assert ok
    if eta <= -1e-12:
        assert not exact and not ok


def test_falls_back_to_lemma_q5() -> None:
    rng = np.random.default_rng(0)
    b = rng.standard_normal((5, 5))  # no step structure
    x = np.full(5, 10.0)
    assert step_schur_psd(b, x, x).method == "verified-schur"
    tiny = np.array([[2.0**-260, 2.0**-260]])  # beta below 2^-250: lemma Q5 and its underflow term
    assert step_schur_psd(tiny, np.array([1.0]), np.array([1.0, 1.0])).method == "verified-schur"
    with pytest.raises(QcoordParameterError, match="n x k"):
        step_schur_psd(b, np.ones(3), np.ones(5))


def test_prepared_b_gives_the_same_verdicts() -> None:
    # step_prepare(B) passed in decides exactly as step_schur_psd finding it itself: structure, none, inf, out-of-range exception
    rng = np.random.default_rng(3)
    step = _step_matrix(rng, 9, 9, 0.5 / 81, 4)
    off = step.copy()
    off[2, 3] = 2.0**-300  # an exception below 2^-250: lemma Q5 instead
    bad = step.copy()
    bad[1, 1] = np.inf
    for b in (step, off, bad, rng.standard_normal((6, 6))):
        k = b.shape[1]
        for scale in (0.5, 1.0, 50.0):
            x = np.full(b.shape[0], scale)
            y = np.full(k, scale)
            a, c = step_schur_psd(b, x, y), step_schur_psd(b, x, y, step_prepare(b))
            assert (a.ok, a.method, a.shift, a.reason) == (c.ok, c.method, c.shift, c.reason)
    assert step_prepare(off).structure is None and step_prepare(bad).finite is False
    assert step_prepare(step).structure is not None


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.integers(1, 9), st.integers(1, 9), st.sampled_from([0.25, 1e-7]), st.integers(0, 8), st.sampled_from([1, 2, 3]))
def test_blocked_formation_matches_exact_rationals(seed: int, n: int, k: int, beta: float, exceptions: int, block: int) -> None:
    # rows, running sums and the symmetric fold in blocks of 1-3 rows (as at N = 2000 in blocks of 16 and 128):
    # the structure still matches its definition entry by entry, and the enclosure still holds against exact rationals
    import proofs.exact.schur_steps as mod

    rng = np.random.default_rng(seed)
    b = _step_matrix(rng, n, k, beta, exceptions)
    x = rng.uniform(0.1, 3.0, n) * beta * k
    y = np.sum(b * b / x[:, None], axis=0) * rng.uniform(1.0, 3.0, k)
    old = (mod._BLOCK_ENTRIES, mod._FOLD_BLOCK)
    try:
        mod._BLOCK_ENTRIES, mod._FOLD_BLOCK = block * k, block
        s = step_structure(b, max_exceptions=b.size)
        assert s is not None
        sigma = np.where(np.arange(k)[None, :] < s.t[:, None], s.a[:, None], -s.a[:, None])
        want = {(i, j) for i in range(n) for j in range(k) if b[i, j] != s.beta * sigma[i, j]}
        assert set(zip(s.rows.tolist(), s.cols.tolist())) == want
        assert all(s.t[i] == int(np.sum(b[i] * s.a[i] > 0)) for i in range(n))
        assert _enclosure_holds(b, x, y)
    finally:
        mod._BLOCK_ENTRIES, mod._FOLD_BLOCK = old
