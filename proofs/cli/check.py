"""``qcoord check FILE|DIR``: verify certificates independently of the solver that wrote them.

``FILE`` is one certificate.  ``DIR`` is a report folder written by
``qcoord verify`` (every certificate under it is verified, no two valid
certificates may contradict each other, every certified or derived number
in its claims.json is recomputed from its certificates and every status
compared with the comparisons it rests on; see :mod:`proofs.checkers.report_folder`)
or any folder of certificates.  A ``claims.json`` given as ``FILE`` checks
its folder.  Nothing here imports a solver.

JSON (``--json``, schema ``proofs/cli/schemas/check.json``): a file gives
the checked bound, ``{"schema", "schema_version", "file", "valid", "kind":
"bound", "side", "value", "value_exact", "target", "trivial", "certificate",
"checker", "certificates": [FILE]}``; a folder
``{"schema", "schema_version", "folder", "exit_code", "summary", "statuses":
[{"path", "status", "message"}], "contradictions", "claims", "certificates":
[PATH, ...]}``.

Exit status: 0 valid, 1 invalid, contradictory or inconsistent (each named),
2 unreadable or nothing to check (one line saying why).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    from proofs.cli.options import json_option, quiet_option

    p = sub.add_parser("check", parents=[json_option(), quiet_option()], help="verify a certificate file or a report folder (exit 0 valid, 1 invalid, 2 unreadable)")
    p.add_argument("file", metavar="FILE|DIR", help="certificate JSON file, or a folder (a report written by `qcoord verify`)")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if path.is_dir():
        return _folder(path, args)
    if path.is_file() and path.name == "claims.json" and _is_claims(path):
        return _folder(path.parent, args)
    return _file(args)


def _is_claims(path: Path) -> bool:
    """Whether ``path`` is a report's claims.json (read with the certificate limits: never a FIFO or device, never unbounded)."""
    from proofs.exact.certificate import read_certificate
    from proofs.exact.errors import CertificateFormatError

    try:
        return isinstance(read_certificate(path, schema=False).get("claims"), list)
    except CertificateFormatError:
        return False


def _folder(folder: Path, args: argparse.Namespace) -> int:
    from proofs.checkers.report_folder import check_folder
    from proofs.cli.progress import for_command

    show = for_command(args, "checking")  # check_folder announces file k before checking it: k - 1 are done
    res = check_folder(folder, on_file=None if show is None else lambda k, total, rel: show(k - 1, total, rel))
    if show is not None:
        show.finish()
    if args.json:
        from proofs.cli.options import print_json
        from proofs.cli.output import finish

        d = res.to_dict()
        statuses = d.pop("certificates")
        print_json(finish("check", {**d, "statuses": statuses}, [str(folder / c["path"]) for c in statuses], walk=False))
    else:
        for line in res.failures():
            print(f"qcoord check: {line}", file=sys.stderr)
        print(res.summary())
    return res.exit_code


def _file(args: argparse.Namespace) -> int:
    from proofs.checkers.registry import check_certificate
    from proofs.exact.errors import CertificateError, CertificateFormatError

    try:
        bound = check_certificate(args.file)
    except CertificateFormatError as exc:
        print(f"qcoord check: unreadable: {exc}", file=sys.stderr)
        return 2
    except CertificateError as exc:
        print(f"qcoord check: INVALID: {exc}", file=sys.stderr)
        return 1
    if args.json:
        from proofs.cli.options import print_json
        from proofs.cli.output import finish

        print_json(finish("check", {"file": str(args.file), "valid": True, **bound.to_dict()}))
    else:
        print(f"VALID: {bound}")
    return 0
