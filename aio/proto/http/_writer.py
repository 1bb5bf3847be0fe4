"""Serialising our side's messages: heads, and bodies in each framing.

Everything our caller hands in is validated before a byte is produced, because a
CR or LF smuggled into a header value would let an application split a response
(RFC 9110 section 5.5). The checks run on the joined names and joined values, so
they cost two C calls per head, not a loop per header.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from ._errors import InvalidHeader, LocalHTTPProtocolError
from ._events import Headers
from ._headers import FIELD_VALUE_CHARS, NAME_CACHE, lower_name

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

    Names already seen (the parser's name cache) skip the token check; the
    values are checked together with one ``translate`` over their join.

    :raises LocalHTTPProtocolError: naming the first bad header.
    """
    known = NAME_CACHE
    try:
        for name, _ in headers:
            if name not in known:
                lower_name(name)  # validates, and caches the name
        values = b"".join([value for _, value in headers])
    except InvalidHeader as exc:
        raise LocalHTTPProtocolError(str(exc)) from None
    except (TypeError, ValueError, AttributeError) as exc:
        raise LocalHTTPProtocolError(
            f"headers must be (bytes, bytes) pairs: {exc}"
        ) from None
    if values.translate(None, FIELD_VALUE_CHARS):
        for name, value in headers:
            if value.translate(None, FIELD_VALUE_CHARS):
                raise LocalHTTPProtocolError(
                    f"invalid byte in the value of header {name!r}: {value[:60]!r}"
                )


def build_head(start_line: bytes, headers: Headers) -> bytes:
    """The bytes of a head: start line, field lines, empty line."""
    parts = [start_line, b"\r\n"]
    for name, value in headers:
        parts += (name, b": ", value, b"\r\n")
    parts.append(b"\r\n")
    return b"".join(parts)


class BodyWriter(ABC):
    """Frames our body bytes; checks we send what the head promised."""

    __slots__ = ()

    @abstractmethod
    def write(self, data: bytes) -> bytes:
        """Frame one piece of body."""

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
