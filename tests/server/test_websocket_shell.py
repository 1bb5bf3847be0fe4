"""The WebSocket protocol shell over a fake transport: flow control both ways,
shutdown states, and random bytes after the handshake."""

from __future__ import annotations

import asyncio
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from aio.proto.websocket import (
    ClientHandshake,
    CloseReceived,
    is_valid_wire_code,
)
from aio.server import Config
from aio.server._state import ServerState
from aio.server._websocket import WebSocketProtocol, start_websocket


class FakeTransport:
    """Records what the protocol does to its transport."""

    def __init__(self) -> None:
        self.written = bytearray()
        self.closed = False
        self.reading = True
        self.pauses = 0
        self.protocol: Any = None

    def write(self, data: bytes) -> None:
        assert not self.closed
        self.written += data

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed

    def pause_reading(self) -> None:
        self.reading = False
        self.pauses += 1

    def resume_reading(self) -> None:
        self.reading = True

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return default

    def take(self) -> bytes:
        data = bytes(self.written)
        self.written.clear()
        return data


def handshake() -> tuple[ClientHandshake, list[tuple[bytes, bytes]]]:
    hs = ClientHandshake("test", offer_deflate=False)
    headers = []
    for line in hs.request_bytes().split(b"\r\n")[1:]:
        if line:
            name, _, value = line.partition(b":")
            headers.append((name.strip().lower(), value.strip()))
    return hs, headers


def start(
    app: Any, **options: Any
) -> tuple[WebSocketProtocol, FakeTransport, ClientHandshake, ServerState]:
    hs, headers = handshake()
    transport = FakeTransport()
    config = Config(app, lifespan="off", **options)
    state = ServerState([(b"server", b"aio")])
    scope = {
        "type": "websocket",
        "path": "/",
        "headers": headers,
        "http_version": "1.1",
        "extensions": {},
        "client": ("127.0.0.1", 1),
    }
    proto = start_websocket(
        transport=transport,  # type: ignore[arg-type]
        scope=scope,
        leftover=b"",
        app=app,
        config=config,
        server_state=state,
    )
    assert isinstance(proto, WebSocketProtocol)
    return proto, transport, hs, state


async def test_read_pauses_when_app_lags_and_resumes() -> None:
    release = asyncio.Event()
    got: list[str] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        await release.wait()
        while (m := await receive())["type"] == "websocket.receive":
            got.append(m["text"])

    proto, transport, hs, state = start(app, ws_max_queue=4)
    while proto.conn is None:  # let the app accept
        await asyncio.sleep(0)
    result = hs.receive_data(transport.take())
    assert result is not None
    client = result.connection()
    for i in range(10):
        proto.data_received(client.send_text(str(i)))
    assert not transport.reading  # the queue is full: reading stopped
    release.set()
    while len(got) < 10:
        await asyncio.sleep(0)
    assert transport.reading
    assert got == [str(i) for i in range(10)]
    proto.data_received(client.send_close())
    assert transport.closed
    proto.connection_lost(None)
    await proto.task  # type: ignore[misc]
    assert state.connections == set()


async def test_send_waits_for_resume_writing() -> None:
    sent = asyncio.Event()

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        await send({"type": "websocket.send", "text": "queued"})
        sent.set()
        await receive()

    proto, transport, hs, _ = start(app)
    proto.pause_writing()
    for _ in range(5):
        await asyncio.sleep(0)
    assert not sent.is_set() and transport.written == b""  # accept waits too
    proto.resume_writing()
    await sent.wait()
    result = hs.receive_data(transport.take())
    assert result is not None
    assert result.leftover  # the text frame followed the 101
    proto.connection_lost(None)
    await proto.task  # type: ignore[misc]


async def test_shutdown_before_accept_is_503() -> None:
    gate = asyncio.Event()

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await receive()
        await gate.wait()

    proto, transport, _, _ = start(app)
    await asyncio.sleep(0)
    proto.shutdown()
    assert transport.take().startswith(b"HTTP/1.1 503 ")
    assert transport.closed
    proto.abort()
    proto.connection_lost(None)
    await asyncio.gather(proto.task, return_exceptions=True)  # type: ignore[arg-type]


async def test_shutdown_after_accept_sends_1012() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "websocket.accept"})
        assert (await receive())["code"] == 1012

    proto, transport, hs, _ = start(app)
    while proto.conn is None:
        await asyncio.sleep(0)
    result = hs.receive_data(transport.take())
    assert result is not None
    client = result.connection()
    proto.shutdown()
    client.receive_data(transport.take())
    assert client.next_event() == CloseReceived(1012, "server shutting down")
    proto.data_received(client.bytes_to_send())  # the client's echo
    assert transport.closed
    proto.connection_lost(None)
    await proto.task  # type: ignore[misc]


@settings(max_examples=100, deadline=None)
@given(chunks=st.lists(st.binary(max_size=64), max_size=5))
def test_random_bytes_after_accept(chunks: list[bytes]) -> None:
    async def scenario() -> None:
        messages: list[dict[str, Any]] = []

        async def app(scope: Any, receive: Any, send: Any) -> None:
            await receive()
            await send({"type": "websocket.accept"})
            while (m := await receive())["type"] != "websocket.disconnect":
                messages.append(m)
            messages.append(m)

        proto, transport, _, _ = start(app)
        while proto.conn is None:
            await asyncio.sleep(0)
        for chunk in chunks:
            if transport.closed:
                break
            proto.data_received(chunk)
        proto.connection_lost(None)
        await proto.task  # type: ignore[misc]
        assert messages[-1]["type"] == "websocket.disconnect"
        code = messages[-1]["code"]
        assert code in {1005, 1006} or is_valid_wire_code(code)

    asyncio.run(scenario())
