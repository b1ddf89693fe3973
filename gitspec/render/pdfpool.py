"""Laying several documents out at once: this process and one worker process per further
CPU, each running pdfpage.page_pdf on whole documents.

Never forks the running process as it is (it may hold a build's threads, and forking them
can deadlock): workers start from a fresh interpreter (forkserver, else spawn). Whatever the
workers cannot do, because they fail to start or die, is done here instead.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from gitspec.render.model import Page

if TYPE_CHECKING:
    from gitspec.render.htmlprint import PrintPage

Job = tuple[Page, "PrintPage"]
Result = tuple[bytes, list[str]]  # the PDF, and the URLs the sandbox refused

# A worker starts a fresh interpreter and imports gitspec and weasyprint: about a second of a CPU,
# the time this process takes to lay out some 15,000 characters of a document's print HTML. Fewer
# than that left for a worker are laid out sooner here (two small documents took twice as long).
WORKER_START = 15_000


def lay_out(jobs: list[Job], roots: tuple[Path, ...], processes: int | None = None
            ) -> Iterator[tuple[Page, Result]]:
    """Each job's PDF and refused URLs, in the order they are done, using up to
    `processes` processes (this one included; default: one per CPU, and a worker only for
    each WORKER_START characters beyond the longest document, which this process takes)."""
    from gitspec.render.pdfpage import page_pdf

    done: set[str] = set()
    workers = min(len(jobs), processes or cpus()) - 1
    if processes is None and workers > 0:
        sizes = [len(job.body) for _, job in jobs]
        workers = min(workers, (sum(sizes) - max(sizes)) // WORKER_START)
    if workers > 0:
        from concurrent.futures.process import BrokenProcessPool

        try:
            for page, result in _shared(jobs, roots, workers):
                done.add(page.id)
                yield page, result
        except (BrokenProcessPool, OSError, NotImplementedError):  # no worker processes here, or one died
            pass
    for page, job in jobs:
        if page.id not in done:
            yield page, page_pdf(job, roots)


def _shared(jobs: list[Job], roots: tuple[Path, ...], workers: int) -> Iterator[tuple[Page, Result]]:
    """This process and the workers take jobs from one list, longest first, each the moment
    it is free, so that the last to finish are short and all end at about the same time.
    This process works too, rather than wait: one worker fewer to start, and weasyprint
    is then ready here for the book."""
    import queue
    import threading
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor

    from gitspec.render.pdfpage import page_pdf

    todo = deque(sorted(jobs, key=lambda job: len(job[1].body), reverse=True))
    results: queue.SimpleQueue = queue.SimpleQueue()  # (page, result, error) from the feeders
    pool = ProcessPoolExecutor(workers, mp_context=worker_context(), initializer=end_with, initargs=(os.getpid(),))

    def feed() -> None:  # keeps one worker busy, one job at a time (a queued job could not be taken back)
        try:
            while todo:
                page, job = todo.popleft()
                results.put((page, pool.submit(page_pdf, job, roots).result(), None))
        except IndexError:  # this process took the last job
            pass
        except BaseException as error:  # noqa: BLE001  (handed to the caller's thread)
            results.put((None, None, error))

    feeders = [threading.Thread(target=feed, daemon=True) for _ in range(workers)]
    for feeder in feeders:
        feeder.start()
    remaining = len(jobs)
    try:
        while todo:
            try:
                page, job = todo.popleft()
            except IndexError:  # a feeder took the last job
                break
            yield page, page_pdf(job, roots)
            remaining -= 1
            while not results.empty():  # what the workers finished meanwhile
                yield _received(results.get())
                remaining -= 1
        while remaining:
            yield _received(results.get())
            remaining -= 1
    except BaseException:  # Ctrl-C or SIGTERM (the workers ignore it), or the caller wants no more: stop
        for process in list((getattr(pool, "_processes", None) or {}).values()):  # them, not wait for their documents
            process.terminate()
        raise
    finally:
        todo.clear()
        pool.shutdown(wait=True, cancel_futures=True)
        for feeder in feeders:
            feeder.join()


def worker_context():
    """How workers are started: from a fresh interpreter (forkserver, else spawn), with gitspec's quiet
    worker set-up loaded (gitspec.render.quietworkers)."""
    import multiprocessing

    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload(["gitspec.render.quietworkers"])
    return context


def start_server() -> None:
    """Start the server workers are forked from now, not at the first PDF render: a daemon does so while
    its standard streams lead to its log, so that no worker ever holds a requester's terminal or pipe
    open after its render (`gitspec render | cat` would never end)."""
    context = worker_context()
    if context.get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


def end_with(parent: int) -> None:
    """In a worker: end once the gitspec process that started it is gone. Killed with -9, that
    process could not stop its workers, which would otherwise wait for work for ever."""
    import threading
    import time

    def watch() -> None:
        while True:
            time.sleep(1)
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:  # alive, under another user: not ours to judge
                pass

    threading.Thread(target=watch, daemon=True, name="gitspec-parent-watch").start()


def _received(item: tuple) -> tuple[Page, Result]:
    page, result, error = item
    if error is not None:
        raise error
    return page, result


def cpus() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1
