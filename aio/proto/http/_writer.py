"""Serialising our side's messages: heads, and bodies in each framing.

Everything our caller hands in is validated before a byte is produced, because a
CR or LF smuggled into a header value would let an application split a response
(RFC 9110 section 5.5). The checks run on the joined names and joined values, so
they cost two C calls per head, not a loop per header.
"""

from __future__ import annotations

from ._errors import LocalHTTPProtocolError
from ._events import Headers
from ._headers import FIELD_VALUE_CHARS, TOKEN_CHARS

__all__ = (
    "BodyWriter",
    "ChunkedWriter",
    "CloseWriter",
    "DiscardWriter",
    "LengthWriter",
    "build_head",
    "validate_headers",
)


def validate_headers(headers: Headers) -> None:
    """Check names are tokens and values hold no CR, LF, NUL or other CTL.

    :raises LocalHTTPProtocolError: naming the first bad header.
    """
    try:
        names = b"".join([name for name, _ in headers])
        values = b"".join([value for _, value in headers])
    except (TypeError, ValueError) as exc:
        raise LocalHTTPProtocolError(
            f"headers must be (bytes, bytes) pairs: {exc}"
        ) from None
    if not names.translate(None, TOKEN_CHARS) and not values.translate(
        None, FIELD_VALUE_CHARS
    ):
        if all(name for name, _ in headers):
            return
    for name, value in headers:
        if not name or name.translate(None, TOKEN_CHARS):
            raise LocalHTTPProtocolError(f"invalid header name {name!r}")
        if value.translate(None, FIELD_VALUE_CHARS):
            raise LocalHTTPProtocolError(
                f"invalid byte in the value of header {name!r}: {value[:60]!r}"
            )
    raise AssertionError("unreachable")  # pragma: no cover


def build_head(start_line: bytes, headers: Headers) -> bytes:
    """The bytes of a head: start line, field lines, empty line."""
    parts = [start_line, b"\r\n"]
    for name, value in headers:
        parts += (name, b": ", value, b"\r\n")
    parts.append(b"\r\n")
    return b"".join(parts)


class BodyWriter:
    """Frames our body bytes; checks we send what the head promised."""

    __slots__ = ()

    def write(self, data: bytes) -> bytes:
        """Frame one piece of body."""
        raise NotImplementedError  # pragma: no cover - abstract

    def end(self, trailers: Headers) -> bytes:
        """Finish the body.

        :raises LocalHTTPProtocolError: trailers on a non-chunked body, or a
            Content-Length body that is short.
        """
        if trailers:
            raise LocalHTTPProtocolError("trailers need a chunked body")
        return b""


class LengthWriter(BodyWriter):
    """A Content-Length body: exactly ``length`` bytes."""

    __slots__ = ("_remaining",)

    def __init__(self, length: int) -> None:
        self._remaining = length

    def write(self, data: bytes) -> bytes:
        if len(data) > self._remaining:
            raise LocalHTTPProtocolError(
                f"body longer than its Content-Length ({len(data)} bytes sent "
                f"with {self._remaining} left)"
            )
        self._remaining -= len(data)
        return data

    def end(self, trailers: Headers) -> bytes:
        if self._remaining:
            raise LocalHTTPProtocolError(
                f"body ended {self._remaining} bytes short of its Content-Length"
            )
        return super().end(trailers)


class ChunkedWriter(BodyWriter):
    """A chunked body: each non-empty write is one chunk."""

    __slots__ = ()

    def write(self, data: bytes) -> bytes:
        if not data:
            # An empty chunk would end the body.
            return b""
        return b"%x\r\n%b\r\n" % (len(data), data)

    def end(self, trailers: Headers) -> bytes:
        if not trailers:
            return b"0\r\n\r\n"
        validate_headers(trailers)
        return build_head(b"0", trailers)


class CloseWriter(BodyWriter):
    """A body that ends when we close the connection (HTTP/1.0 peers)."""

    __slots__ = ()

    def write(self, data: bytes) -> bytes:
        return data


class DiscardWriter(BodyWriter):
    """The body of a response to HEAD, or of 204/304: never sent on the wire.

    The bytes are dropped rather than refused so that a server can run the same
    application code for HEAD as for GET (RFC 9110 section 9.3.2).
    """

    __slots__ = ()

    def write(self, data: bytes) -> bytes:
        return b""
