"""Differential forgery fuzzer, short budget: every certificate kind, fixed seeds.

For each kind and sub-space a few random instances are generated; the true
value comes from an independent oracle (:mod:`tests.fuzz.oracles`), the
genuine certificate from the project's producer, and the forgeries claim
beyond the truth (:mod:`tests.fuzz.kinds`).  A forgery accepted beyond the
truth, a genuine certificate rejected, or a checker crash fails the test.
The long budget is ``python tests/fuzz/run_fuzz.py --minutes 30``.
"""

from __future__ import annotations

from fractions import Fraction

import pytest

from proofs.checkers.registry import CHECKERS
from tests.fuzz import oracles as orc
from tests.fuzz import runner
from tests.fuzz.kinds import FUZZERS, KNOWN_DEFECTS, Case, Check
from tests.fuzz.runner import fuzz

#: cases per (kind, sub-space) in the short budget (the system kinds solve an operating point per case)
SHORT_CASES = {"system-dual": 1, "werner-system-dual": 1, "system-strategy": 1, "routers-continuum-dual": 1, "slot-queue-bracket": 1, "routers-ideal": 1}
DEFAULT_CASES = 2


def _params() -> list:
    out = []
    for kind, spaces in FUZZERS.items():
        for space in spaces:
            marks = [pytest.mark.xfail(strict=True, reason=KNOWN_DEFECTS[(kind, space)])] if (kind, space) in KNOWN_DEFECTS else []
            out.append(pytest.param(kind, space, marks=marks, id=f"{kind}-{space}"))
    return out


def _assert_clean(t: runner.Tally) -> None:
    assert t.cases >= 1, f"every case was skipped ({t.skipped})"
    assert t.forged > 0 and t.genuine > 0
    assert not t.findings, "\n".join(f.line() for f in t.findings[:6])
    assert t.rejected == t.forged and t.accepted == t.genuine


def test_every_registered_kind_has_a_fuzzer() -> None:
    # a new certificate kind without a fuzzer entry fails here
    assert set(CHECKERS) == set(FUZZERS), f"kinds without a fuzzer: {sorted(set(CHECKERS) - set(FUZZERS))}; fuzzers without a kind: {sorted(set(FUZZERS) - set(CHECKERS))}"
    assert all(FUZZERS[k] for k in FUZZERS)


@pytest.mark.parametrize(("kind", "space"), _params())
def test_no_false_accepts_short(kind: str, space: str) -> None:
    _assert_clean(fuzz(kind, space, cases=SHORT_CASES.get(kind, DEFAULT_CASES), seed=0))


@pytest.mark.slow
@pytest.mark.parametrize(("kind", "space"), _params())
def test_no_false_accepts_longer(kind: str, space: str) -> None:
    _assert_clean(fuzz(kind, space, cases=4 * SHORT_CASES.get(kind, DEFAULT_CASES), seed=1))


# ---------------------------------------------------------------- the audit's reproducers
def test_werner_strategy_boundary_cells_reproducer() -> None:
    # uniform law, t = 3000001/1000000, N = 6, v = 0, both routers always +1: the strategy wins P(bunch) = 7/8 = 63/72
    from proofs.checkers.registry import check_certificate
    from proofs.exact import CertificateError, new_certificate

    game = {"type": "sum-threshold", "law": "uniform", "t": "3000001/1000000"}
    n = 6
    truth = 0.5 + 0.5 * float(orc.cell_matrix(game, n).sum())
    assert abs(truth - 63 / 72) < 1e-6  # P(X1 + X2 <= 3) for uniform(0, 2): 1 - (1/2)(1/2)^2 = 7/8 (t is 3 + 1e-6)
    cert = new_certificate("werner-strategy", game, n, "lower", Fraction(65, 72), bins=n, v="0", denominator=1,
                           a={"s": [1] * n, "r": [[0, 0, 0]] * n}, b={"s": [1] * n, "r": [[0, 0, 0]] * n})
    with pytest.raises(CertificateError):
        check_certificate(cert)


# ---------------------------------------------------------------- the fuzzer itself can fail
def _tiny_case() -> Case:
    from proofs.exact import new_certificate

    cert = new_certificate("classical-strategy", {"type": "linear", "s": "1"}, 1, "lower", Fraction(1, 2), bins=1, g=[1], h=[1])
    case = Case("classical-strategy", "closed", {})
    # g = h = +1 on one bin of a + b <= 1: bunch half the time, value exactly 1/2
    case.checks = [Check("forged", {**cert, "bound": "51/100"}, "lower", 0.51, (0.5, 0.5), "reject"),
                   Check("genuine", {**cert, "bound": "49/100"}, "lower", 0.49, (0.5, 0.5), "accept")]
    return case


def test_runner_reports_a_checker_that_accepts_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "check_certificate", lambda cert: None)
    t = runner.Tally()
    runner.run_case(_tiny_case(), 0, t)
    assert t.false_accepts == 1 and t.genuine_rejected == 0


def test_runner_reports_a_checker_that_rejects_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    from proofs.exact import CertificateError

    def reject(cert: object) -> None:
        raise CertificateError("no")

    monkeypatch.setattr(runner, "check_certificate", reject)
    t = runner.Tally()
    runner.run_case(_tiny_case(), 0, t)
    assert t.false_accepts == 0 and t.genuine_rejected == 1


def test_runner_passes_the_real_checker_on_the_tiny_case() -> None:
    t = runner.Tally()
    runner.run_case(_tiny_case(), 0, t)
    assert (t.rejected, t.accepted) == (1, 1) and not t.findings


def test_runner_records_why_a_case_was_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.fuzz.kinds import Skip

    def producer_fails(rng: object) -> Case:
        raise Skip("producer: SolverError('dual above primal')")

    monkeypatch.setitem(FUZZERS, "fake-kind", {"any": producer_fails})
    t = runner.fuzz("fake-kind", "any", cases=1, seed=3)
    assert t.skipped == 10 and t.cases == 0  # (at most 5 * cases + 5 attempts)
    assert len(t.skips) == 10 and all("dual above primal" in why for _, why in t.skips)
    assert t.skips[0][0] == runner.case_seed(3, "fake-kind", "any", 0)
