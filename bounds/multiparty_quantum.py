"""Explicit quantum resources for K-party correlator games: GHZ, a network of Bell pairs, one Bell pair plus classical players.

A *resource* (:class:`Resource`) is a state given as a tensor product of
exact density matrices on qubits, each qubit held by one player.  Its
strategies (+-1 observables per player and input) are optimised in floats by
see-saw -- for fixed other players the value is ``sum_x Re Tr(O_i(x) G_i(x))``,
maximised by ``O_i(x) = sign(H)`` with ``H`` the Hermitian part of ``G_i(x)``
-- from several starts, then rounded to exact observables and written as a
``multiparty-quantum-strategy`` certificate (checked by
``proofs.checkers.multiparty_quantum``; the value here is an *estimate*):

* qubit observables ``n . sigma`` with ``n`` a rational unit vector (inverse
  stereographic projection of a rounded point), or ``+-I``;
* larger observables ``I - 2 sum_k w_k w_k^T / (w_k^T w_k)`` with ``w_k`` the
  rounded ``-1`` eigenvectors made exactly orthogonal (rational Gram-Schmidt):
  real, Hermitian, ``O^2 = I`` exactly.

Resources: :func:`ghz` (one K-qubit GHZ state, a qubit per player; its
two-body correlators are ``n_i^z n_j^z``, lemma M4, so it never beats
classical on a two-body game), :func:`bell_network` (a Bell pair on every pair
of players: for K = 3 the triangle, each player holding two qubits),
:func:`bell_pair` (players ``i, j`` share a Bell pair, the rest are classical;
the pair starts from Tsirelson vectors of its two-body game).

>>> from bounds.multiparty_classical import stand_in
>>> import numpy as np
>>> chsh = np.array([[1.0, 1.0], [1.0, -1.0]]) / 8
>>> from games.multiparty import CorrelatorGame
>>> g = CorrelatorGame(2, 2, {(0, 1): chsh}, constant=0.5)
>>> r = optimise(g, bell_pair(2), restarts=3)
>>> round(r.value, 6)   # cos^2(pi/8)
0.853553
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bounds.errors import BoundsParameterError, SolverError
from bounds.multiparty_classical import exact_description
from games.multiparty import CorrelatorGame
from proofs.exact.certificate import new_certificate
from proofs.exact.correlator_game import weights_fields
from proofs.exact.rational import fraction_str

__all__ = [
    "QuantumStrategy",
    "Resource",
    "bell_network",
    "bell_pair",
    "exact_observable",
    "float_observable",
    "ghz",
    "optimise",
    "outcome_table",
    "quantum_certificate",
    "rational_unit_vector",
    "sign_part",
    "strategy_value",
]

#: denominator scale of rounded observables (points and vectors rounded to multiples of 2^-ROUND_BITS)
ROUND_BITS = 30


@dataclass(frozen=True)
class Resource:
    """A state on qubits held by players: exact density-matrix factors, each on listed qubits (in that order)."""

    name: str
    K: int
    owners: tuple[int, ...]
    factors: tuple[tuple[tuple[int, ...], tuple[tuple[Fraction, ...], ...]], ...]
    real: bool = True

    @property
    def n(self) -> int:
        return len(self.owners)

    def player_dim(self, i: int) -> int:
        return 2 ** sum(1 for o in self.owners if o == i)

    def full_state(self) -> NDArray[np.complex128]:
        """The density matrix on all qubits as a tensor with axes ``[rows q_0..q_{n-1}, cols q_0..q_{n-1}]`` (floats)."""
        n = self.n
        acc = np.ones(())
        order: list[int] = []
        for subs, rho in self.factors:
            t = np.array([[float(v) for v in row] for row in rho]).reshape([2] * (2 * len(subs)))
            ka, kt = len(order), len(subs)
            o = np.multiply.outer(acc, t)
            perm = list(range(ka)) + list(range(2 * ka, 2 * ka + kt)) + list(range(ka, 2 * ka)) + list(range(2 * ka + kt, 2 * ka + 2 * kt))
            acc = np.transpose(o, perm)
            order += list(subs)
        inv = [order.index(q) for q in range(n)]
        return np.transpose(acc, inv + [n + k for k in inv]).astype(np.complex128)

    def reduced(self, S: tuple[int, ...]) -> NDArray[np.complex128]:
        """Reduced state of players ``S``: axes ``[row of each player in S, column of each]`` (each player's qubits merged, increasing)."""
        n = self.n
        T = self.full_state()
        letters = "abcdefghijkl"
        caps = "ABCDEFGHIJKL"
        rows = [letters[q] for q in range(n)]
        cols = [caps[q] if self.owners[q] in S else letters[q] for q in range(n)]
        kept = sorted((q for q in range(n) if self.owners[q] in S), key=lambda q: (S.index(self.owners[q]), q))
        out = "".join(letters[q] for q in kept) + "".join(caps[q] for q in kept)
        R = np.einsum("".join(rows) + "".join(cols) + "->" + out, T)
        pd = [self.player_dim(p) for p in S]
        return R.reshape(pd * 2)


def ghz(K: int) -> Resource:
    """The K-qubit GHZ state ``(|0..0> + |1..1>)/sqrt 2``, qubit ``i`` held by player ``i``."""
    D = 2**K
    rho = [[Fraction(1, 2) if i in (0, D - 1) and j in (0, D - 1) else Fraction(0) for j in range(D)] for i in range(D)]
    return Resource(f"GHZ-{K}", K, tuple(range(K)), ((tuple(range(K)), tuple(tuple(r) for r in rho)),))


_BELL = tuple(tuple(Fraction(1, 2) if i in (0, 3) and j in (0, 3) else Fraction(0) for j in range(4)) for i in range(4))


def bell_network(K: int) -> Resource:
    """A Bell pair ``|Phi+>`` on every pair ``i < j`` (for K = 3 the triangle): player ``i`` holds ``K - 1`` qubits."""
    owners: list[int] = []
    factors = []
    for i, j in itertools.combinations(range(K), 2):
        factors.append(((len(owners), len(owners) + 1), _BELL))
        owners += [i, j]
    return Resource("triangle" if K == 3 else f"Bell network K={K}", K, tuple(owners), tuple(factors))


def bell_pair(K: int, pair: tuple[int, int] = (0, 1)) -> Resource:
    """One Bell pair shared by the players ``pair``; every other player is classical (1 x 1 observables, that is signs)."""
    i, j = pair
    if not (0 <= i < j < K):
        raise BoundsParameterError(f"`pair` must be two players 0 <= i < j < K = {K}; got {pair}")
    return Resource(f"pair {i}{j} + classical", K, (i, j), (((0, 1), _BELL),))


# --------------------------------------------------------------------------- float evaluation and see-saw
_ROW, _COL, _INP = "abcdefgh", "ABCDEFGH", "pqrstuvw"


def _terms_ops(game: CorrelatorGame, res: Resource) -> list[tuple[tuple[int, ...], NDArray[Any], NDArray[Any]]]:
    return [(S, W, res.reduced(S)) for S, W in game.terms.items()]


def strategy_value(game: CorrelatorGame, res: Resource, obs: list[NDArray[np.complex128]]) -> float:
    """The value (float *estimate*) of observables ``obs[i]`` of shape ``(N, d_i, d_i)``."""
    total = game.constant
    for S, W, R in _terms_ops(game, res):
        k = len(S)
        spec = _ROW[:k] + _COL[:k] + "," + ",".join(_INP[m] + _COL[m] + _ROW[m] for m in range(k)) + "," + _INP[:k] + "->"
        total += float(np.real(np.einsum(spec, R, *[obs[i] for i in S], W)))
    return total


def outcome_table(res: Resource, obs: list[NDArray[np.complex128]], N: int) -> NDArray[np.float64]:
    """Joint output law of bin-constant observables, by the Born rule (float *estimate*, for simulation).

    Row ``sum_i x_i N^(K-1-i)`` holds ``P(o_1..o_K | bins x)`` over the ``2^K``
    patterns, bit ``K-1-i`` of the pattern set when ``o_i = -1``:
    ``P(o | x) = 2^-K sum_S prod_{i in S} o_i E_S(x_S)``, ``E_S`` the correlator
    of players ``S`` on their reduced state.  Rounding below zero is clipped and
    each row renormalised.

    >>> import numpy as np
    >>> Z = np.array([[[1, 0], [0, -1]]], dtype=complex)
    >>> outcome_table(ghz(3), [Z, Z, Z], 1).round(12).tolist()   # GHZ measured in Z: all +1 or all -1
    [[0.5, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.5]]
    """
    K = res.K
    corr: dict[tuple[int, ...], NDArray[np.float64]] = {}
    for k in range(1, K + 1):
        for S in itertools.combinations(range(K), k):
            R = res.reduced(S)
            spec = _ROW[:k] + _COL[:k] + "," + ",".join(_INP[m] + _COL[m] + _ROW[m] for m in range(k)) + "->" + _INP[:k]
            corr[S] = np.real(np.einsum(spec, R, *[obs[i] for i in S]))
    pats = np.array([[1 - 2 * ((p >> (K - 1 - i)) & 1) for i in range(K)] for p in range(2**K)])
    table = np.ones((N,) * K + (2**K,))
    for S, E in corr.items():
        sign = np.prod(pats[:, list(S)], axis=1)
        shape = [N if i in S else 1 for i in range(K)]
        table = table + E.reshape(shape)[..., None] * sign
    table = np.clip(table.reshape(N**K, 2**K) / 2**K, 0.0, None)
    return table / table.sum(axis=1, keepdims=True)


def _gradient(ops: list[tuple[tuple[int, ...], NDArray[Any], NDArray[Any]]], obs: list[NDArray[np.complex128]], i: int, N: int, d: int) -> NDArray[np.complex128]:
    G = np.zeros((N, d, d), dtype=np.complex128)
    for S, W, R in ops:
        if i not in S:
            continue
        k, m = len(S), S.index(i)
        others = [t for t in range(k) if t != m]
        spec = (_ROW[:k] + _COL[:k] + "," + "".join("," + _INP[t] + _COL[t] + _ROW[t] for t in others)[1:] + ("," if others else "")
                + _INP[:k] + "->" + _INP[m] + _ROW[m] + _COL[m])
        G += np.einsum(spec, R, *[obs[S[t]] for t in others], W)
    return G


def sign_part(H: NDArray[Any]) -> NDArray[Any]:
    """The +-1 observables nearest to a batch ``H[x]``: ``sign`` of the Hermitian part's eigenvalues (0 -> +1), in ``H``'s dtype.

    For fixed other operators the see-saw's value is linear in an observable ``O`` with
    gradient ``H``; ``Tr(O H)`` over ``O^2 = I`` is largest at this sign.

    >>> sign_part(np.array([[[2.0, 0.0], [0.0, -1.0]]])).tolist()
    [[[1.0, 0.0], [0.0, -1.0]]]
    """
    H = (H + np.conj(np.swapaxes(H, -1, -2))) / 2
    lam, V = np.linalg.eigh(H)
    s = np.where(lam >= 0, 1.0, -1.0)
    return np.asarray(np.einsum("xab,xb,xcb->xac", V, s, np.conj(V)))


def _sign(H: NDArray[np.complex128], real: bool) -> NDArray[np.complex128]:
    H = (H + np.conj(np.swapaxes(H, -1, -2))) / 2
    if real:
        H = np.real(H).astype(np.complex128)
    return sign_part(H)


@dataclass(frozen=True)
class QuantumStrategy:
    """A resource and float observables ``obs[i][x]`` with the value they reach (an *estimate*; certify with :func:`quantum_certificate`)."""

    resource: Resource
    observables: tuple[NDArray[np.complex128], ...]
    value: float


def _random_obs(rng: np.random.Generator, N: int, d: int, real: bool) -> NDArray[np.complex128]:
    A = rng.standard_normal((N, d, d)) + (0 if real else 1j * rng.standard_normal((N, d, d)))
    return _sign(A.astype(np.complex128), real)


def _seesaw(game: CorrelatorGame, res: Resource, obs: list[NDArray[np.complex128]], rounds: int, ops: Any) -> tuple[list[NDArray[np.complex128]], float]:
    v_old = -math.inf
    for _ in range(rounds):
        for i in range(res.K):
            obs[i] = _sign(_gradient(ops, obs, i, game.N, res.player_dim(i)), res.real)
        v = strategy_value(game, res, obs)
        if v <= v_old + 1e-13:
            break
        v_old = v
    return obs, strategy_value(game, res, obs)


def _tsirelson_start(game: CorrelatorGame, res: Resource, rng: np.random.Generator) -> list[NDArray[np.complex128]] | None:
    """Qubit observables of the pair from Tsirelson vectors of its two-body game (3-D projection), others random signs."""
    pair = tuple(q for q in range(res.K) if res.player_dim(q) == 2)
    if len(pair) != 2 or pair not in game.terms:
        return None
    from bounds.tsirelson import tsirelson

    W = game.terms[pair]
    scale = float(np.abs(W).sum()) or 1.0
    sol = tsirelson(W / scale, seed=int(rng.integers(2**31)))
    u, v = sol.strategy.u, sol.strategy.v
    G = np.vstack([u, v])
    _, _, vt = np.linalg.svd(G, full_matrices=False)
    P = vt[:3].T
    uu, vv = u @ P, v @ P
    uu /= np.maximum(np.linalg.norm(uu, axis=1, keepdims=True), 1e-300)
    vv /= np.maximum(np.linalg.norm(vv, axis=1, keepdims=True), 1e-300)
    if uu.shape[1] < 3:
        uu = np.hstack([uu, np.zeros((uu.shape[0], 3 - uu.shape[1]))])
        vv = np.hstack([vv, np.zeros((vv.shape[0], 3 - vv.shape[1]))])
    X, Y, Z = np.array([[0, 1], [1, 0]]), np.array([[0, -1j], [1j, 0]]), np.array([[1, 0], [0, -1]])
    # Phi+ correlator of a.sigma x b.sigma is a_x b_x - a_y b_y + a_z b_z: flip the second player's y component
    obs: list[NDArray[np.complex128]] = []
    for q in range(res.K):
        if q == pair[0]:
            obs.append(np.einsum("xk,kab->xab", uu, np.stack([X, Y, Z])).astype(np.complex128))
        elif q == pair[1]:
            obs.append(np.einsum("xk,kab->xab", vv * np.array([1, -1, 1]), np.stack([X, Y, Z])).astype(np.complex128))
        else:
            obs.append(rng.choice([1.0, -1.0], (game.N, 1, 1)).astype(np.complex128))
    return obs


def optimise(game: CorrelatorGame, res: Resource, *, restarts: int = 8, rounds: int = 300, seed: int = 0,
             starts: list[list[NDArray[np.complex128]]] | None = None) -> QuantumStrategy:
    """See-saw from random starts (and given ``starts``; the Tsirelson start for a :func:`bell_pair`): the best strategy found.

    The value is an *estimate* (a local optimum in floats); certify it with :func:`quantum_certificate`.
    """
    if res.K != game.K:
        raise BoundsParameterError(f"the resource is for K = {res.K} players; the game has K = {game.K}")
    rng = np.random.default_rng(seed)
    ops = _terms_ops(game, res)
    inits = [list(s) for s in (starts or [])]
    ts = _tsirelson_start(game, res, rng)
    if ts is not None:
        inits.append(ts)
    for _ in range(restarts):
        inits.append([_random_obs(rng, game.N, res.player_dim(i), res.real) for i in range(res.K)])
    best: tuple[list[NDArray[np.complex128]], float] | None = None
    for init in inits:
        obs, v = _seesaw(game, res, [o.copy() for o in init], rounds, ops)
        if best is None or v > best[1]:
            best = (obs, v)
    if best is None:
        raise SolverError("the see-saw had no start")
    return QuantumStrategy(res, tuple(best[0]), best[1])


# --------------------------------------------------------------------------- exact rounding
def _round(x: float) -> Fraction:
    return Fraction(round(x * 2**ROUND_BITS), 2**ROUND_BITS)


def rational_unit_vector(n: Any) -> tuple[Fraction, Fraction, Fraction]:
    """A rational unit vector near ``n`` (inverse stereographic projection of a rounded point; exact norm 1).

    >>> v = rational_unit_vector([0.6, 0.0, 0.8]); sum(c * c for c in v)
    Fraction(1, 1)
    """
    a = np.asarray(n, dtype=float)
    a = a / np.linalg.norm(a)
    flip = a[2] < 0  # project from the far pole
    z = -a[2] if flip else a[2]
    t1, t2 = _round(a[0] / (1 + z)), _round(a[1] / (1 + z))
    s = 1 + t1 * t1 + t2 * t2
    x, y, zz = 2 * t1 / s, 2 * t2 / s, (1 - t1 * t1 - t2 * t2) / s
    return (x, y, -zz if flip else zz)


def _gram_schmidt(vs: list[list[Fraction]]) -> list[list[Fraction]]:
    out: list[list[Fraction]] = []
    for v in vs:
        w = list(v)
        for u in out:
            c = sum((a * b for a, b in zip(w, u)), Fraction(0)) / sum((b * b for b in u), Fraction(0))
            w = [a - c * b for a, b in zip(w, u)]
        if any(w):
            out.append(w)
    return out


def exact_observable(obs: NDArray[np.complex128]) -> list[list[Any]]:
    """Exact +-1 observable near ``O`` as a matrix of ``"p/q"`` strings or ``[re, im]`` pairs (see the module docstring)."""
    d = obs.shape[0]
    H = (obs + obs.conj().T) / 2
    lam, V = np.linalg.eigh(H)
    neg = V[:, lam < 0]
    if neg.shape[1] == 0 or neg.shape[1] == d:
        s = 1 if neg.shape[1] == 0 else -1
        return [[fraction_str(Fraction(s * int(i == j))) for j in range(d)] for i in range(d)]
    if d == 2:
        n = (float(np.real(H[1, 0])), float(np.imag(H[1, 0])), float(np.real(H[0, 0])))
        nx, ny, nz = rational_unit_vector(n)
        q = fraction_str
        return [[q(nz), [q(nx), q(-ny)]], [[q(nx), q(ny)], q(-nz)]]
    if np.abs(np.imag(V)).max() > 1e-9:
        raise SolverError("only real observables of dimension above 2 are rounded exactly")
    ws = _gram_schmidt([[_round(float(np.real(c))) for c in col] for col in neg.T])
    M = [[Fraction(int(i == j)) for j in range(d)] for i in range(d)]
    for w in ws:
        nn = sum((c * c for c in w), Fraction(0))
        for i in range(d):
            for j in range(d):
                M[i][j] -= 2 * w[i] * w[j] / nn
    return [[fraction_str(v) for v in row] for row in M]


def float_observable(m: list[list[Any]]) -> NDArray[np.complex128]:
    """The float matrix of an exact observable written by :func:`exact_observable` (``"p/q"`` strings or ``[re, im]`` pairs)."""
    def f(t: Any) -> complex:
        return complex(float(Fraction(t[0])), float(Fraction(t[1]))) if isinstance(t, list) else complex(float(Fraction(t)))
    return np.array([[f(t) for t in row] for row in m])


def quantum_certificate(game: CorrelatorGame, strategy: QuantumStrategy, *, margin: float = 1e-9) -> tuple[dict[str, Any], float]:
    """A ``multiparty-quantum-strategy`` certificate of the rounded strategy and its float value (an *estimate*).

    The claim is the rounded strategy's float value minus ``margin`` times
    ``1 + sum |W|`` (the checker computes the exact value and refuses a claim above it).
    """
    desc, w = exact_description(game)
    res = strategy.resource
    obs_exact = [[exact_observable(o) for o in strategy.observables[i]] for i in range(res.K)]
    obs_f = [np.stack([float_observable(m) for m in row]) for row in obs_exact]
    value = strategy_value(game, res, obs_f)
    scale = 1.0 + sum(float(np.abs(W).sum()) for W in game.terms.values())
    claim = Fraction(value - margin * scale).limit_denominator(10**15)
    factors = [{"subsystems": list(subs), "rho": [[fraction_str(v) for v in row] for row in rho]} for subs, rho in res.factors]
    cert = new_certificate("multiparty-quantum-strategy", desc, game.N, "lower", claim, **weights_fields(w),
                           subsystems=[2] * res.n, owners=list(res.owners), factors=factors, observables=obs_exact)
    cert["resource"] = res.name
    return cert, value
