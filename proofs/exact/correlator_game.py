"""The exact description of a K-party correlator game carried inline in a certificate.

A *correlator game* (``games.multiparty.CorrelatorGame`` on the solver side) has
``K`` players with ``N`` inputs each and binary answers ``o_i = +-1``; its value
for a strategy is

``value = constant + sum_S sum_{x_S} W_S[x_S] E[prod_{i in S} o_i(x_i)]``

over terms ``S`` (increasing tuples of distinct players), input probabilities
multiplied into ``W``.  A certificate carries the exact weights as integers
over one common denominator ``L``:

``denominator``
    the integer ``L >= 1``;
``constant``
    the integer ``L * constant``;
``terms``
    a list of ``{"players": [i, j, ...], "weights": [N^|S| integers, C order]}``
    (the numerators ``L * W_S``), players increasing, no term twice.

The header names the game ``{"type": "correlator", "K": "3", "N": "16",
"sha256": H, "quantity": Q, "min": lo, "max": hi}``: ``H`` is the SHA-256 of
the canonical text of ``(K, N, L, constant, terms sorted by players, Q)``
(:func:`correlator_digest`), ``Q`` the name of the quantity the value measures
(at most :data:`MAX_QUANTITY` printable characters), and ``[lo, hi] =
[constant - sum |W|, constant + sum |W|]`` the range every strategy's value
lies in (``|E[prod o]| <= 1``), which a :class:`proofs.checkers.bound.Target`
uses to label a vacuous bound.  :func:`read_correlator` checks everything
against the header with integer arithmetic only.

>>> g = CorrelatorDescription.from_weights(2, 1, {(0, 1): [Fraction(1, 2)]}, Fraction(1, 2), "win")
>>> d = g.describe(); d["type"], d["K"], d["N"], d["min"], d["max"]
('correlator', '2', '1', '0/1', '1/1')
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, ClassVar

from proofs.exact.certificate import CertificateHeader, certificate_header
from proofs.exact.errors import CertificateError, CertificateFormatError
from proofs.exact.games import COUNT_TEXT, GameDescriptionError, GameType, check_params, register_game_type
from proofs.exact.rational import fraction_str, parse_fraction

__all__ = [
    "MAX_BINS",
    "MAX_PLAYERS",
    "MAX_QUANTITY",
    "MAX_WEIGHTS",
    "CorrelatorDescription",
    "ExactCorrelator",
    "IntegerWeights",
    "correlator_digest",
    "describe",
    "integer_form",
    "integer_weights",
    "read_correlator",
    "read_weighted_certificate",
    "read_weights",
    "weights_fields",
]

#: most players of a correlator game in a certificate
MAX_PLAYERS = 8
#: most inputs per player
MAX_BINS = 2048
#: most weights over all terms (checked before any is parsed)
MAX_WEIGHTS = 2**20
#: longest quantity name
MAX_QUANTITY = 80

_HEX = re.compile(r"[0-9a-f]{64}")
_QUANTITY = re.compile(r"[ -~]{1,80}")  # printable ASCII


@dataclass(frozen=True)
class ExactCorrelator:
    """The exact weights read from a certificate: ``terms[S]`` are the integer numerators ``L W_S`` (C order)."""

    K: int
    N: int
    denominator: int
    constant: int
    terms: dict[tuple[int, ...], list[int]]
    quantity: str

    def weight(self, S: tuple[int, ...], idx: int) -> Fraction:
        """``W_S`` at flat index ``idx`` as a Fraction."""
        return Fraction(self.terms[S][idx], self.denominator)


def _canonical(K: int, N: int, den: int, const: int, terms: Mapping[tuple[int, ...], Sequence[int]], quantity: str) -> bytes:
    parts = [f"correlator K={K} N={N} L={den} c={const} q={quantity}"]
    for S in sorted(terms):
        parts.append(",".join(map(str, S)) + ":" + ",".join(map(str, terms[S])))
    return ";".join(parts).encode()


def correlator_digest(K: int, N: int, den: int, const: int, terms: Mapping[tuple[int, ...], Sequence[int]], quantity: str) -> str:
    """SHA-256 (hex) of the canonical text of an exact correlator game (integers over ``den``, lowest terms).

    >>> correlator_digest(2, 1, 2, 1, {(0, 1): [1]}, "win")[:12]
    'b2d59ebb5f1d'
    """
    return hashlib.sha256(_canonical(K, N, den, const, terms, quantity)).hexdigest()


def _small_int(params: Mapping[str, Any], key: str, high: int) -> int:
    v = params.get(key)
    if isinstance(v, str) and COUNT_TEXT.fullmatch(v):
        k = int(v)
    else:
        raise GameDescriptionError(f"correlator parameter {key!r} must be a positive integer (as a string); got {str(v)[:20]!r}")
    if not 1 <= k <= high:
        raise GameDescriptionError(f"correlator parameter {key!r} must lie in [1, {high}]; got {k}")
    return k


@register_game_type
@dataclass(frozen=True)
class CorrelatorDescription(GameType):
    """A K-party correlator game named by its size, quantity, value range and the SHA-256 of its exact weights.

    The weights travel in the certificate (:func:`read_correlator`); the
    continuum notions :meth:`classify` and :meth:`bunch_area` are refused.
    """

    K: int
    N: int
    digest: str
    quantity: str
    lo: Fraction
    hi: Fraction
    name: ClassVar[str] = "correlator"

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> CorrelatorDescription:
        check_params(params, {"K", "N", "sha256", "quantity", "min", "max"}, cls.name)
        K = _small_int(params, "K", MAX_PLAYERS)
        if K < 2:
            raise GameDescriptionError(f"correlator parameter 'K' must lie in [2, {MAX_PLAYERS}]; got {K}")
        N = _small_int(params, "N", MAX_BINS)
        digest = params.get("sha256")
        if not isinstance(digest, str) or _HEX.fullmatch(digest) is None:
            raise GameDescriptionError(f"correlator parameter 'sha256' must be 64 lower-case hex digits; got {str(digest)[:70]!r}")
        q = params.get("quantity")
        if not isinstance(q, str) or _QUANTITY.fullmatch(q) is None:
            raise GameDescriptionError(f"correlator parameter 'quantity' must be 1 to {MAX_QUANTITY} printable ASCII characters; got {str(q)[:90]!r}")
        try:
            lo, hi = parse_fraction(params.get("min"), "min"), parse_fraction(params.get("max"), "max")
        except CertificateFormatError as exc:
            raise GameDescriptionError(str(exc)) from exc
        if lo > hi:
            raise GameDescriptionError(f"correlator parameters need min <= max; got {lo} > {hi}")
        return cls(K, N, digest, q, lo, hi)

    @classmethod
    def from_describe(cls, boundary: Mapping[str, Any]) -> CorrelatorDescription:
        return cls.from_params({k: v for k, v in boundary.items() if k != "kind"})

    @classmethod
    def from_weights(cls, K: int, N: int, terms: Mapping[tuple[int, ...], Sequence[Fraction]], constant: Fraction, quantity: str) -> CorrelatorDescription:
        """The description of exact weights (``terms[S]`` flat in C order); see :func:`integer_weights`."""
        den, const, ints = integer_form(terms, constant)
        return cls.from_integers(K, N, den, const, ints, quantity)

    @classmethod
    def from_integers(cls, K: int, N: int, den: int, const: int, ints: Mapping[tuple[int, ...], Sequence[int]], quantity: str) -> CorrelatorDescription:
        """The description of the integer form (lowest terms) of a game."""
        total = sum(abs(t) for w in ints.values() for t in w)
        return cls.from_params({
            "K": str(K), "N": str(N), "sha256": correlator_digest(K, N, den, const, ints, quantity), "quantity": quantity,
            "min": fraction_str(Fraction(const - total, den)), "max": fraction_str(Fraction(const + total, den)),
        })

    def params(self) -> dict[str, str]:
        return {"K": str(self.K), "N": str(self.N), "sha256": self.digest, "quantity": self.quantity,
                "min": fraction_str(self.lo), "max": fraction_str(self.hi)}

    def label(self) -> str:
        return f"correlator K={self.K} N={self.N} sha256={self.digest[:16]}"

    def classify(self, n: int) -> Any:
        raise GameDescriptionError("a 'correlator' game has no cells: only the npa-multiparty and multiparty-* kinds bound it")

    def bunch_area(self, a0: Fraction, a1: Fraction, b0: Fraction, b1: Fraction) -> Any:
        raise GameDescriptionError("a 'correlator' game has no cells: only the npa-multiparty and multiparty-* kinds bound it")


def integer_form(terms: Mapping[tuple[int, ...], Sequence[Fraction]], constant: Fraction) -> tuple[int, int, dict[tuple[int, ...], list[int]]]:
    """``(L, L constant, {S: L W_S})``: the least common denominator and the integer numerators (lowest terms).

    >>> integer_form({(0, 1): [Fraction(1, 4), Fraction(-1, 6)]}, Fraction(1, 2))
    (12, 6, {(0, 1): [3, -2]})
    """
    fr = [Fraction(constant)] + [Fraction(q) for w in terms.values() for q in w]
    den = math.lcm(*(q.denominator for q in fr))
    return den, int(Fraction(constant) * den), {tuple(S): [int(Fraction(q) * den) for q in w] for S, w in terms.items()}


def read_correlator(cert: Mapping[str, Any], game: GameType) -> ExactCorrelator:
    """The exact weights of a certificate, checked against its ``correlator`` header (integer arithmetic only).

    Checks, in this order: the header names a ``correlator`` game; the
    shapes (at most :data:`MAX_WEIGHTS` weights in all, counted before any is
    read); every entry is a JSON integer; players increasing and distinct,
    below ``K``, no term twice; the integers are in lowest terms; the SHA-256
    matches; ``min`` and ``max`` equal ``constant -+ sum |W|``.

    >>> g = CorrelatorDescription.from_weights(2, 1, {(0, 1): [Fraction(1, 2)]}, Fraction(1, 2), "win")
    >>> read_correlator({"denominator": 2, "constant": 1, "terms": [{"players": [0, 1], "weights": [1]}]}, g).terms
    {(0, 1): [1]}
    """
    if not isinstance(game, CorrelatorDescription):
        raise CertificateFormatError(f"a multiparty certificate names a 'correlator' game; got {game.name!r}")
    K, N = game.K, game.N
    den = cert.get("denominator")
    if type(den) is not int or den < 1:
        raise CertificateFormatError(f"certificate field 'denominator' must be a positive integer; got {str(den)[:40]}")
    const = cert.get("constant")
    if type(const) is not int:
        raise CertificateFormatError(f"certificate field 'constant' must be a JSON integer (the numerator over 'denominator'); got {str(const)[:40]}")
    raw = cert.get("terms")
    if not isinstance(raw, list) or not 1 <= len(raw) <= 2**K:
        raise CertificateFormatError(f"certificate field 'terms' must be a list of 1 to 2^K = {2**K} terms")
    sizes = []
    for t, term in enumerate(raw):
        if not isinstance(term, dict) or set(term) != {"players", "weights"}:
            raise CertificateFormatError(f"term {t} of field 'terms' must be an object with exactly 'players' and 'weights'")
        pl = term["players"]
        if not isinstance(pl, list) or not 1 <= len(pl) <= K or any(type(p) is not int for p in pl):
            raise CertificateFormatError(f"'players' of term {t} must be a list of 1 to K = {K} integers")
        sizes.append(N ** len(pl))
    if sum(sizes) > MAX_WEIGHTS:
        raise CertificateFormatError(f"a correlator certificate has at most {MAX_WEIGHTS} weights; got {sum(sizes)}")
    terms: dict[tuple[int, ...], list[int]] = {}
    for t, (term, size) in enumerate(zip(raw, sizes)):
        S = tuple(term["players"])
        if list(S) != sorted(set(S)) or S[0] < 0 or S[-1] >= K:
            raise CertificateFormatError(f"'players' of term {t} must be increasing distinct players in [0, {K - 1}]; got {list(S)[:8]}")
        if S in terms:
            raise CertificateFormatError(f"term {list(S)} appears twice in field 'terms'")
        w = term["weights"]
        if not isinstance(w, list) or len(w) != size or any(type(v) is not int for v in w):
            raise CertificateFormatError(f"'weights' of term {t} must be a list of N^{len(S)} = {size} JSON integers")
        terms[S] = w
    if math.gcd(den, const, *(v for w in terms.values() for v in w)) != 1:
        raise CertificateFormatError("fields 'denominator', 'constant' and 'terms' must be in lowest terms (gcd of all of them 1)")
    if correlator_digest(K, N, den, const, terms, game.quantity) != game.digest:
        raise CertificateError("the weights in field 'terms' do not match the game's sha256 in the header")
    total = sum(abs(v) for w in terms.values() for v in w)
    if game.lo != Fraction(const - total, den) or game.hi != Fraction(const + total, den):
        raise CertificateError("the header's 'min' / 'max' are not constant -+ sum |W| of the weights")
    return ExactCorrelator(K, N, den, const, terms, game.quantity)


# The same format seen as (denominator, constant, terms) without the header: the interface of the
# multiparty-classical-* and multiparty-quantum-strategy producers and checkers.


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
    """Exact weights over their least common denominator, in lowest terms, terms sorted.

    >>> w = integer_weights(Fraction(1, 2), {(0, 1): [Fraction(1, 4), Fraction(-1, 4), Fraction(0), Fraction(1, 4)]})
    >>> w.den, w.constant, w.terms
    (4, 2, {(0, 1): [1, -1, 0, 1]})
    """
    den, const, ints = integer_form({tuple(S): list(v) for S, v in terms.items()}, Fraction(constant))
    g = math.gcd(den, const, *(v for flat in ints.values() for v in flat))
    return IntegerWeights(den // g, const // g, {S: [v // g for v in ints[S]] for S in sorted(ints)})


def weights_fields(w: IntegerWeights) -> dict[str, Any]:
    """The certificate fields ``denominator``, ``constant``, ``terms`` of exact weights."""
    return {"denominator": w.den, "constant": w.constant,
            "terms": [{"players": list(S), "weights": list(flat)} for S, flat in sorted(w.terms.items())]}


def describe(w: IntegerWeights, K: int, N: int, quantity: str) -> dict[str, str]:
    """The header's game description of exact weights.

    >>> d = describe(integer_weights(Fraction(1, 2), {(0, 1): [Fraction(1, 2)]}), 2, 1, "win")
    >>> d["type"], d["min"], d["max"]
    ('correlator', '0/1', '1/1')
    """
    return CorrelatorDescription.from_integers(K, N, w.den, w.constant, w.terms, quantity).describe()


def read_weights(cert: Mapping[str, Any], game: GameType) -> IntegerWeights:
    """:func:`read_correlator`'s checks, returning the weights as :class:`IntegerWeights`."""
    e = read_correlator(cert, game)
    return IntegerWeights(e.denominator, e.constant, e.terms)


def read_weighted_certificate(cert: dict[str, Any], kind: str, side: str) -> tuple[CertificateHeader, CorrelatorDescription, IntegerWeights]:
    """Header, game and weights of a ``kind`` certificate on a correlator game whose ``N`` is the game's (the strategy kinds' prelude).

    Raises :class:`proofs.exact.errors.CertificateFormatError` (naming ``kind``
    and both values) when the header's ``N`` differs from the game's, and
    whatever :func:`proofs.exact.certificate.certificate_header` and
    :func:`read_weights` raise.

    >>> from proofs.exact.certificate import new_certificate
    >>> w = integer_weights(Fraction(1, 2), {(0, 1): [Fraction(1, 8)] * 4})
    >>> c = new_certificate("multiparty-classical-strategy", describe(w, 2, 2, "win"), 2, "lower", Fraction(1, 2), **weights_fields(w))
    >>> hd, game, w2 = read_weighted_certificate(c, "multiparty-classical-strategy", "lower")
    >>> game.K, game.N, w2 == w
    (2, 2, True)
    """
    hd = certificate_header(cert, kind, side)
    game = hd.game
    w = read_weights(cert, game)
    assert isinstance(game, CorrelatorDescription)
    if hd.n != game.N:
        raise CertificateFormatError(f"a {kind!r} certificate has N = the game's N = {game.N}; got N = {hd.n}")
    return hd, game, w
