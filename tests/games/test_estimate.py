import json

import pytest

from games import Estimate, GameParameterError


def test_estimate_is_frozen_and_serialisable():
    e = Estimate(0.7, "m", "t", {"a": [1, 2]}, seed=3)
    with pytest.raises(AttributeError):
        e.value = 0.8
    with pytest.raises(TypeError):
        e.parameters["a"] = 1
    d = json.loads(json.dumps(e.to_dict()))
    assert d == {"kind": "estimate", "value": 0.7, "method": "m", "target": "t", "parameters": {"a": [1, 2]}, "seed": 3}
    assert "estimate" in str(e)


@pytest.mark.parametrize("v", [float("nan"), float("inf"), -0.1, 1.2])
def test_estimate_rejects_non_probabilities(v):
    with pytest.raises(GameParameterError, match="`value`"):
        Estimate(v, "m", "t")
