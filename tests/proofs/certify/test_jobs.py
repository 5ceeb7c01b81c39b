"""The job layer: one loop over any executor; the same results in this process, a process pool and a Dask cluster."""

import math
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from proofs.certify.jobs import (
    DASK_ENV,
    InlineExecutor,
    connect_dask,
    iter_jobs,
    map_jobs,
    open_executor,
    read_certificates,
    store_certificates,
)
from proofs.exact.errors import ProofsParameterError, QcoordError


def _slow_square(x):
    time.sleep(0.02 * (x % 3))  # finish out of order on a pool
    return x * x


def _fails_on_three(x):
    if x == 3:
        raise ValueError("three")
    return x


def test_inline_executor_runs_at_submit_and_keeps_exceptions():
    ex = InlineExecutor()
    seen = []
    fut = ex.submit(seen.append, 1)
    assert fut.done() and seen == [1]
    bad = ex.submit(math.sqrt, -1.0)
    assert bad.done() and isinstance(bad.exception(), ValueError)


def test_iter_jobs_yields_each_job_once_as_it_completes():
    jobs = list(range(9))
    with ThreadPoolExecutor(3) as ex:
        got = list(iter_jobs(_slow_square, jobs, ex, in_flight=4))
    assert sorted(i for i, _ in got) == jobs
    assert all(f.result() == jobs[i] ** 2 for i, f in got)


def test_iter_jobs_bounds_the_jobs_in_flight():
    submitted = []

    class Counting(InlineExecutor):
        def submit(self, fn, /, *args, **kwargs):
            submitted.append(args[0])
            return super().submit(fn, *args, **kwargs)

    order = []
    for i, _ in iter_jobs(abs, [-1, -2, -3], Counting()):
        order.append(i)
        assert len(submitted) == i + 1  # inline: the next job is submitted only after this one was seen
    assert order == [0, 1, 2]


def test_map_jobs_keeps_job_order_and_raises_the_first_failure():
    with ThreadPoolExecutor(3) as ex:
        assert map_jobs(_slow_square, list(range(7)), executor=ex) == [x * x for x in range(7)]
        with pytest.raises(ValueError, match="three"):
            map_jobs(_fails_on_three, [1, 2, 3, 4], executor=ex)


@pytest.mark.parametrize("workers", [0, -1, 1.5, True])
def test_open_executor_refuses_bad_workers(workers):
    with pytest.raises(ProofsParameterError, match="`workers`"), open_executor(workers):
        pass


def test_process_pool_and_dask_give_the_inline_results():
    distributed = pytest.importorskip("distributed")
    jobs = list(range(6))
    inline = map_jobs(_slow_square, jobs, 1)
    pool = map_jobs(_slow_square, jobs, 2)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0") as cluster:
        seen = []
        dask = map_jobs(_slow_square, jobs, dask=cluster.scheduler_address, on_progress=lambda *a: seen.append(a))
    assert inline == pool == dask == [x * x for x in jobs]
    assert [d for d, _, _ in seen] == list(range(7))  # the driver reports each job the cluster finished


def test_dask_address_from_the_environment(monkeypatch):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=":0") as cluster:
        monkeypatch.setenv(DASK_ENV, cluster.scheduler_address)
        with open_executor(1) as ex:
            assert not isinstance(ex, InlineExecutor)
            assert ex.submit(_slow_square, 4).result() == 16


def test_unreachable_scheduler_is_one_parameter_error():
    pytest.importorskip("distributed")
    start = time.perf_counter()
    with pytest.raises(ProofsParameterError, match="cannot reach the Dask scheduler"):
        connect_dask("tcp://127.0.0.1:1", timeout=1.0)
    assert time.perf_counter() - start < 8
    with pytest.raises(ProofsParameterError, match="`--dask`"):
        connect_dask("no-port-here", timeout=1.0)


_running = []


def _count_concurrent(x):
    _running.append(1)
    peak = len(_running)
    time.sleep(0.02)
    _running.pop()
    return peak


def test_one_job_at_a_time_per_process_even_on_threads():
    # the solvers are not thread-safe: a thread pool must not run two jobs of one process at once
    with ThreadPoolExecutor(4) as ex:
        assert map_jobs(_count_concurrent, list(range(8)), executor=ex) == [1] * 8


def test_certificate_texts_are_read_and_stored_by_name(tmp_path):
    src, dst = tmp_path / "worker", tmp_path / "driver"
    src.mkdir()
    (src / "a.json").write_text('{"a":1}')
    (src / "b.json").write_text('{"b":2}')
    texts = read_certificates([src / "a.json", str(src / "b.json")])
    assert texts == {"a.json": '{"a":1}', "b.json": '{"b":2}'}
    assert store_certificates(texts, dst) == {"a.json": str(dst / "a.json"), "b.json": str(dst / "b.json")}
    assert (dst / "a.json").read_text() == '{"a":1}' and sorted(p.name for p in dst.iterdir()) == ["a.json", "b.json"]
    # a stale file of the same name is replaced; storing twice changes nothing
    (dst / "a.json").write_text("stale")
    store_certificates(texts, dst)
    store_certificates(texts, dst)
    assert (dst / "a.json").read_text() == '{"a":1}' and sorted(p.name for p in dst.iterdir()) == ["a.json", "b.json"]


@pytest.mark.parametrize("name", ["../x.json", "sub/x.json", "", ".."])
def test_store_certificates_refuses_names_that_are_not_plain_file_names(tmp_path, name):
    with pytest.raises(QcoordError, match="plain file name"):
        store_certificates({name: "{}"}, tmp_path / "d")
    assert not (tmp_path / "x.json").exists()


def _progress_env(_):
    import os

    return os.environ.get("QCOORD_PROGRESS")


@pytest.mark.parametrize("make", [InlineExecutor, lambda: ThreadPoolExecutor(2)])
def test_every_finished_job_is_reported_once_on_any_executor(make):
    seen = []
    with make() as ex:
        out = map_jobs(_slow_square, [1, 2, 3, 4], executor=ex, on_progress=lambda *a: seen.append(a), names=["a", "b", "c", "d"])
    assert out == [1, 4, 9, 16]
    assert seen[0] == (0, 4, "") and [d for d, _, _ in seen] == [0, 1, 2, 3, 4] and {t for _, t, _ in seen} == {4}
    assert sorted(w for _, _, w in seen[1:]) == ["a", "b", "c", "d"]  # each job named once, in the order they finished


def test_iter_jobs_reports_before_yielding_and_checks_the_names():
    seen = []
    for i, _ in iter_jobs(abs, [-1, -2], InlineExecutor(), on_progress=lambda *a: seen.append(a)):
        assert seen[-1][0] == i + 1  # the job that is yielded has been counted
    with pytest.raises(ProofsParameterError, match="names"):
        list(iter_jobs(abs, [-1, -2], InlineExecutor(), names=["only one"]))


def test_jobs_print_no_progress_of_their_own(monkeypatch):
    monkeypatch.setenv("QCOORD_PROGRESS", "1")
    assert map_jobs(_progress_env, [0, 1]) == ["0", "0"]  # off while each job runs ...
    import os

    assert os.environ["QCOORD_PROGRESS"] == "1"  # ... and restored after
    assert map_jobs(_progress_env, [0, 1], workers=2) == ["0", "0"]  # in worker processes too
