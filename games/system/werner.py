"""Routing with noisy entanglement: Born-rule sampling from Werner pairs, and a finite supply of pairs.

:class:`WernerRouting` gives each customer pair one two-qubit Werner state
``rho_v = v |psi^-><psi^-| + (1 - v) I/4``; router A measures the ±1
observable ``s_a[i] I + r_a[i].sigma`` of its input's bin, router B likewise.
The joint outcome is drawn from the Born rule
``P(o_A, o_B) = Tr[rho_v E_A(o_A) (x) E_B(o_B)]`` with ``E(o) = (I + o A)/2``,
computed from the 4 x 4 density matrix for every pair of bins.  A shared
random bit then flips both outputs, which keeps ``o_A o_B`` and makes each
router's output a fair coin (the simulator's symmetric-load assumption; with
fixed outputs the marginals are not uniform by themselves).

:class:`SupplyRouting` uses an entangled routing for a fraction ``f`` of the
pairs (those that find a pair ready; both routers know it) and a classical
routing for the rest.

>>> import numpy as np
>>> r = WernerRouting(np.zeros(1), [[0, 0, 1]], np.zeros(1), [[0, 0, 1]], v=1.0)
>>> oa, ob = r.route(np.zeros(4), np.zeros(4), np.zeros(4), np.zeros(4), np.random.default_rng(0).random((4, 2)))
>>> (oa * ob).tolist()   # the singlet measured along the same axis: always opposite
[-1, -1, -1, -1]
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from analytic.rules import BinnedRule
from games.errors import GameParameterError, GameTypeError, check_real

__all__ = ["SupplyRouting", "WernerRouting", "born_table"]

Arr = NDArray[np.float64]
_PAULI = (np.array([[0, 1], [1, 0]], complex), np.array([[0, -1j], [1j, 0]]), np.array([[1, 0], [0, -1]], complex))


def _bins(x: Arr, n: int) -> NDArray[np.intp]:
    return np.minimum((np.asarray(x) * n).astype(np.intp), n - 1)


def _effects(s: Arr, r: Arr) -> NDArray[np.complex128]:
    """POVM effects ``E[i, k] = (I + o_k A_i)/2`` for ``o = (+1, -1)``; shape (N, 2, 2, 2)."""
    a = s[:, None, None] * np.eye(2) + sum(r[:, k, None, None] * _PAULI[k] for k in range(3))
    return np.stack([(np.eye(2) + a) / 2, (np.eye(2) - a) / 2], axis=1)


def born_table(v: float, s_a: ArrayLike, r_a: ArrayLike, s_b: ArrayLike, r_b: ArrayLike) -> Arr:
    """``P[i, j, k, l] = Tr[rho_v E_A(i, o_k) (x) E_B(j, o_l)]``, ``o = (+1, -1)``, from the density matrix.

    >>> t = born_table(0.5, [0.0], [[0, 0, 1]], [0.0], [[0, 0, 1]])
    >>> t[0, 0].round(6).tolist()   # P(same) = (1 - v)/2
    [[0.125, 0.375], [0.375, 0.125]]
    """
    x = check_real("v", v, low=0, high=1)
    sa, sb = np.asarray(s_a, float), np.asarray(s_b, float)
    ra, rb = np.asarray(r_a, float).reshape(-1, 3), np.asarray(r_b, float).reshape(-1, 3)
    psi = np.array([0, 1, -1, 0], complex) / math.sqrt(2)
    rho = (x * np.outer(psi, psi.conj()) + (1 - x) * np.eye(4) / 4).reshape(2, 2, 2, 2)  # rho[a1, b1, a2, b2]
    ea, eb = _effects(sa, ra), _effects(sb, rb)
    # Tr[rho (EA (x) EB)] = sum rho[a1, b1, a2, b2] EA[a2, a1] EB[b2, b1]
    p = np.einsum("wxyz,ikyw,jlzx->ijkl", rho, ea, eb).real
    return np.clip(p, 0.0, 1.0)


@dataclass(frozen=True, eq=False)
class WernerRouting:
    """Per-bin ±1 observables ``s I + r.sigma`` measured on one Werner pair per customer pair.

    ``s_a, s_b`` have N entries, ``r_a, r_b`` are N x 3 (Bloch parts), with
    ``|s| + |r| <= 1``; ``v`` is the visibility.
    """

    s_a: ArrayLike
    r_a: ArrayLike
    s_b: ArrayLike
    r_b: ArrayLike
    v: float
    table: Arr = field(init=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "v", check_real("v", self.v, low=0, high=1))
        sa, sb = np.asarray(self.s_a, float), np.asarray(self.s_b, float)
        ra, rb = np.asarray(self.r_a, float), np.asarray(self.r_b, float)
        n = sa.size
        if sa.shape != (n,) or sb.shape != (n,) or ra.shape != (n, 3) or rb.shape != (n, 3) or n == 0:
            raise GameParameterError(f"`s_a`, `s_b` must have N entries and `r_a`, `r_b` shape (N, 3); got {sa.shape}, {ra.shape}, {sb.shape}, {rb.shape}")
        for s, r, who in ((sa, ra, "A"), (sb, rb, "B")):
            if not (np.all(np.isfinite(s)) and np.all(np.isfinite(r))) or np.max(np.abs(s) + np.linalg.norm(r, axis=1)) > 1 + 1e-9:
                raise GameParameterError(f"router {who}'s observables must be finite with |s| + |r| <= 1")
        for name, val in (("s_a", sa), ("r_a", ra), ("s_b", sb), ("r_b", rb)):
            object.__setattr__(self, name, val)
        object.__setattr__(self, "table", born_table(self.v, sa, ra, sb, rb))

    @classmethod
    def from_strategy(cls, strategy: Any, v: float) -> WernerRouting:
        """From any object with ``s_a, r_a, s_b, r_b`` (e.g. :class:`bounds.noise.WernerStrategy`)."""
        try:
            return cls(strategy.s_a, strategy.r_a, strategy.s_b, strategy.r_b, v)
        except AttributeError as exc:
            raise GameTypeError(f"`strategy` must have s_a, r_a, s_b, r_b; got {type(strategy).__name__}") from exc

    @property
    def n(self) -> int:
        return int(np.asarray(self.s_a).size)

    def route(self, a: Arr, b: Arr, x1: Arr, x2: Arr, u: Arr) -> tuple[NDArray[np.int8], NDArray[np.int8]]:
        n = self.n
        p = self.table[_bins(a, n), _bins(b, n)].reshape(-1, 4)  # outcomes (+,+), (+,-), (-,+), (-,-)
        cum = np.cumsum(p, axis=1)
        w = u[:, 1] * cum[:, -1]
        k = np.minimum(np.sum(w[:, None] >= cum, axis=1), 3)
        oa = np.where(k < 2, 1, -1)
        ob = np.where(k % 2 == 0, 1, -1)
        flip = np.where(u[:, 0] < 0.5, 1, -1)
        return (flip * oa).astype(np.int8), (flip * ob).astype(np.int8)

    def bunch_probability(self) -> Arr:
        """``beta[i, j] = P(o_A o_B = +1)`` on bin pair ``(i, j)``."""
        return self.table[:, :, 0, 0] + self.table[:, :, 1, 1]

    def rule(self) -> BinnedRule:
        return BinnedRule(self.bunch_probability())

    def describe(self) -> dict[str, Any]:
        return {"routing": "werner", "N": self.n, "v": self.v}


@dataclass(frozen=True, eq=False)
class SupplyRouting:
    """Entangled routing for a fraction ``f`` of the pairs (a Werner pair is ready), ``fallback`` for the rest.

    :meth:`rule` needs both routings to have binned rules on the same N bins (mixed cell by cell).

    >>> import numpy as np
    >>> from games import StepStrategy
    >>> from games.system import StepRouting
    >>> w = WernerRouting(np.zeros(2), [[0, 0, 1]] * 2, np.zeros(2), [[0, 0, 1]] * 2, v=1.0)
    >>> r = SupplyRouting(w, StepRouting(StepStrategy([1, 1], [1, 1])), 0.25)
    >>> r.rule().beta.tolist()   # 1/4 always split (singlet), 3/4 always bunch
    [[0.75, 0.75], [0.75, 0.75]]
    """

    entangled: Any
    fallback: Any
    f: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "f", check_real("f", self.f, low=0, high=1))
        for name in ("entangled", "fallback"):
            if not all(hasattr(getattr(self, name), m) for m in ("route", "describe")):
                raise GameTypeError(f"`{name}` must be a routing (route, describe); got {type(getattr(self, name)).__name__}")

    def route(self, a: Arr, b: Arr, x1: Arr, x2: Arr, u: Arr) -> tuple[NDArray[np.int8], NDArray[np.int8]]:
        ready = u[:, 1] < self.f
        # conditionally on `ready`, the rescaled second number is again uniform on [0, 1)
        w = np.where(ready, u[:, 1] / max(self.f, 1e-300), (u[:, 1] - self.f) / max(1 - self.f, 1e-300))
        uu = np.column_stack([u[:, 0], np.clip(w, 0.0, np.nextafter(1.0, 0.0))])
        ea, eb = self.entangled.route(a, b, x1, x2, uu)
        ca, cb = self.fallback.route(a, b, x1, x2, uu)
        return np.where(ready, ea, ca).astype(np.int8), np.where(ready, eb, cb).astype(np.int8)

    def rule(self) -> BinnedRule:
        be, bc = self.entangled.rule().beta, self.fallback.rule().beta
        if be.shape != bc.shape:
            raise GameParameterError(f"both routings must use the same bins; got {be.shape} and {bc.shape}")
        return BinnedRule(self.f * be + (1 - self.f) * bc)

    def describe(self) -> dict[str, Any]:
        return {"routing": "supply", "f": self.f, "entangled": self.entangled.describe(), "fallback": self.fallback.describe()}
