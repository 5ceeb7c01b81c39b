"""JSON certificates for classical values (kinds checked by :mod:`proofs.check_classical`).

Kinds written here:

``classical-strategy``
    an explicit step strategy ``g, h`` on N equal bins (lower bound on the N-bin
    value and, by inclusion, on the continuum value);
``classical-threshold``
    a continuum strategy with rational switch points (continuum lower bound);
``classical-bnb``
    the branch-and-bound tree of the exact N-bin optimum: one leaf per end value
    ``K = sum_j h_j >= 0`` with its bound in integer units (upper bound);
``classical-dp``
    the continuum dynamic programme: one leaf per lattice end value with its
    bound (upper bound on the continuum value).

Numbers are exact: rationals as ``"p/q"`` strings, integers as JSON integers.
The game is described exactly with :func:`proofs.arithmetic.exact_parameter`.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from bounds.certificates import exact_boundary, write_certificate
from bounds.certificates import q as frac
from bounds.errors import BoundsParameterError

__all__ = ["bnb_certificate", "dp_certificate", "exact_game", "frac", "strategy_certificate", "threshold_certificate", "write_certificate"]


def exact_game(game: Any) -> dict[str, Any]:
    """Exact JSON description of a game's boundary (hyperbolic or linear).

    Accepts an :class:`games.XorGame`, its ``describe()`` dict or an already exact
    boundary dict.

    >>> from games import paper_game
    >>> exact_game(paper_game(0.33))
    {'kind': 'hyperbolic', 'C': '33/100'}
    """
    from bounds.errors import BoundsTypeError

    if hasattr(game, "describe"):
        desc = game.describe()
    elif isinstance(game, dict):
        desc = game
    else:
        raise BoundsTypeError(f"`game` must be a games.XorGame or its describe() dict; got {type(game).__name__}")
    return exact_boundary(desc.get("boundary", desc))


def strategy_certificate(game: Any, g: Sequence[int], h: Sequence[int], **info: Any) -> dict[str, Any]:
    """``classical-strategy`` certificate: the step strategy's value is a lower bound.

    >>> from games import linear_boundary_game
    >>> strategy_certificate(linear_boundary_game(), [1, -1], [1, 1])["N"]
    2
    """
    g = [int(x) for x in g]
    h = [int(x) for x in h]
    if len(g) != len(h) or any(x not in (1, -1) for x in g + h):
        raise BoundsParameterError(f"`g` and `h` must be +/-1 lists of equal length; got lengths {len(g)}, {len(h)}")
    return {"kind": "classical-strategy", "game": exact_game(game), "N": len(g), "g": g, "h": h, **info}


def threshold_certificate(
    game: Any, a_switches: Sequence[Fraction], b_switches: Sequence[Fraction], a_start: int, b_start: int, **info: Any
) -> dict[str, Any]:
    """``classical-threshold`` certificate: continuum strategy with rational switch points.

    >>> from games import linear_boundary_game
    >>> threshold_certificate(linear_boundary_game(), [Fraction(1, 2)], [], 1, 1)["a_switches"]
    ['1/2']
    """
    return {
        "kind": "classical-threshold",
        "game": exact_game(game),
        "N": None,
        "a_switches": [frac(Fraction(x)) for x in a_switches],
        "b_switches": [frac(Fraction(x)) for x in b_switches],
        "a_start": int(a_start),
        "b_start": int(b_start),
        **info,
    }


def bnb_certificate(game: Any, n: int, value: Fraction, scale_bits: int, leaves: Sequence[tuple[int, int]], **info: Any) -> dict[str, Any]:
    """``classical-bnb`` certificate: leaves ``(K, bound_units)`` of the branch over ``K = sum h >= 0``.

    >>> from games import linear_boundary_game
    >>> bnb_certificate(linear_boundary_game(), 2, Fraction(3, 4), 10, [(0, 2048), (2, 2048)])["value"]
    '3/4'
    """
    return {
        "kind": "classical-bnb",
        "game": exact_game(game),
        "N": int(n),
        "value": frac(value),
        "scale_bits": int(scale_bits),
        "branch_variable": "K = sum_j h_j (end value of the prefix-sum path); K < 0 covered by the sign flip (g, h) -> (-g, -h)",
        "leaves": [{"K": int(k), "bound_units": int(u)} for k, u in leaves],
        **info,
    }


def dp_certificate(game: Any, bins: int, tau: Fraction, value: Fraction, scale_bits: int, leaves: Sequence[tuple[int, int]], **info: Any) -> dict[str, Any]:
    """``classical-dp`` certificate: leaves ``(j, bound_units)`` of the continuum programme.

    >>> from games import paper_game
    >>> dp_certificate(paper_game(0.5), 2, Fraction(1, 2), Fraction(9, 10), 50, [(0, 1)])["tau"]
    '1/2'
    """
    return {
        "kind": "classical-dp",
        "game": exact_game(game),
        "N": None,
        "bins": int(bins),
        "tau": frac(tau),
        "scale_bits": int(scale_bits),
        "value": frac(value),
        "branch_variable": "j = H(X)/D (end point of the lattice path, fixes K = j D + tau); tau = +(1 - X) by the sign flip h -> -h",
        "leaves": [{"j": int(j), "bound_units": int(u)} for j, u in leaves],
        **info,
    }
