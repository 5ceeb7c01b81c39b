"""Symbolic derivations (sympy) of the paper's formulas and the closed forms they produce."""

from analytic.derivation import Check, Derivation
from analytic.errors import AnalyticParameterError
from analytic.laws.catalogue import LAW_CATALOGUE, LawSpec, parse_law
from analytic.laws.service import ServiceLaw
from analytic.optimal import (
    ExcessPoint,
    derive_optimal_rule,
    excess_grid,
    optimal_fixed_p_rule,
    qos_comparison,
    threshold_excess,
    threshold_for_p_split,
)
from analytic.records import DERIVATIONS, build_record, load_record, write_records
from analytic.rules import BinnedRule, CostThresholdRule, RandomRule, RuleMoments, SumThresholdRule
from analytic.throughput import (
    derive_condition,
    derive_lambda_eff,
    derive_monomial,
    derive_ratio,
    derive_superlinear,
    derive_throughput,
    lambda_eff,
    throughput_monomial,
)
from analytic.transform import derive_bunch_probability, derive_cdf_transform, derive_general_boundary
from analytic.waiting import derive_waiting_time, waiting_time

__all__ = [
    "DERIVATIONS",
    "LAW_CATALOGUE",
    "AnalyticParameterError",
    "BinnedRule",
    "Check",
    "CostThresholdRule",
    "Derivation",
    "ExcessPoint",
    "LawSpec",
    "RandomRule",
    "RuleMoments",
    "ServiceLaw",
    "SumThresholdRule",
    "build_record",
    "derive_bunch_probability",
    "derive_cdf_transform",
    "derive_condition",
    "derive_general_boundary",
    "derive_lambda_eff",
    "derive_monomial",
    "derive_optimal_rule",
    "derive_ratio",
    "derive_superlinear",
    "derive_throughput",
    "derive_waiting_time",
    "excess_grid",
    "lambda_eff",
    "load_record",
    "optimal_fixed_p_rule",
    "parse_law",
    "qos_comparison",
    "threshold_excess",
    "threshold_for_p_split",
    "throughput_monomial",
    "waiting_time",
    "write_records",
]
