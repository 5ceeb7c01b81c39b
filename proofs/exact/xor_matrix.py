"""The exact description of a finite two-player XOR game given by its bias matrix.

A finite XOR game with question distribution ``p(x, y)`` and predicate
``f(x, y)`` in ``{0, 1}`` (win iff ``a XOR b = f(x, y)``, toqito's convention)
has winning probability ``1/2 + 1/2 sum_xy M_xy A_x B_y`` for answers
``A_x = (-1)^a``, ``B_y = (-1)^b``, with the *bias matrix*
``M_xy = p(x, y) (-1)^f(x, y)``; ``sum |M_xy| = 1``.  Conversely every
rational matrix with ``sum |M| = 1`` is such a game (``p = |M|``, ``f = [M < 0]``),
and one with ``sum |M| < 1`` is a game whose referee draws the predicate at
random on some questions (``|M_xy| <= p(x, y)``; the discretised games of the
paper, whose crossed cells mix both predicates, are of this kind).

A certificate of an ``xor-*`` kind carries the whole matrix as the integer
field ``denominator`` ``L`` and the field ``bias`` (``rows`` lists of ``cols``
JSON integers ``N = L M``, in lowest terms); its header names the
game as ``{"type": "xor-matrix", "rows": "m", "cols": "n", "sha256": H}``
where ``H`` is the SHA-256 of the matrix's canonical text
(:func:`bias_digest`), so two certificates prove bounds on the same game
exactly when their headers agree.  The header's ``N`` is ``rows``.

Size limits: at most :data:`MAX_SIDE` inputs per player and
:data:`MAX_ENTRIES` entries, checked before any entry is parsed.

>>> m = [[Fraction(1, 4), Fraction(1, 4)], [Fraction(1, 4), Fraction(-1, 4)]]
>>> g = XorMatrix.from_matrix(m)
>>> g.describe()["type"], g.rows, g.cols, g.digest[:12]
('xor-matrix', 2, 2, '83ac24cbb12c')
"""

from __future__ import annotations

import hashlib
import itertools
import math
import operator
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from functools import lru_cache
from typing import Any, ClassVar, Literal, overload

import numpy as np

from proofs.exact.errors import CertificateError, CertificateFormatError
from proofs.exact.games import COUNT_TEXT, GameDescriptionError, GameType, check_params, register_game_type
from proofs.exact.limb_matmul import exact_matmul, strategy_sum
from proofs.exact.once import once

__all__ = [
    "DYADIC_SCALE",
    "MAX_ENTRIES",
    "MAX_SIDE",
    "VECTOR_BITS",
    "BiasMatrix",
    "XorMatrix",
    "bias_digest",
    "common_denominator",
    "integer_digest",
    "integer_form",
    "limb_trace",
    "nearest_floats",
    "read_bias",
    "read_bias_matrix",
    "stacked_total",
    "strategy_total",
]

#: most inputs of either player in an ``xor-matrix`` certificate
MAX_SIDE = 2048
#: most entries ``rows * cols`` of the bias matrix of a certificate
MAX_ENTRIES = 2**20

_HEX = re.compile(r"[0-9a-f]{64}")
_INT_TYPE = frozenset({int})
_TUPLE_TYPE = frozenset({tuple})
_NUMERATOR = operator.attrgetter("_numerator")  # the slots of fractions.Fraction (lowest terms, denominator >= 1)
_DENOMINATOR = operator.attrgetter("_denominator")


def integer_form(m: Sequence[Sequence[Fraction]]) -> tuple[list[list[int]], int]:
    """``(N, L)``: the least common denominator ``L`` of the entries and the integer matrix ``N = L M``.

    The pair is canonical (``gcd(L, all N) = 1``), so it names the matrix uniquely.

    >>> integer_form([[Fraction(1, 4), Fraction(-1, 6)], [Fraction(1, 3), Fraction(1, 4)]])
    ([[3, -2], [4, 3]], 12)
    """
    try:  # Fraction keeps its lowest-terms numerator and denominator in two slots: read directly, not by method calls
        dens = set(map(_DENOMINATOR, itertools.chain.from_iterable(m)))
    except AttributeError:  # not all Fractions (ints, ...)
        pairs = [[q.as_integer_ratio() for q in row] for row in m]
        lcd = math.lcm(*{d for row in pairs for _, d in row})
        return [[p * (lcd // d) for p, d in row] for row in pairs], lcd
    lcd = math.lcm(*dens)
    if len(dens) == 1:
        return [list(map(_NUMERATOR, row)) for row in m], lcd
    factor = {d: lcd // d for d in dens}  # one big division per distinct denominator, not per entry
    return [[q._numerator * factor[q._denominator] for q in row] for row in m], lcd  # type: ignore[attr-defined]


def _canonical(ints: Sequence[Sequence[int]], den: int) -> bytes:
    """``rows x cols / L;`` then the rows of ``N``, entries joined by ``,`` and rows by ``;`` (decimal integers).

    Each row is formatted by one ``%``-template of ``cols`` fields ``%d``
    (for a Python ``int``, ``"%d" % k == str(k)``): one C-level call a row
    instead of one ``str`` call an entry (best of 2000, random 16 x 16: 59 -> 19 us).

    >>> _canonical([[1, -20], [300, 0]], 7)
    b'2x2/7;1,-20;300,0'
    """
    cols = len(ints[0]) if ints else 0
    template = ",".join(["%d"] * cols)
    return (f"{len(ints)}x{cols}/{den};" + ";".join([template % tuple(row) for row in ints])).encode()


def bias_digest(m: Sequence[Sequence[Fraction]]) -> str:
    """SHA-256 (hex) of the canonical text of an exact matrix: ``rows x cols / L;`` then ``N = L M`` row-major.

    >>> bias_digest([[Fraction(1)]])[:16]
    'ce5f62bb6586034a'
    """
    ints, den = integer_form(m)
    return integer_digest(ints, den)


def integer_digest(ints: Sequence[Sequence[int]], den: int) -> str:
    """:func:`bias_digest` of the matrix ``ints / den`` given in lowest terms."""
    return hashlib.sha256(_canonical(ints, den)).hexdigest()


def _side(params: Mapping[str, Any], key: str) -> int:
    v = params.get(key)
    if isinstance(v, str) and COUNT_TEXT.fullmatch(v):
        k = int(v)
    elif isinstance(v, int) and not isinstance(v, bool):
        k = v
    else:
        raise GameDescriptionError(f"xor-matrix parameter {key!r} must be a positive integer (as a string); got {str(v)[:20]!r}")
    if not 1 <= k <= MAX_SIDE:
        raise GameDescriptionError(f"xor-matrix parameter {key!r} must lie in [1, {MAX_SIDE}]; got {k}")
    return k


@register_game_type
@dataclass(frozen=True)
class XorMatrix(GameType):
    """A finite XOR game named by its size and the SHA-256 of its exact bias matrix.

    The matrix itself travels in the certificate (:func:`read_bias`); this
    object only names the game, so :meth:`classify` and :meth:`bunch_area`
    (continuum notions) are refused.
    """

    rows: int
    cols: int
    digest: str
    name: ClassVar[str] = "xor-matrix"

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> XorMatrix:
        check_params(params, {"rows", "cols", "sha256"}, cls.name)
        rows, cols = _side(params, "rows"), _side(params, "cols")
        if rows * cols > MAX_ENTRIES:
            raise GameDescriptionError(f"an xor-matrix game has at most {MAX_ENTRIES} entries; got {rows} x {cols}")
        digest = params.get("sha256")
        if not isinstance(digest, str) or _HEX.fullmatch(digest) is None:
            raise GameDescriptionError(f"xor-matrix parameter 'sha256' must be 64 lower-case hex digits; got {str(digest)[:70]!r}")
        return cls(rows, cols, digest)

    @classmethod
    def from_describe(cls, boundary: Mapping[str, Any]) -> XorMatrix:
        return cls.from_params({k: v for k, v in boundary.items() if k != "kind"})

    @classmethod
    def from_matrix(cls, m: Sequence[Sequence[Fraction]]) -> XorMatrix:
        """The description of an exact matrix (no check that it is a game; see :func:`read_bias`)."""
        return cls.from_params({"rows": str(len(m)), "cols": str(len(m[0])), "sha256": bias_digest(m)})

    @classmethod
    def from_integers(cls, ints: Sequence[Sequence[int]], den: int) -> XorMatrix:
        """The description of ``ints / den`` given in lowest terms (:func:`integer_form`)."""
        return cls.from_params({"rows": str(len(ints)), "cols": str(len(ints[0])), "sha256": integer_digest(ints, den)})

    def params(self) -> dict[str, str]:
        return {"rows": str(self.rows), "cols": str(self.cols), "sha256": self.digest}

    def label(self) -> str:
        return f"xor-matrix {self.rows}x{self.cols} sha256={self.digest[:16]}"

    def classify(self, n: int) -> Any:
        raise GameDescriptionError("an 'xor-matrix' game has no cells: only the xor-* certificate kinds bound it")

    def bunch_area(self, a0: Fraction, a1: Fraction, b0: Fraction, b1: Fraction) -> Any:
        raise GameDescriptionError("an 'xor-matrix' game has no cells: only the xor-* certificate kinds bound it")


@dataclass(frozen=True, eq=False)
class BiasMatrix:
    """An exact bias matrix ``M = N / L`` of a finite XOR game, validated once when it is made.

    ``ints`` is ``N`` (a tuple of ``rows`` tuples of ``cols`` Python ints) and
    ``den`` is ``L``.  Construction checks, in this order: the shape (at most
    :data:`MAX_SIDE` inputs a side, :data:`MAX_ENTRIES` entries); ``L`` a
    positive integer; every entry an ``int``; lowest terms (``gcd(L, all N) =
    1``); ``sum |N| <= L`` (the matrix is a game).  Every instance is therefore
    a valid game, and the checkers of :mod:`proofs.checkers.xor` accept it
    without validating it again; what they derive from it (the SHA-256 that
    names the game, the nearest floats and their radii) is computed once and
    kept (immutable: tuples, read-only arrays).

    >>> bm = BiasMatrix(((1, 1), (1, -1)), 4)
    >>> bm.rows, bm.cols, bm.game.digest[:12]
    (2, 2, '83ac24cbb12c')
    >>> BiasMatrix(((2, 2),), 4)
    Traceback (most recent call last):
    ...
    proofs.exact.errors.CertificateFormatError: fields 'bias' and 'denominator' must be in lowest terms (gcd of all of them 1)
    """

    ints: tuple[tuple[int, ...], ...]
    den: int
    #: the shape, set when the matrix is validated (plain attributes: read many times per check)
    rows: int = field(init=False, repr=False)
    cols: int = field(init=False, repr=False)

    def __post_init__(self) -> None:
        raw, den = self.ints, self.den
        if not isinstance(raw, tuple) or not raw or not {*map(type, raw)} <= _TUPLE_TYPE:
            raise CertificateFormatError("field 'bias' must be a non-empty matrix (rows of integers)")
        rows, cols = len(raw), len(raw[0])
        self.__dict__["rows"], self.__dict__["cols"] = rows, cols
        if not (1 <= rows <= MAX_SIDE and 1 <= cols <= MAX_SIDE and rows * cols <= MAX_ENTRIES):
            raise CertificateFormatError(f"field 'bias' has at most {MAX_SIDE} rows and columns and {MAX_ENTRIES} entries; got {rows} x {cols}")
        if isinstance(den, bool) or not isinstance(den, int) or den < 1:
            raise CertificateFormatError(f"certificate field 'denominator' must be a positive integer; got {str(den)[:40]}")
        if {*map(len, raw)} != {cols}:
            i = next(i for i, row in enumerate(raw) if len(row) != cols)
            raise CertificateFormatError(f"row {i} of field 'bias' must be a list of cols = {cols} integers")
        flat = list(itertools.chain.from_iterable(raw))
        if not {*map(type, flat)} <= _INT_TYPE:  # one pass; the message names the first offending row
            i = next(i for i, row in enumerate(raw) if not {*map(type, row)} <= _INT_TYPE)
            raise CertificateFormatError(f"row {i} of field 'bias' must hold JSON integers (the numerators over 'denominator')")
        if math.gcd(den, *flat) != 1:
            raise CertificateFormatError("fields 'bias' and 'denominator' must be in lowest terms (gcd of all of them 1)")
        absolute = list(map(abs, flat))
        total = sum(absolute)
        self.__dict__["_max_abs"] = max(absolute)  # max |N|, kept for int64 and the enclosure (the instance is immutable)
        self.__dict__["_flat"] = flat  # N row-major (private, never changed), for the nearest floats
        if total > den:
            raise CertificateFormatError(f"field 'bias' is not an XOR game: the absolute entries must sum to at most 1; they sum to {total / den:.17g}")

    @once
    def digest(self) -> str:
        """:func:`integer_digest` of the matrix (the name certificates give the game)."""
        return integer_digest(self.ints, self.den)

    @once
    def game(self) -> XorMatrix:
        """The game's description (:class:`XorMatrix`)."""
        return XorMatrix(self.rows, self.cols, self.digest)

    @once
    def int64(self) -> np.ndarray | None:
        """``N`` as a read-only int64 array when every ``|N_xy| < 2^62`` (lemma L's input range), else ``None``; made once."""
        if self.__dict__["_max_abs"] >= 2**62:
            return None
        a = np.array(self.ints, dtype=np.int64)
        a.flags.writeable = False
        return a

    @property
    def max_abs(self) -> int:
        """``max |N_xy|`` (found when the matrix was validated)."""
        return int(self.__dict__["_max_abs"])

    @once
    def enclosure(self) -> tuple[np.ndarray, np.ndarray, bool]:
        """``(Mc, r, exact)``: :func:`nearest_floats` of the matrix (read-only arrays) and whether ``r = 0``."""
        mc, r, exact = self._nearest(True)
        assert r is not None
        mc.flags.writeable = False
        r.flags.writeable = False
        return mc, r, exact

    @once
    def nearest(self) -> np.ndarray:
        """``Mc``, the nearest floats of the matrix (read-only), without the radii: :attr:`enclosure`'s ``Mc`` when that was made or
        when ``L >= NEAREST_ALONE`` (the xor-quantum-dual checker then reads the radii: its lemma X1b needs ``L < 2^52``).

        >>> bm = BiasMatrix(((1, -2),), 3)
        >>> bm.nearest.tolist() == [[1 / 3, -2 / 3]] and bool((bm.nearest == bm.enclosure[0]).all())
        True
        """
        got = self.__dict__.get("enclosure")
        if got is not None or self.den >= NEAREST_ALONE:
            return self.enclosure[0]
        mc = self._nearest(False)[0]
        mc.flags.writeable = False
        return mc

    def _nearest(self, radii: bool) -> tuple[np.ndarray, np.ndarray | None, bool]:
        # the numpy routes (many entries, or a power-of-two denominator) read N from int64: converting Python ints to int64
        # and then to float64 is faster than to float64 directly (paper's game, N = 16: the enclosure 24 -> 9 us)
        # (the flat route of nearest_floats reads the entries kept from the validation: no int64 array, no second pass)
        flat = self.__dict__["_flat"]
        if _flat_route(len(flat), self.den, self.__dict__["_max_abs"]):
            return nearest_floats(self.ints, self.den, max_abs=self.__dict__["_max_abs"], radii=radii, flat=flat)
        numpy_route = self.rows * self.cols > _PYTHON_ENTRIES or self.den & (self.den - 1) == 0
        return nearest_floats(self.ints, self.den, max_abs=self.__dict__["_max_abs"], n64=self.int64 if numpy_route else None, radii=radii)


#: smallest ``L`` for which :attr:`BiasMatrix.nearest` makes the whole :attr:`BiasMatrix.enclosure` (its radii are read then)
NEAREST_ALONE = 2**52
#: most entries for which :func:`nearest_floats` works in Python floats (then one array each)
#: (best of 300, matrix made and enclosed: 4 x 4 16 us in Python against 20 in numpy, 8 x 8 33 against 27, 16 x 16 91 against 54)
_PYTHON_ENTRIES = 36
#: most entries for which :func:`nearest_floats` takes its flat route (one list of Python floats, one array; numpy calls cost
#: more than the arithmetic on the fresh-game path of a small certification)
_FLAT_ENTRIES = 4096


def _flat_route(entries: int, den: int, max_abs: int) -> bool:
    """Whether :func:`nearest_floats` takes its flat route: every ``|N| < 2^53`` and ``L < 2^53`` or ``L = 2^k``, ``k <= 1000``."""
    return entries <= _FLAT_ENTRIES and max_abs < 2**53 and (den < 2**53 or (den & (den - 1) == 0 and den.bit_length() <= 1001))


@overload
def nearest_floats(ints: Sequence[Sequence[int]], den: int, *, max_abs: int | None = None, n64: np.ndarray | None = None,
                   radii: Literal[True] = True, flat: list[int] | None = None) -> tuple[np.ndarray, np.ndarray, bool]: ...
@overload
def nearest_floats(ints: Sequence[Sequence[int]], den: int, *, max_abs: int | None = None, n64: np.ndarray | None = None,
                   radii: bool, flat: list[int] | None = None) -> tuple[np.ndarray, np.ndarray | None, bool]: ...
def nearest_floats(ints: Sequence[Sequence[int]], den: int, *, max_abs: int | None = None, n64: np.ndarray | None = None,
                   radii: bool = True, flat: list[int] | None = None) -> tuple[np.ndarray, np.ndarray | None, bool]:
    """``(Mc, r, exact)``: the nearest floats of ``M = N / L`` and float radii with ``|M - Mc| <= r`` exactly (lemma Q2's enclosure).

    ``Mc_xy`` is the correctly rounded quotient ``N_xy / L`` (IEEE division of
    two exact floats when both are below ``2^53``, else CPython's integer true
    division, also correctly rounded for integers of any size); so
    ``|M - Mc| <= ulp/2 <= spacing(|Mc|)`` (the spacing above ``|Mc|`` is at
    least the ulp on either side; in the subnormal range it is ``2^-1074``).
    ``r = spacing(|Mc|)``, and 0 (``exact``) when ``L = 2^k``, ``k <= 1000``, and
    every ``|N| < 2^53`` (then every quotient ``N 2^-k`` is a float exactly,
    neither subnormal nor rounded: ``np.ldexp`` of an exact float).
    ``max_abs`` (``max |N_xy|``) and ``n64`` (``N`` as int64), when given,
    must be exactly that (:class:`BiasMatrix` passes what it computed when it
    validated the matrix); they spare a second pass over the Python integers.
    ``radii=False`` returns ``None`` for ``r`` (the nearest floats alone, for a solver).
    Up to ``_FLAT_ENTRIES`` entries with every ``|N| < 2^53`` and ``L < 2^53``
    or ``L = 2^k`` (``k <= 1000``), the quotients are formed in one list of
    Python floats (``N / L`` of two exact floats, or ``N`` times the float
    ``2^-k``: the same correctly rounded values) and ``flat`` (``N``
    row-major, as :class:`BiasMatrix` keeps it) spares the flattening.

    >>> mc, r, exact = nearest_floats([[1], [-2]], 3)
    >>> Fraction(float(r[0, 0])) >= abs(Fraction(1, 3) - Fraction(float(mc[0, 0]))), exact, nearest_floats([[1]], 4)[2]
    (True, False, True)
    >>> mc, r, exact = nearest_floats([[3, 2**53 + 1]], 2**60)   # 2^53 + 1 is no float: rounded, so r > 0
    >>> exact, Fraction(float(mc[0, 1])) == Fraction(2**53, 2**60), bool(r[0, 1] > 0)
    (False, True, True)
    """
    if max_abs is None:
        max_abs = max(map(abs, itertools.chain.from_iterable(ints)))
    small = max_abs < 2**53  # every N_xy an exact float
    pow2 = den & (den - 1) == 0 and den.bit_length() <= 1001
    exact = small and pow2
    rows, cols = len(ints), len(ints[0])
    if _flat_route(rows * cols, den, max_abs):  # N_xy and L (or 2^-k) exact floats: one IEEE operation an entry, then one array
        flat = flat if flat is not None else list(itertools.chain.from_iterable(ints))
        if den < 2**53:
            mcl = [t / den for t in flat]  # int / int of integers below 2^53: CPython divides the exact floats (correctly rounded)
        else:
            scale = 2.0 ** (1 - den.bit_length())  # L = 2^k, k <= 1000: N 2^-k is exact (|N| >= 1 or 0: no subnormal)
            mcl = [t * scale for t in flat]
        mc = np.array(mcl, dtype=np.float64).reshape(rows, cols)  # finite: |N / L| < 2^53
        if not radii:
            return mc, None, exact
        return mc, np.zeros_like(mc) if exact else np.spacing(np.abs(mc)), exact
    if len(ints) * len(ints[0]) <= _PYTHON_ENTRIES and not exact:  # Python floats: less fixed cost than numpy calls (int / int is correctly rounded)
        rl = [[t / den for t in row] for row in ints]
        if not math.isfinite(sum(map(abs, itertools.chain.from_iterable(rl)))) and not all(math.isfinite(t) for row in rl for t in row):
            raise CertificateFormatError("entries of 'bias' must lie in the float range")
        mc = np.array(rl, dtype=np.float64)
        if not radii:
            return mc, None, exact
        return mc, np.array([[math.ulp(abs(t)) for t in row] for row in rl], dtype=np.float64), exact  # ulp = spacing
    if small:  # the N_xy as floats, exactly (from int64 when given: the same integers)
        nf = n64.astype(np.float64) if n64 is not None else np.array(ints, dtype=np.float64)
    if small and den < 2**53:
        mc = nf / float(den)
    elif exact:  # N_xy 2^-k, k <= 1000: exact (no subnormal: |N_xy| >= 1 or 0)
        mc = np.ldexp(nf, 1 - den.bit_length())
    else:
        mc = np.array([[t / den for t in row] for row in ints], dtype=np.float64)
    if not np.all(np.isfinite(mc)):
        raise CertificateFormatError("entries of 'bias' must lie in the float range")
    if not radii:
        return mc, None, exact
    r = np.zeros_like(mc) if exact else np.spacing(np.abs(mc))
    return mc, r, exact


def read_bias_matrix(cert: Mapping[str, Any], game: GameType) -> BiasMatrix:
    """The exact bias matrix of an ``xor-*`` certificate (:class:`BiasMatrix`, validated), checked against its header.

    The certificate holds ``denominator`` (the integer ``L >= 1``) and ``bias``
    (``rows`` lists of ``cols`` JSON integers ``N_xy``; their digits are limited
    by the certificate reader).  Checks, in this order: the header names an
    ``xor-matrix`` game; the shapes; then :class:`BiasMatrix`'s checks; its
    SHA-256 equals the header's.  Integer arithmetic only.

    >>> m = [[Fraction(1, 2), Fraction(-1, 2)]]
    >>> read_bias_matrix({"denominator": 2, "bias": [[1, -1]]}, XorMatrix.from_matrix(m)).ints
    ((1, -1),)
    """
    if not isinstance(game, XorMatrix):
        raise CertificateFormatError(f"an xor-* certificate names an 'xor-matrix' game; got {game.name!r}")
    den = cert.get("denominator")
    if isinstance(den, bool) or not isinstance(den, int) or den < 1:
        raise CertificateFormatError(f"certificate field 'denominator' must be a positive integer; got {str(den)[:40]}")
    raw = cert.get("bias")
    if not isinstance(raw, list) or len(raw) != game.rows:
        raise CertificateFormatError(f"certificate field 'bias' must be a list of rows = {game.rows} rows")
    for i, row in enumerate(raw):
        if not isinstance(row, list) or len(row) != game.cols:
            raise CertificateFormatError(f"row {i} of field 'bias' must be a list of cols = {game.cols} integers")
    bm = BiasMatrix(tuple(map(tuple, raw)), den)
    if bm.digest != game.digest:
        raise CertificateError("the matrix in field 'bias' does not match the game's sha256 in the header")
    return bm


def read_bias(cert: Mapping[str, Any], game: GameType) -> tuple[list[list[int]], int]:
    """:func:`read_bias_matrix` as ``(N, L)`` with ``N`` a list of lists.

    >>> m = [[Fraction(1, 2), Fraction(-1, 2)]]
    >>> read_bias({"denominator": 2, "bias": [[1, -1]]}, XorMatrix.from_matrix(m))
    ([[1, -1]], 2)
    """
    bm = read_bias_matrix(cert, game)
    return [list(row) for row in bm.ints], bm.den


#: vector entries of an ``xor-quantum-vectors`` certificate are ``k / 2^VECTOR_BITS`` with ``|k| <= 2^VECTOR_BITS``
VECTOR_BITS = 60
#: the grid rule of the vectors, for the certificate writer (:func:`bounds.xor.vector_ints`) and the checker's in-memory float form
#: (:func:`proofs.checkers.xor.check_xor_vectors_floats`): ``k = trunc(fl(t c))``, ``c = (1 - 2^-40) 2^60`` (a float exactly; unit
#: vectors keep norms at most ``1 - 2^-40``).  Soundness does not rest on it: the checker proves the norms of whatever integers it gets
DYADIC_SCALE = (1.0 - 2.0**-40) * 2.0**VECTOR_BITS

#: largest common denominator used by the integer routines (``sum |M| = 1`` then bounds every partial sum by it)
MAX_DENOMINATOR = 2**62


def common_denominator(m: Sequence[Sequence[Fraction]]) -> int:
    """The least common denominator ``L`` of the entries (so ``L M`` is an integer matrix with ``sum |L M| = L``).

    >>> common_denominator([[Fraction(1, 4), Fraction(-1, 6)], [Fraction(1, 3), Fraction(1, 4)]])
    12
    """
    return math.lcm(*{q.denominator for row in m for q in row})


#: most products ``rows * cols * dimension`` that :func:`strategy_total` (and the xor-quantum-vectors checker) forms in Python
#: integers: less fixed cost than the numpy calls of :func:`limb_trace` (medians of 200 fresh checks after a fresh solve, vector_ints
#: included, us: random 8 x 8 x 2 61 in Python against 81 in limbs, paper N = 8 63 against 91; paper N = 16 (512 products) 97
#: against 77, random 16 x 16 x 4 157 against 65)
PYTHON_PRODUCTS = 256
#: most products of :func:`strategy_total`'s limb-trace route (:func:`limb_trace`, lemma X2); above, ``N V`` is formed by lemma L
#: (:func:`proofs.exact.limb_matmul.exact_matmul`) (best of 3, us, limb trace against lemma L's ``N V``: 64 x 64 x 16 with 49-bit
#: ``N`` 908 against 1150, 100 x 100 x 14 with 4-bit ``N`` 364 against 896, with 49-bit ``N`` 2082 against 1579)
TRACE_PRODUCTS = 2**16
#: the int64 routes need every ``|N_xy|``, ``|u|``, ``|v|`` below ``2^INT64_RANGE`` (lemma L's input range)
INT64_RANGE = 62


@lru_cache(maxsize=256)
def _trace_plan(p_bits: int, n_bits: int, w_bits: int) -> tuple[int, int, int, int] | None:
    """``(ln, r, l, s)`` for :func:`limb_trace`: ``N`` in ``ln`` limbs of ``r`` bits, the vectors in ``l`` limbs of ``s`` bits, with
    ``ln r >= n_bits``, ``l s >= w_bits`` and ``p_bits + r + 2 s <= 62`` (lemma X2's no-overflow condition), the fewest limb
    products ``ln l^2`` (``ln <= 4``); ``None`` if none fits.

    >>> _trace_plan(11, 4, 60), _trace_plan(8, 49, 60), _trace_plan(60, 4, 60)
    ((1, 4, 3, 20), (4, 13, 3, 20), None)
    """
    n_bits, w_bits = max(n_bits, 1), max(w_bits, 1)
    best = None
    for ln in range(1, 5):
        r = -(-n_bits // ln)
        smax = (62 - p_bits - r) // 2
        if smax >= 1:
            lv = -(-w_bits // smax)
            if best is None or ln * lv * lv < best[0]:
                best = (ln * lv * lv, ln, r, lv, -(-w_bits // lv))
    return None if best is None else best[1:]


@lru_cache(maxsize=256)
def _digit_arrays(count: int, width: int) -> tuple[np.ndarray, np.ndarray]:
    """Shifts ``c width`` and masks (``2^width - 1``, the last ``-1``: all bits) of ``count`` two's-complement digits, shaped
    ``(count, 1, 1)`` (read-only)."""
    sh = (np.arange(count, dtype=np.int64) * width)[:, None, None]
    mk = np.array([(1 << width) - 1] * (count - 1) + [-1], dtype=np.int64)[:, None, None]
    sh.flags.writeable = mk.flags.writeable = False
    return sh, mk


@lru_cache(maxsize=256)
def _trace_shifts(ln: int, r: int, lv: int, s: int) -> list[int]:
    return [a * r + s * (b + c) for b in range(lv) for a in range(ln) for c in range(lv)]


def limb_trace(n64: np.ndarray, n_bits: int, w: np.ndarray, rows: int, w_bits: int) -> int | None:
    """``sum_xy N_xy <u_x, v_y> = trace(U^T N V)`` exactly, in int64 limbs of all three factors (lemma X2); ``None`` when no limb
    widths fit (:func:`_trace_plan`).

    ``n64`` is ``N`` (``rows x cols``, int64, ``|N| < 2^n_bits``); ``w`` stacks ``U`` (``rows x d``) on ``V`` (``cols x d``) (int64,
    ``|w| <= 2^w_bits``; ``n_bits, w_bits <= 62``).  Each factor is written in two's-complement digits (``z = sum_c 2^(s c) z_c``,
    ``z_c = (z >> s c) & (2^s - 1)`` in ``[0, 2^s)`` and the top digit ``z >> s (l - 1)``, the floor quotient, in ``[-2^s, 2^s]``);
    the ``ln l^2`` traces ``T_bac = sum_xt (U_c)_xt (N_a V_b)_xt`` are two int64 matrix products whose partial sums stay below
    ``rows cols d 2^(r + 2 s) < 2^62`` (in any order), and ``sum 2^(a r + s (b + c)) T_bac`` is taken in Python integers.

    >>> a = np.array([[2**61 - 1, -3]]); w = np.array([[2**60], [-(2**60)], [2**60 - 1]])
    >>> limb_trace(a, 61, w, 1, 60) == (2**61 - 1) * 2**60 * -(2**60) - 3 * 2**60 * (2**60 - 1)
    True
    """
    cols = n64.shape[1]
    d = w.shape[1]
    plan = _trace_plan((rows * cols * d).bit_length(), n_bits, w_bits)
    if plan is None:
        return None
    ln, r, lv, s = plan
    sv, mv = _digit_arrays(lv, s)
    wl = (w[None] >> sv) & mv  # [c, z, t]: digit c of w_zt
    nl = n64
    if ln > 1:
        sn, mn = _digit_arrays(ln, r)
        nl = ((n64[None] >> sn) & mn).reshape(ln * rows, cols)  # [a rows + x, y] = (N_a)_xy
    p = nl @ wl[:, rows:]  # [b, a rows + x, t] = (N_a V_b)_xt
    t = p.reshape(lv, ln, rows * d) @ wl[:, :rows].reshape(lv, rows * d).T  # [b, a, c] = T_bac
    return sum(map(operator.lshift, t.ravel().tolist(), _trace_shifts(ln, r, lv, s)))


def stacked_total(ints: Sequence[Sequence[int]], w: np.ndarray, rows: int, n64: np.ndarray, max_abs: int, entry_bits: int) -> int:
    """:func:`strategy_total`'s int64 routes: ``w`` stacks ``U`` on ``V`` (int64, ``|w| <= 2^entry_bits``, ``entry_bits <= 62``),
    ``n64`` is ``N`` with ``max |N| = max_abs < 2^62``: :func:`limb_trace` up to :data:`TRACE_PRODUCTS` products, else ``N V``
    by lemma L (:func:`proofs.exact.limb_matmul.exact_matmul`).

    >>> stacked_total([[1, -1]], np.array([[3], [2], [5]]), 1, np.array([[1, -1]]), 1, 3)
    -9
    """
    if len(ints) * len(ints[0]) * w.shape[1] <= TRACE_PRODUCTS:
        tot = limb_trace(n64, max_abs.bit_length(), w, rows, entry_bits)
        if tot is not None:
            return tot
    return sum(map(operator.mul, w[:rows].ravel().tolist(), exact_matmul(n64, np.ascontiguousarray(w[rows:])).ravel().tolist()))


def _int64_rows(w: Any) -> np.ndarray | None:
    """``w`` (rows of Python ints, or an int64 array) as an int64 array when every entry is below ``2^INT64_RANGE``, else ``None``."""
    if isinstance(w, np.ndarray) and w.dtype == np.int64:
        return w if max(int(w.max()), -int(w.min())) < 2**INT64_RANGE else None
    w = _rows(w)
    return np.array(w, dtype=np.int64) if max(map(abs, itertools.chain.from_iterable(w))) < 2**INT64_RANGE else None


def _rows(w: Any) -> list[list[int]]:
    return w.tolist() if isinstance(w, np.ndarray) else w  # (an array of integers: Python ints)


def strategy_total(ints: Sequence[Sequence[int]], u: Any, v: Any, n64: np.ndarray | None = None, *, max_abs: int | None = None,
                   entry_bits: int | None = None) -> int:
    """``sum_xy N_xy <u_x, v_y>`` exactly: Python integers for small strategies (``rows cols d <= PYTHON_PRODUCTS``), int64 limbs
    of all three factors up to ``TRACE_PRODUCTS`` (:func:`limb_trace`), ``N V`` by lemma L above (when ``|N|``, ``|u|``,
    ``|v| < 2^62``; else Python integers).

    ``u`` (``rows x d``), ``v`` (``cols x d``): lists of rows of Python ints, or int64 arrays.  ``n64``, ``max_abs``: ``N`` as
    int64 and ``max |N_xy|`` (:attr:`BiasMatrix.int64`, :attr:`BiasMatrix.max_abs`), if known; ``entry_bits``: a ``b <= 62``
    with every ``|u|, |v| <= 2^b``, if known (the checker's exact norm test gives 60); whatever is not given is computed.

    >>> strategy_total([[1, -1]], [[3]], [[2], [5]])
    -9
    >>> strategy_total([[1, -1]], np.array([[3]]), np.array([[2], [5]]))
    -9
    """
    rows, cols = len(ints), len(ints[0])
    d = u.shape[1] if isinstance(u, np.ndarray) else len(u[0])
    if rows * cols * d > PYTHON_PRODUCTS:
        if max_abs is None:
            max_abs = max(map(abs, itertools.chain.from_iterable(ints)))
        if n64 is None and max_abs < 2**INT64_RANGE:
            n64 = np.array(ints, dtype=np.int64)
        if n64 is not None and (ua := _int64_rows(u)) is not None and (va := _int64_rows(v)) is not None:
            if entry_bits is None:
                entry_bits = max(int(ua.max()), -int(ua.min()), int(va.max()), -int(va.min())).bit_length()
            return stacked_total(ints, np.concatenate((ua, va)), rows, n64, max_abs, entry_bits)
        return strategy_sum([list(row) for row in ints], _rows(u), _rows(v))
    u, v = _rows(u), _rows(v)
    vt = list(zip(*v))  # the d coordinates of Bob's vectors, each over the cols inputs
    tot = 0
    for nrow, urow in zip(ints, u):
        for ut, vcol in zip(urow, vt):
            if ut:
                tot += ut * sum(map(operator.mul, nrow, vcol))
    return tot
