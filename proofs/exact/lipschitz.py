"""Lipschitz-in-C bounds on the paper's game value between certified grid points.

Lemma (Lipschitz in C).  For the game bunch iff ``(1 - a)(1 - b) >= C`` and
a fixed strategy, the winning probability at ``C`` and ``C'`` differs by at
most the measure of the symmetric difference of the two bunch regions,
``|P_bunch(C) - P_bunch(C')|``; since ``P_bunch(C) = (1 - C) + C ln C`` has
``dP_bunch/dC = ln C``, the difference is at most ``L |C - C'|`` with
``L = max |ln c|`` over ``[C, C']``, which is ``|ln c0|`` on ``[c0, c1]``
(``|ln c|`` decreases on (0, 1)).  The value ``V`` (a maximum over
strategies) inherits the bound, so with certified lower bounds ``A <= V(c0)``
and ``B <= V(c1)``, for every ``C`` in ``[c0, c1]``

    V(C) >= max(A - L (C - c0), B - L (c1 - C)) >= max((A + B - L h)/2, A - L h, B - L h),

``h = c1 - c0`` (the right-hand side is the minimum over ``C`` of the middle
expression).  Everything here is exact: ``L`` is a rational upper bound of
``|ln c0|`` from an arb enclosure, the rest is rational arithmetic.

>>> lo = cell_lower_bound(Fraction(1, 3), Fraction(1, 2), Fraction(7, 10), Fraction(7, 10))
>>> float(lo) < 0.7 - 0.5 * 0.1666 * 1.0986
True
"""

from __future__ import annotations

from fractions import Fraction

from proofs.exact.errors import QcoordParameterError
from proofs.exact.rational import arb_fraction, float_up

__all__ = ["cell_lower_bound", "log_abs_upper"]


def log_abs_upper(c: Fraction) -> Fraction:
    """A rational ``>= |ln c|`` for ``c`` in (0, 1), from an arb enclosure (a few ulps above).

    >>> import math
    >>> 0 <= log_abs_upper(Fraction(1, 2)) - Fraction(math.log(2)) < 1e-15
    True
    """
    from flint import ctx

    c = Fraction(c)
    if not 0 < c < 1:
        raise QcoordParameterError(f"`c` must lie in (0, 1); got {c}")
    old = ctx.prec
    ctx.prec = 128
    try:
        ball = -(arb_fraction(c).log())
        return Fraction(float_up(float_up(ball.upper())))
    finally:
        ctx.prec = old


def cell_lower_bound(c0: Fraction, c1: Fraction, lower0: Fraction, lower1: Fraction) -> Fraction:
    """Exact lower bound of the value on ``[c0, c1]`` from certified lower bounds at its ends (lemma above).

    ``lower0 <= V(c0)`` and ``lower1 <= V(c1)`` must be certified (exact)
    lower bounds; a caller holding floats rounded to nearest should first
    step them down one ulp.

    >>> cell_lower_bound(Fraction(1, 2), Fraction(1, 2), Fraction(3, 4), Fraction(3, 4))
    Fraction(3, 4)
    """
    c0, c1, A, B = (Fraction(v) for v in (c0, c1, lower0, lower1))
    if not 0 < c0 <= c1 < 1:
        raise QcoordParameterError(f"need 0 < c0 <= c1 < 1; got c0 = {c0}, c1 = {c1}")
    h = c1 - c0
    L = log_abs_upper(c0)
    return max((A + B - L * h) / 2, A - L * h, B - L * h)
