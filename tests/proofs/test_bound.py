from fractions import Fraction

import pytest

from proofs import Bound, Bracket, ProofsParameterError, Target
from proofs.bound import _issue
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
