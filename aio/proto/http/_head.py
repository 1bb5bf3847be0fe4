"""Finding and parsing a message head: start line plus header section.

Theory of operation. A head ends at the first empty line (RFC 9112 section 2.1).
We are strict about line endings: every line ends in CRLF. RFC 9112 section 2.2
lets a recipient accept a bare LF, but llhttp (strict mode), h11-hardened proxies
and we reject it, because a bare LF that one hop accepts and another does not is a
request-smuggling vector; a bare CR is always an error. So the head is located with
one ``find(b"\\r\\n\\r\\n")``; while it is incomplete, the newly arrived bytes are
scanned once for a bare LF so that a peer using LF-only framing fails fast instead
of stalling until a limit trips.

A start line that cannot become valid (its first bytes are not a method
token, or a response does not start with ``HTTP/1.``) fails as soon as it is
seen.

Once the head is complete, its bytes are validated in bulk (one ``translate`` for
forbidden bytes, three ``count`` calls for stray CR/LF), then split into lines.
Per header line the work is a ``find(b":")``, a cached name check and a
``strip``, which keeps the common request under a few microseconds.
"""

from __future__ import annotations

from ._errors import (
    HeaderBlockTooLarge,
    HTTPProtocolError,
    InvalidHeader,
    InvalidRequestLine,
    InvalidStatusLine,
    RequestLineTooLong,
    TooManyHeaders,
)
from ._events import Headers, InformationalResponse, Request, Response
from ._headers import (
    FIELD_VALUE_CHARS,
    HEAD_CHARS,
    NAME_CACHE,
    TARGET_CHARS,
    TOKEN_CHARS,
    first_bad_byte,
    lower_name,
)
from ._limits import Limits

__all__ = (
    "HeadScanner",
    "check_field_bytes",
    "parse_fields",
    "parse_request_head",
    "parse_response_head",
)

_SCHEME_CHARS = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-."
_VERSIONS = {b"HTTP/1.1": b"1.1", b"HTTP/1.0": b"1.0"}
_DIGITS = b"0123456789"


class HeadScanner:
    """Cuts complete heads off the front of a receive buffer.

    Holds the scan position between calls, so a head that arrives one byte at a
    time costs linear, not quadratic, work.
    """

    __slots__ = ("_scanned",)

    def __init__(self) -> None:
        self._scanned = 0

    def reset(self) -> None:
        """Forget the scan position (after the buffer was consumed elsewhere)."""
        self._scanned = 0

    def extract(self, buf: bytearray, limits: Limits, is_request: bool) -> bytes | None:
        """Remove and return one head (without its final CRLFCRLF), or ``None``.

        Empty lines before the start line are dropped (RFC 9112 section 2.2
        asks servers to ignore at least one after a body; llhttp does the same
        for responses).

        :param is_request: the head is a request's (else a response's); used
            to reject a start line that cannot become valid before it ends.
        :raises HTTPProtocolError: a limit is exceeded or a line ends wrongly.
        """
        if buf[:2] == b"\r\n":
            # Bounded: each pass consumes bytes the peer sent.
            while buf[:2] == b"\r\n":
                del buf[:2]
            self._scanned = 0
        # Resume where the last call stopped (less 3 bytes: the terminator may
        # straddle reads), so a head dripped in byte by byte costs linear time.
        end = buf.find(b"\r\n\r\n", max(self._scanned - 3, 0))
        if end < 0:
            self._check_partial(buf, limits)
            if buf[:1] != b"\r":  # may still become an empty line
                _check_start(buf, is_request)
            return None
        if end + 2 > limits.max_header_block:
            raise HeaderBlockTooLarge(
                f"header section is {end + 2} bytes, over the "
                f"{limits.max_header_block}-byte limit"
            )
        head = bytes(buf[:end])
        del buf[: end + 4]
        self._scanned = 0
        return head

    def _check_partial(self, buf: bytearray, limits: Limits) -> None:
        first_eol = buf.find(b"\r\n")
        if first_eol < 0:
            first_eol = len(buf)
        if first_eol > limits.max_request_line:
            raise RequestLineTooLong(
                f"start line longer than {limits.max_request_line} bytes"
            )
        if len(buf) > limits.max_header_block + 2:
            raise HeaderBlockTooLarge(
                f"header section over the {limits.max_header_block}-byte limit"
            )
        # Look for a bare LF or CR in the part not scanned yet (back one byte,
        # since that byte may have been the CR of a CRLF split across reads).
        # Each line holds one CR and one LF, so this loop runs once per line.
        start = max(self._scanned - 1, 0)
        pos = start
        while True:
            lf = buf.find(b"\n", pos)
            if lf < 0:
                break
            if lf == 0 or buf[lf - 1] != 0x0D:
                raise InvalidHeader(f"bare LF at offset {lf} in the message head")
            pos = lf + 1
        pos = start
        last = len(buf) - 1
        while True:
            cr = buf.find(b"\r", pos)
            if cr < 0 or cr == last:
                break
            if buf[cr + 1] != 0x0A:
                raise InvalidHeader(f"bare CR at offset {cr} in the message head")
            pos = cr + 1
        self._scanned = len(buf)


def _check_start(buf: bytearray, is_request: bool) -> None:
    # Fail fast on a start line that can never become valid (a TLS handshake
    # sent to a plain-text port, a stray protocol), instead of buffering until
    # a limit or a timeout. Only the first few bytes are looked at.
    if is_request:
        space = buf.find(b" ", 0, 33)
        method = bytes(buf[: space if space >= 0 else 32])
        if method.translate(None, TOKEN_CHARS):
            raise InvalidRequestLine(f"invalid method {method!r}")
    else:
        n = min(len(buf), 7)
        if buf[:n] != b"HTTP/1."[:n]:
            raise InvalidStatusLine(f"not an HTTP/1.x response: {bytes(buf[:16])!r}")


def check_field_bytes(head: bytes) -> None:
    """Reject forbidden bytes and bare CR/LF in a block of field lines."""
    if head.translate(None, HEAD_CHARS):
        bad = first_bad_byte(head, HEAD_CHARS)
        raise InvalidHeader(
            f"invalid byte {head[bad : bad + 1]!r} at offset {bad} in the message head"
        )
    crlf = head.count(b"\r\n")
    if head.count(b"\r") != crlf:
        raise InvalidHeader("bare CR in the message head")
    if head.count(b"\n") != crlf:
        raise InvalidHeader("bare LF in the message head")


def parse_fields(lines: list[bytes], limits: Limits) -> Headers:
    """Parse header (or trailer) field lines into ``(lower-name, value)`` pairs.

    :raises TooManyHeaders: more lines than ``limits.max_header_count``.
    :raises InvalidHeader: obs-fold, a missing colon, or a bad name.
    """
    if len(lines) > limits.max_header_count:
        raise TooManyHeaders(
            f"{len(lines)} header fields, over the limit of {limits.max_header_count}"
        )
    headers: Headers = []
    append = headers.append
    # Names seen before map straight to their lower-case form; only a new
    # name (or a bad one) takes the validating path.
    known = NAME_CACHE.get
    for line in lines:
        colon = line.find(b":")
        if colon <= 0:
            if line[:1] in (b" ", b"\t"):
                raise InvalidHeader(f"obsolete line folding: {line[:40]!r}")
            raise InvalidHeader(f"header line without a name and colon: {line[:40]!r}")
        name = line[:colon]
        lowered = known(name)
        if lowered is None:
            if name[0] in (0x20, 0x09):
                raise InvalidHeader(f"obsolete line folding: {line[:40]!r}")
            lowered = lower_name(name)
        append((lowered, line[colon + 1 :].strip(b" \t")))
    return headers


def _split_head(head: bytes, limits: Limits) -> tuple[bytes, list[bytes]]:
    # The start line is validated by its own parser (every part has a strict
    # charset, so stray CR/LF/CTLs there fail as start-line errors); the bytes
    # after it are validated here in bulk.
    eol = head.find(b"\r\n")
    first = head if eol < 0 else head[:eol]
    if len(first) > limits.max_request_line:
        raise RequestLineTooLong(
            f"start line longer than {limits.max_request_line} bytes"
        )
    if eol < 0:
        return first, []
    fields = head[eol + 2 :]
    check_field_bytes(fields)
    return first, fields.split(b"\r\n")


def parse_request_head(head: bytes, limits: Limits) -> Request:
    """Parse a request head (``method SP target SP version`` plus fields).

    :raises HTTPProtocolError: anything malformed; see the module docstring.
    """
    first, lines = _split_head(head, limits)
    parts = first.split(b" ")
    if len(parts) != 3:
        raise InvalidRequestLine(f"malformed request line {first[:80]!r}")
    method, target, version = parts
    if not method or method.translate(None, TOKEN_CHARS):
        raise InvalidRequestLine(f"invalid method {method[:40]!r}")
    if not target or target.translate(None, TARGET_CHARS):
        raise InvalidRequestLine(f"invalid request target {target[:80]!r}")
    if (target[0] != 0x2F or method == b"CONNECT") and not _other_target_form(
        method, target
    ):
        raise InvalidRequestLine(
            f"request target {target[:80]!r} is not in a form allowed for {method!r}"
        )
    http_version = _VERSIONS.get(version)
    if http_version is None:
        raise _bad_version(version, InvalidRequestLine)
    return Request(method, target, parse_fields(lines, limits), http_version)


def _other_target_form(method: bytes, target: bytes) -> bool:
    # RFC 9112 section 3.2: besides origin-form ("/path"), CONNECT takes the
    # authority-form (host:port), "*" is the asterisk-form, and any method may use
    # the absolute-form (scheme "://" ...), which proxies receive.
    if method == b"CONNECT":
        return b"/" not in target and b"@" not in target
    if target == b"*":
        # RFC 9112 section 3.2.4 means it for OPTIONS; other methods (SSDP's
        # M-SEARCH) use it too, and it frames nothing, so it is accepted.
        return True
    scheme, sep, _ = target.partition(b"://")
    return (
        bool(sep) and scheme[:1].isalpha() and not scheme.translate(None, _SCHEME_CHARS)
    )


def _bad_version(version: bytes, cls: type[HTTPProtocolError]) -> HTTPProtocolError:
    if (
        len(version) == 8
        and version[:5] == b"HTTP/"
        and version[5:6].isdigit()
        and version[6:7] == b"."
        and version[7:8].isdigit()
    ):
        # Well-formed but not 1.x: RFC 9110 section 15.6.6 has a status for this.
        return cls(f"unsupported HTTP version {version!r}", status_hint=505)
    return cls(f"invalid HTTP version {version[:20]!r}")


def parse_response_head(
    head: bytes, limits: Limits
) -> Response | InformationalResponse:
    """Parse a response head (``version SP code [SP reason]`` plus fields).

    A missing reason phrase (``HTTP/1.1 200``) is accepted: RFC 9112 section 4
    makes the phrase optional and many servers omit the space too.

    :raises HTTPProtocolError: anything malformed.
    """
    first, lines = _split_head(head, limits)
    version = first[:8]
    http_version = _VERSIONS.get(version)
    if http_version is None:
        raise _bad_version(version, InvalidStatusLine)
    code = first[9:12]
    if first[8:9] != b" " or len(code) != 3 or code.translate(None, _DIGITS):
        raise InvalidStatusLine(f"malformed status line {first[:80]!r}")
    rest = first[12:]
    if rest and (rest[:1] != b" " or first_bad_byte(rest, FIELD_VALUE_CHARS) >= 0):
        raise InvalidStatusLine(f"malformed status line {first[:80]!r}")
    status = int(code)
    if status < 100:
        raise InvalidStatusLine(f"invalid status code {status}")
    headers = parse_fields(lines, limits)
    if status < 200:
        return InformationalResponse(status, headers, http_version, rest[1:])
    return Response(status, headers, http_version, rest[1:])
