"""Every command's ``--json`` output validates against its published schema (proofs/cli/schemas), over a table of invocations.

The schemas are checked too: the shipped files are what :mod:`proofs.cli.schema`
builds, every command has one, and outputs in the old vocabulary (a bracket
without certificate paths, ``certificates`` as a dict, ``R_k`` as a number)
are refused.  Small, fast sizes; the slower invocations are marked slow.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest

from proofs.cli.main import COMMANDS, main
from proofs.cli.schema import SCHEMA_DIR, load_schema, schema

D = "{dir}"  # replaced by the test's certificate folder
FILE = "{file}"  # replaced by one certificate file
REPORT = "{report}"  # replaced by a fresh report folder
OUT = "{out}"  # replaced by a fresh output folder
GAME = "{game}"  # replaced by a CHSH game file

#: (command, argv) of the table; every command appears at least once
TABLE = [
    ("system", ["system", "--json", "--cert-dir", D]),
    ("routers", ["routers", "--K", "2", "--W-limit", "2", "--router-bins", "2", "--resource", "pair+classical", "--simulate", "1000", "--json",
                 "--cert-dir", D]),
    pytest.param("routers", ["routers", "--router-bins", "4", "--resource", "ghz", "--simulate", "1000", "--json", "--cert-dir", D], marks=pytest.mark.slow),
    pytest.param("routers", ["routers", "--K", "4", "--lam", "0.3", "--W-limit", "3.5", "--router-bins", "2", "--resource", "ghz", "--resource",
                             "general", "--no-continuum", "--json", "--cert-dir", D], marks=pytest.mark.slow),
    ("system", ["system", "--lam", "0.6", "--W-limit", "1.5", "--k", "3", "--json", "--cert-dir", D]),  # W_l = W_0: p_split = 1
    pytest.param("system", ["system", "--route", "both", "--simulate", "1000", "--json", "--cert-dir", D], marks=pytest.mark.slow),
    ("queue", ["queue", "--p-split", "0.5", "--pairs", "1000", "--json"]),
    pytest.param("slots", ["slots", "--lam", "0.5", "--W-limit", "1.5", "--tau", "1", "--h", "0.25", "--simulate", "2000", "--json"],
                 marks=pytest.mark.slow),
    pytest.param("slots", ["slots", "--lam", "0.5", "--W-limit", "1.5", "--tau", "1", "--h", "0.25", "--json", "--cert-dir", D],
                 marks=pytest.mark.slow),
    ("game", ["game", "--N", "4", "--bins", "4", "--exact-max-n", "4", "--json", "--cert-dir", D]),
    pytest.param("game", ["game", "--N", "6", "--bins", "6", "--continuum", "--json", "--cert-dir", D], marks=pytest.mark.slow),
    ("noise", ["noise", "--N", "8", "--bins", "10", "--v", "0,1", "--resolution", "10", "--skip-system", "--json", "--cert-dir", D]),
    ("noise", ["noise", "--C", "0.01", "--N", "2", "--bins", "2", "--v", "0,1", "--resolution", "10", "--skip-system", "--json", "--cert-dir", D]),
    pytest.param("noise", ["noise", "--N", "8", "--bins", "10", "--v", "0,1", "--f", "0,1", "--resolution", "10", "--certify-system",
                           "--sweep", "0.5", "--json", "--cert-dir", D], marks=pytest.mark.slow),
    ("sweep", ["sweep", "--N", "8", "--bins", "10", "--steps", "2", "--C-min", "0.3", "--C-max", "0.35", "--json", "--cert-dir", D]),
    ("laws", ["laws", "--N", "8", "--search-N", "4", "--law", "exponential", "--W-fraction", "0.5", "--workers", "1", "--json", "--cert-dir", D]),
    ("laws", ["laws", "--N", "4", "--search-N", "4", "--law", "uniform", "--no-system", "--workers", "1", "--json", "--cert-dir", D]),
    ("atlas", ["atlas", "--rho", "0.6", "--W-fraction", "0.3", "--k", "3", "--no-plot", "--out", OUT, "--json"]),
    ("xor", ["xor", GAME, "--json", "--cert-dir", D]),
    pytest.param("xor", ["xor", GAME + "2", "--json", "--cert-dir", D], marks=pytest.mark.slow),  # two repetitions
    ("check", ["check", FILE, "--json"]),
    ("check", ["check", D, "--json", "--quiet"]),
    pytest.param("verify", ["verify", "--only", "eq3-4", "--no-figures", "--out", REPORT, "--json"], marks=pytest.mark.slow),
]


def _validate(command: str, doc: dict) -> None:
    errors = sorted(jsonschema.Draft202012Validator(load_schema(command)).iter_errors(doc), key=lambda e: list(e.absolute_path))
    assert not errors, [(list(e.absolute_path), e.message[:300]) for e in errors[:5]]


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a few system certificates, for the check rows."""
    d = tmp_path_factory.mktemp("certs")
    assert main(["system", "--json", "--cert-dir", str(d)]) == 0
    return d


@pytest.mark.parametrize("command, argv", TABLE, ids=lambda x: " ".join(x)[:70] if isinstance(x, list) else x)
def test_json_output_matches_its_schema(capsys: pytest.CaptureFixture, tmp_path: Path, certs: Path, command: str, argv: list[str]) -> None:
    capsys.readouterr()
    d = certs if command == "check" else tmp_path / "certificates"
    chsh = {"prob": [["1/4", "1/4"], ["1/4", "1/4"]], "pred": [[0, 0], [0, 1]]}
    (tmp_path / "chsh.json").write_text(json.dumps(chsh))
    (tmp_path / "chsh2.json").write_text(json.dumps({**chsh, "reps": 2}))
    subs = {GAME: str(tmp_path / "chsh.json"), GAME + "2": str(tmp_path / "chsh2.json"), D: str(d), FILE: str(next(iter(sorted(certs.glob("*.json"))))), REPORT: str(tmp_path / "report"), OUT: str(tmp_path / "out")}
    code = main([subs.get(a, a) for a in argv])
    out, err = capsys.readouterr()
    assert code == 0, err
    doc = json.loads(out)
    _validate(command, doc)
    assert doc["schema"] == f"qcoord/{command}"
    # certificates: a list of existing files, and every bracket's paths are in it
    for p in doc["certificates"]:
        assert Path(p).is_file(), p
    brackets = list(_brackets(doc))
    assert all({b["certificate"]["lower"], b["certificate"]["upper"]} <= set(doc["certificates"]) for b in brackets)
    if command in ("system", "game", "noise", "sweep", "laws"):
        assert brackets, "a certifying command printed no bracket"


def _brackets(obj: object):  # noqa: ANN202
    if isinstance(obj, dict):
        if isinstance(obj.get("certificate"), dict) and "trivial" in obj:
            yield obj
        for v in obj.values():
            yield from _brackets(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from _brackets(v)


def test_vacuous_bound_is_labelled_in_json_and_text(capsys: pytest.CaptureFixture, tmp_path: Path) -> None:
    """At C = 0.01 with 2 bins the continuum classical upper bound exceeds 1 (independently: any winning probability is <= 1)."""
    argv = ["noise", "--C", "0.01", "--N", "2", "--bins", "2", "--v", "0,1", "--resolution", "10", "--skip-system", "--cert-dir", str(tmp_path)]
    assert main([*argv, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    cl = doc["continuum"]["classical"]
    assert cl["upper"] >= 1 and cl["trivial"] is True and cl["trivial_sides"] == ["upper"]
    for b in _brackets(doc):  # the label follows the value: an upper bound >= 1 or a lower bound <= 1/2 says nothing
        assert ("upper" in b["trivial_sides"]) == (b["upper"] >= 1) and ("lower" in b["trivial_sides"]) == (b["lower"] <= 0.5), b
    assert main(argv) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.startswith("classical value (certified)"))
    assert "VACUOUS: the upper bound says nothing" in line


# ---------------------------------------------------------------------------------------------------- the schemas themselves


def test_every_command_has_a_shipped_schema_equal_to_the_built_one() -> None:
    for command in COMMANDS:
        shipped = json.loads((SCHEMA_DIR / f"{command}.json").read_text())
        assert shipped == json.loads(json.dumps(schema(command))), f"run python -m proofs.cli.schema ({command})"
        jsonschema.Draft202012Validator.check_schema(shipped)


def _bracket(lo: float = 0.6, up: float = 0.7) -> dict:
    return {"lower": lo, "upper": up, "width": up - lo, "certificate": {"lower": "a.json", "upper": "b.json"}, "trivial": False, "trivial_sides": []}


GOOD_SWEEP = {
    "schema": "qcoord/sweep", "schema_version": 1,
    "rows": [{"C": 0.3, "continuum": {"classical": _bracket()}, "structure": {}}],
    "minimiser": {"C": 0.3, "classical": {"lower": 0.6, "upper": 0.7}, "unresolved_grid_points": [0.3],
                  "min_value_over_interval": {"lower": 0.6, "upper": 0.7}, "minimiser_cells": []},
    "quantum": "off", "N": None, "bins": 10, "seed": 0, "paper": {"note": "x"}, "certificates": ["a.json", "b.json"],
}


def test_the_old_vocabulary_is_refused() -> None:
    _validate("sweep", GOOD_SWEEP)
    bad = []
    for edit in (
        lambda d: d["rows"][0]["continuum"]["classical"].pop("certificate"),  # a bracket without its paths
        lambda d: d["rows"][0]["continuum"]["classical"].__setitem__("certificate", "b.json"),  # a singular path
        lambda d: d.__setitem__("certificates", {"classical_upper": "b.json"}),  # certificates as a dict
        lambda d: d["rows"][0]["continuum"]["classical"].pop("trivial"),  # no vacuity label
        lambda d: d["rows"][0].__setitem__("classical_lower", 0.6),  # a *_lower key
        lambda d: d.__setitem__("schema_version", 0),
    ):
        doc = copy.deepcopy(GOOD_SWEEP)
        edit(doc)
        bad.append(not jsonschema.Draft202012Validator(load_schema("sweep")).is_valid(doc))
    assert all(bad), bad
    system_route = {"p_split": {"classical": 0.5}, "throughput": {"classical": 1.0}, "W_q": {}, "R_k": 1.02, "throughput_ratio": 1.0,
                    "gap_closed": None, "strategies": {}}
    doc = {"schema": "qcoord/system", "schema_version": 1, "point": {"lam": 0.6, "rho": 0.6}, "k": 2.0, "routes": {"exact": system_route},
           "seconds": 1.0, "certificates": []}
    assert not jsonschema.Draft202012Validator(load_schema("system")).is_valid(doc)  # R_k as a number
    system_route["R_k"] = [{"k": 2.0, "estimate": 1.02, "lower": None}]
    _validate("system", doc)
