"""Re-check a report folder (or any folder of certificates) without trusting a solver.

:func:`check_folder` verifies every certificate under the folder with the
:mod:`proofs` checkers, then:

* **contradictions**: for every target (game, N, player model), no valid
  lower bound may exceed a valid upper bound of the same target;
* for a report (a folder with ``claims.json``), **every number a claim
  states** is bound to its certificates.  claims.json (format version 2,
  written by :mod:`proofs.report.folder`) labels each number of a finding
  (``lower``, ``upper``, ``estimate``) with its kind:

  ``{"value": v, "kind": "certified", "side": s, "exact": "p/q", "certificate": path, "target": {"game", "N", "model", "quantity"}}``
      the certificate must be valid, prove a bound of side ``s`` on that
      target with exactly that ``exact`` value, and ``v`` must be that value
      rounded the safe way (a lower bound down, an upper bound up); with a
      field ``"part": name`` (:data:`PARTS`) the record states instead the
      bound of that side which the checker issued as part ``name`` of the
      certificate (``Bound.details[name][side]``, e.g. the ``E[T_B]`` claim
      of a ``slot-queue-bracket`` certificate), compared the same way; an
      unknown part, or a certificate without that part, is a problem;
  ``{"value": v, "kind": "derived", "side": s, "formula": name, "inputs": {name: path | [paths]}, "params": {...}}``
      the formula (:data:`FORMULAS`) is evaluated in exact arithmetic
      (:func:`derive`) on the bounds the input certificates prove, and ``v``
      must be the result rounded the safe way;
  ``{"value": v, "kind": "estimate"}``
      a search, solver or simulation number: not a bound, not checked.

  A claim's ``decisions`` (the certified comparisons its status rests on,
  ``{"statement", "larger": path, "smaller": path, "holds": true | false | null}``)
  must be what the certificates of the whole folder prove, and the status
  must agree: ``refuted`` needs a comparison refuted, ``proved`` needs every
  one proved, and a refuted comparison allows no other status.  Claims of
  :data:`DECIDED_BY_CERTIFICATES` must carry decisions when
  ``proved`` or ``refuted``.

A report written before version 2 (numbers as plain floats with a
``certified`` entry beside them) is checked as it was then: every number
with a ``certified`` entry is compared with its certificate; its other
numbers are not bound, and the summary says so.  Prose (``ours``,
``headline``, ``evidence_text``) and ``data`` (the check's raw output) are
never checked: the numbers are the records.

claims.json is read like a certificate (:func:`proofs.exact.certificate.read_certificate`):
regular file only, size, depth and digit limits.  Every path a claim cites
must be relative and stay inside the folder, so a copied folder checks the
same.  A folder with nothing to check (no certificate, or a report without
claims) is not a success: exit 2.

This module imports only the standard library and :mod:`proofs` checkers
and exact core: no solver, no :mod:`bounds`, no :mod:`games`.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from proofs.checkers.bound import Bound
from proofs.checkers.registry import check_certificate
from proofs.exact.certificate import MAX_BYTES, read_certificate
from proofs.exact.errors import CertificateError, CertificateFormatError, QcoordError
from proofs.exact.rational import parse_fraction

#: claims whose status is decided by certified comparisons: in a report, a ``proved`` or
#: ``refuted`` status of these must come with its :class:`Decision` records
DECIDED_BY_CERTIFICATES = frozenset({"q-gt-c", "split-ordering", "eq7", "other-laws"})


__all__ = ["FORMULAS", "PARTS", "ClaimVerdict", "DeriveError", "FileVerdict", "FolderCheck", "check_folder", "derive", "safe_float"]

#: files of a report folder that are not certificates
_NOT_CERTIFICATES = ("claims.json", "run.json")
#: claims.json format version with labelled number records
RECORD_VERSION = 2
#: most certificates one derived number may cite
MAX_INPUTS = 10_000
#: most certificate citations of all derived numbers of one claims.json together (bounds the work of a hostile file)
MAX_TOTAL_INPUTS = 100_000
#: largest k of R_k
MAX_K = 64
#: secondary bounds a checker issues beside a certificate's primary bound, in ``Bound.details[part]`` as
#: ``{"lower": Bound, "upper": Bound}`` (the sides present): a certified record names one with ``"part"``.
#: ``throughput``: the ``E[T_B]`` claims of a ``slot-queue-bracket`` certificate (lemma T5 (c))
PARTS = ("throughput",)
_STATUSES = ("proved", "reproduced", "differs", "refuted", "partly", "answered", "not yet checked", "error")


class DeriveError(QcoordError, ValueError):
    """A derived number's inputs do not fit its formula (wrong side, target or parameter)."""


# ----------------------------------------------------------------------------- exact formulas


def safe_float(x: Fraction, side: str) -> float:
    """``x`` as a float rounded the safe way: down for ``"lower"``, up for ``"upper"``, to nearest otherwise.

    >>> safe_float(Fraction(1, 3), "lower") <= Fraction(1, 3) <= safe_float(Fraction(1, 3), "upper")
    True
    >>> safe_float(Fraction(1, 2), "lower")     # exact floats stay put
    0.5
    """
    try:
        f = float(x)
    except OverflowError:
        f = math.inf if x > 0 else -math.inf
    if math.isinf(f):
        if side == "lower" and f > 0:
            return math.nextafter(math.inf, 0.0)
        if side == "upper" and f < 0:
            return -math.nextafter(math.inf, 0.0)
        raise DeriveError(f"the value {'>' if f > 0 else '<'} {'-' if f < 0 else ''}1.8e308 has no float {side} bound")
    if side == "lower" and Fraction(f) > x:
        f = math.nextafter(f, -math.inf)
    elif side == "upper" and Fraction(f) < x:
        f = math.nextafter(f, math.inf)
    return f


def _label(b: Any) -> str:
    return str(getattr(b, "certificate", "?"))


def _need(inputs: dict[str, Any], name: str, side: str, model: str | None = None) -> Any:
    b = inputs.get(name)
    if b is None or not hasattr(b, "side"):
        raise DeriveError(f"input {name!r} is missing")
    if b.side != side:
        raise DeriveError(f"input {name!r} must be a {side} bound; {_label(b)} proves a {b.side} bound")
    if model is not None and b.target.player_model != model:
        raise DeriveError(f"input {name!r} must bound the {model} value; {_label(b)} bounds the {b.target.player_model} value")
    return b


def _same_game(a: Any, b: Any, what: str) -> None:
    if a.target.game != b.target.game or a.target.n != b.target.n:
        raise DeriveError(f"{what}: {_label(a)} and {_label(b)} bound different games ({a.target.label()} vs {b.target.label()})")


def _other(side: str) -> str:
    if side not in ("lower", "upper"):
        raise DeriveError(f"a derived number is a 'lower' or 'upper' bound; got side {str(side)[:20]!r}")
    return "upper" if side == "lower" else "lower"


def _gap(side: str, inputs: dict[str, Any], params: dict[str, Any]) -> Fraction:
    """quantum value - classical value: lower = quantum lower - classical upper (upper: the reverse)."""
    q = _need(inputs, "quantum", side, "quantum")
    c = _need(inputs, "classical", _other(side), "classical")
    _same_game(q, c, "gap")
    return Fraction(q.value - c.value)


def _r_k(side: str, inputs: dict[str, Any], params: dict[str, Any]) -> Fraction:
    """R_k = ((1 + p_c)/(1 + p_q))^(k - 1): lower from p_c lower and p_q upper (upper: the reverse)."""
    k = params.get("k")
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= MAX_K:
        raise DeriveError(f"parameter 'k' of R_k must be an integer in [1, {MAX_K}]; got {str(k)[:20]}")
    c = _need(inputs, "classical", side, "classical")
    q = _need(inputs, "quantum", _other(side), "quantum")
    if isinstance(q.target.game.get("state"), dict):  # Werner routers (lemma W4/S5 target): compare the system without the state
        _werner_system(q, c, "R_k")
    else:
        _same_game(c, q, "R_k")
    if c.target.game.get("quantity") != "p_split":
        raise DeriveError(f"R_k needs bounds on p_split; {_label(c)} bounds {c.target.label()}")
    if not (c.value > -1 and q.value > -1):
        raise DeriveError("R_k needs p_split bounds above -1")
    return ((1 + c.value) / (1 + q.value)) ** (k - 1)


def _werner_threshold(side: str, inputs: dict[str, Any], params: dict[str, Any]) -> Fraction:
    """Upper end of the visibility threshold: the v of a Werner strategy whose certified value beats the classical upper bound."""
    if side != "upper":
        raise DeriveError("'werner-threshold' is an upper bound on the threshold visibility")
    w = _need(inputs, "werner", "lower", "quantum")
    c = _need(inputs, "classical", "upper", "classical")
    state = w.target.game.get("state")
    if not isinstance(state, dict) or state.get("kind") != "werner":
        raise DeriveError(f"input 'werner' must bound a game played with Werner pairs; {_label(w)} bounds {w.target.label()}")
    base = {k: v for k, v in w.target.game.items() if k != "state"}
    if base != c.target.game or w.target.n != c.target.n:
        raise DeriveError(f"werner-threshold: {_label(w)} and {_label(c)} bound different games")
    if not w.value > c.value:
        raise DeriveError(f"werner-threshold: the Werner strategy's value {float(w.value):.10g} does not exceed the classical upper bound {float(c.value):.10g}")
    try:
        return _as(parse_fraction(state.get("v"), "v"), params)
    except CertificateFormatError as exc:
        raise DeriveError(str(exc)) from exc


def _werner_system(w: Any, c: Any, what: str) -> Fraction:
    """The visibility of a Werner-router ``p_split`` bound ``w`` (all pairs entangled), checked to bound the system of ``c``."""
    game = w.target.game
    state = game.get("state")
    if not isinstance(state, dict) or state.get("kind") != "werner" or game.get("supply") not in ("1/1", "1"):
        raise DeriveError(f"{what}: {_label(w)} must bound p_split of Werner routers with every pair entangled; it bounds {w.target.label()}")
    base = {k: v for k, v in game.items() if k not in ("state", "supply")}
    if base != c.target.game or w.target.n != c.target.n or base.get("quantity") != "p_split":
        raise DeriveError(f"{what}: {_label(w)} and {_label(c)} bound different systems ({w.target.label()} vs {c.target.label()})")
    try:
        return parse_fraction(state.get("v"), "v")
    except CertificateFormatError as exc:
        raise DeriveError(str(exc)) from exc


def _system_visibility(side: str, inputs: dict[str, Any], params: dict[str, Any]) -> Fraction:
    """A bound on the visibility at which ``R_k`` of Werner routers against classical ones reaches ``goal`` (lemma W5).

    ``R_k(v) = ((1 + p_c)/(1 + p_W(v)))^(k-1)`` is non-decreasing in ``v``
    (lemma W5: a router degrades its half of a pair to any lower visibility
    locally).  Lower end: a certified lower bound on ``p_W(v)`` and upper
    bound on ``p_c`` give ``R_k(v) < goal``, so the threshold exceeds ``v``.
    Upper end: an upper bound on ``p_W(v)`` and a lower bound on ``p_c`` give
    ``R_k(v) >= goal``, so the threshold is at most ``v``.  Returns ``v``.
    """
    k = params.get("k")
    if isinstance(k, bool) or not isinstance(k, int) or not 2 <= k <= MAX_K:
        raise DeriveError(f"parameter 'k' must be an integer in [2, {MAX_K}]; got {str(k)[:20]}")
    try:
        goal = parse_fraction(params.get("goal"), "goal")
    except CertificateFormatError as exc:
        raise DeriveError(str(exc)) from exc
    if not goal > 1:
        raise DeriveError(f"parameter 'goal' must exceed 1; got {goal}")
    c = _need(inputs, "classical", _other(side), "classical")
    w = _need(inputs, "werner", side, "quantum")
    v = _werner_system(w, c, "system-visibility-threshold")
    if not (c.value > -1 and w.value > -1):
        raise DeriveError("system-visibility-threshold needs p_split bounds above -1")
    r = ((1 + c.value) / (1 + w.value)) ** (k - 1)
    if side == "lower" and not r < goal:
        raise DeriveError(f"system-visibility-threshold: at v = {v} the certified R_{k} upper bound {float(r):.10g} reaches {goal}")
    if side == "upper" and not r >= goal:
        raise DeriveError(f"system-visibility-threshold: at v = {v} the certified R_{k} lower bound {float(r):.10g} stays below {goal}")
    return v


def _as(v: Fraction, params: dict[str, Any]) -> Fraction:
    """A visibility ``v``, or with ``params["as"] == "fidelity"`` its singlet fidelity ``(1 + 3 v)/4`` (increasing in v)."""
    how = params.get("as", "visibility")
    if how not in ("visibility", "fidelity"):
        raise DeriveError(f"parameter 'as' must be 'visibility' or 'fidelity'; got {str(how)[:20]!r}")
    return v if how == "visibility" else (1 + 3 * v) / 4


def _local_model(side: str, inputs: dict[str, Any], params: dict[str, Any]) -> Fraction:
    """Lower end of the visibility threshold from the cited local model (lemma W3): a constant, no certificate."""
    from proofs.checkers.noise import LOCAL_VISIBILITY

    if side != "lower" or inputs:
        raise DeriveError("'local-model-visibility' is a lower bound and takes no inputs")
    return _as(Fraction(LOCAL_VISIBILITY), params)


def _projective(side: str, inputs: dict[str, Any], params: dict[str, Any]) -> Fraction:
    """Lower end of the threshold for projective strategies: (2 classical lower - 1)/(2 quantum upper - 1)."""
    if side != "lower":
        raise DeriveError("'projective-visibility' is a lower bound")
    c = _need(inputs, "classical", "lower", "classical")
    q = _need(inputs, "quantum", "upper", "quantum")
    _same_game(c, q, "projective-visibility")
    if not 2 * q.value - 1 > 0:
        raise DeriveError("projective-visibility needs a quantum upper bound above 1/2")
    return (2 * c.value - 1) / (2 * q.value - 1)


def _bnb(inputs: dict[str, Any], params: dict[str, Any]) -> tuple[Fraction, Fraction, Fraction, Fraction]:
    """Branch and bound over C (lemma: |V(C) - V(C')| <= |P_bunch(C) - P_bunch(C')|), from the certified points.

    Returns ``(argmin hull lower end, upper end, min_C V lower bound, min_C V upper bound)``.
    """
    from proofs.exact.lipschitz import cell_lower_bound

    try:
        cmin = parse_fraction(params.get("C_min"), "C_min")
        cmax = parse_fraction(params.get("C_max"), "C_max")
    except CertificateFormatError as exc:
        raise DeriveError(str(exc)) from exc
    if not 0 < cmin < cmax < 1:
        raise DeriveError(f"need 0 < C_min < C_max < 1; got {cmin}, {cmax}")
    points = inputs.get("points")
    if not isinstance(points, (list, tuple)) or not points:
        raise DeriveError("input 'points' must be a non-empty list of certificates")
    lows: dict[Fraction, Fraction] = {}
    ups: dict[Fraction, Fraction] = {}
    for b in points:
        g = b.target.game
        if b.target.player_model != "classical" or b.target.n is not None or g.get("type") != "hyperbolic":
            raise DeriveError(f"every point must bound the classical value of the continuum hyperbolic game; {_label(b)} bounds {b.target.label()}")
        try:
            c = parse_fraction(g.get("C"), "C")
        except CertificateFormatError as exc:
            raise DeriveError(str(exc)) from exc
        if not cmin <= c <= cmax:
            raise DeriveError(f"{_label(b)} bounds the game at C = {c}, outside [{cmin}, {cmax}]")
        if b.side == "lower":
            lows[c] = max(lows.get(c, b.value), b.value)
        else:
            ups[c] = min(ups.get(c, b.value), b.value)
    cs = sorted(lows)
    if not cs or cs[0] != cmin or cs[-1] != cmax:
        raise DeriveError(f"the lower bounds do not reach both ends C_min = {cmin} and C_max = {cmax}")
    if not ups:
        raise DeriveError("no upper bound among the points")
    ub = min(ups.values())
    cells = [(a, b, cell_lower_bound(a, b, lows[a], lows[b])) for a, b in zip(cs, cs[1:])]
    if not cells:
        raise DeriveError("the points give no cell")
    alive = [(a, b) for a, b, lb in cells if lb <= ub]
    if not alive:  # impossible for sound bounds: the cell next to the best point survives
        raise DeriveError("every cell is discarded: the bounds contradict each other")
    return min(a for a, _ in alive), max(b for _, b in alive), min(lb for _, _, lb in cells), ub


def _argmin(side: str, inputs: dict[str, Any], params: dict[str, Any]) -> Fraction:
    """Ends of an interval that contains every minimiser over C of the continuum classical value."""
    lo, hi, _, _ = _bnb(inputs, params)
    return lo if _other(side) == "upper" else hi


def _min_over_c(side: str, inputs: dict[str, Any], params: dict[str, Any]) -> Fraction:
    """Bounds on min over C in [C_min, C_max] of the continuum classical value."""
    _, _, lo, ub = _bnb(inputs, params)
    return lo if _other(side) == "upper" else ub


#: formula name -> function(side, inputs, params) -> exact value; see each docstring
FORMULAS: dict[str, Callable[[str, dict[str, Any], dict[str, Any]], Fraction]] = {
    "gap": _gap,
    "R_k": _r_k,
    "werner-threshold": _werner_threshold,
    "system-visibility-threshold": _system_visibility,
    "local-model-visibility": _local_model,
    "projective-visibility": _projective,
    "argmin-over-C": _argmin,
    "min-over-C": _min_over_c,
}


def derive(formula: str, side: str, inputs: dict[str, Any], params: dict[str, Any] | None = None) -> Fraction:
    """Exact value of a derived number: ``FORMULAS[formula]`` on checked bounds (:class:`proofs.checkers.bound.Bound`).

    Raises :class:`DeriveError` when the inputs do not fit the formula.
    """
    fn = FORMULAS.get(formula) if isinstance(formula, str) else None
    if fn is None:
        raise DeriveError(f"unknown formula {str(formula)[:40]!r}; known: {sorted(FORMULAS)}")
    _other(side)
    return fn(side, inputs, dict(params or {}))


# ----------------------------------------------------------------------------- verdicts


@dataclass(frozen=True)
class FileVerdict:
    """Outcome of checking one certificate file (``path`` relative to the folder)."""

    path: str
    status: Literal["valid", "invalid", "unreadable"]
    message: str
    bound: Any = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class ClaimVerdict:
    """Whether one claim's numbers, decisions and cited files agree with the folder.

    ``certified_numbers`` counts the numbers bound to certificates (certified
    and derived), ``estimates`` the numbers labelled as estimates.
    """

    id: str
    problems: tuple[str, ...]
    certified_numbers: int
    estimates: int = 0
    #: numbers of a format-1 entry without a ``certified`` entry (unlabelled, not checked)
    unlabelled: int = 0

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
    contradictions: tuple[str, ...] = ()
    note: str | None = None
    #: whether the folder is a report (has a ``claims.json``); a plain folder of certificates has no claims to check
    report: bool = True

    @property
    def exit_code(self) -> int:
        """0 all valid and consistent; 1 a certificate invalid, a contradiction or a claim inconsistent; 2 unreadable or nothing to check."""
        if any(v.status == "invalid" for v in self.certificates) or self.contradictions or any(not c.consistent for c in self.claims):
            return 1
        if self.unreadable_report or any(v.status == "unreadable" for v in self.certificates):
            return 2
        return 0

    def summary(self) -> str:
        """``N certificates valid, M claims consistent (K numbers bound to certificates, E estimates)``, failures counted.

        A folder without ``claims.json`` has no claims: ``N certificates valid, no claims.json (not a report)``.
        """
        n = {s: sum(v.status == s for v in self.certificates) for s in ("valid", "invalid", "unreadable")}
        ok = sum(c.consistent for c in self.claims)
        bad = len(self.claims) - ok
        first = f"{n['valid']} certificates valid" + "".join(f", {n[s]} {s}" for s in ("invalid", "unreadable") if n[s])
        quantities: dict[str, int] = {}
        for v in self.certificates:
            if v.status == "valid" and v.bound is not None:
                quantities[v.bound.target.quantity] = quantities.get(v.bound.target.quantity, 0) + 1
        if quantities:
            first += " [" + ", ".join(f"{k} on {q}" for q, k in sorted(quantities.items())) + "]"
        if self.contradictions:
            first += f", {len(self.contradictions)} contradictions"
        second = f"{ok} claims consistent" + (f", {bad} inconsistent" if bad else "") if self.report else "no claims.json (not a report)"
        notes = []
        if self.claims:
            unlabelled = sum(c.unlabelled for c in self.claims)
            notes.append(f"{sum(c.certified_numbers for c in self.claims)} numbers bound to certificates, {sum(c.estimates for c in self.claims)} estimates"
                         + (f", {unlabelled} unlabelled numbers not checked" if unlabelled else ""))
        if self.note:
            notes.append(self.note)
        if self.unreadable_report:
            notes.append(self.unreadable_report)
        return f"{first}, {second}" + (f" ({'; '.join(notes)})" if notes else "")

    def failures(self) -> list[str]:
        """One line per failing certificate, contradiction or claim, each naming the file."""
        # the spelling of single-file checks: "INVALID: ..." and "unreadable: ..."
        out = [f"{'INVALID' if v.status == 'invalid' else 'unreadable'}: {v.path}: {v.message}" for v in self.certificates if v.status != "valid"]
        out += [f"CONTRADICTION: {c}" for c in self.contradictions]
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
            "certificates": [{"path": v.path, "status": v.status, "message": v.message,
                              "quantity": v.bound.target.quantity if v.bound is not None else None} for v in self.certificates],
            "contradictions": list(self.contradictions),
            "claims": [{"id": c.id, "consistent": c.consistent, "certified_numbers": c.certified_numbers, "estimates": c.estimates,
                        "unlabelled": c.unlabelled, "problems": list(c.problems)} for c in self.claims],
        }


def _certificate_files(root: Path, is_report: bool) -> list[Path]:
    files = sorted(p for p in root.rglob("*.json") if not p.is_dir())  # special files too: reported, never read here
    if not is_report:
        return files
    return [p for p in files if p.relative_to(root).as_posix() not in _NOT_CERTIFICATES and p.relative_to(root).parts[0] != "records"]


def _inside(root: Path, rel: Any) -> Path | None:
    """``root / rel`` if ``rel`` is a relative path that stays inside ``root``, else None."""
    if not isinstance(rel, str) or not rel or len(rel) > 4096 or "\x00" in rel:
        return None
    pp = PurePosixPath(rel)
    if pp.is_absolute() or ".." in pp.parts or "\\" in rel:
        return None
    return root / pp


def _describe(b: Any) -> str:
    try:
        return str(b)
    except (OverflowError, ValueError):  # a bound beyond the float range: say it exactly
        return f"{b.side} bound {b.value} ({b.target.label()}; checked by {b.checker})"


def _target_key(b: Any) -> str:
    return json.dumps([b.target.game, b.target.n, b.target.player_model], sort_keys=True)


def _num(x: Fraction) -> str:
    try:
        return f"{float(x):.10g}"
    except OverflowError:
        return str(x)[:60]


def _contradictions(verdicts: dict[str, FileVerdict]) -> tuple[dict[str, dict[str, tuple[Fraction, str]]], tuple[str, ...]]:
    """Best lower and upper bound per target over every valid certificate, and the targets where lower > upper."""
    best: dict[str, dict[str, tuple[Fraction, str]]] = {}
    for rel in sorted(verdicts):
        v = verdicts[rel]
        if v.status != "valid" or v.bound is None:
            continue
        b = v.bound
        slot = best.setdefault(_target_key(b), {})
        cur = slot.get(b.side)
        if cur is None or (b.value > cur[0] if b.side == "lower" else b.value < cur[0]):
            slot[b.side] = (b.value, rel)
    out = []
    for slot in best.values():
        if "lower" in slot and "upper" in slot and slot["lower"][0] > slot["upper"][0]:
            (lo, lp), (up, upth) = slot["lower"], slot["upper"]
            label = verdicts[lp].bound.target.label()
            out.append(f"{lp} proves {label} >= {_num(lo)} but {upth} proves <= {_num(up)}")
    return best, tuple(out)


def _read_claims(path: Path) -> dict[str, Any]:
    """claims.json read with the certificate limits; CertificateFormatError if unreadable or of the wrong shape."""
    try:
        data = read_certificate(path, schema=False)
    except CertificateFormatError as exc:
        raise CertificateFormatError(str(exc).replace("certificate ", "", 1)) from exc
    if not isinstance(data.get("claims"), list):
        raise CertificateFormatError(f"{str(path)!r}: field 'claims' must be a list; got {type(data.get('claims')).__name__}")
    return data


def check_folder(folder: str | Path, *, on_file: Callable[[int, int, str], None] | None = None) -> FolderCheck:
    """Check every certificate under ``folder`` and, for a report, every claim's numbers; see the module docstring.

    >>> import tempfile
    >>> r = check_folder(tempfile.mkdtemp())   # nothing to check is not "valid"
    >>> r.exit_code, r.summary().startswith("0 certificates valid, no claims.json (not a report) (")
    (2, True)
    """
    root = Path(folder)
    claims_path = root / "claims.json"
    is_report = os.path.lexists(claims_path)
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
            v = FileVerdict(rel, "valid", _describe(b), b)
        except CertificateFormatError as exc:
            v = FileVerdict(rel, "unreadable", str(exc))
        except CertificateError as exc:
            v = FileVerdict(rel, "invalid", str(exc))
        verdicts[rel] = v
        if digest is not None:
            by_hash[digest] = v
    best, contradictions = _contradictions(verdicts)
    claims: list[ClaimVerdict] = []
    unreadable = note = None
    if not is_report and not files:
        unreadable = f"{str(root)!r} is not a folder holding certificates (*.json) or a report (claims.json)"
    if is_report:
        entries: list[Any] = []
        data: dict[str, Any] = {}
        try:
            data = _read_claims(claims_path)
            entries = data["claims"]
        except CertificateFormatError as exc:
            unreadable = f"claims.json: {exc}"
        version = data.get("version")
        records = isinstance(version, int) and not isinstance(version, bool) and version >= RECORD_VERSION
        ctx = _Context(root, verdicts, best, records)
        for e in entries:
            claims.append(_check_claim(ctx, e))
        figures = data.get("figures")
        if figures is not None and not isinstance(figures, list):
            claims.append(ClaimVerdict("figures", (f"'figures' must be a list; got {type(figures).__name__}",), 0))
        for fig in figures if isinstance(figures, list) else []:
            name = fig.get("name") if isinstance(fig, dict) else None
            cites = fig.get("certificates") if isinstance(fig, dict) else None
            if cites is None:
                if not isinstance(fig, dict):
                    claims.append(ClaimVerdict("figure ?", (f"figure entry is not an object: {str(fig)[:60]!r}",), 0))
                continue
            if not isinstance(cites, list):
                claims.append(ClaimVerdict(f"figure {str(name)[:40]}", (f"'certificates' must be a list; got {type(cites).__name__}",), 0))
                continue
            for rel in cites:
                key = PurePosixPath(rel).as_posix() if _inside(root, rel) is not None else None
                if key is None or verdicts.get(key, FileVerdict("", "unreadable", "")).status != "valid":
                    claims.append(ClaimVerdict(f"figure {str(name)[:40]}", (f"cites {str(rel)[:80]!r}, which is missing or not valid",), 0))
        if not unreadable and not entries:
            unreadable = "claims.json lists no claims: nothing to check"
        elif not unreadable and not files:
            unreadable = "the report holds no certificates: nothing certified to check"
        if entries and not records:
            note = "claims.json of format version 1: only numbers with a 'certified' entry are bound; derived numbers are not checked"
    return FolderCheck(root, tuple(verdicts[k] for k in sorted(verdicts)), tuple(claims), unreadable, contradictions, note, is_report)


@dataclass
class _Context:
    root: Path
    verdicts: dict[str, FileVerdict]
    best: dict[str, dict[str, tuple[Fraction, str]]]
    records: bool
    inputs_seen: int = 0


class _Claim:
    """Problems and counts of one claim while it is checked."""

    def __init__(self, ctx: _Context) -> None:
        self.ctx = ctx
        self.problems: list[str] = []
        self.bound = 0
        self.estimates = 0
        self.unlabelled = 0

    def valid_file(self, rel: Any, what: str) -> FileVerdict | None:
        if _inside(self.ctx.root, rel) is None:
            self.problems.append(f"{what} path {str(rel)[:80]!r} is not a relative path inside the folder")
            return None
        v = self.ctx.verdicts.get(PurePosixPath(rel).as_posix())
        if v is None:
            self.problems.append(f"{what} {rel!r} is missing from the folder")
            return None
        if v.status != "valid":
            self.problems.append(f"{what} {rel!r} is {v.status}")
            return None
        return v


def _short(x: Any) -> str:
    return repr(x)[:60]


def _is_number(x: Any) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _check_claim(ctx: _Context, e: Any) -> ClaimVerdict:
    if not isinstance(e, dict):
        return ClaimVerdict("?", (f"entry is not an object: {_short(e)}",), 0)
    cid: str = e["id"] if isinstance(e.get("id"), str) else "?"
    c = _Claim(ctx)
    if cid == "?":
        c.problems.append(f"'id' must be a string; got {_short(e.get('id'))}")
    result, further = e.get("result"), e.get("further_results")
    findings: list[Any] = []
    if result is not None:
        findings.append(result)
    if isinstance(further, list):
        findings += further
    elif further is not None:
        c.problems.append(f"'further_results' must be a list; got {type(further).__name__}")
    for f in findings:
        if not isinstance(f, dict):
            c.problems.append(f"a result is not an object: {_short(f)}")
        elif ctx.records or any(isinstance(f.get(k), dict) for k in ("lower", "upper", "estimate")):
            _check_records(c, f)
        else:
            _check_old_finding(c, f)
    evidence = e.get("evidence")
    if evidence is not None and not isinstance(evidence, list):
        c.problems.append(f"'evidence' must be a list; got {type(evidence).__name__}")
    for item in evidence if isinstance(evidence, list) else []:
        if not isinstance(item, dict):
            c.problems.append(f"an evidence item is not an object: {_short(item)}")
        elif item.get("path") is not None:
            rel = item["path"]
            if item.get("kind") == "certificate":
                c.valid_file(rel, "certificate")
            else:
                where = _inside(ctx.root, rel)
                try:
                    ok = where is not None and where.exists()
                except (OSError, ValueError):
                    ok = False
                if not ok:
                    c.problems.append(f"{str(item.get('kind'))[:20]} {str(rel)[:80]!r} is missing or outside the folder")
    if ctx.records:
        _check_status(c, e, cid)
    return ClaimVerdict(cid, tuple(c.problems), c.bound, c.estimates, c.unlabelled)


# ----------------------------------------------------------------------------- format 2: records


#: the keys of a finding in format 2
_FINDING_KEYS = ("target", "unit", "lower", "upper", "estimate")


def _check_records(c: _Claim, f: dict[str, Any]) -> None:
    what = f"{{}} of {str(f.get('target'))[:80]!r}"
    extra = sorted(str(k)[:30] for k in f if k not in _FINDING_KEYS)
    if extra:
        c.problems.append(f"{what.format('finding')}: unknown keys {extra} (a number must be a record under 'lower', 'upper' or 'estimate')")
    for key in ("lower", "upper", "estimate"):
        rec = f.get(key)
        if rec is None:
            continue
        where = what.format(key if key == "estimate" else f"{key} bound")
        if not isinstance(rec, dict):
            c.problems.append(f"{where}: {_short(rec)} is a number without a record (kind certified, derived or estimate)")
            continue
        kind, value = rec.get("kind"), rec.get("value")
        if not isinstance(value, (int, float)) or not _is_number(value):
            c.problems.append(f"{where}: 'value' must be a finite number; got {_short(value)}")
            continue
        if kind == "estimate":
            c.estimates += 1
            continue
        if kind not in ("certified", "derived"):
            c.problems.append(f"{where}: 'kind' must be 'certified', 'derived' or 'estimate'; got {_short(kind)}")
            continue
        if key == "estimate" or rec.get("side") != key:
            c.problems.append(f"{where}: a {kind} number must sit under 'lower' or 'upper' with the same 'side'; got side {_short(rec.get('side'))}")
            continue
        c.bound += 1
        exact = _certified(c, where, key, rec) if kind == "certified" else _derived(c, where, key, rec)
        if exact is None:
            continue
        try:
            want = safe_float(exact, key)
        except DeriveError as exc:
            c.problems.append(f"{where}: {exc}")
            continue
        if value != want:
            how = "stronger than" if (value > want if key == "lower" else value < want) else "weaker than"
            c.problems.append(f"{where}: states {value!r}, {how} what its certificates prove ({want!r}, exact {_num(exact)})")


def _certified(c: _Claim, where: str, side: str, rec: dict[str, Any]) -> Fraction | None:
    v = c.valid_file(rec.get("certificate"), f"certificate of the {where}")
    if v is None:
        return None
    b = v.bound
    if "part" in rec:  # a secondary bound the checker issued beside the primary one (:data:`PARTS`)
        part = rec["part"]
        if not isinstance(part, str) or part not in PARTS:
            c.problems.append(f"{where}: unknown part {_short(part)}; known: {list(PARTS)}")
            return None
        sub = b.details.get(part)
        b = sub.get(side) if isinstance(sub, dict) else None
        if not isinstance(b, Bound):
            c.problems.append(f"{where}: {v.path} proves no {side} bound of part {part!r}")
            return None
    if b.side != side:
        c.problems.append(f"{where}: {v.path} proves a {b.side} bound, not a {side} bound")
        return None
    try:
        stated = parse_fraction(rec.get("exact"), "exact")
    except CertificateFormatError as exc:
        c.problems.append(f"{where}: {exc}")
        return None
    if stated != b.value:
        c.problems.append(f"{where}: states exact {str(rec.get('exact'))[:60]!r} but {v.path} proves {b.value.numerator}/{b.value.denominator}")
    target = _stated_form(b, rec.get("target"))
    if rec.get("target") != target:
        c.problems.append(f"{where}: states target {str(rec.get('target'))[:200]} but {v.path} proves {target}")
    return Fraction(b.value)


def _stated_form(b: Bound, stated: Any) -> dict[str, Any]:
    """The target ``b`` proves, in the form a record states it.

    Records written since the target names its quantity carry ``quantity``
    (and must state it right); earlier records (game, N, model) stay valid.
    """
    target = b.target.to_json()
    if not (isinstance(stated, dict) and "quantity" in stated):
        del target["quantity"]
    return target


def _derived(c: _Claim, where: str, side: str, rec: dict[str, Any]) -> Fraction | None:
    formula, inputs, params = rec.get("formula"), rec.get("inputs", {}), rec.get("params", {})
    if not isinstance(formula, str) or formula not in FORMULAS:
        c.problems.append(f"{where}: unknown formula {_short(formula)}; known: {sorted(FORMULAS)}")
        return None
    if not isinstance(inputs, dict) or not isinstance(params, dict):
        c.problems.append(f"{where}: 'inputs' and 'params' must be objects")
        return None
    bounds: dict[str, Any] = {}
    ok = True
    for name, ref in inputs.items():
        refs = ref if isinstance(ref, list) else [ref]
        c.ctx.inputs_seen += len(refs)
        if len(refs) > MAX_INPUTS or c.ctx.inputs_seen > MAX_TOTAL_INPUTS:
            c.problems.append(f"{where}: input {str(name)[:30]!r} cites more than {MAX_INPUTS} certificates, "
                              f"or claims.json cites more than {MAX_TOTAL_INPUTS} in all")
            return None
        bs = []
        for r in refs:  # the first bad citation of an input is reported, not every one
            g = c.valid_file(r, f"input {str(name)[:30]!r} of the {where}")
            if g is None:
                ok = False
                break
            bs.append(g.bound)
        if not ok:
            continue
        bounds[name] = bs if isinstance(ref, list) else bs[0]
    if not ok:
        return None
    try:
        return derive(formula, side, bounds, params)
    except QcoordError as exc:
        c.problems.append(f"{where}: formula {formula!r}: {exc}")
        return None


def _check_status(c: _Claim, e: dict[str, Any], cid: str) -> None:

    status = e.get("status")
    if status not in _STATUSES:
        c.problems.append(f"status {_short(status)} is not one of {_STATUSES}")
        return
    decisions = e.get("decisions")
    if decisions is None:
        decisions = []
    if not isinstance(decisions, list):
        c.problems.append(f"'decisions' must be a list; got {type(decisions).__name__}")
        return
    if not decisions:
        if cid in DECIDED_BY_CERTIFICATES and status in ("proved", "refuted"):
            c.problems.append(f"status {status!r} rests on certified comparisons, but the claim states none ('decisions')")
        return
    holds = [_check_decision(c, d) for d in decisions]
    if False in holds and status != "refuted":
        c.problems.append(f"status {status!r}, but a certified comparison it rests on is refuted")
    if status == "refuted" and False not in holds:
        c.problems.append("status 'refuted', but no comparison it rests on is refuted by its certificates")
    if status == "proved" and not all(h is True for h in holds):
        c.problems.append("status 'proved', but not every comparison it rests on is proved by its certificates")


def _check_decision(c: _Claim, d: Any) -> bool | str | None:
    """The decision's ``holds`` if its certificates bear it out, else ``"bad"`` (a problem is recorded)."""
    if not isinstance(d, dict) or d.get("holds") not in (True, False, None) or not isinstance(d.get("statement", ""), str):
        c.problems.append(f"a decision must be an object with 'statement', 'larger', 'smaller' and 'holds' (true, false or null); got {_short(d)}")
        return "bad"
    st, holds = str(d.get("statement", "?"))[:80], d.get("holds")
    lv = c.valid_file(d.get("larger"), f"certificate of the decision {st!r}")
    sv = c.valid_file(d.get("smaller"), f"certificate of the decision {st!r}")
    if lv is None or sv is None:
        return "bad"
    L, S = lv.bound, sv.bound
    bl, bs = c.ctx.best.get(_target_key(L), {}), c.ctx.best.get(_target_key(S), {})
    proved = "lower" in bl and "upper" in bs and bl["lower"][0] > bs["upper"][0]
    refuted = "upper" in bl and "lower" in bs and bl["upper"][0] <= bs["lower"][0]
    if holds is True and not (L.side == "lower" and S.side == "upper" and L.value > S.value):
        c.problems.append(f"decision {st!r} states it holds, but {lv.path} ({L.side} {_num(L.value)}) and {sv.path} ({S.side} {_num(S.value)}) do not prove it")
        return "bad"
    if holds is False and not (L.side == "upper" and S.side == "lower" and L.value <= S.value):
        c.problems.append(f"decision {st!r} states it fails, but {lv.path} ({L.side} {_num(L.value)}) and {sv.path} ({S.side} {_num(S.value)}) do not prove that")
        return "bad"
    if holds is not True and proved:
        c.problems.append(f"decision {st!r} states {'it fails' if holds is False else 'undecided'}, but the folder's certificates prove it "
                          f"({bl['lower'][1]} >= {_num(bl['lower'][0])} > {_num(bs['upper'][0])} >= {bs['upper'][1]})")
        return "bad"
    if holds is not False and refuted:
        c.problems.append(f"decision {st!r} states {'it holds' if holds else 'undecided'}, but the folder's certificates refute it "
                          f"({bl['upper'][1]} <= {_num(bl['upper'][0])} <= {_num(bs['lower'][0])} <= {bs['lower'][1]})")
        return "bad"
    return holds


# ----------------------------------------------------------------------------- format 1


def _check_old_finding(c: _Claim, f: dict[str, Any]) -> None:
    """A version-1 finding: each number with a ``certified`` entry must be what its certificate proves."""
    certified = f.get("certified") or {}
    if not isinstance(certified, dict):
        c.problems.append(f"'certified' of {str(f.get('target'))[:80]!r} must be an object; got {type(certified).__name__}")
        return
    for side, ce in certified.items():
        c.bound += 1
        where = f"{str(side)[:20]} bound of {str(f.get('target'))[:80]!r}"
        if side not in ("lower", "upper") or not isinstance(ce, dict):
            c.problems.append(f"{where}: malformed certified entry")
            continue
        v = c.valid_file(ce.get("certificate"), f"certificate of the {where}")
        if v is None:
            continue
        b = v.bound
        proved = f"{b.value.numerator}/{b.value.denominator}"
        if b.side != side:
            c.problems.append(f"{where}: {v.path} proves a {b.side} bound, not a {side} bound")
            continue
        try:
            stated = parse_fraction(ce.get("exact"), "exact")
        except CertificateFormatError as exc:
            c.problems.append(f"{where}: exact value {str(ce.get('exact'))[:60]!r} is not a rational 'p/q' ({exc})")
            continue
        if stated != b.value or f.get(f"{side}_exact") != ce.get("exact"):
            c.problems.append(f"{where}: states {str(f.get(f'{side}_exact'))[:60]!r} / {str(ce.get('exact'))[:60]!r} but {v.path} proves {proved}")
        try:
            nearest = float(b.value)
        except OverflowError:
            nearest = math.nan
        if not _is_number(f.get(side)) or f[side] != nearest:
            c.problems.append(f"{where}: states {_short(f.get(side))} but {v.path} proves {_num(b.value)}")
        target = _stated_form(b, ce)
        stated_target = {k: ce.get(k) for k in target}
        if stated_target != target:
            c.problems.append(f"{where}: states target {str(stated_target)[:200]} but {v.path} proves {target}")
    for side in ("estimate", "lower", "upper"):
        if side in f and side not in certified:
            c.unlabelled += 1
