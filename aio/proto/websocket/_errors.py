"""Errors of the WebSocket protocol core.

Every error carries the close code (RFC 6455 §7.4.1) that the connection must be
closed with, so that a shell never needs a lookup table::

    AioError
    └── WebSocketError                      root of this component
        ├── WebSocketProtocolError          the peer broke RFC 6455/7692 (also RemoteProtocolError)
        │   └── PayloadTooBigError          a message exceeded the size limit (1009)
        ├── InvalidHandshakeError           the opening handshake is not acceptable (RemoteProtocolError)
        └── LocalWebSocketError             our caller misused the API (also LocalProtocolError)
"""

from __future__ import annotations

from aio.errors import AioError, LocalProtocolError, RemoteProtocolError

__all__ = (
    "InvalidHandshakeError",
    "LocalWebSocketError",
    "PayloadTooBigError",
    "WebSocketError",
    "WebSocketProtocolError",
)


class WebSocketError(AioError):
    """Root of every error raised by :mod:`aio.proto.websocket`."""


class WebSocketProtocolError(WebSocketError, RemoteProtocolError):
    """The peer sent something RFC 6455 or RFC 7692 forbids.

    :param message: what was wrong and where.
    :param close_code: the close code to fail the connection with (1002 protocol
        error, 1007 invalid payload data, 1009 message too big, 1006 abrupt end).
    """

    def __init__(self, message: str, *, close_code: int = 1002) -> None:
        super().__init__(message, status_hint=400)
        self.close_code = close_code


class PayloadTooBigError(WebSocketProtocolError):
    """A message (after decompression) exceeded ``max_message_size`` (close code 1009)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, close_code=1009)


class InvalidHandshakeError(WebSocketError, RemoteProtocolError):
    """The opening handshake (RFC 6455 §4) cannot be accepted.

    ``status_hint`` is the HTTP status a server should answer with: 400 for a
    malformed request, 426 for an unsupported ``Sec-WebSocket-Version``.
    """


class LocalWebSocketError(WebSocketError, LocalProtocolError):
    """Our caller asked for something the protocol forbids (for example sending
    after the close frame, or an invalid close code).

    :param message: what was wrong.
    :param close_code: the close code this corresponds to, 1002 unless stated.
    """

    def __init__(self, message: str, *, close_code: int = 1002) -> None:
        super().__init__(message, status_hint=400)
        self.close_code = close_code
