"""The atlas: the certified system-level advantage over a grid of operating points, resumable, on any executor.

A grid has five axes: the load ``rho`` (pair rate ``lam = rho``, every law of
mean 1), the waiting-time limit as a fraction ``f`` in (0, 1) of the way from
the always-split to the always-bunch waiting time
(``W_l = W_split + f (W_bunch - W_split)``, rounded to 12 significant digits
as :func:`proofs.certify.law_system.law_system` does), the service law, the
visibility ``v`` of the routers' Werner pairs and the degree ``k`` of
``T(t) = t^k``.  One *point* is ``(rho, f, law, v)``: :func:`compute_point`
runs :func:`proofs.certify.system.system_result` (exact route, certified
brackets of ``p_c`` and ``p_q``) and, for ``v < 1`` (exponential law only),
:func:`proofs.certify.noise_system.certify_noise_system` for the bracket of
``p_split`` of Werner routers, which then takes the place of ``p_q``.  ``k``
changes no computation: every ``k`` of the grid is one row of the table,
its certified ``R_k`` lower bound ``((1 + p_c lower)/(1 + p_q upper))^(k - 1)``
computed from the checked exact bounds and rounded down.

:func:`run_atlas` runs the points on the job layer (:mod:`proofs.certify.jobs`:
this process, a process pool or a Dask cluster, one code path) and writes,
under its output folder:

* ``points/<key>.json``: one file per finished point, written atomically
  (a temporary file, then :func:`os.replace`) as soon as the point
  completes, keyed by the point's exact parameters and the qcoord version; a
  rerun skips every point with a file, so a killed run loses at most the
  points in flight.  A point that fails (a limit the certificates cannot
  resolve, a solver failure) is recorded with its reason and the run goes
  on; a job the executor lost (a worker died) is reported but not recorded,
  so a rerun tries it again.
* ``certificates/``: the certificate files behind the brackets (written by
  the driver from the job's result, so a cluster needs no shared disk);
* ``atlas.csv`` and ``atlas.parquet`` (one row per point and ``k``, with the
  certificate paths relative to the folder; Parquet needs ``pyarrow``);
* ``atlas_R3.png`` and ``atlas_gap_closed.png``: heat maps over
  ``(f, rho)``, one panel per ``(law, v)``, of the certified ``R_3`` lower
  bound and of the share of the classical-to-ideal gap that entanglement
  closes, ``(p_c - p_q)/(p_c - p_ideal)`` (solver estimates).
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import os
import shutil
import tempfile
import time
from collections.abc import Mapping, Sequence
from contextlib import nullcontext, suppress
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from proofs.exact.errors import ProofsParameterError, QcoordError
from proofs.exact.rational import fraction_str, parse_fraction

__all__ = [
    "AXES",
    "AtlasGrid",
    "AtlasJob",
    "AtlasRun",
    "compute_point",
    "load_grid",
    "plot_atlas",
    "qcoord_version",
    "r_k_lower",
    "run_atlas",
    "table_rows",
]

#: the grid's axes, in table order
AXES = ("rho", "W_fraction", "law", "v", "k")
#: the default grid (the README's table: W_l 15 % and 30 % of the way from always split to always bunch)
DEFAULT_GRID: dict[str, tuple[Any, ...]] = {"rho": (0.3, 0.6, 0.8), "W_fraction": (0.15, 0.3), "law": ("exponential",), "v": (1.0,), "k": (3.0,)}
#: load range of the certified system level (as ``qcoord laws --rho``; above 0.999 the producers were not validated)
RHO_MIN, RHO_MAX = 0.01, 0.999
#: T(t) = t^k with k in [1, 50] (as ``qcoord system --k``)
K_MIN, K_MAX = 1.0, 50.0
#: W_l - W_split must be at least this share of W_bunch - W_split and W_BUDGET_MIN W_split (as ``qcoord system``):
#: closer to the always-split wait the certificates cannot resolve the budget; such a point is recorded as failed
W_FRACTION_MIN, W_BUDGET_MIN = 0.01, 1e-4
#: most points of one grid, and most values of one axis
POINTS_MAX, AXIS_MAX = 100_000, 1000
#: largest grid file read
GRID_FILE_MAX = 1_000_000
#: the table's columns, in order
COLUMNS = ("rho", "W_fraction", "W_limit", "law", "v", "k", "status", "p_ideal", "p_c", "p_c_lower", "p_c_upper", "p_q", "p_q_lower",
           "p_q_upper", "p_gap_lower", "R_k", "R_k_lower", "R_3_lower", "gap_closed", "cert_p_c_lower", "cert_p_c_upper", "cert_p_q_lower",
           "cert_p_q_upper", "point_file", "reason", "qcoord_version")
_TEXT = frozenset({"law", "status", "cert_p_c_lower", "cert_p_c_upper", "cert_p_q_lower", "cert_p_q_upper", "point_file", "reason", "qcoord_version"})


def qcoord_version() -> str:
    """The installed qcoord version (part of every point's key), or ``"0+unknown"``."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("qcoord")
    except PackageNotFoundError:
        return "0+unknown"


# --------------------------------------------------------------------------- the grid


def _reals(name: str, values: Any) -> tuple[float, ...]:
    vals = values if isinstance(values, (list, tuple)) else [values]
    out = []
    for x in vals:
        if isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x):
            raise ProofsParameterError(f"every `{name}` must be a finite number; got {x!r}")
        out.append(float(x) + 0.0)
    return tuple(dict.fromkeys(out))


@dataclass(frozen=True)
class AtlasGrid:
    """The axes of an atlas (each a tuple of distinct values, in the order given).

    >>> g = AtlasGrid.from_mapping({"rho": [0.6], "W_fraction": [0.5], "law": ["exponential"], "v": [1, 0.9], "k": [3]})
    >>> len(g.points()), g.v
    (2, (1.0, 0.9))
    >>> AtlasGrid.from_mapping({"rho": [1.0]})
    Traceback (most recent call last):
    ...
    proofs.exact.errors.ProofsParameterError: every `rho` must lie in [0.01, 0.999] (a stable system the certificates resolve); got 1.0
    """

    rho: tuple[float, ...]
    W_fraction: tuple[float, ...]
    law: tuple[str, ...]
    v: tuple[float, ...]
    k: tuple[float, ...]

    @classmethod
    def from_mapping(cls, axes: Mapping[str, Any], names: Mapping[str, str] | None = None) -> AtlasGrid:
        """A validated grid; a missing axis takes :data:`DEFAULT_GRID`'s values.

        ``names`` maps an axis to the name its messages use (e.g. the command-line option it came from).
        """
        from analytic.laws.catalogue import parse_law

        nm = {a: (names or {}).get(a, a) for a in AXES}
        if not isinstance(axes, Mapping):
            raise ProofsParameterError(f"a grid must be a table of axes {AXES}; got {type(axes).__name__}")
        unknown = sorted(set(axes) - set(AXES))
        if unknown:
            raise ProofsParameterError(f"unknown grid axis {unknown[0]!r}; the axes are {', '.join(AXES)}")
        vals = {a: axes.get(a, DEFAULT_GRID[a]) for a in AXES}
        for a, x in vals.items():
            n = len(x) if isinstance(x, (list, tuple)) else 1
            if n == 0:
                raise ProofsParameterError(f"grid axis `{nm[a]}` is empty; give at least one value")
            if n > AXIS_MAX:
                raise ProofsParameterError(f"grid axis `{nm[a]}` has {n} values; at most {AXIS_MAX}")
        rho = _reals(nm["rho"], vals["rho"])
        for r in rho:
            if not RHO_MIN <= r <= RHO_MAX:
                raise ProofsParameterError(f"every `{nm['rho']}` must lie in [{RHO_MIN:g}, {RHO_MAX:g}] (a stable system the certificates resolve); got {r!r}")
        fr = _reals(nm["W_fraction"], vals["W_fraction"])
        for f in fr:
            if not 0 < f < 1:
                raise ProofsParameterError(f"every `{nm['W_fraction']}` must lie in (0, 1) (W_l = W_split + f (W_bunch - W_split)); got {f!r}")
        vs = _reals(nm["v"], vals["v"])
        for v in vs:
            if not 0 <= v <= 1:
                raise ProofsParameterError(f"every `{nm['v']}` (visibility of the Werner pairs) must lie in [0, 1]; got {v!r}")
        ks = _reals(nm["k"], vals["k"])
        for k in ks:
            if not K_MIN <= k <= K_MAX:
                raise ProofsParameterError(f"every `{nm['k']}` (T(t) = t^k) must lie in [{K_MIN:g}, {K_MAX:g}]; got {k!r}")
        raw_laws = vals["law"] if isinstance(vals["law"], (list, tuple)) else [vals["law"]]
        laws = []
        for name in raw_laws:
            if not isinstance(name, str):
                raise ProofsParameterError(f"every `{nm['law']}` must be a catalogue name NAME[:PARAM]; got {name!r}")
            try:
                spec = parse_law(name.strip())
                spec.require_finite_variance()
            except QcoordError as exc:
                raise ProofsParameterError(f"`{nm['law']}`: {exc}") from None
            laws.append(spec.label)
        laws = list(dict.fromkeys(laws))
        if any(v < 1 for v in vs) and any(law != "exponential" for law in laws):
            other = next(law for law in laws if law != "exponential")
            raise ProofsParameterError(f"visibility `{nm['v']}` < 1 is certified for the exponential law only (Werner-pair certificates); got law {other!r} "
                                       "with v < 1: give v = 1 or law exponential")
        n = len(rho) * len(fr) * len(laws) * len(vs)
        if n * len(ks) > POINTS_MAX:
            raise ProofsParameterError(f"the grid has {n * len(ks)} rows; at most {POINTS_MAX}")
        return cls(rho, fr, tuple(laws), vs, ks)

    def points(self, version: str | None = None) -> list[AtlasJob]:
        """One job per ``(rho, f, law, v)``, in table order."""
        ver = qcoord_version() if version is None else version
        return [AtlasJob(r, f, law, v, ver) for r in self.rho for f in self.W_fraction for law in self.law for v in self.v]

    def to_dict(self) -> dict[str, list[Any]]:
        return {a: list(getattr(self, a)) for a in AXES}


def load_grid(path: str | Path) -> dict[str, Any]:
    """The axes in a TOML (``.toml``) or JSON (``.json``) grid file: a table ``{axis: [values]}``.

    A scalar is one value.  Raises :class:`ProofsParameterError` on a file that
    is too large, unreadable as its format, or not a table.
    """
    import tomllib

    p = Path(path)
    if p.suffix.lower() not in (".toml", ".json"):
        raise ProofsParameterError(f"`--grid` must name a .toml or .json file; got {str(p)!r}")
    if not p.is_file():
        raise ProofsParameterError(f"`--grid` file {str(p)!r} does not exist or is not a file")
    if p.stat().st_size > GRID_FILE_MAX:
        raise ProofsParameterError(f"`--grid` file {str(p)!r} is larger than {GRID_FILE_MAX} bytes")
    text = p.read_text(encoding="utf-8", errors="replace")
    try:
        data = tomllib.loads(text) if p.suffix.lower() == ".toml" else json.loads(text)
    except (tomllib.TOMLDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ProofsParameterError(f"`--grid` file {str(p)!r} is not valid {p.suffix[1:].upper()}: {' '.join(str(exc).split())}") from None
    if not isinstance(data, dict):
        raise ProofsParameterError(f"`--grid` file {str(p)!r} must hold a table of axes {AXES}")
    return data


# --------------------------------------------------------------------------- one point


@dataclass(frozen=True)
class AtlasJob:
    """One point ``(rho, W_fraction, law, v)`` and the qcoord version that computes it (picklable)."""

    rho: float
    W_fraction: float
    law: str
    v: float
    version: str

    def params(self) -> dict[str, Any]:
        return {"rho": self.rho, "W_fraction": self.W_fraction, "law": self.law, "v": self.v}

    @property
    def key(self) -> str:
        """SHA-256 (20 hex digits) of the exact parameters (floats by their shortest repr) and the version.

        >>> AtlasJob(0.6, 0.5, "exponential", 1.0, "0.1.0").key == AtlasJob(0.6, 0.5, "exponential", 1.0, "0.1.1").key
        False
        """
        text = json.dumps({"rho": repr(self.rho), "W_fraction": repr(self.W_fraction), "law": self.law, "v": repr(self.v),
                           "qcoord": self.version}, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:20]


#: what a point may fail with and still be recorded: qcoord's own errors (bad or unresolvable parameters, a solver
#: that reports failure, a certificate the producer cannot prove) and the numerical errors of the solvers
POINT_FAILURES: tuple[type[BaseException], ...] = (QcoordError, ArithmeticError, ValueError, RuntimeError)

_NOISY: dict[tuple[float, float], Any] = {}


def _noisy(rho: float, W_l: float) -> Any:
    """The Werner-pair dual tables of an operating point (cached per process: every ``v`` of a point shares them)."""
    from bounds.noise_system import noisy_system

    key = (rho, W_l)
    if key not in _NOISY:
        if len(_NOISY) >= 4:
            _NOISY.pop(next(iter(_NOISY)))
        _NOISY[key] = noisy_system(rho, W_l, mu=1.0, k=3.0)
    return _NOISY[key]


def _waits(lam: float, law: Any) -> tuple[float, float]:
    """``(W_split, W_bunch - W_split)`` of pair rate ``lam`` (Pollaczek-Khinchine), the float expressions of the solvers' operating point.

    >>> from analytic.laws.service import ServiceLaw
    >>> _waits(0.6, ServiceLaw.exponential(1.0))   # rho/(1 - rho), rho/(2 (1 - rho)) + 1/2
    (1.4999999999999998, 1.25)
    """
    rho = lam * law.mean
    kappa = lam / (2.0 * (1.0 - rho))
    return lam * law.second_moment / (2.0 * (1.0 - rho)), kappa * law.mean**2 + law.mean / 2.0


def _certified(job: AtlasJob, cert_dir: str) -> dict[str, Any]:
    from analytic.laws.catalogue import parse_law
    from analytic.laws.service import ServiceLaw
    from proofs.certify.system import system_result

    sl = ServiceLaw.named(parse_law(job.law))
    W_split, mean_cost = _waits(job.rho, sl)
    W_l = float(f"{W_split + job.W_fraction * mean_cost:.12g}")
    f_min = max(W_FRACTION_MIN, W_BUDGET_MIN * W_split / mean_cost)
    rec: dict[str, Any] = {"W_limit": W_l}
    if job.W_fraction < f_min:
        raise ProofsParameterError(f"W_fraction = {job.W_fraction:g} is too close to the always-split wait for the certificates at rho = {job.rho:g} "
                                   f"({job.law}): it must be at least {f_min:.6g}")
    res = system_result(job.rho, W_l, 2.0, law=sl, route="exact", certify=True, cert_dir=cert_dir).exact
    if res is None:  # route="exact" always fills it
        raise QcoordError("system_result(route='exact') returned no exact route")
    p = dict(res.p_split)
    rec.update(p_ideal=p["ideal"], p_c=p["classical"], p_q=p["quantum"], route="exact")
    if "classical" not in res.brackets or "quantum" not in res.brackets:
        rec.update(status="uncertified", reason=str(res.extra.get("note") or "no system certificates for this point"))
        return rec
    c, q = res.brackets["classical"], res.brackets["quantum"]
    bounds = {"p_c_lower": c.lower, "p_c_upper": c.upper, "p_q_lower": q.lower, "p_q_upper": q.upper}
    if job.v < 1:
        from proofs.certify.noise_system import certify_noise_system

        cert = certify_noise_system(job.rho, W_l, mu=1.0, k=3.0, points=((job.v, 1.0),), system=_noisy(job.rho, W_l), cert_dir=cert_dir,
                                    thresholds=False)
        w = cert.rows[0]
        bounds["p_q_lower"], bounds["p_q_upper"] = w.lower, w.upper
        rec.update(p_q=float(w.estimate.p_split), route="exact + werner")
    rec["exact"] = {name: fraction_str(Fraction(b.value)) for name, b in bounds.items()}
    rec["certificates"] = {name: os.path.basename(str(b.certificate)) for name, b in bounds.items()}
    lo_c, up_c = Fraction(bounds["p_c_lower"].value), Fraction(bounds["p_c_upper"].value)
    lo_q, up_q = Fraction(bounds["p_q_lower"].value), Fraction(bounds["p_q_upper"].value)
    rec["status"] = "advantage" if lo_c > up_q else "no advantage" if lo_q >= up_c else "undecided"
    return rec


def compute_point(job: AtlasJob) -> dict[str, Any]:
    """The certified result of one point: ``{"record": {...}, "certificates": {file name: text}}``.

    The certificates are written to and checked in a private temporary
    folder, then returned as text (the driver stores them), so that the job
    runs the same on any worker.  A failure in :data:`POINT_FAILURES` gives
    ``status = "failed"`` and its ``reason``.

    Like every job of :mod:`proofs.certify.jobs`, one process runs one point
    at a time.
    """
    start = time.perf_counter()
    tmp = tempfile.mkdtemp(prefix="qcoord-atlas-")
    certs: dict[str, str] = {}
    try:
        try:
            rec = _certified(job, tmp)
            for name in rec.get("certificates", {}).values():
                certs[name] = (Path(tmp) / name).read_text()
        except POINT_FAILURES as exc:
            rec = {"status": "failed", "reason": f"{type(exc).__name__}: {' '.join(str(exc).split())}"[:2000]}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    record = {"params": job.params(), "qcoord_version": job.version, "key": job.key, **rec, "seconds": time.perf_counter() - start}
    return {"record": record, "certificates": certs}


# --------------------------------------------------------------------------- files


def _temp_name(path: Path) -> Path:
    """A fresh name beside ``path`` for its temporary file (``.NAME.<pid>.<random>.tmp``)."""
    import secrets

    return path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(6)}.tmp")


def _write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file in the same folder and :func:`os.replace`.

    A reader (or a rerun after a kill) sees the old file or the whole new one, never a part.
    """
    tmp = _temp_name(path)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies, as for any new file
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise


def _point_path(out: Path, job: AtlasJob) -> Path:
    return out / "points" / f"{job.key}.json"


def _load(out: Path, job: AtlasJob) -> dict[str, Any] | None:
    """The record of ``job`` from an earlier run, or ``None`` (missing, unreadable, or for other parameters)."""
    p = _point_path(out, job)
    try:
        rec = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(rec, dict) or rec.get("params") != job.params() or rec.get("qcoord_version") != job.version:
        return None
    return rec


def _save(out: Path, job: AtlasJob, result: Mapping[str, Any]) -> None:
    """Store the point's certificates, then (last, so that a point file implies its certificates) the point."""
    for name, text in result["certificates"].items():
        if os.path.basename(name) != name or not name:
            raise QcoordError(f"a job returned a certificate name that is not a plain file name: {name!r}")
        path = out / "certificates" / name
        if not path.is_file():
            _write_atomic(path, text)
    _write_atomic(_point_path(out, job), json.dumps(result["record"], indent=1, allow_nan=False))


# --------------------------------------------------------------------------- the table


def _floor_float(q: Fraction) -> float:
    x = float(q)
    return x if x <= q else math.nextafter(x, -math.inf)


def _ceil_float(q: Fraction) -> float:
    x = float(q)
    return x if x >= q else math.nextafter(x, math.inf)


def r_k_lower(p_c_lower: Fraction, p_q_upper: Fraction, k: float) -> float:
    """A float ``<= ((1 + p_c_lower)/(1 + p_q_upper))^(k - 1)``: exact for integer ``k``, an arb ball otherwise.

    >>> r_k_lower(Fraction(1, 2), Fraction(1, 4), 3) <= (Fraction(6, 5)) ** 2 < r_k_lower(Fraction(1, 2), Fraction(1, 4), 3) + 1e-15
    True
    """
    ratio = (1 + Fraction(p_c_lower)) / (1 + Fraction(p_q_upper))
    e = Fraction(k) - 1
    if e.denominator == 1:
        return _floor_float(ratio ** int(e))
    from flint import arb, ctx

    from proofs.exact.rational import arb_fraction

    old = ctx.prec
    ctx.prec = 128
    try:
        ball = arb_fraction(ratio) ** arb_fraction(e)
        lo = ball.lower()
        # the ball's lower end is exact: its float, stepped down unless exact, is below it
        x = float(lo)
        return x if arb(x) <= lo else math.nextafter(x, -math.inf)
    finally:
        ctx.prec = old


def table_rows(grid: AtlasGrid, records: Mapping[str, Mapping[str, Any]], version: str | None = None) -> list[dict[str, Any]]:
    """One row per point and ``k`` (grid order), from the point ``records`` keyed by :attr:`AtlasJob.key`."""
    rows = []
    for job in grid.points(version):
        rec = records.get(job.key)
        for k in grid.k:
            row: dict[str, Any] = dict.fromkeys(COLUMNS)
            row.update(job.params(), k=k, qcoord_version=job.version, point_file=f"points/{job.key}.json")
            if rec is None:
                row.update(status="not computed")
                rows.append(row)
                continue
            row.update(status=rec.get("status"), reason=rec.get("reason"), W_limit=rec.get("W_limit"))
            for m in ("p_ideal", "p_c", "p_q"):
                row[m] = rec.get(m)
            if row["p_c"] is not None and row["p_q"] is not None:
                row["R_k"] = ((1 + row["p_c"]) / (1 + row["p_q"])) ** (k - 1)
                gap = row["p_c"] - row["p_ideal"]
                row["gap_closed"] = (row["p_c"] - row["p_q"]) / gap if gap > 0 else None
            ex = rec.get("exact")
            if ex:
                b = {name: parse_fraction(s) for name, s in ex.items()}
                row.update(p_c_lower=_floor_float(b["p_c_lower"]), p_c_upper=_ceil_float(b["p_c_upper"]),
                           p_q_lower=_floor_float(b["p_q_lower"]), p_q_upper=_ceil_float(b["p_q_upper"]),
                           p_gap_lower=_floor_float(b["p_c_lower"] - b["p_q_upper"]),
                           R_k_lower=r_k_lower(b["p_c_lower"], b["p_q_upper"], k), R_3_lower=r_k_lower(b["p_c_lower"], b["p_q_upper"], 3))
                for name, fname in rec.get("certificates", {}).items():
                    row[f"cert_{name}"] = f"certificates/{fname}"
            rows.append(row)
    return rows


def _write_csv(rows: Sequence[Mapping[str, Any]], path: Path) -> None:
    import io

    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(COLUMNS), lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({c: ("" if r[c] is None else repr(r[c]) if isinstance(r[c], float) else r[c]) for c in COLUMNS})
    _write_atomic(path, buf.getvalue())


def _write_parquet(rows: Sequence[Mapping[str, Any]], path: Path) -> str | None:
    """Write the Parquet table; return ``None``, or the one-line reason it was not written."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        return "Parquet not written: the package `pyarrow` is not installed (pip install 'qcoord[atlas]'); the CSV holds the same table"
    schema = pa.schema([(c, pa.string() if c in _TEXT else pa.float64()) for c in COLUMNS])
    table = pa.Table.from_pylist([{c: r[c] for c in COLUMNS} for r in rows], schema=schema)
    tmp = _temp_name(path)
    try:
        pq.write_table(table, str(tmp))
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise
    return None


# --------------------------------------------------------------------------- figures


def plot_atlas(rows: Sequence[Mapping[str, Any]], out: str | Path) -> list[Path]:
    """Heat maps over ``(W_fraction, rho)``, one panel per ``(law, v)``: the certified ``R_3`` lower bound and the gap share closed.

    Cells of failed or uncertified points are left blank.  Returns the two paths written.
    """
    import numpy as np

    from games.figures import pyplot, save_figure

    out = Path(out)
    panels = list(dict.fromkeys((r["law"], r["v"]) for r in rows))[:24]
    rhos = sorted({r["rho"] for r in rows})
    fs = sorted({r["W_fraction"] for r in rows})
    plt = pyplot()
    paths = []
    for column, name, title, cmap in (("R_3_lower", "atlas_R3.png", "certified lower bound on R_3 = ((1 + p_c)/(1 + p_q))^2", "viridis"),
                                      ("gap_closed", "atlas_gap_closed.png", "share of the gap p_c - p_ideal that entanglement closes (estimates)", "magma")):
        ncols = min(4, len(panels))
        nrows = -(-len(panels) // ncols)
        fig, axs = plt.subplots(nrows, ncols, figsize=(1.4 + 3.8 * ncols, 0.9 + 3.0 * nrows), squeeze=False, layout="constrained")
        vals = [r[column] for r in rows if r[column] is not None]
        vmin, vmax = (min(vals), max(vals)) if vals else (0.0, 1.0)
        im = None
        for ax, (law, v) in zip(axs.flat, panels):
            z = np.full((len(rhos), len(fs)), np.nan)
            for r in rows:
                if r["law"] == law and r["v"] == v and r[column] is not None:
                    z[rhos.index(r["rho"]), fs.index(r["W_fraction"])] = r[column]
            im = ax.imshow(z, origin="lower", aspect="auto", cmap=cmap, vmin=vmin, vmax=vmax if vmax > vmin else vmin + 1e-12)
            if len(rhos) * len(fs) <= 144:
                for i in range(len(rhos)):
                    for j in range(len(fs)):
                        if np.isfinite(z[i, j]):
                            light = vmax > vmin and (z[i, j] - vmin) / (vmax - vmin) > 0.6  # dark text on the light end of the map
                            ax.text(j, i, f"{z[i, j]:.3f}", ha="center", va="center", fontsize=7, color="k" if light else "w")
            ax.set_xticks(range(len(fs)), [f"{f:g}" for f in fs], fontsize=7)
            ax.set_yticks(range(len(rhos)), [f"{r:g}" for r in rhos], fontsize=7)
            ax.set_xlabel("W_l fraction f (0: always split, 1: always bunch)", fontsize=8)
            ax.set_ylabel("rho", fontsize=8)
            ax.set_title(f"{law}, v = {v:g}", fontsize=9)
        for ax in list(axs.flat)[len(panels):]:
            ax.axis("off")
        if im is not None:
            fig.colorbar(im, ax=axs.ravel().tolist(), shrink=0.9)
        fig.suptitle(title, fontsize=10)
        paths.append(save_figure(fig, out / name))
    return paths


# --------------------------------------------------------------------------- the run


@dataclass(frozen=True, eq=False)
class AtlasRun:
    """What :func:`run_atlas` did: the rows, the counts and the files written."""

    grid: AtlasGrid
    out: Path
    rows: tuple[dict[str, Any], ...]
    points: int
    computed: int
    skipped: int
    failed: tuple[dict[str, Any], ...]
    csv: Path
    parquet: Path | None
    figures: tuple[Path, ...]
    notes: tuple[str, ...] = field(default=())
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        best = max((r for r in self.rows if r["R_3_lower"] is not None), key=lambda r: r["R_3_lower"], default=None)
        status: dict[str, int] = {}
        for job_row in {r["point_file"]: r for r in self.rows}.values():
            status[job_row["status"]] = status.get(job_row["status"], 0) + 1
        return {"out": str(self.out), "qcoord_version": self.rows[0]["qcoord_version"] if self.rows else qcoord_version(),
                "grid": self.grid.to_dict(), "points": self.points, "rows": len(self.rows), "computed": self.computed,
                "skipped": self.skipped, "failed": len(self.failed), "status": status, "failures": list(self.failed),
                "best_R_3_lower": None if best is None else {c: best[c] for c in ("rho", "W_fraction", "law", "v", "R_3_lower", "p_c_lower", "p_q_upper")},
                "csv": str(self.csv), "parquet": None if self.parquet is None else str(self.parquet),
                "figures": [str(p) for p in self.figures], "notes": list(self.notes), "seconds": self.seconds}


def run_atlas(grid: AtlasGrid | Mapping[str, Any], out: str | Path, *, workers: int = 1, dask: str | None = None, progress: bool | None = None,
              plot: bool = True, retry_failed: bool = False, executor: Any = None) -> AtlasRun:
    """Compute every point of ``grid`` not already in ``out``; write the points, the table and the figures.

    Parameters
    ----------
    grid
        An :class:`AtlasGrid` or a mapping of axes (validated by :meth:`AtlasGrid.from_mapping`).
    out
        The output folder (created).
    workers, dask
        The executor (:func:`proofs.certify.jobs.open_executor`): this process for one worker, a pool of
        spawned processes, or the Dask scheduler at ``dask`` (else ``$QCOORD_DASK``).
    progress
        Show the progress bar (``None``: on a terminal).
    retry_failed
        Compute again the points an earlier run recorded as failed.
    executor
        A :class:`concurrent.futures.Executor` to use instead of ``workers`` and ``dask`` (left open).
    """
    from games.progress import ProgressBar
    from proofs.certify.jobs import iter_jobs, open_executor

    start = time.perf_counter()
    g = grid if isinstance(grid, AtlasGrid) else AtlasGrid.from_mapping(grid)
    out = Path(out)
    version = qcoord_version()
    wanted = g.points(version)
    records: dict[str, dict[str, Any]] = {}
    lost: list[dict[str, Any]] = []
    with nullcontext(executor) if executor is not None else open_executor(workers, dask) as ex:  # an unreachable scheduler fails here, before anything is written
        for sub in ("points", "certificates"):
            (out / sub).mkdir(parents=True, exist_ok=True)
        todo = []
        for job in wanted:
            rec = _load(out, job)
            if rec is not None and (rec.get("status") != "failed" or not retry_failed):
                records[job.key] = rec
            else:
                todo.append(job)
        skipped = len(records)
        bar = ProgressBar(len(wanted), label="atlas", skipped=skipped, enabled=progress)
        try:
            for i, fut in iter_jobs(compute_point, todo, ex):
                job = todo[i]
                try:
                    result = fut.result()
                except Exception as exc:  # noqa: BLE001 -- the executor lost the job (a worker died): reported, not recorded, retried by a rerun
                    lost.append({**job.params(), "reason": f"executor: {type(exc).__name__}: {' '.join(str(exc).split())}"[:2000]})
                    bar.update(ok=False)
                    continue
                _save(out, job, result)
                records[job.key] = result["record"]
                bar.update(ok=result["record"].get("status") != "failed")
        finally:
            bar.close()
    rows = table_rows(g, records, version)
    csv_path = out / "atlas.csv"
    _write_csv(rows, csv_path)
    notes = []
    pq_path: Path | None = out / "atlas.parquet"
    note = _write_parquet(rows, pq_path)  # type: ignore[arg-type]
    if note is not None:
        notes.append(note)
        pq_path = None
    figures = tuple(plot_atlas(rows, out)) if plot and rows else ()
    failed = [{**rec["params"], "reason": rec.get("reason")} for rec in records.values() if rec.get("status") == "failed"] + lost
    return AtlasRun(g, out, tuple(rows), len(wanted), len(todo), skipped, tuple(failed), csv_path, pq_path, figures, tuple(notes),
                    time.perf_counter() - start)
