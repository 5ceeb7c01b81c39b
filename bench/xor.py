"""Benchmark: finite XOR games, toqito and plain cvxpy against qcoord's certified values, in one run.

Run:  python bench/xor.py [--sizes 2,4,8,16,32,64,128] [--paper 8,16,32,64,128] [--classical 8,12,16,20,24] [--timeout 300] [--repeats 5]
      [--ours-repeats 300] [--warmup 5]

Games: random ``n x n`` XOR games (integer weights 1..9 normalised exactly,
random predicates, fixed seed), and the paper's game (``C = 0.33``)
discretised to ``N`` bins, its float cell matrix read exactly; toqito gets
``prob = |M| / sum|M|``, ``pred = [M < 0]`` and its value ``v`` maps back by
``P = 1/2 + sum|M| (2 v - 1) / 2``.

Columns: our time (Tsirelson solve, both certificates built and verified by
the proofs/ checkers, in memory: the checkers take the game's validated
``BiasMatrix`` and the arrays, :func:`proofs.checkers.xor.check_xor_dual_arrays`
and :func:`proofs.checkers.xor.check_xor_vectors_ints`, the same lemma X1/X2
checks as on the files; the game is made afresh for every repeat, so its
integer form, SHA-256 and float enclosure are timed too; ``--write`` adds
writing and re-reading the files), the certified bracket width, each peer's time, the ratio peer / ours
and the peer's distance from our certified bracket (0 when inside).  Times
are medians of ``--repeats`` runs (``--ours-repeats`` for ours: each run takes well
under a millisecond, so a few hundred runs give a median that does not move between
runs; the machine may be shared: medians, not minima); a peer runs its repeats in one child process with a wall-clock
limit (``--timeout``, one repeat above 10 s) and is skipped for larger sizes
once it exceeds it.

The classical table compares toqito's ``classical_value`` with our exact value
(exhaustive search, certificate re-checked), past the exhaustive limit the
branch and bound (``xor-classical-bnb``, column "upper by" = ``classical_bnb``)
and, when that does not finish within ``--time-limit``, our certified bracket
(local search vs the Tsirelson dual, "upper by" = ``quantum_dual``).
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

# one BLAS thread for ours as for the peers' child processes (run_peer), set before numpy loads: idle BLAS worker threads
# spinning after a small product are CPU time of the process, so the CPU clock of a multi-threaded BLAS counts them
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def random_game(n: int, seed: int) -> Any:
    from games.xor import XorMatrixGame

    rng = np.random.default_rng(seed)
    w = rng.integers(1, 10, (n, n))
    sign = rng.choice([1, -1], (n, n))
    tot = int(w.sum())
    return XorMatrixGame(tuple(tuple(Fraction(int(a * s), tot) for a, s in zip(wr, sr)) for wr, sr in zip(w, sign)))


def paper_game_matrix(n: int) -> Any:
    from games.catalogue import paper_game
    from games.discretise import discretise
    from games.xor import XorMatrixGame

    m = np.asarray(discretise(paper_game(0.33), n).matrix, dtype=np.float64)
    return XorMatrixGame(tuple(tuple(Fraction(float(v)) for v in row) for row in m))


def _toqito_args(m: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    s = float(np.abs(m).sum())
    return np.abs(m) / s, (m < 0).astype(int), s


def _peer_once(name: str, m: np.ndarray) -> float:
    import cvxpy as cp
    from toqito.nonlocal_games.xor_game import XORGame

    if name in ("toqito-quantum", "toqito-classical"):
        prob, pred, s = _toqito_args(m)
        g = XORGame(prob, pred)
        v = g.quantum_value() if name == "toqito-quantum" else g.classical_value()
        return 0.5 + s * (2 * float(v) - 1) / 2
    r, c = m.shape
    gv = cp.Variable((r + c, r + c), PSD=True)
    pr = cp.Problem(cp.Maximize(cp.sum(cp.multiply(m, gv[:r, r:]))), [cp.diag(gv) == 1])
    pr.solve(solver=cp.SCS)
    return 0.5 + 0.5 * float(pr.value)


def _peer_worker(name: str, m: np.ndarray, repeats: int, clock: str, q: Any, warmup: int = 0) -> None:
    import cvxpy  # noqa: F401  (imports excluded from the times)
    import toqito.nonlocal_games.xor_game  # noqa: F401

    now = CLOCKS[clock]
    for _ in range(warmup):  # untimed, as for ours (ours_quantum)
        _peer_once(name, m)
    times = []
    val = 0.0
    for _ in range(repeats):
        t = now()
        val = _peer_once(name, m)
        times.append(now() - t)
        if times[-1] > 10:
            break
    q.put((val, float(np.median(times))))


def run_peer(name: str, m: np.ndarray, timeout: float, repeats: int = 1, clock: str = "wall", warmup: int = 0) -> tuple[float, float] | None:
    """``(value, median seconds)`` of a peer in a child process (one thread per BLAS), or None past ``timeout``; ``warmup`` untimed runs first."""
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, "1")  # inherited by the spawned child before it imports numpy
    ctx = mp.get_context("spawn")
    q = ctx.Queue()
    p = ctx.Process(target=_peer_worker, args=(name, m, repeats, clock, q, warmup))
    p.start()
    p.join(timeout)
    if p.is_alive():
        p.kill()
        p.join()
        return None
    return q.get() if not q.empty() else None


def _dist(v: float, lo: float, hi: float) -> float:
    return max(0.0, lo - v, v - hi)


CLOCKS = {"cpu": time.process_time, "wall": time.perf_counter}


def ours_quantum(g: Any, repeats: int, write: bool, clock: str, warmup: int = 0) -> tuple[float, Any]:
    """Median time of the certified quantum bracket (:func:`proofs.certify.xor.certify_quantum`: solve, both certificates, both checkers),
    after ``warmup`` untimed runs (each on a fresh copy of the game, as every timed run)."""
    from pathlib import Path

    from games.xor import XorMatrixGame
    from proofs.certify.xor import certify_quantum

    d = Path(tempfile.mkdtemp()) if write else None
    now = CLOCKS[clock]
    for _ in range(warmup):
        certify_quantum(XorMatrixGame(g.bias), d, {})
    times = []
    b = None
    for _ in range(repeats):
        fresh = XorMatrixGame(g.bias)  # no cached integer form carried between repeats
        t = now()
        b, _, _, _ = certify_quantum(fresh, d, {})
        times.append(now() - t)
    return float(np.median(times)), b


def quantum_table(label: str, games: list[tuple[int, Any]], timeout: float, peers: list[str], repeats: int, write: bool, clock: str,
                  warmup: int = 0, ours_repeats: int = 0) -> None:
    ours_repeats = ours_repeats or repeats
    print(f"\n== quantum value, {label} (medians of {ours_repeats} runs of ours and {repeats} of each peer, {clock} clock, "
          f"{warmup} untimed runs first) ==")
    print(f"{'n':>5} {'ours s':>9} {'width':>9} " + " ".join(f"{p + ' s':>16} {'ratio':>7} {'dist':>9}" for p in peers))
    dead: set[str] = set()
    for n, g in games:
        ours, b = ours_quantum(g, ours_repeats, write, clock, warmup)
        lo, hi = float(b.lower.value), float(b.upper.value)
        cells = []
        for p in peers:
            res = None if p in dead else run_peer(p, g.matrix, timeout, repeats, clock, warmup)
            if res is None:
                dead.add(p)
                cells.append(f"{'timeout/skip':>16} {'-':>7} {'-':>9}")
            else:
                cells.append(f"{res[1]:16.3f} {res[1] / ours:7.1f} {_dist(res[0], lo, hi):9.2e}")
        print(f"{n:5d} {ours:9.5f} {hi - lo:9.2e} " + " ".join(cells), flush=True)


def classical_table(sizes: list[int], timeout: float, time_limit: float) -> None:
    from proofs.certify.xor import certify_xor

    print("\n== classical value, random n x n games ==")
    print(f"{'n':>5} {'ours s':>8} {'exact':>6} {'upper by':>13} {'gap':>9} {'toqito s':>10} {'ratio':>7} {'dist':>9}")
    dead = False
    d = tempfile.mkdtemp()
    for n in sizes:
        g = random_game(n, seed=1000 + n)
        t = time.perf_counter()
        r = certify_xor(g, time_limit=time_limit, cert_dir=d)
        ours = r.seconds["classical"]
        total = time.perf_counter() - t
        lo, hi = float(r.classical.lower.value), float(r.classical.upper.value)
        res = None if dead else run_peer("toqito-classical", g.matrix, timeout)
        if res is None:
            dead = True
            peer = f"{'timeout/skip':>10} {'-':>7} {'-':>9}"
        else:
            peer = f"{res[1]:10.3f} {res[1] / ours:7.1f} {_dist(res[0], lo, hi):9.2e}"
        how = r.classical.upper.checker.split(" ")[0].rsplit(":", 1)[-1].replace("check_xor_", "")  # classical, classical_bnb, quantum_dual
        print(f"{n:5d} {ours:8.3f} {r.classical_exact!s:>6} {how:>13} {hi - lo:9.2e} {peer}  (total with quantum {total:.2f} s)", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="2,4,8,16,32,64,128")
    ap.add_argument("--paper", default="8,16,32,64,128")
    ap.add_argument("--classical", default="8,12,16,20,24,32,40,48,64")
    ap.add_argument("--peers", default="toqito-quantum,cvxpy-scs")
    ap.add_argument("--timeout", type=float, default=300.0)
    ap.add_argument("--time-limit", type=float, default=60.0, help="classical budget of ours per game")
    ap.add_argument("--repeats", type=int, default=5, help="runs per quantum row (medians reported)")
    ap.add_argument("--ours-repeats", type=int, default=0,
                    help="timed runs of ours per quantum row (0: --repeats); ours take well under a millisecond, so hundreds give a stable median")
    ap.add_argument("--clock", choices=sorted(CLOCKS), default="cpu", help="process CPU time (default: fair on a shared machine) or wall time")
    ap.add_argument("--write", action="store_true", help="include writing and re-reading the certificate files in our quantum time")
    ap.add_argument("--warmup", type=int, default=0, help="untimed runs of ours and of each peer before the timed ones of a quantum row")
    a = ap.parse_args()
    ints = lambda s: [int(t) for t in s.split(",") if t]  # noqa: E731
    peers = [p for p in a.peers.split(",") if p]
    print(f"load average {os.getloadavg()}")
    from proofs.certify.xor import certify_xor

    certify_xor(random_game(3, 0), write=False)  # warm-up: numba compilation is not part of any row
    quantum_table("random n x n games", [(n, random_game(n, seed=n)) for n in ints(a.sizes)], a.timeout, peers, a.repeats, a.write, a.clock,
                  a.warmup, a.ours_repeats)
    quantum_table("paper's game C = 0.33, N bins", [(n, paper_game_matrix(n)) for n in ints(a.paper)], a.timeout, peers, a.repeats, a.write,
                  a.clock, a.warmup, a.ours_repeats)
    classical_table(ints(a.classical), a.timeout, a.time_limit)


if __name__ == "__main__":
    main()
