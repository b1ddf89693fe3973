"""DaemonPool: stages run at most `jobs` at once; a result or an error reaches whoever waits; a stop leaves
without waiting for running work, and work not yet started never starts."""
from __future__ import annotations

import threading

import pytest

from gitspec.daemonpool import DaemonPool
from gitspec.errors import GitspecError


def test_results_and_errors_reach_the_caller_as_raised():
    def work(n: int) -> int:
        if n == 3:
            raise GitspecError("stage three failed", exit_code=1)
        return n * n

    with DaemonPool(2) as pool:
        futures = [pool.submit(work, n) for n in range(5)]
    assert [f.result() for f in futures if f.exception() is None] == [0, 1, 4, 16]
    error = futures[3].exception()
    assert isinstance(error, GitspecError) and error.exit_code == 1 and str(error) == "stage three failed"


@pytest.mark.parametrize("jobs", [1, 3])
def test_no_more_than_jobs_run_at_once(jobs):
    running, most = 0, 0
    lock = threading.Lock()

    def work() -> None:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        threading.Event().wait(0.05)
        with lock:
            running -= 1

    with DaemonPool(jobs) as pool:
        for _ in range(6):
            pool.submit(work)
    assert most == jobs


def test_a_stop_leaves_at_once_and_what_had_not_started_never_starts():
    release = threading.Event()
    started: list[int] = []

    def work(n: int) -> None:
        started.append(n)
        release.wait(30)  # a provider request that would take long

    with pytest.raises(KeyboardInterrupt):
        with DaemonPool(1) as pool:
            futures = [pool.submit(work, n) for n in range(3)]
            while not started:
                threading.Event().wait(0.01)
            raise KeyboardInterrupt  # as Ctrl-C is raised in the main thread
    assert futures[1].cancelled() and futures[2].cancelled()
    release.set()
    threading.Event().wait(0.1)
    assert started == [0]  # the queued ones never ran


def test_leaving_on_an_error_waits_for_running_work():
    finished = threading.Event()

    def work() -> None:
        threading.Event().wait(0.1)
        finished.set()

    with pytest.raises(ValueError):
        with DaemonPool(2) as pool:
            pool.submit(work)
            raise ValueError("the build stopped for another reason")
    assert finished.is_set()
