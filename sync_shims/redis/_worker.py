"""The read loop shared by the blocking ``run_in_thread`` workers.

redis-py's ``PubSubWorkerThread`` (``PubSub.run_in_thread``) and
``KeyspaceWorkerThread`` (``keyspace_notifications().run_in_thread``) run one
loop over different sources: read with a timeout, so that the handlers run in
the worker, until ``stop()``; give each error to ``exception_handler`` (or let
it end the thread); close the source once stopped. :class:`PollingThread` is
that loop; a subclass says what its source is and how one read is made.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Generic, Protocol, Self, TypeVar


class _Closable(Protocol):
    def close(self) -> None: ...


SourceT = TypeVar("SourceT", bound=_Closable)


class PollingThread(threading.Thread, ABC, Generic[SourceT]):
    """Reads from a source until :meth:`stop`, then closes it.

    :param daemon: make the thread a daemon.
    :param exception_handler: called with an error, the source and the thread;
        without one, the error ends the thread (and the source stays open).
    """

    #: Looked up on every error, so that it may be replaced while running.
    exception_handler: Callable[[BaseException, SourceT, Self], None] | None

    def __init__(
        self,
        daemon: bool,
        exception_handler: Callable[[BaseException, SourceT, Self], None] | None,
    ) -> None:
        super().__init__()
        self.daemon = daemon
        self.exception_handler = exception_handler
        self._running = threading.Event()

    @abstractmethod
    def _start_reading(self) -> tuple[SourceT, Callable[[], object]]:
        """The source and a function making one read of it, taken once when the
        loop starts (redis-py reads the source and timeout attributes there)."""

    def run(self: Self) -> None:
        """Read until stopped, then close the source."""
        if self._running.is_set():  # a second run() of a running thread
            return
        self._running.set()
        source, read_once = self._start_reading()
        while self._running.is_set():
            try:
                read_once()
            # BaseException, not Exception as elsewhere in aio, for redis-py
            # parity: handlers run inside the read, and redis-py gives what they
            # raise, SystemExit and KeyboardInterrupt included, to the exception
            # handler (and the loop goes on unless that raises). No cancellation
            # is swallowed: this is a plain thread, and the portal has cancelled
            # an interrupted read on the loop, and waited for it, before the
            # KeyboardInterrupt comes out of the read.
            except BaseException as exc:
                if self.exception_handler is None:
                    raise
                self.exception_handler(exc, source, self)
        source.close()

    def stop(self) -> None:
        """Stop after the current read (at most its timeout); the thread then
        closes the source."""
        self._running.clear()
