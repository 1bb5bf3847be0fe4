"""Redis Sentinel: find the current master (and replicas) of a monitored service.

:class:`Sentinel` asks a list of sentinels, in turn, where the master of a service
is (``SENTINEL MASTERS``, as redis-py), trusting a sentinel only when it reports the
master up and seen by enough other sentinels. :meth:`Sentinel.master_for` returns
a client whose pool (:class:`SentinelConnectionPool`) asks again every time one of
its connections (re)connects, so after a failover new connections go to the new
master; a connection checks with ``ROLE`` that the server it reached really is a
master, and one that is told ``READONLY`` (its master was demoted) is closed.
:meth:`Sentinel.slave_for` spreads connections over the replicas, falling back to
the master when none is up.

Names follow redis-py's ``redis.asyncio.sentinel``.

.. versionadded:: 0.1
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncGenerator, AsyncIterator, Iterable, Sequence
from contextlib import aclosing
from typing import Any

from aio.redis._connection import Connection, SSLConnection
from aio.redis._pool import ConnectionPool
from aio.redis.client import Redis
from aio.redis.commands import SentinelCommands
from aio.redis.exceptions import (
    ConnectionError,
    ReadOnlyError,
    ResponseError,
    TimeoutError,
)

__all__ = (
    "MasterNotFoundError",
    "ReplicaNotFoundError",
    "Sentinel",
    "SentinelConnectionPool",
    "SentinelManagedConnection",
    "SentinelManagedSSLConnection",
    "SlaveNotFoundError",
)


class MasterNotFoundError(ConnectionError):
    """No sentinel knows a healthy master for the service."""


class SlaveNotFoundError(ConnectionError):
    """Neither a replica nor the master of the service could be reached."""


#: redis-py's Redis 5 name for :class:`SlaveNotFoundError`.
ReplicaNotFoundError = SlaveNotFoundError


def _text(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _state(reply: Any) -> dict[str, str]:
    """A SENTINEL MASTER/REPLICAS entry (flat pairs in RESP2, a map in RESP3)."""
    if isinstance(reply, dict):
        return {_text(k): _text(v) for k, v in reply.items()}
    if not isinstance(reply, list) or len(reply) % 2:
        raise ResponseError(f"Unexpected sentinel reply: {reply!r:.80}")
    return {_text(k): _text(v) for k, v in zip(reply[::2], reply[1::2], strict=True)}


def _flag(state: dict[str, Any], attribute: str, flag: str) -> bool:
    # A parsed state has redis-py's is_* booleans; a raw reply only "flags".
    if attribute in state:
        return bool(state[attribute])
    return flag in _text(state.get("flags", "")).split(",")


def _down(state: dict[str, Any]) -> bool:
    return (
        _flag(state, "is_sdown", "s_down")
        or _flag(state, "is_odown", "o_down")
        or _flag(state, "is_disconnected", "disconnected")
    )


def _address(state: dict[str, Any]) -> tuple[str, int]:
    try:
        return state["ip"], int(state["port"])
    except (KeyError, ValueError) as exc:
        raise ResponseError(f"Sentinel reply without an address: {state!r}") from exc


class SentinelManagedConnection(Connection):
    """A connection whose address comes from its :class:`SentinelConnectionPool`
    at every (re)connect."""

    def __init__(self, **kwargs: Any) -> None:
        self.connection_pool: SentinelConnectionPool | None = kwargs.pop(
            "connection_pool", None
        )
        super().__init__(**kwargs)

    def __repr__(self) -> str:
        pool = self.connection_pool
        service = pool.service_name if pool is not None else "?"
        return f"<{type(self).__name__}(service={service},{self._description()})>"

    async def _connect_to(self, address: tuple[str, int]) -> None:
        self.host, self.port = address
        await super()._connect()
        pool = self.connection_pool
        if pool is not None and pool.is_master:
            role = await self.send_request(("ROLE",), timeout=self.socket_timeout)
            if not role or _text(role[0]) != "master":
                await self.disconnect(nowait=True)
                raise ConnectionError(
                    f"{address[0]}:{address[1]} is not the master of "
                    f"{pool.service_name!r} (role {role!r:.40})"
                )

    async def _connect(self) -> None:
        pool = self.connection_pool
        if pool is None:
            await super()._connect()
            return
        if pool.is_master:
            await self._connect_to(await pool.get_master_address())
            return
        async with aclosing(pool.rotate_slaves()) as addresses:
            async for address in addresses:
                try:
                    await self._connect_to(address)
                    return
                except SlaveNotFoundError:
                    raise
                except (ConnectionError, TimeoutError):
                    continue
        raise SlaveNotFoundError(f"No slave found for {pool.service_name!r}")

    async def execute(self, args: tuple[Any, ...], options: dict[str, Any]) -> Any:
        """Run a command; a master demoted under us becomes a ConnectionError."""
        try:
            return await super().execute(args, options)
        except ReadOnlyError as exc:
            pool = self.connection_pool
            if pool is not None and pool.is_master:
                await self.disconnect(nowait=True)
                raise ConnectionError("The previous master is now a slave") from exc
            raise


class SentinelManagedSSLConnection(SentinelManagedConnection, SSLConnection):
    """A :class:`SentinelManagedConnection` over TLS (the ``ssl_*`` arguments of
    :class:`~aio.redis.Redis`); a :class:`SentinelConnectionPool` made with
    ``ssl=True`` uses it."""


class SentinelConnectionPool(ConnectionPool):
    """A pool for the master (``is_master=True``) or the replicas of a service.

    :param service_name: the name the sentinels monitor, e.g. ``"mymaster"``.
    :param sentinel_manager: the :class:`Sentinel` to ask.
    :param ssl: connect with TLS (:class:`SentinelManagedSSLConnection`), unless
        a ``connection_class`` is given.
    """

    def __init__(
        self, service_name: str, sentinel_manager: Sentinel, **kwargs: Any
    ) -> None:
        ssl = kwargs.pop("ssl", False)
        kwargs.setdefault(
            "connection_class",
            SentinelManagedSSLConnection if ssl else SentinelManagedConnection,
        )
        self.is_master: bool = kwargs.pop("is_master", True)
        self.check_connection: bool = kwargs.pop("check_connection", False)
        super().__init__(**kwargs)
        self.service_name = service_name
        self.sentinel_manager = sentinel_manager
        self.master_address: tuple[str, int] | None = None
        self.slave_rr_counter: int | None = None

    def __repr__(self) -> str:
        role = "master" if self.is_master else "slave"
        return f"<{type(self).__name__}(service={self.service_name}({role}))>"

    def make_connection(self) -> Connection:
        """A connection that asks this pool for its address when it connects."""
        conn = self.connection_class(**self.connection_kwargs)
        if isinstance(conn, SentinelManagedConnection):
            conn.connection_pool = self
        return conn

    def reset(self) -> None:
        """Forget every connection and the last known master address."""
        super().reset()
        self.master_address = None
        self.slave_rr_counter = None

    async def get_master_address(self) -> tuple[str, int]:
        """The master's address; when it changed, idle connections are closed so
        that they reconnect to the new master."""
        address = await self.sentinel_manager.discover_master(self.service_name)
        if self.is_master and self.master_address != address:
            previous = self.master_address
            self.master_address = address
            if previous is not None:
                await self.disconnect(inuse_connections=False)
        return address

    async def rotate_slaves(self) -> AsyncGenerator[tuple[str, int], None]:
        """The replicas' addresses, round-robin, then the master's."""
        slaves = await self.sentinel_manager.discover_slaves(self.service_name)
        if slaves:
            if self.slave_rr_counter is None:
                self.slave_rr_counter = random.randint(0, len(slaves) - 1)
            for _ in range(len(slaves)):
                self.slave_rr_counter = (self.slave_rr_counter + 1) % len(slaves)
                yield slaves[self.slave_rr_counter]
        try:
            yield await self.get_master_address()
        except MasterNotFoundError:
            pass
        raise SlaveNotFoundError(f"No slave found for {self.service_name!r}")

    def rotate_replicas(self) -> AsyncIterator[tuple[str, int]]:
        """Same as :meth:`rotate_slaves` (redis-py's Redis 5 name)."""
        return self.rotate_slaves()


class Sentinel(SentinelCommands):
    """Clients for the services a set of sentinels monitors.

    As redis-py's, it also has the ``sentinel_*`` command methods
    (``sentinel_master``, ``sentinel_masters``, ``sentinel_set``...), sent
    through :meth:`execute_command`: to every sentinel, and answered with True
    when all replies are truthy (``return_responses=True``: the replies).

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
        if sentinel_kwargs is None:
            sentinel_kwargs = {
                k: v for k, v in connection_kwargs.items() if k.startswith("socket_")
            }
        self.sentinel_kwargs = sentinel_kwargs
        self.sentinels = [
            Redis(host=host, port=port, **sentinel_kwargs) for host, port in sentinels
        ]
        self.min_other_sentinels = min_other_sentinels
        self.force_master_ip = force_master_ip
        self.connection_kwargs = connection_kwargs

    def __repr__(self) -> str:
        addresses = ",".join(
            f"{s.connection_pool.connection_kwargs['host']}:"
            f"{s.connection_pool.connection_kwargs['port']}"
            for s in self.sentinels
        )
        return (
            f"<{type(self).__module__}.{type(self).__name__}(sentinels=[{addresses}])>"
        )

    async def execute_command(self, *args: Any, **kwargs: Any) -> Any:
        """Send a command to every sentinel at once, as redis-py.

        :param once: send it to one sentinel chosen at random instead.
        :param return_responses: return the replies (a list, of one with
            ``once``) instead of a bool.
        :returns: whether every reply (or the one reply) is truthy.
        :raises ConnectionError: a sentinel could not be reached (each sentinel
            is tried once; with ``once``, the one chosen).
        """
        once = bool(kwargs.pop("once", False))
        return_responses = bool(kwargs.pop("return_responses", False))
        if once:
            if not self.sentinels:
                raise ConnectionError("No sentinel to send the command to")
            sentinel = random.choice(self.sentinels)
            reply = await sentinel.execute_command(*args, **kwargs)
            return [reply] if return_responses else bool(reply)
        # Every sentinel is waited for (none left running), then the first
        # error is raised.
        replies = await asyncio.gather(
            *(sentinel.execute_command(*args, **kwargs) for sentinel in self.sentinels),
            return_exceptions=True,
        )
        for reply in replies:
            if isinstance(reply, BaseException):
                raise reply
        return list(replies) if return_responses else all(replies)

    def check_master_state(self, state: dict[str, Any], service_name: str) -> bool:
        """Whether a master's state (an entry of ``sentinel_masters()``, as
        redis-py's, or a raw SENTINEL MASTER reply with ``flags``) describes a
        usable master: flagged master, not down nor disconnected, seen by at
        least ``min_other_sentinels`` other sentinels."""
        if not _flag(state, "is_master", "master") or _down(state):
            return False
        try:
            others = int(state.get("num-other-sentinels", 0))
        except (TypeError, ValueError):
            return False
        return others >= self.min_other_sentinels

    async def discover_master(self, service_name: str) -> tuple[str, int]:
        """``(host, port)`` of the service's master, as the first sentinel that
        knows a usable one says (``SENTINEL MASTERS``, as redis-py asks).

        The sentinel that answered moves to the front of the list.

        :raises MasterNotFoundError: no sentinel knows a healthy master.
        """
        errors: list[str] = []
        for index, sentinel in enumerate(self.sentinels):
            try:
                masters = await sentinel.sentinel_masters()
                state = masters.get(service_name) if masters else None
                if state and self.check_master_state(state, service_name):
                    host, port = _address(state)
                    if index:
                        self.sentinels[0], self.sentinels[index] = (
                            self.sentinels[index],
                            self.sentinels[0],
                        )
                    return (self.force_master_ip or host), port
            except (ConnectionError, TimeoutError, ResponseError) as exc:
                errors.append(f"{sentinel!r} - {exc!r}")
                continue
            if state:
                errors.append(f"unhealthy master state: {state.get('flags')}")
        detail = f" : {', '.join(errors)}" if errors else ""
        raise MasterNotFoundError(f"No master found for {service_name!r}{detail}")

    def filter_slaves(self, slaves: Sequence[dict[str, Any]]) -> list[tuple[str, int]]:
        """The addresses of the replicas that are up (states as
        ``sentinel_slaves()`` returns them, or raw replies with ``flags``)."""
        return [_address(state) for state in slaves if not _down(state)]

    def filter_replicas(
        self, replicas: Sequence[dict[str, Any]]
    ) -> list[tuple[str, int]]:
        """Same as :meth:`filter_slaves` (redis-py's Redis 5 name)."""
        return self.filter_slaves(replicas)

    async def discover_slaves(self, service_name: str) -> list[tuple[str, int]]:
        """``(host, port)`` of the service's replicas that are up, as the first
        sentinel that knows some says (``SENTINEL SLAVES``); [] if none."""
        for sentinel in self.sentinels:
            try:
                slaves = await sentinel.sentinel_slaves(service_name)
                found = self.filter_slaves(slaves or ())
            except (ConnectionError, TimeoutError, ResponseError):
                continue
            if found:
                return found
        return []

    async def discover_replicas(self, service_name: str) -> list[tuple[str, int]]:
        """Same as :meth:`discover_slaves` (redis-py's Redis 5 name)."""
        return await self.discover_slaves(service_name)

    def master_for(
        self,
        service_name: str,
        redis_class: type[Redis] = Redis,
        connection_pool_class: type[SentinelConnectionPool] = SentinelConnectionPool,
        **kwargs: Any,
    ) -> Redis:
        """A client of the service's master, found anew at every (re)connect.

        ``kwargs`` add to (and override) the Sentinel's ``connection_kwargs``.
        """
        options = {**self.connection_kwargs, **kwargs, "is_master": True}
        pool = connection_pool_class(service_name, self, **options)
        return redis_class.from_pool(pool)

    def slave_for(
        self,
        service_name: str,
        redis_class: type[Redis] = Redis,
        connection_pool_class: type[SentinelConnectionPool] = SentinelConnectionPool,
        **kwargs: Any,
    ) -> Redis:
        """A client of the service's replicas (round-robin; the master when no
        replica is up)."""
        options = {**self.connection_kwargs, **kwargs, "is_master": False}
        pool = connection_pool_class(service_name, self, **options)
        return redis_class.from_pool(pool)

    def replica_for(
        self,
        service_name: str,
        redis_class: type[Redis] = Redis,
        connection_pool_class: type[SentinelConnectionPool] = SentinelConnectionPool,
        **kwargs: Any,
    ) -> Redis:
        """Same as :meth:`slave_for` (redis-py's Redis 5 name)."""
        return self.slave_for(
            service_name,
            redis_class=redis_class,
            connection_pool_class=connection_pool_class,
            **kwargs,
        )

    async def aclose(self) -> None:
        """Close the connections to the sentinels (every one, even if one
        fails; then the first error is raised). The clients made by
        :meth:`master_for`/:meth:`slave_for` are the caller's to close."""
        results = await asyncio.gather(
            *(sentinel.aclose() for sentinel in self.sentinels),
            return_exceptions=True,
        )
        for result in results:
            if isinstance(result, BaseException):
                raise result

    async def __aenter__(self) -> Sentinel:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()
