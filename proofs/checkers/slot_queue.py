"""Checker of ``"slot-queue-bracket"``: an outward-rounded enclosure of a slotted server's waiting time ``W_q`` (lemma T4 (e')).

The target is one slot rule of timeslotted routing (lemmas T1-T3 of
``proofs/lemmas_system.md``) at ``(lam_a, lam_b, law, tau)`` with the
routers deciding on the works rounded up to the lattice ``h = tau / m``.
The game object is::

    {"type": "slotted-queue", "quantity": "W_q", "lam_a", "lam_b", "law": {...}, "tau", "m",
     "rule_class", "rule_sha256"}

``law`` is ``{"law": "exponential", "mu": RATIONAL}`` or
``{"law": "hyperexponential", "param": CV}`` (mean 1, balanced means, as
:mod:`proofs.exact.laws`); ``rule_sha256`` is the SHA-256 of the canonical
JSON of the certificate's field ``rule``::

    {"type": "rank", "parts": [{"weight": RATIONAL, "u": [[float, ...], ...], "v": [[float, ...], ...]}, ...]}

(``E(w_A, w_B) = sum_parts weight sum_c u_c(w_A) v_c(w_B)`` over lattice
indices of ``W+``; an index beyond a list uses its last entry; weights
``>= 0`` summing to 1; every column of ``u`` and of ``v`` of norm ``<= 1``,
checked exactly, so ``|E| <= 1``), or ``{"type": "sum-threshold", "t":
RATIONAL}`` (bunch iff ``W_A+ + W_B+ <= t``).

Fields of the certificate besides the header (``side`` lower or upper,
``bound``, ``N`` null): ``n_max`` (rows of the count), ``cells`` (batch
lattice ``0..cells``), ``queue_cells`` (workload lattice ``0..K``),
``iterations`` (Lindley steps) and ``theta`` (a rational: the Kingman rate
per unit time); sizes are capped (:data:`MAX_CELLS`, :data:`MAX_QUEUE`,
:data:`MAX_NMAX`, :data:`MAX_ITER`, and :data:`MAX_WORK` on the product
``queue_cells x 2 cells x iterations``) so a check takes at most a few minutes.  The checker recomputes everything from these parameters
in double precision with the error terms of :mod:`proofs.exact.float_intervals`
and python-flint ``arb`` for the law, the Poisson counts, the truncated
tails, the Kingman condition and the tail integral; nothing of the
producer's floats is used.

An optional field ``throughput`` ``{"k": INT, "lower": RATIONAL, "upper":
RATIONAL}`` (either claim may be left out; ``k`` in ``1..MAX_TB_K``) claims
an interval of the server's ``E[T_B]`` for ``T(t) = t^k`` (lemma T5 (c)):
``E[G(V + S)] / tau`` on the same chains' enclosures.  The checker then
also issues bounds of target ``E[T_B]`` in ``details["throughput"]`` of
the returned ``W_q`` bound; a certificate without the field checks as before.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from proofs.checkers.bound import Bound, Target, _issue
from proofs.exact.certificate import check_kind, field_int
from proofs.exact.errors import CertificateError, CertificateFormatError
from proofs.exact.float_intervals import IVec, conv_nonneg, conv_signed, dn, sum_dn, sum_up, up
from proofs.exact.laws import working_precision
from proofs.exact.rational import arb_fraction, parse_fraction

__all__ = ["KIND", "SlotEnclosure", "SlotParams", "check_slot_queue_bracket", "enclose_wq", "read_params", "rule_sha256", "slot_target",
           "throughput_target"]

KIND = "slot-queue-bracket"
#: arb precision (bits)
PREC = 200
#: size limits (refused before any work)
MAX_CELLS = 16384
MAX_QUEUE = 40_000
MAX_NMAX = 400
MAX_ITER = 200_000
MAX_PARTS = 8
MAX_COMPONENTS = 4
RULE_CLASSES = ("ideal", "classical", "quantum")
#: multiply-adds of the Lindley chains counted on the full batch lattice (the chains run on the server work cut at 1e-13, a few
#: times shorter, so this is a few minutes at most on a loaded core; certified feasibility at h = 1/128 needs about 1e11, the
#: hyperexponential CV 2 at rho = 0.6, tau = 0.25, h = 1/64 about 7.5e11: its long work tail lengthens the batch lattice)
MAX_WORK = 10**12
#: the idle-period cost T(t) = t^k of an E[T_B] claim: integer k in 1..MAX_TB_K (lemma T5 (c): G is a polynomial in tau - y)
MAX_TB_K = 8


# ------------------------------------------------------------------------------------------ parameters
@dataclass(frozen=True)
class SlotParams:
    """The certificate's parameters, read exactly."""

    game: dict[str, Any]
    lam_a: Fraction
    lam_b: Fraction
    phases: tuple[tuple[Fraction | str, Fraction | str], ...]
    law: dict[str, Any]
    tau: Fraction
    m: int
    rule: dict[str, Any]
    n_max: int
    cells: int
    queue_cells: int
    iterations: int
    theta: Fraction
    #: ``(k, lower claim or None, upper claim or None)`` of the optional ``throughput`` field (``E[T_B]``, ``T(t) = t^k``)
    throughput: tuple[int, Fraction | None, Fraction | None] | None = None

    @property
    def h(self) -> Fraction:
        return self.tau / self.m


def rule_sha256(rule: Any) -> str:
    """SHA-256 of the canonical JSON of a rule object (the game's ``rule_sha256``)."""
    return hashlib.sha256(json.dumps(rule, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def slot_target(game: dict[str, Any]) -> Target:
    """The target ``W_q`` of the named slot rule (player model ``quantum`` for a quantum rule, else ``classical``)."""
    return Target(dict(game), None, "quantum" if game.get("rule_class") == "quantum" else "classical")


def _pos(game: dict[str, Any], key: str) -> Fraction:
    v = parse_fraction(game.get(key), key)
    if not 0 < v <= 10**6:
        raise CertificateFormatError(f"game field {key!r} must lie in (0, 10^6]; got {v}")
    return v


def _law(desc: Any) -> tuple[dict[str, Any], Fraction, tuple]:
    """``(description, scale check, phase spec)``; exponential ``mu`` or hyperexponential CV."""
    if not isinstance(desc, dict) or desc.get("law") not in ("exponential", "hyperexponential"):
        raise CertificateFormatError(f"game field 'law' must be {{'law': 'exponential', 'mu': ...}} or {{'law': 'hyperexponential', 'param': CV}}; "
                                     f"got {str(desc)[:60]}")
    if desc["law"] == "exponential":
        mu = parse_fraction(desc.get("mu"), "mu")
        if not Fraction(1, 10**6) <= mu <= 10**6:
            raise CertificateFormatError(f"law field 'mu' must lie in [1e-6, 1e6]; got {mu}")
        return {"law": "exponential", "mu": f"{mu.numerator}/{mu.denominator}"}, mu, (("exp", mu),)
    c = parse_fraction(desc.get("param"), "param")
    if not 1 < c <= 100:
        raise CertificateFormatError(f"the hyperexponential law's 'param' (CV) must lie in (1, 100]; got {c}")
    return {"law": "hyperexponential", "param": f"{c.numerator}/{c.denominator}"}, c, (("h2", c),)


def _floats(v: Any, name: str, limit: int) -> NDArray[np.float64]:
    if not isinstance(v, list) or not 1 <= len(v) <= limit or not all(type(x) in (int, float) for x in v):
        raise CertificateFormatError(f"rule field {name!r} must be a list of 1..{limit} numbers; got {str(v)[:40]}")
    a = np.asarray(v, dtype=float)
    if not np.all(np.abs(a) <= 1):
        raise CertificateFormatError(f"rule field {name!r} must have entries in [-1, 1]")
    return a


def _read_rule(rule: Any, cells: int) -> dict[str, Any]:
    if not isinstance(rule, dict) or rule.get("type") not in ("rank", "sum-threshold"):
        raise CertificateFormatError(f"field 'rule' must be {{'type': 'rank' | 'sum-threshold', ...}}; got {str(rule)[:40]}")
    if rule["type"] == "sum-threshold":
        t = parse_fraction(rule.get("t"), "t")
        if not 0 <= t <= 10**6:
            raise CertificateFormatError(f"rule field 't' must lie in [0, 10^6]; got {t}")
        return {"type": "sum-threshold", "t": t}
    parts = rule.get("parts")
    if not isinstance(parts, list) or not 1 <= len(parts) <= MAX_PARTS:
        raise CertificateFormatError(f"rule field 'parts' must list 1..{MAX_PARTS} parts; got {str(parts)[:40]}")
    out, tot = [], Fraction(0)
    for p in parts:
        if not isinstance(p, dict):
            raise CertificateFormatError("each rule part must be an object {weight, u, v}")
        w = parse_fraction(p.get("weight"), "weight")
        if w < 0:
            raise CertificateFormatError(f"rule part weights must be >= 0; got {w}")
        tot += w
        U, V = p.get("u"), p.get("v")
        if not isinstance(U, list) or not isinstance(V, list) or not 1 <= len(U) <= MAX_COMPONENTS or len(U) != len(V):
            raise CertificateFormatError(f"rule part fields 'u' and 'v' must list the same number (1..{MAX_COMPONENTS}) of components")
        Ua = [_ext(_floats(x, "u", cells + 1), cells + 1) for x in U]
        Va = [_ext(_floats(x, "v", cells + 1), cells + 1) for x in V]
        for name, comps in (("u", Ua), ("v", Va)):
            cols = {tuple(float(c[i]) for c in comps) for i in range(cells + 1)}
            for col in cols:  # exact: sum of squares of the floats as rationals
                if sum(Fraction(x) ** 2 for x in col) > 1:
                    raise CertificateError(f"a column of the rule's {name!r} vectors has norm > 1 (|E| <= 1 fails): {col[:4]}")
        out.append((w, Ua, Va))
    if tot != 1:
        raise CertificateFormatError(f"rule part weights must sum to 1; got {tot}")
    return {"type": "rank", "parts": out}


def _ext(a: NDArray[np.float64], n: int) -> NDArray[np.float64]:
    return a[:n].copy() if a.size >= n else np.concatenate([a, np.full(n - a.size, a[-1])])


def read_params(cert: dict[str, Any]) -> SlotParams:
    """Read and validate the certificate's game and fields (size limits first)."""
    check_kind(cert, KIND)
    game = cert.get("game")
    if not isinstance(game, dict) or game.get("type") != "slotted-queue" or game.get("quantity") != "W_q":
        raise CertificateFormatError("game must be {'type': 'slotted-queue', 'quantity': 'W_q', ...}")
    if cert.get("N", "missing") is not None:
        raise CertificateFormatError("field 'N' must be null (the slotted system is not binned)")
    lam_a, lam_b, tau = _pos(game, "lam_a"), _pos(game, "lam_b"), _pos(game, "tau")
    m = field_int(game, "m", 1, MAX_CELLS)
    if game.get("rule_class") not in RULE_CLASSES:
        raise CertificateFormatError(f"game field 'rule_class' must be one of {RULE_CLASSES}; got {str(game.get('rule_class'))[:20]!r}")
    law, _, phases = _law(game.get("law"))
    n_max = field_int(cert, "n_max", 1, MAX_NMAX)
    cells = field_int(cert, "cells", 2, MAX_CELLS)
    K = field_int(cert, "queue_cells", 2, MAX_QUEUE)
    iters = field_int(cert, "iterations", 1, MAX_ITER)
    theta = parse_fraction(cert.get("theta"), "theta")
    if not theta > 0:
        raise CertificateFormatError(f"field 'theta' must be > 0; got {theta}")
    if game.get("rule_sha256") != rule_sha256(cert.get("rule")):
        raise CertificateFormatError("game field 'rule_sha256' does not match the certificate's rule")
    work = (K + 1) * (2 * cells + 1) * iters
    if work > MAX_WORK:
        raise CertificateFormatError(f"certificate fields 'queue_cells' x 2 'cells' x 'iterations' = {work:.3g} exceed the work limit {MAX_WORK:.3g}")
    rule = _read_rule(cert.get("rule"), cells)
    if rule["type"] == "sum-threshold" and n_max * n_max * (cells + 1) ** 2 > MAX_WORK:
        raise CertificateFormatError(f"a sum-threshold certificate needs 'n_max'^2 'cells'^2 <= {MAX_WORK:.3g}; got n_max = {n_max}, cells = {cells}")
    return SlotParams(game, lam_a, lam_b, phases, law, tau, m, rule, n_max, cells, K, iters, theta, _read_throughput(cert.get("throughput")))


def _read_throughput(tb: Any) -> tuple[int, Fraction | None, Fraction | None] | None:
    """The optional ``throughput`` field ``{"k": INT, "lower": RATIONAL, "upper": RATIONAL}`` (either claim may be absent)."""
    if tb is None:
        return None
    if not isinstance(tb, dict) or not set(tb) <= {"k", "lower", "upper"} or not ({"lower", "upper"} & set(tb)):
        raise CertificateFormatError(f"field 'throughput' must be {{'k': 1..{MAX_TB_K}, 'lower': RATIONAL, 'upper': RATIONAL}} with at least "
                                     f"one claim; got {str(tb)[:60]}")
    k = field_int(tb, "k", 1, MAX_TB_K)
    lo = parse_fraction(tb["lower"], "lower") if "lower" in tb else None
    hi = parse_fraction(tb["upper"], "upper") if "upper" in tb else None
    return k, lo, hi


# ------------------------------------------------------------------------------------------ arb helpers
def _lo(x: Any) -> float:
    return math.nextafter(float(x.lower()), -math.inf)


def _hi(x: Any) -> float:
    return math.nextafter(float(x.upper()), math.inf)


def _phases(p: SlotParams) -> list[tuple[Any, Any]]:
    """``[(weight, rate)]`` as arb balls (exponential: one phase; hyperexponential: balanced means, mean 1)."""
    kind, v = p.phases[0]
    if kind == "exp":
        return [(arb_fraction(Fraction(1)), arb_fraction(Fraction(v)))]
    c = arb_fraction(Fraction(v))
    c2 = c * c
    w = ((c2 - 1) / (c2 + 1)).sqrt()
    p1 = (1 + w) / 2
    return [(p1, 2 * p1), (1 - p1, 2 * (1 - p1))]


class _Law:
    """Moments and transforms of a mixture of exponentials in arb; ``X+ = h ceil(X / h)``."""

    def __init__(self, ph: list[tuple[Any, Any]], h: Any) -> None:
        self.ph, self.h = ph, h
        self.rmin = min((r for _, r in ph), key=lambda r: float(r.mid()))
        self.m1 = sum((w / r for w, r in ph), ph[0][0] * 0)

    def mgf_up(self, t: Any) -> Any:
        """``E[e^{t X+}] <= e^{t h} E[e^{t X}]``."""
        return (t * self.h).exp() * sum((w * r / (r - t) for w, r in self.ph), t * 0)

    def dmgf_up(self, t: Any) -> Any:
        """``E[X+ e^{t X+}] <= e^{t h} (E[X e^{t X}] + h E[e^{t X}])``."""
        e1 = sum((w * r / (r - t) ** 2 for w, r in self.ph), t * 0)
        e0 = sum((w * r / (r - t) for w, r in self.ph), t * 0)
        return (t * self.h).exp() * (e1 + self.h * e0)

    def cells(self, J: int) -> IVec:
        """``P(X+ = j h)`` for ``j = 0..J`` (``X > 0``: no mass at 0)."""
        lo, hi = np.zeros(J + 1), np.zeros(J + 1)
        terms = []
        for w, r in self.ph:
            q = (-r * self.h).exp()
            terms.append((w * (1 - q), q))
        cur = [a for a, _ in terms]
        for j in range(1, J + 1):
            v = sum(cur, cur[0] * 0)
            lo[j], hi[j] = max(_lo(v), 0.0), _hi(v)
            cur = [c * q for c, (_, q) in zip(cur, terms)]
        return IVec(lo, hi)


def _poisson(mean: Any, n_max: int) -> list[Any]:
    e = (-mean).exp()
    out, term = [e], e
    for n in range(1, n_max + 1):
        term = term * mean / n
        out.append(term)
    return out


@dataclass(frozen=True)
class _Batch:
    """One router's batch on the lattice: rows ``P(N = n, W+ = k h)`` (enclosed), ``P(N = 0)``, and the truncation tails."""

    rows: list[IVec]
    p_empty: tuple[float, float]
    up: IVec
    dn: IVec
    tail_mass: float  # >= P(T), T = {N > n_max} u {W+ > cells h}
    tail_n: float  # >= E[N; T]
    tail_w: float  # >= E[W+; T]
    mgf_theta: float  # >= E[e^{theta W+}]
    mgf_theta_tail: float  # >= E[e^{theta W+}; T]


def _batch(lam: Fraction, p: SlotParams, law: _Law, x: IVec, theta: Any) -> _Batch:
    from flint import arb

    mean = arb_fraction(lam * p.tau)
    pn = _poisson(mean, p.n_max)
    C = p.cells
    rows, xn = [], x
    for n in range(1, p.n_max + 1):
        rows.append(xn.imul(max(_lo(pn[n]), 0.0), _hi(pn[n])))
        if n < p.n_max:
            xn = conv_nonneg(xn, x).pad(C + 1)
    a_up = rows[0]
    for r in rows[1:]:
        a_up = a_up + r
    a_dn = _shift_sum(rows)
    # tails (lemma T4 (e')): T = {N > n_max} u {W+ > C h}
    ptot = sum(pn, arb(0))
    p_gt = 1 - ptot  # P(N > n_max)
    n_ge = mean * (1 - (ptot - pn[-1]))  # E[N; N > n_max] = mean P(N >= n_max)
    Ch = arb_fraction(C * p.h)
    ex_plus = law.m1 + law.h
    tail_mass = tail_n = tail_w = None
    for j in (1, 2, 3, 4, 5, 6, 7):  # Chernoff: any t in (0, rmin) gives a valid bound; keep the smallest of a few
        t = law.rmin * j / 8
        g = law.mgf_up(t)
        M = (mean * (g - 1)).exp()
        e = (-t * Ch).exp()
        cand = (p_gt + e * M, n_ge + e * mean * g * M, n_ge * ex_plus + e * M * mean * law.dmgf_up(t))
        if tail_mass is None:
            tail_mass, tail_n, tail_w = cand
        else:
            tail_mass = cand[0] if _hi(cand[0]) < _hi(tail_mass) else tail_mass
            tail_n = cand[1] if _hi(cand[1]) < _hi(tail_n) else tail_n
            tail_w = cand[2] if _hi(cand[2]) < _hi(tail_w) else tail_w
    # exponential moments at theta (Kingman), t2 between theta and the smallest rate
    gth = law.mgf_up(theta)
    mgf_th = (mean * (gth - 1)).exp()
    lam_g = mean * gth
    pg = _poisson(lam_g, p.n_max)
    p_gt_g = 1 - sum(pg, arb(0))
    t2 = (theta + law.rmin) / 2
    mgf_tail = mgf_th * p_gt_g + (-(t2 - theta) * Ch).exp() * (mean * (law.mgf_up(t2) - 1)).exp()
    return _Batch(rows, (max(_lo(pn[0]), 0.0), _hi(pn[0])), a_up, a_dn, _hi(tail_mass), _hi(tail_n), _hi(tail_w), _hi(mgf_th), _hi(mgf_tail))


def _shift_sum(rows: list[IVec], f: NDArray[np.float64] | None = None) -> IVec:
    """``sum_n rows[n-1](k + n) f(k + n)``: the law of ``W+ - N h`` (indices), optionally weighted by ``f`` (at the ``W+`` index)."""
    size = rows[0].size
    out = IVec.zeros(size)
    for i, r in enumerate(rows):
        n = i + 1
        rr = r if f is None else r.mul(f)
        out = out + IVec(np.concatenate([rr.lo[n:], np.zeros(n)]), np.concatenate([rr.hi[n:], np.zeros(n)]))
    return out


def _sc(lo: float, hi: float) -> IVec:
    return IVec(np.array([lo]), np.array([hi]))


def _smul(a: IVec, b: IVec) -> IVec:
    return a.imul(float(b.lo[0]), float(b.hi[0]))


def _masked(c: IVec, T: int) -> IVec:
    """Entries ``0..T`` of ``c`` (the rest set to 0)."""
    keep = np.arange(c.size) <= T
    return IVec(np.where(keep, c.lo, 0.0), np.where(keep, c.hi, 0.0))


def _tot(v: IVec) -> IVec:
    return _sc(*v.total())


def _frac_iv(q: Fraction) -> IVec:
    from proofs.exact.rational import to_float

    return _sc(to_float(q, -1), to_float(q, 1))


# ------------------------------------------------------------------------------------------ server work (lemma T2)
def _server_work(p: SlotParams, A: _Batch, B: _Batch, tag: str) -> IVec:
    """Enclosure of server 1's slot-work pmf (``tag`` ``"up"``: ``S+``; ``"dn"``: ``S-``) on the lattice, truncated batches."""
    a, b = (A.up, B.up) if tag == "up" else (A.dn, B.dn)
    pA, pB = _sc(*A.p_empty), _sc(*B.p_empty)
    ma, mb = _tot(A.up), _tot(B.up)
    half, quarter = _sc(0.5, 0.5), _sc(0.25, 0.25)
    s0 = _smul(pA, pB) + _smul(_smul(pB, ma), half) + _smul(_smul(pA, mb), half)
    s = _smul(a, _smul(pB, half)) + _smul(b, _smul(pA, half))
    rule = p.rule
    if rule["type"] == "rank":
        for w, U, V in rule["parts"]:
            W = _smul(_frac_iv(w), quarter)
            ua = [A.up.mul(u) if tag == "up" else _shift_sum(A.rows, u) for u in U]
            vb = [B.up.mul(v) if tag == "up" else _shift_sum(B.rows, v) for v in V]
            au = [_tot(A.up.mul(u)) for u in U]
            bv = [_tot(B.up.mul(v)) for v in V]
            cor = _smul(au[0], bv[0])
            for c in range(1, len(U)):
                cor = cor + _smul(au[c], bv[c])
            s0 = s0 + _smul(_smul(ma, mb) + cor, W)
            single = _smul(a, mb) + _smul(b, ma)
            for c in range(len(U)):
                single = single - _smul(ua[c], bv[c]) - _smul(vb[c], au[c])
            conv = conv_nonneg(a.nonneg(), b.nonneg())
            for c in range(len(U)):
                conv = conv + conv_signed(ua[c], vb[c])
            s = s + _smul(single, W) + _smul(conv, W)
    else:
        T = math.floor(rule["t"] / p.h)
        bun_up = _masked(conv_nonneg(A.up.nonneg(), B.up.nonneg()), T)
        s0 = s0 + _smul(_tot(bun_up), half)  # bunched: server 1 gets nothing w.p. 1/2
        if tag == "up":
            s = s + _smul(bun_up, half)
        else:  # W_A- + W_B- on {W_A+ + W_B+ <= T}: the counts shift each pair of rows
            for i, ra in enumerate(A.rows):
                for j, rb in enumerate(B.rows):
                    pair = _masked(conv_nonneg(ra.nonneg(), rb.nonneg()), T)
                    n = i + j + 2
                    if pair.size > n:
                        s = s + _smul(IVec(pair.lo[n:], pair.hi[n:]), half)
        # split: X's batch at index i goes alone (w.p. 1/2 to server 1) iff W_Y+ > T - i: weight P(W_Y+ > T - i, N_Y >= 1)
        for X, Y in ((A, B), (B, A)):
            my = _tot(Y.up)
            yl, yh = Y.up.nonneg().lo, Y.up.nonneg().hi
            nn = yl.size + 1
            cy_lo = dn(np.concatenate([[0.0], np.cumsum(yl)]), nn)
            cy_hi = up(np.concatenate([[0.0], np.cumsum(yh)]), nn)
            idx = np.clip(T - np.arange(X.up.size) + 1, 0, yl.size)
            gt_lo = np.maximum(np.nextafter(float(my.lo[0]) - cy_hi[idx], -np.inf), 0.0)
            gt_hi = np.nextafter(float(my.hi[0]) - cy_lo[idx], np.inf)
            rows = [IVec(np.nextafter(r.nonneg().lo * gt_lo, -np.inf).clip(0.0), np.nextafter(r.nonneg().hi * gt_hi, np.inf)) for r in X.rows]
            law_x = rows[0]
            for r in rows[1:]:
                law_x = law_x + r
            s = s + _smul(law_x if tag == "up" else _shift_sum(rows), half)
    s = s + IVec(np.concatenate([s0.lo, np.zeros(s.size - 1)]), np.concatenate([s0.hi, np.zeros(s.size - 1)]))
    return s


# ------------------------------------------------------------------------------------------ within-batch term (lemma T3, T4 (d))
def _w_moment(rows: list[IVec], f: NDArray[np.float64], h: float, weight_n: bool) -> IVec:
    """Enclosure of ``E[W f(W+); lattice]`` (``W`` in ``[W+ - N h, W+]``), or ``E[N f(W+); lattice]`` if ``weight_n``."""
    k = np.arange(rows[0].size, dtype=float)
    tot = _sc(0.0, 0.0)
    for i, r in enumerate(rows):
        n = i + 1
        rf = r.mul(f)
        if weight_n:
            tot = tot + _tot(rf.mul(float(n)))
        else:
            wlo = np.nextafter(np.maximum(k - n, 0.0) * h, -np.inf).clip(0.0)
            whi = np.nextafter(k * h, np.inf)
            ps = [rf.lo * wlo, rf.lo * whi, rf.hi * wlo, rf.hi * whi]
            tot = tot + _tot(IVec(np.nextafter(np.minimum.reduce(ps), -np.inf), np.nextafter(np.maximum.reduce(ps), np.inf)))
    return tot


def _within(p: SlotParams, A: _Batch, B: _Batch, law: _Law) -> tuple[Any, Any]:
    """``(Z_lo, Z_hi)`` as arb: ``Z = E[(N_A-1)W_A + (N_B-1)W_B + beta (N_B W_A + N_A W_B)] / 4`` (lemma T3)."""
    from flint import arb

    tau = arb_fraction(p.tau)
    la, lb = arb_fraction(p.lam_a), arb_fraction(p.lam_b)
    z0 = tau * tau * law.m1 * (la * la + lb * lb + la * lb)
    if p.rule["type"] != "rank":
        return _within_threshold(p, A, B, law, tau * tau * law.m1 * (la * la + lb * lb), la * tau, lb * tau)
    h = _hi(arb_fraction(p.h))
    lo = hi = arb(0)
    for w, U, V in p.rule["parts"]:
        wq = arb_fraction(w)
        for u, v in zip(U, V):
            nu, nv = float(np.max(np.abs(u))), float(np.max(np.abs(v)))
            ia = _w_moment(A.rows, u, h, False)
            ian = _w_moment(A.rows, u, h, True)
            ib = _w_moment(B.rows, v, h, False)
            ibn = _w_moment(B.rows, v, h, True)
            # truncation: |E[W u; T]| <= ||u|| E[W+; T], |E[N u; T]| <= ||u|| E[N; T]
            iv = [(ia, nu * A.tail_w), (ian, nu * A.tail_n), (ib, nv * B.tail_w), (ibn, nv * B.tail_n)]
            balls = []
            for x, t in iv:
                a0, a1 = float(x.lo[0]), float(x.hi[0])
                mid = (arb(a0) + arb(a1)) / 2
                rad = (arb(a1) - arb(a0)) / 2 + arb(t)
                balls.append(mid + arb(0, rad.upper()))
            term = wq * (balls[0] * balls[3] + balls[2] * balls[1]) / 2
            lo, hi = lo + term.lower(), hi + term.upper()
    return (z0 + lo) / 4, (z0 + hi) / 4


def _w_by_index(rows: list[IVec], h: float) -> IVec:
    """Enclosure of ``E[W; N >= 1, W+ = k h]`` per index ``k`` (``W`` in ``[W+ - N h, W+]``)."""
    k = np.arange(rows[0].size, dtype=float)
    out = IVec.zeros(rows[0].size)
    for i, r in enumerate(rows):
        wlo = np.nextafter(np.maximum(k - (i + 1), 0.0) * h, -np.inf).clip(0.0)
        whi = np.nextafter(k * h, np.inf)
        rn = r.nonneg()
        out = out + IVec(np.nextafter(rn.lo * wlo, -np.inf).clip(0.0), np.nextafter(rn.hi * whi, np.inf))
    return out


def _within_threshold(p: SlotParams, A: _Batch, B: _Batch, law: _Law, z0: Any, ma: Any, mb: Any) -> tuple[Any, Any]:
    """``Z`` of the sum-threshold rule: ``beta = 1{i + j <= T}``, ``E[beta N_B W_A] = sum_i E[W_A; W_A+ = i] E[N_B; W_B+ <= T - i]``."""
    from flint import arb

    T = math.floor(p.rule["t"] / p.h)
    h = _hi(arb_fraction(p.h))
    lo = hi = arb(0)
    for X, Y, mean_x, mean_y in ((A, B, ma, mb), (B, A, mb, ma)):
        wx = _w_by_index(X.rows, h)
        ny = IVec.zeros(Y.rows[0].size)
        for i, r in enumerate(Y.rows):
            ny = ny + r.nonneg().mul(float(i + 1))
        nn = ny.size + 1
        c_lo = dn(np.concatenate([[0.0], np.cumsum(ny.nonneg().lo)]), nn)
        c_hi = up(np.concatenate([[0.0], np.cumsum(ny.nonneg().hi)]), nn)
        idx = np.clip(T - np.arange(wx.size) + 1, 0, ny.size)  # E[N_Y; W_Y+ <= T - i] = c[T - i + 1]
        prod = IVec(np.nextafter(wx.nonneg().lo * c_lo[idx], -np.inf).clip(0.0), np.nextafter(wx.nonneg().hi * c_hi[idx], np.inf))
        t_lo, t_hi = prod.total()
        # truncated batches add at most E[W_X; T_X] E[N_Y] + E[W_X] E[N_Y; T_Y] (E[W_X] = E[N_X] m1)
        extra = arb(X.tail_w) * mean_y + mean_x * law.m1 * arb(Y.tail_n)
        lo = lo + arb(max(t_lo, 0.0))
        hi = hi + arb(t_hi) + extra
    return (z0 + lo) / 4, (z0 + hi) / 4


# ------------------------------------------------------------------------------------------ Lindley chains (lemma T4 (b), (c))
def _lower_chain(s_lo: NDArray[np.float64], m: int, K: int, iters: int) -> tuple[float, NDArray[np.float64]]:
    """Lower bound on ``E[V_n]`` (cells) of the capped chain from 0 after ``iters`` steps, and the entrywise lower pmf of ``V_n``."""
    v = np.zeros(K + 1)
    v[0] = 1.0
    n = min(K + 1, s_lo.size) + 1
    for _ in range(iters):
        c = dn(np.convolve(v, s_lo), n)
        new = np.zeros(K + 1)
        new[0] = sum_dn(c[: m + 1])
        seg = c[m + 1: m + K]
        new[1: 1 + seg.size] = seg
        new[K] += sum_dn(c[m + K:]) if c.size > m + K else 0.0
        v = new
    return sum_dn(np.arange(K + 1, dtype=float) * v), v


def _upper_chain(s_hi: NDArray[np.float64], m: int, K: int, iters: int, theta_cell: Any,
                 escape: float) -> tuple[float, float, NDArray[np.float64]]:
    """``(sum_k k q_k, r, q)`` upper bounds after ``iters`` steps from the Kingman law (cells); ``escape`` >= truncated work mass per step.

    ``q`` is the entrywise upper pmf on ``0..K``, ``r`` the mass escaped beyond ``K`` (never returning).
    """
    from flint import arb

    z = (-theta_cell).exp()
    d = np.zeros(K + 1)
    cur = arb(1)
    for j in range(1, K + 1):
        nxt = cur * z
        d[j] = _hi(cur - nxt)
        cur = nxt
    r = _hi(cur)  # P(D > K) = e^{-theta K}
    v = d
    n = min(K + 1, s_hi.size) + 1
    for _ in range(iters):
        c = up(np.convolve(v, s_hi), n)
        new = np.zeros(K + 1)
        new[0] = sum_up(c[: m + 1])
        seg = c[m + 1: m + 1 + K]
        new[1: 1 + seg.size] = seg
        over = sum_up(c[m + 1 + K:]) if c.size > m + 1 + K else 0.0
        r = math.nextafter(math.nextafter(r + over, math.inf) + math.nextafter(sum_up(v) * escape, math.inf), math.inf)
        v = new
    return sum_up(np.arange(K + 1, dtype=float) * v), r, v


@dataclass(frozen=True)
class SlotEnclosure:
    """Outward-rounded ``W_q`` enclosure and its parts (floats rounded outward; ``wq_lo`` / ``wq_hi`` exact rationals).

    ``tb_lo`` / ``tb_hi``: the enclosure of ``E[T_B]`` (lemma T5 (c)) when the certificate claims one (``None`` otherwise).
    """

    wq_lo: Fraction
    wq_hi: Fraction
    ev_lo: float
    ev_hi: float
    z_lo: float
    z_hi: float
    phi_hi: float
    tail_r: float
    truncated: float
    tb_lo: Fraction | None = None
    tb_hi: Fraction | None = None


# ------------------------------------------------------------------------------------------ E[T_B] (lemma T5 (b), (c))
def _eulerian(n: int) -> list[int]:
    """Eulerian numbers ``A(n, 0..n-1)``: ``sum_j j^n c^j = c sum_i A(n, i) c^i / (1 - c)^(n + 1)`` (``n >= 1``)."""
    row = [1]
    for r in range(2, n + 1):
        row = [(r - i) * (row[i - 1] if i >= 1 else 0) + (i + 1) * (row[i] if i < len(row) else 0) for i in range(r)]
    return row


def _idle_g(p: SlotParams, k: int, q_lo: float, q_hi: float) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Enclosure of ``G(i h)``, ``i = 0..m-1``, for ``T(t) = t^k`` and ``q = P(S > 0)`` in ``[q_lo, q_hi]`` (lemma T5 (c)).

    ``G(y) = sum_{i<k} C(k, i) tau^i E[K^i] (tau - y)^(k - i)``, ``K ~ Geometric(q)`` on ``0, 1, ...``,
    ``E[K^i] = sum_j A(i, j) (1 - q)^(j + 1) / q^i`` (``E[K^0] = 1``).
    """
    from flint import arb

    qa, qb = arb(q_lo), arb(q_hi)
    q = (qa + qb) / 2 + arb(0, ((qb - qa) / 2).upper())
    c = 1 - q
    tau, h = arb_fraction(p.tau), arb_fraction(p.h)
    coef = []
    for i in range(k):
        ek = arb(1) if i == 0 else sum((a * c ** (j + 1) for j, a in enumerate(_eulerian(i))), arb(0)) / q**i
        coef.append(math.comb(k, i) * tau**i * ek)
    lo, hi = np.zeros(p.m), np.zeros(p.m)
    for i in range(p.m):
        x = h * (p.m - i)  # tau - y
        g = coef[0]
        for j in range(1, k):
            g = coef[j] + x * g
        g = g * x  # sum_i coef[i] x^(k - i) by Horner
        lo[i], hi[i] = max(_lo(g), 0.0), _hi(g)
    return lo, hi


def _g_conv(s: NDArray[np.float64], G: NDArray[np.float64], side: str) -> NDArray[np.float64]:
    """``g(a) = sum_{b < m - a} s_b G(a + b)``, ``a = 0..m-1`` (non-negative ``s``, ``G``), rounded up (side ``"up"``) or down."""
    m = G.size
    sv = np.zeros(m)
    n = min(m, s.size)
    sv[:n] = s[:n]
    rnd = up if side == "up" else dn
    return rnd(np.convolve(sv[::-1], G)[m - 1:], m)


def _dot(v: NDArray[np.float64], g: NDArray[np.float64], side: str) -> float:
    """``sum_{a < m} v_a g_a`` for non-negative vectors, rounded up (side ``"up"``) or down."""
    m = g.size
    vv = np.zeros(m)
    n = min(m, v.size)
    vv[:n] = v[:n]
    return float((up if side == "up" else dn)(float(vv @ g), m))


def _throughput(p: SlotParams, k: int, s_up: IVec, trunc: float, low: tuple[NDArray[np.float64], float, NDArray[np.float64]] | None,
                high: tuple[NDArray[np.float64], NDArray[np.float64]] | None) -> tuple[Fraction | None, Fraction | None]:
    """Enclosure of ``E[T_B] = E[G(V + S)] / tau`` (lemma T5 (c)).

    ``low = (q, r, s+)``: the upper chain's entrywise upper pmf and escaped mass and the lower enclosure of ``S+``'s lattice part
    (``V + S`` lies below the chain plus ``S+``: the lower end).  ``high = (v, s-)``: the lower chain's entrywise lower pmf and
    the lower enclosure of ``S-``'s lattice part (the upper end; the missing masses placed at 0, where ``G`` is largest).
    """
    from flint import arb

    p0_hi = math.nextafter(float(s_up.hi[0]) + trunc, math.inf)
    q_lo = math.nextafter(1.0 - p0_hi, -math.inf)
    q_hi = min(1.0, math.nextafter(1.0 - float(s_up.lo[0]), math.inf))
    if not q_lo > 0:
        raise CertificateError(f"the server receives work in a slot with probability enclosed only in [{q_lo:.3g}, {q_hi:.3g}]: no E[T_B] enclosure")
    G_lo, G_hi = _idle_g(p, k, q_lo, q_hi)
    tau = arb_fraction(p.tau)
    tb_lo = tb_hi = None
    if low is not None:
        qv, r, s_plus = low
        g = _g_conv(np.maximum(s_plus, 0.0), G_lo, "dn")
        slack = max(0.0, math.nextafter(math.nextafter(sum_up(qv) + r, math.inf) - 1.0, math.inf))  # >= sum_a (q_a - exact pmf_a)
        e = math.nextafter(_dot(qv, g, "dn") - math.nextafter(slack * float(np.max(g)), math.inf), -math.inf)
        tb_lo = Fraction(max(0.0, _lo(arb(e) / tau)))
    if high is not None:
        vv, s_minus = high
        s_minus = np.maximum(s_minus, 0.0)
        miss_s = max(0.0, math.nextafter(1.0 - sum_dn(s_minus), math.inf))  # S- mass of unknown place: put at 0, where G is largest
        g = np.nextafter(_g_conv(s_minus, G_hi, "up") + np.nextafter(miss_s * G_hi, np.inf), np.inf)
        miss_v = max(0.0, math.nextafter(1.0 - sum_dn(vv), math.inf))  # V mass of unknown place: at the largest g
        e = math.nextafter(_dot(vv, g, "up") + math.nextafter(miss_v * float(np.max(g)), math.inf), math.inf)
        tb_hi = Fraction(_hi(arb(e) / tau))
    return tb_lo, tb_hi


#: the slot-work pmf is cut where the mass beyond is below this (moved to the escaping mass upstairs, dropped downstairs)
CUT = 1e-13


def _cut(s: NDArray[np.float64]) -> int:
    """Smallest ``L`` with ``sum(s[L:])`` (as computed) below :data:`CUT` (the exact handling of the cut is the caller's)."""
    tail = np.cumsum(s[::-1])[::-1]
    idx = np.nonzero(tail > CUT)[0]
    return int(idx[-1]) + 1 if idx.size else 1


def _kingman(s_hi: NDArray[np.float64], m: int, theta_cell: Any, trunc: Any) -> Any:
    """Upper enclosure of ``E[e^{theta (S+ - tau)}]``: lattice part plus the truncated part."""
    from flint import arb

    z = theta_cell.exp()
    tot = arb(0)
    pw = (-theta_cell * m).exp()
    for k in range(s_hi.size):
        if s_hi[k] > 0:
            tot += arb(float(s_hi[k])) * pw
        pw = pw * z
    return tot + trunc


def enclose_wq(p: SlotParams, sides: tuple[str, ...] = ("lower", "upper")) -> SlotEnclosure:
    """The outward-rounded enclosure of ``W_q`` for the certificate's parameters (lemma T4 (e')).

    ``sides`` names the chains to run: ``"upper"`` (from the Kingman law with
    ``S+``) and ``"lower"`` (from 0 with ``S-``).  With a ``throughput`` field
    the enclosure of ``E[T_B]`` is added (lemma T5 (c)); its lower end needs the
    upper chain and its upper end the lower chain, which are then run too.
    Raises :class:`CertificateError` when the Kingman condition fails at ``theta``.
    """
    from flint import arb

    tb = p.throughput
    run_up = "upper" in sides or (tb is not None and tb[1] is not None)
    run_dn = "lower" in sides or (tb is not None and tb[2] is not None)
    with working_precision(PREC):
        h = arb_fraction(p.h)
        theta = arb_fraction(p.theta)
        law = _Law(_phases(p), h)
        if not theta < law.rmin:
            raise CertificateError(f"theta = {p.theta} must be below the smallest service rate (the exponential moment is infinite)")
        x = law.cells(p.cells)
        A = _batch(p.lam_a, p, law, x, theta)
        B = A if p.lam_b == p.lam_a else _batch(p.lam_b, p, law, x, theta)
        trunc_mass = A.tail_mass + B.tail_mass
        ev_lo = ev_hi = phi = r = math.nan
        K = p.queue_cells
        s_up = _server_work(p, A, B, "up") if run_up or tb is not None else None
        low = high = None
        if run_up:
            assert s_up is not None
            s_hi = np.maximum(s_up.hi, 0.0)
            th_cell = theta * h
            trunc_k = (-th_cell * p.m).exp() * (arb(A.mgf_theta_tail) * arb(B.mgf_theta) + arb(A.mgf_theta) * arb(B.mgf_theta_tail))
            phi_b = _kingman(s_hi, p.m, th_cell, trunc_k)
            phi = _hi(phi_b)
            if not phi_b <= 1:
                raise CertificateError(f"the Kingman condition E[e^(theta (S+ - tau))] <= 1 fails at theta = {float(p.theta):.6g}: enclosure "
                                       f"up to {phi:.12g}")
            L = _cut(s_hi)
            escape = math.nextafter(math.nextafter(trunc_mass, math.inf) + sum_up(s_hi[L:]), math.inf)  # the cut tail escapes upwards
            mean_cells, r, q_up = _upper_chain(s_hi[:L], p.m, K, p.iterations, th_cell, escape)
            low = (q_up, r, s_up.lo)
            Kh = K * h
            ra = arb(r)
            if r >= 1:
                tail_int = (-theta * Kh).exp() / theta
            else:
                xs = -ra.log() / theta
                if xs < Kh:
                    xs = Kh
                tail_int = ra * (xs - Kh) + (-theta * xs).exp() / theta
            ev_hi_b = arb(mean_cells) * h + ra * Kh + tail_int
            ev_hi = _hi(ev_hi_b)
        if run_dn:
            s_dn = _server_work(p, A, B, "dn")
            s_lo = np.maximum(s_dn.lo, 0.0)
            s_lo = s_lo[: _cut(s_lo)]  # dropping mass keeps a lower bound
            mean_lo, v_lo = _lower_chain(s_lo, p.m, K, p.iterations)
            high = (v_lo, s_lo)
            ev_lo = math.nextafter(mean_lo * _lo(h), -math.inf)
        z_lo, z_hi = _within(p, A, B, law)
        en = arb_fraction((p.lam_a + p.lam_b) * p.tau / 2)
        half_tau = arb_fraction(p.tau / 2)
        wq_lo_b = half_tau + arb(ev_lo) + z_lo / en if run_dn else None
        wq_hi_b = half_tau + arb(ev_hi) + z_hi / en if run_up else None
        wq_lo = Fraction(_lo(wq_lo_b)) if wq_lo_b is not None else Fraction(0)
        wq_hi = Fraction(_hi(wq_hi_b)) if wq_hi_b is not None else Fraction(10**30)
        tb_lo = tb_hi = None
        if tb is not None:
            assert s_up is not None
            tb_lo, tb_hi = _throughput(p, tb[0], s_up, math.nextafter(trunc_mass, math.inf), low if tb[1] is not None else None,
                                       high if tb[2] is not None else None)
        return SlotEnclosure(wq_lo, wq_hi, ev_lo, ev_hi, _lo(z_lo), _hi(z_hi), phi, r, trunc_mass, tb_lo, tb_hi)


def throughput_target(game: dict[str, Any], k: int) -> Target:
    """The target ``E[T_B]`` (``T(t) = t^k``) of the slot rule named by a certificate's game."""
    return Target({**game, "quantity": "E[T_B]", "k": k}, None, "quantum" if game.get("rule_class") == "quantum" else "classical")


def check_slot_queue_bracket(cert: dict[str, Any], source: str) -> Bound:
    """Verify a ``"slot-queue-bracket"`` certificate: ``W_q <= bound`` (side upper) or ``W_q >= bound`` (side lower).

    With a ``throughput`` field the ``E[T_B]`` claims are verified too and
    their bounds returned in ``details["throughput"]`` (``{"lower": Bound,
    "upper": Bound}``, the claims present; ``{}`` without the field).

    >>> try:
    ...     check_slot_queue_bracket({"schema": 2, "kind": "slot-queue-bracket", "game": {"type": "routers"}}, "x")
    ... except CertificateFormatError as e:
    ...     print(e)
    game must be {'type': 'slotted-queue', 'quantity': 'W_q', ...}
    """
    p = read_params(cert)
    side = cert.get("side")
    if side not in ("lower", "upper"):
        raise CertificateFormatError(f"field 'side' must be 'lower' or 'upper'; got {str(side)[:20]!r}")
    claim = parse_fraction(cert.get("bound"), "bound")
    enc = enclose_wq(p, (side,))  # plus the other chain when the certificate claims E[T_B] (lemma T5 (c))
    if side == "upper" and claim < enc.wq_hi:
        raise CertificateError(f"claimed upper bound {float(claim):.12g} on W_q is below the enclosure's upper end {float(enc.wq_hi):.12g}")
    if side == "lower" and claim > enc.wq_lo:
        raise CertificateError(f"claimed lower bound {float(claim):.12g} on W_q exceeds the enclosure's lower end {float(enc.wq_lo):.12g}")
    throughput: dict[str, Bound] = {}
    if p.throughput is not None:
        k, lo, hi = p.throughput
        tgt = throughput_target(p.game, k)
        if lo is not None:
            assert enc.tb_lo is not None
            if lo > enc.tb_lo:
                raise CertificateError(f"claimed lower bound {float(lo):.12g} on E[T_B] exceeds the enclosure's lower end {float(enc.tb_lo):.12g}")
            throughput["lower"] = _issue("lower", lo, tgt, source, "slot-queue-bracket (lemma T5 (c))", enclosure=enc)
        if hi is not None:
            assert enc.tb_hi is not None
            if hi < enc.tb_hi:
                raise CertificateError(f"claimed upper bound {float(hi):.12g} on E[T_B] is below the enclosure's upper end {float(enc.tb_hi):.12g}")
            throughput["upper"] = _issue("upper", hi, tgt, source, "slot-queue-bracket (lemma T5 (c))", enclosure=enc)
    return _issue(side, claim, slot_target(p.game), source, "slot-queue-bracket (lemma T4 (e'))", enclosure=enc, throughput=throughput)

