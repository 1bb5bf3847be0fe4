"""redis-py's ``redis.multidb.database``: a database with a blocking client.

A :class:`Database` is a view of the async core's database (which holds the
async client under the blocking one, the circuit and the weight): both see the
same circuit and weight. The core database holds its view in turn: the core's
events and its active database name core databases, and the blocking client
gives the user their views, also of a database it has just removed. The two
live and die together (a cycle the collector frees once both are unreachable).
"""

from __future__ import annotations

from abc import abstractmethod
from typing import TYPE_CHECKING, Any, TypeAlias

from aio.redis.multidb.circuit import CircuitBreaker
from aio.redis.multidb.database import AbstractDatabase as AbstractDatabase
from aio.redis.multidb.database import Database as CoreDatabase
from aio.redis.multidb.database import WeightedList as WeightedList

if TYPE_CHECKING:
    from sync_shims.redis.client import Redis
    from sync_shims.redis.cluster import RedisCluster

__all__ = ("AbstractDatabase", "Database", "Databases", "SyncDatabase", "WeightedList")


class SyncDatabase(AbstractDatabase):
    """A database with a blocking client."""

    @property
    @abstractmethod
    def client(self) -> Redis | RedisCluster:
        """The blocking client."""

    @client.setter
    @abstractmethod
    def client(self, client: Redis | RedisCluster) -> None:
        """Replace the client."""

    @property
    @abstractmethod
    def circuit(self) -> CircuitBreaker:
        """The circuit breaker."""

    @circuit.setter
    @abstractmethod
    def circuit(self, circuit: CircuitBreaker) -> None:
        """Replace the circuit breaker."""


#: The databases of a client, highest weight first.
Databases: TypeAlias = WeightedList[SyncDatabase]


class _FacadeCore(CoreDatabase):
    """The async core's database behind a blocking :class:`Database`.

    :param facade: the blocking database it is the core of.
    """

    def __init__(
        self,
        facade: Database,
        client: Any,
        circuit: CircuitBreaker,
        weight: float,
        health_check_url: str | None,
    ) -> None:
        super().__init__(client, circuit, weight, health_check_url)
        self.facade = facade


class Database(SyncDatabase):
    """A database: blocking ``client``, ``circuit``, ``weight``.

    :param client: a :class:`sync_shims.redis.Redis` or ``RedisCluster``.
    :param circuit: its circuit breaker (attached to this database).
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
        core_client: Any = client._async
        self._core = _FacadeCore(self, core_client, circuit, weight, health_check_url)
        circuit.database = self

    @property
    def client(self) -> Redis | RedisCluster:
        return self._client

    @client.setter
    def client(self, client: Redis | RedisCluster) -> None:
        self._client = client
        self._core.client = client._async

    @property
    def circuit(self) -> CircuitBreaker:
        return self._core.circuit

    @circuit.setter
    def circuit(self, circuit: CircuitBreaker) -> None:
        self._core.circuit = circuit
        circuit.database = self

    @property
    def weight(self) -> float:
        return self._core.weight

    @weight.setter
    def weight(self, weight: float) -> None:
        self._core.weight = weight

    @property
    def health_check_url(self) -> str | None:
        return self._core.health_check_url

    @health_check_url.setter
    def health_check_url(self, health_check_url: str | None) -> None:
        self._core.health_check_url = health_check_url

    def __repr__(self) -> str:
        return f"Database(client={self.client}, weight={self.weight})"
