"""Closed forms of the catalogue laws: partial moments and quantiles, vectorised.

Each form gives, vectorised over ``t``, the partial moments ``E[X^n; X > t]``
(``upper``) and ``E[X^n; X <= t]`` (``lower``) for n = 0, 1, 2, and the
quantile both from below (``ppf(u)``) and from the tail (``isf(s)``,
``s = 1 - u`` kept to full relative accuracy).  Differences over an interval
take the side of the median where both ends are small (no cancellation of two
numbers near the total).  Regularised incomplete gamma for Erlang and Weibull,
an exponential mixture for the hyperexponential, ``Phi`` for the lognormal,
powers for the Lomax, polynomials for the uniform law.
:func:`closed_forms` builds the form of a :class:`~analytic.laws.catalogue.LawSpec`;
:class:`analytic.laws.service.ServiceLaw` uses it.

>>> from analytic.laws.catalogue import parse_law
>>> f = closed_forms(parse_law("gamma:4"))
>>> [round(float(v), 12) for v in (f.upper(0.0, 1), f.upper(0.0, 2))]   # E[X] = 1, E[X^2] = 1 + 1/k
[1.0, 1.25]
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from scipy import special

from analytic.errors import AnalyticParameterError
from analytic.laws.catalogue import LAW_NAMES, LawSpec

__all__ = ["ClosedForms", "closed_forms"]


class ClosedForms:
    """Closed forms of one catalogue law; build with :func:`closed_forms` (one subclass per family).

    ``upper(t, n)`` is ``E[X^n; X > t]``, ``lower(t, n)`` is ``E[X^n; X <= t]``
    (``n`` = 0, 1, 2), ``interval(lo, hi, n)`` is ``E[X^n; lo < X <= hi]``; ``pdf``,
    ``ppf`` (quantile from below) and ``isf`` (from the tail); ``m`` holds
    ``(1, E[X], E[X^2])`` and ``x_max`` the upper end of the support.
    """

    m: tuple[float, float, float]  # E[1], E[X], E[X^2]
    x_max: float = math.inf  # upper end of the support

    def upper(self, t: NDArray[np.float64], n: int) -> NDArray[np.float64]:
        raise NotImplementedError

    def lower(self, t: NDArray[np.float64], n: int) -> NDArray[np.float64]:
        raise NotImplementedError

    def pdf(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        raise NotImplementedError

    def ppf(self, u: NDArray[np.float64]) -> NDArray[np.float64]:
        raise NotImplementedError

    def isf(self, s: NDArray[np.float64]) -> NDArray[np.float64]:
        raise NotImplementedError

    @property
    def median(self) -> float:
        return float(self.ppf(np.array(0.5)))

    def interval(self, lo: NDArray[np.float64], hi: NDArray[np.float64], n: int) -> NDArray[np.float64]:
        """``E[X^n; lo < X <= hi]`` (0 where ``hi <= lo``)."""
        lo, hi = np.broadcast_arrays(np.asarray(lo, float), np.asarray(hi, float))
        with np.errstate(invalid="ignore"):
            up = self.upper(lo, n) - self.upper(hi, n)
            down = self.lower(hi, n) - self.lower(lo, n)
            return np.where(hi > lo, np.where(lo >= self.median, up, down), 0.0)


def _clip0(t: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.maximum(np.asarray(t, dtype=float), 0.0)


class _GammaMixture(ClosedForms):
    """Mixture of gamma laws ``sum_i p_i Gamma(shape k_i, rate r_i)``:
    ``E[X^n; X > t] = sum_i p_i Gamma(k_i + n) / (Gamma(k_i) r_i^n) Q(k_i + n, r_i t)``."""

    def __init__(self, parts: Sequence[tuple[float, float, float]]) -> None:
        self.parts = tuple((float(p), float(k), float(r)) for p, k, r in parts)
        # c[n][i] = p_i E[X_i^n] of phase i
        self.c = [[p * math.exp(math.lgamma(k + n) - math.lgamma(k)) / r**n for p, k, r in self.parts] for n in range(3)]
        self.m = tuple(float(sum(cn)) for cn in self.c)  # type: ignore[assignment]
        self._median = float(self.ppf(np.array(0.5)))

    @property
    def median(self) -> float:
        return self._median

    def upper(self, t: NDArray[np.float64], n: int) -> NDArray[np.float64]:
        t = _clip0(t)
        return sum(c * special.gammaincc(k + n, r * t) for c, (_p, k, r) in zip(self.c[n], self.parts))

    def lower(self, t: NDArray[np.float64], n: int) -> NDArray[np.float64]:
        t = _clip0(t)
        return sum(c * special.gammainc(k + n, r * t) for c, (_p, k, r) in zip(self.c[n], self.parts))

    def pdf(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        x = np.asarray(x, dtype=float)
        xp = _clip0(x)
        with np.errstate(divide="ignore"):
            f = sum(np.exp(math.log(p) + k * math.log(r) + special.xlogy(k - 1.0, xp) - r * xp - math.lgamma(k)) for p, k, r in self.parts)
        return np.where(x < 0, 0.0, f)

    def _solve(self, q: NDArray[np.float64], lower: bool) -> NDArray[np.float64]:
        """``x`` with ``F(x) = q`` (``lower``) or ``P(X > x) = q``, by monotone Newton steps.

        The CDF is concave for a mixture of exponentials, so Newton on ``F(x) - q``
        started at 0 rises monotonically to the root; the survival function is
        convex, so Newton on it started at ``log(p_j / q) / r_j`` (a lower bound:
        ``P(X > x) >= p_j e^{-r_j x}`` for the slowest phase) does too.
        """
        q = np.asarray(q, dtype=float)
        if lower:
            x = np.zeros_like(q)
        else:
            p, _k, r = min(self.parts, key=lambda c: c[2])
            with np.errstate(divide="ignore"):
                x = np.maximum(np.log(p / q) / r, 0.0)
        for _ in range(200):
            g = (self.lower(x, 0) - q) if lower else (q - self.upper(x, 0))
            with np.errstate(divide="ignore", invalid="ignore"):
                step = -g / self.pdf(x)
            x = np.where(np.isfinite(step), x + step, x)
            # quadratic convergence: after a step of relative size 1e-11 the error is ~1e-22 (times a curvature factor)
            if not np.any(np.abs(step) > 1e-11 * np.abs(x)):
                break
        g = (self.lower(x, 0) - q) if lower else (q - self.upper(x, 0))
        with np.errstate(divide="ignore", invalid="ignore"):
            step = -g / self.pdf(x)
        return np.where(np.isfinite(step), x + step, x)  # one more step: the error squares once more

    def ppf(self, u: NDArray[np.float64]) -> NDArray[np.float64]:
        u = np.asarray(u, dtype=float)
        if len(self.parts) == 1:
            _p, k, r = self.parts[0]
            return special.gammaincinv(k, u) / r
        return np.where(u <= 0.5, self._solve(np.minimum(u, 0.5), True), self._solve(np.clip(1.0 - u, 0.0, 0.5), False))

    def isf(self, s: NDArray[np.float64]) -> NDArray[np.float64]:
        s = np.asarray(s, dtype=float)
        if len(self.parts) == 1:
            _p, k, r = self.parts[0]
            return special.gammainccinv(k, s) / r
        return np.where(s < 0.5, self._solve(np.clip(s, 0.0, 0.5), False), self._solve(np.clip(1.0 - s, 0.0, 0.5), True))


class _Weibull(ClosedForms):
    """Weibull of shape ``k``, scale ``lam``: ``E[X^n; X > t] = lam^n Gamma(1 + n/k) Q(1 + n/k, (t/lam)^k)``."""

    def __init__(self, k: float, lam: float) -> None:
        self.k, self.lam = float(k), float(lam)
        self.c = [lam**n * math.gamma(1.0 + n / k) for n in range(3)]
        self.m = tuple(self.c)  # type: ignore[assignment]

    def _z(self, t: NDArray[np.float64]) -> NDArray[np.float64]:
        return (_clip0(t) / self.lam) ** self.k

    def upper(self, t: NDArray[np.float64], n: int) -> NDArray[np.float64]:
        return self.c[n] * special.gammaincc(1.0 + n / self.k, self._z(t))

    def lower(self, t: NDArray[np.float64], n: int) -> NDArray[np.float64]:
        return self.c[n] * special.gammainc(1.0 + n / self.k, self._z(t))

    def pdf(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        x = np.asarray(x, dtype=float)
        y = _clip0(x) / self.lam
        with np.errstate(divide="ignore", invalid="ignore"):
            f = self.k / self.lam * y ** (self.k - 1.0) * np.exp(-(y**self.k))
        return np.where(x < 0, 0.0, f)

    def ppf(self, u: NDArray[np.float64]) -> NDArray[np.float64]:
        with np.errstate(divide="ignore"):
            return self.lam * (-np.log1p(-np.asarray(u, float))) ** (1.0 / self.k)

    def isf(self, s: NDArray[np.float64]) -> NDArray[np.float64]:
        with np.errstate(divide="ignore"):
            return self.lam * (-np.log(np.asarray(s, float))) ** (1.0 / self.k)


class _Lognormal(ClosedForms):
    """``exp(N(m, sigma^2))``: ``E[X^n; X > t] = e^{n m + n^2 sigma^2 / 2} Phi((m + n sigma^2 - ln t) / sigma)``."""

    def __init__(self, sigma: float, m: float) -> None:
        self.s, self.mu = float(sigma), float(m)
        self.c = [math.exp(n * m + n * n * sigma * sigma / 2.0) for n in range(3)]
        self.m = tuple(self.c)  # type: ignore[assignment]

    def _arg(self, t: NDArray[np.float64], n: int) -> NDArray[np.float64]:
        with np.errstate(divide="ignore"):
            return (self.mu + n * self.s * self.s - np.log(_clip0(t))) / self.s

    def upper(self, t: NDArray[np.float64], n: int) -> NDArray[np.float64]:
        return self.c[n] * special.ndtr(self._arg(t, n))

    def lower(self, t: NDArray[np.float64], n: int) -> NDArray[np.float64]:
        return self.c[n] * special.ndtr(-self._arg(t, n))

    def pdf(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        x = np.asarray(x, dtype=float)
        xp = np.where(x > 0, x, 1.0)
        z = (np.log(xp) - self.mu) / self.s
        return np.where(x > 0, np.exp(-0.5 * z * z) / (xp * self.s * math.sqrt(2.0 * math.pi)), 0.0)

    def ppf(self, u: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.exp(self.mu + self.s * special.ndtri(np.asarray(u, float)))

    def isf(self, s: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.exp(self.mu - self.s * special.ndtri(np.asarray(s, float)))


class _Lomax(ClosedForms):
    """Pareto II, ``P(X > t) = y^-a`` with ``y = 1 + t/c``; partial moments by parts,
    ``E[X^n; X > t] = t^n y^-a + n int_t^inf x^(n-1) y(x)^-a dx`` (positive terms only)."""

    def __init__(self, a: float, c: float) -> None:
        self.a, self.c = float(a), float(c)
        m2 = 2.0 * c * c / ((a - 1.0) * (a - 2.0)) if a > 2 else math.inf
        self.m = (1.0, c / (a - 1.0), m2)

    def _L(self, t: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.log1p(_clip0(t) / self.c)

    def upper(self, t: NDArray[np.float64], n: int) -> NDArray[np.float64]:
        a, c = self.a, self.c
        t = _clip0(t)
        L = self._L(t)
        s = np.exp(-a * L)
        if n == 0:
            return s
        inf = np.isinf(t)
        tt = np.where(inf, 0.0, t)
        # int_t^inf y^-a dx = c y^(1-a) / (a - 1); int_t^inf x y^-a dx = c y^(1-a) (c + (a - 1) t) / ((a - 1)(a - 2))
        g1 = c * np.exp((1.0 - a) * L) / (a - 1.0)
        if n == 1:
            return np.where(inf, 0.0, tt * s + g1)
        if a <= 2:
            return np.full(np.shape(t), math.inf)
        g2 = g1 * (c + (a - 1.0) * tt) / (a - 2.0)
        return np.where(inf, 0.0, tt * tt * s + 2.0 * g2)

    def lower(self, t: NDArray[np.float64], n: int) -> NDArray[np.float64]:
        a, c = self.a, self.c
        t = _clip0(t)
        L = self._L(t)
        if n == 0:
            return -np.expm1(-a * L)
        if np.any(np.isinf(t)):
            out = np.asarray(self.lower(np.where(np.isinf(t), 0.0, t), n), dtype=float)
            return np.where(np.isinf(t), self.m[n], out)
        s = np.exp(-a * L)
        # int_0^t y^(q-1) dx / c = (y^q - 1)/q = L exprel(q L)
        G = lambda q: L * special.exprel(q * L)  # noqa: E731
        if n == 1:  # -t S(t) + int_0^t S
            return -t * s + c * G(1.0 - a)
        # -t^2 S(t) + 2 int_0^t x S(x) dx,  int_0^t x S = c^2 (G(2 - a) - G(1 - a))
        return -t * t * s + 2.0 * c * c * (G(2.0 - a) - G(1.0 - a))

    def pdf(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        x = np.asarray(x, dtype=float)
        return np.where(x < 0, 0.0, self.a / self.c * np.exp(-(self.a + 1.0) * self._L(x)))

    def ppf(self, u: NDArray[np.float64]) -> NDArray[np.float64]:
        with np.errstate(divide="ignore"):
            return self.c * np.expm1(-np.log1p(-np.asarray(u, float)) / self.a)

    def isf(self, s: NDArray[np.float64]) -> NDArray[np.float64]:
        with np.errstate(divide="ignore"):
            return self.c * np.expm1(-np.log(np.asarray(s, float)) / self.a)


class _Uniform(ClosedForms):
    """Uniform on ``(0, w)``: polynomials."""

    def __init__(self, w: float) -> None:
        self.w = float(w)
        self.x_max = self.w
        self.m = (1.0, w / 2.0, w * w / 3.0)

    def _tau(self, t: NDArray[np.float64]) -> NDArray[np.float64]:
        return np.clip(np.asarray(t, dtype=float), 0.0, self.w)

    def upper(self, t: NDArray[np.float64], n: int) -> NDArray[np.float64]:
        tau = self._tau(t)
        return (self.w ** (n + 1) - tau ** (n + 1)) / ((n + 1) * self.w)

    def lower(self, t: NDArray[np.float64], n: int) -> NDArray[np.float64]:
        return self._tau(t) ** (n + 1) / ((n + 1) * self.w)

    def pdf(self, x: NDArray[np.float64]) -> NDArray[np.float64]:
        x = np.asarray(x, dtype=float)
        return np.where((x >= 0) & (x <= self.w), 1.0 / self.w, 0.0)

    def ppf(self, u: NDArray[np.float64]) -> NDArray[np.float64]:
        return self.w * np.asarray(u, dtype=float)

    def isf(self, s: NDArray[np.float64]) -> NDArray[np.float64]:
        return self.w * (1.0 - np.asarray(s, dtype=float))


def closed_forms(spec: LawSpec) -> ClosedForms | None:
    """The closed forms of a catalogue law (``None`` for the exponential law, whose rate path is exact already)."""
    if spec.name == "exponential":
        return None
    if spec.name == "uniform":
        return _Uniform(2.0)
    p = float(spec.required_param())
    if spec.name == "gamma":
        return _GammaMixture([(1.0, p, p)])
    if spec.name == "hyperexponential":
        from analytic.hyperexponential import phase_weights

        p1, p2, r1, r2 = phase_weights(p)
        return _GammaMixture([(p1, 1.0, r1), (p2, 1.0, r2)])
    if spec.name == "lognormal":
        return _Lognormal(p, -p * p / 2.0)
    if spec.name == "weibull":
        return _Weibull(p, 1.0 / special.gamma(1.0 + 1.0 / p))
    if spec.name == "lomax":
        return _Lomax(p, p - 1.0)
    raise AnalyticParameterError(f"no closed forms for `law` {spec.name!r}; expected one of {', '.join(LAW_NAMES)}")

