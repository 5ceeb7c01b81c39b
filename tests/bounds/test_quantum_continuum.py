"""Tests of the lemma Q6 producer (:mod:`bounds.quantum_continuum`) against independent computations."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from bounds.errors import BoundsParameterError
from bounds.quantum_continuum import _collatz, collatz_vector, continuum_dual, remainder_matrix
from bounds.tsirelson import tsirelson
from games import discretise, paper_game
from proofs.exact import cell_enclosure


@pytest.fixture(scope="module")
def paper128():  # noqa: ANN201
    d = discretise(paper_game(0.33), 128)
    return d, tsirelson(d)


def test_remainder_matrix_matches_the_solver_cell_matrix(paper128) -> None:  # noqa: ANN001
    d, r = paper128
    enc = cell_enclosure(d.game, d.n)
    rows, cols, vals = remainder_matrix(enc, r.x, r.y)
    n = d.n
    rho = d.matrix[rows, cols] * n * n  # the solver's float cell matrix, not the enclosure
    expect = np.sqrt((1 - rho**2) / n**3 / (n * r.x[rows] * r.y[cols]))
    np.testing.assert_allclose(vals, expect, rtol=1e-9, atol=1e-9)  # 1 - rho^2 cancels near rho = +-1
    assert set(zip(rows.tolist(), cols.tolist())) == set(zip(*np.nonzero(d.crossed)))  # float mask agrees here


def test_collatz_vector_is_tight_where_the_perron_vector_is_not(paper128) -> None:  # noqa: ANN001
    d, r = paper128
    enc = cell_enclosure(d.game, d.n)
    rows, cols, vals = remainder_matrix(enc, r.x, r.y)
    w = np.zeros((d.n, d.n))
    w[rows, cols] = vals
    norm2 = np.linalg.norm(w, 2) ** 2
    v = collatz_vector(rows, cols, vals, d.n)
    assert np.all(v > 0)
    assert norm2 * (1 - 1e-9) <= _collatz(rows, cols, vals, v, d.n) <= norm2 * (1 + 1e-6)
    # the float Perron vector decays to noise away from the worst cells: its Collatz ratio is far off
    _, vec = np.linalg.eigh(w.T @ w)
    perron = np.maximum(np.abs(vec[:, -1]), 1e-300)
    assert _collatz(rows, cols, vals, perron, d.n) > 1.5 * norm2


def test_certificate_claims_the_scaled_dual(paper128) -> None:  # noqa: ANN001
    d, r = paper128
    cd = continuum_dual(d, result=r)
    c = cd.certificate
    dual = sum((Fraction(t) for t in c["x"] + c["y"]), Fraction(0))
    tau = Fraction(c["tau"])
    assert Fraction(c["bound"]) == Fraction(1, 2) + (1 + tau) * dual / 2
    # tau is the root of 4 t (1 + t - eps/2) = omega (float estimates), plus its relative margin
    assert 4 * cd.tau * (1 + cd.tau - cd.eps / 2) == pytest.approx(cd.omega, rel=1e-5)
    assert cd.upper_estimate - r.upper_estimate == pytest.approx(cd.tau * r.dual_value / 2, rel=1e-3)
    assert 0 < cd.tau < 5.5 / 128**2 * 1.5  # second order: about 5.5 / N^2 on this game


def test_bad_input() -> None:
    with pytest.raises(BoundsParameterError, match="`disc`"):
        continuum_dual(np.eye(2))  # type: ignore[arg-type]
    d = discretise(paper_game(0.33), 16)
    with pytest.raises(BoundsParameterError, match="`result`"):
        continuum_dual(d, result=tsirelson(discretise(paper_game(0.33), 12)))


@pytest.mark.parametrize(("t", "n"), [(Fraction(29, 40), 17), (Fraction(177, 500), 15)])
def test_a_game_of_value_near_one_gets_a_certificate_its_checker_accepts(t: Fraction, n: int) -> None:
    """gamma:16 games of value ~1: on their crossed cells |rho| ~ 1, so 1 - rho^2 lies within the enclosure's width.  The
    writer takes rho at the enclosure's end nearest 0, as the checker does (at the midpoint it wrote tau = 4e-6 where the
    checker needs ~0.04), and covers the float rounding of 1 - rho^2 (omega ~ 3e-13 at t = 0.354)."""
    from analytic.laws.catalogue import parse_law
    from games.laws import law_game
    from proofs.certify.law_brackets import law_discretisation
    from proofs.checkers.registry import check_certificate

    d = law_discretisation(law_game(parse_law("gamma:16"), t), n)
    cd = continuum_dual(d)
    b = check_certificate(cd.certificate, "test")
    assert b.value == Fraction(cd.certificate["bound"]) and b.details["tau"] == Fraction(cd.certificate["tau"])
