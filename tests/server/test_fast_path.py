"""The protocol's fast path: whole body-less requests parsed without the
Connection, plain complete responses serialised in one step, and every way back
to the general path (streaming, unusual responses, pipelining, partial heads)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from aio.proto.http import IDLE

from .test_protocol_unit import feed, hello, make_protocol

GET = b"GET /p?q=1 HTTP/1.1\r\nHost: x\r\n\r\n"


def responses(written: bytes) -> int:
    return written.count(b"HTTP/1.1 ")


async def test_fast_request_and_response() -> None:
    scopes: list[Any] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        scopes.append(scope)
        assert await receive() == {
            "type": "http.request",
            "body": b"",
            "more_body": False,
        }
        await hello(scope, receive, send)

    protocol, _ = make_protocol(app, server_header=False, date_header=False)
    written = await feed(protocol, GET)
    assert written == b"HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nhi"
    # The Connection never saw it: still IDLE, nothing buffered.
    assert protocol.conn.our_state is IDLE and protocol.conn.their_state is IDLE
    assert protocol.unsynced is None and protocol.clean
    scope = scopes[0]
    assert scope["method"] == "GET" and scope["path"] == "/p"
    assert scope["query_string"] == b"q=1" and scope["http_version"] == "1.1"
    assert scope["headers"] == [(b"host", b"x")]
    written = await feed(protocol, GET)
    assert responses(written) == 1
    protocol.connection_lost(None)


async def test_pipelined_bytes_wait_for_a_suspended_fast_request() -> None:
    gate = asyncio.Event()
    order: list[str] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        order.append(scope["path"])
        if scope["path"] == "/slow":
            await gate.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": scope["path"].encode()})

    protocol, transport = make_protocol(app, date_header=False)
    await feed(protocol, b"GET /slow HTTP/1.1\r\nHost: x\r\n\r\n")
    assert protocol.unsynced is not None
    await feed(protocol, b"GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\n")
    await feed(protocol, b"Host: x\r\n\r\n")
    assert order == ["/slow"]  # held, not parsed
    gate.set()
    while responses(bytes(transport.written)) < 3:
        await asyncio.sleep(0)
    written = bytes(transport.written)
    assert written.index(b"/slow") < written.index(b"/a") < written.index(b"/b")
    assert order == ["/slow", "/a", "/b"]
    # After the general path drained the held bytes, the fast path is back.
    await feed(protocol, GET)
    assert protocol.clean
    protocol.connection_lost(None)


async def test_streaming_response_falls_back_to_the_connection() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"a", "more_body": True})
        await send({"type": "http.response.body", "body": b"b"})

    protocol, _ = make_protocol(app, server_header=False, date_header=False)
    written = await feed(protocol, GET)
    assert written == (
        b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n"
        b"1\r\na\r\n1\r\nb\r\n0\r\n\r\n"
    )
    written = await feed(protocol, GET)
    assert responses(written) == 1
    assert protocol.clean
    protocol.connection_lost(None)


@pytest.mark.parametrize(
    ("status", "headers", "expected"),
    [
        (204, [], b"HTTP/1.1 204 No Content\r\n\r\n"),
        (
            200,
            [(b"Transfer-Encoding", b"chunked")],
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n",
        ),
        (
            299,
            [],
            b"HTTP/1.1 299 \r\ncontent-length: 2\r\n\r\nhi",
        ),
    ],
)
async def test_unusual_responses_take_the_general_path(
    status: int, headers: list[tuple[bytes, bytes]], expected: bytes
) -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        message = {"type": "http.response.start", "status": status}
        await send({**message, "headers": iter(headers)})  # any iterable
        await send({"type": "http.response.body", "body": b"hi"})

    protocol, transport = make_protocol(app, server_header=False, date_header=False)
    written = await feed(protocol, GET)
    assert written == expected
    assert not transport.closed
    assert responses(await feed(protocol, GET)) == 1
    protocol.connection_lost(None)


async def test_invalid_response_header_is_a_500() -> None:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        headers = [(b"x", b"a\r\nset-cookie: evil")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"hi"})

    protocol, transport = make_protocol(app)
    written = await feed(protocol, GET)
    assert written.startswith(b"HTTP/1.1 500 ") and b"evil" not in written
    assert transport.closed


async def test_body_request_then_fast_again() -> None:
    bodies: list[bytes] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        bodies.append((await receive())["body"])
        await hello(scope, receive, send)

    protocol, _ = make_protocol(app)
    post = b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
    assert responses(await feed(protocol, post)) == 1
    assert protocol.clean  # nothing left in the Connection
    assert responses(await feed(protocol, GET)) == 1
    assert protocol.clean and protocol.unsynced is None
    assert bodies == [b"abc", b""]
    protocol.connection_lost(None)


async def test_partial_head_left_after_pipelining_is_not_skipped() -> None:
    protocol, transport = make_protocol(hello)
    await feed(
        protocol, b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\nGET /b"
    )
    assert not protocol.clean  # "GET /b" waits in the Connection
    await feed(protocol, b" HTTP/1.1\r\nHost: x\r\n\r\n")
    assert responses(bytes(transport.written)) == 2
    assert not transport.closed
    protocol.connection_lost(None)


async def test_smuggling_attempt_still_rejected() -> None:
    protocol, transport = make_protocol(hello)
    written = await feed(
        protocol,
        b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n",
    )
    assert written.startswith(b"HTTP/1.1 400 ")
    assert transport.closed


async def test_shutdown_adds_connection_close() -> None:
    protocol, transport = make_protocol(hello, server_header=False, date_header=False)
    protocol.state.shutting_down = True
    written = await feed(protocol, GET)
    assert written == (
        b"HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 2\r\n\r\nhi"
    )
    assert transport.closed


async def test_disconnect_after_fast_response() -> None:
    messages: list[Any] = []
    done = asyncio.Event()

    async def app(scope: Any, receive: Any, send: Any) -> None:
        await receive()
        await hello(scope, receive, send)
        messages.append(await receive())
        done.set()

    protocol, _ = make_protocol(app)
    await feed(protocol, GET)
    await done.wait()
    assert messages == [{"type": "http.disconnect"}]
    protocol.connection_lost(None)


async def test_fast_post_body_then_streamed_answer_syncs() -> None:
    got: list[Any] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        got.append(await receive())
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"a", "more_body": True})
        await send({"type": "http.response.body", "body": b""})

    protocol, transport = make_protocol(app, server_header=False, date_header=False)
    post = b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
    written = await feed(protocol, post)
    assert got == [{"type": "http.request", "body": b"abc", "more_body": False}]
    assert written == (
        b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n1\r\na\r\n0\r\n\r\n"
    )
    assert protocol.unsynced is None
    assert responses(await feed(protocol, post + GET)) == 2  # general path
    assert not transport.closed
    protocol.connection_lost(None)
