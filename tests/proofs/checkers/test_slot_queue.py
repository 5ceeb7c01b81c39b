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


# ------------------------------------------------------------------ E[T_B] claims (lemma T5 (c))
def _tb_cert(p: float, lower: str | None = "0", upper: str | None = "1000", k: int = 2, **kw: Any) -> dict[str, Any]:
    c = _cert(rule=_coin(p), **kw)
    c["throughput"] = {"k": k, **({} if lower is None else {"lower": lower}), **({} if upper is None else {"upper": upper})}
    return c


@cache
def _tb_oracle(p: float, k: int = 2) -> tuple[float, float]:
    from tests.fuzz.oracles import slotted_tb_constant

    return slotted_tb_constant(0.5, 0.5, ("exponential", 1.0), 0.5, p, k, cell=0.025)


@pytest.mark.parametrize("p", [0.0, 1.0])
def test_throughput_enclosure_contains_the_oracle(p: float) -> None:
    lo, hi = _tb_oracle(p)
    e = _enc(_tb_cert(p))
    assert e.tb_lo is not None and e.tb_hi is not None
    assert float(e.tb_lo) <= 0.5 * (lo + hi) <= float(e.tb_hi)
    assert float(e.tb_hi - e.tb_lo) < 0.3  # O(h) wide at h = 1/8 (about 2.1 +- 0.13)


def test_throughput_at_k1_encloses_the_idle_fraction() -> None:
    # T(t) = t: E[T_B] is the idle fraction 1 - rho = 1/2 for every rule (closed form); k = 3 against the oracle's direct series
    e = _enc(_tb_cert(0.5, k=1))
    assert float(e.tb_lo) <= 0.5 <= float(e.tb_hi)
    lo, hi = _tb_oracle(0.5, 3)
    e3 = _enc(_tb_cert(0.5, k=3))
    assert float(e3.tb_lo) <= 0.5 * (lo + hi) <= float(e3.tb_hi)


def test_throughput_claims_are_checked_and_bounds_issued() -> None:
    e = _enc(_tb_cert(0.5))
    assert e.tb_lo is not None and e.tb_hi is not None
    eps = Fraction(1, 10**9)
    with pytest.raises(CertificateError, match=r"lower bound .* on E\[T_B\] exceeds"):
        check_certificate(_tb_cert(0.5, lower=fraction_str(e.tb_lo + eps), upper=None))
    with pytest.raises(CertificateError, match=r"upper bound .* on E\[T_B\] is below"):
        check_certificate(_tb_cert(0.5, lower=None, upper=fraction_str(e.tb_hi - eps)))
    b = check_certificate(_tb_cert(0.5, lower=fraction_str(e.tb_lo), upper=fraction_str(e.tb_hi)))
    tb = b.details["throughput"]
    assert b.target.quantity == "W_q" and tb["lower"].target.quantity == "E[T_B]" and tb["upper"].target.game["k"] == 2
    assert tb["lower"].value == e.tb_lo and tb["upper"].value == e.tb_hi
    # a certificate without the field: no E[T_B] bounds (older certificates check unchanged)
    assert check_certificate(_cert(rule=_coin(0.5))).details["throughput"] == {}


@pytest.mark.parametrize("tb", [{"k": 2}, {"k": 0, "lower": "1"}, {"k": 9, "lower": "1"}, {"k": "2", "lower": "1"},
                                {"k": 2, "lower": "1", "extra": 1}, ["k", 2]])
def test_throughput_field_is_validated(tb: Any) -> None:
    c = _cert(rule=_coin(0.5))
    c["throughput"] = tb
    with pytest.raises(CertificateFormatError):
        read_params(c)


def _synthetic(k: int = 2) -> Any:
    """``tau = 1/2``, ``h = 1/8`` (``m = 4``): the parameters the E[T_B] assembly reads."""
    return read_params(_tb_cert(0.5, k=k))


def _true_tb(p: Any, v: list[float], s: list[float], q: float, k: int = 2) -> float:
    """``E[G(V + S)] / tau`` for lattice laws ``v`` and ``s`` (cells), direct series for ``G``."""
    tau, h, m = float(p.tau), float(p.h), p.m
    tot = 0.0
    for a, va in enumerate(v):
        for b, sb in enumerate(s):
            if a + b < m:
                y = (a + b) * h
                tot += va * sb * sum(q * (1 - q) ** j * ((tau * (j + 1) - y) ** k - (tau * j) ** k) for j in range(2000))
    return tot / tau


def test_throughput_lower_end_subtracts_the_excess_of_the_upper_pmf() -> None:
    # V = 3 cells (exactly); the upper chain's pmf may exceed it anywhere, here by 1/2 at 0 (an entrywise upper enclosure),
    # S+ = 0 or 8 cells w.p. 1/2 (q = 1/2): without the slack term the lower end lies above the true value
    from proofs.checkers.slot_queue import _throughput
    from proofs.exact.float_intervals import IVec

    p = _synthetic()
    s = np.zeros(9)
    s[0] = s[8] = 0.5
    truth = _true_tb(p, [0, 0, 0, 1.0], list(s), 0.5)
    lo, _ = _throughput(p, 2, IVec(s, s), 0.0, (np.array([0.5, 0, 0, 1.0]), 0.0, s), None)
    assert lo is not None and float(lo) <= truth


def test_throughput_upper_end_places_missing_masses_at_zero() -> None:
    # lower pmfs missing mass: V = 0 (the lower chain only shows 1/2 of it), S- = 0 w.p. 1/2 (shown: 1/4); the rest at 0
    from proofs.checkers.slot_queue import _throughput
    from proofs.exact.float_intervals import IVec

    p = _synthetic()
    s = np.zeros(9)
    s[0] = s[8] = 0.5
    truth = _true_tb(p, [1.0], list(s), 0.5)
    _, hi = _throughput(p, 2, IVec(s, s), 0.0, None, (np.array([0.5]), s))
    assert hi is not None and float(hi) >= truth
    _, hi = _throughput(p, 2, IVec(s, s), 0.0, None, (np.array([1.0]), np.array([0.25, 0, 0, 0, 0, 0, 0, 0, 0.5])))
    assert hi is not None and float(hi) >= truth


def test_throughput_q_counts_the_truncated_mass() -> None:
    # the truncated batches may all leave server 1 empty: P(S = 0) up to 1/2 + 1/4, q down to 1/4, which lengthens the idle periods
    from proofs.checkers.slot_queue import _throughput
    from proofs.exact.float_intervals import IVec

    p = _synthetic()
    s = np.zeros(9)
    s[0] = s[8] = 0.5
    truth = _true_tb(p, [1.0], [0.75], 0.25)
    _, hi = _throughput(p, 2, IVec(s, s), 0.25, None, (np.array([1.0]), np.array([0.5])))
    assert hi is not None and float(hi) >= truth
