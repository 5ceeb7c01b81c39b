"""Layer 2: solve and certify.

Each module runs a solver or a search from :mod:`games`, :mod:`bounds` or
:mod:`analytic`, writes the certificates, and has a checker of
:mod:`proofs.checkers` verify them before it returns a bound. It imports the
layers below it (:mod:`proofs.exact`, :mod:`proofs.checkers`), never the claims,
the report or the CLI.
"""
