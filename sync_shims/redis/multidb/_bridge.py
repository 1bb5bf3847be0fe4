"""What connects the blocking multi-database client's pieces to the async core:
the core's config over databases already made, and adapters that run the
user's blocking detectors, strategies and listeners in worker threads (they may
block, or call the client back, which they cannot do on the engine's loop)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import anyio

from aio.redis.multidb.config import MultiDbConfig as CoreConfig
from aio.redis.multidb.database import AsyncDatabase
from aio.redis.multidb.database import Databases as CoreDatabases
from aio.redis.multidb.dispatcher import (
    AsyncEventListenerInterface,
    AsyncOnCommandsFailEvent,
    EventDispatcherInterface,
    OnCommandsFailEvent,
)
from aio.redis.multidb.event import AsyncActiveDatabaseChanged
from aio.redis.multidb.failover import AsyncFailoverStrategy
from aio.redis.multidb.failure_detector import (
    AsyncFailureDetector,
    CommandFailureDetector,
    FailureDetector,
    FailureDetectorAsyncWrapper,
)
from sync_shims.redis.multidb.database import Database, Databases, _FacadeCore
from sync_shims.redis.multidb.event import ActiveDatabaseChanged
from sync_shims.redis.multidb.failover import FailoverStrategy

__all__ = (
    "CoreConfigOver",
    "EventBridge",
    "StrategyAdapter",
    "adapt_detector",
    "core_of",
    "facade_of",
)


def core_of(database: Any) -> AsyncDatabase:
    """The core database behind a blocking :class:`Database`."""
    if not isinstance(database, Database):
        raise ValueError("Given database is not a member of database list")
    return database._core


def facade_of(database: AsyncDatabase) -> Database:
    """The blocking :class:`Database` a core database is the core of (held by
    the core: found for a database the client has removed as well, and never
    another's, as a lookup by ``id()`` could once an id is reused)."""
    if not isinstance(database, _FacadeCore):
        raise TypeError(f"{database!r} is not the core of a blocking Database")
    return database.facade


@dataclass
class CoreConfigOver(CoreConfig):
    """The core's config, over the core databases of blocking ones."""

    prebuilt: CoreDatabases | None = field(default=None)

    def databases(self) -> CoreDatabases:
        assert self.prebuilt is not None
        return self.prebuilt


class ThreadedFailureDetector(AsyncFailureDetector):
    """A blocking detector of the user's, called in a worker thread."""

    def __init__(self, detector: FailureDetector) -> None:
        self._detector = detector

    async def register_failure(
        self, exception: Exception, cmd: tuple[Any, ...]
    ) -> None:
        await anyio.to_thread.run_sync(self._detector.register_failure, exception, cmd)

    async def register_command_execution(self, cmd: tuple[Any, ...]) -> None:
        await anyio.to_thread.run_sync(self._detector.register_command_execution, cmd)

    def set_command_executor(self, command_executor: Any) -> None:
        self._detector.set_command_executor(command_executor)


def adapt_detector(detector: FailureDetector) -> AsyncFailureDetector:
    """The core's form of a blocking detector: aio's own detector runs on the
    loop (it is quick and thread-safe), any other in a worker thread."""
    if type(detector) is CommandFailureDetector:
        return FailureDetectorAsyncWrapper(detector)
    return ThreadedFailureDetector(detector)


class StrategyAdapter(AsyncFailoverStrategy):
    """A blocking strategy of the user's, over the blocking databases."""

    def __init__(self, strategy: FailoverStrategy, databases: Databases) -> None:
        self._strategy = strategy
        self._databases = databases
        strategy.set_databases(databases)

    async def database(self) -> AsyncDatabase:
        chosen = await anyio.to_thread.run_sync(self._strategy.database)
        return core_of(chosen)

    def set_databases(self, databases: CoreDatabases) -> None:
        # The core's list mirrors the blocking one, which the strategy keeps.
        self._strategy.set_databases(self._databases)


class EventBridge(AsyncEventListenerInterface):
    """Fires the core's events, in their blocking form, at the user's
    dispatcher, in a worker thread."""

    def __init__(self, dispatcher: EventDispatcherInterface) -> None:
        self._dispatcher = dispatcher

    async def listen(self, event: object) -> None:
        converted: object
        if isinstance(event, AsyncActiveDatabaseChanged):
            converted = ActiveDatabaseChanged(
                facade_of(event.old_database),
                facade_of(event.new_database),
                event.command_executor,
                **event.kwargs,
            )
        elif isinstance(event, AsyncOnCommandsFailEvent):
            converted = OnCommandsFailEvent(event.commands, event.exception)
        else:
            return
        await anyio.to_thread.run_sync(self._dispatcher.dispatch, converted)
