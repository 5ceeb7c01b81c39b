"""Benchmark: the system problem -- exact route at one point, the N-bin peer, the (rho, W_limit) map, the table.

Run:  python bench/system.py [--point] [--peer] [--map] [--table]   (default: all)

1. ``--point``: the exact route at rho = 0.6, W_limit = 1.65 (mu = 1), k = 3: solve (ideal, classical,
   quantum) and write + check the four certificates; times per phase (imports excluded).
2. ``--peer``: at the quantum optimum's multiplier nu*, the continuum planar value (ours) against the
   N-bin Tsirelson SDP of the same kernel (bounds.tsirelson, fast solver) for N = 64, 128, 256:
   values, the discretisation gap and time ratios.
3. ``--map``: the 5 x 5 (rho, W_limit) map of bounds.system_plots.advantage_map, its time (target < 2 min),
   the largest gain, and the certified R_k (k = 2, 3, 5) at that point; writes system_map.png.
4. ``--table``: rho in {0.3, 0.6, 0.8}, two W_limit each (15 % and 30 % of the always-bunch excess wait):
   p_ideal, the exact route's p_c, p_q and R_3, and the proxy route's pure (one C_t per class) and mixed
   (shared coin over two C_t) p_c and p_q (estimates) -- the README table; then the proxy values again with
   the C_t search refined (twice the grid, half the jump tolerance, a quarter of the C_t tolerance) and the
   largest change.
"""

from __future__ import annotations

import argparse
import tempfile
import time


def bench_point() -> None:
    from bounds.system import solve_class
    from bounds.system_point import operating_point
    from proofs.certify.system import system_result

    pt = operating_point(0.6, 1.65)
    solve_class(pt, "classical")  # warm caches (quadrature nodes)
    t = time.perf_counter()
    sols = {m: solve_class(pt, m) for m in ("ideal", "classical", "quantum")}
    t_solve = time.perf_counter() - t
    t = time.perf_counter()
    res = system_result(0.6, 1.65, 3, cert_dir=tempfile.mkdtemp())
    t_all = time.perf_counter() - t
    br = res.exact.brackets
    print(f"exact route at rho=0.6, W_l=1.65: solve {t_solve:.2f} s; solve + certify + check {t_all:.2f} s (target < 5 s)")
    for m in ("classical", "quantum"):
        b = br[m]
        print(f"  {m:9s} p_split = {sols[m].p_split:.12f}  certified [{float(b.lower.value):.12f}, {float(b.upper.value):.12f}]  width {float(b.width):.1e}")
    print(f"  ideal     p_split = {sols['ideal'].p_split:.12f}; R_3 = {res.exact.R_k:.6f} (certified >= {res.exact.extra['R_k_lower']:.6f})")


def bench_peer() -> None:
    import numpy as np

    from bounds.system import solve_class
    from bounds.system_duals import dual_quantum
    from bounds.system_point import operating_point
    from bounds.tsirelson import tsirelson

    pt = operating_point(0.6, 1.65)
    nu = solve_class(pt, "quantum").nu
    t = time.perf_counter()
    ours = dual_quantum(pt, nu).bias
    t_ours = time.perf_counter() - t
    print(f"quantum kernel game at nu* = {nu:.6f}: continuum planar value {ours:.12f} in {t_ours:.3f} s")
    for n in (64, 128, 256):
        with np.errstate(divide="ignore"):
            e = np.asarray(pt.law.ppf(np.arange(n + 1) / n), dtype=float)
        e[-1] = np.inf
        phi = np.array([[pt.law.prob(e[i], e[i + 1]), pt.law.partial_mean(e[i], e[i + 1])] for i in range(n)])
        K = phi @ pt.matrix(nu) @ phi.T
        t = time.perf_counter()
        r = tsirelson(K)
        dt = time.perf_counter() - t
        print(f"  N = {n:4d}: Tsirelson SDP [{2 * r.lower_estimate - 1:.9f}, {2 * r.upper_estimate - 1:.9f}] in {dt:.2f} s; "
              f"continuum - N-bin = {ours - (2 * r.lower_estimate - 1):.2e}; time ratio peer/ours = {dt / t_ours:.1f}")


def bench_map() -> None:
    from bounds.system_plots import advantage_map, plot_map
    from proofs.certify.system import system_result

    t = time.perf_counter()
    rows = advantage_map()
    dt = time.perf_counter() - t
    best = max(rows, key=lambda r: r["ratio"])
    print(f"(rho, W_limit) map, {len(rows)} points: {dt:.1f} s (target < 120 s)")
    for r in rows:
        print(f"  rho={r['rho']:.2f} share={r['fraction']:.2f} W_l={r['W_limit']:.4f}: p_ideal={r['p_ideal']:.4f} p_c={r['p_c']:.4f} p_q={r['p_q']:.4f} (1+p_c)/(1+p_q)={r['ratio']:.5f}")
    wl = round(best["W_limit"], 10)
    res = system_result(best["rho"], wl, 3, cert_dir=tempfile.mkdtemp())
    c, q = res.exact.brackets["classical"], res.exact.brackets["quantum"]
    rk = {k: ((1 + float(c.lower.value)) / (1 + float(q.upper.value))) ** (k - 1) for k in (2, 3, 5)}
    print(f"largest gain at rho = {best['rho']}, W_limit = {wl}: certified " + ", ".join(f"R_{k} >= {v:.6f}" for k, v in rk.items()))
    print("map plot:", plot_map(rows, "system_map.png"))


def bench_table() -> None:
    from bounds.system_point import operating_point
    from bounds.system_proxy import proxy_route
    from proofs.certify.system import system_result

    t0 = time.perf_counter()
    print("| rho | W_l | p_ideal | exact p_c | exact p_q | exact R_3 | proxy p_c pure | proxy p_q pure | proxy p_c mixed | proxy p_q mixed |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    conv = []
    for rho in (0.3, 0.6, 0.8):
        base = operating_point(rho, 1e9)
        for share in (0.15, 0.3):
            wl = round(base.W_split + share * (base.W_bunch - base.W_split), 6)
            res = system_result(rho, wl, 3, route="both", cert_dir=tempfile.mkdtemp())
            ex, pr = res.exact, res.proxy
            p, pp, pm = ex.p_split, pr.p_split, pr.extra["mixed"]["p_split"]
            print(f"| {rho} | {wl:.4f} | {p['ideal']:.4f} | {p['classical']:.6f} | {p['quantum']:.6f} | {ex.R_k:.4f} | "
                  f"{pp['classical']:.4f} | {pp['quantum']:.4f} | {pm['classical']:.4f} | {pm['quantum']:.4f} |")
            s = pr.extra["search"]
            fine = proxy_route(operating_point(rho, wl), grid=2 * s["grid"], delta=s["delta"] / 2, tol_C=s["tol_C"] / 4)
            coarse = (pp["classical"], pp["quantum"], pm["classical"], pm["quantum"])
            refined = (fine.classical.p_split, fine.quantum.p_split, fine.classical.p_split_mixed, fine.quantum.p_split_mixed)
            conv.append((rho, wl, s, coarse, refined, pr.extra["evaluations"], fine.evaluations))
    print(f"(table: {time.perf_counter() - t0:.0f} s; proxy values are estimates, the exact p_c, p_q sit inside certified brackets)")
    print("\nproxy C_t search at two resolutions (pure p_c, pure p_q, mixed p_c, mixed p_q):")
    worst = 0.0
    for rho, wl, s, a, b, na, nb in conv:
        d = max(abs(x - y) for x, y in zip(a, b))
        worst = max(worst, d)
        print(f"  rho={rho} W_l={wl:.4f}: grid {s['grid']} ({na['classical']}+{na['quantum']} evaluations) "
              + " ".join(f"{x:.7f}" for x in a) + f" | grid {2 * s['grid']} ({nb['classical']}+{nb['quantum']}) "
              + " ".join(f"{x:.7f}" for x in b) + f" | max change {d:.1e}")
    print(f"largest change under refinement: {worst:.1e}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ("point", "peer", "map", "table"):
        ap.add_argument(f"--{name}", action="store_true")
    a = ap.parse_args()
    sel = [n for n in ("point", "peer", "map", "table") if getattr(a, n)] or ["point", "peer", "map", "table"]
    for n in sel:
        print(f"== {n} ==")
        globals()[f"bench_{n}"]()


if __name__ == "__main__":
    main()
