"""Tests of games.system.correlated: Born-rule sampling and shared-coin mixtures reproduce the formulas."""

from __future__ import annotations

import numpy as np
import pytest

from bounds.system_point import operating_point
from bounds.system_routers import ALWAYS_BUNCH, ALWAYS_SPLIT, MixedStrategy, PlanarRouter, RouterPair, ThresholdRouter
from games.errors import GameTypeError
from games.system.correlated import MixedRouting

PT = operating_point(0.6, 1.65)


def _route(strategy: MixedStrategy, n: int = 400_000, seed: int = 0):  # noqa: ANN202
    rng = np.random.default_rng(seed)
    x1, x2 = PT.law.ppf(rng.random(n)), PT.law.ppf(rng.random(n))
    oa, ob = MixedRouting(strategy).route(None, None, x1, x2, rng.random((n, 2)))
    return x1, x2, oa, ob


def test_born_rule_correlation_and_uniform_marginal() -> None:
    pair = RouterPair(PlanarRouter((1.0, 0.2), (-0.5, 0.3)), PlanarRouter((0.3, -1.0), (0.4, 0.4)), visibility=0.9)
    x1, x2, oa, ob = _route(MixedStrategy(((1.0, pair),)))
    # E[o_A o_B] matches E[corr]; o_A is a fair coin independent of x1
    assert np.mean(oa * ob) == pytest.approx(np.mean(pair.correlation(x1, x2)), abs=5e-3)
    assert np.mean(oa) == pytest.approx(0.0, abs=5e-3)
    assert np.mean(oa[x1 > 1.0]) == pytest.approx(0.0, abs=1e-2)
    pb, _ = pair.bunch_and_cost(PT)
    assert np.mean(oa == ob) == pytest.approx(pb, abs=3e-3)


def test_mixture_weights_and_thresholds() -> None:
    thr = RouterPair(ThresholdRouter(0.5, 1), ThresholdRouter(1.0, -1))
    strat = MixedStrategy(((0.25, ALWAYS_BUNCH), (0.5, thr), (0.25, ALWAYS_SPLIT)))
    _, _, oa, ob = _route(strat)
    pb, _ = strat.bunch_and_cost(PT)
    assert np.mean(oa == ob) == pytest.approx(pb, abs=3e-3)
    assert np.mean(oa) == pytest.approx(0.0, abs=5e-3)


def test_bad_strategy() -> None:
    with pytest.raises(GameTypeError, match="MixedStrategy"):
        MixedRouting(object())
