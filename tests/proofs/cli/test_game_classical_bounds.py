"""``qcoord game`` with certified classical brackets (extension keys)."""

import json

from proofs.checkers.registry import check_certificate
from proofs.cli.main import main


def test_game_certified_classical_keys(capsys, tmp_path):
    code = main(["game", "--C", "0.33", "--N", "24", "--continuum", "--bins", "40", "--cert-dir", str(tmp_path), "--json"])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    cl = data["classical"]
    assert "classical" in data["estimates"] and set(cl["certificate"]) == {"lower", "upper"}
    assert cl["exact"] is True and cl["lower"] <= cl["upper"] < cl["lower"] + 1e-12
    # the annealer's estimate cannot beat the certified optimum
    assert data["estimates"]["classical"]["value"] <= cl["upper"]
    assert check_certificate(cl["certificate"]["upper"]).side == "upper"
    cont = data["continuum"]["classical"]
    assert cont["lower"] <= cont["upper"] and cont["upper"] - cont["lower"] < 1e-3
    # N-bin strategies are continuum strategies
    assert cl["lower"] <= cont["upper"]


def test_game_large_n_uses_lifted_continuum_bound(capsys, tmp_path):
    code = main(["game", "--C", "0.5", "--N", "40", "--exact-max-n", "8", "--bins", "30", "--cert-dir", str(tmp_path), "--json"])
    assert code == 0
    cl = json.loads(capsys.readouterr().out)["classical"]
    assert cl["exact"] is False and cl["lower"] <= cl["upper"]
    assert "lifted" in cl["method"]
