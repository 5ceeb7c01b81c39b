"""Tests of proofs.exact.xor_matrix: the canonical text that names a game."""

from __future__ import annotations

import hashlib
import math
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


def _total_by_fractions(n: list[list[int]], u: list[list[int]], v: list[list[int]]) -> int:
    """``sum_xy N_xy <u_x, v_y>`` spelt out term by term (Python integers, no shared code with the routes)."""
    return sum(n[x][y] * sum(a * b for a, b in zip(u[x], v[y])) for x in range(len(n)) for y in range(len(n[0])))


def test_strategy_total_is_exact_on_every_route() -> None:
    import numpy as np

    from proofs.exact.xor_matrix import PYTHON_PRODUCTS, TRACE_PRODUCTS, strategy_total

    rng = np.random.default_rng(3)
    # Python integers; the limb trace with N in one and in several limbs; lemma L above TRACE_PRODUCTS; N beyond int64
    cases = ((2, 3, 2, 40), (5, 5, 4, 3), (17, 16, 1, 3), (16, 16, 4, 49), (30, 29, 8, 61), (80, 60, 12, 20), (130, 130, 4, 5),
             (12, 11, 3, 200))
    assert 5 * 5 * 4 <= PYTHON_PRODUCTS < 17 * 16 and 80 * 60 * 12 <= TRACE_PRODUCTS < 130 * 130 * 4
    for rows, cols, d, bits in cases:
        n = [[int(rng.choice([-1, 1])) * int(rng.integers(0, 2**min(bits, 62))) << max(0, bits - 62) for _ in range(cols)] for _ in range(rows)]
        n[0] = [2**bits - 1] * cols  # extremes: every limb of row 0 at its largest
        u = rng.integers(-(2**60), 2**60 + 1, (rows, d))
        v = rng.integers(-(2**60), 2**60 + 1, (cols, d))
        u[0], v[: cols // 2] = 2**60 - 1, -(2**60)  # the largest digits, and the most negative top digit
        want = _total_by_fractions(n, u.tolist(), v.tolist())
        assert strategy_total(n, u.tolist(), v.tolist()) == want
        assert strategy_total(tuple(map(tuple, n)), u, v) == want  # int64 arrays
        assert strategy_total(n, u, v, entry_bits=60) == want
        if bits < 62:
            assert strategy_total(n, u, v, np.array(n, dtype=np.int64), max_abs=max(abs(t) for row in n for t in row)) == want


def test_limb_trace_partial_sums_reach_their_bound_without_overflow() -> None:
    # all of N at 2^r - 1 and every vector digit at its largest: each int64 partial sum is the largest the plan allows
    # (rows cols d 2^(r + 2 s) below 2^62); a plan with a larger budget overflows here
    import numpy as np

    from proofs.exact.xor_matrix import _trace_plan, limb_trace

    for rows, cols, d, n_bits in ((16, 16, 4, 4), (16, 16, 2, 49), (40, 40, 8, 62), (256, 128, 2, 30)):
        ln, r, lv, s = _trace_plan((rows * cols * d).bit_length(), n_bits, 60)
        assert ln * r >= n_bits and lv * s >= 60 and (rows * cols * d).bit_length() + r + 2 * s <= 62
        for sign in (1, -1):
            top = 2**n_bits - 1
            n = np.full((rows, cols), top, dtype=np.int64)
            w = np.full((rows + cols, d), 2**60 - 1, dtype=np.int64)
            w[rows:] *= sign
            got = limb_trace(n, n_bits, w, rows, 60)
            assert got == sign * rows * cols * d * top * (2**60 - 1) ** 2
        w = np.full((rows + cols, d), -(2**60), dtype=np.int64)  # the top digit at -2^s
        assert limb_trace(n, n_bits, w, rows, 60) == rows * cols * d * top * 2**120


def test_trace_plan_is_the_cheapest_that_fits() -> None:
    from proofs.exact.xor_matrix import _trace_plan

    for p_bits in range(1, 30):
        for n_bits in (0, 1, 4, 30, 49, 62):
            plan = _trace_plan(p_bits, n_bits, 60)
            fits = []
            for ln in range(1, 5):
                smax = (62 - p_bits - math.ceil(max(n_bits, 1) / ln)) // 2  # the widest vector limbs with no overflow
                if smax >= 1:
                    fits.append(ln * math.ceil(60 / smax) ** 2)
            if not fits:
                assert plan is None
                continue
            ln, r, lv, s = plan
            assert ln * lv * lv == min(fits) and ln * r >= n_bits and lv * s >= 60 and p_bits + r + 2 * s <= 62


def test_header_sides_are_ascii_digits_without_leading_zeros() -> None:
    # "²" and "①" pass str.isdigit() but int() refuses them (was a traceback in `qcoord check`); "٢" became 2
    import pytest

    from proofs.exact.games import GameDescriptionError
    from proofs.exact.xor_matrix import _side

    assert _side({"rows": "12"}, "rows") == 12 and _side({"rows": 7}, "rows") == 7
    for bad in ("\u00b2", "\u2460", "\u0662", "02", "0", "-1", "+3", " 3", "3 ", "123456", ""):
        with pytest.raises(GameDescriptionError, match="positive integer"):
            _side({"rows": bad}, "rows")
