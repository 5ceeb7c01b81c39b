"""``qcoord system`` at a waiting-time limit equal to the always-split wait: it answers p_split = 1, certified.

``W_0 = lam/(mu (mu - lam))`` is computed here independently (Pollaczek-Khinchine
for the M/M/1 queue each server sees when every pair splits).  At ``W_l = W_0``
only always split is feasible, so every class has ``p_split = 1``, the throughputs
agree and ``R_k = 1``; the certified brackets must contain 1.
"""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest

from proofs.cli.main import main


@pytest.mark.parametrize("lam, k", [pytest.param(0.6, "3", marks=pytest.mark.slow), (0.8, "2")])
def test_limit_at_the_always_split_wait_is_answered(capsys: pytest.CaptureFixture, tmp_path: Path, lam: float, k: str) -> None:
    lq = Fraction(repr(lam))
    W0 = lq / (1 - lq)  # 3/2 and 4 (mu = 1), exactly
    code = main(["system", "--lam", repr(lam), "--W-limit", repr(float(W0)), "--k", k, "--json", "--cert-dir", str(tmp_path)])
    out, err = capsys.readouterr()
    assert code == 0, err
    r = json.loads(out)["routes"]["exact"]
    for m in ("ideal", "classical", "quantum"):
        assert 1 - 1e-9 <= r["p_split"][m] <= 1.0
    cert = r["p_split_certified"]
    for m in ("classical", "quantum"):
        lo, up = cert[m]["lower"], cert[m]["upper"]
        assert 1 - 1e-6 <= lo <= 1.0 <= up + 1e-12, (m, lo, up)
    assert abs(r["R_k"][0]["estimate"] - 1.0) <= 1e-9


def test_limit_one_ulp_below_the_always_split_wait_is_refused(capsys: pytest.CaptureFixture) -> None:
    """0.6/0.4 rounds to 1.4999999999999998 < 3/2 = W_0: infeasible in exact arithmetic, refused before any work."""
    assert main(["system", "--lam", "0.6", "--W-limit", repr(0.6 / 0.4)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "always-split" in err
