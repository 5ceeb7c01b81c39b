"""Checkers of classical certificates: valid certificates pass, tampered ones are rejected."""

import copy
import json
from fractions import Fraction

import numpy as np
import pytest

from bounds.classical_certificates import strategy_certificate, threshold_certificate
from bounds.classical_continuum import continuum_classical
from bounds.classical_exact import exact_classical
from games import StepStrategy, ThresholdStrategy, discretise, linear_boundary_game, paper_game
from proofs.checkers.registry import check_certificate
from proofs.cli.main import main
from proofs.exact.errors import CertificateError, CertificateFormatError


@pytest.fixture(scope="module")
def bnb():
    return exact_classical(paper_game(0.33), 24).certificates


@pytest.fixture(scope="module")
def dp():
    return continuum_classical(paper_game(0.33), bins=40).certificates


def _top(cert, key):
    return max(range(len(cert["leaves"])), key=lambda i: cert["leaves"][i]["bound_units"])


def test_valid_certificates_pass(bnb, dp):
    lo, up = check_certificate(bnb["lower"]), check_certificate(bnb["upper"])
    assert lo.side == "lower" and up.side == "upper" and lo.target == up.target
    assert 0 <= up.value - lo.value < Fraction(1, 10**12)
    clo, cup = check_certificate(dp["lower"]), check_certificate(dp["upper"])
    assert clo.target.n is None and cup.target.n is None
    assert clo.value <= cup.value


def test_strategy_value_is_exact_value():
    d = discretise(paper_game(0.33), 12)
    rng = np.random.default_rng(0)
    g, h = rng.choice([1, -1], 12), rng.choice([1, -1], 12)
    b = check_certificate(strategy_certificate(paper_game(0.33), g, h))
    assert float(b.value) == pytest.approx(StepStrategy(g, h).win_probability(d), abs=1e-14)
    assert float(b.value) <= StepStrategy(g, h).win_probability(d) + 1e-15


def test_threshold_value_is_exact_value():
    cert = threshold_certificate(paper_game(0.33), [Fraction(62, 100)], [Fraction(61, 100), Fraction(9, 10)], 1, -1)
    b = check_certificate(cert)
    ref = ThresholdStrategy((0.62,), (0.61, 0.9), 1, -1).win_probability(paper_game(0.33))
    assert float(b.value) == pytest.approx(ref, abs=1e-13)
    # the linear game's optimum 3/4 (switch of A at 1/2, B constant)
    lin = check_certificate(threshold_certificate(linear_boundary_game(), [Fraction(1, 2)], [], 1, 1))
    assert float(lin.value) == pytest.approx(0.75, abs=1e-15)


@pytest.mark.parametrize(
    "tamper, err",
    [
        (lambda c: c["leaves"][_top(c, "K")].__setitem__("bound_units", c["leaves"][_top(c, "K")]["bound_units"] - 10**6), CertificateError),  # leaf bound below its optimum
        (lambda c: c["leaves"].pop(), CertificateError),  # a branch of the tree is missing
        (lambda c: c.__setitem__("bound", "3/4"), CertificateError),  # claimed bound below the leaves
        (lambda c: c["game"].__setitem__("C", "34/100"), CertificateError),  # leaves of another game
        (lambda c: c.__setitem__("N", 23), CertificateFormatError),  # target differs from the tree's discretisation
        (lambda c: c.update(N=23, bins=23), CertificateFormatError),  # another discretisation: wrong number of leaves
        (lambda c: c.__setitem__("bound", 0.77), CertificateFormatError),  # float instead of exact rational
    ],
)
def test_bnb_tampering_rejected(bnb, tamper, err):
    c = copy.deepcopy(bnb["upper"])
    tamper(c)
    with pytest.raises(err):
        check_certificate(c)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda c: c["leaves"][_top(c, "j")].__setitem__("bound_units", c["leaves"][_top(c, "j")]["bound_units"] - 10**6),  # ~1e-9 below the DP
        lambda c: c["leaves"].pop(0),  # missing end point
        lambda c: c.__setitem__("tau", "0/1"),  # wrong tail mass
        lambda c: c.__setitem__("bound", "76/100"),  # bound below the largest leaf
        lambda c: c["game"].__setitem__("C", "1/2"),  # leaves computed for another game
    ],
)
def test_dp_tampering_rejected(dp, tamper):
    c = copy.deepcopy(dp["upper"])
    tamper(c)
    with pytest.raises(CertificateError):
        check_certificate(c)


def test_qcoord_check_exit_codes(bnb, tmp_path, capsys):
    good = tmp_path / "good.json"
    good.write_text(json.dumps(bnb["upper"]))
    bad = tmp_path / "bad.json"
    c = copy.deepcopy(bnb["upper"])
    c["leaves"][0]["bound_units"] = 0
    bad.write_text(json.dumps(c))
    assert main(["check", str(good)]) == 0
    assert main(["check", str(bad)]) == 1
    assert "INVALID" in capsys.readouterr().err


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=15)
@given(C=st.floats(0.05, 0.95), n=st.integers(2, 10))
def test_checked_brackets_are_consistent(C, n):
    """Checked lower <= checked upper, and the exact N-bin optimum never exceeds the continuum upper bound."""
    game = paper_game(round(C, 3))
    cont = continuum_classical(game, bins=12).certificates
    lo, up = check_certificate(cont["lower"]), check_certificate(cont["upper"])
    assert lo.value <= up.value
    nb = exact_classical(game, n).certificates
    assert check_certificate(nb["lower"]).value <= up.value
    assert check_certificate(nb["lower"]).value <= check_certificate(nb["upper"]).value
