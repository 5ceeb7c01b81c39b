"""Sum-threshold cells against independent computations: closed-form games, mpmath quadrature, known totals."""

import math
from fractions import Fraction

import mpmath as mp
import numpy as np
import pytest

from proofs.exact.cells import cell_enclosure
from proofs.exact.errors import CertificateFormatError, QcoordParameterError
from proofs.exact.sum_threshold import exact_sum_threshold, sum_threshold_cells


def _desc(law, t, param=None):
    d = {"kind": "sum-threshold", "law": law, "t": t}
    if param is not None:
        d["param"] = param
    return d


@pytest.mark.parametrize("t, n", [("2", 8), ("3/2", 16), ("13/10", 10)])
def test_uniform_law_is_the_linear_game(t, n):
    # uniform on (0, 2): F(x) = x/2, so X1 + X2 <= t is a + b <= t/2 (rational cells, proofs.arithmetic._linear)
    mine = sum_threshold_cells(_desc("uniform", t), n)
    lin = cell_enclosure({"type": "linear", "s": str(Fraction(t) / 2)}, n)
    assert np.array_equal(mine.kind, lin.kind)
    for (i, j), (q, _, _) in lin.crossed_exact.items():
        assert mine.lo[i, j] <= float(q) <= mine.hi[i, j]


@pytest.mark.parametrize("t", [0.5, 1.0, 2.5])
def test_exponential_law_matches_the_paper_game(t):
    # the exponential law's game is the paper's hyperbolic game with C = exp(-t) (closed-form cells)
    from games import discretise, paper_game

    n = 32
    mine = sum_threshold_cells(_desc("exponential", str(Fraction(t))), n)
    ref = discretise(paper_game(mu=1.0, t=t), n)
    assert np.all(mine.lo <= ref.matrix + 1e-15) and np.all(ref.matrix <= mine.hi + 1e-15)
    assert mine.width < 1e-15


def test_gamma_total_is_the_erlang_sum():
    # sum of all cells = 2 P(X1 + X2 <= t) - 1, and X1 + X2 ~ Gamma(2k, rate k) for Erlang(k, rate k)
    k, t, n = 2, Fraction(3, 2), 24
    c = sum_threshold_cells(_desc("gamma", str(t), "2"), n)
    mp.mp.dps = 30
    want = 2 * mp.gammainc(2 * k, 0, k * mp.mpf(3) / 2, regularized=True) - 1
    lo, hi = math.fsum(c.lo.ravel()), math.fsum(c.hi.ravel())
    assert lo - 1e-14 <= float(want) <= hi + 1e-14
    assert hi - lo < 1e-11  # tight, so the containment is a real test


def _mp_law(name, p):
    if name == "weibull":
        lam = mp.gamma(1 + 1 / p)
        return (lambda x: 1 - mp.exp(-((x * lam) ** p))), (lambda x: p * lam * (x * lam) ** (p - 1) * mp.exp(-((x * lam) ** p)))
    s = p
    mu = -s * s / 2
    return (lambda x: mp.ncdf((mp.log(x) - mu) / s)), (lambda x: mp.npdf((mp.log(x) - mu) / s) / (x * s))


def _mp_quantile(F, u):
    return mp.findroot(lambda x: F(x) - u, (mp.mpf("1e-6"), mp.mpf(60)), solver="anderson")


@pytest.mark.parametrize("name, p, param", [("weibull", mp.mpf(1) / 2, "1/2"), ("lognormal", mp.mpf(3) / 2, "3/2")])
def test_row_sums_match_mpmath_including_singular_cells(name, p, param):
    # row i sums to 2 P(X1 in [x_i, x_{i+1}], X1 + X2 <= t) - 1/N; tanh-sinh quadrature handles the end
    # singularities (density at 0, CDF at t - x = 0) that the checker treats by geometric splitting
    n, t = 16, mp.mpf(1)
    mp.mp.dps = 30
    F, f = _mp_law(name, p)
    c = sum_threshold_cells(_desc(name, "1", param), n)
    q = [mp.mpf(0)] + [_mp_quantile(F, mp.mpf(k) / n) for k in range(1, n)]
    for i in (0, 1, 5):
        hi_x = min(q[i + 1], t)
        if q[i] >= t:
            continue
        val = 2 * mp.quad(lambda x: F(t - x) * f(x), [q[i], hi_x]) - mp.mpf(1) / n
        lo, hi = math.fsum(c.lo[i]), math.fsum(c.hi[i])
        assert lo - 1e-14 <= float(val) <= hi + 1e-14, (i, lo, float(val), hi)
        assert hi - lo < 1e-13


def test_cells_are_monotone_staircase():
    # the bunch region is a down-set: kinds never increase along rows or columns
    c = sum_threshold_cells(_desc("hyperexponential", "1", "4"), 64)
    assert np.all(np.diff(c.kind.astype(int), axis=0) <= 0) and np.all(np.diff(c.kind.astype(int), axis=1) <= 0)
    assert np.all(c.lo <= c.hi) and np.all(np.abs(c.lo) <= 1 / 64**2 + 1e-18)


@pytest.mark.parametrize(
    "desc, n, err",
    [
        (_desc("uniform", "0"), 4, QcoordParameterError),  # t must be positive
        (_desc("uniform", 1.5), 4, CertificateFormatError),  # float t is not exact
        ({"kind": "hyperbolic", "C": "1/3"}, 4, CertificateFormatError),  # wrong game
        (_desc("uniform", "1"), 0, QcoordParameterError),  # N must be >= 1
    ],
)
def test_bad_input(desc, n, err):
    with pytest.raises(err):
        sum_threshold_cells(desc, n)


def test_exact_description_round_trip():
    law, t = exact_sum_threshold({"boundary": _desc("lomax", "7/4", "3")})
    assert (law.name, law.param, t) == ("lomax", Fraction(3), Fraction(7, 4))


# ---------------------------------------------------------------- margins pinned by tests/mutants/run_mutants.py
def _mp_gamma2():
    F = lambda x: 1 - mp.exp(-2 * x) * (1 + 2 * x) if x > 0 else mp.mpf(0)  # noqa: E731  Erlang(2, rate 2)
    f = lambda x: 4 * x * mp.exp(-2 * x) if x > 0 else mp.mpf(0)  # noqa: E731
    q = lambda u: mp.findroot(lambda x: F(x) - u, mp.mpf(1)) if 0 < u < 1 else (mp.mpf(0) if u == 0 else mp.inf)  # noqa: E731
    return F, f, q


def _mp_weibull_half():
    # Weibull k = 1/2 of mean 1: scale l = 1/Gamma(3) = 1/2, F = 1 - exp(-sqrt(2x)), quantile (1/2) ln(1 - u)^2
    F = lambda x: 1 - mp.exp(-mp.sqrt(2 * x)) if x > 0 else mp.mpf(0)  # noqa: E731
    f = lambda x: mp.exp(-mp.sqrt(2 * x)) / mp.sqrt(2 * x) if x > 0 else mp.mpf(0)  # noqa: E731
    q = lambda u: mp.log(1 - u) ** 2 / 2 if u < 1 else mp.inf  # noqa: E731
    return F, f, q


def _mp_cell(F, f, q, t, n, i, j):
    """``M_ij = 2 P(X1 in [x_i, x_i+1], X2 in [x_j, x_j+1], X1 + X2 <= t) - 1/N^2`` as one integral over X1 (mpmath)."""
    xi, xi1, xj, xj1 = q(mp.mpf(i) / n), q(mp.mpf(i + 1) / n), q(mp.mpf(j) / n), q(mp.mpf(j + 1) / n)
    hi = min(xi1, t)
    if hi <= xi:
        return -mp.mpf(1) / n**2
    inner = lambda x: max(F(min(xj1, t - x)) - F(xj), 0) * f(x)  # noqa: E731
    pts = sorted({xi, hi} | {p for p in (t - xj1, t - xj) if xi < p < hi})
    return 2 * mp.quad(inner, pts) - mp.mpf(1) / n**2


def _mpf(x) -> mp.mpf:
    return mp.mpf(Fraction(float(x)).numerator) / Fraction(float(x)).denominator


@pytest.mark.parametrize("name, param, t, n", [("gamma", "2", "3/2", 10), ("weibull", "1/2", "1", 12)])
def test_every_cell_encloses_the_mpmath_value(name, param, t, n):
    # each crossed cell's arb ball and float bounds contain the 40-digit value with no slack (the enclosures are at most ~1e-13 wide,
    # the quadrature's error ~1e-35); full cells hold +-1/N^2 exactly (N = 10, 12: 1/N^2 is not a float)
    mp.mp.dps = 40
    F, f, q = _mp_gamma2() if name == "gamma" else _mp_weibull_half()
    c = sum_threshold_cells(_desc(name, t, param), n)
    tm = mp.mpf(Fraction(t).numerator) / Fraction(t).denominator
    full = Fraction(1, n * n)
    for i in range(n):
        for j in range(n):
            lo, hi = Fraction(float(c.lo[i, j])), Fraction(float(c.hi[i, j]))
            if c.kind[i, j] != 0:
                assert lo <= c.kind[i, j] * full <= hi, (i, j)
                continue
            want = _mp_cell(F, f, q, tm, n, i, j)
            ball = c.balls[(i, j)]
            assert mp.mpf(ball.lower().str(50, radius=False)) <= want <= mp.mpf(ball.upper().str(50, radius=False)), (i, j, ball, want)
            assert _mpf(c.lo[i, j]) <= want <= _mpf(c.hi[i, j]), (i, j)
            assert hi - lo < Fraction(1, 10**12)
    assert int((c.kind == 0).sum()) >= n
    mp.mp.dps = 15
