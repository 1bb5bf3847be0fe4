"""Run a connection's request handlers eagerly, in one task reused across requests.

Why: a handler must run inside a task (``asyncio.current_task()``, ``asyncio.timeout``
and anyio's cancel scopes need one), and its first step should run right away,
inside ``data_received`` (:mod:`aio.server._eager` explains why). Creating a
task per request costs more than parsing the request: the task object, its
registration, a ``call_soon`` and one more event-loop step even when the handler
finished during its eager step. On a keep-alive connection the requests come one
after another, so one task can serve them all.

How: each connection owns a :class:`HandlerRunner`, which holds a *slot*: a task
that waits on a future while idle. To start a handler:

1. the slot's task is entered as the current task (it is suspended, so nothing
   else is current) and the handler's first step runs in a fresh copy of the
   caller's context, as a new task would run it;
2. when the handler finishes in that step (the common case) nothing else
   happens: no task step, no callback;
3. when it suspends on a future, the future is handed to the slot (its wake-up
   future is resolved) and the slot's task drives the handler from then on,
   running every step in the handler's own context, until it returns.

Cancellation keeps per-task semantics: a ``cancel()`` of the slot's task while
it runs a handler (our request timeout, a forced shutdown, the handler's own
cancel scope) is thrown into that handler. A slot whose task ever had a
cancellation requested (``Task.cancelling()``) is retired after its handler and a
fresh one is used, so a stale cancellation never reaches a later request. A slot
still running a handler when the next request starts (a handler that goes on
after its response) is retired too, and ends when that handler does.

A handler started while some task is current (a pipelined request started by the
previous handler's ``send``) gets its own task, as in :mod:`aio.server._eager`.
"""

from __future__ import annotations

import asyncio
import contextvars
import types
from collections.abc import Coroutine, Generator
from typing import Any

__all__ = ("HandlerRunner",)

Handler = Coroutine[Any, Any, None]

_enter_task = asyncio.tasks._enter_task
_leave_task = asyncio.tasks._leave_task
_current_task = asyncio.current_task


class _Slot:
    """A reusable task and the handler it drives, if any."""

    __slots__ = ("coro", "ctx", "first", "loop", "released", "task", "tasks", "wakeup")

    def __init__(
        self, loop: asyncio.AbstractEventLoop, tasks: set[asyncio.Task[None]]
    ) -> None:
        self.loop = loop
        self.tasks = tasks
        self.coro: Handler | None = None
        self.ctx: contextvars.Context | None = None
        self.first: Any = None
        self.released = False
        self.wakeup: asyncio.Future[None] = loop.create_future()
        body = _task_body(self)
        # Advance to the driver's first yield before the task exists, so a
        # cancellation that comes before the task's first step is thrown
        # where the driver can pass it on to a handler.
        body.send(None)
        self.task: asyncio.Task[None] = loop.create_task(body)
        # A handler that raises ends the task: it leaves the running set as a
        # per-request task would, when its done callbacks run.
        self.task.add_done_callback(tasks.discard)

    def finished(self, returned: bool) -> None:
        """The handler returned (or raised, ending the task): the slot may
        take the next one."""
        self.coro = None
        self.ctx = None
        self.first = None
        if returned:
            self.tasks.discard(self.task)
        if not self.released:
            self.wakeup = self.loop.create_future()

    def release(self) -> None:
        """End the task once it has no handler."""
        self.released = True
        if self.coro is None and not self.wakeup.done():
            self.wakeup.set_result(None)


@types.coroutine
def _drive(slot: _Slot) -> Generator[Any, None, None]:
    thrown: BaseException | None = None
    try:
        yield None  # where start-up left it; the task's first step resumes here
    except BaseException as exc:
        thrown = exc
    while True:
        coro = slot.coro
        if coro is None:
            if thrown is not None:
                raise thrown  # cancelled with no handler to give it to
            if slot.released or slot.task.cancelling():
                return
            try:
                yield from slot.wakeup  # a handler suspended: it is ours now
            except BaseException as exc:
                thrown = exc
            continue
        ctx = slot.ctx
        assert ctx is not None
        value = slot.first
        returned = False
        try:
            if thrown is not None:
                error, thrown = thrown, None
                value = ctx.run(coro.throw, error)
            while True:
                try:
                    yield value
                except BaseException as exc:
                    value = ctx.run(coro.throw, exc)
                else:
                    value = ctx.run(coro.send, None)
        except StopIteration:
            returned = True
        finally:
            slot.finished(returned)


async def _task_body(slot: _Slot) -> None:
    await _drive(slot)


class HandlerRunner:
    """Starts one connection's handlers eagerly on a reusable task.

    :param loop: the connection's event loop.
    :param tasks: the server's set of running handler tasks: a task is in it
        while it drives a handler that suspended.
    """

    __slots__ = ("loop", "slot", "tasks")

    def __init__(
        self, loop: asyncio.AbstractEventLoop, tasks: set[asyncio.Task[None]]
    ) -> None:
        self.loop = loop
        self.tasks = tasks
        self.slot: _Slot | None = None

    def start(self, coro: Handler) -> asyncio.Task[None] | None:
        """Run ``coro``'s first step now.

        :returns: the task that runs the rest of it, or ``None`` when it
            finished in that step.
        """
        loop = self.loop
        tasks = self.tasks
        if _current_task(loop) is not None:
            task = loop.create_task(coro)
            tasks.add(task)
            task.add_done_callback(tasks.discard)
            return task
        slot = self.slot
        if (
            slot is None
            or slot.coro is not None
            or slot.task.done()
            or slot.task.cancelling()
        ):
            if slot is not None:
                slot.release()
            slot = self.slot = _Slot(loop, tasks)
        task = slot.task
        ctx = contextvars.copy_context()
        _enter_task(loop, task)
        try:
            first = ctx.run(coro.send, None)
        except StopIteration:
            return None
        finally:
            _leave_task(loop, task)
        slot.coro = coro
        slot.ctx = ctx
        slot.first = first
        tasks.add(task)
        wakeup = slot.wakeup
        if not wakeup.done():
            wakeup.set_result(None)
        return task

    def close(self) -> None:
        """The connection is gone: let the idle task end (a busy one ends
        after its handler)."""
        slot = self.slot
        if slot is not None:
            self.slot = None
            slot.release()
