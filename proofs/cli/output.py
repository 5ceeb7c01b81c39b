"""The one JSON vocabulary of every ``qcoord`` command (``--json``) and its published schemas.

Every command's JSON object starts with ``schema`` (``"qcoord/<command>"``)
and ``schema_version`` (:data:`SCHEMA_VERSION`; raised when a key changes
meaning or disappears, like the certificate format's version) and ends with
``certificates``, the list of every certificate file behind the numbers.  The
pieces shared by the commands are built here, once:

``bracket``
    a certified two-sided bound ``{"lower", "upper", "width", "certificate":
    {"lower": PATH, "upper": PATH}, "trivial", "trivial_sides"}``;
    ``trivial`` is true when a side says nothing (:attr:`Bound.trivial
    <proofs.checkers.bound.Bound.trivial>`: an upper bound at or above 1, a
    lower bound at or below 1/2 for a winning probability and 0 for
    ``p_split``); ``trivial_sides`` names those sides.
``R_k``
    always a list of ``{"k", "estimate", "lower"}`` (``lower`` certified, or
    ``null``).
``p_split``, ``W_q``, ``throughput``
    always objects keyed by router class (``ideal``, ``classical``,
    ``quantum``, ``werner``); the certified brackets of ``p_split`` sit
    under ``p_split_certified`` keyed the same way.
``measured``
    a simulated value ``{"simulated", "ci": [lo, hi]}`` with its ``formula``
    or ``computed`` value when there is one.

The JSON Schema of each command is in ``proofs/cli/schemas/<command>.json``
(built by :mod:`proofs.cli.schema`).

>>> header("queue")
{'schema': 'qcoord/queue', 'schema_version': 1}
>>> r_k(2, 1.25, None)
[{'k': 2.0, 'estimate': 1.25, 'lower': None}]
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from typing import Any

from proofs.checkers.bound import Bound, Bracket, Target

__all__ = [
    "SCHEMA_VERSION",
    "bound",
    "bracket",
    "bracket_of_bounds",
    "bracket_of_values",
    "finish",
    "header",
    "measured",
    "r_k",
    "trivial_note",
]

#: version of the JSON vocabulary (every schema carries it; raised when a key changes meaning or disappears)
SCHEMA_VERSION = 1


def header(command: str) -> dict[str, Any]:
    """The first two keys of every command's JSON."""
    return {"schema": f"qcoord/{command}", "schema_version": SCHEMA_VERSION}


def _value(b: Bound) -> float | None:
    return b.to_dict()["value"]


def bracket(br: Bracket, **extra: Any) -> dict[str, Any]:
    """A checked :class:`Bracket` as the shared ``bracket`` object; ``extra`` keys follow (``exact``, ``method``, ``rank``)."""
    sides = [s for s, b in (("lower", br.lower), ("upper", br.upper)) if b.trivial]
    return {
        "lower": _value(br.lower), "upper": _value(br.upper),
        "width": float(br.width) if abs(br.width) < 2**1023 else None,
        "certificate": {"lower": str(br.lower.certificate), "upper": str(br.upper.certificate)},
        "trivial": bool(sides), "trivial_sides": sides, **extra,
    }


def bracket_of_bounds(lower: Bound, upper: Bound, **extra: Any) -> dict[str, Any]:
    """Two checked bounds (possibly of different targets: a Werner value's W1 and W2 bounds) as a ``bracket``."""
    sides = [s for s, b in (("lower", lower), ("upper", upper)) if b.trivial]
    return {
        "lower": _value(lower), "upper": _value(upper),
        "width": float(upper.value - lower.value) if abs(upper.value - lower.value) < 2**1023 else None,
        "certificate": {"lower": str(lower.certificate), "upper": str(upper.certificate)},
        "trivial": bool(sides), "trivial_sides": sides, **extra,
    }


def bound(b: Bound) -> dict[str, Any]:
    """One checked bound: ``{"value", "side", "certificate", "trivial"}``."""
    return {"value": _value(b), "side": b.side, "certificate": str(b.certificate), "trivial": b.trivial}


def bracket_of_values(lower: float, upper: float, certificate: dict[str, str], quantity: str) -> dict[str, Any]:
    """A ``bracket`` from the floats a result kept of its checked bounds (rounded outward) and their certificate paths.

    ``trivial`` follows the rule of :attr:`Bound.trivial` on the quantity's range
    (:attr:`Target.value_range`: ``p_split`` in [0, 1], a winning probability in [1/2, 1]).

    >>> bracket_of_values(0.0, 0.4, {"lower": "a.json", "upper": "b.json"}, "p_split")["trivial_sides"]
    ['lower']
    """
    lo_end, hi_end = Target({"quantity": "p_split"} if quantity == "p_split" else {}, None, "classical").value_range
    sides = [s for s, t in (("lower", Fraction(lower) <= lo_end), ("upper", Fraction(upper) >= hi_end)) if t]
    return {"lower": lower, "upper": upper, "width": upper - lower,
            "certificate": {"lower": str(certificate["lower"]), "upper": str(certificate["upper"])},
            "trivial": bool(sides), "trivial_sides": sides}


def r_k(k: float, estimate: float | None, lower: float | None) -> list[dict[str, Any]]:
    """``R_k`` at one ``k``: the list of ``{"k", "estimate", "lower"}`` every command uses."""
    return [{"k": float(k), "estimate": estimate, "lower": lower}]


def measured(simulated: float, ci: Iterable[float], **known: Any) -> dict[str, Any]:
    """A simulated value with its confidence interval, and its ``formula`` (or ``computed``) value when known."""
    return {**known, "simulated": simulated, "ci": [float(x) for x in ci]}


def trivial_note(b: dict[str, Any]) -> str:
    """The label a printed bracket carries when a side is vacuous (empty otherwise).

    >>> trivial_note({"trivial_sides": ["upper"]})
    '  (VACUOUS: the upper bound says nothing)'
    """
    sides = b.get("trivial_sides") or []
    if not sides:
        return ""
    what = " and ".join(f"the {s} bound" for s in sides)
    return f"  (VACUOUS: {what} says nothing)" if len(sides) == 1 else f"  (VACUOUS: {what} say nothing)"


def _paths(obj: Any, out: list[str]) -> None:
    if isinstance(obj, dict):
        for key, v in obj.items():
            if key == "certificate":
                if isinstance(v, dict):
                    out.extend(str(p) for p in v.values() if p)
                elif isinstance(v, str) and v:
                    out.append(v)
            elif key == "certificates" and isinstance(v, list):
                out.extend(str(p) for p in v if p)
            else:
                _paths(v, out)
    elif isinstance(obj, list):
        for v in obj:
            _paths(v, out)


def finish(command: str, body: dict[str, Any], extra_certificates: Iterable[str] = (), *, walk: bool = True) -> dict[str, Any]:
    """``header`` + ``body`` + ``certificates``: every certificate path named in ``body`` (unless ``walk`` is false) and in
    ``extra_certificates``, once, in order."""
    found: list[str] = []
    if walk:
        _paths(body, found)
    found.extend(str(p) for p in extra_certificates if p)
    return {**header(command), **body, "certificates": list(dict.fromkeys(found))}
