"""Tests of the XOR-game branch and bound: its value against plain enumeration, its leaves, bad input."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest

from bounds.errors import BoundsParameterError
from bounds.xor_bnb import DUAL_BITS, dyadic_up, solve_classical_bnb, xor_bnb_certificate
from games.xor import XorMatrixGame
from proofs.checkers.registry import check_certificate


def _random(rows: int, cols: int, seed: int) -> XorMatrixGame:
    rng = np.random.default_rng(seed)
    w = rng.integers(1, 10, (rows, cols)) * rng.choice([1, -1], (rows, cols))
    tot = int(np.abs(w).sum())
    return XorMatrixGame(tuple(tuple(Fraction(int(t), tot) for t in row) for row in w))


def _brute(g: XorMatrixGame) -> int:
    """``max_a ||N^T a||_1`` by enumerating every sign vector of Alice in plain Python (independent of the search)."""
    ints, _ = g.integer_form
    best = 0
    for a in itertools.product((1, -1), repeat=len(ints)):
        best = max(best, sum(abs(sum(s * row[j] for s, row in zip(a, ints))) for j in range(len(ints[0]))))
    return best


@pytest.mark.parametrize(("rows", "cols", "seed", "enum_limit"), [(6, 6, 1, 0), (9, 7, 2, 0), (5, 11, 3, 2), (10, 10, 4, 3), (12, 9, 5, 0)])
def test_value_and_strategy_match_enumeration(rows: int, cols: int, seed: int, enum_limit: int) -> None:
    g = _random(rows, cols, seed)
    r = solve_classical_bnb(g, enum_limit=enum_limit)
    assert r.complete
    assert r.value == _brute(g)
    _ints, den = g.integer_form
    assert g.strategy_value(r.a, r.b) == Fraction(1, 2) + Fraction(r.value, 2 * den)
    assert r.transposed == (rows > cols)


def test_dual_leaves_occur_and_the_certificate_is_accepted_at_the_true_value() -> None:
    g = _random(12, 12, 7)
    r = solve_classical_bnb(g, enum_limit=0, node_bound="diagonal")
    assert r.stats["dual_leaves"] > 0
    b = check_certificate(xor_bnb_certificate(g, r), "test")
    assert b.value == Fraction(1, 2) + Fraction(_brute(g), 2 * g.integer_form[1])


def test_leaves_cover_every_sign_prefix_exactly_once() -> None:
    g = _random(10, 8, 8)
    r = solve_classical_bnb(g, enum_limit=2)
    m = 8  # searched on the transpose: 8 rows
    covered = [p for p in itertools.product("+-", repeat=m - 1) if any("".join(("+",) + p).startswith(lf.prefix) for lf in r.leaves)]
    assert len(covered) == 2 ** (m - 1)
    counts = [sum("".join(("+",) + p).startswith(lf.prefix) for lf in r.leaves) for p in itertools.product("+-", repeat=m - 1)]
    assert set(counts) == {1}


def _brute_numpy(g: XorMatrixGame) -> int:
    """``max_a ||N^T a||_1`` over every sign vector of the first player (numpy, up to about 16 rows; independent of the search)."""
    ints, _ = g.integer_form
    n = np.array(ints, dtype=np.int64)
    signs = np.array(list(itertools.product((1, -1), repeat=n.shape[0])), dtype=np.int64)
    return int(np.abs(signs @ n).sum(axis=1).max())


@pytest.mark.parametrize(("rows", "cols", "seed", "split"), [(15, 13, 11, 3), (12, 16, 12, 5)])
def test_two_workers_give_the_enumerated_value_and_a_certificate_that_checks(rows: int, cols: int, seed: int, split: int) -> None:
    g = _random(rows, cols, seed)
    r = solve_classical_bnb(g, enum_limit=2, workers=2, split=split, node_bound="diagonal")
    assert r.complete and r.value == _brute_numpy(g)
    assert min(len(lf.prefix) for lf in r.leaves) >= 1 + split  # the subtrees were searched apart (no leaf above the split)
    assert r.stats["closed_fraction"] == 1.0 and r.stats["open_bound"] == r.value
    assert check_certificate(xor_bnb_certificate(g, r), "test").value == Fraction(1, 2) + Fraction(r.value, 2 * g.integer_form[1])


@pytest.mark.parametrize("workers", [1, 2])
def test_progress_reports_the_closed_share_rising_to_the_leaves_cover(monkeypatch: pytest.MonkeyPatch, workers: int) -> None:
    import bounds.xor_bnb as xb

    monkeypatch.setattr(xb, "PROGRESS_INTERVAL", 0.0)  # every node reports (serial search)
    seen: list[tuple[float, int]] = []
    g = _random(13, 12, 21)
    r = solve_classical_bnb(g, enum_limit=2, workers=workers, split=3, node_bound="diagonal", on_progress=lambda c, n: seen.append((c, n)))
    assert r.complete and r.value == _brute_numpy(g)
    shares = [c for c, _ in seen]
    assert len(seen) >= 3 and shares == sorted(shares) and [n for _, n in seen] == sorted(n for _, n in seen)
    # the running share is the leaves' cover (sum 2^(1 - |prefix|), summed independently here), 1 at the end
    assert seen[-1] == (1.0, r.nodes) and math.fsum(2.0 ** (1 - len(lf.prefix)) for lf in r.leaves) == 1.0
    assert 0.0 <= shares[0] < 1.0


def test_progress_of_a_search_stopped_by_its_time_limit_ends_below_one() -> None:
    seen: list[tuple[float, int]] = []
    g = _random(14, 14, 9)
    r = solve_classical_bnb(g, enum_limit=0, time_limit=1e-9, on_progress=lambda c, n: seen.append((c, n)))
    assert not r.complete and seen[-1][0] == r.stats["closed_fraction"] < 1.0


def test_stopping_early_at_unprunable_nodes_keeps_the_value() -> None:
    """A node whose ascent value reaches the incumbent + 1 branches at once; the search still ends at the enumerated optimum."""
    g = _random(16, 16, 13)
    r = solve_classical_bnb(g, enum_limit=4, node_bound="diagonal")
    assert r.complete and r.value == _brute_numpy(g)
    assert r.stats["dual_leaves"] > 0 and r.sdp_nodes < r.nodes


def _exactly_once(prefixes: list[str], m: int) -> bool:
    """Whether the prefixes cover each of the ``2^(m - 1)`` sign vectors starting with ``+`` exactly once (by enumeration)."""
    return all(sum(("+" + "".join(p)).startswith(q) for q in prefixes) == 1 for p in itertools.product("+-", repeat=m - 1))


def test_a_search_stopped_before_the_root_certifies_the_roots_dual() -> None:
    g = _random(14, 14, 9)
    r = solve_classical_bnb(g, enum_limit=0, time_limit=1e-9)
    assert not r.complete and not r.leaves
    assert r.stats["closed_fraction"] < 1.0 and r.stats["open_bound"] >= r.value
    assert [lf.prefix for lf in r.frontier] == ["+"] and r.frontier[0].form == "dual" and r.stats["frontier"] == "bounded"
    assert r.a == [1] * 14 and g.strategy_value(r.a, r.b) == Fraction(1, 2) + Fraction(r.value, 2 * g.integer_form[1])  # no incumbent: all +1
    b = check_certificate(xor_bnb_certificate(g, r), "test")
    truth = Fraction(1, 2) + Fraction(_brute(g), 2 * g.integer_form[1])
    assert b.value == Fraction(1, 2) + Fraction(r.upper, 2 * g.integer_form[1]) > truth


@pytest.mark.parametrize(("rows", "seed", "nodes", "node_bound", "enum_limit"),
                         [(12, 21, 5, "diagonal", 0), (12, 22, 17, "diagonal", 2), (14, 25, 3, "cuts", 0), (16, 25, 8, "cuts", 0),
                          (18, 3, 3, "cuts", 1)])
def test_a_stopped_search_certifies_its_frontier(rows: int, seed: int, nodes: int, node_bound: str, enum_limit: int) -> None:
    """Stopped after ``nodes`` nodes: closed leaves and frontier cover every strategy once, and their certificate proves
    ``upper``, which is at least the enumerated value and at least every strategy found."""
    g = _random(rows, rows, seed)
    r = solve_classical_bnb(g, enum_limit=enum_limit, node_limit=nodes, node_bound=node_bound)
    assert not r.complete and r.nodes == nodes and r.frontier and r.upper is not None
    assert _exactly_once([lf.prefix for lf in [*r.leaves, *r.frontier]], rows)
    den = g.integer_form[1]
    b = check_certificate(xor_bnb_certificate(g, r), "test")
    assert b.value == Fraction(1, 2) + Fraction(r.upper, 2 * den)
    assert r.upper >= (_brute(g) if rows <= 12 else _brute_numpy(g)) >= r.value
    assert g.strategy_value(r.a, r.b) == Fraction(1, 2) + Fraction(r.value, 2 * den)


def test_a_frontier_from_cut_states_uses_cut_leaves_and_is_below_the_roots_dual() -> None:
    """With cut bounds the open nodes inherit their parents' cut states: their leaves are cut leaves, and the certified bound is
    below the root's plain diagonal dual (the bound of a search stopped before its root)."""
    g = _random(16, 16, 25)
    r = solve_classical_bnb(g, enum_limit=0, node_limit=3, node_bound="cuts")
    root = solve_classical_bnb(g, enum_limit=0, node_limit=0)
    assert {lf.form for lf in r.frontier} == {"cuts"}
    assert r.upper is not None and root.upper is not None and r.upper < root.upper


def test_a_node_limit_stop_is_the_same_on_every_run() -> None:
    g = _random(12, 12, 26)
    runs = [solve_classical_bnb(g, enum_limit=0, node_limit=12, node_bound="diagonal") for _ in range(2)]
    assert [lf.prefix for lf in runs[0].frontier] == [lf.prefix for lf in runs[1].frontier]
    assert xor_bnb_certificate(g, runs[0]) == xor_bnb_certificate(g, runs[1])


def test_a_frontier_whose_dual_fails_refuses_a_certificate(monkeypatch: pytest.MonkeyPatch) -> None:
    import bounds.xor_bnb as xb

    g = _random(14, 14, 9)
    monkeypatch.setattr(xb, "_node_dual", lambda mp, u, v, *args, **kw: (-1, None, u, v, math.inf))
    r = solve_classical_bnb(g, enum_limit=0, time_limit=1e-9)
    assert not r.complete and r.upper is None and not r.frontier and r.stats["frontier"] == "dual failed"
    with pytest.raises(BoundsParameterError, match="dual failed"):
        xor_bnb_certificate(g, r)


@pytest.mark.parametrize(("cap", "state"), [(0.5, "above cap"), (1.0, "bounded")])
def test_the_frontier_gives_up_at_its_cap(cap: float, state: str) -> None:
    """A caller's bound of 1/2 (w = 0) is reached by the first open node's bound; 1 (w = L) by none."""
    g = _random(16, 16, 25)
    r = solve_classical_bnb(g, enum_limit=0, node_limit=3, node_bound="cuts", frontier_cap=cap)
    assert not r.complete and r.stats["frontier"] == state and (r.upper is None) == (state != "bounded")


def test_the_frontier_reports_the_nodes_it_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    import bounds.xor_bnb as xb

    monkeypatch.setattr(xb, "PROGRESS_INTERVAL", 0.0)
    seen: list[tuple[int, int]] = []
    r = solve_classical_bnb(_random(16, 16, 25), enum_limit=0, node_limit=5, node_bound="diagonal", on_frontier=lambda d, t: seen.append((d, t)))
    n = len(r.frontier)
    assert r.stats["frontier"] == "bounded" and n >= 2
    assert seen == [(k, n) for k in range(n)] + [(n, n)]  # the start, each node after the first (interval 0), the end


def test_the_frontier_gives_up_when_out_of_time(monkeypatch: pytest.MonkeyPatch) -> None:
    import bounds.xor_bnb as xb

    monkeypatch.setattr(xb, "FRONTIER_MIN_SECONDS", 0.0)
    r = solve_classical_bnb(_random(16, 16, 25), enum_limit=0, time_limit=1e-9)
    assert not r.complete and r.upper is None and r.stats["frontier"] == "out of time"


def test_node_limit_and_frontier_cap_are_checked() -> None:
    with pytest.raises(BoundsParameterError, match="node_limit"):
        solve_classical_bnb(_random(4, 4, 1), node_limit=-1)
    with pytest.raises(BoundsParameterError, match="frontier_cap"):
        solve_classical_bnb(_random(4, 4, 1), frontier_cap=-0.5)


def test_the_search_runs_at_one_blas_thread_and_restores_the_callers_setting() -> None:
    from threadpoolctl import threadpool_info, threadpool_limits

    import bounds.xor_bnb as xb

    seen: list[list[int]] = []
    real = xb._node_dual

    def spy(*args, **kw):  # type: ignore[no-untyped-def]
        seen.append([int(d["num_threads"]) for d in threadpool_info() if d["user_api"] == "blas"])
        return real(*args, **kw)

    with threadpool_limits(limits=2, user_api="blas"):
        before = [int(d["num_threads"]) for d in threadpool_info() if d["user_api"] == "blas"]
        xb._node_dual = spy
        try:
            r = solve_classical_bnb(_random(10, 10, 4), enum_limit=3)
        finally:
            xb._node_dual = real
        after = [int(d["num_threads"]) for d in threadpool_info() if d["user_api"] == "blas"]
    assert r.complete and seen
    assert all(t == [1] * len(t) for t in seen)
    assert after == before


def test_dyadic_up_rounds_up_within_the_bit_budget() -> None:
    w = np.array([1.0 / 3.0, 2.5, 0.0, 1e-7])
    k, e = dyadic_up(w)
    assert all(Fraction(ki, 2**e) >= Fraction(float(t)) for ki, t in zip(k, w))
    assert all(abs(ki) < 2**DUAL_BITS for ki in k)
    assert all(Fraction(ki, 2**e) - Fraction(float(t)) <= Fraction(1, 2**e) for ki, t in zip(k, w))


@pytest.mark.parametrize(("kw", "match"), [({"time_limit": -1.0}, "time_limit"), ({"enum_limit": 30}, "enum_limit"), ({"rank": 0}, "rank"),
                                           ({"incumbent": ([1, 1], [1])}, "incumbent"), ({"workers": 0}, "workers"), ({"split": 0}, "split"),
                                           ({"node_bound": "simplex"}, "node_bound")])
def test_bad_parameters_name_the_parameter(kw: dict, match: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(BoundsParameterError, match=match):
        solve_classical_bnb(_random(3, 3, 0), **kw)


@pytest.mark.parametrize(("rows", "cols", "seed", "enum_limit"), [(8, 8, 21, 0), (11, 9, 22, 0), (14, 14, 23, 2), (9, 13, 24, 1)])
def test_cut_bound_search_gives_the_enumerated_value_and_a_certificate_the_checker_accepts(rows: int, cols: int, seed: int, enum_limit: int) -> None:
    g = _random(rows, cols, seed)
    r = solve_classical_bnb(g, enum_limit=enum_limit, node_bound="cuts")
    assert r.complete and r.value == _brute_numpy(g)
    assert r.stats["cut_leaves"] > 0 and r.stats["cut_nodes"] > 0
    cert = xor_bnb_certificate(g, r)
    cut_leaves = [lf for lf in cert["leaves"] if "cuts" in lf]
    assert len(cut_leaves) == r.stats["cut_leaves"]
    b = check_certificate(cert, "test")
    assert b.value == Fraction(1, 2) + Fraction(r.value, 2 * g.integer_form[1])
    assert b.details["cut_leaves"] == r.stats["cut_leaves"]


def test_cut_bound_needs_fewer_nodes_than_the_diagonal_dual() -> None:
    g = _random(18, 18, 25)
    plain = solve_classical_bnb(g, enum_limit=0, node_bound="diagonal")
    cut = solve_classical_bnb(g, enum_limit=0, node_bound="cuts")
    assert plain.complete and cut.complete and plain.value == cut.value == _brute_numpy(g)
    assert plain.stats["cut_nodes"] == 0 and plain.stats["cut_leaves"] == 0
    assert cut.nodes < plain.nodes


def test_auto_uses_the_diagonal_dual_on_small_games_and_the_cuts_on_large_ones_with_two_workers() -> None:
    from bounds.xor_bnb import AUTO_CUT_ROWS

    small = _random(16, 15, 26)
    r = solve_classical_bnb(small, enum_limit=3, workers=2, split=3, node_bound="auto")
    assert r.complete and r.value == _brute_numpy(small) and r.stats["cut_nodes"] == 0
    big = _random(AUTO_CUT_ROWS, AUTO_CUT_ROWS + 2, 27)
    r = solve_classical_bnb(big, workers=2, split=3, node_bound="auto")
    assert r.complete and r.stats["cut_nodes"] > 0 and r.stats["cut_leaves"] > 0
    # the checked upper bound equals the value of the strategy found: the exact classical value (no enumeration of 2^28 signs needed)
    assert check_certificate(xor_bnb_certificate(big, r), "test").value == big.strategy_value(r.a, r.b)
    assert r.value == solve_classical_bnb(big, node_bound="diagonal").value


@pytest.mark.slow
def test_random_24_by_24_matches_the_exhaustive_search() -> None:
    from bench.xor import random_game

    g = random_game(24, 1024)
    r = solve_classical_bnb(g, enum_limit=10)
    v, _, _ = g.classical_exhaustive()
    assert r.complete and Fraction(1, 2) + Fraction(r.value, 2 * g.integer_form[1]) == v
    assert check_certificate(xor_bnb_certificate(g, r), "test").value == v


def test_two_workers_stopped_in_every_subtree_certify_their_frontier() -> None:
    """With two workers each subtree below the split stops after one node: the frontier holds the open nodes of every worker."""
    g = _random(15, 13, 11)
    r = solve_classical_bnb(g, enum_limit=0, workers=2, split=3, node_limit=1, node_bound="diagonal")
    assert not r.complete and r.frontier and r.upper is not None and r.transposed
    assert _exactly_once([lf.prefix for lf in [*r.leaves, *r.frontier]], 13)
    b = check_certificate(xor_bnb_certificate(g, r), "test")
    assert b.value == Fraction(1, 2) + Fraction(r.upper, 2 * g.integer_form[1]) and r.upper >= _brute_numpy(g) >= r.value
