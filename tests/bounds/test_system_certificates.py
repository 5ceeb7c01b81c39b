"""Tests of bounds.system_certificates: the float closed forms it uses (shared with bounds.system), the game object, refusals."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import integrate, stats

from analytic.laws import LAW_CATALOGUE, ServiceLaw
from bounds.system import SystemParameterError, _support, _surv_and_tail_mean, operating_point
from bounds.system_certificates import _quantile, _sag, dual_certificate, system_description


@pytest.mark.parametrize("label", [s.label for s in LAW_CATALOGUE])
def test_closed_form_tails_match_quadrature(label: str) -> None:
    # P(X > t) and E[X; X > t] in closed form against scipy quadrature of the scipy law's density
    law = ServiceLaw.named(label)
    d = law.dist if law.dist is not None else stats.expon()
    t = np.array([0.0, 0.05, 0.7, 1.9, 6.0])
    sf, tm = _surv_and_tail_mean(law, t)
    end = 2.0 if label == "uniform" else np.inf  # quad needs the support's end (a jump of the density)
    for k, tk in enumerate(t):
        want_sf = integrate.quad(d.pdf, tk, end, epsabs=1e-14, limit=200)[0] if tk < end else 0.0
        want_tm = integrate.quad(lambda x: x * d.pdf(x), tk, end, epsabs=1e-14, limit=200)[0] if tk < end else 0.0
        assert sf[k] == pytest.approx(want_sf, abs=1e-10) and tm[k] == pytest.approx(want_tm, abs=1e-9)
    assert np.all(np.asarray(_surv_and_tail_mean(law, np.array([np.inf]))) == 0)


@pytest.mark.parametrize("label", ["gamma:4", "lognormal:1.5", "weibull:0.5", "lomax:3", "uniform", "hyperexponential:4"])
def test_support_function_matches_quadrature(label: str) -> None:
    law = ServiceLaw.named(label)
    for w0, w1 in ((1.0, -1.3), (-0.4, 0.2), (0.5, 0.5)):
        r = -w0 / w1
        pts = [r] if r > 0 else None
        end = 2.0 if label == "uniform" else 60.0
        want = integrate.quad(lambda x, w0=w0, w1=w1: abs(w0 + w1 * x) * law.dist.pdf(x), 0, end, points=pts, limit=400, epsabs=1e-13)[0]
        if label != "uniform":
            want += integrate.quad(lambda x, w0=w0, w1=w1: abs(w0 + w1 * x) * law.dist.pdf(x), end, np.inf, limit=400)[0]
        assert float(_support(law, np.array([w0]), np.array([w1]))[0]) == pytest.approx(want, abs=1e-9)


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
