"""Incremental body readers: Content-Length, chunked, and read-until-close.

Each reader consumes bytes from the front of the shared receive buffer and
returns one event, or ``None`` when it needs more bytes. All the data available
at once is returned as one :class:`Data` event (for chunked bodies, every
complete chunk in the buffer is joined), so a body that arrived in one read
costs one event, not one per chunk.

Chunked coding follows RFC 9112 section 7.1: ``chunk-size [chunk-ext] CRLF
chunk-data CRLF``, ending with a zero-size chunk, optional trailer fields and an
empty line. Chunk extensions are checked for forbidden bytes and length, then
ignored (no extension is defined that we would act on).
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from ._errors import BodyTooLarge, HeaderBlockTooLarge, IncompleteMessage, InvalidChunk
from ._events import Data, EndOfMessage
from ._head import check_field_bytes, parse_fields
from ._headers import FIELD_VALUE_CHARS, TOKEN_CHARS
from ._limits import Limits

__all__ = ("BodyReader", "ChunkedReader", "CloseReader", "LengthReader")

_HEX = b"0123456789abcdefABCDEF"
# Chunk sizes are limited to 16 hex digits (2**64 - 1), like other servers.
_MAX_HEX_DIGITS = 16


_TOKEN = frozenset(TOKEN_CHARS)
# qdtext of RFC 9110 section 5.6.4: HTAB, SP, VCHAR except '"' and '\', obs-text.
_QDTEXT = frozenset(FIELD_VALUE_CHARS) - {0x22, 0x5C}
_QUOTED_PAIR = frozenset(FIELD_VALUE_CHARS)
_BWS = (0x20, 0x09)


def _check_chunk_ext(ext: bytes) -> None:
    """Validate what follows the first ``;`` of a chunk-size line against
    ``chunk-ext`` (RFC 9112 section 7.1.1)::

        chunk-ext = *( BWS ";" BWS name [ BWS "=" BWS ( token / quoted-string ) ] )

    Extensions are rare, so this byte loop costs nothing in the common case.

    :raises InvalidChunk: the extension does not match the grammar.
    """
    n = len(ext)
    i = 0
    while True:
        # Here we are just after a ";".
        while i < n and ext[i] in _BWS:
            i += 1
        start = i
        while i < n and ext[i] in _TOKEN:
            i += 1
        if i == start:
            raise InvalidChunk(f"missing chunk extension name in {ext[:40]!r}")
        while i < n and ext[i] in _BWS:
            i += 1
        if i < n and ext[i] == 0x3D:  # "="
            i += 1
            while i < n and ext[i] in _BWS:
                i += 1
            if i < n and ext[i] == 0x22:  # quoted-string
                i += 1
                while True:
                    if i >= n:
                        raise InvalidChunk(
                            f"unterminated quoted chunk extension {ext[:40]!r}"
                        )
                    byte = ext[i]
                    if byte == 0x22:
                        i += 1
                        break
                    if byte == 0x5C:
                        if i + 1 >= n or ext[i + 1] not in _QUOTED_PAIR:
                            raise InvalidChunk(
                                f"bad escape in chunk extension {ext[:40]!r}"
                            )
                        i += 2
                    elif byte in _QDTEXT:
                        i += 1
                    else:
                        raise InvalidChunk(
                            f"invalid byte in chunk extension {ext[:40]!r}"
                        )
            else:
                start = i
                while i < n and ext[i] in _TOKEN:
                    i += 1
                if i == start:
                    raise InvalidChunk(f"missing chunk extension value in {ext[:40]!r}")
            while i < n and ext[i] in _BWS:
                i += 1
        if i == n:
            return
        if ext[i] != 0x3B:  # ";"
            raise InvalidChunk(f"invalid chunk extension {ext[:40]!r}")
        i += 1


class BodyReader(ABC):
    """Base of the body readers: ``read`` and ``read_eof``."""

    __slots__ = ()

    @abstractmethod
    def read(self, buf: bytearray) -> Data | EndOfMessage | None:
        """Consume bytes from ``buf``; return an event or ``None`` for "need more"."""

    def read_eof(self) -> EndOfMessage:
        """The peer closed the connection: end the body or fail.

        :raises IncompleteMessage: the framing says more bytes were due.
        """
        raise IncompleteMessage("connection closed in the middle of a body")


class LengthReader(BodyReader):
    """A body of exactly ``length`` bytes (Content-Length, or 0 for none)."""

    __slots__ = ("_remaining",)

    def __init__(self, length: int, limits: Limits) -> None:
        if limits.max_body is not None and length > limits.max_body:
            raise BodyTooLarge(
                f"Content-Length {length} is over the {limits.max_body}-byte limit"
            )
        self._remaining = length

    def read(self, buf: bytearray) -> Data | EndOfMessage | None:
        remaining = self._remaining
        if remaining == 0:
            return EndOfMessage()
        if not buf:
            return None
        # Everything available up to the remaining length, as one event.
        if len(buf) <= remaining:
            data = bytes(buf)
            buf.clear()
        else:
            data = bytes(buf[:remaining])
            del buf[:remaining]
        self._remaining = remaining - len(data)
        return Data(data)


class CloseReader(BodyReader):
    """A response body that ends when the server closes the connection."""

    __slots__ = ("_max", "_seen")

    def __init__(self, limits: Limits) -> None:
        self._max = limits.max_body
        self._seen = 0

    def read(self, buf: bytearray) -> Data | EndOfMessage | None:
        if not buf:
            return None
        data = bytes(buf)
        buf.clear()
        self._seen += len(data)
        if self._max is not None and self._seen > self._max:
            raise BodyTooLarge(f"body over the {self._max}-byte limit")
        return Data(data)

    def read_eof(self) -> EndOfMessage:
        return EndOfMessage()


# Chunked reader states.
_SIZE = 0
_DATA = 1
_DATA_END = 2
_TRAILER = 3
_DONE = 4


class ChunkedReader(BodyReader):
    """A ``Transfer-Encoding: chunked`` body, with trailer fields."""

    __slots__ = ("_limits", "_remaining", "_scanned", "_seen", "_state")

    def __init__(self, limits: Limits) -> None:
        self._limits = limits
        # How much of the trailer section has been searched already.
        self._scanned = 0
        self._state = _SIZE
        self._remaining = 0
        self._seen = 0

    def read(self, buf: bytearray) -> Data | EndOfMessage | None:
        # Walk as many chunks as the buffer holds, so a body that arrived in
        # one read becomes one Data event however it was chunked.
        pieces: list[bytes] = []
        while True:
            state = self._state
            if state == _DATA:
                if not buf:
                    break
                take = self._remaining
                if len(buf) <= take:
                    piece = bytes(buf)
                    buf.clear()
                else:
                    piece = bytes(buf[:take])
                    del buf[:take]
                pieces.append(piece)
                self._remaining -= len(piece)
                if self._remaining:
                    break
                self._state = _DATA_END
            elif state == _DATA_END:
                if len(buf) < 2:
                    break
                # Exactly CRLF after the data (RFC 9112 section 7.1): a parser that
                # skips other bytes here disagrees with its neighbours about where
                # the next chunk starts.
                if buf[:2] != b"\r\n":
                    raise InvalidChunk("chunk data not followed by CRLF")
                del buf[:2]
                self._state = _SIZE
            elif state == _SIZE:
                if not self._read_size(buf):
                    break
            elif state == _TRAILER:
                if pieces:
                    # Deliver the data first; the trailers come next call.
                    break
                return self._read_trailer(buf)
            else:  # _DONE
                return EndOfMessage()
        if pieces:
            return Data(pieces[0] if len(pieces) == 1 else b"".join(pieces))
        return None

    def _read_size(self, buf: bytearray) -> bool:
        # The size line is bounded (digits, extension limit, whitespace slack),
        # so a peer cannot make us buffer an endless line.
        limit = self._limits.max_chunk_ext + _MAX_HEX_DIGITS + 64
        eol = buf.find(b"\r\n", 0, limit)
        if eol < 0:
            if len(buf) >= limit:
                raise InvalidChunk("chunk size line too long")
            lf = buf.find(b"\n")
            if lf >= 0 and (lf == 0 or buf[lf - 1] != 0x0D):
                raise InvalidChunk("bare LF in chunk size line")
            return False
        line = bytes(buf[:eol])
        del buf[: eol + 2]
        size_part, semi, ext = line.partition(b";")
        if semi:
            # BWS before ";" (RFC 9112 section 7.1.1) is allowed; nothing else.
            size_part = size_part.rstrip(b" \t")
            if len(ext) > self._limits.max_chunk_ext:
                raise InvalidChunk("chunk extension too long")
            _check_chunk_ext(ext)
        if not size_part or size_part.translate(None, _HEX):
            raise InvalidChunk(f"invalid chunk size {line[:40]!r}")
        if len(size_part.lstrip(b"0")) > _MAX_HEX_DIGITS:
            raise InvalidChunk(f"chunk size overflow {size_part[:40]!r}")
        size = int(size_part, 16)
        # The last chunk: a trailer section (maybe empty) follows.
        if size == 0:
            self._state = _TRAILER
            return True
        # Checked against max_body before the data arrives, not after.
        self._seen += size
        max_body = self._limits.max_body
        if max_body is not None and self._seen > max_body:
            raise BodyTooLarge(f"chunked body over the {max_body}-byte limit")
        self._remaining = size
        self._state = _DATA
        return True

    def _read_trailer(self, buf: bytearray) -> EndOfMessage | None:
        if buf[:2] == b"\r\n":
            del buf[:2]
            self._state = _DONE
            return EndOfMessage()
        # Resume the search where the last call stopped (see HeadScanner).
        end = buf.find(b"\r\n\r\n", max(self._scanned - 3, 0))
        limit = self._limits.max_header_block
        if end < 0:
            if len(buf) > limit:
                raise HeaderBlockTooLarge("trailer section over the limit")
            lf = buf.find(b"\n", max(self._scanned - 1, 0))
            while lf >= 0:
                if lf == 0 or buf[lf - 1] != 0x0D:
                    raise InvalidChunk("bare LF in the trailer section")
                lf = buf.find(b"\n", lf + 1)
            self._scanned = len(buf)
            return None
        if end > limit:
            raise HeaderBlockTooLarge("trailer section over the limit")
        block = bytes(buf[:end])
        del buf[: end + 4]
        check_field_bytes(block)
        self._state = _DONE
        return EndOfMessage(parse_fields(block.split(b"\r\n"), self._limits))
