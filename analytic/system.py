"""The system-level problem as a weighted XOR game: the Lagrangian kernel and its rank-2 form.

The paper's objective is to *minimise* ``p_split`` subject to ``W_q <= W_l``.
By :mod:`analytic.waiting` (random order inside a bunched pair),
``W_q = W_0 + E[beta c]`` with ``W_0 = lambda E[X^2] / (2 (1 - rho))`` (every
pair split) and the per-pair cost ``c = kappa X1 X2 + (X1 + X2)/4``.  With the
routers' correlation ``E(X1, X2) = E[o_A o_B]``, ``beta = (1 + E)/2``, so for
every ``nu >= 0`` (weak duality)

``p_bunch = E[beta] <= nu (W_l - W_0) + E[beta (1 - nu c)] <= nu (W_l - W_0) + V(nu)``

where ``V(nu) = E[k]/2 + G(nu)/2``, ``k = 1 - nu c`` and ``G(nu) = sup E[E k]``
is the bias of an XOR game with the weight kernel ``k`` over the routers'
class (local, quantum or, for the ideal rule, any ``E`` in ``[-1, 1]``).  In
``phi(x) = (1, x)`` the kernel is ``k(x, y) = phi(x)^T M(nu) phi(y)`` with

``M(nu) = [[1, -nu/4], [-nu/4, -nu kappa]]``,

a 2 x 2 matrix of determinant ``-nu (kappa + nu/16) < 0``: rank 2 for
``nu > 0``.  That is what reduces the continuum problems to a few real
parameters (``proofs/lemmas_system.md``).

>>> d = derive_system_kernel()
>>> d.passed
True
>>> d.expr.tolist()
[[1, -nu/4], [-nu/4, -kappa*nu]]
"""

from __future__ import annotations

import sympy as sp

from analytic.derivation import Check, Derivation, is_zero
from analytic.optimal import derive_optimal_rule
from analytic.symbols import kappa, m1, m2, nu, x1, x2

__all__ = ["derive_system_kernel"]

E = sp.Symbol("E", real=True)  #: correlation E[o_A o_B | X1, X2]
B_SYM = sp.Symbol("B", real=True)  #: budget W_l - W_0


def derive_system_kernel() -> Derivation:
    """Derive the Lagrangian kernel ``1 - nu c``, its rank-2 matrix and the dual bound.

    Checks: the cost agrees with :func:`analytic.optimal.derive_optimal_rule`;
    ``phi(x)^T M phi(y)`` equals ``1 - nu c`` identically; ``det M < 0``
    (rank 2 for ``nu > 0``); the Lagrangian identity
    ``E[beta] + nu (B - E[beta c]) = nu B + E[k]/2 + E[E k]/2`` holds
    pointwise; and ``E[k] = phi_bar^T M phi_bar`` with
    ``phi_bar = (1, E[X])`` (independent inputs).
    """
    opt = derive_optimal_rule()
    c = opt.expr
    k_ = sp.expand(1 - nu * c)
    M = sp.Matrix([[1, -nu / 4], [-nu / 4, -nu * kappa]])
    phi1 = sp.Matrix([1, x1])
    phi2 = sp.Matrix([1, x2])
    bilinear = sp.expand((phi1.T * M * phi2)[0, 0])
    det = sp.factor(M.det())
    beta_ = (1 + E) / 2
    lagr = beta_ + nu * (B_SYM - beta_ * c)
    split = nu * B_SYM + k_ / 2 + E * k_ / 2
    mean_k = sp.expand(1 - nu * (kappa * m1**2 + m1 / 2))
    phibar = sp.Matrix([1, m1])
    checks = (
        Check("cost", is_zero(c - (kappa * x1 * x2 + (x1 + x2) / 4)), f"c = {c} (random order, analytic.optimal)"),
        Check("rank-2-form", is_zero(bilinear - k_), f"[1, x1] M [1, x2]^T = {bilinear} = 1 - nu c"),
        Check("determinant", is_zero(det + nu * (kappa + nu / 16)), f"det M = {det} < 0 for nu > 0: rank 2, indefinite"),
        Check("lagrangian", is_zero(sp.expand(lagr - split)), "beta + nu (B - beta c) = nu B + k/2 + E k/2 pointwise, beta = (1 + E)/2"),
        Check("mean-kernel", is_zero(sp.expand((phibar.T * M * phibar)[0, 0]) - mean_k), f"E[k] = {mean_k} for independent inputs"),
        Check("second-moment-free", sp.diff(mean_k, m2) == 0, "E[k] needs only E[X]; W_0 carries E[X^2]"),
    )
    return Derivation(
        "system-kernel",
        "For every nu >= 0: p_bunch <= nu (W_l - W_0) + E[k]/2 + G(nu)/2 with k = 1 - nu (kappa X1 X2 + (X1 + X2)/4) = [1, X1] M(nu) [1, X2]^T, M = [[1, -nu/4], [-nu/4, -nu kappa]], G(nu) the XOR-game bias of the kernel k over the routers' class",
        opt.assumptions + ("random order inside a bunched pair", "the routers' outputs depend on their own service time and shared resources only"),
        M,
        checks,
        extra=(("kernel", k_), ("determinant", det), ("mean_kernel", mean_k)),
    )
