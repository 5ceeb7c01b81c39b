"""Certificate JSON for the quantum bounds (kinds checked by :mod:`proofs.check_quantum`).

Three kinds, all carrying the exact game description (parameters as
``"p/q"`` strings, from :func:`proofs.arithmetic.exact_parameter`), ``N`` and
the SHA-256 of the float cell matrix the solver used (informational only: the
checker rebuilds ``M`` itself):

``"tsirelson-dual"``
    Dual weights ``x, y`` (rationals); claims the N-bin quantum value is at
    most ``upper = 1/2 + dual_value/2`` with ``dual_value = sum x + sum y``.
``"tsirelson-dual-relaxed"``
    The same weights for the *continuum* game through the crossed-cell
    relaxation (lemma Q3 in ``proofs/lemmas_quantum.md``); ``relaxation`` is
    ``"mean"`` (crossed cells keep their mean, slack ``(1 - rho^2)/N^2``) or
    ``"zero"`` (crossed cells set to 0, slack ``1/N^2``).
``"quantum-vectors"``
    A strategy: vectors ``u_i, v_j`` of norm at most 1 (rationals); claims
    its value ``lower``, for the N-bin game or (``continuum: true``) the
    continuum game.

Nothing here is a bound: a certificate is a claim until a checker verifies it.
"""

from __future__ import annotations

import hashlib
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
from games.spec import XorGame

__all__ = [
    "default_certificate_dir",
    "dual_certificate",
    "exact_boundary",
    "exact_game",
    "q",
    "save_certificate",
    "vectors_certificate",
    "write_certificate",
]


def q(x: float | Fraction | int) -> str:
    """A float or rational as an exact ``"p/q"`` string.

    >>> q(0.375), q(Fraction(1, 3))
    ('3/8', '1/3')
    """
    f = Fraction(x)
    return f"{f.numerator}/{f.denominator}"


def exact_boundary(bd: dict[str, Any]) -> dict[str, Any]:
    """A boundary description with exact rational parameters (floats read as their shortest decimal).

    Strings are taken as already exact ``"p/q"``.

    >>> exact_boundary({"kind": "hyperbolic", "C": 0.33})
    {'kind': 'hyperbolic', 'C': '33/100'}
    """
    from proofs.arithmetic import exact_parameter

    def ex(v: Any) -> str:
        return v if isinstance(v, str) else q(exact_parameter(float(v)))

    kind = bd.get("kind")
    if kind == "hyperbolic":
        return {"kind": "hyperbolic", "C": ex(bd["C"])}
    if kind == "linear":
        return {"kind": "linear", "s": ex(bd.get("s", 1))}
    if kind == "sum-threshold" and isinstance(bd.get("law"), str) and isinstance(bd.get("t"), str):
        return {k: bd[k] for k in ("kind", "law", "param", "t") if k in bd}  # a catalogue law: already exact
    raise BoundsParameterError(f"certificates need a closed-form boundary ('hyperbolic' or 'linear'); got {kind!r}")


def exact_game(game: XorGame) -> dict[str, Any]:
    """The game description with exact rational parameters (``C`` read as its shortest decimal).

    >>> from games import paper_game
    >>> exact_game(paper_game(0.33))["boundary"]
    {'kind': 'hyperbolic', 'C': '33/100'}
    """
    if not isinstance(game, XorGame):
        raise BoundsParameterError(f"`game` must be a games.XorGame; got {type(game).__name__}")
    return {"name": game.name, "boundary": exact_boundary(game.describe()["boundary"])}


def _check_disc(disc: Discretisation) -> None:
    if not isinstance(disc, Discretisation):
        raise BoundsParameterError(f"`disc` must be a games.Discretisation; got {type(disc).__name__}")


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
) -> dict[str, Any]:
    """Certificate dict for an upper bound from dual weights ``x, y``.

    For ``continuum=True`` the claimed ``upper`` needs the relaxation slack,
    an exact rational ``slack`` that the caller computes with
    :func:`proofs.check_quantum.relaxation_slack` (the checker recomputes it).

    >>> from games import discretise, linear_boundary_game
    >>> d = discretise(linear_boundary_game(), 2)
    >>> c = dual_certificate(d, np.array([0.25, 0.25]), np.array([0.25, 0.25]))
    >>> c["kind"], c["dual_value"], c["upper"]
    ('tsirelson-dual', '1/1', '1/1')
    """
    _check_disc(disc)
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.shape != (disc.n,) or y.shape != (disc.n,) or not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise BoundsParameterError(f"`x` and `y` must be finite vectors of length N = {disc.n}; got {x.shape}, {y.shape}")
    if relaxation not in ("mean", "zero"):
        raise BoundsParameterError(f"`relaxation` must be 'mean' or 'zero'; got {relaxation!r}")
    dual = sum((Fraction(float(t)) for t in x), Fraction(0)) + sum((Fraction(float(t)) for t in y), Fraction(0))
    cert: dict[str, Any] = {
        "kind": "tsirelson-dual-relaxed" if continuum else "tsirelson-dual",
        "game": exact_game(disc.game),
        "N": disc.n,
        "matrix_sha256": disc.matrix_hash,
        "x": [q(float(t)) for t in x],
        "y": [q(float(t)) for t in y],
        "dual_value": q(dual),
        "primal_value": None if primal_value is None else float(primal_value),
        "solver": solver or {},
    }
    if continuum:
        if slack is None:
            raise BoundsParameterError("`slack` is required for a continuum (relaxed) certificate")
        cert["relaxation"] = relaxation
        cert["slack"] = q(slack)
        cert["upper"] = q(Fraction(1, 2) + (dual + slack) / 2)
    else:
        cert["upper"] = q(Fraction(1, 2) + dual / 2)
    return cert


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
    >>> c["kind"], round(float(Fraction(c["lower"])), 9)
    ('quantum-vectors', 0.75)
    """
    _check_disc(disc)
    u = np.asarray(u, dtype=float)
    v = np.asarray(v, dtype=float)
    if u.ndim != 2 or v.ndim != 2 or u.shape[0] != disc.n or v.shape[0] != disc.n or u.shape[1] != v.shape[1]:
        raise BoundsParameterError(f"`u`, `v` must be N x d arrays with N = {disc.n}; got {u.shape}, {v.shape}")
    shrink = 1.0 - 2.0**-40
    u = u / np.linalg.norm(u, axis=1)[:, None] * shrink
    v = v / np.linalg.norm(v, axis=1)[:, None] * shrink
    value = 0.5 + 0.5 * float(np.sum(disc.matrix * (u @ v.T)))
    claim = Fraction(math.floor((value - margin) * 10**13), 10**13)
    return {
        "kind": "quantum-vectors",
        "game": exact_game(disc.game),
        "N": disc.n,
        "matrix_sha256": disc.matrix_hash,
        "continuum": bool(continuum),
        "u": [[q(float(t)) for t in row] for row in u],
        "v": [[q(float(t)) for t in row] for row in v],
        "lower": q(claim),
        "solver": solver or {},
    }


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


def save_certificate(cert: dict[str, Any], directory: str | Path, stem: str) -> str:
    """Write ``cert`` under ``directory`` as ``<stem>-<sha256 prefix>.json`` and return the path.

    The name carries a hash of the content, so distinct certificates never overwrite each other.

    >>> import tempfile
    >>> save_certificate({"kind": "demo"}, tempfile.mkdtemp(), "x").endswith(".json")
    True
    """
    blob = json.dumps(cert, sort_keys=True).encode()
    name = f"{stem}-{hashlib.sha256(blob).hexdigest()[:12]}.json"
    return str(write_certificate(cert, Path(directory) / name))
