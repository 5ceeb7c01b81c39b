"""Certified classical and quantum brackets of the sum-threshold game of a catalogue law.

For a law of :class:`analytic.laws.catalogue.LawSpec` (mean 1) and a threshold ``t``,
:func:`certify_law` solves, writes and checks four brackets of the game
``X1 + X2 <= t`` (:func:`games.laws.law_game`):

* N-bin classical: exact branch and bound (:func:`bounds.exact_classical`),
  ``classical-strategy`` / ``classical-bnb`` certificates;
* N-bin quantum: Tsirelson's SDP, ``quantum-vectors`` / ``tsirelson-dual``;
* continuum classical: the N-bin strategy lifted (``classical-strategy-lifted``)
  and the N-bin optimum plus the crossed-cell slack (``classical-bnb-relaxed``,
  lemma C3 in :mod:`proofs.checkers.classical_relaxed`);
* continuum quantum: lifted vectors and the relaxed dual (lemma Q3).

The cell matrix the solvers use is the midpoint of the checker's own
enclosure (:mod:`proofs.exact.sum_threshold`), so the solver and the checker
see the same game; every number returned has passed a checker.  The
*certified gap* is ``quantum lower - classical upper`` (N-bin and continuum).

:func:`classical_minimising_threshold` finds the ``t`` that minimises the
classical value (golden-section search on the exact N-bin optimum at a small
``N``); it is an estimate of the minimiser, and the brackets at that ``t``
are certified.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from bounds.certificates import default_certificate_dir, save_certificate
from proofs.checkers.bound import Bracket
from proofs.checkers.registry import check_certificate
from proofs.exact.errors import ProofsParameterError

__all__ = ["LawBrackets", "ThresholdSearch", "certify_law", "classical_minimising_threshold", "threshold_for_bunch_probability"]


@dataclass(frozen=True, eq=False)
class LawBrackets:
    """Checked brackets of one law's game at one threshold.

    Attributes
    ----------
    law
        Catalogue label (e.g. ``"gamma:4"``).
    cv
        Coefficient of variation of the law.
    t
        Threshold (exact rational).
    n
        Bins per input of the N-bin game.
    classical, quantum
        N-bin brackets.
    classical_continuum, quantum_continuum
        Continuum brackets.
    paths
        Certificate files by role.
    p_bunch
        Enclosure ``(lo, hi)`` of ``P(X1 + X2 <= t)`` (from the certified cell matrix: ``sum M = 2 P - 1``).
    """

    law: str
    cv: float
    t: Fraction
    n: int
    classical: Bracket
    quantum: Bracket
    classical_continuum: Bracket
    quantum_continuum: Bracket
    paths: dict[str, str]
    p_bunch: tuple[float, float] = (0.0, 1.0)

    @property
    def gap(self) -> Fraction:
        """Certified lower bound on the N-bin quantum advantage (quantum lower - classical upper)."""
        return self.quantum.lower.value - self.classical.upper.value

    @property
    def continuum_gap(self) -> Fraction:
        """Certified lower bound on the continuum quantum advantage."""
        return self.quantum_continuum.lower.value - self.classical_continuum.upper.value

    def to_dict(self) -> dict[str, Any]:
        def br(b: Bracket) -> dict[str, float]:
            return {"lower": float(b.lower.value), "upper": float(b.upper.value)}

        return {
            "law": self.law,
            "cv": self.cv if math.isfinite(self.cv) else None,  # JSON has no infinity
            "t": float(self.t),
            "t_exact": f"{self.t.numerator}/{self.t.denominator}",
            "N": self.n,
            "classical": br(self.classical),
            "quantum": br(self.quantum),
            "gap": float(self.gap),
            "classical_continuum": br(self.classical_continuum),
            "quantum_continuum": br(self.quantum_continuum),
            "continuum_gap": float(self.continuum_gap),
            "p_bunch": list(self.p_bunch),
            "certificates": dict(self.paths),
        }


def _spec(law: Any) -> Any:
    from analytic.laws.catalogue import LawSpec, parse_law

    spec = parse_law(law) if isinstance(law, str) else law
    if not isinstance(spec, LawSpec):
        raise ProofsParameterError(f"`law` must be a catalogue name NAME[:PARAM] or a LawSpec; got {type(law).__name__}")
    return spec


def _t(t: Any) -> Fraction:
    if isinstance(t, bool) or not isinstance(t, (int, float, Fraction, str)):
        raise ProofsParameterError(f"`t` must be a positive number; got {t!r}")
    try:
        te = Fraction(repr(float(t))) if isinstance(t, float) else Fraction(t)
    except (ValueError, ZeroDivisionError) as exc:
        raise ProofsParameterError(f"`t` must be a positive number; got {t!r}") from exc
    if not te > 0:
        raise ProofsParameterError(f"`t` must be positive; got {float(te)}")
    return te


def law_discretisation(game: Any, n: int) -> Any:
    """The N-bin discretisation whose matrix is the midpoint of the checker's cell enclosure.

    >>> from games.laws import law_game
    >>> d = law_discretisation(law_game("uniform", 1), 2)
    >>> d.matrix.tolist()   # a + b <= 1/2 in CDF coordinates: the first cell is half bunch
    [[0.0, -0.25], [-0.25, -0.25]]
    """
    from games.discretise import Discretisation
    from proofs.exact.cells import cell_enclosure

    enc = cell_enclosure(game, n)
    mid = (enc.lo + enc.hi) / 2
    crossed = enc.kind == 0
    mid.setflags(write=False)
    crossed.setflags(write=False)
    return Discretisation(game=game, n=n, matrix=mid, crossed=crossed)


def certify_law(law: Any, t: Any, n: int = 128, *, directory: str | Path | None = None, seed: int = 0) -> LawBrackets:
    """Certified N-bin and continuum brackets (classical and quantum) of one law's game.

    >>> import tempfile
    >>> r = certify_law("uniform", 2, 16, directory=tempfile.mkdtemp())   # the linear game a + b <= 1
    >>> float(r.classical.lower.value) <= 0.75 <= float(r.classical.upper.value)
    True
    >>> float(r.quantum_continuum.lower.value) <= 0.5 + 1 / math.pi <= float(r.quantum_continuum.upper.value)
    True
    """
    from bounds.certificates import dual_certificate, vectors_certificate
    from bounds.classical_certificates import strategy_certificate
    from bounds.classical_exact import exact_classical
    from bounds.tsirelson import tsirelson
    from games.laws import law_game
    from proofs.checkers.quantum import relaxation_slack
    from proofs.exact.cells import cell_enclosure

    spec = _spec(law)
    te = _t(t)
    if isinstance(n, bool) or not isinstance(n, int) or n < 2:
        raise ProofsParameterError(f"`n` must be an integer >= 2; got {n!r}")
    directory = Path(directory) if directory is not None else default_certificate_dir()
    game = law_game(spec, te)
    enc = cell_enclosure(game, n)
    slack = relaxation_slack(enc, "mean")

    paths: dict[str, str] = {}
    # classical: exact N-bin optimum; its strategy read as a continuum strategy; the relaxation to the continuum
    sol = exact_classical(game, n)
    up, lo = sol.certificates["upper"], sol.certificates["lower"]
    paths["classical_upper"] = save_certificate(up, directory)
    paths["classical_lower"] = save_certificate(lo, directory)
    cup = {**up, "kind": "classical-bnb-relaxed", "N": None, "bound": _q(Fraction(up["bound"]) + slack / 2)}
    paths["classical_continuum_upper"] = save_certificate(cup, directory)
    paths["classical_continuum_lower"] = save_certificate(strategy_certificate(game, lo["g"], lo["h"], continuum=True), directory)
    # quantum: Tsirelson's SDP on the enclosure midpoints (the writers add the outward margins)
    disc = law_discretisation(game, n)
    res = tsirelson(disc, method="fast", seed=seed)
    solver = {"method": "fast", "seed": seed, "iterations": res.iterations, "shift": res.shift, "status": str(res.status)}
    margin = 1e-11 + float(np.sum(enc.hi - enc.lo))  # the claim must clear the enclosure radii too
    paths["quantum_lower"] = save_certificate(vectors_certificate(disc, res.strategy.u, res.strategy.v, margin=margin, solver=solver), directory)
    paths["quantum_continuum_lower"] = save_certificate(
        vectors_certificate(disc, res.strategy.u, res.strategy.v, continuum=True, margin=margin, solver=solver), directory
    )
    paths["quantum_upper"] = save_certificate(dual_certificate(disc, res.x, res.y, primal_value=res.primal_value, solver=solver), directory)
    paths["quantum_continuum_upper"] = save_certificate(
        dual_certificate(disc, res.x, res.y, continuum=True, relaxation="mean", slack=slack, solver=solver), directory
    )
    chk = {role: check_certificate(p) for role, p in paths.items()}
    return LawBrackets(
        law=spec.label,
        cv=spec.cv,
        t=te,
        n=n,
        classical=Bracket(chk["classical_lower"], chk["classical_upper"]),
        quantum=Bracket(chk["quantum_lower"], chk["quantum_upper"]),
        classical_continuum=Bracket(chk["classical_continuum_lower"], chk["classical_continuum_upper"]),
        quantum_continuum=Bracket(chk["quantum_continuum_lower"], chk["quantum_continuum_upper"]),
        paths=paths,
        p_bunch=_bunch_probability(enc),
    )


def _bunch_probability(enc: Any) -> tuple[float, float]:
    """``P(bunch) = (sum M + 1)/2`` enclosed from the cell enclosure (float sums widened by their error bound)."""
    n2 = enc.lo.size
    err = 2 * n2 * 2.0**-53 + 1e-300  # |fsum - exact| is below one ulp; this is far above it
    lo = (math.fsum(enc.lo.ravel()) - err + 1) / 2
    hi = (math.fsum(enc.hi.ravel()) + err + 1) / 2
    return max(lo, 0.0), min(hi, 1.0)


def threshold_for_bunch_probability(law: Any, p: float) -> Fraction:
    """The threshold ``t`` (rounded to 3 decimals) with ``P(X1 + X2 <= t) = p`` (float root finding; an estimate).

    >>> float(threshold_for_bunch_probability("uniform", 0.5))   # X1 + X2 is symmetric about 2
    2.0
    """
    from scipy import optimize

    spec = _spec(law)
    if not 0 < p < 1:
        raise ProofsParameterError(f"`p` must lie in (0, 1); got {p}")
    d = spec.frozen()
    q = d.ppf((np.arange(8192) + 0.5) / 8192)  # midpoint rule in CDF coordinates: P(t) = int_0^1 F(t - Q(u)) du

    def bunch(t: float) -> float:
        return float(np.mean(d.cdf(t - q)))

    t = optimize.brentq(lambda s: bunch(s) - p, 1e-4, 200.0, xtol=1e-6)
    return Fraction(round(t * 1000), 1000)


def _q(x: Fraction) -> str:
    return f"{x.numerator}/{x.denominator}"


@dataclass(frozen=True)
class ThresholdSearch:
    """Estimated minimiser of the classical value over ``t`` (not a bound).

    ``t`` is rounded to ``tol``; ``value_estimate`` is the exact N-bin optimum
    at ``t`` (itself a certified number for the ``n``-bin game, but the
    minimiser over ``t`` is located by search, not proved).
    """

    law: str
    t: Fraction
    value_estimate: float
    n: int
    evaluations: int


def classical_minimising_threshold(law: Any, *, n: int = 32, t_min: float = 0.1, t_max: float = 5.0, tol: float = 2e-3, scan: int = 15) -> ThresholdSearch:
    """The threshold ``t`` minimising the classical value (coarse scan, then golden-section search).

    The objective is the exact classical value of the ``n``-bin game (the
    paper's ``C_t`` question asked for each law).

    >>> s = classical_minimising_threshold("exponential", n=16, tol=0.01)
    >>> 0.8 < float(s.t) < 1.5   # the paper's C = 0.33 is t = -ln 0.33 = 1.11
    True
    """
    from bounds.classical_exact import exact_classical
    from bounds.errors import BoundsParameterError
    from games.laws import law_game

    spec = _spec(law)
    if not 0 < t_min < t_max:
        raise ProofsParameterError(f"need 0 < `t_min` < `t_max`; got {t_min}, {t_max}")
    cache: dict[Fraction, float] = {}

    def value(t: float) -> float:
        key = Fraction(round(t / tol) * Fraction(str(tol))).limit_denominator(10**6)
        if key not in cache:
            try:
                cache[key] = exact_classical(law_game(spec, key), n).lower_estimate
            except BoundsParameterError:  # no crossed cell: the rule is constant on every cell, value 1
                cache[key] = 1.0
        return cache[key]

    grid = np.geomspace(t_min, t_max, scan)
    vals = [value(float(t)) for t in grid]
    k = int(np.argmin(vals))
    a, b = float(grid[max(k - 1, 0)]), float(grid[min(k + 1, len(grid) - 1)])
    g = (math.sqrt(5) - 1) / 2
    c, d = b - g * (b - a), a + g * (b - a)
    while b - a > tol:
        if value(c) <= value(d):
            b, d = d, c
            c = b - g * (b - a)
        else:
            a, c = c, d
            d = a + g * (b - a)
    best = min(cache, key=lambda s: (cache[s], s))
    return ThresholdSearch(spec.label, best, cache[best], n, len(cache))
