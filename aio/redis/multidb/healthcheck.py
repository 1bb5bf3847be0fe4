"""Health checks and the policies that run them, as redis-py's
``redis.asyncio.multidb.healthcheck`` (the blocking client uses them too).

A policy runs every health check of a database concurrently, each under its own
``health_check_timeout``; each check is probed ``health_check_probes`` times,
``health_check_delay`` apart:

- :class:`HealthyAllPolicy`: every probe must pass (an error propagates);
- :class:`HealthyMajorityPolicy`: more than half must pass (errors count as
  failures; the last one propagates once the majority is lost);
- :class:`HealthyAnyPolicy`: one passing probe is enough.

An error of any check (a timeout included) makes :meth:`HealthCheckPolicy.execute`
raise :class:`UnhealthyDatabaseException`. Probes go through one client per
database made for the purpose, from the database client's connection arguments,
so that health checks never take connections from the command path.

.. versionadded:: 0.1
"""

from __future__ import annotations

import logging
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from enum import Enum
from typing import Any, TypeAlias

import anyio

from aio.redis._pool import ConnectionPool
from aio.redis.backoff import NoBackoff
from aio.redis.client import Redis
from aio.redis.cluster import ClusterNode, RedisCluster
from aio.redis.multidb._rest import DEFAULT_TIMEOUT, RestClient
from aio.redis.multidb.exception import UnhealthyDatabaseException
from aio.redis.retry import Retry

__all__ = (
    "DEFAULT_HEALTH_CHECK_DELAY",
    "DEFAULT_HEALTH_CHECK_INTERVAL",
    "DEFAULT_HEALTH_CHECK_POLICY",
    "DEFAULT_HEALTH_CHECK_PROBES",
    "DEFAULT_HEALTH_CHECK_TIMEOUT",
    "DEFAULT_LAG_AWARE_TOLERANCE",
    "AbstractHealthCheck",
    "AbstractHealthCheckPolicy",
    "AsyncRedisClientT",
    "HealthCheck",
    "HealthCheckPolicies",
    "HealthCheckPolicy",
    "HealthyAllPolicy",
    "HealthyAnyPolicy",
    "HealthyMajorityPolicy",
    "LagAwareHealthCheck",
    "PingHealthCheck",
)

DEFAULT_HEALTH_CHECK_PROBES = 3
DEFAULT_HEALTH_CHECK_INTERVAL = 5
DEFAULT_HEALTH_CHECK_TIMEOUT = 3
DEFAULT_HEALTH_CHECK_DELAY = 0.5
DEFAULT_LAG_AWARE_TOLERANCE = 5000

AsyncRedisClientT: TypeAlias = Redis | RedisCluster

logger = logging.getLogger("aio.redis.multidb")

# The node connections' arguments not copied to a cluster health-check client:
# what belongs to one pool (its maintenance handler, its HIMPORT registry, the
# addresses a maintenance event moved it to), what the client sets itself.
_NOT_COPIED = frozenset(
    {
        "host",
        "port",
        "path",
        "retry",
        "himport_registry",
        "maint_notifications_pool_handler",
        "maint_notifications_config",
        "orig_host_address",
        "orig_socket_timeout",
        "orig_socket_connect_timeout",
        "connection_class",
        "response_callbacks",
    }
)


# What belongs to one pool (its HIMPORT registry, its maintenance handler) and
# the retry, which the health-check client sets itself.
_POOL_OWNED = frozenset(
    {
        "retry",
        "himport_registry",
        "maint_notifications_pool_handler",
        "maint_notifications_config",
    }
)


def _copied(kwargs: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in kwargs.items() if k not in _NOT_COPIED}


def _no_retry() -> Retry:
    # A probe that fails is a failed probe: the policy decides, not a retry.
    return Retry(NoBackoff(), 0)


class HealthCheck(ABC):
    """One way of telling whether a database is healthy."""

    @property
    @abstractmethod
    def health_check_probes(self) -> int:
        """How many probes make one check."""

    @property
    @abstractmethod
    def health_check_delay(self) -> float:
        """Seconds between probes."""

    @property
    @abstractmethod
    def health_check_timeout(self) -> float:
        """Seconds the whole check (every probe) may take."""

    @abstractmethod
    async def check_health(self, database: Any, hc_client: AsyncRedisClientT) -> bool:
        """One probe: whether ``database`` is healthy.

        :param database: the database checked.
        :param hc_client: the health-check client of that database.
        """


class HealthCheckPolicy(ABC):
    """How the probes of the health checks decide a database's health."""

    @abstractmethod
    async def execute(self, health_checks: list[HealthCheck], database: Any) -> bool:
        """Whether ``database`` is healthy.

        :raises UnhealthyDatabaseException: a check raised.
        """

    @abstractmethod
    async def _execute(self, health_check: HealthCheck, database: Any) -> bool:
        """Run the probes of one check."""

    @abstractmethod
    async def get_client(self, database: Any) -> AsyncRedisClientT:
        """The health-check client of ``database`` (made on first use)."""

    @abstractmethod
    async def close(self) -> None:
        """Close every health-check client."""

    async def release(self, database: Any) -> None:  # noqa: B027 - optional hook
        """Close the health-check client of ``database``, which left the client
        (a policy without clients of its own has nothing to do)."""


async def _gather(calls: list[Callable[[], Awaitable[bool]]]) -> list[Any]:
    """Run ``calls`` concurrently; each result, or the exception it raised."""
    results: list[Any] = [None] * len(calls)

    async def run(index: int, call: Callable[[], Awaitable[bool]]) -> None:
        try:
            results[index] = await call()
        except Exception as exc:
            results[index] = exc

    async with anyio.create_task_group() as tg:
        for index, call in enumerate(calls):
            tg.start_soon(run, index, call)
    return results


class AbstractHealthCheckPolicy(HealthCheckPolicy):
    """Concurrent checks with timeouts, and one health-check client per database."""

    def __init__(self) -> None:
        # By id, with the database itself: held, its id cannot be reused by
        # another database (which would be checked on this one's server).
        self._clients: dict[int, tuple[Any, AsyncRedisClientT]] = {}

    async def execute(self, health_checks: list[HealthCheck], database: Any) -> bool:
        def timed(check: HealthCheck) -> Callable[[], Awaitable[bool]]:
            async def call() -> bool:
                with anyio.fail_after(check.health_check_timeout):
                    return await self._execute(check, database)

            return call

        results = await _gather([timed(check) for check in health_checks])
        for result in results:
            if isinstance(result, Exception):
                raise UnhealthyDatabaseException("Unhealthy database", database, result)
            if not result:
                return False
        return True

    async def get_client(self, database: Any) -> AsyncRedisClientT:
        entry = self._clients.get(id(database))
        if entry is None:
            entry = (database, _health_check_client(database.client))
            self._clients[id(database)] = entry
        return entry[1]

    def forget_clients(self) -> list[AsyncRedisClientT]:
        """Forget the health-check clients without closing them (a forked
        child: their sockets are the parent's); new ones are made on use."""
        entries, self._clients = list(self._clients.values()), {}
        return [client for _, client in entries]

    async def release(self, database: Any) -> None:
        entry = self._clients.pop(id(database), None)
        if entry is not None:
            await self._close_clients([entry[1]])

    async def close(self) -> None:
        entries, self._clients = list(self._clients.values()), {}
        await self._close_clients([client for _, client in entries])

    async def _close_clients(self, clients: list[AsyncRedisClientT]) -> None:
        for client in clients:
            try:
                await client.aclose()
            except Exception:  # a client that cannot close cleanly is gone anyway
                logger.debug("closing a health-check client failed", exc_info=True)

    @abstractmethod
    async def _execute(self, health_check: HealthCheck, database: Any) -> bool:
        """Run the probes of one check."""


def _health_check_client(client: Any) -> AsyncRedisClientT:
    """A client of its own to the server(s) behind a database's ``client`` (an
    aio client, or a blocking facade over one)."""
    core = getattr(client, "_async", client)
    if isinstance(core, RedisCluster):
        nodes = core.get_nodes() or list(core.nodes_manager.startup_nodes.values())
        if not nodes:
            raise ValueError(
                "Cluster client has no nodes - cannot create health check client"
            )
        return RedisCluster(
            startup_nodes=[ClusterNode(node.host, node.port) for node in nodes],
            retry=_no_retry(),
            **_copied(core.get_connection_kwargs()),
        )
    if isinstance(core, Redis):
        # The same kind of connection (TCP, TLS, unix socket) to the same
        # place with the same options, in a pool of its own.
        pool = core.connection_pool
        kwargs = {
            k: v for k, v in pool.connection_kwargs.items() if k not in _POOL_OWNED
        }
        own_pool = ConnectionPool(
            connection_class=pool.connection_class, retry=_no_retry(), **kwargs
        )
        return Redis.from_pool(own_pool)
    raise TypeError(f"Unsupported client type: {type(client)}")


class HealthyAllPolicy(AbstractHealthCheckPolicy):
    """Healthy when every probe passes."""

    async def _execute(self, health_check: HealthCheck, database: Any) -> bool:
        client = await self.get_client(database)
        probes = health_check.health_check_probes
        for attempt in range(probes):
            if not await health_check.check_health(database, client):
                return False
            if attempt < probes - 1:
                await anyio.sleep(health_check.health_check_delay)
        return True


class HealthyMajorityPolicy(AbstractHealthCheckPolicy):
    """Healthy when more than half of the probes pass (4 probes: 3 must)."""

    async def _execute(self, health_check: HealthCheck, database: Any) -> bool:
        probes = health_check.health_check_probes
        allowed_failures = (probes - 1) // 2
        client = await self.get_client(database)
        for attempt in range(probes):
            try:
                passed = await health_check.check_health(database, client)
            except Exception:
                allowed_failures -= 1
                if allowed_failures < 0:
                    raise
            else:
                if not passed:
                    allowed_failures -= 1
                    if allowed_failures < 0:
                        return False
            if attempt < probes - 1:
                await anyio.sleep(health_check.health_check_delay)
        return True


class HealthyAnyPolicy(AbstractHealthCheckPolicy):
    """Healthy when one probe passes (the last error propagates otherwise)."""

    async def _execute(self, health_check: HealthCheck, database: Any) -> bool:
        probes = health_check.health_check_probes
        last_error: Exception | None = None
        client = await self.get_client(database)
        for attempt in range(probes):
            try:
                if await health_check.check_health(database, client):
                    return True
            except Exception as exc:
                last_error = exc
            if attempt < probes - 1:
                await anyio.sleep(health_check.health_check_delay)
        if last_error is not None:
            raise last_error
        return False


class HealthCheckPolicies(Enum):
    """The policies by name (``MultiDbConfig.health_check_policy``)."""

    HEALTHY_ALL = HealthyAllPolicy
    HEALTHY_MAJORITY = HealthyMajorityPolicy
    HEALTHY_ANY = HealthyAnyPolicy


DEFAULT_HEALTH_CHECK_POLICY: HealthCheckPolicies = HealthCheckPolicies.HEALTHY_ALL


class AbstractHealthCheck(HealthCheck):
    """Stores probes, delay and timeout.

    :raises ValueError: ``health_check_probes`` is below 1.
    """

    def __init__(
        self,
        health_check_probes: int = DEFAULT_HEALTH_CHECK_PROBES,
        health_check_delay: float = DEFAULT_HEALTH_CHECK_DELAY,
        health_check_timeout: float = DEFAULT_HEALTH_CHECK_TIMEOUT,
    ) -> None:
        if health_check_probes < 1:
            raise ValueError("health_check_probes must be greater than 0")
        self._health_check_probes = health_check_probes
        self._health_check_delay = health_check_delay
        self._health_check_timeout = health_check_timeout

    @property
    def health_check_probes(self) -> int:
        return self._health_check_probes

    @property
    def health_check_delay(self) -> float:
        return self._health_check_delay

    @property
    def health_check_timeout(self) -> float:
        return self._health_check_timeout

    @abstractmethod
    async def check_health(self, database: Any, hc_client: AsyncRedisClientT) -> bool:
        """One probe."""


class PingHealthCheck(AbstractHealthCheck):
    """PING the server (every node of a cluster)."""

    async def check_health(self, database: Any, hc_client: AsyncRedisClientT) -> bool:
        if isinstance(hc_client, Redis):
            return bool(await hc_client.execute_command("PING"))
        _ = await hc_client.initialize()
        for node in hc_client.get_nodes():
            if not await hc_client.execute_command("PING", target_nodes=node):
                return False
        return True


class LagAwareHealthCheck(AbstractHealthCheck):
    """Ask a Redis Enterprise cluster's REST API whether the database is
    available within ``lag_aware_tolerance`` ms of replication lag.

    The database's ``health_check_url`` (``https://cluster.fqdn``) and
    ``rest_api_port`` make the API's address; the database is the bdb one of
    whose endpoints has the client's host as its DNS name or address.

    :param rest_api_port: the REST API's port.
    :param lag_aware_tolerance: the lag allowed, in milliseconds.
    :param http_timeout: seconds one request may take.
    :param auth_basic: ``(user, password)`` of the API.
    :param verify_tls: verify the API's certificate (with ``ca_*``).
    :param client_cert_file: a client certificate (with its key) for mutual TLS.
    """

    def __init__(
        self,
        rest_api_port: int = 9443,
        lag_aware_tolerance: int = DEFAULT_LAG_AWARE_TOLERANCE,
        http_timeout: float = DEFAULT_TIMEOUT,
        auth_basic: tuple[str, str] | None = None,
        verify_tls: bool = True,
        ca_file: str | None = None,
        ca_path: str | None = None,
        ca_data: str | bytes | None = None,
        client_cert_file: str | None = None,
        client_key_file: str | None = None,
        client_key_password: str | None = None,
        health_check_probes: int = DEFAULT_HEALTH_CHECK_PROBES,
        health_check_delay: float = DEFAULT_HEALTH_CHECK_DELAY,
        health_check_timeout: float = DEFAULT_HEALTH_CHECK_TIMEOUT,
    ) -> None:
        self._http_client = RestClient(
            timeout=http_timeout,
            auth_basic=auth_basic,
            verify_tls=verify_tls,
            ca_file=ca_file,
            ca_path=ca_path,
            ca_data=ca_data,
            client_cert_file=client_cert_file,
            client_key_file=client_key_file,
            client_key_password=client_key_password,
        )
        self._rest_api_port = rest_api_port
        self._lag_aware_tolerance = lag_aware_tolerance
        super().__init__(
            health_check_probes=health_check_probes,
            health_check_delay=health_check_delay,
            health_check_timeout=health_check_timeout,
        )

    async def check_health(self, database: Any, hc_client: AsyncRedisClientT) -> bool:
        """True when the API reports the database available within the lag.

        :raises ValueError: no ``health_check_url``, or no bdb has the host.
        :raises HttpError: the API refused (unavailable, lagging, ...).
        """
        if database.health_check_url is None:
            raise ValueError(
                "Database health check url is not set. Please check "
                "DatabaseConfig for the current database."
            )
        core = getattr(database.client, "_async", database.client)
        if isinstance(core, RedisCluster):
            db_host = core.get_nodes()[0].host
        else:
            db_host = core.get_connection_kwargs()["host"]
        # Not stored in the shared client: the checks of the other databases
        # run concurrently, against their own APIs.
        api = f"{database.health_check_url}:{self._rest_api_port}"
        matching = None
        for bdb in await self._http_client.get("/v1/bdbs", base_url=api):
            # The last bdb with an endpoint on the host, as redis-py.
            for endpoint in bdb["endpoints"]:
                if endpoint["dns_name"] == db_host or db_host in endpoint["addr"]:
                    matching = bdb
                    break
        if matching is None:
            logger.warning("LagAwareHealthCheck failed: Couldn't find a matching bdb")
            raise ValueError("Could not find a matching bdb")
        await self._http_client.get(
            f"/v1/bdbs/{matching['uid']}/availability"
            f"?extend_check=lag&availability_lag_tolerance_ms={self._lag_aware_tolerance}",
            expect_json=False,
            base_url=api,
        )
        return True
