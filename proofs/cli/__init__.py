"""Layer 5: the ``qcoord`` command line.

:mod:`~proofs.cli.main` parses the arguments and dispatches to one module per
subcommand. The CLI is thin: it parses and prints, and leaves every
computation to the layers below it.
"""
