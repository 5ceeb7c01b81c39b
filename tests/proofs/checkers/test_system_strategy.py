"""Tests of :mod:`proofs.checkers.system_strategy`: exact mixtures, and forged certificates the checker must refuse."""

from __future__ import annotations

import copy
from fractions import Fraction

import mpmath as mp
import pytest

from bounds.system import solve_class
from bounds.system_certificates import strategy_certificate
from bounds.system_point import operating_point
from proofs.checkers.registry import check_certificate
from proofs.exact.errors import CertificateError
from tests.proofs.checkers.test_system_dual import _lognormal_system


@pytest.mark.parametrize("visibility", ["99/100", "0"])
def test_strategy_visibility_scales_the_planar_correlations(visibility: str) -> None:
    # the planar pairs of a tight quantum strategy (bracket width < 1e-8) measured on pairs of visibility v < 1 correlate v times as
    # much (the Werner correlator); the same mixture then misses its claim or the limit: the checker must use v, not 1
    pt = operating_point(0.6, 1.65)
    cert = strategy_certificate(pt, solve_class(pt, "quantum"))
    assert any("p0" in c["a"] for c in cert["components"])  # it has a planar (entangled) pair
    ok = check_certificate(cert)
    assert ok.target.player_model == "quantum"
    forged = copy.deepcopy(cert)
    forged["visibility"] = visibility
    with pytest.raises(CertificateError, match=r"W_limit|below the strategy"):
        check_certificate(forged)
    assert Fraction(visibility) < 1


def _split_bunch_mixture(game: dict, w_bunch: str, bound: str = "1") -> dict:
    """A classical strategy: always bunch (both +1) with weight ``w_bunch``, always split otherwise."""
    return {"schema": 2, "kind": "system-strategy", "N": None, "side": "upper", "model": "classical", "bound": bound, "game": game,
            "components": [{"weight": w_bunch, "a": {"u": "0", "sign": 1}, "b": {"u": "0", "sign": 1}},
                           {"weight": str(1 - Fraction(w_bunch)), "a": {"u": "0", "sign": 1}, "b": {"u": "0", "sign": -1}}]}


def test_strategy_feasibility_uses_the_far_end_of_w0() -> None:
    # lognormal 1 at lam = 1/2: W_0 = e/2, E[c] = 1, always bunch costs 1; bunching half the pairs gives W_q = e/2 + 1/2 exactly
    # (dyadic weights: the cost is computed without rounding). A limit 10^-40 below that, above every point of the m2 interval's
    # lower part, is not met: the checker must compare with W_0's upper end
    mp.mp.dps = 60
    e_below = Fraction(mp.nstr(mp.e - mp.mpf(10) ** -40, 55))
    mp.mp.dps = 15
    with pytest.raises(CertificateError, match="W_limit"):
        check_certificate(_split_bunch_mixture(_lognormal_system(e_below / 2 + Fraction(1, 2)), "1/2"))
    ok = check_certificate(_split_bunch_mixture(_lognormal_system(e_below / 2 + Fraction(1, 2) + Fraction(1, 10**20)), "1/2"))
    assert ok.details["proven"] == Fraction(1, 2)  # p_split = 1/2 exactly (dyadic)


def test_strategy_enclosures_round_outward() -> None:
    # exponential, mu = 1, lam = 3/5: W_0 = 3/2, kappa = 3/4, E[c] = 5/4; bunching a third of the pairs: p_split = 2/3 and
    # E[beta c] = (1/3) (5/4) = 5/12 exactly, but weight 1/3 is not dyadic, so the balls have a radius: the checker's p_split
    # must not fall below 2/3 nor its W_q below 3/2 + 5/12
    game = {"type": "system", "law": "exponential", "lam": "3/5", "mu": "1", "W_limit": "2"}
    b = check_certificate(_split_bunch_mixture(game, "1/3"))
    assert Fraction(2, 3) <= b.details["proven"] < Fraction(2, 3) + Fraction(1, 10**25)
    assert Fraction(3, 2) + Fraction(5, 12) <= b.details["wq_upper"] < Fraction(3, 2) + Fraction(5, 12) + Fraction(1, 10**25)

