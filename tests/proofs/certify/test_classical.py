"""proofs.certify.classical: one way to name the target, the same parameter names as certify_quantum."""

from __future__ import annotations

import inspect

import pytest

from games import linear_boundary_game
from proofs.certify.classical import certify_classical
from proofs.certify.quantum import certify_quantum
from proofs.exact.errors import ProofsParameterError, QcoordTypeError


def test_certify_functions_share_parameter_names() -> None:
    cl = inspect.signature(certify_classical).parameters
    qu = inspect.signature(certify_quantum).parameters
    for name in ("game", "n", "continuum", "cert_dir", "seed"):
        assert name in cl and name in qu, name
    assert list(cl)[:2] == list(qu)[:2] == ["game", "n"]


@pytest.mark.parametrize("n, continuum, error", [(None, False, ProofsParameterError), (8, True, ProofsParameterError),
                                                (0, False, ProofsParameterError), (True, False, QcoordTypeError)])
def test_target_must_be_n_or_continuum(n: object, continuum: bool, error: type, tmp_path) -> None:  # noqa: ANN001
    with pytest.raises(error, match="`n`"):
        certify_classical(linear_boundary_game(), n, continuum=continuum, cert_dir=tmp_path)  # type: ignore[arg-type]


def test_continuum_bracket_holds_the_known_value(tmp_path) -> None:  # noqa: ANN001
    # linear-boundary game: classical value 3/4 (bunch iff a + b <= 1; the known optimum)
    res = certify_classical(linear_boundary_game(), continuum=True, bins=30, cert_dir=tmp_path)
    assert float(res.bracket.lower.value) <= 0.75 <= float(res.bracket.upper.value)
    assert all(str(tmp_path) in p for p in res.to_dict()["certificates"])
