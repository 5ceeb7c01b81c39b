"""Tests of :func:`proofs.certify.routers_ideal.ideal_bracket`: saved certificates re-check, the bracket sits below classical routers."""

from __future__ import annotations

import pytest

from proofs.certify.routers_ideal import ideal_bracket
from proofs.checkers.registry import check_certificate
from proofs.exact.errors import ProofsParameterError


def test_bracket_is_saved_rechecked_and_below_the_classical_estimate(tmp_path) -> None:
    from bounds.routers import classical_solution
    from games.routers import RouterModel

    b = ideal_bracket(2, 0.6, 2.0, cert_dir=tmp_path)
    assert 0 < float(b.lower.value) <= float(b.upper.value) < float(b.lower.value) + 1e-6
    again = [check_certificate(p) for p in b.certificates]
    assert [x.side for x in again] == ["lower", "upper"] and all(x.target.player_model == "ideal" for x in again)
    # ideal routers see more than classical ones: strictly less splitting at the same limit
    assert float(b.upper.value) < classical_solution(RouterModel.at_load(2, 0.6), 2.0).p_split - 0.05


def test_only_two_or_three_routers() -> None:
    with pytest.raises(ProofsParameterError, match="`K`"):
        ideal_bracket(4, 0.3, 3.0)
