"""A claim of the paper and the result of the qcoord check that tests it.

The list of claims is :data:`proofs.claims.registry.CLAIMS`. A claim's
``check`` is the function (one module per topic in :mod:`proofs.claims`)
``check(*, quick: bool, cert_dir: Path) -> ClaimResult`` (``quick``: the fast
settings; ``cert_dir``: the directory every certificate it writes goes to),
or ``None`` while qcoord has no check for it yet (reported honestly as "not
yet checked").
Paper values are quoted as the paper states them; they are never used as our
results.

How a check reports (``qcoord verify`` turns this into claims.json and report.md):

* ``ClaimResult(status, ours, evidence, data)`` alone is enough: prose, and
  any JSON-ready ``data``.  Certificates the check writes to ``cert_dir``
  (a folder of the report in ``qcoord verify``) are listed as evidence
  automatically; absolute paths in the prose are copied in and
  made relative; ``proofs/records/<name>.json`` becomes ``records/<name>.json``.
* Structure, as keyword fields: ``headline=`` (a short result for tables),
  ``findings=`` (:class:`Finding`: a number with its target; build certified
  ones with ``Finding.certified_by(lower_bound, upper_bound, target=...)``
  from the :class:`~proofs.checkers.bound.Bound` objects a checker returned, and
  numbers computed from certified ones with ``Finding.derived_by(...)``
  (:class:`Derived`), so that ``qcoord check`` re-verifies them),
  ``decisions=`` (:class:`Decision`: the certified comparison a status rests
  on), ``evidence_items=`` (:class:`Evidence`: kind, summary, path, seed) and
  ``assumptions=`` (strings).

Every number of a finding is written to claims.json as a record labelled
with its kind (the format :mod:`proofs.checkers.report_folder` checks)::

    {"value": 0.76166, "kind": "certified", "side": "upper", "exact": "p/q",
     "certificate": "certificates/<claim>/<file>.json",
     "target": {"game": {...}, "N": null, "model": "classical", "quantity": "winning probability"}}
    {"value": 0.06495, "kind": "derived", "side": "lower", "formula": "gap",
     "inputs": {"quantum": "certificates/...", "classical": "certificates/..."}}
    {"value": 0.81397, "kind": "estimate"}

A certified record may add ``"part": "throughput"``: it then states the
bound the checker issued beside the certificate's primary one under that
name (:data:`proofs.checkers.report_folder.PARTS`; build it with
``Finding.certified_by(..., part="throughput")``).
A certified value is its certificate's exact bound, rounded the safe way (a
lower bound down, an upper bound up); a derived value is a formula of
:data:`proofs.checkers.report_folder.FORMULAS` evaluated in exact arithmetic on the
bounds its input certificates prove, rounded the same way; an estimate (a
search, a solver float, a simulation) is not a bound and is not checked.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal

from proofs.exact.errors import ProofsParameterError, QcoordTypeError

__all__ = ["EVIDENCE_KINDS", "Claim", "ClaimResult", "Decision", "Derived", "Evidence", "Finding", "Status", "run_claim"]

Status = Literal[
    "proved",  # derived symbolically or bracketed by checked certificates, and it agrees
    "reproduced",  # our independent estimate agrees with the paper's number
    "differs",  # our check disagrees with the paper, by the amount in `ours`
    "refuted",  # the statement is false as written (a counterexample or a certified bound)
    "partly",  # holds only under conditions the paper does not state
    "answered",  # an open question of the paper, answered on the target stated (with its numbers)
    "not yet checked",
    "error",  # the check itself failed to run
]


#: kinds of evidence item a claim can cite
EVIDENCE_KINDS = ("certificate", "record", "simulation", "figure", "computation")


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence a claim rests on.

    Attributes
    ----------
    kind
        ``"certificate"`` (a file a :mod:`proofs` checker verifies), ``"record"``
        (a sympy derivation record), ``"simulation"`` (a seeded run of the
        simulator), ``"figure"`` or ``"computation"`` (a seeded search or a
        float computation: an estimate, not a bound).
    summary
        One sentence saying what it shows.
    path
        The file, if there is one (written relative to the report folder).
    seed
        The seed of a simulation or search, if any.

    >>> Evidence("simulation", "10^6 pairs, 99 % CI", seed=5).to_dict()
    {'kind': 'simulation', 'summary': '10^6 pairs, 99 % CI', 'seed': 5}
    """

    kind: str
    summary: str
    path: str | None = None
    seed: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in EVIDENCE_KINDS:
            raise ProofsParameterError(f"`kind` must be one of {EVIDENCE_KINDS}; got {self.kind!r}")

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "summary": self.summary}
        if self.path is not None:
            out["path"] = self.path
        if self.seed is not None:
            out["seed"] = self.seed
        return out


@dataclass(frozen=True)
class Derived:
    """A number computed from certified bounds by a named formula (see :data:`proofs.checkers.report_folder.FORMULAS`).

    ``inputs`` maps the formula's input names to checked :class:`~proofs.checkers.bound.Bound`
    objects (or lists of them); ``params`` holds JSON-ready parameters (``k`` of
    ``R_k``, the ``C`` range of a branch and bound).  :meth:`exact` evaluates the
    formula in exact arithmetic, exactly as ``qcoord check`` does.
    """

    formula: str
    inputs: dict[str, Any]
    params: dict[str, Any] = field(default_factory=dict)

    def exact(self, side: str) -> Fraction:
        from proofs.checkers.report_folder import derive

        return derive(self.formula, side, self.inputs, self.params)

    def record(self, side: str) -> dict[str, Any]:
        from proofs.checkers.report_folder import safe_float

        def path(b: Any) -> Any:
            return [str(x.certificate) for x in b] if isinstance(b, (list, tuple)) else str(b.certificate)

        out: dict[str, Any] = {"value": safe_float(self.exact(side), side), "kind": "derived", "side": side, "formula": self.formula,
                               "inputs": {k: path(b) for k, b in self.inputs.items()}}
        if self.params:
            out["params"] = dict(self.params)
        return out


@dataclass(frozen=True)
class Decision:
    """The certified comparison a claim's status rests on: is the value of ``larger``'s target above ``smaller``'s?

    ``holds=True``: ``larger`` is a lower bound above the upper bound ``smaller``
    (the comparison is proved); ``holds=False``: ``larger`` is an upper bound at
    most the lower bound ``smaller`` (it is refuted); ``None``: undecided by the
    certificates (the bounds then only name the two targets).
    """

    statement: str
    larger: Any
    smaller: Any
    holds: bool | None

    @classmethod
    def of(cls, statement: str, larger: Any, smaller: Any) -> Decision:
        """Decide ``larger > smaller`` from brackets (:class:`~proofs.checkers.bound.Bracket`) of both targets."""
        if larger.lower.value > smaller.upper.value:
            return cls(statement, larger.lower, smaller.upper, True)
        if larger.upper.value <= smaller.lower.value:
            return cls(statement, larger.upper, smaller.lower, False)
        return cls(statement, larger.lower, smaller.upper, None)

    def to_dict(self) -> dict[str, Any]:
        return {"statement": self.statement, "larger": str(self.larger.certificate), "smaller": str(self.smaller.certificate), "holds": self.holds}


def _certified_record(b: Any, side: str, part: str | None = None) -> dict[str, Any]:
    from proofs.checkers.report_folder import PARTS, safe_float

    if getattr(b, "side", None) != side:
        raise ProofsParameterError(f"`{side}` must be a checked {side} Bound; got {b!r}")
    v: Fraction = b.value
    out = {"value": safe_float(v, side), "kind": "certified", "side": side, "exact": f"{v.numerator}/{v.denominator}",
           "certificate": str(b.certificate), "target": b.target.to_json()}
    if part is not None:
        if part not in PARTS:
            raise ProofsParameterError(f"`part` must be one of {list(PARTS)}; got {part!r}")
        out["part"] = part
    return out


@dataclass(frozen=True)
class Finding:
    """One number a claim reports, with its target: an estimate, a certified bound, or a bound derived from certified ones.

    Build certified findings with :meth:`certified_by` from the :class:`~proofs.checkers.bound.Bound`
    objects a checker returned, and derived ones with :meth:`derived_by`: their
    claims.json records carry the certificate paths (and the formula), and
    ``qcoord check`` re-verifies them.  Plain floats (``estimate``, or
    ``lower``/``upper`` of a confidence interval) are written as estimates.

    >>> Finding("P_win, linear ansatz, N = 1000", estimate=0.813971).to_dict()
    {'target': 'P_win, linear ansatz, N = 1000', 'estimate': {'value': 0.813971, 'kind': 'estimate'}}
    """

    target: str
    estimate: float | None = None
    lower: float | None = None
    upper: float | None = None
    unit: str | None = None
    #: side -> checked Bound
    certified: dict[str, Any] = field(default_factory=dict, compare=False)
    #: side -> Derived
    derived: dict[str, Derived] = field(default_factory=dict, compare=False)
    #: the part of their certificates the bounds in ``certified`` are (``None``: the primary bound;
    #: :data:`proofs.checkers.report_folder.PARTS`)
    part: str | None = field(default=None, compare=False)

    @classmethod
    def certified_by(cls, lower: Any = None, upper: Any = None, *, target: str | None = None, estimate: float | None = None, unit: str | None = None,
                     part: str | None = None) -> Finding:
        """A finding from checked bounds (:class:`proofs.checkers.bound.Bound`, either side optional).

        ``target`` defaults to the label of the bounds' target.  ``part``: the
        bounds are not their certificates' primary bounds but the part of that
        name the checker issued beside it (``"throughput"``: the ``E[T_B]``
        claims of a ``slot-queue-bracket`` certificate, from
        ``bound.details["throughput"]``); the records say so and ``qcoord
        check`` compares them with that part.
        """
        cert: dict[str, Any] = {}
        values: dict[str, float] = {}
        label = target
        for side, b in (("lower", lower), ("upper", upper)):
            if b is None:
                continue
            values[side] = _certified_record(b, side, part)["value"]
            cert[side] = b
            label = label or b.target.label()
        if not cert:
            raise ProofsParameterError("`certified_by` needs at least one Bound")
        return cls(str(label), estimate, values.get("lower"), values.get("upper"), unit, cert, part=part)

    @classmethod
    def derived_by(cls, target: str, *, lower: Derived | None = None, upper: Derived | None = None, unit: str | None = None,
                   certified: dict[str, Any] | None = None) -> Finding:
        """A finding whose bounds are formulas of certified bounds (one side may instead be a checked Bound in ``certified``)."""
        der = {side: d for side, d in (("lower", lower), ("upper", upper)) if d is not None}
        if not der:
            raise ProofsParameterError("`derived_by` needs `lower` or `upper`")
        values = {side: d.record(side)["value"] for side, d in der.items()}
        cert = dict(certified or {})
        values.update({side: _certified_record(b, side)["value"] for side, b in cert.items()})
        return cls(target, None, values.get("lower"), values.get("upper"), unit, cert, der)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"target": self.target}
        for k in ("estimate", "lower", "upper"):
            if k in self.certified:
                out[k] = _certified_record(self.certified[k], k, self.part)
            elif k in self.derived:
                out[k] = self.derived[k].record(k)
            elif getattr(self, k) is not None:
                out[k] = {"value": float(getattr(self, k)), "kind": "estimate"}
        if self.unit is not None:
            out["unit"] = self.unit
        return out


@dataclass(frozen=True)
class ClaimResult:
    """Outcome of one check: status, our value(s) in words, and the evidence.

    The first four fields are the prose result (enough for a claim to be
    reported).  The keyword fields add structure: ``headline`` (a short
    result for tables), ``findings`` (numbers with their targets; certified
    and derived ones are re-checked by ``qcoord check``), ``evidence_items``,
    ``assumptions`` and ``decisions`` (the certified comparisons the status
    rests on; ``qcoord check`` fails a status they contradict).  A claim that gives only prose is still reported; the
    report then lists whatever certificates it wrote.
    """

    status: Status
    ours: str
    evidence: str
    data: dict = field(default_factory=dict, compare=False)
    headline: str = ""
    findings: tuple[Finding, ...] = ()
    evidence_items: tuple[Evidence, ...] = ()
    assumptions: tuple[str, ...] = ()
    decisions: tuple[Decision, ...] = ()


@dataclass(frozen=True)
class Claim:
    """One statement of the paper.

    ``paper_value`` is the paper's value as text; ``paper_number`` the same
    value as a number where the paper states one (quoted from
    :mod:`proofs.claims.paper`, never used as a result).
    """

    id: str
    where: str
    statement: str
    paper_value: str
    check: Callable[..., ClaimResult] | None = None
    paper_number: float | None = None

    def checker(self) -> Callable[..., ClaimResult] | None:
        return self.check


def _run_claim_iv(claim: Any, quick: Any, cert_dir: Any, workers: Any, dask: Any) -> None:
    """Every argument of :func:`run_claim`, before the check runs (a bad argument is the caller's error, not the claim's)."""
    from proofs.certify import args as a

    a.check_type("claim", claim, Claim, "a proofs.Claim (e.g. proofs.CLAIMS[0])")
    a.check_bool("quick", quick)
    if cert_dir is None:
        raise QcoordTypeError("`cert_dir` must be a folder path (str or os.PathLike); got None")
    a.check_directory("cert_dir", cert_dir)
    if workers is not None:
        a.check_int("workers", workers, low=1, high=1024)
    if dask is not None and not isinstance(dask, str):
        raise QcoordTypeError(f"`dask` must be a scheduler address (str, e.g. tcp://HOST:8786) or None; got {dask!r} of type {type(dask).__name__}")


def run_claim(claim: Claim, *, quick: bool, cert_dir: str | Path, workers: int | None = None, dask: str | None = None) -> tuple[ClaimResult, float]:
    """Run a claim's check with its certificates written to ``cert_dir`` (created); return its result and the seconds it took.

    A check that raises is reported with status ``"error"`` (never hidden).
    ``workers`` and ``dask`` (where the jobs of a batch run, :mod:`proofs.certify.jobs`)
    go to the checks that take them as keywords (those that run batches); ``None``
    leaves the check's own default.

    >>> import tempfile
    >>> from proofs.claims.registry import CLAIMS
    >>> res, secs = run_claim(CLAIMS[0], quick=True, cert_dir=tempfile.mkdtemp())
    >>> res.status
    'proved'
    """
    _run_claim_iv(claim, quick, cert_dir, workers, dask)
    fn = claim.checker()
    if fn is None:
        return ClaimResult("not yet checked", "-", "no qcoord check exists yet"), 0.0
    directory = Path(cert_dir)
    start = time.perf_counter()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        res = fn(quick=quick, cert_dir=directory, **_job_options(fn, workers=workers, dask=dask))
    except Exception as exc:  # noqa: BLE001 - reported, not swallowed
        tb = traceback.format_exception_only(type(exc), exc)[-1].strip()
        res = ClaimResult("error", "-", f"check raised {tb}")
    return res, time.perf_counter() - start


def _job_options(fn: Callable[..., ClaimResult], **options: Any) -> dict[str, Any]:
    """The ``options`` that are not ``None`` and that ``fn`` takes as keywords.

    >>> def check(*, quick, cert_dir, workers=2): ...
    >>> _job_options(check, workers=4, dask="tcp://h:8786"), _job_options(check, workers=None)
    ({'workers': 4}, {})
    """
    import inspect

    params = inspect.signature(fn).parameters
    return {k: v for k, v in options.items() if v is not None and k in params}
