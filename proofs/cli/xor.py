"""``qcoord xor FILE``: certified quantum and classical values of any finite two-player XOR game.

``FILE`` is JSON with the keys ``prob`` and ``pred`` (toqito's matrices:
question probabilities and the predicate in {0, 1}, win iff ``a XOR b ==
pred``) or the key ``bias`` (the correlation matrix ``prob (-1)^pred``),
entries numbers or exact strings such as ``"1/4"``, and optionally ``reps``
(toqito's parallel repetition: every copy must be won); or an ``.npz`` with
the same names.  Bad input ends with one line on stderr and exit status 2
before any work.  On a terminal (without ``--json`` or ``--quiet``) one stderr
line follows the work: the steps, and while the branch and bound runs the share
of the strategies it has closed, with the time left.
"""

from __future__ import annotations

import argparse
import math
import zipfile
from fractions import Fraction
from pathlib import Path
from typing import Any

__all__ = ["add_parser", "load_game", "run"]

#: largest input file read (bytes)
MAX_FILE_BYTES = 64 * 2**20


def add_parser(sub: argparse._SubParsersAction) -> None:
    from proofs.cli.options import cert_dir_option, json_option, quiet_option, real, seed_option

    p = sub.add_parser(
        "xor", parents=[json_option(), quiet_option(), cert_dir_option(), seed_option()],
        help="certified quantum and classical values (with strategies) of a finite XOR game given as toqito's prob/pred or a bias matrix",
    )
    p.add_argument("file", metavar="FILE", help="JSON with 'prob' and 'pred' (or 'bias'), optional 'reps'; or an .npz with the same names")
    p.add_argument("--time-limit", dest="time_limit", type=real("--time-limit", 0, 86400, low_open=True), default=60.0, metavar="SECONDS",
                   help="budget of the classical search (default 60): exact value when the exhaustive search or the branch and bound "
                        "finishes in it, else a certified bracket (the stopped search's bound or the Tsirelson dual, the lower)")
    p.set_defaults(run=run)


def _bad(path: str, msg: str) -> Exception:
    from proofs.exact.errors import ProofsParameterError

    return ProofsParameterError(f"FILE {path!r} is not an XOR game: {msg}")


def _npz_shapes_ok(p: Path, path: str) -> None:
    """Refuse an ``.npz`` that is no zip archive (say a ``.npy`` renamed) or whose arrays are too large, from the
    arrays' headers alone: a small compressed file can hold a matrix of gigabytes."""
    import numpy as np

    from proofs.exact.xor_matrix import MAX_ENTRIES

    with p.open("rb") as fh:
        if fh.read(4) != b"PK\x03\x04":
            raise _bad(path, "not an .npz archive (a zip of .npy arrays, as numpy.savez writes); a single .npy array is not a game")
    with zipfile.ZipFile(p) as zf:
        for info in zf.infolist():
            with zf.open(info) as member:
                major, _minor = np.lib.format.read_magic(member)
                read = np.lib.format.read_array_header_1_0 if major == 1 else np.lib.format.read_array_header_2_0
                shape, _fortran, _dtype = read(member)
            if math.prod(shape) > MAX_ENTRIES:
                raise _bad(path, f"array {info.filename!r} has shape {shape}: more than {MAX_ENTRIES} entries")


def load_game(path: str) -> Any:
    """The :class:`games.xor.XorMatrixGame` of a JSON or ``.npz`` file (every check before any solving)."""
    import numpy as np

    from games.xor import XorMatrixGame
    from proofs.exact.certificate import read_certificate
    from proofs.exact.errors import CertificateFormatError, QcoordError

    p = Path(path)
    data: dict[str, Any]
    if p.suffix.lower() == ".npz":
        if not p.is_file():
            raise _bad(path, "no such regular file")
        if p.stat().st_size > MAX_FILE_BYTES:
            raise _bad(path, f"larger than {MAX_FILE_BYTES} bytes")
        try:
            _npz_shapes_ok(p, path)
            with np.load(p, allow_pickle=False) as z:
                data = {k: z[k] for k in z.files}
        except QcoordError:
            raise
        except (ValueError, OSError, EOFError, zipfile.BadZipFile) as exc:
            raise _bad(path, f"unreadable .npz ({exc})") from exc
        if "reps" in data:
            r = np.asarray(data["reps"])
            if r.shape != () or not np.issubdtype(r.dtype, np.integer):
                raise _bad(path, "'reps' must be one integer")
            data["reps"] = int(r)
    else:
        try:
            data = read_certificate(p, schema=False)
        except CertificateFormatError as exc:
            raise _bad(path, str(exc).replace(" in a certificate", "").replace("certificate ", "file ")) from exc
        if not isinstance(data, dict):
            raise _bad(path, "the JSON must be an object with keys 'prob' and 'pred', or 'bias'")
    keys = set(data)
    extra = sorted(keys - {"prob", "pred", "bias", "reps"})
    if extra:
        raise _bad(path, f"unknown key(s) {extra[:5]}; expected 'prob' and 'pred', or 'bias', and optionally 'reps'")
    reps = data.get("reps", 1)
    try:
        if "bias" in keys:
            if keys & {"prob", "pred"}:
                raise _bad(path, "give either 'bias' or 'prob' and 'pred', not both")
            return XorMatrixGame.from_bias(data["bias"], reps=reps)
        if not {"prob", "pred"} <= keys:
            raise _bad(path, "needs the keys 'prob' and 'pred' (toqito's matrices) or 'bias'")
        return XorMatrixGame.from_toqito(data["prob"], data["pred"], reps=reps)
    except QcoordError as exc:
        if "is not an XOR game" in str(exc):
            raise
        raise _bad(path, str(exc)) from exc


def run(args: argparse.Namespace) -> int:
    from games.progress import library_lines_off
    from proofs.certify.xor import certify_xor
    from proofs.cli.options import print_json
    from proofs.cli.progress import for_command

    game = load_game(args.file)
    show = for_command(args, "xor")  # on a terminal without --json or --quiet: the steps and the branch and bound's share closed
    with library_lines_off(show is not None):
        res = certify_xor(game, time_limit=args.time_limit, cert_dir=args.cert_dir, seed=args.seed, on_progress=show)
    if args.json:
        print_json(xor_json(res))
        return 0
    d = res.to_dict()
    q, c = d["quantum"], d["classical"]
    print(f"XOR game {game.rows} x {game.cols} (sha256 {d['game']['sha256'][:16]}){' , probabilities renormalised' if game.normalised else ''}")
    print(f"quantum   value in [{q['lower']:.12f}, {q['upper']:.12f}]  (width {q['width']:.2e}; vectors of dimension {q['rank']}, "
          f"local dimension {q['local_dimension']})")
    if "alice_angles" in q["strategy"]:
        print(f"          qubit angles (|Phi+>, cos t Z + sin t X): alice {[round(a, 6) for a in q['strategy']['alice_angles']]}, "
              f"bob {[round(b, 6) for b in q['strategy']['bob_angles']]}")
    if c["exact"]:
        print(f"classical value {c['lower_exact']} = {c['lower']:.12f}  (exact: {c['upper_rule']})")
        print(f"          optimal answers: alice {c['strategy']['alice']}, bob {c['strategy']['bob']}")
    else:
        print(f"classical value in [{c['lower']:.12f}, {c['upper']:.12f}]  (bracket, gap {c['width']:.2e}: best strategy found vs {c['upper_rule']})")
        print(f"          answers of the lower bound: alice {c['strategy']['alice']}, bob {c['strategy']['bob']}")
    print(f"no-signalling value {Fraction(d['nonsignalling']['exact'])}")
    if "repeated" in d:
        r = d["repeated"]
        print(f"{r['reps']} parallel repetitions (win every copy): quantum in [{r['quantum_lower']:.12f}, {r['quantum_upper']:.12f}]; "
              f"classical {r['classical_exact'] if r.get('classical') is not None else 'not computed: ' + r['classical_rule']}")
    print(f"certificates: {', '.join(sorted(set(res.paths.values())))}")
    return 0


def xor_json(res: Any) -> dict[str, Any]:
    """The ``--json`` object of ``qcoord xor`` (schema ``xor.json``): the shared bracket objects of
    :mod:`proofs.cli.output` (winning probabilities) with the exact ends, the strategies and the game's digest."""
    from proofs.cli.output import bracket, finish

    d = res.to_dict()
    q, c = d["quantum"], d["classical"]
    body: dict[str, Any] = {
        "game": d["game"],
        "quantum": {**bracket(res.quantum, rank=q["rank"]), "lower_exact": q["lower_exact"], "upper_exact": q["upper_exact"],
                    "local_dimension": q["local_dimension"], "strategy": q["strategy"]},
        "classical": {**bracket(res.classical, exact=c["exact"]), "lower_exact": c["lower_exact"], "upper_exact": c["upper_exact"],
                      "upper_rule": c["upper_rule"], "strategy": c["strategy"]},
        "nonsignalling": d["nonsignalling"],
    }
    if "repeated" in d:
        body["repeated"] = d["repeated"]
    body["seconds"] = d["seconds"]
    return finish("xor", body, [str(v) for v in d["certificates"].values()])
