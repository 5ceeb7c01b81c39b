"""Layer 1 (trusted): the certificate checkers.

Each module reads one family of certificate kinds and returns a
:class:`~proofs.checkers.bound.Bound` only after verifying the certificate in
exact or outward-rounded arithmetic. A checker imports only the standard
library, numpy, python-flint, :mod:`proofs.exact` and other modules of this
package -- never :mod:`games`, :mod:`bounds`, :mod:`analytic`, a solver, or a
higher layer of :mod:`proofs`. Together with :mod:`proofs.exact` this package
is everything a certified number rests on.

:mod:`~proofs.checkers.registry` maps every certificate kind to its checker.
"""
