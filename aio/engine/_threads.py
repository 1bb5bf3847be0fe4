"""Running blocking functions in worker threads, bounded.

Theory of operation
-------------------
Async code must never block its loop, so blocking work (file I/O, DNS through a
C library, a user's sync callback) goes to a worker thread. anyio already keeps a
pool of reusable workers per loop behind a :class:`~anyio.CapacityLimiter`; this
module is the engine's single doorway to it so that every component offloads the
same way, and so that the bound (the limiter's ``total_tokens``, 40 by default,
per event loop) is one knob: ``thread_limiter().total_tokens = n``.

Cancelling the awaiting task does not interrupt a running thread (Python cannot);
by default the task waits for the function to finish, so no work outlives the
scope that started it. ``abandon_on_cancel=True`` returns immediately instead and
lets the thread run on unobserved.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar, TypeVarTuple

import anyio.to_thread
from anyio import CapacityLimiter

__all__ = ("thread_limiter", "to_thread")

T = TypeVar("T")
Ts = TypeVarTuple("Ts")


def thread_limiter() -> CapacityLimiter:
    """The limiter bounding :func:`to_thread` on the current event loop.

    Must be called from async code. Adjust ``total_tokens`` to change the bound.
    """
    return anyio.to_thread.current_default_thread_limiter()


async def to_thread(
    fn: Callable[[*Ts], T],
    *args: *Ts,
    abandon_on_cancel: bool = False,
    limiter: CapacityLimiter | None = None,
) -> T:
    """Run ``fn(*args)`` in a worker thread and return its result.

    :param fn: a blocking function.
    :param args: its positional arguments (use :func:`functools.partial` for keywords).
    :param abandon_on_cancel: when the caller is cancelled, stop waiting instead of
        waiting for ``fn`` to finish.
    :param limiter: bound the concurrency with this limiter instead of the default
        one (:func:`thread_limiter`).
    :raises BaseException: whatever ``fn`` raised.
    :returns: what ``fn`` returned.

    .. versionadded:: 0.1
    """
    return await anyio.to_thread.run_sync(
        fn, *args, abandon_on_cancel=abandon_on_cancel, limiter=limiter
    )
