"""Checker of ``"system-dual"`` certificates: lower bounds on the split probability ``p_split``.

The system, its header and its law are those of
:mod:`proofs.checkers.system_law`; ``proofs/lemmas_system.md`` has the lemmas.

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

No solver output is trusted.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from proofs.checkers.bound import Bound, _issue
from proofs.checkers.system_law import (
    PREC,
    SystemData,
    abs_moment,
    b1_enclosure,
    exact_point,
    rational_down,
    rational_up,
    read_model,
    system_data,
)
from proofs.checkers.system_quadrature import quadratic_moments
from proofs.exact.errors import CertificateError, CertificateFormatError
from proofs.exact.laws import working_precision
from proofs.exact.rational import parse_fraction

__all__ = ["MAX_BREAKS", "check_system_dual"]

#: most break points of a classical ``system-dual``: producers write about 300-400; checking costs 1-3 ms
#: each, up to 11 ms for 400-digit breaks of the gamma:64 law (4096 of those took 45 s)
MAX_BREAKS = 2048


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


def _read_quadratic(obj: Any, name: str) -> tuple[Fraction, Fraction, Fraction]:
    if not isinstance(obj, dict):
        raise CertificateFormatError(f"field {name!r} must be an object {{a2, xstar, delta}}")
    a2 = parse_fraction(obj.get("a2"), f"{name}.a2")
    xs = parse_fraction(obj.get("xstar"), f"{name}.xstar")
    de = parse_fraction(obj.get("delta"), f"{name}.delta")
    if not (a2 > 0 and de > 0):
        raise CertificateError(f"{name}: need a2 > 0 and delta > 0 (a positive quadratic); got a2 = {a2}, delta = {de}")
    return a2, xs, de


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
        b1s = [b1_enclosure(s, u, t) for u, t in zip(breaks, ts)]
        ends = [(rational_down(b), rational_up(b)) for b in b1s]
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
                val = rational_up(abs_moment(s, m00 * b0 + m01 * b1, m10 * b0 + m11 * b1))
                if val > best:
                    best, worst = val, k
        return best, worst, boxes


def _quantum_bias_upper(s: SystemData, nu: Fraction, qa: tuple, qb: tuple) -> tuple[Fraction, Fraction]:
    """``E[alpha] + E[beta]`` once ``lambda_max(A M B M^T) <= 4`` is proved (lemma S4: every quantum strategy)."""
    Ja, A0, A1, A2 = quadratic_moments(s.service, *qa)
    Jb, B0, B1, B2 = quadratic_moments(s.service, *qb)

    def psd_upper(i0, i1, i2) -> tuple[tuple[Fraction, Fraction], tuple[Fraction, Fraction]]:  # noqa: ANN001
        mids = [exact_point(x.mid()) for x in (i0, i1, i2)]
        rads = [rational_up(x) - exact_point(x.mid()) for x in (i0, i1, i2)]
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
    return rational_up(Ja) + rational_up(Jb), tr


def check_system_dual(cert: dict[str, Any], source: str) -> Bound:
    """Verify a ``"system-dual"`` certificate: ``p_split >= p_split_lower`` for its class (lemma S1).

    >>> from proofs.exact.errors import CertificateFormatError
    >>> try:
    ...     check_system_dual({"schema": 2, "kind": "system-dual", "N": None, "side": "lower", "model": "both"}, "x")
    ... except CertificateFormatError as e:
    ...     print(e)
    field 'model' must be one of ('classical', 'quantum'); got 'both'
    """
    model = read_model(cert, "system-dual", "lower")
    _noiseless(cert)
    s = system_data(cert.get("game"))
    nu = parse_fraction(cert.get("nu"), "nu")
    if nu < 0:
        raise CertificateFormatError(f"field 'nu' must be >= 0; got {nu}")
    details: dict[str, Any] = {"nu": nu}
    if model == "classical":
        raw = cert.get("breaks")
        if not isinstance(raw, list) or not 2 <= len(raw) <= MAX_BREAKS:
            got = f"{len(raw)} entries" if isinstance(raw, list) else type(raw).__name__
            raise CertificateFormatError(f"field 'breaks' must be a list of 2..{MAX_BREAKS} rationals; got {got}")
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
    return _issue("lower", claimed, s.target(model), source, f"proofs.checkers.system_dual:check_system_dual (lemmas S1, {'S3' if model == 'classical' else 'S4'})", **details)

