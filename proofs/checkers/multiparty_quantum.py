"""Checker of explicit quantum strategies for K-party correlator games (lemma M3 in ``proofs/lemmas_quantum.md``).

``"multiparty-quantum-strategy"`` (:func:`check_multiparty_quantum_strategy`)
    Lower bound on the entangled value of a ``correlator`` game (exact weights in
    the certificate, :func:`proofs.exact.correlator_game.read_weighted_certificate`): a
    state and +-1 observables, all with Gaussian-rational entries, whose value
    is computed exactly.

Certificate fields (besides the header and the weights):

``subsystems``
    the local dimensions ``d_s`` (2 to :data:`MAX_LOCAL`) of the ``n`` subsystems;
``owners``
    the player holding each subsystem (a player may hold none: a classical
    player, whose observables are 1 x 1, that is, signs);
``factors``
    the state as a tensor product of density matrices, each
    ``{"subsystems": [s, ...], "rho": D x D matrix}`` on the listed
    subsystems in that order (every subsystem in exactly one factor);
``observables``
    per player ``i``, ``N`` matrices on its subsystems in increasing order
    (dimension ``prod d_s`` over them, 1 if none).

A matrix entry is a rational (JSON integer or ``"p/q"``) or a pair
``[re, im]`` of rationals.  The checker proves, exactly: every observable is
Hermitian with ``O^2 = I`` (so its eigenvalues are +-1: a two-outcome
measurement with outcome ``o = +-1``); every factor is Hermitian, has trace 1
and is positive semidefinite (exact rational LDL^T of the real form
``[[A, -B], [B, A]]`` of ``A + iB``).  Then the state is a density matrix and
``E[prod_{i in S} o_i(x_i)] = Tr(rho_S (x)_{i in S} O_i(x_i))`` with ``rho_S``
the reduced state of the players in ``S`` (partial traces factor by factor),
contracted exactly with the observables; the value is
``constant + sum_S sum_x W_S[x] E_S[x]`` in exact rationals.

Imports only :mod:`proofs.exact`, numpy and the sibling :mod:`proofs.checkers.bound`.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np
from numpy.typing import NDArray

from proofs.checkers.bound import Bound, Target, _issue
from proofs.exact.certificate import field_list
from proofs.exact.correlator_game import IntegerWeights, read_weighted_certificate
from proofs.exact.errors import CertificateError, CertificateFormatError
from proofs.exact.psd import exact_psd
from proofs.exact.rational import parse_fraction, show_rational

__all__ = [
    "MAX_FACTOR_DIM",
    "MAX_LOCAL",
    "MAX_PLAYER_DIM",
    "MAX_SUBSYSTEMS",
    "MAX_WORK",
    "Cmat",
    "check_multiparty_quantum_strategy",
    "check_state_and_observables",
    "correlators",
    "read_strategy",
    "strategy_value",
]

#: most subsystems of a certificate
MAX_SUBSYSTEMS = 12
#: largest local dimension of one subsystem
MAX_LOCAL = 8
#: largest dimension of one state factor (its exact PSD test is on the 2D x 2D real form)
MAX_FACTOR_DIM = 64
#: largest dimension of one player's space
MAX_PLAYER_DIM = 16
#: most elementary products of the exact contraction of all terms (``N^|S|`` times the reduced-state size)
MAX_WORK = 2**24

#: an exact complex array as its real and imaginary parts (object arrays of Fractions)
Cmat = tuple[NDArray[Any], NDArray[Any]]


def _entry(t: Any, where: str) -> tuple[Fraction, Fraction]:
    if isinstance(t, list):
        if len(t) != 2:
            raise CertificateFormatError(f"{where}: a complex entry is a pair [re, im]; got a list of {len(t)}")
        return parse_fraction(t[0], where), parse_fraction(t[1], where)
    return parse_fraction(t, where), Fraction(0)


def _matrix(raw: Any, d: int, where: str) -> Cmat:
    if not isinstance(raw, list) or len(raw) != d or not all(isinstance(r, list) and len(r) == d for r in raw):
        raise CertificateFormatError(f"{where} must be a {d} x {d} matrix (a list of {d} rows of {d} entries)")
    re = np.empty((d, d), dtype=object)
    im = np.empty((d, d), dtype=object)
    for i, row in enumerate(raw):
        for j, t in enumerate(row):
            re[i, j], im[i, j] = _entry(t, where)
    return re, im


def _hermitian(m: Cmat) -> bool:
    re, im = m
    return bool(np.all(re == re.T) and np.all(im == -im.T))


def _cmul(a: Cmat, b: Cmat) -> Cmat:
    return a[0].dot(b[0]) - a[1].dot(b[1]), a[0].dot(b[1]) + a[1].dot(b[0])


def _is_involution(m: Cmat) -> bool:
    """``O^2 = I`` exactly."""
    d = m[0].shape[0]
    sq = _cmul(m, m)
    eye = np.array([[Fraction(int(i == j)) for j in range(d)] for i in range(d)], dtype=object)
    return bool(np.all(sq[0] == eye) and np.all(sq[1] == 0))


def _outer(a: Cmat, b: Cmat) -> Cmat:
    mo = np.multiply.outer
    return mo(a[0], b[0]) - mo(a[1], b[1]), mo(a[0], b[1]) + mo(a[1], b[0])


def _tdot(a: Cmat, b: Cmat, axes: tuple[list[int], list[int]]) -> Cmat:
    td = np.tensordot
    return td(a[0], b[0], axes) - td(a[1], b[1], axes), td(a[0], b[1], axes) + td(a[1], b[0], axes)


def read_strategy(cert: dict[str, Any], K: int, N: int) -> tuple[list[int], list[int], list[tuple[list[int], Cmat]], list[list[Cmat]]]:
    """``(subsystems, owners, factors, observables)`` of a quantum strategy's fields, exact, shapes checked (``K`` players, ``N`` inputs)."""
    dims = field_list(cert, "subsystems", max_length=MAX_SUBSYSTEMS)
    if not dims or not all(type(d) is int and 2 <= d <= MAX_LOCAL for d in dims):
        raise CertificateFormatError(f"field 'subsystems' must list 1 to {MAX_SUBSYSTEMS} local dimensions in [2, {MAX_LOCAL}]")
    n = len(dims)
    owners = field_list(cert, "owners", n)
    if not all(type(p) is int and 0 <= p < K for p in owners):
        raise CertificateFormatError(f"field 'owners' must give each of the {n} subsystems a player in [0, {K - 1}]")
    raw_f = field_list(cert, "factors", max_length=n)
    seen: list[int] = []
    factors = []
    for k, f in enumerate(raw_f):
        if not isinstance(f, dict) or set(f) != {"subsystems", "rho"}:
            raise CertificateFormatError(f"factors[{k}] must be an object with exactly the fields 'subsystems' and 'rho'")
        subs = f["subsystems"]
        if not isinstance(subs, list) or not subs or not all(type(s) is int and 0 <= s < n for s in subs):
            raise CertificateFormatError(f"factors[{k}]['subsystems'] must be a non-empty list of subsystem indices in [0, {n - 1}]")
        seen += subs
        D = int(np.prod([dims[s] for s in subs]))
        if D > MAX_FACTOR_DIM:
            raise CertificateFormatError(f"factors[{k}] has dimension {D}; at most {MAX_FACTOR_DIM}")
        factors.append((list(subs), _matrix(f["rho"], D, f"factors[{k}]['rho']")))
    if sorted(seen) != list(range(n)):
        raise CertificateFormatError("every subsystem must lie in exactly one factor of field 'factors'")
    pdims = [int(np.prod([dims[s] for s in range(n) if owners[s] == i])) for i in range(K)]
    if max(pdims) > MAX_PLAYER_DIM:
        raise CertificateFormatError(f"a player's space has dimension at most {MAX_PLAYER_DIM}; got {max(pdims)}")
    if K * N * max(pdims) ** 2 > 2**20:
        raise CertificateFormatError(f"the observables have at most 2^20 entries; got K N d^2 = {K * N * max(pdims) ** 2}")
    raw_o = field_list(cert, "observables", K)
    obs = []
    for i, row in enumerate(raw_o):
        if not isinstance(row, list) or len(row) != N:
            raise CertificateFormatError(f"observables[{i}] must be a list of N = {N} matrices")
        obs.append([_matrix(o, pdims[i], f"observables[{i}][{x}]") for x, o in enumerate(row)])
    return dims, owners, factors, obs


def check_state_and_observables(factors: list[tuple[list[int], Cmat]], obs: list[list[Cmat]]) -> None:
    """Refuse unless every factor is a density matrix (Hermitian, trace 1, PSD by exact LDL) and every observable Hermitian with ``O^2 = I``."""
    for k, (_, rho) in enumerate(factors):
        if not _hermitian(rho):
            raise CertificateError(f"factors[{k}] is not Hermitian")
        if sum(rho[0].diagonal(), Fraction(0)) != 1:
            raise CertificateError(f"factors[{k}] does not have trace 1")
        re, im = rho
        real_form = np.block([[re, -im], [im, re]])
        res = exact_psd(real_form.tolist())
        if not res.ok:
            raise CertificateError(f"factors[{k}] is not positive semidefinite ({res.reason})")
    for i, row in enumerate(obs):
        for x, o in enumerate(row):
            if not _hermitian(o):
                raise CertificateError(f"observables[{i}][{x}] is not Hermitian")
            if not _is_involution(o):
                raise CertificateError(f"observables[{i}][{x}] does not square to the identity (its eigenvalues are not +-1)")


def _reduced(S: tuple[int, ...], dims: list[int], owners: list[int], factors: list[tuple[list[int], Cmat]]) -> Cmat:
    """The reduced state of the players ``S`` as a tensor with axes ``[row of each player in S, column of each player in S]``."""
    keep_order: list[int] = []
    acc: Cmat = (np.array(Fraction(1), dtype=object), np.array(Fraction(0), dtype=object))
    for subs, rho in factors:
        m = len(subs)
        shape = [dims[s] for s in subs] * 2
        t = (rho[0].reshape(shape), rho[1].reshape(shape))
        kept = list(subs)
        for pos in reversed(range(m)):  # trace out the subsystems of players outside S
            if owners[subs[pos]] not in S:
                cur = len(kept)
                t = (np.trace(t[0], axis1=pos, axis2=pos + cur), np.trace(t[1], axis1=pos, axis2=pos + cur))
                kept.pop(pos)
        if kept:
            # acc axes [rows..., cols...]; t axes [rows..., cols...] -> interleave into [acc rows, t rows, acc cols, t cols]
            ka, kt = len(keep_order), len(kept)
            o = _outer(acc, t)
            perm = list(range(ka)) + list(range(2 * ka, 2 * ka + kt)) + list(range(ka, 2 * ka)) + list(range(2 * ka + kt, 2 * ka + 2 * kt))
            acc = (np.transpose(o[0], perm), np.transpose(o[1], perm))
            keep_order += kept
        else:
            # a factor traced out completely contributes its trace (1 for a checked factor; kept exact anyway)
            acc = (acc[0] * t[0] - acc[1] * t[1], acc[0] * t[1] + acc[1] * t[0])
    # order the kept subsystems by (player position in S, subsystem index), then merge each player's subsystems into one axis
    order = sorted(range(len(keep_order)), key=lambda k: (S.index(owners[keep_order[k]]), keep_order[k]))
    kk = len(keep_order)
    perm = order + [kk + k for k in order]
    re, im = (np.transpose(acc[0], perm), np.transpose(acc[1], perm)) if kk else acc
    pd = [int(np.prod([dims[s] for s in keep_order if owners[s] == p])) for p in S]
    return np.reshape(re, pd * 2), np.reshape(im, pd * 2)


def correlators(S: tuple[int, ...], dims: list[int], owners: list[int], factors: list[tuple[list[int], Cmat]], obs: list[list[Cmat]]) -> Cmat:
    """``E_S[x] = Tr(rho_S (x)_{i in S} O_i(x_i))`` for every ``x`` in ``range(N)^|S|``, exact (real and imaginary parts)."""
    R = _reduced(S, dims, owners, factors)
    k = len(S)
    for step, i in enumerate(S):
        ob = (np.stack([o[0] for o in obs[i]]), np.stack([o[1] for o in obs[i]]))  # axes (x, col b, row a)
        rem = k - step  # players still in R: axes [rows (rem), cols (rem), x's so far]
        # sum_{a, b} R[a, ..., b, ...] O[x, b, a]: R's row axis 0 with O's axis 2, R's column axis rem with O's axis 1
        R = _tdot(R, ob, ([0, rem], [2, 1]))
    return R


def strategy_value(w: IntegerWeights, dims: list[int], owners: list[int], factors: list[tuple[list[int], Cmat]], obs: list[list[Cmat]]) -> Fraction:
    """The exact value ``constant + sum_S sum_x W_S[x] Re E_S[x]`` (lemma M3)."""
    total = Fraction(w.constant, w.den)
    for S, flat in w.terms.items():
        E = correlators(S, dims, owners, factors, obs)[0].reshape(-1)
        total += sum((Fraction(v) * e for v, e in zip(flat, E.tolist()) if v), Fraction(0)) / w.den
    return total


def check_multiparty_quantum_strategy(cert: dict[str, Any], source: str) -> Bound:
    """Verify a ``"multiparty-quantum-strategy"`` certificate: the strategy's exact value is ``>= bound`` (lemma M3).

    >>> from proofs.exact.certificate import new_certificate
    >>> from proofs.exact.correlator_game import describe, integer_weights, weights_fields
    >>> q = Fraction(1, 8)
    >>> w = integer_weights(Fraction(1, 2), {(0, 1): [q, q, q, -q]})   # CHSH: winning probability 1/2 + sum W E
    >>> bell = [[Fraction(1, 2) if i in (0, 3) and j in (0, 3) else 0 for j in range(4)] for i in range(4)]
    >>> Z, X = [[1, 0], [0, -1]], [[0, 1], [1, 0]]
    >>> A = [Z, X]
    >>> B = [[["3/5", "4/5"], ["4/5", "-3/5"]], [["3/5", "-4/5"], ["-4/5", "-3/5"]]]   # (3 Z +- 4 X)/5, near (Z +- X)/sqrt(2)
    >>> c = new_certificate("multiparty-quantum-strategy", describe(w, 2, 2, "winning probability"), 2, "lower", Fraction(1, 2),
    ...                     **weights_fields(w), subsystems=[2, 2], owners=[0, 1], factors=[{"subsystems": [0, 1], "rho": bell}],
    ...                     observables=[A, B])
    >>> check_multiparty_quantum_strategy(c, "demo").details["proven"]   # 1/2 + (3/5 + 3/5 + 4/5 + 4/5)/8
    Fraction(17, 20)
    """
    hd, game, w = read_weighted_certificate(cert, "multiparty-quantum-strategy", "lower")
    dims, owners, factors, obs = read_strategy(cert, game.K, game.N)
    work = 0
    for S in w.terms:
        rd = int(np.prod([dims[s] for s in range(len(dims)) if owners[s] in S]))
        work += rd * rd * game.N
        if work > MAX_WORK:
            raise CertificateFormatError(f"the exact contraction of this certificate would take more than {MAX_WORK} products; "
                                         "use fewer bins, smaller local spaces or fewer terms")
    check_state_and_observables(factors, obs)
    proven = strategy_value(w, dims, owners, factors, obs)
    if hd.bound > proven:
        raise CertificateError(f"claimed lower bound {show_rational(hd.bound)} exceeds the strategy's exact value ({show_rational(proven)})")
    return _issue("lower", hd.bound, Target(game.describe(), game.N, "quantum"), source,
                  "proofs.checkers.multiparty_quantum:check_multiparty_quantum_strategy (lemma M3, exact)", proven=proven)
