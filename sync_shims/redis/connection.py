"""redis-py's ``redis.connection`` names: blocking connection pools.

A pool here is a thin owner of an :class:`aio.redis.ConnectionPool`; the
connections themselves live on the engine's loop. Pass one to several clients
with ``Redis(connection_pool=pool)``.
"""

from __future__ import annotations

from typing import Any, Self

from aio.redis import BlockingConnectionPool as AsyncBlockingConnectionPool
from aio.redis import Connection as Connection
from aio.redis import ConnectionPool as AsyncConnectionPool
from aio.redis import SSLConnection as SSLConnection
from aio.redis import UnixDomainSocketConnection as UnixDomainSocketConnection
from sync_shims._portal import call
from sync_shims.redis._fork import track_pool

__all__ = (
    "BlockingConnectionPool",
    "Connection",
    "ConnectionPool",
    "SSLConnection",
    "UnixDomainSocketConnection",
)


class ConnectionPool:
    """A pool of connections shared by the clients made with it (redis-py's
    arguments: ``connection_class``, ``max_connections``, connection keywords).

    :raises MaxConnectionsError: (from a command) ``max_connections`` in use.
    """

    _async_class: type[AsyncConnectionPool] = AsyncConnectionPool

    def __init__(self, **kwargs: Any) -> None:
        self._async = self._async_class(**kwargs)
        track_pool(self._async)

    @classmethod
    def _wrap(cls, async_pool: AsyncConnectionPool) -> Self:
        pool = cls.__new__(cls)
        pool._async = async_pool
        track_pool(async_pool)
        return pool

    @classmethod
    def from_url(cls, url: str, **kwargs: Any) -> Self:
        """A pool for a ``redis://``, ``rediss://`` or ``unix://`` URL; keyword
        arguments override what the URL says."""
        return cls._wrap(cls._async_class.from_url(url, **kwargs))

    def __repr__(self) -> str:
        return f"<{type(self).__module__}.{type(self).__name__}({self._async!r})>"

    @property
    def connection_kwargs(self) -> dict[str, Any]:
        """The arguments every connection is made with."""
        return self._async.connection_kwargs

    @property
    def connection_class(self) -> type[Connection]:
        """The class of the pool's connections."""
        return self._async.connection_class

    @property
    def max_connections(self) -> int:
        """Most connections open at once."""
        return self._async.max_connections

    def get_encoder(self) -> tuple[str, str, bool]:
        """``(encoding, errors, decode_responses)``."""
        return self._async.get_encoder()

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
