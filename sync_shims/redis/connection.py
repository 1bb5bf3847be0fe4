"""redis-py's ``redis.connection`` names: blocking connections and pools.

A pool here is a thin owner of an :class:`aio.redis.ConnectionPool`, and a
connection a thin owner of one of the async core's connections, which live on
the engine's loop: ``connect()``, ``send_command()``, ``read_response()`` and
``disconnect()`` block, other attributes are the async connection's. Pass a
pool to several clients with ``Redis(connection_pool=pool)``.

The defaults are redis-py 8's: 5 s socket and connect timeouts, TCP keepalive
on (idle 30 s, interval 5 s, 3 probes), at most 100 connections per
``ConnectionPool`` (50 per ``BlockingConnectionPool``).
"""

from __future__ import annotations

import os
import socket
import weakref
from typing import Any, ClassVar, Self

from aio.redis import BlockingConnectionPool as AsyncBlockingConnectionPool
from aio.redis import Connection as AsyncConnection
from aio.redis import ConnectionPool as AsyncConnectionPool
from aio.redis import SSLConnection as AsyncSSLConnection
from aio.redis import UnixDomainSocketConnection as AsyncUnixDomainSocketConnection
from aio.redis._encoder import Encoder
from aio.redis.cache import CacheInterface
from aio.redis.exceptions import RedisError
from aio.redis.himport import HImportRegistry
from aio.redis.maint_notifications import (
    MaintNotificationsConfig,
    MaintNotificationsPoolHandler,
)
from sync_shims._portal import call
from sync_shims.redis._fork import track_connection, track_pool
from sync_shims.redis.retry import resolve_retry

__all__ = (
    "DEFAULT_SOCKET_CONNECT_TIMEOUT",
    "DEFAULT_SOCKET_READ_SIZE",
    "DEFAULT_SOCKET_TIMEOUT",
    "BlockingConnectionPool",
    "Connection",
    "ConnectionPool",
    "Encoder",
    "SSLConnection",
    "UnixDomainSocketConnection",
    "get_default_socket_keepalive_options",
)

DEFAULT_SOCKET_TIMEOUT = 5
DEFAULT_SOCKET_CONNECT_TIMEOUT = DEFAULT_SOCKET_TIMEOUT
#: Accepted as redis-py's is; aio sizes its receive buffers itself.
DEFAULT_SOCKET_READ_SIZE = 32768


class _Default:
    """The "not given" of ``socket_keepalive_options`` (None means "none")."""

    def __repr__(self) -> str:
        return "<default>"


DEFAULT: Any = _Default()


def get_default_socket_keepalive_options() -> dict[int, int]:
    """redis-py's keepalive tuning: idle 30 s, probes every 5 s, 3 probes (the
    options this platform has)."""
    names = (("TCP_KEEPIDLE", "TCP_KEEPALIVE"), ("TCP_KEEPINTVL",), ("TCP_KEEPCNT",))
    options: dict[int, int] = {}
    for candidates, value in zip(names, (30, 5, 3), strict=True):
        for name in candidates:
            option = getattr(socket, name, None)
            if option is not None:
                options[option] = value
                break
    return options


def _with_defaults(options: dict[str, Any]) -> dict[str, Any]:
    """``options`` completed with redis-py's connection defaults; the given keys
    first (a pool's repr lists them in the order given)."""
    keepalive = options.get("socket_keepalive_options", DEFAULT)
    defaults = {
        "socket_timeout": DEFAULT_SOCKET_TIMEOUT,
        "socket_connect_timeout": DEFAULT_SOCKET_CONNECT_TIMEOUT,
        "socket_keepalive": True,
    }
    done = {**options, **{k: v for k, v in defaults.items() if k not in options}}
    done["socket_keepalive_options"] = (
        get_default_socket_keepalive_options() if keepalive is DEFAULT else keepalive
    )
    if done["socket_connect_timeout"] is None:
        done["socket_connect_timeout"] = done["socket_timeout"]
    return done


def _with_retry(options: dict[str, Any]) -> None:
    # A hand-made connection's policy, resolved as the core would but built in
    # the facade's own (blocking) Retry class when only errors are named.
    options["retry"], options["retry_on_error"] = resolve_retry(
        options.get("retry"),
        options.get("retry_on_error"),
        bool(options.get("retry_on_timeout", False)),
    )


def refuse_maintenance_notifications(options: dict[str, Any], where: str) -> None:
    """Drop ``maint_notifications_config`` from ``options``; refuse it enabled.

    For connections that cannot take maintenance notifications (a unix
    socket, a class of another interface), with redis-py's message: a config
    that turns them off, or leaves it to the client (``"auto"``), is accepted.

    :raises RedisError: ``enabled=True``; ``where`` names the connections.
    """
    config = options.pop("maint_notifications_config", None)
    if config is not None and getattr(config, "enabled", None) is True:
        raise RedisError(
            f"Maintenance notifications are not supported with {where}"
            " (aio.redis does not implement them)"
        )


def _takes_maintenance(connection_class: Any) -> bool:
    # The core's TCP and TLS connections do; a unix socket's, or a class of
    # another interface, do not.
    if isinstance(connection_class, type) and issubclass(connection_class, Connection):
        connection_class = connection_class._async_class
    return bool(getattr(connection_class, "maint_notifications_supported", False))


class Connection:
    """A blocking connection with redis-py's arguments and defaults (see the
    module docstring): ``Connection(host="localhost", port=6379, db=0, ...)``.

    ``retry`` is the policy redis-py would give it (``retry_on_error`` and
    ``retry_on_timeout`` widen a copy of ``retry``); ``pid`` is the process it
    was made in. Made by hand and used in a forked child, it connects anew
    there: the parent's socket stays the parent's.
    """

    _async_class: ClassVar[type[AsyncConnection]] = AsyncConnection
    _OWN: ClassVar[frozenset[str]] = frozenset({"_async", "_options", "pid"})
    _async: AsyncConnection

    def __init__(
        self,
        host: str = "localhost",
        port: int = 6379,
        socket_keepalive: bool = True,
        socket_keepalive_options: Any = DEFAULT,
        **kwargs: Any,
    ) -> None:
        self._start(
            host=host,
            port=port,
            socket_keepalive=socket_keepalive,
            socket_keepalive_options=socket_keepalive_options,
            **kwargs,
        )

    def _start(self, **options: Any) -> None:
        options = _with_defaults(options)
        options.setdefault("socket_read_size", DEFAULT_SOCKET_READ_SIZE)
        _with_retry(options)
        self._options: dict[str, Any] | None = options
        self._async = self._async_class(**options)
        self.pid = os.getpid()
        track_connection(self)

    @classmethod
    def _wrap(cls, connection: AsyncConnection) -> Self:
        """The view of a connection the async core made (a pool's): the same
        object for as long as someone holds it, as redis-py's pools hand out."""
        view = _VIEWS.get(id(connection))
        if isinstance(view, cls) and view._async is connection:
            return view
        view = cls.__new__(cls)
        object.__setattr__(view, "_async", connection)
        object.__setattr__(view, "_options", None)
        object.__setattr__(view, "pid", os.getpid())
        # By id: a live view keeps its connection alive, so the id is not reused.
        _VIEWS[id(connection)] = view
        return view

    def _renew(self, abandoned: list[Any]) -> None:
        # In a forked child: the parent's connection (and its loop) stay behind.
        if self._options is not None:
            abandoned.append(self._async)
            self._async = self._async_class(**self._options)
            self.pid = os.getpid()

    def __getattr__(self, name: str) -> Any:
        if name in Connection._OWN:
            raise AttributeError(name)
        return getattr(self._async, name)

    def __setattr__(self, name: str, value: Any) -> None:
        # The connection's own settings (retry, socket_timeout...) live on the
        # async connection; the view keeps only what is its own.
        if name in Connection._OWN or hasattr(type(self), name):
            object.__setattr__(self, name, value)
        else:
            setattr(self._async, name, value)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Connection):
            return NotImplemented
        return self._async is other._async

    def __hash__(self) -> int:
        return hash(id(self._async))

    def repr_pieces(self) -> list[tuple[str, Any]]:
        """What the repr shows: address, db, client name."""
        pieces: list[tuple[str, Any]] = [
            ("host", self._async.host),
            ("port", self._async.port),
            ("db", self._async.db),
        ]
        if self._async.client_name:
            pieces.append(("client_name", self._async.client_name))
        return pieces

    def __repr__(self) -> str:
        args = ",".join(f"{k}={v}" for k, v in self.repr_pieces())
        return f"<{type(self).__module__}.{type(self).__name__}({args})>"

    @property
    def retry_on_error(self) -> list[type[Exception]]:
        """The errors (beyond the policy's own) retried on."""
        return list(self._async.retry_on_error)

    @property
    def _socket_read_size(self) -> int:
        return int(self._async.extra.get("socket_read_size", DEFAULT_SOCKET_READ_SIZE))

    @property
    def next_health_check(self) -> float:
        """When the next command PINGs first (``health_check_interval``), on
        the engine loop's clock (``time.monotonic()`` on asyncio's loop)."""
        return self._async._next_health_check

    @next_health_check.setter
    def next_health_check(self, value: float) -> None:
        self._async._next_health_check = value

    def get_protocol(self) -> int:
        """The RESP version spoken (2 or 3)."""
        return self._async.protocol

    def connect(self) -> None:
        """Connect and run the handshake, unless connected."""
        call(self._async.connect)

    def disconnect(self, *args: Any) -> None:
        """Close the connection (a pool's reconnects on its next use)."""
        call(self._async.disconnect)

    def check_health(self) -> None:
        """PING first when idle past ``health_check_interval``."""
        call(self._async.check_health)

    def send_command(self, *args: Any, **kwargs: Any) -> None:
        """Send a command (connecting first if needed); read its reply with
        :meth:`read_response`."""
        call(self._async.send_command, *args)

    def read_response(
        self,
        disable_decoding: bool = False,
        *,
        timeout: float | None = None,
        **kwargs: Any,
    ) -> Any:
        """The reply to the oldest command sent with :meth:`send_command`.

        :raises TimeoutError: none within ``timeout`` (default ``socket_timeout``).
        """
        return call(self._async.read_response, disable_decoding, timeout)


_VIEWS: weakref.WeakValueDictionary[int, Connection] = weakref.WeakValueDictionary()


class UnixDomainSocketConnection(Connection):
    """A blocking connection over a unix-domain socket (``path``)."""

    _async_class = AsyncUnixDomainSocketConnection

    def __init__(
        self,
        path: str = "",
        socket_timeout: float | None = DEFAULT_SOCKET_TIMEOUT,
        **kwargs: Any,
    ) -> None:
        self._start(path=path, socket_timeout=socket_timeout, **kwargs)

    def repr_pieces(self) -> list[tuple[str, Any]]:
        pieces: list[tuple[str, Any]] = [
            ("path", self._async.path),  # type: ignore[attr-defined]
            ("db", self._async.db),
        ]
        if self._async.client_name:
            pieces.append(("client_name", self._async.client_name))
        return pieces


class SSLConnection(Connection):
    """A blocking TLS connection, configured by redis-py's ``ssl_*`` arguments."""

    _async_class = AsyncSSLConnection

    @property
    def cert_reqs(self) -> Any:
        """The certificate check (``ssl.CERT_NONE``/``OPTIONAL``/``REQUIRED``)."""
        return self._async.ssl_context.verify_mode  # type: ignore[attr-defined]

    @property
    def check_hostname(self) -> bool:
        """Whether the server's name is checked against its certificate."""
        return bool(self._async.ssl_context.check_hostname)  # type: ignore[attr-defined]


# The facade's class for each of the core's, so that a pool made from a URL
# reports (and hands out) the blocking ones.
_FACADE_CLASSES: dict[type[AsyncConnection], type[Connection]] = {
    AsyncConnection: Connection,
    AsyncUnixDomainSocketConnection: UnixDomainSocketConnection,
    AsyncSSLConnection: SSLConnection,
}


def _split_class(cls: Any) -> tuple[type[Connection], type[AsyncConnection]]:
    """``(view class, async class)`` for a pool's ``connection_class``.

    :raises TypeError: a class that is neither the facade's nor aio's.
    """
    if isinstance(cls, type) and issubclass(cls, Connection):
        return cls, cls._async_class
    if isinstance(cls, type) and issubclass(cls, AsyncConnection):
        for base in cls.__mro__:
            if base in _FACADE_CLASSES:
                return _FACADE_CLASSES[base], cls
    raise TypeError(
        f"connection_class must be Connection, UnixDomainSocketConnection or "
        f"SSLConnection (or a subclass) from sync_shims.redis.connection, or an "
        f"aio.redis connection class, not {cls!r}: the facade's pools hold the "
        f"async core's connections"
    )


class ConnectionPool:
    """A pool of connections shared by the clients made with it (redis-py's
    arguments: ``connection_class``, ``max_connections`` (100 when not given),
    connection keywords). ``with pool:`` closes it on exit.

    :raises TypeError: a ``connection_class`` the facade cannot use.
    :raises MaxConnectionsError: (from a command) ``max_connections`` in use.
    """

    _async_class: type[AsyncConnectionPool] = AsyncConnectionPool
    _DEFAULT_MAX = 100
    #: Shown as ``<REDACTED>`` in the repr.
    SENSITIVE_REPR_KEYS = frozenset(
        {"password", "username", "ssl_password", "credential_provider"}
    )
    #: In ``connection_kwargs`` but not shown, as redis-py's.
    OMIT_REPR_KEYS = frozenset({"himport_registry"})
    _async: AsyncConnectionPool
    _view: type[Connection]
    _connection_class: type[Any]

    def __init__(
        self,
        connection_class: type[Any] = Connection,
        max_connections: int | None = None,
        **connection_kwargs: Any,
    ) -> None:
        if not _takes_maintenance(connection_class):
            refuse_maintenance_notifications(connection_kwargs, repr(connection_class))
        view, async_class = _split_class(connection_class)
        async_pool = self._async_class(
            connection_class=async_class,
            max_connections=max_connections or self._DEFAULT_MAX,
            **_with_defaults(connection_kwargs),
        )
        self._adopt(async_pool, connection_class, view)

    def _adopt(
        self, async_pool: AsyncConnectionPool, shown: type[Any], view: type[Connection]
    ) -> None:
        self._async = async_pool
        self._connection_class = shown
        self._view = view
        track_pool(async_pool)

    @classmethod
    def _wrap(cls, async_pool: AsyncConnectionPool) -> Self:
        """The facade of a pool the async core made (a client's own)."""
        pool = cls.__new__(cls)
        pool._async = async_pool
        track_pool(async_pool)
        return pool

    def _classes(self) -> tuple[type[Any], type[Connection]]:
        # (shown, view) of a pool made by _wrap or a subclass that sets _async
        # only: the facade's class for the core's own, the core's class else.
        try:
            return self._connection_class, self._view
        except AttributeError:
            made = self._async.connection_class
            view = _split_class(made)[0]
            return (view if view._async_class is made else made), view

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> Self:
        """A pool for a ``redis://``, ``rediss://`` or ``unix://`` URL; what
        the URL says wins over keyword arguments (``connection_class`` aside)."""
        shown = kwargs.pop("connection_class", None)
        if url.startswith("unix://") or not _takes_maintenance(shown or Connection):
            refuse_maintenance_notifications(kwargs, f"connections to {url}")
        if shown is not None:
            kwargs["connection_class"] = _split_class(shown)[1]
        async_pool = cls._async_class.from_url(url, **_with_defaults(kwargs))
        view = _split_class(shown or async_pool.connection_class)[0]
        pool = cls.__new__(cls)
        pool._adopt(async_pool, shown or view, view)
        return pool

    def __repr__(self) -> str:
        kwargs = ",".join(
            f"{k}={'<REDACTED>' if k in self.SENSITIVE_REPR_KEYS else v}"
            for k, v in self.connection_kwargs.items()
            if k not in self.OMIT_REPR_KEYS
        )
        shown = self._classes()[0]
        return (
            f"<{type(self).__module__}.{type(self).__name__}"
            f"(<{shown.__module__}.{shown.__name__}({kwargs})>)>"
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def connection_kwargs(self) -> dict[str, Any]:
        """The arguments every connection is made with."""
        return self._async.connection_kwargs

    @property
    def himport_registry(self) -> HImportRegistry:
        """The HIMPORT fieldsets declared on clients of this pool (the object
        in ``connection_kwargs["himport_registry"]``)."""
        return self._async.himport_registry

    @property
    def connection_class(self) -> type[Any]:
        """The class of the pool's connections."""
        return self._classes()[0]

    @property
    def max_connections(self) -> int:
        """Most connections open at once."""
        return self._async.max_connections

    @property
    def cache(self) -> CacheInterface | None:
        """The client-side cache (``cache=``, ``cache_config=``,
        ``cache_factory=``: :mod:`sync_shims.redis.cache`), or None."""
        cache: CacheInterface | None = self._async.cache
        return cache

    def maint_notifications_enabled(self) -> bool | str | None:
        """``True`` or ``"auto"`` when the pool's connections ask for maintenance
        notifications, None when they do not (RESP2, a unix socket, turned off)."""
        return self._async.maint_notifications_enabled()

    @property
    def _maint_notifications_pool_handler(self) -> MaintNotificationsPoolHandler | None:
        # redis-py's attribute, read by code written for it.
        return self._async._maint_notifications_pool_handler

    def update_maint_notifications_config(
        self, maint_notifications_config: MaintNotificationsConfig
    ) -> None:
        """Turn maintenance notifications on (or reconfigure them) for a pool made
        without them: idle connections reconnect now, busy ones when released.

        :raises ValueError: turning them off once on.
        :raises RedisError: ``enabled=True`` where they cannot work.
        """
        call(self._async.update_maint_notifications_config, maint_notifications_config)

    def get_encoder(self) -> Encoder:
        """The pool's :class:`Encoder` (encoding, errors, decode_responses), of
        the ``encoder_class`` given among the connection arguments if any."""
        encoder_class = getattr(self._async, "encoder_class", Encoder)
        encoder: Encoder = encoder_class(*self._async.get_encoder())
        return encoder

    def get_protocol(self) -> int | str | None:
        """The ``protocol`` the connections were given, None when not given
        (they speak RESP3)."""
        return self._async.get_protocol()

    def get_connection_count(self) -> list[tuple[int, dict[str, Any]]]:
        """``[(idle, attributes), (in use, attributes)]``, redis-py's count for
        its metrics (see :meth:`aio.redis.ConnectionPool.get_connection_count`)."""
        return self._async.get_connection_count()

    def get_connection(self, *args: Any, **kwargs: Any) -> Connection:
        """Take a connection out of the pool (connected), as redis-py does; give
        it back with :meth:`release`.

        :raises MaxConnectionsError: (``ConnectionPool``) ``max_connections`` in use.
        :raises ConnectionError: (``BlockingConnectionPool``) none freed in time.
        """
        return self._classes()[1]._wrap(
            call(self._async.get_connection, *args, **kwargs)
        )

    def release(self, connection: Connection | AsyncConnection) -> None:
        """Give back a connection taken with :meth:`get_connection` (one that
        is not the pool's is ignored)."""
        conn = connection._async if isinstance(connection, Connection) else connection
        call(self._async.release, conn)

    def make_connection(self) -> Connection:
        """A new, unconnected connection with the pool's arguments (not pooled)."""
        return self._classes()[1]._wrap(self._async.make_connection())

    def owns_connection(self, connection: Connection | AsyncConnection) -> bool:
        """Whether ``connection`` was made by this pool (and not since reset)."""
        conn = connection._async if isinstance(connection, Connection) else connection
        return self._async.owns_connection(conn)

    def set_retry(self, retry: Any) -> None:
        """Use ``retry`` for the pool's connections, held and future."""
        self._async.set_retry(retry)

    def disconnect(self, inuse_connections: bool = True) -> None:
        """Close idle connections, and those in use unless told otherwise."""
        call(self._async.disconnect, inuse_connections)

    def close(self) -> None:
        """Close every connection; the pool can still make new ones."""
        call(self._async.aclose)

    def reset(self) -> None:
        """Forget every connection (without closing them)."""
        self._async.reset()


class BlockingConnectionPool(ConnectionPool):
    """A pool that makes callers wait up to ``timeout`` seconds for a free
    connection (``max_connections=50, timeout=20`` by default) instead of failing.

    :raises ConnectionError: (from a command) no connection freed in time.
    """

    _async_class = AsyncBlockingConnectionPool
    _async: AsyncBlockingConnectionPool

    def __init__(
        self,
        max_connections: int | None = 50,
        timeout: float | None = 20,
        connection_class: type[Any] = Connection,
        queue_class: Any = None,
        **connection_kwargs: Any,
    ) -> None:
        if not _takes_maintenance(connection_class):
            refuse_maintenance_notifications(connection_kwargs, repr(connection_class))
        view, async_class = _split_class(connection_class)
        async_pool = self._async_class(
            max_connections=max_connections,
            timeout=timeout,
            connection_class=async_class,
            **_with_defaults(connection_kwargs),
        )
        self._adopt(async_pool, connection_class, view)

    @property
    def timeout(self) -> float | None:
        """Seconds a caller waits for a free connection (None: for ever)."""
        return self._async.timeout
