"""Expectations over a service law for the system modules: quadrature nodes, tail moments, ``h(w)``.

* :func:`quadrature_nodes`: composite Gauss-Legendre nodes and weights in
  ``a = F(x)`` for ``E[g(X)]``, refined around the sharp turn of a planar
  router (cached per law);
* :func:`survival_and_tail_mean`: ``P(X > t)`` and ``E[X; X > t]`` (closed
  forms for the exponential and the catalogue laws, quadrature otherwise);
* :func:`support_function`: ``h(w) = E|w0 + w1 X|``, the bias of the best
  response to a linear kernel (lemma S3).

These are float estimates: the routers (:mod:`bounds.system_routers`), the
dual functions (:mod:`bounds.system_duals`) and the float mirrors of the
certificate writer (:mod:`bounds.system_certificates`) share them; the checker
has its own exact enclosures.

>>> from analytic.laws.service import ServiceLaw
>>> x, w = quadrature_nodes(ServiceLaw.exponential(1.0))
>>> round(float(w @ x), 12)   # E[X] = 1
1.0
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import NDArray

from analytic.laws.service import ServiceLaw

__all__ = ["quadrature_nodes", "support_function", "survival_and_tail_mean"]

_GL_X, _GL_W = np.polynomial.legendre.leggauss(16)

_BASE_CACHE: dict[Any, tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]] = {}


def _panels(law: ServiceLaw, e: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    if law.has_closed_forms and not law.is_exponential:
        # closed-form quantiles, and conditional-mean nodes on the end panels (exact mean of a heavy tail)
        x, _s, w = law.panel_rule(e)
        return x, w
    lo, hi = e[:-1], e[1:]
    a = (((lo + hi)[:, None] + (hi - lo)[:, None] * _GL_X[None, :]) / 2).ravel()
    # the survival probability 1 - a, computed from the panel's upper end to keep its relative accuracy in the tail
    s = ((1.0 - hi)[:, None] + (hi - lo)[:, None] * (1.0 - _GL_X[None, :]) / 2).ravel()
    w = ((hi - lo)[:, None] * _GL_W[None, :] / 2).ravel()
    tail = s < 0.5
    x = np.empty_like(a)
    with np.errstate(divide="ignore"):
        x[~tail] = np.asarray(law.ppf(a[~tail]), dtype=float)
        x[tail] = -np.log(s[tail]) / law.mu if law.is_exponential else np.asarray(law.isf(s[tail]), dtype=float)
    return x, w


def _law_key(law: ServiceLaw) -> Any:
    # a catalogue law by its name; another scipy law by the object itself (hashed by identity), which the
    # cache then keeps alive -- an id() key could be reused by a later law once the first is freed
    if law.is_exponential:
        return ("exp", law.mu)
    return ("spec", law.spec.label) if law.spec is not None else ("dist", law.dist)


def quadrature_nodes(law: ServiceLaw, centre: float | None = None, width: float | None = None) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Composite 16-point Gauss-Legendre nodes ``x`` and weights for ``E[g(X)]``.

    Panels in ``a = F(x)``: uniform on ``[0, 1/2]``, geometric towards 1 (the
    tail), and geometric around ``F(centre)`` on the scale ``width`` (a sharp
    turn of a planar measurement) when the turn is sharper than the base panels.
    A zero ``width`` is the degenerate turn of a router whose ``p0`` and ``p1``
    are parallel: its direction is constant on each side of ``centre`` and flips
    there, so ``F(centre)`` becomes a panel edge (the rule then integrates each
    side of the jump as smooth) and no finer panels are needed.
    """
    key = _law_key(law)
    if key not in _BASE_CACHE:
        e = np.unique(np.concatenate([[0.0], 0.5 ** np.arange(4, 50, 1.0), np.linspace(0.0, 0.5, 9), 1.0 - 0.5 ** np.arange(1, 52, 0.5)]))
        if law.has_closed_forms and not law.is_exponential:
            e = np.union1d(e, law.panel_edges())  # refined at a knee of the quantile function
        x, w = _panels(law, e)
        _BASE_CACHE[key] = (e, x, w)
    e, x, w = _BASE_CACHE[key]
    if centre is None or width is None or not (centre > 0) or not (width < 0.05 * (law.mean + centre)):
        return x, w
    # add panels refined geometrically towards the turn, up to the scale R of the law; a zero
    # width (a jump at the centre) needs the edge at the centre only. log2(R) - log2(width)
    # stays finite for a subnormal width (R / width would overflow); offsets below the
    # resolution of the centre collapse onto it and are removed with the duplicates.
    R = 0.5 * (law.mean + centre)
    offs = np.ldexp(width, np.arange(-4, 1 + max(0, int(math.log2(R) - math.log2(width))))) if width > 0 else np.zeros(0)
    pts = np.concatenate([centre - offs[centre - offs > 0], [centre], centre + offs])
    e_new = np.unique(np.clip(np.concatenate([e, np.asarray(law.cdf(pts), dtype=float)]), 0.0, 1.0))
    e_new = e_new[np.concatenate([[True], np.diff(e_new) > 1e-16])]
    return _panels(law, e_new)


def survival_and_tail_mean(law: ServiceLaw, t: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """``P(X > t)`` and ``E[X; X > t]`` (vectorised; ``t = inf`` allowed).

    >>> from analytic.laws.service import ServiceLaw
    >>> [round(float(v), 12) for v in survival_and_tail_mean(ServiceLaw.exponential(1.0), np.array(1.0))]
    [0.367879441171, 0.735758882343]
    """
    t = np.asarray(t, dtype=float)
    m = law.mu
    if m is not None:  # exponential
        with np.errstate(invalid="ignore", over="ignore"):
            s = np.exp(-m * t)
            tm = np.where(np.isinf(t), 0.0, (t + 1.0 / m) * s)
        return s, tm
    return _general_tail(law, t)


def _general_tail(law: ServiceLaw, t: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """``P(X > t)``, ``E[X; X > t]`` for a non-exponential law: closed forms for a catalogue law
    (:meth:`analytic.ServiceLaw.tail_moments`), else quadrature (:func:`_quadrature_tail`)."""
    if law.has_closed_forms:
        s, tm, _ = law.tail_moments(np.asarray(t, dtype=float))
        return np.asarray(s, dtype=float), np.asarray(tm, dtype=float)
    return _quadrature_tail(law, t)


def _quadrature_tail(law: ServiceLaw, t: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """``P(X > t)``, ``E[X; X > t]`` for a scipy law: whole quadrature panels above ``F(t)`` plus
    a 16-point Gauss-Legendre rule on the partial panel (vectorised, ~1e-13)."""
    quadrature_nodes(law)
    e, x, w = _BASE_CACHE[_law_key(law)]
    panel = (x * w).reshape(-1, _GL_X.size).sum(axis=1)
    above = np.concatenate([np.cumsum(panel[::-1])[::-1], [0.0]])  # E[X; F(X) >= e_k]
    tf = np.ravel(t)
    sf = np.asarray(law.dist.sf(tf), dtype=float)
    a = np.clip(1.0 - sf, 0.0, 1.0)
    k = np.clip(np.searchsorted(e, a, side="right") - 1, 0, e.size - 2)
    hi = e[k + 1]
    nodes = ((a + hi)[:, None] + (hi - a)[:, None] * _GL_X[None, :]) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        xs = np.asarray(law.ppf(nodes), dtype=float)
        part = np.where(hi > a, (hi - a) / 2 * (np.where(np.isfinite(xs), xs, 0.0) @ _GL_W), 0.0)
    tm = np.where(np.isinf(tf), 0.0, part + above[k + 1])
    return sf.reshape(np.shape(t)), tm.reshape(np.shape(t))


def support_function(law: ServiceLaw, w0: NDArray[np.float64], w1: NDArray[np.float64]) -> NDArray[np.float64]:
    """``h(w) = E|w0 + w1 X|`` (vectorised over ``w0``, ``w1``).

    >>> from analytic.laws.service import ServiceLaw
    >>> round(float(support_function(ServiceLaw.exponential(1.0), np.array([-1.0]), np.array([1.0]))[0]), 12)   # E|X - 1| = 2/e
    0.735758882343
    """
    w0, w1 = np.broadcast_arrays(np.asarray(w0, float), np.asarray(w1, float))
    m1 = law.mean
    out = np.abs(w0 + w1 * m1)
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(w1 != 0, -w0 / w1, -1.0)
    pos = r > 0
    if np.any(pos):
        rp = r[pos]
        if law.mu is not None:  # exponential
            e_abs = rp - m1 + 2.0 * np.exp(-law.mu * rp) * m1
        else:
            sf, tm = _general_tail(law, rp)
            # E|X - r| = E[X] - r + 2 (r F(r) - E[X; X < r]),  E[X; X < r] = E[X] - E[X; X > r]
            e_abs = m1 - rp + 2.0 * (rp * (1.0 - sf) - (m1 - tm))
        out[pos] = np.abs(w1[pos]) * e_abs
    return out
