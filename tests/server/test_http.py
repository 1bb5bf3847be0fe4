"""The HTTP/1.1 server against real clients (httpx, requests, curl) and raw sockets."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from typing import Any

import httpx
import pytest
import requests

from tests.plugins.fix_services import missing
from tests.server._helpers import raw_request, serving

Scope = dict[str, Any]


async def read_body(receive: Any) -> bytes:
    body: bytes = b""
    while True:
        message = await receive()
        assert message["type"] == "http.request"
        body += message.get("body", b"")
        if not message.get("more_body", False):
            return body


async def respond(send: Any, status: int = 200, body: bytes = b"ok", **kw: Any) -> None:
    headers = kw.get("headers", [(b"content-type", b"text/plain")])
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def hello(scope: Scope, receive: Any, send: Any) -> None:
    await respond(send, body=b"hello")


async def test_scope_fields() -> None:
    seen: list[Scope] = []

    async def app(scope: Scope, receive: Any, send: Any) -> None:
        seen.append(scope)
        await respond(send)

    async with serving(app, root_path="/mnt") as srv:
        async with httpx.AsyncClient() as client:
            r = await client.get(
                srv.url + "/caf%C3%A9/a%20b?x=1&y=%20", headers={"X-Thing": "Yes"}
            )
    assert r.status_code == 200
    scope = seen[0]
    assert scope["type"] == "http"
    assert scope["asgi"] == {"version": "3.0", "spec_version": "2.4"}
    assert scope["http_version"] == "1.1"
    assert scope["method"] == "GET"
    assert scope["scheme"] == "http"
    assert scope["path"] == "/mnt/café/a b"
    assert scope["raw_path"] == b"/mnt/caf%C3%A9/a%20b"
    assert scope["query_string"] == b"x=1&y=%20"
    assert scope["root_path"] == "/mnt"
    assert (b"x-thing", b"Yes") in scope["headers"]
    assert all(name == name.lower() for name, _ in scope["headers"])
    assert scope["client"][0] == "127.0.0.1"
    assert isinstance(scope["client"][1], int)
    assert scope["server"] == ("127.0.0.1", srv.port)
    assert scope["state"] == {}
    assert isinstance(scope["extensions"], dict)


async def test_default_headers_and_extra_headers() -> None:
    async with serving(hello, headers=[("X-Extra", "1")]) as srv:
        async with httpx.AsyncClient() as client:
            r = await client.get(srv.url)
    assert r.headers["server"] == "aio"
    assert r.headers["x-extra"] == "1"
    assert r.headers["content-length"] == "5"
    assert "GMT" in r.headers["date"]
    async with serving(hello, server_header=False, date_header=False) as srv:
        async with httpx.AsyncClient() as client:
            r = await client.get(srv.url)
    assert "server" not in r.headers
    assert "date" not in r.headers


async def test_request_body_streaming_and_chunked_upload() -> None:
    pieces: list[tuple[bytes, bool]] = []

    async def app(scope: Scope, receive: Any, send: Any) -> None:
        body = b""
        while True:
            message = await receive()
            pieces.append((message["body"], message["more_body"]))
            body += message["body"]
            if not message["more_body"]:
                break
        await respond(send, body=body)

    async def chunks() -> Any:
        for i in range(5):
            yield b"part%d-" % i

    async with serving(app) as srv:
        async with httpx.AsyncClient() as client:
            r = await client.post(srv.url, content=chunks())
            assert r.content == b"part0-part1-part2-part3-part4-"
            big = b"x" * 1_000_000
            r = await client.post(srv.url, content=big)
            assert r.content == big
    assert pieces[-1][1] is False
    assert any(more for _, more in pieces)


async def test_streaming_response_is_chunked() -> None:
    async def app(scope: Scope, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        for i in range(3):
            await send(
                {"type": "http.response.body", "body": b"%d" % i, "more_body": True}
            )
        await send({"type": "http.response.body", "body": b""})

    async with serving(app) as srv:
        async with httpx.AsyncClient() as client:
            r = await client.get(srv.url)
    assert r.headers["transfer-encoding"] == "chunked"
    assert r.content == b"012"


async def test_keep_alive_reuses_connection_and_pipelining() -> None:
    peers: set[Any] = set()

    async def app(scope: Scope, receive: Any, send: Any) -> None:
        peers.add(scope["client"])
        await respond(send, body=scope["path"].encode())

    async with serving(app) as srv:
        async with httpx.AsyncClient() as client:
            for _ in range(3):
                assert (await client.get(srv.url + "/k")).content == b"/k"
        assert len(peers) == 1
        # two requests in one send: answered in order on one connection
        data = await raw_request(
            srv.address,
            b"GET /one HTTP/1.1\r\nHost: x\r\n\r\n"
            b"POST /two HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"
            b"GET /three HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        )
    assert data.count(b"HTTP/1.1 200 OK") == 3
    assert data.index(b"/one") < data.index(b"/two") < data.index(b"/three")


async def test_http10_and_head() -> None:
    async with serving(hello) as srv:
        data = await raw_request(srv.address, b"GET / HTTP/1.0\r\n\r\n")
        assert data.startswith(b"HTTP/1.1 200 OK\r\n")
        assert data.endswith(b"\r\n\r\nhello")
        data = await raw_request(
            srv.address, b"HEAD / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        assert b"content-length: 5" in data.lower()
        assert data.endswith(b"\r\n\r\n")


async def test_expect_100_continue_sent_only_when_app_reads() -> None:
    async def app(scope: Scope, receive: Any, send: Any) -> None:
        if scope["path"] == "/read":
            await respond(send, body=await read_body(receive))
        else:
            await respond(send, status=417, body=b"no")

    async with serving(app) as srv:
        reader, writer = await asyncio.open_connection(*srv.address)
        writer.write(
            b"POST /read HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
            b"Expect: 100-continue\r\n\r\n"
        )
        line = await reader.readuntil(b"\r\n\r\n")
        assert line.startswith(b"HTTP/1.1 100 Continue")
        writer.write(b"data")
        head = await reader.readuntil(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200")
        assert await reader.readexactly(4) == b"data"
        writer.close()
        data = await raw_request(
            srv.address,
            b"POST /no HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
            b"Expect: 100-continue\r\n\r\n",
        )
        assert data.startswith(b"HTTP/1.1 417")
        assert b"100 Continue" not in data


async def test_app_raises_before_start_gives_500() -> None:
    async def app(scope: Scope, receive: Any, send: Any) -> None:
        raise ValueError("boom")

    async with serving(app) as srv:
        async with httpx.AsyncClient() as client:
            r = await client.get(srv.url)
    assert r.status_code == 500


async def test_app_raises_after_start_closes_connection() -> None:
    async def app(scope: Scope, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"par", "more_body": True})
        raise ValueError("boom")

    async with serving(app) as srv:
        async with httpx.AsyncClient() as client:
            with pytest.raises(httpx.RemoteProtocolError):
                await client.get(srv.url)


async def test_app_returns_without_response_gives_500(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def app(scope: Scope, receive: Any, send: Any) -> None:
        return None

    async with serving(app) as srv:
        async with httpx.AsyncClient() as client:
            r = await client.get(srv.url)
    assert r.status_code == 500
    assert "without sending a complete response" in caplog.text


@pytest.mark.parametrize(
    "messages",
    [
        [{"type": "http.response.body", "body": b"x"}],
        [
            {"type": "http.response.start", "status": 200, "headers": []},
            {"type": "http.response.start", "status": 200, "headers": []},
        ],
        [
            {"type": "http.response.start", "status": 200, "headers": []},
            {"type": "http.response.body", "body": b"x"},
            {"type": "http.response.body", "body": b"y"},
        ],
    ],
    ids=["body-first", "start-twice", "after-complete"],
)
async def test_invalid_asgi_messages_raise_runtime_error(
    messages: list[dict[str, Any]],
) -> None:
    errors: list[BaseException] = []

    async def app(scope: Scope, receive: Any, send: Any) -> None:
        try:
            for message in messages:
                await send(message)
        except RuntimeError as exc:
            errors.append(exc)
            raise

    async with serving(app) as srv:
        data = await raw_request(srv.address, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    assert isinstance(errors[0], RuntimeError)
    if messages[0]["type"] == "http.response.body":
        assert data.startswith(b"HTTP/1.1 500")


async def test_disconnect_mid_body_reaches_app() -> None:
    got: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

    async def app(scope: Scope, receive: Any, send: Any) -> None:
        while True:
            message = await receive()
            await got.put(message)
            if message["type"] == "http.disconnect":
                return

    async with serving(app) as srv:
        reader, writer = await asyncio.open_connection(*srv.address)
        writer.write(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc")
        first = await asyncio.wait_for(got.get(), 5)
        assert first == {"type": "http.request", "body": b"abc", "more_body": True}
        writer.close()
        last = await asyncio.wait_for(got.get(), 5)
        assert last == {"type": "http.disconnect"}


async def test_receive_after_response_is_disconnect_and_send_raises() -> None:
    results: list[Any] = []

    async def app(scope: Scope, receive: Any, send: Any) -> None:
        await read_body(receive)
        await respond(send)
        results.append(await receive())

    async with serving(app) as srv:
        async with httpx.AsyncClient() as client:
            await client.get(srv.url)
    assert results == [{"type": "http.disconnect"}]


async def test_backpressure_pauses_reading_for_unread_body() -> None:
    gate = asyncio.Event()
    received = 0

    async def app(scope: Scope, receive: Any, send: Any) -> None:
        nonlocal received
        await gate.wait()
        while True:
            message = await receive()
            received += len(message["body"])
            if not message["more_body"]:
                break
        await respond(send, body=b"%d" % received)

    async with serving(app) as srv:
        size = 8 * 1024 * 1024
        reader, writer = await asyncio.open_connection(*srv.address)
        writer.write(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % size)
        writer.write(b"z" * size)
        # The server stops reading, so our buffer cannot drain while the app waits.
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(writer.drain(), 0.3)
        connection = next(iter(srv.server.server_state.connections))
        assert connection.read_paused  # type: ignore[attr-defined]
        gate.set()
        await writer.drain()
        data = await reader.readuntil(b"\r\n\r\n")
        assert data.startswith(b"HTTP/1.1 200")
        writer.close()
    assert received == size


async def test_requests_client_in_thread() -> None:
    async def app(scope: Scope, receive: Any, send: Any) -> None:
        await respond(send, body=await read_body(receive))

    async with serving(app) as srv:

        def call() -> requests.Response:
            with requests.Session() as session:
                session.get(srv.url)
                return session.post(srv.url, data=b"from requests")

        r = await asyncio.to_thread(call)
    assert r.status_code == 200
    assert r.content == b"from requests"


async def test_curl() -> None:
    curl = shutil.which("curl")
    if curl is None:
        missing("curl is not installed")
    assert curl is not None
    async with serving(hello) as srv:
        argv = [curl, "-s", "-i", "--http1.1", srv.url + "/a", srv.url + "/b"]
        proc = await asyncio.to_thread(
            lambda: subprocess.run(argv, capture_output=True, timeout=30)
        )
    assert proc.returncode == 0
    assert proc.stdout.count(b"HTTP/1.1 200 OK") == 2
    assert proc.stdout.endswith(b"hello")


async def test_upgrade_with_ws_none_is_plain_http() -> None:
    seen: list[Scope] = []

    async def app(scope: Scope, receive: Any, send: Any) -> None:
        seen.append(scope)
        await respond(send, body=b"plain")

    async with serving(app, ws="none") as srv:
        data = await raw_request(
            srv.address,
            b"GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\n"
            b"Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
            b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
        )
    assert seen[0]["type"] == "http"
    assert data.startswith(b"HTTP/1.1 200")
    assert data.endswith(b"plain")


async def test_http10_keep_alive_and_connection_close() -> None:
    async with serving(hello) as srv:
        reader, writer = await asyncio.open_connection(*srv.address)
        writer.write(b"GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        head = await reader.readuntil(b"\r\n\r\n")
        assert b"connection: keep-alive" in head.lower()
        assert await reader.readexactly(5) == b"hello"
        writer.write(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        rest = await reader.read()
        assert rest.startswith(b"HTTP/1.1 200")
        assert b"connection: close" in rest.lower()
        writer.close()


async def test_send_waits_while_client_does_not_read() -> None:
    finished = asyncio.Event()
    chunk = b"r" * 65536
    count = 256  # 16 MiB: far more than the socket buffers hold

    async def app(scope: Scope, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": []})
        for _ in range(count):
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b""})
        finished.set()

    async with serving(app) as srv:
        reader, writer = await asyncio.open_connection(*srv.address)
        writer.write(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        connection: Any = next(iter(srv.server.server_state.connections))
        for _ in range(500):  # bounded wait for the transport to fill up
            if connection.write_paused:
                break
            await asyncio.sleep(0.01)
        assert connection.write_paused
        assert not finished.is_set()  # the app is held in send()
        total = 0
        head = await reader.readuntil(b"\r\n\r\n")
        assert b"transfer-encoding: chunked" in head.lower()
        while not finished.is_set() or total < count * len(chunk):
            data = await reader.read(1 << 20)
            if not data:
                break
            total += len(data)
            if data.endswith(b"0\r\n\r\n"):
                break
        writer.close()
    assert finished.is_set()
    assert total > count * len(chunk)  # body plus chunk framing
