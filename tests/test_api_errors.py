"""The public Python API refuses every bad argument up front with a QcoordError naming the parameter and the value.

One table of bad calls across the public API: every function exported by ``games``, ``analytic``, ``bounds`` and
the ``proofs`` facade (and ``proofs.certify``'s certify_classical, certify_quantum, classical_minimiser,
quantum_sweep, system_result); :func:`test_every_public_function_is_in_the_table` keeps it complete.  Wrong types, bool for int, NaN, infinities, negatives, sizes that
would not fit in memory, meaningless seeds, unusable certificate folders.  Each call must raise a subclass of
:class:`proofs.exact.errors.QcoordError` (also a ValueError or TypeError) whose message names the parameter and
shows the value given, and must do so quickly (before any work: the table runs in seconds).  A few boundary
calls that must succeed close the file.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import analytic
import bounds
import games
import proofs
from games import LINEAR, classical_estimate, discretise, optimise_angles, paper_game
from proofs import QcoordError, check_certificate, classical_bracket, quantum_bracket
from proofs.certify.classical import certify_classical, classical_minimiser
from proofs.certify.quantum import certify_quantum, quantum_sweep
from proofs.certify.system import system_result

NAN, INF = math.nan, math.inf


@dataclass(frozen=True)
class Env:
    game: Any
    disc: Any
    pt: Any
    tmp: Path
    file: Path  # a regular file: no folder can be created under it
    law: Any  # analytic.ServiceLaw, exponential
    rule: Any  # an analytic rule
    strategy: Any  # a games.VectorStrategy
    claim: Any  # a proofs.Claim


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Env:
    tmp = tmp_path_factory.mktemp("api")
    f = tmp / "a-file"
    f.write_text("not a folder")
    game = paper_game(0.33)
    disc = discretise(game, 6)
    law = analytic.ServiceLaw.named("exponential")
    return Env(game, disc, bounds.operating_point(0.6, 1.65, mu=1.0), tmp, f, law, analytic.optimal_fixed_p_rule(0.6, law, 0.5),
               bounds.tsirelson(disc).strategy, proofs.CLAIMS[0])


Call = Callable[[Env], Any]
_ONES6 = np.ones(6)  # a +-1 strategy of the 6-bin game


def _gamma() -> Any:
    from scipy import stats

    return stats.gamma(2.0, scale=0.5)

def _bnb(**kw: Any) -> Any:
    from bounds.xor_bnb import solve_classical_bnb
    from games.xor import XorMatrixGame

    return solve_classical_bnb(XorMatrixGame.from_bias([["1/4", "1/4"], ["1/4", "-1/4"]]), **kw)


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
    # bounds.xor_bnb.solve_classical_bnb
    ("node_bound", "'simplex'", lambda e: _bnb(node_bound="simplex")),
    ("node_bound", "3", lambda e: _bnb(node_bound=3)),
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
    # every other exported function: one row or more per argument
    # games.anneal / best_response / polish / continuum_value / catalogue
    ("disc", "str", lambda e: games.anneal("disc")),
    ("sweeps", "0", lambda e: games.anneal(e.disc, sweeps=0)),
    ("sweeps", "1.5", lambda e: games.anneal(e.disc, sweeps=1.5)),
    ("sweeps", "1000000000000", lambda e: games.anneal(e.disc, sweeps=10**12)),
    ("t_start", "inf", lambda e: games.anneal(e.disc, t_start=INF)),
    ("t_start", "'2'", lambda e: games.anneal(e.disc, t_start="2")),
    ("t_end", "nan", lambda e: games.anneal(e.disc, t_end=NAN)),
    ("restarts", "0", lambda e: games.anneal(e.disc, restarts=0)),
    ("restarts", "1000000000000", lambda e: games.anneal(e.disc, restarts=10**12)),
    ("seed", "True", lambda e: games.anneal(e.disc, seed=True)),
    ("disc", "NoneType", lambda e: games.best_response(None)),
    ("starts", "0", lambda e: games.best_response(e.disc, starts=0)),
    ("starts", "1000000000000", lambda e: games.best_response(e.disc, starts=10**12)),
    ("seed", "-1", lambda e: games.best_response(e.disc, seed=-1)),
    ("seed", str(2**32), lambda e: games.best_response(e.disc, seed=2**32)),
    ("disc", "str", lambda e: games.polish("disc", _ONES6, _ONES6)),
    ("g", "(5,)", lambda e: games.polish(e.disc, np.ones(5), _ONES6)),
    ("h", "str", lambda e: games.polish(e.disc, _ONES6, "h")),
    ("g", "nan", lambda e: games.polish(e.disc, np.full(6, NAN), _ONES6)),
    ("max_iter", "0", lambda e: games.polish(e.disc, _ONES6, _ONES6, max_iter=0)),
    ("max_iter", "1.5", lambda e: games.polish(e.disc, _ONES6, _ONES6, max_iter=1.5)),
    ("max_iter", "1000000000000", lambda e: games.polish(e.disc, _ONES6, _ONES6, max_iter=10**12)),
    ("game", "str", lambda e: games.continuum_value("paper", LINEAR, [0, 1, 1])),
    ("ansatz", "'linear'", lambda e: games.continuum_value(e.game, "linear", [0, 1, 1])),
    ("params", "[0, 1]", lambda e: games.continuum_value(e.game, LINEAR, [0, 1])),
    ("params", "nan", lambda e: games.continuum_value(e.game, LINEAR, [0, NAN, 1])),
    ("params", "'abc'", lambda e: games.continuum_value(e.game, LINEAR, "abc")),
    ("nodes", "0", lambda e: games.continuum_value(e.game, LINEAR, [0, 1, 1], nodes=0)),
    ("nodes", "1.5", lambda e: games.continuum_value(e.game, LINEAR, [0, 1, 1], nodes=1.5)),
    ("nodes", "1000000000", lambda e: games.continuum_value(e.game, LINEAR, [0, 1, 1], nodes=10**9)),
    ("panels", "-1", lambda e: games.continuum_value(e.game, LINEAR, [0, 1, 1], panels=-1)),
    ("panels", "1000000000", lambda e: games.continuum_value(e.game, LINEAR, [0, 1, 1], panels=10**9)),
    ("s", "inf", lambda e: games.linear_boundary_game(INF)),
    ("s", "-1", lambda e: games.linear_boundary_game(-1)),
    ("s", "True", lambda e: games.linear_boundary_game(True)),
    ("t", "inf", lambda e: games.sum_threshold_game(_gamma(), INF)),
    ("t", "'1'", lambda e: games.sum_threshold_game(_gamma(), "1")),
    ("law", "5", lambda e: games.sum_threshold_game(5, 1.0)),
    ("N", str(2**64), lambda e: discretise(e.game, 2**64)),
    ("N", "None", lambda e: discretise(e.game, None)),
    # analytic
    ("record_id", "'nope'", lambda e: analytic.build_record("nope")),
    ("record_id", "5", lambda e: analytic.build_record(5)),
    ("record_id", "'nope'", lambda e: analytic.load_record("nope")),
    ("record_id", "None", lambda e: analytic.load_record(None)),
    ("record_id", "'../x'", lambda e: analytic.load_record("../x")),
    ("directory", "a-file", lambda e: analytic.load_record("eq8", e.file)),
    ("directory", "5", lambda e: analytic.load_record("eq8", 5)),
    ("directory", "a-file", lambda e: analytic.write_records(e.file / "sub")),
    ("directory", "5", lambda e: analytic.write_records(5)),
    ("rhos", "1.5", lambda e: analytic.excess_grid(rhos=(1.5,))),
    ("rhos", "nan", lambda e: analytic.excess_grid(rhos=(NAN,))),
    ("rhos", "'x'", lambda e: analytic.excess_grid(rhos="x")),
    ("p_splits", "-0.1", lambda e: analytic.excess_grid(p_splits=(-0.1,))),
    ("p_splits", "5", lambda e: analytic.excess_grid(p_splits=5)),
    ("order", "'bad'", lambda e: analytic.excess_grid(order="bad")),
    ("rhos", "100000000", lambda e: analytic.excess_grid(rhos=range(10**8))),
    ("lam", "nan", lambda e: analytic.lambda_eff(NAN, 0.5)),
    ("lam", "-1", lambda e: analytic.lambda_eff(-1, 0.5)),
    ("lam", "'1'", lambda e: analytic.lambda_eff("1", 0.5)),
    ("p_split", "1.5", lambda e: analytic.lambda_eff(1.0, 1.5)),
    ("p_split", "nan", lambda e: analytic.lambda_eff(1.0, NAN)),
    ("lam", "nan", lambda e: analytic.optimal_fixed_p_rule(NAN, e.law, 0.5)),
    ("lam", "-1", lambda e: analytic.optimal_fixed_p_rule(-1, e.law, 0.5)),
    ("law", "'exponential'", lambda e: analytic.optimal_fixed_p_rule(0.6, "exponential", 0.5)),
    ("p_split", "2", lambda e: analytic.optimal_fixed_p_rule(0.6, e.law, 2)),
    ("p_split", "nan", lambda e: analytic.optimal_fixed_p_rule(0.6, e.law, NAN)),
    ("order", "'x'", lambda e: analytic.optimal_fixed_p_rule(0.6, e.law, 0.5, order="x")),
    ("law", "int", lambda e: analytic.parse_law(5)),
    ("law", "'nolaw'", lambda e: analytic.parse_law("nolaw")),
    ("k", "1.00000E+999", lambda e: analytic.parse_law("gamma:1e999")),
    ("rho", "1.0", lambda e: analytic.qos_comparison(1.0, 0.5, 2)),
    ("rho", "nan", lambda e: analytic.qos_comparison(NAN, 0.5, 2)),
    ("rho", "'0.5'", lambda e: analytic.qos_comparison("0.5", 0.5, 2)),
    ("p_split", "-1", lambda e: analytic.qos_comparison(0.5, -1, 2)),
    ("k", "nan", lambda e: analytic.qos_comparison(0.5, 0.5, NAN)),
    ("k", "inf", lambda e: analytic.qos_comparison(0.5, 0.5, INF)),
    ("order", "'x'", lambda e: analytic.qos_comparison(0.5, 0.5, 2, order="x")),
    ("rho", "1.5", lambda e: analytic.threshold_excess(1.5, 0.5)),
    ("rho", "-0.5", lambda e: analytic.threshold_excess(-0.5, 0.5)),
    ("p_split", "nan", lambda e: analytic.threshold_excess(0.5, NAN)),
    ("order", "'x'", lambda e: analytic.threshold_excess(0.5, 0.5, order="x")),
    ("law", "'x'", lambda e: analytic.threshold_excess(0.5, 0.5, law="x")),
    ("law", "'x'", lambda e: analytic.threshold_for_p_split("x", 0.5)),
    ("p_split", "1.5", lambda e: analytic.threshold_for_p_split(e.law, 1.5)),
    ("p_split", "nan", lambda e: analytic.threshold_for_p_split(e.law, NAN)),
    ("p_split", "'0.5'", lambda e: analytic.threshold_for_p_split(e.law, "0.5")),
    ("lam", "nan", lambda e: analytic.throughput_monomial(NAN, 1.0, 0.5, 2)),
    ("mean_service", "-1", lambda e: analytic.throughput_monomial(0.5, -1, 0.5, 2)),
    ("p_split", "2", lambda e: analytic.throughput_monomial(0.5, 1.0, 2, 2)),
    ("k", "inf", lambda e: analytic.throughput_monomial(0.5, 1.0, 0.5, INF)),
    ("k", "'2'", lambda e: analytic.throughput_monomial(0.5, 1.0, 0.5, "2")),
    ("rule", "str", lambda e: analytic.waiting_time("x", e.law, 0.6)),
    ("law", "str", lambda e: analytic.waiting_time(e.rule, "x", 0.6)),
    ("lam", "-1", lambda e: analytic.waiting_time(e.rule, e.law, -1)),
    ("lam", "nan", lambda e: analytic.waiting_time(e.rule, e.law, NAN)),
    ("order", "'x'", lambda e: analytic.waiting_time(e.rule, e.law, 0.6, order="x")),
    # bounds
    ("strategy", "str", lambda e: bounds.anatomy("x")),
    ("tol", "nan", lambda e: bounds.anatomy(e.strategy, tol=NAN)),
    ("tol", "'x'", lambda e: bounds.anatomy(e.strategy, tol="x")),
    ("game", "str", lambda e: bounds.continuum_classical("paper")),
    ("bins", "1", lambda e: bounds.continuum_classical(e.game, 1)),
    ("bins", "1.5", lambda e: bounds.continuum_classical(e.game, 1.5)),
    ("bins", "1000000000", lambda e: bounds.continuum_classical(e.game, 10**9)),
    ("disc", "str", lambda e: bounds.continuum_relaxation("disc")),
    ("relaxation", "'foo'", lambda e: bounds.continuum_relaxation(e.disc, "foo")),
    ("method", "'magic'", lambda e: bounds.continuum_relaxation(e.disc, method="magic")),
    ("seed", "-1", lambda e: bounds.continuum_relaxation(e.disc, seed=-1)),
    ("seed", "1.5", lambda e: bounds.continuum_relaxation(e.disc, seed=1.5)),
    ("crossed", "(3,)", lambda e: bounds.continuum_relaxation(e.disc, crossed=np.ones(3))),
    ("result", "str", lambda e: bounds.continuum_relaxation(e.disc, result="x")),
    ("pt", "'pt'", lambda e: bounds.dual_ideal("pt", 1.0)),
    ("nu", "nan", lambda e: bounds.dual_ideal(e.pt, NAN)),
    ("nu", "-1", lambda e: bounds.dual_ideal(e.pt, -1.0)),
    ("game", "str", lambda e: bounds.exact_classical("paper", 4)),
    ("N", "0", lambda e: bounds.exact_classical(e.game, 0)),
    ("N", "1.5", lambda e: bounds.exact_classical(e.game, 1.5)),
    ("N", "True", lambda e: bounds.exact_classical(e.game, True)),
    ("N", "1000000", lambda e: bounds.exact_classical(e.game, 10**6)),
    ("pt", "NoneType", lambda e: bounds.ideal_solution(None)),
    ("weights", "str", lambda e: bounds.npa("x")),
    ("weights", "nan", lambda e: bounds.npa(np.full((2, 2, 2, 2), NAN))),
    ("weights", "(3,)", lambda e: bounds.npa(np.ones(3))),
    ("level", "'9'", lambda e: bounds.npa(np.ones((2, 2, 2, 2)), "9")),
    ("solver", "'magic'", lambda e: bounds.npa(np.ones((2, 2, 2, 2)), solver="magic")),
    ("eps", "nan", lambda e: bounds.npa(np.ones((2, 2, 2, 2)), eps=NAN)),
    ("eps", "-1", lambda e: bounds.npa(np.ones((2, 2, 2, 2)), eps=-1.0)),
    ("weights", "100000", lambda e: bounds.npa(np.broadcast_to(np.float64(1.0), (2, 2, 100000, 100000)))),
    ("law", "5", lambda e: bounds.operating_point(0.6, 1.65, law=5)),
    ("lam", "True", lambda e: bounds.operating_point(True, 1.65, mu=1.0)),
    ("rank", "0", lambda e: bounds.tsirelson(e.disc, rank=0)),
    ("rank", "1.5", lambda e: bounds.tsirelson(e.disc, rank=1.5)),
    ("tol", "nan", lambda e: bounds.tsirelson(e.disc, tol=NAN)),
    ("max_iter", "1.5", lambda e: bounds.tsirelson(e.disc, max_iter=1.5)),
    ("psd_test", "3", lambda e: bounds.tsirelson(e.disc, psd_test=3)),
    ("on_candidate", "3", lambda e: bounds.tsirelson(e.disc, on_candidate=3)),
    ("seed", "1.5", lambda e: bounds.tsirelson(e.disc, seed=1.5)),
    ("use_numba", "'yes'", lambda e: bounds.tsirelson(e.disc, use_numba="yes")),
    ("disc", "100000", lambda e: bounds.tsirelson(np.broadcast_to(np.float64(1.0), (100000, 100000)))),
    ("visibility", "nan", lambda e: bounds.solve_class(e.pt, "quantum", visibility=NAN)),
    ("tol", "nan", lambda e: bounds.solve_class(e.pt, "classical", tol=NAN)),
    ("tol", "-1", lambda e: bounds.solve_mixture(e.pt, 0.5, tol=-1.0)),
    # proofs facade and the certify entry points
    ("path", "5", lambda e: proofs.load_certificate(5)),
    ("path", "no-such.json", lambda e: proofs.load_certificate(e.tmp / "no-such.json")),
    ("path", "a-file", lambda e: proofs.load_certificate(e.file)),
    ("cert", "no-such.json", lambda e: proofs.check_certificate(str(e.tmp / "no-such.json"))),
    ("claim", "str", lambda e: proofs.run_claim("eq5", quick=True, cert_dir=e.tmp)),
    ("quick", "'yes'", lambda e: proofs.run_claim(e.claim, quick="yes", cert_dir=e.tmp)),
    ("cert_dir", "a-file", lambda e: proofs.run_claim(e.claim, quick=True, cert_dir=e.file / "sub")),
    ("workers", "0", lambda e: proofs.run_claim(e.claim, quick=True, cert_dir=e.tmp, workers=0)),
    ("workers", "1.5", lambda e: proofs.run_claim(e.claim, quick=True, cert_dir=e.tmp, workers=1.5)),
    ("dask", "5", lambda e: proofs.run_claim(e.claim, quick=True, cert_dir=e.tmp, dask=5)),
    ("continuum", "'yes'", lambda e: proofs.quantum_bracket(e.game, 6, continuum="yes")),
    ("C_min", "nan", lambda e: classical_minimiser(NAN, 0.95)),
    ("C_max", "1.5", lambda e: classical_minimiser(0.05, 1.5)),
    ("C_min", "0.9", lambda e: classical_minimiser(0.9, 0.1)),
    ("C_min", "'0.1'", lambda e: classical_minimiser("0.1", 0.9)),
    ("tol", "0", lambda e: classical_minimiser(tol=0)),
    ("tol", "nan", lambda e: classical_minimiser(tol=NAN)),
    ("grid", "0", lambda e: classical_minimiser(grid=0)),
    ("grid", "1.5", lambda e: classical_minimiser(grid=1.5)),
    ("grid", "1000000000", lambda e: classical_minimiser(grid=10**9)),
    ("bins", "1", lambda e: classical_minimiser(bins=1)),
    ("bins", "1000000000", lambda e: classical_minimiser(bins=10**9)),
    ("cert_dir", "a-file", lambda e: classical_minimiser(cert_dir=e.file / "sub")),
    ("workers", "0", lambda e: classical_minimiser(workers=0)),
    ("workers", "1.5", lambda e: classical_minimiser(workers=1.5)),
    ("dask", "5", lambda e: classical_minimiser(dask=5)),
    ("executor", "str", lambda e: classical_minimiser(executor="x")),
    ("C_values", "nan", lambda e: quantum_sweep([0.3, NAN], 6)),
    ("C_values", "1.5", lambda e: quantum_sweep([1.5], 6)),
    ("C_values", "int", lambda e: quantum_sweep(5, 6)),
    ("C_values", "'0.3'", lambda e: quantum_sweep(["0.3"], 6)),
    ("n", "0", lambda e: quantum_sweep([0.3], 0)),
    ("n", "1.5", lambda e: quantum_sweep([0.3], 1.5)),
    ("n", "1000000", lambda e: quantum_sweep([0.3], 10**6)),
    ("continuum", "'yes'", lambda e: quantum_sweep([0.3], 6, continuum="yes")),
    ("method", "'magic'", lambda e: quantum_sweep([0.3], 6, method="magic")),
    ("seed", "-1", lambda e: quantum_sweep([0.3], 6, seed=-1)),
    ("cert_dir", "a-file", lambda e: quantum_sweep([0.3], 6, cert_dir=e.file / "sub")),
    # bounds.multiparty_seesaw.general_seesaw, bounds.routers.classical_bins, proofs.certify.routers.routers_bins_result
    ("game", "str", lambda e: _seesaw()("chsh")),
    ("restarts", "0", lambda e: _seesaw()(_chsh(), restarts=0)),
    ("restarts", "1.5", lambda e: _seesaw()(_chsh(), restarts=1.5)),
    ("rounds", "0", lambda e: _seesaw()(_chsh(), rounds=0)),
    ("seed", "-1", lambda e: _seesaw()(_chsh(), seed=-1)),
    ("model", "str", lambda e: _bins()("model", 4.5, 2)),
    ("W_limit", "nan", lambda e: _bins()(_k4(), NAN, 2)),
    ("W_limit", "0.5", lambda e: _bins()(_k4(), 0.5, 2)),
    ("N", "0", lambda e: _bins()(_k4(), 4.5, 0)),
    ("N", "6", lambda e: _bins()(_k4(), 4.5, 6)),
    ("npa_level", "'2'", lambda e: _bins_result()(4, 0.3, 4.5, npa_level="2")),
    ("restarts", "-1", lambda e: _bins_result()(4, 0.3, 4.5, restarts=-1)),
    ("N", "1", lambda e: _bins_result()(4, 0.3, 4.5, N=1)),
    ("seed", "-1", lambda e: _bins_result()(4, 0.3, 4.5, seed=-1)),
    ("cert_dir", "a-file", lambda e: _bins_result()(4, 0.3, 4.5, cert_dir=e.file / "sub")),
    ("lam", "-1", lambda e: _bins_result()(4, -1, 4.5)),
]


def _seesaw() -> Any:
    from bounds.multiparty_seesaw import general_seesaw

    return general_seesaw


def _chsh() -> Any:
    from games.multiparty import CorrelatorGame

    return CorrelatorGame(2, 2, {(0, 1): np.array([[1.0, 1.0], [1.0, -1.0]]) / 8}, constant=0.5)


def _bins() -> Any:
    from bounds.routers import classical_bins

    return classical_bins


def _k4() -> Any:
    from games.routers import RouterModel

    return RouterModel.at_load(4, 0.6)


def _bins_result() -> Any:
    from proofs.certify.routers import routers_bins_result

    return routers_bins_result


def _id(case: tuple[str, str, Call]) -> str:
    return f"{case[0]}={case[1]}"


def test_table_is_large_enough() -> None:
    assert len(BAD) >= 300


#: exported functions without arguments (sympy derivations): nothing to refuse
NO_ARGUMENTS = frozenset(n for n in analytic.__all__ if n.startswith("derive_"))


def test_every_public_function_is_in_the_table() -> None:
    """Each function of the public modules has at least one bad call per argument it takes in BAD."""
    import inspect

    source = inspect.getsource(inspect.getmodule(test_every_public_function_is_in_the_table))  # type: ignore[arg-type]
    table = source[source.index("BAD: list"):source.index("def _id(")]
    missing = []
    for module in (games, analytic, bounds, proofs):
        for name in module.__all__:
            fn = getattr(module, name)
            if not inspect.isfunction(fn) or name in NO_ARGUMENTS:
                continue
            params = [p for p in inspect.signature(fn).parameters.values() if p.kind is not p.VAR_KEYWORD]
            named = {m.group(1) for m in re.finditer(rf'^\s*\("(\w+)", .*\b{name}\(', table, re.M)}
            if not named:
                missing.append(name)
                continue
            missing += [f"{name}({p.name})" for p in params if p.name not in named and (name, p.name) not in UNNAMED]
    assert not missing, missing


#: arguments whose refusal is reported under the name the docs use: parse_law's text is `law` (NAME[:PARAM]),
#: discretise's and exact_classical's n is `N` (the N-bin game)
UNNAMED = frozenset({("parse_law", "text"), ("discretise", "n"), ("exact_classical", "n")})


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
