"""The two-phase hyperexponential law with balanced means, as a ``scipy.stats`` distribution.

With probability ``p`` the service time is exponential of rate ``2p``, else
exponential of rate ``2(1 - p)``: both phases carry half of the mean
("balanced means"), so the mean is 1 (scale it with ``scale``).  The
coefficient of variation ``c > 1`` fixes ``p = (1 + sqrt((c^2 - 1)/(c^2 + 1)))/2``.

``E[X^n] = n! (p (2p)^-n + (1 - p) (2(1 - p))^-n)``; the CDF is
``1 - p e^{-2px} - (1 - p) e^{-2(1 - p)x}`` and the quantile is found by
safeguarded Newton steps (the CDF is concave, so Newton from below converges
monotonically).

>>> d = hyperexponential(2.0)
>>> round(float(d.mean()), 12), round(float(d.std()), 12)
(1.0, 2.0)
>>> round(float(d.cdf(d.ppf(0.9))), 12)
0.9
>>> float(hyperexponential(0.5).mean())   # cv must exceed 1
nan
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

__all__ = ["hyperexponential", "hyperexponential_gen", "phase_weights"]


def phase_weights(cv: float) -> tuple[float, float, float, float]:
    """``(p1, p2, rate1, rate2)`` of the balanced-means law with coefficient of variation ``cv > 1``.

    >>> [round(x, 6) for x in phase_weights(2.0)]
    [0.887298, 0.112702, 1.774597, 0.225403]
    """
    w = math.sqrt((cv * cv - 1.0) / (cv * cv + 1.0))
    p1 = (1.0 + w) / 2.0
    p2 = (1.0 - w) / 2.0
    return p1, p2, 2.0 * p1, 2.0 * p2


def _weights(cv):  # noqa: ANN001, ANN202 - vectorised twin of phase_weights
    cv = np.asarray(cv, dtype=float)
    w = np.sqrt((cv * cv - 1.0) / (cv * cv + 1.0))
    p1 = (1.0 + w) / 2.0
    p2 = (1.0 - w) / 2.0
    return p1, p2, 2.0 * p1, 2.0 * p2


class hyperexponential_gen(stats.rv_continuous):
    """Balanced-means two-phase hyperexponential law; shape ``cv`` (coefficient of variation, > 1)."""

    def _argcheck(self, cv):  # noqa: ANN001, ANN202
        return np.asarray(cv) > 1.0

    def _pdf(self, x, cv):  # noqa: ANN001, ANN202
        p1, p2, r1, r2 = _weights(cv)
        return p1 * r1 * np.exp(-r1 * x) + p2 * r2 * np.exp(-r2 * x)

    def _sf(self, x, cv):  # noqa: ANN001, ANN202
        p1, p2, r1, r2 = _weights(cv)
        return p1 * np.exp(-r1 * x) + p2 * np.exp(-r2 * x)

    def _cdf(self, x, cv):  # noqa: ANN001, ANN202
        return 1.0 - self._sf(x, cv)

    def _isf(self, q, cv):  # noqa: ANN001, ANN202
        q, cv = np.broadcast_arrays(np.asarray(q, float), np.asarray(cv, float))
        p1, p2, r1, r2 = _weights(cv)
        # sf is convex and decreasing, so Newton started left of the root stays left and rises monotonically;
        # sf >= p2 e^{-r2 x} puts the root at or right of ln(p2/q)/r2
        with np.errstate(divide="ignore"):
            x = np.maximum(np.log(p2 / q) / r2, 0.0)
        for _ in range(200):
            s = p1 * np.exp(-r1 * x) + p2 * np.exp(-r2 * x)
            d = p1 * r1 * np.exp(-r1 * x) + p2 * r2 * np.exp(-r2 * x)
            step = (s - q) / d
            x = x + step
            if np.all(np.abs(step) <= 1e-15 * np.maximum(x, 1.0)):
                break
        return x

    def _ppf(self, q, cv):  # noqa: ANN001, ANN202
        return self._isf(1.0 - np.asarray(q, float), cv)

    def _munp(self, n, cv):  # noqa: ANN001, ANN202
        p1, p2, r1, r2 = _weights(cv)
        return math.factorial(int(n)) * (p1 / r1**n + p2 / r2**n)

    def _stats(self, cv):  # noqa: ANN001, ANN202
        p1, p2, r1, r2 = _weights(cv)
        m = [math.factorial(k) * (p1 / r1**k + p2 / r2**k) for k in (1, 2, 3, 4)]
        var = m[1] - m[0] ** 2
        mu3 = m[2] - 3 * m[0] * m[1] + 2 * m[0] ** 3
        mu4 = m[3] - 4 * m[0] * m[2] + 6 * m[0] ** 2 * m[1] - 3 * m[0] ** 4
        return m[0], var, mu3 / var**1.5, mu4 / var**2 - 3.0


hyperexponential = hyperexponential_gen(a=0.0, name="hyperexponential", shapes="cv")
