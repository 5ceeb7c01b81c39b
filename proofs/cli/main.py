"""The ``qcoord`` command line: parse, call the library, print, write files.

Each subcommand lives in :mod:`proofs.cli` as a module with
``add_parser(subparsers)`` and ``run(args) -> int``.  Bad input is refused
while parsing or by the command's checks before any work
(:mod:`proofs.cli.options`).  Every error qcoord raises on purpose (a
:class:`~proofs.exact.errors.QcoordError`: bad parameter, type or certificate
format, a solver that reports failure, a certificate the producer cannot
prove), I/O errors and running out of memory exit with status 2 and one line
on stderr; any other exception is a bug and keeps its traceback.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import NoReturn

from proofs.cli import atlas, check, game, laws, noise, queue, routers, slots, sweep, system, verify, xor
from proofs.exact.errors import QcoordError

__all__ = ["main"]

#: subcommand -> its module (each has ``add_parser(sub)`` and sets ``run``), in the order ``--help`` lists them
SUBCOMMANDS: dict[str, ModuleType] = {
    "verify": verify, "game": game, "check": check, "sweep": sweep, "queue": queue, "system": system,
    "noise": noise, "laws": laws, "atlas": atlas, "xor": xor, "routers": routers, "slots": slots,
}
COMMANDS: tuple[str, ...] = tuple(SUBCOMMANDS)


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
    for module in SUBCOMMANDS.values():
        module.add_parser(sub)
    return parser


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text if len(text) <= 2000 else text[:2000] + " ..."


def _stdout_to_devnull() -> None:
    """Point standard output at the null device, so that the flush at exit cannot fail on a closed pipe again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no file descriptor (stdout replaced, e.g. under pytest's capture): nothing to redirect
        pass


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
    from proofs.cli.progress import silenced

    try:
        with silenced(bool(getattr(args, "json", False) or getattr(args, "quiet", False))):  # no progress lines with --json or --quiet
            code = int(args.run(args))
            sys.stdout.flush()  # a reader that went away is noticed here, not in the interpreter's exit
            return code
    except BrokenPipeError:  # the reader closed the pipe (`qcoord ... --json | head`): stop quietly, as Unix tools do
        _stdout_to_devnull()
        return 128 + 13  # the shell's code for a process ended by SIGPIPE
    except QcoordError as exc:
        print(f"qcoord {args.command}: error: {_one_line(exc)}", file=sys.stderr)
        return 2
    except MemoryError:
        print(f"qcoord {args.command}: error: out of memory (the request is larger than this machine's memory allows; "
              "use smaller sizes)", file=sys.stderr)
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
