"""The published JSON Schema (draft 2020-12) of every command's ``--json`` output, built from shared definitions.

The schemas ship with the package as ``proofs/cli/schemas/<command>.json``;
each is self-contained (it carries the shared definitions it uses under
``$defs``) and names :data:`proofs.cli.output.SCHEMA_VERSION`.  Regenerate
the files after a change here with ``python -m proofs.cli.schema``; the tests
fail while a shipped file differs from what this module builds.

>>> sorted(COMMANDS)
['atlas', 'check', 'game', 'laws', 'noise', 'queue', 'routers', 'slots', 'sweep', 'system', 'verify', 'xor']
>>> schema("queue")["properties"]["schema"]
{'const': 'qcoord/queue'}
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from proofs.cli.output import SCHEMA_VERSION

__all__ = ["COMMANDS", "DEFS", "SCHEMA_DIR", "load_schema", "schema", "write_schemas"]

#: where the shipped schema files live (package data)
SCHEMA_DIR = Path(__file__).resolve().parent / "schemas"

_NUM = {"type": "number"}
_NUM_OR_NULL = {"type": ["number", "null"]}
_STR = {"type": "string"}
_BOOL = {"type": "boolean"}
_OBJ = {"type": "object"}


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/$defs/{name}"}


def _obj(required: dict[str, Any], optional: dict[str, Any] | None = None, *, closed: bool = True) -> dict[str, Any]:
    props = {**required, **(optional or {})}
    out: dict[str, Any] = {"type": "object", "required": list(required), "properties": props}
    if closed:
        out["additionalProperties"] = False
    return out


def _classes(value: dict[str, Any]) -> dict[str, Any]:
    """An object keyed by router class (at least one of them)."""
    return {"type": "object", "minProperties": 1, "propertyNames": {"enum": ["ideal", "classical", "quantum", "werner"]},
            "additionalProperties": value}


#: the shared definitions (see :mod:`proofs.cli.output`)
DEFS: dict[str, Any] = {
    "path": {"type": "string", "minLength": 1, "description": "path of a certificate file"},
    "certificates": {"type": "array", "items": _ref("path"), "description": "every certificate file behind the numbers, once"},
    "bracket": _obj(
        {"lower": _NUM_OR_NULL, "upper": _NUM_OR_NULL, "width": _NUM_OR_NULL,
         "certificate": _obj({"lower": _ref("path"), "upper": _ref("path")}),
         "trivial": {"type": "boolean", "description": "a side says nothing (Bound.trivial)"},
         "trivial_sides": {"type": "array", "items": {"enum": ["lower", "upper"]}, "uniqueItems": True}},
        {"exact": _BOOL, "method": _STR, "rank": {"type": "integer"}},
        # null only beyond the float range
    ),
    "bound": _obj({"value": _NUM_OR_NULL, "side": {"enum": ["lower", "upper"]}, "certificate": _ref("path"), "trivial": _BOOL}),
    "interval": _obj({"lower": _NUM_OR_NULL, "upper": _NUM_OR_NULL},
                     {"lower_source": _STR, "certificate": _obj({"lower": {"type": ["string", "null"]}, "upper": {"type": ["string", "null"]}})}),
    "R_k": {"type": "array", "minItems": 1,
            "items": _obj({"k": _NUM, "estimate": _NUM_OR_NULL, "lower": _NUM_OR_NULL}, {"upper": _NUM_OR_NULL})},
    "class_numbers": _classes(_NUM_OR_NULL),
    "class_brackets": _classes(_ref("bracket")),
    "measured": _obj({"simulated": _NUM, "ci": {"type": "array", "items": _NUM, "minItems": 2, "maxItems": 2}},
                     {"formula": _NUM_OR_NULL, "computed": _NUM_OR_NULL}),
    "point": _obj({"lam": _NUM, "rho": _NUM}, {"mu": _NUM_OR_NULL, "W_limit": _NUM, "W_split": _NUM, "W_bunch": _NUM, "law": _STR,
                                               "order": _STR}),
    "estimate": _obj({"value": _NUM}, closed=False),
    "paper": {"type": "object", "required": ["note"], "properties": {"note": _STR}},
    "game_pair": _obj({"classical": _ref("bracket"), "quantum": _ref("bracket")}, {"gap_lower": _NUM}),
}


def _command(name: str, required: dict[str, Any], optional: dict[str, Any] | None = None) -> dict[str, Any]:
    req = {"schema": {"const": f"qcoord/{name}"}, "schema_version": {"const": SCHEMA_VERSION}, **required,
           "certificates": _ref("certificates")}
    return _obj(req, {"plot": _STR, **(optional or {})})


_ROUTE = _obj(
    {"p_split": _ref("class_numbers"), "throughput": _ref("class_numbers"), "W_q": {"anyOf": [_ref("class_numbers"), {"const": {}}]},
     "R_k": _ref("R_k"), "throughput_ratio": _NUM_OR_NULL, "gap_closed": _NUM_OR_NULL, "strategies": _OBJ},
    {"p_split_certified": _ref("class_brackets"), "nu": _ref("class_numbers"), "p_split_dual_estimate": _ref("class_numbers"),
     "quantum_beats_classical_certified": _BOOL, "note": _STR, "C_t": _OBJ, "evaluations": _OBJ, "search": _OBJ,
     "loss_vs_exact": _ref("class_numbers"),
     "mixed": _obj({"p_split": _ref("class_numbers"), "throughput": _ref("class_numbers"), "W_q": _ref("class_numbers"), "R_k": _ref("R_k"),
                    "throughput_ratio": _NUM_OR_NULL, "gap_closed": _NUM_OR_NULL, "mixture": _OBJ}, {"loss_vs_exact": _ref("class_numbers")})},
)

_LAW_GAME = _obj({"t": _NUM, "t_exact": _STR, "N": {"type": "integer"}, "p_bunch": {"type": "array", "items": _NUM},
                  "classical": _ref("bracket"), "quantum": _ref("bracket"), "gap_lower": _NUM, "continuum": _ref("game_pair")})

_NOISE_ROW = _obj({"v": _NUM, "F": _NUM, "f": _NUM, "p_split": _ref("class_numbers"), "p_split_dual": _ref("class_numbers"), "R_k": _ref("R_k"),
                   "quantum_share": _NUM_OR_NULL})

_THRESHOLD = _obj({"v": _ref("interval"), "F": _ref("interval"), "value_at_v_upper": {"anyOf": [_ref("bound"), {"type": "null"}]},
                   "planar_only_v": _NUM, "planar_only_F": _NUM, "ratio_estimate": _NUM_OR_NULL, "projective_only_v": _ref("interval"),
                   "best_found_pure_everywhere": _BOOL})

#: the continuum quantum bracket of lemma Q6 (a bracket, with the grid and the rescaling tau it used)
_SECOND_ORDER = _obj(
    {"lower": _NUM_OR_NULL, "upper": _NUM_OR_NULL, "width": _NUM_OR_NULL, "certificate": _obj({"lower": _ref("path"), "upper": _ref("path")}),
     "trivial": _BOOL, "trivial_sides": {"type": "array", "items": {"enum": ["lower", "upper"]}, "uniqueItems": True},
     "method": _STR, "N": {"type": "integer"}, "tau": _NUM, "seconds": _NUM})

#: a finite XOR game's value: a bracket (winning probability) with its exact ends and the strategy behind it
_XOR_BRACKET = _obj(
    {"lower": _NUM_OR_NULL, "upper": _NUM_OR_NULL, "width": _NUM_OR_NULL, "certificate": _obj({"lower": _ref("path"), "upper": _ref("path")}),
     "trivial": _BOOL, "trivial_sides": {"type": "array", "items": {"enum": ["lower", "upper"]}, "uniqueItems": True},
     "lower_exact": _STR, "upper_exact": _STR, "strategy": _OBJ},
    {"rank": {"type": "integer"}, "local_dimension": {"type": ["integer", "null"]}, "exact": _BOOL, "upper_rule": _STR})

_ROUTER_CLASS = _obj({"p_split_estimate": _NUM_OR_NULL, "kind": {"enum": ["estimate", "certified"]}, "p_split_upper": _NUM_OR_NULL,
                      "p_split_lower_N": _NUM_OR_NULL, "p_split_lower_continuum": _NUM_OR_NULL, "R_k": _NUM_OR_NULL, "gap_closed": _NUM_OR_NULL,
                      "strategy": {"type": ["array", "null"]}})
#: one policy of qcoord slots (a slotted rule or a route-on-arrival policy): W_q bracket or CI, E[T_B] estimate
_SLOT_POLICY = _obj({"model": _STR, "family": _STR, "tau": _NUM_OR_NULL, "params": _OBJ,
                     "W_q": _obj({"lower": _NUM, "upper": _NUM}), "throughput": _NUM, "throughput_ci": {"type": ["array", "null"]},
                     "throughput_bracket": {"type": ["array", "null"], "items": _NUM, "minItems": 2, "maxItems": 2}, "p_split": _NUM_OR_NULL, "p_coord": _NUM, "feasible": _BOOL, "criterion": _STR,
                     "note": _STR})

#: command -> its schema (without the shared ``$defs``, added by :func:`schema`)
COMMANDS: dict[str, dict[str, Any]] = {
    "routers": _command("routers", {"point": _obj({"K": {"type": "integer"}, "lam": _NUM, "rho": _NUM, "W_limit": _NUM, "law": _STR,
                                                   "N": {"type": "integer"}, "nu": _NUM},
                                                  {"npa_level": _STR, "continuum_relaxation": _BOOL}),
                                    "k": _NUM, "classes": {"type": "object", "minProperties": 2,
                                                "propertyNames": {"enum": ["ideal", "classical", "entangled", "ghz", "triangle", "pair+classical", "general"]},
                                                "additionalProperties": _ROUTER_CLASS},
                                    "k2": _obj({"rho": _NUM, "ideal": _NUM_OR_NULL, "classical": _NUM_OR_NULL, "kind": {"const": "estimate"}}),
                                    "answer": _obj({"entanglement_helps_estimate": {"type": ["boolean", "null"]},
                                                    "best_quantum_minus_classical": _NUM_OR_NULL,
                                                    "classical_minus_entangled_lower_N": _NUM_OR_NULL}),
                                    "notes": {"type": "array", "items": _STR}, "seconds": _NUM},
                        {"simulation": _obj({"tuples": {"type": "integer"}, "seed": {"type": "integer"}, "level": _NUM, "common_random_numbers": _BOOL,
                                             "classes": {"type": "object", "additionalProperties": _OBJ}})}),
    "system": _command("system", {"point": _ref("point"), "k": _NUM, "routes": _obj({}, {"exact": _ROUTE, "proxy": _ROUTE}), "seconds": _NUM},
                       {"simulation": _obj({"pairs": {"type": "integer"}, "seed": {"type": "integer"}, "level": _NUM, "common_random_numbers": _BOOL,
                                            "W_q": _classes(_ref("measured")), "p_split": _classes(_ref("measured")),
                                            "throughput": _classes(_ref("measured")), "consistent": _OBJ, "throughput_ratio": _ref("measured")})}),
    "slots": _command("slots", {"point": _OBJ, "k": _NUM, "taus": {"type": "array", "items": _NUM, "minItems": 1},
                                "slotted": {"type": "object", "additionalProperties": _classes(_SLOT_POLICY)},
                                "arrival": {"type": "array", "items": _SLOT_POLICY}, "best_classical": _SLOT_POLICY,
                                "slotted_quantum_over_best_classical": {"type": "object", "additionalProperties": _NUM_OR_NULL},
                                "R_k": {"type": "object", "additionalProperties": _NUM_OR_NULL},
                                "best_tau": {"type": "object", "additionalProperties": _NUM_OR_NULL},
                                "R_k_simultaneous_pairs": _NUM_OR_NULL,
                                "window_limit": _obj({"regime": {"enum": ["mixture", "fluid", "critical"]}, "param_name": {"type": ["string", "null"]},
                                                      "param": _NUM_OR_NULL, "W_q": _NUM_OR_NULL, "throughput": _NUM_OR_NULL, "unbounded": _BOOL,
                                                      "reason": _STR, "feasible": {"type": ["boolean", "null"]},
                                                      "slotted_quantum_over_limit": {"type": "object", "additionalProperties": _NUM_OR_NULL}})},
                      {"simulation": _obj({"slots": {"type": "integer"}, "seed": {"type": "integer"}, "level": _NUM, "common_random_numbers": _BOOL,
                                           "rows": {"type": "array", "items": _OBJ}}),
                       "certified": {"type": "object", "additionalProperties": {"type": "object", "additionalProperties": _OBJ}},
                       "certified_feasibility": {"type": "array", "items": _obj({"tau": _NUM, "classes": {"type": "object", "additionalProperties": _OBJ},
                                                                                 "infeasible": {"type": ["object", "null"]},
                                                                                 # why neither was certified (lattice over the checker's size limits), else ""
                                                                                 "note": _STR})}}),
    "queue": _command("queue", {"point": _ref("point"), "p_split": _NUM, "k": _NUM, "order": _STR, "pairs": {"type": "integer"},
                                "seed": {"type": "integer"}, "level": _NUM,
                                "rules": {"type": "object", "additionalProperties": _obj({"W_q": _ref("measured"), "throughput": _ref("measured"),
                                                                                         "p_split": _ref("measured"), "rule": _OBJ})}}),
    "game": _command("game", {"C": _NUM_OR_NULL, "N": {"type": "integer"}, "game": _OBJ,
                              "estimates": _obj({"classical": _ref("estimate"), "ansatz_linear": _ref("estimate"), "ansatz_quadratic": _ref("estimate")}),
                              "classical": _ref("bracket"), "quantum": _ref("bracket")},
                     {"continuum": _obj({"classical": _ref("bracket"), "quantum": _ref("bracket")},
                                        {"quantum_second_order": {"anyOf": [_SECOND_ORDER, {"type": "null"}]}}), "paper": _ref("paper"),
                      "anatomy": _obj({"rank": {"type": "integer"}, "local_dimension": {"type": "integer"}, "linear_fit": {"type": "array"}, "plot": _STR})}),
    "sweep": _command("sweep", {"rows": {"type": "array", "items": _obj({"C": _NUM, "continuum": _obj({"classical": _ref("bracket")}, {"quantum": _ref("bracket")}),
                                                                          "structure": _OBJ}, {"gap_lower": _NUM})},
                                "minimiser": _obj({"C": _NUM, "classical": _ref("interval"), "unresolved_grid_points": {"type": "array", "items": _NUM},
                                                   "min_value_over_interval": _ref("interval"), "minimiser_cells": {"type": "array"}}),
                                "quantum": {"enum": ["on", "off"]}, "N": {"type": ["integer", "null"]}, "bins": {"type": "integer"},
                                "seed": {"type": "integer"}, "paper": _ref("paper")},
                      {"certified_minimiser": _obj({"C": _ref("interval"), "value": _ref("interval"), "best_C": _NUM, "best_bracket": _ref("interval"),
                                                    "cells": {"type": "array"}, "evaluations": {"type": "integer"}, "bins": {"type": "integer"}, "tol": _NUM}),
                       "gap_peak": _obj({"C": _NUM, "gap_lower": _NUM, "positive_at": {"type": "array", "items": _NUM}})}),
    "noise": _command("noise", {"C": _NUM, "N": {"type": "integer"}, "continuum": _ref("game_pair"), "threshold": _THRESHOLD,
                                "rows": {"type": "array", "items": _obj({"v": _NUM, "F": _NUM, "estimate": _NUM, "werner": _ref("bracket"),
                                                                         "upper_cited": _ref("bound"), "deterministic_bins": {"type": "array"}})},
                                "system": {"anyOf": [
                                    _obj({"status": {"const": "not computed"}, "reason": _STR}),
                                    _obj({"status": {"const": "estimates"}, "point": _ref("point"), "k": _NUM, "p_split": _ref("class_numbers"),
                                          "rows": {"type": "array", "items": _NOISE_ROW}, "supply": {"type": "array", "items": _NOISE_ROW},
                                          "thresholds": _OBJ, "cited": _STR, "method": _STR},
                                         {"supply_plot": _STR,
                                          "certified": _obj({"p_split_certified": _ref("class_brackets"), "thresholds": _OBJ,
                                                             "rows": {"type": "array", "items": _obj({"v": _NUM, "F": _NUM, "f": _NUM,
                                                                                                     "p_split_certified": _ref("class_brackets"),
                                                                                                     "R_k": _ref("R_k")})}})}),
                                ]}},
                      {"sweep": {"type": "array", "items": _obj({"C": _NUM, "continuum": _ref("game_pair"), "threshold": _THRESHOLD})}}),
    "laws": _command("laws", {"verdict": _obj({"status": _STR, "summary": _STR}), "N": {"type": "integer"}, "search_N": {"type": "integer"},
                              "seed": {"type": "integer"},
                              "rows": {"type": "array", "items": _obj({"law": _STR, "cv": _NUM_OR_NULL, "t_star": _NUM, "t_star_search": _OBJ,
                                                                       "at_t_star": _LAW_GAME, "grid": {"type": "array", "items": _LAW_GAME}})},
                              "system": {"type": "array", "items": _obj({"law": _STR, "cv": _NUM_OR_NULL, "rho": _NUM, "W_limit": _NUM, "W_fraction": _NUM,
                                                                         "p_split": _ref("class_numbers"),
                                                                         "p_split_certified": {"anyOf": [_ref("class_brackets"), {"type": "null"}]},
                                                                         "p_split_gap_lower": _NUM_OR_NULL, "R_k": _ref("R_k"),
                                                                         "note": {"type": ["string", "null"]}})},
                              "system_verdict": _obj({"status": _STR, "summary": _STR})}),
    "check": {"anyOf": [
        _command("check", {"file": _STR, "valid": _BOOL, "kind": {"const": "bound"}, "side": {"enum": ["lower", "upper"]}, "value": _NUM_OR_NULL,
                           "value_exact": _STR, "target": _OBJ, "quantity": _STR, "trivial": _BOOL, "certificate": _ref("path"), "checker": _STR}),
        _command("check", {"folder": _STR, "exit_code": {"type": "integer"}, "summary": _STR,
                           "statuses": {"type": "array", "items": _obj({"path": _STR, "status": _STR, "message": {"type": ["string", "null"]},
                                                                        "quantity": {"type": ["string", "null"]}})},
                           "contradictions": {"type": "array"}, "claims": {"type": "array"}}),
    ]},
    "atlas": _command("atlas", {"out": _STR, "qcoord_version": _STR, "grid": _OBJ, "points": {"type": "integer"}, "rows": {"type": "integer"},
                                "computed": {"type": "integer"}, "skipped": {"type": "integer"}, "failed": {"type": "integer"},
                                "status": {"type": "object", "additionalProperties": {"type": "integer"}},
                                "failures": {"type": "array", "items": _OBJ},
                                "best_R_3_lower": {"anyOf": [_obj({"rho": _NUM, "W_fraction": _NUM, "law": _STR, "v": _NUM, "R_3_lower": _NUM,
                                                                   "p_c_lower": _NUM_OR_NULL, "p_q_upper": _NUM_OR_NULL}), {"type": "null"}]},
                                "csv": _STR, "parquet": {"type": ["string", "null"]}, "figures": {"type": "array", "items": _STR},
                                "notes": {"type": "array", "items": _STR}, "seconds": _NUM}),
    "xor": _command("xor", {"game": _OBJ, "quantum": _XOR_BRACKET, "classical": _XOR_BRACKET, "nonsignalling": _OBJ, "seconds": _OBJ},
                    {"repeated": _OBJ}),
    "verify": _command("verify", {"folder": _STR, "report_format": _STR, "report_version": {"type": "integer"},
                                  "claims": {"type": "array", "items": {"type": "object", "required": ["id", "status", "headline"]}},
                                  "figures": {"type": "array"}, "run": _OBJ}),
}


def _used(obj: Any, found: set[str]) -> None:
    if isinstance(obj, dict):
        ref = obj.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            name = ref.removeprefix("#/$defs/")
            if name not in found:
                found.add(name)
                _used(DEFS[name], found)
        for v in obj.values():
            _used(v, found)
    elif isinstance(obj, list):
        for v in obj:
            _used(v, found)


def schema(command: str) -> dict[str, Any]:
    """The self-contained JSON Schema of ``qcoord COMMAND --json``."""
    body = COMMANDS[command]
    used: set[str] = set()
    _used(body, used)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": f"qcoord/{command}/{SCHEMA_VERSION}",
            "title": f"qcoord {command} --json", "schema_version": SCHEMA_VERSION, **body,
            "$defs": {k: DEFS[k] for k in sorted(used)}}


def _text(command: str) -> str:
    return json.dumps(schema(command), indent=2) + "\n"


def load_schema(command: str) -> dict[str, Any]:
    """The shipped schema file of ``command``."""
    return json.loads((SCHEMA_DIR / f"{command}.json").read_text())


def write_schemas(directory: Path = SCHEMA_DIR) -> list[Path]:
    """Write every command's schema file; return the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    out = []
    for command in sorted(COMMANDS):
        p = directory / f"{command}.json"
        p.write_text(_text(command))
        out.append(p)
    return out


if __name__ == "__main__":  # pragma: no cover
    for p in write_schemas():
        print(p, file=sys.stderr)
