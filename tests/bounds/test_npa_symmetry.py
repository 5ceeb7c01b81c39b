"""The S_3 x Z_2 reduced NPA relaxation: same value as the unreduced primal, an invariant full-size dual, certified unchanged."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from bounds.errors import BoundsParameterError
from bounds.npa_multiparty import npa_multiparty
from bounds.npa_symmetry import element_perms, reduce_relaxation, solve_reduced
from games.multiparty import CorrelatorGame
from proofs.checkers.multiparty import check_npa_multiparty_dual
from proofs.exact.npa_moments import grouped_sums, moment_structure
from tests.bounds.test_npa_multiparty import _standin
from tests.fuzz.oracles import npa_primal_value


def _odd_game(n: int, seed: int) -> CorrelatorGame:
    """A party-symmetric game with one- and three-body terms (no sign-flip symmetry: the Z_2 split must not apply)."""
    rng = np.random.default_rng(seed)
    one = rng.uniform(-1, 1, n) / 8
    pair = rng.uniform(-1, 1, (n, n)) / 8
    pair = (pair + pair.T) / 2
    three = rng.uniform(-1, 1, (n, n, n)) / 8
    three = np.mean([np.transpose(three, p) for p in [(0, 1, 2), (0, 2, 1), (1, 0, 2), (1, 2, 0), (2, 0, 1), (2, 1, 0)]], axis=0)
    terms = {(0,): one, (1,): one, (2,): one, (0, 1): pair, (0, 2): pair, (1, 2): pair, (0, 1, 2): three}
    return CorrelatorGame(3, n, terms, constant=0.0)


@pytest.mark.parametrize("n", [1, 2, 3])
def test_block_sides_at_level_1ab(n: int) -> None:
    """Even: trivial 1 + N(N+1)/2, sign N(N-1)/2, standard N^2; odd: trivial N, standard N (one copy of each standard pair)."""
    red = reduce_relaxation(moment_structure(3, n, "1+ab"), _standin(n))
    want = sorted(b for b in (1 + n * (n + 1) // 2, n, n * (n - 1) // 2, n * n, n) if b)
    assert sorted(red.blocks) == want
    # the irreducible dimensions add up to the side 1 + 3N + 3N^2 (a standard block counts twice)
    side = 1 + 3 * n + 3 * n * n
    assert 1 + n * (n + 1) // 2 + n * (n - 1) // 2 + 2 * n * n + n + 2 * n == side


@pytest.mark.parametrize(("n", "level"), [(2, "1"), (2, "1+ab"), (3, "1+ab")])
def test_reduced_value_is_the_unreduced_primal(n: int, level: str) -> None:
    """The reduced solve, its certificate and the oracle's word-by-word primal moment matrix (Clarabel, no symmetry) agree."""
    game = _standin(n)
    oracle = npa_primal_value(3, n, dict(game.terms), game.constant, level)
    for solver in ("scs", "clarabel"):
        r = npa_multiparty(game, level=level, symmetric=True, solver=solver)
        b = check_npa_multiparty_dual(r.certificate, "sym")
        assert b.value == Fraction(r.certificate["bound"])
        assert oracle - 1e-7 <= float(b.value) <= oracle + 1e-6


def test_games_with_odd_terms_skip_the_sign_flip() -> None:
    """One- and three-body terms: only S_3 reduces (no parity split), the value is still the unreduced primal's."""
    game = _odd_game(2, 3)
    assert game.symmetric
    ms = moment_structure(3, 2, "1+ab")
    red = reduce_relaxation(ms, game)
    assert len(red.blocks) == 3  # trivial, sign, standard: no even/odd split
    oracle = npa_primal_value(3, 2, dict(game.terms), game.constant, "1+ab")
    r = npa_multiparty(game, level="1+ab", symmetric=True, solver="clarabel")
    b = check_npa_multiparty_dual(r.certificate, "odd")
    assert oracle - 1e-7 <= float(b.value) <= oracle + 1e-6


def test_recovered_dual_is_invariant_parity_blocked_and_feasible() -> None:
    n = 3
    game = _standin(n)
    ms = moment_structure(3, n, "1+ab")
    sol = solve_reduced(reduce_relaxation(ms, game), solver="clarabel")
    z = sol.z
    for _, img in element_perms(ms):
        p = np.zeros_like(z)
        p[np.ix_(img, img)] = z
        assert np.abs(p - z).max() < 1e-12
    deg = (ms.letters >= 0).sum(axis=1) % 2
    assert np.abs(z[np.ix_(deg == 0, deg == 1)]).max() == 0.0
    assert np.linalg.eigvalsh(z)[0] > -1e-7
    # every moment's sum of Z is minus the game's weight on it (computed from the structure, not from the reduction)
    scale = 2.0**40
    sums = grouped_sums(ms.keys, np.rint(z * scale).astype(np.int64))
    want: dict[int, float] = {}
    for S, W in game.terms.items():
        for key, v in zip(ms.term_keys(S).tolist(), np.asarray(W).ravel().tolist()):
            want[int(key)] = -float(v)
    for key, s in sums.items():
        if key == 0:
            continue
        target = want.get(key, 0.0)
        assert abs(s / scale - target) < 1e-6 * max(1.0, abs(target)) + 1e-6
    assert abs(sol.dual_estimate - sol.primal_estimate) < 1e-6


def test_bad_input() -> None:
    ms = moment_structure(3, 2, "1+ab")
    with pytest.raises(BoundsParameterError, match="K = 3"):
        reduce_relaxation(moment_structure(2, 2, "1+ab"), CorrelatorGame(2, 2, {(0, 1): np.eye(2) / 4}))
    w = np.array([[1.0, 0.0], [0.0, -1.0]]) / 8
    lopsided = CorrelatorGame(3, 2, {(0, 1): w, (0, 2): w, (1, 2): -w})
    with pytest.raises(BoundsParameterError, match="party-symmetric"):
        reduce_relaxation(ms, lopsided)
    with pytest.raises(BoundsParameterError, match="N"):
        reduce_relaxation(moment_structure(3, 3, "1+ab"), _standin(2))
    red = reduce_relaxation(ms, _standin(2))
    with pytest.raises(BoundsParameterError, match="solver"):
        solve_reduced(red, solver="mosek")
    with pytest.raises(BoundsParameterError, match="eps"):
        solve_reduced(red, eps=0.5)
    with pytest.raises(BoundsParameterError, match="max_iters"):
        solve_reduced(red, max_iters=0)


def test_a_stopped_solve_still_certifies_a_valid_bound() -> None:
    """Capped at a few SCS iterations the dual is rough: its certificate is looser but still above the relaxation's value."""
    from bounds.npa_multiparty import dual_certificate, exact_correlator

    game = _standin(3)
    ms = moment_structure(3, 3, "1+ab")
    sol = solve_reduced(reduce_relaxation(ms, game), max_iters=20)
    assert sol.iterations == 20 and sol.status != "solved"
    cert, proven, _ = dual_certificate(ms, exact_correlator(game), sol.z)
    assert check_npa_multiparty_dual(cert, "rough").value == proven
    oracle = npa_primal_value(3, 3, dict(game.terms), game.constant, "1+ab")
    assert float(proven) >= oracle - 1e-7
