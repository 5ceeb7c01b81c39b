"""``qcoord verify``: run every claim's check, print the claims table, leave the report folder.

The folder (default ``./qcoord-report``) holds report.md, claims.json,
run.json, certificates/, records/ and figures/; ``qcoord check DIR``
re-verifies it.  See :mod:`proofs.report.folder`.

JSON (``--json``, schema ``proofs/cli/schemas/verify.json``): ``schema``,
``schema_version``, ``folder``, ``report_format`` and ``report_version`` (of
claims.json), ``claims`` (the entries of claims.json), ``figures``, ``run``
and ``certificates`` (every certificate file of the report).
"""

from __future__ import annotations

import argparse
import functools
import shutil
import sys
from pathlib import Path

from proofs.cli.jobs import dask_option, workers_option
from proofs.cli.options import json_option, print_json, quiet_option, writable_dir
from proofs.exact.errors import ProofsParameterError

DEFAULT_OUT = "qcoord-report"
#: largest run.json of an earlier report that ``--out`` may hold (it is read to recognise the report)
RUN_JSON_MAX_BYTES = 1 << 20


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("verify", parents=[json_option(), quiet_option(), workers_option(None), dask_option()], help="check the paper's claims, print the claims table and write the report folder")
    p.add_argument("--full", action="store_true", help="run the slow, full-size checks (default: quick settings)")
    p.add_argument("--out", default=DEFAULT_OUT, type=writable_dir("--out"), metavar="DIR", help=f"report folder (default ./{DEFAULT_OUT}); an earlier report there is replaced, any other non-empty folder is refused")
    p.add_argument("--verbose", action="store_true", help="after the table, each claim in words: the paper's statement, our result, the evidence")
    p.add_argument("--only", nargs="+", metavar="ID", help="run only these claim ids")
    p.add_argument("--no-figures", action="store_true", help="skip the figures")
    p.add_argument("--cert-dir", default=None, type=writable_dir("--cert-dir"), metavar="DIR", help="also copy every certificate of the report to DIR (the report keeps its own copies)")
    p.set_defaults(run=run)


def _check_out(out: str) -> None:
    """Refuse an ``--out`` folder whose run.json (read to recognise an earlier report) is not a small regular file.

    A FIFO, a device or a link to one would block or exhaust memory when read.
    """
    run_json = Path(out) / "run.json"
    if not (run_json.exists() or run_json.is_symlink()):
        return
    if not run_json.is_file():
        raise ProofsParameterError(f"`--out`: {str(run_json)!r} is not a regular file (a FIFO, device, directory or broken link); "
                                   "choose another folder or remove it")
    size = run_json.stat().st_size
    if size > RUN_JSON_MAX_BYTES:
        raise ProofsParameterError(f"`--out`: {str(run_json)!r} has {size} bytes, more than the {RUN_JSON_MAX_BYTES} of a qcoord report's "
                                   "run.json; choose another folder")


def run(args: argparse.Namespace) -> int:
    from proofs.claims.claim import run_claim
    from proofs.claims.registry import CLAIMS  # imports every claim's checks (sympy, the solvers): only when verify runs
    from proofs.report.folder import progress_printer, write_report

    claims = CLAIMS
    if args.only:
        known = {c.id for c in CLAIMS}
        unknown = [i for i in args.only if i not in known]
        if unknown:
            raise ProofsParameterError(f"`--only` takes claim ids from {sorted(known)}; got {unknown}")
        claims = tuple(c for c in CLAIMS if c.id in args.only)
    _check_out(args.out)
    from proofs.certify.jobs import connect_dask, dask_address

    address = dask_address(args.dask)
    if address is not None:  # an unreachable scheduler is refused here, before any claim runs
        connect_dask(address).close()
    quiet = args.quiet or args.json
    from proofs.cli.progress import silenced, terminal_progress

    show = None if terminal_progress("verify", quiet=quiet) is None else progress_printer()
    from games.progress import library_lines_off

    # --json/--quiet: no library progress lines either; on a terminal: the per-claim lines only
    with silenced(quiet), library_lines_off(show is not None):
        rep = write_report(args.out, claims, quick=not args.full, figures=not args.no_figures, on_claim=show, argv=sys.argv[1:], runner=functools.partial(run_claim, workers=args.workers, dask=args.dask),
                           workers=args.workers, dask=args.dask)
    if args.cert_dir:
        dest = Path(args.cert_dir)
        for p in (rep.folder / "certificates").rglob("*.json"):
            target = dest / p.relative_to(rep.folder / "certificates")
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(p, target)
    if args.json:
        from proofs.cli.output import finish

        doc = rep.claims_json()
        certs = sorted(str(p) for p in (rep.folder / "certificates").rglob("*.json"))
        print_json(finish("verify", {"folder": str(rep.folder), "report_format": doc["format"], "report_version": doc["version"],
                                     "claims": doc["claims"], "figures": doc["figures"], "run": doc["run"]}, certs, walk=False))
    else:
        from proofs.report.folder import claims_prose, claims_table

        rows = [(r.claim, r.result, r.seconds) for r in rep.records]
        print(claims_table(rows))
        if args.verbose:
            print("\n" + claims_prose(rows))
        bad = [f["name"] for f in rep.figures if "error" in f]
        print(f"\nReport written to {rep.folder}/ (report.md, claims.json, run.json, certificates/, records/, figures/)."
              + (f" Figures that failed: {', '.join(bad)}." if bad else "")
              + f" Re-check it with: qcoord check {rep.folder}")
    failed = rep.failed or any("error" in f for f in rep.figures)
    return 1 if failed else 0
