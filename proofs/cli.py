"""The ``qcoord`` command line: parse, call the library, print, write files.

Each subcommand lives in :mod:`proofs.commands` as a module with
``add_parser(subparsers)`` and ``run(args) -> int``.  Bad input (a qcoord
parameter, type or certificate-format error) and I/O errors exit with status 2
and one line on stderr; any other exception is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import NoReturn

from proofs.exact.errors import CertificateFormatError, QcoordParameterError, QcoordTypeError

__all__ = ["main"]

COMMANDS: tuple[str, ...] = ("verify", "game", "check", "sweep", "queue")
COMMANDS += ("system",)
COMMANDS += ("noise",)
COMMANDS += ("laws",)


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line (``qcoord game: error: ...``) and exit status 2."""

    def error(self, message: str) -> NoReturn:
        # our argument types name the option themselves ("`--N` must ..."): drop argparse's "argument --N: "
        message = re.sub(r"^argument [^:]+: (?=`)", "", message)
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="qcoord",
        description="Verify, bound and extend the claims of 'Entanglement improves coordination in distributed systems'.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        _command_module(name).add_parser(sub)
    return parser


def _command_module(name: str) -> ModuleType:
    return importlib.import_module(f"proofs.commands.{name}")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``qcoord`` console script."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, or a bad option (one line already printed)
        return int(exc.code or 0) if not isinstance(exc.code, str) else 2
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return int(args.run(args))
    except (QcoordParameterError, QcoordTypeError, CertificateFormatError) as exc:
        print(f"qcoord {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        where = f" {exc.filename!s}" if exc.filename is not None else ""
        print(f"qcoord {args.command}: error: cannot access{where}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("qcoord: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
