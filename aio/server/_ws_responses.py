"""The head of an ASGI denial response a WebSocket endpoint writes instead of
``101`` (its plain error responses are ``_cycle.error_response``).

It closes the connection afterwards: a refused upgrade never goes back to
keep-alive (the client would have to resend its request anyway).
"""

from __future__ import annotations

from collections.abc import Iterable

_PHRASES = {
    400: b"Bad Request",
    403: b"Forbidden",
    426: b"Upgrade Required",
    503: b"Service Unavailable",
    500: b"Internal Server Error",
}


def _check(value: bytes) -> bytes:
    if b"\r" in value or b"\n" in value or b"\0" in value:
        raise RuntimeError(f"invalid header field {value[:40]!r}")
    return value


def denial_head(
    status: int,
    headers: Iterable[tuple[bytes, bytes]],
    default_headers: Iterable[tuple[bytes, bytes]],
    body: bytes,
    more_body: bool,
) -> bytes:
    """The head of an app's denial response (``websocket.http.response.start``).

    Written together with the first body message: when that is the whole body and
    the app gave no length, ``content-length`` is added; otherwise the body is
    delimited by closing the connection (HTTP/1.1 allows it for responses).
    """
    app_headers = [(name.lower(), value) for name, value in headers]
    names = {name for name, _ in app_headers}
    lines = [b"HTTP/1.1 %d %s" % (status, _PHRASES.get(status, b"Denied"))]
    lines += [
        name + b": " + value for name, value in default_headers if name not in names
    ]
    lines += [_check(name) + b": " + _check(value) for name, value in app_headers]
    if not more_body and b"content-length" not in names:
        lines.append(b"content-length: %d" % len(body))
    if b"connection" not in names:
        lines.append(b"connection: close")
    return b"\r\n".join(lines) + b"\r\n\r\n"
