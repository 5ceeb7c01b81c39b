"""Tests of :mod:`proofs.checkers.system_law` against closed forms."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from flint import arb

from proofs.checkers.system_law import PREC, Service, system_data
from proofs.exact.errors import CertificateFormatError
from proofs.exact.laws import exact_law, working_precision


def test_pdf_lower_is_positive_or_none() -> None:
    # Erlang(2) of mean 1: f(x) = 4 x e^{-2x}.  On [0, 1] the minimum is f(0) = 0: no positive lower bound exists, so None (the ball
    # arithmetic gives a negative lower end there; read as a bound it would make the sag of lemma S3 negative).  On [1/2, 1] the
    # minimum is f(1) = 4 e^{-2}: the bound is positive and at most that (ball arithmetic makes it loose, about 0.04).
    svc = Service(exact_law({"law": "gamma", "param": "2"}))
    with working_precision(PREC):
        assert svc.pdf_lower(arb("0.5 +/- 0.5")) is None
        lo = svc.pdf_lower(arb("0.75 +/- 0.25"))
    assert lo is not None and 0 < lo <= Fraction(4 * math.exp(-2)) * (1 + Fraction(1, 10**12))


def test_system_data_exact() -> None:
    s = system_data({"type": "system", "law": "exponential", "lam": "1/2", "mu": "2", "W_limit": "1"})
    assert s.rho == Fraction(1, 4) and s.W0 == Fraction(1, 2) * Fraction(1, 2) / (2 * Fraction(3, 4))



@pytest.mark.parametrize(("game", "match"), [
    ({"law": "exponential", "lam": "3/2", "mu": "1"}, "rho"),  # rho = 3/2: kappa = lam / (2 (1 - rho)) < 0, no queue has this W_0
    ({"law": "exponential", "lam": "1", "mu": "1"}, "rho"),  # rho = 1: W_0 infinite
    ({"law": "gamma", "param": "4", "lam": "6/5"}, "rho"),
    ({"law": "lomax", "param": "2", "lam": "1/2"}, "infinite variance"),  # E[X^2] = inf: W_0 infinite
])
def test_system_data_refuses_an_unstable_or_infinite_queue(game: dict, match: str) -> None:
    # refused by the system's own guards, as a malformed certificate, before any arithmetic with kappa or m2
    with pytest.raises(CertificateFormatError, match=match):
        system_data({"type": "system", "W_limit": "2", **game})
