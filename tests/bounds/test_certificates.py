"""Producers of game certificates write only what their checkers accept."""

from fractions import Fraction

import numpy as np

from bounds.certificates import vectors_certificate
from games import discretise, paper_game
from proofs.checkers.registry import check_certificate


def test_vectors_wider_than_2n_are_reduced_to_their_span():
    """Vectors of dimension d > 2N (N = 2, d = 7) give a certificate the checker accepts, with the same value."""
    rng = np.random.default_rng(3)
    disc = discretise(paper_game(0.33), 2)
    u, v = rng.normal(size=(2, 7)), rng.normal(size=(2, 7))
    un, vn = u / np.linalg.norm(u, axis=1)[:, None], v / np.linalg.norm(v, axis=1)[:, None]
    value = 0.5 + 0.5 * float(np.sum(disc.matrix * (un @ vn.T)))  # the strategy's value, computed in the original 7 dimensions
    cert = vectors_certificate(disc, u, v)
    assert len(cert["u"][0]) <= 4
    bound = check_certificate(cert)
    assert abs(float(Fraction(cert["bound"])) - value) < 1e-9
    assert bound.side == "lower"
