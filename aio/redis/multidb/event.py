"""The multi-database client's events and the listeners it registers itself, as
redis-py's ``redis.asyncio.multidb.event``; the dispatcher and the generic
events are in :mod:`aio.redis.multidb.dispatcher`, re-exported here.

:class:`AsyncActiveDatabaseChanged` fires after the active database changed
(failover, fallback, or a manual change); the client's own listeners then close
the old database's connections and move an open pub/sub to the new database
(if the new database cannot be reached the pub/sub stays where it was, and is
moved on its next call).
Register more listeners on ``MultiDbConfig.event_dispatcher`` to be told too.

.. versionadded:: 0.1
"""

from __future__ import annotations

from typing import Any

import anyio

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
    active database, and close the old one (see :func:`_move_pubsub`)."""

    async def listen(self, event: object) -> None:
        assert isinstance(event, AsyncActiveDatabaseChanged)
        await _move_pubsub(event.command_executor, event.new_database, event.kwargs)


async def _move_pubsub(
    executor: Any, database: AsyncDatabase, kwargs: dict[str, Any]
) -> None:
    """Make ``executor.active_pubsub`` a pub/sub on ``database`` with the same
    subscriptions and handlers, subscribed there, then close the old one.

    The switch happens only once the new connection is made and the
    subscriptions are sent on it, and only if no other move (moves may race:
    the change's listener and a pub/sub call) switched it meanwhile; the
    loser's pub/sub is closed. If that fails (or is cancelled), the new
    pub/sub is closed and the old one stays the client's, its subscriptions
    intact, and the error propagates (redis-py keeps the old one as well); the
    executor moves it on the next pub/sub call (redis-py leaves it on the old
    database until the active database changes again).

    :param kwargs: the arguments the pub/sub was made with.
    :raises ConnectionError: the new database could not be reached.
    """
    old = executor.active_pubsub
    if old is None:
        return
    new = database.client.pubsub(**kwargs)
    new.channels = dict(old.channels)
    new.patterns = dict(old.patterns)
    new.shard_channels = dict(getattr(old, "shard_channels", {}))
    if new.subscribed:
        try:
            # The connection comes connected from the pool, before the
            # pub/sub registers its callback: subscribe explicitly.
            await new.connect()
            if new.connection is not None:
                await new.on_connect(new.connection)
        except BaseException:
            with anyio.CancelScope(shield=True):
                await new.aclose()
            raise
    if executor.active_pubsub is not old:
        # Another move (the change's listener, a pub/sub call meanwhile)
        # replaced it while this one connected: the first made is kept.
        await new.aclose()
        return
    executor.active_pubsub = new
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
