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
from aio.redis.exceptions import DataError
from sync_shims._portal import call
from sync_shims.redis._fork import track_pool

__all__ = (
    "BlockingConnectionPool",
    "Connection",
    "ConnectionPool",
    "Encoder",
    "SSLConnection",
    "UnixDomainSocketConnection",
)


class Encoder:
    """redis-py's ``Encoder``: turns command arguments into bytes and, with
    ``decode_responses``, replies into str (what ``get_encoder()`` returns)."""

    def __init__(self, encoding: str, encoding_errors: str, decode_responses: bool):
        self.encoding = encoding
        self.encoding_errors = encoding_errors
        self.decode_responses = decode_responses

    def __repr__(self) -> str:
        return (
            f"Encoder(encoding={self.encoding!r}, errors={self.encoding_errors!r}, "
            f"decode_responses={self.decode_responses!r})"
        )

    def encode(self, value: Any) -> bytes | memoryview:
        """``value`` as it goes on the wire: bytes as given, str encoded, int and
        float as their text; bool, None and other types are refused.

        :raises DataError: a value of another type.
        """
        if isinstance(value, bytes | memoryview):
            return value
        if isinstance(value, bytearray):
            return bytes(value)
        if isinstance(value, str):
            return value.encode(self.encoding, self.encoding_errors)
        # bool is an int: refused like None (a likely mistake, as redis-py says)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return repr(value).encode()
        raise DataError(
            f"Invalid input of type: {type(value).__name__!r}. "
            "Convert to a bytes, string, int or float first."
        )

    def decode(self, value: Any, force: bool = False) -> Any:
        """``value`` as str when decoding responses (or ``force``), else as given."""
        if self.decode_responses or force:
            if isinstance(value, memoryview):
                value = value.tobytes()
            if isinstance(value, bytes):
                return value.decode(self.encoding, self.encoding_errors)
        return value


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

    def get_encoder(self) -> Encoder:
        """The pool's :class:`Encoder` (encoding, errors, decode_responses)."""
        return Encoder(*self._async.get_encoder())

    def get_connection(self, *args: Any, **kwargs: Any) -> Connection:
        """Take a connection out of the pool (connected), as redis-py does; give
        it back with :meth:`release`. The connection's methods are the async
        core's: use it only through a client, or hand it back untouched.

        :raises MaxConnectionsError: (``ConnectionPool``) ``max_connections`` in use.
        :raises ConnectionError: (``BlockingConnectionPool``) none freed in time.
        """
        return call(self._async.get_connection, *args, **kwargs)

    def release(self, connection: Connection) -> None:
        """Give back a connection taken with :meth:`get_connection`."""
        call(self._async.release, connection)

    def make_connection(self) -> Connection:
        """A new, unconnected connection with the pool's arguments (not pooled)."""
        return self._async.make_connection()

    def owns_connection(self, connection: Connection) -> bool:
        """Whether ``connection`` was made by this pool (and not since reset)."""
        return self._async.owns_connection(connection)

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
