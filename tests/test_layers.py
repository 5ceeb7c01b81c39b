"""The house rules: every import of every module, read from its syntax tree, runs down the layers.

The layers of :mod:`proofs`, bottom to top (``docs/architecture.md``)::

    proofs.exact     trusted core: rationals, arb balls, exact game descriptions
    proofs.checkers  trusted: certificate checkers (cert, source) -> Bound
    proofs.certify   solve and certify: runs games/, bounds/, analytic/ and a checker
    proofs.claims    the paper's claims and their checks
    proofs.report    the report folder and the README's generated table
    proofs.cli       the qcoord command line

A module may import its own layer and the layers below it. The trusted part
(``proofs.exact`` and ``proofs.checkers``) imports nothing of qcoord outside
itself and no third-party package but numpy and python-flint. The domain
packages (``games``, ``analytic``, ``bounds``) may import the trusted core
(``proofs.exact``) and nothing else of :mod:`proofs`. Every import counts:
top-level or inside a function, and a ``"package.module"`` or
``"package.module:function"`` string that names a qcoord module (a lazy
registry entry) is read as an import too.
"""

from __future__ import annotations

import ast
import importlib
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("games", "analytic", "bounds", "proofs")
LAYERS = ("proofs.exact", "proofs.checkers", "proofs.certify", "proofs.claims", "proofs.report", "proofs.cli")
TRUSTED = LAYERS[:2]
TRUSTED_THIRD_PARTY = frozenset({"numpy", "flint"})
DOMAIN = ("games", "analytic", "bounds")
#: the package facade: ``proofs/__init__.py`` resolves its public names lazily, from any layer
FACADE = "proofs"
_MODULE_STRING = re.compile(r"^((?:games|analytic|bounds|proofs)(?:\.\w+)+)(?::(\w+))?$")


@dataclass(frozen=True)
class Arrow:
    """``source`` imports ``target`` at ``line`` (``lazy``: through a string)."""

    source: str
    target: str
    line: int
    lazy: bool = False


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules(root: Path) -> Iterator[tuple[str, Path]]:
    for pkg in PACKAGES:
        for path in sorted((root / pkg).rglob("*.py")):
            yield module_name(path, root), path


def arrows(name: str, source: str, is_package: bool) -> Iterator[Arrow]:
    """Every import of one module (absolute names), lazy string entries included."""
    tree = ast.parse(source)
    package = name if is_package else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Arrow(name, alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if mod == "__future__":
                continue
            yield Arrow(name, mod, node.lineno)
            for alias in node.names:  # ``from proofs.checkers import quantum`` imports proofs.checkers.quantum
                yield Arrow(name, f"{mod}.{alias.name}", node.lineno)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            m = _MODULE_STRING.match(node.value)
            if m:
                yield Arrow(name, m.group(1), node.lineno, lazy=True)


def _in(mod: str, pkg: str) -> bool:
    return mod == pkg or mod.startswith(pkg + ".")


def layer_of(mod: str) -> int | None:
    for i, pkg in enumerate(LAYERS):
        if _in(mod, pkg):
            return i
    return None


def violations(root: Path, only: set[str] | None = None) -> list[str]:
    """Every arrow in the tree under ``root`` that breaks a house rule, as readable lines.

    ``only``: read just these modules (the others still count as known modules).
    """
    known = {name for name, _ in modules(root)}
    out: list[str] = []
    for name, path in modules(root):
        if name == FACADE or (only is not None and name not in only):
            continue
        if _in(name, "proofs") and layer_of(name) is None:
            out.append(f"{name}: a module of proofs outside every layer ({', '.join(LAYERS)})")
            continue
        src_layer = layer_of(name)
        for a in arrows(name, path.read_text(), path.name == "__init__.py"):
            where = f"{path.relative_to(root)}:{a.line}"
            top = a.target.split(".")[0]
            ours = top in PACKAGES
            if ours and a.target not in known and a.target.rpartition(".")[0] in known:
                target = a.target.rpartition(".")[0]  # ``from pkg.mod import name``: the arrow is to pkg.mod
            else:
                target = a.target
            if src_layer is not None and src_layer < len(TRUSTED):
                if ours and not any(_in(target, t) for t in TRUSTED):
                    out.append(f"{where}: trusted {name} imports {target}, outside the trusted part")
                elif not ours and top not in TRUSTED_THIRD_PARTY and top not in sys.stdlib_module_names:
                    out.append(f"{where}: trusted {name} imports third-party {top}")
            if not ours:
                continue
            dst_layer = layer_of(target)
            if src_layer is not None and dst_layer is not None and dst_layer > src_layer:
                out.append(f"{where}: {name} ({LAYERS[src_layer]}) imports {target} ({LAYERS[dst_layer]}), an upward arrow")
            if any(_in(name, d) for d in DOMAIN) and _in(target, "proofs") and not _in(target, "proofs.exact"):
                out.append(f"{where}: {name} imports {target}; games, analytic and bounds may use only proofs.exact")
    return out


def test_the_tree_keeps_the_house_rules() -> None:
    found = violations(ROOT)
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    ("where", "text", "expect"),
    [
        ("proofs/checkers/planted.py", "from proofs.certify.quantum import certify_quantum\n", "upward arrow"),
        ("proofs/checkers/planted.py", "def f():\n    import bounds.tsirelson\n", "outside the trusted part"),
        ("proofs/exact/planted.py", "import scipy\n", "third-party scipy"),
        ("proofs/exact/planted.py", "import cvxpy\n", "third-party cvxpy"),
        ("proofs/claims/planted.py", 'CHECK = "proofs.cli.verify:run"\n', "upward arrow"),
        ("proofs/report/planted.py", "from proofs.cli import main\n", "upward arrow"),
        ("bounds/planted.py", "from proofs.checkers.registry import check_certificate\n", "may use only proofs.exact"),
        ("proofs/planted.py", "X = 1\n", "outside every layer"),
    ],
)
def test_a_planted_arrow_is_caught(tmp_path: Path, where: str, text: str, expect: str) -> None:
    for pkg in PACKAGES:
        for src in (ROOT / pkg).rglob("*.py"):
            dst = tmp_path / src.relative_to(ROOT)
            dst.parent.mkdir(parents=True, exist_ok=True)
            dst.write_text(src.read_text())
    planted = module_name(tmp_path / where, tmp_path)
    assert violations(tmp_path, only={planted}) == []  # not there yet
    (tmp_path / where).write_text(text)
    found = violations(tmp_path, only={planted})
    assert any(expect in v for v in found), found


def test_relative_imports_resolve_to_absolute_names() -> None:
    got = [a.target for a in arrows("proofs.checkers.quantum", "from ..certify import quantum\n", False)]
    assert "proofs.certify.quantum" in got


def _lazy_entries() -> list[tuple[str, str, str]]:
    found = []
    for name, path in modules(ROOT):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                m = _MODULE_STRING.match(node.value)
                if m:
                    found.append((name, m.group(1), m.group(2) or ""))
    return found


def test_every_lazy_entry_resolves() -> None:
    """Whatever stays a string (the ``proofs`` facade, plug-in game types) names a real module and function."""
    import proofs

    entries = _lazy_entries()
    assert entries, "the facade has lazy entries; the scan must see them"
    for owner, mod, func in entries:
        module = importlib.import_module(mod)
        if func:
            assert hasattr(module, func), f"{owner}: {mod}:{func} does not exist"
    for public in proofs.__all__:
        assert getattr(proofs, public) is not None
