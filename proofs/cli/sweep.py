"""``qcoord sweep``: certified classical value of the paper's game across C, its minimiser, the quantum gap.

For each ``C`` on the grid: the certified continuum classical bracket, the
switch structure of the lower-bound strategy, and (unless ``--quantum off``)
the certified lower bound on the quantum-classical gap ``quantum.lower -
classical.upper`` from the ``--N``-bin quantum bracket.  The grid minimiser
is reported with its bracket and with every grid point that the brackets
cannot exclude.  The computation is :func:`proofs.certify.sweep.certify_sweep`;
this module parses, calls it, prints and plots.

JSON (``--json``, schema ``proofs/cli/schemas/sweep.json``; brackets of :mod:`proofs.cli.output`)::

    {"schema", "schema_version", "rows": [{"C", "continuum": {"classical": BRACKET, "quantum": BRACKET}, "gap_lower", "structure"}],
     "minimiser": {"C", "classical": INTERVAL, "unresolved_grid_points", "min_value_over_interval": INTERVAL, "minimiser_cells"},
     "certified_minimiser": {"C": INTERVAL, "value": INTERVAL, "best_C", "best_bracket": INTERVAL, "cells", "evaluations", "bins", "tol"},
     "gap_peak": {"C", "gap_lower", "positive_at"}, "quantum", "N", "bins", "seed", "paper", "plot", "certificates": [PATH, ...]}
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

import numpy as np

from proofs.claims.paper import STATED
from proofs.cli.jobs import dask_option, workers_option
from proofs.cli.options import (
    C_MAX,
    C_MIN,
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
from proofs.exact.errors import ProofsParameterError

#: most grid points (each costs a certified continuum classical bracket and an N-bin quantum bracket, seconds to
#: a minute apiece on a shared 2-core machine)
STEPS_MAX = 100

# The paper's stated values (Sec. 4.3, Eq. 5), printed beside ours, never used as results.
PAPER = {"C_t": STATED["C_t"], "classical": STATED["classical"]}


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "sweep",
        parents=[n_option("bins per input of the quantum bracket"), seed_option(), bins_option(200), cert_dir_option(),
                 json_option(), quiet_option(), plot_option("plot the brackets, the gap and the switch points"), workers_option(1), dask_option()],
        help="certified classical value (and quantum gap) of the paper's game across C",
    )
    p.add_argument("--C-min", dest="C_min", type=real("--C-min", C_MIN, C_MAX), default=0.05,
                   help=f"smallest C in [{C_MIN:g}, {C_MAX:g}] (default 0.05)")
    p.add_argument("--C-max", dest="C_max", type=real("--C-max", C_MIN, C_MAX), default=0.95,
                   help=f"largest C in [{C_MIN:g}, {C_MAX:g}] (default 0.95)")
    p.add_argument("--steps", type=integer("--steps", 1, STEPS_MAX), default=19,
                   help=f"number of grid points, at most {STEPS_MAX} (each is a certified classical and quantum bracket; default 19)")
    p.add_argument("--tol", type=real("--tol", 1e-7, 1), default=1e-4,
                   help="length of the certified interval holding the minimiser, in [1e-7, 1] (default 1e-4)")
    p.add_argument("--quantum", choices=("on", "off"), default="on", help="include the certified quantum bracket and gap (default on)")
    p.set_defaults(run=run)


def _iv(args: argparse.Namespace) -> None:
    if args.C_min > args.C_max:
        raise ProofsParameterError(f"`--C-min` must not exceed `--C-max`; got {args.C_min} > {args.C_max}")
    require_bins_memory("--bins", args.bins)
    if args.quantum == "on":
        require_n_memory("--N", args.N)


def run(args: argparse.Namespace) -> int:
    _iv(args)
    from proofs.certify.sweep import certify_sweep
    from proofs.cli.progress import for_command

    quantum_n = args.N if args.quantum == "on" else None
    res = certify_sweep(args.C_min, args.C_max, args.steps, bins=args.bins, quantum_n=quantum_n, tol=args.tol, cert_dir=args.cert_dir, seed=args.seed,
                        workers=args.workers, dask=args.dask, on_progress=for_command(args, "sweep"))
    rows, summ = res.rows(), res.summary()
    out = {
        "rows": rows, **summ, "quantum": args.quantum, "N": res.quantum_n, "bins": res.bins, "seed": res.seed,
        "paper": {**PAPER, "note": "values stated in the paper (Sec. 4.3, Eq. 5), for comparison"},
    }
    if args.plot:
        out["plot"] = str(plot(rows, summ, args.plot))
    if args.json:
        print_json(sweep_json(out))
        return 0
    from proofs.cli.output import trivial_note

    print(f"{'C':>8}  {'classical lower':>16}  {'classical upper':>16}  {'width':>8}  {'#sw g':>5} {'#sw h':>5}  {'quantum lower':>14}  {'gap lower':>10}")
    for r in rows:
        c = r["classical"]
        q = r.get("quantum", {})
        ql = f"{q['lower']:.6f}" if "lower" in q else "n/a"
        gl = f"{r['gap_lower']:+.6f}" if "gap_lower" in r else "n/a"
        notes = "".join(f" {m}{trivial_note(b)}" for m, b in _row_json(r)["continuum"].items() if trivial_note(b))
        print(f"{r['C']:8.4f}  {c['lower']:16.10f}  {c['upper']:16.10f}  {c['width']:8.1e}  {r['structure']['n_switches_g']:5d} {r['structure']['n_switches_h']:5d}  {ql:>14}  {gl:>10}{notes}")
    m = summ["minimiser"]
    print(f"\nminimiser on the grid: C = {m['C']}  classical value in [{m['lower']:.10f}, {m['upper']:.10f}]  (paper: C_t ~ {PAPER['C_t']}, {PAPER['classical']})")
    print(f"grid points the certified brackets cannot exclude as minimiser: {m['unresolved_grid_points']}")
    if "certified_minimiser" in summ:
        cm = summ["certified_minimiser"]
        print(
            f"certified over all C in [{args.C_min}, {args.C_max}] (branch and bound in C, Lipschitz lemma |dV/dC| <= |ln C|):\n"
            f"  argmin_C V(C) in [{cm['interval'][0]:.6f}, {cm['interval'][1]:.6f}],  min_C V(C) in [{cm['value']['lower']:.10f}, {cm['value']['upper']:.10f}]"
            f"  ({cm['evaluations']} certified brackets)"
        )
    if "gap_peak" in summ:
        g = summ["gap_peak"]
        print(f"certified quantum-classical gap peaks at C = {g['C']}: gap >= {g['gap_lower']:.6f}")
    elif args.quantum == "off":
        print("quantum columns switched off (--quantum off)")
    if args.plot:
        print(f"plot written to {out['plot']}")
    return 0


def _row_json(r: dict[str, Any]) -> dict[str, Any]:
    from proofs.cli.output import bracket_of_values

    c = r["classical"]
    lo_path, up_path = c["certificates"]
    cont = {"classical": {**bracket_of_values(c["lower"], c["upper"], {"lower": lo_path, "upper": up_path}, "winning probability"),
                          "exact": c["exact"], "method": c["method"]}}
    if "quantum" in r:
        q = r["quantum"]
        cont["quantum"] = bracket_of_values(q["lower"], q["upper"], dict(zip(("lower", "upper"), q["certificates"])), "winning probability")
    out = {"C": r["C"], "continuum": cont}
    if "gap_lower" in r:
        out["gap_lower"] = r["gap_lower"]
    out["structure"] = r["structure"]
    return out


def sweep_json(out: dict[str, Any]) -> dict[str, Any]:
    """The ``--json`` object of ``qcoord sweep`` (schema ``sweep.json``) from the assembled results."""
    from proofs.cli.output import finish

    m = out["minimiser"]
    body: dict[str, Any] = {
        "rows": [_row_json(r) for r in out["rows"]],
        "minimiser": {"C": m["C"], "classical": {"lower": m["lower"], "upper": m["upper"]}, "unresolved_grid_points": m["unresolved_grid_points"],
                      "min_value_over_interval": m["min_value_over_interval"], "minimiser_cells": [list(c) for c in m["minimiser_cells"]]},
    }
    if "certified_minimiser" in out:
        cm = dict(out["certified_minimiser"])
        a, b = cm.pop("interval")
        lo, up = cm.pop("best_bracket")
        body["certified_minimiser"] = {"C": {"lower": a, "upper": b}, **cm, "best_bracket": {"lower": lo, "upper": up},
                                       "cells": [list(c) for c in cm["cells"]]}
    if "gap_peak" in out:
        body["gap_peak"] = out["gap_peak"]
    body.update({k: out[k] for k in ("quantum", "N", "bins", "seed", "paper", "plot") if k in out})
    return finish("sweep", body)


def plot(rows: list[dict[str, Any]], summ: dict[str, Any], path: str) -> Path:
    """Write the sweep figure to ``path``; return the path written."""
    from games.figures import pyplot, save_figure

    plt = pyplot()

    C = np.array([r["C"] for r in rows])
    lo = np.array([r["classical"]["lower"] for r in rows])
    up = np.array([r["classical"]["upper"] for r in rows])
    has_q = any("lower" in r.get("quantum", {}) for r in rows)
    fig, axes = plt.subplots(3 if has_q else 2, 1, figsize=(7, 9 if has_q else 6.5), sharex=True)
    ax = axes[0]
    ax.fill_between(C, lo, up, color="C0", alpha=0.4, label="certified classical bracket (continuum)")
    ax.plot(C, lo, "C0.-", lw=1)
    if has_q:
        qC = [r["C"] for r in rows if "lower" in r.get("quantum", {})]
        ax.plot(qC, [r["quantum"]["lower"] for r in rows if "lower" in r.get("quantum", {})], "C3.-", lw=1, label="certified quantum lower bound")
    m = summ["minimiser"]
    if "certified_minimiser" in summ:
        a, b = summ["certified_minimiser"]["interval"]
        ax.axvspan(a, b, color="C0", alpha=0.3, label=f"certified argmin C in [{a:.4f}, {b:.4f}]")
    ax.axvline(m["C"], color="C0", ls=":", label=f"grid minimiser C = {m['C']}")
    ax.plot([PAPER["C_t"]], [PAPER["classical"]], "kx", ms=9, label=f"paper: C_t ~ {PAPER['C_t']}, {PAPER['classical']}")
    ax.set_ylabel("winning probability")
    ax.legend(fontsize=7, loc="best")
    k = 1
    if has_q:
        ax = axes[1]
        gC = [r["C"] for r in rows if "gap_lower" in r]
        ax.plot(gC, [r["gap_lower"] for r in rows if "gap_lower" in r], "C2.-")
        ax.axhline(0, color="k", lw=0.5)
        ax.set_ylabel("certified gap lower bound")
        k = 2
    ax = axes[k]
    for r in rows:
        ax.plot([r["C"]] * len(r["structure"]["a_switches"]), r["structure"]["a_switches"], "C1o", ms=3)
        ax.plot([r["C"]] * len(r["structure"]["b_switches"]), r["structure"]["b_switches"], "C4s", ms=3, mfc="none")
    ax.plot([], [], "C1o", ms=3, label="switch points of g (a)")
    ax.plot([], [], "C4s", ms=3, mfc="none", label="switch points of h (b)")
    ax.set_ylabel("switch point")
    ax.set_xlabel("C = exp(-mu t)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return save_figure(fig, path, dpi=120)
