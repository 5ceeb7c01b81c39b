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
    _check_directory(directory)
    d = Path(directory) if directory is not None else RECORDS_DIR
    d.mkdir(parents=True, exist_ok=True)
    out = []
    for rid in sorted(DERIVATIONS):
        p = d / f"{rid}.json"
        p.write_text(json.dumps(build_record(rid), indent=2, sort_keys=True) + "\n")
        out.append(p)
    return out


def load_record(record_id: str, directory: str | Path | None = None) -> dict:
    """Read a stored record (``record_id`` one of :data:`DERIVATIONS`).

    >>> load_record("no-such-record")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    analytic.errors.AnalyticParameterError: `record_id` must be one of [...]; got 'no-such-record'
    """
    from analytic.errors import AnalyticParameterError

    if not isinstance(record_id, str) or record_id not in DERIVATIONS:
        raise AnalyticParameterError(f"`record_id` must be one of {sorted(DERIVATIONS)}; got {record_id!r}")
    _check_directory(directory)
    d = Path(directory) if directory is not None else RECORDS_DIR
    p = d / f"{record_id}.json"
    try:
        return json.loads(p.read_text())
    except FileNotFoundError:
        raise AnalyticParameterError(f"`directory` must hold the record {record_id}.json (write it with write_records); got {str(d)!r}") from None
    except (OSError, ValueError) as exc:
        raise AnalyticParameterError(f"`directory`: cannot read the record {str(p)!r} ({exc})") from None


def _check_directory(directory: object) -> None:
    """A folder that exists or can be created (or None); else an error naming ``directory``."""
    from analytic.errors import AnalyticParameterError
    from games.errors import check_directory
    from proofs.exact.errors import QcoordTypeError

    check_directory("directory", directory, error=AnalyticParameterError, type_error=QcoordTypeError)


if __name__ == "__main__":  # pragma: no cover
    for path in write_records():
        print(path)
