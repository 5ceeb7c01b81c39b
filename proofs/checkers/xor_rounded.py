"""Checker of the ``xor-classical-rounded`` kind (lemma X7 in ``proofs/lemmas_classical.md``).

A classical upper bound on an XOR game ``M`` from a certified classical upper
bound on a nearby game ``M'``: every deterministic strategy ``(a, b)`` has
``|a^T M b - a^T M' b| <= sum |M - M'|``, so

    w_c(M) <= w_c(M') + sum |M - M'| / 2.

The branch and bound (lemmas X5, X6) needs a common denominator below
``2^53``; games read from floats have ``10^17`` and more.  Their producer
rounds ``M`` towards zero to ``M' = trunc(2^52 M) / 2^52`` (``|M'| <= |M|``,
so ``M'`` is a game), proves ``w_c(M')`` by an ``xor-classical-bnb`` (or an
exhaustive ``xor-classical``) certificate, and nests that certificate in the
field ``rounded``.  The checker verifies the nested certificate with its own
checker, reads ``M'`` from it (the nested checker has validated it and its
SHA-256), computes ``sum |M - M'|`` exactly, and requires the claim to be at
least the nested bound plus half of it.

>>> from proofs.exact.certificate import new_certificate
>>> from proofs.exact.xor_matrix import XorMatrix
>>> from fractions import Fraction as F
>>> m = [[F(1, 4), F(1, 4)], [F(1, 4), F(-1, 4)]]
>>> inner = new_certificate("xor-classical", XorMatrix.from_matrix(m), 2, "upper", F(3, 4), denominator=4, bias=[[1, 1], [1, -1]],
...                         search="exhaustive")
>>> m2 = [[F(1, 4), F(1, 4)], [F(1, 4), F(-1, 4) + F(1, 8)]]   # not a rounding, but any game of the same shape is allowed
>>> c = new_certificate("xor-classical-rounded", XorMatrix.from_matrix(m2), 2, "upper", F(3, 4) + F(1, 16), denominator=8,
...                     bias=[[2, 2], [2, -1]], rounded=inner)
>>> check_xor_classical_rounded(c, "demo").value
Fraction(13, 16)
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from proofs.checkers.bound import Bound, _issue
from proofs.checkers.xor import _game, _target, check_xor_classical
from proofs.checkers.xor_bnb import check_xor_classical_bnb
from proofs.exact.errors import CertificateError, CertificateFormatError
from proofs.exact.rational import show_rational

__all__ = ["check_xor_classical_rounded"]

_INNER = {"xor-classical-bnb": check_xor_classical_bnb, "xor-classical": check_xor_classical}


def check_xor_classical_rounded(cert: dict[str, Any], source: str) -> Bound:
    """Verify an ``"xor-classical-rounded"`` certificate (module docstring): an upper bound on the classical winning probability."""
    side = cert.get("side") if isinstance(cert, dict) else None
    if side != "upper":
        raise CertificateFormatError(f"an 'xor-classical-rounded' certificate is an upper bound (side 'upper'); got {str(side)[:20]!r}")
    hd, game, bm = _game(cert, "xor-classical-rounded", "upper")
    inner = cert.get("rounded")
    if not isinstance(inner, dict) or inner.get("kind") not in _INNER or inner.get("side") != "upper":
        raise CertificateFormatError("field 'rounded' must be an upper 'xor-classical-bnb' or 'xor-classical' certificate")
    kind = inner["kind"]
    nested = _INNER[kind](inner, source)
    if nested.side != "upper" or nested.target.player_model != "classical":
        raise CertificateError("the nested certificate does not bound a classical value from above")
    _, game2, bm2 = _game(inner, kind, "upper")
    if (game2.rows, game2.cols) != (game.rows, game.cols):
        raise CertificateFormatError(f"the nested game is {game2.rows} x {game2.cols}; this game is {game.rows} x {game.cols}")
    den, den2 = bm.den, bm2.den
    gap = sum(abs(t * den2 - t2 * den) for row, row2 in zip(bm.ints, bm2.ints) for t, t2 in zip(row, row2))
    proven = nested.value + Fraction(gap, 2 * den * den2)  # lemma X7: w_c(M) <= w_c(M') + sum |M - M'| / 2
    if hd.bound < proven:
        raise CertificateError(f"claimed upper bound {show_rational(hd.bound)} is below the nested bound plus half the distance "
                               f"sum |M - M'| ({show_rational(proven)})")
    return _issue("upper", hd.bound, _target(game, "classical"), source,
                  f"proofs.checkers.xor_rounded:check_xor_classical_rounded (lemma X7, nested {kind})", proven=proven)
