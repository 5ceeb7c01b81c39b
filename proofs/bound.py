"""The :class:`Bound` type: a value with a side, a target and a checked certificate.

Only checkers in :mod:`proofs` create bounds: the constructor demands a
private token that :func:`_issue` supplies, so a solver's float cannot be
dressed up as a bound by accident.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Literal

from proofs.errors import ProofsParameterError
from proofs.exact.errors import CertificateError

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
        ``"classical"`` or ``"quantum"``.

    >>> Target({"type": "hyperbolic", "C": "33/100"}, None, "quantum").label()
    'hyperbolic C=33/100, continuum, quantum'
    """

    game: dict[str, Any]
    n: int | None
    player_model: Literal["classical", "quantum"]

    def __post_init__(self) -> None:
        if self.player_model not in ("classical", "quantum"):
            raise ProofsParameterError(f"`player_model` must be 'classical' or 'quantum'; got {self.player_model!r}")
        if self.n is not None and (not isinstance(self.n, int) or self.n < 1):
            raise ProofsParameterError(f"`n` must be a positive integer or None (continuum); got {self.n!r}")

    def label(self) -> str:
        params = ", ".join(f"{k}={v}" for k, v in self.game.items() if k != "type")
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
        return float(self.value)

    @property
    def trivial(self) -> bool:
        """Whether the bound says nothing: an upper bound ``>= 1``, or a lower bound ``<= 1/2``
        (every XOR game is won with probability at least 1/2 by a constant strategy or its flip)."""
        return self.value >= 1 if self.side == "upper" else self.value <= Fraction(1, 2)

    def __str__(self) -> str:
        sym = ">=" if self.side == "lower" else "<="
        note = "; TRIVIAL: says nothing about the game" if self.trivial else ""
        return f"value {sym} {float(self.value):.10f} ({self.side} bound; {self.target.label()}; checked by {self.checker}{note})"

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": "bound",
            "side": self.side,
            "value": float(self.value),
            "value_exact": f"{self.value.numerator}/{self.value.denominator}",
            "target": {"game": self.target.game, "N": self.target.n, "model": self.target.player_model},
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
                f"contradictory certificates: lower bound {float(self.lower.value)} exceeds upper bound {float(self.upper.value)} "
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
        return {
            "lower": float(self.lower.value),
            "upper": float(self.upper.value),
            "width": float(self.width),
            "target": self.lower.target.label(),
            "certificates": [self.lower.certificate, self.upper.certificate],
        }


def _issue(side: str, value: Fraction, target: Target, certificate: str, checker: str, **details: Any) -> Bound:
    """Create a :class:`Bound`; for use by proofs/ checkers only."""
    return Bound(side, value, target, certificate, checker, details, _TOKEN)  # type: ignore[arg-type]
