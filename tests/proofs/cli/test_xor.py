"""Tests of ``qcoord xor``."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from proofs.cli.main import main


def _write(tmp_path, name, obj):  # noqa: ANN001, ANN202
    p = tmp_path / name
    p.write_text(obj if isinstance(obj, str) else json.dumps(obj))
    return str(p)


def test_json_keys_and_certificates_check(capsys, tmp_path) -> None:  # noqa: ANN001
    f = _write(tmp_path, "chsh.json", {"prob": [["1/4", "1/4"], ["1/4", "1/4"]], "pred": [[0, 0], [0, 1]]})
    assert main(["xor", f, "--json", "--cert-dir", str(tmp_path / "c")]) == 0
    out = json.loads(capsys.readouterr().out)
    q, c = out["quantum"], out["classical"]
    assert q["lower"] <= math.cos(math.pi / 8) ** 2 <= q["upper"]
    assert c["lower"] == c["upper"] == 0.75 and c["exact"] and c["lower_exact"] == "3/4"
    assert len(c["strategy"]["alice"]) == 2 and set(c["strategy"]["alice"]) <= {0, 1}
    assert "alice_angles" in q["strategy"] and q["local_dimension"] == 2
    assert {q["certificate"]["lower"], q["certificate"]["upper"], c["certificate"]["upper"]} <= set(out["certificates"])
    for path in out["certificates"]:
        assert main(["check", path]) == 0
    assert capsys.readouterr().out.count("VALID") == 4


def test_npz_bias_and_text_output(capsys, tmp_path) -> None:  # noqa: ANN001
    p = tmp_path / "g.npz"
    np.savez(p, bias=np.array([[0.1, 0.1, 0, 0, 0], [0, 0.1, 0.1, 0, 0], [0, 0, 0.1, 0.1, 0], [0, 0, 0, 0.1, 0.1], [0.1, 0, 0, 0, 0.1]])
             * np.array([[1, -1, 1, 1, 1], [1, 1, -1, 1, 1], [1, 1, 1, -1, 1], [1, 1, 1, 1, -1], [-1, 1, 1, 1, 1]]))
    assert main(["xor", str(p), "--cert-dir", str(tmp_path / "c")]) == 0
    text = capsys.readouterr().out
    assert "classical value 9/10 = 0.900000000000  (exact" in text and "no-signalling value 1\n" in text


def test_reps_reported(capsys, tmp_path) -> None:  # noqa: ANN001
    f = _write(tmp_path, "chsh2.json", {"prob": [[0.25, 0.25], [0.25, 0.25]], "pred": [[0, 0], [0, 1]], "reps": 2})
    assert main(["xor", f, "--json", "--cert-dir", str(tmp_path / "c")]) == 0
    rep = json.loads(capsys.readouterr().out)["repeated"]
    assert rep["classical_exact"] == "5/8" and rep["quantum_lower"] <= math.cos(math.pi / 8) ** 4 <= rep["quantum_upper"]
    f = _write(tmp_path, "chsh16.json", {"prob": [[0.25, 0.25], [0.25, 0.25]], "pred": [[0, 0], [0, 1]], "reps": 16})
    assert main(["xor", f, "--json", "--cert-dir", str(tmp_path / "c16")]) == 0  # 2^(16 * 2^16) strategies: the repeated classical value is declined, not overflowed
    rep = json.loads(capsys.readouterr().out)["repeated"]
    assert rep["classical"] is None and "2^1048576 deterministic strategies" in rep["classical_rule"]


@pytest.mark.parametrize("content", [
    '{"prob": [[0.5, 0.6], [0.25, 0.25]], "pred": [[0, 0], [0, 1]]}',
    '{"prob": [[-0.25, 0.75], [0.25, 0.25]], "pred": [[0, 0], [0, 1]]}',
    '{"prob": [[0.25, 0.25], [0.25, 0.25]], "pred": [[0, 2], [0, 1]]}',
    '{"prob": [[0.25, 0.25], [0.25, 0.25]], "pred": [[0, 1]]}',
    '{"prob": [[NaN, 0.25], [0.25, 0.25]], "pred": [[0, 0], [0, 1]]}',
    '{"prob": [[0.25, 0.25], [0.25, 0.25]]}',
    '{"bias": [[0.25, 0.25]], "prob": [[1]], "pred": [[0]]}',
    '{"bias": [[0.75, -0.5]]}',
    '{"bias": [[1]], "extra": 1}',
    '{"bias": [[1]], "reps": 0}',
    '{"bias": [[1]], "bias": [[0.5]]}',
    '{"bias": [["1/4", "1/1%s"], ["1/4", "-1/4"]]}' % ("0" * 320),
    '{"bias": [["1/8", "1/8"], ["1/8", "-1/8"]], "reps": 2}',
    '[1, 2]',
    'not json',
])
def test_bad_input_exits_2_with_one_line(capsys, tmp_path, content) -> None:  # noqa: ANN001
    f = _write(tmp_path, "bad.json", content)
    assert main(["xor", f, "--cert-dir", str(tmp_path / "c")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("qcoord xor: error:") and "\n" not in err and "not an XOR game" in err
    assert not (tmp_path / "c").exists() or not any((tmp_path / "c").iterdir())  # refused before any work


def test_bad_npz_and_missing_file(capsys, tmp_path) -> None:  # noqa: ANN001
    p = tmp_path / "g.npz"
    np.savez(p, prob=np.array([[np.nan, 0.5], [0.25, 0.25]]), pred=np.zeros((2, 2), dtype=int))
    assert main(["xor", str(p)]) == 2
    (tmp_path / "junk.npz").write_bytes(b"not a zip")
    assert main(["xor", str(tmp_path / "junk.npz")]) == 2
    assert main(["xor", str(tmp_path / "missing.json")]) == 2
    assert main(["xor", str(p), "--time-limit", "0"]) == 2
    lines = capsys.readouterr().err.strip().split("\n")
    assert len(lines) == 4 and all(line.startswith("qcoord xor: error:") for line in lines)


def _random_bias_file(tmp_path, n: int, seed: int) -> str:  # noqa: ANN001
    """A random n x n game as a bias JSON file (integer weights 1-9 with random signs over their sum)."""
    rng = np.random.default_rng(seed)
    w = (rng.integers(1, 10, (n, n)) * rng.choice([1, -1], (n, n))).tolist()
    return _write(tmp_path, "g.json", {"bias": [[f"{t}/{int(np.abs(w).sum())}" for t in row] for row in w]})


@pytest.mark.usefixtures("bnb_compiled")  # the branch and bound's kernels compiled outside its 5 s (exact is asserted)
def test_text_output_names_the_branch_and_bound(capsys, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    import proofs.certify.xor as cx

    monkeypatch.setattr(cx, "_exhaustive_seconds", lambda game: math.inf)  # the exhaustive search never fits: branch and bound
    f = _random_bias_file(tmp_path, 10, 5)
    assert main(["xor", f, "--time-limit", "5", "--cert-dir", str(tmp_path / "c")]) == 0
    text = capsys.readouterr().out
    assert "(exact: branch and bound)" in text and "exhaustive" not in text
    assert main(["check", str(tmp_path / "c")]) == 0


def test_output_names_a_stopped_branch_and_bound(capsys, tmp_path, monkeypatch) -> None:  # noqa: ANN001
    import proofs.certify.xor as cx

    real = cx.solve_classical_bnb
    monkeypatch.setattr(cx, "_exhaustive_seconds", lambda game: math.inf)
    monkeypatch.setattr(cx, "solve_classical_bnb", lambda *a, **kw: real(*a, **{**kw, "node_limit": 3, "node_bound": "cuts", "workers": 1}))
    f = _random_bias_file(tmp_path, 16, 25)
    assert main(["xor", f, "--time-limit", "10", "--cert-dir", str(tmp_path / "c")]) == 0
    text = capsys.readouterr().out
    assert "best strategy found vs branch and bound stopped at the time limit" in text and "Tsirelson" not in text
    assert main(["xor", f, "--time-limit", "10", "--json"]) == 0
    c = json.loads(capsys.readouterr().out)["classical"]
    assert not c["exact"] and c["upper_rule"].startswith("branch and bound stopped at the time limit")
    assert main(["check", str(tmp_path / "c")]) == 0


def test_npz_that_is_no_archive_or_holds_a_huge_matrix_is_refused_from_its_headers(capsys, tmp_path) -> None:  # noqa: ANN001
    import shutil

    np.save(tmp_path / "a.npy", np.full((2, 2), 0.25))
    shutil.copy(tmp_path / "a.npy", tmp_path / "a.npz")  # a .npy renamed: np.load returns an array, not an archive
    np.savez_compressed(tmp_path / "big.npz", prob=np.zeros((1100, 1000)), pred=np.zeros((2, 2), dtype=int))  # ~1 MB compressed
    assert main(["xor", str(tmp_path / "a.npz")]) == 2
    assert main(["xor", str(tmp_path / "big.npz")]) == 2
    err = capsys.readouterr().err.strip().split("\n")
    assert "not an .npz archive" in err[0] and "(1100, 1000)" in err[1] and len(err) == 2


def test_boolean_predicates_in_an_npz(capsys, tmp_path) -> None:  # noqa: ANN001
    np.savez(tmp_path / "g.npz", prob=np.full((2, 2), 0.25), pred=np.array([[False, False], [False, True]]))
    assert main(["xor", str(tmp_path / "g.npz"), "--json", "--cert-dir", str(tmp_path / "c")]) == 0
    assert json.loads(capsys.readouterr().out)["classical"]["lower_exact"] == "3/4"


def test_a_float_game_beyond_int64_is_certified_exactly(capsys, tmp_path) -> None:  # noqa: ANN001
    p = [[0.2155419510967969, 0.0004184678540380553], [0.29047845574637, 0.493561125302795]]
    f = _write(tmp_path, "f.json", {"prob": p, "pred": [[0, 0], [1, 0]]})
    assert main(["xor", f, "--json", "--cert-dir", str(tmp_path / "c")]) == 0
    c = json.loads(capsys.readouterr().out)["classical"]
    assert c["exact"] and c["lower_exact"] == c["upper_exact"] and abs(c["lower"] - 0.9995815321459619) < 1e-15
    assert main(["check", str(tmp_path / "c")]) == 0
