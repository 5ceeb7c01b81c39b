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
