"""Checker of ``"system-strategy"`` certificates: upper bounds on the split probability ``p_split``.

The system, its header and its law are those of
:mod:`proofs.checkers.system_law`; ``proofs/lemmas_system.md`` has the lemmas.

``"system-strategy"`` -- upper bound on ``p_split`` (lemma S5): a mixture
    (rational weights) of explicit router pairs -- threshold pairs or planar
    (qubit XY-plane) measurement pairs -- whose enclosed ``W_q`` is at most
    ``W_limit``; its ``p_split`` is then an upper bound on the optimum.
    A quantum strategy with a field ``"werner": {"v", "f"}`` (visibility
    ``v`` equal to its ``visibility``, planar weight at most ``f``) is a
    supply strategy of Werner routers (lemma W4) and is issued on their
    target (:func:`proofs.checkers.system_law.werner_system_target`), the
    target of a ``"werner-system-dual"`` at the same ``(v, f)``.

No solver output is trusted.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from proofs.checkers.bound import Bound, _issue
from proofs.checkers.system_law import (
    PREC,
    SystemData,
    b1_enclosure,
    rational_down,
    rational_up,
    read_model,
    system_data,
    werner_system_target,
)
from proofs.checkers.system_quadrature import quadratic_moments
from proofs.exact.errors import CertificateError, CertificateFormatError
from proofs.exact.laws import working_precision
from proofs.exact.rational import arb_fraction, parse_fraction

__all__ = ["MAX_COMPONENTS", "check_system_strategy"]

#: most components of a ``system-strategy``: producers write at most 5 (two pairs, their fallbacks, a sliver);
#: a planar pair costs up to ~3 s of rigorous quadrature (16 took 50 s with the weibull:1/10 law)
MAX_COMPONENTS = 8


def _visibility(cert: dict[str, Any]) -> Fraction:
    v = parse_fraction(cert.get("visibility", "1"), "visibility")
    if not 0 <= v <= 1:
        raise CertificateFormatError(f"field 'visibility' must lie in [0, 1]; got {v}")
    return v


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


def _threshold_moments(s: SystemData, obj: Any, name: str):  # noqa: ANN202
    """``(E[A], E[A X])`` of ``A = sign * sgn(X - t)``, ``u = F(t)`` (E[A] exact)."""
    if not isinstance(obj, dict):
        raise CertificateFormatError(f"field {name!r} must be an object {{u, sign}}")
    u = parse_fraction(obj.get("u"), f"{name}.u")
    sg = obj.get("sign")
    if sg not in (1, -1) or not 0 <= u <= 1:
        raise CertificateFormatError(f"{name}: need u in [0, 1] and sign +1 or -1; got u = {u}, sign = {sg!r}")
    return arb_fraction(sg * (1 - 2 * u)), sg * b1_enclosure(s, u)


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
    U0 = [arb_fraction(p0[c]) * I0 + arb_fraction(p1[c]) * I1 for c in range(2)]
    U1 = [arb_fraction(p0[c]) * I1 + arb_fraction(p1[c]) * I2 for c in range(2)]
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

    model = read_model(cert, "system-strategy", "upper")
    s = system_data(cert.get("game"))
    comps = cert.get("components")
    if not isinstance(comps, list) or not 1 <= len(comps) <= MAX_COMPONENTS or not all(isinstance(c, dict) for c in comps):
        got = f"{len(comps)} entries" if isinstance(comps, list) else type(comps).__name__
        raise CertificateFormatError(f"field 'components' must be a list of 1..{MAX_COMPONENTS} objects {{weight, a, b}}; got {got}")
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
                e00, e11, e10, e01 = (arb_fraction(vis) * dot(P, Q) for P, Q in ((U0, V0), (U1, V1), (U1, V0), (U0, V1)))
            # E[beta] = 1/2 + E[E]/2; E[beta c] = E[c]/2 + (kappa E[X1 X2 E] + (E[X1 E] + E[X2 E])/4)/2
            bunch += arb_fraction(w) * (1 + e00) / 2
            cost += arb_fraction(w) * (arb_fraction(s.mean_cost) + arb_fraction(s.kappa) * e11 + (e10 + e01) / 4) / 2
        cost_up = rational_up(cost)
        bunch_lo = rational_down(bunch)
    # feasibility against the budget's lower end (W_0's upper end)
    if cost_up > s.budget_range[0]:
        raise CertificateError(f"the strategy's W_q is not proved <= W_limit: W_q <= {float(s.W0_range[1] + cost_up):.12g}, limit {float(s.W_limit):.12g}")
    proven = 1 - bunch_lo
    claimed = parse_fraction(cert.get("bound"), "bound")
    if claimed < proven:
        raise CertificateError(f"claimed p_split upper bound {float(claimed):.12g} is below the strategy's enclosed p_split ({float(proven):.12g})")
    target = s.target(model) if werner is None else werner_system_target(s.target(model), *werner)
    return _issue(
        "upper", claimed, target, source, "proofs.checkers.system_strategy:check_system_strategy (lemma S5" + (", W4: a Werner supply strategy" if werner else "") + ")",
        proven=proven, wq_upper=s.W0_range[1] + cost_up, components=len(comps), entangled_weight=entangled,
    )
