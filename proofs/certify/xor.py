"""Certified values of a finite XOR game: quantum and classical brackets with their strategies.

* Quantum: Tsirelson's SDP (:func:`bounds.xor.solve_quantum`); the upper
  bound is the dual (``xor-quantum-dual``), the lower bound the vector
  strategy (``xor-quantum-vectors``), both verified by
  :mod:`proofs.checkers.xor`.  The strategy is returned with its rank ``r``
  and local dimension ``2^floor(r/2)``; for ``r <= 2`` the measurement angles
  of a qubit realisation (maximally entangled state ``|Phi+>``, Alice measures
  ``cos(alpha_x) Z + sin(alpha_x) X``, Bob ``cos(beta_y) Z + sin(beta_y) X``,
  correlation ``cos(alpha_x - beta_y)``), for ``r = 3`` the Bloch vectors of
  the observables (Bob's second component flipped, since ``<Phi+| Y (x) Y |Phi+> = -1``).
* Classical: when the smaller side has at most
  :data:`proofs.checkers.xor.EXHAUSTIVE_LIMIT` inputs and the search fits the
  time budget, the exact value with an optimal deterministic strategy
  (``xor-classical`` lower = the strategy, upper = the checker's own
  exhaustive search); else branch and bound (:mod:`bounds.xor_bnb`, upper
  certificate ``xor-classical-bnb``) when it completes within the budget;
  otherwise a bracket: the best strategy the local search and the branch and
  bound find in the budget (lower) and the lower of two upper bounds: the
  stopped search's closed leaves with a proved bound on each node it left open
  (``xor-classical-bnb``, :class:`bounds.xor_bnb.BnbResult` ``frontier``) and
  the Tsirelson dual read for the classical model.
* No-signalling: the value is ``1/2 + 1/2 sum |M|`` exactly (no LP needed):
  for binary answers, ``p(a, b | x, y) = (1 + (-1)^(a XOR b) c_xy) / 4`` has
  uniform marginals (so it is no-signalling) for every ``c_xy`` in ``[-1, 1]``;
  ``c_xy = sign(M_xy)`` attains the bound and no correlator exceeds 1 in absolute value.
* ``reps > 1`` (toqito's win-every-copy repetition): the quantum bracket is
  the single-copy bracket raised to the power ``reps`` (exact theorem of
  Cleve, Slofstra, Unger, Upadhyay 2007: ``w_q(G^n) = w_q(G)^n``; the map is
  increasing, so the bracket stays valid); the classical value is the exact
  enumeration of :meth:`games.xor.XorMatrixGame.repeated_classical_value`
  when it fits (no certificate kind; reported as ``"exact enumeration"``).
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from bounds.certificates import default_certificate_dir, save_certificate
from bounds.tsirelson import blas_threads
from bounds.xor import (
    XorQuantumSolve,
    dual_margin,
    solve_quantum,
    xor_classical_certificate,
    xor_dual_certificate,
    xor_vectors_certificate,
)
from bounds.xor_bnb import FRONTIER_MIN_SECONDS, FRONTIER_SHARE, rounded_game, solve_classical_bnb, xor_bnb_certificate, xor_rounded_certificate
from games.errors import GameParameterError
from games.progress import OnProgress, report
from games.xor import XorMatrixGame
from proofs.checkers.bound import Bound, Bracket
from proofs.checkers.registry import check_certificate
from proofs.checkers.xor import EXHAUSTIVE_LIMIT, check_xor_dual_arrays, check_xor_vectors_floats
from proofs.checkers.xor_bnb import MAX_DENOMINATOR as BNB_DENOMINATOR
from proofs.exact.errors import CertificateError, ProofsParameterError
from proofs.exact.xor_matrix import MAX_DENOMINATOR

__all__ = ["XorCertification", "certify_quantum", "certify_xor", "qubit_realisation"]


def qubit_realisation(u: np.ndarray, v: np.ndarray) -> dict[str, Any]:
    """Angles (rank <= 2) or Bloch vectors (rank 3) of a qubit strategy with the same correlations ``<u_x, v_y>``.

    >>> q = qubit_realisation(np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([[1.0, 1.0], [1.0, -1.0]]) / 2**0.5)
    >>> q["local_dimension"], [round(a, 6) for a in q["alice_angles"]], [round(b, 6) for b in q["bob_angles"]]
    (2, [0.0, 1.570796], [0.785398, -0.785398])
    """
    r = u.shape[1]
    if r == 1:
        return {"local_dimension": 1, "alice_signs": [int(np.sign(t) or 1) for t in u[:, 0]], "bob_signs": [int(np.sign(t) or 1) for t in v[:, 0]]}
    if r == 2:
        return {"local_dimension": 2, "state": "Phi+", "observable": "cos(t) Z + sin(t) X",
                "alice_angles": [float(math.atan2(a[1], a[0])) for a in u], "bob_angles": [float(math.atan2(b[1], b[0])) for b in v]}
    if r == 3:
        return {"local_dimension": 2, "state": "Phi+", "observable": "n . (X, Y, Z) with n = (n1, n2, n3) for (X, Y, Z)",
                "alice_bloch": [[float(t) for t in a] for a in u], "bob_bloch": [[float(b[0]), float(-b[1]), float(b[2])] for b in v]}
    return {"local_dimension": 2 ** (r // 2)}


@dataclass(frozen=True, eq=False)
class XorCertification:
    """Certified values of a finite XOR game.

    Attributes
    ----------
    game
        The game (``reps`` as given).
    quantum, classical
        Certified brackets of the single-copy winning probabilities.
    classical_exact
        Whether the classical bracket is a single point (exhaustive search).
    vectors, rank, qubit
        The quantum strategy (Alice's rows then Bob's), its dimension and its qubit realisation when ``rank <= 3``.
    classical_strategy
        ``(a, b)``: the deterministic strategy of the classical lower bound.
    repeated
        For ``reps > 1``: ``quantum_lower``, ``quantum_upper`` (single-copy bracket to the power ``reps``),
        ``classical`` (exact enumeration, or ``None`` when too large) and ``classical_strategy``.
    paths
        Certificate files by role.
    seconds
        Wall times of the quantum and classical parts.
    classical_rule
        What proves the classical upper bound: ``"exhaustive search"``, ``"branch and bound"``, a stopped branch and bound
        (its closed leaves and the bounds on the nodes it left open), either on ``M`` rounded to ``2^-52`` plus the rounding,
        or ``"Tsirelson dual"``.
    """

    game: XorMatrixGame
    quantum: Bracket
    classical: Bracket
    classical_exact: bool
    vectors: tuple[np.ndarray, np.ndarray]
    rank: int
    qubit: dict[str, Any]
    classical_strategy: tuple[list[int], list[int]]
    repeated: dict[str, Any] | None
    paths: dict[str, str]
    seconds: dict[str, float] = field(default_factory=dict)
    classical_rule: str = ""

    @property
    def nonsignalling(self) -> Fraction:
        """The no-signalling value, exactly: ``1/2 + 1/2 sum |M|`` (module docstring); 1 for every game with a deterministic predicate."""
        return Fraction(1, 2) + sum((abs(q) for row in self.game.bias for q in row), Fraction(0)) / 2

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready report (the keys ``quantum.lower``, ``quantum.upper``, ``classical.lower``, ``classical.upper``)."""
        def br(b: Bracket) -> dict[str, Any]:
            return {"lower": float(b.lower.value), "upper": float(b.upper.value), "width": float(b.width),
                    "lower_exact": _q(b.lower.value), "upper_exact": _q(b.upper.value)}

        out: dict[str, Any] = {
            "game": {"rows": self.game.rows, "cols": self.game.cols, "reps": self.game.reps, "sha256": self.game.exact().digest,
                     "normalised": self.game.normalised},
            "quantum": {**br(self.quantum), "rank": self.rank, "local_dimension": self.qubit.get("local_dimension"),
                        "strategy": {"alice": self.vectors[0].tolist(), "bob": self.vectors[1].tolist(), **self.qubit}},
            "classical": {**br(self.classical), "exact": self.classical_exact, "upper_rule": self.classical_rule,
                          "strategy": {"alice": [(1 - s) // 2 for s in self.classical_strategy[0]],
                                       "bob": [(1 - s) // 2 for s in self.classical_strategy[1]]}},
            "nonsignalling": {"value": float(self.nonsignalling), "exact": _q(self.nonsignalling),
                              "rule": "1/2 + 1/2 sum |M|: the box with uniform marginals and correlators sign(M_xy) is no-signalling; no correlator exceeds 1"},
            "certificates": self.paths,
            "seconds": self.seconds,
        }
        if self.repeated is not None:
            out["repeated"] = {k: (float(v) if isinstance(v, Fraction) else v) for k, v in self.repeated.items()}
        return out


def _q(x: Fraction) -> str:
    return f"{x.numerator}/{x.denominator}"


def _checked(cert: dict[str, Any], directory: Path | None) -> tuple[str, Bound]:
    if directory is None:
        path, bound = "<in-memory>", check_certificate(cert, "<in-memory>")
    else:
        path = save_certificate(cert, directory)
        bound = check_certificate(path)
    return path, bound


def _checked_dual(base: XorMatrixGame, x: np.ndarray, y: np.ndarray, directory: Path | None, tries: int = 8) -> tuple[str, Bound, np.ndarray, np.ndarray]:
    """The quantum dual certificate of ``x``, ``y`` (which include :func:`bounds.xor.dual_margin`), else with extra margins quadrupling from it.

    In memory (``directory=None``) the checker takes the arrays themselves
    (:func:`proofs.checkers.xor.check_xor_dual_arrays`, the same lemma X1
    check as the certificate file gets); else the certificate is written and
    checked from its file.
    """
    delta, step = 0.0, 0.0
    for _ in range(tries):
        xd, yd = (x + delta, y + delta) if delta else (x, y)
        try:
            if directory is None:
                return "<in-memory>", check_xor_dual_arrays(base.checked_bias, xd, yd, model="quantum"), xd, yd
            path, bound = _checked(xor_dual_certificate(base, xd, yd, "quantum"), directory)
            return path, bound, xd, yd
        except CertificateError:
            step = 4.0 * step if step else dual_margin(base, x, y)
            delta += step
    raise CertificateError(f"no dual certificate passed its checker (last extra margin {delta:.3e})")


#: largest side solved and checked without :func:`bounds.tsirelson.blas_threads` (entering it costs about 0.1 ms): up to
#: here the lean path calls no LAPACK eigensolver, and OpenBLAS runs the products and Cholesky factorisations it does call
#: (at most 64 x 64 x 64) on one thread by itself
SMALL_SIDE = 64


def certify_quantum(base: XorMatrixGame, directory: Path | None, paths: dict[str, str], *, seed: int = 0) -> tuple[Bracket, XorQuantumSolve, np.ndarray, np.ndarray]:
    """The certified quantum bracket of a single-copy game: solve, both certificates, both checkers (paths added to ``paths``).

    Returns the bracket, the solve and the dual weights the checker accepted.
    With ``directory=None`` the certificates stay in memory: the checkers of
    :mod:`proofs.checkers.xor` take the arrays and the game's validated
    :class:`proofs.exact.xor_matrix.BiasMatrix` directly (the same checks as
    on the files, without writing and parsing them; the vectors go to the
    checker as floats, which it puts on the dyadic grid of the file's vectors itself).

    >>> b, sol, _, _ = certify_quantum(XorMatrixGame.from_bias([["1/4", "1/4"], ["1/4", "-1/4"]]), None, {})
    >>> float(b.lower.value) <= 0.853553390593 <= float(b.upper.value), sol.rank
    (True, 2)
    """
    with nullcontext() if max(base.rows, base.cols) <= SMALL_SIDE else blas_threads():
        sol = solve_quantum(base, seed=seed)
        paths["quantum_upper"], qu, dx, dy = _checked_dual(base, sol.x, sol.y, directory)
    if directory is None:
        paths["quantum_lower"], ql = "<in-memory>", check_xor_vectors_floats(base.checked_bias, sol.u, sol.v)  # the grid of vector_ints
    else:
        paths["quantum_lower"], ql = _checked(xor_vectors_certificate(base, sol.u, sol.v), directory)
    return Bracket(ql, qu), sol, dx, dy


def _exhaustive_seconds(game: XorMatrixGame) -> float:
    k, n = min(game.rows, game.cols), max(game.rows, game.cols)
    passes = 2 if game.integer_form[1] >= MAX_DENOMINATOR else 1  # lemma X4b: the maximum, then the near ties
    return 2.0 ** (k - 1) * n * 4e-9 * 2 * passes + 0.01  # our search and the checker's, about 4 ns per entry each


#: the steps :func:`certify_xor` reports: quantum value, classical value, repeated game
_STEPS = 3


def _bnb_progress(on_progress: OnProgress, budget: float) -> Callable[[float, int], None]:
    """The branch and bound's ``(closed, nodes)`` as ``on_progress(per cent closed, 100, what)`` (below 100 until all is closed)."""

    shown = [-1]

    def hook(closed: float, nodes: int) -> None:
        pct = 100 if closed >= 1.0 else min(99, int(100 * closed))
        if pct == shown[0] == 100:  # (the search's last call after its last subtree: the line is already closed)
            return
        shown[0] = pct
        on_progress(pct, 100, f"branch and bound, {nodes} nodes, budget {budget:.0f} s")

    return hook


def _frontier_progress(on_progress: OnProgress, limit: float) -> Callable[[int, int], None]:
    """A stopped branch and bound's ``(done, total)`` open nodes bounded as ``on_progress(done, total, what)``."""

    def hook(done: int, total: int) -> None:
        on_progress(done, total, f"open nodes bounded, at most {limit:.0f} s")

    return hook


def certify_xor(game: XorMatrixGame, *, time_limit: float = 60.0, cert_dir: str | Path | None = None, seed: int = 0,
                write: bool = True, on_progress: OnProgress | None = None) -> XorCertification:
    """Certify the quantum and classical values of ``game`` (module docstring).

    ``time_limit`` (seconds) bounds the classical search: the exhaustive
    search runs when its estimated time fits, else a local search uses the
    budget.  ``write=False`` keeps the certificates in memory.
    ``on_progress(done, total, what)`` (:data:`games.progress.OnProgress`), if
    given, hears of the three steps (quantum, classical, repeated game) and,
    while the branch and bound runs, of the share of the strategies it has
    closed (in per cent: ``(k, 100, "branch and bound, ...")``).

    >>> chsh = XorMatrixGame.from_toqito([[0.25, 0.25], [0.25, 0.25]], [[0, 0], [0, 1]])
    >>> r = certify_xor(chsh, write=False)
    >>> float(r.quantum.lower.value) <= 0.853553390593 <= float(r.quantum.upper.value), r.classical.lower.value, r.classical_exact
    (True, Fraction(3, 4), True)
    """
    if not (isinstance(time_limit, (int, float)) and math.isfinite(time_limit) and time_limit > 0):
        raise ProofsParameterError(f"`time_limit` must be a positive number of seconds; got {time_limit!r}")
    directory = (Path(cert_dir) if cert_dir is not None else default_certificate_dir()) if write else None
    base = game.base()
    paths: dict[str, str] = {}
    t0 = time.perf_counter()
    report(on_progress, 0, _STEPS, "quantum value")
    quantum, sol, dx, dy = certify_quantum(base, directory, paths, seed=seed)
    tq = time.perf_counter() - t0
    t1 = time.perf_counter()
    k = min(base.rows, base.cols)
    exact = k <= EXHAUSTIVE_LIMIT and _exhaustive_seconds(base) <= time_limit
    report(on_progress, 1, _STEPS, "classical value: " + ("exhaustive search" if exact else "local search, branch and bound"))
    if exact:
        try:
            value, a, b = base.classical_exhaustive()
        except GameParameterError:  # lemma X4b: too many near ties to recheck exactly; the bracket below instead
            exact = False
    if exact:
        rule = "exhaustive search"
        paths["classical_upper"], cu = _checked(xor_classical_certificate(base, "upper", value), directory)
    else:
        starts = np.vstack([sol.u, sol.v])
        bnb_ok = base.integer_form[1] < BNB_DENOMINATOR  # the B&B checker needs L < 2^53; else it runs on M rounded (lemma X7)
        searched = base if bnb_ok else rounded_game(base)
        # a short local search seeds the branch and bound, which gets the rest of the budget
        value, a, b = base.classical_local_search(seed=seed, time_limit=max(0.1, 0.1 * time_limit - (time.perf_counter() - t1)), starts=starts)
        # the rest of the budget: the search, then about FRONTIER_SHARE of its time on the nodes it left open (at most twice that),
        # then the checks; the frontier gives up once it cannot beat the Tsirelson dual (frontier_cap)
        budget = max(0.1, 0.8 * (time_limit - (time.perf_counter() - t1)) / (1.0 + FRONTIER_SHARE))
        cert = xor_dual_certificate(base, dx, dy, "classical")
        bnb = solve_classical_bnb(searched, time_limit=budget, seed=seed, incumbent=(a, b), workers=min(2, os.cpu_count() or 1),
                                  on_progress=None if on_progress is None else _bnb_progress(on_progress, budget),
                                  frontier_cap=float(Fraction(cert["bound"])),
                                  on_frontier=None if on_progress is None else _frontier_progress(on_progress, max(2 * FRONTIER_SHARE * budget, FRONTIER_MIN_SECONDS)))
        report(on_progress, 1, _STEPS, "classical value: checking the certificate")
        if bnb_ok and bnb.complete:  # exact: the leaves are re-verified by the xor-classical-bnb checker
            exact = True
            value, a, b = Fraction(1, 2) + Fraction(bnb.value, 2 * base.integer_form[1]), bnb.a, bnb.b
            rule = "branch and bound"
            paths["classical_upper"], cu = _checked(xor_bnb_certificate(base, bnb), directory)
        else:
            if base.strategy_value(bnb.a, bnb.b) > value:
                value, a, b = base.strategy_value(bnb.a, bnb.b), bnb.a, bnb.b
            # the search's leaves and frontier (lemma X5; for M' rounded plus sum |M - M'| / 2, lemma X7: complete, a bracket of
            # width ~ rows cols 2^-52), or the Tsirelson dual read for the classical model when that is lower or the frontier failed
            rule = "Tsirelson dual"
            if bnb.upper is not None:
                inner = xor_bnb_certificate(searched, bnb)
                tree = inner if bnb_ok else xor_rounded_certificate(base, searched, inner)
                if Fraction(tree["bound"]) < Fraction(cert["bound"]):
                    cert = tree
                    rule = ("branch and bound" if bnb.complete else
                            f"branch and bound stopped at the time limit (its {len(bnb.leaves)} closed leaves and bounds on the {len(bnb.frontier)} nodes it left open)")
                    rule += "" if bnb_ok else " on M rounded to 2^-52, plus the rounding"
            paths["classical_upper"], cu = _checked(cert, directory)
    paths["classical_lower"], cl = _checked(xor_classical_certificate(base, "lower", value, a, b), directory)
    classical = Bracket(cl, cu)
    if cl.value > quantum.upper.value:
        raise CertificateError("contradictory certificates: the classical lower bound exceeds the quantum upper bound")
    tc = time.perf_counter() - t1
    repeated = None
    if game.reps > 1:
        report(on_progress, 2, _STEPS, f"{game.reps} parallel repetitions: classical value")
        n = game.reps
        repeated = {"reps": n, "quantum_lower": quantum.lower.value**n, "quantum_upper": quantum.upper.value**n,
                    "quantum_rule": "w_q(G^n) = w_q(G)^n (Cleve, Slofstra, Unger, Upadhyay 2007), applied to the certified single-copy bracket"}
        try:
            cval, strat = game.repeated_classical_value()
            repeated.update(classical=cval, classical_exact=_q(cval), classical_rule="exact enumeration of deterministic strategies", classical_strategy=strat)
        except GameParameterError as exc:
            repeated.update(classical=None, classical_rule=str(exc))
    report(on_progress, _STEPS, _STEPS, "done")
    return XorCertification(
        game, quantum, classical, exact, (sol.u, sol.v), sol.rank, qubit_realisation(sol.u, sol.v), (a, b), repeated, paths,
        {"quantum": tq, "classical": tc}, rule,
    )
