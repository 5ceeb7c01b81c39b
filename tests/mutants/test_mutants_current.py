"""Every mutant of ``run_mutants.py`` still applies: its snippet occurs exactly once, its tests exist (no test run)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _script():  # noqa: ANN202
    spec = importlib.util.spec_from_file_location("run_mutants", Path(__file__).with_name("run_mutants.py"))
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


MUTANTS = _script().MUTANTS


def test_names_are_unique_and_mutants_change_something() -> None:
    names = [m.name for m in MUTANTS]
    assert len(names) == len(set(names))
    assert all(m.old != m.new and m.what and m.tests for m in MUTANTS)


@pytest.mark.parametrize("mutant", MUTANTS, ids=[m.name for m in MUTANTS])
def test_snippet_occurs_exactly_once(mutant) -> None:  # noqa: ANN001
    # a refactor that moves or rewrites the code must fail here instead of silently retiring the mutant
    text = (ROOT / mutant.file).read_text()
    assert text.count(mutant.old) == 1, f"{mutant.name}: snippet found {text.count(mutant.old)} times in {mutant.file}"


@pytest.mark.parametrize("mutant", MUTANTS, ids=[m.name for m in MUTANTS])
def test_named_tests_exist(mutant) -> None:  # noqa: ANN001
    for t in mutant.tests:
        path, _, node = t.partition("::")
        assert (ROOT / path).exists(), f"{mutant.name}: no test path {path}"
        if node:
            assert re.search(rf"^def {re.escape(node)}\(", (ROOT / path).read_text(), flags=re.M), f"{mutant.name}: no test {t}"
