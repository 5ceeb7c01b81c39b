"""Benchmark: system-level certificates (p_split brackets) for every catalogue law.

Run:  python bench/system_certificates.py [LAW ...]     (default: the 13 laws of ``qcoord laws``)

At rho = 0.6 and W_l halfway between the law's always-split and always-bunch waiting times, for
the classical and the quantum class: the solve (``bounds.system.solve_class``, default tolerance),
then the ``"system-dual"`` and ``"system-strategy"`` certificates -- time to produce each and time
for ``proofs.checkers.registry.check_certificate`` to verify it -- and the certified bracket [lower, upper]
with its width, and whether it contains the solver's estimate.  Prints one table row per law and
class; nothing is asserted (timings vary with the machine).
"""

from __future__ import annotations

import sys
import time


def halfway(label: str):  # noqa: ANN201
    from analytic.laws.service import ServiceLaw
    from bounds.system_point import operating_point

    sl = ServiceLaw.named(label)
    probe = operating_point(0.6, 1e12, law=sl)
    return operating_point(0.6, probe.W_split + 0.5 * (probe.W_bunch - probe.W_split), law=sl)


def main(labels: list[str]) -> None:
    from bounds.system import solve_class
    from bounds.system_certificates import dual_certificate, strategy_certificate
    from proofs.checkers.registry import check_certificate

    print(f"{'law':20s} {'class':9s} {'solve s':>7s} {'dual prod/check s':>17s} {'strat prod/check s':>18s} "
          f"{'lower':>16s} {'upper':>16s} {'width':>9s} ok")
    for label in labels:
        pt = halfway(label)
        for model in ("classical", "quantum"):
            t0 = time.perf_counter()
            sol = solve_class(pt, model)
            t1 = time.perf_counter()
            lo_c = dual_certificate(pt, model, sol.nu)
            t2 = time.perf_counter()
            lo = check_certificate(lo_c)
            t3 = time.perf_counter()
            up_c = strategy_certificate(pt, sol)
            t4 = time.perf_counter()
            up = check_certificate(up_c)
            t5 = time.perf_counter()
            ok = lo.value <= sol.p_split <= up.value
            print(f"{label:20s} {model:9s} {t1 - t0:7.1f} {t2 - t1:8.2f}/{t3 - t2:<8.2f} {t4 - t3:9.2f}/{t5 - t4:<8.2f} "
                  f"{float(lo.value):16.12f} {float(up.value):16.12f} {float(up.value - lo.value):9.2e} {ok}", flush=True)


if __name__ == "__main__":
    from analytic.laws.catalogue import LAW_CATALOGUE

    main(sys.argv[1:] or [s.label for s in LAW_CATALOGUE])
