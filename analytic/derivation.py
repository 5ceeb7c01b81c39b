"""The :class:`Derivation` result type: a sympy expression with its provenance.

A derivation is produced by code (never typed in by hand): the expression, the
statement it proves, the modelling assumptions it needs, and the checks it
passed (symbolic identities and independent numerical routes).

>>> import sympy as sp
>>> d = Derivation("demo", "1 + 1 = 2", ("none",), sp.Integer(2),
...                (Check("sum", True, "sympy: 1 + 1 == 2"),))
>>> d.passed, d.to_record()["latex"]
(True, '2')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import sympy as sp

__all__ = ["Check", "Derivation"]


@dataclass(frozen=True)
class Check:
    """One verification a derivation passed (or failed)."""

    name: str
    passed: bool
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "passed": bool(self.passed), "detail": self.detail}


@dataclass(frozen=True)
class Derivation:
    """A derived formula.

    Attributes
    ----------
    id : str
        Short identifier; also the record file name ``proofs/records/<id>.json``.
    statement : str
        What the expression is, in words.
    assumptions : tuple of str
        Every modelling assumption the formula needs.
    expr : sympy.Basic
        The derived expression (or relation).
    checks : tuple of Check
        Checks run when the derivation was produced.
    extra : tuple of (name, expression)
        Further named sympy expressions (intermediate results), recorded too.
    numbers : dict
        Numerical results that quantify the statement (JSON-ready), recorded too.
    """

    id: str
    statement: str
    assumptions: tuple[str, ...]
    expr: sp.Basic
    checks: tuple[Check, ...]
    extra: tuple[tuple[str, sp.Basic], ...] = ()
    numbers: dict = field(default_factory=dict, compare=False)

    @property
    def passed(self) -> bool:
        """True when every check passed."""
        return all(c.passed for c in self.checks)

    def to_record(self) -> dict[str, Any]:
        """JSON-ready record: statement, assumptions, LaTeX, srepr, checks."""
        return {
            "id": self.id,
            "statement": self.statement,
            "assumptions": list(self.assumptions),
            "latex": sp.latex(self.expr),
            "srepr": sp.srepr(self.expr),
            "extra": {name: {"latex": sp.latex(e), "srepr": sp.srepr(e)} for name, e in self.extra},
            "checks": [c.to_dict() for c in self.checks],
            "numbers": self.numbers,
            "all_checks_passed": self.passed,
        }


def is_zero(expr: sp.Basic) -> bool:
    """True when sympy proves ``expr == 0`` (simplify, then expand logs)."""
    e = sp.simplify(expr)
    if e == 0:
        return True
    return sp.simplify(sp.expand_log(sp.expand(e), force=True)) == 0
