import numpy as np
import pytest

from games import discretise, paper_game
from games._kernels import anneal_kernel, anneal_twin


@pytest.mark.parametrize("n, sweeps, seed", [(6, 30, 0), (17, 40, 1), (32, 20, 2)])
def test_anneal_kernel_matches_numpy_twin(n, sweeps, seed):
    # same random inputs -> identical final strategies and objective
    S = np.ascontiguousarray(discretise(paper_game(0.33), n).matrix * n * n)
    rng = np.random.default_rng(seed)
    g0, h0 = rng.choice([-1.0, 1.0], n), rng.choice([-1.0, 1.0], n)
    temps = 2.0 * (0.01 / 2.0) ** (np.arange(sweeps) / (sweeps - 1))
    sites = rng.integers(0, 2 * n, sweeps * 2 * n)
    u = rng.random(sweeps * 2 * n)
    g1, h1, g2, h2 = g0.copy(), h0.copy(), g0.copy(), h0.copy()
    v1 = anneal_kernel(S, g1, h1, temps, sites, u)
    v2 = anneal_twin(S, g2, h2, temps, sites, u)
    assert np.array_equal(g1, g2) and np.array_equal(h1, h2)
    assert v1 == pytest.approx(v2, abs=1e-12)
    assert v1 == pytest.approx(g1 @ S @ h1, abs=1e-12)
