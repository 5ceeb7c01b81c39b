"""The symmetry-reduced NPA relaxation of a party-symmetric three-player correlator game, solved in the solver's own form.

A game invariant under permuting its three players has an NPA relaxation
invariant under the same permutations acting on the elements of the moment
matrix; if moreover every term of the game has an even number of players (the
routers' Lagrangian game: two-body terms only), flipping every observable
``A^i_x -> -A^i_x`` is a symmetry too.  An optimal moment matrix ``Gamma`` can then
be taken invariant under the group ``S_3 x Z_2``:

* its entries are one variable ``y_O`` per *orbit* ``O`` of moments (the
  identity fixed to 1), odd moments vanish;
* in a symmetry-adapted basis it is block-diagonal (Schur's lemma): the even
  and the odd elements apart, and on each the trivial, the sign and one copy
  of the standard isotypic component of ``S_3`` (vectors fixed by the
  transposition ``(0 1)``; the other copy gives the same block).  For level
  ``1+ab`` and ``N`` inputs the blocks have sides ``1 + N (N + 1) / 2``,
  ``N (N - 1) / 2``, ``N^2`` (even) and ``N``, ``N`` (odd) instead of one side
  ``1 + 3 N + 3 N^2``.

The reduced primal ``max sum_O c_O y_O`` subject to every block ``Q_t^T Gamma(y) Q_t``
PSD is handed to SCS (or Clarabel) directly as ``min c^T x, A x + s = b,
s in PSD cones`` -- no modelling layer.  The solver's dual variables are PSD
blocks ``X_t``; ``Z = avg_g P_g (sum_t Q_t X_t Q_t^T) P_g^T`` (average over the six
permutations) is a full-size dual of the unreduced problem: it is PSD, has
trace ``sum_t tr X_t`` and, because ``Z`` is invariant and the game's weights are
constant on orbits, the sum of ``Z`` over the entries of each single moment is
``-c_m`` (to the solver's tolerance).  So the certificate built from it is an
ordinary ``"npa-multiparty-dual"`` checked by the unchanged checker: the
symmetry is used only to *find* the dual, never trusted.

>>> import numpy as np
>>> from games.multiparty import CorrelatorGame
>>> from proofs.exact.npa_moments import moment_structure
>>> g = CorrelatorGame.pairwise(3, np.array([[1.0, -1.0], [-1.0, 0.5]]) / 16)
>>> red = reduce_relaxation(moment_structure(3, 2, "1+ab"), g)
>>> red.blocks, red.n_variables          # side 19 = 1 + 6 + 12 as five blocks, 9 moment orbits
((4, 2, 1, 4, 2), 9)
"""

from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

from bounds.errors import BoundsParameterError, SolverError
from games.progress import progress
from proofs.exact.npa_moments import MomentStructure

__all__ = ["ReducedRelaxation", "SymmetricSolution", "element_perms", "isotypic_bases", "reduce_relaxation", "solve_reduced"]

#: solvers of :func:`solve_reduced`
SOLVERS = ("scs", "clarabel")
_SQRT2 = math.sqrt(2.0)
#: SCS iterations per round (progress is shown between rounds)
CHUNK = 250


def element_perms(ms: MomentStructure) -> list[tuple[tuple[int, ...], NDArray[np.int64]]]:
    """Every permutation ``g`` of the players with its action on the elements: ``img[e]`` is the index of ``g(e)``."""
    index = {tuple(r): i for i, r in enumerate(ms.letters.tolist())}
    out = []
    for g in itertools.permutations(range(ms.K)):
        img = np.empty(ms.size, dtype=np.int64)
        for i, r in enumerate(ms.letters.tolist()):
            r2 = [-1] * ms.K
            for p, x in enumerate(r):
                r2[g[p]] = x
            img[i] = index[tuple(r2)]
        out.append((g, img))
    return out


def _sign(g: tuple[int, ...]) -> int:
    s = 1
    for i, j in itertools.combinations(range(len(g)), 2):
        if g[i] > g[j]:
            s = -s
    return s


def isotypic_bases(ms: MomentStructure, perms: list[tuple[tuple[int, ...], NDArray[np.int64]]]) -> list[NDArray[np.float64]]:
    """Orthonormal bases (``n x d``) of the trivial, sign and standard-(0 1)-fixed subspaces of S_3 on the elements.

    Each column is supported on one orbit of elements (the projectors are built orbit by orbit).
    """
    if ms.K != 3:
        raise BoundsParameterError(f"the S_3 reduction needs K = 3 players; got K = {ms.K}")
    n = ms.size
    orbit = np.min(np.stack([img for _, img in perms]), axis=0)
    cols: list[list[NDArray[np.float64]]] = [[], [], []]
    swap = next(img for g, img in perms if g == (1, 0, 2))
    for rep in np.unique(orbit):
        members = np.flatnonzero(orbit == rep)
        loc = {int(m): k for k, m in enumerate(members)}
        s = members.size
        proj = [np.zeros((s, s)) for _ in range(3)]
        for g, img in perms:
            pg = np.zeros((s, s))
            for m in members:
                pg[loc[int(img[m])], loc[int(m)]] = 1.0
            chi = sum(1 for p in range(3) if g[p] == p) - 1
            proj[0] += pg / 6
            proj[1] += _sign(g) * pg / 6
            proj[2] += chi * pg / 3
        pswap = np.zeros((s, s))
        for m in members:
            pswap[loc[int(swap[m])], loc[int(m)]] = 1.0
        proj[2] = proj[2] @ (np.eye(s) + pswap) / 2
        for t in range(3):
            p = (proj[t] + proj[t].T) / 2
            w, v = np.linalg.eigh(p)
            for k in np.flatnonzero(w > 0.5):
                col = np.zeros(n)
                col[members] = v[:, k]
                cols[t].append(col)
    return [np.array(c).T if c else np.zeros((n, 0)) for c in cols]


@dataclass(frozen=True, eq=False)
class ReducedRelaxation:
    """The symmetry-reduced primal in conic form ``min c^T y, A y + s = b, s in PSD blocks`` (SCS's ``svec`` order).

    Attributes
    ----------
    a, b, c
        Problem data (``c`` is minus the scaled orbit weights; ``b`` the identity's part of every block).
    blocks
        The PSD block sides, in the order of the rows of ``a``.
    bases
        The ``n x d`` sparse basis ``Q_t`` of each block.
    scale
        The objective was multiplied by ``scale`` (largest weight 1).
    orbit_of
        ``(n, n)`` int64: the orbit (column of ``a``) of each entry's moment, ``-1`` for the identity
        and for moments no block sees (odd moments).
    perms
        The element permutations of the group's ``S_3`` part (to symmetrise a dual).
    n_variables
        Columns of ``a`` (moment orbits besides the identity).
    """

    a: Any
    b: NDArray[np.float64]
    c: NDArray[np.float64]
    blocks: tuple[int, ...]
    bases: tuple[Any, ...]
    scale: float
    orbit_of: NDArray[np.int64]
    perms: tuple[NDArray[np.int64], ...]
    n_variables: int


def _weights(ms: MomentStructure, game: Any) -> tuple[NDArray[np.int64], NDArray[np.float64]]:
    """The moment key of every weighted input tuple and its float weight."""
    keys, vals = [], []
    for S, W in game.terms.items():
        keys.append(ms.term_keys(S))
        vals.append(np.asarray(W, dtype=np.float64).ravel())
    if not keys:
        return np.zeros(0, dtype=np.int64), np.zeros(0)
    return np.concatenate(keys), np.concatenate(vals)


def reduce_relaxation(ms: MomentStructure, game: Any) -> ReducedRelaxation:
    """Build the ``S_3`` (and, for games of even terms, ``Z_2``) reduced NPA primal of a party-symmetric game with ``K = 3``.

    Parameters
    ----------
    ms
        The moment structure (any level) of ``K = 3`` players.
    game
        A party-symmetric :class:`games.multiparty.CorrelatorGame` on ``ms.N`` inputs.
    """
    if ms.K != 3 or game.K != 3 or game.N != ms.N:
        raise BoundsParameterError(f"the symmetric reduction needs K = 3 players and the game's N in the moment structure; got "
                                   f"K = {game.K}, N = {game.N} (game) and K = {ms.K}, N = {ms.N} (structure)")
    if not game.symmetric:
        raise BoundsParameterError("the symmetric reduction needs a party-symmetric game (CorrelatorGame.symmetric)")
    n = ms.size
    perm_list = element_perms(ms)
    imgs = [img for _, img in perm_list]
    # moment orbits: the smallest key of the images of an entry (the moment of g(a), g(b) is g of the moment of a, b)
    okey = ms.keys.copy()
    for img in imgs:
        np.minimum(okey, ms.keys[np.ix_(img, img)], out=okey)
    even = all(len(S) % 2 == 0 for S in game.terms)
    deg = (ms.letters >= 0).sum(axis=1) % 2
    bases: list[Any] = []
    sizes: list[int] = []
    for q in isotypic_bases(ms, perm_list):
        if q.shape[1] == 0:
            continue
        par = deg[np.argmax(np.abs(q) > 1e-12, axis=0)]
        for p in ((0, 1) if even else (None,)):
            sel = np.arange(q.shape[1]) if p is None else np.flatnonzero(par == p)
            if sel.size:
                qs = q[:, sel]
                bases.append(sp.csr_matrix(np.where(np.abs(qs) > 1e-14, qs, 0.0)))
                sizes.append(int(sel.size))
    # the entries any block sees: within one parity (or all, for games with odd terms)
    seen = np.ones((n, n), dtype=bool) if not even else (deg[:, None] == deg[None, :])
    ukeys, inv = np.unique(np.where(seen, okey, -1), return_inverse=True)
    inv = inv.reshape(n, n)
    ident_col = int(np.searchsorted(ukeys, 0))
    unseen_col = 0 if ukeys[0] == -1 else None
    # weights per orbit: every weighted moment must be seen (an odd weight would break the Z_2 symmetry: excluded above)
    wk, wv = _weights(ms, game)
    okey_of_key = dict(zip(ms.keys[seen].tolist(), okey[seen].tolist()))
    c_orb = np.zeros(ukeys.size)
    for k, v in zip(wk.tolist(), wv.tolist()):
        if k not in okey_of_key:
            raise BoundsParameterError(f"a weighted moment (key {k}) is not a moment of NPA level {ms.level!r}")
        c_orb[int(np.searchsorted(ukeys, okey_of_key[k]))] += v
    scale = 1.0 / max(float(np.abs(c_orb).max()), 1e-300)
    posn = np.arange(n * n)
    e_mat = sp.csr_matrix((np.ones(n * n), (posn, inv.ravel())), shape=(n * n, ukeys.size))
    rows = []
    for qb, d in zip(bases, sizes):
        kron = sp.kron(qb.T, qb.T, format="csr")
        iu = np.triu_indices(d)
        lt = (kron[iu[0] * d + iu[1]] @ e_mat).tocsr()
        w = np.where(iu[0] == iu[1], 1.0, _SQRT2)
        rows.append(sp.diags(w) @ lt)
    lmat = sp.vstack(rows, format="csc")
    keep = np.array([j for j in range(ukeys.size) if j != ident_col and j != unseen_col], dtype=np.int64)
    b = np.asarray(lmat[:, ident_col].todense()).ravel()
    a = -lmat[:, keep]
    a.eliminate_zeros()
    col_of = np.full(ukeys.size, -1, dtype=np.int64)
    col_of[keep] = np.arange(keep.size)
    return ReducedRelaxation(a=a.tocsc(), b=b, c=-scale * c_orb[keep], blocks=tuple(sizes), bases=tuple(bases), scale=scale,
                             orbit_of=col_of[inv], perms=tuple(imgs), n_variables=int(keep.size))


@dataclass(frozen=True)
class SymmetricSolution:
    """The full-size dual ``Z`` recovered from a reduced solve (floats: an estimate until certified).

    Attributes
    ----------
    z
        ``(n, n)`` symmetric, party-invariant dual matrix in the game's scale.
    primal_estimate
        The reduced primal's value ``sum_O c_O y_O`` (without the game's constant).
    dual_estimate
        ``tr Z`` (without the game's constant).
    iterations, status, seconds
        The solver's report and the wall time of the solve alone.
    """

    z: NDArray[np.float64]
    primal_estimate: float
    dual_estimate: float
    iterations: int
    status: str
    seconds: float


def _clarabel_order(d: int) -> NDArray[np.int64]:
    """Positions, in SCS's order (upper triangle row-major), of Clarabel's order (upper triangle column-major)."""
    iu = np.triu_indices(d)
    pos = {(int(i), int(j)): k for k, (i, j) in enumerate(zip(*iu))}
    return np.array([pos[(i, j)] for j in range(d) for i in range(j + 1)], dtype=np.int64)


def solve_reduced(red: ReducedRelaxation, *, solver: str = "scs", eps: float = 1e-9, max_iters: int = 200000) -> SymmetricSolution:
    """Solve the reduced primal and return the full-size invariant dual ``Z`` (see the module docstring).

    Raises :class:`bounds.errors.SolverError` unless the solver reports an optimal or nearly optimal solution (SCS
    ``solved``, also inaccurately, Clarabel ``Solved``/``AlmostSolved``: the certificate built from it is checked anyway).
    """
    if solver not in SOLVERS:
        raise BoundsParameterError(f"`solver` must be one of {SOLVERS}; got {solver!r}")
    if not (isinstance(eps, float) and 0 < eps < 1e-3):
        raise BoundsParameterError(f"`eps` must be a float in (0, 1e-3); got {eps!r}")
    if isinstance(max_iters, bool) or not isinstance(max_iters, int) or max_iters < 1:
        raise BoundsParameterError(f"`max_iters` must be a positive integer; got {max_iters!r}")
    start = time.perf_counter()
    if solver == "scs":
        import scs

        data = {"A": red.a, "b": red.b, "c": red.c}
        # in chunks of CHUNK iterations, each warm-started from the last (same iterates: SCS keeps its state), to show progress
        engine = scs.SCS(data, {"s": list(red.blocks)}, eps_abs=eps, eps_rel=eps, max_iters=min(CHUNK, max_iters), verbose=False)
        out: dict[str, Any] = {}
        iters = 0
        for _ in progress(itertools.count(), label=f"NPA reduced SCS, {CHUNK}-iteration rounds"):
            out = engine.solve() if not out else engine.solve(warm_start=True, x=out["x"], y=out["y"], s=out["s"])
            iters += int(out["info"]["iter"])
            if out["info"]["status"] == "solved" or iters >= max_iters:
                break
        status = str(out["info"]["status"])
        if not status.startswith("solved"):
            raise SolverError(f"SCS returned status {status!r} on the reduced NPA relaxation after {iters} iterations (need 'solved')")
        ydual = np.asarray(out["y"], dtype=np.float64)
        x = np.asarray(out["x"], dtype=np.float64)
    else:
        import clarabel

        perm = np.concatenate([o + _clarabel_order(d) for o, d in zip(_offsets(red.blocks), red.blocks)])
        a = red.a.tocsr()[perm].tocsc()
        settings = clarabel.DefaultSettings()
        settings.verbose = False
        cones = [clarabel.PSDTriangleConeT(d) for d in red.blocks]
        p = sp.csc_matrix((red.a.shape[1], red.a.shape[1]))
        sol = clarabel.DefaultSolver(p, red.c, a, red.b[perm], cones, settings).solve()
        status = str(sol.status)
        if status not in ("Solved", "AlmostSolved"):
            raise SolverError(f"Clarabel returned status {status!r} on the reduced NPA relaxation (need 'Solved')")
        ydual = np.empty(perm.size)
        ydual[perm] = np.asarray(sol.z, dtype=np.float64)
        x = np.asarray(sol.x, dtype=np.float64)
        iters = int(sol.iterations)
    seconds = time.perf_counter() - start
    n = red.orbit_of.shape[0]
    zp = np.zeros((n, n))
    for qb, d, off in zip(red.bases, red.blocks, _offsets(red.blocks)):
        iu = np.triu_indices(d)
        v = ydual[off:off + iu[0].size] / np.where(iu[0] == iu[1], 1.0, _SQRT2)
        xb = np.zeros((d, d))
        xb[iu] = v
        xb.T[iu] = v
        half = np.asarray(qb @ xb)  # n x d
        zp += np.asarray(qb @ half.T).T
    z = np.zeros((n, n))
    for img in red.perms:
        z[np.ix_(img, img)] += zp
    z = z / len(red.perms) / red.scale
    z = (z + z.T) / 2
    return SymmetricSolution(z=z, primal_estimate=float(-red.c @ x) / red.scale, dual_estimate=float(np.trace(z)),
                             iterations=iters, status=status, seconds=seconds)


def _offsets(blocks: tuple[int, ...]) -> list[int]:
    out, o = [], 0
    for d in blocks:
        out.append(o)
        o += d * (d + 1) // 2
    return out
