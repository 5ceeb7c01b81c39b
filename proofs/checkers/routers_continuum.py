"""Checker of ``"routers-continuum-dual"``: a lower bound on ``p_split`` of entangled K routers on the continuum (lemma R7).

The certificate (game object of :mod:`proofs.exact.routers_game`) carries

* ``nu >= 0`` (the multiplier of lemma R3), ``level`` ``"1+ab"`` or ``"1+ab+even"``
  (lemma R9: the weighted matrices' right block holds ``1``, the pair elements and the squares);
* ``directions``: a list of ``{alpha, beta, H}`` (exact rationals); the checker
  proves ``H >= h(alpha, beta) = E|alpha + beta X|`` from an arb enclosure of
  ``h`` (:func:`proofs.exact.contraction_moments.support_ball`) -- a larger
  ``H`` only weakens the constraint ``||alpha O^0 + beta O^1|| <= H``;
* ``weights`` (optional): a list of ``{omega, R}``: ``omega`` positive rationals
  on ``N`` equiprobable bins of ``F(x)``, ``R = [r00, r01, r11]``; the checker
  proves ``R - E[1/omega] E[omega (1, X)^T (1, X)] >= 0`` (arb enclosure of the
  bin moments; a larger ``R`` weakens the constraint);
* ``dual``: the moment matrix's dual ``Z`` (upper triangle, row-major),
  ``localizing``: per direction, per router, the localizing dual ``Y`` and
  ``weighted_duals``: per weight, per router, the dual of the weighted
  Cauchy-Schwarz matrix (upper triangles; side ``2 (1 + 2K) + 1`` at level
  ``"1+ab"``, ``2 (1 + 2K) + 1 + 4 C(K, 2) + 4K`` at ``"1+ab+even"``), all integers
  over ``2^dual_exponent``.

The checker rebuilds the moment structure and the objective's weights from
the operating point and ``nu`` (exact: ``A = [[2^(1-K), -nu/(4K)], [-nu/(4K),
-nu kappa/2]]``, four-body weight ``2^(1-K)``), proves every matrix PSD by
exact rational LDL^T, computes the moment sums ``s_w`` exactly and proves

``p_split >= 1 - C(nu) - (s_1 + sum_{w != 1} |c_w + s_w| m1^(#1 letters of w))``

for every strategy of the entangled class (any shared state, any local
measurements, service times on the continuum) with ``W_q <= W_limit``.
No solver output is trusted.  Imports only :mod:`proofs.exact` (and the target helper of
:mod:`proofs.checkers.routers_system`).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from proofs.checkers.bound import Bound, _issue
from proofs.checkers.routers_system import routers_target
from proofs.exact.certificate import check_kind, field_int, field_list
from proofs.exact.contraction_moments import (
    LEVELS,
    Direction,
    Weight,
    contraction_structure,
    dual_sums,
    objective_weights,
    proven_value,
    support_ball,
    weight_ball,
)
from proofs.exact.errors import CertificateError, CertificateFormatError
from proofs.exact.laws import working_precision
from proofs.exact.psd import exact_psd
from proofs.exact.rational import arb_fraction, parse_fraction
from proofs.exact.routers_game import MAX_ROUTER_BINS, PREC, RoutersPoint, lower_rational, read_point, upper_rational

__all__ = ["KIND", "MAX_DIRECTIONS", "MAX_WEIGHTS", "check_routers_continuum_dual"]

KIND = "routers-continuum-dual"
#: most directions (each adds K small localizing matrices)
MAX_DIRECTIONS = 1024
#: most weighted Cauchy-Schwarz constraints (each adds K matrices of side 4K + 3)
MAX_WEIGHTS = 256
#: largest ``dual_exponent``
MAX_EXPONENT = 200
#: dual entries are integers of magnitude below ``2^DUAL_BITS``
DUAL_BITS = 128


def _ints(raw: Any, length: int, what: str) -> list[int]:
    if not isinstance(raw, list) or len(raw) != length:
        raise CertificateFormatError(f"{what} must list {length} integers (an upper triangle); got {type(raw).__name__} of length "
                                     f"{len(raw) if isinstance(raw, list) else '-'}")
    if any(type(t) is not int or not -(2**DUAL_BITS) < t < 2**DUAL_BITS for t in raw):
        raise CertificateFormatError(f"entries of {what} must be JSON integers of magnitude below 2^{DUAL_BITS}")
    return raw


def _square(flat: list[int], n: int) -> list[list[int]]:
    m = [[0] * n for _ in range(n)]
    t = 0
    for a in range(n):
        for b in range(a, n):
            m[a][b] = m[b][a] = flat[t]
            t += 1
    return m


def _directions(cert: dict[str, Any], law: str, mu: Fraction | None) -> list[Direction]:
    raw = field_list(cert, "directions", max_length=MAX_DIRECTIONS)
    if not raw or not all(isinstance(d, dict) and set(d) == {"alpha", "beta", "H"} for d in raw):
        raise CertificateFormatError(f"field 'directions' must list 1..{MAX_DIRECTIONS} objects {{alpha, beta, H}}")
    out = []
    with working_precision(PREC):
        for k, d in enumerate(raw):
            alpha, beta, H = (parse_fraction(d[x], x) for x in ("alpha", "beta", "H"))
            if H < 0:
                raise CertificateFormatError(f"directions[{k}]: 'H' must be >= 0; got {H}")
            h_up = upper_rational(support_ball(law, mu, alpha, beta))
            if H < h_up:
                raise CertificateError(f"directions[{k}]: H = {float(H):.17g} is not proved >= h(alpha, beta) = E|alpha + beta X| "
                                       f"(enclosure up to {float(h_up):.17g}; alpha = {alpha}, beta = {beta})")
            out.append(Direction(alpha, beta, H))
    return out


def _weights(cert: dict[str, Any], point: RoutersPoint) -> list[Weight]:
    raw = cert.get("weights", [])
    if not isinstance(raw, list) or len(raw) > MAX_WEIGHTS or not all(isinstance(w, dict) and set(w) == {"omega", "R"} for w in raw):
        raise CertificateFormatError(f"field 'weights' must list at most {MAX_WEIGHTS} objects {{omega, R}}")
    out = []
    means: dict[int, list[Any]] = {}
    for k, w in enumerate(raw):
        om, r = w["omega"], w["R"]
        if not isinstance(om, list) or not 1 <= len(om) <= MAX_ROUTER_BINS or not isinstance(r, list) or len(r) != 3:
            raise CertificateFormatError(f"weights[{k}]: 'omega' must list 1..{MAX_ROUTER_BINS} rationals and 'R' three (r00, r01, r11)")
        omega = tuple(parse_fraction(v, "omega") for v in om)
        if any(v <= 0 for v in omega):
            raise CertificateFormatError(f"weights[{k}]: every 'omega' must be > 0; got min {min(omega)}")
        R = (parse_fraction(r[0], "R"), parse_fraction(r[1], "R"), parse_fraction(r[2], "R"))
        N = len(omega)
        if N not in means:
            means[N] = point.bin_means(N)
        with working_precision(PREC):
            b00, b01, b11 = weight_ball(point.law, point.mu, means[N], omega)
            d00, d01, d11 = arb_fraction(R[0]) - b00, arb_fraction(R[1]) - b01, arb_fraction(R[2]) - b11  # R - E[1/omega] E[omega v v^T] must be PSD
            det = d00 * d11 - d01 * d01
            ok = all(lower_rational(x) >= 0 for x in (d00, d11, det))
        if not ok:
            raise CertificateError(f"weights[{k}]: R is not proved >= E[1/omega] E[omega (1, X)^T (1, X)] (enclosure "
                                   f"[{float(b00.mid()):.12g}, {float(b01.mid()):.12g}, {float(b11.mid()):.12g}], R = {[float(x) for x in R]})")
        out.append(Weight(omega, R))
    return out


def check_routers_continuum_dual(cert: dict[str, Any], source: str) -> Bound:
    """Verify a ``"routers-continuum-dual"`` certificate: ``p_split >= bound`` for entangled routers on the continuum (lemma R7).

    >>> game = {"type": "routers", "K": "2", "law": "exponential", "lam": "3/5", "mu": "1", "W_limit": "33/20"}
    >>> cert = {"schema": 2, "kind": KIND, "game": game, "N": None, "side": "lower", "bound": "-1", "model": "quantum",
    ...         "level": "1+ab", "nu": "0", "dual_exponent": 0, "directions": [{"alpha": "1", "beta": "0", "H": "1"}],
    ...         "dual": [1] + [0] * 44, "localizing": [[[0] * 6, [0] * 6]]}
    >>> b = check_routers_continuum_dual(cert, "demo")   # nu = 0, Z = e_0 e_0^T: G = 1 + residual |1/2| on y(O_1^0 O_2^0)
    >>> b.details["proven"], b.details["residual"]
    (Fraction(-1, 1), Fraction(1, 2))
    """
    check_kind(cert, KIND)
    if cert.get("side") != "lower":
        raise CertificateFormatError(f"a {KIND!r} certificate proves a lower bound on p_split; field 'side' is {str(cert.get('side'))[:20]!r}")
    point = read_point(cert.get("game"))
    if cert.get("model") != "quantum":
        raise CertificateFormatError(f"field 'model' must be 'quantum' (the entangled class); got {str(cert.get('model'))[:30]!r}")
    if cert.get("N", "missing") is not None:
        raise CertificateFormatError("a routers-continuum-dual bounds the continuum: field 'N' must be null")
    level = cert.get("level")
    if level not in LEVELS:
        raise CertificateFormatError(f"field 'level' must be one of {LEVELS}; got {str(level)[:20]!r}")
    claimed = parse_fraction(cert.get("bound"), "bound")
    nu = parse_fraction(cert.get("nu"), "nu")
    if nu < 0:
        raise CertificateFormatError(f"field 'nu' must be >= 0; got {nu}")
    e = field_int(cert, "dual_exponent", 0, MAX_EXPONENT)
    cs = contraction_structure(point.K, level)
    dirs = _directions(cert, point.law, point.mu)
    n, m = cs.size, cs.local_size
    Z = _ints(cert.get("dual"), n * (n + 1) // 2, "field 'dual'")
    loc = cert.get("localizing")
    if not isinstance(loc, list) or len(loc) != len(dirs) or not all(isinstance(r, list) and len(r) == point.K for r in loc):
        raise CertificateFormatError(f"field 'localizing' must list, per direction ({len(dirs)}), K = {point.K} upper triangles")
    Y = [[_ints(flat, m * (m + 1) // 2, f"localizing[{d}][{i}]") for i, flat in enumerate(row)] for d, row in enumerate(loc)]
    wts = _weights(cert, point)
    nw = cs.weighted_size
    wd = cert.get("weighted_duals", [])
    if not isinstance(wd, list) or len(wd) != len(wts) or not all(isinstance(r, list) and len(r) == point.K for r in wd):
        raise CertificateFormatError(f"field 'weighted_duals' must list, per weight ({len(wts)}), K = {point.K} upper triangles")
    V = [[_ints(flat, nw * (nw + 1) // 2, f"weighted_duals[{c}][{i}]") for i, flat in enumerate(row)] for c, row in enumerate(wd)]
    weights = objective_weights(point.K, point.pair_matrix(nu), point.half)
    sums = dual_sums(cs, Z, Y, dirs, e, V, wts)
    G, residual = proven_value(cs, weights, sums, point.m1)
    proven = 1 - point.constant(nu) - G
    if claimed > proven:
        raise CertificateError(f"claimed p_split lower bound {float(claimed):.12g} exceeds what the dual proves ({float(proven):.12g}: "
                               f"C(nu) = {float(point.constant(nu)):.12g}, correlator bound {float(G):.12g}, residual {float(residual):.3e})")
    res = exact_psd(_square(Z, n))
    if not res.ok:
        raise CertificateError(f"moment dual Z is not positive semidefinite (exact LDL: {res.reason})")
    for d, row in enumerate(Y):
        for i, flat in enumerate(row):
            res = exact_psd(_square(flat, m))
            if not res.ok:
                raise CertificateError(f"localizing dual of direction {d}, router {i} is not positive semidefinite (exact LDL: {res.reason})")
    for c, row in enumerate(V):
        for i, flat in enumerate(row):
            res = exact_psd(_square(flat, nw))
            if not res.ok:
                raise CertificateError(f"weighted dual {c}, router {i} is not positive semidefinite (exact LDL: {res.reason})")
    return _issue("lower", claimed, routers_target(point, "quantum", None), source,
                  "proofs.checkers.routers_continuum:check_routers_continuum_dual (lemmas R3, R7, R9; exact LDL)",
                  proven=proven, nu=nu, residual=residual, correlator_bound=G, directions=len(dirs), weights=len(wts), size=n)
