"""``weight_error`` accepts the model's terms in any order (K = 4: the four-body term sorts between the pairs)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from proofs.exact.errors import CertificateError
from proofs.exact.routers_game import read_point, weight_error


def test_four_routers_terms_in_dictionary_order_are_the_model_terms() -> None:
    pt = read_point({"type": "routers", "K": "4", "law": "uniform", "lam": "1/5", "W_limit": "3"})
    N, den = 2, 10**6
    # the inner certificate lists its terms sorted as tuples: (0, 1), (0, 1, 2, 3), (0, 2), ...
    terms = {S: [0] * N ** len(S) for S in sorted(pt.terms())}
    assert list(terms)[1] == (0, 1, 2, 3)
    eps = weight_error(pt, Fraction(1, 2), N, den, 0, terms)
    assert eps > 0
    with pytest.raises(CertificateError, match="not the model's terms"):
        weight_error(pt, Fraction(1, 2), N, den, 0, {S: w for S, w in terms.items() if len(S) == 2})
