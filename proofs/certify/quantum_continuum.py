"""Certified continuum quantum bracket to about six digits (lemma Q6).

* lower bound: the N-bin optimal strategy read as a bin-constant strategy of
  the continuous game (``"quantum-vectors"`` with ``N`` null, lemma Q4);
* upper bound: the N-bin Tsirelson dual read as bin densities and scaled by
  ``1 + tau`` (``"tsirelson-dual-continuum"``, lemma Q6), whose price ``tau``
  is second order in the cell size.

On the paper's game (``C = 33/100``) the bracket is about ``2e-6`` wide at
``N = 1000`` and ``5e-7`` at ``N = 2048`` (the crossed-cell relaxation of
lemma Q3 gives ``1.6e-4``).  Both numbers have passed their checkers; no
solver float is used.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bounds.certificates import default_certificate_dir, save_certificate
from proofs.checkers.bound import Bound, Bracket, Target
from proofs.checkers.registry import check_certificate
from proofs.exact import cell_enclosure, exact_game
from proofs.exact.cells import MAX_N
from proofs.exact.errors import CertificateError, ProofsParameterError

__all__ = ["ContinuumQuantumCertification", "certify_quantum_continuum"]

#: bins of the default certified continuum bracket: the largest grid a checker rebuilds (width ~5e-7 on the paper's game)
DEFAULT_N = MAX_N


@dataclass(frozen=True, eq=False)
class ContinuumQuantumCertification:
    """A checked continuum quantum bracket (lemma Q4 below, lemma Q6 above).

    Attributes
    ----------
    bracket
        Certified bracket of the continuum quantum value.
    n
        Bins of the grid behind both certificates.
    tau
        The scaling ``tau`` of lemma Q6 (exact, from the checked certificate).
    paths
        Certificate files: ``"lower"``, ``"upper"``.
    seconds
        Wall-clock time of solve, write and check.
    """

    bracket: Bracket
    n: int
    tau: Any
    paths: dict[str, str]
    seconds: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "lower": float(self.bracket.lower.value),
            "upper": float(self.bracket.upper.value),
            "width": float(self.bracket.width),
            "N": self.n,
            "tau": float(self.tau),
            "certificates": [self.paths["lower"], self.paths["upper"]],
            "seconds": self.seconds,
        }


def _checked(cert: dict[str, Any], directory: Path, target: Target) -> tuple[str, Bound]:
    """Write ``cert``, check the file, and make sure it proves ``target``."""
    path = save_certificate(cert, directory)
    try:
        bound = check_certificate(path)
    except CertificateError as exc:
        raise CertificateError(f"the {cert['kind']} certificate written for {target.label()} did not pass its checker ({path}): {exc}") from exc
    if bound.target != target:
        raise CertificateError(f"certificate {path} proves {bound.target.label()}, not the requested {target.label()}")
    return path, bound


def certify_quantum_continuum(
    game: Any,
    n: int = DEFAULT_N,
    *,
    cert_dir: str | Path | None = None,
    method: str = "fast",
    seed: int = 0,
    result: Any = None,
    lower: tuple[str, Bound] | None = None,
) -> ContinuumQuantumCertification:
    """Certified bracket of the continuum quantum value from one N-bin Tsirelson solve (lemmas Q4, Q6).

    ``result`` reuses a :class:`bounds.tsirelson.TsirelsonResult` of the same
    game and ``n``; ``lower`` reuses an already checked continuum lower bound
    ``(path, bound)`` (e.g. from :func:`proofs.certify.quantum.certify_quantum`).

    >>> import math, tempfile
    >>> from games import linear_boundary_game
    >>> r = certify_quantum_continuum(linear_boundary_game(), 64, cert_dir=tempfile.mkdtemp())
    >>> float(r.bracket.lower.value) <= 0.5 + 1 / math.pi <= float(r.bracket.upper.value) < 0.5 + 1 / math.pi + 1e-3
    True
    """
    from bounds.tsirelson import blas_threads
    from games.spec import XorGame

    if not isinstance(game, XorGame):
        raise ProofsParameterError(f"`game` must be a games.XorGame; got {type(game).__name__}")
    if not isinstance(n, int) or isinstance(n, bool) or not 2 <= n <= MAX_N:
        raise ProofsParameterError(f"`n` must be an integer in [2, {MAX_N}]; got {n!r}")
    directory = Path(cert_dir) if cert_dir is not None else default_certificate_dir()
    with blas_threads():  # thread policy: README, "Speed and threads"
        return _certify(game, n, directory, method, seed, result, lower)


def _certify(game: Any, n: int, directory: Path, method: str, seed: int, result: Any, lower: tuple[str, Bound] | None) -> ContinuumQuantumCertification:
    from bounds.certificates import vectors_certificate
    from bounds.quantum_continuum import continuum_dual
    from bounds.tsirelson import tsirelson
    from games.discretise import discretise

    t0 = time.perf_counter()
    exact = exact_game(game).describe()
    disc = discretise(game, n)
    if result is not None and getattr(result, "n", None) != n:
        raise ProofsParameterError(f"`result` must be a Tsirelson solve with N = {n}; got N = {getattr(result, 'n', None)}")
    res = result if result is not None else tsirelson(disc, method=method, seed=seed)
    solver = {"method": method, "seed": seed, "iterations": res.iterations, "shift": res.shift, "status": res.status}
    target = Target(exact, None, "quantum")
    if lower is None:
        lower = _checked(vectors_certificate(disc, res.strategy.u, res.strategy.v, continuum=True, solver=solver), directory, target)
    elif lower[1].target != target or lower[1].side != "lower":
        raise ProofsParameterError(f"`lower` must be a checked lower bound on {target.label()}; got {lower[1].side} on {lower[1].target.label()}")
    dual = continuum_dual(disc, result=res, enclosure=cell_enclosure(exact, n), solver=solver)
    up_path, upper = _checked(dual.certificate, directory, target)
    return ContinuumQuantumCertification(
        Bracket(lower[1], upper), n, upper.details["tau"], {"lower": lower[0], "upper": up_path}, time.perf_counter() - t0,
    )
