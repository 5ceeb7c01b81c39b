from fractions import Fraction

import pytest

from proofs import Bound, Bracket, ProofsParameterError, Target
from proofs.checkers.bound import _issue
from proofs.exact.errors import CertificateError

T = Target({"type": "hyperbolic", "C": "33/100"}, 8, "classical")


def test_bound_cannot_be_built_outside_a_checker():
    with pytest.raises(ProofsParameterError, match="only by a proofs/ checker"):
        Bound("lower", Fraction(3, 4), T, "x.json", "me")


def test_issued_bound_and_bracket():
    lo = _issue("lower", Fraction(3, 4), T, "a.json", "test")
    hi = _issue("upper", Fraction(4, 5), T, "b.json", "test")
    br = Bracket(lo, hi)
    assert br.width == Fraction(1, 20)
    assert br.to_dict()["lower"] == 0.75
    assert "lower bound" in str(lo) and lo.to_dict()["value_exact"] == "3/4"


def test_bracket_rejects_inconsistent_bounds():
    lo = _issue("lower", Fraction(4, 5), T, "a", "t")
    hi = _issue("upper", Fraction(3, 4), T, "b", "t")
    with pytest.raises(CertificateError, match="contradictory"):
        Bracket(lo, hi)
    other = _issue("upper", Fraction(9, 10), Target({"type": "linear", "s": "1/1"}, 8, "classical"), "c", "t")
    with pytest.raises(ProofsParameterError, match="share a target"):
        Bracket(_issue("lower", Fraction(1, 2), T, "a", "t"), other)


@pytest.mark.parametrize("kwargs, match", [({"side": "middle"}, "`side`"), ({"value": 0.5}, "Fraction")])
def test_bound_bad_fields(kwargs, match):
    args = {"side": "lower", "value": Fraction(1, 2), "target": T, "certificate": "c", "checker": "t"}
    args.update(kwargs)
    with pytest.raises(ProofsParameterError, match=match):
        _issue(**args)


@pytest.mark.parametrize("kwargs, match", [({"player_model": "both"}, "player_model"), ({"n": 0}, "`n`")])
def test_target_bad_fields(kwargs, match):
    args = {"game": {}, "n": 4, "player_model": "quantum"}
    args.update(kwargs)
    with pytest.raises(ProofsParameterError, match=match):
        Target(**args)


P = Target({"type": "system", "law": "exponential", "lam": "3/5", "mu": "1/1", "W_limit": "33/20", "order": "random", "quantity": "p_split"}, None, "quantum")


@pytest.mark.parametrize("side, value, trivial", [
    ("lower", Fraction(3, 10), False), ("lower", Fraction(0), True), ("upper", Fraction(99, 100), False), ("upper", Fraction(1), True)])
def test_p_split_bounds_are_trivial_at_the_ends_of_zero_one(side, value, trivial):
    # p_split is a probability: [0, 1]; a game value is in [1/2, 1], where 3/10 would be trivial
    assert _issue(side, value, P, "c", "t").trivial is trivial
    assert _issue("lower", Fraction(3, 10), T, "c", "t").trivial


def test_bounds_beyond_the_float_range_print_and_serialise():
    lo = _issue("lower", Fraction(-(10**399)), P, "a", "t")
    hi = _issue("upper", Fraction(10**399), P, "b", "t")
    assert "p_split >= -1e+399" in str(lo) and "TRIVIAL" in str(lo) and "p_split <= 1e+399" in str(hi)
    assert (float(lo), float(hi)) == (float("-inf"), float("inf"))  # the safe side of each bound
    d = Bracket(lo, hi).to_dict()
    assert d["lower"] is None and d["upper"] is None and d["width"] is None
    assert lo.to_dict()["value"] is None and lo.to_dict()["value_exact"] == f"-{10**399}/1"
    with pytest.raises(CertificateError, match=r"1e\+399 exceeds upper bound -1e\+399"):
        Bracket(_issue("lower", Fraction(10**399), P, "a", "t"), _issue("upper", Fraction(-(10**399)), P, "b", "t"))


def test_the_quantity_is_printed_and_serialised_with_the_target():
    p = _issue("lower", Fraction(3, 10), P, "c", "t")
    w = _issue("upper", Fraction(4, 5), T, "c", "t")
    assert str(p).startswith("p_split >= 0.3000000000 (lower bound;") and "TRIVIAL" not in str(p)
    assert str(w).startswith("winning probability <= 0.8000000000 (upper bound;")
    assert "quantity=" not in P.label()  # named once, in front, not again among the game's fields
    assert p.to_dict()["quantity"] == p.to_dict()["target"]["quantity"] == "p_split"
    assert w.to_dict()["target"] == {"game": T.game, "N": T.n, "model": T.player_model, "quantity": "winning probability"}
    # a p_split lower bound of 3/10 says something; the same number on a winning probability does not
    lo_w = _issue("lower", Fraction(3, 10), T, "c", "t")
    assert str(lo_w).endswith("TRIVIAL: says nothing about winning probability)")
