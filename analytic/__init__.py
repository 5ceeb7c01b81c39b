"""Symbolic derivations (sympy) of the paper's formulas and the closed forms they produce."""

from analytic.errors import AnalyticParameterError

__all__ = ["AnalyticParameterError"]
