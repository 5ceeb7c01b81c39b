"""Tests of proofs.certify.system and the ``qcoord system`` command: JSON keys, throughput, bad input, simulation."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from analytic.throughput import throughput_monomial
from proofs.certify.system import system_result, throughput
from proofs.cli.main import main
from proofs.exact.errors import ProofsParameterError


def test_throughput_callable_matches_monomial() -> None:
    for k in (0.0, 1.0, 2.0, 3.5):
        assert throughput(0.6, 1.0, 0.4, lambda t, k=k: t**k) == pytest.approx(throughput_monomial(0.6, 1.0, 0.4, k), rel=1e-9)


@pytest.mark.parametrize(
    ("T", "msg"),
    [(-1.0, "k"), (float("nan"), "k"), (lambda t: -t, "non-negative"), (lambda t: np.exp(-t), "non-decreasing"), ("2", "k")],
)
def test_throughput_bad_T(T, msg: str) -> None:  # noqa: ANN001
    with pytest.raises(ProofsParameterError, match=msg):
        throughput(0.6, 1.0, 0.4, T)


def test_cli_json_keys(tmp_path, capsys) -> None:  # noqa: ANN001
    rc = main(["system", "--lam", "0.6", "--mu", "1", "--W-limit", "1.65", "--k", "3", "--json", "--cert-dir", str(tmp_path)])
    assert rc == 0
    d = json.loads(capsys.readouterr().out)
    assert d["point"]["rho"] == pytest.approx(0.6) and d["point"]["W_limit"] == 1.65 and d["k"] == 3.0
    ex = d["routes"]["exact"]
    p = ex["p_split"]
    assert p["ideal"] < p["quantum"] < p["classical"]
    cert = ex["p_split_certified"]
    assert cert["classical"]["lower"] <= p["classical"] <= cert["classical"]["upper"]
    assert cert["quantum"]["lower"] <= p["quantum"] <= cert["quantum"]["upper"]
    assert cert["quantum"]["upper"] < cert["classical"]["lower"]
    (rk,) = ex["R_k"]
    assert rk["k"] == 3.0 and rk["estimate"] == pytest.approx(((1 + p["classical"]) / (1 + p["quantum"])) ** 2, rel=1e-12)
    assert 1 < rk["lower"] <= rk["estimate"]
    assert set(ex["throughput"]) == {"ideal", "classical", "quantum"}
    # the certificates on disk verify through the generic `qcoord check`
    assert main(["check", cert["classical"]["certificate"]["lower"]]) == 0
    assert main(["check", cert["quantum"]["certificate"]["upper"]]) == 0


@pytest.mark.parametrize(
    ("args", "msg"),
    [
        (["--lam", "1.0", "--W-limit", "2"], "rho"),
        (["--lam", "0.6", "--W-limit", "1.2"], "always-split waiting time W_0 = 1.5"),
        (["--lam", "nan", "--W-limit", "2"], "`--lam` must be a finite number"),
        (["--lam", "0.6", "--W-limit", "-1"], "`--W-limit` must lie in"),
        (["--lam", "-0.6", "--W-limit", "2"], "`--lam` must lie in"),
        (["--lam", "0.6", "--W-limit", "2", "--k", "-1"], "`--k` must lie in"),
        (["--lam", "0.6", "--mu", "inf", "--W-limit", "2"], "`--mu` must be a finite number"),
        (["--lam", "0.6", "--W-limit", "2", "--simulate", "10"], "`--simulate` must be an integer"),
    ],
)
def test_cli_bad_input(args: list[str], msg: str, capsys) -> None:  # noqa: ANN001
    assert main(["system", *args]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and msg in err and "Traceback" not in err


def test_always_bunch_limit_is_not_an_error(tmp_path) -> None:  # noqa: ANN001
    r = system_result(0.6, 3.0, 3, cert_dir=tmp_path)
    assert r.exact.p_split == {"ideal": 0.0, "classical": 0.0, "quantum": 0.0}
    assert r.exact.R_k == 1.0


def test_callable_T_and_general_ratio(tmp_path) -> None:  # noqa: ANN001
    r = system_result(0.6, 1.65, lambda t: t**2 + t**3, certify=False)
    assert r.exact.R_k is None
    tb = r.exact.throughput
    assert r.exact.throughput_ratio == pytest.approx(tb["quantum"] / tb["classical"])
    assert r.exact.throughput_ratio > 1


def test_simulation_at_one_operating_point() -> None:
    # common random numbers; computed p_split and E[T_B] inside the 99 % CIs; W_q meets the limit
    r = system_result(0.6, 1.65, 3, certify=False, simulate_pairs=400_000, seed=3)
    s = r.simulation
    for m, c in s["classes"].items():
        assert c["W_q_ok"], m
        assert c["p_split_in_ci"], m
        assert c["throughput_in_ci"], m
        assert c["W_q_ci"][0] <= 1.65 <= c["W_q_ci"][1]
    assert s["ratio_consistent"]
    assert math.isfinite(s["throughput_ratio"])


@pytest.fixture
def small_proxy(monkeypatch):  # noqa: ANN001, ANN201
    """The proxy search at small game resolution (the route's logic, in seconds rather than a minute)."""
    import functools

    import bounds.system_proxy as sp

    monkeypatch.setattr(sp, "proxy_route", functools.partial(sp.proxy_route, grid=8, classical_bins=8, quantum_bins=8))


def test_cli_proxy_reports_pure_and_mixed(small_proxy, capsys) -> None:  # noqa: ANN001
    rc = main(["system", "--lam", "0.3", "--W-limit", "0.6429", "--k", "3", "--route", "proxy", "--json"])
    assert rc == 0
    pr = json.loads(capsys.readouterr().out)["routes"]["proxy"]
    assert "p_split_certified" not in pr and "not certified" in pr["note"]
    mx = pr["mixed"]
    for d in (pr, mx):  # R_k and the throughput ratio follow from each set of p_split values
        p = d["p_split"]
        assert d["R_k"][0]["estimate"] == pytest.approx(((1 + p["classical"]) / (1 + p["quantum"])) ** 2, rel=1e-12)
        assert d["throughput_ratio"] == pytest.approx(d["throughput"]["quantum"] / d["throughput"]["classical"], rel=1e-12)
    for m in ("classical", "quantum"):
        assert mx["p_split"][m] <= pr["p_split"][m]
        assert pr["W_q"][m] <= 0.6429 and mx["W_q"][m] <= 0.6429 * (1 + 1e-15)
        comps = mx["mixture"][m]
        assert 1 <= len(comps) <= 2 and sum(c["weight"] for c in comps) == pytest.approx(1.0, abs=1e-15)
        assert sum(c["weight"] * c["p_split"] for c in comps) == pytest.approx(mx["p_split"][m], abs=1e-12)
        assert pr["evaluations"][m] > 8  # the grid plus refinement
    rc = main(["system", "--lam", "0.3", "--W-limit", "0.6429", "--k", "3", "--route", "proxy"])
    out = capsys.readouterr().out
    assert rc == 0 and "estimates, not certified bounds" in out
    assert "pure (one C_t per class): R_k = " in out and "mixed (shared coin over two C_t): R_k = " in out
    assert f"{pr['p_split']['classical']:.10f}" in out and f"{mx['p_split']['quantum']:.10f}" in out
