"""Derivation records: every formula of :mod:`analytic` as a JSON file under ``proofs/records/``.

A record holds the statement, the assumptions, the expression in LaTeX and
``srepr`` (``eval`` it in the ``sympy`` namespace to rebuild the expression), and the
checks it passed.  ``write_records()`` regenerates them; the tests check that
the stored files match a fresh derivation.

>>> sorted(DERIVATIONS)[:3]
['boundary-general', 'condition', 'eq3-4']
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from analytic.derivation import Derivation
from analytic.optimal import derive_optimal_rule
from analytic.routers import derive_routers_kernel_k3, derive_routers_kernel_k4, derive_routers_wq_k3, derive_routers_wq_k4
from analytic.system import derive_system_kernel
from analytic.throughput import (
    derive_condition,
    derive_lambda_eff,
    derive_monomial,
    derive_ratio,
    derive_superlinear,
    derive_throughput,
)
from analytic.transform import derive_bunch_probability, derive_cdf_transform, derive_general_boundary
from analytic.waiting import derive_waiting_time

__all__ = ["DERIVATIONS", "RECORDS_DIR", "build_record", "load_record", "write_records"]

#: record id -> function producing the derivation
DERIVATIONS: dict[str, Callable[[], Derivation]] = {
    "eq3-4": derive_cdf_transform,
    "boundary-general": derive_general_boundary,
    "p-bunch": derive_bunch_probability,
    "lambda-eff": derive_lambda_eff,
    "tb-formula": derive_throughput,
    "condition": derive_condition,
    "superlinear": derive_superlinear,
    "monomial": derive_monomial,
    "eq8": derive_ratio,
    "wq-general": derive_waiting_time,
    "thm4.1": derive_optimal_rule,
}
DERIVATIONS["system-kernel"] = derive_system_kernel
DERIVATIONS["routers-wq-k3"] = derive_routers_wq_k3
DERIVATIONS["routers-wq-k4"] = derive_routers_wq_k4
DERIVATIONS["routers-kernel-k3"] = derive_routers_kernel_k3
DERIVATIONS["routers-kernel-k4"] = derive_routers_kernel_k4

RECORDS_DIR = Path(__file__).resolve().parent.parent / "proofs" / "records"


def build_record(record_id: str) -> dict:
    """Run one derivation and return its record (``generated_by`` names the function)."""
    if record_id not in DERIVATIONS:
        from analytic.errors import AnalyticParameterError

        raise AnalyticParameterError(f"`record_id` must be one of {sorted(DERIVATIONS)}; got {record_id!r}")
    fn = DERIVATIONS[record_id]
    rec = fn().to_record()
    rec["generated_by"] = f"{fn.__module__}:{fn.__name__}"
    return rec


def write_records(directory: str | Path | None = None) -> list[Path]:
    """Write every record as ``<id>.json``; return the paths."""
    d = Path(directory) if directory is not None else RECORDS_DIR
    d.mkdir(parents=True, exist_ok=True)
    out = []
    for rid in sorted(DERIVATIONS):
        p = d / f"{rid}.json"
        p.write_text(json.dumps(build_record(rid), indent=2, sort_keys=True) + "\n")
        out.append(p)
    return out


def load_record(record_id: str, directory: str | Path | None = None) -> dict:
    """Read a stored record."""
    d = Path(directory) if directory is not None else RECORDS_DIR
    return json.loads((d / f"{record_id}.json").read_text())


if __name__ == "__main__":  # pragma: no cover
    for path in write_records():
        print(path)
