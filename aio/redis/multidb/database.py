"""A database of the multi-database client: a Redis (or cluster) client, the
circuit that says whether it may take commands, and its weight (the healthy
database of highest weight is the active one). As redis-py's
``redis.asyncio.multidb.database``.

.. versionadded:: 0.1
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, TypeAlias

from aio.redis.multidb._weighted import WeightedList
from aio.redis.multidb.circuit import CircuitBreaker

if TYPE_CHECKING:
    from aio.redis.client import Redis
    from aio.redis.cluster import RedisCluster

__all__ = (
    "AbstractDatabase",
    "AsyncDatabase",
    "BaseDatabase",
    "Database",
    "Databases",
    "WeightedList",
)


class AbstractDatabase(ABC):
    """Weight and health-check URL, common to the async and blocking databases."""

    @property
    @abstractmethod
    def weight(self) -> float:
        """The weight against the other databases (highest healthy is active)."""

    @weight.setter
    @abstractmethod
    def weight(self, weight: float) -> None:
        """Change the weight (the client's ``update_database_weight`` re-sorts)."""

    @property
    @abstractmethod
    def health_check_url(self) -> str | None:
        """The URL health checks that need one use (Redis Enterprise REST API)."""

    @health_check_url.setter
    @abstractmethod
    def health_check_url(self, health_check_url: str | None) -> None:
        """Change the health-check URL."""


class BaseDatabase(AbstractDatabase):
    """Stores the weight and the health-check URL."""

    def __init__(self, weight: float, health_check_url: str | None = None) -> None:
        self._weight = weight
        self._health_check_url = health_check_url

    @property
    def weight(self) -> float:
        return self._weight

    @weight.setter
    def weight(self, weight: float) -> None:
        self._weight = weight

    @property
    def health_check_url(self) -> str | None:
        return self._health_check_url

    @health_check_url.setter
    def health_check_url(self, health_check_url: str | None) -> None:
        self._health_check_url = health_check_url


class AsyncDatabase(AbstractDatabase):
    """A database with an asyncio client."""

    @property
    @abstractmethod
    def client(self) -> Redis | RedisCluster:
        """The client commands go through."""

    @client.setter
    @abstractmethod
    def client(self, client: Redis | RedisCluster) -> None:
        """Replace the client."""

    @property
    @abstractmethod
    def circuit(self) -> CircuitBreaker:
        """The circuit breaker of this database."""

    @circuit.setter
    @abstractmethod
    def circuit(self, circuit: CircuitBreaker) -> None:
        """Replace the circuit breaker."""


#: The databases of a client, highest weight first.
Databases: TypeAlias = WeightedList[AsyncDatabase]


class Database(BaseDatabase, AsyncDatabase):
    """An :class:`AsyncDatabase`; attaches itself to ``circuit``.

    :param client: an :class:`aio.redis.Redis` or :class:`aio.redis.RedisCluster`.
    :param circuit: its circuit breaker.
    :param weight: its weight.
    :param health_check_url: for health checks that need one.
    """

    def __init__(
        self,
        client: Redis | RedisCluster,
        circuit: CircuitBreaker,
        weight: float,
        health_check_url: str | None = None,
    ) -> None:
        self._client = client
        self._cb = circuit
        self._cb.database = self
        super().__init__(weight, health_check_url)

    @property
    def client(self) -> Redis | RedisCluster:
        return self._client

    @client.setter
    def client(self, client: Redis | RedisCluster) -> None:
        self._client = client

    @property
    def circuit(self) -> CircuitBreaker:
        return self._cb

    @circuit.setter
    def circuit(self, circuit: CircuitBreaker) -> None:
        self._cb = circuit

    def __repr__(self) -> str:
        return f"Database(client={self.client}, weight={self.weight})"
