"""The system checkers' shared part: operating point, service law, kernel arithmetic, header fields.

The system is the paper's two-server model with pair rate ``lam``, i.i.d.
service times of a law with ``E[X^2] < inf`` and the waiting-time limit
``W_q <= W_limit`` (random order inside a bunched pair).  The law is the
exponential law of rate ``mu`` or any law of the catalogue with an exact
enclosure (:mod:`proofs.exact.laws`: gamma (Erlang), hyperexponential,
lognormal, Weibull, Lomax with ``alpha > 2``, uniform; all of mean 1).  The
quantity bounded is the smallest ``p_split`` a class of routers
(``"classical"``: local with shared randomness; ``"quantum"``: shared
entanglement, local measurements) needs to meet the limit.  Every number is
rebuilt from the exact rationals of the certificate; integrals are enclosed
with python-flint ``arb`` (:mod:`proofs.checkers.system_quadrature`).  Where a
law's second moment is irrational (lognormal, Weibull) ``W_0`` and the
budget ``W_limit - W_0`` are intervals, and each comparison uses the end
that makes it harder to pass.  See ``proofs/lemmas_system.md`` for the
lemmas S1-S5.

Both system kinds (:mod:`proofs.checkers.system_dual`,
:mod:`proofs.checkers.system_strategy`) use the schema-2 header
(:mod:`proofs.exact.certificate`): ``schema``, ``kind``, ``game`` =
``{"type": "system", "law": "exponential", "lam", "mu", "W_limit", "order":
"random"}`` or, for another law (mean 1), ``{"type": "system", "law": NAME,
"param": "p/q" (parametric laws only), "lam", "W_limit", "order":
"random"}`` (exact rationals), ``N`` = null (continuum), ``side`` and
``bound`` -- here a bound on ``p_split``, not on a winning probability.

This module holds what both kinds share: the :class:`Service` law and the
:class:`SystemData` of an operating point, read from the certificate's
``game`` (:func:`system_data`); the kernel arithmetic ``h(w) = E|w0 + w1
X|`` (:func:`abs_moment`) and ``b1(u) = E[sgn(X - t) X]``
(:func:`b1_enclosure`); the rounding of arb balls to exact rationals; and
the header fields ``model`` (:func:`read_model`) and the Werner target
(:func:`werner_system_target`).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from proofs.checkers.bound import Target
from proofs.exact.certificate import check_kind
from proofs.exact.errors import CertificateError, CertificateFormatError, QcoordParameterError
from proofs.exact.laws import EXACT_LAWS, ExactLaw, exact_law, working_precision
from proofs.exact.rational import arb_fraction, parse_fraction

__all__ = [
    "MODELS", "PREC", "Service", "SystemData", "abs_moment", "b1_enclosure", "exact_point", "rational_down", "rational_up", "read_model",
    "system_data", "system_game", "werner_system_target",
]

PREC = 100  #: working precision (bits) of every arb computation of the system checkers
MODELS = ("classical", "quantum")


def exact_point(x) -> Fraction:  # noqa: ANN001
    """The midpoint of the ball ``x`` as an exact rational (the point itself for a radius-0 end such as ``x.upper()``)."""
    m, e = x.mid().man_exp()
    return Fraction(int(m)) * (Fraction(2) ** int(e))


def rational_up(x) -> Fraction:  # noqa: ANN001
    """An exact rational ``>=`` every point of the ball ``x``."""
    if not x.is_finite():
        raise CertificateError("an enclosure is not finite (integral or function evaluation failed)")
    return exact_point(x.upper())


def rational_down(x) -> Fraction:  # noqa: ANN001
    """An exact rational ``<=`` every point of the ball ``x``."""
    if not x.is_finite():
        raise CertificateError("an enclosure is not finite (integral or function evaluation failed)")
    return exact_point(x.lower())


class Service:
    """The service law in the certificate's units: ``X = scale * Y`` with ``Y`` a catalogue law of mean 1.

    The exponential law of rate ``mu`` is ``scale = 1/mu`` times the unit
    exponential; every other law has ``scale = 1``.  All methods return arb
    balls (enclosures).

    >>> from proofs.exact.laws import exact_law
    >>> svc = Service(exact_law({"law": "exponential"}), Fraction(1, 2))   # rate 2
    >>> float(svc.tail(1, arb_fraction(Fraction(0))).mid()), float(svc.m2.mid())
    (0.5, 0.5)
    """

    def __init__(self, law: ExactLaw, scale: Fraction = Fraction(1)) -> None:
        if scale <= 0:
            raise CertificateFormatError(f"the scale of the service law must be positive; got {scale}")
        self.law, self.scale = law, scale
        self.m1 = scale  # every catalogue law has mean 1
        with working_precision(PREC):
            self.m2 = arb_fraction(scale * scale) * law.moment(2)

    @property
    def support_end(self) -> Fraction | None:
        end = self.law.support_end
        return None if end is None else end * self.scale

    def tail(self, j: int, r: Any) -> Any:
        """``E[X^j; X > r]`` for every ``r`` in the ball ``r >= 0``."""
        return arb_fraction(self.scale**j) * self.law.partial_moment(j, r / arb_fraction(self.scale))

    def cdf(self, x: Any) -> Any:
        return self.law.cdf(x / arb_fraction(self.scale))

    def ppf(self, u: Fraction) -> Any:
        return arb_fraction(self.scale) * self.law.ppf(u)

    def pdf_lower(self, x: Any) -> Fraction | None:
        """An exact rational ``0 < f_lo <= f(x)`` for every ``x`` in the ball, or ``None`` if the enclosure gives none."""
        f = self.law.pdf_range(x / arb_fraction(self.scale))
        if not f.is_finite():
            return None
        lo = exact_point(f.lower()) / self.scale
        return lo if lo > 0 else None

    def density(self):  # noqa: ANN201
        """``f_X(z, analytic)`` for :func:`flint.acb.integral`."""
        f, sc = self.law.density(), arb_fraction(self.scale)
        if self.scale == 1:
            return f
        return lambda z, analytic: f(z / sc, analytic) / sc

    def describe(self) -> dict[str, str]:
        if self.law.name == "exponential":
            return {"law": "exponential", "mu": _s(1 / self.scale)}
        return {"law": self.law.name, **({} if self.law.param is None else {"param": _s(self.law.param)})}


class SystemData:
    """Exact constants of one operating point (random order); ``W0`` and the budget as rational intervals.

    ``m1 = E[X]`` is exact (``1/mu``, or 1 for the catalogue laws); ``m2 =
    E[X^2]`` is an arb ball, read as the interval ``[m2_lo, m2_hi]`` of
    exact rationals (one point when ``m2`` is a dyadic rational, as for the
    exponential law).  ``W0 = lam m2 / (2 (1 - rho))`` and ``budget =
    W_limit - W0`` follow as intervals; ``W0`` and ``budget`` themselves are
    available when the interval is a point.

    >>> s = system_data({"type": "system", "law": "exponential", "lam": "3/5", "mu": "1", "W_limit": "33/20"})
    >>> s.W0, s.kappa, s.budget, s.mean_cost
    (Fraction(3, 2), Fraction(3, 4), Fraction(3, 20), Fraction(5, 4))
    >>> s = system_data({"type": "system", "law": "lognormal", "param": "1/1", "lam": "3/5", "W_limit": "3"})
    >>> lo, hi = s.budget_range; 0 < hi - lo < Fraction(1, 10**25)     # m2 = e is irrational
    True
    """

    def __init__(self, lam: Fraction, mu: Fraction | None, w_limit: Fraction, law: ExactLaw | None = None) -> None:
        if law is None or law.name == "exponential":
            if mu is None or mu <= 0:
                raise CertificateFormatError(f"the exponential law needs a positive rate `mu`; got {mu}")
            law = exact_law({"law": "exponential"})
            scale = 1 / mu
        else:
            if mu is not None:
                raise CertificateFormatError(f"the {law.name} law of the catalogue has mean 1 and takes no rate `mu`; got mu = {mu}")
            scale = Fraction(1)
        self.service = Service(law, scale)
        self.lam, self.mu, self.W_limit = lam, mu, w_limit
        self.m1 = self.service.m1
        with working_precision(PREC):
            m2 = self.service.m2
            self.m2_range = _m2_interval(m2)
        self.rho = lam * self.m1
        self.kappa = lam / (2 * (1 - self.rho))
        c = lam / (2 * (1 - self.rho))
        self.W0_range = (c * self.m2_range[0], c * self.m2_range[1])  # every pair split
        self.budget_range = (w_limit - self.W0_range[1], w_limit - self.W0_range[0])
        self.mean_cost = self.kappa * self.m1**2 + self.m1 / 2  # E[c]

    @property
    def W0(self) -> Fraction:
        """``W_0`` when it is an exact rational (raises otherwise: use ``W0_range``)."""
        return _point(self.W0_range, "W_0")

    @property
    def budget(self) -> Fraction:
        """``W_limit - W_0`` when it is an exact rational (raises otherwise: use ``budget_range``)."""
        return _point(self.budget_range, "the budget W_limit - W_0")

    def matrix(self, nu: Fraction) -> tuple[tuple[Fraction, Fraction], tuple[Fraction, Fraction]]:
        """``M(nu) = [[1, -nu/4], [-nu/4, -nu kappa]]`` (symmetric)."""
        return ((Fraction(1), -nu / 4), (-nu / 4, -nu * self.kappa))

    def mean_kernel(self, nu: Fraction) -> Fraction:
        """``E[k] = 1 - nu E[c]``."""
        return 1 - nu * self.mean_cost

    def describe(self) -> dict[str, str]:
        """The certificate's ``game`` object."""
        law = self.service.describe()
        if law["law"] == "exponential":
            return {"type": "system", "law": "exponential", "lam": _s(self.lam), "mu": law["mu"], "W_limit": _s(self.W_limit), "order": "random"}
        return {"type": "system", **law, "lam": _s(self.lam), "W_limit": _s(self.W_limit), "order": "random"}

    def target(self, model: str) -> Target:
        return Target({**self.describe(), "quantity": "p_split"}, None, model)  # type: ignore[arg-type]


def _m2_interval(m2: Any) -> tuple[Fraction, Fraction]:
    """Exact rationals ``lo <= E[X^2] <= hi`` from its arb ball (outward: the ends of the ball)."""
    return rational_down(m2), rational_up(m2)


def _point(rng: tuple[Fraction, Fraction], name: str) -> Fraction:
    if rng[0] != rng[1]:
        raise CertificateError(f"{name} is not an exact rational for this law (enclosed in [{float(rng[0])!r}, {float(rng[1])!r}])")
    return rng[0]


def _s(f: Fraction) -> str:
    return f"{f.numerator}/{f.denominator}"


def system_game(lam: Fraction, mu: Fraction | None, w_limit: Fraction, law: dict[str, str] | None = None) -> dict[str, str]:
    """The ``game`` object of a system certificate (``law`` = ``{"law": NAME, "param": "p/q"}``; exponential by default).

    >>> system_game(Fraction(3, 5), Fraction(1), Fraction(33, 20))["W_limit"]
    '33/20'
    >>> system_game(Fraction(3, 5), None, Fraction(2), {"law": "gamma", "param": "4"})["param"]
    '4/1'
    """
    return SystemData(lam, mu, w_limit, None if law is None else _read_law(law)).describe()


def _read_law(desc: dict[str, Any]) -> ExactLaw:
    """Validate ``{"law": NAME, "param": "p/q"}`` through :func:`proofs.exact.laws.exact_law`; refuse infinite variance."""
    raw = desc.get("param")
    law_desc: dict[str, Any] = {"law": desc.get("law")}
    if raw is not None:
        law_desc["param"] = _s(parse_fraction(raw, "param"))  # digit limits before any arithmetic
    try:
        law = exact_law(law_desc)
    except QcoordParameterError as exc:
        raise CertificateFormatError(f"field 'game': {exc}") from exc
    if not law.finite_variance:
        raise CertificateFormatError(f"the {law.name} law with param {law.param} has infinite variance: W_q is infinite and the system level is undefined")
    return law


def system_data(desc: Any) -> SystemData:
    """Read and validate a certificate's ``game`` object (type ``"system"``)."""
    if not isinstance(desc, dict) or desc.get("type") != "system":
        raise CertificateFormatError("certificate field 'game' must be an object {type: 'system', law, lam, W_limit} (exponential: and mu)")
    if desc.get("order", "random") != "random":
        raise CertificateFormatError(f"system certificates support random order inside a bunched pair only; got {desc.get('order')!r}")
    name = desc.get("law")
    if name not in EXACT_LAWS:
        raise CertificateFormatError(f"system certificates support the laws {sorted(EXACT_LAWS)}; got law {str(name)[:40]!r}")
    lam = parse_fraction(desc.get("lam"), "lam")
    wl = parse_fraction(desc.get("W_limit"), "W_limit")
    if name == "exponential":
        if desc.get("param") is not None:
            raise CertificateFormatError(f"the exponential law takes its rate as `mu`, not `param`; got param = {desc.get('param')!r}")
        mu: Fraction | None = parse_fraction(desc.get("mu"), "mu")
        law = None
    else:
        if desc.get("mu") is not None:
            raise CertificateFormatError(f"the {name} law of the catalogue has mean 1 and takes no rate `mu`; got mu = {desc.get('mu')!r}")
        mu, law = None, _read_law(desc)
    if lam <= 0 or (mu is not None and mu <= 0):
        raise CertificateFormatError(f"`lam` and `mu` must be positive; got {lam}, {mu}")
    rho = lam / mu if mu is not None else lam
    if rho >= 1:
        raise CertificateFormatError(f"`rho` = lam E[X] must be < 1; got {rho}")
    if wl < 0:
        raise CertificateFormatError(f"`W_limit` must be >= 0; got {wl}")
    return SystemData(lam, mu, wl, law)


def read_model(cert: dict[str, Any], kind: str, side: str) -> str:
    check_kind(cert, kind)
    if cert.get("N", "missing") is not None:
        raise CertificateFormatError("system certificates are about the continuum: field 'N' must be null")
    if cert.get("side") != side:
        raise CertificateFormatError(f"a {kind!r} certificate proves a {side} bound on p_split; field 'side' is {str(cert.get('side'))[:20]!r}")
    model = cert.get("model")
    if model not in MODELS:
        raise CertificateFormatError(f"field 'model' must be one of {MODELS}; got {model!r}")
    return model


def werner_system_target(target: Target, v: Fraction, f: Fraction) -> Target:
    """The system target of Werner routers: visibility ``v`` on a share ``f`` of the pairs (the rest classical).

    >>> t = werner_system_target(Target({"type": "system", "quantity": "p_split"}, None, "quantum"), Fraction(9, 10), Fraction(1))
    >>> t.game["state"], t.game["supply"]
    ({'kind': 'werner', 'v': '9/10'}, '1/1')
    """
    game = {**target.game, "state": {"kind": "werner", "v": f"{v.numerator}/{v.denominator}"}, "supply": f"{f.numerator}/{f.denominator}"}
    return Target(game, None, "quantum")


# --------------------------------------------------------------------------- kernel arithmetic

def abs_moment(s: SystemData, w0: Fraction, w1: Fraction) -> Any:
    """Enclosure of ``h(w) = E|w0 + w1 X|``.

    ``E|X - r| = r - m1 + 2 (E[X; X > r] - r P(X > r))`` for ``r > 0`` (the
    law's partial moments); ``X >= 0`` makes ``w0 + w1 X`` of one sign when
    ``r = -w0/w1 <= 0``.
    """
    if w1 == 0:
        return arb_fraction(abs(w0))
    r = -w0 / w1
    if r <= 0:
        return arb_fraction(abs(w0 + w1 * s.m1))
    R = arb_fraction(r)
    svc = s.service
    return arb_fraction(abs(w1)) * (R - arb_fraction(s.m1) + 2 * (svc.tail(1, R) - R * svc.tail(0, R)))


def b1_enclosure(s: SystemData, u: Fraction, t: Any = None) -> Any:
    """``b1(u) = E[sgn(Y - t) Y] = 2 E[Y; Y > t] - m1`` at ``u = F(t)`` (``t`` = the quantile ball, if known)."""
    if u == 1:
        return arb_fraction(-s.m1)
    if u == 0:
        return arb_fraction(s.m1)
    if t is None:
        t = s.service.ppf(u)
    return 2 * s.service.tail(1, t) - arb_fraction(s.m1)

