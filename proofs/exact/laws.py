"""Outward-rounded enclosures of the catalogue's service laws (CDF, density, quantile, moments).

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
CDF is increasing).  The moments ``E[X^j]`` and the partial (tail) moments
``E[X^j; X > L]``, ``j = 0, 1, 2``, are closed forms: finite sums (Erlang), a
mixture of exponentials (hyperexponential), ``erfc`` (lognormal), the upper
incomplete gamma function ``Gamma(1 + j/k, (L/l)^k)`` (Weibull), powers of
``1 + L/lambda`` (Lomax) and polynomials (uniform).  This module imports
only the standard library and python-flint.

>>> law = exact_law({"law": "exponential"})
>>> ball = law.cdf(__import__("flint").arb(1))   # 1 - 1/e
>>> abs(float(ball.mid()) - 0.6321205588285577) < 1e-16, float(ball.rad()) < 1e-30
(True, True)
>>> float(exact_law({"law": "lomax", "param": "3"}).moment(2).mid())   # 2 (a - 1)/(a - 2)
4.0
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
from proofs.exact.rational import arb_fraction, parse_fraction

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
        p = arb_fraction(self._required_param())
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
        return x * 0 + 1 / arb_fraction(Fraction(2))

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
            if end is not None and x >= arb_fraction(end):
                return arb(1)
            c = self._consts()
            if x > 0 and (end is None or x < arb_fraction(end)):
                return self._cdf_formula(x, c)
            # the ball straddles an end of the support: F is monotone, so take the hull of the end values
            lo = x.lower()
            hi = x.upper()
            f_lo = arb(0) if lo <= 0 else self._cdf_formula(lo, c)
            f_hi = arb(1) if end is not None and hi >= arb_fraction(end) else self._cdf_formula(hi, c)
            return _hull(f_lo, f_hi)

    def pdf(self, x: Any) -> Any:
        """Enclosure of the density at a point ``x`` strictly inside the support."""
        from flint import arb

        with working_precision():
            x = arb(x)
            if not x > 0 or (self.support_end is not None and not x < arb_fraction(self.support_end)):
                raise QcoordParameterError(f"`x` must lie strictly inside the support of the {self.name} law; got {x}")
            return self._pdf_formula(x, self._consts())

    @property
    def analytic_at_zero(self) -> bool:
        """Whether the density extends analytically to a neighbourhood of ``x = 0`` (false for lognormal, Weibull)."""
        return self.name not in ("lognormal", "weibull")

    @property
    def finite_variance(self) -> bool:
        """Whether ``E[X^2] < inf`` (only the Lomax law with ``alpha <= 2`` fails)."""
        return not (self.name == "lomax" and self._required_param() <= 2)

    def density(self) -> Any:
        """The density as ``f(z, analytic)`` for :func:`flint.acb.integral` (constants evaluated once, at the caller's precision)."""
        c = self._consts()

        def f(z: Any, analytic: bool) -> Any:
            return self._pdf_formula(z, c, analytic)

        return f

    def pdf_range(self, x: Any) -> Any:
        """An arb ball containing ``f`` on the whole ball ``x`` (possibly infinite or with lower end ``<= 0``).

        Unlike :meth:`pdf`, ``x`` may touch the ends of the support; the caller
        reads the lower end (a lower bound of the density on ``x``) and must
        treat a non-finite ball or a lower end ``<= 0`` as "no bound".

        >>> from flint import arb
        >>> b = exact_law({"law": "exponential"}).pdf_range(arb("1 +/- 0.5"))   # e^{-x} on [1/2, 3/2]
        >>> float(b.lower()) <= 0.2231301601484298 and float(b.upper()) >= 0.6065306597126334
        True
        """
        from flint import arb

        with working_precision():
            x = arb(x)
            if self.name == "uniform":
                return arb(1) / 2
            if not x.upper() > 0:
                return arb("nan")
            return self._pdf_formula(x, self._consts())

    def moment(self, j: int) -> Any:
        """Enclosure of ``E[X^j]``, ``j = 0, 1, 2`` (``E[X] = 1`` for every law of the catalogue).

        >>> float(exact_law({"law": "gamma", "param": "4"}).moment(2).mid())   # (k + 1)/k
        1.25
        """
        return self.partial_moment(j, 0)

    def partial_moment(self, j: int, L: Any) -> Any:
        """Enclosure of ``E[X^j; X > L]`` (``j = 0, 1, 2``) for every ``L`` in the ball ``L >= 0``.

        ``E[X^j; X > L]`` is non-increasing in ``L``, so the enclosure over a
        ball is the hull of the values at its two ends (no dependency
        blow-up for wide balls such as quantile brackets).

        >>> from flint import arb
        >>> law = exact_law({"law": "exponential"})
        >>> b = law.partial_moment(1, arb(2))      # (L + 1) e^{-L}
        >>> abs(float(b.mid()) - 3 * 0.1353352832366127) < 1e-15
        True
        >>> float(exact_law({"law": "uniform"}).partial_moment(2, arb(3)).mid())
        0.0
        """
        from flint import arb

        if j not in (0, 1, 2):
            raise QcoordParameterError(f"`j` (moment order) must be 0, 1 or 2; got {j!r}")
        if j == 2 and not self.finite_variance:
            raise QcoordParameterError(f"the {self.name} law with param {self.param} has infinite variance: E[X^2; X > L] = inf")
        with working_precision():
            L = arb(L)
            if not L.is_finite() or L.lower() < 0:
                raise QcoordParameterError(f"`L` must be a finite ball in [0, inf); got {L}")
            c = self._consts()
            lo, hi = L.lower(), L.upper()
            v_hi = self._tail_formula(j, hi, c)
            if lo == hi:
                return v_hi
            return _hull(self._tail_formula(j, lo, c), v_hi)

    def _tail_formula(self, j: int, L: Any, c: dict[str, Any]) -> Any:
        """``E[X^j; X > L]`` at an exact point ``L >= 0`` (an arb of radius 0)."""
        from flint import arb

        n = self.name
        if n == "exponential":
            return (-L).exp() * (arb(1), L + 1, L * L + 2 * L + 2)[j]
        if n == "hyperexponential":
            tot = arb(0)
            for pk, rk in (("p1", "r1"), ("p2", "r2")):
                r = c[rk]
                tot += c[pk] * (-r * L).exp() * (arb(1), L + 1 / r, L * L + 2 * L / r + 2 / (r * r))[j]
            return tot
        if n == "gamma":
            # E[X^j; X > L] = Gamma(k + j, kL) / (Gamma(k) k^j), Gamma(n, y) = (n - 1)! e^{-y} sum_{m < n} y^m / m!
            k = int(self._required_param())
            y = L * k
            term, tot = arb(1), arb(1)
            for m in range(1, k + j):
                term = term * y / m
                tot += term
            coef = arb(1)
            for i in range(j):
                coef = coef * (k + i) / k
            return coef * (-y).exp() * tot
        if n == "lognormal":
            # X = exp(mu + s Z): E[X^j; X > L] = e^{j mu + j^2 s^2 / 2} Phi(-(ln L - mu - j s^2)/s)
            s, mu = c["s"], c["mu"]
            scale = (j * mu + j * j * s * s / 2).exp()
            if L == 0:
                return scale
            return scale * ((L.log() - mu - j * s * s) / c["s2"]).erfc() / 2
        if n == "weibull":
            # X = l E^{1/k}, E ~ Exp(1): E[X^j; X > L] = l^j Gamma(1 + j/k, (L/l)^k),  1/l = c["lam"]
            k, il = c["k"], c["lam"]
            order = 1 + j / k
            if L == 0:
                return order.gamma() / il**j
            z = ((L * il).log() * k).exp()
            return z.gamma_upper(order) / il**j
        if n == "lomax":
            a, lam = c["a"], c["lam"]
            y = 1 + L / lam
            ly = y.log()

            def pw(e: Any) -> Any:
                return (ly * e).exp()

            if j == 0:
                return pw(-a)
            if j == 1:
                return lam * (a * pw(1 - a) / (a - 1) - pw(-a))
            return lam * lam * a * (pw(2 - a) / (a - 2) - 2 * pw(1 - a) / (a - 1) + pw(-a) / a)
        # uniform on (0, 2): (2^{j+1} - L^{j+1}) / (2 (j + 1)) below 2, 0 above
        if L >= 2:
            return arb(0)
        return (arb(2) ** (j + 1) - L ** (j + 1)) / (2 * (j + 1))

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
                return arb_fraction(self.support_end) if self.support_end is not None else arb("inf")
            c = self._consts()
            U = arb_fraction(u)
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

        U = arb_fraction(u)
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


def _show(p: Fraction) -> str:
    # a parameter in an error message: exact when short, else abbreviated (up to 400 digits are legal)
    text = str(p)
    return text if len(text) <= 40 else f"{text[:20]}...({len(text)} characters)"


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
    p = parse_fraction(raw, "param")  # digit limits before any arithmetic ("1e999999999" is refused, not expanded)
    if name == "gamma" and (p.denominator != 1 or p < 1):
        raise QcoordParameterError(f"`param` of the gamma law must be a positive integer shape k for the exact enclosure; got {_show(p)}")
    if name == "gamma" and p > 64:
        raise QcoordParameterError(f"`param` of the gamma law must be at most 64 for the exact enclosure; got {_show(p)}")
    if name == "hyperexponential" and not 1 < p <= 100:
        raise QcoordParameterError(f"`param` (coefficient of variation) of the hyperexponential law must lie in (1, 100]; got {_show(p)}")
    if name in ("lognormal", "weibull") and not 0 < p <= 20:
        raise QcoordParameterError(f"`param` of the {name} law must lie in (0, 20]; got {_show(p)}")
    if name == "weibull" and p < Fraction(1, 10):
        raise QcoordParameterError(f"`param` (shape) of the weibull law must be at least 1/10; got {_show(p)}")
    if name == "lomax" and not 1 < p <= 100:
        raise QcoordParameterError(f"`param` (shape alpha) of the lomax law must lie in (1, 100] (a finite mean); got {_show(p)}")
    return ExactLaw(name, p)

