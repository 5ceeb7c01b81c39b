"""The continuum relaxation's producer: certificates the checker accepts, monotone in the constraints, below classical strategies."""

from __future__ import annotations

from fractions import Fraction

import pytest

from bounds.errors import BoundsParameterError
from bounds.routers_continuum import continuum_relaxation, default_directions, default_weights, routers_game
from proofs.checkers.registry import check_certificate
from proofs.exact.routers_game import read_point


def test_certificate_is_accepted_and_weights_tighten_the_bound() -> None:
    plain = continuum_relaxation(2, 0.6, 1.65, directions=6, weights=0)
    weighted = continuum_relaxation(2, 0.6, 1.65, directions=6, weights=3, weight_bins=16)
    for r in (plain, weighted):
        b = check_certificate(r.certificate)
        assert float(b) == r.lower_estimate and b.side == "lower"
        assert abs(r.solver_estimate - r.lower_estimate) < 1e-5  # rounding and repair cost little
    # more constraints can only raise the relaxation's bound (the scalar directions alone miss rotating strategies)
    assert weighted.lower_estimate > plain.lower_estimate + 0.05


def test_even_level_is_accepted_tighter_and_below_the_certified_quantum_value() -> None:
    """Level 1+ab+even (lemma R9) with the same directions and weights: accepted, no lower than 1+ab, and at K = 2 still below
    the certified two-router quantum p_split [0.6350783317, 0.6350783318] (an independent Tsirelson-dual computation; a valid
    relaxation of the entangled class cannot exceed it)."""
    plain = continuum_relaxation(2, 0.6, 1.65, directions=6, weights=3, weight_bins=16)
    even = continuum_relaxation(2, 0.6, 1.65, directions=6, weights=3, weight_bins=16, level="1+ab+even")
    b = check_certificate(even.certificate)
    assert even.certificate["level"] == "1+ab+even" and float(b) == even.lower_estimate
    assert even.lower_estimate >= plain.lower_estimate - 1e-7
    assert even.lower_estimate <= 0.6350783318


@pytest.mark.slow
def test_even_level_narrows_the_three_router_gap() -> None:
    """K = 3, rho = 0.6, W_limit = 2.5: the classical threshold profile of the estimate has p_split 0.6171166 (certified upper bound
    in the README, independent of the relaxation); level 1+ab+even gains at least 0.02 over 1+ab with the same constraints and
    stays below that classical value (the relaxation also bounds the classical class)."""
    plain = continuum_relaxation(3, 0.4, 2.5, directions=4, weights=2, weight_bins=16)
    even = continuum_relaxation(3, 0.4, 2.5, directions=4, weights=2, weight_bins=16, level="1+ab+even")
    check_certificate(even.certificate)
    assert even.lower_estimate > plain.lower_estimate + 0.02
    assert even.lower_estimate < 0.6171166


def test_cutting_planes_tighten_the_bound() -> None:
    base = continuum_relaxation(2, 0.6, 1.65, directions=6, weights=2, weight_bins=16)
    cut = continuum_relaxation(2, 0.6, 1.65, directions=6, weights=2, weight_bins=16, refine=1)
    assert cut.n_weights > base.n_weights and cut.lower_estimate > base.lower_estimate
    check_certificate(cut.certificate)


def test_fixed_nu_is_written_and_never_beats_the_optimised_one() -> None:
    free = continuum_relaxation(3, 0.4, 3.0, directions=4, weights=1, weight_bins=8)
    fixed = continuum_relaxation(3, 0.4, 3.0, directions=4, weights=1, weight_bins=8, nu=Fraction(1, 3))
    assert fixed.certificate["nu"] == "1/3"
    assert fixed.lower_estimate <= free.lower_estimate + 1e-7
    check_certificate(fixed.certificate)


def test_uniform_law_certificate() -> None:
    r = continuum_relaxation(3, 0.4, 2.5, law="uniform", directions=4, weights=1, weight_bins=8)
    b = check_certificate(r.certificate)
    assert r.certificate["game"]["law"] == "uniform" and 0.0 < float(b) < 1.0


def test_directions_and_weights_enclose_their_moments() -> None:
    pt = read_point(routers_game(3, 0.4, 2.5))
    ds = default_directions(pt, 10)
    assert len(ds) == 10 and (ds[0].alpha, ds[0].beta) == (1, 0)
    assert 1 <= ds[0].H < 1 + Fraction(1, 10**9) and 1 <= ds[1].H < 1 + Fraction(1, 10**9)  # h(1, 0) = 1, h(0, 1) = E|X| = 1
    ws = default_weights(pt, 4, bins=8)
    assert len(ws) == 4 and all(w.R[0] >= 1 and w.R[0] * w.R[2] >= w.R[1] ** 2 for w in ws)  # Cauchy-Schwarz
    assert default_weights(pt, 0) == []


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"solver": "mosek"}, "`solver` must be one of"),
    ({"law": "pareto"}, "`law` must be"),
    ({"nu": -1}, "`nu` must be >= 0"),
    ({"directions": 1}, "`count` \\(directions\\) must be an integer >= 2"),
    ({"weights": -1}, "`count` \\(weights\\) must be an integer >= 0"),
    ({"refine": -1}, "`refine` must be an integer >= 0"),
    ({"level": "2"}, "`level` must be one of"),
])
def test_bad_parameters_are_named(kwargs: dict, match: str) -> None:
    with pytest.raises(BoundsParameterError, match=match):
        continuum_relaxation(3, 0.4, 2.5, **kwargs)


def test_bad_K_is_named() -> None:
    with pytest.raises(BoundsParameterError, match="`K` must be 2, 3 or 4"):
        continuum_relaxation(5, 0.2, 2.5)


@pytest.mark.slow
def test_K4_relaxation_is_certified_and_below_a_classical_strategy() -> None:
    from proofs.certify.routers import routers_result

    r = routers_result(4, 0.3, 3.0, N=2, resources=(), relaxation=(8, 4, 0))
    ent = r.bounds["entangled"]
    assert float(ent["lower_relaxation"]) <= float(r.bounds["classical"]["upper"])
