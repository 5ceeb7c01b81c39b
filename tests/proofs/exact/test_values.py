"""Tests of the one N-bin evaluation path :func:`proofs.exact.values.cell_sum`."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
import pytest

from proofs.exact.errors import CertificateError
from proofs.exact.games import GameType, Linear
from proofs.exact.values import cell_sum, step_strategy_win, win_lower


class _Undecided(GameType):
    """A game type that classifies every cell as crossed and gives no cell value (no closed form, no balls)."""

    name = "undecided-test"

    def params(self) -> dict[str, str]:
        return {}

    def classify(self, n: int) -> tuple[Any, dict]:
        return np.zeros((n, n), dtype=np.int8), {}


def test_a_cell_without_any_value_gets_the_trivial_enclosure() -> None:
    # nothing is known about M but |M_ij| <= 1/N^2: the sum of -M over all cells is only known to lie in [-1, 1]
    s = cell_sum(_Undecided(), 3, [(Fraction(1), [-1, -1, -1], [1, 1, 1])])
    assert s.enclosed_cells == 9
    assert -1 - Fraction(1, 10**15) <= s.lower() <= -1  # the 1/9 rounded outward
    assert s.ball().contains(1) and s.ball().contains(-1)


def test_weights_and_vectors_are_exact_on_the_linear_game() -> None:
    # a + b <= 1 at N = 2: M = [[1/4, 0], [0, -1/4]]; E = 3/7 g h^T - 2/5 x y^T, summed by hand
    g, h, x, y = [1, -1], [1, 1], [2, 0], [0, 5]
    s = cell_sum(Linear(Fraction(1)), 2, [(Fraction(3, 7), g, h), (Fraction(-2, 5), x, y)])
    m = [[Fraction(1, 4), Fraction(0)], [Fraction(0), Fraction(-1, 4)]]
    e = [[Fraction(3, 7) * g[i] * h[j] - Fraction(2, 5) * x[i] * y[j] for j in range(2)] for i in range(2)]
    assert s.lower() == sum(m[i][j] * e[i][j] for i in range(2) for j in range(2))
    assert s.radius == 0 and s.enclosed_cells == 0


def test_huge_integers_do_not_overflow() -> None:
    # entries near 2^63 would overflow an int64 matrix product; the sum falls back to Python integers
    big = 2**62 + 1
    s = cell_sum(Linear(Fraction(1)), 2, [(Fraction(1), [big, 0], [big, big])])
    assert s.lower() == Fraction(big * big, 4)  # row 0: M_00 = 1/4 (bunch), M_01 = 0 (cut in half)


def test_step_strategy_win_is_the_cell_sum() -> None:
    # the classical optimum 3/4 of a + b <= 1 at N = 2, rounded down by at most an ulp
    assert Fraction(3, 4) - Fraction(1, 10**15) <= win_lower(step_strategy_win(Linear(Fraction(1)), [1, 1], [1, -1])) <= Fraction(3, 4)


def test_vector_length_is_checked() -> None:
    with pytest.raises(CertificateError, match="N = 2 entries"):
        cell_sum(Linear(Fraction(1)), 2, [(Fraction(1), [1, 1, 1], [1, 1])])
