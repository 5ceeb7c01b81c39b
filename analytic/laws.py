"""Service-time laws with the partial moments the waiting-time formulas need.

:class:`ServiceLaw` wraps either the exponential law (closed forms) or any
frozen ``scipy.stats`` continuous law on ``[0, inf)`` (numerical quadrature).

>>> law = ServiceLaw.exponential(2.0)
>>> law.mean, law.second_moment
(0.5, 0.5)
>>> round(law.partial_mean(0.0, float("inf")), 12)
0.5
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import integrate

from analytic.errors import AnalyticParameterError

__all__ = ["ServiceLaw"]


@dataclass(frozen=True)
class ServiceLaw:
    """A service-time law: exponential with rate ``mu``, or a frozen scipy law."""

    mu: float | None = None
    dist: Any = None

    def __post_init__(self) -> None:
        if (self.mu is None) == (self.dist is None):
            raise AnalyticParameterError("give exactly one of `mu` (exponential rate) or `dist` (frozen scipy.stats law)")
        if self.mu is not None:
            if isinstance(self.mu, bool) or not isinstance(self.mu, (int, float)) or not math.isfinite(self.mu) or self.mu <= 0:
                raise AnalyticParameterError(f"`mu` must be a positive finite rate; got {self.mu!r}")
            object.__setattr__(self, "mu", float(self.mu))
        elif not (hasattr(self.dist, "cdf") and hasattr(self.dist, "ppf") and hasattr(self.dist, "pdf")):
            raise AnalyticParameterError(f"`dist` must be a frozen scipy.stats continuous law; got {type(self.dist).__name__}")
        elif self.dist.support()[0] < 0:
            raise AnalyticParameterError(f"`dist` must be supported on [0, inf); its support starts at {self.dist.support()[0]}")

    @classmethod
    def exponential(cls, mu: float) -> ServiceLaw:
        """Exponential law of rate ``mu``."""
        return cls(mu=mu)

    @property
    def is_exponential(self) -> bool:
        return self.mu is not None

    @property
    def mean(self) -> float:
        """``E[X]``."""
        return 1.0 / self.mu if self.mu is not None else float(self.dist.mean())

    @property
    def second_moment(self) -> float:
        """``E[X^2]``."""
        return 2.0 / self.mu**2 if self.mu is not None else float(self.dist.moment(2))

    def pdf(self, x: Any) -> Any:
        return self.mu * np.exp(-self.mu * np.asarray(x, float)) if self.mu is not None else self.dist.pdf(x)

    def cdf(self, x: Any) -> Any:
        return -np.expm1(-self.mu * np.asarray(x, float)) if self.mu is not None else self.dist.cdf(x)

    def ppf(self, u: Any) -> Any:
        """Inverse CDF ``F^{-1}(u)``."""
        return -np.log1p(-np.asarray(u, float)) / self.mu if self.mu is not None else self.dist.ppf(u)

    def prob(self, lo: float, hi: float) -> float:
        """``P(lo <= X <= hi)``."""
        if hi <= lo:
            return 0.0
        if self.mu is not None:
            return math.exp(-self.mu * lo) - (0.0 if math.isinf(hi) else math.exp(-self.mu * hi))
        return float(self.dist.cdf(hi) - self.dist.cdf(lo))

    def partial_mean(self, lo: float, hi: float) -> float:
        """``E[X; lo <= X <= hi] = int_lo^hi x dF(x)``."""
        if hi <= lo:
            return 0.0
        if self.mu is not None:
            m = self.mu
            top = 0.0 if math.isinf(hi) else (hi + 1 / m) * math.exp(-m * hi)
            return (lo + 1 / m) * math.exp(-m * lo) - top
        val, _ = integrate.quad(lambda s: s * self.dist.pdf(s), lo, hi, limit=200)
        return float(val)

    def diagonal_min(self, lo: float, hi: float) -> float:
        """``E[min(X1, X2); X1, X2 in [lo, hi]] = 2 int_lo^hi x f(x) (F(hi) - F(x)) dx``."""
        if hi <= lo:
            return 0.0
        if self.mu is not None:
            m = self.mu
            e2 = lambda z: 0.0 if math.isinf(z) else (z + 1 / (2 * m)) * math.exp(-2 * m * z)  # noqa: E731
            int_x_f_surv = 0.5 * (e2(lo) - e2(hi))  # int x f(x) e^{-m x} dx
            tail_hi = 0.0 if math.isinf(hi) else math.exp(-m * hi)
            return 2.0 * (int_x_f_surv - tail_hi * self.partial_mean(lo, hi))
        fh = float(self.dist.cdf(hi))
        val, _ = integrate.quad(lambda s: s * self.dist.pdf(s) * (fh - self.dist.cdf(s)), lo, hi, limit=200)
        return float(2.0 * val)

    def mean_min(self) -> float:
        """``E[min(X1, X2)] = int_0^inf (1 - F(x))^2 dx``."""
        if self.mu is not None:
            return 1.0 / (2.0 * self.mu)
        val, _ = integrate.quad(lambda s: self.dist.sf(s) ** 2, 0, np.inf, limit=200)
        return float(val)

    def describe(self) -> dict[str, Any]:
        if self.mu is not None:
            return {"law": "exponential", "mu": self.mu}
        d = self.dist
        return {"law": getattr(d.dist, "name", type(d).__name__), "args": list(map(float, d.args)), "kwds": {k: float(v) for k, v in d.kwds.items()}}
