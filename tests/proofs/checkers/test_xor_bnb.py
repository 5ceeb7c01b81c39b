"""Tests of the xor-classical-bnb checker (lemma X5): genuine certificates accepted, every check and margin needed."""

from __future__ import annotations

import copy
import itertools
import math
from fractions import Fraction
from typing import Any

import numpy as np
import pytest

from proofs.checkers import xor_bnb as cb
from proofs.checkers.registry import check_certificate
from proofs.exact.certificate import new_certificate
from proofs.exact.errors import CertificateError, CertificateFormatError
from proofs.exact.xor_matrix import XorMatrix, integer_form


def _matrix(rows: int, cols: int, seed: int) -> list[list[Fraction]]:
    rng = np.random.default_rng(seed)
    w = rng.integers(1, 10, (rows, cols)) * rng.choice([1, -1], (rows, cols))
    tot = int(np.abs(w).sum())
    return [[Fraction(int(t), tot) for t in row] for row in w]


def _brute(m: list[list[Fraction]]) -> Fraction:
    """Classical value by enumerating Alice's signs in plain Python, Bob best-responding (independent of every checker)."""
    ints, den = integer_form(m)
    best = max(sum(abs(sum(x * row[j] for x, row in zip(a, ints))) for j in range(len(m[0]))) for a in itertools.product((1, -1), repeat=len(m)))
    return Fraction(1, 2) + Fraction(best, 2 * den)


def _cert(m: list[list[Fraction]], bound: Fraction, leaves: list[dict[str, Any]], order: list[int] | None = None,
          transposed: bool = False) -> dict[str, Any]:
    ints, den = integer_form(m)
    rows = len(m) if not transposed else len(m[0])
    return new_certificate("xor-classical-bnb", XorMatrix.from_matrix(m), len(m), "upper", bound, denominator=den, bias=ints,
                           transposed=transposed, order=list(range(rows)) if order is None else order, leaves=leaves)


def _solved(rows: int, cols: int, seed: int, enum_limit: int = 0) -> tuple[list[list[Fraction]], dict[str, Any]]:
    from bounds.xor_bnb import solve_classical_bnb, xor_bnb_certificate
    from games.xor import XorMatrixGame

    m = _matrix(rows, cols, seed)
    g = XorMatrixGame(tuple(tuple(r) for r in m))
    return m, xor_bnb_certificate(g, solve_classical_bnb(g, enum_limit=enum_limit))


def _leaf_w(m: list[list[Fraction]], cert: dict[str, Any]) -> list[int]:
    out = []
    for lf in cert["leaves"]:
        if "x" in lf:  # floor((sum x + sum y) / 2^e) as a Fraction (independent of cb.leaf_bound)
            out.append(math.floor(Fraction(sum(lf["x"]) + sum(lf["y"])) / Fraction(2) ** lf["exponent"]))
    return out


# ---------------------------------------------------------------- genuine certificates
@pytest.mark.parametrize(("rows", "cols", "seed", "enum_limit"), [(8, 8, 1, 0), (9, 6, 2, 0), (6, 10, 3, 2), (11, 11, 4, 3)])
def test_genuine_certificate_proves_the_enumerated_value(rows: int, cols: int, seed: int, enum_limit: int) -> None:
    m, cert = _solved(rows, cols, seed, enum_limit)
    assert Fraction(cert["bound"]) == _brute(m)
    b = check_certificate(cert, "test")
    assert b.side == "upper" and b.value == _brute(m) and b.details["proven"] == _brute(m)


def test_all_enumerated_single_leaf() -> None:
    m = _matrix(5, 4, 5)
    cert = _cert(m, _brute(m), [{"prefix": "+", "enumerate": True}])
    assert check_certificate(cert, "t").details["proven"] == _brute(m)


def test_claim_below_the_proven_value_is_rejected() -> None:
    m = _matrix(5, 4, 6)
    v = _brute(m)
    den = integer_form(m)[1]
    cert = _cert(m, v - Fraction(1, 2 * den), [{"prefix": "+", "enumerate": True}])
    with pytest.raises(CertificateError, match="below what the leaves prove"):
        check_certificate(cert, "t")


def test_dual_leaf_bound_is_the_floor_of_the_dual_sum() -> None:
    # every leaf closed by a dual: the checker proves max over leaves of floor(sum x + sum y); a claim one unit below is refused
    m, cert = _solved(8, 8, 11, enum_limit=0)
    ws = _leaf_w(m, cert)
    assert ws and len(ws) == len(cert["leaves"])
    den = integer_form(m)[1]
    top = Fraction(1, 2) + Fraction(max(ws), 2 * den)
    assert check_certificate(_with_bound(cert, top), "t").details["proven"] == top
    with pytest.raises(CertificateError, match="below what the leaves prove"):
        check_certificate(_with_bound(cert, top - Fraction(1, 2 * den)), "t")


def _with_bound(cert: dict[str, Any], b: Fraction) -> dict[str, Any]:
    out = copy.deepcopy(cert)
    out["bound"] = f"{b.numerator}/{b.denominator}"
    return out


def test_leaf_bound_is_exact_floor() -> None:
    assert cb.leaf_bound([5], [5, 1], 2) == 2  # 11/4
    assert cb.leaf_bound([4], [4], 2) == 2  # 8/4 exactly
    assert cb.leaf_bound([7], [0], -1) == 14


# ---------------------------------------------------------------- the cover (lemma X5 (a))
def test_missing_leaf_is_rejected() -> None:
    m = _matrix(4, 4, 7)
    cert = _cert(m, Fraction(1), [{"prefix": "++", "enumerate": True}])
    with pytest.raises(CertificateError, match="exactly once"):
        check_certificate(cert, "t")


def test_overlapping_leaves_are_rejected_even_when_the_kraft_sum_is_one() -> None:
    # '+' and '++' overlap; '+' alone already has Kraft sum 1, so the pair's sum exceeds it: use a sum-one overlap instead
    m = _matrix(4, 4, 8)
    leaves = [{"prefix": "++", "enumerate": True}, {"prefix": "++-", "enumerate": True}, {"prefix": "+-+", "enumerate": True}]
    with pytest.raises(CertificateError, match="not disjoint"):
        check_certificate(_cert(m, Fraction(1), leaves), "t")


def test_negated_half_does_not_count_as_the_missing_one() -> None:
    # leaves '++' and '--' have Kraft sum 2^(m-1) but '+-' (and its negation '-+') is never searched
    m = [[Fraction(1, 8), Fraction(-1, 8)], [Fraction(-1, 4), Fraction(1, 4)], [Fraction(0), Fraction(1, 4)]]
    _ints, den = integer_form(m)
    cover = {"++": 0, "--": 0}
    leaves = [{"prefix": p, "enumerate": True} for p in cover]
    v = _brute(m)
    with pytest.raises(CertificateFormatError, match="starting with"):
        check_certificate(_cert(m, v - Fraction(1, 2 * den), leaves), "t")


def test_order_must_be_a_permutation() -> None:
    m = _matrix(3, 3, 9)
    for order in ([0, 0, 1], [0, 1], [0, 1, 3], ["0", 1, 2]):
        with pytest.raises(CertificateFormatError, match="order"):
            check_certificate(_cert(m, Fraction(1), [{"prefix": "+", "enumerate": True}], order=order), "t")  # type: ignore[arg-type]


def test_order_and_transpose_are_honoured() -> None:
    m = _matrix(6, 4, 10)
    v = _brute(m)
    for order in ([3, 1, 0, 2], [0, 1, 2, 3]):
        cert = _cert(m, v, [{"prefix": "++", "enumerate": True}, {"prefix": "+-", "enumerate": True}], order=order, transposed=True)
        assert check_certificate(cert, "t").details["proven"] == v


# ---------------------------------------------------------------- the leaves
def test_enumerated_leaf_includes_the_folded_row() -> None:
    # a single enumerated leaf '+' is the whole game: the folded first row must count (kills dropping c)
    m = _matrix(5, 5, 12)
    den = integer_form(m)[1]
    v = _brute(m)
    with pytest.raises(CertificateError, match="below"):
        check_certificate(_cert(m, v - Fraction(1, 2 * den), [{"prefix": "+", "enumerate": True}]), "t")
    # and a deep enumerated leaf agrees with the brute force on its own part
    leaves = [{"prefix": "".join(("+",) + p), "enumerate": True} for p in itertools.product("+-", repeat=2)]
    assert check_certificate(_cert(m, v, leaves), "t").details["proven"] == v


def test_forged_dual_weights_are_not_psd() -> None:
    _m, cert = _solved(8, 8, 13, enum_limit=0)
    forged = copy.deepcopy(cert)
    for lf in forged["leaves"]:
        if "y" in lf:
            lf["y"] = [k // 2 for k in lf["y"]]
    with pytest.raises(CertificateError, match="not proved positive semidefinite"):
        check_certificate(forged, "t")


def test_dual_needs_a_margin_for_the_singular_optimum() -> None:
    # K' = [[2, 0]]: x = 2, y = (1, 1) is proved PSD; x = 1, y = (1, 0) is PSD but singular, which the verified test cannot prove
    m = [[Fraction(1, 4), Fraction(1, 4)], [Fraction(1, 4), Fraction(-1, 4)]]
    leaves = [{"prefix": "++", "x": [2], "y": [1, 1], "exponent": 0}, {"prefix": "+-", "enumerate": True}]
    assert check_certificate(_cert(m, Fraction(1), leaves), "t").details["duals"] == 1
    leaves[0] = {"prefix": "++", "x": [1], "y": [1, 0], "exponent": 0}
    with pytest.raises(CertificateError, match="positive semidefinite"):
        check_certificate(_cert(m, Fraction(1), leaves), "t")


@pytest.mark.parametrize(("leaf", "match"), [
    ({"prefix": "-+"}, "starting with"), ({"prefix": "+x"}, "starting with"), ({"prefix": ""}, "starting with"), ({"prefix": 3}, "starting with"),
    ({"prefix": "+-+-+"}, "starting with"),
    ({"prefix": "+", "x": [1, 1], "y": [1, 1, 1]}, "'x'"), ({"prefix": "+", "x": [1, 1, 1], "y": [1, 1, 1], "exponent": 2000}, "exponent"),
    ({"prefix": "+", "x": [1.5, 1, 1], "y": [1, 1, 1], "exponent": 0}, "x"), ({"prefix": "+", "x": [2**53, 1, 1], "y": [1, 1, 1], "exponent": 0}, "x"),
])
def test_malformed_leaves_are_refused(leaf: dict[str, Any], match: str) -> None:
    m = _matrix(3, 3, 14)
    with pytest.raises(CertificateFormatError, match=match):
        check_certificate(_cert(m, Fraction(1), [leaf]), "t")


def test_enumeration_limit() -> None:
    m = [[Fraction(1, 24 * 3)] * 3 for _ in range(24)]
    with pytest.raises(CertificateFormatError, match="free rows"):
        cb.check_xor_classical_bnb(_cert(m, Fraction(1), [{"prefix": "+", "enumerate": True}]), "t")


def test_denominator_guard_keeps_entries_exact_floats() -> None:
    big = 2**53 + 1
    m = [[Fraction(1, big), Fraction(-2, big)], [Fraction(big - 3, big), Fraction(0)]]
    with pytest.raises(CertificateFormatError, match="2\\^53"):
        check_certificate(_cert(m, Fraction(1), [{"prefix": "+", "enumerate": True}]), "t")


def test_empty_or_missing_leaves_are_refused() -> None:
    m = _matrix(2, 2, 15)
    with pytest.raises(CertificateFormatError, match="leaves"):
        check_certificate(_cert(m, Fraction(1), []), "t")
    cert = _cert(m, Fraction(1), [{"prefix": "+", "enumerate": True}])
    del cert["transposed"]
    with pytest.raises(CertificateFormatError, match="transposed"):
        check_certificate(cert, "t")


def test_work_limit_on_the_leaves(monkeypatch: pytest.MonkeyPatch) -> None:
    m = _matrix(3, 3, 16)
    cert = _cert(m, Fraction(1), [{"prefix": "++", "enumerate": True}, {"prefix": "+-", "enumerate": True}])
    monkeypatch.setattr(cb, "MAX_DUAL_WORK", 2 * 4 * 3 - 1)
    with pytest.raises(CertificateFormatError, match="leaves x"):
        cb.check_xor_classical_bnb(cert, "t")


# ---------------------------------------------------------------- cut leaves (lemma X6)
# 3 x CHSH over the denominator 13: K = [[3, 3], [3, -3]], w = 6 (classical value 19/26); nodes a0, a1, b0, b1.
CHSH3 = [[Fraction(3, 13), Fraction(3, 13)], [Fraction(3, 13), Fraction(-3, 13)]]
# the triangles a0 b0 + a1 b0 - a0 a1 <= 1 and a0 b1 - a1 b1 + a0 a1 <= 1 (as s1 z_i z_j + s2 z_i z_k + s3 z_j z_k >= -1)
TRI = [[0, 1, 2, 1, -1, -1], [0, 1, 3, -1, -1, 1]]


def _cut_leaf(d: list[int], q: list[int], e: int, prefix: str = "+", tri: list[list[int]] = TRI) -> dict[str, Any]:
    return {"prefix": prefix, "exponent": e, "d": d, "cuts": [t + [qt] for t, qt in zip(tri, q)]}


def _tight_leaf() -> dict[str, Any]:
    # mu = 2 on both triangles leaves A = D - Q/3, whose off-diagonal part has eigenvalues +-sqrt(2)/2 = +-0.70711:
    # d = 11587 / 2^14 = 0.70721 is PD with a margin of 1e-4; the bound is floor(4 x 0.70721 + 4) = 6
    return _cut_leaf([11587] * 4, [2 * 2**14] * 2, 14)


def test_cut_leaf_proves_what_no_diagonal_dual_can() -> None:
    assert _brute(CHSH3) == Fraction(19, 26)
    exact = _cert(CHSH3, Fraction(19, 26), [_cut_leaf([1] * 4, [48, 48], 4)])  # mu = 3: Q + 3 T1 + 3 T2 = 0, D = I / 16
    b = check_certificate(exact, "t")
    assert b.details["proven"] == Fraction(19, 26) and b.details["cut_leaves"] == 1
    # any diagonal dual D >= Q on the leaf '+' has sum d = tr((D - Q) X) + <Q, X> >= <Q, X> for the Gram matrix X of the
    # unit vectors a0 = (1, 0), a1 = (0, 1), b0 = (1, 1)/sqrt 2, b1 = (1, -1)/sqrt 2: <Q, X> = 6 sqrt 2 > 8, floor >= 8
    vec = np.array([[1, 0], [0, 1], [1 / math.sqrt(2), 1 / math.sqrt(2)], [1 / math.sqrt(2), -1 / math.sqrt(2)]])
    qm = np.zeros((4, 4))
    qm[:2, 2:] = np.array([[3, 3], [3, -3]]) / 2
    qm += qm.T
    assert np.isclose(np.sum(qm * (vec @ vec.T)), 6 * math.sqrt(2)) and 6 * math.sqrt(2) > 8.4
    diag = {"prefix": "+", "x": [2224432, 2224432], "y": [2224432, 2224432], "exponent": 20}  # 2.12134 > 3 / sqrt 2 each
    assert check_certificate(_cert(CHSH3, Fraction(21, 26), [diag]), "t").details["proven"] == Fraction(21, 26)
    with pytest.raises(CertificateError, match="below what the leaves prove"):
        check_certificate(_cert(CHSH3, Fraction(19, 26), [diag]), "t")


def test_cut_certificate_survives_a_json_round_trip() -> None:
    # what `qcoord check` reads: the certificate as JSON text (integers stay Python ints)
    import json

    from proofs.exact.certificate import parse_certificate

    cert = parse_certificate(json.dumps(_cert(CHSH3, Fraction(19, 26), [_tight_leaf()])), "t.json")
    assert check_certificate(cert, "t.json").details["proven"] == Fraction(19, 26)


def test_cut_leaf_needs_its_diagonal() -> None:
    assert check_certificate(_cert(CHSH3, Fraction(19, 26), [_tight_leaf()]), "t").details["proven"] == Fraction(19, 26)
    small = _cut_leaf([11469] * 4, [2 * 2**14] * 2, 14)  # d = 0.7000 < 0.70711: A is not PSD (but 2 d would be)
    with pytest.raises(CertificateError, match="not proved positive definite"):
        check_certificate(_cert(CHSH3, Fraction(1), [small]), "t")


def test_cut_leaf_needs_its_multipliers() -> None:
    # the cuts carry Q exactly: too little or too much weight on them leaves a non-PSD A for a small D
    for q in ([40, 48], [48, 56], [24, 24], [96, 96]):
        with pytest.raises(CertificateError, match="not proved positive definite"):
            check_certificate(_cert(CHSH3, Fraction(1), [_cut_leaf([1] * 4, q, 4)]), "t")


def test_cut_leaf_bound_is_the_floor_of_d_plus_q() -> None:
    # floor((4 x 11587 + 2 x 32768) / 2^14) = floor(6.829) = 6: proven 1/2 + 6/26; one unit lower is refused
    leaf = _tight_leaf()
    assert math.floor(Fraction(sum(leaf["d"]) + sum(c[6] for c in leaf["cuts"]), 2**14)) == 6
    assert check_certificate(_cert(CHSH3, Fraction(19, 26), [leaf]), "t").details["proven"] == Fraction(19, 26)
    with pytest.raises(CertificateError, match="below what the leaves prove"):
        check_certificate(_cert(CHSH3, Fraction(18, 26), [leaf]), "t")


def test_cut_leaves_mix_with_other_leaf_forms_and_honour_order_and_transpose() -> None:
    # K (after the transpose) = rows [2, 1], [3, -3], [1, 2]; order (2, 0, 1): the leaf '++' folds c = K_2 + K_0 = (3, 3)
    # and leaves K' = [[3, 3], [3, -3]] (3 x CHSH, bounded by the cut leaf), '+-' is enumerated
    k = [[2, 1], [3, -3], [1, 2]]
    m = [[Fraction(k[r][c], 13) for r in range(3)] for c in range(2)]  # the bias is K^T / 13
    leaves = [_cut_leaf([11587] * 4, [2 * 2**14] * 2, 14, "++"), {"prefix": "+-", "enumerate": True}]
    v = _brute(m)
    b = check_certificate(_cert(m, v, leaves, order=[2, 0, 1], transposed=True), "t")
    assert b.details["proven"] == v and b.details["cut_leaves"] == 1 and b.details["enumerated"] == 1
    # another order folds another matrix, which these cuts do not bound
    with pytest.raises(CertificateError, match="not proved positive definite"):
        check_certificate(_cert(m, v, leaves, order=[1, 0, 2], transposed=True), "t")


def test_generous_cut_leaves_on_random_games_are_sound() -> None:
    # any valid cuts with a diagonally dominant D give a PD A: accepted, and never below the brute-force value
    rng = np.random.default_rng(21)
    for seed in range(6):
        m = _matrix(int(rng.integers(2, 5)), int(rng.integers(2, 4)), 100 + seed)
        ints, _den = integer_form(m)
        k = np.array(ints)
        leaves: list[dict[str, Any]] = []
        for p in ("++", "+-"):
            c = (1 if p[1] == "+" else -1) * k[1] + k[0]
            kp = np.vstack([c[None, :], k[2:]])
            mr, cols = kp.shape
            n = mr + cols
            e = int(rng.integers(0, 5))
            b = np.zeros((n, n), dtype=object)
            b[:mr, mr:] = kp * 2**e
            b[mr:, :mr] = kp.T * 2**e
            cuts = []
            for _ in range(int(rng.integers(0, 2 * n))):
                i, j, kk = sorted(int(t) for t in rng.choice(n, 3, replace=False))
                s1, s2 = (int(t) for t in rng.choice([1, -1], 2))
                q = int(rng.integers(0, 3 * 2**e))
                cuts.append([i, j, kk, s1, s2, s1 * s2, q])
                for (u, w), s in (((i, j), s1), ((i, kk), s2), ((j, kk), s1 * s2)):
                    b[u, w] += q * s
                    b[w, u] += q * s
            kd = [int(sum(abs(t) for t in b[r])) // 2 + 1 for r in range(n)]  # 2 k_r > sum_j |B_rj|: strictly dominant
            leaves.append({"prefix": p, "exponent": e, "d": kd, "cuts": cuts})
        bnd = max(math.floor(Fraction(sum(lf["d"]) + sum(t[6] for t in lf["cuts"]), 2 ** lf["exponent"])) for lf in leaves)
        proven = Fraction(1, 2) + Fraction(bnd, 2 * integer_form(m)[1])
        assert check_certificate(_cert(m, proven, leaves), "t").details["proven"] == proven >= _brute(m)


def _tampered(**change: Any) -> dict[str, Any]:
    leaf = copy.deepcopy(_tight_leaf())
    for key, val in change.items():
        if key[:3] == "cut" and key[3:].isdigit():
            leaf["cuts"][0][int(key[3:])] = val
        else:
            leaf[key] = val
    return leaf


@pytest.mark.parametrize(("leaf", "match"), [
    (_tampered(cut5=1), "product"), (_tampered(cut3=-1, cut4=1, cut5=1), "product"), (_tampered(cut3=0), r"\+1 or -1"),
    (_tampered(cut2=4), "i < j < k < 4"), (_tampered(cut0=2, cut2=0), "i < j < k"), (_tampered(cut1=0), "i < j < k"),
    (_tampered(cut6=-1), "0 <= q"), (_tampered(cut6=2**53), "q < 2\\^53"), (_tampered(cut6=1.5), "7 integers"),
    (_tampered(cut6=True), "7 integers"), (_tampered(cuts=[[0, 1, 2, 1, -1, -1]]), "7 integers"), (_tampered(cuts={"a": 1}), "'cuts'"),
    (_tampered(cuts=[[0, 1, 2, 1, 1, 1, 0]] * 17), "at most 4 x 4 = 16 cuts"),
    (_tampered(exponent=-1), "exponent"), (_tampered(exponent=1001), "exponent"), (_tampered(exponent=2.0), "exponent"),
    (_tampered(d=[1, 1, 1]), "'d'"), (_tampered(d=[1, 1, 1, 0.5]), "'d'"), (_tampered(d=[1, 1, 1, 2**53]), "'d'"),
    (_tampered(x=[1, 1]), "mixes"), (_tampered(enumerate=True), "mixes"), ({"prefix": "+", "enumerate": True, "d": [1]}, "mixes"),
    ({"prefix": "+", "enumerate": False}, "'enumerate'"),
])
def test_malformed_cut_leaves_are_refused(leaf: dict[str, Any], match: str) -> None:
    with pytest.raises(CertificateFormatError, match=match):
        check_certificate(_cert(CHSH3, Fraction(1), [leaf]), "t")


def test_cut_leaf_entries_of_2_to_the_53_are_refused() -> None:
    # e = 49: off-diagonal entries 3 x 2^49 and a diagonal 3 x 2^50, all below 2^53: accepted; e = 52 makes the
    # off-diagonal 3 x 2^52 >= 2^53: refused before any float is formed
    ok = _cut_leaf([3 * 2**49] * 4, [0, 0], 49)  # diagonal 3 x 2^50, off-diagonal 3 x 2^49: proven floor(12 x 2^49 / 2^49) = 12
    assert check_certificate(_cert(CHSH3, Fraction(1, 2) + Fraction(12, 26), [ok]), "t").details["proven"] == Fraction(1, 2) + Fraction(12, 26)
    big = _cut_leaf([3 * 2**51 - 1] * 4, [0, 0], 52)  # off-diagonal 3 x 2^52 >= 2^53
    with pytest.raises(CertificateError, match="2\\^53"):
        check_certificate(_cert(CHSH3, Fraction(1), [big]), "t")


def test_cut_leaf_overflow_guard() -> None:
    # K = 4 x CHSH over 17: 2^62 x 4 = 2^64 wraps to 0 in int64, which would leave diag(2 k) alone, PD, and "prove"
    # floor(4 x 2^50 / 2^62) = 0: value 1/2, below the true 1/2 + 8/34. The exact matrix has entries -+2^64: refused.
    m = [[Fraction(4, 17), Fraction(4, 17)], [Fraction(4, 17), Fraction(-4, 17)]]
    assert _brute(m) == Fraction(1, 2) + Fraction(8, 34)
    leaf = {"prefix": "+", "exponent": 62, "d": [2**50] * 4, "cuts": []}
    with pytest.raises(CertificateError, match="2\\^53"):
        check_certificate(_cert(m, Fraction(1, 2), [leaf]), "t")


def test_cut_work_limits(monkeypatch: pytest.MonkeyPatch) -> None:
    cert = _cert(CHSH3, Fraction(19, 26), [_tight_leaf()])
    assert cb.check_xor_classical_bnb(cert, "t").details["cut_leaves"] == 1
    monkeypatch.setattr(cb, "MAX_CUT_WORK", 4**3 - 1)
    with pytest.raises(CertificateFormatError, match="n'\\^3"):
        cb.check_xor_classical_bnb(cert, "t")
    monkeypatch.setattr(cb, "MAX_CUT_WORK", 4**3)
    monkeypatch.setattr(cb, "MAX_CUTS_PER_LEAF", 0)
    with pytest.raises(CertificateFormatError, match="at most 0 x 4 = 0 cuts"):
        cb.check_xor_classical_bnb(cert, "t")
