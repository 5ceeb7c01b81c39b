"""The K-router figure: certified ideal brackets below the classical estimate; the PNG is written."""

from __future__ import annotations

import pytest


@pytest.mark.slow
def test_curves_and_png(tmp_path) -> None:  # noqa: ANN001
    from proofs.checkers.registry import check_certificate
    from proofs.report.routers_figure import plot_routers, routers_curves

    c = routers_curves(points=2, cert_dir=tmp_path / "certs")
    for K in (2, 3):
        row = c[K]
        assert row["ideal_certified"] and len(row["W"]) == 2
        assert all(lo <= up < lo + 1e-6 for lo, up in zip(row["ideal_lower"], row["ideal_upper"]))
        assert all(up < pc for up, pc in zip(row["ideal_upper"], row["classical_estimate"]))
    paths = sorted((tmp_path / "certs").rglob("*.json"))
    assert len(paths) == 8 and all(check_certificate(p).target.player_model == "ideal" for p in paths)
    out = plot_routers(tmp_path / "f.png", points=2)
    assert out.read_bytes()[:4] == b"\x89PNG"
