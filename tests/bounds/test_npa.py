"""Tests of bounds.npa: known values, agreement with Tsirelson and with ncpol2sdpa, bad input."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from bounds.errors import BoundsParameterError
from bounds.npa import npa, xor_weights
from bounds.tsirelson import tsirelson
from games import discretise, paper_game


def ncpol_value(w: np.ndarray, level: str) -> float:
    """The same relaxation set up symbolically by ncpol2sdpa (independent implementation)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from ncpol2sdpa import Probability, SdpRelaxation

        na, nb = w.shape[2], w.shape[3]
        P = Probability([2] * na, [2] * nb)
        obj = 0
        for x in range(na):
            for y in range(nb):
                for a in range(2):
                    for b in range(2):
                        if w[a, b, x, y] != 0:
                            obj += float(w[a, b, x, y]) * P([a, b], [x, y])
        sdp = SdpRelaxation(P.get_all_operators(), verbose=0)
        extra = P.get_extra_monomials("AB") if level == "1+ab" else []
        sdp.get_relaxation(1, objective=-obj, substitutions=P.substitutions, extramonomials=extra)
        sdp.solve(solver="scs", solverparameters={"eps": 1e-9})
        assert sdp.status == "optimal"
        return -float(sdp.primal)


def test_chsh_level1() -> None:
    # CHSH: level 1 is already Tsirelson's bound cos^2(pi/8)
    w = xor_weights(np.array([[1, 1], [1, -1]]) / 4)
    assert npa(w, "1", solver="clarabel").upper_estimate == pytest.approx(math.cos(math.pi / 8) ** 2, abs=1e-7)


@pytest.mark.parametrize("n", [3, 6])
def test_xor_level1_matches_tsirelson(n: int) -> None:
    # for XOR games (marginals free) NPA level 1 equals Tsirelson's SDP
    d = discretise(paper_game(0.33), n)
    t = tsirelson(d)
    r = npa(xor_weights(d.matrix), "1", solver="clarabel")
    assert r.upper_estimate == pytest.approx(t.upper_estimate, abs=1e-7)
    r2 = npa(xor_weights(d.matrix), "1+ab", solver="clarabel")
    assert r2.upper_estimate == pytest.approx(t.upper_estimate, abs=1e-6)


def test_non_xor_game_levels_differ_and_match_ncpol2sdpa() -> None:
    # a random Bell functional with marginals where level 1+AB is strictly tighter; both match ncpol2sdpa
    w = np.random.default_rng(0).standard_normal((2, 2, 3, 3))
    l1 = npa(w, "1", solver="clarabel").upper_estimate
    l2 = npa(w, "1+ab", solver="clarabel").upper_estimate
    assert l2 < l1 - 1e-3
    assert l1 == pytest.approx(ncpol_value(w, "1"), abs=1e-5)
    assert l2 == pytest.approx(ncpol_value(w, "1+ab"), abs=1e-5)


@pytest.mark.parametrize("level", ["1", "1+ab"])
def test_discretised_game_matches_ncpol2sdpa(level: str) -> None:
    # the paper's game with 4 bins: our vectorised set-up and ncpol2sdpa's symbolic one agree
    w = xor_weights(discretise(paper_game(0.33), 4).matrix)
    assert npa(w, level).upper_estimate == pytest.approx(ncpol_value(w, level), abs=1e-6)


def test_moment_counts() -> None:
    # level sizes: 1 + nA + nB and 1 + nA + nB + nA nB
    w = np.zeros((2, 2, 3, 2))
    w[0, 0] = 1
    assert npa(w, "1").size == 6
    assert npa(w, "1+ab").size == 12


@pytest.mark.parametrize(
    "args, match",
    [
        ((np.zeros((2, 2, 2)), "1"), "shape"),  # wrong rank
        ((np.zeros((3, 2, 2, 2)), "1"), "shape"),  # three outputs
        ((np.zeros((2, 2, 2, 2)), "2"), "`level`"),  # unsupported level
        ((np.full((2, 2, 1, 1), np.nan), "1"), "finite"),  # NaN weights
    ],
)
def test_bad_input(args: tuple, match: str) -> None:
    with pytest.raises(BoundsParameterError, match=match):
        npa(*args)


def test_bad_solver_and_weights() -> None:
    with pytest.raises(BoundsParameterError, match="`solver`"):
        npa(np.zeros((2, 2, 1, 1)), solver="mosek")
    with pytest.raises(BoundsParameterError, match=r"\|M\| <= pi"):
        xor_weights(np.array([[1.0]]), pi=np.array([[0.5]]))
