"""``qcoord noise``: how good must the entanglement be?  Certified values and the threshold visibility.

Routers share Werner pairs ``v |psi^-><psi^-| + (1 - v) I/4`` (fidelity
``F = (1 + 3v)/4``) and may use any local ±1 measurements.  For the paper's
game at ``C`` (continuum), prints for each visibility the certified lower
bound (an explicit strategy, lemma W1), the certified upper bound (lemma W2)
and the upper bound with the cited local model (lemma W3), then the
threshold bracket ``v* in [v_L, v_up]`` as visibility and fidelity.

JSON (``--json``, schema ``proofs/cli/schemas/noise.json``; brackets, bounds and ``R_k`` of :mod:`proofs.cli.output`)::

    {"schema", "schema_version", "C", "N",
     "continuum": {"classical": BRACKET, "quantum": BRACKET},
     "threshold": {"v": INTERVAL, "F": INTERVAL, "value_at_v_upper": BOUND | null, "planar_only_v",
                   "ratio_estimate", "projective_only_v": INTERVAL, "best_found_pure_everywhere"},
     "rows": [{"v", "F", "estimate", "werner": BRACKET (W1, W2), "upper_cited": BOUND (W3), "deterministic_bins"}],
     "system": {"status": "not computed", "reason"} | {"status": "estimates", "point", "k", "p_split": {"classical"},
                "rows": [{"v", "F", "f", "p_split": {"werner"}, "p_split_dual": {"werner"}, "R_k", "quantum_share"}],
                "supply": [... per (v, f) ...], "thresholds": {"R_k=1.01": {"v", "F"}, "R_k=1": {...}}, "cited", "method",
                "certified": {"p_split_certified": {"classical"}, "rows": [...], "thresholds"} (--certify-system)},
     "sweep": [{"C", "continuum", "threshold"}] (--sweep), "plot", "certificates": [PATH, ...]}
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable

from proofs.cli.options import (
    C_MAX,
    C_MIN,
    bins_option,
    cert_dir_option,
    integer,
    json_option,
    n_option,
    plot_option,
    plot_path,
    print_json,
    quiet_option,
    real,
    real_list,
    require_bins_memory,
    require_finite_throughput,
    require_n_memory,
    require_system_point,
    seed_option,
    system_options,
)
from proofs.exact.errors import ProofsParameterError

DEFAULT_V = "0,0.5,0.6874,0.7071,0.75,0.8,0.85,0.9,0.95,0.97,0.99,1"


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "noise",
        parents=[n_option("bins of the explicit strategies and of the quantum dual"), bins_option(200), seed_option(), cert_dir_option(), json_option(),
                 quiet_option(), *system_options(),
                 plot_option("write the certified values against v")],
        help="certified values with noisy (Werner) entanglement and the threshold visibility of the advantage",
    )
    p.add_argument("--C", type=real("--C", C_MIN, C_MAX), default=0.33, help=f"threshold constant C = exp(-mu t) in [{C_MIN:g}, {C_MAX:g}] (default 0.33)")
    p.add_argument("--v", type=real_list("--v", 0, 1), default=DEFAULT_V, help=f"comma-separated visibilities in [0, 1] (default {DEFAULT_V})")
    p.add_argument("--resolution", type=integer("--resolution", 1, 10**7), default=10_000,
                   help="grid 1/resolution on which the threshold's upper end is sought (default 10^4)")
    p.add_argument("--f", type=real_list("--f", 0, 1), default="0,0.25,0.5,0.75,1",
                   help="system level: comma-separated shares f in [0, 1] of pairs with a Werner pair ready")
    p.add_argument("--supply-plot", type=plot_path("--supply-plot"), default=None, metavar="PATH", help="system level: write R_k over the (v, f) plane")
    p.add_argument("--skip-system", action="store_true", help="game level only (no system-level section)")
    p.add_argument("--certify-system", action="store_true", help="system level: also certify p_split and R_k brackets and the threshold brackets (slower)")
    p.add_argument("--sweep", type=real_list("--sweep", C_MIN, C_MAX, max_items=100), default=None, metavar="C,C,...",
                   help=f"also bracket the threshold at each listed C in [{C_MIN:g}, {C_MAX:g}] (at most 100; no per-v rows)")
    p.set_defaults(run=run)


def parse_visibilities(text: str, option: str = "--v") -> list[float]:
    """Parse ``"0,0.5,1"``; every value must be a finite number in ``[0, 1]``.

    >>> parse_visibilities("0, 0.5,1")
    [0.0, 0.5, 1.0]
    >>> parse_visibilities("0.5,nan")
    Traceback (most recent call last):
    ...
    proofs.exact.errors.ProofsParameterError: every `--v` must be a number in [0, 1]; got 'nan'
    """
    out = []
    for item in str(text).split(","):
        item = item.strip()
        try:
            x = float(item)
        except ValueError:
            x = math.nan
        if not (math.isfinite(x) and 0.0 <= x <= 1.0):
            raise ProofsParameterError(f"every `{option}` must be a number in [0, 1]; got {item!r}")
        out.append(x)
    if not out:
        raise ProofsParameterError(f"`{option}` must list at least one value")
    return out


def parse_cs(text: str) -> list[float]:
    """Parse ``"0.2,0.33"``; every value must lie in ``(0, 1)``.

    >>> parse_cs("0.2, 0.5")
    [0.2, 0.5]
    """
    out = []
    for item in str(text).split(","):
        try:
            c = float(item.strip())
        except ValueError:
            c = math.nan
        if not (math.isfinite(c) and 0 < c < 1):
            raise ProofsParameterError(f"every `--sweep` value must lie in (0, 1); got {item.strip()!r}")
        out.append(c)
    return out


def _iv(args: argparse.Namespace) -> list[float]:
    """Every check before any work: sizes against memory and time, the system point, the value lists."""
    require_n_memory("--N", args.N)
    require_bins_memory("--bins", args.bins)
    if not args.skip_system:
        require_system_point(args.lam, args.mu, args.W_limit)
        require_finite_throughput(args.lam, args.mu, args.k)
    if isinstance(args.f, str):  # the defaults are strings
        args.f = parse_visibilities(args.f, "--f")
    return parse_visibilities(args.v) if isinstance(args.v, str) else list(args.v)


def run(args: argparse.Namespace) -> int:
    from games.progress import library_lines_off
    from proofs.cli.progress import for_command

    vs = _iv(args)
    args.v = vs
    show = for_command(args, "noise: game")
    with library_lines_off(show is not None):  # the command's own line only
        return _run(args, vs, show)


def _run(args: argparse.Namespace, vs: list[float], show: Callable[[int, int, str], None] | None) -> int:
    from proofs.certify.noise import certify_noise, fidelity_of, noise_sweep, plot_noise
    from proofs.cli.progress import for_command

    res = certify_noise(args.C, args.N, vs, bins=args.bins, resolution=args.resolution, cert_dir=args.cert_dir, seed=args.seed,
                        on_progress=show)
    out = res.to_dict()
    sweep = None
    if args.sweep is not None:
        out["sweep"] = []
        sweep = noise_sweep(list(args.sweep), args.N, bins=args.bins, resolution=args.resolution, cert_dir=args.cert_dir, seed=args.seed,
                            on_progress=for_command(args, "noise: sweep over C"))
        for r in sweep:
            t = r.to_dict()["threshold"]
            out["sweep"].append({"C": r.C, "v": t["v"], "F": t["F"], "ratio_estimate": t["ratio_estimate"], "projective_only_v": t["projective_only_v"],
                                 "classical_upper": float(r.classical.upper.value), "quantum_lower": float(r.quantum.lower.value), "certificate": t["v_upper_certificate"]})
    out["system"] = _system(args, vs, res.v_lower)
    if args.plot:
        out["plot"] = str(plot_noise(res, args.plot))
    if args.json:
        print_json(noise_json(res, out["system"], sweep, out.get("plot")))
        return 0
    from proofs.cli.output import bracket, bracket_of_bounds, trivial_note

    t = out["threshold"]
    print(f"Werner pairs v|psi-><psi-| + (1-v) I/4, F = (1+3v)/4; paper's game C = {args.C}, continuum value (strategies on N = {args.N} bins)")
    print(f"classical value (certified): [{out['classical']['lower']:.8f}, {out['classical']['upper']:.8f}]{trivial_note(bracket(res.classical))}   "
          f"noiseless quantum (certified): [{out['quantum']['lower']:.8f}, {out['quantum']['upper']:.8f}]{trivial_note(bracket(res.quantum))}")
    print(f"{'v':>7} {'F':>7}  {'lower (W1)':>11} {'upper (W2)':>11} {'upper (W3, cited)':>17}  fixed-output bins A/B")
    for r, row in zip(out["rows"], res.rows):
        a, b = r["deterministic_bins"]
        note = trivial_note(bracket_of_bounds(row.lower, row.upper))
        print(f"{r['v']:7.4f} {r['F']:7.4f}  {r['lower']:11.8f} {r['upper']:11.8f} {r['upper_cited']:17.8f}  {a}/{b}{note}")
    if t["v"][1] is None:
        print(f"threshold v*: no certified Werner strategy beats the classical upper bound {t['classical_upper']:.8f} even at v = 1; "
              f"no advantage for v <= {t['v'][0]:.4f} (cited lemma W3)")
    else:
        print(f"threshold v*: [{t['v'][0]:.4f} (cited lemma W3), {t['v'][1]:.4f} (certificate)]   "
              f"as fidelity F*: [{t['F'][0]:.5f}, {t['F'][1]:.5f}]")
        print(f"  at v = {t['v'][1]:.4f} a certified strategy reaches {t['value_at_v_upper']:.8f} > classical upper {t['classical_upper']:.8f}")
    print(f"  projective measurements on every input: advantage needs v > {t['projective_only_v'][0]:.5f} (certified); "
          f"measurements in one plane: none for v <= 1/sqrt(2) = {t['planar_only_threshold']:.4f} (F <= {float(fidelity_of(t['planar_only_threshold'])):.4f}, cited)")
    pure = "all fixed outputs or all projective" if t["best_found_pure_everywhere"] else "hybrid at some v"
    print(f"  best strategy found at every v: {pure}; estimate of v* if hybrids never help: {t['ratio_estimate']:.5f}")
    if "sweep" in out:
        print(f"threshold across C (N = {args.N}): {'C':>6} {'v* in':>17} {'F* in':>17} {'estimate':>9}")
        for r in out["sweep"]:
            hi = "none" if r["v"][1] is None else f"{r['v'][1]:.4f}"
            fhi = "-" if r["F"][1] is None else f"{r['F'][1]:.4f}"
            est = "-" if r["v"][1] is None else f"{r['ratio_estimate']:.4f}"
            print(f"{'':36}{r['C']:6.3f} [{r['v'][0]:.4f}, {hi:>6}] [{r['F'][0]:.4f}, {fhi:>6}] {est:>9}")
    _print_system(out["system"], args)
    print(f"certificates: {t['v_upper_certificate'] or '-'} (threshold), {out['certificates']['classical_upper']} (classical), "
          f"{out['certificates']['quantum_continuum_upper']} (quantum)")
    if args.plot:
        print(f"plot: {out['plot']}")
    return 0


def _threshold_json(res) -> dict:  # noqa: ANN001
    from proofs.certify.noise import fidelity_of
    from proofs.cli.output import bound

    t = res.to_dict()["threshold"]
    return {"v": {"lower": t["v"][0], "upper": t["v"][1], "lower_source": t["v_lower_source"],
                  "certificate": {"lower": None, "upper": t["v_upper_certificate"]}},
            "F": {"lower": t["F"][0], "upper": t["F"][1]},
            "value_at_v_upper": None if res.advantage is None else bound(res.advantage),
            "planar_only_v": t["planar_only_threshold"], "planar_only_F": float(fidelity_of(t["planar_only_threshold"])),
            "ratio_estimate": t["ratio_estimate"],
            "projective_only_v": {"lower": t["projective_only_v"][0], "upper": t["projective_only_v"][1]},
            "best_found_pure_everywhere": t["best_found_pure_everywhere"]}


def noise_json(res, system: dict, sweep: list | None, plot: str | None) -> dict:  # noqa: ANN001
    """The ``--json`` object of ``qcoord noise`` (schema ``noise.json``)."""
    from proofs.certify.noise import fidelity_of
    from proofs.cli.output import bound, bracket, bracket_of_bounds, finish

    body: dict = {
        "C": res.C, "N": res.n,
        "continuum": {"classical": bracket(res.classical), "quantum": bracket(res.quantum)},
        "threshold": _threshold_json(res),
        "rows": [{"v": r.v, "F": float(fidelity_of(r.v)), "estimate": r.estimate.value, "werner": bracket_of_bounds(r.lower, r.upper),
                  "upper_cited": bound(r.upper_cited), "deterministic_bins": list(r.estimate.strategy.deterministic)} for r in res.rows],
        "system": _system_json(system),
    }
    if sweep is not None:
        body["sweep"] = [{"C": r.C, "continuum": {"classical": bracket(r.classical), "quantum": bracket(r.quantum)}, "threshold": _threshold_json(r)}
                         for r in sweep]
    if plot is not None:
        body["plot"] = plot
    return finish("noise", body, res.paths.values())


def _system_json(s: dict) -> dict:
    from proofs.cli.output import bracket_of_bounds, r_k

    if s["status"] != "estimates":
        return {"status": s["status"], "reason": s["reason"]}
    k = s["point"]["k"]

    def row(r: dict) -> dict:
        return {"v": r["v"], "F": r["F"], "f": r["f"], "p_split": {"werner": r["p_split"]}, "p_split_dual": {"werner": r["p_split_dual"]},
                "R_k": r_k(k, r["R_k"], None), "quantum_share": r["quantum_share"]}

    out = {"status": "estimates", "point": {kk: v for kk, v in s["point"].items() if kk != "k"}, "k": k, "p_split": {"classical": s["p_c"]},
           "rows": [row(r) for r in s["rows"]], "supply": [row(r) for r in s["supply"]],
           "thresholds": {name.replace("R", "R_k"): t for name, t in s["thresholds"].items()}, "cited": s["certified"], "method": s["method"]}
    if "supply_plot" in s:
        out["supply_plot"] = s["supply_plot"]
    cb = s.get("certified_object")
    if cb is not None:
        out["certified"] = {
            "p_split_certified": {"classical": bracket_of_bounds(*cb.classical)},
            "rows": [{"v": r.v, "F": (1 + 3 * r.v) / 4, "f": r.f, "p_split_certified": {"werner": bracket_of_bounds(r.lower, r.upper)},
                      "R_k": [{"k": float(k), "estimate": None, "lower": r.R_lower, "upper": r.R_upper}]} for r in cb.rows],
            "thresholds": {name.replace("R", "R_k"): t for name, t in cb.thresholds.items()},
        }
    return out


def _system(args: argparse.Namespace, vs: list[float], v_local) -> dict:  # noqa: ANN001
    """System-level estimates on the exact route of :mod:`bounds.system`."""
    if args.skip_system:
        return {"status": "not computed", "reason": "--skip-system"}
    from bounds.noise_system import noisy_system, plot_supply

    fs = list(args.f)
    sysd = noisy_system(args.lam, args.W_limit, mu=args.mu, k=args.k)
    pt = sysd.point
    p_c = sysd.classical_p_split()
    rows = [sysd.solve(v).to_dict() for v in vs]
    supply = [sysd.solve(v, f).to_dict() for v in vs for f in fs]
    thr = {}
    for name, target in (("R=1.01", 1.01), ("R=1", 1.0 + 1e-9)):
        v = sysd.threshold(target)
        thr[name] = {"v": v, "F": None if v is None else (1 + 3 * v) / 4}
    out = {
        "status": "estimates",
        "point": {"lam": pt.lam, "mu": args.mu, "rho": pt.rho, "W_limit": pt.W_limit, "W_split": pt.W_split, "W_bunch": pt.W_bunch, "k": args.k},
        "p_c": p_c,
        "rows": rows,
        "supply": supply,
        "thresholds": thr,
        "certified": f"R_k = 1 for every v <= {float(v_local):.4f} and every f (cited lemma W3: Werner routers are classical there)",
        "method": "dual functions of bounds.system on a grid of multipliers; Werner class = classical and v-scaled planar strategies and their mixtures",
    }
    if args.supply_plot:
        out["supply_plot"] = str(plot_supply(sysd, args.supply_plot, v_local=float(v_local)))
    if args.certify_system:
        from proofs.certify.noise_system import certify_noise_system
        from proofs.cli.progress import for_command

        pts = tuple(dict.fromkeys([(1.0, 1.0)] + [(1.0, f) for f in fs if 0 < f < 1]))
        cert = certify_noise_system(args.lam, args.W_limit, mu=args.mu, k=args.k, points=pts, system=sysd, cert_dir=args.cert_dir,
                                    on_progress=for_command(args, "noise: certified system"))
        out["certified_brackets"] = cert.to_dict()
        out["certified_object"] = cert
    return out


def _print_system(s: dict, args: argparse.Namespace) -> None:
    if s["status"] != "estimates":
        print(f"system level: {s['status']} ({s['reason']})")
        return
    pt = s["point"]
    print(f"system level (estimates): lambda = {pt['lam']:g}, rho = {pt['rho']:g}, W_limit = {pt['W_limit']:g}, k = {pt['k']:g}; classical p_c = {s['p_c']:.6f}")
    print(f"{'v':>7} {'F':>7}  {'p_split':>9} {'(dual)':>9}  {'R_k':>8}")
    for r in s["rows"]:
        print(f"{r['v']:7.4f} {r['F']:7.4f}  {r['p_split']:9.6f} {r['p_split_dual']:9.6f}  {r['R_k']:8.5f}")
    for name, t in s["thresholds"].items():
        where = "never (even v = 1)" if t["v"] is None else f"v = {t['v']:.4f} (F = {t['F']:.4f})"
        print(f"  {name.replace('R', 'R_k')} reached at {where}")
    fs = sorted({r["f"] for r in s["supply"]})
    print("  R_k by supply f (rows v, columns f = " + ", ".join(f"{f:g}" for f in fs) + "):")
    by = {(r["v"], r["f"]): r["R_k"] for r in s["supply"]}
    for v in sorted({r["v"] for r in s["supply"]}):
        print(f"    v = {v:6.4f}: " + "  ".join(f"{by[(v, f)]:.5f}" for f in fs))
    print(f"  certified: {s['certified']}")
    cb = s.get("certified_brackets")
    if cb:
        from proofs.cli.output import bracket_of_bounds, trivial_note

        co = s["certified_object"]
        print(f"  certified brackets: p_c in [{cb['p_c'][0]:.8f}, {cb['p_c'][1]:.8f}]{trivial_note(bracket_of_bounds(*co.classical))}")
        for r, ro in zip(cb["rows"], co.rows):
            print(f"    v = {r['v']:.4f}, f = {r['f']:.3f}: p_split in [{r['p_split'][0]:.8f}, {r['p_split'][1]:.8f}], R_k in [{r['R_k'][0]:.6f}, {r['R_k'][1]:.6f}]"
                  f"{trivial_note(bracket_of_bounds(ro.lower, ro.upper))}")
        for name, t in cb["thresholds"].items():
            lo = "-" if t.get("v_lower") is None else f"{t['v_lower']:.4f}"
            hi = "-" if t.get("v_upper") is None else f"{t['v_upper']:.4f}"
            flo = "-" if t.get("F_lower") is None else f"{t['F_lower']:.4f}"
            fhi = "-" if t.get("F_upper") is None else f"{t['F_upper']:.4f}"
            print(f"    {name.replace('R', 'R_k')} is reached at a visibility in [{lo}, {hi}] (fidelity [{flo}, {fhi}]); lower end: {t.get('v_lower_source', '-')}")
    if "supply_plot" in s:
        print(f"  supply plot: {s['supply_plot']}")
