"""Tests of proofs.exact.xor_matrix: the canonical text that names a game."""

from __future__ import annotations

import hashlib
import random

from proofs.exact.xor_matrix import _canonical, integer_digest


def _reference_text(ints: list[list[int]], den: int) -> bytes:
    """The canonical text spelt out entry by entry (module docstring of proofs.exact.xor_matrix)."""
    body = ";".join(",".join(str(k) for k in row) for row in ints)
    return f"{len(ints)}x{len(ints[0])}/{den};{body}".encode()


def test_canonical_text_matches_its_definition_entry_by_entry() -> None:
    rng = random.Random(5)
    shapes = [(1, 1), (1, 5), (5, 1), (2, 2), (3, 7), (16, 16)]
    for rows, cols in shapes:
        for big in (3, 62, 200):  # small, int64-sized and arbitrary-precision numerators, both signs and zero
            ints = [[rng.choice([0, 1, -1]) * rng.randrange(2**big) for _ in range(cols)] for _ in range(rows)]
            den = rng.randrange(1, 2**big)
            assert _canonical(ints, den) == _reference_text(ints, den)
            assert _canonical(tuple(map(tuple, ints)), den) == _reference_text(ints, den)
            assert integer_digest(ints, den) == hashlib.sha256(_reference_text(ints, den)).hexdigest()


def test_nearest_floats_alone_are_the_enclosure_centres_in_either_order() -> None:
    from fractions import Fraction

    from proofs.exact.xor_matrix import BiasMatrix

    rng = random.Random(7)
    # Python route (few entries), numpy route (many entries), power-of-two denominator, entries that are no floats
    for rows, cols, den in ((2, 3, 21), (7, 7, 1001), (4, 4, 2**40), (2, 2, 3 * 2**60 + 1)):
        ints = tuple(tuple(rng.randrange(-(den // (2 * rows * cols)), den // (2 * rows * cols) + 1) for _ in range(cols)) for _ in range(rows))
        ints = ((1,) + ints[0][1:],) + ints[1:]  # gcd 1 with the denominator
        first, second = BiasMatrix(ints, den), BiasMatrix(ints, den)
        a = first.nearest  # before the enclosure
        _ = second.enclosure
        b = second.nearest  # after it: its centres
        assert b is second.enclosure[0] and not a.flags.writeable
        assert a.tolist() == b.tolist() == first.enclosure[0].tolist()
        for row, got in zip(ints, a.tolist()):
            for k, f in zip(row, got):  # each the float nearest to k / den (Fraction's conversion is correctly rounded)
                assert float(Fraction(k, den)) == f
        assert first.max_abs == max(abs(k) for row in ints for k in row)
