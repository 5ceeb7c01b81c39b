"""proofs.certify.routers: certified brackets on p_split of K routers, re-checked from their files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from proofs.certify.routers import ENTANGLED, routers_result
from proofs.checkers.registry import check_certificate
from proofs.exact.errors import ProofsParameterError

#: the two-router system at pair rate 3/5 (rho = 0.6), exponential service, W_limit = 2: certified brackets of
#: proofs.certify.system.system_result (system-dual / system-strategy kinds, a different game and checker)
K2_CLASSICAL = (0.30960141098601, 0.30960141106526)
K2_QUANTUM = (0.28163180179207, 0.28163180189464)


@pytest.fixture(scope="module")
def three(tmp_path_factory):  # noqa: ANN001, ANN201
    d = tmp_path_factory.mktemp("routers3")
    return routers_result(3, 0.4, 3.0, N=2, resources=("ghz",), cert_dir=d), d


@pytest.fixture(scope="module")
def two(tmp_path_factory):  # noqa: ANN001, ANN201
    d = tmp_path_factory.mktemp("routers2")
    return routers_result(2, 0.6, 2.0, N=2, resources=(), cert_dir=d), d


@pytest.mark.slow
def test_brackets_are_ordered_and_rechecked(three) -> None:  # noqa: ANN001
    """K = 3 (slow: the classical estimate of bounds.routers takes about 20 s)."""
    r, d = three
    cl, ent = r.bounds["classical"], r.bounds[ENTANGLED]
    # continuum: dual below, explicit strategy above; N bins: a bin strategy is a continuum strategy
    assert float(cl["lower_continuum"]) <= float(cl["upper"]) <= float(cl["lower_N"]) + 1.0
    assert float(cl["lower_continuum"]) <= float(cl["lower_N"])
    # every entangled strategy is bounded below by the NPA dual; the classical class is inside the entangled one
    assert float(ent["lower_N"]) <= float(cl["lower_N"]) + 1e-12
    assert float(ent["lower_continuum"]) <= float(ent["lower_N"])
    assert float(ent["lower_continuum"]) <= float(r.bounds["ghz"]["upper"])
    assert r.estimates["ideal"] <= float(cl["upper"])
    files = sorted(Path(d).glob("*.json"))
    assert len(files) == len(r.certificates) == 7   # classical: strategy, dual (N, continuum); entangled: dual (N, continuum), relaxation; ghz
    kinds = set()
    for f in files:
        b = check_certificate(str(f))
        kinds.add((json.loads(f.read_text())["kind"], b.side))
    assert kinds == {("routers-strategy", "upper"), ("routers-dual", "lower"), ("routers-continuum-dual", "lower")}
    inner = [json.loads(f.read_text())["inner"]["kind"] for f in files if json.loads(f.read_text())["kind"] == "routers-dual"]
    assert sorted(set(inner)) == ["multiparty-classical-threshold", "npa-multiparty-dual"]


@pytest.mark.slow
def test_three_routers_npa_equals_classical_on_bins(three) -> None:  # noqa: ANN001
    # the two lower bounds come from different inner certificates (threshold enumeration vs NPA 1+ab dual)
    r, _ = three
    gap = float(r.bounds["classical"]["lower_N"]) - float(r.bounds[ENTANGLED]["lower_N"])
    assert 0 <= gap < 1e-6


def test_entangled_dual_refuses_a_higher_claim(two) -> None:  # noqa: ANN001
    from fractions import Fraction

    from proofs.exact.errors import CertificateError

    _, d = two
    path = next(Path(d).glob("routers-dual*"))
    for f in Path(d).glob("routers-dual*"):
        c = json.loads(f.read_text())
        if c["model"] == "quantum" and c["N"] is not None:
            path = f
    cert = json.loads(path.read_text())
    assert cert["model"] == "quantum"
    proven = check_certificate(cert, "x").details["proven"]
    cert["bound"] = str(Fraction(proven) + Fraction(1, 10**9))
    with pytest.raises(CertificateError, match="exceeds what the dual proves"):
        check_certificate(cert, "x")
    cert["bound"] = str(Fraction(proven))
    cert["inner"] = {**cert["inner"], "constant": cert["inner"]["constant"] - 1}  # shifts the inner game: refused by the NPA checker
    with pytest.raises(CertificateError):
        check_certificate(cert, "x")


def test_two_routers_agree_with_the_two_router_system(two) -> None:  # noqa: ANN001
    r, d = two
    files = sorted(Path(d).glob("*.json"))
    assert len(files) == len(r.certificates) == 6   # classical: strategy, dual (N, continuum); entangled: dual (N, continuum), relaxation
    for f in files:  # re-checked from the file by the registry's checker
        assert check_certificate(str(f)).side in ("upper", "lower")
    cl, ent = r.bounds["classical"], r.bounds[ENTANGLED]
    assert K2_CLASSICAL[0] <= float(cl["upper"]) + 1e-12
    assert float(cl["lower_continuum"]) <= K2_CLASSICAL[1]
    assert float(ent["lower_continuum"]) <= K2_QUANTUM[1]
    # the continuum relaxation (lemma R7, no bins) is a relaxation of the certified two-router quantum optimum, and close to it
    assert K2_QUANTUM[0] - 0.01 < float(ent["lower_relaxation"]) <= K2_QUANTUM[1]
    assert float(ent["lower_continuum"]) == max(float(ent["lower_relaxation"]), float(ent["lower_lifted"]))
    assert abs(r.estimates["classical"] - sum(K2_CLASSICAL) / 2) < 1e-6
    # with two routers entanglement helps already on 2 bins: the NPA dual is below the classical one
    assert float(ent["lower_N"]) < float(cl["lower_N"]) - 1e-4


@pytest.mark.slow
def test_even_level_relaxation_stays_below_the_two_router_quantum_optimum(tmp_path) -> None:  # noqa: ANN001
    """relaxation_level 1+ab+even (lemma R9): a relaxation of the two-router quantum optimum certified by the system code,
    and with the same directions and cut weights (no cut rounds) at least the 1+ab bound (it only adds constraints)."""
    out = {}
    for level in ("1+ab", "1+ab+even"):
        r = routers_result(2, 0.6, 2.0, N=2, resources=(), cert_dir=tmp_path / level.replace("+", "_"), relaxation=(8, 4, 0),
                           relaxation_level=level)
        out[level] = float(r.bounds[ENTANGLED]["lower_relaxation"])
        assert "level " + level in " ".join(r.notes)
    assert out["1+ab"] - 1e-7 <= out["1+ab+even"] <= K2_QUANTUM[1]


@pytest.mark.slow
def test_two_routers_against_a_fresh_system_result(tmp_path, two) -> None:  # noqa: ANN001
    from proofs.certify.system import system_result

    s = system_result(0.6, 2.0, 2, certify=True, cert_dir=tmp_path).exact
    assert s is not None
    c = s.certified if hasattr(s, "certified") else s.to_dict()["certified"]
    r, _ = two
    assert c["classical_p_split_lower"] <= float(r.bounds["classical"]["upper"]) + 1e-12
    assert float(r.bounds[ENTANGLED]["lower_continuum"]) <= c["quantum_p_split_upper"]


def test_bad_input_names_the_parameter() -> None:
    with pytest.raises(ProofsParameterError, match="law"):
        routers_result(3, 0.4, 3.0, law="pareto", N=2, certify=False)
    with pytest.raises(ProofsParameterError, match="resources"):
        routers_result(3, 0.4, 3.0, N=2, resources=("w-state",), certify=False)
    with pytest.raises(ProofsParameterError, match="relaxation_level"):
        routers_result(3, 0.4, 3.0, N=2, certify=False, relaxation_level="1+ab+abc")


def _bin_profiles_k4(N: int, W: float) -> tuple[float, float]:
    """Independent: every deterministic bin-constant profile of four routers (2^N signs each), P(all) and W_q by the
    formulas of lemma R2 from the bin moments; the best shared-coin mixture of two at W_q = W. Returns (p_split, nu*)."""
    import itertools

    import numpy as np

    from games.routers import RouterModel

    m = RouterModel.at_load(4, 0.6)
    lam, kap = m.lam, m.lam / (2 * (1 - m.rho))
    _, e = m.bin_moments(N)
    sigs = list(itertools.product((1, -1), repeat=N))
    mom = [(float(np.mean(s)), float(np.dot(s, e))) for s in sigs]
    W0 = 4 * lam * 2.0 / (4 * (1 - m.rho))   # m2 = 2 for Exp(1)
    pts = []
    for prof in itertools.product(range(len(sigs)), repeat=4):
        U = [mom[i] for i in prof]
        pairs = list(itertools.combinations(range(4), 2))
        same = (1 + sum(U[i][0] * U[j][0] for i, j in pairs) + U[0][0] * U[1][0] * U[2][0] * U[3][0]) / 8
        wq = W0 + sum((kap + 1.0 / 4 + kap * U[i][1] * U[j][1] + (U[i][1] * U[j][0] + U[i][0] * U[j][1]) / 8) / 2 for i, j in pairs)
        pts.append((wq, 1 - same))
    best, nu = min(p for w, p in pts if w <= W), 0.0
    for (a1, b1), (a2, b2) in itertools.product(pts, pts):
        if a1 <= W < a2:
            v = b1 + (W - a1) / (a2 - a1) * (b2 - b1)
            if v < best:
                best, nu = v, (b1 - b2) / (a2 - a1)
    return best, nu


@pytest.mark.parametrize("N", [2, 3])
def test_four_routers_classical_dual_meets_brute_force_on_bins(N: int) -> None:
    """K = 4, four-body term: the certified N-bin classical lower bound at nu* equals the brute-force optimum; no nu exceeds it."""
    from games.routers import RouterModel
    from proofs.certify.routers import _classical_dual, _exact_game

    m = RouterModel.at_load(4, 0.6)
    truth, nu = _bin_profiles_k4(N, 3.5)
    game = _exact_game(m, 3.5)
    at = float(_classical_dual(m, game, nu, N, None)["N"][0].value)
    assert truth - 1e-5 <= at <= truth
    for f in (0.5, 1.5):
        assert float(_classical_dual(m, game, nu * f, N, None)["N"][0].value) <= truth


def test_four_routers_two_bins_npa_three_body_level_meets_the_classical_optimum() -> None:
    """K = 4, N = 2, W_limit = 3.5: level 1+ab+abc closes the 1+ab gap (0.011) to the brute-force classical optimum.

    So on two bins no shared state (any dimension) lowers p_split below the classical routers'.
    """
    from games.routers import RouterModel
    from proofs.certify.routers import _entangled_dual, _exact_game

    m = RouterModel.at_load(4, 0.6)
    truth, nu = _bin_profiles_k4(2, 3.5)
    game = _exact_game(m, 3.5)
    ab = float(_entangled_dual(m, game, nu, 2, None)[0]["N"][0].value)
    abc = float(_entangled_dual(m, game, nu, 2, None, level="1+ab+abc")[0]["N"][0].value)
    assert ab < truth - 0.005
    assert truth - 1e-8 <= abc <= truth


def test_four_routers_two_bins_entangled_strategy_beats_the_classical_optimum_at_4_5(tmp_path: Path) -> None:
    """K = 4, N = 2, W_limit = 4.5: the general 4-qubit see-saw strategy mixed with the bin profiles, checked as a
    routers-strategy of entangled routers on the two bins, sits below the brute-force classical two-bin optimum by
    more than 5e-4 (a certified advantage); the classical bracket meets the brute force from both sides."""
    from proofs.certify.routers import routers_bins_result

    truth, nu = _bin_profiles_k4(2, 4.5)
    r = routers_bins_result(4, 0.3, 4.5, N=2, cert_dir=tmp_path)
    assert r.nu == pytest.approx(nu, rel=1e-9)
    cl, ent = r.bounds["classical"], r.bounds[ENTANGLED]
    assert truth - 1e-8 <= float(cl["lower_N"]) <= truth <= float(cl["upper"]) <= truth + 1e-8
    assert float(ent["upper"]) < truth - 5e-4               # entanglement helps four routers on two bins
    assert float(ent["lower_N"]) <= float(ent["upper"])       # NPA 1+ab below the strategy
    for b in (cl["lower_N"], cl["upper"], ent["lower_N"], ent["upper"]):
        assert b.target.n == 2
    assert ent["upper"].target.player_model == "quantum" and cl["upper"].target.player_model == "classical"
    assert r.advantage is not None and r.advantage > 5e-4
    assert any("general" in name for _, name in r.mixture)
    files = sorted(tmp_path.glob("*.json"))
    assert len(files) == len(set(r.certificates)) and all(check_certificate(f).value is not None for f in files)


@pytest.mark.slow
def test_four_routers_two_bins_no_advantage_at_3_5_and_a_bracket_at_4_5() -> None:
    """W_limit = 3.5: NPA 1+ab+abc and the see-saw both sit at the brute-force classical optimum (no shared state helps);
    W_limit = 4.5: the entangled two-bin optimum is bracketed between the 1+ab+abc dual and the see-saw strategy."""
    from proofs.certify.routers import routers_bins_result

    truth, _ = _bin_profiles_k4(2, 3.5)
    r = routers_bins_result(4, 0.3, 3.5, N=2, npa_level="1+ab+abc")
    ent = r.bounds[ENTANGLED]
    assert truth - 1e-8 <= float(ent["lower_N"]) <= truth <= float(ent["upper"]) <= truth + 1e-8


def test_routers_bins_result_refuses_bad_input() -> None:
    from proofs.certify.routers import routers_bins_result

    for kw, name in (({"npa_level": "2"}, "npa_level"), ({"restarts": -1}, "restarts"), ({"N": 1}, "N"), ({"seed": -1}, "seed")):
        with pytest.raises(ProofsParameterError, match=name):
            routers_bins_result(4, 0.3, 4.5, **kw)


def test_four_router_two_bin_advantage_strategy_is_reproduced_by_the_simulator() -> None:
    """K = 4, rho = 0.6, W_limit = 4.5, two bins: the certified entangled strategy (see-saw state mixed with a bin profile)
    played in the K-tuple simulator (outputs by the Born rule per tuple of bins) reproduces its computed p_split within the
    99 % CI and meets W_limit within the CI of W_q."""
    from analytic.laws.service import ServiceLaw
    from games.system.tuples import simulate_tuples
    from proofs.certify.routers import ENTANGLED, routers_bins_result

    r = routers_bins_result(4, 0.3, 4.5, restarts=6)
    s = simulate_tuples(r.tuple_routing(), 0.3, law=ServiceLaw.exponential(1.0), n_tuples=400000, seed=2)
    assert s.p_split_ci[0] <= r.estimates[ENTANGLED] <= s.p_split_ci[1]
    assert s.wq_ci[0] <= 4.5  # the mixture sits at W_limit: the simulated W_q is not above it
