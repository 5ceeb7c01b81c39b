"""Report folders shared by the report, check and README tests (each written once per session); compiled XOR kernels."""

from __future__ import annotations

import pytest

from proofs.claims.registry import CLAIMS
from proofs.report.folder import write_report


@pytest.fixture(scope="session")
def small_report(tmp_path_factory):
    """A report of three cheap claims (classical and quantum certificates, a derivation record), no figures."""
    claims = [c for c in CLAIMS if c.id in ("eq3-4", "deterministic", "q-gt-c")]
    return write_report(tmp_path_factory.mktemp("small") / "report", claims, quick=True, figures=False)


@pytest.fixture(scope="session")
def figures_report(tmp_path_factory):
    """One cheap claim and every figure of the report."""
    claims = [c for c in CLAIMS if c.id == "eq3-4"]
    return write_report(tmp_path_factory.mktemp("figs") / "report", claims, quick=True, figures=True)


@pytest.fixture(scope="session")
def system_report(tmp_path_factory):
    """A report of the system-level claim (certified p_c, p_q; derived R_k; a decision) and the noise claim (derived thresholds)."""
    claims = [c for c in CLAIMS if c.id in ("eq7", "resources")]
    return write_report(tmp_path_factory.mktemp("system") / "report", claims, quick=True, figures=False)


@pytest.fixture(scope="session")
def bnb_compiled() -> None:
    """The branch and bound's and the local search's numba kernels compiled (or loaded from the cache) outside a timed budget.

    With an empty numba cache the first call compiles them inside its time limit: a 2 s limit then stopped the search with
    0 closed leaves (clean clone, random order, 2.0 GHz machine). A larger limit would not do: ``certify_xor`` gives its
    local search a tenth of the limit. Used by the tests that assert an exact value from a timed branch and bound
    (``tests/proofs/certify/test_xor.py``, ``tests/proofs/cli/test_xor.py``).
    """
    import os
    from fractions import Fraction

    import numpy as np

    from bounds.xor_bnb import solve_classical_bnb
    from games.xor import XorMatrixGame

    rng = np.random.default_rng(3)
    w = rng.integers(1, 10, (14, 14)) * rng.choice([1, -1], (14, 14))
    tot = int(np.abs(w).sum())
    g = XorMatrixGame(tuple(tuple(Fraction(int(t), tot) for t in row) for row in w))
    g.classical_local_search(time_limit=0.1)
    solve_classical_bnb(g, time_limit=600.0, workers=min(2, os.cpu_count() or 1))
