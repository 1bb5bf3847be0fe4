"""The opening handshake (RFC 6455 §4) for both roles."""

from __future__ import annotations

import pytest

from aio.proto.websocket import (
    ClientHandshake,
    DeflateParams,
    InvalidHandshakeError,
    TextMessage,
    UpgradeRequest,
    accept_key,
    build_accept_response,
    is_upgrade_request,
    parse_upgrade_request,
)

KEY = "dGhlIHNhbXBsZSBub25jZQ=="  # RFC 6455 §1.3


def good_headers(**overrides: bytes | None) -> list[tuple[bytes, bytes]]:
    base = {
        b"host": b"server.example.com",
        b"upgrade": b"websocket",
        b"connection": b"keep-alive, Upgrade",
        b"sec-websocket-key": KEY.encode(),
        b"sec-websocket-version": b"13",
        b"sec-websocket-protocol": b"chat, superchat",
        b"sec-websocket-extensions": b"permessage-deflate; client_max_window_bits",
    }
    for name, value in overrides.items():
        key = name.replace("_", "-").encode()
        if value is None:
            base.pop(key)
        else:
            base[key] = value
    return list(base.items())


def test_rfc_accept_key() -> None:
    # RFC 6455 §1.3 example.
    assert accept_key(KEY) == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="


def test_parse_good_request() -> None:
    req = parse_upgrade_request("GET", "1.1", good_headers())
    assert req == UpgradeRequest(
        KEY, ("chat", "superchat"), ("permessage-deflate; client_max_window_bits",)
    )
    assert is_upgrade_request(good_headers())
    assert not is_upgrade_request([(b"upgrade", b"h2c")])


@pytest.mark.parametrize(
    ("method", "version", "overrides", "status"),
    [
        ("POST", "1.1", {}, 400),
        ("GET", "1.0", {}, 400),
        ("GET", "1.1", {"host": None}, 400),
        ("GET", "1.1", {"upgrade": b"h2c"}, 400),
        ("GET", "1.1", {"connection": b"keep-alive"}, 400),
        ("GET", "1.1", {"sec_websocket_key": None}, 400),
        ("GET", "1.1", {"sec_websocket_key": b"c2hvcnQ="}, 400),  # 5 bytes
        ("GET", "1.1", {"sec_websocket_key": b"not base64!!!!!!!!!!!!=="}, 400),
        ("GET", "1.1", {"sec_websocket_version": b"8"}, 426),
        ("GET", "1.1", {"sec_websocket_version": None}, 426),
        ("GET", "1.1", {"sec_websocket_protocol": b"a b"}, 400),
    ],
)
def test_bad_requests(
    method: str, version: str, overrides: dict[str, bytes | None], status: int
) -> None:
    with pytest.raises(InvalidHandshakeError) as info:
        parse_upgrade_request(method, version, good_headers(**overrides))
    assert info.value.status_hint == status


def test_duplicate_key_rejected() -> None:
    headers = [*good_headers(), (b"sec-websocket-key", KEY.encode())]
    with pytest.raises(InvalidHandshakeError):
        parse_upgrade_request("GET", "1.1", headers)


def test_accept_response() -> None:
    req = parse_upgrade_request("GET", "HTTP/1.1", good_headers())
    head = build_accept_response(
        req,
        subprotocol="chat",
        extensions=DeflateParams().to_header(),
        extra_headers=[(b"x-a", b"1")],
    )
    assert head.startswith(b"HTTP/1.1 101 Switching Protocols\r\n")
    assert b"\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n" in head
    assert b"\r\nSec-WebSocket-Protocol: chat\r\n" in head
    assert b"\r\nx-a: 1\r\n" in head
    assert head.endswith(b"\r\n\r\n")
    with pytest.raises(ValueError, match="not offered"):
        build_accept_response(req, subprotocol="other")
    with pytest.raises(ValueError, match="CR"):
        build_accept_response(req, extra_headers=[(b"x", b"a\r\nb: c")])


def test_client_against_our_server_at_every_split() -> None:
    hs = ClientHandshake("h:1", "/p?q=1", subprotocols=["chat"], key=KEY)
    request = hs.request_bytes()
    assert request.startswith(b"GET /p?q=1 HTTP/1.1\r\nHost: h:1\r\n")
    response = build_accept_response(
        UpgradeRequest(KEY, ("chat",), ()),
        subprotocol="chat",
        extensions="permessage-deflate",
    )
    frames = b"\x81\x02hi"
    wire = response + frames
    for cut in range(1, len(wire)):
        hs = ClientHandshake("h:1", subprotocols=["chat"], key=KEY)
        result = hs.receive_data(wire[:cut])
        rest = wire[cut:]  # what the connection still has to be fed
        if result is None:
            result = hs.receive_data(rest)
            rest = b""
        assert result is not None
        assert result.subprotocol == "chat"
        assert result.deflate == DeflateParams()
        conn = result.connection()
        if rest:
            conn.receive_data(rest)
        assert list(conn.events()) == [TextMessage("hi")]


def response(*lines: str) -> bytes:
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


GOOD = [
    "HTTP/1.1 101 Switching Protocols",
    "Upgrade: websocket",
    "Connection: Upgrade",
    f"Sec-WebSocket-Accept: {accept_key(KEY)}",
]


@pytest.mark.parametrize(
    "lines",
    [
        ["HTTP/1.1 200 OK", *GOOD[1:]],
        ["HTTP/1.0 101 Switching", *GOOD[1:]],
        ["garbage", *GOOD[1:]],
        ["HTTP/1.1 1010 x", *GOOD[1:]],
        [GOOD[0], GOOD[2], GOOD[3]],  # no Upgrade
        GOOD[:3],  # no accept
        [*GOOD[:3], "Sec-WebSocket-Accept: wrong"],
        [*GOOD, "Sec-WebSocket-Protocol: unoffered"],
        [*GOOD, "Sec-WebSocket-Protocol: a, b"],
        [*GOOD, "Sec-WebSocket-Extensions: x-unknown"],
        [*GOOD, "bad header line"],
        [*GOOD, " folded: no"],
    ],
)
def test_client_rejects_bad_responses(lines: list[str]) -> None:
    hs = ClientHandshake("h", subprotocols=["a", "b"], key=KEY)
    with pytest.raises(InvalidHandshakeError):
        hs.receive_data(response(*lines))


def test_client_rejects_extension_when_none_offered() -> None:
    hs = ClientHandshake("h", offer_deflate=False, key=KEY)
    with pytest.raises(InvalidHandshakeError):
        hs.receive_data(response(*GOOD, "Sec-WebSocket-Extensions: permessage-deflate"))


def test_client_truncated_and_oversized() -> None:
    hs = ClientHandshake("h", key=KEY, max_head_size=100)
    assert hs.receive_data(b"HTTP/1.1 101 ") is None
    with pytest.raises(InvalidHandshakeError, match="closed"):
        hs.receive_data(b"")
    hs = ClientHandshake("h", key=KEY, max_head_size=100)
    with pytest.raises(InvalidHandshakeError, match="too large"):
        hs.receive_data(b"HTTP/1.1 101 x\r\n" + b"a: b\r\n" * 40)


def test_client_random_key() -> None:
    a, b = ClientHandshake("h"), ClientHandshake("h")
    assert a.key != b.key
    assert b"permessage-deflate" in a.request_bytes()
