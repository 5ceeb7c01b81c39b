"""The service-time law object, with the partial moments the waiting-time formulas need.

:class:`ServiceLaw` wraps either the exponential law (closed forms) or any
frozen ``scipy.stats`` continuous law on ``[0, inf)`` (numerical quadrature).
A catalogue law has closed forms too: ``P(X > t)``, ``E[X; X > t]`` and
``E[X^2; X > t]`` (regularised incomplete gamma for Erlang and Weibull, an
exponential mixture for the hyperexponential, ``Phi`` for the lognormal,
powers for the Lomax, polynomials for the uniform law), its quantile from
below and from the tail, and Gauss-Legendre rules in ``u = F(x)``
(:meth:`ServiceLaw.quantile_rule`) where an integral has no closed form.
:class:`analytic.laws.catalogue.LawSpec` is the catalogue of named laws, each
normalised to mean 1 (so that comparisons are at equal load), with its closed
forms in :mod:`analytic.laws.closed_forms`; :meth:`ServiceLaw.named` builds one
from its name, e.g. ``ServiceLaw.named("gamma:4")``.

>>> law = ServiceLaw.exponential(2.0)
>>> law.mean, law.second_moment
(0.5, 0.5)
>>> round(law.partial_mean(0.0, float("inf")), 12)
0.5
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy import integrate

from analytic.errors import AnalyticParameterError
from analytic.laws.catalogue import LawSpec, parse_law
from analytic.laws.closed_forms import ClosedForms, closed_forms

__all__ = ["ServiceLaw"]

# composite 16-point Gauss-Legendre rule on panels of u = F(x)
_GL_X, _GL_W = np.polynomial.legendre.leggauss(16)


def _graded_edges(a: float, b: float, sb: float, breaks: Sequence[float] = ()) -> NDArray[np.float64]:
    """Panel edges on ``[a, b]`` (``sb = 1 - b``): 8 uniform panels, refined geometrically
    (ratio 2) towards each end until the panel is as small as the end's distance to the
    singular ends ``u = 0`` and ``u = 1`` of the quantile function (down to ``2^-50`` of the
    interval), plus the ``breaks`` (kinks of the integrand) as edges."""
    width = b - a
    pts: list[Any] = [np.linspace(a, b, 9)]
    for end, dist, sign in ((a, a, 1.0), (b, sb, -1.0)):
        # ratio-2 panels from the end inwards: the quantile's singularity then lies at least one panel width away
        j = np.arange(1, 51)
        d = width * 0.5**j
        keep = d > 0.5 * dist
        keep[:3] = True
        pts.append(end + sign * d[keep])
    pts.append(np.array([c for c in breaks if a < c < b], dtype=float))
    e = np.unique(np.clip(np.concatenate(pts), a, b))
    return e[np.concatenate([[True], np.diff(e) > 0])]


@dataclass(frozen=True)
class ServiceLaw:
    """A service-time law: exponential with rate ``mu``, or a frozen scipy law.

    ``spec`` names a catalogue law (set by :meth:`named`); such a law, like the
    exponential one, has closed-form partial moments and quantiles
    (:attr:`has_closed_forms`), and every method below is then vectorised and
    free of adaptive quadrature.  A law given only as a frozen scipy
    distribution uses scipy's methods and adaptive quadrature.

    >>> law = ServiceLaw.named("gamma:4")
    >>> law.has_closed_forms, round(float(law.cdf(law.ppf(0.3))), 14)
    (True, 0.3)
    >>> [round(float(m), 12) for m in law.tail_moments(0.0)]   # P(X > 0), E[X], E[X^2] = 1 + 1/k
    [1.0, 1.0, 1.25]
    """

    mu: float | None = None
    dist: Any = None
    spec: LawSpec | None = field(default=None, compare=False)
    _form: ClosedForms | None = field(default=None, init=False, repr=False, compare=False)
    _edges: NDArray[np.float64] | None = field(default=None, init=False, repr=False, compare=False)
    _m12: tuple[float, float] | None = field(default=None, init=False, repr=False, compare=False)

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
        if self.spec is not None and not isinstance(self.spec, LawSpec):
            raise AnalyticParameterError(f"`spec` must be a LawSpec or None; got {type(self.spec).__name__}")
        # the closed forms follow the catalogue name (named() builds `dist` from the same spec)
        object.__setattr__(self, "_form", closed_forms(self.spec) if self.spec is not None and self.dist is not None else None)

    @classmethod
    def exponential(cls, mu: float) -> ServiceLaw:
        """Exponential law of rate ``mu``."""
        return cls(mu=mu)

    @classmethod
    def named(cls, law: str | LawSpec) -> ServiceLaw:
        """A catalogue law (mean 1), e.g. ``ServiceLaw.named("lognormal:1")``; see :class:`LawSpec`.

        >>> law = ServiceLaw.named("gamma:4")
        >>> round(law.mean, 12), round(law.cv, 12)
        (1.0, 0.5)
        """
        spec = parse_law(law) if isinstance(law, str) else law
        if not isinstance(spec, LawSpec):
            raise AnalyticParameterError(f"`law` must be a name NAME[:PARAM] or a LawSpec; got {type(law).__name__}")
        if spec.name == "exponential":
            return cls(mu=1.0, spec=spec)
        return cls(dist=spec.frozen(), spec=spec)

    @property
    def has_closed_forms(self) -> bool:
        """Whether partial moments and quantiles have closed forms (the exponential and the catalogue laws)."""
        return self.mu is not None or self._form is not None

    @property
    def cv(self) -> float:
        """Coefficient of variation ``sqrt(E[X^2] - E[X]^2) / E[X]`` (``inf`` for infinite variance)."""
        if self.spec is not None:
            return self.spec.cv
        m2 = self.second_moment
        return math.sqrt(max(m2 - self.mean**2, 0.0)) / self.mean if math.isfinite(m2) else math.inf

    def require_finite_variance(self, what: str = "the system level") -> None:
        """Raise :class:`AnalyticParameterError` if ``E[X^2] = inf`` (the waiting time ``W_q`` is then infinite).

        >>> ServiceLaw.named("lomax:3").require_finite_variance()   # alpha > 2: finite
        >>> ServiceLaw.named("lomax:3/2").require_finite_variance()
        Traceback (most recent call last):
        ...
        analytic.errors.AnalyticParameterError: law `lomax:1.5` has infinite variance (alpha <= 2), so the waiting time W_q is infinite and the system level is undefined; use alpha > 2
        """
        if self.spec is not None:
            self.spec.require_finite_variance(what)
        elif not math.isfinite(self.second_moment):
            raise AnalyticParameterError(f"the service law has infinite variance, so the waiting time W_q is infinite and {what} is undefined")

    @property
    def is_exponential(self) -> bool:
        return self.mu is not None

    @property
    def mean(self) -> float:
        """``E[X]``."""
        if self.mu is not None:
            return 1.0 / self.mu
        return self._moments()[0]

    @property
    def second_moment(self) -> float:
        """``E[X^2]``."""
        if self.mu is not None:
            return 2.0 / self.mu**2
        return self._moments()[1]

    def _moments(self) -> tuple[float, float]:
        # scipy's values (cached): the operating points' constants stay exactly what they were before the closed forms
        if self._m12 is None:
            object.__setattr__(self, "_m12", (float(self.dist.mean()), float(self.dist.moment(2))))
        return self._m12  # type: ignore[return-value]

    def pdf(self, x: Any) -> Any:
        if self.mu is not None:
            return self.mu * np.exp(-self.mu * np.asarray(x, float))
        return self._form.pdf(x) if self._form is not None else self.dist.pdf(x)

    def cdf(self, x: Any) -> Any:
        if self.mu is not None:
            return -np.expm1(-self.mu * np.asarray(x, float))
        return self._form.lower(x, 0) if self._form is not None else self.dist.cdf(x)

    def sf(self, x: Any) -> Any:
        """Survival function ``P(X > x)``, accurate in the tail."""
        if self.mu is not None:
            return np.exp(-self.mu * np.maximum(np.asarray(x, float), 0.0))
        return self._form.upper(x, 0) if self._form is not None else self.dist.sf(x)

    def ppf(self, u: Any) -> Any:
        """Inverse CDF ``F^{-1}(u)``."""
        if self.mu is not None:
            return -np.log1p(-np.asarray(u, float)) / self.mu
        return self._form.ppf(u) if self._form is not None else self.dist.ppf(u)

    def isf(self, s: Any) -> Any:
        """Inverse survival function ``x`` with ``P(X > x) = s`` (full relative accuracy for small ``s``)."""
        if self.mu is not None:
            with np.errstate(divide="ignore"):
                return -np.log(np.asarray(s, float)) / self.mu
        return self._form.isf(s) if self._form is not None else self.dist.isf(s)

    def tail_moments(self, t: Any) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
        """``(P(X > t), E[X; X > t], E[X^2; X > t])``, vectorised over ``t`` (``t = inf`` allowed).

        Closed forms for the exponential and catalogue laws; adaptive quadrature otherwise.

        >>> s, m1, m2 = ServiceLaw.exponential(1.0).tail_moments([0.0, 1.0])
        >>> [round(float(v), 12) for v in m1], round(float(m2[1]), 12) == round(5 / math.e, 12)
        ([1.0, 0.735758882343], True)
        """
        t = np.asarray(t, dtype=float)
        if self.mu is not None:
            m, tt = self.mu, np.maximum(t, 0.0)
            with np.errstate(invalid="ignore", over="ignore"):
                s = np.exp(-m * tt)
                fin = np.isfinite(tt)
                m1 = np.where(fin, (tt + 1.0 / m) * s, 0.0)
                m2 = np.where(fin, (tt * tt + 2.0 * tt / m + 2.0 / (m * m)) * s, 0.0)
            return s, m1, m2
        if self._form is not None:
            return self._form.upper(t, 0), self._form.upper(t, 1), self._form.upper(t, 2)
        flat = np.ravel(t)
        q1 = [float(integrate.quad(lambda x: x * self.dist.pdf(x), v, np.inf, limit=200)[0]) for v in flat]
        q2 = [float(integrate.quad(lambda x: x * x * self.dist.pdf(x), v, np.inf, limit=200)[0]) for v in flat]
        return np.asarray(self.dist.sf(t), dtype=float), np.reshape(q1, t.shape), np.reshape(q2, t.shape)

    def interval_moments(self, lo: Any, hi: Any) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """``(P(lo <= X <= hi), E[X; lo <= X <= hi])``, vectorised (0 where ``hi <= lo``).

        >>> p, m = ServiceLaw.named("uniform").interval_moments([0.0, 1.0], [1.0, 5.0])
        >>> p.tolist(), m.tolist()
        ([0.5, 0.5], [0.25, 0.75])
        """
        lo, hi = np.broadcast_arrays(np.asarray(lo, float), np.asarray(hi, float))
        if self.mu is not None:
            m = self.mu
            with np.errstate(invalid="ignore", over="ignore"):
                top = np.where(np.isinf(hi), 0.0, np.exp(-m * hi))
                top1 = np.where(np.isinf(hi), 0.0, (hi + 1 / m) * top)
                p = np.exp(-m * lo) - top
                m1 = (lo + 1 / m) * np.exp(-m * lo) - top1
            return np.where(hi > lo, p, 0.0), np.where(hi > lo, m1, 0.0)
        if self._form is not None:
            return self._form.interval(lo, hi, 0), self._form.interval(lo, hi, 1)
        p = np.vectorize(self.prob, otypes=[float])(lo, hi)
        return p, np.vectorize(self.partial_mean, otypes=[float])(lo, hi)

    def quantile_rule(self, lo: float, hi: float, breaks: Sequence[float] = ()) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
        """Nodes ``x``, their survival ``s = P(X > x)`` and weights ``w`` with ``sum w g(x) ~ E[g(X); lo <= X <= hi]``.

        A composite 16-point Gauss-Legendre rule in ``u = F(x)`` on panels refined
        geometrically towards the ends ``u = 0, 1`` of the quantile function (where
        it is singular) and with edges at the kinks ``breaks`` (values of ``x``).
        Accurate to about ``1e-14`` for integrands smooth in ``x`` between breaks.

        >>> x, s, w = ServiceLaw.named("lognormal:1").quantile_rule(0.5, math.inf)
        >>> p, m = ServiceLaw.named("lognormal:1").interval_moments(0.5, math.inf)
        >>> bool(abs(w.sum() - p) < 1e-15), bool(abs(w @ x - m) < 1e-14)
        (True, True)
        """
        if not hi > lo:
            z = np.zeros(0)
            return z, z, z
        a = float(self.cdf(lo)) if lo > 0 else 0.0
        sb = float(self.sf(hi)) if math.isfinite(hi) else 0.0
        b = 1.0 - sb
        br = [float(self.cdf(c)) for c in breaks]
        base = self.panel_edges()
        e = np.union1d(_graded_edges(a, b, sb, br), base[(base > a) & (base < b)])
        return self.panel_rule(e)

    def panel_edges(self) -> NDArray[np.float64]:
        """Panel edges on ``[0, 1]`` of ``u = F(x)`` for :meth:`panel_rule`, refined until every panel
        integrates ``x`` like the closed form (catalogue laws; cached).

        A quantile function can have a sharp knee inside ``(0, 1)`` (the
        hyperexponential law where its slow phase takes over); bisecting the
        panels whose Gauss-Legendre mean misses the exact partial mean finds it.
        """
        if self._edges is not None:
            return self._edges
        e = _graded_edges(0.0, 1.0, 0.0)
        if self._form is not None:  # the exponential quantile -log(1 - u) has no knee
            for _ in range(60):
                x, _s, w = self.panel_rule(e, caps=False)
                k = _GL_X.size
                gl = (x * w).reshape(-1, k).sum(axis=1)
                with np.errstate(divide="ignore"):
                    xe = np.where(e < 0.5, self.ppf(np.minimum(e, 0.5)), self.isf(np.maximum(1.0 - e, 0.0)))
                _p, exact = self.interval_moments(xe[:-1], xe[1:])
                # relative 1e-12: above the rounding of the closed forms; panels narrower than 1e-9 are left alone
                bad = (np.abs(gl - exact) > 1e-12 * np.abs(exact) + 1e-17) & (np.diff(e) > 1e-9)
                bad[0] = bad[-1] = False  # the end panels get conditional-mean nodes
                if not bad.any() or e.size > 4000:
                    break
                e = np.union1d(e, (e[:-1][bad] + e[1:][bad]) / 2)
        object.__setattr__(self, "_edges", e)
        return e

    def panel_rule(self, edges: Any, *, caps: bool = True) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
        """16-point Gauss-Legendre nodes ``x``, survivals ``s`` and weights ``w`` on the panels ``edges`` of ``u = F(x)``.

        Nodes above the median are computed from ``s = 1 - u`` (relative accuracy
        in the tail).  With ``caps`` (laws with closed forms), a panel ending at
        ``u = 0`` or ``u = 1`` becomes one node at the conditional mean, exact for
        ``g = 1`` and ``g = x`` however heavy the tail.

        >>> x, s, w = ServiceLaw.named("lomax:3").panel_rule([0.0, 0.5, 0.75, 1.0])
        >>> x.size, round(float(w @ x), 14)   # 1 + 16 + 1 nodes; E[X] = 1
        (18, 1.0)
        """
        e = np.asarray(edges, dtype=float)
        plo, phi = e[:-1, None], e[1:, None]
        v = ((plo + phi) / 2 + (phi - plo) / 2 * _GL_X[None, :]).ravel()
        s = ((1.0 - phi) + (phi - plo) * (1.0 - _GL_X[None, :]) / 2).ravel()  # 1 - v, from the panel's upper end
        w = ((phi - plo) / 2 * _GL_W[None, :]).ravel()
        tail = s < 0.5
        x = np.empty_like(v)
        with np.errstate(divide="ignore"):
            x[~tail] = np.asarray(self.ppf(v[~tail]), dtype=float)
            x[tail] = np.asarray(self.isf(s[tail]), dtype=float)
        if caps and self.has_closed_forms and e.size > 2:
            # the quantile may be unbounded at u = 0 and u = 1: one node at the conditional mean of the end panel
            k = _GL_X.size
            if e[0] == 0.0:
                p0, m0 = self.interval_moments(0.0, float(self.ppf(e[1])))
                if p0 > 0:
                    x[:k], w[:k] = float(m0) / float(p0), 0.0
                    w[0], s[:k] = float(p0), float(self.sf(x[0]))
            if e[-1] == 1.0:
                p1, m1 = self.interval_moments(float(self.isf(1.0 - e[-2])), math.inf)
                if p1 > 0:
                    x[-k:], w[-k:] = float(m1) / float(p1), 0.0
                    w[-1], s[-k:] = float(p1), float(self.sf(x[-1]))
            keep = w > 0
            x, s, w = x[keep], s[keep], w[keep]
        return x, s, w

    def prob(self, lo: float, hi: float) -> float:
        """``P(lo <= X <= hi)``."""
        if hi <= lo:
            return 0.0
        if self.mu is not None:
            return math.exp(-self.mu * lo) - (0.0 if math.isinf(hi) else math.exp(-self.mu * hi))
        if self._form is not None:
            return float(self._form.interval(np.array(lo), np.array(hi), 0))
        return float(self.dist.cdf(hi) - self.dist.cdf(lo))

    def partial_mean(self, lo: float, hi: float) -> float:
        """``E[X; lo <= X <= hi] = int_lo^hi x dF(x)``."""
        if hi <= lo:
            return 0.0
        if self.mu is not None:
            m = self.mu
            top = 0.0 if math.isinf(hi) else (hi + 1 / m) * math.exp(-m * hi)
            return (lo + 1 / m) * math.exp(-m * lo) - top
        if self._form is not None:
            return float(self._form.interval(np.array(lo), np.array(hi), 1))
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
        if self._form is not None:
            # in u = F(x): 2 int_a^b F^{-1}(u) (b - u) du, with b - u = P(X > x) - P(X > hi)
            x, s, w = self.quantile_rule(lo, hi)
            sb = float(self.sf(hi)) if math.isfinite(hi) else 0.0
            return float(2.0 * (w @ (x * np.maximum(s - sb, 0.0))))
        fh = float(self.dist.cdf(hi))
        val, _ = integrate.quad(lambda s: s * self.dist.pdf(s) * (fh - self.dist.cdf(s)), lo, hi, limit=200)
        return float(2.0 * val)

    def mean_min(self) -> float:
        """``E[min(X1, X2)] = int_0^inf (1 - F(x))^2 dx``."""
        if self.mu is not None:
            return 1.0 / (2.0 * self.mu)
        if self._form is not None:
            return self.diagonal_min(0.0, math.inf)
        val, _ = integrate.quad(lambda s: self.dist.sf(s) ** 2, 0, np.inf, limit=200)
        return float(val)

    def describe(self) -> dict[str, Any]:
        if self.spec is not None:
            return {**self.spec.describe(), "label": self.spec.label}
        if self.mu is not None:
            return {"law": "exponential", "mu": self.mu}
        d = self.dist
        return {"law": getattr(d.dist, "name", type(d).__name__), "args": list(map(float, d.args)), "kwds": {k: float(v) for k, v in d.kwds.items()}}
