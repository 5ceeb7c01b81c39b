"""Re-check a report folder (or any folder of certificates) without trusting a solver.

:func:`check_folder` verifies every certificate under the folder with the
:mod:`proofs` checkers and, for a report (a folder with ``claims.json``),
that every certified number a claim states is exactly what its certificate
proves: the side, the exact ``"p/q"`` value, the float beside it, and the
target (game, N, classical or quantum).  Every path a claim cites must be
relative and stay inside the folder, so a copied folder checks the same.

This module imports only the standard library and :mod:`proofs.check` (the
checkers): no solver, no :mod:`bounds`, no :mod:`games`.
"""

from __future__ import annotations

import hashlib
import json
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from proofs.check import check_certificate
from proofs.errors import CertificateError, CertificateFormatError
from proofs.exact.certificate import MAX_BYTES

__all__ = ["ClaimVerdict", "FileVerdict", "FolderCheck", "check_folder"]

#: files of a report folder that are not certificates
_NOT_CERTIFICATES = ("claims.json", "run.json")


@dataclass(frozen=True)
class FileVerdict:
    """Outcome of checking one certificate file (``path`` relative to the folder)."""

    path: str
    status: Literal["valid", "invalid", "unreadable"]
    message: str
    bound: Any = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class ClaimVerdict:
    """Whether one claim's certified numbers and cited files agree with the folder."""

    id: str
    problems: tuple[str, ...]
    certified_numbers: int

    @property
    def consistent(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class FolderCheck:
    """Result of :func:`check_folder`."""

    folder: Path
    certificates: tuple[FileVerdict, ...]
    claims: tuple[ClaimVerdict, ...]
    unreadable_report: str | None = None

    @property
    def exit_code(self) -> int:
        """0 all valid and consistent; 1 a certificate invalid or a claim inconsistent; 2 something unreadable."""
        if any(v.status == "invalid" for v in self.certificates) or any(not c.consistent for c in self.claims):
            return 1
        if self.unreadable_report or any(v.status == "unreadable" for v in self.certificates):
            return 2
        return 0

    def summary(self) -> str:
        """``N certificates valid, M claims consistent`` (with the failures counted when there are any)."""
        n = {s: sum(v.status == s for v in self.certificates) for s in ("valid", "invalid", "unreadable")}
        ok = sum(c.consistent for c in self.claims)
        bad = len(self.claims) - ok
        first = f"{n['valid']} certificates valid" + "".join(f", {n[s]} {s}" for s in ("invalid", "unreadable") if n[s])
        second = f"{ok} claims consistent" + (f", {bad} inconsistent" if bad else "")
        tail = f" ({self.unreadable_report})" if self.unreadable_report else ""
        return f"{first}, {second}{tail}"

    def failures(self) -> list[str]:
        """One line per failing certificate or claim, each naming the file."""
        # the spelling of single-file checks: "INVALID: ..." and "unreadable: ..."
        out = [f"{'INVALID' if v.status == 'invalid' else 'unreadable'}: {v.path}: {v.message}" for v in self.certificates if v.status != "valid"]
        for c in self.claims:
            out += [f"INCONSISTENT: claims.json: claim {c.id!r}: {p}" for p in c.problems]
        if self.unreadable_report:
            out.append(f"unreadable: {self.unreadable_report}")
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "folder": str(self.folder),
            "exit_code": self.exit_code,
            "summary": self.summary(),
            "certificates": [{"path": v.path, "status": v.status, "message": v.message} for v in self.certificates],
            "claims": [{"id": c.id, "consistent": c.consistent, "certified_numbers": c.certified_numbers, "problems": list(c.problems)} for c in self.claims],
        }


def _certificate_files(root: Path, is_report: bool) -> list[Path]:
    files = sorted(p for p in root.rglob("*.json") if not p.is_dir())  # special files too: reported, never read here
    if not is_report:
        return files
    return [p for p in files if p.relative_to(root).as_posix() not in _NOT_CERTIFICATES and p.relative_to(root).parts[0] != "records"]


def _inside(root: Path, rel: Any) -> Path | None:
    """``root / rel`` if ``rel`` is a relative path that stays inside ``root``, else None."""
    if not isinstance(rel, str) or not rel:
        return None
    pp = PurePosixPath(rel)
    if pp.is_absolute() or ".." in pp.parts or "\\" in rel:
        return None
    return root / pp


def check_folder(folder: str | Path, *, on_file: Callable[[int, int, str], None] | None = None) -> FolderCheck:
    """Check every certificate under ``folder`` and, for a report, every claim's certified numbers.

    >>> import tempfile
    >>> r = check_folder(tempfile.mkdtemp())   # nothing to check is not "valid"
    >>> r.exit_code, r.summary().startswith("0 certificates valid, 0 claims consistent (")
    (2, True)
    """
    root = Path(folder)
    claims_path = root / "claims.json"
    is_report = claims_path.exists()
    verdicts: dict[str, FileVerdict] = {}
    by_hash: dict[str, FileVerdict] = {}  # identical files are checked once
    files = _certificate_files(root, is_report)
    for k, p in enumerate(files, start=1):
        rel = p.relative_to(root).as_posix()
        if on_file:
            on_file(k, len(files), rel)
        digest = None
        try:
            st = p.stat()
            if stat.S_ISREG(st.st_mode) and st.st_size <= MAX_BYTES:  # never read a special or oversized file; its checker reports it
                digest = hashlib.sha256(p.read_bytes()).hexdigest()
        except OSError as exc:
            verdicts[rel] = FileVerdict(rel, "unreadable", f"cannot read: {exc}")
            continue
        if digest is not None and digest in by_hash:
            verdicts[rel] = FileVerdict(rel, by_hash[digest].status, by_hash[digest].message, by_hash[digest].bound)
            continue
        try:
            b = check_certificate(p, rel)
            v = FileVerdict(rel, "valid", str(b), b)
        except CertificateFormatError as exc:
            v = FileVerdict(rel, "unreadable", str(exc))
        except CertificateError as exc:
            v = FileVerdict(rel, "invalid", str(exc))
        verdicts[rel] = v
        if digest is not None:
            by_hash[digest] = v
    claims: list[ClaimVerdict] = []
    unreadable = None
    if not is_report and not files:
        unreadable = f"{str(root)!r} is not a folder holding certificates (*.json) or a report (claims.json)"
    if is_report:
        try:
            data = json.loads(claims_path.read_text())
            entries = data["claims"]
            if not isinstance(entries, list):
                raise TypeError("'claims' is not a list")
        except (OSError, ValueError, KeyError, TypeError) as exc:
            unreadable = f"{claims_path}: {type(exc).__name__}: {exc}"
            entries = []
        for e in entries:
            claims.append(_check_claim(root, e, verdicts))
        if not unreadable and isinstance(data, dict):
            for fig in data.get("figures", []) or []:
                for rel in fig.get("certificates", []) if isinstance(fig, dict) else []:
                    if verdicts.get(rel, FileVerdict(rel, "unreadable", "")).status != "valid":
                        claims.append(ClaimVerdict(f"figure {fig.get('name')}", (f"cites {rel!r}, which is missing or not valid",), 0))
    return FolderCheck(root, tuple(verdicts[k] for k in sorted(verdicts)), tuple(claims), unreadable)


def _check_claim(root: Path, e: Any, verdicts: dict[str, FileVerdict]) -> ClaimVerdict:
    if not isinstance(e, dict):
        return ClaimVerdict("?", (f"entry is not an object: {e!r:.60}",), 0)
    cid = str(e.get("id", "?"))
    problems: list[str] = []
    n = 0

    def valid_file(rel: Any, what: str) -> FileVerdict | None:
        if _inside(root, rel) is None:
            problems.append(f"{what} path {rel!r} is not a relative path inside the folder")
            return None
        v = verdicts.get(PurePosixPath(rel).as_posix())
        if v is None:
            problems.append(f"{what} {rel!r} is missing from the folder")
            return None
        if v.status != "valid":
            problems.append(f"{what} {rel!r} is {v.status}")
            return None
        return v

    findings = ([e["result"]] if e.get("result") else []) + list(e.get("further_results") or [])
    for f in findings:
        if not isinstance(f, dict):
            problems.append(f"a result is not an object: {f!r:.60}")
            continue
        for side, c in (f.get("certified") or {}).items():
            n += 1
            where = f"{side} bound of {f.get('target')!r}"
            if side not in ("lower", "upper") or not isinstance(c, dict):
                problems.append(f"{where}: malformed certified entry")
                continue
            v = valid_file(c.get("certificate"), f"certificate of the {where}")
            if v is None:
                continue
            b = v.bound
            proved = f"{b.value.numerator}/{b.value.denominator}"
            if b.side != side:
                problems.append(f"{where}: {v.path} proves a {b.side} bound, not a {side} bound")
                continue
            try:
                stated = Fraction(str(c.get("exact")))
            except (ValueError, ZeroDivisionError):
                problems.append(f"{where}: exact value {c.get('exact')!r} is not a rational 'p/q'")
                continue
            if stated != b.value or f.get(f"{side}_exact") != c.get("exact"):
                problems.append(f"{where}: states {f.get(f'{side}_exact')!r} / {c.get('exact')!r} but {v.path} proves {proved}")
            if not isinstance(f.get(side), (int, float)) or isinstance(f.get(side), bool) or f[side] != float(b.value):
                problems.append(f"{where}: states {f.get(side)!r} but {v.path} proves {float(b.value)!r}")
            target = {"game": b.target.game, "N": b.target.n, "model": b.target.player_model}
            stated_target = {k: c.get(k) for k in target}
            if stated_target != target:
                problems.append(f"{where}: states target {stated_target} but {v.path} proves {target}")
    for item in e.get("evidence") or []:
        if isinstance(item, dict) and item.get("path") is not None:
            rel = item["path"]
            if item.get("kind") == "certificate":
                valid_file(rel, "certificate")
            elif _inside(root, rel) is None or not (root / rel).exists():
                problems.append(f"{item.get('kind')} {rel!r} is missing or outside the folder")
    return ClaimVerdict(cid, tuple(problems), n)
