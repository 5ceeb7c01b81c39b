"""Tests of the Werner strategies: scaled optimum, hybrid search, certificate writers."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest

from bounds.errors import BoundsParameterError
from bounds.noise import WernerStrategy, mixture_certificate, scaled_optimum, visibility_iv, werner_certificate, werner_search
from bounds.tsirelson import tsirelson
from games import discretise, linear_boundary_game, paper_game
from proofs.checkers.registry import check_certificate
from proofs.exact.errors import CertificateError


def _brute_classical(m: np.ndarray) -> float:
    # independent classical value: enumerate every g, best h in closed form
    n = m.shape[0]
    best = -np.inf
    for g in itertools.product((1.0, -1.0), repeat=n):
        best = max(best, float(np.sum(np.abs(np.asarray(g) @ m))))
    return 0.5 + 0.5 * best


def test_strategy_validates_the_measurement_constraint() -> None:
    with pytest.raises(BoundsParameterError, match=r"\|s\| \+ \|r\|"):
        WernerStrategy([0.5], [[0.6, 0, 0]], [0.0], [[0, 0, 1]])
    with pytest.raises(BoundsParameterError, match="shape"):
        WernerStrategy([0.0, 0.0], [[0, 0, 1]], [0.0], [[0, 0, 1]])
    with pytest.raises(BoundsParameterError, match="finite"):
        WernerStrategy([math.nan], [[0, 0, 0]], [0.0], [[0, 0, 1]])


@pytest.mark.parametrize("bad", [-0.01, 1.01, math.nan, math.inf, True, "a"])
def test_bad_visibility(bad: object) -> None:
    with pytest.raises(BoundsParameterError, match="`v`"):
        visibility_iv(bad)


def test_correlators_match_the_density_matrix() -> None:
    # the correlators the search and the certificates use, against Tr[rho_v A (x) B] from the 4 x 4 matrices
    from analytic.noise import direct_correlator

    rng = np.random.default_rng(11)
    paulis = (np.array([[0, 1], [1, 0]], complex), np.array([[0, -1j], [1j, 0]]), np.array([[1, 0], [0, -1]], complex))

    def observables(n: int) -> tuple[np.ndarray, np.ndarray]:
        r = rng.normal(size=(n, 3))
        r *= (rng.uniform(0, 1, n) / np.linalg.norm(r, axis=1))[:, None]
        s = rng.uniform(-1, 1, n) * (1 - np.linalg.norm(r, axis=1))
        return s, r

    for v in (0.0, 0.37, 1.0):
        (sa, ra), (sb, rb) = observables(5), observables(5)
        e = WernerStrategy(sa, ra, sb, rb).correlators(v)
        for i in range(5):
            for j in range(5):
                a = sa[i] * np.eye(2) + sum(ra[i, k] * paulis[k] for k in range(3))
                b = sb[j] * np.eye(2) + sum(rb[j, k] * paulis[k] for k in range(3))
                assert e[i, j] == pytest.approx(direct_correlator(v, a, b), abs=1e-13)
    with pytest.raises(BoundsParameterError, match="`v`"):
        WernerStrategy([0.0], [[0, 0, 1]], [0.0], [[0, 0, 1]]).correlators(1.5)


def test_scaled_optimum_reproduces_the_noiseless_value_and_scales_linearly() -> None:
    d = discretise(paper_game(0.33), 40)
    r = tsirelson(d)
    st = scaled_optimum(r.strategy.u, r.strategy.v)
    bias = float(np.sum(d.matrix * (r.strategy.u @ r.strategy.v.T)))  # independent: the Tsirelson vectors
    assert st.value(d, 1.0) == pytest.approx(0.5 + bias / 2, abs=1e-9)  # rank 2: the qubit realisation is exact
    for v in (0.0, 0.3, 0.8):
        assert st.value(d, v) == pytest.approx(0.5 + v * bias / 2, abs=1e-9)
    assert st.deterministic == (0, 0)


def test_search_at_v0_is_the_classical_value_and_at_v1_the_quantum_value() -> None:
    game = paper_game(0.33)
    d = discretise(game, 8)
    r = tsirelson(d)
    st = scaled_optimum(r.strategy.u, r.strategy.v)
    exact_c = _brute_classical(d.matrix)
    g = np.where(np.arange(8) < 4, 1.0, -1.0)
    e0 = werner_search(d, 0.0, quantum=st, classical=(g, g))
    assert e0.value == pytest.approx(exact_c, abs=1e-12)
    assert e0.strategy.deterministic == (8, 8)
    e1 = werner_search(d, 1.0, quantum=st, classical=(g, g))
    assert e1.value == pytest.approx(0.5 + r.primal_value / 2, abs=1e-7)
    assert e1.value <= 0.5 + r.dual_value / 2 + 1e-9


def test_search_never_beats_the_mixture_bound() -> None:
    # lemma W2 with the brute-force classical value and the Tsirelson dual: P(v) <= (1-v) Pc + v Pq
    d = discretise(paper_game(0.4), 8)
    r = tsirelson(d)
    st = scaled_optimum(r.strategy.u, r.strategy.v)
    pc, pq = _brute_classical(d.matrix), 0.5 + r.dual_value / 2
    g = np.ones(8)
    for v in np.linspace(0, 1, 6):
        e = werner_search(d, v, quantum=st, classical=(g, -g))
        assert e.value <= (1 - v) * pc + v * pq + 1e-9
        assert e.value >= max(pc - 1e-9, st.value(d, v) - 1e-9)  # the search starts from both pure strategies


def test_certificate_round_trip_and_tamper() -> None:
    d = discretise(paper_game(0.33), 16)
    r = tsirelson(d)
    st = scaled_optimum(r.strategy.u, r.strategy.v)
    cert = werner_certificate(d, st, 0.8)
    b = check_certificate(cert)
    assert b.side == "lower" and b.target.n == 16
    assert float(b.details["proven"]) == pytest.approx(st.value(d, 0.8), abs=1e-8)
    bad = {**cert, "bound": str(Fraction(cert["bound"]) + Fraction(1, 10**6))}
    with pytest.raises(CertificateError, match="exceeds"):
        check_certificate(bad)
    assert werner_certificate(d, st, 0.8, continuum=True)["N"] is None


def test_certificate_rejects_bad_input() -> None:
    d = discretise(linear_boundary_game(), 2)
    st = WernerStrategy(np.ones(2), np.zeros((2, 3)), np.ones(2), np.zeros((2, 3)))
    with pytest.raises(BoundsParameterError, match="`v`"):
        werner_certificate(d, st, 1.2)
    with pytest.raises(BoundsParameterError, match="`denominator`"):
        werner_certificate(d, st, 0.5, denominator=0)
    with pytest.raises(BoundsParameterError, match="same N"):
        werner_certificate(discretise(linear_boundary_game(), 3), st, 0.5)


def test_mixture_claims_follow_the_lemmas() -> None:
    cl = {"game": {"type": "linear", "s": "1"}, "N": 4, "bound": "3/4"}
    qu = {"bound": "9/10"}
    assert Fraction(mixture_certificate(Fraction(1, 2), cl, qu)["bound"]) == Fraction(33, 40)
    low = mixture_certificate(Fraction(1, 2), cl, qu, mode="local-model", local_visibility=Fraction(6874, 10000))
    assert Fraction(low["bound"]) == Fraction(3, 4)  # below v_L: the classical value
    with pytest.raises(BoundsParameterError, match="local_visibility"):
        mixture_certificate(0.5, cl, qu, mode="local-model")
    with pytest.raises(BoundsParameterError, match="`mode`"):
        mixture_certificate(0.5, cl, qu, mode="other")
