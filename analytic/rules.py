"""Routing rules as bunch probabilities ``beta(x1, x2)`` and their moments.

The waiting time of any rule (see :mod:`analytic.waiting`) depends on it only
through four numbers, :class:`RuleMoments`:
``E[beta]``, ``E[beta X1 X2]``, ``E[beta (X1 + X2)]`` and ``E[beta min(X1, X2)]``.

Rules
-----
* :class:`SumThresholdRule` -- the paper's ideal rule: bunch iff ``X1 + X2 <= t``.
* :class:`CostThresholdRule` -- bunch iff
  ``kappa X1 X2 + w_min min(X1, X2) + w_max max(X1, X2) <= tau``; the optimal
  rule at fixed ``p_split`` has this form (:mod:`analytic.optimal`).
* :class:`RandomRule` -- bunch with probability ``1 - p_split`` regardless of ``X``.
* :class:`BinnedRule` -- bunch probability constant on the ``N x N`` equal
  cells of input space ``(a, b) = (F(X1), F(X2))``: every classical step
  strategy with a shared flip bit (``beta = (1 + g_i h_j)/2``) and every
  quantum angle strategy on ``|psi^->`` (``beta = (1 - cos(theta_a - theta_b))/2``).

>>> from analytic.laws.service import ServiceLaw
>>> m = SumThresholdRule(1.0).moments(ServiceLaw.exponential(1.0))
>>> round(m.p_bunch, 12) == round(1 - 2 / math.e, 12)
True
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import integrate

from analytic.errors import AnalyticParameterError
from analytic.laws.service import ServiceLaw

__all__ = ["BinnedRule", "CostThresholdRule", "RandomRule", "RuleMoments", "SumThresholdRule"]


@dataclass(frozen=True)
class RuleMoments:
    """``E[beta]``, ``E[beta X1 X2]``, ``E[beta (X1 + X2)]``, ``E[beta min(X1, X2)]``."""

    p_bunch: float
    e_x1x2: float
    e_sum: float
    e_min: float

    @property
    def p_split(self) -> float:
        return 1.0 - self.p_bunch


def _region_moments(h: Callable[[Any], Any], u_max: float, law: ServiceLaw) -> RuleMoments:
    """Moments of a symmetric rule that bunches iff ``max <= h(min)``, for ``min <= u_max``.

    The region is ``{u <= v <= h(u)}`` in the lower half ``u = min, v = max``;
    the factor 2 accounts for the mirror half.  ``h`` must accept arrays and be
    non-increasing.  Laws with closed-form partial moments
    (:attr:`analytic.ServiceLaw.has_closed_forms`) use one vectorised
    composite Gauss-Legendre rule in ``F(u)`` (:meth:`analytic.ServiceLaw.quantile_rule`)
    over the closed-form inner integrals; other laws use nested adaptive quadrature.
    """
    if u_max <= 0:
        return RuleMoments(0.0, 0.0, 0.0, 0.0)
    if not law.has_closed_forms:
        return _region_moments_adaptive(h, u_max, law)
    with np.errstate(divide="ignore"):
        x_top = float(law.ppf(1.0))  # the upper end of the support
    breaks = []
    if math.isfinite(x_top) and float(h(0.0)) > x_top > float(h(u_max)):
        # the inner integral has a kink where h(u) leaves the support: put a panel edge there
        lo, hi = 0.0, u_max
        for _ in range(200):
            mid = 0.5 * (lo + hi)
            if mid in (lo, hi):
                break
            lo, hi = (mid, hi) if float(h(mid)) > x_top else (lo, mid)
        breaks.append(0.5 * (lo + hi))
    u, _s, w = law.quantile_rule(0.0, u_max, breaks)
    p_in, m_in = law.interval_moments(u, np.maximum(np.asarray(h(u), dtype=float), u))
    w2 = 2.0 * w
    return RuleMoments(float(w2 @ p_in), float(w2 @ (u * m_in)), float(w2 @ (u * p_in + m_in)), float(w2 @ (u * p_in)))


def _region_moments_adaptive(h: Callable[[Any], Any], u_max: float, law: ServiceLaw) -> RuleMoments:
    """:func:`_region_moments` by nested adaptive quadrature (any law; slow for scipy laws)."""
    if u_max <= 0:
        return RuleMoments(0.0, 0.0, 0.0, 0.0)

    def parts(u: float) -> tuple[float, float]:
        hi = float(h(u))
        return law.prob(u, hi), law.partial_mean(u, hi)

    def q(fn) -> float:  # noqa: ANN001
        val, _ = integrate.quad(fn, 0.0, u_max, limit=400, epsabs=1e-13, epsrel=1e-11)
        return 2.0 * float(val)

    p = q(lambda u: law.pdf(u) * parts(u)[0])
    e12 = q(lambda u: u * law.pdf(u) * parts(u)[1])
    esum = q(lambda u: law.pdf(u) * (u * parts(u)[0] + parts(u)[1]))
    emin = q(lambda u: u * law.pdf(u) * parts(u)[0])
    return RuleMoments(p, e12, esum, emin)


def _finite(name: str, v: float, low: float = -math.inf, low_open: bool = False) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float, np.floating)) or math.isnan(v) or v < low or (low_open and v == low):
        raise AnalyticParameterError(f"`{name}` must be a real number {'>' if low_open else '>='} {low:g}; got {v!r}")
    return float(v)


@dataclass(frozen=True)
class SumThresholdRule:
    """Bunch iff ``X1 + X2 <= t`` (the paper's ideal threshold rule).

    >>> SumThresholdRule(2.0).bunch(np.array([0.5, 1.5]), np.array([1.0, 1.0])).tolist()
    [True, False]
    """

    t: float

    def __post_init__(self) -> None:
        object.__setattr__(self, "t", _finite("t", self.t, 0.0))

    def bunch(self, x1: NDArray[np.float64], x2: NDArray[np.float64]) -> NDArray[np.bool_]:
        return np.asarray(x1) + np.asarray(x2) <= self.t

    def moments(self, law: ServiceLaw) -> RuleMoments:
        return _region_moments(lambda u: self.t - u, self.t / 2.0, law)

    def describe(self) -> dict:
        return {"rule": "sum_threshold", "t": self.t}


@dataclass(frozen=True)
class CostThresholdRule:
    """Bunch iff ``kappa X1 X2 + w_min min + w_max max <= tau`` (``tau = inf``: always).

    >>> r = CostThresholdRule(kappa=1.0, w_min=0.25, w_max=0.25, tau=1.0)
    >>> r.bunch(np.array([0.5, 1.0]), np.array([0.5, 1.0])).tolist()   # 0.5 <= 1, 1.5 > 1
    [True, False]
    """

    kappa: float
    w_min: float
    w_max: float
    tau: float

    def __post_init__(self) -> None:
        for name in ("kappa", "w_min", "w_max"):
            object.__setattr__(self, name, _finite(name, getattr(self, name), 0.0))
        object.__setattr__(self, "tau", _finite("tau", self.tau, 0.0))
        if self.w_min + self.w_max <= 0 and self.kappa <= 0:
            raise AnalyticParameterError("`kappa`, `w_min`, `w_max` must not all be 0")

    def cost(self, x1: ArrayLike, x2: ArrayLike) -> NDArray[np.float64]:
        x1, x2 = np.asarray(x1, float), np.asarray(x2, float)
        return self.kappa * x1 * x2 + self.w_min * np.minimum(x1, x2) + self.w_max * np.maximum(x1, x2)

    def bunch(self, x1: NDArray[np.float64], x2: NDArray[np.float64]) -> NDArray[np.bool_]:
        if math.isinf(self.tau):
            return np.ones(np.broadcast(x1, x2).shape, dtype=bool)
        return self.cost(x1, x2) <= self.tau

    def _h(self, u: Any) -> Any:
        """The largest ``max`` bunched with ``min = u`` (vectorised)."""
        u = np.asarray(u, dtype=float)
        den = self.kappa * u + self.w_max
        with np.errstate(divide="ignore", invalid="ignore"):
            val = (self.tau - self.w_min * u) / den
        return np.where(den > 0, val, np.where(self.w_min * u <= self.tau, math.inf, -math.inf))

    def _u_max(self) -> float:
        # positive root of kappa u^2 + s u - tau = 0, in the cancellation-free form
        s = self.w_min + self.w_max
        den = s + math.sqrt(s * s + 4 * self.kappa * self.tau)
        return 2 * self.tau / den if den > 0 else 0.0

    def moments(self, law: ServiceLaw) -> RuleMoments:
        if math.isinf(self.tau):
            return RandomRule(0.0).moments(law)
        return _region_moments(self._h, self._u_max(), law)

    def describe(self) -> dict:
        return {"rule": "cost_threshold", "kappa": self.kappa, "w_min": self.w_min, "w_max": self.w_max, "tau": self.tau}


@dataclass(frozen=True)
class RandomRule:
    """Bunch with probability ``1 - p_split``, independently of the service times.

    >>> from analytic.laws.service import ServiceLaw
    >>> RandomRule(0.25).moments(ServiceLaw.exponential(1.0)).e_x1x2
    0.75
    """

    p_split: float

    def __post_init__(self) -> None:
        p = _finite("p_split", self.p_split, 0.0)
        if p > 1:
            raise AnalyticParameterError(f"`p_split` must lie in [0, 1]; got {self.p_split!r}")
        object.__setattr__(self, "p_split", p)

    def moments(self, law: ServiceLaw) -> RuleMoments:
        b = 1.0 - self.p_split
        return RuleMoments(b, b * law.mean**2, 2 * b * law.mean, b * law.mean_min())

    def describe(self) -> dict:
        return {"rule": "random", "p_split": self.p_split}


@dataclass(frozen=True, eq=False)
class BinnedRule:
    """Bunch probability ``beta[i, j]`` on the cell ``bin(a) = i, bin(b) = j``.

    ``a = F(X1)``, ``b = F(X2)``, bins ``[i/N, (i+1)/N)``.

    >>> from analytic.laws.service import ServiceLaw
    >>> g = np.array([1, -1]); h = np.array([1, -1])
    >>> r = BinnedRule.from_signs(g, h)
    >>> r.moments(ServiceLaw.exponential(1.0)).p_bunch
    0.5
    """

    beta: NDArray[np.float64]

    def __post_init__(self) -> None:
        bmat = np.asarray(self.beta, dtype=float)
        if bmat.ndim != 2 or bmat.shape[0] != bmat.shape[1] or bmat.size == 0:
            raise AnalyticParameterError(f"`beta` must be a non-empty square matrix; got shape {bmat.shape}")
        if not np.all(np.isfinite(bmat)) or bmat.min() < -1e-12 or bmat.max() > 1 + 1e-12:
            raise AnalyticParameterError(f"`beta` entries must lie in [0, 1]; got range [{bmat.min()}, {bmat.max()}]")
        bmat = np.clip(bmat, 0.0, 1.0)
        bmat.setflags(write=False)
        object.__setattr__(self, "beta", bmat)

    @classmethod
    def from_signs(cls, g: ArrayLike, h: ArrayLike) -> BinnedRule:
        """Classical step strategy with a shared flip bit: ``beta = (1 + g_i h_j)/2``."""
        g, h = np.asarray(g, float), np.asarray(h, float)
        return cls((1.0 + np.outer(g, h)) / 2.0)

    @classmethod
    def from_angles(cls, theta_a: ArrayLike, theta_b: ArrayLike) -> BinnedRule:
        """Quantum XY-plane strategy on ``|psi^->``: ``beta = (1 - cos(theta_a - theta_b))/2``."""
        ta, tb = np.asarray(theta_a, float), np.asarray(theta_b, float)
        return cls((1.0 - np.cos(ta[:, None] - tb[None, :])) / 2.0)

    def moments(self, law: ServiceLaw) -> RuleMoments:
        n = self.beta.shape[0]
        with np.errstate(divide="ignore"):
            edges = np.asarray(law.ppf(np.arange(n + 1) / n), dtype=float)
        edges[0], edges[-1] = 0.0, math.inf
        p = np.full(n, 1.0 / n)
        m1 = np.array([law.partial_mean(edges[i], edges[i + 1]) for i in range(n)])
        dmin = np.array([law.diagonal_min(edges[i], edges[i + 1]) for i in range(n)])
        bm = self.beta
        e12 = float(m1 @ bm @ m1)
        esum = float(m1 @ bm @ p + p @ bm @ m1)
        upper = np.triu(bm, 1) + np.triu(bm.T, 1)  # pairs of distinct cells, lower one gives the min
        emin = float(m1 @ upper @ p + np.diag(bm) @ dmin)
        return RuleMoments(float(p @ bm @ p), e12, esum, emin)

    def describe(self) -> dict:
        return {"rule": "binned", "N": int(self.beta.shape[0])}
