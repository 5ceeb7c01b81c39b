"""proofs.certify.sweep: the certified sweep over C against closed forms and strategies evaluated independently."""

from __future__ import annotations

import dataclasses
import math
import os
from pathlib import Path

import numpy as np
import pytest

from games import ThresholdStrategy, paper_game
from games.quantum_search import LINEAR, continuum_value
from proofs.certify.jobs import InlineExecutor
from proofs.certify.sweep import CertifiedSweep, certify_sweep, sweep_grid
from proofs.checkers.registry import check_certificate
from proofs.claims.paper import LINEAR_PARAMS
from proofs.exact.errors import QcoordError


def _one_player(C: float) -> float:
    # A always outputs +1, B switches at b = 1 - 2C (closed-form family of the paper's game)
    return ThresholdStrategy((), (1 - 2 * C,), 1, 1).win_probability(paper_game(C))


def _cell_min(c0: float, c1: float, A: float, B: float) -> float:
    """min over C in [c0, c1] of max(A - L (C - c0), B - L (c1 - C)), L = |ln c0|, on a fine grid (floats)."""
    L = abs(math.log(c0))
    C = np.linspace(c0, c1, 200_001)
    return float(np.min(np.maximum(A - L * (C - c0), B - L * (c1 - C))))


@pytest.fixture(scope="module")
def classical_only(tmp_path_factory) -> CertifiedSweep:
    return certify_sweep(0.3, 0.5, 3, bins=30, tol=0.05, cert_dir=tmp_path_factory.mktemp("sweep"))


def test_grid_is_evenly_spaced_and_rounded():
    assert sweep_grid(0.25, 0.45, 5) == [0.25, 0.3, 0.35, 0.4, 0.45]
    assert sweep_grid(0.6, 0.6, 1) == [0.6]
    assert sweep_grid(0.1, 0.2, 4) == [0.1, 0.1333333333, 0.1666666667, 0.2]


@pytest.mark.parametrize("args, name", [((0.5, 0.4, 3), "C_min"), ((0.0, 0.4, 3), "C_min"), ((0.2, 1.0, 3), "C_max"), ((0.2, 0.4, 0), "steps")])
def test_bad_grid_is_one_clear_error(args, name):
    with pytest.raises(QcoordError, match=f"`{name}`"):
        sweep_grid(*args)


def test_classical_brackets_hold_independent_strategies(classical_only):
    s = classical_only
    assert [p.C for p in s.points] == [0.3, 0.4, 0.5]
    for p in s.points:
        lo, up = p.classical_lower, p.classical_upper
        # a strategy is a lower bound of the value: never above the certified upper bound
        assert _one_player(p.C) <= up + 1e-12
        assert lo <= up and up - lo < 1e-3
        # above the kink near C = 0.33 the optimum is the one-player strategy: the certified lower bound reaches it
        if p.C > 0.34:
            assert lo >= _one_player(p.C) - 2e-3
        assert p.quantum is None and p.gap_lower is None and "quantum" not in p.to_dict()
        # the bracket's certificates are files that pass the checker
        assert sorted(check_certificate(f).side for f in p.classical.paths.values()) == ["lower", "upper"]
    assert s.gap_peak is None and "gap_peak" not in s.summary()


def test_grid_minimiser_and_lipschitz_cells(classical_only):
    s = classical_only
    ups = [p.classical_upper for p in s.points]
    m = s.minimiser
    assert m.C == s.points[int(np.argmin(ups))].C == 0.3 and m.upper == min(ups)
    assert m.unresolved_grid_points == tuple(p.C for p in s.points if p.classical_lower <= m.upper)
    # every cell bound: at most the float minimum of the Lipschitz envelope, and close to it
    lows = [p.classical_lower for p in s.points]
    env = [_cell_min(s.points[i].C, s.points[i + 1].C, lows[i], lows[i + 1]) for i in range(len(s.points) - 1)]
    assert m.min_value_lower <= min(env + lows) + 1e-12
    assert m.min_value_lower >= min(env + lows) - 1e-6
    assert m.min_value_upper == m.upper
    assert m.minimiser_cells == tuple((s.points[i].C, s.points[i + 1].C) for i in range(len(env)) if env[i] <= m.upper + 1e-9)


def test_certified_minimiser_over_C(classical_only):
    cm = classical_only.certified_minimiser
    assert cm is not None
    a, b = cm["interval"]
    # the argmin of the continuum classical value is near the paper's C_t ~ 0.33 (the kink of the two strategy families)
    assert 0.3 <= a <= 0.33 <= b <= 0.4
    assert all(y - x <= 0.05 + 1e-12 for x, y in cm["cells"])
    assert cm["value"]["lower"] <= cm["value"]["upper"] <= classical_only.minimiser.upper


def test_result_is_frozen_and_serialises_in_order(classical_only):
    with pytest.raises(dataclasses.FrozenInstanceError):
        classical_only.bins = 3  # type: ignore[misc]
    d = classical_only.to_dict()
    assert list(d) == ["rows", "minimiser", "certified_minimiser", "N", "bins", "seed"]
    assert d["N"] is None and d["bins"] == 30 and d["seed"] == 0
    assert list(d["rows"][0]) == ["C", "classical", "structure"]


def test_one_point_has_no_branch_and_bound(tmp_path):
    s = certify_sweep(0.45, 0.45, 1, bins=20, cert_dir=tmp_path)
    assert s.certified_minimiser is None and s.minimiser.C == 0.45 and s.minimiser.minimiser_cells == ()
    st = s.points[0].structure()
    # at C = 0.45 one player's output is constant and the other switches once, at b = 1 - 2C (closed form)
    assert sorted((st["n_switches_g"], st["n_switches_h"])) == [0, 1]
    assert (st["a_switches"] + st["b_switches"])[0] == pytest.approx(1 - 2 * 0.45, abs=2 / 20)


def test_quantum_gap_is_the_difference_of_checked_bounds(tmp_path):
    s = certify_sweep(0.33, 0.33, 1, bins=30, quantum_n=16, cert_dir=tmp_path)
    (p,) = s.points
    assert p.quantum is not None and len(p.quantum_paths) == 2
    lower, upper = (check_certificate(f) for f in p.quantum_paths)
    assert (lower.side, upper.side) == ("lower", "upper") and lower.target.n is None
    assert p.gap_lower == float(lower.value) - p.classical_upper
    # the paper's linear-ansatz strategy (its stated d, evaluated in games) is a quantum strategy: below the certified upper bound
    assert continuum_value(paper_game(0.33), LINEAR, LINEAR_PARAMS) <= float(upper.value)
    assert p.gap_lower > 0.05  # quantum beats classical at C = 0.33 (certified)
    assert s.gap_peak is not None and s.gap_peak.C == 0.33 and s.gap_peak.positive_at == (0.33,)
    row = p.to_dict()
    assert list(row) == ["C", "classical", "structure", "quantum", "gap_lower"] and row["quantum"]["certificates"] == list(p.quantum_paths)


# --------------------------------------------------------------------------- the sweep as jobs

_TINY = dict(C_min=0.3, C_max=0.4, steps=2, bins=20, quantum_n=8, tol=0.05)


def _fingerprint(s: CertifiedSweep, cert_dir: Path) -> tuple:
    """Everything a sweep found, exactly: each bound's side, exact value and certificate file; the summaries; the files written."""
    rows = []
    for p in s.points:
        bounds = [p.classical.bracket.lower, p.classical.bracket.upper] + ([p.quantum.lower, p.quantum.upper] if p.quantum else [])
        rows.append((p.C, [(b.side, b.value, Path(b.certificate).name) for b in bounds], p.structure(), [Path(x).name for x in p.quantum_paths]))
    return rows, s.minimiser, s.gap_peak, s.certified_minimiser, sorted(os.listdir(cert_dir))


def _all_in(s: CertifiedSweep, cert_dir: Path) -> None:
    """Every certificate the result names is a file in ``cert_dir`` that the checker passes, with the bound the result holds."""
    for p in s.points:
        bounds = [p.classical.bracket.lower, p.classical.bracket.upper] + ([p.quantum.lower, p.quantum.upper] if p.quantum else [])
        assert sorted(b.certificate for b in bounds if b.target.player_model == "classical") == sorted(p.classical.paths.values())
        for b in bounds:
            assert Path(b.certificate).parent == cert_dir
            assert check_certificate(b.certificate).value == b.value
        assert all(Path(x).parent == cert_dir and Path(x).is_file() for x in p.quantum_paths)


@pytest.fixture(scope="module")
def tiny_inline(tmp_path_factory) -> tuple[CertifiedSweep, Path]:
    d = tmp_path_factory.mktemp("inline")
    return certify_sweep(**_TINY, cert_dir=d, workers=1), d


def test_certificates_written_on_another_machine_land_in_cert_dir(tiny_inline, tmp_path, elsewhere):
    s, d = tiny_inline
    _all_in(s, d)
    # the jobs' own files vanish (they stay on the worker's machine): the driver writes the texts the jobs returned
    away = certify_sweep(**_TINY, cert_dir=tmp_path, executor=elsewhere(tmp_path))
    _all_in(away, tmp_path)
    assert _fingerprint(away, tmp_path) == _fingerprint(s, d)


def test_in_process_dask_cluster_gives_the_inline_sweep(tiny_inline, tmp_path):
    distributed = pytest.importorskip("distributed")
    s, d = tiny_inline
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0") as cluster:
        on_dask = certify_sweep(**_TINY, cert_dir=tmp_path, dask=cluster.scheduler_address)
    _all_in(on_dask, tmp_path)
    assert _fingerprint(on_dask, tmp_path) == _fingerprint(s, d)


@pytest.mark.slow
def test_two_processes_give_the_inline_sweep(tiny_inline, tmp_path):
    s, d = tiny_inline
    pooled = certify_sweep(**_TINY, cert_dir=tmp_path, workers=2)
    _all_in(pooled, tmp_path)
    assert _fingerprint(pooled, tmp_path) == _fingerprint(s, d)


def test_certify_points_match_the_classical_bracket_certified_directly(tmp_path):
    from proofs.certify.classical import certify_classical
    from proofs.certify.sweep import certify_points

    pts = certify_points([0.6, 0.3], bins=20, cert_dir=tmp_path / "a", executor=InlineExecutor())
    assert [p.C for p in pts] == [0.6, 0.3]  # in the order asked, not sorted
    for p in pts:
        direct = certify_classical(paper_game(p.C), continuum=True, bins=20, cert_dir=tmp_path / "b").bracket
        assert (p.classical.bracket.lower.value, p.classical.bracket.upper.value) == (direct.lower.value, direct.upper.value)
        assert p.quantum is None
