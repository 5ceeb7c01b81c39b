"""Tests of the system checkers (system_dual, system_strategy, system_law, system_quadrature): the certificates verify, tampered ones are rejected, margins matter."""

from __future__ import annotations

import copy
from fractions import Fraction

import pytest

from bounds.system import operating_point, solve_class
from bounds.system_certificates import dual_certificate, strategy_certificate
from proofs.checkers.registry import check_certificate
from proofs.checkers.system_law import system_data
from proofs.checkers.system_quadrature import quadratic_moments
from proofs.exact.errors import CertificateError, CertificateFormatError

PT = operating_point(0.6, 1.65)


@pytest.fixture(scope="module")
def sols() -> dict:
    return {m: solve_class(PT, m) for m in ("classical", "quantum")}


@pytest.fixture(scope="module")
def certs(sols: dict) -> dict:
    out = {}
    for m, s in sols.items():
        out[(m, "dual")] = dual_certificate(PT, m, s.nu)
        out[(m, "strategy")] = strategy_certificate(PT, s)
    return out


def test_quadratic_moments_closed_forms() -> None:
    # q = (x - 0)^2 + tiny: E[sqrt q] ~ E[X] = 1; q = 1 (a2 tiny): E[1/sqrt q] ~ 1
    J, I0, I1, I2 = quadratic_moments(Fraction(1), Fraction(1), Fraction(0), Fraction(1, 10**40))
    assert abs(float(J.mid()) - 1.0) < 1e-15
    J, I0, I1, I2 = quadratic_moments(Fraction(2), Fraction(1, 10**30), Fraction(0), Fraction(1))
    assert abs(float(I0.mid()) - 1.0) < 1e-12 and abs(float(I1.mid()) - 0.5) < 1e-12 and abs(float(I2.mid()) - 0.5) < 1e-12
    # a sharp turn still encloses: E[1/sqrt((x - 1)^2 + d^2)] finite and the ball narrow
    J, I0, I1, I2 = quadratic_moments(Fraction(1), Fraction(1), Fraction(1), Fraction(1, 10**12))
    assert I0.rad() < 1e-15 and float(I0.mid()) > 5


@pytest.mark.parametrize("model", ["classical", "quantum"])
def test_certificates_bracket_the_estimate(model: str, sols: dict, certs: dict) -> None:
    lo = check_certificate(certs[(model, "dual")])
    up = check_certificate(certs[(model, "strategy")])
    assert lo.side == "lower" and up.side == "upper"
    assert float(lo.value) <= sols[model].p_split <= float(up.value)
    assert float(up.value - lo.value) < 1e-8
    assert lo.target == up.target and lo.target.player_model == model


def test_quantum_beats_classical_is_certified(certs: dict) -> None:
    assert check_certificate(certs[("quantum", "strategy")]).value < check_certificate(certs[("classical", "dual")]).value


@pytest.mark.parametrize("model", ["classical", "quantum"])
def test_tampered_dual_rejected(model: str, certs: dict) -> None:
    c = copy.deepcopy(certs[(model, "dual")])
    c["bound"] = str(Fraction(c["bound"]) + Fraction(1, 10**6))
    with pytest.raises(CertificateError, match="exceeds"):
        check_certificate(c)
    # a looser limit allows a smaller p_split: the same nu and bias prove less than claimed
    c2 = copy.deepcopy(certs[(model, "dual")])
    c2["game"]["W_limit"] = "7/4"
    with pytest.raises(CertificateError):
        check_certificate(c2)


def test_classical_partition_must_cover(certs: dict) -> None:
    c = copy.deepcopy(certs[("classical", "dual")])
    c["breaks"] = c["breaks"][:-1]
    with pytest.raises(CertificateError, match="0 to 1"):
        check_certificate(c)
    # a coarse partition proves too little: the sagitta/corner term is a real margin
    c = copy.deepcopy(certs[("classical", "dual")])
    c["breaks"] = ["0", "1/4", "1/2", "3/4", "1"]
    with pytest.raises(CertificateError):
        check_certificate(c)


def test_quantum_dual_psd_condition_matters(certs: dict) -> None:
    # shrinking alpha makes A = E[phi phi^T / alpha] larger: lambda_max(A M B M^T) > 4 must be caught
    c = copy.deepcopy(certs[("quantum", "dual")])
    for key in ("a2", "delta"):
        c["alpha"][key] = str(Fraction(c["alpha"][key]) * Fraction(9, 10))
    with pytest.raises(CertificateError, match="lambda_max"):
        check_certificate(c)


@pytest.mark.parametrize("model", ["classical", "quantum"])
def test_tampered_strategy_rejected(model: str, certs: dict) -> None:
    c = copy.deepcopy(certs[(model, "strategy")])
    c["bound"] = str(Fraction(c["bound"]) - Fraction(1, 10**6))
    with pytest.raises(CertificateError, match="below"):
        check_certificate(c)
    c = copy.deepcopy(certs[(model, "strategy")])
    c["game"]["W_limit"] = "329/200"  # 1.645: the same strategy no longer meets the limit
    with pytest.raises(CertificateError, match="W_limit"):
        check_certificate(c)
    c = copy.deepcopy(certs[(model, "strategy")])
    c["components"][0]["weight"] = "1/2"
    with pytest.raises(CertificateError, match="sum to 1"):
        check_certificate(c)


def test_always_split_weight_is_a_needed_margin(sols: dict) -> None:
    # without the always-split sliver the mixture sits on the limit and exact feasibility is not proved
    c = strategy_certificate(PT, sols["classical"], split_weight=0.0)
    c["components"] = c["components"][:-1]
    c["components"][-1]["weight"] = str(1 - sum(Fraction(x["weight"]) for x in c["components"][:-1]))
    comps = c["components"]
    # shift weight towards the component that violates the limit by 1e-9
    comps[0]["weight"] = str(Fraction(comps[0]["weight"]) + Fraction(1, 10**9))
    comps[-1]["weight"] = str(Fraction(comps[-1]["weight"]) - Fraction(1, 10**9))
    with pytest.raises(CertificateError, match="W_limit"):
        check_certificate(c)


@pytest.mark.parametrize(
    ("patch", "exc"),
    [
        ({"model": "both"}, CertificateFormatError),
        ({"game": {"type": "system", "law": "gamma", "lam": "1/2", "mu": "1", "W_limit": "2"}}, CertificateFormatError),
        ({"game": {"type": "system", "law": "exponential", "lam": "1", "mu": "1", "W_limit": "2"}}, CertificateFormatError),
        ({"game": {"type": "hyperbolic", "C": "1/3"}}, CertificateFormatError),
        ({"schema": 1}, CertificateFormatError),
        ({"side": "upper"}, CertificateFormatError),
        ({"N": 4}, CertificateFormatError),
        ({"nu": "-1"}, CertificateFormatError),
        ({"nu": 0.5}, CertificateFormatError),
    ],
)
def test_malformed(patch: dict, exc: type, certs: dict) -> None:
    c = copy.deepcopy(certs[("classical", "dual")])
    c.update(patch)
    with pytest.raises(exc):
        check_certificate(c)


@pytest.mark.parametrize("p0", [None, "1/2", 3])
def test_planar_router_needs_lists(p0: object, certs: dict) -> None:
    c = copy.deepcopy(certs[("quantum", "strategy")])
    planar = next(comp for comp in c["components"] if "p0" in comp["a"])
    planar["a"]["p0"] = p0
    with pytest.raises(CertificateFormatError, match="lists of two rationals"):
        check_certificate(c)


def test_certificates_need_the_exponential_law(sols: dict) -> None:
    from scipy import stats

    from analytic.laws import ServiceLaw
    from bounds.system import SystemParameterError

    pt = operating_point(0.6, 1.2, law=ServiceLaw(dist=stats.gamma(2.0, scale=0.5)))
    with pytest.raises(SystemParameterError, match="exponential law"):
        dual_certificate(pt, "classical", 1.5)
    with pytest.raises(SystemParameterError, match="exponential law"):
        strategy_certificate(pt, sols["classical"])


def test_system_data_exact() -> None:
    s = system_data({"type": "system", "law": "exponential", "lam": "1/2", "mu": "2", "W_limit": "1"})
    assert s.rho == Fraction(1, 4) and s.W0 == Fraction(1, 2) * Fraction(1, 2) / (2 * Fraction(3, 4))


# --------------------------------------------------------------------------- catalogue laws

import functools  # noqa: E402

import mpmath as mp  # noqa: E402
import numpy as np  # noqa: E402
from scipy import integrate, stats  # noqa: E402

import proofs.checkers.system_dual as sd  # noqa: E402
import proofs.checkers.system_law as sl  # noqa: E402
import proofs.checkers.system_quadrature as sq  # noqa: E402
from analytic.laws import LAW_CATALOGUE, ServiceLaw  # noqa: E402
from proofs.exact.laws import exact_law  # noqa: E402

#: in the default suite: a density vanishing at 0 (gamma:4), a log singularity at 0 (lognormal:1), a heavy tail (lomax:3)
FAST_LAWS = ("exponential", "gamma:4", "lognormal:1", "lomax:3")


def _halfway(label: str):  # noqa: ANN202
    """rho = 0.6 and W_l halfway between the law's always-split and always-bunch waiting times."""
    sl = ServiceLaw.named(label)
    probe = operating_point(0.6, 1e12, law=sl)
    return operating_point(0.6, probe.W_split + 0.5 * (probe.W_bunch - probe.W_split), law=sl)


@functools.cache
def _law_certs(label: str):  # noqa: ANN202
    pt = _halfway(label)
    out = {}
    for m in ("classical", "quantum"):
        sol = solve_class(pt, m, tol=1e-6)
        out[m] = (sol, dual_certificate(pt, m, sol.nu), strategy_certificate(pt, sol))
    return pt, out


def _tightened_rejected(lo_c: dict, up_c: dict) -> None:
    c = copy.deepcopy(lo_c)
    c["bound"] = str(Fraction(c["bound"]) + Fraction(1, 10**6))
    with pytest.raises(CertificateError, match="exceeds"):
        check_certificate(c)
    c = copy.deepcopy(up_c)
    c["bound"] = str(Fraction(c["bound"]) - Fraction(1, 10**6))
    with pytest.raises(CertificateError, match="below"):
        check_certificate(c)


def _wrong_param_rejected(lo_c: dict, up_c: dict) -> None:
    # at gamma:4's W_l = 25/16 the solver gives p_c, p_q = 0.314, 0.306 for gamma:16 and 0.434, 0.408 for gamma:2
    # (gamma:4: 0.348, 0.330): gamma:4's lower bounds are false for gamma:16, its upper bounds false for gamma:2
    assert abs(Fraction(lo_c["game"]["W_limit"]) - Fraction(25, 16)) < Fraction(1, 10**12)
    c = copy.deepcopy(lo_c)
    c["game"]["param"] = "16"
    with pytest.raises(CertificateError):
        check_certificate(c)
    c = copy.deepcopy(up_c)
    c["game"]["param"] = "2"
    with pytest.raises(CertificateError):
        check_certificate(c)


@pytest.mark.parametrize("label", [pytest.param(s.label, marks=() if s.label in FAST_LAWS else pytest.mark.slow) for s in LAW_CATALOGUE])
def test_catalogue_law_certificates(label: str) -> None:
    """Both certificates of both models are accepted, bracket the solver's estimate, and forged ones are rejected."""
    pt, out = _law_certs(label)
    spec = pt.law.spec
    got = {}
    for m, (sol, lo_c, up_c) in out.items():
        lo, up = check_certificate(lo_c), check_certificate(up_c)
        assert lo.side == "lower" and up.side == "upper" and lo.target == up.target and lo.target.player_model == m
        assert float(lo.value) <= sol.p_split <= float(up.value)
        assert float(up.value - lo.value) < 2e-6
        game = lo_c["game"]
        assert game["law"] == spec.name and ("mu" in game) == (spec.name == "exponential")
        assert game.get("param") == spec.describe().get("param")
        got[m] = (lo.value, up.value)
        _tightened_rejected(lo_c, up_c)
        if label == "gamma:4":
            _wrong_param_rejected(lo_c, up_c)
    # the quantum advantage at this operating point is certified for every law of the catalogue
    assert got["quantum"][1] < got["classical"][0]


@functools.cache
def _cheap_law_certs(label: str, nu: float = 0.9) -> dict:
    """Certificates without a solve: the duals at a fixed ``nu`` and their maximisers mixed with always-split to meet W_l."""
    from bounds.system import ALWAYS_SPLIT, ClassSolution, MixedStrategy, dual_classical, dual_quantum

    pt = _halfway(label)
    out = {}
    for m, dual in (("classical", dual_classical), ("quantum", dual_quantum)):
        d = dual(pt, nu)
        w = min(1.0, pt.budget / d.cost) * (1 - 1e-6)
        mix = MixedStrategy(((w, d.strategy), (1 - w, ALWAYS_SPLIT)))
        sol = ClassSolution(m, mix.p_split(pt), mix.p_split(pt), nu, mix, mix.waiting_time(pt), 0)
        out[m] = (dual_certificate(pt, m, nu, dual=d), strategy_certificate(pt, sol))
    return out


def test_every_catalogue_law_is_certifiable() -> None:
    from proofs.certify.system import _certifiable
    from proofs.exact.laws import EXACT_LAWS

    assert len(LAW_CATALOGUE) == 13
    for s in LAW_CATALOGUE:
        assert s.name in EXACT_LAWS and _certifiable(ServiceLaw.named(s))
    assert not _certifiable(ServiceLaw(dist=stats.gamma(2.0, scale=0.5)))  # an arbitrary scipy law: no closed forms


@pytest.mark.parametrize(
    ("game", "match"),
    [
        ({"law": "lomax", "param": "2"}, "infinite variance"),
        ({"law": "lomax", "param": "3/2"}, "infinite variance"),
        ({"law": "gamma", "param": "5/2"}, "positive integer"),
        ({"law": "gamma"}, "needs a parameter"),
        ({"law": "cauchy"}, "support the laws"),
        ({"law": "gamma", "param": "4", "mu": "1"}, "takes no rate"),
        ({"law": "exponential", "mu": "1", "param": "2"}, "not `param`"),
        ({"law": "gamma", "param": "4", "lam": "1"}, "rho"),
        ({"law": "gamma", "param": "1" * 500}, "digits"),
    ],
)
def test_catalogue_game_format(game: dict, match: str, certs: dict) -> None:
    for cert in (certs[("classical", "dual")], certs[("quantum", "strategy")]):
        c = copy.deepcopy(cert)
        base = {k: v for k, v in c["game"].items() if k not in ("law", "param", "mu")}
        c["game"] = {**base, **game}
        with pytest.raises(CertificateFormatError, match=match):
            check_certificate(c)


def test_qcoord_check_accepts_a_directory_of_law_certificates(tmp_path, capsys) -> None:  # noqa: ANN001
    from bounds.certificates import save_certificate
    from proofs.cli.main import main

    for lo_c, up_c in _cheap_law_certs("lognormal:1").values():
        assert Fraction(lo_c["bound"]) <= Fraction(up_c["bound"])
        save_certificate(lo_c, tmp_path)
        save_certificate(up_c, tmp_path)
    assert main(["check", str(tmp_path)]) == 0
    assert "4" in capsys.readouterr().out


# ---- every margin of the general-law checker matters

def _curve_by_quadrature(label: str, nu: float, u: float, pt) -> float:  # noqa: ANN001
    """``h(M b(u))`` by scipy quadrature of the scipy law (independent of the closed forms)."""
    d = ServiceLaw.named(label).dist
    t = float(d.ppf(u))
    tail_mean = integrate.quad(lambda x: x * d.pdf(x), t, np.inf, epsabs=1e-14, epsrel=1e-13, limit=200)[0]
    b = np.array([1 - 2 * u, 2 * tail_mean - 1])
    w0, w1 = pt.matrix(nu) @ b
    r = -w0 / w1
    pts = [r] if r > 0 else None
    return sum(integrate.quad(lambda x: abs(w0 + w1 * x) * d.pdf(x), a, c, points=pts if a == 0 else None, epsabs=1e-14, epsrel=1e-13, limit=200)[0]
               for a, c in ((0, 2 * max(r, 1)), (2 * max(r, 1), np.inf)))


def _without_sag_where_positive(monkeypatch) -> None:  # noqa: ANN001
    orig = sd._piece_sag
    monkeypatch.setattr(sd, "_piece_sag", lambda *a: None if orig(*a) is None else Fraction(0))


def _without_box(monkeypatch) -> None:  # noqa: ANN001
    orig = sd._piece_sag
    monkeypatch.setattr(sd, "_piece_sag", lambda *a: Fraction(0) if orig(*a) is None else orig(*a))


def test_sag_is_a_needed_margin(monkeypatch) -> None:  # noqa: ANN001
    # gamma:4, nu = 1: h(M b(u)) peaks inside the piece [3/20, 1/5] (at u ~ 0.173); its chord ends lie below the peak
    from bounds.system_certificates import system_description

    pt = operating_point(0.6, 1.5625, law=ServiceLaw.named("gamma:4"))
    s = system_data(system_description(pt))
    br = sorted({Fraction(k, 128) for k in range(129) if not Fraction(3, 20) < Fraction(k, 128) < Fraction(1, 5)}
                | {Fraction(3, 20), Fraction(1, 5), Fraction(1, 4096)} | {1 - Fraction(1, 2**k) for k in range(8, 40)})
    peak = _curve_by_quadrature("gamma:4", 1.0, 0.173, pt)
    assert float(sd._classical_bias_upper(s, Fraction(1), br)[0]) >= peak
    _without_sag_where_positive(monkeypatch)
    assert float(sd._classical_bias_upper(s, Fraction(1), br)[0]) < peak - 1e-7  # an unsound bias bound


def test_box_fallback_is_a_needed_margin(monkeypatch) -> None:  # noqa: ANN001
    # gamma:4 (f(0) = 0, so [0, u1] has no density lower bound), nu = 3/2: the peak (u ~ 0.0605) lies in the box piece [0, 1/8]
    from bounds.system_certificates import system_description

    pt = operating_point(0.6, 1.5625, law=ServiceLaw.named("gamma:4"))
    s = system_data(system_description(pt))
    br = sorted({Fraction(0)} | {Fraction(1, 8) + Fraction(7, 8) * Fraction(k, 512) for k in range(513)} | {1 - Fraction(1, 2**k) for k in range(10, 40)})
    peak = _curve_by_quadrature("gamma:4", 1.5, 0.0605, pt)
    bound, _, boxes = sd._classical_bias_upper(s, Fraction(3, 2), br)
    assert boxes == 2 and float(bound) >= peak
    _without_box(monkeypatch)
    assert float(sd._classical_bias_upper(s, Fraction(3, 2), br)[0]) < peak - 1e-3


def _mp_quadratic_moment(name: str, p: Fraction, j: int, a2: Fraction, xs: Fraction, de: Fraction):  # noqa: ANN202
    """``E[sqrt q]`` (``j = -1``) or ``E[X^j / sqrt q]`` by mpmath quadrature of the textbook density."""
    from tests.proofs.exact.test_laws import _mp_pdf

    pm = mp.mpf(p.numerator) / p.denominator
    q = lambda x: mp.mpf(a2.numerator) / a2.denominator * (x - mp.mpf(xs.numerator) / xs.denominator) ** 2 + mp.mpf(de.numerator) / de.denominator  # noqa: E731
    g = (lambda x: mp.sqrt(q(x))) if j < 0 else (lambda x: x**j / mp.sqrt(q(x)))
    pts = [0, mp.mpf(10) ** -30, mp.mpf(10) ** -20, mp.mpf(10) ** -12, mp.mpf(10) ** -6, 1, 4, 16, 64, 256, 4096, 2**20, mp.inf]
    return mp.quad(lambda x: g(x) * _mp_pdf(name, pm, x), pts)


def _contains_mp(ball, value) -> bool:  # noqa: ANN001
    lo, hi = mp.mpf(ball.lower().str(40, radius=False)), mp.mpf(ball.upper().str(40, radius=False))
    return lo - mp.mpf(10) ** -15 <= value <= hi + mp.mpf(10) ** -15


@pytest.mark.parametrize(("law", "end"), [(("weibull", Fraction(1, 2)), "_left_end"), (("lomax", Fraction(3)), "_right_end")])
def test_quadrature_end_bounds_are_needed_margins(monkeypatch, law: tuple, end: str) -> None:  # noqa: ANN001
    # with a coarse cut-off (F(eps), tail <= 2^-20) the [0, eps] ball (Weibull 1/2: density ~ x^{-1/2} at 0) and the tail
    # bound (Lomax 3: E[X^2; X > L] ~ 1/L) carry mass ~1e-6: with them the enclosure holds, without them it misses
    mp.mp.dps = 20
    name, p = law
    elaw = exact_law({"law": name, "param": f"{p.numerator}/{p.denominator}"})
    a2, xs, de = Fraction(1), Fraction(3, 2), Fraction(1, 100)
    want = [_mp_quadratic_moment(name, p, j, a2, xs, de) for j in (-1, 0, 1, 2)]
    assert all(_contains_mp(b, w) for b, w in zip(sq.quadratic_moments(elaw, a2, xs, de), want))  # the normal cut-off
    monkeypatch.setattr(sq, "_NEGLIGIBLE", Fraction(1, 2**20))
    got = sq.quadratic_moments(elaw, a2, xs, de)
    assert all(_contains_mp(b, w) for b, w in zip(got, want))
    orig = getattr(sq, end)
    monkeypatch.setattr(sq, end, lambda *a: (orig(*a)[0], [0 * x for x in orig(*a)[1]]))
    got = sq.quadratic_moments(elaw, a2, xs, de)
    assert not all(_contains_mp(b, w) for b, w in zip(got, want))


def test_m2_outward_rounding_is_a_needed_margin(monkeypatch) -> None:  # noqa: ANN001
    # lognormal:1 has m2 = e (irrational): the dual must use the budget's upper end; with m2 read as a point
    # (the ball's midpoint) the checker would accept a claim above what the interval proves
    c = copy.deepcopy(_cheap_law_certs("lognormal:1")["quantum"][0])
    proven = check_certificate(c).details["proven"]
    s = system_data(c["game"])
    assert s.m2_range[0] < s.m2_range[1]
    nu = Fraction(c["nu"])
    gain = nu * s.lam / (2 * (1 - s.rho)) * (s.m2_range[1] - s.m2_range[0]) / 2
    c["bound"] = str(proven + gain / 2)
    with pytest.raises(CertificateError, match="exceeds"):
        check_certificate(c)
    monkeypatch.setattr(sl, "_m2_interval", lambda m2: (sl.exact_point(m2.mid()),) * 2)
    assert check_certificate(c).value == proven + gain / 2


def test_system_result_notes_an_uncertifiable_law(tmp_path) -> None:  # noqa: ANN001
    from proofs.certify.system import system_result

    law = ServiceLaw(dist=stats.gamma(2.0, scale=0.5))
    r = system_result(0.6, 5.0, 2, law=law, cert_dir=tmp_path)  # W_limit above W_bunch: no solve needed
    assert "not certified" in r.exact.extra["note"] and r.exact.brackets == {}


# --------------------------------------------------------------------------- Werner noise is not a visibility field of system-dual
def _forge_visibility(cert: dict, visibility: str, bound: Fraction) -> dict:
    c = copy.deepcopy(cert)
    c["visibility"] = visibility
    c["bound"] = f"{bound.numerator}/{bound.denominator}"
    return c


def test_visibility_below_one_is_refused_exponential(certs: dict) -> None:
    # the audit's reproducer: quantum p_split >= 0.90 at lambda 0.6, W_l 1.65, while the attained entangled value is 0.635078
    # (certified from above by the system-strategy certificate); scaling the bias by v made the checker accept it
    valid = certs[("quantum", "dual")]
    assert "visibility" not in valid
    upper = check_certificate(certs[("quantum", "strategy")]).value
    assert upper < Fraction(9, 10)  # the forged bound is false
    for vis in ("1/100", "0", "99/100"):
        with pytest.raises(CertificateFormatError, match=f"field 'visibility'.*must be 1.*got {vis}"):
            check_certificate(_forge_visibility(valid, vis, Fraction(9, 10)))
    with pytest.raises(CertificateFormatError, match="visibility"):  # the classical dual carries no visibility either
        check_certificate(_forge_visibility(certs[("classical", "dual")], "1/2", Fraction(1, 2)))
    # visibility exactly 1 (as older certificates wrote it) is the noiseless class: still checked, still bound by the dual
    assert check_certificate({**valid, "visibility": "1"}).value == Fraction(valid["bound"])
    with pytest.raises(CertificateError, match="exceeds"):
        check_certificate(_forge_visibility(valid, "1", Fraction(9, 10)))


@pytest.mark.parametrize("label", ["gamma:2", "lognormal:1"])
def test_visibility_below_one_is_refused_for_laws(label: str) -> None:
    lo_c, up_c = _cheap_law_certs(label)["quantum"]
    upper = check_certificate(up_c).value
    false_bound = upper + Fraction(1, 20)  # above the p_split of an attained quantum strategy: false
    with pytest.raises(CertificateFormatError, match="must be 1"):
        check_certificate(_forge_visibility(lo_c, "1/10", false_bound))
    assert check_certificate(lo_c).value <= upper


def test_the_producer_writes_no_noisy_system_dual() -> None:
    from bounds.system import SystemParameterError, dual_quantum

    d = dual_quantum(PT, 1.5, visibility=0.5)
    with pytest.raises(SystemParameterError, match="visibility must be 1"):
        dual_certificate(PT, "quantum", 1.5, dual=d)


@functools.cache
def _supply_certs() -> tuple[dict, dict]:
    from bounds.noise_system import noisy_system, supply_strategy_certificate, werner_system_dual_certificate

    sysd = noisy_system(0.6, 1.65, nus=np.linspace(0.5, 3.0, 11))
    return supply_strategy_certificate(sysd, 1.0, 1.0), werner_system_dual_certificate(sysd, 1.0, 1.0, nu=1.5)


def test_werner_supply_strategy_shares_the_werner_target() -> None:
    up_c, lo_c = _supply_certs()
    up, lo = check_certificate(up_c), check_certificate(lo_c)
    assert up_c["model"] == "quantum" and up.target == lo.target and up.target.game["state"] == {"kind": "werner", "v": "1/1"}
    assert lo.value <= up.value  # the two certified ends of one target are consistent
    assert 0 < up.details["entangled_weight"] <= 1
    plain = {k: v for k, v in up_c.items() if k != "werner"}
    assert check_certificate(plain).target.game.get("state") is None  # without the field: the noiseless quantum class


@pytest.mark.parametrize(
    ("werner", "exc", "match"),
    [
        ({"v": "1", "f": "1/2"}, CertificateError, "more than the share f = 1/2"),  # entangled weight ~1 on half the pairs
        ({"v": "9/10", "f": "1"}, CertificateError, "not at the Werner visibility"),  # planar pairs measured at v = 1
        ({"v": "1"}, CertificateFormatError, "'werner'"),
        ({"v": "1", "f": "3/2"}, CertificateFormatError, "must lie in"),
    ],
)
def test_werner_supply_strategy_forgeries(werner: dict, exc: type, match: str) -> None:
    up_c = copy.deepcopy(_supply_certs()[0])
    up_c["werner"] = werner
    with pytest.raises(exc, match=match):
        check_certificate(up_c)


# --------------------------------------------------------------------------- margins pinned by tests/mutants/run_mutants.py
def _mp_b1_exponential(u):  # noqa: ANN001, ANN202
    """``b1(u) = 2 E[X; X > F^{-1}(u)] - 1`` of the unit exponential law, by mpmath quadrature of the density."""
    t = -mp.log(1 - u)
    return 2 * mp.quad(lambda x: x * mp.exp(-x), [t, t + 10, mp.inf]) - 1


def test_sag_is_tight_for_the_uniform_law() -> None:
    # uniform law on (0, 2): b1(u) = 2 int_u^1 2v dv - 1 = 1 - 2u^2, |b1''| = 4 = 2/f with f = 1/2 constant, so the chord error on
    # [u0, u1] is exactly (u1 - u0)^2 / 2 (at the midpoint): the lemma's sag (u1 - u0)^2 / (4 f_lo) equals it, any smaller one misses
    s = system_data({"type": "system", "law": "uniform", "lam": "1/2", "W_limit": "2"})
    b1 = lambda u: 1 - 2 * u * u  # noqa: E731
    from proofs.exact.laws import working_precision

    with working_precision(sl.PREC):
        for u0, u1 in ((Fraction(0), Fraction(1, 2)), (Fraction(1, 3), Fraction(3, 4)), (Fraction(1, 10), Fraction(1, 5))):
            mid = (u0 + u1) / 2
            gap = b1(mid) - (b1(u0) + b1(u1)) / 2  # the curve above its chord at the midpoint (exact)
            assert gap == (u1 - u0) ** 2 / 2
            sag = sd._piece_sag(s, u0, u1, s.service.ppf(u0), s.service.ppf(u1))
            assert sag is not None and sag >= gap


def test_sag_uses_the_density_minimum_over_the_whole_piece() -> None:
    # exponential law on the wide piece [1/2, 99/100]: f = e^{-x} falls from 1/2 to 1/100 along it; the chord error (mpmath, 0.3186)
    # exceeds what f at the piece's left end (sag 0.120) or the middle of f's enclosure (~0.235) would allow
    s = system_data({"type": "system", "law": "exponential", "lam": "3/5", "mu": "1", "W_limit": "2"})
    u0, u1 = Fraction(1, 2), Fraction(99, 100)
    mp.mp.dps = 30
    m0, m1 = mp.mpf(u0.numerator) / u0.denominator, mp.mpf(u1.numerator) / u1.denominator
    c0, c1 = _mp_b1_exponential(m0), _mp_b1_exponential(m1)
    gap = max(_mp_b1_exponential(u) - (c0 + (c1 - c0) * (u - m0) / (m1 - m0)) for u in mp.linspace(m0, m1, 400))
    mp.mp.dps = 15
    assert gap > mp.mpf("0.3")
    from proofs.exact.laws import working_precision

    with working_precision(sl.PREC):
        sag = sd._piece_sag(s, u0, u1, s.service.ppf(u0), s.service.ppf(u1))
        # the density's lower bound is a lower bound on the whole ball (here its minimum 1/100 at the right end)
        f_lo = s.service.pdf_lower(s.service.ppf(u0).union(s.service.ppf(u1)))
    assert sag is not None and mp.mpf(sag.numerator) / sag.denominator >= gap
    assert f_lo is not None and 0 < f_lo <= Fraction(1, 100)


def _mp_quadratic_moment_general(name: str, p: Fraction, j: int, a2: Fraction, xs: Fraction, de: Fraction):  # noqa: ANN202
    """Like ``_mp_quadratic_moment`` with break points at ``x*`` and around it (any sign of ``x*``)."""
    from tests.proofs.exact.test_laws import _mp_pdf

    pm = mp.mpf(p.numerator) / p.denominator
    xm = mp.mpf(xs.numerator) / xs.denominator
    q = lambda x: mp.mpf(a2.numerator) / a2.denominator * (x - xm) ** 2 + mp.mpf(de.numerator) / de.denominator  # noqa: E731
    g = (lambda x: mp.sqrt(q(x))) if j < 0 else (lambda x: x**j / mp.sqrt(q(x)))
    pts = sorted({mp.mpf(0), mp.mpf(10) ** -12, mp.mpf(10) ** -6, mp.mpf(1), mp.mpf(4), mp.mpf(16), mp.mpf(64), mp.mpf(256), mp.mpf(4096), mp.mpf(2**20)}
                 | ({xm, xm - 1, xm + 1} if xm > 1 else set()))
    return mp.quad(lambda x: g(x) * _mp_pdf(name, pm, x), [*pts, mp.inf])


def test_left_end_is_the_whole_ball_zero_to_eps(monkeypatch) -> None:  # noqa: ANN001
    # a very coarse cut-off (F(eps) <= 1/4) puts real mass on [0, eps] (Weibull 1/2: eps = 1/256, F(eps) ~ 0.085): the integrand
    # factor g varies over [0, eps] (x / sqrt q from 0 to eps / sqrt q(eps)), so only g on the whole ball [0, eps] encloses the head
    mp.mp.dps = 20
    p = Fraction(1, 2)
    elaw = exact_law({"law": "weibull", "param": "1/2"})
    a2, xs, de = Fraction(1), Fraction(3, 2), Fraction(1, 100)
    want = [_mp_quadratic_moment_general("weibull", p, j, a2, xs, de) for j in (-1, 0, 1, 2)]
    monkeypatch.setattr(sq, "_NEGLIGIBLE", Fraction(1, 4))
    got = sq.quadratic_moments(elaw, a2, xs, de)
    mp.mp.dps = 15
    assert all(_contains_mp(b, w) for b, w in zip(got, want))
    assert float(got[2].rad()) < 0.1  # the enclosure still says something


def test_tail_bound_counts_a_negative_turning_point(monkeypatch) -> None:  # noqa: ANN001
    # Lomax 3 with x* = -20: beyond L, sqrt q ~ x + 20, so the tail of E[sqrt q] is E[X; X > L] + 20 P(X > L); with the cut-off
    # at 2^-20 the term 20 P(X > L) (~1e-9) is far above the enclosure's other errors and must be in the tail bound
    mp.mp.dps = 20
    p = Fraction(3)
    elaw = exact_law({"law": "lomax", "param": "3"})
    a2, xs, de = Fraction(1), Fraction(-20), Fraction(1, 100)
    want = _mp_quadratic_moment_general("lomax", p, -1, a2, xs, de)
    monkeypatch.setattr(sq, "_NEGLIGIBLE", Fraction(1, 2**20))
    got = sq.quadratic_moments(elaw, a2, xs, de)[0]
    mp.mp.dps = 15
    assert _contains_mp(got, want)


def _lognormal_system(w_limit: Fraction) -> dict:
    return {"type": "system", "law": "lognormal", "param": "1/1", "lam": "1/2", "W_limit": f"{w_limit.numerator}/{w_limit.denominator}"}


def test_dual_uses_the_budget_upper_end_for_an_irrational_m2() -> None:
    # lognormal 1 at lam = 1/2: W_0 = e/2 (irrational). The dual's p_split bound must not exceed
    # 1 - nu (W_limit - e/2) - (E[k] + G)/2 with e at 50 digits (mpmath), whatever end of the m2 interval the checker reads
    mp.mp.dps = 50
    nu = Fraction(1)
    cert = {"schema": 2, "kind": "system-dual", "game": _lognormal_system(Fraction(8, 5)), "N": None, "side": "lower", "model": "classical",
            "nu": "1", "bound": "-1000", "breaks": ["0", "1/4", "1/2", "3/4", "1"]}
    b = check_certificate(cert)
    s = system_data(cert["game"])
    rhs = 1 - mp.mpf(1) * (mp.mpf(8) / 5 - mp.e / 2) - (mp.mpf(s.mean_kernel(nu).numerator) / s.mean_kernel(nu).denominator
                                                       + mp.mpf(b.details["bias_upper"].numerator) / b.details["bias_upper"].denominator) / 2
    proven = b.details["proven"]
    assert mp.mpf(proven.numerator) / proven.denominator <= rhs
    assert rhs - mp.mpf(proven.numerator) / proven.denominator < mp.mpf(10) ** -25  # and only the interval's width below it
    mp.mp.dps = 15


def _split_bunch_mixture(game: dict, w_bunch: str, bound: str = "1") -> dict:
    """A classical strategy: always bunch (both +1) with weight ``w_bunch``, always split otherwise."""
    return {"schema": 2, "kind": "system-strategy", "N": None, "side": "upper", "model": "classical", "bound": bound, "game": game,
            "components": [{"weight": w_bunch, "a": {"u": "0", "sign": 1}, "b": {"u": "0", "sign": 1}},
                           {"weight": str(1 - Fraction(w_bunch)), "a": {"u": "0", "sign": 1}, "b": {"u": "0", "sign": -1}}]}


def test_strategy_feasibility_uses_the_far_end_of_w0() -> None:
    # lognormal 1 at lam = 1/2: W_0 = e/2, E[c] = 1, always bunch costs 1; bunching half the pairs gives W_q = e/2 + 1/2 exactly
    # (dyadic weights: the cost is computed without rounding). A limit 10^-40 below that, above every point of the m2 interval's
    # lower part, is not met: the checker must compare with W_0's upper end
    mp.mp.dps = 60
    e_below = Fraction(mp.nstr(mp.e - mp.mpf(10) ** -40, 55))
    mp.mp.dps = 15
    with pytest.raises(CertificateError, match="W_limit"):
        check_certificate(_split_bunch_mixture(_lognormal_system(e_below / 2 + Fraction(1, 2)), "1/2"))
    ok = check_certificate(_split_bunch_mixture(_lognormal_system(e_below / 2 + Fraction(1, 2) + Fraction(1, 10**20)), "1/2"))
    assert ok.details["proven"] == Fraction(1, 2)  # p_split = 1/2 exactly (dyadic)


def test_strategy_enclosures_round_outward() -> None:
    # exponential, mu = 1, lam = 3/5: W_0 = 3/2, kappa = 3/4, E[c] = 5/4; bunching a third of the pairs: p_split = 2/3 and
    # E[beta c] = (1/3) (5/4) = 5/12 exactly, but weight 1/3 is not dyadic, so the balls have a radius: the checker's p_split
    # must not fall below 2/3 nor its W_q below 3/2 + 5/12
    game = {"type": "system", "law": "exponential", "lam": "3/5", "mu": "1", "W_limit": "2"}
    b = check_certificate(_split_bunch_mixture(game, "1/3"))
    assert Fraction(2, 3) <= b.details["proven"] < Fraction(2, 3) + Fraction(1, 10**25)
    assert Fraction(3, 2) + Fraction(5, 12) <= b.details["wq_upper"] < Fraction(3, 2) + Fraction(5, 12) + Fraction(1, 10**25)


def _mp_uniform_h(w0: Fraction, w1: Fraction) -> Fraction:
    """``E|w0 + w1 X|`` for X uniform on (0, 2), exactly: (1/2) int_0^2 |w0 + w1 x| dx."""
    F = lambda x: w0 * x + w1 * x * x / 2  # noqa: E731  antiderivative of w0 + w1 x
    if w1 != 0 and 0 < -w0 / w1 < 2:
        r = -w0 / w1
        return (abs(F(r) - F(Fraction(0))) + abs(F(Fraction(2)) - F(r))) / 2
    return abs(F(Fraction(2)) - F(Fraction(0))) / 2


def test_classical_bias_rounds_up_on_the_uniform_law() -> None:
    # one piece [0, 1]: the bounding box of b = (b0, b1) is [-1, 1] x [-1, 1] (m1 = 1), so the bias bound is the largest
    # E|w0 + w1 X| over the four corners, w = M(nu) b: an exact rational for the uniform law; the checker's bound must not be below it
    s = system_data({"type": "system", "law": "uniform", "lam": "1/2", "W_limit": "2"})
    nu = Fraction(1, 3)
    (m00, m01), (m10, m11) = s.matrix(nu)
    exact = max(_mp_uniform_h(m00 * b0 + m01 * b1, m10 * b0 + m11 * b1) for b0 in (-1, 1) for b1 in (-1, 1))
    bound, _, boxes = sd._classical_bias_upper(s, nu, [Fraction(0), Fraction(1)])
    assert boxes == 1 and exact <= bound < exact + Fraction(1, 10**25)


def test_quantum_bias_rounds_up_on_the_uniform_law() -> None:
    # large dual functions (A, B small: the PSD condition holds with room); the bias bound E[alpha] + E[beta] must not be below the
    # 40-digit value of (1/2) int_0^2 sqrt(q) dx for each quadratic
    s = system_data({"type": "system", "law": "uniform", "lam": "1/2", "W_limit": "2"})
    qa, qb = (Fraction(9), Fraction(1, 3), Fraction(100)), (Fraction(4), Fraction(5, 7), Fraction(81))
    mp.mp.dps = 40
    want = sum(mp.quad(lambda x, q=q: mp.sqrt(mp.mpf(q[0].numerator) / q[0].denominator * (x - mp.mpf(q[1].numerator) / q[1].denominator) ** 2
                                                  + mp.mpf(q[2].numerator) / q[2].denominator), [0, 2]) / 2 for q in (qa, qb))
    bias, _ = sd._quantum_bias_upper(s, Fraction(1), qa, qb)
    assert mp.mpf(bias.numerator) / bias.denominator >= want
    assert mp.mpf(bias.numerator) / bias.denominator - want < mp.mpf(10) ** -13  # (the upper ends are read at 53 bits)
    mp.mp.dps = 15


@pytest.mark.parametrize("shift", [-1, 1])
def test_a_wider_b1_enclosure_never_lowers_the_bias_bound(monkeypatch, shift: int) -> None:  # noqa: ANN001
    # b1's enclosure widened on one side by 1/100 (still containing b1): the trapezoids and boxes built from its outer ends
    # contain the old ones, so the bound (a convex function's largest vertex value) cannot drop; a bound read from the
    # ball's middle would move with the shift, down on one of the two sides
    from flint import arb

    s = system_data({"type": "system", "law": "exponential", "lam": "3/5", "mu": "1", "W_limit": "2"})
    breaks = [Fraction(k, 8) for k in range(8)] + [Fraction(1)]
    base = sd._classical_bias_upper(s, Fraction(1), breaks)[0]
    orig = sd.b1_enclosure
    monkeypatch.setattr(sd, "b1_enclosure", lambda *a: orig(*a) + shift * arb("0.005 +/- 0.005"))
    wide = sd._classical_bias_upper(s, Fraction(1), breaks)[0]
    assert wide >= base


def _uniform_quantum_dual() -> tuple:
    """A quantum dual on the uniform law (lam 1/2, W_limit 2, nu = 1) and the eigenvalues of A M B M^T at the moments' midpoints."""
    s = system_data({"type": "system", "law": "uniform", "lam": "1/2", "W_limit": "2"})
    nu = Fraction(1)
    qa, qb = (Fraction(9), Fraction(1, 3), Fraction(100)), (Fraction(4), Fraction(5, 7), Fraction(81))

    def gram(q: tuple) -> np.ndarray:
        _, i0, i1, i2 = (float(x.mid()) for x in sq.quadratic_moments(s.service, *q))
        return np.array([[i0, i1], [i1, i2]])

    M = np.array([[float(x) for x in row] for row in s.matrix(nu)])
    return s, nu, qa, qb, sorted(np.linalg.eigvals(gram(qa) @ M @ gram(qb) @ M.T).real)


def test_psd_test_counts_the_radii_of_the_moment_enclosures(monkeypatch) -> None:  # noqa: ANN001
    # alpha scaled so that lambda_max(A M B M^T) = 4 / (1 + 10^-6) at the moments' midpoints: proved <= 4 with the real (tiny)
    # radii; with every moment's enclosure widened to a relative radius 10^-4 it is no longer proved (Gershgorin shift of A, B)
    from flint import arb

    s, nu, qa, qb, lams = _uniform_quantum_dual()
    lam0 = lams[-1]
    sc = Fraction(lam0 / 4 * (1 + 1e-6)).limit_denominator(10**12)  # alpha -> sc alpha: A -> A / sc
    qa2 = (qa[0] * sc * sc, qa[1], qa[2] * sc * sc)
    sd._quantum_bias_upper(s, nu, qa2, qb)  # proved
    orig = sd.quadratic_moments
    monkeypatch.setattr(sd, "quadratic_moments", lambda *a: tuple(x + arb(0, 1e-4 * abs(float(x.mid()))) for x in orig(*a)))
    with pytest.raises(CertificateError, match="lambda_max"):
        sd._quantum_bias_upper(s, nu, qa2, qb)


def test_psd_test_counts_the_radii_of_the_beta_moments(monkeypatch) -> None:  # noqa: ANN001
    # as above, with only beta's moment enclosures widened: B's Gershgorin shift alone must make the test fail
    from flint import arb

    s, nu, qa, qb, lams = _uniform_quantum_dual()
    sc = Fraction(lams[-1] / 4 * (1 + 1e-6)).limit_denominator(10**12)
    qa2 = (qa[0] * sc * sc, qa[1], qa[2] * sc * sc)
    sd._quantum_bias_upper(s, nu, qa2, qb)  # proved
    orig = sd.quadratic_moments

    def widened(law, *q):  # noqa: ANN001, ANN202
        out = orig(law, *q)
        return out if q != qb else tuple(x + arb(0, 1e-4 * abs(float(x.mid()))) for x in out)

    monkeypatch.setattr(sd, "quadratic_moments", widened)
    with pytest.raises(CertificateError, match="lambda_max"):
        sd._quantum_bias_upper(s, nu, qa2, qb)

def test_psd_test_needs_the_trace_when_both_eigenvalues_exceed_4() -> None:
    # alpha scaled so far down that both eigenvalues of A M B M^T exceed 4: (4 - l1)(4 - l2) = 16 - 4 tr + det is then
    # positive, and only tr <= 8 rejects the certificate
    s, nu, qa, qb, lams = _uniform_quantum_dual()
    assert lams[0] > 0
    sc = Fraction(lams[0] / 8).limit_denominator(10**12)  # both eigenvalues become >= 8
    qa2 = (qa[0] * sc * sc, qa[1], qa[2] * sc * sc)
    with pytest.raises(CertificateError, match="lambda_max"):
        sd._quantum_bias_upper(s, nu, qa2, qb)
