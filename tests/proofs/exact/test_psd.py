"""Tests of proofs.exact.psd: exact LDL^T and verified Cholesky (Theorem V)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from proofs.exact.errors import QcoordParameterError as ProofsParameterError
from proofs.exact.psd import exact_psd, rump_shift, verified_psd


@pytest.mark.parametrize(
    "matrix, expected",
    [
        ([[2, 1], [1, 2]], True),  # positive definite
        ([[1, 1], [1, 1]], True),  # singular PSD (exact test accepts semidefinite)
        ([[1, 2], [2, 1]], False),  # indefinite
        ([[0, 1], [1, 0]], False),  # zero pivot with non-zero row
        ([[0, 0], [0, 0]], True),  # zero matrix
        ([[Fraction(1, 3), Fraction(1, 3)], [Fraction(1, 3), Fraction(1, 3) - Fraction(1, 10**30)]], False),  # tiny negative eigenvalue
    ],
)
def test_exact_known_cases(matrix: list, expected: bool) -> None:
    assert exact_psd(matrix).ok is expected


def test_exact_rejects_asymmetric() -> None:
    assert not exact_psd([[1, 0], [1e-300, 1]]).ok


def test_verified_known_cases() -> None:
    # PD passes; singular (no margin) and indefinite fail
    assert verified_psd(np.array([[2.0, 1.0], [1.0, 2.0]])).ok
    assert not verified_psd(np.array([[1.0, 1.0], [1.0, 1.0]])).ok
    assert not verified_psd(np.array([[1.0, 2.0], [2.0, 1.0]])).ok
    assert not verified_psd(np.array([[1.0, 0.0], [1e-300, 1.0]])).ok  # not symmetric
    assert not verified_psd(np.array([[np.inf]])).ok


def _spectral(seed: int, n: int, lam_min: float) -> np.ndarray:
    rng = np.random.default_rng(seed)
    q, _ = np.linalg.qr(rng.standard_normal((n, n)))
    lam = np.concatenate([[lam_min], rng.uniform(0.5, 2.0, n - 1)])
    a = (q * lam) @ q.T
    return (a + a.T) / 2


@given(st.integers(0, 10_000), st.integers(2, 30))
def test_verified_accepts_well_conditioned(seed: int, n: int) -> None:
    # property: lambda_min = 1e-3 is far above the shift, so the test must succeed
    assert verified_psd(_spectral(seed, n, 1e-3)).ok


@given(st.integers(0, 10_000), st.integers(2, 30))
def test_verified_never_accepts_indefinite(seed: int, n: int) -> None:
    # property: a clearly negative eigenvalue is never "proved" PSD, and the exact test agrees
    a = _spectral(seed, n, -1e-6)
    assert not verified_psd(a).ok
    if n <= 8:
        assert not exact_psd(a).ok


@given(st.integers(0, 10_000), st.integers(2, 8))
def test_exact_and_verified_agree_on_margin(seed: int, n: int) -> None:
    # where the verified test proves PD, the exact test agrees
    a = _spectral(seed, n, 1e-2)
    assert verified_psd(a).ok and exact_psd(a).ok


def test_shift_is_tiny_and_grows_with_trace() -> None:
    c1 = rump_shift(np.eye(10))
    c2 = rump_shift(2 * np.eye(10))
    assert 0 < c1 < c2 < 1e-13


def test_bad_input() -> None:
    with pytest.raises(ProofsParameterError, match="square"):
        verified_psd(np.ones((2, 3)))
    with pytest.raises(ProofsParameterError, match="square"):
        exact_psd([[1, 2, 3]])
    with pytest.raises(ProofsParameterError, match="diagonal"):
        rump_shift(-np.eye(2))


@pytest.mark.parametrize("n", [20])
def test_verified_cholesky_agrees_with_exact_ldl_on_dual_matrices(n: int) -> None:
    # cross-check of Theorem V (and of the BLAS it runs on) against exact rational elimination, 2N x 2N
    from bounds.tsirelson import tsirelson
    from games import discretise, paper_game
    from proofs.exact.psd import dual_matrix

    d = discretise(paper_game(0.33), n)
    r = tsirelson(d)
    z = dual_matrix(d.matrix, r.x, r.y)
    assert verified_psd(z).ok and exact_psd(z).ok
    for cut in (1e-6, 1e-12):  # a dual shifted below feasibility is refused by both
        zc = dual_matrix(d.matrix, r.x - cut, r.y - cut)
        assert not exact_psd(zc).ok and not verified_psd(zc).ok


def test_verified_implies_exact_on_near_singular_matrices() -> None:
    rng = np.random.default_rng(11)
    for _ in range(3):
        b = rng.standard_normal((30, 29))
        base = b @ b.T  # singular in exact arithmetic up to the rounding of the product
        for delta in (1e-8, 1e-12, 0.0):
            a = base + delta * np.eye(30)
            a = np.triu(a) + np.triu(a, 1).T  # exactly symmetric
            if verified_psd(a).ok:
                assert exact_psd(a).ok


# ---- exact float sums (vectorised integer arithmetic) -------------------------------------------------------------

_floats = st.floats(allow_nan=False, allow_infinity=False, width=64)


@given(st.lists(st.one_of(_floats, st.sampled_from([5e-324, -5e-324, 2.0**-1022, 1e300, -1e300])), min_size=0, max_size=40))
def test_exact_float_sum_matches_fraction_sum(values: list) -> None:
    from proofs.exact.psd import exact_float_sum

    assert exact_float_sum(np.array(values)) == sum((Fraction(v) for v in values), Fraction(0))


def test_exact_float_sum_many_terms() -> None:
    from proofs.exact.psd import exact_float_sum

    rng = np.random.default_rng(5)
    v = rng.standard_normal(20000) * 2.0 ** rng.integers(-60, 60, 20000)
    assert exact_float_sum(v) == sum((Fraction(float(t)) for t in v), Fraction(0))


@pytest.mark.parametrize("size", [1, 2, 63, 64, 65, 200])
def test_exact_float_sum_both_paths_are_exact(size: int) -> None:
    # short arrays are summed float by float, long ones by the vectorised split: both exact
    from proofs.exact.psd import exact_float_sum

    rng = np.random.default_rng(size)
    v = rng.standard_normal(size) * 2.0 ** rng.integers(-1070, 1000, size)
    v[0] = 5e-324
    assert exact_float_sum(v) == sum((Fraction(float(t)) for t in v), Fraction(0))


# ---- lemma Q5: Schur complement with a rigorous floating-point enclosure ------------------------------------------


def _exact_schur(b: np.ndarray, x: np.ndarray, y: np.ndarray) -> list[list[Fraction]]:
    """``diag(y) - B^T diag(x)^-1 B`` in exact rationals (rows with x_i = 0 skipped), the independent oracle."""
    n, k = b.shape
    bq = [[Fraction(float(b[i, j])) for j in range(k)] for i in range(n)]
    xq = [Fraction(float(t)) for t in x]
    s = [[Fraction(0)] * k for _ in range(k)]
    for j in range(k):
        for m in range(k):
            s[j][m] = -sum((bq[i][j] * bq[i][m] / xq[i] for i in range(n) if xq[i] > 0), Fraction(0))
        s[j][j] += Fraction(float(y[j]))
    return s


def _enclosure_holds(b: np.ndarray, x: np.ndarray, y: np.ndarray) -> bool:
    from proofs.exact.psd import schur_enclosure

    enc = schur_enclosure(b, x, y)
    assert enc.a is not None, enc.reason
    s = _exact_schur(b, x, y)
    k = b.shape[1]
    fro2 = sum(((s[j][m] - Fraction(float(enc.a[j, m]))) ** 2 for j in range(k) for m in range(k)), Fraction(0))
    return bool(np.array_equal(enc.a, enc.a.T)) and fro2 <= enc.err**2


@given(st.integers(0, 10_000), st.integers(1, 5), st.integers(1, 5), st.integers(-40, 40))
def test_schur_enclosure_bounds_the_exact_error(seed: int, n: int, k: int, scale: int) -> None:
    # property: ||S_exact - A||_F <= err, with S_exact computed in exact rationals (independent oracle)
    rng = np.random.default_rng(seed)
    b = rng.standard_normal((n, k)) * 2.0**scale
    x = rng.uniform(0.1, 2.0, n)
    y = np.sum(b * b / x[:, None], axis=0) * rng.uniform(1.0, 3.0, k)  # Schur diagonal non-negative
    assert _enclosure_holds(b, x, y)


def test_schur_enclosure_covers_diagonal_rounding() -> None:
    # y_j - G_jj is not a float: fl(1 - 2^-60) = 1 loses 2^-60, far more than gamma tr(K) ~ 2^-50 * 2^-60
    assert _enclosure_holds(np.array([[2.0**-30]]), np.array([1.0]), np.array([1.0]))


def test_schur_enclosure_covers_underflow() -> None:
    # B^T B = 2^-1080 underflows to 0 in floating point; y = 2^-1070 keeps the diagonal-rounding term
    # (2 u tr A ~ 2^-1121) far below the lost 2^-1080: only the underflow term covers it
    assert _enclosure_holds(np.array([[2.0**-540, 2.0**-540]]), np.array([1.0]), np.array([2.0**-1070, 2.0**-1070]))


def test_schur_refuses_float_positive_exact_negative() -> None:
    # 1 x 1 cases where the float Schur complement is positive but the exact one is negative
    # (y strictly between fl(b^2/x) and b^2/x): only the error bound of lemma Q5 refuses them
    from proofs.exact.psd import verified_schur_psd

    rng = np.random.default_rng(3)
    traps = 0
    for _ in range(400):
        b, x = float(rng.uniform(0.5, 1.0)), float(rng.uniform(0.5, 2.0))
        g = float(np.sqrt(1.0 / x) * b) ** 2
        exact = Fraction(b) ** 2 / Fraction(x)
        for y in (np.nextafter(g, np.inf), np.nextafter(np.nextafter(g, np.inf), np.inf)):
            if Fraction(float(y)) < exact:
                traps += 1
                assert not verified_schur_psd(np.array([[b]]), np.array([x]), np.array([y])).ok
    assert traps > 10


def test_schur_shift_includes_theorem_v_and_error() -> None:
    # the shift is Theorem V's c for the float enclosure plus the enclosure error (both rounded up)
    from proofs.exact.psd import schur_enclosure, verified_schur_psd

    rng = np.random.default_rng(8)
    b = rng.standard_normal((6, 5))
    x = rng.uniform(0.5, 1.0, 6)
    y = np.sum(b * b / x[:, None], axis=0) * 3.0
    enc = schur_enclosure(b, x, y)
    res = verified_schur_psd(b, x, y)
    assert res.ok and enc.a is not None
    assert Fraction(res.shift) >= Fraction(rump_shift(enc.a)) + enc.err


def test_schur_zero_rows_and_bad_input() -> None:
    from proofs.exact.psd import verified_schur_psd

    # x_i = 0 with a zero row: that row and column of Z vanish; with a non-zero row Z is not PSD
    b = np.array([[0.0, 0.0], [1.0, 0.5]])
    assert verified_schur_psd(b, np.array([0.0, 1.0]), np.array([1.5, 1.0])).ok
    assert not verified_schur_psd(b[::-1].copy(), np.array([0.0, 1.0]), np.array([1.5, 1.0])).ok
    assert not verified_schur_psd(b, np.array([-1e-300, 1.0]), np.array([1.5, 1.0])).ok
    assert not verified_schur_psd(b, np.array([1e-310, 1.0]), np.array([1.5, 1.0])).ok  # 1/x would overflow
    assert not verified_schur_psd(b, np.array([1.0, np.inf]), np.array([1.5, 1.0])).ok
    with pytest.raises(ProofsParameterError, match="n x k"):
        verified_schur_psd(b, np.ones(3), np.ones(2))


def test_schur_all_x_zero() -> None:
    # every x_i = 0 and B = 0: Z = diag(0, y) is PSD for any y >= 0, even singular; a non-zero B or a negative y is not
    from proofs.exact.psd import verified_schur_psd

    zero = np.zeros((2, 3))
    assert verified_schur_psd(zero, np.zeros(2), np.array([0.0, 1.0, 0.0])).ok
    assert not verified_schur_psd(np.array([[0.0, 1e-300, 0.0], [0.0, 0.0, 0.0]]), np.zeros(2), np.ones(3)).ok
    assert not verified_schur_psd(zero, np.zeros(2), np.array([0.0, -1e-300, 0.0])).ok


def _boundary_dual(seed: int, n: int, eta: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``B``, ``x``, ``y = t (1 + eta)`` with ``t = lambda_max(B^T diag(x)^-1 B)``: PSD iff ``eta >= 0`` (up to rounding)."""
    rng = np.random.default_rng(seed)
    b = -0.5 * rng.standard_normal((n, n)) / n**2
    x = rng.uniform(0.5, 1.5, n) / n
    t = float(np.linalg.eigvalsh(b.T @ (b / x[:, None]))[-1])
    return b, x, np.full(n, t * (1 + eta))


@pytest.mark.parametrize("eta", [-1e-6, -1e-12, -1e-15, 0.0, 1e-15, 1e-12, 1e-9, 1e-6])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_schur_verdict_never_contradicts_exact_ldl(seed: int, eta: float) -> None:
    # property: near the PSD boundary the Schur test never says PSD when exact rational LDL^T of the
    # full 2N x 2N dual says not PSD; the full verified Cholesky is a second, independent oracle
    from proofs.exact.psd import verified_schur_psd

    n = 6
    b, x, y = _boundary_dual(seed, n, eta)
    z = np.zeros((2 * n, 2 * n))
    z[:n, n:], z[n:, :n] = b, b.T
    z[np.arange(n), np.arange(n)] = x
    z[n + np.arange(n), n + np.arange(n)] = y
    schur = verified_schur_psd(b, x, y).ok
    exact = exact_psd(z).ok
    full = verified_psd(z).ok
    if schur or full:
        assert exact
    if eta >= 1e-9:  # a clear margin: both floating-point tests prove it
        assert schur and full
    if eta <= -1e-12:
        assert not exact and not schur


def test_shifted_diagonal_is_rounded_down_below_a_minus_c(monkeypatch: pytest.MonkeyPatch) -> None:
    # Theorem V needs At_ii <= a_ii - c exactly; fl(a_ii - c) rounded to nearest lies above it for about half the entries
    import proofs.exact.psd as psd

    seen: list[np.ndarray] = []
    real = np.linalg.cholesky

    def spy(at: np.ndarray) -> np.ndarray:
        seen.append(np.diag(at).copy())
        return real(at)

    monkeypatch.setattr(psd.np.linalg, "cholesky", spy)
    for seed in range(4):  # the rounding direction of fl(a_ii - c) depends on c's low bits: several shifts c
        seen.clear()
        a = np.diag(np.random.default_rng(seed).uniform(1.0, 8.0, 16))
        res = psd.verified_psd(a)
        assert res.ok and len(seen) == 1
        c = Fraction(res.shift)
        assert all(Fraction(float(t)) <= Fraction(float(d)) - c for t, d in zip(seen[0], np.diag(a)))
