"""The background work of a multi-database client: recurring health checks,
half-open checks after a circuit's grace period, one-off checks.

The client is not a context manager one must enter (it initializes on first
use and is closed by ``aclose()``), so its tasks cannot live in the caller's
task group. They live in one anyio task group owned by this object, hosted by a
single task started on :meth:`BackgroundTasks.start`; :meth:`aclose` cancels the
group and waits until every task has ended. A failing job is logged, never
allowed to tear the group (and the other jobs) down.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Awaitable, Callable
from typing import Any

import anyio
from anyio.abc import TaskGroup

__all__ = ("BackgroundTasks",)

logger = logging.getLogger("aio.redis.multidb")

Job = Callable[[], Awaitable[Any]]


class BackgroundTasks:
    """One task group for a client's background jobs."""

    def __init__(self) -> None:
        self._group: TaskGroup | None = None
        self._host: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: int | None = None
        self._closed = False
        self._ready = anyio.Event()

    @property
    def running(self) -> bool:
        """Whether jobs can be started."""
        return self._group is not None and not self._closed

    async def start(self) -> None:
        """Start the hosting task (once) on the running loop; return when jobs
        can be started (also after a start that was cancelled while waiting)."""
        if self._closed:
            return
        if self._host is None:
            self._ready = anyio.Event()
            self._loop = asyncio.get_running_loop()
            self._thread = threading.get_ident()
            # The one task not started from a task group: it hosts the group
            # the client's jobs run in, for as long as the client is open.
            self._host = self._loop.create_task(self._run(self._ready))
        await self._ready.wait()

    async def _run(self, ready: anyio.Event) -> None:
        async with anyio.create_task_group() as group:
            self._group = group
            ready.set()
            await anyio.sleep_forever()

    def spawn(self, job: Job, name: str) -> None:
        """Run ``job()`` in the background (from any thread); ignored once closed."""
        if not self.running:
            return
        if threading.get_ident() == self._thread:
            self._spawn(job, name)
        elif self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._spawn, job, name)

    def _spawn(self, job: Job, name: str) -> None:
        if self._group is not None and not self._closed:
            self._group.start_soon(self._guarded, job, name, name=name)

    def call_later(self, delay: float, job: Job, name: str) -> None:
        """Run ``job()`` after ``delay`` seconds (cancelled by :meth:`aclose`)."""

        async def later() -> None:
            await anyio.sleep(delay)
            await job()

        self.spawn(later, name)

    def run_recurring(self, interval: float, job: Job, name: str) -> None:
        """Run ``job()`` every ``interval`` seconds, the first after one interval."""

        async def recurring() -> None:
            while True:
                await anyio.sleep(interval)
                await self._guarded(job, name)

        self.spawn(recurring, name)

    async def _guarded(self, job: Job, name: str) -> None:
        try:
            await job()
        except Exception:
            logger.warning("background job %s failed", name, exc_info=True)

    def cancel(self) -> None:
        """Cancel every job without waiting (from any thread; for a client that
        was dropped without being closed)."""
        self._closed = True
        group = self._group
        if group is None:
            return
        if threading.get_ident() == self._thread:
            group.cancel_scope.cancel()
        elif self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(group.cancel_scope.cancel)

    async def aclose(self) -> None:
        """Cancel every job and wait until they have ended."""
        self._closed = True
        host, self._host = self._host, None
        group, self._group = self._group, None
        if group is not None:
            group.cancel_scope.cancel()
        if host is not None:
            if asyncio.get_running_loop() is host.get_loop():
                await asyncio.wait([host])
            else:  # closed from another loop: the host's loop finishes it
                host.get_loop().call_soon_threadsafe(host.cancel)
