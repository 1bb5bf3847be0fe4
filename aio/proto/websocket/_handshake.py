"""The opening handshake (RFC 6455 §4) for both roles.

Theory of operation
-------------------
Server side: the HTTP layer parses the request head; :func:`parse_upgrade_request`
checks what makes it a WebSocket upgrade (GET, HTTP/1.1, ``Upgrade: websocket``,
an ``upgrade`` token in ``Connection``, a ``Sec-WebSocket-Key`` that is 16 bytes in
base64, ``Sec-WebSocket-Version: 13``) and collects the subprotocols and extension
offers. The application picks a subprotocol; :func:`build_accept_response` writes
the ``101 Switching Protocols`` head with ``Sec-WebSocket-Accept`` =
base64(SHA-1(key + GUID)) (§4.2.2).

Client side: :class:`ClientHandshake` writes the request and reads the response
head from raw bytes (it is small enough to parse here, and it keeps the client
free of the HTTP parser's request/response state), then validates the 101 and
returns a :class:`HandshakeResult` from which the connection is built. Bytes that
arrived after the head are kept: they are the first frames.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass

from aio.proto.websocket._connection import Role, WebSocketConnection
from aio.proto.websocket._deflate import (
    DeflateParams,
    PerMessageDeflate,
    client_accept_deflate,
    client_deflate_offer,
)
from aio.proto.websocket._errors import InvalidHandshakeError
from aio.proto.websocket._headers import Headers, get_all, parse_token_list

__all__ = (
    "ClientHandshake",
    "HandshakeResult",
    "UpgradeRequest",
    "accept_key",
    "build_accept_response",
    "is_upgrade_request",
    "parse_upgrade_request",
)

_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def accept_key(key: str) -> str:
    """``Sec-WebSocket-Accept`` for a ``Sec-WebSocket-Key`` (§4.2.2 step 5.4)."""
    digest = hashlib.sha1(key.encode("ascii") + _GUID).digest()
    return base64.b64encode(digest).decode("ascii")


def _has_token(headers: Headers, name: bytes, token: str) -> bool:
    return token in (t.lower() for t in parse_token_list(get_all(headers, name)))


def is_upgrade_request(headers: Headers) -> bool:
    """Whether a request asks for a WebSocket upgrade (``Upgrade: websocket``)."""
    try:
        return _has_token(headers, b"upgrade", "websocket")
    except InvalidHandshakeError:
        return False


@dataclass(frozen=True, slots=True)
class UpgradeRequest:
    """What a valid upgrade request asked for."""

    key: str
    #: offered subprotocols, in the client's order of preference
    subprotocols: tuple[str, ...]
    #: raw ``Sec-WebSocket-Extensions`` values (see ``server_negotiate_deflate``)
    extensions: tuple[str, ...]


def _single(headers: Headers, name: bytes) -> str:
    values = get_all(headers, name)
    if len(values) != 1:
        raise InvalidHandshakeError(
            f"expected one {name.decode()} header, got {len(values)}"
        )
    return values[0].strip(" \t")


def parse_upgrade_request(
    method: str, http_version: str, headers: Headers
) -> UpgradeRequest:
    """Validate a client's opening handshake (§4.2.1).

    :param method: the request method, e.g. ``"GET"``.
    :param http_version: ``"1.1"`` (``"HTTP/1.1"`` is accepted too).
    :param headers: the request headers as ``(name, value)`` bytes pairs.
    :raises InvalidHandshakeError: with ``status_hint`` 400, or 426 for an
        unsupported version (answer with ``Sec-WebSocket-Version: 13``).
    """
    if method != "GET":
        raise InvalidHandshakeError(f"WebSocket upgrade needs GET, not {method}")
    version = http_version.removeprefix("HTTP/")
    if version != "1.1":
        raise InvalidHandshakeError(f"WebSocket upgrade needs HTTP/1.1, not {version}")
    if not get_all(headers, b"host"):
        raise InvalidHandshakeError("missing Host header")
    if not _has_token(headers, b"upgrade", "websocket"):
        raise InvalidHandshakeError("missing 'Upgrade: websocket'")
    if not _has_token(headers, b"connection", "upgrade"):
        raise InvalidHandshakeError("missing 'upgrade' in the Connection header")
    key = _single(headers, b"sec-websocket-key")
    try:
        raw = base64.b64decode(key.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        raw = b""
    if len(raw) != 16:
        raise InvalidHandshakeError("Sec-WebSocket-Key is not 16 bytes in base64")
    versions = get_all(headers, b"sec-websocket-version")
    if [v.strip(" \t") for v in versions] != ["13"]:
        raise InvalidHandshakeError(
            "unsupported Sec-WebSocket-Version (13 is supported)", status_hint=426
        )
    subprotocols = parse_token_list(get_all(headers, b"sec-websocket-protocol"))
    extensions = get_all(headers, b"sec-websocket-extensions")
    return UpgradeRequest(key, tuple(subprotocols), tuple(extensions))


def _check_header_value(value: bytes) -> None:
    if b"\r" in value or b"\n" in value or b"\0" in value:
        raise ValueError("header value contains CR, LF or NUL")


def build_accept_response(
    request: UpgradeRequest,
    *,
    subprotocol: str | None = None,
    extensions: str | None = None,
    extra_headers: Sequence[tuple[bytes, bytes]] = (),
) -> bytes:
    """The ``101 Switching Protocols`` response head (§4.2.2).

    :param subprotocol: the chosen one; must be among ``request.subprotocols``.
    :param extensions: the ``Sec-WebSocket-Extensions`` answer, if any.
    :param extra_headers: more headers (e.g. from an ASGI app), bytes pairs.
    :raises ValueError: a subprotocol the client did not offer, or a header with
        CR/LF in it.
    """
    if subprotocol is not None and subprotocol not in request.subprotocols:
        raise ValueError(f"subprotocol {subprotocol!r} was not offered")
    lines = [
        b"HTTP/1.1 101 Switching Protocols",
        b"Upgrade: websocket",
        b"Connection: Upgrade",
        b"Sec-WebSocket-Accept: " + accept_key(request.key).encode("ascii"),
    ]
    if subprotocol is not None:
        lines.append(b"Sec-WebSocket-Protocol: " + subprotocol.encode("ascii"))
    if extensions:
        lines.append(b"Sec-WebSocket-Extensions: " + extensions.encode("ascii"))
    for name, value in extra_headers:
        _check_header_value(name)
        _check_header_value(value)
        lines.append(name + b": " + value)
    return b"\r\n".join(lines) + b"\r\n\r\n"


@dataclass(frozen=True, slots=True)
class HandshakeResult:
    """A completed client handshake."""

    status: int
    headers: list[tuple[bytes, bytes]]
    subprotocol: str | None
    deflate: DeflateParams | None
    #: bytes received after the response head: the first frames
    leftover: bytes

    def connection(
        self, *, max_message_size: int | None = 16 * 1024 * 1024, auto_pong: bool = True
    ) -> WebSocketConnection:
        """A client :class:`WebSocketConnection` for this handshake, already fed
        with :attr:`leftover`."""
        deflate = None
        if self.deflate is not None:
            deflate = PerMessageDeflate(self.deflate, is_client=True)
        conn = WebSocketConnection(
            Role.CLIENT,
            deflate=deflate,
            max_message_size=max_message_size,
            auto_pong=auto_pong,
        )
        if self.leftover:
            conn.receive_data(self.leftover)
        return conn


class ClientHandshake:
    """The client's half of the opening handshake.

    :param host: the ``Host`` header value (``host[:port]``).
    :param target: the request target, ``/path?query``.
    :param subprotocols: subprotocols to offer, preferred first.
    :param offer_deflate: offer permessage-deflate.
    :param extra_headers: more request headers, bytes pairs.
    :param key: the ``Sec-WebSocket-Key`` (random when omitted; tests fix it).
    :param max_head_size: the largest response head accepted.
    """

    def __init__(
        self,
        host: str,
        target: str = "/",
        *,
        subprotocols: Sequence[str] = (),
        offer_deflate: bool = True,
        extra_headers: Sequence[tuple[bytes, bytes]] = (),
        key: str | None = None,
        max_head_size: int = 65536,
    ) -> None:
        self.host = host
        self.target = target
        self.subprotocols = tuple(subprotocols)
        self.offer_deflate = offer_deflate
        self.extra_headers = list(extra_headers)
        self.key = key or base64.b64encode(os.urandom(16)).decode("ascii")
        self._max_head_size = max_head_size
        self._buffer = bytearray()

    def request_bytes(self) -> bytes:
        """The request head to send."""
        lines = [
            f"GET {self.target} HTTP/1.1".encode("ascii"),
            b"Host: " + self.host.encode("ascii"),
            b"Upgrade: websocket",
            b"Connection: Upgrade",
            b"Sec-WebSocket-Key: " + self.key.encode("ascii"),
            b"Sec-WebSocket-Version: 13",
        ]
        if self.subprotocols:
            lines.append(
                b"Sec-WebSocket-Protocol: " + ", ".join(self.subprotocols).encode()
            )
        if self.offer_deflate:
            lines.append(
                b"Sec-WebSocket-Extensions: " + client_deflate_offer().encode()
            )
        for name, value in self.extra_headers:
            _check_header_value(name)
            _check_header_value(value)
            lines.append(name + b": " + value)
        return b"\r\n".join(lines) + b"\r\n\r\n"

    def receive_data(self, data: bytes) -> HandshakeResult | None:
        """Feed response bytes; returns the result once the head is complete.

        :raises InvalidHandshakeError: the response is not an acceptable 101, is
            malformed, too large, or ends early (``data == b""``).
        """
        if not data:
            raise InvalidHandshakeError("connection closed during the handshake")
        self._buffer += data
        end = self._buffer.find(b"\r\n\r\n")
        if end < 0:
            if len(self._buffer) > self._max_head_size:
                raise InvalidHandshakeError("response head too large")
            return None
        if end > self._max_head_size:
            raise InvalidHandshakeError("response head too large")
        head = bytes(self._buffer[:end])
        leftover = bytes(self._buffer[end + 4 :])
        status, headers = _parse_response_head(head)
        return self._validate(status, headers, leftover)

    def _validate(
        self, status: int, headers: list[tuple[bytes, bytes]], leftover: bytes
    ) -> HandshakeResult:
        if status != 101:
            raise InvalidHandshakeError(f"server answered {status}, not 101")
        if not _has_token(headers, b"upgrade", "websocket"):
            raise InvalidHandshakeError("response lacks 'Upgrade: websocket'")
        if not _has_token(headers, b"connection", "upgrade"):
            raise InvalidHandshakeError("response lacks 'Connection: upgrade'")
        if _single(headers, b"sec-websocket-accept") != accept_key(self.key):
            raise InvalidHandshakeError("wrong Sec-WebSocket-Accept")
        protocols = parse_token_list(get_all(headers, b"sec-websocket-protocol"))
        if len(protocols) > 1:
            raise InvalidHandshakeError("server chose several subprotocols")
        subprotocol = protocols[0] if protocols else None
        if subprotocol is not None and subprotocol not in self.subprotocols:
            raise InvalidHandshakeError(f"server chose unoffered {subprotocol!r}")
        ext_values = get_all(headers, b"sec-websocket-extensions")
        if ext_values and not self.offer_deflate:
            raise InvalidHandshakeError("server accepted an unoffered extension")
        deflate = client_accept_deflate(ext_values)
        return HandshakeResult(status, headers, subprotocol, deflate, leftover)


def _parse_response_head(head: bytes) -> tuple[int, list[tuple[bytes, bytes]]]:
    lines = head.split(b"\r\n")
    parts = lines[0].split(b" ", 2)
    if len(parts) < 2 or parts[0] != b"HTTP/1.1" or not parts[1].isdigit():
        raise InvalidHandshakeError(f"malformed status line {lines[0][:80]!r}")
    if len(parts[1]) != 3:
        raise InvalidHandshakeError(f"malformed status code {parts[1][:10]!r}")
    headers: list[tuple[bytes, bytes]] = []
    for line in lines[1:]:
        name, sep, value = line.partition(b":")
        if not sep or not name or name != name.strip() or b" " in name:
            raise InvalidHandshakeError(f"malformed header line {line[:80]!r}")
        headers.append((name.lower(), value.strip(b" \t")))
    return int(parts[1]), headers
