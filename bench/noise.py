"""Benchmark: the exact ``werner-strategy`` checker vs a plain exact evaluation in ``fractions.Fraction``.

Both compute the exact value of the same explicit Werner strategy on the
paper's game (rationals everywhere; the crossed cells' logarithms enclosed in
arb balls).  The checker sums the cells inside a region as one integer
bilinear form per component (int64 row sums with a proved bound, then Python
integers); the peer loops over every cell in Fraction arithmetic.  Prints the
seconds, the ratio and the agreement of the two values.

Run: ``python bench/noise.py [--sizes 100,200,400]``.
"""

from __future__ import annotations

import argparse
import sys
import time
from fractions import Fraction
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bounds.noise import scaled_optimum, werner_certificate  # noqa: E402
from bounds.tsirelson import tsirelson  # noqa: E402
from games import discretise, paper_game  # noqa: E402
from proofs.checkers.noise import check_werner_strategy  # noqa: E402
from proofs.exact.cells import cell_enclosure  # noqa: E402
from proofs.exact.rational import float_down  # noqa: E402


def naive_value(cert: dict) -> Fraction:
    """Cell-by-cell exact value (the peer): the same rationals and arb logarithms, no integer forms."""
    from flint import arb

    n, d = cert["N"], cert["denominator"]
    v = Fraction(cert["v"])
    enc = cell_enclosure(cert["game"], n)
    sa, ra, sb, rb = cert["a"]["s"], cert["a"]["r"], cert["b"]["s"], cert["b"]["r"]
    total, logs = Fraction(0), arb(0)
    for i in range(n):
        for j in range(n):
            e = Fraction(sa[i] * sb[j], d * d) - v * Fraction(sum(x * y for x, y in zip(ra[i], rb[j])), d * d)
            k = int(enc.kind[i, j])
            if k != 0:
                total += e * Fraction(k, n * n)
            else:
                q, c, r = enc.crossed_exact[(i, j)]
                total += e * q
                if c != 0 and e != 0:
                    p = e * c
                    logs += (arb(p.numerator) / arb(p.denominator)) * (arb(r.numerator) / arb(r.denominator)).log()
    return Fraction(1, 2) + (total + Fraction(float_down(logs.lower()))) / 2


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100,200,400", help="comma-separated N")
    args = ap.parse_args()
    print(f"{'N':>6} {'checker s':>10} {'Fraction loop s':>16} {'ratio':>7} {'|difference|':>13}")
    for n in (int(x) for x in args.sizes.split(",")):
        disc = discretise(paper_game(0.33), n)
        res = tsirelson(disc)
        cert = werner_certificate(disc, scaled_optimum(res.strategy.u, res.strategy.v), 0.85)
        t0 = time.perf_counter()
        b = check_werner_strategy(cert, "bench")
        t1 = time.perf_counter()
        peer = naive_value(cert)
        t2 = time.perf_counter()
        diff = abs(float(b.details["proven"] - peer))
        print(f"{n:6d} {t1 - t0:10.3f} {t2 - t1:16.3f} {(t2 - t1) / (t1 - t0):6.0f}x {diff:13.2e}")


if __name__ == "__main__":
    main()
