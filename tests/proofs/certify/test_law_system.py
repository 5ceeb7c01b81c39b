"""law_system: operating point per law and refusal of infinite variance."""

import pytest

from analytic.errors import AnalyticParameterError
from proofs.certify.law_system import law_system
from proofs.exact.errors import ProofsParameterError


def test_infinite_variance_is_refused():
    with pytest.raises(AnalyticParameterError, match="infinite variance"):
        law_system("lomax:3/2")


@pytest.mark.parametrize("kw", [{"rho": 1.0}, {"W_fraction": 0.0}])
def test_bad_parameters(kw):
    with pytest.raises(ProofsParameterError):
        law_system("uniform", **kw)


@pytest.mark.slow
def test_uniform_law_ordering(tmp_path):
    # a law other than the exponential: the paper's ordering p_ideal < p_q < p_c, and certified brackets around p_c, p_q
    r = law_system("uniform", cert_dir=tmp_path)
    assert r.p_split["ideal"] < r.p_split["quantum"] < r.p_split["classical"]
    assert r.R_k[3] > r.R_k[2] > 1 and set(r.certified) == {"classical", "quantum"}
    for m, (lo, up) in r.certified.items():
        assert lo <= r.p_split[m] <= up
    assert r.certified["quantum"][1] < r.certified["classical"][0]


# ---------------------------------------------------------------- verdict and rounding (no solves)

from fractions import Fraction  # noqa: E402

from proofs.certify.law_system import LawSystemRow, _ceil_float, _floor_float, law_system_table, system_verdict  # noqa: E402


def _row(law, cl, q, f=0.5):
    p = {"ideal": 0.1, "classical": sum(cl) / 2, "quantum": sum(q) / 2}
    r3 = ((1 + p["classical"]) / (1 + p["quantum"])) ** 2
    cert = {"classical": cl, "quantum": q} if cl else {}
    lo = {3: ((1 + cl[0]) / (1 + q[1])) ** 2} if cl else {}
    return LawSystemRow(law, 1.0, 0.6, 2.0, f, p, {3: r3}, cert, lo)


def test_verdict_proved_when_every_certified_gap_is_positive():
    status, summary = system_verdict([_row("a", (0.30, 0.31), (0.20, 0.21)), _row("b", (0.40, 0.41), (0.39, 0.395))])
    assert status == "proved" and "all 2" in summary and "R_3 >=" in summary


def test_verdict_refuted_when_quantum_needs_no_less_splitting():
    status, summary = system_verdict([_row("a", (0.30, 0.31), (0.20, 0.21)), _row("b", (0.20, 0.21), (0.21, 0.22))])
    assert status == "refuted" and "b (f = 0.5)" in summary


def test_verdict_partly_for_overlap_or_missing_certificates():
    assert system_verdict([_row("a", (0.30, 0.31), (0.305, 0.32))])[0] == "partly"  # brackets overlap
    p = {"ideal": 0.1, "classical": 0.3, "quantum": 0.2}
    bare = LawSystemRow("c", 1.0, 0.6, 2.0, 0.5, p, {3: 1.1})
    assert bare.gap_lower is None and system_verdict([bare])[0] == "partly"
    assert system_verdict([])[0] == "partly"


def test_outward_rounding_of_fractions():
    q = Fraction(1, 3)
    assert Fraction(_floor_float(q)) <= q <= Fraction(_ceil_float(q))
    assert _floor_float(q) < _ceil_float(q)  # 1/3 is not a double: the two differ
    assert _floor_float(Fraction(1, 2)) == _ceil_float(Fraction(1, 2)) == 0.5


@pytest.mark.parametrize("kw", [{"fractions": ()}, {"fractions": (1.0,)}, {"workers": 0}])
def test_table_bad_parameters(kw):
    with pytest.raises(ProofsParameterError):
        law_system_table(["exponential"], **kw)


def test_exponential_row_is_certified(tmp_path):
    # the exponential law has system certificates: brackets contain the estimates, R_k lower bounds below the estimates
    r = law_system("exponential", W_fraction=0.5, cert_dir=tmp_path)
    for m, key in (("classical", "classical"), ("quantum", "quantum")):
        lo, up = r.certified[m]
        assert lo <= r.p_split[key] <= up and up - lo < 1e-8
    assert r.gap_lower > 0 and all(1 < r.R_k_lower[k] <= r.R_k[k] for k in (2, 3, 5))
    assert len(r.certificates) == 4 and r.note is None
    assert r.to_dict()["p_gap_lower"] == pytest.approx(r.certified["classical"][0] - r.certified["quantum"][1])


def test_table_certificates_written_on_another_machine_land_in_cert_dir(tmp_path, elsewhere):
    from pathlib import Path

    from proofs.checkers.registry import check_certificate

    (row,) = law_system_table(["exponential"], fractions=(0.5,), cert_dir=tmp_path, executor=elsewhere(tmp_path))
    assert len(row.certificates) == 4
    for key, path in row.certificates.items():
        assert Path(path).parent == tmp_path
        model, side = key.split("_")
        lo, up = row.certified[model]
        assert float(check_certificate(path).value) == pytest.approx(lo if side == "lower" else up, abs=1e-15)
