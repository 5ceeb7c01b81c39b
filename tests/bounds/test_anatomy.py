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
    _d0, d1, d2 = a.linear_fit()
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


@pytest.mark.parametrize("rank, dim", [(2, 2), (3, 2), (4, 4), (5, 4)])
def test_local_dimension_realises_the_correlations(rank: int, dim: int) -> None:
    # Tsirelson's construction: r anticommuting observables (Pauli products) on
    # floor(r/2) qubits; <Phi+| A_i (x) B_j |Phi+> = <u_i, v_j> with B built from transposes.
    rng = np.random.default_rng(rank)
    u = rng.standard_normal((rank + 2, rank))
    v = rng.standard_normal((rank + 2, rank))
    u /= np.linalg.norm(u, axis=1)[:, None]
    v /= np.linalg.norm(v, axis=1)[:, None]
    a = anatomy(VectorStrategy(u, v))
    assert (a.rank, a.local_dimension) == (rank, dim)
    x = np.array([[0, 1], [1, 0]], dtype=complex)
    y = np.array([[0, -1j], [1j, 0]])
    z = np.diag([1.0 + 0j, -1.0])
    eye = np.eye(2, dtype=complex)
    qubits = int(np.log2(dim))
    gammas = []  # Jordan-Wigner: Z..Z X I..I and Z..Z Y I..I, plus Z..Z
    for k in range(qubits):
        for p in (x, y):
            m = np.ones((1, 1), dtype=complex)
            for j in range(qubits):
                m = np.kron(m, z if j < k else (p if j == k else eye))
            gammas.append(m)
    m = np.ones((1, 1), dtype=complex)
    for _ in range(qubits):
        m = np.kron(m, z)
    gammas.append(m)
    gammas = gammas[:rank]
    phi = np.eye(dim).reshape(-1) / np.sqrt(dim)
    for i in range(u.shape[0]):
        A = sum(c * g for c, g in zip(u[i], gammas))
        for j in range(v.shape[0]):
            B = sum(c * g.T for c, g in zip(v[j], gammas))
            assert np.vdot(phi, np.kron(A, B) @ phi).real == pytest.approx(float(u[i] @ v[j]), abs=1e-12)
