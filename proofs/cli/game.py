"""``qcoord game``: estimates and certified bounds for one game.

Output keys (``--json``, schema ``proofs/cli/schemas/game.json``)::

    {"schema", "schema_version", "C", "N", "game",
     "estimates": {"classical": {"value", "method", ...}, "ansatz_linear": {"value", "params", ...}, "ansatz_quadratic": {...}},
     "classical": BRACKET, "quantum": BRACKET, "continuum": {"classical": BRACKET, "quantum": BRACKET},
     "paper": {...the paper's stated values, for comparison...}, "certificates": [PATH, ...]}

The modules :mod:`proofs.cli.game_classical_bounds` and
:mod:`proofs.cli.game_quantum_bounds` add the certified keys through
``extend(args, disc, out, lines)``.  Every option is checked before any
search starts: ranges while parsing (:mod:`proofs.cli.options`), then
the memory the N x N game needs and whether the certificate arithmetic can
classify the game's cells exactly.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterable

from proofs.claims.paper import STATED
from proofs.cli import game_classical_bounds, game_quantum_bounds
from proofs.cli.options import (
    C_MAX,
    C_MIN,
    N_MAX,
    bins_option,
    cert_dir_option,
    integer,
    json_option,
    n_option,
    plot_option,
    print_json,
    quiet_option,
    real,
    require_bins_memory,
    require_n_memory,
    seed_option,
)
from proofs.cli.output import finish
from proofs.exact.errors import ProofsParameterError

EXTENSIONS = (game_classical_bounds, game_quantum_bounds)

# The paper's stated values (Eq. 5, Eq. 6, Sec. 4.4), printed beside ours, never used as results.
PAPER = STATED
#: default C of the paper's game (the paper's C_t = 0.33); the range is [C_MIN, C_MAX] of
#: :mod:`proofs.cli.options`.  The exact checkers read C as its shortest decimal p/q.
DEFAULT_C = 0.33


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "game",
        parents=[n_option("bins per input of the N-bin game (the paper's comparison: --N 1000)"), seed_option(), bins_option(200), cert_dir_option(), json_option(), quiet_option(),
                 plot_option("plot the optimal angle functions beside the linear ansatz")],
        help="estimate (and bound) the classical and quantum values of the paper's game",
    )
    p.add_argument(
        "--C", type=real("--C", C_MIN, C_MAX), default=None,
        help=f"threshold constant C = exp(-mu t) of the paper's game, in [{C_MIN:g}, {C_MAX:g}] (default {DEFAULT_C})",
    )
    p.add_argument("--game", choices=("paper", "linear"), default="paper", help="paper's game (default) or the linear-boundary game")
    p.add_argument("--continuum", action="store_true", help="also bound the continuum (N -> infinity) game")
    p.add_argument(
        "--exact-max-n", dest="exact_max_n", type=integer("--exact-max-n", 0, N_MAX), default=1024,
        help=f"largest N solved exactly by branch and bound, an integer in [0, {N_MAX}] (default 1024; 0: never)",
    )
    p.add_argument(
        "--quantum-method", dest="quantum_method", choices=("fast", "scs", "clarabel"), default="fast",
        help="Tsirelson SDP solver (default fast; scs/clarabel only for small N)",
    )
    p.set_defaults(run=run)


def preflight(args: argparse.Namespace) -> None:
    """Checks that need more than one option; cheap, and run before any search."""
    from games import linear_boundary_game, paper_game

    if args.game == "linear" and args.C is not None:
        raise ProofsParameterError(f"`--C` applies to the paper's game only; got --C {args.C} with --game linear")
    if args.game == "paper" and args.C is None:
        args.C = DEFAULT_C
    require_n_memory("--N", args.N)
    require_bins_memory("--bins", args.bins)
    paper_game(args.C) if args.game == "paper" else linear_boundary_game()  # validates C before any search


def run(args: argparse.Namespace) -> int:
    from games import discretise, linear_boundary_game, paper_game
    from games.classical_search import classical_estimate
    from games.quantum_search import LINEAR, QUADRATIC, optimise_angles

    preflight(args)
    game = paper_game(args.C) if args.game == "paper" else linear_boundary_game()
    disc = discretise(game, args.N)
    cl = classical_estimate(disc, seed=args.seed)
    lin = optimise_angles(disc, LINEAR, seed=args.seed)
    quad = optimise_angles(disc, QUADRATIC, seed=args.seed)
    out: dict = {
        "C": args.C if args.game == "paper" else None,
        "N": args.N,
        "game": game.describe(),
        "estimates": {
            "classical": cl.to_dict(),
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
    for ext in EXTENSIONS:
        ext.extend(args, disc, out, lines)
    if args.json:
        print_json(finish("game", out))
    else:
        print("\n".join(lines))
        print("\nEstimates are values of explicit strategies found by heuristic search; they are lower bounds only once a proofs/ checker verifies them.")
    return 0


def _paper(key: str, args: argparse.Namespace) -> str:
    return f"{PAPER[key]:.4f}" if args.game == "paper" else "  -   "


def _fmt(params: Iterable[float]) -> str:
    return "(" + ", ".join(f"{x:.3f}" for x in params) + ")"
