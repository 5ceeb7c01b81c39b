"""Checkers of the system-level certificates: bounds on the split probability ``p_split``.

The system is the paper's two-server model with exponential service of rate
``mu``, pair rate ``lam`` and the waiting-time limit ``W_q <= W_limit``
(random order inside a bunched pair).  The quantity bounded is the smallest
``p_split`` a class of routers (``"classical"``: local with shared randomness;
``"quantum"``: shared entanglement, local measurements) needs to meet the
limit.  Every number is rebuilt here from the exact rationals of the
certificate; integrals are enclosed with python-flint ``arb`` (rigorous
quadrature ``acb.integral`` plus explicit tail bounds).  See
``proofs/lemmas_system.md`` for the lemmas S1-S5 cited below.

Both kinds use the schema-2 header (:mod:`proofs.exact.certificate`):
``schema``, ``kind``, ``game`` = ``{"type": "system", "law": "exponential",
"lam", "mu", "W_limit", "order": "random"}`` (exact rationals), ``N`` = null
(continuum), ``side`` and ``bound`` -- here a bound on ``p_split``, not on a
winning probability.

``"system-dual"`` -- lower bound on ``p_split`` (lemma S1, weak duality):
    for any ``nu >= 0``, ``p_split >= 1 - nu (W_limit - W_0) - E[k]/2 - G/2``
    with ``G`` an upper bound on the XOR-game bias of the kernel
    ``k = [1, x] M(nu) [1, y]^T``.

    * classical (lemma S3): ``G = max over thresholds t of h(M b(t))`` with
      ``h(w) = E|w0 + w1 X|``; the certificate lists a partition of
      ``u = F(t)`` in ``[0, 1]``; on each piece ``b(t)`` lies in a box and the
      convex ``h(M b)`` is at most its largest value at the vertices of a
      trapezoid around the curve piece (chord plus curvature bound).
    * quantum (lemma S4): dual functions ``alpha = sqrt(q_a)``,
      ``beta = sqrt(q_b)`` (quadratics ``a2 (x - x*)^2 + delta``); if
      ``lambda_max(A M B M^T) <= 4`` with ``A >= E[phi phi^T / alpha]`` (PSD
      order), then ``G <= visibility * (E[alpha] + E[beta])``.

``"system-strategy"`` -- upper bound on ``p_split`` (lemma S5): a mixture
    (rational weights) of explicit router pairs -- threshold pairs or planar
    (qubit XY-plane) measurement pairs -- whose enclosed ``W_q`` is at most
    ``W_limit``; its ``p_split`` is then an upper bound on the optimum.

No solver output is trusted.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from proofs.bound import Bound, Target, _issue
from proofs.exact.certificate import check_kind
from proofs.exact.errors import CertificateError, CertificateFormatError
from proofs.exact.rational import parse_fraction

__all__ = ["SystemData", "check_system_dual", "check_system_strategy", "quadratic_moments", "system_data", "system_game"]

PREC = 100  #: working precision (bits) of every arb computation here
MODELS = ("classical", "quantum")
_MAX_BREAKS = 200_000


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


class SystemData:
    """Exact constants of one operating point (exponential law, random order).

    >>> s = system_data({"type": "system", "law": "exponential", "lam": "3/5", "mu": "1", "W_limit": "33/20"})
    >>> s.W0, s.kappa, s.budget, s.mean_cost
    (Fraction(3, 2), Fraction(3, 4), Fraction(3, 20), Fraction(5, 4))
    """

    def __init__(self, lam: Fraction, mu: Fraction, w_limit: Fraction) -> None:
        self.lam, self.mu, self.W_limit = lam, mu, w_limit
        self.m1 = 1 / mu
        self.m2 = 2 / mu**2
        self.rho = lam * self.m1
        self.kappa = lam / (2 * (1 - self.rho))
        self.W0 = lam * self.m2 / (2 * (1 - self.rho))  # every pair split
        self.budget = w_limit - self.W0
        self.mean_cost = self.kappa * self.m1**2 + self.m1 / 2  # E[c]

    def matrix(self, nu: Fraction) -> tuple[tuple[Fraction, Fraction], tuple[Fraction, Fraction]]:
        """``M(nu) = [[1, -nu/4], [-nu/4, -nu kappa]]`` (symmetric)."""
        return ((Fraction(1), -nu / 4), (-nu / 4, -nu * self.kappa))

    def mean_kernel(self, nu: Fraction) -> Fraction:
        """``E[k] = 1 - nu E[c]``."""
        return 1 - nu * self.mean_cost

    def describe(self) -> dict[str, str]:
        """The certificate's ``game`` object."""
        return {"type": "system", "law": "exponential", "lam": _s(self.lam), "mu": _s(self.mu), "W_limit": _s(self.W_limit), "order": "random"}

    def target(self, model: str) -> Target:
        return Target({**self.describe(), "quantity": "p_split"}, None, model)  # type: ignore[arg-type]


def _s(f: Fraction) -> str:
    return f"{f.numerator}/{f.denominator}"


def system_game(lam: Fraction, mu: Fraction, w_limit: Fraction) -> dict[str, str]:
    """The ``game`` object of a system certificate.

    >>> system_game(Fraction(3, 5), Fraction(1), Fraction(33, 20))["W_limit"]
    '33/20'
    """
    return SystemData(lam, mu, w_limit).describe()


def system_data(desc: Any) -> SystemData:
    """Read and validate a certificate's ``game`` object (type ``"system"``)."""
    if not isinstance(desc, dict) or desc.get("type") != "system":
        raise CertificateFormatError("certificate field 'game' must be an object {type: 'system', law, lam, mu, W_limit}")
    if desc.get("law") != "exponential":
        raise CertificateFormatError(f"system certificates support the exponential law only; got law {desc.get('law')!r}")
    if desc.get("order", "random") != "random":
        raise CertificateFormatError(f"system certificates support random order inside a bunched pair only; got {desc.get('order')!r}")
    lam = parse_fraction(desc.get("lam"), "lam")
    mu = parse_fraction(desc.get("mu"), "mu")
    wl = parse_fraction(desc.get("W_limit"), "W_limit")
    if lam <= 0 or mu <= 0:
        raise CertificateFormatError(f"`lam` and `mu` must be positive; got {lam}, {mu}")
    if lam / mu >= 1:
        raise CertificateFormatError(f"`rho` = lam/mu must be < 1; got {lam / mu}")
    if wl < 0:
        raise CertificateFormatError(f"`W_limit` must be >= 0; got {wl}")
    return SystemData(lam, mu, wl)


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


# --------------------------------------------------------------------------- integrals

def quadratic_moments(mu: Fraction, a2: Fraction, xstar: Fraction, delta: Fraction) -> tuple[Any, Any, Any, Any]:
    """Enclosures of ``E[sqrt q]`` and ``E[X^j / sqrt q]`` (``j = 0, 1, 2``), ``X ~ Exp(mu)``.

    ``q(x) = a2 (x - x*)^2 + delta`` with ``a2 > 0``, ``delta > 0`` (exact
    rationals).  ``[0, L]`` is integrated by ``acb.integral`` on panels
    that shrink geometrically towards ``x*`` (the branch points of
    ``sqrt q`` sit at ``x* +- i sqrt(delta/a2)``); the tail ``[L, inf)``,
    ``mu L >= 90``, is bounded by ``sqrt q <= sqrt(a2) x + sqrt(a2)|x*| +
    sqrt(delta)`` and ``1/sqrt q <= 1/(sqrt(a2) (L - x*))``.

    >>> J, I0, I1, I2 = quadratic_moments(Fraction(1), Fraction(1), Fraction(0), Fraction(1, 10**30))
    >>> abs(float(J.mid()) - 1.0) < 1e-12      # sqrt q = x: E[X] = 1
    True
    """
    from flint import acb, arb, ctx

    if not (a2 > 0 and delta > 0 and mu > 0):
        raise CertificateError(f"quadratic must have a2 > 0 and delta > 0; got a2 = {a2}, delta = {delta}")
    old = ctx.prec
    ctx.prec = PREC
    try:
        A2, X, D, MU = _arb(a2), _arb(xstar), _arb(delta), _arb(mu)
        L = max(Fraction(90) / mu, xstar + 1 + Fraction(10) / mu)
        width = delta / a2  # (half-width of the turn)^2
        d = Fraction(1)
        while d * d > width and d > Fraction(1, 2**200):
            d /= 2
        pts = {Fraction(0), L}
        if 0 < xstar < L:
            pts.add(xstar)
        off = d
        while off < L:
            for p in (xstar - off, xstar + off):
                if 0 < p < L:
                    pts.add(p)
            off *= 2
        pts_sorted = sorted(pts)

        def integrand(j: int):  # noqa: ANN202
            def f(z, analytic):  # noqa: ANN001, ANN202
                w = z - X
                q = A2 * w * w + D
                e = MU * (-MU * z).exp()
                if j < 0:
                    return q.sqrt(analytic=analytic) * e
                return q.rsqrt(analytic=analytic) * e * (z**j if j else 1)

            return f

        out = []
        for j in (-1, 0, 1, 2):
            tot = acb(0)
            f = integrand(j)
            for lo, hi in zip(pts_sorted, pts_sorted[1:]):
                tot += acb.integral(f, _arb(lo), _arb(hi))
            val = tot.real
            if not val.is_finite():
                raise CertificateError("rigorous quadrature did not converge (turn too sharp for the working precision)")
            La = _arb(L)
            eL = (-MU * La).exp()
            if j < 0:
                c1 = A2.sqrt()
                c0 = c1 * abs(X) + D.sqrt()
                tail = eL * (c0 + c1 * (La + 1 / MU))
            else:
                r = 1 / (A2.sqrt() * (La - X))
                mom = (arb(1), La + 1 / MU, La * La + 2 * La / MU + 2 / MU**2)[j]
                tail = eL * mom * r
            tail_up = tail.upper()
            out.append(val + arb(tail_up / 2, tail_up / 2))
        return tuple(out)  # type: ignore[return-value]
    finally:
        ctx.prec = old


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
    """Enclosure of ``h(w) = E|w0 + w1 X|`` (exponential law)."""
    if w1 == 0:
        return _arb(abs(w0))
    r = -w0 / w1
    if r <= 0:
        return _arb(abs(w0 + w1 * s.m1))
    # E|X - r| = r - 1/mu + 2 e^{-mu r}/mu
    return _arb(abs(w1)) * (_arb(r) - _arb(s.m1) + 2 * (-_arb(s.mu * r)).exp() * _arb(s.m1))


def _b1_enclosure(s: SystemData, u: Fraction):  # noqa: ANN202
    """``E[sgn(Y - t) Y] = 2 (t + 1/mu)(1 - u) - 1/mu`` at ``u = F(t)``."""
    if u == 1:
        return _arb(-s.m1)
    t = -(_arb(1 - u)).log() * _arb(s.m1)
    return 2 * (t + _arb(s.m1)) * _arb(1 - u) - _arb(s.m1)


def _classical_bias_upper(s: SystemData, nu: Fraction, breaks: list[Fraction]) -> tuple[Fraction, int]:
    """``max over pieces`` of a vertex bound of the convex ``h(M b)`` (lemma S3).

    On a piece ``[u0, u1]`` of ``u = F(t)``, ``b0 = 1 - 2u`` is linear and
    ``b1`` concave with ``|b1''| = 2/(mu (1 - u)) <= 2/(mu (1 - u1))``, so the
    curve lies between its chord and the chord raised by
    ``s = (u1 - u0)^2 / (4 mu (1 - u1))``: a trapezoid whose four vertices
    bound ``h(M b)``.  The last piece (``u1 = 1``) uses the bounding box.
    """
    from flint import ctx

    (m00, m01), (m10, m11) = s.matrix(nu)
    old = ctx.prec
    ctx.prec = PREC
    try:
        ends = [(_down(_b1_enclosure(s, u)), _up(_b1_enclosure(s, u))) for u in breaks]
        best = Fraction(-1)
        worst = -1
        for k in range(len(breaks) - 1):
            ulo, uhi = breaks[k], breaks[k + 1]
            verts: tuple[tuple[Fraction, Fraction], ...]
            if uhi < 1:
                sag = (uhi - ulo) ** 2 / (4 * s.mu * (1 - uhi))
                verts = ((1 - 2 * ulo, ends[k][0]), (1 - 2 * uhi, ends[k + 1][0]),
                         (1 - 2 * ulo, ends[k][1] + sag), (1 - 2 * uhi, ends[k + 1][1] + sag))
            else:
                # both moments of b(t) = (1 - 2u, b1(u)) decrease in u: the bounding box
                verts = tuple((b0, b1) for b0 in (1 - 2 * uhi, 1 - 2 * ulo) for b1 in (ends[k + 1][0], ends[k][1]))
            for b0, b1 in verts:
                val = _up(_support(s, m00 * b0 + m01 * b1, m10 * b0 + m11 * b1))
                if val > best:
                    best, worst = val, k
        return best, worst
    finally:
        ctx.prec = old


def _quantum_bias_upper(s: SystemData, nu: Fraction, qa: tuple, qb: tuple, vis: Fraction) -> tuple[Fraction, Fraction]:
    """``visibility * (E[alpha] + E[beta])`` once ``lambda_max(A M B M^T) <= 4`` is proved (lemma S4)."""
    Ja, A0, A1, A2 = quadratic_moments(s.mu, *qa)
    Jb, B0, B1, B2 = quadratic_moments(s.mu, *qb)

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
    return vis * (_up(Ja) + _up(Jb)), tr


def check_system_dual(cert: dict[str, Any], source: str) -> Bound:
    """Verify a ``"system-dual"`` certificate: ``p_split >= p_split_lower`` for its class (lemma S1).

    >>> from proofs.errors import CertificateFormatError
    >>> try:
    ...     check_system_dual({"schema": 2, "kind": "system-dual", "N": None, "side": "lower", "model": "both"}, "x")
    ... except CertificateFormatError as e:
    ...     print(e)
    field 'model' must be one of ('classical', 'quantum'); got 'both'
    """
    model = _model(cert, "system-dual", "lower")
    s = system_data(cert.get("game"))
    nu = parse_fraction(cert.get("nu"), "nu")
    if nu < 0:
        raise CertificateFormatError(f"field 'nu' must be >= 0; got {nu}")
    details: dict[str, Any] = {"nu": nu}
    if model == "classical":
        raw = cert.get("breaks")
        if not isinstance(raw, list) or not 2 <= len(raw) <= _MAX_BREAKS:
            raise CertificateFormatError(f"field 'breaks' must be a list of 2..{_MAX_BREAKS} rationals")
        breaks = [parse_fraction(b, "breaks") for b in raw]
        if breaks[0] != 0 or breaks[-1] != 1 or any(b >= c for b, c in zip(breaks, breaks[1:])):
            raise CertificateError("'breaks' must increase strictly from 0 to 1 (a partition of u = F(t))")
        bias, piece = _classical_bias_upper(s, nu, breaks)
        details.update(pieces=len(breaks) - 1, worst_piece=piece)
    else:
        qa = _read_quadratic(cert.get("alpha"), "alpha")
        qb = _read_quadratic(cert.get("beta"), "beta")
        vis = _visibility(cert)
        bias, _ = _quantum_bias_upper(s, nu, qa, qb, vis)
        details["visibility"] = vis
    p_bunch_up = nu * s.budget + (s.mean_kernel(nu) + bias) / 2
    proven = 1 - p_bunch_up
    claimed = parse_fraction(cert.get("bound"), "bound")
    if claimed > proven:
        raise CertificateError(f"claimed p_split lower bound {float(claimed):.12g} exceeds what the dual proves ({float(proven):.12g})")
    details.update(proven=proven, bias_upper=bias)
    return _issue("lower", claimed, s.target(model), source, f"proofs.check_system:check_system_dual (lemmas S1, {'S3' if model == 'classical' else 'S4'})", **details)


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
    _, I0, I1, I2 = quadratic_moments(s.mu, a2, xs, delta)
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
    from flint import arb, ctx

    model = _model(cert, "system-strategy", "upper")
    s = system_data(cert.get("game"))
    comps = cert.get("components")
    if not isinstance(comps, list) or not 1 <= len(comps) <= 16 or not all(isinstance(c, dict) for c in comps):
        raise CertificateFormatError("field 'components' must be a list of 1..16 objects {weight, a, b}")
    vis = _visibility(cert) if model == "quantum" else Fraction(1)
    weights = [parse_fraction(c.get("weight"), "weight") for c in comps]
    if any(w < 0 for w in weights) or sum(weights) != 1:
        raise CertificateError(f"component weights must be >= 0 and sum to 1 exactly; got sum {sum(weights)}")
    old = ctx.prec
    ctx.prec = PREC
    try:
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
    finally:
        ctx.prec = old
    if cost_up > s.budget:
        raise CertificateError(f"the strategy's W_q is not proved <= W_limit: W_q <= {float(s.W0 + cost_up):.12g}, limit {float(s.W_limit):.12g}")
    proven = 1 - bunch_lo
    claimed = parse_fraction(cert.get("bound"), "bound")
    if claimed < proven:
        raise CertificateError(f"claimed p_split upper bound {float(claimed):.12g} is below the strategy's enclosed p_split ({float(proven):.12g})")
    return _issue(
        "upper", claimed, s.target(model), source, "proofs.check_system:check_system_strategy (lemma S5)",
        proven=proven, wq_upper=s.W0 + cost_up, components=len(comps),
    )
