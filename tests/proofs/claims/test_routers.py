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
    # four routers on two bins: NPA 1+ab+abc meets the classical bins bound at W_limit 3.0 and 3.5 (1+ab was about 0.01 below);
    # at 4.5 the entangled strategy (upper bound) is below the classical lower bound: a certified advantage, stated as a decision
    k4 = [f for f in r.findings if "K = 4" in f.target and "bins" in f.target]
    for wl in ("3", "3.5"):
        ent4 = next(f for f in k4 if "entangled" in f.target and f"W_limit = {wl} " in f.target + " ")
        cl4 = next(f for f in k4 if "classical" in f.target and f.target.endswith(f"W_limit = {wl}"))
        assert 0 <= cl4.lower - ent4.lower < 1e-6
    ent45 = next(f for f in k4 if "entangled" in f.target and "W_limit = 4.5" in f.target)
    cl45 = next(f for f in k4 if "classical" in f.target and "W_limit = 4.5" in f.target)
    assert cl45.lower - ent45.upper > 5e-4 and ent45.lower <= ent45.upper
    assert [d.holds for d in r.decisions] == [True] and "4.5" in r.decisions[0].statement
    assert "four routers" in r.headline and "helps four routers" in r.headline


def test_registered() -> None:
    assert any(c.id == "more-nodes" and c.where == "Sec. 5" for c in CLAIMS)
