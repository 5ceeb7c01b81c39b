"""Long-budget differential forgery fuzzer: ``python tests/fuzz/run_fuzz.py --minutes 30 [--kinds K ...] [--seed S]``.

Round-robin over every (certificate kind, sub-space) of
:data:`tests.fuzz.kinds.FUZZERS`, one case at a time, until the budget is
spent; then prints, per kind, the cases run, forgeries rejected, genuine
certificates accepted and FALSE ACCEPTS, and the first findings in full.
Exit status 1 if any false accept (or checker crash) was found, 0
otherwise; ``--allow-known`` exits 0 when every false accept lies in a
sub-space of :data:`tests.fuzz.kinds.KNOWN_DEFECTS`.  Rejected genuine
certificates (a producer's certificate refused at the truth minus a margin)
are printed and counted but are not false accepts.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.fuzz.kinds import FUZZERS, KNOWN_DEFECTS  # noqa: E402
from tests.fuzz.runner import Tally, fuzz  # noqa: E402


def _positive(s: str) -> float:
    try:
        v = float(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive number of minutes; got {s!r}") from None
    if not 0 < v <= 24 * 60:
        raise argparse.ArgumentTypeError(f"expected minutes in (0, 1440]; got {s!r}")
    return v


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=_positive, default=30.0, help="time budget in minutes (default 30)")
    ap.add_argument("--kinds", nargs="+", default=None, metavar="KIND", help=f"kinds to fuzz (default all: {', '.join(FUZZERS)})")
    ap.add_argument("--seed", type=int, default=0, help="base seed (default 0); each case has its own fixed seed")
    ap.add_argument("--allow-known", action="store_true", help="exit 0 when every false accept is a known defect")
    ap.add_argument("--show", type=int, default=5, help="findings printed in full per sub-space (default 5)")
    args = ap.parse_args(argv)
    kinds = args.kinds or list(FUZZERS)
    bad = [k for k in kinds if k not in FUZZERS]
    if bad:
        print(f"run_fuzz: unknown kind(s) {bad}; known: {', '.join(FUZZERS)}", file=sys.stderr)
        return 2
    pairs = [(k, s) for k in kinds for s in FUZZERS[k]]
    tallies = {p: Tally() for p in pairs}
    index = dict.fromkeys(pairs, 0)
    deadline = time.perf_counter() + 60 * args.minutes
    while time.perf_counter() < deadline:
        for p in pairs:
            if time.perf_counter() >= deadline:
                break
            t = tallies[p]
            before = t.cases + t.skipped
            fuzz(p[0], p[1], cases=1, seed=args.seed, start=index[p], tally=t)
            index[p] += max(1, t.cases + t.skipped - before)
    head = f"{'kind':24s} {'sub-space':20s} {'cases':>6s} {'skip':>5s} {'forged':>7s} {'rejected':>8s} {'genuine':>7s} {'accepted':>8s} {'FALSE ACC':>9s} {'gen.rej':>7s} {'crash':>5s} {'1st FA':>6s} {'s':>6s}"
    print(head)
    print("-" * len(head))
    unknown = 0
    for (k, s), t in tallies.items():
        known = KNOWN_DEFECTS.get((k, s))
        bad_here = t.false_accepts + t.genuine_rejected + t.crashes
        if t.false_accepts + t.crashes and not known:
            unknown += t.false_accepts + t.crashes
        first = "-" if t.first_false_accept_case is None else str(t.first_false_accept_case)
        print(f"{k:24s} {s:20s} {t.cases:6d} {t.skipped:5d} {t.forged:7d} {t.rejected:8d} {t.genuine:7d} {t.accepted:8d} {t.false_accepts:9d} "
              f"{t.genuine_rejected:7d} {t.crashes:5d} {first:>6s} {t.seconds:6.0f}" + ("   (known defect)" if known and bad_here else ""))
    per_kind: dict[str, Tally] = {}
    for (k, _), t in tallies.items():
        per_kind.setdefault(k, Tally()).add(t)
    print()
    print(f"{'kind':24s} {'cases':>6s} {'forgeries rejected':>20s} {'genuine accepted':>18s} {'FALSE ACCEPTS':>14s}")
    for k, t in per_kind.items():
        print(f"{k:24s} {t.cases:6d} {f'{t.rejected}/{t.forged}':>20s} {f'{t.accepted}/{t.genuine}':>18s} {t.false_accepts:14d}")
    total = sum(t.false_accepts for t in tallies.values())
    known_fa = sum(t.false_accepts for p, t in tallies.items() if p in KNOWN_DEFECTS)
    print(f"\ntotal false accepts: {total} ({known_fa} in sub-spaces of known defects, {total - known_fa} new)")
    print(f"genuine certificates rejected: {sum(t.genuine_rejected for t in tallies.values())}; checker crashes: {sum(t.crashes for t in tallies.values())}")
    for (k, s), t in tallies.items():
        if t.findings:
            known = KNOWN_DEFECTS.get((k, s))
            print(f"\n== {k} [{s}]: {len(t.findings)} finding(s)" + (f" -- known defect: {known}" if known else ""))
            for f in t.findings[: args.show]:
                print(f.line())
    for (k, s), t in tallies.items():
        if t.skips:
            print(f"\n-- {k} [{s}]: {len(t.skips)} skipped case(s)")
            for seed, why in t.skips[: args.show]:
                print(f"    seed {seed}: {why}")
    findings = sum(t.false_accepts + t.crashes for t in tallies.values())
    if findings == 0 or (args.allow_known and unknown == 0):
        return 0
    return 1


if __name__ == "__main__":
    sys.exit(main())
