"""Certificates of slotted waiting times: ``"slot-queue-bracket"`` for the slot rules that ``qcoord slots`` reports.

:func:`slot_certificate` turns one slot rule of :mod:`bounds.slot_work`
(rank rules: classical thresholds, shared coins, planar quantum routers and
their mixtures; the ideal sum-threshold rule) at a
:class:`bounds.slots.SlotPoint` and slot length ``tau`` into the
certificate of :mod:`proofs.checkers.slot_queue`: the lattice sizes, the
Lindley step count and the Kingman rate are chosen here from the float
computation of :mod:`bounds.slot_queue`; the bound claimed is the checker's
own enclosure rounded outward to 10 significant digits, and the checker
verifies the file before it is returned.  :func:`certify_policy` does this
for both sides and returns the checked bounds.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from proofs.checkers.bound import Bound
from proofs.checkers.slot_queue import KIND, MAX_CELLS, MAX_ITER, MAX_QUEUE, MAX_TB_K, MAX_WORK, enclose_wq, read_params, rule_sha256
from proofs.exact.certificate import SCHEMA_VERSION
from proofs.exact.errors import CertificateError, ProofsParameterError
from proofs.exact.rational import fraction_str

__all__ = ["CertifiedFeasible", "CertifiedInfeasible", "CertifiedSlot", "CertifiedWq", "SlotSizeError", "certificate_name", "certify_comparison",
           "certify_feasible", "certify_infeasible", "certify_policy", "certify_side", "slot_certificate"]

#: target mass of the truncated count / work tails (per router and slot)
TAIL = 1e-13
#: workload-lattice tail e^{-theta K}
QUEUE_TAIL = 1e-10
#: certified feasibility re-searches a family below this multiple of the estimate-optimal parameter
X_MARGIN = 1.05


@dataclass(frozen=True)
class CertifiedWq:
    """Checked lower and upper bounds on ``W_q`` of one slot rule and their files."""

    lower: Bound
    upper: Bound
    paths: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"lower": float(self.lower), "upper": float(self.upper), "certificates": list(self.paths)}


def _dec(x: float) -> str:
    """A parameter as the exact rational of its shortest decimal (``0.6`` -> ``"3/5"``): the value the user named."""
    return fraction_str(Fraction(repr(float(x))))


def _law_desc(law: Any) -> dict[str, Any]:
    d = law.describe()
    if d.get("law") == "exponential":
        return {"law": "exponential", "mu": _dec(d.get("mu", 1.0 / law.mean))}  # the named law ("exponential") has mean 1
    if d.get("law") == "hyperexponential":
        return {"law": "hyperexponential", "param": str(d["param"])}
    raise ProofsParameterError(f"`law` must be exponential or hyperexponential for a slot-queue-bracket certificate; got {d.get('law')!r}")


def _unit_columns(M: np.ndarray) -> np.ndarray:
    """Shrink ``M`` (components x lattice) until every column has exact norm <= 1 (float cos / sin may exceed it by an ulp)."""
    M = np.array(M, dtype=float)
    for _ in range(8):
        cols = {tuple(float(x) for x in M[:, i]) for i in range(M.shape[1])}
        if all(sum(Fraction(x) ** 2 for x in c) <= 1 for c in cols):
            return M
        M = M * (1.0 - 2.0**-44)
    raise ProofsParameterError("rule vectors of norm well above 1: not a valid rule")


def _rule_json(rule: Any, cells: int, tau: float, m: int) -> dict[str, Any]:
    from bounds.slot_work import RankRule, SumThresholdRule

    h = tau / m
    if isinstance(rule, SumThresholdRule):
        T = math.floor(float(rule.t) / h + 1e-9)  # the producer's threshold index, written exactly as T h
        return {"type": "sum-threshold", "t": fraction_str(T * Fraction(repr(float(tau))) / m)}
    if not isinstance(rule, RankRule):
        raise ProofsParameterError(f"`rule` must be a RankRule or SumThresholdRule; got {type(rule).__name__}")
    ws = [Fraction(float(w)) for w, _, _ in rule.parts]
    ws[-1] = 1 - sum(ws[:-1], Fraction(0))
    if ws[-1] < 0:
        raise ProofsParameterError(f"rule weights must be >= 0 and sum to 1; got {[float(w) for w, _, _ in rule.parts]}")
    parts = []
    for w, (_, U, V) in zip(ws, rule.parts):
        U = _unit_columns(np.asarray(U, dtype=float)[:, : cells + 1])
        V = _unit_columns(np.asarray(V, dtype=float)[:, : cells + 1])
        parts.append({"weight": fraction_str(w), "u": [[float(x) for x in row] for row in U], "v": [[float(x) for x in row] for row in V]})
    return {"type": "rank", "parts": parts}


class SlotSizeError(ProofsParameterError):
    """The lattice is too fine for the checker's size limits at this slot length (``MAX_CELLS``, ``MAX_QUEUE``, ``MAX_ITER``,
    ``MAX_WORK`` of :mod:`proofs.checkers.slot_queue`)."""


def _sizes(pt: Any, tau: float, m: int) -> tuple[int, int]:
    """``(n_max, cells)`` with count and work tails below :data:`TAIL` (Chernoff at ``t = rmin / 2``, as the checker)."""
    from scipy import stats

    lam = max(pt.lam_a, pt.lam_b)
    n_max = int(stats.poisson.isf(TAIL, lam * tau)) + 2
    d = pt.law.describe()
    if d["law"] == "exponential":
        rates, ws = [float(d.get("mu", 1.0 / pt.law.mean))], [1.0]
    else:
        c = float(Fraction(str(d["param"])))
        p1 = (1 + math.sqrt((c * c - 1) / (c * c + 1))) / 2
        rates, ws = [2 * p1, 2 * (1 - p1)], [p1, 1 - p1]
    h = tau / m
    best = math.inf
    for j in range(1, 8):
        t = min(rates) * j / 8
        g = math.exp(t * h) * sum(w * r / (r - t) for w, r in zip(ws, rates))
        best = min(best, (lam * tau * (g - 1) + math.log(1 / TAIL) + 5) / t)
    cells = math.ceil(best / h)
    if cells > MAX_CELLS:
        raise SlotSizeError(f"the certificate needs {cells} work cells (> {MAX_CELLS}); use a coarser lattice step than h = {h:g}")
    return n_max, cells


def slot_certificate(pt: Any, tau: float, rule: Any, rule_class: str, side: str, *, tol: float = 1e-7,
                     max_iter: int = 100_000, bound: Fraction | None = None, throughput: int | None = None,
                     throughput_claim: tuple[Fraction, Fraction] | None = None) -> dict[str, Any]:
    """The ``slot-queue-bracket`` certificate of one rule and side, its claim the checker's enclosure rounded outward.

    With ``bound`` the claim is that number instead (e.g. ``W_limit`` for a
    feasibility certificate) and the enclosure is left to the checker (one
    enclosure instead of two; the check fails if the claim is not implied).
    With ``throughput = k`` the certificate also claims an interval of
    ``E[T_B]`` (``T(t) = t^k``, lemma T5 (c)): the checker's enclosure rounded
    outward, so both Lindley chains run here and again in the checker; with
    ``throughput_claim = (lo, hi)`` as well (and ``bound``) that interval is
    claimed instead and only the checker runs the chains.

    >>> from bounds.slots import slot_point
    >>> from bounds.slot_work import RankRule
    >>> pt = slot_point(0.5, 3.0, h=0.25)
    >>> c = slot_certificate(pt, 0.5, RankRule.constant(-1.0), "classical", "upper")
    >>> c["kind"], c["side"], c["game"]["quantity"]
    ('slot-queue-bracket', 'upper', 'W_q')
    """
    from bounds.slot_queue import kingman_theta, lindley_bracket
    from bounds.slot_work import batch_lattice, server_work

    if side not in ("lower", "upper"):
        raise ProofsParameterError(f"`side` must be 'lower' or 'upper'; got {side!r}")
    if rule_class not in ("ideal", "classical", "quantum"):
        raise ProofsParameterError(f"`rule_class` must be 'ideal', 'classical' or 'quantum'; got {rule_class!r}")
    law_desc = _law_desc(pt.law)  # refuses a law without an exact enclosure here, before any work
    m = pt.m(tau)
    n_max, cells = _sizes(pt, tau, m)
    A = batch_lattice(pt.law, pt.lam_a, tau, m)
    B = A if pt.lam_b == pt.lam_a else batch_lattice(pt.law, pt.lam_b, tau, m)
    w = server_work(A, B, rule)
    s_up, s_dn = w.s_up / w.s_up.sum(), w.s_dn / w.s_dn.sum()
    th_cell = kingman_theta(s_up, m)
    if math.isinf(th_cell):
        raise ProofsParameterError("the server's work never exceeds tau: W_q has no queueing term (not a case for this certificate)")
    theta = th_cell / (tau / m) * 0.97  # margin for the outward-rounded Kingman check and the truncated tail
    theta_q = Fraction(theta).limit_denominator(10**6)
    if theta_q > Fraction(theta):
        theta_q = Fraction(math.floor(theta * 10**6), 10**6)
    K = math.ceil(math.log(1 / QUEUE_TAIL) / (float(theta_q) * tau / m)) + 2
    qb = lindley_bracket(s_dn, s_up, m, tol=tol, max_iter=max_iter, tail=QUEUE_TAIL)
    iters = int(qb.iterations) + 25
    work = (K + 1) * (2 * cells + 1) * iters
    if K > MAX_QUEUE or iters > MAX_ITER or work > MAX_WORK:  # the checker would refuse the certificate's sizes
        raise SlotSizeError(f"the certificate needs {K} queue cells (at most {MAX_QUEUE}), {iters} iterations (at most {MAX_ITER}) and "
                            f"{work:.3g} work units (at most {MAX_WORK:.3g}); use a coarser lattice step than h = {tau / m:g}")
    rule_j = _rule_json(rule, cells, tau, m)
    game = {"type": "slotted-queue", "quantity": "W_q", "lam_a": _dec(pt.lam_a), "lam_b": _dec(pt.lam_b),
            "law": law_desc, "tau": _dec(tau), "m": m, "rule_class": rule_class, "rule_sha256": rule_sha256(rule_j)}
    cert: dict[str, Any] = {"schema": SCHEMA_VERSION, "kind": KIND, "game": game, "N": None, "side": side, "bound": "0",
                            "n_max": n_max, "cells": cells, "queue_cells": K, "iterations": iters,
                            "theta": fraction_str(theta_q), "rule": rule_j}
    if throughput is not None:
        cert["throughput"] = {"k": int(throughput), "lower": "0", "upper": "0"}
    if bound is not None:
        cert["bound"] = fraction_str(Fraction(bound))
        if throughput is None:
            return cert
        if throughput_claim is not None:
            cert["throughput"] = {"k": int(throughput), "lower": fraction_str(throughput_claim[0]), "upper": fraction_str(throughput_claim[1])}
            return cert
    enc = enclose_wq(read_params(cert), (side,))
    if bound is None:
        cert["bound"] = fraction_str(_round_out(enc.wq_hi if side == "upper" else enc.wq_lo, side))
    if throughput is not None:
        assert enc.tb_lo is not None and enc.tb_hi is not None
        cert["throughput"] = {"k": int(throughput), "lower": fraction_str(_round_out(enc.tb_lo, "lower")),
                              "upper": fraction_str(_round_out(enc.tb_hi, "upper"))}
    return cert


def certificate_name(cert: dict[str, Any]) -> str:
    """``slot-queue-bracket_<class>_tau<tau>_m<m>_<side>_<sha256 prefix>.json`` (the hash covers the whole content)."""
    import hashlib

    g = cert["game"]
    digest = hashlib.sha256(json.dumps(cert, sort_keys=True).encode()).hexdigest()[:12]
    return f"{KIND}_{g['rule_class']}_tau{str(g['tau']).replace('/', '_')}_m{g['m']}_{cert['side']}_{digest}.json"


def _round_out(q: Fraction, side: str, digits: int = 10) -> Fraction:
    """``q`` rounded to ``digits`` significant decimals, up for an upper bound and down for a lower one."""
    if q == 0:
        return q
    e = math.floor(math.log10(abs(float(q)))) - digits + 1
    scale = Fraction(10) ** (-e)
    x = q * scale
    n = math.ceil(x) if side == "upper" else math.floor(x)
    return Fraction(n) / scale


def certify_side(pt: Any, tau: float, rule: Any, rule_class: str, side: str, cert_dir: str | Path | None = None, *,
                 bound: Fraction | None = None, throughput: int | None = None,
                 throughput_claim: tuple[Fraction, Fraction] | None = None) -> tuple[Bound, str | None]:
    """Check (and write, if ``cert_dir``) one side's ``W_q`` certificate of one slot rule: ``(bound, path or None)``.

    With ``bound`` the certificate claims that number; a claim the enclosure
    does not imply raises :class:`~proofs.exact.errors.CertificateError` and
    nothing is written.  ``throughput`` (and ``throughput_claim``): the
    certificate also claims an ``E[T_B]`` interval (:func:`slot_certificate`);
    the checked bounds are in ``bound.details["throughput"]``.
    """
    from proofs.checkers.registry import check_certificate

    cert = slot_certificate(pt, tau, rule, rule_class, side, bound=bound, throughput=throughput, throughput_claim=throughput_claim)
    if cert_dir is None:
        return check_certificate(cert, "<in-memory>"), None
    folder = Path(cert_dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / certificate_name(cert)
    path.write_text(json.dumps(cert))
    try:
        return check_certificate(path), str(path)
    except CertificateError:
        path.unlink()  # a refused claim leaves no file behind
        raise


def certify_policy(pt: Any, tau: float, rule: Any, rule_class: str, cert_dir: str | Path | None = None) -> CertifiedWq:
    """Write and check the lower and upper ``W_q`` certificates of one slot rule."""
    out: dict[str, Bound] = {}
    paths = []
    for side in ("lower", "upper"):
        out[side], path = certify_side(pt, tau, rule, rule_class, side, cert_dir)
        if path is not None:
            paths.append(path)
    return CertifiedWq(out["lower"], out["upper"], tuple(paths))


@dataclass(frozen=True)
class CertifiedFeasible:
    """The best rule of a class's searched families whose *certified* ``W_q`` upper end meets ``W_limit`` (or why none was found).

    ``policy`` is the rule on the certification lattice ``h`` (its ``tb`` an
    estimate, lemma T5); ``upper`` the checked upper bound on its ``W_q``
    (``None`` when no member was certified: ``note`` says why).  The
    ``E[T_B]`` lost against the estimate-optimal rule is the price of
    certification: it shrinks with ``h`` (the bracket is O(h) wide).
    """

    tau: float
    model: str
    h: float
    policy: Any
    upper: Bound | None
    path: str | None
    searches: int
    note: str = ""
    enclosure_upper: float | None = None
    tb_lower: Bound | None = None
    tb_upper: Bound | None = None

    @property
    def tb_certified(self) -> tuple[float, float] | None:
        """The checked ``E[T_B]`` interval of the certified rule (lemma T5 (c)), or ``None``."""
        if self.tb_lower is None or self.tb_upper is None:
            return None
        return float(self.tb_lower), float(self.tb_upper)

    @property
    def certified(self) -> bool:
        return self.upper is not None

    def to_dict(self) -> dict[str, Any]:
        p = self.policy
        return {"tau": self.tau, "class": self.model, "h": self.h, "certified": self.certified, "family": p.family, "params": p.params,
                "W_q_upper": None if self.upper is None else float(self.upper), "W_q_enclosure_upper": self.enclosure_upper,
                "throughput": p.tb if self.certified else None, "throughput_certified": self.tb_certified,
                "certificate": self.path, "searches": self.searches, "note": self.note}


def _exact(x: float) -> Fraction:
    return Fraction(repr(float(x)))


#: relative widening of the float E[T_B] bracket claimed in a feasibility certificate (it agrees with the checker's
#: outward-rounded enclosure to about 1e-6 relative: the same chains and lattice)
TB_WIDEN = 1e-4


def _tb_claim(br: tuple[float, float] | None) -> tuple[Fraction, Fraction] | None:
    """The float ``E[T_B]`` bracket widened by :data:`TB_WIDEN` as exact rationals (``None`` without a bracket)."""
    if br is None:
        return None
    lo, hi = br
    return _round_out(Fraction(max(0.0, lo * (1 - TB_WIDEN))), "lower"), _round_out(Fraction(hi * (1 + TB_WIDEN)), "upper")


def certify_feasible(pt: Any, tau: float, model: str, *, h: float, families: tuple[str, ...] | None = None, steps: int = 8,
                     retries: int = 4, x_max: float | None = None, cert_dir: str | Path | None = None) -> CertifiedFeasible:
    """Search the class's families (all, or ``families``) on the lattice ``h`` with ``criterion="upper"`` and certify the winner.

    The search accepts a member when the *float* bracket's upper end meets the
    limit; the winner's certificate then claims ``W_q <= W_limit`` (side
    upper, ``W_limit`` as the exact rational of its decimal, ``1.65`` ->
    ``33/20``) and the checker verifies it (one enclosure).  When the check
    refuses (the float bracket is not outward-rounded), the search is repeated
    against a limit lowered by ``1e-3 W_limit`` more each time (at most
    ``retries`` times).  ``enclosure_upper`` is the checker's upper end of ``W_q``.
    For ``T(t) = t^k`` with integer ``k`` in 1..8 the certificate also claims
    the rule's ``E[T_B]`` interval (the float bracket widened by
    :data:`TB_WIDEN`; the checker's enclosure if that is refused), checked
    with the same chains (lemma T5 (c)): ``tb_lower``, ``tb_upper``.

    >>> from bounds.slots import slot_point
    >>> c = certify_feasible(slot_point(0.5, 1.6, h=0.125), 0.5, "classical", h=0.0625, families=("shared-coin",), steps=3)
    >>> c.certified, float(c.upper), c.enclosure_upper <= 1.6
    (True, 1.6, True)
    >>> lo, hi = c.tb_certified
    >>> lo <= c.policy.tb <= hi
    True
    """
    from dataclasses import replace

    from bounds.slots import SlotPoint, solve_slotted

    if not isinstance(pt, SlotPoint):
        raise ProofsParameterError(f"`pt` must be a bounds.slots.SlotPoint; got {type(pt).__name__}")
    fine = replace(pt, h=float(h))
    limit = _exact(pt.W_limit)
    k_int = int(pt.k) if float(pt.k).is_integer() and 1 <= pt.k <= MAX_TB_K else None  # E[T_B] certified for T(t) = t^k, k in 1..8
    pol = None
    for attempt in range(retries + 1):
        target = pt.W_limit * (1 - 1e-3 * attempt)
        pol = solve_slotted(replace(fine, W_limit=target), tau, model, criterion="upper", steps=steps, families=families, x_max=x_max)
        if not pol.feasible:
            return CertifiedFeasible(tau, model, fine.h, replace(pol, feasible=False), None, None, attempt + 1,
                                     f"no searched member's float W_q upper end meets {target:.6g} on the lattice h = {fine.h:g}")
        rule_class = "quantum" if pol.model == "quantum" else model
        claim = _tb_claim(pol.tb_bracket) if k_int is not None else None
        try:
            bound, path = certify_side(fine, tau, pol.rule, rule_class, "upper", cert_dir, bound=limit, throughput=k_int, throughput_claim=claim)
        except SlotSizeError as exc:  # the lattice h is finer than the checker accepts at this slot length
            return CertifiedFeasible(tau, model, fine.h, replace(pol, feasible=False), None, None, attempt + 1, f"not certified: {exc}")
        except CertificateError as exc:
            if k_int is None or "E[T_B]" not in str(exc):
                continue
            # the widened float bracket was not implied: claim the checker's own enclosure (both chains run here too)
            bound, path = certify_side(fine, tau, pol.rule, rule_class, "upper", cert_dir, bound=limit, throughput=k_int)
        enc = float(bound.details["enclosure"].wq_hi)
        tb = bound.details.get("throughput", {})
        return CertifiedFeasible(tau, model, fine.h, replace(pol, model=model, feasible=True, criterion="certified upper"), bound, path,
                                 attempt + 1, enclosure_upper=enc, tb_lower=tb.get("lower"), tb_upper=tb.get("upper"))
    assert pol is not None
    return CertifiedFeasible(tau, model, fine.h, replace(pol, feasible=False), None, None, retries + 1,
                             f"the checker refused W_q <= W_limit for the winners of {retries + 1} searches")


@dataclass(frozen=True)
class CertifiedInfeasible:
    """A checked lower bound on ``W_q`` of always split at ``tau``: above ``W_limit`` it rules out every slot rule (lemma T7)."""

    tau: float
    lower: Bound
    path: str | None
    W_limit: float

    @property
    def infeasible(self) -> bool:
        return self.lower.value > _exact(self.W_limit)

    def to_dict(self) -> dict[str, Any]:
        return {"tau": self.tau, "W_q_lower_always_split": float(self.lower), "W_limit": self.W_limit, "no_slot_rule_meets_W_limit": self.infeasible,
                "certificate": self.path}


def certify_infeasible(pt: Any, tau: float, cert_dir: str | Path | None = None) -> CertifiedInfeasible:
    """Certify the lower end of ``W_q`` of always split (the pointwise least bunching rule) at slot length ``tau``.

    By lemma T7 always split has the smallest ``W_q`` of all slot rules (any
    class, any lattice: its decisions ignore the works), so a lower end above
    ``W_limit`` proves that no slot rule meets the limit at this ``tau``.

    >>> from bounds.slots import slot_point
    >>> c = certify_infeasible(slot_point(0.3, 0.4714, h=0.125), 0.5)
    >>> c.infeasible, float(c.lower) > 0.25
    (True, True)
    """
    from bounds.slot_work import RankRule

    bound, path = certify_side(pt, tau, RankRule.constant(-1.0, "split"), "classical", "lower", cert_dir)
    return CertifiedInfeasible(tau, bound, path, pt.W_limit)


@dataclass(frozen=True)
class CertifiedSlot:
    """Certified feasibility at one slot length: per class the certified-feasible rule, or the certified infeasibility of all rules."""

    tau: float
    classes: dict[str, CertifiedFeasible]
    infeasible: CertifiedInfeasible | None
    #: why neither was certified (the lattice too fine for the checker's size limits), else ""
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"tau": self.tau, "classes": {m: c.to_dict() for m, c in self.classes.items()},
                "infeasible": None if self.infeasible is None else self.infeasible.to_dict(), "note": self.note}


def certify_comparison(cmp: Any, *, h: float, classes: tuple[str, ...] = ("ideal", "classical", "quantum"), steps: int = 6,
                       cert_dir: str | Path | None = None) -> tuple[CertifiedSlot, ...]:
    """Certified feasibility at every slot length of a :class:`bounds.slots.SlotComparison` (lattice ``h``).

    Where some class meets ``W_limit`` by estimate, each such class's
    estimate-optimal family is searched again on ``h`` (:func:`certify_feasible`);
    the quantum class keeps the better of its own certified rule and the
    classical one (classical rules are quantum rules).  Where none does,
    always split's lower certificate (:func:`certify_infeasible`).  A slot
    length whose lattice ``h`` is finer than the checker accepts
    (:class:`SlotSizeError`) is reported (a class's ``note``, or the slot's
    ``note`` with neither certificate), not raised.
    """
    from dataclasses import replace

    out = []
    pt = cmp.point
    for t in cmp.taus:
        est = cmp.slotted[t]
        if not any(est[m].feasible for m in classes):
            try:
                out.append(CertifiedSlot(t, {}, certify_infeasible(replace(pt, h=float(h)), t, cert_dir)))
            except SlotSizeError as exc:  # a finer lattice than the checker accepts at this tau: reported, not raised
                out.append(CertifiedSlot(t, {}, None, f"not certified: {exc}"))
            continue
        got = {}
        for m in classes:
            if not est[m].feasible:
                continue
            # the ideal class's estimate may be a quantum rule (compare_slots keeps the better): search it in the quantum class
            search = "quantum" if m == "ideal" and est[m].family != "sum-threshold" else m
            x_est = est[m].params.get("x")
            cf = certify_feasible(pt, t, search, h=h, families=(est[m].family,), steps=steps, cert_dir=cert_dir,
                                  x_max=None if x_est is None else X_MARGIN * x_est + 1e-9)
            got[m] = replace(cf, model=m, policy=replace(cf.policy, model=m))
        # nested classes (classical within quantum within ideal): each keeps the best certified rule of the classes it contains
        for small, big in (("classical", "quantum"), ("quantum", "ideal")):
            c, q = got.get(small), got.get(big)
            if c is not None and c.certified and big in classes and (q is None or not q.certified or c.policy.tb > q.policy.tb):
                got[big] = replace(c, model=big, policy=replace(c.policy, model=big),
                                   note=f"the {small} certified rule ({small} rules are {big} rules)")
        out.append(CertifiedSlot(t, got, None))
    return tuple(out)
