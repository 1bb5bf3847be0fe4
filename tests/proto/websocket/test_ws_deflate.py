"""permessage-deflate (RFC 7692): negotiation, the §7.2.3 examples, context
takeover, fragmentation and the incremental decompression limit."""

from __future__ import annotations

import os
import zlib

import pytest

from aio.proto.websocket import (
    BytesMessage,
    ConnectionState,
    DeflateParams,
    Event,
    InvalidHandshakeError,
    Opcode,
    PayloadTooBigError,
    PerMessageDeflate,
    Role,
    TextMessage,
    WebSocketConnection,
    WebSocketProtocolError,
    client_accept_deflate,
    client_deflate_offer,
    encode_frame,
    server_negotiate_deflate,
)

# -- negotiation --------------------------------------------------------------


def test_server_accepts_plain_offer() -> None:
    params = server_negotiate_deflate(["permessage-deflate"])
    assert params == DeflateParams()
    assert params.to_header() == "permessage-deflate"


def test_server_echoes_parameters() -> None:
    params = server_negotiate_deflate(
        [
            "permessage-deflate; server_no_context_takeover; "
            "client_no_context_takeover; server_max_window_bits=10; "
            'client_max_window_bits="12"'
        ]
    )
    assert params == DeflateParams(True, True, 10, 12)
    assert params.to_header() == (
        "permessage-deflate; server_no_context_takeover; client_no_context_takeover;"
        " server_max_window_bits=10; client_max_window_bits=12"
    )


def test_client_max_window_bits_without_value_in_offer() -> None:
    assert server_negotiate_deflate([client_deflate_offer()]) == DeflateParams()


@pytest.mark.parametrize(
    "bad",
    [
        "permessage-deflate; unknown=1",
        "permessage-deflate; server_max_window_bits=16",
        "permessage-deflate; server_max_window_bits=7",
        "permessage-deflate; server_max_window_bits",
        "permessage-deflate; server_max_window_bits=08",
        "permessage-deflate; server_no_context_takeover=1",
        "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
        "permessage-deflate; server_max_window_bits=8",  # zlib cannot
    ],
)
def test_server_declines_unacceptable_offer_and_takes_next(bad: str) -> None:
    assert server_negotiate_deflate([bad]) is None
    assert server_negotiate_deflate([bad + ", permessage-deflate"]) == DeflateParams()


def test_server_ignores_other_extensions() -> None:
    assert server_negotiate_deflate(["x-webkit-deflate-frame"]) is None
    assert server_negotiate_deflate(["foo; a=1, permessage-deflate"]) is not None


@pytest.mark.parametrize(
    "garbage", ["permessage-deflate;", 'permessage-deflate; a="b', "a b", ";x"]
)
def test_malformed_extension_header(garbage: str) -> None:
    with pytest.raises(InvalidHandshakeError):
        server_negotiate_deflate([garbage])


def test_client_validates_response() -> None:
    assert client_accept_deflate([]) is None
    assert client_accept_deflate(["permessage-deflate"]) == DeflateParams()
    assert client_accept_deflate(
        ["permessage-deflate; server_max_window_bits=9; client_max_window_bits=10"]
    ) == DeflateParams(server_max_window_bits=9, client_max_window_bits=10)
    for bad in [
        "other-ext",
        "permessage-deflate, permessage-deflate",
        "permessage-deflate; client_max_window_bits",  # response needs a value
        "permessage-deflate; client_max_window_bits=8",  # zlib cannot
        "permessage-deflate; x=1",
    ]:
        with pytest.raises(InvalidHandshakeError):
            client_accept_deflate([bad])


# -- RFC 7692 §7.2.3 examples --------------------------------------------------


def client_conn(
    params: DeflateParams | None = None, **kw: object
) -> WebSocketConnection:
    deflate = PerMessageDeflate(params or DeflateParams(), is_client=True)
    return WebSocketConnection(Role.CLIENT, deflate=deflate, **kw)  # type: ignore[arg-type]


def server_conn(
    params: DeflateParams | None = None, **kw: object
) -> WebSocketConnection:
    deflate = PerMessageDeflate(params or DeflateParams(), is_client=False)
    return WebSocketConnection(Role.SERVER, deflate=deflate, **kw)  # type: ignore[arg-type]


def feed(conn: WebSocketConnection, data: bytes) -> list[Event]:
    conn.receive_data(data)
    return list(conn.events())


def test_7_2_3_1_hello_compressed() -> None:
    wire = bytes.fromhex("c107f248cdc9c90700")
    assert feed(client_conn(), wire) == [TextMessage("Hello")]
    # zlib produces exactly these bytes for "Hello".
    assert server_conn().send_text("Hello") == wire


def test_7_2_3_1_fragmented() -> None:
    wire = bytes.fromhex("4103f248cd" + "8004c9c90700")
    assert feed(client_conn(), wire) == [TextMessage("Hello")]


def test_7_2_3_2_sharing_lz77_window() -> None:
    wire = bytes.fromhex("c107f248cdc9c90700" + "c105f200110000")
    assert feed(client_conn(), wire) == [TextMessage("Hello"), TextMessage("Hello")]
    # Our own second message is shorter too, thanks to context takeover.
    s = server_conn()
    first, second = s.send_text("Hello"), s.send_text("Hello")
    assert len(second) < len(first)
    assert feed(client_conn(), first + second) == [TextMessage("Hello")] * 2


def test_7_2_3_3_stored_block() -> None:
    wire = bytes.fromhex("c10b0005" + "00faff48656c6c6f00")
    assert feed(client_conn(), wire) == [TextMessage("Hello")]


def test_7_2_3_4_bfinal_block() -> None:
    wire = bytes.fromhex("c108f348cdc9c9070000")
    c = client_conn()
    assert feed(c, wire) == [TextMessage("Hello")]
    # The stream ended with BFINAL: the next message starts a fresh one.
    assert feed(c, bytes.fromhex("c107f248cdc9c90700")) == [TextMessage("Hello")]


def test_7_2_3_5_two_deflate_blocks() -> None:
    wire = bytes.fromhex("c10df2480500" + "0000ffffcac9c90700")
    assert feed(client_conn(), wire) == [TextMessage("Hello")]


def test_7_2_3_6_empty_message() -> None:
    assert feed(client_conn(), b"\xc1\x01\x00") == [TextMessage("")]
    c, s = client_conn(), server_conn()
    assert feed(c, s.send_bytes(b"")) == [BytesMessage(b"")]
    assert feed(s, c.send_text("")) == [TextMessage("")]


# -- round trips and context takeover ------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        DeflateParams(),
        DeflateParams(server_no_context_takeover=True, client_no_context_takeover=True),
        DeflateParams(server_max_window_bits=9, client_max_window_bits=9),
        DeflateParams(server_max_window_bits=15, client_no_context_takeover=True),
    ],
)
def test_round_trips_both_directions(params: DeflateParams) -> None:
    c, s = client_conn(params), server_conn(params)
    messages = [b"abc" * 1000, os.urandom(5000), b"", b"abc" * 1000]
    for m in messages:
        assert feed(s, c.send_bytes(m)) == [BytesMessage(m)]
        assert feed(c, s.send_bytes(m)) == [BytesMessage(m)]


def test_no_context_takeover_makes_repeats_same_size() -> None:
    s = server_conn(DeflateParams(server_no_context_takeover=True))
    first, second = s.send_text("Hello" * 10), s.send_text("Hello" * 10)
    assert first == second


def test_fragmented_compressed_send() -> None:
    c, s = client_conn(), server_conn()
    wire = c.send_text("x" * 100, final=False) + c.send_text("y" * 100)
    assert wire[0] & 0x40  # RSV1 on the first frame
    assert feed(s, wire) == [TextMessage("x" * 100 + "y" * 100)]


def test_rsv1_on_continuation_is_1002() -> None:
    s = server_conn()
    key = b"abcd"
    s.receive_data(
        encode_frame(Opcode.TEXT, b"\xf2", fin=False, rsv1=True, mask_key=key)
        + encode_frame(Opcode.CONTINUATION, b"H", rsv1=True, mask_key=key)
    )
    with pytest.raises(WebSocketProtocolError) as info:
        list(s.events())
    assert info.value.close_code == 1002


def test_rsv1_on_control_frame_is_1002() -> None:
    s = server_conn()
    s.receive_data(encode_frame(Opcode.PING, b"", rsv1=True, mask_key=b"abcd"))
    with pytest.raises(WebSocketProtocolError) as info:
        list(s.events())
    assert info.value.close_code == 1002


def test_corrupt_compressed_data_is_1007() -> None:
    c = client_conn()
    c.receive_data(encode_frame(Opcode.BINARY, b"\xff\xff\xff\xff", rsv1=True))
    with pytest.raises(WebSocketProtocolError) as info:
        list(c.events())
    assert info.value.close_code == 1007
    assert c.state is ConnectionState.CLOSED


def test_zip_bomb_stops_at_limit() -> None:
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    bomb = comp.compress(b"\0" * 50_000_000) + comp.flush(zlib.Z_SYNC_FLUSH)
    assert len(bomb) < 100_000
    c = client_conn(max_message_size=1_000_000)
    c.receive_data(encode_frame(Opcode.BINARY, bomb[:-4], rsv1=True))
    with pytest.raises(PayloadTooBigError) as info:
        list(c.events())
    assert info.value.close_code == 1009


def test_inflated_limit_across_fragments() -> None:
    s = server_conn()
    c = client_conn(max_message_size=150)
    wire = s.send_bytes(b"a" * 100, final=False) + s.send_bytes(b"b" * 100)
    c.receive_data(wire)
    with pytest.raises(PayloadTooBigError):
        list(c.events())


def test_limit_exactly_reached_is_fine() -> None:
    s = server_conn()
    c = client_conn(max_message_size=200)
    assert feed(c, s.send_bytes(b"z" * 200)) == [BytesMessage(b"z" * 200)]


def test_server_preferences_cap_windows() -> None:
    prefs = {"server_max_window_bits": 12, "client_max_window_bits": 12}
    # The client understands client_max_window_bits: both are capped.
    assert server_negotiate_deflate([client_deflate_offer()], **prefs) == DeflateParams(
        server_max_window_bits=12, client_max_window_bits=12
    )
    # It does not: only our own window can be announced.
    assert server_negotiate_deflate(["permessage-deflate"], **prefs) == DeflateParams(
        server_max_window_bits=12
    )
    # Smaller requests win.
    offer = "permessage-deflate; server_max_window_bits=10; client_max_window_bits=9"
    assert server_negotiate_deflate([offer], **prefs) == DeflateParams(
        server_max_window_bits=10, client_max_window_bits=9
    )
    with pytest.raises(ValueError):
        server_negotiate_deflate([], server_max_window_bits=8)
    with pytest.raises(ValueError):
        server_negotiate_deflate([], client_max_window_bits=16)


@pytest.mark.parametrize("bits", [9, 12, 15])
def test_small_windows_and_mem_level_round_trip(bits: int) -> None:
    params = DeflateParams(server_max_window_bits=bits, client_max_window_bits=bits)
    c = WebSocketConnection(
        Role.CLIENT, deflate=PerMessageDeflate(params, is_client=True, mem_level=5)
    )
    s = WebSocketConnection(
        Role.SERVER, deflate=PerMessageDeflate(params, is_client=False, mem_level=5)
    )
    data = os.urandom(2000) * 20  # repeats far apart: needs the window
    for _ in range(3):
        assert feed(s, c.send_bytes(data)) == [BytesMessage(data)]
        assert feed(c, s.send_bytes(data)) == [BytesMessage(data)]


def test_peer_exceeding_agreed_window_is_1007() -> None:
    # The client promised a 9-bit window but refers 3000 bytes back, into the
    # previous message (within one inflate call zlib cannot tell).
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = os.urandom(3000)
    first = comp.compress(block) + comp.flush(zlib.Z_SYNC_FLUSH)
    second = comp.compress(block) + comp.flush(zlib.Z_SYNC_FLUSH)
    s = WebSocketConnection(
        Role.SERVER,
        deflate=PerMessageDeflate(
            DeflateParams(client_max_window_bits=9), is_client=False
        ),
    )
    key = b"abcd"
    assert feed(
        s, encode_frame(Opcode.BINARY, first[:-4], rsv1=True, mask_key=key)
    ) == [BytesMessage(block)]
    s.receive_data(encode_frame(Opcode.BINARY, second[:-4], rsv1=True, mask_key=key))
    with pytest.raises(WebSocketProtocolError) as info:
        list(s.events())
    assert info.value.close_code == 1007
