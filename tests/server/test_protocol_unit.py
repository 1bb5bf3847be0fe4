"""The protocol shell without sockets: a fake transport, eager handlers, fuzzing."""

from __future__ import annotations

import asyncio
import contextvars
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aio.server import Config
from aio.server._http import SHUTDOWN_IDLE_GRACE, HTTPProtocol
from aio.server._state import ServerState


class FakeTransport(asyncio.Transport):
    def __init__(self) -> None:
        super().__init__()
        self.written = bytearray()
        self.closed = False
        self.paused = False

    def write(self, data: Any) -> None:
        self.written += data

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        extra = {"peername": ("127.0.0.1", 5000), "sockname": ("127.0.0.1", 80)}
        return extra.get(name, default)

    def is_closing(self) -> bool:
        return self.closed

    def close(self) -> None:
        self.closed = True

    def pause_reading(self) -> None:
        self.paused = True

    def resume_reading(self) -> None:
        self.paused = False


def make_protocol(app: Any, **options: Any) -> tuple[HTTPProtocol, FakeTransport]:
    config = Config(app, lifespan="off", **options)
    config.load()
    state = ServerState(config.encoded_headers, config.date_header)
    protocol = HTTPProtocol(config, state, {}, asyncio.get_running_loop())
    transport = FakeTransport()
    protocol.connection_made(transport)
    return protocol, transport


async def feed(protocol: HTTPProtocol, data: bytes) -> bytes:
    """Deliver ``data`` as the event loop does (from a callback, outside any
    task); return what was written during that very call."""
    loop = asyncio.get_running_loop()
    done: asyncio.Future[bytes] = loop.create_future()
    transport = protocol.transport
    assert isinstance(transport, FakeTransport)

    def callback() -> None:
        before = len(transport.written)
        protocol.data_received(data)
        done.set_result(bytes(transport.written[before:]))

    loop.call_soon(callback)
    return await done


async def hello(scope: Any, receive: Any, send: Any) -> None:
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": b"hi"})


async def test_simple_handler_answers_within_data_received() -> None:
    protocol, transport = make_protocol(hello)
    written = await feed(protocol, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n" * 3)
    # answered synchronously, inside data_received: no loop turn needed
    assert written.count(b"HTTP/1.1 200 OK") == 3
    assert not protocol.state.tasks
    protocol.connection_lost(None)


async def test_eager_handler_runs_inside_a_task() -> None:
    import anyio

    seen: list[Any] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        # all of these need a current task, and run before any suspension
        seen.append(asyncio.current_task())
        async with asyncio.timeout(5):
            async with anyio.create_task_group() as tg:
                tg.start_soon(anyio.sleep, 0)
        await anyio.to_thread.run_sync(lambda: None)
        await hello(scope, receive, send)

    protocol, transport = make_protocol(app)
    await feed(protocol, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    while not transport.written:
        await asyncio.sleep(0)
    assert seen[0] is not None
    assert b"200 OK" in transport.written


async def test_self_cancel_during_eager_step_reaches_handler() -> None:
    outcome: list[str] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        task = asyncio.current_task()
        assert task is not None
        task.cancel()
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            outcome.append("cancelled")
            raise

    protocol, _ = make_protocol(app)
    await feed(protocol, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    (task,) = protocol.state.tasks
    with pytest.raises(asyncio.CancelledError):
        await task
    assert outcome == ["cancelled"]


request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id")


async def test_context_does_not_leak_between_requests() -> None:
    seen: list[str | None] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        seen.append(request_id.get(None))
        request_id.set(scope["path"])
        if scope["path"] == "/slow":
            await asyncio.sleep(0)
            seen.append(request_id.get(None))
        await hello(scope, receive, send)

    protocol, transport = make_protocol(app)
    await feed(protocol, b"GET /fast HTTP/1.1\r\nHost: x\r\n\r\n")
    await feed(protocol, b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
    while protocol.state.tasks:
        await asyncio.sleep(0)
    await feed(protocol, b"GET /last HTTP/1.1\r\nHost: x\r\n\r\n")
    assert seen == [None, None, "/slow", None]
    assert bytes(transport.written).count(b"200 OK") == 3


async def test_body_backpressure_pauses_transport() -> None:
    bodies: list[int] = []
    gate = asyncio.Event()

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await gate.wait()
        total = 0
        while True:
            message = await receive()
            total += len(message["body"])
            if not message["more_body"]:
                break
        bodies.append(total)
        await hello(scope, receive, send)

    protocol, transport = make_protocol(app)
    size = 300_000
    protocol.data_received(
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % size
    )
    for _ in range(size // 10_000):
        protocol.data_received(b"b" * 10_000)
    assert transport.paused
    gate.set()
    while not bodies:
        await asyncio.sleep(0)
    assert bodies == [size]
    assert b"200 OK" in transport.written


@settings(max_examples=300, deadline=None)
@given(st.lists(st.binary(max_size=64), max_size=8))
def test_random_bytes_only_produce_error_responses(chunks: list[bytes]) -> None:
    async def run() -> None:
        protocol, transport = make_protocol(hello)
        for chunk in [b"GET / HTTP/1.1\r\nHost: x\r\n", *chunks]:
            if transport.closed:
                break
            protocol.data_received(chunk)
        written = bytes(transport.written)
        for line in written.split(b"\r\n"):
            if line.startswith(b"HTTP/1.1 "):
                status = int(line[9:12])
                assert status in (200, 400, 413, 414, 431, 501, 505), written
        protocol.connection_lost(None)

    asyncio.run(run())


async def test_connection_made_during_shutdown_still_answers_its_request() -> None:
    # asyncio calls connection_made a loop turn after accept(): the listener
    # may have closed in between, with the client's request already sent.
    config = Config(hello, lifespan="off")
    config.load()
    state = ServerState(config.encoded_headers, config.date_header)
    state.shutting_down = True
    protocol = HTTPProtocol(config, state, {}, asyncio.get_running_loop())
    transport = FakeTransport()
    protocol.connection_made(transport)
    assert not transport.closed and state.connections == {protocol}
    out = await feed(protocol, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    assert out.startswith(b"HTTP/1.1 200 ") and b"\r\nconnection: close\r\n" in out
    assert transport.closed


async def test_shutdown_closes_a_quiet_connection_after_the_grace() -> None:
    protocol, transport = make_protocol(hello)
    loop = asyncio.get_running_loop()
    protocol.shutdown()
    assert not transport.closed
    assert protocol.deadline <= loop.time() + SHUTDOWN_IDLE_GRACE
    assert protocol.timer is not None and protocol.timer.when() == protocol.deadline
    await asyncio.sleep(SHUTDOWN_IDLE_GRACE + 0.05)
    assert transport.closed
