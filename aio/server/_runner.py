"""Run request handlers eagerly, on a few tasks that a server reuses across requests.

Why: a handler must run inside a task (``asyncio.current_task()``, ``asyncio.timeout``
and anyio's cancel scopes need one), and its first step should run right away,
inside ``data_received``. Creating a task per request costs more than parsing the
request: the task object, its registration, a ``call_soon`` and one more event-loop
step even when the handler finished during its eager step. Most handlers finish
in that step, so one task can serve request after request.

How: each server owns one :class:`HandlerRunner`, which keeps a small pool of idle
*slots*: a slot is a task that waits on a future while idle. To start a handler:

1. an idle slot is taken (or made); its task is entered as the current task (it is
   suspended, so nothing else is current) and the handler's first step runs in a
   fresh copy of the caller's context, as a new task would run it;
2. when the handler finishes in that step (the common case) the slot goes back to
   the pool at once: no task step, no callback;
3. when it suspends on a future, the future is handed to the slot (its wake-up
   future is resolved) and the slot's task drives the handler from then on,
   running every step in the handler's own context, until it returns; then the
   slot goes back to the pool.

The pool belongs to the server, not to a connection: an idle keep-alive connection
holds no task (a task, its coroutine and its future are about 1.5 KiB, which used
to double the memory of an idle connection). The pool keeps at most
``max_idle`` slots; one more than that is let go when its handler ends.

Cancellation keeps per-task semantics: a ``cancel()`` of the slot's task while
it runs a handler (our request timeout, a forced shutdown, the handler's own
cancel scope) is thrown into that handler. A slot whose task ever had a
cancellation requested (``Task.cancelling()``) is retired after its handler and
never returns to the pool, so a stale cancellation never reaches a later request.

A handler started while some task is current (a pipelined request started by the
previous handler's ``send``) gets its own task, as a new task would run it.
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

    __slots__ = ("coro", "ctx", "first", "released", "runner", "task", "wakeup")

    def __init__(self, runner: HandlerRunner) -> None:
        loop = runner.loop
        self.runner = runner
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
        self.task.add_done_callback(runner.tasks.discard)

    def finished(self, returned: bool) -> None:
        """The handler returned (or raised, ending the task): back to the pool,
        unless the task is ending."""
        self.coro = None
        self.ctx = None
        self.first = None
        runner = self.runner
        if returned:
            runner.tasks.discard(self.task)
            if not self.task.cancelling():
                self.wakeup = runner.loop.create_future()
                runner.put_back(self)  # or released, when the pool is full
                return
        self.released = True

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
    """Starts a server's handlers eagerly on a pool of reusable tasks.

    :param loop: the server's event loop.
    :param tasks: the server's set of running handler tasks: a task is in it
        while it drives a handler that suspended.
    :param max_idle: how many idle slots (tasks) the pool keeps.
    """

    __slots__ = ("closed", "idle", "loop", "max_idle", "tasks")

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        tasks: set[asyncio.Task[None]],
        max_idle: int = 64,
    ) -> None:
        self.loop = loop
        self.tasks = tasks
        self.max_idle = max_idle
        self.idle: list[_Slot] = []
        self.closed = False

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
        idle = self.idle
        # A pooled slot is never released, and its task is done only after a
        # cancellation: cancelling() is the one check needed.
        slot = idle.pop() if idle else _Slot(self)
        task = slot.task
        while task.cancelling():
            # cancelled while idle (someone kept a reference to its task)
            slot.release()
            slot = idle.pop() if idle else _Slot(self)
            task = slot.task
        ctx = contextvars.copy_context()
        _enter_task(loop, task)
        try:
            first = ctx.run(coro.send, None)
        except StopIteration:
            if task.cancelling() or self.closed or len(idle) >= self.max_idle:
                slot.release()
            else:
                idle.append(slot)
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

    def put_back(self, slot: _Slot) -> None:
        """Return a slot whose handler returned to the pool (or end it: pool
        full, runner closed, or its task had a cancellation requested)."""
        if self.closed or len(self.idle) >= self.max_idle or slot.task.cancelling():
            slot.release()
        else:
            self.idle.append(slot)

    def close(self) -> None:
        """The server stops: end the idle tasks (a busy one ends after its
        handler) and keep no more."""
        self.closed = True
        idle, self.idle = self.idle, []
        for slot in idle:
            slot.release()
