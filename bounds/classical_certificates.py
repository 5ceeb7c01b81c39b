"""JSON certificates for classical values (kinds checked by :mod:`proofs.checkers.classical`).

Certificates follow the one format of :mod:`proofs.exact.certificate`
(``schema``, ``kind``, ``game``, ``N`` -- null for the continuum --, ``side``,
``bound``).  Kinds written here:

``classical-strategy``
    an explicit step strategy ``g, h`` on ``bins`` equal bins (lower bound on
    the N-bin value and, by inclusion, on the continuum value);
``classical-threshold``
    a continuum strategy with rational switch points (continuum lower bound);
``classical-bnb``
    the branch-and-bound tree of the exact N-bin optimum: one leaf per end value
    ``K = sum_j h_j >= 0`` with its bound in integer units (upper bound);
``classical-dp``
    the continuum dynamic programme: one leaf per lattice end value with its
    bound (upper bound on the continuum value, and on every N-bin value).

Numbers are exact: rationals as ``"p/q"`` strings, integers as JSON integers.
The claimed bound of a strategy is its exact value rounded down
(:mod:`proofs.exact.values`), so the checker accepts it the first time.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from bounds.errors import BoundsParameterError
from proofs.exact import fraction_str, new_certificate
from proofs.exact.values import step_strategy_win, threshold_strategy_win, win_lower

__all__ = ["bnb_certificate", "dp_certificate", "strategy_certificate", "threshold_certificate"]


def strategy_certificate(game: Any, g: Sequence[int], h: Sequence[int], *, continuum: bool = False, **info: Any) -> dict[str, Any]:
    """``classical-strategy`` certificate: the step strategy's exact value (rounded down) is a lower bound.

    >>> from games import linear_boundary_game
    >>> c = strategy_certificate(linear_boundary_game(), [1, 1], [1, -1])
    >>> c["N"], c["bins"], round(float(Fraction(c["bound"])), 12)
    (2, 2, 0.75)
    """
    g = [int(x) for x in g]
    h = [int(x) for x in h]
    if not g or len(g) != len(h) or any(x not in (1, -1) for x in g + h):
        raise BoundsParameterError(f"`g` and `h` must be non-empty +/-1 lists of equal length; got lengths {len(g)}, {len(h)}")
    n = len(g)
    bound = win_lower(step_strategy_win(game, g, h))
    return new_certificate("classical-strategy", game, None if continuum else n, "lower", bound, bins=n, g=g, h=h, **info)


def threshold_certificate(
    game: Any, a_switches: Sequence[Fraction], b_switches: Sequence[Fraction], a_start: int, b_start: int, **info: Any
) -> dict[str, Any]:
    """``classical-threshold`` certificate: continuum strategy with rational switch points.

    >>> from games import linear_boundary_game
    >>> c = threshold_certificate(linear_boundary_game(), [Fraction(1, 2)], [], 1, 1)
    >>> c["a_switches"], c["N"]
    (['1/2'], None)
    """
    a = [Fraction(x) for x in a_switches]
    b = [Fraction(x) for x in b_switches]
    bound = win_lower(threshold_strategy_win(game, a, int(a_start), b, int(b_start)))
    return new_certificate(
        "classical-threshold", game, None, "lower", bound,
        a_switches=[fraction_str(x) for x in a], b_switches=[fraction_str(x) for x in b],
        a_start=int(a_start), b_start=int(b_start), **info,
    )


def bnb_certificate(game: Any, n: int, value: Fraction, scale_bits: int, leaves: Sequence[tuple[int, int]], **info: Any) -> dict[str, Any]:
    """``classical-bnb`` certificate: leaves ``(K, bound_units)`` of the branch over ``K = sum h >= 0``.

    >>> from games import linear_boundary_game
    >>> bnb_certificate(linear_boundary_game(), 2, Fraction(3, 4), 10, [(0, 2048), (2, 2048)])["bound"]
    '3/4'
    """
    return new_certificate(
        "classical-bnb", game, int(n), "upper", value,
        bins=int(n),
        scale_bits=int(scale_bits),
        branch_variable="K = sum_j h_j (end value of the prefix-sum path); K < 0 covered by the sign flip (g, h) -> (-g, -h)",
        leaves=[{"K": int(k), "bound_units": int(u)} for k, u in leaves],
        **info,
    )


def dp_certificate(
    game: Any, bins: int, tau: Fraction, value: Fraction, scale_bits: int, leaves: Sequence[tuple[int, int]], *, n: int | None = None, **info: Any
) -> dict[str, Any]:
    """``classical-dp`` certificate: leaves ``(j, bound_units)`` of the continuum programme.

    ``n`` (default None: the continuum) names an N-bin game the bound is
    claimed for (every N-bin strategy is a continuum strategy).

    >>> from games import paper_game
    >>> dp_certificate(paper_game(0.5), 2, Fraction(1, 2), Fraction(9, 10), 50, [(0, 1)])["tau"]
    '1/2'
    """
    return new_certificate(
        "classical-dp", game, n, "upper", value,
        bins=int(bins),
        tau=fraction_str(tau),
        scale_bits=int(scale_bits),
        branch_variable="j = H(X)/D (end point of the lattice path, fixes K = j D + tau); tau = +(1 - X) by the sign flip h -> -h",
        leaves=[{"j": int(j), "bound_units": int(u)} for j, u in leaves],
        **info,
    )
