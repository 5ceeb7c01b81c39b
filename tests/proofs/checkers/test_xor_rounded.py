"""proofs.checkers.xor_rounded (lemma X7): a classical upper bound from a certified bound on a nearby game plus the distance."""

from __future__ import annotations

import copy
import itertools
import math
from fractions import Fraction

import numpy as np
import pytest

from bounds.xor import xor_classical_certificate, xor_dual_certificate
from bounds.xor_bnb import rounded_game, solve_classical_bnb, xor_bnb_certificate, xor_rounded_certificate
from games.xor import XorMatrixGame
from proofs.checkers.registry import check_certificate
from proofs.exact.errors import CertificateError, CertificateFormatError


def _brute(g: XorMatrixGame) -> Fraction:
    m = [list(r) for r in g.bias]
    best = max(sum(abs(sum(a[i] * m[i][j] for i in range(len(m)))) for j in range(len(m[0])))
               for a in itertools.product((1, -1), repeat=len(m)))
    return Fraction(1, 2) + best / 2


def _float_game(seed: int, r: int = 5, c: int = 4) -> XorMatrixGame:
    rng = np.random.default_rng(seed)
    p = rng.random((r, c)) * 10.0 ** rng.uniform(-4, 0, (r, c))
    return XorMatrixGame.from_toqito(p / p.sum(), rng.integers(0, 2, (r, c)))


def _coarse(g: XorMatrixGame, bits: int) -> XorMatrixGame:
    return XorMatrixGame(tuple(tuple(Fraction(math.trunc(q * 2**bits), 2**bits) for q in row) for row in g.bias))


def test_a_float_game_gets_a_tight_upper_bound_at_or_above_its_classical_value() -> None:
    for seed in range(6):
        g = _float_game(seed)
        r = rounded_game(g)
        assert g.integer_form[1] >= 2**53 > r.integer_form[1]  # beyond the branch and bound's checker; the rounding is not
        b = check_certificate(xor_rounded_certificate(g, r, xor_bnb_certificate(r, solve_classical_bnb(r))))
        truth = _brute(g)
        assert b.side == "upper" and b.target.player_model == "classical" and truth <= b.value < truth + Fraction(1, 10**13)


def test_the_distance_is_needed() -> None:
    # rounded to 2^-6 the game loses value: the nested bound alone lies below the true value, the claim must add sum |M - M'| / 2
    g = _float_game(1)
    r = _coarse(g, 6)
    inner = xor_bnb_certificate(r, solve_classical_bnb(r))
    assert Fraction(inner["bound"]) < _brute(g)
    cert = xor_rounded_certificate(g, r, inner)
    assert check_certificate(cert).value >= _brute(g)
    gap = sum(abs(q - q2) for row, row2 in zip(g.bias, r.bias) for q, q2 in zip(row, row2))
    truth = _brute(g)
    assert truth > Fraction(inner["bound"]) + gap / 4  # the rounding took more than a quarter of the distance off the value
    for claim in (Fraction(inner["bound"]), truth - Fraction(1, 10**20)):  # both false: below the true value
        forged = copy.deepcopy(cert)
        forged["bound"] = f"{claim.numerator}/{claim.denominator}"
        with pytest.raises(CertificateError, match="distance"):
            check_certificate(forged)


def test_the_nested_certificate_is_checked_and_must_fit() -> None:
    g = _float_game(2)
    r = rounded_game(g)
    cert = xor_rounded_certificate(g, r, xor_bnb_certificate(r, solve_classical_bnb(r)))
    bad = copy.deepcopy(cert)
    bad["rounded"]["bound"] = str(Fraction(cert["rounded"]["bound"]) - Fraction(1, 10))  # a false nested claim
    with pytest.raises(CertificateError):
        check_certificate(bad)
    other = _float_game(3, 4, 5)  # a nested game of another shape
    ro = rounded_game(other)
    bad = copy.deepcopy(cert)
    bad["rounded"] = xor_bnb_certificate(ro, solve_classical_bnb(ro))
    with pytest.raises(CertificateFormatError, match="nested game"):
        check_certificate(bad)
    for inner in (xor_classical_certificate(r, "lower", Fraction(1, 2), [1] * r.rows, [1] * r.cols), None, "x",
                  xor_dual_certificate(r, np.ones(r.rows), np.ones(r.cols), "quantum")):
        bad = copy.deepcopy(cert)
        bad["rounded"] = inner
        with pytest.raises(CertificateFormatError, match="rounded"):
            check_certificate(bad)
    exhaustive = xor_rounded_certificate(g, r, xor_classical_certificate(r, "upper", r.classical_exhaustive()[0]))
    assert check_certificate(exhaustive).value >= _brute(g)  # an exhaustive nested certificate serves as well
