"""``qcoord game``: estimates (and, where available, certified bounds) for one game.

Output keys (``--json``)::

    {"C", "N", "game",
     "classical": {"estimate": {"value", "method", ...}},
     "quantum": {"ansatz_linear": {"value", "params"}, "ansatz_quadratic": {"value", "params"}},
     "paper": {...the paper's stated values, for comparison...}}

Extension modules listed in :data:`EXTENSIONS` add keys (certified bounds)
through ``add_arguments(parser)`` and ``extend(args, disc, out, lines)``.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import sys

from proofs.paper import STATED

EXTENSIONS = ("proofs.commands.game_classical_bounds", "proofs.commands.game_quantum_bounds")

# The paper's stated values (Eq. 5, Eq. 6, Sec. 4.4), printed beside ours, never used as results.
PAPER = STATED


def _extensions():  # noqa: ANN202
    for name in EXTENSIONS:
        if importlib.util.find_spec(name) is not None:
            yield importlib.import_module(name)


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("game", help="estimate (and bound) the classical and quantum values of the paper's game")
    p.add_argument("--C", type=float, default=0.33, help="threshold constant C = exp(-mu t) in (0, 1) (default 0.33)")
    p.add_argument("--N", type=int, default=1000, help="number of bins per input (default 1000)")
    p.add_argument("--game", choices=("paper", "linear"), default="paper", help="paper's game (default) or the linear-boundary game")
    p.add_argument("--seed", type=int, default=0, help="seed of every random search (default 0)")
    p.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    for ext in _extensions():
        ext.add_arguments(p)
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from games import discretise, linear_boundary_game, paper_game
    from games.classical_search import classical_estimate
    from games.quantum_search import LINEAR, QUADRATIC, optimise_angles

    game = paper_game(args.C) if args.game == "paper" else linear_boundary_game()
    disc = discretise(game, args.N)
    cl = classical_estimate(disc, seed=args.seed)
    lin = optimise_angles(disc, LINEAR, seed=args.seed)
    quad = optimise_angles(disc, QUADRATIC, seed=args.seed)
    out: dict = {
        "C": args.C if args.game == "paper" else None,
        "N": args.N,
        "game": game.describe(),
        "classical": {"estimate": cl.to_dict()},
        "quantum": {
            "ansatz_linear": {**lin.to_dict(), "params": list(lin.parameters["params"])},
            "ansatz_quadratic": {**quad.to_dict(), "params": list(quad.parameters["params"])},
        },
    }
    if args.game == "paper":
        out["paper"] = {**PAPER, "note": "values stated in the paper (Eq. 5, Eq. 6, Sec. 4.4), for comparison"}
    lines = [
        f"game: {game.name} {game.describe()['boundary']}, N = {args.N}",
        "",
        "quantity                     qcoord        kind        paper",
        f"classical value              {cl.value:.6f}      estimate    {_paper('classical', args)}   ({cl.method})",
        f"quantum, linear ansatz       {lin.value:.6f}      estimate    {_paper('ansatz_linear', args)}   d = {_fmt(lin.parameters['params'])}",
        f"quantum, quadratic ansatz    {quad.value:.6f}      estimate    {_paper('ansatz_quadratic', args)}   d = {_fmt(quad.parameters['params'])}",
    ]
    for ext in _extensions():
        ext.extend(args, disc, out, lines)
    if args.json:
        json.dump(out, sys.stdout)
        sys.stdout.write("\n")
    else:
        print("\n".join(lines))
        print("\nEstimates are values of explicit strategies found by heuristic search; they are lower bounds only once a proofs/ checker verifies them.")
    return 0


def _paper(key: str, args: argparse.Namespace) -> str:
    return f"{PAPER[key]:.4f}" if args.game == "paper" else "  -   "


def _fmt(params) -> str:  # noqa: ANN001
    return "(" + ", ".join(f"{x:.3f}" for x in params) + ")"
