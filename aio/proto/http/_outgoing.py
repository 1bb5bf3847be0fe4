"""Framing decisions for what our side sends (RFC 9112 section 6, RFC 9110 9.3).

The connection validates state; this module decides, for a head our caller hands
in, which body writer frames what follows and which headers must be added
(``content-length``, ``transfer-encoding: chunked``, ``connection: close`` or
``keep-alive``). Our caller's mistakes raise :class:`LocalHTTPProtocolError`
before anything is produced, so a refused head changes nothing.
"""

from __future__ import annotations

from typing import Final

from ._errors import HTTPProtocolError, InvalidContentLength, LocalHTTPProtocolError
from ._events import Headers, Request
from ._framing import MessageInfo, scan_headers, te_codings
from ._headers import (
    FIELD_VALUE_CHARS,
    TARGET_CHARS,
    is_token,
    parse_content_length,
)
from ._status import STATUS_PHRASES
from ._writer import (
    BodyWriter,
    ChunkedWriter,
    CloseWriter,
    DiscardWriter,
    LengthWriter,
    validate_headers,
)

__all__ = (
    "STATUS_LINES",
    "plan_request",
    "plan_response",
    "status_line",
    "switch_proposal",
)

#: ``"HTTP/1.1 200 OK\r\n"`` for every standard status, built once.
STATUS_LINES: Final = {
    code: b"HTTP/1.1 %d %b\r\n" % (code, phrase)
    for code, phrase in STATUS_PHRASES.items()
}
_CLOSE_HEADER: Final = (b"connection", b"close")
_KEEP_ALIVE_HEADER: Final = (b"connection", b"keep-alive")
_CHUNKED_HEADER: Final = (b"transfer-encoding", b"chunked")


def status_line(status: int, reason: bytes) -> bytes:
    """``HTTP/1.1 <status> <reason>`` without CRLF; the standard phrase if empty.

    :raises LocalHTTPProtocolError: the reason holds CR, LF or another CTL.
    """
    if not reason:
        reason = STATUS_PHRASES.get(status, b"")
    elif type(reason) is not bytes or reason.translate(None, FIELD_VALUE_CHARS):
        raise LocalHTTPProtocolError(f"invalid reason phrase {reason!r}")
    return b"HTTP/1.1 %d %b" % (status, reason)


def switch_proposal(method: bytes, version: bytes, info: MessageInfo) -> bytes | None:
    """``b"CONNECT"`` or ``b"upgrade"`` when a request proposes leaving HTTP.

    Upgrade counts only with ``Connection: upgrade`` and in HTTP/1.1 (RFC 9110
    section 7.8: a server ignores Upgrade in an HTTP/1.0 request).
    """
    if method == b"CONNECT":
        return b"CONNECT"
    if info.upgrade and info.wants_upgrade and version == b"1.1":
        return b"upgrade"
    return None


def _codings(info: MessageInfo) -> list[bytes]:
    try:
        return te_codings(info)
    except HTTPProtocolError as exc:
        raise LocalHTTPProtocolError(str(exc)) from None


def _content_length(info: MessageInfo) -> int:
    try:
        return parse_content_length(info.content_length)
    except InvalidContentLength as exc:
        raise LocalHTTPProtocolError(str(exc)) from None


def plan_response(
    status: int,
    headers: Headers,
    method: bytes | None,
    peer_version: bytes,
    keep_alive: bool,
    body_length: int | None,
) -> tuple[BodyWriter | None, Headers, bool]:
    """Decide how a final response is framed.

    :param method: the request's method, or ``None`` when answering no request
        (a 400 to an unparsable one, a 408).
    :param peer_version: the request's HTTP version.
    :param keep_alive: whether the connection could otherwise be kept.
    :param body_length: the whole body's length when it is known now
        (``send_response(end=True)``), else ``None``.
    :returns: ``(writer, headers to send, keep_alive)``; the writer is
        ``None`` for a 2xx to CONNECT, after which the tunnel starts.
    :raises LocalHTTPProtocolError: contradictory or unsupported framing.
    """
    validate_headers(headers)
    info = scan_headers(headers, lower=True)
    if method == b"CONNECT" and 200 <= status < 300:
        # No framing at all (RFC 9110 section 9.3.6): the tunnel follows.
        return None, headers, keep_alive
    # Answering no request, we know nothing of the peer: frame as for HTTP/1.0
    # (close-delimited) and never keep the connection.
    peer_10 = peer_version == b"1.0" or method is None
    keep_alive = keep_alive and not info.close and method is not None
    extra: list[tuple[bytes, bytes]] = []
    writer: BodyWriter
    if method == b"HEAD" or status in (204, 304):
        writer = DiscardWriter()
        # Content-Length of a HEAD response describes the GET body (RFC 9110
        # section 9.3.2), so the body handed to send_response is measured.
        if (
            body_length
            and method == b"HEAD"
            and not info.content_length
            and not info.te
        ):
            extra.append((b"content-length", b"%d" % body_length))
    elif info.te:
        codings = _codings(info)
        if info.content_length:
            raise LocalHTTPProtocolError("both Content-Length and Transfer-Encoding")
        if codings != [b"chunked"]:
            raise LocalHTTPProtocolError(
                f"only Transfer-Encoding: chunked can be sent, not {codings!r}"
            )
        if peer_10:
            # An HTTP/1.0 client cannot decode chunked: delimit by close.
            headers = [h for h in headers if h[0].lower() != b"transfer-encoding"]
            writer = CloseWriter()
            keep_alive = False
        else:
            writer = ChunkedWriter()
    elif info.content_length:
        writer = LengthWriter(_content_length(info))
    elif body_length is not None:
        writer = LengthWriter(body_length)
        extra.append((b"content-length", b"%d" % body_length))
    elif not peer_10:
        writer = ChunkedWriter()
        extra.append(_CHUNKED_HEADER)
    else:
        writer = CloseWriter()
        keep_alive = False
    # Tell the peer what was decided: a 1.1 peer needs only "close"; a 1.0
    # peer keeps the connection only when told "keep-alive".
    if not keep_alive:
        if not info.close:
            extra.append(_CLOSE_HEADER)
    elif peer_version == b"1.0" and not info.keep_alive:
        extra.append(_KEEP_ALIVE_HEADER)
    if extra:
        headers = [*headers, *extra]
    return writer, headers, keep_alive


def plan_request(event: Request) -> tuple[BodyWriter, MessageInfo, bool]:
    """Validate a request we send and decide its framing.

    A request without framing headers has no body (RFC 9112 section 6.3);
    chunked is used only when asked for, since some servers refuse chunked
    requests.

    :returns: ``(writer, header info, keep_alive)``.
    :raises LocalHTTPProtocolError: an invalid method, target, version or
        header, a missing Host, or contradictory framing.
    """
    method, target, version = event.method, event.target, event.http_version
    if not (type(method) is bytes and type(target) is bytes):
        raise LocalHTTPProtocolError("method and target must be bytes")
    if not is_token(method):
        raise LocalHTTPProtocolError(f"invalid method {method!r}")
    if not target or target.translate(None, TARGET_CHARS):
        raise LocalHTTPProtocolError(f"invalid request target {target!r}")
    if version not in (b"1.1", b"1.0"):
        raise LocalHTTPProtocolError(f"unsupported HTTP version {version!r}")
    validate_headers(event.headers)
    info = scan_headers(event.headers, lower=True)
    if version == b"1.1" and info.host_count != 1:
        raise LocalHTTPProtocolError(
            "an HTTP/1.1 request needs exactly one Host header"
        )
    writer: BodyWriter
    if info.te:
        if info.content_length:
            raise LocalHTTPProtocolError("both Content-Length and Transfer-Encoding")
        if _codings(info) != [b"chunked"] or version == b"1.0":
            raise LocalHTTPProtocolError(
                "only Transfer-Encoding: chunked (HTTP/1.1) can be sent"
            )
        writer = ChunkedWriter()
    elif info.content_length:
        writer = LengthWriter(_content_length(info))
    else:
        writer = LengthWriter(0)
    if version == b"1.1":
        keep_alive = not info.close
    else:
        keep_alive = info.keep_alive and not info.close
    return writer, info, keep_alive
