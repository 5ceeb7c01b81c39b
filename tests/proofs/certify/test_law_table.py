"""law_table and its verdict: status from certified numbers only."""

from fractions import Fraction
from types import SimpleNamespace

import pytest

from proofs.certify.law_table import law_table, law_table_verdict
from proofs.exact.errors import ProofsParameterError


def _row(law, q_lo, q_hi, c_lo, c_hi):
    # stand-ins with the attributes the verdict reads (real rows come from checkers; see test_law_brackets)
    b = lambda v: SimpleNamespace(value=Fraction(v))  # noqa: E731
    at = SimpleNamespace(
        quantum_continuum=SimpleNamespace(lower=b(q_lo), upper=b(q_hi)),
        classical_continuum=SimpleNamespace(lower=b(c_lo), upper=b(c_hi)),
        continuum_gap=Fraction(q_lo) - Fraction(c_hi),
    )
    return SimpleNamespace(law=law, at_min=at)


def test_verdict_cases():
    assert law_table_verdict([_row("a", "0.8", "0.82", "0.75", "0.76")])[0] == "proved"
    # no advantage certified and none excluded: undecided
    assert law_table_verdict([_row("a", "0.8", "0.82", "0.75", "0.76"), _row("b", "0.75", "0.8", "0.74", "0.78")])[0] == "partly"
    # quantum upper <= classical lower: a counterexample
    status, summary = law_table_verdict([_row("a", "0.8", "0.82", "0.75", "0.76"), _row("b", "0.7", "0.75", "0.75", "0.76")])
    assert status == "refuted" and "b" in summary


def test_real_row(tmp_path):
    rows = law_table(["hyperexponential:2"], n=16, search_n=8, grid=[0.5], grid_n=8, directory=tmp_path)
    (r,) = rows
    assert r.at_min.t == r.search.t and len(r.grid) == 1
    assert law_table_verdict(rows)[0] == "proved"


@pytest.mark.parametrize("kw", [{"laws": []}, {"n": 1}, {"grid": [0.0]}, {"workers": 0}])
def test_bad_input(kw, tmp_path):
    with pytest.raises((ProofsParameterError, ValueError)):
        law_table(**{"laws": ["uniform"], **kw}, directory=tmp_path)


def test_grid_by_bunch_probability(tmp_path):
    # the grid thresholds hit the requested bunch probabilities (certified enclosure of P from the cells)
    rows = law_table(["uniform"], n=8, search_n=8, grid_p=[0.25], grid_n=16, directory=tmp_path)
    (g,) = rows[0].grid
    lo, hi = g.p_bunch
    assert lo <= hi and abs((lo + hi) / 2 - 0.25) < 2e-3  # t rounded to 3 decimals
    assert float(g.t) == pytest.approx(2 * (2 * 0.25) ** 0.5, abs=1e-3)  # P(U1 + U2 <= s) = s^2/2 with s = t/2


@pytest.mark.slow
def test_rows_on_a_dask_cluster_are_those_of_this_process(tmp_path):
    distributed = pytest.importorskip("distributed")
    here = law_table(["uniform", "exponential"], n=8, search_n=8, directory=tmp_path)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0") as cluster:
        there = law_table(["uniform", "exponential"], n=8, search_n=8, directory=tmp_path, dask=cluster.scheduler_address)
    assert [r.to_dict() for r in there] == [r.to_dict() for r in here]


def test_certificates_written_on_another_machine_land_in_the_directory(tmp_path, elsewhere):
    from pathlib import Path

    from proofs.checkers.registry import check_certificate

    (row,) = law_table(["uniform"], n=8, search_n=8, grid=[0.5], grid_n=8, directory=tmp_path, executor=elsewhere(tmp_path))
    named = [Path(p) for b in (row.at_min, *row.grid) for p in b.paths.values()]
    assert len(named) == 16 and sorted(set(named)) == sorted(tmp_path.iterdir())
    # each stored file is the certificate of the bound the row holds
    for b in (row.at_min, *row.grid):
        assert check_certificate(b.paths["quantum_continuum_lower"]).value == b.quantum_continuum.lower.value
        assert check_certificate(b.paths["classical_upper"]).value == b.classical.upper.value
