"""redis-py's blocking ``redis.sentinel``: :class:`Sentinel`, on aio's engine.

A thin owner of an :class:`aio.redis.Sentinel`: the discovery, the checks of a
master's state and the pools that follow the master after a failover are the
async core's. :meth:`Sentinel.master_for` and :meth:`Sentinel.slave_for` return
blocking :class:`~sync_shims.redis.Redis` clients whose pool is a
:class:`SentinelConnectionPool`; its connections (the async core's
:class:`SentinelManagedConnection`) ask the sentinels for their address at every
(re)connect.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from aio.redis.sentinel import MasterNotFoundError as MasterNotFoundError
from aio.redis.sentinel import Sentinel as AsyncSentinel
from aio.redis.sentinel import SentinelConnectionPool as AsyncSentinelConnectionPool
from aio.redis.sentinel import SentinelManagedConnection as SentinelManagedConnection
from aio.redis.sentinel import (
    SentinelManagedSSLConnection as SentinelManagedSSLConnection,
)
from aio.redis.sentinel import SlaveNotFoundError as ReplicaNotFoundError
from aio.redis.sentinel import SlaveNotFoundError as SlaveNotFoundError
from sync_shims._portal import call, iterate
from sync_shims.redis._fork import track_pool
from sync_shims.redis.client import Redis
from sync_shims.redis.connection import ConnectionPool

__all__ = (
    "MasterNotFoundError",
    "ReplicaNotFoundError",
    "Sentinel",
    "SentinelConnectionPool",
    "SentinelManagedConnection",
    "SentinelManagedSSLConnection",
    "SlaveNotFoundError",
)


class SentinelConnectionPool(ConnectionPool):
    """A pool for the master (``is_master=True``, the default) or the replicas
    (``is_master=False``) of ``service_name``, found through ``sentinel_manager``.

    :param service_name: the name the sentinels monitor, e.g. ``"mymaster"``.
    :param sentinel_manager: the blocking :class:`Sentinel` to ask.
    :param ssl: connect with TLS (:class:`SentinelManagedSSLConnection`).
    """

    _async: AsyncSentinelConnectionPool

    def __init__(
        self, service_name: str, sentinel_manager: Sentinel, **kwargs: Any
    ) -> None:
        self._async = AsyncSentinelConnectionPool(
            service_name, sentinel_manager._async, **kwargs
        )
        track_pool(self._async)
        self.sentinel_manager = sentinel_manager

    @property
    def service_name(self) -> str:
        """The monitored service this pool connects to."""
        return self._async.service_name

    @property
    def is_master(self) -> bool:
        """True for the master's pool, False for the replicas'."""
        return self._async.is_master

    @property
    def check_connection(self) -> bool:
        """redis-py's flag, kept as given."""
        return self._async.check_connection

    @property
    def master_address(self) -> tuple[str, int] | None:
        """The master's address when last asked (None before the first connect)."""
        return self._async.master_address

    def get_master_address(self) -> tuple[str, int]:
        """Ask the sentinels for the master's address; when it changed, idle
        connections are closed so that they reconnect to the new master.

        :raises MasterNotFoundError: no sentinel knows a healthy master.
        """
        return call(self._async.get_master_address)

    def rotate_slaves(self) -> Iterator[tuple[str, int]]:
        """The replicas' addresses, round-robin, then the master's.

        :raises SlaveNotFoundError: once every address was given.
        """
        return iterate(self._async.rotate_slaves())

    rotate_replicas = rotate_slaves


class Sentinel:
    """Blocking clients for the services a set of sentinels monitors
    (``redis.sentinel.Sentinel``).

    :param sentinels: ``(host, port)`` of each sentinel.
    :param min_other_sentinels: trust a sentinel's answer only when it sees at
        least this many other sentinels.
    :param sentinel_kwargs: arguments for the connections to the sentinels
        (default: the ``socket_*`` ones of ``connection_kwargs``).
    :param force_master_ip: use this address instead of the master's reported IP.
    :param connection_kwargs: for the clients :meth:`master_for` and
        :meth:`slave_for` make (password, db, decode_responses...).
    """

    def __init__(
        self,
        sentinels: Iterable[tuple[str, int]],
        min_other_sentinels: int = 0,
        sentinel_kwargs: dict[str, Any] | None = None,
        force_master_ip: str | None = None,
        **connection_kwargs: Any,
    ) -> None:
        self._async = AsyncSentinel(
            sentinels,
            min_other_sentinels=min_other_sentinels,
            sentinel_kwargs=sentinel_kwargs,
            force_master_ip=force_master_ip,
            **connection_kwargs,
        )
        # One blocking view per sentinel client, made once: the async Sentinel
        # reorders its list (the one that answered goes first).
        self._views: dict[int, Redis] = {}
        for client in self._async.sentinels:
            view = Redis._wrap(client)
            view._setup(None)
            self._views[id(client)] = view

    def __repr__(self) -> str:
        return f"<{type(self).__module__}.{type(self).__name__}({self._async!r})>"

    @property
    def sentinels(self) -> list[Redis]:
        """A blocking client per sentinel, the last one that answered first."""
        return [self._views[id(client)] for client in self._async.sentinels]

    @property
    def sentinel_kwargs(self) -> dict[str, Any]:
        """The arguments of the connections to the sentinels."""
        return self._async.sentinel_kwargs

    @property
    def connection_kwargs(self) -> dict[str, Any]:
        """The arguments of the clients :meth:`master_for`/:meth:`slave_for` make."""
        return self._async.connection_kwargs

    @property
    def min_other_sentinels(self) -> int:
        """How many other sentinels a trusted sentinel must see."""
        return self._async.min_other_sentinels

    def execute_command(self, *args: Any, **kwargs: Any) -> Any:
        """Send a command to every sentinel (``once=True``: to one chosen at
        random); returns whether every reply is truthy, or the replies (a list)
        with ``return_responses=True``."""
        return call(self._async.execute_command, *args, **kwargs)

    # redis-py's SentinelCommands, through execute_command (so, by default, to
    # every sentinel, answered with a bool).
    def sentinel(self, *args: Any) -> None:
        """Deprecated in redis-py (it sends nothing): use the ``sentinel_*``
        methods."""
        call(self._async.sentinel, *args)

    def sentinel_get_master_addr_by_name(
        self, service_name: str, return_responses: bool = False
    ) -> Any:
        """Whether a sentinel (one, at random) knows the master of
        ``service_name``; its ``[(host, port)]`` with ``return_responses``."""
        return call(
            self._async.sentinel_get_master_addr_by_name, service_name, return_responses
        )

    def sentinel_master(self, service_name: str, return_responses: bool = False) -> Any:
        """Whether every sentinel knows ``service_name``'s master; their states
        with ``return_responses``."""
        return call(self._async.sentinel_master, service_name, return_responses)

    def sentinel_masters(self) -> Any:
        """Whether every sentinel answered SENTINEL MASTERS (True, as redis-py)."""
        return call(self._async.sentinel_masters)

    def sentinel_sentinels(
        self, service_name: str, return_responses: bool = False
    ) -> Any:
        """Whether every sentinel lists other sentinels of ``service_name``; the
        lists with ``return_responses``."""
        return call(self._async.sentinel_sentinels, service_name, return_responses)

    def sentinel_slaves(self, service_name: str) -> Any:
        """Whether every sentinel lists replicas of ``service_name``."""
        return call(self._async.sentinel_slaves, service_name)

    def sentinel_monitor(self, name: str, ip: str, port: int, quorum: int) -> Any:
        """Make every sentinel monitor a master as ``name``."""
        return call(self._async.sentinel_monitor, name, ip, port, quorum)

    def sentinel_remove(self, name: str) -> Any:
        """Make every sentinel stop monitoring ``name``."""
        return call(self._async.sentinel_remove, name)

    def sentinel_set(self, name: str, option: str, value: Any) -> Any:
        """Change a monitoring parameter of ``name`` on every sentinel."""
        return call(self._async.sentinel_set, name, option, value)

    def sentinel_reset(self, pattern: str) -> Any:
        """Reset the masters matching ``pattern`` on one sentinel (False: the
        server answers with a count, as redis-py)."""
        return call(self._async.sentinel_reset, pattern)

    def sentinel_failover(self, new_master_name: str) -> Any:
        """Force a failover of ``new_master_name`` (on every sentinel)."""
        return call(self._async.sentinel_failover, new_master_name)

    def sentinel_ckquorum(self, new_master_name: str) -> Any:
        """Check the quorum on one sentinel (False for its ``OK <n> usable``
        reply, as redis-py)."""
        return call(self._async.sentinel_ckquorum, new_master_name)

    def sentinel_flushconfig(self) -> Any:
        """Make every sentinel rewrite its configuration file."""
        return call(self._async.sentinel_flushconfig)

    def check_master_state(self, state: dict[str, str], service_name: str) -> bool:
        """Whether a SENTINEL MASTER reply describes a usable master."""
        return self._async.check_master_state(state, service_name)

    def discover_master(self, service_name: str) -> tuple[str, int]:
        """``(host, port)`` of the service's master.

        :raises MasterNotFoundError: no sentinel knows a healthy master.
        """
        return call(self._async.discover_master, service_name)

    def filter_slaves(self, slaves: Sequence[dict[str, str]]) -> list[tuple[str, int]]:
        """The addresses of the replicas that are up."""
        return self._async.filter_slaves(slaves)

    def discover_slaves(self, service_name: str) -> list[tuple[str, int]]:
        """``(host, port)`` of the service's replicas that are up ([] if none)."""
        return call(self._async.discover_slaves, service_name)

    filter_replicas = filter_slaves
    discover_replicas = discover_slaves

    def master_for(
        self,
        service_name: str,
        redis_class: type[Redis] = Redis,
        connection_pool_class: type[SentinelConnectionPool] = SentinelConnectionPool,
        **kwargs: Any,
    ) -> Redis:
        """A blocking client of the service's master, found anew at every
        (re)connect; a master demoted under it raises ``ConnectionError`` and the
        next command reconnects to the new one.

        ``kwargs`` add to (and override) the Sentinel's ``connection_kwargs``.
        """
        options = {**self.connection_kwargs, **kwargs, "is_master": True}
        return redis_class.from_pool(
            connection_pool_class(service_name, self, **options)
        )

    def slave_for(
        self,
        service_name: str,
        redis_class: type[Redis] = Redis,
        connection_pool_class: type[SentinelConnectionPool] = SentinelConnectionPool,
        **kwargs: Any,
    ) -> Redis:
        """A blocking client of the service's replicas (round-robin; the master
        when no replica is up).

        :raises SlaveNotFoundError: (from a command) no replica nor master reachable.
        """
        options = {**self.connection_kwargs, **kwargs, "is_master": False}
        return redis_class.from_pool(
            connection_pool_class(service_name, self, **options)
        )

    replica_for = slave_for

    def close(self) -> None:
        """Close the connections to the sentinels."""
        call(self._async.aclose)

    def __enter__(self) -> Sentinel:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
