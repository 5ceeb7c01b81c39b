"""Claim check for the paper's conjecture (Sec. 5) that the quantum advantage persists for other service laws."""

from __future__ import annotations

from pathlib import Path

from proofs.claims.claim import ClaimResult, Decision, Derived, Finding, Status
from proofs.exact.errors import QcoordError

__all__ = ["check_other_laws"]

#: the statuses law_table_verdict can give, as claim statuses
_VERDICT_STATUS: dict[str, Status] = {"proved": "proved", "refuted": "refuted", "partly": "partly"}


def check_other_laws(*, quick: bool, cert_dir: Path, workers: int = 2, dask: str | None = None) -> ClaimResult:
    """Certified gap of the routing game at each law's classical-minimising threshold (game level).

    Status from certified numbers only (:func:`proofs.certify.law_table.law_table_verdict`):
    ``proved`` if every law's certified continuum gap is positive,
    ``refuted`` if some law shows none, else ``partly``.  With
    ``quick=False`` the evidence adds the system level of every law at
    ``rho = 0.6``, ``W_l`` halfway (:func:`proofs.certify.law_system.law_system_table`):
    certified brackets of ``p_c``, ``p_q`` and the certified lower bound on ``R_3``.
    ``workers`` and ``dask``: where the laws' jobs run (:mod:`proofs.certify.jobs`).
    """
    from proofs.certify.law_table import law_table, law_table_verdict

    n, search_n = (64, 16) if quick else (128, 32)
    rows = law_table(None, n=n, search_n=search_n, workers=workers, directory=cert_dir, dask=dask)
    verdict, summary = law_table_verdict(rows)
    status = _VERDICT_STATUS.get(verdict)
    if status is None:
        raise QcoordError(f"law_table_verdict gave status {verdict!r}; expected one of {', '.join(_VERDICT_STATUS)}")
    by_cv = sorted(rows, key=lambda r: r.cv)
    ours = "; ".join(f"{r.law} (CV {r.cv:.2f}): gap >= {float(r.at_min.continuum_gap):.4f}" for r in by_cv)
    evidence = (
        f"{summary}. Per law: classical-minimising t* by search on the exact {search_n}-bin optimum; at t*, certified "
        f"N = {n} brackets (exact branch and bound; Tsirelson dual) lifted to the continuum (lemma C3 for the classical "
        f"upper bound, lemma Q3 for the quantum); cells enclosed in arb from each law's CDF and quantile."
    )
    data = {"rows": [r.to_dict() for r in rows], "N": n, "search_N": search_n}
    findings: list[Finding] = []
    decisions: list[Decision] = []
    for r in by_cv:
        q, c = r.at_min.quantum_continuum, r.at_min.classical_continuum
        at = f"{r.law}, continuum game at t* = {float(r.at_min.t):.6g}"
        findings += [Finding.derived_by(f"quantum minus classical value, {at}", lower=Derived("gap", {"quantum": q.lower, "classical": c.upper}),
                                        upper=Derived("gap", {"quantum": q.upper, "classical": c.lower}), unit="probability"),
                     Finding.certified_by(q.lower, q.upper, target=f"quantum value, {at}", unit="probability"),
                     Finding.certified_by(c.lower, c.upper, target=f"classical value, {at}", unit="probability")]
        decisions.append(Decision.of(f"quantum value > classical value, {at}", q, c))
    if quick:
        evidence += " Game level only here; `qcoord laws` and `qcoord verify --full` add the system level per law."
    else:
        from proofs.certify.law_system import law_system_table, system_verdict

        system = law_system_table([r.law for r in rows], rho=0.6, fractions=(0.5,), workers=workers, cert_dir=cert_dir, dask=dask)
        s_status, s_summary = system_verdict(system)
        evidence += (f" System level (rho = 0.6, W_l halfway between always-split and always-bunch, certified p_split brackets): "
                     f"{s_status}: {s_summary}.")
        data["system"] = [x.to_dict() for x in system]
        findings += _system_findings(system)
    return ClaimResult(status, ours, evidence, data, findings=tuple(findings), decisions=tuple(decisions))


def _system_findings(system: list) -> list[Finding]:
    """Certified p_split brackets and the derived R_3 bounds of each law's system row (rows without certificates are skipped)."""
    from proofs.checkers.registry import check_certificate

    out: list[Finding] = []
    for row in system:
        if not row.certificates:
            continue
        b = {key: check_certificate(path) for key, path in row.certificates.items()}
        at = f"{row.law}, rho = {row.rho:g}, W_l = {row.W_limit:.6g} (f = {row.W_fraction:g})"
        out += [Finding.derived_by(f"R_3 = E[T_B] quantum / classical for T = t^3, {at}",
                                   lower=Derived("R_k", {"classical": b["classical_lower"], "quantum": b["quantum_upper"]}, {"k": 3}),
                                   upper=Derived("R_k", {"classical": b["classical_upper"], "quantum": b["quantum_lower"]}, {"k": 3}), unit="ratio"),
                Finding.certified_by(b["classical_lower"], b["classical_upper"], target=f"minimum p_split of classical routers, {at}", unit="probability"),
                Finding.certified_by(b["quantum_lower"], b["quantum_upper"], target=f"minimum p_split of quantum routers, {at}", unit="probability")]
    return out
