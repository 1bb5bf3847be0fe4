"""redis-py's ``redis.multidb.event`` (and the parts of ``redis.event`` it uses):
blocking listeners, called in a worker thread of the engine (they may call the
client), with the blocking databases."""

from __future__ import annotations

from typing import Any

from aio.redis.multidb.dispatcher import EventDispatcher as EventDispatcher
from aio.redis.multidb.dispatcher import (
    EventDispatcherInterface as EventDispatcherInterface,
)
from aio.redis.multidb.dispatcher import (
    EventListenerInterface as EventListenerInterface,
)
from aio.redis.multidb.dispatcher import OnCommandsFailEvent as OnCommandsFailEvent
from sync_shims.redis.multidb.database import SyncDatabase

__all__ = (
    "ActiveDatabaseChanged",
    "EventDispatcher",
    "EventDispatcherInterface",
    "EventListenerInterface",
    "OnCommandsFailEvent",
)


class ActiveDatabaseChanged:
    """The active database changed from ``old_database`` to ``new_database``.

    :param command_executor: the async core's command executor.
    :param kwargs: the arguments the client's pub/sub was made with.
    """

    def __init__(
        self,
        old_database: SyncDatabase,
        new_database: SyncDatabase,
        command_executor: Any,
        **kwargs: Any,
    ) -> None:
        self._old_database = old_database
        self._new_database = new_database
        self._command_executor = command_executor
        self._kwargs = kwargs

    @property
    def old_database(self) -> SyncDatabase:
        """The database that was active."""
        return self._old_database

    @property
    def new_database(self) -> SyncDatabase:
        """The database now active."""
        return self._new_database

    @property
    def command_executor(self) -> Any:
        """The executor whose active database changed."""
        return self._command_executor

    @property
    def kwargs(self) -> dict[str, Any]:
        """The pub/sub arguments."""
        return self._kwargs
