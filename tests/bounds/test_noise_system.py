"""Tests of the system level with Werner pairs and a finite supply (estimates on the route of bounds.system)."""

from __future__ import annotations

import math

import numpy as np
import pytest

pytest.importorskip("bounds.system")

from bounds.errors import BoundsParameterError  # noqa: E402
from bounds.noise_system import noisy_system, ratio  # noqa: E402
from bounds.system import solve_class, solve_mixture  # noqa: E402
from bounds.system_point import operating_point  # noqa: E402


@pytest.fixture(scope="module")
def sysd():  # noqa: ANN201
    return noisy_system(0.6, 1.65, k=3)


def test_f0_and_v0_give_the_classical_route(sysd) -> None:  # noqa: ANN001
    pt = operating_point(0.6, 1.65)
    p_c = solve_class(pt, "classical").p_split  # independent: the classical route's own bisection
    for v, f in ((0.0, 1.0), (1.0, 0.0), (0.5, 0.5)):
        s = sysd.solve(v, f)
        assert s.p_split_dual - 1e-9 <= p_c <= s.p_split + 1e-9
        assert s.p_split == pytest.approx(p_c, abs=2e-5)
        assert s.R_k == 1.0


def test_f1_v1_gives_the_quantum_route(sysd) -> None:  # noqa: ANN001
    pt = operating_point(0.6, 1.65)
    p_q = solve_class(pt, "quantum").p_split
    s = sysd.solve(1.0, 1.0)
    assert s.p_split_dual - 1e-9 <= p_q <= s.p_split + 1e-9
    assert s.p_split == pytest.approx(p_q, abs=2e-5)
    assert s.quantum_share == 1.0


def test_supply_matches_the_mixture_route(sysd) -> None:  # noqa: ANN001
    # at v = 1 Werner routers never prefer classical strategies here, so the supply problem is bounds.system.solve_mixture
    pt = operating_point(0.6, 1.65)
    for f in (0.25, 0.5):
        primal, _ = solve_mixture(pt, f)
        s = sysd.solve(1.0, f)
        assert s.p_split == pytest.approx(primal, abs=2e-5)


def test_ratio_grows_with_visibility_and_supply(sysd) -> None:  # noqa: ANN001
    vs = np.linspace(0.9, 1.0, 11)
    R = sysd.grid(vs, [0.3, 1.0])
    assert np.all(np.diff(R, axis=1) >= -1e-12)  # non-decreasing in v
    assert np.all(R[1] >= R[0] - 1e-12)  # more supply never hurts
    assert R.min() >= 1.0  # Werner routers can always play classically


def test_thresholds(sysd) -> None:  # noqa: ANN001
    v1, v101 = sysd.threshold(1.0 + 1e-9), sysd.threshold(1.01)
    assert v1 is not None and v101 is not None and v1 < v101 < 1
    assert sysd.solve(v1 - 2e-3).R_k == 1.0
    assert sysd.solve(v101 + 1e-4).R_k >= 1.01
    assert sysd.threshold(2.0) is None  # R_3 never reaches 2 here


def test_attained_strategy_meets_the_limit(sysd) -> None:  # noqa: ANN001
    at = sysd.attained(0.98, 0.7)
    assert at.waiting_time == pytest.approx(1.65, abs=1e-9)
    assert at.p_split == pytest.approx(sysd.solve(0.98, 0.7).p_split, abs=1e-12)
    assert ratio(0.5, 0.5, 3) == 1.0


@pytest.mark.parametrize("v, f", [(1.2, 0.5), (0.5, math.nan), (-0.1, 1.0), (0.5, 2.0)])
def test_bad_input(sysd, v, f) -> None:  # noqa: ANN001
    with pytest.raises(BoundsParameterError, match=r"`v`|`f`"):
        sysd.solve(v, f)
    with pytest.raises(BoundsParameterError, match="`k`"):
        noisy_system(0.6, 1.65, k=-1)


def test_certified_brackets_and_thresholds(sysd, tmp_path) -> None:  # noqa: ANN001
    from proofs.certify.noise_system import certify_noise_system
    from proofs.checkers.noise import LOCAL_VISIBILITY
    from proofs.checkers.registry import check_certificate

    r = certify_noise_system(points=((1.0, 1.0), (0.6, 1.0)), system=sysd, resolution=200, cert_dir=tmp_path)
    full, local = r.rows
    assert full.lower.value <= full.upper.value and full.R_lower <= full.R_upper
    assert full.R_lower > 1.0  # certified advantage with perfect pairs
    # below v_L (cited lemma W3) the Werner lower bound is the classical dual itself: R_k = 1 up to the width of the p_c bracket
    assert abs(local.lower.value - r.classical[0].value) < 1e-12
    assert local.R_upper < 1.0 + 1e-4
    est = sysd.solve(1.0, 1.0).p_split
    assert float(full.lower.value) <= est <= float(full.upper.value)
    t = r.thresholds["R=1.01"]
    assert t["v_lower"] <= t["estimate"] <= t["v_upper"]
    assert r.thresholds["R=1"]["v_lower"] == float(LOCAL_VISIBILITY)
    for p in full.paths.values():
        check_certificate(p)


def test_werner_system_dual_rejects_mismatched_multipliers(sysd) -> None:  # noqa: ANN001
    from bounds.noise_system import werner_system_dual_certificate
    from proofs.checkers.registry import check_certificate
    from proofs.exact.errors import CertificateError, CertificateFormatError

    a = werner_system_dual_certificate(sysd, 0.9, 1.0, nu=1.5)
    b = werner_system_dual_certificate(sysd, 0.9, 1.0, nu=1.6)
    assert check_certificate(a).value <= check_certificate(a).details["proven"]
    with pytest.raises(CertificateError, match="same multiplier"):
        check_certificate({**a, "quantum": b["quantum"]})
    with pytest.raises(CertificateError, match="exceeds"):
        check_certificate({**a, "bound": "1"})
    for mode in (None, 3, "global"):
        with pytest.raises(CertificateFormatError, match="field 'mode' must be 'elementary' or 'local-model'"):
            check_certificate({**a, "mode": mode})
