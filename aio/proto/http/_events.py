"""The events of an HTTP/1.1 exchange, and the sentinels of ``next_event``.

Events are frozen, slotted dataclasses: the parser builds them without any
validation of its own (it has already checked the bytes), and ``Connection.send``
validates the ones our caller hands in before writing a single byte. Header names
in parsed events are lower-cased; values keep their bytes, minus surrounding
optional whitespace (RFC 9112 section 5).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Final

__all__ = (
    "NEED_DATA",
    "PAUSED",
    "ConnectionClosed",
    "Data",
    "EndOfMessage",
    "Event",
    "Headers",
    "InformationalResponse",
    "Request",
    "Response",
    "Sentinel",
)

#: A header list: ``(name, value)`` pairs in wire order, names lower-case when parsed.
Headers = list[tuple[bytes, bytes]]


class Sentinel(enum.Enum):
    """What ``next_event`` returns when it has no event to give."""

    #: More bytes from the peer are needed before the next event.
    NEED_DATA = "NEED_DATA"
    #: The peer's message is complete; call ``start_next_cycle`` (keep-alive) or
    #: read ``trailing_data`` (protocol switch) before parsing more.
    PAUSED = "PAUSED"

    def __repr__(self) -> str:
        return self.value


NEED_DATA: Final = Sentinel.NEED_DATA
PAUSED: Final = Sentinel.PAUSED


@dataclass(frozen=True, slots=True)
class Request:
    """The head of a request.

    :param method: the method token, e.g. ``b"GET"`` (case-sensitive).
    :param target: the request target as sent, e.g. ``b"/a?b=c"``.
    :param headers: ``(name, value)`` pairs.
    :param http_version: ``b"1.1"`` or ``b"1.0"``.
    """

    method: bytes
    target: bytes
    headers: Headers
    http_version: bytes = b"1.1"


@dataclass(frozen=True, slots=True)
class Response:
    """The head of a final (2xx-5xx) response.

    :param status_code: 200 to 599.
    :param headers: ``(name, value)`` pairs.
    :param http_version: the peer's version when parsed; we always send 1.1.
    :param reason: the reason phrase; empty means the standard one when sent.
    """

    status_code: int
    headers: Headers
    http_version: bytes = b"1.1"
    reason: bytes = b""


@dataclass(frozen=True, slots=True)
class InformationalResponse:
    """A 1xx interim response (``100 Continue``, ``101 Switching Protocols``, ...)."""

    status_code: int
    headers: Headers
    http_version: bytes = b"1.1"
    reason: bytes = b""


@dataclass(frozen=True, slots=True)
class Data:
    """A piece of a message body (any size; never empty when parsed)."""

    data: bytes


@dataclass(frozen=True, slots=True)
class EndOfMessage:
    """The end of a message body, with the trailer fields of a chunked body."""

    headers: Headers = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ConnectionClosed:
    """The peer closed its side (EOF between messages), or we close ours."""


#: Every event type ``next_event`` may return or ``send`` accepts.
Event = (
    Request | Response | InformationalResponse | Data | EndOfMessage | ConnectionClosed
)
