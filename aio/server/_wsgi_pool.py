"""The thread pool that runs WSGI applications.

``loop.run_in_executor`` costs a ``concurrent.futures.Future``, a work item and a
chain of callbacks between the two futures on every call. This pool does one thing:
a job goes into a queue, a thread runs it and hands the result to the loop's future
with one ``call_soon_threadsafe``. Measured on uvloop, one hop costs about a third of
``run_in_executor``'s; on every request of the WSGI server that is worth its 60 lines.

The threads start on first use (so a spawned worker process gets its own) and stop
when :meth:`ThreadPool.shutdown` puts one ``None`` per thread in the queue.
"""

from __future__ import annotations

import asyncio
import queue
import threading
from collections.abc import Callable
from typing import Any, TypeVar

__all__ = ("ThreadPool",)

T = TypeVar("T")

_Job = tuple[
    asyncio.AbstractEventLoop,
    "asyncio.Future[Any]",
    Callable[..., Any],
    tuple[Any, ...],
]


def _resolve(future: asyncio.Future[Any], ok: bool, value: Any) -> None:
    # Runs on the loop. The awaiting task may have been cancelled meanwhile.
    if future.cancelled():
        return
    if ok:
        future.set_result(value)
    else:
        future.set_exception(value)


class ThreadPool:
    """A fixed-size pool of daemon threads whose results land in asyncio futures.

    :param size: the number of threads.
    :param name: the threads' name prefix.
    """

    def __init__(self, size: int, name: str = "aio-wsgi") -> None:
        self.size = max(1, size)
        self.name = name
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    def _start(self) -> None:
        with self._lock:
            while len(self._threads) < self.size:
                thread = threading.Thread(
                    target=self._work,
                    name=f"{self.name}-{len(self._threads)}",
                    daemon=True,
                )
                thread.start()
                self._threads.append(thread)

    def _work(self) -> None:
        get = self._jobs.get
        while True:
            job = get()
            if job is None:
                return
            loop, future, fn, args = job
            ok = False
            value: Any
            try:
                value = fn(*args)
                ok = True
            except Exception as exc:
                value = exc
            except BaseException as exc:
                # SystemExit/KeyboardInterrupt from application code must not stop
                # the server from a pool thread; the request fails instead.
                value = RuntimeError(f"WSGI application raised {exc!r}")
            try:
                loop.call_soon_threadsafe(_resolve, future, ok, value)
            except RuntimeError:
                pass  # the loop is closed: nobody is waiting any more
            # Drop references before blocking on the queue again.
            job = future = value = None  # type: ignore[assignment]

    def run(self, fn: Callable[..., T], *args: Any) -> asyncio.Future[T]:
        """Run ``fn(*args)`` on a pool thread; await the returned future."""
        if len(self._threads) < self.size:
            self._start()
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._jobs.put((loop, future, fn, args))
        return future

    def shutdown(self) -> None:
        """Let the running jobs finish, then stop the threads."""
        with self._lock:
            threads, self._threads = self._threads, []
        for _ in threads:
            self._jobs.put(None)
        for thread in threads:
            if thread is not threading.current_thread():
                thread.join()
