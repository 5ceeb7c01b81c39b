"""The paper's main question answered at one operating point: ``p_ideal``, ``p_c``, ``p_q``, ``E[T_B]``, ``R_k``.

:func:`system_result` runs the exact (continuum) route of
:mod:`bounds.system` -- and optionally the paper's proxy route
(:mod:`bounds.system_proxy`) and a simulation -- writes the certificates and
verifies each with :mod:`proofs.checkers.system_dual` / :mod:`~proofs.checkers.system_strategy`, so that ``p_c`` and ``p_q``
come as certified brackets (:class:`proofs.Bracket`).  Throughput follows
:mod:`analytic.throughput`: ``E[T_B] = (1 - rho) lambda_eff E[T(L)]``,
``L ~ Exp(lambda_eff)``, ``lambda_eff = lambda (1 + p_split)/2``.

>>> r = system_result(0.6, 1.65, 3, route="exact", certify=False)
>>> r.exact.p_split["ideal"] < r.exact.p_split["quantum"] < r.exact.p_split["classical"]
True
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from games.progress import OnProgress
from proofs.checkers.bound import Bracket
from proofs.exact.errors import ProofsParameterError

__all__ = ["RouteResult", "SystemResult", "system_result", "throughput"]

ROUTES = ("exact", "proxy", "both")
#: peak bytes per simulated pair of the two-server simulator (measured: 1.6e7 pairs add 1.2 GB in ``qcoord system``)
BYTES_PER_PAIR = 120


def _check_T(T: Any, lam_eff: float) -> Callable[[np.ndarray], np.ndarray] | float:
    """A degree ``k >= 0`` (``T = t^k``) or a vectorised callable, non-negative and non-decreasing."""
    if callable(T):
        grid = np.linspace(0.0, 60.0 / lam_eff, 4001)
        try:
            vals = np.asarray(T(grid), dtype=float)
        except Exception as exc:  # the user's function failed: say so
            raise ProofsParameterError(f"`T` must be a vectorised function of t >= 0; calling it failed: {exc}") from exc
        if vals.shape != grid.shape or not np.all(np.isfinite(vals)):
            raise ProofsParameterError("`T` must map an array of t >= 0 to finite values of the same shape")
        if vals.min() < 0:
            raise ProofsParameterError(f"`T` must be non-negative; got T({grid[int(np.argmin(vals))]:.4g}) = {vals.min():.4g}")
        dec = np.diff(vals) < -1e-12 * (1 + np.abs(vals[:-1]))
        if dec.any():
            i = int(np.argmax(dec))
            raise ProofsParameterError(f"`T` must be non-decreasing; it decreases between t = {grid[i]:.4g} and {grid[i + 1]:.4g}")
        return T
    if isinstance(T, bool) or not isinstance(T, (int, float)) or not math.isfinite(T) or T < 0:
        raise ProofsParameterError(f"`k` (T(t) = t^k) must be a finite number >= 0; got {T!r}")
    return float(T)


def throughput(lam: float, mean_service: float, p_split: float, T: Any) -> float:
    """``E[T_B]`` per server for ``T = t^k`` (a number ``k``) or a callable ``T`` (formula value, not a bound).

    >>> round(throughput(0.6, 1.0, 0.5, 2), 10)      # (1 - 0.6) * 2 / 0.45
    1.7777777778
    >>> round(throughput(0.6, 1.0, 0.5, lambda t: t**2), 8)
    1.77777778
    """
    from scipy import integrate

    from analytic.throughput import throughput_monomial

    le = lam * (1.0 + p_split) / 2.0
    T = _check_T(T, le)
    if not callable(T):
        return throughput_monomial(lam, mean_service, p_split, T)
    val, _ = integrate.quad(lambda t: float(T(np.array([t]))[0]) * le * math.exp(-le * t), 0.0, np.inf, limit=400, epsabs=1e-13, epsrel=1e-12)
    return (1.0 - lam * mean_service) * le * val


@dataclass(frozen=True, eq=False)
class RouteResult:
    """One route's split probabilities (estimates), certified brackets, throughput and ratios."""

    route: str
    p_split: dict[str, float]
    throughput: dict[str, float]
    R_k: float | None
    throughput_ratio: float
    gap_closed: float | None
    brackets: dict[str, Bracket] = field(default_factory=dict)
    strategies: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"p_split": self.p_split, "throughput": self.throughput, "R_k": self.R_k,
                             "throughput_ratio": self.throughput_ratio, "gap_closed": self.gap_closed,
                             "strategies": self.strategies, **self.extra}
        if self.brackets:
            cert: dict[str, Any] = {}
            for model, br in self.brackets.items():
                cert[f"{model}_p_split_lower"] = float(br.lower.value)
                cert[f"{model}_p_split_lower_certificate"] = br.lower.certificate
                cert[f"{model}_p_split_upper"] = float(br.upper.value)
                cert[f"{model}_p_split_upper_certificate"] = br.upper.certificate
            cert["R_k_lower"] = self.extra.get("R_k_lower")
            d["certified"] = cert
        return d


@dataclass(frozen=True, eq=False)
class SystemResult:
    """Both routes (as requested) at one operating point, and the optional simulation."""

    point: dict[str, Any]
    k: Any
    exact: RouteResult | None
    proxy: RouteResult | None
    simulation: dict[str, Any] | None
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        routes = {}
        if self.exact is not None:
            routes["exact"] = self.exact.to_dict()
        if self.proxy is not None:
            routes["proxy"] = self.proxy.to_dict()
        out = {"rho": self.point["rho"], "lam": self.point["lam"], "W_limit": self.point["W_limit"], "k": self.k if not callable(self.k) else "callable",
               "point": self.point, "routes": routes, "seconds": self.seconds}
        if self.simulation is not None:
            out["simulation"] = self.simulation
        return out


def _ratios(lam: float, mean: float, p: dict[str, float], T: Any) -> tuple[dict[str, float], float | None, float, float | None]:
    tb = {m: throughput(lam, mean, v, T) for m, v in p.items()}
    rk = None if callable(T) else ((1 + p["classical"]) / (1 + p["quantum"])) ** (float(T) - 1)
    ratio = tb["quantum"] / tb["classical"] if tb["classical"] > 0 else math.nan
    gap = p["classical"] - p.get("ideal", math.nan)
    closed = (p["classical"] - p["quantum"]) / gap if gap > 0 else None
    return tb, rk, ratio, closed


def _certify(pt, sols: dict, out_dir: Path) -> dict[str, Bracket]:  # noqa: ANN001
    from bounds.certificates import save_certificate
    from bounds.system_certificates import dual_certificate, strategy_certificate
    from proofs.checkers.registry import check_certificate

    brackets = {}
    for model in ("classical", "quantum"):
        sol = sols[model]
        dual = next((d for d in sol.duals if d.nu == sol.nu and d.model == model), None)
        lo_cert = dual_certificate(pt, model, sol.nu, dual=dual)
        up_cert = strategy_certificate(pt, sol)
        lo_path = save_certificate(lo_cert, out_dir)
        up_path = save_certificate(up_cert, out_dir)
        brackets[model] = Bracket(check_certificate(lo_path), check_certificate(up_path))
    return brackets


def _certifiable(law: Any) -> bool:
    """Whether the checker has closed forms for ``law``: exponential, or a catalogue law with an exact enclosure."""
    from proofs.exact.laws import EXACT_LAWS

    if law.is_exponential:
        return True
    spec = getattr(law, "spec", None)
    return spec is not None and spec.name in EXACT_LAWS


def _exact_route(pt, T: Any, certify: bool, out_dir: Path) -> RouteResult:  # noqa: ANN001
    from bounds.system import solve_class

    sols = {m: solve_class(pt, m) for m in ("ideal", "classical", "quantum")}
    p = {m: s.p_split for m, s in sols.items()}
    tb, rk, ratio, closed = _ratios(pt.lam, pt.law.mean, p, T)
    brackets: dict[str, Bracket] = {}
    extra: dict[str, Any] = {"nu": {m: s.nu for m, s in sols.items()}, "W_q": {m: s.waiting_time for m, s in sols.items()},
                             "p_split_dual_estimate": {m: s.p_split_dual for m, s in sols.items()}}
    if certify and not _certifiable(pt.law):
        extra["note"] = ("not certified: system certificates need the exponential law or a catalogue law with an exact enclosure "
                         "(ServiceLaw.named(NAME[:PARAM])); this law has none, so p_c and p_q are solver estimates")
    elif certify:
        if pt.budget >= pt.mean_cost:
            extra["note"] = "W_limit >= the always-bunch waiting time: every class bunches always (p_split = 0, R_k = 1)"
        else:
            brackets = _certify(pt, sols, out_dir)
        if brackets and not callable(T):
            lo_c = float(brackets["classical"].lower.value)
            up_q = float(brackets["quantum"].upper.value)
            extra["R_k_lower"] = ((1 + lo_c) / (1 + up_q)) ** (float(T) - 1) if float(T) >= 1 else None
            extra["quantum_beats_classical_certified"] = up_q < lo_c
    strategies = {m: s.strategy.describe() for m, s in sols.items() if m != "ideal"}
    rule = getattr(sols["ideal"], "rule", None)
    strategies["ideal"] = rule.describe() if rule is not None else {"rule": "always_bunch"}
    return RouteResult("exact", p, tb, rk, ratio, closed, brackets, strategies, extra)


def _proxy_route(pt, T: Any, exact: RouteResult | None) -> RouteResult:  # noqa: ANN001
    """The paper's route (:mod:`bounds.system_proxy`): pure (one ``C_t`` per class) and mixed (shared coin over two ``C_t``) values.

    ``p_split``, ``throughput``, ``R_k`` are the pure values; ``extra["mixed"]`` holds the same for the mixed ones.
    All are estimates (solver floats over the searched game-optimal strategies), never certified bounds.
    """
    from bounds.system import ideal_solution
    from bounds.system_proxy import proxy_route

    pr = proxy_route(pt)
    choices = {"classical": pr.classical, "quantum": pr.quantum}
    ideal = ideal_solution(pt).p_split if exact is None else exact.p_split["ideal"]
    p = {"ideal": ideal, **{m: c.p_split for m, c in choices.items()}}
    pm = {"ideal": ideal, **{m: float(c.p_split_mixed if c.p_split_mixed is not None else c.p_split) for m, c in choices.items()}}
    tb, rk, ratio, closed = _ratios(pt.lam, pt.law.mean, p, T)
    tbm, rkm, ratiom, closedm = _ratios(pt.lam, pt.law.mean, pm, T)
    mixed: dict[str, Any] = {"p_split": pm, "throughput": tbm, "R_k": rkm, "throughput_ratio": ratiom, "gap_closed": closedm,
                             "W_q": {m: c.W_q_mixed for m, c in choices.items()},
                             "mixture": {m: c.describe()["mixture"] for m, c in choices.items()}}
    extra: dict[str, Any] = {"estimate": ("proxy values are estimates: solver floats over the game-optimal strategies searched over C_t, "
                                          "not certified bounds"),
                             "C_t": {m: c.C for m, c in choices.items()}, "W_q": {m: c.W_q for m, c in choices.items()},
                             "p_split_mixed": {m: pm[m] for m in choices}, "mixed": mixed,
                             "evaluations": pr.evaluations, "search": pr.settings}
    if exact is not None:
        extra["loss_vs_exact"] = {m: p[m] - exact.p_split[m] for m in choices}
        mixed["loss_vs_exact"] = {m: pm[m] - exact.p_split[m] for m in choices}
    strategies = {m: {k: v for k, v in c.describe().items() if k != "mixture"} for m, c in choices.items()}
    return RouteResult("proxy", p, tb, rk, ratio, closed, {}, strategies, extra)


def system_result(
    lam: float,
    W_limit: float,
    k: Any = 2.0,
    *,
    mu: float | None = None,
    law: Any = None,
    route: str = "exact",
    certify: bool = True,
    cert_dir: str | Path | None = None,
    simulate_pairs: int | None = None,
    seed: int = 0,
    on_progress: OnProgress | None = None,
) -> SystemResult:
    """Minimum ``p_split`` of ideal, classical and quantum routers at ``W_q <= W_limit``, with throughput.

    Parameters
    ----------
    lam, W_limit : pair rate and waiting-time limit.
    k : ``T(t) = t^k`` (a number >= 0) or a vectorised, non-negative, non-decreasing callable ``T``.
    mu, law : exponential rate (default 1) or an :class:`analytic.ServiceLaw` (certificates: the exponential law and the
        catalogue laws ``ServiceLaw.named(...)``; an arbitrary scipy law is solved but not certified, ``extra["note"]`` says so).
    route : ``"exact"``, ``"proxy"`` or ``"both"``.
    certify : write and check certificates for ``p_c`` and ``p_q`` (exact route).
    cert_dir : where certificates go (default :func:`bounds.certificates.default_certificate_dir`).
    simulate_pairs : if given, simulate the three classes' strategies with that many pairs (common random numbers).
    on_progress : ``on_progress(done, total, what)`` (:data:`games.progress.OnProgress`), told of each class's simulation.
    """
    import time

    from bounds.certificates import default_certificate_dir
    from bounds.system_point import operating_point
    from proofs.certify import args as a

    start = time.perf_counter()
    a.check_choice("route", route, ROUTES)
    certify = a.check_bool("certify", certify)
    a.check_directory("cert_dir", cert_dir)
    if simulate_pairs is not None:
        from games.errors import available_memory, check_memory

        simulate_pairs = a.check_int("simulate_pairs", simulate_pairs, low=1)
        check_memory("simulate_pairs", simulate_pairs, BYTES_PER_PAIR * simulate_pairs, largest=available_memory() // BYTES_PER_PAIR,
                     error=ProofsParameterError)
    seed = a.check_seed("seed", seed)
    pt = operating_point(lam, W_limit, mu=mu, law=law)
    T = _check_T(k, pt.lam * 0.5)
    out_dir = Path(cert_dir) if cert_dir is not None else default_certificate_dir()
    exact = _exact_route(pt, T, certify, out_dir) if route in ("exact", "both") else None
    proxy = _proxy_route(pt, T, exact) if route in ("proxy", "both") else None
    sim = None
    if simulate_pairs is not None:
        from games.system.correlated import simulate_classes

        sim = simulate_classes(pt, exact if exact is not None else _exact_route(pt, T, False, out_dir), T, simulate_pairs, seed,
                               on_progress=on_progress)
    point = pt.describe()
    return SystemResult(point, T if not callable(T) else k, exact, proxy, sim, time.perf_counter() - start)
