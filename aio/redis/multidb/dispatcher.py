"""Events and their listeners, as redis-py's ``redis.event`` has them for the
multi-database client: a dispatcher maps an event class to the listeners of
that exact class, and ``dispatch``/``dispatch_async`` call them in order.

A listener that raises stops the dispatch and the error propagates to whoever
fired the event (as in redis-py).

.. versionadded:: 0.1
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from typing import TypeAlias

__all__ = (
    "AsyncEventListenerInterface",
    "AsyncOnCommandsFailEvent",
    "EventDispatcher",
    "EventDispatcherInterface",
    "EventListenerInterface",
    "Listener",
    "OnCommandsFailEvent",
)


class EventListenerInterface(ABC):
    """A listener called with the event in the thread that fires it."""

    @abstractmethod
    def listen(self, event: object) -> None:
        """React to ``event``."""


class AsyncEventListenerInterface(ABC):
    """A listener awaited with the event on the client's loop."""

    @abstractmethod
    async def listen(self, event: object) -> None:
        """React to ``event``."""


Listener: TypeAlias = EventListenerInterface | AsyncEventListenerInterface


class EventDispatcherInterface(ABC):
    """Fires events at the listeners registered for their class."""

    @abstractmethod
    def dispatch(self, event: object) -> None:
        """Call the (blocking) listeners of ``type(event)``."""

    @abstractmethod
    async def dispatch_async(self, event: object) -> None:
        """Await the (async) listeners of ``type(event)``."""

    @abstractmethod
    def register_listeners(
        self, mappings: Mapping[type[object], Sequence[Listener]]
    ) -> None:
        """Add listeners per event class."""

    @abstractmethod
    def unregister_listeners(
        self, mappings: Mapping[type[object], Sequence[Listener]]
    ) -> None:
        """Remove listeners (by identity) per event class."""


class EventDispatcher(EventDispatcherInterface):
    """The default dispatcher.

    :param event_listeners: listeners to register at once.
    """

    def __init__(
        self,
        event_listeners: Mapping[type[object], Sequence[Listener]] | None = None,
    ) -> None:
        self._listeners: dict[type[object], list[Listener]] = {}
        # Re-entrant: a listener may register or dispatch again.
        self._lock = threading.RLock()
        if event_listeners:
            self.register_listeners(event_listeners)

    def _snapshot(self, event: object) -> list[Listener]:
        # Listeners run outside the lock, on a copy: one may change the mapping.
        with self._lock:
            return list(self._listeners.get(type(event), ()))

    def dispatch(self, event: object) -> None:
        for listener in self._snapshot(event):
            if isinstance(listener, AsyncEventListenerInterface):
                raise TypeError(
                    f"{type(listener).__name__} is async: fire "
                    f"{type(event).__name__} with dispatch_async"
                )
            listener.listen(event)

    async def dispatch_async(self, event: object) -> None:
        for listener in self._snapshot(event):
            result = listener.listen(event)
            if result is not None:
                await result

    def register_listeners(
        self, mappings: Mapping[type[object], Sequence[Listener]]
    ) -> None:
        with self._lock:
            for event_type, listeners in mappings.items():
                current = self._listeners.setdefault(event_type, [])
                # A listener registered twice is called once (redis-py keeps a set).
                current.extend(x for x in listeners if all(x is not y for y in current))

    def unregister_listeners(
        self, mappings: Mapping[type[object], Sequence[Listener]]
    ) -> None:
        with self._lock:
            for event_type, to_remove in mappings.items():
                current = self._listeners.get(event_type)
                if current:
                    self._listeners[event_type] = [
                        x for x in current if all(x is not y for y in to_remove)
                    ]


class OnCommandsFailEvent:
    """Fired when a command (or a pipeline, a transaction, a pub/sub call) fails."""

    def __init__(self, commands: tuple[object, ...], exception: Exception) -> None:
        self._commands = commands
        self._exception = exception

    @property
    def commands(self) -> tuple[object, ...]:
        """The command's words (or the pipeline's command stack)."""
        return self._commands

    @property
    def exception(self) -> Exception:
        """What it failed with."""
        return self._exception


class AsyncOnCommandsFailEvent(OnCommandsFailEvent):
    """:class:`OnCommandsFailEvent` of the asyncio client.

    :param command_executor: the executor whose command failed (clients made
        from one config share its dispatcher: each counts its own failures).
    """

    def __init__(
        self,
        commands: tuple[object, ...],
        exception: Exception,
        command_executor: object = None,
    ) -> None:
        super().__init__(commands, exception)
        self._command_executor = command_executor

    @property
    def command_executor(self) -> object:
        """The executor whose command failed (None: not told)."""
        return self._command_executor
