"""Options of the batch commands: where their jobs run (:mod:`proofs.certify.jobs`).

=====================  ==============  ===============================================
parent                 option          value
=====================  ==============  ===============================================
``workers_option(d)``  ``--workers``   local processes, integer in ``[1, WORKERS_MAX]``
``dask_option()``      ``--dask``      a Dask scheduler address (default ``$QCOORD_DASK``)
=====================  ==============  ===============================================

An unreachable scheduler is refused when the command opens its executor,
before any job runs (one line, exit status 2).

>>> p = argparse.ArgumentParser(parents=[workers_option(2), dask_option()])
>>> a = p.parse_args(["--dask", "tcp://10.0.0.1:8786"])
>>> a.workers, a.dask
(2, 'tcp://10.0.0.1:8786')
"""

from __future__ import annotations

import argparse

from proofs.cli.options import integer

__all__ = ["WORKERS_MAX", "dask_option", "workers_option"]

#: most local worker processes of one command
WORKERS_MAX = 64


def workers_option(default: int | None) -> argparse.ArgumentParser:
    """``--workers``: local worker processes (1: in this process; ``None``: each batch's own default)."""
    p = argparse.ArgumentParser(add_help=False)
    shown = "each batch's own" if default is None else default
    p.add_argument("--workers", type=integer("--workers", 1, WORKERS_MAX), default=default,
                   help=f"local worker processes, 1 to {WORKERS_MAX} (1: in this process; default {shown})")
    return p


def dask_option() -> argparse.ArgumentParser:
    """``--dask ADDRESS``: run the jobs on an existing Dask cluster (default ``$QCOORD_DASK``)."""
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--dask", default=None, metavar="ADDRESS",
                   help="run the jobs on the Dask cluster whose scheduler is at ADDRESS, e.g. tcp://HOST:8786 (default $QCOORD_DASK; "
                        "the workers need qcoord installed); replaces --workers")
    return p
