"""The multi-database client's events and the listeners it registers itself, as
redis-py's ``redis.asyncio.multidb.event``; the dispatcher and the generic
events are in :mod:`aio.redis.multidb.dispatcher`, re-exported here.

:class:`AsyncActiveDatabaseChanged` fires after the active database changed
(failover, fallback, or a manual change); the client's own listeners then close
the old database's connections and move an open pub/sub to the new database.
Register more listeners on ``MultiDbConfig.event_dispatcher`` to be told too.

.. versionadded:: 0.1
"""

from __future__ import annotations

from typing import Any

from aio.redis.multidb.database import AsyncDatabase
from aio.redis.multidb.dispatcher import (
    AsyncEventListenerInterface,
    AsyncOnCommandsFailEvent,
    EventDispatcher,
    EventDispatcherInterface,
    EventListenerInterface,
    OnCommandsFailEvent,
)
from aio.redis.multidb.failure_detector import AsyncFailureDetector

__all__ = (
    "AsyncActiveDatabaseChanged",
    "AsyncEventListenerInterface",
    "AsyncOnCommandsFailEvent",
    "CloseConnectionOnActiveDatabaseChanged",
    "EventDispatcher",
    "EventDispatcherInterface",
    "EventListenerInterface",
    "OnCommandsFailEvent",
    "RegisterCommandFailure",
    "ResubscribeOnActiveDatabaseChanged",
)


class AsyncActiveDatabaseChanged:
    """The active database changed from ``old_database`` to ``new_database``.

    :param command_executor: the client's command executor.
    :param kwargs: the arguments the client's pub/sub was made with.
    """

    def __init__(
        self,
        old_database: AsyncDatabase,
        new_database: AsyncDatabase,
        command_executor: Any,
        **kwargs: Any,
    ) -> None:
        self._old_database = old_database
        self._new_database = new_database
        self._command_executor = command_executor
        self._kwargs = kwargs

    @property
    def old_database(self) -> AsyncDatabase:
        """The database that was active."""
        return self._old_database

    @property
    def new_database(self) -> AsyncDatabase:
        """The database now active."""
        return self._new_database

    @property
    def command_executor(self) -> Any:
        """The executor whose active database changed."""
        return self._command_executor

    @property
    def kwargs(self) -> dict[str, Any]:
        """The pub/sub arguments (for re-subscribing on the new database)."""
        return self._kwargs


class ResubscribeOnActiveDatabaseChanged(AsyncEventListenerInterface):
    """Move the client's pub/sub, with its subscriptions and handlers, to the new
    active database, and close the old one."""

    async def listen(self, event: object) -> None:
        assert isinstance(event, AsyncActiveDatabaseChanged)
        executor = event.command_executor
        old = executor.active_pubsub
        if old is None:
            return
        new = event.new_database.client.pubsub(**event.kwargs)
        new.channels = dict(old.channels)
        new.patterns = dict(old.patterns)
        new.shard_channels = dict(getattr(old, "shard_channels", {}))
        executor.active_pubsub = new
        if new.subscribed:
            # The new connection subscribes to everything the old one had.
            await new.connect()
            if new.connection is not None:
                await new.on_connect(new.connection)
        await old.aclose()


class CloseConnectionOnActiveDatabaseChanged(AsyncEventListenerInterface):
    """Close the connections of the database that stopped being active (a
    failed-over database's pooled sockets would otherwise linger)."""

    async def listen(self, event: object) -> None:
        assert isinstance(event, AsyncActiveDatabaseChanged)
        await event.old_database.client.aclose()


class RegisterCommandFailure(AsyncEventListenerInterface):
    """Hand failed commands to the failure detectors."""

    def __init__(
        self,
        failure_detectors: list[AsyncFailureDetector],
        command_executor: object = None,
    ) -> None:
        self._failure_detectors = failure_detectors
        self._command_executor = command_executor

    async def listen(self, event: object) -> None:
        assert isinstance(event, OnCommandsFailEvent)
        source = getattr(event, "command_executor", None)
        if None not in (source, self._command_executor) and (
            source is not self._command_executor
        ):
            return  # another client's failure (the dispatcher is shared)
        for detector in self._failure_detectors:
            await detector.register_failure(event.exception, event.commands)
