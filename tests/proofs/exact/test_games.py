"""Tests of the exact game types' classification (``proofs.exact.games``)."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from proofs.exact.games import Hyperbolic, crossed_from_thresholds


def _reference(g: Hyperbolic, n: int) -> tuple[np.ndarray, dict]:
    # every cell from its definition: full bunch iff the corner nearest (1, 1) is bunch, full split iff the far one is split;
    # crossed cells through the Fraction formula bunch_area, M = 2 area - 1/N^2
    C = g.C
    kind = np.zeros((n, n), dtype=np.int8)
    crossed = {}
    for i in range(n):
        for j in range(n):
            if (1 - Fraction(i + 1, n)) * (1 - Fraction(j + 1, n)) >= C:
                kind[i, j] = 1
            elif (1 - Fraction(i, n)) * (1 - Fraction(j, n)) <= C:
                kind[i, j] = -1
            else:
                q, c, r = g.bunch_area(Fraction(i, n), Fraction(i + 1, n), Fraction(j, n), Fraction(j + 1, n))
                crossed[(i, j)] = (2 * q - Fraction(1, n * n), 2 * c, r)
    return kind, crossed


@pytest.mark.parametrize("C", ["33/100", "1/2", "1/20", "999/1000", "1/7", "3/5", "1/1000", "7/8"])
@pytest.mark.parametrize("n", [1, 2, 3, 8, 17, 40])
def test_hyperbolic_classify_matches_the_definition(C: str, n: int) -> None:
    g = Hyperbolic(Fraction(C))
    kind, crossed = g.classify(n)
    ref_kind, ref_crossed = _reference(g, n)
    assert np.array_equal(kind, ref_kind)
    assert crossed == ref_crossed
    assert list(crossed) == sorted(crossed)  # row-major, like np.nonzero
    assert all(type(v) is Fraction for t in crossed.values() for v in t)


def test_crossed_from_thresholds_matches_masks() -> None:
    rng = np.random.default_rng(3)
    for _ in range(200):
        n = int(rng.integers(1, 20))
        be = rng.integers(-4, n + 4, n).tolist()
        ss = rng.integers(-4, n + 4, n).tolist()
        kind = crossed_from_thresholds(n, be, ss)
        for i in range(n):
            for j in range(n):
                b, s = min(max(be[i], -1), n), min(max(ss[i], -1), n)
                want = 1 if j <= b else (-1 if j >= s else 0)
                assert kind[i, j] == want
        assert kind.dtype == np.int8
