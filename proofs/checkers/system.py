"""Checkers of the system-level certificates: bounds on the split probability ``p_split``.

The system is the paper's two-server model with pair rate ``lam``, i.i.d.
service times of a law with ``E[X^2] < inf`` and the waiting-time limit
``W_q <= W_limit`` (random order inside a bunched pair).  The law is the
exponential law of rate ``mu`` or any law of the catalogue with an exact
enclosure (:mod:`proofs.exact.laws`: gamma (Erlang), hyperexponential,
lognormal, Weibull, Lomax with ``alpha > 2``, uniform; all of mean 1).  The quantity bounded is the smallest
``p_split`` a class of routers (``"classical"``: local with shared randomness;
``"quantum"``: shared entanglement, local measurements) needs to meet the
limit.  Every number is rebuilt here from the exact rationals of the
certificate; integrals are enclosed with python-flint ``arb`` (rigorous
quadrature ``acb.integral`` plus explicit bounds on ``[0, eps]`` and on the
tail, the latter from the law's partial moments ``E[X^j; X > L]``).  Where a
law's second moment is irrational (lognormal, Weibull) ``W_0`` and the
budget ``W_limit - W_0`` are intervals, and each comparison uses the end
that makes it harder to pass.  See
``proofs/lemmas_system.md`` for the lemmas S1-S5 cited below.

Both kinds use the schema-2 header (:mod:`proofs.exact.certificate`):
``schema``, ``kind``, ``game`` = ``{"type": "system", "law": "exponential",
"lam", "mu", "W_limit", "order": "random"}`` or, for another law (mean 1),
``{"type": "system", "law": NAME, "param": "p/q" (parametric laws only),
"lam", "W_limit", "order": "random"}`` (exact rationals), ``N`` = null
(continuum), ``side`` and ``bound`` -- here a bound on ``p_split``, not on a
winning probability.

``"system-dual"`` -- lower bound on ``p_split`` (lemma S1, weak duality):
    for any ``nu >= 0``, ``p_split >= 1 - nu (W_limit - W_0) - E[k]/2 - G/2``
    with ``G`` an upper bound on the XOR-game bias of the kernel
    ``k = [1, x] M(nu) [1, y]^T``.

    * classical (lemma S3): ``G = max over thresholds t of h(M b(t))`` with
      ``h(w) = E|w0 + w1 X|``; the certificate lists a partition of
      ``u = F(t)`` in ``[0, 1]``; on each piece the curve ``b(t)`` lies in a
      trapezoid (chord plus the curvature bound ``|b1''| = 2/f(F^{-1}(u))``)
      or, where the density has no positive lower bound, in its bounding
      box, and the convex ``h(M b)`` is at most its largest vertex value.
    * quantum (lemma S4): dual functions ``alpha = sqrt(q_a)``,
      ``beta = sqrt(q_b)`` (quadratics ``a2 (x - x*)^2 + delta``); if
      ``lambda_max(A M B M^T) <= 4`` with ``A >= E[phi phi^T / alpha]`` (PSD
      order), then ``G <= E[alpha] + E[beta]`` for every quantum strategy.
      The bound is about the noiseless class: a field ``visibility`` other
      than 1 is refused (Werner routers may route classically or measure
      with general POVMs, so their bias is not ``v`` times a quantum bias;
      noisy pairs are bounded by ``"werner-system-dual"``, lemma W4).

``"system-strategy"`` -- upper bound on ``p_split`` (lemma S5): a mixture
    (rational weights) of explicit router pairs -- threshold pairs or planar
    (qubit XY-plane) measurement pairs -- whose enclosed ``W_q`` is at most
    ``W_limit``; its ``p_split`` is then an upper bound on the optimum.
    A quantum strategy with a field ``"werner": {"v", "f"}`` (visibility
    ``v`` equal to its ``visibility``, planar weight at most ``f``) is a
    supply strategy of Werner routers (lemma W4) and is issued on their
    target (:func:`werner_system_target`), the target of a
    ``"werner-system-dual"`` at the same ``(v, f)``.

No solver output is trusted.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from proofs.checkers.bound import Bound, Target, _issue
from proofs.exact.certificate import check_kind
from proofs.exact.errors import CertificateError, CertificateFormatError, QcoordParameterError
from proofs.exact.laws import EXACT_LAWS, ExactLaw, exact_law, working_precision
from proofs.exact.rational import parse_fraction

__all__ = [
    "Service", "SystemData", "check_system_dual", "check_system_strategy", "quadratic_moments", "system_data", "system_game",
    "werner_system_target",
]

PREC = 100  #: working precision (bits) of every arb computation here
MODELS = ("classical", "quantum")
#: most break points of a classical ``system-dual``: producers write about 300-400; checking costs 1-3 ms
#: each, up to 11 ms for 400-digit breaks of the gamma:64 law (4096 of those took 45 s)
_MAX_BREAKS = 2048
#: most components of a ``system-strategy``: producers write at most 5 (two pairs, their fallbacks, a sliver);
#: a planar pair costs up to ~3 s of rigorous quadrature (16 took 50 s with the weibull:1/10 law)
_MAX_COMPONENTS = 8


def _arb(q: Fraction):  # noqa: ANN202
    from flint import arb

    return arb(q.numerator) / arb(q.denominator)


def _exact(x) -> Fraction:  # noqa: ANN001
    m, e = x.mid().man_exp()
    return Fraction(int(m)) * (Fraction(2) ** int(e))


def _up(x) -> Fraction:  # noqa: ANN001
    """An exact rational ``>=`` every point of the ball ``x``."""
    if not x.is_finite():
        raise CertificateError("an enclosure is not finite (integral or function evaluation failed)")
    return _exact(x.upper())


def _down(x) -> Fraction:  # noqa: ANN001
    if not x.is_finite():
        raise CertificateError("an enclosure is not finite (integral or function evaluation failed)")
    return _exact(x.lower())


class Service:
    """The service law in the certificate's units: ``X = scale * Y`` with ``Y`` a catalogue law of mean 1.

    The exponential law of rate ``mu`` is ``scale = 1/mu`` times the unit
    exponential; every other law has ``scale = 1``.  All methods return arb
    balls (enclosures).

    >>> from proofs.exact.laws import exact_law
    >>> svc = Service(exact_law({"law": "exponential"}), Fraction(1, 2))   # rate 2
    >>> float(svc.tail(1, _arb(Fraction(0))).mid()), float(svc.m2.mid())
    (0.5, 0.5)
    """

    def __init__(self, law: ExactLaw, scale: Fraction = Fraction(1)) -> None:
        if scale <= 0:
            raise CertificateFormatError(f"the scale of the service law must be positive; got {scale}")
        self.law, self.scale = law, scale
        self.m1 = scale  # every catalogue law has mean 1
        with working_precision(PREC):
            self.m2 = _arb(scale * scale) * law.moment(2)

    @property
    def support_end(self) -> Fraction | None:
        end = self.law.support_end
        return None if end is None else end * self.scale

    def tail(self, j: int, r: Any) -> Any:
        """``E[X^j; X > r]`` for every ``r`` in the ball ``r >= 0``."""
        return _arb(self.scale**j) * self.law.partial_moment(j, r / _arb(self.scale))

    def cdf(self, x: Any) -> Any:
        return self.law.cdf(x / _arb(self.scale))

    def ppf(self, u: Fraction) -> Any:
        return _arb(self.scale) * self.law.ppf(u)

    def pdf_lower(self, x: Any) -> Fraction | None:
        """An exact rational ``0 < f_lo <= f(x)`` for every ``x`` in the ball, or ``None`` if the enclosure gives none."""
        f = self.law.pdf_range(x / _arb(self.scale))
        if not f.is_finite():
            return None
        lo = _exact(f.lower()) / self.scale
        return lo if lo > 0 else None

    def density(self):  # noqa: ANN201
        """``f_X(z, analytic)`` for :func:`flint.acb.integral`."""
        f, sc = self.law.density(), _arb(self.scale)
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
    return _down(m2), _up(m2)


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


def _model(cert: dict[str, Any], kind: str, side: str) -> str:
    check_kind(cert, kind)
    if cert.get("N", "missing") is not None:
        raise CertificateFormatError("system certificates are about the continuum: field 'N' must be null")
    if cert.get("side") != side:
        raise CertificateFormatError(f"a {kind!r} certificate proves a {side} bound on p_split; field 'side' is {str(cert.get('side'))[:20]!r}")
    model = cert.get("model")
    if model not in MODELS:
        raise CertificateFormatError(f"field 'model' must be one of {MODELS}; got {model!r}")
    return model


def _visibility(cert: dict[str, Any]) -> Fraction:
    v = parse_fraction(cert.get("visibility", "1"), "visibility")
    if not 0 <= v <= 1:
        raise CertificateFormatError(f"field 'visibility' must lie in [0, 1]; got {v}")
    return v


def werner_system_target(target: Target, v: Fraction, f: Fraction) -> Target:
    """The system target of Werner routers: visibility ``v`` on a share ``f`` of the pairs (the rest classical).

    >>> t = werner_system_target(Target({"type": "system", "quantity": "p_split"}, None, "quantum"), Fraction(9, 10), Fraction(1))
    >>> t.game["state"], t.game["supply"]
    ({'kind': 'werner', 'v': '9/10'}, '1/1')
    """
    game = {**target.game, "state": {"kind": "werner", "v": f"{v.numerator}/{v.denominator}"}, "supply": f"{f.numerator}/{f.denominator}"}
    return Target(game, None, "quantum")


def _werner_supply(cert: dict[str, Any], model: str, vis: Fraction) -> tuple[Fraction, Fraction] | None:
    """``(v, f)`` of a quantum strategy's ``werner`` field (visibility ``v`` on a share ``f``), or ``None``."""
    raw = cert.get("werner")
    if raw is None or model != "quantum":
        return None  # a classical strategy keeps the classical target, whatever pairs it was written for
    if not isinstance(raw, dict) or set(raw) != {"v", "f"}:
        raise CertificateFormatError(f"field 'werner' must be an object {{v, f}} of two rationals in [0, 1]; got {str(raw)[:60]}")
    v, f = parse_fraction(raw["v"], "werner.v"), parse_fraction(raw["f"], "werner.f")
    if not (0 <= v <= 1 and 0 <= f <= 1):
        raise CertificateFormatError(f"field 'werner': v and f must lie in [0, 1]; got v = {v}, f = {f}")
    if vis != v:
        raise CertificateError(f"the planar pairs are measured at visibility {vis}, not at the Werner visibility v = {v} the certificate is about")
    return v, f


def _noiseless(cert: dict[str, Any]) -> None:
    """A ``"system-dual"`` bounds the noiseless classes only: ``visibility`` absent or exactly 1."""
    if "visibility" not in cert:
        return
    v = parse_fraction(cert.get("visibility"), "visibility")
    if v != 1:
        raise CertificateFormatError(
            f"field 'visibility' of a 'system-dual' certificate must be 1 (absent, or exactly 1: the dual bounds the noiseless class; "
            f"Werner pairs are bounded by a 'werner-system-dual'); got {v}"
        )


# --------------------------------------------------------------------------- integrals

#: the [0, eps] ball and the tail beyond L are each made smaller than this (relative to the law's scale)
_NEGLIGIBLE = Fraction(1, 2**90)


def _as_service(law: Any) -> Service:
    if isinstance(law, Service):
        return law
    if isinstance(law, ExactLaw):
        if law.name == "exponential":
            return Service(law, Fraction(1))
        return Service(law)
    if isinstance(law, (int, Fraction)) and not isinstance(law, bool) and law > 0:  # an exponential rate mu
        return Service(exact_law({"law": "exponential"}), 1 / Fraction(law))
    raise CertificateError(f"`law` must be an exponential rate mu > 0, an ExactLaw or a Service; got {law!r}")


def _right_end(svc: Service, a2: Fraction, xstar: Fraction, A2: Any, X: Any, D: Any) -> tuple[Fraction, list[Any]]:
    """``(L, tails)``: the support's end (no tail), or ``L`` with upper bounds on the four integrals over ``[L, inf)``.

    For ``x >= L > x*``: ``sqrt q <= sqrt(a2) x + sqrt(a2)|x*| + sqrt(delta)`` and
    ``1/sqrt q <= 1/(sqrt(a2) (L - x*))``, so the tails are at most
    ``sqrt(a2) E[X; X > L] + (sqrt(a2)|x*| + sqrt(delta)) P(X > L)`` and
    ``E[X^j; X > L] / (sqrt(a2) (L - x*))``.  ``L`` doubles until every bound
    is negligible (or ``L > 2^64``; the bound is used as it stands).
    """
    from flint import arb

    sc = svc.scale
    end = svc.support_end
    if end is not None:
        return end, [arb(0)] * 4
    sA2, sD = A2.sqrt(), D.sqrt()
    L = max(90 * sc, xstar + 1 + 10 * sc)
    while True:
        La = _arb(L)
        t0, t1 = svc.tail(0, La), svc.tail(1, La)
        r = 1 / (sA2 * (La - X))
        tails = [sA2 * t1 + (sA2 * abs(X) + sD) * t0, t0 * r, t1 * r, svc.tail(2, La) * r]
        if all(t.upper() < _arb(_NEGLIGIBLE * max(Fraction(1), a2 * sc * sc)) for t in tails) or L > 2**64 * sc:
            return L, tails
        L *= 2


def _left_end(svc: Service, A2: Any, X: Any, D: Any) -> tuple[Fraction, list[Any]]:
    """``(lo, head)``: ``lo = 0`` (density analytic at 0), or ``eps`` with the four integrals over ``[0, eps]`` enclosed.

    On ``[0, eps]`` each integral is ``int g dF`` with ``g`` the integrand's
    factor beside the density, so it lies in ``g([0, eps]) F(eps)`` (``g``
    evaluated on the ball ``[0, eps]``); ``eps`` shrinks until ``F(eps)`` is
    negligible.
    """
    from flint import arb

    if svc.law.analytic_at_zero:
        return Fraction(0), [arb(0)] * 4
    sc = svc.scale
    eps = sc / 16
    while not svc.cdf(_arb(eps)).upper() < _arb(_NEGLIGIBLE) and eps > sc / 2**400:
        eps /= 16
    ball = arb(_arb(eps / 2), _arb(eps / 2))  # [0, eps]
    qb = A2 * (ball - X) ** 2 + D
    Fe = svc.cdf(_arb(eps))
    return eps, [qb.sqrt() * Fe, Fe / qb.sqrt(), ball * Fe / qb.sqrt(), ball * ball * Fe / qb.sqrt()]


def quadratic_moments(law: Any, a2: Fraction, xstar: Fraction, delta: Fraction) -> tuple[Any, Any, Any, Any]:
    """Enclosures of ``E[sqrt q]`` and ``E[X^j / sqrt q]`` (``j = 0, 1, 2``).

    ``law`` is an exponential rate ``mu`` (a Fraction), an
    :class:`~proofs.exact.laws.ExactLaw` or a :class:`Service`;
    ``q(x) = a2 (x - x*)^2 + delta`` with ``a2 > 0``, ``delta > 0`` (exact
    rationals).  The integral over ``[lo, L]`` is ``acb.integral`` on panels
    that shrink geometrically towards ``x*`` (the branch points of ``sqrt q``
    sit at ``x* +- i sqrt(delta/a2)``) and grow geometrically towards ``L``
    (heavy tails).  ``lo = 0`` when the density is analytic at 0; otherwise
    (lognormal, Weibull: ``log x`` in the density) ``lo = eps`` with
    ``F(eps)`` negligible, geometric panels towards ``eps``, and ``[0, eps]``
    enclosed by the ball ``g([0, eps]) F(eps)`` (``g`` the integrand's factor
    beside the density).  The tail ``[L, inf)`` is bounded with the partial
    moments: ``sqrt q <= sqrt(a2) (x + |x*|) + sqrt(delta)`` and, for
    ``x >= L > x*``, ``1/sqrt q <= 1/(sqrt(a2) (L - x*))``.  A bounded
    support (uniform) is integrated up to its end.

    >>> J, I0, I1, I2 = quadratic_moments(Fraction(1), Fraction(1), Fraction(0), Fraction(1, 10**30))
    >>> abs(float(J.mid()) - 1.0) < 1e-12      # sqrt q = x: E[X] = 1
    True
    """
    from flint import acb, arb

    if not (a2 > 0 and delta > 0):
        raise CertificateError(f"quadratic must have a2 > 0 and delta > 0; got a2 = {a2}, delta = {delta}")
    svc = _as_service(law)
    sc = svc.scale
    with working_precision(PREC):
        A2, X, D = _arb(a2), _arb(xstar), _arb(delta)
        L, tails = _right_end(svc, a2, xstar, A2, X, D)
        lo, head = _left_end(svc, A2, X, D)
        # ---- panels
        width = delta / a2  # (half-width of the turn)^2
        d = Fraction(1)
        while d * d > width and d > Fraction(1, 2**200):
            d /= 2
        pts = {lo, L}
        if lo < xstar < L:
            pts.add(xstar)
        off = d
        while off < L:
            for pt in (xstar - off, xstar + off):
                if lo < pt < L:
                    pts.add(pt)
            off *= 2
        if lo > 0:
            g = lo * 4
            while g < min(pts - {lo}):
                pts.add(g)
                g *= 4
        g = 16 * sc
        while g < L:  # geometric panels out to L (heavy tails)
            pts.add(g)
            g *= 2
        pts_sorted = sorted(pts)
        dens = svc.density()

        def integrand(j: int):  # noqa: ANN202
            def f(z, analytic):  # noqa: ANN001, ANN202
                w = z - X
                q = A2 * w * w + D
                e = dens(z, analytic)
                if j < 0:
                    return q.sqrt(analytic=analytic) * e
                return q.rsqrt(analytic=analytic) * e * (z**j if j else 1)

            return f

        out = []
        for idx, j in enumerate((-1, 0, 1, 2)):
            tot = acb(0)
            f = integrand(j)
            for a, b in zip(pts_sorted, pts_sorted[1:]):
                tot += acb.integral(f, _arb(a), _arb(b))
            val = tot.real + head[idx]
            if not val.is_finite():
                raise CertificateError("rigorous quadrature did not converge (turn too sharp for the working precision)")
            tail_up = tails[idx].upper()
            out.append(val + arb(tail_up / 2, tail_up / 2))
        return tuple(out)


def _read_quadratic(obj: Any, name: str) -> tuple[Fraction, Fraction, Fraction]:
    if not isinstance(obj, dict):
        raise CertificateFormatError(f"field {name!r} must be an object {{a2, xstar, delta}}")
    a2 = parse_fraction(obj.get("a2"), f"{name}.a2")
    xs = parse_fraction(obj.get("xstar"), f"{name}.xstar")
    de = parse_fraction(obj.get("delta"), f"{name}.delta")
    if not (a2 > 0 and de > 0):
        raise CertificateError(f"{name}: need a2 > 0 and delta > 0 (a positive quadratic); got a2 = {a2}, delta = {de}")
    return a2, xs, de


# --------------------------------------------------------------------------- dual bounds

def _support(s: SystemData, w0: Fraction, w1: Fraction):  # noqa: ANN202
    """Enclosure of ``h(w) = E|w0 + w1 X|``.

    ``E|X - r| = r - m1 + 2 (E[X; X > r] - r P(X > r))`` for ``r > 0`` (the
    law's partial moments); ``X >= 0`` makes ``w0 + w1 X`` of one sign when
    ``r = -w0/w1 <= 0``.
    """
    if w1 == 0:
        return _arb(abs(w0))
    r = -w0 / w1
    if r <= 0:
        return _arb(abs(w0 + w1 * s.m1))
    R = _arb(r)
    svc = s.service
    return _arb(abs(w1)) * (R - _arb(s.m1) + 2 * (svc.tail(1, R) - R * svc.tail(0, R)))


def _b1_enclosure(s: SystemData, u: Fraction, t: Any = None):  # noqa: ANN202
    """``b1(u) = E[sgn(Y - t) Y] = 2 E[Y; Y > t] - m1`` at ``u = F(t)`` (``t`` = the quantile ball, if known)."""
    if u == 1:
        return _arb(-s.m1)
    if u == 0:
        return _arb(s.m1)
    if t is None:
        t = s.service.ppf(u)
    return 2 * s.service.tail(1, t) - _arb(s.m1)


def _piece_sag(s: SystemData, ulo: Fraction, uhi: Fraction, tlo: Any, thi: Any) -> Fraction | None:
    """``(u1 - u0)^2 / (4 f_lo)``, the chord error of the concave ``b1`` on ``[u0, u1]`` (lemma S3), or ``None``.

    ``b1''(u) = -2 / f(F^{-1}(u))``; ``f_lo`` is the lower end of the density's
    enclosure on the hull of ``F^{-1}(u0)`` and ``F^{-1}(u1)``.  ``None`` when
    that is not positive (``f(0) = 0`` or a singular density at 0, or
    ``u1 = 1``): the caller then uses the bounding box.
    """
    if uhi >= 1:
        return None
    f_lo = s.service.pdf_lower(tlo.union(thi))
    if f_lo is None:
        return None
    return (uhi - ulo) ** 2 / (4 * f_lo)


def _classical_bias_upper(s: SystemData, nu: Fraction, breaks: list[Fraction]) -> tuple[Fraction, int, int]:
    """``max over pieces`` of a vertex bound of the convex ``h(M b)`` (lemma S3).

    On a piece ``[u0, u1]`` of ``u = F(t)``, ``b0 = 1 - 2u`` is linear and
    ``b1`` concave with ``|b1''| = 2/f(F^{-1}(u)) <= 2/f_lo``, so the curve
    lies between its chord and the chord raised by
    ``s = (u1 - u0)^2 / (4 f_lo)``: a trapezoid whose four vertices bound
    ``h(M b)``.  Where the density has no positive lower bound on the piece
    (``u1 = 1``; ``u0 = 0`` for a density vanishing or singular at 0) the
    bounding box is used: both ``b0`` and ``b1`` decrease in ``u``.
    Returns ``(bound, worst piece, number of box pieces)``.
    """
    from flint import arb

    (m00, m01), (m10, m11) = s.matrix(nu)
    with working_precision(PREC):
        ts = [arb(0) if u == 0 else (None if u == 1 else s.service.ppf(u)) for u in breaks]
        b1s = [_b1_enclosure(s, u, t) for u, t in zip(breaks, ts)]
        ends = [(_down(b), _up(b)) for b in b1s]
        best = Fraction(-1)
        worst = -1
        boxes = 0
        for k in range(len(breaks) - 1):
            ulo, uhi = breaks[k], breaks[k + 1]
            verts: tuple[tuple[Fraction, Fraction], ...]
            sag = None if uhi >= 1 else _piece_sag(s, ulo, uhi, ts[k], ts[k + 1])
            if sag is not None:
                verts = ((1 - 2 * ulo, ends[k][0]), (1 - 2 * uhi, ends[k + 1][0]),
                         (1 - 2 * ulo, ends[k][1] + sag), (1 - 2 * uhi, ends[k + 1][1] + sag))
            else:
                # both moments of b(t) = (1 - 2u, b1(u)) decrease in u: the bounding box
                boxes += 1
                verts = tuple((b0, b1) for b0 in (1 - 2 * uhi, 1 - 2 * ulo) for b1 in (ends[k + 1][0], ends[k][1]))
            for b0, b1 in verts:
                val = _up(_support(s, m00 * b0 + m01 * b1, m10 * b0 + m11 * b1))
                if val > best:
                    best, worst = val, k
        return best, worst, boxes


def _quantum_bias_upper(s: SystemData, nu: Fraction, qa: tuple, qb: tuple) -> tuple[Fraction, Fraction]:
    """``E[alpha] + E[beta]`` once ``lambda_max(A M B M^T) <= 4`` is proved (lemma S4: every quantum strategy)."""
    Ja, A0, A1, A2 = quadratic_moments(s.service, *qa)
    Jb, B0, B1, B2 = quadratic_moments(s.service, *qb)

    def psd_upper(i0, i1, i2) -> tuple[tuple[Fraction, Fraction], tuple[Fraction, Fraction]]:  # noqa: ANN001
        mids = [_exact(x.mid()) for x in (i0, i1, i2)]
        rads = [_up(x) - _exact(x.mid()) for x in (i0, i1, i2)]
        # Gershgorin: the error matrix has spectral radius <= its largest absolute row sum
        g = max(rads[0] + rads[1], rads[1] + rads[2])
        return ((mids[0] + g, mids[1]), (mids[1], mids[2] + g))

    Au = psd_upper(A0, A1, A2)
    Bu = psd_upper(B0, B1, B2)
    M = s.matrix(nu)

    def mul(P, Q):  # noqa: ANN001, ANN202
        return tuple(tuple(sum(P[i][k] * Q[k][j] for k in range(2)) for j in range(2)) for i in range(2))

    Mt = ((M[0][0], M[1][0]), (M[0][1], M[1][1]))
    N = mul(mul(mul(Au, M), Bu), Mt)
    tr = N[0][0] + N[1][1]
    det = N[0][0] * N[1][1] - N[0][1] * N[1][0]
    # eigenvalues of N are real and >= 0 (similar to a PSD matrix); both <= 4 iff tr <= 8 and (4 - l1)(4 - l2) >= 0
    if not (tr <= 8 and 16 - 4 * tr + det >= 0):
        raise CertificateError(f"lambda_max(A M B M^T) is not proved <= 4 (trace {float(tr):.12g}, 16 - 4 tr + det = {float(16 - 4 * tr + det):.3e})")
    return _up(Ja) + _up(Jb), tr


def check_system_dual(cert: dict[str, Any], source: str) -> Bound:
    """Verify a ``"system-dual"`` certificate: ``p_split >= p_split_lower`` for its class (lemma S1).

    >>> from proofs.exact.errors import CertificateFormatError
    >>> try:
    ...     check_system_dual({"schema": 2, "kind": "system-dual", "N": None, "side": "lower", "model": "both"}, "x")
    ... except CertificateFormatError as e:
    ...     print(e)
    field 'model' must be one of ('classical', 'quantum'); got 'both'
    """
    model = _model(cert, "system-dual", "lower")
    _noiseless(cert)
    s = system_data(cert.get("game"))
    nu = parse_fraction(cert.get("nu"), "nu")
    if nu < 0:
        raise CertificateFormatError(f"field 'nu' must be >= 0; got {nu}")
    details: dict[str, Any] = {"nu": nu}
    if model == "classical":
        raw = cert.get("breaks")
        if not isinstance(raw, list) or not 2 <= len(raw) <= _MAX_BREAKS:
            got = f"{len(raw)} entries" if isinstance(raw, list) else type(raw).__name__
            raise CertificateFormatError(f"field 'breaks' must be a list of 2..{_MAX_BREAKS} rationals; got {got}")
        breaks = [parse_fraction(b, "breaks") for b in raw]
        if breaks[0] != 0 or breaks[-1] != 1 or any(b >= c for b, c in zip(breaks, breaks[1:])):
            raise CertificateError("'breaks' must increase strictly from 0 to 1 (a partition of u = F(t))")
        bias, piece, boxes = _classical_bias_upper(s, nu, breaks)
        details.update(pieces=len(breaks) - 1, worst_piece=piece, box_pieces=boxes)
    else:
        qa = _read_quadratic(cert.get("alpha"), "alpha")
        qb = _read_quadratic(cert.get("beta"), "beta")
        bias, _ = _quantum_bias_upper(s, nu, qa, qb)
    # an upper bound on p_bunch: the budget's upper end (nu >= 0)
    p_bunch_up = nu * s.budget_range[1] + (s.mean_kernel(nu) + bias) / 2
    proven = 1 - p_bunch_up
    claimed = parse_fraction(cert.get("bound"), "bound")
    if claimed > proven:
        raise CertificateError(f"claimed p_split lower bound {float(claimed):.12g} exceeds what the dual proves ({float(proven):.12g})")
    details.update(proven=proven, bias_upper=bias)
    return _issue("lower", claimed, s.target(model), source, f"proofs.checkers.system:check_system_dual (lemmas S1, {'S3' if model == 'classical' else 'S4'})", **details)


# --------------------------------------------------------------------------- strategies

def _threshold_moments(s: SystemData, obj: Any, name: str):  # noqa: ANN202
    """``(E[A], E[A X])`` of ``A = sign * sgn(X - t)``, ``u = F(t)`` (E[A] exact)."""
    if not isinstance(obj, dict):
        raise CertificateFormatError(f"field {name!r} must be an object {{u, sign}}")
    u = parse_fraction(obj.get("u"), f"{name}.u")
    sg = obj.get("sign")
    if sg not in (1, -1) or not 0 <= u <= 1:
        raise CertificateFormatError(f"{name}: need u in [0, 1] and sign +1 or -1; got u = {u}, sign = {sg!r}")
    return _arb(sg * (1 - 2 * u)), sg * _b1_enclosure(s, u)


def _planar_moments(s: SystemData, obj: Any, name: str):  # noqa: ANN202
    """``U0 = E[u(X)]``, ``U1 = E[X u(X)]`` of ``u(x) = (p0 + x p1)/|p0 + x p1|`` (2-vectors of balls)."""
    if not isinstance(obj, dict):
        raise CertificateFormatError(f"field {name!r} must be an object {{p0, p1}}")
    raw0, raw1 = obj.get("p0"), obj.get("p1")
    if not isinstance(raw0, (list, tuple)) or not isinstance(raw1, (list, tuple)):
        raise CertificateFormatError(f"{name}: 'p0' and 'p1' must be lists of two rationals")
    try:
        p0 = [parse_fraction(t, f"{name}.p0") for t in raw0]
        p1 = [parse_fraction(t, f"{name}.p1") for t in raw1]
    except TypeError as exc:
        raise CertificateFormatError(f"{name}: 'p0' and 'p1' must be lists of two rationals") from exc
    if len(p0) != 2 or len(p1) != 2:
        raise CertificateFormatError(f"{name}: 'p0' and 'p1' must be 2-vectors")
    a2 = p1[0] ** 2 + p1[1] ** 2
    cross = p0[0] * p1[1] - p0[1] * p1[0]
    if a2 == 0 or cross == 0:
        raise CertificateError(f"{name}: need p1 != 0 and p0, p1 linearly independent (a strictly turning measurement)")
    xs = -(p0[0] * p1[0] + p0[1] * p1[1]) / a2
    delta = cross * cross / a2
    _, I0, I1, I2 = quadratic_moments(s.service, a2, xs, delta)
    U0 = [_arb(p0[c]) * I0 + _arb(p1[c]) * I1 for c in range(2)]
    U1 = [_arb(p0[c]) * I1 + _arb(p1[c]) * I2 for c in range(2)]
    return U0, U1


def _is_threshold(obj: Any) -> bool:
    return isinstance(obj, dict) and "u" in obj


def check_system_strategy(cert: dict[str, Any], source: str) -> Bound:
    """Verify a ``"system-strategy"`` certificate: the mixture meets ``W_limit`` and ``p_split <= p_split_upper`` (lemma S5).

    >>> cert = {"kind": "system-strategy", "model": "classical",
    ...         "schema": 2, "N": None, "side": "upper", "bound": "1",
    ...         "game": {"type": "system", "law": "exponential", "lam": "3/5", "mu": "1", "W_limit": "3/2"},
    ...         "components": [{"weight": "1", "a": {"u": "0", "sign": 1}, "b": {"u": "0", "sign": -1}}]}
    >>> b = check_system_strategy(cert, "demo")     # always split: W_q = W_0 = 3/2
    >>> b.side, b.value
    ('upper', Fraction(1, 1))
    """
    from flint import arb

    model = _model(cert, "system-strategy", "upper")
    s = system_data(cert.get("game"))
    comps = cert.get("components")
    if not isinstance(comps, list) or not 1 <= len(comps) <= _MAX_COMPONENTS or not all(isinstance(c, dict) for c in comps):
        got = f"{len(comps)} entries" if isinstance(comps, list) else type(comps).__name__
        raise CertificateFormatError(f"field 'components' must be a list of 1..{_MAX_COMPONENTS} objects {{weight, a, b}}; got {got}")
    vis = _visibility(cert) if model == "quantum" else Fraction(1)
    werner = _werner_supply(cert, model, vis)
    weights = [parse_fraction(c.get("weight"), "weight") for c in comps]
    if any(w < 0 for w in weights) or sum(weights) != 1:
        raise CertificateError(f"component weights must be >= 0 and sum to 1 exactly; got sum {sum(weights)}")
    entangled = sum((w for w, c in zip(weights, comps) if model == "quantum" and not (_is_threshold(c.get("a")) and _is_threshold(c.get("b")))),
                    Fraction(0))
    if werner is not None and entangled > werner[1]:
        raise CertificateError(f"the planar (entangled) components weigh {entangled}, more than the share f = {werner[1]} of pairs with a Werner pair")
    with working_precision(PREC):
        bunch = arb(0)
        cost = arb(0)
        for w, c in zip(weights, comps):
            if model == "classical" or (_is_threshold(c.get("a")) and _is_threshold(c.get("b"))):
                # a classical pair (a quantum model may use one: local strategies are quantum strategies)
                a0, a1 = _threshold_moments(s, c.get("a"), "a")
                b0, b1 = _threshold_moments(s, c.get("b"), "b")
                e00, e11, e10, e01 = a0 * b0, a1 * b1, a1 * b0, a0 * b1
            else:
                U0, U1 = _planar_moments(s, c.get("a"), "a")
                V0, V1 = _planar_moments(s, c.get("b"), "b")
                dot = lambda P, Q: P[0] * Q[0] + P[1] * Q[1]  # noqa: E731
                e00, e11, e10, e01 = (_arb(vis) * dot(P, Q) for P, Q in ((U0, V0), (U1, V1), (U1, V0), (U0, V1)))
            # E[beta] = 1/2 + E[E]/2; E[beta c] = E[c]/2 + (kappa E[X1 X2 E] + (E[X1 E] + E[X2 E])/4)/2
            bunch += _arb(w) * (1 + e00) / 2
            cost += _arb(w) * (_arb(s.mean_cost) + _arb(s.kappa) * e11 + (e10 + e01) / 4) / 2
        cost_up = _up(cost)
        bunch_lo = _down(bunch)
    # feasibility against the budget's lower end (W_0's upper end)
    if cost_up > s.budget_range[0]:
        raise CertificateError(f"the strategy's W_q is not proved <= W_limit: W_q <= {float(s.W0_range[1] + cost_up):.12g}, limit {float(s.W_limit):.12g}")
    proven = 1 - bunch_lo
    claimed = parse_fraction(cert.get("bound"), "bound")
    if claimed < proven:
        raise CertificateError(f"claimed p_split upper bound {float(claimed):.12g} is below the strategy's enclosed p_split ({float(proven):.12g})")
    target = s.target(model) if werner is None else werner_system_target(s.target(model), *werner)
    return _issue(
        "upper", claimed, target, source, "proofs.checkers.system:check_system_strategy (lemma S5" + (", W4: a Werner supply strategy" if werner else "") + ")",
        proven=proven, wq_upper=s.W0_range[1] + cost_up, components=len(comps), entangled_weight=entangled,
    )
