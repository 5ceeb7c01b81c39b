"""Extension of ``qcoord game``: certified quantum brackets (Tsirelson SDP).

Adds to the JSON output (keeping the ansatz keys already there)::

    "quantum": {..., "lower", "upper", "width", "rank", "certificate", "certificates"}
    "continuum": {"quantum": {"lower", "upper", "width", "certificates"}}    (with --continuum)
    "quantum": {..., "anatomy": {"rank", "local_dimension", "linear_fit", "plot"}}  (with --anatomy-plot PATH)

``lower``/``upper`` are winning probabilities proved by checked certificates
(``qcoord check FILE`` re-verifies them); ``rank`` is the rank of the
optimal Gram matrix (2 = a qubit measured in one plane of the Bloch sphere).
"""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    if not any(a.dest == "continuum" for a in parser._actions):
        parser.add_argument("--continuum", action="store_true", help="also bound the continuum (N -> infinity) game")
    parser.add_argument(
        "--quantum-method", dest="quantum_method", choices=("fast", "scs", "clarabel"), default="fast",
        help="Tsirelson SDP solver (default fast; scs/clarabel only for small N)",
    )
    parser.add_argument(
        "--anatomy-plot", dest="anatomy_plot", default=None, metavar="PATH",
        help="write a plot of the optimal angle functions beside the linear ansatz to PATH (png)",
    )


def extend(args: argparse.Namespace, disc, out: dict, lines: list[str]) -> None:  # noqa: ANN001
    from proofs.quantum_bracket import certify_quantum

    cont = bool(getattr(args, "continuum", False))
    res = certify_quantum(
        disc.game, disc.n, continuum=cont, cert_dir=getattr(args, "cert_dir", None),
        method=getattr(args, "quantum_method", "fast"), seed=getattr(args, "seed", 0),
    )
    out.setdefault("quantum", {}).update(res.to_dict())
    b = res.bracket
    lines.append(
        f"quantum value, N = {disc.n}        [{float(b.lower.value):.10f}, {float(b.upper.value):.10f}]  "
        f"certified (Tsirelson dual), rank {res.rank}  {res.paths['upper']}"
    )
    plot = getattr(args, "anatomy_plot", None)
    if plot:
        from bounds.anatomy import anatomy, plot_anatomy

        anat = anatomy(res.result.strategy)
        ansatz = {"best linear fit of the optimum": anat.linear_fit()}
        lin = out.get("quantum", {}).get("ansatz_linear", {}).get("params")
        if lin:
            ansatz["linear ansatz (optimised)"] = tuple(lin)
        path = plot_anatomy(anat, plot, ansatz=ansatz, title=f"optimal angles, {disc.game.name}, N = {disc.n} (Gram rank {anat.rank})")
        out["quantum"]["anatomy"] = {"rank": anat.rank, "local_dimension": anat.local_dimension, "linear_fit": list(anat.linear_fit()), "plot": str(path)}
        lines.append(f"optimal strategy: Gram rank {anat.rank} (local dimension {anat.local_dimension}); angle plot {path}")
    if cont and res.continuum is not None:
        c = res.continuum
        out.setdefault("continuum", {})["quantum"] = {
            "lower": float(c.lower.value), "upper": float(c.upper.value), "width": float(c.width),
            "certificates": [res.paths["continuum_lower"], res.paths["continuum_upper"]],
        }
        lines.append(
            f"quantum value, continuum      [{float(c.lower.value):.10f}, {float(c.upper.value):.10f}]  "
            f"certified (crossed-cell relaxation), width {float(c.width):.1e}  {res.paths['continuum_upper']}"
        )
