import numpy as np
import pytest
from scipy import integrate

from games import AnsatzError, GameTypeError, discretise, linear_boundary_game, paper_game
from games.quantum_search import LINEAR, QUADRATIC, Ansatz, continuum_value, optimise_angles


def test_linear_game_quantum_value_at_n400():
    # the linear-boundary game's quantum value is 1/2 + 1/pi (Aharon et al.); the linear ansatz attains it
    est = optimise_angles(discretise(linear_boundary_game(), 400), LINEAR, starts=6, seed=0)
    assert est.value == pytest.approx(0.5 + 1 / np.pi, abs=1e-3)
    assert est.parameters["continuum_value"] == pytest.approx(0.5 + 1 / np.pi, abs=1e-9)


def test_continuum_value_against_adaptive_quadrature():
    # independent route: scipy dblquad of rule * correlator, split at the boundary
    game = paper_game(0.33)
    d = np.array([3.7, -2.7, -2.8])
    corr = lambda b, a: -np.cos(d[0] + d[1] * a + d[2] * b)  # noqa: E731
    phi = lambda a: float(game.boundary.phi(np.array(a)))  # noqa: E731
    bunch, _ = integrate.dblquad(corr, 0, 1, 0, phi, epsabs=1e-12)
    split, _ = integrate.dblquad(corr, 0, 1, phi, 1, epsabs=1e-12)
    assert continuum_value(game, LINEAR, d) == pytest.approx(0.5 + 0.5 * (bunch - split), abs=1e-9)


def test_bin_constant_value_approaches_continuum_value():
    game = paper_game(0.33)
    d = [3.709, -2.76, -2.759]
    smooth = continuum_value(game, LINEAR, d)
    gaps = []
    for n in (50, 200):
        disc = discretise(game, n)
        ta, tb = LINEAR.angles(d, disc.midpoints, disc.midpoints)
        from games import AngleStrategy

        gaps.append(abs(AngleStrategy(ta, tb).win_probability(disc) - smooth))
    assert gaps[1] < gaps[0] / 8  # midpoint angles: O(1/N^2) convergence


def test_quadratic_never_worse_than_linear():
    disc = discretise(paper_game(0.33), 200)
    lin = optimise_angles(disc, LINEAR, starts=6, seed=0)
    quad = optimise_angles(disc, QUADRATIC, starts=6, seed=0)
    assert quad.value >= lin.value - 1e-9


def test_mixed_term_refused():
    with pytest.raises(AnsatzError, match="difference of local angles"):
        Ansatz(((0, 0), (1, 0), (1, 1)))


@pytest.mark.parametrize("terms, match", [((), "at least one"), (((0, 0), (0, 0)), "repeat"), (((-1, 0),), ">= 0")])
def test_bad_ansatz(terms, match):
    with pytest.raises(AnsatzError, match=match):
        Ansatz(terms)


def test_bad_params_and_inputs():
    with pytest.raises(AnsatzError, match="3 entries"):
        LINEAR.angles([1.0, 2.0], [0.5], [0.5])
    with pytest.raises(GameTypeError, match="`ansatz`"):
        optimise_angles(discretise(paper_game(0.3), 4), "linear")
    with pytest.raises(GameTypeError, match="`disc`"):
        optimise_angles(paper_game(0.3), LINEAR)
