"""One job layer for every batch computation: picklable jobs on any :class:`concurrent.futures.Executor`.

A batch (the atlas, the law table, the system level per law) is a list of
jobs and one top-level function; :func:`iter_jobs` submits them to an
executor and yields each finished job as it completes, :func:`map_jobs`
collects the results in job order.  Which executor runs them is chosen by
:func:`open_executor`:

* ``workers == 1``: :class:`InlineExecutor`, in this process (no start-up
  cost, the numba caches already warm);
* ``workers > 1``: a :class:`~concurrent.futures.ProcessPoolExecutor` of
  spawned processes;
* ``dask="ADDRESS"`` (or the environment variable :data:`DASK_ENV`): the
  executor of ``distributed.Client(ADDRESS)`` (``Client.get_executor()``), an
  existing Dask cluster; the workers need qcoord installed.

Every executor goes through the same :func:`iter_jobs` loop; no code runs
for one kind of executor only.  A job's result depends on the job alone, so
the results are the same, point for point, whichever executor ran them.

Progress: :func:`iter_jobs` and :func:`map_jobs` take a callback
``on_progress(done, total, what)`` and call it with 0 done before the first
job and after each finished job (``what``: the finished job's name from
``names``).  A job runs with the library's own progress lines off
(``QCOORD_PROGRESS=0`` while it runs), so workers print nothing themselves;
the driver reports.

One process runs one job at a time (a process-wide lock around each job):
qcoord's solvers and exact core are not thread-safe (python-flint's
precision is global to the process; two law-table rows computed in two
threads of one process at once were seen to fail a solver's own check).
An executor that runs jobs in threads (a Dask worker with several threads,
a thread pool) therefore gains nothing from its threads; give each Dask
worker one thread (``dask worker --nthreads 1``) and start more workers.

>>> map_jobs(abs, [-2, 3, -1])
[2, 3, 1]
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from proofs.exact.errors import ProofsParameterError, QcoordError

#: the progress callback of a batch: ``on_progress(done, total, what)``
OnProgress = Callable[[int, int, str], None]

__all__ = ["DASK_ENV", "DASK_TIMEOUT", "InlineExecutor", "OnProgress", "connect_dask", "dask_address", "iter_jobs", "map_jobs", "open_executor",
           "read_certificates", "store_certificates"]

J = TypeVar("J")
R = TypeVar("R")

#: environment variable naming a Dask scheduler address (used when no ``dask=`` / ``--dask`` is given)
DASK_ENV = "QCOORD_DASK"
#: held while a job runs: one job at a time per process (see the module docstring)
_ONE_JOB_PER_PROCESS = threading.Lock()

#: seconds to wait for a Dask scheduler before the address is declared unreachable (environment: ``QCOORD_DASK_TIMEOUT``)
DASK_TIMEOUT = 10.0


class InlineExecutor(Executor):
    """An executor that runs each job in this process at ``submit`` and returns a finished future.

    >>> InlineExecutor().submit(pow, 2, 5).result()
    32
    """

    def submit(self, fn: Callable[..., R], /, *args: Any, **kwargs: Any) -> Future[R]:
        fut: Future[R] = Future()
        try:
            fut.set_result(fn(*args, **kwargs))
        except BaseException as exc:
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            fut.set_exception(exc)
        return fut


def dask_address(address: str | None) -> str | None:
    """``address``, else the value of :data:`DASK_ENV` (``None`` or empty: no Dask).

    >>> dask_address("tcp://10.0.0.1:8786")
    'tcp://10.0.0.1:8786'
    """
    if address is None:
        address = os.environ.get(DASK_ENV) or None
    return address


def connect_dask(address: str, *, timeout: float | None = None) -> Any:
    """A ``distributed.Client`` connected to the scheduler at ``address``.

    Raises :class:`ProofsParameterError` (one line naming the address) when
    ``distributed`` is not installed or the scheduler cannot be reached
    within ``timeout`` seconds (default ``$QCOORD_DASK_TIMEOUT``, else
    :data:`DASK_TIMEOUT`).
    """
    if timeout is None:
        try:
            timeout = float(os.environ.get("QCOORD_DASK_TIMEOUT", DASK_TIMEOUT))
        except ValueError:
            timeout = DASK_TIMEOUT
        if not 0 < timeout < 3600:
            timeout = DASK_TIMEOUT
    if not isinstance(address, str) or not address.strip():
        raise ProofsParameterError(f"`--dask` must be a scheduler address such as tcp://HOST:8786; got {address!r}")
    try:
        from distributed import Client
    except ImportError:
        raise ProofsParameterError("`--dask` needs the package `distributed` (pip install 'qcoord[atlas]')") from None
    try:
        return Client(address, timeout=timeout)
    except (OSError, ValueError, TypeError) as exc:  # unreachable, timed out, or a malformed address
        raise ProofsParameterError(f"`--dask` = {address!r}: cannot reach the Dask scheduler ({' '.join(str(exc).split())})") from None


@contextmanager
def open_executor(workers: int = 1, dask: str | None = None) -> Iterator[Executor]:
    """The executor of a batch: in this process, a pool of ``workers`` spawned processes, or a Dask cluster.

    ``dask`` (else the environment variable :data:`DASK_ENV`) names a
    scheduler; it is connected on entry, so an unreachable address fails
    before any job runs.

    >>> with open_executor(1) as ex:
    ...     type(ex).__name__
    'InlineExecutor'
    """
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ProofsParameterError(f"`workers` must be an integer >= 1; got {workers!r}")
    address = dask_address(dask)
    if address is not None:
        client = connect_dask(address)
        try:
            yield client.get_executor()
        finally:
            client.close()
    elif workers == 1:
        yield InlineExecutor()
    else:
        # spawn, not fork: forking a process whose OpenMP runtime (numba, BLAS) is already running aborts it
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=min(workers, os.cpu_count() or 1), mp_context=ctx) as ex:
            yield ex


#: the environment variable of the library's own progress lines (:mod:`games.progress`)
_PROGRESS_ENV = "QCOORD_PROGRESS"


def _locked(fn: Callable[[J], R], job: J) -> R:
    """``fn(job)`` while holding the process's job lock, with the library's progress lines off (picklable: a module-level function).

    The driver reports each finished job; a job (in a worker process, on a
    Dask worker or in this process) prints no progress of its own.
    """
    with _ONE_JOB_PER_PROCESS:
        old = os.environ.get(_PROGRESS_ENV)
        os.environ[_PROGRESS_ENV] = "0"
        try:
            return fn(job)
        finally:
            if old is None:
                os.environ.pop(_PROGRESS_ENV, None)
            else:
                os.environ[_PROGRESS_ENV] = old


def _names(names: Sequence[str] | None, n: int) -> list[str]:
    """``names`` as a list of ``n`` job names (empty names if ``None``)."""
    if names is None:
        return [""] * n
    out = [str(x) for x in names]
    if len(out) != n:
        raise ProofsParameterError(f"`names` must name each of the {n} jobs; got {len(out)} names")
    return out


def iter_jobs(fn: Callable[[J], R], jobs: Sequence[J], executor: Executor, *, in_flight: int = 256,
              on_progress: OnProgress | None = None, names: Sequence[str] | None = None) -> Iterator[tuple[int, Future[R]]]:
    """Run ``fn(job)`` for every job on ``executor``; yield ``(index, finished future)`` as each completes.

    At most ``in_flight`` jobs are submitted and not yet yielded (an
    :class:`InlineExecutor` computes at ``submit``, so it is given one at a
    time: each result is seen as soon as it exists).  ``fn`` and the jobs
    must pickle for a process pool or a Dask cluster.  Each job holds the
    process's job lock while it runs.  A job that raised yields a future
    holding the exception; nothing is retried.  ``on_progress(done, total,
    name)`` is called with 0 done before the first job and as each job
    finishes (before it is yielded), ``name`` from ``names``.

    >>> sorted((i, f.result()) for i, f in iter_jobs(abs, [-1, -2], InlineExecutor()))
    [(0, 1), (1, 2)]
    >>> seen = []
    >>> _ = list(iter_jobs(abs, [-1, -2], InlineExecutor(), on_progress=lambda *a: seen.append(a), names=["a", "b"]))
    >>> seen
    [(0, 2, ''), (1, 2, 'a'), (2, 2, 'b')]
    """
    if isinstance(in_flight, bool) or not isinstance(in_flight, int) or in_flight < 1:
        raise ProofsParameterError(f"`in_flight` must be an integer >= 1; got {in_flight!r}")
    label = _names(names, len(jobs))
    finished = 0
    if on_progress is not None:
        on_progress(0, len(jobs), "")
    limit = 1 if isinstance(executor, InlineExecutor) else in_flight
    pending: dict[Future[R], int] = {}
    nxt = 0
    while nxt < len(jobs) or pending:
        while nxt < len(jobs) and len(pending) < limit:
            pending[executor.submit(_locked, fn, jobs[nxt])] = nxt
            nxt += 1
        done, _ = wait(list(pending), return_when=FIRST_COMPLETED)
        for fut in sorted(done, key=pending.__getitem__):
            i = pending.pop(fut)
            finished += 1
            if on_progress is not None:
                on_progress(finished, len(jobs), label[i])
            yield i, fut


def map_jobs(fn: Callable[[J], R], jobs: Sequence[J], workers: int = 1, *, dask: str | None = None, label: str = "",
             executor: Executor | None = None, on_progress: OnProgress | None = None, names: Sequence[str] | None = None) -> list[R]:
    """``[fn(j) for j in jobs]``, in job order, on ``executor`` or :func:`open_executor` ``(workers, dask)``.

    ``on_progress(done, total, name)`` is called before the first job and
    after each finished job (:func:`iter_jobs`); without it, a progress line
    ``label k/total`` is shown on a terminal (:func:`games.progress.progress`).
    The first job that raised re-raises here.

    >>> seen = []
    >>> map_jobs(abs, [-2, 3], on_progress=lambda d, t, w: seen.append((d, t, w)), names=["x", "y"]), seen
    ([2, 3], [(0, 2, ''), (1, 2, 'x'), (2, 2, 'y')])
    """
    from games.progress import progress

    if executor is None:
        with open_executor(workers if len(jobs) > 1 else 1, dask) as ex:
            return map_jobs(fn, jobs, label=label, executor=ex, on_progress=on_progress, names=names)
    out: dict[int, R] = {}
    finished = iter_jobs(fn, jobs, executor, on_progress=on_progress, names=names)
    for i, fut in finished if on_progress is not None else progress(finished, total=len(jobs), label=label):
        out[i] = fut.result()
    return [out[i] for i in range(len(jobs))]


def read_certificates(paths: Sequence[str | Path]) -> dict[str, str]:
    """``{file name: text}`` of the certificate files a job wrote, for the driver to store (:func:`store_certificates`).

    >>> import tempfile, os
    >>> p = os.path.join(tempfile.mkdtemp(), "c.json")
    >>> _ = open(p, "w").write("{}")
    >>> read_certificates([p])
    {'c.json': '{}'}
    """
    return {Path(p).name: Path(p).read_text(encoding="utf-8") for p in paths}


def store_certificates(texts: Mapping[str, str], directory: str | Path) -> dict[str, str]:
    """Write each ``{file name: text}`` of a job into ``directory``; return ``{file name: path}``.

    Certificate names carry a hash of their content, so a file of that name
    already holding the same text is left as it is; each new file is
    written through a temporary name and renamed (never seen half-written).

    >>> import tempfile
    >>> d = tempfile.mkdtemp()
    >>> store_certificates({"c.json": "{}"}, d)["c.json"] == f"{d}/c.json"
    True
    """
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[str, str] = {}
    for name, text in texts.items():
        if not name or Path(name).name != name or name in (".", ".."):
            raise QcoordError(f"a job returned a certificate name that is not a plain file name: {name!r}")
        path = folder / name
        try:
            same = path.is_file() and path.read_text(encoding="utf-8") == text
        except (OSError, UnicodeDecodeError):
            same = False
        if not same:
            tmp = path.with_name(f".{name}.{os.getpid()}.tmp")
            tmp.write_text(text, encoding="utf-8")
            os.replace(tmp, path)
        out[name] = str(path)
    return out
