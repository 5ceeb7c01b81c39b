"""``python -m proofs.cli`` runs the ``qcoord`` command line."""

import sys

from proofs.cli.main import main

sys.exit(main())
