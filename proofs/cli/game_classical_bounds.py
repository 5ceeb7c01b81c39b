"""Extension of ``qcoord game``: certified classical brackets.

Adds to the JSON output (brackets of :mod:`proofs.cli.output`)::

    "classical": {"lower", "upper", "width", "certificate": {"lower", "upper"}, "trivial", "trivial_sides", "exact", "method"}
    "continuum": {"classical": {...the same...}}   (with --continuum)

``lower``/``upper`` are winning probabilities proved by checked certificates
(``qcoord check FILE`` re-verifies them); ``exact`` is true when the two
coincide up to outward rounding (the N-bin optimum is certified).
"""

from __future__ import annotations

import argparse


def extend(args: argparse.Namespace, disc, out: dict, lines: list[str]) -> None:  # noqa: ANN001
    from proofs.certify.classical import certify_classical
    from proofs.cli.output import bracket, trivial_note

    kw = {"bins": args.bins, "exact_max_n": args.exact_max_n, "cert_dir": args.cert_dir, "seed": args.seed}
    res = certify_classical(disc.game, args.N, **kw)
    out["classical"] = b = bracket(res.bracket, exact=res.exact, method=res.method)
    lines.append(
        f"classical value, N = {args.N}      [{float(res.bracket.lower.value):.10f}, {float(res.bracket.upper.value):.10f}]  "
        f"certified{' (exact)' if res.exact else ''}  {res.paths['upper']}{trivial_note(b)}"
    )
    if args.continuum:
        cont = certify_classical(disc.game, continuum=True, **kw)
        out.setdefault("continuum", {})["classical"] = cb = bracket(cont.bracket, exact=cont.exact, method=cont.method)
        lines.append(
            f"classical value, continuum    [{float(cont.bracket.lower.value):.10f}, {float(cont.bracket.upper.value):.10f}]  "
            f"certified, width {float(cont.bracket.width):.1e}  {cont.paths['upper']}{trivial_note(cb)}"
        )
