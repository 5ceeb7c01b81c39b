"""Layer 4: the report folder (report.md, claims.json, run.json, figures) and the README's generated table.

It imports the layers below it (exact, checkers, certify, claims), never the CLI.
"""
