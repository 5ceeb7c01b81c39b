"""The ``qcoord`` command line: parse, call the library, print, write files.

Each subcommand lives in :mod:`proofs.commands` as a module with
``add_parser(subparsers)`` and ``run(args) -> int``.  Bad input exits with
status 2 and a one-line message on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

__all__ = ["main"]

COMMANDS = ("verify", "game", "check", "sweep", "queue")
COMMANDS += ("system",)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qcoord",
        description="Verify, bound and extend the claims of 'Entanglement improves coordination in distributed systems'.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        mod = _command_module(name)
        if mod is not None:
            mod.add_parser(sub)
    return parser


def _command_module(name: str):  # noqa: ANN202
    import importlib.util

    full = f"proofs.commands.{name}"
    if importlib.util.find_spec(full) is None:
        return None
    return importlib.import_module(full)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``qcoord`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    try:
        return int(args.run(args))
    except (ValueError, TypeError) as exc:
        print(f"qcoord {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("qcoord: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
