"""The sum-threshold game of a catalogue service law, with an exact description.

:func:`law_game` is :func:`games.catalogue.sum_threshold_game` for a named law
of :class:`analytic.laws.catalogue.LawSpec` (mean 1): bunch iff ``X1 + X2 <= t``.  Its
boundary describes itself exactly (law name, rational parameter, rational
``t``), so certificates can name the game and the checkers in
:mod:`proofs.exact.sum_threshold` can rebuild its cells with outward-rounded
enclosures.

>>> g = law_game("gamma:4", 1.5)
>>> g.describe()["boundary"]
{'kind': 'sum-threshold', 'law': 'gamma', 'param': '4/1', 't': '3/2'}
>>> round(g.bunch_probability(), 6)   # P(X1 + X2 <= 3/2), X1 + X2 ~ Gamma(8, rate 4)
0.25602
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from analytic.laws.catalogue import LawSpec, parse_law
from games.errors import GameParameterError, GameTypeError, check_real
from games.spec import SumThresholdBoundary, XorGame

__all__ = ["LawBoundary", "law_game"]


@dataclass(frozen=True, eq=False)
class LawBoundary(SumThresholdBoundary):
    """:class:`games.spec.SumThresholdBoundary` of a catalogue law, with its exact threshold ``t_exact``."""

    spec: LawSpec = None  # type: ignore[assignment]
    t_exact: Fraction = Fraction(0)

    def describe(self) -> dict[str, Any]:
        t = self.t_exact
        return {"kind": "sum-threshold", **self.spec.describe(), "t": f"{t.numerator}/{t.denominator}"}


def law_game(law: str | LawSpec, t: float | Fraction | str) -> XorGame:
    """The routing game ``X1 + X2 <= t`` for a catalogue law (mean 1).

    ``t`` may be a float (read as its shortest decimal, ``0.33`` is 33/100),
    a Fraction or a ``"p/q"`` string.

    >>> law_game("uniform", 1).describe()["boundary"]["t"]
    '1/1'
    >>> law_game("uniform", -1)
    Traceback (most recent call last):
    ...
    games.errors.GameParameterError: `t` must lie in (0, inf]; got -1
    """
    spec = parse_law(law) if isinstance(law, str) else law
    if not isinstance(spec, LawSpec):
        raise GameTypeError(f"`law` must be a catalogue name NAME[:PARAM] or an analytic.LawSpec; got {type(law).__name__}")
    if isinstance(t, (Fraction, str)):
        try:
            te = Fraction(t)
        except (ValueError, ZeroDivisionError) as exc:
            raise GameParameterError(f"`t` must be a positive number; got {t!r}") from exc
        check_real("t", float(te), low=0, low_open=True)
    else:
        tf = check_real("t", t, low=0, low_open=True)
        te = Fraction(repr(float(tf)))
    return XorGame(LawBoundary(spec.frozen(), float(te), spec, te), name=f"sum-threshold {spec.label}", _meta={"law": spec.label})
