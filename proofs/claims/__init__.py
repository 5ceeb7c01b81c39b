"""Layer 3: the paper's claims.

:mod:`~proofs.claims.paper` holds the paper's stated numbers,
:mod:`~proofs.claims.claim` the claim and result types, one module per topic the
checks of the claims, and :mod:`~proofs.claims.registry` the list of claims.
It imports the layers below it (exact, checkers, certify), never the report or
the CLI.
"""
