"""The typed errors of the HTTP/1.1 core.

::

    aio.errors.RemoteProtocolError
    └── HTTPProtocolError                  the peer broke HTTP/1.1 (status_hint 400)
        ├── RequestLineTooLong             414: request/status line over the limit
        ├── HeaderBlockTooLarge            431: header section over the limit
        ├── TooManyHeaders                 431: more header lines than allowed
        ├── BodyTooLarge                   413: body over ``Limits.max_body``
        ├── InvalidRequestLine             400 (505 for an unsupported version)
        ├── InvalidStatusLine              a response's status line is malformed
        ├── InvalidHeader                  400: bad name/value/line ending/Host
        ├── InvalidContentLength           400: not 1*DIGIT, duplicated, too big
        ├── InvalidChunk                   400: bad chunk size, extension or CRLF
        ├── UnsupportedTransferEncoding    501 (unknown coding) or 400
        ├── RequestSmugglingError          400: ambiguous framing (CL + TE, ...)
        └── IncompleteMessage              the peer closed in the middle of a message
    aio.errors.LocalProtocolError
    └── LocalHTTPProtocolError             our caller misused the connection

A remote error moves the peer's side of the connection to ``ERROR``: the only
sensible reaction is to send an error response (``status_hint``) and close.
"""

from __future__ import annotations

from aio.errors import LocalProtocolError, RemoteProtocolError

__all__ = (
    "BodyTooLarge",
    "HTTPProtocolError",
    "HeaderBlockTooLarge",
    "IncompleteMessage",
    "InvalidChunk",
    "InvalidContentLength",
    "InvalidHeader",
    "InvalidRequestLine",
    "InvalidStatusLine",
    "LocalHTTPProtocolError",
    "RequestLineTooLong",
    "RequestSmugglingError",
    "TooManyHeaders",
    "UnsupportedTransferEncoding",
)


class HTTPProtocolError(RemoteProtocolError):
    """The peer sent bytes that are not valid HTTP/1.1.

    :param message: what was wrong and where.
    :param status_hint: the status a server should answer with; each subclass
        has its own default.
    """

    default_status = 400

    def __init__(self, message: str, *, status_hint: int | None = None) -> None:
        super().__init__(
            message,
            status_hint=self.default_status if status_hint is None else status_hint,
        )


class LocalHTTPProtocolError(LocalProtocolError):
    """Our caller tried to send something HTTP/1.1 forbids, or misused the state."""


class RequestLineTooLong(HTTPProtocolError):
    """The request line (or a response's status line) exceeds the limit."""

    default_status = 414


class HeaderBlockTooLarge(HTTPProtocolError):
    """The header section (or the trailer section) exceeds the limit."""

    default_status = 431


class TooManyHeaders(HTTPProtocolError):
    """The message has more header fields than allowed."""

    default_status = 431


class BodyTooLarge(HTTPProtocolError):
    """The body is longer than ``Limits.max_body``."""

    default_status = 413


class InvalidRequestLine(HTTPProtocolError):
    """The request line is malformed (method, target or version)."""


class InvalidStatusLine(HTTPProtocolError):
    """A response's status line is malformed."""


class InvalidHeader(HTTPProtocolError):
    """A header field line is malformed, or a required header is missing."""


class InvalidContentLength(HTTPProtocolError):
    """Content-Length is not a single non-negative decimal number."""


class InvalidChunk(HTTPProtocolError):
    """The chunked body is malformed (size line, extension or CRLF)."""


class UnsupportedTransferEncoding(HTTPProtocolError):
    """Transfer-Encoding names a coding we do not implement, or is malformed."""

    default_status = 501


class RequestSmugglingError(HTTPProtocolError):
    """The message framing is ambiguous (for example Content-Length with
    Transfer-Encoding), so two parsers could disagree on where it ends."""


class IncompleteMessage(HTTPProtocolError):
    """The peer closed the connection in the middle of a message."""
