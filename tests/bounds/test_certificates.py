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


def test_dual_margins_cover_every_row_and_column_in_exact_arithmetic():
    """The writer's margins (computed in row blocks: N = 300 is three blocks) are at least the exact sums of r + |Mc - M|."""
    from bounds.certificates import dual_certificate
    from proofs.exact import cell_enclosure

    n = 300
    disc = discretise(paper_game(0.33), n)
    mc, r = cell_enclosure(disc.game, n).mid_radius()
    w = [[Fraction(float(r[i, j])) + abs(Fraction(float(mc[i, j])) - Fraction(float(disc.matrix[i, j]))) for j in range(n)] for i in range(n)]
    x = np.linspace(0.1, 0.2, n)
    cert = dual_certificate(disc, x, x[::-1].copy())
    xs, ys = [Fraction(t) for t in cert["x"]], [Fraction(t) for t in cert["y"]]
    for i in range(n):
        assert xs[i] >= Fraction(float(x[i])) + sum(w[i])
        assert ys[i] >= Fraction(float(x[n - 1 - i])) + sum(w[j][i] for j in range(n))
    assert check_certificate(cert).side == "upper"
