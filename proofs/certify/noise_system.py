"""Certified system-level bounds with Werner pairs and a finite supply: ``p_split``, ``R_k`` and the visibility thresholds.

At an operating point (``lam``, ``mu``, ``W_limit``) and for ``T(t) = t^k``:

* ``p_split(v, f)`` of Werner routers: upper bound from an explicit strategy
  (``"system-strategy"``, lemma S5), lower bound from ``"werner-system-dual"``
  (lemma W4 with the cited lemma W3);
* the classical ``p_c``: ``"system-strategy"`` and ``"system-dual"``;
* ``R_k = ((1 + p_c)/(1 + p_split))^(k - 1)`` bracketed from these four;
* the visibility where ``R_k`` reaches ``1.01``: a certified bracket
  ``[v_lo, v_hi]`` (``R_k < 1.01`` for every ``v <= v_lo``, by monotonicity in
  ``v``; ``R_k >= 1.01`` at ``v_hi``), and where ``R_k`` leaves 1:
  ``R_k = 1`` exactly for ``v <= v_L`` (cited lemma W3), ``R_k > 1`` at a
  certified ``v_hi``.

Every number returned has passed a :mod:`proofs` checker; the cited lemma W3
is named wherever it is used.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from bounds.certificates import default_certificate_dir, save_certificate
from games.progress import report
from proofs.checkers.bound import Bound
from proofs.checkers.registry import check_certificate
from proofs.exact.errors import ProofsParameterError

__all__ = ["SupplyBracket", "SystemNoiseCertification", "certify_noise_system"]


@dataclass(frozen=True, eq=False)
class SupplyBracket:
    """Certified ``p_split`` bracket of Werner routers at ``(v, f)`` and the ``R_k`` bracket it implies."""

    v: float
    f: float
    lower: Bound
    upper: Bound
    R_lower: float
    R_upper: float
    estimate: Any
    paths: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        return {"v": self.v, "F": (1 + 3 * self.v) / 4, "f": self.f, "p_split": [float(self.lower.value), float(self.upper.value)],
                "R_k": [self.R_lower, self.R_upper], "estimate": self.estimate.to_dict(), "certificates": dict(self.paths)}


@dataclass(frozen=True, eq=False)
class SystemNoiseCertification:
    """What :func:`certify_noise_system` proved (see the module docstring)."""

    point: dict[str, Any]
    k: float
    classical: tuple[Bound, Bound]
    rows: tuple[SupplyBracket, ...]
    thresholds: dict[str, dict[str, Any]]
    paths: dict[str, str]
    #: threshold name -> the certified brackets at its lower and upper end visibilities (``None`` where not reached)
    threshold_rows: dict[str, tuple[SupplyBracket | None, SupplyBracket | None]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "point": self.point, "k": self.k,
            "p_c": [float(self.classical[0].value), float(self.classical[1].value)],
            "rows": [r.to_dict() for r in self.rows],
            "thresholds": self.thresholds,
            "certificates": dict(self.paths),
        }


def _r(p_c: Fraction, p: Fraction, k: float) -> float:
    return float((1 + p_c) / (1 + p)) ** (k - 1)


def certify_noise_system(
    lam: float = 0.6,
    W_limit: float = 1.65,
    *,
    mu: float = 1.0,
    k: float = 3.0,
    points: tuple[tuple[float, float], ...] = ((1.0, 1.0), (0.98, 0.7)),
    target: float = 1.01,
    resolution: int = 1000,
    system: Any = None,
    cert_dir: str | Path | None = None,
    thresholds: bool = True,
    on_progress: Callable[[int, int, str], None] | None = None,
) -> SystemNoiseCertification:
    """Certify ``p_split`` and ``R_k`` at the ``(v, f)`` ``points`` and bracket the threshold visibilities (``f = 1``).

    ``system`` is a :class:`bounds.noise_system.NoisySystem` of the same point
    (built if ``None``).  ``thresholds=False`` certifies the ``points`` only
    (``thresholds`` of the result is then empty).  ``on_progress(done, total, step)`` is called
    before the first step and after each: one per point, one per threshold.
    """
    from bounds.noise import visibility_iv
    from bounds.noise_system import noisy_system, supply_strategy_certificate, werner_system_dual_certificate
    from bounds.system_certificates import dual_certificate
    from proofs.checkers.noise import LOCAL_VISIBILITY

    if not (isinstance(resolution, int) and resolution >= 10):
        raise ProofsParameterError(f"`resolution` must be an integer >= 10; got {resolution!r}")
    try:
        pts = [(visibility_iv(v), visibility_iv(f, "f")) for v, f in points]
    except ValueError as exc:
        raise ProofsParameterError(str(exc)) from exc
    sysd = system if system is not None else noisy_system(lam, W_limit, mu=mu, k=k)
    pt = sysd.point
    directory = Path(cert_dir) if cert_dir is not None else default_certificate_dir()

    def check(cert: dict[str, Any], name: str) -> tuple[Bound, str]:
        path = save_certificate(cert, directory)
        return check_certificate(path), path

    # classical reference: the attained classical mixture and the classical dual at its best grid multiplier
    ek = 1.0 - sysd.nus * pt.mean_cost
    nu_c = float(sysd.nus[int(abs(sysd.nus * sysd.budget + (ek + sysd.g_c) / 2).argmin())])
    c_up, c_up_path = check(supply_strategy_certificate(sysd, 0.0, 1.0), "system-strategy-classical")
    c_lo, c_lo_path = check(dual_certificate(pt, "classical", nu_c), "system-dual-classical")
    paths = {"classical_upper": c_up_path, "classical_lower": c_lo_path}

    def bracket(v: float, f: float) -> SupplyBracket:
        up, up_path = check(supply_strategy_certificate(sysd, v, f), "system-strategy-werner")
        lo, lo_path = check(werner_system_dual_certificate(sysd, v, f), "werner-system-dual")
        return SupplyBracket(v, f, lo, up, _r(c_lo.value, up.value, k), _r(c_up.value, lo.value, k), sysd.solve(v, f),
                             {"lower": lo_path, "upper": up_path})

    steps = len(pts) + (2 if thresholds else 0)
    report(on_progress, 0, steps, "certified points")
    rows_l = []
    for v, f in pts:
        rows_l.append(bracket(v, f))
        report(on_progress, len(rows_l), steps, f"v = {float(v):g}, f = {float(f):g}")
    rows = tuple(rows_l)
    found: dict[str, dict[str, Any]] = {}
    ends: dict[str, tuple[SupplyBracket | None, SupplyBracket | None]] = {}
    for name, goal in ((f"R={target:g}", target), ("R=1", None)) if thresholds else ():
        est = sysd.threshold(goal if goal is not None else 1.0 + 1e-9)
        entry: dict[str, Any] = {"estimate": est}
        if est is None:
            entry.update(v_lower=None, v_upper=None, note="not reached even at v = 1 (estimate)")
            found[name] = entry
            report(on_progress, len(pts) + len(found), steps, f"threshold {name}")
            continue
        # upper end: first grid visibility at or above the estimate whose certified R_k lower bound reaches the goal
        step = Fraction(1, resolution)
        vq = Fraction(int(est * resolution), resolution)
        hit = None
        while vq <= 1:
            b = bracket(float(vq), 1.0)
            if (b.R_lower >= goal) if goal is not None else (b.upper.value < c_lo.value):
                hit = b
                break
            vq += step
        entry["v_upper"] = None if hit is None else hit.v
        best: SupplyBracket | None = None
        if hit is not None:
            entry["v_upper_certificates"] = dict(hit.paths)
        if goal is None:
            entry["v_lower"] = float(LOCAL_VISIBILITY)
            entry["v_lower_source"] = "cited lemma W3: R_k = 1 exactly for v <= v_L"
        else:
            # lower end: largest grid visibility below the estimate whose certified R_k upper bound stays below the goal
            lo_v, hi_v = float(LOCAL_VISIBILITY), est
            for _ in range(12):
                mid = (lo_v + hi_v) / 2
                b = bracket(mid, 1.0)
                if b.R_upper < goal:
                    best, lo_v = b, mid
                else:
                    hi_v = mid
            entry["v_lower"] = None if best is None else best.v
            if best is not None:
                entry["v_lower_certificates"] = dict(best.paths)
                entry["v_lower_source"] = "werner-system-dual (lemma W4 with the cited lemma W3) and monotonicity in v"
        for side in ("v_lower", "v_upper"):
            entry[side.replace("v_", "F_")] = None if entry.get(side) is None else (1 + 3 * entry[side]) / 4
        found[name] = entry
        ends[name] = (best, hit)
        report(on_progress, len(pts) + len(found), steps, f"threshold {name}")
    point = {"lam": pt.lam, "mu": mu, "rho": pt.rho, "W_limit": pt.W_limit}
    return SystemNoiseCertification(point, k, (c_lo, c_up), rows, found, paths, ends)
