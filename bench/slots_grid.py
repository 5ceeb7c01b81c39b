"""The answer grid of timeslotted routing: R_k(tau) of the slotted quantum class against the best classical policy.

Run from the repository root::

    PYTHONPATH=$PWD python bench/slots_grid.py --rho 0.6 --law exponential --slack 1.5 --tau 0.25 0.5 1 2 4 --json out.json

For each (law, rho, W_limit = slack x W_arrival) it solves the three classes at every
tau (bounds.slots.compare_slots), adds route-on-arrival (fair coins: closed form;
shared-coin windows: simulated), and prints E[T_B] (k = 2 unless --k), the W_q
brackets and the ratio of the slotted quantum rule to the best classical policy.
Estimates throughout (see bounds.slots).
"""

from __future__ import annotations

import argparse
import json
import math
import time

from analytic.laws.service import ServiceLaw
from bounds.slots import compare_slots, slot_point


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rho", type=float, nargs="+", default=[0.3, 0.6, 0.8])
    ap.add_argument("--law", nargs="+", default=["exponential", "hyperexponential:2"])
    ap.add_argument("--slack", type=float, nargs="+", default=[1.1, 1.5])
    ap.add_argument("--tau", type=float, nargs="+", default=[0.25, 0.5, 1.0, 2.0, 4.0])
    ap.add_argument("--theta", type=float, nargs="+", default=[0.5, 1.0, 2.0, 4.0])
    ap.add_argument("--k", type=float, default=2.0)
    ap.add_argument("--h", type=float, default=0.05)
    ap.add_argument("--steps", type=int, default=8)
    ap.add_argument("--json", default=None)
    a = ap.parse_args(argv)
    out = []
    for law_name in a.law:
        law = ServiceLaw.named(law_name)
        for rho in a.rho:
            for slack in a.slack:
                t0 = time.time()
                W0 = rho * law.second_moment / (2 * (1 - rho))
                pt = slot_point(rho / law.mean, slack * W0, law=law, k=a.k, h=a.h)
                cmp = compare_slots(pt, tuple(a.tau), steps=a.steps, thetas=tuple(a.theta))
                d = cmp.to_dict()
                d["seconds"] = time.time() - t0
                out.append(d)
                print(f"\n{law_name} rho={rho} W_limit={pt.W_limit:.4f} (= {slack} x W_arrival {W0:.4f}) k={a.k}  [{d['seconds']:.0f} s]")
                for p in cmp.arrival:
                    print(f"  arrival {p.family:18s} TB={p.tb:.4f} Wq=[{p.wq_lo:.4f},{p.wq_hi:.4f}] {p.params} feasible={p.feasible}")
                for t in cmp.taus:
                    row = cmp.slotted[t]
                    cells = "  ".join(f"{m[:5]}:{row[m].tb:.4f}{'' if row[m].feasible else '(x)'} Wq=[{row[m].wq_lo:.3f},{row[m].wq_hi:.3f}] ps={row[m].p_split:.3f}"
                                      for m in ("ideal", "classical", "quantum"))
                    r = cmp.ratio[t]
                    print(f"  tau={t:<5g} pc={row['quantum'].p_coord:.3f}  {cells}  q/best-classical={'nan' if math.isnan(r) else f'{r:.4f}'}")
                print(f"  best classical: {cmp.best_classical.family} {cmp.best_classical.params} TB={cmp.best_classical.tb:.4f}; "
                      f"best tau: {d['best_tau']}; simultaneous-pair R_k = {cmp.pair_ratio}")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(out, f, indent=1, default=str)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
