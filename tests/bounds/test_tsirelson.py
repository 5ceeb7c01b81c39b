"""Tests of bounds.tsirelson and its kernels (known values, duality identity, bad input)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bounds import _kernels
from bounds.errors import BoundsParameterError, BoundsTypeError, SolverError
from bounds.tsirelson import dual_matrix, multipliers, tsirelson
from games import discretise, linear_boundary_game, paper_game
from proofs.exact.psd import verified_psd

CHSH = np.array([[1.0, 1.0], [1.0, -1.0]]) / 4
CHSH_Q = math.cos(math.pi / 8) ** 2


@pytest.mark.parametrize("method", ["fast", "scs", "clarabel"])
def test_chsh_value(method: str) -> None:
    # CHSH: Tsirelson's bound cos^2(pi/8), from both sides
    r = tsirelson(CHSH, method=method)
    assert r.lower_estimate == pytest.approx(CHSH_Q, abs=1e-7)
    assert r.upper_estimate == pytest.approx(CHSH_Q, abs=1e-6)
    assert r.lower_estimate <= r.upper_estimate


def test_fast_agrees_with_clarabel_on_paper_game() -> None:
    # two independent solvers (first-order vs interior point) give the same optimum
    d = discretise(paper_game(0.33), 12)
    fast = tsirelson(d)
    ipm = tsirelson(d, method="clarabel")
    assert fast.lower_estimate == pytest.approx(ipm.upper_estimate, abs=1e-7)
    assert fast.upper_estimate == pytest.approx(ipm.lower_estimate, abs=1e-7)


def test_gap_identity_and_weak_duality() -> None:
    # dual - primal equals the total diagonal shift 2 N delta added to the complementary-slackness multipliers
    d = discretise(paper_game(0.4), 40)
    r = tsirelson(d)
    xs, ys = multipliers(d.matrix, r.strategy.u, r.strategy.v)
    assert math.fsum(xs) + math.fsum(ys) == pytest.approx(r.primal_value, abs=1e-14)
    assert r.gap == pytest.approx(2 * d.n * r.shift, rel=1e-6, abs=1e-15)
    assert r.gap >= 0
    # weak duality against an independent evaluation of the strategy (games' exact cell sums)
    assert r.lower_estimate == pytest.approx(r.strategy.win_probability(d), abs=1e-13)
    assert r.strategy.win_probability(d) <= r.upper_estimate + 1e-15
    assert verified_psd(dual_matrix(d.matrix, r.x, r.y)).ok


def test_linear_game_below_known_continuum_value() -> None:
    # a bin-constant strategy cannot beat the continuum value 1/2 + 1/pi, and at N = 64 it is close
    r = tsirelson(discretise(linear_boundary_game(), 64))
    assert r.lower_estimate <= 0.5 + 1 / math.pi
    assert r.lower_estimate > 0.5 + 1 / math.pi - 1e-4


def test_paper_game_rank_two() -> None:
    # the optimum needs only one qubit measured in a plane (rank-2 Gram matrix)
    assert tsirelson(discretise(paper_game(0.33), 50)).rank() == 2


@given(st.integers(min_value=0, max_value=10_000), st.integers(min_value=1, max_value=7))
def test_random_matrices_lower_le_upper(seed: int, n: int) -> None:
    # property: the strategy value never exceeds the verified dual value
    m = np.random.default_rng(seed).standard_normal((n, n)) / n**2
    r = tsirelson(m, seed=seed)
    assert r.primal_value <= r.dual_value + 1e-15
    assert verified_psd(dual_matrix(m, r.x, r.y)).ok


def test_numba_kernel_matches_numpy_twin() -> None:
    # the numba kernel and its plain-numpy twin do the same arithmetic
    m = discretise(paper_game(0.2), 30).matrix.copy()
    v0 = np.random.default_rng(1).standard_normal((30, 4))
    v0 /= np.linalg.norm(v0, axis=1)[:, None]
    u0 = np.zeros_like(v0)
    u0[:, 0] = 1
    a = _kernels.alternate(m, m.T.copy(), u0.copy(), v0.copy(), 50, 0.0, 50)
    b = _kernels.alternate_numpy(m, m.T.copy(), u0.copy(), v0.copy(), 50, 0.0, 50)
    assert a[3] == b[3] == 50
    np.testing.assert_allclose(a[0], b[0], atol=1e-12)
    np.testing.assert_allclose(a[1], b[1], atol=1e-12)
    assert a[2] == pytest.approx(b[2], rel=1e-13)


def test_estimate_is_not_a_bound() -> None:
    # the solver result converts to an Estimate (value + provenance), never a Bound
    e = tsirelson(CHSH).as_estimate("CHSH")
    assert e.kind == "estimate" and e.method == "tsirelson-fast"


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"method": "mosek"}, "`method` must be one of"),  # unknown solver
        ({"rank": 0}, "`rank` must be an integer >= 1; got 0"),  # bad rank
        ({"tol": 0.5}, "`tol` must lie in"),  # tolerance out of range
        ({"max_iter": 0}, "`max_iter` must be an integer >= 1; got 0"),  # no iterations
    ],
)
def test_bad_parameters(kwargs: dict, match: str) -> None:
    with pytest.raises(BoundsParameterError, match=match):
        tsirelson(CHSH, **kwargs)


def test_bad_matrix() -> None:
    # non-square and non-finite inputs are refused with the parameter named
    with pytest.raises(BoundsParameterError, match="square"):
        tsirelson(np.ones((2, 3)))
    with pytest.raises(BoundsParameterError, match="finite"):
        tsirelson(np.array([[np.nan]]))


def test_cvxpy_status_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    # a solver that does not reach 'optimal' raises SolverError naming the status
    import cvxpy as cp

    def fake_solve(self, *a, **k):  # noqa: ANN001, ANN002, ANN003, ANN202
        self._status = "optimal_inaccurate"

    monkeypatch.setattr(cp.Problem, "solve", fake_solve)
    with pytest.raises(SolverError, match="optimal_inaccurate"):
        tsirelson(CHSH, method="scs")


@pytest.mark.slow
def test_fast_reaches_n2000() -> None:
    # the fast solver reaches N = 2000 with a tiny duality gap
    r = tsirelson(discretise(paper_game(0.33), 2000))
    assert r.gap / 2 < 1e-8


def test_blas_threads_policy(monkeypatch) -> None:  # noqa: ANN001
    # the pipeline runs BLAS on one thread unless QCOORD_BLAS_THREADS says otherwise; bad values are refused
    from threadpoolctl import threadpool_info

    from bounds.errors import BoundsParameterError
    from bounds.tsirelson import blas_threads

    def blas_counts() -> set[int]:
        return {d["num_threads"] for d in threadpool_info() if d["user_api"] == "blas"}

    monkeypatch.delenv("QCOORD_BLAS_THREADS", raising=False)
    with blas_threads():
        assert blas_counts() <= {1}
    monkeypatch.setenv("QCOORD_BLAS_THREADS", "zero")
    with pytest.raises(BoundsParameterError, match="QCOORD_BLAS_THREADS"), blas_threads():
        pass
    with pytest.raises(BoundsParameterError, match="limit"), blas_threads(0):
        pass


def test_pipeline_threads_policy(monkeypatch) -> None:  # noqa: ANN001
    # QCOORD_PIPELINE_THREADS forces 1 or 2; auto is 1 under a caller's BLAS limit of one thread or on one core
    import os

    from threadpoolctl import threadpool_info, threadpool_limits

    from bounds.errors import BoundsParameterError
    from bounds.tsirelson import PIPELINE_MIN_N, pipeline_threads

    for raw, want in (("1", 1), ("2", 2), (" 2 ", 2)):
        monkeypatch.setenv("QCOORD_PIPELINE_THREADS", raw)
        assert pipeline_threads() == want
    monkeypatch.setenv("QCOORD_PIPELINE_THREADS", "many")
    with pytest.raises(BoundsParameterError, match=r"QCOORD_PIPELINE_THREADS must be 1, 2 or 'auto'; got 'many'"):
        pipeline_threads()
    monkeypatch.setenv("QCOORD_PIPELINE_THREADS", "auto")
    with threadpool_limits(limits=1, user_api="blas"):
        assert pipeline_threads() == 1
    with threadpool_limits(limits=2, user_api="blas"):
        blas = {d["num_threads"] for d in threadpool_info() if d["user_api"] == "blas"}
        cores = len(os.sched_getaffinity(0))
        assert pipeline_threads() == pipeline_threads(PIPELINE_MIN_N) == (2 if cores >= 2 and min(blas) >= 2 else 1)
        assert pipeline_threads(PIPELINE_MIN_N - 1) == 1  # small N: sequential
        monkeypatch.setenv("QCOORD_PIPELINE_THREADS", "2")
        assert pipeline_threads(8) == 2  # forced
        monkeypatch.setenv("QCOORD_PIPELINE_THREADS", "auto")
        monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
        assert pipeline_threads() == 1


def test_on_candidate_sees_the_final_strategy(monkeypatch) -> None:  # noqa: ANN001
    # the last candidate told before an accepted dual is the result's strategy (bitwise after normalising), sweeps and status
    from bounds.tsirelson import Candidate
    from games.strategies import VectorStrategy

    seen: list[Candidate] = []
    r = tsirelson(discretise(paper_game(0.33), 24), on_candidate=seen.append)
    last = VectorStrategy(seen[-1].u, seen[-1].v)
    assert last.u.tobytes() == r.strategy.u.tobytes() and last.v.tobytes() == r.strategy.v.tobytes()
    assert (seen[-1].iterations, seen[-1].status) == (r.iterations, r.status)
    with pytest.raises(BoundsTypeError, match="`on_candidate` must be None or a callable"):
        tsirelson(CHSH, on_candidate=3)


def test_step_snap_bounds_the_change() -> None:
    # eps bounds the spectral norm of what the snap changed (numpy's SVD as the independent check)
    from bounds.tsirelson import step_snap

    m = discretise(paper_game(0.33), 150).matrix
    snapped, eps = step_snap(-0.5 * m)
    assert eps >= np.linalg.norm(-0.5 * m - snapped, 2)
    beta = np.abs(snapped[0, 0])
    assert np.count_nonzero(np.abs(snapped) == beta) > 0.9 * m.size
    assert np.allclose(snapped, -0.5 * m, rtol=2.0**-30, atol=0)


def test_feasible_dual_is_psd_in_exact_arithmetic() -> None:
    # the shift found with the step Schur test (snapped matrix) makes the dual of the *unsnapped* M PSD:
    # exact rational LDL^T as the independent oracle
    from proofs.exact.psd import exact_psd

    r = tsirelson(discretise(paper_game(0.33), 14))
    m = discretise(paper_game(0.33), 14).matrix
    assert exact_psd(dual_matrix(m, r.x, r.y)).ok


def test_psd_test_decides_the_shift_and_is_validated() -> None:
    # a caller's proof replaces the solver's own PSD test: refusing shifts below 1e-10 forces the quadrupling
    from bounds.errors import BoundsTypeError

    calls: list[float] = []

    def refuse_small(x: np.ndarray, y: np.ndarray, shift: float) -> bool:
        calls.append(shift)
        return shift > 1e-10

    r = tsirelson(CHSH, psd_test=refuse_small)
    assert r.shift == calls[-1] > 1e-10 and all(s <= 1e-10 for s in calls[:-1])
    assert all(b == 4 * a for a, b in zip(calls, calls[1:]))
    with pytest.raises(BoundsTypeError, match="psd_test"):
        tsirelson(CHSH, psd_test=3)
