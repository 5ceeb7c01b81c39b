"""Tests of proofs.certify.quantum: certified brackets, the sweep and its plot."""

from __future__ import annotations

import json
import math

import pytest

from games import linear_boundary_game, paper_game
from proofs.certify.quantum import certify_quantum, plot_quantum_sweep, quantum_bracket, quantum_sweep
from proofs.checkers.bound import Bracket
from proofs.checkers.registry import check_certificate
from proofs.exact.errors import ProofsParameterError, QcoordTypeError


def test_bracket_is_checked_and_files_recheck(tmp_path) -> None:  # noqa: ANN001
    # the returned bounds come from certificate files that re-verify independently
    b = quantum_bracket(paper_game(0.33), 20, cert_dir=tmp_path)
    assert isinstance(b, Bracket)
    assert b.lower.value <= b.upper.value and float(b.width) < 1e-9
    assert check_certificate(b.upper.certificate).value == b.upper.value
    assert check_certificate(b.lower.certificate).value == b.lower.value
    assert json.loads(open(b.upper.certificate).read())["game"] == {"type": "hyperbolic", "C": "33/100"}


@pytest.mark.parametrize("game, C", [(paper_game(mu=1, t=1.1), repr(math.exp(-1.1))), (paper_game(1 / 3), repr(1 / 3))])
def test_any_float_C_is_certified(tmp_path, game, C) -> None:  # noqa: ANN001
    # C with a 17-digit shortest decimal: the certificates name that exact rational, checked overflow-free
    from fractions import Fraction

    b = quantum_bracket(game, 50, cert_dir=tmp_path)
    assert b.lower.value <= b.upper.value and float(b.width) < 1e-8
    assert Fraction(b.upper.target.game["C"]) == Fraction(C)


def test_continuum_linear_game(tmp_path) -> None:  # noqa: ANN001
    # known continuum value 1/2 + 1/pi inside the certified continuum bracket
    b = quantum_bracket(linear_boundary_game(), 24, continuum=True, cert_dir=tmp_path)
    assert float(b.lower.value) <= 0.5 + 1 / math.pi <= float(b.upper.value)


def test_quantum_exceeds_classical_threshold(tmp_path) -> None:  # noqa: ANN001
    # a certified quantum lower bound above 3/4 at C = 0.33 (independent: the best single-threshold classical strategy is below 0.762)
    res = certify_quantum(paper_game(0.33), 16, cert_dir=tmp_path)
    assert float(res.bracket.lower.value) > 0.82 and res.rank == 2


def test_sweep_and_plot(tmp_path) -> None:  # noqa: ANN001
    rows = quantum_sweep([0.2, 0.5], 10, cert_dir=tmp_path)
    assert [r.C for r in rows] == [0.2, 0.5]
    for r in rows:
        assert r.bracket.lower.value <= r.bracket.upper.value <= r.continuum.upper.value
        assert r.to_dict()["continuum"]["lower"] == float(r.continuum.lower.value)
    p = plot_quantum_sweep(rows, tmp_path / "sweep.png", classical={0.2: 0.76, 0.5: 0.77})
    assert p.exists()


def test_bad_input(tmp_path) -> None:  # noqa: ANN001
    with pytest.raises(ProofsParameterError, match="`n`"):
        quantum_bracket(paper_game(0.33), 0, cert_dir=tmp_path)
    with pytest.raises(QcoordTypeError, match="`game`"):
        quantum_bracket("paper", 4, cert_dir=tmp_path)
    with pytest.raises(ProofsParameterError, match="`C`"):
        quantum_sweep([1.5], 4, cert_dir=tmp_path)
    with pytest.raises(ProofsParameterError, match="`relaxation`"):
        certify_quantum(paper_game(0.3), 4, relaxation="max", cert_dir=tmp_path)


@pytest.mark.parametrize("threads", ["1", "2"])
def test_checker_decides_the_dual_and_rejected_candidates_leave_no_file(tmp_path, monkeypatch, threads) -> None:  # noqa: ANN001
    # the solver's dual is proved PSD only by the checker: refuse the first candidate, the solver quadruples its shift
    # (concurrent: the lower certificate written beside the refused dual is a stale speculation, and its file goes too)
    import proofs.certify.quantum as q
    from proofs.exact.errors import CertificateError

    monkeypatch.setenv("QCOORD_PIPELINE_THREADS", threads)

    real = q.check_certificate
    seen: list[str] = []

    def first_dual_refused(path):  # noqa: ANN001, ANN202
        if "tsirelson-dual_" in str(path) and not seen:
            seen.append(str(path))
            raise CertificateError("dual matrix Z is not proved positive semidefinite (test)")
        return real(path)

    monkeypatch.setattr(q, "check_certificate", first_dual_refused)
    res = certify_quantum(paper_game(0.33), 40, cert_dir=tmp_path)
    assert seen and not any(p.name == seen[0].rsplit("/", 1)[1] for p in tmp_path.iterdir())  # the refused file is gone
    files = sorted(p.name for p in tmp_path.iterdir())
    assert len(files) == 2 and sum(f.startswith("tsirelson-dual_") for f in files) == 1
    up = json.loads((tmp_path / res.paths["upper"].rsplit("/", 1)[1]).read_text())
    assert up["solver"]["shift"] == res.result.shift and check_certificate(res.paths["upper"]).value == res.bracket.upper.value
    # the refusal cost a quadrupled shift: the bound is above the unrefused run's, by 2N * (4 - 1) * first shift
    plain = certify_quantum(paper_game(0.33), 40, cert_dir=tmp_path / "plain")
    assert math.isclose(res.result.shift, 4 * plain.result.shift, rel_tol=1e-12)
    assert res.bracket.upper.value > plain.bracket.upper.value


def _run(tmp_path, monkeypatch, threads: str, game, n: int, continuum: bool):  # noqa: ANN001, ANN202
    monkeypatch.setenv("QCOORD_PIPELINE_THREADS", threads)
    d = tmp_path / f"threads{threads}"
    res = certify_quantum(game, n, cert_dir=d, continuum=continuum)
    return res, {p.name: p.read_bytes() for p in d.iterdir()}


@pytest.mark.parametrize(("game", "n", "continuum"), [(paper_game(0.33), 40, True), (linear_boundary_game(), 24, True), (paper_game(0.6), 300, False)])
def test_concurrent_pipeline_writes_the_sequential_certificates(tmp_path, monkeypatch, game, n, continuum) -> None:  # noqa: ANN001
    # the worker thread does the sequential path's calls on the same arrays: same files byte for byte, same bounds,
    # the lower side really came from the speculation, and no thread is left behind
    import threading

    import proofs.certify.quantum as q

    seq, seq_files = _run(tmp_path, monkeypatch, "1", game, n, continuum)
    calls: list[bool] = []
    real = q._lower_side

    def spy(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls.append(threading.current_thread() is not threading.main_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(q, "_lower_side", spy)
    before = threading.active_count()
    conc, conc_files = _run(tmp_path, monkeypatch, "2", game, n, continuum)
    assert threading.active_count() == before
    assert calls and all(calls)  # every lower side ran on the worker
    assert seq_files == conc_files and len(seq_files) == (4 if continuum else 2)
    assert (seq.bracket.lower.value, seq.bracket.upper.value) == (conc.bracket.lower.value, conc.bracket.upper.value)
    if continuum:
        assert (seq.continuum.lower.value, seq.continuum.upper.value) == (conc.continuum.lower.value, conc.continuum.upper.value)
    assert seq.result.shift == conc.result.shift and seq.result.iterations == conc.result.iterations


def test_concurrent_pipeline_falls_back_when_the_speculation_is_not_the_final_strategy(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    # a speculation whose strategy does not match the result is not used: the main thread writes the lower side itself
    import proofs.certify.quantum as q

    seq, seq_files = _run(tmp_path, monkeypatch, "1", paper_game(0.33), 40, False)
    monkeypatch.setattr(q, "_same", lambda a, b: False)
    conc, conc_files = _run(tmp_path, monkeypatch, "2", paper_game(0.33), 40, False)
    assert seq_files == conc_files and conc.bracket.lower.value == seq.bracket.lower.value


@pytest.mark.parametrize("threads", ["1", "2"])
def test_a_refused_lower_certificate_raises_in_both_pipelines(tmp_path, monkeypatch, threads) -> None:  # noqa: ANN001
    # the speculation's failure is the sequential path's failure (same error), and the pool is shut down on the way out
    import threading

    import proofs.certify.quantum as q
    from proofs.exact.errors import CertificateError

    real = q.check_certificate

    def refuse_vectors(path):  # noqa: ANN001, ANN202
        if "quantum-vectors_" in str(path):
            raise CertificateError("claimed lower bound exceeds the strategy's enclosed value (test)")
        return real(path)

    monkeypatch.setattr(q, "check_certificate", refuse_vectors)
    monkeypatch.setenv("QCOORD_PIPELINE_THREADS", threads)
    before = threading.active_count()
    with pytest.raises(CertificateError, match=r"quantum-vectors certificate written for .* did not pass its checker.*\(test\)"):
        certify_quantum(paper_game(0.33), 40, cert_dir=tmp_path)
    assert threading.active_count() == before
