import json

from proofs.claims import CLAIMS
from proofs.cli import main


def test_verify_json_lists_every_claim(capsys):
    code = main(["verify", "--json", "--only", "p-bunch", "eq3-4"])
    data = json.loads(capsys.readouterr().out)
    ids = [c["id"] for c in data["claims"]]
    assert ids == [c.id for c in CLAIMS if c.id in ("p-bunch", "eq3-4")]
    assert all(c["status"] != "error" for c in data["claims"])
    assert code == 0


def test_verify_rejects_unknown_claim(capsys):
    assert main(["verify", "--only", "nope"]) == 2
    assert "`--only`" in capsys.readouterr().err


def test_claims_have_unique_ids_and_resolvable_checks():
    ids = [c.id for c in CLAIMS]
    assert len(ids) == len(set(ids))
    for c in CLAIMS:
        if c.check is not None:
            assert callable(c.checker())
