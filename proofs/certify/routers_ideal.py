"""The ideal class of K routers certified: a bracket on ``p_ideal`` at ``W_q <= W_limit`` (kind ``routers-ideal``, lemma R8).

:func:`ideal_bracket` asks :mod:`bounds.routers_ideal` for the threshold
``tau`` (a float estimate), writes the rule certificate (upper bound on
``p_ideal``) and the dual certificate (lower bound), and has
:mod:`proofs.checkers.routers_ideal` verify both.  ``K = 2, 3``, exponential law.

>>> b = ideal_bracket(2, 0.6, 2.0)
>>> float(b.lower.value) <= float(b.upper.value) < float(b.lower.value) + 1e-7
True
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from proofs.checkers.bound import Bound
from proofs.exact.errors import CertificateError, ProofsParameterError

__all__ = ["IdealBracket", "ideal_bracket"]


@dataclass(frozen=True)
class IdealBracket:
    """Certified ``lower <= p_ideal <= upper`` (continuum, ideal class) and the certificate paths (``<in-memory>`` unsaved)."""

    K: int
    lam: float
    W_limit: float
    lower: Bound
    upper: Bound
    certificates: tuple[str, str]
    tau_estimate: float


def ideal_bracket(K: int, lam: float, W_limit: float, *, mu: float = 1.0, cert_dir: str | Path | None = None) -> IdealBracket:
    """Certify ``p_ideal`` of ``K`` routers (tuple rate ``lam``, exponential law of rate ``mu``) at ``W_q <= W_limit``."""
    from analytic.laws.service import ServiceLaw
    from bounds.routers_ideal import ideal_certificates, ideal_estimate
    from games.routers import RouterModel
    from proofs.checkers.registry import check_certificate

    if K not in (2, 3):
        raise ProofsParameterError(f"`K` must be 2 or 3 for the certified ideal class; got {K!r}")
    model = RouterModel(K, lam, ServiceLaw.exponential(mu))
    est = ideal_estimate(model, W_limit)
    out_dir = None if cert_dir is None else Path(cert_dir)
    last: Exception | None = None
    for margin in (1e-8, 1e-6, 1e-4):
        certs = ideal_certificates(model, W_limit, margin=margin)
        try:
            got: dict[str, tuple[Bound, str]] = {}
            for side in ("lower", "upper"):
                if out_dir is None:
                    got[side] = (check_certificate(certs[side], f"<in-memory routers-ideal {side}>"), "<in-memory>")
                else:
                    from bounds.certificates import save_certificate

                    out_dir.mkdir(parents=True, exist_ok=True)
                    path = save_certificate(certs[side], out_dir)
                    got[side] = (check_certificate(path), str(path))
            return IdealBracket(K, model.lam, W_limit, got["lower"][0], got["upper"][0], (got["lower"][1], got["upper"][1]), est.tau)
        except CertificateError as exc:  # the float estimate was too close for the claim: more margin
            last = exc
    raise ProofsParameterError(f"no routers-ideal certificate passed its checker at K = {K}, W_limit = {W_limit:g}: {last}")
