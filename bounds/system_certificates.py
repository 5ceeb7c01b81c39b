"""Certificates for the system problem (kinds checked by :mod:`proofs.check_system`).

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

Exponential service only (the checker's closed forms); every number is an
exact rational string.  Nothing here is a bound until the checker accepts it.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np

from bounds.errors import SolverError
from bounds.system import (
    ALWAYS_SPLIT,
    ClassSolution,
    DualValue,
    OperatingPoint,
    PlanarRouter,
    RouterPair,
    SystemParameterError,
    ThresholdRouter,
    _nodes,
    _support,
    dual_classical,
    dual_quantum,
)
from proofs.exact.certificate import SCHEMA_VERSION
from proofs.exact.rational import fraction_str as q

__all__ = ["dual_certificate", "strategy_certificate", "system_description"]


def _rate(pt: OperatingPoint) -> float:
    """The service rate ``mu``; raises unless the law is exponential (the checker's closed forms need it)."""
    if pt.law.mu is None:
        raise SystemParameterError("system certificates need the exponential law (closed forms in the checker)")
    return pt.law.mu


def system_description(pt: OperatingPoint) -> dict[str, Any]:
    """The certificate's ``game`` object: the exact operating point (parameters read as their shortest decimals).

    >>> from bounds.system import operating_point
    >>> system_description(operating_point(0.6, 1.65))
    {'type': 'system', 'law': 'exponential', 'lam': '3/5', 'mu': '1/1', 'W_limit': '33/20', 'order': 'random'}
    """
    from proofs.exact.rational import exact_parameter

    mu = _rate(pt)
    return {"type": "system", "law": "exponential", "lam": q(exact_parameter(pt.lam)), "mu": q(exact_parameter(mu)),
            "W_limit": q(exact_parameter(pt.W_limit)), "order": "random"}


def _header(pt: OperatingPoint, kind: str, model: str, side: str) -> dict[str, Any]:
    return {"schema": SCHEMA_VERSION, "kind": kind, "game": system_description(pt), "N": None, "side": side, "model": model}


def _exact_point(pt: OperatingPoint) -> tuple[Fraction, Fraction, Fraction, Fraction]:
    from proofs.exact.rational import exact_parameter

    lam, mu, wl = exact_parameter(pt.lam), exact_parameter(_rate(pt)), exact_parameter(pt.W_limit)
    kappa = lam / (2 * (1 - lam / mu))
    w0 = lam * 2 / mu**2 / (2 * (1 - lam / mu))
    ec = kappa / mu**2 + 1 / (2 * mu)
    return kappa, wl - w0, ec, mu


def _floor(x: float, digits: int = 14) -> Fraction:
    return Fraction(math.floor(x * 10**digits), 10**digits)


def _ceil(x: float, digits: int = 14) -> Fraction:
    return Fraction(math.ceil(x * 10**digits), 10**digits)


# --------------------------------------------------------------------------- classical dual

def _b_of_u(pt: OperatingPoint, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mu = _rate(pt)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = -np.log1p(-u) / mu
        b1 = np.where(u >= 1, -1.0 / mu, 2 * (t + 1 / mu) * (1 - u) - 1 / mu)
    return 1 - 2 * u, b1


def _piece_bounds(pt: OperatingPoint, M: np.ndarray, e: np.ndarray) -> np.ndarray:
    """Float version of the checker's trapezoid bound on each piece of ``u`` (lemma S3)."""
    mu = _rate(pt)
    b0, b1 = _b_of_u(pt, e)
    du = np.diff(e)
    with np.errstate(divide="ignore", invalid="ignore"):
        sag = np.where(e[1:] < 1, du * du / (4 * mu * (1 - e[1:])), 0.0)
    pad = 1e-15 * (1 + np.abs(b1))
    verts = [(b0[:-1], b1[:-1] - pad[:-1]), (b0[1:], b1[1:] - pad[1:]), (b0[:-1], b1[:-1] + sag + pad[:-1]), (b0[1:], b1[1:] + sag + pad[1:])]
    last = e[1:] >= 1
    best = np.full(e.size - 1, -np.inf)
    for c0, c1 in verts:
        w = M @ np.array([c0, c1])
        best = np.maximum(best, _support(pt.law, w[0], w[1]))
    if last.any():
        for c0 in (b0[1:], b0[:-1]):
            for c1 in (b1[1:], b1[:-1]):
                w = M @ np.array([c0, c1])
                best = np.where(last, np.maximum(best, _support(pt.law, w[0], w[1])), best)
    return best


def _classical_partition(pt: OperatingPoint, nu: float, target: float, max_rounds: int = 80) -> list[float]:
    """Bisect the pieces of ``u in [0, 1]`` whose corner bound exceeds ``target``."""
    M = pt.matrix(nu)
    e = np.unique(np.concatenate([np.linspace(0, 1, 257), 1 - 0.5 ** np.arange(9, 52)]))
    for _ in range(max_rounds):
        bad = _piece_bounds(pt, M, e) > target
        if not bad.any():
            return [float(v) for v in e]
        mids = (e[:-1][bad] + e[1:][bad]) / 2
        e = np.unique(np.concatenate([e, mids]))
        if e.size > 150_000:
            break
    raise SolverError(f"classical dual partition did not close below the target {target:.15g} (nu = {nu:.6g})")


def dual_certificate(pt: OperatingPoint, model: str, nu: float, *, dual: DualValue | None = None, slack: float = 2e-11,
                     solver: dict[str, Any] | None = None) -> dict[str, Any]:
    """A ``"system-dual"`` certificate at multiplier ``nu`` (rounded to a short rational).

    >>> from bounds.system import operating_point
    >>> c = dual_certificate(operating_point(0.6, 1.65), "classical", 1.5)
    >>> c["kind"], c["model"], c["nu"]
    ('system-dual', 'classical', '3/2')
    """
    if model not in ("classical", "quantum"):
        raise SystemParameterError(f"`model` must be 'classical' or 'quantum'; got {model!r}")
    nu_q = Fraction(nu).limit_denominator(10**12)
    nu_f = float(nu_q)
    _, B, ec, _ = _exact_point(pt)
    cert: dict[str, Any] = {**_header(pt, "system-dual", model, "lower"), "nu": q(nu_q), "solver": solver or {}}
    if model == "classical":
        d = dual if dual is not None and dual.nu == nu_f else dual_classical(pt, nu_f)
        target = d.bias + slack
        cert["breaks"] = [q(v) for v in _classical_partition(pt, nu_f, target)]
        bias_up = target
    else:
        d = dual if dual is not None and dual.nu == nu_f else dual_quantum(pt, nu_f)
        pair = d.strategy
        if pair is None or not isinstance(pair.a, PlanarRouter) or not isinstance(pair.b, PlanarRouter):
            raise SolverError(f"the quantum dual at nu = {nu_f!r} gave no planar maximising pair; got {pair!r}")
        vis = pair.visibility
        M = pt.matrix(nu_f)
        pa, pb = pair.a, pair.b  # alpha ~ |p_a(x)|/2, beta ~ |p_b(y)|/2
        mats, js = [], []
        for r in (pa, pb):
            c, w = r.turn()
            x, wt = _nodes(pt.law, c, w)
            n = np.hypot(r.p0[0] + x * r.p1[0], r.p0[1] + x * r.p1[1]) / 2
            mats.append(np.array([[wt @ (1 / n), wt @ (x / n)], [wt @ (x / n), wt @ (x * x / n)]]))
            js.append(float(wt @ n))
        N = mats[0] @ M @ mats[1] @ M.T
        lam_max = float(max(np.linalg.eigvals(N).real))
        s = math.sqrt(lam_max / 4.0) * (1.0 + 1e-10)
        for name, r in (("alpha", pa), ("beta", pb)):
            p0, p1 = np.asarray(r.p0), np.asarray(r.p1)
            a2 = float(p1 @ p1)
            cross = float(p0[0] * p1[1] - p0[1] * p1[0])
            cert[name] = {"a2": q(Fraction(s * s * a2 / 4)), "xstar": q(Fraction(-float(p0 @ p1) / a2)),
                          "delta": q(Fraction(s * s * cross * cross / (4 * a2)))}
        cert["visibility"] = q(Fraction(vis).limit_denominator(10**12))
        bias_up = vis * s * (js[0] + js[1]) * (1 + 1e-12) + 1e-14
    p_bunch_up = nu_f * float(B) + (1 - nu_f * float(ec) + bias_up) / 2
    cert["bound"] = q(_floor(1 - p_bunch_up - 1e-13))
    cert["bias_estimate"] = d.bias
    return cert


# --------------------------------------------------------------------------- strategies

def _router_json(r: ThresholdRouter | PlanarRouter, pt: OperatingPoint) -> dict[str, Any]:
    if isinstance(r, ThresholdRouter):
        return {"u": q(Fraction(r.u(pt.law))), "sign": int(r.sign)}
    return {"p0": [q(Fraction(v)) for v in r.p0], "p1": [q(Fraction(v)) for v in r.p1]}


def strategy_certificate(pt: OperatingPoint, sol: ClassSolution, *, split_weight: float = 1e-10, solver: dict[str, Any] | None = None) -> dict[str, Any]:
    """A ``"system-strategy"`` certificate for a solution's mixture, plus ``split_weight`` of always-split.

    The always-split component (``W_q`` contribution 0) gives the exact
    feasibility check room for rounding; it costs at most ``split_weight``
    in ``p_split``.

    >>> from bounds.system import operating_point, solve_class
    >>> pt = operating_point(0.6, 1.65)
    >>> c = strategy_certificate(pt, solve_class(pt, "classical"))
    >>> c["kind"], len(c["components"])
    ('system-strategy', 3)
    """
    if sol.model not in ("classical", "quantum"):
        raise SystemParameterError(f"strategy certificates are for classical or quantum solutions; got {sol.model!r}")
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
    cert = {**_header(pt, "system-strategy", sol.model, "upper"), "bound": q(_ceil(1 - pb + 1e-13)), "components": out, "solver": solver or {}}
    if sol.model == "quantum":
        cert["visibility"] = q(Fraction(vis).limit_denominator(10**12))
    return cert
