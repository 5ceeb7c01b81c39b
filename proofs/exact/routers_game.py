"""The K-router system's trusted constants: operating point, N-bin Lagrangian weights (arb), lifting error.

The system (lemmas R1-R6 of ``proofs/lemmas_system.md``): K-tuples at rate
``lam``, one customer per router, i.i.d. service times of the exponential law
of rate ``mu`` or the uniform law on ``[0, 2]`` (mean 1); two servers, per
server ``rho = K lam m1 / 2 < 1``.  With ``p_split = 1 - P(all on one server)``,

``P(all on one server) = 2^(1-K) (1 + sum_{|S| even >= 2} E[o_S])``,
``W_q = W_0 + sum_{i<j} E[(1 + o_i o_j)/2 c_K(X_i, X_j)]``,
``c_K(x, y) = kappa x y + (x + y)/(2K)``, ``kappa = lam/(2(1 - rho))``,
``W_0 = K lam m2/(4(1 - rho))``.

On ``N`` equiprobable bins of ``a = F(x)`` per router (bin ``k`` is
``[k/N, (k+1)/N)``), a strategy that is constant on bins has the exact value
``C(nu) + sum_{i<j} sum_{x,y} W[x, y] E_ij[x, y] + sum_{|S| >= 4} (2^(1-K)/N^|S|) sum E_S``
for the Lagrangian ``P(all on one server) + nu (W_limit - W_q)`` with
``W[x, y] = 2^(1-K)/N^2 - (nu/2) E[c_K; bins x, y]``.  The bin moments
``E[X; bin]`` of the exponential law contain logarithms, so everything here is
an arb ball computed from the certificate's exact rationals; this module is
the one place a checker gets the game's weights from (never from the
producer).

Game object of a certificate: ``{"type": "routers", "K": "3", "law":
"exponential", "lam": "p/q", "mu": "p/q", "W_limit": "p/q"}`` (uniform:
``"law": "uniform"`` and no ``mu``).

>>> pt = read_point({"type": "routers", "K": "3", "law": "exponential", "lam": "2/5", "mu": "1", "W_limit": "5/2"})
>>> pt.rho, pt.kappa, pt.W0, pt.mean_cost
(Fraction(3, 5), Fraction(1, 2), Fraction(3, 2), Fraction(5, 6))
>>> pt.constant(Fraction(1, 2))              # nu (W_l - W_0) + 1/4 - (nu/2) * 3 * E[c]
Fraction(1, 8)
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from proofs.exact.errors import CertificateError, CertificateFormatError
from proofs.exact.laws import working_precision
from proofs.exact.rational import arb_fraction, parse_fraction

__all__ = ["KS", "LAWS", "MAX_ROUTER_BINS", "PREC", "RoutersPoint", "lower_rational", "read_point", "upper_rational", "weight_error"]

#: router counts
KS = (2, 3, 4)
#: service laws with exact moments
LAWS = ("exponential", "uniform")
#: most bins per router
MAX_ROUTER_BINS = 256
#: arb precision (bits)
PREC = 128


def _exact(x: Any) -> Fraction:
    m, e = x.man_exp()
    return Fraction(int(m)) * (Fraction(2) ** int(e))


def upper_rational(x: Any) -> Fraction:
    """An exact rational ``>=`` every point of the ball ``x``."""
    if not x.is_finite():
        raise CertificateError("an enclosure is not finite")
    return _exact(x.upper())


def lower_rational(x: Any) -> Fraction:
    """An exact rational ``<=`` every point of the ball ``x``."""
    if not x.is_finite():
        raise CertificateError("an enclosure is not finite")
    return _exact(x.lower())


def _s(q: Fraction) -> str:
    return f"{q.numerator}/{q.denominator}"


@dataclass(frozen=True)
class RoutersPoint:
    """One operating point: ``K`` routers, tuple rate ``lam``, law, ``W_limit`` (exact rationals; validated by :func:`read_point`)."""

    K: int
    lam: Fraction
    law: str
    mu: Fraction | None
    W_limit: Fraction

    @property
    def m1(self) -> Fraction:
        return 1 / self.mu if self.law == "exponential" and self.mu is not None else Fraction(1)

    @property
    def m2(self) -> Fraction:
        return 2 / self.mu**2 if self.law == "exponential" and self.mu is not None else Fraction(4, 3)

    @property
    def rho(self) -> Fraction:
        return self.K * self.lam * self.m1 / 2

    @property
    def kappa(self) -> Fraction:
        return self.lam / (2 * (1 - self.rho))

    @property
    def W0(self) -> Fraction:
        """``W_q`` of a rule that never puts two customers of a tuple together."""
        return self.K * self.lam * self.m2 / (4 * (1 - self.rho))

    @property
    def mean_cost(self) -> Fraction:
        """``E[c_K(X, Y)] = kappa m1^2 + m1/K``."""
        return self.kappa * self.m1**2 + self.m1 / self.K

    @property
    def half(self) -> Fraction:
        return Fraction(1, 2 ** (self.K - 1))

    def terms(self) -> list[tuple[int, ...]]:
        """Terms of the Lagrangian: every pair, and for ``K = 4`` the four-body term."""
        return [S for r in range(2, self.K + 1, 2) for S in itertools.combinations(range(self.K), r)]

    def pair_matrix(self, nu: Fraction) -> tuple[Fraction, Fraction, Fraction]:
        """``(A00, A01, A11)``: the pair kernel ``2^(1-K) - nu c_K(x, y)/2 = [1, x] A [1, y]^T``."""
        return self.half, -nu / (4 * self.K), -nu * self.kappa / 2

    def constant(self, nu: Fraction) -> Fraction:
        """``C(nu) = nu (W_limit - W_0) + 2^(1-K) - (nu/2) C(K, 2) E[c_K]`` (exact)."""
        return nu * (self.W_limit - self.W0) + self.half - nu / 2 * math.comb(self.K, 2) * self.mean_cost

    def describe(self) -> dict[str, str]:
        out = {"type": "routers", "K": str(self.K), "law": self.law, "lam": _s(self.lam)}
        if self.law == "exponential" and self.mu is not None:
            out["mu"] = _s(self.mu)
        out["W_limit"] = _s(self.W_limit)
        return out

    # ------------------------------------------------------------------ bins (arb)
    def _G(self, k: int, N: int) -> Any:
        """``E[X; F(X) < k/N]`` as an arb ball."""
        from flint import arb

        if k == 0:
            return arb(0)
        if self.law == "uniform":
            q = Fraction(k, N)
            return arb_fraction(q * q)  # X = 2A: E[2A; A < a] = a^2
        if k == N:
            return arb_fraction(self.m1)
        a = arb(k) / N
        return ((1 - a) * (1 - a).log() + a) * arb_fraction(self.m1)

    def bin_means(self, N: int) -> list[Any]:
        """``e_k = E[X; bin k]`` (arb balls; rational for the uniform law)."""
        with working_precision(PREC):
            g = [self._G(k, N) for k in range(N + 1)]
            return [g[k + 1] - g[k] for k in range(N)]

    def cost_weights(self, N: int) -> list[Any]:
        """``E[c_K(X, Y); X in bin x, Y in bin y]`` for every ``(x, y)`` in C order (arb balls)."""
        e = self.bin_means(N)
        with working_precision(PREC):
            kap, p, twoK = arb_fraction(self.kappa), arb_fraction(Fraction(1, N)), 2 * self.K
            return [kap * e[x] * e[y] + (e[x] + e[y]) * p / twoK for x in range(N) for y in range(N)]

    def game_weights(self, nu: Fraction, N: int) -> dict[tuple[int, ...], list[Any]]:
        """The Lagrangian's weights per term (arb balls; the four-body term is exact)."""
        cost = self.cost_weights(N)
        with working_precision(PREC):
            base = arb_fraction(self.half / N**2)
            nu2 = arb_fraction(nu / 2)
            pair = [base - nu2 * c for c in cost]
            out: dict[tuple[int, ...], list[Any]] = {}
            for S in self.terms():
                out[S] = pair if len(S) == 2 else [arb_fraction(self.half / N ** len(S))] * N ** len(S)
            return out

    def lift_delta(self, N: int) -> Fraction:
        """An upper bound on ``delta_N = sum_k E[|X - m_k|; bin k]``, ``m_k = E[X | bin k]`` (lemma R5).

        >>> RoutersPoint(3, Fraction(2, 5), "uniform", None, Fraction(3)).lift_delta(4)   # 1/(2N)
        Fraction(1, 8)
        """
        if self.law == "uniform":
            return Fraction(1, 2 * N)  # width 2/N, E|U - mid| = width/4, probability 1/N per bin
        from flint import arb

        e = self.bin_means(N)
        with working_precision(PREC):
            mu = arb_fraction(self.mu if self.mu is not None else Fraction(1))
            total = arb(0)
            for k in range(N):
                m = e[k] * N  # conditional mean
                # E[|X - m|; bin] = 2 E[(X - m)^+; bin] = 2 (tail1(m) - tail1(t1) - m (tail0(m) - tail0(t1)))
                t0m, t1m = (-mu * m).exp(), (m + 1 / mu) * (-mu * m).exp()
                if k == N - 1:
                    t0b = t1b = arb(0)
                else:
                    tb = -(1 - arb(k + 1) / N).log() / mu
                    t0b, t1b = arb(N - k - 1) / N, (tb + 1 / mu) * arb(N - k - 1) / N
                total += 2 * ((t1m - t1b) - m * (t0m - t0b))
            return upper_rational(total)

    def lift_error(self, nu: Fraction, N: int) -> Fraction:
        """``C(K, 2) 2 delta_N (|A01| + m1 |A11|)``: continuum value minus N-bin value, at most (lemma R5)."""
        _, a01, a11 = self.pair_matrix(nu)
        return math.comb(self.K, 2) * 2 * self.lift_delta(N) * (abs(a01) + self.m1 * abs(a11))


def read_point(desc: Any) -> RoutersPoint:
    """Read and validate a certificate's ``game`` object of type ``"routers"``.

    >>> read_point({"type": "routers", "K": "5", "law": "uniform", "lam": "1/5", "W_limit": "2"})
    Traceback (most recent call last):
    ...
    proofs.exact.errors.CertificateFormatError: routers game parameter 'K' must be one of (2, 3, 4); got '5'
    """
    if not isinstance(desc, dict) or desc.get("type") != "routers":
        raise CertificateFormatError("certificate field 'game' must be an object {type: 'routers', K, law, lam, W_limit} (exponential: and mu)")
    allowed = {"type", "K", "law", "lam", "mu", "W_limit"}
    extra = sorted(set(desc) - allowed)
    if extra:
        raise CertificateFormatError(f"routers game has no parameter(s) {extra[:5]}")
    K = desc.get("K")
    if K not in [str(k) for k in KS]:
        raise CertificateFormatError(f"routers game parameter 'K' must be one of {KS}; got {str(K)[:10]!r}")
    law = desc.get("law")
    if law not in LAWS:
        raise CertificateFormatError(f"routers game parameter 'law' must be one of {LAWS}; got {str(law)[:40]!r}")
    lam = parse_fraction(desc.get("lam"), "lam")
    wl = parse_fraction(desc.get("W_limit"), "W_limit")
    mu: Fraction | None = None
    if law == "exponential":
        mu = parse_fraction(desc.get("mu"), "mu")
        if mu <= 0:
            raise CertificateFormatError(f"routers game parameter 'mu' must be > 0; got {mu}")
    elif "mu" in desc:
        raise CertificateFormatError(f"the uniform law on [0, 2] takes no rate 'mu'; got mu = {str(desc.get('mu'))[:20]!r}")
    if lam <= 0:
        raise CertificateFormatError(f"routers game parameter 'lam' must be > 0; got {lam}")
    if wl < 0:
        raise CertificateFormatError(f"routers game parameter 'W_limit' must be >= 0; got {wl}")
    pt = RoutersPoint(int(K), lam, law, mu, wl)
    if pt.rho >= 1:
        raise CertificateFormatError(f"rho = K lam E[X]/2 must be < 1 for a stable system; got rho = {pt.rho}")
    return pt


def weight_error(point: RoutersPoint, nu: Fraction, N: int, den: int, const: int, terms: dict[tuple[int, ...], list[int]]) -> Fraction:
    """An upper bound on ``|c' - C(nu)| + sum_S sum_x |W'_S[x] - W_S[x]|`` for the weights ``W' = terms/den``, ``c' = const/den``.

    For every strategy (correlators in ``[-1, 1]``) the game with weights
    ``W'`` and the true Lagrangian game differ by at most this (lemma R5).
    The terms must be exactly those of the model (:meth:`RoutersPoint.terms`).

    >>> pt = RoutersPoint(3, Fraction(2, 5), "uniform", None, Fraction(5, 2))
    >>> e = pt.bin_means(2); [str(x) for x in e]    # E[X; bin] of U[0, 2] on two bins: 1/4, 3/4
    ['0.250000000000000', '0.750000000000000']
    """
    from flint import arb

    if sorted(terms) != sorted(point.terms()):
        raise CertificateError(f"the inner game's terms {sorted(terms)} are not the model's terms {point.terms()}")
    true = point.game_weights(nu, N)
    with working_precision(PREC):
        d = arb_fraction(Fraction(1, den))
        total = arb(0)
        for S, flat in terms.items():
            ref = true[S]
            if len(flat) != len(ref):
                raise CertificateError(f"term {S} has {len(flat)} weights; the model's has {len(ref)}")
            for v, w in zip(flat, ref):
                total += abs(arb(v) * d - w)
        err = upper_rational(total)
    return err + abs(Fraction(const, den) - point.constant(nu))
