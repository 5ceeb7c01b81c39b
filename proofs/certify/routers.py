"""K routers at one operating point: certified brackets on the smallest ``p_split`` of each class.

:func:`routers_result` runs the estimates of :mod:`bounds.routers` (ideal and
classical), searches explicit quantum strategies on ``N`` bins for each
resource (:mod:`bounds.multiparty_quantum`: GHZ, triangle of Bell pairs, one
Bell pair plus classical routers) on the Lagrangian game
(:func:`games.routers.lagrangian_game`), mixes them with the classical
threshold profiles by a shared coin to meet ``W_limit``, writes certificates
and has :mod:`proofs.checkers.routers_system` verify them:

* ``routers-strategy`` (upper bound on ``p_split``, continuum target) for the
  classical class and for each resource;
* ``routers-dual`` (lower bound on ``p_split``) for the classical class: an
  inner ``multiparty-classical-threshold`` certificate on the factored N-bin
  Lagrangian game at the classical multiplier (``K = 4``: with the four-body
  term, constant weight, lemma M2 (iv)), certified on ``N`` bins and,
  with the lifting term of lemma R5, on the continuum;
* ``routers-dual`` for the entangled class (any state, any local
  measurements; ``K = 2, 3``): an inner ``npa-multiparty-dual`` certificate
  (NPA level ``1+ab``, :mod:`bounds.npa_multiparty`) on the same N-bin
  Lagrangian game, its weights rounded to ``2^-50`` (the checker bounds the
  distance to the true weights, lemma R5), on ``N`` bins and on the continuum;
* ``routers-continuum-dual`` for the entangled class on the continuum with no
  bins (``K = 2, 3, 4``; lemma R7, :mod:`bounds.routers_continuum`): the
  rank-2 moment relaxation with localizing and weighted Cauchy-Schwarz
  constraints.  ``bounds["entangled"]`` keeps ``lower_lifted`` (R5) and
  ``lower_relaxation`` (R7); ``lower_continuum`` is the larger of the two.

The ideal class is an estimate (quadrature, :func:`bounds.routers.ideal_solution`).
Every float in the result that is not inside a :class:`proofs.Bound` is an
estimate and is labelled so.

>>> r = routers_result(3, 0.4, 2.5, N=4, resources=(), certify=False)
>>> r.estimates["ideal"] < r.estimates["classical"], r.K
(True, 3)
"""

from __future__ import annotations

import itertools
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from proofs.checkers.bound import Bound
from proofs.exact.errors import ProofsParameterError

__all__ = ["ENTANGLED", "RESOURCES", "ResourceStrategy", "RoutersBinsResult", "RoutersResult", "mixture_routing", "playable_routing",
           "routers_bins_result", "routers_result"]

#: quantum resources searched, in the order reported: three fixed states and ``general`` (a real K-qubit state, a qubit per
#: router, optimised with the observables by :func:`bounds.multiparty_seesaw.general_seesaw`)
RESOURCES = ("ghz", "triangle", "pair+classical", "general")
#: the class of every strategy with any shared state (bounded below by the NPA dual)
ENTANGLED = "entangled"
#: NPA level of the entangled class's inner certificate
NPA_LEVEL = "1+ab"
#: denominator of the rounded weights of the NPA inner game
_WEIGHT_ROUND = 2**50
#: denominators of rounded thresholds, mixture weights and bin means
_ROUND = 2**40


def _q(x: float) -> Fraction:
    return Fraction(round(float(x) * _ROUND), _ROUND)


@dataclass(frozen=True)
class ResourceStrategy:
    """A candidate strategy: its ``P(all on one server)`` and ``W_q`` (float estimates) and its certificate component."""

    label: str
    same: float
    wq: float
    component: dict[str, Any]
    routing: Any = None


@dataclass(frozen=True)
class RoutersResult:
    """Estimates and certified bounds of the smallest ``p_split`` per class at one operating point."""

    K: int
    lam: float
    rho: float
    W_limit: float
    law: str
    N: int
    nu: float
    estimates: dict[str, float | None]
    strategies: dict[str, list[dict[str, Any]]]
    bounds: dict[str, dict[str, Bound]] = field(default_factory=dict)
    certificates: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    mixtures: dict[str, list[tuple[float, ResourceStrategy]]] = field(default_factory=dict, repr=False)
    seconds: float = 0.0
    npa_level: str = NPA_LEVEL
    continuum_relaxation: bool = True

    def certified(self, cls: str, side: str, target: str = "continuum") -> float | None:
        b = self.bounds.get(cls, {}).get(f"{side}_{target}" if side == "lower" else side)
        return None if b is None else float(b)

    def to_dict(self) -> dict[str, Any]:
        return {"K": self.K, "lam": self.lam, "rho": self.rho, "W_limit": self.W_limit, "law": self.law, "N": self.N, "nu": self.nu,
                "estimates": dict(self.estimates), "strategies": self.strategies,
                "bounds": {c: {k: b.to_dict() for k, b in d.items()} for c, d in self.bounds.items()},
                "certificates": list(self.certificates), "notes": list(self.notes), "seconds": self.seconds,
                "npa_level": self.npa_level, "continuum_relaxation": self.continuum_relaxation}


# ------------------------------------------------------------------------------------------ helpers
def _exact_game(model: Any, W_limit: float) -> dict[str, str]:
    from proofs.exact.rational import exact_parameter, fraction_str

    law = "exponential" if model.law.is_exponential else "uniform"
    out = {"type": "routers", "K": str(model.K), "law": law, "lam": fraction_str(exact_parameter(model.lam, "lam"))}
    if law == "exponential":
        out["mu"] = fraction_str(exact_parameter(model.law.mu, "mu"))
    out["W_limit"] = fraction_str(exact_parameter(W_limit, "W_limit"))
    return out


def _values_games(model: Any, N: int) -> tuple[Any, Any]:
    """Two correlator games on ``N`` bins whose values are ``P(all on one server)`` and ``W_q`` of a bin-constant strategy."""
    from games.multiparty import CorrelatorGame
    from games.routers import even_terms

    K = model.K
    half = 2.0 ** (1 - K)
    same_terms = {S: np.full((N,) * len(S), half / N ** len(S)) for S in even_terms(K)}
    cost = model.bin_cost(N) / 2.0
    cost = (cost + cost.T) / 2.0
    cost_terms: dict[tuple[int, ...], Any] = {S: cost for S in itertools.combinations(range(K), 2)}
    return (CorrelatorGame(K, N, same_terms, constant=half, quantity="P(all on one server)"),
            CorrelatorGame(K, N, cost_terms, constant=model.W_split + math.comb(K, 2) * model.mean_cost / 2.0, quantity="W_q"))


def _best_mixture(cands: Sequence[ResourceStrategy], W_limit: float) -> list[tuple[float, ResourceStrategy]]:
    """The shared-coin mixture of at most two candidates with the largest ``P(same)`` at ``W_q <= W_limit`` (floats)."""
    best: tuple[float, list[tuple[float, ResourceStrategy]]] | None = None
    for a in cands:
        if a.wq <= W_limit and (best is None or a.same > best[0]):
            best = (a.same, [(1.0, a)])
    for a, b in itertools.permutations(cands, 2):
        if a.wq < W_limit < b.wq:
            t = (b.wq - W_limit) / (b.wq - a.wq)  # weight of a
            v = t * a.same + (1 - t) * b.same
            if best is None or v > best[0]:
                best = (v, [(t, a), (1 - t, b)])
    if best is None:
        raise ProofsParameterError(f"no candidate strategy meets W_limit = {W_limit:g}")
    return best[1]


def _strategy_cert(game: dict[str, str], model: str, mix: list[tuple[float, ResourceStrategy]], bins: int, resource: str | None,
                   slack: float, on_bins: bool = False) -> dict[str, Any]:
    """A ``routers-strategy`` certificate; the first (cheaper) component gets ``slack`` more weight for exact feasibility."""
    from proofs.exact.rational import fraction_str

    mix = sorted(mix, key=lambda m: m[1].wq)
    ws = [_q(w) for w, _ in mix]
    if len(ws) == 2:
        ws[0] = min(Fraction(1), ws[0] + _q(slack))
        ws[1] = 1 - ws[0]
    else:
        ws = [Fraction(1)]
    comps = [{"weight": fraction_str(w), **m.component} for w, (_, m) in zip(ws, mix) if w > 0]
    same = sum(float(w) * m.same for w, (_, m) in zip(ws, mix))
    cert: dict[str, Any] = {"schema": 2, "kind": "routers-strategy", "game": game, "N": bins if on_bins else None, "side": "upper",
                            "bound": fraction_str(_q(1 - same + 1e-9) + Fraction(1, _ROUND)), "model": model, "bins": bins, "components": comps}
    if resource is not None:
        cert["resource"] = resource
    return cert


def _check_saved(cert: dict[str, Any], out_dir: Path | None) -> tuple[Bound, str]:
    from proofs.checkers.registry import check_certificate

    if out_dir is None:
        return check_certificate(cert, f"<in-memory {cert['kind']}>"), "<in-memory>"
    from bounds.certificates import save_certificate

    path = save_certificate(cert, out_dir)
    return check_certificate(path), path


def _certify_upper(game: dict[str, str], model: str, mix: list[tuple[float, ResourceStrategy]], bins: int, resource: str | None,
                   out_dir: Path | None, on_bins: bool = False) -> tuple[Bound, str]:
    """Round the mixture to a ``routers-strategy`` (more weight on the cheaper component until it checks); ``on_bins``: target the N-bin optimum."""
    from proofs.exact.errors import CertificateError

    last: Exception | None = None
    for slack in (1e-9, 1e-7, 1e-5, 1e-3):
        cert = _strategy_cert(game, model, mix, bins, resource, slack, on_bins)
        try:
            return _check_saved(cert, None if out_dir is None else out_dir)
        except CertificateError as exc:  # rounding broke exact feasibility or the claim: more slack
            last = exc
    raise ProofsParameterError(f"no rounded mixture passed the routers-strategy checker: {last}")


def _classical_dual(model: Any, game: dict[str, str], nu: float, N: int, out_dir: Path | None) -> dict[str, tuple[Bound, str]]:
    """``routers-dual`` of the classical class on ``N`` bins and on the continuum (inner: multiparty-classical-threshold)."""
    from bounds.multiparty_classical import FactoredPairwise, threshold_certificates
    from proofs.exact.rational import fraction_str
    from proofs.exact.routers_game import read_point

    pt = read_point(game)
    nu_q = Fraction(nu).limit_denominator(10**6)
    _, e = model.bin_moments(N)
    m = tuple(_q(N * v) for v in e)
    A00, A01, A11 = pt.pair_matrix(nu_q)
    A = ((A00, A01), (A01, A11))
    kernels: dict[tuple[int, ...], Any] = {S: A for S in itertools.combinations(range(model.K), 2)}
    for S in pt.terms():
        if len(S) > 2:   # K = 4: the four-body term 2^(1-K) E[o_S], constant weight 2^(1-K)/N^4 on the bins (lemmas R3, M2 (iv))
            kernels[S] = pt.half
    fg = FactoredPairwise(model.K, tuple(Fraction(1, N) for _ in range(N)), m, kernels,
                          pt.constant(nu_q), f"routers Lagrangian K={model.K} nu={fraction_str(nu_q)}")
    inner = threshold_certificates(fg)["upper"]
    out = {}
    from proofs.exact.routers_game import weight_error

    probe = {S: [int(v) for v in t["weights"]] for S, t in ((tuple(t["players"]), t) for t in inner["terms"])}
    eps = weight_error(pt, nu_q, N, inner["denominator"], inner["constant"], probe)
    inner_v = Fraction(inner["bound"])
    for target in ("N", "continuum"):
        lift = Fraction(0) if target == "N" else pt.lift_error(nu_q, N)
        bound = 1 - inner_v - eps - lift
        bound = Fraction(math.floor(bound * _ROUND), _ROUND)
        cert = {"schema": 2, "kind": "routers-dual", "game": game, "N": N if target == "N" else None, "side": "lower",
                "bound": fraction_str(bound), "model": "classical", "nu": fraction_str(nu_q), "bins": N, "inner": inner}
        out[target] = _check_saved(cert, out_dir)
    return out


def _entangled_dual(model: Any, game: dict[str, str], nu: float, N: int, out_dir: Path | None,
                    level: str = NPA_LEVEL) -> tuple[dict[str, tuple[Bound, str]], Fraction]:
    """``routers-dual`` of the entangled class on ``N`` bins and on the continuum (inner: ``npa-multiparty-dual`` at ``level``).

    Returns the two checked bounds and the NPA value of the inner game (exact, as the checker proved it).
    """
    from bounds.npa_multiparty import npa_multiparty
    from games.multiparty import CorrelatorGame
    from games.routers import rational_weights
    from proofs.exact.rational import fraction_str
    from proofs.exact.routers_game import read_point

    pt = read_point(game)
    nu_q = Fraction(nu).limit_denominator(10**6)
    rw = rational_weights(model, float(pt.W_limit), float(nu_q), N)
    exact = {S: tuple(Fraction(round(v * _WEIGHT_ROUND), _WEIGHT_ROUND) for v in w) for S, w in rw.terms.items()}
    const = Fraction(round(rw.constant * _WEIGHT_ROUND), _WEIGHT_ROUND)
    terms = {S: np.array([float(v) for v in w]).reshape((N,) * len(S)) for S, w in exact.items()}
    g = CorrelatorGame(model.K, N, terms, constant=float(const), quantity=f"routers Lagrangian K={model.K} nu={fraction_str(nu_q)}",
                       exact_terms=exact, exact_constant=const)
    inner = npa_multiparty(g, level=level).certificate
    den, ic = inner["denominator"], inner["constant"]
    probe = {tuple(t["players"]): [int(v) for v in t["weights"]] for t in inner["terms"]}
    from proofs.exact.routers_game import weight_error

    eps = weight_error(pt, nu_q, N, den, ic, probe)
    inner_v = Fraction(inner["bound"])
    out = {}
    for target in ("N", "continuum"):
        lift = Fraction(0) if target == "N" else pt.lift_error(nu_q, N)
        bound = Fraction(math.floor((1 - inner_v - eps - lift) * _ROUND), _ROUND)
        cert = {"schema": 2, "kind": "routers-dual", "game": game, "N": N if target == "N" else None, "side": "lower",
                "bound": fraction_str(bound), "model": "quantum", "nu": fraction_str(nu_q), "bins": N, "inner": inner}
        out[target] = _check_saved(cert, out_dir)
    return out, inner_v


#: (directions, weights, cutting-plane rounds) of the continuum relaxation (lemma R7)
RELAXATION = (16, 8, 2)


#: levels of the continuum relaxation: lemma R7 and its even extension (lemma R9; about 60 s per K = 3 solve)
RELAXATION_LEVELS = ("1+ab", "1+ab+even")


def _relaxation_dual(model: Any, W_limit: float, out_dir: Path | None, size: tuple[int, int, int],
                     level: str = "1+ab") -> tuple[Bound, str]:
    """``routers-continuum-dual`` of the entangled class on the continuum (lemma R7; ``level="1+ab+even"``: lemma R9)."""
    from bounds.routers_continuum import continuum_relaxation

    law = "exponential" if model.law.is_exponential else "uniform"
    r = continuum_relaxation(model.K, model.lam, W_limit, mu=model.law.mu if law == "exponential" else 1, law=law,
                             directions=size[0], weights=size[1], refine=size[2], level=level)
    return _check_saved(r.certificate, out_dir)


def _quantum_candidates(model: Any, W_limit: float, nus: Sequence[float], N: int, resource: str, seed: int,
                        restarts: int = 4) -> list[ResourceStrategy]:
    """See-saw strategies of ``resource`` on the Lagrangian game at each ``nu``, rounded exactly, with their float values.

    ``"general"``: a general real K-qubit state (a qubit per router) optimised with the observables
    (:func:`bounds.multiparty_seesaw.general_seesaw`, ``restarts`` starts, 80 rounds); the others: a fixed
    resource of :mod:`bounds.multiparty_quantum` (``restarts`` starts, 200 rounds).
    """
    from bounds.multiparty_quantum import bell_network, bell_pair, exact_observable, float_observable, ghz, optimise, strategy_value
    from bounds.multiparty_seesaw import general_seesaw
    from games.routers import lagrangian_game
    from proofs.exact.rational import fraction_str

    same_g, cost_g = _values_games(model, N)
    out = []
    for k, nu in enumerate(nus):
        g = lagrangian_game(model, W_limit, nu, N)
        if resource == "general":
            st = general_seesaw(g, restarts=restarts, seed=seed + k).strategy()
        else:
            res0 = {"ghz": ghz, "triangle": bell_network, "pair+classical": bell_pair}[resource](model.K)
            st = optimise(g, res0, restarts=restarts, rounds=200, seed=seed + k)
        res = st.resource
        obs_exact = [[exact_observable(o) for o in st.observables[i]] for i in range(res.K)]
        obs_f = [np.stack([float_observable(mm) for mm in row]) for row in obs_exact]
        same = strategy_value(same_g, res, obs_f)
        wq = strategy_value(cost_g, res, obs_f)
        factors = [{"subsystems": list(subs), "rho": [[fraction_str(v) for v in row] for row in rho]} for subs, rho in res.factors]
        comp = {"quantum": {"subsystems": [2] * res.n, "owners": list(res.owners), "factors": factors, "observables": obs_exact}}
        out.append(ResourceStrategy(f"{resource} nu={nu:.4g}", same, wq, comp, (res, obs_f)))
    return out


def _threshold_candidates(model: Any, cl: Any) -> list[ResourceStrategy]:
    """The classical solution's threshold profiles and a split anchor as candidates (continuum strategies)."""
    from games.system.tuples import ThresholdTupleRouting

    K = model.K
    cands: list[ResourceStrategy] = []
    for _w, u, o in cl.components:
        U = _threshold_U(model, u, o)
        same, wq = model.moment_values(U)
        comp = {"thresholds": {"u": [str(_q(v)) for v in u], "orient": list(o)}}
        cands.append(ResourceStrategy("classical thresholds", same, wq, comp, ThresholdTupleRouting((tuple(u),), (tuple(o),))))
    # anchor: routers 0 and 1 always apart (never all on one server), the others split at the median; a cheap candidate
    # that lets a rounded optimum sitting exactly at W_limit be mixed back under it
    u_a = [1.0, 0.0] + [0.5] * (K - 2)
    o_a = [1] * K
    same_a, wq_a = model.moment_values(_threshold_U(model, u_a, o_a))
    cands.append(ResourceStrategy("split anchor", same_a, wq_a, {"thresholds": {"u": [str(_q(v)) for v in u_a], "orient": o_a}},
                                  ThresholdTupleRouting((tuple(u_a),), (tuple(o_a),))))
    return cands


# ------------------------------------------------------------------------------------------ entry point
def routers_result(
    K: int,
    lam: float,
    W_limit: float,
    *,
    mu: float = 1.0,
    law: str = "exponential",
    N: int = 8,
    resources: Sequence[str] = RESOURCES,
    certify: bool = True,
    cert_dir: str | Path | None = None,
    seed: int = 0,
    relaxation: tuple[int, int, int] | None = RELAXATION,
    on_progress: Callable[[int, int, str], None] | None = None,
    npa_level: str = NPA_LEVEL,
    relaxation_level: str = "1+ab",
) -> RoutersResult:
    """Estimates and (with ``certify``) certified brackets on the smallest ``p_split`` of each class at ``W_q <= W_limit``.

    ``relaxation=None`` skips the continuum relaxation of lemma R7 (10-60 s); ``relaxation_level`` is its level
    (``"1+ab"``, or ``"1+ab+even"`` of lemma R9: tighter with the same cut weights, about 60 s per K = 3 solve);
    ``npa_level`` is the NPA level of the entangled class's N-bin dual (``"1+ab"``; ``"1+ab+abc"`` is tighter for
    ``K >= 3``, side ``(1 + N)^3``-ish).
    """
    from analytic.laws.service import ServiceLaw
    from bounds.routers import classical_solution, ideal_solution
    from games.routers import RouterModel

    t0 = time.perf_counter()
    from proofs.exact.npa_moments import LEVELS

    if npa_level not in LEVELS[1:]:
        raise ProofsParameterError(f"`npa_level` must be one of {LEVELS[1:]}; got {npa_level!r}")
    if law not in ("exponential", "uniform"):
        raise ProofsParameterError(f"`law` must be 'exponential' or 'uniform'; got {law!r}")
    if relaxation_level not in RELAXATION_LEVELS:
        raise ProofsParameterError(f"`relaxation_level` must be one of {RELAXATION_LEVELS}; got {relaxation_level!r}")
    unknown = [r for r in resources if r not in RESOURCES]
    if unknown:
        raise ProofsParameterError(f"`resources` must be among {RESOURCES}; got {unknown}")
    if K != 3 and "triangle" in resources:
        resources = [r for r in resources if r != "triangle"]
    sl = ServiceLaw.exponential(mu) if law == "exponential" else ServiceLaw.named("uniform")
    model = RouterModel(K, lam, sl)
    steps = 4 + len(resources)
    done = 0

    def tick(what: str) -> None:
        nonlocal done
        done += 1
        if on_progress is not None:
            on_progress(done, steps, what)

    ideal = ideal_solution(model, W_limit)
    cl = classical_solution(model, W_limit)
    tick("ideal and classical estimates")
    game = _exact_game(model, W_limit)
    estimates: dict[str, float | None] = {"ideal": ideal.p_split, "classical": cl.p_split}
    strategies: dict[str, list[dict[str, Any]]] = {"classical": cl.to_dict()["components"]}
    cands = _threshold_candidates(model, cl)
    bounds: dict[str, dict[str, Bound]] = {}
    certs: list[str] = []
    notes = ["ideal: estimate (quadrature); no certificate"]
    out_dir = None if not certify or cert_dir is None else Path(cert_dir)
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
    mixtures: dict[str, list[tuple[float, ResourceStrategy]]] = {"classical": _best_mixture(cands, W_limit)}
    if certify:
        b, path = _certify_upper(game, "classical", _best_mixture(cands, W_limit), N, None, out_dir)
        bounds["classical"] = {"upper": b}
        certs.append(path)
        if K in (2, 3, 4):
            duals = _classical_dual(model, game, cl.nu, N, out_dir)
            bounds["classical"]["lower_N"] = duals["N"][0]
            bounds["classical"]["lower_continuum"] = duals["continuum"][0]
            certs += [duals["N"][1], duals["continuum"][1]]
    tick("classical certificates")
    if certify:
        ent, _npa_value = _entangled_dual(model, game, cl.nu, N, out_dir, level=npa_level)
        estimates[ENTANGLED] = None
        bounds[ENTANGLED] = {"lower_N": ent["N"][0], "lower_continuum": ent["continuum"][0]}
        certs += [ent["N"][1], ent["continuum"][1]]
        gap = float(bounds["classical"]["lower_N"]) - float(ent["N"][0])
        notes.append(f"entangled (any state): NPA level {npa_level} on N = {N} bins; certified p_split lower bound on the bins "
                     f"{float(ent['N'][0]):.10f}, classical {float(bounds['classical']['lower_N']):.10f} (difference {gap:.2e})")
    if certify and relaxation is None:
        notes.append("entangled on the continuum: the relaxation of lemma R7 was skipped; lower bound lifted from the bins (lemma R5) only")
    if certify and relaxation is not None:
        rb, rpath = _relaxation_dual(model, W_limit, out_dir, relaxation, relaxation_level)
        ent_b = bounds.setdefault(ENTANGLED, {})
        estimates.setdefault(ENTANGLED, None)
        if "lower_continuum" in ent_b:
            ent_b["lower_lifted"] = ent_b["lower_continuum"]
        ent_b["lower_relaxation"] = rb
        if "lower_continuum" not in ent_b or float(rb) > float(ent_b["lower_continuum"]):
            ent_b["lower_continuum"] = rb
        certs.append(rpath)
        lifted = f"; lifted N = {N} bins (lemma R5): {float(ent_b['lower_lifted']):.6f}" if "lower_lifted" in ent_b else ""
        notes.append(f"entangled (any state) on the continuum: rank-2 relaxation (lemma R7, level {relaxation_level}, {relaxation[0]} directions, {relaxation[1]} weights, "
                     f"{relaxation[2]} cutting-plane rounds) "
                     f"p_split >= {float(rb):.6f}{lifted}")
    tick("entangled certificates")
    nus = [cl.nu * f for f in (0.5, 1.0, 2.0)] if cl.nu > 0 else [0.0]
    for r in resources:
        qc = _quantum_candidates(model, W_limit, nus, N, r, seed)
        mix = _best_mixture(cands + qc, W_limit)
        same = sum(w * m.same for w, m in mix)
        estimates[r] = 1.0 - same
        strategies[r] = [{"weight": w, "strategy": m.label, "P_same": m.same, "W_q": m.wq} for w, m in mix]
        mixtures[r] = mix
        if certify:
            b, path = _certify_upper(game, "quantum", mix, N, None if r == "general" else r, out_dir)   # general: any state
            bounds[r] = {"upper": b}
            certs.append(path)
        tick(f"resource {r}")
    tick("done")
    return RoutersResult(K, model.lam, model.rho, W_limit, law, N, cl.nu, estimates, strategies, bounds, certs, notes, mixtures,
                         time.perf_counter() - t0, npa_level, relaxation is not None)


def _threshold_U(model: Any, u: Sequence[float], o: Sequence[int]) -> Any:
    from games.routers import threshold_moments

    return threshold_moments(model.law, np.array([float(_q(v)) for v in u]), np.array(o))


# ------------------------------------------------------------------------------------------ bin-constant strategies
def playable_routing(routing: Any, N: int) -> Any:
    """A candidate's ``routing`` as a routing of the K-tuple simulator (:mod:`games.system.tuples`).

    A tuple routing (a threshold profile) is returned as it is; a quantum strategy ``(resource, observables)`` on ``N``
    bins becomes its Born-rule table (:func:`bounds.multiparty_quantum.outcome_table`); a bin profile
    ``signs[i][x]`` (router ``i``'s output on bin ``x``) becomes a deterministic table.

    >>> playable_routing(((1, -1), (1, 1)), 2).table.tolist()   # bins (0,0) -> (+,+); (1,0) -> (-,+)
    [[1.0, 0.0, 0.0, 0.0], [1.0, 0.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0], [0.0, 0.0, 1.0, 0.0]]
    """
    from bounds.multiparty_quantum import Resource, outcome_table
    from games.system.tuples import BinTableTupleRouting

    if hasattr(routing, "route"):
        return routing
    if len(routing) == 2 and isinstance(routing[0], Resource):
        return BinTableTupleRouting(N, outcome_table(routing[0], list(routing[1]), N))
    K = len(routing)
    table = np.zeros((N**K, 2**K))
    for row, x in enumerate(itertools.product(range(N), repeat=K)):
        table[row, sum(((1 - routing[i][x[i]]) // 2) << (K - 1 - i) for i in range(K))] = 1.0
    return BinTableTupleRouting(N, table)


def mixture_routing(components: Sequence[tuple[float, Any]], N: int) -> Any:
    """``(weight, routing)`` pairs as one shared-coin :class:`games.system.tuples.MixtureTupleRouting` (weights renormalised)."""
    from games.system.tuples import MixtureTupleRouting

    total = sum(w for w, _ in components)
    return MixtureTupleRouting(tuple(playable_routing(r, N) for _, r in components), tuple(w / total for w, _ in components))


@dataclass(frozen=True)
class RoutersBinsResult:
    """Certified bounds on the smallest ``p_split`` of classical and entangled routers on ``N`` bins at one operating point.

    ``bounds["classical"]``: ``lower_N`` (``routers-dual``, exact threshold enumeration at the bins' multiplier
    ``nu``) and ``upper`` (the enumeration's bin profiles as a ``routers-strategy``); ``bounds["entangled"]``:
    ``lower_N`` (``routers-dual`` with an NPA dual at ``npa_level``) and, with a see-saw, ``upper`` (the best
    general-state strategy mixed with the bin profiles, a ``routers-strategy`` of entangled routers constant on
    the ``N`` bins, targeting the ``N``-bin optimum, lemma R6).  Both ``upper`` bounds are on ``N`` bins.  ``estimates``: floats from the
    enumeration and the see-saw, labelled as estimates.
    """

    K: int
    lam: float
    rho: float
    W_limit: float
    N: int
    nu: float
    npa_level: str
    restarts: int
    estimates: dict[str, float | None]
    bounds: dict[str, dict[str, Bound]]
    mixture: list[tuple[float, str]]
    certificates: list[str]
    seconds: float
    #: the entangled upper bound's mixture as ``(weight, routing)`` (see :func:`playable_routing`), for the simulator
    components: list[tuple[float, Any]] = field(default_factory=list, repr=False)

    def tuple_routing(self) -> Any:
        """The certified entangled strategy on the bins as a tuple routing of :mod:`games.system.tuples` (each component by
        :func:`playable_routing`, mixed by a shared coin)."""
        if not self.components:
            raise ProofsParameterError("no entangled strategy to simulate: run routers_bins_result with restarts > 0")
        return mixture_routing(self.components, self.N)

    @property
    def advantage(self) -> float | None:
        """Certified classical lower bound minus the certified entangled upper bound on the bins (positive: entanglement helps)."""
        up = self.bounds[ENTANGLED].get("upper")
        return None if up is None else float(self.bounds["classical"]["lower_N"]) - float(up)

    def to_dict(self) -> dict[str, Any]:
        return {"K": self.K, "lam": self.lam, "rho": self.rho, "W_limit": self.W_limit, "N": self.N, "nu": self.nu,
                "npa_level": self.npa_level, "restarts": self.restarts, "estimates": dict(self.estimates),
                "bounds": {c: {k: b.to_dict() for k, b in d.items()} for c, d in self.bounds.items()},
                "mixture": [{"weight": w, "strategy": s} for w, s in self.mixture], "advantage": self.advantage,
                "certificates": list(self.certificates), "seconds": self.seconds}


def routers_bins_result(
    K: int,
    lam: float,
    W_limit: float,
    *,
    N: int = 2,
    mu: float = 1.0,
    npa_level: str = NPA_LEVEL,
    restarts: int = 6,
    seed: int = 0,
    cert_dir: str | Path | None = None,
    continuum: tuple[int, int, int] | None = None,
) -> RoutersBinsResult:
    """Classical and entangled routers on ``N`` bins (exponential service): certified brackets at the bins' multiplier.

    The classical optimum on the bins is enumerated (:func:`bounds.routers.classical_bins`, an estimate) and
    certified from both sides; the entangled class gets an NPA lower bound at level ``npa_level`` and, with
    ``restarts > 0``, an upper bound by a general-state see-saw strategy
    (:func:`bounds.multiparty_seesaw.general_seesaw` at the same multiplier).  K = 4, N = 2 at level ``1+ab``
    takes about 1.5 s, ``1+ab+abc`` 2 to 20 s.  ``continuum = (directions, weights, rounds)`` adds the continuum:
    the classical routers' threshold mixture (``bounds["classical"]["upper_continuum"]``, :func:`bounds.routers.classical_solution`)
    and the entangled relaxation of lemma R7 (``bounds["entangled"]["lower_continuum"]``; K = 4: 30 s at (8, 4, 1), 90 s at (16, 8, 2)).

    >>> r = routers_bins_result(4, 0.3, 4.5, restarts=6)
    >>> r.advantage > 5e-4      # certified: entangled routers split less than classical ones on two bins
    True
    """
    from analytic.laws.service import ServiceLaw
    from bounds.routers import classical_bins
    from games.routers import RouterModel
    from proofs.certify.args import check_choice, check_directory, check_int, check_seed
    from proofs.exact.npa_moments import LEVELS

    t0 = time.perf_counter()
    check_choice("npa_level", npa_level, tuple(LEVELS[1:]))
    restarts = check_int("restarts", restarts, low=0, high=1000)
    N = check_int("N", N, low=2, high=16)
    seed = check_seed("seed", seed)
    if cert_dir is not None:
        check_directory("cert_dir", cert_dir)
    model = RouterModel(K, lam, ServiceLaw.exponential(mu))
    cb = classical_bins(model, W_limit, N)
    game = _exact_game(model, W_limit)
    out_dir = None if cert_dir is None else Path(cert_dir)
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
    cands = [ResourceStrategy("bins", same, wq, {"signs": [list(s) for s in signs]}, tuple(tuple(int(v) for v in s) for s in signs))
             for _, same, wq, signs in cb.components]
    duals = _classical_dual(model, game, cb.nu, N, out_dir)
    up, up_path = _certify_upper(game, "classical", _best_mixture(cands, W_limit), N, None, out_dir, on_bins=True)
    ent, _v = _entangled_dual(model, game, cb.nu, N, out_dir, level=npa_level)
    bounds: dict[str, dict[str, Bound]] = {"classical": {"lower_N": duals["N"][0], "upper": up}, ENTANGLED: {"lower_N": ent["N"][0]}}
    certs = [duals["N"][1], duals["continuum"][1], up_path, ent["N"][1], ent["continuum"][1]]
    estimates: dict[str, float | None] = {"classical": cb.p_split, ENTANGLED: None}
    mixture: list[tuple[float, str]] = []
    components: list[tuple[float, Any]] = []
    if restarts:
        qc = _quantum_candidates(model, W_limit, [cb.nu], N, "general", seed, restarts=restarts)
        mix = _best_mixture(cands + qc, W_limit)
        estimates[ENTANGLED] = 1.0 - sum(w * m.same for w, m in mix)
        mixture = [(w, m.label) for w, m in mix]
        components = [(w, m.routing) for w, m in mix]
        b, path = _certify_upper(game, "quantum", mix, N, None, out_dir, on_bins=True)
        bounds[ENTANGLED]["upper"] = b
        certs.append(path)
    if continuum is not None:
        from bounds.routers import classical_solution

        cl = classical_solution(model, W_limit)
        estimates["classical_continuum"] = cl.p_split
        b, path = _certify_upper(game, "classical", _best_mixture(_threshold_candidates(model, cl), W_limit), N, None, out_dir)
        bounds["classical"]["upper_continuum"] = b
        rb, rpath = _relaxation_dual(model, W_limit, out_dir, continuum)
        bounds[ENTANGLED]["lower_continuum"] = rb
        certs += [path, rpath]
    return RoutersBinsResult(K, model.lam, model.rho, W_limit, N, cb.nu, npa_level, restarts, estimates, bounds, mixture, certs,
                             time.perf_counter() - t0, components)
