"""Run fuzz cases through :func:`proofs.checkers.registry.check_certificate` and tally the outcomes."""

from __future__ import annotations

import json
import time
import traceback
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from proofs.checkers.registry import check_certificate
from proofs.exact.errors import CertificateError, CertificateFormatError
from tests.fuzz.kinds import FUZZERS, KNOWN_DEFECTS, Case, Check, Skip
from tests.fuzz.oracles import OracleError


@dataclass
class Finding:
    """A checker outcome that is wrong: a false accept, a rejected genuine certificate, or a crash."""

    what: str
    kind: str
    space: str
    seed: int
    instance: dict[str, Any]
    label: str
    claim: float
    truth: tuple[float, float]
    message: str = ""

    def line(self) -> str:
        inst = json.dumps(self.instance, default=str)
        if len(inst) > 400:
            inst = inst[:400] + "..."
        return (f"{self.what}: {self.kind} [{self.space}] seed {self.seed} {self.label}: claim {self.claim!r}, "
                f"truth in [{self.truth[0]!r}, {self.truth[1]!r}] {self.message}\n    instance {inst}")


@dataclass
class Tally:
    """Counts of one (kind, sub-space)."""

    cases: int = 0
    skipped: int = 0
    forged: int = 0
    rejected: int = 0
    genuine: int = 0
    accepted: int = 0
    false_accepts: int = 0
    genuine_rejected: int = 0
    crashes: int = 0
    seconds: float = 0.0
    first_false_accept_case: int | None = None
    findings: list[Finding] = field(default_factory=list)
    #: ``(seed, reason)`` of skipped cases (a producer's error is a solver's failure worth reading, not only a count)
    skips: list[tuple[int, str]] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for k in ("cases", "skipped", "forged", "rejected", "genuine", "accepted", "false_accepts", "genuine_rejected", "crashes", "seconds"):
            setattr(self, k, getattr(self, k) + getattr(other, k))
        if self.first_false_accept_case is None and other.first_false_accept_case is not None:
            self.first_false_accept_case = other.first_false_accept_case
        self.findings.extend(other.findings)
        self.skips.extend(other.skips)


def run_check(check: Check) -> tuple[str, str]:
    """``("accept" | "reject" | "crash", message)``."""
    try:
        check_certificate(check.cert)
    except (CertificateError, CertificateFormatError) as exc:
        return "reject", str(exc)[:200]
    except Exception as exc:  # noqa: BLE001 - anything else is a checker bug
        return "crash", "".join(traceback.format_exception_only(type(exc), exc)).strip()[:300]
    return "accept", ""


def run_case(case: Case, seed: int, tally: Tally) -> None:
    """Check every certificate of ``case`` and record the outcomes in ``tally``."""
    tally.cases += 1
    for chk in case.checks:
        outcome, msg = run_check(chk)
        forged = chk.expect == "reject"
        if forged:
            tally.forged += 1
            tally.rejected += outcome == "reject"
        else:
            tally.genuine += 1
            tally.accepted += outcome == "accept"
        finding = None
        if outcome == "crash":
            tally.crashes += 1
            finding = "CRASH"
        elif outcome == "accept" and chk.false_accept():
            tally.false_accepts += 1
            finding = "FALSE ACCEPT"
            if tally.first_false_accept_case is None:
                tally.first_false_accept_case = tally.cases
        elif outcome == "reject" and not forged:
            tally.genuine_rejected += 1
            finding = "GENUINE REJECTED"
        if finding:
            tally.findings.append(Finding(finding, case.kind, case.space, seed, case.instance, chk.label, chk.claim, chk.truth, msg))


def case_seed(base: int, kind: str, space: str, i: int) -> int:
    """A fixed seed per (base seed, kind, sub-space, case index)."""
    h = sum((k + 1) * ord(c) for k, c in enumerate(f"{kind}/{space}"))
    return (base * 1_000_003 + h * 7919 + i) % 2**32


def fuzz(kind: str, space: str, *, cases: int | None = None, seconds: float | None = None, seed: int = 0, start: int = 0,
         tally: Tally | None = None) -> Tally:
    """Run ``cases`` checked cases (skips do not count; at most ``5 * cases + 5`` attempts), or as many as fit in ``seconds``."""
    gen = FUZZERS[kind][space]
    tally = Tally() if tally is None else tally
    t0 = time.perf_counter()
    i = start
    done = 0
    while True:
        if cases is not None and (done >= cases or i - start >= 5 * cases + 5):
            break
        if seconds is not None and time.perf_counter() - t0 >= seconds and i > start:
            break
        s = case_seed(seed, kind, space, i)
        i += 1
        try:
            case = gen(np.random.default_rng(s))
        except (Skip, OracleError) as exc:
            tally.skipped += 1
            tally.skips.append((s, str(exc)[:300]))
            continue
        run_case(case, s, tally)
        done += 1
    tally.seconds += time.perf_counter() - t0
    return tally


def known_defect(kind: str, space: str) -> str | None:
    return KNOWN_DEFECTS.get((kind, space))
