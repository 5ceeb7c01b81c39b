"""run_claim: the certificate directory is an argument, never an environment variable."""

from __future__ import annotations

import os
from fractions import Fraction
from pathlib import Path

from games import ThresholdStrategy, paper_game
from proofs.checkers.registry import check_certificate
from proofs.claims.claim import Claim, ClaimResult, run_claim
from proofs.claims.registry import CLAIMS


def test_run_claim_writes_to_cert_dir_and_leaves_the_environment_alone(tmp_path, monkeypatch):
    decoy = tmp_path / "decoy"
    monkeypatch.setenv("QCOORD_CERT_DIR", str(decoy))
    before = dict(os.environ)
    mine = tmp_path / "mine" / "deterministic"  # not there yet: run_claim creates it
    claim = next(c for c in CLAIMS if c.id == "deterministic")
    res, secs = run_claim(claim, quick=True, cert_dir=mine)
    assert dict(os.environ) == before
    assert res.status == "proved" and secs > 0
    written = sorted(mine.glob("*.json"))
    assert written and sorted(Path(p) for p in res.data["certificates"].values()) == written
    assert not decoy.exists()
    # the certificates bracket the value of a threshold strategy evaluated here in closed form (games, floats)
    lo, up = (check_certificate(p) for p in (res.data["certificates"]["lower"], res.data["certificates"]["upper"]))
    one_player = ThresholdStrategy((), (1 - 2 * 0.33,), 1, 1).win_probability(paper_game(0.33))
    assert Fraction(lo.target.game["C"]) == Fraction(33, 100) and lo.target.n is None
    assert one_player <= float(lo.value) <= float(up.value) <= one_player + 1e-3


def test_the_check_gets_the_directory_and_sees_the_environment_unchanged(tmp_path, monkeypatch):
    monkeypatch.setenv("QCOORD_CERT_DIR", str(tmp_path / "decoy"))
    seen = {}

    def spy(*, quick: bool, cert_dir: Path) -> ClaimResult:
        seen.update(quick=quick, cert_dir=cert_dir, env=os.environ.get("QCOORD_CERT_DIR"), exists=cert_dir.is_dir())
        return ClaimResult("proved", "ok", "spy")

    res, _ = run_claim(Claim("spy", "-", "-", "-", spy), quick=False, cert_dir=str(tmp_path / "c"))
    assert res.status == "proved"
    assert seen == {"quick": False, "cert_dir": tmp_path / "c", "env": str(tmp_path / "decoy"), "exists": True}


def test_a_check_that_raises_is_an_error_and_a_missing_check_is_not_yet_checked(tmp_path):
    def boom(*, quick: bool, cert_dir: Path) -> ClaimResult:
        raise RuntimeError("solver fell over")

    res, _ = run_claim(Claim("boom", "-", "-", "-", boom), quick=True, cert_dir=tmp_path)
    assert res.status == "error" and "solver fell over" in res.evidence
    res, secs = run_claim(Claim("none", "-", "-", "-"), quick=True, cert_dir=tmp_path / "unused")
    assert res.status == "not yet checked" and secs == 0.0


def test_every_registered_check_takes_quick_and_cert_dir_by_keyword():
    import inspect

    for c in CLAIMS:
        assert c.check is not None, c.id
        params = dict(inspect.signature(c.check).parameters)
        # the checks that run batches also take where their jobs run, as optional keywords
        jobs = {n: params.pop(n) for n in ("workers", "dask") if n in params}
        assert all(p.kind is inspect.Parameter.KEYWORD_ONLY and p.default is not inspect.Parameter.empty for p in jobs.values()), c.id
        assert {n: p.kind for n, p in params.items()} == {"quick": inspect.Parameter.KEYWORD_ONLY, "cert_dir": inspect.Parameter.KEYWORD_ONLY}, c.id
        assert all(p.default is inspect.Parameter.empty for p in params.values()), c.id


def test_where_jobs_run_goes_only_to_the_checks_that_take_it(tmp_path):
    seen = {}

    def batch(*, quick: bool, cert_dir: Path, workers: int = 2, dask: str | None = None) -> ClaimResult:
        seen["batch"] = (workers, dask)
        return ClaimResult("proved", "ok", "spy")

    def plain(*, quick: bool, cert_dir: Path) -> ClaimResult:
        seen["plain"] = True
        return ClaimResult("proved", "ok", "spy")

    for fn in (batch, plain):
        res, _ = run_claim(Claim(fn.__name__, "-", "-", "-", fn), quick=True, cert_dir=tmp_path, workers=3, dask="tcp://h:8786")
        assert res.status == "proved", res.evidence
    assert seen == {"batch": (3, "tcp://h:8786"), "plain": True}
    run_claim(Claim("batch", "-", "-", "-", batch), quick=True, cert_dir=tmp_path)  # nothing given: the check's own defaults
    assert seen["batch"] == (2, None)
