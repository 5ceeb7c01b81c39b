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
from typing import Any, ClassVar, Literal, overload

import numpy as np

from proofs.exact.errors import CertificateError, CertificateFormatError
from proofs.exact.games import GameDescriptionError, GameType, check_params, register_game_type
from proofs.exact.limb_matmul import _bits, _limbs, exact_matmul, strategy_sum
from proofs.exact.once import once

__all__ = [
    "MAX_ENTRIES",
    "MAX_SIDE",
    "BiasMatrix",
    "XorMatrix",
    "bias_digest",
    "common_denominator",
    "integer_digest",
    "integer_form",
    "nearest_floats",
    "read_bias",
    "read_bias_matrix",
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
    if isinstance(v, str) and v.isdigit() and len(v) <= 5:
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


#: largest common denominator used by the integer routines (``sum |M| = 1`` then bounds every partial sum by it)
MAX_DENOMINATOR = 2**62


def common_denominator(m: Sequence[Sequence[Fraction]]) -> int:
    """The least common denominator ``L`` of the entries (so ``L M`` is an integer matrix with ``sum |L M| = L``).

    >>> common_denominator([[Fraction(1, 4), Fraction(-1, 6)], [Fraction(1, 3), Fraction(1, 4)]])
    12
    """
    return math.lcm(*{q.denominator for row in m for q in row})


#: most products ``rows * cols * dimension`` that :func:`strategy_total` forms in Python integers (less fixed cost); from
#: there (exclusive) up to :data:`FLINT_PRODUCTS` it forms ``U^T (N V)`` in python-flint integer matrices (``fmpz_mat``: exact,
#: arbitrary size; three conversions and two products); best of 5 x 2000 on random ``N`` (|N| <= 1000) and 60-bit vectors,
#: Python integers or limbs against flint: 8 x 8 x 4 33 -> 23 us, 12 x 12 x 4 64 -> 38, 16 x 16 x 5 75 -> 64; 4 x 4 x 3 9.2
#: against 9.7, 32 x 32 x 4 111 against 173 (the other routes there)
FLINT_MIN_PRODUCTS = 100
#: most products ``rows * cols * dimension`` of :func:`strategy_total`'s flint route; larger strategies go through int64 limbs
#: (lemma L of :mod:`proofs.exact.limb_matmul`; with ``N`` already in int64)
FLINT_PRODUCTS = 1536
#: most products for which the limb products are combined entry by entry in Python integers (:func:`_limb_products`);
#: above, :func:`proofs.exact.limb_matmul.exact_matmul` combines them in object arrays
LIMB_OBJECTS = 2**16


def _limb_products(a: np.ndarray, b: np.ndarray) -> list[int]:
    """``A B`` exactly, row-major, as Python integers: lemma L's limb products ``A_t B_u`` (int64, exact) combined per entry.

    ``a``, ``b`` are int64 with entries of magnitude below ``2^62``; the limb
    width ``s = floor((62 - bitlen(k)) / 2)`` and the splitting are lemma L's
    (:func:`proofs.exact.limb_matmul._limbs`), so every entry of ``A_t B_u``
    is a sum of ``k`` terms below ``2^(2s)``, below ``2^62`` in every order;
    ``A B = sum_tu 2^(s (t + u)) A_t B_u`` is then summed in Python integers.

    >>> _limb_products(np.array([[2**61 - 1, -3]]), np.array([[2**60 + 5], [7]]))[0] == (2**61 - 1) * (2**60 + 5) - 21
    True
    """
    k = a.shape[1]
    s = (62 - k.bit_length()) // 2
    la = max(1, -(-_bits(a) // s))
    lb = max(1, -(-_bits(b) // s))
    al, bl = _limbs(a, s, la), _limbs(b, s, lb)
    out = [0] * (a.shape[0] * b.shape[1])
    for t in range(la):
        for w in range(lb):
            sh = s * (t + w)
            p = (al[t] @ bl[w]).ravel().tolist()
            out = [o + (q << sh) for o, q in zip(out, p)]
    return out


def _flint_total(ints: Sequence[Sequence[int]], u: list[list[int]], v: list[list[int]]) -> int:
    """``sum_xy N_xy <u_x, v_y> = trace(U^T (N V))`` in python-flint's exact integer matrices (``fmpz_mat``, any sizes of entries).

    >>> _flint_total([[1, -1]], [[3]], [[2], [5]])
    -9
    """
    from flint import fmpz_mat  # (imported on first use: python-flint loads in about 50 ms)

    p = fmpz_mat(u).transpose() * (fmpz_mat(ints if type(ints) is tuple else [list(row) for row in ints]) * fmpz_mat(v))  # d x d
    return sum([int(p[t, t]) for t in range(len(u[0]))])


def strategy_total(ints: Sequence[Sequence[int]], u: list[list[int]], v: list[list[int]], n64: np.ndarray | None = None) -> int:
    """``sum_xy N_xy <u_x, v_y>`` exactly (Python integers for small strategies, python-flint's integer matrices for mid-sized
    ones (:data:`FLINT_MIN_PRODUCTS` < ``rows cols d`` <= :data:`FLINT_PRODUCTS`), else lemma L's limbs).

    ``n64``, if given, is ``N`` as an int64 array (:attr:`BiasMatrix.int64`: every ``|N_xy| < 2^62``), so the limb route
    need not convert and scan ``ints`` again.

    >>> strategy_total([[1, -1]], [[3]], [[2], [5]])
    -9
    """
    rows, cols, d = len(ints), len(ints[0]), len(u[0])
    if FLINT_MIN_PRODUCTS < rows * cols * d <= FLINT_PRODUCTS:
        return _flint_total(ints, u, v)
    if rows * cols * d > FLINT_PRODUCTS:
        lim = 2**62
        if n64 is None and max(map(abs, itertools.chain.from_iterable(ints))) < lim:
            n64 = np.array(ints, dtype=np.int64)
        if n64 is not None and max(map(abs, itertools.chain.from_iterable(v))) < lim:
            if rows * cols * d > LIMB_OBJECTS:
                nv = exact_matmul(n64, np.array(v, dtype=np.int64)).ravel().tolist()  # lemma L
            else:
                nv = _limb_products(n64, np.array(v, dtype=np.int64))
            return sum(map(operator.mul, itertools.chain.from_iterable(u), nv))
        return strategy_sum([list(row) for row in ints], u, v)
    vt = list(zip(*v))  # the d coordinates of Bob's vectors, each over the cols inputs
    tot = 0
    for nrow, urow in zip(ints, u):
        for ut, vcol in zip(urow, vt):
            if ut:
                tot += ut * sum(map(operator.mul, nrow, vcol))
    return tot
