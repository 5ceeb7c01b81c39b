"""proofs.exact.xor_exhaustive (lemma X4b): exact classical values of integer bias matrices of any size, against plain enumeration."""

from __future__ import annotations

import itertools
import random

import numpy as np
import pytest

from proofs.exact.errors import CertificateError
from proofs.exact.xor_exhaustive import MAX_NEAR_TIES, exhaustive_any_size, near_ties


def _brute(n: list[list[int]]) -> int:
    return max(sum(abs(sum(ai * row[j] for ai, row in zip(a, n))) for j in range(len(n[0])))
               for a in itertools.product((1, -1), repeat=len(n)))


def _value(n: list[list[int]], a: list[int]) -> int:
    return sum(abs(sum(ai * row[j] for ai, row in zip(a, n))) for j in range(len(n[0])))


@pytest.mark.parametrize("bits", [3, 40, 61, 64, 100, 400])
def test_equals_plain_enumeration_for_entries_of_any_size(bits: int) -> None:
    rng = random.Random(bits)
    for _ in range(60):
        k, n = rng.randint(1, 6), rng.randint(1, 6)
        m = [[rng.randint(-2**bits, 2**bits) if rng.random() > 0.2 else 0 for _ in range(n)] for _ in range(k)]
        if k > 1 and rng.random() < 0.4:  # a near copy of row 0: near ties
            m[1] = [v + rng.randint(-3, 3) for v in m[0]]
        v, a = exhaustive_any_size(m)
        assert v == _brute(m) == _value(m, a) and len(a) == k


def test_the_near_tie_slack_is_needed() -> None:
    # rounded to 2^-3 the matrix's best sign vector is not the exact one: without the slack 2E (the near ties) the search
    # would return 53 instead of 55
    m = [[-20, -9], [12, -32]]
    assert _brute(m) == 55
    assert exhaustive_any_size(m, shift=3)[0] == 55
    n64 = np.array([[v >> 3 for v in row] for row in m], dtype=np.int64)
    assert max(_value(m, a) for a in near_ties(n64, 0)[1]) < 55  # the ties of the rounded maximum alone miss it
    rng = random.Random(5)
    for _ in range(300):  # every shift is sound
        m = [[rng.randint(-40, 40) for _ in range(3)] for _ in range(3)]
        assert exhaustive_any_size(m, shift=rng.randint(0, 6))[0] == _brute(m)


def test_zero_rows_and_columns_are_dropped_and_all_zero_is_zero() -> None:
    m = [[0, 0, 0], [2**70, 0, -2**70 - 1], [0, 0, 0]]
    v, a = exhaustive_any_size(m)
    assert v == _brute(m) == 2**71 + 1 and a[0] == a[2] == 1
    assert exhaustive_any_size([[0, 0], [0, 0]]) == (0, [1, 1])


def test_too_many_near_ties_are_refused() -> None:
    # one row of 2^80 and fifteen rows of 1: rounded, the small rows vanish and all 2^15 sign vectors tie
    m = [[2**80]] + [[1]] * 15
    assert 2**15 > MAX_NEAR_TIES
    with pytest.raises(CertificateError, match="rounded maximum"):
        exhaustive_any_size(m)
    assert exhaustive_any_size(m[:10]) == (2**80 + 9, [1] * 10)  # 2^9 ties: rechecked exactly


def test_wide_matrices_take_fewer_near_ties() -> None:
    # at most 2^26 / (k n) ties: one row of 2^80 and rows of 1 that vanish when rounded (every sign vector ties)
    m = [[2**80] * 2**10] + [[1] * 2**10] * 8  # 2^8 ties, limit 2^26 / (9 2^10) = 7281: rechecked
    assert exhaustive_any_size(m)[0] == 2**10 * (2**80 + 8)
    m = [[2**80] * 2**14] + [[1] * 2**14] * 10  # 2^10 ties, limit 2^26 / (11 2^14) = 372: refused
    with pytest.raises(CertificateError, match="more than 372"):
        exhaustive_any_size(m)
