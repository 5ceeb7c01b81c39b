"""``qcoord laws``: the game-level table per service law, JSON, figure, bad input."""

import json

import pytest

from proofs.cli.main import main


def _run(capsys, argv):
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_laws_json_and_plot(capsys, tmp_path):
    plot = tmp_path / "laws.png"
    argv = ["laws", "--law", "uniform", "--law", "lomax:3", "--N", "16", "--search-N", "8", "--grid", "1.5",
            "--grid-N", "8", "--workers", "1", "--no-system", "--cert-dir", str(tmp_path), "--plot", str(plot), "--json"]
    code, out, _ = _run(capsys, argv)
    assert code == 0
    data = json.loads(out)
    assert [r["law"] for r in data["rows"]] == ["uniform", "lomax:3"]
    for r in data["rows"]:
        a = r["at_t_star"]
        assert a["classical"]["lower"] <= a["classical"]["upper"] < a["quantum"]["lower"] <= a["quantum"]["upper"]
        assert a["gap_lower"] == pytest.approx(a["quantum"]["lower"] - a["classical"]["upper"])
        assert a["continuum"]["gap_lower"] <= a["gap_lower"]
        assert len(r["grid"]) == 1 and r["grid"][0]["t"] == 1.5
    assert data["rows"][1]["cv"] == pytest.approx(3**0.5)
    assert data["verdict"]["status"] == "proved"
    assert plot.exists() and plot.stat().st_size > 1000


def test_laws_certificates_pass_qcoord_check(capsys, tmp_path):
    code, out, _ = _run(capsys, ["laws", "--law", "weibull:0.5", "--N", "8", "--search-N", "8", "--workers", "1", "--no-system", "--cert-dir", str(tmp_path), "--json"])
    assert code == 0
    certs = json.loads(out)["certificates"]
    assert len(certs) == 8
    for path in certs:
        assert main(["check", path]) == 0
    capsys.readouterr()


def test_laws_table_text_without_system(capsys, tmp_path):
    code, out, _ = _run(capsys, ["laws", "--law", "exponential", "--N", "8", "--search-N", "8", "--workers", "1", "--no-system",
                                 "--cert-dir", str(tmp_path)])
    assert code == 0 and "exponential" in out and "verdict" in out and "--no-system" in out and "System level" not in out


def test_laws_table_text_with_system_by_default(capsys, tmp_path):
    # the system level is on by default: exponential law, one W_l, certified brackets and the summary row
    code, out, _ = _run(capsys, ["laws", "--law", "exponential", "--N", "8", "--search-N", "8", "--workers", "1", "--W-fraction", "0.5",
                                 "--cert-dir", str(tmp_path)])
    assert code == 0
    assert "System level at rho = 0.6" in out and "verdict (system level): proved" in out and "Summary per law" in out
    summary = out.split("Summary per law")[1].splitlines()
    row = next(line for line in summary if line.startswith("exponential"))
    # law, CV, t*, classical <=, quantum >=, gap, p_c, p_q, R_3, R_3 >=
    cols = row.split()
    assert len(cols) == 10 and float(cols[1]) == pytest.approx(1.0)
    assert float(cols[5]) > 0 and float(cols[7]) < float(cols[6]) and 1 < float(cols[9]) <= float(cols[8])


@pytest.mark.parametrize(
    "argv, words",
    [
        (["laws", "--law", "cauchy"], "`law` must be one of"),  # unknown law
        (["laws", "--law", "gamma:2.5"], "must be an integer"),  # Erlang shape
        (["laws", "--law", "lomax:1"], "finite mean"),  # out of range
        (["laws", "--N", "1"], "`--N`"),  # too few bins
        (["laws", "--grid-p", "1.5"], "`--grid-p`"),  # not a probability
        (["laws", "--workers", "x"], "`--workers`"),  # not an integer
        (["laws", "--law", "uniform", "--grid", "-1"], "`--grid`"),  # negative threshold
    ],
)
def test_bad_input_is_one_line_exit_2(capsys, argv, words):
    code, out, err = _run(capsys, argv)
    assert code == 2 and out == ""
    assert words in err and err.count("\n") == 1


def test_system_level_refuses_infinite_variance(capsys):
    # lomax:2 has E[X^2] = inf, so W_q is infinite: one line, exit 2, before any work
    code, out, err = _run(capsys, ["laws", "--law", "lomax:2", "--system"])
    assert code == 2 and out == "" and "infinite variance" in err and err.count("\n") == 1


def test_infinite_variance_law_has_no_system_level_by_default(capsys, tmp_path):
    # without an explicit --system, a law with W_q = inf keeps its game row and gets no system row
    code, out, _ = _run(capsys, ["laws", "--law", "lomax:2", "--N", "8", "--search-N", "8", "--workers", "1", "--cert-dir", str(tmp_path), "--json"])
    assert code == 0
    data = json.loads(out)
    assert [r["law"] for r in data["rows"]] == ["lomax:2"] and data["system"] == [] and data["system_verdict"]["status"] == "none"


@pytest.mark.slow
def test_system_level_columns(capsys, tmp_path):
    # exponential law: the system route is certified; p_ideal < p_q < p_c and R_3 > 1, at two W_l
    code, out, _ = _run(capsys, ["laws", "--law", "exponential", "--N", "8", "--search-N", "8", "--workers", "1", "--system",
                                 "--cert-dir", str(tmp_path), "--json"])
    assert code == 0
    data = json.loads(out)
    assert [s["W_fraction"] for s in data["system"]] == [0.5, 0.25]
    for s in data["system"]:
        p, r3 = s["p_split"], next(r for r in s["R_k"] if r["k"] == 3)
        assert p["ideal"] < p["quantum"] < p["classical"] and r3["estimate"] > 1
        c, q = s["p_split_certified"]["classical"], s["p_split_certified"]["quantum"]
        assert c["lower"] <= p["classical"] <= c["upper"] and q["lower"] <= p["quantum"] <= q["upper"]
        assert s["p_split_gap_lower"] == pytest.approx(c["lower"] - q["upper"])
        assert 1 < r3["lower"] <= r3["estimate"]
        for b in (c, q):
            for path in b["certificate"].values():
                assert main(["check", path]) == 0
    assert data["system_verdict"]["status"] == "proved"
    capsys.readouterr()


def test_system_certificates_of_another_law_pass_qcoord_check(capsys, tmp_path):
    # lomax:3 (heavy tail): the system level is certified, and `qcoord check DIR` accepts every certificate written
    code, out, _ = _run(capsys, ["laws", "--law", "lomax:3", "--N", "8", "--search-N", "8", "--workers", "1", "--W-fraction", "0.5",
                                 "--cert-dir", str(tmp_path), "--json"])
    assert code == 0
    (s,) = json.loads(out)["system"]
    assert s["p_split_certified"] is not None and s["p_split_gap_lower"] > 0 and next(r for r in s["R_k"] if r["k"] == 3)["lower"] > 1
    assert set(s["p_split_certified"]) == {"classical", "quantum"}
    code, out, _ = _run(capsys, ["check", str(tmp_path)])
    assert code == 0 and "certificates valid" in out


def test_unreachable_dask_scheduler_is_refused_before_work(capsys, monkeypatch, tmp_path):
    pytest.importorskip("distributed")
    monkeypatch.setenv("QCOORD_DASK_TIMEOUT", "1")
    code, out, err = _run(capsys, ["laws", "--law", "uniform", "--no-system", "--dask", "tcp://127.0.0.1:1", "--cert-dir", str(tmp_path)])
    assert code == 2 and out == "" and err.count("\n") == 1 and "cannot reach the Dask scheduler" in err
    assert not any(tmp_path.iterdir())
