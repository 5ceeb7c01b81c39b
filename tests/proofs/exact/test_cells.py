from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from games import discretise, linear_boundary_game, paper_game
from proofs.exact import CertificateFormatError, QcoordParameterError, cell_enclosure, exact_parameter, parse_fraction


@pytest.mark.parametrize("C, n", [("33/100", 7), ("33/100", 40), ("1/20", 33), ("9/10", 25)])
def test_enclosure_contains_float_matrix_up_to_rounding(C, n):
    # the rigorous enclosure is tight (width ~1e-16) and agrees with the float closed form
    enc = cell_enclosure({"type": "hyperbolic", "C": C}, n)
    M = discretise(paper_game(float(Fraction(C))), n).matrix
    assert enc.width < 1e-15
    assert np.all(enc.lo <= M + 1e-15) and np.all(M - 1e-15 <= enc.hi)


@given(n=st.integers(1, 30))
def test_enclosure_sum_brackets_2p_minus_1(n):
    # sum of M = 2 P(bunch) - 1 = 2((1 - C) + C ln C) - 1 with C = 33/100 (computed with mpmath at 50 digits)
    import mpmath

    mpmath.mp.dps = 50
    C = mpmath.mpf(33) / 100
    target = 2 * ((1 - C) + C * mpmath.log(C)) - 1
    enc = cell_enclosure({"type": "hyperbolic", "C": "33/100"}, n)
    lo = mpmath.fsum(mpmath.mpf(float(x)) for x in enc.lo.ravel())
    hi = mpmath.fsum(mpmath.mpf(float(x)) for x in enc.hi.ravel())
    assert lo <= target <= hi


def test_linear_game_cells_exact():
    enc = cell_enclosure({"type": "linear", "s": "1"}, 4)
    assert int((enc.kind == 0).sum()) == 4  # the diagonal cells are cut in half
    for (i, j), (q, c, _r) in enc.crossed_exact.items():
        assert i + j == 3 and q == 0 and c == 0  # half bunch, half split: M = 0 exactly
    assert enc.kind[0, 0] == 1 and enc.kind[3, 3] == -1


def test_linear_enclosure_matches_discretisation():
    enc = cell_enclosure({"type": "linear", "s": "1"}, 9)
    M = discretise(linear_boundary_game(), 9).matrix
    assert np.allclose((enc.lo + enc.hi) / 2, M, atol=1e-16)


def test_exact_parameter_reads_shortest_decimal():
    assert exact_parameter(0.33) == Fraction(33, 100)


@pytest.mark.parametrize("bad", [0.5, True, "x/2", None])
def test_parse_fraction_rejects(bad):
    with pytest.raises(CertificateFormatError):
        parse_fraction(bad)


@pytest.mark.parametrize(
    "desc, n, err",
    [
        ({"type": "hyperbolic", "C": "3/2"}, 4, QcoordParameterError),
        ({"type": "hyperbolic", "C": "1/2"}, 0, QcoordParameterError),
        ({"type": "weird"}, 4, CertificateFormatError),
        ({"type": "linear", "s": "5/2"}, 4, QcoordParameterError),
    ],
)
def test_cell_enclosure_bad_input(desc, n, err):
    with pytest.raises(err):
        cell_enclosure(desc, n)


@pytest.mark.parametrize("C, n", [("33/100", 37), ("1/7", 64), ("999/1000", 50)])
def test_mid_radius_covers_the_enclosure_exactly(C, n):
    enc = cell_enclosure({"type": "hyperbolic", "C": C}, n)
    mc, r = enc.mid_radius()
    for i in range(n):
        for j in range(n):
            m, rad = Fraction(float(mc[i, j])), Fraction(float(r[i, j]))
            assert m - rad <= Fraction(float(enc.lo[i, j])) and Fraction(float(enc.hi[i, j])) <= m + rad


@pytest.mark.parametrize("C", ["33/100", "1/7"])
def test_crossed_cells_enclose_high_precision_values(C):
    # independent: each crossed cell's exact value q + c ln r at 60 digits lies in [lo, hi]
    import mpmath

    mpmath.mp.dps = 60
    enc = cell_enclosure({"type": "hyperbolic", "C": C}, 30)
    for (i, j), (q, c, r) in enc.crossed_exact.items():
        val = mpmath.mpf(q.numerator) / q.denominator + mpmath.mpf(c.numerator) / c.denominator * mpmath.log(mpmath.mpf(r.numerator) / r.denominator)
        assert mpmath.mpf(float(enc.lo[i, j])) <= val <= mpmath.mpf(float(enc.hi[i, j]))


def test_mid_radius_covers_wide_enclosures():
    # lo and hi of different sign and scale: hi - Mc is rounded, and the radius must still cover it
    from proofs.exact import CellEnclosure, exact_game

    lo, hi = np.array([[-1.75655620602559e-20]]), np.array([[0.005414612202490917]])
    enc = CellEnclosure(1, lo, hi, np.zeros((1, 1), dtype=np.int8), {}, exact_game({"type": "linear", "s": "1"}))
    mc, r = enc.mid_radius()
    m, rad = Fraction(float(mc[0, 0])), Fraction(float(r[0, 0]))
    assert m - rad <= Fraction(float(lo[0, 0])) and Fraction(float(hi[0, 0])) <= m + rad


def test_enclosure_is_memoised_and_read_only():
    # a second request returns the very enclosure built first; nobody can change it in place
    a = cell_enclosure({"type": "hyperbolic", "C": "1/3"}, 24)
    b = cell_enclosure({"type": "hyperbolic", "C": "1/3"}, 24)
    assert a is b and a.mid_radius()[0] is b.mid_radius()[0]
    for arr in (a.lo, a.hi, a.kind, *a.mid_radius()):
        with pytest.raises(ValueError):
            arr[0, 0] = 0
    assert cell_enclosure({"type": "hyperbolic", "C": "1/4"}, 24) is not a


def test_enclosure_is_immutable_and_forms_lo_hi_on_demand():
    # lo and hi come from kind and the crossed cells on first use; they bracket Mc -+ r's source cells exactly
    from proofs.exact import CellEnclosure

    enc = cell_enclosure({"type": "hyperbolic", "C": "1/7"}, 37)
    with pytest.raises(AttributeError):
        enc.n = 3  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del enc.kind
    mc, r = enc.mid_radius()
    for i, j in [(0, 0), (5, 30), (36, 36), *list(enc.crossed_exact)[:20]]:
        lo, hi = Fraction(float(enc.lo[i, j])), Fraction(float(enc.hi[i, j]))
        assert Fraction(float(mc[i, j])) - Fraction(float(r[i, j])) <= lo <= hi <= Fraction(float(mc[i, j])) + Fraction(float(r[i, j]))
    with pytest.raises(QcoordParameterError):
        CellEnclosure(1, None, None, np.zeros((1, 1), dtype=np.int8), {}, enc.game)
