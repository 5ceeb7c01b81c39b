"""Route-on-arrival with shared-coin time windows in the limit of long windows (lemma T8 of ``proofs/lemmas_system.md``).

The classical competitor of timeslotted routing (lemma T6 (c)): a shared
clock cuts time into windows of length ``theta``; a shared coin per window
bunches it with probability ``f`` (every customer of both routers goes to the
window's server, itself a fair coin) and otherwise every customer takes its
own fair coin.  Per server the customer rate is ``lam_s = (lam_A + lam_B)/2``
and the load ``rho = lam_s E[X]``; a bunched window feeds one server at
``2 lam_s`` (load ``2 rho``) and the other not at all.

As ``theta -> infinity`` (lemma T8):

* ``2 rho < 1`` (*mixture*): each window's regime relaxes, so per customer
  ``W_q -> f W_b + (1 - f) W_0`` (Pollaczek-Khinchine at rates ``2 lam_s`` and
  ``lam_s``), while the idle server of a bunched window idles for the whole
  window: with ``p = f/2`` and ``T(t) = t^k``,
  ``E[T_B] / theta^(k-1) -> p (1 - p) E[J^k]``, ``J ~ Geometric(1 - p)`` on
  ``{1, 2, ...}`` (runs of windows idle for one server).  For ``k > 1`` the
  throughput is unbounded: any ``f > 0`` meeting the limit wins for long
  enough windows.
* ``2 rho > 1`` (*fluid*): a bunched window overloads its server (drift
  ``2 rho - 1``), which then drains at ``1 - rho``; with ``f = c / theta``
  (the only scaling with a finite, non-trivial limit)
  ``W_q -> W_0 + c (2 rho - 1) / (4 (1 - rho))`` and
  ``E[T_B] = TB_0 + (c/2) theta^(k-2) + o(theta^(k-2))``, ``TB_0`` the
  fair-coin value ``(1 - rho) Gamma(k + 1) / lam_s^(k-1)``.  For ``k = 2`` the
  limit is finite: ``TB_0 + 2 (1 - rho)(W_l - W_0) / (2 rho - 1)`` at the
  largest ``c`` meeting ``W_l``.

All values are closed forms (floats) of the limit, *not* bounds on any finite
``theta``.

>>> from analytic.laws.service import ServiceLaw
>>> lim = window_limit(0.6, ServiceLaw.exponential(1.0), 1.65, k=2.0)     # rho = 0.6, W_l = 1.1 W_0
>>> lim.regime, round(lim.param, 12), round(lim.tb, 12)
('fluid', 1.2, 1.933333333333)
>>> window_limit(0.3, ServiceLaw.exponential(1.0), 0.5).tb                 # rho = 0.3 < 1/2: unbounded for k > 1
inf
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from analytic.errors import AnalyticParameterError
from analytic.laws.service import ServiceLaw

__all__ = ["WindowLimit", "geometric_moment", "mg1_idle_throughput", "mg1_wait", "window_limit", "window_limit_at"]


def _real(name: str, v: Any, *, low: float = 0.0, low_open: bool = True, high: float = math.inf) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise AnalyticParameterError(f"`{name}` must be a real number; got {v!r}")
    x = float(v)
    if not math.isfinite(x) or x < low or (low_open and x == low) or x > high:
        rng = f"{'(' if low_open else '['}{low:g}, {high:g}{']' if math.isfinite(high) else ')'}"
        raise AnalyticParameterError(f"`{name}` must lie in {rng}; got {v!r}")
    return x


def mg1_wait(rate: float, law: ServiceLaw) -> float:
    """Pollaczek-Khinchine ``W_q = rate E[X^2] / (2 (1 - rate E[X]))`` (``inf`` when ``rate E[X] >= 1``).

    >>> round(mg1_wait(0.6, ServiceLaw.exponential(1.0)), 12)
    1.5
    """
    rho = rate * law.mean
    return math.inf if rho >= 1 else rate * law.second_moment / (2 * (1 - rho))


def mg1_idle_throughput(rate: float, law: ServiceLaw, k: float) -> float:
    """``E[T_B]`` of an M/G/1 server, ``T(t) = t^k``: idle periods ``Exp(rate)``, ``(1 - rho) Gamma(k + 1) / rate^(k-1)``.

    >>> round(mg1_idle_throughput(0.6, ServiceLaw.exponential(1.0), 2.0), 12)
    1.333333333333
    """
    rho = rate * law.mean
    return max(0.0, 1 - rho) * math.gamma(k + 1) / rate ** (k - 1)


def geometric_moment(p: float, k: float, *, tol: float = 1e-15) -> float:
    """``E[J^k]`` for ``P(J = j) = (1 - p) p^(j-1)``, ``j >= 1`` (series; ``0 <= p <= 1/2`` here).

    >>> round(geometric_moment(0.25, 2.0), 12) == round((1 + 0.25) / (1 - 0.25) ** 2, 12)
    True
    """
    p = _real("p", p, low=0.0, low_open=False, high=0.5)
    if p == 0:
        return 1.0
    s, j, term = 0.0, 1, 1.0
    while True:
        term = (1 - p) * p ** (j - 1) * j**k
        s += term
        if j > 2 and term < tol * s:
            return s
        j += 1


@dataclass(frozen=True)
class WindowLimit:
    """The long-window limit of shared-coin windows at one parameter (lemma T8); closed forms, not bounds.

    ``regime``: ``"mixture"`` (``2 rho < 1``, parameter ``f``, the bunched
    fraction) or ``"fluid"`` (``2 rho > 1``, parameter ``c = theta f``).
    ``E[T_B](theta) = tb_base + slope theta^power + o(theta^power)``; ``tb``
    is its limit (``inf`` when unbounded).  For the mixture regime with
    ``k > 1`` only the leading term ``slope theta^(k-1)`` is claimed.
    """

    regime: str
    param_name: str
    param: float
    rho: float
    lam_s: float
    k: float
    W_limit: float
    W_0: float
    wq: float
    tb_base: float
    slope: float
    power: float
    feasible: bool

    @property
    def tb(self) -> float:
        if self.slope > 0 and self.power > 0:
            return math.inf
        if self.power == 0:
            return self.tb_base + self.slope
        return self.tb_base

    def bunched_fraction(self, theta: float) -> float:
        """The bunched fraction ``f`` at window length ``theta`` (``c / theta`` in the fluid regime, capped at 1)."""
        return self.param if self.regime == "mixture" else min(1.0, self.param / theta)

    def to_dict(self) -> dict[str, Any]:
        tb = self.tb
        return {"regime": self.regime, self.param_name: self.param, "rho": self.rho, "k": self.k, "W_limit": self.W_limit, "W_0": self.W_0,
                "W_q": self.wq, "throughput": None if math.isinf(tb) else tb, "throughput_unbounded": math.isinf(tb),
                "tb_base": self.tb_base, "slope": self.slope, "power": self.power, "feasible": self.feasible}


def _check(lam_s: float, law: ServiceLaw, W_limit: float, k: float) -> tuple[float, float, float, float]:
    if not isinstance(law, ServiceLaw):
        raise AnalyticParameterError(f"`law` must be an analytic.ServiceLaw; got {type(law).__name__}")
    lam_s = _real("lam_s", lam_s)
    W_limit = _real("W_limit", W_limit)
    k = _real("k", k, low_open=False)
    law.require_finite_variance("the long-window limit")
    rho = lam_s * law.mean
    if not rho < 1:
        raise AnalyticParameterError(f"`rho` = lam_s E[X] must be < 1; got {rho:g}")
    if rho == 0.5:
        raise AnalyticParameterError("`rho` = 1/2 is the critical case of the long-window limit (a bunched window is a critical queue); "
                                     "got 0.5")
    return lam_s, W_limit, k, rho


def window_limit_at(lam_s: float, law: ServiceLaw, param: float, *, W_limit: float = math.inf, k: float = 2.0) -> WindowLimit:
    """The limit at a given parameter: ``f`` in ``[0, 1]`` (``2 rho < 1``) or ``c = theta f >= 0`` (``2 rho > 1``).

    >>> lim = window_limit_at(0.3, ServiceLaw.exponential(1.0), 1.0)      # always bunch, rho = 0.3
    >>> round(lim.wq, 12), round(lim.slope, 12)                          # M/M/1 at load 0.6; p = 1/2: 1/2 * 3/2 / (1/2)
    (1.5, 1.5)
    """
    lam_s, W_limit, k, rho = _check(lam_s, law, W_limit if math.isfinite(W_limit) else 1.0, k)
    W_limit = W_limit if math.isfinite(W_limit) else math.inf
    W0 = mg1_wait(lam_s, law)
    tb0 = mg1_idle_throughput(lam_s, law, k)
    if rho < 0.5:
        f = _real("f", param, low_open=False, high=1.0)
        p = f / 2
        wq = f * mg1_wait(2 * lam_s, law) + (1 - f) * W0
        base = (1 - f) * tb0 + (f / 2) * mg1_idle_throughput(2 * lam_s, law, k)
        slope = p * (1 - p) * geometric_moment(p, k)
        return WindowLimit("mixture", "bunched_fraction", f, rho, lam_s, k, W_limit, W0, wq, base, slope, k - 1, wq <= W_limit * (1 + 1e-12))
    c = _real("c", param, low_open=False)
    wq = W0 + c * (2 * rho - 1) / (4 * (1 - rho))
    return WindowLimit("fluid", "c", c, rho, lam_s, k, W_limit, W0, wq, tb0, c / 2, k - 2, wq <= W_limit * (1 + 1e-12))


def window_limit(lam_s: float, law: ServiceLaw, W_limit: float, *, k: float = 2.0) -> WindowLimit:
    """The best long-window limit meeting ``W_q <= W_limit`` (largest ``E[T_B]``; lemma T8).

    ``W_limit < W_0`` (the fair-coin wait): no window policy meets it (``feasible`` False, parameter 0).

    >>> lim = window_limit(0.3, ServiceLaw.exponential(1.0), 0.5)
    >>> lim.regime, round(lim.param, 12)                                 # f = (0.5 - 3/7) / (1.5 - 3/7)
    ('mixture', 0.066666666667)
    """
    lam_s, W_limit, k, rho = _check(lam_s, law, W_limit, k)
    W0 = mg1_wait(lam_s, law)
    if W_limit < W0:
        return window_limit_at(lam_s, law, 0.0, W_limit=W_limit, k=k)
    if rho < 0.5:
        Wb = mg1_wait(2 * lam_s, law)
        f = min(1.0, (W_limit - W0) / (Wb - W0))
        best = window_limit_at(lam_s, law, f, W_limit=W_limit, k=k)
        if k < 1:  # the limit is affine in f (tb_base): compare the two ends
            zero = window_limit_at(lam_s, law, 0.0, W_limit=W_limit, k=k)
            best = zero if zero.tb > best.tb else best
        return best
    c = 4 * (1 - rho) * (W_limit - W0) / (2 * rho - 1)
    return window_limit_at(lam_s, law, c, W_limit=W_limit, k=k)
