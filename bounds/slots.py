"""The policy problem of timeslotted routing: the largest ``E[T_B]`` at ``W_q <= W_limit`` per class and slot length.

For each slot length ``tau`` and each class -- **ideal** (communicating),
**classical** (local rules and shared randomness) and **quantum** (one
entangled pair per slot) -- search a family of slot rules (lemmas T1-T5 of
``proofs/lemmas_system.md``), keep the members whose waiting time meets the
limit, and return the one with the largest baseline throughput
``E[T_B]`` for ``T(t) = t^k``:

* ideal: bunch iff ``W_A+ + W_B+ <= t`` (the paper's threshold rule on the batch works);
* classical: "one-sided" thresholds -- bunch iff ``W_A+ <= t`` (router B
  constant; the shape of the pair problem's classical optimum,
  :func:`bounds.system.solve_class`) -- and shared-coin bunching with a
  constant probability;
* quantum: planar measurements with the paper's linear relative angle
  ``E = cos(alpha + gamma (g(W_A+) + g(W_B+)))``, ``g`` the conditional CDF of
  the batch work, for a grid of ``gamma`` (mixed with always split where
  needed), and every classical rule (local rules are quantum rules).

Along each family the bunching grows pointwise with the parameter, so
``W_q`` grows with it (bunching is a mean-preserving spread of the server
work, and Lindley's mean is increasing in the convex order); the boundary
member is found by bisection.  The fair comparison (lemma T6 (c)) adds the
classical route-on-arrival policies: fair coins (closed form, M/G/1) and
shared-coin windows (simulated, :mod:`games.system.slotted`).

``criterion="upper"`` accepts a rule only when the *upper end* of its
``W_q`` bracket meets the limit: the rule then meets ``W_limit`` up to float
rounding (lemma T4), so its ``E[T_B]`` is achievable -- an achievability
statement for the class, not an optimality bound (the families are
restricted).  ``criterion="estimate"`` uses the bracket's midpoint.  All
``E[T_B]`` values are estimates (lemma T5).

>>> from analytic.laws.service import ServiceLaw
>>> pt = slot_point(0.6, 2.5, k=2.0, h=0.125)
>>> c = solve_slotted(pt, 1.0, "classical", steps=6)
>>> c.feasible, c.wq_est <= 2.5
(True, True)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from analytic.laws.service import ServiceLaw
from bounds.errors import BoundsParameterError, BoundsTypeError, check_int, check_real
from bounds.slot_queue import SlotWait, slot_throughput, slot_waiting_time
from bounds.slot_work import BatchLattice, RankRule, ServerWork, SumThresholdRule, batch_lattice, server_work

__all__ = [
    "CLASSES",
    "SlotComparison",
    "SlotPoint",
    "SlotPolicy",
    "compare_slots",
    "evaluate_rule",
    "family_name",
    "plot_slots",
    "route_on_arrival_fair",
    "route_on_arrival_limit",
    "route_on_arrival_windows",
    "simulate_choices",
    "slot_point",
    "solve_slotted",
    "throughput_bracket",
]

CLASSES = ("ideal", "classical", "quantum")
CRITERIA = ("estimate", "upper")
#: gamma grid of the planar family (radians)
GAMMAS = (0.4, 0.8, 1.2)


@dataclass(frozen=True)
class SlotPoint:
    """Rates, service law, waiting-time limit, throughput degree ``k`` and lattice step target ``h``."""

    lam_a: float
    lam_b: float
    law: ServiceLaw
    W_limit: float
    k: float
    h: float

    @property
    def rho(self) -> float:
        return (self.lam_a + self.lam_b) * self.law.mean / 2

    @property
    def lam_s(self) -> float:
        """Per-server customer rate ``(lam_a + lam_b)/2``."""
        return (self.lam_a + self.lam_b) / 2

    @property
    def W_arrival(self) -> float:
        """Route-on-arrival with fair coins: M/G/1 Pollaczek-Khinchine wait."""
        return self.lam_s * self.law.second_moment / (2 * (1 - self.rho))

    def m(self, tau: float) -> int:
        return max(2, math.ceil(tau / self.h - 1e-9))

    def describe(self) -> dict[str, Any]:
        return {"lam_a": self.lam_a, "lam_b": self.lam_b, **self.law.describe(), "rho": self.rho, "W_limit": self.W_limit, "k": self.k,
                "h": self.h, "W_arrival": self.W_arrival}


def slot_point(lam: float, W_limit: float, *, lam_b: float | None = None, law: ServiceLaw | None = None, mu: float | None = None,
               k: float = 2.0, h: float = 0.04) -> SlotPoint:
    """Validated :class:`SlotPoint` (``lam_b = lam`` and exponential ``mu = 1`` unless given).

    >>> slot_point(1.2, 3.0)
    Traceback (most recent call last):
    ...
    bounds.errors.BoundsParameterError: `rho` = (lam_a + lam_b) E[X] / 2 must be < 1 for a stable system; got 1.2
    """
    lam = check_real("lam", lam, low=0.0, low_open=True)
    lb = lam if lam_b is None else check_real("lam_b", lam_b, low=0.0, low_open=True)
    if law is None:
        law = ServiceLaw.exponential(check_real("mu", 1.0 if mu is None else mu, low=0.0, low_open=True))
    elif mu is not None:
        raise BoundsParameterError(f"give either `mu` or `law`, not both; got mu = {mu!r}")
    if not isinstance(law, ServiceLaw):
        raise BoundsTypeError(f"`law` must be an analytic.ServiceLaw; got {type(law).__name__}")
    W_limit = check_real("W_limit", W_limit, low=0.0, low_open=True)
    k = check_real("k", k, low=0.0)
    h = check_real("h", h, low=1e-4, high=1.0)
    rho = (lam + lb) * law.mean / 2
    if not rho < 1:
        raise BoundsParameterError(f"`rho` = (lam_a + lam_b) E[X] / 2 must be < 1 for a stable system; got {rho:g}")
    return SlotPoint(lam, lb, law, W_limit, k, h)


@dataclass(frozen=True)
class SlotPolicy:
    """One evaluated (or chosen) policy: ``W_q`` bracket, ``E[T_B]`` estimate and slot statistics.

    ``feasible`` says whether the criterion value meets ``W_limit``; for
    route-on-arrival ``tau`` is ``None`` and ``wq_lo == wq_hi`` is the closed
    form (fair coins) or a simulated estimate with its CI (windows).
    """

    model: str
    family: str
    tau: float | None
    params: dict
    wq_lo: float
    wq_hi: float
    tb: float
    p_split: float
    p_coord: float
    feasible: bool
    criterion: str
    note: str = ""
    tb_ci: tuple[float, float] | None = None
    rule: Any = field(default=None, repr=False, compare=False)
    tb_bracket: tuple[float, float] | None = None

    @property
    def wq_est(self) -> float:
        return 0.5 * (self.wq_lo + self.wq_hi)

    def to_dict(self) -> dict[str, Any]:
        return {"model": self.model, "family": self.family, "tau": self.tau, "params": self.params,
                "W_q": {"lower": self.wq_lo, "upper": self.wq_hi}, "throughput": self.tb,
                "throughput_ci": None if self.tb_ci is None else list(self.tb_ci),
                "throughput_bracket": None if self.tb_bracket is None else list(self.tb_bracket), "p_split": self.p_split,
                "p_coord": self.p_coord, "feasible": self.feasible, "criterion": self.criterion, "note": self.note}


_LATTICES: dict[tuple, tuple[BatchLattice, BatchLattice]] = {}


def _lattices(pt: SlotPoint, tau: float) -> tuple[BatchLattice, BatchLattice]:
    key = (pt.lam_a, pt.lam_b, repr(pt.law.describe()), tau, pt.m(tau))
    if key not in _LATTICES:
        if len(_LATTICES) > 16:
            _LATTICES.clear()
        A = batch_lattice(pt.law, pt.lam_a, tau, pt.m(tau))
        B = A if pt.lam_b == pt.lam_a else batch_lattice(pt.law, pt.lam_b, tau, pt.m(tau))
        _LATTICES[key] = (A, B)
    return _LATTICES[key]


def evaluate_rule(pt: SlotPoint, tau: float, rule: RankRule | SumThresholdRule, *, model: str = "classical", family: str = "rule",
                  params: dict | None = None, criterion: str = "estimate") -> SlotPolicy:
    """``W_q`` bracket and ``E[T_B]`` estimate of one slot rule at slot length ``tau``.

    >>> pt = slot_point(0.6, 3.0, h=0.125)
    >>> p = evaluate_rule(pt, 1.0, RankRule.constant(-1.0))
    >>> p.wq_lo < p.wq_hi and p.p_split == 1.0
    True
    """
    if not isinstance(pt, SlotPoint):
        raise BoundsTypeError(f"`pt` must be a bounds.slots.SlotPoint (bounds.slots.slot_point); got {type(pt).__name__}")
    tau = check_real("tau", tau, low=0.0, low_open=True)
    if criterion not in CRITERIA:
        raise BoundsParameterError(f"`criterion` must be one of {CRITERIA}; got {criterion!r}")
    A, B = _lattices(pt, tau)
    w = server_work(A, B, rule)
    sw = slot_waiting_time(w, tol=1e-5)
    tb = slot_throughput(w, sw, pt.k)
    crit = sw.estimate if criterion == "estimate" else sw.wq_hi
    return SlotPolicy(model, family, tau, dict(params or {}), sw.wq_lo, sw.wq_hi, 0.5 * (tb[0] + tb[1]), w.p_split, w.p_coord,
                      crit <= pt.W_limit, criterion, rule=rule, tb_bracket=throughput_bracket(w, sw, pt.k))


def throughput_bracket(work: ServerWork, wait: SlotWait, k: float) -> tuple[float, float] | None:
    """A bracket of ``E[T_B]`` (``T(t) = t^k``, ``k > 0``) from the two Lindley chains (lemma T5 (b)); ``None`` for ``k = 0``.

    ``E[T_B] = E[G(Y)] / tau``, ``Y = V + S`` (work done in a slot), with
    ``G(y) = E[T(tau (K + 1) - y) - T(tau K)]`` for ``y < tau`` and 0 beyond,
    ``K ~ Geometric(q)`` (further epochs without work).  ``G`` is
    non-increasing, so the lower chain (``V`` from 0 with ``S-``: below ``Y``
    in the stochastic order) gives the upper end and the upper chain
    (``S+``, from the Kingman law) the lower end.  Floats: the bracket is the
    method's error (O(h) wide), not an outward-rounded enclosure.

    >>> pt = slot_point(0.6, 3.0, h=0.05)
    >>> p = evaluate_rule(pt, 0.25, RankRule.constant(-1.0))
    >>> p.tb_bracket[0] <= p.tb <= p.tb_bracket[1]
    True
    """
    k = check_real("k", k, low=0.0)
    if k == 0:  # T jumps at 0: T(L) is not the integral of T' over the idle period
        return None
    m, h, tau, q = work.m, work.h, work.tau, work.q
    if not 0 < q <= 1:
        raise BoundsParameterError(f"the server never receives work (q = {q!r})")
    j = np.arange(math.ceil(40.0 / q) + 1, dtype=float)
    pj = q * (1.0 - q) ** j
    y = np.arange(m + 1, dtype=float) * h
    G = ((tau * (j[None, :] + 1) - y[:, None]) ** k - (tau * j[None, :]) ** k) @ pj
    G[m] = 0.0

    def mean_G(v: np.ndarray, s: np.ndarray) -> float:
        return float(np.convolve(v[: m + 1], s[: m + 1])[: m + 1] @ G)

    qb = wait.queue
    hi = mean_G(qb.pmf_lo / qb.pmf_lo.sum(), work.s_dn / work.s_dn.sum())
    lo = mean_G(qb.pmf_hi, work.s_up / work.s_up.sum())  # the upper chain's tail mass sits beyond tau, where G = 0
    return lo / tau, hi / tau


def _planar(A: BatchLattice, alpha: float, gamma: float) -> RankRule:
    g = A.conditional_cdf()
    U = np.stack([np.cos(alpha + gamma * g), -np.sin(alpha + gamma * g)])
    V = np.stack([np.cos(gamma * g), np.sin(gamma * g)])
    return RankRule(((1.0, U, V),), "planar")


def _family(pt: SlotPoint, tau: float, model: str, shape: Any):  # noqa: ANN202
    """``(x -> rule, x_lo, x_hi, name, params(x))`` with bunching increasing in ``x``."""
    A, _ = _lattices(pt, tau)
    size = A.size
    kk = np.arange(size) * A.h
    split = RankRule.constant(-1.0, "split")
    if model == "ideal":
        # bisect up to twice the 0.9999-quantile of the batch work (beyond it the rule bunches almost every slot)
        w_hi = float(np.searchsorted(A.conditional_cdf(), 0.9999) + 1) * A.h
        return (lambda x: SumThresholdRule(x)), 0.0, 2 * w_hi, "sum-threshold", (lambda x: {"t": x})
    if shape == "coin":
        return (lambda x: RankRule.constant(2 * x - 1, "coin")), 0.0, 1.0, "shared-coin", (lambda x: {"p_bunch": x})
    if shape == "one-sided":
        def one(x: float) -> RankRule:
            return RankRule(((1.0, np.where(kk <= x, 1.0, -1.0)[None, :], np.ones((1, size))),), "one-sided")
        return one, 0.0, size * A.h, "one-sided threshold", (lambda x: {"t": x})
    if isinstance(shape, tuple) and shape[0] == "pair":
        pair_rule = _pair_quantum_rule(pt, A, shape[1])

        bunch = RankRule.constant(1.0, "bunch")

        def mix(x: float) -> RankRule:
            return pair_rule.mixed(split, 1.0 - x) if x <= 1.0 else pair_rule.mixed(bunch, x - 1.0)

        def mix_params(x: float) -> dict:
            return {"pair_W_limit": shape[1], "split_weight": max(0.0, 1.0 - x), "bunch_weight": max(0.0, x - 1.0)}

        return mix, 0.0, 2.0, "pair-optimal planar", mix_params
    gamma = float(shape)
    a0 = math.pi - 2 * gamma

    def planar(x: float) -> RankRule:
        if x <= 1.0:
            return _planar(A, a0, gamma).mixed(split, 1.0 - x)
        return _planar(A, a0 * (2.0 - x), gamma)

    def params(x: float) -> dict:
        return {"gamma": gamma, "alpha": a0 * (2.0 - x) if x > 1 else a0, "split_weight": 1.0 - x if x <= 1 else 0.0}

    return planar, 0.0, 2.0, "planar linear angle", params


def _pair_quantum_rule(pt: SlotPoint, A: BatchLattice, W_pair: float) -> RankRule:
    """The quantum optimum of the simultaneous-pair problem at ``(lam, W_pair)`` (:func:`bounds.system.solve_class`), its
    planar routers applied to the batch works (a legitimate quantum slot rule)."""
    from bounds.system import solve_class
    from bounds.system_point import operating_point
    from bounds.system_routers import PlanarRouter

    key = ("pair", pt.lam_a, repr(pt.law.describe()), W_pair)
    if key not in _PAIR:
        sol = solve_class(operating_point(pt.lam_a, W_pair, law=pt.law), "quantum")
        _PAIR[key] = sol.strategy
    parts = []
    w = np.arange(A.size, dtype=np.float64) * A.h
    for weight, rp in _PAIR[key].components:
        if isinstance(rp.a, PlanarRouter) and isinstance(rp.b, PlanarRouter):
            parts.append((weight, rp.a.vector(w).T.copy(), rp.b.vector(w).T.copy()))
        else:
            parts.append((weight, rp.a.output(w)[None, :], rp.b.output(w)[None, :]))
    return RankRule(tuple(parts), "pair-planar")


_PAIR: dict[tuple, Any] = {}


def _point_key(pt: SlotPoint, tau: float, criterion: str) -> tuple:
    return (pt.lam_a, pt.lam_b, repr(pt.law.describe()), pt.W_limit, pt.k, pt.h, tau, criterion)


#: evaluations of the two constant rules (always split, always bunch) and whole family searches, per point and slot length
_CONST: dict[tuple, SlotPolicy] = {}
_SEARCH: dict[tuple, SlotPolicy] = {}
#: families whose upper end is the constant rule "always bunch" (the lower end of every family is "always split")
_BUNCH_AT_HI = ("shared-coin", "one-sided threshold", "pair-optimal planar")


def _constant(pt: SlotPoint, tau: float, e: float, criterion: str) -> SlotPolicy:
    key = (*_point_key(pt, tau, criterion), e)
    if key not in _CONST:
        if len(_CONST) > 256:
            _CONST.clear()
        _CONST[key] = evaluate_rule(pt, tau, RankRule.constant(e), criterion=criterion)
    return _CONST[key]


def _search(pt: SlotPoint, tau: float, model: str, shape: Any, criterion: str, steps: int, x_max: float | None = None) -> SlotPolicy:
    fam_model = "classical" if isinstance(shape, str) and shape in ("coin", "one-sided") else model
    key = (*_point_key(pt, tau, criterion), fam_model, repr(shape), steps, x_max)
    if key not in _SEARCH:  # the quantum class repeats the classical families: search each once
        if len(_SEARCH) > 1024:
            _SEARCH.clear()
        _SEARCH[key] = _search_family(pt, tau, model, shape, criterion, steps, fam_model, x_max)
    return _SEARCH[key]


def _search_family(pt: SlotPoint, tau: float, model: str, shape: Any, criterion: str, steps: int, fam_model: str,
                   x_max: float | None = None) -> SlotPolicy:
    make, lo, fam_hi, name, params_of = _family(pt, tau, model, shape)
    hi = fam_hi if x_max is None else min(fam_hi, max(lo, x_max))  # x_max: bisect only below it (near a known candidate)

    def params(x: float) -> dict:
        return {**params_of(x), "x": x}

    def ev(x: float) -> SlotPolicy:
        # the rank-rule families are "always split" at their lower end, and some are "always bunch" at the upper end: those
        # two rules are evaluated once per point and slot length (the same W_q bracket and E[T_B]; only the labels differ).
        # The ideal sum threshold at t = 0 also never bunches, but its within-batch bracket is computed differently.
        if (x == lo and name != "sum-threshold") or (x == fam_hi and name in _BUNCH_AT_HI):
            c = _constant(pt, tau, -1.0 if x == lo else 1.0, criterion)
            return replace(c, model=fam_model, family=name, params=params(x), rule=make(x))
        return evaluate_rule(pt, tau, make(x), model=fam_model, family=name, params=params(x), criterion=criterion)

    p_lo = ev(lo)
    if not p_lo.feasible:
        return p_lo  # even the least bunching member misses the limit
    p_hi = ev(hi)
    if p_hi.feasible:
        return p_hi
    best = p_lo
    for _ in range(steps):
        mid = 0.5 * (lo + hi)
        p = ev(mid)
        if p.feasible:
            lo, best = mid, p
        else:
            hi = mid
    return best


def family_name(shape: Any) -> str:
    """The family name (:attr:`SlotPolicy.family`) of a search shape of :func:`solve_slotted`.

    >>> family_name("coin"), family_name(0.4), family_name(("pair", 1.5))
    ('shared-coin', 'planar linear angle', 'pair-optimal planar')
    """
    if shape is None:
        return "sum-threshold"
    if isinstance(shape, tuple):
        return "pair-optimal planar"
    if isinstance(shape, str):
        return {"coin": "shared-coin", "one-sided": "one-sided threshold"}[shape]
    return "planar linear angle"


def solve_slotted(pt: SlotPoint, tau: float, model: str, *, criterion: str = "estimate", steps: int = 10,
                  gammas: tuple[float, ...] = GAMMAS, pair_slack: tuple[float, ...] = (1.1, 1.3, 1.6),
                  families: tuple[str, ...] | None = None, x_max: float | None = None) -> SlotPolicy:
    """The best member (largest ``E[T_B]``) of the class's families meeting ``W_limit`` at slot length ``tau``.

    Returns an infeasible policy (``feasible`` False) when no member meets the limit.
    The quantum class also tries the simultaneous-pair quantum optimum at
    ``W_pair = f W_arrival`` for ``f`` in ``pair_slack`` (only for ``lam_a == lam_b``),
    mixed with always split.  ``families`` (names as :func:`family_name`) restricts
    the search to those families of the class (e.g. the family of an estimate-optimal
    rule, searched again on a finer lattice), and ``x_max`` caps every
    family's parameter (``params["x"]`` of a returned policy; bunching grows
    with it), so that the bisection resolves the range below a candidate.
    """
    if model not in CLASSES:
        raise BoundsParameterError(f"`model` must be one of {CLASSES}; got {model!r}")
    steps = check_int("steps", steps, low=1, high=60)
    if model == "ideal":
        shapes: list[Any] = [None]
    elif model == "classical":
        shapes = ["one-sided", "coin"]
    else:
        W0 = pt.W_arrival
        pairs = [("pair", W0 * f) for f in pair_slack] if pt.lam_a == pt.lam_b else []
        shapes = ["one-sided", "coin", *gammas, *pairs]
    if families is not None:
        shapes = [s for s in shapes if family_name(s) in families]
        if not shapes:
            raise BoundsParameterError(f"`families` names no family of the {model} class; got {families!r}")
    found = [_search(pt, tau, model, s, criterion, steps, x_max) for s in shapes]
    ok = [p for p in found if p.feasible]
    if not ok:
        return min(found, key=lambda p: p.wq_hi)
    return max(ok, key=lambda p: p.tb)


def route_on_arrival_fair(pt: SlotPoint) -> SlotPolicy:
    """Fair coins on arrival: M/G/1 per server, ``E[T_B] = (1 - rho) Gamma(k + 1) / lam_s^(k - 1)`` (closed forms).

    >>> p = route_on_arrival_fair(slot_point(0.6, 2.0))
    >>> round(p.wq_lo, 12), round(p.tb, 12)
    (1.5, 1.333333333333)
    """
    wq = pt.W_arrival
    tb = (1 - pt.rho) * math.gamma(pt.k + 1) / pt.lam_s ** (pt.k - 1)
    return SlotPolicy("classical", "arrival fair coin", None, {}, wq, wq, tb, 1.0, 0.0, wq <= pt.W_limit, "closed form", tb_bracket=(tb, tb))


def route_on_arrival_windows(pt: SlotPoint, thetas: tuple[float, ...] = (0.25, 0.5, 1.0, 2.0), *, horizon: float = 2.0e5, seed: int = 0,
                             steps: int = 8, each: bool = False) -> SlotPolicy | tuple[SlotPolicy, ...]:
    """Shared-coin windows on arrival (simulated *estimates*): per ``theta`` the largest bunched fraction meeting ``W_limit``.

    Common random numbers across ``theta`` and the fraction; the fraction is
    found on the simulated ``W_q`` (point estimate), so feasibility here is an
    estimate, not a bracket: halving from 1 until a fraction meets the limit,
    then ``steps`` bisections (relative resolution also for the small
    fractions of long windows).  The simulated horizon grows like ``theta``
    beyond ``theta = 16`` (``horizon theta / 16``) so that long windows keep
    enough bunched windows.  Returns the best policy, or with ``each`` the
    best per ``theta`` (an infeasible placeholder where none meets the limit).
    """
    from games.system.slotted import simulate_slotted

    best: SlotPolicy | None = None
    per: list[SlotPolicy] = []
    fair = route_on_arrival_fair(pt)
    for th in thetas:
        th = check_real("theta", th, low=0.0, low_open=True)
        n_slots = max(1000, int(horizon * max(1.0, th / 16.0) / th))

        def run(f: float, th: float = th, n_slots: int = n_slots):  # noqa: ANN202
            return simulate_slotted(None, pt.lam_a, pt.lam_b, pt.law, tau=th, mode="arrival", window=th, window_bunch=f, n_slots=n_slots,
                                    seed=seed)

        r = run(1.0)
        f = 1.0
        if r.wq > pt.W_limit:
            r0 = run(0.0)
            if r0.wq > pt.W_limit:
                per.append(replace(fair, family="arrival windows", params={"theta": th}, feasible=False, criterion="simulated estimate",
                                   note="no bunched fraction meets the limit"))
                continue
            lo, hi, good = 0.0, 1.0, (0.0, r0)
            while hi > 1e-4:  # halve until feasible
                rm = run(hi / 2)
                if rm.wq <= pt.W_limit:
                    lo, good = hi / 2, (hi / 2, rm)
                    break
                hi /= 2
            for _ in range(steps if lo > 0 else 0):
                mid = 0.5 * (lo + hi)
                rm = run(mid)
                if rm.wq <= pt.W_limit:
                    lo, good = mid, (mid, rm)
                else:
                    hi = mid
            f, r = good
        tb, ci = r.throughput(pt.k)
        pol = SlotPolicy("classical", "arrival windows", None, {"theta": th, "bunched_fraction": f}, r.wq_ci[0], r.wq_ci[1], tb, math.nan,
                         0.0, True, "simulated estimate", note=f"W_q estimate {r.wq:.4f}", tb_ci=ci)
        per.append(pol)
        if best is None or pol.tb > best.tb:
            best = pol
    if each:
        return tuple(per)
    if best is None:
        return SlotPolicy("classical", "arrival windows", None, {}, fair.wq_lo, fair.wq_hi, fair.tb, math.nan, 0.0, False, "simulated estimate")
    return best


def route_on_arrival_limit(pt: SlotPoint) -> SlotPolicy:
    """Shared-coin windows in the limit ``theta -> inf`` (closed form, lemma T8; :func:`analytic.slots_limit.window_limit`).

    ``tb`` is the limit of ``E[T_B]`` (``inf`` when unbounded: ``2 rho < 1``
    and ``k > 1``, or ``2 rho > 1`` and ``k > 2``); it is a supremum over long
    windows, approached, not attained, at finite ``theta``.

    >>> p = route_on_arrival_limit(slot_point(0.6, 1.65))
    >>> p.params["regime"], round(p.tb, 9)
    ('fluid', 1.933333333)
    """
    from analytic.slots_limit import window_limit

    lim = window_limit(pt.lam_s, pt.law, pt.W_limit, k=pt.k)
    params = {"regime": lim.regime, lim.param_name: lim.param, "slope": lim.slope, "power": lim.power}
    note = ("E[T_B] grows like theta^(k-1) (unbounded)" if math.isinf(lim.tb) and lim.regime == "mixture"
            else "E[T_B] grows like theta^(k-2) (unbounded)" if math.isinf(lim.tb) else "limit of E[T_B] (not attained)")
    return SlotPolicy("classical", "arrival windows, theta -> inf", None, params, lim.wq, lim.wq, lim.tb, math.nan, 0.0, lim.feasible,
                      "closed form (limit)", note=note)


@dataclass(frozen=True)
class SlotComparison:
    """Per slot length: the three classes; the best classical policy overall (slotted or on arrival); the ratios.

    ``ratio[tau]`` is ``E[T_B]`` of the best slotted quantum rule at ``tau``
    over the best classical policy (any ``tau`` or on arrival).  Since the
    quantum class contains every classical policy, ``R_k(tau) = max(1, ratio)``:
    a ratio below 1 means the entanglement adds nothing at that ``tau``.
    """

    point: SlotPoint
    taus: tuple[float, ...]
    slotted: dict[float, dict[str, SlotPolicy]]
    arrival: tuple[SlotPolicy, ...]
    best_classical: SlotPolicy
    ratio: dict[float, float]
    pair_ratio: float | None
    extra: dict = field(default_factory=dict)

    def best_tau(self, model: str) -> float | None:
        ok = [(self.slotted[t][model].tb, t) for t in self.taus if self.slotted[t][model].feasible]
        return max(ok)[1] if ok else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "point": self.point.describe(),
            "taus": list(self.taus),
            "slotted": {str(t): {m: p.to_dict() for m, p in d.items()} for t, d in self.slotted.items()},
            "arrival": [p.to_dict() for p in self.arrival],
            "best_classical": self.best_classical.to_dict(),
            "slotted_quantum_over_best_classical": {str(t): r for t, r in self.ratio.items()},
            "R_k": {str(t): (max(1.0, r) if r == r else None) for t, r in self.ratio.items()},
            "best_tau": {m: self.best_tau(m) for m in CLASSES},
            "R_k_simultaneous_pairs": self.pair_ratio,
        }


def _pair_ratio(pt: SlotPoint) -> float | None:
    """``R_k`` of the paper's simultaneous-pair system at the same ``lam``, law and ``W_limit`` (bounds.system), when defined."""
    if pt.lam_a != pt.lam_b:
        return None
    from bounds.system import solve_class
    from bounds.system_point import SystemParameterError, operating_point

    try:
        op = operating_point(pt.lam_a, pt.W_limit, law=pt.law)
        pc = solve_class(op, "classical").p_split
        pq = solve_class(op, "quantum").p_split
    except SystemParameterError:
        return None
    return ((1 + pc) / (1 + pq)) ** (pt.k - 1)


def compare_slots(pt: SlotPoint, taus: tuple[float, ...], *, criterion: str = "estimate", steps: int = 10, windows: bool = True,
                  thetas: tuple[float, ...] = (0.25, 0.5, 1.0, 2.0), seed: int = 0, pair: bool = True, limit: bool = False) -> SlotComparison:
    """Solve every class at every ``tau``, add route-on-arrival, and form ``R_k(tau) = E[T_B]_quantum(tau) / best classical``.

    The best classical policy is the best of the classical slotted rules at
    every ``tau`` and the route-on-arrival policies (fair coins; windows if
    ``windows``; the long-window limit of lemma T8 if ``limit``, which may
    be ``inf``: then every ratio is 0).  ``R_k`` is ``nan`` where the quantum
    class meets no limit.
    """
    if not isinstance(pt, SlotPoint):
        raise BoundsTypeError(f"`pt` must be a bounds.slots.SlotPoint; got {type(pt).__name__}")
    if not taus:
        raise BoundsParameterError("`taus` must list at least one slot length; got ()")
    taus = tuple(check_real("tau", t, low=0.0, low_open=True) for t in taus)
    slotted = {t: {m: solve_slotted(pt, t, m, criterion=criterion, steps=steps) for m in CLASSES} for t in taus}
    for t in taus:  # the ideal class contains every quantum rule: keep the better of its own family and the quantum solution
        q, i = slotted[t]["quantum"], slotted[t]["ideal"]
        if q.feasible and (not i.feasible or q.tb > i.tb):
            slotted[t]["ideal"] = replace(q, model="ideal", note=f"quantum rule ({q.family}) beats the sum-threshold family here")
    arrival = [route_on_arrival_fair(pt)]
    if windows:
        per = route_on_arrival_windows(pt, thetas, seed=seed, each=True)
        assert isinstance(per, tuple)
        ok_w = [p for p in per if p.feasible]
        arrival.append(max(ok_w, key=lambda p: p.tb) if ok_w else per[0])
        extra = {"windows": per}
    else:
        extra = {}
    if limit and pt.rho != 0.5:
        arrival.append(route_on_arrival_limit(pt))
    cands = [p for p in arrival if p.feasible] + [slotted[t]["classical"] for t in taus if slotted[t]["classical"].feasible]
    if not cands:
        raise BoundsParameterError(f"no classical policy meets `W_limit` = {pt.W_limit:g} (route-on-arrival fair coins wait {pt.W_arrival:.4g})")
    best = max(cands, key=lambda p: p.tb)
    ratio = {t: (slotted[t]["quantum"].tb / best.tb if slotted[t]["quantum"].feasible else math.nan) for t in taus}
    return SlotComparison(pt, taus, slotted, tuple(arrival), best, ratio, _pair_ratio(pt) if pair else None, extra)


def plot_slots(cmp: SlotComparison, path: str) -> str:
    """``E[T_B]`` of the three slotted classes and the best classical policy against ``tau`` (left), and the ratio (right)."""
    from games.figures import pyplot, save_figure

    plt = pyplot()
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(10, 4))
    taus = list(cmp.taus)
    for m, style in (("ideal", "k-"), ("quantum", "b-o"), ("classical", "r-s")):
        ys = [cmp.slotted[t][m].tb if cmp.slotted[t][m].feasible else math.nan for t in taus]
        ax.plot(taus, ys, style, ms=4, label=f"slotted {m}")
    ax.axhline(cmp.best_classical.tb, color="g", ls="--", label=f"best classical ({cmp.best_classical.family})")
    ax.set_xlabel("slot length tau (infeasible slot lengths not drawn)")
    ax.set_ylabel(f"E[T_B], T(t) = t^{cmp.point.k:g}")
    ax.set_title(f"rho = {cmp.point.rho:g}, W_limit = {cmp.point.W_limit:.3g}")
    ax.legend(fontsize=7)
    ax2.plot(taus, [cmp.ratio[t] for t in taus], "b-o", ms=4, label="slotted quantum / best classical")
    ax2.axhline(1.0, color="gray", ls=":")
    if cmp.pair_ratio is not None:
        ax2.axhline(cmp.pair_ratio, color="m", ls="--", label=f"simultaneous pairs R_k = {cmp.pair_ratio:.4f}")
    for a_ in (ax, ax2):
        a_.set_xscale("log")
        a_.minorticks_off()
        a_.set_xticks(taus, [f"{t:g}" for t in taus])
        a_.set_xlim(min(taus) / 1.3, max(taus) * 1.3)
    ax2.set_xlabel("slot length tau")
    ax2.set_ylabel("ratio of E[T_B]")
    ax2.legend(fontsize=7)
    fig.tight_layout()
    return str(save_figure(fig, path))


def simulate_choices(cmp: SlotComparison, slots: int, *, seed: int = 0) -> list[dict[str, Any]]:
    """Re-simulate every chosen slotted rule of ``cmp`` (99 % CIs, common random numbers across rules and classes).

    One row per slot length and class: the simulated ``W_q`` and ``E[T_B]``
    with their CIs, the computed bracket and estimate, and ``consistent``:
    the ``W_q`` CI meets the bracket and the ``E[T_B]`` CI holds the estimate.
    """
    from bounds.slot_work import rule_correlation
    from games.system.slotted import simulate_slotted

    slots = check_int("slots", slots, low=1000)
    pt = cmp.point
    rows = []
    for t in cmp.taus:
        for m, pol in cmp.slotted[t].items():
            if pol.rule is None:
                continue
            h = t / pt.m(t)

            def corr(ka: Any, kb: Any, rule: Any = pol.rule, h: float = h) -> Any:
                return rule_correlation(rule, ka, kb, h)

            r = simulate_slotted(corr, pt.lam_a, pt.lam_b, pt.law, tau=t, m=pt.m(t), n_slots=slots, seed=seed)
            tb, ci = r.throughput(pt.k)
            wq_ok = bool(r.wq_ci[0] <= pol.wq_hi and pol.wq_lo <= r.wq_ci[1])
            tb_ok = bool(ci[0] <= pol.tb <= ci[1])
            rows.append({"tau": t, "class": m, "family": pol.family, "feasible": pol.feasible, "W_q_bracket": [pol.wq_lo, pol.wq_hi],
                         "W_q_sim": r.wq, "W_q_ci": list(r.wq_ci), "throughput": pol.tb, "throughput_sim": tb, "throughput_ci": list(ci),
                         "W_q_ok": wq_ok, "throughput_ok": tb_ok, "consistent": wq_ok and tb_ok})
    return rows
