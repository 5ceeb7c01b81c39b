"""The more-nodes claim: status from checked certificates, findings bound to them."""

from __future__ import annotations

import pytest

from proofs.claims.registry import CLAIMS


@pytest.mark.slow
def test_more_nodes_is_answered_with_certified_numbers(tmp_path) -> None:  # noqa: ANN001
    from proofs.checkers.registry import check_certificate
    from proofs.claims.routers import check_more_nodes

    r = check_more_nodes(quick=True, cert_dir=tmp_path)
    assert r.status == "answered"
    certified = [f for f in r.findings if f.certified]
    assert len(certified) >= 5
    for f in certified:
        for b in f.certified.values():
            assert check_certificate(b.certificate).value == b.value
    ent = next(f for f in r.findings if "entangled" in f.target and "bins" in f.target)
    cl = next(f for f in r.findings if "classical" in f.target and "bins" in f.target)
    assert 0 <= cl.lower - ent.lower < 1e-6
    # four routers on two bins: NPA 1+ab+abc meets the classical bins bound (1+ab was about 0.01 below)
    ent4 = next(f for f in r.findings if "entangled" in f.target and "K = 4" in f.target)
    cl4 = next(f for f in r.findings if "classical" in f.target and "bins" in f.target and "K = 4" in f.target)
    assert 0 <= cl4.lower - ent4.lower < 1e-6
    assert "four routers" in r.headline


def test_registered() -> None:
    assert any(c.id == "more-nodes" and c.where == "Sec. 5" for c in CLAIMS)
