"""Exact classical value of a finite XOR game by branch and bound, with the leaves an ``xor-classical-bnb`` certificate lists.

For an integer matrix ``N`` (``L M``, rows ``<=`` columns after an optional
transpose) the classical value is ``1/2 + w / (2 L)`` with

    ``w = max_{a, b in {+-1}} a^T N b = max_a ||N^T a||_1``.

The search branches on the signs of ``a`` in a fixed order (rows by
decreasing weight ``sum_y |N_xy|``; the first is ``+1`` by the symmetry
``(a, b) -> (-a, -b)``), depth first.  A node fixes a prefix ``s`` of signs;
its residual problem is the XOR value of ``N' = [c; N_R]`` with
``c = sum_i s_i N_(order i)`` (the fixed rows folded into one row whose sign
is the extra homogenising variable) and ``N_R`` the free rows.  Its bound is
the diagonal dual of Tsirelson's SDP on ``N'``: weights ``x``, ``y`` with
``[[diag x, -N'/2], [-N'^T/2, diag y]]`` PSD give ``a'^T N' b <= sum x + sum y``
for all signs (lemma X1 read for the classical model).  The dual comes from
the block-coordinate ascent of :func:`bounds._kernels.alternate`, warm
started from the parent's vectors (the folded row's vector is the parent's
folded vector plus the signed vector of the newly fixed row); its
complementary-slackness multipliers, with ``y`` shifted by the smallest
eigenvalue of the Schur complement and a rounding margin, are rounded up to a
dyadic grid and *proved* here with the checker's own test
(:func:`proofs.exact.psd.verified_schur_psd`) before the node is pruned.
The ascent stops early at a node it cannot prune: once its value (a feasible
point of the SDP, below every dual bound) reaches the incumbent + 1, the node
branches without multipliers.  The child that agrees with the vectors (sign
of ``<u_c, u_row>``) is searched first.  Nodes with at most ``enum_limit``
free rows are solved exactly by meet-in-the-middle enumeration
(:func:`games.xor.exhaustive_value`).  The incumbent starts from a local
search rounded from the root's vectors.  With ``workers > 1`` the subtrees
``split`` levels below the root go to forked worker processes.  Every
process runs with one BLAS thread (:func:`bounds.tsirelson.blas_threads`,
``QCOORD_BLAS_THREADS``): the node's matrices are small (at most 65 x 64 for
a 64 x 64 game) and two-thread OpenBLAS made their ``eigvalsh`` 3x slower on
an idle machine and ~20x slower (5 ms a call) beside other processes.

Where the diagonal dual does not prune (``node_bound``), the node gets the
triangle-cut bound of :mod:`bounds.xor_cuts` (lemma X6): the SDP strengthened
by Lagrange multipliers on up to ``4 n'`` triangle inequalities, its dual
proved by the checker's own test before the node is pruned.  Its multipliers
and vectors warm-start the children (:func:`bounds.xor_cuts.fold_state`),
which are then ordered by the cut vectors' sign.  On the random games of
``bench/xor_bnb.py`` it shrinks the tree 20-250x (40 x 40: 27119 -> 437
nodes, 48 x 48: 169357 -> 659) at 10-35 ms a node: 64 x 64 exact in 135 s
wall on 2 processes (6441 nodes; certificate checked in 7 s).

The leaves (pruned with a dual, or enumerated) cover ``{+-1}^rows / +-1``
exactly once; :mod:`proofs.checkers.xor_bnb` re-verifies every leaf.
Everything here is an estimate until that checker has accepted the certificate.

A search stopped at its time limit leaves open nodes (the depth-first stacks,
and with ``workers > 1`` the subtrees no worker reached).  Each gets a leaf of
its own after the search (``frontier``): enumerated when it has at most
``enum_limit`` free rows, else a cut leaf (below) or its diagonal dual run to
``iters`` sweeps, proved like a pruning dual.  The closed leaves and the frontier again cover
every strategy once, so the same certificate kind proves
``w <= max(value, max over the frontier)``.  With cut bounds a frontier node
first continues the search's cut bound from its parent's folded state (for at
most :data:`FRONTIER_SHARE` of the time limit), then proves the dual reached.
On ``bench.xor.random_game`` (seed 7, two workers, ``time_limit=15``) the
certified bracket of the classical winning probability (best found to the
frontier's bound) is 9.5e-3 wide at 56 x 56 and 1.16e-2 at 64 x 64, where the
root's Tsirelson dual leaves 1.79e-2 and 1.91e-2.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bounds.errors import BoundsParameterError, check_int, check_real
from bounds.tsirelson import blas_threads
from bounds.xor_cuts import CutParams, CutState, cut_bound, fold_state, fresh_state
from games.xor import XorMatrixGame, exhaustive_value
from proofs.exact.certificate import new_certificate
from proofs.exact.psd import verified_schur_psd

__all__ = [
    "AUTO_CUT_ROWS",
    "DUAL_BITS",
    "NODE_BOUNDS",
    "BnbLeaf",
    "BnbResult",
    "dyadic_up",
    "solve_classical_bnb",
    "xor_bnb_certificate",
]

#: dual weights are written as integers ``k`` over ``2^e`` with ``k < 2^DUAL_BITS`` (exact floats in the checker)
DUAL_BITS = 36


@dataclass(frozen=True)
class BnbLeaf:
    """One leaf of the search: a sign prefix (over the branching order) and how it was closed.

    ``dual`` is ``(kx, ky, e)`` for a leaf pruned by the diagonal dual: the
    weights ``kx / 2^e`` (homogenising row first, then the free rows in
    order) and ``ky / 2^e`` (columns).  ``cuts`` is ``(kd, cuts, e)`` for a
    leaf pruned by a triangle-cut dual (lemma X6, :mod:`bounds.xor_cuts`):
    ``d = kd / 2^e`` over the nodes (rows as for ``kx``, then the columns)
    and cuts ``(i, j, k, s1, s2, s3, q)`` with multipliers ``q / 2^e``.  Both
    ``None``: an enumerated leaf.
    """

    prefix: str
    dual: tuple[tuple[int, ...], tuple[int, ...], int] | None
    cuts: tuple[tuple[int, ...], tuple[tuple[int, ...], ...], int] | None = None

    @property
    def form(self) -> str:
        """``"enumerate"``, ``"dual"`` or ``"cuts"``."""
        return "cuts" if self.cuts is not None else "dual" if self.dual is not None else "enumerate"

    @property
    def share(self) -> float:
        """The share of the strategies the leaf covers, ``2^(1 - |prefix|)`` (the first sign is fixed to ``+``)."""
        return math.ldexp(1.0, 1 - len(self.prefix))


@dataclass(frozen=True, eq=False)
class BnbResult:
    """Outcome of :func:`solve_classical_bnb` (estimates until the checker has verified the certificate).

    Attributes
    ----------
    complete
        Whether the search closed every node within the time limit (then ``value`` is the exact optimum, the leaves its proof
        candidate; else ``leaves + frontier`` are the candidate of the larger ``upper``).
    value
        ``w``: the best ``a^T N b`` found (the exact optimum when ``complete``; the all-+1 strategy's when a search without
        ``incumbent`` stopped before its root).
    a, b
        A strategy attaining ``value`` (in the game's orientation).
    transposed
        Whether the search ran on ``N^T`` (more rows than columns).
    order
        The branching order (row indices of the searched matrix).
    leaves
        The closed leaves.
    nodes, sdp_nodes
        Nodes visited and nodes whose dual was computed.
    root_bound
        The root's dual bound on ``w`` (a float estimate).
    seconds
        Wall time.
    stats
        ``enum_leaves``, ``dual_leaves``, ``cut_leaves`` (closed leaves, the frontier not counted); ``cut_nodes`` (nodes
        whose cut bound ran) and ``cut_steps`` (its subgradient steps);
        ``node_bound``; ``closed_fraction`` (the share of
        the strategies the closed leaves cover, ``sum 2^(1 - |prefix|)``) and
        ``open_bound`` (the largest float bound of an open subtree's parent,
        or ``value`` when none is open; a parent that stopped early reports
        its ascent's value, below its dual: an estimate, never a bound);
        ``frontier`` (``"complete"``, ``"bounded"``, or why the open nodes were not all bounded: ``"dual failed"``,
        ``"out of time"``, ``"above cap"``) and ``frontier_seconds`` (the time spent on them).
    frontier
        For a search stopped at its time limit (or ``node_limit``): a leaf for
        every node it left open (enumerated when at most ``enum_limit`` rows are
        free; with cut bounds, a cut leaf from the state the node inherited; else
        the diagonal dual of :func:`_node_dual` run to ``iters`` sweeps without
        pruning; :meth:`_Dfs.frontier`), so that ``leaves + frontier`` again cover every strategy once.
        Empty for a complete search, and when the open nodes were not all
        bounded (then ``upper`` is ``None``; ``stats["frontier"]`` says why).
    upper
        ``max_p w_p`` over ``leaves + frontier`` (each leaf's integer bound as the
        ``xor-classical-bnb`` checker computes it): ``value`` for a complete
        search, an upper estimate on ``w`` for a stopped one (a bound only once
        the checker has verified the certificate of :func:`xor_bnb_certificate`),
        ``None`` when the open nodes were not all bounded.
    """

    complete: bool
    value: int
    a: list[int]
    b: list[int]
    transposed: bool
    order: list[int]
    leaves: list[BnbLeaf]
    nodes: int
    sdp_nodes: int
    root_bound: float
    seconds: float
    stats: dict[str, Any] = field(default_factory=dict)
    frontier: list[BnbLeaf] = field(default_factory=list)
    upper: int | None = None


def dyadic_up(w: NDArray[np.float64]) -> tuple[list[int], int]:
    """``(k, e)`` with ``k_i / 2^e >= w_i`` (rounded up) and ``|k_i| < 2^DUAL_BITS``.

    >>> dyadic_up(np.array([0.5, 1.0 / 3.0]))
    ([17179869184, 11453246123], 35)
    """
    top = float(np.max(np.abs(w), initial=0.0))
    e = DUAL_BITS - 1 - (math.frexp(top)[1] if top > 0 else 0)
    e = max(-60, min(1000, e))
    scale = math.ldexp(1.0, e)
    return [math.ceil(float(t) * scale) for t in w], e  # t * 2^e is exact (a power-of-two scaling)


#: a stopped search improves its open nodes' cut bounds for at most this share of ``time_limit`` more (then only proves them)
FRONTIER_SHARE = 0.25

#: ... and gives up after ``max(2 FRONTIER_SHARE time_limit, FRONTIER_MIN_SECONDS)`` seconds
FRONTIER_MIN_SECONDS = 0.5

#: the target of a frontier node's dual (:meth:`_Dfs.frontier`): above every bound, so the dual is always proved
_NO_TARGET = 2**62

#: sweeps of the ascent between two looks at its value (a node that cannot be pruned stops at the first look above the target)
_CHUNK = 20


def _node_dual(mp: NDArray[np.float64], u: NDArray[np.float64], v: NDArray[np.float64], iters: int, target: int, prune: bool = True) -> tuple[int, tuple[list[int], list[int], int] | None, NDArray[np.float64], NDArray[np.float64], float]:
    """Dual bound of the residual matrix ``mp``: ``(floor bound or -1, (kx, ky, e) or None, u, v, float bound)``.

    With ``prune`` the ascent stops as soon as its value (a feasible point
    of the SDP, so a lower bound on every dual bound) reaches ``target + 1``:
    no dual can prune the node, ``(-1, None, u, v, value)`` is returned and
    the node branches without the multipliers and the eigenvalue below.
    Otherwise the ascent (:func:`bounds._kernels.alternate`) runs to
    convergence or ``iters`` sweeps (with ``prune``, or until the dual of
    the current vectors is below ``target + 1``), then multipliers
    ``x_i = <u_i, (mp v)_i> / 2``, ``y_j = <v_j, (mp^T u)_j> / 2``, then ``y``
    shifted by ``-lambda_min`` of the Schur complement
    ``diag y - mp^T diag(x)^-1 mp / 4`` and a rounding margin.  The dual is
    proved (the checker's PSD test) only when its bound would prune, i.e. is
    below ``target + 1``; otherwise ``(-1, None, ...)``.
    """
    from bounds._kernels import alternate

    mt = np.ascontiguousarray(mp.T)
    done = 0
    dual = None
    while done < iters:
        step = min(_CHUNK, iters - done) if prune else iters
        u, v, val, it = alternate(mp, mt, u, v, step, 1e-9, 3)
        done += step
        if prune and val >= target + 1:
            return -1, None, u, v, float(val)
        if it < step:  # converged
            break
        if prune:  # the current vectors' dual may already prune: no need to converge
            dual = _shifted_dual(mp, mt, u, v)
            if dual[2] < target + 1:
                break
            dual = None
    x, y, est = dual if dual is not None else _shifted_dual(mp, mt, u, v)
    if est >= target + 1:
        return -1, None, u, v, est
    kx, e = dyadic_up(np.concatenate([x, y]))
    xs, ys = kx[: len(x)], kx[len(x):]
    scale = math.ldexp(1.0, -e)
    ok = verified_schur_psd(-0.5 * mp, np.array(xs, dtype=np.float64) * scale, np.array(ys, dtype=np.float64) * scale).ok
    if not ok:
        return -1, None, u, v, est
    return (sum(kx) >> e) if e >= 0 else sum(kx) << -e, (xs, ys, e), u, v, est


def _shifted_dual(mp: NDArray[np.float64], mt: NDArray[np.float64], u: NDArray[np.float64], v: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64], float]:
    """Multipliers ``(x, y, sum x + sum y)`` of the vectors, ``y`` shifted by ``-lambda_min`` of the Schur complement and a rounding margin (``inf`` if some ``y < 0``)."""
    x = 0.5 * np.einsum("ik,ik->i", u, mp @ v)
    y = 0.5 * np.einsum("jk,jk->j", v, mt @ u)
    x = np.maximum(x, 1e-9 * (float(np.abs(x).max(initial=0.0)) + 1.0))
    f = mp / np.sqrt(x)[:, None]
    s = -0.25 * (f.T @ f)
    s[np.diag_indices_from(s)] += y
    lam = float(np.linalg.eigvalsh(s)[0])
    n = mp.shape[0] + mp.shape[1]
    tr = float(x.sum() + np.abs(y).sum())
    y = y + (max(0.0, -lam) * (1.0 + 1e-7) + 16.0 * (n + 5) * 2.0**-53 * (tr + 1.0))
    return x, y, (math.inf if np.any(y < 0) else float(x.sum() + y.sum()))


#: an open node: signs, folded row, the diagonal ascent's row and column vectors, the parent's bound estimate, the cut bound's warm start
_Entry = tuple[list[int], NDArray[np.int64], "NDArray[np.float64] | None", "NDArray[np.float64] | None", float, "CutState | None"]

#: node bounds of :func:`solve_classical_bnb`
NODE_BOUNDS = ("auto", "diagonal", "cuts")
#: ``node_bound="auto"`` runs the cut bound on games with at least this many rows (searched orientation).  Measured on
#: bench.xor.random_game (one process, CPU s, diagonal vs cuts): 20 rows 0.09 vs 0.21 (139 vs 15 nodes), 24 rows 0.34 vs
#: 0.34 (625 vs 31), 28 rows 0.89 vs 0.51 (1377 vs 49); bench/xor_bnb.py (2 workers): 40 rows 13.9 vs 6.2, 48 rows 88.9 vs 14.1
AUTO_CUT_ROWS = 28
#: least seconds between two calls of the search's ``on_progress``
PROGRESS_INTERVAL = 0.5


@dataclass
class _Dfs:
    """State of one depth-first search over a stack of open nodes (one per worker process)."""

    mo: NDArray[np.int64]
    mf: NDArray[np.float64]
    k: int
    iters: int
    enum_limit: int
    deadline: float
    best: int
    best_a: NDArray[np.int64] | None = None  # in branching order
    leaves: list[BnbLeaf] = field(default_factory=list)
    nodes: int = 0
    sdp_nodes: int = 0
    root: tuple[NDArray[np.float64], NDArray[np.float64], float] | None = None
    cuts: bool = False  # nodes the diagonal dual does not prune get the cut bound (``node_bound`` resolved for the game)
    cut_params: CutParams = field(default_factory=CutParams)
    cut_nodes: int = 0
    cut_steps: int = 0
    node_limit: int | None = None  # stop (as at the deadline) once this many nodes are visited
    #: ``on_progress(closed, nodes)`` at most every :data:`PROGRESS_INTERVAL` seconds (``closed``: the share of the strategies the
    #: leaves so far cover, ``sum 2^(1 - |prefix|)``); ``None`` in a worker process
    on_progress: Any = None
    closed: float = 0.0
    reported: float = 0.0

    def leaf(self, leaf: BnbLeaf) -> None:
        """Record a closed leaf (and its share of the strategies)."""
        self.leaves.append(leaf)
        self.closed += leaf.share

    def enumerated(self, signs: list[int], c: NDArray[np.int64]) -> int:
        """Solve the node ``signs`` (folded row ``c``) exactly by enumeration: offer its best strategy, return its value."""
        w, a_res, _ = exhaustive_value(np.vstack([c[None, :], self.mo[len(signs):]]))
        self.offer(np.concatenate([np.array(signs, dtype=np.int64) * int(a_res[0]), a_res[1:]]))
        return int(w)

    def offer(self, a_ordered: NDArray[np.int64]) -> None:
        val = int(np.abs(a_ordered @ self.mo).sum())
        if val > self.best:
            self.best, self.best_a = val, a_ordered.copy()

    def run(self, stack: list[_Entry], root_hook: Any = None, single: bool = False) -> bool:
        """Close nodes of ``stack`` depth first until it is empty (``True``) or the deadline passes (``False``; ``stack`` holds the open nodes).

        ``single``: process one node only (its children, if any, are left on ``stack``).
        """
        rows = self.mo.shape[0]
        mo, mf, k = self.mo, self.mf, self.k
        while stack:
            now = time.perf_counter()
            if now > self.deadline or (self.node_limit is not None and self.nodes >= self.node_limit):
                return False
            if self.on_progress is not None and now - self.reported >= PROGRESS_INTERVAL:
                self.reported = now
                self.on_progress(self.closed, self.nodes)
            signs, c, u, v, _parent, cstate = stack.pop()
            self.nodes += 1
            d = len(signs)
            free = rows - d
            prefix = _prefix(signs)
            if free <= self.enum_limit:
                self.enumerated(signs, c)
                self.leaf(BnbLeaf(prefix, None))
                continue
            mpf: NDArray[np.float64] = np.vstack([c[None, :].astype(np.float64), mf[d:]])
            if u is None:
                u = np.zeros((free + 1, k))
                u[:, 0] = 1.0
            assert v is not None
            self.sdp_nodes += 1
            bound, dual, u2, v2, est = _node_dual(mpf, u, v, self.iters, self.best, prune=d > 1)
            if d == 1:
                self.root = (u2, v2, est)
                if root_hook is not None:
                    root_hook(self, u2, v2)
            if dual is not None and 0 <= bound <= self.best:
                self.leaf(BnbLeaf(prefix, (tuple(dual[0]), tuple(dual[1]), dual[2])))
                continue
            cnext = None
            if self.cuts:
                if cstate is None or cstate.v.shape[0] != free + 1 + mo.shape[1]:
                    cstate = fresh_state(np.vstack([u2, v2]), self.cut_params.rank, len(signs))
                self.cut_nodes += 1
                cdual, cnext, cest, steps = cut_bound(np.vstack([c[None, :], mo[d:]]), cstate, self.best, self.cut_params)
                self.cut_steps += steps
                if cdual is not None:
                    self.leaf(BnbLeaf(prefix, None, (cdual.kd, cdual.cuts, cdual.exponent)))
                    continue
                est = cest
            stack.extend(_children(signs, c, u2, v2, est, mo[d], cnext))
            if single:
                return True
        return True

    def frontier(self, open_nodes: list[_Entry], deadline: float, cutoff: float, cap: float,
                 on_step: Callable[[int, int], None] | None = None) -> tuple[list[BnbLeaf], int] | str:
        """Leaves for the open nodes of a stopped search and the largest leaf bound among them, or why there are none:
        ``"dual failed"``, ``"out of time"`` (past ``cutoff``), ``"above cap"`` (a node's bound reached ``cap``, the caller's
        better bound on ``w``).  The nodes go in decreasing order of their parent's bound estimate (the ones that set the
        maximum first, while ``deadline`` allows their cut bounds to improve).

        A node with at most ``enum_limit`` free rows is enumerated (its exact
        value, and its best strategy offered as incumbent).  With cut bounds, a
        node that inherited its parent's cut state first runs the search's cut
        bound (:func:`bounds.xor_cuts.cut_bound`, which may prune it) until
        ``deadline``, after it only the proof: then the dual its multipliers
        reached is proved (``cut_bound`` with an unreachable target: the
        vectors polished, the multipliers proved by the checker's test);
        any other node, or one whose cut dual fails, the diagonal dual of its
        residual matrix (:func:`_node_dual` without pruning: ``iters`` sweeps,
        then the multipliers proved by the checker's PSD test).
        ``on_step(done, total)``, if given, hears the nodes bounded: at the
        start, at most every :data:`PROGRESS_INTERVAL` seconds, and at the end
        when every node is bounded.
        """
        mo, rows = self.mo, self.mo.shape[0]
        leaves: list[BnbLeaf] = []
        top = -1
        total = len(open_nodes)
        told = time.perf_counter()
        if on_step is not None:
            on_step(0, total)
        for done, (signs, c, u, v, _est, cstate) in enumerate(sorted(open_nodes, key=lambda e: -e[4])):
            now = time.perf_counter()
            if now > cutoff:
                return "out of time"
            if on_step is not None and done and now - told >= PROGRESS_INTERVAL:
                told = now
                on_step(done, total)
            d = len(signs)
            free = rows - d
            prefix = _prefix(signs)
            if free <= self.enum_limit:
                w = self.enumerated(signs, c)
                leaves.append(BnbLeaf(prefix, None))
            else:
                cut = None
                if self.cuts and cstate is not None and cstate.v.shape[0] == free + 1 + mo.shape[1]:
                    kp = np.vstack([c[None, :], mo[d:]])
                    if time.perf_counter() < deadline:
                        cut, cstate, _est, _steps = cut_bound(kp, cstate, self.best, self.cut_params)  # as in the search: may prune
                    if cut is None:
                        cut = cut_bound(kp, cstate, _NO_TARGET, self.cut_params)[0]  # else the dual its multipliers reached
                if cut is not None:
                    w = cut.bound
                    leaves.append(BnbLeaf(prefix, None, (cut.kd, cut.cuts, cut.exponent)))
                else:
                    if u is None:
                        u = np.zeros((free + 1, self.k))
                        u[:, 0] = 1.0
                    assert v is not None
                    mpf: NDArray[np.float64] = np.vstack([c[None, :].astype(np.float64), self.mf[d:]])
                    w, dual, _u, _v, _e = _node_dual(mpf, u, v, self.iters, _NO_TARGET, prune=False)
                    if dual is None:
                        return "dual failed"
                    leaves.append(BnbLeaf(prefix, (tuple(dual[0]), tuple(dual[1]), dual[2])))
            top = max(top, int(w))
            if top >= cap:
                return "above cap"
        if on_step is not None:
            on_step(total, total)
        return leaves, top


def _prefix(signs: list[int]) -> str:
    """A node's sign prefix as the certificate writes it (``+`` and ``-``)."""
    return "".join("+" if s > 0 else "-" for s in signs)


def _children(signs: list[int], c: NDArray[np.int64], u2: NDArray[np.float64], v2: NDArray[np.float64], est: float, nxt: NDArray[np.int64],
              cstate: CutState | None = None) -> list[_Entry]:
    """The two children of a node (branching on its first free row): the one agreeing with the vectors last (searched first).

    With a cut state, the children inherit it folded (:func:`bounds.xor_cuts.fold_state`) and follow its vectors' sign.
    """
    uc, ur = u2[0], u2[1]
    agree = float(uc @ ur) if cstate is None else float(cstate.v[0] @ cstate.v[1])
    first = 1 if agree >= 0 else -1
    out: list[_Entry] = []
    for s in (-first, first):
        cu = uc + s * ur
        nrm = float(np.linalg.norm(cu))
        cu = cu / nrm if nrm > 1e-12 else uc
        out.append((signs + [s], c + s * nxt, np.vstack([cu[None, :], u2[2:]]), v2, est, None if cstate is None else fold_state(cstate, s)))
    return out


#: the search a forked worker continues (set before the pool forks)
_SHARED: _Dfs | None = None


def _work(entry: _Entry) -> tuple[bool, int, NDArray[np.int64] | None, list[BnbLeaf], int, int, list[_Entry], int, int]:
    """One subtree in a worker process: ``(complete, best, best_a, leaves, nodes, sdp_nodes, open nodes, cut_nodes, cut_steps)``."""
    assert _SHARED is not None
    sh = _SHARED
    dfs = _Dfs(sh.mo, sh.mf, sh.k, sh.iters, sh.enum_limit, sh.deadline, sh.best, sh.best_a, cuts=sh.cuts, cut_params=sh.cut_params,
               node_limit=sh.node_limit)
    stack = [entry]
    with blas_threads():
        done = dfs.run(stack)
    return done, dfs.best, dfs.best_a, dfs.leaves, dfs.nodes, dfs.sdp_nodes, stack, dfs.cut_nodes, dfs.cut_steps


def solve_classical_bnb(
    game: XorMatrixGame, *, time_limit: float = 600.0, enum_limit: int = 12, seed: int = 0, rank: int = 8, iters: int = 400,
    incumbent: tuple[list[int], list[int]] | None = None, workers: int = 1, split: int = 5, node_bound: str = "auto",
    on_progress: Callable[[float, int], None] | None = None, node_limit: int | None = None, frontier_cap: float | None = None,
    on_frontier: Callable[[int, int], None] | None = None,
) -> BnbResult:
    """Branch and bound for the exact classical value of ``game`` (module docstring); stops at ``time_limit`` seconds.

    ``enum_limit`` is the number of free rows at which a node is enumerated;
    ``rank`` the dimension of the ascent's vectors; ``iters`` its sweeps per
    node; ``incumbent`` an optional starting strategy ``(a, b)``.  With
    ``workers > 1`` the open nodes ``split`` levels below the root (their
    signs fixed without a bound) are searched by that many forked processes,
    each with the root's incumbent; the leaves are the union (same cover).
    ``node_bound`` chooses the bound of a node: ``"diagonal"`` (the
    diagonal dual only), ``"cuts"`` (where the diagonal dual does not
    prune, the triangle-cut bound of :func:`bounds.xor_cuts.cut_bound`,
    warm started from the parent's multipliers) or ``"auto"`` (``"cuts"``
    for games with at least :data:`AUTO_CUT_ROWS` rows, else ``"diagonal"``).
    ``on_progress(closed, nodes)``, if given, is called at most every
    :data:`PROGRESS_INTERVAL` seconds while the search runs (with ``workers >
    1``: after each subtree a worker finishes) and once at the end, with the
    share of the strategies the closed leaves cover (0 to 1) and the nodes visited.
    ``node_limit``, if given, stops the search like the time limit once it has
    visited that many nodes (with ``workers > 1``: in each of the subtrees
    ``split`` levels down); with one worker a stopped search is then the same on every run.
    A search stopped at ``time_limit`` then bounds each node it left open
    (``frontier``, ``upper``; module docstring): up to
    :data:`FRONTIER_SHARE` ``* time_limit`` more improving their cut bounds,
    then only proving the rest; past ``2 * FRONTIER_SHARE * time_limit`` (at
    least :data:`FRONTIER_MIN_SECONDS`; plus the node in hand) it gives up (``upper`` is ``None``,
    ``stats["frontier"]`` says why), and it gives up as soon as a node's bound
    reaches ``frontier_cap`` (a winning probability: the caller's own upper
    bound, which the frontier could then not improve).
    ``on_frontier(done, total)``, if given, hears how many of the ``total``
    open nodes are bounded (at the start, at most every
    :data:`PROGRESS_INTERVAL` seconds, and once all are).
    ``stats["frontier_seconds"]``: measured 0.05-1.6 s for 4-54 open nodes at
    40-64 rows, and 1.5-3.5 s for 73-113 nodes at 96-128 rows, before the cutoff.

    >>> g = XorMatrixGame.from_bias([["1/4", "1/4"], ["1/4", "-1/4"]])
    >>> r = solve_classical_bnb(g)
    >>> r.complete, r.value, [leaf.prefix for leaf in r.leaves]
    (True, 2, ['+'])
    """
    check_real("time_limit", time_limit, low=0.0, low_open=True)
    check_int("enum_limit", enum_limit, low=0, high=22)
    check_int("rank", rank, low=1)
    check_int("iters", iters, low=1)
    check_int("workers", workers, low=1, high=64)
    check_int("split", split, low=1, high=16)
    if node_limit is not None:
        check_int("node_limit", node_limit, low=0)
    if frontier_cap is not None:
        check_real("frontier_cap", frontier_cap, low=0.0)
    if node_bound not in NODE_BOUNDS:
        raise BoundsParameterError(f"`node_bound` must be one of {', '.join(repr(t) for t in NODE_BOUNDS)}; got {repr(node_bound)[:40]}")
    with blas_threads():
        return _solve(game, time_limit, enum_limit, seed, rank, iters, incumbent, workers, split, node_bound, on_progress, node_limit, frontier_cap,
                      on_frontier)


def _solve(game: XorMatrixGame, time_limit: float, enum_limit: int, seed: int, rank: int, iters: int,
           incumbent: tuple[list[int], list[int]] | None, workers: int, split: int, node_bound: str,
           on_progress: Callable[[float, int], None] | None = None, node_limit: int | None = None,
           frontier_cap: float | None = None, on_frontier: Callable[[int, int], None] | None = None) -> BnbResult:
    """The search of :func:`solve_classical_bnb` (arguments checked; BLAS at one thread per process)."""
    start = time.perf_counter()
    deadline = start + float(time_limit)
    mi, den = game.base().integer_matrix()
    transposed = mi.shape[0] > mi.shape[1]
    if transposed:
        mi = np.ascontiguousarray(mi.T)
    rows, cols = mi.shape
    order = [int(i) for i in np.argsort(-np.abs(mi).sum(axis=1), kind="stable")]
    mo = mi[order]  # rows in branching order
    mf = mo.astype(np.float64)
    rng = np.random.default_rng(seed)
    k = max(1, min(rank, rows + cols))
    cuts = node_bound == "cuts" or (node_bound == "auto" and rows >= AUTO_CUT_ROWS)
    dfs = _Dfs(mo, mf, k, iters, enum_limit, deadline, -1, cuts=cuts, on_progress=on_progress, reported=start, node_limit=node_limit)
    if incumbent is not None:
        a0 = np.array(incumbent[1] if transposed else incumbent[0], dtype=np.int64)
        if a0.shape != (rows,) or not np.all(np.abs(a0) == 1):
            raise BoundsParameterError(f"`incumbent` must be a strategy (a, b) of the game's shape; got lengths {len(incumbent[0])}, {len(incumbent[1])}")
        dfs.offer(a0[order])

    def root_hook(state: _Dfs, u2: NDArray[np.float64], v2: NDArray[np.float64]) -> None:
        # incumbent: round the root's vectors by random hyperplanes, polish by best responses
        _lo, a_l, _b_l = game.base().classical_local_search(seed=seed, time_limit=min(2.0, 0.05 * float(time_limit)), max_restarts=20 * rows,
                                                           starts=np.vstack(_orient(u2, v2, order, transposed, rows, cols)))
        state.offer(np.array(_b_l if transposed else a_l, dtype=np.int64)[order])

    v0 = rng.standard_normal((cols, k))
    v0 /= np.linalg.norm(v0, axis=1)[:, None]
    stack: list[_Entry] = [([1], mo[0].copy(), None, v0, math.inf, None)]
    parallel = workers > 1 and rows - 1 - split > enum_limit
    if parallel:  # the root alone (its bound, the incumbent), then `split` levels of branching without bounds
        done = dfs.run(stack, root_hook, single=True)
        if stack and done:  # else pruned or enumerated at the root, or out of time: nothing to share
            for _ in range(split - 1):
                stack = [ch for (sg, c, u, v, e, cs) in stack for ch in _children(sg, c, u, v, e, mo[len(sg)], cs)]  # type: ignore[arg-type]
            dfs.nodes += sum(1 << t for t in range(1, split))  # the unbounded internal nodes
    complete = True
    open_nodes: list[_Entry] = []
    if parallel:
        global _SHARED
        import multiprocessing

        _SHARED = dfs
        try:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                for done, best, best_a, leaves, nodes, sdp_nodes, rest, cut_nodes, cut_steps in pool.imap_unordered(_work, stack[::-1]):
                    complete = complete and done
                    if best > dfs.best and best_a is not None:
                        dfs.best, dfs.best_a = best, best_a
                    for lf in leaves:
                        dfs.leaf(lf)
                    dfs.nodes += nodes
                    dfs.sdp_nodes += sdp_nodes
                    dfs.cut_nodes += cut_nodes
                    dfs.cut_steps += cut_steps
                    open_nodes.extend(rest)
                    if on_progress is not None:
                        on_progress(dfs.closed, dfs.nodes)
        finally:
            _SHARED = None
    else:
        complete = dfs.run(stack, root_hook)
        open_nodes = stack
    if on_progress is not None:
        on_progress(dfs.closed, dfs.nodes)
    tf = time.perf_counter()
    frontier: list[BnbLeaf] = []
    upper: int | None = dfs.best
    state = "complete"
    if not complete:
        share = FRONTIER_SHARE * float(time_limit)
        cap = math.inf if frontier_cap is None else (frontier_cap - 0.5) * 2 * den
        bounded = dfs.frontier(open_nodes, tf + share, tf + max(2 * share, FRONTIER_MIN_SECONDS), cap, on_frontier)
        if isinstance(bounded, str):
            upper, state = None, bounded
        else:
            frontier, upper, state = bounded[0], max(dfs.best, bounded[1]), "bounded"
    if dfs.best_a is None:  # stopped before the root, without an incumbent: the all-+1 strategy, valued
        dfs.offer(np.ones(rows, dtype=np.int64))
    assert dfs.best_a is not None
    best = dfs.best
    best_a = np.empty(rows, dtype=np.int64)
    best_a[order] = dfs.best_a
    a = [int(t) for t in best_a]
    col = np.array(a, dtype=np.int64) @ mi
    b = [1 if t >= 0 else -1 for t in col.tolist()]
    if transposed:
        a, b = b, a
    leaves = dfs.leaves
    closed = math.fsum(lf.share for lf in leaves)
    open_bound = max((max(float(best), entry[4]) for entry in open_nodes), default=float(best))
    root_bound = dfs.root[2] if dfs.root is not None else math.inf
    return BnbResult(complete, best, a, b, transposed, order, leaves, dfs.nodes, dfs.sdp_nodes, root_bound, time.perf_counter() - start,
                     {"enum_leaves": sum(1 for lf in leaves if lf.form == "enumerate"), "dual_leaves": sum(1 for lf in leaves if lf.form == "dual"),
                      "cut_leaves": sum(1 for lf in leaves if lf.form == "cuts"), "cut_nodes": dfs.cut_nodes, "cut_steps": dfs.cut_steps,
                      "node_bound": node_bound, "closed_fraction": closed, "open_bound": open_bound,
                      "frontier": state, "frontier_seconds": time.perf_counter() - tf}, frontier, upper)


def _orient(u: NDArray[np.float64], v: NDArray[np.float64], order: list[int], transposed: bool, rows: int, cols: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Root vectors (homogenised row first, then rows in order) as (Alice's, Bob's) in the game's orientation."""
    ua = np.empty((rows, u.shape[1]))
    ua[order[0]] = u[0]
    ua[order[1:]] = u[1:]
    return (v, ua) if transposed else (ua, v)


def xor_bnb_certificate(game: XorMatrixGame, result: BnbResult) -> dict[str, Any]:
    """An upper ``xor-classical-bnb`` certificate of a search: value ``<= 1/2 + upper / (2 L)``.

    A complete search proves the exact value (``upper = value``); a search
    stopped at its time limit lists its frontier beside the closed leaves and
    proves the larger ``upper`` (:class:`BnbResult`).

    >>> g = XorMatrixGame.from_bias([["1/4", "1/4"], ["1/4", "-1/4"]])
    >>> c = xor_bnb_certificate(g, solve_classical_bnb(g))
    >>> c["kind"], c["bound"], c["leaves"]
    ('xor-classical-bnb', '3/4', [{'prefix': '+', 'enumerate': True}])
    """
    if result.upper is None:
        raise BoundsParameterError(f"the search stopped and its open nodes were not all bounded ({result.stats.get('frontier')}; "
                                   "`result.upper` is None): no xor-classical-bnb certificate")
    base = game.base()
    ints, den = base.integer_form
    leaves: list[dict[str, Any]] = []
    for lf in [*result.leaves, *result.frontier]:
        if lf.cuts is not None:
            kd, cuts, e = lf.cuts
            leaves.append({"prefix": lf.prefix, "exponent": e, "d": list(kd), "cuts": [list(t) for t in cuts]})
        elif lf.dual is None:
            leaves.append({"prefix": lf.prefix, "enumerate": True})
        else:
            kx, ky, e = lf.dual
            leaves.append({"prefix": lf.prefix, "x": list(kx), "y": list(ky), "exponent": e})
    value = Fraction(1, 2) + Fraction(result.upper, 2 * den)
    return new_certificate("xor-classical-bnb", base.exact(), base.rows, "upper", value, denominator=den, bias=ints,
                           transposed=result.transposed, order=list(result.order), leaves=leaves)


#: bits of the grid ``M' = trunc(2^ROUND_BITS M) / 2^ROUND_BITS`` of :func:`rounded_game` (its denominator stays below the
#: branch and bound's ``2^53``)
ROUND_BITS = 52


def rounded_game(game: XorMatrixGame) -> XorMatrixGame:
    """``M' = trunc(2^52 M) / 2^52`` (towards zero, so ``|M'| <= |M|`` and ``M'`` is a game): a game the branch and bound takes.

    >>> g = XorMatrixGame.from_bias([["1/3", "1/3"], ["1/6", "-1/6"]])
    >>> rounded_game(g).integer_form[1] <= 2**52, rounded_game(g).bias[0][0] <= g.bias[0][0]
    (True, True)
    """
    scale = 2**ROUND_BITS
    return XorMatrixGame(tuple(tuple(Fraction(math.trunc(q * scale), scale) for q in row) for row in game.base().bias))


def xor_rounded_certificate(game: XorMatrixGame, rounded: XorMatrixGame, inner: dict[str, Any]) -> dict[str, Any]:
    """An ``xor-classical-rounded`` certificate (lemma X7): the nested upper certificate ``inner`` on ``rounded`` plus
    ``sum |M - M'| / 2``.

    >>> g = XorMatrixGame.from_bias([["1/3", "1/3"], ["1/6", "-1/6"]])
    >>> r = rounded_game(g)
    >>> c = xor_rounded_certificate(g, r, xor_bnb_certificate(r, solve_classical_bnb(r)))
    >>> c["kind"], Fraction(c["bound"]) - Fraction(5, 6) < Fraction(1, 2**50)
    ('xor-classical-rounded', True)
    """
    base = game.base()
    ints, den = base.integer_form
    gap = sum((abs(q - q2) for row, row2 in zip(base.bias, rounded.bias) for q, q2 in zip(row, row2)), Fraction(0))
    value = Fraction(inner["bound"]) + gap / 2
    return new_certificate("xor-classical-rounded", base.exact(), base.rows, "upper", value, denominator=den, bias=ints, rounded=inner)
