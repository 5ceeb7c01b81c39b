"""The fuzzer's oracles against closed forms (they must be right for a false accept to mean anything)."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from scipy import stats

from tests.fuzz import oracles as orc


@pytest.mark.parametrize("C", ["1/10", "33/100", "7/10"])
def test_hyperbolic_bunch_probability(C: str) -> None:
    c = float(Fraction(C))
    m = orc.cell_matrix({"type": "hyperbolic", "C": C}, 7)
    assert abs((m.sum() + 1) / 2 - ((1 - c) + c * math.log(c))) < 1e-12


@pytest.mark.parametrize(("law", "param", "dist"), [
    ("gamma", "2", stats.gamma(4, scale=0.5)),          # X1 + X2 ~ Gamma(4, rate 2)
    ("exponential", None, stats.gamma(2)),
    ("uniform", None, None),
])
def test_sum_threshold_bunch_probability(law: str, param: str | None, dist: object) -> None:
    t = Fraction(7, 4)
    game = {"type": "sum-threshold", "law": law, "t": "7/4", **({"param": param} if param else {})}
    m = orc.cell_matrix(game, 6)
    want = 0.5 * 1.75**2 / 4 if dist is None else float(dist.cdf(float(t)))  # type: ignore[attr-defined]
    assert abs((m.sum() + 1) / 2 - want) < 1e-12


def test_uniform_reproducer_value() -> None:
    # the audit's instance: always bunch on uniform(0, 2), t = 3 + 1e-6, wins P(X1 + X2 <= t) ~ 7/8 = 63/72
    m = orc.cell_matrix({"type": "sum-threshold", "law": "uniform", "t": "3000001/1000000"}, 6)
    assert abs(0.5 + 0.5 * m.sum() - (1 - (1 - 1e-6) ** 2 / 8)) < 1e-12  # P(X1 + X2 > t) = (4 - t)^2 / 8 on [2, 4]
    assert abs(0.5 + 0.5 * m.sum() - 63 / 72) < 1e-6


def test_linear_classical_and_chsh_quantum() -> None:
    m = orc.cell_matrix({"type": "linear", "s": "1"}, 4)
    assert abs(orc.classical_optimum(m)[0] - 0.75) < 1e-14
    lo, hi = orc.quantum_bracket(np.array([[1.0, 1.0], [1.0, -1.0]]) / 4)
    assert lo <= math.cos(math.pi / 8) ** 2 + 1e-12 and hi >= math.cos(math.pi / 8) ** 2 - 1e-12 and hi - lo < 1e-8


def test_threshold_value_matches_cells() -> None:
    game = {"type": "hyperbolic", "C": "33/100"}
    m = orc.cell_matrix(game, 4)
    g, h = [1, 1, -1, -1], [1, -1, -1, 1]
    sw = [Fraction(1, 2)]
    want = orc.step_value(m, g, h)
    got = orc.threshold_value(game, sw, 1, [Fraction(1, 4), Fraction(3, 4)], 1)
    assert abs(got - want) < 1e-13


def test_system_exponential_closed_forms() -> None:
    law = orc.Law("exponential", None, Fraction(2))
    sys = orc.System(0.6, law, 1.0)
    rho = 0.3
    assert abs(sys.W0 - rho / (2 * (1 - rho))) < 1e-14  # M/M/1: rho / (mu (1 - rho))
    t = 0.4
    e0, e1 = orc.threshold_moments(law, 1 - math.exp(-2 * t), 1)
    assert abs(e0 - (2 * math.exp(-2 * t) - 1)) < 1e-14
    assert abs(e1 - (2 * (t + 0.5) * math.exp(-2 * t) - 0.5)) < 1e-12


def test_planar_moments_against_a_fine_grid() -> None:
    law = orc.Law("gamma", Fraction(2))
    p0, p1 = (0.3, 0.4), (-1.2, 0.5)
    U0, U1 = orc.planar_moments(law, p0, p1)
    x = np.linspace(1e-9, 40, 2_000_001)
    u = (np.array(p0)[:, None] + x * np.array(p1)[:, None]) / np.hypot(p0[0] + x * p1[0], p0[1] + x * p1[1])
    f = stats.gamma(2, scale=0.5).pdf(x)
    assert np.allclose(U0, np.trapezoid(u * f, x), atol=1e-8)
    assert np.allclose(U1, np.trapezoid(u * x * f, x), atol=1e-8)


def test_slotted_tb_oracle_idle_fraction_and_the_route_on_arrival_limit() -> None:
    # T(t) = t: E[T_B] is the idle fraction 1 - rho for every rule (closed form); the bracket is O(cell) wide around it
    lo, hi = orc.slotted_tb_constant(0.5, 0.5, ("exponential", 1.0), 0.5, 0.5, 1, cell=0.025)
    assert lo <= 0.5 <= hi and hi - lo < 0.05
    # T(t) = t^2, always split at a short slot: close to route-on-arrival fair coins, M/M/1 at rate 1/2, E[T_B] = (1 - rho) 2 / lam_s
    lo, hi = orc.slotted_tb_constant(0.5, 0.5, ("exponential", 1.0), 0.1, 0.0, 2, cell=0.025)
    assert lo - 0.1 <= 2.0 <= hi + 0.1
