"""Certificates for the system problem (kinds checked by :mod:`proofs.checkers.system_dual` and :mod:`proofs.checkers.system_strategy`).

``"system-dual"``
    A multiplier ``nu`` and a proof that ``G(nu)`` (the XOR-game bias of the
    Lagrangian kernel over the class) is at most a value: a partition of the
    threshold input ``u = F(t)`` (classical) or two dual functions
    ``alpha = sqrt(q_a)``, ``beta = sqrt(q_b)`` (quantum).  Claims
    ``p_split >= p_split_lower``.
``"system-strategy"``
    A shared-coin mixture of explicit router pairs (threshold pairs, or planar
    qubit measurements ``dir(p0 + x p1)``) meeting ``W_limit``.  Claims
    ``p_split <= p_split_upper``.

Service laws: the exponential law (any rate) and every catalogue law with an
exact enclosure (``ServiceLaw.named(...)``: gamma, hyperexponential,
lognormal, Weibull, Lomax, uniform; mean 1) -- the checker has their
partial moments in closed form.  An arbitrary scipy law has none and is
refused.  The float mirrors here (``b(u)``, ``h(w)``, the piece bounds) use
the same closed forms in numpy; for the non-exponential laws the margins are
wider (a bracket width up to ~1e-8), the exponential output is unchanged.
Every number is an exact rational string.  Nothing here is a bound until
the checker accepts it.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np

from bounds.errors import SolverError
from bounds.system import ClassSolution
from bounds.system_duals import DualValue, dual_classical, dual_quantum, grid_peaks
from bounds.system_point import OperatingPoint, SystemParameterError
from bounds.system_quadrature import quadrature_nodes, support_function, survival_and_tail_mean
from bounds.system_routers import ALWAYS_SPLIT, PlanarRouter, RouterPair, ThresholdRouter
from proofs.exact.certificate import SCHEMA_VERSION
from proofs.exact.rational import fraction_str as q

__all__ = ["dual_certificate", "strategy_certificate", "system_description"]


def _spec(pt: OperatingPoint) -> Any:
    """The law's catalogue spec (``None`` for the exponential law); raises for a law the checker cannot enclose."""
    from proofs.exact.laws import EXACT_LAWS

    if pt.law.is_exponential:
        return None
    spec = pt.law.spec
    if spec is None or spec.name not in EXACT_LAWS:
        raise SystemParameterError(
            "system certificates need the exponential law or a catalogue law with an exact enclosure "
            "(ServiceLaw.named(NAME[:PARAM])); an arbitrary scipy law has no closed forms in the checker"
        )
    return spec


def _rate(pt: OperatingPoint) -> float:
    """The service rate ``mu`` of an exponential law, 1 for a catalogue law (mean 1)."""
    _spec(pt)
    return pt.law.mu if pt.law.mu is not None else 1.0


def system_description(pt: OperatingPoint) -> dict[str, Any]:
    """The certificate's ``game`` object: the exact operating point (parameters read as their shortest decimals).

    >>> from bounds.system_point import operating_point
    >>> system_description(operating_point(0.6, 1.65))
    {'type': 'system', 'law': 'exponential', 'lam': '3/5', 'mu': '1/1', 'W_limit': '33/20', 'order': 'random'}
    >>> from analytic.laws.service import ServiceLaw
    >>> system_description(operating_point(0.6, 1.2, law=ServiceLaw.named("gamma:4")))
    {'type': 'system', 'law': 'gamma', 'param': '4/1', 'lam': '3/5', 'W_limit': '6/5', 'order': 'random'}
    """
    from proofs.exact.rational import exact_parameter

    spec = _spec(pt)
    if spec is None:
        mu = _rate(pt)
        return {"type": "system", "law": "exponential", "lam": q(exact_parameter(pt.lam)), "mu": q(exact_parameter(mu)),
                "W_limit": q(exact_parameter(pt.W_limit)), "order": "random"}
    return {"type": "system", **spec.describe(), "lam": q(exact_parameter(pt.lam)), "W_limit": q(exact_parameter(pt.W_limit)), "order": "random"}


def _header(pt: OperatingPoint, kind: str, model: str, side: str) -> dict[str, Any]:
    return {"schema": SCHEMA_VERSION, "kind": kind, "game": system_description(pt), "N": None, "side": side, "model": model}


def _exact_point(pt: OperatingPoint) -> tuple[Fraction, float, Fraction, Fraction]:
    """``(kappa, budget, E[c], mu)``; the budget ``W_limit - W_0`` is a float (``m2`` may be irrational)."""
    from proofs.exact.rational import exact_parameter

    lam, mu, wl = exact_parameter(pt.lam), exact_parameter(_rate(pt)), exact_parameter(pt.W_limit)
    kappa = lam / (2 * (1 - lam / mu))
    spec = _spec(pt)
    if spec is None:
        m2 = 2 / mu**2
    else:
        from proofs.exact.laws import exact_law

        m2 = Fraction(float(exact_law(spec.describe()).moment(2).mid()))  # the checker's closed form, to a double
    w0 = lam * m2 / (2 * (1 - lam / mu))
    ec = kappa / mu**2 + 1 / (2 * mu)
    return kappa, float(wl - w0), ec, mu


def _margins(pt: OperatingPoint) -> tuple[float, float, float, float]:
    """``(classical slack, quantum scale margin, quantum bias margin, bound margin)``.

    The exponential law's are as tight as its closed forms allow; the other
    laws' float quadrature (quantum dual) and special functions are less
    accurate, so their certificates leave more room (bracket width ~1e-8).
    """
    if pt.law.is_exponential:
        return 2e-11, 1e-10, 1e-12, 1e-13
    return 1e-10, 1e-8, 1e-9, 1e-11


def _floor(x: float, digits: int = 14) -> Fraction:
    return Fraction(math.floor(x * 10**digits), 10**digits)


def _ceil(x: float, digits: int = 14) -> Fraction:
    return Fraction(math.ceil(x * 10**digits), 10**digits)


# --------------------------------------------------------------------------- classical dual

def _quantile(law: Any, u: np.ndarray) -> np.ndarray:
    """``F^{-1}(u)``, accurate near ``u = 1`` (``inf`` at 1): the inverse survival function above ``u = 1/2``."""
    u = np.asarray(u, dtype=float)
    with np.errstate(divide="ignore"):
        out = np.asarray(law.ppf(u), dtype=float)
        hi = u > 0.5
        out[hi] = np.asarray(law.isf(1 - u[hi]), dtype=float)
    return out


def _b_of_u(pt: OperatingPoint, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mu = _rate(pt)
    if pt.law.is_exponential:
        with np.errstate(divide="ignore", invalid="ignore"):
            t = -np.log1p(-u) / mu
            b1 = np.where(u >= 1, -1.0 / mu, 2 * (t + 1 / mu) * (1 - u) - 1 / mu)
        return 1 - 2 * u, b1
    t = _quantile(pt.law, u)
    _, tm = survival_and_tail_mean(pt.law, t)
    b1 = np.where(u >= 1, -pt.law.mean, np.where(u <= 0, pt.law.mean, 2 * tm - pt.law.mean))
    return 1 - 2 * u, b1


#: the producer's sag is this many times the float estimate (the checker's density enclosure on a piece is looser)
_SAG_SAFETY = 2.0


def _sag(pt: OperatingPoint, e: np.ndarray, f_lo: np.ndarray | None = None) -> np.ndarray:
    """The chord error ``du^2 / (4 f_lo)`` per piece (``inf`` where the checker uses the bounding box)."""
    du = np.diff(e)
    with np.errstate(divide="ignore", invalid="ignore"):
        if pt.law.is_exponential:
            mu = _rate(pt)
            return np.where(e[1:] < 1, du * du / (4 * mu * (1 - e[1:])), np.inf)
        if f_lo is None:
            x = _quantile(pt.law, e)
            f = np.asarray(pt.law.pdf(x), dtype=float)
            # every catalogue density is unimodal: its minimum on a piece is at an end
            f_lo = np.minimum(f[:-1], f[1:]) / _SAG_SAFETY
            f0 = float(pt.law.pdf(0.0))
            if not (math.isfinite(f0) and f0 > 0):
                f_lo[0] = 0.0  # the checker's enclosure on [0, x1] has no positive lower bound
        sag = du * du / (4 * f_lo)
    return np.where((e[1:] < 1) & (f_lo > 0) & np.isfinite(sag), sag, np.inf)


def _piece_bounds(pt: OperatingPoint, M: np.ndarray, e: np.ndarray, sag: np.ndarray | None = None) -> np.ndarray:
    """Float version of the checker's trapezoid / box bound on each piece of ``u`` (lemma S3)."""
    b0, b1 = _b_of_u(pt, e)
    if sag is None:
        sag = _sag(pt, e)
    box = ~np.isfinite(sag)
    sg = np.where(box, 0.0, sag)
    pad = (1e-15 if pt.law.is_exponential else 1e-13) * (1 + np.abs(b1))
    verts = [(b0[:-1], b1[:-1] - pad[:-1]), (b0[1:], b1[1:] - pad[1:]), (b0[:-1], b1[:-1] + sg + pad[:-1]), (b0[1:], b1[1:] + sg + pad[1:])]
    best = np.full(e.size - 1, -np.inf)
    for c0, c1 in verts:
        w = M @ np.array([c0, c1])
        best = np.maximum(best, support_function(pt.law, w[0], w[1]))
    if box.any():
        bp = np.zeros_like(pad) if pt.law.is_exponential else pad  # the exponential output stays as it was
        for c0 in (b0[1:], b0[:-1]):
            for c1 in (b1[1:] - bp[1:], b1[:-1] + bp[:-1]):
                w = M @ np.array([c0, c1])
                best = np.where(box, np.maximum(best, support_function(pt.law, w[0], w[1])), best)
    return best


def _checker_sag(pt: OperatingPoint, e: np.ndarray) -> np.ndarray:
    """The sag with the checker's own density enclosure (:meth:`proofs.exact.laws.ExactLaw.pdf_range` on each piece's hull)."""
    from flint import arb

    from proofs.exact.laws import exact_law

    spec = _spec(pt)
    if spec is None:  # the exponential law has its sag in closed form; this pass is for the others
        return _sag(pt, e)
    law = exact_law(spec.describe())
    x = _quantile(pt.law, e)
    f_lo = np.zeros(e.size - 1)
    for k in range(e.size - 1):
        if e[k + 1] >= 1:
            continue
        lo, hi = max(x[k] * (1 - 1e-12), 0.0), x[k + 1] * (1 + 1e-12)  # wider than the checker's quantile balls
        ball = arb((lo + hi) / 2, (hi - lo) / 2 + 1e-300)
        f = law.pdf_range(ball)
        if f.is_finite():
            f_lo[k] = max(float(f.lower()) * (1 - 1e-12), 0.0)
    return _sag(pt, e, f_lo)


def _curve_max(pt: OperatingPoint, nu: float) -> float:
    """``max over u of h(M b(u))`` in floats: a grid, then each of the best local maxima refined."""
    from scipy import optimize

    M = pt.matrix(nu)

    def curve(u: np.ndarray) -> np.ndarray:
        b0, b1 = _b_of_u(pt, u)
        w = M @ np.array([b0, b1])
        return support_function(pt.law, w[0], w[1])

    u = np.unique(np.concatenate([np.linspace(0, 1, 4097), 1 - 0.5 ** np.arange(9, 52)]))
    v = curve(u)
    best = float(v.max())
    for k in grid_peaks(v, 6):  # (a plateau once: see grid_peaks)
        r = optimize.minimize_scalar(lambda x: -float(curve(np.array([x]))[0]), bounds=(u[max(k - 1, 0)], u[min(k + 1, u.size - 1)]), method="bounded",
                                     options={"xatol": 1e-16})
        best = max(best, -float(r.fun))
    return best


#: most break points a ``system-dual`` certificate may carry (the checker's limit, ``proofs.checkers.system_dual.MAX_BREAKS``)
MAX_BREAKS = 2048


def _classical_partition(pt: OperatingPoint, nu: float, target: float, max_rounds: int = 80) -> list[float]:
    """Bisect the pieces of ``u in [0, 1]`` whose corner bound exceeds ``target``.

    For a non-exponential law a final pass recomputes each piece's sag with
    the checker's density enclosure and bisects again where needed.
    """
    M = pt.matrix(nu)
    e = np.unique(np.concatenate([np.linspace(0, 1, 257), 1 - 0.5 ** np.arange(9, 52)]))
    exact_pass = pt.law.is_exponential
    for _ in range(max_rounds):
        bad = _piece_bounds(pt, M, e) > target
        if not bad.any():
            if exact_pass:
                return [float(v) for v in e]
            bad = _piece_bounds(pt, M, e, _checker_sag(pt, e)) > target
            if not bad.any():
                return [float(v) for v in e]
        mids = (e[:-1][bad] + e[1:][bad]) / 2
        e = np.unique(np.concatenate([e, mids]))
        if e.size > MAX_BREAKS:
            break
    raise SolverError(f"classical dual partition did not close below the target {target:.15g} within {MAX_BREAKS} breaks, "
                      f"the system-dual checker's limit (nu = {nu:.6g})")


def dual_certificate(pt: OperatingPoint, model: str, nu: float, *, dual: DualValue | None = None, slack: float | None = None,
                     solver: dict[str, Any] | None = None) -> dict[str, Any]:
    """A ``"system-dual"`` certificate at multiplier ``nu`` (rounded to a short rational).

    >>> from bounds.system_point import operating_point
    >>> c = dual_certificate(operating_point(0.6, 1.65), "classical", 1.5)
    >>> c["kind"], c["model"], c["nu"]
    ('system-dual', 'classical', '3/2')

    ``slack`` (default per law, :func:`_margins`) is added to the solver's
    bias before the partition is built.
    """
    if model not in ("classical", "quantum"):
        raise SystemParameterError(f"`model` must be 'classical' or 'quantum'; got {model!r}")
    nu_q = Fraction(nu).limit_denominator(10**12)
    nu_f = float(nu_q)
    _, B, ec, _ = _exact_point(pt)
    c_slack, s_margin, b_margin, margin = _margins(pt)
    slack = c_slack if slack is None else slack
    cert: dict[str, Any] = {**_header(pt, "system-dual", model, "lower"), "nu": q(nu_q), "solver": solver or {}}
    if model == "classical":
        d = dual if dual is not None and dual.nu == nu_f else dual_classical(pt, nu_f)
        target = d.bias + slack
        if not pt.law.is_exponential:
            # the curve's own maximum (closed forms) may exceed the solver's quadrature estimate
            target = max(target, _curve_max(pt, nu_f) + slack)
        cert["breaks"] = [q(v) for v in _classical_partition(pt, nu_f, target)]
        bias_up = target
    else:
        d = dual if dual is not None and dual.nu == nu_f else dual_quantum(pt, nu_f)
        pair = d.strategy
        if pair is None or not isinstance(pair.a, PlanarRouter) or not isinstance(pair.b, PlanarRouter):
            raise SolverError(f"the quantum dual at nu = {nu_f!r} gave no planar maximising pair; got {pair!r}")
        if pair.visibility != 1.0:
            # lemma S4 bounds the noiseless class; Werner pairs need lemma W4 (bounds.noise_system.werner_system_dual_certificate)
            raise SystemParameterError(
                f"a 'system-dual' certificate bounds the noiseless quantum class: the dual's visibility must be 1; got {pair.visibility!r} "
                "(use werner_system_dual_certificate for Werner pairs)"
            )
        M = pt.matrix(nu_f)
        pa, pb = pair.a, pair.b  # alpha ~ |p_a(x)|/2, beta ~ |p_b(y)|/2
        mats, js = [], []
        for r in (pa, pb):
            c, w = r.turn()
            x, wt = quadrature_nodes(pt.law, c, w)
            n = np.hypot(r.p0[0] + x * r.p1[0], r.p0[1] + x * r.p1[1]) / 2
            mats.append(np.array([[wt @ (1 / n), wt @ (x / n)], [wt @ (x / n), wt @ (x * x / n)]]))
            js.append(float(wt @ n))
        N = mats[0] @ M @ mats[1] @ M.T
        lam_max = float(max(np.linalg.eigvals(N).real))
        s = math.sqrt(lam_max / 4.0) * (1.0 + s_margin)
        for name, r in (("alpha", pa), ("beta", pb)):
            p0, p1 = np.asarray(r.p0), np.asarray(r.p1)
            a2 = float(p1 @ p1)
            cross = float(p0[0] * p1[1] - p0[1] * p1[0])
            cert[name] = {"a2": q(Fraction(s * s * a2 / 4)), "xstar": q(Fraction(-float(p0 @ p1) / a2)),
                          "delta": q(Fraction(s * s * cross * cross / (4 * a2)))}
        bias_up = s * (js[0] + js[1]) * (1 + b_margin) + b_margin / 100
    p_bunch_up = nu_f * float(B) + (1 - nu_f * float(ec) + bias_up) / 2
    cert["bound"] = q(_floor(1 - p_bunch_up - margin))
    cert["bias_estimate"] = d.bias
    return cert


# --------------------------------------------------------------------------- strategies

def _router_json(r: ThresholdRouter | PlanarRouter, pt: OperatingPoint) -> dict[str, Any]:
    if isinstance(r, ThresholdRouter):
        return {"u": q(Fraction(r.u(pt.law))), "sign": int(r.sign)}
    return {"p0": [q(Fraction(v)) for v in r.p0], "p1": [q(Fraction(v)) for v in r.p1]}


def strategy_certificate(pt: OperatingPoint, sol: ClassSolution, *, split_weight: float | None = None, solver: dict[str, Any] | None = None) -> dict[str, Any]:
    """A ``"system-strategy"`` certificate for a solution's mixture, plus ``split_weight`` of always-split.

    The always-split component (``W_q`` contribution 0) gives the exact
    feasibility check room for rounding; it costs at most ``split_weight``
    in ``p_split`` (default 1e-10 for the exponential law, 1e-8 for the
    others, whose solver moments come from float quadrature).

    >>> from bounds.system import solve_class
    >>> from bounds.system_point import operating_point
    >>> pt = operating_point(0.6, 1.65)
    >>> c = strategy_certificate(pt, solve_class(pt, "classical"))
    >>> c["kind"], len(c["components"])
    ('system-strategy', 3)
    """
    if sol.model not in ("classical", "quantum"):
        raise SystemParameterError(f"strategy certificates are for classical or quantum solutions; got {sol.model!r}")
    _spec(pt)
    if split_weight is None:
        split_weight = 1e-10 if pt.law.is_exponential else 1e-8
    margin = 1e-13 if pt.law.is_exponential else 1e-10
    comps = [(w, p) for w, p in sol.strategy.components if w > 0]
    eps = Fraction(split_weight).limit_denominator(10**15)
    ws = [Fraction(w).limit_denominator(10**12) for w, _ in comps]
    scale = (1 - eps) / sum(ws)
    ws = [w * scale for w in ws]
    items = [(w, p) for w, (_, p) in zip(ws, comps)] + [(eps, ALWAYS_SPLIT)]
    vis = 1.0
    out = []
    for w, pair in items:
        if isinstance(pair, RouterPair) and pair.model == "quantum":
            vis = pair.visibility
        out.append({"weight": q(w), "a": _router_json(pair.a, pt), "b": _router_json(pair.b, pt)})
    pb = sum(float(w) * pair.bunch_and_cost(pt)[0] for w, pair in items)
    cert = {**_header(pt, "system-strategy", sol.model, "upper"), "bound": q(_ceil(1 - pb + margin)), "components": out, "solver": solver or {}}
    if sol.model == "quantum":
        cert["visibility"] = q(Fraction(vis).limit_denominator(10**12))
    return cert
