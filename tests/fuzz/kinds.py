"""Per-kind generators of the forgery fuzzer: random instance, genuine certificate, forgeries, true value.

Every generator takes a :class:`numpy.random.Generator` and returns a
:class:`Case`: the instance, and a list of :class:`Check` -- certificates
with the claim they make and the *truth bracket* of the quantity they claim
about, computed by :mod:`tests.fuzz.oracles` (never by a checker).

* a **forgery** takes the genuine certificate and moves its claim beyond the
  truth by a random ``eps`` in ``[eps_min, 0.1]`` (log-uniform): above the
  truth's upper end for a lower bound, below its lower end for an upper
  bound; some forgeries also adjust fields a forger could change
  consistently (branch-and-bound leaves, dual weights, the visibility, the
  waiting-time limit).  The checker must reject it.
* the **genuine** check is the producer's certificate with its claim moved to
  the truth minus a margin (lower) or plus a margin (upper) where the kind's
  own slack allows it, else its claim as produced.  The checker must accept
  it.

A **false accept** is an accepted certificate whose claim lies beyond the
truth bracket (a lower bound above its upper end, an upper bound below its
lower end), or a ``system-strategy`` certificate accepted for a strategy
that does not meet its waiting-time limit.

:data:`FUZZERS` maps every certificate kind to its sub-spaces (name ->
generator); :data:`KNOWN_DEFECTS` names the sub-spaces where the checker on
main is known to accept false bounds.
"""

from __future__ import annotations

import copy
import itertools
import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from tests.fuzz import oracles as orc

LAW_CATALOGUE: tuple[tuple[str, str | None], ...] = (
    ("exponential", None), ("gamma", "1"), ("gamma", "2"), ("gamma", "4"), ("gamma", "16"),
    ("hyperexponential", "2"), ("hyperexponential", "4"), ("lognormal", "1/2"), ("lognormal", "1"),
    ("lognormal", "3/2"), ("weibull", "1/2"), ("weibull", "2"), ("lomax", "3"), ("uniform", None),
)

#: the cited local-model visibility of lemma W3 (a constant of the literature, not of the checker)
LOCAL_VISIBILITY = Fraction(6874, 10000)


@dataclass
class Check:
    """One certificate sent to the checker.

    ``side`` is the side of the claim; ``truth`` = ``(lo, hi)`` brackets the
    true value of the quantity claimed about; ``expect`` is ``"reject"``
    (a forgery) or ``"accept"`` (genuine).  ``infeasible`` marks a
    ``system-strategy`` forgery whose strategy misses its limit.
    """

    label: str
    cert: dict[str, Any]
    side: str
    claim: float
    truth: tuple[float, float]
    expect: str
    infeasible: bool = False

    def false_accept(self) -> bool:
        """Whether accepting this certificate would certify something false."""
        if self.infeasible:
            return True
        return self.claim > self.truth[1] if self.side == "lower" else self.claim < self.truth[0]


@dataclass
class Case:
    kind: str
    space: str
    instance: dict[str, Any]
    checks: list[Check] = field(default_factory=list)


class Skip(Exception):
    """The producer could not build a genuine certificate for this instance (not a checker finding)."""


# --------------------------------------------------------------------------- random pieces
def _q(x: Fraction | float) -> str:
    f = Fraction(x)
    return f"{f.numerator}/{f.denominator}"


def _eps(rng: np.random.Generator, lo: float) -> float:
    return float(10 ** rng.uniform(math.log10(lo), -1))


def random_game(rng: np.random.Generator, space: str) -> dict[str, str]:
    """A random exact game: ``space`` is ``"closed"`` (hyperbolic or linear), ``"law"`` or ``"any"``."""
    kinds = {"closed": ("hyperbolic", "linear"), "law": ("law",), "any": ("hyperbolic", "linear", "law"), "dp": ("hyperbolic", "linear-dp")}[space]
    k = kinds[int(rng.integers(len(kinds)))]
    if k == "hyperbolic":
        return {"type": "hyperbolic", "C": _q(Fraction(int(rng.integers(50, 951)), 1000))}
    if k == "linear":
        return {"type": "linear", "s": _q(Fraction(int(rng.integers(100, 1901)), 1000))}
    if k == "linear-dp":
        return {"type": "linear", "s": _q(Fraction(int(rng.integers(100, 1001)), 1000))}
    name, param = LAW_CATALOGUE[int(rng.integers(len(LAW_CATALOGUE)))]
    g = {"type": "sum-threshold", "law": name}
    if param is not None:
        g["param"] = _q(Fraction(param))
    g["t"] = _q(Fraction(int(rng.integers(200, 4001)), 1000))
    return g


def xor_game(desc: dict[str, str]) -> Any:
    """The solver-side game object of an exact description (for the producers)."""
    from analytic.laws.catalogue import parse_law
    from games import linear_boundary_game, paper_game
    from games.laws import law_game

    if desc["type"] == "hyperbolic":
        return paper_game(float(Fraction(desc["C"])))
    if desc["type"] == "linear":
        return linear_boundary_game(float(Fraction(desc["s"])))
    label = desc["law"] + (f":{float(Fraction(desc['param'])):g}" if "param" in desc else "")
    return law_game(parse_law(label), Fraction(desc["t"]))


def discretisation(desc: dict[str, str], n: int) -> Any:
    game = xor_game(desc)
    if desc["type"] == "sum-threshold":
        from proofs.certify.law_brackets import law_discretisation

        return law_discretisation(game, n)
    from games.discretise import discretise

    return discretise(game, n)


def _cell_err(n: int) -> float:
    return n * n * orc.CELL_ERROR + 1e-14


def _with_bound(cert: dict[str, Any], claim: float | Fraction) -> dict[str, Any]:
    out = copy.deepcopy(cert)
    out["bound"] = _q(claim)
    return out


def _lower_checks(case: Case, cert: dict[str, Any], value: float, err: float, rng: np.random.Generator, eps_min: float, *, n_forged: int = 3,
                  genuine_margin: float = 1e-9) -> None:
    """Forgeries above ``value + err`` and the genuine claim ``value - err - margin`` of a lower-bound kind."""
    truth = (value - err, value + err)
    for _ in range(n_forged):
        e = _eps(rng, eps_min)
        claim = value + err + e
        case.checks.append(Check(f"forged +{e:.3g}", _with_bound(cert, claim), "lower", claim, truth, "reject"))
    claim = value - err - genuine_margin
    case.checks.append(Check("genuine", _with_bound(cert, claim), "lower", claim, truth, "accept"))


# --------------------------------------------------------------------------- classical kinds
def fuzz_classical_strategy(rng: np.random.Generator, space: str = "any") -> Case:
    from bounds.classical_certificates import strategy_certificate

    game = random_game(rng, space)
    n = int(rng.integers(1, 9))
    m = orc.cell_matrix(game, n)
    if rng.random() < 0.3:
        _, g, h = orc.classical_optimum(m)
    else:
        g = [int(x) for x in rng.choice([1, -1], n)]
        h = [int(x) for x in rng.choice([1, -1], n)]
    continuum = bool(rng.random() < 0.4)
    case = Case("classical-strategy", space, {"game": game, "N": None if continuum else n, "bins": n, "g": g, "h": h})
    cert = strategy_certificate(game, g, h, continuum=continuum)
    _lower_checks(case, cert, orc.step_value(m, g, h), _cell_err(n), rng, 1e-10)
    return case


def _switches(rng: np.random.Generator) -> list[Fraction]:
    k = int(rng.integers(0, 4))
    den = int(rng.integers(2, 1000))
    return sorted({Fraction(int(rng.integers(0, den + 1)), den) for _ in range(k)})


def fuzz_classical_threshold(rng: np.random.Generator, space: str = "any") -> Case:
    from bounds.classical_certificates import threshold_certificate

    game = random_game(rng, space)
    a_sw, b_sw = _switches(rng), _switches(rng)
    a0, b0 = int(rng.choice([1, -1])), int(rng.choice([1, -1]))
    case = Case("classical-threshold", space, {"game": game, "a_switches": [_q(x) for x in a_sw], "a_start": a0, "b_switches": [_q(x) for x in b_sw], "b_start": b0})
    cert = threshold_certificate(game, a_sw, b_sw, a0, b0)
    value = orc.threshold_value(game, a_sw, a0, b_sw, b0)
    _lower_checks(case, cert, value, 16 * orc.CELL_ERROR + 1e-14, rng, 1e-10)
    return case


def _lower_leaves(cert: dict[str, Any], claim: float, unit_key: str) -> dict[str, Any]:
    """A forger's consistent leaves: every leaf bound cut down to the claimed bound's units."""
    out = _with_bound(cert, claim)
    S = cert["scale_bits"]
    if cert["kind"] == "classical-dp":
        units = math.floor((Fraction(claim) - Fraction(1, 2)) * 2 ** (S + 1))
    else:
        n = cert["bins"]
        units = math.floor((Fraction(claim) - Fraction(1, 2)) * 2 * n * n * (1 << S))
    out["leaves"] = [{unit_key: x[unit_key], "bound_units": min(int(x["bound_units"]), units)} for x in cert["leaves"]]
    return out


def _upper_forgeries(case: Case, cert: dict[str, Any], lo: float, hi: float, rng: np.random.Generator, eps_min: float,
                     adjust: Callable[[dict[str, Any], float], dict[str, Any]] | None = None, n_forged: int = 3) -> None:
    """Claims below the truth's lower end ``lo``: bound only, and (``adjust``) with consistently adjusted data."""
    for _ in range(n_forged):
        e = _eps(rng, eps_min)
        claim = lo - e
        case.checks.append(Check(f"forged -{e:.3g}", _with_bound(cert, claim), "upper", claim, (lo, hi), "reject"))
        if adjust is not None:
            case.checks.append(Check(f"forged -{e:.3g} (consistent data)", adjust(cert, claim), "upper", claim, (lo, hi), "reject"))


def fuzz_classical_bnb(rng: np.random.Generator, space: str = "any") -> Case:
    from bounds.classical_exact import exact_classical

    game = random_game(rng, space)
    n = int(rng.integers(2, 9))
    m = orc.cell_matrix(game, n)
    if not orc.crossed_mask(game, n).any():
        raise Skip("no crossed cell")
    try:
        cert = exact_classical(game, n).certificates["upper"]
    except Exception as exc:  # noqa: BLE001 - a producer failure is not a checker finding
        raise Skip(f"producer: {exc}") from exc
    value, _, _ = orc.classical_optimum(m)
    err = _cell_err(n)
    case = Case("classical-bnb", space, {"game": game, "N": n})
    _upper_forgeries(case, cert, value - err, value + err, rng, 1e-10, lambda c, x: _lower_leaves(c, x, "K"))
    claim = value + err + 1e-9
    case.checks.append(Check("genuine", _with_bound(cert, claim), "upper", claim, (value - err, value + err), "accept"))
    return case


def _continuum_classical_lower(game: dict[str, str], n: int) -> float:
    """A lower bound on the continuum classical value: the best N'-bin value for N' in {n (<= 8), 6, 8} (exact enumeration)."""
    best = -math.inf
    for k in sorted({min(n, 8), 6, 8}):
        v, _, _ = orc.classical_optimum(orc.cell_matrix(game, k))
        best = max(best, v - _cell_err(k))
    return best


def fuzz_classical_dp(rng: np.random.Generator, space: str = "dp") -> Case:
    from bounds.classical_continuum import continuum_classical

    game = random_game(rng, "dp")
    bins = int(rng.integers(2, 41))
    try:
        res = continuum_classical(xor_game(game), bins=bins)
    except Exception as exc:  # noqa: BLE001
        raise Skip(f"producer: {exc}") from exc
    cert = res.certificates["upper"]
    lo = _continuum_classical_lower(game, 8)
    low_cert = res.certificates["lower"]
    a_sw = [Fraction(x) for x in low_cert["a_switches"]]
    b_sw = [Fraction(x) for x in low_cert["b_switches"]]
    rects = (len(a_sw) + 1) * (len(b_sw) + 1)  # one quadrature error budget per rectangle of the strategy
    lo = max(lo, orc.threshold_value(game, a_sw, low_cert["a_start"], b_sw, low_cert["b_start"]) - rects * orc.CELL_ERROR)
    case = Case("classical-dp", space, {"game": game, "bins": bins})
    _upper_forgeries(case, cert, lo, 1.0, rng, 1e-10, lambda c, x: _lower_leaves(c, x, "j"))
    claim = float(Fraction(cert["bound"]))
    case.checks.append(Check("genuine (as produced)", copy.deepcopy(cert), "upper", claim, (lo, 1.0), "accept"))
    return case


def _mean_slack(game: dict[str, str], n: int) -> float:
    m = orc.cell_matrix(game, n)
    cr = orc.crossed_mask(game, n)
    return float(np.sum((1 - (n * n * m[cr]) ** 2) / (n * n)))


def fuzz_classical_bnb_relaxed(rng: np.random.Generator, space: str = "any") -> Case:
    from bounds.classical_exact import exact_classical

    game = random_game(rng, space)
    n = int(rng.integers(2, 9))
    if not orc.crossed_mask(game, n).any():
        raise Skip("no crossed cell")
    try:
        up = exact_classical(game, n).certificates["upper"]
    except Exception as exc:  # noqa: BLE001
        raise Skip(f"producer: {exc}") from exc
    value_n, _, _ = orc.classical_optimum(orc.cell_matrix(game, n))
    slack = _mean_slack(game, n)
    cert = {**up, "kind": "classical-bnb-relaxed", "N": None, "bound": _q(Fraction(up["bound"]) + Fraction(slack) / 2 + Fraction(1, 10**12))}
    lo = _continuum_classical_lower(game, n)
    case = Case("classical-bnb-relaxed", space, {"game": game, "bins": n})
    _upper_forgeries(case, cert, lo, 1.0, rng, 1e-10, lambda c, x: _lower_leaves(c, x, "K"))
    claim = value_n + slack / 2 + _cell_err(n) * 2 + 1e-9
    case.checks.append(Check("genuine", _with_bound(cert, claim), "upper", claim, (lo, 1.0), "accept"))
    return case


# --------------------------------------------------------------------------- quantum kinds
def _tsirelson(disc: Any) -> Any:
    from bounds.tsirelson import tsirelson

    return tsirelson(disc, use_numba=False)


def _qbracket(game: dict[str, str], n: int, m: np.ndarray | None = None) -> tuple[float, float]:
    m = orc.cell_matrix(game, n) if m is None else m
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lo, hi = orc.quantum_bracket(m)
    err = _cell_err(n)
    return lo - err, hi + err


def _scaled_dual(cert: dict[str, Any], claim: float) -> dict[str, Any]:
    """A forger's consistent dual: every weight lowered so that ``1/2 + (sum x + sum y)/2`` is the claim."""
    out = _with_bound(cert, claim)
    n = cert["bins"]
    drop = (Fraction(cert["bound"]) - Fraction(claim)) * 2 / (2 * n)
    out["x"] = [_q(Fraction(t) - drop) for t in cert["x"]]
    out["y"] = [_q(Fraction(t) - drop) for t in cert["y"]]
    return out


def fuzz_tsirelson_dual(rng: np.random.Generator, space: str = "any") -> Case:
    from bounds.certificates import dual_certificate

    game = random_game(rng, space)
    n = int(rng.integers(1, 9))
    disc = discretisation(game, n)
    res = _tsirelson(disc)
    cert = dual_certificate(disc, res.x, res.y)
    lo, hi = _qbracket(game, n)
    case = Case("tsirelson-dual", space, {"game": game, "N": n})
    _upper_forgeries(case, cert, lo, hi, rng, 1e-10, _scaled_dual)
    claim = hi + 1e-8
    case.checks.append(Check("genuine", _with_bound(cert, claim), "upper", claim, (lo, hi), "accept"))
    return case


def fuzz_tsirelson_dual_relaxed(rng: np.random.Generator, space: str = "any") -> Case:
    from bounds.certificates import dual_certificate

    game = random_game(rng, space)
    n = int(rng.integers(1, 9))
    relaxation = "mean" if rng.random() < 0.6 else "zero"
    disc = discretisation(game, n)
    m = orc.cell_matrix(game, n)
    cr = orc.crossed_mask(game, n)
    if relaxation == "mean":
        res = _tsirelson(disc)
        slack = _mean_slack(game, n)
        _, hi_m = _qbracket(game, n, m)
    else:
        from bounds.continuum import continuum_relaxation

        res = continuum_relaxation(disc, "zero", crossed=cr, method="fast").result
        slack = float(cr.sum()) / (n * n)
        _, hi_m = _qbracket(game, n, np.where(cr, 0.0, m))
    cert = dual_certificate(disc, res.x, res.y, continuum=True, relaxation=relaxation, slack=Fraction(slack) + Fraction(1, 10**12))
    lo = max(_qbracket(game, k)[0] for k in sorted({n, 6}))
    case = Case("tsirelson-dual-relaxed", space, {"game": game, "bins": n, "relaxation": relaxation})
    _upper_forgeries(case, cert, lo, 1.0, rng, 1e-10, _scaled_dual)
    # 1e-6 above the oracle: the checker's slack bounds M_ij^2 from below over its enclosure of a crossed cell, which on nearly
    # degenerate games comes out above the oracle's float slack (seen: 6e-8 on linear s = 501/500 at 2 bins, "mean")
    claim = hi_m + slack / 2 + 1e-6
    if claim >= 1.0:  # vacuous; there the checker may prove more than the oracle's claim: on games of value ~1 (e.g. gamma:16 at
        # t = 0.3) the oracle finds cells uncrossed that the checker's enclosure cannot, and it adds their slack.  The claim is then
        # the dual's value with the largest slack any enclosure gives (at most 1: 1/N^2 a crossed cell), which the checker must accept
        dual = sum(map(Fraction, cert["x"])) + sum(map(Fraction, cert["y"]))
        claim = max(claim, float(Fraction(1, 2) + (dual + 1) / 2) + 1e-9)
    case.checks.append(Check("genuine", _with_bound(cert, claim), "upper", claim, (lo, 1.0), "accept"))
    return case


def _lower_tau(cert: dict[str, Any], claim: float) -> dict[str, Any]:
    """A forger's consistent ``tau``: lowered (down to 0) so that ``1/2 + (1 + tau)(sum x + sum y)/2`` is the claim."""
    out = _with_bound(cert, claim)
    dual = sum((Fraction(t) for t in cert["x"] + cert["y"]), Fraction(0))
    out["tau"] = _q(max((Fraction(claim) - Fraction(1, 2)) * 2 / dual - 1, Fraction(0)))
    return out


def fuzz_tsirelson_dual_continuum(rng: np.random.Generator, space: str = "any") -> Case:
    from bounds.errors import SolverError
    from bounds.quantum_continuum import continuum_dual

    game = random_game(rng, space)
    n = int(rng.integers(12, 21))
    disc = discretisation(game, n)
    try:
        cd = continuum_dual(disc, result=_tsirelson(disc))
    except SolverError as exc:  # tau > 1 on a coarse grid: lemma Q6 gives nothing useful
        raise Skip(f"producer: {exc}") from exc
    cert = cd.certificate
    lo, hi = orc.continuum_quantum_bracket(game, (n,))  # the N-bin value is a continuum lower bound
    case = Case("tsirelson-dual-continuum", space, {"game": game, "bins": n})
    _upper_forgeries(case, cert, lo, hi, rng, 1e-10, _scaled_dual)
    _upper_forgeries(case, cert, lo, hi, rng, 1e-10, _lower_tau, n_forged=1)
    claim = Fraction(cert["bound"]) + Fraction(1, 10**12)
    case.checks.append(Check("genuine", _with_bound(cert, claim), "upper", float(claim), (lo, hi), "accept"))
    return case


def fuzz_quantum_vectors(rng: np.random.Generator, space: str = "any") -> Case:
    from bounds.certificates import vectors_certificate

    game = random_game(rng, space)
    n = int(rng.integers(1, 9))
    disc = discretisation(game, n)
    if rng.random() < 0.4:
        res = _tsirelson(disc)
        u, v = np.asarray(res.strategy.u), np.asarray(res.strategy.v)
    else:
        d = int(rng.integers(1, min(4, 2 * n) + 1))  # the checker reads vectors of dimension at most 2N
        u, v = rng.normal(size=(n, d)), rng.normal(size=(n, d))
    continuum = bool(rng.random() < 0.4)
    cert = vectors_certificate(disc, u, v, continuum=continuum)
    uf = np.array([[float(Fraction(t)) for t in row] for row in cert["u"]])
    vf = np.array([[float(Fraction(t)) for t in row] for row in cert["v"]])
    value = orc.vectors_value(orc.cell_matrix(game, n), uf, vf)
    case = Case("quantum-vectors", space, {"game": game, "N": None if continuum else n, "bins": n, "dim": uf.shape[1]})
    _lower_checks(case, cert, value, _cell_err(n) + 1e-14, rng, 1e-10)
    return case


# --------------------------------------------------------------------------- Werner kinds
def _random_observables(rng: np.random.Generator, n: int, style: str) -> tuple[np.ndarray, np.ndarray]:
    if style == "bunch":
        return np.ones(n), np.zeros((n, 3))
    if style == "deterministic":
        return rng.choice([1.0, -1.0], n), np.zeros((n, 3))
    s = rng.uniform(-1, 1, n) * (rng.random(n) < 0.5)
    r = rng.normal(size=(n, 3))
    r /= np.linalg.norm(r, axis=1)[:, None]
    r *= (1 - np.abs(s))[:, None] * rng.uniform(0.5, 1.0, n)[:, None]
    return s, r


def fuzz_werner_strategy(rng: np.random.Generator, space: str = "closed") -> Case:
    from bounds.noise import WernerStrategy, werner_certificate

    game = random_game(rng, space)
    n = int(rng.integers(1, 9))
    v = Fraction(int(rng.integers(0, 101)), 100)
    style_a = ("bunch", "deterministic", "general")[int(rng.integers(3))]
    style_b = style_a if rng.random() < 0.5 else ("bunch", "deterministic", "general")[int(rng.integers(3))]
    sa, ra = _random_observables(rng, n, style_a)
    sb, rb = _random_observables(rng, n, style_b)
    disc = discretisation(game, n)
    continuum = bool(rng.random() < 0.3)
    cert = werner_certificate(disc, WernerStrategy(sa, ra, sb, rb), v, continuum=continuum)
    d = cert["denominator"]
    arr = lambda p, k: np.asarray(cert[p][k], dtype=float) / d  # noqa: E731
    value = orc.werner_value(orc.cell_matrix(game, n), arr("a", "s"), arr("a", "r"), arr("b", "s"), arr("b", "r"), float(v))
    case = Case("werner-strategy", space, {"game": game, "N": None if continuum else n, "bins": n, "v": _q(v), "a": cert["a"], "b": cert["b"], "denominator": d})
    err = _cell_err(n) + 1e-14
    _lower_checks(case, cert, value, err, rng, 1e-10)
    # the forger also moves the visibility (the target records it): the truth is the strategy's value at the new v
    v2 = Fraction(int(rng.integers(0, 101)), 100)
    value2 = orc.werner_value(orc.cell_matrix(game, n), arr("a", "s"), arr("a", "r"), arr("b", "s"), arr("b", "r"), float(v2))
    e = _eps(rng, 1e-10)
    forged = _with_bound(cert, value2 + err + e)
    forged["v"] = _q(v2)
    case.checks.append(Check(f"forged +{e:.3g} at v = {v2}", forged, "lower", value2 + err + e, (value2 - err, value2 + err), "reject"))
    return case


def _rank3_value(m: np.ndarray, rng: np.random.Generator) -> float:
    """Value of the best 3-dimensional unit vectors found by alternating best responses (a qubit strategy)."""
    n = m.shape[0]
    best = -math.inf
    for _ in range(4):
        v = rng.normal(size=(n, 3))
        v /= np.linalg.norm(v, axis=1)[:, None]
        for _ in range(300):
            u = m @ v
            u /= np.maximum(np.linalg.norm(u, axis=1), 1e-300)[:, None]
            v = m.T @ u
            v /= np.maximum(np.linalg.norm(v, axis=1), 1e-300)[:, None]
        best = max(best, orc.vectors_value(m, u, v))
    return best


def fuzz_werner_mixture(rng: np.random.Generator, space: str = "any") -> Case:
    from bounds.certificates import dual_certificate
    from bounds.classical_exact import exact_classical
    from bounds.noise import mixture_certificate

    game = random_game(rng, space)
    n = int(rng.integers(2, 9))
    if not orc.crossed_mask(game, n).any():
        raise Skip("no crossed cell")
    v = Fraction(int(rng.integers(0, 101)), 100)
    mode = "elementary" if rng.random() < 0.5 else "local-model"
    continuum = bool(rng.random() < 0.4)
    disc = discretisation(game, n)
    res = _tsirelson(disc)
    try:
        cup = exact_classical(game, n).certificates["upper"]
    except Exception as exc:  # noqa: BLE001
        raise Skip(f"producer: {exc}") from exc
    if continuum:
        slack = Fraction(_mean_slack(game, n)) + Fraction(1, 10**12)
        cup = {**cup, "kind": "classical-bnb-relaxed", "N": None, "bound": _q(Fraction(cup["bound"]) + slack / 2)}
        qup = dual_certificate(disc, res.x, res.y, continuum=True, relaxation="mean", slack=slack)
    else:
        qup = dual_certificate(disc, res.x, res.y)
    cert = mixture_certificate(v, cup, qup, mode=mode, local_visibility=LOCAL_VISIBILITY, game=game)
    m = orc.cell_matrix(game, n)
    pc, _, _ = orc.classical_optimum(m)
    p3 = _rank3_value(m, rng)

    def werner_lower(vis: Fraction) -> float:
        # classical strategies, and the best qubit strategy on the Werner state (correlations scaled by v)
        lo = max(pc, 0.5 + float(vis) * (p3 - 0.5)) - _cell_err(n)
        return max(lo, _continuum_classical_lower(game, n)) if continuum else lo

    lo = werner_lower(v)
    case = Case("werner-mixture", space, {"game": game, "N": None if continuum else n, "bins": n, "v": _q(v), "mode": mode})
    _upper_forgeries(case, cert, lo, 1.0, rng, 1e-10)
    # the forger also moves the visibility and the mode (the target records v): the truth is the value at the new v
    v2 = Fraction(int(rng.integers(0, 101)), 100)
    lo2 = werner_lower(v2)
    e = _eps(rng, 1e-10)
    forged = _with_bound(cert, lo2 - e)
    forged["v"], forged["mode"] = _q(v2), ("local-model" if mode == "elementary" else "elementary")
    case.checks.append(Check(f"forged -{e:.3g} at v = {v2}, mode {forged['mode']}", forged, "upper", lo2 - e, (lo2, 1.0), "reject"))
    claim = float(Fraction(cert["bound"]))
    case.checks.append(Check("genuine (as produced)", copy.deepcopy(cert), "upper", claim, (lo, 1.0), "accept"))
    return case


# --------------------------------------------------------------------------- system kinds
SYSTEM_LAWS: tuple[tuple[str, str | None], ...] = tuple(x for x in LAW_CATALOGUE if x[0] != "lomax") + (("lomax", "3"),)


def random_system(rng: np.random.Generator, *, exponential_only: bool = False) -> tuple[Any, orc.System, dict[str, Any]]:
    """A random operating point: ``(bounds OperatingPoint, oracle System, description)``; ``W_limit`` between always split and always bunch."""
    from analytic.laws.catalogue import parse_law
    from analytic.laws.service import ServiceLaw
    from bounds.system_point import operating_point

    lam = Fraction(int(rng.integers(10, 86)), 100)
    if exponential_only or rng.random() < 0.35:
        mu = Fraction(1) if exponential_only else Fraction(int(rng.integers(8, 16)), 10)
        while lam / mu >= Fraction(9, 10):
            lam = Fraction(int(rng.integers(10, 86)), 100)
        law = orc.Law("exponential", None, mu)
        slaw = ServiceLaw.exponential(float(mu))
        spec = None
    else:
        name, param = SYSTEM_LAWS[int(rng.integers(len(SYSTEM_LAWS)))]
        law = orc.Law(name, None if param is None else Fraction(param))
        spec = name + (f":{float(Fraction(param)):g}" if param is not None else "")
        slaw = ServiceLaw.named(parse_law(spec))
    base = orc.System(float(lam), law, 0.0)
    frac = float(rng.uniform(0.05, 0.95))
    W = Fraction(base.W0 + frac * base.mean_cost).limit_denominator(10**6)
    sys = orc.System(float(lam), law, float(W))
    pt = operating_point(float(lam), float(W), law=slaw)
    return pt, sys, {"lam": _q(lam), "law": spec or f"exponential(mu={_q(law.mu or 1)})", "W_limit": _q(W), "f": round(frac, 4)}


def _oracle_system(cert_game: dict[str, Any]) -> orc.System:
    """The oracle system of a certificate's (exact) game object."""
    name = cert_game["law"]
    if name == "exponential":
        law = orc.Law("exponential", None, Fraction(cert_game["mu"]))
    else:
        law = orc.Law(name, Fraction(cert_game["param"]) if "param" in cert_game else None)
    return orc.System(float(Fraction(cert_game["lam"])), law, float(Fraction(cert_game["W_limit"])))


def _solution_upper(pt: Any, model: str, visibility: float = 1.0, sol: Any = None) -> float:
    """Upper bound on the optimal ``p_split`` of a class: the solver's strategy, evaluated by the oracle (diluted to feasibility)."""
    from bounds.system import solve_class
    from bounds.system_certificates import strategy_certificate

    if sol is None:
        sol = solve_class(pt, model, visibility=visibility)
    sc = strategy_certificate(pt, sol)
    vis = float(Fraction(sc.get("visibility", "1")))
    return orc.feasible_split_upper(_oracle_system(sc["game"]), sc["components"], vis)


SYS_ERR = 1e-8  #: budget of the oracle's quadrature on a p_split or W_q


def fuzz_system_dual(rng: np.random.Generator, space: str = "classical") -> Case:
    """Lower bounds on ``p_split``; ``space`` is ``classical``, ``quantum`` or ``quantum-visibility`` (the forger sets v < 1)."""
    from bounds.system import solve_class
    from bounds.system_certificates import dual_certificate

    pt, _, info = random_system(rng)
    model = "classical" if space == "classical" else "quantum"
    try:
        sol = solve_class(pt, model)
        cert = dual_certificate(pt, model, sol.nu)
        upper = _solution_upper(pt, model, sol=sol)
    except Exception as exc:  # noqa: BLE001
        raise Skip(f"producer: {exc}") from exc
    case = Case("system-dual", space, {**info, "model": model})
    truth = (0.0, upper + SYS_ERR)
    if space == "quantum-visibility":
        v = Fraction(int(rng.integers(50, 100)), 100)
        try:
            # truth for Werner routers of visibility v (if the checker's target records v): at most the classical optimum
            # and at most the v-scaled quantum strategy; both also exceed the noiseless quantum optimum
            up_w = min(_solution_upper(pt, "classical"), _solution_upper(pt, "quantum", float(v)))
        except Exception as exc:  # noqa: BLE001
            raise Skip(f"producer: {exc}") from exc
        case.instance["visibility"] = _q(v)
        truth = (0.0, max(upper, up_w) + SYS_ERR)
        for _ in range(3):
            e = _eps(rng, 1e-7)
            claim = truth[1] + e
            forged = _with_bound(cert, claim)
            forged["visibility"] = _q(v)
            case.checks.append(Check(f"forged +{e:.3g} at visibility {v}", forged, "lower", claim, truth, "reject"))
    else:
        for _ in range(3):
            e = _eps(rng, 1e-7)
            claim = truth[1] + e
            case.checks.append(Check(f"forged +{e:.3g}", _with_bound(cert, claim), "lower", claim, truth, "reject"))
    # the producer's dual leaves ~1e-10 (exponential law) or ~1e-7 (other laws: float quadrature margins) below the optimum
    claim = upper - SYS_ERR - (1e-6 if pt.law.is_exponential else 1e-5)
    case.checks.append(Check("genuine", _with_bound(cert, claim), "lower", claim, truth, "accept"))
    return case


def fuzz_system_strategy(rng: np.random.Generator, space: str = "classical") -> Case:
    """An explicit random mixture of router pairs; the truth is its own ``p_split`` (and ``W_q``)."""
    from bounds.system import ClassSolution
    from bounds.system_certificates import strategy_certificate
    from bounds.system_routers import MixedStrategy, PlanarRouter, RouterPair, ThresholdRouter

    pt_base, sys0, info = random_system(rng)
    law = sys0.law
    k = int(rng.integers(1, 4))
    vis = 1.0 if space == "classical" else float(Fraction(int(rng.integers(50, 101)), 100))
    comps, weights = [], rng.dirichlet(np.ones(k))
    for w in weights:
        a: ThresholdRouter | PlanarRouter
        b: ThresholdRouter | PlanarRouter
        if space == "classical":
            a = ThresholdRouter(float(law.ppf(rng.uniform(0.02, 0.98))), int(rng.choice([1, -1])))
            b = ThresholdRouter(float(law.ppf(rng.uniform(0.02, 0.98))), int(rng.choice([1, -1])))
        else:
            a = PlanarRouter(tuple(rng.normal(size=2).round(3)), tuple(rng.normal(size=2).round(3)))
            b = PlanarRouter(tuple(rng.normal(size=2).round(3)), tuple(rng.normal(size=2).round(3)))
        comps.append((float(w), RouterPair(a, b, vis)))
    strat = MixedStrategy(tuple(comps))
    # place W_limit just above the strategy's waiting time (solver-side estimate; the truth is recomputed below)
    from bounds.system_point import operating_point

    try:
        pt0 = operating_point(pt_base.lam, pt_base.W_split + pt_base.mean_cost, law=pt_base.law)
        _, wq_est = strat.bunch_and_cost(pt0)
        W = Fraction(pt0.W_split + wq_est + float(10 ** rng.uniform(-5, -2))).limit_denominator(10**9)
        pt = operating_point(pt0.lam, float(W), law=pt0.law)
        sol = ClassSolution(space if space == "classical" else "quantum", 0.0, 0.0, 0.0, strat, float(W), 0)
        cert = strategy_certificate(pt, sol)
    except Exception as exc:  # noqa: BLE001
        raise Skip(f"producer: {exc}") from exc
    osys = _oracle_system(cert["game"])
    cvis = float(Fraction(cert.get("visibility", "1")))
    p, wq = orc.mixture_split_and_wait(osys, cert["components"], cvis)
    case = Case("system-strategy", space, {**info, "W_limit": cert["game"]["W_limit"], "components": cert["components"], "visibility": cert.get("visibility")})
    truth = (p - SYS_ERR, p + SYS_ERR)
    if wq > osys.W_limit - SYS_ERR:
        raise Skip("strategy too close to its limit for the oracle")
    for _ in range(3):
        e = _eps(rng, 1e-7)
        claim = p - SYS_ERR - e
        case.checks.append(Check(f"forged -{e:.3g}", _with_bound(cert, claim), "upper", claim, truth, "reject"))
    # the forger tightens the limit below the strategy's W_q
    e = _eps(rng, 1e-7)
    forged = _with_bound(cert, p + 1e-6)
    forged["game"] = {**cert["game"], "W_limit": _q(Fraction(wq - SYS_ERR - e).limit_denominator(10**12))}
    case.checks.append(Check(f"forged W_limit -{e:.3g}", forged, "upper", p + 1e-6, truth, "reject", infeasible=True))
    claim = p + SYS_ERR + 1e-7
    case.checks.append(Check("genuine", _with_bound(cert, claim), "upper", claim, truth, "accept"))
    return case


def fuzz_werner_system_dual(rng: np.random.Generator, space: str = "any") -> Case:
    from bounds.noise_system import noisy_system, supply_strategy_certificate, werner_system_dual_certificate

    pt, _, info = random_system(rng, exponential_only=True)
    v = float(Fraction(int(rng.integers(60, 101)), 100))
    f = float(Fraction(int(rng.integers(0, 11)), 10))
    mode = "elementary" if rng.random() < 0.5 else "local-model"
    try:
        ns = noisy_system(pt.lam, pt.W_limit, nus=np.geomspace(0.05, 50, 16))
        cert = werner_system_dual_certificate(ns, v, f, mode=mode)
        sc = supply_strategy_certificate(ns, v, f)
        up = min(_solution_upper(pt, "classical"),
                 orc.feasible_split_upper(_oracle_system(sc["game"]), sc["components"], float(Fraction(sc.get("visibility", "1")))))
    except Exception as exc:  # noqa: BLE001
        raise Skip(f"producer: {exc}") from exc
    case = Case("werner-system-dual", space, {**info, "v": v, "f": f, "mode": mode})
    truth = (0.0, up + SYS_ERR)
    for _ in range(3):
        e = _eps(rng, 1e-7)
        claim = truth[1] + e
        case.checks.append(Check(f"forged +{e:.3g}", _with_bound(cert, claim), "lower", claim, truth, "reject"))
    claim = float(Fraction(cert["bound"]))
    case.checks.append(Check("genuine (as produced)", copy.deepcopy(cert), "lower", claim, truth, "accept"))
    return case


# --------------------------------------------------------------------------- finite XOR games (xor-* kinds)
def random_xor_bias(rng: np.random.Generator, space: str) -> list[list[Fraction]]:
    """A random exact bias matrix: ``"small"`` up to 5 x 5, ``"schur"`` with rows + cols > 24 (the verified-Cholesky route),
    ``"enclosure"`` up to 5 x 5 with a common denominator above ``2^52`` (not a power of two: lemma X1b does not apply, the
    dual is tested through lemma Q2's enclosure of ``M``), ``"dyadic"`` up to 9 x 9 over ``L = 2^56`` (lemma X1b with ``s = 1``,
    ``B = M / 2``, as the paper's discretised games; from 8 x 8 on lemma X1a's numpy form); ``"schur-enclosure"`` both
    (the sides of ``"schur"``, the denominator of ``"enclosure"``: numerators of about 56 bits, several limbs in lemma X2's
    limb trace); ``"float-input"`` up to 7 x 7 read from toqito-style float probabilities (common denominators of ``10^17``
    and more: lemma X4b's rounded search)."""
    if space == "float-input":  # toqito's usual input, prob / prob.sum() in floats (lemma X4b: common denominators of 10^17 and more)
        rows, cols = int(rng.integers(1, 8)), int(rng.integers(1, 8))
        prob = rng.random((rows, cols)) * (rng.random((rows, cols)) < 0.85)
        prob[0, 0] += 0.01
        prob = prob / prob.sum()
        from games.xor import XorMatrixGame

        return [list(r) for r in XorMatrixGame.from_toqito(prob, rng.integers(0, 2, (rows, cols))).bias]
    if space.startswith("schur"):
        rows, cols = int(rng.integers(13, 22)), int(rng.integers(13, 22))
    elif space == "dyadic":
        rows, cols = int(rng.integers(1, 10)), int(rng.integers(1, 10))
    else:
        rows, cols = int(rng.integers(1, 6)), int(rng.integers(1, 6))
    ints = rng.integers(-9, 10, (rows, cols))
    if not ints.any():
        ints[0, 0] = 1
    if space.endswith("enclosure"):  # numerators v (2^52 + 1) - sign(v) over L = sum |v| (2^52 + 1): lowest terms keep L above 2^52
        big = 2**52 + 1
        den = int(np.abs(ints).sum()) * big
        return [[Fraction(int(v) * big - int(np.sign(v)), den) for v in row] for row in ints]
    if space == "dyadic":  # N = sign(v) floor(|v| (2^53 - 1) / sum |v|): every |N| < 2^53 and sum |M| < 1/8 (a game whose referee
        # draws the predicate at random on most questions); one odd entry keeps L = 2^56 in lowest terms
        tot, den = int(np.abs(ints).sum()), 2**56
        n = [[int(np.sign(v)) * (abs(int(v)) * (2**53 - 1) // tot) for v in row] for row in ints]
        i, j = np.argwhere(ints != 0)[0]
        if n[i][j] % 2 == 0:
            n[i][j] -= int(np.sign(n[i][j]))
        return [[Fraction(v, den) for v in row] for row in n]
    den = int(np.abs(ints).sum()) * int(rng.choice([1, 3, 7]))
    m = [[Fraction(int(v) * (den // int(np.abs(ints).sum())), den) for v in row] for row in ints]
    return m


def _xor_game(m: list[list[Fraction]]) -> Any:
    from games.xor import XorMatrixGame

    return XorMatrixGame.from_bias([[_q(q) for q in row] for row in m])


def _xor_instance(rng: np.random.Generator, space: str) -> tuple[Any, np.ndarray]:
    """A random XOR game of the sub-space: the game object and its bias matrix rounded to floats (for the oracles)."""
    m = random_xor_bias(rng, space)
    return _xor_game(m), np.array([[float(q) for q in row] for row in m])


def _scaled_xor_dual(cert: dict[str, Any], claim: float) -> dict[str, Any]:
    out = _with_bound(cert, claim)
    k = len(cert["x"]) + len(cert["y"])
    drop = (Fraction(cert["bound"]) - Fraction(claim)) * 2 / k
    out["x"] = [_q(Fraction(t) - drop) for t in cert["x"]]
    out["y"] = [_q(Fraction(t) - drop) for t in cert["y"]]
    return out


#: header values of a side that only look like one (str.isdigit passes "²", "①" and "٢"), or are no canonical count
HOSTILE_SIDES = ("\u00b2", "\u2460", "\u0662", "02", "0", "-2", "+2", " 2", "2.0", "1e1", "")


def _hostile_header(case: Case, cert: dict[str, Any], side: str, truth: tuple[float, float], rng: np.random.Generator) -> None:
    """A false claim under a game header whose ``rows`` or ``cols`` only looks like a count: must be refused, never crash."""
    claim = truth[0] - 1e-3 if side == "upper" else truth[1] + 1e-3
    forged = _with_bound(cert, claim)
    forged["game"] = {**cert["game"], str(rng.choice(["rows", "cols"])): str(rng.choice(HOSTILE_SIDES))}
    case.checks.append(Check("hostile-header", forged, side, claim, truth, "reject"))


def fuzz_xor_quantum_dual(rng: np.random.Generator, space: str = "small") -> Case:
    from bounds.xor import solve_quantum, xor_dual_certificate

    g, mf = _xor_instance(rng, space)
    model = "classical" if space == "small" and rng.random() < 0.4 else "quantum"
    sol = solve_quantum(g)
    cert = xor_dual_certificate(g, sol.x, sol.y, model)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        lo, hi = orc.xor_quantum_bracket(mf)
    if model == "classical":
        lo = hi = orc.xor_classical_value(mf)
    lo, hi = lo - 1e-12, hi + 1e-12
    case = Case("xor-quantum-dual", space, {"shape": list(mf.shape), "model": model})
    _upper_forgeries(case, cert, lo, hi, rng, 1e-10 if model == "quantum" else 1e-6, _scaled_xor_dual)
    claim = float(Fraction(cert["bound"])) + 1e-12
    case.checks.append(Check("genuine", _with_bound(cert, claim), "upper", claim, (lo, hi), "accept"))
    _hostile_header(case, cert, "upper", (lo, hi), rng)
    return case


def fuzz_xor_quantum_vectors(rng: np.random.Generator, space: str = "small") -> Case:
    from bounds.xor import VECTOR_BITS, solve_quantum, xor_vectors_certificate

    g, mf = _xor_instance(rng, space)
    sol = solve_quantum(g)
    if rng.random() < 0.5:  # a random (poor) strategy as well as the optimal one
        sol_u = rng.standard_normal(sol.u.shape)
        sol_v = rng.standard_normal(sol.v.shape)
        u, v = sol_u / np.linalg.norm(sol_u, axis=1)[:, None], sol_v / np.linalg.norm(sol_v, axis=1)[:, None]
    else:
        u, v = sol.u, sol.v
    cert = xor_vectors_certificate(g, u, v)
    den = 2.0**VECTOR_BITS
    uu = np.array([[int(t.split("/")[0]) / den for t in row] for row in cert["u"]])
    vv = np.array([[int(t.split("/")[0]) / den for t in row] for row in cert["v"]])
    value = orc.vectors_value(mf, uu, vv)
    case = Case("xor-quantum-vectors", space, {"shape": list(mf.shape)})
    _lower_checks(case, cert, value, 1e-12, rng, 1e-10)
    _hostile_header(case, cert, "lower", (value - 1e-12, value + 1e-12), rng)
    return case


def fuzz_xor_classical(rng: np.random.Generator, space: str = "small") -> Case:
    from bounds.xor import xor_classical_certificate

    g, mf = _xor_instance(rng, space)
    value = orc.xor_classical_value(mf)
    case = Case("xor-classical", space, {"shape": list(mf.shape)})
    if rng.random() < 0.5:
        a = [int(s) for s in rng.choice([1, -1], g.rows)]
        b = [int(s) for s in rng.choice([1, -1], g.cols)]
        sv = 0.5 + 0.5 * float(np.asarray(a, float) @ mf @ np.asarray(b, float))
        cert = xor_classical_certificate(g, "lower", Fraction(1, 2), a, b)
        _lower_checks(case, cert, sv, 1e-12, rng, 1e-10)
    else:
        cert = xor_classical_certificate(g, "upper", Fraction(1))
        _upper_forgeries(case, cert, value - 1e-12, value + 1e-12, rng, 1e-10)
        claim = value + 1e-9
        case.checks.append(Check("genuine", _with_bound(cert, claim), "upper", claim, (value - 1e-12, value + 1e-12), "accept"))
    _hostile_header(case, cert, cert["side"], (value - 1e-12, value + 1e-12) if cert["side"] == "upper" else (sv - 1e-12, sv + 1e-12), rng)
    return case


def _rounded_forgery(cert: dict[str, Any], claim: float) -> dict[str, Any]:
    """A forger's consistent edit: the nested certificate's claim lowered by as much as the outer one (no rounding margin left)."""
    out = _with_bound(cert, claim)
    drop = Fraction(cert["bound"]) - Fraction(_q(claim))
    out["rounded"] = _with_bound(cert["rounded"], Fraction(cert["rounded"]["bound"]) - drop)
    return out


def fuzz_xor_classical_rounded(rng: np.random.Generator, space: str = "float-input") -> Case:
    """Lemma X7: a toqito-style float game, its rounding to 2^-52 (or, in ``"coarse"``, to 2^-8: a distance the claim must
    carry), the nested branch-and-bound certificate (in ``"stopped"``, of a search stopped after 0-8 nodes, with its
    frontier), and claims below the true classical value of the unrounded game."""
    from bounds.xor_bnb import rounded_game, solve_classical_bnb, xor_bnb_certificate, xor_rounded_certificate
    from games.xor import XorMatrixGame

    if space == "stopped":  # a float game of 6-12 rows whose rounded search stops after 0-8 nodes: the nested certificate is its frontier
        rows, cols = int(rng.integers(6, 13)), int(rng.integers(4, 11))
        prob = rng.random((rows, cols))
        g = XorMatrixGame.from_toqito(prob / prob.sum(), rng.integers(0, 2, (rows, cols)))
        mf = np.array([[float(q) for q in row] for row in g.bias])
    else:
        g, mf = _xor_instance(rng, "float-input")
    if space == "coarse":
        r = XorMatrixGame(tuple(tuple(Fraction(math.trunc(q * 256), 256) for q in row) for row in g.bias))
    else:
        r = rounded_game(g)
    if space == "stopped":
        res = solve_classical_bnb(r, enum_limit=int(rng.integers(0, 3)), node_limit=int(rng.integers(0, 9)), node_bound=str(rng.choice(["diagonal", "cuts"])))
        if res.upper is None:
            raise Skip("a frontier dual failed its PSD test")
    else:
        res = solve_classical_bnb(r)
    cert = xor_rounded_certificate(g, r, xor_bnb_certificate(r, res))
    value = orc.xor_classical_value(mf)
    case = Case("xor-classical-rounded", space, {"shape": list(mf.shape)})
    _upper_forgeries(case, cert, value - 1e-12, value + 1e-12, rng, 1e-10, _rounded_forgery)
    claim = float(Fraction(cert["bound"])) + 1e-12
    case.checks.append(Check("genuine", _with_bound(cert, claim), "upper", claim, (value - 1e-12, value + 1e-12), "accept"))
    _hostile_header(case, cert, "upper", (value - 1e-12, value + 1e-12), rng)
    return case


def _lowered_bnb_duals(cert: dict[str, Any], claim: float) -> dict[str, Any]:
    """A forger's consistent edit: every dual leaf's ``y`` (lemma X5) and every cut leaf's diagonal ``d`` (lemma X6) lowered so
    that the leaf's floor bound fits the claim."""
    out = _with_bound(cert, claim)
    den = int(cert["denominator"])
    w = math.floor((Fraction(claim) - Fraction(1, 2)) * 2 * den)
    for lf in out["leaves"]:
        if "y" in lf:
            key, kept = "y", sum(lf["x"])
        elif "cuts" in lf:
            key, kept = "d", sum(c[6] for c in lf["cuts"])
        else:
            continue
        excess = kept + sum(lf[key]) - (w + 1) * 2 ** lf["exponent"] + 1
        if excess > 0:
            per = -(-excess // len(lf[key]))
            lf[key] = [k - per for k in lf[key]]
    return out


def fuzz_xor_classical_bnb(rng: np.random.Generator, space: str = "small") -> Case:
    """``"small"``: a complete search of a game up to 5 x 5.  ``"stopped"``: a game of 6-12 rows whose search stops after
    0-8 nodes (``node_limit``), diagonal or cut bounds: the closed leaves and the open nodes' proved bounds (``frontier``),
    whose genuine claim is what they prove (at or above the true value)."""
    from bounds.xor_bnb import solve_classical_bnb, xor_bnb_certificate

    if space == "stopped":
        ints = rng.integers(-9, 10, (int(rng.integers(6, 13)), int(rng.integers(4, 11))))
        ints[0, 0] = ints[0, 0] or 1
        tot = int(np.abs(ints).sum())
        m = [[Fraction(int(v), tot) for v in row] for row in ints]
        g, mf = _xor_game(m), np.array([[float(q) for q in row] for row in m])
        res = solve_classical_bnb(g, enum_limit=int(rng.integers(0, 3)), seed=int(rng.integers(2**31)), node_limit=int(rng.integers(0, 9)),
                                  node_bound=str(rng.choice(["diagonal", "cuts"])))
        if res.upper is None:
            raise Skip("a frontier dual failed its PSD test")
    else:
        g, mf = _xor_instance(rng, space)
        res = solve_classical_bnb(g, enum_limit=int(rng.integers(0, 3)), seed=int(rng.integers(2**31)))
    value = orc.xor_classical_value(mf)
    cert = xor_bnb_certificate(g, res)
    case = Case("xor-classical-bnb", space, {"shape": list(mf.shape), "leaves": len(cert["leaves"]), "complete": res.complete})
    _upper_forgeries(case, cert, value - 1e-12, value + 1e-12, rng, 1e-10, _lowered_bnb_duals)
    claim = max(value + 1e-9, float(Fraction(cert["bound"])) + 1e-12)
    case.checks.append(Check("genuine", _with_bound(cert, claim), "upper", claim, (value - 1e-12, value + 1e-12), "accept"))
    return case


def _triangles(n: int) -> list[tuple[int, int, int, int, int, int]]:
    """Every triangle inequality ``s1 z_i z_j + s2 z_i z_k + s3 z_j z_k >= -1`` on ``n`` nodes (``s1 s2 s3 = +1``)."""
    return [(i, j, k, s1, s2, s1 * s2) for i, j, k in itertools.combinations(range(n), 3) for s1 in (1, -1) for s2 in (1, -1)]


def _cut_sdp(kp: np.ndarray, tri: list[tuple[int, int, int, int, int, int]]) -> tuple[np.ndarray, np.ndarray] | None:
    """``min sum d + sum mu`` over ``D - Q - sum mu T >= 0``, ``mu >= 0`` (a float estimate; the leaf is rounded and checked after)."""
    import cvxpy as cp

    mr, cols = kp.shape
    n = mr + cols
    qm = np.zeros((n, n))
    qm[:mr, mr:] = kp / 2
    qm += qm.T
    d = cp.Variable(n)
    expr = cp.diag(d) - qm
    cons = []
    if tri:
        tm = np.zeros((n * n, len(tri)))
        for t, (i, j, k, s1, s2, s3) in enumerate(tri):
            for (u, v), sg in (((i, j), s1), ((i, k), s2), ((j, k), s3)):
                tm[u * n + v, t] = tm[v * n + u, t] = sg / 2
        mu = cp.Variable(len(tri))
        expr = expr - cp.reshape(tm @ mu, (n, n), order="C")
        cons.append(mu >= 0)
    x = cp.Variable((n, n), symmetric=True)
    cons += [x == expr, x >> 0]
    prob = cp.Problem(cp.Minimize(cp.sum(d) + (cp.sum(mu) if tri else 0)), cons)
    try:
        prob.solve(solver=cp.CLARABEL)
    except cp.error.SolverError:
        return None
    if d.value is None or (tri and mu.value is None):
        return None
    return np.asarray(d.value), (np.maximum(np.asarray(mu.value), 0.0) if tri else np.zeros(0))


def _cut_leaf_from_sdp(kp: np.ndarray, prefix: str, rng: np.random.Generator) -> dict[str, Any]:
    """A cut leaf (lemma X6) for the folded matrix ``kp``: a float SDP with triangle cuts (the 4 n' heaviest kept), rounded
    to integers over ``2^e`` with a diagonal margin, tested with :func:`proofs.exact.xor_cuts.cut_leaf_check` as a solver would."""
    from proofs.exact.xor_cuts import cut_leaf_check

    mr, cols = kp.shape
    n = mr + cols
    tri = _triangles(n)
    sol = _cut_sdp(kp, tri)
    if sol is not None and len(tri) > 4 * n:
        keep = sorted(np.argsort(-sol[1])[: 4 * n].tolist())
        tri = [tri[t] for t in keep]
        sol = _cut_sdp(kp, tri)
    if sol is None:
        raise Skip("cut SDP failed")
    d, mu = sol
    e = int(rng.integers(20, 40))
    q = [max(0, math.floor(float(t) * 2**e)) for t in mu]
    cuts = [[*t, qt] for t, qt in zip(tri, q)]
    for margin in (1e-7, 1e-5, 1e-3, 1e-1):
        kd = [math.ceil((float(t) + margin) * 2**e) for t in d]
        if cut_leaf_check(kp, kd, cuts, e).ok:
            return {"prefix": prefix, "exponent": e, "d": kd, "cuts": cuts}
    raise Skip("rounded cut leaf not proved PD")


def fuzz_xor_classical_bnb_cuts(rng: np.random.Generator, space: str = "cuts") -> Case:
    """Cut leaves (lemma X6): a random small game, a random order, orientation and depth, each leaf closed by a float
    SDP with triangle cuts rounded to integers, or enumerated; the genuine claim is what the leaves prove (exact floor)."""
    from proofs.exact.certificate import new_certificate
    from proofs.exact.xor_matrix import XorMatrix, integer_form

    m = random_xor_bias(rng, "small")
    mf = np.array([[float(q) for q in row] for row in m])
    value = orc.xor_classical_value(mf)
    ints, den = integer_form(m)
    transposed = bool(rng.random() < 0.5)
    k = np.array(ints, dtype=np.int64).T if transposed else np.array(ints, dtype=np.int64)
    rows = k.shape[0]
    order = [int(t) for t in rng.permutation(rows)]
    ko = k[order]
    depth = int(rng.integers(1, min(rows, 3) + 1))
    leaves: list[dict[str, Any]] = []
    best = None
    for tail in itertools.product("+-", repeat=depth - 1):
        prefix = "+" + "".join(tail)
        signs = np.array([1 if c == "+" else -1 for c in prefix])
        kp = np.vstack([(signs @ ko[:depth])[None, :], ko[depth:]])
        if leaves and rng.random() < 0.25:  # an enumerated leaf beside the cut leaves; its value by plain enumeration
            leaves.append({"prefix": prefix, "enumerate": True})
            w = max(int(np.abs(np.array((1,) + a) @ kp).sum()) for a in itertools.product((1, -1), repeat=kp.shape[0] - 1))
        else:
            lf = _cut_leaf_from_sdp(kp, prefix, rng)
            leaves.append(lf)
            w = (sum(lf["d"]) + sum(c[6] for c in lf["cuts"])) >> lf["exponent"]
        best = w if best is None else max(best, w)
    assert best is not None
    proven = Fraction(1, 2) + Fraction(best, 2 * den)
    cert = new_certificate("xor-classical-bnb", XorMatrix.from_matrix(m), len(m), "upper", proven, denominator=den, bias=ints,
                           transposed=transposed, order=order, leaves=leaves)
    case = Case("xor-classical-bnb", space, {"shape": list(mf.shape), "depth": depth, "leaves": len(leaves)})
    truth = (value - 1e-12, value + 1e-12)
    _upper_forgeries(case, cert, truth[0], truth[1], rng, 1e-10, _lowered_bnb_duals)
    case.checks.append(Check("genuine", cert, "upper", float(proven), truth, "accept"))
    return case


# --------------------------------------------------------------------------- K-party correlator games
def _random_factored(rng: np.random.Generator, many: bool = False) -> Any:
    """A random factored game; with ``many``, also K = 4 and constant-weight terms of three or more players (lemma M2 (iv))."""
    from bounds.multiparty_classical import FactoredPairwise

    K = int(rng.choice([2, 3, 4] if many else [2, 3]))
    N = int(rng.integers(1, {2: 5, 3: 4, 4: 3}[K]))
    raw = rng.integers(1, 5, N)
    p = tuple(Fraction(int(v), int(raw.sum())) for v in raw)
    m = tuple(Fraction(int(v), 3) for v in np.cumsum(rng.integers(1, 4, N)))

    def q() -> Fraction:
        return Fraction(int(rng.integers(-9, 10)), int(rng.integers(1, 8)))

    kern: dict[tuple[int, ...], Any] = {S: ((q(), q()), (q(), q())) for S in itertools.combinations(range(K), 2)}
    if rng.random() < 0.3:
        kern[(int(rng.integers(K)),)] = (q(), q())
    if many and K >= 3 and rng.random() < 0.8:
        kern[tuple(range(K))] = 4 * q()   # the K-body term (for K = 4 the routers' four-body term)
        if K == 4 and rng.random() < 0.3:
            kern[(0, 1, 3)] = q()
    return FactoredPairwise(K, p, m, kern, q())


def fuzz_multiparty_classical(rng: np.random.Generator, space: str = "threshold") -> Case:
    from bounds.multiparty_classical import strategy_certificate, threshold_certificates

    fg = _random_factored(rng, many=True)
    certs = threshold_certificates(fg)
    W, const, K, N = orc.correlator_terms(certs["upper"])
    value = orc.correlator_classical_value(W, const, K, N)
    case = Case(f"multiparty-classical-{space}", space, {"K": K, "N": N})
    if space == "strategy":
        signs = [[int(v) for v in rng.choice([1, -1], N)] for _ in range(K)]
        cert = strategy_certificate(fg.game(), signs)
        sv = const + sum(_tensor_signs(w, S, signs) for S, w in W.items())
        _lower_checks(case, cert, sv, 1e-12, rng, 1e-10)
    else:
        _upper_forgeries(case, certs["upper"], value - 1e-12, value + 1e-12, rng, 1e-10)
        claim = value + 1e-9
        case.checks.append(Check("genuine", _with_bound(certs["upper"], claim), "upper", claim, (value - 1e-12, value + 1e-12), "accept"))
    return case


def _tensor_signs(w: Any, S: tuple[int, ...], signs: list[list[int]]) -> float:
    t = w
    for i in reversed(S):
        t = t @ np.array(signs[i], dtype=float)
    return float(t)


def fuzz_multiparty_quantum(rng: np.random.Generator, space: str = "small") -> Case:
    from bounds.multiparty_quantum import bell_network, bell_pair, ghz, optimise, quantum_certificate

    fg = _random_factored(rng)
    g = fg.game()
    makers = [ghz, bell_network, bell_pair]
    res = makers[int(rng.integers(3))](g.K)
    strat = optimise(g, res, restarts=1, rounds=int(rng.integers(0, 20)), seed=int(rng.integers(2**31)))
    cert, _ = quantum_certificate(g, strat)
    value = orc.correlator_strategy_value(cert)
    case = Case("multiparty-quantum-strategy", space, {"K": g.K, "N": g.N, "resource": res.name})
    _lower_checks(case, cert, value, 1e-9, rng, 1e-7)
    return case


# --------------------------------------------------------------------------- K-party correlator games (npa-multiparty-dual)
def random_correlator(rng: np.random.Generator, level: str) -> Any:
    """A random exact correlator game: K in {2, 3} (3 or 4 at the deepest level, N = 1 for K = 4), N in {1, 2, 3}, pair terms,
    sometimes one-body and (level 1+ab and deeper) three-body and four-body terms."""
    from games.multiparty import CorrelatorGame

    deep = level == "1+ab+abc+abcd"
    K, N = int(rng.integers(3 if deep else 2, 5 if deep else 4)), int(rng.integers(1, 4 if level == "1" else 3))
    if deep and K == 4:
        N = 1  # side 16 (N = 2 gives 81: a minute per case for the primal oracle)
    den = int(rng.choice([4, 9, 12, 35])) * N * N
    terms: dict[tuple[int, ...], list[Fraction]] = {}
    sets = [S for r in (1, 2, 3, 4) for S in itertools.combinations(range(K), r) if r == 2 or rng.random() < 0.3]
    sets = [S for S in sets if len(S) < 3 or level != "1"] or [(0, 1)]
    for S in sets:
        terms[S] = [Fraction(int(v), den) for v in rng.integers(-6, 7, N ** len(S))]
    const = Fraction(int(rng.integers(-3, 4)), 4)
    arrays = {S: np.array([float(q) for q in w]).reshape((N,) * len(S)) for S, w in terms.items()}
    return CorrelatorGame(K, N, arrays, constant=float(const), quantity="value", exact_terms={S: tuple(w) for S, w in terms.items()},
                          exact_constant=const)


def random_symmetric_correlator(rng: np.random.Generator) -> Any:
    """A random exact party-symmetric three-player game (N in {1, 2, 3}): one symmetric pair matrix on every pair,
    sometimes the same one-body weights on every player and a symmetric three-body tensor (which switch off the Z_2 split)."""
    from games.multiparty import CorrelatorGame

    N = int(rng.integers(1, 4))
    den = int(rng.choice([4, 9, 12, 35])) * N * N
    raw = rng.integers(-6, 7, (N, N))
    pair = [Fraction(int(raw[min(x, y), max(x, y)]), den) for x in range(N) for y in range(N)]
    terms: dict[tuple[int, ...], list[Fraction]] = {S: list(pair) for S in itertools.combinations(range(3), 2)}
    if rng.random() < 0.3:
        one = [Fraction(int(v), den) for v in rng.integers(-6, 7, N)]
        terms.update({(p,): list(one) for p in range(3)})
    if rng.random() < 0.3:
        r3 = rng.integers(-6, 7, (N, N, N))
        terms[(0, 1, 2)] = [Fraction(int(r3[tuple(sorted(x))]), den) for x in itertools.product(range(N), repeat=3)]
    const = Fraction(int(rng.integers(-3, 4)), 4)
    arrays = {S: np.array([float(q) for q in w]).reshape((N,) * len(S)) for S, w in terms.items()}
    return CorrelatorGame(3, N, arrays, constant=float(const), quantity="value", exact_terms={S: tuple(w) for S, w in terms.items()},
                          exact_constant=const)


def _lowered_diagonal(cert: dict[str, Any], claim: float) -> dict[str, Any]:
    """A forger's consistent dual: the diagonal lowered evenly so that tr Z drops by the claimed amount."""
    out = _with_bound(cert, claim)
    dual = list(cert["dual"])
    n = int((math.isqrt(8 * len(dual) + 1) - 1) // 2)
    drop = math.ceil((Fraction(cert["bound"]) - Fraction(claim)) * 2 ** cert["dual_exponent"] / n)
    pos = 0
    for i in range(n):
        dual[pos] -= drop
        pos += n - i
    out["dual"] = dual
    return out


def fuzz_npa_multiparty(rng: np.random.Generator, space: str = "1") -> Case:
    from bounds.npa_multiparty import npa_multiparty

    symmetric = space == "1+ab-symmetric"  # the S_3 (x Z_2) reduced producer, SCS as by default
    level = "1+ab" if symmetric else space
    g = random_symmetric_correlator(rng) if symmetric else random_correlator(rng, level)
    arrays = {S: np.asarray(W) for S, W in g.terms.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            cert = npa_multiparty(g, level=level, solver="scs" if symmetric else "clarabel", symmetric=symmetric).certificate
            value = orc.npa_primal_value(g.K, g.N, arrays, g.constant, level)
        except Exception as exc:  # noqa: BLE001
            raise Skip(f"producer or oracle: {exc}") from exc
    lo, hi = value - 1e-6, value + 1e-6
    case = Case("npa-multiparty-dual", space, {"K": g.K, "N": g.N, "terms": [list(S) for S in g.terms]})
    _upper_forgeries(case, cert, lo, hi, rng, 1e-5, _lowered_diagonal)
    claim = float(Fraction(cert["bound"])) + 1e-12
    case.checks.append(Check("genuine", _with_bound(cert, claim), "upper", claim, (lo, hi), "accept"))
    return case


# --------------------------------------------------------------------------- K routers
def _random_routers(rng: np.random.Generator, ks: tuple[int, ...] = (2, 3)) -> tuple[Any, float]:
    from analytic.laws.service import ServiceLaw
    from bounds.routers import classical_min_wait
    from games.routers import RouterModel

    K = int(rng.choice(list(ks)))
    rho = float(Fraction(int(rng.integers(30, 81)), 100))
    m = RouterModel(K, round(2 * rho / K, 12), ServiceLaw.exponential(1.0))
    lo = classical_min_wait(m)
    return m, float(Fraction(lo + float(rng.uniform(0.1, 0.9)) * (m.W_bunch - lo)).limit_denominator(10**6))


def _routers_oracle(K: int, lam: Fraction, comps: list[dict[str, Any]]) -> tuple[float, float]:
    """``(p_split, W_q)`` of a threshold or bin-sign mixture by quadrature (scipy) and the formulas of lemma R2, independent of the checker."""
    from scipy import integrate

    lam_f = float(lam)
    rho = K * lam_f / 2
    kappa = lam_f / (2 * (1 - rho))
    W0 = K * lam_f * 2 / (4 * (1 - rho))
    mc = kappa + 1 / K
    same = wq = 0.0
    for c in comps:
        w = float(Fraction(c["weight"]))
        U = []
        if "signs" in c:   # bin-constant signs on N equiprobable bins: E[o] = mean, E[X o] = sum_k s_k E[X; bin k]
            N = len(c["signs"][0])
            edges = [-math.log1p(-k / N) for k in range(N)] + [math.inf]
            e = [integrate.quad(lambda x: x * math.exp(-x), a, b)[0] for a, b in zip(edges, edges[1:])]
            U = [(sum(sg) / N, sum(v * ek for v, ek in zip(sg, e))) for sg in c["signs"]]
        for u_s, o in zip(c["thresholds"]["u"], c["thresholds"]["orient"]) if "thresholds" in c else ():
            u = float(Fraction(u_s))
            t = -math.log1p(-u) if u < 1 else math.inf
            below = integrate.quad(lambda x: x * math.exp(-x), 0, t)[0]
            U.append((o * (2 * u - 1), o * (below - (1 - below))))
        ps = 1.0 + sum(U[i][0] * U[j][0] for i, j in itertools.combinations(range(K), 2))
        if K == 4:
            ps += float(np.prod([v[0] for v in U]))
        same += w * ps * 2.0 ** (1 - K)
        wq += w * sum((mc + kappa * U[i][1] * U[j][1] + (U[i][1] * U[j][0] + U[i][0] * U[j][1]) / (2 * K)) / 2
                      for i, j in itertools.combinations(range(K), 2))
    return 1 - same, W0 + wq


def _p_split_upper_checks(case: Case, cert: dict, game: dict, p: float, wq: float, rng: np.random.Generator) -> Case:
    """Checks of an upper bound on ``p_split`` whose truth is ``p`` at ``W_q = wq``: claims below ``p`` and a ``W_limit`` below ``wq`` must be refused."""
    truth = (p - 1e-9, p + 1e-9)
    for _ in range(3):
        e = _eps(rng, 1e-7)
        claim = p - 1e-9 - e
        case.checks.append(Check(f"forged -{e:.3g}", _with_bound(cert, claim), "upper", claim, truth, "reject"))
    e = _eps(rng, 1e-7)
    forged = _with_bound(cert, p + 1e-6)
    forged["game"] = {**game, "W_limit": _q(Fraction(wq - 1e-9 - e).limit_denominator(10**12))}
    case.checks.append(Check(f"forged W_limit -{e:.3g}", forged, "upper", p + 1e-6, truth, "reject", infeasible=True))
    case.checks.append(Check("genuine", _with_bound(cert, p + 1e-8), "upper", p + 1e-8, truth, "accept"))
    return case


def fuzz_routers_strategy(rng: np.random.Generator, space: str = "thresholds") -> Case:
    K = int(rng.choice([2, 3, 4]))
    lam = Fraction(int(rng.integers(20, 81)), 100) * 2 / K
    k = int(rng.integers(1, 3))
    ws = [Fraction(1)] if k == 1 else [Fraction(int(rng.integers(1, 100)), 100)]
    ws = ws if k == 1 else [ws[0], 1 - ws[0]]
    N = int(rng.integers(2, 5))
    if space == "bins":   # bin-constant signs, target the N-bin optimum (field N = bins)
        comps = [{"weight": _q(w), "signs": [[int(v) for v in rng.choice([1, -1], N)] for _ in range(K)]} for w in ws]
    else:
        comps = [{"weight": _q(w), "thresholds": {"u": [_q(Fraction(int(rng.integers(0, 1001)), 1000)) for _ in range(K)],
                                                 "orient": [int(rng.choice([1, -1])) for _ in range(K)]}} for w in ws]
    p, wq = _routers_oracle(K, lam, comps)
    W = Fraction(wq + float(10 ** rng.uniform(-5, -2))).limit_denominator(10**9)
    game = {"type": "routers", "K": str(K), "law": "exponential", "lam": _q(lam), "mu": "1", "W_limit": _q(W)}
    cert = {"schema": 2, "kind": "routers-strategy", "game": game, "N": N if space == "bins" else None, "side": "upper", "bound": "1",
            "model": "classical", "components": comps}
    if space == "bins":
        cert["bins"] = N
    case = Case("routers-strategy", space, {"K": K, "lam": _q(lam), "W_limit": _q(W)})
    return _p_split_upper_checks(case, cert, game, p, wq, rng)


def fuzz_routers_dual(rng: np.random.Generator, space: str = "classical") -> Case:
    from bounds.routers import classical_solution
    from proofs.certify.routers import _exact_game
    from proofs.checkers.routers_system import check_routers_dual

    m, W = _random_routers(rng, (2, 3, 4))
    # the lifting error shrinks with the bins: at 2-4 bins the proved bound was mostly negative (the forgeries above the
    # truth were then refused by a wide margin); 4-16 bins for K = 2, 3 and 3-7 for K = 4 (its inner game has N^4 cells)
    N = int(rng.integers(3, 8)) if m.K == 4 else int(rng.integers(4, 17))
    try:
        cl = classical_solution(m, W)
        game = _exact_game(m, W)
        nu = Fraction(max(cl.nu, 1e-3)).limit_denominator(10**6)
        # probe with a vacuous claim (a negative p_split bound is valid): the dual's proved value, whatever its sign
        cert = {"schema": 2, "kind": "routers-dual", "game": game, "N": None, "side": "lower", "bound": "-1000000", "model": "classical",
                "nu": _q(nu), "bins": N, "inner": _last_inner(m, game, nu, N)}
        proven = check_routers_dual(cert, "fuzz").details["proven"]
    except Exception as exc:  # noqa: BLE001
        raise Skip(f"producer: {exc}") from exc
    case = Case("routers-dual", space, {"K": m.K, "lam": m.lam, "W_limit": W, "N": N})
    truth = (0.0, cl.p_split + 1e-6)   # the classical estimate is the p_split of a continuum strategy meeting W_limit
    for _ in range(3):
        e = _eps(rng, 1e-7)
        claim = truth[1] + e
        case.checks.append(Check(f"forged +{e:.3g}", _with_bound(cert, claim), "lower", claim, truth, "reject"))
    claim = min(float(proven), truth[1]) - 1e-9
    case.checks.append(Check("genuine", _with_bound(cert, claim), "lower", claim, truth, "accept"))
    return case


def fuzz_routers_continuum_dual(rng: np.random.Generator, space: str = "entangled") -> Case:
    """Oracle: the classical optimum's estimate is the p_split of a continuum strategy meeting W_limit; the relaxation bounds every
    entangled (hence every classical) continuum strategy from below, so a claim above it must be rejected (lemmas R7, R9).
    Space ``"even"``: level ``1+ab+even`` (lemma R9) with at least one weight (the level only changes the weighted matrices)."""
    from bounds.routers import classical_solution
    from bounds.routers_continuum import continuum_relaxation

    m, W = _random_routers(rng)
    even = space == "even"
    try:
        cl = classical_solution(m, W)
        r = continuum_relaxation(m.K, m.lam, W, directions=int(rng.integers(2, 4 if even else 6)), weights=int(rng.integers(1 if even else 0, 3)), weight_bins=8,
                                 level="1+ab+even" if even else "1+ab")
        cert = r.certificate
        from proofs.checkers.routers_continuum import check_routers_continuum_dual

        proven = check_routers_continuum_dual(cert, "fuzz").details["proven"]
    except Exception as exc:  # noqa: BLE001
        raise Skip(f"producer: {exc}") from exc
    case = Case("routers-continuum-dual", space, {"K": m.K, "lam": m.lam, "W_limit": W})
    truth = (0.0, cl.p_split + 1e-6)
    for _ in range(3):
        e = _eps(rng, 1e-7)
        claim = truth[1] + e
        case.checks.append(Check(f"forged +{e:.3g}", _with_bound(cert, claim), "lower", claim, truth, "reject"))
    claim = min(float(proven), truth[1]) - 1e-9
    case.checks.append(Check("genuine", _with_bound(cert, claim), "lower", claim, truth, "accept"))
    return case


def _last_inner(m: Any, game: dict[str, str], nu: Fraction, N: int) -> dict[str, Any]:
    from bounds.multiparty_classical import FactoredPairwise, threshold_certificates
    from proofs.certify.routers import _q as q40
    from proofs.exact.routers_game import read_point

    pt = read_point(game)
    _, e = m.bin_moments(N)
    a = pt.pair_matrix(nu)
    kern: dict[tuple[int, ...], Any] = {S: ((a[0], a[1]), (a[1], a[2])) for S in itertools.combinations(range(m.K), 2)}
    if m.K == 4:
        kern[(0, 1, 2, 3)] = Fraction(1, 8)   # the four-body term 2^(1-K) E[o1 o2 o3 o4] (lemma R3), constant weight
    fg = FactoredPairwise(m.K, tuple(Fraction(1, N) for _ in range(N)), tuple(q40(N * v) for v in e), kern, pt.constant(nu), "L")
    return threshold_certificates(fg)["upper"]


def fuzz_slot_queue_bracket(rng: np.random.Generator, space: str = "exponential") -> Case:
    """A constant slot rule (shared coin bunching w.p. ``p``); truth from the independent fine-lattice oracle."""
    from analytic.laws.service import ServiceLaw
    from bounds.slot_work import RankRule
    from bounds.slots import slot_point
    from proofs.certify.slots import slot_certificate

    lam = float(rng.choice([0.3, 0.4, 0.5]))
    tau = float(rng.choice([0.5, 1.0]))
    p = float(rng.choice([0.0, 0.25, 0.5, 0.75, 1.0]))
    if space == "exponential":
        law, olaw, cell, h = ServiceLaw.exponential(1.0), ("exponential", 1.0), 0.05, 0.125
    else:
        law, olaw, cell, h = ServiceLaw.named("hyperexponential:2"), ("hyperexponential", 2.0), 0.1, 0.25
        lam = min(lam, 0.3)
    pt = slot_point(lam, 100.0, law=law, h=h)
    try:
        # the upper W_q certificate also claims E[T_B] (T(t) = t^2, lemma T5 (c))
        certs = {side: slot_certificate(pt, tau, RankRule.constant(2 * p - 1), "classical", side, throughput=2 if side == "upper" else None)
                 for side in ("lower", "upper")}
    except Exception as exc:  # noqa: BLE001
        raise Skip(f"producer: {exc}") from exc
    lo, hi = orc.slotted_wq_constant(lam, lam, olaw, tau, p, cell=cell)
    truth = (lo, hi)
    case = Case("slot-queue-bracket", space, {"lam": lam, "tau": tau, "p_bunch": p, "law": olaw})
    tb = orc.slotted_tb_constant(lam, lam, olaw, tau, p, 2, cell=cell)
    for _ in range(2):
        e = _eps(rng, 1e-4)
        for side, claim in (("lower", tb[1] + e), ("upper", tb[0] - e)):
            forged = copy.deepcopy(certs["upper"])
            forged["throughput"][side] = _q(claim)
            case.checks.append(Check(f"forged E[T_B] {side} {'+' if side == 'lower' else '-'}{e:.3g}", forged, side, claim, tb, "reject"))
    for side in ("lower", "upper"):
        case.checks.append(Check(f"genuine E[T_B] {side}", certs["upper"], side, float(Fraction(certs["upper"]["throughput"][side])), tb, "accept"))
    _upper_forgeries(case, certs["upper"], lo, hi, rng, 1e-4, n_forged=2)
    for _ in range(2):
        e = _eps(rng, 1e-4)
        claim = hi + e
        case.checks.append(Check(f"forged +{e:.3g}", _with_bound(certs["lower"], claim), "lower", claim, truth, "reject"))
    for side, cert in certs.items():
        case.checks.append(Check("genuine", cert, side, float(Fraction(cert["bound"])), truth, "accept"))
    return case


def fuzz_routers_ideal(rng: np.random.Generator, space: str = "rule") -> Case:
    """``routers-ideal`` (lemma R8): a random threshold ``tau`` at ``W_limit`` near the rule's own ``W_q``, truth from the x-space quadrature.

    At ``W_limit = W_q(tau)`` the rule is optimal, so the true ``p_ideal`` is
    ``1 - P(Delta <= tau)`` up to the rounding of ``W_limit`` (``nu`` times it);
    ``space`` ``"rule"`` forges upper bounds and infeasible limits, ``"dual"``
    forges lower bounds above the truth.
    """
    K = int(rng.choice([2, 3]))
    lam = Fraction(int(rng.integers(20, 81)), 100) * 2 / K
    mu = Fraction(int(rng.choice([1, 2])))
    tau = Fraction(int(rng.integers(300, 5001)), 1000) / mu
    lam = lam * mu
    rho = K * lam / (2 * mu)
    kappa = lam / (2 * (1 - rho))
    W0 = K * lam * (2 / mu**2) / (4 * (1 - rho))
    es = 0 if K == 2 else 7 * kappa / (18 * mu**2) + Fraction(7, 36) / mu
    P, D = orc.routers_ideal_values(K, float(lam), float(mu), float(tau))
    wq = float(W0 + es) + D
    game = {"type": "routers", "K": str(K), "law": "exponential", "lam": _q(lam), "mu": _q(mu)}
    case = Case("routers-ideal", space, {"K": K, "lam": _q(lam), "mu": _q(mu), "tau": _q(tau)})
    base = {"schema": 2, "kind": "routers-ideal", "N": None, "model": "ideal", "tau": _q(tau)}
    p = 1 - P
    if space == "rule":
        W = Fraction(wq + float(10 ** rng.uniform(-7, -3))).limit_denominator(10**12)
        cert = {**base, "game": {**game, "W_limit": _q(W)}, "side": "upper", "bound": "1"}
        return _p_split_upper_checks(case, cert, game, p, wq, rng)
    W = Fraction(wq).limit_denominator(10**12)
    err = 1e-9 + abs(float(W) - wq) / float(tau)
    cert = {**base, "game": {**game, "W_limit": _q(W)}, "side": "lower", "bound": "0"}
    _lower_checks(case, cert, p, err, rng, 1e-7, genuine_margin=1e-8)
    return case


# --------------------------------------------------------------------------- registry
Generator = Callable[[np.random.Generator], Case]


def _sp(fn: Callable[..., Case], space: str) -> Generator:
    return lambda rng: fn(rng, space)


#: certificate kind -> {sub-space name: generator}
FUZZERS: dict[str, dict[str, Generator]] = {
    "tsirelson-dual": {"closed": _sp(fuzz_tsirelson_dual, "closed"), "law": _sp(fuzz_tsirelson_dual, "law")},
    "tsirelson-dual-relaxed": {"closed": _sp(fuzz_tsirelson_dual_relaxed, "closed"), "law": _sp(fuzz_tsirelson_dual_relaxed, "law")},
    "tsirelson-dual-continuum": {"closed": _sp(fuzz_tsirelson_dual_continuum, "closed"), "law": _sp(fuzz_tsirelson_dual_continuum, "law")},
    "quantum-vectors": {"closed": _sp(fuzz_quantum_vectors, "closed"), "law": _sp(fuzz_quantum_vectors, "law")},
    "classical-strategy": {"closed": _sp(fuzz_classical_strategy, "closed"), "law": _sp(fuzz_classical_strategy, "law")},
    "classical-threshold": {"closed": _sp(fuzz_classical_threshold, "closed")},  # law games have no closed-form rectangles
    "classical-bnb": {"closed": _sp(fuzz_classical_bnb, "closed"), "law": _sp(fuzz_classical_bnb, "law")},
    "classical-dp": {"closed": _sp(fuzz_classical_dp, "dp")},
    "system-dual": {s: _sp(fuzz_system_dual, s) for s in ("classical", "quantum", "quantum-visibility")},
    "system-strategy": {s: _sp(fuzz_system_strategy, s) for s in ("classical", "quantum")},
    "werner-strategy": {"closed": _sp(fuzz_werner_strategy, "closed"), "law": _sp(fuzz_werner_strategy, "law")},
    "werner-mixture": {"closed": _sp(fuzz_werner_mixture, "closed"), "law": _sp(fuzz_werner_mixture, "law")},
    "werner-system-dual": {"exponential": _sp(fuzz_werner_system_dual, "any")},
    "classical-bnb-relaxed": {"closed": _sp(fuzz_classical_bnb_relaxed, "closed"), "law": _sp(fuzz_classical_bnb_relaxed, "law")},
    "xor-quantum-dual": {"small": _sp(fuzz_xor_quantum_dual, "small"), "schur": _sp(fuzz_xor_quantum_dual, "schur"),
                         "enclosure": _sp(fuzz_xor_quantum_dual, "enclosure"), "dyadic": _sp(fuzz_xor_quantum_dual, "dyadic")},
    # small: the Python route of lemma X2; schur: the limb trace with N in one limb; schur-enclosure: N in several limbs
    "xor-quantum-vectors": {"small": _sp(fuzz_xor_quantum_vectors, "small"), "schur": _sp(fuzz_xor_quantum_vectors, "schur"),
                            "schur-enclosure": _sp(fuzz_xor_quantum_vectors, "schur-enclosure")},
    "xor-classical": {"small": _sp(fuzz_xor_classical, "small"), "float-input": _sp(fuzz_xor_classical, "float-input")},
    "xor-classical-bnb": {"small": _sp(fuzz_xor_classical_bnb, "small"), "cuts": _sp(fuzz_xor_classical_bnb_cuts, "cuts"),
                          "stopped": _sp(fuzz_xor_classical_bnb, "stopped")},
    "xor-classical-rounded": {"float-input": _sp(fuzz_xor_classical_rounded, "float-input"), "coarse": _sp(fuzz_xor_classical_rounded, "coarse"),
                              "stopped": _sp(fuzz_xor_classical_rounded, "stopped")},
    "multiparty-classical-strategy": {"small": _sp(fuzz_multiparty_classical, "strategy")},
    "multiparty-classical-threshold": {"small": _sp(fuzz_multiparty_classical, "threshold")},
    "multiparty-quantum-strategy": {"small": _sp(fuzz_multiparty_quantum, "small")},
    "npa-multiparty-dual": {"level-1": _sp(fuzz_npa_multiparty, "1"), "level-1+ab": _sp(fuzz_npa_multiparty, "1+ab"),
                            "level-1+ab+abc": _sp(fuzz_npa_multiparty, "1+ab+abc"),
                            "level-1+ab+abc+abcd": _sp(fuzz_npa_multiparty, "1+ab+abc+abcd"),
                            "level-1+ab-symmetric": _sp(fuzz_npa_multiparty, "1+ab-symmetric")},
    "routers-strategy": {"thresholds": _sp(fuzz_routers_strategy, "thresholds"), "bins": _sp(fuzz_routers_strategy, "bins")},
    "routers-dual": {"classical": _sp(fuzz_routers_dual, "classical")},
    "routers-continuum-dual": {"entangled": _sp(fuzz_routers_continuum_dual, "entangled"), "even": _sp(fuzz_routers_continuum_dual, "even")},
    "slot-queue-bracket": {"exponential": _sp(fuzz_slot_queue_bracket, "exponential"),
                           "hyperexponential": _sp(fuzz_slot_queue_bracket, "hyperexponential")},
    "routers-ideal": {s: _sp(fuzz_routers_ideal, s) for s in ("rule", "dual")},
}

#: (kind, sub-space) -> the defect of the checker on main that makes it accept false bounds there
KNOWN_DEFECTS: dict[tuple[str, str], str] = {}
