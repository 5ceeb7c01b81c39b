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
