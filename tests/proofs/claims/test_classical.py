"""The classical claim checks ("deterministic", "ct-min", "q-gt-c") against independent computations.

Each check runs once per module (fixtures); the README's verdicts are pinned,
and every certified number is compared with a strategy evaluated here with
scipy and games' closed forms, independently of the certificate path.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import brentq, minimize_scalar

from games import AngleStrategy, ThresholdStrategy, discretise, paper_game
from proofs.claims.claim import ClaimResult
from proofs.claims.classical import check_ct_min, check_deterministic, check_q_gt_c
from proofs.claims.registry import CLAIMS


def _best_symmetric_one_switch(C: float) -> float:
    # both players bunch below the same switch point s, split above it
    game = paper_game(C)
    res = minimize_scalar(lambda s: -ThresholdStrategy((s,), (s,), 1, 1).win_probability(game), bounds=(0.3, 0.99), method="bounded", options={"xatol": 1e-12})
    return -float(res.fun)


def _one_player(C: float) -> float:
    # A always +1, B switches at b = 1 - 2C
    return ThresholdStrategy((), (1 - 2 * C,), 1, 1).win_probability(paper_game(C))


@pytest.fixture(scope="module")
def deterministic(tmp_path_factory) -> ClaimResult:
    return check_deterministic(quick=True, cert_dir=tmp_path_factory.mktemp("deterministic"))


@pytest.fixture(scope="module")
def ct_min(tmp_path_factory) -> ClaimResult:
    return check_ct_min(quick=True, cert_dir=tmp_path_factory.mktemp("ct-min"))


@pytest.fixture(scope="module")
def q_gt_c(tmp_path_factory) -> ClaimResult:
    return check_q_gt_c(quick=True, cert_dir=tmp_path_factory.mktemp("q-gt-c"))


@pytest.mark.parametrize("cid, name", [("deterministic", "check_deterministic"), ("ct-min", "check_ct_min"), ("q-gt-c", "check_q_gt_c")])
def test_claims_wired(cid: str, name: str) -> None:
    claim = next(c for c in CLAIMS if c.id == cid)
    assert claim.checker().__name__ == name


def test_deterministic_bracket_holds_every_strategy_we_can_evaluate(deterministic: ClaimResult) -> None:
    assert deterministic.status == "proved"
    d = deterministic.data
    assert d["lower"] <= d["upper"] and d["upper"] - d["lower"] < 1e-4
    # no strategy exceeds the certified upper bound; the certified lower bound is at least the best one-switch family
    best = max(_best_symmetric_one_switch(0.33), _one_player(0.33))
    assert best <= d["upper"] + 1e-12
    assert d["lower"] >= best - 1e-9
    assert len(d["certificates"]) == 2


def test_ct_min_interval_contains_the_kink(ct_min: ClaimResult) -> None:
    assert ct_min.status == "proved"
    a, b = ct_min.data["interval"]
    assert 0.325 <= a <= b <= 0.335
    # independent float estimate: the two one-switch families cross at the minimiser
    cross = brentq(lambda C: _best_symmetric_one_switch(C) - _one_player(C), 0.3, 0.36, xtol=1e-10)
    assert a - 1e-3 <= cross <= b + 1e-3
    lo, up = ct_min.data["value"]["lower"], ct_min.data["value"]["upper"]
    assert lo <= up
    # the one-switch strategies at the crossing are (near) optimal: the certified min_C value brackets their value
    at_cross = max(_best_symmetric_one_switch(cross), _one_player(cross))
    assert lo <= at_cross + 1e-6 and up <= at_cross + 1e-3


def test_q_gt_c_gap_is_positive_and_consistent(q_gt_c: ClaimResult) -> None:
    assert q_gt_c.status == "proved"
    d = q_gt_c.data
    assert d["gap_lower"] > 0.05
    assert d["gap_lower"] == pytest.approx(d["quantum_lower"] - d["classical_upper"], abs=1e-15)
    # the certified quantum lower bound (N = 16 strategy) is at least the paper's linear ansatz on the same bins
    n = 16
    mid = (np.arange(n) + 0.5) / n
    ansatz = AngleStrategy(3.709 - 2.760 * mid, 2.759 * mid).win_probability(discretise(paper_game(0.33), n))
    assert ansatz <= d["quantum_lower"] + 1e-9
    # and the classical upper bound is above every classical strategy we evaluate
    assert max(_best_symmetric_one_switch(0.33), _one_player(0.33)) <= d["classical_upper"] + 1e-12
