"""Routing of a customer pair: the two routers' outputs ``o_A, o_B`` in ``{+1, -1}``.

Router A sends its customer to server 1 if ``o_A = +1`` and to server 2
otherwise; likewise router B.  So ``o_A o_B = +1`` bunches the pair on one
server and ``-1`` splits it.  Every routing below makes ``o_A`` a fair coin
independent of the service times and of the bunch/split decision (for step
strategies via the shared flip bit, for the singlet because its marginals are
uniform, for the ideal rules via an explicit shared coin).  That gives the
symmetric server loads assumed by the formulas of :mod:`analytic.throughput`
and :mod:`analytic.waiting` (assumption A2).

Each routing maps a block of pairs to ``(o_a, o_b)``: inputs ``a = F(X1)``,
``b = F(X2)``, the service times and ``u``, an ``(n, 2)`` array of fresh
uniform numbers per pair (the shared coin / the measurement randomness).
Each routing also names the analytic rule with the same bunch probability
``beta(X1, X2)``, so the simulator can be compared with the formulas.

>>> import numpy as np
>>> r = RandomRouting(1.0)   # always split
>>> oa, ob = r.route(np.zeros(3), np.zeros(3), np.zeros(3), np.zeros(3), np.full((3, 2), 0.3))
>>> (oa * ob).tolist()
[-1, -1, -1]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray

from analytic.rules import BinnedRule, CostThresholdRule, RandomRule, SumThresholdRule
from games.errors import GameParameterError, GameTypeError, check_real
from games.strategies import AngleStrategy, StepStrategy

__all__ = ["AngleRouting", "IdealRouting", "RandomRouting", "Routing", "StepRouting"]

Arr = NDArray[np.float64]


class Routing(Protocol):
    """What the simulator needs from a routing."""

    def route(self, a: Arr, b: Arr, x1: Arr, x2: Arr, u: Arr) -> tuple[NDArray[np.int8], NDArray[np.int8]]: ...

    def rule(self) -> Any: ...

    def describe(self) -> dict[str, Any]: ...


def _coin(u: Arr) -> NDArray[np.int8]:
    return np.where(u < 0.5, 1, -1).astype(np.int8)


@dataclass(frozen=True)
class IdealRouting:
    """A rule that sees both service times (needs communication): sum threshold or cost threshold.

    >>> from analytic.rules import SumThresholdRule
    >>> r = IdealRouting(SumThresholdRule(1.0))
    >>> oa, ob = r.route(None, None, np.array([0.2, 0.9]), np.array([0.3, 0.9]), np.array([[0.1, 0.0], [0.7, 0.0]]))
    >>> (oa * ob).tolist()
    [1, -1]
    """

    bunch_rule: SumThresholdRule | CostThresholdRule

    def __post_init__(self) -> None:
        if not isinstance(self.bunch_rule, (SumThresholdRule, CostThresholdRule)):
            raise GameTypeError(f"`bunch_rule` must be an analytic SumThresholdRule or CostThresholdRule; got {type(self.bunch_rule).__name__}")

    def route(self, a: Arr, b: Arr, x1: Arr, x2: Arr, u: Arr) -> tuple[NDArray[np.int8], NDArray[np.int8]]:
        s = _coin(u[:, 0])
        d = np.where(self.bunch_rule.bunch(x1, x2), 1, -1).astype(np.int8)
        return s, (s * d).astype(np.int8)

    def rule(self) -> SumThresholdRule | CostThresholdRule:
        return self.bunch_rule

    def describe(self) -> dict[str, Any]:
        return {"routing": "ideal", **self.bunch_rule.describe()}


@dataclass(frozen=True)
class RandomRouting:
    """Split with probability ``p_split`` whatever the service times."""

    p_split: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "p_split", check_real("p_split", self.p_split, low=0, high=1))

    def route(self, a: Arr, b: Arr, x1: Arr, x2: Arr, u: Arr) -> tuple[NDArray[np.int8], NDArray[np.int8]]:
        s = _coin(u[:, 0])
        d = np.where(u[:, 1] < self.p_split, -1, 1).astype(np.int8)
        return s, (s * d).astype(np.int8)

    def rule(self) -> RandomRule:
        return RandomRule(self.p_split)

    def describe(self) -> dict[str, Any]:
        return {"routing": "random", "p_split": self.p_split}


def _bins(v: Arr, n: int) -> NDArray[np.intp]:
    return np.minimum((np.asarray(v) * n).astype(np.intp), n - 1)


@dataclass(frozen=True, eq=False)
class StepRouting:
    """Classical step strategy ``g, h`` plus the shared random bit ``s`` flipping both outputs.

    ``o_A = s g[bin(a)]``, ``o_B = s h[bin(b)]``; the product ``g h`` is unchanged.
    """

    strategy: StepStrategy

    def __post_init__(self) -> None:
        if not isinstance(self.strategy, StepStrategy):
            raise GameTypeError(f"`strategy` must be a games.StepStrategy; got {type(self.strategy).__name__}")
        if self.strategy.g.size != self.strategy.h.size:
            raise GameParameterError(f"`g` and `h` must have the same number of bins; got {self.strategy.g.size} and {self.strategy.h.size}")

    def route(self, a: Arr, b: Arr, x1: Arr, x2: Arr, u: Arr) -> tuple[NDArray[np.int8], NDArray[np.int8]]:
        n = self.strategy.n
        s = _coin(u[:, 0])
        return (s * self.strategy.g[_bins(a, n)]).astype(np.int8), (s * self.strategy.h[_bins(b, n)]).astype(np.int8)

    def rule(self) -> BinnedRule:
        return BinnedRule.from_signs(self.strategy.g, self.strategy.h)

    def describe(self) -> dict[str, Any]:
        return {"routing": "classical_step", "N": self.strategy.n}


@dataclass(frozen=True, eq=False)
class AngleRouting:
    """Quantum strategy: one ``|psi^->`` per pair, XY-plane measurements at the bin angles.

    Born rule for the singlet: ``o_A`` is uniform and
    ``P(o_B = o_A) = (1 + E)/2`` with ``E = -cos(theta_a[i] - theta_b[j])``.
    """

    strategy: AngleStrategy

    def __post_init__(self) -> None:
        if not isinstance(self.strategy, AngleStrategy):
            raise GameTypeError(f"`strategy` must be a games.AngleStrategy; got {type(self.strategy).__name__}")
        if np.asarray(self.strategy.theta_a).size != np.asarray(self.strategy.theta_b).size:
            raise GameParameterError("`theta_a` and `theta_b` must have the same number of bins")

    def route(self, a: Arr, b: Arr, x1: Arr, x2: Arr, u: Arr) -> tuple[NDArray[np.int8], NDArray[np.int8]]:
        ta = np.asarray(self.strategy.theta_a, float)
        tb = np.asarray(self.strategy.theta_b, float)
        n = ta.size
        corr = -np.cos(ta[_bins(a, n)] - tb[_bins(b, n)])
        oa = _coin(u[:, 0])
        same = u[:, 1] < (1.0 + corr) / 2.0
        return oa, np.where(same, oa, -oa).astype(np.int8)

    def rule(self) -> BinnedRule:
        return BinnedRule.from_angles(self.strategy.theta_a, self.strategy.theta_b)

    def describe(self) -> dict[str, Any]:
        return {"routing": "quantum_angles", "N": int(np.asarray(self.strategy.theta_a).size)}
