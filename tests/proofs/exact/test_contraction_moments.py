"""The word machinery of the rank-2 relaxation against operators built directly (random Hermitian contractions)."""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest

from proofs.exact.contraction_moments import (
    Direction,
    Weight,
    canonical,
    contraction_structure,
    dual_sums,
    moment_bound,
    objective_weights,
    proven_value,
)
from proofs.exact.errors import QcoordParameterError


def _herm(rng: np.random.Generator, d: int) -> np.ndarray:
    a = rng.normal(size=(d, d)) + 1j * rng.normal(size=(d, d))
    h = (a + a.conj().T) / 2
    return h / np.linalg.norm(h, 2)


def _operators(K: int, rng: np.random.Generator) -> tuple[list[list[np.ndarray]], np.ndarray]:
    """O_i^a on a tensor product of K qubits (routers commute), a random pure state."""
    d = 2
    ops = []
    for i in range(K):
        row = []
        for _a in (0, 1):
            loc = _herm(rng, d)
            row.append(np.kron(np.kron(np.eye(d**i), loc), np.eye(d ** (K - i - 1))))
        ops.append(row)
    psi = rng.normal(size=d**K) + 1j * rng.normal(size=d**K)
    return ops, psi / np.linalg.norm(psi)


def _op(word: tuple[str, ...], ops: list[list[np.ndarray]]) -> np.ndarray:
    D = ops[0][0].shape[0]
    out = np.eye(D, dtype=complex)
    for p, s in enumerate(word):
        for ch in s:
            out = out @ ops[p][int(ch)]
    return out


def _y(word: tuple[str, ...], ops: list[list[np.ndarray]], psi: np.ndarray) -> float:
    return float(np.real(psi.conj() @ _op(word, ops) @ psi))


def _rand_upper(rng: np.random.Generator, n: int, e: int) -> list[int]:
    return [int(v) for v in rng.integers(-(2**e), 2**e, size=n * (n + 1) // 2)]


def _full(flat: list[int], n: int, e: int) -> np.ndarray:
    m = np.zeros((n, n))
    m[np.triu_indices(n)] = np.array(flat, dtype=float) / 2**e
    return m + np.triu(m, 1).T


@pytest.mark.parametrize(("K", "level"), [(2, "1+ab"), (3, "1+ab"), (2, "1+ab+even"), (3, "1+ab+even")])
def test_dual_sums_match_matrices_built_from_operators(K: int, level: str) -> None:
    rng = np.random.default_rng(K)
    ops, psi = _operators(K, rng)
    cs = contraction_structure(K, level)
    e = 10
    n, m, nw = cs.size, cs.local_size, cs.weighted_size
    Z = _rand_upper(rng, n, e)
    dirs = [Direction(Fraction(-1, 2), Fraction(1), Fraction(3, 2)), Direction(Fraction(1), Fraction(1, 3), Fraction(2))]
    Y = [[_rand_upper(rng, m, e) for _ in range(K)] for _ in dirs]
    wts = [Weight((Fraction(1),), (Fraction(2), Fraction(1, 3), Fraction(5, 2)))]
    V = [[_rand_upper(rng, nw, e) for _ in range(K)] for _ in wts]
    # the pairing computed directly from operator products (no word keys)
    def word_op(w: tuple[str, ...]) -> np.ndarray:
        return _op(w, ops)
    els = [word_op(w) for w in cs.elements]
    gam = np.array([[np.real(psi.conj() @ a.conj().T @ b @ psi) for b in els] for a in els])
    total = float(np.sum(_full(Z, n, e) * gam))
    for d, row in zip(dirs, Y):
        for i, flat in enumerate(row):
            T = float(d.alpha) * ops[i][0] + float(d.beta) * ops[i][1]
            core = float(d.H) ** 2 * np.eye(T.shape[0]) - T @ T
            loc = [word_op(w) for w in cs.locals_[i]]
            L = np.array([[np.real(psi.conj() @ a.conj().T @ core @ b @ psi) for b in loc] for a in loc])
            total += float(np.sum(_full(flat, m, e) * L))
    for wt, row in zip(wts, V):
        R = np.array([[float(wt.R[0]), float(wt.R[1])], [float(wt.R[1]), float(wt.R[2])]])
        for i, flat in enumerate(row):
            lv = [word_op(w) for w in cs.level1]
            G = np.array([[np.real(psi.conj() @ a.conj().T @ b @ psi) for b in lv] for a in lv])
            # right block: the words l_m as operators (level 1+ab: the identity alone; 1+ab+even: also every O_j^a O_k^b)
            rv = [np.eye(ops[0][0].shape[0])] if level == "1+ab" else [np.eye(ops[0][0].shape[0])] + [
                ops[j][a] @ ops[k][b] for j, k in itertools.combinations(range(K), 2) for a in (0, 1) for b in (0, 1)] + [
                ops[j][a] @ ops[j][b] for j in range(K) for a in (0, 1) for b in (0, 1)]
            ell = np.array([[np.real(psi.conj() @ a.conj().T @ ops[i][s] @ r @ psi) for r in rv] for s in (0, 1) for a in lv])
            gr = np.array([[np.real(psi.conj() @ a.conj().T @ b @ psi) for b in rv] for a in rv])
            M = np.block([[np.kron(R, G), ell], [ell.T, gr]])
            total += float(np.sum(_full(flat, nw, e) * M))
    sums = dual_sums(cs, Z, Y, dirs, e, V, wts)
    via_words = sum(float(v) * _y(w, ops, psi) for w, v in sums.items())
    assert abs(total - via_words) < 1e-9 * max(1.0, abs(total))


def test_canonical_is_the_adjoint_class() -> None:
    rng = np.random.default_rng(5)
    ops, psi = _operators(3, rng)
    for w in [("01", "1", ""), ("10", "0", "1"), ("11", "", "0")]:
        assert abs(_y(w, ops, psi) - _y(canonical(w), ops, psi)) < 1e-12


def test_objective_weights_are_the_pair_kernel() -> None:
    A = (Fraction(1, 4), Fraction(-1, 12), Fraction(-1, 3))
    w = objective_weights(3, A, Fraction(1, 4))
    assert len(w) == 3 * 4  # three pairs, four letter pairs each (O^0 O^1 and O^1 O^0 are different words)
    assert w[("0", "0", "")] == Fraction(1, 4) and w[("", "1", "1")] == Fraction(-1, 3)
    assert w[("0", "", "1")] == Fraction(-1, 12) and w[("1", "", "0")] == Fraction(-1, 12)
    w4 = objective_weights(4, A, Fraction(1, 8))
    assert w4[("0", "0", "0", "0")] == Fraction(1, 8)


def test_moment_bound_and_proven_value_residual() -> None:
    cs = contraction_structure(2)
    assert moment_bound(("11", "1"), Fraction(2)) == 8
    # residual charged with the letter bound: |c + s| m1^(#1) on a word with two letters 1
    v, r = proven_value(cs, {("1", "1"): Fraction(1)}, {("", ""): Fraction(1)}, Fraction(3))
    assert r == 9 and v == 10


def test_structure_sizes_and_errors() -> None:
    assert [contraction_structure(K).size for K in (2, 3, 4)] == [9, 19, 33]
    assert [contraction_structure(K).weighted_size for K in (2, 3, 4)] == [11, 15, 19]
    assert [contraction_structure(K, "1+ab+even").weighted_size for K in (2, 3, 4)] == [23, 39, 59]   # + 4 C(K, 2) pair elements + 4 K squares
    with pytest.raises(QcoordParameterError, match="`level` must be one of"):
        contraction_structure(3, "2")
    with pytest.raises(QcoordParameterError, match="`K` must be one of"):
        contraction_structure(1)
    for K in (2, 3):
        for level in ("1+ab", "1+ab+even"):
            cs = contraction_structure(K, level)
            keys = set(cs.moments())
            for a, b in itertools.product(range(cs.size), repeat=2):
                assert cs.entry(a, b) in keys


@pytest.mark.parametrize(("alpha", "beta"), [(Fraction(-1, 2), Fraction(1)), (Fraction(3), Fraction(-2)), (Fraction(1), Fraction(1, 3)),
                                             (Fraction(0), Fraction(-1)), (Fraction(-5, 2), Fraction(1))])
def test_support_function_matches_quadrature(alpha: Fraction, beta: Fraction) -> None:
    """h(alpha, beta) = E|alpha + beta X| of the arb formulas against scipy quadrature (exponential rate 2 and uniform on [0, 2])."""
    from scipy import integrate

    from proofs.exact.contraction_moments import support_ball
    from proofs.exact.laws import working_precision

    a, b = float(alpha), float(beta)
    kink = [-a / b] if b and -a / b > 0 else []
    exp_q = sum(integrate.quad(lambda x: abs(a + b * x) * 2 * np.exp(-2 * x), lo, hi)[0]
                for lo, hi in zip([0.0] + kink, kink + [np.inf]))
    uni_q = integrate.quad(lambda x: abs(a + b * x) / 2, 0, 2, points=[k for k in kink if k < 2] or None)[0]
    with working_precision(128):
        e = support_ball("exponential", Fraction(2), alpha, beta)
        u = support_ball("uniform", None, alpha, beta)
    assert abs(float(e.mid()) - exp_q) < 1e-9
    assert abs(float(u.mid()) - uni_q) < 1e-9
