"""Checkers of the K-party correlator-game kinds against independent computations (brute force, numpy density matrices)."""

from __future__ import annotations

import copy
import itertools
from fractions import Fraction

import numpy as np
import pytest

from bounds.multiparty_classical import FactoredPairwise, stand_in, strategy_certificate, threshold_certificates
from proofs.checkers.registry import check_certificate
from proofs.exact.errors import CertificateError, CertificateFormatError


def brute_force(W: dict, K: int, N: int, const: float = 0.0) -> float:
    """max over every deterministic strategy of every player (independent of the code under test)."""
    best = -np.inf
    for bits in itertools.product((1.0, -1.0), repeat=N * K):
        s = np.array(bits).reshape(K, N)
        v = const
        for S, w in W.items():
            t = w
            for i in reversed(S):
                t = t @ s[i]
            v += float(t)
        best = max(best, v)
    return best


@pytest.mark.parametrize(("N", "nu"), [(2, Fraction(1, 5)), (3, Fraction(1, 2)), (4, Fraction(1)), (4, Fraction(3, 10))])
def test_threshold_upper_bound_equals_brute_force_over_all_strategies(N: int, nu: Fraction) -> None:
    fg = stand_in(N, nu)
    g = fg.game()
    truth = brute_force(dict(g.terms), 3, N)
    certs = threshold_certificates(fg)
    up, lo = check_certificate(certs["upper"]), check_certificate(certs["lower"])
    assert abs(float(up.details["proven"]) - truth) < 1e-12 and lo.value == up.value


def test_threshold_rejects_a_claim_below_the_maximum() -> None:
    certs = threshold_certificates(stand_in(4, Fraction(1, 2)))
    c = copy.deepcopy(certs["upper"])
    c["bound"] = str(Fraction(c["bound"]) - Fraction(1, 10**12))
    with pytest.raises(CertificateError, match="below the classical value"):
        check_certificate(c)


def test_threshold_refuses_negative_probabilities() -> None:
    # flipping p(1) leaves W unchanged only if every weight with x = 1 or y = 1 vanishes: build such a forgery on a game whose
    # optimum is not a threshold tuple, and check the refusal is the sign test (lemma M2 needs p >= 0)
    from bounds.multiparty_classical import FactoredPairwise

    p = (Fraction(1, 3), Fraction(-1, 3), Fraction(1, 3))
    m = (Fraction(0), Fraction(1), Fraction(2))
    a = ((Fraction(1), Fraction(0)), (Fraction(0), Fraction(0)))
    fg_pos = FactoredPairwise(3, (Fraction(1, 3),) * 3, m, {(0, 1): a, (0, 2): a, (1, 2): a})
    certs = threshold_certificates(fg_pos)
    g = fg_pos.game()
    # the game W[x, y] = p(x) p(y) with p = (1, -1, 1)/3: the optimum s(x) = sign p(x) is not a threshold
    W = np.outer([1, -1, 1], [1, -1, 1]) / 9.0
    truth = brute_force({S: W for S in g.terms}, 3, 3)
    from proofs.exact.correlator_game import describe, integer_weights, weights_fields

    exact = [Fraction(int(u * v), 9) for u in (1, -1, 1) for v in (1, -1, 1)]
    w = integer_weights(Fraction(0), {S: exact for S in g.terms})
    c = copy.deepcopy(certs["upper"])
    c.update(weights_fields(w))
    c["game"] = describe(w, 3, 3, "value")
    c["probabilities"] = [str(q) for q in p]
    c["bound"] = "1"  # the maximum over thresholds (3 * 1/9 * 3) is 1 ... below the truth 3
    assert truth == pytest.approx(3.0)
    with pytest.raises(CertificateError, match="non-negative"):
        check_certificate(c)


def test_threshold_refuses_non_increasing_features_and_wrong_factors() -> None:
    certs = threshold_certificates(stand_in(3, Fraction(1, 2)))
    c = copy.deepcopy(certs["upper"])
    c["features"] = list(reversed(c["features"]))
    with pytest.raises(CertificateError, match="strictly increasing"):
        check_certificate(c)
    c = copy.deepcopy(certs["upper"])
    c["kernels"][0]["matrix"][1][1] = "0"
    with pytest.raises(CertificateError, match="factored form"):
        check_certificate(c)


def test_strategy_lower_bound_is_the_exact_value() -> None:
    fg = stand_in(3, Fraction(1, 2))
    g = fg.game()
    rng = np.random.default_rng(3)
    signs = [list(rng.choice([1, -1], 3)) for _ in range(3)]
    c = strategy_certificate(g, signs)
    b = check_certificate(c)
    assert abs(float(b.details["proven"]) - g.deterministic_value([np.array(s) for s in signs])) < 1e-12
    c["bound"] = str(b.details["proven"] + Fraction(1, 10**15))
    with pytest.raises(CertificateError, match="exceeds"):
        check_certificate(c)


def test_weights_must_match_the_header() -> None:
    c = threshold_certificates(stand_in(3, Fraction(1, 2)))["lower"]
    c["terms"][0]["weights"][0] += 1
    with pytest.raises((CertificateError, CertificateFormatError)):
        check_certificate(c)


# --------------------------------------------------------------------------- quantum


def dims_of(order: list[int], dims: list[int]) -> list[int]:
    return [dims[s] for s in order]


def test_threshold_with_one_body_terms_equals_brute_force() -> None:
    # one-body terms break the global flip symmetry: the last player's orientation must be enumerated
    from bounds.multiparty_classical import FactoredPairwise

    rng = np.random.default_rng(11)
    for _ in range(8):
        def q() -> Fraction:
            return Fraction(int(rng.integers(-9, 10)), int(rng.integers(1, 6)))

        kern = {S: ((q(), q()), (q(), q())) for S in itertools.combinations(range(3), 2)}
        kern[(2,)] = (q(), q())
        fg = FactoredPairwise(3, (Fraction(1, 2), Fraction(1, 3), Fraction(1, 6)), (Fraction(0), Fraction(1), Fraction(3)), kern)
        g = fg.game()
        truth = brute_force(dict(g.terms), 3, 3)
        b = check_certificate(threshold_certificates(fg)["upper"])
        assert abs(float(b.details["proven"]) - truth) < 1e-12


# --------------------------------------------------------------------------- constant-weight terms of three or more players


def _four_router_like(rng: np.random.Generator, a4: Fraction) -> FactoredPairwise:

    def q() -> Fraction:
        return Fraction(int(rng.integers(-9, 10)), int(rng.integers(1, 6)))

    kern: dict = {S: ((q(), q()), (q(), q())) for S in itertools.combinations(range(4), 2)}
    kern[(0, 1, 2, 3)] = a4
    return FactoredPairwise(4, (Fraction(1, 2), Fraction(1, 3), Fraction(1, 6)), (Fraction(0), Fraction(1), Fraction(3)), kern, q())


@pytest.mark.parametrize("a4", [Fraction(-60), Fraction(-7, 2), Fraction(5), Fraction(1, 8)])
def test_threshold_with_a_four_body_term_equals_brute_force(a4: Fraction) -> None:
    rng = np.random.default_rng(abs(int(a4 * 8)) + 40)
    for _ in range(3):
        fg = _four_router_like(rng, a4)
        g = fg.game()
        truth = brute_force(dict(g.terms), 4, 3, float(fg.constant))
        certs = threshold_certificates(fg)
        up = check_certificate(certs["upper"])
        assert abs(float(up.details["proven"]) - truth) < 1e-12
        c = copy.deepcopy(certs["upper"])
        c["bound"] = str(up.details["proven"] - Fraction(1, 10**12))
        with pytest.raises(CertificateError, match="below the classical value"):
            check_certificate(c)


def test_the_four_body_term_changes_the_value() -> None:
    # the same pairs without the four-body term have another classical value: the checker must count the term
    rng = np.random.default_rng(44)
    fg = _four_router_like(rng, Fraction(-60))
    g = fg.game()
    pairs_only = {S: w for S, w in g.terms.items() if len(S) == 2}
    with_term = brute_force(dict(g.terms), 4, 3, float(fg.constant))
    without = brute_force(pairs_only, 4, 3, float(fg.constant))
    assert abs(with_term - without) > 1e-3
    assert abs(float(check_certificate(threshold_certificates(fg)["upper"]).details["proven"]) - with_term) < 1e-12


def test_threshold_refuses_a_many_body_term_of_non_constant_weight() -> None:
    fg = _four_router_like(np.random.default_rng(45), Fraction(5))
    c = copy.deepcopy(threshold_certificates(fg)["upper"])
    k = next(i for i, kern in enumerate(c["kernels"]) if len(kern["players"]) == 4)
    c["kernels"][k]["matrix"] = str(Fraction(c["kernels"][k]["matrix"]) + Fraction(1, 10**6))
    with pytest.raises(CertificateError, match="constant-weight form"):
        check_certificate(c)
    c["kernels"][k]["matrix"] = [["1", "0"], ["0", "0"]]
    with pytest.raises(CertificateFormatError, match="one rational"):
        check_certificate(c)
