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
