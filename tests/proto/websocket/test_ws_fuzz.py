"""Property tests: whatever bytes arrive, only our typed errors come out."""

from __future__ import annotations

import struct

from hypothesis import given, settings
from hypothesis import strategies as st

from aio.proto.websocket import (
    ClientHandshake,
    ConnectionState,
    DeflateParams,
    InvalidHandshakeError,
    PerMessageDeflate,
    Role,
    WebSocketConnection,
    WebSocketError,
    WebSocketProtocolError,
    client_accept_deflate,
    parse_upgrade_request,
    server_negotiate_deflate,
)


def drain(conn: WebSocketConnection, chunks: list[bytes]) -> None:
    try:
        for chunk in chunks:
            conn.receive_data(chunk)
            for _ in conn.events():
                pass
    except WebSocketProtocolError as exc:
        assert exc.close_code in {1002, 1006, 1007, 1009}
        assert conn.state is ConnectionState.CLOSED
        assert conn.next_event() is None


def make(role: Role, deflate: bool, limit: int | None) -> WebSocketConnection:
    pmd = None
    if deflate:
        pmd = PerMessageDeflate(DeflateParams(), is_client=role is Role.CLIENT)
    return WebSocketConnection(role, deflate=pmd, max_message_size=limit)


@settings(max_examples=300, deadline=None)
@given(
    chunks=st.lists(st.binary(max_size=200), max_size=6),
    role=st.sampled_from(Role),
    deflate=st.booleans(),
    limit=st.sampled_from([None, 0, 10, 1000]),
)
def test_random_bytes(
    chunks: list[bytes], role: Role, deflate: bool, limit: int | None
) -> None:
    drain(make(role, deflate, limit), chunks)


@st.composite
def frames(draw: st.DrawFn, masked: bool) -> bytes:
    """Plausible frames: random header fields, honest lengths, real masking."""
    first = draw(st.integers(0, 255)) & 0xF0 | draw(
        st.sampled_from([0, 1, 2, 8, 9, 10, 3, 11])
    )
    payload = draw(
        st.one_of(
            st.binary(max_size=140),
            st.text(max_size=60).map(str.encode),
            st.tuples(st.integers(0, 5000), st.text(max_size=20)).map(
                lambda t: struct.pack("!H", t[0]) + t[1].encode()
            ),
        )
    )
    n = len(payload)
    if n < 126:
        head = bytes([first, (0x80 if masked else 0) | n])
    else:
        head = bytes([first, (0x80 if masked else 0) | 126]) + struct.pack("!H", n)
    if not masked:
        return head + payload
    key = draw(st.binary(min_size=4, max_size=4))
    body = bytes(b ^ key[i % 4] for i, b in enumerate(payload))
    return head + key + body


@settings(max_examples=300, deadline=None)
@given(
    data=st.data(),
    role=st.sampled_from(Role),
    deflate=st.booleans(),
    eof=st.booleans(),
)
def test_random_frames(
    data: st.DataObject, role: Role, deflate: bool, eof: bool
) -> None:
    wire = data.draw(st.lists(frames(masked=role is Role.SERVER), max_size=8))
    chunks = [b"".join(wire)]
    if eof:
        chunks.append(b"")
    drain(make(role, deflate, 100), chunks)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_client_handshake_random_response(data: bytes) -> None:
    hs = ClientHandshake("h", key="dGhlIHNhbXBsZSBub25jZQ==")
    try:
        hs.receive_data(data + b"\r\n\r\n")
    except InvalidHandshakeError:
        pass


header_text = st.text(
    alphabet=st.sampled_from(
        'abc-_=;, "\t\\8159permessage-deflatclient_max_window_bits'
    ),
    max_size=80,
)


@settings(max_examples=300, deadline=None)
@given(st.lists(header_text, max_size=3))
def test_extension_negotiation_random_headers(values: list[str]) -> None:
    for negotiate in (server_negotiate_deflate, client_accept_deflate):
        try:
            negotiate(values)
        except InvalidHandshakeError:
            pass


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(
                [
                    b"host",
                    b"upgrade",
                    b"connection",
                    b"sec-websocket-key",
                    b"sec-websocket-version",
                    b"sec-websocket-protocol",
                ]
            ),
            st.binary(max_size=30),
        ),
        max_size=8,
    )
)
def test_upgrade_request_random_headers(headers: list[tuple[bytes, bytes]]) -> None:
    try:
        parse_upgrade_request("GET", "1.1", headers)
    except WebSocketError:
        pass


deflate_params = st.one_of(
    st.none(),
    st.builds(
        DeflateParams,
        server_no_context_takeover=st.booleans(),
        client_no_context_takeover=st.booleans(),
        server_max_window_bits=st.sampled_from([None, 9, 12, 15]),
        client_max_window_bits=st.sampled_from([None, 9, 12, 15]),
    ),
)
fragmented = st.lists(
    st.one_of(
        st.lists(st.text(max_size=50), min_size=1, max_size=4),
        st.lists(st.binary(max_size=50), min_size=1, max_size=4),
    ),
    max_size=6,
)


@settings(max_examples=150, deadline=None)
@given(messages=fragmented, params=deflate_params, split=st.integers(1, 64))
def test_random_messages_round_trip_both_ways(
    messages: list[list[str] | list[bytes]], params: DeflateParams | None, split: int
) -> None:
    def pair(role: Role) -> WebSocketConnection:
        pmd = None
        if params is not None:
            pmd = PerMessageDeflate(params, is_client=role is Role.CLIENT)
        return WebSocketConnection(role, deflate=pmd)

    client, server = pair(Role.CLIENT), pair(Role.SERVER)
    for sender, receiver in ((client, server), (server, client)):
        wire = b""
        for parts in messages:
            for i, part in enumerate(parts):
                final = i == len(parts) - 1
                if isinstance(part, str):
                    wire += sender.send_text(part, final=final)
                else:
                    wire += sender.send_bytes(part, final=final)
        got = []
        for start in range(0, len(wire), split):  # arbitrary chunking
            receiver.receive_data(wire[start : start + split])
            got += [e.data for e in receiver.events()]  # type: ignore[union-attr]
        expected = [
            "".join(p) if isinstance(p[0], str) else b"".join(p) for p in messages
        ]  # type: ignore[arg-type]
        assert got == expected
