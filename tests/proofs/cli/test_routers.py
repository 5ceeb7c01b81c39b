"""qcoord routers: the JSON object (schema, certified numbers re-checked), the text table, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from proofs.checkers.registry import check_certificate
from proofs.cli.main import main
from proofs.cli.schema import load_schema

ARGS = ["routers", "--K", "2", "--W-limit", "2", "--router-bins", "2", "--resource", "pair+classical"]


@pytest.fixture(scope="module")
def doc(tmp_path_factory: pytest.TempPathFactory) -> dict:
    import contextlib
    import io

    d = tmp_path_factory.mktemp("routers_cli")
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main([*ARGS, "--json", "--cert-dir", str(d)]) == 0
    return json.loads(buf.getvalue())


def test_json_validates_and_brackets_are_rechecked(doc: dict) -> None:
    errors = list(jsonschema.Draft202012Validator(load_schema("routers")).iter_errors(doc))
    assert not errors, [e.message[:200] for e in errors[:3]]
    cl, ent = doc["classes"]["classical"], doc["classes"]["entangled"]
    assert cl["p_split_lower_continuum"] <= cl["p_split_upper"]
    assert ent["p_split_lower_continuum"] <= ent["p_split_lower_N"] <= cl["p_split_lower_N"] + 1e-12
    assert doc["answer"]["classical_minus_entangled_lower_N"] == pytest.approx(cl["p_split_lower_N"] - ent["p_split_lower_N"])
    sides = {}
    for f in doc["certificates"]:
        b = check_certificate(f)
        sides.setdefault(json.loads(Path(f).read_text())["kind"], set()).add(b.side)
    assert sides == {"routers-strategy": {"upper"}, "routers-dual": {"lower"}, "routers-continuum-dual": {"lower"}}


def test_text_output_reports_the_entangled_lower_bound(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*ARGS, "--cert-dir", str(tmp_path), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "entangled" in out and "NPA level 1+ab" in out and "certified on N = 2 bins" in out


def test_general_resource_beats_classical_routers_for_two_routers(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--resource general, K = 2, W_limit = 2, N = 8: the see-saw's 2-qubit strategy is certified below the classical
    continuum optimum and not below the two-router system's certified quantum optimum (a different game and checker)."""
    from tests.proofs.certify.test_routers import K2_CLASSICAL, K2_QUANTUM

    args = ["routers", "--K", "2", "--W-limit", "2", "--router-bins", "8", "--resource", "general", "--no-continuum", "--json",
            "--cert-dir", str(tmp_path)]
    assert main(args) == 0
    doc = json.loads(capsys.readouterr().out)
    assert not list(jsonschema.Draft202012Validator(load_schema("routers")).iter_errors(doc))
    up = doc["classes"]["general"]["p_split_upper"]
    assert K2_QUANTUM[0] <= up < K2_CLASSICAL[0] - 0.01
    assert doc["answer"]["entanglement_helps_estimate"] is True
    for f in doc["certificates"]:
        check_certificate(f)


@pytest.mark.parametrize(("args", "name"), [
    (["--K", "3", "--lam", "0.7"], "--lam"),
    (["--K", "2", "--W-limit", "1.2"], "--W-limit"),
    (["--K", "2", "--resource", "triangle"], "--resource"),
    (["--router-bins", "1"], "--router-bins"),
    (["--resource", "w-state"], "--resource"),
])
def test_bad_input_exits_2_with_one_line(args: list[str], name: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        code = main(["routers", *args])
        raise SystemExit(code)
    assert exc.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and name in err[0]


@pytest.mark.slow
def test_four_routers_two_bins_three_body_level_without_the_continuum_relaxation(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """K = 4 end to end: NPA 1+ab+abc meets the classical N = 2 bound; --no-continuum writes no routers-continuum-dual."""
    args = ["routers", "--K", "4", "--lam", "0.3", "--W-limit", "3.5", "--router-bins", "2", "--resource", "ghz", "--no-continuum",
            "--npa-level", "1+ab+abc", "--json", "--cert-dir", str(tmp_path)]
    assert main(args) == 0
    doc = json.loads(capsys.readouterr().out)
    assert not list(jsonschema.Draft202012Validator(load_schema("routers")).iter_errors(doc))
    assert doc["point"]["npa_level"] == "1+ab+abc" and doc["point"]["continuum_relaxation"] is False
    cl, ent = doc["classes"]["classical"], doc["classes"]["entangled"]
    assert cl["p_split_lower_N"] - 1e-8 <= ent["p_split_lower_N"] <= cl["p_split_lower_N"] + 1e-12
    kinds = {json.loads(Path(f).read_text())["kind"] for f in doc["certificates"]}
    assert kinds == {"routers-strategy", "routers-dual"}
    for f in doc["certificates"]:
        check_certificate(f)


def test_general_resource_is_simulated_by_the_born_rule(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--simulate with a quantum class: the simulator draws each tuple's outputs from the Born-rule table of the certified
    strategy (bin-constant observables), and reproduces the computed p_split within its 99 % CI and W_q at the limit."""
    args = ["routers", "--K", "2", "--W-limit", "2", "--router-bins", "4", "--resource", "general", "--no-continuum", "--simulate", "200000",
            "--json"]
    assert main(args) == 0
    sim = json.loads(capsys.readouterr().out)["simulation"]["classes"]["general"]
    assert sim["simulated"] is True
    lo, hi = sim["p_split_ci"]
    assert lo <= sim["p_split_computed"] <= hi
    assert sim["W_q_ci"][0] <= 2.0 * (1 + 1e-9) and sim["W_q_ci"][1] >= 2.0 * (1 - 0.05)
