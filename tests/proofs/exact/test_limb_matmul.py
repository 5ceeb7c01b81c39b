"""Tests of proofs.exact.limb_matmul against Python-integer (object) products."""

from __future__ import annotations

import numpy as np
import pytest

from proofs.exact.errors import QcoordParameterError
from proofs.exact.limb_matmul import exact_matmul, strategy_sum


@pytest.mark.parametrize("k", [1, 3, 64, 2048])
def test_matches_object_product_at_the_extremes(k: int) -> None:
    rng = np.random.default_rng(k)
    top = 2**62 - 1
    a = rng.integers(-top, top, (4, k), dtype=np.int64)
    b = rng.integers(-(2**60), 2**60, (k, 3), dtype=np.int64)
    a[0, :] = top  # every term at its largest: an int64 product would overflow many times over
    b[:, 0] = 2**60
    ref = np.array(a.tolist(), dtype=object).dot(np.array(b.tolist(), dtype=object))
    assert exact_matmul(a, b).tolist() == ref.tolist()


def test_refuses_entries_too_large() -> None:
    with pytest.raises(QcoordParameterError, match="2\\^62"):
        exact_matmul(np.array([[2**62]], dtype=np.int64), np.array([[1]], dtype=np.int64))


def test_strategy_sum_both_routes() -> None:
    rng = np.random.default_rng(3)
    ints = [[int(t) for t in row] for row in rng.integers(-(2**40), 2**40, (5, 6))]
    u = [[int(t) for t in row] for row in rng.integers(-(2**60), 2**60, (5, 3))]
    v = [[int(t) for t in row] for row in rng.integers(-(2**60), 2**60, (6, 3))]
    ref = sum(ints[x][y] * sum(a * b for a, b in zip(u[x], v[y])) for x in range(5) for y in range(6))
    assert strategy_sum(ints, u, v) == ref
    big = [[t * 2**30 for t in row] for row in ints]  # |N| >= 2^62: the object route
    assert strategy_sum(big, u, v) == ref * 2**30
