"""Tests of the slot-queue-bracket producer: files written, re-verified, and the checked bracket around an independent oracle."""

from __future__ import annotations

from fractions import Fraction

import pytest

from bounds.slot_work import RankRule, SumThresholdRule
from bounds.slots import slot_point
from proofs.certify.slots import certify_policy, slot_certificate
from proofs.checkers.registry import check_certificate
from proofs.exact.errors import CertificateError, ProofsParameterError
from tests.fuzz.oracles import slotted_wq_constant


def test_certify_policy_writes_checked_lower_and_upper_certificates(tmp_path) -> None:
    pt = slot_point(0.5, 3.0, h=0.125)
    cw = certify_policy(pt, 0.5, RankRule.constant(0.0), "classical", tmp_path)
    assert len(cw.paths) == 2 and all(p.endswith(".json") for p in cw.paths)
    lo, hi = slotted_wq_constant(0.5, 0.5, ("exponential", 1.0), 0.5, 0.5, cell=0.05)
    assert float(cw.lower) <= 0.5 * (lo + hi) <= float(cw.upper)
    for path in cw.paths:  # re-verified from the files alone
        b = check_certificate(path)
        assert b.target.quantity == "W_q" and b.target.game["lam_a"] == "1/2"


def test_the_claim_is_the_checkers_enclosure_rounded_outward() -> None:
    pt = slot_point(0.5, 3.0, h=0.125)
    c = slot_certificate(pt, 0.5, RankRule.constant(1.0), "classical", "upper")
    check_certificate(c)
    tighter = dict(c, bound=str(Fraction(c["bound"]) * Fraction(999_999, 1_000_000)))
    with pytest.raises(CertificateError):
        check_certificate(tighter)


def test_ideal_rule_and_unsupported_law() -> None:
    from analytic.laws.service import ServiceLaw

    pt = slot_point(0.5, 3.0, h=0.125)
    cw = certify_policy(pt, 0.5, SumThresholdRule(1.0), "ideal")
    assert float(cw.lower) < float(cw.upper)
    pt_u = slot_point(0.5, 3.0, law=ServiceLaw.named("uniform"), h=0.125)
    with pytest.raises(ProofsParameterError, match="exponential or hyperexponential"):
        slot_certificate(pt_u, 0.5, RankRule.constant(0.0), "classical", "upper")


def test_certify_feasible_claims_the_limit_and_the_oracle_agrees(tmp_path) -> None:
    """Shared-coin family (rules that ignore the works): the certified-feasible coin meets W_l by the independent oracle too."""
    from proofs.certify.slots import certify_feasible

    pt = slot_point(0.5, 1.45, h=0.125)
    cf = certify_feasible(pt, 0.5, "classical", h=0.0625, families=("shared-coin",), steps=4, cert_dir=tmp_path)
    assert cf.certified and cf.upper.value == Fraction(29, 20) and cf.enclosure_upper <= 1.45
    assert check_certificate(cf.path).value == Fraction(29, 20)  # the file alone proves W_q <= 29/20
    p_bunch = cf.policy.params["p_bunch"]
    assert 0 < p_bunch < 1
    lo, _ = slotted_wq_constant(0.5, 0.5, ("exponential", 1.0), 0.5, p_bunch, cell=0.025)
    assert lo <= 1.45
    # the E[T_B] bracket of the chosen rule holds its estimate
    assert cf.policy.tb_bracket[0] <= cf.policy.tb <= cf.policy.tb_bracket[1]


def test_certify_side_refuses_a_claim_below_the_enclosure_and_writes_nothing(tmp_path) -> None:
    from proofs.certify.slots import certify_side

    pt = slot_point(0.5, 3.0, h=0.125)
    with pytest.raises(CertificateError, match="below the enclosure"):
        certify_side(pt, 0.5, RankRule.constant(0.0), "classical", "upper", tmp_path, bound=Fraction(1))
    assert not list(tmp_path.iterdir())


def test_certify_infeasible_always_split_against_the_oracle() -> None:
    """rho = 0.3, W_l = 1.1 W_0: the slot delay alone exceeds the slack; always split's certified lower end is above W_l."""
    from proofs.certify.slots import certify_infeasible

    W0 = 0.3 / 0.7
    pt = slot_point(0.3, 1.1 * W0, h=0.125)
    ci = certify_infeasible(pt, 0.25)
    _, hi = slotted_wq_constant(0.3, 0.3, ("exponential", 1.0), 0.25, 0.0, cell=0.025)
    assert ci.infeasible and 1.1 * W0 < float(ci.lower) <= hi
    assert not certify_infeasible(slot_point(0.3, 30.0, h=0.125), 0.25).infeasible


def test_certify_comparison_gives_the_quantum_class_the_classical_rule_when_better() -> None:
    from bounds.slots import compare_slots
    from proofs.certify.slots import certify_comparison

    pt = slot_point(0.5, 1.6, h=0.125)
    cmp = compare_slots(pt, (0.5,), steps=3, windows=False, pair=False)
    (cs,) = certify_comparison(cmp, h=0.0625, classes=("classical", "quantum"), steps=3)
    c, q = cs.classes["classical"], cs.classes["quantum"]
    assert c.certified and q.certified and q.policy.tb >= c.policy.tb
    assert cs.to_dict()["classes"]["quantum"]["class"] == "quantum"


def test_certified_feasible_rule_carries_a_checked_throughput_interval(tmp_path, monkeypatch) -> None:
    """The feasibility certificate claims E[T_B] too: the interval holds the independent oracle's value of the chosen coin;
    a claimed float bracket the checker refuses falls back to the checker's own enclosure."""
    import proofs.certify.slots as cs
    from tests.fuzz.oracles import slotted_tb_constant

    pt = slot_point(0.5, 1.45, h=0.125)
    cf = cs.certify_feasible(pt, 0.5, "classical", h=0.0625, families=("shared-coin",), steps=4, cert_dir=tmp_path)
    assert cf.tb_certified is not None and cf.tb_lower is not None
    lo, hi = cf.tb_certified
    o_lo, o_hi = slotted_tb_constant(0.5, 0.5, ("exponential", 1.0), 0.5, cf.policy.params["p_bunch"], 2, cell=0.025)
    assert lo <= 0.5 * (o_lo + o_hi) <= hi and hi - lo < 0.2
    again = check_certificate(cf.path).details["throughput"]  # the file alone proves the interval
    assert again["lower"].value == cf.tb_lower.value and again["lower"].target.quantity == "E[T_B]"
    monkeypatch.setattr(cs, "TB_WIDEN", -0.01)  # a claimed bracket 1 % too narrow: refused, then the enclosure is claimed
    cf2 = cs.certify_feasible(pt, 0.5, "classical", h=0.0625, families=("shared-coin",), steps=4)
    assert cf2.tb_certified is not None
    lo2, hi2 = cf2.tb_certified  # the enclosure itself: inside the widened bracket, within its 1e-4 widening
    assert lo <= lo2 <= lo * 1.0002 and hi * 0.9998 <= hi2 <= hi


def test_a_lattice_too_fine_for_the_checker_is_reported_not_raised(monkeypatch) -> None:
    """certify_comparison at a lattice whose work cells exceed the checker's MAX_CELLS: a note per slot length or class, no crash."""
    from dataclasses import replace
    from types import SimpleNamespace

    from proofs.certify import slots as cs_mod
    from proofs.certify.slots import SlotSizeError, certify_comparison, certify_feasible, certify_infeasible
    from proofs.checkers.slot_queue import MAX_CELLS

    pt = slot_point(0.3, 1.1 * 0.3 / 0.7, h=0.125)
    with pytest.raises(SlotSizeError, match=rf"> {MAX_CELLS}"):  # the size check comes before any enclosure
        certify_infeasible(replace(pt, h=1 / 4096), 0.25)
    est = {m: SimpleNamespace(feasible=False) for m in ("ideal", "classical", "quantum")}
    (slot,) = certify_comparison(SimpleNamespace(point=pt, taus=(0.25,), slotted={0.25: est}), h=1 / 4096)
    assert slot.infeasible is None and not slot.classes and "work cells" in slot.note and slot.to_dict()["note"] == slot.note

    def too_fine(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise SlotSizeError("the certificate needs 99999 work cells (> 16384)")

    monkeypatch.setattr(cs_mod, "certify_side", too_fine)
    cf = certify_feasible(slot_point(0.5, 1.6, h=0.125), 0.5, "classical", h=0.0625, families=("shared-coin",), steps=3)
    assert not cf.certified and not cf.policy.feasible and "99999 work cells" in cf.note


def test_sizes_the_checker_would_refuse_raise_slot_size_error(monkeypatch) -> None:
    """queue cells x batch cells x iterations above the checker's work limit: refused by the producer, named, before a check."""
    from proofs.certify import slots as cs_mod
    from proofs.certify.slots import SlotSizeError
    from proofs.checkers.slot_queue import read_params

    pt = slot_point(0.5, 3.0, h=0.25)
    cert = slot_certificate(pt, 0.5, RankRule.constant(-1.0), "classical", "upper")
    work = (cert["queue_cells"] + 1) * (2 * cert["cells"] + 1) * cert["iterations"]
    read_params(cert)  # within the checker's limits as produced
    monkeypatch.setattr(cs_mod, "MAX_WORK", work - 1)
    with pytest.raises(SlotSizeError, match="work units"):
        slot_certificate(pt, 0.5, RankRule.constant(-1.0), "classical", "upper")
