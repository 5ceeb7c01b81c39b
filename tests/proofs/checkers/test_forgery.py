"""Hostile certificates: one case per class of forgery an adversary tried.

Each case is answered quickly with exit 1 ``INVALID: <reason>`` (a well-formed
certificate that does not prove its claim) or exit 2 ``unreadable: <reason>``
(malformed, over a size limit, of another schema), never a traceback or a hang.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

from bounds.classical_certificates import strategy_certificate, threshold_certificate
from bounds.classical_continuum import continuum_classical
from games import linear_boundary_game, paper_game
from proofs.checkers.registry import check_certificate
from proofs.cli.main import main
from proofs.exact import SCHEMA_VERSION, CertificateError, cell_enclosure, new_certificate
from proofs.exact.certificate import MAX_BYTES

ROOT = Path(__file__).resolve().parents[3]


def _run(tmp_path: Path, capsys: pytest.CaptureFixture[str], cert: object, *args: str) -> tuple[int, str]:
    p = tmp_path / "c.json"
    p.write_text(cert if isinstance(cert, str) else json.dumps(cert))
    code = main(["check", str(p), *args])
    out = capsys.readouterr()
    return code, out.out + out.err


def _strategy(game: dict, n: int, bound: str, g: int = 1, h: int = 1) -> dict:
    return new_certificate("classical-strategy", game, n, "lower", Fraction(bound), bins=n, g=[g] * n, h=[h] * n)


# ---------------------------------------------------------------- the two false accepts
S_BIG = "70710678118654757/100000000000000000"


def test_linear_classification_exact_for_large_denominators() -> None:
    # independent classification by direct rational comparison of the cell corners
    s = Fraction(S_BIG)
    n = 200
    kind = cell_enclosure({"type": "linear", "s": S_BIG}, n).kind
    for i in range(0, n, 7):
        for j in range(n):
            if Fraction(i + j + 2, n) <= s:
                want = 1
            elif Fraction(i + j, n) >= s:
                want = -1
            else:
                want = 0
            assert kind[i, j] == want, (i, j)


def test_linear_overflow_forgery_rejected(tmp_path, capsys) -> None:  # noqa: ANN001
    # g = h = +1 wins exactly on the bunch region: value = area {a + b <= s} = s^2 / 2 ~ 0.25, not 1
    code, msg = _run(tmp_path, capsys, _strategy({"type": "linear", "s": S_BIG}, 200, "1"))
    assert code == 1 and "INVALID" in msg
    s = Fraction(S_BIG)
    ok = _strategy({"type": "linear", "s": S_BIG}, 200, str(s * s / 2 - Fraction(1, 10**6)))
    assert check_certificate(ok).value < Fraction(26, 100)


def test_float_parameter_games_certify() -> None:
    # 0.1 + 0.2 is certified as the game with s = its shortest decimal 0.30000000000000004
    b = check_certificate(strategy_certificate(linear_boundary_game(0.1 + 0.2), [1, -1, -1, -1], [1, -1, -1, -1]))
    assert b.target.game == {"type": "linear", "s": "7500000000000001/25000000000000000"}


@pytest.mark.parametrize("C", [1e-5, 5e-5, 1e-6])
def test_small_C_dp_consistent_with_threshold_lower_bound(C: float) -> None:
    # the audit's contradiction: a forged DP upper bound below a checked threshold lower bound
    game = paper_game(C)
    lower = check_certificate(threshold_certificate(game, [Fraction(1) - 2 * Fraction(repr(C))], [Fraction(1) - 2 * Fraction(repr(C))], 1, 1))
    upper = check_certificate(continuum_classical(game, bins=4).certificates["upper"])  # the solver's certificate passes
    assert lower.value <= upper.value
    forged = copy.deepcopy(continuum_classical(game, bins=4).certificates["upper"])
    forged["scale_bits"] = 52
    forged["bound"] = "99989926/100000000"
    forged["leaves"] = [{"j": x["j"], "bound_units": int(Fraction(99989926, 10**8) * 2**53 - 2**52)} for x in forged["leaves"]]
    with pytest.raises(CertificateError, match=r"overflow|exceeds"):
        check_certificate(forged)


def test_small_C_forgery_cli(tmp_path, capsys) -> None:  # noqa: ANN001
    game = {"type": "hyperbolic", "C": "1/100000"}
    leaves = [{"j": j, "bound_units": int(Fraction(99989926, 10**8) * 2**53 - 2**52)} for j in range(-4, 5)]
    forged = new_certificate("classical-dp", game, None, "upper", Fraction(99989926, 10**8), bins=4, tau="1/100000", scale_bits=52, leaves=leaves)
    code, msg = _run(tmp_path, capsys, forged)
    assert code == 1 and "INVALID" in msg


# ---------------------------------------------------------------- second audit: Werner strategies on law games, noisy system duals
def _werner_always_bunch(game: dict, n: int, bound: str) -> dict:
    z = [[0, 0, 0]] * n
    return new_certificate("werner-strategy", game, n, "lower", Fraction(bound), bins=n, v="0", denominator=1,
                           a={"s": [1] * n, "r": z}, b={"s": [1] * n, "r": z})


@pytest.mark.parametrize(
    "game, n, forged, true",
    [
        # P(X1 + X2 <= t): uniform (0, 2) at t = 3.000001: 1 - 0.999999^2/8 = 0.87500025; exponential at t = 1: 1 - 2/e = 0.26424;
        # Erlang(2, rate 2) at t = 11/8: 1 - e^{-11/4} (1 + 11/4 + (11/4)^2/2 + (11/4)^3/6) = 0.29696
        ({"type": "sum-threshold", "law": "uniform", "t": "3000001/1000000"}, 6, "65/72", "7/8"),
        ({"type": "sum-threshold", "law": "exponential", "t": "1"}, 5, "27/100", "26424/100000"),
        ({"type": "sum-threshold", "law": "gamma", "param": "2", "t": "11/8"}, 5, "3/10", "29696/100000"),
    ],
)
def test_werner_strategy_on_law_games_cli(tmp_path, capsys, game: dict, n: int, forged: str, true: str) -> None:  # noqa: ANN001
    code, msg = _run(tmp_path, capsys, _werner_always_bunch(game, n, forged))
    assert code == 1 and "INVALID" in msg and "exceeds" in msg
    code, msg = _run(tmp_path, capsys, _werner_always_bunch(game, n, true))
    assert code == 0, msg


def test_noisy_system_dual_cli(tmp_path, capsys) -> None:  # noqa: ANN001
    from bounds.system_certificates import dual_certificate
    from bounds.system_point import operating_point

    valid = dual_certificate(operating_point(0.6, 1.65), "quantum", 1.6)
    code, msg = _run(tmp_path, capsys, valid)
    assert code == 0, msg
    code, msg = _run(tmp_path, capsys, {**valid, "visibility": "1/100", "bound": "9/10"})
    assert code == 2 and "unreadable" in msg and "'visibility'" in msg and "got 1/100" in msg


# ---------------------------------------------------------------- malformed and oversized input
def _dual(**over: object) -> dict:
    c = new_certificate("tsirelson-dual", {"type": "hyperbolic", "C": "33/100"}, 2, "upper", Fraction(3001), bins=2, x=["1000", "1000"], y=["1000", "1000"])
    c.update(over)
    return c


@pytest.mark.parametrize(
    "text",
    [
        json.dumps(_dual(bound="1e-999999999")),
        json.dumps(_dual(bound="1/" + "7" * 4000)),
        json.dumps(_dual()).replace('"bound":"3001/1"', '"bound":' + "9" * 4000).replace('"bound": "3001/1"', '"bound": ' + "9" * 4000),
        json.dumps(_dual()).replace('"1000"', "NaN", 1),
        json.dumps(_dual()).replace('"1000"', "Infinity", 1),
        json.dumps(_dual()).replace('"1000"', "-Infinity", 1),
        json.dumps(_dual()).replace('"1000"', "1e999", 1),
        json.dumps(_dual(bound="NaN")),
        json.dumps(_dual(bound="inf")),
        json.dumps(_dual(bound="-Infinity")),
        json.dumps(_dual(bound=0.5)),
        "[" * 100000 + "]" * 100000,
        '{"schema": 2, "kind": "tsirelson-dual", "game": ' + "[" * 5000 + "]" * 5000 + "}",
        json.dumps(_dual(schema=3)),
        json.dumps({k: v for k, v in _dual().items() if k != "schema"}),
        json.dumps(_dual(game="hyperbolic")),
        json.dumps(_dual(game={})),
        json.dumps(_dual(game={"type": 3})),
        json.dumps(_dual(game={"type": "hyperbolic"})),
        json.dumps(_dual(game={"type": "hyperbolic", "C": 0.33})),
        json.dumps(_dual(game={"type": "hyperbolic", "C": "33/100", "name": "paper C=0.5"})),
        json.dumps(_dual(game={"boundary": {"kind": "hyperbolic", "C": "33/100"}})),
        json.dumps(_dual(N=20000, bins=20000)),
        json.dumps(_dual(N="2")),
        json.dumps(_dual(N=True)),
        json.dumps(_dual(side="lower")),
        json.dumps(_dual(x=["1000"])),
        "null",
        "\xff\xfe",
    ],
)
def test_malformed_is_unreadable(tmp_path, capsys, text: str) -> None:  # noqa: ANN001
    code, msg = _run(tmp_path, capsys, text)
    assert code == 2, msg
    assert "unreadable:" in msg and "Traceback" not in msg


OUT_OF_RANGE = [{"type": "hyperbolic", "C": c} for c in ("2", "1", "0", "-1/3")] + [{"type": "linear", "s": s} for s in ("2", "0", "5/2")]


@pytest.mark.parametrize("game", OUT_OF_RANGE)
@pytest.mark.parametrize("kind", ["tsirelson-dual", "tsirelson-dual-relaxed", "quantum-vectors", "classical-strategy", "classical-threshold", "classical-bnb", "classical-dp"])
def test_out_of_range_game_parameters_in_every_kind(tmp_path, capsys, game: dict, kind: str) -> None:  # noqa: ANN001
    side = "lower" if kind in ("quantum-vectors", "classical-strategy", "classical-threshold") else "upper"
    n = None if kind in ("tsirelson-dual-relaxed", "classical-threshold", "classical-dp") else 2
    cert = new_certificate(kind, {"type": "linear", "s": "1"}, n, side, Fraction(1, 2), bins=2)
    cert["game"] = game
    code, msg = _run(tmp_path, capsys, cert)
    assert code == 2 and ("must lie in" in msg), msg


def test_bins_limits_checked_before_work(tmp_path, capsys) -> None:  # noqa: ANN001
    dp = new_certificate("classical-dp", {"type": "hyperbolic", "C": "1/3"}, None, "upper", Fraction(1), bins=20000, tau="1/3", scale_bits=40, leaves=[])
    code, msg = _run(tmp_path, capsys, dp)
    assert code == 2 and "'bins'" in msg
    dp["bins"] = 2000  # over the limit: checking would take minutes
    code, msg = _run(tmp_path, capsys, dp)
    assert code == 2 and "'bins'" in msg and "400" in msg
    dp["bins"] = 400  # allowed, but with no leaves: refused before any reward is computed
    code, msg = _run(tmp_path, capsys, dp)
    assert code == 1 and "leaves" in msg
    bnb = new_certificate("classical-bnb", {"type": "hyperbolic", "C": "1/3"}, 2000, "upper", Fraction(1), bins=2000, scale_bits=20, leaves=[])
    code, msg = _run(tmp_path, capsys, bnb)
    assert code == 2 and "'bins'" in msg and "1024" in msg  # the chain programme costs ~N^3: capped at 1024 bins
    bnb = new_certificate("classical-bnb", {"type": "hyperbolic", "C": "1/3"}, 1024, "upper", Fraction(1), bins=1024, scale_bits=20, leaves=[])
    code, msg = _run(tmp_path, capsys, bnb)
    assert code == 1 and "leaves" in msg


def test_vacuous_bound_is_valid_but_flagged(tmp_path, capsys) -> None:  # noqa: ANN001
    code, msg = _run(tmp_path, capsys, _dual())
    assert code == 0 and "TRIVIAL" in msg
    code, msg = _run(tmp_path, capsys, _dual(), "--json")
    assert code == 0 and json.loads(msg)["trivial"] is True


def test_json_reports_the_checked_game_not_metadata(tmp_path, capsys) -> None:  # noqa: ANN001
    cert = _dual(C="1/2", name="paper C=0.5")
    code, msg = _run(tmp_path, capsys, cert, "--json")
    assert code == 0
    assert json.loads(msg)["target"]["game"] == {"type": "hyperbolic", "C": "33/100"}


# ---------------------------------------------------------------- files that are not certificates
_MANY = """
import sys
from proofs.cli.main import main
for path in sys.argv[1:]:
    print(path, main(["check", path]), flush=True)
"""


def test_special_files_do_not_hang(tmp_path) -> None:  # noqa: ANN001
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    big = tmp_path / "big.json"
    with open(big, "wb") as f:  # sparse: no disk used
        f.truncate(MAX_BYTES + 1)
    paths = [str(fifo), "/dev/zero", str(big), str(tmp_path)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    r = subprocess.run([sys.executable, "-c", _MANY, *paths], capture_output=True, text=True, timeout=300, env=env, cwd=ROOT)
    codes = dict(line.rsplit(" ", 1) for line in r.stdout.splitlines() if line.rsplit(" ", 1)[0] in paths)
    assert codes == dict.fromkeys(paths, "2"), r.stdout + r.stderr
    assert r.stderr.lower().count("unreadable:") >= 4 and "Traceback" not in r.stderr


def test_schema_version_is_current() -> None:
    assert new_certificate("classical-strategy", {"type": "linear", "s": "1"}, 1, "lower", Fraction(1, 2))["schema"] == SCHEMA_VERSION
