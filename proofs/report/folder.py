"""The report: the claims table for the terminal and the report folder ``qcoord verify`` leaves.

A report folder holds the whole verdict of one run, re-checkable later on
another machine with ``qcoord check DIR`` (:mod:`proofs.checkers.report_folder`)::

    report.md       the claims table, one paragraph per claim, the figures
    claims.json     the structured claims (the same content as ``verify --json``)
    run.json        seeds, versions, CPU count, wall time per claim and figure, and ``files``:
                    the manifest of every file the run wrote (the only files a later run may remove)
    certificates/   <claim id>/ and figures/<name>/: every certificate cited
    records/        the derivation records the claims cite
    figures/        PNG figures

claims.json (format version 2) holds one entry per claim: its status, the
paper's value, a ``headline``, the numbers (``result`` and
``further_results``: findings whose ``lower``, ``upper`` and ``estimate`` are
records labelled ``certified``, ``derived`` or ``estimate``; see
:mod:`proofs.claims.claim` and :mod:`proofs.checkers.report_folder`), the ``decisions`` its
status rests on, the evidence, assumptions, the prose (``ours``,
``evidence_text``) and ``data`` (the check's raw output: estimates and float
copies, not checked; the checked numbers are the records).

Every path written into the folder is relative to it.  Each claim check and
each figure is given its own certificate directory in the folder
(``certificates/<claim id>/``, ``certificates/figures/<name>/``) as its
``cert_dir`` argument; paths a claim cites outside the folder (a certificate
it wrote elsewhere, a derivation record of the package) are copied in and
rewritten.
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import os
import platform
import re
import shutil
import sys
import textwrap
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from proofs.claims.claim import Claim, ClaimResult, Evidence, run_claim
from proofs.exact.errors import ProofsParameterError
from proofs.report import figures as report_figures

__all__ = [
    "CLAIMS_VERSION",
    "LIBRARIES",
    "REPORT_FORMAT",
    "ClaimRecord",
    "Report",
    "ReportFolderError",
    "claim_entry",
    "claims_table",
    "is_report",
    "prepare_folder",
    "run_info",
    "table",
    "write_report",
]

#: value of ``"format"`` in run.json and claims.json: marks a folder as a qcoord report
REPORT_FORMAT = "qcoord-report"
#: value of ``"version"`` in claims.json: 2 = every number a labelled record (:mod:`proofs.checkers.report_folder`)
CLAIMS_VERSION = 2
#: libraries whose versions run.json records
LIBRARIES = ("numpy", "scipy", "sympy", "cvxpy", "scs", "clarabel", "numba", "python-flint", "matplotlib")
#: the entries a report folder consists of (removed when an earlier report is overwritten)
ENTRIES = ("report.md", "claims.json", "run.json", "certificates", "records", "figures")

_RECORDS = Path(__file__).resolve().parents[1] / "records"
# an absolute path to a JSON file inside prose (not the tail of a relative path)
_ABS_JSON = re.compile(r"(?<![\w.\-/])(/[^\s,;'\"()\[\]{}]+?\.json)")
_RECORD_REF = re.compile(r"proofs/records/([\w.\-]+\.json)")


class ReportFolderError(ProofsParameterError):
    """The output folder cannot be used (not empty and not an earlier report, or not writable)."""


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Left-aligned plain-text table.

    >>> print(table(["a", "b"], [[1, "x"]]))
    a  b
    -  -
    1  x
    """
    cells = [[str(c) for c in r] for r in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]

    def line(r: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip()

    out = [line(headers), line(["-" * w for w in widths])]
    out += [line(r) for r in cells]
    return "\n".join(out)


def claims_table(rows: Sequence[tuple]) -> str:
    """The claims table for the terminal: one line per ``(claim, result, seconds)``, headline unbroken, then the summary.

    >>> from proofs.claims.claim import ClaimResult

    >>> from proofs.claims.registry import CLAIMS
    >>> print(claims_table([(CLAIMS[0], ClaimResult("proved", "x <=> y", "e", headline="x <=> y, derived"), 0.1)]))
    id     status  paper           qcoord            s
    -----  ------  --------------  ----------------  ---
    eq3-4  proved  C = exp(-mu t)  x <=> y, derived  0.1
    <BLANKLINE>
    Summary: 1 proved.
    """
    counts: dict[str, int] = {}
    lines = []
    for claim, res, secs in rows:
        counts[res.status] = counts.get(res.status, 0) + 1
        lines.append([claim.id, res.status, claim.paper_value, res.headline or _headline(res), f"{secs:.1f}"])
    summary = ", ".join(f"{v} {k}" for k, v in sorted(counts.items()))
    return table(["id", "status", "paper", "qcoord", "s"], lines) + f"\n\nSummary: {summary}."


def claims_prose(rows: Sequence[tuple]) -> str:
    """The verification report in words (``qcoord verify --verbose``): one block per ``(claim, result, seconds)``."""
    blocks = []
    counts: dict[str, int] = {}
    for claim, res, secs in rows:
        counts[res.status] = counts.get(res.status, 0) + 1
        ev = textwrap.fill(res.evidence, width=100, initial_indent="    evidence: ", subsequent_indent="              ")
        blocks.append(
            f"[{res.status.upper()}] {claim.id}  ({claim.where})\n"
            f"    paper:    {claim.statement}\n"
            f"    stated:   {claim.paper_value}\n"
            f"    qcoord:   {res.ours}\n{ev}\n    time:     {secs:.1f} s"
        )
    summary = ", ".join(f"{v} {k}" for k, v in sorted(counts.items()))
    return "\n\n".join(blocks) + f"\n\nSummary: {summary}."


# ----------------------------------------------------------------------------- folder


def is_report(folder: str | Path) -> bool:
    """Whether ``folder`` holds an earlier qcoord report (its run.json says so).

    >>> import tempfile
    >>> is_report(tempfile.mkdtemp())
    False
    """
    try:
        info = json.loads((Path(folder) / "run.json").read_text())
    except (OSError, ValueError):
        return False
    return isinstance(info, dict) and info.get("format") == REPORT_FORMAT


def prepare_folder(folder: str | Path) -> Path:
    """Create ``folder`` for a new report, or clear an earlier report in it.

    Refuses (:class:`ReportFolderError`) a path that is a file, or a non-empty
    folder that is not an earlier report: qcoord never deletes files it did
    not write.  Of an earlier report only the report's own entries are removed.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()); (d / "notes.txt").write_text("mine")
    4
    >>> prepare_folder(d)
    Traceback (most recent call last):
    ...
    proofs.report.folder.ReportFolderError: `--out` folder ... is not empty and holds no earlier qcoord report (no run.json with "format": "qcoord-report"); choose another folder or empty it
    """
    out = Path(folder)
    if out.exists() and not out.is_dir():
        raise ReportFolderError(f"`--out` must be a folder; {str(out)!r} is a file")
    if out.is_dir() and any(out.iterdir()):
        if not is_report(out):
            raise ReportFolderError(
                f"`--out` folder {str(out)!r} is not empty and holds no earlier qcoord report "
                f'(no run.json with "format": "{REPORT_FORMAT}"); choose another folder or empty it'
            )
        _remove_own_files(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        for sub in ("certificates", "records", "figures"):
            (out / sub).mkdir(exist_ok=True)
    except OSError as exc:
        raise ReportFolderError(f"cannot create the report folder {str(out)!r}: {exc}") from exc
    return out


def _entry_files(out: Path) -> list[str]:
    """Every file (or link) under the report's entries, as a path relative to ``out``; directories are walked, links not followed."""
    found = []
    for name in ENTRIES:
        p = out / name
        if p.is_symlink() or p.is_file() or (p.exists() and not p.is_dir()):
            found.append(name)
        elif p.is_dir():
            for q in sorted(p.rglob("*")):
                if q.is_symlink() or not q.is_dir():
                    found.append(q.relative_to(out).as_posix())
    return found


def _remove_own_files(out: Path) -> None:
    """Remove the files an earlier report lists in its run.json manifest; refuse if anything else is in the report's entries.

    Only files found by walking the folder and named in the manifest are
    removed, then the report's sub-folders if they are left empty: a file the
    user put anywhere in the folder survives, or nothing is removed at all.
    """
    try:
        manifest = json.loads((out / "run.json").read_text()).get("files")
    except (OSError, ValueError, AttributeError):
        manifest = None
    if not (isinstance(manifest, list) and all(isinstance(f, str) for f in manifest)):
        raise ReportFolderError(f"`--out` folder {str(out)!r} holds a report without a file manifest (written by an older qcoord), so qcoord cannot tell "
                                "its own files from yours; remove that report or choose another folder")
    own = set(manifest)
    found = _entry_files(out)
    foreign = [f for f in found if f not in own]
    if foreign:
        raise ReportFolderError(f"`--out` folder {str(out)!r} holds {len(foreign)} file(s) qcoord did not write (first: {foreign[0]!r}); "
                                "qcoord never deletes them: move them or choose another folder")
    for f in found:
        (out / f).unlink()
    for name in ENTRIES:
        p = out / name
        if p.is_dir() and not p.is_symlink():
            for d in sorted((q for q in p.rglob("*") if q.is_dir()), key=lambda q: len(q.parts), reverse=True):
                d.rmdir()
            p.rmdir()


class _Localiser:
    """Rewrites paths a claim cites into paths relative to the report folder (copying files in)."""

    def __init__(self, root: Path, claim_dir: Path) -> None:
        self.root = root.resolve()
        self.claim_dir = claim_dir
        self.records: set[str] = set()

    def path(self, p: str) -> str:
        """Relative path of ``p`` in the folder; files outside it are copied in first."""
        rec = _RECORD_REF.fullmatch(p)
        if rec:
            return self._record(rec.group(1))
        src = Path(p)
        if not src.is_absolute():
            return p
        src = src.resolve()
        if src.is_relative_to(self.root):
            return src.relative_to(self.root).as_posix()
        if not src.is_file():
            return p  # nothing to copy; left as cited (report.md notes it)
        dest = self.claim_dir / src.name
        self.claim_dir.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
        return dest.resolve().relative_to(self.root).as_posix()

    def _record(self, name: str) -> str:
        src = _RECORDS / name
        if src.is_file():
            shutil.copyfile(src, self.root / "records" / name)
            self.records.add(name)
        return f"records/{name}"

    def text(self, s: str) -> str:
        s = _ABS_JSON.sub(lambda m: self.path(m.group(1)), s)
        return _RECORD_REF.sub(lambda m: self._record(m.group(1)), s)

    def obj(self, o: Any) -> Any:
        """JSON-ready copy of ``o`` with every path localised (numpy scalars and arrays become numbers and lists)."""
        if isinstance(o, str):
            return self.text(o)
        if isinstance(o, dict):
            return {str(k): self.obj(v) for k, v in o.items()}
        if isinstance(o, (list, tuple, set)):
            return [self.obj(v) for v in o]
        if isinstance(o, bool) or o is None or isinstance(o, int):
            return o
        if isinstance(o, float):
            return o if math.isfinite(o) else None  # JSON has no NaN or infinity; the prose keeps the value
        if hasattr(o, "tolist"):
            return self.obj(o.tolist())
        if hasattr(o, "to_dict"):
            return self.obj(o.to_dict())
        try:
            return self.obj(float(o))
        except (TypeError, ValueError):
            return str(o)


@dataclass(frozen=True)
class ClaimRecord:
    """One claim of a report: the claim, its result, the seconds it took and its JSON entry."""

    claim: Claim
    result: ClaimResult
    seconds: float
    entry: dict[str, Any]


def claim_entry(claim: Claim, res: ClaimResult, seconds: float, root: Path, claim_dir: Path | None = None) -> dict[str, Any]:
    """The claims.json entry of one claim, with every path relative to the report folder ``root``.

    Certificates the check wrote into ``claim_dir`` but did not cite are listed
    as evidence too, so that a claim that reports only prose still names them.

    >>> import tempfile
    >>> from proofs.claims.claim import ClaimResult
    >>> from proofs.claims.registry import CLAIMS
    >>> root = prepare_folder(tempfile.mkdtemp())
    >>> e = claim_entry(CLAIMS[0], ClaimResult("proved", "ok", "see proofs/records/eq3-4.json"), 0.5, root)
    >>> e["id"], e["status"], e["paper"], e["result"], e["seconds"]
    ('eq3-4', 'proved', {'value': None, 'text': 'C = exp(-mu t)'}, None, 0.5)
    >>> e["evidence_text"], e["evidence"], (root / "records" / "eq3-4.json").is_file()
    ('see records/eq3-4.json', [{'kind': 'record', 'summary': 'sympy derivation record cited by this check', 'path': 'records/eq3-4.json'}], True)
    """
    root = Path(root)
    loc = _Localiser(root, claim_dir if claim_dir is not None else root / "certificates" / claim.id)
    findings = [loc.obj(f.to_dict()) for f in res.findings]
    decisions = [loc.obj(d.to_dict()) for d in res.decisions]
    items = [loc.obj(e.to_dict()) for e in res.evidence_items]
    cited = {i.get("path") for i in items} | _record_paths(findings) | {d[k] for d in decisions for k in ("larger", "smaller")}
    ours, evidence_text = loc.text(res.ours), loc.text(res.evidence)
    data = loc.obj(res.data)
    if claim_dir is not None and claim_dir.is_dir():
        for p in sorted(claim_dir.rglob("*.json")):
            rel = p.resolve().relative_to(loc.root).as_posix()
            if rel not in cited:
                items.append(Evidence("certificate", "certificate written by this check", rel).to_dict())
    for name in sorted(loc.records):
        rel = f"records/{name}"
        if rel not in {i.get("path") for i in items}:
            items.append(Evidence("record", "sympy derivation record cited by this check", rel).to_dict())
    return {
        "id": claim.id,
        "where": claim.where,
        "statement": claim.statement,
        "status": res.status,
        "paper": {"value": claim.paper_number, "text": claim.paper_value},
        "headline": res.headline or _headline(res),
        "result": findings[0] if findings else None,
        "further_results": findings[1:],
        "decisions": decisions,
        "ours": ours,
        "evidence": items,
        "evidence_text": evidence_text,
        "assumptions": list(res.assumptions),
        "data": data,
        "seconds": round(seconds, 3),
    }


def _record_paths(findings: list[dict[str, Any]]) -> set[str]:
    """Every certificate path the number records of ``findings`` cite."""
    out: set[str] = set()
    for f in findings:
        for rec in (f.get(k) for k in ("lower", "upper", "estimate")):
            if not isinstance(rec, dict):
                continue
            if rec.get("certificate"):
                out.add(rec["certificate"])
            for ref in (rec.get("inputs") or {}).values():
                out.update(ref if isinstance(ref, list) else [ref])
    return out


def _headline(res: ClaimResult) -> str:
    """A short result for tables: the claim's own, else its first finding, else its first clause."""
    if res.findings:
        f = res.findings[0]
        if f.lower is not None and f.upper is not None:
            return f"{f.target}: [{f.lower:.7f}, {f.upper:.7f}]"
        if f.estimate is not None:
            return f"{f.target}: {f.estimate:.6f}"
    first = re.split(r";\s", res.ours, maxsplit=1)[0]
    return first if len(first) <= 110 else first[:107] + "..."


# ----------------------------------------------------------------------------- run information


def _version(dist: str) -> str | None:
    from importlib import metadata

    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def _qcoord_version() -> str:
    v = _version("qcoord")
    if v:
        return v
    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    try:
        import tomllib

        return str(tomllib.loads(pyproject.read_text())["project"]["version"]) + " (source tree)"
    except (OSError, KeyError, ValueError):
        return "unknown"


def run_info(*, quick: bool) -> dict[str, Any]:
    """Versions and machine facts for run.json (times and seeds are added by :func:`write_report`).

    >>> info = run_info(quick=True)
    >>> info["format"], info["mode"], info["cpu_count"] >= 1, "numpy" in info["libraries"]
    ('qcoord-report', 'quick', True, True)
    """
    return {
        "format": REPORT_FORMAT,
        "version": 1,
        "mode": "quick" if quick else "full",
        "qcoord": _qcoord_version(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "libraries": {name: _version(name) for name in LIBRARIES},
        "started_utc": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
    }


# ----------------------------------------------------------------------------- the whole report


@dataclass(frozen=True)
class Report:
    """What :func:`write_report` produced."""

    folder: Path
    records: tuple[ClaimRecord, ...]
    figures: tuple[dict[str, Any], ...]
    run: dict[str, Any]

    def claims_json(self) -> dict[str, Any]:
        return {"format": REPORT_FORMAT, "version": CLAIMS_VERSION, "claims": [r.entry for r in self.records], "figures": list(self.figures), "run": self.run}

    @property
    def failed(self) -> bool:
        return any(r.result.status == "error" for r in self.records)


def write_report(
    folder: str | Path,
    claims: Sequence[Claim],
    *,
    quick: bool = True,
    figures: bool = True,
    on_claim: Callable[[int, int, str, float | None], None] | None = None,
    argv: Sequence[str] | None = None,
    runner: Callable[..., tuple[ClaimResult, float]] = run_claim,
    workers: int | None = None,
    dask: str | None = None,
) -> Report:
    """Run ``claims`` and write the report folder; see the module docstring.

    ``on_claim(k, total, name, seconds)`` is called before (``seconds=None``)
    and after each claim and figure, for progress display.  ``runner`` runs
    one claim (default :func:`proofs.claims.claim.run_claim`), called as
    ``runner(claim, quick=..., cert_dir=...)`` with the claim's certificate
    directory in the folder.  ``workers`` and ``dask`` say where the figures' batches run
    (:func:`proofs.report.figures.draw`; the claims' batches get them through ``runner``).
    """
    out = prepare_folder(folder)
    root = out.resolve()
    info = run_info(quick=quick)
    info["command"] = list(argv) if argv is not None else None
    start = time.perf_counter()
    figs = report_figures.FIGURES if figures else ()
    total = len(claims) + len(figs)
    records: list[ClaimRecord] = []
    for k, claim in enumerate(claims, start=1):
        if on_claim:
            on_claim(k, total, claim.id, None)
        cdir = root / "certificates" / claim.id
        cdir.mkdir(parents=True, exist_ok=True)
        res, secs = runner(claim, quick=quick, cert_dir=cdir)
        entry = claim_entry(claim, res, secs, root, cdir)
        records.append(ClaimRecord(claim, res, secs, entry))
        if on_claim:
            on_claim(k, total, claim.id, secs)
    fig_entries = []
    for k, fig in enumerate(figs, start=len(claims) + 1):
        if on_claim:
            on_claim(k, total, f"figure {fig.name}", None)
        fig_entries.append(report_figures.draw(fig, root, quick=quick, records=records, workers=workers, dask=dask))
        if on_claim:
            on_claim(k, total, f"figure {fig.name}", fig_entries[-1]["seconds"])
    info["wall_seconds"] = round(time.perf_counter() - start, 3)
    info["claim_seconds"] = {r.claim.id: r.entry["seconds"] for r in records}
    info["figure_seconds"] = {f["name"]: f["seconds"] for f in fig_entries}
    info["seeds"] = {r.claim.id: sorted({i["seed"] for i in r.entry["evidence"] if i.get("seed") is not None}) for r in records}
    info["seeds"] = {k: v for k, v in info["seeds"].items() if v}
    info["seeds"].update({f"figure {f['name']}": f["seeds"] for f in fig_entries if f.get("seeds")})
    rep = Report(out, tuple(records), tuple(fig_entries), info)
    (out / "claims.json").write_text(json.dumps(rep.claims_json(), indent=2, allow_nan=False))
    (out / "report.md").write_text(report_markdown(rep))
    # run.json alone carries the manifest: every file this run wrote (the entries held no other file, prepare_folder saw to that)
    (out / "run.json").write_text(json.dumps({**info, "files": sorted({*_entry_files(out), "run.json"})}, indent=2))
    return rep


# ----------------------------------------------------------------------------- report.md

_MEANING = {
    "proved": "derived symbolically, or bracketed by certificates that a checker verified, and it agrees with the paper",
    "reproduced": "our independent estimate (a search or solver float, not a bound) agrees with the paper's number",
    "differs": "our check disagrees with the paper, by the amount stated",
    "refuted": "the statement is false as written: a counterexample or a certified bound contradicts it",
    "partly": "the statement holds only under conditions the paper does not state",
    "answered": "an open question of the paper, answered on the target stated (N bins or continuum) with certified numbers",
    "not yet checked": "qcoord has no complete check of this statement yet",
    "error": "the check itself failed to run; nothing is concluded",
}


def _md_cell(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def report_markdown(rep: Report) -> str:
    """report.md: the claims table, a paragraph per claim, the figures."""
    run = rep.run
    lines = [
        "# qcoord report",
        "",
        (
            f"Claims of *Entanglement improves coordination in distributed systems* (Ferreira da Silva & Wehner, QuNet '25), "
            f"checked by qcoord {run['qcoord']} in {run['mode']} mode on {run['started_utc']} "
            f"({run['cpu_count']} CPUs, {run['wall_seconds']:.0f} s). Re-check this folder with `qcoord check .` "
            "(no solver needed). Paths are relative to this folder."
        ),
        "",
        "| id | paper's statement | paper | qcoord | status |",
        "|---|---|---|---|---|",
    ]
    for r in rep.records:
        e = r.entry
        lines.append(f"| {e['id']} | {_md_cell(e['statement'])} | {_md_cell(e['paper']['text'])} | {_md_cell(e['headline'])} | {e['status']} |")
    lines += ["", "## Claims", ""]
    for r in rep.records:
        e = r.entry
        lines += [f"### {e['id']} ({e['where']}): {e['status']}", ""]
        lines.append(f"**Paper.** {e['statement']} (stated: {e['paper']['text']}).")
        lines.append("")
        lines.append(f"**qcoord.** {e['ours']}")
        for f in ([e["result"]] if e["result"] else []) + e["further_results"]:
            lines.append(f"- {_finding_md(f)}")
        lines.append("")
        lines.append(f"**Evidence.** {e['evidence_text']}")
        for item in e["evidence"]:
            where = f" [`{item['path']}`]({item['path']})" if item.get("path") else ""
            seed = f" (seed {item['seed']})" if item.get("seed") is not None else ""
            lines.append(f"- {item['kind']}{where}: {item['summary']}{seed}")
        if e["assumptions"]:
            lines += ["", "**Assumptions.** " + "; ".join(e["assumptions"]) + "."]
        lines += ["", f"**Status.** {e['status']}: {_MEANING.get(e['status'], '')}. ({e['seconds']:.1f} s)", ""]
    if rep.figures:
        lines += ["## Figures", ""]
        for f in rep.figures:
            if f.get("path"):
                lines += [f"![{f['name']}]({f['path']})", "", f"*{f['caption']}*", ""]
            else:
                lines += [f"*{f['name']}: not drawn ({f.get('error', '')})*", ""]
    return "\n".join(lines) + "\n"


def _finding_md(f: dict[str, Any]) -> str:
    parts = []
    for side, sym in (("estimate", "estimate"), ("lower", ">="), ("upper", "<=")):
        rec = f.get(side)
        if not isinstance(rec, dict):
            continue
        if rec["kind"] == "certified":
            how = f" (certified: `{rec['certificate']}`)"
        elif rec["kind"] == "derived":
            how = f" (derived: {rec['formula']} of certified numbers)"
        else:
            how = "" if side == "estimate" else " (estimate)"
        parts.append(f"{sym} {rec['value']:.10g}{how}")
    unit = f" {f['unit']}" if f.get("unit") else ""
    return f"{f['target']}: " + ", ".join(parts) + unit


def progress_printer(stream: Any = None) -> Callable[[int, int, str, float | None], None]:
    """An ``on_claim`` callback printing ``[k/total] name ... 1.2 s (elapsed 30 s, ~2 min 10 s left)`` lines.

    The time left is the mean time per finished claim times the claims left.
    """
    from games.progress import format_seconds

    stream = stream or sys.stderr
    start = time.perf_counter()

    def show(k: int, total: int, name: str, secs: float | None) -> None:
        if secs is None:
            print(f"[{k}/{total}] {name} ...", end="", file=stream, flush=True)
        else:
            elapsed = time.perf_counter() - start
            left = f", ~{format_seconds(elapsed / k * (total - k))} left" if 0 < k < total else ""
            print(f" {secs:.1f} s (elapsed {format_seconds(elapsed)}{left})", file=stream, flush=True)

    return show
