"""The atlas: grid checks, point keys, the certified table, failures recorded, resuming, Parquet, executors."""

import csv
import json
import math
import sys
from fractions import Fraction

import mpmath
import pytest

from proofs.certify.atlas import COLUMNS, AtlasGrid, AtlasJob, compute_point, r_k_lower, run_atlas, table_rows
from proofs.exact.errors import ProofsParameterError

#: a real point at rho = 0.3 (about 2 s once warm; the README's table has it: W_l = 0.6429), two rows (k = 2, 3)
REAL = {"rho": [0.3], "W_fraction": [0.3], "law": ["exponential"], "v": [1.0], "k": [2, 3]}
#: a point every run records as failed at once: f = 0.005 is in (0, 1) but below the resolvable 0.01
FAILING = {"rho": [0.6], "W_fraction": [0.005], "law": ["exponential"], "v": [1.0], "k": [3]}


@pytest.mark.parametrize("axes, needle", [
    ({"rho": []}, "`rho` is empty"),
    ({"law": []}, "`law` is empty"),
    ({"rho": [1.0]}, "`rho` must lie in [0.01, 0.999]"),
    ({"rho": [1.5]}, "`rho`"),
    ({"rho": [0.0]}, "`rho`"),
    ({"rho": [float("nan")]}, "finite"),
    ({"rho": ["0.5"]}, "finite number"),
    ({"W_fraction": [0.0]}, "`W_fraction` must lie in (0, 1)"),
    ({"W_fraction": [1.0]}, "`W_fraction`"),
    ({"W_fraction": [0.5, -0.1]}, "`W_fraction`"),
    ({"law": ["nosuch"]}, "`law`"),
    ({"law": ["lomax:2"]}, "infinite variance"),
    ({"law": [3]}, "`law`"),
    ({"v": [1.1]}, "`v`"),
    ({"k": [0.5]}, "`k`"),
    ({"law": ["gamma:2"], "v": [0.9]}, "exponential law only"),
    ({"mu": [1.0]}, "unknown grid axis 'mu'"),
])
def test_bad_grids_are_refused(axes, needle):
    with pytest.raises(ProofsParameterError) as exc:
        AtlasGrid.from_mapping(axes)
    assert needle in str(exc.value)


def test_grid_defaults_order_and_names():
    g = AtlasGrid.from_mapping({"rho": [0.6, 0.3, 0.6], "law": ["gamma:2", "exponential"]})
    assert g.rho == (0.6, 0.3) and g.W_fraction == (0.15, 0.3) and g.law == ("gamma:2", "exponential")
    jobs = g.points("9.9")
    assert [(j.rho, j.W_fraction, j.law) for j in jobs[:3]] == [(0.6, 0.15, "gamma:2"), (0.6, 0.15, "exponential"), (0.6, 0.3, "gamma:2")]
    with pytest.raises(ProofsParameterError, match="`--rho` must lie"):
        AtlasGrid.from_mapping({"rho": [2.0]}, {"rho": "--rho"})


def test_point_key_is_the_exact_parameters_and_the_version():
    a = AtlasJob(0.6, 0.5, "exponential", 1.0, "0.1.0")
    assert a.key == AtlasJob(float("0.60"), 0.5, "exponential", 1.0, "0.1.0").key
    others = [AtlasJob(0.6 + 1e-16 * 5, 0.5, "exponential", 1.0, "0.1.0"), AtlasJob(0.6, 0.5, "gamma:2", 1.0, "0.1.0"),
              AtlasJob(0.6, 0.5, "exponential", 0.99, "0.1.0"), AtlasJob(0.6, 0.5, "exponential", 1.0, "0.1.1")]
    assert len({a.key} | {o.key for o in others}) == 5


@pytest.mark.parametrize("k", [1, 2, 3, 5, 50, 2.5, 1.000001, 37.3])
def test_r_k_lower_is_below_the_true_power_and_tight(k):
    lo_c, up_q = Fraction(40733135069604, 10**14), Fraction(3758084787885, 10**13)
    mpmath.mp.prec = 300
    exact = mpmath.power(mpmath.mpf(1 + lo_c.numerator / mpmath.mpf(lo_c.denominator)) / (1 + up_q.numerator / mpmath.mpf(up_q.denominator)),
                         mpmath.mpf(k) - 1)
    got = r_k_lower(lo_c, up_q, k)
    assert mpmath.mpf(got) <= exact
    assert exact - mpmath.mpf(got) <= 4 * math.ulp(float(exact))


def test_table_rows_of_failed_and_missing_points():
    g = AtlasGrid.from_mapping({"rho": [0.6], "W_fraction": [0.005, 0.5], "k": [2, 3]})
    jobs = g.points("0")
    rec = {"params": jobs[0].params(), "status": "failed", "reason": "ProofsParameterError: too close"}
    rows = table_rows(g, {jobs[0].key: rec}, "0")
    assert [r["status"] for r in rows] == ["failed", "failed", "not computed", "not computed"]
    assert rows[0]["reason"].startswith("ProofsParameterError") and rows[0]["R_k_lower"] is None and rows[0]["p_c"] is None
    assert all(set(r) == set(COLUMNS) for r in rows)


def test_a_failing_point_is_recorded_and_a_rerun_skips_it(tmp_path):
    res = run_atlas(FAILING, tmp_path, progress=False, plot=False)
    assert (res.computed, res.skipped, len(res.failed)) == (1, 0, 1)
    assert "at least 0.01" in res.failed[0]["reason"]
    (point,) = (tmp_path / "points").iterdir()
    rec = json.loads(point.read_text())
    assert rec["status"] == "failed" and rec["params"]["W_fraction"] == 0.005
    stamp = point.stat().st_mtime_ns
    again = run_atlas(FAILING, tmp_path, progress=False, plot=False)
    assert (again.computed, again.skipped) == (0, 1) and point.stat().st_mtime_ns == stamp
    retried = run_atlas(FAILING, tmp_path, progress=False, plot=False, retry_failed=True)
    assert (retried.computed, retried.skipped) == (1, 0)
    assert not [p for p in (tmp_path / "points").iterdir() if p.suffix != ".json"]  # no temporary files left


def test_without_pyarrow_the_csv_is_still_written(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    res = run_atlas(FAILING, tmp_path, progress=False, plot=False)
    assert res.parquet is None and not (tmp_path / "atlas.parquet").exists()
    assert len(res.notes) == 1 and "pyarrow" in res.notes[0] and "\n" not in res.notes[0]
    assert next(iter(csv.DictReader(open(res.csv))))["status"] == "failed"


def test_progress_bar_counts_done_and_failed(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("QCOORD_PROGRESS", "1")
    run_atlas(FAILING, tmp_path, plot=False)
    err = capsys.readouterr().err
    assert "1/1 done, 1 failed" in err and "left" in err


def _check_real_rows(res, out):
    from proofs.checkers.registry import check_certificate

    rows = res.rows
    assert [r["status"] for r in rows] == ["advantage"] * 2
    # W_l from the closed forms of the exponential law (mean 1): W_split = rho/(1 - rho), W_bunch - W_split = rho/(2(1 - rho)) + 1/2
    for r in rows:
        w0, cost = 0.3 / 0.7, 0.3 / 1.4 + 0.5
        assert r["W_limit"] == pytest.approx(w0 + r["W_fraction"] * cost, rel=1e-11)
        assert r["p_ideal"] < r["p_q_lower"] <= r["p_q"] <= r["p_q_upper"] < r["p_c_lower"] <= r["p_c"] <= r["p_c_upper"]
        assert 1 < r["R_k_lower"] <= r["R_k"] * (1 + 1e-12)
        assert 0 < r["gap_closed"] < 1
        # every number of the row is a bound of a certificate that the checker accepts again
        for name in ("p_c_lower", "p_c_upper", "p_q_lower", "p_q_upper"):
            bound = check_certificate(str(out / r[f"cert_{name}"]))
            side = name.rsplit("_", 1)[1]
            assert bound.side == side
            assert (r[name] <= bound.value) if side == "lower" else (r[name] >= bound.value)
    assert rows[1]["R_k_lower"] == rows[1]["R_3_lower"]
    assert rows[0]["R_k_lower"] == pytest.approx((1 + rows[0]["p_c_lower"]) / (1 + rows[0]["p_q_upper"]), rel=1e-12)


@pytest.fixture(scope="module")
def inline_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("atlas-inline")
    return out, run_atlas(REAL, out, progress=False)


def test_real_points_are_certified(inline_run):
    out, res = inline_run
    _check_real_rows(res, out)
    assert len(res.figures) == 2 and all(p.stat().st_size > 1000 for p in res.figures)


def test_parquet_holds_the_csv_table(inline_run):
    pq = pytest.importorskip("pyarrow.parquet")
    _out, res = inline_run
    table = pq.read_table(res.parquet).to_pylist()
    with open(res.csv) as fh:
        rows = list(csv.DictReader(fh))
    assert table == [dict(r) for r in res.rows]
    assert [float(r["R_k_lower"]) for r in rows] == [r["R_k_lower"] for r in table]


def _table(out):
    return (out / "atlas.csv").read_text()


def test_dask_in_process_gives_the_same_table(inline_run, tmp_path):
    distributed = pytest.importorskip("distributed")
    out, _ = inline_run
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0") as cluster:
        res = run_atlas(REAL, tmp_path, dask=cluster.scheduler_address, progress=False, plot=False)
    assert res.computed == 1
    assert _table(tmp_path) == _table(out)


@pytest.mark.slow
def test_process_pool_and_dask_give_the_same_table(inline_run, tmp_path):
    distributed = pytest.importorskip("distributed")
    out, _ = inline_run
    grid = {**REAL, "W_fraction": [0.3, 0.5]}
    res = run_atlas(grid, tmp_path / "pool", workers=2, progress=False, plot=False)
    assert res.computed == 2
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0") as cluster:
        run_atlas(grid, tmp_path / "dask", dask=cluster.scheduler_address, progress=False, plot=False)
    assert _table(tmp_path / "pool") == _table(tmp_path / "dask")
    # the first point's rows are those of the run in this process
    assert _table(tmp_path / "pool").splitlines()[:3] == _table(out).splitlines()


def test_compute_point_returns_its_certificates(inline_run):
    out, _res = inline_run
    job = AtlasGrid.from_mapping(REAL).points()[0]
    stored = json.loads((out / "points" / f"{job.key}.json").read_text())
    assert set(stored["certificates"]) == {"p_c_lower", "p_c_upper", "p_q_lower", "p_q_upper"}
    for name in stored["certificates"].values():
        assert (out / "certificates" / name).is_file()


def test_compute_point_records_a_solver_failure(monkeypatch):
    import proofs.certify.system as system

    def broken(*args, **kwargs):
        raise ArithmeticError("the solver diverged")

    monkeypatch.setattr(system, "system_result", broken)
    res = compute_point(AtlasJob(0.6, 0.5, "exponential", 1.0, "0"))
    assert res["record"]["status"] == "failed" and res["record"]["reason"] == "ArithmeticError: the solver diverged"
    assert res["certificates"] == {}


@pytest.mark.slow
def test_werner_points_below_one_visibility(tmp_path):
    from proofs.checkers.registry import check_certificate

    res = run_atlas({"rho": [0.6], "W_fraction": [0.3], "law": ["exponential"], "v": [0.5, 0.98, 1.0], "k": [3]}, tmp_path, progress=False, plot=False)
    low, high, one = res.rows
    # v = 0.5 <= v_L: Werner routers are classical (cited lemma W3), so no advantage can be certified
    assert low["status"] != "advantage" and low["p_q_lower"] <= low["p_c_upper"] and low["R_3_lower"] <= 1
    # noise only takes away: the Werner upper bound at v < 1 is no better than the certified p_q lower bound at v = 1
    assert high["p_q_upper"] >= one["p_q_lower"] and one["status"] == "advantage"
    assert low["p_c_lower"] == one["p_c_lower"]  # the classical bracket is the exact route's at every v
    for r in (low, high):
        for name in ("p_q_lower", "p_q_upper"):
            bound = check_certificate(str(tmp_path / r[f"cert_{name}"]))
            assert (r[name] <= bound.value) if name.endswith("lower") else (r[name] >= bound.value)
