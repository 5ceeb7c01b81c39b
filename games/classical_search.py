"""Heuristic searches for good classical strategies (estimates, not bounds).

* :func:`anneal`: simulated annealing over deterministic step strategies, as in
  the paper (Sec. 4.3), with a numba kernel.
* :func:`best_response`: alternating best-response ascent from many starts.
* :func:`classical_estimate`: both, keeping the better strategy.

Every function returns a :class:`games.Estimate` whose ``strategy`` is a
:class:`games.StepStrategy`; re-evaluate it to check the value.  A value found
this way is a lower bound on the classical value only once a :mod:`proofs`
checker has evaluated the strategy rigorously.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from games._kernels import anneal_kernel
from games.discretise import Discretisation
from games.errors import GameParameterError, GameTypeError, available_memory, check_int, check_memory, check_real, check_seed, show
from games.estimate import Estimate
from games.progress import progress
from games.strategies import StepStrategy

__all__ = ["anneal", "best_response", "classical_estimate", "polish"]


def _iv(disc: Discretisation) -> None:
    if not isinstance(disc, Discretisation):
        raise GameTypeError(f"`disc` must be a games.Discretisation; got {show(disc)} of type {type(disc).__name__}")


def _sign(x: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.where(x >= 0.0, 1.0, -1.0)


def _ascend(M: NDArray[np.float64], G: NDArray[np.float64], H: NDArray[np.float64], max_iter: int = 1000) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Alternate ``H = sign(M^T G)``, ``G = sign(M H)`` column-wise until no column changes."""
    for _ in range(max_iter):
        H_new = _sign(M.T @ G)
        G_new = _sign(M @ H_new)
        if np.array_equal(G_new, G) and np.array_equal(H_new, H):
            break
        G, H = G_new, H_new
    return G, H


def polish(disc: Discretisation, g: NDArray[np.float64], h: NDArray[np.float64], max_iter: int = 1000) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Alternate best responses ``h = sign(M^T g)``, ``g = sign(M h)`` until stable.

    Each step never lowers ``g^T M h``, so the result is a mutual best response.

    >>> from games import discretise, linear_boundary_game
    >>> d = discretise(linear_boundary_game(), 4)
    >>> g, h = polish(d, np.ones(4), np.ones(4))
    >>> float(0.5 + 0.5 * g @ d.matrix @ h)
    0.75
    """
    _iv(disc)
    gv, hv = _strategy_vector("g", g, disc.n), _strategy_vector("h", h, disc.n)
    it = check_int("max_iter", max_iter, low=1, high=POLISH_ITER_MAX)
    G, H = _ascend(disc.matrix, gv[:, None], hv[:, None], it)
    return G[:, 0], H[:, 0]


#: most best-response rounds of :func:`polish` (each round strictly raises g^T M h until it stops; N rounds suffice in practice)
POLISH_ITER_MAX = 1_000_000


def _strategy_vector(name: str, value: object, n: int) -> NDArray[np.float64]:
    """A finite real vector of length ``n`` (a +-1 strategy or any start whose signs are used)."""
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__"):
        raise GameTypeError(f"`{name}` must be a real vector of length {n}; got {show(value)} of type {type(value).__name__}")
    try:
        v = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise GameTypeError(f"`{name}` must be a real vector of length {n}; got {show(value)}") from None
    if v.shape != (n,):
        raise GameParameterError(f"`{name}` must be a real vector of shape ({n},); got shape {v.shape}")
    if not np.isfinite(v).all():
        raise GameParameterError(f"`{name}` must hold finite numbers; got nan or inf in {show(value)}")
    return v


#: most annealing restarts (each is a full annealing run)
RESTARTS_MAX = 10_000
#: bytes per (sweep, bin) of the annealing proposals (two sites and two uniforms per sweep and bin)
BYTES_PER_SWEEP_BIN = 32
#: bytes per (start, bin) of the vectorised best-response ascent (a few N x starts float64 arrays)
BYTES_PER_START_BIN = 48


def _anneal_iv(disc: Discretisation, sweeps: object, restarts: object, seed: object) -> tuple[int, int, int]:
    _iv(disc)
    s = check_int("sweeps", sweeps, low=1)
    check_memory("sweeps", s, BYTES_PER_SWEEP_BIN * s * disc.n, largest=max(1, available_memory() // (BYTES_PER_SWEEP_BIN * disc.n)))
    r = check_int("restarts", restarts, low=1, high=RESTARTS_MAX)
    return s, r, check_seed("seed", seed)


def _best_response_iv(disc: Discretisation, starts: object, seed: object) -> tuple[int, int]:
    _iv(disc)
    s = check_int("starts", starts, low=1)
    check_memory("starts", s, BYTES_PER_START_BIN * (s + 130) * disc.n, largest=max(1, available_memory() // (BYTES_PER_START_BIN * disc.n) - 130))
    return s, check_seed("seed", seed)


def anneal(
    disc: Discretisation,
    *,
    sweeps: int = 400,
    t_start: float = 2.0,
    t_end: float = 0.005,
    restarts: int = 4,
    seed: int = 0,
) -> Estimate:
    """Simulated annealing for ``max g^T M h`` over ``g, h`` in {+1, -1}^N.

    Temperatures fall geometrically from ``t_start`` to ``t_end`` over
    ``sweeps`` sweeps of ``2N`` single-spin proposals; they are in units of
    ``N^2 M`` (entries in [-1, 1]), so the schedule does not depend on ``N``
    beyond the number of proposals.  Each restart starts from random signs;
    the best result is polished by best-response ascent.

    Returns
    -------
    Estimate
        ``value`` is the winning probability ``(1 + g^T M h) / 2`` of the best
        strategy found (an estimate of the classical value).

    Examples
    --------
    >>> from games import discretise, linear_boundary_game
    >>> est = anneal(discretise(linear_boundary_game(), 16), sweeps=50, restarts=1)
    >>> round(est.value, 6)
    0.75
    """
    sweeps, restarts, seed = _anneal_iv(disc, sweeps, restarts, seed)
    t0 = check_real("t_start", t_start, low=0, low_open=True)
    t1 = check_real("t_end", t_end, low=0, high=t0, low_open=True)
    n = disc.n
    S = np.ascontiguousarray(disc.matrix * n * n)
    temps = t0 * (t1 / t0) ** (np.arange(sweeps) / max(sweeps - 1, 1))
    rng = np.random.default_rng(seed)
    best: tuple[float, NDArray[np.float64], NDArray[np.float64]] | None = None
    for _ in progress(range(restarts), label=f"annealing N={n}"):
        g = rng.choice([-1.0, 1.0], size=n)
        h = rng.choice([-1.0, 1.0], size=n)
        sites = rng.integers(0, 2 * n, size=sweeps * 2 * n)
        u = rng.random(sweeps * 2 * n)
        anneal_kernel(S, g, h, temps, sites, u)
        g, h = polish(disc, g, h)
        val = float(g @ disc.matrix @ h)
        if best is None or val > best[0]:
            best = (val, g, h)
    assert best is not None  # restarts >= 1
    strat = StepStrategy(best[1].astype(np.int8), best[2].astype(np.int8))
    return Estimate(
        value=strat.win_probability(disc),
        method="simulated-annealing",
        target=disc.label("classical"),
        parameters={"sweeps": sweeps, "t_start": t0, "t_end": t1, "restarts": restarts, "polish": "best-response"},
        seed=seed,
        strategy=strat,
    )


def best_response(disc: Discretisation, *, starts: int = 256, seed: int = 0) -> Estimate:
    """Best-response ascent from random and single-switch starts.

    Starts are ``starts`` random sign vectors plus every single-switch
    threshold strategy ``h = [+1]*k + [-1]*(N-k)`` on a grid of ``k``; each is
    polished to a mutual best response.

    >>> from games import discretise, linear_boundary_game
    >>> round(best_response(discretise(linear_boundary_game(), 40), starts=8).value, 6)
    0.75
    """
    starts, seed = _best_response_iv(disc, starts, seed)
    n = disc.n
    M = disc.matrix
    rng = np.random.default_rng(seed)
    H = rng.choice([-1.0, 1.0], size=(n, starts))
    ks = np.unique(np.linspace(0, n, min(n + 1, 65)).astype(int))
    thresholds = np.where(np.arange(n)[:, None] < ks[None, :], 1.0, -1.0)
    H = np.concatenate([H, thresholds, -thresholds], axis=1)
    # vectorised alternating best response over all starts at once
    G, H = _ascend(M, _sign(M @ H), H)
    vals = np.einsum("is,is->s", G, M @ H)
    k = int(np.argmax(vals))
    strat = StepStrategy(G[:, k].astype(np.int8), H[:, k].astype(np.int8))
    return Estimate(
        value=strat.win_probability(disc),
        method="best-response",
        target=disc.label("classical"),
        parameters={"random_starts": starts, "threshold_starts": int(2 * ks.size)},
        seed=seed,
        strategy=strat,
    )


def classical_estimate(disc: Discretisation, *, seed: int = 0, sweeps: int = 400, restarts: int = 4, starts: int = 256) -> Estimate:
    """The better of :func:`anneal` and :func:`best_response` (an estimate).

    >>> from games import discretise, paper_game
    >>> est = classical_estimate(discretise(paper_game(0.33), 50), sweeps=50, restarts=1, starts=16)
    >>> est.method
    'simulated-annealing + best-response'
    """
    _anneal_iv(disc, sweeps, restarts, seed)  # every argument before any work
    _best_response_iv(disc, starts, seed)
    a = anneal(disc, sweeps=sweeps, restarts=restarts, seed=seed)
    b = best_response(disc, starts=starts, seed=seed)
    best = a if a.value >= b.value else b
    return Estimate(
        value=best.value,
        method="simulated-annealing + best-response",
        target=best.target,
        parameters={"annealing": dict(a.parameters), "annealing_value": a.value, "best_response": dict(b.parameters), "best_response_value": b.value, "kept": best.method},
        seed=seed,
        strategy=best.strategy,
    )
