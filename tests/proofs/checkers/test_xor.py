"""Tests of the xor-* checkers: acceptance of genuine certificates, rejection of forgeries, and every margin."""

from __future__ import annotations

import copy
import itertools
from fractions import Fraction
from typing import Any

import numpy as np
import pytest

from proofs.checkers import xor as cx
from proofs.checkers.registry import check_certificate
from proofs.exact.certificate import new_certificate
from proofs.exact.errors import CertificateError, CertificateFormatError
from proofs.exact.xor_matrix import XorMatrix, integer_form

CHSH = [[Fraction(1, 4), Fraction(1, 4)], [Fraction(1, 4), Fraction(-1, 4)]]


def _bias(m):  # noqa: ANN001, ANN202
    return [[f"{q.numerator}/{q.denominator}" for q in row] for row in m]


def _cert(kind, m, side, bound, **data):  # noqa: ANN001, ANN003, ANN202
    ints, den = integer_form(m)
    return new_certificate(kind, XorMatrix.from_matrix(m), len(m), side, Fraction(bound), denominator=den, bias=ints, **data)


def _brute(m) -> Fraction:  # noqa: ANN001
    """Classical value by enumerating both players' signs (independent of the checker's meet-in-the-middle)."""
    best = None
    for a in itertools.product((1, -1), repeat=len(m)):
        for b in itertools.product((1, -1), repeat=len(m[0])):
            v = sum(q * x * y for x, row in zip(a, m) for q, y in zip(row, b))
            best = v if best is None or v > best else best
    return Fraction(1, 2) + best / 2


# ---------------------------------------------------------------- the matrix and its header
def test_tampered_matrix_is_refused() -> None:
    c = _cert("xor-classical", CHSH, "upper", Fraction(3, 4), search="exhaustive")
    c["bias"][1][1] = 1  # the all-positive game, value 1: the header's sha256 no longer matches
    with pytest.raises(CertificateError, match="sha256"):
        check_certificate(c)


def test_non_canonical_or_non_integer_matrix_is_refused() -> None:
    c = _cert("xor-classical", CHSH, "upper", Fraction(3, 4), search="exhaustive")
    c2 = {**c, "denominator": 8, "bias": [[2, 2], [2, -2]]}  # the same matrix, not in lowest terms
    with pytest.raises(CertificateFormatError, match="lowest terms"):
        check_certificate(c2)
    c3 = {**c, "bias": [["1", 1], [1, -1]]}
    with pytest.raises(CertificateFormatError, match="JSON integers"):
        check_certificate(c3)


def test_matrix_that_is_not_a_game_is_refused() -> None:
    m = [[Fraction(1, 4), Fraction(1, 4)], [Fraction(1, 4), Fraction(-3, 8)]]
    with pytest.raises(CertificateFormatError, match="at most 1"):
        check_certificate(_cert("xor-classical", m, "upper", 1, search="exhaustive"))


def test_xor_matrix_game_has_no_cells() -> None:
    # a cell-based kind naming an xor-matrix game ends in a format error, not a crash
    c = new_certificate("tsirelson-dual", XorMatrix.from_matrix(CHSH), 2, "upper", Fraction(1), bins=2, x=["1"] * 2, y=["1"] * 2)
    with pytest.raises(CertificateFormatError):
        check_certificate(c)


# ---------------------------------------------------------------- xor-classical
def test_classical_exhaustive_matches_enumeration_of_both_players() -> None:
    rng = np.random.default_rng(3)
    for _ in range(20):
        r, c = int(rng.integers(1, 6)), int(rng.integers(1, 6))
        ints = rng.integers(-5, 6, (r, c))
        ints[0, 0] = ints[0, 0] or 1
        tot = int(np.abs(ints).sum())
        m = [[Fraction(int(v), tot) for v in row] for row in ints]
        truth = _brute(m)
        assert check_certificate(_cert("xor-classical", m, "upper", truth, search="exhaustive")).details["proven"] == truth
        with pytest.raises(CertificateError):
            check_certificate(_cert("xor-classical", m, "upper", truth - Fraction(1, 10**12), search="exhaustive"))


def test_classical_strategy_lower_bound_is_exact() -> None:
    c = _cert("xor-classical", CHSH, "lower", Fraction(3, 4), a=[1, 1], b=[1, 1])
    assert check_certificate(c).value == Fraction(3, 4)
    with pytest.raises(CertificateError):
        check_certificate(_cert("xor-classical", CHSH, "lower", Fraction(3, 4) + Fraction(1, 10**15), a=[1, 1], b=[1, 1]))
    with pytest.raises(CertificateFormatError):
        check_certificate(_cert("xor-classical", CHSH, "lower", Fraction(1, 2), a=[1, 0], b=[1, 1]))


def test_classical_exhaustive_beyond_int64_is_exact_by_lemma_x4b() -> None:
    # common denominator 2^62 * 3 > 2^62: the int64 search could overflow; lemma X4b's rounded search with exact
    # recheck of the near ties gives the exact value
    big = 2**62 * 3
    m = [[Fraction(1, 2), Fraction(big // 2 - 1, big)], [Fraction(1, big), Fraction(0)]]
    assert sum(abs(q) for row in m for q in row) == 1
    truth = _brute(m)
    c = check_certificate(_cert("xor-classical", m, "upper", truth, search="exhaustive"))
    assert c.details["proven"] == truth and "X4b" in c.checker
    with pytest.raises(CertificateError):
        check_certificate(_cert("xor-classical", m, "upper", truth - Fraction(1, big), search="exhaustive"))
    rng, beyond = np.random.default_rng(11), 0
    for _ in range(12):  # toqito-style float games (shortest decimals: denominators of 10^17 and more), both orientations
        r, c_ = int(rng.integers(1, 7)), int(rng.integers(1, 7))
        w = rng.random((r, c_)) * rng.choice([1, -1], (r, c_)) * 10.0 ** rng.uniform(-4, 0, (r, c_))
        m = [[Fraction(repr(float(v / np.abs(w).sum()))) for v in row] for row in w]
        tot = sum(abs(q) for row in m for q in row)
        m = [[q / tot for q in row] for row in m]  # renormalised exactly, as games.xor does
        truth = _brute(m)
        beyond += integer_form(m)[1] >= 2**62
        assert check_certificate(_cert("xor-classical", m, "upper", truth, search="exhaustive")).details["proven"] == truth
        with pytest.raises(CertificateError):
            check_certificate(_cert("xor-classical", m, "upper", truth - Fraction(1, 10**30), search="exhaustive"))
    assert beyond >= 6  # most of them beyond int64


def test_classical_exhaustive_limit() -> None:
    k = cx.EXHAUSTIVE_LIMIT + 1
    m = [[Fraction(1, k * k)] * k for _ in range(k)]
    with pytest.raises(CertificateFormatError, match="min\\(rows, cols\\)"):
        check_certificate(_cert("xor-classical", m, "upper", 1, search="exhaustive"))


# ---------------------------------------------------------------- xor-quantum-vectors
ONE = 2**cx.VECTOR_BITS


def _vec(*ks: int) -> list[str]:
    return [f"{k}/{ONE}" for k in ks]


def test_vectors_value_is_exact_for_chsh_angles() -> None:
    # u = e1, e2; v = (e1 +- e2)/sqrt2 truncated to the dyadic grid: value just below cos^2(pi/8)
    s = int(ONE / 2**0.5) - 1
    c = _cert("xor-quantum-vectors", CHSH, "lower", Fraction(85, 100), u=[_vec(ONE, 0), _vec(0, ONE)], v=[_vec(s, s), _vec(s, -s)])
    b = check_certificate(c)
    exact = Fraction(1, 2) + Fraction(4 * s, 8 * ONE)  # 1/2 + 1/2 * (1/4)(s + s + s + s)/ONE
    assert b.details["proven"] == exact and 0.8535533 < float(exact) < 0.85355339060


def test_vectors_longer_than_one_are_refused() -> None:
    # a vector of norm sqrt(2) > 1 would "win" with correlation above 1
    c = _cert("xor-quantum-vectors", CHSH, "lower", Fraction(1, 2), u=[_vec(ONE, ONE), _vec(0, ONE)], v=[_vec(ONE, 0), _vec(0, ONE)])
    with pytest.raises(CertificateError, match="norm greater than 1"):
        check_certificate(c)


def test_vectors_norms_read_every_coordinate_and_name_the_vector() -> None:
    from proofs.checkers.xor import check_xor_vectors_ints
    from proofs.exact.xor_matrix import BiasMatrix

    k = 2**60
    bm = BiasMatrix(((1, 1), (1, -1)), 4)
    u = [[k, 0, 0], [0, k, 0]]
    ok = [[0, 0, k], [0, 3 * k // 5, 4 * k // 5]]  # unit vectors: accepted
    assert check_xor_vectors_ints(bm, u, [[k, 0, 0], [0, 0, k]]).value == Fraction(5, 8)  # only <u_0, v_0> = 1: 1/2 + 1/8
    check_xor_vectors_ints(bm, u, ok)
    for bad, name in (([[0, 0, k], [0, 3 * k // 5, 4 * k // 5 + 2**10]], "v\\[1\\]"), ([[1, 0, k], ok[1]], "v\\[0\\]")):
        with pytest.raises(CertificateError, match=f"vector {name} has norm greater than 1"):
            check_xor_vectors_ints(bm, u, bad)  # the excess only in the last (or first) coordinate


def test_vectors_must_be_on_the_dyadic_grid() -> None:
    c = _cert("xor-quantum-vectors", CHSH, "lower", Fraction(1, 2), u=[["1/3"], ["1/3"]], v=[["1/3"], ["1/3"]])
    with pytest.raises(CertificateFormatError, match="k/2"):
        check_certificate(c)


def test_vectors_forged_claim_rejected() -> None:
    c = _cert("xor-quantum-vectors", CHSH, "lower", Fraction(3, 4) + Fraction(1, 10**20), u=[_vec(ONE), _vec(ONE)], v=[_vec(ONE), _vec(ONE)])
    with pytest.raises(CertificateError, match="exceeds"):
        check_certificate(c)


# ---------------------------------------------------------------- xor-quantum-dual
def test_dual_exact_route_accepts_and_rejects_at_the_threshold() -> None:
    # CHSH: Z = [[t I, -M/2], [-M^T/2, t I]] is PSD iff t >= ||M/2|| = sqrt(2)/8 = 0.17677669...
    ok = _cert("xor-quantum-dual", CHSH, "upper", 1, model="quantum", x=["17678/100000"] * 2, y=["17678/100000"] * 2)
    assert check_certificate(ok).details["psd_method"] == "scaled-schur"  # margin 2e-6: the verified route (lemma X1b) proves it
    # M = [[1/2, 1/2]], x = 1/2, y = (1/4, 1/4): the Schur complement 1/4 I - 1/8 J is PSD and singular, so only the
    # exact route (lemma B) proves it; one part in 10^30 less on y is not PSD
    m = [[Fraction(1, 2), Fraction(1, 2)]]
    edge = _cert("xor-quantum-dual", m, "upper", 1, model="quantum", x=["1/2"], y=["1/4", "1/4"])
    assert check_certificate(edge).details["psd_method"] == "exact-bareiss"
    below = _cert("xor-quantum-dual", m, "upper", 1, model="quantum", x=["1/2"], y=["1/4", str(Fraction(1, 4) - Fraction(1, 10**30))])
    with pytest.raises(CertificateError, match="positive semidefinite"):
        check_certificate(below)
    bad = _cert("xor-quantum-dual", CHSH, "upper", 1, model="quantum", x=["17677/100000"] * 2, y=["17677/100000"] * 2)
    with pytest.raises(CertificateError, match="positive semidefinite"):
        check_certificate(bad)


def test_dual_claim_below_proven_value_rejected() -> None:
    c = _cert("xor-quantum-dual", CHSH, "upper", Fraction(8535, 10000), model="quantum", x=["17678/100000"] * 2, y=["17678/100000"] * 2)
    with pytest.raises(CertificateError, match="below what the dual proves"):
        check_certificate(c)


def test_dual_classical_model_targets_the_classical_value() -> None:
    c = _cert("xor-quantum-dual", CHSH, "upper", 1, model="classical", x=["17678/100000"] * 2, y=["17678/100000"] * 2)
    assert check_certificate(c).target.player_model == "classical"
    c["model"] = "nonsignalling"
    with pytest.raises(CertificateFormatError):
        check_certificate(c)


def _big_game() -> list[list[Fraction]]:
    # 33 x 33 (rows + cols > EXACT_PSD_LIMIT): entries k/(3 T), not dyadic, so the enclosure radii are non-zero
    rng = np.random.default_rng(5)
    ints = rng.integers(1, 9, (33, 33)) * rng.choice([1, -1], (33, 33))
    tot = int(np.abs(ints).sum())
    return [[Fraction(int(v), tot) for v in row] for row in ints]


def test_dual_schur_route_reduces_the_weights_by_the_enclosure_radius(monkeypatch) -> None:  # noqa: ANN001
    # lemma Q2's margin: the PSD test must run on x' <= x - 1/2 (row sums of r), y' likewise
    m = _big_game()
    _mc, r = cx.enclosure(*integer_form(m))
    assert r.max() > 0
    seen = {}

    def spy(b, x, y):  # noqa: ANN001, ANN202
        seen["x"], seen["y"] = x.copy(), y.copy()
        from proofs.exact.psd import PsdCheck

        return PsdCheck(True, "verified-schur")

    monkeypatch.setattr(cx, "verified_schur_psd", spy)
    monkeypatch.setattr(cx, "lean_schur_psd", spy)
    monkeypatch.setattr(cx, "_scaled_test", lambda bm, x, y: None)  # lemma Q2's route (lemma X1b has its own tests)
    # tiny weights (2^-60, ulp 2^-112) so that the radii (about 1e-19 per entry) are visible next to the rounding of x
    w = Fraction(1, 2**60)
    c = _cert("xor-quantum-dual", m, "upper", 1, model="quantum", x=[str(w)] * 33, y=[str(w)] * 33)
    check_certificate(c)
    for i in range(33):
        assert Fraction(float(seen["x"][i])) <= w - sum(Fraction(float(t)) for t in r[i]) / 2
        assert Fraction(float(seen["y"][i])) <= w - sum(Fraction(float(t)) for t in r[:, i]) / 2


def test_dual_schur_route_accepts_a_solver_dual_and_rejects_a_lowered_one() -> None:
    from bounds.xor import solve_quantum, xor_dual_certificate
    from games.xor import XorMatrixGame

    m = _big_game()
    g = XorMatrixGame.from_bias(_bias(m))
    s = solve_quantum(g)
    c = xor_dual_certificate(g, s.x, s.y)
    b = check_certificate(c)
    assert b.details["psd_method"] == "scaled-schur" and "X1b" in b.checker
    low = copy.deepcopy(c)
    low["x"] = [f"{Fraction(t) - Fraction(1, 10**6)}" for t in c["x"]]
    with pytest.raises(CertificateError, match="positive semidefinite"):
        check_certificate(low)


# ---------------------------------------------------------------- lemma X1a: the lean Schur test
def _required_shift(b, x, y) -> Fraction:  # noqa: ANN001
    """Lemma Q5's and Theorem V's shift, exactly, from :mod:`proofs.exact.psd` (the lean test must use at least this)."""
    from proofs.exact.psd import rump_shift, schur_enclosure

    enc = schur_enclosure(b, x, y)
    return Fraction(rump_shift(enc.a)) + enc.err


def _lean_cases():  # noqa: ANN202
    rng = np.random.default_rng(7)
    out = []
    for n, k in ((1, 1), (2, 2), (3, 5), (6, 4), (9, 9)):
        b = rng.integers(-8, 9, (n, k)) / 64.0  # dyadic: F = B and G = F^T F are exact (x = 1), so both routes form the same A
        x = np.ones(n)
        y = (b * b).sum(axis=0) + rng.integers(0, 4, k) / 16.0
        out.append((b, x, y))
    # underflow: G = 0 and a Schur diagonal of subnormals, where only the 2^-1000 term covers Theorem V's underflow term
    out.append((np.zeros((1, 3)), np.ones(1), np.full(3, 5e-324)))
    # a float trace that loses 39 * 2^-53 relative when summed in order: only the factor 1 + 2^-30 covers it
    out.append((np.zeros((1, 40)), np.ones(1), np.array([1.0] + [2.0**-53] * 39)))
    return out


@pytest.mark.parametrize("loops", [True, False])
def test_lean_shift_covers_the_exact_shift_of_lemma_q5(loops, monkeypatch) -> None:  # noqa: ANN001
    monkeypatch.setattr(cx, "_LEAN_LOOPS", 10**9 if loops else 0)
    for b, x, y in _lean_cases():
        res = cx.lean_schur_psd(b, x, y)
        assert res is not None
        assert Fraction(res.shift) >= _required_shift(b, x, y)


def test_lean_schur_agrees_with_the_exact_test_away_from_the_margin() -> None:
    from proofs.exact.psd import exact_psd

    rng = np.random.default_rng(11)
    for n, k in ((2, 2), (4, 3), (12, 12), (20, 16)):  # both the Python-loop and the numpy forms
        b = rng.standard_normal((n, k)) / (2 * n * k)
        x = rng.uniform(0.01, 0.1, n)
        q = b.T @ (b / x[:, None])  # B^T X^-1 B: Z >= 0 iff diag(y) >= it
        top = float(np.linalg.eigvalsh(q)[-1])
        for s, want in ((np.full(k, top * (1 + 1e-3) + 1e-6), True), (0.9 * np.diag(q), False)):
            z = np.block([[np.diag(x), b], [b.T, np.diag(s)]])
            assert exact_psd(z).ok is want
            res = cx.lean_schur_psd(b, x, s)
            assert (res is not None and res.ok) is want


def test_lean_schur_refuses_out_of_range_input(monkeypatch) -> None:  # noqa: ANN001
    b = np.array([[-0.5]])
    assert cx.lean_schur_psd(b, np.array([2.0**-950]), np.array([1.0])) is None  # x below 2^-900
    assert cx.lean_schur_psd(b, np.array([float("nan")]), np.array([1.0])) is None
    assert cx.lean_schur_psd(b, np.array([1.0]), np.array([float("inf")])) is None
    assert cx.lean_schur_psd(np.array([[2.0**45]]), np.array([1.0]), np.array([2.0**100])) is None  # |F| above 2^40
    b2, one = np.array([[-0.5, 0.0], [0.0, -0.5]]), np.array([1.0, 1.0])
    for limit in (0, 10**9):  # a NaN after the first weight (Python's min and max would pass over it), both forms
        monkeypatch.setattr(cx, "_LEAN_LOOPS", limit)
        assert cx.lean_schur_psd(b2, np.array([1.0, float("nan")]), one) is None
        assert cx.lean_schur_psd(b2, one, np.array([1.0, float("nan")])) is None
        assert getattr(cx.lean_schur_psd(b2, one, one), "ok", False)


@pytest.mark.parametrize("limit", [0, 10**9])
def test_every_lean_form_refuses_a_cholesky_breakdown(limit, monkeypatch) -> None:  # noqa: ANN001
    # in range (Schur diagonal 1/2 >= 0, |F| = 1) but S = [[1/2, -1], [-1, 1/2]] is indefinite: the shifted Cholesky breaks
    # down, in the numpy form (cholesky_lower's NaN factor) and in the loops; a larger y proves PSD in both
    monkeypatch.setattr(cx, "_LEAN_LOOPS", limit)
    b, x = np.array([[1.0, 1.0], [0.0, 0.0]]), np.array([1.0, 1.0])
    res = cx.lean_schur_psd(b, x, np.array([1.5, 1.5]))
    assert res is not None and res.ok is False and "broke down" in res.reason
    assert getattr(cx.lean_schur_psd(b, x, np.array([2.5, 2.5])), "ok", False)


@pytest.mark.parametrize("gufunc", [True, False])
def test_cholesky_lower_is_numpys_factor_and_nan_on_breakdown(gufunc, monkeypatch) -> None:  # noqa: ANN001
    if not gufunc:  # the fallback (another numpy layout): numpy.linalg.cholesky, its LinAlgError as NaN
        monkeypatch.setattr(cx, "_CHOLESKY_LO", None)
    rng = np.random.default_rng(5)
    for n in (1, 3, 8, 17):
        w = rng.standard_normal((n, n))
        a = w @ w.T + n * np.eye(n)
        a[np.triu_indices(n, 1)] = 7.0  # only the lower triangle is read, as by numpy.linalg.cholesky
        assert np.allclose(cx.cholesky_lower(a), np.linalg.cholesky(np.tril(a) + np.tril(a, -1).T), rtol=1e-13, atol=0)
        a[n - 1, n - 1] = -1.0
        assert np.isnan(cx.cholesky_lower(a)).all()


@pytest.mark.parametrize("limits", [(0, 10**9), (10**9, 0), (10**9, 10**9)])
def test_every_lean_form_refuses_a_large_f(limits, monkeypatch) -> None:  # noqa: ANN001
    # |F| <= 2^40 (lemma X1a's range) in the numpy form (bounded by fl(max|B| max s)), in the loops with F from numpy
    # (n cols^2 >= _GRAM_NUMPY) and in plain loops; 2^41 sits on F only (x = 1, so s = 1), and the Schur diagonal stays 1
    # (2^39 is in range: a verdict, here no proof, as the shift ~ u tr G exceeds the margin 1)
    monkeypatch.setattr(cx, "_LEAN_LOOPS", limits[0])
    monkeypatch.setattr(cx, "_GRAM_NUMPY", limits[1])
    for big, in_range in ((2.0**41, False), (2.0**39, True)):
        b = np.array([[big, 0.0], [0.0, 1.0]])
        res = cx.lean_schur_psd(b, np.array([1.0, 1.0]), np.array([big * big + 1.0, 2.0]))
        assert (res is not None) is in_range


def test_fast_and_slow_dyadic_parsers_agree_and_refuse_alike() -> None:
    den = 2**60
    good = [[f"{den}/{den}", f"-{den // 2}/{den}"], ["0/1152921504606846976", "+3/1152921504606846976"]]
    assert cx._dyadic_fast(good) == [[den, -den // 2], [0, 3]]
    slow = [[cx._dyadic_entry(t, "u", i) for t in row] for i, row in enumerate(good)]
    assert slow == cx._dyadic_fast(good)
    for bad in ([["1,2/1152921504606846976"]], [[f"{den + 1}/{den}"]], [["1/2"]], [[1]], [["1_0/1152921504606846976"]]):
        assert cx._dyadic_fast(bad) is None  # the exact parser then decides, entry by entry


def test_bias_matrix_int64_only_below_two_to_the_62() -> None:
    from proofs.exact.xor_matrix import BiasMatrix

    a = BiasMatrix(((2**62 - 1, -1), (0, 1)), 2**62 + 1).int64
    assert a is not None and a.tolist() == [[2**62 - 1, -1], [0, 1]] and not a.flags.writeable
    assert BiasMatrix(((2**62, -1), (0, 1)), 2**62 + 3).int64 is None
    assert BiasMatrix(((-(2**62), 1),), 2**62 + 3).int64 is None


# ---------------------------------------------------------------- the in-memory forms (the same cores as the certificate checkers)
def _solved(m):  # noqa: ANN001, ANN202
    from bounds.xor import solve_quantum
    from games.xor import XorMatrixGame

    g = XorMatrixGame.from_bias(_bias(m))
    return g, solve_quantum(g)


def _games():  # noqa: ANN202
    rng = np.random.default_rng(11)
    out = [CHSH]
    for rows, cols in ((2, 2), (3, 5), (8, 8), (12, 7)):
        w = rng.integers(1, 10, (rows, cols)) * rng.choice([1, -1], (rows, cols))
        tot = int(np.abs(w).sum())
        out.append([[Fraction(int(t), tot) for t in row] for row in w])
    out.append([[Fraction(int(t), 2**40) for t in row] for row in rng.integers(-(2**30), 2**30, (4, 4))])  # dyadic: exact enclosure
    out.append(_big_game())  # the numpy route
    return out


def test_in_memory_checks_agree_with_the_certificate_checkers() -> None:
    from bounds.xor import vector_ints, xor_dual_certificate, xor_vectors_certificate

    for m in _games():
        g, s = _solved(m)
        bm = g.checked_bias
        file_dual = check_certificate(xor_dual_certificate(g, s.x, s.y))
        mem_dual = cx.check_xor_dual_arrays(bm, s.x, s.y)
        assert mem_dual.value == file_dual.details["proven"] and mem_dual.target == file_dual.target
        assert mem_dual.details["psd_method"] == file_dual.details["psd_method"]
        file_vec = check_certificate(xor_vectors_certificate(g, s.u, s.v))
        mem_vec = cx.check_xor_vectors_ints(bm, vector_ints(s.u), vector_ints(s.v))
        assert mem_vec.value == file_vec.value and mem_vec.target == file_vec.target
        assert mem_vec.value <= mem_dual.value
        # a dual lowered below the value is refused by both forms
        low = s.x - 1e-6
        with pytest.raises(CertificateError, match="positive semidefinite"):
            cx.check_xor_dual_arrays(bm, low, s.y)
        with pytest.raises(CertificateError, match="positive semidefinite"):
            check_certificate(xor_dual_certificate(g, low, s.y))


def test_in_memory_checks_refuse_claims_and_bad_input() -> None:
    from proofs.exact.xor_matrix import BiasMatrix

    bm = BiasMatrix(((1, 1), (1, -1)), 4)
    x = np.array([0.2, 0.2])
    with pytest.raises(CertificateError, match="below what the dual proves"):
        cx.check_xor_dual_arrays(bm, x, x, bound=Fraction(89, 100))
    for bad in (np.array([0.2, float("nan")]), np.array([0.2]), [0.2, 0.2], np.array([0.2, 2.0**1001])):
        with pytest.raises(CertificateFormatError):
            cx.check_xor_dual_arrays(bm, bad, x)
    with pytest.raises(CertificateFormatError, match="model"):
        cx.check_xor_dual_arrays(bm, x, x, model="ns")
    with pytest.raises(CertificateFormatError, match="BiasMatrix"):
        cx.check_xor_dual_arrays(((1, 1), (1, -1)), x, x)  # type: ignore[arg-type]
    k = 2**59
    with pytest.raises(CertificateError, match="exceeds"):
        cx.check_xor_vectors_ints(bm, [[2 * k], [2 * k]], [[2 * k], [2 * k]], bound=Fraction(1))  # value 3/4
    with pytest.raises(CertificateError, match="norm greater than 1"):
        cx.check_xor_vectors_ints(bm, [[2 * k, 1], [2 * k, 0]], [[2 * k, 0], [2 * k, 0]])
    with pytest.raises(CertificateFormatError, match="2\\^60"):
        cx.check_xor_vectors_ints(bm, [[4 * k], [0]], [[0], [0]])
    for bad in ([[1.0], [1]], [[1], [1, 2]], [[1]], "u"):
        with pytest.raises(CertificateFormatError):
            cx.check_xor_vectors_ints(bm, bad, [[1], [1]])  # type: ignore[arg-type]
    with pytest.raises(CertificateFormatError, match="same dimension"):
        cx.check_xor_vectors_ints(bm, [[1], [1]], [[1, 0], [1, 0]])


def test_in_memory_vectors_in_every_form_give_the_exact_value() -> None:
    # tuples (vector_ints' small form), lists, int64 arrays and a mix: the same exact value on the Python route (2 x 3 x 2) and on
    # the limb route (18 x 17 x 3 > PYTHON_PRODUCTS), against Fractions summed entry by entry
    from proofs.exact.xor_matrix import PYTHON_PRODUCTS, BiasMatrix

    rng = np.random.default_rng(21)
    for rows, cols, d in ((2, 3, 2), (18, 17, 3)):
        n = rng.integers(-9, 10, (rows, cols))
        n[0, 0] = 1
        bm = BiasMatrix(tuple(map(tuple, n.tolist())), int(np.abs(n).sum()) * 3)
        w = rng.standard_normal((rows + cols, d))
        k = np.trunc(w / np.linalg.norm(w, axis=1)[:, None] * (2**60 - 2**21)).astype(np.int64)
        k[0] = [2**60] + [0] * (d - 1)  # a unit vector exactly (the float filter cannot prove it: the exact test does)
        u, v = k[:rows], k[rows:]
        want = Fraction(1, 2) + sum(Fraction(int(n[x, y]) * int(u[x] @ v[y].astype(object)), 2 * bm.den * 4**60)
                                    for x in range(rows) for y in range(cols))
        forms = ((u, v), (u.tolist(), v.tolist()), (tuple(map(tuple, u.tolist())), tuple(map(tuple, v.tolist()))), (u, v.tolist()))
        for fu, fv in forms:
            assert cx.check_xor_vectors_ints(bm, fu, fv).value == want
        assert (rows * cols * d > PYTHON_PRODUCTS) == (rows == 18)
        uw = u.copy()
        b = cx.check_xor_vectors_ints(bm, uw, v)
        uw[:] = 0  # the checker read its own copy
        assert b.value == want


def test_vectors_norm_filter_proves_only_norms_at_most_one() -> None:
    # the limb route (rows cols d > PYTHON_PRODUCTS) tests the norms in floats first (lemma X2's filter): a vector of norm^2 =
    # 2^120 + 1 rounds to exactly 2^120 in floats and must still be refused (by the exact test), one of norm exactly 1 accepted
    from proofs.exact.xor_matrix import PYTHON_PRODUCTS, BiasMatrix

    rows, cols, d = 17, 16, 1
    assert rows * cols * d > PYTHON_PRODUCTS
    bm = BiasMatrix(tuple(tuple(1 if x == y else 0 for y in range(cols)) for x in range(rows)), cols)  # sum |N| = cols
    one = 2**60
    u, v = np.full((rows, 1), one), np.full((cols, 1), one)
    assert cx.check_xor_vectors_ints(bm, u, v).value == 1  # norms exactly 1: through the exact test, the diagonal game won
    for key in ("u", "v"):
        long = np.full((rows if key == "u" else cols, 2), [one, 1])  # norm^2 = 2^120 + 1: fl(2^120 + 1) = 2^120
        with pytest.raises(CertificateError, match=f"vector {key}\\[0\\] has norm greater than 1"):
            cx.check_xor_vectors_ints(bm, long, np.full((cols, 2), [one, 0])) if key == "u" else cx.check_xor_vectors_ints(bm, np.full((rows, 2), [one, 0]), long)
        with pytest.raises(CertificateError, match="norm greater than 1"):  # the same through a certificate file
            c = _cert("xor-quantum-vectors", [[Fraction(int(t), cols) for t in row] for row in bm.ints], "lower", Fraction(1, 2),
                      u=[[f"{one}/{one}", f"{1 if key == 'u' else 0}/{one}"]] * rows, v=[[f"{one}/{one}", f"{1 if key == 'v' else 0}/{one}"]] * cols)
            check_certificate(c)
    with pytest.raises(CertificateFormatError, match="2\\^60"):  # an entry beyond 2^60 is named as such
        cx.check_xor_vectors_ints(bm, np.full((rows, 1), one + 1), v)
    with pytest.raises(CertificateFormatError, match="2\\^60"):
        cx.check_xor_vectors_ints(bm, np.full((rows, 1), -(2**63)), v)  # (no float or int64 overflow misleads the filter)
    assert cx.NORM_FILTER == float(2**120 - 2**80) and 4098 * 2.0**-53 <= 2.0**-40  # lemma X2: d + 2 <= 4098 roundings


def test_vectors_of_games_beyond_int64_take_python_integers() -> None:
    # |N| >= 2^62 (a denominator above 2^62): no int64 N, so the value is summed in Python integers on the large route too
    from proofs.exact.xor_matrix import PYTHON_PRODUCTS, BiasMatrix

    rows, cols = 17, 16
    n = [[(2**70 + 3 * x + y) * (-1) ** (x + y) for y in range(cols)] for x in range(rows)]
    n[0][0] += 1  # lowest terms
    bm = BiasMatrix(tuple(map(tuple, n)), sum(abs(t) for row in n for t in row) + 1)
    assert bm.int64 is None and rows * cols > PYTHON_PRODUCTS
    rng = np.random.default_rng(4)
    u, v = rng.integers(-(2**59), 2**59, (rows, 1)), rng.integers(-(2**59), 2**59, (cols, 1))
    want = Fraction(1, 2) + Fraction(sum(n[x][y] * int(u[x, 0]) * int(v[y, 0]) for x in range(rows) for y in range(cols)), 2 * bm.den * 4**60)
    assert cx.check_xor_vectors_ints(bm, u, v).value == want == cx.check_xor_vectors_ints(bm, u.tolist(), v.tolist()).value


def test_float_vectors_are_checked_as_their_dyadic_integers() -> None:
    # check_xor_vectors_floats rounds like bounds.xor.vector_ints (and the certificate writer): the same exact value as the
    # integer form and as the certificate file, on the Python route and on the limb route (the big game)
    from bounds.xor import vector_ints, xor_vectors_certificate

    for m in _games():
        g, s = _solved(m)
        bm = g.checked_bias
        b = cx.check_xor_vectors_floats(bm, s.u, s.v)
        assert b.value == cx.check_xor_vectors_ints(bm, vector_ints(s.u), vector_ints(s.v)).value
        assert b.value == check_certificate(xor_vectors_certificate(g, s.u, s.v)).value and b.target == _bm_target_of(g)
        with pytest.raises(CertificateError, match="exceeds"):
            cx.check_xor_vectors_floats(bm, s.u, s.v, bound=b.value + Fraction(1, 10**30))


def _bm_target_of(g):  # noqa: ANN001, ANN202
    return cx._bm_target(g.checked_bias, "quantum")


def test_float_vectors_beyond_the_unit_ball_or_not_finite_are_refused() -> None:
    from proofs.exact.xor_matrix import PYTHON_PRODUCTS, BiasMatrix

    small = BiasMatrix(((1, 1), (1, -1)), 4)
    rows, cols = 17, 16
    large = BiasMatrix(tuple(tuple(1 if x == y else 0 for y in range(cols)) for x in range(rows)), cols)
    assert rows * cols > PYTHON_PRODUCTS
    long = 1.0 + 2.0**-35  # fl(t c) > 2^60: refused although the float filter's margin is far smaller than t's excess
    for bm in (small, large):
        one_u, one_v = np.ones((bm.rows, 1)), np.ones((bm.cols, 1))
        assert cx.check_xor_vectors_floats(bm, one_u, one_v).value >= Fraction(1, 2)  # t = 1: k = 2^60 - 2^20
        for bad in (long, -long, 2.0**70, float("nan"), float("inf")):
            u = one_u.copy()
            u[-1, 0] = bad
            with pytest.raises(CertificateFormatError if bad != bad or abs(bad) > 2 else (CertificateError, CertificateFormatError)):
                cx.check_xor_vectors_floats(bm, u, one_v)
            with pytest.raises((CertificateError, CertificateFormatError)):
                cx.check_xor_vectors_floats(bm, one_u, np.vstack([one_v[1:], [[bad]]]))
        for bad in (one_u.astype(np.float32), one_u[1:], one_u.ravel(), one_u.tolist(), np.ones((bm.rows, 0))):
            with pytest.raises(CertificateFormatError, match="float64 array"):
                cx.check_xor_vectors_floats(bm, bad, one_v)  # type: ignore[arg-type]
        with pytest.raises(CertificateFormatError, match="same dimension"):
            cx.check_xor_vectors_floats(bm, np.ones((bm.rows, 2)) / 2, one_v)


def test_in_memory_vector_arrays_are_checked() -> None:
    from proofs.exact.xor_matrix import BiasMatrix

    bm = BiasMatrix(((1, 1), (1, -1)), 4)
    good = np.array([[2**59], [2**59]])

    class Sub(np.ndarray):
        pass

    for bad in (good.astype(np.float64), good[:1], good.ravel(), np.zeros((2, 0), dtype=np.int64), good.view(Sub)):
        with pytest.raises(CertificateFormatError, match="int64 array"):
            cx.check_xor_vectors_ints(bm, bad, good)
    for bad in (((2**59,), [2**59]), ((2**59,), (1.0,)), ((2**59,), (True,)), (2**59, 2**59), ((), ()), ((1,), (1, 0))):
        # rows of one type and length, entries exact ints (with v an array, and with v tuples: the tuple route)
        for v in (good, ((2**59,), (2**59,))):
            with pytest.raises(CertificateFormatError):
                cx.check_xor_vectors_ints(bm, bad, v)  # type: ignore[arg-type]
            with pytest.raises(CertificateFormatError):
                cx.check_xor_vectors_ints(bm, v, bad)  # type: ignore[arg-type]


def test_bias_matrix_is_validated_when_made() -> None:
    from proofs.exact.xor_matrix import BiasMatrix

    assert BiasMatrix(((1, 1), (1, -1)), 4).game == XorMatrix.from_matrix(CHSH)
    for ints, den, what in ((((2, 2), (2, -2)), 8, "lowest terms"), (((1, 1), (1, -2)), 4, "at most 1"), (((1, 1), (1,)), 4, "cols"),
                            (((1, 1.0), (1, -1)), 4, "JSON integers"), (((1, 1), (1, -1)), 0, "denominator"), ((), 4, "non-empty"),
                            ([[1, 1], [1, -1]], 4, "non-empty"), (((True, 1), (1, -1)), 4, "JSON integers")):
        with pytest.raises(CertificateFormatError, match=what):
            BiasMatrix(ints, den)  # type: ignore[arg-type]


def test_nearest_floats_both_routes_enclose_the_matrix() -> None:
    from proofs.exact.xor_matrix import nearest_floats

    rng = np.random.default_rng(4)
    # routes: numpy (L >= 2^53 not a power of two; |N| >= 2^53), flat division (L < 2^53), flat scaling (L = 2^k, |N| < 2^53)
    for rows, cols, den, big in ((3, 4, 3 * 7 * 2**55, 2**60), (20, 20, 10**30 + 7, 2**80), (3, 3, 2**70, 2**60), (20, 20, 2**60, 2**52),
                                 (5, 7, 3 * 10**15 + 1, 2**52), (6, 6, 2**30, 2**29), (70, 70, 2**1000, 2**52)):
        ints = rng.integers(-(2**62), 2**62, (rows, cols)).tolist()
        ints = [[t % big - big // 2 for t in row] for row in ints]  # Python ints of up to ~log2(big) bits
        mc, r, exact = nearest_floats(ints, den)
        for i in range(rows):
            for j in range(cols):
                q = Fraction(ints[i][j], den)
                assert float(mc[i, j]) == float(q)  # the nearest float
                assert abs(q - Fraction(float(mc[i, j]))) <= Fraction(float(r[i, j]))
        assert exact == (den & (den - 1) == 0 and big <= 2**53) == (not r.any())


def test_bias_matrix_enclosure_uses_its_own_maximum_and_int64() -> None:
    # the matrix's enclosure takes max |N| and N in int64 from the validation: the same result as nearest_floats alone, and
    # r = 0 only when every |N| < 2^53 (the largest entry last, so a maximum read from the first entries would miss it)
    from proofs.exact.xor_matrix import BiasMatrix, nearest_floats

    rng = np.random.default_rng(5)
    for rows, cols in ((3, 4), (20, 20)):  # the Python route and the numpy route
        ints = rng.integers(-(2**50), 2**50, (rows, cols)).tolist()
        ints[0][0] |= 1  # lowest terms over 2^60
        for last in (2**52, 2**53 + 1):
            ints[-1][-1] = -last  # the largest magnitude negative: a maximum of the signed entries would miss it
            bm = BiasMatrix(tuple(map(tuple, ints)), 2**60)
            mc, r, exact = bm.enclosure
            mc2, r2, exact2 = nearest_floats(ints, 2**60)
            assert exact == exact2 == (last < 2**53) == (not r.any())
            assert np.array_equal(mc, mc2) and np.array_equal(r, r2)
            for i in range(rows):
                for j in range(cols):
                    q = Fraction(ints[i][j], 2**60)
                    assert abs(q - Fraction(float(mc[i, j]))) <= Fraction(float(r[i, j]))


def test_small_route_margins_bound_the_exact_sums() -> None:
    # lemma Q2 in Python floats: half_sums_up >= 1/2 the exact sum; lowered <= x - margin exactly
    rows = [[1.0, 2.0**-53], [5e-324], [0.25, 1e-300, 3.0], [2.0**-54] * 3, []]
    for row, h in zip(rows, cx.half_sums_up(rows)):
        assert Fraction(h) >= sum((Fraction(t) for t in row), Fraction(0)) / 2
    for x, m in ((1.0, 2.0**-54), (0.5, 2.0**-56), (0.1, 1e-20), (1e-300, 5e-324)):
        assert Fraction(cx.lowered([x], [m])[0]) <= Fraction(x) - Fraction(m)


def test_small_route_reduces_the_weights_by_the_enclosure_radius(monkeypatch) -> None:  # noqa: ANN001
    # a 2 x 3 game whose entries are not floats (denominator 3 * 2^54): the Python route must pass x' <= x - 1/2 (row sums of r)
    from proofs.exact.xor_matrix import BiasMatrix

    ints = ((1, -2, 4), (-3, 5, 7))
    den = 3 * 2**54
    bm = BiasMatrix(ints, den)
    _mc, r, exact = bm.enclosure
    assert not exact and r.max() > 0
    seen = {}

    def spy(b, x, y):  # noqa: ANN001, ANN202
        seen["x"], seen["y"] = list(x), list(y)
        from proofs.exact.psd import PsdCheck

        return PsdCheck(True, "verified-schur")

    monkeypatch.setattr(cx, "_lean_schur_loops", spy)
    x, y = np.array([1.0, 1.0]), np.array([1.0, 1.0, 1.0])  # x = 1: 1 - 2^-54 would round back up to 1
    cx.check_xor_dual_arrays(bm, x, y)
    for i in range(2):
        assert Fraction(seen["x"][i]) <= 1 - sum(Fraction(float(t)) for t in r[i]) / 2 < 1
    for j in range(3):
        assert Fraction(seen["y"][j]) <= 1 - sum(Fraction(float(t)) for t in r[:, j]) / 2 < 1


# ---------------------------------------------------------------- lemma X1b: the scaled test
def _spy_lean(monkeypatch, loops: bool) -> dict:  # noqa: ANN001
    """Replace lemma X1a's test (the loops or the numpy core) by a spy that accepts and keeps B (as float rows), x' and y'."""
    from proofs.exact.psd import PsdCheck

    monkeypatch.setattr(cx, "_LEAN_LOOPS", 10**9 if loops else 0)
    seen: dict = {}

    def spy(b, x, y, method="verified-schur"):  # noqa: ANN001, ANN202
        seen["b"], seen["x"], seen["y"] = [[float(t) for t in r] for r in b], list(x), list(y)
        return PsdCheck(True, method)

    def spy_numpy(bt, bmax, x, y, method="verified-schur"):  # noqa: ANN001, ANN202
        seen["bmax"] = bmax
        return spy(np.asarray(bt).T, x, y, method)

    monkeypatch.setattr(cx, "_lean_schur_loops" if loops else "_lean_schur_numpy", spy if loops else spy_numpy)
    return seen


@pytest.mark.parametrize("loops", [True, False])
def test_scaled_route_tests_minus_n_and_weights_at_most_2l_x(loops, monkeypatch) -> None:  # noqa: ANN001
    # lemma X1b: the lean test must get N (or -N: it reads B only through F^T F and |F|) exactly and x' <= 2 L x, y' <= 2 L y
    # exactly (fl(6 * 0.1) rounds above 6 * 0.1)
    from proofs.exact.xor_matrix import BiasMatrix

    seen = _spy_lean(monkeypatch, loops)
    bm = BiasMatrix(((1, -1, 0), (0, 1, 0)), 3)  # 2 L = 6
    x, y = np.array([0.1, 0.1 + 2.0**-55]), np.array([0.1, 0.7, 0.3])
    assert getattr(cx.scaled_schur_psd(bm, x, y), "ok", False)
    assert seen["b"] == [[1.0, -1.0, 0.0], [0.0, 1.0, 0.0]]
    assert loops or seen["bmax"] >= 1.0
    for got, want in ((seen["x"], x), (seen["y"], y)):
        for g, w in zip(got, want):
            assert 6 * Fraction(float(w)) * (1 - Fraction(1, 2**50)) <= Fraction(float(g)) <= 6 * Fraction(float(w))  # scaled by 6
    assert float(seen["x"][0]) < 6 * 0.1  # the rounded product itself would exceed 6 x


@pytest.mark.parametrize("loops", [True, False])
def test_dyadic_route_tests_half_m_and_weights_at_most_x(loops, monkeypatch) -> None:  # noqa: ANN001
    # lemma X1b with s = 1 for L = 2^k >= 2^52 (the paper's games): B = M / 2 = N 2^-(k+1) exactly, x' <= x, y' <= y exactly
    from proofs.exact.xor_matrix import BiasMatrix

    seen = _spy_lean(monkeypatch, loops)
    n = ((2**52 + 1, -3, 0), (5, 7, -(2**51)))  # |N| < 2^53: floats; N / 2^61 below 2^-7
    bm = BiasMatrix(n, 2**60)
    x, y = np.array([0.1, 0.3]), np.array([0.1, 0.7, 0.3])
    assert getattr(cx.scaled_schur_psd(bm, x, y), "ok", False)
    assert [[Fraction(t) for t in r] for r in seen["b"]] == [[Fraction(t, 2**61) for t in r] for r in n]
    assert loops or Fraction(seen["bmax"]) >= Fraction(2**52 + 1, 2**61)
    for got, want in ((seen["x"], x), (seen["y"], y)):
        for g, w in zip(got, want):
            assert Fraction(float(g)) <= Fraction(float(w))


def test_dyadic_route_only_for_float_entries_and_a_power_of_two() -> None:
    # B = N 2^-(k+1) must be exact: an N_xy of 2^53 + 1 (no float) or a denominator 3 2^54 (no power of two) leave the test
    # to lemma Q2's route, as does 2^1001; 2^53 - 1 over 2^60 is in
    from proofs.exact.xor_matrix import BiasMatrix

    x, y = np.array([2.0**-3]), np.array([2.0**-3, 2.0**-3])
    assert cx.scaled_schur_psd(BiasMatrix(((2**53 + 1, 1),), 2**60), x, y) is None
    assert getattr(cx.scaled_schur_psd(BiasMatrix(((2**53 - 1, 1),), 2**60), x, y), "ok", False)
    assert cx.scaled_schur_psd(BiasMatrix(((1, 1),), 3 * 2**54), x, y) is None
    assert cx.scaled_schur_psd(BiasMatrix(((1, 1),), 2**1001), x, y) is None
    assert getattr(cx.scaled_schur_psd(BiasMatrix(((1, 1),), 2**1000), x, y), "ok", False)


def test_dyadic_route_agrees_with_the_exact_test_on_the_paper_games() -> None:
    # the paper's discretised games have L = 2^56, 2^57: the dyadic route proves the solver's dual and refuses a lowered one
    from bench.xor import paper_game_matrix
    from bounds.xor import solve_quantum, xor_dual_certificate

    for n in (4, 8, 16):
        g = paper_game_matrix(n)
        bm = g.checked_bias
        assert bm.den >= 2**52 and bm.den & (bm.den - 1) == 0
        s = solve_quantum(g)
        mem = cx.check_xor_dual_arrays(bm, s.x, s.y)
        file = check_certificate(xor_dual_certificate(g, s.x, s.y))
        assert mem.details["psd_method"] == file.details["psd_method"] == "scaled-schur" and "X1b" in file.checker
        assert mem.value == file.details["proven"]
        _assert_scaled_route_agrees_with_exact(bm, s)


def _assert_scaled_route_agrees_with_exact(bm: Any, s: Any) -> None:
    """Lemma X1b proves the solver's dual and refuses it lowered by 1e-6; lemma B (where it runs) decides both the same way."""
    res = cx.scaled_schur_psd(bm, s.x, s.y)
    assert res is not None and res.ok
    low = s.x - 1e-6
    res = cx.scaled_schur_psd(bm, low, s.y)
    assert res is None or not res.ok
    if bm.rows + bm.cols <= cx.EXACT_PSD_LIMIT:  # lemma B decides the same matrices exactly
        pairs = [t.as_integer_ratio() for t in s.x.tolist()], [t.as_integer_ratio() for t in s.y.tolist()]
        assert cx._exact(bm, *pairs).ok
        assert not cx._exact(bm, [t.as_integer_ratio() for t in low.tolist()], pairs[1]).ok


def test_float_half_sum_is_exact() -> None:
    # 1/2 + sum/2 of floats exactly, against Fraction sums: sums that need one, two and three floats, cancellation, zeros
    cases = [[0.2, 0.2], [0.1, 0.2, 0.3], [1.0, 2.0**-60, 2.0**-120], [1.0, -1.0], [], [0.0], [2.0**-1074, 2.0**999, -(2.0**999)],
             [2.0**999, 2.0**-1074, 2.0**998], [3.0, -(2.0**-80), 2.0**-200, -(2.0**-300)]]
    rng = np.random.default_rng(3)
    cases += [list(rng.standard_normal(k) * 10.0 ** rng.integers(-30, 30, k)) for k in (1, 5, 40)]
    for ws in cases:
        want = Fraction(1, 2) + sum((Fraction(t) for t in ws), Fraction(0)) / 2
        assert cx._float_half_sum(ws) == want


def test_scaled_route_only_below_two_to_the_52() -> None:
    # -N and 2 L must be exact floats: L >= 2^52 (here an N_xy that is no float) leaves the test to lemma Q2's route
    from proofs.exact.xor_matrix import BiasMatrix

    big = BiasMatrix(((2**53 + 1, 1),), 3 * 2**54)
    assert cx.scaled_schur_psd(big, np.array([2.0**-56]), np.array([2.0**-56, 2.0**-56])) is None
    # weights that keep lemma X1a's ranges (x' about 1, Schur diagonal about 1) on both sides of the limit
    assert cx.scaled_schur_psd(BiasMatrix(((1, 1),), 2**52 + 1), np.array([2.0**-53]), np.array([2.0**-51, 2.0**-51])) is None
    res = cx.scaled_schur_psd(BiasMatrix(((1, 1),), 2**52 - 1), np.array([2.0**-53]), np.array([2.0**-51, 2.0**-51]))
    assert res is not None and res.ok


def test_scaled_route_agrees_with_the_exact_test_away_from_the_margin() -> None:
    from proofs.exact.xor_matrix import BiasMatrix

    for m in _games()[:5] + [_big_game()]:
        g, s = _solved(m)
        bm = g.checked_bias
        assert bm.den < 2**52
        _assert_scaled_route_agrees_with_exact(bm, s)
    # a PSD but singular Z (CHSH, x y = 1/32 = sigma^2) has no margin: refused here; lemma B decides it exactly
    chsh = BiasMatrix(((1, 1), (1, -1)), 4)
    res = cx.scaled_schur_psd(chsh, np.full(2, 0.125), np.full(2, 0.25))
    assert res is None or not res.ok
    assert cx._exact(chsh, [(1, 8)] * 2, [(1, 4)] * 2).ok


def test_enclosure_route_proves_a_solver_dual_when_l_is_above_two_to_the_52() -> None:
    # L >= 2^52: lemma X1b does not apply; lemma Q2's enclosure route proves the solver's dual and refuses a lowered one
    from bounds.xor import xor_dual_certificate

    big = 2**52 + 1
    w = np.array([[3, -1, 2], [1, 4, -2], [-5, 1, 1]])
    den = int(np.abs(w).sum()) * big
    m = [[Fraction(int(v) * big - int(np.sign(v)), den) for v in row] for row in w]
    g, s = _solved(m)
    assert g.checked_bias.den >= 2**52
    b = check_certificate(xor_dual_certificate(g, s.x, s.y))
    assert b.details["psd_method"] == "verified-schur" and "Q2" in b.checker
    with pytest.raises(CertificateError, match="positive semidefinite"):
        check_certificate(xor_dual_certificate(g, s.x - 1e-6, s.y))
