"""Tests of the ``"tsirelson-dual-continuum"`` checker (lemma Q6) against independent computations."""

from __future__ import annotations

import copy
import math
from fractions import Fraction

import numpy as np
import pytest

from bounds.certificates import dual_certificate
from bounds.quantum_continuum import collatz_vector, continuum_dual, remainder_matrix
from bounds.tsirelson import tsirelson
from games import discretise, linear_boundary_game, paper_game
from proofs.checkers import quantum_continuum as qc
from proofs.checkers.quantum import relaxation_slack
from proofs.checkers.registry import CHECKERS, check_certificate
from proofs.exact import cell_enclosure, new_certificate
from proofs.exact import fraction_str as q
from proofs.exact.cells import CellEnclosure
from proofs.exact.errors import CertificateError, CertificateFormatError

KIND = "tsirelson-dual-continuum"


def _solve(game, n: int):  # noqa: ANN001, ANN202
    d = discretise(game, n)
    r = tsirelson(d)
    return d, r, continuum_dual(d, result=r)


@pytest.fixture(scope="module")
def paper64():  # noqa: ANN201
    return _solve(paper_game(0.33), 64)  # N > 32: lemma Q5 path


@pytest.fixture(scope="module")
def paper24():  # noqa: ANN201
    return _solve(paper_game(0.33), 24)  # N <= 32: exact LDL^T path


def _with(cert: dict, **fields) -> dict:  # noqa: ANN003
    c = copy.deepcopy(cert)
    c.update(fields)
    return c


def test_registered_and_round_trip(paper64, paper24) -> None:  # noqa: ANN001
    assert CHECKERS[KIND] is qc.check_tsirelson_dual_continuum
    for _, _, cd in (paper64, paper24):
        b = check_certificate(cd.certificate)
        assert b.side == "upper" and b.target.n is None and b.target.player_model == "quantum"
        assert b.value == Fraction(cd.certificate["bound"]) >= b.details["proven"]


def test_upper_bound_lies_above_an_independent_finer_strategy() -> None:
    """A strategy of the 1024-bin game is a continuum strategy; its value (plain float sum over the
    solver's cell matrix, no checker code) must lie below the N = 256 bound.  Without the factor
    1 + tau the N = 256 dual value (0.82757234) is below this strategy's value (0.82757587)."""
    _, r256, cd = _solve(paper_game(0.33), 256)
    d = discretise(paper_game(0.33), 1024)
    r = tsirelson(d)
    g = r.strategy.u @ r.strategy.v.T
    value = 0.5 + 0.5 * float(np.sum(d.matrix * g))
    upper = check_certificate(cd.certificate).value
    assert 0.5 + 0.5 * r256.dual_value < value - 1e-6  # the N-bin dual alone is not a continuum bound
    assert float(upper) >= value - 1e-12
    assert float(upper) - value < 3e-5  # second order: 1.7 / N^2 + the N = 1024 gap


def test_second_order_beats_the_crossed_cell_relaxation(paper64) -> None:  # noqa: ANN001
    d, r, cd = paper64
    enc = cell_enclosure(d.game, d.n)
    rel = dual_certificate(d, r.x, r.y, continuum=True, relaxation="mean", slack=relaxation_slack(enc, "mean"))
    q3 = check_certificate(rel).value
    q6 = check_certificate(cd.certificate).value
    # the N-bin value is a continuum lower bound (lemma Q4): both must lie above it
    assert q3 > q6 > Fraction(1, 2) + Fraction(r.primal_value) / 2
    assert float(q6 - (Fraction(1, 2) + Fraction(r.primal_value) / 2)) < 0.2 * float(q3 - q6)  # measured 0.11 at N = 64 (the ratio falls like 1/N)


def test_linear_game_brackets_the_known_value() -> None:
    """Linear game a + b <= 1: continuum quantum value 1/2 + 1/pi (Aharon et al.)."""
    _, _, cd = _solve(linear_boundary_game(), 128)
    upper = float(check_certificate(cd.certificate).value)
    assert 0.5 + 1 / math.pi <= upper < 0.5 + 1 / math.pi + 2e-4


def test_claim_below_the_proof_is_refused(paper64) -> None:  # noqa: ANN001
    _, _, cd = paper64
    c = cd.certificate
    # lemma Q6's value, from the certificate's own numbers (floats written exactly): 1/2 + (1 + tau)(sum x + sum y)/2
    proven = Fraction(1, 2) + (1 + Fraction(c["tau"])) * sum((Fraction(t) for t in c["x"] + c["y"]), Fraction(0)) / 2
    assert check_certificate(c).details["proven"] == proven
    with pytest.raises(CertificateError, match="below what the continuum dual proves"):
        check_certificate(_with(c, bound=q(proven - Fraction(1, 10**15))))


def test_claim_without_tau_is_refused(paper64) -> None:  # noqa: ANN001
    """tau = 0 claims the N-bin dual value for the continuum: refused (omega > 0)."""
    _, _, cd = paper64
    with pytest.raises(CertificateError, match="lemma Q6 needs"):
        check_certificate(_with(cd.certificate, tau="0"))
    with pytest.raises(CertificateError, match="lemma Q6 needs"):  # the producer's tau less its margin
        check_certificate(_with(cd.certificate, tau=q(Fraction(cd.certificate["tau"]) * (1 - Fraction(1, 10**5)))))


def test_tau_must_pay_for_eps(paper64) -> None:  # noqa: ANN001
    """A tau enough for 4 tau (1 + tau) >= omega but not for the eps term is refused."""
    _, _, cd = paper64
    b = check_certificate(cd.certificate)
    omega, eps = b.details["omega"], b.details["eps"]
    assert eps > Fraction(1, 100)
    tau = omega / 4  # 4 tau (1 + tau) >= omega, 4 tau (1 + tau - eps/2) < omega
    assert 4 * tau * (1 + tau) >= omega > 4 * tau * (1 + tau - eps / 2)
    with pytest.raises(CertificateError, match="lemma Q6 needs"):
        check_certificate(_with(cd.certificate, tau=q(tau), bound="1"))


def test_dual_that_is_not_psd_is_refused(paper64, paper24) -> None:  # noqa: ANN001
    for _, _, cd in (paper64, paper24):
        x = [q(Fraction(t) * Fraction(99, 100)) for t in cd.certificate["x"]]
        with pytest.raises(CertificateError, match="not proved positive semidefinite"):
            check_certificate(_with(cd.certificate, x=x, bound="1"))


def test_malformed_fields_are_refused(paper24) -> None:  # noqa: ANN001
    _, _, cd = paper24
    c = cd.certificate
    n = c["bins"]
    for bad, msg in (
        (_with(c, N=n), "'N' must be null"),
        (_with(c, v=["0"] * n), "positive"),
        (_with(c, x=["-1/3"] + c["x"][1:]), "positive"),
        (_with(c, tau="2"), "'tau' must be a rational in"),
        ({k: val for k, val in c.items() if k != "tau"}, "needs the field 'tau'"),
        (_with(c, x=c["x"][:-1]), "x"),
    ):
        with pytest.raises(CertificateFormatError, match=msg):
            check_certificate(bad)


def test_dual_tight_at_the_midpoint_is_refused() -> None:
    """N = 1: x = y just above |Mc|/2 is PSD for Mc but not for every M of the enclosure (lemma Q2 margin)."""
    game = {"type": "hyperbolic", "C": "1/3"}
    mc, _ = cell_enclosure(game, 1).mid_radius()
    x = math.nextafter(abs(float(mc[0, 0])) / 2, math.inf)
    cert = new_certificate(KIND, game, None, "upper", Fraction(1), bins=1, x=[q(x)], y=[q(x)], v=["1"], tau="1")
    with pytest.raises(CertificateError, match="positive semidefinite"):
        check_certificate(cert)
    ok = _with(cert, x=[q(x + 1e-15)], y=[q(x + 1e-15)])
    with pytest.raises(CertificateError, match="lemma Q6 needs"):  # past the PSD test; N = 1 is far too coarse for Q6
        check_certificate(ok)


def test_tau_condition_needs_the_diagonal() -> None:
    """omega = 0 with eps > 2: tau = 0 meets 4 tau (1 + tau - eps/2) >= omega but not 1 + tau >= eps/2."""
    assert not qc.ContinuumTerms(Fraction(0), Fraction(3)).tau_ok(Fraction(0))
    assert qc.ContinuumTerms(Fraction(0), Fraction(3)).tau_ok(Fraction(1, 2))
    assert not qc.ContinuumTerms(Fraction(1), Fraction(0)).tau_ok(Fraction(-1, 2) - Fraction(1, 10))  # tau < 0 refused


def test_sqrt_up_covers_a_square_root_that_rounds_down() -> None:
    w = Fraction(63971650304605294489738693499, 135938619032833934137299159808)
    assert Fraction(math.sqrt(float(w))) ** 2 < w  # the case the step-up exists for
    s = qc.sqrt_up(w)
    assert Fraction(s) ** 2 >= w and Fraction(math.nextafter(s, 0)) ** 2 < w


def _fake(lo: float, hi: float, n: int = 4) -> CellEnclosure:
    kind = np.ones((n, n), dtype=np.int8)
    kind[1, 2] = 0
    lo_a = np.full((n, n), 1.0 / n**2)
    hi_a = lo_a.copy()
    lo_a[1, 2], hi_a[1, 2] = lo, hi
    return CellEnclosure(n, lo_a, hi_a, kind, {}, cell_enclosure({"type": "linear", "s": "1"}, n).game)


def test_variance_bound_uses_the_least_square_over_the_enclosure() -> None:
    n = 4
    assert qc.crossed_variances(_fake(-1e-3, 2e-3)) == {(1, 2): Fraction(1, n**3)}  # 0 in the enclosure: rho^2 >= 0 only
    lo, hi = 0.01, 0.02
    assert qc.crossed_variances(_fake(lo, hi)) == {(1, 2): (1 - n**4 * Fraction(lo) ** 2) / n**3}
    assert qc.crossed_variances(_fake(-hi, -lo)) == {(1, 2): (1 - n**4 * Fraction(lo) ** 2) / n**3}


def _fine_operators(game, n: int, k: int, x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:  # noqa: ANN001
    """Norms of P_f E P_f, P E P_f and P_f E P on a grid k times finer (each at most the true norm of E, P E, E P).

    Independent of the checker: the fine cell integrals come from the solver-side discretisation.
    """
    enc = cell_enclosure(game, n)
    mf = discretise(game, n * k).matrix
    h = 1.0 / (n * k)
    mid = (enc.lo + enc.hi) / 2
    rho = np.repeat(np.repeat(mid * n * n, k, 0), k, 1)
    crossed = np.repeat(np.repeat(enc.kind == 0, k, 0), k, 1)
    xd = np.repeat(n * x, k)
    yd = np.repeat(n * y, k)
    # orthonormal fine basis h^-1/2 1_cell: <e, E f> = (integral of (r - rho) over the cell) / (h sqrt(X Y))
    ef = np.where(crossed, (mf - rho * h * h) / (h * np.sqrt(np.outer(xd, yd))), 0.0)
    pc = np.kron(np.eye(n), np.ones((1, k)) / math.sqrt(k))  # the coarse orthonormal basis in fine coordinates
    return float(np.linalg.norm(ef, 2)), float(np.linalg.norm(pc @ ef, 2)), float(np.linalg.norm(ef @ pc.T, 2))


@pytest.mark.parametrize("game", [paper_game(0.33), paper_game(0.7), linear_boundary_game()])
def test_omega_and_eps_bound_the_fine_grid_operators(game) -> None:  # noqa: ANN001
    """Lemma Q6 (3), (4): eps >= ||E||, omega >= ||P E||^2 and ||E P||^2, checked on a fine grid."""
    n, k = 12, 24
    d = discretise(game, n)
    r = tsirelson(d)
    rng = np.random.default_rng(5)
    x, y = np.abs(r.x) * (1 + rng.random(n)), np.abs(r.y) * (1 + rng.random(n))  # unequal weights: no symmetry helps
    enc = cell_enclosure(d.game, n)
    rows, cols, vals = remainder_matrix(enc, x, y)
    terms = qc.continuum_terms(enc, x, y, collatz_vector(rows, cols, vals, n))
    e_norm, pe_norm, ep_norm = _fine_operators(d.game, n, k, x, y)
    assert float(terms.eps) >= e_norm
    assert float(terms.omega) >= pe_norm**2
    assert float(terms.omega) >= ep_norm**2
    assert max(pe_norm, ep_norm) ** 2 > 0.2 * float(terms.omega)  # and not vacuous: measured factors 2 to 3


def test_collatz_bound_against_the_spectral_norm() -> None:
    rng = np.random.default_rng(3)
    for _ in range(20):
        n = int(rng.integers(2, 9))
        w = rng.random((n, n)) * (rng.random((n, n)) < 0.5)
        rows, cols = np.nonzero(w)
        if rows.size == 0:
            continue
        v = rng.random(n) + 0.1
        bound = qc.collatz_bound(rows, cols, w[rows, cols], v)
        assert float(bound) >= np.linalg.norm(w, 2) ** 2 * (1 - 1e-12)
    # a 2 x 2 with its Perron vector: the bound is the norm squared exactly
    w = np.array([[1.0, 1.0], [0.0, 1.0]])
    rows, cols = np.nonzero(w)
    lam, vec = np.linalg.eigh(w.T @ w)
    bound = qc.collatz_bound(rows, cols, w[rows, cols], np.abs(vec[:, -1]))
    assert float(bound) == pytest.approx(lam[-1], rel=1e-12)


def test_schur_remainder_closed_form() -> None:
    """Linear game s = 1, N = 4: the crossed cells are the anti-diagonal i + j = 3, one per row and column."""
    enc = cell_enclosure({"type": "linear", "s": "1"}, 4)
    crossed = {(int(i), int(j)) for i, j in zip(*np.nonzero(enc.kind == 0))}
    assert crossed == {(0, 3), (1, 2), (2, 1), (3, 0)}
    x = np.array([0.25, 0.5, 0.125, 1.0])
    y = np.array([0.5, 0.25, 1.0, 0.125])
    rows = [(1 / Fraction(x[i]) + 1 / Fraction(y[3 - i])) / 16 for i in range(4)]
    cols = [(1 / Fraction(x[3 - j]) + 1 / Fraction(y[j])) / 16 for j in range(4)]
    assert qc.schur_remainder(enc, x, y) == (max(rows) + max(cols)) / 2
