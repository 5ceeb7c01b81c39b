"""Werner noise: the correlator of any local ±1 measurements on ``rho_v`` (sympy, with a numerical twin).

Each customer pair shares ``rho_v = v |psi^-><psi^-| + (1 - v) I/4`` (visibility
``v``, singlet fidelity ``F = (1 + 3v)/4``).  A router's ±1 measurement on its
qubit is a two-outcome POVM ``{E, I - E}``; its observable ``A = 2E - I`` is
``A = s I + t n.sigma`` with ``|n| = 1``, ``t >= 0``, and ``0 <= E <= I`` holds
exactly when the eigenvalues ``s +- t`` of ``A`` lie in ``[-1, 1]``, i.e.
``|s| + t <= 1``.  :func:`derive_werner_correlator` derives

``E(a, b) = Tr[rho_v A (x) B] = s_a s_b - v t_a t_b <n_a, n_b>``,
``Tr[rho_v A (x) I] = s_a``,
``P(o_A, o_B) = (1 + o_A s_a + o_B s_b + o_A o_B E)/4``,

and the split ``E = (1 - v) s_a s_b + v (s_a s_b - t_a t_b <n_a, n_b>)``: a mix
of a product (local) correlator and a noiseless (quantum) one.  It also
checks that ``A = t n.sigma + p_+ I - p_- I`` with ``p_+- = max(+-s, 0)`` and
``p_0 = 1 - t - |s| >= 0``: every ±1 measurement is a projective one or a
fixed output, chosen with local randomness.

>>> d = derive_werner_correlator()
>>> d.passed, d.expr
(True, -n_ax*n_bx*t_a*t_b*v - n_ay*n_by*t_a*t_b*v - n_az*n_bz*t_a*t_b*v + s_a*s_b)
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import sympy as sp
from numpy.typing import ArrayLike, NDArray

from analytic.derivation import Check, Derivation, is_zero
from analytic.errors import AnalyticParameterError

__all__ = [
    "ASSUMPTIONS",
    "derive_werner_correlator",
    "direct_correlator",
    "fidelity",
    "observable",
    "visibility",
    "werner_correlator",
    "werner_state",
]

ASSUMPTIONS = (
    "each customer pair shares one two-qubit Werner state rho_v = v |psi^-><psi^-| + (1 - v) I/4, 0 <= v <= 1",
    "each router measures only its own qubit, with a two-outcome POVM chosen from its own input (no communication)",
    "outputs are +1 / -1; a POVM {E, I - E} has observable A = 2E - I = s I + t n.sigma, |n| = 1, t >= 0",
    "0 <= E <= I  <=>  |s| + t <= 1 (the eigenvalues of A are s +- t)",
)

s_a, s_b, t_a, t_b, v = sp.symbols("s_a s_b t_a t_b v", real=True)
n_a = sp.Matrix(sp.symbols("n_ax n_ay n_az", real=True))
n_b = sp.Matrix(sp.symbols("n_bx n_by n_bz", real=True))
_PAULI = (sp.Matrix([[0, 1], [1, 0]]), sp.Matrix([[0, -sp.I], [sp.I, 0]]), sp.Matrix([[1, 0], [0, -1]]))


def _sym_observable(s: sp.Symbol, t: sp.Symbol, n: sp.Matrix) -> sp.Matrix:
    return s * sp.eye(2) + t * sum((n[k] * _PAULI[k] for k in range(3)), sp.zeros(2, 2))


def _sym_werner() -> sp.Matrix:
    singlet = sp.Matrix([0, 1, -1, 0]) / sp.sqrt(2)
    return v * singlet * singlet.T + (1 - v) * sp.eye(4) / 4


def derive_werner_correlator() -> Derivation:
    """Derive ``E(a, b) = s_a s_b - v t_a t_b <n_a, n_b>`` for ±1 observables on ``rho_v``.

    Checks: the trace against ``rho_v`` (no unit-norm assumption needed), the
    zero marginals of the noise, the outcome probabilities, the
    local-plus-quantum split, the eigenvalues ``s +- t |n|`` of ``A`` and the
    decomposition into a projective measurement and fixed outputs.

    >>> derive_werner_correlator().numbers["fidelity_of_visibility"]
    '3*v/4 + 1/4'
    """
    rho = _sym_werner()
    A = _sym_observable(s_a, t_a, n_a)
    B = _sym_observable(s_b, t_b, n_b)
    dot = (n_a.T * n_b)[0, 0]
    corr = sp.expand(sp.simplify((rho * sp.kronecker_product(A, B)).trace()))
    claimed = s_a * s_b - v * t_a * t_b * dot
    marg_a = sp.simplify((rho * sp.kronecker_product(A, sp.eye(2))).trace())
    marg_b = sp.simplify((rho * sp.kronecker_product(sp.eye(2), B)).trace())
    oa, ob = sp.symbols("o_A o_B")
    prob = sp.simplify((rho * sp.kronecker_product((sp.eye(2) + oa * A) / 2, (sp.eye(2) + ob * B) / 2)).trace())
    prob_claim = (1 + oa * s_a + ob * s_b + oa * ob * claimed) / 4
    split = (1 - v) * s_a * s_b + v * (s_a * s_b - t_a * t_b * dot)
    eig = set(sp.Matrix(A).subs({n_a[0]: 0, n_a[1]: 0, n_a[2]: 1}).eigenvals())
    norm = sp.sqrt(dot.subs(dict(zip(n_b, n_a))))
    eig_general = [sp.simplify(e) for e in A.eigenvals()]
    singlet = sp.Matrix([0, 1, -1, 0]) / sp.sqrt(2)
    fid = sp.simplify((singlet.T * rho * singlet)[0, 0])
    # decomposition A = t n.sigma + p_plus I - p_minus I + p_zero * 0, for s >= 0 (s < 0 is the mirror image)
    sp_ = sp.symbols("s", nonnegative=True)
    tp = sp.symbols("t", nonnegative=True)
    p_plus, p_minus, p_zero = sp_, sp.Integer(0), 1 - tp - sp_
    decomposition = _sym_observable(sp_, tp, n_a) - (tp * (_sym_observable(0, 1, n_a)) + (p_plus - p_minus) * sp.eye(2))
    checks = (
        Check("trace", is_zero(corr - claimed), f"Tr[rho_v A(x)B] = {corr}"),
        Check("marginals", is_zero(marg_a - s_a) and is_zero(marg_b - s_b), f"Tr[rho_v A(x)I] = {marg_a}, Tr[rho_v I(x)B] = {marg_b}"),
        Check("probabilities", all(is_zero((prob - prob_claim).subs({oa: x, ob: y})) for x in (1, -1) for y in (1, -1)), "P(o_A, o_B) = (1 + o_A s_a + o_B s_b + o_A o_B E)/4 for all four outcomes"),
        Check("local-plus-quantum", is_zero(split - claimed), "E = (1 - v) s_a s_b + v (s_a s_b - t_a t_b <n_a, n_b>)"),
        Check("eigenvalues", eig == {s_a - t_a, s_a + t_a} and all(is_zero((e - s_a) ** 2 - t_a**2 * norm**2) for e in eig_general), f"eigenvalues of A along z: {eig}; in general s_a +- t_a |n_a|"),
        Check("decomposition", decomposition == sp.zeros(2, 2) and sp.simplify(p_plus + p_minus + p_zero + tp) == 1, "A = t n.sigma + max(s, 0) I - max(-s, 0) I, weights t, |s|, 1 - t - |s| >= 0 sum to 1"),
        Check("fidelity", is_zero(fid - (1 + 3 * v) / 4), f"<psi^-|rho_v|psi^-> = {fid}"),
    )
    return Derivation(
        "werner-correlator",
        "Correlator of local +-1 measurements A = s_a I + t_a n_a.sigma, B = s_b I + t_b n_b.sigma (|s| + t <= 1) on a Werner pair: "
        "E = s_a s_b - v t_a t_b <n_a, n_b>, marginals s_a and s_b",
        ASSUMPTIONS,
        corr,
        checks,
        extra=(("marginal_a", marg_a), ("probability", sp.factor(prob)), ("local_plus_quantum", split)),
        numbers={"fidelity_of_visibility": str(fid), "eigenvalues_along_z": sorted(str(e) for e in eig)},
    )


# ---------------------------------------------------------------- numerical twin

_NP_PAULI = (np.array([[0, 1], [1, 0]], complex), np.array([[0, -1j], [1j, 0]]), np.array([[1, 0], [0, -1]], complex))


def _visibility_iv(v: Any, name: str = "v") -> float:
    try:
        x = float(v)
    except (TypeError, ValueError) as exc:
        raise AnalyticParameterError(f"`{name}` must be a number in [0, 1]; got {v!r}") from exc
    if not (math.isfinite(x) and 0.0 <= x <= 1.0):
        raise AnalyticParameterError(f"`{name}` must lie in [0, 1]; got {v!r}")
    return x


def fidelity(v: float) -> float:
    """Singlet fidelity ``F = (1 + 3v)/4`` of the Werner state with visibility ``v``.

    >>> fidelity(1.0), fidelity(1 / 3)
    (1.0, 0.5)
    """
    return (1.0 + 3.0 * _visibility_iv(v)) / 4.0


def visibility(F: float) -> float:
    """Visibility ``v = (4F - 1)/3`` of the Werner state with singlet fidelity ``F`` in ``[1/4, 1]``.

    >>> round(visibility(0.85), 12)
    0.8
    >>> visibility(0.1)
    Traceback (most recent call last):
    ...
    analytic.errors.AnalyticParameterError: `F` must lie in [1/4, 1]; got 0.1
    """
    try:
        x = float(F)
    except (TypeError, ValueError) as exc:
        raise AnalyticParameterError(f"`F` must be a number in [1/4, 1]; got {F!r}") from exc
    if not (math.isfinite(x) and 0.25 <= x <= 1.0):
        raise AnalyticParameterError(f"`F` must lie in [1/4, 1]; got {F!r}")
    return (4.0 * x - 1.0) / 3.0


def werner_state(v: float) -> NDArray[np.complex128]:
    """The 4 x 4 density matrix ``v |psi^-><psi^-| + (1 - v) I/4`` (basis 00, 01, 10, 11).

    >>> bool(np.isclose(np.trace(werner_state(0.7)).real, 1.0))
    True
    """
    x = _visibility_iv(v)
    psi = np.array([0, 1, -1, 0], complex) / math.sqrt(2)
    return x * np.outer(psi, psi.conj()) + (1 - x) * np.eye(4, dtype=np.complex128) / 4


def observable(s: float, t: float, n: ArrayLike) -> NDArray[np.complex128]:
    """The ±1 observable ``s I + t n.sigma``; raises unless ``|n| = 1``, ``t >= 0`` and ``|s| + t <= 1``.

    >>> observable(0.0, 1.0, [0, 0, 1]).real.tolist()
    [[1.0, 0.0], [0.0, -1.0]]
    >>> observable(0.5, 0.6, [1, 0, 0])
    Traceback (most recent call last):
    ...
    analytic.errors.AnalyticParameterError: a ±1 observable needs |s| + t <= 1; got s = 0.5, t = 0.6
    """
    vec = np.asarray(n, dtype=float)
    if vec.shape != (3,) or not np.all(np.isfinite(vec)) or abs(float(np.linalg.norm(vec)) - 1.0) > 1e-9:
        raise AnalyticParameterError(f"`n` must be a unit 3-vector; got {n!r}")
    if not (math.isfinite(s) and math.isfinite(t)) or t < 0 or abs(s) + t > 1 + 1e-12:
        raise AnalyticParameterError(f"a ±1 observable needs |s| + t <= 1; got s = {s}, t = {t}")
    return s * np.eye(2) + t * sum(vec[k] * _NP_PAULI[k] for k in range(3))


def direct_correlator(v: float, A: NDArray[np.complex128], B: NDArray[np.complex128]) -> float:
    """``Tr[rho_v A (x) B]`` computed from the density matrix (the independent route the tests use).

    >>> z = observable(0.0, 1.0, [0, 0, 1])
    >>> round(direct_correlator(1.0, z, z), 12)
    -1.0
    """
    return float(np.trace(werner_state(v) @ np.kron(A, B)).real)


def werner_correlator(
    v: float, s_a: ArrayLike, r_a: ArrayLike, s_b: ArrayLike, r_b: ArrayLike
) -> NDArray[np.float64]:
    """The closed form ``E_ij = s_a[i] s_b[j] - v <r_a[i], r_b[j]>`` with ``r = t n`` (Bloch parts).

    ``s_*`` are length-N arrays, ``r_*`` are N x 3 arrays; returns the N x N
    correlator matrix.

    >>> werner_correlator(0.5, [0.0], [[0, 0, 1]], [1.0], [[0, 0, 0]]).tolist()
    [[0.0]]
    >>> werner_correlator(0.5, [0.0], [[0, 0, 1]], [0.0], [[0, 0, 1]]).tolist()
    [[-0.5]]
    """
    x = _visibility_iv(v)
    sa, sb = np.asarray(s_a, float), np.asarray(s_b, float)
    ra, rb = np.asarray(r_a, float), np.asarray(r_b, float)
    return np.outer(sa, sb) - x * (ra @ rb.T)
