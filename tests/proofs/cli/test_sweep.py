"""``qcoord sweep``: certified classical brackets across C, the minimiser, bad input."""

import json

import pytest

from proofs.cli.main import main


def _run(capsys, argv):
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_sweep_json_brackets_and_minimiser(capsys, tmp_path):
    plot = tmp_path / "sweep.png"
    argv = ["sweep", "--C-min", "0.25", "--C-max", "0.45", "--steps", "5", "--bins", "30", "--tol", "0.01", "--quantum", "off", "--cert-dir", str(tmp_path), "--plot", str(plot), "--json"]
    code, out, _ = _run(capsys, argv)
    assert code == 0
    data = json.loads(out)
    assert [r["C"] for r in data["rows"]] == [0.25, 0.3, 0.35, 0.4, 0.45]
    for r in data["rows"]:
        c = r["continuum"]["classical"]
        assert c["lower"] <= c["upper"] and c["width"] < 1e-3
        st = r["structure"]
        assert all(0 < x < 1 for x in st["a_switches"] + st["b_switches"])
        # below the kink near C = 0.33 both players switch once; above it one player's output is constant and the
        # other switches once, at b = 1 - 2C (the one-player strategy, closed form)
        if r["C"] < 0.33:
            assert (st["n_switches_g"], st["n_switches_h"]) == (1, 1)
        else:
            assert sorted((st["n_switches_g"], st["n_switches_h"])) == [0, 1]
            assert (st["a_switches"] + st["b_switches"])[0] == pytest.approx(1 - 2 * r["C"], abs=2 / 30)
    # the classical value falls then rises across C_t: the certified argmin interval lies inside (0.3, 0.35)
    a, b = data["certified_minimiser"]["C"]["lower"], data["certified_minimiser"]["C"]["upper"]
    assert 0.3 <= a <= b <= 0.36
    assert all(y - x <= 0.01 + 1e-12 for x, y in data["certified_minimiser"]["cells"])
    lo, up = data["certified_minimiser"]["value"]["lower"], data["certified_minimiser"]["value"]["upper"]
    assert lo <= up <= min(r["continuum"]["classical"]["upper"] for r in data["rows"]) + 1e-15
    assert data["paper"]["C_t"] == 0.33 and data["quantum"] == "off" and data["N"] is None
    assert plot.exists() and plot.stat().st_size > 1000


def test_sweep_table(capsys, tmp_path):
    code, out, _ = _run(capsys, ["sweep", "--C-min", "0.6", "--C-max", "0.7", "--steps", "2", "--bins", "20", "--quantum", "off", "--cert-dir", str(tmp_path)])
    assert code == 0 and "minimiser" in out and "classical lower" in out


@pytest.mark.parametrize(
    "argv, msg",
    [
        (["--C-min", "0"], "`--C-min`"),
        (["--C-max", "1.2"], "`--C-max`"),
        (["--C-min", "0.6", "--C-max", "0.5"], "`--C-min`"),
        (["--steps", "0"], "`--steps`"),
        (["--bins", "1"], "`--bins`"),
        (["--tol", "0"], "`--tol`"),
        (["--workers", "0"], "`--workers`"),
    ],
)
def test_sweep_bad_input(capsys, argv, msg):
    code, out, err = _run(capsys, ["sweep", *argv])
    assert code == 2 and out == ""
    assert msg in err and "Traceback" not in err


def test_sweep_unreachable_scheduler_is_one_line_before_any_work(capsys, tmp_path, monkeypatch):
    pytest.importorskip("distributed")
    monkeypatch.setenv("QCOORD_DASK_TIMEOUT", "1")
    code, out, err = _run(capsys, ["sweep", "--steps", "2", "--bins", "20", "--cert-dir", str(tmp_path), "--dask", "tcp://127.0.0.1:1"])
    assert code == 2 and out == "" and err.count("\n") == 1 and "cannot reach the Dask scheduler" in err, err
    assert list(tmp_path.iterdir()) == []  # no certificate: nothing ran


@pytest.mark.slow
def test_sweep_on_two_workers_prints_what_one_worker_prints(capsys, tmp_path):
    argv = ["sweep", "--C-min", "0.3", "--C-max", "0.4", "--steps", "2", "--bins", "20", "--N", "8", "--tol", "0.05", "--json"]
    outs = []
    for w in ("1", "2"):
        d = tmp_path / "certs"
        code, out, _ = _run(capsys, [*argv, "--cert-dir", str(d), "--workers", w])
        assert code == 0
        outs.append(out)
        # every certificate the output names is in the folder and passes the checker
        from proofs.checkers.registry import check_certificate

        rows = json.loads(out)["rows"]
        assert rows and all("classical" in r["continuum"] for r in rows)
        for r in rows:  # the continuum brackets' certificates (schema: rows[].continuum.{classical, quantum}.certificate.{lower, upper})
            for bracket in r["continuum"].values():
                for path in bracket["certificate"].values():
                    assert check_certificate(path).target.game["C"] in ("3/10", "2/5")
        for f in d.iterdir():
            f.unlink()
    assert outs[0] == outs[1]
