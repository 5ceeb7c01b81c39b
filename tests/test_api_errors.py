"""The public Python API refuses every bad argument up front with a QcoordError naming the parameter and the value.

One table of bad calls across the API the README shows (``games``: paper_game, discretise, classical_estimate,
optimise_angles and the searches; ``proofs``: classical_bracket, quantum_bracket, certify_classical,
certify_quantum, check_certificate, system_result; ``bounds``: operating_point, dual_classical, dual_quantum,
solve_class, solve_mixture, tsirelson): wrong types, bool for int, NaN, infinities, negatives, sizes that
would not fit in memory, meaningless seeds, unusable certificate folders.  Each call must raise a subclass of
:class:`proofs.exact.errors.QcoordError` (also a ValueError or TypeError) whose message names the parameter and
shows the value given, and must do so quickly (before any work: the table runs in seconds).  A few boundary
calls that must succeed close the file.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import bounds
import games
from games import LINEAR, classical_estimate, discretise, optimise_angles, paper_game
from proofs import QcoordError, check_certificate, classical_bracket, quantum_bracket
from proofs.certify.classical import certify_classical
from proofs.certify.quantum import certify_quantum
from proofs.certify.system import system_result

NAN, INF = math.nan, math.inf


@dataclass(frozen=True)
class Env:
    game: Any
    disc: Any
    pt: Any
    tmp: Path
    file: Path  # a regular file: no folder can be created under it


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Env:
    tmp = tmp_path_factory.mktemp("api")
    f = tmp / "a-file"
    f.write_text("not a folder")
    game = paper_game(0.33)
    return Env(game, discretise(game, 6), bounds.operating_point(0.6, 1.65, mu=1.0), tmp, f)


Call = Callable[[Env], Any]


def _gamma() -> Any:
    from scipy import stats

    return stats.gamma(2.0, scale=0.5)

#: (parameter named in the message, text of the value in the message, the call)
BAD: list[tuple[str, str, Call]] = [
    # games.paper_game
    ("C", "'0.33'", lambda e: paper_game("0.33")),
    ("C", "nan", lambda e: paper_game(NAN)),
    ("C", "inf", lambda e: paper_game(INF)),
    ("C", "-inf", lambda e: paper_game(-INF)),
    ("C", "0", lambda e: paper_game(0)),
    ("C", "1.0", lambda e: paper_game(1.0)),
    ("C", "-0.5", lambda e: paper_game(-0.5)),
    ("C", "True", lambda e: paper_game(True)),
    ("C", "1e-320", lambda e: paper_game(1e-320)),
    ("C", "[0.33]", lambda e: paper_game([0.33])),
    ("C", "(0.5+0j)", lambda e: paper_game(0.5 + 0j)),
    ("t", "None", lambda e: paper_game(mu=1.0)),
    ("mu", "-1", lambda e: paper_game(mu=-1, t=1.0)),
    ("mu", "'1'", lambda e: paper_game(mu="1", t=1.0)),
    ("t", "nan", lambda e: paper_game(mu=1.0, t=NAN)),
    ("t", "inf", lambda e: paper_game(mu=1.0, t=INF)),
    ("mu", "1e-300", lambda e: paper_game(mu=1e-300, t=1e-300)),
    ("C", "0.5", lambda e: paper_game(0.5, mu=1.0, t=1.0)),
    # games.linear_boundary_game / sum_threshold_game
    ("s", "nan", lambda e: games.linear_boundary_game(NAN)),
    ("s", "'1'", lambda e: games.linear_boundary_game("1")),
    ("t", "-1", lambda e: games.sum_threshold_game(_gamma(), -1)),
    ("t", "nan", lambda e: games.sum_threshold_game(_gamma(), NAN)),
    ("law", "'nolaw'", lambda e: games.sum_threshold_game("nolaw", 1.0)),
    # games.discretise
    ("game", "str", lambda e: discretise("paper", 8)),
    ("N", "0", lambda e: discretise(e.game, 0)),
    ("N", "-1", lambda e: discretise(e.game, -1)),
    ("N", "1.5", lambda e: discretise(e.game, 1.5)),
    ("N", "True", lambda e: discretise(e.game, True)),
    ("N", "'8'", lambda e: discretise(e.game, "8")),
    ("N", "1000000", lambda e: discretise(e.game, 10**6)),
    ("N", "10000000000", lambda e: discretise(e.game, 10**10)),
    # games.classical_estimate
    ("disc", "XorGame", lambda e: classical_estimate(e.game)),
    ("seed", "1.5", lambda e: classical_estimate(e.disc, seed=1.5)),
    ("seed", "-1", lambda e: classical_estimate(e.disc, seed=-1)),
    ("seed", "True", lambda e: classical_estimate(e.disc, seed=True)),
    ("seed", "'0'", lambda e: classical_estimate(e.disc, seed="0")),
    ("seed", str(2**70), lambda e: classical_estimate(e.disc, seed=2**70)),
    ("seed", "None", lambda e: classical_estimate(e.disc, seed=None)),
    ("sweeps", "0", lambda e: classical_estimate(e.disc, sweeps=0)),
    ("sweeps", "2.5", lambda e: classical_estimate(e.disc, sweeps=2.5)),
    ("restarts", "-2", lambda e: classical_estimate(e.disc, restarts=-2)),
    ("starts", "0", lambda e: classical_estimate(e.disc, starts=0)),
    ("starts", "False", lambda e: classical_estimate(e.disc, starts=False)),
    ("starts", "1000000000000", lambda e: classical_estimate(e.disc, starts=10**12)),
    ("sweeps", "1000000000000", lambda e: classical_estimate(e.disc, sweeps=10**12)),
    # games.anneal / best_response
    ("t_start", "nan", lambda e: games.anneal(e.disc, t_start=NAN)),
    ("t_end", "-0.1", lambda e: games.anneal(e.disc, t_end=-0.1)),
    ("seed", "-5", lambda e: games.anneal(e.disc, seed=-5)),
    ("seed", "0.5", lambda e: games.best_response(e.disc, seed=0.5)),
    ("starts", "-1", lambda e: games.best_response(e.disc, starts=-1)),
    # games.optimise_angles
    ("disc", "str", lambda e: optimise_angles("disc", LINEAR)),
    ("ansatz", "'linear'", lambda e: optimise_angles(e.disc, "linear")),
    ("starts", "0", lambda e: optimise_angles(e.disc, LINEAR, starts=0)),
    ("starts", "1.0", lambda e: optimise_angles(e.disc, LINEAR, starts=1.0)),
    ("seed", "-1", lambda e: optimise_angles(e.disc, LINEAR, seed=-1)),
    ("seed", "1.5", lambda e: optimise_angles(e.disc, LINEAR, seed=1.5)),
    ("continuum", "'yes'", lambda e: optimise_angles(e.disc, LINEAR, continuum="yes")),
    ("starts", "1000000000000", lambda e: optimise_angles(e.disc, LINEAR, starts=10**12)),
    # proofs.classical_bracket / certify_classical
    ("game", "str", lambda e: classical_bracket("paper", 8)),
    ("n", "0", lambda e: classical_bracket(e.game, 0)),
    ("n", "-3", lambda e: classical_bracket(e.game, -3)),
    ("n", "1.5", lambda e: classical_bracket(e.game, 1.5)),
    ("n", "True", lambda e: classical_bracket(e.game, True)),
    ("n", "'8'", lambda e: classical_bracket(e.game, "8")),
    ("n", "1000000", lambda e: classical_bracket(e.game, 10**6)),
    ("n", "None", lambda e: classical_bracket(e.game)),
    ("continuum", "'yes'", lambda e: classical_bracket(e.game, continuum="yes")),
    ("continuum", "1", lambda e: classical_bracket(e.game, continuum=1)),
    ("cert_dir", "a-file", lambda e: classical_bracket(e.game, 6, cert_dir=e.file / "sub")),
    ("cert_dir", "a-file", lambda e: classical_bracket(e.game, 6, cert_dir=e.file)),
    ("cert_dir", "42", lambda e: classical_bracket(e.game, 6, cert_dir=42)),
    ("seed", "1.5", lambda e: classical_bracket(e.game, 6, seed=1.5)),
    ("seed", "-1", lambda e: classical_bracket(e.game, 6, seed=-1)),
    ("bins", "1", lambda e: classical_bracket(e.game, continuum=True, bins=1)),
    ("bins", "1.5", lambda e: classical_bracket(e.game, continuum=True, bins=1.5)),
    ("bins", "1000000000", lambda e: classical_bracket(e.game, continuum=True, bins=10**9)),
    ("exact_max_n", "-1", lambda e: classical_bracket(e.game, 6, exact_max_n=-1)),
    ("exact_max_n", "2.0", lambda e: classical_bracket(e.game, 6, exact_max_n=2.0)),
    ("C", "1e-320", lambda e: classical_bracket(games.XorGame(games.HyperbolicBoundary(1e-320)), continuum=True)),
    ("bogus", "1", lambda e: classical_bracket(e.game, 6, bogus=1)),
    ("seed", "-1", lambda e: certify_classical(e.game, 6, seed=-1)),
    ("cert_dir", "a-file", lambda e: certify_classical(e.game, continuum=True, cert_dir=e.file / "x" / "y")),
    # proofs.quantum_bracket / certify_quantum
    ("game", "int", lambda e: quantum_bracket(3, 8)),
    ("n", "0", lambda e: quantum_bracket(e.game, 0)),
    ("n", "1.5", lambda e: quantum_bracket(e.game, 1.5)),
    ("n", "True", lambda e: quantum_bracket(e.game, True)),
    ("n", "1000000", lambda e: quantum_bracket(e.game, 10**6)),
    ("continuum", "'no'", lambda e: quantum_bracket(e.game, 6, continuum="no")),
    ("cert_dir", "a-file", lambda e: quantum_bracket(e.game, 6, cert_dir=e.file / "sub")),
    ("cert_dir", "1.5", lambda e: quantum_bracket(e.game, 6, cert_dir=1.5)),
    ("method", "'slow'", lambda e: certify_quantum(e.game, 6, method="slow")),
    ("relaxation", "'foo'", lambda e: certify_quantum(e.game, 6, relaxation="foo")),
    ("seed", "-1", lambda e: certify_quantum(e.game, 6, seed=-1)),
    ("seed", "1.5", lambda e: certify_quantum(e.game, 6, seed=1.5)),
    ("n", "-4", lambda e: certify_quantum(e.game, -4)),
    ("cert_dir", "a-file", lambda e: certify_quantum(e.game, 6, cert_dir=e.file)),
    # proofs.check_certificate
    ("cert", "42", lambda e: check_certificate(42)),
    ("cert", "None", lambda e: check_certificate(None)),
    ("source", "5", lambda e: check_certificate({"schema": 2}, source=5)),
    # proofs.certify.system.system_result
    ("lam", "nan", lambda e: system_result(NAN, 1.65, 3, mu=1.0)),
    ("lam", "-1", lambda e: system_result(-1, 1.65, 3, mu=1.0)),
    ("lam", "'0.6'", lambda e: system_result("0.6", 1.65, 3, mu=1.0)),
    ("lam", "0", lambda e: system_result(0, 1.65, 3, mu=1.0)),
    ("lam", "True", lambda e: system_result(True, 1.65, 3, mu=1.0)),
    ("rho", "rho = 1", lambda e: system_result(1.0, 1.65, 3, mu=1.0)),
    ("W_limit", "nan", lambda e: system_result(0.6, NAN, 3, mu=1.0)),
    ("W_limit", "-1", lambda e: system_result(0.6, -1, 3, mu=1.0)),
    ("W_limit", "inf", lambda e: system_result(0.6, INF, 3, mu=1.0)),
    ("k", "nan", lambda e: system_result(0.6, 1.65, NAN, mu=1.0)),
    ("k", "'3'", lambda e: system_result(0.6, 1.65, "3", mu=1.0)),
    ("k", "-1", lambda e: system_result(0.6, 1.65, -1, mu=1.0)),
    ("mu", "0", lambda e: system_result(0.6, 1.65, 3, mu=0)),
    ("mu", "-1", lambda e: system_result(0.6, 1.65, 3, mu=-1.0)),
    ("mu", "'1'", lambda e: system_result(0.6, 1.65, 3, mu="1")),
    ("law", "'nolaw'", lambda e: system_result(0.6, 1.65, 3, law="nolaw")),
    ("law", "5", lambda e: system_result(0.6, 1.65, 3, law=5)),
    ("route", "'fast'", lambda e: system_result(0.6, 1.65, 3, mu=1.0, route="fast")),
    ("certify", "'yes'", lambda e: system_result(0.6, 1.65, 3, mu=1.0, certify="yes")),
    ("cert_dir", "a-file", lambda e: system_result(0.6, 1.65, 3, mu=1.0, cert_dir=e.file / "sub")),
    ("simulate_pairs", "0", lambda e: system_result(0.6, 1.65, 3, mu=1.0, simulate_pairs=0)),
    ("simulate_pairs", "-1", lambda e: system_result(0.6, 1.65, 3, mu=1.0, simulate_pairs=-1)),
    ("simulate_pairs", "1.5", lambda e: system_result(0.6, 1.65, 3, mu=1.0, simulate_pairs=1.5)),
    ("simulate_pairs", "1000000000000000", lambda e: system_result(0.6, 1.65, 3, mu=1.0, simulate_pairs=10**15)),
    ("seed", "-1", lambda e: system_result(0.6, 1.65, 3, mu=1.0, seed=-1)),
    ("seed", "1.5", lambda e: system_result(0.6, 1.65, 3, mu=1.0, seed=1.5)),
    # bounds.operating_point
    ("lam", "nan", lambda e: bounds.operating_point(NAN, 1.65, mu=1.0)),
    ("lam", "-0.5", lambda e: bounds.operating_point(-0.5, 1.65, mu=1.0)),
    ("W_limit", "nan", lambda e: bounds.operating_point(0.6, NAN, mu=1.0)),
    ("W_limit", "'x'", lambda e: bounds.operating_point(0.6, "x", mu=1.0)),
    ("mu", "0", lambda e: bounds.operating_point(0.6, 1.65, mu=0)),
    ("mu", "inf", lambda e: bounds.operating_point(0.6, 1.65, mu=INF)),
    ("law", "'exponential'", lambda e: bounds.operating_point(0.6, 1.65, law="exponential")),
    # bounds.dual_classical / dual_quantum
    ("pt", "str", lambda e: bounds.dual_classical("pt", 1.0)),
    ("nu", "nan", lambda e: bounds.dual_classical(e.pt, NAN)),
    ("nu", "-1", lambda e: bounds.dual_classical(e.pt, -1.0)),
    ("nu", "'1'", lambda e: bounds.dual_classical(e.pt, "1")),
    ("pt", "NoneType", lambda e: bounds.dual_quantum(None, 1.0)),
    ("nu", "inf", lambda e: bounds.dual_quantum(e.pt, INF)),
    ("visibility", "1.5", lambda e: bounds.dual_quantum(e.pt, 1.0, visibility=1.5)),
    ("visibility", "nan", lambda e: bounds.dual_quantum(e.pt, 1.0, visibility=NAN)),
    ("iters", "0", lambda e: bounds.dual_quantum(e.pt, 1.0, iters=0)),
    ("iters", "1.5", lambda e: bounds.dual_quantum(e.pt, 1.0, iters=1.5)),
    ("tol", "-1", lambda e: bounds.dual_quantum(e.pt, 1.0, tol=-1.0)),
    ("tol", "nan", lambda e: bounds.dual_quantum(e.pt, 1.0, tol=NAN)),
    ("start", "'x'", lambda e: bounds.dual_quantum(e.pt, 1.0, start="x")),
    # bounds.solve_class / solve_mixture
    ("pt", "NoneType", lambda e: bounds.solve_class(None, "classical")),
    ("model", "'foo'", lambda e: bounds.solve_class(e.pt, "foo")),
    ("model", "3", lambda e: bounds.solve_class(e.pt, 3)),
    ("visibility", "-0.1", lambda e: bounds.solve_class(e.pt, "quantum", visibility=-0.1)),
    ("tol", "0", lambda e: bounds.solve_class(e.pt, "classical", tol=0)),
    ("pt", "int", lambda e: bounds.solve_mixture(1, 0.5)),
    ("quantum_fraction", "1.5", lambda e: bounds.solve_mixture(e.pt, 1.5)),
    ("quantum_fraction", "nan", lambda e: bounds.solve_mixture(e.pt, NAN)),
    ("quantum_fraction", "'0.5'", lambda e: bounds.solve_mixture(e.pt, "0.5")),
    ("visibility", "2", lambda e: bounds.solve_mixture(e.pt, 0.5, visibility=2)),
    # bounds.tsirelson
    ("method", "'magic'", lambda e: bounds.tsirelson(e.disc, method="magic")),
    ("seed", "-1", lambda e: bounds.tsirelson(e.disc, seed=-1)),
    ("max_iter", "0", lambda e: bounds.tsirelson(e.disc, max_iter=0)),
    ("disc", "str", lambda e: bounds.tsirelson("disc")),
]


def _id(case: tuple[str, str, Call]) -> str:
    return f"{case[0]}={case[1]}"


def test_table_is_large_enough() -> None:
    assert len(BAD) >= 100


@pytest.mark.parametrize("param, shown, call", BAD, ids=[f"{i:03d}-{_id(c)}" for i, c in enumerate(BAD)])
def test_bad_call(env: Env, param: str, shown: str, call: Call) -> None:
    start = time.perf_counter()
    with pytest.raises(QcoordError) as info:
        call(env)
    assert isinstance(info.value, (ValueError, TypeError)), type(info.value)
    msg = str(info.value)
    assert f"`{param}`" in msg, msg
    assert shown in msg, msg
    assert time.perf_counter() - start < 5.0  # refused before any work
    assert not (env.file.parent / "a-file" / "sub").exists()


def test_unusable_cert_dir_creates_nothing(env: Env, tmp_path: Path) -> None:
    # a folder that cannot be written: the refusal comes before any certificate is computed or any folder made
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        import os

        if os.access(ro, os.W_OK):  # running as root: permissions are not enforced
            pytest.skip("permissions are not enforced for this user")
        with pytest.raises(QcoordError, match="`cert_dir`"):
            classical_bracket(env.game, 6, cert_dir=ro / "new")
        assert not (ro / "new").exists()
    finally:
        ro.chmod(0o700)


# good calls at the edges of the ranges: they must succeed
def test_good_boundary_calls(env: Env, tmp_path: Path) -> None:
    g = paper_game(np.float64(0.5))
    assert g.boundary.C == 0.5
    assert paper_game(2.3e-308).boundary.C == 2.3e-308  # the smallest normal doubles are allowed
    assert discretise(env.game, np.int64(1)).n == 1
    est = classical_estimate(env.disc, seed=0, sweeps=1, restarts=1, starts=1)
    assert 0.5 <= est.value <= 1
    assert classical_estimate(env.disc, seed=2**32 - 1, sweeps=1, restarts=1, starts=1).seed == 2**32 - 1
    # a cert_dir that does not exist yet but can be created is fine (created on write)
    b = classical_bracket(env.game, 2, cert_dir=tmp_path / "new" / "deeper", seed=np.int64(3), exact_max_n=0)
    assert b.lower.value <= b.upper.value
    q = quantum_bracket(env.game, 2, cert_dir=str(tmp_path))
    # N = 2: the quantum value is at least the classical one (one certified lower bound against the other's upper)
    assert q.upper.value >= b.lower.value
    pt = bounds.operating_point(0.6, 1.65, mu=1)
    assert bounds.solve_mixture(pt, 0.0)[0] == pytest.approx(bounds.solve_class(pt, "classical").p_split, abs=1e-6)
    assert bounds.dual_classical(pt, 0.0).value == pytest.approx(1.0)  # nu = 0: the dual is the always-split p = 1
