"""The checker core: exact primitives that every certificate checker rests on.

This package is the bottom layer of qcoord. It imports only the standard
library, numpy and python-flint -- never :mod:`games`, :mod:`bounds`, any
solver (cvxpy, scs, clarabel) or numba -- so a reader can audit what a
certificate rests on without reading the rest of the code.
"""

from proofs.exact.errors import (
    CertificateError,
    CertificateFormatError,
    QcoordError,
    QcoordParameterError,
    QcoordTypeError,
    SolverError,
)

__all__ = [
    "CertificateError",
    "CertificateFormatError",
    "QcoordError",
    "QcoordParameterError",
    "QcoordTypeError",
    "SolverError",
]
