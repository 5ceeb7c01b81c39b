"""``qcoord atlas``: the certified system-level advantage over a grid of operating points, resumable.

The grid (:mod:`proofs.certify.atlas`): ``--rho``, ``--W-fraction`` (``W_l``
as a fraction in (0, 1) of the way from the always-split to the
always-bunch waiting time), ``--law``, ``--v`` (visibility of Werner pairs;
``v < 1`` for the exponential law only) and ``--k`` (``T(t) = t^k``), each a
comma-separated list, or a ``--grid`` file (TOML or JSON: a table
``{axis: [values]}`` with the axes ``rho``, ``W_fraction``, ``law``, ``v``,
``k``; options given on the command line replace the file's axes).  Each
point ``(rho, f, law, v)`` gets certified brackets of ``p_c`` and ``p_q``,
``p_ideal`` and the certified ``R_k`` lower bound of every ``k``.

Writes under ``--out``: ``points/`` (one file per finished point: a rerun
of the same command skips them), ``certificates/``, ``atlas.csv``,
``atlas.parquet`` (with ``pyarrow``) and the heat maps ``atlas_R3.png`` and
``atlas_gap_closed.png``.  ``--workers N`` runs N local processes, ``--dask
ADDRESS`` (or ``$QCOORD_DASK``) an existing Dask cluster.

JSON (``--json``)::

    {"out", "qcoord_version", "grid": {axis: [values]}, "points", "rows", "computed", "skipped", "failed",
     "status": {status: count}, "failures": [{"rho", "W_fraction", "law", "v", "reason"}],
     "best_R_3_lower": {"rho", "W_fraction", "law", "v", "R_3_lower", "p_c_lower", "p_q_upper"} or null,
     "csv", "parquet" (or null), "figures", "notes", "seconds"}
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from proofs.cli.jobs import dask_option, workers_option
from proofs.cli.options import json_option, parse_real, print_json, quiet_option, writable_dir


def _axis(name: str, text_values: bool = False):  # noqa: ANN202 -- an argparse type
    """Argument type: a comma-separated list (possibly empty: the grid check then says the axis is empty)."""

    def parse(text: str) -> list:
        items = [t.strip() for t in text.split(",")] if text.strip() else []
        if len(items) > 1000:
            raise argparse.ArgumentTypeError(f"`{name}` takes at most 1000 comma-separated values; got {len(items)}")
        if text_values:
            return items
        return [parse_real(t, name) for t in items]

    parse.__name__ = name
    return parse


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("atlas", parents=[json_option(), quiet_option(), workers_option(1), dask_option()],
                       help="certified p_c, p_q and R_k over a grid of (rho, W_l, law, v, k); resumable; local processes or a Dask cluster")
    p.add_argument("--grid", default=None, metavar="FILE", help="a .toml or .json file: a table {axis: [values]} of the axes rho, W_fraction, law, v, k")
    p.add_argument("--rho", type=_axis("--rho"), default=None, metavar="R,R,...", help="loads rho in [0.01, 0.999] (default 0.3,0.6,0.8)")
    p.add_argument("--W-fraction", dest="W_fraction", type=_axis("--W-fraction"), default=None, metavar="F,F,...",
                   help="W_l = W_split + f (W_bunch - W_split), f in (0, 1) (default 0.15,0.3)")
    p.add_argument("--law", type=_axis("--law", text_values=True), default=None, metavar="NAME[:PARAM],...",
                   help="catalogue service laws of mean 1 (default exponential)")
    p.add_argument("--v", type=_axis("--v"), default=None, metavar="V,V,...",
                   help="visibilities of the Werner pairs in [0, 1]; v < 1 needs the exponential law (default 1)")
    p.add_argument("--k", type=_axis("--k"), default=None, metavar="K,K,...", help="T(t) = t^k, k in [1, 50]: one table row per k (default 3)")
    p.add_argument("--out", type=writable_dir("--out"), default="qcoord-atlas", metavar="DIR",
                   help="output folder: points/, certificates/, atlas.csv, atlas.parquet, heat maps (default ./qcoord-atlas)")
    p.add_argument("--retry-failed", action="store_true", help="compute again the points an earlier run recorded as failed")
    p.add_argument("--no-plot", dest="plot", action="store_false", help="do not draw the heat maps")
    p.set_defaults(run=run)


def _grid(args: argparse.Namespace):  # noqa: ANN202
    from proofs.certify.atlas import AtlasGrid, load_grid

    axes = dict(load_grid(args.grid)) if args.grid is not None else {}
    names = {name: f"{name} (in {args.grid})" for name in axes}
    for name, option in (("rho", "--rho"), ("W_fraction", "--W-fraction"), ("law", "--law"), ("v", "--v"), ("k", "--k")):
        value = getattr(args, name)
        if value is not None:
            axes[name], names[name] = value, option
    return AtlasGrid.from_mapping(axes, names)


def run(args: argparse.Namespace) -> int:
    from proofs.certify.atlas import run_atlas

    grid = _grid(args)  # every check of the grid, before any work
    res = run_atlas(grid, args.out, workers=args.workers, dask=args.dask, progress=False if args.json or args.quiet else None, plot=args.plot,
                    retry_failed=args.retry_failed)
    if args.json:
        from proofs.cli.output import finish

        certs = sorted(str(p) for p in (Path(args.out) / "certificates").glob("*.json"))
        print_json(finish("atlas", res.to_dict(), certs, walk=False))
        return 0
    for note in res.notes:
        print(f"qcoord atlas: {note}", file=sys.stderr)
    d = res.to_dict()
    print(f"atlas: {res.points} points ({len(res.rows)} rows): {res.computed} computed, {res.skipped} already done, {len(res.failed)} failed; "
          f"{res.seconds:.1f} s")
    print("status: " + ", ".join(f"{k} {v}" for k, v in d["status"].items()))
    b = d["best_R_3_lower"]
    if b is not None:
        print(f"largest certified R_3 >= {b['R_3_lower']:.6f} at rho = {b['rho']:g}, f = {b['W_fraction']:g}, {b['law']}, v = {b['v']:g}")
    for f in res.failed[:10]:
        print(f"failed: rho = {f['rho']:g}, f = {f['W_fraction']:g}, {f['law']}, v = {f['v']:g}: {f['reason']}")
    if len(res.failed) > 10:
        print(f"... and {len(res.failed) - 10} more failures (see the table)")
    print(f"table: {res.csv}" + (f", {res.parquet}" if res.parquet is not None else ""))
    if res.figures:
        print("heat maps: " + ", ".join(str(p) for p in res.figures))
    return 0
