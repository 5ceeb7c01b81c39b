"""Hostile certificates of every kind end in CertificateFormatError, quickly, never a hang or a traceback.

Every number field is read through :func:`proofs.exact.rational.parse_fraction`
(digit limits before any arithmetic), so an exponent such as ``"1e999999999"``
is refused instead of expanded; sizes are capped per kind; a legal rational far
beyond the float range is refused (or, as a bound, accepted as vacuous and
printed without a float conversion).  The table runs in a subprocess with a
timeout: a hang fails the test instead of stalling the suite (a signal cannot
interrupt a long big-integer operation inside the interpreter).
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

from proofs.checkers.registry import check_certificate
from proofs.cli.main import main
from proofs.exact.certificate import SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[3]
BIG = str(10**399)  # 400 digits: the largest integer the parser reads
HUGE_EXP = "1e999999999"  # Fraction() would expand it to a billion-digit integer
PER_CASE_SECONDS = 10.0

SYSTEM = {"type": "system", "law": "exponential", "lam": "3/5", "mu": "1/1", "W_limit": "33/20", "order": "random"}
# a quantum system-dual as bounds.system_certificates writes it (rho = 0.6, W_limit = 1.65)
QUANTUM_DUAL = {
    "schema": 2, "kind": "system-dual", "game": SYSTEM, "N": None, "side": "lower", "model": "quantum",
    "nu": "6875259873/4294967296",
    "alpha": {"a2": "4476951650795429/9007199254740992", "xstar": "8371624703703577/36028797018963968", "delta": "3306633713974551/144115188075855872"},
    "beta": {"a2": "8953903301502469/18014398509481984", "xstar": "4185812351746867/18014398509481984", "delta": "6613267428015961/288230376151711744"},
    "visibility": "1/1", "bound": "31753916585271/50000000000000",
}
ALWAYS_SPLIT = {
    "schema": 2, "kind": "system-strategy", "game": {**SYSTEM, "W_limit": "3/2"}, "N": None, "side": "upper", "model": "classical", "bound": "1",
    "components": [{"weight": "1", "a": {"u": "0", "sign": 1}, "b": {"u": "0", "sign": -1}}],
}
LINEAR = {"type": "linear", "s": "1"}


def _law_game(law: str, t: str, param: str | None = None) -> dict:
    g = {"type": "sum-threshold", "law": law, "t": t}
    if param is not None:
        g["param"] = param
    return g


def _raw(kind: str, game: dict, n: int | None, side: str, bound: str, **data: object) -> dict:
    # like proofs.exact.new_certificate, without validating the game (the checker must do that)
    return {"schema": SCHEMA_VERSION, "kind": kind, "game": game, "N": n, "side": side, "bound": bound, **data}


def _strategy(game: dict, n: int = 4, bound: str = "0") -> dict:
    return _raw("classical-strategy", game, n, "lower", bound, bins=n, g=[1] * n, h=[-1] * n)


def _with(cert: dict, path: tuple, value: object) -> dict:
    c = copy.deepcopy(cert)
    obj = c
    for k in path[:-1]:
        obj = obj[k]
    obj[path[-1]] = value
    return c


def _classical_dual(breaks: int) -> dict:
    return {**{k: v for k, v in QUANTUM_DUAL.items() if k not in ("alpha", "beta", "visibility")}, "model": "classical",
            "breaks": [f"{k}/{breaks - 1}" for k in range(breaks)]}


def _text_bound(digits: int) -> str:
    return json.dumps(_strategy(LINEAR, 2)).replace('"bound": "0"', f'"bound": {"9" * digits}')


# (case id, certificate dict or raw JSON text, words the message must contain)
CASES: list[tuple[str, object, tuple[str, ...]]] = [
    # exponent notation in every kind of number field: refused by the parser, not expanded
    ("law-t-exponent", _strategy(_law_game("exponential", HUGE_EXP)), ("`t`",)),
    ("law-t-exponent-upper-e", _strategy(_law_game("exponential", "1E999999999")), ("`t`",)),
    ("law-param-exponent", _strategy(_law_game("gamma", "3/2", HUGE_EXP)), ("`param`",)),
    ("law-param-neg-exponent", _strategy(_law_game("lognormal", "3/2", "1e-999999999")), ("`param`",)),
    ("system-lam-exponent", _with(QUANTUM_DUAL, ("game", "lam"), HUGE_EXP), ("`lam`",)),
    ("system-law-param-exponent", _with(QUANTUM_DUAL, ("game",), {**SYSTEM, "law": "gamma", "param": HUGE_EXP, "mu": None}), ("`param`",)),
    ("system-nu-exponent", _with(QUANTUM_DUAL, ("nu",), HUGE_EXP), ("`nu`",)),
    ("system-xstar-exponent", _with(QUANTUM_DUAL, ("alpha", "xstar"), HUGE_EXP), ("alpha.xstar",)),
    ("system-visibility-exponent", _with(QUANTUM_DUAL, ("visibility",), HUGE_EXP), ("`visibility`",)),
    ("strategy-weight-exponent", _with(ALWAYS_SPLIT, ("components", 0, "weight"), HUGE_EXP), ("`weight`",)),
    ("strategy-u-exponent", _with(ALWAYS_SPLIT, ("components", 0, "a", "u"), HUGE_EXP), ("a.u",)),
    ("header-bound-exponent", _with(_strategy(LINEAR, 2), ("bound",), HUGE_EXP), ("`bound`",)),
    ("tsirelson-x-exponent", _raw("tsirelson-dual", LINEAR, 2, "upper", "1", bins=2, x=[HUGE_EXP, "1"], y=["1", "1"]), ("x[0]",)),
    ("dp-tau-exponent", _raw("classical-dp", {"type": "hyperbolic", "C": "1/2"}, None, "upper", "1", bins=2, tau=HUGE_EXP,
                                        scale_bits=30, leaves=[]), ("`tau`",)),
    ("werner-v-exponent", _raw("werner-strategy", LINEAR, 2, "lower", "1/2", bins=2, v=HUGE_EXP), ("`v`",)),
    ("game-C-exponent", _strategy({"type": "hyperbolic", "C": HUGE_EXP}), ("`C`",)),
    ("underscore-digits", _with(_strategy(LINEAR, 2), ("bound",), "1_000/3"), ("`bound`",)),
    # JSON numbers: a 100000-digit integer, a float overflowing to infinity
    ("json-long-integer", _text_bound(100_000), ("digits",)),
    ("json-float-overflow", _text_bound(1).replace('"bound": 9', '"bound": 1e999999999'), ("infinity",)),
    # legal digits, but outside the range a checker handles
    ("law-t-beyond-range", _strategy(_law_game("exponential", BIG)), ("`t`", "1000000")),
    ("hyperexponential-cv-beyond-range", _strategy(_law_game("hyperexponential", "2", BIG)), ("`param`", "100")),
    ("lomax-alpha-beyond-range", _strategy(_law_game("lomax", "2", BIG)), ("`param`", "100")),
    ("system-xstar-beyond-float", _with(QUANTUM_DUAL, ("alpha", "xstar"), "-" + BIG), ("out of the range",)),
    ("system-nu-beyond-float", _with(QUANTUM_DUAL, ("nu",), BIG), ("out of the range",)),
    ("system-W-limit-beyond-float", _with(QUANTUM_DUAL, ("game", "W_limit"), BIG), ("out of the range",)),
    # sizes: capped before any entry is read
    ("system-dual-200000-breaks", _classical_dual(200_000), ("'breaks'", "2048", "200000")),
    ("system-dual-2049-breaks", _classical_dual(2049), ("'breaks'", "2048", "2049")),
    ("system-strategy-9-components", _with(ALWAYS_SPLIT, ("components",), ALWAYS_SPLIT["components"] * 9), ("'components'", "8", "9 entries")),
    ("threshold-65-switches", _raw("classical-threshold", LINEAR, None, "lower", "1/2", a_switches=["1/2"] * 65,
                                   b_switches=[], a_start=1, b_start=1), ("a_switches", "64", "65")),
    ("bnb-2048-bins", _raw("classical-bnb", {"type": "hyperbolic", "C": "33/100"}, 2048, "upper", "1", bins=2048, scale_bits=10,
                                      leaves=[]), ("'bins'", "1024")),
    ("strategy-4096-bins", _strategy(LINEAR, 4096), ("'bins'", "2048")),
    ("vectors-512x1024", _raw("quantum-vectors", LINEAR, 512, "lower", "0", bins=512, u=[["0"] * 1024] * 512, v=[["0"] * 1024] * 512),
     ("'u'", str(2**18), "524288")),
    ("dp-2000-bins", _raw("classical-dp", {"type": "hyperbolic", "C": "1/3"}, None, "upper", "1", bins=2000, tau="1/3", scale_bits=40, leaves=[]),
     ("'bins'", "400")),
]

_WORKER = r"""
import json, sys, time
from proofs.checkers.registry import check_certificate
from proofs.exact.errors import CertificateFormatError
for path in sys.argv[1:]:
    print(json.dumps({"start": path}), flush=True)
    t = time.perf_counter()
    try:
        check_certificate(path)
        res = {"error": None}
    except Exception as exc:  # noqa: BLE001 - the test reports the class
        res = {"error": type(exc).__name__, "format": isinstance(exc, CertificateFormatError), "message": str(exc)}
    res.update(path=path, seconds=time.perf_counter() - t)
    print(json.dumps(res), flush=True)
"""


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict]:
    folder = tmp_path_factory.mktemp("hostile")
    paths = []
    for name, cert, _ in CASES:
        p = folder / f"{name}.json"
        p.write_text(cert if isinstance(cert, str) else json.dumps(cert))
        paths.append(str(p))
    budget = PER_CASE_SECONDS * len(CASES)
    proc = subprocess.Popen([sys.executable, "-c", _WORKER, *paths], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        out, err = proc.communicate(timeout=budget)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    results: dict[str, dict] = {}
    running = None
    for line in out.splitlines():
        rec = json.loads(line)
        name = Path(rec.get("start") or rec["path"]).stem
        if "start" in rec:
            running = name
        else:
            results[name] = rec
            running = None
    if running is not None:
        results[running] = {"error": "HANG", "format": False, "message": f"no answer within the {budget:.0f} s budget; stderr: {err[-500:]}", "seconds": budget}
    return results


@pytest.mark.parametrize("name, words", [(n, w) for n, _, w in CASES], ids=[n for n, _, _ in CASES])
def test_hostile_certificate_is_refused_quickly(outcomes: dict[str, dict], name: str, words: tuple[str, ...]) -> None:
    res = outcomes.get(name)
    assert res is not None, f"{name}: no result (an earlier case hung)"
    assert res["error"] is not None, f"{name}: accepted"
    assert res["format"], f"{name}: {res['error']}: {res['message']}"
    for w in words:
        assert w in res["message"], f"{name}: {w!r} not in {res['message']!r}"
    assert res["seconds"] < PER_CASE_SECONDS, f"{name}: {res['seconds']:.1f} s"


# ---------------------------------------------------------------- vacuous bounds beyond the float range
def _cli(tmp_path: Path, capsys: pytest.CaptureFixture[str], cert: dict, *args: str) -> tuple[int, str]:
    p = tmp_path / "c.json"
    p.write_text(json.dumps(cert))
    code = main(["check", str(p), *args])
    out = capsys.readouterr()
    return code, out.out + out.err


def test_lower_bound_beyond_the_float_range_is_vacuous(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # -10^399 is a true lower bound on any winning probability: accepted, labelled TRIVIAL, printed exactly
    cert = _strategy(LINEAR, 2, "-" + BIG)
    b = check_certificate(cert)
    assert b.value == -(10**399) and b.trivial and float(b) == float("-inf")
    code, out = _cli(tmp_path, capsys, cert)
    assert code == 0 and "-1e+399" in out and "TRIVIAL" in out
    code, out = _cli(tmp_path, capsys, cert, "--json")
    d = json.loads(out)
    assert code == 0 and d["value"] is None and d["value_exact"] == f"-{BIG}/1" and d["trivial"] is True


def test_p_split_upper_bound_beyond_the_float_range_is_vacuous(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cert = _with(ALWAYS_SPLIT, ("bound",), BIG)
    code, out = _cli(tmp_path, capsys, cert)
    assert code == 0 and "<= 1e+399" in out and "TRIVIAL: says nothing about p_split" in out
    # a lower bound on p_split above 0 says something: the range of p_split is [0, 1], not the [1/2, 1] of a winning probability
    assert not check_certificate(_with(QUANTUM_DUAL, ("bound",), "3/10")).trivial
    assert check_certificate(_with(QUANTUM_DUAL, ("bound",), "0")).trivial


def test_refused_bound_beyond_the_float_range_has_no_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # a lower bound of 10^399 on a winning probability is false: refused, and the message prints it exactly
    code, out = _cli(tmp_path, capsys, _strategy(LINEAR, 2, BIG))
    assert code == 1 and "INVALID" in out and "1e+399" in out and "Traceback" not in out
