"""The threads stages generate on: at most `jobs` at once, each a daemon thread.

A stop (Ctrl-C, SIGTERM), raised in the main thread, leaves without waiting for them: a provider
request in flight is abandoned with the process. Work run here must never write a user's file.
"""
from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import Future, wait
from typing import Any


class DaemonPool:
    """A ThreadPoolExecutor that a stop does not wait for. The executor's shutdown, and Python's exit,
    join every worker: Ctrl-C waited while a stage went on calling its provider for each section left,
    sleeping through retries (a minute and more). Leaving on anything else waits, as the executor does."""

    def __init__(self, jobs: int) -> None:
        self._slots = threading.BoundedSemaphore(max(1, jobs))
        self._futures: list[Future] = []

    def submit(self, work: Callable[..., Any], *args: Any) -> Future:
        future: Future = Future()

        def run() -> None:
            with self._slots:
                if not future.set_running_or_notify_cancel():  # stopped before its turn came
                    return
                try:
                    future.set_result(work(*args))
                except BaseException as exc:  # whoever waits on the future gets it
                    future.set_exception(exc)

        self._futures.append(future)
        threading.Thread(target=run, daemon=True, name="gitspec-stage").start()
        return future

    def __enter__(self) -> DaemonPool:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, traceback: Any) -> None:
        if isinstance(exc, KeyboardInterrupt):
            for future in self._futures:
                future.cancel()  # what has not started never does; what runs is abandoned
            return
        wait(self._futures)
