"""Tests of bounds.anatomy: rank, angle extraction, the linear game's known optimal angles, the plot."""

from __future__ import annotations

import math

import numpy as np
import pytest

from bounds.anatomy import anatomy, plot_anatomy
from bounds.errors import BoundsParameterError
from bounds.tsirelson import tsirelson
from games import AngleStrategy, VectorStrategy, discretise, linear_boundary_game, paper_game


def test_angles_reproduce_correlators() -> None:
    # extracted angles give back the optimum's correlators -cos(theta_A - theta_B)
    d = discretise(paper_game(0.33), 60)
    r = tsirelson(d)
    a = anatomy(r.strategy)
    assert a.rank == 2 and a.local_dimension == 2
    assert a.planar_residual < 1e-6
    s = AngleStrategy(a.theta_a, a.theta_b)
    assert s.win_probability(d) == pytest.approx(r.lower_estimate, abs=1e-9)


def test_linear_game_optimal_angles_are_linear() -> None:
    # known optimum of the linear-boundary game: angles linear in the input with slope pi
    d = discretise(linear_boundary_game(), 200)
    a = anatomy(tsirelson(d).strategy)
    d0, d1, d2 = a.linear_fit()
    assert d1 == pytest.approx(-math.pi, abs=0.02)
    assert d2 == pytest.approx(-math.pi, abs=0.02)
    resid = a.theta_a - (np.polyval(np.polyfit(a.midpoints, a.theta_a, 1), a.midpoints))
    assert np.abs(resid).max() < 0.02


def test_higher_rank_detected() -> None:
    # three orthogonal directions: rank 3, local dimension 2 (qubit still suffices)
    u = np.eye(3)
    s = VectorStrategy(u, u)
    a = anatomy(s)
    assert a.rank == 3 and a.local_dimension == 2
    assert a.planar_residual == pytest.approx(1.0)


def test_plot_written(tmp_path) -> None:  # noqa: ANN001
    a = anatomy(tsirelson(discretise(paper_game(0.33), 30)).strategy)
    p = plot_anatomy(a, tmp_path / "anat.png", ansatz={"paper (stated)": (3.709, -2.760, -2.759)})
    assert p.exists() and p.stat().st_size > 1000


def test_bad_input() -> None:
    with pytest.raises(BoundsParameterError, match="`strategy`"):
        anatomy(np.eye(2))
    with pytest.raises(BoundsParameterError, match="`tol`"):
        anatomy(VectorStrategy(np.eye(2), np.eye(2)), tol=2.0)
