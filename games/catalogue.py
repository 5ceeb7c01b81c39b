"""Named games: the paper's routing game and the linear-boundary test game."""

from __future__ import annotations

import math
from typing import Any

from games.errors import GameParameterError, GameTypeError, check_real, show
from games.spec import HyperbolicBoundary, LinearBoundary, SumThresholdBoundary, XorGame

__all__ = ["linear_boundary_game", "paper_game", "sum_threshold_game"]


def paper_game(C: float | None = None, *, mu: float | None = None, t: float | None = None) -> XorGame:
    """The paper's game (Eq. 4): bunch iff ``(1 - a)(1 - b) >= C``.

    Give either ``C`` in (0, 1), or the exponential rate ``mu > 0`` and the
    threshold ``t > 0``, in which case ``C = exp(-mu t)`` (Eq. 3).

    Examples
    --------
    >>> paper_game(0.33).boundary.C
    0.33
    >>> round(paper_game(mu=2.0, t=0.5).boundary.C, 6)   # exp(-1)
    0.367879
    >>> paper_game(1.5)
    Traceback (most recent call last):
    ...
    games.errors.GameParameterError: `C` must lie in (0, 1); got 1.5
    """
    meta: dict[str, Any] = {}
    if C is not None:
        if mu is not None or t is not None:
            raise GameParameterError(f"give either `C` or (`mu`, `t`), not both; got C={C!r}, mu={mu!r}, t={t!r}")
        c = check_real("C", C, low=0, high=1, low_open=True, high_open=True)
    else:
        if mu is None or t is None:
            raise GameParameterError(f"give `C`, or both `mu` and `t`; got mu={mu!r}, t={t!r}")
        m = check_real("mu", mu, low=0, low_open=True)
        tt = check_real("t", t, low=0, low_open=True)
        c = math.exp(-m * tt)
        if not 0.0 < c < 1.0:
            raise GameParameterError(f"`mu` and `t` must give C = exp(-mu t) in (0, 1), so mu * t in (0, inf); got mu={mu!r}, t={t!r} "
                                     f"(mu * t = {m * tt!r})")
        meta = {"mu": m, "t": tt}
    return XorGame(HyperbolicBoundary(c), name="paper", _meta=meta)


def linear_boundary_game(s: float = 1.0) -> XorGame:
    """Aharon et al.'s game: bunch iff ``a + b <= s`` (``s = 1`` is the known game).

    Its classical value is 3/4 and its quantum value ``1/2 + 1/pi``.

    >>> round(linear_boundary_game().bunch_probability(), 12)
    0.5
    """
    return XorGame(LinearBoundary(s), name="linear-boundary")


def sum_threshold_game(law: Any, t: float) -> XorGame:
    """The routing game for i.i.d. service times of any law: bunch iff ``X1 + X2 <= t``.

    ``law`` is a frozen ``scipy.stats`` continuous distribution supported on
    ``[0, inf)``.  An exponential law (``scipy.stats.expon`` with ``loc = 0``)
    gives the closed-form :func:`paper_game` with ``C = exp(-t / scale)``.

    >>> from scipy import stats
    >>> round(sum_threshold_game(stats.expon(scale=1.0), 1.0).boundary.C, 6)
    0.367879
    >>> sum_threshold_game("exp", 1.0)
    Traceback (most recent call last):
    ...
    games.errors.GameTypeError: `law` must be a frozen scipy.stats continuous distribution; got 'exp' of type str
    """
    if not (hasattr(law, "cdf") and hasattr(law, "ppf")):
        raise GameTypeError(f"`law` must be a frozen scipy.stats continuous distribution; got {show(law)} of type {type(law).__name__}")
    tt = check_real("t", t, low=0, low_open=True)
    dist = getattr(law, "dist", None)
    if getattr(dist, "name", None) == "expon":
        loc = float(law.kwds.get("loc", law.args[0] if law.args else 0.0))
        scale = float(law.kwds.get("scale", law.args[1] if len(law.args) > 1 else 1.0))
        if loc == 0.0:
            return paper_game(mu=1.0 / scale, t=tt)
    return XorGame(SumThresholdBoundary(law, tt), name="sum-threshold")
