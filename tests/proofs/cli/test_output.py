"""The shared JSON pieces of proofs/cli/output.py: vacuity labels by the quantity's range, the certificates list."""

from __future__ import annotations

import pytest

from proofs.cli.output import SCHEMA_VERSION, bracket_of_values, finish, r_k, trivial_note

PATHS = {"lower": "lo.json", "upper": "up.json"}


@pytest.mark.parametrize(
    "quantity, lower, upper, sides",
    [
        # p_split lies in [0, 1]: a lower bound <= 0 or an upper bound >= 1 says nothing
        ("p_split", 0.0, 0.5, ["lower"]),
        ("p_split", 1e-12, 1.0, ["upper"]),
        ("p_split", 0.2, 0.3, []),
        ("p_split", -3.0, 7.0, ["lower", "upper"]),
        # a winning probability of an XOR game lies in [1/2, 1]
        ("winning probability", 0.5, 0.8, ["lower"]),
        ("winning probability", 0.51, 0.8, []),
        ("winning probability", 0.7, 13.0, ["upper"]),
        ("winning probability", 0.2, 0.6, ["lower"]),
    ],
)
def test_trivial_sides_follow_the_range_of_the_quantity(quantity: str, lower: float, upper: float, sides: list[str]) -> None:
    b = bracket_of_values(lower, upper, PATHS, quantity)
    assert b["trivial_sides"] == sides and b["trivial"] is bool(sides)
    assert b["certificate"] == PATHS
    assert ("VACUOUS" in trivial_note(b)) is bool(sides)


def test_finish_lists_every_path_once_in_order() -> None:
    body = {"a": bracket_of_values(0.6, 0.7, PATHS, "winning probability"),
            "rows": [{"b": bracket_of_values(0.6, 0.7, {"lower": "x.json", "upper": "up.json"}, "winning probability")},
                     {"bound": {"value": 0.6, "side": "lower", "certificate": "y.json", "trivial": False}}]}
    out = finish("sweep", body, ["z.json", "lo.json"])
    assert out["schema"] == "qcoord/sweep" and out["schema_version"] == SCHEMA_VERSION
    assert out["certificates"] == ["lo.json", "up.json", "x.json", "y.json", "z.json"]
    assert list(out)[-1] == "certificates"
    assert finish("verify", body, ["z.json"], walk=False)["certificates"] == ["z.json"]


def test_r_k_is_always_a_list() -> None:
    assert r_k(3, 1.02, 1.01) == [{"k": 3.0, "estimate": 1.02, "lower": 1.01}]
