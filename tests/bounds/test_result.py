"""bounds.result: every solver result shares one base, one status vocabulary and one naming rule."""

from __future__ import annotations

import json

import numpy as np
import pytest

from bounds import ContinuumClassical, ContinuumRelaxation, ExactClassical, NpaResult, SolverResult, SolveStatus, TsirelsonResult
from bounds.classical_continuum import continuum_classical
from bounds.classical_exact import exact_classical
from bounds.continuum import continuum_relaxation
from bounds.npa import npa, xor_weights
from bounds.tsirelson import tsirelson
from games import discretise, linear_boundary_game

CHSH = np.array([[1.0, 1.0], [1.0, -1.0]]) / 4


@pytest.mark.parametrize("cls", [TsirelsonResult, ExactClassical, ContinuumClassical, NpaResult, ContinuumRelaxation])
def test_every_result_is_a_solver_result(cls: type) -> None:
    assert issubclass(cls, SolverResult)


def _results() -> dict[str, SolverResult]:
    game = linear_boundary_game()
    d = discretise(game, 8)
    return {
        "tsirelson": tsirelson(d),
        "exact": exact_classical(game, 8),
        "continuum": continuum_classical(game, 20),
        "npa": npa(xor_weights(CHSH), "1", solver="clarabel"),
        "relaxation": continuum_relaxation(d),
    }


def test_provenance_and_estimate_names() -> None:
    for name, r in _results().items():
        assert isinstance(r.status, SolveStatus), name
        assert r.message and r.seconds >= 0 and isinstance(dict(r.parameters), dict), name
        json.dumps(r.to_dict())  # JSON-ready provenance
        # the naming rule: an upper estimate on every result; no bare `estimate` or `value` field
        assert 0 <= r.upper_estimate <= 1 + 1e-9, name
        assert not hasattr(r, "estimate") and not hasattr(r, "value"), name
    assert _results()["exact"].status == SolveStatus.EXACT


def test_fast_solver_status_describes_the_solve() -> None:
    # one sweep cannot converge on a 24-bin game: the status says so, and the dual is still made feasible
    d = discretise(linear_boundary_game(), 24)
    short = tsirelson(d, max_iter=1, rank=4)
    assert short.status == SolveStatus.ITERATION_LIMIT and "max_iter" in short.message
    full = tsirelson(d)
    assert full.status == SolveStatus.CONVERGED
    assert short.upper_estimate >= full.lower_estimate - 1e-12  # weak duality holds for any feasible dual


def test_cvxpy_result_is_optimal() -> None:
    r = tsirelson(CHSH, method="clarabel")
    assert r.status == SolveStatus.OPTIMAL and r.status == "optimal"


def test_every_result_pickles_with_read_only_parameters() -> None:
    # a job of a process pool or a Dask cluster returns results by pickle: they come back whole and still read-only
    import pickle
    from types import MappingProxyType

    for name, r in _results().items():
        back = pickle.loads(pickle.dumps(r))
        assert type(back) is type(r), name
        assert isinstance(back.parameters, MappingProxyType) and dict(back.parameters) == dict(r.parameters), name
        assert back.status == r.status and back.message == r.message and back.upper_estimate == r.upper_estimate, name
        with pytest.raises(TypeError):
            back.parameters["x"] = 1  # type: ignore[index]
