"""The connection state machine: messages, fragmentation, control frames, the
closing handshake and every protocol error with its close code."""

from __future__ import annotations

import struct

import pytest

from aio.errors import LocalProtocolError
from aio.proto.websocket import (
    BytesMessage,
    CloseReceived,
    ConnectionState,
    Event,
    LocalWebSocketError,
    Opcode,
    PayloadTooBigError,
    Ping,
    Pong,
    Role,
    TextMessage,
    WebSocketConnection,
    WebSocketProtocolError,
    encode_frame,
)

MASK = b"\x01\x02\x03\x04"


def server(**kw: object) -> WebSocketConnection:
    return WebSocketConnection(Role.SERVER, **kw)  # type: ignore[arg-type]


def client(**kw: object) -> WebSocketConnection:
    return WebSocketConnection(Role.CLIENT, **kw)  # type: ignore[arg-type]


def cframe(opcode: Opcode, payload: bytes = b"", *, fin: bool = True) -> bytes:
    """A frame as a client sends it (masked)."""
    return encode_frame(opcode, payload, fin=fin, mask_key=MASK)


def feed(conn: WebSocketConnection, data: bytes) -> list[Event]:
    conn.receive_data(data)
    return list(conn.events())


def fails(conn: WebSocketConnection, data: bytes, code: int) -> WebSocketProtocolError:
    conn.receive_data(data)
    with pytest.raises(WebSocketProtocolError) as info:
        list(conn.events())
    assert info.value.close_code == code
    assert conn.state is ConnectionState.CLOSED
    # The failing close frame is queued, with the code, unmasked (server).
    out = conn.bytes_to_send()
    if code != 1006:
        assert out[0] == 0x88
        assert struct.unpack("!H", out[2:4])[0] == code
    assert conn.next_event() is None  # the error is raised once
    return info.value


def test_text_and_bytes_messages() -> None:
    s = server()
    events = feed(
        s, cframe(Opcode.TEXT, "héllo".encode()) + cframe(Opcode.BINARY, b"\0\1")
    )
    assert events == [TextMessage("héllo"), BytesMessage(b"\0\1")]


def test_client_to_server_and_back() -> None:
    c, s = client(), server()
    assert feed(s, c.send_text("hi") + c.send_bytes(b"yo")) == [
        TextMessage("hi"),
        BytesMessage(b"yo"),
    ]
    assert feed(c, s.send_text("back")) == [TextMessage("back")]


def test_fragmented_message_with_interleaved_controls() -> None:
    s = server()
    data = (
        cframe(Opcode.TEXT, b"Hel", fin=False)
        + cframe(Opcode.PING, b"p1")
        + cframe(Opcode.CONTINUATION, b"l", fin=False)
        + cframe(Opcode.PONG, b"p2")
        + cframe(Opcode.CONTINUATION, b"o")
    )
    assert feed(s, data) == [Ping(b"p1"), Pong(b"p2"), TextMessage("Hello")]
    assert s.bytes_to_send() == encode_frame(Opcode.PONG, b"p1")


def test_fragmented_send_round_trip() -> None:
    c, s = client(), server()
    wire = c.send_bytes(b"ab", final=False) + c.send_ping(b"!") + c.send_bytes(b"cd")
    assert feed(s, wire) == [Ping(b"!"), BytesMessage(b"abcd")]
    wire = (
        s.send_text("x", final=False) + s.send_text("y", final=False) + s.send_text("")
    )
    assert feed(c, wire) == [TextMessage("xy")]


def test_fragmented_send_type_mismatch() -> None:
    c = client()
    c.send_text("a", final=False)
    with pytest.raises(LocalWebSocketError):
        c.send_bytes(b"b")


def test_utf8_split_across_fragments() -> None:
    s = server()
    euro = "€".encode()
    data = cframe(Opcode.TEXT, euro[:1], fin=False) + cframe(
        Opcode.CONTINUATION, euro[1:]
    )
    assert feed(s, data) == [TextMessage("€")]


def test_invalid_utf8_fails_early_with_1007() -> None:
    s = server()
    # The message is not finished, yet the bad byte is caught at once.
    fails(s, cframe(Opcode.TEXT, b"ok\xff", fin=False), 1007)


def test_truncated_utf8_at_end_fails_1007() -> None:
    fails(server(), cframe(Opcode.TEXT, "€".encode()[:2]), 1007)


def test_no_auto_pong() -> None:
    s = server(auto_pong=False)
    assert feed(s, cframe(Opcode.PING, b"x")) == [Ping(b"x")]
    assert s.bytes_to_send() == b""


def test_auto_pong_is_masked_on_client() -> None:
    c = client(mask_source=lambda n: MASK)
    assert feed(c, encode_frame(Opcode.PING, b"abc")) == [Ping(b"abc")]
    assert c.bytes_to_send() == encode_frame(Opcode.PONG, b"abc", mask_key=MASK)


def test_peer_initiated_close_is_echoed() -> None:
    s = server()
    events = feed(s, cframe(Opcode.CLOSE, struct.pack("!H", 4001) + b"bye"))
    assert events == [CloseReceived(4001, "bye")]
    assert s.bytes_to_send() == encode_frame(Opcode.CLOSE, struct.pack("!H", 4001))
    assert s.state is ConnectionState.CLOSED
    with pytest.raises(LocalWebSocketError):
        s.send_text("late")


def test_empty_close_reports_1005_and_echoes_empty() -> None:
    s = server()
    assert feed(s, cframe(Opcode.CLOSE)) == [CloseReceived(1005, "")]
    assert s.bytes_to_send() == b"\x88\x00"


def test_locally_initiated_close() -> None:
    c, s = client(), server()
    wire = s.send_close(1001, "going away")
    assert s.state is ConnectionState.CLOSING
    assert feed(c, wire) == [CloseReceived(1001, "going away")]
    assert c.state is ConnectionState.CLOSED
    assert feed(s, c.bytes_to_send()) == [CloseReceived(1001, "")]
    assert s.state is ConnectionState.CLOSED
    assert s.bytes_to_send() == b""  # no second close frame


def test_messages_still_arrive_while_closing() -> None:
    s = server()
    s.send_close()
    assert feed(s, cframe(Opcode.TEXT, b"late")) == [TextMessage("late")]
    # No pong once our close frame is out.
    assert feed(s, cframe(Opcode.PING)) == [Ping(b"")]
    assert s.bytes_to_send() == b""


def test_data_after_close_frame_is_ignored() -> None:
    s = server()
    feed(s, cframe(Opcode.CLOSE))
    assert feed(s, cframe(Opcode.TEXT, b"x")) == []


def test_send_after_close() -> None:
    c = client()
    c.send_close()
    with pytest.raises(LocalWebSocketError) as info:
        c.send_text("x")
    assert isinstance(info.value, LocalProtocolError)
    with pytest.raises(LocalWebSocketError):
        c.send_close()


@pytest.mark.parametrize("code", [0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000])
def test_send_close_invalid_code(code: int) -> None:
    with pytest.raises(LocalWebSocketError):
        client().send_close(code)


@pytest.mark.parametrize("code", [1000, 1001, 1002, 1003, 1007, 1011, 1014, 3000, 4999])
def test_send_close_valid_code(code: int) -> None:
    s = server()
    assert feed(s, client().send_close(code, "r")) == [CloseReceived(code, "r")]


def test_send_close_reason_limits() -> None:
    with pytest.raises(LocalWebSocketError):
        client().send_close(1000, "x" * 124)
    with pytest.raises(LocalWebSocketError):
        client().send_close(None, "reason without code")
    assert server().send_close(None) == b"\x88\x00"


def test_control_payload_limit_on_send() -> None:
    with pytest.raises(LocalWebSocketError):
        client().send_ping(b"x" * 126)


# -- every receive error with its close code ----------------------------------


@pytest.mark.parametrize("code", [0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000])
def test_receive_invalid_close_code_1002(code: int) -> None:
    fails(server(), cframe(Opcode.CLOSE, struct.pack("!H", code)), 1002)


def test_receive_one_byte_close_payload() -> None:
    fails(server(), cframe(Opcode.CLOSE, b"\x03"), 1002)


def test_receive_close_reason_invalid_utf8() -> None:
    fails(server(), cframe(Opcode.CLOSE, b"\x03\xe8\xff"), 1007)


def test_continuation_without_start() -> None:
    fails(server(), cframe(Opcode.CONTINUATION, b"x"), 1002)


def test_new_data_frame_while_fragmenting() -> None:
    data = cframe(Opcode.TEXT, b"a", fin=False) + cframe(Opcode.BINARY, b"b")
    fails(server(), data, 1002)


def test_unmasked_client_frame() -> None:
    fails(server(), encode_frame(Opcode.TEXT, b"x"), 1002)


def test_reserved_bits_and_opcodes() -> None:
    fails(server(), b"\xc1\x80" + MASK, 1002)  # RSV1 without deflate
    fails(server(), b"\x83\x80" + MASK, 1002)  # opcode 3


def test_fragmented_and_big_control_frames() -> None:
    fails(server(), encode_frame(Opcode.PING, b"", fin=False, mask_key=MASK), 1002)
    fails(server(), b"\x89\xfe\x00\x7e" + MASK + b"x" * 126, 1002)


def test_message_size_limit_single_frame() -> None:
    s = server(max_message_size=10)
    err = fails(s, cframe(Opcode.BINARY, b"x" * 11), 1009)
    assert isinstance(err, PayloadTooBigError)
    s = server(max_message_size=10)
    assert feed(s, cframe(Opcode.BINARY, b"x" * 10)) == [BytesMessage(b"x" * 10)]


def test_message_size_limit_across_fragments() -> None:
    data = cframe(Opcode.TEXT, b"x" * 6, fin=False) + cframe(
        Opcode.CONTINUATION, b"x" * 5
    )
    fails(server(max_message_size=10), data, 1009)


def test_no_limit() -> None:
    s = server(max_message_size=None)
    assert feed(s, cframe(Opcode.BINARY, b"x" * 100_000)) == [
        BytesMessage(b"x" * 100_000)
    ]


def test_eof_without_close_is_1006() -> None:
    s = server()
    s.receive_data(cframe(Opcode.TEXT, b"abc")[:3])
    fails(s, b"", 1006)
    assert s.bytes_to_send() == b""


def test_eof_after_close_is_quiet() -> None:
    s = server()
    assert feed(s, cframe(Opcode.CLOSE)) == [CloseReceived(1005, "")]
    assert feed(s, b"") == []


def test_events_in_order_at_every_split_point() -> None:
    data = (
        cframe(Opcode.TEXT, "ab€".encode(), fin=False)
        + cframe(Opcode.PING, b"p")
        + cframe(Opcode.CONTINUATION, b"c")
        + cframe(Opcode.BINARY, b"\x00" * 200)
        + cframe(Opcode.CLOSE, b"\x03\xe8ok")
    )
    expected = [
        Ping(b"p"),
        TextMessage("ab€c"),
        BytesMessage(b"\x00" * 200),
        CloseReceived(1000, "ok"),
    ]
    for cut in range(len(data) + 1):
        s = server()
        got = []
        for chunk in (data[:cut], data[cut:]):
            if chunk:  # b"" would mean end of stream
                got += feed(s, chunk)
        assert got == expected, cut
