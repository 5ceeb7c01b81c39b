"""K routers, two servers: ``W_q``, the splitting event, ``lambda_eff`` and the Lagrangian kernel.

Model (the paper's two servers with the preemptible baseline task, K routers):
customers arrive in simultaneous K-tuples, a Poisson stream of rate ``lambda``
(tuples per unit time), one customer at each router; service times ``X_i``
are i.i.d. with mean ``m1`` and second moment ``m2``.  Router ``i`` sees only
``X_i`` (and shared resources) and outputs ``o_i = +-1``; a shared fair bit
``g = +-1``, fresh per tuple and independent of everything else (the global
flip, free for every class of routers), sends customer ``i`` to server 1 iff
``g o_i = +1``.  Each server is then an M^X/G/1 FIFO queue fed by the tuple
stream; inside a batch (the customers of one tuple on one server) the order
is random.  Per server the utilisation is ``rho = K lambda m1 / 2`` for every
rule.

Derived here, by enumerating the flip and the sign patterns symbolically:

* ``P(all on one server) = 2^(1-K) sum_{|S| even} E[o_S]`` (``o_S`` the
  product over ``S``, ``o_{} = 1``): pair terms for ``K = 3``, pair terms and
  the four-body term ``E[o1 o2 o3 o4]`` for ``K = 4``; odd orders cancel
  because of the flip.  The splitting event is ``p_split = 1 - P(all on one
  server)``; a server receives a (non-empty) batch from a tuple with
  probability ``1 - P(all on the other) = (1 + p_split)/2``, so
  ``lambda_eff = lambda (1 + p_split)/2`` and the baseline throughput
  ``E[T_B] = (1 - rho) lambda_eff E[T(L)]`` depend on the rule only through
  ``p_split``, as for two routers (lemma R1 of ``proofs/lemmas_system.md``).
* ``W_q = W_0 + sum_{i<j} E[(1 + o_i o_j)/2 c_K(X_i, X_j)]`` per customer, with
  ``W_0 = K lambda m2 / (4 (1 - rho))``, ``c_K(x, y) = kappa x y + (x + y)/(2K)``
  and ``kappa = lambda / (2 (1 - rho))``: only two-body terms.
* the Lagrangian ``P(all on one server) + nu (W_l - W_q)`` is a K-party
  correlator game: constant ``nu (W_l - W_0) + 2^(1-K) - (nu/2) C(K, 2) E[c_K]``,
  pair kernel ``w(x, y) = 2^(1-K) - nu c_K(x, y)/2 = [1, x] A [1, y]^T`` with
  ``A = [[2^(1-K), -nu/(4K)], [-nu/(4K), -nu kappa/2]]`` (rank 2, indefinite),
  and for ``K >= 4`` the even higher-order terms ``2^(1-K) E[o_S]`` with
  constant weights.  For ``K = 2`` ``A = M(nu)/2`` of
  :func:`analytic.system.derive_system_kernel`.

>>> d = derive_router_waiting(3)
>>> d.passed
True
>>> derive_router_kernel(3).expr.tolist()
[[1/4, -nu/12], [-nu/12, -kappa*nu/2]]
"""

from __future__ import annotations

import itertools
import math

import sympy as sp

from analytic import symbols as sym
from analytic.derivation import Check, Derivation, is_zero
from analytic.errors import AnalyticParameterError
from analytic.system import derive_system_kernel
from analytic.throughput import derive_monomial
from analytic.waiting import B12, BFIRST, derive_waiting_time

__all__ = [
    "ASSUMPTIONS",
    "correlator_terms",
    "derive_router_kernel",
    "derive_router_waiting",
    "pair_cost",
    "same_server_probability",
]

#: the K of the derivations: 2 (the paper), 3 and 4
KS = (2, 3, 4)

ASSUMPTIONS = (
    "R-A1: K-tuples arrive as a Poisson stream of rate lambda, one customer per router; service times i.i.d. with mean m1 and E[X^2] = m2 < inf",
    "R-A2: router i's output o_i depends only on its own X_i, shared resources and fresh per-tuple randomness, never on queue state",
    "R-A3: a shared fair bit g, fresh per tuple and independent of everything else, sends customer i to server 1 iff g o_i = +1 (the global flip: symmetric loads)",
    "R-A4: rho = K lambda m1 / 2 < 1 per server; FIFO between batches; random order inside a batch (the customers of one tuple on one server)",
    "W_q is the per-customer mean wait before service, averaged over the K customers of a tuple",
)


def _check_K(K: int) -> int:
    if isinstance(K, bool) or not isinstance(K, int) or K not in KS:
        raise AnalyticParameterError(f"`K` must be one of {KS}; got {K!r}")
    return K


def _xs(K: int) -> tuple[sp.Symbol, ...]:
    return tuple(sp.Symbol(f"x_{i + 1}", nonnegative=True) for i in range(K))


def _os(K: int) -> tuple[sp.Symbol, ...]:
    return tuple(sp.Symbol(f"o_{i + 1}", real=True) for i in range(K))


def _corr(S: tuple[int, ...]) -> sp.Symbol:
    """``E[o_S]`` as a symbol (players numbered from 1 in the name)."""
    return sp.Symbol(r"\mathbb{E}[" + " ".join(f"o_{i + 1}" for i in S) + "]", real=True)


def _corr_x(i: int, j: int) -> sp.Symbol:
    """``E[X_i o_i o_j]`` (``i != j``)."""
    a, b = sorted((i, j))
    return sp.Symbol(rf"\mathbb{{E}}[X_{i + 1} o_{a + 1} o_{b + 1}]", real=True)


def _corr_xy(i: int, j: int) -> sp.Symbol:
    """``E[X_i X_j o_i o_j]`` (``i < j``)."""
    return sp.Symbol(rf"\mathbb{{E}}[X_{i + 1} X_{j + 1} o_{i + 1} o_{j + 1}]", real=True)


def _reduce(expr: sp.Expr, os: tuple[sp.Symbol, ...]) -> sp.Expr:
    """Use ``o_i^2 = 1``: reduce every exponent of every ``o_i`` modulo 2."""
    expr = sp.expand(expr)
    if expr == 0:
        return sp.Integer(0)
    poly = sp.Poly(expr, *os)
    out = sp.Integer(0)
    for monom, coeff in poly.terms():
        term = coeff
        for o, e in zip(os, monom):
            term *= o ** (e % 2)
        out += term
    return sp.expand(out)


def _flip_average(fn, os: tuple[sp.Symbol, ...]) -> sp.Expr:  # noqa: ANN001
    """Average of ``fn(g)`` over the fair global flip ``g = +-1``, reduced."""
    return _reduce((fn(sp.Integer(1)) + fn(sp.Integer(-1))) / 2, os)


def same_server_probability(K: int) -> sp.Expr:
    """``P(all K customers on one server)`` in correlators ``E[o_S]`` (symbols), by enumeration.

    >>> same_server_probability(3)
    \\mathbb{E}[o_1 o_2]/4 + \\mathbb{E}[o_1 o_3]/4 + \\mathbb{E}[o_2 o_3]/4 + 1/4
    """
    K = _check_K(K)
    os = _os(K)
    ind = [lambda g, o=o: (1 + g * o) / 2 for o in os]
    pointwise = _flip_average(lambda g: sp.Mul(*[f(g) for f in ind]) + sp.Mul(*[1 - f(g) for f in ind]), os)
    return _expect_signs(pointwise, os)


def _expect_signs(expr: sp.Expr, os: tuple[sp.Symbol, ...]) -> sp.Expr:
    """Replace every sign monomial ``o_S`` by the correlator symbol ``E[o_S]``."""
    poly = sp.Poly(sp.expand(expr), *os)
    out = sp.Integer(0)
    for monom, coeff in poly.terms():
        S = tuple(i for i, e in enumerate(monom) if e)
        out += coeff * (_corr(S) if S else 1)
    return out


def correlator_terms(K: int) -> dict[str, list[tuple[int, ...]]]:
    """Which correlators the problem depends on: sign monomials ``S`` (players from 0) of each quantity.

    ``"p_same"``: ``P(all on one server)`` (every even ``|S| >= 2``);
    ``"W_q"``: the waiting time (pairs only, weighted by service times).

    >>> correlator_terms(4)["p_same"][-1], correlator_terms(4)["W_q"][:2]
    ((0, 1, 2, 3), [(0, 1), (0, 2)])
    """
    d = derive_router_waiting(K)
    return {k: [tuple(v) for v in vals] for k, vals in d.numbers["correlators"].items()}


def pair_cost(K: int) -> sp.Expr:
    """The pair cost ``c_K(x, y) = kappa x y + (x + y)/(2K)`` (symbols ``x_1, x_2``).

    >>> pair_cost(2)
    kappa*x_1*x_2 + x_1/4 + x_2/4
    """
    K = _check_K(K)
    return sym.kappa * sym.x1 * sym.x2 + (sym.x1 + sym.x2) / (2 * K)


def _mxg1(K: int) -> tuple[sp.Expr, dict[sp.Symbol, sp.Expr], tuple[sp.Symbol, ...]]:
    """Textbook M^X/G/1 ``W_q`` (random order in a batch) for an exchangeable rule that ignores service times.

    ``a_j = P(j of the K outputs are +1)``.  Returns the textbook value, the
    substitution of the correlator symbols that rule implies, and the ``a_j``.
    """
    a = sp.symbols(f"a_0:{K + 1}", nonnegative=True)
    sub_a = {a[0]: 1 - sum(a[1:])}
    # server-1 batch size B: j or K - j with probability 1/2 each (the flip)
    pb = {b: (a[b] + a[K - b]) / 2 for b in range(K + 1)}
    p_nonempty = 1 - pb[0]
    eb = sum(b * pb[b] for b in range(K + 1)) / p_nonempty
    ebb1 = sum(b * (b - 1) * pb[b] for b in range(K + 1)) / p_nonempty
    lam_b = sym.lam * p_nonempty
    rho = K * sym.lam * sym.m1 / 2
    wq = lam_b * (eb * sym.m2 + ebb1 * sym.m1**2) / (2 * (1 - rho)) + ebb1 * sym.m1 / (2 * eb)
    # every pair of an exchangeable pattern law has E[o_i o_j] = sum_j a_j ((2j - K)^2 - K) / (K (K - 1))
    e_pair = sum(a[j] * ((2 * j - K) ** 2 - K) for j in range(K + 1)) / (K * (K - 1))
    sub: dict[sp.Symbol, sp.Expr] = {}
    for i, j in itertools.combinations(range(K), 2):
        sub[_corr_xy(i, j)] = sym.m1**2 * e_pair
        sub[_corr_x(i, j)] = sym.m1 * e_pair
        sub[_corr_x(j, i)] = sym.m1 * e_pair
    return sp.simplify(wq.subs(sub_a)), {k: v.subs(sub_a) for k, v in sub.items()}, a


def derive_router_waiting(K: int) -> Derivation:
    """Derive ``W_q``, ``P(all on one server)``, ``rho`` and ``lambda_eff`` for K routers; check reductions.

    Checks: utilisation free of the rule; ``E[S^2 | x, o]`` in pair terms;
    ``W_q`` equals ``W_0 + sum_{i<j} E[(1 + o_i o_j)/2 c_K]``; the same-server
    probability; ``lambda_eff = lambda (1 + p_split)/2``; every rule that ignores
    service times gives the textbook M^X/G/1 ``W_q`` (exchangeable pattern law,
    symbolic); ``K = 2`` equals :func:`analytic.waiting.derive_waiting_time`;
    ``R_k`` is Eq. 8 whatever ``K``.

    >>> derive_router_waiting(4).numbers["correlators"]["p_same"][-1]
    [0, 1, 2, 3]
    """
    K = _check_K(K)
    xs, os = _xs(K), _os(K)
    rho = sym.rho
    kappa_def = sym.lam / (2 * (1 - rho))

    def on1(g: sp.Expr, i: int) -> sp.Expr:
        return (1 + g * os[i]) / 2

    es = _flip_average(lambda g: sum(xs[i] * on1(g, i) for i in range(K)), os)
    es2 = _flip_average(lambda g: sum(xs[i] * on1(g, i) for i in range(K)) ** 2, os)
    same = {(i, j): _flip_average(lambda g, i=i, j=j: on1(g, i) * on1(g, j) + (1 - on1(g, i)) * (1 - on1(g, j)), os)
            for i in range(K) for j in range(K) if i != j}
    ev = sym.lam * es2 / (2 * (1 - rho))
    within = sum(sp.Rational(1, 2) * xs[j] * same[(i, j)] for i in range(K) for j in range(K) if i != j) / K
    wq_pointwise = sp.expand(ev + within)

    def expect(expr: sp.Expr) -> sp.Expr:
        poly = sp.Poly(sp.expand(expr), *xs, *os)
        out = sp.Integer(0)
        for monom, coeff in poly.terms():
            xe, oe = monom[:K], monom[K:]
            xi = [i for i, e in enumerate(xe) for _ in range(e)]
            S = tuple(i for i, e in enumerate(oe) if e)
            if not S:
                val = sym.m2 if len(xi) == 2 and xi[0] == xi[1] else sp.Mul(*[sym.m1] * len(xi))
            elif len(S) == 2 and sorted(xi) == list(S):
                val = _corr_xy(*S)
            elif len(S) == 2 and len(xi) == 1 and xi[0] in S:
                val = _corr_x(xi[0], S[1] if xi[0] == S[0] else S[0])
            elif len(S) == 2 and len(xi) == 0:
                val = _corr(S)
            else:  # pragma: no cover - the structure checks below would fail first
                raise RuntimeError(f"unexpected monomial x{xe} o{oe}")
            out += coeff * val
        return out

    wq = sp.expand(expect(wq_pointwise))
    W0 = K * sym.lam * sym.m2 / (4 * (1 - rho))
    claimed = W0 + sum((kappa_def * sym.m1**2 + sym.m1 / K) / 2 + (kappa_def * _corr_xy(i, j) + (_corr_x(i, j) + _corr_x(j, i)) / (2 * K)) / 2
                       for i, j in itertools.combinations(range(K), 2))
    p_same = same_server_probability(K)
    p_same_claim = sp.Rational(1, 2 ** (K - 1)) * (1 + sum(_corr(S) for r in range(2, K + 1, 2) for S in itertools.combinations(range(K), r)))
    empty1 = _expect_signs(_flip_average(lambda g: sp.Mul(*[1 - on1(g, i) for i in range(K)]), os), os)
    lam_eff = sp.expand(sym.lam * (1 - empty1))
    # which sign monomials each quantity uses
    pw = sp.Poly(wq_pointwise, *os)
    wq_terms = sorted({tuple(i for i, e in enumerate(m) if e) for m, _ in pw.terms()} - {()})
    ps_terms = sorted({tuple(int(t) - 1 for t in str(s)[len(r"\mathbb{E}["):-1].replace("o_", "").split()) for s in p_same.free_symbols}, key=lambda S: (len(S), S))
    # M^X/G/1 reduction
    mxg1, sub, a = _mxg1(K)
    wq_const = sp.simplify(wq.subs(sub).subs(rho, K * sym.lam * sym.m1 / 2))
    # K = 2: analytic.waiting with beta = (1 + o1 o2)/2
    k2 = True
    if K == 2:
        ref = derive_waiting_time().expr.subs({B12: (sym.m1**2 + _corr_xy(0, 1)) / 2, BFIRST: (2 * sym.m1 + _corr_x(0, 1) + _corr_x(1, 0)) / 4})
        k2 = is_zero(ref - wq)
    # R_k: E[T_B] = (1 - rho) Gamma(k + 1) / lambda_eff^(k - 1) with this lambda_eff; the ratio is Eq. 8
    tb = dict(derive_monomial().extra)["in_p_split"]
    ratio = sp.simplify(tb.subs(sym.p_split, sym.p_q) / tb.subs(sym.p_split, sym.p_c))
    eq8 = ((1 + sym.p_c) / (1 + sym.p_q)) ** (sym.k - 1)
    ratio_ok = is_zero(sp.expand_power_base(sp.powsimp(ratio, force=True), force=True) - sp.expand_power_base(eq8, force=True))
    p_split_sym = 1 - p_same
    pair_only = all(len(S) == 2 for S in wq_terms)
    checks = (
        Check("utilisation", is_zero(es - sum(xs) / 2),
              f"E[S | x, o] = {es}: free of the outputs, so rho = lambda E[S] = K lambda m1/2 for every rule"),
        Check("E[S^2]", is_zero(es2 - (sum(x**2 for x in xs) + 2 * sum(xs[i] * xs[j] * (1 + os[i] * os[j]) / 2 for i, j in itertools.combinations(range(K), 2))) / 2),
              "E[S^2 | x, o] = (sum x_i^2 + 2 sum_{i<j} x_i x_j (1 + o_i o_j)/2)/2: pair terms only"),
        Check("same-server", all(is_zero(v - (1 + os[i] * os[j]) / 2) for (i, j), v in same.items()), "1{i, j on one server} = (1 + o_i o_j)/2 for either flip"),
        Check("W_q-pairs", is_zero(wq - claimed), "W_q = K lambda m2/(4(1 - rho)) + sum_{i<j} E[(1 + o_i o_j)/2 (kappa X_i X_j + (X_i + X_j)/(2K))]"),
        Check("W_q-two-body", pair_only, f"W_q uses the sign monomials {wq_terms}: two-body only"),
        Check("P(same)", is_zero(p_same - p_same_claim), f"P(all on one server) = {p_same}"),
        Check("lambda_eff", is_zero(lam_eff - sym.lam * (1 + p_split_sym) / 2),
              "a server receives a batch w.p. 1 - P(all on the other) = (1 + p_split)/2: lambda_eff = lambda (1 + p_split)/2"),
        Check("M^X/G/1", is_zero(wq_const - mxg1), f"every exchangeable rule that ignores service times (a_j = P(j outputs +1), symbolic {a[1:]}) gives the textbook M^X/G/1 W_q"),
        Check("K=2", k2, "K = 2: equals analytic.waiting (record wq-general) with beta = (1 + o1 o2)/2" if K == 2 else "K != 2: not applicable"),
        Check("R_k", ratio_ok, "E[T_B] = (1 - rho) Gamma(k+1)/lambda_eff^(k-1) with the same lambda_eff: R_k = ((1 + p_c)/(1 + p_q))^(k - 1) whatever K"),
    )
    return Derivation(
        f"routers-wq-k{K}",
        f"K = {K} routers: W_q = K lambda m2/(4(1 - rho)) + sum_{{i<j}} E[(1 + o_i o_j)/2 (kappa X_i X_j + (X_i + X_j)/(2K))], "
        f"rho = K lambda m1/2, kappa = lambda/(2(1 - rho)); P(all on one server) = 2^(1-K) sum_(|S| even) E[o_S]; "
        "p_split = 1 - P(all on one server); lambda_eff = lambda (1 + p_split)/2",
        ASSUMPTIONS,
        wq,
        checks,
        extra=(("p_same", p_same), ("lambda_eff", lam_eff), ("E_S2_given_x_o", es2), ("mxg1_reference", mxg1)),
        numbers={"K": K, "correlators": {"p_same": [list(S) for S in ps_terms], "W_q": [list(S) for S in wq_terms]}},
    )


def derive_router_kernel(K: int) -> Derivation:
    """The Lagrangian ``P(all on one server) + nu (W_l - W_q)`` as a K-party correlator game.

    Checks: pointwise identity (in ``x`` and the signs) between the Lagrangian
    and ``constant + sum_{i<j} o_i o_j w(x_i, x_j) + 2^(1-K) sum_{|S| >= 4 even} o_S``;
    ``w = [1, x] A [1, y]^T``; ``det A < 0`` (rank 2 for ``nu > 0``);
    ``K = 2``: ``A = M(nu)/2`` of :func:`analytic.system.derive_system_kernel`.
    """
    K = _check_K(K)
    xs, os = _xs(K), _os(K)
    c = pair_cost(K)

    def cxy(i: int, j: int) -> sp.Expr:
        return c.subs({sym.x1: xs[i], sym.x2: xs[j]}, simultaneous=True)

    B = sp.Symbol("B", real=True)  # W_l - W_0
    p_same_pw = sp.Rational(1, 2 ** (K - 1)) * (1 + sum(sp.Mul(*[os[i] for i in S]) for r in range(2, K + 1, 2) for S in itertools.combinations(range(K), r)))
    lagr = p_same_pw + sym.nu * (B - sum((1 + os[i] * os[j]) / 2 * cxy(i, j) for i, j in itertools.combinations(range(K), 2)))
    A = sp.Matrix([[sp.Rational(1, 2 ** (K - 1)), -sym.nu / (4 * K)], [-sym.nu / (4 * K), -sym.nu * sym.kappa / 2]])

    def w(i: int, j: int) -> sp.Expr:
        return sp.expand((sp.Matrix([[1, xs[i]]]) * A * sp.Matrix([1, xs[j]]))[0, 0])

    const_pw = sym.nu * B + sp.Rational(1, 2 ** (K - 1)) - sym.nu / 2 * sum(cxy(i, j) for i, j in itertools.combinations(range(K), 2))
    game = const_pw + sum(os[i] * os[j] * w(i, j) for i, j in itertools.combinations(range(K), 2)) + sp.Rational(1, 2 ** (K - 1)) * sum(
        sp.Mul(*[os[i] for i in S]) for r in range(4, K + 1, 2) for S in itertools.combinations(range(K), r))
    const = sp.expand(sym.nu * B + sp.Rational(1, 2 ** (K - 1)) - sym.nu / 2 * math.comb(K, 2) * (sym.kappa * sym.m1**2 + sym.m1 / K))
    det = sp.factor(A.det())
    w_norm = sp.expand(w(0, 1) - (sp.Rational(1, 2 ** (K - 1)) - sym.nu * cxy(0, 1) / 2))
    k2 = True
    if K == 2:
        k2 = is_zero(sp.Matrix(A - derive_system_kernel().expr / 2).norm())
    checks = (
        Check("lagrangian", is_zero(sp.expand(lagr - game)), "P(same) + nu (B - sum_{i<j} (1 + o_i o_j)/2 c_K) = constant(x) + sum_{i<j} o_i o_j w + 2^(1-K) sum_{|S|>=4 even} o_S pointwise"),
        Check("pair-kernel", is_zero(w_norm), "w(x, y) = [1, x] A [1, y]^T = 2^(1-K) - nu c_K(x, y)/2"),
        Check("determinant", is_zero(det + sym.nu * sym.kappa / 2 ** K + sym.nu**2 / (16 * K**2)), f"det A = {det} < 0 for nu > 0: rank 2, indefinite"),
        Check("mean-constant", is_zero(sp.expand(const - (sym.nu * B + sp.Rational(1, 2 ** (K - 1)) - sym.nu / 2 * math.comb(K, 2) * (sym.kappa * sym.m1**2 + sym.m1 / K)))),
              f"constant = nu B + 2^(1-K) - (nu/2) C(K,2) E[c_K] = {const} (independent inputs: E[c_K] = kappa m1^2 + m1/K)"),
        Check("K=2", k2, "K = 2: A = M(nu)/2 with M of record system-kernel" if K == 2 else "K != 2: not applicable"),
        Check("higher-order", sp.Poly(game, *os).total_degree() == (4 if K == 4 else 2),
              "K = 4: one four-body term E[o1 o2 o3 o4] with constant weight 1/8" if K == 4 else "K <= 3: two-body terms only"),
    )
    return Derivation(
        f"routers-kernel-k{K}",
        f"K = {K}: P(all on one server) + nu (W_l - W_q) = nu (W_l - W_0) + 2^(1-K) - (nu/2) C(K,2) E[c_K] + sum_{{i<j}} E[o_i o_j w(X_i, X_j)]"
        + (" + 2^(1-K) sum_(|S| >= 4 even) E[o_S]" if K >= 4 else "")
        + ", w(x, y) = [1, x] A [1, y]^T, A = [[2^(1-K), -nu/(4K)], [-nu/(4K), -nu kappa/2]] (rank 2)",
        ASSUMPTIONS + ("independent inputs for the constant's mean E[c_K]",),
        A,
        checks,
        extra=(("pair_kernel", w(0, 1)), ("constant", const), ("determinant", det)),
    )


def derive_routers_wq_k3() -> Derivation:
    """Record ``routers-wq-k3``: :func:`derive_router_waiting` for three routers."""
    return derive_router_waiting(3)


def derive_routers_wq_k4() -> Derivation:
    """Record ``routers-wq-k4``: :func:`derive_router_waiting` for four routers."""
    return derive_router_waiting(4)


def derive_routers_kernel_k3() -> Derivation:
    """Record ``routers-kernel-k3``: :func:`derive_router_kernel` for three routers."""
    return derive_router_kernel(3)


def derive_routers_kernel_k4() -> Derivation:
    """Record ``routers-kernel-k4``: :func:`derive_router_kernel` for four routers."""
    return derive_router_kernel(4)


__all__ += ["derive_routers_kernel_k3", "derive_routers_kernel_k4", "derive_routers_wq_k3", "derive_routers_wq_k4"]
