"""Boundary certificates: every margin and error term of the checkers is needed.

Each test builds a certificate that sits exactly where one margin matters --
a claim equal to the checker's value *without* that margin, or the true value
from an independent computation minus one unit -- so that deleting the margin
makes the checker accept a claim it cannot prove.  ``tests/mutants/run_mutants.py``
deletes each margin in turn and reports which test fails.
"""

from __future__ import annotations

import math
from fractions import Fraction

import mpmath
import numpy as np
import pytest

from proofs.checkers.registry import check_certificate
from proofs.exact import cell_enclosure, exact_psd, fraction_str, new_certificate, verified_psd
from proofs.exact.errors import CertificateError
from proofs.exact.psd import gamma

# ------------------------------------------------------------------ Theorem V


def test_theorem_v_shift_is_needed() -> None:
    # indefinite in exact arithmetic, yet floating-point Cholesky of it (diagonal stepped down) succeeds
    a = np.array(
        [
            [12.21855787484996, 0.2946750622874055, 5.601810232097558],
            [0.2946750622874055, 0.4034654548968146, -0.003433767122661224],
            [5.601810232097558, -0.003433767122661224, 2.616666281581825],
        ]
    )
    assert not exact_psd(a).ok
    at = a.copy()
    at[np.arange(3), np.arange(3)] = np.nextafter(np.diag(a), -np.inf)
    np.linalg.cholesky(at)  # succeeds: rounding hides the negative eigenvalue
    assert not verified_psd(a).ok


# ------------------------------------------------------------------ quantum vectors (lemma Q4)
GAME = {"type": "hyperbolic", "C": "33/100"}
N = 6


def _vectors() -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(7)
    u = rng.standard_normal((N, 3))
    v = rng.standard_normal((N, 3))
    u /= np.linalg.norm(u, axis=1)[:, None] * (1 + 2**-30)
    v /= np.linalg.norm(v, axis=1)[:, None] * (1 + 2**-30)
    return u, v


def _vec_cert(bound: Fraction) -> dict:
    u, v = _vectors()
    return new_certificate(
        "quantum-vectors", GAME, N, "lower", bound, bins=N,
        u=[[fraction_str(float(t)) for t in row] for row in u], v=[[fraction_str(float(t)) for t in row] for row in v],
    )


def _float_value_parts() -> tuple[Fraction, Fraction, Fraction]:
    """The strategy's float value ``t`` (as the checker evaluates it), the radius sum and the rounding-error term."""
    u, v = _vectors()
    mc, r = cell_enclosure(GAME, N).mid_radius()
    t = Fraction(float(np.sum(np.einsum("ik,ik->i", u, mc @ v))))  # fl(sum_i fl(sum_k u_ik fl(Mc V)_ik))
    r_sum = sum((Fraction(float(s)) / (1 - gamma(N)) for s in np.sum(r, axis=1)), Fraction(0))
    s_abs = N * N * Fraction(float(np.abs(mc).max()))
    rounding = gamma(2 * N + 2 * 3 + 1) * s_abs + (N * N + N) * 3 / Fraction(2) ** 1070
    return t, r_sum, rounding


def test_vectors_claim_at_the_float_value_is_rejected() -> None:
    t, r_sum, rounding = _float_value_parts()
    assert check_certificate(_vec_cert(Fraction(1, 2) + (t - r_sum - rounding) / 2)).side == "lower"
    with pytest.raises(CertificateError):  # no room for the floating-point error of the evaluation
        check_certificate(_vec_cert(Fraction(1, 2) + (t - r_sum) / 2))
    with pytest.raises(CertificateError):  # no room for the enclosure radius of M
        check_certificate(_vec_cert(Fraction(1, 2) + (t - rounding) / 2))


def test_vectors_claim_just_above_the_enclosed_value_is_rejected() -> None:
    # the checker's bound is exactly 1/2 + (t - sum r - gamma_{2N+2d+1} S - underflow) / 2: a claim a hair above it fails,
    # so no part of the error term (the depth 2N + 2d + 1 of fl(Mc V) and its two sums included) can shrink unnoticed
    t, r_sum, rounding = _float_value_parts()
    proven = Fraction(1, 2) + (t - r_sum - rounding) / 2
    assert check_certificate(_vec_cert(proven)).details["proven"] == proven
    with pytest.raises(CertificateError):
        check_certificate(_vec_cert(proven + Fraction(1, 10**40)))


# ------------------------------------------------------------------ Tsirelson dual (lemma Q2)
def test_dual_tight_at_the_midpoint_is_rejected() -> None:
    # N = 1: Z = [[x, -m/2], [-m/2, y]] is PSD iff x y >= m^2 / 4; x = y just above |Mc|/2 is PSD for Mc
    # itself but not for every M in the enclosure Mc +- r
    game = {"type": "hyperbolic", "C": "1/3"}
    mc, _ = cell_enclosure(game, 1).mid_radius()
    x = math.nextafter(abs(float(mc[0, 0])) / 2, math.inf)
    cert = new_certificate("tsirelson-dual", game, 1, "upper", Fraction(1), bins=1, x=[fraction_str(x)], y=[fraction_str(x)])
    with pytest.raises(CertificateError, match="positive semidefinite"):
        check_certificate(cert)
    ok = dict(cert, x=[fraction_str(x + 1e-15)], y=[fraction_str(x + 1e-15)])
    assert check_certificate(ok).value == 1


# ------------------------------------------------------------------ continuum DP (independent exact leaves)
def _exact_dp_leaves(s: Fraction, n: int, S: int) -> dict[int, int]:
    """Leaf bounds of the linear game's continuum programme, from the lemma's rewards in exact rationals."""
    X, T = s, 1 - s
    D = X / n
    unit = 2**S

    def f(q: int) -> Fraction:
        return q * D - T

    def sgn(x: Fraction) -> int:
        return (x > 0) - (x < 0)

    def up(x: Fraction) -> int:
        return -((-x.numerator * unit) // x.denominator)

    U = {}
    for qi in range(6 * n + 1):
        q = qi - 3 * n
        U[qi, 0] = up(abs(D * f(q)) + D * D)
        for d in (-1, 1):
            q2 = min(max(qi + 2 * d, 0), 6 * n) - 3 * n
            if sgn(f(q)) * sgn(f(q2)) >= 0:
                U[qi, d] = up(abs(D * f(q) + d * D * D))
            else:
                U[qi, d] = up((f(q) ** 2 + f(q2) ** 2) / 4)
    leaves = {}
    for j in range(-n, n + 1):
        V = {0: 0}
        for _ in range(n):
            W: dict[int, int] = {}
            for m_prev, val in V.items():
                for d in (-1, 0, 1):
                    m = m_prev + d
                    if abs(m) > n:
                        continue
                    qi = min(max(2 * m_prev - j + 3 * n, 0), 6 * n)
                    W[m] = max(W.get(m, -(10**30)), val + U[qi, d])
            V = W
        tail = T * abs(j * D + T) * unit
        leaves[j] = V[j] + -((-tail.numerator) // tail.denominator)
    return leaves


def _dp_cert(s: Fraction, n: int, S: int, leaves: dict[int, int]) -> dict:
    top = max(leaves.values())
    return new_certificate(
        "classical-dp", {"type": "linear", "s": fraction_str(s)}, None, "upper", Fraction(1, 2) + Fraction(top, 2 ** (S + 1)),
        bins=n, tau=fraction_str(1 - s), scale_bits=S, leaves=[{"j": j, "bound_units": u} for j, u in leaves.items()],
    )


@pytest.mark.parametrize("s, n", [(Fraction(3, 5), 3), (Fraction(1, 2), 4)])
def test_dp_leaf_one_unit_low_is_rejected(s: Fraction, n: int) -> None:
    S = 40
    exact = _exact_dp_leaves(s, n, S)
    # the checker's float evaluation adds a few units of outward rounding at most
    assert check_certificate(_dp_cert(s, n, S, {j: u + 4 * n for j, u in exact.items()})).side == "upper"
    for j in (max(exact, key=exact.get), -n, n):
        low = {k: u + 4 * n for k, u in exact.items()}
        low[j] = exact[j] - 1
        with pytest.raises(CertificateError, match=f"leaf j = {j}:"):
            check_certificate(_dp_cert(s, n, S, low))


# ------------------------------------------------------------------ branch and bound (independent brute force)
def _cell_mp(C: mpmath.mpf, n: int, i: int, j: int) -> mpmath.mpf:
    """M_ij = 2 * bunch area - 1/N^2 of the paper's game, by quadrature split at the boundary's kinks."""
    a0, a1, b0, b1 = (mpmath.mpf(k) / n for k in (i, i + 1, j, j + 1))

    def height(a: mpmath.mpf) -> mpmath.mpf:
        phi = 1 - C / (1 - a)
        return min(max(phi - b0, 0), b1 - b0)

    kinks = sorted({a0, a1, *(min(max(1 - C / (1 - b), a0), a1) for b in (b0, b1) if b < 1)})
    area = mpmath.quad(height, kinks)
    return 2 * area - mpmath.mpf(1) / n**2


def test_bnb_leaf_one_unit_low_is_rejected() -> None:
    from bounds.classical_exact import exact_classical
    from games import paper_game

    mpmath.mp.dps = 40
    n, C = 6, mpmath.mpf(33) / 100
    M = [[_cell_mp(C, n, i, j) for j in range(n)] for i in range(n)]
    best: dict[int, mpmath.mpf] = {}
    for bits in range(2**n):
        h = [1 if bits >> k & 1 else -1 for k in range(n)]
        K = sum(h)
        if K < 0:
            continue
        val = sum(abs(sum(M[i][k] * h[k] for k in range(n))) for i in range(n))  # best g: signs of M h
        best[K] = max(best.get(K, val), val)
    cert = exact_classical(paper_game(0.33), n).certificates["upper"]
    assert check_certificate(cert).side == "upper"
    # at a coarse scale (2^-30 of a cell) the outward rounding of the cell floats is far below one unit,
    # so one unit below the true optimum is below every sound recomputation
    S = 30
    unit = 2**S * n * n
    generous = {K: int(mpmath.ceil(v * unit)) + 4 * n for K, v in best.items()}
    base = {**cert, "scale_bits": S, "bound": "1/1", "leaves": [{"K": K, "bound_units": u} for K, u in generous.items()]}
    assert check_certificate(base).side == "upper"
    for K, v in best.items():
        forged = {**base, "leaves": [dict(x) for x in base["leaves"]]}
        for leaf in forged["leaves"]:
            if leaf["K"] == K:
                leaf["bound_units"] = int(mpmath.ceil(v * unit)) - 1  # one unit below the true optimum of this leaf
        with pytest.raises(CertificateError, match=f"leaf K = {K}:"):
            check_certificate(forged)


def test_strategy_bounds_never_exceed_the_true_value() -> None:
    # independent: the win probability of random step strategies from quadrature cells at 40 digits
    from bounds.classical_certificates import strategy_certificate
    from games import paper_game

    mpmath.mp.dps = 40
    n, C = 5, mpmath.mpf(33) / 100
    M = [[_cell_mp(C, n, i, j) for j in range(n)] for i in range(n)]
    rng = np.random.default_rng(3)
    for _ in range(12):
        g, h = rng.choice([1, -1], n).tolist(), rng.choice([1, -1], n).tolist()
        true = mpmath.mpf(1) / 2 + sum(M[i][j] * g[i] * h[j] for i in range(n) for j in range(n)) / 2
        b = check_certificate(strategy_certificate(paper_game(0.33), g, h))
        assert mpmath.mpf(b.value.numerator) / b.value.denominator <= true
        assert true - mpmath.mpf(b.value.numerator) / b.value.denominator < mpmath.mpf(1e-15)


@pytest.mark.parametrize("s, n", [(Fraction(3, 5), 7), (Fraction(1, 3), 9), (Fraction(7, 10), 12)])
def test_dp_reward_units_bound_the_exact_rewards(s: Fraction, n: int) -> None:
    # every integer reward of the checker is at least the lemma's exact reward, rounded up (finest scale)
    from proofs.checkers.classical_dp import reward_units

    S = 52
    X, T = s, 1 - s
    D = X / n
    unit = 2**S

    def f(q: int) -> Fraction:
        return q * D - T

    def up(x: Fraction) -> int:
        return -((-x.numerator * unit) // x.denominator)

    for Uk in reward_units("linear", s, n, S):
        for qi in range(6 * n + 1):
            q = qi - 3 * n
            assert Uk[qi, 1] >= up(abs(D * f(q)) + D * D)
            for d in (-1, 1):
                q2 = min(max(qi + 2 * d, 0), 6 * n) - 3 * n
                same = (f(q) > 0) - (f(q) < 0) == (f(q2) > 0) - (f(q2) < 0) or f(q) == 0 or f(q2) == 0
                exact = abs(D * f(q) + d * D * D) if same else (f(q) ** 2 + f(q2) ** 2) / 4
                assert Uk[qi, d + 1] >= up(exact)
