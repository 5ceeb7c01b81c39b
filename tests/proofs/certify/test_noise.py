"""Tests of the certified Werner values and the threshold bracket."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from proofs.certify.noise import certify_noise, fidelity_of
from proofs.checkers.noise import LOCAL_VISIBILITY
from proofs.checkers.registry import check_certificate
from proofs.exact.errors import ProofsParameterError

V = (0.0, 0.5, 0.6874, 0.9, 1.0)


@pytest.fixture(scope="module")
def res(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    return certify_noise(0.33, 24, V, bins=30, resolution=1000, cert_dir=tmp_path_factory.mktemp("noise"))


def test_v0_nothing_beats_classical(res) -> None:  # noqa: ANN001
    row = res.rows[0]
    assert row.upper.value == res.classical.upper.value  # lemma W2 at v = 0, no cited result needed
    assert row.lower.value <= res.classical.upper.value


def test_v1_gives_back_the_noiseless_values(res) -> None:  # noqa: ANN001
    row = res.rows[-1]
    assert row.upper.value == res.quantum.upper.value
    assert float(row.lower.value) == pytest.approx(float(res.quantum.lower.value), abs=1e-7)  # qubit realisation of the optimum


def test_brackets_are_ordered_and_the_cited_bound_is_tighter(res) -> None:  # noqa: ANN001
    lows = [r.lower.value for r in res.rows]
    assert lows == sorted(lows)  # P(v) is non-decreasing
    for r in res.rows:
        assert r.lower.value <= r.upper_cited.value <= r.upper.value
        assert r.bracket.lower.target == r.bracket.upper.target
        if Fraction(r.v).limit_denominator(10**6) <= LOCAL_VISIBILITY:
            assert r.upper_cited.value == res.classical.upper.value


def test_threshold_bracket(res) -> None:  # noqa: ANN001
    assert res.v_lower == LOCAL_VISIBILITY
    assert res.v_lower <= res.v_upper <= 1
    assert res.advantage.value > res.classical.upper.value
    assert res.v_projective <= res.v_upper
    d = res.to_dict()["threshold"]
    assert d["F"][1] == pytest.approx(float(fidelity_of(res.v_upper)))
    assert check_certificate(res.paths["advantage"]).value == res.advantage.value


@pytest.mark.parametrize("bad", [[1.5], [math.nan], [-0.2], ["x"]])
def test_bad_visibility(bad: list) -> None:
    with pytest.raises(ProofsParameterError, match="`v`"):
        certify_noise(0.33, 8, bad, bins=10)


def test_no_advantage_at_large_C(tmp_path) -> None:  # noqa: ANN001
    # for C >= 0.65 the quantum and classical values coincide: no certified threshold
    r = certify_noise(0.7, 16, [1.0], bins=20, resolution=100, cert_dir=tmp_path)
    assert r.v_upper is None and r.advantage is None
    assert r.to_dict()["threshold"]["v"][1] is None
