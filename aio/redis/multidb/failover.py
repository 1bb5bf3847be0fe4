"""Failover strategies: which database becomes active when the active one's
circuit opens, as redis-py's ``redis.asyncio.multidb.failover``.

:class:`WeightBasedFailoverStrategy` picks the database of highest weight whose
circuit is closed. :class:`DefaultFailoverStrategyExecutor` runs a strategy and,
while none is available, raises :class:`TemporaryUnavailableException` for
``failover_attempts`` periods of ``failover_delay`` seconds, then
:class:`NoValidDatabaseException` (and starts counting again).

.. versionadded:: 0.1
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod

from aio.redis.multidb.circuit import State
from aio.redis.multidb.database import AsyncDatabase, Databases, WeightedList
from aio.redis.multidb.exception import (
    NoValidDatabaseException,
    TemporaryUnavailableException,
)

__all__ = (
    "DEFAULT_FAILOVER_ATTEMPTS",
    "DEFAULT_FAILOVER_DELAY",
    "AsyncFailoverStrategy",
    "DefaultFailoverStrategyExecutor",
    "FailoverStrategyExecutor",
    "WeightBasedFailoverStrategy",
)

DEFAULT_FAILOVER_ATTEMPTS = 10
DEFAULT_FAILOVER_DELAY = 12


class AsyncFailoverStrategy(ABC):
    """Chooses the database to fail over to."""

    @abstractmethod
    async def database(self) -> AsyncDatabase:
        """The chosen database.

        :raises NoValidDatabaseException: none can take commands.
        """

    @abstractmethod
    def set_databases(self, databases: Databases) -> None:
        """The databases to choose from (the client's live list)."""


class FailoverStrategyExecutor(ABC):
    """Runs a strategy with attempts and delays."""

    @property
    @abstractmethod
    def failover_attempts(self) -> int:
        """How many delay periods to report a temporary unavailability."""

    @property
    @abstractmethod
    def failover_delay(self) -> float:
        """The length of one period, in seconds."""

    @property
    @abstractmethod
    def strategy(self) -> AsyncFailoverStrategy:
        """The strategy run."""

    @abstractmethod
    async def execute(self) -> AsyncDatabase:
        """The database to make active."""


class WeightBasedFailoverStrategy(AsyncFailoverStrategy):
    """The healthy (closed-circuit) database of highest weight."""

    def __init__(self) -> None:
        self._databases: Databases = WeightedList()

    async def database(self) -> AsyncDatabase:
        for database, _ in self._databases:
            if database.circuit.state == State.CLOSED:
                return database
        raise NoValidDatabaseException("No valid database available for communication")

    def set_databases(self, databases: Databases) -> None:
        self._databases = databases


class DefaultFailoverStrategyExecutor(FailoverStrategyExecutor):
    """The executor the client uses.

    :param strategy: the strategy to run.
    :param failover_attempts: the number of periods.
    :param failover_delay: the period, in seconds.
    """

    def __init__(
        self,
        strategy: AsyncFailoverStrategy,
        failover_attempts: int = DEFAULT_FAILOVER_ATTEMPTS,
        failover_delay: float = DEFAULT_FAILOVER_DELAY,
    ) -> None:
        self._strategy = strategy
        self._failover_attempts = failover_attempts
        self._failover_delay = failover_delay
        self._next_attempt_ts = 0.0
        self._failover_counter = 0

    @property
    def failover_attempts(self) -> int:
        return self._failover_attempts

    @property
    def failover_delay(self) -> float:
        return self._failover_delay

    @property
    def strategy(self) -> AsyncFailoverStrategy:
        return self._strategy

    async def execute(self) -> AsyncDatabase:
        try:
            database = await self._strategy.database()
        except NoValidDatabaseException:
            self._count_attempt()
            if self._failover_counter > self._failover_attempts:
                self._reset()
                raise
            raise TemporaryUnavailableException(
                "No database connections currently available. "
                "This is a temporary condition - please retry the operation."
            ) from None
        self._reset()
        return database

    def _count_attempt(self) -> None:
        # One attempt per delay period, however often the strategy is asked.
        # A monotonic clock: a wall-clock step must not end or stretch a period.
        now = time.monotonic()
        if self._next_attempt_ts == 0:
            self._next_attempt_ts = now + self._failover_delay
            self._failover_counter += 1
        elif now >= self._next_attempt_ts:
            self._next_attempt_ts += self._failover_delay
            self._failover_counter += 1

    def _reset(self) -> None:
        self._next_attempt_ts = 0.0
        self._failover_counter = 0
