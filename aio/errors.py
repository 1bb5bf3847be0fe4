"""The root of every exception aio raises, and the categories components share.

Each component has one root exception deriving from :class:`AioError`; its concrete
classes also inherit one of the shared categories below, so a caller can catch "any
timeout" or "any transport failure" without knowing which component raised it::

    AioError
    ├── ClosedResourceError          the resource was closed by this side
    ├── BrokenResourceError          the resource failed and cannot be used again
    ├── BusyResourceError            another task is already using the resource
    ├── ProtocolError                the peer or the caller broke the wire protocol
    │   ├── LocalProtocolError       we (our caller) did something the protocol forbids
    │   └── RemoteProtocolError      the peer sent something the protocol forbids
    ├── TransportError               the byte stream failed
    │   ├── ConnectError
    │   ├── ReadError
    │   └── WriteError
    └── AioTimeoutError (also builtin TimeoutError)
        ├── ConnectTimeout
        ├── ReadTimeout
        ├── WriteTimeout
        └── PoolTimeout

:class:`ProtocolError` carries an HTTP-style ``status_hint`` so that a server can turn a
parse failure into the right response (400, 413, 414, 431) without a lookup table.
"""

from __future__ import annotations

__all__ = (
    "AioError",
    "AioTimeoutError",
    "BrokenResourceError",
    "BusyResourceError",
    "ClosedResourceError",
    "ConnectError",
    "ConnectTimeout",
    "LocalProtocolError",
    "PoolTimeout",
    "ProtocolError",
    "ReadError",
    "ReadTimeout",
    "RemoteProtocolError",
    "TransportError",
    "WriteError",
    "WriteTimeout",
)


class AioError(Exception):
    """Base class of every exception raised by aio."""


class ClosedResourceError(AioError):
    """The resource was closed by this side and cannot be used any more."""


class BrokenResourceError(AioError):
    """The resource failed (for example the peer went away) and cannot be used."""


class BusyResourceError(AioError):
    """Another task is already using a resource that allows only one user at a time."""


class ProtocolError(AioError):
    """A wire-protocol rule was broken.

    :param message: what was wrong and where.
    :param status_hint: the HTTP status a server should answer with, when the error
        comes from parsing a request (400 unless a more precise one applies).
    """

    def __init__(self, message: str, *, status_hint: int = 400) -> None:
        super().__init__(message)
        self.status_hint = status_hint

    def __new__(cls, *args: object, **kwargs: object) -> ProtocolError:
        # ProtocolError itself is abstract: raise one of the two sides instead.
        if cls is ProtocolError:
            raise TypeError("raise LocalProtocolError or RemoteProtocolError")
        return super().__new__(cls)


class LocalProtocolError(ProtocolError):
    """This side tried to do something the protocol forbids."""


class RemoteProtocolError(ProtocolError):
    """The peer sent something the protocol forbids."""


class TransportError(AioError):
    """The underlying byte stream failed."""


class ConnectError(TransportError):
    """A connection could not be established."""


class ReadError(TransportError):
    """Reading from the connection failed."""


class WriteError(TransportError):
    """Writing to the connection failed."""


class AioTimeoutError(AioError, TimeoutError):
    """An operation did not finish in time. Also a builtin :class:`TimeoutError`."""


class ConnectTimeout(AioTimeoutError):
    """Establishing a connection took too long."""


class ReadTimeout(AioTimeoutError):
    """Waiting for data from the peer took too long."""


class WriteTimeout(AioTimeoutError):
    """Sending data to the peer took too long."""


class PoolTimeout(AioTimeoutError):
    """Waiting for a free connection in a pool took too long."""
