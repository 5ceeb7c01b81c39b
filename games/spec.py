"""Continuous-input XOR games with a monotone boundary.

A game of this family gives the players independent inputs ``a, b ~ U(0, 1)``;
they output ``o_A, o_B`` in ``{+1, -1}`` and win when ``o_A * o_B`` equals the
rule ``r(a, b) = +1`` ("bunch") if ``b <= phi(a)`` and ``-1`` ("split")
otherwise.  The boundary ``phi`` is non-increasing, which covers every
sum-threshold rule ``F^{-1}(a) + F^{-1}(b) <= t`` of the paper (Eq. 3-4) and
the linear-boundary game of Aharon et al.

Everything a discretisation needs is exact in closed form: the area of the
bunch region inside any axis-parallel rectangle follows from ``phi``, its
generalised inverse and its antiderivative (see :meth:`XorGame.bunch_area`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import numpy as np
from numpy.typing import ArrayLike, NDArray

from games.errors import GameParameterError, GameTypeError, check_real

__all__ = [
    "Boundary",
    "HyperbolicBoundary",
    "LinearBoundary",
    "SumThresholdBoundary",
    "XorGame",
]


@runtime_checkable
class Boundary(Protocol):
    """A non-increasing boundary ``phi: [0, 1] -> [0, 1]`` of the bunch region.

    Implementations provide, all vectorised over numpy arrays:

    ``phi(a)``
        the boundary clipped to ``[0, 1]``;
    ``alpha(y)``
        ``sup {a in [0, 1] : phi(a) >= y}`` for ``y in (0, 1]`` and, for
        ``y = 0``, the point where ``phi`` reaches 0;
    ``primitive(a)``
        ``integral_0^a phi(s) ds`` (of the clipped boundary).
    """

    def phi(self, a: NDArray[np.float64]) -> NDArray[np.float64]: ...

    def alpha(self, y: NDArray[np.float64]) -> NDArray[np.float64]: ...

    def primitive(self, a: NDArray[np.float64]) -> NDArray[np.float64]: ...

    def describe(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class HyperbolicBoundary:
    """The paper's boundary ``(1 - a)(1 - b) = C`` (exponential service law).

    ``phi(a) = 1 - C / (1 - a)`` on ``[0, 1 - C]`` and 0 beyond.

    >>> bd = HyperbolicBoundary(0.5)
    >>> float(bd.phi(np.array(0.0))), float(bd.alpha(np.array(0.0)))
    (0.5, 0.5)
    """

    C: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "C", check_real("C", self.C, low=0, high=1, low_open=True, high_open=True))

    def phi(self, a: NDArray[np.float64]) -> NDArray[np.float64]:
        a = np.asarray(a, dtype=float)
        with np.errstate(divide="ignore"):
            v = 1.0 - self.C / np.maximum(1.0 - a, 0.0)
        return np.clip(np.where(a < 1.0, v, 0.0), 0.0, 1.0)

    def alpha(self, y: NDArray[np.float64]) -> NDArray[np.float64]:
        # the boundary is symmetric in (a, b), so its generalised inverse is phi itself
        return self.phi(y)

    def primitive(self, a: NDArray[np.float64]) -> NDArray[np.float64]:
        m = np.minimum(np.asarray(a, dtype=float), 1.0 - self.C)
        m = np.maximum(m, 0.0)
        return m + self.C * np.log1p(-m)

    def describe(self) -> dict[str, Any]:
        return {"kind": "hyperbolic", "C": self.C}


@dataclass(frozen=True)
class LinearBoundary:
    """The linear boundary ``a + b = s`` (Aharon et al. use ``s = 1``).

    >>> LinearBoundary().describe()
    {'kind': 'linear', 's': 1.0}
    """

    s: float = 1.0

    def __post_init__(self) -> None:
        object.__setattr__(self, "s", check_real("s", self.s, low=0, high=2, low_open=True, high_open=True))

    def phi(self, a: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.clip(self.s - np.asarray(a, dtype=float), 0.0, 1.0)

    def alpha(self, y: NDArray[np.float64]) -> NDArray[np.float64]:
        return self.phi(y)  # symmetric boundary

    def primitive(self, a: NDArray[np.float64]) -> NDArray[np.float64]:
        a = np.clip(np.asarray(a, dtype=float), 0.0, 1.0)
        # phi = 1 on [0, s-1], s - a on [s-1, s], 0 beyond (pieces clipped to [0, 1])
        lo = max(self.s - 1.0, 0.0)
        hi = min(self.s, 1.0)
        flat = np.minimum(a, lo)
        mid = np.clip(a, lo, hi)
        lin = (self.s * mid - mid**2 / 2) - (self.s * lo - lo**2 / 2)
        return flat + lin

    def describe(self) -> dict[str, Any]:
        return {"kind": "linear", "s": self.s}


@dataclass(frozen=True, eq=False)
class SumThresholdBoundary:
    """Boundary of the rule ``X1 + X2 <= t`` for i.i.d. ``X_i`` of any continuous law.

    With ``a = F(X1)``, ``b = F(X2)`` the bunch region is
    ``b <= phi(a) = F(t - F^{-1}(a))``.  The antiderivative is computed by
    adaptive quadrature (``scipy.integrate.quad``, tolerance 1e-13), so this
    boundary is accurate to quadrature error, not closed form; the
    exponential law has the closed-form :class:`HyperbolicBoundary`.

    >>> from scipy import stats
    >>> bd = SumThresholdBoundary(stats.uniform(), 1.0)
    >>> round(float(bd.primitive(np.array(1.0))), 12)   # P(U1 + U2 <= 1) = 1/2
    0.5
    """

    law: Any
    t: float

    def __post_init__(self) -> None:
        if not (hasattr(self.law, "cdf") and hasattr(self.law, "ppf")):
            raise GameTypeError(
                f"`law` must be a frozen scipy.stats continuous distribution; got {type(self.law).__name__}"
            )
        object.__setattr__(self, "t", check_real("t", self.t, low=0, low_open=True))
        if float(self.law.cdf(0.0)) > 0.0:
            raise GameParameterError(
                f"`law` must put no mass below 0 (service times); got P(X <= 0) = {float(self.law.cdf(0.0))}"
            )

    def phi(self, a: NDArray[np.float64]) -> NDArray[np.float64]:
        a = np.asarray(a, dtype=float)
        x = self.law.ppf(np.clip(a, 0.0, 1.0))
        return np.clip(np.where(x < self.t, self.law.cdf(self.t - np.minimum(x, self.t)), 0.0), 0.0, 1.0)

    def alpha(self, y: NDArray[np.float64]) -> NDArray[np.float64]:
        # The rule is symmetric in (X1, X2), so the generalised inverse equals phi.
        return self.phi(y)

    def primitive(self, a: NDArray[np.float64]) -> NDArray[np.float64]:
        from scipy import integrate

        a = np.asarray(a, dtype=float)
        stop = float(self.law.cdf(self.t))  # phi vanishes beyond a = F(t)
        # integrate once between consecutive distinct points, then accumulate
        pts, inverse = np.unique(np.clip(a.ravel(), 0.0, stop), return_inverse=True)
        f = lambda s: float(self.phi(np.array(s)))  # noqa: E731
        pieces = np.empty(pts.size)
        prev = 0.0
        for k, x in enumerate(pts):
            pieces[k] = integrate.quad(f, prev, x, epsabs=1e-14, epsrel=1e-12, limit=200)[0] if x > prev else 0.0
            prev = x
        return np.cumsum(pieces)[inverse].reshape(a.shape)

    def describe(self) -> dict[str, Any]:
        name = getattr(getattr(self.law, "dist", None), "name", type(self.law).__name__)
        return {"kind": "sum-threshold", "law": name, "args": list(getattr(self.law, "args", ())), "kwds": dict(getattr(self.law, "kwds", {})), "t": self.t}


@dataclass(frozen=True, eq=False)
class XorGame:
    """A two-player XOR game with uniform inputs and a monotone bunch boundary.

    Parameters
    ----------
    boundary
        The bunch region is ``{(a, b): b <= boundary.phi(a)}``.
    name
        A human-readable name used in reports.

    Examples
    --------
    >>> g = XorGame(HyperbolicBoundary(0.33), name="paper")
    >>> g.rule(np.array([0.1, 0.9]), np.array([0.1, 0.9])).tolist()
    [1, -1]
    >>> round(g.bunch_probability(), 6)   # (1 - C) + C ln C
    0.304141
    """

    boundary: Boundary
    name: str = "xor-game"
    _meta: dict[str, Any] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not isinstance(self.boundary, Boundary):
            raise GameTypeError(f"`boundary` must implement games.spec.Boundary; got {type(self.boundary).__name__}")

    # -- the rule ---------------------------------------------------------
    def rule(self, a: ArrayLike, b: ArrayLike) -> NDArray[np.int8]:
        """The ideal product ``o_A o_B``: +1 (bunch) if ``b <= phi(a)``, else -1."""
        a = np.asarray(a, dtype=float)
        b = np.asarray(b, dtype=float)
        return np.where(b <= self.boundary.phi(a), 1, -1).astype(np.int8)

    def bunch_probability(self) -> float:
        """``P(r = +1)``, the area under the boundary (exact for closed-form boundaries)."""
        return float(self.boundary.primitive(np.array(1.0)))

    def bunch_area(self, a_edges: ArrayLike, b_edges: ArrayLike) -> NDArray[np.float64]:
        """Area of the bunch region inside each rectangle of a grid.

        Entry ``[i, j]`` is the area of ``{b <= phi(a)}`` within
        ``[a_edges[i], a_edges[i+1]] x [b_edges[j], b_edges[j+1]]``.  Exact up
        to floating-point rounding: with ``A_i(y) = integral over column i of
        min(phi, y)``, the cell area is ``A_i(b_{j+1}) - A_i(b_j)``, and
        ``A_i(y) = y * |[a_i, min(a_{i+1}, alpha(y))]| + Phi(a_{i+1}) -
        Phi(clip(alpha(y), a_i, a_{i+1}))``.

        >>> g = XorGame(LinearBoundary())
        >>> g.bunch_area([0, 1], [0, 1]).tolist()
        [[0.5]]
        """
        ae = _edges("a_edges", a_edges)
        be = _edges("b_edges", b_edges)
        bd = self.boundary
        al = bd.alpha(be)  # (nb+1,)
        prim_a = bd.primitive(ae)  # (na+1,)
        lo = ae[:-1, None]
        hi = ae[1:, None]
        cut = np.clip(al[None, :], lo, hi)
        prim_cut = bd.primitive(cut)
        A = be[None, :] * (cut - lo) + (prim_a[1:, None] - prim_cut)
        area = np.diff(A, axis=1)
        # rounding can push an empty or full cell a few ulps outside [0, cell area]
        full = np.diff(ae)[:, None] * np.diff(be)[None, :]
        return np.clip(area, 0.0, full)

    def crossed(self, a_edges: ArrayLike, b_edges: ArrayLike) -> NDArray[np.bool_]:
        """Mask of grid cells whose interior the boundary passes through.

        Floating point: a cell whose corner touches the boundary to within
        ``1e-12`` counts as not crossed.  Checkers that need the exact mask
        rebuild it in rational arithmetic (:mod:`proofs.exact`).
        """
        ae = _edges("a_edges", a_edges)
        be = _edges("b_edges", b_edges)
        ph = self.boundary.phi(ae)
        eps = 1e-12
        return (ph[:-1, None] > be[None, :-1] + eps) & (ph[1:, None] < be[None, 1:] - eps)

    def describe(self) -> dict[str, Any]:
        """JSON-ready description from which the game can be rebuilt."""
        return {"name": self.name, "boundary": self.boundary.describe(), **self._meta}


def _edges(name: str, edges: ArrayLike) -> NDArray[np.float64]:
    e = np.asarray(edges, dtype=float)
    if e.ndim != 1 or e.size < 2:
        raise GameParameterError(f"`{name}` must be a 1-D array of at least 2 edges; got shape {e.shape}")
    if not np.all(np.isfinite(e)) or e[0] < 0 or e[-1] > 1 or np.any(np.diff(e) < 0):
        raise GameParameterError(f"`{name}` must be non-decreasing values in [0, 1]; got {e[:4]}...")
    return e
