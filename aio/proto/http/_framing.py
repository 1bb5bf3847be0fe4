"""Message semantics read from the header list: body framing, keep-alive, upgrade.

RFC 9112 section 6.3 decides how long a body is, in this order:

1. responses to HEAD, 1xx, 204 and 304 have no body; a 2xx to CONNECT switches
   the connection to a tunnel;
2. Transfer-Encoding with ``chunked`` last: chunked. A request with
   Transfer-Encoding but ``chunked`` not last is rejected (400); such a response
   is read until close. Transfer-Encoding together with Content-Length is a
   smuggling attempt and rejected outright, for requests and responses;
3. a valid Content-Length: exactly that many bytes;
4. otherwise: a request has no body, a response is read until close.

``chunked`` is the only transfer coding implemented; any other coding in a
request is answered 501 (RFC 9112 section 6.1), since we cannot hand a decoded
body to the application.
"""

from __future__ import annotations

from typing import Final

from ._errors import (
    InvalidHeader,
    RequestSmugglingError,
    UnsupportedTransferEncoding,
)
from ._events import Headers
from ._headers import NAME_CACHE, comma_tokens, parse_content_length

__all__ = (
    "CHUNKED",
    "CLOSE",
    "LENGTH",
    "MessageInfo",
    "request_framing",
    "response_framing",
    "scan_headers",
    "te_codings",
)

# Body framing kinds; a framing is (kind, length) where length matters for LENGTH.
LENGTH: Final = 0
CHUNKED: Final = 1
CLOSE: Final = 2
# Header names that change how the connection behaves; every other header is
# skipped with a single set lookup.
_SPECIAL = frozenset(
    (
        b"content-length",
        b"transfer-encoding",
        b"connection",
        b"host",
        b"expect",
        b"upgrade",
    )
)


class MessageInfo:
    """What a message's headers say about framing and the connection."""

    __slots__ = (
        "close",
        "content_length",
        "expect_continue",
        "host",
        "host_count",
        "keep_alive",
        "te",
        "upgrade",
        "wants_upgrade",
    )

    def __init__(self) -> None:
        self.content_length: list[bytes] = []
        self.te: list[bytes] = []
        self.close = False
        self.keep_alive = False
        self.wants_upgrade = False
        self.upgrade = False
        self.expect_continue = False
        self.host_count = 0
        #: The value of the (last) Host line.
        self.host = b""


def scan_headers(headers: Headers, *, lower: bool = False) -> MessageInfo:
    """Collect the connection-relevant fields of ``headers``.

    :param lower: lower-case the names first (parsed names already are; names
        our caller hands to ``send`` may not be).
    """
    info = MessageInfo()
    if lower:
        known = NAME_CACHE.get
        headers = [(known(name) or name.lower(), value) for name, value in headers]
    for name, value in headers:
        if name not in _SPECIAL:
            continue
        if name == b"content-length":
            info.content_length.append(value)
        elif name == b"transfer-encoding":
            info.te.append(value)
        elif name == b"connection":
            tokens = comma_tokens(value)
            if b"close" in tokens:
                info.close = True
            if b"keep-alive" in tokens:
                info.keep_alive = True
            if b"upgrade" in tokens:
                info.wants_upgrade = True
        elif name == b"host":
            info.host_count += 1
            info.host = value
        elif name == b"expect":
            # RFC 9110 section 10.1.1: the expectation is case-insensitive.
            if value.lower() == b"100-continue":
                info.expect_continue = True
        else:
            info.upgrade = True
    return info


def te_codings(info: MessageInfo) -> list[bytes]:
    """The transfer codings named by all Transfer-Encoding lines, in order.

    :raises InvalidHeader: an empty Transfer-Encoding line.
    """
    codings: list[bytes] = []
    for value in info.te:
        parts = comma_tokens(value)
        if not parts:
            raise InvalidHeader("empty Transfer-Encoding header")
        codings.extend(parts)
    return codings


def request_framing(info: MessageInfo, http_version: bytes) -> tuple[int, int]:
    """Framing of a request body: ``(LENGTH, n)`` or ``(CHUNKED, 0)``.

    :raises RequestSmugglingError: Content-Length with Transfer-Encoding, or a
        Transfer-Encoding whose last coding is not ``chunked``, or repeated
        ``chunked``, or Transfer-Encoding in an HTTP/1.0 request.
    :raises UnsupportedTransferEncoding: a coding other than ``chunked`` (501).
    :raises InvalidContentLength: a malformed or repeated Content-Length.
    """
    if info.te:
        if info.content_length:
            raise RequestSmugglingError(
                "both Content-Length and Transfer-Encoding in one request"
            )
        if http_version == b"1.0":
            # RFC 9112 section 6.1: framing of such a message is faulty.
            raise RequestSmugglingError("Transfer-Encoding in an HTTP/1.0 request")
        codings = te_codings(info)
        if codings[-1] != b"chunked":
            raise RequestSmugglingError(
                f"request Transfer-Encoding {b', '.join(codings)!r} "
                "does not end in chunked"
            )
        if codings.count(b"chunked") > 1:
            raise RequestSmugglingError("chunked applied more than once")
        if len(codings) > 1:
            raise UnsupportedTransferEncoding(
                f"unsupported transfer coding {codings[0]!r}"
            )
        return CHUNKED, 0
    if info.content_length:
        return LENGTH, parse_content_length(info.content_length)
    return LENGTH, 0


def response_framing(
    info: MessageInfo, request_method: bytes | None, status: int
) -> tuple[int, int]:
    """Framing of a response body: ``(LENGTH, n)``, ``(CHUNKED, 0)`` or
    ``(CLOSE, 0)`` (read until the server closes).

    :param request_method: the method of the request this answers.
    :raises RequestSmugglingError: Content-Length with Transfer-Encoding, or
        repeated ``chunked``.
    :raises UnsupportedTransferEncoding: a coding other than ``chunked``.
    """
    if request_method == b"HEAD" or status in (204, 304) or status < 200:
        return LENGTH, 0
    if info.te:
        if info.content_length:
            raise RequestSmugglingError(
                "both Content-Length and Transfer-Encoding in one response"
            )
        codings = te_codings(info)
        if codings.count(b"chunked") > 1:
            raise RequestSmugglingError("chunked applied more than once")
        if codings[-1] != b"chunked":
            # RFC 9112 section 6.3 item 4: the body runs until close; any
            # coding on it is the application's to undo.
            return CLOSE, 0
        if len(codings) > 1:
            raise UnsupportedTransferEncoding(
                f"unsupported transfer coding {codings[0]!r}"
            )
        return CHUNKED, 0
    if info.content_length:
        return LENGTH, parse_content_length(info.content_length)
    return CLOSE, 0
