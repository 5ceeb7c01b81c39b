"""NPA duals of K-party correlator games: closed forms, the Tsirelson bracket, symmetry reduction, classical values."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest

from bounds.errors import BoundsParameterError, BoundsTypeError
from bounds.npa_multiparty import npa_multiparty
from games.multiparty import CorrelatorGame
from proofs.checkers.multiparty import check_npa_multiparty_dual


def _standin(n: int, nu: float = 0.5, lam: float = 1.2) -> CorrelatorGame:
    """The shared notes' stand-in: exponential bin means, W = (1 - nu (kappa m m' + (m + m')/4)) / N^2 on every pair."""
    u = (np.arange(n) + 0.5) / n
    m = -np.log1p(-u)
    kappa = lam / (2 * (1 - 0.6))
    w = (1 - nu * (kappa * np.outer(m, m) + (m[:, None] + m[None, :]) / 4)) / n**2
    return CorrelatorGame.pairwise(3, w, constant=0.25, quantity="P(all on one server) - nu cost")


def _classical(game: CorrelatorGame) -> float:
    """Brute force over deterministic strategies (tiny games)."""
    best = -math.inf
    for bits in itertools.product((1, -1), repeat=game.K * game.N):
        best = max(best, game.deterministic_value(list(np.array(bits).reshape(game.K, game.N))))
    return best


def test_chsh_level1_is_tsirelson_and_inside_the_certified_bracket() -> None:
    from bounds.tsirelson import tsirelson

    m = np.array([[1.0, 1.0], [1.0, -1.0]]) / 4
    game = CorrelatorGame(2, 2, {(0, 1): m / 2}, constant=0.5, quantity="winning probability")
    r = npa_multiparty(game, level="1")
    b = check_npa_multiparty_dual(r.certificate, "chsh")
    exact = math.cos(math.pi / 8) ** 2
    t = tsirelson(m)
    assert t.lower_estimate - 1e-9 <= float(b.value) <= t.upper_estimate + 1e-7
    assert exact <= float(b.value) <= exact + 1e-7
    assert b.target.quantity == "winning probability" and b.target.player_model == "quantum"


def test_three_party_level1_closed_form() -> None:
    """One input, weight w < 0 on every pair.

    Level 1 maximises ``w sum_{i<j} G_ij`` over 3 x 3 correlation matrices: ``G_ij = -1/2`` (three unit
    vectors at 120 degrees), value ``3|w|/2``.  Level 1+ab sees the product moments: for commuting +-1
    observables ``o1 o2 + o1 o3 + o2 o3 = ((o1 + o2 + o3)^2 - 3)/2 >= -1``, so the value is ``|w|``,
    the classical value (monogamy: three parties cannot be pairwise anti-correlated).
    """
    w = -0.25
    game = CorrelatorGame.pairwise(3, np.array([[w]]))
    r1 = npa_multiparty(game, level="1", symmetric=False)
    r2 = npa_multiparty(game, level="1+ab", symmetric=False)
    assert abs(r1.upper_estimate - 1.5 * abs(w)) < 1e-7
    assert abs(r2.upper_estimate - abs(w)) < 1e-7
    assert abs(_classical(game) - abs(w)) < 1e-12


def test_symmetrised_and_full_sdp_agree_on_the_standin() -> None:
    game = _standin(3)
    full = npa_multiparty(game, level="1+ab", symmetric=False)
    sym = npa_multiparty(game, level="1+ab", symmetric=True)
    assert sym.symmetric and not full.symmetric
    assert sym.n_variables < full.n_variables and sum(sym.blocks) < full.size
    assert abs(sym.upper_estimate - full.upper_estimate) < 1e-6
    for r in (full, sym):
        assert check_npa_multiparty_dual(r.certificate, "standin").value == Fraction(r.certificate["bound"])


def test_levels_are_ordered_above_the_classical_value() -> None:
    game = _standin(2)
    l1 = npa_multiparty(game, level="1").upper_estimate
    l2 = npa_multiparty(game, level="1+ab").upper_estimate
    c = _classical(game)
    assert c - 1e-9 <= l2 <= l1 + 1e-7


def test_three_body_term_needs_level_1ab() -> None:
    w = np.zeros((2, 2, 2))
    w[1, 0, 0] = w[0, 1, 0] = w[0, 0, 1] = 0.25
    w[1, 1, 1] = -0.25
    ghz = CorrelatorGame(3, 2, {(0, 1, 2): w}, constant=0.0)
    with pytest.raises(BoundsParameterError, match="level"):
        npa_multiparty(ghz, level="1")
    r = npa_multiparty(ghz, level="1+ab")  # Mermin: classical 1/2, quantum 1 (GHZ state)
    assert abs(r.upper_estimate - 1.0) < 1e-6
    assert abs(_classical(ghz) - 0.5) < 1e-12


def test_local_levels_have_side_one_plus_n_to_the_k_and_keep_mermin_tight() -> None:
    """``"1+ab+abc"`` with K = 3 holds every product of one letter per player: side ``(1 + N)^3``.

    Mermin stays at its quantum value 1 (a GHZ state attains it, so no level can go lower).
    """
    w = np.zeros((2, 2, 2))
    w[1, 0, 0] = w[0, 1, 0] = w[0, 0, 1] = 0.25
    w[1, 1, 1] = -0.25
    ghz = CorrelatorGame(3, 2, {(0, 1, 2): w}, constant=0.0)
    r = npa_multiparty(ghz, level="1+ab+abc", symmetric=False)
    assert r.size == 27
    assert abs(r.upper_estimate - 1.0) < 1e-6
    assert check_npa_multiparty_dual(r.certificate, "mermin").value == Fraction(r.certificate["bound"])


def test_deeper_levels_are_ordered_above_the_classical_value() -> None:
    rng = np.random.default_rng(5)
    terms = {S: rng.uniform(-1, 1, (2,) * len(S)) / 8 for S in [(0, 1), (0, 2), (1, 2), (0, 1, 2)]}
    game = CorrelatorGame(3, 2, terms, constant=0.0)
    vals = [npa_multiparty(game, level=lv, symmetric=False).upper_estimate for lv in ("1+ab", "1+ab+abc", "1+ab+abc+abcd")]
    c = _classical(game)
    assert c - 1e-9 <= vals[1] <= vals[0] + 1e-7
    assert abs(vals[2] - vals[1]) < 1e-6  # K = 3: no four-player products, the same level


def test_bad_input() -> None:
    game = _standin(2)
    with pytest.raises(BoundsTypeError, match="CorrelatorGame"):
        npa_multiparty(np.eye(2))
    with pytest.raises(BoundsParameterError, match="level"):
        npa_multiparty(game, level="2")
    with pytest.raises(BoundsParameterError, match="solver"):
        npa_multiparty(game, solver="mosek")
    two = CorrelatorGame(2, 2, {(0, 1): np.eye(2) / 4})
    with pytest.raises(BoundsParameterError, match="symmetric"):
        npa_multiparty(two, symmetric=True)
