"""The :class:`Bound` type: a value with a side, a target and a checked certificate.

Only checkers in :mod:`proofs` create bounds: the constructor demands a
private token that :func:`_issue` supplies, so a solver's float cannot be
dressed up as a bound by accident.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Literal

from proofs.exact.errors import CertificateError, ProofsParameterError
from proofs.exact.rational import show_rational, to_float

__all__ = ["Bound", "Bracket", "Target"]

_TOKEN = object()


@dataclass(frozen=True)
class Target:
    """What a bound is about.

    Attributes
    ----------
    game
        The exact game the checker verified, as its certificate JSON
        (``{"type": "hyperbolic", "C": "33/100"}``; :mod:`proofs.exact.games`).
    n
        Number of bins of the discretised game, or ``None`` for the continuum.
    player_model
        ``"classical"`` or ``"quantum"``; ``"ideal"`` for routers that see every input (K-router ideal class).

    The bounded quantity (:attr:`quantity`) is part of the target: a game's
    winning probability, or ``p_split`` for a system certificate (named by the
    ``quantity`` field of its game description).

    >>> t = Target({"type": "hyperbolic", "C": "33/100"}, None, "quantum")
    >>> t.label(), t.quantity
    ('hyperbolic C=33/100, continuum, quantum', 'winning probability')
    >>> t.to_json()["quantity"]
    'winning probability'
    """

    game: dict[str, Any]
    n: int | None
    player_model: Literal["classical", "quantum", "ideal"]

    def __post_init__(self) -> None:
        if self.player_model not in ("classical", "quantum", "ideal"):
            raise ProofsParameterError(f"`player_model` must be 'classical', 'quantum' or 'ideal'; got {self.player_model!r}")
        if self.n is not None and (not isinstance(self.n, int) or self.n < 1):
            raise ProofsParameterError(f"`n` must be a positive integer or None (continuum); got {self.n!r}")

    @property
    def quantity(self) -> str:
        """What is bounded: ``"p_split"`` (system certificates) or the game's winning probability."""
        if self.game.get("type") in ("correlator", "slotted-queue"):  # these games name their own quantity
            return str(self.game.get("quantity"))
        return "p_split" if self.game.get("quantity") == "p_split" else "winning probability"

    @property
    def value_range(self) -> tuple[Fraction, Fraction]:
        """The values the bounded quantity can take without any certificate.

        ``p_split`` is a probability, ``[0, 1]``; an XOR game's winning
        probability is at least 1/2 (a constant strategy or its flip), ``[1/2, 1]``.
        A correlator game's range is ``constant -+ sum |W|``, carried in its description (``min``, ``max``).
        """
        if self.game.get("type") == "correlator":  # constant -+ sum |W|, checked against the weights by its checker
            return Fraction(str(self.game.get("min"))), Fraction(str(self.game.get("max")))
        if self.game.get("type") == "slotted-queue":  # a waiting time: >= 0, no finite a-priori maximum (2^1023 stands for infinity)
            return Fraction(0), Fraction(2**1023)
        return (Fraction(0), Fraction(1)) if self.quantity == "p_split" else (Fraction(1, 2), Fraction(1))

    def to_json(self) -> dict[str, Any]:
        """The target as written to claims.json and ``--json`` output: game, N, model and quantity."""
        return {"game": self.game, "N": self.n, "model": self.player_model, "quantity": self.quantity}

    def label(self) -> str:
        params = ", ".join(f"{k}={v}" for k, v in self.game.items() if k not in ("type", "quantity"))
        where = "continuum" if self.n is None else f"N={self.n}"
        return f"{self.game.get('type', 'game')} {params}, {where}, {self.player_model}"


@dataclass(frozen=True)
class Bound:
    """A certified one-sided bound on a game value.

    Attributes
    ----------
    side
        ``"lower"`` or ``"upper"``.
    value
        Exact rational value of the bound (a lower bound is rounded down, an
        upper bound up, before it is stored).
    target
        The game, discretisation and player model bounded.
    certificate
        Path or identifier of the certificate that was checked.
    checker
        Name of the proofs/ checker that verified it, and the theorem used.
    """

    side: Literal["lower", "upper"]
    value: Fraction
    target: Target
    certificate: str
    checker: str
    details: dict[str, Any] = field(default_factory=dict, compare=False)
    _token: object = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self._token is not _TOKEN:
            raise ProofsParameterError("a Bound is created only by a proofs/ checker (use proofs.check_certificate)")
        if self.side not in ("lower", "upper"):
            raise ProofsParameterError(f"`side` must be 'lower' or 'upper'; got {self.side!r}")
        if not isinstance(self.value, Fraction):
            raise ProofsParameterError(f"`value` must be a fractions.Fraction; got {type(self.value).__name__}")

    def __float__(self) -> float:
        # never raises: a bound beyond the float range (legal in a certificate) becomes -inf / inf, its safe side
        if _in_float_range(self.value):
            return float(self.value)
        return to_float(self.value, -1 if self.side == "lower" else 1)

    @property
    def trivial(self) -> bool:
        """Whether the bound says nothing: at or beyond the end of :attr:`Target.value_range` on its side
        (an upper bound ``>= 1``; a lower bound ``<= 1/2`` on a winning probability, ``<= 0`` on ``p_split``).
        A certificate may prove such a vacuous bound (``-10^400`` is a true lower bound); it is labelled, not refused."""
        lo, hi = self.target.value_range
        return self.value >= hi if self.side == "upper" else self.value <= lo

    def __str__(self) -> str:
        sym = ">=" if self.side == "lower" else "<="
        what = self.target.quantity
        note = f"; TRIVIAL: says nothing about {what}" if self.trivial else ""
        shown = f"{float(self.value):.10f}" if abs(self.value) < 10**6 else show_rational(self.value)
        return f"{what} {sym} {shown} ({self.side} bound; {self.target.label()}; checked by {self.checker}{note})"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields; ``value`` is ``None`` when the exact value lies beyond the float range."""
        return {
            "kind": "bound",
            "side": self.side,
            "value": float(self.value) if _in_float_range(self.value) else None,
            "value_exact": f"{self.value.numerator}/{self.value.denominator}",
            "target": self.target.to_json(),
            "quantity": self.target.quantity,
            "trivial": self.trivial,
            "certificate": self.certificate,
            "checker": self.checker,
        }


@dataclass(frozen=True)
class Bracket:
    """A certified lower and upper bound on the same target."""

    lower: Bound
    upper: Bound

    def __post_init__(self) -> None:
        if self.lower.side != "lower" or self.upper.side != "upper":
            raise ProofsParameterError("a Bracket needs a lower and an upper Bound, in that order")
        if self.lower.target != self.upper.target:
            raise ProofsParameterError(
                f"bracket bounds must share a target; got {self.lower.target.label()} and {self.upper.target.label()}"
            )
        if self.lower.value > self.upper.value:
            raise CertificateError(
                f"contradictory certificates: lower bound {show_rational(self.lower.value, 17)} exceeds upper bound {show_rational(self.upper.value, 17)} "
                f"({self.lower.certificate}, {self.upper.certificate})"
            )

    def require_target(self, target: Target) -> Bracket:
        """Return ``self`` if both bounds prove ``target`` (game, N, player model), else raise.

        Brackets built from certificate files use it to make sure the files
        prove what the caller asked for.
        """
        if self.lower.target != target:
            raise CertificateError(f"the certificates prove {self.lower.target.label()}, not the requested {target.label()}")
        return self

    @property
    def width(self) -> Fraction:
        return self.upper.value - self.lower.value

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields (a value beyond the float range is ``None``)."""
        return {
            "lower": self.lower.to_dict()["value"],
            "upper": self.upper.to_dict()["value"],
            "width": float(self.width) if _in_float_range(self.width) else None,
            "target": self.lower.target.label(),
            "certificates": [self.lower.certificate, self.upper.certificate],
        }


def _in_float_range(q: Fraction) -> bool:
    # float(q) neither overflows nor loses the number entirely (|q| < 2^1023 suffices with room to spare)
    return abs(q) < 2**1023


def _issue(side: str, value: Fraction, target: Target, certificate: str, checker: str, **details: Any) -> Bound:
    """Create a :class:`Bound`; for use by proofs/ checkers only."""
    return Bound(side, value, target, certificate, checker, details, _TOKEN)  # type: ignore[arg-type]
