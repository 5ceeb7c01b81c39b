"""Shared sympy symbols of the two-server model.

All rates and times are positive reals; probabilities are real.  Using one set
of symbols everywhere lets derivations in different modules be combined and
compared with ``sympy.simplify`` without renaming.

>>> lam.is_positive, p_split.is_real
(True, True)
"""

from __future__ import annotations

import sympy as sp

__all__ = [
    "C",
    "a",
    "b",
    "beta",
    "k",
    "kappa",
    "l",
    "lam",
    "lam_eff",
    "m1",
    "m2",
    "mu",
    "nu",
    "p_c",
    "p_q",
    "p_split",
    "rho",
    "t",
    "x",
    "x1",
    "x2",
]

lam = sp.Symbol("lambda", positive=True)  #: pair arrival rate
mu = sp.Symbol("mu", positive=True)  #: exponential service rate
t = sp.Symbol("t", positive=True)  #: sum threshold
C = sp.Symbol("C", positive=True)  #: C = exp(-mu t) in (0, 1)
x, x1, x2 = sp.symbols("x x_1 x_2", nonnegative=True)  #: service times
a, b = sp.symbols("a b", nonnegative=True)  #: inputs a = F(X1), b = F(X2) in [0, 1]
p_split = sp.Symbol("p_split", real=True, nonnegative=True)  #: split probability
p_c = sp.Symbol("p_c", real=True, nonnegative=True)  #: classical split probability
p_q = sp.Symbol("p_q", real=True, nonnegative=True)  #: quantum split probability
rho = sp.Symbol("rho", positive=True)  #: per-server utilisation lambda E[X]
lam_eff = sp.Symbol("lambda_eff", positive=True)  #: per-server batch arrival rate
nu = sp.Symbol("nu", positive=True)  #: rate of the idle-period law
l = sp.Symbol("l", nonnegative=True)  #: idle-period length  # noqa: E741
k = sp.Symbol("k", positive=True)  #: monomial degree
beta = sp.Symbol("beta", real=True, nonnegative=True)  #: bunch probability of one pair
kappa = sp.Symbol("kappa", positive=True)  #: lambda / (2 (1 - rho))
m1, m2 = sp.symbols("m_1 m_2", positive=True)  #: E[X], E[X^2]
