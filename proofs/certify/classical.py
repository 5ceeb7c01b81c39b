"""Certified brackets of classical values: solve, write certificates, check them, return a :class:`Bracket`.

* ``n`` given, ``n <= exact_max_n``: the exact N-bin optimum
  (:func:`bounds.classical_exact.exact_classical`); lower bound from the optimal
  step strategy, upper bound from the branch-and-bound certificate.  The two
  differ only by outward rounding (about 1e-14).
* ``n`` given, larger: lower bound from a best-response search strategy,
  upper bound from the continuum programme lifted to the N-bin game (every
  N-bin strategy is a continuum strategy).
* ``continuum=True`` (``n`` not given): the continuum bracket
  (:mod:`bounds.classical_continuum`).

Every number returned has passed a :mod:`proofs.checkers.classical` checker; the
solver's own floats are not used.
"""

from __future__ import annotations

from concurrent.futures import Executor
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from bounds.certificates import default_certificate_dir, save_certificate
from proofs.checkers.bound import Bound, Bracket, Target
from proofs.checkers.registry import check_certificate
from proofs.exact import exact_game
from proofs.exact.errors import CertificateError, ProofsParameterError, QcoordTypeError

__all__ = ["CertifiedClassical", "certify_classical", "classical_bracket", "classical_minimiser", "default_certificate_dir"]


@dataclass(frozen=True, eq=False)
class CertifiedClassical:
    """A checked bracket together with the solver output it came from (for structure reports)."""

    bracket: Bracket
    method: str
    exact: bool
    paths: dict[str, str]
    solution: Any

    def to_dict(self) -> dict[str, Any]:
        return {
            "lower": float(self.bracket.lower.value),
            "upper": float(self.bracket.upper.value),
            "width": float(self.bracket.width),
            "exact": self.exact,
            "method": self.method,
            "certificate": self.paths["upper"],
            "certificates": list(self.paths.values()),
        }


def _checked(cert: dict[str, Any], directory: Path, target: Target) -> tuple[str, Bound]:
    """Write ``cert``, check the file, and make sure it proves ``target``."""
    path = save_certificate(cert, directory)
    bound = check_certificate(path)
    if bound.target != target:
        raise CertificateError(f"certificate {path} proves {bound.target.label()}, not the requested {target.label()}")
    return path, bound


#: most bins of the continuum programme (as :func:`bounds.classical_continuum.continuum_classical`)
BINS_MAX = 20_000


def _certify_classical_iv(game: Any, n: Any, continuum: Any, cert_dir: Any, seed: Any, bins: Any,
                          exact_max_n: Any) -> tuple[int | None, int, int, int]:
    """Every argument of :func:`certify_classical`, before any work; returns ``n, seed, bins, exact_max_n`` as ints."""
    from bounds.classical_continuum import CONTINUUM_C_MIN
    from proofs.certify import args as a

    a.check_game("game", game)
    continuum = a.check_bool("continuum", continuum)
    if continuum and n is not None:
        raise ProofsParameterError(f"give either `n` or `continuum=True`, not both; got n = {n!r}")
    if not continuum:
        if n is None:
            raise ProofsParameterError("`n` must be an integer >= 1 (or pass continuum=True); got None")
        n = a.check_int("n", n, low=1)
        a.check_cells("n", n)
    a.check_directory("cert_dir", cert_dir)
    seed = a.check_seed("seed", seed)
    bins = a.check_int("bins", bins, low=2, high=BINS_MAX)
    exact_max_n = a.check_int("exact_max_n", exact_max_n, low=0)
    C = getattr(game.boundary, "C", None)
    if C is not None and C < CONTINUUM_C_MIN and (continuum or n > exact_max_n):
        raise ProofsParameterError(f"`C` of the game must be at least {CONTINUUM_C_MIN:g} for the continuum classical programme "
                                   f"(its rewards grow like 1/C); got {C!r}")
    return n, seed, bins, exact_max_n


def certify_classical(
    game: Any,
    n: int | None = None,
    *,
    continuum: bool = False,
    cert_dir: str | Path | None = None,
    seed: int = 0,
    bins: int = 200,
    exact_max_n: int = 1024,
) -> CertifiedClassical:
    """Solve, write and check classical certificates; see the module docstring.

    Give exactly one target: ``n`` bins, or ``continuum=True``.

    >>> from games import linear_boundary_game
    >>> c = certify_classical(linear_boundary_game(), 8)
    >>> c.exact, float(c.bracket.lower.value) <= 0.75 <= float(c.bracket.upper.value)
    (True, True)
    """
    from bounds.classical_certificates import strategy_certificate
    from bounds.classical_continuum import ContinuumClassical, continuum_classical
    from bounds.classical_exact import ExactClassical, exact_classical

    n, seed, bins, exact_max_n = _certify_classical_iv(game, n, continuum, cert_dir, seed, bins, exact_max_n)
    directory = Path(cert_dir) if cert_dir is not None else default_certificate_dir()
    target = Target(exact_game(game).describe(), n, "classical")
    if n is not None and n <= exact_max_n:
        sol: ExactClassical | ContinuumClassical = exact_classical(game, n)
        method, certs = "exact (branch and bound over K, chain DP leaves)", sol.certificates
    elif n is not None:
        from games import discretise
        from games.classical_search import best_response

        sol = continuum_classical(game, bins)
        est = best_response(discretise(game, n), seed=seed)
        upper = {**sol.certificates["upper"], "N": n}
        lower = strategy_certificate(game, est.strategy.g.tolist(), est.strategy.h.tolist(), search="best-response", seed=seed)
        method, certs = f"lower: best-response search; upper: continuum DP ({bins} bins) lifted to N = {n}", {"upper": upper, "lower": lower}
    else:
        sol = continuum_classical(game, bins)
        method, certs = f"continuum: threshold strategy / 1-D DP with {bins} bins", sol.certificates
    paths: dict[str, str] = {}
    paths["lower"], lo = _checked(certs["lower"], directory, target)
    paths["upper"], up = _checked(certs["upper"], directory, target)
    br = Bracket(lo, up)
    exact = n is not None and n <= exact_max_n and float(br.width) <= 1e-12
    return CertifiedClassical(br, method, exact, paths, sol)


def classical_bracket(game: Any, n: int | None = None, **kwargs: Any) -> Bracket:
    """Certified classical bracket of ``game`` (N-bin if ``n`` is given, continuum with ``continuum=True``).

    Keyword arguments go to :func:`certify_classical` (``continuum``, ``cert_dir``,
    ``seed``, ``bins``, ``exact_max_n``).

    >>> from games import linear_boundary_game
    >>> br = classical_bracket(linear_boundary_game(), continuum=True, bins=40)
    >>> float(br.lower.value) <= 0.75 <= float(br.upper.value), float(br.width) < 1e-3
    (True, True)
    """
    allowed = ("continuum", "cert_dir", "seed", "bins", "exact_max_n")
    unknown = sorted(set(kwargs) - set(allowed))
    if unknown:
        from proofs.exact.errors import QcoordTypeError

        raise QcoordTypeError(f"`{unknown[0]}` is not a parameter of classical_bracket (it takes {', '.join(allowed)}); got "
                              f"{unknown[0]}={kwargs[unknown[0]]!r}")
    return certify_classical(game, n, **kwargs).bracket


def _minimiser_point(job: tuple[float, int, str]) -> tuple[Fraction, Fraction, dict[str, str]]:
    """The checked continuum bracket of the paper's game at one ``C`` (a job of :func:`classical_minimiser`).

    Returns its exact ends and ``{file name: text}`` of its two certificates (the driver stores them).
    """
    from games import paper_game
    from proofs.certify.jobs import read_certificates

    c, bins, directory = job
    res = certify_classical(paper_game(c), continuum=True, bins=bins, cert_dir=directory)
    return res.bracket.lower.value, res.bracket.upper.value, read_certificates(list(res.paths.values()))


#: largest number of grid points of :func:`classical_minimiser` (each is a certified continuum bracket)
MINIMISER_GRID_MAX = 1000
#: most local worker processes of :func:`classical_minimiser`
MINIMISER_WORKERS_MAX = 1024


def _minimiser_iv(C_min: Any, C_max: Any, tol: Any, grid: Any, bins: Any, cert_dir: Any, workers: Any, dask: Any, executor: Any) -> None:
    """Every argument of :func:`classical_minimiser`, before any work."""
    from proofs.certify import args as a

    lo = a.check_real("C_min", C_min, low=0.0, high=1.0, low_open=True, high_open=True)
    hi = a.check_real("C_max", C_max, low=0.0, high=1.0, low_open=True, high_open=True)
    if not lo < hi:
        raise ProofsParameterError(f"`C_min` must be smaller than `C_max` (0 < C_min < C_max < 1); got C_min = {C_min!r}, C_max = {C_max!r}")
    a.check_real("tol", tol, low=1e-7, high=1.0)
    a.check_int("grid", grid, low=1, high=MINIMISER_GRID_MAX)
    a.check_int("bins", bins, low=2, high=BINS_MAX)
    a.check_directory("cert_dir", cert_dir)
    a.check_int("workers", workers, low=1, high=MINIMISER_WORKERS_MAX)
    if dask is not None and not isinstance(dask, str):
        raise QcoordTypeError(f"`dask` must be a scheduler address (str, e.g. tcp://HOST:8786) or None; got {dask!r} of type {type(dask).__name__}")
    if executor is not None and not isinstance(executor, Executor):
        raise QcoordTypeError(f"`executor` must be a concurrent.futures.Executor or None; got {type(executor).__name__}")


def classical_minimiser(
    C_min: float = 0.05, C_max: float = 0.95, *, tol: float = 1e-4, grid: int = 19, bins: int = 100, cert_dir: str | Path | None = None,
    workers: int = 1, dask: str | None = None, executor: Executor | None = None,
) -> dict[str, Any]:
    """Certified location of ``argmin_C`` of the continuum classical value of the paper's game.

    Branch and bound over ``C``: every grid point gets a checked bracket; a cell
    ``[c0, c1]`` is discarded when its certified lower bound exceeds the
    smallest certified upper bound seen.  Lemma (Lipschitz in C): for a fixed
    strategy the winning probability changes by at most the measure of the
    symmetric difference of the bunch regions, ``|P_bunch(C) - P_bunch(C')|``,
    and ``dP_bunch/dC = ln C``; so on ``[c0, c1]`` the value is at least
    ``max(A - L (C - c0), B - L (c1 - C))`` with ``A, B`` the certified lower
    bounds at the ends and ``L = |ln c0|``.  Surviving cells are halved until
    they are shorter than ``tol``.  Cell bounds are exact rationals from the
    checked endpoint bounds and an arb enclosure of ``|ln c0|``
    (:func:`proofs.exact.lipschitz.cell_lower_bound`); a grid point ``c`` is
    the game with ``C`` = the shortest decimal of ``c``.

    Returns a dict with ``interval`` (hull of surviving cells), ``value``
    (certified bracket of ``min_C V(C)`` over ``[C_min, C_max]``), ``best_C`` (grid
    point with the smallest upper bound), ``cells`` and ``evaluations``.

    The grid points of each round (the first grid, then the midpoints of the
    surviving cells) are independent jobs of :mod:`proofs.certify.jobs`, run
    on ``executor`` if given, else on ``open_executor(workers, dask)``; the
    result does not depend on which executor ran them.

    >>> r = classical_minimiser(0.2, 0.5, tol=0.02, grid=4, bins=30)
    >>> r["interval"][0] <= 0.33 <= r["interval"][1]
    True
    """
    from proofs.certify.jobs import iter_jobs, open_executor, store_certificates
    from proofs.exact import exact_parameter, float_down, float_up
    from proofs.exact.lipschitz import cell_lower_bound

    _minimiser_iv(C_min, C_max, tol, grid, bins, cert_dir, workers, dask, executor)
    if executor is None:
        with open_executor(workers, dask) as ex:
            return classical_minimiser(C_min, C_max, tol=tol, grid=grid, bins=bins, cert_dir=cert_dir, executor=ex)
    directory = str(Path(cert_dir) if cert_dir is not None else default_certificate_dir())
    pts: dict[float, tuple[Fraction, Fraction]] = {}

    def ev(cs: list[float]) -> None:
        """Certify every new point of ``cs`` (one batch of jobs)."""
        new = sorted({round(c, 10) for c in cs} - set(pts))
        got: dict[int, tuple[Fraction, Fraction]] = {}
        for i, fut in iter_jobs(_minimiser_point, [(c, bins, directory) for c in new], executor):
            lo, up, texts = fut.result()
            store_certificates(texts, directory)
            got[i] = (lo, up)
        pts.update((new[i], got[i]) for i in range(len(new)))  # in C order, whatever order the jobs finished in

    edges = [round(float(c), 10) for c in __import__("numpy").linspace(C_min, C_max, max(grid, 2))]
    cells = list(zip(edges, edges[1:]))
    while True:
        ev([c for cell in cells for c in cell])
        ub = min(u for _, u in pts.values())
        scored = []
        for a, b in cells:
            A, B = pts[round(a, 10)][0], pts[round(b, 10)][0]
            scored.append((a, b, cell_lower_bound(exact_parameter(round(a, 10)), exact_parameter(round(b, 10)), A, B)))
        alive = [(a, b, v) for a, b, v in scored if v <= ub]
        if all(b - a <= tol for a, b, _ in alive):
            break
        cells = []
        for a, b, _ in alive:
            if b - a > tol:
                m = round((a + b) / 2, 10)
                cells += [(a, m), (m, b)]
            else:
                cells.append((a, b))
    best = min(pts, key=lambda c: pts[c][1])
    return {
        "interval": (min(a for a, _, _ in alive), max(b for _, b, _ in alive)),
        "value": {"lower": float_down(min(v for _, _, v in alive)), "upper": float_up(ub)},
        "best_C": best,
        "best_bracket": (float_down(pts[best][0]), float_up(pts[best][1])),
        "cells": [(a, b) for a, b, _ in alive],
        "evaluations": len(pts),
        "bins": bins,
        "tol": tol,
    }
