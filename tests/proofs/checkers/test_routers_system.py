"""Tests of the K-router checkers against independent computations (quadrature, closed forms, the simulator's formulas)."""

from __future__ import annotations

import copy
import math
from fractions import Fraction

import numpy as np
import pytest
from scipy import integrate

from proofs.checkers.routers_system import check_routers_dual, check_routers_strategy
from proofs.exact.errors import CertificateError, CertificateFormatError
from proofs.exact.routers_game import RoutersPoint, read_point

GAME = {"type": "routers", "K": "3", "law": "exponential", "lam": "2/5", "mu": "1", "W_limit": "5/2"}


def _strategy(components, **extra):  # noqa: ANN001, ANN202
    return {"schema": 2, "kind": "routers-strategy", "game": dict(GAME), "N": None, "side": "upper", "bound": "1", "model": "classical",
            "components": components, **extra}


def test_bin_means_and_lift_delta_match_quadrature() -> None:
    pt = read_point(GAME)
    N = 4
    edges = [-math.log1p(-k / N) for k in range(N)] + [math.inf]
    means = [integrate.quad(lambda x: x * math.exp(-x), a, b)[0] for a, b in zip(edges, edges[1:])]
    got = [float(e.mid()) for e in pt.bin_means(N)]
    assert np.allclose(got, means, atol=1e-10)
    delta = sum(integrate.quad(lambda x, m=N * e: abs(x - m) * math.exp(-x), a, b, points=[N * e] if b < math.inf else None)[0]
                for a, b, e in zip(edges, edges[1:], means))
    up = pt.lift_delta(N)
    assert delta <= float(up) < delta + 1e-9


def test_all_on_one_server_costs_W_bunch_and_never_splits() -> None:
    pt = read_point(GAME)
    W_bunch = pt.W0 + 3 * pt.mean_cost      # every pair together
    comp = [{"weight": "1", "thresholds": {"u": ["1", "1", "1"], "orient": [1, 1, 1]}}]
    with pytest.raises(CertificateError, match="not proved <= W_limit"):
        check_routers_strategy(_strategy(comp, bound="0"), "t")      # W_bunch = 4 > 5/2
    ok = _strategy(comp, bound="0")
    ok["game"]["W_limit"] = str(W_bunch + Fraction(1, 10**9))
    assert check_routers_strategy(ok, "t").details["proven"] == 0


def test_threshold_strategy_matches_the_model_formulas_and_refuses_a_low_claim() -> None:
    from analytic.laws.service import ServiceLaw
    from games.routers import RouterModel, threshold_moments

    u = [Fraction(5, 8), Fraction(1), Fraction(5, 8)]
    comp = [{"weight": "1", "thresholds": {"u": [str(v) for v in u], "orient": [1, 1, 1]}}]
    cert = _strategy(comp)
    cert["game"]["W_limit"] = "3"
    b = check_routers_strategy(cert, "t")
    m = RouterModel(3, 0.4, ServiceLaw.exponential(1.0))
    same, wq = m.moment_values(threshold_moments(m.law, np.array([float(v) for v in u]), np.ones(3)))
    assert abs(float(b.details["proven"]) - (1 - same)) < 1e-12 and abs(float(b.details["wq_upper"]) - wq) < 1e-9
    low = {**cert, "bound": str(b.details["proven"] - Fraction(1, 10**12))}
    with pytest.raises(CertificateError, match="below the strategy"):
        check_routers_strategy(low, "t")


def test_resource_state_is_checked_exactly() -> None:
    from bounds.multiparty_quantum import ghz
    from proofs.exact.rational import fraction_str

    res = ghz(3)
    factors = [{"subsystems": list(s), "rho": [[fraction_str(v) for v in row] for row in rho]} for s, rho in res.factors]
    Z = [[1, 0], [0, -1]]
    q = {"subsystems": [2, 2, 2], "owners": [0, 1, 2], "factors": factors, "observables": [[Z, Z]] * 3}
    cert = _strategy([{"weight": "1", "quantum": q}], model="quantum", bins=2, resource="ghz")
    cert["game"]["W_limit"] = "4001/1000"
    b = check_routers_strategy(cert, "t")                                  # Z on GHZ: all outcomes equal -> all on one server
    assert b.details["proven"] == 0 and b.target.game["resource"] == "ghz"
    bad = copy.deepcopy(cert)
    bad["resource"] = "pair+classical"
    with pytest.raises(CertificateError, match="not the resource"):
        check_routers_strategy(bad, "t")


@pytest.fixture(scope="module")
def duals():  # noqa: ANN201
    from analytic.laws.service import ServiceLaw
    from games.routers import RouterModel
    from proofs.certify.routers import _classical_dual, _exact_game

    m = RouterModel(3, 0.4, ServiceLaw.exponential(1.0))
    game = _exact_game(m, 2.5)
    return {k: v[0] for k, v in _classical_dual(m, game, 1.18, 4, None).items()}, game


def test_classical_dual_brackets_the_classical_estimate(duals) -> None:  # noqa: ANN001
    from analytic.laws.service import ServiceLaw
    from bounds.routers import classical_solution
    from games.routers import RouterModel

    d, _ = duals
    est = classical_solution(RouterModel(3, 0.4, ServiceLaw.exponential(1.0)), 2.5).p_split
    assert float(d["continuum"]) < est                # a continuum lower bound lies below the continuum optimum
    assert d["continuum"].value < d["N"].value        # the lifting term costs something
    assert d["N"].details["weight_error"] > 0         # exponential weights are not rational


def _dual_cert(game: dict, N: int | None, bound: str) -> dict:
    from analytic.laws.service import ServiceLaw
    from bounds.multiparty_classical import FactoredPairwise, threshold_certificates
    from games.routers import RouterModel

    pt = read_point(game)
    nu = Fraction(1)
    m = RouterModel(3, float(pt.lam), ServiceLaw.exponential(1.0))
    _, e = m.bin_moments(4)
    a = pt.pair_matrix(nu)
    fg = FactoredPairwise(3, (Fraction(1, 4),) * 4, tuple(Fraction(4 * v).limit_denominator(10**12) for v in e),
                          {S: ((a[0], a[1]), (a[1], a[2])) for S in ((0, 1), (0, 2), (1, 2))}, pt.constant(nu), "L")
    inner = threshold_certificates(fg)["upper"]
    return {"schema": 2, "kind": "routers-dual", "game": game, "N": N, "side": "lower", "bound": bound, "model": "classical", "nu": "1",
            "bins": 4, "inner": inner}


def test_dual_refuses_a_claim_above_what_it_proves_and_a_different_operating_point() -> None:
    ok = check_routers_dual(_dual_cert(dict(GAME), 4, "0"), "t")
    proven = ok.details["proven"]
    with pytest.raises(CertificateError, match="exceeds"):
        check_routers_dual(_dual_cert(dict(GAME), 4, str(proven + Fraction(1, 10**15))), "t")
    moved = {**GAME, "W_limit": "3"}                         # the inner weights were built for W_limit = 5/2
    b = check_routers_dual(_dual_cert(dict(GAME), 4, "0") | {"game": moved}, "t")
    assert b.details["weight_error"] > Fraction(1, 4)     # the constant differs by nu (3 - 5/2)
    with pytest.raises(CertificateFormatError, match="'N' must be null"):
        check_routers_dual(_dual_cert(dict(GAME), 5, "0"), "t")


def test_uniform_weights_are_exact() -> None:
    pt = RoutersPoint(3, Fraction(2, 5), "uniform", None, Fraction(5, 2))
    assert [e.rad() == 0 for e in pt.bin_means(4)] == [True] * 4
    assert pt.lift_delta(4) == Fraction(1, 8)


def test_continuum_claim_pays_the_lifting_term() -> None:
    b = check_routers_dual(_dual_cert(dict(GAME), 4, "0"), "t")
    assert check_routers_dual(_dual_cert(dict(GAME), None, "0"), "t").details["lift"] > 0
    with pytest.raises(CertificateError, match="exceeds"):
        check_routers_dual(_dual_cert(dict(GAME), None, str(b.details["proven"])), "t")   # the N-bin bound is not a continuum bound


def test_weight_error_is_charged() -> None:
    moved = {**GAME, "W_limit": "3"}
    b = check_routers_dual(_dual_cert(dict(GAME), 4, "0") | {"game": moved}, "t")
    with pytest.raises(CertificateError, match="exceeds"):
        check_routers_dual(_dual_cert(dict(GAME), 4, str(1 - b.details["inner_value"])) | {"game": moved}, "t")


def test_bin_constant_strategy_may_target_the_n_bin_optimum() -> None:
    """Field N = bins: allowed (target N bins) when every component is constant on the bins, refused with a threshold
    component or with N other than bins; the proven value is the same as with the continuum target."""
    comp_s = {"weight": "1/2", "signs": [[1, -1], [1, 1], [-1, -1]]}
    comp_t = {"weight": "1/2", "thresholds": {"u": ["1", "0", "1/2"], "orient": [1, 1, 1]}}
    cert = _strategy([comp_s, {**comp_s, "signs": [[1, 1], [1, 1], [1, 1]]}], bins=2)
    cert["game"]["W_limit"] = "4"
    cont = check_routers_strategy(cert, "t")
    on_bins = check_routers_strategy({**cert, "N": 2}, "t")
    assert cont.target.n is None and on_bins.target.n == 2 and on_bins.details["proven"] == cont.details["proven"]
    for bad in ({**cert, "N": 3}, {**cert, "N": True}, {**_strategy([comp_s, comp_t], bins=2), "N": 2}, {**cert, "N": "2"}):
        with pytest.raises(CertificateFormatError, match="field 'N'"):
            check_routers_strategy(bad, "t")
