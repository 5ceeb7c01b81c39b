"""Continuum classical upper bound from an N-bin branch and bound, for any game with a cell enclosure.

``classical-bnb-relaxed`` (upper bound, continuum target; ``N`` is null and
``bins`` the N of the N-bin game) carries the fields of a ``classical-bnb``
certificate.  It is valid for every game type
:func:`proofs.exact.cells.cell_enclosure` knows, including the sum-threshold
games of the law catalogue, which have no one-dimensional continuum programme
(``classical-dp``).

Lemma C3 (the classical twin of lemma Q3 in ``proofs/lemmas_quantum.md``):
for a continuum strategy ``g(a), h(b)`` in ``{-1, +1}`` with bin averages
``gbar_i, hbar_j`` in ``[-1, 1]``, a cell where the rule is constant
contributes ``M_ij gbar_i hbar_j``; a crossed cell contributes at most
``M_ij gbar_i hbar_j + (1 - rho_ij^2)/N^2`` (``rho_ij = N^2 M_ij``: write
``r = rho + (r - rho)`` and bound ``|integral (r - rho) g h| <= integral |r - rho|``).
The bilinear form ``gbar^T M hbar`` on the box ``[-1, 1]^N x [-1, 1]^N`` is
maximal at a vertex, i.e. at an N-bin strategy, so the continuum value is at
most the N-bin value plus half the slack ``sum_crossed (1 - rho^2)/N^2``.

(The matching lower bound needs no new kind: a ``classical-strategy``
certificate with ``N`` null is a step strategy read as a continuum strategy.)
"""

from __future__ import annotations

from typing import Any

from proofs.checkers.bound import Bound, Target, _issue
from proofs.exact.cells import MAX_N, cell_enclosure
from proofs.exact.certificate import certificate_header, field_int
from proofs.exact.errors import CertificateError, CertificateFormatError
from proofs.exact.rational import show_rational

__all__ = ["check_bnb_relaxed"]


def check_bnb_relaxed(cert: dict[str, Any], source: str) -> Bound:
    """Upper bound on the continuum classical value: N-bin branch and bound + crossed-cell slack (lemma C3).

    >>> from bounds.classical_exact import exact_classical
    >>> from games import linear_boundary_game
    >>> up = exact_classical(linear_boundary_game(), 8).certificates["upper"]
    >>> b = check_bnb_relaxed({**up, "kind": "classical-bnb-relaxed", "N": None, "bound": "41/50"}, "demo")
    >>> b.target.n is None, b.details["slack"], round(float(b.details["proven"]), 9)   # 8 half cells: 3/4 + (8/64)/2
    (True, Fraction(1, 8), 0.8125)
    """
    from proofs.checkers.classical import check_bnb
    from proofs.checkers.quantum import relaxation_slack

    hd = certificate_header(cert, "classical-bnb-relaxed", "upper")
    if hd.n is not None:
        raise CertificateFormatError(f"a 'classical-bnb-relaxed' certificate bounds the continuum game: 'N' must be null; got {hd.n}")
    n = field_int(cert, "bins", 1, MAX_N)
    # the N-bin part is exactly a classical-bnb certificate; its claimed bound may be the (larger) continuum one
    nbin = check_bnb({**cert, "kind": "classical-bnb", "N": n}, source)
    slack = relaxation_slack(cell_enclosure(hd.game, n), "mean")
    proven = nbin.details["proven"] + slack / 2
    if hd.bound < proven:
        raise CertificateError(f"claimed upper bound {show_rational(hd.bound)} is below what the relaxation proves ({show_rational(proven)})")
    return _issue(
        "upper", hd.bound, Target(hd.game.describe(), None, "classical"), source,
        "proofs.checkers.classical_relaxed:check_bnb_relaxed (exact chain DP per leaf K; lemma C3 crossed-cell relaxation)",
        proven=proven, slack=slack, n_bin_upper=nbin.details["proven"], bins=n,
    )
