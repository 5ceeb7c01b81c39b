"""Continuum classical bounds from N-bin certificates, for any game with a cell enclosure.

Two certificate kinds, both for the *continuum* classical value and both
valid for every boundary :func:`proofs.arithmetic.cell_enclosure` knows
(including the sum-threshold games of the law catalogue, which have no
one-dimensional continuum programme):

``classical-bnb-relaxed`` (upper bound)
    a ``classical-bnb`` certificate of the N-bin game plus the crossed-cell
    slack.  Lemma C3 (the classical twin of lemma Q3 in
    ``proofs/lemmas_quantum.md``): for a continuum strategy ``g(a), h(b)`` in
    ``{-1, +1}`` with bin averages ``gbar_i, hbar_j`` in ``[-1, 1]``, a cell
    where the rule is constant contributes ``M_ij gbar_i hbar_j``; a crossed
    cell contributes at most ``M_ij gbar_i hbar_j + (1 - rho_ij^2)/N^2``
    (``rho_ij = N^2 M_ij``).  The bilinear form ``gbar^T M hbar`` on the box
    ``[-1, 1]^N x [-1, 1]^N`` is maximal at a vertex, i.e. at an N-bin
    strategy, so the continuum value is at most the N-bin value plus half
    the slack.
``classical-strategy-lifted`` (lower bound)
    a ``classical-strategy`` certificate read as a continuum strategy (an
    N-bin step strategy is a continuum strategy with the same value).
"""

from __future__ import annotations

from typing import Any

from proofs.arithmetic import cell_enclosure, parse_fraction
from proofs.bound import Bound, Target, _issue
from proofs.errors import CertificateError, CertificateFormatError

__all__ = ["check_bnb_relaxed", "check_strategy_lifted"]


def check_bnb_relaxed(cert: dict[str, Any], source: str) -> Bound:
    """Upper bound on the continuum classical value: N-bin branch and bound + crossed-cell slack (lemma C3).

    >>> from bounds.classical_exact import exact_classical
    >>> from games import linear_boundary_game
    >>> up = exact_classical(linear_boundary_game(), 8).certificates["upper"]
    >>> b = check_bnb_relaxed({**up, "kind": "classical-bnb-relaxed", "upper": "41/50"}, "demo")
    >>> b.target.n is None, b.details["slack"], round(float(b.details["proven"]), 9)   # 8 half cells: 3/4 + (8/64)/2
    (True, Fraction(1, 8), 0.8125)
    """
    from proofs.check_classical import check_bnb
    from proofs.check_quantum import relaxation_slack

    if cert.get("kind") != "classical-bnb-relaxed":
        raise CertificateFormatError(f"certificate kind must be 'classical-bnb-relaxed'; got {cert.get('kind')!r}")
    nbin = check_bnb({**cert, "kind": "classical-bnb"}, source)
    enc = cell_enclosure(cert["game"], cert["N"])
    slack = relaxation_slack(enc, "mean")
    proven = nbin.value + slack / 2
    claimed = parse_fraction(cert.get("upper"), "upper")
    if claimed < proven:
        raise CertificateError(f"claimed upper bound {float(claimed):.12g} is below what the relaxation proves ({float(proven):.12g})")
    return _issue(
        "upper", claimed, Target(cert["game"], None, "classical"), source,
        "proofs.check_classical_relaxed:check_bnb_relaxed (exact chain DP per leaf K; lemma C3 crossed-cell relaxation)",
        proven=proven, slack=slack, n_bin_upper=nbin.value,
    )


def check_strategy_lifted(cert: dict[str, Any], source: str) -> Bound:
    """Lower bound on the continuum classical value: an N-bin step strategy is a continuum strategy.

    >>> from bounds.classical_exact import exact_classical
    >>> from games import linear_boundary_game
    >>> lo = exact_classical(linear_boundary_game(), 8).certificates["lower"]
    >>> b = check_strategy_lifted({**lo, "kind": "classical-strategy-lifted"}, "demo")
    >>> b.target.n is None, round(float(b.value), 9)
    (True, 0.75)
    """
    from proofs.check_classical import check_strategy

    if cert.get("kind") != "classical-strategy-lifted":
        raise CertificateFormatError(f"certificate kind must be 'classical-strategy-lifted'; got {cert.get('kind')!r}")
    nbin = check_strategy({**cert, "kind": "classical-strategy"}, source)
    return _issue(
        "lower", nbin.value, Target(cert["game"], None, "classical"), source,
        "proofs.check_classical_relaxed:check_strategy_lifted (exact value of a step strategy; bin-constant lifting)",
        n_bin_lower=nbin.value,
    )


