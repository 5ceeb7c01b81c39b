"""Shared fixtures of the solve-and-certify tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from proofs.certify.jobs import InlineExecutor


class ElsewhereExecutor(InlineExecutor):
    """Runs each job here, then deletes the files it wrote in ``folder``: like a Dask worker on another machine, whose files stay there."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def submit(self, fn, /, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        before = set(self.folder.iterdir()) if self.folder.exists() else set()
        fut = super().submit(fn, *args, **kwargs)
        for p in set(self.folder.iterdir()) - before:
            p.unlink()
        return fut


@pytest.fixture
def elsewhere() -> type[ElsewhereExecutor]:
    """The executor class whose jobs' files vanish (``elsewhere(folder)``)."""
    return ElsewhereExecutor
