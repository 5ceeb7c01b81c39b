"""The exact description of a K-party correlator game whose weights travel in the certificate.

A K-party correlator game (the solver side is :class:`games.multiparty.CorrelatorGame`)
has players ``0 .. K-1``, each with an input ``x_i`` in ``range(N)`` and an
output ``o_i = +-1``; its value is

``value = constant + sum_S sum_{x_S} W_S[x_S] E[prod_{i in S} o_i(x_i)]``

over terms ``S`` (increasing tuples of distinct players), with input
probabilities multiplied into ``W_S``.  A certificate carries the exact
weights over one common denominator ``L``:

``denominator``
    the positive integer ``L``;
``constant``
    the integer ``L * constant``;
``terms``
    a list of ``{"players": [i, j, ...], "weights": [n_0, n_1, ...]}``, the
    players increasing, the terms sorted, the ``N^|S|`` integers
    ``L * W_S`` in C order (last player's input fastest).

The pair ``(L, numerators)`` is in lowest terms, so it names the game
uniquely; the header names the game as ``{"type": "correlator", "K": "3",
"N": "8", "sha256": H, "quantity": q}`` where ``H`` is the SHA-256 of the
canonical text (:func:`weights_digest`) and ``q`` the free-text name of what
the value measures (printable ASCII without slashes, at most
:data:`MAX_QUANTITY` characters).  Two certificates prove bounds on the same
game exactly when their headers agree.

>>> from fractions import Fraction
>>> w = integer_weights(Fraction(1, 2), {(0, 1): [Fraction(1, 4), Fraction(-1, 4), Fraction(0), Fraction(1, 4)]})
>>> w.den, w.constant, w.terms
(4, 2, {(0, 1): [1, -1, 0, 1]})
>>> d = describe(w, 2, 2, "value")
>>> d["type"], d["K"], d["N"]
('correlator', '2', '2')
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, ClassVar

from proofs.exact.errors import CertificateError, CertificateFormatError
from proofs.exact.games import GameDescriptionError, GameType, check_params, register_game_type

__all__ = [
    "MAX_BINS",
    "MAX_PLAYERS",
    "MAX_QUANTITY",
    "MAX_WEIGHTS",
    "CorrelatorDescription",
    "IntegerWeights",
    "describe",
    "integer_weights",
    "read_weights",
    "weights_digest",
    "weights_fields",
]

#: most players of a correlator game
MAX_PLAYERS = 8
#: most input bins per player
MAX_BINS = 4096
#: most weights (summed over the terms) a certificate may carry
MAX_WEIGHTS = 2**20
#: longest quantity name
MAX_QUANTITY = 80

_HEX = re.compile(r"[0-9a-f]{64}")
_QUANTITY = re.compile(r"[ -.0-\[\]-~]{1," + str(MAX_QUANTITY) + "}")  # printable ASCII without '/' and '\'


@dataclass(frozen=True)
class IntegerWeights:
    """A correlator game's exact weights ``W_S = terms[S] / den`` and constant ``constant / den`` (lowest terms)."""

    den: int
    constant: int
    terms: dict[tuple[int, ...], list[int]]

    def weight(self, S: tuple[int, ...], index: int) -> Fraction:
        """The exact weight ``W_S`` at flat (C-order) position ``index``."""
        return Fraction(self.terms[S][index], self.den)


def integer_weights(constant: Fraction, terms: Mapping[tuple[int, ...], Sequence[Fraction]]) -> IntegerWeights:
    """Put exact weights over their least common denominator, in lowest terms (terms sorted)."""
    fr = {tuple(S): [Fraction(q) for q in flat] for S, flat in terms.items()}
    c = Fraction(constant)
    den = math.lcm(c.denominator, *(q.denominator for flat in fr.values() for q in flat))
    ints = {S: [q.numerator * (den // q.denominator) for q in fr[S]] for S in sorted(fr)}
    return IntegerWeights(den, c.numerator * (den // c.denominator), ints)


def _canonical(K: int, N: int, w: IntegerWeights) -> bytes:
    parts = [f"K{K};N{N};/{w.den};c{w.constant}"]
    parts += [",".join(map(str, S)) + ":" + ",".join(map(str, flat)) for S, flat in sorted(w.terms.items())]
    return ";".join(parts).encode()


def weights_digest(K: int, N: int, w: IntegerWeights) -> str:
    """SHA-256 (hex) of the canonical text ``K{K};N{N};/{L};c{constant};{players}:{weights};...``."""
    return hashlib.sha256(_canonical(K, N, w)).hexdigest()


def weights_fields(w: IntegerWeights) -> dict[str, Any]:
    """The certificate fields ``denominator``, ``constant``, ``terms`` of exact weights."""
    return {"denominator": w.den, "constant": w.constant,
            "terms": [{"players": list(S), "weights": list(flat)} for S, flat in sorted(w.terms.items())]}


def describe(w: IntegerWeights, K: int, N: int, quantity: str) -> dict[str, str]:
    """The header's game description of exact weights (the quantity is checked like a certificate's)."""
    return CorrelatorDescription.from_params({"K": str(K), "N": str(N), "sha256": weights_digest(K, N, w), "quantity": quantity}).describe()


def _count(params: Mapping[str, Any], key: str, high: int, low: int) -> int:
    v = params.get(key)
    if isinstance(v, str) and v.isdigit() and len(v) <= 5:
        k = int(v)
    else:
        raise GameDescriptionError(f"correlator parameter {key!r} must be an integer written as a string; got {str(v)[:20]!r}")
    if not low <= k <= high:
        raise GameDescriptionError(f"correlator parameter {key!r} must lie in [{low}, {high}]; got {k}")
    return k


@register_game_type
@dataclass(frozen=True)
class CorrelatorDescription(GameType):
    """A K-party correlator game named by ``K``, ``N``, its quantity and the SHA-256 of its exact weights.

    The weights themselves travel in the certificate (:func:`read_weights`);
    the continuum notions :meth:`classify` and :meth:`bunch_area` are refused.
    """

    K: int
    N: int
    digest: str
    quantity: str
    name: ClassVar[str] = "correlator"

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> CorrelatorDescription:
        check_params(params, {"K", "N", "sha256", "quantity"}, cls.name)
        K, N = _count(params, "K", MAX_PLAYERS, 2), _count(params, "N", MAX_BINS, 1)
        digest = params.get("sha256")
        if not isinstance(digest, str) or _HEX.fullmatch(digest) is None:
            raise GameDescriptionError(f"correlator parameter 'sha256' must be 64 lower-case hex digits; got {str(digest)[:70]!r}")
        q = params.get("quantity")
        if not isinstance(q, str) or _QUANTITY.fullmatch(q) is None:
            raise GameDescriptionError(f"correlator parameter 'quantity' must be 1 to {MAX_QUANTITY} printable ASCII characters without "
                                       f"slashes; got {str(q)[:90]!r}")
        return cls(K, N, digest, q)

    @classmethod
    def from_describe(cls, boundary: Mapping[str, Any]) -> CorrelatorDescription:
        return cls.from_params({k: v for k, v in boundary.items() if k != "kind"})

    def params(self) -> dict[str, str]:
        return {"K": str(self.K), "N": str(self.N), "sha256": self.digest, "quantity": self.quantity}

    def label(self) -> str:
        return f"correlator K={self.K} N={self.N} sha256={self.digest[:16]} ({self.quantity})"

    def classify(self, n: int) -> Any:
        raise GameDescriptionError("a 'correlator' game has no cells: only the multiparty-* certificate kinds bound it")

    def bunch_area(self, a0: Fraction, a1: Fraction, b0: Fraction, b1: Fraction) -> Any:
        raise GameDescriptionError("a 'correlator' game has no cells: only the multiparty-* certificate kinds bound it")


def _term(raw: Any, K: int, i: int) -> tuple[int, ...]:
    if not isinstance(raw, list) or not raw or not all(type(p) is int for p in raw):
        raise CertificateFormatError(f"terms[{i}]['players'] must be a non-empty list of player indices; got {str(raw)[:40]}")
    if any(b <= a for a, b in zip(raw, raw[1:])) or raw[0] < 0 or raw[-1] >= K:
        raise CertificateFormatError(f"terms[{i}]['players'] must be increasing player indices in [0, {K - 1}]; got {str(raw)[:40]}")
    return tuple(raw)


def read_weights(cert: Mapping[str, Any], game: GameType) -> IntegerWeights:
    """The exact weights of a ``multiparty-*`` certificate, checked against its header.

    Checks, in this order: the header names a ``correlator`` game; the
    denominator is a positive integer and the constant an integer; each term
    names increasing players in ``[0, K)``, the terms are sorted and distinct,
    their sizes ``N^|S|`` sum to at most :data:`MAX_WEIGHTS` (checked before
    any weight is read); every weight is a JSON integer; the whole is in lowest
    terms; the SHA-256 equals the header's.  Integer arithmetic only.

    >>> w = integer_weights(Fraction(0), {(0, 1): [Fraction(1, 2)]})
    >>> from proofs.exact.games import exact_game
    >>> read_weights(weights_fields(w), exact_game(describe(w, 2, 1, "value"))).terms
    {(0, 1): [1]}
    """
    if not isinstance(game, CorrelatorDescription):
        raise CertificateFormatError(f"a multiparty-* certificate names a 'correlator' game; got {game.name!r}")
    K, N = game.K, game.N
    den = cert.get("denominator")
    if type(den) is not int or den < 1:
        raise CertificateFormatError(f"certificate field 'denominator' must be a positive integer; got {str(den)[:40]}")
    const = cert.get("constant")
    if type(const) is not int:
        raise CertificateFormatError(f"certificate field 'constant' must be an integer (the numerator over 'denominator'); got {str(const)[:40]}")
    raw = cert.get("terms")
    if not isinstance(raw, list) or not 1 <= len(raw) <= 2**K - 1:
        raise CertificateFormatError(f"certificate field 'terms' must be a list of 1 to 2^K - 1 = {2**K - 1} terms")
    keys: list[tuple[int, ...]] = []
    for i, t in enumerate(raw):
        if not isinstance(t, dict) or set(t) != {"players", "weights"}:
            raise CertificateFormatError(f"terms[{i}] must be an object with exactly the fields 'players' and 'weights'")
        keys.append(_term(t["players"], K, i))
    if keys != sorted(set(keys)):
        raise CertificateFormatError("the terms must be sorted by their players and distinct")
    total = sum(N ** len(S) for S in keys)
    if total > MAX_WEIGHTS:
        raise CertificateFormatError(f"a correlator game carries at most {MAX_WEIGHTS} weights; these terms have {total}")
    terms: dict[tuple[int, ...], list[int]] = {}
    for i, (S, t) in enumerate(zip(keys, raw)):
        flat = t["weights"]
        if not isinstance(flat, list) or len(flat) != N ** len(S):
            raise CertificateFormatError(f"terms[{i}]['weights'] must be a list of N^{len(S)} = {N ** len(S)} integers")
        if not all(type(v) is int for v in flat):
            raise CertificateFormatError(f"terms[{i}]['weights'] must hold JSON integers (the numerators over 'denominator')")
        terms[S] = flat
    if math.gcd(den, const, *(v for flat in terms.values() for v in flat)) != 1:
        raise CertificateFormatError("fields 'denominator', 'constant' and the weights must be in lowest terms (gcd of all of them 1)")
    w = IntegerWeights(den, const, terms)
    if weights_digest(K, N, w) != game.digest:
        raise CertificateError("the weights in field 'terms' do not match the game's sha256 in the header")
    return w
