"""Quantum resources for K-party games: GHZ two-body correlators are n_i^z n_j^z (lemma M4); CHSH as the K = 2 check."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from bounds.multiparty_classical import stand_in, threshold_search
from bounds.multiparty_quantum import bell_network, bell_pair, ghz, optimise, rational_unit_vector

X, Y, Z = np.array([[0, 1], [1, 0]]), np.array([[0, -1j], [1j, 0]]), np.array([[1, 0], [0, -1]])


def test_ghz_two_body_correlators_are_products_of_z_components() -> None:
    rng = np.random.default_rng(0)
    psi = np.zeros(8)
    psi[0] = psi[7] = 1 / np.sqrt(2)
    for _ in range(5):
        n = rng.standard_normal((3, 3))
        n /= np.linalg.norm(n, axis=1, keepdims=True)
        A = [n[i, 0] * X + n[i, 1] * Y + n[i, 2] * Z for i in range(3)]
        op = np.kron(np.kron(A[0], A[1]), np.eye(2))
        assert np.real(psi @ op @ psi) == pytest.approx(n[0, 2] * n[1, 2], abs=1e-12)
        op = np.kron(np.kron(np.eye(2), A[1]), A[2])
        assert np.real(psi @ op @ psi) == pytest.approx(n[1, 2] * n[2, 2], abs=1e-12)


@pytest.mark.parametrize("nu", [Fraction(1, 5), Fraction(7, 10), Fraction(3, 2)])
def test_ghz_never_beats_classical_on_the_two_body_game(nu: Fraction) -> None:
    fg = stand_in(4, nu)
    g = fg.game()
    c = threshold_search(fg).value
    q = optimise(g, ghz(3), restarts=4).value
    assert q <= c + 1e-9
    assert q >= c - 1e-9  # the see-saw reaches it: +-Z observables are the classical optimum


def test_pair_and_network_reduce_to_chsh_for_two_players() -> None:
    from games.multiparty import CorrelatorGame

    g = CorrelatorGame(2, 2, {(0, 1): np.array([[1.0, 1.0], [1.0, -1.0]]) / 8}, constant=0.5)
    for res in (bell_pair(2), bell_network(2)):
        assert optimise(g, res, restarts=3).value == pytest.approx(np.cos(np.pi / 8) ** 2, abs=1e-9)


def test_rational_unit_vectors_are_exactly_unit_and_close() -> None:
    rng = np.random.default_rng(1)
    for _ in range(10):
        n = rng.standard_normal(3)
        n /= np.linalg.norm(n)
        v = rational_unit_vector(n)
        assert sum(c * c for c in v) == 1
        assert np.allclose([float(c) for c in v], n, atol=1e-8)


def test_outcome_table_is_the_born_rule_on_the_full_state() -> None:
    """``outcome_table`` against the Born rule with explicit Kronecker projectors on the full density matrix (GHZ-3, random real
    qubit observables, two bins), and the GHZ-3 X-basis closed form P(o) = (1 + o1 o2 o3)/8."""
    import itertools

    from bounds.multiparty_quantum import _sign, ghz, outcome_table

    res = ghz(3)
    rng = np.random.default_rng(7)
    obs = [_sign(rng.standard_normal((2, 2, 2)).astype(np.complex128), True) for _ in range(3)]
    T = outcome_table(res, obs, 2)
    rho = np.array([[float(v) for v in row] for row in res.factors[0][1]])
    for x in itertools.product(range(2), repeat=3):
        for p in range(8):
            o = [1 - 2 * ((p >> (2 - i)) & 1) for i in range(3)]
            P = np.eye(1)
            for i in range(3):
                P = np.kron(P, (np.eye(2) + o[i] * obs[i][x[i]]) / 2)
            assert T[x[0] * 4 + x[1] * 2 + x[2], p] == pytest.approx(float(np.real(np.trace(rho @ P))), abs=1e-12)
    X = np.array([[[0, 1], [1, 0]]], dtype=np.complex128)
    TX = outcome_table(res, [X, X, X], 1)[0]
    for p in range(8):
        o = [1 - 2 * ((p >> (2 - i)) & 1) for i in range(3)]
        assert TX[p] == pytest.approx((1 + o[0] * o[1] * o[2]) / 8, abs=1e-12)
