"""Tests of the Werner correlator: the sympy derivation and its numerical twin against density matrices."""

from __future__ import annotations

import math

import numpy as np
import pytest

from analytic.errors import AnalyticParameterError
from analytic.noise import (
    derive_werner_correlator,
    direct_correlator,
    fidelity,
    observable,
    visibility,
    werner_correlator,
    werner_state,
)


def _random_observable(rng: np.random.Generator) -> tuple[float, float, np.ndarray]:
    n = rng.normal(size=3)
    n /= np.linalg.norm(n)
    t = rng.uniform(0, 1)
    s = rng.uniform(-(1 - t), 1 - t)
    return s, t, n


def test_derivation_passes_every_check() -> None:
    d = derive_werner_correlator()
    assert d.passed, [c for c in d.checks if not c.passed]
    assert {c.name for c in d.checks} >= {"trace", "marginals", "probabilities", "local-plus-quantum", "eigenvalues", "decomposition"}


def test_closed_form_matches_density_matrix_for_random_observables() -> None:
    # the independent route: Tr[rho_v A (x) B] with explicit 4 x 4 matrices
    rng = np.random.default_rng(1)
    for _ in range(300):
        v = rng.uniform(0, 1)
        sa, ta, na = _random_observable(rng)
        sb, tb, nb = _random_observable(rng)
        direct = direct_correlator(v, observable(sa, ta, na), observable(sb, tb, nb))
        closed = werner_correlator(v, [sa], [ta * na], [sb], [tb * nb])[0, 0]
        assert closed == pytest.approx(direct, abs=1e-13)
        assert closed == pytest.approx(sa * sb - v * ta * tb * float(na @ nb), abs=1e-13)


def test_outcome_probabilities_and_marginals_from_the_density_matrix() -> None:
    rng = np.random.default_rng(2)
    for _ in range(50):
        v = rng.uniform(0, 1)
        sa, ta, na = _random_observable(rng)
        sb, tb, nb = _random_observable(rng)
        A, B = observable(sa, ta, na), observable(sb, tb, nb)
        rho = werner_state(v)
        e = sa * sb - v * ta * tb * float(na @ nb)
        for oa in (1, -1):
            assert np.trace(rho @ np.kron(A, np.eye(2))).real == pytest.approx(sa, abs=1e-13)
            for ob in (1, -1):
                proj = np.kron((np.eye(2) + oa * A) / 2, (np.eye(2) + ob * B) / 2)
                p = np.trace(rho @ proj).real
                assert p == pytest.approx((1 + oa * sa + ob * sb + oa * ob * e) / 4, abs=1e-13)
                assert p >= -1e-13  # |s| + t <= 1 makes these valid POVM elements


def test_noiseless_singlet_and_fully_mixed_limits() -> None:
    z = observable(0.0, 1.0, [0, 0, 1])
    x = observable(0.0, 1.0, [1, 0, 0])
    assert direct_correlator(1.0, z, z) == pytest.approx(-1.0)  # singlet anticorrelation
    assert direct_correlator(1.0, z, x) == pytest.approx(0.0)
    assert direct_correlator(0.0, z, z) == pytest.approx(0.0)  # I/4: uncorrelated
    fixed = observable(1.0, 0.0, [0, 0, 1])
    assert direct_correlator(0.3, fixed, z) == pytest.approx(0.0)  # fixed output x projective: zero


def test_fidelity_and_visibility_are_inverse() -> None:
    for v in (0.0, 1 / 3, 0.6874, 0.8, 1.0):
        assert visibility(fidelity(v)) == pytest.approx(v)
    assert fidelity(1 / 3) == pytest.approx(0.5)  # the separability boundary of Werner states


@pytest.mark.parametrize("bad", [1.5, -0.1, math.nan, math.inf, "x", None])
def test_bad_visibility_is_one_clear_error(bad: object) -> None:
    with pytest.raises(AnalyticParameterError, match="`v`"):
        werner_state(bad)  # type: ignore[arg-type]
    with pytest.raises(AnalyticParameterError, match="`v`"):
        fidelity(bad)  # type: ignore[arg-type]


def test_invalid_observables_are_refused() -> None:
    with pytest.raises(AnalyticParameterError, match=r"\|s\| \+ t <= 1"):
        observable(0.5, 0.6, [1, 0, 0])
    with pytest.raises(AnalyticParameterError, match="unit 3-vector"):
        observable(0.0, 1.0, [1, 1, 0])
    with pytest.raises(AnalyticParameterError, match="`F`"):
        visibility(0.2)
