"""Tests of bounds.xor: rectangular Tsirelson solves and the certificate writers."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from bounds.xor import VECTOR_BITS, dyadic_value, solve_quantum, xor_vectors_certificate
from games.xor import XorMatrixGame


def test_rectangular_solve_drops_the_padding() -> None:
    # a 1 x 3 game: Alice has one input, so the quantum value is the classical value 1 (bias sum |M| = 1)
    g = XorMatrixGame.from_bias([["1/2", "-1/4", "1/4"]])
    s = solve_quantum(g)
    assert s.u.shape[0] == 1 and s.v.shape[0] == 3 and s.x.shape == (1,) and s.y.shape == (3,)
    assert abs(s.lower_estimate - 1) < 1e-12 and s.upper_estimate >= 1 - 1e-15


def test_chsh_vectors_are_projected_to_a_plane() -> None:
    s = solve_quantum(XorMatrixGame.from_bias([["1/4", "1/4"], ["1/4", "-1/4"]]))
    assert s.rank == 2 and s.u.shape[1] == 2
    assert abs(s.lower_estimate - math.cos(math.pi / 8) ** 2) < 1e-12


def test_written_vectors_have_norm_at_most_one_and_the_claimed_value() -> None:
    rng = np.random.default_rng(2)
    g = XorMatrixGame.from_bias([["1/12"] * 4, ["-1/12"] * 4, ["1/12", "-1/12", "1/12", "-1/12"]])
    u = rng.standard_normal((3, 5))
    v = rng.standard_normal((4, 5))
    u /= np.linalg.norm(u, axis=1)[:, None]
    v /= np.linalg.norm(v, axis=1)[:, None]
    c = xor_vectors_certificate(g, u, v)
    den = 2**VECTOR_BITS
    for row in c["u"] + c["v"]:
        ks = [int(t.split("/")[0]) for t in row]
        assert all(t.endswith(f"/{den}") for t in row) and sum(k * k for k in ks) <= den * den
    value = Fraction(c["bound"])
    assert value == dyadic_value(g, c["u"], c["v"])
    float_value = 0.5 + 0.5 * float(np.sum(g.matrix * (u @ v.T)))
    assert abs(float(value) - float_value) < 1e-10
