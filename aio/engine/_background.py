"""The shared background loop: one daemon thread per process for every sync facade.

Theory of operation
-------------------
Blocking facades (``sync_shims``) need an event loop that runs while the calling
code is blocked. Instead of one loop per facade object, the whole process shares
one: a daemon thread named ``aio-engine`` that runs the engine's loop forever.
The :mod:`portal <aio.engine._portal>` schedules work on it from other threads.

Lifecycle and invariants:

- **Lazy start.** Nothing runs until the first blocking call. :meth:`BackgroundLoop.start`
  is guarded by a lock, so concurrent first calls start exactly one thread.
- **A root task.** The thread runs ``loop.run_until_complete(root)`` where ``root``
  waits for a stop request. Having a real root task matters to anyio: its worker
  threads (``to_thread``) are tied to the root task and are reused across calls,
  and they stop when it ends. Those workers are started *from* the loop thread and
  so inherit its daemon flag: they never hold up interpreter exit.
- **Generations and admission.** Each start creates a :class:`LoopThread` (loop +
  thread). Callers schedule onto a generation only while holding ``lock`` and only
  if it is still ``current``; :meth:`BackgroundLoop.stop` retires it under the same
  lock *before* asking it to stop. So every callback a caller managed to schedule
  is run by the final drain before the loop closes, and the callback refuses to
  start work once the generation is ``closing``: no caller waits forever, no task
  is destroyed while pending.
- **Clean stop at exit.** An ``atexit`` hook (registered on first start) asks the
  root task to finish, then the thread cancels every remaining task and waits for
  them, finalises async generators, shuts the default executor down, closes the
  loop, and the hook joins the thread. ``atexit`` runs after the interpreter has
  joined the non-daemon threads, so threads still using facades are done by then;
  hooks registered after the engine started (e.g. ``atexit.register(client.close)``)
  run before ours, because ``atexit`` is last-in first-out.
- **Fork.** A child process inherits the memory but not the thread. An
  ``os.register_at_fork(after_in_child=...)`` hook forgets the parent's loop (it
  is kept referenced, not closed: it still looks "running" and the parent owns
  it) and resets the lock; the child's first blocking call starts a fresh thread.
  Objects created against the parent's loop (connections, pools) cannot be used
  in the child; create new ones there.
"""

from __future__ import annotations

import asyncio
import atexit
import logging
import os
import threading
from collections.abc import Callable
from typing import Final, final

from aio.engine._loop import new_event_loop
from aio.errors import ClosedResourceError

__all__ = ("BACKGROUND", "BackgroundLoop", "LoopThread")

logger = logging.getLogger("aio.engine")

#: How long the exit hook waits for the loop thread to finish its cleanup.
SHUTDOWN_TIMEOUT: Final = 10.0

# Loops abandoned in a forked child. Keeping them referenced stops the garbage
# collector from finalising a loop that still believes it is running (which would
# warn about an unclosed loop, or try to close what the parent owns).
_abandoned: list[asyncio.AbstractEventLoop] = []


@final
class LoopThread:
    """One generation of the background loop: a loop and the thread running it."""

    __slots__ = ("closing", "ident", "loop", "stop_requested", "thread")

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        target: Callable[[LoopThread], None],
    ) -> None:
        self.loop = loop
        self.thread = threading.Thread(
            target=target, args=(self,), name="aio-engine", daemon=True
        )
        #: ``threading.get_ident()`` of the loop thread, for the deadlock check;
        #: set once the thread has started.
        self.ident: int | None = None
        #: Set on the loop thread when shutdown begins; scheduled callbacks that
        #: see it refuse to start work.
        self.closing = False
        self.stop_requested: asyncio.Future[None] = loop.create_future()


@final
class BackgroundLoop:
    """The process-wide loop thread. Use the :data:`BACKGROUND` singleton.

    Callers schedule on ``current.loop`` while holding ``lock`` and only if
    ``current`` is still the generation they looked at; :meth:`stop` retires a
    generation under the same lock. That is the admission rule that guarantees
    every scheduled callback runs before its loop closes.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        #: The running generation, or None before the first start and after a
        #: stop or a fork.
        self.current: LoopThread | None = None
        self._atexit_registered = False
        self._exiting = False

    # -- starting ---------------------------------------------------------------

    def start(self) -> LoopThread:
        """Return the running generation, starting a loop thread if needed.

        :raises aio.errors.ClosedResourceError: the interpreter is exiting and the
            loop has already been stopped.
        """
        with self.lock:
            return self.start_locked()

    def start_locked(self) -> LoopThread:
        """:meth:`start`, for a caller that already holds ``lock``."""
        if self.current is not None:
            return self.current
        if self._exiting:
            raise ClosedResourceError(
                "the aio engine's background loop has stopped: the interpreter is exiting"
            )
        generation = LoopThread(new_event_loop(), self._run)
        generation.thread.start()
        generation.ident = generation.thread.ident
        self.current = generation
        if not self._atexit_registered:
            atexit.register(self._at_exit)
            self._atexit_registered = True
        logger.debug("background loop started in thread %s", generation.ident)
        return generation

    def _run(self, generation: LoopThread) -> None:
        loop = generation.loop

        async def root() -> None:
            await generation.stop_requested

        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(root())
        finally:
            try:
                self._shutdown(generation)
            finally:
                asyncio.set_event_loop(None)
                loop.close()

    # -- stopping ---------------------------------------------------------------

    def _shutdown(self, generation: LoopThread) -> None:
        # Runs on the loop thread after the root task returned, so stop() has
        # already retired this generation: nobody can queue new callbacks. The
        # runs below drain those already queued; they see `closing` and release
        # their callers instead of starting tasks that would then be destroyed.
        loop = generation.loop
        generation.closing = True
        tasks = asyncio.all_tasks(loop)
        for task in tasks:
            task.cancel()
        if tasks:
            loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
            for task in tasks:
                if not task.cancelled() and task.exception() is not None:
                    logger.error(
                        "task failed while the background loop was stopping",
                        exc_info=task.exception(),
                    )
        loop.run_until_complete(loop.shutdown_asyncgens())
        loop.run_until_complete(loop.shutdown_default_executor())

    def stop(self, timeout: float | None = SHUTDOWN_TIMEOUT) -> None:
        """Stop the loop thread and wait for it; the next call starts a new one.

        Outstanding tasks are cancelled and awaited, so their cleanup runs.

        :param timeout: seconds to wait for the thread; ``None`` waits forever.
        """
        with self.lock:
            generation = self.current
            if generation is None:
                return
            if threading.get_ident() == generation.ident:
                raise RuntimeError("the background loop cannot be stopped from itself")
            self.current = None
        stop_requested = generation.stop_requested

        def request() -> None:
            if not stop_requested.done():
                stop_requested.set_result(None)

        generation.loop.call_soon_threadsafe(request)
        generation.thread.join(timeout)
        if generation.thread.is_alive():
            logger.warning(
                "the aio engine's loop thread did not stop within %s s", timeout
            )

    def _at_exit(self) -> None:
        with self.lock:
            self._exiting = True
        self.stop()

    # -- fork -------------------------------------------------------------------

    def _after_fork_in_child(self) -> None:
        # Only the forking thread survives in the child: the loop thread is gone,
        # and the lock may have been held by a thread that no longer exists.
        if self.current is not None:
            _abandoned.append(self.current.loop)
        self.lock = threading.Lock()
        self.current = None


#: The process-wide background loop.
BACKGROUND: Final = BackgroundLoop()

os.register_at_fork(after_in_child=BACKGROUND._after_fork_in_child)
