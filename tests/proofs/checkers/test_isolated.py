"""``qcoord check`` verifies every certificate kind without any solver: importing one raises."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bounds.certificates import dual_certificate, save_certificate, vectors_certificate
from bounds.classical_continuum import continuum_classical
from bounds.classical_exact import exact_classical
from bounds.tsirelson import tsirelson
from games import discretise, paper_game
from proofs.checkers.quantum import relaxation_slack
from proofs.checkers.registry import CHECKERS
from proofs.exact import cell_enclosure

ROOT = Path(__file__).resolve().parents[3]
BLOCKED = ("cvxpy", "scs", "clarabel", "numba", "bounds", "games")

_CHILD = """
import sys

BLOCKED = {blocked!r}


class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"{{name}} is blocked: a checker must not import it")
        return None


sys.meta_path.insert(0, Block())
from proofs.cli.main import main

codes = [main(["check", p]) for p in sys.argv[1:]]
print(" ".join(map(str, codes)))
print(sorted(m for m in sys.modules if m.split(".")[0] in BLOCKED))
"""


def _system_certificates() -> list[dict]:
    from bounds.system import solve_class
    from bounds.system_certificates import dual_certificate, strategy_certificate
    from bounds.system_point import operating_point

    pt = operating_point(0.6, 1.65)
    sol = solve_class(pt, "quantum")
    return [dual_certificate(pt, "classical", 1.5), dual_certificate(pt, "quantum", sol.nu), strategy_certificate(pt, sol)]


def _routers_certificates(tmp: Path) -> list[dict]:
    """A K = 3 classical routers-dual (inner threshold certificate) and a routers-strategy (proofs.checkers.routers_system)."""
    import json

    from proofs.certify.routers import routers_result

    r = routers_result(3, 0.4, 2.5, N=3, resources=(), cert_dir=tmp / "routers", relaxation=(4, 1, 0))
    certs = [json.loads(Path(p).read_text()) for p in r.certificates]
    firsts = {c["kind"]: c for c in reversed(certs)}  # the first of each kind (routers-continuum-dual: lemma R7)
    from bounds.routers_ideal import ideal_certificates  # the ideal class (proofs.checkers.routers_ideal, lemma R8)
    from games.routers import RouterModel

    return list(firsts.values()) + list(ideal_certificates(RouterModel.at_load(2, 0.6), 2.0).values())


def _werner_system_certificate() -> dict:
    # lemma W4: the classical and noiseless quantum system duals at one multiplier, combined for Werner pairs
    import numpy as np

    from bounds.noise_system import noisy_system, werner_system_dual_certificate

    return werner_system_dual_certificate(noisy_system(0.6, 1.65, nus=np.array([1.4, 1.6])), 0.9, 0.5, nu=1.5)


def _xor_certificates() -> list[dict]:
    # a finite XOR game (proofs.checkers.xor): a rectangular 2 x 3 game, every xor-* kind and side
    from bounds.xor import solve_quantum, xor_classical_certificate, xor_dual_certificate, xor_vectors_certificate
    from games.xor import XorMatrixGame

    g = XorMatrixGame.from_bias([["1/4", "1/8", "1/8"], ["1/4", "-1/8", "-1/8"]])
    s = solve_quantum(g)
    value, a, b = g.classical_exhaustive()
    from bounds.xor_bnb import rounded_game, solve_classical_bnb, xor_bnb_certificate, xor_rounded_certificate

    f = XorMatrixGame.from_toqito([[0.2155419510967969, 0.0004184678540380553], [0.29047845574637, 0.493561125302795]], [[0, 0], [1, 0]])
    r = rounded_game(f)
    return [xor_dual_certificate(g, s.x, s.y), xor_dual_certificate(g, s.x, s.y, "classical"), xor_vectors_certificate(g, s.u, s.v),
            xor_classical_certificate(g, "lower", value, a, b), xor_classical_certificate(g, "upper", value),
            xor_bnb_certificate(g, solve_classical_bnb(g, enum_limit=0)),
            xor_rounded_certificate(f, r, xor_bnb_certificate(r, solve_classical_bnb(r, enum_limit=0)))]


def _multiparty_certificates() -> list[dict]:
    # K-party correlator games (proofs.checkers.multiparty_*): threshold and strategy certificates, a triangle of Bell pairs
    from fractions import Fraction

    from bounds.multiparty_classical import stand_in, threshold_certificates
    from bounds.multiparty_quantum import bell_network, optimise, quantum_certificate

    fg = stand_in(3, Fraction(1, 2))
    cert, _ = quantum_certificate(fg.game(), optimise(fg.game(), bell_network(3), restarts=1))
    return [*threshold_certificates(fg).values(), cert]


def test_every_kind_checks_without_solvers(tmp_path: Path) -> None:
    game = paper_game(0.33)
    d = discretise(game, 40)  # N > 32: the verified-Cholesky path
    r = tsirelson(d)
    enc = cell_enclosure(game, 40)
    certs = [
        dual_certificate(d, r.x, r.y),
        dual_certificate(d, r.x, r.y, continuum=True, relaxation="mean", slack=relaxation_slack(enc, "mean")),
        vectors_certificate(d, r.strategy.u, r.strategy.v),
        *exact_classical(game, 12).certificates.values(),
        *continuum_classical(game, bins=20).certificates.values(),
        *_system_certificates(),
    ]
    # Werner noise (proofs.checkers.noise): an explicit strategy, and the split bound over two continuum upper certificates above
    from bounds.noise import mixture_certificate, scaled_optimum, werner_certificate

    certs.append(werner_certificate(d, scaled_optimum(r.strategy.u, r.strategy.v), 0.9))
    certs.append(mixture_certificate(0.9, continuum_classical(game, bins=20).certificates["upper"], certs[1]))
    certs.append(_werner_system_certificate())
    # the continuum relaxation of an N-bin branch and bound (proofs.checkers.classical_relaxed, lemma C3)
    certs.append({**exact_classical(game, 12).certificates["upper"], "kind": "classical-bnb-relaxed", "N": None, "bound": "1"})
    # the N-bin dual as a continuum dual (proofs.checkers.quantum_continuum, lemma Q6)
    from bounds.quantum_continuum import continuum_dual

    certs.append(continuum_dual(d, result=r).certificate)
    certs.extend(_xor_certificates())
    certs.extend(_multiparty_certificates())
    # a three-party correlator game at NPA level 1+ab (proofs.checkers.multiparty, lemma N1)
    import numpy as np

    from bounds.npa_multiparty import npa_multiparty
    from games.multiparty import CorrelatorGame

    certs.append(npa_multiparty(CorrelatorGame.pairwise(3, np.array([[1.0, -1.0], [-1.0, 0.5]]) / 16), level="1+ab").certificate)
    certs.extend(_routers_certificates(tmp_path))
    # W_q of a slotted rule, both sides (proofs.checkers.slot_queue, lemma T4 (e'))
    from bounds.slot_work import RankRule
    from bounds.slots import slot_point
    from proofs.certify.slots import slot_certificate

    pt = slot_point(0.4, 100.0, h=0.125)
    certs.extend(slot_certificate(pt, 0.5, RankRule.constant(0.0), "classical", side) for side in ("lower", "upper"))
    assert {c["kind"] for c in certs} == set(CHECKERS)
    paths = [save_certificate(c, tmp_path) for c in certs]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = _CHILD.format(blocked=BLOCKED)
    res = subprocess.run([sys.executable, "-c", child, *paths], capture_output=True, text=True, timeout=600, env=env, cwd=ROOT)
    lines = res.stdout.splitlines()[-2:]  # after one VALID line per certificate
    assert res.returncode == 0 and res.stdout.count("VALID: ") == len(paths), res.stdout + res.stderr
    assert lines[0].split() == ["0"] * len(paths), res.stdout + res.stderr
    assert lines[1] == "[]"
