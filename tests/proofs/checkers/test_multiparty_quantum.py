"""Checkers of the K-party correlator-game kinds against independent computations (brute force, numpy density matrices)."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest

from bounds.multiparty_classical import stand_in
from bounds.multiparty_quantum import bell_network, bell_pair, ghz, optimise, quantum_certificate
from proofs.checkers.registry import check_certificate
from proofs.exact.errors import CertificateError, CertificateFormatError


# --------------------------------------------------------------------------- quantum
def numpy_value(cert: dict) -> float:
    """The strategy's value by a full numpy density matrix (independent of the checker's reduced-state contraction)."""
    def f(t):  # noqa: ANN001, ANN202
        return complex(float(Fraction(t[0])), float(Fraction(t[1]))) if isinstance(t, list) else complex(float(Fraction(t)))

    dims, owners = cert["subsystems"], cert["owners"]
    n = len(dims)
    # full state in subsystem order 0..n-1
    rho, order = np.ones((1, 1), complex), []
    for fac in cert["factors"]:
        rho = np.kron(rho, np.array([[f(t) for t in row] for row in fac["rho"]]))
        order += fac["subsystems"]
    T = rho.reshape(dims_of(order, dims) * 2)
    inv = [order.index(q) for q in range(n)]
    T = np.transpose(T, inv + [n + k for k in inv]).reshape(int(np.prod(dims)), -1)
    K = len(cert["observables"])
    N = len(cert["observables"][0])
    den = cert["denominator"]
    total = cert["constant"] / den
    for term in cert["terms"]:
        S = tuple(term["players"])
        Wt = np.array(term["weights"], dtype=float).reshape((N,) * len(S)) / den
        for x in itertools.product(range(N), repeat=len(S)):
            if Wt[x] == 0:
                continue
            # operator on the full space: each subsystem of a player in S gets its part of the player's observable
            op = np.eye(1)
            for i in range(K):
                d = int(np.prod([dims[s] for s in range(n) if owners[s] == i]))
                op = np.kron(op, np.array([[f(t) for t in row] for row in cert["observables"][i][x[S.index(i)]]]) if i in S else np.eye(d))
            # op acts on (player 0's subsystems, player 1's, ...); permute the state to that order
            porder = sorted(range(n), key=lambda s: (owners[s], s))
            Tp = np.transpose(T.reshape(dims * 2), porder + [n + s for s in porder]).reshape(T.shape)
            total += Wt[x] * float(np.real(np.trace(Tp @ op)))
    return total


def dims_of(order: list[int], dims: list[int]) -> list[int]:
    return [dims[s] for s in order]


def _chsh():  # noqa: ANN202
    from games.multiparty import CorrelatorGame

    q = Fraction(1, 8)
    ex = {(0, 1): (q, q, q, -q)}
    return CorrelatorGame(2, 2, {(0, 1): np.array([[1.0, 1.0], [1.0, -1.0]]) / 8}, constant=0.5, exact_terms=ex, exact_constant=Fraction(1, 2))


@pytest.mark.parametrize("make", [bell_pair, bell_network, ghz])
def test_chsh_reaches_the_bell_value_exactly_certified(make) -> None:  # noqa: ANN001
    g = _chsh()
    r = optimise(g, make(2), restarts=3)
    cert, _ = quantum_certificate(g, r)
    b = check_certificate(cert)
    tsirelson = np.cos(np.pi / 8) ** 2
    assert tsirelson - 1e-8 < float(b.details["proven"]) <= tsirelson + 1e-15
    assert abs(numpy_value(cert) - float(b.details["proven"])) < 1e-12


@pytest.mark.parametrize("make", [lambda: ghz(3), lambda: bell_network(3), lambda: bell_pair(3, (0, 2))])
def test_three_router_strategies_match_a_full_density_matrix(make) -> None:  # noqa: ANN001
    g = stand_in(3, Fraction(7, 10)).game()
    r = optimise(g, make(), restarts=2, seed=1)
    cert, _ = quantum_certificate(g, r)
    b = check_certificate(cert)
    assert abs(numpy_value(cert) - float(b.details["proven"])) < 1e-12
    assert b.target.player_model == "quantum" and b.side == "lower"


def test_random_complex_qubit_strategy_matches_numpy() -> None:
    from bounds.multiparty_quantum import QuantumStrategy

    g = stand_in(2, Fraction(1, 3)).game()
    rng = np.random.default_rng(5)
    res = ghz(3)
    obs = []
    for _ in range(3):
        n = rng.standard_normal((2, 3))
        n /= np.linalg.norm(n, axis=1, keepdims=True)
        X, Y, Z = np.array([[0, 1], [1, 0]]), np.array([[0, -1j], [1j, 0]]), np.array([[1, 0], [0, -1]])
        obs.append(np.einsum("xk,kab->xab", n, np.stack([X, Y, Z])))
    cert, _ = quantum_certificate(g, QuantumStrategy(res, tuple(obs), 0.0))
    assert any(isinstance(t, list) for row in cert["observables"][0][0] for t in row)  # Gaussian-rational entries
    b = check_certificate(cert)
    assert abs(numpy_value(cert) - float(b.details["proven"])) < 1e-12


def _qcert() -> dict:
    g = stand_in(2, Fraction(1, 2)).game()
    cert, _ = quantum_certificate(g, optimise(g, bell_network(3), restarts=1))
    return cert


def test_quantum_refuses_a_claim_above_the_value() -> None:
    c = _qcert()
    b = check_certificate(c)
    c["bound"] = str(b.details["proven"] + Fraction(1, 10**15))
    with pytest.raises(CertificateError, match="exceeds"):
        check_certificate(c)


def test_quantum_refuses_non_involutions_non_hermitian_and_non_states() -> None:
    c = _qcert()
    c["observables"][0][0] = [["1", "0", "0", "0"], ["0", "1", "0", "0"], ["0", "0", "1", "0"], ["0", "0", "0", "1/2"]]
    with pytest.raises(CertificateError, match="square to the identity"):
        check_certificate(c)
    c = _qcert()
    c["observables"][0][0] = [["0", "1", "0", "0"], ["0", "0", "0", "0"], ["0", "0", "0", "0"], ["0", "0", "0", "0"]]
    with pytest.raises(CertificateError, match="Hermitian"):
        check_certificate(c)
    c = _qcert()  # trace 1, Hermitian, not PSD: an entangled "state" with coherence above 1/2
    c["factors"][0]["rho"] = [["1/2", "0", "0", "1"], ["0", "0", "0", "0"], ["0", "0", "0", "0"], ["1", "0", "0", "1/2"]]
    with pytest.raises(CertificateError, match="positive semidefinite"):
        check_certificate(c)
    c = _qcert()
    c["factors"][0]["rho"] = [["1", "0", "0", "1/2"], ["0", "0", "0", "0"], ["0", "0", "0", "0"], ["1/2", "0", "0", "1/2"]]
    with pytest.raises(CertificateError, match="trace 1"):
        check_certificate(c)
    c = _qcert()
    c["factors"][0]["rho"][0][3] = ["1/2", "1/4"]
    with pytest.raises(CertificateError, match="Hermitian"):
        check_certificate(c)


def test_quantum_refuses_malformed_structure() -> None:
    c = _qcert()
    c["owners"] = [0] * 6
    with pytest.raises(CertificateFormatError):
        check_certificate(c)
    c = _qcert()
    c["factors"] = c["factors"][:2]
    with pytest.raises(CertificateFormatError, match="exactly one factor"):
        check_certificate(c)


