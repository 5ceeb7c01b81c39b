"""Triangle-cut node bound of the XOR branch and bound: a Lagrangian dual of the SDP with triangle inequalities (lemma X6).

A node of :mod:`bounds.xor_bnb` has the folded residual ``K'`` (``m'`` rows,
the first the homogenising one, then ``cols`` columns); with ``n' = m' +
cols`` and ``Q = [[0, K'/2], [K'^T/2, 0]]`` its value is
``max z^T Q z`` over ``z in {+-1}^n'``.  Every triangle ``t = (i, j, k, s1,
s2, s3)`` (``s1 s2 s3 = 1``) has ``z^T T_t z = s1 z_i z_j + s2 z_i z_k + s3
z_j z_k >= -1``, so for multipliers ``mu >= 0`` and any ``d`` with
``A = diag d - Q - sum_t mu_t T_t`` PSD,

    ``z^T Q z <= sum d + sum mu``  (lemma X6; spec: notes/s7/spec_cuts.md).

The bound of ``mu`` is ``f(mu) = sum mu + SDP(Q + sum mu T)`` with
``SDP(M) = max <M, X>`` over ``X >= 0``, ``diag X = 1``.  Following the
Lagrangian cut bound of BiqMac (Rendl, Rinaldi & Wiegele 2010), but with a
low-rank inner solver: :func:`cut_bound` minimises ``f`` over ``mu >= 0`` by
projected subgradient steps (Polyak steps towards the incumbent, the
subgradient ``1 + <T_t, X>``) where ``X = V V^T`` comes from the mixing
method on ``M = Q + sum mu T`` (:func:`bounds._cut_kernels.mix`, rank
``k``, warm started), and adds the most violated triangles of ``X`` every few
steps (at most ``4 n'`` kept; multipliers that are zero and satisfied are
dropped).  Any ``mu`` gives a *valid* bound once ``d`` is made feasible:
``d_i = <v_i, (M V)_i>`` (complementary slackness) shifted by
``-lambda_min(diag d - M)`` and a rounding margin; :func:`certify_cuts`
rounds ``mu`` and ``d`` to a dyadic grid ``2^-e``, builds the spec's exact
integer matrix ``2^(e+1) A`` and proves it positive definite with
:func:`proofs.exact.xor_cuts.cut_leaf_check` (the checker's own test:
:func:`proofs.exact.psd.verified_psd`) before a node is pruned, so the checker
(:mod:`proofs.checkers.xor_bnb`) never rejects a leaf the solver wrote.

Children inherit the multipliers (:func:`fold_state`): fixing the first free
row ``r`` to ``s`` times the folded row means ``z_r = s z_0``, so a triangle
on ``r`` and not on ``0`` becomes one on ``0`` with its two signs on ``r``'s
pairs multiplied by ``s``; triangles on both are dropped.
Everything here is an estimate until the checker has accepted the certificate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from bounds._cut_kernels import cut_matrix, cut_values, mix, separate
from proofs.exact.xor_cuts import cut_leaf_check

__all__ = ["CUTS_PER_NODE", "CUT_BITS", "CutDual", "CutParams", "CutState", "certify_cuts", "cut_bound", "fold_state", "fresh_state", "residual_q"]

#: dual weights and multipliers are integers ``k`` over ``2^e`` with ``k < 2^CUT_BITS``
CUT_BITS = 36
#: the checker's per-leaf limit on cuts is ``4 n'`` (spec); the solver keeps at most this many
CUTS_PER_NODE = 4


@dataclass
class CutState:
    """Warm start of a node's cut bound: unit vectors ``v`` (``n' x k``), triangles ``idx``/``sg`` (``C x 3``) and multipliers ``mu``."""

    v: NDArray[np.float64]
    idx: NDArray[np.int64]
    sg: NDArray[np.int64]
    mu: NDArray[np.float64]


@dataclass(frozen=True)
class CutDual:
    """A proved cut dual of a residual: ``d = kd / 2^e``, cuts ``(i, j, k, s1, s2, s3, q)`` with ``mu = q / 2^e``; ``bound = floor((sum kd + sum q) / 2^e)``."""

    kd: tuple[int, ...]
    cuts: tuple[tuple[int, int, int, int, int, int, int], ...]
    exponent: int
    bound: int


def residual_q(kp: NDArray[np.float64]) -> NDArray[np.float64]:
    """``Q = [[0, K'/2], [K'^T/2, 0]]`` of a residual ``K'``.

    >>> residual_q(np.array([[2.0, -4.0]]))
    array([[ 0.,  1., -2.],
           [ 1.,  0.,  0.],
           [-2.,  0.,  0.]])
    """
    r, c = kp.shape
    q = np.zeros((r + c, r + c))
    q[:r, r:] = 0.5 * kp
    q[r:, :r] = 0.5 * kp.T
    return q


def fresh_state(v: NDArray[np.float64], rank: int, seed: int) -> CutState:
    """A warm start without cuts from unit vectors ``v``, padded to ``rank`` columns by a small seeded perturbation (then renormalised).

    >>> st = fresh_state(np.eye(3), 5, 0)
    >>> st.v.shape, bool(np.allclose(np.linalg.norm(st.v, axis=1), 1.0)), len(st.mu)
    ((3, 5), True, 0)
    """
    n, k = v.shape
    if k < rank:
        pad = 1e-3 * np.random.default_rng(seed).standard_normal((n, rank - k))
        v = np.hstack([v, pad])
        v = v / np.linalg.norm(v, axis=1)[:, None]
    return CutState(v, np.zeros((0, 3), dtype=np.int64), np.zeros((0, 3), dtype=np.int64), np.zeros(0))


def fold_state(state: CutState, s: int) -> CutState:
    """The child's warm start when node 1 (the first free row) is fixed to ``s`` times node 0 (``z_1 = s z_0``).

    >>> st = CutState(np.eye(4)[:, :3], np.array([[1, 2, 3], [0, 1, 2], [0, 2, 3]]), np.array([[1, -1, -1], [1, 1, 1], [-1, 1, -1]]), np.ones(3))
    >>> ch = fold_state(st, -1)
    >>> ch.idx.tolist(), ch.sg.tolist(), ch.v.shape
    ([[0, 1, 2], [0, 1, 2]], [[-1, 1, -1], [-1, 1, -1]], (3, 3))
    """
    v = state.v
    cu = v[0] + s * v[1]
    nrm = float(np.linalg.norm(cu))
    cu = cu / nrm if nrm > 1e-12 else v[0]
    nv = np.vstack([cu[None, :], v[2:]])
    idx = state.idx
    keep = ~(np.any(idx == 0, axis=1) & np.any(idx == 1, axis=1))
    idx, sg, mu = idx[keep].copy(), state.sg[keep].copy(), state.mu[keep].copy()
    on1 = idx[:, 0] == 1  # without node 0, node 1 is the smallest index
    sg[on1, 0] *= s
    sg[on1, 1] *= s
    idx[on1, 0] = 0
    idx = np.where(idx >= 2, idx - 1, idx)
    return CutState(nv, idx, sg, mu)


def _exponent(top: float) -> int:
    """The grid ``2^-e`` for weights of magnitude up to ``top`` (``top 2^e < 2^(CUT_BITS - 1)``), ``0 <= e <= 1000``."""
    e = CUT_BITS - 1 - (math.frexp(top)[1] if top > 0 else 0)
    return max(0, min(1000, e))


def certify_cuts(kp: NDArray[np.int64], q: NDArray[np.float64], idx: NDArray[np.int64], sg: NDArray[np.int64], mu: NDArray[np.float64],
                 v: NDArray[np.float64], best: int, margin: float = 1.0) -> tuple[CutDual | None, float]:
    """A proved cut dual of the residual ``kp`` from the multipliers ``mu`` and vectors ``v``, if its bound is at most ``best``: ``(dual or None, float bound)``.

    ``mu`` is rounded to the grid (nearest, ``>= 0``; any ``mu >= 0`` is
    valid), ``d_i = <v_i, (M V)_i>`` for ``M = Q + sum mu T`` is shifted by
    ``-lambda_min(diag d - M)`` and a rounding margin (times ``margin``),
    rounded up to the grid, and the exact integer matrix is proved positive
    definite by the checker's test (:func:`proofs.exact.xor_cuts.cut_leaf_check`).  The float bound is an
    estimate (``inf`` when no grid fits).
    """
    n = q.shape[0]
    m0 = cut_matrix(q, idx, sg, mu)
    d0 = np.einsum("ik,ik->i", v, m0 @ v)
    top = max(float(np.abs(d0).max(initial=0.0)) * 2.0 + 1.0, float(mu.max(initial=0.0)))
    e = _exponent(top)
    scale = math.ldexp(1.0, e)
    qi = np.rint(np.maximum(mu, 0.0) * scale).astype(np.int64)
    keep = qi > 0
    idx, sg, qi = idx[keep], sg[keep], qi[keep]
    mur = qi.astype(np.float64) / scale
    m = cut_matrix(q, idx, sg, mur)
    d = np.einsum("ik,ik->i", v, m @ v)
    s = -m
    s[np.diag_indices_from(s)] += d
    lam = float(np.linalg.eigvalsh(s)[0])
    tr = float(np.abs(d).sum() + np.abs(m).sum())
    d = d + (max(0.0, -lam) * (1.0 + 1e-7) + margin * 32.0 * (n + 5) * 2.0**-53 * (tr + 1.0))
    est = float(d.sum() + mur.sum())
    if math.floor(est) > best:
        return None, est
    kd = [math.ceil(float(t) * scale) for t in d]  # t * 2^e is exact (a power-of-two scaling)
    if max(abs(t) for t in kd) >= 1 << 53:
        return None, est
    cuts = np.hstack([idx, sg, qi[:, None]]).astype(np.int64)
    res = cut_leaf_check(kp, kd, cuts, e)  # the checker's own test (lemma X6)
    if not res.ok or res.bound is None or res.bound > best:
        return None, est
    return CutDual(tuple(kd), tuple(tuple(int(t) for t in row) for row in cuts.tolist()), e, res.bound), est  # type: ignore[misc]


@dataclass(frozen=True)
class CutParams:
    """Tuning of :func:`cut_bound`: outer steps, mixing sweeps per step, steps between separations, new cuts per separation, stall window and
    decrease, mixing sweeps before a certification, steps after a failed certification before the next, rank of the vectors.

    The rank matters: on the 48 x 48 bench game the search took 1535 / 757 / 619 / 617 / 633 nodes at ranks 8 / 12 / 16 / 24 / 32
    (rank ``~ sqrt(2 n')`` is where the mixing method has no spurious local optima, Wang, Chang & Kolter 2017).
    """

    max_iter: int = 120
    inner: int = 3
    sep_every: int = 5
    per_sep: int = 0  # 0: n' per separation
    window: int = 20
    stall: float = 0.05
    polish: int = 60
    retry: int = 4
    rank: int = 16


def cut_bound(kp: NDArray[np.int64], state: CutState, best: int, params: CutParams = CutParams()) -> tuple[CutDual | None, CutState, float, int]:
    """Try to prune the residual ``kp`` (value at most ``best``) with a triangle-cut dual: ``(dual or None, state, estimate, steps)``.

    Stops as soon as a proved dual prunes, or when the bound estimate stalls
    above ``best + 1`` (its decrease over ``window`` steps below ``stall``
    times the remaining gap), or after ``max_iter`` steps.  The returned
    state (final vectors and multipliers) warm-starts the children.  The
    estimate is the last primal value ``<M, V V^T> + sum mu`` (about
    ``f(mu)``; not a bound).

    >>> kp = np.array([[1, 1, 1], [1, -1, 1], [1, 1, -1]])   # w = 5; the plain SDP bound is above 5.1
    >>> rng = np.random.default_rng(0); v = rng.standard_normal((6, 4)); v /= np.linalg.norm(v, axis=1)[:, None]
    >>> st = CutState(v, np.zeros((0, 3), dtype=np.int64), np.zeros((0, 3), dtype=np.int64), np.zeros(0))
    >>> dual, st, est, steps = cut_bound(kp, st, 5)
    >>> dual.bound
    5
    """
    q = residual_q(kp.astype(np.float64))
    n = q.shape[0]
    cap = CUTS_PER_NODE * n
    per = params.per_sep or n
    idx, sg, mu, v = state.idx, state.sg, state.mu, state.v
    goal = best + 1.0
    hist: list[float] = []
    est = math.inf
    theta = 1.0
    fbest = math.inf
    retry = 0
    steps = 0
    for it in range(params.max_iter):
        steps = it + 1
        if it % params.sep_every == 0:
            idx, sg, mu = _separate(v, idx, sg, mu, per, cap)
        m = cut_matrix(q, idx, sg, mu)
        v, val, _ = mix(m, v, params.inner, 1e-7)
        est = val + float(mu.sum())
        if est < goal and it >= retry:
            # converge the vectors first: the dual of unconverged vectors needs a large shift
            v, val, _ = mix(m, v, params.polish, 1e-9)
            est = val + float(mu.sum())
            if est < goal:
                dual, _fb = certify_cuts(kp, q, idx, sg, mu, v, best)
                if dual is not None:
                    return dual, CutState(v, idx, sg, mu), est, it + 1
                retry = it + params.retry
        if est < fbest:
            fbest = est
        else:
            theta = max(0.05, theta * 0.9)
        hist.append(fbest)
        if len(hist) > params.window and hist[-params.window - 1] - fbest < params.stall * (fbest - goal):
            break
        if not len(mu):
            continue
        g = 1.0 + cut_values(v, idx, sg)
        act = (mu > 0) | (g < 0)
        gn = float(g[act] @ g[act])
        if gn < 1e-12:
            continue
        step = theta * (est - (goal - 0.5)) / gn
        mu = np.maximum(0.0, mu - step * g)
    return None, CutState(v, idx, sg, mu), est, steps


def _separate(v: NDArray[np.float64], idx: NDArray[np.int64], sg: NDArray[np.int64], mu: NDArray[np.float64], per: int,
              cap: int) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.float64]]:
    """Drop satisfied triangles with ``mu = 0``, add up to ``per`` new violated ones (``mu = 0``), keep at most ``cap`` (largest ``mu`` first)."""
    x = v @ v.T
    if len(mu):
        g = 1.0 + cut_values(v, idx, sg)
        keep = (mu > 0) | (g < -1e-4)
        idx, sg, mu = idx[keep], sg[keep], mu[keep]
    ni, ns, _nv = separate(x, per, 1e-3)
    if len(ni):
        new = ~np.isin(_keys(ni, ns, x.shape[0]), _keys(idx, sg, x.shape[0]))
        idx = np.vstack([idx, ni[new]])
        sg = np.vstack([sg, ns[new]])
        mu = np.concatenate([mu, np.zeros(int(new.sum()))])
    if len(mu) > cap:
        o = np.argsort(-mu, kind="stable")[:cap]
        idx, sg, mu = idx[o], sg[o], mu[o]
    return idx, sg, mu


def _keys(idx: NDArray[np.int64], sg: NDArray[np.int64], n: int) -> NDArray[np.int64]:
    """One integer per triangle (its nodes and sign pattern; ``s3`` follows from ``s1 s2``)."""
    return ((idx[:, 0] * n + idx[:, 1]) * n + idx[:, 2]) * 4 + 2 * (sg[:, 0] < 0) + (sg[:, 1] < 0)
