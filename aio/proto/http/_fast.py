"""A server-role fast path for the common request and the common response.

Theory of operation
===================

Most requests a server sees arrive whole in one read: an HTTP/1.1 ``GET`` with
a handful of headers and no body, nothing after it. Most responses are a status,
a few headers and a body known in full. For those two cases the general
machinery (:class:`~aio.proto.http.Connection` with its head scanner, state
machine, framing planner and body writers) costs more than the parsing itself.
This module does each in one pass with ``bytes.find``/``split``/``translate``.

It never decides anything the general path would decide differently:

- :func:`parse_simple_request` accepts only a request that the general parser
  accepts *and* whose body, if any, is framed by one Content-Length and is all
  there, and that proposes nothing (no Transfer-Encoding, Expect, Upgrade;
  ``Connection`` at most ``keep-alive``; exactly one valid ``Host``; origin-form
  target; ``HTTP/1.1``; nothing after the body). For anything
  else, valid or not, it answers ``None`` and the caller feeds the bytes to a
  :class:`Connection`, which accepts them or raises the typed error. So every
  strictness rule (RFC 9112 sections 2.2, 3, 3.2, 5 and 6.3; the limits) holds
  on the fast path by construction: a doubt is a fallback, never a verdict.
  The tests check this with a differential property test against the general
  parser on random valid and invalid heads.
- :func:`simple_response` serialises a complete response the way
  ``Connection.send_response(..., end=True)`` does for a request like the above
  (same bytes, same header validation against response splitting), and answers
  ``None`` for anything that needs the general framing rules (no body allowed,
  Transfer-Encoding, Connection given by the application, a Content-Length that
  does not match).

A caller that took the fast path for a request and then needs the general path
(``simple_response`` said ``None``, or the response streams) hands the same head
bytes to its ``Connection``: since the fast parser accepted them, the connection
parses them to the same ``Request``, the same body and ``EndOfMessage``.
"""

from __future__ import annotations

from typing import Final, TypeVar

from ._connection import _HOST_CHARS
from ._errors import InvalidHeader, LocalHTTPProtocolError
from ._events import Headers
from ._headers import (
    HEAD_CHARS,
    MAX_CL_DIGITS,
    NAME_CACHE,
    TARGET_CHARS,
    TOKEN_CHARS,
    lower_name,
)
from ._limits import Limits
from ._outgoing import STATUS_LINES
from ._writer import validate_headers

__all__ = ("field_lines", "parse_simple_request", "simple_response")

# Header names after which the general path must decide: chunked framing, a
# protocol switch, 100-continue. (Connection and Content-Length are checked by
# value below.)
_GENERAL: Final = frozenset((b"transfer-encoding", b"expect", b"upgrade"))
# Header names a response's framing depends on.
_RESPONSE_FRAMING: Final = frozenset(
    (b"content-length", b"transfer-encoding", b"connection")
)
_CLOSE_LINE: Final = b"connection: close\r\n"
_K = TypeVar("_K", bytes, tuple[tuple[bytes, bytes], ...])
_V = TypeVar("_V")


def parse_simple_request(
    data: bytes, limits: Limits
) -> tuple[bytes, bytes, Headers, bytes] | None:
    """Parse ``data`` when it is exactly one simple HTTP/1.1 request: a head, and
    the whole Content-Length body if it has one.

    :param data: the bytes of one read, from a connection with nothing buffered.
    :param limits: the same limits the connection's parser applies.
    :returns: ``(method, target, headers, body)`` with lower-cased header
        names, or ``None``: let the general parser decide (it may accept or
        reject).
    """
    end = data.find(b"\r\n\r\n")
    if end <= 0 or end + 2 > limits.max_header_block:
        return None
    eol = data.find(b"\r\n")
    if eol > limits.max_request_line or eol == end:
        return None  # too long, or no header lines at all (so no Host)
    line = data[:eol]
    start = _START_LINES.get(line)
    if start is None:
        start = _start_line(line)
        if start is None:
            return None
        _remember(_START_LINES, line, start)
    fields = data[eol + 2 : end]
    block = _BLOCKS.get(fields)
    if block is None:
        block = _field_block(fields)
        if block is None:
            return None
        _remember(_BLOCKS, fields, block)
    parsed, count, length = block
    if count > limits.max_header_count:
        return None
    size = len(data) - end - 4
    if length is None:
        if size:
            return None  # bytes after a body-less head: pipelined
        return start[0], start[1], list(parsed), b""
    # Exactly the announced body, all here, within the limit (the general
    # parser checks the same limit against Content-Length).
    if int(length) != size:
        return None
    if limits.max_body is not None and size > limits.max_body:
        return None
    return start[0], start[1], list(parsed), data[end + 4 :]


def _field_block(
    fields: bytes,
) -> tuple[tuple[tuple[bytes, bytes], ...], int, bytes | None] | None:
    # (fields, line count, Content-Length value) of a header section the
    # general parser accepts and that leaves the request simple.
    # The general parser's bulk checks: allowed bytes only, CR and LF only as
    # CRLF pairs (no bare CR or LF anywhere).
    if fields.translate(None, HEAD_CHARS):
        return None
    crlf = fields.count(b"\r\n")
    if fields.count(b"\r") != crlf or fields.count(b"\n") != crlf:
        return None
    headers: Headers = []
    append = headers.append
    known = _FIELD_LINES.get
    host: bytes | None = None
    length: bytes | None = None
    for line in fields.split(b"\r\n"):
        field = known(line)
        if field is None:
            field = _field_line(line)
            if field is None:
                return None
            _remember(_FIELD_LINES, line, field)
        name = field[0]
        if name == b"host":
            if host is not None:
                return None
            host = field[1]
        elif name == b"content-length":
            if length is not None:
                return None  # repeated: the general parser refuses it
            length = field[1]
        append(field)
    if host is None:
        return None
    return tuple(headers), crlf + 1, length


# Clients repeat the same lines (the same few request lines, the same Host,
# Accept, User-Agent...), and often the same whole header section: a line or
# section seen before maps straight to its parsed form. Only what passed every
# check is kept, and the result depends on those bytes alone (limits are
# checked per call), so the caches change nothing but the cost. Bounded: when
# full, a cache starts over.
_START_LINES: dict[bytes, tuple[bytes, bytes]] = {}
_FIELD_LINES: dict[bytes, tuple[bytes, bytes]] = {}
_BLOCKS: dict[bytes, tuple[tuple[tuple[bytes, bytes], ...], int, bytes | None]] = {}
_CACHE_MAX: Final = 512
_CACHE_LINE_MAX: Final = 1024


def _remember(cache: dict[_K, _V], line: _K, parsed: _V) -> None:
    if len(line) <= _CACHE_LINE_MAX:
        if len(cache) >= _CACHE_MAX:
            cache.clear()
        cache[line] = parsed


def _start_line(line: bytes) -> tuple[bytes, bytes] | None:
    # (method, target) of an origin-form HTTP/1.1 request line the general
    # parser accepts, other than CONNECT and HEAD (their responses differ).
    parts = line.split(b" ")
    if len(parts) != 3:
        return None
    method, target, version = parts
    if (
        version != b"HTTP/1.1"
        or not method
        or method.translate(None, TOKEN_CHARS)
        or method == b"CONNECT"
        or method == b"HEAD"
        or target[:1] != b"/"
        or target.translate(None, TARGET_CHARS)
    ):
        return None
    return method, target


def _field_line(line: bytes) -> tuple[bytes, bytes] | None:
    # (lower-cased name, value) of a field line the general parser accepts
    # and that leaves the request simple; the caller checked its bytes.
    colon = line.find(b":")
    if colon <= 0:
        return None
    name = line[:colon]
    lowered = NAME_CACHE.get(name)
    if lowered is None:
        try:
            lowered = lower_name(name)  # validates (and caches) the name
        except InvalidHeader:
            return None
    value = line[colon + 1 :].strip(b" \t")
    if lowered == b"host":
        if value.translate(None, _HOST_CHARS):
            return None
    elif lowered in _GENERAL:
        return None
    elif lowered == b"connection":
        if value.lower() != b"keep-alive":
            return None
    elif lowered == b"content-length" and (
        not value.isdigit() or len(value.lstrip(b"0")) > MAX_CL_DIGITS
    ):
        return None  # the general parser's rules (isdigit is ASCII-only)
    return lowered, value


def simple_response(
    status: int,
    headers: Headers,
    body: bytes,
    default_headers: bytes,
    keep_alive: bool,
) -> bytes | None:
    """The bytes of a complete response to a request :func:`parse_simple_request`
    accepted, or ``None`` when the general framing rules must decide.

    :param status: 200 to 599 but not 204 or 304 (those answer ``None``).
    :param headers: the application's ``(name, value)`` pairs, validated here.
    :param body: the whole body.
    :param default_headers: field lines the server adds first (``server``,
        ``date``), each ending in CRLF, already valid.
    :param keep_alive: ``False`` adds ``connection: close``.
    :raises LocalHTTPProtocolError: a header name or value is invalid (the
        same check as the general path's, against response splitting).
    """
    if type(status) is not int or not 200 <= status < 600:
        return None  # the general path raises the right error
    start = STATUS_LINES.get(status)
    if start is None or status == 204 or status == 304:
        return None
    # Applications send the same few header lists again and again; a list
    # seen before (equal pairs, so equal bytes) skips validation and joining.
    try:
        key: tuple[tuple[bytes, bytes], ...] | None = tuple(headers)
        block = _RESPONSE_BLOCKS.get(key)  # type: ignore[arg-type]
    except TypeError:  # unhashable pairs (lists, bytearrays): not cached
        key = block = None
    if block is None:
        block = _response_block(headers)  # validates: may raise
        if block is None:
            return None
        if key is not None:
            _remember(_RESPONSE_BLOCKS, key, block)
    lines, length = block
    size = b"%d" % len(body)
    if length is not None and length != size:
        return None
    # In the order of a server that appends "connection: close" to its
    # headers and lets the Connection add the length: the same bytes.
    return b"".join(
        [
            start,
            default_headers,
            lines,
            b"" if keep_alive else _CLOSE_LINE,
            b"" if length is not None else b"content-length: " + size + b"\r\n",
            b"\r\n",
            body,
        ]
    )


_RESPONSE_BLOCKS: dict[tuple[tuple[bytes, bytes], ...], tuple[bytes, bytes | None]] = {}


def _response_block(headers: Headers) -> tuple[bytes, bytes | None] | None:
    # (field lines, Content-Length value) of an application's valid headers,
    # or None when they need the general framing rules.
    validate_headers(headers)
    parts: list[bytes] = []
    length: bytes | None = None
    known = NAME_CACHE.get
    for name, value in headers:
        lowered = known(name) or name.lower()
        if lowered in _RESPONSE_FRAMING:
            if lowered != b"content-length" or length is not None:
                return None
            length = value
        parts += (name, b": ", value, b"\r\n")
    return b"".join(parts), length


def field_lines(headers: Headers) -> bytes | None:
    """``name: value\\r\\n`` lines for headers a server adds to every response
    (the ``default_headers`` of :func:`simple_response`).

    :returns: ``None`` when a header is invalid or concerns framing
        (Content-Length, Transfer-Encoding, Connection): such responses must
        take the general path, which validates and frames them.
    """
    try:
        validate_headers(headers)
    except LocalHTTPProtocolError:
        return None
    known = NAME_CACHE.get
    parts: list[bytes] = []
    for name, value in headers:
        if (known(name) or name.lower()) in _RESPONSE_FRAMING:
            return None
        parts += (name, b": ", value, b"\r\n")
    return b"".join(parts)
