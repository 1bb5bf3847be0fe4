"""Run a request handler eagerly: no task unless it actually has to wait.

Most handlers of small requests never suspend: they read a body that is already
here and write a response that fits in the socket buffer. Creating a task for
them costs a task object, a ``call_soon`` and an event-loop turn, and delays the
response to the next turn. :func:`start_eagerly` runs the coroutine's first step
right away (as Python 3.12's eager task factory does) in a copy of the current
context, exactly as a task would; only when the coroutine suspends does it
become a task, which resumes it where it stopped.

The hand-over works because a coroutine awaiting a future yields that future:
the task created here yields the same object again, so the task waits on it
with its usual machinery (wake-up callback, cancellation of the awaited
future), and then delegates to the coroutine with ``yield from``.
"""

from __future__ import annotations

import asyncio
import contextvars
import types
from collections.abc import Coroutine, Generator
from typing import Any


@types.coroutine
def _continue(
    coro: Coroutine[Any, Any, None], first: Any
) -> Generator[Any, None, None]:
    while True:
        try:
            yield first
        except BaseException as exc:
            # Cancelled (or another throw) while waiting on ``first``: pass it
            # in, as the task would have done.
            try:
                first = coro.throw(exc)
            except StopIteration:
                return
            continue
        yield from coro.__await__()
        return


async def _resume(coro: Coroutine[Any, Any, None], first: Any) -> None:
    await _continue(coro, first)


def start_eagerly(
    loop: asyncio.AbstractEventLoop, coro: Coroutine[Any, Any, None]
) -> asyncio.Task[None] | None:
    """Run ``coro`` until it first suspends; then hand it to a new task.

    :returns: ``None`` when the coroutine finished without suspending, else the
        task now running it.
    """
    context = contextvars.copy_context()
    try:
        first = context.run(coro.send, None)
    except StopIteration:
        return None
    return loop.create_task(_resume(coro, first), context=context)
