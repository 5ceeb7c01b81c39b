"""The catalogue of named service laws, each normalised to mean 1 (so that comparisons are at equal load).

:class:`LawSpec` is one named law with its exact rational parameter,
:func:`parse_law` reads the CLI spelling ``NAME[:PARAM]`` (with aliases),
``LAW_CATALOGUE`` is the table of ``qcoord laws`` and ``LAW_NAMES`` the
canonical names.  The closed forms are in :mod:`analytic.laws.closed_forms`,
the numeric law object in :mod:`analytic.laws.service`.

>>> parse_law("erlang:2").label, LAW_NAMES[:2]
('gamma:2', ('exponential', 'gamma'))
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from scipy import special

from analytic.errors import AnalyticParameterError

__all__ = ["LAW_CATALOGUE", "LAW_NAMES", "LawSpec", "parse_law"]

#: the spelling of a law parameter: a decimal (exponent of at most 3 digits) or p/q, at most 30 characters
_PARAM = re.compile(r"(?=.{1,30}$)[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]{1,3})?(?:/[0-9]+)?")

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

#: the canonical names of the catalogue laws, sorted
LAW_NAMES: tuple[str, ...] = tuple(sorted(_LAWS))


@dataclass(frozen=True)
class LawSpec:
    """A named service law of the catalogue, normalised to mean 1.

    ==================  =========  ============================================
    name                parameter  law
    ==================  =========  ============================================
    exponential         --         rate 1
    gamma               k          Erlang: shape ``k`` (integer 1..64), rate ``k``
    hyperexponential    cv         two phases, balanced means, CV ``cv`` in [101/100, 100]
    lognormal           sigma      ``exp(N(-sigma^2/2, sigma^2))``, sigma in [1/10, 3]
    weibull             k          shape ``k`` in [1/10, 20], scale ``1/Gamma(1 + 1/k)``
    lomax               alpha      Pareto II, shape ``alpha`` in [101/100, 100], scale ``alpha - 1``
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
            raise AnalyticParameterError(f"`law` must be one of {', '.join(LAW_NAMES)}; got {self.name!r}")
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
            "hyperexponential": (Fraction(101, 100) <= p <= 100, "in [1.01, 100]"),
            "lognormal": (Fraction(1, 10) <= p <= 3, "in [0.1, 3]"),
            "weibull": (Fraction(1, 10) <= p <= 20, "in [0.1, 20]"),
            "lomax": (Fraction(101, 100) <= p <= 100, "in [1.01, 100] (a finite mean)"),
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
        from scipy import stats

        if self.name == "exponential":
            return stats.expon()
        if self.name == "uniform":
            return stats.uniform(0.0, 2.0)
        p = float(self.required_param())
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
        raise AnalyticParameterError(f"no scipy law for `law` {self.name!r}; expected one of {', '.join(LAW_NAMES)}")

    def required_param(self) -> Fraction:
        """The parameter of a parametric law (raises for a law without one: ``exponential``, ``uniform``).

        ``__post_init__`` guarantees a parameter for the parametric laws; this
        check narrows the ``Optional`` for the closed forms.

        >>> parse_law("weibull:1/2").required_param()
        Fraction(1, 2)
        """
        if self.param is None:
            raise AnalyticParameterError(f"the {self.name} law needs its parameter `{_LAWS[self.name][1]}` (write {self.name}:VALUE)")
        return self.param

    @property
    def finite_variance(self) -> bool:
        """Whether ``E[X^2] < inf`` (only the lomax law with ``alpha <= 2`` fails)."""
        return not (self.name == "lomax" and self.required_param() <= 2)

    @property
    def cv(self) -> float:
        """Coefficient of variation ``sd / mean`` (``inf`` for infinite variance), from closed forms."""
        if self.name == "exponential":
            return 1.0
        if self.name == "uniform":
            return 1.0 / math.sqrt(3.0)
        p = float(self.required_param())
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
        raise AnalyticParameterError(f"no closed-form CV for `law` {self.name!r}; expected one of {', '.join(LAW_NAMES)}")

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
        raise AnalyticParameterError(f"`law` must be one of {', '.join(LAW_NAMES)}; got {name!r}")
    if not raw.strip():
        return LawSpec(key, None)
    if _PARAM.fullmatch(raw.strip()) is None:  # checked before Fraction(): "1e999999999" would build a 10^999999999
        raise AnalyticParameterError(f"the parameter of `{key}` must be a number of at most 30 characters with an exponent of at "
                                     f"most 3 digits (e.g. {key}:2, {key}:0.5 or {key}:3/2); got {raw.strip()[:40]!r}")
    try:
        p = Fraction(raw.strip())
    except (ValueError, ZeroDivisionError) as exc:
        raise AnalyticParameterError(f"the parameter of `{key}` must be a number (e.g. {key}:2 or {key}:0.5); got {raw!r}") from exc
    return LawSpec(key, p)


def _num(p: Fraction) -> str:
    if len(str(p)) > 30:  # a parameter of many digits: six significant digits (Decimal keeps exponents beyond the float range)
        import decimal

        with decimal.localcontext(prec=6):
            return str(decimal.Decimal(p.numerator) / decimal.Decimal(p.denominator))
    return str(p.numerator) if p.denominator == 1 else (f"{float(p):g}" if Fraction(float(p)) == p or Fraction(f"{float(p):g}") == p else str(p))


#: the laws compared by ``qcoord laws`` (all mean 1), in order of the table
LAW_CATALOGUE: tuple[LawSpec, ...] = tuple(
    parse_law(s)
    for s in (
        "exponential", "gamma:2", "gamma:4", "gamma:16", "hyperexponential:2", "hyperexponential:4",
        "lognormal:0.5", "lognormal:1", "lognormal:1.5", "weibull:0.5", "weibull:2", "lomax:3", "uniform",
    )
)
