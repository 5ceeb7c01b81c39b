"""Peer suite: toqito's asserted XOR-game values and other closed forms, each certified here.

Every expected value is an independent closed form (cited in the test), never an output of this code.
"""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest

from games.errors import GameParameterError
from games.xor import XorMatrixGame
from proofs.certify.xor import certify_xor

CHSH_PROB = [[0.25, 0.25], [0.25, 0.25]]
CHSH_PRED = [[0, 0], [0, 1]]


def odd_cycle(n: int, reps: int = 1) -> XorMatrixGame:
    """toqito's odd-cycle game: x uniform, y = x or x + 1 (mod n) with probability 1/2; win iff a XOR b = [y = x + 1]."""
    prob = [[Fraction(0)] * n for _ in range(n)]
    pred = [[0] * n for _ in range(n)]
    for x in range(n):
        prob[x][x] = Fraction(1, 2 * n)
        prob[x][(x + 1) % n] = Fraction(1, 2 * n)
        pred[x][(x + 1) % n] = 1
    return XorMatrixGame.from_toqito([[str(q) for q in row] for row in prob], pred, reps=reps)


def _inside(b, value: float, tol: float = 1e-12) -> bool:  # noqa: ANN001
    return float(b.lower.value) - tol <= value <= float(b.upper.value) + tol


def test_chsh_quantum_and_classical() -> None:
    # Tsirelson: cos^2(pi/8); classical 3/4 (CHSH inequality); toqito's tests assert both
    r = certify_xor(XorMatrixGame.from_toqito(CHSH_PROB, CHSH_PRED), write=False)
    assert _inside(r.quantum, math.cos(math.pi / 8) ** 2) and r.quantum.width < 1e-9
    assert r.classical_exact and r.classical.lower.value == r.classical.upper.value == Fraction(3, 4)
    assert r.rank == 2 and "alice_angles" in r.qubit
    # the qubit angles reproduce the correlations cos(alpha_x - beta_y) of the certified vectors
    al, be = r.qubit["alice_angles"], r.qubit["bob_angles"]
    u, v = r.vectors
    for x, y in itertools.product(range(2), range(2)):
        assert abs(math.cos(al[x] - be[y]) - float(u[x] @ v[y])) < 1e-12


def _brute_repeated_chsh() -> Fraction:
    """Classical value of two parallel CHSH copies (win both), by enumerating all 256 x 256 deterministic strategy pairs."""
    qs = list(itertools.product(range(2), repeat=2))
    best = 0
    for fa in itertools.product(range(4), repeat=4):
        # Bob's best response to fa, per question pair y
        tot = 0
        for y in qs:
            tot += max(sum(1 for i, x in enumerate(qs) if all(((fa[i] >> t) & 1) ^ ((b >> t) & 1) == (x[t] & y[t]) for t in range(2)))
                       for b in range(4))
        best = max(best, tot)
    return Fraction(best, 16)


def test_chsh_two_repetitions_as_toqito_defines_them() -> None:
    # toqito XORGame(..., reps=2): win both copies.  Quantum cos^4(pi/8) (perfect parallel repetition, CSUU 2007);
    # classical 10/16 (known value of CHSH x CHSH, e.g. Barrett, Collins, Hardy, Kent, Popescu 2002), re-derived here by brute force
    r = certify_xor(XorMatrixGame.from_toqito(CHSH_PROB, CHSH_PRED, reps=2), write=False)
    rep = r.repeated
    assert rep is not None
    assert float(rep["quantum_lower"]) - 1e-12 <= math.cos(math.pi / 8) ** 4 <= float(rep["quantum_upper"]) + 1e-12
    assert rep["classical"] == Fraction(10, 16) == _brute_repeated_chsh()


@pytest.mark.parametrize("n", [3, 5, 7, 9])
def test_odd_cycle_games(n: int) -> None:
    # Cleve, Hoyer, Toner, Watrous 2004: quantum cos^2(pi/(4n)), classical 1 - 1/(2n); C5: 0.975528..., 0.9 (toqito's test)
    r = certify_xor(odd_cycle(n), write=False)
    assert _inside(r.quantum, math.cos(math.pi / (4 * n)) ** 2, 1e-11) and r.quantum.width < 1e-8
    assert r.classical.lower.value == r.classical.upper.value == 1 - Fraction(1, 2 * n)
    assert r.nonsignalling == 1  # toqito's odd-cycle example prints a no-signalling value of 1.0


def test_rectangular_game_with_a_duplicated_input() -> None:
    # Bob's input 1 of CHSH split into two inputs of half the probability each: a 2 x 3 game with CHSH's values
    g = XorMatrixGame.from_bias([["1/4", "1/8", "1/8"], ["1/4", "-1/8", "-1/8"]])
    r = certify_xor(g, write=False)
    assert _inside(r.quantum, math.cos(math.pi / 8) ** 2, 1e-11)
    assert r.classical.lower.value == r.classical.upper.value == Fraction(3, 4)


def test_xor_power_of_chsh_has_the_squared_quantum_bias() -> None:
    # the XOR repetition (a XOR-game): quantum bias is multiplicative (CSUU 2007): (1/sqrt 2)^2 = 1/2 -> value 3/4
    r = certify_xor(XorMatrixGame.from_toqito(CHSH_PROB, CHSH_PRED).xor_power(2), write=False)
    assert _inside(r.quantum, 0.75, 1e-11)


def test_linear_boundary_game_classical_three_quarters_and_quantum_below_the_limit() -> None:
    # the linear-boundary game (bunch iff a + b <= 1) on 16 bins: classical 3/4 (the continuum value, reached by the
    # bin-aligned threshold at 1/2), quantum below its continuum value 1/2 + 1/pi and approaching it
    from proofs.exact.games import Linear

    n = 16
    kind, crossed = Linear(Fraction(1)).classify(n)
    m = [[crossed[(i, j)][0] if kind[i, j] == 0 else Fraction(int(kind[i, j]), n * n) for j in range(n)] for i in range(n)]
    r = certify_xor(XorMatrixGame.from_bias([[str(q) for q in row] for row in m]), write=False)
    assert r.classical.lower.value == r.classical.upper.value == Fraction(3, 4)
    assert float(r.quantum.upper.value) <= 0.5 + 1 / math.pi + 1e-12
    assert float(r.quantum.lower.value) > 0.81


def test_agrees_with_toqito_on_random_games() -> None:
    xg = pytest.importorskip("toqito.nonlocal_games.xor_game")
    rng = np.random.default_rng(7)
    for _ in range(3):
        prob = rng.integers(1, 10, (3, 3)).astype(float)
        prob /= prob.sum()
        pred = rng.integers(0, 2, (3, 3))
        t = xg.XORGame(prob, pred)
        r = certify_xor(XorMatrixGame.from_toqito_game(t), write=False)
        assert abs(t.classical_value() - float(r.classical.lower.value)) < 1e-9
        assert _inside(r.quantum, t.quantum_value(), 1e-5)  # toqito's SCS float carries solver error


def _random_bias(n: int, seed: int) -> XorMatrixGame:
    rng = np.random.default_rng(seed)
    w = rng.integers(1, 10, (n, n)) * rng.choice([1, -1], (n, n))
    tot = int(np.abs(w).sum())
    return XorMatrixGame(tuple(tuple(Fraction(int(t), tot) for t in row) for row in w))


@pytest.mark.usefixtures("bnb_compiled")
def test_branch_and_bound_gives_the_exact_value_when_the_exhaustive_estimate_exceeds_the_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    # the estimate is made to exceed a budget the branch and bound needs only a fraction of (a 5 ms budget made
    # the test depend on the machine's load)
    import proofs.certify.xor as cx

    monkeypatch.setattr(cx, "_exhaustive_seconds", lambda game: math.inf)
    g = _random_bias(14, 3)
    r = certify_xor(g, time_limit=2.0, write=False)
    assert r.classical_exact and r.classical.upper.certificate == "<in-memory>"
    assert r.classical.upper.checker.startswith("proofs.checkers.xor_bnb") and r.classical_rule == "branch and bound"
    assert r.classical.lower.value == r.classical.upper.value == g.classical_exhaustive()[0]


@pytest.mark.usefixtures("bnb_compiled")
def test_progress_hears_the_steps_and_the_branch_and_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    import bounds.xor_bnb as xb
    import proofs.certify.xor as cx

    monkeypatch.setattr(cx, "_exhaustive_seconds", lambda game: math.inf)  # the branch and bound, not the exhaustive search
    monkeypatch.setattr(xb, "PROGRESS_INTERVAL", 0.0)
    seen: list[tuple[int, int, str]] = []
    r = certify_xor(_random_bias(14, 3), time_limit=2.0, write=False, on_progress=lambda d, t, w: seen.append((d, t, w)))
    assert r.classical_exact
    steps = [(d, w) for d, t, w in seen if t == 3]
    assert steps[0] == (0, "quantum value") and steps[1][0] == 1 and "branch and bound" in steps[1][1] and steps[-1] == (3, "done")
    pct = [d for d, t, _ in seen if t == 100]
    assert pct and pct == sorted(pct) and pct[-1] == 100 and pct.count(100) == 1  # one closing call
    assert all(len(w) <= 50 for _, _, w in seen)  # the progress line shows the last 50 characters of what


def test_branch_and_bound_progress_closes_its_line_once() -> None:
    import proofs.certify.xor as cx

    seen: list[tuple[int, int, str]] = []
    hook = cx._bnb_progress(lambda d, t, w: seen.append((d, t, w)), 10.0)
    for closed in (0.0, 0.996, 1.0, 1.0):  # two workers: the last subtree's call and the search's closing call both say 1
        hook(closed, 7)
    assert [d for d, _, _ in seen] == [0, 99, 100] and seen[-1][2] == "branch and bound, 7 nodes, budget 10 s"


def test_progress_of_an_exhaustive_search_has_no_branch_and_bound_phase() -> None:
    seen: list[tuple[int, int, str]] = []
    certify_xor(_random_bias(6, 2), write=False, on_progress=lambda d, t, w: seen.append((d, t, w)))
    assert [(d, t) for d, t, _ in seen] == [(0, 3), (1, 3), (3, 3)] and seen[1][2] == "classical value: exhaustive search"


def test_progress_of_a_stopped_branch_and_bound_counts_its_open_nodes(monkeypatch: pytest.MonkeyPatch) -> None:
    import bounds.xor_bnb as xb
    import proofs.certify.xor as cx

    monkeypatch.setattr(cx, "_exhaustive_seconds", lambda game: math.inf)
    monkeypatch.setattr(xb, "PROGRESS_INTERVAL", 0.0)
    seen: list[tuple[int, int, str]] = []
    r = certify_xor(_random_bias(30, 4), time_limit=0.5, write=False, on_progress=lambda d, t, w: seen.append((d, t, w)))
    assert not r.classical_exact and "stopped at the time limit" in r.classical_rule
    nodes = [(d, t) for d, t, w in seen if w.startswith("open nodes bounded")]
    total = nodes[0][1]
    assert nodes[0] == (0, total) and nodes[-1] == (total, total) and all(t == total for _, t in nodes)
    assert all(len(w) <= 50 for _, _, w in seen)


def test_unfinished_branch_and_bound_leaves_a_certified_bracket() -> None:
    g = _random_bias(30, 4)
    r = certify_xor(g, time_limit=0.05, write=False)
    assert not r.classical_exact and r.classical.lower.value < r.classical.upper.value
    assert g.strategy_value(*r.classical_strategy) == r.classical.lower.value


def test_too_many_near_ties_fall_back_to_a_bracket() -> None:
    # one row of weight ~1 and fifteen rows of 10^-30 over a common denominator beyond 2^62: rounded, all 2^15 sign vectors
    # tie, more than lemma X4b rechecks; the classical value is then a certified bracket, not an error
    tiny = Fraction(1, 10**30)
    rows = [[Fraction(1, 16) - 15 * tiny] * 16] + [[tiny] * 16 for _ in range(15)]
    g = XorMatrixGame.from_bias(rows)
    with pytest.raises(GameParameterError, match="rounded maximum"):
        g.classical_exhaustive()
    r = certify_xor(g, write=False, time_limit=5)
    assert not r.classical_exact
    assert r.classical.lower.value <= r.classical.upper.value and r.classical.lower.value == 1  # all answers +1 win every question


def test_float_games_beyond_the_exhaustive_search_get_a_tight_bracket(monkeypatch) -> None:  # noqa: ANN001
    # a float game's common denominator is beyond the branch and bound's 2^53: the search runs on M rounded to 2^-52 and
    # lemma X7 adds the distance (was: the Tsirelson dual, a gap of ~1e-2)
    import proofs.certify.xor as cx

    monkeypatch.setattr(cx, "_exhaustive_seconds", lambda game: math.inf)  # as if the exhaustive search did not fit
    rng = np.random.default_rng(8)
    p = rng.random((9, 8))
    g = XorMatrixGame.from_toqito(p / p.sum(), rng.integers(0, 2, (9, 8)))
    r = certify_xor(g, write=False, time_limit=10)
    truth = g.classical_exhaustive()[0]
    assert "xor_rounded" in r.classical.upper.checker and not r.classical_exact
    assert r.classical.lower.value <= truth <= r.classical.upper.value < r.classical.lower.value + Fraction(1, 10**13)


def _stopped_search(monkeypatch: pytest.MonkeyPatch, nodes: int) -> None:
    """certify_xor's branch and bound stops after ``nodes`` nodes (cut bounds), as if its budget ran out there."""
    import proofs.certify.xor as cx

    real = cx.solve_classical_bnb
    monkeypatch.setattr(cx, "_exhaustive_seconds", lambda game: math.inf)
    monkeypatch.setattr(cx, "solve_classical_bnb", lambda *a, **kw: real(*a, **{**kw, "node_limit": nodes, "node_bound": "cuts", "workers": 1}))


def _enumerated(g: XorMatrixGame) -> Fraction:
    """The classical value by numpy enumeration of Alice's signs (independent of the searches)."""
    ints, den = g.integer_form
    n = np.array(ints, dtype=np.int64)
    signs = np.array(list(itertools.product((1, -1), repeat=n.shape[0])), dtype=np.int64)
    return Fraction(1, 2) + Fraction(int(np.abs(signs @ n).sum(axis=1).max()), 2 * den)


def _tsirelson_classical(g: XorMatrixGame, r) -> Fraction:  # noqa: ANN001
    """The Tsirelson dual's classical bound for the weights the quantum checker accepted (the bracket's alternative)."""
    from bounds.xor import solve_quantum, xor_dual_certificate
    from proofs.checkers.registry import check_certificate

    sol = solve_quantum(g.base())
    return check_certificate(xor_dual_certificate(g.base(), sol.x, sol.y, "classical"), "test").value


def test_a_stopped_branch_and_bound_bounds_the_classical_value_by_its_frontier(monkeypatch: pytest.MonkeyPatch) -> None:
    # stopped after 3 nodes of 11: the open nodes' cut bounds prove less than the Tsirelson dual
    _stopped_search(monkeypatch, 3)
    g = _random_bias(16, 25)
    r = certify_xor(g, write=False, time_limit=10)
    truth = _enumerated(g)
    assert not r.classical_exact and r.classical.upper.checker.startswith("proofs.checkers.xor_bnb")
    assert r.classical.lower.value <= truth <= r.classical.upper.value < _tsirelson_classical(g, r)
    assert r.classical_rule.startswith("branch and bound stopped at the time limit") and "rounded" not in r.classical_rule


def test_a_stopped_branch_and_bound_on_a_float_game_bounds_it_through_the_rounded_game(monkeypatch: pytest.MonkeyPatch) -> None:
    _stopped_search(monkeypatch, 3)
    rng = np.random.default_rng(8)
    p = rng.random((16, 16))
    g = XorMatrixGame.from_toqito(p / p.sum(), rng.integers(0, 2, (16, 16)))
    r = certify_xor(g, write=False, time_limit=10)
    truth = g.classical_exhaustive()[0]
    assert not r.classical_exact and "xor_rounded" in r.classical.upper.checker
    assert r.classical.lower.value <= truth <= r.classical.upper.value < _tsirelson_classical(g, r)
    assert r.classical_rule.startswith("branch and bound stopped") and r.classical_rule.endswith("on M rounded to 2^-52, plus the rounding")


def test_a_stopped_branch_and_bound_whose_frontier_fails_keeps_the_tsirelson_dual(monkeypatch: pytest.MonkeyPatch) -> None:
    import bounds.xor_bnb as xb

    _stopped_search(monkeypatch, 0)
    monkeypatch.setattr(xb, "_node_dual", lambda mp, u, v, *args, **kw: (-1, None, u, v, math.inf))
    g = _random_bias(16, 25)
    r = certify_xor(g, write=False, time_limit=10)
    assert not r.classical_exact and r.classical.upper.checker.startswith("proofs.checkers.xor:")
    assert r.classical.upper.value == _tsirelson_classical(g, r) and r.classical.lower.value <= _enumerated(g)
    assert r.classical_rule == "Tsirelson dual" and r.to_dict()["classical"]["upper_rule"] == "Tsirelson dual"
