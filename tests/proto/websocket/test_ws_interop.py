"""Our core against the real ``websockets`` sans-I/O protocols, in memory:
handshakes both ways, messages both ways, with and without permessage-deflate."""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from websockets.client import ClientProtocol
from websockets.extensions.permessage_deflate import (
    enable_client_permessage_deflate,
    enable_server_permessage_deflate,
)
from websockets.frames import Frame as WsFrame
from websockets.frames import Opcode as WsOpcode
from websockets.http11 import Request
from websockets.protocol import State
from websockets.server import ServerProtocol
from websockets.uri import parse_uri

from aio.proto.websocket import (
    BytesMessage,
    ClientHandshake,
    CloseReceived,
    PerMessageDeflate,
    Role,
    TextMessage,
    WebSocketConnection,
    build_accept_response,
    parse_upgrade_request,
    server_negotiate_deflate,
)

Message = str | bytes


def their_bytes(proto: ClientProtocol | ServerProtocol) -> bytes:
    return b"".join(proto.data_to_send())


def their_messages(proto: ClientProtocol | ServerProtocol) -> list[Message]:
    """Reassemble the frames ``websockets`` decoded into messages."""
    out: list[Message] = []
    parts: list[bytes] = []
    is_text = False
    for event in proto.events_received():
        assert isinstance(event, WsFrame)
        if event.opcode in (WsOpcode.TEXT, WsOpcode.BINARY):
            is_text = event.opcode is WsOpcode.TEXT
            parts = [event.data]
        elif event.opcode is WsOpcode.CONT:
            parts.append(event.data)
        else:
            continue
        if event.fin:
            data = b"".join(parts)
            out.append(data.decode() if is_text else data)
    return out


def our_messages(
    conn: WebSocketConnection, data: bytes
) -> list[Message | CloseReceived]:
    if data:  # b"" would mean end of stream
        conn.receive_data(data)
    out: list[Message | CloseReceived] = []
    for event in conn.events():
        if isinstance(event, TextMessage | BytesMessage):
            out.append(event.data)
        elif isinstance(event, CloseReceived):
            out.append(event)
    return out


def parse_request_head(raw: bytes) -> tuple[str, str, list[tuple[bytes, bytes]]]:
    head, _, _ = raw.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    method, _target, version = lines[0].decode().split(" ")
    headers = []
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        headers.append((name.strip().lower(), value.strip()))
    return method, version, headers


def their_client_our_server(
    deflate: bool, subprotocols: Sequence[str] = ()
) -> tuple[ClientProtocol, WebSocketConnection, str | None]:
    them = ClientProtocol(
        parse_uri("ws://127.0.0.1/chat"),
        extensions=enable_client_permessage_deflate(None) if deflate else None,
        subprotocols=list(subprotocols),  # type: ignore[arg-type]
        max_size=None,
    )
    them.send_request(them.connect())
    method, version, headers = parse_request_head(their_bytes(them))
    request = parse_upgrade_request(method, version, headers)
    params = server_negotiate_deflate(request.extensions)
    chosen = request.subprotocols[0] if request.subprotocols else None
    them.receive_data(
        build_accept_response(
            request,
            subprotocol=chosen,
            extensions=params.to_header() if params else None,
        )
    )
    assert them.state is State.OPEN, them.handshake_exc
    them.events_received()  # the Response
    ours = WebSocketConnection(
        Role.SERVER,
        deflate=PerMessageDeflate(params, is_client=False) if params else None,
        max_message_size=None,
    )
    return them, ours, chosen


def our_client_their_server(
    deflate: bool,
) -> tuple[WebSocketConnection, ServerProtocol]:
    them = ServerProtocol(
        extensions=enable_server_permessage_deflate(None) if deflate else None,
        max_size=None,
    )
    hs = ClientHandshake("127.0.0.1", "/x", offer_deflate=deflate)
    them.receive_data(hs.request_bytes())
    [request] = them.events_received()
    assert isinstance(request, Request)
    them.send_response(them.accept(request))
    result = hs.receive_data(their_bytes(them))
    assert result is not None
    assert (result.deflate is not None) is deflate
    return result.connection(max_message_size=None), them


@pytest.mark.parametrize("deflate", [False, True])
def test_their_client_our_server(deflate: bool) -> None:
    them, ours, _ = their_client_our_server(deflate)
    them.send_text("héllo".encode())
    them.send_binary(b"\x00" * 1000, fin=False)
    them.send_continuation(b"\x01" * 1000, fin=True)
    assert our_messages(ours, their_bytes(them)) == [
        "héllo",
        b"\x00" * 1000 + b"\x01" * 1000,
    ]
    them.receive_data(ours.send_text("back") + ours.send_bytes(b"\xff" * 3000))
    assert their_messages(them) == ["back", b"\xff" * 3000]
    # Their ping gets our automatic pong.
    them.send_ping(b"p")
    assert our_messages(ours, their_bytes(them)) == []
    them.receive_data(ours.bytes_to_send())
    [pong] = them.events_received()
    assert isinstance(pong, WsFrame) and pong.opcode is WsOpcode.PONG


def test_subprotocol_and_close_from_their_client() -> None:
    them, ours, chosen = their_client_our_server(False, ["chat", "v2"])
    assert chosen == "chat"
    them.send_close(4000, "done")
    assert our_messages(ours, their_bytes(them)) == [CloseReceived(4000, "done")]
    them.receive_data(ours.bytes_to_send())
    assert them.close_rcvd is not None
    assert them.close_rcvd.code == 4000


@pytest.mark.parametrize("deflate", [False, True])
def test_our_client_their_server(deflate: bool) -> None:
    ours, them = our_client_their_server(deflate)
    them.receive_data(ours.send_text("a" * 500) + ours.send_bytes(b"b", final=False))
    them.receive_data(ours.send_bytes(b"c"))
    assert their_messages(them) == ["a" * 500, b"bc"]
    them.send_text(b"x" * 10_000)
    them.send_binary(b"")
    assert our_messages(ours, their_bytes(them)) == ["x" * 10_000, b""]
    them.receive_data(ours.send_close(1000, "bye"))
    assert them.close_rcvd is not None
    assert them.close_rcvd.code == 1000
    assert our_messages(ours, their_bytes(them)) == [CloseReceived(1000, "bye")]


messages = st.lists(
    st.one_of(st.text(max_size=300), st.binary(max_size=300)), max_size=8
)


@settings(max_examples=40, deadline=None)
@given(msgs=messages, deflate=st.booleans())
def test_random_messages_round_trip_with_websockets(
    msgs: list[Message], deflate: bool
) -> None:
    them, ours, _ = their_client_our_server(deflate)
    for m in msgs:
        if isinstance(m, str):
            them.send_text(m.encode())
        else:
            them.send_binary(m)
    assert our_messages(ours, their_bytes(them)) == msgs
    wire = b"".join(
        ours.send_text(m) if isinstance(m, str) else ours.send_bytes(m) for m in msgs
    )
    them.receive_data(wire)
    assert their_messages(them) == msgs


@settings(max_examples=40, deadline=None)
@given(msgs=messages, deflate=st.booleans())
def test_random_messages_our_client_their_server(
    msgs: list[Message], deflate: bool
) -> None:
    ours, them = our_client_their_server(deflate)
    wire = b"".join(
        ours.send_text(m) if isinstance(m, str) else ours.send_bytes(m) for m in msgs
    )
    them.receive_data(wire)
    assert their_messages(them) == msgs
    for m in msgs:
        if isinstance(m, str):
            them.send_text(m.encode())
        else:
            them.send_binary(m)
    assert our_messages(ours, their_bytes(them)) == msgs
