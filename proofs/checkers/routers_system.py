"""Checkers of the K-router system kinds: certified brackets on ``p_split`` at ``W_q <= W_limit``.

The system and its trusted constants are :mod:`proofs.exact.routers_game`
(game object ``{"type": "routers", "K", "law", "lam", "mu", "W_limit"}``);
the lemmas are R1-R6 of ``proofs/lemmas_system.md``.

``"routers-dual"`` -- lower bound on ``p_split`` of a class (lemmas R3, R5):
    fields ``model`` (``"classical"`` or ``"quantum"``), ``nu >= 0``, ``bins``
    (the inner game's ``N``) and ``inner``: a certificate of an *upper* bound
    ``v`` on the value of a K-party ``correlator`` game (any registered kind,
    checked by its own checker; for ``model = "quantum"`` the inner bound must
    be about the quantum class, an NPA dual).  The checker rebuilds the true
    Lagrangian weights from the operating point (arb; never the producer's),
    bounds the distance ``eps`` of the inner weights to them, and proves

    ``p_split >= 1 - (v + eps)``                      on ``N = bins`` (strategies constant on the bins),
    ``p_split >= 1 - (v + eps + lift)``               on the continuum (field ``N`` null),

    with ``lift = C(K, 2) 2 delta_N (|A01| + m1 |A11|)`` (lemma R5: bin-averaging
    a continuum strategy of either class gives an N-bin strategy of the same
    class whose Lagrangian differs by at most ``lift``).
``"routers-strategy"`` -- upper bound on ``p_split`` (lemma R6): a mixture
    (exact rational weights, shared coin) of explicit strategies whose
    enclosed ``W_q`` is at most ``W_limit``; every such strategy is one of the
    class, so ``p_split <= `` its ``p_split`` on the continuum (field ``N``
    null) or, when every component is constant on the bins, on ``N = bins``
    bins (field ``N`` equal to ``bins``).  Components:
    ``{"weight", "thresholds": {"u": [K rationals], "orient": [K signs]}}``
    (router ``i`` outputs ``orient[i]`` iff ``F(X_i) <= u[i]``) or
    ``{"weight", "signs": [K lists of N signs]}`` (constant on ``bins`` bins),
    or ``{"weight", "quantum": {subsystems, owners, factors, observables}}``
    (the fields of a ``multiparty-quantum-strategy``: a state and +-1
    observables per router and bin, checked exactly by
    :mod:`proofs.checkers.multiparty_quantum`; only with ``model =
    "quantum"``).  An optional field ``resource`` (``"ghz"``, ``"triangle"``,
    ``"pair+classical"``) restricts every quantum component's state to that
    resource, checked exactly (GHZ: one K-qubit GHZ state, a qubit per router;
    triangle: K = 3 and a ``|Phi+>`` on each pair of routers; pair+classical:
    one ``|Phi+>`` shared by two routers, the others hold nothing); the target
    then names the resource.

No solver output is trusted.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction
from typing import Any

from proofs.checkers.bound import Bound, Target, _issue
from proofs.exact.certificate import check_kind, field_int, field_list
from proofs.exact.errors import CertificateError, CertificateFormatError
from proofs.exact.laws import working_precision
from proofs.exact.rational import arb_fraction, parse_fraction
from proofs.exact.routers_game import MAX_ROUTER_BINS, PREC, RoutersPoint, lower_rational, read_point, upper_rational, weight_error

__all__ = ["MAX_COMPONENTS", "MODELS", "NAMED_RESOURCES", "RESOURCES", "check_routers_dual", "check_routers_strategy", "routers_target"]

MODELS = ("classical", "quantum")
#: resource classes of a strategy; the first two are the classes of the duals
RESOURCES = ("classical", "quantum")
#: most components of a ``routers-strategy`` (producers write at most 3)
MAX_COMPONENTS = 8
#: explicit resources a quantum ``routers-strategy`` may be restricted to
NAMED_RESOURCES = ("ghz", "triangle", "pair+classical")


def routers_target(point: RoutersPoint, model: str, n: int | None, resource: str | None = None) -> Target:
    """The target ``p_split`` of class ``model`` at ``point`` (``n`` bins, or the continuum; a named quantum resource)."""
    game = {**point.describe(), "quantity": "p_split"}
    if resource is not None:
        game["resource"] = resource
    return Target(game, n, model)  # type: ignore[arg-type]


def _header(cert: dict[str, Any], kind: str, side: str) -> tuple[RoutersPoint, str, Fraction]:
    check_kind(cert, kind)
    if cert.get("side") != side:
        raise CertificateFormatError(f"a {kind!r} certificate proves a {side} bound on p_split; field 'side' is {str(cert.get('side'))[:20]!r}")
    point = read_point(cert.get("game"))
    model = cert.get("model")
    if model not in MODELS:
        raise CertificateFormatError(f"field 'model' must be one of {MODELS}; got {str(model)[:30]!r}")
    return point, model, parse_fraction(cert.get("bound"), "bound")


# ------------------------------------------------------------------------------------------ duals
def _inner_weights(inner: dict[str, Any], K: int, N: int) -> tuple[int, int, dict[tuple[int, ...], list[int]]]:
    den, const, raw = inner.get("denominator"), inner.get("constant"), inner.get("terms")
    if type(den) is not int or den < 1 or type(const) is not int or not isinstance(raw, list):
        raise CertificateFormatError("the inner certificate must carry exact weights: integer 'denominator' >= 1, integer 'constant', list 'terms'")
    terms: dict[tuple[int, ...], list[int]] = {}
    for t in raw:
        if not isinstance(t, dict) or not isinstance(t.get("players"), list) or not isinstance(t.get("weights"), list):
            raise CertificateFormatError("inner 'terms' entries must be objects {players, weights}")
        S = tuple(t["players"])
        if not all(type(i) is int for i in S) or len(t["weights"]) != N ** len(S) or not all(type(v) is int for v in t["weights"]):
            raise CertificateFormatError(f"inner term {str(S)[:30]} must list N^|S| integer weights")
        terms[S] = t["weights"]
    return den, const, terms


def check_routers_dual(cert: dict[str, Any], source: str) -> Bound:
    """Verify a ``"routers-dual"`` certificate: ``p_split >= bound`` for its class (lemmas R3, R5).

    >>> from proofs.exact.errors import CertificateFormatError
    >>> try:
    ...     check_routers_dual({"schema": 2, "kind": "routers-dual", "side": "lower", "model": "both",
    ...                         "game": {"type": "routers", "K": "3", "law": "uniform", "lam": "1/5", "W_limit": "2"}}, "x")
    ... except CertificateFormatError as e:
    ...     print(e)
    field 'model' must be one of ('classical', 'quantum'); got 'both'
    """
    from proofs.checkers.registry import CHECKERS

    point, model, claimed = _header(cert, "routers-dual", "lower")
    bins = field_int(cert, "bins", 1, MAX_ROUTER_BINS)
    n = cert.get("N", "missing")
    if n is not None and n != bins:
        raise CertificateFormatError(f"field 'N' must be null (continuum) or equal to 'bins' = {bins}; got {str(n)[:20]}")
    nu = parse_fraction(cert.get("nu"), "nu")
    if nu < 0:
        raise CertificateFormatError(f"field 'nu' must be >= 0; got {nu}")
    inner = cert.get("inner")
    if not isinstance(inner, dict) or inner.get("kind") not in CHECKERS or inner.get("kind") in ("routers-dual", "routers-strategy"):
        raise CertificateFormatError("field 'inner' must be a certificate of a registered correlator-game kind (an upper bound on the game value)")
    ib = CHECKERS[inner["kind"]](inner, f"{source}#inner")
    if ib.side != "upper" or ib.target.game.get("type") != "correlator":
        raise CertificateError(f"the inner certificate must prove an upper bound on a correlator game; it proves a {ib.side} bound on {ib.target.label()}")
    if ib.target.n != bins or str(ib.target.game.get("K")) != str(point.K):
        raise CertificateError(f"the inner game must have K = {point.K} players and N = bins = {bins} inputs; got {ib.target.label()}")
    if model == "quantum" and ib.target.player_model != "quantum":
        raise CertificateError("a quantum dual needs an inner bound on the quantum value (the classical value is smaller)")
    den, const, terms = _inner_weights(inner, point.K, bins)
    eps = weight_error(point, nu, bins, den, const, terms)
    lagr = ib.value + eps
    lift = Fraction(0) if n is not None else point.lift_error(nu, bins)
    proven = 1 - lagr - lift
    if claimed > proven:
        raise CertificateError(f"claimed p_split lower bound {float(claimed):.12g} exceeds what the dual proves ({float(proven):.12g}: inner value "
                               f"{float(ib.value):.12g}, weight error {float(eps):.3e}, lifting {float(lift):.3e})")
    return _issue("lower", claimed, routers_target(point, model, n), source,
                  "proofs.checkers.routers_system:check_routers_dual (lemmas R3, R5" + ("" if n is not None else ", continuum lifting") + ")",
                  proven=proven, nu=nu, inner_value=ib.value, inner_kind=inner["kind"], weight_error=eps, lift=lift)


# ------------------------------------------------------------------------------------------ strategies
def _threshold_moments(point: RoutersPoint, u: Fraction, orient: int) -> tuple[Any, Any]:
    """``(E[o], E[X o])`` of ``o = orient`` iff ``F(X) <= u`` (arb balls)."""
    if point.law == "uniform":
        tail = 1 - u * u  # E[X; X > 2u] for U[0, 2]
        return arb_fraction(orient * (2 * u - 1)), arb_fraction(orient * (point.m1 - 2 * tail))
    if u >= 1:
        tail_b = arb_fraction(Fraction(0))
    else:
        one_minus = arb_fraction(1 - u)
        tail_b = one_minus * (1 - one_minus.log()) * arb_fraction(point.m1)  # E[X; F(X) > u]
    return arb_fraction(orient * (2 * u - 1)), arb_fraction(Fraction(orient)) * (arb_fraction(point.m1) - 2 * tail_b)


def _component_thresholds(point: RoutersPoint, obj: Any, i: int) -> list[tuple[Any, Any]]:
    if not isinstance(obj, dict) or set(obj) != {"u", "orient"}:
        raise CertificateFormatError(f"components[{i}]['thresholds'] must be an object {{u, orient}}")
    us = obj["u"]
    os_ = obj["orient"]
    if not isinstance(us, list) or not isinstance(os_, list) or len(us) != point.K or len(os_) != point.K:
        raise CertificateFormatError(f"components[{i}]['thresholds']: 'u' and 'orient' must list K = {point.K} entries")
    out = []
    for u_raw, o in zip(us, os_):
        u = parse_fraction(u_raw, "u")
        if not 0 <= u <= 1 or type(o) is not int or o not in (1, -1):
            raise CertificateFormatError(f"components[{i}]['thresholds']: need u in [0, 1] and orient +1 or -1; got u = {u}, orient = {o!r}")
        out.append(_threshold_moments(point, u, o))
    return out


def _component_signs(point: RoutersPoint, obj: Any, i: int, bins: int) -> list[tuple[Any, Any]]:
    raw = obj if isinstance(obj, list) else None
    if raw is None or len(raw) != point.K or not all(isinstance(r, list) and len(r) == bins and all(type(s) is int and s in (1, -1) for s in r) for r in raw):
        raise CertificateFormatError(f"components[{i}]['signs'] must be K = {point.K} lists of bins = {bins} entries +1 or -1")
    e = point.bin_means(bins)
    out = []
    from flint import arb

    for r in raw:
        m0 = arb_fraction(Fraction(sum(r), bins))
        m1 = sum((s * e[k] for k, s in enumerate(r)), arb(0))
        out.append((m0, m1))
    return out


def _is_state(rho: Any, kind: str) -> bool:
    """``rho`` (exact real and imaginary parts) equals the GHZ or the ``|Phi+>`` density matrix exactly."""
    re, im = rho
    D = re.shape[0]
    if any(v != 0 for v in im.ravel()):
        return False
    corners = (0, D - 1) if kind == "ghz" else (0, 3)
    return all(re[i, j] == (Fraction(1, 2) if i in corners and j in corners else 0) for i in range(D) for j in range(D))


def _check_resource(resource: str, K: int, dims: list[int], owners: list[int], factors: list[Any], i: int) -> None:
    ok = all(d == 2 for d in dims)
    if resource == "ghz":
        ok = ok and len(factors) == 1 and sorted(owners) == list(range(K)) and len(factors[0][0]) == K and _is_state(factors[0][1], "ghz")
    elif resource == "triangle":
        pairs = sorted(tuple(sorted(owners[q] for q in subs)) for subs, _ in factors)
        ok = ok and K == 3 and len(factors) == 3 and pairs == [(0, 1), (0, 2), (1, 2)] and all(len(subs) == 2 and _is_state(r, "bell") for subs, r in factors)
    else:  # pair+classical
        ok = ok and len(factors) == 1 and len(dims) == 2 and owners[0] != owners[1] and _is_state(factors[0][1], "bell")
    if not ok:
        raise CertificateError(f"components[{i}]: the state is not the resource {resource!r} (checked exactly: qubits, owners, density matrix)")


def _component_quantum(point: RoutersPoint, obj: Any, i: int, bins: int, resource: str | None) -> tuple[Fraction, Any]:
    """``(P(all on one server), W_q - W_0)`` of an explicit quantum strategy constant on bins (exact correlators)."""
    from proofs.checkers.multiparty_quantum import check_state_and_observables, correlators, read_strategy

    if not isinstance(obj, dict):
        raise CertificateFormatError(f"components[{i}]['quantum'] must be an object {{subsystems, owners, factors, observables}}")
    dims, owners, factors, obs = read_strategy(obj, point.K, bins)
    if resource is not None:
        _check_resource(resource, point.K, dims, owners, factors, i)
    check_state_and_observables(factors, obs)
    cost = point.cost_weights(bins)
    same = Fraction(1)
    wq = arb_fraction(math.comb(point.K, 2) * point.mean_cost / 2)
    for S in point.terms():
        E = [Fraction(v) for v in correlators(S, dims, owners, factors, obs)[0].reshape(-1).tolist()]
        same += sum(E, Fraction(0)) / bins ** len(S)
        if len(S) == 2:
            wq = wq + sum((c * arb_fraction(e) for c, e in zip(cost, E) if e), arb_fraction(Fraction(0))) / 2
    return same * point.half, wq


def _product_values(point: RoutersPoint, U: list[tuple[Any, Any]]) -> tuple[Any, Any]:
    """``(P(all on one server), W_q - W_0)`` of independent local routers with moments ``U[i] = (E[o_i], E[X o_i])`` (lemma R6)."""
    K = point.K
    ps = arb_fraction(Fraction(1))
    for S in point.terms():
        term = arb_fraction(Fraction(1))
        for j in S:
            term = term * U[j][0]
        ps = ps + term
    ps = ps * arb_fraction(point.half)
    kap, mc = arb_fraction(point.kappa), arb_fraction(point.mean_cost)
    wq = arb_fraction(Fraction(0))
    for i, j in itertools.combinations(range(K), 2):
        wq = wq + (mc + kap * U[i][1] * U[j][1] + (U[i][1] * U[j][0] + U[i][0] * U[j][1]) / (2 * K)) / 2
    return ps, wq


def check_routers_strategy(cert: dict[str, Any], source: str) -> Bound:
    """Verify a ``"routers-strategy"`` certificate: the mixture meets ``W_limit`` and ``p_split <= bound`` (lemma R6).

    >>> game = {"type": "routers", "K": "3", "law": "exponential", "lam": "2/5", "mu": "1", "W_limit": "5/2"}
    >>> cert = {"schema": 2, "kind": "routers-strategy", "game": game, "N": None, "side": "upper", "bound": "1",
    ...         "model": "classical", "components": [{"weight": "1", "thresholds": {"u": ["1", "0", "1/2"], "orient": [1, 1, 1]}}]}
    >>> b = check_routers_strategy(cert, "demo")      # routers 1, 2 always apart: never all on one server
    >>> b.value, b.details["proven"]
    (Fraction(1, 1), Fraction(1, 1))
    """
    point, model, claimed = _header(cert, "routers-strategy", "upper")
    resource = cert.get("resource")
    if resource is not None and (model != "quantum" or resource not in NAMED_RESOURCES):
        raise CertificateFormatError(f"field 'resource' (quantum model only) must be one of {NAMED_RESOURCES}; got {str(resource)[:30]!r}")
    comps = field_list(cert, "components", max_length=MAX_COMPONENTS)
    if not comps or not all(isinstance(c, dict) for c in comps):
        raise CertificateFormatError(f"field 'components' must be a list of 1..{MAX_COMPONENTS} objects")
    weights = [parse_fraction(c.get("weight"), "weight") for c in comps]
    if any(w < 0 for w in weights) or sum(weights) != 1:
        raise CertificateError(f"component weights must be >= 0 and sum to 1 exactly; got sum {sum(weights)}")
    bins = None
    if any("signs" in c or "quantum" in c for c in comps):
        bins = field_int(cert, "bins", 1, MAX_ROUTER_BINS)
    n_target = cert.get("N", "missing")
    if n_target is not None:   # the N-bin optimum: every component must be constant on the `bins` bins (lemma R6)
        if n_target != bins or isinstance(n_target, bool) or any("thresholds" in c for c in comps):
            raise CertificateFormatError("field 'N' must be null (the continuum optimum) or, when every component is constant on the bins "
                                         f"('signs' or 'quantum'), equal to 'bins' = {bins}; got {str(n_target)[:20]!r}")
    with working_precision(PREC):
        same = arb_fraction(Fraction(0))
        cost = arb_fraction(Fraction(0))
        for i, (w, c) in enumerate(zip(weights, comps)):
            keys = set(c) - {"weight"}
            if keys == {"thresholds"}:
                U = _component_thresholds(point, c["thresholds"], i)
            elif keys == {"signs"}:
                assert bins is not None
                U = _component_signs(point, c["signs"], i, bins)
            elif keys == {"quantum"} and model == "quantum":
                assert bins is not None
                ps_q, wq = _component_quantum(point, c["quantum"], i, bins, resource)
                ps = arb_fraction(ps_q)
                same = same + arb_fraction(w) * ps
                cost = cost + arb_fraction(w) * wq
                continue
            else:
                raise CertificateFormatError(f"components[{i}] must have 'weight' and one of 'thresholds', 'signs', 'quantum' (quantum model only); "
                                             f"got {sorted(keys)}")
            ps, wq = _product_values(point, U)
            same = same + arb_fraction(w) * ps
            cost = cost + arb_fraction(w) * wq
        cost_up = upper_rational(cost)
        same_lo = lower_rational(same)
    wq_up = point.W0 + cost_up
    if wq_up > point.W_limit:
        raise CertificateError(f"the strategy's W_q is not proved <= W_limit: W_q <= {float(wq_up):.12g}, limit {float(point.W_limit):.12g}")
    proven = 1 - same_lo
    if claimed < proven:
        raise CertificateError(f"claimed p_split upper bound {float(claimed):.12g} is below the strategy's enclosed p_split ({float(proven):.12g})")
    return _issue("upper", claimed, routers_target(point, model, n_target, resource), source, "proofs.checkers.routers_system:check_routers_strategy (lemma R6)",
                  proven=proven, wq_upper=wq_up, components=len(comps), pairs=math.comb(point.K, 2))
