"""Incremental RESP2/RESP3 reply parser.

Theory of operation
-------------------
Bytes arrive in arbitrary pieces (``feed``); complete replies come out of ``gets``,
which returns :data:`NEED_DATA` when the buffer holds no complete reply yet.

* The buffer is a ``bytes`` object while it holds exactly one received chunk (the
  common case: a chunk that holds whole replies is parsed without any copy), and
  becomes a ``bytearray`` that grows by appending once a reply spans chunks. ``_pos``
  is the offset of the first byte not yet consumed. Consumed bytes are dropped when
  the whole buffer is consumed or once they pass ``_COMPACT_AT`` bytes, so memory stays
  proportional to the unparsed input and appends stay amortised O(1).
* Aggregates (arrays, maps, sets, pushes, attributes) are parsed with an explicit stack
  of :class:`_Frame` objects, never by recursion. When input runs out in the middle of
  an aggregate, the elements parsed so far stay on the stack and parsing resumes at the
  first incomplete element: no reply is ever re-parsed from its start, so an array of a
  million elements arriving in small chunks costs linear time.
* A bulk string whose body has not fully arrived costs one header re-scan per ``feed``
  (a few bytes), never a copy of the partial body. A large one (``_STREAM`` bytes or
  more) switches to a side state, :class:`_BigBulk`: ``feed`` appends views of the
  received chunks to a list, and the body is joined once when complete, so a 1 MB
  value costs one copy instead of buffer growth plus a final copy. A reader that can
  receive into memory may instead take ``body_buffer()``, a view of the body's
  missing part in one buffer allocated at the announced length (only up to
  ``_IN_PLACE_MAX``, so an announcement alone cannot make it allocate more), and
  report with ``body_received``. For a plain bulk string kept as ``bytes`` (no
  decoding) that buffer is the reply itself, a new ``bytes`` object the socket
  writes into (:mod:`._fresh`): the body is never copied in user space. Otherwise
  (decoding, verbatim strings, blob errors, an interpreter without the means) it
  is a scratch buffer reused for the next large body (up to ``_KEEP_MAX``) and the
  reply is copied out of it once; replies are never views of it.
* Limits protect memory: ``max_bulk_length`` (the server's own ``proto-max-bulk-len``
  default is 512 MiB), ``max_aggregate_length`` and ``max_nesting`` are checked when a
  header is read, and a header line longer than ``max_line_length`` is an error. An
  announced length is never pre-allocated: aggregates grow by appending, bulk bodies
  are sliced out only when complete.
* Error replies are values, not exceptions: an ``EXEC`` reply may hold errors among
  results. They are built by ``error_factory`` (default :class:`ErrorReply`) so a
  client can produce its own exception instances without a second pass.
* After a :class:`RESPProtocolError` the stream position is unknown; the parser stays
  failed and every further ``gets`` raises again. The connection must be closed.

References: RESP2 and RESP3 specifications (redis/redis-doc ``protocol/RESP3.md``).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Final, final

from aio.proto.resp._fresh import fresh_bytes
from aio.proto.resp._types import (
    NEED_DATA,
    ErrorReply,
    NeedData,
    Push,
    Reply,
    RESPProtocolError,
)

__all__ = ("RESPParser",)

_CRLF: Final = b"\r\n"
_COMPACT_AT: Final = 1 << 16
# Bodies at least this long are copied out through a memoryview: one copy, not two.
_BIG: Final = 1 << 14
# A body at least this long that spans chunks is collected chunk by chunk (views of
# the received bytes) and joined once, instead of growing the buffer.
_STREAM: Final = 1 << 16
# body_buffer() allocates a body up to this long in one piece, for the reader to
# receive the rest of it in place: bounded, so an announced length alone can make
# a connection hold at most this much beyond what it received.
_IN_PLACE_MAX: Final = 1 << 23
# The in-place buffer is kept for reuse (per parser) up to this size.
_KEEP_MAX: Final = 1 << 22
_DOUBLE_RE: Final = re.compile(rb"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_SPECIAL_DOUBLES: Final = {
    b"inf": math.inf,
    b"+inf": math.inf,
    b"-inf": -math.inf,
    b"nan": math.nan,
}

# Type bytes, as ints (indexing bytes yields ints).
_BULK: Final = ord("$")
_SIMPLE: Final = ord("+")
_INT: Final = ord(":")
_ERR: Final = ord("-")
_ARRAY: Final = ord("*")
_NULL: Final = ord("_")
_BOOL: Final = ord("#")
_DOUBLE: Final = ord(",")
_BIGNUM: Final = ord("(")
_VERBATIM: Final = ord("=")
_BLOBERR: Final = ord("!")
_MAP: Final = ord("%")
_SET: Final = ord("~")
_ATTR: Final = ord("|")
_PUSH: Final = ord(">")
_END: Final = ord(".")
_AGGREGATES: Final = frozenset((_ARRAY, _MAP, _SET, _ATTR, _PUSH))


@final
class _Frame:
    """An aggregate being filled: its kind, items so far and items still due."""

    __slots__ = ("items", "kind", "remaining")

    def __init__(self, kind: int, remaining: int) -> None:
        self.kind = kind
        # For maps and attributes this counts keys and values separately.
        self.remaining = remaining
        self.items: list[Reply] = []

    def finish(self, offset: int) -> Reply:
        """Build the Python value of the completed aggregate."""
        kind = self.kind
        items = self.items
        if kind == _ARRAY:
            return items
        if kind == _PUSH:
            return Push(items)
        if kind == _SET:
            try:
                return set(items)
            except TypeError:
                # Members that are themselves aggregates cannot go in a set.
                return items
        # _MAP or _ATTR: items alternate key, value.
        if len(items) % 2:
            raise RESPProtocolError("map with an odd number of elements", offset)
        keys = items[0::2]
        try:
            return dict(zip(keys, items[1::2], strict=True))
        except TypeError:
            # Aggregate keys (legal in RESP3) become tuples so they can be hashed.
            fixed = [tuple(k) if isinstance(k, list) else k for k in keys]
            try:
                return dict(zip(fixed, items[1::2], strict=True))
            except TypeError:
                raise RESPProtocolError("map key cannot be hashed", offset) from None


@final
class _BigBulk:
    """A large bulk body being collected across chunks."""

    __slots__ = ("body", "chunks", "kind", "length", "missing", "reply")

    def __init__(self, kind: int, length: int, first: bytes | memoryview) -> None:
        self.kind = kind
        self.length = length
        self.chunks: list[bytes | memoryview] = [first]
        self.missing = length - len(first)  # body bytes still to come (1-D views)
        # Set by RESPParser.body_buffer: the whole body, received in place, and
        # the bytes object it is a view of when that object is the reply itself.
        self.body: memoryview | None = None
        self.reply: bytes | None = None


def _parse_int(line: bytes, offset: int, what: str) -> int:
    # int() alone would accept spaces, '+', and '_' separators; RESP does not.
    digits = line[1:] if line[:1] == b"-" else line
    if not digits.isdigit() or len(digits) > 20:
        raise RESPProtocolError(f"invalid {what} {line[:40]!r}", offset)
    return int(line)


class RESPParser:
    """Turn a stream of RESP2/RESP3 bytes into Python values.

    :param encoding: decode bulk, simple and verbatim strings with this codec;
        ``None`` keeps them as ``bytes``. May be changed between replies.
    :param errors: the codec error handler (``"strict"``, ``"replace"``...).
    :param error_factory: builds the value of an error reply from its text.
    :param max_bulk_length: largest bulk string accepted, in bytes.
    :param max_aggregate_length: most elements announced for one aggregate.
    :param max_nesting: deepest nesting of aggregates.
    :param max_line_length: longest header or simple line, in bytes.
    :param sets_as_lists: give RESP3 sets as ``list`` objects, members in the
        order the peer sent them (as redis-py's parser does), instead of ``set``.
        May be changed between replies.

    Values: simple and bulk strings are ``bytes`` (or ``str`` when decoding), integers
    and big numbers ``int``, doubles ``float``, booleans ``bool``, nulls ``None``,
    arrays ``list``, maps ``dict``, sets ``set`` (a ``list`` when members are not
    hashable, or with ``sets_as_lists``), pushes :class:`Push`, errors whatever
    ``error_factory`` returns.
    Attributes are parsed and kept in :attr:`attributes` (the last one seen).
    """

    def __init__(
        self,
        *,
        encoding: str | None = None,
        errors: str = "strict",
        error_factory: Callable[[str], object] = ErrorReply,
        max_bulk_length: int = 512 * 1024 * 1024,
        max_aggregate_length: int = 1 << 32,
        max_nesting: int = 64,
        max_line_length: int = 1 << 20,
        sets_as_lists: bool = False,
    ) -> None:
        self.encoding = encoding
        self.errors = errors
        self.error_factory = error_factory
        self.max_bulk_length = max_bulk_length
        self.max_aggregate_length = max_aggregate_length
        self.max_nesting = max_nesting
        self.max_line_length = max_line_length
        self.sets_as_lists = sets_as_lists
        #: The last RESP3 attribute map received, or ``None``.
        self.attributes: dict[Reply, Reply] | None = None
        self._buf: bytes | bytearray = b""
        self._pos = 0
        self._base = 0  # stream offset of _buf[0], for error messages
        self._stack: list[_Frame] = []
        self._failed: RESPProtocolError | None = None
        self._bulk: _BigBulk | None = None
        self._scratch: bytearray | None = None

    @property
    def buffered(self) -> int:
        """Number of received bytes not yet consumed by a complete reply."""
        bulk = self._bulk
        held = bulk.length - bulk.missing if bulk is not None else 0
        return len(self._buf) - self._pos + held

    @property
    def offset(self) -> int:
        """Stream offset of the first unconsumed byte."""
        return self._base + self._pos

    def reset(self) -> None:
        """Forget all buffered input and any failure (for a fresh connection)."""
        self._buf = b""
        self._pos = 0
        self._base = 0
        self._stack = []
        self._failed = None
        self._bulk = None
        self.attributes = None

    def feed(self, data: bytes | bytearray | memoryview) -> None:
        """Append received bytes to the buffer."""
        bulk = self._bulk
        if bulk is not None and bulk.missing:
            # The buffer is empty while a large body is collected: take what the
            # body still needs as a view, and buffer only what follows it.
            # Views are kept until the body is complete: only over immutable bytes.
            view = memoryview(data if type(data) is bytes else bytes(data))
            take = min(bulk.missing, view.nbytes)
            body = bulk.body
            if body is not None:
                # body_buffer() was used, then feed(): copy into the body.
                have = bulk.length - bulk.missing
                body[have : have + take] = view[:take]
            else:
                bulk.chunks.append(view[:take] if take < view.nbytes else view)
            bulk.missing -= take
            self._base += take
            if take == view.nbytes:
                return
            data = view[take:].tobytes()
        buf = self._buf
        pos = self._pos
        if pos >= len(buf):
            # Everything so far was consumed: keep the new chunk as it is.
            self._base += pos
            self._pos = 0
            self._buf = data if type(data) is bytes else bytes(data)
            return
        if type(buf) is bytes:
            # A reply spans chunks: switch to a growable buffer of the unconsumed tail.
            self._base += pos
            self._pos = 0
            buf = bytearray(memoryview(buf)[pos:])
            self._buf = buf
        buf += data

    def body_buffer(self) -> memoryview | None:
        """Where the rest of a large bulk body may be received in place, or ``None``.

        For a reader that can receive into a buffer (``recv_into``,
        ``asyncio.BufferedProtocol``): while a large body (64 KiB to 8 MiB) is
        incomplete, this is a writable view of exactly the bytes still missing.
        Report what was written there with :meth:`body_received`, never with
        :meth:`feed`. The body is allocated once at its announced length (bounded
        by 8 MiB): as the reply ``bytes`` itself when it is a plain bulk string
        kept undecoded, else in a reused buffer the reply is copied out of.
        """
        bulk = self._bulk
        if bulk is None or not bulk.missing or bulk.length > _IN_PLACE_MAX:
            return None
        body = bulk.body
        if body is None:
            length = bulk.length
            fresh = (
                fresh_bytes(length)
                if bulk.kind == _BULK and self.encoding is None
                else None
            )
            if fresh is not None:
                bulk.reply, body = fresh
            else:
                scratch = self._scratch
                if scratch is None or len(scratch) < length:
                    # Kept for the next large reply when small enough: a fresh
                    # megabyte costs page faults on every reply.
                    scratch = bytearray(length)
                    self._scratch = scratch if length <= _KEEP_MAX else None
                body = memoryview(scratch)[:length]
            at = 0
            for chunk in bulk.chunks:  # what arrived before: copied, not joined
                size = len(chunk)
                body[at : at + size] = chunk
                at += size
            bulk.body = body
            bulk.chunks = []
        return body[bulk.length - bulk.missing :]

    def body_received(self, nbytes: int) -> bool:
        """Account for ``nbytes`` written into the view from :meth:`body_buffer`.

        :returns: whether the body is now complete (``gets`` may have a reply).
        :raises ValueError: no body buffer was handed out, or ``nbytes`` is more
            than it holds.
        """
        bulk = self._bulk
        if bulk is None or bulk.body is None or not 0 <= nbytes <= bulk.missing:
            raise ValueError("body_received() without a matching body_buffer()")
        bulk.missing -= nbytes
        self._base += nbytes
        return not bulk.missing

    def _fail(self, message: str, pos: int) -> RESPProtocolError:
        exc = RESPProtocolError(message, self._base + pos)
        self._failed = exc
        return exc

    def _text(self, raw: bytes | bytearray) -> bytes | str:
        data = bytes(raw)
        if self.encoding is None:
            return data
        return data.decode(self.encoding, self.errors)

    def gets(self) -> Reply | NeedData:
        """Return the next complete reply, or :data:`NEED_DATA`.

        :raises RESPProtocolError: the input is not valid RESP (also on every later
            call: the stream cannot be resynchronised).
        """
        if self._failed is not None:
            raise self._failed
        try:
            return self._gets()
        except RESPProtocolError as exc:
            self._failed = exc
            raise
        except (UnicodeDecodeError, LookupError) as exc:
            # A value the client's codec cannot decode: the reply is lost, and so
            # is the stream position.
            raise self._fail(f"cannot decode reply: {exc}", self._pos) from exc

    def _bulk_value(self, kind: int, raw: bytes, offset: int) -> Reply:
        """The value of a complete bulk, verbatim or blob-error body."""
        if kind == _BULK:
            return raw if self.encoding is None else self._text(raw)
        if kind == _VERBATIM:
            if len(raw) < 4 or raw[3] != 58:  # b":" after the 3-byte format
                raise RESPProtocolError("verbatim string without format", offset)
            return self._text(raw[4:])
        return self.error_factory(raw.decode("utf-8", "replace"))

    def _gets(self) -> Reply | NeedData:
        buf = self._buf
        pos = self._pos
        n = len(buf)
        stack = self._stack
        value: Reply
        ready = False
        bulk = self._bulk
        if bulk is not None:
            # A large body was being collected: finish it once it and its CRLF are in.
            if bulk.missing or n - pos < 2:
                return NEED_DATA
            if buf[pos] != 13 or buf[pos + 1] != 10:
                raise self._fail("bulk string not followed by CRLF", pos)
            self._bulk = None
            if bulk.reply is not None:
                raw = bulk.reply  # received in place: complete, no copy
            elif bulk.body is not None:
                raw = bulk.body.tobytes()
            else:
                raw = b"".join(bulk.chunks)
            bulk.body = None  # no writable view of a reply outlives its parsing
            value = self._bulk_value(bulk.kind, raw, self._base + pos)
            pos += 2
            ready = True
        while True:
            if ready:
                ready = False
            else:
                if pos >= n:
                    self._pos = pos
                    return NEED_DATA
                end = buf.find(_CRLF, pos)
                if end < 0:
                    if n - pos > self.max_line_length:
                        raise self._fail("line too long", pos)
                    self._pos = pos
                    return NEED_DATA
                kind = buf[pos]
                if kind == _BULK or kind == _VERBATIM or kind == _BLOBERR:
                    line = bytes(buf[pos + 1 : end])
                    if line == b"?":
                        raise self._fail("streamed strings are not supported", pos)
                    length = _parse_int(line, self._base + pos, "bulk length")
                    if length < 0:
                        if length == -1 and kind == _BULK:
                            value = None
                            pos = end + 2
                        else:
                            raise self._fail(f"invalid bulk length {length}", pos)
                    else:
                        if length > self.max_bulk_length:
                            raise self._fail(
                                f"bulk length {length} exceeds {self.max_bulk_length}",
                                pos,
                            )
                        start = end + 2
                        stop = start + length
                        if stop + 2 > n:
                            if length >= _STREAM and n < stop:
                                # Collect the rest of a large body chunk by chunk.
                                # A view when the buffer is immutable bytes: the
                                # body is copied once, when complete (or into the
                                # in-place buffer), not here as well.
                                first = (
                                    memoryview(buf)[start:n]
                                    if type(buf) is bytes
                                    else bytes(buf[start:n])
                                )
                                self._bulk = _BigBulk(kind, length, first)
                                self._pos = n
                            else:
                                self._pos = pos
                            return NEED_DATA
                        if buf[stop] != 13 or buf[stop + 1] != 10:
                            raise self._fail("bulk string not followed by CRLF", stop)
                        if length >= _BIG and type(buf) is bytearray:
                            with memoryview(buf) as view:
                                raw = view[start:stop].tobytes()
                        else:
                            raw = bytes(buf[start:stop])
                        pos = stop + 2
                        if kind == _BULK and self.encoding is None:
                            value = raw
                        else:
                            value = self._bulk_value(kind, raw, self._base + start)
                elif kind == _SIMPLE:
                    raw = bytes(buf[pos + 1 : end])
                    value = raw if self.encoding is None else self._text(raw)
                    pos = end + 2
                elif kind == _INT:
                    value = _parse_int(
                        bytes(buf[pos + 1 : end]), self._base + pos, "integer"
                    )
                    pos = end + 2
                elif kind == _ERR:
                    value = self.error_factory(
                        bytes(buf[pos + 1 : end]).decode("utf-8", "replace")
                    )
                    pos = end + 2
                elif kind in _AGGREGATES:
                    line = bytes(buf[pos + 1 : end])
                    if line == b"?":
                        count = -2  # streamed: ends with a "." item
                    else:
                        count = _parse_int(line, self._base + pos, "aggregate length")
                        if count < 0:
                            if count != -1 or kind != _ARRAY:
                                raise self._fail(
                                    f"invalid aggregate length {count}", pos
                                )
                            value = None
                            pos = end + 2
                            count = 0
                        elif count > self.max_aggregate_length:
                            raise self._fail(
                                f"aggregate length {count} exceeds "
                                f"{self.max_aggregate_length}",
                                pos,
                            )
                    if kind == _SET and self.sets_as_lists:
                        # Built as an array: a list in the peer's order.
                        kind = _ARRAY
                    if line == b"-1":
                        pass  # the RESP2 null array, already set above
                    elif count == 0:
                        pos = end + 2
                        value = _Frame(kind, 0).finish(self._base + pos)
                        if kind == _ATTR:
                            self.attributes = {}
                            continue
                    else:
                        if len(stack) >= self.max_nesting:
                            raise self._fail(
                                f"aggregates nested deeper than {self.max_nesting}", pos
                            )
                        if kind == _MAP or kind == _ATTR:
                            count = count * 2 if count > 0 else count
                        stack.append(_Frame(kind, count))
                        pos = end + 2
                        continue
                elif kind == _NULL:
                    if end != pos + 1:
                        raise self._fail("null with a payload", pos)
                    value = None
                    pos = end + 2
                elif kind == _BOOL:
                    flag = bytes(buf[pos + 1 : end])
                    if flag == b"t":
                        value = True
                    elif flag == b"f":
                        value = False
                    else:
                        raise self._fail(f"invalid boolean {flag[:40]!r}", pos)
                    pos = end + 2
                elif kind == _DOUBLE:
                    text = bytes(buf[pos + 1 : end])
                    special = _SPECIAL_DOUBLES.get(text.lower())
                    if special is not None:
                        value = special
                    elif _DOUBLE_RE.fullmatch(text):
                        value = float(text)
                    else:
                        raise self._fail(f"invalid double {text[:40]!r}", pos)
                    pos = end + 2
                elif kind == _BIGNUM:
                    text = bytes(buf[pos + 1 : end])
                    digits = text[1:] if text[:1] in (b"-", b"+") else text
                    if not digits.isdigit():
                        raise self._fail(f"invalid big number {text[:40]!r}", pos)
                    value = int(text)
                    pos = end + 2
                elif kind == _END:
                    if end != pos + 1 or not stack or stack[-1].remaining != -2:
                        raise self._fail("unexpected end of streamed aggregate", pos)
                    pos = end + 2
                    frame = stack.pop()
                    value = frame.finish(self._base + pos)
                    if frame.kind == _ATTR:
                        self.attributes = value  # type: ignore[assignment]
                        continue
                else:
                    raise self._fail(f"invalid type byte {bytes([kind])!r}", pos)

            # Deliver the value to the innermost open aggregate, closing every
            # aggregate it completes; a value with no open aggregate is the reply.
            while stack:
                frame = stack[-1]
                frame.items.append(value)
                if frame.remaining == -2:
                    break
                frame.remaining -= 1
                if frame.remaining:
                    break
                stack.pop()
                value = frame.finish(self._base + pos)
                if frame.kind == _ATTR:
                    # An attribute decorates the next value; it is not an element.
                    self.attributes = value  # type: ignore[assignment]
                    break
            else:
                if pos >= n:
                    self._base += pos
                    self._buf = b""
                    self._pos = 0
                elif pos > _COMPACT_AT and type(buf) is bytearray:
                    del buf[:pos]
                    self._base += pos
                    self._pos = 0
                else:
                    self._pos = pos
                return value
