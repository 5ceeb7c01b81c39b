"""``qcoord check FILE``: verify a certificate independently of the solver.

Exit status: 0 valid, 1 invalid (the reason is printed), 2 unreadable.
"""

from __future__ import annotations

import argparse
import json
import sys


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("check", help="verify a certificate file (exit 0 valid, 1 invalid, 2 unreadable)")
    p.add_argument("file", help="certificate JSON file")
    p.add_argument("--json", action="store_true", help="print the verified bound as JSON")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from proofs.check import check_certificate
    from proofs.errors import CertificateError, CertificateFormatError

    try:
        bound = check_certificate(args.file)
    except CertificateFormatError as exc:
        print(f"qcoord check: unreadable: {exc}", file=sys.stderr)
        return 2
    except CertificateError as exc:
        print(f"qcoord check: INVALID: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(bound.to_dict()))
    else:
        print(f"VALID: {bound}")
    return 0
