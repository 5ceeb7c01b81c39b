"""Headless matplotlib set-up and figure saving shared by every plot qcoord writes (games, bounds and proofs)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["pyplot", "save_figure"]


def pyplot() -> Any:
    """``matplotlib.pyplot`` on the non-interactive Agg backend (no display needed)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def save_figure(fig: Any, path: str | Path, *, dpi: int = 130) -> Path:
    """Write ``fig`` to ``path`` (parent folders created), close it, return the path.

    >>> import tempfile, os
    >>> plt = pyplot()
    >>> save_figure(plt.figure(), os.path.join(tempfile.mkdtemp(), "a", "f.png")).name
    'f.png'
    """
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(p, dpi=dpi)
    pyplot().close(fig)
    return p
