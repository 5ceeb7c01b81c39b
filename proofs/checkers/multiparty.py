"""Checker of the NPA dual certificates of K-party correlator games (kind ``"npa-multiparty-dual"``, lemma N1).

The game is carried inline with exact integer weights (:mod:`proofs.exact.correlator_game`);
the certificate names an NPA level (``"1"``, ``"1+ab"``, ``"1+ab+abc"`` or ``"1+ab+abc+abcd"``) whose moment structure the
checker rebuilds itself (:func:`proofs.exact.npa_moments.moment_structure`), and a dual
matrix ``Z`` given as its upper triangle (row-major, diagonal included) of integers
``k`` with ``Z = k / 2^E`` (field ``dual_exponent`` ``E``), every ``|k| < 2^53`` so that
each entry is a float exactly.  Lemma N1 (``proofs/lemmas_quantum.md``): if ``Z`` is PSD,
every quantum strategy's value is at most

``constant + tr Z + sum_{m != 1} |s_m + c_m|``,

``s_m`` the sum of ``Z`` over the entries whose moment is ``m`` and ``c_m`` the game's
weight on ``m`` (0 if none).  The sums are exact (integers, :func:`proofs.exact.npa_moments.grouped_sums`);
PSD is decided exactly (rational LDL^T) up to side :data:`EXACT_PSD_LIMIT`, above by one
verified Cholesky (Theorem V, :func:`proofs.exact.psd.verified_psd`).

Imports only :mod:`proofs.exact` and numpy.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from proofs.checkers.bound import Bound, Target, _issue
from proofs.exact.certificate import certificate_header, field_int, field_list
from proofs.exact.correlator_game import CorrelatorDescription, ExactCorrelator, read_correlator
from proofs.exact.errors import CertificateError, CertificateFormatError, QcoordParameterError
from proofs.exact.npa_moments import LEVELS, MomentStructure, moment_structure, proven_value
from proofs.exact.psd import exact_psd, verified_psd
from proofs.exact.rational import show_rational

__all__ = ["DUAL_BITS", "EXACT_PSD_LIMIT", "KIND", "check_npa_multiparty_dual"]

KIND = "npa-multiparty-dual"
#: largest side whose dual matrix is tested exactly in rational arithmetic
EXACT_PSD_LIMIT = 24
#: dual entries are ``k / 2^E`` with ``|k| < 2^DUAL_BITS`` (exact floats)
DUAL_BITS = 53
#: largest exponent ``E`` (``|k| >= 1`` then keeps ``k / 2^E`` a normal float)
MAX_EXPONENT = 1000


def _structure(game: ExactCorrelator, level: Any) -> MomentStructure:
    if level not in LEVELS:
        raise CertificateFormatError(f"certificate field 'level' must be one of {LEVELS}; got {str(level)[:20]!r}")
    try:
        return moment_structure(game.K, game.N, level)
    except QcoordParameterError as exc:
        raise CertificateFormatError(str(exc)) from exc


def _dual(cert: dict[str, Any], n: int) -> tuple[np.ndarray, int]:
    e = field_int(cert, "dual_exponent", 0, MAX_EXPONENT)
    raw = field_list(cert, "dual", n * (n + 1) // 2)
    if any(type(t) is not int or not -(2**DUAL_BITS) < t < 2**DUAL_BITS for t in raw):
        raise CertificateFormatError(f"entries of field 'dual' must be JSON integers of magnitude below 2^{DUAL_BITS}")
    z = np.zeros((n, n), dtype=np.int64)
    iu = np.triu_indices(n)
    z[iu] = np.array(raw, dtype=np.int64)
    z.T[iu] = z[iu]
    return z, e


def _psd(z: np.ndarray, e: int) -> str:
    n = z.shape[0]
    if n <= EXACT_PSD_LIMIT:
        res = exact_psd([[Fraction(int(v), 2**e) for v in row] for row in z.tolist()])
    else:
        res = verified_psd(np.ldexp(z.astype(np.float64), -e))  # exact: |k| < 2^53 and k 2^-e is normal
    if not res.ok:
        raise CertificateError(f"dual matrix Z is not proved positive semidefinite ({res.method}: {res.reason})")
    return res.method


def check_npa_multiparty_dual(cert: dict[str, Any], source: str) -> Bound:
    """Verify an ``"npa-multiparty-dual"`` certificate: the quantum value is ``<= bound`` (lemma N1).

    >>> from proofs.exact.certificate import new_certificate
    >>> g = CorrelatorDescription.from_weights(2, 1, {(0, 1): [Fraction(1, 2)]}, Fraction(1, 2), "win")
    >>> c = new_certificate(KIND, g, 1, "upper", Fraction(1), level="1", denominator=2, constant=1,
    ...                     terms=[{"players": [0, 1], "weights": [1]}], dual_exponent=2, dual=[0, 0, 0, 1, -1, 1])
    >>> check_npa_multiparty_dual(c, "demo").value
    Fraction(1, 1)
    """
    hd = certificate_header(cert, KIND, "upper")
    game = read_correlator(cert, hd.game)
    assert isinstance(hd.game, CorrelatorDescription)
    if hd.n != game.N:
        raise CertificateFormatError(f"an {KIND!r} certificate has N = the game's inputs per player ({game.N}); got N = {hd.n}")
    ms = _structure(game, cert.get("level"))
    z, e = _dual(cert, ms.size)
    proven, residual = proven_value(ms, game, z, e)
    if hd.bound < proven:
        raise CertificateError(f"claimed upper bound {show_rational(hd.bound)} is below what the dual proves ({show_rational(proven)})")
    method = _psd(z, e)
    return _issue(
        "upper", hd.bound, Target(hd.game.describe(), game.N, "quantum"), source,
        f"proofs.checkers.multiparty:check_npa_multiparty_dual (lemma N1, NPA level {ms.level}, {method})",
        proven=proven, residual=residual, level=ms.level, psd_method=method, size=ms.size,
    )
