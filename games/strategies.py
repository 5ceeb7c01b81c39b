"""Playable strategies and their exact evaluation.

* :class:`StepStrategy`: deterministic classical strategies ``g, h`` in
  ``{+1, -1}^N``, constant on each of ``N`` equal bins.
* :class:`ThresholdStrategy`: classical step functions with real switch points,
  evaluated exactly on the continuous game.
* :class:`AngleStrategy`: the paper's quantum strategies, local measurements in
  the XY plane of the Bloch sphere on ``|psi^->``, one angle per bin; the
  correlator is ``-cos(theta_A - theta_B)``.
* :class:`VectorStrategy`: general quantum strategies given as unit vectors per
  bin (Tsirelson); the correlator is ``<u_i, v_j>``.

The winning probability of a bin-constant strategy with correlators ``c`` is
``1/2 + 1/2 * sum_ij M[i, j] c[i, j]``; since ``M`` holds the exact cell
integrals, this is the strategy's exact value in the continuous game too.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from games.discretise import Discretisation
from games.errors import GameTypeError, StrategyError
from games.spec import XorGame

__all__ = ["AngleStrategy", "StepStrategy", "ThresholdStrategy", "VectorStrategy"]


def _signs(name: str, x: ArrayLike) -> NDArray[np.int8]:
    arr = np.asarray(x)
    if arr.ndim != 1 or arr.size == 0:
        raise StrategyError(f"`{name}` must be a non-empty 1-D array of +1/-1; got shape {arr.shape}")
    if not np.all((arr == 1) | (arr == -1)):
        bad = arr[(arr != 1) & (arr != -1)][0]
        raise StrategyError(f"`{name}` must contain only +1 and -1; got {bad!r}")
    out = arr.astype(np.int8)
    out.setflags(write=False)
    return out


def _fits(disc: Discretisation, n_a: int, n_b: int) -> None:
    if not isinstance(disc, Discretisation):
        raise GameTypeError(f"`disc` must be a games.Discretisation; got {type(disc).__name__}")
    if n_a != disc.n or n_b != disc.n:
        raise StrategyError(f"strategy has {n_a} x {n_b} bins but the discretisation has N = {disc.n}")


@dataclass(frozen=True, eq=False)
class StepStrategy:
    """Deterministic classical strategy: ``o_A = g[bin(a)]``, ``o_B = h[bin(b)]``.

    >>> from games import discretise, linear_boundary_game
    >>> d = discretise(linear_boundary_game(), 2)
    >>> StepStrategy([1, -1], [1, 1]).win_probability(d)
    0.75
    """

    g: NDArray[np.int8]
    h: NDArray[np.int8]

    def __post_init__(self) -> None:
        object.__setattr__(self, "g", _signs("g", self.g))
        object.__setattr__(self, "h", _signs("h", self.h))

    @property
    def n(self) -> int:
        return int(self.g.size)

    def correlation(self, disc: Discretisation) -> float:
        """``E[o_A o_B r] = g^T M h``."""
        _fits(disc, self.g.size, self.h.size)
        return float(self.g.astype(float) @ disc.matrix @ self.h.astype(float))

    def win_probability(self, disc: Discretisation) -> float:
        """Winning probability ``(1 + g^T M h) / 2`` (floating point)."""
        return 0.5 + 0.5 * self.correlation(disc)

    def to_threshold(self) -> ThresholdStrategy:
        """The same strategy written with switch points on the bin edges."""
        def switches(v: NDArray[np.int8]) -> tuple[float, ...]:
            idx = np.nonzero(np.diff(v.astype(int)))[0] + 1
            return tuple((idx / v.size).tolist())

        return ThresholdStrategy(switches(self.g), switches(self.h), int(self.g[0]), int(self.h[0]))


@dataclass(frozen=True, eq=False)
class ThresholdStrategy:
    """Classical step functions with real switch points.

    ``o_A(a) = a_start * (-1)^(number of a_switches <= a)`` and likewise for B.

    >>> from games import linear_boundary_game
    >>> s = ThresholdStrategy([0.5], [], a_start=1, b_start=1)
    >>> s.win_probability(linear_boundary_game())
    0.75
    """

    a_switches: tuple[float, ...]
    b_switches: tuple[float, ...]
    a_start: int = 1
    b_start: int = 1

    def __post_init__(self) -> None:
        for name in ("a_switches", "b_switches"):
            v = np.asarray(getattr(self, name), dtype=float).ravel()
            if not np.all(np.isfinite(v)) or np.any(v < 0) or np.any(v > 1) or np.any(np.diff(v) < 0):
                raise StrategyError(f"`{name}` must be non-decreasing points in [0, 1]; got {v.tolist()}")
            object.__setattr__(self, name, tuple(float(x) for x in v))
        for name in ("a_start", "b_start"):
            if getattr(self, name) not in (1, -1):
                raise StrategyError(f"`{name}` must be +1 or -1; got {getattr(self, name)!r}")

    def _pieces(self, switches: tuple[float, ...], start: int) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        edges = np.array([0.0, *switches, 1.0])
        signs = start * (-1.0) ** np.arange(edges.size - 1, dtype=np.float64)
        return edges, signs

    def win_probability(self, game: XorGame) -> float:
        """Exact winning probability in the continuous game (closed-form areas)."""
        if not isinstance(game, XorGame):
            raise GameTypeError(f"`game` must be a games.XorGame; got {type(game).__name__}")
        ea, sa = self._pieces(self.a_switches, self.a_start)
        eb, sb = self._pieces(self.b_switches, self.b_start)
        bunch = game.bunch_area(ea, eb)
        m = 2.0 * bunch - np.diff(ea)[:, None] * np.diff(eb)[None, :]
        return float(0.5 + 0.5 * sa @ m @ sb)


@dataclass(frozen=True, eq=False)
class AngleStrategy:
    """Quantum strategy on ``|psi^-> = (|01> - |10>)/sqrt 2`` with XY-plane measurements.

    Player A measures ``cos(theta) X + sin(theta) Y`` with
    ``theta = theta_a[bin(a)]``; likewise B.  Outcome correlator:
    ``-cos(theta_a[i] - theta_b[j])``.

    >>> from games import discretise, linear_boundary_game
    >>> d = discretise(linear_boundary_game(), 2)
    >>> s = AngleStrategy([np.pi, np.pi], [0.0, 0.0])   # always agree
    >>> s.win_probability(d)
    0.5
    """

    theta_a: NDArray[np.float64]
    theta_b: NDArray[np.float64]

    def __post_init__(self) -> None:
        for name in ("theta_a", "theta_b"):
            v = np.asarray(getattr(self, name), dtype=float)
            if v.ndim != 1 or v.size == 0 or not np.all(np.isfinite(v)):
                raise StrategyError(f"`{name}` must be a non-empty 1-D array of finite angles; got shape {v.shape}")
            v = v.copy()
            v.setflags(write=False)
            object.__setattr__(self, name, v)

    def correlators(self) -> NDArray[np.float64]:
        """``c[i, j] = -cos(theta_a[i] - theta_b[j])``."""
        return -np.cos(self.theta_a[:, None] - self.theta_b[None, :])

    def win_probability(self, disc: Discretisation) -> float:
        """Winning probability ``1/2 + 1/2 sum M * c`` (floating point)."""
        _fits(disc, self.theta_a.size, self.theta_b.size)
        return float(0.5 + 0.5 * np.sum(disc.matrix * self.correlators()))

    def to_vectors(self) -> VectorStrategy:
        """Tsirelson vectors with ``<u_i, v_j> = -cos(theta_a[i] - theta_b[j])``."""
        u = np.stack([np.cos(self.theta_a), np.sin(self.theta_a)], axis=1)
        v = -np.stack([np.cos(self.theta_b), np.sin(self.theta_b)], axis=1)
        return VectorStrategy(u, v)


@dataclass(frozen=True, eq=False)
class VectorStrategy:
    """General quantum XOR strategy: unit vectors ``u_i`` (A) and ``v_j`` (B).

    By Tsirelson's theorem any such vectors are realised by measurements on a
    maximally entangled state of local dimension ``2^floor(d/2)`` (``d``
    anticommuting observables; ``k`` qubits carry ``2k + 1`` of them), with
    correlators ``<u_i, v_j>``.

    >>> from games import discretise, linear_boundary_game
    >>> d = discretise(linear_boundary_game(), 2)
    >>> VectorStrategy([[1, 0], [0, 1]], [[1, 0], [0, -1]]).win_probability(d)
    0.75
    """

    u: NDArray[np.float64]
    v: NDArray[np.float64]

    def __post_init__(self) -> None:
        for name in ("u", "v"):
            x = np.asarray(getattr(self, name), dtype=float)
            if x.ndim != 2 or x.shape[0] == 0 or not np.all(np.isfinite(x)):
                raise StrategyError(f"`{name}` must be a 2-D array (bins x dimension) of finite numbers; got shape {x.shape}")
            norms = np.linalg.norm(x, axis=1)
            if np.any(np.abs(norms - 1.0) > 1e-9):
                raise StrategyError(f"rows of `{name}` must be unit vectors; got norms in [{norms.min():g}, {norms.max():g}]")
            x = x / norms[:, None]
            x.setflags(write=False)
            object.__setattr__(self, name, x)
        if self.u.shape[1] != self.v.shape[1]:
            raise StrategyError(f"`u` and `v` must have the same dimension; got {self.u.shape[1]} and {self.v.shape[1]}")

    def correlators(self) -> NDArray[np.float64]:
        return self.u @ self.v.T

    def win_probability(self, disc: Discretisation) -> float:
        _fits(disc, self.u.shape[0], self.v.shape[0])
        return float(0.5 + 0.5 * np.sum(disc.matrix * self.correlators()))
