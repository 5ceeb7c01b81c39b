"""Certificate JSON for the quantum bounds (kinds checked by :mod:`proofs.checkers.quantum`).

Certificates follow the one format of :mod:`proofs.exact.certificate`
(``schema``, ``kind``, ``game``, ``N`` -- null for the continuum --, ``side``,
``bound``); the quantum kinds add ``bins`` and the SHA-256 of the float cell
matrix the solver used (informational only: the checker rebuilds ``M``):

``"tsirelson-dual"``
    Dual weights ``x, y`` (rationals); claims the N-bin quantum value is at
    most ``bound = 1/2 + (sum x + sum y)/2``.  The weights already carry the
    outward margin of lemma Q2 for the checker's enclosure of ``M``, so a
    solver dual that is verifiably PSD passes the checker the first time.
``"tsirelson-dual-relaxed"``
    The same weights for the *continuum* game through the crossed-cell
    relaxation (lemma Q3 in ``proofs/lemmas_quantum.md``); ``relaxation`` is
    ``"mean"`` (crossed cells keep their mean, slack ``(1 - rho^2)/N^2``) or
    ``"zero"`` (crossed cells set to 0, slack ``1/N^2``).
``"quantum-vectors"``
    A strategy: vectors ``u_i, v_j`` of norm at most 1 (rationals); claims
    its value ``bound``, for the N-bin game or (``N`` null) the continuum.

Nothing here is a bound: a certificate is a claim until a checker verifies it.
"""

from __future__ import annotations

import json
import math
import os
import tempfile
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bounds.errors import BoundsParameterError
from games.discretise import Discretisation
from proofs.exact import cell_enclosure, certificate_filename, new_certificate
from proofs.exact.cells import CellEnclosure
from proofs.exact.psd import exact_float_sum

__all__ = [
    "default_certificate_dir",
    "dual_certificate",
    "save_certificate",
    "vectors_certificate",
    "write_certificate",
]


def _check_disc(disc: Discretisation) -> None:
    if not isinstance(disc, Discretisation):
        raise BoundsParameterError(f"`disc` must be a games.Discretisation; got {type(disc).__name__}")


def _exact_strings(a: NDArray[np.float64]) -> Any:
    """The finite floats of an array (1-D or 2-D) as exact ``"p/q"`` strings: :func:`proofs.exact.fraction_str`'s, one check for all.

    >>> _exact_strings(np.array([0.375, -2.0])), _exact_strings(np.array([[0.5], [1.0]]))
    (['3/8', '-2/1'], [['1/2'], ['1/1']])
    """
    if not np.all(np.isfinite(a)):
        raise BoundsParameterError("certificate entries must be finite numbers")
    ratio = float.as_integer_ratio  # lowest terms, positive denominator: fraction_str's string
    if a.ndim == 1:
        return [f"{p}/{q}" for p, q in map(ratio, a.tolist())]
    return [[f"{p}/{q}" for p, q in map(ratio, row)] for row in a.tolist()]


def _outward(
    disc: Discretisation, x: NDArray[np.float64], y: NDArray[np.float64], zero_crossed: bool, enc: CellEnclosure | None = None
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """``x, y`` raised by the row / column sums of ``r + |Mc - M|`` (lemma Q2 margin plus the solver's mismatch).

    ``Mc +- r`` is the checker's enclosure; ``M`` the float matrix the solver
    proved the dual PSD for.  Raising the diagonal by the absolute row sums of
    a symmetric perturbation keeps ``Z`` PSD (diagonal dominance), and the
    extra ``r`` term is what the checker subtracts; sums are doubled so that
    the checker's own rounding of them is covered.
    """
    if enc is None:
        enc = cell_enclosure(disc.game, disc.n)
    elif enc.n != disc.n:
        raise BoundsParameterError(f"`enclosure` must be the N = {disc.n} cell enclosure of the game; got N = {enc.n}")
    mc, r = enc.mid_radius()
    m = np.asarray(disc.matrix, dtype=float)
    n = m.shape[0]
    rows, cols = np.empty(n), np.zeros(n)
    # w = r + |Mc - M| in blocks of rows that stay in cache (one read of each matrix); the row sums per row
    # and the column sums accumulated row after row, as numpy sums the whole matrix along axis 0
    step = max(8, (1 << 15) // max(n, 1))
    for i0 in range(0, n, step):
        w = mc[i0:i0 + step] - m[i0:i0 + step]
        np.abs(w, out=w)
        w += r[i0:i0 + step]
        if zero_crossed:
            w[enc.kind[i0:i0 + step] == 0] = 0.0
        rows[i0:i0 + step] = np.sum(w, axis=1)
        cols = np.add.reduce(np.concatenate([cols[None, :], w]), axis=0) if i0 else np.sum(w, axis=0)
    # fl(x + rowsum) stepped up one ulp: the checker subtracts only about half of these sums
    return np.nextafter(x + rows, np.inf), np.nextafter(y + cols, np.inf)


def dual_certificate(
    disc: Discretisation,
    x: NDArray[np.float64],
    y: NDArray[np.float64],
    *,
    primal_value: float | None = None,
    continuum: bool = False,
    relaxation: str = "mean",
    slack: Fraction | None = None,
    solver: dict[str, Any] | None = None,
    enclosure: CellEnclosure | None = None,
) -> dict[str, Any]:
    """Certificate dict for an upper bound from dual weights ``x, y`` (with the outward margin of lemma Q2).

    For ``continuum=True`` the claimed bound needs the relaxation slack, an
    exact rational ``slack`` that the caller computes with
    :func:`proofs.checkers.quantum.relaxation_slack` (the checker recomputes it).
    ``enclosure`` is the game's :func:`proofs.exact.cell_enclosure` at this
    ``N`` if the caller already has it (it is recomputed otherwise).

    >>> from games import discretise, linear_boundary_game
    >>> d = discretise(linear_boundary_game(), 2)
    >>> c = dual_certificate(d, np.array([0.25, 0.25]), np.array([0.25, 0.25]))
    >>> c["kind"], c["N"], 0 < Fraction(c["bound"]) - 1 < 1e-15
    ('tsirelson-dual', 2, True)
    """
    _check_disc(disc)
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.shape != (disc.n,) or y.shape != (disc.n,) or not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise BoundsParameterError(f"`x` and `y` must be finite vectors of length N = {disc.n}; got {x.shape}, {y.shape}")
    if relaxation not in ("mean", "zero"):
        raise BoundsParameterError(f"`relaxation` must be 'mean' or 'zero'; got {relaxation!r}")
    # floats >= x + row sums of (r + |Mc - M|): the checker reads them exactly (no rounding down needed)
    xs, ys = _outward(disc, x, y, continuum and relaxation == "zero", enclosure)
    dual = exact_float_sum(xs) + exact_float_sum(ys)
    data: dict[str, Any] = {
        "bins": disc.n,
        "x": _exact_strings(xs),
        "y": _exact_strings(ys),
        "matrix_sha256": disc.matrix_hash,
        "primal_value": None if primal_value is None else float(primal_value),
        "solver": solver or {},
    }
    if continuum:
        if slack is None:
            raise BoundsParameterError("`slack` is required for a continuum (relaxed) certificate")
        data["relaxation"] = relaxation
        return new_certificate("tsirelson-dual-relaxed", disc.game, None, "upper", Fraction(1, 2) + (dual + slack) / 2, **data)
    return new_certificate("tsirelson-dual", disc.game, disc.n, "upper", Fraction(1, 2) + dual / 2, **data)


def vectors_certificate(
    disc: Discretisation,
    u: NDArray[np.float64],
    v: NDArray[np.float64],
    *,
    continuum: bool = False,
    margin: float = 1e-11,
    solver: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Certificate dict for a lower bound: a strategy and its claimed value.

    The vectors are scaled by ``1 - 2^-40`` so that their norms are at most
    1 in exact arithmetic, and the claimed value is the floating-point value
    minus ``margin`` (the checker's rigorous enclosure must reach it).

    >>> from games import discretise, linear_boundary_game
    >>> c = vectors_certificate(discretise(linear_boundary_game(), 2), np.eye(2), np.array([[1.0, 0], [0, -1.0]]))
    >>> c["kind"], round(float(Fraction(c["bound"])), 9)
    ('quantum-vectors', 0.75)
    """
    _check_disc(disc)
    u = np.asarray(u, dtype=float)
    v = np.asarray(v, dtype=float)
    if u.ndim != 2 or v.ndim != 2 or u.shape[0] != disc.n or v.shape[0] != disc.n or u.shape[1] != v.shape[1]:
        raise BoundsParameterError(f"`u`, `v` must be N x d arrays with N = {disc.n}; got {u.shape}, {v.shape}")
    if u.shape[1] > 2 * disc.n:  # the checker takes at most 2N coordinates: the 2N vectors' own span keeps every inner product
        basis = np.linalg.qr(np.vstack([u, v]).T)[0]
        u, v = u @ basis, v @ basis
    shrink = 1.0 - 2.0**-40
    u = u / np.linalg.norm(u, axis=1)[:, None] * shrink
    v = v / np.linalg.norm(v, axis=1)[:, None] * shrink
    value = 0.5 + 0.5 * float(np.sum(np.einsum("ik,ik->i", u, disc.matrix @ v)))  # no N x N temporaries
    claim = Fraction(math.floor((value - margin) * 10**13), 10**13)
    return new_certificate(
        "quantum-vectors", disc.game, None if continuum else disc.n, "lower", claim,
        bins=disc.n,
        u=_exact_strings(u),
        v=_exact_strings(v),
        matrix_sha256=disc.matrix_hash,
        solver=solver or {},
    )


def write_certificate(cert: dict[str, Any], path: str | Path) -> Path:
    """Write ``cert`` as JSON (parent directories are created); return the path.

    >>> import tempfile, os
    >>> p = write_certificate({"kind": "demo"}, os.path.join(tempfile.mkdtemp(), "a", "c.json"))
    >>> p.read_text()
    '{"kind":"demo"}'
    """
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(json.dumps(cert, indent=None, separators=(",", ":")))
    return p


def default_certificate_dir() -> Path:
    """``$QCOORD_CERT_DIR`` or ``<tmp>/qcoord-certificates``: where the CLI writes certificates."""
    return Path(os.environ.get("QCOORD_CERT_DIR", Path(tempfile.gettempdir()) / "qcoord-certificates"))


def save_certificate(cert: dict[str, Any], directory: str | Path) -> str:
    """Write ``cert`` under ``directory`` with the one file-name pattern and return the path.

    The name is ``<kind>_<game>_<N{n}|continuum>_<sha256 prefix>.json``
    (:func:`proofs.exact.certificate_filename`); the hash covers the content,
    so distinct certificates never overwrite each other.

    >>> import tempfile
    >>> from proofs.exact import new_certificate
    >>> c = new_certificate("classical-strategy", {"type": "linear", "s": "1"}, 1, "lower", Fraction(1, 2), bins=1, g=[1], h=[1])
    >>> save_certificate(c, tempfile.mkdtemp()).rsplit("/", 1)[1][:33]
    'classical-strategy_linear-s1_1_N1'
    """
    return str(write_certificate(cert, Path(directory) / certificate_filename(cert)))
