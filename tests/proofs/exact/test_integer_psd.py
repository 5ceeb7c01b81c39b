"""Tests of proofs.exact.integer_psd against the rational LDL^T of proofs.exact.psd (an independent elimination)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from proofs.exact.errors import QcoordParameterError
from proofs.exact.integer_psd import integer_psd, rational_psd
from proofs.exact.psd import exact_psd


def _cases(seed: int, count: int) -> list[list[list[int]]]:
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(count):
        n = int(rng.integers(1, 8))
        r = int(rng.integers(1, n + 1))
        g = rng.integers(-5, 6, (n, r))
        a = g @ g.T  # PSD, often singular (rank r)
        shift = int(rng.integers(-3, 2))
        a = a + shift * np.eye(n, dtype=np.int64) * int(rng.integers(0, 2))
        if rng.random() < 0.3 and n > 1:  # a zero row and column, or a zero pivot with a non-zero row
            k = int(rng.integers(0, n))
            a[k, :] = 0
            a[:, k] = 0
            if rng.random() < 0.5:
                j = (k + 1) % n
                a[k, j] = a[j, k] = 1
        out.append([[int(t) for t in row] for row in a])
    return out


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_agrees_with_rational_ldl(seed: int) -> None:
    for a in _cases(seed, 60):
        assert integer_psd(a).ok == exact_psd(a).ok, a


def test_singular_psd_is_accepted_and_a_tiny_defect_refused() -> None:
    # [[2, 2], [2, 2]] + the all-ones direction: singular PSD; lowering one diagonal entry by 1 breaks it
    assert integer_psd([[2, 2, 0], [2, 2, 0], [0, 0, 5]]).ok
    assert not integer_psd([[2, 2, 0], [2, 1, 0], [0, 0, 5]]).ok


def test_large_entries_stay_exact() -> None:
    # a PSD Gram matrix of 60-bit vectors minus one unit on a singular direction is not PSD
    v = [2**60 + 7, -(2**59) + 3, 2**58 + 1]
    gram = [[a * b for b in v] for a in v]
    assert integer_psd(gram).ok
    gram[2][2] -= 1
    assert not integer_psd(gram).ok


def test_rational_scaling() -> None:
    assert rational_psd([[Fraction(1, 3), Fraction(1, 3)], [Fraction(1, 3), Fraction(1, 3)]]).ok
    assert not rational_psd([[Fraction(1, 3), Fraction(1, 3)], [Fraction(1, 3), Fraction(1, 3) - Fraction(1, 10**40)]]).ok


def test_bad_input() -> None:
    with pytest.raises(QcoordParameterError, match="square"):
        integer_psd([[1, 2]])
    with pytest.raises(QcoordParameterError, match="integers"):
        integer_psd([[1.5]])  # type: ignore[list-item]
    assert not integer_psd([[1, 2], [3, 4]]).ok  # not symmetric
