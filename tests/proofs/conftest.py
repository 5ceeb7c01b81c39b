"""Report folders shared by the report, check and README tests (each written once per session)."""

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
