"""The figures registry: functions, not strings; certificates go to the cert_dir it is given; no import of the folder module."""

from __future__ import annotations

import ast
import inspect
import os
from pathlib import Path

from proofs.checkers.registry import check_certificate
from proofs.report import figures
from proofs.report.figures import FIGURES, Figure, draw


def test_registry_holds_the_drawing_functions():
    names = [f.name for f in FIGURES]
    assert names == ["bunch-region", "angles", "c-sweep", "waiting-time", "frontier", "routers"]
    for f in FIGURES:
        assert callable(f.function) and f.function.__module__ == figures.__name__, f.name
        params = inspect.signature(f.function).parameters
        assert list(params)[:3] == ["path", "quick", "cert_dir"], f.name
        assert set(list(params)[3:]) <= {"workers", "dask"} and all(params[k].default is not inspect.Parameter.empty for k in list(params)[3:]), f.name
        assert params["quick"].kind is params["cert_dir"].kind is inspect.Parameter.KEYWORD_ONLY, f.name


def test_figures_module_does_not_import_the_folder_module():
    tree = ast.parse(Path(figures.__file__).read_text())
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
    assert not {m for m in imported if m.startswith("proofs.report.folder")}
    assert "importlib" not in imported
    # and no "module:function" strings either
    strings = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    assert not [s for s in strings if s.startswith("proofs.") and ":" in s]


def test_draw_passes_the_figures_cert_dir_and_leaves_the_environment_alone(tmp_path, monkeypatch):
    """A figure that certifies (here: one classical bracket) writes into certificates/figures/<name>/ of the report."""
    monkeypatch.setenv("QCOORD_CERT_DIR", str(tmp_path / "decoy"))
    before = dict(os.environ)

    def tiny(path: Path, *, quick: bool, cert_dir: Path) -> str:
        from games import paper_game
        from proofs.certify.classical import certify_classical

        res = certify_classical(paper_game(0.5), continuum=True, bins=20, cert_dir=cert_dir)
        path.write_bytes(b"\x89PNG\r\n\x1a\n")
        return f"bracket [{float(res.bracket.lower.value):.4f}, {float(res.bracket.upper.value):.4f}]"

    root = tmp_path / "r"
    (root / "figures").mkdir(parents=True)
    entry = draw(Figure("tiny", tiny), root, quick=True)
    assert "error" not in entry, entry
    assert dict(os.environ) == before and not (tmp_path / "decoy").exists()
    certs = entry["certificates"]
    assert len(certs) == 2 and all(c.startswith("certificates/figures/tiny/") for c in certs)
    sides = sorted(check_certificate(root / c).side for c in certs)
    assert sides == ["lower", "upper"]


def test_draw_passes_workers_and_dask_only_to_figures_that_take_them(tmp_path):
    seen = {}

    def batches(path, *, quick, cert_dir, workers=1, dask=None):  # noqa: ANN001, ANN202
        seen["batches"] = (workers, dask)
        return "ok"

    def plain(path, *, quick, cert_dir):  # noqa: ANN001, ANN202
        seen["plain"] = True
        return "ok"

    for fn in (batches, plain):
        entry = draw(Figure(fn.__name__, fn), tmp_path, quick=True, workers=2, dask="tcp://h:1")
        assert "error" not in entry, entry
    assert seen == {"batches": (2, "tcp://h:1"), "plain": True}
    draw(Figure("batches", batches), tmp_path, quick=True)  # not given: the figure's own defaults
    assert seen["batches"] == (1, None)
    assert "workers" in inspect.signature(figures.c_sweep).parameters  # the report's sweep runs on the job layer
