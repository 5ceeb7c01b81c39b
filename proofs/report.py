"""Plain-text tables for the CLI."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

__all__ = ["claims_table", "table"]


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Left-aligned plain-text table.

    >>> print(table(["a", "b"], [[1, "x"]]))
    a  b
    -  -
    1  x
    """
    cells = [[str(c) for c in r] for r in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    line = lambda r: "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip()  # noqa: E731
    out = [line(headers), line(["-" * w for w in widths])]
    out += [line(r) for r in cells]
    return "\n".join(out)


def claims_table(rows: Sequence[tuple]) -> str:
    """The verification report: one block per claim."""
    blocks = []
    counts: dict[str, int] = {}
    for claim, res, secs in rows:
        counts[res.status] = counts.get(res.status, 0) + 1
        ev = textwrap.fill(res.evidence, width=100, initial_indent="    evidence: ", subsequent_indent="              ")
        blocks.append(
            f"[{res.status.upper()}] {claim.id}  ({claim.where})\n"
            f"    paper:    {claim.statement}\n"
            f"    stated:   {claim.paper_value}\n"
            f"    qcoord:   {res.ours}\n{ev}\n    time:     {secs:.1f} s"
        )
    summary = ", ".join(f"{v} {k}" for k, v in sorted(counts.items()))
    return "\n\n".join(blocks) + f"\n\nSummary: {summary}."
