"""Angle ansaetze for quantum strategies (Sec. 4.4 of the paper); estimates only.

The routers share ``|psi^->`` and measure in the XY plane at angles
``theta_A(a)`` and ``theta_B(b)``; the outcome correlator is
``-cos(Delta)`` with ``Delta = theta_A(a) - theta_B(b)``.  An ansatz writes
``Delta`` as a polynomial ``sum_k d_k a^p_k b^q_k``.  Only terms that depend on
one input (``p = 0`` or ``q = 0``) split into local angles
``theta_A(a) = sum_{q_k = 0} d_k a^p_k`` and
``theta_B(b) = -sum_{p_k = 0, q_k > 0} d_k b^q_k``; a mixed term such as
``a*b`` is not a difference of local angles, and :class:`Ansatz` refuses it.

:func:`optimise_angles` maximises the winning probability of the bin-constant
strategy (angles taken at the bin midpoints) exactly against the discretised
rule; its :class:`games.Estimate` also records the winning probability of the
smooth (continuous-angle) ansatz on the continuous game, computed by
Gauss-Legendre quadrature (:func:`continuum_value`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import optimize

from games.discretise import Discretisation
from games.errors import AnsatzError, GameParameterError, GameTypeError, SearchError, check_bool, check_int, check_seed, check_type, show
from games.estimate import Estimate
from games.progress import progress
from games.spec import XorGame
from games.strategies import AngleStrategy

__all__ = ["LINEAR", "QUADRATIC", "Ansatz", "continuum_value", "optimise_angles"]


@dataclass(frozen=True)
class Ansatz:
    """``Delta(a, b) = sum_k d_k a^p_k b^q_k`` with monomials ``terms = ((p_k, q_k), ...)``.

    >>> Ansatz(((0, 0), (1, 0), (0, 1))).n_params
    3
    >>> Ansatz(((0, 0), (1, 1)))
    Traceback (most recent call last):
    ...
    games.errors.AnsatzError: term a^1 b^1 mixes both inputs: Delta must be theta_A(a) - theta_B(b), a difference of local angles, and no pair of local measurements realises a*b-type terms
    """

    terms: tuple[tuple[int, int], ...]
    name: str = "custom"

    def __post_init__(self) -> None:
        terms = tuple((int(p), int(q)) for p, q in self.terms)
        if not terms:
            raise AnsatzError("`terms` must list at least one monomial (p, q); got none")
        for p, q in terms:
            if p < 0 or q < 0:
                raise AnsatzError(f"monomial exponents must be >= 0; got ({p}, {q})")
            if p > 0 and q > 0:
                raise AnsatzError(
                    f"term a^{p} b^{q} mixes both inputs: Delta must be theta_A(a) - theta_B(b), a difference of "
                    "local angles, and no pair of local measurements realises a*b-type terms"
                )
        if len(set(terms)) != len(terms):
            raise AnsatzError(f"`terms` must not repeat a monomial; got {terms}")
        object.__setattr__(self, "terms", terms)

    @property
    def n_params(self) -> int:
        return len(self.terms)

    def basis(self, a: ArrayLike, b: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Matrices ``A[i, k]``, ``B[j, k]`` with ``theta_A = A @ d`` and ``theta_B = B @ d``."""
        a = np.asarray(a, dtype=float)
        b = np.asarray(b, dtype=float)
        A = np.zeros((a.size, self.n_params))
        B = np.zeros((b.size, self.n_params))
        for k, (p, q) in enumerate(self.terms):
            if q == 0:
                A[:, k] = a**p
            else:
                B[:, k] = -(b**q)
        return A, B

    def angles(self, params: ArrayLike, a: ArrayLike, b: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """Local angles ``theta_A(a), theta_B(b)`` for parameters ``d``."""
        d = np.asarray(params, dtype=float)
        if d.shape != (self.n_params,):
            raise AnsatzError(f"`params` must have {self.n_params} entries for {self.terms}; got shape {d.shape}")
        A, B = self.basis(a, b)
        return A @ d, B @ d


#: The paper's linear ansatz ``Delta = d0 + d1 a + d2 b``.
LINEAR = Ansatz(((0, 0), (1, 0), (0, 1)), name="linear")
#: Quadratic ansatz with separate ``a^2`` and ``b^2`` terms (no ``a b`` term).
QUADRATIC = Ansatz(((0, 0), (1, 0), (0, 1), (2, 0), (0, 2)), name="quadratic")


def _objective(M: NDArray[np.float64], A: NDArray[np.float64], B: NDArray[np.float64]):  # noqa: ANN202
    def f(d: NDArray[np.float64]) -> tuple[float, NDArray[np.float64]]:
        ta, tb = A @ d, B @ d
        ca, sa, cb, sb = np.cos(ta), np.sin(ta), np.cos(tb), np.sin(tb)
        Mcb, Msb = M @ cb, M @ sb
        # sum_ij M_ij cos(ta_i - tb_j) = ca.M.cb + sa.M.sb;  P = 1/2 - 1/2 * that
        s = ca @ Mcb + sa @ Msb
        # d/dta_i = -sa_i (M cb)_i + ca_i (M sb)_i ; d/dtb_j = (M^T ca)_j (-sb_j) + (M^T sa)_j cb_j
        gta = -sa * Mcb + ca * Msb
        MTca, MTsa = M.T @ ca, M.T @ sa
        gtb = -sb * MTca + cb * MTsa
        grad = A.T @ gta + B.T @ gtb
        return float(0.5 * s), 0.5 * grad  # minimise (P - 1/2) negated

    return f


#: most random starts of :func:`optimise_angles` (each is one L-BFGS-B run)
ANGLE_STARTS_MAX = 10_000


def optimise_angles(
    disc: Discretisation,
    ansatz: Ansatz = LINEAR,
    *,
    starts: int = 12,
    seed: int = 0,
    continuum: bool = True,
) -> Estimate:
    """Maximise the winning probability of an angle ansatz on the N-bin game.

    Angles are evaluated at bin midpoints, so the strategy is bin-constant and
    its value is exact against the discretised rule (up to rounding).  The
    search runs L-BFGS-B from ``starts`` random parameter vectors.

    Returns
    -------
    Estimate
        ``value``: winning probability of the best bin-constant strategy;
        ``parameters["params"]``: the ansatz coefficients ``d``;
        ``parameters["continuum_value"]``: the smooth ansatz on the continuous
        game (quadrature), when ``continuum`` is true.

    Examples
    --------
    >>> from games import discretise, linear_boundary_game
    >>> est = optimise_angles(discretise(linear_boundary_game(), 100), starts=4)
    >>> abs(est.value - (0.5 + 1 / np.pi)) < 2e-3
    True
    """
    check_type("disc", disc, Discretisation, "a games.Discretisation")
    check_type("ansatz", ansatz, Ansatz, "a games.quantum_search.Ansatz (LINEAR, QUADRATIC)")
    starts = check_int("starts", starts, low=1, high=ANGLE_STARTS_MAX)
    seed = check_seed("seed", seed)
    continuum = check_bool("continuum", continuum)
    x = disc.midpoints
    A, B = ansatz.basis(x, x)
    f = _objective(disc.matrix, A, B)
    rng = np.random.default_rng(seed)
    best_val, best_d = np.inf, None
    failures = []
    for _ in progress(range(starts), label=f"{ansatz.name} ansatz N={disc.n}"):
        d0 = rng.uniform(-2 * np.pi, 2 * np.pi, size=ansatz.n_params)
        res = optimize.minimize(f, d0, jac=True, method="L-BFGS-B", options={"maxiter": 2000, "ftol": 1e-15, "gtol": 1e-10})
        if not np.isfinite(res.fun):
            failures.append(res.message)
            continue
        if res.fun < best_val:
            best_val, best_d = res.fun, res.x
    if best_d is None:
        raise SearchError(f"L-BFGS-B failed from every start: {failures[:3]}")
    theta_a, theta_b = ansatz.angles(best_d, x, x)
    strat = AngleStrategy(theta_a, theta_b)
    params = {"ansatz": ansatz.name, "terms": [list(t) for t in ansatz.terms], "params": [float(v) for v in best_d], "starts": starts, "optimiser": "L-BFGS-B"}
    if continuum:
        params["continuum_value"] = continuum_value(disc.game, ansatz, best_d)
    return Estimate(
        value=strat.win_probability(disc),
        method=f"angle-ansatz-{ansatz.name}",
        target=disc.label("quantum"),
        parameters=params,
        seed=seed,
        strategy=strat,
    )


def continuum_value(game: XorGame, ansatz: Ansatz, params: ArrayLike, *, nodes: int = 64, panels: int = 16) -> float:
    """Winning probability of the smooth ansatz on the continuous game (an estimate).

    Integrates ``rule(a, b) * (-cos(theta_A(a) - theta_B(b)))`` with composite
    Gauss-Legendre quadrature: each ``a``-slice is split at ``b = phi(a)``, and
    the outer integral at the point where ``phi`` reaches 0, so every piece is
    smooth.  Accuracy is near machine precision for the paper's ansaetze.

    >>> from games import linear_boundary_game
    >>> round(continuum_value(linear_boundary_game(), LINEAR, [np.pi, 0.0, 0.0]), 12)   # always agree
    0.5
    """
    check_type("game", game, XorGame, "a games.XorGame")
    check_type("ansatz", ansatz, Ansatz, "a games.quantum_search.Ansatz (LINEAR, QUADRATIC)")
    nodes = check_int("nodes", nodes, low=1, high=10_000)
    panels = check_int("panels", panels, low=1, high=10_000)
    try:
        d = np.asarray(params, dtype=float)
    except (TypeError, ValueError):
        raise GameTypeError(f"`params` must be {ansatz.n_params} real numbers; got {show(params)}") from None
    if d.shape != (ansatz.n_params,) or not np.isfinite(d).all():
        raise GameParameterError(f"`params` must be {ansatz.n_params} finite real numbers; got {show(params)}")
    xg, wg = np.polynomial.legendre.leggauss(nodes)
    bd = game.boundary
    a_zero = float(bd.alpha(np.array(0.0)))
    a_one = float(bd.alpha(np.array(1.0)))
    cuts = sorted({0.0, a_one, a_zero, 1.0})
    a_pts, a_w = [], []
    for lo, hi in zip(cuts, cuts[1:]):
        if hi <= lo:
            continue
        e = np.linspace(lo, hi, panels + 1)
        for p0, p1 in zip(e, e[1:]):
            a_pts.append((p1 - p0) / 2 * xg + (p1 + p0) / 2)
            a_w.append((p1 - p0) / 2 * wg)
    a = np.concatenate(a_pts)
    wa = np.concatenate(a_w)
    phi = bd.phi(a)

    def inner(lo: NDArray[np.float64], hi: NDArray[np.float64]) -> NDArray[np.float64]:
        # integral over b in [lo, hi] of -cos(theta_A(a) - theta_B(b)) for each a, composite GL
        tot = np.zeros(a.size)
        for k in range(panels):
            p0 = lo + (hi - lo) * k / panels
            p1 = lo + (hi - lo) * (k + 1) / panels
            b = (p1 - p0)[:, None] / 2 * xg[None, :] + (p1 + p0)[:, None] / 2
            ta, tb = ansatz.angles(d, a, b.ravel())
            val = -np.cos(ta[:, None] - tb.reshape(b.shape))
            tot += (p1 - p0) / 2 * (val @ wg)
        return tot

    bunch = inner(np.zeros(a.size), phi)
    split = inner(phi, np.ones(a.size))
    return float(0.5 + 0.5 * wa @ (bunch - split))
