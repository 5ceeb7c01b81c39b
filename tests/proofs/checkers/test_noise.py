"""Tests of the Werner-noise checkers: exact values, every margin, tampering, malformed files."""

from __future__ import annotations

import copy
import json
import math
from fractions import Fraction

import mpmath
import pytest

from games import linear_boundary_game, paper_game
from proofs.certify.classical import certify_classical
from proofs.certify.quantum import certify_quantum
from proofs.checkers.noise import LOCAL_VISIBILITY, check_werner_mixture, check_werner_strategy
from proofs.checkers.registry import check_certificate
from proofs.cli.main import main
from proofs.exact.cells import cell_enclosure
from proofs.exact.errors import CertificateError, CertificateFormatError


def _strategy_cert(game: dict, n: int, v: str, d: int, a: tuple, b: tuple, lower: str = "0") -> dict:
    return {"schema": 2, "kind": "werner-strategy", "game": game, "N": n, "side": "lower", "bound": lower, "bins": n, "v": v, "denominator": d,
            "a": {"s": list(a[0]), "r": [list(r) for r in a[1]]}, "b": {"s": list(b[0]), "r": [list(r) for r in b[1]]}}


LINEAR = {"type": "linear", "s": "1"}


def _linear_exact_value(n: int, v: Fraction, d: int, a: tuple, b: tuple) -> Fraction:
    # independent exact value for a + b <= 1: cells with i + j <= N - 2 bunch, i + j >= N split, the anti-diagonal is cut in half (M = 0)
    total = Fraction(0)
    for i in range(n):
        for j in range(n):
            m = Fraction(1 if i + j <= n - 2 else -1 if i + j >= n else 0, n * n)
            e = Fraction(a[0][i] * b[0][j], d * d) - v * Fraction(sum(x * y for x, y in zip(a[1][i], b[1][j])), d * d)
            total += m * e
    return Fraction(1, 2) + total / 2


def test_exact_value_on_the_linear_game_and_no_slack() -> None:
    n, d, v = 4, 12, Fraction(7, 10)
    a = ([12, 0, -5, 3], [[0, 0, 0], [0, 12, 0], [4, 3, 0], [0, 0, -9]])
    b = ([0, 12, 2, -12], [[12, 0, 0], [0, 0, 0], [0, 6, 4], [0, 0, 0]])
    exact = _linear_exact_value(n, v, d, a, b)
    ok = check_werner_strategy(_strategy_cert(LINEAR, n, "7/10", d, a, b, f"{exact.numerator}/{exact.denominator}"), "t")
    assert ok.details["proven"] == exact  # exact rational, no rounding on a rational game
    above = exact + Fraction(1, 10**40)
    with pytest.raises(CertificateError, match="exceeds"):
        check_werner_strategy(_strategy_cert(LINEAR, n, "7/10", d, a, b, f"{above.numerator}/{above.denominator}"), "t")


def test_crossed_cells_carry_the_logarithm() -> None:
    # both routers output +1: the value is P(bunch) = 1 - C + C ln C for the paper's game (closed form)
    C, n = Fraction(33, 100), 50
    game = {"type": "hyperbolic", "C": "33/100"}
    zeros = [[0, 0, 0]] * n
    b = check_werner_strategy(_strategy_cert(game, n, "1/2", 1, ([1] * n, zeros), ([1] * n, zeros)), "t")
    c = float(C)
    truth = 1 - c + c * math.log(c)
    assert b.details["proven"] <= Fraction(truth) + Fraction(1, 10**15)
    assert float(b.details["proven"]) == pytest.approx(truth, abs=1e-14)
    assert b.details["deterministic_bins"] == 2 * n


# ------------------------------------------------------------------ law games: every boundary cell counts
def _uniform_area(a0: Fraction, a1: Fraction, b0: Fraction, b1: Fraction, t: Fraction) -> Fraction:
    """Exact area of ``[a0, a1] x [b0, b1]`` below ``x + y = t`` (inclusion-exclusion of ``G(s) = max(s, 0)^2 / 2``)."""
    G = lambda s: max(s, Fraction(0)) ** 2 / 2  # noqa: E731
    return G(t - a0 - b0) - G(t - a1 - b0) - G(t - a0 - b1) + G(t - a1 - b1)


def _uniform_werner_value(t: Fraction, n: int, v: Fraction, d: int, a: tuple, b: tuple) -> Fraction:
    # independent exact value on the uniform law on (0, 2): cell (i, j) is [2i/N, 2(i+1)/N] x [2j/N, 2(j+1)/N], density 1/4
    total = Fraction(0)
    for i in range(n):
        for j in range(n):
            bunch = _uniform_area(Fraction(2 * i, n), Fraction(2 * i + 2, n), Fraction(2 * j, n), Fraction(2 * j + 2, n), t) / 4
            e = Fraction(a[0][i] * b[0][j], d * d) - v * Fraction(sum(x * y for x, y in zip(a[1][i], b[1][j])), d * d)
            total += (2 * bunch - Fraction(1, n * n)) * e
    return Fraction(1, 2) + total / 2


def _p_bunch(law: str, t: Fraction) -> mpmath.mpf:
    """Closed-form P(X1 + X2 <= t) for two independent mean-1 service times (40 digits)."""
    with mpmath.workdps(40):
        x = mpmath.mpf(t.numerator) / t.denominator
        if law == "uniform":  # triangular law of the sum on (0, 4); here 2 <= t <= 4
            return 1 - (4 - x) ** 2 / 8
        if law == "exponential":  # Erlang(2, rate 1)
            return 1 - mpmath.exp(-x) * (1 + x)
        if law == "gamma:2":  # Erlang(2, rate 2) + Erlang(2, rate 2) = Erlang(4, rate 2)
            return 1 - mpmath.exp(-2 * x) * sum((2 * x) ** k / mpmath.factorial(k) for k in range(4))
    raise AssertionError(law)


LAW_REPRODUCERS = [  # (law label, game, N): the audit's forged always-bunch certificates
    ("uniform", {"type": "sum-threshold", "law": "uniform", "t": "3000001/1000000"}, 6),
    ("exponential", {"type": "sum-threshold", "law": "exponential", "t": "1"}, 5),
    ("gamma:2", {"type": "sum-threshold", "law": "gamma", "param": "2", "t": "11/8"}, 5),
]


def _always_bunch(game: dict, n: int, bound: Fraction | str) -> dict:
    zeros = [[0, 0, 0]] * n
    bound = bound if isinstance(bound, str) else f"{bound.numerator}/{bound.denominator}"
    return _strategy_cert(game, n, "0", 1, ([1] * n, zeros), ([1] * n, zeros), bound)


def test_uniform_law_forgery_is_rejected() -> None:
    # the audit's reproducer: the strategy wins P(bunch) = 1 - (1 - 10^-6)^2 / 8 ~ 7/8 = 63/72, not 65/72
    game, n = LAW_REPRODUCERS[0][1], LAW_REPRODUCERS[0][2]
    with pytest.raises(CertificateError, match="exceeds"):
        check_werner_strategy(_always_bunch(game, n, "65/72"), "t")
    assert check_werner_strategy(_always_bunch(game, n, "7/8"), "t").value == Fraction(7, 8)  # true: P(bunch) = 7/8 + 2.5e-7


@pytest.mark.parametrize("label, game, n", LAW_REPRODUCERS, ids=[r[0] for r in LAW_REPRODUCERS])
def test_law_game_always_bunch_is_p_bunch(label: str, game: dict, n: int) -> None:
    # both routers always +1: the value is P(X1 + X2 <= t) whatever the cells; claims just above are rejected, just below accepted
    truth = _p_bunch(label, Fraction(game["t"]))
    above = Fraction(mpmath.nstr(truth + mpmath.mpf(10) ** -12, 30))
    below = Fraction(mpmath.nstr(truth - mpmath.mpf(10) ** -12, 30))
    with pytest.raises(CertificateError, match="exceeds"):
        check_werner_strategy(_always_bunch(game, n, above), "t")
    ok = check_werner_strategy(_always_bunch(game, n, below), "t")
    proven = ok.details["proven"]
    assert proven <= Fraction(mpmath.nstr(truth, 30)) + Fraction(1, 10**28)  # sound: never above the truth
    assert float(proven) == pytest.approx(float(truth), abs=1e-13)  # and tight
    assert ok.details["enclosed_cells"] == int((cell_enclosure(game, n).kind == 0).sum()) > 0  # every boundary cell visited


def test_uniform_law_werner_strategy_matches_exact_areas() -> None:
    # a general Werner strategy (noise, mixed observables) on a law game with boundary cells: exact rational truth by polygon areas
    t, n, d, v = Fraction(7, 5), 5, 12, Fraction(3, 5)
    a = ([12, 0, -5, 3, 4], [[0, 0, 0], [0, 12, 0], [4, 3, 0], [0, 0, -9], [0, 8, 0]])
    b = ([0, 12, 2, -12, -1], [[12, 0, 0], [0, 0, 0], [0, 6, 4], [0, 0, 0], [5, 0, 6]])
    game = {"type": "sum-threshold", "law": "uniform", "t": "7/5"}
    exact = _uniform_werner_value(t, n, v, d, a, b)
    for eps, ok in ((Fraction(1, 10**12), False), (-Fraction(1, 10**12), True)):
        claim = exact + eps
        cert = _strategy_cert(game, n, "3/5", d, a, b, f"{claim.numerator}/{claim.denominator}")
        if ok:
            got = check_werner_strategy(cert, "t").details["proven"]
            assert exact - Fraction(1, 10**14) <= got <= exact
        else:
            with pytest.raises(CertificateError, match="exceeds"):
                check_werner_strategy(cert, "t")


def test_enclosure_radius_of_boundary_cells_is_needed(monkeypatch: pytest.MonkeyPatch) -> None:
    # widen every boundary cell's enclosure by +-1e-6/N^2 around its midpoint: the checker must subtract the widened radius,
    # so a claim at the midpoint value is rejected and one a full radius below it accepted
    import proofs.exact.values as values
    from proofs.exact.cells import CellEnclosure

    game, n = LAW_REPRODUCERS[1][1], LAW_REPRODUCERS[1][2]
    real = values.cell_enclosure
    delta = 1e-6 / (n * n)

    def widened(g, m):  # noqa: ANN001, ANN202
        enc = real(g, m)
        lo, hi = enc.lo.copy(), enc.hi.copy()
        cr = enc.kind == 0
        lo[cr] -= delta
        hi[cr] += delta
        return CellEnclosure(enc.n, lo, hi, enc.kind, enc.crossed_exact, enc.game)  # built from arrays: keeps them

    monkeypatch.setattr(values, "cell_enclosure", widened)
    truth = Fraction(mpmath.nstr(_p_bunch("exponential", Fraction(1)), 30))
    cells = int((real(game, n).kind == 0).sum())
    with pytest.raises(CertificateError, match="exceeds"):
        check_werner_strategy(_always_bunch(game, n, truth - Fraction(1, 10**12)), "t")
    check_werner_strategy(_always_bunch(game, n, truth - Fraction(cells * delta) / 2 - Fraction(1, 10**12)), "t")


def test_the_measurement_constraint_is_exact() -> None:
    zeros = [[0, 0, 0]] * 2
    edge = _strategy_cert(LINEAR, 2, "1", 5, ([2, 0], [[3, 0, 0], [0, 3, 4]]), ([0, 0], zeros))  # |s| + |r| = 1 exactly
    check_werner_strategy(edge, "t")
    over = _strategy_cert(LINEAR, 2, "1", 5, ([2, 0], [[3, 1, 0], [0, 3, 4]]), ([0, 0], zeros))
    with pytest.raises(CertificateError, match="not a \\+-1 measurement"):
        check_werner_strategy(over, "t")
    s_over = _strategy_cert(LINEAR, 2, "1", 5, ([6, 0], zeros), ([0, 0], zeros))
    with pytest.raises(CertificateFormatError, match="at most 5"):
        check_werner_strategy(s_over, "t")


@pytest.mark.parametrize(
    "change, match",
    [
        ({"v": "3/2"}, "visibility"),  # v outside [0, 1]
        ({"v": "nan"}, "`v`"),  # NaN is not a rational
        ({"v": 0.5}, "exact rational"),  # floats are refused
        ({"denominator": 0}, "positive"),
        ({"denominator": True}, "integer"),
        ({"bins": 3, "N": 3}, "N = 3 entries"),
        ({"N": 3}, "'N' must equal 'bins'"),
        ({"side": "upper"}, "lower bound"),
        ({"a": {"s": [1, 1.0], "r": [[0, 0, 0]] * 2}}, "integer"),
        ({"a": {"s": [1, 1], "r": [[0, 0]] * 2}}, "3 integers"),
        ({"game": {"type": "linear", "s": "5"}}, "s"),
    ],
)
def test_malformed_strategy_certificates(change: dict, match: str) -> None:
    zeros = [[0, 0, 0]] * 2
    cert = {**_strategy_cert(LINEAR, 2, "1/2", 1, ([1, 1], zeros), ([1, 1], zeros)), **change}
    with pytest.raises(CertificateFormatError, match=match):
        check_werner_strategy(cert, "t")


def test_integer_overflow_is_refused_before_any_cast() -> None:
    n, d = 512, 2**53  # N * D = 2^62: int64 row sums could overflow
    zeros = [[0, 0, 0]] * n
    with pytest.raises(CertificateFormatError, match="too large"):
        check_werner_strategy(_strategy_cert(LINEAR, n, "1/2", d, ([0] * n, zeros), ([0] * n, zeros)), "t")


@pytest.fixture(scope="module")
def uppers(tmp_path_factory: pytest.TempPathFactory) -> dict:
    d = tmp_path_factory.mktemp("noise-certs")
    cl = certify_classical(linear_boundary_game(), 8, cert_dir=d)
    qu = certify_quantum(linear_boundary_game(), 8, cert_dir=d)
    qp = certify_quantum(paper_game(0.33), 8, cert_dir=d)
    load = lambda p: json.loads(open(p).read())  # noqa: E731
    return {
        "classical": load(cl.paths["upper"]), "quantum": load(qu.paths["upper"]), "paper_quantum": load(qp.paths["upper"]),
        "classical_lower": load(cl.paths["lower"]), "pc": cl.bracket.upper.value, "pq": qu.bracket.upper.value,
    }


def _mixture(u: dict, v: str, mode: str, upper: str = "1", **over: dict) -> dict:
    return {"schema": 2, "kind": "werner-mixture", "game": {"type": "linear", "s": "1"}, "N": 8, "side": "upper", "bound": upper, "v": v, "mode": mode,
            "classical": over.get("classical", u["classical"]), "quantum": over.get("quantum", u["quantum"])}


def test_mixture_elementary_is_the_exact_convex_combination(uppers: dict) -> None:
    pc, pq = uppers["pc"], uppers["pq"]
    for v in (Fraction(0), Fraction(1, 3), Fraction(1)):
        b = check_werner_mixture(_mixture(uppers, f"{v.numerator}/{v.denominator}", "elementary"), "t")
        assert b.details["proven"] == (1 - v) * pc + v * pq
        assert b.target.n == 8 and b.target.game["state"]["kind"] == "werner"
    proven = (Fraction(2, 3)) * pc + Fraction(1, 3) * pq
    just_below = proven - Fraction(1, 10**30)
    with pytest.raises(CertificateError, match="below what the mixture proves"):
        check_werner_mixture(_mixture(uppers, "1/3", "elementary", f"{just_below.numerator}/{just_below.denominator}"), "t")


def test_mixture_local_model_uses_the_cited_visibility(uppers: dict) -> None:
    pc, pq = uppers["pc"], uppers["pq"]
    at = check_werner_mixture(_mixture(uppers, f"{LOCAL_VISIBILITY.numerator}/{LOCAL_VISIBILITY.denominator}", "local-model"), "t")
    assert at.details["proven"] == pc  # no advantage up to v_L
    above = check_werner_mixture(_mixture(uppers, "9/10", "local-model"), "t")
    assert above.details["proven"] == pc + (Fraction(9, 10) - LOCAL_VISIBILITY) / (1 - LOCAL_VISIBILITY) * (pq - pc)
    assert above.details["proven"] < Fraction(1, 10) * pc + Fraction(9, 10) * pq  # never weaker than lemma W2
    assert "cited" in above.checker


def test_mixture_rejects_mismatched_or_wrong_components(uppers: dict) -> None:
    with pytest.raises(CertificateError, match="not"):
        check_werner_mixture(_mixture(uppers, "1/2", "elementary", quantum=uppers["paper_quantum"]), "t")
    with pytest.raises(CertificateError, match="need a classical upper bound"):
        check_werner_mixture(_mixture(uppers, "1/2", "elementary", classical=uppers["classical_lower"]), "t")
    with pytest.raises(CertificateError, match="need a quantum upper bound"):
        check_werner_mixture(_mixture(uppers, "1/2", "elementary", quantum=uppers["classical"]), "t")
    nested = _mixture(uppers, "1/2", "elementary")
    with pytest.raises(CertificateFormatError, match="must be a classical certificate"):
        check_werner_mixture(_mixture(uppers, "1/2", "elementary", classical=nested), "t")
    with pytest.raises(CertificateFormatError, match="mode"):
        check_werner_mixture(_mixture(uppers, "1/2", "cited"), "t")
    tampered = copy.deepcopy(uppers["quantum"])
    tampered["bound"] = "1/2"
    with pytest.raises(CertificateError):
        check_werner_mixture(_mixture(uppers, "1/2", "elementary", quantum=tampered), "t")


def test_qcoord_check_verifies_and_rejects_files(tmp_path, capsys) -> None:  # noqa: ANN001
    zeros = [[0, 0, 0]] * 2
    good = _strategy_cert(LINEAR, 2, "1/2", 1, ([1, -1], zeros), ([1, 1], zeros), "3/4")
    (tmp_path / "good.json").write_text(json.dumps(good))
    (tmp_path / "bad.json").write_text(json.dumps({**good, "bound": "4/5"}))
    assert main(["check", str(tmp_path / "good.json")]) == 0
    assert main(["check", str(tmp_path / "bad.json")]) == 1
    assert check_certificate(good).value == Fraction(3, 4)


# ------------------------------------------------------------------ margins pinned by tests/mutants/run_mutants.py
def test_local_visibility_is_below_the_cited_bound() -> None:
    # lemma W3: a local model for every projective measurement at v <= 1/K_G(3), and K_G(3) <= 1.4546 (arXiv:2302.04721);
    # v_L must not exceed 1/1.4546 = 0.687474...: any larger constant claims a local model the literature does not give
    assert LOCAL_VISIBILITY * Fraction(14546, 10000) <= 1
    assert LOCAL_VISIBILITY == Fraction(6874, 10000)  # the value lemmas_noise.md states


def test_mixture_weight_is_the_lemma_formula() -> None:
    from proofs.checkers.noise import mixture_weight

    v_l = Fraction(6874, 10000)  # lemma W3, written out here (not read from the module)
    for v in (Fraction(0), Fraction(1, 2), v_l, Fraction(7, 10), Fraction(9, 10), Fraction(1)):
        assert mixture_weight(v, "elementary") == v
        assert mixture_weight(v, "local-model") == max(Fraction(0), (v - v_l) / (1 - v_l))
    assert mixture_weight(Fraction(1), "local-model") == 1


@pytest.fixture(scope="module")
def werner_system_duals() -> dict:
    import numpy as np

    from bounds.noise_system import noisy_system, werner_system_dual_certificate

    sysd = noisy_system(0.6, 1.65, nus=np.linspace(0.5, 3.0, 11))
    return {mode: werner_system_dual_certificate(sysd, 0.9, 0.5, mode=mode, nu=1.5) for mode in ("elementary", "local-model")}


@pytest.mark.parametrize("mode", ["elementary", "local-model"])
def test_werner_system_dual_is_the_weighted_split(mode: str, werner_system_duals: dict) -> None:
    # lemma W4 at v = 9/10 on half the pairs: p_split >= (1 - f a) L_c + f a L_q, a = v (W2) or (v - v_L)/(1 - v_L) (W3)
    cert = copy.deepcopy(werner_system_duals[mode])
    lc, lq = check_certificate(cert["classical"]).value, check_certificate(cert["quantum"]).value
    assert lq < lc  # the quantum class needs less splitting: the weight matters
    v, f = Fraction(9, 10), Fraction(1, 2)
    a = v if mode == "elementary" else (v - Fraction(6874, 10000)) / (1 - Fraction(6874, 10000))
    exact = (1 - f * a) * lc + f * a * lq
    cert["bound"] = f"{exact.numerator}/{exact.denominator}"
    b = check_certificate(cert)
    assert b.details["proven"] == exact and b.value == exact
    above = exact + Fraction(1, 10**30)
    cert["bound"] = f"{above.numerator}/{above.denominator}"
    with pytest.raises(CertificateError, match="exceeds"):
        check_certificate(cert)


def test_werner_system_dual_refuses_its_own_margins(werner_system_duals: dict) -> None:
    good = werner_system_duals["elementary"]
    c = copy.deepcopy(good)
    c["quantum"]["nu"] = "8/5"  # another multiplier: a combination of bounds at two nus is not a bound (the sub-dual itself still checks)
    c["quantum"]["bound"] = "0"
    with pytest.raises(CertificateError, match="same multiplier"):
        check_certificate(c)
    c = copy.deepcopy(good)
    c["quantum"]["visibility"] = "9/10"
    with pytest.raises(CertificateError, match="noiseless"):
        check_certificate(c)


def test_mixture_embedded_bounds_must_be_on_the_target_n(uppers: dict) -> None:
    # the embedded bounds are on the 8-bin game; the same mixture read as a bound on the 16-bin game or the continuum (whose values
    # can only be larger: a finer binning allows more strategies) is refused
    for n in (16, None):
        forged = {**_mixture(uppers, "1/2", "elementary"), "N": n}
        with pytest.raises(CertificateError, match="not the target N"):
            check_werner_mixture(forged, "t")


def test_werner_system_dual_embedded_duals_must_be_on_its_system(werner_system_duals: dict) -> None:
    # a classical dual of a tighter system (W_limit 8/5 instead of 33/20) proves a larger L_c; combined with the quantum dual of the
    # certificate's own system it would give a bound above what that system's duals prove
    good = werner_system_duals["elementary"]
    c = copy.deepcopy(good)
    c["classical"]["game"]["W_limit"] = "8/5"
    tight = check_certificate(c["classical"]).details["proven"]
    lc, lq = check_certificate(good["classical"]).value, check_certificate(good["quantum"]).value
    assert tight > lc
    c["classical"]["bound"] = f"{tight.numerator}/{tight.denominator}"
    a, f = Fraction(9, 10), Fraction(1, 2)
    forged = (1 - f * a) * tight + f * a * lq
    assert forged > (1 - f * a) * lc + f * a * lq
    c["bound"] = f"{forged.numerator}/{forged.denominator}"
    with pytest.raises(CertificateError, match="another system"):
        check_certificate(c)
