"""Service-time laws with the partial moments the waiting-time formulas need.

:class:`ServiceLaw` wraps either the exponential law (closed forms) or any
frozen ``scipy.stats`` continuous law on ``[0, inf)`` (numerical quadrature).
:class:`LawSpec` is the catalogue of named laws, each normalised to mean 1
(so that comparisons are at equal load); :meth:`ServiceLaw.named` builds one
from its name, e.g. ``ServiceLaw.named("gamma:4")``.

>>> law = ServiceLaw.exponential(2.0)
>>> law.mean, law.second_moment
(0.5, 0.5)
>>> round(law.partial_mean(0.0, float("inf")), 12)
0.5
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np
from scipy import integrate

from analytic.errors import AnalyticParameterError

__all__ = ["LAW_CATALOGUE", "LawSpec", "ServiceLaw", "parse_law"]

# name -> (aliases, parameter name, whether a parameter is required)
_LAWS: dict[str, tuple[tuple[str, ...], str | None]] = {
    "exponential": (("exp", "expon", "markov"), None),
    "gamma": (("erlang",), "k"),
    "hyperexponential": (("hyperexp", "h2"), "cv"),
    "lognormal": (("lognorm",), "sigma"),
    "weibull": ((), "k"),
    "lomax": (("pareto2", "pareto-ii"), "alpha"),
    "uniform": ((), None),
}


@dataclass(frozen=True)
class LawSpec:
    """A named service law of the catalogue, normalised to mean 1.

    ==================  =========  ============================================
    name                parameter  law
    ==================  =========  ============================================
    exponential         --         rate 1
    gamma               k          Erlang: shape ``k`` (integer 1..64), rate ``k``
    hyperexponential    cv         two phases, balanced means, CV ``cv`` in (1, 100]
    lognormal           sigma      ``exp(N(-sigma^2/2, sigma^2))``, sigma in (0, 3]
    weibull             k          shape ``k`` in [1/10, 20], scale ``1/Gamma(1 + 1/k)``
    lomax               alpha      Pareto II, shape ``alpha`` in (1, 100], scale ``alpha - 1``
    uniform             --         uniform on (0, 2)
    ==================  =========  ============================================

    The parameter is an exact rational (``"0.5"`` means 1/2), so certificates
    can name the law exactly.

    >>> s = parse_law("gamma:4")
    >>> s.label, round(s.cv, 12)
    ('gamma:4', 0.5)
    >>> parse_law("lomax:2").finite_variance
    False
    """

    name: str
    param: Fraction | None = None

    def __post_init__(self) -> None:
        if self.name not in _LAWS:
            raise AnalyticParameterError(f"`law` must be one of {', '.join(sorted(_LAWS))}; got {self.name!r}")
        pname = _LAWS[self.name][1]
        if pname is None:
            if self.param is not None:
                raise AnalyticParameterError(f"the {self.name} law takes no parameter; got {self.param}")
            return
        if self.param is None:
            raise AnalyticParameterError(f"the {self.name} law needs its parameter `{pname}` (write {self.name}:VALUE)")
        p = self.param
        if isinstance(p, bool) or not isinstance(p, (int, Fraction)):
            raise AnalyticParameterError(f"`{pname}` must be an exact rational; got {p!r}")
        p = Fraction(p)
        object.__setattr__(self, "param", p)
        ok, want = {
            "gamma": (p.denominator == 1 and 1 <= p <= 64, "an integer in [1, 64]"),
            "hyperexponential": (1 < p <= 100, "in (1, 100]"),
            "lognormal": (0 < p <= 3, "in (0, 3]"),
            "weibull": (Fraction(1, 10) <= p <= 20, "in [1/10, 20]"),
            "lomax": (1 < p <= 100, "in (1, 100] (a finite mean)"),
        }[self.name]
        if not ok:
            raise AnalyticParameterError(f"`{pname}` of the {self.name} law must be {want}; got {_num(p)}")

    @property
    def label(self) -> str:
        """``name`` or ``name:param`` (the CLI spelling)."""
        return self.name if self.param is None else f"{self.name}:{_num(self.param)}"

    def describe(self) -> dict[str, str]:
        """Exact JSON description, ``{"law": name, "param": "p/q"}``."""
        out = {"law": self.name}
        if self.param is not None:
            out["param"] = f"{self.param.numerator}/{self.param.denominator}"
        return out

    def frozen(self) -> Any:
        """The law as a frozen ``scipy.stats`` distribution with mean 1."""
        from scipy import special, stats

        if self.name == "exponential":
            return stats.expon()
        if self.name == "uniform":
            return stats.uniform(0.0, 2.0)
        p = float(self._required_param())
        if self.name == "gamma":
            return stats.gamma(p, scale=1.0 / p)
        if self.name == "hyperexponential":
            from analytic.hyperexponential import hyperexponential

            return hyperexponential(p)
        if self.name == "lognormal":
            return stats.lognorm(p, scale=math.exp(-p * p / 2.0))
        if self.name == "weibull":
            return stats.weibull_min(p, scale=1.0 / special.gamma(1.0 + 1.0 / p))
        if self.name == "lomax":
            return stats.lomax(p, scale=p - 1.0)
        raise AnalyticParameterError(f"no scipy law for `law` {self.name!r}; expected one of {', '.join(sorted(_LAWS))}")

    def _required_param(self) -> Fraction:
        # __post_init__ guarantees a parameter for the parametric laws; this check narrows the Optional for the closed forms
        if self.param is None:
            raise AnalyticParameterError(f"the {self.name} law needs its parameter `{_LAWS[self.name][1]}` (write {self.name}:VALUE)")
        return self.param

    @property
    def finite_variance(self) -> bool:
        """Whether ``E[X^2] < inf`` (only the lomax law with ``alpha <= 2`` fails)."""
        return not (self.name == "lomax" and self._required_param() <= 2)

    @property
    def cv(self) -> float:
        """Coefficient of variation ``sd / mean`` (``inf`` for infinite variance), from closed forms."""
        if self.name == "exponential":
            return 1.0
        if self.name == "uniform":
            return 1.0 / math.sqrt(3.0)
        p = float(self._required_param())
        if self.name == "gamma":
            return 1.0 / math.sqrt(p)
        if self.name == "hyperexponential":
            return p
        if self.name == "lognormal":
            return math.sqrt(math.expm1(p * p))
        if self.name == "weibull":
            return math.sqrt(math.exp(math.lgamma(1 + 2 / p) - 2 * math.lgamma(1 + 1 / p)) - 1.0)
        if self.name == "lomax":
            return math.sqrt(p / (p - 2.0)) if p > 2 else math.inf
        raise AnalyticParameterError(f"no closed-form CV for `law` {self.name!r}; expected one of {', '.join(sorted(_LAWS))}")

    def require_finite_variance(self, what: str = "the system level") -> None:
        """Raise :class:`AnalyticParameterError` if ``E[X^2] = inf`` (then ``W_q = inf``).

        >>> parse_law("lomax:2").require_finite_variance()
        Traceback (most recent call last):
        ...
        analytic.errors.AnalyticParameterError: law `lomax:2` has infinite variance (alpha <= 2), so the waiting time W_q is infinite and the system level is undefined; use alpha > 2
        """
        if not self.finite_variance:
            raise AnalyticParameterError(
                f"law `{self.label}` has infinite variance (alpha <= 2), so the waiting time W_q is infinite and {what} is undefined; use alpha > 2"
            )


def parse_law(text: str) -> LawSpec:
    """Read ``NAME`` or ``NAME:PARAM`` (aliases: erlang, hyperexp, pareto2, ...).

    >>> parse_law("erlang:2"), parse_law("weibull:0.5").param
    (LawSpec(name='gamma', param=Fraction(2, 1)), Fraction(1, 2))
    >>> parse_law("cauchy")
    Traceback (most recent call last):
    ...
    analytic.errors.AnalyticParameterError: `law` must be one of exponential, gamma, hyperexponential, lognormal, lomax, uniform, weibull; got 'cauchy'
    """
    if not isinstance(text, str):
        raise AnalyticParameterError(f"`law` must be a string NAME[:PARAM]; got {type(text).__name__}")
    name, _, raw = text.strip().partition(":")
    key = name.strip().lower()
    for canon, (aliases, _p) in _LAWS.items():
        if key == canon or key in aliases:
            key = canon
            break
    else:
        raise AnalyticParameterError(f"`law` must be one of {', '.join(sorted(_LAWS))}; got {name!r}")
    if not raw.strip():
        return LawSpec(key, None)
    try:
        p = Fraction(raw.strip())
    except (ValueError, ZeroDivisionError) as exc:
        raise AnalyticParameterError(f"the parameter of `{key}` must be a number (e.g. {key}:2 or {key}:0.5); got {raw!r}") from exc
    return LawSpec(key, p)


def _num(p: Fraction) -> str:
    return str(p.numerator) if p.denominator == 1 else (f"{float(p):g}" if Fraction(float(p)) == p or Fraction(f"{float(p):g}") == p else str(p))


#: the laws compared by ``qcoord laws`` (all mean 1), in order of the table
LAW_CATALOGUE: tuple[LawSpec, ...] = tuple(
    parse_law(s)
    for s in (
        "exponential", "gamma:2", "gamma:4", "gamma:16", "hyperexponential:2", "hyperexponential:4",
        "lognormal:0.5", "lognormal:1", "lognormal:1.5", "weibull:0.5", "weibull:2", "lomax:3", "uniform",
    )
)


@dataclass(frozen=True)
class ServiceLaw:
    """A service-time law: exponential with rate ``mu``, or a frozen scipy law."""

    mu: float | None = None
    dist: Any = None
    spec: LawSpec | None = field(default=None, compare=False)

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
        if self.spec is not None:
            return {**self.spec.describe(), "label": self.spec.label}
        if self.mu is not None:
            return {"law": "exponential", "mu": self.mu}
        d = self.dist
        return {"law": getattr(d.dist, "name", type(d).__name__), "args": list(map(float, d.args)), "kwds": {k: float(v) for k, v in d.kwds.items()}}
