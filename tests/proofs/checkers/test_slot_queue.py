"""Tests of the ``slot-queue-bracket`` checker against an independent oracle and exact closed forms.

The oracle (:func:`tests.fuzz.oracles.slotted_wq_constant`) brackets ``W_q`` of a
constant rule by its own lattice (Panjer recursion, FFT Lindley chains) and the
closed-form within-batch term; the certified enclosure must contain its bracket's
centre and every claim beyond the oracle's bracket must be rejected.  Each error
term of lemma T4 (e') has a test here that fails without it (tests/mutants).
"""

from __future__ import annotations

import copy
import math
from fractions import Fraction
from functools import cache
from typing import Any

import numpy as np
import pytest

from proofs.checkers.registry import check_certificate
from proofs.checkers.slot_queue import enclose_wq, read_params, rule_sha256
from proofs.exact.errors import CertificateError, CertificateFormatError
from proofs.exact.rational import fraction_str
from tests.fuzz.oracles import slotted_wq_constant


def _cert(lam: str = "1/2", tau: str = "1/2", m: int = 4, rule: dict | None = None, *, law: dict | None = None, side: str = "upper",
          bound: str = "1000", n_max: int = 12, cells: int = 600, K: int = 700, iterations: int = 400, theta: str = "1/5",
          lam_b: str | None = None) -> dict[str, Any]:
    rule = rule or {"type": "rank", "parts": [{"weight": "1", "u": [[0.0]], "v": [[1.0]]}]}
    game = {"type": "slotted-queue", "quantity": "W_q", "lam_a": lam, "lam_b": lam_b or lam, "law": law or {"law": "exponential", "mu": "1"},
            "tau": tau, "m": m, "rule_class": "classical", "rule_sha256": rule_sha256(rule)}
    return {"schema": 2, "kind": "slot-queue-bracket", "game": game, "N": None, "side": side, "bound": bound, "n_max": n_max,
            "cells": cells, "queue_cells": K, "iterations": iterations, "theta": theta, "rule": rule}


def _coin(p: float) -> dict:
    return {"type": "rank", "parts": [{"weight": "1", "u": [[2 * p - 1]], "v": [[1.0]]}]}


@cache
def _oracle(p: float, lam: float = 0.5, tau: float = 0.5, law: tuple = ("exponential", 1.0), cell: float = 0.05) -> tuple[float, float]:
    return slotted_wq_constant(lam, lam, law, tau, p, cell=cell)


def _enc(cert: dict) -> Any:
    return enclose_wq(read_params(cert))


# ------------------------------------------------------------------ against the oracle
@pytest.mark.parametrize("p", [0.0, 0.5, 1.0])
def test_enclosure_contains_the_oracle_exponential(p: float) -> None:
    lo, hi = _oracle(p)
    e = _enc(_cert(rule=_coin(p)))
    mid = 0.5 * (lo + hi)
    assert float(e.wq_lo) <= mid <= float(e.wq_hi)
    assert float(e.wq_hi) - float(e.wq_lo) < 0.6  # O(h) wide at h = 1/8


def test_enclosure_contains_the_oracle_hyperexponential() -> None:
    lo, hi = _oracle(0.5, 0.3, 1.0, ("hyperexponential", 2.0), 0.1)
    e = _enc(_cert("3/10", "1", 8, _coin(0.5), law={"law": "hyperexponential", "param": "2"}, cells=2400, K=2500, theta="1/20",
                   iterations=3000, n_max=14))
    assert float(e.wq_lo) <= 0.5 * (lo + hi) <= float(e.wq_hi)


def test_two_component_rule_equals_the_coin_rule() -> None:
    # u = (1/2, 1/2), v = (1, 0): E = 1/2 everywhere, the shared coin bunching w.p. 3/4 (the planar routers' code path)
    rule = {"type": "rank", "parts": [{"weight": "1", "u": [[0.5], [0.5]], "v": [[1.0], [0.0]]}]}
    lo, hi = _oracle(0.75)
    e = _enc(_cert(rule=rule))
    assert float(e.wq_lo) <= 0.5 * (lo + hi) <= float(e.wq_hi)


@pytest.mark.parametrize(("t", "p"), [("0", 0.0), ("100", 1.0)])
def test_sum_threshold_extremes_are_split_and_bunch(t: str, p: float) -> None:
    # t = 0: W_A+ + W_B+ >= 2h never below it (always split); t beyond the lattice: always bunch
    lo, hi = _oracle(p)
    e = _enc(_cert(rule={"type": "sum-threshold", "t": t}))
    assert float(e.wq_lo) <= 0.5 * (lo + hi) <= float(e.wq_hi)


def test_claims_beyond_the_oracle_are_rejected_and_the_enclosure_accepted() -> None:
    lo, hi = _oracle(0.5)
    e = _enc(_cert(rule=_coin(0.5)))
    for side, claim in (("upper", lo - 1e-3), ("lower", hi + 1e-3)):
        with pytest.raises(CertificateError):
            check_certificate(_cert(rule=_coin(0.5), side=side, bound=fraction_str(Fraction(claim))))
    ok_u = check_certificate(_cert(rule=_coin(0.5), side="upper", bound=fraction_str(e.wq_hi)))
    ok_l = check_certificate(_cert(rule=_coin(0.5), side="lower", bound=fraction_str(e.wq_lo)))
    assert ok_u.target.quantity == "W_q" and ok_l.value <= ok_u.value and not ok_u.trivial


def test_upper_claim_just_below_the_enclosure_is_rejected() -> None:
    e = _enc(_cert(rule=_coin(0.3)))
    with pytest.raises(CertificateError, match="below the enclosure"):
        check_certificate(_cert(rule=_coin(0.3), bound=fraction_str(e.wq_hi - Fraction(1, 10**9))))


# ------------------------------------------------------------------ error terms (each fails without its term)
def _theta_star(lam: float, tau: float, h: float) -> float:
    """Kingman root of the always-split S+ (compound Poisson of X+ = h ceil(X/h), X ~ Exp(1)), closed form mgf."""
    from scipy.optimize import brentq

    q = math.exp(-h)

    def f(th: float) -> float:
        g = (1 - q) * math.exp(th * h) / (1 - q * math.exp(th * h))
        return lam * tau * (g - 1) - th * tau

    return brentq(f, 1e-6, -math.log(q) / h * (1 - 1e-9))


def test_kingman_counts_the_truncated_tail() -> None:
    # a short work lattice (3 time units): at theta 3 % above the true root the lattice part alone is below 1
    th = _theta_star(0.5, 0.5, 0.125) * 1.03
    cert = _cert(rule=_coin(0.0), cells=24, n_max=12, theta=fraction_str(Fraction(th).limit_denominator(10**6)))
    with pytest.raises(CertificateError, match="Kingman"):
        _enc(cert)


def test_truncated_work_escapes_upwards() -> None:
    # n_max = 1 cuts every batch of two or more customers (a fifth of the load): that mass must escape to the tail,
    # or the upper end drops below W_q
    lo, hi = _oracle(0.0)
    th = _theta_star(0.5, 0.5, 0.125) * 0.5
    e = _enc(_cert(rule=_coin(0.0), n_max=1, theta=fraction_str(Fraction(th).limit_denominator(10**6)), iterations=200))
    assert float(e.wq_hi) >= 0.5 * (lo + hi)


def test_workload_tail_integral_is_charged() -> None:
    # a workload lattice of half a time unit, below E[V]: only the Kingman tail integral carries the mass above it
    lo, hi = _oracle(0.0)
    th = _theta_star(0.5, 0.5, 0.125) * 0.95
    e = _enc(_cert(rule=_coin(0.0), K=4, theta=fraction_str(Fraction(th).limit_denominator(10**6))))
    assert float(e.wq_hi) >= 0.5 * (lo + hi)


def test_within_batch_term_counts_truncated_counts() -> None:
    # n_max = 1 drops every batch of two or more: the tails of E[W; T], E[N; T] keep the exact Z inside [z_lo, z_hi]
    p, lam, tau = 0.9, 0.5, 0.5
    z = tau * tau * (2 * lam**2 + 2 * p * lam**2) / 4
    e = _enc(_cert(rule=_coin(p), n_max=1))
    assert e.z_lo <= z <= e.z_hi


def test_within_batch_lower_end_uses_the_works_rounded_down() -> None:
    # coarse lattice h = 1/2: E[W u(W+)] bracketed by W+ - N h below (with W+ the lower end would exceed the exact Z)
    p, lam, tau = 1.0, 0.5, 1.0
    z = tau * tau * (2 * lam**2 + 2 * p * lam**2) / 4
    e = _enc(_cert(tau="1", m=2, rule=_coin(p), cells=120, K=200, theta="1/10", iterations=300))
    assert e.z_lo <= z <= e.z_hi


def test_theta_at_or_above_the_service_rate_is_refused() -> None:
    with pytest.raises(CertificateError, match="smallest service rate"):
        _enc(_cert(theta="1"))


# ------------------------------------------------------------------ format
def test_rule_vectors_of_norm_above_one_are_refused() -> None:
    rule = {"type": "rank", "parts": [{"weight": "1", "u": [[0.8], [0.7]], "v": [[1.0], [0.0]]}]}
    with pytest.raises(CertificateError, match="norm > 1"):
        read_params(_cert(rule=rule))


def test_rule_hash_weights_and_sizes_are_checked() -> None:
    c = _cert()
    c["rule"] = _coin(0.2)
    with pytest.raises(CertificateFormatError, match="rule_sha256"):
        read_params(c)
    bad = {"type": "rank", "parts": [{"weight": "1/2", "u": [[1.0]], "v": [[1.0]]}]}
    with pytest.raises(CertificateFormatError, match="sum to 1"):
        read_params(_cert(rule=bad))
    with pytest.raises(CertificateFormatError, match="iterations"):
        read_params(_cert(iterations=10**7))
    with pytest.raises(CertificateFormatError, match="work limit"):
        read_params(_cert(cells=4096, K=40_000, iterations=100_000))
    c = _cert()
    c["game"] = {**c["game"], "law": {"law": "lognormal", "param": "1"}}
    with pytest.raises(CertificateFormatError, match="law"):
        read_params(c)


def test_forged_rule_data_changes_the_target() -> None:
    c = copy.deepcopy(_cert(rule=_coin(0.5)))
    c2 = _cert(rule=_coin(0.25))
    assert c["game"]["rule_sha256"] != c2["game"]["rule_sha256"]
    assert np.isfinite(float(_enc(c2).wq_hi))
