"""The routers of the system problem and their shared-coin mixtures.

* :class:`ThresholdRouter`: a classical router, ``sign * sgn(x - t)``;
* :class:`PlanarRouter`: a quantum router measuring its qubit in the XY plane
  at the direction of ``p0 + x p1`` (lemma S2: the rank-2 kernel's best
  responses are of these two families);
* :class:`RouterPair`: routers A and B of one class (a quantum pair on a Werner
  state of some visibility), with its ``E[beta]`` and ``E[beta c]``;
* :class:`MixedStrategy`: a shared-coin mixture of pairs;
* :func:`bunch_and_cost`: ``(E[beta], E[beta c])`` from the routers' moment matrices.

Every value here is a float estimate (moments by :mod:`bounds.system_quadrature`).

>>> from bounds.system_point import operating_point
>>> ALWAYS_SPLIT.bunch_and_cost(operating_point(0.6, 1.65))
(0.0, 0.0)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from analytic.laws.service import ServiceLaw
from bounds.errors import BoundsTypeError
from bounds.system_point import OperatingPoint
from bounds.system_quadrature import quadrature_nodes, survival_and_tail_mean

__all__ = ["ALWAYS_BUNCH", "ALWAYS_SPLIT", "MixedStrategy", "PlanarRouter", "RouterPair", "ThresholdRouter", "bunch_and_cost"]


@dataclass(frozen=True)
class ThresholdRouter:
    """Classical router: output ``sign * sgn(x - t)`` (``t = 0``: constant ``sign``; ``t = inf``: ``-sign``)."""

    t: float
    sign: int = 1

    def output(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.where(np.asarray(x) > self.t, self.sign, -self.sign).astype(float)

    def moments(self, law: ServiceLaw) -> NDArray[np.float64]:
        """``(E[A], E[A X])`` as a ``(2, 1)`` array."""
        s, tm = survival_and_tail_mean(law, np.array(self.t))
        return self.sign * np.array([[2.0 * float(s) - 1.0], [2.0 * float(tm) - law.mean]])

    def u(self, law: ServiceLaw) -> float:
        """The threshold as an input ``u = F(t)``."""
        return 1.0 if math.isinf(self.t) else float(law.cdf(self.t))

    def describe(self) -> dict[str, Any]:
        return {"router": "threshold", "t": self.t if math.isfinite(self.t) else "inf", "sign": self.sign}


@dataclass(frozen=True)
class PlanarRouter:
    """Quantum router: measure the direction of ``p0 + x p1`` in a plane (a qubit, XY measurement).

    ``vector(x)`` is the unit vector; on the singlet ``|psi^->`` router A
    measures at angle ``theta(x) = atan2(vector)`` and router B at
    ``theta(y) + pi``, giving ``E[o_A o_B] = <u(x), v(y)>``.
    """

    p0: tuple[float, float]
    p1: tuple[float, float]

    def __post_init__(self) -> None:
        object.__setattr__(self, "p0", tuple(float(v) for v in self.p0))
        object.__setattr__(self, "p1", tuple(float(v) for v in self.p1))

    def vector(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        x = np.asarray(x, dtype=float).reshape(-1)
        v0 = self.p0[0] + x * self.p1[0]
        v1 = self.p0[1] + x * self.p1[1]
        n = np.hypot(v0, v1)
        n = np.where(n > 0, n, 1.0)
        return np.stack([v0 / n, v1 / n], axis=1)

    def angle(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        v = self.vector(x)
        return np.arctan2(v[:, 1], v[:, 0])

    def turn(self) -> tuple[float | None, float | None]:
        """``(x*, width)``: where the direction turns fastest and on what scale."""
        p0, p1 = np.asarray(self.p0), np.asarray(self.p1)
        a2 = float(p1 @ p1)
        if a2 == 0:
            return None, None
        cross = abs(float(p0[0] * p1[1] - p0[1] * p1[0]))
        return -float(p0 @ p1) / a2, cross / a2

    def moments(self, law: ServiceLaw) -> NDArray[np.float64]:
        """``(E[u(X)], E[X u(X)])`` as a ``(2, 2)`` array (rows)."""
        c, w = self.turn()
        x, wt = quadrature_nodes(law, c, w)
        u = self.vector(x)
        return np.array([wt @ u, wt @ (x[:, None] * u)])

    def describe(self) -> dict[str, Any]:
        return {"router": "planar", "p0": list(self.p0), "p1": list(self.p1)}


@dataclass(frozen=True)
class RouterPair:
    """Routers A and B of one class; ``visibility`` scales a quantum pair's correlation."""

    a: ThresholdRouter | PlanarRouter
    b: ThresholdRouter | PlanarRouter
    visibility: float = 1.0

    @property
    def model(self) -> str:
        return "classical" if isinstance(self.a, ThresholdRouter) else "quantum"

    def correlation(self, x: NDArray[np.float64], y: NDArray[np.float64]) -> NDArray[np.float64]:
        """``E[o_A o_B | x, y]`` elementwise."""
        a, b = self.a, self.b
        if isinstance(a, ThresholdRouter) and isinstance(b, ThresholdRouter):
            return a.output(x) * b.output(y)
        if isinstance(a, PlanarRouter) and isinstance(b, PlanarRouter):
            return self.visibility * np.sum(a.vector(x) * b.vector(y), axis=1)
        raise BoundsTypeError(f"a RouterPair's correlation needs two ThresholdRouters or two PlanarRouters; got {type(a).__name__} and {type(b).__name__}")

    def bunch_and_cost(self, pt: OperatingPoint) -> tuple[float, float]:
        """``(E[beta], E[beta c])`` (estimates)."""
        U, V = self.a.moments(pt.law), self.b.moments(pt.law)
        return bunch_and_cost(pt, U, V, self.visibility)

    def describe(self) -> dict[str, Any]:
        d: dict[str, Any] = {"model": self.model, "a": self.a.describe(), "b": self.b.describe()}
        if self.model == "quantum":
            d["visibility"] = self.visibility
        return d


def bunch_and_cost(pt: OperatingPoint, U: NDArray[np.float64], V: NDArray[np.float64], vis: float = 1.0) -> tuple[float, float]:
    """``(E[beta], E[beta c])`` of a pair with moment matrices ``U`` (router A) and ``V`` (router B).

    Rows ``U[0] = E[u(X)]``, ``U[1] = E[X u(X)]`` (likewise ``V``); the pair's
    correlation is ``vis <u(x), v(y)>``, so ``E[beta] = 1/2 + vis <U0, V0>/2`` and
    ``E[beta c] = E[c]/2 + vis (kappa <U1, V1> + (<U1, V0> + <U0, V1>)/4)/2``
    (``c = kappa x y + (x + y)/4``, :mod:`analytic.waiting`).

    >>> from bounds.system_point import operating_point
    >>> pt = operating_point(0.6, 1.65)
    >>> U = ThresholdRouter(0.0, 1).moments(pt.law)   # always +1: (1, E[X])
    >>> pb, cost = bunch_and_cost(pt, U, U)
    >>> pb, round(cost - pt.mean_cost, 12)   # always bunch: E[beta] = 1, E[beta c] = E[c]
    (1.0, 0.0)
    """
    e00, e11 = vis * float(U[0] @ V[0]), vis * float(U[1] @ V[1])
    e10, e01 = vis * float(U[1] @ V[0]), vis * float(U[0] @ V[1])
    return 0.5 + e00 / 2.0, pt.mean_cost / 2.0 + (pt.kappa * e11 + (e10 + e01) / 4.0) / 2.0


@dataclass(frozen=True)
class MixedStrategy:
    """A shared-coin mixture of router pairs: ``components = ((weight, RouterPair), ...)``."""

    components: tuple[tuple[float, RouterPair], ...]

    def bunch_and_cost(self, pt: OperatingPoint) -> tuple[float, float]:
        pb = cost = 0.0
        for w, pair in self.components:
            b, c = pair.bunch_and_cost(pt)
            pb += w * b
            cost += w * c
        return pb, cost

    def p_split(self, pt: OperatingPoint) -> float:
        return 1.0 - self.bunch_and_cost(pt)[0]

    def waiting_time(self, pt: OperatingPoint) -> float:
        return pt.W_split + self.bunch_and_cost(pt)[1]

    def describe(self) -> dict[str, Any]:
        return {"components": [{"weight": w, **p.describe()} for w, p in self.components]}


ALWAYS_BUNCH = RouterPair(ThresholdRouter(0.0, 1), ThresholdRouter(0.0, 1))
ALWAYS_SPLIT = RouterPair(ThresholdRouter(0.0, 1), ThresholdRouter(0.0, -1))
