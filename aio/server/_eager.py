"""Run a request handler's first step eagerly, inside ``data_received``.

Most handlers of small requests never suspend: they read a body that is already
here and write a response that fits in the socket buffer. With a plain task the
handler only starts on the next event-loop turn, so its response waits a turn
too. Python 3.12 starts such tasks eagerly (``Task(..., eager_start=True)``); on
3.11 this module does the same by hand:

1. the task is created first, around a small driver coroutine that is advanced to
   its first ``yield`` before the task ever runs it;
2. the handler's first step runs right away, in the task's context and with the
   task entered as the *current task* (``asyncio.current_task()``,
   ``asyncio.timeout`` and anyio's cancel scopes work as in any task);
3. when the task's own first step comes, the driver either finishes (the
   handler is done), or hands the task the future the handler is waiting on and
   then delegates to the handler with ``yield from``. A cancellation that reached
   the task during the eager step is thrown into the handler at that point.

A handler started while another task is running (a pipelined request started by
the previous handler's ``send``) gets a plain task: only one task can be current.
"""

from __future__ import annotations

import asyncio
import contextvars
import sys
import types
from collections.abc import Coroutine, Generator
from typing import Any

Handler = Coroutine[Any, Any, None]


class _Cell:
    __slots__ = ("coro", "done", "first")

    def __init__(self, coro: Handler) -> None:
        self.coro = coro
        self.done = False
        self.first: Any = None


@types.coroutine
def _drive(cell: _Cell) -> Generator[Any, None, None]:
    # Advanced once by start_eagerly before the task exists: this yield is
    # where the task's first step resumes (or throws a cancellation into).
    thrown: BaseException | None = None
    try:
        yield None
    except BaseException as exc:
        thrown = exc
    coro = cell.coro
    if cell.done:
        if thrown is not None:
            raise thrown
        return
    first = cell.first
    while True:
        if thrown is not None:
            try:
                first = coro.throw(thrown)
            except StopIteration:
                return
            thrown = None
        try:
            yield first
        except BaseException as exc:
            thrown = exc
            continue
        break
    yield from coro.__await__()


async def _task_body(cell: _Cell) -> None:
    await _drive(cell)


def _start_311(
    loop: asyncio.AbstractEventLoop, coro: Handler
) -> asyncio.Task[None] | None:
    if asyncio.current_task(loop) is not None:
        return loop.create_task(coro)
    cell = _Cell(coro)
    body = _task_body(cell)
    body.send(None)  # to the driver's first yield
    context = contextvars.copy_context()
    task = loop.create_task(body, context=context)
    enter = asyncio.tasks._enter_task
    leave = asyncio.tasks._leave_task
    enter(loop, task)
    try:
        cell.first = context.run(coro.send, None)
    except StopIteration:
        cell.done = True
    except BaseException:
        cell.done = True
        raise
    finally:
        leave(loop, task)
    return None if cell.done else task


def _start_312(loop: asyncio.AbstractEventLoop, coro: Handler) -> asyncio.Task[None]:
    task_class: Any = asyncio.Task
    task: asyncio.Task[None] = task_class(coro, loop=loop, eager_start=True)
    return task


def start_eagerly(
    loop: asyncio.AbstractEventLoop, coro: Handler
) -> asyncio.Task[None] | None:
    """Start ``coro`` as a task whose first step runs now, in this call.

    :returns: the task, or ``None`` when the handler already finished (its task,
        if any, completes by itself and needs no tracking).
    """
    if sys.version_info >= (3, 12):
        task = _start_312(loop, coro)
        return None if task.done() else task
    return _start_311(loop, coro)
