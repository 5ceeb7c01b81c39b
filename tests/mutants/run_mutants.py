"""Mutation check of the checkers' margins: delete each margin or error term, run the tests, name the killer.

Usage (from the repository root)::

    python tests/mutants/run_mutants.py            # every mutant
    python tests/mutants/run_mutants.py dp-ceil    # selected mutants by name

Each mutant replaces one exact snippet of a checker (the snippet must occur
exactly once, so a stale mutant fails loudly instead of passing silently),
in a temporary copy of the source tree.  The checker tests then run with
``-x``; the first failing test is the mutant's killer.  The script exits 1
if a mutant survives.  It is not collected as a test (no ``test_`` prefix,
work only under ``__main__``).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

TESTS = [
    "tests/proofs/test_check_margins.py",
    "tests/proofs/exact",
    "tests/proofs/test_check_quantum.py",
    "tests/proofs/test_check_classical.py",
    "tests/proofs/test_forgery.py",
]

#: name, file, exact snippet, replacement, what the mutant deletes
MUTANTS: list[tuple[str, str, str, str, str]] = [
    (
        "vectors-rounding", "proofs/check_quantum.py",
        "err = gamma(2 * n + 1) * (1 + gd) * s_abs + gd * s_abs + r_sum + under", "err = r_sum",
        "quantum-vectors: the whole floating-point error term (lemma Q4)",
    ),
    (
        "vectors-radius", "proofs/check_quantum.py",
        "err = gamma(2 * n + 1) * (1 + gd) * s_abs + gd * s_abs + r_sum + under",
        "err = gamma(2 * n + 1) * (1 + gd) * s_abs + gd * s_abs + under",
        "quantum-vectors: the enclosure radius of M",
    ),
    (
        "dual-radius", "proofs/check_quantum.py",
        "row, col = dual_margins(r)", "row, col = dual_margins(0 * r)",
        "tsirelson-dual: the enclosure margin of lemma Q2",
    ),
    (
        "theorem-v-shift", "proofs/exact/psd.py",
        "    c = rump_shift(a)\n", "    c = 0.0\n",
        "verified Cholesky: the diagonal shift of Theorem V",
    ),
    (
        "schur-error", "proofs/exact/psd.py",
        "err = gam * (exact_float_sum(gd) + k * under) / (1 - gam) + k * under + 2 * _U * exact_float_sum(d)",
        "err = k * under + 2 * _U * exact_float_sum(d)",
        "lemma Q5: the rounding error gamma tr(K) of the Schur product",
    ),
    (
        "schur-diag-rounding", "proofs/exact/psd.py",
        "err = gam * (exact_float_sum(gd) + k * under) / (1 - gam) + k * under + 2 * _U * exact_float_sum(d)",
        "err = gam * (exact_float_sum(gd) + k * under) / (1 - gam) + k * under",
        "lemma Q5: the rounding of the Schur diagonal y - G_jj",
    ),
    (
        "schur-underflow", "proofs/exact/psd.py",
        "under = n * (Fraction(float(np.abs(f).max())) + 1) / Fraction(2) ** 1072", "under = Fraction(0)",
        "lemma Q5: the gradual-underflow term of the Schur product",
    ),
    (
        "schur-theorem-v-shift", "proofs/exact/psd.py",
        "shift = float_up(Fraction(rump_shift(enc.a)) + enc.err)", "shift = float_up(enc.err)",
        "lemma Q5: Theorem V's shift for the Schur enclosure",
    ),
    (
        "margin-sum-rounding", "proofs/check_quantum.py",
        "return np.nextafter(np.nextafter(s * k, np.inf) * 0.5, np.inf)", "return s * 0.5",
        "lemma Q2 margins: rounding the float row/column sums up",
    ),
    (
        "margin-round-down", "proofs/check_quantum.py",
        "return np.nextafter(x - row, -np.inf), np.nextafter(y - col, -np.inf)", "return x - row, y - col",
        "lemma Q2 margins: rounding x - row, y - col down",
    ),
    (
        "cells-outward", "proofs/exact/cells.py",
        "hi[i, j] = float_up(val.upper())", "hi[i, j] = float(val.mid())",
        "cell enclosure: outward rounding of crossed cells",
    ),
    (
        "mid-radius-ulp", "proofs/exact/cells.py",
        "r = np.nextafter(np.maximum(self.hi - mc, mc - self.lo), np.inf)", "r = np.maximum(self.hi - mc, mc - self.lo)",
        "cell enclosure: the ulp that covers the rounding of the radius",
    ),
    (
        "strategy-round-down", "proofs/exact/values.py",
        "return Fraction(float_down(float_down(corr.lower()) / 2 + 0.5))", "return Fraction(float(corr.mid()) / 2 + 0.5)",
        "strategy values: rounding the enclosed value down",
    ),
    (
        "bnb-ceil", "proofs/check_classical.py",
        "pos.append(-((-up.numerator) // up.denominator))", "pos.append(up.numerator // up.denominator)",
        "classical-bnb: crossed cells rounded up to units (g h = +1)",
    ),
    (
        "bnb-ceil-neg", "proofs/check_classical.py",
        "neg.append(-((-dn.numerator) // dn.denominator))", "neg.append(dn.numerator // dn.denominator)",
        "classical-bnb: crossed cells rounded up to units (g h = -1)",
    ),
    (
        "dp-ceil", "proofs/check_classical_dp.py",
        "yield np.ceil(U).astype(np.int64)", "yield np.floor(U).astype(np.int64)",
        "classical-dp: rewards rounded up to units",
    ),
    (
        "dp-bin-term", "proofs/check_classical_dp.py",
        "e_up[k] = float_up(wm * D * D)", "e_up[k] = 0.0",
        "classical-dp: the within-bin term w_max D^2 of the Psi bound",
    ),
    (
        "dp-tail", "proofs/check_classical_dp.py",
        "tot = u + -((-tail.numerator) // tail.denominator)", "tot = u",
        "classical-dp: the tail term Z |K|",
    ),
    (
        "dp-float-error", "proofs/check_classical_dp.py",
        "U[:, 1] = (np.abs(t0) + e0 * (1 + 8 * _U) + e_up[k]) * (1 + 4 * _U)", "U[:, 1] = np.abs(t0) + e_up[k]",
        "classical-dp: floating-point error terms of the d = 0 rewards",
    ),
    (
        "dp-moment-error", "proofs/check_classical_dp.py",
        "mom = (np.abs(t) + e * (1 + 8 * _U)) * (1 + 4 * _U)", "mom = np.abs(t)",
        "classical-dp: floating-point error terms of the d = +-1 rewards",
    ),
    (
        "lipschitz-L", "proofs/exact/lipschitz.py",
        "    L = log_abs_upper(c0)\n", "    L = Fraction(0)\n",
        "Lipschitz cell bound: the constant |ln c0|",
    ),
    (
        "lipschitz-round-up", "proofs/exact/lipschitz.py",
        "return Fraction(float_up(float_up(ball.upper())))", "return Fraction(float(ball.mid()))",
        "Lipschitz cell bound: rounding |ln c0| up",
    ),
]


def _copy_tree(dst: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", ".git", ".hypothesis", ".pytest_cache", "*.png")
    for name in ("proofs", "bounds", "games", "analytic", "tests"):
        shutil.copytree(ROOT / name, dst / name, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", dst / "pyproject.toml")


def run(names: list[str]) -> int:
    chosen = [m for m in MUTANTS if not names or m[0] in names]
    survived = 0
    with tempfile.TemporaryDirectory(prefix="qcoord-mutants-") as tmp:
        work = Path(tmp)
        _copy_tree(work)
        env = {**os.environ, "PYTHONPATH": str(work), "PYTHONDONTWRITEBYTECODE": "1"}
        print(f"{'mutant':22s} {'deleted':62s} result")
        for name, rel, old, new, what in chosen:
            path = work / rel
            original = path.read_text()
            if original.count(old) != 1:
                print(f"{name:22s} {what:62s} STALE: snippet found {original.count(old)} times in {rel}")
                survived += 1
                continue
            path.write_text(original.replace(old, new))
            start = time.perf_counter()
            try:
                res = subprocess.run(
                    [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:randomly", "-p", "no:cacheprovider", *TESTS],
                    cwd=work, env=env, capture_output=True, text=True, timeout=1800,
                )
            finally:
                path.write_text(original)
            secs = time.perf_counter() - start
            failed = re.findall(r"^FAILED (\S+)", res.stdout, flags=re.M)
            if res.returncode == 0:
                survived += 1
                print(f"{name:22s} {what:62s} SURVIVED ({secs:.0f} s)", flush=True)
            else:
                killer = failed[0] if failed else f"pytest exit {res.returncode}"
                print(f"{name:22s} {what:62s} killed by {killer} ({secs:.0f} s)", flush=True)
    print(f"\n{len(chosen) - survived} of {len(chosen)} mutants killed")
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(run(sys.argv[1:]))
