"""Checkers for classical-value certificates (kinds written by :mod:`bounds.classical_certificates`).

Each checker rebuilds what it needs from the exact game (:mod:`proofs.exact`)
and never trusts the solver's numbers:

``classical-strategy`` (lower bound; N-bin target, or the continuum)
    the exact value of the step strategy ``(g, h)`` on ``bins`` equal bins:
    full cells exactly, crossed cells as ``q + c ln r`` summed in arb.
``classical-threshold`` (lower bound, continuum target)
    the exact value of a continuum step strategy with rational switch points.
``classical-bnb`` (upper bound, N-bin target)
    every leaf ``K`` of the branch-and-bound tree is re-solved by the integer
    chain programme (:mod:`proofs.exact.chain`; crossed cells rounded up to
    ``2^-S`` of a cell); the leaves must cover all ``K >= 0`` of the right
    parity (``K < 0`` by the sign-flip symmetry) and each recomputed leaf must
    not exceed its claimed bound.
``classical-dp`` (upper bound; continuum, or any N-bin game by inclusion; see :mod:`proofs.checkers.classical_dp`)

Lemmas used are named in the returned bound's ``checker`` string.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from proofs.checkers.bound import Bound, Target, _issue
from proofs.exact.cells import MAX_N, cell_enclosure
from proofs.exact.certificate import certificate_header, field_int, field_list
from proofs.exact.chain import chain_leaf_bounds, chain_scale_bits_ok
from proofs.exact.errors import CertificateError, CertificateFormatError
from proofs.exact.rational import parse_fraction, show_rational
from proofs.exact.values import step_strategy_win, threshold_strategy_win, win_lower

__all__ = ["MAX_BNB_BINS", "MAX_SWITCHES", "check_bnb", "check_dp", "check_strategy", "check_threshold"]

#: most switch points per player in a ``classical-threshold`` certificate: the value sums over all
#: (switches + 1)^2 rectangles (100 each: ~2.4 s, 1000 each would take minutes); producers write 0-1
MAX_SWITCHES = 64
#: most bins of a ``classical-bnb`` certificate: its chain programme costs about N^3 (N = 512: ~7 s,
#: N = 1024: ~70 s on a loaded 2-core machine, N = 2048 would take minutes); producers write N <= 1000
MAX_BNB_BINS = 1024


def _signs(cert: dict[str, Any], name: str, n: int) -> list[int]:
    v = field_list(cert, name, n)
    if any(isinstance(x, bool) or x not in (1, -1) for x in v):
        raise CertificateFormatError(f"'{name}' must be a list of {n} entries +1/-1")
    return [int(x) for x in v]


def _lower(claimed: Fraction, proven: Fraction, what: str) -> None:
    if claimed > proven:
        raise CertificateError(f"claimed lower bound {show_rational(claimed)} exceeds {what} ({show_rational(proven)})")


# ------------------------------------------------------------ lower bounds
def check_strategy(cert: dict[str, Any], source: str) -> Bound:
    """Lower bound: the exact value of the step strategy ``(g, h)`` on ``bins`` bins.

    >>> from proofs.exact.certificate import new_certificate
    >>> c = new_certificate("classical-strategy", {"type": "linear", "s": "1"}, 2, "lower", Fraction(749, 1000), bins=2, g=[1, 1], h=[1, -1])
    >>> b = check_strategy(c, "demo")
    >>> b.value, round(float(b.details["proven"]), 12)
    (Fraction(749, 1000), 0.75)
    """
    hd = certificate_header(cert, "classical-strategy", "lower")
    bins = field_int(cert, "bins", 1, MAX_N)
    if hd.n not in (bins, None):
        raise CertificateFormatError(f"'N' must equal 'bins' = {bins} (the N-bin game) or be null (a step strategy is a continuum strategy); got {hd.n}")
    g = _signs(cert, "g", bins)
    h = _signs(cert, "h", bins)
    proven = win_lower(step_strategy_win(hd.game, g, h))
    _lower(hd.bound, proven, "the strategy's exact value")
    return _issue(
        "lower", hd.bound, Target(hd.game.describe(), hd.n, "classical"), source,
        "check_classical.check_strategy (exact value of a step strategy)", proven=proven,
    )


def check_threshold(cert: dict[str, Any], source: str) -> Bound:
    """Lower bound on the continuum value: exact value of a strategy with rational switch points."""
    hd = certificate_header(cert, "classical-threshold", "lower")
    if hd.n is not None:
        raise CertificateFormatError(f"a 'classical-threshold' certificate bounds the continuum game: 'N' must be null; got {hd.n}")
    sides = []
    for side in ("a", "b"):
        sw = field_list(cert, f"{side}_switches", max_length=MAX_SWITCHES)
        st = cert.get(f"{side}_start")
        if isinstance(st, bool) or st not in (1, -1):
            raise CertificateFormatError(f"'{side}_start' must be +1 or -1; got {str(st)[:20]}")
        pts = [parse_fraction(x, f"{side}_switches") for x in sw]
        if any(not 0 <= x <= 1 for x in pts) or pts != sorted(pts):
            raise CertificateFormatError(f"'{side}_switches' must be non-decreasing rationals in [0, 1]")
        sides.append((pts, int(st)))
    proven = win_lower(threshold_strategy_win(hd.game, sides[0][0], sides[0][1], sides[1][0], sides[1][1]))
    _lower(hd.bound, proven, "the strategy's exact value")
    return _issue(
        "lower", hd.bound, Target(hd.game.describe(), None, "classical"), source,
        "check_classical.check_threshold (exact value of a continuum step strategy)", proven=proven,
    )


# ------------------------------------------------------------ upper bound (N-bin)
def _chain(kind: np.ndarray, lo: np.ndarray, hi: np.ndarray, S: int) -> tuple[list[int], list[int], list[int], list[int], int]:
    """The chain of crossed cells: step types, columns, rounded-up units (Python ints), rows without crossed cells."""
    n = kind.shape[0]
    scale = n * n * (1 << S)
    step: list[int] = []
    cols: list[int] = []
    pos: list[int] = []
    neg: list[int] = []
    rows: list[int] = []
    plain: list[int] = []
    for i in range(n):
        cr = np.nonzero(kind[i] == 0)[0]
        bunch = np.nonzero(kind[i] == 1)[0]
        lo_i = int(bunch.max()) + 1 if bunch.size else 0
        if cr.size == 0:
            if not (lo_i == n or lo_i == 0) or (lo_i == n and np.any(kind[i] != 1)) or (lo_i == 0 and np.any(kind[i] != -1)):
                raise CertificateError(f"row {i} is neither crossed nor uniform; the boundary is not monotone")
            plain.append(i)
            continue
        if not (cr[0] == lo_i and cr[-1] == lo_i + cr.size - 1 and np.all(kind[i, cr[-1] + 1 :] == -1) and np.all(kind[i, :lo_i] == 1)):
            raise CertificateError(f"row {i} is not bunch | crossed | split; the boundary is not monotone")
        for j in cr[::-1]:
            j = int(j)
            if not step:
                typ = 0
            else:
                pi, pj = rows[-1], cols[-1]
                typ = {(0, -1): 1, (1, 0): 2, (1, -1): 3}.get((i - pi, j - pj), -1)
                if typ < 0:
                    raise CertificateError(f"crossed cells ({pi}, {pj}) and ({i}, {j}) are not adjacent along the boundary")
            # exact rationals of the float enclosure, rounded up to integer units (Python ints: no overflow)
            up = Fraction(float(hi[i, j])) * scale
            dn = -Fraction(float(lo[i, j])) * scale
            step.append(typ)
            cols.append(j)
            rows.append(i)
            pos.append(-((-up.numerator) // up.denominator))
            neg.append(-((-dn.numerator) // dn.denominator))
    if not step:
        raise CertificateError("the game has no crossed cell at this N; the chain programme does not apply")
    if plain and not all(r < rows[0] or r > rows[-1] for r in plain):
        raise CertificateError("a uniform row lies between crossed rows")
    return step, cols, pos, neg, len(plain)


def check_bnb(cert: dict[str, Any], source: str) -> Bound:
    """Upper bound on the N-bin classical value from a branch-and-bound tree over ``K``.

    Lemma: for fixed ``K = sum h`` the chain programme is exact (every term
    of ``g^T M h`` is a function of one chain cell's signs and the running prefix
    sum); rounding crossed cells up makes each leaf an upper bound; the sign
    flip ``(g, h) -> (-g, -h)`` covers ``K < 0``.
    """
    hd = certificate_header(cert, "classical-bnb", "upper")
    n = field_int(cert, "bins", 1, MAX_BNB_BINS)
    if hd.n != n:
        raise CertificateFormatError(f"a 'classical-bnb' certificate bounds the N-bin game with N = 'bins' = {n}; got N = {hd.n}")
    S = cert.get("scale_bits")
    if isinstance(S, bool) or not isinstance(S, int) or not chain_scale_bits_ok(n, S):
        raise CertificateFormatError(f"'scale_bits' must be an integer S >= 0 with (4 N^2 + 4 N) 2^S < 2^61; got {str(S)[:20]}")
    need = list(range(n % 2, n + 1, 2))
    leaves = field_list(cert, "leaves", max_length=len(need))  # length bounded before anything is read
    if not all(isinstance(x, dict) and type(x.get("K")) is int and type(x.get("bound_units")) is int for x in leaves):
        raise CertificateFormatError("'leaves' must be a list of {'K': int, 'bound_units': int}")
    claimed = {x["K"]: x["bound_units"] for x in leaves}
    if len(leaves) != len(need) or set(claimed) != set(need):
        missing = sorted(set(need) - set(claimed))[:5]
        raise CertificateError(f"leaves must cover K = {n % 2}, {n % 2 + 2}, ..., {n} exactly once; missing {missing}, extra {sorted(set(claimed) - set(need))[:5]}")
    enc = cell_enclosure(hd.game, n)
    step, cols, pos, neg, n_plain = _chain(enc.kind, enc.lo, enc.hi, S)
    got = chain_leaf_bounds(step, cols, pos, neg, n, need, S, n_plain)
    for k, u in zip(need, got.tolist()):
        if u > claimed[k]:
            raise CertificateError(f"leaf K = {k}: recomputed bound {u} exceeds the claimed {claimed[k]} units")
    top = max(claimed.values())
    implied = Fraction(1, 2) + Fraction(top, 2 * n * n * (1 << S))
    if hd.bound < implied:
        raise CertificateError(f"claimed bound {show_rational(hd.bound, 17)} is below the largest leaf bound {show_rational(implied, 17)}")
    return _issue(
        "upper", hd.bound, Target(hd.game.describe(), n, "classical"), source,
        "check_classical.check_bnb (exact chain DP per leaf K; sign-flip symmetry)", proven=implied, leaves=len(leaves),
    )


def check_dp(cert: dict[str, Any], source: str) -> Bound:
    """Upper bound on the continuum value (``classical-dp``); see :mod:`proofs.checkers.classical_dp`."""
    from proofs.checkers.classical_dp import check_dp as _check

    return _check(cert, source)
