"""Checkers for the Werner-noise certificate kinds (see ``proofs/lemmas_noise.md``).

``"werner-strategy"`` (:func:`check_werner_strategy`)
    Lower bound: the exact value of an explicit strategy on Werner pairs of
    visibility ``v`` (lemma W1).  Each bin of each router holds an integer
    vector ``(S, R_x, R_y, R_z)`` over a common denominator ``D``, read as the
    observable ``s I + r.sigma`` with ``s = S/D``, ``r = R/D``; it is a ±1
    measurement when ``|S| + |R| <= D``, tested exactly as ``D - |S| >= 0`` and
    ``R.R <= (D - |S|)^2`` in Python integers.  The correlator is
    ``E_ij = s_i s'_j - v <r_i, r'_j>`` (singlet sign).  The value
    ``1/2 + 1/2 sum_ij M_ij E_ij`` is evaluated on every cell by
    :func:`proofs.exact.values.cell_sum`, the path of the classical strategy
    checker: cells fully inside a region contribute ``+-1/N^2`` times an
    integer sum, closed-form crossed cells ``(q + c ln r) E_ij`` with the
    logarithms enclosed in arb balls, and the boundary cells of a general
    law (no closed form) ``E_ij M_ij`` through the outward enclosure of
    ``M_ij``.  No floating-point value of the strategy enters.
``"werner-mixture"`` (:func:`check_werner_mixture`)
    Upper bound on the Werner value from two embedded certificates, a
    classical upper bound ``P_c+`` and a quantum upper bound ``P_q+`` on the
    same game and target, each verified by its own checker.  Mode
    ``"elementary"`` (lemma W2): ``P(v) <= (1 - v) P_c+ + v P_q+``.  Mode
    ``"local-model"`` (lemma W3, a cited result, not a certificate):
    ``P(v) <= P_c+`` for ``v <= v_L`` and
    ``P(v) <= P_c+ + (v - v_L)/(1 - v_L) (P_q+ - P_c+)`` above, with
    ``v_L = LOCAL_VISIBILITY``.

``"werner-system-dual"`` (:func:`check_werner_system_dual`)
    Lower bound on the smallest ``p_split`` of routers with Werner pairs of
    visibility ``v`` for a share ``f`` of the pairs (classical routing for
    the rest), at a waiting-time limit (lemma W4): two embedded
    ``"system-dual"`` certificates at the *same* multiplier ``nu`` and the
    same system, classical ``L_c`` and noiseless quantum ``L_q``, each
    verified by its own checker, give ``p_split >= (1 - f a) L_c + f a L_q``
    with ``a = v`` (mode ``"elementary"``, lemma W2) or
    ``a = max(0, (v - v_L)/(1 - v_L))`` (mode ``"local-model"``, lemma W3).

The bound's target is the game with the resource recorded in it:
``{**game, "state": {"kind": "werner", "v": "p/q"}}``, player model
``"quantum"``.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from proofs.checkers.bound import Bound, Target, _issue
from proofs.exact.cells import MAX_N
from proofs.exact.certificate import certificate_header, check_schema, field_int
from proofs.exact.errors import CertificateError, CertificateFormatError
from proofs.exact.rational import parse_fraction
from proofs.exact.values import cell_sum

__all__ = [
    "LOCAL_VISIBILITY",
    "LOCAL_VISIBILITY_2017",
    "PLANAR_VISIBILITY",
    "check_werner_mixture",
    "check_werner_strategy",
    "check_werner_system_dual",
    "mixture_weight",
    "werner_target_game",
]

#: Lemma W3: two-qubit Werner states admit a local model for all projective measurements at
#: v <= 1/K_G(3) (Acin, Gisin, Toner 2006), and K_G(3) <= 1.4546 (Designolle et al. 2023,
#: arXiv:2302.04721), so 1/K_G(3) >= 0.68747...; we use the rational 6874/10000 below it.
LOCAL_VISIBILITY = Fraction(6874, 10000)
#: The earlier bound 1/K_G(3) >= 0.6829 (Hirsch, Quintino, Vertesi, Navascues, Brunner 2017), for reference.
LOCAL_VISIBILITY_2017 = Fraction(6829, 10000)
#: Measurements restricted to one great circle of the Bloch sphere: 1/K_G(2) = 1/sqrt(2) (quoted, not used in a check).
PLANAR_VISIBILITY = 2**-0.5

_MAX_DENOMINATOR = 2**53


def werner_target_game(game: dict[str, Any], v: Fraction) -> dict[str, Any]:
    """The target game description with its Werner resource recorded.

    >>> werner_target_game({"type": "linear", "s": "1"}, Fraction(1, 2))["state"]
    {'kind': 'werner', 'v': '1/2'}
    """
    return {**game, "state": {"kind": "werner", "v": f"{v.numerator}/{v.denominator}"}}


def _visibility(cert: dict[str, Any]) -> Fraction:
    v = parse_fraction(cert.get("v"), "v")
    if not 0 <= v <= 1:
        raise CertificateFormatError(f"certificate field 'v' (visibility) must lie in [0, 1]; got {v}")
    return v


def _int(x: Any, name: str, bound: int) -> int:
    if isinstance(x, bool) or not isinstance(x, int):
        raise CertificateFormatError(f"{name} must be an integer; got {x!r}")
    if abs(x) > bound:
        raise CertificateFormatError(f"{name} must have absolute value at most {bound}; got {x}")
    return x


def _player(cert: dict[str, Any], key: str, n: int, d: int) -> tuple[list[int], list[list[int]]]:
    """Read one router's integer vectors; prove each is a ±1 measurement (|S| + |R| <= D) exactly."""
    raw = cert.get(key)
    if not isinstance(raw, dict) or not isinstance(raw.get("s"), list) or not isinstance(raw.get("r"), list):
        raise CertificateFormatError(f"certificate field {key!r} must be an object with lists 's' and 'r'")
    if len(raw["s"]) != n or len(raw["r"]) != n:
        raise CertificateFormatError(f"{key}.s and {key}.r must have N = {n} entries")
    s = [_int(x, f"{key}.s[{i}]", d) for i, x in enumerate(raw["s"])]
    r = []
    for i, row in enumerate(raw["r"]):
        if not isinstance(row, list) or len(row) != 3:
            raise CertificateFormatError(f"{key}.r[{i}] must be a list of 3 integers")
        r.append([_int(x, f"{key}.r[{i}]", d) for x in row])
    for i in range(n):
        room = d - abs(s[i])
        if room < 0 or sum(x * x for x in r[i]) > room * room:
            raise CertificateError(f"{key}[{i}] is not a +-1 measurement: |s| + |r| > 1 (s = {s[i]}/{d}, r = {r[i]}/{d})")
    return s, r


def check_werner_strategy(cert: dict[str, Any], source: str) -> Bound:
    """Verify a ``"werner-strategy"`` certificate: the Werner value is ``>= lower`` (lemma W1).

    >>> from proofs.exact.certificate import new_certificate
    >>> cert = new_certificate("werner-strategy", {"type": "linear", "s": "1"}, 2, "lower", Fraction(3, 4), bins=2, v="1/2",
    ...                        denominator=1, a={"s": [1, -1], "r": [[0, 0, 0], [0, 0, 0]]}, b={"s": [1, 1], "r": [[0, 0, 0], [0, 0, 0]]})
    >>> b = check_werner_strategy(cert, "demo")   # a deterministic strategy: the classical optimum 3/4
    >>> b.side, b.value, b.target.game["state"]
    ('lower', Fraction(3, 4), {'kind': 'werner', 'v': '1/2'})
    """
    hd = certificate_header(cert, "werner-strategy", "lower")
    n = field_int(cert, "bins", 1, MAX_N)
    if hd.n not in (n, None):
        raise CertificateFormatError(f"'N' must equal 'bins' = {n} (the N-bin game) or be null (the continuum); got {hd.n}")
    v = _visibility(cert)
    d = _int(cert.get("denominator"), "field 'denominator'", _MAX_DENOMINATOR)
    if d < 1:
        raise CertificateFormatError(f"field 'denominator' must be a positive integer; got {d}")
    sa, ra = _player(cert, "a", n, d)
    sb, rb = _player(cert, "b", n, d)
    if n * d >= 2**62:
        raise CertificateFormatError(f"N * denominator must be below 2^62; got {n * d}, too large")
    # E_ij = s_i s'_j / D^2 - v <r_i, r'_j> / D^2, evaluated on every cell by the one shared path (proofs.exact.values.cell_sum)
    dd = Fraction(1, d * d)
    terms = [(dd, sa, sb)] + [(-v * dd, [row[c] for row in ra], [row[c] for row in rb]) for c in range(3)]
    corr = cell_sum(hd.game, n, terms)
    proven = Fraction(1, 2) + corr.lower() / 2
    if hd.bound > proven:
        raise CertificateError(f"claimed lower bound {float(hd.bound):.12g} exceeds the strategy's exact value ({float(proven):.12g})")
    deterministic = sum(1 for x in sa + sb if abs(x) == d)
    return _issue(
        "lower", hd.bound, Target(werner_target_game(hd.game.describe(), v), hd.n, "quantum"), source,
        "proofs.checkers.noise:check_werner_strategy (lemma W1, exact" + (", bin-constant lifting" if hd.n is None else "") + ")",
        proven=proven, visibility=v, deterministic_bins=deterministic, enclosed_cells=corr.enclosed_cells,
    )


def check_werner_mixture(cert: dict[str, Any], source: str) -> Bound:
    """Verify a ``"werner-mixture"`` certificate: the Werner value is ``<= upper`` (lemma W2, or W3 cited).

    The embedded ``"classical"`` and ``"quantum"`` certificates are verified by
    their own checkers; both must be upper bounds on the same game boundary
    and target (N bins or the continuum) as this certificate.

    >>> from proofs.exact.certificate import new_certificate
    >>> from proofs.exact.errors import CertificateFormatError
    >>> try:
    ...     check_werner_mixture(new_certificate("werner-mixture", {"type": "linear", "s": "1"}, 2, "upper", Fraction(1), v="2"), "x")
    ... except CertificateFormatError as e:
    ...     print(e)
    certificate field 'v' (visibility) must lie in [0, 1]; got 2
    """
    from proofs.checkers.registry import check_certificate

    hd = certificate_header(cert, "werner-mixture", "upper")
    v = _visibility(cert)
    mode = cert.get("mode")
    if mode not in ("elementary", "local-model"):
        raise CertificateFormatError(f"field 'mode' must be 'elementary' or 'local-model'; got {str(mode)[:40]!r}")
    game = hd.game.describe()
    parts = {}
    for key, model in (("classical", "classical"), ("quantum", "quantum")):
        sub = cert.get(key)
        if not isinstance(sub, dict):
            raise CertificateFormatError(f"field {key!r} must be an embedded certificate (a JSON object)")
        if sub.get("kind") in ("werner-mixture", "werner-strategy"):
            raise CertificateFormatError(f"field {key!r} must be a {model} certificate; got kind {sub.get('kind')!r}")
        b = check_certificate(sub, f"{source}#{key}")
        if b.side != "upper" or b.target.player_model != model:
            raise CertificateError(f"embedded {key!r} certificate proves a {b.side} bound on the {b.target.player_model} value; need a {model} upper bound")
        if b.target.game != game:
            raise CertificateError(f"embedded {key!r} certificate is about {b.target.game}, not {game}")
        if b.target.n != hd.n:
            raise CertificateError(f"embedded {key!r} certificate bounds N = {b.target.n}, not the target N = {hd.n}")
        parts[key] = b
    n_c = hd.n
    pc, pq = parts["classical"].value, parts["quantum"].value
    if mode == "elementary":
        proven = (1 - v) * pc + v * pq
        lemma = "lemma W2"
    else:
        vl = LOCAL_VISIBILITY
        proven = pc if v <= vl else pc + (v - vl) / (1 - vl) * (pq - pc)
        proven = min(proven, (1 - v) * pc + v * pq)
        lemma = f"lemma W3, cited: local model for v <= {float(vl)}"
    if hd.bound < proven:
        raise CertificateError(f"claimed upper bound {float(hd.bound):.12g} is below what the mixture proves ({float(proven):.12g})")
    return _issue(
        "upper", hd.bound, Target(werner_target_game(game, v), n_c, "quantum"), source,
        f"proofs.checkers.noise:check_werner_mixture ({lemma})",
        proven=proven, visibility=v, mode=mode, classical_upper=pc, quantum_upper=pq,
        components=[parts["classical"].checker, parts["quantum"].checker],
    )


def mixture_weight(v: Fraction, mode: str) -> Fraction:
    """Weight ``a`` of the noiseless quantum part in lemma W2 (``a = v``) or W3 (``a = (v - v_L)/(1 - v_L)``, 0 below ``v_L``).

    >>> mixture_weight(Fraction(1, 2), "elementary"), mixture_weight(Fraction(1, 2), "local-model")
    (Fraction(1, 2), Fraction(0, 1))
    """
    if mode == "elementary":
        return v
    if mode == "local-model":
        return max(Fraction(0), (v - LOCAL_VISIBILITY) / (1 - LOCAL_VISIBILITY))
    raise CertificateFormatError(f"field 'mode' must be 'elementary' or 'local-model'; got {mode!r}")


def check_werner_system_dual(cert: dict[str, Any], source: str) -> Bound:
    """Verify a ``"werner-system-dual"`` certificate: ``p_split >= bound`` for Werner routers (lemma W4).

    Common fields as every schema-2 certificate: ``game`` is the system
    (type ``"system"``), ``N`` null, ``side`` ``"lower"``, ``bound`` the claimed
    lower bound on ``p_split``; then ``v``, ``f``, ``mode`` and the embedded
    ``classical`` and ``quantum`` ``"system-dual"`` certificates.

    >>> from proofs.exact.errors import CertificateFormatError
    >>> try:
    ...     check_werner_system_dual({"schema": 2, "kind": "werner-system-dual", "side": "lower", "v": "1/2", "f": "3/2"}, "x")
    ... except CertificateFormatError as e:
    ...     print(e)
    field 'f' (share of pairs with a Werner pair) must lie in [0, 1]; got 3/2
    """
    from proofs.checkers.registry import check_certificate
    from proofs.checkers.system_law import werner_system_target

    check_schema(cert)
    if cert.get("kind") != "werner-system-dual":
        raise CertificateFormatError(f"certificate kind must be 'werner-system-dual'; got {str(cert.get('kind'))[:40]!r}")
    if cert.get("side") != "lower":
        raise CertificateFormatError(f"a 'werner-system-dual' certificate proves a lower bound; field 'side' is {str(cert.get('side'))[:20]!r}")
    v = _visibility(cert)
    f = parse_fraction(cert.get("f"), "f")
    if not 0 <= f <= 1:
        raise CertificateFormatError(f"field 'f' (share of pairs with a Werner pair) must lie in [0, 1]; got {f}")
    mode = cert.get("mode")
    if not isinstance(mode, str):
        raise CertificateFormatError(f"field 'mode' must be 'elementary' or 'local-model'; got {mode!r}")
    a = mixture_weight(v, mode)
    game = cert.get("game")
    if not isinstance(game, dict) or game.get("type") != "system" or cert.get("N", 0) is not None:
        raise CertificateFormatError("field 'game' must be a system (type 'system') and 'N' null")
    subs, bounds = {}, {}
    for key in ("classical", "quantum"):
        sub = cert.get(key)
        if not isinstance(sub, dict) or sub.get("kind") != "system-dual" or sub.get("model") != key:
            raise CertificateFormatError(f"field {key!r} must be an embedded 'system-dual' certificate with model {key!r}")
        if sub.get("game") != game:
            raise CertificateError(f"the embedded {key!r} certificate is about another system than this certificate")
        subs[key] = sub
    nu_c, nu_q = parse_fraction(subs["classical"].get("nu"), "nu"), parse_fraction(subs["quantum"].get("nu"), "nu")
    if nu_c != nu_q:
        raise CertificateError(f"the embedded duals must use the same multiplier nu (the split is per nu); got {nu_c} and {nu_q}")
    if parse_fraction(subs["quantum"].get("visibility", "1"), "visibility") != 1:
        raise CertificateError("the embedded quantum dual must bound the noiseless (visibility 1) class")
    for key, sub in subs.items():
        b = check_certificate(sub, f"{source}#{key}")
        if b.side != "lower":
            raise CertificateError(f"embedded {key!r} certificate proves a {b.side} bound; need a lower bound on p_split")
        bounds[key] = b
    lc, lq = bounds["classical"].value, bounds["quantum"].value
    proven = (1 - f * a) * lc + f * a * lq
    claimed = parse_fraction(cert.get("bound"), "bound")
    if claimed > proven:
        raise CertificateError(f"claimed p_split lower bound {float(claimed):.12g} exceeds what the split proves ({float(proven):.12g})")
    target = werner_system_target(bounds["quantum"].target, v, f)
    lemma = "lemma W4 with W2" if mode == "elementary" else f"lemma W4 with W3, cited: local model for v <= {float(LOCAL_VISIBILITY)}"
    return _issue(
        "lower", claimed, target, source, f"proofs.checkers.noise:check_werner_system_dual ({lemma})",
        proven=proven, visibility=v, supply=f, weight=a, nu=nu_c, classical_lower=lc, quantum_lower=lq,
    )
