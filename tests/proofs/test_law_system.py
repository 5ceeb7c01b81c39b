"""law_system: operating point per law and refusal of infinite variance."""

import pytest

from analytic.errors import AnalyticParameterError
from proofs.errors import ProofsParameterError
from proofs.law_system import law_system


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
