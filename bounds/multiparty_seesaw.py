"""See-saw over a general real K-qubit state (one qubit per player) and real qubit +-1 observables per input.

The explicit resources of :mod:`bounds.multiparty_quantum` fix the state
(GHZ, Bell pairs) and optimise the observables.  Here the state is free too:
the see-saw alternates

* the state: for fixed observables the value is ``<psi|B|psi>`` with the Bell
  operator ``B = c I + sum_S sum_x W_S[x] (x)_{i in S} O_i(x_i)``, maximised by
  the top eigenvector of ``B`` (real, since every observable is real);
* each player's observables: for a fixed state and fixed other players the
  value is ``sum_x Tr(O_i(x) G_i(x))``, linear in ``O_i(x)``, maximised by the
  sign of the symmetric part of ``G_i(x)`` (players updated in turn).

Starts are random real +-1 qubit observables from ``numpy.random.default_rng(seed)``
(deterministic); the best of ``restarts`` starts is returned.  The value is an
*estimate* (a local optimum in floats).  :meth:`GeneralSeesaw.strategy` rounds
the state to a rational density matrix (``q q^T / |q|^2``, ``q`` the state
rounded to multiples of ``2^-bits``) as a :class:`bounds.multiparty_quantum.Resource`,
so :func:`bounds.multiparty_quantum.quantum_certificate` (or a ``routers-strategy``
component) turns it into a certificate that a checker evaluates exactly.

On the four-router Lagrangian game at ``rho = 0.6``, ``W_limit = 4.5``, two bins
per router and ``nu = 0.343086`` this finds a state (not GHZ) whose value
exceeds every classical strategy's by about ``5.7e-4`` (the claim ``more-nodes``).

>>> import numpy as np
>>> from games.multiparty import CorrelatorGame
>>> chsh = np.array([[1.0, 1.0], [1.0, -1.0]]) / 8
>>> r = general_seesaw(CorrelatorGame(2, 2, {(0, 1): chsh}, constant=0.5), restarts=3)
>>> round(r.value, 6)   # cos^2(pi/8): the see-saw finds the maximally entangled state
0.853553
>>> r.strategy().resource.name
'general 2-qubit state'
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

from bounds.errors import BoundsParameterError, BoundsTypeError, SolverError, check_int
from bounds.multiparty_quantum import QuantumStrategy, Resource, sign_part
from games.multiparty import CorrelatorGame

__all__ = ["MAX_QUBITS", "GeneralSeesaw", "general_seesaw"]

#: largest number of players (the Bell operator is ``2^K x 2^K``)
MAX_QUBITS = 6
#: the see-saw stops when a round raises the state's eigenvalue by less than this
_TOL = 1e-12
_OLD, _NEW, _INP = "abcdefgh", "ABCDEFGH", "pqrstuvw"


@dataclass(frozen=True)
class GeneralSeesaw:
    """The best see-saw strategy: a real unit state on ``K`` qubits and real +-1 qubit observables ``(N, 2, 2)`` per player.

    ``value`` is the game value of exactly this state and these observables in
    floats (an *estimate*, not a bound: certify :meth:`strategy`).
    """

    K: int
    N: int
    value: float
    state: NDArray[np.float64]
    observables: tuple[NDArray[np.float64], ...]
    restarts: int
    rounds: int
    seed: int

    def resource(self, *, bits: int = 20) -> Resource:
        """The state rounded to a rational pure density matrix ``q q^T / |q|^2`` (``q``: entries rounded to multiples of ``2^-bits``)."""
        bits = check_int("bits", bits, low=4, high=60)
        q = [Fraction(round(float(v) * 2**bits), 2**bits) for v in self.state]
        nrm = sum((v * v for v in q), Fraction(0))
        if nrm == 0:
            raise SolverError("the rounded state is zero; use more `bits`")
        rho = tuple(tuple(a * b / nrm for b in q) for a in q)
        return Resource(f"general {self.K}-qubit state", self.K, tuple(range(self.K)), ((tuple(range(self.K)), rho),))

    def strategy(self, *, bits: int = 20) -> QuantumStrategy:
        """:meth:`resource` with the observables, for :func:`bounds.multiparty_quantum.quantum_certificate` (value: the unrounded estimate)."""
        return QuantumStrategy(self.resource(bits=bits), tuple(o.astype(np.complex128) for o in self.observables), self.value)


def _apply(game: CorrelatorGame, obs: list[NDArray[np.float64]], psi: NDArray[np.float64]) -> NDArray[np.float64]:
    """``B psi`` for a batch ``psi`` of shape ``(M, 2, ..., 2)``."""
    K = game.K
    out = game.constant * psi
    for S, W in game.terms.items():
        k = len(S)
        old = "".join(_OLD[j] for j in range(K))
        new = "".join(_NEW[j] if j in S else _OLD[j] for j in range(K))
        spec = _INP[:k] + "," + ",".join(_INP[m] + _NEW[S[m]] + _OLD[S[m]] for m in range(k)) + ",z" + old + "->z" + new
        out = out + np.einsum(spec, W, *[obs[j] for j in S], psi, optimize=True)
    return np.asarray(out)


def _gradient(game: CorrelatorGame, obs: list[NDArray[np.float64]], psi: NDArray[np.float64], i: int) -> NDArray[np.float64]:
    """``G[x]`` with ``value = const + sum_x Tr(O_i(x) G[x]^T) + (terms without i)`` for the state ``psi`` (shape ``(2,)*K``)."""
    K = game.K
    G = np.zeros((game.N, 2, 2))
    for S, W in game.terms.items():
        if i not in S:
            continue
        k, m = len(S), S.index(i)
        others = [t for t in range(k) if t != m]
        old = "".join(_OLD[j] for j in range(K))
        outl = "".join(_NEW[j] if (j in S and j != i) else _OLD[j] for j in range(K))
        bra = "".join("Z" if j == i else outl[j] for j in range(K))
        ops = "".join("," + _INP[t] + _NEW[S[t]] + _OLD[S[t]] for t in others)
        spec = _INP[:k] + ops + "," + old + "," + bra + "->" + _INP[m] + "Z" + _OLD[i]
        G += np.einsum(spec, W, *[obs[S[t]] for t in others], psi, psi, optimize=True)
    return G


def _value(game: CorrelatorGame, obs: list[NDArray[np.float64]], psi: NDArray[np.float64]) -> float:
    v = psi.reshape(-1)
    return float(v @ _apply(game, obs, psi[None]).reshape(-1))


def general_seesaw(game: CorrelatorGame, *, restarts: int = 6, rounds: int = 80, seed: int = 0) -> GeneralSeesaw:
    """See-saw of the state and the observables from ``restarts`` random starts (seeded); the best strategy found.

    Parameters
    ----------
    game : CorrelatorGame
        A K-party correlator game, ``2 <= K <= MAX_QUBITS``.
    restarts : int
        Random starts, an integer in ``[1, 1000]``.
    rounds : int
        Most state-and-observables rounds per start, an integer in ``[1, 10000]``.
    seed : int
        Seed of the starts (``>= 0``).

    Returns
    -------
    GeneralSeesaw
        The best start's state, observables and value (an *estimate*).
    """
    if not isinstance(game, CorrelatorGame):
        raise BoundsTypeError(f"`game` must be a games.multiparty.CorrelatorGame; got {type(game).__name__}")
    if game.K > MAX_QUBITS:
        raise BoundsParameterError(f"`game` must have K <= {MAX_QUBITS} players (the Bell operator is 2^K x 2^K); got K = {game.K}")
    restarts = check_int("restarts", restarts, low=1, high=1000)
    rounds = check_int("rounds", rounds, low=1, high=10000)
    seed = check_int("seed", seed, low=0)
    K, N, D = game.K, game.N, 2**game.K
    rng = np.random.default_rng(seed)
    eye = np.eye(D).reshape((D,) + (2,) * K)
    best: tuple[float, NDArray[np.float64], list[NDArray[np.float64]]] | None = None
    for _ in range(restarts):
        obs = [sign_part(np.stack([(lambda h: h + h.T)(rng.normal(size=(2, 2))) for _x in range(N)])) for _i in range(K)]
        last = -math.inf
        psi = np.zeros((2,) * K)
        for _r in range(rounds):
            B = _apply(game, obs, eye).reshape(D, D)
            w, v = np.linalg.eigh((B + B.T) / 2)
            psi = v[:, -1].reshape((2,) * K)
            for i in range(K):
                obs[i] = sign_part(_gradient(game, obs, psi, i))
            if w[-1] - last < _TOL:
                break
            last = float(w[-1])
        val = _value(game, obs, psi)
        if best is None or val > best[0]:
            best = (val, psi.reshape(-1).copy(), [o.copy() for o in obs])
    if best is None or not math.isfinite(best[0]):
        raise SolverError("the general see-saw found no finite value")
    return GeneralSeesaw(K, N, best[0], best[1], tuple(best[2]), restarts, rounds, seed)

