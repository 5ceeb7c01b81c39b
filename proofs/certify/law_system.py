"""System level per service law: ``p_ideal``, ``p_c``, ``p_q`` and ``R_k`` at a common operating point.

For a catalogue law (mean 1) at load ``rho`` (pair rate ``lam = rho``) and a
waiting-time limit ``W_l = W_split + f (W_bunch - W_split)`` between that
law's always-split and always-bunch waiting times, :func:`law_system` runs
the exact (continuum) system route of :func:`proofs.certify.system.system_result`
(Lagrangian weighted XOR game with the rank-2 kernel ``[1, x] M [1, y]^T``;
law-generic) and reports ``R_k = ((1 + p_c)/(1 + p_q))^(k - 1)`` (Eq. 8).

``p_split`` and ``R_k`` are solver estimates.  Where the law has system
certificates, ``certified`` holds the checked brackets of ``p_c`` and
``p_q`` and ``R_k_lower`` the certified lower bound
``((1 + p_c_lower)/(1 + p_q_upper))^(k - 1)`` (``R_k`` increases in ``p_c``
and decreases in ``p_q``).  ``p_ideal`` is the optimal rule's value from the
solver (an estimate).  A law with infinite variance is refused: its ``W_q``
is infinite.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from proofs.exact.errors import ProofsParameterError, QcoordError

__all__ = ["LawSystemRow", "law_system", "law_system_table", "system_verdict"]


@dataclass(frozen=True, eq=False)
class LawSystemRow:
    """System-level numbers of one law at one operating point.

    Attributes
    ----------
    law, cv
        Catalogue label and coefficient of variation.
    rho, W_limit, W_fraction
        Load, waiting-time limit and its place ``f`` between always-split (0) and always-bunch (1).
    p_split, R_k
        Solver estimates (``p_split`` keyed ``"ideal"``, ``"classical"``, ``"quantum"``).
    certified
        Checked brackets ``(lower, upper)`` of ``p_split`` per class (empty when the law has no system certificates).
    R_k_lower
        Certified lower bounds on ``R_k`` (empty when not certified).
    certificates
        Paths of the certificate files behind ``certified``.
    note
        Why a bracket is missing, if it is.
    """

    law: str
    cv: float
    rho: float
    W_limit: float
    W_fraction: float
    p_split: dict[str, float]
    R_k: dict[int, float]
    certified: dict[str, tuple[float, float]] = field(default_factory=dict)
    R_k_lower: dict[int, float] = field(default_factory=dict)
    certificates: dict[str, str] = field(default_factory=dict)
    note: str | None = None

    @property
    def gap_lower(self) -> float | None:
        """Certified ``p_c - p_q`` lower bound (classical lower minus quantum upper), or ``None``."""
        if "classical" not in self.certified or "quantum" not in self.certified:
            return None
        return self.certified["classical"][0] - self.certified["quantum"][1]

    def to_dict(self) -> dict[str, Any]:
        return {"law": self.law, "cv": self.cv, "rho": self.rho, "W_limit": self.W_limit, "W_fraction": self.W_fraction,
                "p_ideal": self.p_split["ideal"], "p_c": self.p_split["classical"], "p_q": self.p_split["quantum"],
                "R_k": {str(k): v for k, v in self.R_k.items()},
                "certified": {m: list(b) for m, b in self.certified.items()} or None,
                "p_gap_lower": self.gap_lower,
                "R_k_lower": {str(k): v for k, v in self.R_k_lower.items()} or None,
                "certificates": self.certificates or None, "note": self.note}


def law_system(law: Any, *, rho: float = 0.6, W_fraction: float = 0.5, ks: tuple[int, ...] = (2, 3, 5),
               certify: bool = True, cert_dir: str | Path | None = None) -> LawSystemRow:
    """Minimum ``p_split`` of ideal, classical and quantum routers for one law at ``W_q <= W_l``.

    Parameters
    ----------
    law
        Catalogue name ``NAME[:PARAM]`` or :class:`analytic.laws.catalogue.LawSpec` (finite variance).
    rho
        Load ``lam E[X]`` in (0, 1).
    W_fraction
        ``f`` in (0, 1): ``W_l = W_split + f (W_bunch - W_split)``.
    ks
        Cluster sizes ``k >= 1`` of ``R_k``.
    certify
        Write and check the system certificates (where the law has them).

    >>> law_system("lomax:2")
    Traceback (most recent call last):
    ...
    analytic.errors.AnalyticParameterError: law `lomax:2` has infinite variance (alpha <= 2), so the waiting time W_q is infinite and the system level is undefined; use alpha > 2
    """
    from analytic.laws.catalogue import LawSpec, parse_law
    from analytic.laws.service import ServiceLaw
    from bounds.system_point import operating_point
    from proofs.certify.system import system_result

    spec = parse_law(law) if isinstance(law, str) else law
    if not isinstance(spec, LawSpec):
        raise ProofsParameterError(f"`law` must be a catalogue name NAME[:PARAM] or a LawSpec; got {type(law).__name__}")
    spec.require_finite_variance()
    for name, v in (("rho", rho), ("W_fraction", W_fraction)):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 < v < 1:
            raise ProofsParameterError(f"`{name}` must be a real number in (0, 1); got {v!r}")
    if not ks or any(isinstance(k, bool) or not isinstance(k, int) or k < 1 for k in ks):
        raise ProofsParameterError(f"`ks` must be a non-empty tuple of integers >= 1; got {ks!r}")
    sl = ServiceLaw.named(spec)
    probe = operating_point(rho, 1e12, law=sl)  # only to read this law's W_split and W_bunch
    # rounded to 12 significant digits: the certificates then name a short exact rational (W_l is our choice, not data)
    W_l = float(f"{probe.W_split + W_fraction * (probe.W_bunch - probe.W_split):.12g}")
    res = system_result(rho, W_l, 2.0, law=sl, route="exact", certify=certify, cert_dir=cert_dir).exact
    if res is None:  # route="exact" always fills it; checked so a broken route fails loudly here
        raise QcoordError(f"system_result(route='exact') returned no exact route for law {spec.label!r}")
    p = dict(res.p_split)
    R = {k: ((1 + p["classical"]) / (1 + p["quantum"])) ** (k - 1) for k in ks}
    cert = {m: (_floor_float(b.lower.value), _ceil_float(b.upper.value)) for m, b in res.brackets.items()}  # rounded outward
    r_lo: dict[int, float] = {}
    paths: dict[str, str] = {}
    if "classical" in res.brackets and "quantum" in res.brackets:
        lo_c, up_q = res.brackets["classical"].lower.value, res.brackets["quantum"].upper.value
        # exact rationals, rounded down once at the end: a lower bound stays a lower bound
        r_lo = {k: _floor_float(((1 + lo_c) / (1 + up_q)) ** (k - 1)) for k in ks}
        paths = {f"{m}_{side}": str(getattr(b, side).certificate) for m, b in res.brackets.items() for side in ("lower", "upper")}
    note = None if cert or not certify else str(res.extra.get("note") or "no system certificates for this law")
    return LawSystemRow(spec.label, spec.cv, rho, W_l, W_fraction, p, R, cert, r_lo, paths, note)


def _floor_float(q: Any) -> float:
    """The largest double ``<= q`` (``q`` a Fraction)."""
    import math

    x = float(q)
    return x if x <= q else math.nextafter(x, -math.inf)


def _ceil_float(q: Any) -> float:
    """The smallest double ``>= q`` (``q`` a Fraction)."""
    import math

    x = float(q)
    return x if x >= q else math.nextafter(x, math.inf)


def _one(job: tuple[Any, float, float, str]) -> tuple[LawSystemRow, dict[str, str]]:
    """One (law, W_fraction) row and ``{file name: text}`` of the certificates it names (the driver stores them)."""
    from proofs.certify.jobs import read_certificates

    law, rho, f, cert_dir = job
    row = law_system(law, rho=rho, W_fraction=f, cert_dir=cert_dir)
    return row, read_certificates(list(row.certificates.values()))


def law_system_table(laws: Sequence[Any], *, rho: float = 0.6, fractions: Sequence[float] = (0.5, 0.25), workers: int = 1,
                     cert_dir: str | Path | None = None, dask: str | None = None, executor: Executor | None = None,
                     on_progress: Callable[[int, int, str], None] | None = None) -> list[LawSystemRow]:
    """:func:`law_system` for every law and every ``W_fraction`` (law order, then fraction), on ``workers`` processes
    or the Dask cluster at ``dask``, or on ``executor`` if given (:mod:`proofs.certify.jobs`); the certificates each row names are stored in
    ``cert_dir`` by this process, whichever machine computed the row.  ``on_progress(done, total, point)`` is called
    before the first point and as each one finishes.

    >>> law_system_table(["exponential"], fractions=(), workers=1)
    Traceback (most recent call last):
    ...
    proofs.exact.errors.ProofsParameterError: `fractions` must be a non-empty list of numbers in (0, 1); got ()
    """
    from bounds.certificates import default_certificate_dir
    from proofs.certify.jobs import map_jobs, store_certificates

    if not fractions or any(isinstance(f, bool) or not isinstance(f, (int, float)) or not 0 < f < 1 for f in fractions):
        raise ProofsParameterError(f"`fractions` must be a non-empty list of numbers in (0, 1); got {tuple(fractions)!r}")
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ProofsParameterError(f"`workers` must be an integer >= 1; got {workers!r}")
    folder = str(Path(cert_dir) if cert_dir is not None else default_certificate_dir())
    jobs = [(law, rho, float(f), folder) for law in laws for f in fractions]
    rows = []
    names = [f"{law if isinstance(law, str) else getattr(law, 'label', law)} f={float(f):g}" for law in laws for f in fractions]
    for row, texts in map_jobs(_one, jobs, workers, dask=dask, label="system level", executor=executor, on_progress=on_progress, names=names):
        store_certificates(texts, folder)  # the certificates a row names land here, whichever machine ran it
        rows.append(row)
    return rows


def system_verdict(system: Sequence[LawSystemRow]) -> tuple[str, str]:
    """``(status, summary)`` of the system level from certified brackets only.

    ``"proved"``: at every (law, W_l) point the certified classical lower
    bound on ``p_split`` exceeds the certified quantum upper bound (entangled
    routers need strictly less splitting, so ``R_k > 1`` for every ``k >= 2``);
    ``"refuted"``: at some point the certified classical upper bound is at
    most the quantum lower bound; ``"partly"`` otherwise (including points
    without certificates).
    """
    if not system:
        return "partly", "no system-level point computed"
    cert = [s for s in system if s.gap_lower is not None]
    worse = [s for s in cert if s.certified["classical"][1] <= s.certified["quantum"][0]]
    pos = [s for s in cert if (s.gap_lower or 0.0) > 0]
    if worse:
        return "refuted", "quantum needs no less splitting at " + ", ".join(f"{s.law} (f = {s.W_fraction:g})" for s in worse)
    if not cert:
        return "partly", "no point has system certificates"
    span = ""
    if pos and all(3 in s.R_k_lower for s in pos):
        lo = min(pos, key=lambda s: s.R_k_lower[3])
        hi = max(pos, key=lambda s: s.R_k_lower[3])
        span = (f"; certified R_3 >= {lo.R_k_lower[3]:.4f} ({lo.law}, f = {lo.W_fraction:g}) up to "
                f">= {hi.R_k_lower[3]:.4f} ({hi.law}, f = {hi.W_fraction:g})")
    if len(pos) == len(system):
        return "proved", f"certified p_c > p_q at all {len(system)} (law, W_l) points{span}"
    missing = [f"{s.law} (f = {s.W_fraction:g})" for s in system if s not in pos]
    return "partly", f"certified p_c > p_q at {len(pos)} of {len(system)} points; undecided: {', '.join(missing)}{span}"
