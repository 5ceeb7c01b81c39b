"""proofs.exact.certificate: the JSON limits of every certificate read (here: keys given twice)."""

from __future__ import annotations

import json

import pytest

from proofs.exact.certificate import parse_certificate, read_certificate
from proofs.exact.errors import CertificateFormatError


@pytest.mark.parametrize("text, key", [
    ('{"schema": 2, "kind": "xor-classical", "side": "upper", "side": "lower"}', "side"),
    ('{"schema": 2, "game": {"rows": 2, "rows": 3}}', "rows"),
    ('{"schema": 2, "nodes": [{"a": 1}, {"b": 1, "b": 2}]}', "b"),
])
def test_a_key_given_twice_is_refused_at_any_depth(text: str, key: str) -> None:
    # the plain parser keeps the last value, a human reader may see the first: a certificate must not be ambiguous
    with pytest.raises(CertificateFormatError, match=f"key '{key}' twice"):
        parse_certificate(text)
    assert json.loads(text)  # plain JSON takes it: the refusal is ours


def test_distinct_keys_and_equal_keys_in_different_objects_are_fine(tmp_path) -> None:  # noqa: ANN001
    text = '{"schema": 2, "a": {"k": 1}, "b": {"k": 2}, "c": [{"k": 3}, {"k": 4}]}'
    assert parse_certificate(text)["c"][1]["k"] == 4
    (tmp_path / "c.json").write_text(text)
    assert read_certificate(tmp_path / "c.json") == json.loads(text)
