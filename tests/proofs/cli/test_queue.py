"""``qcoord queue``: JSON keys, formula/simulation agreement, bad input exits non-zero."""

import json

import pytest

from proofs.cli.main import main


def test_json_keys_and_agreement(capsys):
    assert main(["queue", "--lam", "0.6", "--mu", "1", "--p-split", "0.7", "--k", "2", "--pairs", "200000", "--seed", "3", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["point"]["rho"] == pytest.approx(0.6) and out["p_split"] == 0.7 and out["certificates"] == []
    for name in ("sum_threshold", "optimal_fixed_p", "random"):
        r = out["rules"][name]
        for key in ("W_q", "throughput", "p_split"):
            assert set(r[key]) == {"formula", "simulated", "ci"}
        assert r["W_q"]["ci"][0] <= r["W_q"]["formula"] <= r["W_q"]["ci"][1]
        assert r["throughput"]["ci"][0] <= r["throughput"]["formula"] <= r["throughput"]["ci"][1]
    # the optimal fixed-p rule never waits longer than the sum threshold (formula)
    assert out["rules"]["optimal_fixed_p"]["W_q"]["formula"] <= out["rules"]["sum_threshold"]["W_q"]["formula"]


def test_text_table(capsys):
    assert main(["queue", "--lam", "0.3", "--p-split", "0.5", "--pairs", "20000"]) == 0
    text = capsys.readouterr().out
    assert "optimal_fixed_p" in text and "W_q formula" in text


@pytest.mark.parametrize(
    "argv, needle",
    [(["--lam", "1.0", "--p-split", "0.5"], "rho"), (["--lam", "0.5", "--p-split", "1.5"], "p-split"),
     (["--lam", "0.5", "--p-split", "0.5", "--k", "-1"], "--k"), (["--lam", "-0.5", "--p-split", "0.5"], "--lam"),
     (["--lam", "0.5", "--mu", "-1", "--p-split", "0.5"], "--mu")],
)
def test_bad_input_exits_2(argv, needle, capsys):
    assert main(["queue", *argv]) == 2
    err = capsys.readouterr().err
    assert needle in err and len(err.strip().splitlines()) == 1
