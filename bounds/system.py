"""The paper's system problem, solved: the smallest ``p_split`` that meets ``W_q <= W_limit``.

For three classes of routers -- **ideal** (both service times seen),
**classical** (local, shared randomness) and **quantum** (shared entanglement,
local measurements) -- minimise ``p_split`` subject to ``W_q <= W_limit``.
``W_q = W_0 + E[beta c]`` is affine in the bunch probability (random order
inside a bunched pair, :mod:`analytic.waiting`), so by Lagrange duality
(:func:`analytic.system.derive_system_kernel`)

``p_bunch* = min over nu >= 0 of  nu (W_limit - W_0) + V(nu)``,
``V(nu) = E[k]/2 + G(nu)/2``,  ``k = [1, x] M(nu) [1, y]^T``,

with ``G(nu)`` the bias of the XOR game with kernel ``k`` over the class.
Because ``k`` has rank 2 (``proofs/lemmas_system.md``):

* classical: best responses are single thresholds in ``x``, so
  ``G_c(nu) = max over t of h(M b(t))`` -- a one-dimensional search, with
  ``h(w) = E|w0 + w1 X|`` and ``b(t) = (E[B], E[B Y])`` of ``B = sgn(Y - t)``;
* quantum: best responses are qubit XY-plane measurements at the angle of
  ``p0 + x p1`` (turning monotonically with ``x``), found by alternating best
  responses with 2-vectors ``p0, p1`` as the only parameters;
* ideal: ``V(nu) = E[(1 - nu c)^+]``, the cost-threshold rule of
  :mod:`analytic.optimal`.

The dual function ``D(nu) = nu B + V(nu)`` is convex; its minimiser is found
by bisection on the envelope slope ``B - E[beta* c]``, and the attaining
strategy is the mixture (shared coin) of the two maximisers bracketing
``nu*`` that meets ``W_limit`` with equality.  Everything returned here is an
*estimate*; :mod:`bounds.system_certificates` turns the solution into
certificates that :mod:`proofs.checkers.system_dual` and :mod:`proofs.checkers.system_strategy` verify.

Law-generic: every function takes the point's :class:`analytic.ServiceLaw`
(exponential by default; any law with ``E[X^2] < inf``).  The exponential and
the catalogue laws (:meth:`analytic.ServiceLaw.named`) have closed-form tails
and quantiles (fast); a law given only as a scipy distribution uses quadrature.

Hooks for other models
----------------------
* ``visibility`` (quantum): the routers' correlation is ``v <u(x), v(y)>`` --
  a Werner state of visibility ``v`` measured in the XY plane.  ``G`` scales
  by ``v``.  Any other correlation map ``E -> v E`` is the same call.  Below
  ``v = 1`` the planar pairs no longer reach always split or always bunch;
  both stay in the class (the routers may ignore their pair), so
  ``V(nu) >= max(0, 1 - nu E[c])``.
* :func:`solve_mixture`: a fraction ``f`` of the pairs quantum, the rest
  classical, the routers know which: ``min over nu of nu B + f V_q(nu) +
  (1 - f) V_c(nu)``.

The system problem is split by concept:

* :mod:`bounds.system_point`: the operating point (:func:`operating_point`) and its errors;
* :mod:`bounds.system_quadrature`: expectations over the service law;
* :mod:`bounds.system_routers`: threshold and planar routers, pairs, mixtures;
* :mod:`bounds.system_duals`: the dual functions ``V(nu)`` of each class;
* this module: the minimisation over ``nu`` (:func:`solve_class`,
  :func:`ideal_solution`, :func:`solve_mixture`).

>>> from bounds.system_point import operating_point
>>> pt = operating_point(0.6, 1.65)
>>> c = solve_class(pt, "classical"); q = solve_class(pt, "quantum")
>>> q.p_split < c.p_split
True
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from bounds.errors import BoundsTypeError, SolverError, check_real
from bounds.system_duals import DualValue, dual_classical, dual_ideal, dual_quantum
from bounds.system_point import OperatingPoint, SystemParameterError, real_parameter, require_point
from bounds.system_routers import ALWAYS_BUNCH, ALWAYS_SPLIT, MixedStrategy, PlanarRouter, RouterPair
from games.errors import check_choice

__all__ = ["MODELS", "ClassSolution", "ideal_solution", "solve_class", "solve_mixture"]

MODELS = ("ideal", "classical", "quantum")


@dataclass(frozen=True)
class ClassSolution:
    """The smallest ``p_split`` of one class at one operating point (estimates).

    ``p_split`` is the attaining strategy's value (``strategy`` meets
    ``W_limit``); ``p_split_dual`` is ``1 - min_nu D(nu)`` evaluated at
    ``nu`` (a lower estimate; equal up to the bisection tolerance).
    """

    model: str
    p_split: float
    p_split_dual: float
    nu: float
    strategy: MixedStrategy
    waiting_time: float
    evaluations: int
    duals: tuple[DualValue, ...] = field(default=(), repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {"model": self.model, "p_split": self.p_split, "p_split_dual": self.p_split_dual, "nu": self.nu,
                "W_q": self.waiting_time, "evaluations": self.evaluations, "strategy": self.strategy.describe()}


def _dual_fn(model: str, visibility: float):  # noqa: ANN202
    if model == "ideal":
        return lambda pt, nu, start=None: dual_ideal(pt, nu)
    if model == "classical":
        return lambda pt, nu, start=None: dual_classical(pt, nu)
    if model == "quantum":
        return lambda pt, nu, start=None: dual_quantum(pt, nu, visibility=visibility, start=start)
    raise SystemParameterError(f"`model` must be one of {MODELS}; got {model!r}")


def _combined(pt: OperatingPoint, parts: Sequence[tuple[float, str]], nu: float, starts: Sequence[dict], visibility: float) -> tuple[float, float, float, list[DualValue]]:
    """``(sum_i w_i V_i(nu), sum_i w_i p_bunch_i, sum_i w_i cost_i, duals)`` at one ``nu``.

    Each of ``starts`` maps a model to B's moments to start its (local)
    quantum ascent from (:func:`_warm_from`); every start is tried and the best
    maximiser kept (no start: the cold start of
    :func:`bounds.system_duals.dual_quantum`).
    """
    duals = []
    for _, model in parts:
        fn = _dual_fn(model, visibility)
        tried: list = []
        for s in starts:
            m = s.get(model)
            # starts this close lead to the same maximiser (the two ends of a narrow bracket on one branch): ascend once
            if m is not None and not any(np.max(np.abs(m - t)) <= _SAME_START * max(1.0, float(np.max(np.abs(t)))) for t in tried):
                tried.append(m)
        cands = [fn(pt, nu, m) for m in tried] if model == "quantum" and tried else [fn(pt, nu, None)]
        if model == "quantum" and visibility < 1:
            # below visibility 1 the planar pairs reach neither always split nor always bunch (|E[o_A o_B]| <= v), but the
            # routers may ignore their pair: both stay in the class (V >= 0 and V >= 1 - nu E[c]).  Without them V(nu)
            # went negative for large nu and the dual estimate of p_split exceeded 1.
            cands += [_constant(pt, model, nu, ALWAYS_SPLIT), _constant(pt, model, nu, ALWAYS_BUNCH)]
        duals.append(max(cands, key=lambda c: c.value))  # (the first of equals: an ascent's planar maximiser)
    val = sum(w * d.value for (w, _), d in zip(parts, duals))
    pb = sum(w * d.p_bunch for (w, _), d in zip(parts, duals))
    cost = sum(w * d.cost for (w, _), d in zip(parts, duals))
    return val, pb, cost, duals


#: a bisection searches again at ``nu_lo`` when a new upper maximiser beats the lower one there by more than this (its value)
_BRANCH_TOL = 1e-12
#: ... at most this many times per solve
_BRANCH_RESTARTS = 4


def _planar(d: DualValue) -> bool:
    """Whether ``d``'s maximiser is a planar pair (a quantum ascent's; not always split or always bunch)."""
    return d.strategy is not None and isinstance(d.strategy.b, PlanarRouter)


def _constant(pt: OperatingPoint, model: str, nu: float, pair: RouterPair) -> DualValue:
    """``V`` of always split or always bunch at ``nu`` (closed form: ``p_bunch - nu E[beta c]``)."""
    pb, cost = (1.0, pt.mean_cost) if pair is ALWAYS_BUNCH else (0.0, 0.0)
    val = pb - nu * cost
    return DualValue(model, nu, val, 2.0 * val - pt.mean_kernel(nu), pb, cost, pair)


def _warm_from(pt: OperatingPoint, parts: Sequence[tuple[float, str]], duals: list[DualValue]) -> dict:
    """The warm start (one of :func:`_combined`'s ``starts``) of the quantum (planar) maximisers in ``duals``."""
    return {model: d.strategy.b.moments(pt.law) for (_, model), d in zip(parts, duals) if model == "quantum" and _planar(d)}  # type: ignore[union-attr]


#: a maximiser whose E[beta c] is below this share of E[c] is at the rounding floor of the float moments
_COST_FLOOR = 1e-12
#: ``W_limit - W_split`` below this share of ``W_split`` is zero up to the rounding of the two floats
_AT_SPLIT = 1e-13
#: largest multiplier tried before falling back to a mixture with always split
_NU_MAX = 1e12
#: two warm starts closer than this (relative, max norm) are one start
_SAME_START = 1e-6
#: a dual estimate above the primal ``p_split`` by more than this is an inner maximisation that missed a strategy
_GAP_TOL = 1e-9


def _split_mixture(pt: OperatingPoint, parts: Sequence[tuple[float, str]], B: float, nu: float, lo: tuple, n_eval: int):  # noqa: ANN202
    """The ``_minimise`` answer from the maximisers ``lo`` at ``nu`` (cost above ``B``) mixed with always split."""
    w = min(1.0, max(0.0, B / lo[2])) if lo[2] > 0 else 0.0
    split = [_constant(pt, model, nu, ALWAYS_SPLIT) for _, model in parts]
    return nu, w * lo[1], nu * B + lo[0], [(w, lo[3]), (1.0 - w, split)], n_eval, (lo[3], None)


def _minimise(pt: OperatingPoint, parts: Sequence[tuple[float, str]], visibility: float, tol: float):  # noqa: ANN202
    B = pt.budget
    # W_limit is the always-split wait up to rounding: then only always split meets it (every bunch costs c > 0)
    at_split = B <= _AT_SPLIT * pt.W_split
    if at_split:
        B = 0.0
    warm: dict = {}
    if B >= pt.mean_cost:
        return 0.0, 1.0, 1.0, [(1.0, None)], 0, []
    nu_lo, nu_hi = 0.0, 1.0
    n_eval = 0
    lo: tuple[float, float, float, list[DualValue] | None] = (1.0, 1.0, pt.mean_cost, None)  # (V, p_bunch, cost, duals) at nu = 0: always bunch
    while True:
        v, pb, cost, duals = _combined(pt, parts, nu_hi, [warm], visibility)
        warm.update(_warm_from(pt, parts, duals))  # a path in nu: start the next ascent from this maximiser
        n_eval += 1
        if cost <= B and not at_split:
            hi = (v, pb, cost, duals)
            break
        stalled = cost <= _COST_FLOOR * pt.mean_cost and (at_split or cost > 0.5 * lo[2])
        nu_lo, lo = nu_hi, (v, pb, cost, duals)
        if stalled or nu_hi >= _NU_MAX:
            # B is zero up to rounding (W_limit at the always-split wait): the maximisers' cost has reached the
            # rounding floor of its quadrature and no longer falls.  Mix the last maximiser with always split
            # (cost exactly 0), which meets W_limit whenever B >= 0; D(nu_lo) stays the dual estimate.
            return _split_mixture(pt, parts, B, nu_lo, lo, n_eval)
        nu_hi *= 2.0
    restarts = 0
    while nu_hi - nu_lo > tol * max(1.0, nu_hi):
        mid = 0.5 * (nu_lo + nu_hi)
        # start the quantum ascent from both ends' maximisers and keep the better: a start from the last maximiser
        # alone follows whichever branch it was on -- from always bunch (a fixed point of the ascent) it stays there,
        # and every mid point then looks over budget.  (Seen on a uniform law, lam 0.36, W_limit 508394/455725,
        # quantum: nu_lo drifted from 0.747 to 0.7494 with always bunch as its maximiser; the dual estimate fell
        # 4.3e-4 below the primal and the primal 5e-5 below the optimum.)
        ends = [_warm_from(pt, parts, hi[3])] + ([_warm_from(pt, parts, lo[3])] if lo[3] is not None else [])
        v, pb, cost, duals = _combined(pt, parts, mid, ends, visibility)
        n_eval += 1
        if cost <= B:
            nu_hi, hi = mid, (v, pb, cost, duals)
            # the quantum maximiser is a local search warm-started from the ends' ones: if the new upper maximiser is worth
            # more at nu_lo than the lower one (p_bunch - nu cost, closed form), the lower one sits on a worse branch and the
            # bracket [nu_lo, nu_hi] may be wrong.  Search at nu_lo again from the new one; if its maximiser there meets the
            # budget, the multiplier lies below nu_lo: bisect again from 0.  (Seen on a uniform law, lam 0.3, W_limit
            # 0.9134, quantum: a worse branch at nu = 0.875 ended the bisection there, primal 0.07332 against the certified
            # dual 0.07265; the better branch crosses the budget near nu = 0.865.)
            again = _warm_from(pt, parts, duals)  # (empty without a quantum part: the other maximisers are exact)
            if again and restarts < _BRANCH_RESTARTS and lo[3] is not None and hi[1] - nu_lo * hi[2] > lo[0] + _BRANCH_TOL:
                restarts += 1
                cand = _combined(pt, parts, nu_lo, [again], visibility)
                n_eval += 1
                if cand[0] > lo[0]:
                    if cand[2] > B:
                        lo = cand
                    else:
                        nu_hi, hi = nu_lo, cand
                        nu_lo, lo = 0.0, (1.0, 1.0, pt.mean_cost, None)
        else:
            nu_lo, lo = mid, (v, pb, cost, duals)
    # shared coin between the two maximisers so that E[beta c] = B
    c_lo, c_hi = lo[2], hi[2]
    w = 0.0 if c_lo <= c_hi else min(1.0, max(0.0, (B - c_hi) / (c_lo - c_hi)))
    p_bunch = w * lo[1] + (1.0 - w) * hi[1]
    dual = min(nu_hi * B + hi[0], nu_lo * B + lo[0] if lo[3] is not None else math.inf)
    return nu_hi, p_bunch, dual, [(w, lo[3]), (1.0 - w, hi[3])], n_eval, (lo[3], hi[3])


def _consistent(pt: OperatingPoint, what: str, p_split: float, p_split_dual: float) -> None:
    """Raise :class:`bounds.errors.SolverError` when the dual estimate lies above the primal (weak duality broken).

    ``1 - D(nu)`` is a lower estimate of ``p_split*`` only if ``V(nu)`` was
    maximised; above the attained ``p_split`` it proves that an inner
    maximisation missed a better strategy, and both numbers are then suspect.
    """
    if p_split_dual > p_split + _GAP_TOL:
        raise SolverError(f"{what} at lam = {pt.lam!r}, W_limit = {pt.W_limit!r}: the dual estimate of p_split "
                          f"({p_split_dual!r}) lies {p_split_dual - p_split:.3g} above the attained p_split ({p_split!r}); "
                          "an inner maximisation missed a better strategy")


def _vis_tol(visibility: Any, tol: Any) -> None:
    """The shared arguments of :func:`solve_class` and :func:`solve_mixture`: visibility in [0, 1], tol in (0, 1e-3]."""
    vis = real_parameter("visibility", visibility, low=0.0)
    if vis > 1:
        raise SystemParameterError(f"`visibility` must lie in [0, 1]; got {visibility!r}")
    check_real("tol", tol, low=0.0, high=1e-3, low_open=True)


def solve_class(pt: OperatingPoint, model: str, *, visibility: float = 1.0, tol: float = 1e-11) -> ClassSolution:
    """Minimise ``p_split`` subject to ``W_q <= W_limit`` over one class (``"ideal"``, ``"classical"``, ``"quantum"``).

    >>> from bounds.system_point import operating_point
    >>> s = solve_class(operating_point(0.6, 1.65), "ideal")
    >>> round(s.p_split, 6) < round(solve_class(operating_point(0.6, 1.65), "classical").p_split, 6)
    True
    """
    require_point(pt)
    check_choice("model", model, tuple(MODELS), error=SystemParameterError, type_error=BoundsTypeError)
    _vis_tol(visibility, tol)
    if model == "ideal":
        return ideal_solution(pt)
    nu, _p_bunch, dual, mix, n_eval, pair = _minimise(pt, [(1.0, model)], visibility, tol)
    comps = []
    for w, duals in mix:
        if w <= 0:
            continue
        strat = ALWAYS_BUNCH if duals is None else duals[0].strategy
        comps.append((w, strat))
    strategy = MixedStrategy(tuple(comps))
    pb, cost = strategy.bunch_and_cost(pt)
    duals_out = tuple(d for ds in pair if ds is not None for d in ds) if pair else ()
    _consistent(pt, f"solve_class({model!r})", 1.0 - pb, 1.0 - dual)
    return ClassSolution(model, 1.0 - pb, 1.0 - dual, nu, strategy, pt.W_split + cost, n_eval, duals_out)


def ideal_solution(pt: OperatingPoint) -> ClassSolution:
    """The ideal (communicating) rule: bunch iff ``c(X1, X2) <= tau`` with ``E[beta c] = W_limit - W_0``.

    >>> from bounds.system_point import operating_point
    >>> s = ideal_solution(operating_point(0.6, 1.65))
    >>> abs(s.waiting_time - 1.65) < 1e-9
    True
    """
    from scipy import optimize

    from analytic.rules import CostThresholdRule

    require_point(pt)
    B = pt.budget
    if B >= pt.mean_cost:
        return ClassSolution("ideal", 0.0, 0.0, 0.0, MixedStrategy(((1.0, ALWAYS_BUNCH),)), pt.W_bunch, 0)

    def cost(tau: float) -> float:
        m = CostThresholdRule(pt.kappa, 0.25, 0.25, tau).moments(pt.law)
        return pt.kappa * m.e_x1x2 + m.e_sum / 4.0 - B

    if B <= 0:
        tau = 0.0
    else:
        hi = pt.law.mean
        while cost(hi) < 0:
            hi *= 2.0
        tau = float(optimize.brentq(cost, 0.0, hi, xtol=1e-15, rtol=1e-14))
    rule = CostThresholdRule(pt.kappa, 0.25, 0.25, tau)
    m = rule.moments(pt.law)
    wq = pt.W_split + pt.kappa * m.e_x1x2 + m.e_sum / 4.0
    sol = ClassSolution("ideal", m.p_split, m.p_split, 1.0 / tau if tau > 0 else math.inf, MixedStrategy(()), wq, 0)
    object.__setattr__(sol, "rule", rule)
    return sol


def solve_mixture(pt: OperatingPoint, quantum_fraction: float, *, visibility: float = 1.0, tol: float = 1e-10) -> tuple[float, float]:
    """Finite entanglement supply: a fraction ``f`` of the pairs has an entangled pair, the rest is classical.

    The routers know which case they are in; one ``W_limit`` constraint binds
    the average: ``p_bunch* = min over nu of nu B + f V_q(nu) + (1 - f) V_c(nu)``.
    Returns ``(p_split, p_split_dual)`` (estimates: strategy value, dual value).

    >>> from bounds.system_point import operating_point
    >>> pt = operating_point(0.6, 1.65)
    >>> p_half, _ = solve_mixture(pt, 0.5)
    >>> solve_class(pt, "quantum").p_split < p_half < solve_class(pt, "classical").p_split
    True
    """
    require_point(pt)
    f = real_parameter("quantum_fraction", quantum_fraction, low=0.0)
    if f > 1:
        raise SystemParameterError(f"`quantum_fraction` must lie in [0, 1]; got {f!r}")
    _vis_tol(visibility, tol)
    parts = [(f, "quantum"), (1.0 - f, "classical")]
    _, p_bunch, dual, _, _, _ = _minimise(pt, parts, visibility, tol)
    _consistent(pt, f"solve_mixture(quantum_fraction={f!r})", 1.0 - p_bunch, 1.0 - dual)
    return 1.0 - p_bunch, 1.0 - dual
