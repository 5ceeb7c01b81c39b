"""System level per service law: ``p_ideal``, ``p_c``, ``p_q`` and ``R_k`` at a common operating point.

For a catalogue law (mean 1) at load ``rho`` (pair rate ``lam = rho``) and a
waiting-time limit ``W_l = W_split + f (W_bunch - W_split)`` between that
law's always-split and always-bunch waiting times, :func:`law_system` runs
the exact (continuum) system route of :func:`proofs.system_result.system_result`
(Lagrangian weighted XOR game with the rank-2 kernel; law-generic) and reports
``R_k = ((1 + p_c)/(1 + p_q))^(k - 1)`` (Eq. 8).  The system certificates
exist for the exponential law only, so for the other laws ``p_c``, ``p_q``
are solver estimates (the row says which).  A law with infinite variance is
refused: its ``W_q`` is infinite.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from proofs.errors import ProofsParameterError
from proofs.exact.errors import QcoordError

__all__ = ["LawSystemRow", "law_system"]


@dataclass(frozen=True, eq=False)
class LawSystemRow:
    """System-level numbers of one law at one operating point (estimates unless ``certified``)."""

    law: str
    rho: float
    W_limit: float
    W_fraction: float
    p_split: dict[str, float]
    R_k: dict[int, float]
    certified: dict[str, tuple[float, float]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"law": self.law, "rho": self.rho, "W_limit": self.W_limit, "W_fraction": self.W_fraction,
                "p_ideal": self.p_split["ideal"], "p_c": self.p_split["classical"], "p_q": self.p_split["quantum"],
                "R_k": {str(k): v for k, v in self.R_k.items()},
                "certified": {m: list(b) for m, b in self.certified.items()} or None}


def law_system(law: Any, *, rho: float = 0.6, W_fraction: float = 0.5, ks: tuple[int, ...] = (2, 3, 5), cert_dir: str | Path | None = None) -> LawSystemRow:
    """Minimum ``p_split`` of ideal, classical and quantum routers for one law at ``W_q <= W_l``.

    >>> law_system("lomax:2")
    Traceback (most recent call last):
    ...
    analytic.errors.AnalyticParameterError: law `lomax:2` has infinite variance (alpha <= 2), so the waiting time W_q is infinite and the system level is undefined; use alpha > 2
    """
    from analytic.laws import LawSpec, ServiceLaw, parse_law
    from bounds.system import operating_point
    from proofs.system_result import system_result

    spec = parse_law(law) if isinstance(law, str) else law
    if not isinstance(spec, LawSpec):
        raise ProofsParameterError(f"`law` must be a catalogue name NAME[:PARAM] or a LawSpec; got {type(law).__name__}")
    spec.require_finite_variance()
    if not 0 < rho < 1:
        raise ProofsParameterError(f"`rho` must lie in (0, 1); got {rho}")
    if not 0 < W_fraction < 1:
        raise ProofsParameterError(f"`W_fraction` must lie in (0, 1); got {W_fraction}")
    sl = ServiceLaw.named(spec)
    probe = operating_point(rho, 1e12, law=sl)  # only to read this law's W_split and W_bunch
    W_l = probe.W_split + W_fraction * (probe.W_bunch - probe.W_split)
    res = system_result(rho, W_l, 2.0, law=sl, route="exact", certify=True, cert_dir=cert_dir).exact
    if res is None:  # route="exact" always fills it; checked so a broken route fails loudly here
        raise QcoordError(f"system_result(route='exact') returned no exact route for law {spec.label!r}")
    p = dict(res.p_split)
    R = {k: ((1 + p["classical"]) / (1 + p["quantum"])) ** (k - 1) for k in ks}
    cert = {m: (float(b.lower.value), float(b.upper.value)) for m, b in res.brackets.items()}
    return LawSystemRow(spec.label, rho, W_l, W_fraction, p, R, cert)
