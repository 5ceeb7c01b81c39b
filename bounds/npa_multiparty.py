"""NPA upper-bound candidates for K-party correlator games (levels 1, 1+AB, 1+AB+ABC, 1+AB+ABC+ABCD) with a dual certificate.

For a :class:`games.multiparty.CorrelatorGame` (binary answers, +-1 observables
``A^i_x``) the moment matrix of level ``"1"`` is indexed by ``{1, A^i_x}`` and
level ``"1+ab"`` adds the products ``A^i_x A^j_y`` of two players
(:mod:`proofs.exact.npa_moments`).  We solve the *dual* SDP directly:

    minimise  constant + tr Z   over symmetric Z >= 0
    with      sum of Z over the entries of moment m  =  -c_m   for every moment m != 1,

``c_m`` the game's weight on moment ``m`` (0 for moments the game does not
weigh).  Any such ``Z`` bounds every quantum strategy (lemma N1 in
``proofs/lemmas_quantum.md``); the solver's ``Z`` is rounded to integers over
``2^E``, its moment sums repaired in integers, its diagonal shifted until
:func:`proofs.exact.psd.verified_psd` proves it PSD, and written as an
``"npa-multiparty-dual"`` certificate which only :mod:`proofs.checkers.multiparty`
turns into a bound.  The float here is an *estimate*.

Party symmetry (``symmetric=True``, party-symmetric games with ``K = 3``):
:mod:`bounds.npa_symmetry` solves the primal reduced by the permutations of the
players (and, for games of even terms, the global sign flip): one variable per
orbit of moments and the isotypic blocks of ``S_3`` (trivial, sign, one copy of
the standard), split by parity, of sides about ``n/6, n/6, n/3`` instead of
``n``, passed to SCS or Clarabel directly; the full-size invariant dual ``Z``
rebuilt from the solver's dual blocks is rounded and certified exactly as the
unreduced one (the checker never sees the symmetry).  At ``N = 16`` (side 817)
this is about 100 s of SCS on a shared machine where the cvxpy model of the
invariant dual had not finished in 13 minutes.

>>> import numpy as np
>>> from games.multiparty import CorrelatorGame
>>> chsh = CorrelatorGame(2, 2, {(0, 1): np.array([[1.0, 1.0], [1.0, -1.0]]) / 8}, constant=0.5)
>>> r = npa_multiparty(chsh, level="1")
>>> round(r.upper_estimate, 6), r.size          # cos^2(pi/8) = 0.853553...
(0.853553, 5)
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bounds.errors import BoundsParameterError, BoundsTypeError, SolverError
from bounds.result import SolverResult, SolveStatus
from proofs.exact.certificate import new_certificate
from proofs.exact.correlator_game import CorrelatorDescription, ExactCorrelator, integer_form
from proofs.exact.npa_moments import LEVELS, MomentStructure, grouped_sums, moment_structure, proven_value
from proofs.exact.psd import verified_psd

__all__ = ["KIND", "NpaMultipartyResult", "dual_certificate", "exact_correlator", "npa_multiparty"]

KIND = "npa-multiparty-dual"
SOLVERS = ("scs", "clarabel")


@dataclass(frozen=True, eq=False)
class NpaMultipartyResult(SolverResult):
    """An NPA dual for a correlator game: the estimate and the candidate certificate.

    Attributes
    ----------
    upper_estimate
        The value the certificate claims, ``constant + tr Z + residual``
        (float of the exact claim): an upper-bound *candidate* until
        :mod:`proofs.checkers.multiparty` verifies it.
    solver_estimate
        ``constant + tr Z`` of the solver's ``Z`` before rounding and shift.
    level, size, n_moments, n_variables
        NPA level, side of the moment matrix, distinct moments (identity
        included), free variables of the solved problem (the full dual's ``n (n + 1) / 2`` entries, or the
        reduced primal's moment orbits).
    symmetric
        Whether the party-symmetric reduction (:mod:`bounds.npa_symmetry`) was used; ``blocks`` the PSD block sides.
    solver
        ``"scs"`` or ``"clarabel"``.
    shift
        Diagonal shift added so that the verified Cholesky proves ``Z`` PSD.
    certificate
        The ``"npa-multiparty-dual"`` certificate (a JSON-ready dict).
    """

    upper_estimate: float
    solver_estimate: float
    level: str
    size: int
    n_moments: int
    n_variables: int
    symmetric: bool
    blocks: tuple[int, ...]
    solver: str
    shift: float
    certificate: dict[str, Any]


def exact_correlator(game: Any) -> ExactCorrelator:
    """The game's exact weights as integers over one denominator (its ``exact_terms``, else each float read exactly)."""
    from games.multiparty import CorrelatorGame

    if not isinstance(game, CorrelatorGame):
        raise BoundsTypeError(f"`game` must be a games.multiparty.CorrelatorGame; got {type(game).__name__}")
    if game.exact_terms is not None and game.exact_constant is not None:
        terms = {S: list(w) for S, w in game.exact_terms.items()}
        const = Fraction(game.exact_constant)
    else:
        terms = {S: [Fraction(float(v)) for v in np.asarray(W).ravel()] for S, W in game.terms.items()}
        const = Fraction(float(game.constant))
    den, c, ints = integer_form(terms, const)
    return ExactCorrelator(game.K, game.N, den, c, ints, game.quantity)


def _moment_ids(ms: MomentStructure) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    uniq, inv = np.unique(ms.keys, return_inverse=True)
    return uniq, inv.reshape(ms.keys.shape).astype(np.int64)


def _weight_vector(ms: MomentStructure, game: Any, uniq: NDArray[np.int64]) -> NDArray[np.float64]:
    c = np.zeros(uniq.size)
    for S, W in game.terms.items():
        keys = ms.term_keys(S)
        pos = np.searchsorted(uniq, keys)
        if np.any(pos >= uniq.size) or np.any(uniq[np.minimum(pos, uniq.size - 1)] != keys):
            raise BoundsParameterError(f"the {len(S)}-body term {S} is not a moment of NPA level {ms.level!r}; use level '1+ab'")
        np.add.at(c, pos, np.asarray(W, dtype=np.float64).ravel())
    return c


# --------------------------------------------------------------------------- the SDP
def _solve(ms: MomentStructure, mid: NDArray[np.int64], c: NDArray[np.float64], ident: int, solver: str,
           eps: float) -> tuple[NDArray[np.float64], int, tuple[int, ...], str]:
    """The full dual through cvxpy (no symmetry): ``Z`` in the game's scale, free variables, block sides, solver message."""
    import cvxpy as cp
    import scipy.sparse as sp

    n = ms.size
    nm = c.size
    rows = mid.ravel()
    keep = rows != ident
    posn = np.arange(n * n)
    a_full = sp.csr_matrix((np.ones(int(keep.sum())), (rows[keep], posn[keep])), shape=(nm, n * n))
    scale = 1.0 / max(float(np.abs(c).max()), 1e-300)
    z = cp.Variable((n, n), PSD=True)
    sel = np.flatnonzero(np.arange(nm) != ident)
    cons = [a_full[sel] @ cp.vec(z, order="C") == -scale * c[sel]]
    prob = cp.Problem(cp.Minimize(cp.trace(z)), cons)
    opts: dict[str, Any] = {"eps_abs": eps, "eps_rel": eps, "max_iters": 200000} if solver == "scs" else {}
    try:
        prob.solve(solver=cp.SCS if solver == "scs" else cp.CLARABEL, **opts)
    except cp.error.SolverError as exc:
        raise SolverError(f"cvxpy/{solver} failed on the NPA level-{ms.level} dual: {exc}") from exc
    if prob.status not in (cp.OPTIMAL, cp.OPTIMAL_INACCURATE):
        raise SolverError(f"cvxpy/{solver} returned status {prob.status!r} on the NPA level-{ms.level} dual (need 'optimal')")
    zf = np.asarray(z.value, dtype=np.float64) / scale
    iters = int(prob.solver_stats.num_iters or 0)
    return (zf + zf.T) / 2, n * (n + 1) // 2, (n,), f"cvxpy/{solver} {prob.status} after {iters} iterations"


def _solve_symmetric(ms: MomentStructure, game: Any, solver: str, eps: float) -> tuple[NDArray[np.float64], int, tuple[int, ...], str]:
    """The reduced primal in the solver's own form (:mod:`bounds.npa_symmetry`); the full invariant dual it yields."""
    from bounds.npa_symmetry import reduce_relaxation, solve_reduced

    red = reduce_relaxation(ms, game)
    sol = solve_reduced(red, solver=solver, eps=eps)
    msg = (f"{solver} (reduced: {red.n_variables} moment orbits, blocks {red.blocks}) {sol.status} "
           f"after {sol.iterations} iterations, {sol.seconds:.1f} s")
    return sol.z, red.n_variables, red.blocks, msg


def _round_and_repair(ms: MomentStructure, mid: NDArray[np.int64], ident: int, exact: ExactCorrelator, zf: NDArray[np.float64]) -> tuple[NDArray[np.int64], int]:
    """Integers ``k`` over ``2^E`` near ``zf`` whose moment sums match ``-c_m`` to one unit (corrections on one entry pair per moment)."""
    n = ms.size
    top = max(float(np.abs(zf).max()), 1e-300)
    e = int(min(1000, max(0, 50 - math.ceil(math.log2(top)))))
    k = np.rint(np.ldexp(zf, e)).astype(np.int64)
    k = np.triu(k) + np.triu(k, 1).T
    sums = grouped_sums(ms.keys, k)
    den = exact.denominator
    target: dict[int, int] = {}
    for S, w in exact.terms.items():
        for key, v in zip(ms.term_keys(S).tolist(), w):
            target[key] = -round(Fraction(v * 2**e, den))
    iu = np.triu_indices(n, 1)
    first = np.unique(mid[iu], return_index=True)
    for m_id, idx in zip(first[0].tolist(), first[1].tolist()):
        if m_id == ident:
            continue
        a, b = int(iu[0][idx]), int(iu[1][idx])
        key = int(ms.keys[a, b])
        diff = sums.get(key, 0) - target.get(key, 0)
        half = diff // 2
        if half:
            k[a, b] -= half
            k[b, a] -= half
    return k, e


def dual_certificate(ms: MomentStructure, exact: ExactCorrelator, zf: NDArray[np.float64]) -> tuple[dict[str, Any], Fraction, float]:
    """Round ``zf``, repair its moment sums, shift its diagonal until verified PSD; return ``(certificate, claim, shift)``."""
    _, mid = _moment_ids(ms)
    ident = int(mid[0, 0])
    k, e = _round_and_repair(ms, mid, ident, exact, zf)
    n = ms.size
    zr = np.ldexp(k.astype(np.float64), -e)
    lam = float(np.linalg.eigvalsh(zr)[0])
    scale = max(float(np.abs(np.diag(zr)).max()), 1e-300)
    delta = max(0.0, -lam) * 1.01 + 64 * n * 2.0**-52 * scale
    idx = np.arange(n)
    for _ in range(40):
        step = math.ceil(delta * 2.0**e)
        kk = k.copy()
        kk[idx, idx] += step
        if int(np.abs(kk).max()) >= 2**53:
            break
        if verified_psd(np.ldexp(kk.astype(np.float64), -e)).ok:
            proven, _ = proven_value(ms, exact, kk, e)
            desc = CorrelatorDescription.from_integers(exact.K, exact.N, exact.denominator, exact.constant, exact.terms, exact.quantity)
            cert = new_certificate(
                KIND, desc.describe(), exact.N, "upper", proven, level=ms.level, denominator=exact.denominator,
                constant=exact.constant, terms=[{"players": list(S), "weights": list(w)} for S, w in sorted(exact.terms.items())],
                dual_exponent=e, dual=kk[np.triu_indices(n)].tolist(),
            )
            return cert, proven, step / 2.0**e
        delta *= 4.0
    raise SolverError(f"could not make the NPA dual verifiably PSD (lambda_min estimate {lam:.3e})")


def npa_multiparty(game: Any, *, level: str = "1+ab", symmetric: bool | str = "auto", solver: str = "scs", eps: float = 1e-9) -> NpaMultipartyResult:
    """Solve the NPA dual of ``level`` for a correlator game and return the estimate and a candidate certificate.

    Parameters
    ----------
    game
        A :class:`games.multiparty.CorrelatorGame`.
    level
        ``"1"`` (terms of at most two players), ``"1+ab"`` (terms of at most four players),
        ``"1+ab+abc"`` or ``"1+ab+abc+abcd"`` (products of one letter from each of up to three / four
        players: tighter, side ``(1 + N)^K`` at full depth).
    symmetric
        ``True``: use the party-symmetric reduction (a party-symmetric game, ``K = 3``);
        ``False``: the full moment matrix; ``"auto"``: ``True`` when it applies.
    solver
        ``"scs"`` or ``"clarabel"``.
    eps
        SCS tolerance.
    """
    exact = exact_correlator(game)
    if level not in LEVELS:
        raise BoundsParameterError(f"`level` must be one of {LEVELS}; got {level!r}")
    if solver not in SOLVERS:
        raise BoundsParameterError(f"`solver` must be one of {SOLVERS}; got {solver!r}")
    if symmetric not in (True, False, "auto"):
        raise BoundsParameterError(f"`symmetric` must be True, False or 'auto'; got {symmetric!r}")
    if not (isinstance(eps, float) and 0 < eps < 1e-3):
        raise BoundsParameterError(f"`eps` must be a float in (0, 1e-3); got {eps!r}")
    applies = game.K == 3 and game.symmetric
    if symmetric is True and not applies:
        raise BoundsParameterError(f"`symmetric=True` needs a party-symmetric game with K = 3; got K = {game.K}, symmetric = {game.symmetric}")
    use_sym = applies if symmetric == "auto" else bool(symmetric)
    start = time.perf_counter()
    ms = moment_structure(game.K, game.N, level)
    uniq, mid = _moment_ids(ms)
    c = _weight_vector(ms, game, uniq)
    ident = int(mid[0, 0])
    if use_sym:
        zf, nvar, blocks, msg = _solve_symmetric(ms, game, solver, eps)
    else:
        zf, nvar, blocks, msg = _solve(ms, mid, c, ident, solver, eps)
    solver_est = float(game.constant) + float(np.trace(zf))
    cert, proven, shift = dual_certificate(ms, exact, zf)
    return NpaMultipartyResult(
        upper_estimate=float(proven), solver_estimate=solver_est, level=level, size=ms.size, n_moments=int(uniq.size),
        n_variables=nvar, symmetric=use_sym, blocks=blocks, solver=solver, shift=shift, certificate=cert,
        status=SolveStatus.OPTIMAL, message=f"NPA level {level}, K = {game.K}, N = {game.N}, side {ms.size}: {msg}",
        seconds=time.perf_counter() - start, parameters={"level": level, "symmetric": use_sym, "solver": solver, "eps": eps},
    )
