"""``qcoord verify``: run every claim's check and print the claims table."""

from __future__ import annotations

import argparse
import json
import sys

from proofs.claims import CLAIMS, run_claim
from proofs.errors import ProofsParameterError


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("verify", help="check the paper's claims and print the claims table")
    p.add_argument("--full", action="store_true", help="run the slow, full-size checks (default: quick settings)")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    p.add_argument("--only", nargs="*", metavar="ID", help="run only these claim ids")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    claims = CLAIMS
    if args.only:
        known = {c.id for c in CLAIMS}
        unknown = [i for i in args.only if i not in known]
        if unknown:
            raise ProofsParameterError(f"`--only` takes claim ids from {sorted(known)}; got {unknown}")
        claims = tuple(c for c in CLAIMS if c.id in args.only)
    rows = []
    for claim in claims:
        if not args.json:
            print(f"checking {claim.id} ...", file=sys.stderr, flush=True)
        res, secs = run_claim(claim, quick=not args.full)
        rows.append((claim, res, secs))
    if args.json:
        out = [
            {"id": c.id, "where": c.where, "statement": c.statement, "paper_value": c.paper_value,
             "status": r.status, "ours": r.ours, "evidence": r.evidence, "seconds": round(s, 3)}
            for c, r, s in rows
        ]
        print(json.dumps({"claims": out}, indent=2))
    else:
        from proofs.report import claims_table

        print(claims_table(rows))
    return 1 if any(r.status == "error" for _, r, _ in rows) else 0
