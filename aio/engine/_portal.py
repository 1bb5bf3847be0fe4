"""The portal: blocking calls into the shared background loop, from any thread.

Theory of operation
-------------------
A blocking call has two sides. The *caller* (any thread but the loop thread)
allocates a :class:`_Waiter` (a pre-acquired ``threading.Lock`` plus result slots),
queues one callback on the background loop with ``call_soon_threadsafe``, and blocks
on the lock. On the *loop thread* the callback calls the async function and wraps
the coroutine in a task that fills the waiter and releases the lock itself (no
done-callback: that would cost one more loop iteration). That is the whole fast
path: one wake-up of the loop, one task, one lock hand-off; no
``concurrent.futures.Future``, no condition variable, no anyio machinery.
``benchmarks/portal.py`` measures it against the alternatives.

Invariants:

- **Never on the loop thread.** A blocking call there would wait for the loop it
  is blocking: it raises :class:`EngineThreadError` naming the async API instead.
  Any *other* thread may call, including one running its own event loop (a
  notebook): that loop is blocked for the duration, as the original library would.
- **Every waiter is released.** Callbacks are queued under the background loop's
  admission lock onto the current generation only (see
  :mod:`aio.engine._background`); a callback that finds its loop closing releases
  its waiter with :class:`~aio.errors.ClosedResourceError`.
- **Exceptions are re-raised unchanged**, with the traceback they had on the loop
  (so the async frames appear below the caller's).
- **Interrupts cancel.** If the waiting thread is interrupted (Ctrl-C raises
  ``KeyboardInterrupt`` in the main thread), the task is cancelled on the loop, the
  caller waits for the cancellation to finish (so cleanup has run), then the
  interrupt propagates. The cancel callback is queued after the start callback by
  the same thread, so it always finds the task.
- **One task per async context.** An async context manager is entered and exited
  in the *same* task, which stays parked between the two (anyio cancel scopes and
  task groups require this).
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections import deque
from collections.abc import AsyncIterable, AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from types import TracebackType
from typing import Any, Final, Generic, ParamSpec, TypeVar, final

from aio.engine._background import BACKGROUND, BackgroundLoop, LoopThread
from aio.engine._errors import EngineThreadError
from aio.errors import ClosedResourceError

__all__ = ("BlockingContextManager", "BlockingIterator", "Portal", "portal")

T = TypeVar("T")
P = ParamSpec("P")

_get_ident: Final = threading.get_ident
_allocate_lock: Final = threading.Lock

# Tasks parked in an open async context (see BlockingContextManager._hold).
_held_tasks: set[asyncio.Task[Any]] = set()
# A forked child has no loop thread: those tasks will never run there.
os.register_at_fork(after_in_child=_held_tasks.clear)

_ExcInfo = tuple[type[BaseException] | None, BaseException | None, TracebackType | None]


@final
class _Waiter:
    """A one-shot rendezvous between a blocked caller and the loop thread."""

    __slots__ = ("done", "exc", "task", "value")

    def __init__(self) -> None:
        self.done = _allocate_lock()
        self.done.acquire()
        self.value: Any = None
        self.exc: BaseException | None = None
        #: The task doing the work, once the loop thread has started it.
        self.task: asyncio.Future[Any] | None = None

    def fail(self, exc: BaseException) -> None:
        self.exc = exc
        self.done.release()

    def succeed(self, value: object) -> None:
        self.value = value
        self.done.release()


def _closing_error() -> ClosedResourceError:
    return ClosedResourceError("the aio engine's background loop is shutting down")


def _start_task(
    generation: LoopThread,
    waiter: _Waiter,
    fn: Callable[..., Awaitable[Any]],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> None:
    # Loop thread. Catching BaseException is deliberate: this is a loop callback,
    # not a task, so nothing here is a cancellation; anything `fn` raises
    # synchronously must reach the caller rather than stop the loop and leave the
    # caller blocked forever.
    if generation.closing:
        waiter.fail(_closing_error())
        return
    try:
        waiter.task = generation.loop.create_task(_drive(waiter, fn(*args, **kwargs)))
    except BaseException as exc:
        waiter.fail(exc)


async def _drive(waiter: _Waiter, awaitable: Awaitable[Any]) -> None:
    # The task of one portal call. It releases the caller itself, the moment the
    # result is known, instead of through a done-callback: that would cost one
    # more loop iteration per call. Exceptions are handed over, not re-raised
    # (nobody else would retrieve them), except cancellation and the other
    # BaseExceptions, which must still end the task as asyncio expects.
    try:
        waiter.value = await awaitable
    except Exception as exc:
        waiter.fail(exc)
    except BaseException as exc:
        waiter.fail(exc)
        raise
    else:
        waiter.done.release()


def _run_sync(
    generation: LoopThread,
    waiter: _Waiter,
    fn: Callable[..., Any],
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
) -> None:
    # Loop thread; see _start_task for why BaseException.
    if generation.closing:
        waiter.fail(_closing_error())
        return
    try:
        value = fn(*args, **kwargs)
    except BaseException as exc:
        waiter.fail(exc)
        return
    waiter.succeed(value)


def _cancel(waiter: _Waiter) -> None:
    # Loop thread, queued by the caller after its start callback, if that was
    # queued at all: callbacks run in order, so the starter has either started a
    # task, or released the waiter, or was never queued (interrupted first).
    if waiter.task is not None:
        waiter.task.cancel()
    elif waiter.done.locked():
        waiter.fail(KeyboardInterrupt())


def _resolve(future: asyncio.Future[Any], value: object) -> None:
    if not future.done():
        future.set_result(value)


def _public_name(fn: Callable[..., Any]) -> str:
    """``aio.redis.Redis.get`` for a method defined in ``aio.redis._client``."""
    module = getattr(fn, "__module__", None) or ""
    parts: list[str] = []
    for part in module.split("."):
        if part.startswith("_"):
            break  # private modules are re-exported by their package
        parts.append(part)
    qualname = getattr(fn, "__qualname__", None) or repr(fn)
    return ".".join([*parts, qualname]) if parts else qualname


def _thread_error(fn: Callable[..., Any]) -> EngineThreadError:
    name = _public_name(fn)
    return EngineThreadError(
        f"blocking call to {name} on the aio engine's own loop thread, where it "
        f"would deadlock; this code runs on that loop, so use the async API "
        f"instead: `await {name}(...)`"
    )


@final
class Portal:
    """Blocking access to the shared background loop. Get it with :func:`portal`.

    Every method may be called from any thread except the engine's loop thread.

    .. versionadded:: 0.1
    """

    __slots__ = ("_bg",)

    def __init__(self, background: BackgroundLoop = BACKGROUND) -> None:
        self._bg = background

    def _submit(
        self,
        starter: Callable[..., None],
        fn: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        waiter: _Waiter,
    ) -> LoopThread:
        bg = self._bg
        current = bg.current
        if current is not None and current.ident == _get_ident():
            raise _thread_error(fn)
        generation: LoopThread | None = None
        try:
            with bg.lock:  # admission: see aio.engine._background
                generation = bg.current or bg.start_locked()
                generation.loop.call_soon_threadsafe(
                    starter, generation, waiter, fn, args, kwargs
                )
        except BaseException as exc:
            # An interrupt can land inside call_soon_threadsafe, after the
            # callback was queued: the work may be running. Cancel it.
            if generation is not None and not isinstance(exc, Exception):
                self._abandon(waiter, generation)
            raise
        return generation

    def _abandon(self, work: _Waiter, generation: LoopThread) -> None:
        """After an interrupt: cancel ``work`` on the loop and wait until it ended."""
        with self._bg.lock:
            retired = self._bg.current is not generation
            if not retired:
                generation.loop.call_soon_threadsafe(_cancel, work)
        if not retired:  # a retired generation cancels and releases everything
            work.done.acquire()

    def _wait(
        self, waiter: _Waiter, generation: LoopThread, work: _Waiter | None = None
    ) -> Any:
        """Block until ``waiter`` is released; return its value or raise its error.

        ``work`` is the waiter whose task does the work (``waiter`` itself unless
        the caller waits for an intermediate step); it is what an interrupt cancels.
        """
        try:
            waiter.done.acquire()
        except BaseException:
            # Interrupted (KeyboardInterrupt): cancel the work on the loop and
            # wait for the cancellation to land, so cleanup has run, then re-raise.
            self._abandon(work or waiter, generation)
            raise
        exc = waiter.exc
        if exc is not None:
            waiter.exc = None  # do not keep the traceback (and its frames) alive
            if generation.closing and isinstance(exc, asyncio.CancelledError):
                # For a blocking caller this is not a cancellation it asked for:
                # the engine stopped under it.
                raise ClosedResourceError(
                    "the aio engine's background loop stopped during this call"
                ) from exc
            try:
                raise exc
            finally:
                del exc
        return waiter.value

    def call(
        self, fn: Callable[P, Awaitable[T]], /, *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """Run ``await fn(*args, **kwargs)`` on the background loop and block for it.

        :param fn: an async function (or any callable returning an awaitable).
        :returns: what the awaitable returned.
        :raises EngineThreadError: called on the engine's own loop thread.
        :raises BaseException: whatever ``fn`` raised, unchanged, traceback included.
        :raises KeyboardInterrupt: the wait was interrupted; the operation was
            cancelled on the loop before this propagates.
        """
        waiter = _Waiter()
        generation = self._submit(_start_task, fn, args, kwargs, waiter)
        result: T = self._wait(waiter, generation)
        return result

    def run_sync(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> T:
        """Call the plain function ``fn(*args, **kwargs)`` on the loop thread.

        For code that must touch loop-bound state without awaiting anything.

        :raises EngineThreadError: called on the engine's own loop thread.
        """
        waiter = _Waiter()
        generation = self._submit(_run_sync, fn, args, kwargs, waiter)
        result: T = self._wait(waiter, generation)
        return result

    def enter_async_context(
        self, cm: AbstractAsyncContextManager[T]
    ) -> BlockingContextManager[T]:
        """Wrap an async context manager as a blocking one.

        Nothing happens until the result is entered with ``with``; ``__aenter__``
        and ``__aexit__`` then run in one task on the loop.
        """
        return BlockingContextManager(self, cm)

    def iterate(
        self, iterable: AsyncIterable[T], batch: int = 1
    ) -> BlockingIterator[T]:
        """Wrap an async iterable as a blocking iterator.

        :param batch: how many items one round trip to the loop fetches. Larger
            batches amortise the cost of the round trip but wait for ``batch`` items
            (or the end) before returning any: keep 1 for live streams (pub/sub,
            notifications), raise it for result sets.
        """
        return BlockingIterator(self, iterable, batch)


@final
class BlockingContextManager(Generic[T]):
    """A blocking context manager over an async one; see :meth:`Portal.enter_async_context`.

    Not reentrant: each instance can be entered once at a time.
    """

    __slots__ = ("_cm", "_exit_requested", "_generation", "_portal", "_work")

    def __init__(self, portal: Portal, cm: AbstractAsyncContextManager[T]) -> None:
        self._portal = portal
        self._cm = cm
        self._generation: LoopThread | None = None
        self._work: _Waiter | None = None
        self._exit_requested: asyncio.Future[_ExcInfo] | None = None

    async def _hold(self, entered: _Waiter) -> bool:
        # The one task that owns the async context for its whole lifetime. The
        # loop keeps only weak references to tasks, and a caller may drop this
        # object while the context is open: hold the task strongly until it ends.
        task = asyncio.current_task()
        assert task is not None
        _held_tasks.add(task)
        try:
            self._exit_requested = asyncio.get_running_loop().create_future()
            try:
                value = await self._cm.__aenter__()
            except BaseException as exc:
                entered.fail(exc)
                raise
            entered.succeed(value)
            try:
                exc_info = await self._exit_requested
            except BaseException as exc:
                # Cancelled while the `with` body runs (the engine is stopping):
                # leave the context as `async with` would, then propagate.
                await self._cm.__aexit__(type(exc), exc, exc.__traceback__)
                raise
            return bool(await self._cm.__aexit__(*exc_info))
        finally:
            _held_tasks.discard(task)

    def __enter__(self) -> T:
        if self._work is not None:
            raise RuntimeError("this context manager is already entered")
        entered, work = _Waiter(), _Waiter()
        self._work = work
        try:
            self._generation = self._portal._submit(
                _start_task, self._hold, (entered,), {}, work
            )
            value: T = self._portal._wait(entered, self._generation, work)
        except BaseException:
            self._work = None
            raise
        return value

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> bool:
        work, generation, exit_requested = (
            self._work,
            self._generation,
            self._exit_requested,
        )
        if work is None or generation is None or exit_requested is None:
            raise RuntimeError("this context manager is not entered")
        self._work = self._generation = self._exit_requested = None
        bg = self._portal._bg
        try:
            with bg.lock:
                # A retired generation has cancelled the task already: collect.
                if bg.current is generation:
                    generation.loop.call_soon_threadsafe(
                        _resolve, exit_requested, (exc_type, exc, tb)
                    )
        except BaseException as interrupt:
            if not isinstance(interrupt, Exception):  # see Portal._submit
                self._portal._abandon(work, generation)
            raise
        suppress: bool = self._portal._wait(work, generation)
        return suppress


@final
class BlockingIterator(Generic[T]):
    """A blocking iterator over an async iterable; see :meth:`Portal.iterate`.

    Close it (or use it as a context manager) when abandoning it early, so that an
    async generator runs its ``finally`` blocks now rather than at garbage collection.
    """

    __slots__ = (
        "_aiter",
        "_batch",
        "_buffer",
        "_error",
        "_finished",
        "_iterable",
        "_portal",
    )

    def __init__(self, portal: Portal, iterable: AsyncIterable[T], batch: int) -> None:
        if batch < 1:
            raise ValueError(f"batch must be at least 1, got {batch}")
        self._portal = portal
        self._iterable = iterable
        self._batch = batch
        self._aiter: AsyncIterator[T] | None = None
        self._buffer: deque[T] = deque()
        self._error: Exception | None = None
        self._finished = False

    async def _fetch(self) -> tuple[list[T], bool, Exception | None]:
        # Returns (items, exhausted, error raised after those items).
        ait = self._aiter
        if ait is None:
            ait = self._aiter = aiter(self._iterable)
        items: list[T] = []
        try:
            while len(items) < self._batch:
                items.append(await anext(ait))
        except StopAsyncIteration:
            return items, True, None
        except Exception as exc:
            if not items:
                raise
            return items, False, exc  # deliver the items that came first
        return items, False, None

    def __iter__(self) -> BlockingIterator[T]:
        return self

    def __next__(self) -> T:
        if self._buffer:
            return self._buffer.popleft()
        if self._error is not None:
            error, self._error = self._error, None
            self._finished = True
            raise error
        if self._finished:
            raise StopIteration
        try:
            items, exhausted, self._error = self._portal.call(self._fetch)
        except BaseException:
            self._finished = True
            raise
        self._finished = exhausted
        self._buffer.extend(items)
        return self.__next__()

    def close(self) -> None:
        """Stop iterating and close the async iterator (``aclose``) if it has one."""
        if self._finished and self._error is None:
            return
        self._finished = True
        self._error = None
        self._buffer.clear()
        aclose = getattr(self._aiter, "aclose", None)
        if aclose is not None:
            self._portal.call(aclose)

    def __enter__(self) -> BlockingIterator[T]:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


_PORTAL: Final = Portal()


def portal() -> Portal:
    """The portal to the process-wide background loop (starts it on first use).

    .. versionadded:: 0.1
    """
    return _PORTAL
