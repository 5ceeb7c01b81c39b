"""The operating point of the system problem: pair rate, service law and waiting-time limit.

:class:`OperatingPoint` holds the constants every system module needs
(Pollaczek-Khinchine: the always-split wait ``W_0``, the always-bunch wait,
``kappa``, ``E[c]``, the Lagrangian matrix ``M(nu)``); :func:`operating_point`
validates the parameters and refuses an infeasible ``W_limit``.  The solver is
:mod:`bounds.system`; the routers are in :mod:`bounds.system_routers`, the
dual functions in :mod:`bounds.system_duals`.

>>> pt = operating_point(0.6, 1.65)
>>> round(pt.W_split, 12), round(pt.W_bunch, 12)
(1.5, 2.75)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from analytic.laws.service import ServiceLaw
from bounds.errors import BoundsParameterError, BoundsTypeError
from games.errors import show

__all__ = ["OperatingPoint", "SystemInfeasibleError", "SystemParameterError", "operating_point", "real_parameter"]


class SystemParameterError(BoundsParameterError):
    """An operating-point parameter is out of range."""


class SystemInfeasibleError(SystemParameterError):
    """``W_limit`` is below the always-split waiting time: no routing meets it."""


def real_parameter(name: str, v: Any, *, low: float | None = None, low_open: bool = False) -> float:
    """``v`` as a finite float ``>= low`` (``> low`` with ``low_open``); the parameter check of the system modules.

    Raises :class:`bounds.errors.BoundsTypeError` for a non-number (``bool``
    included) and :class:`SystemParameterError` naming ``name``, the range and
    the value otherwise.

    >>> real_parameter("nu", 2)
    2.0
    >>> real_parameter("lam", 0.0, low=0.0, low_open=True)
    Traceback (most recent call last):
    ...
    bounds.system_point.SystemParameterError: `lam` must be > 0; got 0.0
    """
    if isinstance(v, bool) or not isinstance(v, (int, float, np.integer, np.floating)):
        raise BoundsTypeError(f"`{name}` must be a real number; got {v!r}")
    v = float(v)
    if not math.isfinite(v):
        raise SystemParameterError(f"`{name}` must be finite; got {v!r}")
    if low is not None and (v < low or (low_open and v == low)):
        raise SystemParameterError(f"`{name}` must be {'>' if low_open else '>='} {low:g}; got {v!r}")
    return v


@dataclass(frozen=True)
class OperatingPoint:
    """Pair rate ``lam``, service law and waiting-time limit; the constants of the problem.

    Create with :func:`operating_point` (validates).  ``W_split`` is the
    always-split waiting time ``W_0``, ``W_bunch`` the always-bunch one,
    ``budget = W_limit - W_0`` and ``mean_cost = E[c] = W_bunch - W_0``.
    """

    lam: float
    W_limit: float
    law: ServiceLaw

    @property
    def rho(self) -> float:
        return self.lam * self.law.mean

    @property
    def kappa(self) -> float:
        return self.lam / (2.0 * (1.0 - self.rho))

    @property
    def W_split(self) -> float:
        return self.lam * self.law.second_moment / (2.0 * (1.0 - self.rho))

    @property
    def mean_cost(self) -> float:
        return self.kappa * self.law.mean**2 + self.law.mean / 2.0

    @property
    def W_bunch(self) -> float:
        return self.W_split + self.mean_cost

    @property
    def budget(self) -> float:
        return self.W_limit - self.W_split

    def matrix(self, nu: float) -> NDArray[np.float64]:
        """``M(nu) = [[1, -nu/4], [-nu/4, -nu kappa]]``.

        >>> operating_point(0.5, 1.5).matrix(2.0).tolist()   # kappa = 0.5 / (2 * 0.5)
        [[1.0, -0.5], [-0.5, -1.0]]
        """
        return np.array([[1.0, -nu / 4.0], [-nu / 4.0, -nu * self.kappa]])

    def mean_kernel(self, nu: float) -> float:
        """``E[k] = 1 - nu E[c]``."""
        return 1.0 - nu * self.mean_cost

    def describe(self) -> dict[str, Any]:
        return {"lam": self.lam, **self.law.describe(), "rho": self.rho, "W_limit": self.W_limit,
                "W_split": self.W_split, "W_bunch": self.W_bunch, "order": "random"}


def require_point(pt: Any, name: str = "pt") -> OperatingPoint:
    """``pt`` if it is an :class:`OperatingPoint` (from :func:`operating_point`), else :class:`BoundsTypeError`."""
    if not isinstance(pt, OperatingPoint):
        raise BoundsTypeError(f"`{name}` must be a bounds.OperatingPoint (bounds.operating_point(lam, W_limit)); got {show(pt)} of type "
                              f"{type(pt).__name__}")
    return pt


def operating_point(lam: float, W_limit: float, *, mu: float | None = None, law: ServiceLaw | None = None) -> OperatingPoint:
    """Validated :class:`OperatingPoint` (exponential law of rate ``mu = 1`` unless ``law`` is given).

    Raises :class:`SystemInfeasibleError` when ``W_limit`` is below the
    always-split waiting time (no class of routers can meet it).

    >>> operating_point(0.6, 1.2)
    Traceback (most recent call last):
    ...
    bounds.system_point.SystemInfeasibleError: `W_limit` = 1.2 is below the always-split waiting time W_0 = 1.5 (rho = 0.6): infeasible for every class of routers
    >>> operating_point(1.0, 2.0)
    Traceback (most recent call last):
    ...
    bounds.system_point.SystemParameterError: `rho` = lam * E[X] must be < 1 for a stable system; got rho = 1
    """
    lam = real_parameter("lam", lam, low=0.0, low_open=True)
    W_limit = real_parameter("W_limit", W_limit, low=0.0)
    if law is None:
        law = ServiceLaw.exponential(real_parameter("mu", 1.0 if mu is None else mu, low=0.0, low_open=True))
    elif mu is not None:
        raise SystemParameterError(f"give either `mu` or `law`, not both; got mu = {mu!r}")
    if not isinstance(law, ServiceLaw):
        raise SystemParameterError(f"`law` must be an analytic.ServiceLaw (ServiceLaw.named('gamma:4'), ...); got {show(law)} of type "
                                   f"{type(law).__name__}")
    if not math.isfinite(law.second_moment):
        raise SystemParameterError("the service law must have a finite second moment")
    rho = lam * law.mean
    if not rho < 1:
        raise SystemParameterError(f"`rho` = lam * E[X] must be < 1 for a stable system; got rho = {rho:g}")
    pt = OperatingPoint(lam, W_limit, law)
    if W_limit < pt.W_split * (1 - 1e-15):
        raise SystemInfeasibleError(
            f"`W_limit` = {W_limit:g} is below the always-split waiting time W_0 = {pt.W_split:.12g} (rho = {rho:g}): infeasible for every class of routers"
        )
    return pt
