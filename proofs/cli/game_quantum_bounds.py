"""Extension of ``qcoord game``: certified quantum brackets (Tsirelson SDP).

Adds to the JSON output (brackets of :mod:`proofs.cli.output`)::

    "quantum": {"lower", "upper", "width", "certificate": {"lower", "upper"}, "trivial", "trivial_sides", "rank", "method"}
    "continuum": {"quantum": {...a bracket (crossed-cell relaxation)...},
                  "quantum_second_order": {...a bracket..., "method", "N", "tau", "seconds"} or null}
                                                   (with --continuum; null: grid too coarse for lemma Q6)
    "anatomy": {"rank", "local_dimension", "linear_fit", "plot"}  (with --plot PATH)

``lower``/``upper`` are winning probabilities proved by checked certificates
(``qcoord check FILE`` re-verifies them); ``rank`` is the rank of the
optimal Gram matrix (2 = a qubit measured in one plane of the Bloch sphere).
"""

from __future__ import annotations

import argparse


def extend(args: argparse.Namespace, disc, out: dict, lines: list[str]) -> None:  # noqa: ANN001
    from proofs.certify.quantum import certify_quantum
    from proofs.cli.output import bracket, trivial_note

    cont = bool(args.continuum)
    res = certify_quantum(disc.game, disc.n, continuum=cont, cert_dir=args.cert_dir, method=args.quantum_method, seed=args.seed)
    out["quantum"] = qb = bracket(res.bracket, rank=res.rank, method=res.result.method)
    b = res.bracket
    lines.append(
        f"quantum value, N = {disc.n}        [{float(b.lower.value):.10f}, {float(b.upper.value):.10f}]  "
        f"certified (Tsirelson dual), rank {res.rank}  {res.paths['upper']}{trivial_note(qb)}"
    )
    plot = args.plot
    if plot:
        from bounds.anatomy import anatomy, plot_anatomy

        anat = anatomy(res.result.strategy)
        ansatz = {"best linear fit of the optimum": anat.linear_fit()}
        lin = out.get("estimates", {}).get("ansatz_linear", {}).get("params")
        if lin:
            ansatz["linear ansatz (optimised)"] = tuple(lin)
        path = plot_anatomy(anat, plot, ansatz=ansatz, title=f"optimal angles, {disc.game.name}, N = {disc.n} (Gram rank {anat.rank})")
        out["anatomy"] = {"rank": anat.rank, "local_dimension": anat.local_dimension, "linear_fit": list(anat.linear_fit()), "plot": str(path)}
        lines.append(f"optimal strategy: Gram rank {anat.rank} (local dimension {anat.local_dimension}); angle plot {path}")
    if cont and res.continuum is not None:
        c = res.continuum
        out.setdefault("continuum", {})["quantum"] = cq = bracket(c)
        lines.append(
            f"quantum value, continuum      [{float(c.lower.value):.10f}, {float(c.upper.value):.10f}]  "
            f"certified (crossed-cell relaxation), width {float(c.width):.1e}  {res.paths['continuum_upper']}{trivial_note(cq)}"
        )
        from proofs.certify.quantum_continuum import certify_quantum_continuum
        from proofs.exact.errors import SolverError

        try:
            q6 = certify_quantum_continuum(disc.game, disc.n, cert_dir=args.cert_dir, result=res.result, lower=(res.paths["continuum_lower"], c.lower))
        except SolverError as exc:  # a grid too coarse for lemma Q6 (tau > 1): the relaxation's bracket stands alone
            out["continuum"]["quantum_second_order"] = None
            lines.append(f"quantum value, continuum      lemma Q6 gives nothing at N = {disc.n} ({exc})")
        else:
            out["continuum"]["quantum_second_order"] = bracket(q6.bracket, method="second-order dual (lemma Q6)", N=q6.n, tau=float(q6.tau),
                                                               seconds=q6.seconds)
            lines.append(
                f"quantum value, continuum      [{float(q6.bracket.lower.value):.10f}, {float(q6.bracket.upper.value):.10f}]  "
                f"certified (second-order dual, lemma Q6), width {float(q6.bracket.width):.1e}  {q6.paths['upper']}"
            )
