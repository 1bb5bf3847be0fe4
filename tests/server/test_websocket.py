"""The server's WebSocket support against the real ``websockets`` client (and raw
sockets for what a well-behaved client never sends)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from aio.proto.websocket import (
    BytesMessage,
    ClientHandshake,
    CloseReceived,
    Opcode,
    Ping,
    Role,
    TextMessage,
    WebSocketConnection,
    encode_frame,
)
from tests.server._helpers import raw_request, serving

Scope = dict[str, Any]


async def echo(scope: Scope, receive: Any, send: Any) -> None:
    assert (await receive())["type"] == "websocket.connect"
    await send({"type": "websocket.accept"})
    while True:
        message = await receive()
        if message["type"] == "websocket.disconnect":
            return
        reply = {"type": "websocket.send"}
        if message.get("text") is not None:
            reply["text"] = message["text"]
        else:
            reply["bytes"] = message["bytes"]
        await send(reply)


def url(server: Any, path: str = "/") -> str:
    return f"ws://{server.host}:{server.port}{path}"


@pytest.mark.parametrize("compression", ["deflate", None])
async def test_echo_text_and_bytes(compression: str | None) -> None:
    async with (
        serving(echo) as server,
        connect(url(server), compression=compression) as ws,
    ):
        names = [ext.name for ext in ws.protocol.extensions]
        assert names == (["permessage-deflate"] if compression else [])
        if compression:
            # The server caps both windows at 12 bits (memory per connection).
            assert ws.response is not None
            assert ws.response.headers["sec-websocket-extensions"] == (
                "permessage-deflate; server_max_window_bits=12; "
                "client_max_window_bits=12"
            )
        await ws.send("héllo")
        assert await ws.recv() == "héllo"
        await ws.send(b"\x00\x01" * 5000)
        assert await ws.recv() == b"\x00\x01" * 5000
        await ws.send("")
        assert await ws.recv() == ""


async def test_deflate_disabled_by_config() -> None:
    async with (
        serving(echo, ws_per_message_deflate=False) as server,
        connect(url(server)) as ws,
    ):
        assert ws.protocol.extensions == []
        await ws.send("x" * 1000)
        assert await ws.recv() == "x" * 1000


async def test_fragmented_message_from_client() -> None:
    async with serving(echo) as server, connect(url(server)) as ws:
        await ws.send(iter(["ab", "cd", "ef"]))  # three frames, one message
        assert await ws.recv() == "abcdef"
        await ws.send(iter([b"\x01", b"\x02"]))
        assert await ws.recv() == b"\x01\x02"


async def test_scope_and_subprotocol() -> None:
    scopes: list[Scope] = []

    async def app(scope: Scope, receive: Any, send: Any) -> None:
        scopes.append(scope)
        await receive()
        await send(
            {"type": "websocket.accept", "subprotocol": scope["subprotocols"][1]}
        )
        await send({"type": "websocket.close"})

    async with serving(app, root_path="/root") as server:
        async with connect(
            url(server, "/a%20b?x=1"), subprotocols=["one", "two"]
        ) as ws:  # type: ignore[list-item]
            assert ws.subprotocol == "two"
            with pytest.raises(ConnectionClosed):
                await ws.recv()
    [scope] = scopes
    assert scope["type"] == "websocket"
    assert scope["scheme"] == "ws"
    assert scope["path"] == "/root/a b"
    assert scope["query_string"] == b"x=1"
    assert scope["subprotocols"] == ["one", "two"]
    assert "websocket.http.response" in scope["extensions"]
    assert "method" not in scope
    assert scope["client"][0] == "127.0.0.1"


async def test_ping_from_client_gets_pong() -> None:
    async with serving(echo) as server, connect(url(server), ping_interval=None) as ws:
        pong = await ws.ping(b"hi")
        await pong


async def test_accept_headers_reach_client() -> None:
    async def app(scope: Scope, receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "websocket.accept", "headers": [(b"x-extra", b"1")]})
        await receive()

    async with serving(app) as server, connect(url(server)) as ws:
        assert ws.response is not None
        assert ws.response.headers["x-extra"] == "1"
        assert ws.response.headers["server"] == "aio"


async def test_app_closes_with_code_and_reason() -> None:
    async def app(scope: Scope, receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.close", "code": 4001, "reason": "bye"})

    async with serving(app) as server, connect(url(server)) as ws:
        with pytest.raises(ConnectionClosed) as info:
            await ws.recv()
        assert info.value.rcvd is not None
        assert (info.value.rcvd.code, info.value.rcvd.reason) == (4001, "bye")


class Recorder:
    """An echo-less app that records what its receive() returns."""

    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []
        self.done = asyncio.Event()
        self.send_error: BaseException | None = None

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        try:
            await receive()
            await send({"type": "websocket.accept"})
            while True:
                message = await receive()
                self.messages.append(message)
                if message["type"] == "websocket.disconnect":
                    try:
                        await send({"type": "websocket.send", "text": "late"})
                    except OSError as exc:
                        self.send_error = exc
                    return
        finally:
            self.done.set()


async def test_client_close_reaches_app() -> None:
    app = Recorder()
    async with serving(app) as server:
        async with connect(url(server)) as ws:
            await ws.send("one")
            await ws.close(4002, "client bye")
        await app.done.wait()
    assert app.messages == [
        {"type": "websocket.receive", "text": "one"},
        {"type": "websocket.disconnect", "code": 4002, "reason": "client bye"},
    ]
    assert isinstance(app.send_error, OSError)


async def test_dropped_connection_is_1006() -> None:
    app = Recorder()
    async with serving(app) as server:
        sock, conn = await raw_client(server)
        sock[1].close()
        await app.done.wait()
    assert app.messages == [
        {"type": "websocket.disconnect", "code": 1006, "reason": ""}
    ]


# -- raw clients, for frames the websockets client would never send ----------------


async def raw_client(
    server: Any, *, offer_deflate: bool = False, auto_pong: bool = True
) -> tuple[tuple[asyncio.StreamReader, asyncio.StreamWriter], WebSocketConnection]:
    reader, writer = await asyncio.open_connection(server.host, server.port)
    hs = ClientHandshake(f"{server.host}:{server.port}", offer_deflate=offer_deflate)
    writer.write(hs.request_bytes())
    result = None
    while result is None:
        result = hs.receive_data(await reader.read(65536))
    return (reader, writer), result.connection(auto_pong=auto_pong)


async def next_event(
    stream: tuple[asyncio.StreamReader, Any], conn: WebSocketConnection
) -> Any:
    while (event := conn.next_event()) is None:
        conn.receive_data(await stream[0].read(65536))
    return event


MASK = b"\x11\x22\x33\x44"


@pytest.mark.parametrize(
    ("frames", "code"),
    [
        (encode_frame(Opcode.TEXT, b"unmasked"), 1002),
        (encode_frame(Opcode.CONTINUATION, b"x", mask_key=MASK), 1002),
        (bytes([0x83, 0x80]) + MASK, 1002),  # reserved opcode
        (encode_frame(Opcode.TEXT, b"\xff\xfe", mask_key=MASK), 1007),
        (encode_frame(Opcode.BINARY, b"x" * 101, mask_key=MASK), 1009),
    ],
)
async def test_bad_frames_close_with_code(frames: bytes, code: int) -> None:
    app = Recorder()
    async with serving(app, ws_max_size=100) as server:
        stream, conn = await raw_client(server)
        stream[1].write(frames)
        event = await next_event(stream, conn)
        assert isinstance(event, CloseReceived)
        assert event.code == code
        assert await stream[0].read() == b""  # the server closed TCP
        stream[1].close()
        await app.done.wait()
    assert app.messages[-1]["code"] == code


async def test_message_at_size_limit_passes() -> None:
    async with serving(echo, ws_max_size=100) as server:
        stream, conn = await raw_client(server)
        stream[1].write(conn.send_bytes(b"y" * 100))
        assert await next_event(stream, conn) == BytesMessage(b"y" * 100)
        stream[1].write(conn.send_close())
        assert isinstance(await next_event(stream, conn), CloseReceived)
        stream[1].close()


async def test_frames_sent_with_the_request_are_kept() -> None:
    async with serving(echo) as server:
        reader, writer = await asyncio.open_connection(server.host, server.port)
        hs = ClientHandshake(f"{server.host}:{server.port}", offer_deflate=False)
        early = WebSocketConnection(Role.CLIENT).send_text("early")
        writer.write(hs.request_bytes() + early)
        result = None
        while result is None:
            result = hs.receive_data(await reader.read(65536))
        conn = result.connection()
        assert await next_event((reader, writer), conn) == TextMessage("early")
        writer.close()


async def test_server_pings_and_closes_without_pong() -> None:
    app = Recorder()
    async with serving(app, ws_ping_interval=0.01, ws_ping_timeout=0.05) as server:
        # A client that never answers pings.
        stream, silent = await raw_client(server, auto_pong=False)
        first = await next_event(stream, silent)
        assert isinstance(first, Ping)
        event = first
        while not isinstance(event, CloseReceived):
            event = await next_event(stream, silent)
        assert event.code == 1011
        stream[1].close()
        await app.done.wait()
    assert app.messages[-1]["code"] == 1011


async def test_connection_survives_with_pongs() -> None:
    async with serving(echo, ws_ping_interval=0.01, ws_ping_timeout=10) as server:
        stream, conn = await raw_client(server)
        for _ in range(3):  # our core answers each ping
            assert isinstance(await next_event(stream, conn), Ping)
            stream[1].write(conn.bytes_to_send())
        stream[1].write(conn.send_text("still here"))
        event = await next_event(stream, conn)
        while isinstance(event, Ping):
            stream[1].write(conn.bytes_to_send())
            event = await next_event(stream, conn)
        assert event == TextMessage("still here")
        stream[1].close()


# -- handshake refusals ------------------------------------------------------------


async def test_close_before_accept_is_403() -> None:
    async def deny(scope: Scope, receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "websocket.close"})

    async with serving(deny) as server:
        with pytest.raises(InvalidStatus) as info:
            async with connect(url(server)):
                pass
        assert info.value.response.status_code == 403


async def test_denial_response_extension() -> None:
    async def deny(scope: Scope, receive: Any, send: Any) -> None:
        assert "websocket.http.response" in scope["extensions"]
        await receive()
        await send(
            {
                "type": "websocket.http.response.start",
                "status": 401,
                "headers": [(b"content-type", b"text/plain"), (b"x-why", b"token")],
            }
        )
        await send(
            {"type": "websocket.http.response.body", "body": b"no ", "more_body": True}
        )
        await send({"type": "websocket.http.response.body", "body": b"entry"})

    async with serving(deny) as server:
        with pytest.raises(InvalidStatus) as info:
            async with connect(url(server)):
                pass
        response = info.value.response
        assert response.status_code == 401
        assert response.headers["x-why"] == "token"
        assert response.body == b"no entry"


async def test_denial_single_body_has_content_length() -> None:
    async def deny(scope: Scope, receive: Any, send: Any) -> None:
        await receive()
        await send(
            {"type": "websocket.http.response.start", "status": 404, "headers": []}
        )
        await send({"type": "websocket.http.response.body", "body": b"gone"})

    async with serving(deny) as server:
        hs = ClientHandshake(f"{server.host}:{server.port}")
        raw = await raw_request(server.address, hs.request_bytes())
        assert raw.startswith(b"HTTP/1.1 404 ")
        assert b"content-length: 4\r\n" in raw
        assert raw.endswith(b"\r\n\r\ngone")


async def test_app_error_before_accept_is_500() -> None:
    async def broken(scope: Scope, receive: Any, send: Any) -> None:
        await receive()
        raise ValueError("boom")

    async with serving(broken) as server:
        with pytest.raises(InvalidStatus) as info:
            async with connect(url(server)):
                pass
        assert info.value.response.status_code == 500


async def test_app_returning_without_handshake_is_500() -> None:
    async def lazy(scope: Scope, receive: Any, send: Any) -> None:
        return None

    async with serving(lazy) as server:
        with pytest.raises(InvalidStatus) as info:
            async with connect(url(server)):
                pass
        assert info.value.response.status_code == 500


async def test_app_error_after_accept_is_1011() -> None:
    async def broken(scope: Scope, receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        await receive()
        raise ValueError("boom")

    async with serving(broken) as server, connect(url(server)) as ws:
        await ws.send("trigger")
        with pytest.raises(ConnectionClosed) as info:
            await ws.recv()
        assert info.value.rcvd is not None
        assert info.value.rcvd.code == 1011


async def test_app_returning_after_accept_closes_1000() -> None:
    async def short(scope: Scope, receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.send", "text": "only"})

    async with serving(short) as server, connect(url(server)) as ws:
        assert await ws.recv() == "only"
        with pytest.raises(ConnectionClosed) as info:
            await ws.recv()
        assert info.value.rcvd is not None
        assert info.value.rcvd.code == 1000


def upgrade_request(server: Any, **changes: str | None) -> bytes:
    headers = {
        "Host": f"{server.host}:{server.port}",
        "Upgrade": "websocket",
        "Connection": "Upgrade",
        "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Version": "13",
    }
    for name, value in changes.items():
        name = name.replace("_", "-")
        if value is None:
            headers.pop(name)
        else:
            headers[name] = value
    lines = ["GET / HTTP/1.1", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def test_bad_version_is_426_without_calling_app() -> None:
    app = Recorder()
    async with serving(app) as server:
        raw = await raw_request(
            server.address, upgrade_request(server, Sec_WebSocket_Version="8")
        )
        assert raw.startswith(b"HTTP/1.1 426 ")
        assert b"sec-websocket-version: 13\r\n" in raw.lower()
        raw = await raw_request(
            server.address, upgrade_request(server, Sec_WebSocket_Key="short")
        )
        assert raw.startswith(b"HTTP/1.1 400 ")
    assert not app.done.is_set()


async def test_upgrade_with_post_is_refused_without_calling_app() -> None:
    # RFC 6455 4.1: the opening handshake is a GET; a POST must not become a socket.
    app = Recorder()
    async with serving(app) as server:
        request = upgrade_request(server).replace(b"GET / ", b"POST / ", 1)
        raw = await raw_request(server.address, request)
        assert not raw.startswith(b"HTTP/1.1 101 ")
        assert raw.startswith(b"HTTP/1.1 4")
    assert not app.done.is_set()


async def test_graceful_shutdown_closes_with_1012() -> None:
    app = Recorder()
    async with serving(app) as server:
        ws = await connect(url(server))
        await ws.send("hello")
        server.server.should_exit = True
        with pytest.raises(ConnectionClosed) as info:
            await ws.recv()
        assert info.value.rcvd is not None
        assert info.value.rcvd.code == 1012
        await app.done.wait()
    assert app.messages[-1]["type"] == "websocket.disconnect"


async def test_slow_app_gets_every_message_in_order() -> None:
    release = asyncio.Event()
    received: list[str] = []

    async def slow(scope: Scope, receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        await release.wait()
        while True:
            message = await receive()
            if message["type"] == "websocket.disconnect":
                return
            received.append(message["text"])
            if len(received) == 200:
                await send({"type": "websocket.send", "text": "all"})

    async with serving(slow, ws_max_queue=2) as server, connect(url(server)) as ws:
        for i in range(200):
            await ws.send(str(i))
        release.set()
        assert await ws.recv() == "all"
    assert received == [str(i) for i in range(200)]


async def test_send_close_frame_payload_is_echoed() -> None:
    async with serving(echo) as server:
        stream, conn = await raw_client(server)
        stream[1].write(conn.send_close(4999, "r"))
        event = await next_event(stream, conn)
        assert event == CloseReceived(4999, "")
        assert await stream[0].read() == b""  # and closed TCP
        stream[1].close()
