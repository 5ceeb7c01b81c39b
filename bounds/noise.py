"""Routing with noisy entanglement: explicit strategies on Werner pairs and their certificates.

On a Werner pair of visibility ``v`` a strategy is, per bin and router, a ±1
observable ``s I + r.sigma`` with ``|s| + |r| <= 1``; the correlator is
``E_ij = s_i s'_j - v <r_i, r'_j>`` (:func:`analytic.noise.werner_correlator`).  For a fixed
strategy of the other router the value is linear in ``(s_i, r_i)``, and the
set ``|s| + |r| <= 1`` is the convex hull of the fixed outputs ``s = +-1`` and
the projective measurements ``|r| = 1``; so a best response, and hence an
optimum, uses only those: each bin either outputs a fixed sign or measures
projectively ("hybrid" strategies).  A fixed output and a projective
measurement are uncorrelated (the noise has zero marginals).

* :class:`WernerStrategy`: the strategy, its correlators and its value (an estimate).
* :func:`scaled_optimum`: the noiseless Tsirelson optimum realised on a qubit
  (value ``1/2 + v * bias / 2``).
* :func:`werner_search`: alternating best response over hybrid strategies
  from several starts (the noiseless optimum, the classical optimum, and
  hybrids that fix the outputs of the top or bottom bins).
* :func:`werner_certificate` and :func:`mixture_certificate`: certificate
  dicts of kinds ``"werner-strategy"`` and ``"werner-mixture"``, checked by
  :mod:`proofs.checkers.noise`.

Nothing here is a bound: values are estimates until a checker verifies a certificate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from analytic.noise import werner_correlator
from bounds.errors import BoundsParameterError
from games.discretise import Discretisation
from games.estimate import Estimate
from proofs.exact import fraction_str, new_certificate

__all__ = [
    "DENOMINATOR",
    "WernerStrategy",
    "mixture_certificate",
    "scaled_optimum",
    "visibility_iv",
    "werner_certificate",
    "werner_search",
]

#: common denominator of the integer strategy vectors in a certificate (N * D < 2^62 up to N = 2^36)
DENOMINATOR = 2**26


def visibility_iv(v: Any, name: str = "v") -> float:
    """Validate a visibility (or supply fraction): a finite number in ``[0, 1]``.

    >>> visibility_iv(0.8)
    0.8
    >>> visibility_iv(float("nan"))
    Traceback (most recent call last):
    ...
    bounds.errors.BoundsParameterError: `v` must lie in [0, 1]; got nan
    """
    if isinstance(v, bool):
        raise BoundsParameterError(f"`{name}` must be a number in [0, 1]; got {v!r}")
    try:
        x = float(v)
    except (TypeError, ValueError) as exc:
        raise BoundsParameterError(f"`{name}` must be a number in [0, 1]; got {v!r}") from exc
    if not (math.isfinite(x) and 0.0 <= x <= 1.0):
        raise BoundsParameterError(f"`{name}` must lie in [0, 1]; got {v!r}")
    return x


@dataclass(frozen=True, eq=False)
class WernerStrategy:
    """Per-bin ±1 observables ``s I + r.sigma`` of routers A and B (``r`` = Bloch part, N x 3).

    >>> st = WernerStrategy([1.0, 0.0], [[0, 0, 0], [0, 0, 1]], [0.0, -1.0], [[0, 0, 1], [0, 0, 0]])
    >>> (st.correlators(0.5) + 0.0).tolist()   # fixed x projective = 0; projective x projective = -v <r, r'>
    [[0.0, -1.0], [-0.5, 0.0]]
    >>> st.deterministic
    (1, 1)
    """

    s_a: NDArray[np.float64]
    r_a: NDArray[np.float64]
    s_b: NDArray[np.float64]
    r_b: NDArray[np.float64]

    def __post_init__(self) -> None:
        for name in ("s_a", "r_a", "s_b", "r_b"):
            arr = np.array(getattr(self, name), dtype=float)
            arr.setflags(write=False)
            object.__setattr__(self, name, arr)
        n = self.s_a.shape[0] if self.s_a.ndim == 1 else -1
        if n < 1 or self.r_a.shape != (n, 3) or self.s_b.shape != (n,) or self.r_b.shape != (n, 3):
            raise BoundsParameterError(f"a WernerStrategy needs s_a, s_b of shape (N,) and r_a, r_b of shape (N, 3); got {self.s_a.shape}, {self.r_a.shape}, {self.s_b.shape}, {self.r_b.shape}")
        for s, r, who in ((self.s_a, self.r_a, "A"), (self.s_b, self.r_b, "B")):
            if not (np.all(np.isfinite(s)) and np.all(np.isfinite(r))):
                raise BoundsParameterError(f"router {who}'s observables must be finite")
            excess = float(np.max(np.abs(s) + np.linalg.norm(r, axis=1)))
            if excess > 1 + 1e-9:
                raise BoundsParameterError(f"router {who} has an observable with |s| + |r| = {excess} > 1 (not a +-1 measurement)")

    @property
    def n(self) -> int:
        return int(self.s_a.shape[0])

    @property
    def deterministic(self) -> tuple[int, int]:
        """Numbers of bins of A and B with a fixed output (``|s| = 1``)."""
        return int(np.sum(np.abs(self.s_a) > 1 - 1e-12)), int(np.sum(np.abs(self.s_b) > 1 - 1e-12))

    def correlators(self, v: float) -> NDArray[np.float64]:
        """``E_ij = s_i s'_j - v <r_i, r'_j>`` (singlet sign): the closed form :func:`analytic.noise.werner_correlator`."""
        return werner_correlator(visibility_iv(v), self.s_a, self.r_a, self.s_b, self.r_b)

    def value(self, disc: Discretisation, v: float) -> float:
        """Winning probability ``1/2 + 1/2 sum M E`` (floating point: an estimate)."""
        if not isinstance(disc, Discretisation) or disc.n != self.n:
            raise BoundsParameterError(f"`disc` must be a games.Discretisation with N = {self.n}")
        return 0.5 + 0.5 * float(np.sum(disc.matrix * self.correlators(v)))


def scaled_optimum(u: ArrayLike, w: ArrayLike) -> WernerStrategy:
    """The noiseless Tsirelson strategy (unit vectors ``u_i, w_j``, correlator ``<u_i, w_j>``) on a qubit.

    The vectors are projected on their three principal directions (exact for
    Gram rank <= 3, as at the paper's optimum, which has rank 2) and
    renormalised; router B's Bloch vectors are negated so that the singlet
    gives ``+<u_i, w_j>`` at ``v = 1``.  Its Werner value is ``1/2 + v bias / 2``.

    >>> th = np.linspace(0, 1, 3)
    >>> st = scaled_optimum(np.c_[np.cos(th), np.sin(th)], np.c_[np.cos(th), np.sin(th)])
    >>> bool(np.allclose(st.correlators(1.0), np.cos(th[:, None] - th[None, :])))
    True
    """
    u, w = np.asarray(u, float), np.asarray(w, float)
    if u.ndim != 2 or w.ndim != 2 or u.shape != w.shape:
        raise BoundsParameterError(f"`u`, `w` must be N x d arrays of the same shape; got {u.shape}, {w.shape}")
    stacked = np.vstack([u, w])
    _, _, vt = np.linalg.svd(stacked, full_matrices=False)
    basis = vt[: min(3, vt.shape[0])].T
    pa, pb = u @ basis, w @ basis
    if pa.shape[1] < 3:
        pad = np.zeros((u.shape[0], 3 - pa.shape[1]))
        pa, pb = np.hstack([pa, pad]), np.hstack([pb, pad])
    pa /= np.linalg.norm(pa, axis=1)[:, None]
    pb /= np.linalg.norm(pb, axis=1)[:, None]
    zeros = np.zeros(u.shape[0])
    return WernerStrategy(zeros, pa, zeros, -pb)


def _best_response(m: NDArray[np.float64], s_other: NDArray[np.float64], r_other: NDArray[np.float64], v: float, fixed: NDArray[np.bool_] | None) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    # gain of bin i: s c0_i - v <r, c_i> with c0 = M s', c = M r'; the best extreme point is the fixed
    # output sign(c0) when |c0| >= v |c|, else the projective measurement r = -c/|c|
    c0 = m @ s_other
    c = m @ r_other
    nc = np.linalg.norm(c, axis=1)
    det = np.abs(c0) >= v * nc if fixed is None else fixed
    s = np.where(det, np.where(c0 >= 0, 1.0, -1.0), 0.0)
    r = np.where(det[:, None], 0.0, -c / np.maximum(nc, 1e-300)[:, None])
    r[~det & (nc == 0)] = np.array([0.0, 0.0, 1.0])
    return s, r


def _ascend(m: NDArray[np.float64], st: WernerStrategy, v: float, fixed: tuple | None = None, iters: int = 300, tol: float = 1e-12) -> tuple[float, WernerStrategy]:
    sa, ra, sb, rb = st.s_a.copy(), st.r_a.copy(), st.s_b.copy(), st.r_b.copy()
    best, best_st = -np.inf, st
    for _ in range(iters):
        sa, ra = _best_response(m, sb, rb, v, None if fixed is None else fixed[0])
        sb, rb = _best_response(m.T, sa, ra, v, None if fixed is None else fixed[1])
        val = 0.5 + 0.5 * float(sa @ m @ sb - v * np.sum((ra.T @ m) * rb.T))
        if val <= best:
            break
        gain = val - best
        best, best_st = val, WernerStrategy(sa, ra, sb, rb)
        if gain < tol:  # alternating best responses improve monotonically; stop when the gain is negligible
            break
    return best, best_st


def werner_search(
    disc: Discretisation,
    v: float,
    *,
    quantum: WernerStrategy | None = None,
    classical: tuple[ArrayLike, ArrayLike] | None = None,
    cuts: int = 4,
    seed: int = 0,
) -> Estimate:
    """Best hybrid strategy found on Werner pairs of visibility ``v`` (an estimate, with its strategy).

    Starts: ``quantum`` (e.g. :func:`scaled_optimum`), ``classical`` (signs
    ``g, h``), and for ``cuts`` cut points ``k`` hybrids with fixed outputs on
    bins ``>= k`` (or ``< k``) of both routers, first ascended with the split
    held fixed, then freely.  Each start is improved by alternating best
    responses (monotone).  ``seed`` is recorded; the search is deterministic.

    >>> from games import discretise, linear_boundary_game
    >>> d = discretise(linear_boundary_game(), 16)
    >>> e = werner_search(d, 0.0, classical=(np.ones(16), np.ones(16)))
    >>> round(e.value, 6)   # at v = 0 only fixed outputs count: the classical value 3/4
    0.75
    """
    if not isinstance(disc, Discretisation):
        raise BoundsParameterError(f"`disc` must be a games.Discretisation; got {type(disc).__name__}")
    x = visibility_iv(v)
    n, m = disc.n, disc.matrix
    starts: list[tuple[str, WernerStrategy, tuple | None]] = []
    zeros, zr = np.zeros(n), np.zeros((n, 3))
    g = h = None
    if classical is not None:
        g, h = (np.asarray(c, float) for c in classical)
        starts.append(("classical", WernerStrategy(g, zr, h, zr), None))
    if quantum is not None:
        starts.append(("quantum", quantum, None))
    if g is not None and h is not None and quantum is not None:
        for k in np.unique(np.linspace(0, n, cuts + 2).round().astype(int))[1:-1]:
            for side in ("top", "bottom"):
                det = np.arange(n) >= k if side == "top" else np.arange(n) < k
                st = WernerStrategy(np.where(det, g, 0.0), np.where(det[:, None], 0.0, quantum.r_a), np.where(det, h, 0.0), np.where(det[:, None], 0.0, quantum.r_b))
                starts.append((f"hybrid-{side}-{k}", st, (det, det)))
    if not starts:
        rng = np.random.default_rng(seed)
        r = rng.normal(size=(n, 3))
        starts.append(("random", WernerStrategy(zeros, r / np.linalg.norm(r, axis=1)[:, None], zeros, zr), None))
    best_val, best_st, best_name = -np.inf, None, ""
    for name, st, fixed in starts:
        val, out = _ascend(m, st, x, fixed)
        if fixed is not None:
            val, out = _ascend(m, out, x)
        if val > best_val:
            best_val, best_st, best_name = val, out, name
    assert best_st is not None
    return Estimate(
        min(max(best_val, 0.0), 1.0), "werner-best-response", f"{disc.game.name}, N={n}, Werner v={x}",
        {"v": x, "starts": len(starts), "best_start": best_name, "deterministic_bins": list(best_st.deterministic)},
        seed=seed, strategy=best_st,
    )


def _integer_player(s: NDArray[np.float64], r: NDArray[np.float64], d: int) -> tuple[list[int], list[list[int]]]:
    si = np.rint(s * d).astype(np.int64)
    si = np.clip(si, -d, d)
    room = d - np.abs(si)
    norm = np.linalg.norm(r, axis=1)
    scale = np.where(norm > 0, room / np.maximum(norm, 1e-300), 0.0) * (1 - 2.0**-30)
    ri = np.floor(np.abs(r * scale[:, None])).astype(np.int64) * np.sign(r).astype(np.int64)
    s_out = [int(t) for t in si]
    r_out = [[int(t) for t in row] for row in ri]
    for i in range(len(s_out)):  # exact feasibility, as the checker tests it
        rm = d - abs(s_out[i])
        while sum(t * t for t in r_out[i]) > rm * rm:
            r_out[i] = [t - (1 if t > 0 else -1 if t < 0 else 0) for t in r_out[i]]
    return s_out, r_out


def werner_certificate(
    disc: Discretisation,
    strategy: WernerStrategy,
    v: float | Fraction,
    *,
    continuum: bool = False,
    margin: float = 1e-11,
    denominator: int = DENOMINATOR,
    solver: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Certificate dict (kind ``"werner-strategy"``) for the value of ``strategy`` at visibility ``v``.

    The observables are rounded to integers over ``denominator`` (inside the
    ±1 constraint, exactly); ``v`` is read as its shortest decimal (or taken
    exactly if a Fraction); the claimed ``lower`` is the floating-point value
    of the rounded strategy minus ``margin``.

    >>> from games import discretise, linear_boundary_game
    >>> d = discretise(linear_boundary_game(), 2)
    >>> st = WernerStrategy([1.0, -1.0], np.zeros((2, 3)), [1.0, 1.0], np.zeros((2, 3)))
    >>> c = werner_certificate(d, st, 0.5)
    >>> c["kind"], c["v"], round(float(Fraction(c["bound"])), 9)
    ('werner-strategy', '1/2', 0.75)
    """
    from proofs.exact import exact_parameter

    if not isinstance(disc, Discretisation) or not isinstance(strategy, WernerStrategy) or disc.n != strategy.n:
        raise BoundsParameterError("`disc` and `strategy` must be a Discretisation and a WernerStrategy with the same N")
    vf = v if isinstance(v, Fraction) else exact_parameter(visibility_iv(v))
    if not 0 <= vf <= 1:
        raise BoundsParameterError(f"`v` must lie in [0, 1]; got {vf}")
    if not isinstance(denominator, int) or not 1 <= denominator <= 2**53 or disc.n * denominator >= 2**62:
        raise BoundsParameterError(f"`denominator` must be an integer in [1, 2^53] with N * denominator < 2^62; got {denominator!r}")
    sa, ra = _integer_player(strategy.s_a, strategy.r_a, denominator)
    sb, rb = _integer_player(strategy.s_b, strategy.r_b, denominator)
    rounded = WernerStrategy(np.array(sa) / denominator, np.array(ra) / denominator, np.array(sb) / denominator, np.array(rb) / denominator)
    value = rounded.value(disc, float(vf))
    claim = Fraction(math.floor((value - margin) * 10**13), 10**13)
    return new_certificate(
        "werner-strategy", disc.game, None if continuum else disc.n, "lower", claim,
        bins=disc.n, v=fraction_str(vf), denominator=denominator, a={"s": sa, "r": ra}, b={"s": sb, "r": rb},
        matrix_sha256=disc.matrix_hash, deterministic_bins=list(rounded.deterministic), solver=solver or {},
    )


def mixture_certificate(
    v: float | Fraction,
    classical: dict[str, Any],
    quantum: dict[str, Any],
    *,
    mode: str = "elementary",
    local_visibility: Fraction | None = None,
    game: dict[str, Any] | None = None,
    classical_upper: Fraction | None = None,
    quantum_upper: Fraction | None = None,
) -> dict[str, Any]:
    """Certificate dict (kind ``"werner-mixture"``) bounding the Werner value from above.

    ``classical`` and ``quantum`` are upper-bound certificates (dicts) on the
    same game and target; they are embedded whole and re-checked.  The
    claimed ``upper`` is computed from ``classical_upper`` and
    ``quantum_upper`` (the values of the checked bounds; by default each
    certificate's ``"bound"``); the target ``N`` is the classical certificate's; for
    ``mode="local-model"`` pass the cited ``local_visibility``
    (:data:`proofs.checkers.noise.LOCAL_VISIBILITY`).  ``game`` is the exact game
    description the bound is about (default: the classical certificate's).

    >>> c = mixture_certificate(0.5, {"kind": "x", "game": {"type": "linear", "s": "1"}, "N": 2, "bound": "3/4"},
    ...                         {"kind": "y", "bound": "1"})
    >>> c["bound"]
    '7/8'
    """
    from proofs.exact import exact_parameter

    vf = v if isinstance(v, Fraction) else exact_parameter(visibility_iv(v))
    if mode not in ("elementary", "local-model"):
        raise BoundsParameterError(f"`mode` must be 'elementary' or 'local-model'; got {mode!r}")
    def claimed(cert: dict[str, Any], given: Fraction | None) -> Fraction:
        return Fraction(given) if given is not None else Fraction(cert["bound"])

    pc, pq = claimed(classical, classical_upper), claimed(quantum, quantum_upper)
    upper = (1 - vf) * pc + vf * pq
    if mode == "local-model":
        if local_visibility is None:
            raise BoundsParameterError("`local_visibility` is required for mode 'local-model'")
        vl = Fraction(local_visibility)
        upper = min(upper, pc if vf <= vl else pc + (vf - vl) / (1 - vl) * (pq - pc))
    return new_certificate(
        "werner-mixture", game if game is not None else classical["game"], classical.get("N"), "upper", upper,
        v=fraction_str(vf), mode=mode, classical=classical, quantum=quantum,
    )
