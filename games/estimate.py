"""The result type of every heuristic search: an :class:`Estimate`.

An estimate is a number that some search or solver produced, together with
everything needed to reproduce it and the strategy that achieves it.  It is
*not* a bound: only a :mod:`proofs` checker turns a certificate into a
:class:`proofs.Bound`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from games.errors import GameParameterError

__all__ = ["Estimate"]


@dataclass(frozen=True)
class Estimate:
    """A value found by a search, with its provenance.

    Attributes
    ----------
    value
        The winning probability found (an estimate, side-less).
    method
        How it was found, e.g. ``"simulated-annealing"``.
    target
        What it estimates, e.g. ``"paper C=0.33, N=1000, classical"``.
    parameters
        Read-only mapping of the search parameters (schedule, tolerances, ...).
    seed
        The seed of the random generator, or ``None`` for deterministic methods.
    strategy
        The strategy that achieves ``value`` (re-evaluate it to check).

    Examples
    --------
    >>> e = Estimate(0.75, "demo", "linear N=2 classical", {"starts": 1}, seed=0)
    >>> e.kind, e.parameters["starts"]
    ('estimate', 1)
    >>> Estimate(float("nan"), "demo", "x")
    Traceback (most recent call last):
    ...
    games.errors.GameParameterError: `value` must be a finite winning probability in [0, 1]; got nan
    """

    value: float
    method: str
    target: str
    parameters: Mapping[str, Any] = field(default_factory=dict)
    seed: int | None = None
    strategy: Any = field(default=None, repr=False, compare=False)

    kind = "estimate"

    def __post_init__(self) -> None:
        v = float(self.value)
        if not (math.isfinite(v) and -1e-12 <= v <= 1 + 1e-12):
            raise GameParameterError(f"`value` must be a finite winning probability in [0, 1]; got {self.value!r}")
        object.__setattr__(self, "value", v)
        object.__setattr__(self, "parameters", MappingProxyType(dict(self.parameters)))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (the strategy is omitted)."""
        return {
            "kind": self.kind,
            "value": self.value,
            "method": self.method,
            "target": self.target,
            "parameters": _jsonable(dict(self.parameters)),
            "seed": self.seed,
        }

    def __str__(self) -> str:
        return f"{self.value:.6f} (estimate; {self.method}; {self.target})"


def _jsonable(x: Any) -> Any:
    try:
        json.dumps(x)
        return x
    except TypeError:
        if isinstance(x, dict):
            return {str(k): _jsonable(v) for k, v in x.items()}
        if isinstance(x, (list, tuple)):
            return [_jsonable(v) for v in x]
        if hasattr(x, "tolist"):
            return x.tolist()
        return repr(x)
