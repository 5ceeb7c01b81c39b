"""Tests of bounds.system_certificates: its float quantile and sag, the game object, refusals (the shared tail moments and h(w): test_system_quadrature)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from analytic.laws.service import ServiceLaw
from bounds.system_certificates import _quantile, _sag, dual_certificate, system_description
from bounds.system_point import SystemParameterError, operating_point


def test_quantile_is_accurate_near_one() -> None:
    law = ServiceLaw.named("lomax:3")
    u = np.array([0.25, 1 - 2.0**-40])
    x = _quantile(law, u)
    assert np.allclose(law.dist.sf(x), 1 - u, rtol=1e-9)


def test_sag_box_where_the_density_has_no_lower_bound() -> None:
    # f(0) = 0 (gamma:4) or a singular density (weibull:0.5): the first piece is a box; f(0) > 0 (lomax:3) uses the sag
    e = np.array([0.0, 0.1, 0.5, 1.0])
    for label, first_box in (("gamma:4", True), ("weibull:0.5", True), ("lomax:3", False)):
        pt = operating_point(0.6, 50.0, law=ServiceLaw.named(label))
        s = _sag(pt, e)
        assert np.isinf(s[0]) == first_box and np.isfinite(s[1]) and np.isinf(s[2])


def test_game_object_for_catalogue_laws() -> None:
    pt = operating_point(0.6, 5.0, law=ServiceLaw.named("weibull:0.5"))
    assert system_description(pt) == {"type": "system", "law": "weibull", "param": "1/2", "lam": "3/5", "W_limit": "5/1", "order": "random"}
    assert "param" not in system_description(operating_point(0.6, 1.5, law=ServiceLaw.named("uniform")))


def test_arbitrary_scipy_law_is_refused() -> None:
    pt = operating_point(0.6, 2.0, law=ServiceLaw(dist=stats.gamma(2.0, scale=0.5)))
    with pytest.raises(SystemParameterError, match="catalogue law with an exact enclosure"):
        dual_certificate(pt, "classical", 1.0)


def test_producer_stops_at_the_checkers_break_limit():
    """The producer never writes more break points than the system-dual checker accepts."""
    from bounds.system_certificates import MAX_BREAKS
    from proofs.checkers import system_dual

    assert MAX_BREAKS == system_dual.MAX_BREAKS
