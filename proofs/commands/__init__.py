"""Subcommands of the ``qcoord`` CLI, one module each (thin: no mathematics here)."""
