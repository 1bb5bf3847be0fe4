"""redis-py's ``redis.multidb.failover``: blocking failover strategies.

The client runs a strategy of your own in a worker thread (it may block);
without one, the core's weight-based strategy runs on the engine's loop.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from aio.redis.multidb.circuit import State
from aio.redis.multidb.exception import NoValidDatabaseException
from aio.redis.multidb.failover import (
    DEFAULT_FAILOVER_ATTEMPTS as DEFAULT_FAILOVER_ATTEMPTS,
)
from aio.redis.multidb.failover import DEFAULT_FAILOVER_DELAY as DEFAULT_FAILOVER_DELAY
from sync_shims.redis.multidb.database import Databases, SyncDatabase, WeightedList

__all__ = (
    "DEFAULT_FAILOVER_ATTEMPTS",
    "DEFAULT_FAILOVER_DELAY",
    "FailoverStrategy",
    "WeightBasedFailoverStrategy",
)


class FailoverStrategy(ABC):
    """Chooses the database to fail over to."""

    @abstractmethod
    def database(self) -> SyncDatabase:
        """The chosen database.

        :raises NoValidDatabaseException: none can take commands.
        """

    @abstractmethod
    def set_databases(self, databases: Databases) -> None:
        """The databases to choose from (the client's live list)."""


class WeightBasedFailoverStrategy(FailoverStrategy):
    """The healthy (closed-circuit) database of highest weight."""

    def __init__(self) -> None:
        self._databases: Databases = WeightedList()

    def database(self) -> SyncDatabase:
        for database, _ in self._databases:
            if database.circuit.state == State.CLOSED:
                return database
        raise NoValidDatabaseException("No valid database available for communication")

    def set_databases(self, databases: Databases) -> None:
        self._databases = databases
