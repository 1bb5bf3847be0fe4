"""Connection pools: :class:`ConnectionPool` (fails when full) and
:class:`BlockingConnectionPool` (waits for a free connection).

A pool hands out a connection for the duration of one command (or one pipeline,
pub/sub object, lock operation...) and takes it back. A connection that comes back
in an unknown state (replies still owed because its caller was cancelled or timed
out, or a transaction left open) is disconnected before it is reused, so the next
user starts from a fresh stream. Connections are created lazily and reconnect on
their next use after a loss, so a pool recovers by itself from a server restart.

With RESP3 over TCP a pool takes maintenance notifications (``enabled="auto"``
unless ``maint_notifications_config`` says otherwise; see
:mod:`aio.redis.maint_notifications`): on MOVING its connections are re-pointed
(``_maint.py``), and one marked for reconnect is closed when it comes back.
"""

from __future__ import annotations

import asyncio
import secrets
import ssl
from collections import deque
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import parse_qs, unquote, urlparse

from aio.redis._connection import (
    Connection,
    SSLConnection,
    UnixDomainSocketConnection,
)
from aio.redis._encoder import Encoder
from aio.redis._maint import PoolMaintenance
from aio.redis._reauth import re_auth_on_release, release_after_re_auth
from aio.redis.exceptions import ConnectionError, MaxConnectionsError
from aio.redis.himport import HImportRegistry

__all__ = ("BlockingConnectionPool", "ConnectionPool", "parse_url")

_P = TypeVar("_P", bound="ConnectionPool")

_SCHEMES = ("redis://", "rediss://", "unix://")
# Connection arguments a pool's repr never shows (redis-py redacts the same).
_SECRET_ARGUMENTS = frozenset(
    {"password", "username", "ssl_password", "credential_provider"}
)
_FALSE = frozenset({"0", "f", "false", "n", "no", "off"})
# redis-py's pool size when none (or 0) is given; BlockingConnectionPool's own
# default is 50, and an explicit None there means this one, as in redis-py.
_DEFAULT_MAX_CONNECTIONS = 100


def _to_bool(value: str) -> bool | None:
    if value == "":
        return None
    return value.lower() not in _FALSE


def _verify_flags(value: str) -> list[ssl.VerifyFlags]:
    # "VERIFY_X509_STRICT,VERIFY_CRL_CHECK_CHAIN", optionally in [brackets], as
    # redis-py reads ssl_include_verify_flags / ssl_exclude_verify_flags.
    names = [name.strip() for name in value.strip().strip("[]").split(",")]
    flags = []
    for name in filter(None, names):
        try:
            flags.append(ssl.VerifyFlags[name])
        except KeyError:
            raise ValueError(f"{name!r} is not an ssl.VerifyFlags member") from None
    return flags


_URL_PARSERS: dict[str, Any] = {
    "db": int,
    "health_check_interval": float,
    "socket_connect_timeout": float,
    "socket_keepalive": _to_bool,
    "socket_read_size": int,
    "socket_timeout": float,
    "retry_on_timeout": _to_bool,
    "max_connections": int,
    "ssl_check_hostname": _to_bool,
    "ssl_min_version": lambda value: ssl.TLSVersion(int(value)),
    "timeout": float,
    "protocol": int,
    "decode_responses": _to_bool,
    "legacy_responses": _to_bool,
    "ssl_include_verify_flags": _verify_flags,
    "ssl_exclude_verify_flags": _verify_flags,
}


def parse_url(url: str) -> dict[str, Any]:
    """Turn a ``redis://``, ``rediss://`` or ``unix://`` URL into pool arguments.

    ``redis://[[username]:password@]host[:port][/db][?option=value...]``; a
    ``db`` query option overrides the path. ``rediss://`` selects TLS,
    ``unix:///path/to/socket?db=N`` a unix socket.

    :raises ValueError: another scheme, or an option value of the wrong type.
    """
    # By prefix: urlparse takes "redis:host:6379" (no "//") for a redis URL
    # whose host is missing.
    if not url.startswith(_SCHEMES):
        raise ValueError(
            "Redis URL must specify one of the following schemes "
            "(redis://, rediss://, unix://)"
        )
    parsed = urlparse(url)
    kwargs: dict[str, Any] = {}
    for name, values in parse_qs(parsed.query).items():
        if not values:
            continue
        # parse_qs has percent-decoded the value already: decoding it again
        # would turn a literal "%2520" into a space.
        value = values[0]
        convert = _URL_PARSERS.get(name)
        if convert is None:
            kwargs[name] = value
            continue
        try:
            kwargs[name] = convert(value)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"Invalid value for {name!r} in connection URL.") from exc
    if parsed.username:
        kwargs["username"] = unquote(parsed.username)
    if parsed.password:
        kwargs["password"] = unquote(parsed.password)
    if parsed.scheme == "unix":
        if parsed.path:
            kwargs["path"] = unquote(parsed.path)
        kwargs["connection_class"] = UnixDomainSocketConnection
    else:  # redis:// or rediss://
        if parsed.hostname:
            kwargs["host"] = unquote(parsed.hostname)
        if parsed.port:
            kwargs["port"] = int(parsed.port)
        db_path = unquote(parsed.path).lstrip("/")
        if db_path and "db" not in kwargs:
            try:
                kwargs["db"] = int(db_path)
            except ValueError as exc:
                raise ValueError(
                    f"Invalid db number in connection URL: {url!r}"
                ) from exc
        if parsed.scheme == "rediss":
            kwargs["connection_class"] = SSLConnection
    return kwargs


class ConnectionPool(PoolMaintenance):
    """A pool of :class:`Connection` objects sharing one set of arguments.

    :param connection_class: the class to instantiate (TCP, TLS or unix socket).
    :param max_connections: most connections open at once (``None`` or ``0``:
        100, as redis-py); one more request raises
        :class:`~aio.redis.exceptions.MaxConnectionsError`.
    :param connection_kwargs: passed to every connection (host, port, db...);
        ``maint_notifications_config`` configures maintenance notifications
        (:class:`~aio.redis.maint_notifications.MaintNotificationsConfig`).
    :raises RedisError: ``maint_notifications_config`` enables them where they
        cannot work (a unix socket, RESP2, a connection class without them).
    """

    def __init__(
        self,
        connection_class: type[Connection] = Connection,
        max_connections: int | None = None,
        **connection_kwargs: Any,
    ) -> None:
        max_connections = max_connections or _DEFAULT_MAX_CONNECTIONS
        # a str from a hand-built kwargs dict is a bad value, not a TypeError
        if not isinstance(max_connections, int) or max_connections < 0:  # type: ignore[redundant-expr]
            raise ValueError('"max_connections" must be a positive integer')
        self.connection_class = connection_class
        self.connection_kwargs = connection_kwargs
        # One registry for every connection of the pool (and every client on
        # it), reached through connection_kwargs as in redis-py, so that a
        # connection made later (a reconnect, a sentinel failover) knows the
        # fieldsets declared before it.
        registry = connection_kwargs.get("himport_registry")
        if registry is None:
            registry = connection_kwargs["himport_registry"] = HImportRegistry()
        #: The HIMPORT fieldsets declared on clients of this pool.
        self.himport_registry: HImportRegistry = registry
        self._init_maintenance()
        #: The client-side cache of this pool (``cache=``, ``cache_config=``,
        #: ``cache_factory=``): an :class:`aio.redis.cache.CacheInterface`.
        self.cache: Any = None
        cache = connection_kwargs.pop("cache", None)
        cache_config = connection_kwargs.pop("cache_config", None)
        cache_factory = connection_kwargs.pop("cache_factory", None)
        if cache is not None or cache_config is not None:
            from aio.redis._cache import enable_cache  # builds on this module

            self.cache = enable_cache(self, cache, cache_config, cache_factory)
        self.max_connections = max_connections
        #: How a client's command takes a connection without a coroutine: the
        #: pool's own ``_take``, or nothing (the client then awaits
        #: ``get_connection()``) when a subclass overrides ``get_connection``,
        #: which redis-py calls for every command.
        self._take_now: Callable[[], Connection | None] = (
            self._take if _own_get_connection(type(self)) else _nothing
        )
        #: The class of the pool's :class:`~aio.redis._encoder.Encoder` objects
        #: (``encoder_class=`` among the connection arguments, as redis-py),
        #: what a pub/sub's ``encoder`` is made of.
        self.encoder_class: type[Encoder] = connection_kwargs.get(
            "encoder_class", Encoder
        )
        # Names the pool in get_connection_count() (redis-py's shape).
        self._pool_id = secrets.token_hex(4)
        self._available: deque[Connection] = deque()
        self._in_use: set[Connection] = set()
        self._closed = False

    @classmethod
    def from_url(cls: type[_P], url: str, **kwargs: Any) -> _P:
        """Build a pool from a URL (see :func:`parse_url`) and ``kwargs``.

        What the URL says wins over ``kwargs`` (its query over its path for
        ``db``), as in redis-py, except ``connection_class``, which the caller
        may override.
        """
        url_options = parse_url(url)
        if "connection_class" in kwargs:
            url_options["connection_class"] = kwargs["connection_class"]
        return cls(**{**kwargs, **url_options})

    def __repr__(self) -> str:
        # redis-py's shape: <module.Pool(<module.ConnectionClass(k=v,...)>)>,
        # every connection argument shown except secrets.
        shown = ",".join(
            f"{key}={'<REDACTED>' if key in _SECRET_ARGUMENTS else value}"
            for key, value in self.connection_kwargs.items()
            if key != "himport_registry"  # not shown by redis-py either
        )
        pool, conn = type(self), self.connection_class
        return (
            f"<{pool.__module__}.{pool.__qualname__}"
            f"(<{conn.__module__}.{conn.__qualname__}({shown})>)>"
        )

    async def __aenter__(self: _P) -> _P:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    @property
    def in_use_count(self) -> int:
        """Connections currently handed out."""
        return len(self._in_use)

    @property
    def available_count(self) -> int:
        """Idle connections kept for reuse."""
        return len(self._available)

    def get_encoder(self) -> tuple[str, str, bool]:
        """The ``(encoding, errors, decode_responses)`` of the pool's connections."""
        kw = self.connection_kwargs
        return (
            kw.get("encoding", "utf-8"),
            kw.get("encoding_errors", "strict"),
            bool(kw.get("decode_responses", False)),
        )

    def get_protocol(self) -> int | str | None:
        """The ``protocol`` the pool's connections were given (2 or 3), or None
        when it was not (they speak the default, RESP3), as redis-py."""
        protocol: int | str | None = self.connection_kwargs.get("protocol")
        return protocol

    def get_connection_count(self) -> list[tuple[int, dict[str, Any]]]:
        """redis-py's observability count: ``[(idle, attributes), (in use,
        attributes)]``, the attributes in its OpenTelemetry names
        (``db.client.connection.state`` is ``"idle"`` or ``"used"``; the pool
        is named ``host:port_<id>``; the library is ``aio-redis``)."""
        from aio import __version__

        kw = self.connection_kwargs
        base = {
            "db.system": "redis",
            "redis.client.library": f"aio-redis:v{__version__}",
            "db.client.connection.pool.name": (
                f"{kw.get('host', 'unknown')}:{kw.get('port', 6379)}_{self._pool_id}"
            ),
        }
        return [
            (len(self._available), {**base, "db.client.connection.state": "idle"}),
            (len(self._in_use), {**base, "db.client.connection.state": "used"}),
        ]

    def make_connection(self) -> Connection:
        """Create a new (not yet connected) connection with the pool's arguments."""
        return self.connection_class(**self.connection_kwargs)

    def _take(self) -> Connection | None:
        """A connection without waiting, or ``None`` when the pool is full."""
        if self._available:
            conn = self._available.popleft()
        elif len(self._in_use) < self.max_connections:
            conn = self.make_connection()
        else:
            return None
        self._in_use.add(conn)
        return conn

    async def get_connection(
        self, command_name: str | None = None, *keys: Any, **options: Any
    ) -> Connection:
        """Hand out a connection (connected, ready for a command).

        :raises MaxConnectionsError: ``max_connections`` are already in use.
        """
        conn = self._take()
        if conn is None:
            raise MaxConnectionsError("Too many connections")
        return await self._ready(conn)

    async def _ready(self, conn: Connection) -> Connection:
        try:
            await conn.connect()
        except BaseException:
            # A failed connect must not leak the slot (nor swallow cancellation).
            self._release(conn)
            raise
        return conn

    def _release(self, conn: Connection) -> None:
        """Take a connection back; one in an unknown state is disconnected first."""
        if conn not in self._in_use:
            return
        self._in_use.discard(conn)
        if conn.pending_replies or conn.message_sink is not None:
            transport = conn._transport
            conn._abort(ConnectionError("Connection released in an unknown state."))
            if transport is not None:
                transport.abort()
            conn.message_sink = None
        elif self._maint_notifications_pool_handler is not None and (
            conn._should_reconnect
        ):
            conn._close_for_reconnect()  # to the endpoint a MOVING named
        if self._closed:
            conn._abort(ConnectionError("Connection pool closed."))
            return
        if conn._re_auth_token is not None:
            re_auth_on_release(conn)  # a token was streamed while in use
        self._available.append(conn)

    async def release(self, connection: Connection) -> None:
        """Give a connection back to the pool; one in use when a streaming
        credential provider pushed a token re-authenticates first.

        :raises AuthenticationError: the server refused that token.
        """
        if connection._re_auth_token is not None:
            await release_after_re_auth(self, connection)
        else:
            self._release(connection)

    def owns_connection(self, connection: Connection) -> bool:
        """True when the connection belongs to this pool."""
        return connection in self._in_use or connection in self._available

    async def disconnect(self, inuse_connections: bool = True) -> None:
        """Close idle connections, and those in use unless told otherwise."""
        conns = list(self._available)
        if inuse_connections:
            conns += list(self._in_use)
        # disconnect() as redis-py's pool calls it: a connection class that
        # overrides it without ``nowait`` works too.
        await asyncio.gather(*(c.disconnect() for c in conns), return_exceptions=True)

    async def aclose(self) -> None:
        """Close every connection; the pool can still hand out new ones.

        Pending maintenance follow-ups (the end of a MOVING) are cancelled.
        """
        self._cancel_maintenance()
        await self.disconnect()

    def reset(self) -> None:
        """Forget every connection (without closing them)."""
        self._available.clear()
        self._in_use.clear()

    def set_retry(self, retry: Any) -> None:
        """Use ``retry`` for the pool's connections, those made from now on and
        those it holds (as redis-py does)."""
        self.connection_kwargs["retry"] = retry
        for conn in (*self._available, *self._in_use):
            conn.retry = retry


class BlockingConnectionPool(ConnectionPool):
    """A pool that makes callers wait (up to ``timeout`` seconds) for a free
    connection instead of failing when ``max_connections`` (50 by default;
    ``None``: 100, as redis-py) are in use.

    Waiters are served first come, first served.

    :raises ConnectionError: no connection became free within ``timeout``
        (``None`` waits for ever).
    """

    def __init__(
        self,
        max_connections: int | None = 50,
        timeout: float | None = 20,
        connection_class: type[Connection] = Connection,
        **connection_kwargs: Any,
    ) -> None:
        super().__init__(
            connection_class=connection_class,
            max_connections=max_connections,
            **connection_kwargs,
        )
        self.timeout = timeout
        self._waiters: deque[asyncio.Future[Connection | None]] = deque()

    async def get_connection(
        self, command_name: str | None = None, *keys: Any, **options: Any
    ) -> Connection:
        """Hand out a connection, waiting for one when all are in use."""
        if not self._waiters:
            conn = self._take()
            if conn is not None:
                return await self._ready(conn)
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[Connection | None] = loop.create_future()
        self._waiters.append(waiter)
        try:
            async with asyncio.timeout(self.timeout):
                handed = await waiter
        except BaseException as exc:
            # Cancelled or timed out: give back a connection handed over meanwhile.
            if waiter.done() and not waiter.cancelled():
                handed = waiter.result()
                if handed is not None:
                    self._release(handed)
            else:
                waiter.cancel()
                try:
                    self._waiters.remove(waiter)
                except ValueError:
                    pass
            if isinstance(exc, TimeoutError):
                raise ConnectionError("No connection available.") from exc
            raise
        conn = handed if handed is not None else ConnectionPool._take(self)
        if conn is None:
            raise ConnectionError("No connection available.")
        return await self._ready(conn)

    def _take(self) -> Connection | None:
        # Callers already waiting go first.
        if self._waiters:
            return None
        return super()._take()

    def _release(self, conn: Connection) -> None:
        was_ours = conn in self._in_use
        super()._release(conn)
        if not was_ours:
            return
        # Hand the freed connection straight to the oldest live waiter.
        while self._waiters:
            waiter = self._waiters.popleft()
            if waiter.done():
                continue
            if self._available:
                taken = self._available.pop()
                self._in_use.add(taken)
                waiter.set_result(taken)
            else:
                waiter.set_result(None)  # a slot is free: make a new connection
            return


def _nothing() -> None:
    return None


def _own_get_connection(cls: type[ConnectionPool]) -> bool:
    """Whether ``cls`` hands out connections with one of this module's methods."""
    return cls.get_connection in (
        ConnectionPool.get_connection,
        BlockingConnectionPool.get_connection,
    )
