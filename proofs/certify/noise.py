"""Certified game values with Werner pairs, and the visibility threshold of the advantage.

For the continuous game (target: continuum, player model quantum, resource
``{"kind": "werner", "v": ...}``) and each visibility ``v``:

* lower bound: the best hybrid strategy found by :func:`bounds.noise.werner_search`
  (bin-constant, so its N-bin value is its exact continuum value), certified
  as ``"werner-strategy"`` (lemma W1);
* upper bounds: ``"werner-mixture"`` over the checked continuum classical and
  quantum upper certificates, ``"elementary"`` (lemma W2, unconditional) and
  ``"local-model"`` (lemma W3, resting on the cited bound on ``K_G(3)``).

The threshold ``v*`` (the infimum of visibilities at which some strategy
beats every classical one) is bracketed by ``v_L <= v* <= v_up``: ``v_L`` is
the cited local-model visibility (no Werner strategy of any game of this
kind beats classical at ``v <= v_L``), and ``v_up`` is the smallest
visibility on a ``1/resolution`` grid at which a certified Werner strategy's
value exceeds the certified classical upper bound.  Both are also given as
fidelities ``F = (1 + 3v)/4``.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from bounds.certificates import default_certificate_dir, save_certificate
from games.progress import report
from proofs.checkers.bound import Bound, Bracket
from proofs.checkers.registry import check_certificate, load_certificate
from proofs.exact.errors import CertificateError, ProofsParameterError

__all__ = ["NoiseCertification", "NoiseRow", "certify_noise", "fidelity_of", "noise_sweep", "plot_noise"]


def fidelity_of(v: Fraction | float) -> Fraction | float:
    """Singlet fidelity ``(1 + 3v)/4`` (exact for a Fraction).

    >>> fidelity_of(Fraction(1, 3))
    Fraction(1, 2)
    """
    return (1 + 3 * v) / 4


@dataclass(frozen=True, eq=False)
class NoiseRow:
    """Certified bounds on the continuum Werner value at one visibility."""

    v: float
    estimate: Any
    lower: Bound
    upper: Bound
    upper_cited: Bound
    paths: dict[str, str]

    @property
    def bracket(self) -> Bracket:
        """The unconditional bracket (lemmas W1, W2)."""
        return Bracket(self.lower, self.upper)

    def to_dict(self) -> dict[str, Any]:
        return {
            "v": self.v,
            "F": fidelity_of(self.v),
            "estimate": self.estimate.value,
            "lower": float(self.lower.value),
            "upper": float(self.upper.value),
            "upper_cited": float(self.upper_cited.value),
            "deterministic_bins": list(self.estimate.strategy.deterministic),
            "certificates": dict(self.paths),
        }


@dataclass(frozen=True, eq=False)
class NoiseCertification:
    """Everything :func:`certify_noise` proved, with the certificate files.

    Attributes
    ----------
    C, n
        The game's threshold constant and the number of bins of the strategies.
    classical, quantum
        Certified continuum brackets of the noiseless classical and quantum values.
    rows
        One :class:`NoiseRow` per requested visibility.
    v_lower
        Cited lower end of the threshold (lemma W3, ``LOCAL_VISIBILITY``).
    v_upper, advantage
        Upper end of the threshold and the checked lower bound on the Werner
        value there, which exceeds ``classical.upper``; both ``None`` when no
        certified strategy beats the classical upper bound even at ``v = 1``
        (then no advantage is certified at this ``C``).
    ratio_estimate
        ``(2 P_c+ - 1) / bias_q``: where the scaled noiseless optimum meets the
        classical upper bound (an estimate of ``v*`` if hybrids never help).
    v_projective
        Certified lower end of the threshold for strategies that measure
        projectively on every input: ``(2 P_c- - 1)/(2 P_q+ - 1)`` (their bias
        is at most ``v`` times the noiseless one); the upper end is ``v_upper``.
    """

    C: float
    n: int
    classical: Bracket
    quantum: Bracket
    rows: tuple[NoiseRow, ...]
    v_lower: Fraction
    v_upper: Fraction | None
    advantage: Bound | None
    ratio_estimate: float
    v_projective: Fraction
    paths: dict[str, str]

    @property
    def pure_everywhere(self) -> bool:
        """True when the best strategy found at every visibility had all outputs fixed or all measurements projective."""
        n = self.n
        return all(r.estimate.strategy.deterministic in ((0, 0), (n, n)) for r in self.rows)

    def to_dict(self) -> dict[str, Any]:
        hi = None if self.v_upper is None else float(self.v_upper)
        return {
            "C": self.C,
            "N": self.n,
            "classical": {"lower": float(self.classical.lower.value), "upper": float(self.classical.upper.value)},
            "quantum": {"lower": float(self.quantum.lower.value), "upper": float(self.quantum.upper.value)},
            "threshold": {
                "v": [float(self.v_lower), hi],
                "F": [float(fidelity_of(self.v_lower)), None if self.v_upper is None else float(fidelity_of(self.v_upper))],
                "v_lower_source": "cited lemma W3: 1/K_G(3) >= 0.68747 (K_G(3) <= 1.4546, Designolle et al. 2023) with Acin-Gisin-Toner 2006",
                "v_upper_certificate": self.paths.get("advantage"),
                "value_at_v_upper": None if self.advantage is None else float(self.advantage.value),
                "classical_upper": float(self.classical.upper.value),
                "planar_only_threshold": 2**-0.5,
                "ratio_estimate": self.ratio_estimate,
                "projective_only_v": [float(self.v_projective), hi],
                "best_found_pure_everywhere": self.pure_everywhere,
            },
            "rows": [r.to_dict() for r in self.rows],
            "certificates": dict(self.paths),
        }


def _grid_iv(v_values: Iterable[float]) -> list[float]:
    from bounds.noise import visibility_iv

    try:
        return [visibility_iv(v) for v in v_values]
    except ValueError as exc:
        raise ProofsParameterError(str(exc)) from exc


def certify_noise(
    C: float = 0.33,
    n: int = 400,
    v_values: Iterable[float] = (0.0, 0.5, 0.6874, 0.75, 0.8, 0.9, 1.0),
    *,
    bins: int = 200,
    resolution: int = 10_000,
    cert_dir: str | Path | None = None,
    seed: int = 0,
    on_progress: Callable[[int, int, str], None] | None = None,
) -> NoiseCertification:
    """Certify the Werner values of the paper's game at ``C`` and bracket the threshold visibility.

    ``on_progress(done, total, step)`` (for example :class:`proofs.cli.progress.Progress`) is
    called before the first step and after each: the classical bracket, the quantum bracket, one
    step per visibility, the threshold search.

    >>> import tempfile
    >>> r = certify_noise(0.33, 24, [0.0, 1.0], bins=30, resolution=100, cert_dir=tempfile.mkdtemp())
    >>> r.rows[0].upper.value <= r.classical.upper.value     # v = 0: nothing beats classical
    True
    >>> float(r.v_lower) <= float(r.v_upper) <= 1, float(r.advantage.value) > float(r.classical.upper.value)
    (True, True)
    """
    from bounds.noise import mixture_certificate, scaled_optimum, werner_certificate, werner_search
    from games import discretise, paper_game
    from games.classical_search import best_response
    from proofs.certify.classical import certify_classical
    from proofs.certify.quantum import certify_quantum
    from proofs.checkers.noise import LOCAL_VISIBILITY

    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ProofsParameterError(f"`n` must be a positive integer; got {n!r}")
    if isinstance(resolution, bool) or not isinstance(resolution, int) or resolution < 1:
        raise ProofsParameterError(f"`resolution` must be a positive integer; got {resolution!r}")
    vs = _grid_iv(v_values)
    game = paper_game(C)
    directory = Path(cert_dir) if cert_dir is not None else default_certificate_dir()
    steps = 3 + len(vs)
    report(on_progress, 0, steps, "classical bracket")
    cl = certify_classical(game, continuum=True, bins=bins, cert_dir=directory)
    report(on_progress, 1, steps, "quantum bracket")
    qu = certify_quantum(game, n, continuum=True, cert_dir=directory)
    report(on_progress, 2, steps, "Werner strategies")
    assert qu.continuum is not None
    cl_up = load_certificate(cl.paths["upper"])
    qu_up = load_certificate(qu.paths["continuum_upper"])
    disc = discretise(game, n)
    quantum = scaled_optimum(qu.result.strategy.u, qu.result.strategy.v)
    br = best_response(disc, seed=seed)
    classical = (br.strategy.g, br.strategy.h)
    gdesc = cl_up["game"]

    def certify_lower(v: float | Fraction, est: Any) -> tuple[Bound, str]:
        cert = werner_certificate(disc, est.strategy, v, continuum=True, solver={"method": est.method, "seed": seed, **dict(est.parameters)})
        path = save_certificate(cert, directory)
        return check_certificate(path), path

    rows = []
    for v in vs:
        est = werner_search(disc, v, quantum=quantum, classical=classical, seed=seed)
        lower, lpath = certify_lower(v, est)
        paths = {"lower": lpath}
        uppers = []
        for mode in ("elementary", "local-model"):
            cert = mixture_certificate(v, cl_up, qu_up, mode=mode, local_visibility=LOCAL_VISIBILITY, game=gdesc,
                                       classical_upper=cl.bracket.upper.value, quantum_upper=qu.continuum.upper.value)
            paths[f"upper_{mode}"] = save_certificate(cert, directory)
            uppers.append(check_certificate(paths[f"upper_{mode}"]))
        rows.append(NoiseRow(v, est, lower, uppers[0], uppers[1], paths))
        report(on_progress, 2 + len(rows), steps, f"v = {float(v):g}")

    # threshold, upper end: the first grid visibility at which the scaled optimum (or a better hybrid) beats P_c+
    pc_up = cl.bracket.upper.value
    bias = 2 * quantum.value(disc, 1.0) - 1
    ratio = (2 * float(pc_up) - 1) / bias
    k = max(0, math.ceil(ratio * resolution)) if bias > 0 else resolution + 1
    advantage, apath = None, ""
    while k <= resolution:
        v_k = Fraction(k, resolution)
        est = werner_search(disc, float(v_k), quantum=quantum, classical=classical, seed=seed)
        try:
            b, apath = certify_lower(v_k, est)
        except CertificateError:
            b = None
        if b is not None and b.value > pc_up:
            advantage = b
            break
        k += 1
    paths = {"classical_upper": cl.paths["upper"], "quantum_continuum_upper": qu.paths["continuum_upper"], "quantum_lower": qu.paths["continuum_lower"]}
    if advantage is not None:
        paths["advantage"] = apath
    v_proj = (2 * cl.bracket.lower.value - 1) / (2 * qu.continuum.upper.value - 1)
    v_up = None if advantage is None else Fraction(k, resolution)
    report(on_progress, steps, steps, "threshold")
    return NoiseCertification(float(C), n, cl.bracket, qu.continuum, tuple(rows), LOCAL_VISIBILITY, v_up, advantage, ratio, v_proj, paths)


def plot_noise(result: NoiseCertification, path: str | Path) -> Path:
    """Draw the certified Werner values against ``v`` with the threshold bracket; write ``path`` (PNG).

    >>> import tempfile, os
    >>> d = tempfile.mkdtemp()
    >>> r = certify_noise(0.33, 16, [0.0, 1.0], bins=20, resolution=50, cert_dir=d)
    >>> plot_noise(r, os.path.join(d, "noise.png")).name
    'noise.png'
    """
    from games.figures import pyplot, save_figure

    plt = pyplot()
    fig, ax = plt.subplots(figsize=(7, 4.5))
    v = [r.v for r in result.rows]
    ax.plot(v, [float(r.lower.value) for r in result.rows], "C0o-", label="certified lower bound (explicit Werner strategy, lemma W1)")
    ax.plot(v, [float(r.upper.value) for r in result.rows], "C3--", label="certified upper bound (local + quantum split, lemma W2)")
    ax.plot(v, [float(r.upper_cited.value) for r in result.rows], "C1-", label="upper bound with the cited local model (lemma W3)")
    pc = float(result.classical.upper.value)
    ax.axhline(pc, color="k", lw=0.8, label=f"classical value (certified upper {pc:.6f})")
    lo = float(result.v_lower)
    if result.v_upper is not None:
        hi = float(result.v_upper)
        ax.axvspan(lo, hi, color="C2", alpha=0.15, label=f"threshold v* in [{lo:.4f}, {hi:.4f}] (F in [{float(fidelity_of(result.v_lower)):.4f}, {float(fidelity_of(result.v_upper)):.4f}])")
    else:
        ax.axvspan(lo, 1.0, color="C7", alpha=0.1, label=f"no certified advantage at any v (local model below {lo:.4f})")
    ax.axvline(2**-0.5, color="C4", lw=0.8, ls=":", label="1/sqrt(2): planar measurements local below")
    ax.set_xlabel("visibility v of the Werner pairs (fidelity F = (1 + 3v)/4)")
    ax.set_ylabel("winning probability (continuum game)")
    ax.set_title(f"Routing game C = {result.C} with noisy entanglement")
    ax.legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    return save_figure(fig, path)


def noise_sweep(
    C_values: Iterable[float], n: int = 200, *, bins: int = 100, resolution: int = 10_000, cert_dir: str | Path | None = None, seed: int = 0,
    on_progress: Callable[[int, int, str], None] | None = None,
) -> list[NoiseCertification]:
    """The threshold bracket of :func:`certify_noise` (no per-visibility rows) for each ``C``.

    ``on_progress(done, total, C)`` is called before the first ``C`` and after each.

    >>> import tempfile
    >>> rows = noise_sweep([0.33, 0.7], 16, bins=20, resolution=100, cert_dir=tempfile.mkdtemp())
    >>> rows[0].v_upper is not None, rows[1].v_upper is None   # no advantage at all for C >= 0.65
    (True, True)
    """
    Cs = [float(c) for c in C_values]
    for c in Cs:
        if not (math.isfinite(c) and 0 < c < 1):
            raise ProofsParameterError(f"every `C` must lie in (0, 1); got {c}")
    out = []
    report(on_progress, 0, len(Cs), "")
    for c in Cs:
        out.append(certify_noise(c, n, (), bins=bins, resolution=resolution, cert_dir=cert_dir, seed=seed))
        report(on_progress, len(out), len(Cs), f"C = {c:g}")
    return out
