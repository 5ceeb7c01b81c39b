"""Outward-rounded enclosures of the catalogue's service laws (CDF, density, quantile).

Every law of the catalogue is normalised to mean 1 and named by a JSON
description ``{"law": NAME, "param": "p/q"}`` (``param`` absent for the
parameter-free laws).  :func:`exact_law` turns that description into an
:class:`ExactLaw` whose methods return python-flint ``arb`` balls that are
guaranteed to contain the true value:

==================  ==========  ===========================================================
name                param       law (mean 1)
==================  ==========  ===========================================================
exponential         --          ``F = 1 - e^{-x}``
gamma               k (integer) Erlang, rate ``k``: ``F = 1 - e^{-kx} sum_{n<k} (kx)^n/n!``
hyperexponential    CV c > 1    balanced means: ``p = (1 + sqrt((c^2-1)/(c^2+1)))/2``,
                                ``F = 1 - p e^{-2px} - (1-p) e^{-2(1-p)x}``
lognormal           sigma > 0   ``F = erfc(-(ln x + sigma^2/2)/(sigma sqrt 2))/2``
weibull             k > 0       ``F = 1 - exp(-(x/l)^k)``, ``l = 1/Gamma(1 + 1/k)``
lomax               alpha > 1   ``F = 1 - (1 + x/(alpha-1))^{-alpha}``
uniform             --          uniform on ``(0, 2)``: ``F = x/2``
==================  ==========  ===========================================================

The formulas are evaluated in arb (ball arithmetic, 128-bit working
precision), so each result is an enclosure; the quantile ``F^{-1}(u)`` is
closed form where one exists and otherwise enclosed by a bracket ``[x_lo,
x_hi]`` with ``F(x_lo) < u < F(x_hi)`` *proved* by the CDF enclosure (the
CDF is increasing).  This module imports only the standard library and
python-flint.

>>> law = exact_law({"law": "exponential"})
>>> ball = law.cdf(__import__("flint").arb(1))   # 1 - 1/e
>>> abs(float(ball.mid()) - 0.6321205588285577) < 1e-16, float(ball.rad()) < 1e-30
(True, True)
>>> exact_law({"law": "gamma", "param": "5/2"})
Traceback (most recent call last):
...
proofs.exact.errors.QcoordParameterError: `param` of the gamma law must be a positive integer shape k for the exact enclosure; got 5/2
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from proofs.exact.errors import CertificateFormatError, QcoordParameterError

__all__ = ["EXACT_LAWS", "ExactLaw", "exact_law", "working_precision"]

#: law names with an exact enclosure, and whether each takes a parameter
EXACT_LAWS: dict[str, bool] = {
    "exponential": False,
    "gamma": True,
    "hyperexponential": True,
    "lognormal": True,
    "lomax": True,
    "uniform": False,
    "weibull": True,
}

PREC = 128


@contextmanager
def working_precision(bits: int = PREC) -> Iterator[None]:
    """Run a block at ``bits`` bits of arb precision, restoring the old precision after."""
    from flint import ctx

    old = ctx.prec
    ctx.prec = bits
    try:
        yield
    finally:
        ctx.prec = old


def _q(x: Fraction) -> Any:
    # an exact rational as an arb ball (python-flint has no type stubs, hence Any)
    from flint import arb

    return arb(x.numerator) / arb(x.denominator)


def _fraction(x: Any, name: str) -> Fraction:
    if isinstance(x, bool) or not isinstance(x, (int, str, Fraction)):
        raise CertificateFormatError(f"`{name}` must be an exact rational (\"p/q\" string or integer); got {x!r}")
    try:
        return Fraction(x)
    except (ValueError, ZeroDivisionError) as exc:
        raise CertificateFormatError(f"`{name}` must be a rational \"p/q\"; got {x!r}") from exc


@dataclass(frozen=True, eq=False)
class ExactLaw:
    """One law of the catalogue with arb enclosures of ``F``, ``f`` and ``F^{-1}``.

    Attributes
    ----------
    name
        Catalogue name (see the module table).
    param
        The exact parameter, or ``None``.
    """

    name: str
    param: Fraction | None

    # ------------------------------------------------------------ constants
    def _consts(self) -> dict[str, Any]:
        from flint import arb

        if not EXACT_LAWS.get(self.name, False):
            return {}  # exponential and uniform: no constants
        p = _q(self._required_param())
        if self.name == "hyperexponential":
            c2 = p * p
            w = ((c2 - 1) / (c2 + 1)).sqrt()
            p1 = (1 + w) / 2
            return {"p1": p1, "p2": 1 - p1, "r1": 2 * p1, "r2": 2 * (1 - p1)}
        if self.name == "lognormal":
            return {"mu": -p * p / 2, "s": p, "s2": p * arb(2).sqrt()}
        if self.name == "weibull":
            return {"k": p, "lam": (1 + 1 / p).gamma()}  # 1/l = Gamma(1 + 1/k)
        if self.name == "lomax":
            return {"a": p, "lam": p - 1}
        return {"k": p}

    def _required_param(self) -> Fraction:
        # exact_law() checks that the parametric laws carry a parameter; this narrows the Optional for the formulas
        if self.param is None:
            raise QcoordParameterError(f"the {self.name} law needs a parameter `param`; got None")
        return self.param

    @property
    def support_end(self) -> Fraction | None:
        """Right end of the support (``None`` for an unbounded support)."""
        return Fraction(2) if self.name == "uniform" else None

    # ------------------------------------------------------------ formulas
    def _cdf_formula(self, x: Any, c: dict[str, Any], analytic: bool = False) -> Any:
        """``F(x)`` for ``x`` inside the support (arb or acb; branch cuts respect ``analytic``)."""
        n = self.name
        if n == "exponential":
            return -(-x).exp() + 1
        if n == "gamma":
            k = int(self._required_param())
            kx = x * k
            term, tot = kx * 0 + 1, kx * 0 + 1
            for m in range(1, k):
                term = term * kx / m
                tot = tot + term
            return 1 - (-kx).exp() * tot
        if n == "hyperexponential":
            return 1 - c["p1"] * (-c["r1"] * x).exp() - c["p2"] * (-c["r2"] * x).exp()
        if n == "lognormal":
            return (-(_log(x, analytic) - c["mu"]) / c["s2"]).erfc() / 2
        if n == "weibull":
            return 1 - (-(_log(x * c["lam"], analytic) * c["k"]).exp()).exp()
        if n == "lomax":
            return 1 - (-_log(1 + x / c["lam"], analytic) * c["a"]).exp()
        return x / 2  # uniform on (0, 2)

    def _pdf_formula(self, x: Any, c: dict[str, Any], analytic: bool = False) -> Any:
        n = self.name
        if n == "exponential":
            return (-x).exp()
        if n == "gamma":
            k = int(self._required_param())
            kx = x * k
            term = kx * 0 + 1
            for m in range(1, k):
                term = term * kx / m
            return k * (-kx).exp() * term  # k (kx)^{k-1} e^{-kx} / (k-1)!
        if n == "hyperexponential":
            return c["p1"] * c["r1"] * (-c["r1"] * x).exp() + c["p2"] * c["r2"] * (-c["r2"] * x).exp()
        if n == "lognormal":
            from flint import arb

            z = (_log(x, analytic) - c["mu"]) / c["s"]
            return (-z * z / 2).exp() / (x * c["s"] * (2 * arb.pi()).sqrt())
        if n == "weibull":
            lx = _log(x * c["lam"], analytic)
            w = (lx * c["k"]).exp()  # (x/l)^k
            return c["k"] * w / x * (-w).exp()
        if n == "lomax":
            return c["a"] / c["lam"] * (-_log(1 + x / c["lam"], analytic) * (c["a"] + 1)).exp()
        return x * 0 + 1 / _q(Fraction(2))

    # ------------------------------------------------------------ public API
    def cdf(self, x: Any) -> Any:
        """Enclosure of ``F(x)`` for a real ball ``x`` (any sign; 0 below the support, 1 above).

        >>> from flint import arb
        >>> exact_law({"law": "uniform"}).cdf(arb(3)).contains(1)
        True
        """
        from flint import arb

        with working_precision():
            x = arb(x)
            if x <= 0:
                return arb(0)
            end = self.support_end
            if end is not None and x >= _q(end):
                return arb(1)
            c = self._consts()
            if x > 0 and (end is None or x < _q(end)):
                return self._cdf_formula(x, c)
            # the ball straddles an end of the support: F is monotone, so take the hull of the end values
            lo = x.lower()
            hi = x.upper()
            f_lo = arb(0) if lo <= 0 else self._cdf_formula(lo, c)
            f_hi = arb(1) if end is not None and hi >= _q(end) else self._cdf_formula(hi, c)
            return _hull(f_lo, f_hi)

    def pdf(self, x: Any) -> Any:
        """Enclosure of the density at a point ``x`` strictly inside the support."""
        from flint import arb

        with working_precision():
            x = arb(x)
            if not x > 0 or (self.support_end is not None and not x < _q(self.support_end)):
                raise QcoordParameterError(f"`x` must lie strictly inside the support of the {self.name} law; got {x}")
            return self._pdf_formula(x, self._consts())

    def integrand(self, t: Any, b0: Any) -> Any:
        """``g(x) = (F(t - x) - b0) f(x)`` for :func:`flint.acb.integral` (respects the analytic flag)."""
        c = self._consts()

        def g(x: Any, analytic: bool) -> Any:
            return (self._cdf_formula(t - x, c, analytic) - b0) * self._pdf_formula(x, c, analytic)

        return g

    def ppf(self, u: Fraction) -> Any:
        """Enclosure of the quantile ``F^{-1}(u)`` for rational ``u`` in ``[0, 1]`` (``inf`` at 1).

        >>> from fractions import Fraction
        >>> import math
        >>> b = exact_law({"law": "exponential"}).ppf(Fraction(1, 2))
        >>> abs(float(b.mid()) - math.log(2)) < 1e-16, float(b.rad()) < 1e-30
        (True, True)
        """
        from flint import arb

        u = Fraction(u)
        if not 0 <= u <= 1:
            raise QcoordParameterError(f"`u` must lie in [0, 1]; got {u}")
        with working_precision():
            if u == 0:
                return arb(0)
            if u == 1:
                return _q(self.support_end) if self.support_end is not None else arb("inf")
            c = self._consts()
            U = _q(u)
            n = self.name
            if n == "exponential":
                return -(1 - U).log()
            if n == "uniform":
                return 2 * U
            if n == "weibull":
                return (((-(1 - U).log()).log() / c["k"]).exp()) / c["lam"]
            if n == "lomax":
                return c["lam"] * (((1 - U).log() * (-1 / c["a"])).exp() - 1)
            if n == "lognormal":
                return (c["mu"] + c["s2"] * (2 * U - 1).erfinv()).exp()
            return self._bracket(u, c)

    def _bracket(self, u: Fraction, c: dict[str, Any]) -> Any:
        """``F^{-1}(u)`` by Newton steps on midpoints, then a bracket the CDF enclosure proves."""
        from flint import arb

        U = _q(u)
        x = 1.0
        for _ in range(200):  # safeguarded Newton on floats: only picks the guess
            fx = float(self._cdf_formula(arb(x), c).mid())
            px = float(self._pdf_formula(arb(x), c).mid())
            step = (fx - float(u)) / px if px > 0 else -x / 2
            nx = x - step
            nx = min(max(nx, x / 4), 4 * x)
            if abs(nx - x) <= 1e-17 * x:
                x = nx
                break
            x = nx
        eps = 2.0**-52 * x
        for _ in range(80):
            lo, hi = max(x - eps, 0.0), x + eps
            f_lo = self._cdf_formula(arb(lo), c) if lo > 0 else arb(0)
            f_hi = self._cdf_formula(arb(hi), c)
            if (lo == 0.0 or f_lo < U) and f_hi > U:
                return _hull(arb(lo), arb(hi))
            eps *= 4
        raise QcoordParameterError(f"could not bracket the {self.name} quantile at u = {u}")  # pragma: no cover


def _log(x: Any, analytic: bool) -> Any:
    # acb balls need the analytic flag (branch cut of log); arb balls do not take it
    try:
        return x.log(analytic=analytic)
    except TypeError:
        return x.log()


def _hull(a: Any, b: Any) -> Any:
    """The smallest arb ball containing two balls."""
    return a.union(b)


def exact_law(desc: dict[str, Any]) -> ExactLaw:
    """Read ``{"law": NAME, "param": "p/q"}`` into an :class:`ExactLaw` (validated).

    >>> exact_law({"law": "lomax", "param": "3"}).param
    Fraction(3, 1)
    >>> exact_law({"law": "cauchy"})
    Traceback (most recent call last):
    ...
    proofs.exact.errors.QcoordParameterError: `law` must be one of exponential, gamma, hyperexponential, lognormal, lomax, uniform, weibull; got 'cauchy'
    """
    if not isinstance(desc, dict):
        raise CertificateFormatError(f"a law description must be a JSON object; got {type(desc).__name__}")
    name = desc.get("law")
    if name not in EXACT_LAWS:
        raise QcoordParameterError(f"`law` must be one of {', '.join(sorted(EXACT_LAWS))}; got {name!r}")
    has = EXACT_LAWS[name]
    raw = desc.get("param")
    if not has:
        if raw is not None:
            raise QcoordParameterError(f"the {name} law takes no parameter; got param={raw!r}")
        return ExactLaw(name, None)
    if raw is None:
        raise QcoordParameterError(f"the {name} law needs a parameter `param`")
    p = _fraction(raw, "param")
    if name == "gamma" and (p.denominator != 1 or p < 1):
        raise QcoordParameterError(f"`param` of the gamma law must be a positive integer shape k for the exact enclosure; got {p}")
    if name == "gamma" and p > 64:
        raise QcoordParameterError(f"`param` of the gamma law must be at most 64 for the exact enclosure; got {p}")
    if name == "hyperexponential" and not p > 1:
        raise QcoordParameterError(f"`param` (coefficient of variation) of the hyperexponential law must exceed 1; got {p}")
    if name in ("lognormal", "weibull") and not 0 < p <= 20:
        raise QcoordParameterError(f"`param` of the {name} law must lie in (0, 20]; got {p}")
    if name == "weibull" and p < Fraction(1, 10):
        raise QcoordParameterError(f"`param` (shape) of the weibull law must be at least 1/10; got {p}")
    if name == "lomax" and not p > 1:
        raise QcoordParameterError(f"`param` (shape alpha) of the lomax law must exceed 1 (finite mean); got {p}")
    return ExactLaw(name, p)

