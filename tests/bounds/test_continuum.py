"""Tests of the crossed-cell relaxation (lemma Q3) against the known linear-boundary game."""

from __future__ import annotations

import math

import numpy as np
import pytest

from bounds.continuum import continuum_relaxation, relaxed_matrix, slack_estimate
from bounds.errors import BoundsParameterError
from games import discretise, linear_boundary_game, paper_game
from proofs.certify.quantum import certify_quantum

LINEAR_Q = 0.5 + 1 / math.pi  # Aharon et al. / Tsirelson: quantum value of the linear-boundary game


@pytest.mark.parametrize("relaxation", ["mean", "zero"])
@pytest.mark.parametrize("n", [16, 48])
def test_linear_game_bracket_contains_known_value(tmp_path, n: int, relaxation: str) -> None:  # noqa: ANN001
    # the certified continuum bracket contains 1/2 + 1/pi
    res = certify_quantum(linear_boundary_game(), n, continuum=True, cert_dir=tmp_path, relaxation=relaxation)
    assert float(res.continuum.lower.value) <= LINEAR_Q <= float(res.continuum.upper.value)
    assert res.continuum.lower.target.n is None and res.continuum.upper.target.n is None


def test_continuum_bracket_contains_n_bin_lower_and_narrows(tmp_path) -> None:  # noqa: ANN001
    # continuum lower = N-bin lower (bin-constant lifting); the width shrinks as N grows
    widths = []
    for n in (12, 48):
        res = certify_quantum(paper_game(0.33), n, continuum=True, cert_dir=tmp_path)
        assert res.continuum.lower.value == res.bracket.lower.value
        assert res.continuum.upper.value >= res.bracket.upper.value
        widths.append(res.continuum.width)
    assert widths[1] < widths[0]


def test_slack_closed_form_linear_game() -> None:
    # linear game: N diagonal cells are crossed, each half bunch, rho = 0, so both slacks equal N / N^2
    d = discretise(linear_boundary_game(), 10)
    assert slack_estimate(d, "zero") == pytest.approx(0.1)
    assert slack_estimate(d, "mean") == pytest.approx(0.1)


def test_mean_slack_never_exceeds_zero_slack() -> None:
    # (1 - rho^2) <= 1 on every crossed cell
    d = discretise(paper_game(0.33), 40)
    assert slack_estimate(d, "mean") <= slack_estimate(d, "zero")


def test_relaxed_matrix_zeroes_crossed_cells() -> None:
    d = discretise(paper_game(0.5), 20)
    m = relaxed_matrix(d, "zero")
    assert np.all(m[d.crossed] == 0)
    assert np.array_equal(m[~d.crossed], d.matrix[~d.crossed])
    assert continuum_relaxation(d, "zero").upper_estimate > continuum_relaxation(d, "mean").result.lower_estimate


def test_bad_input() -> None:
    d = discretise(paper_game(0.5), 4)
    with pytest.raises(BoundsParameterError, match="`relaxation`"):
        relaxed_matrix(d, "max")
    with pytest.raises(BoundsParameterError, match="`crossed`"):
        slack_estimate(d, "zero", crossed=np.zeros((3, 3)))
    with pytest.raises(BoundsParameterError, match="`disc`"):
        relaxed_matrix(np.eye(2))
