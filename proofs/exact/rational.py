"""Exact rationals: parsing with size limits, the one ``p/q`` formatter, outward rounding.

A certificate stores every number exactly, as a JSON integer or a ``"p/q"``
string.  :func:`parse_fraction` reads one, checking its length and digit
counts *before* any big-integer arithmetic, so a hostile ``"1e-999999999"``
or a 4000-digit integer is refused in microseconds instead of allocating
gigabytes.

>>> parse_fraction("33/100"), fraction_str(Fraction(1, 3))
(Fraction(33, 100), '1/3')
"""

from __future__ import annotations

import math
import re
from fractions import Fraction
from typing import Any

from proofs.exact.errors import CertificateFormatError, QcoordParameterError

__all__ = [
    "MAX_DIGITS",
    "arb_fraction",
    "exact_parameter",
    "float_down",
    "float_up",
    "fraction_str",
    "parse_fraction",
    "show_rational",
    "to_float",
]

#: most decimal digits allowed in a numerator or denominator (a double's exact
#: rational needs at most 767 significant digits, but its ``p/q`` form has a
#: power-of-two denominator of at most 324 digits and a numerator of at most 309)
MAX_DIGITS = 400

_RATIONAL = re.compile(r"[+-]?[0-9]+(/[0-9]+)?")
_DECIMAL = re.compile(r"[+-]?[0-9]+\.[0-9]+")


def parse_fraction(x: Any, name: str = "value", *, max_digits: int = MAX_DIGITS) -> Fraction:
    """Read an exact rational: a JSON integer, a ``"p/q"`` or plain decimal string, or a Fraction.

    Floats, booleans, exponent notation (``"1e-5"``), ``NaN`` and infinities
    are refused, as are numbers with more than ``max_digits`` digits in the
    numerator or denominator (checked before conversion).

    >>> parse_fraction("-7/21"), parse_fraction("0.125"), parse_fraction(3)
    (Fraction(-1, 3), Fraction(1, 8), Fraction(3, 1))
    >>> parse_fraction(0.5)
    Traceback (most recent call last):
    ...
    proofs.exact.errors.CertificateFormatError: `value` must be an exact rational ("p/q" string or integer); got 0.5
    >>> parse_fraction("1e-999999999", "C")
    Traceback (most recent call last):
    ...
    proofs.exact.errors.CertificateFormatError: `C` must be an integer, a "p/q" string or a plain decimal; got '1e-999999999'
    """
    if isinstance(x, bool):
        raise CertificateFormatError(f"`{name}` must be an exact rational; got {x!r}")
    if isinstance(x, Fraction):
        if _digits(x.numerator) > max_digits or _digits(x.denominator) > max_digits:
            raise CertificateFormatError(f"`{name}` has more than {max_digits} digits")
        return x
    if isinstance(x, int):
        if _digits(x) > max_digits:
            raise CertificateFormatError(f"`{name}` has more than {max_digits} digits")
        return Fraction(x)
    if isinstance(x, str):
        if len(x) > 2 * max_digits + 3:
            raise CertificateFormatError(f"`{name}` is longer than {2 * max_digits + 3} characters")
        if _RATIONAL.fullmatch(x) is None and _DECIMAL.fullmatch(x) is None:
            raise CertificateFormatError(f"`{name}` must be an integer, a \"p/q\" string or a plain decimal; got {x[:40]!r}")
        for part in re.split(r"[/.]", x.lstrip("+-")):
            if len(part) > max_digits:
                raise CertificateFormatError(f"`{name}` has more than {max_digits} digits in one part")
        try:
            return Fraction(x)
        except ZeroDivisionError as exc:
            raise CertificateFormatError(f"`{name}` has a zero denominator: {x!r}") from exc
    raise CertificateFormatError(f"`{name}` must be an exact rational (\"p/q\" string or integer); got {str(x)[:40]}")


def _digits(k: int) -> int:
    # an upper bound on the decimal digits of k without converting it to a string
    return (abs(k).bit_length() * 30103) // 100000 + 1


def fraction_str(x: float | Fraction | int) -> str:
    """An int, float or rational as its exact ``"p/q"`` string (floats read exactly).

    >>> fraction_str(0.375), fraction_str(Fraction(-1, 3)), fraction_str(2)
    ('3/8', '-1/3', '2/1')
    """
    if isinstance(x, float):
        if not math.isfinite(x):
            raise QcoordParameterError(f"only finite numbers have an exact rational; got {x!r}")
        p, q = x.as_integer_ratio()  # lowest terms, positive denominator: the same string as through Fraction
        return f"{p}/{q}"
    f = Fraction(x)
    return f"{f.numerator}/{f.denominator}"


def exact_parameter(x: float | int | Fraction | str, name: str = "parameter") -> Fraction:
    """The rational a certificate uses for a user-given number.

    A float is read as its shortest decimal (``0.33`` means ``33/100``: the
    number the user typed, which the float approximates); every finite float
    has one, with at most 17 significant digits.  Strings are parsed exactly.

    >>> exact_parameter(0.33), exact_parameter(0.1 + 0.2), exact_parameter("2/3")
    (Fraction(33, 100), Fraction(7500000000000001, 25000000000000000), Fraction(2, 3))
    """
    if isinstance(x, str):
        return parse_fraction(x, name)
    if isinstance(x, bool) or not isinstance(x, (int, float, Fraction)):
        raise QcoordParameterError(f"`{name}` must be a number; got {type(x).__name__}")
    if isinstance(x, (int, Fraction)):
        return Fraction(x)
    if not math.isfinite(x):
        raise QcoordParameterError(f"`{name}` must be finite; got {x!r}")
    return Fraction(repr(float(x)))


def to_float(x: Fraction | int, direction: int = 0) -> float:
    """``x`` as a float that never raises: nearest (``direction = 0``), ``<= x`` (-1) or ``>= x`` (+1).

    A rational beyond the float range becomes ``-inf`` or ``inf`` (``float(x)``
    raises ``OverflowError`` there), the safe side for a bound rounded outward.

    >>> to_float(Fraction(1, 3)) == 1 / 3, to_float(-10**400), to_float(10**400, -1)
    (True, -inf, 1.7976931348623157e+308)
    """
    try:
        f = float(x)
    except OverflowError:
        f = math.inf if x > 0 else -math.inf
    if direction == 0:
        return f
    # the float is above x: step down for a lower value (inf is above every rational); below x: step up
    above = f > 0 if math.isinf(f) else Fraction(f) > x
    below = f < 0 if math.isinf(f) else Fraction(f) < x
    if direction < 0 and above:
        return math.nextafter(f, -math.inf)
    if direction > 0 and below:
        return math.nextafter(f, math.inf)
    return f


def show_rational(x: Fraction | int, digits: int = 12) -> str:
    """``x`` for a message: ``format(float(x), ".{digits}g")`` when it fits a float, else exact scientific notation.

    Never raises (a certificate may hold rationals far beyond the float range).

    >>> show_rational(Fraction(2, 3)), show_rational(-10**400), show_rational(Fraction(1, 7 * 10**400), 4)
    ('0.666666666667', '-1e+400', '1.429e-401')
    """
    q = Fraction(x)
    if q == 0:
        return "0"
    a = abs(q)
    if Fraction(1, 10**300) < a < 10**300:
        return format(float(q), f".{digits}g")
    # exponent e with 10^e <= a < 10^(e+1), from the digit counts (then corrected by one comparison each way)
    e = len(str(a.numerator)) - len(str(a.denominator))
    if a < Fraction(10) ** e:
        e -= 1
    scaled = a / Fraction(10) ** (e - digits + 1)  # in [10^(digits-1), 10^digits)
    m = round(scaled)
    if m >= 10**digits:
        m //= 10
        e += 1
    mant = str(m).rstrip("0") or "0"
    mant = mant[0] + ("." + mant[1:] if len(mant) > 1 else "")
    return f"{'-' if q < 0 else ''}{mant}e{'+' if e >= 0 else '-'}{abs(e):02d}"


def float_down(x: Fraction | Any) -> float:
    """A float ``<= x`` (correctly rounded, then stepped down one ulp)."""
    return math.nextafter(float(x), -math.inf)


def float_up(x: Fraction | Any) -> float:
    """A float ``>= x``."""
    return math.nextafter(float(x), math.inf)


def arb_fraction(q: Fraction) -> Any:
    """An arb ball containing the rational ``q`` (at the current flint precision).

    The numerator and the denominator become exact arb integers; their quotient
    is the one rounded operation, outward at ``flint.ctx.prec`` bits (radius 0
    when ``q`` is a dyadic rational that fits the precision).  The one
    fraction-to-arb conversion of the checker core: every module of
    :mod:`proofs.exact` calls it.

    >>> from flint import arb
    >>> arb_fraction(Fraction(1, 3)).contains(arb(1) / 3)
    True
    """
    from flint import arb

    return arb(q.numerator) / arb(q.denominator)
