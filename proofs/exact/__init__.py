"""The checker core: exact primitives that every certificate checker rests on.

This package is the bottom layer of qcoord. It imports only the standard
library, numpy and python-flint -- never :mod:`games`, :mod:`bounds`, any
solver (cvxpy, scs, clarabel) or numba -- so a reader can audit what a
certificate rests on without reading the rest of the code.

Modules: :mod:`~proofs.exact.rational` (exact rationals, the ``p/q``
formatter, outward rounding), :mod:`~proofs.exact.games` (the exact game
description and its registry of game types), :mod:`~proofs.exact.cells`
(cell classification and enclosure), :mod:`~proofs.exact.psd` (exact and
verified PSD tests, the dual matrix), :mod:`~proofs.exact.certificate` (the
certificate format and safe reading), :mod:`~proofs.exact.lipschitz`
(Lipschitz-in-C cell bounds), :mod:`~proofs.exact.errors`.
"""

from proofs.exact.cells import MAX_N, CellEnclosure, cell_enclosure
from proofs.exact.certificate import (
    MAX_BYTES,
    SCHEMA_VERSION,
    certificate_filename,
    certificate_header,
    new_certificate,
    parse_certificate,
    read_certificate,
)
from proofs.exact.errors import (
    CertificateError,
    CertificateFormatError,
    QcoordError,
    QcoordParameterError,
    QcoordTypeError,
    SolverError,
)
from proofs.exact.games import GAME_TYPES, GameDescriptionError, GameType, Hyperbolic, Linear, exact_game, register_game_type
from proofs.exact.psd import PsdCheck, dual_matrix, exact_psd, rump_shift, verified_psd
from proofs.exact.rational import arb_fraction, exact_parameter, float_down, float_up, fraction_str, parse_fraction

__all__ = [
    "GAME_TYPES",
    "MAX_BYTES",
    "MAX_N",
    "SCHEMA_VERSION",
    "CellEnclosure",
    "CertificateError",
    "CertificateFormatError",
    "GameDescriptionError",
    "GameType",
    "Hyperbolic",
    "Linear",
    "PsdCheck",
    "QcoordError",
    "QcoordParameterError",
    "QcoordTypeError",
    "SolverError",
    "arb_fraction",
    "cell_enclosure",
    "certificate_filename",
    "certificate_header",
    "dual_matrix",
    "exact_game",
    "exact_parameter",
    "exact_psd",
    "float_down",
    "float_up",
    "fraction_str",
    "new_certificate",
    "parse_certificate",
    "parse_fraction",
    "read_certificate",
    "register_game_type",
    "rump_shift",
    "verified_psd",
]
