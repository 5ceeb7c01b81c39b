"""The float classification of law-game cells (full / crossed / outside) keeps its outward ulps.

A cell is labelled full by floats only when an upper bound of ``x_{i+1} + x_{j+1}``
(the quantiles' upper floats, their sum rounded up) is ``<= t``.  The cases below
are thresholds ``t`` equal to the round-to-nearest float sum of the quantiles'
floats, where that sum lies on the wrong side of the exact quantile sum
(checked here with 50-digit mpmath): only the rounding towards the safe side
keeps the crossed cell crossed.  ``N`` is a power of 2, so ``+-1/N^2`` is a
float and the cell's enclosure has no rounding slack to hide a wrong label.
"""

from __future__ import annotations

from fractions import Fraction

import mpmath as mp
import pytest

from proofs.exact.sum_threshold import sum_threshold_cells


def _mp_exponential():
    F = lambda x: 1 - mp.exp(-x) if x > 0 else mp.mpf(0)  # noqa: E731
    f = lambda x: mp.exp(-x) if x > 0 else mp.mpf(0)  # noqa: E731
    q = lambda u: -mp.log(1 - u) if u < 1 else mp.inf  # noqa: E731
    return F, f, q


def _mp_cell(t, n, i, j):
    """``M_ij = 2 P(X1 in cell i, X2 in cell j, X1 + X2 <= t) - 1/N^2`` for the unit exponential law (mpmath)."""
    F, f, q = _mp_exponential()
    xi, xi1, xj, xj1 = q(mp.mpf(i) / n), q(mp.mpf(i + 1) / n), q(mp.mpf(j) / n), q(mp.mpf(j + 1) / n)
    hi = min(xi1, t - xj)
    inner = lambda x: (F(min(xj1, t - x)) - F(xj)) * f(x)  # noqa: E731
    pts = sorted({xi, hi} | {p for p in (t - xj1,) if xi < p < hi})
    return 2 * mp.quad(inner, pts) - mp.mpf(1) / n**2


# (N, cell i, cell j, t): t is the nearest float to the float sum of the quantile floats at the cell's far corner (full case)
# or near corner (outside case), and the exact corner sum lies on the other side of t by about 1e-16
CASES = [
    pytest.param(8, 1, 2, 0.7576857016975165, id="far-corner-rounded-down"),
    pytest.param(8, 3, 4, 1.1631508098056809, id="near-corner-rounded-up"),
]


@pytest.mark.parametrize(("n", "i", "j", "t"), CASES)
def test_a_cell_cut_within_an_ulp_stays_crossed(n: int, i: int, j: int, t: float) -> None:
    mp.mp.dps = 50
    try:
        _, _, q = _mp_exponential()
        tm = mp.mpf(t)
        near, far = q(mp.mpf(i) / n) + q(mp.mpf(j) / n), q(mp.mpf(i + 1) / n) + q(mp.mpf(j + 1) / n)
        assert near < tm < far and min(tm - near, far - tm) < 1e-15  # the cell is crossed, by a sliver
        tq = Fraction(t)
        c = sum_threshold_cells({"kind": "sum-threshold", "law": "exponential", "t": f"{tq.numerator}/{tq.denominator}"}, n)
        assert c.kind[i, j] == 0 and c.kind[j, i] == 0
        want = _mp_cell(tm, n, i, j)
        assert mp.mpf(float(c.lo[i, j])) <= want <= mp.mpf(float(c.hi[i, j]))
        assert abs(want) < mp.mpf(1) / n**2  # strictly inside (-1/N^2, 1/N^2): a full label would miss it
    finally:
        mp.mp.dps = 15


@pytest.mark.parametrize("ball", ["-3 +/- 1", "-1 +/- 2", "3 +/- 1", "0 +/- 0.5", "-0.5 +/- 0.25"])
def test_absolute_value_bound_covers_both_ends(ball: str) -> None:
    # the end-sliver error 2 |F(p) - F(x)| is bounded with |ball| <= max(|lower|, |upper|), a float rounded up: the sliver's
    # difference may be negative, so the larger end in absolute value is not always the upper one
    from flint import arb

    from proofs.exact.sum_threshold import _absup

    b = arb(ball)
    want = max(abs(Fraction(float(b.lower()))), abs(Fraction(float(b.upper()))))  # the ends are small dyadics: exact floats
    got = _absup(b)
    assert Fraction(got) >= want and got == float(want)
